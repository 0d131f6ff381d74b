//! The reader's numerals and the windowed bare-number finder against the
//! whole-run scan, on real files: the seeds, every fixture and every input
//! of the fuzz corpus, as `check` reads them (parsed, then each plain run).
//!
//! - Every ASCII digit of every plain run lies in one of the reader's
//!   `numerals`, and the numerals lie in plain runs, in order.
//! - `bare_numbers_near` over a run's numerals equals `bare_numbers` of the
//!   whole run (the finder `check` used before; see `quantity::window`).
//!
//! `NEWSMARK_NUMERALS_DIR=dir` checks every `*.news.md` under `dir` too
//! (a corpus from `cargo run --release --example gen_corpus -- 1000 dir`).

use newsmark::quantity::{bare_numbers, bare_numbers_near};
use newsmark::syntax;
use std::path::{Path, PathBuf};

fn check(path: &Path) {
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    let file = syntax::parse(&text);
    for pair in file.numerals.windows(2) {
        assert!(pair[0].end() <= pair[1].start(), "{}: numerals out of order", path.display());
    }
    let mut numerals = file.numerals.iter().peekable();
    for run in &file.plain_runs {
        let mut in_run = Vec::new();
        while let Some(n) = numerals.next_if(|n| n.start() < run.end()) {
            assert!(run.start() <= n.start() && n.end() <= run.end(), "{}: numeral {n:?} outside", path.display());
            in_run.push(*n);
        }
        let prose = &text[*run];
        for (i, b) in prose.bytes().enumerate() {
            let at = run.start() + i;
            let noted = in_run.iter().any(|n| n.start() <= at && at < n.end());
            assert_eq!(b.is_ascii_digit(), noted, "{}: byte {at} {b:?}", path.display());
        }
        let near = bare_numbers_near(prose, in_run.iter().map(|n| n.start() - run.start()));
        assert_eq!(near, bare_numbers(prose), "{}: run {run:?} {prose:?}", path.display());
    }
    assert!(numerals.next().is_none(), "{}: numerals after the last run", path.display());
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>, only_articles: bool) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out, only_articles);
        } else if !only_articles || path.to_string_lossy().ends_with(".news.md") {
            out.push(path);
        }
    }
}

#[test]
fn numerals_and_windows_agree_with_the_whole_run_scan() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    files_under(&root.join("seeds"), &mut files, true);
    files_under(&root.join("tests/fixtures"), &mut files, true);
    files_under(&root.join("fuzz/corpus"), &mut files, false);
    if let Some(dir) = std::env::var_os("NEWSMARK_NUMERALS_DIR") {
        files_under(Path::new(&dir), &mut files, true);
    }
    assert!(files.len() > 1000, "{}", files.len());
    for path in &files {
        check(path);
    }
}
