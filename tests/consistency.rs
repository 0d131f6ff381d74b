//! The server equals `check`: a seeded, randomized run of what an editor
//! and the file system do to a small workspace (opens, incremental and
//! full edits, saves, closes, disk writes, deletes, re-creations, renames,
//! settings and folder changes, a nested `b/newsmark.toml` created and
//! deleted, interleaved with requests). At every quiet
//! point the diagnostics the client last received for every file (codes,
//! severities, ranges, messages, related information, in order) must equal
//! `newsmark check --format json` run on the same texts: a scratch copy of
//! the disk with the open buffers written over it.
//!
//! What `check` is run on, exactly: every project the server opens, whole
//! (the root's when a folder or an open buffer lies in it; while `b` is a
//! nested project, `b`'s when it is a folder or holds an open buffer), plus
//! every open document named on the command line (an open document is
//! always checked, as a file named to `check` is, even excluded by the
//! settings). See `Model::expected`.
//!
//! `cargo test` runs a few seeds briefly. Environment:
//! - `NEWSMARK_SOAK_SECS=1800`: keep running new seeds for that long;
//! - `NEWSMARK_CONSISTENCY_SEED=N` (and `NEWSMARK_CONSISTENCY_OPS=M`): one seed;
//! - `NEWSMARK_CONSISTENCY_ALL=1`: also generate the op kinds listed in
//!   [`KNOWN_FAILING`].
//!
//! On failure the test prints the seed and a shrunk list of operations that
//! still fails, ready to paste into [`replay_reproducer`].

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::lsp::{uri, Server};
use serde_json::{json, Value};

/// Op kinds that still fail, with the finding that makes them fail. They
/// are generated only with `NEWSMARK_CONSISTENCY_ALL=1` until fixed.
/// None today: `excluded-file` (#14 item 4, a watched-file event or a close
/// reading a file the settings exclude) passes since membership is
/// `Project::is_member` (30,000 operations with it, clean).
const KNOWN_FAILING: &[(&str, &str)] = &[];

/// The file that `exclude = ["drafts/**"]` leaves out (see `excluded-file`).
const EXCLUDABLE: usize = 3;

/// Files that are not there at the start (see `new-file` above).
const NEW_FILES: &[usize] = &[5, 6];

/// The files the run plays with, relative to the scratch folder. Folders
/// `a` and `b` are the workspace folders; `a/drafts` can be excluded.
const FILES: &[&str] = &[
    "a/entities.news.md",
    "a/one.news.md",
    "a/two.news.md",
    "a/drafts/three.news.md",
    "b/four.news.md",
    "b/five.news.md",
    "a/six.news.md",
];

fn initial_text(file: &str) -> Option<&'static str> {
    Some(match file {
        "a/entities.news.md" => concat!(
            "# Registry\n\n",
            "::: entity stoltenberg\nname: Jens Stoltenberg\nkind: person\n:::\n\n",
            "::: entity esper\nname: Mark Esper\n:::\n\n",
            "::: source wire-1\ntitle: Wire one\npublished: 2020-02-10\n:::\n\n",
            "::: quantity nato.troops\nlabel: NATO troops in Iraq\nunit: troops\n:::\n",
        ),
        "a/one.news.md" => concat!(
            "---\nid: one\npublished: 2020-02-13\n---\n\n",
            "# One\n\n",
            "[Jens Stoltenberg]{ent=stoltenberg} said NATO has\n",
            "[about 500 troops]{fig=nato.troops}[@wire-1] in Iraq.\n\n",
            "[“We will only stay as long as we are welcome,”]{by=stoltenberg}[@wire-1] he said.\n",
        ),
        "a/two.news.md" => concat!(
            "---\nid: two\npublished: 2020-02-14\n---\n\n",
            "[Mark Esper]{ent=esper} says\n[900 troops]{fig=nato.troops}[@wire-1] are there, 😀 é.\n\n",
            "[“we will ONLY stay as long as we are welcome”]{by=esper}[@one].\n",
        ),
        "a/drafts/three.news.md" => concat!(
            "---\nid: three\npublished: 2020-02-15\n---\n\n",
            "A draft: [1,200 troops]{fig=nato.troops}, [Mr X]{ent=stoltenbrg}.\n\n",
            "::: entity esper\nname: Another Esper\n:::\n",
        ),
        "b/four.news.md" => concat!(
            "---\nid: four\npublished: 2020-02-13\n---\n\n",
            "[Stoltenberg]{ent=stoltenberg} again:\r\n[about 500 troops]{fig=nato.troops}[@wire-1][@two].\r\n",
        ),
        _ => return None,
    })
}

