//! Typing in one big open document: drives `newsmark lsp` over stdio and
//! times each keystroke.
//!
//! ```text
//! cargo run --release --example big_document -- [--server PATH] [--dir DIR]
//!     [--bytes N] [--keystrokes N] [--sync incremental|full] [--unique-ids]
//!     [--write-only] [--timeout SECS]
//! ```
//!
//! The document is made, deterministically, from `seeds/`: the seed files
//! in name order, each followed by a blank line, repeated until it holds
//! `--bytes` (default 5,000,000) bytes, written to DIR/big.news.md (DIR
//! default `target/bench-corpus/big-document`, with an empty newsmark.toml:
//! its own project). Every entity, source and quantity id is defined once
//! per copy, so each definition is a `duplicate-id` finding with 20 related
//! locations and an "and N more" entry (about 9,750 of them at 5 MB): the
//! file's diagnostics are about 45 MB of JSON.
//!
//! With `--unique-ids` every copy after the first renames each id and key
//! the seeds define (`stoltenberg` becomes `stoltenberg-c2` in copy 2,
//! everywhere it is written) and numbers its quotes: the realistic big
//! document, a long report whose findings are those of each copy alone,
//! where a keystroke costs the analysis rather than the protocol.
//!
//! After `initialize` and the first diagnostics, the driver opens the
//! document and measures two kinds of keystroke, `--keystrokes` each
//! (default 20), sent as incremental changes or, with `--sync full`, as
//! the whole text:
//!
//! - `finding`: types `[` at the very start (an unclosed span: a new
//!   error) and deletes it again, alternately; each timed from `didChange`
//!   until the whole `publishDiagnostics` of that version has arrived (the
//!   file's full list: the protocol has no deltas);
//! - `inline`: types a letter into a word in the middle of a prose line in
//!   the middle of the document, then deletes it; each timed from
//!   `didChange` until the server has applied it and queued what changed
//!   (a `textDocument/hover` sent right after it is answered: requests wait
//!   for the edits sent before them). Diagnostics on that line after the
//!   cursor move, so the file is re-published too: `inline_published`
//!   counts those publishes.
//!
//! Prints one line of `key=value` pairs (times in ms, sizes in bytes);
//! exits non-zero when anything fails or times out. Messages are framed by
//! hand, and big ones are not parsed (the method, URI and version of a
//! `publishDiagnostics` are read from its ends), so the driver's own cost
//! stays out of the figures.

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[path = "support/wire.rs"]
mod wire;
use wire::{file_uri, peak_rss_kb, percentile, read_message};

struct Args {
    server: PathBuf,
    dir: PathBuf,
    bytes: usize,
    keystrokes: usize,
    full_sync: bool,
    unique_ids: bool,
    /// Only write the document (to time `newsmark check` on it).
    write_only: bool,
    timeout: Duration,
}

fn parse_args() -> Result<Args, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut args = Args {
        server: root.join("target/release/newsmark"),
        dir: root.join("target/bench-corpus/big-document"),
        bytes: 5_000_000,
        keystrokes: 20,
        full_sync: false,
        unique_ids: false,
        write_only: false,
        timeout: Duration::from_secs(600),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--server" => args.server = PathBuf::from(value()?),
            "--dir" => args.dir = PathBuf::from(value()?),
            "--bytes" => args.bytes = value()?.parse().map_err(|e| format!("--bytes: {e}"))?,
            "--keystrokes" => args.keystrokes = value()?.parse().map_err(|e| format!("--keystrokes: {e}"))?,
            "--sync" => {
                args.full_sync = match value()?.as_str() {
                    "full" => true,
                    "incremental" => false,
                    other => return Err(format!("--sync: incremental or full, not {other}")),
                }
            }
            "--unique-ids" => args.unique_ids = true,
            "--write-only" => args.write_only = true,
            "--timeout" => args.timeout = Duration::from_secs(value()?.parse().map_err(|e| format!("--timeout: {e}"))?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

/// The seeds in name order, repeated until `bytes` long. With
/// `unique_ids`, every copy after the first renames what the seeds define
/// or key (see [`unique_copy`]).
fn document(bytes: usize, unique_ids: bool) -> Result<String, String> {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&seeds)
        .map_err(|e| format!("{}: {e}", seeds.display()))?
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.to_string_lossy().ends_with(".news.md"))
        .collect();
    names.sort();
    let mut one = String::new();
    for name in &names {
        one += &std::fs::read_to_string(name).map_err(|e| format!("{}: {e}", name.display()))?;
        one += "\n\n";
    }
    if one.is_empty() {
        return Err(format!("no seeds in {}", seeds.display()));
    }
    let ids = defined_ids(&one);
    let mut text = String::with_capacity(bytes + one.len());
    let mut copy = 0;
    while text.len() < bytes {
        if unique_ids && copy > 0 {
            text += &unique_copy(&one, &ids, copy);
        } else {
            text += &one;
        }
        copy += 1;
    }
    Ok(text)
}

