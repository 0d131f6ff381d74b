//! Drives `newsmark lsp` over stdio like an editor would, and times it.
//!
//! ```text
//! cargo run --release --example lsp_bench -- CORPUS [--server PATH] [--edits N] [--timeout SECS]
//! ```
//!
//! CORPUS is a folder written by `gen_corpus` (it reads `bench-target.json`
//! there to know which figure to edit). The driver:
//!
//! 1. counts the `*.news.md` files under CORPUS;
//! 2. spawns the server, sends `initialize` (rootUri and workspaceFolders =
//!    CORPUS) and `initialized`, and waits until `publishDiagnostics` has
//!    arrived for every file: that is `ready_ms`, counted from `initialize`;
//! 3. opens the target article, whose figure shares its key with hundreds of
//!    others, and sends N `didChange` edits that switch the figure's number
//!    between the key's value and ten times that (so that contradictions with
//!    the other figures appear and disappear, and every edit changes the
//!    file's diagnostics). Each edit is timed from sending `didChange` to
//!    receiving the first `publishDiagnostics` for that file with the edit's
//!    version;
//! 4. the shared-registry scenario (`entities.news.md`, which defines every
//!    entity): opens the registry, types a new entity block at its end one
//!    keystroke at a time, each timed from `didChange` until the server has
//!    applied it and re-published what changed (a request sent after the
//!    change is answered: `registry_type_p50/p95_ms`); then retypes the id of
//!    the entity mentioned by the most files (drops its last letter, puts it
//!    back) of two entities, the one mentioned by the most files and the
//!    one mentioned by about 235, each timed until every mentioning file was
//!    re-published (`retype_{busiest,typical}_{files,p50_ms,max_ms}`);
//! 5. reads the server's peak RSS (`VmHWM` in /proc/PID/status), then sends
//!    `shutdown` and `exit`.
//!
//! It prints one line of `key=value` pairs on stdout (times in ms, RSS in
//! KB) and exits non-zero when anything fails or times out.
//!
//! JSON-RPC framing is written by hand here (Content-Length headers over
//! stdio) with serde_json, so the benchmark exercises exactly what an
//! editor sends.

use std::collections::HashSet;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[path = "support/wire.rs"]
mod wire;
use wire::{file_uri, peak_rss_kb, percentile, read_message};

struct Args {
    corpus: PathBuf,
    server: PathBuf,
    edits: usize,
    timeout: Duration,
}

fn parse_args() -> Result<Args, String> {
    let mut corpus = None;
    let mut server = None;
    let mut edits = 100;
    let mut timeout = 600;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--server" => server = it.next().map(PathBuf::from),
            "--edits" => edits = it.next().and_then(|v| v.parse().ok()).ok_or("--edits takes a number")?,
            "--timeout" => timeout = it.next().and_then(|v| v.parse().ok()).ok_or("--timeout takes seconds")?,
            _ if arg.starts_with("--") => return Err(format!("unknown option {arg}")),
            _ => corpus = Some(PathBuf::from(arg)),
        }
    }
    let corpus = corpus.ok_or("usage: lsp_bench CORPUS [--server PATH] [--edits N] [--timeout SECS]")?;
    let corpus = std::fs::canonicalize(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    let server = server.unwrap_or_else(|| PathBuf::from("target/release/newsmark"));
    Ok(Args { corpus, server, edits, timeout: Duration::from_secs(timeout) })
}

fn count_articles(dir: &Path, count: &mut usize) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            count_articles(&entry.path(), count)?;
        } else if kind.is_file() && name.ends_with(".news.md") && name.len() > ".news.md".len() {
            *count += 1;
        }
    }
    Ok(())
}

