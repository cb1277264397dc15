//! `chainkg explain`: what the pipeline sees in a sentence — segmentation,
//! mentions with their types and entities, the text the rules run on, and
//! every rule that fired.

use crate::corpus::Document;
use crate::extract::{AnalyzedSentence, Extractor};
use std::fmt::Write;

/// Renders a sentence's rewritten text with readable placeholders: 〔Company〕.
pub fn readable(rules: &crate::rules::RuleSet, s: &AnalyzedSentence) -> String {
    let mut out = String::new();
    for c in s.rewritten.chars() {
        let cp = c as u32;
        if (crate::rules::PLACEHOLDER_BASE..crate::rules::PLACEHOLDER_BASE + rules.schema.types.len() as u32).contains(&cp) {
            let t = &rules.schema.types[(cp - crate::rules::PLACEHOLDER_BASE) as usize];
            let _ = write!(out, "〔{}〕", t.name);
        } else {
            out.push(c);
        }
    }
    out
}

/// Explains every sentence of a document (or only sentence `only`).
pub fn explain(ex: &Extractor, doc: &Document, only: Option<usize>) -> String {
    let rules = ex.rules;
    let analyzed = ex.analyze(doc);
    let orig: Vec<char> = doc.text.chars().collect();
    let mut out = String::new();
    for (si, s) in analyzed.iter().enumerate() {
        if only.is_some_and(|o| o != si) {
            continue;
        }
        let _ = writeln!(out, "sentence {si} [{}..{}]: {}", s.sentence.start, s.sentence.end, s.sentence.text.replace('\n', " "));
        let seg: Vec<&str> = ex.recognizer.jieba.cut(&s.sentence.text, true).into_iter().map(|t| t.word).collect();
        let _ = writeln!(out, "  segmentation: {}", seg.join(" / ").replace('\n', "⏎"));
        for r in &s.mentions {
            let ents: Vec<String> = r.entities.iter().map(|e| format!("{}:{}", rules.schema.types[e.ty].name, e.name)).collect();
            let _ = writeln!(
                out,
                "  mention {:?} [{}..{}] {} → {}  ({})",
                r.mention.surface,
                r.mention.start,
                r.mention.end,
                rules.schema.types[r.mention.ty].name,
                ents.join(" + "),
                r.mention.source.label()
            );
        }
        let _ = writeln!(out, "  rules see: {}", readable(rules, s).replace('\n', " "));
        let mut triples = Vec::new();
        for rule in &rules.rules {
            ex.apply(rule, si, &analyzed, &orig, &doc.id, &mut triples);
        }
        for t in &triples {
            let _ = writeln!(
                out,
                "  fired {}: {} --{}--> {}{}",
                t.evidence.rule,
                t.subject.name,
                rules.schema.predicates[t.predicate].name,
                t.object.name,
                t.role.as_ref().map(|r| format!(" (role {r})")).unwrap_or_default()
            );
        }
    }
    out
}
