//! Completion of ids while typing. The markup is usually incomplete at that
//! moment, so the raw text before the cursor decides, not the parse:
//!
//! - `@` after `[`, `;`, `-`, white space or at the start of the text →
//!   articles and sources;
//! - `ent=` or `by=` (after `{` or white space, value optionally opened
//!   with `"`) → entities;
//! - `fig=` → quantity keys, from `::: quantity` blocks and from figures.
//!
//! The partial id typed so far is the replace range, and filters the
//! items by prefix, ignoring case. Items are sorted by id, one per id, at
//! most `MAX_COMPLETIONS` of them.

use super::lookup::{block_of, field, md, plural};
use super::{CompletionItem, CompletionKind};
use crate::base::TextRange;
use crate::line_index::floor_char_boundary;
use crate::workspace::{FileId, Loc, Namespace, Workspace};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Context {
    Source,
    Entity,
    Key,
}

fn is_id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')
}

/// What is being completed, and where the partial id starts.
fn context(text: &str, offset: usize) -> Option<(Context, usize)> {
    let offset = floor_char_boundary(text, offset);
    let bytes = text.as_bytes();
    let mut start = offset;
    while start > 0 && is_id_byte(bytes[start - 1]) {
        start -= 1;
    }
    let before = &text[..start];
    if let Some(rest) = before.strip_suffix('@') {
        let ok = match rest.chars().next_back() {
            None => true,
            Some(c) => c.is_whitespace() || matches!(c, '[' | ';' | '-'),
        };
        return ok.then_some((Context::Source, start));
    }
    let before = before.strip_suffix('"').unwrap_or(before);
    for (attr, context) in [("ent=", Context::Entity), ("by=", Context::Entity), ("fig=", Context::Key)] {
        if let Some(rest) = before.strip_suffix(attr) {
            let ok = rest.chars().next_back().is_some_and(|c| c == '{' || c.is_whitespace());
            if ok {
                return Some((context, start));
            }
        }
    }
    None
}

/// At most this many items are offered: the first by id of those that
/// match what was typed. The list is then marked incomplete, so the editor
/// asks again as the user types more (a workspace of a million entities
/// must not send a million items per keystroke).
pub const MAX_COMPLETIONS: usize = 200;

/// The items for the cursor, and whether some were left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompletionList {
    pub items: Vec<CompletionItem>,
    pub is_incomplete: bool,
}

pub fn completion(workspace: &Workspace, file: FileId, offset: usize) -> Vec<CompletionItem> {
    completion_list(workspace, file, offset).items
}