fn is_id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')
}

/// What the seeds define or key: front-matter `id:` values, definition
/// block ids (`::: {.entity #id}`, `::: entity id`) and `fig=` keys.
fn defined_ids(seeds: &str) -> std::collections::HashSet<String> {
    let mut ids = std::collections::HashSet::new();
    let token = |s: &str| s.bytes().take_while(|&b| is_id_byte(b)).count();
    for line in seeds.lines() {
        if let Some(rest) = line.strip_prefix("id: ") {
            ids.insert(rest.trim().to_string());
        } else if let Some(rest) = line.strip_prefix(":::") {
            let rest = rest.trim_start();
            let id = match rest.find('#') {
                Some(at) if rest.starts_with('{') => &rest[at + 1..],
                _ => rest.split_once(' ').map_or("", |(_, id)| id),
            };
            let id = &id[..token(id)];
            if !id.is_empty() {
                ids.insert(id.to_string());
            }
        }
        for (at, _) in line.match_indices("fig=") {
            let key = &line[at + 4..];
            ids.insert(key[..token(key)].to_string());
        }
    }
    ids
}

/// One copy of the seeds in which every id of `ids` is renamed `ID-cN`
/// (wherever it stands as a whole token: definitions, `ent=`, `by=`,
/// `fig=`, citations) and every quote's text gets its copy number, so
/// that no definition, key or quote is shared between copies: the big
/// document has only the findings of one copy per copy, like a long
/// report, and a keystroke costs its analysis rather than the protocol.
fn unique_copy(seeds: &str, ids: &std::collections::HashSet<String>, copy: usize) -> String {
    let mut out = String::with_capacity(seeds.len() + seeds.len() / 8);
    let bytes = seeds.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !is_id_byte(bytes[i]) || (i > 0 && is_id_byte(bytes[i - 1])) {
            let len = seeds[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&seeds[i..i + len]);
            i += len;
            continue;
        }
        let run = bytes[i..].iter().take_while(|&&b| is_id_byte(b)).count();
        // An id at the end of a sentence: `… with nato.`
        let token = match seeds[i..i + run].trim_end_matches('.') {
            "" => &seeds[i..i + run],
            token => token,
        };
        out.push_str(token);
        if ids.contains(token) {
            out.push_str(&format!("-c{copy}"));
        }
        i += token.len();
    }
    // Quotes: the same words attributed to renamed speakers would dispute
    // each other across copies (conflicting-attribution).
    out.replace("]{by=", &format!(" (copy {copy})]{{by="))
}

/// What the driver needs of a message from the server.
enum Incoming {
    /// A `publishDiagnostics`: its URI, version and size.
    Publish {
        uri: String,
        version: Option<i64>,
        bytes: usize,
    },
    /// A response to one of our requests.
    Response(i64),
    Other,
}

