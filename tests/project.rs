//! The project model from the outside: every entry point — `check` on the
//! project, on one file, from a sub-folder, on stdin, and the language
//! server after files appear on disk — sees the same workspace and reports
//! the same findings for a file.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::lsp::{uri, Server};
use common::{bin, run_in};
use serde_json::{json, Value};

/// A fresh folder outside the repository (whose newsmark.toml would
/// otherwise make it part of this repository's project).
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("newsmark-project-tests-{}", std::process::id())).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.canonicalize().unwrap()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Articles whose findings depend on each other: definitions in one file,
/// uses and a contradiction across two others, one in a sub-folder.
fn cross_file_articles(dir: &Path) {
    write(
        &dir.join("defs.news.md"),
        "::: entity nato\nname: NATO\nkind: organisation\n:::\n\n::: source wire\ntitle: Wire\npublished: 2020-02-12\n:::\n",
    );
    write(
        &dir.join("a.news.md"),
        "---\nid: a\npublished: 2020-02-13\n---\n\n[NATO]{ent=nato} has [about 500 troops]{fig=t}[@wire] and [40 jets]{fig=j}.\n",
    );
    write(
        &dir.join("sub/b.news.md"),
        "---\nid: b\npublished: 2020-02-14\n---\n\n[NATO]{ent=nato} has [2,000 troops]{fig=t}[@a] and [NATO]{ent=natto}.\n",
    );
}

/// `check --format json ARGS` in `dir`: each finding as one line, paths
/// without a leading `./`, so a full check and a one-file check compare.
fn findings(dir: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let output = run_in(dir, &all);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.code().is_some_and(|c| c < 2), "{args:?}: {stderr}");
    let text = String::from_utf8(output.stdout).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    json["diagnostics"].as_array().unwrap().iter().map(|d| d.to_string().replace("\"./", "\"")).collect()
}

fn of_file(all: &[String], path: &str) -> Vec<String> {
    all.iter().filter(|d| serde_json::from_str::<Value>(d).unwrap()["path"] == path).cloned().collect()
}

