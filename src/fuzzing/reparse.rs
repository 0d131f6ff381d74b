//! The incremental re-parse property (`syntax::incremental`): after every
//! random edit of a generated document, the re-parsed tree equals a parse
//! from scratch in every field, and the file's records and diagnostics in
//! a workspace edited through `set_open_file` equal those of a fresh
//! analysis and check. Run by `cargo
//! test` (`tests/reparse_property.rs`) and the fuzz target
//! `incremental_edits`.
//!
//! Documents are lines drawn from the constructs whose reading reaches
//! across blank lines or depends on what follows (code fences, `:::` divs
//! and definition blocks, `<!--`, block quotes, lists, indented code,
//! definition lists, tables, setext headings, front matter), with LF, CRLF
//! and lone-CR line breaks; edits insert, delete or replace lines and
//! pieces of them at random places.

use std::sync::Arc;

use crate::checks::file_diagnostics;
use crate::config::Config;
use crate::syntax::incremental::{reparse_changed, Reparse};
use crate::syntax::parse;
use crate::text_change::{KnownChange, TextChange};
use crate::workspace::analysis::analyse;
use crate::workspace::property::{Bytes, Choices, Seeded};
use crate::workspace::{FileAnalysis, FileId, Index, Workspace};

const LINES: &[&str] = &[
    "",
    "",
    "",
    "Some prose with [Stoltenberg]{ent=stoltenberg} and 42 in it.",
    "<div class=\"embed\">",
    "</div>",
    "<p>Said [500]{fig=iraq.troops} there.</p>",
    "<pre>",
    "</pre>",
    "- \t[a tabbed item]{ent=nato}",
    "There were [about 500 troops]{fig=iraq.troops}[@wire-1] there.",
    "[“We will stay,” he said]{by=stoltenberg}[@wire-2]",
    "A free citation [see @wire-1, p. 4] for the paragraph.",
    "More “prose” — with é and 漢字 and a [nested [x]{ent=nato} span]{by=nato}.",
    "```",
    "~~~",
    "```` ",
    ":::",
    "::: note",
    "::: {.entity #stoltenberg}",
    "::: source wire-1",
    "::: {.quantity #iraq.troops}",
    "name: Jens Stoltenberg",
    "published: 2020-02-13",
    "<!--",
    "-->",
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "\t",
    "<!-- newsmark-disable-next-line uncited-figure -->",
    "text <!-- open comment",
    "> A quote with [500 troops]{fig=iraq.troops}.",
    "> ",
    ">",
    "- an item [x]{ent=nato}",
    "  continued item",
    "1. first",
    "    indented code [x]{ent=y}",
    "\tcode after a tab",
    "Term",
    ": its definition [200]{fig=iraq.cost}",
    "| a | [b]{ent=nato} |",
    "|---|---|",
    "Table: a caption",
    "---",
    "id: wire-1",
    "Title",
    "=====",
    "# A heading [x]{ent=nato}",
    "[^1]: a footnote [x]{ent=nato}",
    "    footnote continued",
    "[unclosed {ent=",
    "text `code",
    "| line block",
    // Grid tables: a cell's lines in one row are one block.
    "+--------------+------+",
    "| [5]{fig=a.b} | x    |",
    "| [@wire-1]    | [6]{fig=a.b} |",
    "+==============+======+",
    "+--------------+------+\n| [5]{fig=a.b} | x    |\n| [@wire-1]    | [6]{fig=a.b} |\n+--------------+------+",
    // Simple and multiline tables: a dash line ends one, and a multiline
    // table runs across blank lines to its closing dash line.
    "------------ ------------",
    "[7]{fig=a.b}   [@wire-1] x",
    "-------------------------",
    // Values whose text differs from their bytes (the tree's side table).
    "[a \\\"quoted\\\" one]{ent=nato note=\"say \\\"hi\\\"\"}",
    "[escaped key]{fig=iraq\\.troops value=\"5\\00\"}[see \\\\ @wire-1, p. \\4]",
    "> [a quote running]{by=\"stolten",
    "> berg\"}[@wire-1]",
];

