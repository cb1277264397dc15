//! Normalisation and sentence splitting. Offsets are character offsets into
//! the document text; normalisation maps one character to one character, so an
//! offset in the normalised text is an offset in the original text too.

/// A sentence: a contiguous character range of its document.
#[derive(Debug, Clone)]
pub struct Sentence {
    /// Position in the document, from 0.
    pub index: usize,
    /// First character (inclusive), in characters from the start of the document.
    pub start: usize,
    /// Last character (exclusive).
    pub end: usize,
    /// The normalised text of the range.
    pub text: String,
}

/// Maps full-width Latin letters, digits and the punctuation that belongs to
/// numbers and codes to ASCII, and the ideographic space to a space. Chinese
/// punctuation (，。（）：；“”) is kept: rules match it as written.
pub fn normalize_char(c: char) -> char {
    match c {
        '\u{3000}' | '\u{00A0}' => ' ',
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '．' | '－' | '＋' | '／' | '％' | '＆' | '＿' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    }
}

pub fn normalize(text: &str) -> String {
    // one allocation: the normalised text is never longer than the original.
    // Every character normalize_char changes starts with one of three bytes
    // (C2: U+00A0, E3: U+3000, EF: the full-width forms); the runs between
    // them are copied whole.
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for at in memchr::memchr3_iter(0xC2, 0xE3, 0xEF, text.as_bytes()) {
        // the three bytes only ever start a character
        let Some(c) = text[at..].chars().next() else { continue };
        let n = normalize_char(c);
        if n != c {
            out.push_str(&text[copied..at]);
            out.push(n);
            copied = at + c.len_utf8();
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// The characters of a text, in one allocation of the right size.
pub fn chars_of(text: &str) -> Vec<char> {
    let mut v = Vec::with_capacity(text.chars().count());
    v.extend(text.chars());
    v
}

fn is_terminal(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?')
}

fn is_closing(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '）' | ')' | '"' | '》')
}

/// Whether a sentence is a heading: a line that ends in no end punctuation
/// (牵手中冶京诚), neither 。！？ (a closing quote or bracket after them
/// aside) nor a clause's ；…
pub fn is_heading(sentence: &str) -> bool {
    let last = sentence.trim_end().chars().rev().find(|c| !is_closing(*c));
    !last.is_some_and(|c| is_terminal(c) || matches!(c, '；' | ';' | '…'))
}

/// A line this long that does not end a sentence was broken by the layout
/// (a page or column break), not by the author: it continues on the next line.
const BROKEN_LINE_MIN_CHARS: usize = 30;

/// Splits a normalised document into sentences at 。！？ (keeping a closing
/// quote with its sentence) and at paragraph breaks. A long line that stops in
/// mid-sentence is joined to the next non-empty line, so a sentence broken by
/// the layout stays whole; short lines without end punctuation are headings.
pub fn split_sentences(text: &str) -> Vec<Sentence> {
    split_sentences_of(text, &CharOffsets::of(text))
}

/// A text's characters and the byte offset of each (plus the text's length).
pub struct CharOffsets {
    pub chars: Vec<char>,
    pub bytes: Vec<usize>,
}

impl CharOffsets {
    pub fn of(text: &str) -> CharOffsets {
        let n = text.chars().count();
        let mut chars = Vec::with_capacity(n);
        let mut bytes = Vec::with_capacity(n + 1);
        for (b, c) in text.char_indices() {
            bytes.push(b);
            chars.push(c);
        }
        bytes.push(text.len());
        CharOffsets { chars, bytes }
    }
}

/// [`split_sentences`] with the text's characters already at hand.
pub fn split_sentences_of(text: &str, offsets: &CharOffsets) -> Vec<Sentence> {
    let (chars, bytes) = (&offsets.chars, &offsets.bytes);
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    let mut line_start = 0usize;
    let push = |out: &mut Vec<Sentence>, s: usize, e: usize| {
        // trim white space at both ends
        let mut s2 = s;
        let mut e2 = e;
        while s2 < e2 && chars[s2].is_whitespace() {
            s2 += 1;
        }
        while e2 > s2 && chars[e2 - 1].is_whitespace() {
            e2 -= 1;
        }
        if e2 > s2 {
            out.push(Sentence { index: out.len(), start: s2, end: e2, text: text[bytes[s2]..bytes[e2]].to_string() });
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if is_terminal(c) {
            let mut e = i + 1;
            while e < chars.len() && (is_terminal(chars[e]) || is_closing(chars[e])) {
                e += 1;
            }
            push(&mut out, start, e);
            start = e;
            i = e;
            continue;
        }
        if c == '\n' {
            // the line that ends here: its last visible character, and whether it has enough of them
            let mut visible = chars[line_start..i].iter().copied().filter(|c| !c.is_whitespace());
            let last = chars[line_start..i].iter().copied().rev().find(|c| !c.is_whitespace());
            let empty = last.is_none();
            let long = visible.nth(BROKEN_LINE_MIN_CHARS - 1).is_some();
            // an empty line neither ends nor continues anything
            let continues = empty || long && last.is_some_and(|l| !is_terminal(l) && !is_closing(l) && l != '：' && l != ':');
            if !continues {
                push(&mut out, start, i);
                start = i + 1;
            }
            line_start = i + 1;
        }
        i += 1;
    }
    push(&mut out, start, chars.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_agrees_with_normalize_char_on_every_character() {
        let all: String = (0u32..0x3_0000).filter_map(char::from_u32).collect();
        let expected: String = all.chars().map(normalize_char).collect();
        assert_eq!(normalize(&all), expected);
        assert_eq!(normalize("　海辰储能（３００７５０．ＳＺ）\u{a0}"), " 海辰储能（300750.SZ） ");
        assert_eq!(normalize(""), "");
    }

    #[test]
    fn full_width_latin_and_digits_become_ascii_one_to_one() {
        let s = "ＴＣＬ集团投资１．９１亿元（７～１０英寸）";
        let n = normalize(s);
        assert_eq!(n, "TCL集团投资1.91亿元（7～10英寸）");
        assert_eq!(n.chars().count(), s.chars().count());
    }

    #[test]
    fn splits_at_end_punctuation_and_keeps_closing_quotes() {
        let t = "“目前全员铆足干劲生产。”该公司规划部总监周兴恩对未来市场充满信心！下一句";
        let s = split_sentences(t);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].text, "“目前全员铆足干劲生产。”");
        assert_eq!(s[1].text, "该公司规划部总监周兴恩对未来市场充满信心！");
        assert_eq!(s[2].start, t.chars().position(|c| c == '下').unwrap());
    }

    #[test]
    fn headings_end_in_no_end_punctuation() {
        assert!(is_heading("牵手中冶京诚"));
        assert!(is_heading("江淮首次跃居前三 "));
        assert!(!is_heading("海尔电脑又一次获得大单。"));
        assert!(!is_heading("“目前全员铆足干劲生产。”"));
        assert!(!is_heading("他说：“好！”）"));
    }

    #[test]
    fn headings_stand_alone_but_layout_breaks_are_joined() {
        let t = "新能源产业驶上快车道\n\n该公司总经理许德光介绍：“今年我们又追加投资了两个稀土项目，项目投资产后，将助推内蒙古地区的工业企业向\n\n更加智慧化、智能化发展。”";
        let s = split_sentences(t);
        assert_eq!(s[0].text, "新能源产业驶上快车道");
        assert_eq!(s.len(), 2);
        assert!(s[1].text.contains("企业向\n\n更加智慧化"));
    }
}
