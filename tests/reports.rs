//! The rule author's reports: eval, coverage (JSON and HTML in a real
//! browser), explain's "why not".

mod common;
use common::root;

use assert_cmd::Command;

fn chainkg() -> Command {
    let mut c = Command::cargo_bin("chainkg").unwrap();
    c.current_dir(root());
    c
}

#[test]
fn eval_gives_the_same_figures_as_score_py() {
    let a = chainkg().args(["eval", "--gold", "tests/gold", "seeds"]).assert().success();
    let ours = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    let out = tempfile::tempdir().unwrap();
    chainkg().args(["build", "seeds", "--out"]).arg(out.path()).assert().success();
    let r = std::process::Command::new("python3")
        .arg(root().join("tests/score.py"))
        .args(["--gold", "tests/gold", "--graph"])
        .arg(out.path().join("graph.jsonld"))
        .current_dir(root())
        .output()
        .expect("python3 with pyld");
    let theirs = String::from_utf8_lossy(&r.stdout);
    assert_eq!(ours.lines().last(), theirs.lines().last(), "ours:\n{ours}\nscore.py:\n{theirs}");
    assert!(ours.contains("executiveof"), "{ours}");
}

#[test]
fn eval_lists_false_positives_with_their_rule_and_misses_with_gold_evidence() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.txt"), "宁德时代落子厦门火炬高新区。远航储能总经理王鹏程表示。").unwrap();
    let gold = r#"{"doc": "d", "entities": [
        {"id": "catl", "type": "Company", "names": ["宁德时代"]},
        {"id": "xm", "type": "Region", "names": ["厦门"]},
        {"id": "p", "type": "Person", "names": ["王鹏程"]},
        {"id": "h", "type": "Company", "names": ["远航储能"]}],
      "triples": [{"s": "catl", "p": "located_in", "o": "xm", "evidence": "宁德时代落子厦门"},
                  {"s": "p", "p": "executive_of", "o": "h", "evidence": "远航储能总经理王鹏程"}]}"#;
    std::fs::write(dir.path().join("d.json"), gold).unwrap();
    let a = chainkg().arg("eval").arg("--gold").arg(dir.path().join("d.json")).arg(dir.path().join("d.txt")).assert().success();
    let out = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(out.contains("FP  宁德时代新能源科技股份有限公司 --located_in--> 厦门火炬高新技术产业开发区"), "{out}");
    assert!(out.contains("(rule located_in.settle)"), "{out}");
    assert!(out.contains("FN  catl --located_in--> xm"), "{out}");
    assert!(out.contains("FN  p --executive_of--> h"), "{out}");
    assert!(out.lines().last().unwrap().starts_with("overall precision=0.000 recall=0.000"), "{out}");
}

fn hostile_corpus(dir: &std::path::Path) {
    let lines = [
        r#"{"id": "<script>document.title='pwned'</script>", "text": "宁德时代落子厦门火炬高新区。另一家企业厦门新能安科技有限公司落户厦门火炬高新区。"}"#,
        r#"{"id": "n2", "text": "比亚迪<script>document.title='pwned'</script>与华为技术有限公司签署战略合作协议。国轩高科与大众汽车将在合肥设立合资工厂，双方投资20亿元。"}"#,
        r#"{"id": "n3", "text": "宁德时代收购了一家位于德国的电池材料公司北京当升材料科技股份有限公司的股份。"}"#,
    ];
    std::fs::write(dir.join("c.jsonl"), lines.join("\n")).unwrap();
}

