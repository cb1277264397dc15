//! Typed mentions: spans of a sentence that name an entity. Sources, in order
//! of trust: the gazetteer (Aho-Corasick, leftmost-longest), abbreviations the
//! document defines, names found by their legal or institutional suffix (left
//! edge by scanning to a boundary word), context patterns, person names after
//! a title (length fixed by the word that follows, else by jieba's POS tags),
//! and coreference words (该公司, 双方) resolved later.

use crate::rules::RuleSet;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use crate::segment::Segmenter;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::HashMap;

/// How a mention was found; this decides which one wins an overlap.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Gazetteer,
    /// A gazetteer name with the place written before it (日本三洋电机株式会社).
    Placed,
    Defined,
    /// A name found elsewhere in the same document.
    Repeated,
    Name(String),
    Person,
    Derived,
    Coref(String),
    Group(String),
}

impl Source {
    fn priority(&self) -> u8 {
        match self {
            // what the document itself defines (下称“中国石油”) before what
            // the gazetteer knows the same words as
            Source::Defined => 0,
            Source::Gazetteer => 1,
            Source::Repeated => 2,
            Source::Name(_) | Source::Person => 2,
            Source::Derived => 3,
            Source::Placed => 4,
            Source::Coref(_) | Source::Group(_) => 5,
        }
    }
    pub fn label(&self) -> String {
        match self {
            Source::Gazetteer => "gazetteer".into(),
            Source::Placed => "gazetteer, with the place before it".into(),
            Source::Defined => "defined abbreviation".into(),
            Source::Repeated => "name found elsewhere in the document".into(),
            Source::Name(id) => format!("name pattern {id}"),
            Source::Person => "person next to a title or a verb of taking a post".into(),
            Source::Derived => "short name of a legal name".into(),
            Source::Coref(id) => format!("coreference {id}"),
            Source::Group(id) => format!("group {id}"),
        }
    }
}

/// A typed span of a sentence, in characters relative to the sentence.
#[derive(Debug, Clone)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub ty: usize,
    /// The name as written (for a defined abbreviation, the full name before it).
    pub surface: String,
    /// The canonical name, when the mention names its entity directly.
    pub canonical: Option<String>,
    pub source: Source,
    /// The abbreviation defined right after the name: 厦门海辰储能科技股份有限公司（以下简称海辰储能）.
    pub defines: Option<String>,
}

/// Everything built once from the rule set and shared by all documents.
pub struct Recognizer {
    /// Gazetteer names, name suffixes, titles, coreference words and the
    /// context patterns' literals, all found in one pass (see [`Scan`]).
    scanner: Scanner,
    /// For each gazetteer pattern: (type, canonical name).
    gaz_targets: Vec<(usize, String)>,
    /// Each gazetteer name and alias (normalised) → its index in `gaz_targets`.
    gaz_index: FxHashMap<String, usize>,
    suffix_targets: Vec<usize>,
    absorb: Vec<u32>,
    /// Per suffix rule, the types absorbed only with more of the name after them.
    absorb_inner: Vec<u32>,
    /// Words after which a mention is not the subject of its clause (与, 同,
    /// 对…): a known name before them is no part of the name after them.
    non_subject_before: Vec<Vec<char>>,
    /// What joins, and what closes, a list of companies (see [`Recognizer::add_list_members`]).
    list_separators: Vec<Vec<char>>,
    list_ends: Vec<Vec<char>>,
    /// Stop words by their last character, for the left scans.
    stop_by_last: FxHashMap<char, Vec<Vec<char>>>,
    title_chars: Lexicon,
    surnames: FxHashSet<char>,
    compound_surnames: Lexicon,
    follow: Lexicon,
    /// Words said after a surname instead of the given name (王总, 李先生).
    address_forms: Lexicon,
    /// Each coreference or group word: its first entry in `coref_targets`.
    coref_words: FxHashMap<String, usize>,
    coref_targets: Vec<CorefTarget>,
    industry_suffixes: Vec<Vec<char>>,
    industry_ty: Option<usize>,
    product_modifiers: Vec<Vec<char>>,
    /// See [`crate::rules::NamingConfig::shared_head_conjunctions`].
    shared_head_conjunctions: Vec<Vec<char>>,
    product_ty: Option<usize>,
    region_ty: Option<usize>,
    park_ty: Option<usize>,
    company_ty: Option<usize>,
    business_words: Vec<String>,
    person_ty: Option<usize>,
    /// jieba with the gazetteer's names added.
    segmenter: Segmenter,
    /// For each literal the context patterns cannot match without: the
    /// patterns (bits) that need it.
    literal_owners: Vec<u64>,
    /// The patterns that run on every sentence (no required literal, or beyond bit 63).
    pattern_always: u64,
    /// The alphabet the context patterns' coded forms share (see [`crate::coded`]).
    pattern_set: Option<crate::coded::CodedSet>,
}

/// The lists of words the recognizer looks for in a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Gazetteer,
    Suffix,
    Title,
    Coref,
    /// A verb of taking a post (出任, 担任…) that a person's name may open a clause before.
    PostVerb,
    /// A verb of appointing (聘任, 任命…) that a person's name follows.
    PreVerb,
    /// A literal some context pattern cannot match without.
    Literal,
}

/// What one pass of the recognizer's automaton finds in a sentence: for each
/// list, the matches (byte start, byte end, index in the list) that a
/// leftmost-longest search of that list alone would report; and the context
/// patterns whose required literals occur. One overlapping search of all
/// lists replaces five searches of one list each.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    gazetteer: Vec<(usize, usize, usize)>,
    suffixes: Vec<(usize, usize, usize)>,
    /// Suffixes the leftmost-longest choice dropped that start inside a kept
    /// one and end after it: tried where the kept one gives no name.
    suffix_later: Vec<(usize, usize, usize)>,
    titles: Vec<(usize, usize, usize)>,
    corefs: Vec<(usize, usize, usize)>,
    post_verbs: Vec<(usize, usize, usize)>,
    pre_verbs: Vec<(usize, usize, usize)>,
    patterns: u64,
}

/// A list of words, by first character: which of them a text starts with,
/// without comparing the text with every word (titles, the words that
/// follow names and compound surnames are checked at many positions).
struct Lexicon {
    by_first: FxHashMap<char, Vec<Vec<char>>>,
    /// An empty word starts every text.
    has_empty: bool,
}

impl Lexicon {
    fn new(words: Vec<Vec<char>>) -> Lexicon {
        let mut by_first: FxHashMap<char, Vec<Vec<char>>> = FxHashMap::default();
        let mut has_empty = false;
        for w in words {
            match w.first() {
                Some(&c) => by_first.entry(c).or_default().push(w),
                None => has_empty = true,
            }
        }
        Lexicon { by_first, has_empty }
    }

    /// Whether `text` starts with a word for which `keep` holds.
    fn any_prefix(&self, text: &[char], keep: impl Fn(&[char]) -> bool) -> bool {
        (self.has_empty && keep(&[]))
            || text.first().and_then(|c| self.by_first.get(c)).is_some_and(|ws| ws.iter().any(|w| text.starts_with(w) && keep(w)))
    }
}

/// The words of several lists, found in one pass over a text.
struct Scanner {
    automaton: daachorse::CharwiseDoubleArrayAhoCorasick<u32>,
    /// For each distinct word of `automaton`: the lists it is in, and its
    /// index in each, in list order.
    owners: Vec<Vec<(List, usize)>>,
}

impl Scanner {
    /// A double-array automaton over characters: against aho-corasick's
    /// contiguous NFA over bytes, 39 → 3 ms to build and half the time to
    /// search the corpus (aho-corasick's DFA took 22 MB and a fifth of
    /// start-up). Its words must be distinct: a word in two lists (董事长 is a
    /// title and a context pattern's literal) is one word with two owners.
    fn new<'w>(lists: impl IntoIterator<Item = (List, Vec<&'w str>)>) -> Scanner {
        let mut words: Vec<&str> = Vec::new();
        let mut owners: Vec<Vec<(List, usize)>> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (list, list_words) in lists {
            for (i, w) in list_words.into_iter().enumerate().filter(|(_, w)| !w.is_empty()) {
                let k = *index.entry(w).or_insert_with(|| {
                    words.push(w);
                    owners.push(Vec::new());
                    words.len() - 1
                });
                owners[k].push((list, i));
            }
        }
        let automaton = daachorse::CharwiseDoubleArrayAhoCorasickBuilder::new()
            .build_with_values(words.iter().enumerate().map(|(k, w)| (w, k as u32)))
            .expect("distinct non-empty words, fewer than 2^24");
        Scanner { automaton, owners }
    }

    /// Every occurrence of every word (overlapping), as (list, (start, end,
    /// index in the list)), byte offsets.
    fn each(&self, text: &str, mut found: impl FnMut(List, (usize, usize, usize))) {
        for m in self.automaton.find_overlapping_iter(text) {
            for &(list, i) in &self.owners[m.value() as usize] {
                found(list, (m.start(), m.end(), i));
            }
        }
    }
}

