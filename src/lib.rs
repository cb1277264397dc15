//! chainkg: Chinese industry news → industry-chain knowledge graph.
//!
//! The pipeline, stage by stage (see ARCHITECTURE.md):
//! [`corpus`] documents → [`text`] sentences → [`mentions`] typed spans →
//! [`extract`] entities and triples with evidence → [`graph`] petgraph →
//! [`export`] JSON-LD, DOT, SVG. The rules that drive it are in [`rules`].

pub mod check;
pub mod eval;
pub mod corpus;
pub mod coverage;
pub mod explain;
pub mod export;
pub mod extract;
pub mod graph;
pub mod mentions;
pub mod report_html;
pub mod rules;
pub mod text;

use export::{ExportContext, Exporter};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Rules(#[from] rules::RuleError),
    #[error("{path}: {source}")]
    Output { path: PathBuf, source: std::io::Error },
    #[error("no input documents: {0}")]
    NoInput(String),
}

/// Options of `chainkg build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub inputs: Vec<PathBuf>,
    pub rules: PathBuf,
    pub out: PathBuf,
    pub base: String,
}

pub const DEFAULT_BASE: &str = "https://chainkg.org/kg/";

/// How the SVG step went.
#[derive(Debug, Clone, PartialEq)]
pub enum SvgStatus {
    Written,
    NoGraphviz,
    Failed(String),
}

#[derive(Debug)]
pub struct BuildReport {
    pub documents: usize,
    pub sentences: usize,
    pub entities: usize,
    pub triples: BTreeMap<String, usize>,
    pub problems: Vec<corpus::InputProblem>,
    pub written: Vec<PathBuf>,
    pub svg: SvgStatus,
}

/// Builds the graph of a corpus: every document is analysed and dropped,
/// only the graph is kept.
pub fn build_graph(rules: &rules::RuleSet, inputs: &[PathBuf], mut on_problem: impl FnMut(&corpus::InputProblem)) -> (graph::Graph, Vec<corpus::InputProblem>) {
    let extractor = extract::Extractor::new(rules);
    let (files, mut problems) = corpus::input_files(inputs);
    for p in &problems {
        on_problem(p);
    }
    let mut g = graph::Graph::new();
    corpus::for_each_document(&files, |item| match item {
        Ok(doc) => g.add(&rules.schema, extractor.extract(&doc)),
        Err(p) => {
            on_problem(&p);
            problems.push(p);
        }
    });
    let mut en = BTreeMap::new();
    for (e, _) in &rules.gazetteer {
        if !e.en.is_empty() {
            let ty = rules.schema.type_index(&e.ty).expect("validated");
            en.insert(extract::EntityKey { ty, name: e.name.clone() }, e.en.clone());
        }
    }
    g.set_english_names(&en);
    (g, problems)
}

/// `chainkg build`: inputs + rules → OUT/graph.jsonld, OUT/graph.dot and,
/// when Graphviz is installed, OUT/graph.svg.
pub fn build(opts: &BuildOptions, on_problem: impl FnMut(&corpus::InputProblem)) -> Result<BuildReport, Error> {
    let rules = rules::RuleSet::load(&opts.rules)?;
    let (g, problems) = build_graph(&rules, &opts.inputs, on_problem);
    if g.stats.documents == 0 {
        let why = problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; ");
        return Err(Error::NoInput(if why.is_empty() { "no .txt or .jsonl files in the inputs".into() } else { why }));
    }
    std::fs::create_dir_all(&opts.out).map_err(|source| Error::Output { path: opts.out.clone(), source })?;
    let cx = ExportContext { graph: &g, schema: &rules.schema, base: &opts.base };
    let exporters: Vec<Box<dyn Exporter>> = vec![Box::new(export::jsonld::JsonLd), Box::new(export::dot::Dot)];
    let mut written = Vec::new();
    let mut dot_text = Vec::new();
    for e in exporters {
        let bytes = e.export(&cx);
        let path = opts.out.join(e.file_name());
        export::write_atomic(&path, &bytes).map_err(|source| Error::Output { path: path.clone(), source })?;
        if e.file_name() == "graph.dot" {
            dot_text = bytes;
        }
        written.push(path);
    }
    let svg = match render_svg(&dot_text) {
        Ok(bytes) => {
            let path = opts.out.join("graph.svg");
            export::write_atomic(&path, &bytes).map_err(|source| Error::Output { path: path.clone(), source })?;
            written.push(path);
            SvgStatus::Written
        }
        Err(s) => s,
    };
    Ok(BuildReport {
        documents: g.stats.documents,
        sentences: g.stats.sentences,
        entities: g.graph.node_count(),
        triples: g.triples_by_predicate(&rules.schema),
        problems,
        written,
        svg,
    })
}

/// Runs Graphviz's `dot -Tsvg`.
pub fn render_svg(dot: &[u8]) -> Result<Vec<u8>, SvgStatus> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let child = Command::new("dot").arg("-Tsvg").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(SvgStatus::NoGraphviz),
        Err(e) => return Err(SvgStatus::Failed(e.to_string())),
    };
    let mut stdin = child.stdin.take().expect("piped");
    let input = dot.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().map_err(|e| SvgStatus::Failed(e.to_string()))?;
    let _ = writer.join();
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(SvgStatus::Failed(String::from_utf8_lossy(&out.stderr).trim().to_string()))
    }
}

/// The default input directory, rules directory and output directory.
pub fn default_path(p: &str) -> PathBuf {
    Path::new(p).to_path_buf()
}

/// Largest graph that `coverage` draws into its HTML report.
pub const MAX_DRAWN_NODES: usize = 400;

/// `chainkg coverage`: OUT/coverage.json and OUT/coverage.html.
pub fn coverage_report(rules_dir: &Path, inputs: &[PathBuf], out: &Path, on_problem: impl FnMut(&corpus::InputProblem)) -> Result<coverage::Coverage, Error> {
    let rules = rules::RuleSet::load(rules_dir)?;
    let ex = extract::Extractor::new(&rules);
    let cov = coverage::coverage(&ex, inputs, on_problem);
    if cov.documents == 0 {
        return Err(Error::NoInput("no documents could be read".into()));
    }
    let svg = if cov.graph.graph.node_count() <= MAX_DRAWN_NODES {
        let cx = ExportContext { graph: &cov.graph, schema: &rules.schema, base: DEFAULT_BASE };
        render_svg(&export::dot::Dot.export(&cx)).ok().map(|b| String::from_utf8_lossy(&b).into_owned())
    } else {
        None
    };
    std::fs::create_dir_all(out).map_err(|source| Error::Output { path: out.to_path_buf(), source })?;
    let json = serde_json::to_vec_pretty(&cov).expect("coverage serialises");
    let html = report_html::render(&cov, svg.as_deref());
    for (name, bytes) in [("coverage.json", json), ("coverage.html", html.into_bytes())] {
        let path = out.join(name);
        export::write_atomic(&path, &bytes).map_err(|source| Error::Output { path: path.clone(), source })?;
    }
    Ok(cov)
}