#[test]
fn coverage_lists_rules_dead_rules_and_uncovered_candidates() {
    let dir = tempfile::tempdir().unwrap();
    hostile_corpus(dir.path());
    let out = tempfile::tempdir().unwrap();
    chainkg().arg("coverage").arg(dir.path()).arg("--out").arg(out.path()).assert().success();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(out.path().join("coverage.json")).unwrap()).unwrap();
    let rules = v["rules"].as_array().unwrap();
    let n_rules = chainkg::rules::RuleSet::load(&root().join("rules")).unwrap().rules.len();
    assert_eq!(rules.len(), n_rules, "every rule is listed");
    let settle = rules.iter().find(|r| r["id"] == "located_in.settle").unwrap();
    assert_eq!(settle["hits"], 2);
    assert_eq!(settle["documents"], 1);
    assert!(settle["samples"].as_array().unwrap().iter().any(|s| s["text"].as_str().unwrap().contains("落子")), "{settle}");
    let dead = v["dead_rules"].as_array().unwrap();
    assert!(dead.iter().any(|d| d == "upstream_of.component-of"));
    assert!(!v["candidates"].as_array().unwrap().is_empty(), "{v}");
}

fn chromium() -> String {
    for c in ["chromium", "chromium-browser", "google-chrome"] {
        if std::process::Command::new(c).arg("--version").output().is_ok() {
            return c.to_string();
        }
    }
    panic!("no headless Chromium: apt-get install chromium (see .ci/run)");
}

#[test]
fn the_html_report_renders_in_a_browser_and_shows_hostile_text_as_text() {
    let dir = tempfile::tempdir().unwrap();
    hostile_corpus(dir.path());
    let out = tempfile::tempdir().unwrap();
    chainkg().arg("coverage").arg(dir.path()).arg("--out").arg(out.path()).assert().success();
    let html = std::fs::read_to_string(out.path().join("coverage.html")).unwrap();
    assert!(!html.contains("<script>"), "raw script tag in the report");
    let profile = tempfile::tempdir().unwrap();
    let dom = std::process::Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", out.path().join("coverage.html").display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&dom.stdout);
    // the page rendered, with its tables
    for id in ["rules", "predicates", "types", "conflicts", "candidates"] {
        assert!(dom.contains(&format!("<table id=\"{id}\"")), "table {id} missing:\n{dom}");
    }
    // the hostile text is text: escaped in the DOM, never run
    assert!(dom.contains("<title>chainkg rule coverage</title>"), "{dom}");
    assert!(!dom.contains("pwned</title>"));
    assert!(dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"), "{dom}");
    // with Graphviz the graph is drawn in
    if std::process::Command::new("dot").arg("-V").output().is_ok() {
        assert!(dom.contains("<svg"), "graph missing");
    }
}

#[test]
fn explain_says_why_a_rule_did_not_fire() {
    // located_in.settle needs an organisation before 落户; here there is none
    let a = chainkg().args(["explain", "新工厂落户厦门火炬高新区。", "--rule", "located_in.settle"]).assert().success();
    let out = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(out.contains("rule located_in.settle did not fire"), "{out}");
    assert!(out.contains("slot {org:Company|Lab|University|Agency+、}") && out.contains("厦门火炬高新区〔Park〕"), "{out}");
    let a = chainkg().args(["explain", "宁德时代在厦门火炬高新区挂牌。", "--rule", "located_in.settle"]).assert().success();
    let out = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(out.contains("matches up to `〔Company〕`") && out.contains("落户"), "{out}");
    chainkg().args(["explain", "x", "--rule", "no.such-rule"]).assert().code(2);
    // a match that a veto drops is named with the veto
    for (text, rule, why) in [
        ("宁德时代并未落户厦门火炬高新区。", "located_in.settle", "negation `并未`"),
        ("海尔集团公司拟收购松下电器产业株式会社旗下的白电业务。", "invests_in.acquire", "`旗下` follows it"),
        ("比亚迪超越特斯拉成为全球最大的新能源汽车制造商。", "produces.maker-of", "`超越` comes right before it"),
    ] {
        let a = chainkg().args(["explain", text, "--rule", rule]).assert().success();
        let out = String::from_utf8(a.get_output().stdout.clone()).unwrap();
        assert!(out.contains(&format!("rule {rule} matches")) && out.contains(why), "{text}: {out}");
    }
}