/// Text inserted by edits: markup that creates and breaks findings across
/// files, and the characters that break markup and move lines.
const SNIPPETS: &[&str] = &[
    "[Jens Stoltenberg]{ent=stoltenberg}",
    "[Esper]{ent=esper}",
    "[Mr X]{ent=stoltenbrg}",
    "[about 500 troops]{fig=nato.troops}[@wire-1]",
    "[900 troops]{fig=nato.troops}[@wire-1]",
    "[1,200 troops]{fig=nato.troops}",
    "[“We will only stay as long as we are welcome,”]{by=stoltenberg}[@wire-1]",
    "[“we will stay as long as we are WELCOME”]{by=esper}[@one]",
    "\n\n::: entity stoltenbrg\nname: Typo\n:::\n\n",
    "\n\n::: entity esper\nname: Mark Esper\n:::\n\n",
    "\n\n::: source wire-2\ntitle: Wire two\npublished: 2020-02-10\n:::\n\n",
    "[@wire-2]",
    "[@one]",
    "[@nope]",
    "\n",
    "\n\n",
    " ",
    "\r\n",
    "{",
    "}",
    "[",
    "]",
    ":::",
    "fig=",
    "ent=",
    "5,000",
    "stoltenberg",
    "é",
    "😀",
    "\n---\nid: x\npublished: 2020-03-01\n---\n",
];

const SETTINGS: &[Option<&str>] = &[
    None,
    Some("exclude = [\"drafts/**\"]\n"),
    Some("tolerance = 0.5\n"),
    Some("[severity]\nuncited-figure = \"off\"\nunknown-entity = \"error\"\n"),
    Some("window = 0\nexclude = [\"drafts/three.news.md\"]\n"),
    Some("this is not toml\n"),
];

const FOLDERS: &[&[&str]] = &[&["a", "b"], &["a"], &["b"], &["b", "a"]];

/// The settings of the nested project `b` makes while `b/newsmark.toml`
/// exists (see `Op::Nested`): its own, unlike any of the root's.
const NESTED_SETTINGS: &str = "tolerance = 0.3\n[severity]\nunknown-entity = \"warning\"\n";

#[derive(Clone, Debug)]
enum Op {
    Open {
        file: usize,
    },
    /// Replace `delete` chars at `at` (per mille of the text) with a snippet.
    Edit {
        file: usize,
        at: u16,
        delete: u8,
        snippet: usize,
    },
    /// The same as an incremental edit, sent as the whole new text.
    FullEdit {
        file: usize,
        at: u16,
        delete: u8,
        snippet: usize,
    },
    /// Join the nth line with the next (`J` in Vim): bytes kept, lines move.
    JoinLines {
        file: usize,
        nth: u16,
    },
    /// Break the line at the nth space (reflow): bytes kept, lines move.
    SplitLine {
        file: usize,
        nth: u16,
    },
    Save {
        file: usize,
    },
    Close {
        file: usize,
    },
    /// Write to disk (the file's text on disk, or its first text, edited).
    DiskWrite {
        file: usize,
        at: u16,
        snippet: usize,
    },
    Delete {
        file: usize,
    },
    Rename {
        from: usize,
        to: usize,
    },
    Settings {
        variant: usize,
    },
    Folders {
        variant: usize,
    },
    /// Create `b/newsmark.toml` (folder `b` becomes a nested project, with
    /// its own settings and ids) or delete it (its files rejoin the root's).
    Nested,
    Request {
        kind: u8,
        file: usize,
        at: u16,
    },
    Quiet,
}

impl Op {
    fn kind(&self) -> &'static str {
        let new_file = match *self {
            Op::Open { file }
            | Op::Edit { file, .. }
            | Op::FullEdit { file, .. }
            | Op::JoinLines { file, .. }
            | Op::SplitLine { file, .. }
            | Op::Save { file }
            | Op::Close { file }
            | Op::DiskWrite { file, .. }
            | Op::Delete { file }
            | Op::Request { file, .. } => NEW_FILES.contains(&file),
            Op::Rename { from, to } => NEW_FILES.contains(&from) || NEW_FILES.contains(&to),
            _ => false,
        };
        if new_file {
            return "new-file";
        }
        let excluded_file = match *self {
            Op::Save { file } | Op::Close { file } | Op::DiskWrite { file, .. } | Op::Delete { file } => {
                file == EXCLUDABLE
            }
            Op::Rename { from, to } => from == EXCLUDABLE || to == EXCLUDABLE,
            _ => false,
        };
        if excluded_file {
            return "excluded-file";
        }
        match self {
            Op::Open { .. } => "open",
            Op::Edit { .. } => "edit",
            Op::FullEdit { .. } => "full-edit",
            Op::JoinLines { .. } => "join-lines",
            Op::SplitLine { .. } => "split-line",
            Op::Save { .. } => "save",
            Op::Close { .. } => "close",
            Op::DiskWrite { .. } => "disk-write",
            Op::Delete { .. } => "delete",
            Op::Rename { .. } => "rename",
            Op::Settings { .. } => "settings",
            Op::Folders { .. } => "folders",
            Op::Nested => "nested",
            Op::Request { .. } => "request",
            Op::Quiet => "quiet",
        }
    }
}

