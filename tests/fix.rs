//! `newsmark check --fix` and `--unsafe-fixes` on real files: what is
//! written back, byte for byte, and what the re-check reports.

mod common;

use std::path::{Path, PathBuf};

use common::{copy_dir, render_json, run_in};

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-scratch/fix").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    // Its own project: without a newsmark.toml it would belong to this
    // repository's (whose newsmark.toml wins over a nearer .git).
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("newsmark.toml"), "").unwrap();
    dir
}

const DEFINITIONS: &str = "::: entity stoltenberg\nname: Jens Stoltenberg\n:::\n\n\
                           ::: quantity us-iraq.troops\n:::\n\n::: quantity nato.members\n:::\n\n\
                           ::: quantity nato.memberz\n:::\n";

/// A file with every safe fix, written with line breaks `nl` and
/// characters of several widths around the edits.
fn article(nl: &str) -> String {
    [
        "---",
        "id: ap-2020-02-13",
        "published: 2020-02-13",
        "---",
        "",
        "😀 [“Wir bleiben,”]{by=“stoltenberg”}[@ap-2020-02-13] 語 said [Jens]{ent=stoltenberg}.",
        "北约 [more than 5,200 troops] {fig=us-iraq.troops}[@ap-2020-02-13] 👩‍👩‍👧 and",
        "[over 5,200]{fig=us-iraq.troops value=>5200}[@ap-2020-02-13] “quoted” prose, members: [30]{fig=nato.member}[@ap-2020-02-13].",
        "",
    ]
    .join(nl)
}

fn fixed_article(nl: &str) -> String {
    article(nl)
        .replace("{by=“stoltenberg”}", "{by=\"stoltenberg\"}")
        .replace("troops] {fig", "troops]{fig")
        .replace("value=>5200}", "value=\">5200\"}")
}

fn check(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    all.push(".");
    let output = run_in(dir, &all);
    (
        output.status.code().unwrap_or(-1),
        render_json(&output.stdout),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn safe_fixes_keep_every_other_byte_in_crlf_lone_cr_emoji_and_cjk_files() {
    for (case, nl) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
        let dir = scratch(case);
        std::fs::write(dir.join("a.news.md"), article(nl)).unwrap();
        std::fs::write(dir.join("defs.news.md"), DEFINITIONS).unwrap();
        let (code, before, _) = check(&dir, &[]);
        assert_eq!(code, 1, "{case}: the article has markup errors:\n{before}");

        let (code, after, stderr) = check(&dir, &["--fix"]);
        let written = std::fs::read(dir.join("a.news.md")).unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), fixed_article(nl), "{case}");
        assert_eq!(std::fs::read_to_string(dir.join("defs.news.md")).unwrap(), DEFINITIONS, "{case}: untouched");
        assert!(stderr.contains("fixed 3 findings in ./a.news.md\n"), "{case}: {stderr}");
        assert!(stderr.contains("fixed 3 findings in 1 file\n"), "{case}: {stderr}");
        // The report after the fix is that of the fixed file: only the
        // ambiguous key is left (its fix is unsafe).
        assert_eq!(code, 0, "{case}: {after}");
        assert_eq!(after.lines().filter(|l| l.contains("]")).count(), 1, "{case}: {after}");
        assert!(after.contains("warning[unknown-quantity] figure key `nato.member`"), "{case}: {after}");
        let (_, recheck, _) = check(&dir, &[]);
        assert_eq!(recheck, after, "{case}: a re-check agrees with the report after --fix");

        let (code, after_unsafe, stderr) = check(&dir, &["--fix", "--unsafe-fixes"]);
        assert_eq!(code, 0);
        assert!(stderr.contains("fixed 1 finding in ./a.news.md\n"), "{case}: {stderr}");
        assert_eq!(after_unsafe, "files: 2\n", "{case}");
        let written = std::fs::read_to_string(dir.join("a.news.md")).unwrap();
        assert_eq!(written, fixed_article(nl).replace("fig=nato.member}", "fig=nato.members}"), "{case}");
    }
}

