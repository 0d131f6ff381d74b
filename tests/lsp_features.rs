//! End-to-end tests of the editor features beyond the basics, against the
//! real `newsmark lsp` over stdio: inlay hints, code lenses, document
//! links, folding, highlights, selection ranges, semantic tokens (range and
//! delta) and pull diagnostics. Positions are checked in all three
//! encodings on text with emoji and CJK.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::lsp::{uri, Server};
use serde_json::{json, Value};

const A: &str = "---\nid: a-2024\npublished: 2024-03-04\nurl: https://example.org/a\n---\n\n\
🎉 北约 [about 1,200 strikers]{fig=strike.workers}[@b-2024] said [“我们 stay 🎉”]{by=chen}[@b-2024].\n\n\
[more than 500]{fig=strike.workers asof=2024-02}[@src]\n";

const B: &str = "---\nid: b-2024\npublished: 2024-03-01\n---\n\n\
[2,000 workers]{fig=strike.workers}[@a-2024] and [“我们 stay 🎉”]{by=li}[@a-2024].\n";

const DEFS: &str = "::: entity chen\nname: Chen Wei\n:::\n\n::: entity li\nname: Li Na\n:::\n\n\
::: source src\ntitle: S\nurl: https://example.org/src\n:::\n";

fn workspace(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // Its own project: without a newsmark.toml it would belong to this repository.
    std::fs::write(dir.join("newsmark.toml"), "").unwrap();
    for (file, text) in [("a.news.md", A), ("b.news.md", B), ("defs.news.md", DEFS)] {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir.canonicalize().unwrap()
}

fn position_at(text: &str, offset: usize, encoding: &str) -> Value {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let prefix = &before[line_start..];
    let character = match encoding {
        "utf-8" => prefix.len(),
        "utf-32" => prefix.chars().count(),
        _ => prefix.encode_utf16().count(),
    };
    json!({"line": before.matches('\n').count(), "character": character})
}

/// The position just after the first `needle`.
fn after(text: &str, needle: &str, encoding: &str) -> Value {
    position_at(text, text.find(needle).unwrap() + needle.len(), encoding)
}

fn start(dir: &Path, encoding: &str, extra: Value) -> Server {
    let mut init = json!({"capabilities": {"general": {"positionEncodings": [encoding]}}});
    if let (Some(init), Value::Object(extra)) = (init.as_object_mut(), extra) {
        init.extend(extra);
    }
    Server::start(dir, init)
}

fn doc(path: &Path) -> Value {
    json!({"textDocument": {"uri": uri(path)}})
}

fn whole(text: &str) -> Value {
    json!({"start": {"line": 0, "character": 0}, "end": position_at(text, text.len(), "utf-16")})
}

#[test]
fn capabilities_offer_every_feature() {
    let dir = workspace("features-capabilities");
    let mut server = Server::spawn(&[]);
    let result = server.request("initialize", json!({"processId": null, "rootUri": uri(&dir), "capabilities": {}}));
    let caps = &result["capabilities"];
    for provider in [
        "inlayHintProvider",
        "codeLensProvider",
        "documentLinkProvider",
        "foldingRangeProvider",
        "documentHighlightProvider",
        "selectionRangeProvider",
    ] {
        assert!(!caps[provider].is_null(), "{provider} missing: {caps}");
    }
    assert_eq!(caps["semanticTokensProvider"]["full"], json!({"delta": true}));
    assert_eq!(caps["semanticTokensProvider"]["range"], json!(true));
    // A client that does not pull is not offered pulling.
    assert!(caps["diagnosticProvider"].is_null(), "{caps}");
}

#[test]
fn pulling_is_offered_only_to_clients_that_can_be_asked_to_pull_again() {
    let dir = workspace("features-pull-offer");
    let offer = |workspace_caps: Value| {
        let mut server = Server::spawn(&[]);
        let capabilities = json!({"textDocument": {"diagnostic": {}}, "workspace": workspace_caps});
        let result = server
            .request("initialize", json!({"processId": null, "rootUri": uri(&dir), "capabilities": capabilities}));
        result["capabilities"]["diagnosticProvider"].clone()
    };
    let offered = offer(json!({"diagnostics": {"refreshSupport": true}}));
    assert_eq!(offered["workspaceDiagnostics"], json!(true));
    assert_eq!(offered["interFileDependencies"], json!(true));
    // Neovim 0.11 pulls, but cannot be told that another file's edit
    // changed this one's findings: it is pushed them instead.
    assert!(offer(json!({})).is_null());
}

#[test]
fn inlay_hints_are_exact_in_every_encoding() {
    let dir = workspace("features-inlay");
    let a = dir.join("a.news.md");
    for encoding in ["utf-16", "utf-8", "utf-32"] {
        let mut server = start(&dir, encoding, json!({}));
        let hints = server.request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri(&a)}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}}}),
        );
        let got: Vec<(String, Value)> = hints
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["label"].as_str().unwrap().to_string(), h["position"].clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("≈ 1,080–1,320 · Feb 2–Mar 4 2024".to_string(), after(A, "{fig=strike.workers}[@b-2024]", encoding)),
                ("— Chen Wei".to_string(), after(A, "stay 🎉”", encoding)),
                ("> 500 · Feb 2024".to_string(), after(A, "[@src]", encoding)),
            ],
            "{encoding}"
        );
        assert!(hints[0]["tooltip"]["value"].as_str().unwrap().contains("the 31 days up to `published`"));
    }
}