/// splitmix64: small, seedable, good enough to pick operations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn generate(seed: u64, count: usize) -> Vec<Op> {
    let mut rng = Rng(seed);
    let all = std::env::var_os("NEWSMARK_CONSISTENCY_ALL").is_some_and(|v| v == "1");
    let mut ops = Vec::with_capacity(count);
    while ops.len() < count {
        let file = rng.below(FILES.len());
        let at = rng.below(1001) as u16;
        let snippet = rng.below(SNIPPETS.len());
        let op = match rng.below(100) {
            0..=9 => Op::Open { file },
            10..=29 => Op::Edit { file, at, delete: rng.below(12) as u8, snippet },
            30..=34 => Op::FullEdit { file, at, delete: rng.below(12) as u8, snippet },
            35..=39 => Op::JoinLines { file, nth: rng.below(20) as u16 },
            40..=43 => Op::SplitLine { file, nth: rng.below(20) as u16 },
            44..=49 => Op::Save { file },
            50..=55 => Op::Close { file },
            56..=63 => Op::DiskWrite { file, at, snippet },
            64..=67 => Op::Delete { file },
            68..=71 => Op::Rename { from: file, to: rng.below(FILES.len()) },
            72..=75 => Op::Settings { variant: rng.below(SETTINGS.len()) },
            76..=78 => Op::Folders { variant: rng.below(FOLDERS.len()) },
            79..=89 => Op::Request { kind: rng.below(3) as u8, file, at },
            90..=91 => Op::Nested,
            _ => Op::Quiet,
        };
        if !all && KNOWN_FAILING.iter().any(|(kind, _)| *kind == op.kind()) {
            continue;
        }
        ops.push(op);
    }
    ops
}

/// What the test knows: the disk, the open buffers, the folders.
struct Model {
    dir: PathBuf,
    disk: BTreeMap<String, String>,
    open: BTreeMap<String, (String, i32)>,
    roots: Vec<&'static str>,
    settings: Option<&'static str>,
    /// `b/newsmark.toml` exists: `b` is a nested project.
    nested: bool,
}

/// Char index `at` per mille of `text`, never inside a `\r\n`.
fn char_at(text: &str, at: u16) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut index = chars.len() * at as usize / 1000;
    if index > 0 && index < chars.len() && chars[index - 1] == '\r' && chars[index] == '\n' {
        index -= 1;
    }
    index
}

/// The LSP position (UTF-32) of a char index; lines end at `\n`, `\r\n`
/// or `\r`, as the protocol says.
fn position_of(text: &str, index: usize) -> Value {
    let chars: Vec<char> = text.chars().collect();
    let (mut line, mut character) = (0u32, 0u32);
    let mut i = 0;
    while i < index {
        match chars[i] {
            '\r' if chars.get(i + 1) == Some(&'\n') && i + 1 < index => {
                line += 1;
                character = 0;
                i += 1;
            }
            '\r' | '\n' => {
                line += 1;
                character = 0;
            }
            _ => character += 1,
        }
        i += 1;
    }
    json!({"line": line, "character": character})
}

/// Replaces chars `start..end` of `text`.
fn splice(text: &str, start: usize, end: usize, insert: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out: String = chars[..start].iter().collect();
    out.push_str(insert);
    out.extend(&chars[end..]);
    out
}

/// The span of chars an edit replaces, never ending inside a `\r\n`.
fn edit_span(text: &str, at: u16, delete: u8) -> (usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let start = char_at(text, at);
    let mut end = (start + delete as usize).min(chars.len());
    if end > 0 && end < chars.len() && chars[end - 1] == '\r' && chars[end] == '\n' {
        end += 1;
    }
    (start, end)
}

fn nth_match(text: &str, pattern: &str, nth: u16) -> Option<usize> {
    let matches: Vec<usize> = text.match_indices(pattern).map(|(i, _)| text[..i].chars().count()).collect();
    (!matches.is_empty()).then(|| matches[nth as usize % matches.len()])
}