#[test]
fn nothing_to_fix_writes_nothing() {
    let dir = scratch("clean");
    let text = "Prose with [sic] {braces} and no span.\r\n";
    std::fs::write(dir.join("a.news.md"), text).unwrap();
    let (code, _, stderr) = check(&dir, &["--fix"]);
    assert_eq!(code, 0);
    assert_eq!(stderr, "newsmark: fixed 0 findings in 0 files\n");
    assert_eq!(std::fs::read_to_string(dir.join("a.news.md")).unwrap(), text);
}

#[test]
fn unsafe_fixes_needs_fix() {
    let dir = scratch("usage");
    let output = run_in(&dir, &["check", "--unsafe-fixes", "."]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--fix"));
}

fn target_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-scratch/fix").join(name)
}

/// On every fixture workspace: `--fix --unsafe-fixes` converges (a second
/// run fixes nothing), never fails, and every fixed file still reads.
#[test]
fn fixing_every_fixture_converges_and_a_second_run_fixes_nothing() {
    let fixtures = common::fixtures();
    let mut cases: Vec<_> =
        std::fs::read_dir(&fixtures).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    let mut fixed_somewhere = 0;
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let dir = scratch(&format!("all-{name}"));
        copy_dir(&case, &dir);
        let (code, _, stderr) = check(&dir, &["--fix", "--unsafe-fixes"]);
        assert_ne!(code, 2, "{name}: {stderr}");
        if !stderr.contains("fixed 0 findings in 0 files") {
            fixed_somewhere += 1;
        }
        let (code, _, stderr) = check(&dir, &["--fix", "--unsafe-fixes"]);
        assert_ne!(code, 2, "{name}: {stderr}");
        assert!(
            stderr.contains("newsmark: fixed 0 findings in 0 files\n"),
            "{name}: a second run fixed more: {stderr}"
        );
    }
    assert!(fixed_somewhere >= 3, "the fixtures hold fixable findings");
    // A suppression with a mistyped code is corrected, not removed: the
    // unused code goes, the one meant stays and silences its finding.
    let fixed = std::fs::read_to_string(target_dir("all-suppressions").join("a.news.md")).unwrap();
    assert!(fixed.contains("<!-- newsmark-disable-next-line uncited-figure -->\nUnknown code"), "{fixed}");
}

/// The human report ends, as ruff's does, with how many findings `--fix`
/// would fix and how many more need `--unsafe-fixes`; nothing when no
/// finding has a fix.
#[test]
fn the_human_report_counts_what_fix_and_unsafe_fixes_would_fix() {
    let dir = scratch("fixable-count");
    let definitions = "\n::: entity jan\n:::\n\n::: entity jen\n:::\n\n::: source s\n:::\n";
    // One safe fix (the space before `{`), one unsafe (`jun` is one edit
    // from both `jan` and `jen`), one finding with no fix (`zzz`).
    let text = format!("[500 troops] {{fig=k}}[@s] and [J]{{ent=jun}} and [Z]{{ent=zzzzzz}}.\n{definitions}");
    std::fs::write(dir.join("a.news.md"), &text).unwrap();
    let human = |args: &[&str]| {
        let mut all = vec!["check", "--color", "never"];
        all.extend_from_slice(args);
        all.push(".");
        String::from_utf8(run_in(&dir, &all).stdout).unwrap()
    };
    let last_line = |out: &str| out.lines().last().unwrap_or("").to_string();
    assert_eq!(last_line(&human(&[])), "newsmark: 1 fixable with `--fix` (1 more with `--fix --unsafe-fixes`)");
    // `--fix` applies the safe one; the unsafe one is left.
    assert_eq!(last_line(&human(&["--fix"])), "newsmark: 1 fixable with `--fix --unsafe-fixes`");
    // Nothing left to fix: the report ends with the counts.
    let out = human(&["--fix", "--unsafe-fixes"]);
    assert!(last_line(&out).starts_with("newsmark: 1 file checked: 1 error"), "{out}");
    assert!(!out.contains("fixable"), "{out}");
    // --quiet prints the findings only.
    assert!(!human(&["--quiet"]).contains("fixable"));
}
