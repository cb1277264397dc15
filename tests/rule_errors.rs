//! Rule-file mistakes are errors at load time that name file, line, column and rule.

mod common;
use common::root;

use chainkg::rules::RuleSet;
use std::path::Path;

/// A copy of the shipped rules with one relation file replaced.
fn rules_with(relation_file: &str, body: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = root().join("rules");
    std::fs::copy(src.join("schema.toml"), dir.path().join("schema.toml")).unwrap();
    for sub in ["entities", "relations"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        for e in std::fs::read_dir(src.join(sub)).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, dir.path().join(sub).join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(dir.path().join("relations").join(relation_file), body).unwrap();
    dir
}

fn load_err(dir: &Path) -> chainkg::rules::RuleError {
    RuleSet::load(dir).expect_err("the rules must be refused")
}

const HEADER: &str = "source = \"test\"\n\n";

/// A relation file with one located_in rule whose `[[rule]]` header is on line 3;
/// `extra` lines follow the rule's fields.
fn one_rule(id: &str, pattern: &str, subject: &str, extra: &str) -> String {
    format!(
        "{HEADER}[[rule]]\nid = \"{id}\"\npredicate = \"located_in\"\npattern = \"{pattern}\"\nsubject = \"{subject}\"\nobject = \"place\"\n{extra}"
    )
}

#[test]
fn a_rule_that_breaks_its_predicates_range_is_refused() {
    let body = one_rule("x.bad-range", "{org:Company}落户{place:Person}", "org", "examples = [\"a\"]\n");
    let dir = rules_with("zz_bad.toml", &body);
    let e = load_err(dir.path());
    assert!(e.file.ends_with("relations/zz_bad.toml"), "{e}");
    assert_eq!((e.line, e.column), (3, 1), "{e}");
    let msg = e.to_string();
    assert!(msg.contains("x.bad-range") && msg.contains("Person") && msg.contains("located_in"), "{msg}");
}

#[test]
fn an_unknown_type_in_a_slot_is_refused() {
    let body = one_rule("x.unknown", "{org:Firm}落户{place:Park}", "org", "");
    let dir = rules_with("zz_bad.toml", &body);
    let msg = load_err(dir.path()).to_string();
    assert!(msg.contains("zz_bad.toml:3:1") && msg.contains("x.unknown") && msg.contains("Firm"), "{msg}");
}

#[test]
fn a_bad_regex_is_refused() {
    let body = one_rule("x.regex", "{org:Company}(落户{place:Park}", "org", "");
    let dir = rules_with("zz_bad.toml", &body);
    let msg = load_err(dir.path()).to_string();
    assert!(msg.contains("zz_bad.toml:3:1") && msg.contains("x.regex") && msg.contains("regex"), "{msg}");
}

#[test]
fn mistakes_in_the_newer_rule_fields_are_refused_and_point_at_the_rule() {
    // (rule id, pattern, extra lines, what the message must name)
    let cases = [
        ("x.gap", "{org:Company}{gap:8+Gadget}落户{place:Park}", "", "Gadget"),
        ("x.follow", "{org:Company}落户{place:Park}", "not_followed_by = [\"后\", \"\"]\n", "not_followed_by"),
        ("x.precede", "{org:Company}落户{place:Park}", "not_preceded_by = [\"\"]\n", "not_preceded_by"),
    ];
    for (id, pattern, extra, names) in cases {
        let dir = rules_with("zz_new.toml", &one_rule(id, pattern, "org", extra));
        let msg = load_err(dir.path()).to_string();
        assert!(msg.contains("zz_new.toml:3:1") && msg.contains(id) && msg.contains(names), "{id}: {msg}");
    }
}

#[test]
fn a_duplicate_rule_id_names_both_places() {
    let body = one_rule("located_in.settle", "{org:Company}落户{place:Park}", "org", "");
    let dir = rules_with("zz_dup.toml", &body);
    let msg = load_err(dir.path()).to_string();
    assert!(msg.contains("zz_dup.toml:3:1") && msg.contains("duplicate rule id") && msg.contains("located_in.toml"), "{msg}");
}

#[test]
fn toml_syntax_errors_and_unknown_fields_point_at_the_line() {
    let dir = rules_with("zz_syntax.toml", &format!("{HEADER}[[rule]]\nid = \"x\"\npredicate = located_in\n"));
    let msg = load_err(dir.path()).to_string();
    assert!(msg.contains("zz_syntax.toml:5:"), "{msg}");

    let body = one_rule("x.typo", "{org:Company}落户{place:Park}", "org", "").replace("pattern =", "patern =");
    let dir = rules_with("zz_field.toml", &body);
    let msg = load_err(dir.path()).to_string();
    assert!(msg.contains("zz_field.toml:") && msg.contains("patern"), "{msg}");
}

#[test]
fn subject_and_object_must_be_slots_of_the_pattern() {
    let body = one_rule("x.slot", "{org:Company}落户{place:Park}", "company", "");
    let dir = rules_with("zz_bad.toml", &body);
    let msg = load_err(dir.path()).to_string();
    assert!(msg.contains("x.slot") && msg.contains("company"), "{msg}");
}

#[test]
fn check_names_the_rule_whose_example_is_broken() {
    let body = one_rule("x.example", "{org:Company}入园{place:Park}", "org", "examples = [\"宁德时代落户厦门火炬高新区。\"]\n");
    let dir = rules_with("zz_example.toml", &body);
    let rules = RuleSet::load(dir.path()).unwrap();
    let ex = chainkg::extract::Extractor::new(&rules);
    let report = chainkg::check::check(&ex);
    assert_eq!(report.failures.len(), 1, "{:?}", report.failures);
    let f = &report.failures[0];
    assert_eq!(f.rule, "x.example");
    assert!(f.missing);
    let shown = f.to_string();
    assert!(shown.contains("zz_example.toml:3") && shown.contains("located_in.settle"), "{shown}");
}

#[test]
fn a_missing_rule_directory_names_the_file_it_looked_for() {
    let dir = tempfile::tempdir().unwrap();
    let msg = load_err(&dir.path().join("no-such-rules")).to_string();
    assert!(msg.contains("no-such-rules/schema.toml: cannot read rule file"), "{msg}");
}

#[test]
fn a_suffix_claimed_by_two_name_rules_is_refused() {
    let dir = rules_with("zz_none.toml", HEADER);
    let body = "source = \"test\"\n\n[[suffix]]\nid = \"company.again\"\ntype = \"Company\"\nsuffixes = [\"有限公司\"]\n";
    std::fs::write(dir.path().join("entities").join("zz_names.toml"), body).unwrap();
    let msg = load_err(dir.path()).to_string();
    assert!(msg.contains("zz_names.toml:3:1") && msg.contains("company.again") && msg.contains("有限公司"), "{msg}");
}