const CHANGED: u32 = 2;
const CREATED: u32 = 1;
const DELETED: u32 = 3;

impl Model {
    fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    fn watched(&self, server: &mut Server, changes: &[(&str, u32)]) {
        let changes: Vec<Value> =
            changes.iter().map(|(file, typ)| json!({"uri": uri(&self.path(file)), "type": typ})).collect();
        server.notify("workspace/didChangeWatchedFiles", json!({"changes": changes}));
    }

    fn write_disk(&mut self, server: &mut Server, file: &str, text: String) {
        let path = self.path(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        let typ = if self.disk.contains_key(file) { CHANGED } else { CREATED };
        self.disk.insert(file.to_string(), text);
        self.watched(server, &[(file, typ)]);
    }

    fn change(&mut self, server: &mut Server, file: &str, range: Option<(usize, usize)>, insert: &str) {
        let document = uri(&self.path(file));
        let (text, version) = self.open.get_mut(file).unwrap();
        *version += 1;
        let change = match range {
            Some((start, end)) => {
                let change = json!({"range": {"start": position_of(text, start), "end": position_of(text, end)}, "text": insert});
                *text = splice(text, start, end, insert);
                change
            }
            None => {
                *text = insert.to_string();
                json!({"text": insert})
            }
        };
        let params = json!({"textDocument": {"uri": document, "version": *version}, "contentChanges": [change]});
        server.notify("textDocument/didChange", params);
    }

    fn apply(&mut self, server: &mut Server, op: &Op) {
        match *op {
            Op::Open { file } => {
                let name = FILES[file];
                if self.open.contains_key(name) {
                    return;
                }
                let text = self.disk.get(name).cloned().unwrap_or_default();
                let params = json!({"textDocument": {"uri": uri(&self.path(name)), "languageId": "newsmark", "version": 1, "text": text}});
                self.open.insert(name.to_string(), (text, 1));
                server.notify("textDocument/didOpen", params);
            }
            Op::Edit { file, at, delete, snippet } | Op::FullEdit { file, at, delete, snippet } => {
                let name = FILES[file];
                let Some((text, _)) = self.open.get(name) else { return };
                let (start, end) = edit_span(text, at, delete);
                if matches!(op, Op::Edit { .. }) {
                    self.change(server, name, Some((start, end)), SNIPPETS[snippet]);
                } else {
                    let new_text = splice(text, start, end, SNIPPETS[snippet]);
                    self.change(server, name, None, &new_text);
                }
            }
            Op::JoinLines { file, nth } => {
                let name = FILES[file];
                let Some((text, _)) = self.open.get(name) else { return };
                if let Some(at) = nth_match(text, "\n", nth) {
                    let start = if at > 0 && text.chars().nth(at - 1) == Some('\r') { at - 1 } else { at };
                    let insert = if start < at { "  " } else { " " };
                    self.change(server, name, Some((start, at + 1)), insert);
                }
            }
            Op::SplitLine { file, nth } => {
                let name = FILES[file];
                let Some((text, _)) = self.open.get(name) else { return };
                if let Some(at) = nth_match(text, " ", nth) {
                    self.change(server, name, Some((at, at + 1)), "\n");
                }
            }
            Op::Save { file } => {
                let name = FILES[file];
                let Some((text, _)) = self.open.get(name).cloned() else { return };
                self.write_disk(server, name, text);
                server.notify("textDocument/didSave", json!({"textDocument": {"uri": uri(&self.path(name))}}));
            }
            Op::Close { file } => {
                let name = FILES[file];
                if self.open.remove(name).is_some() {
                    server.notify("textDocument/didClose", json!({"textDocument": {"uri": uri(&self.path(name))}}));
                }
            }
            Op::DiskWrite { file, at, snippet } => {
                let name = FILES[file];
                let base = self.disk.get(name).cloned().or_else(|| initial_text(name).map(str::to_string));
                let base = base.unwrap_or_default();
                let index = char_at(&base, at);
                let text = splice(&base, index, index, SNIPPETS[snippet]);
                self.write_disk(server, name, text);
            }
            Op::Delete { file } => {
                let name = FILES[file];
                if self.disk.remove(name).is_some() {
                    std::fs::remove_file(self.path(name)).unwrap();
                    self.watched(server, &[(name, DELETED)]);
                }
            }
            Op::Rename { from, to } => {
                let (from, to) = (FILES[from], FILES[to]);
                if from == to || !self.disk.contains_key(from) || self.disk.contains_key(to) {
                    return;
                }
                let target = self.path(to);
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::rename(self.path(from), &target).unwrap();
                let text = self.disk.remove(from).unwrap();
                self.disk.insert(to.to_string(), text);
                self.watched(server, &[(from, DELETED), (to, CREATED)]);
            }
            Op::Settings { variant } => {
                // The project root's settings; "none" is an empty file (the
                // file marks the project root, see src/project.rs).
                let path = self.path("newsmark.toml");
                if self.settings == SETTINGS[variant] {
                    return;
                }
                std::fs::write(&path, SETTINGS[variant].unwrap_or("")).unwrap();
                self.settings = SETTINGS[variant];
                self.watched(server, &[("newsmark.toml", CHANGED)]);
            }
            Op::Folders { variant } => {
                let wanted = FOLDERS[variant];
                // Remove then add, as the server applies an event.
                let removed: Vec<&'static str> = self.roots.iter().copied().filter(|r| !wanted.contains(r)).collect();
                let mut kept: Vec<&'static str> = self.roots.iter().copied().filter(|r| wanted.contains(r)).collect();
                let added: Vec<&'static str> = wanted.iter().copied().filter(|r| !kept.contains(r)).collect();
                if removed.is_empty() && added.is_empty() {
                    return;
                }
                kept.extend(&added);
                self.roots = kept;
                let folder = |r: &&str| json!({"uri": uri(&self.path(r)), "name": r});
                let event = json!({"added": added.iter().map(folder).collect::<Vec<_>>(), "removed": removed.iter().map(folder).collect::<Vec<_>>()});
                server.notify("workspace/didChangeWorkspaceFolders", json!({"event": event}));
            }
            Op::Nested => {
                let path = self.path("b/newsmark.toml");
                let typ = if self.nested {
                    std::fs::remove_file(&path).unwrap();
                    DELETED
                } else {
                    std::fs::write(&path, NESTED_SETTINGS).unwrap();
                    CREATED
                };
                self.nested = !self.nested;
                self.watched(server, &[("b/newsmark.toml", typ)]);
            }
            Op::Request { kind, file, at } => {
                let name = FILES[file];
                let text = match self.open.get(name) {
                    Some((text, _)) => text.clone(),
                    None => self.disk.get(name).cloned().unwrap_or_default(),
                };
                let position = position_of(&text, char_at(&text, at));
                let method =
                    ["textDocument/hover", "textDocument/definition", "textDocument/completion"][kind as usize];
                let params = json!({"textDocument": {"uri": uri(&self.path(name))}, "position": position});
                // Not awaited: requests stay in flight among the edits.
                server.send_request(method, params);
            }
            Op::Quiet => {}
        }
    }

    /// `newsmark check --format json` on a copy of the disk with the open
    /// buffers written over it: file → diagnostics, rendered.
    /// `None` when `check` refuses the settings (it exits 2 and says why).
    fn expected(&self) -> Option<BTreeMap<String, Vec<String>>> {
        let copy = self.dir.with_extension("check");
        let _ = std::fs::remove_dir_all(&copy);
        std::fs::create_dir_all(copy.join("a")).unwrap();
        std::fs::create_dir_all(copy.join("b")).unwrap();
        // One project for the copy (src/project.rs): without a newsmark.toml
        // it would belong to the repository's project around it.
        std::fs::write(copy.join("newsmark.toml"), "").unwrap();
        let buffers = self.open.iter().map(|(f, (t, _))| (f, t));
        for (file, text) in self.disk.iter().chain(buffers) {
            let path = copy.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        // Both read the project root's settings (src/project.rs).
        if let Some(settings) = self.settings {
            std::fs::write(copy.join("newsmark.toml"), settings).unwrap();
        }
        if self.nested {
            std::fs::write(copy.join("b/newsmark.toml"), NESTED_SETTINGS).unwrap();
        }
        // The projects the server opens, each whole: the root's when a
        // folder lies in it (a folder brings its project) or an open buffer
        // does (a buffer brings its project), and, while `b` is nested, `b`'s
        // when it is a folder or holds an open buffer (the root's walk does
        // not enter a nested project, nor does a folder `a` beside it). Then
        // every open buffer named, as `check` reports a named file.
        let in_b = |file: &String| file.starts_with("b/");
        let root_open =
            self.roots.iter().any(|r| *r == "a" || !self.nested) || self.open.keys().any(|f| !self.nested || !in_b(f));
        let b_open = self.nested && (self.roots.contains(&"b") || self.open.keys().any(in_b));
        let mut args = vec!["check".to_string(), "--format".to_string(), "json".to_string()];
        if root_open {
            args.push("a".to_string());
            if !self.nested {
                args.push("b".to_string());
            }
        }
        if b_open {
            args.push("b".to_string());
        }
        args.extend(self.open.keys().cloned());
        if args.len() == 3 {
            // Nothing open: nothing to check, nothing shown.
            return Some(BTreeMap::new());
        }
        let output = Command::new(common::bin()).args(&args).current_dir(&copy).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if output.status.code() == Some(2) && stderr.contains("newsmark.toml") && output.stdout.is_empty() {
            return None;
        }
        let document: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("check gave no JSON ({e}): {}", String::from_utf8_lossy(&output.stderr)));
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for d in document["diagnostics"].as_array().unwrap() {
            let span = |v: &Value| {
                format!(
                    "{}:{}:{}-{}:{}",
                    v["path"].as_str().unwrap(),
                    v["range"]["start"]["line"],
                    v["range"]["start"]["column"],
                    v["range"]["end"]["line"],
                    v["range"]["end"]["column"]
                )
            };
            let mut rendered = format!(
                "{} {}[{}] {}",
                span(d),
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            );
            for r in d["related"].as_array().unwrap() {
                let _ = write!(rendered, "\n    related {} {}", span(r), r["message"].as_str().unwrap());
            }
            out.entry(d["path"].as_str().unwrap().to_string()).or_default().push(rendered);
        }
        Some(out)
    }

    /// The diagnostics the client holds, rendered as `expected` renders.
    fn actual(&self, server: &Server) -> BTreeMap<String, Vec<String>> {
        let prefix = format!("{}/", uri(&self.dir));
        let relative = |u: &str| u.strip_prefix(&prefix).unwrap_or(u).to_string();
        let mut out = BTreeMap::new();
        for (u, params) in &server.diagnostics {
            let file = relative(u);
            let span = |file: &str, range: &Value| {
                let n = |v: &Value| v.as_u64().unwrap() + 1;
                format!(
                    "{file}:{}:{}-{}:{}",
                    n(&range["start"]["line"]),
                    n(&range["start"]["character"]),
                    n(&range["end"]["line"]),
                    n(&range["end"]["character"])
                )
            };
            let list: Vec<String> = params["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    let severity = match d["severity"].as_u64() {
                        Some(1) => "error",
                        Some(2) => "warning",
                        Some(3) => "info",
                        Some(4) => "hint",
                        _ => "?",
                    };
                    let mut rendered = format!(
                        "{} {}[{}] {}",
                        span(&file, &d["range"]),
                        severity,
                        d["code"].as_str().unwrap_or("?"),
                        d["message"].as_str().unwrap_or("?")
                    );
                    for r in d["relatedInformation"].as_array().into_iter().flatten() {
                        let target = relative(r["location"]["uri"].as_str().unwrap());
                        let _ = write!(
                            rendered,
                            "\n    related {} {}",
                            span(&target, &r["location"]["range"]),
                            r["message"].as_str().unwrap()
                        );
                    }
                    rendered
                })
                .collect();
            if !list.is_empty() {
                out.insert(file, list);
            }
        }
        out
    }
}

