//! `chainkg explain`: what the pipeline sees in a sentence — segmentation,
//! mentions with their types and entities, the text the rules run on, and
//! every rule that fired.

use crate::corpus::Document;
use crate::extract::{AnalyzedSentence, Extractor};
use std::fmt::Write;

/// Renders a sentence's rewritten text with readable placeholders: 〔Company〕.
pub fn readable(rules: &crate::rules::RuleSet, s: &AnalyzedSentence) -> String {
    readable_text(&rules.schema, &s.rewritten)
}

/// Replaces every type placeholder of a text by 〔Type〕.
pub fn readable_text(schema: &crate::rules::Schema, text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if let Some(t) = schema.placeholder_type(c) {
            let _ = write!(out, "〔{}〕", schema.types[t].name);
        } else {
            out.push(c);
        }
    }
    out
}

/// Explains every sentence of a document (or only sentence `only`); with
/// `rule`, also why that rule did or did not fire on each sentence.
pub fn explain(ex: &Extractor, doc: &Document, only: Option<usize>, rule: Option<&crate::rules::CompiledRule>) -> String {
    let rules = ex.rules;
    let analyzed = ex.analyze(doc);
    let orig: Vec<char> = doc.text.chars().collect();
    let mut out = String::new();
    for (si, s) in analyzed.iter().enumerate() {
        if only.is_some_and(|o| o != si) {
            continue;
        }
        let _ = writeln!(out, "sentence {si} [{}..{}]: {}", s.sentence.start, s.sentence.end, s.sentence.text.replace('\n', " "));
        let seg: Vec<&str> = ex.recognizer.jieba().cut(&s.sentence.text, true);
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
        if let Some(rule) = rule {
            let _ = writeln!(out, "  {}", why_not(ex, rule, &analyzed, si, &orig));
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

/// Why a rule did not fire on a sentence: the longest part of its pattern that
/// matches, and the slot or literal part that fails after it.
pub fn why_not(ex: &Extractor, rule: &crate::rules::CompiledRule, doc: &[AnalyzedSentence], si: usize, orig: &[char]) -> String {
    let schema = &ex.rules.schema;
    let s = &doc[si];
    let mut found = Vec::new();
    ex.apply(rule, si, doc, orig, "explain", &mut found);
    if !found.is_empty() {
        let t: Vec<String> = found.iter().map(|t| format!("{} --{}--> {}", t.subject.name, schema.predicates[t.predicate].name, t.object.name)).collect();
        return format!("rule {} fired: {}", rule.def.id, t.join("; "));
    }
    if let Some(m) = rule.matcher.captures(&s.rewritten, None).first().and_then(|c| c.get(0)) {
        // the vetoes `Extractor::apply` checks, in its order
        let veto = ex
            .negation_in(crate::extract::negation_scope(&s.rewritten, m.start(), m.end()))
            .map(|w| format!("the negation `{w}` stands in it or before it in its clause (naming.negations)"))
            .or_else(|| ex.denial_in(&s.rewritten[m.end()..]).map(|w| format!("the denial `{w}` follows it in the sentence (naming.denials)")))
            .or_else(|| crate::extract::followed_by(rule, &s.rewritten[m.end()..]).map(|w| format!("`{w}` follows it (not_followed_by)")))
            .or_else(|| crate::extract::preceded_by(rule, &s.rewritten[..m.start()]).map(|w| format!("`{w}` comes right before it (not_preceded_by)")));
        if let Some(why) = veto {
            return format!("rule {} matches `{}` but yields no triple: {why}", rule.def.id, readable_text(schema, m.as_str()));
        }
        return format!(
            "rule {} matches `{}` but yields no triple: its subject or object stands for no entity of the slot's types (a coreference or topic with nothing to refer to, or the same entity on both sides)",
            rule.def.id,
            readable_text(schema, m.as_str())
        );
    }
    let mut matched: Option<(usize, String)> = None; // elements matched, text
    let mut prefix = String::new();
    let mut failing = rule.elements.len();
    for (k, el) in rule.elements.iter().enumerate() {
        prefix.push_str(&el.regex);
        let Ok(rx) = regex::Regex::new(&prefix) else { continue }; // an open group: take the next piece too
        match rx.find(&s.rewritten) {
            Some(m) => matched = Some((k + 1, m.as_str().to_string())),
            None => {
                failing = k;
                break;
            }
        }
    }
    let from = matched.as_ref().map_or(0, |(n, _)| *n);
    let culprit: Vec<&str> = rule.elements[from..=failing.min(rule.elements.len() - 1)].iter().map(|e| e.what.as_str()).take(1).collect();
    let mut out = format!("rule {} did not fire: ", rule.def.id);
    match &matched {
        Some((_, text)) => out.push_str(&format!("its pattern matches up to `{}`, then fails at {}", readable_text(schema, text), culprit.join(" + "))),
        None => out.push_str(&format!("its pattern fails at its start, {}", culprit.join(" + "))),
    }
    // for a failing slot: which mentions the sentence has
    if let Some(el) = rule.elements.get(from) {
        if el.what.starts_with("slot ") {
            let have: Vec<String> = s.mentions.iter().map(|m| format!("{}〔{}〕", m.mention.surface, schema.types[m.mention.ty].name)).collect();
            out.push_str(&format!(" — no mention of that type where the pattern needs it; the sentence's mentions: {}", if have.is_empty() { "none".into() } else { have.join(" ") }));
        }
    }
    out
}