#[test]
fn inlay_hint_kinds_follow_the_settings() {
    let dir = workspace("features-inlay-settings");
    let a = dir.join("a.news.md");
    let range = json!({"textDocument": {"uri": uri(&a)}, "range": whole(A)});
    let labels = |server: &mut Server| -> Vec<String> {
        let hints = server.request("textDocument/inlayHint", range.clone());
        hints.as_array().unwrap().iter().map(|h| h["label"].as_str().unwrap().to_string()).collect()
    };
    let mut server =
        start(&dir, "utf-16", json!({"initializationOptions": {"window": 31, "inlayHints": {"speakers": false}}}));
    assert_eq!(labels(&mut server), ["≈ 1,080–1,320 · Feb 2–Mar 4 2024", "> 500 · Feb 2024"]);
    server.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"newsmark": {"inlayHints": {"figures": false, "speakers": true}}}}),
    );
    assert_eq!(labels(&mut server), ["— Chen Wei"]);
    // The settings mirrored from newsmark.toml still apply next to them.
    server.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"newsmark": {"tolerance": 0.2, "inlayHints": {"figures": true}}}}),
    );
    assert_eq!(labels(&mut server)[0], "≈ 960–1,440 · Feb 2–Mar 4 2024");
}

#[test]
fn code_lenses_count_and_point_at_the_other_places() {
    let dir = workspace("features-lens");
    let (a, b) = (dir.join("a.news.md"), dir.join("b.news.md"));
    let mut server = start(&dir, "utf-16", json!({}));
    let lenses = server.request("textDocument/codeLens", doc(&a));
    let lenses = lenses.as_array().unwrap();
    let titles: Vec<&str> = lenses.iter().map(|l| l["command"]["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        [
            "2 citations",
            "2 other values for strike.workers · 1 contradict",
            "1 other attribution · 1 to Li Na",
            "2 other values for strike.workers",
        ]
    );
    let lens = &lenses[1];
    assert_eq!(lens["command"]["command"], "newsmark.showReferences");
    let args = lens["command"]["arguments"].as_array().unwrap();
    assert_eq!(args[0], json!(uri(&a)));
    assert_eq!(args[1], position_at(A, A.find("[about").unwrap(), "utf-16"));
    let targets: Vec<(String, Value)> = args[2]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["uri"].as_str().unwrap().to_string(), l["range"]["start"].clone()))
        .collect();
    assert_eq!(
        targets,
        [
            (uri(&a), position_at(A, A.find("[more than").unwrap(), "utf-16")),
            (uri(&b), position_at(B, B.find("[2,000").unwrap(), "utf-16")),
        ]
    );
    let lenses = server.request("textDocument/codeLens", doc(&dir.join("defs.news.md")));
    let titles: Vec<&str> =
        lenses.as_array().unwrap().iter().map(|l| l["command"]["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["0 mentions · 1 quote", "0 mentions · 1 quote", "1 citation"]);
}

#[test]
fn links_folds_highlights_and_selection() {
    let dir = workspace("features-nav");
    let (a, defs) = (dir.join("a.news.md"), dir.join("defs.news.md"));
    let mut server = start(&dir, "utf-16", json!({}));

    let links = server.request("textDocument/documentLink", doc(&a));
    let got: Vec<(String, Value)> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["target"].as_str().unwrap().to_string(), l["range"]["start"].clone()))
        .collect();
    let b_at = format!("{}#L2", uri(&dir.join("b.news.md")));
    assert_eq!(
        got,
        [
            ("https://example.org/a".to_string(), after(A, "url: ", "utf-16")),
            (b_at.clone(), position_at(A, A.find("@b-2024").unwrap(), "utf-16")),
            (b_at, position_at(A, A.rfind("@b-2024").unwrap(), "utf-16")),
            (format!("{}#L9", uri(&defs)), position_at(A, A.find("@src").unwrap(), "utf-16")),
        ]
    );

    let folds = server.request("textDocument/foldingRange", doc(&defs));
    let lines: Vec<(u64, u64)> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["startLine"].as_u64().unwrap(), f["endLine"].as_u64().unwrap()))
        .collect();
    assert_eq!(lines, [(0, 2), (4, 6), (8, 11)]);
    let folds = server.request("textDocument/foldingRange", doc(&a));
    assert_eq!(folds[0]["startLine"], 0);
    assert_eq!(folds[0]["endLine"], 4);

    let on_id = position_at(A, A.find("b-2024]").unwrap() + 2, "utf-16");
    let highlights =
        server.request("textDocument/documentHighlight", json!({"textDocument": {"uri": uri(&a)}, "position": on_id}));
    let got: Vec<(Value, u64)> = highlights
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["range"]["start"].clone(), h["kind"].as_u64().unwrap()))
        .collect();
    let id_at = |i: usize| position_at(A, i, "utf-16");
    assert_eq!(got, [(id_at(A.find("b-2024]").unwrap()), 2), (id_at(A.rfind("b-2024]").unwrap()), 2)]);

    let in_quote = position_at(A, A.find("stay").unwrap(), "utf-16");
    let selection = server.request(
        "textDocument/selectionRange",
        json!({"textDocument": {"uri": uri(&a)}, "positions": [in_quote, {"line": 0, "character": 0}]}),
    );
    let mut chain = Vec::new();
    let mut at = &selection[0];
    while at.is_object() {
        chain.push((at["range"]["start"].clone(), at["range"]["end"].clone()));
        at = &at["parent"];
    }
    let quote_text = A.find("“我们").unwrap();
    assert_eq!(chain[0], (id_at(quote_text), id_at(A.find("]{by=chen}").unwrap())));
    assert_eq!(chain[1], (id_at(quote_text - 1), id_at(A.find("[@b-2024].").unwrap())));
    assert_eq!(chain[2].0, json!({"line": 6, "character": 0}));
    assert_eq!(chain.len(), 3, "text, span, paragraph: {chain:?}");
    assert_eq!(selection.as_array().unwrap().len(), 2, "one result per position");
}

