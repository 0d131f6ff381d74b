//! Hostile workspaces: files no article should be, run through the real
//! `newsmark check` (and, for links out of the root, the real server).
//! Each must give a clear diagnostic or message, never a panic, in time
//! linear in the input, and the good files beside it are still checked.
//!
//! Big inputs are generated here, never committed. Time bounds are loose
//! enough for a debug build on a loaded two-core machine; the doubling
//! tests (`n` against `2n`) catch quadratic work without relying on them.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use common::lsp::{uri, Server};
use common::run_in;
use serde_json::{json, Value};

/// A file with one known finding, next to every hostile one.
const GOOD: &str = "---\nid: good\npublished: 2020-01-01\n---\n\nThey sent [500 troops]{fig=x}.\n";
const GOOD_FINDING: &str = "uncited-figure";

/// A fresh folder under target/ holding `good.news.md`.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-scratch/hostile").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // Its own project: without a newsmark.toml it would belong to this repository.
    std::fs::write(dir.join("newsmark.toml"), "").unwrap();
    std::fs::write(dir.join("good.news.md"), GOOD).unwrap();
    dir
}

/// `newsmark check --format json ARGS` in `dir`: the output, the parsed report and the time taken.
fn check(dir: &Path, args: &[&str]) -> (Output, Value, Duration) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let started = Instant::now();
    let output = run_in(dir, &all);
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "panic: {stderr}");
    assert!(output.status.code().is_some(), "killed by a signal: {:?}", output.status);
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}); stderr: {stderr}"));
    (output, report, elapsed)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// (file name, code) of every finding.
fn findings(report: &Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let path = d["path"].as_str().unwrap();
            let name = path.rsplit('/').next().unwrap().to_string();
            (name, d["code"].as_str().unwrap().to_string())
        })
        .collect()
}

fn codes_of(report: &Value, file: &str) -> Vec<String> {
    findings(report).into_iter().filter(|(name, _)| name == file).map(|(_, code)| code).collect()
}

#[track_caller]
fn assert_good_checked(report: &Value) {
    assert!(codes_of(report, "good.news.md").contains(&GOOD_FINDING.to_string()), "good file not reported: {report}");
}

/// Runs `check` on a workspace made by `make(n / 2)` and by `make(2 * n)`:
/// four times the input must take about four times as long, not sixteen.
/// Returns the report for `2 * n`.
fn assert_linear(name: &str, n: usize, make: impl Fn(usize) -> String, args: &[&str]) -> Value {
    let run = |size: usize| {
        let dir = scratch(&format!("{name}-{size}"));
        std::fs::write(dir.join("hostile.news.md"), make(size)).unwrap();
        let (_, report, elapsed) = check(&dir, args);
        assert_good_checked(&report);
        let _ = std::fs::remove_dir_all(&dir);
        (report, elapsed)
    };
    let (_, mut small) = run(n / 2);
    let (last, mut big) = run(2 * n);
    // Linear work takes four times as long, quadratic sixteen: the factor of
    // two in between is for a busy machine, the seconds for process start-up.
    let linear = |small: Duration, big: Duration| big < small * 8 + Duration::from_secs(2);
    if !linear(small, big) {
        // The other tests of this file run beside it: a burst of theirs
        // during one of the two runs is not the algorithm. Quadratic work
        // stays quadratic in the faster of two runs of each size.
        small = small.min(run(n / 2).1);
        big = big.min(run(2 * n).1);
    }
    assert!(linear(small, big), "{name}: {} took {small:?}, {} took {big:?}", n / 2, 2 * n);
    assert!(big < Duration::from_secs(90), "{name}: {big:?}");
    last
}