fn difference(expected: &BTreeMap<String, Vec<String>>, actual: &BTreeMap<String, Vec<String>>) -> String {
    let files: BTreeSet<&String> = expected.keys().chain(actual.keys()).collect();
    let mut out = String::new();
    for file in files {
        let (e, a) = (expected.get(file), actual.get(file));
        if e != a {
            let _ = writeln!(out, "--- {file}\n  check:\n{}\n  server:\n{}", render(e), render(a));
        }
    }
    out
}

fn render(list: Option<&Vec<String>>) -> String {
    match list {
        None => "    (nothing)".to_string(),
        Some(list) => list.iter().map(|l| format!("    {}", l.replace('\n', "\n    "))).collect::<Vec<_>>().join("\n"),
    }
}

/// Runs `ops` on a fresh workspace and server; at every quiet point (and
/// at the end) compares with `check`. Err: the failing op index and the
/// difference.
fn run(name: &str, ops: &[Op], patience: Duration) -> Result<(), (usize, String)> {
    run_with(name, ops, patience, &[])
}

/// `run`, with some files starting with other texts (file index, text).
fn run_with(name: &str, ops: &[Op], patience: Duration, texts: &[(usize, String)]) -> Result<(), (usize, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("a/drafts")).unwrap();
    std::fs::create_dir_all(dir.join("b")).unwrap();
    // A project of its own, not part of the repository around it (a
    // newsmark.toml above would win over a .git: see src/project.rs).
    std::fs::write(dir.join("newsmark.toml"), "").unwrap();
    let dir = dir.canonicalize().unwrap();
    let mut disk = BTreeMap::new();
    for (i, file) in FILES.iter().enumerate() {
        let given = texts.iter().find(|(n, _)| *n == i).map(|(_, t)| t.as_str());
        if let Some(text) = given.or_else(|| initial_text(file)) {
            std::fs::write(dir.join(file), text).unwrap();
            disk.insert(file.to_string(), text.to_string());
        }
    }
    let mut model =
        Model { dir: dir.clone(), disk, open: BTreeMap::new(), roots: vec!["a", "b"], settings: None, nested: false };
    let folders: Vec<Value> = model.roots.iter().map(|r| json!({"uri": uri(&dir.join(r)), "name": r})).collect();
    let init = json!({
        "rootUri": uri(&dir.join("a")),
        "workspaceFolders": folders,
        "capabilities": {"general": {"positionEncodings": ["utf-32"]}},
    });
    let mut server = Server::start(&dir.join("a"), init);
    let result = (|| {
        compare(&mut server, &model, patience).map_err(|d| (0, d))?;
        for (i, op) in ops.iter().enumerate() {
            model.apply(&mut server, op);
            if matches!(op, Op::Quiet) {
                compare(&mut server, &model, patience).map_err(|d| (i, d))?;
            }
        }
        compare(&mut server, &model, patience).map_err(|d| (ops.len(), d))
    })();
    if result.is_ok() {
        assert_eq!(server.shutdown_and_exit(), Some(0), "exit code after shutdown");
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(dir.with_extension("check"));
    }
    result
}

