//! `chainkg check`: every rule's `examples` must yield a triple of that rule,
//! every `counter_examples` entry must not. Each rule file is its own test suite.

use crate::corpus::Document;
use crate::extract::Extractor;

#[derive(Debug, Clone, PartialEq)]
pub struct CheckFailure {
    pub rule: String,
    pub file: String,
    pub line: usize,
    pub text: String,
    /// true: an example that yielded nothing; false: a counter-example that fired.
    pub missing: bool,
    /// What the rule produced on the text (empty when nothing).
    pub got: Vec<String>,
    /// What every other rule produced, to help see why.
    pub others: Vec<String>,
}

impl std::fmt::Display for CheckFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.missing {
            writeln!(f, "{}:{}: rule {}: example yields no triple of the rule:", self.file, self.line, self.rule)?;
        } else {
            writeln!(f, "{}:{}: rule {}: counter-example fires:", self.file, self.line, self.rule)?;
        }
        writeln!(f, "    text: {}", self.text)?;
        for g in &self.got {
            writeln!(f, "    got:  {g}")?;
        }
        if self.missing {
            if self.others.is_empty() {
                writeln!(f, "    (no rule fired on it; run `chainkg explain` on the text to see its mentions)")?;
            } else {
                for o in &self.others {
                    writeln!(f, "    other rules: {o}")?;
                }
            }
        }
        Ok(())
    }
}

#[derive(Debug, Default)]
pub struct CheckReport {
    pub rules: usize,
    pub examples: usize,
    pub counter_examples: usize,
    pub failures: Vec<CheckFailure>,
    /// Rules with no example at all.
    pub without_examples: Vec<String>,
    /// Rules the extractor tries on nearly every sentence: no required
    /// literal, or only one-character ones (the id and those characters).
    /// Not an error; each such rule costs time on every document.
    pub broad: Vec<(String, Vec<String>)>,
}

/// Runs the examples and counter-examples of every rule.
pub fn check(ex: &Extractor) -> CheckReport {
    let rules = ex.rules;
    let mut report = CheckReport { rules: rules.rules.len(), ..Default::default() };
    for rule in &rules.rules {
        if rule.def.examples.is_empty() {
            report.without_examples.push(rule.def.id.clone());
        }
        match rule.matcher.literals.clone() {
            None => report.broad.push((rule.def.id.clone(), Vec::new())),
            Some(lits) if lits.iter().all(|l| l.chars().count() == 1) => report.broad.push((rule.def.id.clone(), lits)),
            Some(_) => {}
        }
        let cases = rule.def.examples.iter().map(|t| (t, true)).chain(rule.def.counter_examples.iter().map(|t| (t, false)));
        for (text, should_fire) in cases {
            if should_fire {
                report.examples += 1;
            } else {
                report.counter_examples += 1;
            }
            let doc = Document { id: "example".into(), text: text.clone() };
            let result = ex.extract(&doc);
            let show = |t: &crate::extract::Triple| {
                format!(
                    "{} --{}--> {}{}",
                    t.subject.name,
                    rules.schema.predicates[t.predicate].name,
                    t.object.name,
                    if t.evidence.rule == rule.def.id { String::new() } else { format!("  [{}]", t.evidence.rule) }
                )
            };
            let got: Vec<String> = result.triples.iter().filter(|t| t.evidence.rule == rule.def.id).map(show).collect();
            if got.is_empty() == should_fire {
                let others = result.triples.iter().filter(|t| t.evidence.rule != rule.def.id).map(show).collect();
                report.failures.push(CheckFailure {
                    rule: rule.def.id.clone(),
                    file: rule.origin.file.display().to_string(),
                    line: rule.origin.line,
                    text: text.clone(),
                    missing: should_fire,
                    got,
                    others,
                });
            }
        }
    }
    // name patterns: each example must yield a name of the pattern
    for (p, _, origin) in &rules.patterns {
        for text in &p.examples {
            report.examples += 1;
            let chars: Vec<char> = text.chars().collect();
            let found: Vec<String> = ex
                .recognizer
                .candidates(rules, &chars, text, &Default::default())
                .into_iter()
                .filter(|m| m.source == crate::mentions::Source::Name(p.id.clone()))
                .map(|m| m.surface)
                .collect();
            if found.is_empty() {
                report.failures.push(CheckFailure {
                    rule: p.id.clone(),
                    file: origin.file.display().to_string(),
                    line: origin.line,
                    text: text.clone(),
                    missing: true,
                    got: Vec::new(),
                    others: Vec::new(),
                });
            }
        }
    }
    report
}