/// The matches a leftmost-longest search would report: from the left, the
/// longest match that starts where the previous one ended or later (on a
/// tie, the first pattern).
fn leftmost_longest_of(mut all: Vec<(usize, usize, usize)>) -> Vec<(usize, usize, usize)> {
    all.sort_unstable_by_key(|&(s, e, p)| (s, std::cmp::Reverse(e), p));
    let mut out: Vec<(usize, usize, usize)> = Vec::with_capacity(all.len());
    for m in all {
        if out.last().is_none_or(|last| m.0 >= last.1) {
            out.push(m);
        }
    }
    out
}

#[derive(Debug, Clone)]
pub enum CorefTarget {
    Coref { rule: usize, types: u32 },
    Group { rule: usize, size: usize },
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '·' | '&' | '-' | '.' | '_' | '\'')
}

/// The length of a name against a suffix rule's `max_len`: a character
/// each, but a run of Latin letters or digits one per three (澳大利亚 +
/// Riversdale + 公司 is no longer than 澳大利亚 + 四个汉字 + 公司).
fn name_width(chars: &[char]) -> usize {
    let mut width = 0;
    let mut run = 0;
    for c in chars {
        if c.is_ascii_alphanumeric() {
            run += 1;
            if run % 3 == 1 {
                width += 1;
            }
        } else {
            run = 0;
            width += 1;
        }
    }
    width
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

impl Recognizer {
    pub fn new(rules: &RuleSet) -> Recognizer {
        let mut jieba_words: Vec<(String, &'static str)> = Vec::new();
        let schema = &rules.schema;
        // Gazetteer: every name and alias, longest wins; a name listed twice keeps its first entry.
        let mut seen = FxHashMap::default();
        let mut gaz_patterns = Vec::new();
        let mut gaz_targets = Vec::new();
        for (e, _) in &rules.gazetteer {
            let ty = schema.type_index(&e.ty).expect("validated at load");
            for n in std::iter::once(&e.name).chain(&e.aliases) {
                let n = crate::text::normalize(n);
                if n.is_empty() || seen.contains_key(&n) {
                    continue;
                }
                seen.insert(n.clone(), gaz_patterns.len());
                jieba_words.push((n.clone(), jieba_tag(&e.ty)));
                gaz_patterns.push(n);
                gaz_targets.push((ty, e.name.clone()));
            }
        }
        let mut suffix_patterns = Vec::new();
        let mut suffix_targets = Vec::new();
        let mut absorb = Vec::new();
        let mut absorb_inner = Vec::new();
        let mask = |types: &[String]| types.iter().fold(0u32, |m, a| m | 1 << schema.type_index(a).expect("validated"));
        for (i, s) in rules.suffixes.iter().enumerate() {
            absorb.push(mask(&s.absorb));
            absorb_inner.push(mask(&s.absorb_inner));
            for suf in &s.suffixes {
                suffix_patterns.push(suf.clone());
                suffix_targets.push(i);
            }
        }
        let mut coref_patterns = Vec::new();
        let mut coref_targets = Vec::new();
        for (i, c) in rules.corefs.iter().enumerate() {
            let mut types = 0u32;
            for t in &c.types {
                types |= 1 << schema.type_index(t).expect("validated");
            }
            for w in &c.words {
                coref_patterns.push(w.clone());
                coref_targets.push(CorefTarget::Coref { rule: i, types });
            }
        }
        for (i, g) in rules.groups.iter().enumerate() {
            for (w, n) in &g.words {
                coref_patterns.push(w.clone());
                coref_targets.push(CorefTarget::Group { rule: i, size: *n });
            }
        }
        let p = &rules.person;
        let chars = |v: &[String]| v.iter().map(|s| s.chars().collect::<Vec<_>>()).collect::<Vec<_>>();
        // the patterns' required literals; a pattern without (or past bit 63) always runs
        let mut literals: std::collections::BTreeMap<String, u64> = Default::default();
        let mut pattern_always = 0u64;
        for (i, (_, rx, _)) in rules.patterns.iter().enumerate() {
            match rx.literals.clone().filter(|_| i < 64) {
                Some(set) => set.into_iter().for_each(|l| *literals.entry(l).or_default() |= 1 << i),
                None => pattern_always |= 1u64.checked_shl(i as u32).unwrap_or(0),
            }
        }
        let lists: [(List, Vec<&str>); 7] = [
            (List::Gazetteer, gaz_patterns.iter().map(String::as_str).collect()),
            (List::Suffix, suffix_patterns.iter().map(String::as_str).collect()),
            (List::Title, if schema.type_index("Person").is_some() { p.titles.iter().map(String::as_str).collect() } else { Vec::new() }),
            (List::Coref, coref_patterns.iter().map(String::as_str).collect()),
            (List::PostVerb, if schema.type_index("Person").is_some() { p.post_verbs.iter().map(String::as_str).collect() } else { Vec::new() }),
            (List::PreVerb, if schema.type_index("Person").is_some() { p.pre_verbs.iter().map(String::as_str).collect() } else { Vec::new() }),
            (List::Literal, literals.keys().map(String::as_str).collect()),
        ];
        // the automaton and jieba's names, side by side on the current rayon pool
        let (scanner, segmenter) = rayon::join(|| Scanner::new(lists), || Segmenter::new(&jieba_words));
        let literal_owners = literals.into_values().collect();
        Recognizer {
            scanner,
            gaz_targets,
            gaz_index: seen,
            suffix_targets,
            absorb,
            absorb_inner,
            non_subject_before: rules.naming.non_subject_before.iter().map(|w| w.chars().collect()).collect(),
            list_separators: rules.naming.list_separators.iter().map(|w| w.chars().collect()).collect(),
            list_ends: rules.naming.list_ends.iter().map(|w| w.chars().collect()).collect(),
            stop_by_last: {
                let mut m: FxHashMap<char, Vec<Vec<char>>> = FxHashMap::default();
                for w in chars(&rules.naming.stop) {
                    if let Some(l) = w.last() {
                        m.entry(*l).or_default().push(w);
                    }
                }
                m
            },
            title_chars: Lexicon::new(chars(&p.titles)),
            surnames: p.surnames.chars().filter(|c| !c.is_whitespace()).collect(),
            compound_surnames: Lexicon::new(chars(&p.compound_surnames)),
            follow: Lexicon::new(chars(&p.follow)),
            address_forms: Lexicon::new(chars(&p.address_forms)),
            coref_words: {
                let mut words = FxHashMap::default();
                for (i, w) in coref_patterns.iter().enumerate() {
                    words.entry(w.clone()).or_insert(i);
                }
                words
            },
            coref_targets,
            industry_suffixes: chars(&rules.naming.industry_suffixes),
            shared_head_conjunctions: chars(&rules.naming.shared_head_conjunctions),
            product_modifiers: {
                let mut m = chars(&rules.naming.product_modifiers);
                m.sort_by_key(|w| std::cmp::Reverse(w.len())); // the longest modifier first
                m
            },
            product_ty: schema.type_index("Product"),
            industry_ty: schema.type_index("Industry"),
            region_ty: schema.type_index("Region"),
            park_ty: schema.type_index("Park"),
            company_ty: schema.type_index("Company"),
            business_words: [&rules.naming.business_words, &rules.naming.industry_suffixes, &rules.naming.descriptive_words].into_iter().flatten().cloned().collect(),
            literal_owners,
            pattern_always,
            pattern_set: crate::coded::CodedSet::new(rules.patterns.iter().map(|(_, m, _)| m.coded.as_ref())),
            person_ty: schema.type_index("Person"),
            segmenter,
        }
    }

    /// jieba with the gazetteer's names added.
    pub fn jieba(&self) -> &Segmenter {
        &self.segmenter
    }

    /// Finds the candidate mentions of a sentence (they may overlap). `local`
    /// holds the names this document defines or derives, with their targets.
    pub fn candidates(&self, rules: &RuleSet, chars: &[char], text: &str, local: &LocalNames) -> Vec<Mention> {
        let fixed = self.fixed_candidates(rules, chars, text);
        self.candidates_with(rules, chars, text, &fixed, local)
    }

    /// The gazetteer's names in a text (leftmost-longest; Latin names only as
    /// whole words; an industry keeps a following 产业/行业).
    pub fn gazetteer_mentions(&self, chars: &[char], text: &str) -> Vec<Mention> {
        self.gazetteer_mentions_at(chars, &self.scan(text), &CharIndex::new(text))
    }

    /// One pass of the automaton over a sentence: see [`Scan`].
    pub fn scan(&self, text: &str) -> Scan {
        let mut scan = Scan { patterns: self.pattern_always, ..Scan::default() };
        self.scanner.each(text, |list, found| match list {
            List::Gazetteer => scan.gazetteer.push(found),
            List::Suffix => scan.suffixes.push(found),
            List::Title => scan.titles.push(found),
            List::Coref => scan.corefs.push(found),
            List::PostVerb => scan.post_verbs.push(found),
            List::PreVerb => scan.pre_verbs.push(found),
            List::Literal => scan.patterns |= self.literal_owners[found.2],
        });
        // the verbs in the order of their ends, the longer first
        for verbs in [&mut scan.post_verbs, &mut scan.pre_verbs] {
            verbs.sort_unstable_by_key(|&(s, e, i)| (e, std::cmp::Reverse(s), i));
        }
        scan.gazetteer = leftmost_longest_of(scan.gazetteer);
        if scan.suffixes.len() > 1 {
            let all = std::mem::take(&mut scan.suffixes);
            scan.suffixes = leftmost_longest_of(all.clone());
            if all.len() > scan.suffixes.len() {
                scan.suffix_later = all.into_iter().filter(|m| scan.suffixes.iter().any(|k| m.0 > k.0 && m.0 < k.1 && m.1 > k.1)).collect();
                scan.suffix_later.sort_unstable();
            }
        }
        scan.titles = leftmost_longest_of(scan.titles);
        scan.corefs = leftmost_longest_of(scan.corefs);
        scan
    }

    fn gazetteer_mentions_at(&self, chars: &[char], scan: &Scan, offsets: &CharIndex) -> Vec<Mention> {
        let surface = |s: usize, e: usize| chars[s..e].iter().collect::<String>();
        let mut out = Vec::new();
        for &(start, end, pattern) in &scan.gazetteer {
            let (s, e) = (offsets.char_at(start), offsets.char_at(end));
            // a Latin name is a whole word: LED is not in OLED
            if (chars[s].is_ascii_alphanumeric() && s > 0 && chars[s - 1].is_ascii_alphanumeric())
                || (chars[e - 1].is_ascii_alphanumeric() && e < chars.len() && chars[e].is_ascii_alphanumeric())
            {
                continue;
            }
            // a two-character name across two words is none: 大力+拓展 holds no 力拓,
            // 集中+粮食 no 中粮 (jieba's dictionary knows both words)
            if e - s == 2 && s > 0 && e < chars.len() && is_han(chars[s - 1]) && is_han(chars[e]) {
                let word = |a: usize| {
                    let mut buf = [0u8; 8];
                    let n = chars[a].encode_utf8(&mut buf).len();
                    let m = chars[a + 1].encode_utf8(&mut buf[n..]).len();
                    std::str::from_utf8(&buf[..n + m]).is_ok_and(|w| self.jieba().has_word(w))
                };
                if word(s - 1) && word(e - 1) {
                    continue;
                }
            }
            let (ty, canonical) = &self.gaz_targets[pattern];
            let mut end = e;
            if Some(*ty) == self.industry_ty {
                if let Some(suf) = self.industry_suffixes.iter().find(|suf| chars[e..].starts_with(suf)) {
                    end = e + suf.len();
                }
            }
            if Some(*ty) == self.product_ty {
                if let Some(start) = self.modified_product_start(chars, s) {
                    // a product of its own, named as written
                    let name = surface(start, end);
                    out.push(Mention { start, end, ty: *ty, surface: name.clone(), canonical: Some(name), source: Source::Gazetteer, defines: None });
                    continue;
                }
            }
            out.push(Mention { start: s, end, ty: *ty, surface: surface(s, end), canonical: Some(canonical.clone()), source: Source::Gazetteer, defines: None });
        }
        // a shared head: after an industry or product and a conjunction of
        // `naming.shared_head_conjunctions`, words that are no name alone but
        // one with the first conjunct before them name that (汽车及零部件:
        // 汽车, 汽车零部件); a word that is a name alone stays itself
        // (汽车及电子: 电子, not 汽车电子)
        let mut shared = Vec::new();
        for a in out.iter().filter(|m| m.source == Source::Gazetteer && (Some(m.ty) == self.industry_ty || Some(m.ty) == self.product_ty)) {
            let Some(conj) = self.shared_head_conjunctions.iter().filter(|w| chars[a.end..].starts_with(w)).map(Vec::len).max() else { continue };
            let at = a.end + conj;
            if out.iter().any(|k| k.start == at) {
                continue;
            }
            let head = surface(a.start, a.end);
            for len in (2..=6).rev() {
                if at + len > chars.len() || !chars[at..at + len].iter().all(|c| is_han(*c)) {
                    continue;
                }
                let part = surface(at, at + len);
                let Some(&i) = self.gaz_index.get(&format!("{head}{part}")) else { continue };
                let (ty, canonical) = &self.gaz_targets[i];
                if *ty == a.ty && !self.gaz_index.contains_key(&part) {
                    shared.push(Mention { start: at, end: at + len, ty: *ty, surface: part, canonical: Some(canonical.clone()), source: Source::Gazetteer, defines: None });
                    break;
                }
            }
        }
        out.extend(shared);
        // a place written right before a known company is part of how it is
        // named (与日本三洋电机株式会社签署, 美国苹果公司): a second reading of the
        // company takes the place in, so that the place stands in no slot next
        // to it; that reading yields to a name the document itself gives for
        // the same stretch (淄博海信 of 淄博海信电子有限公司)
        if self.company_ty.is_some() && self.region_ty.is_some() {
            let mut placed = Vec::new();
            for m in out.iter().filter(|m| Some(m.ty) == self.company_ty) {
                if let Some(p) = out.iter().find(|p| Some(p.ty) == self.region_ty && p.end == m.start) {
                    placed.push(Mention { start: p.start, surface: surface(p.start, m.end), source: Source::Placed, ..m.clone() });
                }
            }
            out.extend(placed);
        }
        out
    }

    /// Where a product name written at `s` starts with its modifier, if one
    /// stands before it (大尺寸电容屏; 中小尺寸（4～6英寸）电容式触摸屏).
    fn modified_product_start(&self, chars: &[char], s: usize) -> Option<usize> {
        let mut b = s;
        // a bracketed specification right before the name
        if s > 0 && matches!(chars[s - 1], '）' | ')') {
            let open = (s.saturating_sub(14)..s - 1).rev().find(|&i| matches!(chars[i], '（' | '('))?;
            b = open;
        }
        let m = self.product_modifiers.iter().find(|m| chars[..b].ends_with(m))?;
        Some(b - m.len())
    }

    /// The candidates that do not depend on the document's own names:
    /// gazetteer names (first) and context patterns, persons, coreference words.
    pub fn fixed_candidates(&self, rules: &RuleSet, chars: &[char], text: &str) -> FixedCandidates {
        self.fixed_candidates_at(rules, chars, text, CharIndex::new(text))
    }

    /// [`Recognizer::fixed_candidates`] with the text's byte → character offsets at hand.
    pub fn fixed_candidates_at(&self, rules: &RuleSet, chars: &[char], text: &str, offsets: CharIndex) -> FixedCandidates {
        let mut out = Vec::new();
        let surface = |s: usize, e: usize| chars[s..e].iter().collect::<String>();
        let scan = self.scan(text);
        let gazetteer = self.gazetteer_mentions_at(chars, &scan, &offsets);
        // context patterns, each only where its required text occurs
        let mut enc = crate::coded::Encoding::default();
        for (pi, (p, rx, _)) in rules.patterns.iter().enumerate() {
            if pi < 64 && scan.patterns & (1 << pi) == 0 {
                continue;
            }
            let codes = self.pattern_set.as_ref().filter(|_| rx.coded.is_some()).map(|set| set.codes(pi, text, &mut enc));
            if !rx.gate_passes(text, codes) {
                continue;
            }
            let matches = rx.captures(text, codes);
            let ty = rules.schema.type_index(&p.ty).expect("validated");
            for c in matches {
                // (start, end, a member of a list)
                let mut spans = Vec::new();
                if let Some(g) = c.name("name") {
                    let (s, e) = (offsets.char_at(g.start()), offsets.char_at(g.end()));
                    if p.whole {
                        let name = surface(s, e);
                        out.push(Mention { start: s, end: e, ty, surface: name.clone(), canonical: Some(name), source: Source::Name(p.id.clone()), defines: None });
                        continue;
                    }
                    spans.push((self.trim_left(chars, s, e), e, false));
                } else if let Some(g) = c.name("list") {
                    // every member of a list: 、 , ，与 和 及 separate them
                    static SEP: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
                    let sep = SEP.get_or_init(|| regex::Regex::new("、|,|，|与|和|及|以及").expect("static regex"));
                    let mut at = g.start();
                    for m in sep.find_iter(g.as_str()).map(|m| (m.start(), m.end())).chain(std::iter::once((g.len(), g.len()))) {
                        let (s, e) = (offsets.char_at(at), offsets.char_at(g.start() + m.0));
                        spans.push((self.trim_quantity(chars, s, e), e, true));
                        at = g.start() + m.1;
                    }
                }
                for (start, e, member) in spans {
                    // a list member is delimited already: a verb and a one-character
                    // head are one product word (掺混肥, 压缩机), and a verb after
                    // the member's first word is part of its name (分度开关); a
                    // member that opens with a verb is none
                    let e = if member && self.verb_and_head(chars, start, e) {
                        e
                    } else {
                        let cut = self.cut_at_verb(chars, start, e);
                        if member && cut > start { e } else { cut }
                    };
                    // a member that is a modifier alone (家用、商用空调: 家用) names nothing
                    if e < start + 2 || (member && self.product_modifiers.iter().any(|m| chars[start..e] == m[..])) {
                        continue;
                    }
                    let name = surface(start, e);
                    out.push(Mention { start, end: e, ty, surface: name.clone(), canonical: Some(name), source: Source::Name(p.id.clone()), defines: None });
                }
            }
        }
        // persons after a title or a verb of appointing
        if let Some(pty) = self.person_ty {
            for &(_, end, _) in scan.titles.iter().chain(&scan.pre_verbs) {
                let e = offsets.char_at(end);
                if let Some(len) = self.person_name_len(chars, e) {
                    let name = surface(e, e + len);
                    out.push(Mention { start: e, end: e + len, ty: pty, surface: name.clone(), canonical: Some(name), source: Source::Person, defines: None });
                }
            }
            // persons opening a clause before a verb of taking a post
            for &(start, _, _) in &scan.post_verbs {
                let at = offsets.char_at(start);
                let opens = |s: usize| s == 0 || matches!(chars[s - 1], '，' | '。' | '；' | '：' | '“' | ',' | ';' | ':' | ' ');
                // not across a known name (明年华为: 华为 is no part of a person 明年华)
                let free = |s: usize| !gazetteer.iter().any(|g| g.start < at && g.end > s);
                // only where a title follows in the clause (the post taken): 是 and 为
                // stand in most sentences, a post after them in few
                let title_after = scan.titles.iter().any(|&(ts, _, _)| {
                    let t = offsets.char_at(ts);
                    t > at && !chars[at..t].iter().any(|c| matches!(c, '，' | '。' | '；' | '！' | '？' | ',' | ';' | '!' | '?'))
                });
                if at >= 2 && title_after {
                    if let Some(s) = (at.saturating_sub(4)..=at - 2).find(|&s| opens(s) && free(s) && self.person_name_len(chars, s) == Some(at - s)) {
                        let name = surface(s, at);
                        out.push(Mention { start: s, end: at, ty: pty, surface: name.clone(), canonical: Some(name), source: Source::Person, defines: None });
                    }
                }
            }
        }
        // coreference and group words
        {
            for &(start, end, pattern) in &scan.corefs {
                let (s, e) = (offsets.char_at(start), offsets.char_at(end));
                let (source, ty) = match &self.coref_targets[pattern] {
                    CorefTarget::Coref { rule, types } => {
                        let r = &rules.corefs[*rule];
                        let after_ok = r.after.iter().any(|w| chars_end_with(&chars[..s], w));
                        if r.clause_start && s > 0 && !after_ok && !matches!(chars[s - 1], '，' | '：' | '；' | '“' | ',' | ':' | ';' | '"' | '。') {
                            continue;
                        }
                        let inside_word = r.not_in.iter().any(|w| {
                            let n = w.chars().count();
                            (s.saturating_sub(n)..=s).any(|b| b + n <= chars.len() && b + n >= e && chars_end_with(&chars[..b + n], w))
                        });
                        if inside_word {
                            continue;
                        }
                        (Source::Coref(r.id.clone()), types.trailing_zeros() as usize)
                    }
                    CorefTarget::Group { rule, .. } => (Source::Group(rules.groups[*rule].id.clone()), 0),
                };
                out.push(Mention { start: s, end: e, ty, surface: surface(s, e), canonical: None, source, defines: None });
            }
        }
        FixedCandidates { gazetteer, other: out, offsets, scan }
    }

    /// All candidates of a sentence: the fixed ones, the document's own names
    /// and the suffix names, which depend on both.
    pub fn candidates_with(&self, rules: &RuleSet, chars: &[char], text: &str, fixed: &FixedCandidates, local: &LocalNames) -> Vec<Mention> {
        let offsets = &fixed.offsets;
        let mut out = fixed.gazetteer.clone();
        let surface = |s: usize, e: usize| chars[s..e].iter().collect::<String>();
        // names the document defines or derives
        for (start, end, pattern) in local.find_all(text) {
            let (s, e) = (offsets.char_at(start), offsets.char_at(end));
            let (ty, canonical, source) = &local.targets[pattern];
            let source = source.clone();
            out.push(Mention { start: s, end: e, ty: *ty, surface: surface(s, e), canonical: Some(canonical.clone()), source, defines: None });
        }
        // suffix names, left to right so that a name can absorb the one before it
        // the names known so far (gazetteer, the document's own, suffix names to the left) are `out`;
        // where a suffix gives no name, one that overlaps it and ends later may
        // (亿光电子: 光电 leaves 亿, too short; 电子 gives 亿光电子)
        for &m in &fixed.scan.suffixes {
            let found = self.suffix_mention(rules, chars, fixed, m, &out).or_else(|| {
                fixed.scan.suffix_later.iter().filter(|l| l.0 > m.0 && l.0 < m.1).find_map(|&l| self.suffix_mention(rules, chars, fixed, l, &out))
            });
            if let Some(mention) = found {
                out.push(mention);
            }
        }
        // a person written between an organisation and a title (河南千里马集团
        // 戴灿勇董事长, 中国工程机械协会苏子孟秘书长), with no title in it (not
        // 董事兼总经理)
        if let Some(pty) = self.person_ty {
            let not_org = [Some(pty), self.region_ty, self.industry_ty, self.product_ty];
            let mut persons = Vec::new();
            for &(ts, _, _) in &fixed.scan.titles {
                let t = offsets.char_at(ts);
                let Some(s) = out.iter().filter(|k| !not_org.contains(&Some(k.ty)) && k.end + 2 <= t && t <= k.end + 4).map(|k| k.end).max() else { continue };
                let name = surface(s, t);
                let has_title = fixed.scan.titles.iter().any(|&(o, _, _)| (s..t).contains(&offsets.char_at(o)));
                // jieba reads it as a name, all of it (苏子/nr 孟/nr; not 易购/v,
                // 华东区/ns), and it ends in no unit of an organisation (宣传部,
                // tagged nr in jieba's dictionary)
                let read_as_name = self.jieba().tag(&name, true).iter().all(|w| w.tag == "nr");
                let unit = chars[t - 1..t].iter().any(|c| "部处室局厅委办司科组队所院会".contains(*c));
                if !has_title && !unit && read_as_name && self.person_name_len(chars, s) == Some(t - s) {
                    persons.push(Mention { start: s, end: t, ty: pty, surface: name.clone(), canonical: Some(name), source: Source::Person, defines: None });
                }
            }
            out.extend(persons);
        }
        out.extend(fixed.other.iter().cloned());
        out
    }

    /// The name a suffix match ends, scanning left from it, if it ends one.
    fn suffix_mention(&self, rules: &RuleSet, chars: &[char], fixed: &FixedCandidates, (start, end, pattern): (usize, usize, usize), out: &[Mention]) -> Option<Mention> {
        let offsets = &fixed.offsets;
        let surface = |s: usize, e: usize| chars[s..e].iter().collect::<String>();
        let (s, e) = (offsets.char_at(start), offsets.char_at(end));
        let rule_ix = self.suffix_targets[pattern];
        let rule = &rules.suffixes[rule_ix];
        // a suffix whose last character begins a title ends no name (科技局局长:
        // the second 局 is 局长's)
        if self.title_chars.any_prefix(&chars[e - 1..], |t| t.len() >= 2) {
            return None;
        }
        // a known name already covers the suffix (莱宝高科): nothing to scan
        // or one this kind of name cannot contain overlaps it (磷酸铁锂 in 磷酸铁锂业务)
        if out.iter().any(|k| k.start < e && k.end > s && !(k.start >= s && k.end <= e) && (k.start < s && k.end >= e || self.absorb[rule_ix] & (1 << k.ty) == 0)) {
            return None;
        }
        let ty = rules.schema.type_index(&rule.ty).expect("validated");
        // a branch (重庆分公司, 比亚迪分公司) is no company of its own but a part
        // of one, read as a department before a title
        let branch = chars[s..e].starts_with(&['分']);
        // a company named and then called 公司 right after (卓翼科技公司,
        // 通用汽车公司): the same company, 公司 written with its name — where
        // the suffix takes a company in only with more name (absorb_inner),
        // nothing else stands between
        if Some(ty) == self.company_ty && !branch && self.absorb_inner[rule_ix] & (1 << ty) != 0 {
            if let Some(k) = out.iter().filter(|k| k.end == s && k.ty == ty && k.start < s).max_by_key(|k| k.end - k.start) {
                let known = matches!(k.source, Source::Gazetteer | Source::Placed | Source::Defined | Source::Repeated | Source::Derived);
                // a place before a name the text builds takes part in it (美国OSI软件公司)
                let start = if known { k.start } else { out.iter().find(|p| p.end == k.start && Some(p.ty) == self.region_ty).map_or(k.start, |p| p.start) };
                let canonical = if known { k.canonical.clone() } else { Some(surface(start, e)) };
                return Some(Mention { start, end: e, ty, surface: surface(start, e), canonical, source: k.source.clone(), defines: None });
            }
        }
        let absorb = (self.absorb[rule_ix], self.absorb_inner[rule_ix]);
        let (mut start, mut core, mut absorbed) = self.scan_left(chars, s, e, rule, absorb, out)?;
        // a known name this kind of name takes in may end inside the suffix
        // (内蒙古自治区 + 区政府): where the scan would cut it, the suffix starts
        // after it and the scan at its end
        let mut s = s;
        if let Some(k) = out.iter().find(|k| k.start < start && start < k.end && k.end > s && k.end < e && absorb.0 & (1 << k.ty) != 0) {
            s = k.end;
            (start, core, absorbed) = self.scan_left(chars, s, e, rule, absorb, out)?;
        }
        let core_text: String = core.iter().collect();
        // a province's or city's own company may be named by its place and
        // business alone (广东省能源（集团）有限公司); without a place such a
        // name only describes one (投资管理有限公司)
        let place = out.iter().find(|k| k.start == start && Some(k.ty) == self.region_ty);
        let place_first = place.is_some();
        // a listed industry or product and the suffix alone name no company
        // (电子商务公司, 锂电池有限公司): they describe one; after a place they
        // name one (白俄罗斯钾肥公司, 美国钢铁公司)
        let only_fields_from = |mut at: usize| {
            let field = |k: &&Mention| k.source == Source::Gazetteer && (Some(k.ty) == self.industry_ty || Some(k.ty) == self.product_ty);
            while let Some(k) = out.iter().filter(field).find(|k| k.start == at && k.end <= s) {
                at = k.end;
            }
            at == s
        };
        let company = Some(ty) == self.company_ty;
        let fields_only = company && !place_first && only_fields_from(start);
        let place_and_fields = company && place.is_some_and(|p| p.end < s && only_fields_from(p.end));
        // after a place, a brand jieba does not know may be shorter
        // (丹麦 + 赫普 + 公司; 香港 + 上市 + 公司 is no name)
        let short_brand = place_first && core.len() >= 2 && !self.jieba().has_word(&core_text);
        // a known company and a place alone before the suffix name its
        // company there (格力 + 四川 + 公司, 神华 + 新疆 + 公司), one of its own,
        // unless it is a branch
        let owner = place.filter(|p| company && !branch && p.end == s).and_then(|p| out.iter().filter(|k| k.end == p.start && k.ty == ty).map(|k| k.start).min());
        let company_place = owner.is_some();
        let start = owner.unwrap_or(start);
        // a title right after the name says it is an organisation whatever
        // its brand reads as (东林电子副总经理, 东林 a dictionary word), and
        // a place with a trade word alone names one there (海南矿业总经理: the
        // trade of a place has no manager; 北京公司总经理 is a branch's)
        let title_follows = fixed.scan.titles.iter().any(|&(ts, _, _)| offsets.char_at(ts) == e);
        let place_titled = company
            && !branch
            && place_first
            && title_follows
            && place.is_some_and(|p| p.end == s)
            && !rules.naming.legal_suffixes.iter().any(|l| chars[s..e].iter().copied().eq(l.chars()));
        if fields_only
            || (core.len() < rule.min_core && !short_brand && !place_and_fields && !company_place && !place_titled)
            || s - start < rule.min_name
            || (!absorbed && rule.generic_cores.contains(&core_text))
            || (Some(ty) == self.company_ty && !place_first && self.only_business_words(&core_text))
            || (rule.require_absorbed && !absorbed)
        {
            return None;
        }
        let start = self.trim_leading_words(chars, start, s, out, rule)?;
        // …or a clause opens with it and goes on with what a company does
        // (龙蟠科技拟投资), or it follows a word that takes a company (收购巴莫科技,
        // 收购奔腾电器: a brand that reads as a verb too)
        let acts = Some(ty) == self.company_ty
            && (((start == 0 || "，。；：“、".contains(chars[start - 1])) && rules.naming.company_verbs.iter().any(|w| chars_start_with(&chars[e..], w)))
                || rules.naming.company_before.iter().any(|w| chars_end_with(&chars[..start], w)));
        if rule.no_verbs && !acts && self.has_verb_or_idiom(chars, start, s) {
            return None;
        }
        if rule.unknown_brand && (start >= s || (!title_follows && !acts && self.has_dictionary_word(&surface(start, s)))) {
            return None;
        }
        // Chinese words and the suffix right before a Latin name found by a
        // context pattern describe that company (澳大利亚品牌食品公司Manassen
        // Foods): one mention of it, named by the Latin name (not before an
        // acronym: 苹果公司CEO)
        let latin_name_after = (chars.get(e).is_some_and(char::is_ascii_uppercase) && chars.get(e + 1).is_some_and(char::is_ascii_lowercase))
            .then(|| fixed.other.iter().find(|k| k.start == e && k.ty == ty && matches!(k.source, Source::Name(_))))
            .flatten();
        if let Some(k) = latin_name_after.filter(|_| !chars[start..s].iter().any(char::is_ascii_alphabetic)) {
            return Some(Mention { start, end: k.end, ty, surface: surface(start, k.end), canonical: k.canonical.clone(), source: k.source.clone(), defines: None });
        }
        let name = surface(start, e);
        let mut canonical = name.clone();
        // a body of a known park (清远国家高新区管委会) is named after the park's canonical name
        if let Some(k) = out.iter().find(|k| k.start == start && k.end < e && Some(k.ty) == self.park_ty && ty != k.ty) {
            if let Some(c) = &k.canonical {
                canonical = format!("{c}{}", surface(k.end, e));
            }
        }
        Some(Mention { start, end: e, ty, surface: name, canonical: Some(canonical), source: Source::Name(rule.id.clone()), defines: None })
    }

    /// A name nothing recognised that is listed right after a company and
    /// closed by another company or a word that ends a list is a company too
    /// (与江铃集团新能源、国机智骏达成战略合作; 客户包括宁德时代、国机智骏、比亚迪).
    /// `ms` are a sentence's selected mentions, in order.
    pub fn add_list_members(&self, chars: &[char], ms: &mut Vec<Mention>) {
        for ty in [self.company_ty, self.industry_ty].into_iter().flatten() {
            self.add_list_members_of(chars, ms, ty);
        }
    }

    /// [`Recognizer::add_list_members`] for one type: companies (closed by
    /// the next company or a word that ends a list) and industries (only
    /// between two industries: 以锂电池、光电、半导体为主导).
    fn add_list_members_of(&self, chars: &[char], ms: &mut Vec<Mention>, ty: usize) {
        let company = self.company_ty == Some(ty);
        // the length of the longest of `words` at `at`
        let starts_with = |at: usize, words: &[Vec<char>]| words.iter().filter(|w| chars.len() >= at + w.len() && chars[at..at + w.len()] == w[..]).map(Vec::len).max();
        loop {
            let mut added = None;
            for (i, m) in ms.iter().enumerate() {
                if m.ty != ty {
                    continue;
                }
                let Some(sep) = starts_with(m.end, &self.list_separators) else { continue };
                let start = m.end + sep;
                let limit = ms.get(i + 1).map_or(chars.len(), |n| n.start);
                let mut end = start;
                while end < limit && end - start < 8 && is_name_char(chars[end]) && starts_with(end, &self.list_separators).is_none() && starts_with(end, &self.list_ends).is_none() {
                    end += 1;
                }
                if end - start < 2 || chars[start].is_ascii_digit() || (start + 1..=end).any(|p| self.stop_ends_at(chars, p)) {
                    continue;
                }
                // closed by the next member of the type (after a separator or 和/与)
                // or, for a company, by a word that ends a list
                let next_member = |at: usize| ms.get(i + 1).is_some_and(|n| n.start == at && n.ty == ty);
                let closed = match (starts_with(end, &self.list_separators), starts_with(end, &self.list_ends)) {
                    (Some(n), _) => next_member(end + n),
                    // 和/与 (words after which no subject stands) close it only before a company
                    (None, Some(n)) => next_member(end + n) || (company && !self.non_subject_before.iter().any(|w| chars[end..].starts_with(w))),
                    (None, None) => false,
                };
                if closed {
                    let name: String = chars[start..end].iter().collect();
                    added = Some((i + 1, Mention { start, end, ty, surface: name.clone(), canonical: Some(name), source: Source::Name("list-member".into()), defines: None }));
                    break;
                }
            }
            match added {
                Some((at, m)) => ms.insert(at, m),
                None => break,
            }
        }
    }

    /// The coreference rule or group behind a coreference mention's word.
    pub fn coref_target(&self, word: &str) -> Option<&CorefTarget> {
        self.coref_words.get(word).map(|&i| &self.coref_targets[i])
    }

    fn stop_ends_at(&self, chars: &[char], pos: usize) -> bool {
        self.stop_ends_at_except(chars, pos, &[])
    }

    fn stop_ends_at_except(&self, chars: &[char], pos: usize, keep: &[String]) -> bool {
        if pos == 0 {
            return false;
        }
        let Some(words) = self.stop_by_last.get(&chars[pos - 1]) else { return false };
        words.iter().any(|w| {
            pos >= w.len() && chars[pos - w.len()..pos] == w[..] && !keep.iter().any(|k| k.chars().eq(w.iter().copied()))
        })
    }

    /// Drops leading words that cannot begin a name (verbs, adverbs,
    /// prepositions… by jieba's POS tags): 升级国家高新区 → 国家高新区. None when
    /// what is left before the suffix is too short or generic, unless the rule
    /// names `registered` names (…有限公司): such a name is no generic
    /// description, its first word is a brand that reads as a verb (远航电池有限公司).
    fn trim_leading_words(&self, chars: &[char], start: usize, suffix_start: usize, known: &[Mention], rule: &crate::rules::SuffixRule) -> Option<usize> {
        if start >= suffix_start {
            return (rule.min_name == 0).then_some(start);
        }
        if known.iter().any(|k| k.start == start && k.end <= suffix_start) {
            return Some(start); // begins with a known name
        }
        let head: String = chars[start..suffix_start].iter().collect();
        let tags = self.jieba().tag(&head, true);
        // single characters stay: they are more often part of an unknown brand (安捷利)
        // and so do words jieba only guessed (not in its dictionary)
        let function_word = |t: &crate::segment::Word| t.end - t.start == 1 && t.tag.starts_with(['d', 'p', 'c', 'u', 'r', 'q', 'm']);
        let mut cut = 0usize;
        let mut cut_function_word = false;
        for t in &tags {
            let pos = t.tag.chars().next().unwrap_or('x');
            let function_word = function_word(t);
            if function_word || (t.end - t.start >= 2 && self.jieba().has_word(t.word) && matches!(pos, 'v' | 'd' | 'p' | 'c' | 'u' | 'r' | 'm' | 'q' | 'f' | 't' | 'a')) {
                cut = t.end;
                cut_function_word |= function_word;
            } else {
                break;
            }
        }
        if cut == 0 {
            return Some(start);
        }
        let rest: String = head.chars().skip(cut).collect();
        if rule.registered && !cut_function_word && (rule.generic_cores.contains(&rest) || self.only_business_words(&rest)) {
            return Some(start); // 远航 + 科技有限公司
        }
        if rule.generic_cores.contains(&rest) {
            return None; // 升级国家高新区: what is left is no name
        }
        if rest.chars().count() < rule.min_core.max(rule.min_name).max(2) {
            if cut_function_word {
                // a registered name keeps its brand after a leading adverb or
                // preposition, even one that reads as an adjective (真 + 明丽集团有限公司)
                if let Some(first) = tags.first().filter(|t| rule.registered && function_word(t)) {
                    if head.chars().count() - first.end >= rule.min_core.max(rule.min_name).max(2) {
                        return Some(start + first.end);
                    }
                }
                return None; // 个研发中心: a measure word and a suffix make no name
            }
            return Some(start); // too little left: the "verb" is part of an unknown brand (扎布耶锂业)
        }
        Some(start + cut)
    }

    /// Ends a context-found name before the first verb after its start
    /// (长客股份生产 → 长客股份).
    /// A name that starts with a verb or function word is none (子公司持有…).
    fn cut_at_verb(&self, chars: &[char], s: usize, e: usize) -> usize {
        let text: String = chars[s..e].iter().collect();
        for t in self.jieba().tag(&text, true) {
            let word = t.end - t.start >= 2 && self.jieba().has_word(t.word);
            let verb_or_number = t.tag.starts_with('v') && t.tag != "vn" || t.tag.starts_with('m');
            if t.start == 0 && word && (verb_or_number || t.tag.starts_with(['v', 'p', 'd', 'c', 'u', 'r'])) {
                return s;
            }
            if t.start > 0 && word && verb_or_number {
                return s + t.start;
            }
        }
        e
    }

    /// Whether a stretch is a dictionary verb followed by one character: the
    /// head of a compound noun (掺混+肥, 压缩+机, 净水+器).
    fn verb_and_head(&self, chars: &[char], s: usize, e: usize) -> bool {
        let text: String = chars[s..e].iter().collect();
        let tags = self.jieba().tag(&text, true);
        match tags.as_slice() {
            [v, head] => {
                v.tag.starts_with('v') && v.tag != "vn" && v.end - v.start >= 2 && self.jieba().has_word(v.word) && head.word.chars().count() == 1 && is_han(chars[e - 1])
            }
            _ => false,
        }
    }

    /// Whether jieba reads a word of two or more characters of its dictionary
    /// in `text` (大型 + 太阳能, 赛迪 + 顾问): what is left of an unknown brand
    /// is single characters and words jieba only guessed (卓翼, 勤上, 林洋).
    fn has_dictionary_word(&self, text: &str) -> bool {
        self.jieba().cut(text, true).iter().any(|w| w.chars().count() >= 2 && self.jieba().has_word(w))
    }

    /// Whether a stretch starts with a verb, adjective, adverb or function
    /// word, or holds an idiom, by jieba's tags (可提高, 做大做强); verbs later
    /// in a name are fine (武钢国际资源开发投资公司).
    fn has_verb_or_idiom(&self, chars: &[char], s: usize, e: usize) -> bool {
        let text: String = chars[s..e].iter().collect();
        let tags = self.jieba().tag(&text, true);
        let first = tags.first().is_some_and(|t| t.tag.starts_with(['v', 'a', 'd', 'p', 'c', 'u', 'r']) && t.tag != "vn");
        first || tags.iter().any(|t| t.tag.starts_with(['i', 'l']))
    }

    /// Drops leading quantity and degree words of a list member (少量掺混肥 → 掺混肥).
    fn trim_quantity(&self, chars: &[char], s: usize, e: usize) -> usize {
        let text: String = chars[s..e].iter().collect();
        let mut start = s;
        for t in self.jieba().tag(&text, true) {
            if t.end < e - s && (t.tag.starts_with(['m', 'q', 'd']) || crate::rules::QUANTITY_WORDS.contains(&t.word)) {
                start = s + t.end;
            } else {
                break;
            }
        }
        start
    }

    /// A core made of business words alone (科技发展, 投资管理) names no company.
    fn only_business_words(&self, core: &str) -> bool {
        let mut rest = core;
        while !rest.is_empty() {
            match self.business_words.iter().filter(|w| rest.ends_with(w.as_str())).max_by_key(|w| w.len()) {
                Some(w) => rest = &rest[..rest.len() - w.len()],
                None => return false,
            }
        }
        true
    }

    /// Moves the start of a pattern name right past boundary words.
    fn trim_left(&self, chars: &[char], s: usize, e: usize) -> usize {
        let mut best = s;
        for i in s..e {
            if self.stop_ends_at(chars, i) {
                best = i;
            }
        }
        best
    }

    /// Scans left from a suffix at `s..e` to the name's first character.
    /// Returns the start and the core (characters neither suffix nor absorbed).
    /// `absorb`: the types taken into the name, and those taken only with more
    /// of the name after them.
    /// Whether `chars` begins with a word of three or four characters of jieba's dictionary.
    fn opens_long_word(&self, chars: &[char]) -> bool {
        let mut w = String::new();
        chars.iter().take(4).enumerate().any(|(i, c)| {
            w.push(*c);
            i >= 2 && self.jieba().has_word(&w)
        })
    }

    fn scan_left(&self, chars: &[char], s: usize, e: usize, rule: &crate::rules::SuffixRule, (absorb, absorb_inner): (u32, u32), known: &[Mention]) -> Option<(usize, Vec<char>, bool)> {
        let max_len = rule.max_len;
        let mut pos = s;
        let mut core: Vec<char> = Vec::new();
        let mut absorbed = false;
        let mut after_region = false;
        loop {
            // (a name is never wider than it is long: most are far shorter)
            if e - pos >= max_len && name_width(&chars[pos..e]) >= max_len {
                // a name cut at the length limit in the middle of a word is no name
                if pos > 0 && is_name_char(chars[pos - 1]) && !self.stop_ends_at_except(chars, pos, &rule.keep) {
                    return None;
                }
                break;
            }
            // a known mention ending here: part of the name, or its left edge
            if let Some(k) = known.iter().filter(|k| k.end == pos && k.start < pos).max_by_key(|k| k.end - k.start) {
                // (华锐风电同希腊PPC电力公司: 同 joins two names)
                let inner = absorb_inner & (1 << k.ty) != 0 && !core.is_empty() && !self.non_subject_before.iter().any(|w| chars[pos..].starts_with(w));
                if absorb & (1 << k.ty) != 0 || inner {
                    // a name of an organisation inside the name is part of its core
                    // (元能科技 + （厦门）有限公司); places and industries are not
                    if Some(k.ty) != self.region_ty {
                        core.extend(chars[k.start..k.end].iter().rev());
                    }
                    absorbed = true;
                    pos = k.start;
                    after_region = Some(k.ty) == self.region_ty;
                    continue;
                }
                break;
            }
            // a place opens a name: left of it only another known name may follow
            // (有媒体报道宁夏财政厅 → 宁夏财政厅; 广东省 + 韶关市…); so it does
            // with a name after it for any rule (力拓获得澳大利亚 + Riversdale公司:
            // a verb and another company are no part of it)
            if after_region && (rule.place_first || (!core.is_empty() && core.iter().all(|c| c.is_ascii()))) {
                break;
            }
            // (同心动力企业 + 管理顾问有限公司: what follows 企业 names nothing alone)
            let generic_after = |w: &String| {
                let n = w.chars().count();
                pos >= n && chars[pos - n..pos].iter().copied().eq(w.chars()) && self.only_business_words(&chars[pos..s].iter().collect::<String>())
            };
            if pos == 0 || (self.stop_ends_at_except(chars, pos, &rule.keep) && !rule.keep_before_generic.iter().any(generic_after)) {
                break;
            }
            // in a registered name, a one-character stop word that opens a
            // word of three or four characters with the name after it is part
            // of the name (飞鹤 + 原生态牧业股份有限公司: 原 is "former" only
            // alone; 原料公司 stays cut, a department more often than a
            // company, and so does 子项目公司, no registered name)
            if rule.stop.iter().any(|w| chars_end_with(&chars[..pos], w) && !(rule.registered && w.chars().count() == 1 && self.opens_long_word(&chars[pos - 1..s.max(pos - 1)]))) {
                break;
            }
            // a kept boundary word (与 in 化学工程与技术学院) joins name parts, not two names
            if self.stop_ends_at(chars, pos) {
                let w = self.stop_by_last[&chars[pos - 1]].iter().filter(|w| pos >= w.len() && chars[pos - w.len()..pos] == w[..]).map(|w| w.len()).max().unwrap_or(1);
                // a business word of a registered name joins its brand, a
                // known name too (华创科技 + 控股有限公司)
                let business = rule.registered && self.business_words.iter().any(|b| chars[pos - w..pos].iter().copied().eq(b.chars()));
                if !business && known.iter().any(|k| k.end == pos - w) {
                    break;
                }
                // nor does it follow a verb or adverb (加强与…), unless it is a
                // business word of a registered name, whose brand may read as a
                // verb (联想 + 控股有限公司)
                let before: String = chars[(pos - w).saturating_sub(4)..pos - w].iter().collect();
                if !business && self.jieba().tag(&before, true).pop().is_none_or(|t| t.tag.starts_with(['v', 'd', 'p', 'c', 'a', 'u'])) {
                    break;
                }
            }
            let c = chars[pos - 1];
            if c == '）' || c == ')' {
                // a bracketed place inside a name: 安捷利电子科技（苏州）有限公司
                let open = if c == '）' { '（' } else { '(' };
                let from = pos.saturating_sub(12);
                let Some(o) = (from..pos - 1).rev().find(|&i| chars[i] == open) else { break };
                let inner: String = chars[o + 1..pos - 1].iter().collect();
                let is_place = known.iter().any(|k| k.start == o + 1 && k.end == pos - 1 && Some(k.ty) == self.region_ty)
                    || matches!(inner.as_str(), "集团" | "控股" | "股份" | "中国" | "香港")
                    || (inner.chars().count() <= 12 && inner.chars().all(|c| c.is_ascii_alphabetic() || c == ' '));
                if !is_place || o == 0 {
                    break;
                }
                pos = o;
                continue;
            }
            // a space between two Latin words of a name (Arrow Energy公司)
            if c == ' ' && pos >= 2 && chars[pos - 2].is_ascii_alphanumeric() && chars.get(pos).is_some_and(|n| n.is_ascii_uppercase()) {
                core.push(c);
                pos -= 1;
                continue;
            }
            if !is_name_char(c) {
                break;
            }
            // a count or amount is no part of a name: 17家行业协会, 三个研发中心,
            // 800万片电容屏, 300万电容屏
            let measure = |c: char| matches!(c, '家' | '个' | '项' | '批' | '位' | '名' | '座' | '只' | '台' | '款' | '种' | '片' | '辆' | '吨' | '套' | '块' | '组' | '件' | '颗' | '枚' | '张' | '条' | '部' | '架' | '艘');
            let numeral = |c: char| matches!(c, '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '两' | '几' | '数' | '百' | '千' | '万');
            if pos >= 2
                && ((measure(c) && (chars[pos - 2].is_ascii_digit() || numeral(chars[pos - 2]) || matches!(chars[pos - 2], '多' | '亿')))
                    || (matches!(c, '万' | '亿' | '千' | '百') && (chars[pos - 2].is_ascii_digit() || numeral(chars[pos - 2]))))
            {
                break;
            }
            core.push(c);
            pos -= 1;
        }
        core.reverse();
        // a name does not start with a digit or a measure word (5家…)
        while pos < s && chars[pos].is_ascii_digit() {
            pos += 1;
            if !core.is_empty() {
                core.remove(0);
            }
        }
        (pos < s || !core.is_empty() || pos < e).then_some((pos, core, absorbed))
    }

    /// The length of the person name starting at `at`, if one starts there.
    pub fn person_name_len(&self, chars: &[char], at: usize) -> Option<usize> {
        let rest = &chars[at.min(chars.len())..];
        // a transliterated name, its parts joined by a middle dot (史蒂夫·乔布斯, 蒂姆·库克)
        if let Some(n) = self.dotted_name_len(rest) {
            return Some(n);
        }
        self.chinese_name_len(chars, at)
    }

    /// A transliterated name: two to four parts of one to five Han characters
    /// joined by a middle dot, the last one followed by what follows names.
    fn dotted_name_len(&self, rest: &[char]) -> Option<usize> {
        let dot = |c: char| matches!(c, '·' | '•' | '・' | '‧');
        let first = rest.iter().take_while(|c| is_han(**c)).count();
        if !(1..=5).contains(&first) || !rest.get(first).is_some_and(|c| dot(*c)) {
            return None;
        }
        // the first part holds no title or word that follows names (董事局主席罗杰·史密斯
        // starts at 罗杰, 执行董事的艾伦·奥克斯利 at 艾伦)
        let inside = |words: &Lexicon| (0..first).any(|i| words.any_prefix(&rest[i..first], |_| true));
        if inside(&self.title_chars) || inside(&self.follow) {
            return None;
        }
        let mut end = first;
        for _ in 0..3 {
            if !rest.get(end).is_some_and(|c| dot(*c)) {
                break;
            }
            let part = rest[end + 1..].iter().take_while(|c| is_han(**c)).count();
            if part == 0 {
                return None;
            }
            // the last part ends where a word that follows names begins (乔布斯表示)
            let len = (1..=part.min(5)).find(|&k| {
                let after = &rest[end + 1 + k..];
                after.first().is_none_or(|c| !is_han(*c) || dot(*c)) || self.follow.any_prefix(after, |_| true) || self.title_chars.any_prefix(after, |_| true)
            })?;
            end += 1 + len;
        }
        Some(end)
    }

    fn chinese_name_len(&self, chars: &[char], at: usize) -> Option<usize> {
        let rest = &chars[at.min(chars.len())..];
        let surname_len = if self.compound_surnames.any_prefix(rest, |_| true) {
            2
        } else if rest.first().is_some_and(|c| self.surnames.contains(c)) {
            1
        } else {
            return None;
        };
        // a surname with a title or an address form for the given name (刘经理,
        // 徐总, 王先生) names nobody in full
        let given = &rest[surname_len..];
        if self.title_chars.any_prefix(given, |_| true) || self.address_forms.any_prefix(given, |_| true) {
            return None;
        }
        let followed = |n: usize| {
            n <= rest.len()
                && rest[..n].iter().all(|c| is_han(*c))
                && (n == rest.len()
                    || !is_han(rest[n])
                    || self.follow.any_prefix(&rest[n..], |_| true)
                    || self.title_chars.any_prefix(&rest[n..], |_| true))
        };
        // a name never contains the word that follows names (曾表示 is no
        // name), nor ends in one (王明和); a one-character one may stand
        // inside it (狄向东, 张为民)
        let contains_follow = |n: usize| (1..n).any(|i| self.follow.any_prefix(&rest[i..], |f| i + f.len() <= n && (f.len() > 1 || i + 1 == n)));
        // a surname that is also a word following names (向, 和, 于, 曾) starts no
        // name before a title (董事长和总经理) or a pronoun (负责人向本报透露);
        // 向文波说, 曾毓群表示 are names
        if surname_len == 1 && self.follow.any_prefix(rest, |f| f.len() == 1) {
            if self.title_chars.any_prefix(&rest[1..], |_| true) {
                return None;
            }
            let window: String = rest.iter().take(6).collect();
            let tags = self.jieba().tag(&window, true);
            if tags.first().is_some_and(|t| t.word.chars().count() == 1) && tags.get(1).is_some_and(|t| t.tag == "r") {
                return None;
            }
        }
        // a time word or a verb is no name (局长周二表示: on Tuesday;
        // 发言人公布: announced)
        let common_word = |n: usize| {
            let w: String = rest[..n.min(rest.len())].iter().collect();
            self.jieba().has_word(&w) && self.jieba().tag(&w, false).first().is_some_and(|t| t.word == w && (t.tag == "t" || t.tag == "v"))
        };
        for given in 1..=2 {
            if followed(surname_len + given) && !contains_follow(surname_len + given) && !common_word(surname_len + given) {
                return Some(surname_len + given);
            }
        }
        // jieba: a token tagged nr at the start of the rest
        let window: String = rest.iter().take(6).collect();
        let tags = self.jieba().tag(&window, true);
        let first = tags.first()?;
        let n = first.word.chars().count();
        (first.tag == "nr" && (surname_len + 1..=surname_len + 2).contains(&n) && !contains_follow(n)).then_some(n)
    }
}

fn jieba_tag(ty: &str) -> &'static str {
    match ty {
        "Region" => "ns",
        "Person" => "nr",
        "Company" | "Lab" | "University" | "Agency" | "Park" => "nt",
        _ => "nz",
    }
}

/// The candidates of a sentence that the document's own names do not change.
#[derive(Debug, Clone)]
pub struct FixedCandidates {
    pub gazetteer: Vec<Mention>,
    pub other: Vec<Mention>,
    /// The sentence's byte → character offsets, for the passes that follow.
    pub offsets: CharIndex,
    /// What the automaton found in the sentence (the suffixes are read later).
    pub scan: Scan,
}

/// Byte offset → character offset of a sentence.
#[derive(Debug, Clone)]
pub struct CharIndex {
    starts: Vec<usize>,
}

impl CharIndex {
    pub fn new(text: &str) -> CharIndex {
        let mut starts = Vec::with_capacity(text.chars().count() + 1);
        starts.extend(text.char_indices().map(|(b, _)| b));
        starts.push(text.len());
        CharIndex { starts }
    }
    /// From the byte offset of every character, followed by the text's length.
    pub fn from_starts(starts: Vec<usize>) -> CharIndex {
        CharIndex { starts }
    }
    pub fn char_at(&self, byte: usize) -> usize {
        self.starts.partition_point(|&b| b < byte)
    }
}

/// Names defined or derived in one document, matched like the gazetteer.
#[derive(Default)]
pub struct LocalNames {
    matcher: Option<LocalMatcher>,
    /// (type, canonical name, how the document gave the name)
    pub targets: Vec<(usize, String, Source)>,
}

/// A document has a few dozen names at most: a packed (Teddy) searcher builds
/// in microseconds where an Aho-Corasick automaton takes ten times as long,
/// and building one per document was 6% of a run. The automaton remains for
/// machines without the SIMD Teddy needs, and for long lists.
enum LocalMatcher {
    Packed(aho_corasick::packed::Searcher),
    Automaton(AhoCorasick),
}

impl LocalNames {
    pub fn new(names: Vec<(String, usize, String, Source)>) -> LocalNames {
        if names.is_empty() {
            return LocalNames::default();
        }
        let patterns: Vec<&str> = names.iter().map(|n| n.0.as_str()).collect();
        let packed = aho_corasick::packed::Config::new()
            .match_kind(aho_corasick::packed::MatchKind::LeftmostLongest)
            .builder()
            .extend(&patterns)
            .build();
        let matcher = match packed {
            Some(p) => LocalMatcher::Packed(p),
            None => LocalMatcher::Automaton(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
                    .build(&patterns)
                    .expect("aho-corasick over literal names"),
            ),
        };
        LocalNames { matcher: Some(matcher), targets: names.into_iter().map(|(_, t, c, d)| (t, c, d)).collect() }
    }

    /// Whether any of the names occurs in `text`.
    pub fn occurs_in(&self, text: &str) -> bool {
        match &self.matcher {
            None => false,
            Some(LocalMatcher::Packed(p)) => p.find(text).is_some(),
            Some(LocalMatcher::Automaton(a)) => a.is_match(text),
        }
    }

    /// The names in `text`, leftmost-longest: (byte start, byte end, index into `targets`).
    pub fn find_all(&self, text: &str) -> Vec<(usize, usize, usize)> {
        match &self.matcher {
            None => Vec::new(),
            Some(LocalMatcher::Packed(p)) => p.find_iter(text).map(|m| (m.start(), m.end(), m.pattern().as_usize())).collect(),
            Some(LocalMatcher::Automaton(a)) => a.find_iter(text).map(|m| (m.start(), m.end(), m.pattern().as_usize())).collect(),
        }
    }
}

/// Picks non-overlapping mentions: longer first, then by source, then leftmost.
pub fn select(mut cands: Vec<Mention>) -> Vec<Mention> {
    cands.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(a.source.priority().cmp(&b.source.priority()))
            .then(a.start.cmp(&b.start))
    });
    let mut taken: Vec<Mention> = Vec::new();
    for c in cands {
        if taken.iter().all(|t| c.end <= t.start || c.start >= t.end) {
            taken.push(c);
        }
    }
    taken.sort_by_key(|m| m.start);
    taken
}

