//! N-Triples: the same RDF triples as the JSON-LD, one per line, sorted.

use super::jsonld::statement_id;
use super::{iri_escape, ExportContext, Exporter};
use petgraph::visit::EdgeRef;

pub struct NTriples;

const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const SCHEMA: &str = "http://schema.org/";
const PROV: &str = "http://www.w3.org/ns/prov#";
const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";

/// A string literal with N-Triples escapes (quotes, backslashes, line breaks, controls).
pub fn literal(s: &str) -> String {
    let body = super::escape_with(s, |c| match c {
        '"' => Some("\\\"".into()),
        '\\' => Some("\\\\".into()),
        '\n' => Some("\\n".into()),
        '\r' => Some("\\r".into()),
        '\t' => Some("\\t".into()),
        c if (c as u32) < 0x20 || c == '\u{7f}' => Some(format!("\\u{:04X}", c as u32).into()),
        _ => None,
    });
    format!("\"{body}\"")
}

fn iri(s: &str) -> String {
    format!("<{s}>")
}

/// All triples of the graph as N-Triples lines (unsorted).
pub fn lines(cx: &ExportContext) -> Vec<String> {
    let g = &cx.graph.graph;
    let base = cx.base;
    let ck = |local: &str| iri(&format!("{base}ontology#{local}"));
    let ent = |id: &str| iri(&format!("{base}entity/{id}"));
    let mut out = Vec::new();
    let mut t = |s: String, p: String, o: String| out.push(format!("{s} {p} {o} ."));
    for n in g.node_indices() {
        let node = &g[n];
        let s = ent(&node.id);
        t(s.clone(), iri(&format!("{RDF}type")), ck(&cx.schema.types[node.key.ty].name));
        t(s.clone(), iri(&format!("{SCHEMA}name")), literal(&node.key.name));
        for alt in node.alternate_names() {
            t(s.clone(), iri(&format!("{SCHEMA}alternateName")), literal(alt));
        }
        if let Some(en) = &node.name_en {
            t(s.clone(), iri(&format!("{SCHEMA}name")), format!("{}@en", literal(en)));
        }
        for e in g.edges(n) {
            let p = &cx.schema.predicates[e.weight().predicate].name;
            t(s.clone(), ck(p), ent(&g[e.target()].id));
        }
    }
    for e in g.edge_indices() {
        let (a, b) = g.edge_endpoints(e).expect("live edge");
        let rel = &g[e];
        let p = &cx.schema.predicates[rel.predicate].name;
        let st_id = statement_id(&g[a].id, p, &g[b].id);
        let st = iri(&format!("{base}{st_id}"));
        t(st.clone(), iri(&format!("{RDF}type")), iri(&format!("{RDF}Statement")));
        t(st.clone(), iri(&format!("{RDF}subject")), ent(&g[a].id));
        t(st.clone(), iri(&format!("{RDF}predicate")), ck(p));
        t(st.clone(), iri(&format!("{RDF}object")), ent(&g[b].id));
        for r in &rel.roles {
            t(st.clone(), ck("role"), literal(r));
        }
        for (i, ev) in rel.evidence.iter().enumerate() {
            let doc = iri(&format!("{base}doc/{}", iri_escape(&ev.doc)));
            t(st.clone(), iri(&format!("{PROV}wasDerivedFrom")), doc.clone());
            let evn = iri(&format!("{base}{st_id}/evidence/{i}"));
            t(st.clone(), ck("evidence"), evn.clone());
            t(evn.clone(), iri(&format!("{PROV}wasDerivedFrom")), doc);
            for (k, v) in [("sentence", ev.sentence), ("start", ev.start), ("end", ev.end)] {
                t(evn.clone(), ck(k), format!("\"{v}\"^^<{XSD_INTEGER}>"));
            }
            t(evn.clone(), ck("rule"), literal(&ev.rule));
            t(evn.clone(), ck("text"), literal(&ev.text));
        }
    }
    out
}

impl Exporter for NTriples {
    fn file_name(&self) -> &'static str {
        "graph.nt"
    }

    fn export(&self, cx: &ExportContext) -> Vec<u8> {
        let mut l = lines(cx);
        l.sort();
        l.dedup();
        let mut s = l.join("\n");
        s.push('\n');
        s.into_bytes()
    }
}
