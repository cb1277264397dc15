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
            let mut obj = Obj::default();
            obj.insert("@id", J::Str(format!("entity/{}", node.id).into()));
            obj.insert("@type", J::Str(cx.schema.types[node.key.ty].name.as_str().into()));
            obj.insert("name", J::Str(node.key.name.as_str().into()));
            let alt: Vec<J> = node.alternate_names().map(|a| J::Str(a.as_str().into())).collect();
            if !alt.is_empty() {
                obj.insert("alternateName", J::List(alt));
            }
            if let Some(en) = &node.name_en {
                obj.insert("nameEn", J::Str(en.as_str().into()));
            }
            let mut out: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
            for e in g.edges(n) {
                use petgraph::visit::EdgeRef;
                let p = &cx.schema.predicates[e.weight().predicate].name;
                out.entry(p.as_str()).or_default().push(format!("entity/{}", g[e.target()].id));
            }
            for (p, mut targets) in out {
                targets.sort();
                obj.insert(p, J::List(targets.into_iter().map(|t| J::Str(t.into())).collect()));
            }
            items.push(J::Obj(obj));
        }
        // provenance: one statement per relation
        for e in cx.graph.sorted_edges(cx.schema) {
            let (a, b) = g.edge_endpoints(e).expect("live edge");
            let rel = &g[e];
            let p = &cx.schema.predicates[rel.predicate].name;
            let (sid, oid) = (&g[a].id, &g[b].id);
            let sid_full = statement_id(sid, p, oid);
            let mut st = Obj::default();
            st.insert("@id", J::Str(sid_full.clone().into()));
            st.insert("@type", J::Str("Statement".into()));
            st.insert("subject", J::Str(format!("entity/{sid}").into()));
            st.insert("predicate", J::Str(format!("ck:{p}").into()));
            st.insert("object", J::Str(format!("entity/{oid}").into()));
            if !rel.roles.is_empty() {
                st.insert("role", J::List(rel.roles.iter().map(|r| J::Str(r.as_str().into())).collect()));
            }
            let docs: std::collections::BTreeSet<String> = rel.evidence.iter().map(|ev| format!("doc/{}", iri_escape(&ev.doc))).collect();
            st.insert("wasDerivedFrom", J::List(docs.into_iter().map(|d| J::Str(d.into())).collect()));
            let ev: Vec<J> = rel
                .evidence
                .iter()
                .enumerate()
                .map(|(i, ev)| {
                    let mut o = Obj::default();
                    o.insert("@id", J::Str(format!("{sid_full}/evidence/{i}").into()));
                    o.insert("wasDerivedFrom", J::Str(format!("doc/{}", iri_escape(&ev.doc)).into()));
                    o.insert("sentence", J::Num(ev.sentence as u64));
                    o.insert("start", J::Num(ev.start as u64));
                    o.insert("end", J::Num(ev.end as u64));
                    o.insert("rule", J::Str(ev.rule.as_str().into()));
                    o.insert("text", J::Str(ev.text.as_str().into()));
                    J::Obj(o)
                })
                .collect();
            st.insert("evidence", J::List(ev));
            items.push(J::Obj(st));
        }
        let mut doc = Obj::default();
        doc.insert("@context", J::Value(Value::Object(context)));
        doc.insert("@graph", J::List(items));
        let mut bytes = serde_json::to_vec_pretty(&J::Obj(doc)).expect("JSON values serialise");
        bytes.push(b'\n');
        bytes
    }
}

/// A JSON value written straight from the graph's strings: serde_json's
/// `Value` tree cost a string and a map node per field (26 ms of the 11 MB
/// corpus's graph). Written by serde_json, so the bytes are the same.
enum J<'a> {
    Str(std::borrow::Cow<'a, str>),
    Num(u64),
    List(Vec<J<'a>>),
    Obj(Obj<'a>),
    Value(Value),
}

/// An object's fields in key order (as serde_json's map sorts them); a key
/// set again replaces its value.
#[derive(Default)]
struct Obj<'a>(Vec<(&'a str, J<'a>)>);

impl<'a> Obj<'a> {
    fn insert(&mut self, key: &'a str, value: J<'a>) {
        match self.0.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (key, value)),
        }
    }
}

impl serde::Serialize for J<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            J::Str(v) => s.serialize_str(v),
            J::Num(n) => s.serialize_u64(*n),
            J::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    seq.serialize_element(i)?;
                }
                seq.end()
            }
            J::Obj(Obj(fields)) => {
                let mut map = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            J::Value(v) => v.serialize(s),
        }
    }
}
