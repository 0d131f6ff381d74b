//! Replays the fuzz corpus (`fuzz/corpus/<target>/`) and the inputs that
//! once crashed or hung a target (`fuzz/regressions/<target>/`) through the
//! same code the fuzz targets run (`newsmark::fuzzing`), in an ordinary
//! `cargo test`. `NEWSMARK_FUZZ_INPUT=path` replays one file only.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 3] = [
    ("parse_and_check", newsmark::fuzzing::parse_and_check),
    ("quantity", newsmark::fuzzing::quantity),
    ("incremental_edits", newsmark::fuzzing::incremental_edits),
];

fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else { continue };
        files.extend(entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()));
    }
    files.sort();
    files
}

fn replay(target: &str, run: Target) {
    let files = match std::env::var_os("NEWSMARK_FUZZ_INPUT") {
        Some(one) => vec![PathBuf::from(one)],
        None => inputs(target),
    };
    let started = Instant::now();
    for path in &files {
        // The live corpus may change under a running fuzzer: a file gone is skipped.
        let Ok(data) = std::fs::read(path) else { continue };
        let t = Instant::now();
        let result = std::panic::catch_unwind(|| run(&data));
        assert!(result.is_ok(), "{target}: {} panics", path.display());
        // Generous for a debug build on a loaded machine; a hang takes far longer.
        assert!(t.elapsed() < Duration::from_secs(20), "{target}: {} took {:?}", path.display(), t.elapsed());
    }
    eprintln!("{target}: {} inputs in {:?}", files.len(), started.elapsed());
}

#[test]
fn parse_and_check_corpus() {
    replay(TARGETS[0].0, TARGETS[0].1);
}

#[test]
fn quantity_corpus() {
    replay(TARGETS[1].0, TARGETS[1].1);
}

#[test]
fn incremental_edits_corpus() {
    replay(TARGETS[2].0, TARGETS[2].1);
}