#[test]
fn binary_and_invalid_utf8_files_are_skipped_with_a_message() {
    let dir = scratch("binary");
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..4096u32).map(|i| (i * 7919 % 251) as u8));
    std::fs::write(dir.join("image.news.md"), &png).unwrap();
    let mut text = b"---\nid: broken\npublished: 2020-01-01\n---\n\nAlmost [fine]{ent=x}".to_vec();
    let bad_at = text.len();
    text.extend(b"\xff\xfe and more\n");
    std::fs::write(dir.join("latin1.news.md"), &text).unwrap();
    // NULs and control characters are valid UTF-8: such a file is checked.
    std::fs::write(dir.join("controls.news.md"), "\0\u{1}\u{7f}[\0]{\u{1b}=\0}\u{85}\u{2028}\u{feff}\n".repeat(100))
        .unwrap();
    let (output, report, _) = check(&dir, &["."]);
    assert_eq!(output.status.code(), Some(2), "an unreadable file is an I/O failure");
    let stderr = stderr(&output);
    assert!(stderr.contains("image.news.md: skipped, not valid UTF-8 text (first bad byte at offset 0)"), "{stderr}");
    assert!(
        stderr.contains(&format!("latin1.news.md: skipped, not valid UTF-8 text (first bad byte at offset {bad_at})")),
        "{stderr}"
    );
    assert_eq!(report["files"], 2, "good and controls are checked: {report}");
    assert_good_checked(&report);
    assert!(codes_of(&report, "controls.news.md").contains(&"malformed-markup".to_string()));
}

#[test]
fn empty_and_blank_files_are_checked_quietly() {
    let dir = scratch("empty");
    for (name, text) in
        [("empty", ""), ("newlines", "\n\n\n"), ("crs", "\r\r\r"), ("spaces", "   \t  "), ("bom", "\u{feff}")]
    {
        std::fs::write(dir.join(format!("{name}.news.md")), text).unwrap();
    }
    let (output, report, _) = check(&dir, &["."]);
    assert_eq!(report["files"], 6);
    assert_eq!(findings(&report), vec![("good.news.md".to_string(), GOOD_FINDING.to_string())]);
    assert_eq!(output.status.code(), Some(0), "a warning alone exits 0");
}

/// Ten and a half megabytes of the seed articles, over and over: every
/// block a duplicate id, every quote repeated, hundreds of thousands of
/// spans. Checked in full, in linear time.
#[test]
fn a_file_over_ten_megabytes_is_checked() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut body = String::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&seeds).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    for path in names.iter().filter(|p| p.to_string_lossy().ends_with(".news.md")) {
        body.push_str(&std::fs::read_to_string(path).unwrap());
        body.push_str("\n\n");
    }
    let make = |bytes: usize| body.repeat(bytes / body.len() + 1);
    let report = assert_linear("ten-mb", 5_300_000, make, &["."]);
    let all = findings(&report);
    assert!(all.iter().filter(|(_, code)| code == "duplicate-id").count() > 10_000, "{} findings", all.len());
    for d in report["diagnostics"].as_array().unwrap() {
        let related = d["related"].as_array().unwrap();
        // 20 partners, then one entry that says how many more there are.
        assert!(related.len() <= 21, "related information is capped: {}", related.len());
        if related.len() == 21 {
            let last = related[20]["message"].as_str().unwrap();
            assert!(last.starts_with("and ") && last.contains(" more "), "{last}");
        }
    }
}

