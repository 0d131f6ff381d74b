//! The incremental re-parse property (see `newsmark::fuzzing::reparse`):
//! after random edits that open and close fences, divs, comments, quotes
//! and lists, the re-parsed tree equals a parse from scratch in every
//! field, and the file's diagnostics equal a fresh check.
//! `NEWSMARK_PROPERTY_CASES=n` (default 300) runs more documents,
//! `NEWSMARK_PROPERTY_SEED=n` another seed.

use newsmark::fuzzing::reparse_seeded;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn random_edits_reparse_to_the_tree_of_a_fresh_parse() {
    let stats = reparse_seeded(env("NEWSMARK_PROPERTY_SEED", 7), env("NEWSMARK_PROPERTY_CASES", 300) as usize, 30);
    eprintln!("{stats:?}");
    // Not vacuous: most edits read only a piece of the document.
    // Not vacuous: most edits read only a piece of the document (these
    // documents are small and full of unclosed constructs, which read on
    // to the end).
    assert!(stats.partial * 3 > stats.spliced + stats.whole, "{stats:?}");
}