fn codes_in(all: &[String], path: &str) -> Vec<String> {
    let mut codes: Vec<String> = of_file(all, path)
        .iter()
        .map(|d| serde_json::from_str::<Value>(d).unwrap()["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

fn sorted(mut codes: Vec<String>) -> Vec<String> {
    codes.sort();
    codes
}

#[test]
fn one_file_alone_equals_its_findings_in_the_whole_project() {
    for marker in ["newsmark.toml", ".git", "none"] {
        let dir = temp(&format!("alone-{marker}"));
        match marker {
            "newsmark.toml" => write(&dir.join(marker), "[severity]\nuncited-figure = \"error\"\n"),
            ".git" => std::fs::create_dir_all(dir.join(".git")).unwrap(),
            _ => {}
        }
        cross_file_articles(&dir);
        let full = findings(&dir, &[]);
        assert!(full.iter().any(|d| d.contains("contradicting-figure")), "{marker}: {full:#?}");
        for file in ["a.news.md", "sub/b.news.md", "defs.news.md"] {
            // Its project: the marked folder, or with no marker its own folder.
            let project = match (marker, file.rsplit_once('/')) {
                ("none", Some((folder, _))) => folder,
                _ => ".",
            };
            let whole = findings(&dir, &[project]);
            let alone = findings(&dir, &[file]);
            assert_eq!(alone, of_file(&whole, file), "{marker}: {file} alone");
        }
        if marker == "newsmark.toml" {
            assert!(full.iter().any(|d| d.contains("uncited-figure") && d.contains("\"error\"")), "settings apply");
            // From a sub-folder: the project and its settings are the same.
            let from_sub = findings(&dir.join("sub"), &["."]);
            let expected: Vec<String> = of_file(&full, "sub/b.news.md")
                .iter()
                .map(|d| {
                    d.replace("\"sub/b.news.md\"", "\"b.news.md\"")
                        .replace("\"path\":\"a.news.md\"", "\"path\":\"../a.news.md\"")
                })
                .collect();
            assert_eq!(from_sub, expected, "cd sub && newsmark check .");
        } else if marker == ".git" {
            // The repository is the project from its sub-folders too.
            let from_sub = findings(&dir.join("sub"), &["b.news.md"]);
            assert!(!from_sub.iter().any(|d| d.contains("unknown entity `nato`")), "{from_sub:#?}");
        } else {
            // With no marker a file's folder is its project: in sub/ alone,
            // `nato` is defined nowhere.
            let from_sub = findings(&dir.join("sub"), &["b.news.md"]);
            assert!(from_sub.iter().any(|d| d.contains("unknown entity `nato`")), "{from_sub:#?}");
        }
    }
}

#[test]
fn stdin_is_checked_in_place_of_the_file() {
    let dir = temp("stdin");
    write(&dir.join("newsmark.toml"), "");
    cross_file_articles(&dir);
    let file = dir.join("sub/b.news.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let stdin_check = |input: &str, format: &str| {
        let mut child = Command::new(bin())
            .args(["check", "-", "--stdin-filename", "sub/b.news.md", "--format", format])
            .current_dir(&dir)
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    for format in ["json", "human", "github", "sarif"] {
        let from_file = run_in(&dir, &["check", "sub/b.news.md", "--format", format]);
        let from_stdin = stdin_check(&text, format);
        assert_eq!(String::from_utf8_lossy(&from_stdin.stdout), String::from_utf8_lossy(&from_file.stdout), "{format}");
        assert_eq!(from_stdin.status.code(), from_file.status.code());
    }
    // The text on stdin wins over the file: fixing the typo there fixes it.
    let fixed = stdin_check(&text.replace("natto", "nato"), "json");
    let json: Value = serde_json::from_slice(&fixed.stdout).unwrap();
    let codes: Vec<&str> =
        json["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(!codes.contains(&"unknown-entity"), "{codes:?}");
    assert!(codes.contains(&"contradicting-figure"), "still within its project: {codes:?}");
    // A file that does not exist yet is checked within its project too.
    let new = Command::new(bin())
        .args(["check", "-", "--stdin-filename", "sub/new.news.md", "--format", "json"])
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    new.stdin.as_ref().unwrap().write_all(b"[NATO]{ent=nato} [9 troops]{fig=t}[@wire]\n").unwrap();
    let output = new.wait_with_output().unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["files"], 1);
    assert!(json["diagnostics"].as_array().unwrap().iter().all(|d| d["path"] == "sub/new.news.md"), "{json}");
    // Usage errors.
    assert_eq!(run_in(&dir, &["check", "-"]).status.code(), Some(2), "- needs --stdin-filename");
    assert_eq!(run_in(&dir, &["check", "a.news.md", "--stdin-filename", "a.news.md"]).status.code(), Some(2));
}

#[test]
fn nested_projects_keep_their_own_files_and_settings() {
    let dir = temp("nested");
    write(&dir.join("newsmark.toml"), "[severity]\nuncited-figure = \"error\"\n");
    write(&dir.join("outer.news.md"), "::: entity nato\nname: NATO\n:::\n\n[3 jets]{fig=j}\n");
    write(&dir.join("inner/newsmark.toml"), "");
    write(&dir.join("inner/x.news.md"), "::: entity nato\nname: NATO\n:::\n\n[4 jets]{fig=j} [NATO]{ent=nato}\n");
    let all = findings(&dir, &["."]);
    assert!(!all.iter().any(|d| d.contains("duplicate-id")), "two projects, two namespaces: {all:#?}");
    assert!(!all.iter().any(|d| d.contains("contradicting-figure")), "{all:#?}");
    let inner: Vec<_> = of_file(&all, "inner/x.news.md");
    assert!(
        inner.iter().any(|d| d.contains("uncited-figure") && d.contains("\"warning\"")),
        "inner settings: {inner:#?}"
    );
    assert!(of_file(&all, "outer.news.md").iter().any(|d| d.contains("\"error\"")), "outer settings");
    assert_eq!(findings(&dir, &["inner/x.news.md"]), inner);
}

#[test]
fn a_path_that_selects_no_article_warns_and_fails_with_strict() {
    let dir = temp("empty");
    write(&dir.join("newsmark.toml"), "exclude = [\"drafts/\"]\n");
    write(&dir.join("notes.md"), "# not an article\n");
    write(&dir.join("drafts/d.news.md"), "[x]{");
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    for path in ["empty", "drafts"] {
        let output = run_in(&dir, &["check", path]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&format!("warning: {path} selects no article")), "{stderr}");
        assert_eq!(output.status.code(), Some(0), "{path}: a warning, not a failure");
        assert_eq!(run_in(&dir, &["check", path, "--strict"]).status.code(), Some(2), "{path} --strict");
    }
    // A file named explicitly is checked whatever the walk would say, as an
    // editor's open document is.
    let named = findings(&dir, &["drafts/d.news.md"]);
    assert!(named.iter().any(|d| d.contains("malformed-markup")), "{named:?}");
    assert!(findings(&dir, &["."]).is_empty(), "but the folder's walk skips it");
    let quiet = run_in(&dir, &["check", "empty", "--quiet"]);
    assert_eq!(String::from_utf8_lossy(&quiet.stderr), "", "--quiet says nothing");
    assert_eq!(String::from_utf8_lossy(&quiet.stdout), "");
}

#[test]
fn quiet_output_file_statistics_and_color() {
    let dir = temp("flags");
    write(&dir.join(".git/HEAD"), "");
    cross_file_articles(&dir);
    let normal = run_in(&dir, &["check"]);
    let normal_out = String::from_utf8_lossy(&normal.stdout).into_owned();
    assert!(normal_out.contains("newsmark: 3 files checked"), "{normal_out}");
    let quiet = run_in(&dir, &["check", "--quiet"]);
    let quiet_out = String::from_utf8_lossy(&quiet.stdout).into_owned();
    assert_eq!(quiet_out, normal_out[..normal_out.find("newsmark: 3 files").unwrap()], "only the summary goes");
    assert_eq!(quiet.status.code(), normal.status.code());

    let report = dir.join("report.json");
    let to_file = run_in(&dir, &["check", "--format", "json", "--output-file", report.to_str().unwrap()]);
    assert_eq!(to_file.stdout, b"");
    assert_eq!(std::fs::read(&report).unwrap(), run_in(&dir, &["check", "--format", "json"]).stdout);
    assert_eq!(to_file.status.code(), Some(1), "the exit code does not change");

    let stats = String::from_utf8(run_in(&dir, &["check", "--statistics"]).stdout).unwrap();
    let json: Value = serde_json::from_slice(&run_in(&dir, &["check", "--format", "json"]).stdout).unwrap();
    let count = |code: &str| json["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == code).count();
    for line in stats.lines().filter(|l| !l.starts_with("newsmark:")) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields[0].parse::<usize>().unwrap(), count(fields[1]), "{line}");
    }
    assert!(stats.contains("contradicting-figure") && stats.contains("unknown-entity"), "{stats}");
    let stats_json: Value =
        serde_json::from_slice(&run_in(&dir, &["check", "--statistics", "--format", "json"]).stdout).unwrap();
    assert_eq!(stats_json.as_array().unwrap().len(), stats.lines().filter(|l| !l.starts_with("newsmark:")).count());

    let colored = |args: &[&str], env: &[(&str, &str)]| {
        let output = Command::new(bin())
            .args(["check"].iter().chain(args))
            .current_dir(&dir)
            .env_remove("NO_COLOR")
            .env_remove("FORCE_COLOR")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).contains('\u{1b}')
    };
    assert!(!colored(&[], &[]), "auto: not a terminal");
    assert!(colored(&[], &[("FORCE_COLOR", "1")]));
    assert!(!colored(&[], &[("FORCE_COLOR", "0")]));
    assert!(colored(&["--color", "always"], &[("NO_COLOR", "1")]), "the flag wins");
    assert!(!colored(&["--color", "never"], &[("FORCE_COLOR", "1")]), "the flag wins");
}

#[test]
fn explain_completions_and_version() {
    let dir = temp("explain");
    let output = run_in(&dir, &["explain", "uncited-figure"]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("uncited-figure (warning by default)\n"), "{text}");
    assert!(
        text.contains("Example:\n\n    Britain has [around 400 personnel]{fig=uk-iraq.personnel} in Iraq.\n"),
        "{text}"
    );
    assert!(text.contains("Fix: cite where the number comes from"), "{text}");
    let unknown = run_in(&dir, &["explain", "no-such-code"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr)
        .contains("unknown code `no-such-code`; the codes are: malformed-markup,"));
    let all = String::from_utf8(run_in(&dir, &["explain", "--all"]).stdout).unwrap();
    assert!(all.contains("misquote (warning by default)") && all.contains("malformed-markup (error by default)"));

    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = run_in(&dir, &["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(script.contains("stdin-filename") && script.contains("statistics"), "{shell}: {script}");
    }
    if Command::new("bash").arg("--version").output().is_ok() {
        let script = String::from_utf8(run_in(&dir, &["completions", "bash"]).stdout).unwrap();
        let status = Command::new("bash").args(["-n", "-c", &script]).status().unwrap();
        assert!(status.success(), "the bash script parses");
    }
    let version = String::from_utf8(run_in(&dir, &["--version"]).stdout).unwrap();
    assert_eq!(version, format!("newsmark {}\n", env!("CARGO_PKG_VERSION")));
}

/// Every code's `explain` text is what docs/format.md says under its
/// heading: one registry, two places, never apart.
#[test]
fn docs_agree_with_explain() {
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md")).unwrap();
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let dir = temp("docs");
    let codes = String::from_utf8(run_in(&dir, &["explain", "--all"]).stdout).unwrap();
    let names: Vec<&str> =
        codes.lines().filter(|l| l.ends_with("by default)")).map(|l| l.split(' ').next().unwrap()).collect();
    assert!(names.len() >= 11, "{names:?}");
    for code in names {
        let heading = format!("### `{code}`");
        let start = docs.find(&heading).unwrap_or_else(|| panic!("docs/format.md has no {heading}"));
        let section = &docs[start..];
        let section = &section[..section[4..].find("\n#").map_or(section.len(), |i| i + 4)];
        let explained = String::from_utf8(run_in(&dir, &["explain", code]).stdout).unwrap();
        let (body, fix) = explained.split_once("\nFix: ").unwrap();
        let (checks, example) = body.split_once("\n\nExample:\n\n").unwrap();
        let checks = checks.split_once("\n\n").unwrap().1;
        assert!(flat(section).contains(&flat(checks)), "{code}: docs/format.md does not say:\n{checks}");
        // `**Fix:** text`, or `**Fix** (safe): text` for `(safe) text`.
        let fix_in_docs = match fix.strip_prefix('(').and_then(|f| f.split_once(") ")) {
            Some((kind, rest)) => format!("**Fix** ({kind}): {rest}"),
            None => format!("**Fix:** {fix}"),
        };
        assert!(flat(section).contains(&flat(&fix_in_docs)), "{code}: docs lack the fix:\n{fix}");
        for line in example.lines().map(str::trim).filter(|l| !l.is_empty()) {
            assert!(section.contains(line), "{code}: docs/format.md lacks the example line\n{line}");
        }
    }
}

/// A file that appears on disk while the server runs enters its workspace
/// exactly when `check` would include it: never when excluded, ignored or
/// hidden; and the server then agrees with `check`.
#[test]
fn the_server_follows_the_walker_for_files_that_appear_on_disk() {
    let dir = temp("server-events");
    write(&dir.join("newsmark.toml"), "exclude = [\"drafts/\"]\n");
    write(&dir.join(".gitignore"), "build/\n");
    write(&dir.join("a.news.md"), "---\nid: a\npublished: 2020-02-13\n---\n\n[about 500 troops]{fig=t}[@a]\n");
    let a = uri(&dir.join("a.news.md"));
    let mut server = Server::start(&dir, json!({}));
    server.wait_until("a", |s| s.diagnostics.contains_key(&a));
    let contradiction = "---\nid: X\npublished: 2020-02-13\n---\n\n[9,000 troops]{fig=t}[@a]\n";
    let outsiders = ["drafts/new.news.md", "build/gen.news.md", ".hidden/h.news.md", "drafts/deep/n.news.md"];
    let mut changes = Vec::new();
    for (i, name) in outsiders.iter().enumerate() {
        let path = dir.join(name);
        write(&path, &contradiction.replace("X", &format!("x{i}")));
        changes.push(json!({"uri": uri(&path), "type": 1}));
    }
    server.notify("workspace/didChangeWatchedFiles", json!({"changes": changes}));
    // A request after the notification: its answer comes after the event
    // was applied (edits and requests are handled in order).
    server.request("textDocument/documentSymbol", json!({"textDocument": {"uri": a}}));
    server.drain(Duration::from_millis(500));
    assert_eq!(server.codes(&a), Vec::<String>::new(), "nothing entered: {:?}", server.diagnostics.keys());
    for name in outsiders {
        assert!(!server.diagnostics.contains_key(&uri(&dir.join(name))), "{name} was published");
    }
    let cli = findings(&dir, &["."]);
    assert!(cli.is_empty(), "check agrees: {cli:?}");

    // A member that appears does enter, and both agree again.
    let member = dir.join("sub/c.news.md");
    write(&member, &contradiction.replace("X", "c"));
    server.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&member), "type": 1}]}));
    server.wait_until("the contradiction", |s| s.codes(&a).contains(&"contradicting-figure".to_string()));
    server.wait_until("c", |s| !s.codes(&uri(&member)).is_empty());
    let cli = findings(&dir, &["."]);
    assert_eq!(sorted(server.codes(&a)), codes_in(&cli, "a.news.md"));
    assert_eq!(sorted(server.codes(&uri(&member))), codes_in(&cli, "sub/c.news.md"));
    // An exclude that now covers it takes it out again.
    write(&dir.join("newsmark.toml"), "exclude = [\"drafts/\", \"sub/\"]\n");
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&dir.join("newsmark.toml")), "type": 2}]}),
    );
    server.wait_until("excluded again", |s| s.codes(&a).is_empty());
    assert!(findings(&dir, &["."]).is_empty());
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// A file opened with no workspace folder: its project becomes the root,
/// so hover and cross-file checks see the files beside it.
#[test]
fn a_file_opened_without_a_folder_brings_its_project() {
    let dir = temp("no-folder");
    write(&dir.join("newsmark.toml"), "");
    cross_file_articles(&dir);
    let mut server = Server::spawn(&[]);
    let result = server.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    assert!(result["capabilities"].is_object());
    server.notify("initialized", json!({}));
    let b = server.open(&dir.join("sub/b.news.md"));
    server.wait_until("b", |s| s.diagnostics.contains_key(&b) && !s.codes(&b).is_empty());
    let cli = findings(&dir, &["sub/b.news.md"]);
    assert_eq!(sorted(server.codes(&b)), codes_in(&cli, "sub/b.news.md"), "the server sees b's project as check does");
    assert!(server.diagnostics.contains_key(&uri(&dir.join("a.news.md"))), "a is in the workspace");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// The repository itself: `newsmark check .` in a clone checks the seeds
/// (the fixtures and fuzz corpora, full of deliberate errors, are their own
/// projects or excluded), and one seed alone reports what the seeds do.
#[test]
fn a_clone_of_this_repository_checks_cleanly() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = run_in(repo, &["check", "--format", "json", "."]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let seeds = std::fs::read_dir(repo.join("seeds"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".news.md"))
        .count();
    assert_eq!(json["files"], seeds, "only the seeds are articles of this repository");
    let full = findings(repo, &["seeds"]);
    for seed in ["seeds/stripes-2020-02-13.news.md", "seeds/entities.news.md"] {
        assert_eq!(findings(repo, &[seed]), of_file(&full, seed), "{seed} alone");
    }
    assert!(!of_file(&full, "seeds/stripes-2020-02-13.news.md").is_empty());
}

/// Every flag of `newsmark check` (from its own --help) is documented in
/// README.md and docs/format.md.
#[test]
fn every_flag_is_documented() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let help = String::from_utf8(run_in(repo, &["check", "--help"]).stdout).unwrap();
    let mut flags: Vec<&str> = help
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .collect();
    flags.sort();
    flags.dedup();
    assert!(flags.contains(&"--stdin-filename") && flags.contains(&"--statistics"), "{flags:?}");
    for doc in ["README.md", "docs/format.md"] {
        let text = std::fs::read_to_string(repo.join(doc)).unwrap();
        for flag in flags.iter().filter(|f| **f != "--help") {
            assert!(
                text.contains(&format!("`{flag}")) || text.contains(&format!("[{flag}")),
                "{doc} does not document {flag}"
            );
        }
    }
}

