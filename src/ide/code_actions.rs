//! Code actions for the diagnostics that touch a range.
//!
//! First the fix attached to each diagnostic where its rule made it (the
//! same edits `check --fix` applies; see `crate::fix`), preferred.
//! Then the actions that need an editor user's choice or edit another file,
//! so they are no fix `check` could apply:
//!
//! - `uncited-figure`: "Cite @X" for each article or source that another
//!   figure with the same key already cites (most used first, and
//!   preferred), inserting `[@X]` right after the span's `}`;
//! - `unknown-entity` / `unknown-source`: "Create … stub" appending a
//!   definition block to the file that already holds the most blocks of
//!   that kind (else to this file), separated from what precedes it by a
//!   blank line;
//! - `unannotated-figure`: "Annotate as figure" wrapping the number phrase
//!   as `[TEXT]{fig=KEY}`, with KEY guessed from the words after it (see
//!   [`key_guesses`]);
//! - every finding: "Suppress `CODE` on this line", inserting
//!   `<!-- newsmark-disable-next-line CODE -->` on a line of its own before
//!   the finding's line (with that line's indentation, so a list item or
//!   paragraph continues: pandoc keeps a comment line inside a paragraph).
//!   In front matter or a definition block's fields, where a comment line
//!   would be read as a field, it is "Suppress `CODE` in this file" with
//!   `newsmark-disable-file` after the front matter (or at the top).

use std::collections::{BTreeSet, HashMap};

use super::lookup::span_plain_text;
use super::{CodeAction, SourceChange, TextEdit};
use crate::checks::file_diagnostics;
use crate::diagnostic::{Code, Diagnostic};
use crate::fix::Applicability;
use crate::syntax::{is_valid_id, BlockKind, SpanKind, TextRange};
use crate::workspace::{FileEntry, FileId, Namespace, Workspace};

/// At most this many "Cite @X" actions per figure.
const MAX_CITE_ACTIONS: usize = 5;
/// At most this many existing keys offered for one bare number.
const MAX_KEY_GUESSES: usize = 3;

pub fn code_actions(workspace: &Workspace, file: FileId, range: TextRange) -> Vec<CodeAction> {
    let Some(entry) = workspace.file(file) else { return Vec::new() };
    let mut actions = Vec::new();
    for diagnostic in file_diagnostics(workspace, file) {
        let d = &diagnostic.range;
        let intersects = d.start() <= range.end() && range.start() <= d.end();
        if !intersects {
            continue;
        }
        if let Some(fix) = &diagnostic.fix {
            actions.push(CodeAction {
                title: fix.title.clone(),
                change: SourceChange { edits: vec![(file, fix.edits.clone())] },
                fixes: Some(diagnostic.code),
                // The rule's own remedy, before the alternatives below.
                preferred: fix.applicability != Applicability::DisplayOnly,
            });
        }
        match diagnostic.code {
            Code::UncitedFigure => cite_actions(workspace, file, entry, &diagnostic, &mut actions),
            Code::UnknownEntity => stub_action(workspace, file, entry, &diagnostic, Namespace::Entity, &mut actions),
            Code::UnknownSource => stub_action(workspace, file, entry, &diagnostic, Namespace::Source, &mut actions),
            Code::UnannotatedFigure => annotate_actions(workspace, file, entry, &diagnostic, &mut actions),
            _ => {}
        }
        actions.extend(suppress_action(file, entry, &diagnostic));
    }
    actions
}

