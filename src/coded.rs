//! Rule regexes over one byte per character.
//!
//! A rule pattern is Chinese text, placeholders for mentions (private-use
//! characters) and gaps over large Unicode classes (`[^，。；！？：…]{0,12}?`).
//! Matched as UTF-8, every multi-byte character is a chain of DFA states, and
//! the lazy DFAs of the rules kept computing new states on the corpus (a
//! sixth of a run went to building them). Yet one rule only ever tells apart
//! a few dozen kinds of characters: each literal character of its pattern,
//! and the characters outside them by the classes they fall in. So each rule
//! gets its own alphabet of at most 256 codes, its regex is rewritten over
//! those codes (same structure, same groups, one byte per character), and a
//! sentence is encoded once per document into [`Alphabet`] classes shared by
//! all rules, then per rule through a table. A match's offsets are character
//! indices, turned back into byte offsets of the text ([`Caps`]).

use regex_automata::meta::Regex;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, Hir, HirKind, Look};
use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// A rule regex rewritten over the rule's own alphabet.
#[derive(Debug, Clone)]
pub struct Coded {
    /// Starts of the rule's character intervals, sorted, from 0.
    bounds: Vec<u32>,
    /// The code of each interval.
    codes: Vec<u8>,
    /// The pattern over codes.
    hir: Hir,
    exact: std::sync::OnceLock<Regex>,
    /// The relaxed form (see [`crate::rules::relaxed_hir`]), when it differs;
    /// it reports no groups.
    pub gate: Option<Regex>,
}

impl Coded {
    /// The rule's code for a character.
    pub fn code(&self, c: u32) -> u8 {
        self.codes[self.bounds.partition_point(|&b| b <= c) - 1]
    }

    /// `hir` over one byte per character, or None when the pattern needs
    /// more than 256 kinds of characters or an assertion other than ^ and $
    /// (the caller then matches it as UTF-8).
    pub fn new(hir: &Hir, relax: impl Fn(&Hir) -> Option<Hir>) -> Result<Option<Coded>, String> {
        let mut classes: Vec<Vec<(u32, u32)>> = Vec::new();
        let mut literals: Vec<u32> = Vec::new();
        if collect(hir, &mut classes, &mut literals).is_none() {
            return Ok(None);
        }
        literals.sort_unstable();
        literals.dedup();
        classes.sort();
        classes.dedup();
        let mut bounds: Vec<u32> = vec![0];
        for &l in &literals {
            bounds.extend([l, l + 1]);
        }
        for c in &classes {
            for &(s, e) in c {
                bounds.extend([s, e + 1]);
            }
        }
        bounds.sort_unstable();
        bounds.dedup();
        bounds.retain(|&b| b <= char::MAX as u32);
        // each interval's classes, as a bit set
        let words = classes.len().div_ceil(64);
        let mut member = vec![0u64; bounds.len() * words];
        for (k, c) in classes.iter().enumerate() {
            for &(s, e) in c {
                let mut i = bounds.partition_point(|&b| b < s);
                while i < bounds.len() && bounds[i] <= e {
                    member[i * words + k / 64] |= 1 << (k % 64);
                    i += 1;
                }
            }
        }
        // intervals that no literal singles out and that fall in the same classes share a code
        let mut code_of: FxHashMap<(Option<u32>, &[u64]), u8> = FxHashMap::default();
        let mut class_codes: Vec<Vec<u8>> = vec![Vec::new(); classes.len()];
        let mut literal_code: FxHashMap<u32, u8> = FxHashMap::default();
        let mut codes = Vec::with_capacity(bounds.len());
        for (i, &b) in bounds.iter().enumerate() {
            let literal = literals.binary_search(&b).ok().map(|_| b);
            let sig = &member[i * words..(i + 1) * words];
            let code = match code_of.get(&(literal, sig)) {
                Some(&c) => c,
                None => {
                    let Ok(c) = u8::try_from(code_of.len()) else { return Ok(None) };
                    code_of.insert((literal, sig), c);
                    for (k, codes) in class_codes.iter_mut().enumerate() {
                        if sig[k / 64] & (1 << (k % 64)) != 0 {
                            codes.push(c);
                        }
                    }
                    c
                }
            };
            if let Some(l) = literal {
                literal_code.insert(l, code);
            }
            codes.push(code);
        }
        let coded = emit(hir, &classes, &class_codes, &literal_code);
        // The exact regex is compiled on first need: behind a gate, a third
        // of the rules never meet a sentence their gate lets through.
        let gate = match relax(&coded) {
            Some(g) => Some(Regex::builder().configure(config().which_captures(WhichCaptures::None)).build_from_hir(&g).map_err(|e| e.to_string())?),
            None => None,
        };
        Ok(Some(Coded { bounds, codes, hir: coded, exact: std::sync::OnceLock::new(), gate }))
    }

