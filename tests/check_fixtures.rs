//! Data-driven checker tests: every folder under tests/fixtures/ is a small
//! workspace; `newsmark check --format json <folder>` is rendered one line
//! per finding and compared with the folder's `expected.snap`.
//!
//! Add a case by adding a folder; review and accept its output with
//! `INSTA_UPDATE=always cargo test --test check_fixtures` and `git diff`.

mod common;

use common::{fixtures, render_json, run_in};

#[test]
fn fixtures_match_their_snapshots() {
    let root = fixtures();
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/fixtures exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "expected the fixture cases, found {cases:?}");
    for case in cases {
        let output = run_in(&root, &["check", "--format", "json", &case]);
        let rendered = format!("exit: {}\n{}", output.status.code().unwrap_or(-1), render_json(&output.stdout));
        insta::with_settings!({
            snapshot_path => root.join(&case),
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("newsmark check --format json {case}"),
        }, {
            insta::assert_snapshot!("expected", rendered);
        });
    }
}
