//! Protocol abuse against the real `newsmark lsp`: malformed and invalid
//! messages, unknown methods, requests out of turn, documents nobody
//! opened, positions and edits out of range, version regressions and a
//! burst of edits. Each gets the right answer (or a logged refusal), and
//! afterwards the server is still up, still correct, and exits cleanly.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::lsp::{uri, Server};
use common::run_in;
use serde_json::{json, Value};

const ENTITIES: &str = "::: entity nato\nname: NATO\nkind: organisation\n:::\n";
const ARTICLE: &str =
    "---\nid: art\npublished: 2020-02-13\n---\n\nThe [alliance]{ent=nato} sent [about 500 troops]{fig=t}.\n";

fn workspace(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-scratch/protocol-abuse").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // Its own project: without a newsmark.toml it would belong to this repository.
    std::fs::write(dir.join("newsmark.toml"), "").unwrap();
    std::fs::write(dir.join("entities.news.md"), ENTITIES).unwrap();
    std::fs::write(dir.join("article.news.md"), ARTICLE).unwrap();
    dir.canonicalize().unwrap()
}

fn start(dir: &Path) -> (Server, String) {
    let mut server = Server::start(dir, json!({}));
    let article = uri(&dir.join("article.news.md"));
    server.wait_until("start-up diagnostics", |s| s.diagnostics.contains_key(&article));
    (server, article)
}

fn position_params(uri: &str, line: i64, character: i64) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

/// The hover on the mention "alliance": the entity's name. Proves the
/// server is up and its workspace intact.
fn assert_hover_works(server: &mut Server, article: &str) {
    let hover = server.request("textDocument/hover", position_params(article, 5, 6));
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("NATO"), "hover after abuse: {hover}");
}

