//! JSON-LD with an inline context: entities with schema:name and
//! schema:alternateName, relations as direct triples on the subject node, and
//! beside each a reified rdf:Statement carrying role and evidence
//! (prov:wasDerivedFrom the document, rule id, sentence, character span).

use super::{iri_escape, ExportContext, Exporter};
use crate::graph::fnv64;
use serde_json::{json, Map, Value};

pub struct JsonLd;

pub fn statement_id(subject: &str, predicate: &str, object: &str) -> String {
    format!("statement/{:016x}", fnv64(format!("{subject} {predicate} {object}").as_bytes()))
}

impl Exporter for JsonLd {
    fn file_name(&self) -> &'static str {
        "graph.jsonld"
    }

    fn export(&self, cx: &ExportContext) -> Vec<u8> {
        let g = &cx.graph.graph;
        let mut context = Map::new();
        context.insert("@base".into(), json!(cx.base));
        context.insert("ck".into(), json!(format!("{}ontology#", cx.base)));
        context.insert("schema".into(), json!("http://schema.org/"));
        context.insert("prov".into(), json!("http://www.w3.org/ns/prov#"));
        context.insert("rdf".into(), json!("http://www.w3.org/1999/02/22-rdf-syntax-ns#"));
        context.insert("rdfs".into(), json!("http://www.w3.org/2000/01/rdf-schema#"));
        context.insert("xsd".into(), json!("http://www.w3.org/2001/XMLSchema#"));
        context.insert("name".into(), json!("schema:name"));
        context.insert("alternateName".into(), json!("schema:alternateName"));
        context.insert("nameEn".into(), json!({"@id": "schema:name", "@language": "en"}));
        context.insert("label".into(), json!("rdfs:label"));
        context.insert("Statement".into(), json!("rdf:Statement"));
        context.insert("subject".into(), json!({"@id": "rdf:subject", "@type": "@id"}));
        context.insert("predicate".into(), json!({"@id": "rdf:predicate", "@type": "@id"}));
        context.insert("object".into(), json!({"@id": "rdf:object", "@type": "@id"}));
        context.insert("role".into(), json!("ck:role"));
        context.insert("evidence".into(), json!("ck:evidence"));
        context.insert("wasDerivedFrom".into(), json!({"@id": "prov:wasDerivedFrom", "@type": "@id"}));
        context.insert("rule".into(), json!("ck:rule"));
        context.insert("sentence".into(), json!({"@id": "ck:sentence", "@type": "xsd:integer"}));
        context.insert("start".into(), json!({"@id": "ck:start", "@type": "xsd:integer"}));
        context.insert("end".into(), json!({"@id": "ck:end", "@type": "xsd:integer"}));
        context.insert("text".into(), json!("ck:text"));
        for t in &cx.schema.types {
            context.insert(t.name.clone(), json!(format!("ck:{}", t.name)));
        }
        for p in &cx.schema.predicates {
            context.insert(p.name.clone(), json!({"@id": format!("ck:{}", p.name), "@type": "@id"}));
        }

        let mut items = Vec::new();
        // entities with their outgoing relations as direct triples
        for n in cx.graph.sorted_nodes() {
            let node = &g[n];
            let mut obj = Map::new();
            obj.insert("@id".into(), json!(format!("entity/{}", node.id)));
            obj.insert("@type".into(), json!(cx.schema.types[node.key.ty].name));
            obj.insert("name".into(), json!(node.key.name));
            let alt: Vec<&String> = node.alternate_names().collect();
            if !alt.is_empty() {
                obj.insert("alternateName".into(), json!(alt));
            }
            if let Some(en) = &node.name_en {
                obj.insert("nameEn".into(), json!(en));
            }
            let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
            for e in g.edges(n) {
                use petgraph::visit::EdgeRef;
                let p = &cx.schema.predicates[e.weight().predicate].name;
                out.entry(p.clone()).or_default().push(format!("entity/{}", g[e.target()].id));
            }
            for (p, mut targets) in out {
                targets.sort();
                obj.insert(p, json!(targets));
            }
            items.push(Value::Object(obj));
        }
        // provenance: one statement per relation
        for e in cx.graph.sorted_edges(cx.schema) {
            let (a, b) = g.edge_endpoints(e).expect("live edge");
            let rel = &g[e];
            let p = &cx.schema.predicates[rel.predicate].name;
            let (sid, oid) = (&g[a].id, &g[b].id);
            let mut st = Map::new();
            st.insert("@id".into(), json!(statement_id(sid, p, oid)));
            st.insert("@type".into(), json!("Statement"));
            st.insert("subject".into(), json!(format!("entity/{sid}")));
            st.insert("predicate".into(), json!(format!("ck:{p}")));
            st.insert("object".into(), json!(format!("entity/{oid}")));
            if !rel.roles.is_empty() {
                st.insert("role".into(), json!(rel.roles.iter().collect::<Vec<_>>()));
            }
            let docs: std::collections::BTreeSet<String> = rel.evidence.iter().map(|ev| format!("doc/{}", iri_escape(&ev.doc))).collect();
            st.insert("wasDerivedFrom".into(), json!(docs.into_iter().collect::<Vec<_>>()));
            let sid_full = statement_id(sid, p, oid);
            let ev: Vec<Value> = rel
                .evidence
                .iter()
                .enumerate()
                .map(|(i, ev)| {
                    json!({
                        "@id": format!("{sid_full}/evidence/{i}"),
                        "wasDerivedFrom": format!("doc/{}", iri_escape(&ev.doc)),
                        "sentence": ev.sentence,
                        "start": ev.start,
                        "end": ev.end,
                        "rule": ev.rule,
                        "text": ev.text,
                    })
                })
                .collect();
            st.insert("evidence".into(), Value::Array(ev));
            items.push(Value::Object(st));
        }
        let doc = json!({"@context": Value::Object(context), "@graph": items});
        let mut bytes = serde_json::to_vec_pretty(&doc).expect("JSON values serialise");
        bytes.push(b'\n');
        bytes
    }
}