#[test]
fn a_file_over_the_size_limit_is_skipped_unread() {
    let dir = scratch("too-big");
    let file = std::fs::File::create(dir.join("dump.news.md")).unwrap();
    // Sparse: no disk is used, and it is never read.
    file.set_len(65 * 1024 * 1024).unwrap();
    let (output, report, elapsed) = check(&dir, &["."]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr(&output);
    assert!(stderr.contains("dump.news.md: skipped, 65 MB is over the 64 MB limit for one article"), "{stderr}");
    assert_eq!(report["files"], 1);
    assert_good_checked(&report);
    assert!(elapsed < Duration::from_secs(120), "{elapsed:?}");
}

/// Past 4 GiB, where the analysis' `u32` offsets would wrap: refused from
/// the size on disk (sparse, so nothing is written or read), and on
/// standard input after the limit's worth of bytes.
#[test]
fn a_file_over_four_gibibytes_is_refused_with_a_message() {
    let dir = scratch("over-4-gib");
    let file = std::fs::File::create(dir.join("huge.news.md")).unwrap();
    file.set_len(5 * 1024 * 1024 * 1024).unwrap();
    let (output, report, _) = check(&dir, &["."]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr(&output);
    assert!(stderr.contains("huge.news.md: skipped, 5120 MB is over the 64 MB limit for one article"), "{stderr}");
    assert_good_checked(&report);

    let mut child = std::process::Command::new(common::bin())
        .args(["check", "-", "--stdin-filename", "huge.news.md", "--format", "json"])
        .current_dir(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // The reader stops at the limit and closes the pipe: a write error then is expected.
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'x'; 1024 * 1024];
        for _ in 0..65 {
            if std::io::Write::write_all(&mut input, &chunk).is_err() {
                break;
            }
        }
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("standard input: over the 64 MB limit for one article"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// One line of a megabyte: prose with spans, citations, bare numbers,
/// curly quotes and emoji (so columns are not bytes), in every format.
#[test]
fn a_one_megabyte_line_is_linear_in_every_format() {
    let unit = "The mission’s [about 500 troops]{fig=nato.troops} [@ap] and 1,200 more 😀, said [NATO]{ent=nato}. ";
    let make = |bytes: usize| unit.repeat(bytes / unit.len());
    for format in ["json", "human", "github", "sarif"] {
        let args = ["--format", format, "."];
        let mut times = Vec::new();
        for size in [256 * 1024, 1024 * 1024] {
            let dir = scratch(&format!("line-{format}-{size}"));
            std::fs::write(dir.join("line.news.md"), make(size)).unwrap();
            let started = Instant::now();
            let output = run_in(&dir, &[&["check"][..], &args[..]].concat());
            times.push(started.elapsed());
            let stderr = stderr(&output);
            assert!(!stderr.contains("panicked"), "{stderr}");
            assert_eq!(output.status.code(), Some(1), "{format}: unknown ids are errors; {stderr}");
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(stdout.contains("good.news.md"), "{format}: good file reported");
            // Every finding on the line, but never the whole line per finding.
            assert!(stdout.len() < 200 * size / 10, "{format}: {} bytes of output", stdout.len());
            let _ = std::fs::remove_dir_all(&dir);
        }
        let (small, big) = (times[0], times[1]);
        assert!(big < small * 8 + Duration::from_secs(2), "{format}: {small:?} then {big:?}");
    }
}

#[test]
fn unbalanced_brackets_and_braces_are_linear() {
    let cases: [(&str, &str); 8] = [
        ("open-brackets", "["),
        ("open-braces", "{"),
        ("closers", "]}"),
        ("spans-without-attrs", "[x]{"),
        ("nested", "[a "),
        ("citations", "[@a"),
        ("escapes", "\\[\\{"),
        ("alternating", "[{]}"),
    ];
    for (name, unit) in cases {
        let report = assert_linear(name, 200_000, |n| unit.repeat(n), &["."]);
        let messages: Vec<&str> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["path"].as_str().unwrap().ends_with("hostile.news.md"))
            // `[@a[@a…` holds real in-text citations (pandoc's reading):
            // unknown-source findings, not markup errors.
            .filter(|d| d["code"] == "malformed-markup" || d["code"] == "invalid-attribute")
            .map(|d| d["message"].as_str().unwrap())
            .collect();
        assert!(messages.len() <= 501, "{name}: markup errors are capped, got {}", messages.len());
    }
    // Deep nesting that closes: 100,000 spans inside one another.
    assert_linear("deep-spans", 50_000, |n| "[a ".repeat(n) + &"]{ent=x}".repeat(n), &["."]);
}

#[test]
fn unterminated_constructs_are_reported() {
    let cases = [
        ("front-matter", "---\nid: open\npublished: 2020-01-01\n\nNo closing line.\n", "front matter is not closed"),
        ("block", "::: entity x\nname: X\n\nNo closing line.\n", "block is not closed"),
        ("attributes", "A [figure]{fig=x value=500\n\nNext paragraph.\n", ""),
        ("quoted-value", "A [figure]{fig=x value=\"500}\n", "quoted value of `value` is not closed"),
        ("span-text", "A [figure that never closes\n", "is never closed"),
        ("comment", "<!-- an HTML comment that never ends [x]{fig=y}\n", "HTML comment is not closed"),
        // As in pandoc, an unclosed fence is text (and reported), not code to the end.
        ("fence", "```\n[x]{fig=y}\nno closing fence\n", "code fence is never closed"),
    ];
    let dir = scratch("unterminated");
    for (name, text, _) in &cases {
        std::fs::write(dir.join(format!("{name}.news.md")), text).unwrap();
    }
    let (_, report, _) = check(&dir, &["."]);
    assert_good_checked(&report);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    for (name, _, message) in &cases {
        let file = format!("{name}.news.md");
        let found: Vec<&Value> = diagnostics.iter().filter(|d| d["path"].as_str().unwrap().ends_with(&file)).collect();
        assert!(found.iter().any(|d| d["code"] == "malformed-markup"), "{file}: {found:?}");
        assert!(found.iter().any(|d| d["message"].as_str().unwrap().contains(message)), "{file}: {found:?}");
    }
    // Each, ten thousand times over: still linear.
    for (name, text, _) in &cases {
        assert_linear(&format!("unterminated-{name}"), 5_000, |n| text.repeat(n), &["."]);
    }
    assert_linear(
        "unterminated-front-matter-long",
        100_000,
        |n| "---\n".to_string() + &"key: value\n".repeat(n),
        &["."],
    );
}

/// Old Mac line endings: a lone `\r` ends a line, for lines and columns
/// alike, exactly as `\n` does.
#[test]
fn lone_cr_line_endings_count_as_lines() {
    let dir = scratch("lone-cr");
    let lf = "---\nid: cr\npublished: 2020-01-01\n---\n\nThey sent [500 troops]{fig=x} and [“a quote”]{by=nobody}.\n\n3 more.\n";
    std::fs::write(dir.join("lf.news.md"), lf).unwrap();
    std::fs::write(dir.join("cr.news.md"), lf.replace('\n', "\r")).unwrap();
    std::fs::write(dir.join("crlf.news.md"), lf.replace('\n', "\r\n")).unwrap();
    let (_, report, _) = check(&dir, &["."]);
    let by_file = |file: &str| -> Vec<(String, Value)> {
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["path"].as_str().unwrap().ends_with(file))
            .map(|d| (d["code"].as_str().unwrap().to_string(), d["range"].clone()))
            .collect()
    };
    let lf_findings = by_file("/lf.news.md");
    assert!(lf_findings.len() >= 3, "{lf_findings:?}");
    assert!(lf_findings.iter().any(|(_, r)| r["start"]["line"] == 8), "the bare number is on line 8");
    assert_eq!(by_file("/cr.news.md"), lf_findings);
    assert_eq!(by_file("/crlf.news.md"), lf_findings);
    assert_linear("lone-cr", 20_000, |n| "para [5]{fig=x}[@a] 7\r\r".repeat(n), &["."]);
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// A workspace `root/` beside `outside/secret.news.md`, with links out of
/// the root (to the file, to its folder), a link to the root itself (a
/// loop), a link to itself, and a dangling link.
#[cfg(unix)]
fn linked_workspace(name: &str) -> (PathBuf, PathBuf) {
    let base = scratch(name);
    std::fs::remove_file(base.join("good.news.md")).unwrap();
    let (root, outside) = (base.join("root"), base.join("outside"));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(root.join("good.news.md"), GOOD).unwrap();
    std::fs::write(outside.join("secret.news.md"), "A secret [mention]{ent=nobody-at-all}.\n").unwrap();
    std::fs::write(outside.join("newsmark.toml"), "[severity]\nuncited-figure = \"off\"\n").unwrap();
    symlink("../outside/secret.news.md", root.join("link.news.md"));
    symlink("../outside", root.join("linked-folder"));
    symlink(".", root.join("loop"));
    symlink("..", root.join("up"));
    symlink("self.news.md", root.join("self.news.md"));
    symlink("nowhere.news.md", root.join("dangling.news.md"));
    (root.canonicalize().unwrap(), outside.canonicalize().unwrap())
}

#[cfg(unix)]
#[test]
fn check_does_not_follow_links_out_of_the_root_or_round_loops() {
    let (root, _) = linked_workspace("links-cli");
    let (output, report, elapsed) = check(&root, &["."]);
    assert_eq!(report["files"], 1, "only good.news.md: {report}");
    assert_eq!(findings(&report), vec![("good.news.md".to_string(), GOOD_FINDING.to_string())]);
    assert!(!String::from_utf8_lossy(&output.stdout).contains("secret"));
    assert_eq!(output.status.code(), Some(0), "links are skipped, not failures: {}", stderr(&output));
    assert!(elapsed < Duration::from_secs(120));
    // A settings file that is a link out of the folder is not read either.
    symlink("../outside/newsmark.toml", root.join("newsmark.toml"));
    let output = run_in(&root, &["check", "."]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("newsmark.toml: a link out of the folder; not followed"), "{}", stderr(&output));
}

#[cfg(unix)]
#[test]
fn server_does_not_follow_links_out_of_the_root() {
    let (root, outside) = linked_workspace("links-server");
    let mut server = Server::start(&root, json!({}));
    let good = uri(&root.join("good.news.md"));
    server.wait_until("diagnostics for good.news.md", |s| s.diagnostics.contains_key(&good));
    // A watched-file event naming the link, and one naming the file through
    // the linked folder: neither may be read.
    let through_link = format!("file://{}/link.news.md", root.display());
    let through_folder = format!("file://{}/linked-folder/secret.news.md", root.display());
    let dot_dot = format!("file://{}/loop/../../outside/secret.news.md", root.display());
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [
            {"uri": through_link, "type": 1},
            {"uri": through_folder, "type": 2},
            {"uri": dot_dot, "type": 2},
        ]}),
    );
    // A hover on a real file proves every notification before it was handled.
    let hover = server.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": good}, "position": {"line": 5, "character": 12}}),
    );
    assert!(hover.get("error").is_none(), "{hover}");
    server.drain(Duration::from_millis(500));
    let published: Vec<&String> = server.diagnostics.keys().collect();
    assert_eq!(published, vec![&good], "only the good file: {published:?}");
    let secret = server.request("workspace/symbol", json!({"query": "nobody"}));
    assert_eq!(secret, json!([]), "nothing from outside is indexed");
    assert!(!server.diagnostics.contains_key(&uri(&outside.join("secret.news.md"))));
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// Tests run as root here, where `chmod 000` does not stop a read; what can
/// be made unreadable is tested instead: a FIFO (which would block a reader
/// forever), a folder and a dangling link named like articles, and — where
/// permissions do apply — a file without read permission.
#[cfg(unix)]
#[test]
fn unreadable_and_special_files() {
    let dir = scratch("special");
    let fifo = dir.join("pipe.news.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
    std::fs::create_dir_all(dir.join("folder.news.md")).unwrap();
    std::fs::write(dir.join("folder.news.md/inner.news.md"), GOOD.replace("id: good", "id: inner")).unwrap();
    symlink("missing.news.md", dir.join("dangling.news.md"));
    let locked = dir.join("locked.news.md");
    std::fs::write(&locked, GOOD.replace("id: good", "id: locked")).unwrap();
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let privileged = std::fs::File::open(&locked).is_ok();

    let (output, report, elapsed) = check(&dir, &["."]);
    assert!(elapsed < Duration::from_secs(120), "a FIFO is never opened: {elapsed:?}");
    assert_good_checked(&report);
    assert!(
        codes_of(&report, "inner.news.md").contains(&GOOD_FINDING.to_string()),
        "a folder named *.news.md is walked"
    );
    if privileged {
        assert_eq!(report["files"], 3, "good, inner and locked (readable by root)");
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    } else {
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains("locked.news.md: Permission denied"), "{}", stderr(&output));
    }

    // Named on the command line, each gets a message and exit code 2.
    if made {
        let output = run_in(&dir, &["check", "pipe.news.md", "good.news.md"]);
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains("pipe.news.md: skipped, not a regular file or folder"), "{}", stderr(&output));
        assert!(String::from_utf8_lossy(&output.stdout).contains(GOOD_FINDING));
    }
    let output = run_in(&dir, &["check", "dangling.news.md", "good.news.md"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("dangling.news.md: No such file or directory"), "{}", stderr(&output));
    // A file that goes away between listing and reading is reported, not fatal.
    let (texts, problems) =
        newsmark::workspace::discover::read_files(vec![dir.join("good.news.md"), dir.join("gone.news.md")]);
    assert_eq!(texts.len(), 1);
    assert!(problems[0].contains("gone.news.md: No such file or directory"), "{problems:?}");
    let _ = std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o644));
}

