//! An idempotent OpenCypher script (Neo4j, FalkorDB, Memgraph…): MERGE on the
//! stable entity id, a label per type, a relationship type per predicate,
//! rules, documents, roles and evidence as properties. One statement a line;
//! running it twice changes nothing.

use super::{ExportContext, Exporter};

pub struct Cypher;

/// A Cypher string literal: quotes, backslashes and control characters escaped.
pub fn string(s: &str) -> String {
    let body = super::escape_with(s, |c| match c {
        '"' => Some("\\\"".into()),
        '\\' => Some("\\\\".into()),
        '\'' => Some("\\'".into()),
        '\n' => Some("\\n".into()),
        '\r' => Some("\\r".into()),
        '\t' => Some("\\t".into()),
        c if c.is_control() => Some(" ".into()),
        _ => None,
    });
    format!("\"{body}\"")
}

fn list<'a>(items: impl IntoIterator<Item = &'a String>) -> String {
    let v: Vec<String> = items.into_iter().map(|s| string(s)).collect();
    format!("[{}]", v.join(", "))
}

/// The relationship type of a predicate: located_in → LOCATED_IN.
pub fn rel_type(predicate: &str) -> String {
    predicate.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>().to_uppercase()
}

/// A label: the type name, letters and digits only.
pub fn label(ty: &str) -> String {
    ty.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

impl Exporter for Cypher {
    fn file_name(&self) -> &'static str {
        "graph.cypher"
    }

    fn export(&self, cx: &ExportContext) -> Vec<u8> {
        let g = &cx.graph.graph;
        let mut out = String::from("// chainkg graph: one statement a line, idempotent (MERGE on id); run it as is.\n");
        for n in cx.graph.sorted_nodes() {
            let node = &g[n];
            let alt: Vec<&String> = node.alternate_names().collect();
            out.push_str(&format!(
                "MERGE (n:{} {{id: {}}}) SET n.name = {}, n.alternateNames = {}{};\n",
                label(&cx.schema.types[node.key.ty].name),
                string(&node.id),
                string(&node.key.name),
                list(alt),
                node.name_en.as_ref().map(|e| format!(", n.nameEn = {}", string(e))).unwrap_or_default()
            ));
        }
        for e in cx.graph.sorted_edges(cx.schema) {
            let (a, b) = g.edge_endpoints(e).expect("live edge");
            let rel = &g[e];
            let (rules, docs, evidence) = (rel.rules(), rel.docs(), rel.evidence_lines());
            out.push_str(&format!(
                "MATCH (a:{} {{id: {}}}), (b:{} {{id: {}}}) MERGE (a)-[r:{}]->(b) SET r.rules = {}, r.docs = {}, r.roles = {}, r.evidence = {};\n",
                label(&cx.schema.types[g[a].key.ty].name),
                string(&g[a].id),
                label(&cx.schema.types[g[b].key.ty].name),
                string(&g[b].id),
                rel_type(&cx.schema.predicates[rel.predicate].name),
                list(&rules),
                list(&docs),
                list(&rel.roles),
                list(&evidence),
            ));
        }
        out.into_bytes()
    }
}
