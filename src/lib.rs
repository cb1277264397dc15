//! chainkg: Chinese industry news → industry-chain knowledge graph.
//!
//! The pipeline, stage by stage (see ARCHITECTURE.md):
//! [`corpus`] documents → [`text`] sentences → [`mentions`] typed spans →
//! [`extract`] entities and triples with evidence → [`graph`] petgraph →
//! [`export`] JSON-LD, DOT, SVG. The rules that drive it are in [`rules`].

pub mod check;
pub mod coded;
pub mod eval;
pub mod corpus;
pub mod coverage;
pub mod explain;
pub mod export;
pub mod extract;
pub mod graph;
pub mod mentions;
pub mod query;
pub mod report_html;
pub mod rules;
pub mod posseg;
pub mod segment;
pub mod shard;
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
    #[error(transparent)]
    Shard(#[from] shard::ShardError),
    #[error("{0}")]
    Usage(String),
}

/// An output format of `build` and `merge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    JsonLd,
    Dot,
    Svg,
    /// The shard records (OUT/triples.jsonl) that `merge` reads.
    Triples,
    /// N-Triples (graph.nt).
    NTriples,
    /// An idempotent OpenCypher script (graph.cypher).
    Cypher,
    /// nodes.csv and relationships.csv for neo4j-admin import.
    Csv,
    /// GraphML (graph.graphml).
    GraphMl,
    /// Shard records on standard output, one document at a time: chainkg as a mapper.
    TriplesJsonl,
}

impl Format {
    /// Parses a comma-separated list; `all` is every file format.
    pub fn parse_list(s: &str) -> Result<Vec<Format>, String> {
        let mut out = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part {
                "jsonld" | "json-ld" => out.push(Format::JsonLd),
                "dot" => out.push(Format::Dot),
                "svg" => out.push(Format::Svg),
                "triples" => out.push(Format::Triples),
                "triples-jsonl" => out.push(Format::TriplesJsonl),
                "nt" | "ntriples" | "n-triples" => out.push(Format::NTriples),
                "cypher" => out.push(Format::Cypher),
                "csv" | "neo4j-csv" => out.push(Format::Csv),
                "graphml" => out.push(Format::GraphMl),
                "all" => out.extend([
                    Format::JsonLd,
                    Format::Dot,
                    Format::Svg,
                    Format::Triples,
                    Format::NTriples,
                    Format::Cypher,
                    Format::Csv,
                    Format::GraphMl,
                ]),
                other => {
                    return Err(format!("unknown format {other:?} (jsonld, nt, cypher, csv, graphml, dot, svg, triples, triples-jsonl, all)"))
                }
            }
        }
        out.sort();
        out.dedup();
        if out.contains(&Format::TriplesJsonl) && out.len() > 1 {
            return Err("triples-jsonl writes to standard output and goes alone".into());
        }
        Ok(out)
    }
}

/// Options of `chainkg build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub inputs: Vec<PathBuf>,
    pub rules: PathBuf,
    pub out: PathBuf,
    pub base: String,
    pub formats: Vec<Format>,
    /// Worker threads (0: all cores). The output is the same for every value.
    pub jobs: usize,
    /// Show a progress bar on stderr (only drawn on a terminal).
    pub progress: bool,
}

pub const DEFAULT_BASE: &str = "https://chainkg.org/kg/";

/// Checks an IRI base: absolute, ending in / or #, nothing an IRI may not hold.
pub fn check_base(base: &str) -> Result<(), String> {
    let bad = base.chars().find(|c| c.is_whitespace() || c.is_control() || "<>\"{}|^`\\".contains(*c));
    if let Some(c) = bad {
        return Err(format!("--base {base:?}: {c:?} cannot stand in an IRI"));
    }
    let scheme = base.split_once(':').map(|(s, _)| s).unwrap_or("");
    if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) {
        return Err(format!("--base {base:?}: not an absolute IRI (like https://example.org/kg/)"));
    }
    if !base.ends_with('/') && !base.ends_with('#') {
        return Err(format!("--base {base:?}: end it with / or # so that entity IRIs extend it"));
    }
    Ok(())
}