/// Whether `chars` starts with the characters of `word`.
pub(crate) fn chars_start_with(chars: &[char], word: &str) -> bool {
    let mut it = chars.iter();
    word.chars().all(|c| it.next() == Some(&c))
}

/// Whether `chars` ends with the characters of `word` (no allocation: this
/// runs at every step of a left scan).
fn chars_end_with(chars: &[char], word: &str) -> bool {
    let mut rest = chars.iter().rev();
    word.chars().rev().all(|c| rest.next() == Some(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> LocalNames {
        LocalNames::new(list.iter().map(|n| (n.to_string(), 0, n.to_string(), Source::Defined)).collect())
    }

    proptest::proptest! {
        /// The one overlapping pass, cut down list by list, reports what a
        /// leftmost-longest automaton of each list would.
        #[test]
        fn one_overlapping_pass_equals_leftmost_longest_per_list(
            patterns in proptest::collection::vec("[甲乙丙丁]{1,4}", 1..12),
            text in "[甲乙丙丁，]{0,40}",
        ) {
            let ll = AhoCorasickBuilder::new().match_kind(MatchKind::LeftmostLongest).build(&patterns).unwrap();
            let expected: Vec<(usize, usize, usize)> = ll.find_iter(&text).map(|m| (m.start(), m.end(), m.pattern().as_usize())).collect();
            let scanner = Scanner::new([(List::Gazetteer, patterns.iter().map(String::as_str).collect())]);
            let mut all = Vec::new();
            scanner.each(&text, |_, m| all.push(m));
            let found = leftmost_longest_of(all);
            proptest::prop_assert_eq!(found, expected);
        }
    }

    /// A word in two lists is found for both, with its index in each.
    #[test]
    fn a_word_in_two_lists_is_found_for_both() {
        let scanner = Scanner::new([(List::Title, vec!["总经理", "董事长"]), (List::Coref, vec!["该公司"]), (List::Literal, vec!["", "董事长", "出任"])]);
        let mut found = Vec::new();
        scanner.each("该公司董事长出任", |list, m| found.push((list, m)));
        found.sort_unstable_by_key(|&(l, m)| (m, l as usize));
        assert_eq!(found, [(List::Coref, (0, 9, 0)), (List::Title, (9, 18, 1)), (List::Literal, (9, 18, 1)), (List::Literal, (18, 24, 2))]);
    }

    #[test]
    fn a_documents_names_are_found_leftmost_longest_with_few_or_many_names() {
        let text = "厦门海辰储能科技股份有限公司（以下简称海辰储能）与宁德时代签约，海辰储能董事长吴祖钰出席。";
        let few = ["海辰储能", "厦门海辰储能科技股份有限公司", "吴祖钰"];
        // hundreds of names: more than a packed searcher takes
        let mut many: Vec<String> = (0..400).map(|i| format!("不存在的公司{i}号")).collect();
        many.extend(few.iter().map(|s| s.to_string()));
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        for list in [&few[..], &many[..]] {
            let local = names(list);
            assert!(local.occurs_in(text));
            let found: Vec<&str> = local.find_all(text).into_iter().map(|(s, e, _)| &text[s..e]).collect();
            assert_eq!(found, ["厦门海辰储能科技股份有限公司", "海辰储能", "海辰储能", "吴祖钰"]);
            assert!(!local.occurs_in("宁德时代与比亚迪签约。"));
        }
        assert!(!LocalNames::default().occurs_in(text));
        assert!(LocalNames::default().find_all(text).is_empty());
    }
}