const PIECES: &[&str] = &[
    "\n",
    "\n\n",
    "```",
    "~~~",
    ":::",
    "<!--",
    "-->",
    "> ",
    "- ",
    "    ",
    "[",
    "]",
    "{",
    "}",
    "]{ent=nato}",
    "@",
    "`",
    "x",
    " ",
    "\r\n",
    "\r",
    "---\n",
    "é",
    "“",
    "|",
    "+--",
];

const BREAKS: &[&str] = &["\n", "\n", "\n", "\n", "\r\n", "\r"];

fn document(choices: &mut impl Choices) -> Option<String> {
    let mut text = String::new();
    if choices.below(3)? == 0 {
        text.push_str("---\nid: wire-1\npublished: 2020-02-13\n---\n\n");
    }
    let breaks = BREAKS[choices.below(BREAKS.len())?];
    for _ in 0..choices.below(40)? + 5 {
        text.push_str(LINES[choices.below(LINES.len())?]);
        text.push_str(if choices.below(20)? == 0 { BREAKS[choices.below(BREAKS.len())?] } else { breaks });
    }
    Some(text)
}

/// A char boundary of `text` chosen by `choices`.
fn boundary(choices: &mut impl Choices, text: &str) -> Option<usize> {
    let mut at = choices.below(text.len() + 1)?;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    Some(at)
}

fn edit(choices: &mut impl Choices, text: &str) -> Option<String> {
    let at = boundary(choices, text)?;
    let mut end = (at + choices.below(24)?).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let insert = match choices.below(4)? {
        0 => String::new(),
        1 => format!("{}\n", LINES[choices.below(LINES.len())?]),
        _ => PIECES[choices.below(PIECES.len())?].to_string(),
    };
    // Deleting: up to 24 bytes, or nothing when inserting.
    let end = if insert.is_empty() || choices.below(3)? == 0 { end } else { at };
    let mut new = String::with_capacity(text.len() + insert.len());
    new.push_str(&text[..at]);
    new.push_str(&insert);
    new.push_str(&text[end..]);
    Some(new)
}

/// `change` grown by a few equal bytes at either end, as an editor's
/// change may be (a replaced word typed again).
fn widened(choices: &mut impl Choices, change: TextChange, old: &str) -> TextChange {
    let Some(before) = choices.below(4) else { return change };
    let Some(after) = choices.below(4) else { return change };
    let tail = (old.len() - change.old_end).min(after);
    TextChange {
        start: change.start.saturating_sub(before),
        old_end: change.old_end + tail,
        new_end: change.new_end + tail,
    }
}

/// How the re-parses of a run were made: the property is not vacuous when
/// most of them read only a piece.
#[derive(Debug, Default, Clone, Copy)]
pub struct ReparseStats {
    pub spliced: usize,
    pub whole: usize,
    /// Edits that read less than the whole new text.
    pub partial: usize,
    /// Bytes read again, and bytes of the edited texts, over all edits.
    pub read: usize,
    pub total: usize,
}