/// Applies LSP semantic-token edits to the previous data.
fn apply_edits(mut data: Vec<u64>, edits: &[Value]) -> Vec<u64> {
    let mut edits: Vec<&Value> = edits.iter().collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e["start"].as_u64().unwrap()));
    for edit in edits {
        let start = edit["start"].as_u64().unwrap() as usize;
        let delete = edit["deleteCount"].as_u64().unwrap() as usize;
        let insert: Vec<u64> =
            edit["data"].as_array().map_or(Vec::new(), |d| d.iter().map(|v| v.as_u64().unwrap()).collect());
        data.splice(start..start + delete, insert);
    }
    data
}

fn numbers(value: &Value) -> Vec<u64> {
    value.as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect()
}

#[test]
fn semantic_tokens_for_a_range_and_as_deltas() {
    let dir = workspace("features-tokens");
    let a = dir.join("a.news.md");
    let mut server = start(&dir, "utf-16", json!({}));
    let a_uri = server.open(&a);

    let full = server.request("textDocument/semanticTokens/full", doc(&a));
    let first_id = full["resultId"].as_str().expect("a result id").to_string();
    let data = numbers(&full["data"]);

    // A range holding only the last paragraph: its tokens, the first one
    // relative to the start of the file.
    let last_line = A.lines().count() as u64 - 1;
    let range = server.request(
        "textDocument/semanticTokens/range",
        json!({"textDocument": {"uri": a_uri}, "range": {"start": {"line": last_line, "character": 0}, "end": {"line": last_line + 1, "character": 0}}}),
    );
    let in_range = numbers(&range["data"]);
    assert!(!in_range.is_empty() && in_range.len() < data.len());
    assert_eq!(in_range[0], last_line);

    // Type before the first figure; the delta applied to the old tokens
    // gives the new full tokens.
    let at = position_at(A, A.find("[about").unwrap(), "utf-16");
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": a_uri, "version": 2}, "contentChanges": [{"range": {"start": at, "end": at}, "text": "[Li]{ent=li} "}]}),
    );
    let delta = server.request(
        "textDocument/semanticTokens/full/delta",
        json!({"textDocument": {"uri": a_uri}, "previousResultId": first_id}),
    );
    let edits = delta["edits"].as_array().expect("a delta, not full tokens");
    assert_eq!(edits.len(), 1);
    assert!(edits[0]["start"].as_u64().unwrap() > 0, "the unchanged head is kept: {delta}");
    let patched = apply_edits(data, edits);
    let now = server.request("textDocument/semanticTokens/full", doc(&a));
    assert_eq!(patched, numbers(&now["data"]));

    // An unknown previous result gets the tokens in full.
    let fallback = server.request(
        "textDocument/semanticTokens/full/delta",
        json!({"textDocument": {"uri": a_uri}, "previousResultId": "nope"}),
    );
    assert_eq!(numbers(&fallback["data"]), numbers(&now["data"]));
}