/// "Suppress this finding" (see the module comment); none for a finding
/// about a suppression comment itself.
fn suppress_action(file: FileId, entry: &FileEntry, diagnostic: &Diagnostic) -> Option<CodeAction> {
    let syntax = &*entry.syntax();
    let at = diagnostic.range.start();
    let in_comment = syntax.comments.iter().any(|c| c.start() <= at && at < c.end());
    if diagnostic.code == Code::UnusedSuppression || in_comment {
        return None;
    }
    let text: &str = &entry.text;
    let nl = if text.contains("\r\n") {
        "\r\n"
    } else if text.contains('\n') || !text.contains('\r') {
        "\n"
    } else {
        "\r"
    };
    let code = diagnostic.code;
    let line_start = text[..at.min(text.len())].rfind(['\n', '\r']).map_or(0, |p| p + 1);
    let in_front_matter = syntax.front_matter.as_ref().is_some_and(|fm| fm.range.contains(at));
    let in_fields = syntax.blocks.iter().any(|b| b.range.contains(at) && line_start > b.range.start());
    let (title, edit) = if in_front_matter || in_fields {
        // After the front matter's closing line (its range ends before the line break).
        let mut after = syntax.front_matter.as_ref().map_or(0, |fm| fm.range.end());
        let rest = &text[after..];
        after += if rest.starts_with("\r\n") { 2 } else { usize::from(rest.starts_with(['\n', '\r'])) };
        let before = if after > 0 && !text[..after].ends_with(['\n', '\r']) { nl } else { "" };
        let comment = format!("{before}<!-- newsmark-disable-file {code} -->{nl}");
        (format!("Suppress `{code}` in this file"), TextEdit::insert(after, comment))
    } else {
        let indent: String = text[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        let comment = format!("{indent}<!-- newsmark-disable-next-line {code} -->{nl}");
        (format!("Suppress `{code}` on this line"), TextEdit::insert(line_start, comment))
    };
    Some(CodeAction {
        title,
        change: SourceChange { edits: vec![(file, vec![edit])] },
        fixes: Some(code),
        preferred: false,
    })
}

fn single_edit(file: FileId, range: TextRange, new_text: String) -> SourceChange {
    SourceChange { edits: vec![(file, vec![TextEdit { range, new_text }])] }
}

fn cite_actions(
    workspace: &Workspace,
    file: FileId,
    entry: &FileEntry,
    diagnostic: &Diagnostic,
    out: &mut Vec<CodeAction>,
) {
    let syntax = entry.syntax();
    let Some(span) = syntax.spans.iter().find(|s| s.range == diagnostic.range) else { return };
    let SpanKind::Figure { key } = span.kind else { return };
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for loc in workspace.index().figures(syntax.text_of(&entry.text, key)) {
        let Some(figure) = workspace.file(loc.file).and_then(|e| e.analysis.figures.get(loc.item())) else { continue };
        let ids: BTreeSet<&str> = figure.citations.ids.iter().map(|&n| workspace.name(n)).collect();
        for id in ids {
            if !workspace.index().definitions(Namespace::Source, id).is_empty() {
                *counts.entry(id).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (rank, (id, _)) in ranked.into_iter().take(MAX_CITE_ACTIONS).enumerate() {
        let at = span.range.end();
        out.push(CodeAction {
            title: format!("Cite @{id}"),
            change: single_edit(file, TextRange::empty(at), format!("[@{id}]")),
            fixes: Some(Code::UncitedFigure),
            preferred: rank == 0,
        });
    }
}

fn stub_action(
    workspace: &Workspace,
    file: FileId,
    entry: &FileEntry,
    diagnostic: &Diagnostic,
    namespace: Namespace,
    out: &mut Vec<CodeAction>,
) {
    let Some(id) = entry.text.get(diagnostic.range.to_range()) else { return };
    if !is_valid_id(id) {
        return;
    }
    let code = diagnostic.code;
    let (kind, title) = match namespace {
        Namespace::Entity => (BlockKind::Entity, format!("Create entity stub `{id}`")),
        _ => (BlockKind::Source, format!("Create source stub `{id}`")),
    };
    let target = stub_file(workspace, kind).unwrap_or(file);
    let Some(target_entry) = workspace.file(target) else { return };
    let text: &str = &target_entry.text;
    // The file's own line ending: that of its first line break.
    let nl = match text.find(['\n', '\r']) {
        Some(i) if text[i..].starts_with("\r\n") => "\r\n",
        Some(i) if text[i..].starts_with('\r') => "\r",
        _ => "\n",
    };
    let fields = match kind {
        BlockKind::Entity => format!("name: {}{nl}kind: {nl}", entity_name(workspace, entry, diagnostic, id)),
        _ => format!("title: {nl}outlet: {nl}url: {nl}"),
    };
    let blank_before = ["\n\n", "\r\n\r\n", "\r\r"].iter().any(|end| text.ends_with(end));
    let separator = if text.is_empty() || blank_before {
        String::new()
    } else if text.ends_with('\n') || text.ends_with('\r') {
        nl.to_string()
    } else {
        // No line break at the end: one to end the line, one blank line.
        nl.repeat(2)
    };
    // Pandoc's attribute form, so that stock pandoc renders the stub as a div.
    let block = format!("{separator}::: {{.{} #{id}}}{nl}{fields}:::{nl}", kind.as_str());
    out.push(CodeAction {
        title,
        change: single_edit(target, TextRange::empty(text.len()), block),
        fixes: Some(code),
        preferred: false,
    });
}

/// The file holding the most definition blocks of `kind` (the first such
/// file on a tie); None when no file has one. Counted from the records:
/// a block without an id defines nothing and does not count.
fn stub_file(workspace: &Workspace, kind: BlockKind) -> Option<FileId> {
    let namespace = super::lookup::namespace_of(kind);
    workspace
        .file_ids()
        .filter_map(|file| {
            let definitions = &workspace.file(file)?.analysis.definitions;
            let count = definitions.iter().filter(|d| d.block.is_some() && d.namespace == namespace).count();
            (count > 0).then_some((count, std::cmp::Reverse(file)))
        })
        .max()
        .map(|(_, std::cmp::Reverse(file))| file)
}

/// The text of the mention the diagnostic is on; for a quote's speaker,
/// the text of any mention of that id in the workspace; else nothing.
fn entity_name(workspace: &Workspace, entry: &FileEntry, diagnostic: &Diagnostic, id: &str) -> String {
    let own = entry.analysis.mentions.iter().find(|m| m.entity.range == diagnostic.range);
    let (mention_entry, mention) = match own {
        Some(m) => (entry, m),
        None => {
            let found = workspace.index().mentions(id).iter().find_map(|loc| {
                let e = workspace.file(loc.file)?;
                Some((e, e.analysis.mentions.get(loc.item())?))
            });
            match found {
                Some(found) => found,
                None => return String::new(),
            }
        }
    };
    // The mention's TEXT, from its file's tree (rebuilt when closed).
    let syntax = mention_entry.syntax();
    match syntax.spans.get(mention.span) {
        Some(span) => span_plain_text(mention_entry, &syntax, span.text_range),
        None => String::new(),
    }
}

fn annotate_actions(
    workspace: &Workspace,
    file: FileId,
    entry: &FileEntry,
    diagnostic: &Diagnostic,
    out: &mut Vec<CodeAction>,
) {
    let Some(phrase) = entry.text.get(diagnostic.range.to_range()) else { return };
    let after = entry.text.get(diagnostic.range.end()..).unwrap_or("");
    for key in key_guesses(workspace, after) {
        out.push(CodeAction {
            title: format!("Annotate as figure `{key}`"),
            change: single_edit(file, diagnostic.range, format!("[{phrase}]{{fig={key}}}")),
            fixes: Some(Code::UnannotatedFigure),
            preferred: false,
        });
    }
}

/// Words that do not name what a number counts ("400 of the troops",
/// "400 more troops").
const FILLER_WORDS: [&str; 14] =
    ["of", "the", "a", "an", "more", "new", "other", "additional", "extra", "further", "so", "or", "and", "to"];

/// The KEY for annotating a bare number, from the text after it.
///
/// Rule: within the same clause (up to the first `.`, `,`, `;`, `:`, `!`,
/// `?`, bracket, quote mark or line break), the first of the next three
/// words that is not a filler word ("of", "the", "more", …) names the
/// quantity: "400 personnel" → `personnel`, "400 of the troops" → `troops`.
/// The word is lowercased and kept to id characters. When keys already in
/// the workspace (from `::: quantity` blocks or figures) equal that word or
/// end in `.word`, those are offered instead (up to three, sorted). With no
/// usable word the key is `figure`, to be edited.
pub(crate) fn key_guesses(workspace: &Workspace, after: &str) -> Vec<String> {
    let clause_end = after
        .find(|c: char| {
            matches!(
                c,
                '.' | ',' | ';' | ':' | '!' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '"' | '“' | '”' | '\n' | '\r'
            )
        })
        .unwrap_or(after.len());
    let word = after[..clause_end]
        .split_whitespace()
        .take(3)
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                .collect::<String>()
        })
        .find(|w| !w.is_empty() && !FILLER_WORDS.contains(&w.as_str()) && is_valid_id(w));
    let Some(word) = word else { return vec!["figure".to_string()] };
    let index = workspace.index();
    let mut known: BTreeSet<&str> = index.figure_keys().map(|key| workspace.name(key)).collect();
    known.extend(index.defined(Namespace::Quantity).map(|(id, _)| id));
    let dotted = format!(".{word}");
    let matching: Vec<String> = known
        .into_iter()
        .filter(|k| *k == word || k.ends_with(&dotted))
        .take(MAX_KEY_GUESSES)
        .map(str::to_string)
        .collect();
    if matching.is_empty() {
        vec![word]
    } else {
        matching
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{fixture, world, Fixture, WORLD};
    use super::super::lookup::short_name;
    use super::*;

    /// "title [fixes, preferred]" and each changed file after the change;
    /// the "Suppress" actions (on every finding) only in `suppressions`.
    fn actions(f: &Fixture) -> Vec<String> {
        rendered(f, |a| !a.title.starts_with("Suppress "))
    }

    fn suppressions(f: &Fixture) -> Vec<String> {
        rendered(f, |a| a.title.starts_with("Suppress "))
    }

    fn rendered(f: &Fixture, keep: impl Fn(&CodeAction) -> bool) -> Vec<String> {
        code_actions(&f.workspace, f.file, f.range)
            .into_iter()
            .filter(|a| keep(a))
            .map(|a| {
                let mut out = format!(
                    "{} [{}{}]",
                    a.title,
                    a.fixes.map_or("-", |c| c.as_str()),
                    if a.preferred { ", preferred" } else { "" }
                );
                for (file, edits) in &a.change.edits {
                    out.push_str(&format!("\n== {}\n{}", short_name(&f.workspace, *file), f.apply(*file, edits)));
                }
                out
            })
            .collect()
    }

    #[test]
    fn cite_the_sources_other_figures_of_the_key_cite_most_used_first() {
        let f = fixture(
            "//- /a.news.md\n[1]{fig=k}[@x] [2]{fig=k}[@y; @x] [3]{fig=k}[@nowhere] [4]{fig=other}[@z]\n\n\
             The count is [5$0]{fig=k}.\n\
             //- /s.news.md\n::: source x\n:::\n::: source y\n:::\n::: source z\n:::\n",
        );
        let found = actions(&f);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with("Cite @x [uncited-figure, preferred]\n== a.news.md\n"), "{}", found[0]);
        assert!(found[0].ends_with("The count is [5]{fig=k}[@x].\n"), "{}", found[0]);
        assert!(found[1].starts_with("Cite @y [uncited-figure]\n"), "{}", found[1]);
    }

    #[test]
    fn the_fix_attached_to_a_finding_is_offered() {
        let f = fixture("[“Hi”]{by=“$0e”}[@s] 😀\r\n\r\n::: entity e\r\n:::\r\n::: source s\r\n:::\r\n");
        assert_eq!(
            actions(&f),
            ["Use straight quotes `\"` [malformed-markup, preferred]\n== main.news.md\n\
              [“Hi”]{by=\"e\"}[@s] 😀\r\n\r\n::: entity e\r\n:::\r\n::: source s\r\n:::\r\n"]
        );
    }

    #[test]
    fn suppress_a_finding_on_its_line_keeping_indentation_and_line_breaks() {
        let f = fixture("Intro.\r\n\r\n  Later [5$0]{fig=k} 😀\r\n");
        assert_eq!(
            suppressions(&f),
            ["Suppress `uncited-figure` on this line [uncited-figure]\n== main.news.md\n\
              Intro.\r\n\r\n  <!-- newsmark-disable-next-line uncited-figure -->\r\n  Later [5]{fig=k} 😀\r\n"]
        );
        // The suppression works: applied, the finding is gone and the
        // comment is used.
        let applied = fixture(
            "Intro.\r\n\r\n  <!-- newsmark-disable-next-line uncited-figure -->\r\n  Later [5$0]{fig=k} 😀\r\n",
        );
        assert!(file_diagnostics(&applied.workspace, applied.file).is_empty());
    }

    #[test]
    fn suppress_in_front_matter_or_block_fields_is_for_the_file() {
        let f = fixture("---\nid: a\npublished: 2020-1$03-45\n---\nText.\n");
        assert_eq!(
            suppressions(&f),
            ["Suppress `invalid-attribute` in this file [invalid-attribute]\n== main.news.md\n\
              ---\nid: a\npublished: 2020-13-45\n---\n<!-- newsmark-disable-file invalid-attribute -->\nText.\n"]
        );
        let f = fixture("::: source s\npublished: no$0pe\n:::\n");
        assert_eq!(
            suppressions(&f),
            ["Suppress `invalid-attribute` in this file [invalid-attribute]\n== main.news.md\n\
              <!-- newsmark-disable-file invalid-attribute -->\n::: source s\npublished: nope\n:::\n"]
        );
    }

    #[test]
    fn no_citation_to_offer_without_other_figures() {
        let f = fixture("[5$0]{fig=lonely}\n");
        assert!(actions(&f).is_empty());
    }

    #[test]
    fn unknown_entity_did_you_mean_and_stub_in_the_entities_file() {
        let f = fixture(&WORLD.replacen("{ent=stoltenberg} said", "{ent=stolten$0burg} said", 1));
        let found = actions(&f);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with("Replace with `stoltenberg` [unknown-entity, preferred]\n== ap.news.md\n"));
        assert!(found[0].contains("[Jens Stoltenberg]{ent=stoltenberg} said"));
        assert!(found[1].starts_with("Create entity stub `stoltenburg` [unknown-entity]\n== entities.news.md\n"));
        assert!(
            found[1]
                .ends_with("kind: country\n:::\n\n::: {.entity #stoltenburg}\nname: Jens Stoltenberg\nkind: \n:::\n"),
            "{}",
            found[1]
        );
    }

    #[test]
    fn stub_goes_to_the_current_file_when_no_file_has_blocks_of_that_kind() {
        // No line break at the end of the file: one is added, and a blank
        // line. A speaker's name comes from a mention of the same id.
        let f = fixture("[“Hi”]{by=$0nobody} and [Nobody]{ent=nobody}");
        assert_eq!(
            actions(&f),
            ["Create entity stub `nobody` [unknown-entity]\n== main.news.md\n\
              [“Hi”]{by=nobody} and [Nobody]{ent=nobody}\n\n::: {.entity #nobody}\nname: Nobody\nkind: \n:::\n"]
        );
        let f = fixture("Crowds [@s$0rc]\r\n");
        assert_eq!(
            actions(&f),
            ["Create source stub `src` [unknown-source]\n== main.news.md\n\
              Crowds [@src]\r\n\r\n::: {.source #src}\r\ntitle: \r\noutlet: \r\nurl: \r\n:::\r\n"]
        );
        // Lone CR (classic Mac) line endings stay lone CRs (#14 item 11).
        let f = fixture("Crowds\r[@s$0rc]\r");
        assert_eq!(
            actions(&f),
            ["Create source stub `src` [unknown-source]\n== main.news.md\n\
              Crowds\r[@src]\r\r::: {.source #src}\rtitle: \routlet: \rurl: \r:::\r"]
        );
    }

    #[test]
    fn unknown_source_did_you_mean_and_stub_in_the_sources_file() {
        let f = fixture(
            "//- /a.news.md\n[1]{fig=k}[@reuters-2020-02-21$0]\n\n::: entity e\n:::\n\
             //- /s.news.md\n::: source reuters-2020-02-12\n:::\n\n",
        );
        assert_eq!(
            actions(&f),
            [
                "Replace with `@reuters-2020-02-12` [unknown-source, preferred]\n== a.news.md\n\
                 [1]{fig=k}[@reuters-2020-02-12]\n\n::: entity e\n:::\n",
                "Create source stub `reuters-2020-02-21` [unknown-source]\n== s.news.md\n\
                 ::: source reuters-2020-02-12\n:::\n\n::: {.source #reuters-2020-02-21}\ntitle: \noutlet: \nurl: \n:::\n",
            ]
        );
    }

    #[test]
    fn annotate_a_bare_number_with_a_key_from_the_next_word() {
        let f = world("with $0250 soldiers.");
        assert_eq!(
            actions(&f).iter().map(|a| a.lines().next().unwrap_or("")).collect::<Vec<_>>(),
            ["Annotate as figure `soldiers` [unannotated-figure]"]
        );
        assert!(actions(&f)[0].ends_with("Canada leads the mission with [250]{fig=soldiers} soldiers.\n"));
        // An existing key ending in `.personnel` is offered instead.
        let f = fixture("About $0400 of the personnel left.\n\n[5]{fig=nato-iraq.personnel}[@x]\n");
        assert_eq!(
            actions(&f)[0],
            "Annotate as figure `nato-iraq.personnel` [unannotated-figure]\n== main.news.md\n\
             [About 400]{fig=nato-iraq.personnel} of the personnel left.\n\n[5]{fig=nato-iraq.personnel}[@x]\n"
        );
        // Nothing after the number to name it.
        let f = fixture("They counted 1,200$0.\n");
        assert_eq!(actions(&f)[0].lines().next(), Some("Annotate as figure `figure` [unannotated-figure]"));
    }

    #[test]
    fn only_diagnostics_in_the_range() {
        let f = fixture("There were 300$0 troops and$0 nothing else. Later 400 soldiers.\n");
        assert_eq!(actions(&f).len(), 1, "the range touches the end of `300` only");
        let f = fixture("Far away$0 from 300 troops.\n");
        assert!(actions(&f).is_empty());
    }

    #[test]
    fn key_guess_rule() {
        let ws = fixture("x\n").workspace;
        assert_eq!(key_guesses(&ws, " personnel were sent"), ["personnel"]);
        assert_eq!(key_guesses(&ws, " more troops"), ["troops"]);
        assert_eq!(key_guesses(&ws, " of the Soldiers’ families"), ["soldiers"]);
        assert_eq!(key_guesses(&ws, ", troops"), ["figure"]);
        assert_eq!(key_guesses(&ws, " 士兵"), ["figure"]);
    }
}
