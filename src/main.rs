//! The command line: parses arguments, calls the library, prints.

/// mimalloc: the pipeline allocates many small strings and vectors per
/// sentence; glibc's allocator was a tenth of the run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chainkg::{build, BuildOptions, BuildReport, Format, SvgStatus, DEFAULT_BASE};

/// Loads the rules, or says why not (file, line, column, rule) and gives the exit status.
fn load_rules(dir: &std::path::Path) -> Result<chainkg::rules::RuleSet, ExitCode> {
    chainkg::rules::RuleSet::load(dir).map_err(|e| {
        eprintln!("chainkg: error: {e}");
        ExitCode::from(2)
    })
}

/// A comma-separated list of formats.
#[derive(Debug, Clone)]
struct Formats(Vec<Format>);

fn parse_formats(s: &str) -> Result<Formats, String> {
    Format::parse_list(s).map(Formats)
}

/// Prints what was written and the summary (to stderr when stdout carries data).
fn summary(report: &BuildReport, to_stderr: bool) {
    let mut lines = Vec::new();
    for p in &report.written {
        lines.push(format!("wrote {}", p.display()));
    }
    match &report.svg {
        SvgStatus::Written | SvgStatus::NotAsked => {}
        SvgStatus::NoGraphviz => lines.push("no graph.svg: Graphviz's `dot` is not installed (apt-get install graphviz)".into()),
        SvgStatus::Failed(e) => eprintln!("chainkg: graph.svg not written: dot failed: {e}"),
    }
    let total: usize = report.triples.values().sum();
    lines.push(format!("{} documents, {} sentences, {} entities, {} triples", report.documents, report.sentences, report.entities, total));
    for (p, n) in &report.triples {
        lines.push(format!("  {p:<16} {n}"));
    }
    for l in lines {
        if to_stderr {
            eprintln!("{l}");
        } else {
            println!("{l}");
        }
    }
}
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "chainkg", version, about = "Chinese industry news → industry-chain knowledge graph")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The documents and the rules to read them with.
#[derive(clap::Args)]
struct Input {
    /// .txt files (one document each), .jsonl files ({"id","text"} a line), directories of them, or - (JSONL on stdin).
    #[arg(default_value = "seeds")]
    inputs: Vec<PathBuf>,
    /// The rule directory (schema.toml, entities/, relations/).
    #[arg(long, default_value = "rules")]
    rules: PathBuf,
}

