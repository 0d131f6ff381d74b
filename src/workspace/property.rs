//! The workspace property: after any sequence of edits, every file's
//! diagnostics equal those of a workspace built from scratch from the same
//! texts, and every file whose diagnostics changed is in the affected set
//! the edit returned. Run briefly by `cargo test` (`tests/workspace_property.rs`,
//! longer with `NEWSMARK_PROPERTY_CASES=n`) and by the fuzz target
//! `incremental_edits` (`run_bytes`); on failure it panics with a minimal
//! reproducer: the shortest sequence of edits found that still fails.
//!
//! Files are lists of pieces drawn from a small vocabulary (ids one edit
//! apart, invalid ids, keys, speakers, numbers, periods, quotes differing
//! only in case), so the generated workspaces are dense in near-misses:
//! suggestions, duplicates, contradictions and conflicting attributions.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::Arc;

use super::{FileId, Workspace};
use crate::checks::file_diagnostics;
use crate::config::Config;

/// Names chosen so that path order and arrival order differ (`c/d` sorts
/// before `c-e` as a path, after it as a string).
/// The files written as open documents (`Workspace::set_open_file`).
const OPEN: [&str; 2] = ["a.news.md", "b.news.md"];
const NAMES: [&str; 6] = ["a.news.md", "c-e.news.md", "c/d.news.md", "b.news.md", "z/y.news.md", "c.news.md"];
const ENTITIES: [&str; 6] = ["stoltenberg", "stoltenbrg", "stoltenbrx", "nato", "natto", "wirre-{1"];
const SOURCES: [&str; 6] = ["wire-1", "wire-2", "wirre-{1", "ap-1", "ap-2", "wire-11"];
const KEYS: [&str; 3] = ["iraq.troops", "iraq.cost", "iraq.troop"];
const VALUES: [&str; 6] = ["500", "about 500", "600", "more than 550", "5,200", "nearly 600"];
const QUOTES: [&str; 3] = ["We will stay", "we will stay!", "Go home"];
const DATES: [&str; 3] = ["2020-02-13", "2020-02-20", "2020-06-01"];

/// Where the choices come from: a seeded generator, or a fuzzer's bytes.
pub trait Choices {
    /// A number below `n` (n > 0); None when the source is exhausted.
    fn below(&mut self, n: usize) -> Option<usize>;
}

/// SplitMix64: small, seeded, reproducible.
pub struct Seeded(pub u64);

impl Choices for Seeded {
    fn below(&mut self, n: usize) -> Option<usize> {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Some(((z ^ (z >> 31)) % n as u64) as usize)
    }
}

pub struct Bytes<'a>(pub &'a [u8]);

impl Choices for Bytes<'_> {
    fn below(&mut self, n: usize) -> Option<usize> {
        let (&first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(first as usize % n)
    }
}

/// One edit of the workspace: a file written (created or changed), or deleted.
#[derive(Clone, Debug)]
pub enum Op {
    Write { name: &'static str, text: String },
    Delete { name: &'static str },
}

fn pick<'a>(choices: &mut impl Choices, from: &[&'a str]) -> Option<&'a str> {
    Some(from[choices.below(from.len())?])
}

/// One piece of a file: a definition, a span, or prose.
fn piece(choices: &mut impl Choices) -> Option<String> {
    Some(match choices.below(9)? {
        0 => format!("::: entity {}\nname: Someone\n:::\n", pick(choices, &ENTITIES)?),
        1 => format!("::: source {}\ntitle: A wire\n:::\n", pick(choices, &SOURCES)?),
        2 => format!("::: quantity {}\nunit: troops\n:::\n", pick(choices, &KEYS)?),
        3 => format!("[Someone]{{ent={}}} spoke.\n", pick(choices, &ENTITIES)?),
        4 | 5 => {
            let asof = match choices.below(3)? {
                0 => String::new(),
                _ => format!(" asof={}", pick(choices, &DATES)?),
            };
            let citation = match choices.below(3)? {
                0 => String::new(),
                _ => format!("[@{}]", pick(choices, &SOURCES)?),
            };
            let (value, key) = (pick(choices, &VALUES)?, pick(choices, &KEYS)?);
            format!("There were [{value} troops]{{fig={key}{asof}}}{citation}.\n")
        }
        6 | 7 => {
            let (quote, speaker, source) =
                (pick(choices, &QUOTES)?, pick(choices, &ENTITIES)?, pick(choices, &SOURCES)?);
            format!("[“{quote},” she said]{{by={speaker}}}[@{source}]\n")
        }
        _ => "Some prose with 42 in it, and more.\n".to_string(),
    })
}

