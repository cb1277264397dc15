//! jieba segmentation and tagging without building jieba's dictionary at
//! start-up.
//!
//! `Jieba::new()` builds a trie of its 350k-word dictionary in every process:
//! ~80 ms and ~80 MB of fresh memory, a sixth of a one-thread run over the
//! 11 MB corpus, though chainkg only ever tags short texts (names, a few
//! words around them). Here the dictionary is tables in the binary (made by
//! `build.rs` from `data/jieba/dict.txt`, read in place), and each thread's
//! `Jieba` starts with the gazetteer's names only and takes a dictionary word
//! only when a text it is asked about could contain it.
//!
//! The results are jieba's, exactly: jieba's segmentation of a text reads only
//! the dictionary words that occur in it, and the dictionary's total frequency.
//! Before a text is cut, every word that may start at one of its positions
//! (the buckets of the one, two and three characters there) is added with
//! its frequency and tag, and the total is kept at the whole
//! dictionary's by a placeholder word of two noncharacters (which no text
//! holds: they are reserved for a program's internal use; a text that does
//! hold them gets the placeholder tagged x) whose frequency is what the words
//! not yet added would contribute. The gazetteer's names are added once, in
//! order, as they would be to a whole dictionary (jieba suggests their
//! frequencies from the total and the words in them), and each thread starts
//! from a copy of that jieba. Tags of words jieba does not know come from its
//! part-of-speech model (posseg.rs). A test holds the tags and cuts to
//! `Jieba::new()`'s with the same names added.

use jieba_rs::Jieba;
use rustc_hash::FxHashSet;
use std::cell::RefCell;

pub(crate) mod dict {
    include!(concat!(env!("OUT_DIR"), "/dict.rs"));
}

static WORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/dict_words.bin"));
static ENDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/dict_ends.bin"));
static FREQS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/dict_freqs.bin"));
static TAG_IDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/dict_tags.bin"));
static BUCKETS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/dict_buckets.bin"));

/// Stands for the words not yet added, in the total.
const PLACEHOLDER: &str = "\u{FDD0}\u{FDD1}";

/// The little-endian u32 number `i` of a table `build.rs` wrote.
pub(crate) fn u32_at(bytes: &[u8], i: usize) -> u32 {
    u32::from_le_bytes(bytes[4 * i..4 * i + 4].try_into().expect("four bytes"))
}

/// The bytes of dictionary word `i`.
fn word_bytes(i: usize) -> &'static [u8] {
    let start = if i == 0 { 0 } else { u32_at(ENDS, i - 1) as usize };
    &WORDS[start..u32_at(ENDS, i) as usize]
}

/// Dictionary word `i`: its text, frequency and tag.
fn entry(i: usize) -> (&'static str, usize, &'static str) {
    let word = std::str::from_utf8(word_bytes(i)).expect("build.rs wrote UTF-8");
    (word, u32_at(FREQS, i) as usize, dict::TAGS[TAG_IDS[i] as usize])
}

/// The words of bucket `key` (see build.rs), as indices.
fn bucket(key: u64) -> std::ops::Range<usize> {
    let n = BUCKETS.len() / 16;
    let key_at = |i: usize| u64::from_le_bytes(BUCKETS[16 * i..16 * i + 8].try_into().expect("eight bytes"));
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if key_at(mid) < key {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if lo < n && key_at(lo) == key {
        let start = u32_at(&BUCKETS[16 * lo + 8..], 0) as usize;
        let end = u32_at(&BUCKETS[16 * lo + 12..], 0) as usize;
        start..end
    } else {
        0..0
    }
}

/// The dictionary's tag of `word`, if it is a dictionary word.
fn dictionary_tag(word: &str) -> Option<&'static str> {
    let mut chars = word.chars();
    let range = bucket(key(chars.next()?, chars.next(), chars.next()));
    let (mut lo, mut hi) = (range.start, range.end);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match word_bytes(mid).cmp(word.as_bytes()) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some(entry(mid).2),
        }
    }
    None
}

fn key(first: char, second: Option<char>, third: Option<char>) -> u64 {
    (first as u64) << 42 | second.map_or(0, |c| (c as u64) << 21) | third.map_or(0, |c| c as u64)
}

/// A word of a tagged text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'t> {
    pub word: &'t str,
    pub tag: &'static str,
    /// Character offsets in the text.
    pub start: usize,
    pub end: usize,
}

/// One thread's jieba: the dictionary words its texts could hold so far.
#[derive(Clone)]
struct Local {
    jieba: Jieba,
    /// The placeholder's frequency: the frequencies of the words not added.
    rest: usize,
    /// Buckets added.
    added: FxHashSet<u64>,
}

