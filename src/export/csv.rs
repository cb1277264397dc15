//! `nodes.csv` and `relationships.csv` in the header format of
//! `neo4j-admin database import`. Every field is quoted; arrays use `;` (the
//! tool's default array delimiter), so a `;` inside a value becomes `；`, and
//! line breaks become spaces (no --multiline-fields needed).

use super::cypher::{label, rel_type};
use super::ExportContext;

fn field(s: &str) -> String {
    let clean: String = s.chars().map(|c| if c == '\n' || c == '\r' || c == '\t' { ' ' } else { c }).collect();
    format!("\"{}\"", clean.replace('"', "\"\""))
}

fn array<'a>(items: impl IntoIterator<Item = &'a String>) -> String {
    let v: Vec<String> = items.into_iter().map(|s| s.replace(';', "；")).collect();
    field(&v.join(";"))
}

pub fn nodes(cx: &ExportContext) -> Vec<u8> {
    let g = &cx.graph.graph;
    let mut out = String::from("id:ID,:LABEL,name,alternateNames:string[],nameEn\n");
    for n in cx.graph.sorted_nodes() {
        let node = &g[n];
        let alt: Vec<&String> = node.alternate_names().collect();
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            field(&node.id),
            field(&label(&cx.schema.types[node.key.ty].name)),
            field(&node.key.name),
            array(alt),
            field(node.name_en.as_deref().unwrap_or(""))
        ));
    }
    out.into_bytes()
}

pub fn relationships(cx: &ExportContext) -> Vec<u8> {
    let g = &cx.graph.graph;
    let mut out = String::from(":START_ID,:END_ID,:TYPE,rules:string[],docs:string[],roles:string[],evidence:string[]\n");
    for e in cx.graph.sorted_edges(cx.schema) {
        let (a, b) = g.edge_endpoints(e).expect("live edge");
        let rel = &g[e];
        let (rules, docs, evidence) = (rel.rules(), rel.docs(), rel.evidence_lines());
        out.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            field(&g[a].id),
            field(&g[b].id),
            field(&rel_type(&cx.schema.predicates[rel.predicate].name)),
            array(&rules),
            array(&docs),
            array(&rel.roles),
            array(&evidence)
        ));
    }
    out.into_bytes()
}