/// Waits until what the client holds equals `check`; the difference if it
/// does not within `patience`.
fn compare(server: &mut Server, model: &Model, patience: Duration) -> Result<(), String> {
    let expected = model.expected();
    // Every notification sent so far is applied before this answer.
    let id = server.send_request("workspace/symbol", json!({"query": "zzz-quiet-point"}));
    let response = server.wait_response(id);
    if response.get("error").is_some() {
        return Err(format!("the quiet-point request failed: {response}"));
    }
    let deadline = Instant::now() + patience;
    let Some(expected) = expected else {
        // Settings `check` refuses: the server must say so too (it goes on
        // with the settings it can read; nothing to compare).
        let says_so = |s: &Server| {
            s.notifications.iter().any(|n| {
                n["method"] == "window/logMessage"
                    && n["params"]["message"].as_str().is_some_and(|m| m.contains("newsmark.toml"))
            })
        };
        while !says_so(server) {
            if !server.pump(deadline) && Instant::now() >= deadline {
                return Err("check refuses the settings, but the server never said why".to_string());
            }
        }
        return Ok(());
    };
    loop {
        let actual = model.actual(server);
        if actual == expected {
            return Ok(());
        }
        if !server.pump(deadline) && Instant::now() >= deadline {
            return Err(difference(&expected, &actual));
        }
    }
}