impl Local {
    fn new() -> Local {
        let mut jieba = Jieba::empty();
        jieba.add_word(PLACEHOLDER, Some(dict::TOTAL), Some("x"));
        Local { jieba, rest: dict::TOTAL, added: FxHashSet::default() }
    }

    fn add_bucket(&mut self, key: u64) -> bool {
        if !self.added.insert(key) {
            return false;
        }
        let mut any = false;
        for i in bucket(key) {
            let (word, freq, tag) = entry(i);
            // a gazetteer name that is a dictionary word is in already, with
            // the frequency given to it
            if !self.jieba.has_word(word) {
                self.jieba.add_word(word, Some(freq), Some(tag));
                self.rest -= freq;
                any = true;
            }
        }
        any
    }

    /// Adds every dictionary word that may occur in `text`.
    fn cover(&mut self, text: &str) {
        let mut any = false;
        // each position with the one and two characters after it
        let mut next = text.chars().skip(1);
        let mut after = text.chars().skip(2);
        for c in text.chars() {
            any |= self.add_bucket(key(c, None, None));
            if let Some(second) = next.next() {
                any |= self.add_bucket(key(c, Some(second), None));
                if let Some(third) = after.next() {
                    any |= self.add_bucket(key(c, Some(second), Some(third)));
                }
            }
        }
        if any {
            self.jieba.add_word(PLACEHOLDER, Some(self.rest), Some("x"));
        }
    }
}

/// jieba with the dictionary read in place and names added.
pub struct Segmenter {
    /// The tag of each name that is no dictionary word (a dictionary word
    /// keeps the dictionary's tag when it is added as a name).
    name_tags: std::collections::HashMap<String, &'static str>,
    local: thread_local::ThreadLocal<RefCell<Local>>,
    /// The jieba with the names added (and the dictionary words they hold),
    /// which each thread starts from: copied, not built again.
    template: Local,
}

impl Segmenter {
    /// jieba's dictionary with `names` added in order, each with its tag and
    /// the frequency jieba suggests for it.
    pub fn new(names_in: &[(String, &'static str)]) -> Segmenter {
        let mut template = Local::new();
        for (word, tag) in names_in {
            template.cover(word);
            template.jieba.add_word(word, None, Some(tag));
        }
        let mut name_tags = std::collections::HashMap::new();
        for (word, tag) in names_in {
            if dictionary_tag(word).is_none() {
                name_tags.entry(word.clone()).or_insert(*tag);
            }
        }
        Segmenter { name_tags, local: thread_local::ThreadLocal::new(), template }
    }

    fn with<R>(&self, text: &str, f: impl FnOnce(&Jieba) -> R) -> R {
        let cell = self.local.get_or(|| RefCell::new(self.template.clone()));
        let mut local = cell.borrow_mut();
        local.cover(text);
        f(&local.jieba)
    }

    /// jieba's `tag`: its cut, each word with its tag in the dictionary (or
    /// as a name), and jieba's guess for the others (see posseg.rs).
    pub fn tag<'t>(&self, text: &'t str, hmm: bool) -> Vec<Word<'t>> {
        self.with(text, |jieba| {
            jieba
                .cut(text, hmm)
                .into_iter()
                .map(|t| {
                    let word = &text[t.byte_start..t.byte_end];
                    let tag = if jieba.has_word(word) {
                        // the dictionary's, a name's, or the placeholder's (a text with
                        // those two noncharacters in a row; added with x)
                        dictionary_tag(word).or_else(|| self.name_tags.get(word).copied()).unwrap_or("x")
                    } else {
                        crate::posseg::guess_tag(word)
                    };
                    Word { word, tag, start: t.start, end: t.end }
                })
                .collect()
        })
    }