pub fn completion_list(workspace: &Workspace, file: FileId, offset: usize) -> CompletionList {
    let Some(entry) = workspace.file(file) else { return CompletionList::default() };
    let Some((context, start)) = context(&entry.text, offset.min(entry.text.len())) else {
        return CompletionList::default();
    };
    let end = floor_char_boundary(&entry.text, offset);
    let partial = entry.text[start..end].to_lowercase();
    let replace_range = TextRange::new(start, end);
    let matches = |label: &str| label.to_lowercase().starts_with(&partial);
    let index = workspace.index();
    let wanted = match context {
        Context::Source => Namespace::Source,
        Context::Entity => Namespace::Entity,
        Context::Key => Namespace::Quantity,
    };
    // The matching labels first, then only the first MAX_COMPLETIONS by id are described.
    let mut labels: Vec<(&str, Option<&[Loc]>)> =
        index.defined(wanted).filter(|(id, _)| matches(id)).map(|(id, locs)| (id, Some(locs))).collect();
    if context == Context::Key {
        // Keys stated by figures but defined by no block.
        let undefined = index.figure_keys().filter(|k| index.definitions_of(Namespace::Quantity, *k).is_empty());
        labels.extend(undefined.map(|k| workspace.name(k)).filter(|k| matches(k)).map(|k| (k, None)));
    }
    let is_incomplete = labels.len() > MAX_COMPLETIONS;
    if is_incomplete {
        labels.select_nth_unstable_by(MAX_COMPLETIONS - 1, |a, b| a.0.cmp(b.0));
        labels.truncate(MAX_COMPLETIONS);
    }
    labels.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let item = |label: &str, kind: CompletionKind, detail: String, documentation: String| CompletionItem {
        label: label.to_string(),
        kind,
        detail,
        documentation,
        replace_range,
    };
    let mut items = Vec::with_capacity(labels.len());
    for (id, locs) in labels {
        let first = locs.and_then(|locs| locs.iter().min_by_key(|l| workspace.order().key(l)));
        let definition = first.and_then(|loc| {
            let def_entry = workspace.file(loc.file)?;
            Some((def_entry, def_entry.analysis.definitions.get(loc.item())?))
        });
        if context == Context::Key {
            let block = definition.and_then(|(e, d)| block_of(e, d));
            let used = index.figures(id).len();
            let detail = match (block.and_then(|b| field(b, "label")), block.and_then(|b| field(b, "unit"))) {
                _ if locs.is_none() => "no `::: quantity` block".to_string(),
                (Some(label), Some(unit)) => format!("{label} ({unit})"),
                (Some(text), None) | (None, Some(text)) => text.to_string(),
                (None, None) => "quantity".to_string(),
            };
            items.push(item(id, CompletionKind::QuantityKey, detail, format!("Stated by {}", plural(used, "figure"))));
            continue;
        }
        let Some((def_entry, definition)) = definition else { continue };
        match (context, block_of(def_entry, definition)) {
            (Context::Entity, Some(block)) => {
                let detail =
                    [field(block, "kind"), field(block, "role")].into_iter().flatten().collect::<Vec<_>>().join(" — ");
                let documentation = [field(block, "name"), field(block, "about")]
                    .into_iter()
                    .flatten()
                    .map(md)
                    .collect::<Vec<_>>()
                    .join("\n\n");
                items.push(item(id, CompletionKind::Entity, detail, documentation));
            }
            (_, Some(block)) => {
                let detail =
                    [field(block, "outlet"), field(block, "published")].into_iter().flatten().collect::<Vec<_>>();
                let detail = if detail.is_empty() { "source".to_string() } else { detail.join(", ") };
                items.push(item(id, CompletionKind::Source, detail, field(block, "title").map(md).unwrap_or_default()));
            }
            (_, None) => {
                let article = def_entry.analysis.article.as_ref();
                let published = article.and_then(|a| a.published).map(|d| d.to_string());
                let detail: Vec<String> =
                    [article.and_then(|a| a.outlet.clone()), published].into_iter().flatten().collect();
                let detail = if detail.is_empty() { "article".to_string() } else { detail.join(", ") };
                let title = article.and_then(|a| a.title.as_deref()).map(md).unwrap_or_default();
                items.push(item(id, CompletionKind::Article, detail, title));
            }
        }
    }
    CompletionList { items, is_incomplete }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{fixture, world_typing, Fixture};
    use super::*;

    /// A million-entity registry must not send a million items: the first
    /// `MAX_COMPLETIONS` by id, marked incomplete; typing more narrows it
    /// to a complete list.
    #[test]
    fn long_lists_are_capped_and_marked_incomplete() {
        let registry: String = (0..500).map(|i| format!("::: entity person-{i:03}\n:::\n\n")).collect();
        let article = "[Someone]{ent=".to_string();
        let workspace = crate::workspace::Workspace::from_files(
            crate::config::Config::default(),
            vec![("r.news.md".into(), registry), ("a.news.md".into(), article.clone())],
        );
        let file = workspace.file_id("a.news.md").unwrap();
        let list = completion_list(&workspace, file, article.len());
        assert!(list.is_incomplete);
        let labels: Vec<&str> = list.items.iter().map(|i| i.label.as_str()).collect();
        let expected: Vec<String> = (0..MAX_COMPLETIONS).map(|i| format!("person-{i:03}")).collect();
        assert_eq!(labels, expected);

        let typed = format!("{article}person-49");
        let workspace = crate::workspace::Workspace::from_files(
            crate::config::Config::default(),
            vec![
                ("r.news.md".into(), (0..500).map(|i| format!("::: entity person-{i:03}\n:::\n\n")).collect()),
                ("a.news.md".into(), typed.clone()),
            ],
        );
        let list = completion_list(&workspace, workspace.file_id("a.news.md").unwrap(), typed.len());
        assert!(!list.is_incomplete);
        assert_eq!(list.items.len(), 10, "person-490 … person-499");
    }

    /// "label (detail) replacing \"partial\"" per item.
    fn complete(f: &Fixture) -> Vec<String> {
        completion(&f.workspace, f.file, f.offset)
            .into_iter()
            .map(|i| format!("{} ({}) replacing {:?}", i.label, i.detail, &f.text(f.file)[i.replace_range]))
            .collect()
    }

    /// The world with `typed` (holding `$0`) appended to the ap article.
    fn typing(typed: &str) -> Vec<String> {
        complete(&world_typing("with 250 soldiers.", typed))
    }

    #[test]
    fn sources_and_articles_after_at() {
        assert_eq!(
            typing(" [@$0"),
            [
                "ap-2020-02-13 (Associated Press, 2020-02-13) replacing \"\"",
                "forces-news-2020-02-12 (Forces News, 2020-02-12) replacing \"\"",
                "reuters-2020-02-12 (Reuters, 2020-02-12) replacing \"\"",
            ]
        );
        assert_eq!(typing(" [see @RE$0"), ["reuters-2020-02-12 (Reuters, 2020-02-12) replacing \"RE\""]);
        assert_eq!(
            typing(" [@x; @forces-n$0"),
            ["forces-news-2020-02-12 (Forces News, 2020-02-12) replacing \"forces-n\""]
        );
        assert_eq!(typing(" [-@a$0"), ["ap-2020-02-13 (Associated Press, 2020-02-13) replacing \"a\""]);
    }

    #[test]
    fn item_documentation_is_the_title_and_kind_says_what_it_is() {
        let f = fixture("[@reu$0\n::: source reuters\ntitle: A *big* story\n:::\n");
        let items = completion(&f.workspace, f.file, f.offset);
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].detail, "source", "no outlet or date");
        assert_eq!(items[0].documentation, "A \\*big\\* story");
        assert_eq!(items[0].kind, CompletionKind::Source);
        let f = world_typing("with 250 soldiers.", " [@ap$0");
        let items = completion(&f.workspace, f.file, f.offset);
        assert_eq!(items[0].kind, CompletionKind::Article);
        assert_eq!(items[0].documentation, "Iraq green-lights resumption of NATO training effort");
        let f = world_typing("with 250 soldiers.", " [x]{ent=stol$0");
        let items = completion(&f.workspace, f.file, f.offset);
        assert_eq!(
            items[0].documentation,
            "Jens Stoltenberg\n\nNorwegian politician, former prime minister of Norway."
        );
    }

    #[test]
    fn no_citation_completion_inside_words() {
        assert!(typing(" desk@a$0").is_empty());
        assert!(typing(" plain text$0").is_empty());
    }

    #[test]
    fn entities_after_ent_and_by() {
        assert_eq!(
            typing(" [Jens]{ent=$0"),
            [
                "iraq (country) replacing \"\"",
                "nato (organisation) replacing \"\"",
                "stoltenberg (person — Secretary General of NATO) replacing \"\"",
            ]
        );
        assert_eq!(typing(" [“Yes”]{by=Sto$0"), ["stoltenberg (person — Secretary General of NATO) replacing \"Sto\""]);
        assert_eq!(typing(" [x]{fig=k asof=2020 by=\"n$0"), ["nato (organisation) replacing \"n\""]);
        // `ent=` must be an attribute of its own.
        assert!(typing(" [x]{parent=$0").is_empty());
        assert!(typing(" the ent=$0").len() == 3, "white space before `ent=` is enough");
    }

    #[test]
    fn quantity_keys_after_fig_from_blocks_and_figures_once_each() {
        let f = fixture(
            "//- /a.news.md\n[1]{fig=nato.members} [2]{fig=nato-iraq.personnel}\n[3]{fig=NA$0\n\
             //- /q.news.md\n::: quantity nato-iraq.personnel\nlabel: Personnel\nunit: troops\n:::\n",
        );
        assert_eq!(
            complete(&f),
            [
                "nato-iraq.personnel (Personnel (troops)) replacing \"NA\"",
                "nato.members (no `::: quantity` block) replacing \"NA\"",
            ]
        );
    }

    #[test]
    fn replace_range_after_emoji_and_cjk() {
        let f = fixture("🎉 北约 [@ap$0\n---\n");
        let f2 = fixture(&format!(
            "//- /main.news.md\n{}\n//- /ap.news.md\n---\nid: ap-1\npublished: 2020-01-01\n---\n",
            "🎉 北约 [@ap$0"
        ));
        assert!(complete(&f).is_empty());
        let items = completion(&f2.workspace, f2.file, f2.offset);
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].replace_range, 14..16);
        assert_eq!(&f2.text(f2.file)[items[0].replace_range], "ap");
        // An offset inside the emoji must not panic.
        for offset in 0..8 {
            let _ = completion(&f2.workspace, f2.file, offset);
        }
    }
}