    /// The regex over codes, with its groups.
    pub fn exact(&self) -> &Regex {
        self.exact.get_or_init(|| {
            // without a size limit, a syntax tree of literals, classes and ^ $
            // (all `collect` lets through) always compiles
            Regex::builder().configure(config().nfa_size_limit(None)).build_from_hir(&self.hir).unwrap_or_else(|e| panic!("a coded regex compiles: {e}"))
        })
    }
}

/// How coded regexes are built: from the syntax tree (no printing and
/// parsing again). The codes are bytes, not UTF-8, so an empty match may fall
/// anywhere. A coded search is short, and its groups are read only on a
/// match: no one-pass DFA, backtracker, literal prefilter or full DFA to
/// build.
fn config() -> regex_automata::meta::Config {
    Regex::config().utf8_empty(false).onepass(false).backtrack(false).auto_prefilter(false).dfa(false)
}

/// The literal characters and the classes of `h`; None for what has no
/// one-byte-per-character form.
fn collect(h: &Hir, classes: &mut Vec<Vec<(u32, u32)>>, literals: &mut Vec<u32>) -> Option<()> {
    match h.kind() {
        HirKind::Empty => {}
        HirKind::Literal(l) => literals.extend(std::str::from_utf8(&l.0).ok()?.chars().map(|c| c as u32)),
        HirKind::Class(Class::Unicode(c)) => classes.push(c.ranges().iter().map(|r| (r.start() as u32, r.end() as u32)).collect()),
        HirKind::Class(Class::Bytes(_)) => return None,
        HirKind::Look(l) => {
            if !matches!(l, Look::Start | Look::End) {
                return None;
            }
        }
        HirKind::Repetition(r) => collect(&r.sub, classes, literals)?,
        HirKind::Capture(c) => collect(&c.sub, classes, literals)?,
        HirKind::Concat(ps) | HirKind::Alternation(ps) => {
            for p in ps {
                collect(p, classes, literals)?;
            }
        }
    }
    Some(())
}

/// `h` with each literal character replaced by its code and each class by
/// the codes of the intervals inside it.
fn emit(h: &Hir, classes: &[Vec<(u32, u32)>], class_codes: &[Vec<u8>], literal_code: &FxHashMap<u32, u8>) -> Hir {
    let sub = |s: &Hir| Box::new(emit(s, classes, class_codes, literal_code));
    match h.kind() {
        HirKind::Literal(l) => Hir::literal(std::str::from_utf8(&l.0).expect("collected as UTF-8").chars().map(|c| literal_code[&(c as u32)]).collect::<Vec<u8>>()),
        HirKind::Class(Class::Unicode(c)) => {
            let ranges: Vec<(u32, u32)> = c.ranges().iter().map(|r| (r.start() as u32, r.end() as u32)).collect();
            let k = classes.binary_search(&ranges).expect("collected");
            Hir::class(Class::Bytes(ClassBytes::new(class_codes[k].iter().map(|&b| ClassBytesRange::new(b, b)))))
        }
        HirKind::Repetition(r) => {
            let mut r = r.clone();
            r.sub = sub(&r.sub);
            Hir::repetition(r)
        }
        HirKind::Capture(c) => {
            let mut c = c.clone();
            c.sub = sub(&c.sub);
            Hir::capture(c)
        }
        HirKind::Concat(ps) => Hir::concat(ps.iter().map(|p| *sub(p)).collect()),
        HirKind::Alternation(ps) => Hir::alternation(ps.iter().map(|p| *sub(p)).collect()),
        _ => h.clone(),
    }
}