/// Removes chunks of operations while the run still fails (delta debugging).
fn shrink(name: &str, mut ops: Vec<Op>, budget: Duration) -> Vec<Op> {
    let started = Instant::now();
    let patience = Duration::from_secs(2);
    let mut chunk = ops.len().div_ceil(2).max(1);
    loop {
        let mut i = 0;
        let mut removed_any = false;
        while i < ops.len() {
            if started.elapsed() > budget {
                return ops;
            }
            let mut candidate = ops.clone();
            candidate.drain(i..(i + chunk).min(ops.len()));
            match run(name, &candidate, patience) {
                Err((at, _)) => {
                    candidate.truncate(at + 1);
                    ops = candidate;
                    removed_any = true;
                }
                Ok(()) => i += chunk,
            }
        }
        if chunk == 1 && !removed_any {
            return ops;
        }
        chunk = (chunk / 2).max(1);
    }
}

fn check_seed(seed: u64, count: usize) -> usize {
    let ops = generate(seed, count);
    let name = format!("consistency-{seed}");
    match run(&name, &ops, Duration::from_secs(10)) {
        Ok(()) => ops.len(),
        Err((at, difference)) => {
            let failing = ops[..(at + 1).min(ops.len())].to_vec();
            let shrunk = shrink(&name, failing, Duration::from_secs(240));
            let shrunk_difference = match run(&name, &shrunk, Duration::from_secs(10)) {
                Err((_, d)) => d,
                Ok(()) => "(the shrunk list passed on replay: flaky)".to_string(),
            };
            let listing: String = shrunk.iter().map(|op| format!("        {op:?},\n")).collect();
            panic!(
                "seed {seed}: the server differs from `check` after op {at} ({:?}):\n{difference}\n\
                 shrunk to {} ops (paste into replay_reproducer):\n    vec![\n{listing}    ]\n\
                 difference after the shrunk list:\n{shrunk_difference}",
                ops.get(at),
                shrunk.len()
            );
        }
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

#[test]
fn server_equals_check_after_random_operations() {
    let count = env_number("NEWSMARK_CONSISTENCY_OPS").unwrap_or(300) as usize;
    if let Some(seed) = env_number("NEWSMARK_CONSISTENCY_SEED") {
        check_seed(seed, count);
        return;
    }
    if let Some(seconds) = env_number("NEWSMARK_SOAK_SECS") {
        let started = Instant::now();
        let base = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() << 16;
        let (mut seeds, mut ops) = (0u64, 0usize);
        while started.elapsed() < Duration::from_secs(seconds) {
            ops += check_seed(base + seeds, count.max(2000));
            seeds += 1;
            eprintln!("soak: {seeds} seeds, {ops} operations, {:?}", started.elapsed());
        }
        eprintln!("soak: clean after {seeds} seeds, {ops} operations in {:?}", started.elapsed());
        return;
    }
    for seed in [1, 2, 3] {
        check_seed(seed, count);
    }
}

fn assert_run(name: &str, ops: Vec<Op>) {
    if let Err((at, difference)) = run(name, &ops, Duration::from_secs(10)) {
        panic!("after op {at} of {ops:?}:\n{difference}");
    }
}

/// A shrunk failing run from a failure report: paste its ops here to replay.
#[test]
fn replay_reproducer() {
    assert_run("consistency-replay", vec![Op::Open { file: 1 }, Op::Edit { file: 1, at: 500, delete: 3, snippet: 4 }]);
}

/// #14 item 2: `J` in Vim keeps every byte offset after the join but moves
/// the lines; this file's findings and the related information of others
/// that point into it must move too. `gq` (reflow) the other way round.
#[test]
fn joined_and_split_lines_are_republished() {
    assert_run("consistency-join", vec![Op::Open { file: 1 }, Op::JoinLines { file: 1, nth: 6 }, Op::Quiet]);
    assert_run("consistency-split", vec![Op::Open { file: 1 }, Op::SplitLine { file: 1, nth: 1 }, Op::Quiet]);
}

/// #14 item 1: files that leave the workspace on a full re-index (a new
/// `exclude`, a folder removed) lose their diagnostics in the editor.
#[test]
fn files_that_leave_the_workspace_are_cleared() {
    assert_run("consistency-exclude", vec![Op::Settings { variant: 1 }, Op::Quiet, Op::Settings { variant: 0 }]);
    assert_run("consistency-folder", vec![Op::Folders { variant: 2 }, Op::Quiet, Op::Folders { variant: 0 }]);
}

/// #14 item 13: typing into a big open document (the seeds twice over: a
/// few hundred findings with up to 21 related locations each, into itself
/// and into the registry) republishes by reusing what did not change
/// (src/lsp/publish.rs); after random keystrokes, line joins and splits
/// and full-text edits, every file's diagnostics still equal `check`.
#[test]
fn a_big_document_typed_into_equals_check() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".news.md"))
        .collect();
    names.sort();
    let one: String = names.iter().map(|p| std::fs::read_to_string(p).unwrap() + "\n\n").collect();
    let big = format!("{}{one}{one}", initial_text(FILES[1]).unwrap());
    let mut rng = Rng(13);
    let mut ops = vec![Op::Open { file: 1 }, Op::Open { file: 0 }];
    for i in 0..48 {
        let file = if rng.below(6) == 0 { 0 } else { 1 };
        let at = rng.below(1001) as u16;
        let snippet = rng.below(SNIPPETS.len());
        ops.push(match rng.below(10) {
            0..=5 => Op::Edit { file, at, delete: rng.below(3) as u8, snippet },
            6 => Op::FullEdit { file, at, delete: rng.below(3) as u8, snippet },
            7 => Op::JoinLines { file, nth: rng.below(40) as u16 },
            _ => Op::SplitLine { file, nth: rng.below(40) as u16 },
        });
        if i % 8 == 7 {
            ops.push(Op::Quiet);
        }
    }
    if let Err((at, difference)) = run_with("consistency-big", &ops, Duration::from_secs(60), &[(1, big)]) {
        panic!("after op {at} of {ops:?}:\n{difference}");
    }
}
