//! End-to-end tests of `newsmark lsp`: the real binary, spoken to over
//! stdio as an editor does, on fixture workspaces.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::lsp::{copy_workspace, uri, Server};
use common::{fixtures, run_in};
use serde_json::{json, Value};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// LSP position of the first occurrence of `needle` (plus `skip` bytes) in
/// `text`, in the given encoding.
fn position(text: &str, needle: &str, skip: usize, encoding: &str) -> Value {
    let offset = text.find(needle).unwrap_or_else(|| panic!("`{needle}` not in text")) + skip;
    position_at(text, offset, encoding)
}

fn position_at(text: &str, offset: usize, encoding: &str) -> Value {
    let before = &text[..offset];
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + before.matches('\r').count() - before.matches("\r\n").count();
    let prefix = &before[line_start..];
    let character = match encoding {
        "utf-8" => prefix.len(),
        "utf-32" => prefix.chars().count(),
        _ => prefix.encode_utf16().count(),
    };
    json!({"line": line, "character": character})
}

fn article_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".news.md"))
        .collect();
    files.sort();
    files
}

fn wait_for_all(server: &mut Server, dir: &Path) {
    let uris: Vec<String> = article_files(dir).iter().map(|p| uri(p)).collect();
    server.wait_until("diagnostics for every file", |s| uris.iter().all(|u| s.diagnostics.contains_key(u)));
}

/// (code, start line, start column) per diagnostic, from `newsmark check`
/// on `dir`, keyed by file name; columns are Unicode scalar values.
fn cli_findings(dir: &Path) -> Vec<(String, String, u64, u64)> {
    let output = run_in(dir, &["check", "--format", "json", "."]);
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut out: Vec<_> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let name = Path::new(d["path"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into_owned();
            (
                name,
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap() - 1,
                d["range"]["start"]["column"].as_u64().unwrap() - 1,
            )
        })
        .collect();
    out.sort();
    out
}

/// `cli_findings` with columns converted to another encoding.
fn cli_findings_in(dir: &Path, encoding: &str) -> Vec<(String, String, u64, u64)> {
    let mut out: Vec<_> = cli_findings(dir)
        .into_iter()
        .map(|(name, code, line, column)| {
            let text = std::fs::read_to_string(dir.join(&name)).unwrap();
            let offset = nth_line_start(&text, line as usize)
                + text[nth_line_start(&text, line as usize)..]
                    .chars()
                    .take(column as usize)
                    .map(char::len_utf8)
                    .sum::<usize>();
            let converted = position_at(&text, offset, encoding)["character"].as_u64().unwrap();
            (name, code, line, converted)
        })
        .collect();
    out.sort();
    out
}

/// Byte offset where 0-based line `n` starts (`\n`, `\r\n` and `\r` end lines).
fn nth_line_start(text: &str, n: usize) -> usize {
    let bytes = text.as_bytes();
    let mut line = 0;
    let mut i = 0;
    while line < n && i < bytes.len() {
        if bytes[i] == b'\r' {
            line += 1;
            if bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
        } else if bytes[i] == b'\n' {
            line += 1;
        }
        i += 1;
    }
    i
}