/// A finding as `code severity line:col-line:col message`, 1-based (ASCII
/// texts: columns count the same in UTF-16 and in scalar values).
fn finding_line(code: &str, severity: &str, start: (u64, u64), end: (u64, u64), message: &str) -> String {
    format!("{code} {severity} {}:{}-{}:{} {message}", start.0, start.1, end.0, end.1)
}

/// `check`'s findings for `path`, as `finding_line`s.
fn rendered_check(all: &[String], path: &str) -> Vec<String> {
    let mut out: Vec<String> = of_file(all, path)
        .iter()
        .map(|d| {
            let d: Value = serde_json::from_str(d).unwrap();
            let at = |p: &Value| (p["line"].as_u64().unwrap(), p["column"].as_u64().unwrap());
            let range = &d["range"];
            let (code, severity) = (d["code"].as_str().unwrap(), d["severity"].as_str().unwrap());
            finding_line(code, severity, at(&range["start"]), at(&range["end"]), d["message"].as_str().unwrap())
        })
        .collect();
    out.sort();
    out
}

/// What the server last published for `uri`, as `finding_line`s.
fn rendered_server(server: &Server, uri: &str) -> Vec<String> {
    let severity = |n: &Value| ["", "error", "warning", "info", "hint"][n.as_u64().unwrap_or(0) as usize];
    let at = |p: &Value| (p["line"].as_u64().unwrap() + 1, p["character"].as_u64().unwrap() + 1);
    let mut out: Vec<String> = server
        .diagnostics
        .get(uri)
        .and_then(|p| p["diagnostics"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|d| {
            let (code, range) = (d["code"].as_str().unwrap_or(""), &d["range"]);
            finding_line(
                code,
                severity(&d["severity"]),
                at(&range["start"]),
                at(&range["end"]),
                d["message"].as_str().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Waits until the server's findings for `path` (relative to `dir`) equal
/// `expected`; fails showing both.
fn wait_for_findings(server: &mut Server, dir: &Path, path: &str, expected: &[String], what: &str) {
    let file_uri = uri(&dir.join(path));
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while rendered_server(server, &file_uri) != expected {
        if !server.pump(deadline) {
            panic!("{what}: the server shows {:#?}\nbut check says {expected:#?}", rendered_server(server, &file_uri));
        }
    }
}

/// An outer project (uncited figures are errors, defines `nato`) and an
/// inner one with its own `newsmark.toml` (default settings) that uses
/// `nato` without defining it and states the outer's key with another value.
fn outer_and_inner(dir: &Path, inner_settings: bool) {
    write(&dir.join("newsmark.toml"), "[severity]\nuncited-figure = \"error\"\n");
    write(
        &dir.join("outer.news.md"),
        "---\nid: outer\npublished: 2020-02-13\n---\n\n::: entity nato\nname: NATO\n:::\n\n[3 jets]{fig=j}\n",
    );
    if inner_settings {
        write(&dir.join("inner/newsmark.toml"), "");
    }
    write(
        &dir.join("inner/x.news.md"),
        "---\nid: x\npublished: 2020-02-13\n---\n\n[40 jets]{fig=j} [NATO]{ent=nato}\n",
    );
}

/// The server keeps one workspace per project, as `check` does: the inner
/// file's findings equal `check` on the file and on its folder (its own
/// settings; no definition or contradiction from the outer project), and
/// requests resolve within its project.
#[test]
fn the_server_checks_nested_projects_as_check_does() {
    let dir = temp("server-nested");
    outer_and_inner(&dir, true);
    let inner = rendered_check(&findings(&dir, &["inner/x.news.md"]), "inner/x.news.md");
    assert!(inner.iter().any(|d| d.starts_with("unknown-entity error")), "{inner:#?}");
    assert!(inner.iter().any(|d| d.starts_with("uncited-figure warning")), "inner settings: {inner:#?}");
    assert!(!inner.iter().any(|d| d.contains("contradicting")), "{inner:#?}");
    assert_eq!(rendered_check(&findings(&dir, &["inner"]), "inner/x.news.md"), inner);
    let outer = rendered_check(&findings(&dir, &["."]), "outer.news.md");
    assert!(outer.iter().any(|d| d.starts_with("uncited-figure error")), "{outer:#?}");

    let mut server = Server::start(&dir, json!({}));
    wait_for_findings(&mut server, &dir, "inner/x.news.md", &inner, "inner, at start-up");
    wait_for_findings(&mut server, &dir, "outer.news.md", &outer, "outer, at start-up");
    // Open and edit the inner file: still checked within its project.
    let x = server.open(&dir.join("inner/x.news.md"));
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": x, "version": 2}, "contentChanges": [{"text": std::fs::read_to_string(dir.join("inner/x.news.md")).unwrap() + "\n"}]}),
    );
    wait_for_findings(&mut server, &dir, "inner/x.news.md", &inner, "inner, after an edit");
    // `nato` is the outer project's: nothing to go to from the inner file.
    let at = json!({"textDocument": {"uri": x}, "position": {"line": 5, "character": 27}});
    let definition = server.request("textDocument/definition", at.clone());
    assert!(definition.is_null() || definition == json!([]), "{definition}");
    let completion = server.request("textDocument/completion", at);
    let labels: Vec<&str> =
        completion["items"].as_array().into_iter().flatten().filter_map(|i| i["label"].as_str()).collect();
    assert!(!labels.contains(&"nato"), "completion offers the outer project's ids: {labels:?}");
    // Renaming the outer project's `nato` edits the outer project only.
    let outer_uri = server.open(&dir.join("outer.news.md"));
    let rename = server.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": outer_uri}, "position": {"line": 5, "character": 12}, "newName": "otan"}),
    );
    let edited: Vec<&String> = rename["changes"].as_object().map(|c| c.keys().collect()).unwrap_or_default();
    assert_eq!(edited, [&outer_uri], "{rename}");
    // Workspace symbols span every project.
    let symbols = server.request("workspace/symbol", json!({"query": "nato"}));
    assert_eq!(symbols.as_array().map(Vec::len), Some(1), "{symbols}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// A `newsmark.toml` created below the project root while the server runs
/// makes a nested project of its folder; deleted, the folder's files join
/// the outer project again. Each time the server equals `check`.
#[test]
fn a_nested_project_created_and_deleted_while_the_server_runs() {
    let dir = temp("server-nested-live");
    outer_and_inner(&dir, false);
    let joined = rendered_check(&findings(&dir, &["inner/x.news.md"]), "inner/x.news.md");
    assert!(joined.iter().any(|d| d.starts_with("uncited-figure error")), "outer settings: {joined:#?}");
    assert!(!joined.iter().any(|d| d.starts_with("unknown-entity")), "nato is defined: {joined:#?}");
    let mut server = Server::start(&dir, json!({}));
    wait_for_findings(&mut server, &dir, "inner/x.news.md", &joined, "one project");

    let settings = dir.join("inner/newsmark.toml");
    write(&settings, "");
    let nested = rendered_check(&findings(&dir, &["inner/x.news.md"]), "inner/x.news.md");
    assert_ne!(nested, joined);
    server.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&settings), "type": 1}]}));
    wait_for_findings(&mut server, &dir, "inner/x.news.md", &nested, "after inner/newsmark.toml was created");
    let outer = rendered_check(&findings(&dir, &["."]), "outer.news.md");
    wait_for_findings(&mut server, &dir, "outer.news.md", &outer, "outer, after the inner project appeared");

    let settings_uri = uri(&settings);
    std::fs::remove_file(&settings).unwrap();
    server.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": settings_uri, "type": 3}]}));
    wait_for_findings(&mut server, &dir, "inner/x.news.md", &joined, "after inner/newsmark.toml was deleted");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// A file opened with no workspace folder inside a nested project is
