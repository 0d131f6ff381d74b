//! Shared helpers for the integration tests: run the real binary.

#![allow(dead_code)]

pub mod lsp;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary under test; `NEWSMARK_TEST_BIN` names another (the soak runs
/// a copy, so rebuilding meanwhile does not pull it away).
pub fn bin() -> PathBuf {
    std::env::var_os("NEWSMARK_TEST_BIN").map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_newsmark")), PathBuf::from)
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin()).args(args).current_dir(dir).env("NO_COLOR", "1").output().expect("the binary runs")
}

/// A compact, reviewable rendering of `--format json` output: one line per
/// finding, related locations indented below it.
pub fn render_json(stdout: &[u8]) -> String {
    let document: serde_json::Value = serde_json::from_slice(stdout).expect("stdout is one JSON document");
    let mut out = format!("files: {}\n", document["files"]);
    let span = |v: &serde_json::Value| {
        format!(
            "{}:{}:{}-{}:{}",
            v["path"].as_str().unwrap_or("?"),
            v["range"]["start"]["line"],
            v["range"]["start"]["column"],
            v["range"]["end"]["line"],
            v["range"]["end"]["column"]
        )
    };
    for d in document["diagnostics"].as_array().expect("diagnostics array") {
        out.push_str(&format!(
            "{} {}[{}] {}\n",
            span(d),
            d["severity"].as_str().unwrap_or("?"),
            d["code"].as_str().unwrap_or("?"),
            d["message"].as_str().unwrap_or("?")
        ));
        for r in d["related"].as_array().into_iter().flatten() {
            out.push_str(&format!("    related {} {}\n", span(r), r["message"].as_str().unwrap_or("?")));
        }
    }
    out
}

/// Copies a folder and everything in it, hidden entries included.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