/// How the SVG step went.
#[derive(Debug, Clone, PartialEq)]
pub enum SvgStatus {
    Written,
    NotAsked,
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

/// Documents are read in batches of this many and analysed in parallel;
/// only a batch is ever in memory.
const BATCH: usize = 64;

/// The threads a run may use: `jobs` of them (0: one per core).
pub fn thread_pool(jobs: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(jobs).build().expect("thread pool")
}

/// Runs the pipeline over the inputs on `pool` and hands each document's
/// result to `on_doc` in input order, whatever the number of threads.
pub fn process(
    rules: &rules::RuleSet,
    inputs: &[PathBuf],
    pool: &rayon::ThreadPool,
    progress: bool,
    mut on_doc: impl FnMut(extract::DocResult),
    mut on_problem: impl FnMut(&corpus::InputProblem),
) -> Vec<corpus::InputProblem> {
    use rayon::prelude::*;
    // built on the pool before the first batch is analysed (with more
    // threads, while the input is read), never inside a batch's job: a
    // worker waiting in the build's `join` may take up another batch, which
    // would then wait for the build it is part of
    let extractor = std::sync::OnceLock::new();
    let build_extractor = || {
        extractor.get_or_init(|| pool.install(|| extract::Extractor::new(rules)));
    };
    let (files, mut problems) = corpus::input_files(inputs);
    for p in &problems {
        on_problem(p);
    }
    let bar = progress.then(|| {
        let bar = indicatif::ProgressBar::with_draw_target(Some(corpus::total_bytes(&files)), indicatif::ProgressDrawTarget::stderr());
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}")
                .expect("static template"),
        );
        bar
    });
    let mut batch: Vec<corpus::Document> = Vec::with_capacity(BATCH);
    let mut done = 0usize;
    // a batch's results, in input order, to `on_doc`; `bytes` the batch's size
    let mut hand_off = |results: Vec<extract::DocResult>, bytes: usize, on_doc: &mut dyn FnMut(extract::DocResult)| {
        done += results.len();
        for r in results {
            on_doc(r);
        }
        if let Some(b) = &bar {
            b.inc(bytes as u64);
            b.set_message(format!("{done} documents"));
        }
    };
    let size = |batch: &[corpus::Document]| batch.iter().map(|d| d.text.len()).sum::<usize>();
    let analyse = |batch: &[corpus::Document]| -> Vec<extract::DocResult> {
        let extractor = extractor.get().expect("the extractor is built before any batch");
        pool.install(|| batch.par_iter().map(|d| extractor.extract(d)).collect())
    };
    let mut flush = |batch: &mut Vec<corpus::Document>, on_doc: &mut dyn FnMut(extract::DocResult)| {
        hand_off(analyse(batch), size(batch), on_doc);
        batch.clear();
    };
    if pool.current_num_threads() == 1 {
        // one thread does everything, reading included
        build_extractor();
        corpus::for_each_document(&files, |item| match item {
            Ok(doc) => {
                batch.push(doc);
                if batch.len() == BATCH {
                    flush(&mut batch, &mut on_doc);
                }
            }
            Err(p) => {
                on_problem(&p);
                problems.push(p);
            }
        });
        flush(&mut batch, &mut on_doc);
    } else {
        // with more threads, reading and parsing the input overlaps the analysis
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<corpus::Document>, corpus::InputProblem>>(4);
        std::thread::scope(|scope| {
            let files = &files;
            scope.spawn(move || {
                let mut batch = Vec::with_capacity(BATCH);
                corpus::for_each_document(files, |item| match item {
                    Ok(doc) => {
                        batch.push(doc);
                        if batch.len() == BATCH {
                            let _ = tx.send(Ok(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))));
                        }
                    }
                    Err(p) => {
                        let _ = tx.send(Err(p));
                    }
                });
                let _ = tx.send(Ok(batch));
            });
            build_extractor();
            // up to IN_FLIGHT batches are analysed on the pool at once (a
            // worker done with its part of one takes up the next: no idle
            // tail per batch), while this thread adds the oldest batch's
            // results to the graph, in input order
            const IN_FLIGHT: usize = 3;
            let mut in_flight = std::collections::VecDeque::new();
            for msg in rx {
                match msg {
                    Ok(b) => {
                        let bytes = size(&b);
                        let analyse = &analyse;
                        in_flight.push_back((scope.spawn(move || analyse(&b)), bytes));
                        if in_flight.len() >= IN_FLIGHT {
                            let (analysis, bytes) = in_flight.pop_front().expect("a batch in flight");
                            hand_off(analysis.join().expect("analysis of a batch"), bytes, &mut on_doc);
                        }
                    }
                    Err(p) => {
                        on_problem(&p);
                        problems.push(p);
                    }
                }
            }
            for (analysis, bytes) in in_flight {
                hand_off(analysis.join().expect("analysis of a batch"), bytes, &mut on_doc);
            }
        });
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    problems
}

