//! The command line as a user runs it: outputs, determinism, bad input.

mod common;
use common::root;

use assert_cmd::Command;
use std::path::Path;

fn chainkg() -> Command {
    let mut c = Command::cargo_bin("chainkg").unwrap();
    c.current_dir(root());
    c
}

fn build(inputs: &[&Path], out: &Path) -> assert_cmd::assert::Assert {
    let mut c = chainkg();
    c.arg("build");
    for i in inputs {
        c.arg(i);
    }
    c.arg("--out").arg(out).assert()
}

#[test]
fn build_writes_the_graph_files_and_a_summary() {
    let out = tempfile::tempdir().unwrap();
    let a = build(&[&root().join("seeds")], out.path()).success();
    let stdout = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("1 documents") && stdout.contains("located_in"), "{stdout}");
    for f in ["graph.jsonld", "graph.dot"] {
        assert!(out.path().join(f).exists(), "{f}");
    }
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(out.path().join("graph.jsonld")).unwrap()).unwrap();
    assert!(v["@context"].is_object() && v["@graph"].as_array().unwrap().len() > 40);
    // the DOT file parses
    let dot = std::fs::read_to_string(out.path().join("graph.dot")).unwrap();
    graphviz_rust::parse(&dot).expect("valid DOT");
    assert!(dot.contains("cluster_") && dot.contains("位于"));
}

#[test]
fn two_builds_give_the_same_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    build(&[&root().join("seeds")], a.path()).success();
    build(&[&root().join("seeds")], b.path()).success();
    for f in ["graph.jsonld", "graph.dot"] {
        assert_eq!(std::fs::read(a.path().join(f)).unwrap(), std::fs::read(b.path().join(f)).unwrap(), "{f}");
    }
}

#[test]
fn gbk_text_is_decoded_and_read() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, _, _) = encoding_rs::GBK.encode("另一家锂离子电池生产企业厦门新能安科技有限公司落户厦门火炬高新区。");
    std::fs::write(dir.path().join("gbk.txt"), &bytes).unwrap();
    let out = tempfile::tempdir().unwrap();
    build(&[dir.path()], out.path()).success();
    let g = std::fs::read_to_string(out.path().join("graph.jsonld")).unwrap();
    assert!(g.contains("厦门新能安科技有限公司"));
}