/// `file:///a%20b` → `/a b`, so URIs compare whatever the escaping.
fn uri_path(uri: &str) -> String {
    let rest = uri.strip_prefix("file://").unwrap_or(uri);
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

struct Server {
    child: Child,
    stdin: Arc<Mutex<ChildStdin>>,
    incoming: Receiver<(Instant, Value)>,
    next_id: i64,
}

fn send(stdin: &Mutex<ChildStdin>, message: &Value) -> std::io::Result<()> {
    wire::write_message(&mut *stdin.lock().unwrap(), message)
}

impl Server {
    fn spawn(path: &Path) -> Result<Server, String> {
        let mut child = Command::new(path)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", path.display()))?;
        let stdin = Arc::new(Mutex::new(child.stdin.take().unwrap()));
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = mpsc::channel();
        let replies = stdin.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::with_capacity(1 << 20, stdout);
            while let Ok(Some(body)) = read_message(&mut reader) {
                let at = Instant::now();
                let Ok(message) = serde_json::from_slice::<Value>(&body) else { continue };
                // Requests from the server (registerCapability, progress):
                // answer at once so it never waits on us.
                if message.get("method").is_some() && message.get("id").is_some() {
                    let reply = json!({"jsonrpc": "2.0", "id": message["id"], "result": null});
                    let _ = send(&replies, &reply);
                    continue;
                }
                if tx.send((at, message)).is_err() {
                    break;
                }
            }
        });
        Ok(Server { child, stdin, incoming, next_id: 1 })
    }

    fn notify(&self, method: &str, params: Value) -> Result<(), String> {
        send(&self.stdin, &json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .map_err(|e| format!("cannot send {method}: {e}"))
    }

    fn request(&mut self, method: &str, params: Value) -> Result<i64, String> {
        let id = self.next_id;
        self.next_id += 1;
        send(&self.stdin, &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .map_err(|e| format!("cannot send {method}: {e}"))?;
        Ok(id)
    }

    /// Next message before `deadline`, passing every message to `seen`
    /// until it returns true.
    fn wait_for(
        &self,
        deadline: Instant,
        what: &str,
        mut seen: impl FnMut(Instant, &Value) -> bool,
    ) -> Result<Instant, String> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok((at, message)) => {
                    if seen(at, &message) {
                        return Ok(at);
                    }
                }
                Err(RecvTimeoutError::Timeout) => return Err(format!("timed out waiting for {what}")),
                Err(RecvTimeoutError::Disconnected) => return Err(format!("server closed its output before {what}")),
            }
        }
    }

    fn wait_response(&self, id: i64, deadline: Instant, what: &str) -> Result<(Instant, Value), String> {
        let mut response = Value::Null;
        let at = self.wait_for(deadline, what, |_, m| {
            if m.get("id").and_then(Value::as_i64) == Some(id) && m.get("method").is_none() {
                response = m.clone();
                true
            } else {
                false
            }
        })?;
        if let Some(error) = response.get("error") {
            return Err(format!("{what} failed: {error}"));
        }
        Ok((at, response))
    }

    fn peak_rss_kb(&self) -> Option<u64> {
        peak_rss_kb(self.child.id())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn is_publish(m: &Value) -> bool {
    m.get("method").and_then(Value::as_str) == Some("textDocument/publishDiagnostics")
}

fn contradictions_on_line(diagnostics: &Value, line: u64) -> usize {
    diagnostics
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|d| d["code"] == "contradicting-figure" && d["range"]["start"]["line"].as_u64() == Some(line))
                .count()
        })
        .unwrap_or(0)
}