fn english_names(rules: &rules::RuleSet) -> BTreeMap<extract::EntityKey, String> {
    let mut en = BTreeMap::new();
    for (e, _) in &rules.gazetteer {
        if !e.en.is_empty() {
            let ty = rules.schema.type_index(&e.ty).expect("validated");
            en.insert(extract::EntityKey { ty, name: e.name.clone() }, e.en.clone());
        }
    }
    en
}

/// Builds the graph of a corpus: every document is analysed and dropped,
/// only the graph is kept.
pub fn build_graph(rules: &rules::RuleSet, inputs: &[PathBuf], on_problem: impl FnMut(&corpus::InputProblem)) -> (graph::Graph, Vec<corpus::InputProblem>) {
    let mut g = graph::Graph::new();
    let problems = process(rules, inputs, &thread_pool(0), false, |d| g.add(&rules.schema, d), on_problem);
    g.set_english_names(&english_names(rules));
    (g, problems)
}

/// `chainkg build`: inputs + rules → OUT/graph.jsonld, OUT/graph.dot,
/// OUT/graph.svg (with Graphviz) and OUT/triples.jsonl, or shard records on
/// standard output with the `triples-jsonl` format.
pub fn build(opts: &BuildOptions, on_problem: impl FnMut(&corpus::InputProblem)) -> Result<BuildReport, Error> {
    check_base(&opts.base).map_err(Error::Usage)?;
    // one pool for the whole run: the rules compile on it, the documents are
    // analysed and the outputs written on it
    let pool = thread_pool(opts.jobs);
    let rules = pool.install(|| rules::RuleSet::load(&opts.rules))?;
    let mut g = graph::Graph::new();
    let mapper = opts.formats.contains(&Format::TriplesJsonl);
    let stdout = std::io::stdout();
    let mut out_lock = std::io::BufWriter::new(stdout.lock());
    let problems = process(
        &rules,
        &opts.inputs,
        &pool,
        opts.progress,
        |d| {
            use std::io::Write;
            if mapper {
                // a mapper keeps nothing: every document goes straight out
                let _ = writeln!(out_lock, "{}", shard::to_line(&rules.schema, &d));
                g.stats.documents += 1;
                g.stats.sentences += d.sentences;
                return;
            }
            g.add(&rules.schema, d);
        },
        on_problem,
    );
    {
        use std::io::Write;
        let _ = out_lock.flush();
    }
    if g.stats.documents == 0 {
        let why = problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; ");
        return Err(Error::NoInput(if why.is_empty() { "no .txt or .jsonl files in the inputs".into() } else { why }));
    }
    g.set_english_names(&english_names(&rules));
    let w = if mapper {
        Written { files: Vec::new(), svg: SvgStatus::NotAsked, entities: g.graph.node_count(), triples: g.triples_by_predicate(&rules.schema) }
    } else {
        write_outputs_with(&g, &rules, &opts.out, &opts.base, &opts.formats, &pool)?
    };
    Ok(BuildReport {
        documents: g.stats.documents,
        sentences: g.stats.sentences,
        entities: w.entities,
        triples: w.triples,
        problems,
        written: w.files,
        svg: w.svg,
    })
}

/// Writes the graph in the asked formats, each file atomically: the shard
/// file from the graph as built, every other format from its unified form.
pub fn write_outputs(raw: &graph::Graph, rules: &rules::RuleSet, out: &Path, base: &str, formats: &[Format]) -> Result<Written, Error> {
    write_outputs_with(raw, rules, out, base, formats, &thread_pool(0))
}