/// The character intervals of all rules together: a sentence is encoded
/// into them once, and each rule reads its own codes off them by a table.
#[derive(Debug, Default)]
pub struct Alphabet {
    bounds: Vec<u32>,
    /// The interval of each character of the Basic Multilingual Plane.
    bmp: Vec<u16>,
}

impl Alphabet {
    /// The intervals of `rules` together, and each rule's table from them to
    /// its codes; None when there are more than 65,536 intervals.
    pub fn new(rules: &[&Coded]) -> Option<(Alphabet, Vec<Vec<u8>>)> {
        let mut bounds: Vec<u32> = rules.iter().flat_map(|r| r.bounds.iter().copied()).collect();
        bounds.push(0);
        bounds.sort_unstable();
        bounds.dedup();
        if bounds.len() > 1 << 16 {
            return None;
        }
        let mut bmp = vec![0u16; 1 << 16];
        for (i, &start) in bounds.iter().enumerate() {
            let end = bounds.get(i + 1).map_or(1 << 16, |&e| e.min(1 << 16));
            if start >= 1 << 16 {
                break;
            }
            bmp[start as usize..end as usize].fill(i as u16);
        }
        // each rule's code of each interval: both bound lists are sorted, so
        // one walk along them (not a search per interval)
        let tables = rules
            .iter()
            .map(|r| {
                let mut k = 0;
                bounds
                    .iter()
                    .map(|&b| {
                        while k + 1 < r.bounds.len() && r.bounds[k + 1] <= b {
                            k += 1;
                        }
                        r.codes[k]
                    })
                    .collect()
            })
            .collect();
        Some((Alphabet { bounds, bmp }, tables))
    }

    /// The interval of each character of `text`.
    pub fn encode(&self, text: &str, out: &mut Vec<u16>) {
        out.clear();
        out.extend(text.chars().map(|c| match self.bmp.get(c as usize) {
            Some(&i) => i,
            None => (self.bounds.partition_point(|&b| b <= c as u32) - 1) as u16,
        }));
    }
}

/// The coded regexes of a list (rules, context patterns) and the alphabet
/// they share: a text is encoded into intervals once, then into each
/// regex's codes by its table.
#[derive(Debug)]
pub struct CodedSet {
    alphabet: Alphabet,
    /// Per item of the list, its table (empty for one without a coded form).
    tables: Vec<Vec<u8>>,
}

/// A text's intervals, computed on first need (see [`CodedSet::codes`]).
#[derive(Debug, Default)]
pub struct Encoding {
    intervals: Vec<u16>,
    encoded: bool,
    codes: Vec<u8>,
}

impl Encoding {
    /// Forgets the text: the next [`CodedSet::codes`] encodes a new one.
    pub fn clear(&mut self) {
        self.encoded = false;
    }
}

