//! Helpers shared by the integration tests.
#![allow(dead_code)]

use chainkg::corpus::Document;
use chainkg::extract::{DocResult, Extractor};
use chainkg::rules::RuleSet;
use std::path::PathBuf;
use std::sync::OnceLock;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped rules, loaded once for all tests of a binary.
pub fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::load(&root().join("rules")).expect("shipped rules load"))
}

pub fn extractor() -> &'static Extractor<'static> {
    static EX: OnceLock<Extractor<'static>> = OnceLock::new();
    EX.get_or_init(|| Extractor::new(rules()))
}

pub fn extract(text: &str) -> DocResult {
    extractor().extract(&Document { id: "t".into(), text: text.into() })
}

/// The triples of a text as "subject --predicate--> object" lines.
pub fn triples(text: &str) -> Vec<String> {
    let r = extract(text);
    let schema = &rules().schema;
    r.triples
        .iter()
        .map(|t| format!("{} --{}--> {}", t.subject.name, schema.predicates[t.predicate].name, t.object.name))
        .collect()
}

pub fn has(text: &str, s: &str, p: &str, o: &str) -> bool {
    let want = format!("{s} --{p}--> {o}");
    triples(text).contains(&want)
}

/// Every (text, subject, predicate, object) holds: the text yields that triple.
pub fn assert_all(cases: &[(&str, &str, &str, &str)]) {
    for (text, s, p, o) in cases {
        assert!(has(text, s, p, o), "{text}: no {s} --{p}--> {o} in {:?}", triples(text));
    }
}