/// [`write_outputs`] on `pool`: each format rendered and written in a job of
/// its own (the triples while the entities are unified), reported in a
/// fixed order.
pub fn write_outputs_with(raw: &graph::Graph, rules: &rules::RuleSet, out: &Path, base: &str, formats: &[Format], pool: &rayon::ThreadPool) -> Result<Written, Error> {
    use rayon::prelude::*;
    std::fs::create_dir_all(out).map_err(|source| Error::Output { path: out.to_path_buf(), source })?;
    let wants = |f: Format| formats.contains(&f);
    // the triples come from the graph as built: written while the entities
    // are unified for the other formats
    let (unified, mut triples) = pool.install(|| {
        rayon::join(
            || raw.unified(&rules.schema),
            || wants(Format::Triples).then(|| export::write_atomic(&out.join("triples.jsonl"), &shard_of_graph(raw, &rules.schema))),
        )
    });
    let g = &unified;
    let cx = ExportContext { graph: g, schema: &rules.schema, base };
    type Render<'a> = Box<dyn Fn() -> Vec<u8> + Send + Sync + 'a>;
    let cx = &cx;
    // (None: written already)
    let mut files: Vec<(&str, Option<Render>)> = Vec::new();
    if wants(Format::JsonLd) {
        files.push((export::jsonld::JsonLd.file_name(), Some(Box::new(move || export::jsonld::JsonLd.export(cx)))));
    }
    if wants(Format::Dot) || wants(Format::Svg) {
        files.push((export::dot::Dot.file_name(), Some(Box::new(move || export::dot::Dot.export(cx)))));
    }
    if wants(Format::Triples) {
        files.push(("triples.jsonl", None));
    }
    if wants(Format::NTriples) {
        files.push(("graph.nt", Some(Box::new(move || export::ntriples::NTriples.export(cx)))));
    }
    if wants(Format::Cypher) {
        files.push(("graph.cypher", Some(Box::new(move || export::cypher::Cypher.export(cx)))));
    }
    if wants(Format::Csv) {
        files.push(("nodes.csv", Some(Box::new(move || export::csv::nodes(cx)))));
        files.push(("relationships.csv", Some(Box::new(move || export::csv::relationships(cx)))));
    }
    if wants(Format::GraphMl) {
        files.push(("graph.graphml", Some(Box::new(move || export::graphml::GraphMl.export(cx)))));
    }
    // each format rendered and written (to a temporary file, synced, renamed)
    // in one job, so that with more threads the writes overlap too
    // (a format's bytes are dropped once written, but the DOT's: the SVG is drawn from them)
    let is_dot = |name: &str| name == export::dot::Dot.file_name();
    let dot_only_for_svg = |name: &str| is_dot(name) && !wants(Format::Dot);
    let rendered: Vec<(Option<Vec<u8>>, std::io::Result<()>)> = pool.install(|| {
        files
            .par_iter()
            .map(|(name, render)| match render {
                Some(render) => {
                    let bytes = render();
                    let written = if dot_only_for_svg(name) { Ok(()) } else { export::write_atomic(&out.join(name), &bytes) };
                    (is_dot(name).then_some(bytes), written)
                }
                None => (None, Ok(())),
            })
            .collect()
    });
    let mut written = Vec::new();
    let mut dot: Vec<u8> = Vec::new();
    for ((name, render), (bytes, result)) in files.iter().zip(rendered) {
        let result = if render.is_none() { triples.take().expect("the triples, written beside the unification") } else { result };
        if let Some(bytes) = bytes {
            dot = bytes;
        }
        if dot_only_for_svg(name) {
            continue; // rendered for the SVG only
        }
        let path = out.join(name);
        result.map_err(|source| Error::Output { path: path.clone(), source })?;
        written.push(path);
    }
    let svg = if wants(Format::Svg) {
        match render_svg(&dot) {
            Ok(bytes) => {
                let path = out.join("graph.svg");
                export::write_atomic(&path, &bytes).map_err(|source| Error::Output { path: path.clone(), source })?;
                written.push(path);
                SvgStatus::Written
            }
            Err(s) => s,
        }
    } else {
        SvgStatus::NotAsked
    };
    Ok(Written { files: written, svg, entities: g.graph.node_count(), triples: g.triples_by_predicate(&rules.schema) })
}

/// What `write_outputs` wrote, and the size of the graph it wrote.
pub struct Written {
    pub files: Vec<PathBuf>,
    pub svg: SvgStatus,
    pub entities: usize,
    pub triples: BTreeMap<String, usize>,
}

/// The shard records of a merged graph, one per document, in document order.
fn shard_of_graph(g: &graph::Graph, schema: &rules::Schema) -> Vec<u8> {
    let mut out = Vec::new();
    for d in g.documents() {
        out.extend_from_slice(shard::to_line(schema, &d).as_bytes());
        out.push(b'\n');
    }
    out
}

/// The graph of the shard records in `paths` (OUT dirs, shard files), with English names.
fn graph_from_shards(rules: &rules::RuleSet, paths: &[PathBuf]) -> Result<graph::Graph, shard::ShardError> {
    let mut g = graph::Graph::new();
    for f in shard::shard_files(paths) {
        shard::for_each_record(&rules.schema, &f, |d| g.add(&rules.schema, d))?;
    }
    g.set_english_names(&english_names(rules));
    Ok(g)
}

