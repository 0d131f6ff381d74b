//! The command line as users and CI see it: formats, exit codes, settings,
//! and bad input that is reported without losing the rest.

mod common;

use std::path::{Path, PathBuf};

use common::{fixtures, render_json, run_in};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh folder under target/ for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = repo().join("target/test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // Its own project: without a newsmark.toml it would belong to this repository.
    std::fs::write(dir.join("newsmark.toml"), "").unwrap();
    dir
}

#[test]
fn seeds_json_snapshot_and_no_errors() {
    let output = run_in(repo(), &["check", "seeds", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "seeds must have no error-level finding");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["version"], 1);
    let codes: Vec<&str> =
        json["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"conflicting-attribution"), "the seeds' misattributed quote shows");
    assert!(codes.contains(&"uncited-figure"), "the seeds' uncited figures show");
    insta::assert_snapshot!("seeds_json", String::from_utf8(output.stdout).unwrap());
}

#[test]
fn exit_codes() {
    let root = fixtures();
    assert_eq!(run_in(&root, &["check", "unknown-ids"]).status.code(), Some(1), "errors exit 1");
    assert_eq!(run_in(&root, &["check", "citations/article.news.md", "--format", "json"]).status.code(), Some(1));
    assert_eq!(run_in(&root, &["check", "misquote"]).status.code(), Some(0), "warnings alone exit 0");
    assert_eq!(run_in(&root, &["check", "misquote", "--deny", "warnings"]).status.code(), Some(1));
    assert_eq!(run_in(&root, &["check", "no-such-folder"]).status.code(), Some(2), "I/O failure exits 2");
    assert_eq!(run_in(&root, &["check", "--format", "xml"]).status.code(), Some(2), "usage error exits 2");
    assert_eq!(run_in(&root, &["frobnicate"]).status.code(), Some(2));
    assert_eq!(run_in(&root, &["--version"]).status.code(), Some(0));
}

#[test]
fn unreadable_files_are_reported_and_skipped() {
    let dir = scratch("unreadable");
    std::fs::write(dir.join("good.news.md"), "---\nid: good\npublished: 2020-01-01\n---\n\n[500 troops]{fig=x}\n")
        .unwrap();
    std::fs::write(dir.join("binary.news.md"), [0xff, 0xfe, 0x00, 0x01, b'[', 0x80]).unwrap();
    let output = run_in(&dir, &["check", "--format", "json", "."]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("binary.news.md: skipped, not valid UTF-8"), "stderr: {stderr}");
    let rendered = render_json(&output.stdout);
    assert!(rendered.starts_with("files: 1\n"), "{rendered}");
    assert!(rendered.contains("./good.news.md:6:1-6:20 warning[uncited-figure]"), "{rendered}");
}

#[test]
fn settings_from_newsmark_toml() {
    let dir = scratch("settings");
    let article =
        "---\nid: a\npublished: 2020-01-01\n---\n\n[about 500]{fig=k}[@a] and [560]{fig=k}[@a] and 42 bare.\n";
    std::fs::write(dir.join("a.news.md"), article).unwrap();
    std::fs::create_dir_all(dir.join("drafts")).unwrap();
    std::fs::write(dir.join("drafts/broken.news.md"), "[x]{").unwrap();
    // Defaults: 10% tolerance, drafts checked.
    let before = render_json(&run_in(&dir, &["check", "--format", "json", "."]).stdout);
    assert!(before.contains("contradicting-figure"), "{before}");
    assert!(before.contains("malformed-markup"), "{before}");
    assert!(before.contains("hint[unannotated-figure]"), "{before}");
    std::fs::write(
        dir.join("newsmark.toml"),
        "tolerance = 0.15\nexclude = [\"drafts/**\"]\n[severity]\nunannotated-figure = \"off\"\ncontradicting-figure = \"error\"\n",
    )
    .unwrap();
    let after = render_json(&run_in(&dir, &["check", "--format", "json", "."]).stdout);
    assert!(!after.contains("contradicting-figure"), "15% tolerance makes 560 agree with about 500: {after}");
    assert!(!after.contains("drafts"), "excluded: {after}");
    assert!(!after.contains("unannotated-figure"), "turned off: {after}");
    std::fs::write(dir.join("newsmark.toml"), "[severity]\ncontradicting-figure = \"error\"\n").unwrap();
    let output = run_in(&dir, &["check", "--format", "json", "a.news.md"]);
    assert!(render_json(&output.stdout).contains("error[contradicting-figure]"));
    assert_eq!(output.status.code(), Some(1));
    std::fs::write(dir.join("newsmark.toml"), "tolerance = \"lots\"\n").unwrap();
    let output = run_in(&dir, &["check"]);
    assert_eq!(output.status.code(), Some(2), "a bad settings file is a usage error");
    assert!(String::from_utf8_lossy(&output.stderr).contains("newsmark.toml"));
}

#[test]
fn human_output_has_snippets() {
    let output = run_in(&fixtures(), &["check", "conflicting-attribution", "unknown-ids", "--color", "never"]);
    insta::assert_snapshot!("human_output", String::from_utf8(output.stdout).unwrap());
}

#[test]
fn github_output() {
    let output = run_in(&fixtures(), &["check", "unsupported-figure", "--format", "github"]);
    insta::assert_snapshot!("github_output", String::from_utf8(output.stdout).unwrap());
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("tests/schemas/sarif-2.1.0.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the official schema compiles");
    for case in ["contradicting-figure", "malformed-markup", "crlf-and-unicode"] {
        let output = run_in(&fixtures(), &["check", case, "--format", "sarif"]);
        let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&sarif).map(|e| format!("{} at {}", e, e.instance_path)).collect();
        assert!(errors.is_empty(), "{case}: {errors:#?}");
        assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    }
    let output = run_in(&fixtures(), &["check", "contradicting-figure", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let first = &sarif["runs"][0]["results"][0];
    assert_eq!(first["ruleId"], "contradicting-figure");
    assert_eq!(first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "contradicting-figure/a.news.md");
    assert_eq!(first["relatedLocations"].as_array().unwrap().len(), 2);
}