    /// jieba's `cut`.
    pub fn cut<'t>(&self, text: &'t str, hmm: bool) -> Vec<&'t str> {
        self.with(text, |jieba| jieba.cut(text, hmm).into_iter().map(|t| &text[t.byte_start..t.byte_end]).collect())
    }

    /// Whether `word` is a dictionary word or an added name.
    pub fn has_word(&self, word: &str) -> bool {
        self.with(word, |jieba| jieba.has_word(word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_hold_the_dictionary() {
        let words = ENDS.len() / 4;
        assert!(words > 300_000);
        let (mut n, mut total) = (0, 0);
        let mut previous = "";
        for i in 0..words {
            let (w, f, _) = entry(i);
            assert!(previous < w, "sorted, no word twice");
            previous = w;
            n += 1;
            total += f;
        }
        assert_eq!(n, FREQS.len() / 4);
        assert_eq!(n, TAG_IDS.len());
        assert_eq!(total, dict::TOTAL);
        let words: Vec<&str> = bucket(key('宁', Some('德'), None)).map(|i| entry(i).0).collect();
        assert!(words.contains(&"宁德"), "{words:?}");
        assert!(words.iter().all(|w| w.starts_with("宁德") && w.chars().count() == 2));
        let words: Vec<&str> = bucket(key('宁', Some('德'), Some('市'))).map(|i| entry(i).0).collect();
        assert!(words.contains(&"宁德市"), "{words:?}");
        assert!(words.iter().all(|w| w.starts_with("宁德市")));
        assert_eq!(bucket(key('\u{FDD0}', None, None)), 0..0);
    }

    /// jieba-rs with its whole dictionary and the same names added.
    fn whole(names: &[(String, &'static str)]) -> Jieba {
        let mut jieba = Jieba::new();
        for (w, tag) in names {
            jieba.add_word(w, None, Some(tag));
        }
        jieba
    }

    fn texts() -> Vec<String> {
        let mut texts = Vec::new();
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds")).expect("seeds/") {
            let doc = std::fs::read_to_string(entry.expect("entry").path()).expect("a seed");
            for s in doc.split(['。', '！', '？', '\n']).filter(|s| !s.trim().is_empty()) {
                let chars: Vec<char> = s.chars().collect();
                // the sentence, and the short stretches chainkg tags (names,
                // a few words after a title)
                texts.push(s.to_string());
                for (i, len) in (0..chars.len()).step_by(3).zip([2, 3, 4, 6, 8, 12].into_iter().cycle()) {
                    texts.push(chars[i..(i + len).min(chars.len())].iter().collect());
                }
            }
        }
        // strings of the seed's characters in random order: unknown words
        // for the part-of-speech model (a fixed generator: the same strings
        // each run)
        let pool: Vec<char> = texts.iter().flat_map(|t| t.chars()).filter(|c| !c.is_ascii()).collect();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for n in 0..3000 {
            let s: String = (0..1 + n % 7)
                .map(|_| {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    pool[(x >> 33) as usize % pool.len()]
                })
                .collect();
            texts.push(s);
        }
        texts.extend(
            ["中国石化与宁德时代签署战略合作协议", "海辰储能落户厦门火炬高新区", "ＡＢＢ公司在华投资１０亿元", "比亚迪股份有限公司董事长王传福表示", "张三丰说", "Apple公司的iPhone", "长虹集团、康佳先后与京东方签约", "鑫瑞", "Ａ股", "5G", "iPhone15", "（）", "𠮷野家"]
                .map(String::from),
        );
        texts
    }

    #[test]
    fn tags_and_cuts_are_jiebas() {
        // names inside dictionary words, dictionary words themselves (中国,
        // 长虹), names that contain one another
        let names: Vec<(String, &'static str)> = [("宁德时代", "nt"), ("海辰储能", "nt"), ("厦门火炬高新区", "nt"), ("火炬高新区", "nt"), ("中国石化", "nt"), ("中国", "ns"), ("长虹", "nt"), ("王传福", "nr"), ("比亚迪", "nt")]
            .map(|(w, t)| (w.to_string(), t))
            .to_vec();
        let whole = whole(&names);
        let seg = Segmenter::new(&names);
        let texts = texts();
        assert!(texts.len() > 500, "{}", texts.len());
        let expected: Vec<(Vec<(String, String)>, Vec<String>, Vec<String>)> = texts
            .iter()
            .map(|t| {
                (
                    whole.tag(t, true).iter().map(|w| (w.word.to_string(), w.tag.to_string())).collect(),
                    whole.cut(t, false).iter().map(|w| w.word.to_string()).collect(),
                    whole.tag(t, false).iter().map(|w| w.tag.to_string()).collect(),
                )
            })
            .collect();
        let check = |seg: &Segmenter| {
            for (t, (tags, cut, plain_tags)) in texts.iter().zip(&expected) {
                let got: Vec<(String, String)> = seg.tag(t, true).iter().map(|w| (w.word.to_string(), w.tag.to_string())).collect();
                assert_eq!(&got, tags, "tags of {t}");
                assert_eq!(&seg.cut(t, false), cut, "cut of {t}");
                let got: Vec<String> = seg.tag(t, false).iter().map(|w| w.tag.to_string()).collect();
                assert_eq!(&got, plain_tags, "tags without HMM of {t}");
                for w in cut {
                    assert_eq!(seg.has_word(w), whole.has_word(w), "has_word({w})");
                }
            }
        };
        check(&seg);
        // another thread starts from a copy of the jieba the names went into
        std::thread::scope(|s| s.spawn(|| check(&seg)).join().expect("the other thread"));
    }

    #[test]
    fn a_text_holding_the_placeholder_is_tagged_without_a_panic() {
        let seg = Segmenter::new(&[]);
        let text = format!("宁德时代{PLACEHOLDER}公司");
        let words = seg.tag(&text, true);
        assert_eq!(words.iter().map(|w| w.word).collect::<String>(), text);
    }
}
