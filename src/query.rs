//! `chainkg query`: SPARQL over a graph file in an in-memory Oxigraph store
//! (the `oxigraph` crate without RocksDB). Results as a table, JSON or CSV.

use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::model::Term;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Output {
    Table,
    Json,
    Csv,
}

/// Loads an N-Triples (.nt) or JSON-LD (.jsonld) file into a new in-memory store.
pub fn load(path: &Path) -> Result<Store, String> {
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some("nt") => RdfFormat::NTriples,
        Some("jsonld") | Some("json") => RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() },
        _ => return Err(format!("{}: give a .nt or .jsonld graph", path.display())),
    };
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let store = Store::new().map_err(|e| e.to_string())?;
    store.load_from_reader(format, std::io::BufReader::new(file)).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(store)
}

/// The prefixes every query gets unless it declares them itself.
pub fn prefixes(base: &str) -> Vec<(&'static str, String)> {
    vec![
        ("ck", format!("{base}ontology#")),
        ("schema", "http://schema.org/".into()),
        ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#".into()),
        ("prov", "http://www.w3.org/ns/prov#".into()),
        ("xsd", "http://www.w3.org/2001/XMLSchema#".into()),
    ]
}

fn with_prefixes(query: &str, base: &str) -> String {
    let lower = query.to_lowercase();
    let mut q = String::new();
    for (p, iri) in prefixes(base) {
        if !lower.contains(&format!("prefix {p}:")) {
            q.push_str(&format!("PREFIX {p}: <{iri}>\n"));
        }
    }
    q.push_str(query);
    q
}

fn show(t: &Term) -> String {
    match t {
        Term::Literal(l) => l.value().to_string(),
        Term::NamedNode(n) => n.as_str().to_string(),
        other => other.to_string(),
    }
}

/// Runs a query and renders its results.
pub fn run(store: &Store, query: &str, base: &str, output: Output) -> Result<String, String> {
    let q = with_prefixes(query, base);
    let results = SparqlEvaluator::new().parse_query(&q).map_err(|e| format!("SPARQL: {e}"))?.on_store(store).execute().map_err(|e| e.to_string())?;
    match results {
        QueryResults::Boolean(b) => Ok(format!("{b}\n")),
        QueryResults::Graph(triples) => {
            let mut out = String::new();
            for t in triples {
                out.push_str(&format!("{} .\n", t.map_err(|e| e.to_string())?));
            }
            Ok(out)
        }
        QueryResults::Solutions(solutions) => {
            let vars = solutions.variables().to_vec();
            if output != Output::Table {
                let format = if output == Output::Json { QueryResultsFormat::Json } else { QueryResultsFormat::Csv };
                let mut ser = QueryResultsSerializer::from_format(format).serialize_solutions_to_writer(Vec::new(), vars).map_err(|e| e.to_string())?;
                for s in solutions {
                    ser.serialize(&s.map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
                }
                let bytes = ser.finish().map_err(|e| e.to_string())?;
                return String::from_utf8(bytes).map_err(|e| e.to_string());
            }
            let mut rows: Vec<Vec<String>> = Vec::new();
            for s in solutions {
                let s = s.map_err(|e| e.to_string())?;
                rows.push(vars.iter().map(|v| s.get(v).map(show).unwrap_or_default()).collect());
            }
            let head: Vec<String> = vars.iter().map(|v| v.as_str().to_string()).collect();
            Ok(table(&head, &rows))
        }
    }
}

/// Columns padded to their widest cell (CJK characters count double).
fn table(head: &[String], rows: &[Vec<String>]) -> String {
    let width = |s: &str| s.chars().map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 }).sum::<usize>();
    let mut w: Vec<usize> = head.iter().map(|h| width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(width(c));
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            s.push_str(c);
            if i + 1 < cells.len() {
                s.push_str(&" ".repeat(w[i] - width(c) + 2));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(head);
    out.push_str(&line(&w.iter().map(|n| "-".repeat(*n)).collect::<Vec<_>>()));
    for r in rows {
        out.push_str(&line(r));
    }
    out.push_str(&format!("({} rows)\n", rows.len()));
    out
}