/// Input plus where to write.
#[derive(clap::Args)]
struct Corpus {
    #[command(flatten)]
    input: Input,
    /// The output directory.
    #[arg(long, default_value = "out")]
    out: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Extract triples from the inputs and write the graph (JSON-LD, DOT, SVG).
    Build {
        #[command(flatten)]
        corpus: Corpus,
        /// The IRI base of entities and the ontology.
        #[arg(long, default_value = DEFAULT_BASE)]
        base: String,
        /// Output formats: jsonld, nt, cypher, csv (neo4j-admin), graphml, dot, svg,
        /// triples (the shard file `merge` reads), all;
        /// or triples-jsonl alone: one JSON line per document on standard output (a mapper).
        #[arg(long, default_value = "jsonld,nt,dot,svg,triples", value_parser = parse_formats)]
        format: Formats,
        /// Worker threads (0: all cores); the output is the same for every value.
        #[arg(long, default_value_t = 0)]
        jobs: usize,
        /// No progress bar (it is only drawn on a terminal anyway).
        #[arg(long)]
        quiet: bool,
    },
    /// Merge the shards of several builds (their OUT directories or triples JSONL files) into one graph.
    Merge {
        /// OUT directories of `build`, or files of `build --format triples-jsonl` output.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        #[arg(long, default_value = "out")]
        out: PathBuf,
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
        #[arg(long, default_value = DEFAULT_BASE)]
        base: String,
        #[arg(long, default_value = "jsonld,nt,dot,svg,triples", value_parser = parse_formats)]
        format: Formats,
    },
    /// Precision, recall and F1 per predicate against gold files, with misses and false positives.
    Eval {
        /// A gold file or a directory of them.
        #[arg(long)]
        gold: PathBuf,
        #[command(flatten)]
        corpus: Input,
    },
    /// Per-rule hits, overlaps, conflicts, dead rules and uncovered candidate sentences (OUT/coverage.json, OUT/coverage.html).
    Coverage {
        #[command(flatten)]
        corpus: Corpus,
    },
    /// Run a SPARQL query over a graph (N-Triples or JSON-LD) in an in-memory Oxigraph store.
    Query {
        /// The query; the prefixes ck:, schema:, rdf:, prov:, xsd: are predeclared.
        query: String,
        #[arg(long, default_value = "out/graph.nt")]
        graph: PathBuf,
        /// table, json (SPARQL results JSON) or csv.
        #[arg(long, default_value = "table")]
        format: String,
        /// The IRI base the graph was built with.
        #[arg(long, default_value = DEFAULT_BASE)]
        base: String,
    },
    /// Draw a readable subgraph: around a focus entity, parks as clusters, a legend.
    Diagram {
        /// An OUT directory of `build` (its triples.jsonl) or triples JSONL files.
        #[arg(long = "from", default_value = "out")]
        from: Vec<PathBuf>,
        /// The entity to centre on (any of its names).
        #[arg(long)]
        focus: Option<String>,
        /// How many relations away from the focus to draw.
        #[arg(long, default_value_t = 2)]
        depth: usize,
        /// Only these predicates, comma-separated (e.g. supplier_of,upstream_of).
        #[arg(long, value_delimiter = ',')]
        predicates: Vec<String>,
        /// Industry-chain view: upstream left of downstream (on by default when
        /// only upstream_of / supplier_of are drawn).
        #[arg(long)]
        chain: bool,
        /// svg, png (needs CJK fonts) or dot.
        #[arg(long, default_value = "svg")]
        format: String,
        /// The file to write (default out/diagram.FORMAT).
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
    },
    /// Load and validate the rules, then run every rule's examples and counter-examples.
    Check {
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
    },
    /// Show how a text is read: segmentation, mentions, entities, rules that fired.
    Explain {
        /// The text to explain (or use --doc).
        text: Option<String>,
        /// A .txt document to explain instead.
        #[arg(long)]
        doc: Option<PathBuf>,
        /// Only this sentence of the document (from 0).
        #[arg(long)]
        sentence: Option<usize>,
        /// Also say why this rule did (or did not) fire on each sentence.
        #[arg(long)]
        rule: Option<String>,
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Diagram { from, focus, depth, predicates, chain, format, out, rules } => {
            let out = out.unwrap_or_else(|| PathBuf::from(format!("out/diagram.{format}")));
            let opts = chainkg::DiagramOptions { from, rules, focus, depth, predicates, chain, format, out: out.clone() };
            match chainkg::diagram(&opts) {
                Ok((nodes, edges)) => {
                    println!("wrote {} ({nodes} entities, {edges} relations)", out.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("chainkg: error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Query { query, graph, format, base } => {
            let output = match format.as_str() {
                "table" => chainkg::query::Output::Table,
                "json" => chainkg::query::Output::Json,
                "csv" => chainkg::query::Output::Csv,
                other => {
                    eprintln!("chainkg: error: unknown result format {other:?} (table, json, csv)");
                    return ExitCode::from(2);
                }
            };
            let store = match chainkg::query::load(&graph) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("chainkg: error: {e} (build it with `chainkg build --format nt` or `jsonld`)");
                    return ExitCode::from(2);
                }
            };
            match chainkg::query::run(&store, &query, &base, output) {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("chainkg: error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Coverage { corpus: Corpus { input: Input { inputs, rules }, out } } => {
            let mut skipped = 0usize;
            match chainkg::coverage_report(&rules, &inputs, &out, |p| {
                skipped += 1;
                eprintln!("chainkg: skipped {p}")
            }) {
                Ok(cov) => {
                    println!("wrote {}", out.join("coverage.json").display());
                    println!("wrote {}", out.join("coverage.html").display());
                    println!(
                        "{} documents, {} sentences, {} distinct triples; {} rules, {} dead; {} uncovered candidate sentences in {} shapes",
                        cov.documents,
                        cov.sentences,
                        cov.triples,
                        cov.rules.len(),
                        cov.dead_rules.len(),
                        cov.uncovered_sentences,
                        cov.candidates.len()
                    );
                    for c in cov.candidates.iter().take(5) {
                        println!("  {:>5}  {}", c.count, c.shape);
                    }
                    if skipped == 0 {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(1)
                    }
                }
                Err(e) => {
                    eprintln!("chainkg: error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Eval { gold, corpus: Input { inputs, rules } } => {
            let rules = match load_rules(&rules) {
                Ok(r) => r,
                Err(code) => return code,
            };
            let gold = match chainkg::eval::Gold::load(&gold) {
                Ok(g) => g,
                Err(e) => {
                    eprintln!("chainkg: error: {e}");
                    return ExitCode::from(2);
                }
            };
            let (graph, problems) = chainkg::build_graph(&rules, &inputs, |p| eprintln!("chainkg: skipped {p}"));
            print!("{}", chainkg::eval::evaluate(&graph, &rules.schema, &gold));
            if problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Command::Check { rules } => {
            let rules = match load_rules(&rules) {
                Ok(r) => r,
                Err(code) => return code,
            };
            let ex = chainkg::extract::Extractor::new(&rules);
            let report = chainkg::check::check(&ex);
            for f in &report.failures {
                print!("{f}");
            }
            for r in &report.without_examples {
                println!("warning: rule {r} has no example");
            }
            for (r, lits) in &report.broad {
                if lits.is_empty() {
                    println!("note: rule {r} needs no literal text: it is tried on every sentence with its mentions");
                } else {
                    println!("note: rule {r} is tried on every sentence with one of {}: give it a longer required word if it has one", lits.join(" "));
                }
            }
            println!(
                "{} rules, {} examples, {} counter-examples: {} failed",
                report.rules,
                report.examples,
                report.counter_examples,
                report.failures.len()
            );
            if report.failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Command::Explain { text, doc, sentence, rule, rules } => {
            let rules = match load_rules(&rules) {
                Ok(r) => r,
                Err(code) => return code,
            };
            let document = match (text, doc) {
                (Some(t), None) => chainkg::corpus::Document { id: "text".into(), text: t },
                (None, Some(p)) => {
                    let bytes = match std::fs::read(&p) {
                        Ok(b) => b,
                        Err(e) => {
                            eprintln!("chainkg: error: {}: {e}", p.display());
                            return ExitCode::from(2);
                        }
                    };
                    match chainkg::corpus::decode(&bytes) {
                        Ok(t) => chainkg::corpus::Document { id: p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(), text: t },
                        Err(e) => {
                            eprintln!("chainkg: error: {}: {e}", p.display());
                            return ExitCode::from(2);
                        }
                    }
                }
                _ => {
                    eprintln!("chainkg: error: give a TEXT or --doc FILE, not both");
                    return ExitCode::from(2);
                }
            };
            let ex = chainkg::extract::Extractor::new(&rules);
            let rule = match rule.as_deref().map(|id| (id, rules.rule(id))) {
                Some((id, None)) => {
                    eprintln!("chainkg: error: no rule {id:?} in {}", rules.dir.display());
                    return ExitCode::from(2);
                }
                Some((_, r)) => r,
                None => None,
            };
            print!("{}", chainkg::explain::explain(&ex, &document, sentence, rule));
            ExitCode::SUCCESS
        }
        Command::Build { corpus: Corpus { input: Input { inputs, rules }, out }, base, format, jobs, quiet } => {
            let formats = format.0;
            let mapper = formats.contains(&Format::TriplesJsonl);
            let opts = BuildOptions { inputs, rules, out, base, formats, jobs, progress: !quiet && !mapper };
            let report = match build(&opts, |p| eprintln!("chainkg: skipped {p}")) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("chainkg: error: {e}");
                    return ExitCode::from(2);
                }
            };
            if !(mapper && quiet) {
                summary(&report, mapper);
            }
            if report.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                eprintln!("chainkg: {} input(s) skipped", report.problems.len());
                ExitCode::from(1)
            }
        }
        Command::Merge { shards, out, rules, base, format } => {
            let formats = format.0;
            if formats.contains(&Format::TriplesJsonl) {
                eprintln!("chainkg: error: merge writes files; triples-jsonl is for build");
                return ExitCode::from(2);
            }
            match chainkg::merge(&rules, &shards, &out, &base, &formats) {
                Ok(report) => {
                    summary(&report, false);
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("chainkg: error: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}
