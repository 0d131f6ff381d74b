//! The fuzz targets' checks in an ordinary `cargo test`, through the same
//! code the targets run (`newsmark::fuzzing`):
//!
//! - every input of the corpus (`fuzz/corpus/<target>/`) and every input
//!   that once crashed or hung a target (`fuzz/regressions/<target>/`) is
//!   replayed;
//! - then, for a few seconds per target, corpus inputs are mutated at random
//!   (bytes flipped, inserted, deleted, duplicated, markup pieces spliced
//!   in) and run: a small fuzzer without coverage feedback, so CI fuzzes
//!   even where cargo-fuzz cannot be built in time.
//!
//! `NEWSMARK_FUZZ_INPUT=path` replays one file only.
//! `NEWSMARK_FUZZ_SECONDS=n` sets the mutation time per target (default 4),
//! `NEWSMARK_FUZZ_SEED=n` its seed (default fixed, so a failure reproduces).
//! A failing mutated input is written to `target/fuzz-smoke-failures/`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

type Target = fn(&[u8]);

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
    assert!(!files.is_empty(), "{target}: no corpus in fuzz/corpus/{target}");
    let started = Instant::now();
    for path in &files {
        // The live corpus may change under a running fuzzer: a file gone is skipped.
        let Ok(data) = std::fs::read(path) else { continue };
        let t = Instant::now();
        let result = catch_unwind(|| run(&data));
        assert!(result.is_ok(), "{target}: {} panics", path.display());
        // Generous for a debug build on a loaded machine; a hang takes far longer.
        assert!(t.elapsed() < Duration::from_secs(20), "{target}: {} took {:?}", path.display(), t.elapsed());
    }
    eprintln!("{target}: {} inputs replayed in {:?}", files.len(), started.elapsed());
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&[u8]] = &[
    b"[",
    b"]",
    b"{",
    b"}",
    b"]{",
    b"\n",
    b"\r\n",
    b"\r",
    b"\n\n",
    b"---\n",
    b"::: entity x\n",
    b":::\n",
    b"fig=",
    b"ent=",
    b"by=",
    b"value=",
    b"asof=",
    b"\"",
    b"@",
    b"[@a]",
    b"id: a\n",
    b"published: 2020-02-13\n",
    b"about 500",
    b"1,200",
    b"2020-02",
    b"..",
    b"\\",
    b"<!--",
    b"-->",
    b"```\n",
    "😀".as_bytes(),
    "’".as_bytes(),
    b"\0",
];

fn mutate(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(7) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 => data.insert(at, rng.next() as u8),
            2 => {
                let end = (at + rng.below(16)).min(data.len());
                data.drain(at..end);
            }
            3 => {
                let end = (at + rng.below(64)).min(data.len());
                let copy = data[at..end].to_vec();
                let to = rng.below(data.len() + 1);
                data.splice(to..to, copy);
            }
            4 if !other.is_empty() => {
                let from = rng.below(other.len());
                let end = (from + rng.below(256)).min(other.len());
                data.splice(at..at, other[from..end].iter().copied());
            }
            _ => {
                let piece = PIECES[rng.below(PIECES.len())];
                data.splice(at..at, piece.iter().copied());
            }
        }
    }
    data.truncate(20_000);
}

fn mutation_smoke(target: &str, run: Target) {
    if std::env::var_os("NEWSMARK_FUZZ_INPUT").is_some() {
        return;
    }
    let seconds = std::env::var("NEWSMARK_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(4);
    let seed = std::env::var("NEWSMARK_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x9E37_79B9_7F4A_7C15);
    let corpus: Vec<Vec<u8>> = inputs(target).iter().filter_map(|p| std::fs::read(p).ok()).collect();
    assert!(!corpus.is_empty(), "{target}: no corpus");
    let mut rng = Rng(seed | 1);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut runs = 0;
    while Instant::now() < deadline {
        let mut data = corpus[rng.below(corpus.len())].clone();
        let other = &corpus[rng.below(corpus.len())];
        mutate(&mut rng, &mut data, other);
        if catch_unwind(AssertUnwindSafe(|| run(&data))).is_err() {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-smoke-failures");
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(format!("{target}-{seed}-{runs}"));
            std::fs::write(&path, &data).unwrap();
            panic!("{target}: a mutated input panics; saved as {} (replay with NEWSMARK_FUZZ_INPUT)", path.display());
        }
        runs += 1;
    }
    eprintln!("{target}: {runs} mutated inputs in {seconds}s");
}

#[test]
fn parse_and_check() {
    replay("parse_and_check", newsmark::fuzzing::parse_and_check);
    mutation_smoke("parse_and_check", newsmark::fuzzing::parse_and_check);
}

#[test]
fn quantity() {
    replay("quantity", newsmark::fuzzing::quantity);
    mutation_smoke("quantity", newsmark::fuzzing::quantity);
}

#[test]
fn incremental_edits() {
    replay("incremental_edits", newsmark::fuzzing::incremental_edits);
    mutation_smoke("incremental_edits", newsmark::fuzzing::incremental_edits);
}