fn run(args: &Args) -> Result<String, String> {
    let mut files = 0;
    count_articles(&args.corpus, &mut files).map_err(|e| format!("{}: {e}", args.corpus.display()))?;
    let manifest_path = args.corpus.join("bench-target.json");
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(&manifest_path).map_err(|e| format!("{}: {e}", manifest_path.display()))?,
    )
    .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let target = &manifest["target"];
    let target_path = args.corpus.join(target["path"].as_str().ok_or("manifest: no target path")?);
    let line = target["line"].as_u64().ok_or("manifest: no line")?;
    let character = target["character"].as_u64().ok_or("manifest: no character")?;
    let values = [
        target["old"].as_str().ok_or("manifest: no old value")?.to_string(),
        target["new"].as_str().ok_or("manifest: no new value")?.to_string(),
    ];
    let target_text = std::fs::read_to_string(&target_path).map_err(|e| format!("{}: {e}", target_path.display()))?;
    let target_uri = file_uri(&target_path);
    let target_key = uri_path(&target_uri);
    let root_uri = file_uri(&args.corpus);

    let mut server = Server::spawn(&args.server)?;
    let deadline = Instant::now() + args.timeout;

    // Start-up: initialize → diagnostics for every file.
    let start = Instant::now();
    let init = server.request(
        "initialize",
        json!({
            "processId": std::process::id(),
            "rootUri": root_uri,
            "workspaceFolders": [{"uri": root_uri, "name": "corpus"}],
            "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "textDocument": {
                    "synchronization": {"didSave": true},
                    "publishDiagnostics": {"relatedInformation": true, "versionSupport": true}
                }
            },
            "clientInfo": {"name": "newsmark-lsp-bench"}
        }),
    )?;
    let (init_at, _) = server.wait_response(init, deadline, "the initialize response")?;
    server.notify("initialized", json!({}))?;
    let mut published: HashSet<String> = HashSet::new();
    let mut startup_diagnostics = 0usize;
    let ready_at = server.wait_for(deadline, "diagnostics for every file", |_, m| {
        if is_publish(m) {
            if let Some(uri) = m["params"]["uri"].as_str() {
                if published.insert(uri_path(uri)) {
                    startup_diagnostics += m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
                }
            }
        }
        published.len() >= files
    })?;
    let init_ms = ms(init_at - start);
    let ready_ms = ms(ready_at - start);

    // Open the target and let the server settle: a request is answered only
    // after every notification sent before it was applied.
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": target_uri, "languageId": "newsmark", "version": 1, "text": target_text}}),
    )?;
    let settle = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": target_uri}, "position": {"line": 0, "character": 0}}),
    )?;
    server.wait_response(settle, deadline, "the hover after didOpen")?;

    // Edits.
    let mut latencies = Vec::with_capacity(args.edits);
    let mut toggles_ok = 0;
    let mut previous = Value::Null;
    let mut republished_per_edit = Vec::with_capacity(args.edits);
    for edit in 0..args.edits {
        let version = 2 + edit as i64;
        let (from, to) = if edit % 2 == 0 { (&values[0], &values[1]) } else { (&values[1], &values[0]) };
        let end = character + from.encode_utf16().count() as u64;
        let sent = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": target_uri, "version": version},
                "contentChanges": [{
                    "range": {"start": {"line": line, "character": character}, "end": {"line": line, "character": end}},
                    "text": to
                }]
            }),
        )?;
        let mut diagnostics = Value::Null;
        let mut others = 0usize;
        let edit_deadline = (Instant::now() + Duration::from_secs(60)).min(deadline);
        let at = server.wait_for(edit_deadline, "diagnostics after an edit", |_, m| {
            if !is_publish(m) {
                return false;
            }
            let params = &m["params"];
            let uri = params["uri"].as_str().map(uri_path).unwrap_or_default();
            if uri == target_key && params["version"].as_i64() == Some(version) {
                diagnostics = params["diagnostics"].clone();
                true
            } else {
                others += 1;
                false
            }
        })?;
        latencies.push(ms(at - sent));
        republished_per_edit.push(others);
        // Ten times the value contradicts the other figures; the value itself does not.
        let contradicted = contradictions_on_line(&diagnostics, line) > 0;
        if contradicted == (edit % 2 == 0) && diagnostics != previous {
            toggles_ok += 1;
        }
        if std::env::var_os("LSP_BENCH_DEBUG").is_some() {
            eprintln!("edit {edit}: {to} → {diagnostics}");
        }
        previous = diagnostics;
    }
    let registry = registry_scenario(&mut server, &args.corpus, deadline)?;

    // Let the last edit's other publications drain before reading memory.
    let settle = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": target_uri}, "position": {"line": 0, "character": 0}}),
    )?;
    server.wait_response(settle, deadline, "the final hover")?;
    let rss_kb = server.peak_rss_kb().unwrap_or(0);

    let shutdown = server.request("shutdown", Value::Null)?;
    server.wait_response(shutdown, deadline, "the shutdown response")?;
    server.notify("exit", Value::Null)?;
    let exit_deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.child.try_wait().map_err(|e| e.to_string())? {
            break Some(status);
        }
        if Instant::now() > exit_deadline {
            let _ = server.child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    if !status.is_some_and(|s| s.success()) {
        return Err(format!("the server did not exit cleanly after shutdown/exit: {status:?}"));
    }
    if toggles_ok != args.edits {
        return Err(format!(
            "only {toggles_ok} of {} edits toggled the contradiction on the edited figure as expected",
            args.edits
        ));
    }

    let mut sorted = latencies.clone();
    sorted.sort_by(f64::total_cmp);
    let mean_others = republished_per_edit.iter().sum::<usize>() as f64 / republished_per_edit.len().max(1) as f64;
    Ok(format!(
        "files={files} init_ms={init_ms:.1} ready_ms={ready_ms:.1} startup_diagnostics={startup_diagnostics} \
         edits={} p50_ms={:.2} p95_ms={:.2} max_ms={:.2} others_per_edit={mean_others:.1} rss_kb={rss_kb} \
         key={} {registry}",
        latencies.len(),
        percentile(&sorted, 50.0),
        percentile(&sorted, 95.0),
        sorted.last().copied().unwrap_or(f64::NAN),
        target["key"].as_str().unwrap_or("?"),
    ))
}

/// The files mentioning each entity (`ent=ID` or `by=ID`), by path.
fn mentions(dir: &Path, out: &mut std::collections::HashMap<String, HashSet<String>>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            mentions(&path, out)?;
        } else if path.to_string_lossy().ends_with(".news.md") {
            let text = std::fs::read_to_string(&path)?;
            let key = uri_path(&file_uri(&path));
            for marker in ["ent=", "by="] {
                for (at, _) in text.match_indices(marker) {
                    let rest = &text[at + marker.len()..];
                    let end =
                        rest.find(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c))).unwrap_or(rest.len());
                    if end > 0 {
                        out.entry(rest[..end].to_string()).or_default().insert(key.clone());
                    }
                }
            }
        }
    }
    Ok(())
}