/// Reads a `publishDiagnostics` body without parsing its list: the
/// server writes `{"jsonrpc":…,"method":…,"params":{"uri":…,"diagnostics":[…]` and
/// then `,"version":N}}` at the end.
fn classify(body: &[u8]) -> Incoming {
    let head = &body[..body.len().min(300)];
    let is_publish = head.windows(30).any(|w| w == b"textDocument/publishDiagnostics");
    if is_publish && body.len() > 1 << 20 {
        let text = String::from_utf8_lossy(head);
        let uri = text.split(r#""uri":""#).nth(1).and_then(|r| r.split('"').next()).unwrap_or("").to_string();
        let tail = String::from_utf8_lossy(&body[body.len().saturating_sub(40)..]).into_owned();
        let version = tail.rsplit(r#""version":"#).next().filter(|_| tail.contains(r#""version":"#));
        let version = version.and_then(|v| v.trim_end_matches('}').parse().ok());
        return Incoming::Publish { uri, version, bytes: body.len() };
    }
    let Ok(message) = serde_json::from_slice::<Value>(body) else { return Incoming::Other };
    if message["method"] == "textDocument/publishDiagnostics" {
        Incoming::Publish {
            uri: message["params"]["uri"].as_str().unwrap_or("").to_string(),
            version: message["params"]["version"].as_i64(),
            bytes: body.len(),
        }
    } else if message.get("method").is_none() {
        message["id"].as_i64().map_or(Incoming::Other, Incoming::Response)
    } else {
        Incoming::Other
    }
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<(Instant, Incoming)>,
    next_id: i64,
    timeout: Duration,
}

impl Server {
    fn spawn(path: &Path, timeout: Duration) -> Result<Server, String> {
        let mut child = Command::new(path)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", path.display()))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::with_capacity(1 << 20, stdout);
            while let Ok(Some(body)) = read_message(&mut reader) {
                let at = Instant::now();
                // The client offers no capability that makes the server ask
                // it anything (progress, watchers, refreshes).
                let what = classify(&body);
                if tx.send((at, what)).is_err() {
                    break;
                }
            }
        });
        Ok(Server { child, stdin, incoming, next_id: 1, timeout })
    }

    fn notify(&mut self, method: &str, params: Value) -> Result<(), String> {
        self.write(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    fn request(&mut self, method: &str, params: Value) -> Result<i64, String> {
        let id = self.next_id;
        self.next_id += 1;
        self.write(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        Ok(id)
    }

    /// Passes messages to `seen` until it returns true; when it does, the
    /// time the message arrived.
    fn wait_for(&self, what: &str, mut seen: impl FnMut(&Incoming) -> bool) -> Result<Instant, String> {
        let deadline = Instant::now() + self.timeout;
        loop {
            match self.incoming.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok((at, message)) if seen(&message) => return Ok(at),
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => return Err(format!("timed out waiting for {what}")),
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(format!("the server closed its output before {what}"))
                }
            }
        }
    }

    fn peak_rss_kb(&self) -> Option<u64> {
        peak_rss_kb(self.child.id())
    }

    fn write(&mut self, message: &Value) -> Result<(), String> {
        wire::write_message(&mut self.stdin, message).map_err(|e| format!("cannot write to the server: {e}"))
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

fn summary(name: &str, mut times: Vec<f64>) -> String {
    times.sort_by(f64::total_cmp);
    format!(
        "{name}_p50_ms={:.1} {name}_p95_ms={:.1} {name}_max_ms={:.1}",
        percentile(&times, 50.0),
        percentile(&times, 95.0),
        times.last().copied().unwrap_or(f64::NAN)
    )
}

/// The middle of a prose line near the middle of the document: its line
/// number and the UTF-16 column of a word's second letter.
fn prose_position(text: &str) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.split('\n').collect();
    let from = lines.len() / 2;
    let is_prose = |l: &str| l.len() > 120 && l.chars().next().is_some_and(char::is_alphabetic) && !l.contains(':');
    let (line, content) = lines.iter().enumerate().skip(from).find(|(_, l)| is_prose(l))?;
    let middle = content.len() / 2;
    let space = content[middle..].find(' ')? + middle;
    let column: usize = content[..space + 2].chars().map(char::len_utf16).sum();
    Some((line, column))
}

/// The open document as the client holds it.
struct Typing {
    text: String,
    version: i32,
    full_sync: bool,
    uri: String,
}

impl Typing {
    /// Inserts `insert` at (line, UTF-16 column), or deletes the character
    /// there; sends the change; returns its version.
    fn keystroke(
        &mut self,
        server: &mut Server,
        line: usize,
        column: usize,
        insert: Option<&str>,
    ) -> Result<i32, String> {
        self.version += 1;
        let start: usize = self.text.split_inclusive('\n').take(line).map(str::len).sum();
        let line_text = self.text[start..].split('\n').next().unwrap_or("");
        let mut units = 0;
        let at = start
            + line_text
                .char_indices()
                .find(|(_, c)| {
                    units += c.len_utf16();
                    units > column
                })
                .map_or(line_text.len(), |(i, _)| i);
        let next = self.text[at..].chars().next();
        let (end, new_text) = match insert {
            Some(s) => (column, s),
            None => (column + next.map_or(0, char::len_utf16), ""),
        };
        let removed = if insert.is_some() { 0 } else { next.map_or(0, char::len_utf8) };
        self.text.replace_range(at..at + removed, new_text);
        let change = if self.full_sync {
            json!({"text": self.text})
        } else {
            json!({"range": {"start": {"line": line, "character": column}, "end": {"line": line, "character": end}}, "text": new_text})
        };
        let params = json!({"textDocument": {"uri": self.uri, "version": self.version}, "contentChanges": [change]});
        server.notify("textDocument/didChange", params)?;
        Ok(self.version)
    }
}

fn run(args: &Args) -> Result<String, String> {
    let text = document(args.bytes, args.unique_ids)?;
    std::fs::create_dir_all(&args.dir).map_err(|e| format!("{}: {e}", args.dir.display()))?;
    std::fs::write(args.dir.join("newsmark.toml"), "").map_err(|e| e.to_string())?;
    let path = args.dir.join("big.news.md");
    std::fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
    if args.write_only {
        return Ok(format!("wrote {} ({} bytes)", path.display(), text.len()));
    }
    let dir = args.dir.canonicalize().map_err(|e| e.to_string())?;
    let (root, doc) = (file_uri(&dir), file_uri(&dir.join("big.news.md")));

    let mut server = Server::spawn(&args.server, args.timeout)?;
    let started = Instant::now();
    let id = server.request(
        "initialize",
        json!({"processId": null, "rootUri": root, "workspaceFolders": [{"uri": root, "name": "big"}], "capabilities": {}}),
    )?;
    server.wait_for("the initialize response", |m| matches!(m, Incoming::Response(r) if *r == id))?;
    server.notify("initialized", json!({}))?;
    let mut published_bytes = 0;
    let ready = server.wait_for("the first diagnostics", |m| match m {
        Incoming::Publish { uri, bytes, .. } if *uri == doc => {
            published_bytes = *bytes;
            true
        }
        _ => false,
    })?;
    let ready_ms = (ready - started).as_secs_f64() * 1000.0;
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": doc, "languageId": "markdown", "version": 1, "text": text}}),
    )?;

    let (line, column) = prose_position(&text).ok_or("no prose line in the document")?;
    let mut typing = Typing { text, version: 1, full_sync: args.full_sync, uri: doc.clone() };

    // A new finding, and its removal: the file's whole list each time.
    let mut finding = Vec::new();
    for k in 0..args.keystrokes {
        let sent = Instant::now();
        let v = typing.keystroke(&mut server, 0, 0, (k % 2 == 0).then_some("["))?;
        let arrived = server.wait_for("publishDiagnostics of the keystroke", |m| match m {
            Incoming::Publish { uri, version: Some(got), bytes } if *uri == doc && *got == v as i64 => {
                published_bytes = *bytes;
                true
            }
            _ => false,
        })?;
        finding.push((arrived - sent).as_secs_f64() * 1000.0);
    }

    // Typing inside a line: applied when a request sent after it is answered.
    let mut inline = Vec::new();
    let mut inline_published = 0;
    for k in 0..args.keystrokes {
        let sent = Instant::now();
        typing.keystroke(&mut server, line, column, (k % 2 == 0).then_some("x"))?;
        let id = server.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": doc}, "position": {"line": 0, "character": 0}}),
        )?;
        let answered = server.wait_for("the hover after the keystroke", |m| match m {
            Incoming::Response(r) => *r == id,
            Incoming::Publish { uri, .. } => {
                inline_published += usize::from(*uri == doc);
                false
            }
            Incoming::Other => false,
        })?;
        inline.push((answered - sent).as_secs_f64() * 1000.0);
    }

    let rss = server.peak_rss_kb().unwrap_or(0);
    let id = server.request("shutdown", Value::Null)?;
    let _ = server.wait_for("the shutdown response", |m| matches!(m, Incoming::Response(r) if *r == id));
    let _ = server.notify("exit", Value::Null);
    Ok(format!(
        "bytes={} sync={} unique_ids={} ready_ms={ready_ms:.0} publish_bytes={published_bytes} {} {} inline_published={inline_published} peak_rss_kb={rss}",
        typing.text.len(),
        if args.full_sync { "full" } else { "incremental" },
        args.unique_ids,
        summary("finding", finding),
        summary("inline", inline),
    ))
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("big_document: {e}");
            std::process::exit(2);
        }
    };
    match run(&args) {
        Ok(line) => println!("{line}"),
        Err(e) => {
            eprintln!("big_document: {e}");
            std::process::exit(1);
        }
    }
}
