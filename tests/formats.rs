//! Every exporter against a real reader of its format, and hostile names.

mod common;
use common::{root, rules};

use chainkg::export::{self, ExportContext, Exporter};
use chainkg::extract::{DocResult, EntityKey, Evidence, Triple};
use chainkg::graph::Graph;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};
use oxigraph::model::Quad;
use proptest::prelude::*;
use std::collections::BTreeSet;

fn quads(bytes: &[u8], format: RdfFormat) -> BTreeSet<String> {
    RdfParser::from_format(format).for_reader(bytes).map(|q: Result<Quad, _>| q.expect("parses").to_string()).collect()
}

fn seed_graph() -> Graph {
    let (g, _) = chainkg::build_graph(rules(), &[root().join("seeds")], |_| {});
    g
}

#[test]
fn json_ld_and_n_triples_load_into_oxigraph_as_the_same_triples() {
    let g = seed_graph();
    let cx = ExportContext { graph: &g, schema: &rules().schema, base: chainkg::DEFAULT_BASE };
    let jsonld = export::jsonld::JsonLd.export(&cx);
    let nt = export::ntriples::NTriples.export(&cx);
    let a = quads(&jsonld, RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() });
    let b = quads(&nt, RdfFormat::NTriples);
    assert!(a.len() > 500);
    let only_a: Vec<_> = a.difference(&b).take(5).collect();
    let only_b: Vec<_> = b.difference(&a).take(5).collect();
    assert!(only_a.is_empty() && only_b.is_empty(), "JSON-LD only: {only_a:?}\nN-Triples only: {only_b:?}");
}

#[test]
fn sparql_finds_the_seeds_supplier_of_catl() {
    let out = tempfile::tempdir().unwrap();
    let g = seed_graph();
    let cx = ExportContext { graph: &g, schema: &rules().schema, base: chainkg::DEFAULT_BASE };
    let path = out.path().join("graph.nt");
    std::fs::write(&path, export::ntriples::NTriples.export(&cx)).unwrap();
    let store = chainkg::query::load(&path).unwrap();
    let q = r#"SELECT ?supplier WHERE { ?catl schema:name "宁德时代" . ?s ck:supplier_of ?catl ; schema:name ?supplier }"#;
    // 宁德时代 is an alternate name; the canonical name is the legal one
    let q2 = q.replace("schema:name \"宁德时代\"", "schema:alternateName \"宁德时代\"");
    let table = chainkg::query::run(&store, &q2, chainkg::DEFAULT_BASE, chainkg::query::Output::Table).unwrap();
    assert!(table.contains("安捷利电子科技（苏州）有限公司") && table.contains("(1 rows)"), "{table}");
    let csv = chainkg::query::run(&store, &q2, chainkg::DEFAULT_BASE, chainkg::query::Output::Csv).unwrap();
    assert!(csv.starts_with("supplier"), "{csv}");
}

/// A graph of two entities with the given names and one relation between them.
fn hostile_graph(a: &str, b: &str, doc: &str) -> Graph {
    let schema = &rules().schema;
    let company = schema.type_index("Company").unwrap();
    let park = schema.type_index("Park").unwrap();
    let ka = EntityKey { ty: company, name: a.to_string() };
    let kb = EntityKey { ty: park, name: b.to_string() };
    let ev = Evidence { doc: doc.into(), sentence: 0, start: 0, end: 3, rule: "located_in.settle".into(), text: format!("{a}落户{b}"), role: None };
    let mut d = DocResult { doc: doc.into(), sentences: 1, ..Default::default() };
    d.entities.insert(ka.clone(), [a.to_string(), format!("{a} \"别名\"")].into_iter().collect());
    d.entities.insert(kb.clone(), [b.to_string()].into_iter().collect());
    d.triples.push(Triple { subject: ka, predicate: schema.predicate_index("located_in").unwrap(), object: kb, role: None, evidence: ev });
    let mut g = Graph::new();
    g.add(schema, d);
    g
}

fn hostile_name() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just('"'), Just('\\'), Just('\n'), Just('\r'), Just('<'), Just('>'), Just(' '), Just('\''),
            Just('&'), Just('{'), Just('}'), Just(';'), Just(','), Just('`'), Just('\t'), Just('/'),
            Just('宁'), Just('德'), Just('时'), Just('代'), Just('（'), Just('）'), Just('a'), Just('Z'), Just('1'),
        ],
        1..24,
    )
    .prop_map(|v| v.into_iter().collect::<String>())
    .prop_filter("a name has some visible character", |s| s.chars().any(|c| !c.is_whitespace()))
}

fn cypher_unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn hostile_names_survive_every_format(a in hostile_name(), b in hostile_name(), doc in hostile_name()) {
        prop_assume!(a != b);
        let g = hostile_graph(&a, &b, &doc);
        let cx = ExportContext { graph: &g, schema: &rules().schema, base: chainkg::DEFAULT_BASE };

        // N-Triples and JSON-LD: valid, the same triples, the names intact
        let nt = export::ntriples::NTriples.export(&cx);
        let jl = export::jsonld::JsonLd.export(&cx);
        let qn = quads(&nt, RdfFormat::NTriples);
        let qj = quads(&jl, RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() });
        prop_assert_eq!(&qn, &qj);
        let names: Vec<String> = RdfParser::from_format(RdfFormat::NTriples).for_reader(&nt[..])
            .map(|q| q.unwrap())
            .filter(|q| q.predicate.as_str() == "http://schema.org/name")
            .map(|q| match q.object { oxigraph::model::Term::Literal(l) => l.value().to_string(), _ => String::new() })
            .collect();
        prop_assert!(names.contains(&a) && names.contains(&b));

        // DOT: parses, labels intact
        let dot = String::from_utf8(export::dot::Dot.export(&cx)).unwrap();
        prop_assert!(graphviz_rust::parse(&dot).is_ok(), "{}", dot);

        // GraphML: well-formed XML, names intact
        let gm = String::from_utf8(export::graphml::GraphMl.export(&cx)).unwrap();
        let doc_xml = roxmltree::Document::parse(&gm).expect("well-formed GraphML");
        let xml_names: Vec<&str> = doc_xml.descendants().filter(|n| n.attribute("key") == Some("name")).filter_map(|n| n.text()).collect();
        prop_assert!(xml_names.iter().any(|n| *n == a), "{:?} vs {:?}", xml_names, a);

        // Cypher: one statement a line, string literals round-trip
        let cy = String::from_utf8(export::cypher::Cypher.export(&cx)).unwrap();
        for line in cy.lines().skip(1) {
            prop_assert!(line.ends_with(';'));
        }
        prop_assert!(cy.lines().count() == 4);
        let lit = export::cypher::string(&a);
        prop_assert_eq!(cypher_unescape(&lit[1..lit.len() - 1]), a.clone());
        prop_assert!(cy.contains(&lit));

        // CSV: parses with the header, one row per node, names intact (line breaks as spaces)
        let nodes = export::csv::nodes(&cx);
        let mut r = csv::Reader::from_reader(&nodes[..]);
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        prop_assert_eq!(rows.len(), 2);
        let flat = |s: &str| s.chars().map(|c| if c == '\n' || c == '\r' || c == '\t' { ' ' } else { c }).collect::<String>();
        prop_assert!(rows.iter().any(|row| &row[2] == flat(&a).as_str()));
        let rels = export::csv::relationships(&cx);
        let mut r = csv::Reader::from_reader(&rels[..]);
        prop_assert_eq!(r.records().count(), 1);
    }
}