impl CodedSet {
    /// For a list whose items may have a coded form; None when no item has
    /// or the alphabet would be too large.
    pub fn new<'a>(items: impl IntoIterator<Item = Option<&'a Coded>>) -> Option<CodedSet> {
        let items: Vec<Option<&Coded>> = items.into_iter().collect();
        let coded: Vec<&Coded> = items.iter().flatten().copied().collect();
        if coded.is_empty() {
            return None;
        }
        let (alphabet, tables) = Alphabet::new(&coded)?;
        let mut tables = tables.into_iter();
        let tables = items.iter().map(|c| if c.is_some() { tables.next().expect("one per coded item") } else { Vec::new() }).collect();
        Some(CodedSet { alphabet, tables })
    }

    /// `text` in the codes of item `i` (which has a coded form); the text is
    /// encoded the first time after [`Encoding::clear`].
    pub fn codes<'e>(&self, i: usize, text: &str, enc: &'e mut Encoding) -> &'e [u8] {
        if !enc.encoded {
            self.alphabet.encode(text, &mut enc.intervals);
            enc.encoded = true;
        }
        let table = &self.tables[i];
        enc.codes.clear();
        enc.codes.extend(enc.intervals.iter().map(|&k| table[k as usize]));
        &enc.codes
    }
}

/// A pattern as extraction matches it: its coded form where it has one,
/// else the regex over the text behind its relaxed gate; with its groups by
/// name. Rules and context patterns are both matched through one.
#[derive(Debug, Clone)]
pub struct Matcher {
    pattern: String,
    /// The regex over the text: compiled at once for a pattern without a
    /// coded form, else on first use (explain, tests).
    text: std::sync::OnceLock<regex::Regex>,
    /// For a pattern without a coded form: its relaxed regex over the text
    /// (see [`crate::rules::relaxed`]), tried first.
    text_gate: Option<regex::Regex>,
    pub coded: Option<Coded>,
    pub groups: HashMap<String, usize>,
    /// The words one of which every match holds (see [`crate::rules::required_literals`]).
    pub literals: Option<Vec<String>>,
}

impl Matcher {
    /// The matcher of `pattern`, parsed as `hir`; an error says why a regex
    /// does not compile.
    pub fn new(hir: &Hir, pattern: String) -> Result<Matcher, String> {
        let relax = crate::rules::relaxed_hir;
        let coded = Coded::new(hir, relax)?;
        let text = std::sync::OnceLock::new();
        let (text_gate, groups) = match &coded {
            Some(c) => (None, c.group_names()),
            None => {
                let r = regex::Regex::new(&pattern).map_err(|e| e.to_string())?;
                let groups = group_names(r.capture_names());
                let _ = text.set(r);
                (relax(hir).and_then(|g| regex::Regex::new(&g.to_string()).ok()), groups)
            }
        };
        Ok(Matcher { pattern, text, text_gate, coded, groups, literals: crate::rules::required_literals_of(hir) })
    }

    /// The pattern as a regex over the text, in regex syntax.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The regex over the text. The pattern parsed when the matcher was made
    /// and its coded form compiled, so only the size limit could refuse it
    /// here; it is lifted.
    pub fn text_regex(&self) -> &regex::Regex {
        self.text.get_or_init(|| regex::RegexBuilder::new(&self.pattern).size_limit(1 << 30).build().unwrap_or_else(|e| panic!("a pattern parsed before: {e}")))
    }

    /// The relaxed regex over the text of a pattern without a coded form.
    pub fn text_gate(&self) -> Option<&regex::Regex> {
        self.text_gate.as_ref()
    }

    /// Whether the relaxed form lets `text` through; `codes` are `text` in
    /// the coded form's codes when the caller has them at hand (see
    /// [`CodedSet::codes`]).
    pub fn gate_passes(&self, text: &str, codes: Option<&[u8]>) -> bool {
        match &self.coded {
            Some(c) => c.gate.as_ref().is_none_or(|g| g.is_match(&*self.codes_of(c, text, codes))),
            None => self.text_gate.as_ref().is_none_or(|g| g.is_match(text)),
        }
    }

    /// Whether the pattern matches `text` (its gate first).
    pub fn is_match(&self, text: &str, codes: Option<&[u8]>) -> bool {
        match &self.coded {
            Some(c) => c.is_match(&self.codes_of(c, text, codes)),
            None => self.gate_passes(text, None) && self.text_regex().is_match(text),
        }
    }