#[test]
fn bad_inputs_are_named_skipped_and_the_rest_still_processed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a_good.txt"), "宁德时代落子厦门火炬高新区。").unwrap();
    std::fs::write(d.join("b_binary.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    std::fs::write(d.join("c_empty.txt"), "").unwrap();
    std::fs::write(d.join("d_latin1.txt"), b"caf\xe9 \xff\xfe\xfd").unwrap();
    std::fs::write(
        d.join("e_corpus.jsonl"),
        "{\"id\": \"ok1\", \"text\": \"2017年，包头江馨微电机科技有限公司落户稀土高新区。\"}\n{\"id\": \"broken\", \"text\": \n{\"text\": \"no id\"}\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let missing = d.join("nope.txt");
    let a = build(&[d, &missing], out.path()).code(1);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("b_binary.txt") && stderr.contains("binary"), "{stderr}");
    assert!(stderr.contains("c_empty.txt") && stderr.contains("empty"), "{stderr}");
    assert!(stderr.contains("d_latin1.txt") && stderr.contains("not UTF-8"), "{stderr}");
    assert!(stderr.contains("e_corpus.jsonl:2:") && stderr.contains("malformed JSON"), "{stderr}");
    assert!(stderr.contains("e_corpus.jsonl:3:") && stderr.contains("\"id\""), "{stderr}");
    assert!(stderr.contains("nope.txt") && stderr.contains("no such file"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let g = std::fs::read_to_string(out.path().join("graph.jsonld")).unwrap();
    assert!(g.contains("宁德时代新能源科技股份有限公司") && g.contains("包头江馨微电机科技有限公司"));
}

#[test]
fn a_jsonl_file_whose_only_line_is_undecodable_is_not_called_empty() {
    let dir = tempfile::tempdir().unwrap();
    let line = "{\"id\": \"n1\", \"text\": \"宁德时代落子厦门火炬高新区。\"}";
    // bytes that are neither UTF-8 nor GB18030 inside the text
    let mut bad = line.as_bytes()[..30].to_vec();
    bad.extend_from_slice(b"\xff\xfe\xfd");
    bad.extend_from_slice(&line.as_bytes()[30..]);
    std::fs::write(dir.path().join("cut.jsonl"), bad).unwrap();
    let out = tempfile::tempdir().unwrap();
    let a = build(&[dir.path()], out.path()).code(2);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("cut.jsonl:1:") && stderr.contains("not UTF-8"), "{stderr}");
    assert!(!stderr.contains("empty file"), "{stderr}");
}

#[test]
fn nothing_is_written_when_the_rules_are_broken() {
    let rules = tempfile::tempdir().unwrap();
    std::fs::write(rules.path().join("schema.toml"), "[[type]]\nname = \"Company\"\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("graph");
    let a = chainkg().args(["build", "seeds", "--rules"]).arg(rules.path()).arg("--out").arg(&target).assert().code(2);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("schema.toml:1:") && stderr.contains("label"), "{stderr}");
    assert!(!target.exists());
}

#[test]
fn no_documents_at_all_is_an_error() {
    let out = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let a = build(&[empty.path()], &out.path().join("g")).code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("no input documents"));
}

#[test]
fn the_seed_scores_against_its_gold_as_a_triple_store_reads_it() {
    // score.py reads the JSON-LD with pyld, the JSON-LD reference processor
    let out = tempfile::tempdir().unwrap();
    build(&[&root().join("seeds")], out.path()).success();
    let r = std::process::Command::new("python3")
        .arg(root().join("tests/score.py"))
        .args(["--gold"])
        .arg(root().join("tests/gold"))
        .arg("--graph")
        .arg(out.path().join("graph.jsonld"))
        .args(["--min-precision", "0.90", "--min-recall", "0.85"])
        .output()
        .expect("python3 runs (pip install pyld)");
    let text = String::from_utf8_lossy(&r.stdout);
    assert!(r.status.success(), "{text}\n{}", String::from_utf8_lossy(&r.stderr));
}

#[test]
fn explain_and_check_run() {
    let a = chainkg().args(["explain", "宁德时代落子厦门火炬高新区。"]).assert().success();
    let out = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(out.contains("〔Company〕落子〔Park〕") && out.contains("fired located_in.settle"), "{out}");
    let a = chainkg().arg("check").assert().success();
    assert!(String::from_utf8_lossy(&a.get_output().stdout).contains("0 failed"));
}

fn corpus_dir() -> tempfile::TempDir {
    // a small corpus: the seed plus JSONL documents, some sharing entities
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("seeds/000_9f9d607c3aff8d2b.txt"), dir.path().join("000_seed.txt")).unwrap();
    let lines = [
        r#"{"id": "j1", "text": "宁德时代落子厦门火炬高新区。比亚迪拟对全资子公司深圳市比亚迪汽车有限公司增资2亿元。"}"#,
        r#"{"id": "j2", "text": "华友钴业与国轩高科签署合作协议。此外，双方合资8亿元设立华轩新能源材料有限公司。"}"#,
        r#"{"id": "j3", "text": "欣旺达的客户目前涵盖众多主流整车企业，包括上汽集团、一汽、吉利、长安汽车等。宁德时代总经理张三表示将扩产。"}"#,
    ];
    std::fs::write(dir.path().join("more.jsonl"), lines.join("\n")).unwrap();
    dir
}

#[test]
fn the_output_is_the_same_for_any_number_of_threads() {
    let corpus = corpus_dir();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    chainkg().arg("build").arg(corpus.path()).arg("--out").arg(a.path()).args(["--jobs", "1", "--format", "jsonld,dot,triples"]).assert().success();
    chainkg().arg("build").arg(corpus.path()).arg("--out").arg(b.path()).args(["--jobs", "2", "--format", "jsonld,dot,triples"]).assert().success();
    for f in ["graph.jsonld", "graph.dot", "triples.jsonl"] {
        assert_eq!(std::fs::read(a.path().join(f)).unwrap(), std::fs::read(b.path().join(f)).unwrap(), "{f}");
    }
}