/// checked within that project only: its findings equal `check` on it, and
/// the outer project's files are not shown.
#[test]
fn a_file_opened_without_a_folder_in_a_nested_project() {
    let dir = temp("no-folder-nested");
    outer_and_inner(&dir, true);
    write(&dir.join("inner/y.news.md"), "[NATO]{ent=natto}\n");
    let expected = rendered_check(&findings(&dir, &["inner/x.news.md"]), "inner/x.news.md");
    let mut server = Server::spawn(&[]);
    let result = server.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    assert!(result["capabilities"].is_object());
    server.notify("initialized", json!({}));
    let x = server.open(&dir.join("inner/x.news.md"));
    wait_for_findings(&mut server, &dir, "inner/x.news.md", &expected, "the opened file");
    let y = rendered_check(&findings(&dir, &["inner"]), "inner/y.news.md");
    wait_for_findings(&mut server, &dir, "inner/y.news.md", &y, "the file beside it");
    server.drain(Duration::from_millis(200));
    assert!(!server.diagnostics.contains_key(&uri(&dir.join("outer.news.md"))), "the outer project is not opened");
    // Closed, the project closes with it: what it showed is cleared.
    server.notify("textDocument/didClose", json!({"textDocument": {"uri": x}}));
    wait_for_findings(&mut server, &dir, "inner/y.news.md", &[], "after the close");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}
