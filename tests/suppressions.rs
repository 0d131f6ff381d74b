//! Suppression comments in the language server, against `newsmark check`
//! on the same files: the same findings are silenced, and every finding
//! offers "Suppress … on this line", whose edit silences it.

mod common;

use common::lsp::{copy_workspace, uri, Server};
use common::{fixtures, run_in};
use serde_json::{json, Value};

/// (file name, code, 0-based start line) of `check --format json .`.
fn cli_findings(dir: &std::path::Path) -> Vec<(String, String, u64)> {
    let output = run_in(dir, &["check", "--format", "json", "."]);
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut out: Vec<_> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let path = d["path"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
            (path, d["code"].as_str().unwrap().to_string(), d["range"]["start"]["line"].as_u64().unwrap() - 1)
        })
        .collect();
    out.sort();
    out
}

fn server_findings(server: &Server) -> Vec<(String, String, u64)> {
    let mut out = Vec::new();
    for (uri, published) in &server.diagnostics {
        let name = uri.rsplit('/').next().unwrap().to_string();
        for d in published["diagnostics"].as_array().unwrap() {
            let code = d["code"].as_str().unwrap().to_string();
            out.push((name.clone(), code, d["range"]["start"]["line"].as_u64().unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn the_server_honours_suppressions_as_check_does_and_offers_to_add_one() {
    let dir = copy_workspace(&fixtures().join("suppressions"), "suppressions-lsp");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    let a = uri(&dir.join("a.news.md"));
    let b = uri(&dir.join("b.news.md"));
    let mut server = Server::start(&dir, json!({}));
    server
        .wait_until("diagnostics for both files", |s| s.diagnostics.contains_key(&a) && s.diagnostics.contains_key(&b));
    let expected = cli_findings(&dir);
    assert!(expected.iter().any(|f| f.1 == "unused-suppression"), "{expected:?}");
    assert!(!expected.iter().any(|f| f.0 == "b.news.md" && f.1 == "unknown-entity"), "{expected:?}");
    assert_eq!(server_findings(&server), expected);

    // "Suppress" on the uncited figure of line 9 (0-based 8).
    server.open(&dir.join("a.news.md"));
    let actions = server.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": a},
            "range": {"start": {"line": 8, "character": 25}, "end": {"line": 8, "character": 25}},
            "context": {"diagnostics": []},
        }),
    );
    let suppress = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Suppress `uncited-figure` on this line")
        .unwrap_or_else(|| panic!("no suppress action in {actions}"));
    let edits = &suppress["edit"]["changes"][&a];
    assert_eq!(edits[0]["newText"], "<!-- newsmark-disable-next-line uncited-figure -->\n");
    assert_eq!(edits[0]["range"]["start"], json!({"line": 8, "character": 0}));
    assert_eq!(server.shutdown_and_exit(), Some(0));
}
