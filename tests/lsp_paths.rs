//! Files as the server reaches them, against the real binary: a FIFO named
//! `*.news.md` never blocks it (#14 item 3); a stub keeps a lone-CR file's
//! line endings (item 11); stubs go only to workspace files (item 12).

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::lsp::{uri, Server};
use serde_json::{json, Value};

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // Its own project: a .git below the repository's newsmark.toml is not one.
    std::fs::write(dir.join("newsmark.toml"), "").unwrap();
    dir.canonicalize().unwrap()
}

fn open_text(server: &mut Server, path: &Path, text: &str) -> String {
    let uri = uri(path);
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "newsmark", "version": 1, "text": text}}),
    );
    uri
}

/// The server answers a request within a few seconds.
fn assert_responsive(server: &mut Server, what: &str) {
    let started = Instant::now();
    let response = server.request_raw("workspace/symbol", json!({"query": "a"}));
    assert!(response.get("error").is_none(), "{what}: {response}");
    assert!(started.elapsed() < Duration::from_secs(5), "{what}: answered after {:?}", started.elapsed());
}

#[cfg(unix)]
#[test]
fn a_fifo_named_like_an_article_never_blocks_the_server() {
    let dir = scratch("lsp-paths-fifo");
    std::fs::write(dir.join("a.news.md"), "---\nid: a\npublished: 2020-01-01\n---\n\n[500 troops]{fig=k}[@a]\n")
        .unwrap();
    let fifo = dir.join("pipe.news.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    let mut server = Server::start(&dir, json!({}));
    assert_responsive(&mut server, "at start-up");
    for typ in [1, 2] {
        server.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&fifo), "type": typ}]}));
        assert_responsive(&mut server, "after a watched-file event for the FIFO");
    }
    let fifo_uri = open_text(&mut server, &fifo, "x");
    server.notify("textDocument/didClose", json!({"textDocument": {"uri": fifo_uri}}));
    assert_responsive(&mut server, "after closing a document at the FIFO's path");
    // The FIFO is not a file of the workspace: nothing is published for it.
    server.drain(Duration::from_millis(300));
    let published = server.diagnostics.get(&fifo_uri).map(|p| p["diagnostics"].clone());
    assert!(published.is_none() || published == Some(json!([])), "{published:?}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

fn code_actions(server: &mut Server, doc: &str, line: u32, character: u32) -> Vec<Value> {
    let at = json!({"line": line, "character": character});
    let result = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": doc}, "range": {"start": at, "end": at}, "context": {"diagnostics": []}}),
    );
    result.as_array().cloned().unwrap_or_default()
}

fn edited_uris(action: &Value) -> Vec<String> {
    action["edit"]["changes"].as_object().map(|c| c.keys().cloned().collect()).unwrap_or_default()
}

#[test]
fn a_stub_keeps_lone_cr_line_endings() {
    let dir = scratch("lsp-paths-cr");
    let path = dir.join("mac.news.md");
    let text = "---\rid: mac\rpublished: 2020-01-01\r---\r\r[Someone]{ent=nobody} spoke.\r";
    std::fs::write(&path, text).unwrap();
    let mut server = Server::start(&dir, json!({}));
    let doc = open_text(&mut server, &path, text);
    let actions = code_actions(&mut server, &doc, 5, 17);
    let stub = actions
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.starts_with("Create entity stub")))
        .unwrap_or_else(|| panic!("a stub action: {actions:?}"));
    let new_text = stub["edit"]["changes"][&doc][0]["newText"].as_str().unwrap();
    assert!(new_text.contains('\r') && !new_text.contains('\n'), "lone CRs only: {new_text:?}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn stubs_are_written_only_to_workspace_files() {
    let dir = scratch("lsp-paths-stub");
    let root = dir.join("root");
    std::fs::create_dir_all(&root).unwrap();
    // The folder is its project's root (the scratch folder around it is another).
    std::fs::write(root.join("newsmark.toml"), "").unwrap();
    let article = root.join("a.news.md");
    std::fs::write(&article, "---\nid: a\npublished: 2020-01-01\n---\n\n[Someone]{ent=nobody} spoke.\n").unwrap();
    let mut server = Server::start(&root, json!({}));
    // An open document outside the folder holds the only entity blocks.
    let outside = dir.join("elsewhere.news.md");
    let outside_uri = open_text(&mut server, &outside, "::: entity nobodi\nname: Someone\n:::\n");
    let doc = open_text(&mut server, &article, &std::fs::read_to_string(&article).unwrap());
    let actions = code_actions(&mut server, &doc, 5, 17);
    assert!(!actions.is_empty(), "some action is offered");
    for action in &actions {
        assert!(!edited_uris(action).contains(&outside_uri), "writes outside the workspace: {action}");
    }
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// A `file://` URI of `path` as spelled (no link resolved).
fn spelled_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[cfg(unix)]
#[test]
fn a_folder_opened_through_a_link_and_a_file_opened_by_its_real_path_are_one_file() {
    let dir = scratch("lsp-paths-link");
    let real = dir.join("real");
    std::fs::create_dir_all(&real).unwrap();
    // The folder is its project's root (the scratch folder around it is another).
    std::fs::write(real.join("newsmark.toml"), "").unwrap();
    let article = real.join("a.news.md");
    let text = "---\nid: a\npublished: 2020-01-01\n---\n\n::: entity e\nname: E\n:::\n\n[E]{ent=e} and [F]{ent=f}.\n";
    std::fs::write(&article, text).unwrap();
    let link = dir.join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let folder = spelled_uri(&link);
    let mut server =
        Server::start(&link, json!({"rootUri": folder, "workspaceFolders": [{"uri": folder, "name": "w"}]}));
    let through_link = spelled_uri(&link.join("a.news.md"));
    server.wait_until("start-up diagnostics", |s| s.diagnostics.contains_key(&through_link));
    // The editor opens the same file by its real path.
    let by_real_path = open_text(&mut server, &article, text);
    assert_ne!(by_real_path, through_link);
    server.wait_until("diagnostics for the opened document", |s| s.diagnostics.contains_key(&by_real_path));
    server.drain(Duration::from_millis(300));
    let codes = server.codes(&by_real_path);
    assert_eq!(codes, ["unknown-entity"], "one file, not two: no duplicate-id");
    for (uri, params) in &server.diagnostics {
        let all: Vec<&Value> = params["diagnostics"].as_array().unwrap().iter().collect();
        assert!(all.iter().all(|d| d["code"] != "duplicate-id"), "{uri}: {all:?}");
    }
    assert_eq!(server.shutdown_and_exit(), Some(0));
}
