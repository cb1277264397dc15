//! `cargo bench`: throughput of each stage on a corpus (default: the 11 MB
//! news corpus of ../shared when present, else seeds/). Set CHAINKG_BENCH_CORPUS
//! to a .jsonl or .txt file to measure another.

use chainkg::corpus::{for_each_document, Document};
use chainkg::export::{dot::Dot, jsonld::JsonLd, ExportContext, Exporter};
use chainkg::extract::Extractor;
use chainkg::rules::RuleSet;
use std::path::PathBuf;
use std::time::Instant;

fn corpus() -> (PathBuf, Vec<Document>) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = std::env::var_os("CHAINKG_BENCH_CORPUS").map(PathBuf::from).unwrap_or_else(|| {
        let shared = root.join("../shared/corpus/news_2011.jsonl");
        if shared.exists() { shared } else { root.join("seeds") }
    });
    let (files, _) = chainkg::corpus::input_files(std::slice::from_ref(&path));
    let mut docs = Vec::new();
    for_each_document(&files, |d| {
        if let Ok(d) = d {
            docs.push(d)
        }
    });
    (path, docs)
}

fn report(stage: &str, bytes: usize, secs: f64) {
    println!("{stage:<28} {:>8.3} s {:>9.1} MB/s", secs, bytes as f64 / 1e6 / secs);
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (path, docs) = corpus();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    println!("corpus {} — {} documents, {:.1} MB", path.display(), docs.len(), bytes as f64 / 1e6);

    let t = Instant::now();
    let rules = RuleSet::load(&root.join("rules")).expect("rules");
    let ex = Extractor::new(&rules);
    println!("{:<28} {:>8.3} s", "start-up (rules, jieba)", t.elapsed().as_secs_f64());

    let t = Instant::now();
    let mut sentences = 0usize;
    for d in &docs {
        sentences += chainkg::text::split_sentences(&chainkg::text::normalize(&d.text)).len();
    }
    report("normalise + split", bytes, t.elapsed().as_secs_f64());

    let t = Instant::now();
    let mut mentions = 0usize;
    for d in &docs {
        mentions += ex.analyze(d).iter().map(|s| s.mentions.len()).sum::<usize>();
    }
    let analyse = t.elapsed().as_secs_f64();
    report("mentions + entities", bytes, analyse);

    let t = Instant::now();
    let mut tokens = 0usize;
    for d in &docs {
        for s in chainkg::text::split_sentences(&chainkg::text::normalize(&d.text)) {
            tokens += ex.recognizer.jieba().cut(&s.text, true).len();
        }
    }
    report("jieba on every sentence", bytes, t.elapsed().as_secs_f64());

    let t = Instant::now();
    let mut graph = chainkg::graph::Graph::new();
    for d in &docs {
        graph.add(&rules.schema, ex.extract(d));
    }
    let all = t.elapsed().as_secs_f64();
    report("rules (extract - analyse)", bytes, (all - analyse).max(1e-9));
    report("whole pipeline, 1 thread", bytes, all);

    let t = Instant::now();
    let cx = ExportContext { graph: &graph, schema: &rules.schema, base: chainkg::DEFAULT_BASE };
    let out = JsonLd.export(&cx).len() + Dot.export(&cx).len();
    println!("{:<28} {:>8.3} s ({} nodes, {} edges, {} bytes)", "export JSON-LD + DOT", t.elapsed().as_secs_f64(), graph.graph.node_count(), graph.graph.edge_count(), out);
    println!("({sentences} sentences, {mentions} mentions, {tokens} jieba tokens)");
}