/// A file: optional front matter (an article), then pieces separated by blank lines.
#[derive(Clone, Debug, Default)]
struct Model {
    article: Option<(&'static str, &'static str)>,
    pieces: Vec<String>,
}

impl Model {
    fn text(&self) -> String {
        let mut text = String::new();
        if let Some((id, date)) = self.article {
            let _ = write!(text, "---\nid: {id}\npublished: {date}\n---\n\n");
        }
        for piece in &self.pieces {
            text.push_str(piece);
            text.push('\n');
        }
        text
    }
}

/// A random sequence of edits, made on a model of the files so that edits
/// add, remove, replace or rename one definition or span at a time.
pub fn generate(choices: &mut impl Choices, max_ops: usize) -> Vec<Op> {
    let mut files: BTreeMap<&'static str, Model> = BTreeMap::new();
    let mut ops = Vec::new();
    while ops.len() < max_ops {
        let Some(op) = next_op(choices, &mut files) else { break };
        ops.push(op);
    }
    ops
}

fn next_op(choices: &mut impl Choices, files: &mut BTreeMap<&'static str, Model>) -> Option<Op> {
    let name = pick(choices, &NAMES)?;
    let Some(model) = files.get_mut(name) else {
        // Create: an article or a plain file, with a few pieces.
        let mut model = Model::default();
        if choices.below(2)? == 0 {
            model.article = Some((pick(choices, &SOURCES)?, pick(choices, &DATES)?));
        }
        for _ in 0..choices.below(4)? {
            model.pieces.push(piece(choices)?);
        }
        let text = model.text();
        files.insert(name, model);
        return Some(Op::Write { name, text });
    };
    match choices.below(10)? {
        0 => {
            files.remove(name);
            return Some(Op::Delete { name });
        }
        1 => {
            // The article's id or date changes, or it stops being an article.
            model.article = match choices.below(3)? {
                0 => None,
                _ => Some((pick(choices, &SOURCES)?, pick(choices, &DATES)?)),
            };
        }
        2 | 3 if !model.pieces.is_empty() => {
            let at = choices.below(model.pieces.len())?;
            model.pieces.remove(at);
        }
        4 | 5 if !model.pieces.is_empty() => {
            let at = choices.below(model.pieces.len())?;
            model.pieces[at] = piece(choices)?;
        }
        6 if !model.pieces.is_empty() => {
            // A rename in place: the same piece with one name swapped for its neighbour.
            let at = choices.below(model.pieces.len())?;
            let (from, to) = (pick(choices, &ENTITIES)?, pick(choices, &ENTITIES)?);
            model.pieces[at] = model.pieces[at].replacen(from, to, 1);
        }
        _ => {
            let at = choices.below(model.pieces.len() + 1)?;
            model.pieces.insert(at, piece(choices)?);
        }
    }
    Some(Op::Write { name, text: model.text() })
}

/// Diagnostics with related locations named by file, comparable across
/// workspaces whose file ids differ.
type Named = Vec<String>;

fn named_diagnostics(workspace: &Workspace, file: FileId) -> Named {
    file_diagnostics(workspace, file)
        .into_iter()
        .map(|d| {
            let related: Vec<String> = d
                .related
                .iter()
                .map(|r| format!("{}@{:?}: {}", workspace.entry(r.file).name, r.range, r.message))
                .collect();
            format!("{} {:?} {:?} {} {:?} fix: {:?}", d.code, d.severity, d.range, d.message, related, d.fix)
        })
        .collect()
}