/// The same from what the server published (positions in UTF-32).
fn server_findings(server: &Server) -> Vec<(String, String, u64, u64)> {
    let mut out = Vec::new();
    for (uri, params) in &server.diagnostics {
        let name = uri.rsplit('/').next().unwrap().to_string();
        for d in params["diagnostics"].as_array().unwrap() {
            out.push((
                name.clone(),
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["start"]["character"].as_u64().unwrap(),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn publishes_the_same_findings_as_check_for_every_file_at_startup() {
    let dir = copy_workspace(&repo().join("seeds"), "lsp-startup");
    let mut server = Server::start(&dir, json!({"capabilities": {"general": {"positionEncodings": ["utf-32"]}}}));
    wait_for_all(&mut server, &dir);
    let sajjan = uri(&dir.join("inewstoday-2020-02-14.news.md"));
    assert!(server.codes(&sajjan).contains(&"conflicting-attribution".to_string()));
    assert_eq!(server_findings(&server), cli_findings(&dir));
    let published = &server.diagnostics[&sajjan]["diagnostics"][0];
    assert_eq!(published["source"], "newsmark");
    assert!(published["codeDescription"]["href"].as_str().unwrap().contains("docs/format.md#"));
    // The progress ends after the last file is published: wait for it, so
    // a loaded machine cannot stop reading between the two.
    server.wait_until("the progress to end", |s| {
        s.notifications.iter().any(|n| n["method"] == "$/progress" && n["params"]["value"]["kind"] == "end")
    });
    let progress: Vec<&Value> = server.notifications.iter().filter(|n| n["method"] == "$/progress").collect();
    assert_eq!(progress.first().map(|p| &p["params"]["value"]["kind"]), Some(&json!("begin")));
    assert_eq!(progress.last().map(|p| &p["params"]["value"]["kind"]), Some(&json!("end")));
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn hover_definition_completion_and_rename() {
    let dir = copy_workspace(&fixtures().join("unsupported-figure"), "lsp-features");
    std::fs::write(
        dir.join("people.news.md"),
        "::: entity stoltenberg\nname: Jens Stoltenberg\nkind: person\nrole: Secretary General of NATO\nfrom: 2014-10-01\n:::\n",
    )
    .unwrap();
    let claim_path = dir.join("claim.news.md");
    let mut claim = std::fs::read_to_string(&claim_path).unwrap();
    claim.push_str("\n[Jens Stoltenberg]{ent=stoltenberg} spoke.\n");
    std::fs::write(&claim_path, &claim).unwrap();
    let mut server = Server::start(&dir, json!({}));
    wait_for_all(&mut server, &dir);
    let claim_uri = server.open(&claim_path);
    let doc = json!({"uri": claim_uri});

    let hover = server.request(
        "textDocument/hover",
        json!({"textDocument": doc, "position": position(&claim, "Jens Stoltenberg]", 2, "utf-16")}),
    );
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("Secretary General of NATO"), "hover shows the role: {hover}");

    let hover = server.request(
        "textDocument/hover",
        json!({"textDocument": doc, "position": position(&claim, "about 2,000", 3, "utf-16")}),
    );
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("nato-iraq.troops") && text.contains("1800"), "figure hover: {hover}");
    assert!(text.contains("report"), "figure hover lists the other values with their files: {hover}");

    let hover = server.request(
        "textDocument/hover",
        json!({"textDocument": doc, "position": position(&claim, "@wire", 2, "utf-16")}),
    );
    assert!(hover["contents"]["value"].as_str().unwrap_or_default().contains("A wire report"), "{hover}");

    // Go to source: the figure cites @report, which states the same key.
    let report = std::fs::read_to_string(dir.join("report.news.md")).unwrap();
    let definition = server.request(
        "textDocument/definition",
        json!({"textDocument": doc, "position": position(&claim, "about 2,000", 3, "utf-16")}),
    );
    let target = definition.as_array().and_then(|a| a.first()).cloned().unwrap_or(definition.clone());
    assert_eq!(target["uri"], json!(uri(&dir.join("report.news.md"))), "{definition}");
    assert_eq!(
        target["range"]["start"]["line"],
        position(&report, "[500 troops]", 0, "utf-16")["line"],
        "{definition}"
    );

    let definition = server.request(
        "textDocument/definition",
        json!({"textDocument": doc, "position": position(&claim, "@report", 3, "utf-16")}),
    );
    let target = definition.as_array().and_then(|a| a.first()).cloned().unwrap_or(definition.clone());
    assert_eq!(target["uri"], json!(uri(&dir.join("report.news.md"))), "{definition}");

    // Completion after `[@rep` typed at the end of the document.
    let end = position_at(&claim, claim.len(), "utf-16");
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": claim_uri, "version": 2}, "contentChanges": [{"range": {"start": end, "end": end}, "text": "See [@rep"}]}),
    );
    claim.push_str("See [@rep");
    let completion = server.request(
        "textDocument/completion",
        json!({"textDocument": doc, "position": position_at(&claim, claim.len(), "utf-16")}),
    );
    let items = completion.as_array().cloned().or_else(|| completion["items"].as_array().cloned()).unwrap_or_default();
    assert!(items.iter().any(|i| i["label"] == "report"), "{completion}");
    assert!(!items.iter().any(|i| i["label"] == "wire"), "filtered by prefix: {completion}");

    // Rename the article id across files.
    let rename = server.request(
        "textDocument/rename",
        json!({"textDocument": doc, "position": position(&claim, "@report", 3, "utf-16"), "newName": "the-report"}),
    );
    let changes = rename["changes"].as_object().expect("rename returns changes");
    assert!(changes.contains_key(&uri(&dir.join("report.news.md"))), "{rename}");
    assert!(changes[&claim_uri].as_array().unwrap().len() >= 2, "{rename}");
    let bad = server.request_raw(
        "textDocument/rename",
        json!({"textDocument": doc, "position": position(&claim, "@report", 3, "utf-16"), "newName": "not valid"}),
    );
    assert!(bad.get("error").is_some(), "an invalid id is refused: {bad}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn an_edit_republishes_every_file_it_changes_and_only_those() {
    let dir = copy_workspace(&fixtures().join("contradicting-figure"), "lsp-cross-file");
    std::fs::write(
        dir.join("unrelated.news.md"),
        "---\nid: unrelated\npublished: 2020-02-13\n---\n\n[12 ships]{fig=ships}[@unrelated]\n",
    )
    .unwrap();
    let mut server = Server::start(&dir, json!({}));
    wait_for_all(&mut server, &dir);
    let a = uri(&dir.join("a.news.md"));
    let mentions_c = |s: &Server| s.diagnostics[&a].to_string().contains("c.news.md");
    assert!(mentions_c(&server), "a contradicts c at first");
    let c_path = dir.join("c.news.md");
    let c_text = std::fs::read_to_string(&c_path).unwrap();
    let c = server.open(&c_path);
    server.drain(Duration::from_millis(300));
    let before = server.notifications.len();
    let at = position(&c_text, "900 troops", 0, "utf-16");
    let end = json!({"line": at["line"], "character": at["character"].as_u64().unwrap() + 3});
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": c, "version": 2}, "contentChanges": [{"range": {"start": at, "end": end}, "text": "500"}]}),
    );
    server.wait_until("a re-published without c", |s| !mentions_c(s));
    server.drain(Duration::from_millis(500));
    let republished: Vec<String> = server.notifications[before..]
        .iter()
        .filter(|n| n["method"] == "textDocument/publishDiagnostics")
        .map(|n| n["params"]["uri"].as_str().unwrap().rsplit('/').next().unwrap().to_string())
        .collect();
    assert!(republished.contains(&"a.news.md".to_string()) && republished.contains(&"c.news.md".to_string()));
    assert!(
        !republished.contains(&"unrelated.news.md".to_string()),
        "unchanged files are not re-published: {republished:?}"
    );
    assert_eq!(server.diagnostics[&c]["version"], 2, "diagnostics of an open document carry its version");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

fn unknown_source_start(encoding: &str) -> Value {
    let dir = repo().join("target/test-scratch").join(format!("lsp-encoding-{encoding}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // Its own project: without a newsmark.toml it would belong to this repository.
    std::fs::write(dir.join("newsmark.toml"), "").unwrap();
    let text = "---\nid: enc\npublished: 2020-02-13\n---\n\n😀 北约 [500]{fig=k}[@nowhere] 😀\n";
    std::fs::write(dir.join("enc.news.md"), text).unwrap();
    let mut server = Server::start(&dir, json!({"capabilities": {"general": {"positionEncodings": [encoding]}}}));
    let file = uri(&dir.join("enc.news.md"));
    server.wait_until("diagnostics", |s| s.diagnostics.contains_key(&file));
    let d = server.diagnostics[&file]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "unknown-source")
        .cloned()
        .unwrap();
    assert_eq!(d["range"]["start"], position(text, "nowhere", 0, encoding));
    assert_eq!(d["range"]["end"], position(text, "] 😀", 0, encoding));
    d["range"]["start"]["character"].clone()
}

#[test]
fn positions_follow_the_negotiated_encoding() {
    // 😀 is 4 bytes, 2 UTF-16 units, 1 scalar; 北约 is 6 bytes, 2 units, 2 scalars.
    assert_eq!(unknown_source_start("utf-16"), json!(20));
    assert_eq!(unknown_source_start("utf-8"), json!(26));
    assert_eq!(unknown_source_start("utf-32"), json!(19));
}

#[test]
fn a_flood_of_edits_with_requests_ends_where_check_ends() {
    let dir = copy_workspace(&fixtures().join("contradicting-figure"), "lsp-flood");
    let path = dir.join("b.news.md");
    let mut text = std::fs::read_to_string(&path).unwrap().replace('\n', "\r\n");
    text.push_str("Emoji 😀 and CJK 北约 in a CRLF file.\r\n");
    std::fs::write(&path, &text).unwrap();
    let mut server = Server::start(&dir, json!({}));
    wait_for_all(&mut server, &dir);
    let b = server.open(&path);
    let mut version = 1;
    let mut pending = Vec::new();
    // Type and delete characters all over the document: digits inside
    // figures (so contradictions come and go), letters, and line breaks.
    let mut seed = 42u64;
    for step in 0..400 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let mut offset = (seed >> 33) as usize % (text.len() + 1);
        while !text.is_char_boundary(offset)
            || (offset > 0 && text.as_bytes()[offset - 1] == b'\r' && text.as_bytes().get(offset) == Some(&b'\n'))
        {
            offset -= 1;
        }
        let start = position_at(&text, offset, "utf-16");
        let (end_offset, insert) = match step % 4 {
            0 => (offset, ["1", "9", "0"][step % 3].to_string()),
            1 => (offset, "x".to_string()),
            2 => {
                let next = text[offset..].chars().next().map_or(0, char::len_utf8);
                let crlf = text[offset..].starts_with("\r\n");
                (offset + if crlf { 2 } else { next }, String::new())
            }
            _ => (offset, if step % 8 == 3 { "\r\n".to_string() } else { "😀".to_string() }),
        };
        let end = position_at(&text, end_offset, "utf-16");
        text.replace_range(offset..end_offset, &insert);
        version += 1;
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": b, "version": version}, "contentChanges": [{"range": {"start": start, "end": end}, "text": insert}]}),
        );
        if step % 5 == 0 {
            let p = position_at(&text, offset.min(text.len()), "utf-16");
            pending.push(server.send_request("textDocument/hover", json!({"textDocument": {"uri": b}, "position": p})));
            pending.push(
                server.send_request("textDocument/definition", json!({"textDocument": {"uri": b}, "position": p})),
            );
        }
    }
    // Each request answers, on the text it was sent for; an answer that
    // went stale while it ran (later edits moved the text) is dropped with
    // ContentModified, as the protocol allows: nothing else.
    for id in pending {
        let response = server.wait_response(id);
        let error = &response["error"];
        assert!(error.is_null() || error["code"] == json!(-32801), "requests during edits answer: {response}");
    }
    server.drain(Duration::from_millis(700));
    assert_eq!(server.diagnostics[&b]["version"], json!(version));
    std::fs::write(&path, &text).unwrap();
    assert_eq!(server_findings(&server), cli_findings_in(&dir, "utf-16"));
    assert!(server.is_running());
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn exit_without_shutdown_is_code_1() {
    let dir = copy_workspace(&fixtures().join("citations"), "lsp-exit");
    let mut server = Server::start(&dir, json!({}));
    server.notify("exit", Value::Null);
    assert_eq!(server.wait_exit(), Some(1));
}

fn severities(server: &Server, file: &str, code: &str) -> Vec<u64> {
    server.diagnostics[file]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| d["severity"].as_u64().unwrap())
        .collect()
}

#[test]
fn settings_from_the_editor_and_newsmark_toml() {
    let dir = copy_workspace(&fixtures().join("citations"), "lsp-settings");
    let file = uri(&dir.join("article.news.md"));
    let mut server = Server::start(&dir, json!({"initializationOptions": {"severity": {"uncited-figure": "off"}}}));
    server.wait_until("diagnostics", |s| s.diagnostics.contains_key(&file));
    assert!(severities(&server, &file, "uncited-figure").is_empty(), "turned off at start-up");

    server.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"newsmark": {"severity": {"uncited-figure": "error"}}}}),
    );
    server.wait_until("uncited-figure as errors", |s| severities(s, &file, "uncited-figure") == vec![1, 1, 1, 1, 1]);

    // newsmark.toml wins over editor settings, and is picked up when it changes.
    let toml = dir.join("newsmark.toml");
    std::fs::write(&toml, "[severity]\nuncited-figure = \"hint\"\n").unwrap();
    server.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&toml), "type": 1}]}));
    server.wait_until("uncited-figure as hints", |s| severities(s, &file, "uncited-figure") == vec![4, 4, 4, 4, 4]);

    let bad = server.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": file}, "position": {"line": 0, "character": 0}}),
    );
    assert!(bad.get("error").is_none());
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn watched_files_and_closing_a_buffer_keep_the_index_in_step_with_the_disk() {
    let dir = copy_workspace(&fixtures().join("contradicting-figure"), "lsp-watched");
    let a = uri(&dir.join("a.news.md"));
    let mut server = Server::start(&dir, json!({}));
    wait_for_all(&mut server, &dir);
    let count_d = |s: &Server| s.diagnostics[&a].to_string().matches("d.news.md").count();
    assert_eq!(count_d(&server), 0);

    // A new file on disk that contradicts a.
    let d_path = dir.join("d.news.md");
    std::fs::write(&d_path, "---\nid: d\npublished: 2020-02-13\n---\n\n[7,000 troops]{fig=nato-iraq.troops}[@d]\n")
        .unwrap();
    let d = uri(&d_path);
    server.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": d, "type": 1}]}));
    server.wait_until("d indexed", |s| s.diagnostics.contains_key(&d) && count_d(s) > 0);

    // An open buffer wins over the disk; closing it goes back to the disk.
    let text = std::fs::read_to_string(&d_path).unwrap();
    server.notify("textDocument/didOpen", json!({"textDocument": {"uri": d, "languageId": "newsmark", "version": 1, "text": text.replace("7,000", "500")}}));
    server.wait_until("the buffer's 500 agrees with a", |s| count_d(s) == 0);
    std::fs::write(&d_path, text.replace("7,000", "9,000")).unwrap();
    server.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": d, "type": 2}]}));
    server.drain(Duration::from_millis(300));
    assert_eq!(count_d(&server), 0, "the open buffer still wins");
    server.notify("textDocument/didClose", json!({"textDocument": {"uri": d}}));
    server.wait_until("back to the disk's 9,000", |s| s.diagnostics[&a].to_string().contains("9000"));

    // Deleting the file clears its diagnostics and a's contradiction with it.
    std::fs::remove_file(&d_path).unwrap();
    server.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": d, "type": 3}]}));
    server.wait_until("d gone", |s| count_d(s) == 0 && s.diagnostics[&d]["diagnostics"] == json!([]));
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn a_panicking_request_answers_an_error_and_the_server_carries_on() {
    let dir = copy_workspace(&fixtures().join("citations"), "lsp-panic");
    let file = uri(&dir.join("article.news.md"));
    let mut server = Server::start_with_env(&dir, json!({}), &[("NEWSMARK_ALLOW_DEBUG_PANIC", "1")]);
    server.wait_until("diagnostics", |s| s.diagnostics.contains_key(&file));
    let response = server.request_raw("newsmark/debugPanic", Value::Null);
    assert_eq!(response["error"]["code"], json!(-32603), "internal error: {response}");
    assert!(response["error"]["message"].as_str().unwrap().contains("debug panic requested"));
    let hover = server.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": file}, "position": {"line": 5, "character": 3}}),
    );
    assert!(hover.get("error").is_none(), "still serving: {hover}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn definition_answers_location_links_when_the_client_takes_them() {
    let dir = copy_workspace(&fixtures().join("unsupported-figure"), "lsp-links");
    let claim_path = dir.join("claim.news.md");
    let claim = std::fs::read_to_string(&claim_path).unwrap();
    let mut server =
        Server::start(&dir, json!({"capabilities": {"textDocument": {"definition": {"linkSupport": true}}}}));
    wait_for_all(&mut server, &dir);
    let claim_uri = uri(&claim_path);
    let links = server.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": claim_uri}, "position": position(&claim, "@report", 3, "utf-16")}),
    );
    let link = &links[0];
    assert_eq!(link["targetUri"], json!(uri(&dir.join("report.news.md"))), "{links}");
    // The whole front matter, with the id selected.
    assert_eq!(link["targetRange"]["start"], json!({"line": 0, "character": 0}), "{links}");
    assert_eq!(link["targetRange"]["end"]["line"], json!(3), "{links}");
    assert_eq!(
        link["targetSelectionRange"],
        json!({"start": {"line": 1, "character": 4}, "end": {"line": 1, "character": 10}})
    );
    assert_eq!(link["originSelectionRange"]["start"], position(&claim, "@report", 1, "utf-16"), "{links}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// #11/#14 item 6: "did you mean" depends on the ids every other file
/// defines. Another file defining a nearer id, and then removing it again,
/// re-publishes the file that shows the suggestion.
#[test]
fn did_you_mean_is_republished_when_another_file_defines_or_removes_an_id() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-scratch/lsp-did-you-mean");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // Its own project: a .git below the repository's newsmark.toml is not one.
    std::fs::write(dir.join("newsmark.toml"), "").unwrap();
    std::fs::write(dir.join("a.news.md"), "He spoke: [Jens]{ent=stoltenbrg}.\n").unwrap();
    let registry = "::: entity stoltenbrx\nname: X\n:::\n";
    std::fs::write(dir.join("b.news.md"), registry).unwrap();
    let dir = dir.canonicalize().unwrap();
    let mut server = Server::start(&dir, json!({}));
    wait_for_all(&mut server, &dir);
    let a = uri(&dir.join("a.news.md"));
    let suggests = |s: &Server, id: &str| s.diagnostics[&a].to_string().contains(&format!("did you mean `{id}`?"));
    assert!(suggests(&server, "stoltenbrx"), "{}", server.diagnostics[&a]);
    let b = server.open(&dir.join("b.news.md"));
    let set_b = |server: &mut Server, version: i64, text: String| {
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": b, "version": version}, "contentChanges": [{"text": text}]}),
        );
    };
    set_b(&mut server, 2, format!("{registry}\n::: entity stoltenberg\nname: Jens Stoltenberg\n:::\n"));
    server.wait_until("a suggests the new id", |s| suggests(s, "stoltenberg"));
    set_b(&mut server, 3, registry.to_string());
    server.wait_until("a suggests the old id again", |s| suggests(s, "stoltenbrx"));
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// Files no editor has open keep only their summary (docs/architecture.md,
/// "Memory"): requests on them are answered from a tree parsed again on
/// demand, the same as while the file is open, after it is closed, when it
/// is opened again, and after it changes on disk.
#[test]
fn requests_on_closed_files_answer_as_on_open_ones() {
    let dir = copy_workspace(&fixtures().join("unsupported-figure"), "lsp-closed");
    let claim_path = dir.join("claim.news.md");
    let claim = std::fs::read_to_string(&claim_path).unwrap();
    let mut server = Server::start(&dir, json!({}));
    wait_for_all(&mut server, &dir);
    let doc = json!({"uri": uri(&claim_path)});
    let everything = json!({"start": {"line": 0, "character": 0}, "end": position_at(&claim, claim.len(), "utf-16")});
    let ask = |server: &mut Server| -> Vec<Value> {
        let at = |needle: &str| json!({"textDocument": doc, "position": position(&claim, needle, 3, "utf-16")});
        vec![
            server.request("textDocument/hover", at("about 2,000")),
            server.request("textDocument/definition", at("about 2,000")),
            server.request("textDocument/references", json!({"textDocument": doc, "position": position(&claim, "@report", 3, "utf-16"), "context": {"includeDeclaration": true}})),
            server.request("textDocument/documentSymbol", json!({"textDocument": doc})),
            server.request(
                "textDocument/codeAction",
                json!({"textDocument": doc, "range": everything, "context": {"diagnostics": []}}),
            ),
        ]
    };
    let closed = ask(&mut server);
    let hover = closed[0]["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        hover.contains("nato-iraq.troops") && hover.contains("500 troops"),
        "hover on a closed file: {}",
        closed[0]
    );
    assert!(closed[1].to_string().contains("report.news.md"), "go to the cited figure: {}", closed[1]);
    assert!(closed[4].as_array().is_some_and(|a| !a.is_empty()), "code actions: {}", closed[4]);

    for round in ["open", "closed again", "reopened"] {
        match round {
            "closed again" => server.notify("textDocument/didClose", json!({"textDocument": doc})),
            _ => {
                server.open(&claim_path);
            }
        }
        assert_eq!(ask(&mut server), closed, "{round}");
    }
    server.notify("textDocument/didClose", json!({"textDocument": doc}));

    // The cited article changes on disk while closed: the hover on the
    // closed citer reads its new value.
    let report_path = dir.join("report.news.md");
    let report = std::fs::read_to_string(&report_path).unwrap();
    std::fs::write(&report_path, report.replace("[500 troops]", "[700 troops]")).unwrap();
    server.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&report_path), "type": 2}]}));
    server
        .wait_until("the report's new value is read", |s| s.diagnostics[&uri(&claim_path)].to_string().contains("700"));
    let hover = ask(&mut server).remove(0);
    assert!(hover.to_string().contains("700 troops") && !hover.to_string().contains("500 troops"), "{hover}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// A document big enough that its `didOpen` and full-sync `didChange` are
/// decoded once by the input's guard and parked (`transport::Parked`), and
/// edited incrementally after: the server must end where `check` ends on
/// the same texts, in that file and in the files its figures contradict.
#[test]
fn a_big_document_opened_and_synced_whole_is_checked_as_check_does() {
    let dir = copy_workspace(&fixtures().join("contradicting-figure"), "lsp-big-document");
    let big = dir.join("big.news.md");
    let mut text = String::from("---\nid: big\npublished: 2020-03-01\n---\n\n");
    // Over 64 KB and 4,096 spans: the rules, the line index and the tree's
    // tail are worked on two cores (workspace, checks, syntax::incremental).
    for i in 0..4500 {
        text.push_str(&format!("Paragraph {i} says \"quoted\" things \\ and [{i} ships]{{fig=ships-{i}}}[@big].\n\n"));
    }
    assert!(text.len() > 300 * 1024, "over the parking size");
    std::fs::write(&big, &text).unwrap();
    let mut server = Server::start(&dir, json!({}));
    wait_for_all(&mut server, &dir);
    let uri_big = server.open(&big);
    let uri_a = uri(&dir.join("a.news.md"));
    // Whole: one paragraph now contradicts a.news.md's troops.
    let synced = text.replacen("[7 ships]{fig=ships-7}", "[2,000 troops]{fig=nato-iraq.troops}", 1);
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri_big, "version": 2}, "contentChanges": [{"text": synced}]}),
    );
    server.wait_until("the full sync published", |s| {
        s.diagnostics.get(&uri_big).is_some_and(|d| d["version"] == 2)
            && s.diagnostics.get(&uri_a).is_some_and(|d| d.to_string().contains("big.news.md"))
    });
    std::fs::write(&big, &synced).unwrap();
    server.drain(Duration::from_millis(300));
    assert_eq!(server_findings(&server), cli_findings(&dir), "after the full sync");
    // Then a keystroke: the figure of paragraph 9 loses its citation.
    let at = position(&synced, "[@big].\n\nParagraph 10 ", 0, "utf-16");
    let end = json!({"line": at["line"], "character": at["character"].as_u64().unwrap() + 6});
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri_big, "version": 3}, "contentChanges": [{"range": {"start": at, "end": end}, "text": ""}]}),
    );
    server.wait_until("the keystroke published", |s| s.diagnostics.get(&uri_big).is_some_and(|d| d["version"] == 3));
    let edited = synced.replacen("[@big].\n\nParagraph 10 ", ".\n\nParagraph 10 ", 1);
    std::fs::write(&big, &edited).unwrap();
    server.drain(Duration::from_millis(300));
    let findings = server_findings(&server);
    assert!(findings.iter().any(|f| f.0 == "big.news.md" && f.1 == "uncited-figure"), "{findings:?}");
    assert_eq!(findings, cli_findings(&dir), "after the keystroke");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}