fn registry_scenario(server: &mut Server, corpus: &Path, deadline: Instant) -> Result<String, String> {
    let path = corpus.join("entities.news.md");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let uri = file_uri(&path);
    let key = uri_path(&uri);
    let mut by_entity = std::collections::HashMap::new();
    mentions(corpus, &mut by_entity).map_err(|e| e.to_string())?;
    let defined: Vec<(&String, &HashSet<String>)> =
        by_entity.iter().filter(|(id, _)| text.contains(&format!("::: entity {id}\n"))).collect();
    // The busiest entity, and one with about as many mentioning files as a
    // typical newsroom id (235 in the issue that set the target).
    let busiest = defined
        .iter()
        .max_by_key(|(id, files)| (files.len(), std::cmp::Reverse((*id).clone())))
        .ok_or("the registry defines no mentioned entity")?;
    let typical =
        defined.iter().min_by_key(|(id, files)| (files.len().abs_diff(235), (*id).clone())).expect("not empty");
    let targets = [(busiest.0.clone(), busiest.1.clone()), (typical.0.clone(), typical.1.clone())];
    let last_line = text.matches('\n').count() as u64;

    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "newsmark", "version": 1, "text": text}}),
    )?;
    let settle = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    )?;
    server.wait_response(settle, deadline, "the hover after opening the registry")?;

    // Typing a new block at the end, one character per didChange.
    let typed = "::: entity newcomer-9\nname: A Newcomer\nkind: person\n:::\n";
    let mut version = 1;
    let (mut line, mut character) = (last_line, 0u64);
    let mut typing = Vec::new();
    for c in typed.chars() {
        version += 1;
        let sent = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": line, "character": character}, "end": {"line": line, "character": character}}, "text": c.to_string()}]
            }),
        )?;
        let probe = server.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
        )?;
        let (at, _) = server.wait_response(probe, deadline, "the hover after a keystroke in the registry")?;
        typing.push(ms(at - sent));
        if c == '\n' {
            line += 1;
            character = 0;
        } else {
            character += c.len_utf16() as u64;
        }
    }

    // Retyping an id: drop its last letter, then put it back.
    let mut results = Vec::new();
    for (name, (id, files)) in ["busiest", "typical"].into_iter().zip(&targets) {
        let at = text.find(&format!("::: entity {id}\n")).expect("defined");
        let id_line = text[..at].matches('\n').count() as u64;
        let id_end = ("::: entity ".len() + id.len()) as u64;
        let mut retype = Vec::new();
        let last = id.chars().last().expect("ids are not empty").to_string();
        for round in 0..10 {
            version += 1;
            let (range_end, new_text) = if round % 2 == 0 { (id_end, "") } else { (id_end - 1, last.as_str()) };
            let sent = Instant::now();
            server.notify(
                "textDocument/didChange",
                json!({
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": {"start": {"line": id_line, "character": id_end - 1}, "end": {"line": id_line, "character": range_end}}, "text": new_text}]
                }),
            )?;
            let mut waiting: HashSet<String> = files.clone();
            waiting.remove(&key);
            let at = server.wait_for(deadline, "every mentioning file re-published after retyping an id", |_, m| {
                if is_publish(m) {
                    if let Some(u) = m["params"]["uri"].as_str() {
                        waiting.remove(&uri_path(u));
                    }
                }
                waiting.is_empty()
            })?;
            retype.push(ms(at - sent));
        }
        retype.sort_by(f64::total_cmp);
        results.push(format!(
            "retype_{name}_id={id} retype_{name}_files={} retype_{name}_p50_ms={:.2} retype_{name}_max_ms={:.2}",
            files.len(),
            percentile(&retype, 50.0),
            retype.last().copied().unwrap_or(f64::NAN)
        ));
    }
    typing.sort_by(f64::total_cmp);
    Ok(format!(
        "registry_keystrokes={} registry_type_p50_ms={:.2} registry_type_p95_ms={:.2} {}",
        typing.len(),
        percentile(&typing, 50.0),
        percentile(&typing, 95.0),
        results.join(" ")
    ))
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("lsp_bench: {e}");
            std::process::exit(2);
        }
    };
    match run(&args) {
        Ok(line) => println!("{}", line.trim_end()),
        Err(e) => {
            eprintln!("lsp_bench: {e}");
            std::process::exit(1);
        }
    }
}