/// Applies `ops` one by one; after each, compares with a fresh workspace
/// and checks the affected set. The first broken property, as a message.
pub fn check_ops(ops: &[Op]) -> Result<(), String> {
    let config = Config::default();
    let mut workspace = Workspace::new(config.clone());
    let mut texts: BTreeMap<&str, String> = BTreeMap::new();
    let mut before: BTreeMap<String, Named> = BTreeMap::new();
    for (step, op) in ops.iter().enumerate() {
        let affected: BTreeSet<FileId> = match op {
            Op::Write { name, text } => {
                texts.insert(name, text.clone());
                // Two of the files are an editor's open documents: their
                // edits are re-parsed and their records, index lists and
                // summary difference spliced along the cut; the others are
                // read whole. Both must announce what changed.
                match OPEN.contains(name) {
                    true => workspace.set_open_file(name, Arc::from(text.as_str()), None),
                    false => workspace.set_file(name, Arc::from(text.as_str())),
                }
            }
            Op::Delete { name } => {
                texts.remove(name);
                workspace.remove_file(name)
            }
        };
        let affected: BTreeSet<&str> = affected.iter().map(|&f| workspace.entry(f).name.as_str()).collect();
        // The fresh workspace gets the files in reverse path order: arrival order must not matter.
        let files = texts.iter().rev().map(|(n, t)| (n.to_string(), t.clone())).collect();
        let fresh = Workspace::from_files(config.clone(), files);
        let mut after = BTreeMap::new();
        for name in texts.keys() {
            let incremental = named_diagnostics(&workspace, workspace.file_id(name).expect("written file"));
            let full = named_diagnostics(&fresh, fresh.file_id(name).expect("written file"));
            if incremental != full {
                return Err(format!(
                    "after step {step}, {name}: incremental diagnostics differ from a fresh check\n  \
                     incremental: {incremental:#?}\n  fresh: {full:#?}"
                ));
            }
            // A file that was there before: a change in its diagnostics must have been announced.
            if let Some(old) = before.get(*name).filter(|old| **old != incremental) {
                if !affected.contains(name) {
                    return Err(format!(
                        "after step {step}, {name}: its diagnostics changed but it is not in the affected set {affected:?}\n  \
                         before: {old:#?}\n  after: {incremental:#?}"
                    ));
                }
            }
            after.insert(name.to_string(), incremental);
        }
        before = after;
    }
    Ok(())
}

/// The shortest failing subsequence found by dropping edits one at a time.
pub fn shrink(mut ops: Vec<Op>) -> (Vec<Op>, String) {
    let mut failure = check_ops(&ops).expect_err("shrink a failing case");
    let mut i = 0;
    while i < ops.len() {
        let mut fewer = ops.clone();
        fewer.remove(i);
        match check_ops(&fewer) {
            Err(message) => {
                ops = fewer;
                failure = message;
            }
            Ok(()) => i += 1,
        }
    }
    (ops, failure)
}

/// A failing case as a reproducer to read (and paste into a test).
pub fn reproducer(ops: &[Op], failure: &str) -> String {
    let mut out = String::from("workspace property failed; minimal sequence of edits:\n");
    for (step, op) in ops.iter().enumerate() {
        match op {
            Op::Write { name, text } => {
                let _ = writeln!(out, "  {step}: write {name}:\n{}", indent(text));
            }
            Op::Delete { name } => {
                let _ = writeln!(out, "  {step}: delete {name}");
            }
        }
    }
    let _ = write!(out, "{failure}");
    out
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("      | {l}\n")).collect()
}

fn run(ops: Vec<Op>) {
    if check_ops(&ops).is_err() {
        let (ops, failure) = shrink(ops);
        panic!("{}", reproducer(&ops, &failure));
    }
}

/// `cases` seeded runs of `ops` edits each.
pub fn run_seeded(seed: u64, cases: usize, ops: usize) {
    for case in 0..cases {
        let mut choices = Seeded(seed.wrapping_add(case as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
        run(generate(&mut choices, ops));
    }
}

/// The fuzz target's body: the bytes choose the edits.
pub fn run_bytes(data: &[u8]) {
    run(generate(&mut Bytes(data), 64));
}