/// `chainkg merge`: shard records (OUT dirs of builds, or mapper output) →
/// the same outputs as one build over all their documents.
pub fn merge(rules_dir: &Path, shards: &[PathBuf], out: &Path, base: &str, formats: &[Format]) -> Result<BuildReport, Error> {
    check_base(base).map_err(Error::Usage)?;
    let rules = rules::RuleSet::load(rules_dir)?;
    let g = graph_from_shards(&rules, shards).map_err(Error::Shard)?;
    if g.stats.documents == 0 {
        return Err(Error::NoInput("the shards hold no documents".into()));
    }
    let w = write_outputs(&g, &rules, out, base, formats)?;
    Ok(BuildReport {
        documents: g.stats.documents,
        sentences: g.stats.sentences,
        entities: w.entities,
        triples: w.triples,
        problems: Vec::new(),
        written: w.files,
        svg: w.svg,
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

/// Largest graph that `coverage` draws whole into its HTML report; a larger
/// one is drawn by its most connected entities.
pub const MAX_DRAWN_NODES: usize = 400;
pub const CORE_DRAWN_NODES: usize = 150;

/// `chainkg coverage`: OUT/coverage.json and OUT/coverage.html.
pub fn coverage_report(rules_dir: &Path, inputs: &[PathBuf], out: &Path, on_problem: impl FnMut(&corpus::InputProblem)) -> Result<coverage::Coverage, Error> {
    let rules = rules::RuleSet::load(rules_dir)?;
    let ex = extract::Extractor::new(&rules);
    let cov = coverage::coverage(&ex, inputs, on_problem);
    if cov.documents == 0 {
        return Err(Error::NoInput("no documents could be read".into()));
    }
    // the whole graph when it is small, else its most connected entities
    let unified = cov.graph.unified(&rules.schema);
    let g = &unified.graph;
    let mut nodes: Vec<petgraph::stable_graph::NodeIndex> = unified.sorted_nodes();
    let whole = nodes.len() <= MAX_DRAWN_NODES;
    if !whole {
        let degree = |n: &petgraph::stable_graph::NodeIndex| g.edges_directed(*n, petgraph::Direction::Outgoing).count() + g.edges_directed(*n, petgraph::Direction::Incoming).count();
        nodes.sort_by(|a, b| degree(b).cmp(&degree(a)).then(g[*a].id.cmp(&g[*b].id)));
        nodes.truncate(CORE_DRAWN_NODES);
    }
    let keep: std::collections::BTreeSet<_> = nodes.into_iter().collect();
    let cx = ExportContext { graph: &unified, schema: &rules.schema, base: DEFAULT_BASE };
    let dot = export::dot::print(&export::dot::build(&cx, if whole { None } else { Some(&keep) }));
    let drawn = render_svg(dot.as_bytes()).ok().map(|b| String::from_utf8_lossy(&b).into_owned());
    let caption = if whole {
        format!("all {} entities", g.node_count())
    } else {
        format!("the {} most connected of {} entities (`chainkg build` writes them all to graph.dot)", keep.len(), g.node_count())
    };
    let svg = drawn.map(|s| (s, caption));
    std::fs::create_dir_all(out).map_err(|source| Error::Output { path: out.to_path_buf(), source })?;
    let json = serde_json::to_vec_pretty(&cov).expect("coverage serialises");
    let html = report_html::render(&cov, svg.as_ref().map(|(s, c)| (s.as_str(), c.as_str())));
    for (name, bytes) in [("coverage.json", json), ("coverage.html", html.into_bytes())] {
        let path = out.join(name);
        export::write_atomic(&path, &bytes).map_err(|source| Error::Output { path: path.clone(), source })?;
    }
    Ok(cov)
}

/// Options of `chainkg diagram`.
#[derive(Debug, Clone)]
pub struct DiagramOptions {
    /// Shards to draw from: an OUT directory of `build` or triples JSONL files.
    pub from: Vec<PathBuf>,
    pub rules: PathBuf,
    pub focus: Option<String>,
    pub depth: usize,
    pub predicates: Vec<String>,
    pub chain: bool,
    /// svg, png or dot
    pub format: String,
    pub out: PathBuf,
}

/// Whether fontconfig knows a font with Chinese glyphs.
pub fn has_cjk_fonts() -> bool {
    std::process::Command::new("fc-list")
        .args([":lang=zh", "family"])
        .output()
        .map(|o| o.status.success() && !o.stdout.iter().all(u8::is_ascii_whitespace))
        .unwrap_or(false)
}

/// `chainkg diagram`: a readable subgraph around a focus, drawn as SVG, PNG or DOT.
pub fn diagram(opts: &DiagramOptions) -> Result<(usize, usize), String> {
    use petgraph::visit::EdgeRef;
    let rules = rules::RuleSet::load(&opts.rules).map_err(|e| e.to_string())?;
    let schema = &rules.schema;
    let mut predicates = Vec::new();
    for p in &opts.predicates {
        predicates.push(schema.predicate_index(p).ok_or_else(|| format!("unknown predicate {p:?}"))?);
    }
    if !matches!(opts.format.as_str(), "svg" | "png" | "dot") {
        return Err(format!("unknown diagram format {:?} (svg, png, dot)", opts.format));
    }
    if opts.format == "png" && !has_cjk_fonts() {
        return Err("PNG needs a font with Chinese glyphs, or every label is drawn as boxes: apt-get install fonts-noto-cjk (or draw --format svg, which the viewer's fonts render)".into());
    }
    let g = graph_from_shards(&rules, &opts.from).map_err(|e| format!("{e} (run `chainkg build` first)"))?;
    let g = g.unified(schema);
    let gr = &g.graph;
    let allowed = |p: usize| predicates.is_empty() || predicates.contains(&p);
    let mut keep: std::collections::BTreeSet<petgraph::stable_graph::NodeIndex> = Default::default();
    let focus = match &opts.focus {
        Some(name) => {
            let want = eval::norm_name(name);
            let hit = g
                .sorted_nodes()
                .into_iter()
                .find(|n| gr[*n].names.iter().chain(std::iter::once(&gr[*n].key.name)).chain(gr[*n].name_en.iter()).any(|x| eval::norm_name(x) == want))
                .ok_or_else(|| format!("no entity named {name:?} in the graph"))?;
            // breadth first, both directions, through the allowed predicates
            let mut frontier = vec![hit];
            keep.insert(hit);
            for _ in 0..opts.depth {
                let mut next = Vec::new();
                for n in frontier {
                    let out = gr.edges(n).filter(|e| allowed(e.weight().predicate)).map(|e| e.target());
                    let inc = gr.edges_directed(n, petgraph::Direction::Incoming).filter(|e| allowed(e.weight().predicate)).map(|e| e.source());
                    for m in out.chain(inc).collect::<Vec<_>>() {
                        if keep.insert(m) {
                            next.push(m);
                        }
                    }
                }
                frontier = next;
            }
            Some(hit)
        }
        None => {
            for e in gr.edge_indices() {
                if allowed(gr[e].predicate) {
                    let (a, b) = gr.edge_endpoints(e).expect("live edge");
                    keep.insert(a);
                    keep.insert(b);
                }
            }
            None
        }
    };
    let chain = opts.chain || (!predicates.is_empty() && predicates.iter().all(|p| matches!(schema.predicates[*p].name.as_str(), "upstream_of" | "supplier_of")));
    let cx = ExportContext { graph: &g, schema, base: DEFAULT_BASE };
    let dopts = export::dot::DotOptions { predicates: predicates.clone(), chain, legend: true, focus };
    let dot = export::dot::print(&export::dot::build_with(&cx, Some(&keep), &dopts)).into_bytes();
    let bytes = match opts.format.as_str() {
        "dot" => dot,
        fmt => render(&dot, fmt)?,
    };
    if let Some(dir) = opts.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    export::write_atomic(&opts.out, &bytes).map_err(|e| format!("{}: {e}", opts.out.display()))?;
    let edges = gr.edge_indices().filter(|e| gr.edge_endpoints(*e).is_some_and(|(a, b)| keep.contains(&a) && keep.contains(&b)) && allowed(gr[*e].predicate)).count();
    Ok((keep.len(), edges))
}

fn render(dot: &[u8], format: &str) -> Result<Vec<u8>, String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("dot")
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| if e.kind() == std::io::ErrorKind::NotFound { "Graphviz's `dot` is not installed (apt-get install graphviz); --format dot writes the DOT source".to_string() } else { e.to_string() })?;
    let mut stdin = child.stdin.take().expect("piped");
    let input = dot.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let _ = writer.join();
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(format!("dot failed: {}", String::from_utf8_lossy(&out.stderr).trim()))
    }
}
