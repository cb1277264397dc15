//! One document through the pipeline: sentences → mentions → entities
//! (abbreviations, short names, coreference) → triples with evidence.

use crate::corpus::Document;
use crate::mentions::{CharIndex, CorefTarget, LocalNames, Mention, Recognizer, Source};
use crate::rules::{CompiledRule, Resolve, RuleSet};
use crate::text::{normalize, Sentence};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};

/// An entity: its type and canonical name. Ids are derived from both, so the
/// same entity gets the same id in every document, shard and run.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct EntityKey {
    pub ty: usize,
    pub name: String,
}

/// Where a triple was read: document, sentence, character span, rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Evidence {
    pub doc: String,
    pub sentence: usize,
    /// Character offsets into the document text, end exclusive.
    pub start: usize,
    pub end: usize,
    pub rule: String,
    pub text: String,
    /// The post, for executive_of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Triple {
    pub subject: EntityKey,
    pub predicate: usize,
    pub object: EntityKey,
    pub role: Option<String>,
    pub evidence: Evidence,
}

/// A mention with the entities it stands for (several for 双方).
#[derive(Debug, Clone)]
pub struct Resolved {
    pub mention: Mention,
    pub entities: Vec<EntityKey>,
    /// Further names of the entity this mention shows (清远高新区管委会 for 管委会).
    pub also: Vec<String>,
}

/// A sentence with its mentions and the rewritten text the rules run on.
#[derive(Debug, Clone)]
pub struct AnalyzedSentence {
    pub sentence: Sentence,
    pub mentions: Vec<Resolved>,
    /// The sentence with every mention replaced by its type's placeholder.
    pub rewritten: String,
    /// Byte offset in `rewritten` of each mention's placeholder.
    placeholder_at: Vec<usize>,
    /// For each character of `rewritten`, its character offset in the sentence (plus the end).
    rw_to_sentence: Vec<usize>,
    /// The sentence's characters.
    pub chars: Vec<char>,
    /// Byte → character offsets of `rewritten`.
    rw_index: CharIndex,
}

/// What one document yields.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct DocResult {
    pub doc: String,
    pub sentences: usize,
    /// Every entity mentioned, with the names it was written as.
    pub entities: BTreeMap<EntityKey, BTreeSet<String>>,
    pub triples: Vec<Triple>,
}

/// The relation rules compiled for matching, with a RegexSet that tells which
/// rules can fire on a sentence at all.
pub struct Extractor<'r> {
    pub rules: &'r RuleSet,
    pub recognizer: Recognizer,
    /// For each rule: the type masks its subject and object need (0 for a topic).
    needs: Vec<[u32; 2]>,
    /// Literals some rule cannot match without, and which rules need each.
    /// (a double-array automaton over characters, as the recognizer's)
    literals: Option<daachorse::CharwiseDoubleArrayAhoCorasick<u32>>,
    /// The coded rules' shared alphabet.
    coded: Option<crate::coded::CodedSet>,
    literal_rules: Vec<Vec<usize>>,
    /// Rules with no required literal: always tried.
    unfiltered: Vec<usize>,
    definition: Regex,
    parties: Regex,
    org_types: u32,
    /// Types of mentions that stand in a modifier before a subject
    /// (手握稀土矿源的X: 稀土 does not make X an object).
    modifier_types: u32,
    region_ty: Option<usize>,
    non_subject_before: Vec<Vec<char>>,
}

const MAX_TOPIC_LOOKBACK: usize = 3;