/// One document and `edits` edits of it; the first difference as a message.
pub fn check_reparse(choices: &mut impl Choices, edits: usize) -> Result<ReparseStats, String> {
    let mut stats = ReparseStats::default();
    let Some(mut text) = document(choices) else { return Ok(stats) };
    let mut tree = parse(&text);
    let name = "edited.news.md";
    let other = ("other.news.md".to_string(), "::: entity nato\n:::\n\n[N]{ent=stoltenberg}\n".to_string());
    let mut workspace = Workspace::from_files(Config::default(), vec![(name.into(), text.clone()), other.clone()]);
    // The text the workspace was given last, to say what changed from it.
    let mut given: Option<Arc<str>> = None;
    for step in 0..edits {
        let Some(new_text) = edit(choices, &text) else { break };
        // An editor's change may cover bytes it left equal: widened here.
        let change = widened(choices, TextChange::between(&text, &new_text), &text);
        let (new_tree, how) = reparse_changed(&text, tree, &new_text, change);
        stats.total += new_text.len();
        match how {
            Reparse::Spliced { new, .. } => {
                stats.spliced += 1;
                stats.read += new.len();
                stats.partial += usize::from(new.len() < new_text.len());
            }
            Reparse::Whole => {
                stats.whole += 1;
                stats.read += new_text.len();
            }
        }
        let fresh = parse(&new_text);
        if new_tree != fresh {
            return Err(format!(
                "after edit {step} ({how:?}) the re-parsed tree differs from a fresh parse\n\
                 old text: {text:?}\nnew text: {new_text:?}\n{}",
                first_difference(&format!("{new_tree:#?}"), &format!("{fresh:#?}"))
            ));
        }
        // As an editor's open document: its tree is kept, so set_file
        // re-parses it incrementally.
        let shared: Arc<str> = Arc::from(new_text.as_str());
        let known = given.take().map(|from| KnownChange { from, change });
        workspace.set_open_file(name, shared.clone(), known.as_ref());
        given = Some(shared);
        // The records spliced along the cut (`analysis::analyse_spliced`)
        // equal a fresh analysis in every field (same interner: same names).
        let entry = workspace.entry(workspace.file_id(name).expect("the edited file"));
        let spliced = format!("{:#?}", entry.analysis);
        let fresh = format!("{:#?}", analyse(&new_text, workspace.config(), workspace.names()));
        if spliced != fresh {
            return Err(format!(
                "after edit {step} ({how:?}) the spliced analysis differs from a fresh one\n\
                 old text: {text:?}\nnew text: {new_text:?}\n{}",
                first_difference(&spliced, &fresh)
            ));
        }
        // The index, updated along the cut (`Index::splice`), equals one
        // built from scratch from the same records.
        let in_order: Vec<(FileId, &FileAnalysis)> =
            workspace.files_in_path_order().iter().map(|&f| (f, &*workspace.entry(f).analysis)).collect();
        if !workspace.index().same_lists(&Index::build(workspace.index().names().clone(), &in_order)) {
            return Err(format!(
                "after edit {step} ({how:?}) the index differs from one built from scratch\n\
                 old text: {text:?}\nnew text: {new_text:?}\n{:#?}",
                workspace.index()
            ));
        }
        let fresh_workspace =
            Workspace::from_files(Config::default(), vec![(name.into(), new_text.clone()), other.clone()]);
        for file in [name, other.0.as_str()] {
            let shown = |w: &Workspace| format!("{:#?}", file_diagnostics(w, w.file_id(file).expect("a file")));
            if shown(&workspace) != shown(&fresh_workspace) {
                return Err(format!(
                    "after edit {step}, {file}: diagnostics differ from a fresh check\nnew text: {new_text:?}\n{}",
                    first_difference(&shown(&workspace), &shown(&fresh_workspace))
                ));
            }
        }
        text = new_text;
        tree = new_tree;
    }
    Ok(stats)
}

fn first_difference(got: &str, want: &str) -> String {
    let at = got.lines().zip(want.lines()).position(|(a, b)| a != b).unwrap_or(0);
    let window = |s: &str| s.lines().skip(at.saturating_sub(8)).take(16).collect::<Vec<_>>().join("\n");
    format!("incremental (from line {at}):\n{}\nfresh:\n{}", window(got), window(want))
}

/// `cases` seeded documents of `edits` edits each; panics with the first failure.
pub fn reparse_seeded(seed: u64, cases: usize, edits: usize) -> ReparseStats {
    let mut total = ReparseStats::default();
    for case in 0..cases {
        let mut choices = Seeded(seed.wrapping_add(case as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
        match check_reparse(&mut choices, edits) {
            Ok(stats) => {
                total.spliced += stats.spliced;
                total.whole += stats.whole;
                total.partial += stats.partial;
                total.read += stats.read;
                total.total += stats.total;
            }
            Err(failure) => panic!("reparse property, seed {seed}, case {case}:\n{failure}"),
        }
    }
    total
}

/// The fuzz target's part: the bytes choose the document and the edits.
pub fn reparse_bytes(data: &[u8]) {
    if let Err(failure) = check_reparse(&mut Bytes(data), 32) {
        panic!("reparse property:\n{failure}");
    }
}