#[test]
fn shards_merge_into_the_same_bytes_as_one_build() {
    let corpus = corpus_dir();
    let whole = tempfile::tempdir().unwrap();
    chainkg().arg("build").arg(corpus.path()).arg("--out").arg(whole.path()).args(["--format", "jsonld,dot,triples"]).assert().success();
    // shard 1: the seed, built to an OUT directory
    let s1 = tempfile::tempdir().unwrap();
    chainkg().arg("build").arg(corpus.path().join("000_seed.txt")).arg("--out").arg(s1.path()).args(["--format", "triples"]).assert().success();
    // shard 2: the JSONL through standard input, chainkg as a mapper
    let mapped = chainkg()
        .args(["build", "-", "--format", "triples-jsonl", "--quiet"])
        .pipe_stdin(corpus.path().join("more.jsonl"))
        .unwrap()
        .assert()
        .success();
    let s2 = tempfile::tempdir().unwrap();
    std::fs::write(s2.path().join("part.jsonl"), &mapped.get_output().stdout).unwrap();
    assert_eq!(String::from_utf8_lossy(&mapped.get_output().stdout).lines().count(), 3, "one line per document");
    let merged = tempfile::tempdir().unwrap();
    chainkg().arg("merge").arg(s2.path().join("part.jsonl")).arg(s1.path()).arg("--out").arg(merged.path()).args(["--format", "jsonld,dot,triples"]).assert().success();
    for f in ["graph.jsonld", "graph.dot", "triples.jsonl"] {
        assert_eq!(std::fs::read(whole.path().join(f)).unwrap(), std::fs::read(merged.path().join(f)).unwrap(), "{f}");
    }
}

#[test]
fn a_broken_shard_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.jsonl"), "{\"doc\": \"a\", \"sentences\": 1, \"entities\": [], \"triples\": []}\nnot json\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let a = chainkg().arg("merge").arg(dir.path().join("bad.jsonl")).arg("--out").arg(out.path().join("m")).assert().code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(stderr.contains("bad.jsonl:2:"), "{stderr}");
    assert!(!out.path().join("m").exists());
}

#[test]
fn a_base_iri_that_is_no_iri_is_refused_before_anything_is_written() {
    let out = tempfile::tempdir().unwrap();
    for bad in ["not an iri/", "https://example.org/kg", "https://exa<mple>.org/"] {
        let a = chainkg().args(["build", "seeds", "--base", bad, "--out"]).arg(out.path().join("g")).assert().code(2);
        assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("--base"), "{bad}");
    }
    assert!(!out.path().join("g").exists());
    let g = out.path().join("ok");
    chainkg().args(["build", "seeds", "--base", "http://example.org/graph#", "--format", "nt", "--out"]).arg(&g).assert().success();
    assert!(std::fs::read_to_string(g.join("graph.nt")).unwrap().contains("<http://example.org/graph#entity/"));
}

#[test]
fn an_entity_known_by_its_short_name_in_one_document_is_one_node_with_its_legal_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "厦门火炬高新区企业厦门海辰储能科技股份有限公司（以下简称海辰储能）研制的电池面市。").unwrap();
    std::fs::write(dir.path().join("b.txt"), "4月12日，海辰储能（688001）发布公告称，海辰储能与宁德时代签署战略合作协议。").unwrap();
    let out = tempfile::tempdir().unwrap();
    chainkg().arg("build").arg(dir.path()).arg("--out").arg(out.path()).args(["--format", "jsonld,triples"]).assert().success();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(out.path().join("graph.jsonld")).unwrap()).unwrap();
    let nodes: Vec<&serde_json::Value> = v["@graph"].as_array().unwrap().iter().filter(|n| n["@type"] == "Company").collect();
    let hithium: Vec<&&serde_json::Value> = nodes.iter().filter(|n| n.to_string().contains("海辰储能")).collect();
    assert_eq!(hithium.len(), 1, "{hithium:?}");
    assert_eq!(hithium[0]["name"], "厦门海辰储能科技股份有限公司");
    // both documents' relations hang on that one node
    assert!(hithium[0].get("located_in").is_some(), "{v}");
    let id = hithium[0]["@id"].as_str().unwrap();
    let coop = v["@graph"].as_array().unwrap().iter().any(|n| {
        n["@type"] == "Statement" && n["predicate"] == "ck:cooperates_with" && (n["subject"] == id || n["object"] == id)
    });
    assert!(coop, "{v}");
    // the shard file keeps the graph as built, so that merging stays exact
    let shard = std::fs::read_to_string(out.path().join("triples.jsonl")).unwrap();
    assert!(shard.contains("\"海辰储能\""));
}