impl<'r> Extractor<'r> {
    pub fn new(rules: &'r RuleSet) -> Extractor<'r> {
        let schema = &rules.schema;
        // a rule can only match a sentence that has mentions of its subject's and object's types
        let needs = rules
            .rules
            .iter()
            .map(|r| {
                let need = |slot: &str| r.slots.get(slot).map_or(0, |s| if s.topic { 0 } else { s.types });
                [need(&r.def.subject), need(&r.def.object)]
            })
            .collect();
        let mut lits: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut unfiltered = Vec::new();
        for (i, r) in rules.rules.iter().enumerate() {
            // (an empty literal would be found everywhere: no filter)
            match r.matcher.literals.clone().filter(|set| !set.iter().any(String::is_empty)) {
                Some(set) => {
                    for l in set {
                        lits.entry(l).or_default().push(i);
                    }
                }
                None => unfiltered.push(i),
            }
        }
        let literal_list: Vec<String> = lits.keys().cloned().collect();
        let literals = (!literal_list.is_empty()).then(|| {
            daachorse::CharwiseDoubleArrayAhoCorasickBuilder::new()
                .build_with_values(literal_list.iter().enumerate().map(|(i, l)| (l, i as u32)))
                .expect("distinct non-empty literals, fewer than 2^24")
        });
        let literal_rules: Vec<Vec<usize>> = lits.into_values().collect();
        let mut org_types = 0u32;
        for t in ["Company", "Lab", "University", "Agency", "Park"] {
            if let Some(i) = schema.type_index(t) {
                org_types |= 1 << i;
            }
        }
        let modifier_types = ["Industry", "Product"].iter().filter_map(|t| schema.type_index(t)).fold(0u32, |m, i| m | 1 << i);
        let org: String = (0..schema.types.len()).filter(|i| org_types & (1 << i) != 0).map(|i| schema.placeholder(i)).collect();
        let parties = Regex::new(&format!(
            "([{org}])[^，。；：\u{E000}-\u{E0FF}]{{0,6}}?(?:与|和|同)((?:[{org}])(?:(?:、|和|与|及)[{org}])*)"
        ))
        .expect("static regex");
        // the recognizer (its automata, jieba's names) beside the rules' shared
        // alphabet, on the current rayon pool (one thread: one after the other)
        let (recognizer, coded) = rayon::join(|| Recognizer::new(rules), || crate::coded::CodedSet::new(rules.rules.iter().map(|r| r.matcher.coded.as_ref())));
        Extractor {
            rules,
            coded,
            recognizer,
            needs,
            literals,
            literal_rules,
            unfiltered,
            definition: Regex::new(r#"^[（(](?:以下)?(?:简称|下称|以下称)[：:]?[“"「]?([^”"」）)，,]{1,20}?)[”"」]?[）)]"#).expect("static regex"),
            parties,
            org_types,
            modifier_types,
            region_ty: schema.type_index("Region"),

            non_subject_before: rules.naming.non_subject_before.iter().map(|w| w.chars().collect()).collect(),
        }
    }

    /// Analyses a document: its sentences with resolved mentions.
    pub fn analyze(&self, doc: &Document) -> Vec<AnalyzedSentence> {
        let text = normalize(&doc.text);
        let offsets = crate::text::CharOffsets::of(&text);
        let sentences = crate::text::split_sentences_of(&text, &offsets);
        let crate::text::CharOffsets { chars: doc_chars, bytes: doc_bytes } = offsets;
        let schema = &self.rules.schema;
        let company = schema.type_index("Company");
        let person = schema.type_index("Person");

        // pass 1: mentions without document-local names → definitions, legal names, persons
        let empty = LocalNames::default();
        let mut firsts: Vec<Vec<Mention>> = Vec::with_capacity(sentences.len());
        let mut fixed: Vec<crate::mentions::FixedCandidates> = Vec::with_capacity(sentences.len());
        for s in &sentences {
            let chars = &doc_chars[s.start..s.end];
            let base = doc_bytes[s.start];
            let index = CharIndex::from_starts(doc_bytes[s.start..=s.end].iter().map(|b| b - base).collect());
            let f = self.recognizer.fixed_candidates_at(self.rules, chars, &s.text, index);
            let mut ms = crate::mentions::select(self.recognizer.candidates_with(self.rules, chars, &s.text, &f, &empty));
            self.recognizer.add_list_members(chars, &mut ms);
            fixed.push(f);
            self.attach_definitions(chars, &mut ms);
            firsts.push(ms);
        }
        let mut local: Vec<(String, usize, String, Source)> = Vec::new();
        let mut derived: BTreeMap<String, (usize, String, bool)> = BTreeMap::new(); // alias → (ty, canonical, exact)
        let mut conflicted: BTreeSet<String> = BTreeSet::new();
        for (s, ms) in sentences.iter().zip(&firsts) {
            for m in ms {
                let Some(canonical) = &m.canonical else { continue };
                if let Some(alias) = &m.defines {
                    local.push((alias.clone(), m.ty, canonical.clone(), Source::Defined));
                }
                // a person, or an organisation found by its suffix or context:
                // the same name elsewhere in the document is the same entity
                if Some(m.ty) == person || (matches!(m.source, Source::Name(_)) && self.org_types & (1 << m.ty) != 0) {
                    local.push((m.surface.clone(), m.ty, canonical.clone(), Source::Repeated));
                }
                // a park or institution named with its place is the same without it
                // (厦门同翔高新城 / 同翔高新城)
                if Some(m.ty) != company && matches!(m.source, Source::Name(_)) && self.org_types & (1 << m.ty) != 0 {
                    if let Some(r) = self.region_prefix(&m.surface) {
                        let rest = &m.surface[r.len()..];
                        if rest.chars().count() >= 4 {
                            local.push((rest.to_string(), m.ty, canonical.clone(), Source::Repeated));
                        }
                    }
                }
                if Some(m.ty) == company && matches!(m.source, Source::Name(_)) {
                    let first_at = s.start + m.start;
                    for (alias, exact, own) in self.short_names(canonical) {
                        let target = if own && occurs_before(&doc_chars, &alias, first_at) {
                            alias.clone()
                        } else {
                            canonical.clone()
                        };
                        match derived.get(&alias) {
                            Some((_, c, e)) if c != &target => {
                                if *e == exact {
                                    conflicted.insert(alias.clone());
                                } else if exact {
                                    derived.insert(alias, (m.ty, target, exact));
                                }
                            }
                            Some(_) => {}
                            None => {
                                derived.insert(alias, (m.ty, target, exact));
                            }
                        }
                    }
                }
            }
        }
        // a short name that stands for its own entity (新日电动车 before 湖北新日电动车有限公司)
        // takes the shorter names derived with it (新日)
        let own: BTreeMap<String, String> =
            derived.iter().filter(|(a, (_, c, _))| *a == c).map(|(a, _)| (a.clone(), a.clone())).collect();
        for (alias, (ty, target, _)) in &derived {
            if conflicted.contains(alias) {
                continue;
            }
            let target = own.keys().find(|o| o.starts_with(alias.as_str()) && *o != alias && !own.contains_key(alias)).cloned().unwrap_or(target.clone());
            local.push((alias.clone(), *ty, target, Source::Derived));
        }
        // one target per name: what the document defines (以下简称X) before what
        // a pattern found (CASTEL中国区总经理); a name found bare (飞利浦 in a list)
        // after the same name as the short form of a fuller one (飞利浦公司); then
        // the first in sort order
        let rank = |(name, _, canonical, source): &(String, usize, String, Source)| match source {
            Source::Defined => 0,
            Source::Repeated if name == canonical => 2,
            _ => 1,
        };
        local.sort_by(|a, b| (&a.0, rank(a), a.1, &a.2).cmp(&(&b.0, rank(b), b.1, &b.2)));
        local.dedup_by(|a, b| a.0 == b.0);
        let local = LocalNames::new(local);

        // pass 2: all mentions, then resolution in reading order
        let mut out: Vec<AnalyzedSentence> = Vec::with_capacity(sentences.len());
        let mut parties: Vec<EntityKey> = Vec::new();
        for ((s, f), first) in sentences.into_iter().zip(&fixed).zip(firsts) {
            let chars = &doc_chars[s.start..s.end];
            // without any of the document's own names in it, a sentence reads as in pass 1
            let mut ms = if local.occurs_in(&s.text) {
                let mut ms = crate::mentions::select(self.recognizer.candidates_with(self.rules, chars, &s.text, f, &local));
                self.attach_definitions(chars, &mut ms);
                ms
            } else {
                first
            };
            drop_appositive_corefs(chars, &mut ms, &self.rules.corefs);
            let mut resolved: Vec<Resolved> = Vec::with_capacity(ms.len());
            for m in ms {
                let mut also = Vec::new();
                let entities = match &m.source {
                    Source::Coref(_) | Source::Group(_) => self.resolve_coref(&m, chars, &resolved, &out, &parties, &mut also),
                    _ => vec![EntityKey { ty: m.ty, name: m.canonical.clone().unwrap_or_else(|| m.surface.clone()) }],
                };
                if entities.is_empty() {
                    continue; // a coreference word with nothing to refer to
                }
                let mut m = m;
                m.ty = entities[0].ty;
                resolved.push(Resolved { mention: m, entities, also });
            }
            let analyzed = rewrite(s, chars, resolved, schema);
            if let Some(p) = self.parties_of(&analyzed) {
                parties = p;
            }
            out.push(analyzed);
        }
        out
    }

    /// Extends a name followed by （以下简称X） over the definition and records X.
    fn attach_definitions(&self, chars: &[char], ms: &mut Vec<Mention>) {
        let mut i = 0;
        while i < ms.len() {
            let end = ms[i].end;
            if !matches!(chars.get(end), Some('（') | Some('(')) {
                i += 1;
                continue;
            }
            let rest: String = chars[end..].iter().take(30).collect();
            if let Some(c) = self.definition.captures(&rest) {
                let alias = c[1].trim().to_string();
                let len = c[0].chars().count();
                if !alias.is_empty() && ms[i].canonical.is_some() {
                    ms[i].defines = Some(alias);
                    ms[i].end = end + len;
                    // mentions inside the definition are the alias itself
                    let new_end = ms[i].end;
                    let keep: Vec<bool> = ms.iter().enumerate().map(|(j, m)| j == i || m.start >= new_end || m.end <= end).collect();
                    let mut k = 0;
                    ms.retain(|_| {
                        k += 1;
                        keep[k - 1]
                    });
                }
            }
            i += 1;
        }
    }

    /// Short names derived from a legal company name: without the legal form
    /// (and region prefix), without the business words. Returns (alias, exact,
    /// may-be-its-own-entity): `exact` when nothing but the legal form was cut.
    pub fn short_names(&self, legal: &str) -> Vec<(String, bool, bool)> {
        let naming = &self.rules.naming;
        let Some(suffix) = naming.legal_suffixes.iter().filter(|s| legal.ends_with(s.as_str())).max_by_key(|s| s.len()) else {
            return Vec::new();
        };
        let mut base = legal[..legal.len() - suffix.len()].to_string();
        // a bracketed place inside the name: 元能科技（厦门）有限公司
        static BRACKET: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
        let bracket = BRACKET.get_or_init(|| Regex::new(r"[（(][^）)]{1,8}[）)]$").expect("static regex"));
        let bracketed = bracket.is_match(&base);
        base = bracket.replace(&base, "").into_owned();
        let region = self.region_prefix(&base);
        let core = match &region {
            Some(r) => base[r.len()..].to_string(),
            None => base.clone(),
        };
        let strip_business = |s: &str| -> Option<String> {
            naming
                .business_words
                .iter()
                .filter(|w| s.ends_with(w.as_str()) && s.chars().count() - w.chars().count() >= 2)
                .max_by_key(|w| w.len())
                .map(|w| s[..s.len() - w.len()].to_string())
        };
        let mut out = Vec::new();
        let exact = region.is_none() && !bracketed;
        let too_short = |s: &str| {
            s.chars().count() < 2 || s.chars().all(|c| c.is_ascii_digit()) || naming.business_words.iter().any(|w| w == s) || naming.legal_suffixes.iter().any(|w| w == s)
        };
        // a place + a verb of the language is no brand: 宁夏 + 发电 + 集团 gives no
        // short name 发电 (every 发电 of the text would be the company); a noun
        // may be one (中国 + 电信, 中国 + 建材)
        let generic = region.is_some() && self.recognizer.jieba().has_word(&core) && {
            let tags = self.recognizer.jieba().tag(&core, false);
            tags.len() == 1 && tags[0].tag.starts_with(['v', 'a', 'd'])
        };
        if !too_short(&core) && core != legal && !generic {
            out.push((core.clone(), exact, region.is_some()));
        }
        if let Some(s2) = strip_business(&core) {
            if !too_short(&s2) {
                out.push((s2.clone(), false, false));
                if let Some(r) = &region {
                    let short_r = r.trim_end_matches(['市', '省']).to_string();
                    out.push((format!("{short_r}{s2}"), false, false));
                }
            }
        }
        if let Some(r) = &region {
            let short_r = r.trim_end_matches(['市', '省']);
            if short_r != r {
                out.push((format!("{short_r}{core}"), false, false));
            }
        }
        out.retain(|(a, _, _)| a != legal);
        out
    }

    /// The place a name starts with, as the gazetteer knows it (厦门 in 厦门同翔高新城).
    fn region_prefix(&self, name: &str) -> Option<String> {
        let region_ty = self.rules.schema.type_index("Region");
        let chars: Vec<char> = name.chars().collect();
        let mut region: Option<String> = None;
        for m in self.recognizer.gazetteer_mentions(&chars, name) {
            if m.start == 0 && Some(m.ty) == region_ty && m.end < chars.len() && region.as_ref().is_none_or(|r| r.chars().count() < m.end) {
                region = Some(chars[..m.end].iter().collect());
            }
        }
        region
    }

    fn resolve_coref(
        &self,
        m: &Mention,
        chars: &[char],
        current: &[Resolved],
        done: &[AnalyzedSentence],
        parties: &[EntityKey],
        also: &mut Vec<String>,
    ) -> Vec<EntityKey> {
        match self.recognizer.coref_target(&m.surface) {
            Some(CorefTarget::Group { size, .. }) => {
                if parties.len() == *size {
                    parties.to_vec()
                } else {
                    Vec::new()
                }
            }
            Some(CorefTarget::Coref { rule, types }) => {
                let r = &self.rules.corefs[*rule];
                match r.resolve {
                    Resolve::Recent => most_recent(*types, current, done).into_iter().collect(),
                    Resolve::Previous => most_recent(*types, &[], done).into_iter().collect(),
                    Resolve::Possessive => {
                        let after_preposition = m.start > 0 && "为向与对给同跟和及把将被".contains(chars[m.start - 1]);
                        // an organisation right before the comma is the possessor:
                        // 排名第二的金风科技，其董事长武钢 (whatever the topic)
                        let appositive = (m.start > 0 && "，,".contains(chars[m.start - 1]))
                            .then(|| current.iter().rev().find(|x| x.mention.end == m.start - 1 && *types & (1 << x.mention.ty) != 0 && x.entities.len() == 1))
                            .flatten();
                        if let Some(x) = appositive {
                            vec![x.entities[0].clone()]
                        } else if after_preposition {
                            most_recent(*types, current, done).into_iter().collect()
                        } else {
                            self.topic_before(*types, m.start, current, chars)
                                .or_else(|| self.previous_topic(*types, done))
                                .or_else(|| most_recent(*types, current, done))
                                .into_iter()
                                .collect()
                        }
                    }
                    Resolve::Introduced => self
                        .topic_before(*types, m.start, current, chars)
                        .or_else(|| introduced_last(*types, done))
                        .or_else(|| self.previous_topic(*types, done))
                        .or_else(|| most_recent(*types, current, done))
                        .into_iter()
                        .collect(),
                    Resolve::Topic => self
                        .topic_before(*types, m.start, current, chars)
                        .or_else(|| self.previous_topic(*types, done))
                        .or_else(|| most_recent(*types, current, done))
                        .into_iter()
                        .collect(),
                    Resolve::Compose => {
                        let mut base_types = 0u32;
                        for t in &r.base_types {
                            base_types |= 1 << self.rules.schema.type_index(t).expect("validated");
                        }
                        let Some(base) = current.iter().rev().find(|x| x.mention.end <= m.start && base_types & (1 << x.mention.ty) != 0) else {
                            return Vec::new();
                        };
                        let mut name = base.entities[0].name.clone();
                        let mut written = base.mention.surface.clone();
                        if base.mention.ty == m.ty {
                            // a body of the same kind: 清远高新区党工委 → 清远高新区
                            for n in [&mut name, &mut written] {
                                for s in &self.rules.suffixes {
                                    if let Some(sfx) = s.suffixes.iter().filter(|x| n.ends_with(x.as_str())).max_by_key(|x| x.len()) {
                                        n.truncate(n.len() - sfx.len());
                                        break;
                                    }
                                }
                            }
                        }
                        also.push(format!("{written}{}", m.surface));
                        vec![EntityKey { ty: m.ty, name: format!("{name}{}", m.surface) }]
                    }
                }
            }
            None => Vec::new(),
        }
    }

    /// A mention stands as a clause subject when it is the first mention of
    /// its clause and no preposition or conjunction (与, 对, 为…) precedes it.
    fn is_subject_position(&self, chars: &[char], m: &Mention, all: &[Resolved]) -> bool {
        let start = m.start;
        if self.non_subject_before.iter().any(|w| start >= w.len() && chars[start - w.len()..start] == w[..]) {
            return false;
        }
        let clause = chars[..start].iter().rposition(|c| "，；：。,;:！？".contains(*c)).map_or(0, |i| i + 1);
        // a place that 的 follows modifies the name (中国最大的…生产基地烟台氨纶),
        // and a parent before its subsidiary names whose it is (华友钴业子公司X)
        let modifies = |r: &Resolved| (Some(r.mention.ty) == self.region_ty && chars[r.mention.end..start].contains(&'的')) || parent_before(chars, &r.mention, m);
        !all.iter().any(|r| r.mention.start >= clause && r.mention.end <= start && self.modifier_types & (1 << r.mention.ty) == 0 && !modifies(r))
    }

    /// The first mention of a fitting type before `before` that stands as a subject.
    fn topic_before(&self, types: u32, before: usize, current: &[Resolved], chars: &[char]) -> Option<EntityKey> {
        // a parent named before its subsidiary (华友钴业子公司X与…) is not the
        // subject: the subsidiary is
        let parent_of_next = |r: &Resolved| current.iter().any(|n| parent_before(chars, &r.mention, &n.mention));
        current
            .iter()
            .filter(|r| r.mention.end <= before && types & (1 << r.mention.ty) != 0 && r.entities.len() == 1)
            .find(|r| self.is_subject_position(chars, &r.mention, current) && !parent_of_next(r))
            .map(|r| r.entities[0].clone())
    }

    fn previous_topic(&self, types: u32, done: &[AnalyzedSentence]) -> Option<EntityKey> {
        done.iter().rev().take(MAX_TOPIC_LOOKBACK).find_map(|s| {
            self.topic_before(types, usize::MAX, &s.mentions, &s.chars)
        })
    }

    /// The parties of "A与B、C…" in a sentence, for a later 双方 / 三方.
    fn parties_of(&self, s: &AnalyzedSentence) -> Option<Vec<EntityKey>> {
        if s.mentions.len() < 2 || !s.rewritten.contains(['与', '和', '同']) {
            return None;
        }
        let c = self.parties.captures_iter(&s.rewritten).last()?;
        let mut out = Vec::new();
        for g in [c.get(1), c.get(2)].into_iter().flatten() {
            for (i, ch) in s.rewritten[g.start()..g.end()].char_indices() {
                if crate::rules::is_placeholder(ch) {
                    if let Some(ix) = s.mention_at(g.start() + i) {
                        out.extend(s.mentions[ix].entities.iter().cloned());
                    }
                }
            }
        }
        (out.len() >= 2).then_some(out)
    }

    /// Runs the relation rules over a document.
    pub fn extract(&self, doc: &Document) -> DocResult {
        self.extract_analyzed(doc).1
    }

    /// The analysis of a document and the triples the rules find in it.
    pub fn extract_analyzed(&self, doc: &Document) -> (Vec<AnalyzedSentence>, DocResult) {
        let analyzed = self.analyze(doc);
        let mut result = DocResult { doc: doc.id.clone(), sentences: analyzed.len(), ..Default::default() };
        // the original characters, for evidence text: only documents with a match need them
        let orig: std::cell::OnceCell<Vec<char>> = std::cell::OnceCell::new();
        // a sentence in the rules' codes
        let mut enc = crate::coded::Encoding::default();
        for (si, s) in analyzed.iter().enumerate() {
            for r in &s.mentions {
                for e in &r.entities {
                    let names = result.entities.entry(e.clone()).or_default();
                    names.insert(e.name.clone());
                    names.extend(r.also.iter().cloned());
                    if r.entities.len() == 1 && !matches!(r.mention.source, Source::Coref(_) | Source::Group(_)) {
                        names.insert(r.mention.surface.clone());
                        if let Some(d) = &r.mention.defines {
                            names.insert(d.clone());
                        }
                    }
                }
            }
            if s.mentions.is_empty() {
                continue;
            }
            let present = s.mentions.iter().fold(0u32, |m, r| m | (1 << r.mention.ty));
            let mut candidates = self.unfiltered.clone();
            if let Some(ac) = &self.literals {
                for m in ac.find_overlapping_iter(&s.rewritten) {
                    candidates.extend(self.literal_rules[m.value() as usize].iter().copied());
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            enc.clear();
            for ri in candidates {
                let rule = &self.rules.rules[ri];
                let [a, b] = self.needs[ri];
                if (a != 0 && present & a == 0) || (b != 0 && present & b == 0) {
                    continue;
                }
                let codes = self.coded.as_ref().filter(|_| rule.matcher.coded.is_some()).map(|set| set.codes(ri, &s.rewritten, &mut enc));
                if rule.matcher.is_match(&s.rewritten, codes) {
                    self.apply(rule, si, &analyzed, orig.get_or_init(|| crate::text::chars_of(&doc.text)), &doc.id, &mut result.triples);
                }
            }
        }
        result.triples.sort();
        result.triples.dedup_by(|a, b| a.subject == b.subject && a.predicate == b.predicate && a.object == b.object && a.evidence.sentence == b.evidence.sentence && a.evidence.rule == b.evidence.rule);
        (analyzed, result)
    }

    /// Whether a clause (its punctuation, adverbials and quantity words
    /// aside: 此外，不少企业在…) opens with one of the subject nouns.
    fn opens_with_subject_noun(&self, clause: &str) -> bool {
        const QUANTITY: [&str; 10] = ["很多", "不少", "一些", "部分", "众多", "多家", "许多", "大批", "更多", "各"];
        let mut rest = clause.trim_start_matches(['，', '；', '：', ',', ';', ':']);
        while let Some(w) = crate::rules::TOPIC_ADVERBIALS.iter().chain(&QUANTITY).find(|w| rest.starts_with(**w)) {
            rest = rest[w.len()..].trim_start_matches(['，', ',']);
        }
        self.rules.naming.subject_nouns.iter().any(|n| rest.starts_with(n.as_str()))
    }

    /// Whether the clause a match ends in goes on with 的 and, a few
    /// characters on, a mention of one of `types`: the match is a relative
    /// clause whose subject is that mention, not the topic
    /// (而为北京现代提供6个车型零部件的主力企业北京星宇…).
    fn modifies_a_name(&self, types: u32, after: &str) -> bool {
        let clause = after.find(['，', '。', '；', '！', '？', ',', ';']).map_or(after, |i| &after[..i]);
        let Some(de) = clause.find('的') else { return false };
        clause[de..].chars().skip(1).take(10).any(|c| self.rules.schema.placeholder_type(c).is_some_and(|t| types & (1 << t) != 0))
    }

    /// The first negation word (并未, 尚未…) in the text of a match, if any.
    pub fn negation_in(&self, matched: &str) -> Option<&str> {
        self.rules.naming.negations.iter().map(String::as_str).find(|n| matched.contains(n))
    }

    /// The denial, if any, that the rest of the sentence after a match holds.
    pub fn denial_in(&self, after: &str) -> Option<&str> {
        self.rules.naming.denials.iter().map(String::as_str).find(|n| after.contains(n))
    }

    /// Whether the text after a mention makes it the owner of what the
    /// sentence is about (的股东, 的创始家族, 管理的…), not a party itself —
    /// unless the rule's own pattern names that word (Y的股东为X).
    fn belongs_to_mention(&self, after: &str, pattern: &str) -> bool {
        self.rules.naming.owner_words.iter().any(|w| after.starts_with(w.as_str()) && !pattern.contains(w.trim_matches('的')))
    }

    /// The triples one rule yields on one sentence.
    pub fn apply(&self, rule: &CompiledRule, si: usize, doc: &[AnalyzedSentence], orig: &[char], doc_id: &str, out: &mut Vec<Triple>) {
        let s = &doc[si];
        let chars = &s.chars;
        let rw_index = &s.rw_index;
        // (a person's relation names its post with these words: 正大集团的创始人谢易初)
        let person_rule = self.rules.schema.type_index("Person").is_some_and(|p| rule.slots.values().any(|slot| slot.types & (1 << p) != 0));
        for caps in rule.matcher.captures(&s.rewritten, None) {
            let whole = caps.get(0).expect("group 0");
            if self.negation_in(negation_scope(&s.rewritten, whole.start(), whole.end())).is_some() || self.denial_in(&s.rewritten[whole.end()..]).is_some() {
                continue; // 并未给X供货, 暂停关于X收购Y: the clause denies the relation; …的传闻不实
            }
            if followed_by(rule, &s.rewritten[whole.end()..]).is_some() || preceded_by(rule, &s.rewritten[..whole.start()]).is_some() {
                continue; // 收购X持有的…, 取代X成为…
            }
            let slot_entities = |name: &str| -> Vec<EntityKey> {
                let slot = &rule.slots[name];
                if slot.topic && caps.name(name).is_none() {
                    // a clause opened by a subject no mention stands for
                    // (此外，央企在新疆设立企业) has a subject: not the topic
                    if self.opens_with_subject_noun(&s.rewritten[whole.start()..whole.end()]) || self.modifies_a_name(slot.types, &s.rewritten[whole.end()..]) {
                        return Vec::new();
                    }
                    let before = s.rw_to_sentence[rw_index.char_at(whole.start())];
                    // a heading (no end punctuation: 牵手中冶京诚) opens what
                    // follows; it takes no topic from the text before it
                    let heading = crate::text::is_heading(&s.sentence.text);
                    return self
                        .topic_before(slot.types, before, &s.mentions, chars)
                        .or_else(|| if heading { None } else { self.previous_topic(slot.types, &doc[..si]) })
                        .into_iter()
                        .collect();
                }
                let Some(g) = caps.name(name) else { return Vec::new() };
                if !person_rule && self.belongs_to_mention(&s.rewritten[g.end()..], &rule.def.pattern) {
                    return Vec::new(); // 徐福记的创始家族: the family, not the company
                }
                let mut positions = vec![g.start()];
                if slot.scattered {
                    positions = g.as_str().char_indices().filter(|(_, c)| crate::rules::is_placeholder(*c)).map(|(i, _)| g.start() + i).collect();
                } else if let Some(next) = &slot.next_member {
                    let mut at = g.start() + s.rewritten[g.start()..].chars().next().map_or(0, char::len_utf8);
                    while at < g.end() {
                        let Some(c) = next.captures(&s.rewritten[at..g.end()]) else { break };
                        let m = c.get(1).expect("member group");
                        positions.push(at + m.start());
                        at += m.end();
                    }
                }
                positions
                    .into_iter()
                    .filter_map(|p| s.mention_at(p))
                    .flat_map(|ix| s.mentions[ix].entities.iter().cloned())
                    .filter(|e| slot.types & (1 << e.ty) != 0)
                    .collect()
            };
            let subjects = slot_entities(&rule.def.subject);
            let objects = slot_entities(&rule.def.object);
            if subjects.is_empty() || objects.is_empty() {
                continue;
            }
            // the role's words as the sentence has them, mentions inside it
            // included (三星电子芯片业务部门负责人: 芯片业务部门负责人)
            let role = rule.def.role.as_ref().and_then(|r| caps.name(r)).map(|g| {
                let (a, b) = (s.rw_to_sentence[rw_index.char_at(g.start())], s.rw_to_sentence[rw_index.char_at(g.end())]);
                chars[a.min(chars.len())..b.min(chars.len())].iter().collect::<String>()
            });
            let start = s.sentence.start + s.rw_to_sentence[rw_index.char_at(whole.start())];
            let mut end = s.sentence.start + s.rw_to_sentence[rw_index.char_at(whole.end())];
            if whole.end() == whole.start() {
                end = start;
            }
            let role = role.filter(|r| !r.is_empty());
            // a company's legal form inside the post (X下属运营管理有限公司总经理)
            // names another company, whose post it is; a branch (重庆分公司总经理)
            // stays a department
            if role.as_deref().is_some_and(|r| self.rules.naming.legal_suffixes.iter().any(|l| l.chars().count() >= 4 && r.contains(l.as_str()))) {
                continue;
            }
            let evidence = Evidence {
                doc: doc_id.to_string(),
                sentence: s.sentence.index,
                start,
                end,
                rule: rule.def.id.clone(),
                text: orig[start.min(orig.len())..end.min(orig.len())].iter().collect(),
                role: role.clone(),
            };
            for sub in &subjects {
                for obj in &objects {
                    if sub == obj {
                        continue;
                    }
                    out.push(Triple {
                        subject: sub.clone(),
                        predicate: rule.predicate,
                        object: obj.clone(),
                        role: role.clone(),
                        evidence: evidence.clone(),
                    });
                }
            }
        }
    }
}

impl AnalyzedSentence {
    /// The mention whose placeholder sits at this byte offset of `rewritten`.
    pub fn mention_at(&self, byte: usize) -> Option<usize> {
        self.placeholder_at.binary_search(&byte).ok()
    }
}

/// A coreference word written right before a name of its type is no
/// coreference but a label of that name: 合资公司[TCL宏齐科技(惠州)有限公司];
/// nor is one written right after it (成立了福田康明斯合资公司).
fn drop_appositive_corefs(chars: &[char], ms: &mut Vec<Mention>, corefs: &[crate::rules::CorefRule]) {
    // a kind word (合资公司, 新公司: it names the previous one of its kind), not a pronoun
    let kind_word = |m: &Mention| matches!(&m.source, Source::Coref(id) if corefs.iter().any(|r| &r.id == id && r.resolve == Resolve::Previous));
    let keep: Vec<bool> = (0..ms.len())
        .map(|i| {
            let m = &ms[i];
            if !matches!(m.source, Source::Coref(_)) {
                return true;
            }
            // (光明乳业其子公司 keeps its 其)
            if i > 0 && ms[i - 1].ty == m.ty && ms[i - 1].end == m.start && ms[i - 1].canonical.is_some() && kind_word(m) {
                return false;
            }
            let Some(next) = ms.get(i + 1) else { return true };
            let gap: String = chars[m.end..next.start].iter().collect();
            !(next.ty == m.ty && next.canonical.is_some() && gap.chars().all(|c| "[［“「《（(\"".contains(c)) && gap.chars().count() <= 1)
        })
        .collect();
    let mut k = 0;
    ms.retain(|_| {
        k += 1;
        keep[k - 1]
    });
}

/// Whether `parent` is written right before its subsidiary `child`:
/// 华友钴业（的）（全资/控股/旗下）子公司华友新能源.
fn parent_before(chars: &[char], parent: &Mention, child: &Mention) -> bool {
    if parent.ty != child.ty || parent.end >= child.start {
        return false;
    }
    let rest = &chars[parent.end.min(chars.len())..];
    let at = |i: usize, w: &str| i <= rest.len() && crate::mentions::chars_start_with(&rest[i..], w);
    let skip = ["的", "全资", "控股", "旗下"].iter().fold(0, |i, w| if at(i, w) { i + w.chars().count() } else { i });
    ["子公司", "孙公司"].iter().any(|w| at(skip, w) && parent.end + skip + w.chars().count() == child.start)
}

fn occurs_before(doc: &[char], needle: &str, before: usize) -> bool {
    let n: Vec<char> = needle.chars().collect();
    if n.is_empty() || before < n.len() {
        return false;
    }
    doc[..before].windows(n.len()).any(|w| w == &n[..])
}

/// The last name of `types` in the previous sentence, when that sentence is
/// the first to mention it and it was written out (not a coreference).
fn introduced_last(types: u32, done: &[AnalyzedSentence]) -> Option<EntityKey> {
    let (last, before) = done.split_last()?;
    let r = last.mentions.iter().rev().find(|r| types & (1 << r.mention.ty) != 0 && r.entities.len() == 1)?;
    if matches!(r.mention.source, Source::Coref(_) | Source::Group(_)) {
        return None;
    }
    let e = &r.entities[0];
    let seen_before = before.iter().chain(std::iter::once(last)).flat_map(|s| s.mentions.iter()).take_while(|x| !std::ptr::eq(*x, r)).any(|x| x.entities.contains(e));
    (!seen_before).then(|| e.clone())
}

fn most_recent(types: u32, current: &[Resolved], done: &[AnalyzedSentence]) -> Option<EntityKey> {
    current
        .iter()
        .rev()
        .chain(done.iter().rev().take(MAX_TOPIC_LOOKBACK).flat_map(|s| s.mentions.iter().rev()))
        .find(|r| types & (1 << r.mention.ty) != 0 && r.entities.len() == 1)
        .map(|r| r.entities[0].clone())
}

/// `chars` are the sentence's characters.
fn rewrite(sentence: Sentence, chars: &[char], mentions: Vec<Resolved>, schema: &crate::rules::Schema) -> AnalyzedSentence {
    let mut rewritten = String::with_capacity(sentence.text.len());
    let mut placeholder_at = Vec::with_capacity(mentions.len());
    let mut rw_to_sentence = Vec::with_capacity(chars.len() + 1);
    // byte offset in `rewritten` of each of its characters
    let mut rw_starts = Vec::with_capacity(chars.len() + 1);
    let mut pos = 0;
    let copy = |rewritten: &mut String, rw_starts: &mut Vec<usize>, rw_to_sentence: &mut Vec<usize>, i: usize, c: char| {
        rw_starts.push(rewritten.len());
        rewritten.push(c);
        rw_to_sentence.push(i);
    };
    // a space between two Chinese characters or mentions is no part of what the
    // rules read (宁德时代 与 比亚迪 签署, text taken from a PDF or a web page);
    // between Latin words it stays (Hawaii Asia Holdings)
    let mut mention_start = vec![false; chars.len() + 1];
    for r in &mentions {
        mention_start[r.mention.start] = true;
    }
    // (no character from U+3001 on is white space: Chinese text skips the table)
    let space = |c: char| c < '\u{3001}' && c.is_whitespace();
    let wide = |c: char| !c.is_ascii() && !space(c);
    let stray_space = |rewritten: &str, i: usize| {
        space(chars[i]) && rewritten.chars().next_back().is_some_and(wide) && (mention_start[i + 1] || chars.get(i + 1).is_some_and(|n| wide(*n)))
    };
    for r in &mentions {
        for (i, c) in chars.iter().enumerate().take(r.mention.start).skip(pos) {
            if stray_space(&rewritten, i) {
                continue;
            }
            copy(&mut rewritten, &mut rw_starts, &mut rw_to_sentence, i, *c);
        }
        placeholder_at.push(rewritten.len());
        copy(&mut rewritten, &mut rw_starts, &mut rw_to_sentence, r.mention.start, schema.placeholder(r.mention.ty));
        pos = r.mention.end;
    }
    for (i, c) in chars.iter().enumerate().skip(pos) {
        if stray_space(&rewritten, i) {
            continue;
        }
        copy(&mut rewritten, &mut rw_starts, &mut rw_to_sentence, i, *c);
    }
    rw_to_sentence.push(chars.len());
    rw_starts.push(rewritten.len());
    let rw_index = CharIndex::from_starts(rw_starts);
    AnalyzedSentence { sentence, mentions, rewritten, placeholder_at, rw_to_sentence, chars: chars.to_vec(), rw_index }
}

/// The word of the rule's `not_followed_by` that the text after a match starts with, if any.
pub fn followed_by<'r>(rule: &'r CompiledRule, after: &str) -> Option<&'r str> {
    rule.def.not_followed_by.iter().map(String::as_str).find(|w| after.starts_with(w))
}

/// The word of the rule's `not_preceded_by` that the text before a match ends with, if any.
pub fn preceded_by<'r>(rule: &'r CompiledRule, before: &str) -> Option<&'r str> {
    rule.def.not_preceded_by.iter().map(String::as_str).find(|w| before.ends_with(w))
}

/// The text a negation word denies a match from: the match and what comes
/// before it in its clause (暂停关于X收购Y… stops what the match states).
pub fn negation_scope(sentence: &str, start: usize, end: usize) -> &str {
    const BOUNDARY: [char; 13] = ['，', '；', '：', ',', ';', ':', '”', '」', '…', '！', '？', '!', '?'];
    // a match that opens with a clause boundary (a topic's comma) starts its own clause
    if sentence[start..end].starts_with(BOUNDARY) {
        return &sentence[start..end];
    }
    let clause_start = sentence[..start].rfind(BOUNDARY).map_or(0, |i| i + sentence[i..].chars().next().map_or(1, char::len_utf8));
    &sentence[clause_start..end]
}
