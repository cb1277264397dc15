//! `chainkg coverage`: what every rule finds on a corpus, which rules overlap
//! or conflict, which never fire, and the sentences that look like relations
//! (two mentions and a cue word) but gave no triple, grouped by shape so that
//! the next rule to write is the one whose shape recurs most.

use crate::corpus::{for_each_document, input_files, InputProblem};
use crate::extract::{AnalyzedSentence, EntityKey, Extractor};
use crate::mentions::Source;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

const SAMPLES: usize = 3;
const TOP_CANDIDATES: usize = 200;

#[derive(Debug, Clone, Serialize)]
pub struct Sample {
    pub doc: String,
    pub text: String,
    pub triple: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleCoverage {
    pub id: String,
    pub predicate: String,
    pub file: String,
    pub line: usize,
    /// Matches (triples found, counting every piece of evidence).
    pub hits: usize,
    pub documents: usize,
    /// Distinct triples no other rule found.
    pub unique_triples: usize,
    /// Distinct triples some other rule found too.
    pub shared_triples: usize,
    /// The other rules it shares triples with, and how many.
    pub overlaps: BTreeMap<String, usize>,
    pub samples: Vec<Sample>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    pub a: String,
    pub b: String,
    /// Each reading of the pair: "a --p--> b  (rules)".
    pub readings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// The sentence reduced to its mentions and cue words: 〔Company〕…合作…〔Lab〕.
    pub shape: String,
    pub count: usize,
    pub cues: Vec<String>,
    pub samples: Vec<Sample>,
}

#[derive(Debug, Default, Serialize)]
pub struct Coverage {
    pub documents: usize,
    pub sentences: usize,
    pub mentions: usize,
    pub triples: usize,
    pub rules: Vec<RuleCoverage>,
    pub dead_rules: Vec<String>,
    pub per_predicate: BTreeMap<String, usize>,
    /// type → (entities, mentions)
    pub per_type: BTreeMap<String, (usize, usize)>,
    pub conflicts: Vec<Conflict>,
    pub uncovered_sentences: usize,
    pub candidates: Vec<Candidate>,
    #[serde(skip)]
    pub problems: Vec<InputProblem>,
    #[serde(skip)]
    pub graph: crate::graph::Graph,
}

struct CueIndex {
    ac: aho_corasick::AhoCorasick,
    words: Vec<String>,
    /// For each cue word: (domain types, range types) of the predicates it signals.
    signals: Vec<Vec<(u32, u32)>>,
}

/// Runs the pipeline over the inputs, recording what every rule does.
pub fn coverage(ex: &Extractor, inputs: &[PathBuf], mut on_problem: impl FnMut(&InputProblem)) -> Coverage {
    let rules = ex.rules;
    let schema = &rules.schema;
    let mut words: Vec<String> = schema.predicates.iter().flat_map(|p| p.cues.iter().cloned()).collect();
    words.sort();
    words.dedup();
    let mask = |names: &[String]| names.iter().filter_map(|n| schema.type_index(n)).fold(0u32, |m, i| m | (1 << i));
    let signals = words
        .iter()
        .map(|w| schema.predicates.iter().filter(|p| p.cues.contains(w)).map(|p| (mask(&p.domain), mask(&p.range))).collect())
        .collect();
    let cues = CueIndex {
        ac: aho_corasick::AhoCorasickBuilder::new().match_kind(aho_corasick::MatchKind::LeftmostLongest).build(&words).expect("literal cues"),
        words,
        signals,
    };
    let (files, mut problems) = input_files(inputs);
    for p in &problems {
        on_problem(p);
    }
    let mut cov = Coverage::default();
    let mut hits: HashMap<String, usize> = HashMap::new();
    let mut docs: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut samples: HashMap<String, Vec<Sample>> = HashMap::new();
    let mut by_triple: HashMap<(EntityKey, usize, EntityKey), BTreeSet<String>> = HashMap::new();
    let mut entities: HashMap<usize, BTreeSet<String>> = HashMap::new();
    let mut mentions_by_type: HashMap<usize, usize> = HashMap::new();
    let mut shapes: HashMap<String, Candidate> = HashMap::new();
    for_each_document(&files, |item| {
        let doc = match item {
            Ok(d) => d,
            Err(p) => {
                on_problem(&p);
                problems.push(p);
                return;
            }
        };
        let (analyzed, result) = ex.extract_analyzed(&doc);
        cov.documents += 1;
        cov.sentences += analyzed.len();
        let mut with_triple: BTreeSet<usize> = BTreeSet::new();
        for t in &result.triples {
            let r = &t.evidence.rule;
            *hits.entry(r.clone()).or_default() += 1;
            docs.entry(r.clone()).or_default().insert(doc.id.clone());
            let show = format!("{} --{}--> {}", t.subject.name, schema.predicates[t.predicate].name, t.object.name);
            let s = samples.entry(r.clone()).or_default();
            if s.len() < SAMPLES {
                s.push(Sample { doc: doc.id.clone(), text: t.evidence.text.clone(), triple: show });
            }
            let (mut a, mut b) = (t.subject.clone(), t.object.clone());
            if schema.predicates[t.predicate].symmetric && b < a {
                std::mem::swap(&mut a, &mut b);
            }
            by_triple.entry((a, t.predicate, b)).or_default().insert(r.clone());
            with_triple.insert(t.evidence.sentence);
        }
        cov.graph.add(schema, result);
        for s in &analyzed {
            for m in &s.mentions {
                cov.mentions += 1;
                *mentions_by_type.entry(m.mention.ty).or_default() += 1;
                for e in &m.entities {
                    entities.entry(e.ty).or_default().insert(e.name.clone());
                }
            }
            if !with_triple.contains(&s.sentence.index) {
                if let Some((shape, found)) = candidate_shape(s, &cues) {
                    cov.uncovered_sentences += 1;
                    let shape = crate::explain::readable_text(schema, &shape);
                    let c = shapes.entry(shape.clone()).or_insert_with(|| Candidate { shape, count: 0, cues: found, samples: Vec::new() });
                    c.count += 1;
                    if c.samples.len() < SAMPLES {
                        c.samples.push(Sample { doc: doc.id.clone(), text: s.sentence.text.replace('\n', " "), triple: String::new() });
                    }
                }
            }
        }
    });
    cov.problems = problems;

    // per rule: unique and shared triples, overlaps
    let mut unique: HashMap<String, usize> = HashMap::new();
    let mut shared: HashMap<String, usize> = HashMap::new();
    let mut overlaps: HashMap<String, BTreeMap<String, usize>> = HashMap::new();
    for rs in by_triple.values() {
        for r in rs {
            if rs.len() == 1 {
                *unique.entry(r.clone()).or_default() += 1;
            } else {
                *shared.entry(r.clone()).or_default() += 1;
                for o in rs.iter().filter(|o| *o != r) {
                    *overlaps.entry(r.clone()).or_default().entry(o.clone()).or_default() += 1;
                }
            }
        }
    }
    for rule in &rules.rules {
        let id = &rule.def.id;
        let h = hits.get(id).copied().unwrap_or(0);
        if h == 0 {
            cov.dead_rules.push(id.clone());
        }
        cov.rules.push(RuleCoverage {
            id: id.clone(),
            predicate: rule.def.predicate.clone(),
            file: rule.origin.file.display().to_string(),
            line: rule.origin.line,
            hits: h,
            documents: docs.get(id).map_or(0, |d| d.len()),
            unique_triples: unique.get(id).copied().unwrap_or(0),
            shared_triples: shared.get(id).copied().unwrap_or(0),
            overlaps: overlaps.remove(id).unwrap_or_default(),
            samples: samples.remove(id).unwrap_or_default(),
        });
    }
    cov.triples = by_triple.len();
    for (_, p, _) in by_triple.keys() {
        *cov.per_predicate.entry(schema.predicates[*p].name.clone()).or_default() += 1;
    }
    for (i, t) in schema.types.iter().enumerate() {
        cov.per_type.insert(t.name.clone(), (entities.get(&i).map_or(0, |e| e.len()), mentions_by_type.get(&i).copied().unwrap_or(0)));
    }
    // conflicts: one pair, several predicates or directions
    let mut pairs: BTreeMap<(EntityKey, EntityKey), BTreeSet<(String, bool, Vec<String>)>> = BTreeMap::new();
    for ((s, p, o), rs) in &by_triple {
        let forward = s <= o;
        let key = if forward { (s.clone(), o.clone()) } else { (o.clone(), s.clone()) };
        pairs.entry(key).or_default().insert((schema.predicates[*p].name.clone(), forward, rs.iter().cloned().collect()));
    }
    for ((a, b), readings) in pairs {
        if readings.len() > 1 {
            cov.conflicts.push(Conflict {
                a: a.name.clone(),
                b: b.name.clone(),
                readings: readings
                    .into_iter()
                    .map(|(p, fwd, rs)| {
                        let (s, o) = if fwd { (&a.name, &b.name) } else { (&b.name, &a.name) };
                        format!("{s} --{p}--> {o}  ({})", rs.join(", "))
                    })
                    .collect(),
            });
        }
    }
    let mut cands: Vec<Candidate> = shapes.into_values().collect();
    cands.sort_by(|x, y| y.count.cmp(&x.count).then(x.shape.cmp(&y.shape)));
    cands.truncate(TOP_CANDIDATES);
    cov.candidates = cands;
    cov
}

/// A sentence with a cue word and two mentions that could be the subject and
/// object of a predicate the cue signals, reduced to its shape: the mentions
/// (by type) and cue words in order, the rest as "…".
fn candidate_shape(s: &AnalyzedSentence, cues: &CueIndex) -> Option<(String, Vec<String>)> {
    let named: Vec<usize> = s
        .mentions
        .iter()
        .filter(|m| !matches!(m.mention.source, Source::Coref(_) | Source::Group(_)))
        .map(|m| m.mention.ty)
        .collect();
    if named.len() < 2 {
        return None;
    }
    let found: Vec<(usize, usize, usize)> = cues.ac.find_iter(&s.rewritten).map(|m| (m.start(), m.end(), m.pattern().as_usize())).collect();
    let fits = |(dom, ran): (u32, u32)| {
        named.iter().enumerate().any(|(i, a)| dom & (1 << a) != 0 && named.iter().enumerate().any(|(j, b)| i != j && ran & (1 << b) != 0))
    };
    if !found.iter().any(|(_, _, p)| cues.signals[*p].iter().any(|dr| fits(*dr))) {
        return None;
    }
    // the shape around the first fitting cue: the nearest mentions on either side
    let (cs, ce, cp) = *found.iter().find(|(_, _, p)| cues.signals[*p].iter().any(|dr| fits(*dr))).expect("checked above");
    let is_ph = crate::rules::is_placeholder;
    let text = &s.rewritten;
    let left: Vec<(usize, char)> = text[..cs].char_indices().filter(|(_, c)| is_ph(*c)).collect();
    let right: Option<(usize, char)> = text[ce..].char_indices().find(|(_, c)| is_ph(*c)).map(|(i, c)| (ce + i, c));
    let gap = |a: usize, b: usize| if a < b { "…" } else { "" };
    let cue = &cues.words[cp];
    let shape = match (left.last(), right) {
        (Some(&(li, l)), Some((ri, r))) => format!("{l}{}{cue}{}{r}", gap(li + l.len_utf8(), cs), gap(ce, ri)),
        (Some(&(li, l)), None) => {
            let prev = left.len().checked_sub(2).map(|i| left[i]);
            match prev {
                Some((pi, p)) => format!("{p}{}{l}{}{cue}", gap(pi + p.len_utf8(), li), gap(li + l.len_utf8(), cs)),
                None => format!("{l}{}{cue}", gap(li + l.len_utf8(), cs)),
            }
        }
        (None, Some((ri, r))) => {
            let next = text[ri + r.len_utf8()..].chars().find(|c| is_ph(*c));
            format!("{cue}{}{r}…{}", gap(ce, ri), next.map(String::from).unwrap_or_default())
        }
        (None, None) => cue.clone(),
    };
    let mut cue_words: Vec<String> = found.iter().map(|(_, _, p)| cues.words[*p].clone()).collect();
    cue_words.sort();
    cue_words.dedup();
    Some((shape, cue_words))
}
