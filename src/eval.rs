//! `chainkg eval`: precision, recall and F1 against gold files, with the
//! matching rules of `eval/score.py` (names folded with NFKC, white space
//! removed, Latin lower-cased; predicates by local name; cooperates_with
//! symmetric; optional gold triples count neither way).

use crate::graph::Graph;
use crate::rules::Schema;
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Deserialize)]
struct GoldFile {
    doc: String,
    entities: Vec<GoldEntity>,
    triples: Vec<GoldTriple>,
}

#[derive(Debug, Deserialize)]
struct GoldEntity {
    id: String,
    names: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldTriple {
    pub s: String,
    pub p: String,
    pub o: String,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub optional: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    #[error("{0}: cannot read: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("{0}: not a gold file: {1}")]
    Parse(PathBuf, serde_json::Error),
    #[error("{0}: no gold files (*.json)")]
    Empty(PathBuf),
}

/// Names as score.py compares them.
pub fn norm_name(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).flat_map(|c| c.to_lowercase()).collect()
}

/// Predicates as score.py compares them: local name, no _ or -, lower case.
pub fn norm_pred(s: &str) -> String {
    let local = s.rsplit(['#', '/', ':']).next().unwrap_or(s);
    local.chars().filter(|c| *c != '_' && *c != '-').flat_map(|c| c.to_lowercase()).collect()
}

pub struct Gold {
    /// normalised name → (doc, gold id)
    names: HashMap<String, BTreeSet<(String, String)>>,
    pub triples: Vec<(String, GoldTriple)>,
}

impl Gold {
    pub fn load(path: &Path) -> Result<Gold, GoldError> {
        let files: Vec<PathBuf> = if path.is_dir() {
            let mut v: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| GoldError::Read(path.to_path_buf(), e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("json"))
                .collect();
            v.sort();
            v
        } else {
            vec![path.to_path_buf()]
        };
        if files.is_empty() {
            return Err(GoldError::Empty(path.to_path_buf()));
        }
        let mut gold = Gold { names: HashMap::new(), triples: Vec::new() };
        for f in files {
            let text = std::fs::read_to_string(&f).map_err(|e| GoldError::Read(f.clone(), e))?;
            let g: GoldFile = serde_json::from_str(&text).map_err(|e| GoldError::Parse(f.clone(), e))?;
            for e in g.entities {
                for n in e.names {
                    gold.names.entry(norm_name(&n)).or_default().insert((g.doc.clone(), e.id.clone()));
                }
            }
            for t in g.triples {
                gold.triples.push((g.doc.clone(), t));
            }
        }
        Ok(gold)
    }
}

#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 { 0.0 } else { self.tp as f64 / (self.tp + self.fp) as f64 }
    }
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 { 0.0 } else { self.tp as f64 / (self.tp + self.fn_) as f64 }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

#[derive(Debug, Clone)]
pub struct FalsePositive {
    pub subject: String,
    pub predicate: String,
    pub object: String,
    /// (document, text, rule) of every piece of evidence.
    pub evidence: Vec<(String, String, String)>,
}

#[derive(Debug, Default)]
pub struct EvalReport {
    pub per_predicate: BTreeMap<String, Counts>,
    pub overall: Counts,
    pub false_positives: Vec<FalsePositive>,
    /// (doc, gold triple) not found.
    pub misses: Vec<(String, GoldTriple)>,
}

/// Scores a graph against gold.
pub fn evaluate(graph: &Graph, schema: &Schema, gold: &Gold) -> EvalReport {
    let g = &graph.graph;
    let gold_preds: BTreeSet<String> = gold.triples.iter().map(|(_, t)| norm_pred(&t.p)).collect();
    let mut index: HashMap<((String, String), String, (String, String)), Vec<usize>> = HashMap::new();
    for (i, (doc, t)) in gold.triples.iter().enumerate() {
        let p = norm_pred(&t.p);
        index.entry(((doc.clone(), t.s.clone()), p.clone(), (doc.clone(), t.o.clone()))).or_default().push(i);
        if p == "cooperateswith" {
            index.entry(((doc.clone(), t.o.clone()), p, (doc.clone(), t.s.clone()))).or_default().push(i);
        }
    }
    let gold_ids = |n: petgraph::stable_graph::NodeIndex| -> BTreeSet<(String, String)> {
        let node = &g[n];
        let mut ids = BTreeSet::new();
        for name in node.names.iter().chain(node.name_en.iter()).chain(std::iter::once(&node.key.name)) {
            if let Some(s) = gold.names.get(&norm_name(name)) {
                ids.extend(s.iter().cloned());
            }
        }
        ids
    };
    let mut report = EvalReport::default();
    let mut matched: BTreeSet<usize> = BTreeSet::new();
    let mut edges: Vec<_> = g.edge_references().collect();
    edges.sort_by_key(|e| (g[e.source()].id.clone(), e.weight().predicate, g[e.target()].id.clone()));
    for e in edges {
        let pname = &schema.predicates[e.weight().predicate].name;
        let p = norm_pred(pname);
        if !gold_preds.contains(&p) {
            continue;
        }
        let (ss, os) = (gold_ids(e.source()), gold_ids(e.target()));
        let mut hit = false;
        for gs in &ss {
            for go in &os {
                if let Some(v) = index.get(&(gs.clone(), p.clone(), go.clone())) {
                    matched.extend(v.iter().copied());
                    hit = true;
                }
            }
        }
        if !hit {
            report.per_predicate.entry(p.clone()).or_default().fp += 1;
            report.false_positives.push(FalsePositive {
                subject: g[e.source()].key.name.clone(),
                predicate: pname.clone(),
                object: g[e.target()].key.name.clone(),
                evidence: e.weight().evidence.iter().map(|ev| (ev.doc.clone(), ev.text.clone(), ev.rule.clone())).collect(),
            });
        }
    }
    for (i, (doc, t)) in gold.triples.iter().enumerate() {
        if t.optional {
            continue;
        }
        let c = report.per_predicate.entry(norm_pred(&t.p)).or_default();
        if matched.contains(&i) {
            c.tp += 1;
        } else {
            c.fn_ += 1;
            report.misses.push((doc.clone(), t.clone()));
        }
    }
    for c in report.per_predicate.values() {
        report.overall.tp += c.tp;
        report.overall.fp += c.fp;
        report.overall.fn_ += c.fn_;
    }
    report
}

impl std::fmt::Display for EvalReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{:<18}{:>4}{:>4}{:>4}{:>7}{:>7}{:>7}", "predicate", "tp", "fp", "fn", "P", "R", "F1")?;
        for (p, c) in &self.per_predicate {
            writeln!(f, "{p:<18}{:>4}{:>4}{:>4}{:>7.2}{:>7.2}{:>7.2}", c.tp, c.fp, c.fn_, c.precision(), c.recall(), c.f1())?;
        }
        for fp in &self.false_positives {
            writeln!(f, "FP  {} --{}--> {}", fp.subject, fp.predicate, fp.object)?;
            for (doc, text, rule) in &fp.evidence {
                writeln!(f, "      [{doc}] {text}   (rule {rule})")?;
            }
        }
        for (doc, t) in &self.misses {
            writeln!(f, "FN  {} --{}--> {}   [{doc}] {}", t.s, t.p, t.o, t.evidence)?;
        }
        let o = &self.overall;
        writeln!(
            f,
            "overall precision={:.3} recall={:.3} f1={:.3} tp={} fp={} fn={}",
            o.precision(),
            o.recall(),
            o.f1(),
            o.tp,
            o.fp,
            o.fn_
        )
    }
}