    /// The matches on `text`, leftmost first.
    pub fn captures<'t>(&'t self, text: &'t str, codes: Option<&[u8]>) -> Vec<Caps<'t>> {
        match &self.coded {
            Some(c) => Caps::coded(c.exact(), &self.groups, text, &self.codes_of(c, text, codes)),
            None => Caps::utf8(self.text_regex(), &self.groups, text),
        }
    }

    fn codes_of<'a>(&self, c: &Coded, text: &str, codes: Option<&'a [u8]>) -> std::borrow::Cow<'a, [u8]> {
        match codes {
            Some(codes) => std::borrow::Cow::Borrowed(codes),
            None => std::borrow::Cow::Owned(text.chars().map(|ch| c.code(ch as u32)).collect()),
        }
    }
}

/// One match's groups as byte offsets of the text, from either engine.
pub struct Caps<'t> {
    text: &'t str,
    groups: Vec<Option<(usize, usize)>>,
    names: &'t HashMap<String, usize>,
}

/// A group of a match: byte offsets of the text.
#[derive(Debug, Clone, Copy)]
pub struct Span<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

impl<'t> Span<'t> {
    pub fn start(&self) -> usize {
        self.start
    }
    pub fn end(&self) -> usize {
        self.end
    }
    pub fn as_str(&self) -> &'t str {
        &self.text[self.start..self.end]
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

impl<'t> Caps<'t> {
    pub fn get(&self, i: usize) -> Option<Span<'t>> {
        self.groups.get(i).copied().flatten().map(|(start, end)| Span { text: self.text, start, end })
    }
    pub fn name(&self, name: &str) -> Option<Span<'t>> {
        self.names.get(name).and_then(|&i| self.get(i))
    }

    /// The matches of a coded regex on `codes` (one byte per character of
    /// `text`), with offsets turned back into bytes of `text`.
    pub fn coded(regex: &Regex, names: &'t HashMap<String, usize>, text: &'t str, codes: &[u8]) -> Vec<Caps<'t>> {
        let mut byte_at: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        byte_at.push(text.len());
        regex
            .captures_iter(codes)
            .map(|c| Caps { text, groups: (0..c.group_len()).map(|i| c.get_group(i).map(|m| (byte_at[m.start], byte_at[m.end]))).collect(), names })
            .collect()
    }

    /// The matches of a regex on `text`.
    pub fn utf8(regex: &regex::Regex, names: &'t HashMap<String, usize>, text: &'t str) -> Vec<Caps<'t>> {
        regex.captures_iter(text).map(|c| Caps { text, groups: (0..c.len()).map(|i| c.get(i).map(|m| (m.start(), m.end()))).collect(), names }).collect()
    }
}

/// The group names of a regex and their indices.
pub fn group_names<'a>(names: impl Iterator<Item = Option<&'a str>>) -> HashMap<String, usize> {
    names.enumerate().filter_map(|(i, n)| n.map(|n| (n.to_string(), i))).collect()
}

impl Coded {
    /// The group names of the pattern and their indices.
    pub fn group_names(&self) -> HashMap<String, usize> {
        fn walk(h: &Hir, out: &mut HashMap<String, usize>) {
            match h.kind() {
                HirKind::Capture(c) => {
                    if let Some(n) = &c.name {
                        out.insert(n.to_string(), c.index as usize);
                    }
                    walk(&c.sub, out);
                }
                HirKind::Repetition(r) => walk(&r.sub, out),
                HirKind::Concat(ps) | HirKind::Alternation(ps) => ps.iter().for_each(|p| walk(p, out)),
                _ => {}
            }
        }
        let mut out = HashMap::new();
        walk(&self.hir, &mut out);
        out
    }

    /// Whether the regex matches `codes` (the gate first, if any).
    pub fn is_match(&self, codes: &[u8]) -> bool {
        self.gate.as_ref().is_none_or(|g| g.is_match(codes)) && self.exact().is_match(codes)
    }
}