/// Nothing in the program starts a process or opens a socket: the sources
/// and the dependency list say so.
#[test]
fn no_process_or_network_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![root.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for forbidden in ["process::Command", "TcpStream", "TcpListener", "UdpSocket", "UnixStream", "net::"] {
                assert!(!text.contains(forbidden), "{} uses {forbidden}", path.display());
            }
        }
    }
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let dependencies = manifest.split("[dependencies]").nth(1).unwrap().split("\n[").next().unwrap();
    for client in ["reqwest", "hyper", "ureq", "curl", "surf", "isahc"] {
        assert!(!dependencies.contains(client), "{client} in [dependencies]");
    }
}

/// The same hostile texts, opened in the real server: requests on them
/// are answered in bounded time, and the server stays up.
#[test]
fn server_survives_hostile_documents() {
    let dir = scratch("server-documents");
    let mut server = Server::start(&dir, json!({}));
    let good = uri(&dir.join("good.news.md"));
    server.wait_until("diagnostics for good.news.md", |s| s.diagnostics.contains_key(&good));
    let line = "The mission’s [about 500 troops]{fig=t} [@ap] and 1,200 more 😀, said [NATO]{ent=nato}. ";
    let texts = [
        ("line", line.repeat(1024 * 1024 / line.len())),
        ("brackets", "[".repeat(200_000)),
        ("braces", "[x]{".repeat(50_000)),
        ("nested", "[a ".repeat(20_000) + &"]{ent=x}".repeat(20_000)),
        ("controls", "\0\r\u{85}\u{2028}[\u{feff}]{=}".repeat(10_000)),
        ("front-matter", "---\n".to_string() + &"k: v\n".repeat(100_000)),
    ];
    for (name, text) in texts {
        let doc = uri(&dir.join(format!("{name}.news.md")));
        let started = Instant::now();
        server.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": doc, "languageId": "newsmark", "version": 1, "text": text}}),
        );
        server.wait_until(&format!("diagnostics for {name}"), |s| s.diagnostics.contains_key(&doc));
        let end = json!({"line": 1_000_000, "character": 1_000_000});
        for (method, params) in [
            ("textDocument/semanticTokens/full", json!({"textDocument": {"uri": doc}})),
            ("textDocument/documentSymbol", json!({"textDocument": {"uri": doc}})),
            ("textDocument/hover", json!({"textDocument": {"uri": doc}, "position": end})),
            ("textDocument/completion", json!({"textDocument": {"uri": doc}, "position": end})),
        ] {
            let response = server.request_raw(method, params);
            assert!(response.get("error").is_none(), "{name}: {method}: {response}");
        }
        // An edit at the very end of the text.
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": doc, "version": 2}, "contentChanges": [
                {"range": {"start": end, "end": end}, "text": " [500 troops]{fig=t}"}
            ]}),
        );
        server.request("workspace/symbol", json!({"query": "x"}));
        assert!(started.elapsed() < Duration::from_secs(60), "{name}: {:?}", started.elapsed());
        server.notify("textDocument/didClose", json!({"textDocument": {"uri": doc}}));
    }
    let hover = server.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": good}, "position": {"line": 5, "character": 12}}),
    );
    assert!(hover.get("error").is_none(), "{hover}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// The block and inline constructs read as pandoc does, repeated: unclosed
/// fences and comments on every line, deep containers, runs of `$`, `<`,
/// `&`, `@`, emphasis markers and table pipes.
#[test]
fn pandoc_constructs_are_linear() {
    let cases: [(&str, &str); 12] = [
        ("unclosed-fences", "```\n"),
        ("unclosed-fences-in-paragraph", "a\n```\n"),
        ("unclosed-comments", "<!--\n"),
        ("inline-unclosed-comments", "<!-- "),
        ("dollars", "$a "),
        ("tags", "<a "),
        ("entities", "&amp &"),
        ("at-signs", "@a @"),
        ("emphasis", "*_~^"),
        ("deep-quotes", "> "),
        ("deep-lists", "- "),
        ("table-rows", "| a | b |\n|---|---|\n"),
    ];
    for (name, unit) in cases {
        assert_linear(name, 50_000, |n| unit.repeat(n), &["."]);
    }
    assert_linear("nested-quote-lines", 2_000, |n| "> > > > > > x [5]{fig=k}\n".repeat(n), &["."]);
}