fn pull_client(dir: &Path) -> Server {
    start(
        dir,
        "utf-16",
        json!({"capabilities": {
            "general": {"positionEncodings": ["utf-16"]},
            "textDocument": {"diagnostic": {"dynamicRegistration": false}},
            "workspace": {"diagnostics": {"refreshSupport": true}}
        }}),
    )
}

#[test]
fn pull_diagnostics_with_result_ids_and_no_push() {
    let dir = workspace("features-pull");
    let (a, b) = (dir.join("a.news.md"), dir.join("b.news.md"));
    let mut server = pull_client(&dir);
    let a_uri = server.open(&a);

    let report = server.request("textDocument/diagnostic", json!({"textDocument": {"uri": a_uri}}));
    assert_eq!(report["kind"], "full");
    let codes: Vec<&str> = report["items"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["contradicting-figure", "unsupported-figure", "conflicting-attribution"]);
    let first = report["resultId"].as_str().unwrap().to_string();
    let again =
        server.request("textDocument/diagnostic", json!({"textDocument": {"uri": a_uri}, "previousResultId": first}));
    assert_eq!(again, json!({"kind": "unchanged", "resultId": first}));

    // The whole workspace; then again with the result ids: all unchanged.
    let all = server.request("workspace/diagnostic", json!({"previousResultIds": []}));
    let items = all["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|i| i["kind"] == "full"));
    let previous: Vec<Value> = items.iter().map(|i| json!({"uri": i["uri"], "value": i["resultId"]})).collect();
    let unchanged = server.request("workspace/diagnostic", json!({"previousResultIds": previous}));
    assert!(unchanged["items"].as_array().unwrap().iter().all(|i| i["kind"] == "unchanged"), "{unchanged}");

    // Editing b so that it no longer contradicts a (nor leaves a's figure
    // unsupported) changes both files' reports (and the server asks the client to pull again); defs stays.
    let b_uri = server.open(&b);
    let at = position_at(B, B.find("2,000").unwrap(), "utf-16");
    let end = position_at(B, B.find("2,000").unwrap() + 5, "utf-16");
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": b_uri, "version": 2}, "contentChanges": [{"range": {"start": at, "end": end}, "text": "1,250"}]}),
    );
    server.wait_for("a diagnostic refresh", |m| m["method"] == "workspace/diagnostic/refresh");
    let after_edit = server.request("workspace/diagnostic", json!({"previousResultIds": previous}));
    let kinds: Vec<(String, String)> = after_edit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let name = i["uri"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
            (name, i["kind"].as_str().unwrap().to_string())
        })
        .collect();
    let mut kinds = kinds;
    kinds.sort();
    assert_eq!(
        kinds,
        [
            ("a.news.md".into(), "full".into()),
            ("b.news.md".into(), "full".into()),
            ("defs.news.md".into(), "unchanged".into())
        ]
    );
    let a_now = after_edit["items"].as_array().unwrap().iter().find(|i| i["uri"] == json!(a_uri)).unwrap();
    let codes: Vec<&str> = a_now["items"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["conflicting-attribution"]);

    // Never both: nothing was pushed to this client.
    server.drain(Duration::from_millis(300));
    assert!(server.diagnostics.is_empty(), "pushed to a pull client: {:?}", server.diagnostics.keys());
}

#[test]
fn push_clients_are_never_answered_by_pull() {
    // A client without the pull capability gets every file pushed, as before.
    let dir = workspace("features-push");
    let mut server = start(&dir, "utf-16", json!({}));
    let uris: Vec<String> = ["a.news.md", "b.news.md", "defs.news.md"].iter().map(|f| uri(&dir.join(f))).collect();
    server.wait_until("pushed diagnostics", |s| uris.iter().all(|u| s.diagnostics.contains_key(u)));
    assert_eq!(server.codes(&uris[0]), ["contradicting-figure", "unsupported-figure", "conflicting-attribution"]);
}