fn error_code(response: &Value) -> i64 {
    response["error"]["code"].as_i64().unwrap_or_else(|| panic!("an error response: {response}"))
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// A `window/logMessage` containing `needle`, already received or still to come.
fn logged(server: &mut Server, needle: &str) -> Value {
    let matches = |m: &Value| {
        m["method"] == "window/logMessage" && m["params"]["message"].as_str().unwrap_or("").contains(needle)
    };
    if let Some(found) = server.notifications.iter().find(|m| matches(m)) {
        return found.clone();
    }
    server.wait_for(&format!("a log containing {needle:?}"), matches)
}

/// The next response carrying `id` (`null` included).
fn response_with_id(server: &mut Server, id: Value) -> Value {
    server.wait_for(&format!("a response with id {id}"), |m| m.get("method").is_none() && m["id"] == id)
}

#[test]
fn malformed_and_invalid_messages_are_answered_and_the_server_stays_up() {
    let dir = workspace("malformed");
    let (mut server, article) = start(&dir);
    // (bytes on the wire, expected id of the error response, expected code)
    let cases: Vec<(Vec<u8>, Value, i64)> = vec![
        (frame(br#"{"jsonrpc":"2.0","id":70,"method":"#), Value::Null, -32700),
        (frame(b"\xff\xfe\x00 not utf-8"), Value::Null, -32700),
        (frame(b""), Value::Null, -32700),
        (frame(br#"[{"jsonrpc":"2.0","id":71,"method":"shutdown"}]"#), Value::Null, -32600),
        (frame(br#"{"jsonrpc":"1.0","id":72,"method":"shutdown"}"#), json!(72), -32600),
        (frame(br#"{"jsonrpc":"2.0","id":{"nested":true},"method":"shutdown"}"#), Value::Null, -32600),
        (frame(br#""just a string""#), Value::Null, -32600),
        (b"X-Nonsense: 1\r\n\r\n".to_vec(), Value::Null, -32700),
        (b"Content-Length: many\r\n\r\n".to_vec(), Value::Null, -32700),
    ];
    for (bytes, id, code) in cases {
        server.send_raw(&bytes);
        let response = response_with_id(&mut server, id.clone());
        assert_eq!(error_code(&response), code, "for {:?}: {response}", String::from_utf8_lossy(&bytes));
        assert_hover_works(&mut server, &article);
    }
    // Garbage glued before a real message: the message still gets through.
    let mut glued = b"garbage without a header".to_vec();
    glued.extend(frame(br#"{"jsonrpc":"2.0","id":73,"method":"workspace/symbol","params":{"query":"nato"}}"#));
    server.send_raw(&glued);
    let response = response_with_id(&mut server, json!(73));
    assert!(response["result"].is_array(), "{response}");
    // Invalid params for a known method: -32602, not a crash.
    let response = server.request_raw("textDocument/hover", json!({"textDocument": 5}));
    assert_eq!(error_code(&response), -32602);
    let response = server.request_raw("textDocument/hover", Value::Null);
    assert_eq!(error_code(&response), -32602);
    assert_hover_works(&mut server, &article);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn unknown_methods_and_notifications() {
    let dir = workspace("unknown-methods");
    let (mut server, article) = start(&dir);
    let response = server.request_raw("newsmark/noSuchRequest", json!({}));
    assert_eq!(error_code(&response), -32601);
    let response = server.request_raw("textDocument/noSuchRequest", json!({"textDocument": {"uri": article}}));
    assert_eq!(error_code(&response), -32601);
    // Unknown notifications, `$/` ones and cancelling what does not exist: ignored.
    server.notify("newsmark/noSuchNotification", json!({"x": 1}));
    server.notify("$/setTrace", json!({"value": "verbose"}));
    server.notify("$/cancelRequest", json!({"id": 987654}));
    server.notify("$/noSuchThing", json!(null));
    // Known notifications with params of the wrong shape: ignored too.
    server.notify("textDocument/didOpen", json!({"textDocument": "not an object"}));
    server.notify("textDocument/didChange", json!({"contentChanges": 12}));
    server.notify("workspace/didChangeConfiguration", json!({"settings": {"newsmark": {"tolerance": "lots"}}}));
    assert_hover_works(&mut server, &article);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn requests_before_initialize_and_after_shutdown() {
    let dir = workspace("lifecycle");
    let article = uri(&dir.join("article.news.md"));
    let mut server = Server::spawn(&[]);
    let response = server.request_raw("textDocument/hover", position_params(&article, 5, 6));
    assert_eq!(error_code(&response), -32002, "before initialize: ServerNotInitialized");
    let response = server.request_raw("shutdown", Value::Null);
    assert_eq!(error_code(&response), -32002);
    // Notifications before initialize are dropped; a malformed message too
    // is answered, as any request is before initialize.
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": article, "languageId": "newsmark", "version": 1, "text": "x"}}),
    );
    server.send_raw(&frame(b"{oops"));
    let response = response_with_id(&mut server, Value::Null);
    assert_eq!(error_code(&response), -32002);
    let root = uri(&dir);
    let result = server.request(
        "initialize",
        json!({"processId": null, "rootUri": root, "workspaceFolders": [{"uri": root, "name": "w"}], "capabilities": {}}),
    );
    assert!(result["capabilities"].is_object());
    let again = server.request_raw("initialize", json!({"processId": null, "capabilities": {}}));
    assert_eq!(error_code(&again), -32600, "a second initialize is an invalid request");
    server.notify("initialized", json!({}));
    server.wait_until("start-up diagnostics", |s| s.diagnostics.contains_key(&article));
    assert_hover_works(&mut server, &article);
    assert_eq!(server.request("shutdown", Value::Null), Value::Null);
    for (method, params) in [
        ("textDocument/hover", position_params(&article, 5, 6)),
        ("shutdown", Value::Null),
        ("workspace/symbol", json!({"query": ""})),
    ] {
        let response = server.request_raw(method, params);
        assert_eq!(error_code(&response), -32600, "{method} after shutdown: {response}");
    }
    // A method that does not exist is still unknown, shut down or not.
    let response = server.request_raw("newsmark/noSuchRequest", json!({}));
    assert_eq!(error_code(&response), -32601);
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": article, "version": 9}, "contentChanges": [{"text": ""}]}),
    );
    server.notify("exit", Value::Null);
    assert_eq!(server.wait_exit(), Some(0), "exit after shutdown: code 0");

    // Exit without shutdown: code 1, as the protocol asks.
    let server = Server::start(&dir, json!({}));
    let mut server = server;
    server.notify("exit", Value::Null);
    assert_eq!(server.wait_exit(), Some(1));
}

#[test]
fn unknown_and_unopened_documents_answer_nothing() {
    let dir = workspace("unknown-documents");
    let outside = dir.parent().unwrap().join("outside-unknown-documents.news.md");
    std::fs::write(&outside, ARTICLE).unwrap();
    let (mut server, article) = start(&dir);
    let unknown = [
        "file:///no/such/folder/missing.news.md".to_string(),
        uri(&outside),
        "untitled:Untitled-1".to_string(),
        "https://example.org/remote.news.md".to_string(),
    ];
    for doc in &unknown {
        let at = position_params(doc, 0, 0);
        let requests = [
            ("textDocument/hover", at.clone()),
            ("textDocument/definition", at.clone()),
            ("textDocument/completion", at.clone()),
            ("textDocument/prepareRename", at.clone()),
            (
                "textDocument/references",
                json!({"textDocument": {"uri": doc}, "position": {"line": 0, "character": 0}, "context": {"includeDeclaration": true}}),
            ),
            (
                "textDocument/rename",
                json!({"textDocument": {"uri": doc}, "position": {"line": 0, "character": 0}, "newName": "x"}),
            ),
            ("textDocument/documentSymbol", json!({"textDocument": {"uri": doc}})),
            ("textDocument/semanticTokens/full", json!({"textDocument": {"uri": doc}})),
            (
                "textDocument/codeAction",
                json!({"textDocument": {"uri": doc}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}}),
            ),
        ];
        for (method, params) in requests {
            let response = server.request_raw(method, params);
            assert!(response.get("error").is_none(), "{method} on {doc}: {response}");
            let result = &response["result"];
            assert!(result.is_null() || result == &json!([]), "{method} on {doc}: {result}");
        }
        // Changes and closes for documents never opened: logged, ignored.
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": doc, "version": 2}, "contentChanges": [{"text": "[x]{fig=y}"}]}),
        );
        server.notify("textDocument/didClose", json!({"textDocument": {"uri": doc}}));
        server.notify("textDocument/didSave", json!({"textDocument": {"uri": doc}}));
    }
    let log = logged(&mut server, "not open; ignored");
    assert_eq!(log["params"]["type"], 2, "a warning");
    assert_hover_works(&mut server, &article);
    server.drain(Duration::from_millis(300));
    for doc in &unknown {
        assert!(!server.diagnostics.contains_key(doc), "nothing published for {doc}");
    }
    // A workspace file that is not open answers from the file on disk.
    let hover = server.request("textDocument/hover", position_params(&article, 5, 6));
    assert!(hover["contents"]["value"].as_str().unwrap().contains("NATO"));
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn positions_out_of_range() {
    let dir = workspace("positions");
    let (mut server, article) = start(&dir);
    // An open document with emoji and CRLF, so positions split characters and terminators.
    let text = "😀 [alliance]{ent=nato}\r\n\r\n\u{1F1EB}\u{1F1F7} [x]{fig=t}";
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": article, "languageId": "newsmark", "version": 1, "text": text}}),
    );
    for (line, character) in [(-1, 0), (0, -1), (-5, -5), (i64::from(i32::MIN), 3)] {
        let response = server.request_raw("textDocument/hover", position_params(&article, line, character));
        assert_eq!(error_code(&response), -32602, "negative position ({line}, {character}): {response}");
    }
    let max = i64::from(u32::MAX);
    for (line, character) in [(0, 1), (0, 3), (0, 999), (1, 5), (2, 1), (2, 3), (99, 0), (max, max), (0, max)] {
        for method in
            ["textDocument/hover", "textDocument/definition", "textDocument/completion", "textDocument/prepareRename"]
        {
            let response = server.request_raw(method, position_params(&article, line, character));
            let code = response["error"]["code"].as_i64();
            assert!(code.is_none() || code == Some(-32602), "{method} at ({line}, {character}): {response}");
        }
    }
    let response = server.request_raw(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": article}, "range": {"start": {"line": max, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}}),
    );
    assert!(response.get("error").is_none(), "a reversed range past the end: {response}");
    assert_hover_works_on(&mut server, &article, 0, 4);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

fn assert_hover_works_on(server: &mut Server, uri: &str, line: i64, character: i64) {
    let hover = server.request("textDocument/hover", position_params(uri, line, character));
    assert!(hover["contents"]["value"].as_str().unwrap_or_default().contains("NATO"), "{hover}");
}

/// Diagnostics as (code, line, character) for comparing the server with
/// `newsmark check` on ASCII text (where UTF-16 and scalar columns agree).
fn server_findings(server: &Server, uri: &str) -> Vec<(String, u64, u64)> {
    let mut out: Vec<_> = server.diagnostics[uri]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let start = &d["range"]["start"];
            (
                d["code"].as_str().unwrap().to_string(),
                start["line"].as_u64().unwrap(),
                start["character"].as_u64().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// `newsmark check` of `text` as `article.news.md` beside the same entities.
fn cli_findings(name: &str, text: &str) -> Vec<(String, u64, u64)> {
    let dir = workspace(&format!("{name}-cli"));
    std::fs::write(dir.join("article.news.md"), text).unwrap();
    let output = run_in(&dir, &["check", "--format", "json", "."]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut out: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"].as_str().unwrap().ends_with("article.news.md"))
        .map(|d| {
            let start = &d["range"]["start"];
            (
                d["code"].as_str().unwrap().to_string(),
                start["line"].as_u64().unwrap() - 1,
                start["column"].as_u64().unwrap() - 1,
            )
        })
        .collect();
    out.sort();
    out
}

/// Sends one `didChange` and waits until the server has applied it (a
/// request after it is answered only then).
fn change(server: &mut Server, uri: &str, version: i64, changes: Value) {
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
    );
}

fn settle(server: &mut Server) {
    server.request("workspace/symbol", json!({"query": "settle"}));
    server.drain(Duration::from_millis(300));
}

fn range(sl: u32, sc: u32, el: u32, ec: u32) -> Value {
    json!({"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}})
}

#[test]
fn edits_out_of_range_clamp_and_versions_only_go_forward() {
    let dir = workspace("edits");
    let (mut server, article) = start(&dir);
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": article, "languageId": "newsmark", "version": 5, "text": ARTICLE}}),
    );
    settle(&mut server);
    // Past the last line: the end of the text. Past a line's end: that line's end.
    let max = u32::MAX;
    change(
        &mut server,
        &article,
        6,
        json!([
            {"range": range(99, 0, 120, 7), "text": "\nThey said [500 troops]{fig=t} there.\n"},
            {"range": range(5, 999, 5, max), "text": " More [x]{ent=ghost}."},
            {"range": range(max, max, max, max), "text": "Last 42 words.\n"},
            // A reversed range is an insertion at its start.
            {"range": range(0, 3, 0, 0), "text": ""},
        ]),
    );
    let mut expected = ARTICLE.replace(".\n", ". More [x]{ent=ghost}.\n");
    expected.push_str("\nThey said [500 troops]{fig=t} there.\nLast 42 words.\n");
    settle(&mut server);
    assert_eq!(server_findings(&server, &article), cli_findings("edits-1", &expected), "after out-of-range edits");
    assert_eq!(server.diagnostics[&article]["version"], 6);

    // Version regressions and repeats are ignored, and logged.
    for stale in [6, 3, -1] {
        change(&mut server, &article, stale, json!([{"text": "[stale]{fig=zzz}"}]));
    }
    let log = logged(&mut server, "not after 6");
    assert!(log["params"]["message"].as_str().unwrap().contains("ignored"), "{log}");
    settle(&mut server);
    assert_eq!(
        server_findings(&server, &article),
        cli_findings("edits-2", &expected),
        "stale versions changed nothing"
    );
    // A full replacement with a newer version still applies.
    change(&mut server, &article, 7, json!([{"text": ARTICLE}]));
    settle(&mut server);
    assert_eq!(server_findings(&server, &article), cli_findings("edits-3", ARTICLE));
    assert_hover_works(&mut server, &article);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// Positions of an offset in ASCII text with `\n` line breaks.
fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let col = offset - before.rfind('\n').map_or(0, |i| i + 1);
    (line as u32, col as u32)
}

#[test]
fn a_burst_of_a_thousand_edits() {
    let dir = workspace("burst");
    let (mut server, article) = start(&dir);
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": article, "languageId": "newsmark", "version": 1, "text": ARTICLE}}),
    );
    let pieces = [
        "[",
        "]",
        "{",
        "}",
        "[5 troops]{fig=t}",
        " ",
        "\n",
        "\n\n",
        "[@art]",
        "ent=nato",
        "x",
        "12 ",
        "[NATO]{ent=nato}",
    ];
    let mut text = ARTICLE.to_string();
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = |m: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % m as u64) as usize
    };
    for version in 2..=1001 {
        let start = next(text.len() + 1);
        let end = (start + next(6)).min(text.len());
        let insert = if next(3) == 0 { "" } else { pieces[next(pieces.len())] };
        let (sl, sc) = line_col(&text, start);
        let (el, ec) = line_col(&text, end);
        text.replace_range(start..end, insert);
        change(&mut server, &article, version, json!([{"range": range(sl, sc, el, ec), "text": insert}]));
    }
    settle(&mut server);
    server.wait_until("diagnostics of the last version", |s| {
        s.diagnostics.get(&article).is_some_and(|d| d["version"].as_i64().unwrap_or(0) > 1)
    });
    settle(&mut server);
    let expected = cli_findings("burst", &text);
    assert!(expected.len() > 5, "the edits leave plenty to report: {expected:?}");
    assert_eq!(server_findings(&server, &article), expected, "final text:\n{text}");
    // The burst is over, and the server answers as it did before it.
    let symbols = server.request("textDocument/documentSymbol", json!({"textDocument": {"uri": article}}));
    assert!(symbols.is_array());
    change(&mut server, &article, 1002, json!([{"text": ARTICLE}]));
    settle(&mut server);
    assert_hover_works(&mut server, &article);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}
