//! The self-contained coverage report: one HTML file, no script, no external
//! resource, every piece of corpus text escaped.

use crate::coverage::{Coverage, Sample};
use std::fmt::Write;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    crate::export::escape_with(s, |c| match c {
        '&' => Some("&amp;".into()),
        '<' => Some("&lt;".into()),
        '>' => Some("&gt;".into()),
        '"' => Some("&quot;".into()),
        '\'' => Some("&#39;".into()),
        _ => None,
    })
}

fn samples(v: &[Sample]) -> String {
    let mut s = String::new();
    for x in v {
        let _ = write!(s, "<div class=\"ev\"><span class=\"doc\">[{}]</span> {}", esc(&x.doc), esc(&x.text));
        if !x.triple.is_empty() {
            let _ = write!(s, "<br><span class=\"tr\">{}</span>", esc(&x.triple));
        }
        s.push_str("</div>");
    }
    s
}

const STYLE: &str = "body{font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:1em 0;width:100%}th,td{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}\
th{background:#f0f0f0}td.n{text-align:right}.ev{font-size:90%;margin:2px 0}.doc{color:#888}.tr{color:#25609a}\
.dead{color:#b00}h2{margin-top:1.6em}#rules td:nth-child(8),#candidates td:nth-child(4){min-width:26em}.svg{overflow:auto;border:1px solid #ddd}";

/// Renders the report; `svg` is the graph drawn by Graphviz, if any.
pub fn render(cov: &Coverage, svg: Option<(&str, &str)>) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>chainkg rule coverage</title><style>{STYLE}</style></head><body>\n"
    );
    let _ = writeln!(
        h,
        "<h1>chainkg rule coverage</h1><p id=\"totals\">{} documents, {} sentences, {} mentions, {} distinct triples, {} rules ({} dead), {} uncovered candidate sentences.</p>",
        cov.documents,
        cov.sentences,
        cov.mentions,
        cov.triples,
        cov.rules.len(),
        cov.dead_rules.len(),
        cov.uncovered_sentences
    );
    h.push_str("<h2>Triples by predicate</h2><table id=\"predicates\"><tr><th>predicate</th><th>distinct triples</th></tr>");
    for (p, n) in &cov.per_predicate {
        let _ = write!(h, "<tr><td>{}</td><td class=\"n\">{n}</td></tr>", esc(p));
    }
    h.push_str("</table>\n<h2>Entities by type</h2><table id=\"types\"><tr><th>type</th><th>entities</th><th>mentions</th></tr>");
    for (t, (e, m)) in &cov.per_type {
        let _ = write!(h, "<tr><td>{}</td><td class=\"n\">{e}</td><td class=\"n\">{m}</td></tr>", esc(t));
    }
    h.push_str("</table>\n<h2>Rules</h2><table id=\"rules\"><tr><th>rule</th><th>predicate</th><th>hits</th><th>documents</th><th>only this rule</th><th>shared</th><th>overlaps with</th><th>sample evidence</th><th>where</th></tr>");
    for r in &cov.rules {
        let overlaps: Vec<String> = r.overlaps.iter().map(|(o, n)| format!("{} ({n})", esc(o))).collect();
        let _ = write!(
            h,
            "<tr><td class=\"{}\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}:{}</td></tr>",
            if r.hits == 0 { "dead" } else { "" },
            esc(&r.id),
            esc(&r.predicate),
            r.hits,
            r.documents,
            r.unique_triples,
            r.shared_triples,
            overlaps.join("<br>"),
            samples(&r.samples),
            esc(&r.file),
            r.line
        );
    }
    h.push_str("</table>\n<h2>Dead rules</h2><ul id=\"dead\">");
    for d in &cov.dead_rules {
        let _ = write!(h, "<li class=\"dead\">{}</li>", esc(d));
    }
    h.push_str("</ul>\n<h2>Conflicts</h2><p>The same pair read with different predicates or directions.</p><table id=\"conflicts\"><tr><th>pair</th><th>readings (rules)</th></tr>");
    for c in &cov.conflicts {
        let readings: Vec<String> = c.readings.iter().map(|r| esc(r)).collect();
        let _ = write!(h, "<tr><td>{} / {}</td><td>{}</td></tr>", esc(&c.a), esc(&c.b), readings.join("<br>"));
    }
    h.push_str("</table>\n<h2>Uncovered candidates</h2><p>Sentences with two or more mentions and a cue word but no triple, grouped by shape, most frequent first.</p><table id=\"candidates\"><tr><th>shape</th><th>sentences</th><th>cues</th><th>samples</th></tr>");
    for c in &cov.candidates {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&c.shape),
            c.count,
            esc(&c.cues.join("、")),
            samples(&c.samples)
        );
    }
    h.push_str("</table>\n");
    match svg {
        Some((svg, caption)) => {
            let start = svg.find("<svg").unwrap_or(0);
            let _ = writeln!(h, "<h2>Graph</h2><p>{}</p><div class=\"svg\" id=\"graph\">{}</div>", esc(caption), &svg[start..]);
        }
        None => h.push_str("<h2>Graph</h2><p id=\"graph\">Not drawn: Graphviz's dot is not installed (apt-get install graphviz).</p>\n"),
    }
    h.push_str("</body></html>\n");
    h
}
