//! Many copies of one thing (an id, a quote, a citation) must cost time
//! linear in their number: these inputs once took minutes or ran out of
//! memory (found by the hostile-workspace tests, `tests/hostile.rs`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::conflicts::MAX_PARTNERS;
use super::file_diagnostics;
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::workspace::Workspace;

const N: usize = 20_000;
/// A debug build does each of these in well under a second; quadratic work
/// on `N` copies takes minutes.
// A hang detector, not a performance target (benchmarks hold those): generous
// enough for a debug build on a loaded 2-core machine.
const BOUND: Duration = Duration::from_secs(120);

fn check_one(text: String) -> Vec<Diagnostic> {
    let started = Instant::now();
    let workspace = Workspace::from_files(Config::default(), vec![("a.news.md".into(), text)]);
    let id = workspace.file_id("a.news.md").unwrap();
    let diagnostics = file_diagnostics(&workspace, id);
    assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
    assert!(diagnostics.iter().all(|d| d.related.len() <= MAX_PARTNERS + 1));
    diagnostics
}

fn count(diagnostics: &[Diagnostic], code: Code) -> usize {
    diagnostics.iter().filter(|d| d.code == code).count()
}

#[test]
fn one_id_defined_many_times() {
    let diagnostics = check_one("::: entity x\nname: X\n:::\n\n".repeat(N));
    assert_eq!(count(&diagnostics, Code::DuplicateId), N);
    assert!(diagnostics[0].message.contains(&format!("defined {N} times")), "{}", diagnostics[0].message);
    // 20 other definitions, then one entry for the rest.
    let related = &diagnostics[0].related;
    assert_eq!(related.len(), MAX_PARTNERS + 1);
    assert_eq!(
        &*related[MAX_PARTNERS].message,
        format!("and {} more definitions, the next one here", N - 1 - MAX_PARTNERS)
    );
}

#[test]
fn one_quote_by_two_speakers_many_times() {
    let text = "::: entity a\n:::\n\n::: entity b\n:::\n\n".to_string()
        + &"He said [“we stay”]{by=a}.\n\nShe said [“we stay”]{by=b}.\n\n".repeat(N / 2);
    let diagnostics = check_one(text);
    assert_eq!(count(&diagnostics, Code::ConflictingAttribution), N);
    let first = diagnostics.iter().find(|d| d.code == Code::ConflictingAttribution).unwrap();
    assert!(first.message.contains(&format!("and {} other attributions", N / 2 - 1)), "{}", first.message);
    assert_eq!(first.related.len(), MAX_PARTNERS + 1);
    let last = &first.related[MAX_PARTNERS].message;
    assert_eq!(&**last, format!("and {} more attributions, the next one here", N / 2 - MAX_PARTNERS));
}

#[test]
fn one_paragraph_of_figures_and_free_citations() {
    let diagnostics = check_one("[5 troops]{fig=x} [@a] ".repeat(N));
    assert_eq!(count(&diagnostics, Code::UncitedFigure), 0);
    assert_eq!(count(&diagnostics, Code::UnknownSource), N);
}

#[test]
fn figures_without_citations_among_many_attached_ones() {
    let diagnostics = check_one("[5 troops]{fig=x}[@a] [6 troops]{fig=x} ".repeat(N / 2));
    assert_eq!(count(&diagnostics, Code::UncitedFigure), N / 2);
}

#[test]
fn many_distinct_unknown_ids_among_many_definitions() {
    let mut text = String::new();
    for i in 0..N / 4 {
        text.push_str(&format!("::: entity person-{i}\n:::\n\n[someone]{{ent=persn-{i}}}\n\n"));
    }
    let diagnostics = check_one(text);
    assert_eq!(count(&diagnostics, Code::UnknownEntity), N / 4);
    assert!(diagnostics.iter().any(|d| d.message.contains("did you mean")));
}

/// Editing one file of a workspace gives what building it afresh gives,
/// related information in the same order included, and stays linear.
#[test]
fn editing_a_file_with_many_copies_matches_a_fresh_build() {
    let many = "::: entity x\n:::\n\nHe said [“we stay”]{by=x}[@s].\n\n".repeat(N / 4);
    let other = "::: entity x\n:::\n\n::: source s\n:::\n\nShe said [“we stay”]{by=y}.\n".to_string();
    let files = vec![("a.news.md".to_string(), many.clone()), ("b.news.md".to_string(), other)];
    let mut edited = Workspace::from_files(Config::default(), files.clone());
    let started = Instant::now();
    edited.set_file("a.news.md", Arc::from(format!("{many}\nmore")));
    edited.set_file("a.news.md", Arc::from(many.as_str()));
    assert!(started.elapsed() < BOUND, "edits took {:?}", started.elapsed());
    let fresh = Workspace::from_files(Config::default(), files);
    for name in ["a.news.md", "b.news.md"] {
        let (a, b) = (edited.file_id(name).unwrap(), fresh.file_id(name).unwrap());
        assert_eq!(file_diagnostics(&edited, a), file_diagnostics(&fresh, b), "{name}");
    }
}
