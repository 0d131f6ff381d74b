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
//! items by prefix, ignoring case. Items are sorted by id, one per id.

use std::collections::BTreeMap;

use super::lookup::{block_of, field, md, plural};
use super::{CompletionItem, CompletionKind};
use crate::line_index::floor_char_boundary;
use crate::workspace::{FileId, Namespace, Workspace};

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

pub fn completion(workspace: &Workspace, file: FileId, offset: usize) -> Vec<CompletionItem> {
    let Some(entry) = workspace.file(file) else { return Vec::new() };
    let Some((context, start)) = context(&entry.text, offset.min(entry.text.len())) else { return Vec::new() };
    let end = floor_char_boundary(&entry.text, offset);
    let partial = entry.text[start..end].to_lowercase();
    let replace_range = start..end;
    let mut items: BTreeMap<String, CompletionItem> = BTreeMap::new();
    let mut add = |label: &str, kind: CompletionKind, detail: String, documentation: String| {
        if label.to_lowercase().starts_with(&partial) && !items.contains_key(label) {
            let item = CompletionItem {
                label: label.to_string(),
                kind,
                detail,
                documentation,
                replace_range: replace_range.clone(),
            };
            items.insert(label.to_string(), item);
        }
    };
    let index = workspace.index();
    let mut defined: Vec<(&(Namespace, String), &Vec<crate::workspace::Loc>)> = index.definitions.iter().collect();
    defined.sort_by(|a, b| a.0 .1.cmp(&b.0 .1));
    match context {
        Context::Source | Context::Entity => {
            let wanted = if context == Context::Source { Namespace::Source } else { Namespace::Entity };
            for ((namespace, id), locs) in defined {
                if *namespace != wanted {
                    continue;
                }
                let Some(loc) = locs.iter().min() else { continue };
                let Some(def_entry) = workspace.file(loc.file) else { continue };
                let Some(definition) = def_entry.analysis.definitions.get(loc.item) else { continue };
                match (context, block_of(&def_entry.analysis, definition)) {
                    (Context::Entity, Some(block)) => {
                        let detail = [field(block, "kind"), field(block, "role")]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(" — ");
                        let documentation = [field(block, "name"), field(block, "about")]
                            .into_iter()
                            .flatten()
                            .map(md)
                            .collect::<Vec<_>>()
                            .join("\n\n");
                        add(id, CompletionKind::Entity, detail, documentation);
                    }
                    (_, Some(block)) => {
                        let detail = [field(block, "outlet"), field(block, "published")]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>();
                        let detail = if detail.is_empty() { "source".to_string() } else { detail.join(", ") };
                        add(id, CompletionKind::Source, detail, field(block, "title").map(md).unwrap_or_default());
                    }
                    (_, None) => {
                        let article = def_entry.analysis.article.as_ref();
                        let published = article.and_then(|a| a.published).map(|d| d.to_string());
                        let detail: Vec<String> =
                            [article.and_then(|a| a.outlet.clone()), published].into_iter().flatten().collect();
                        let detail = if detail.is_empty() { "article".to_string() } else { detail.join(", ") };
                        let title = article.and_then(|a| a.title.as_deref()).map(md).unwrap_or_default();
                        add(id, CompletionKind::Article, detail, title);
                    }
                }
            }
        }
        Context::Key => {
            for ((namespace, id), locs) in defined {
                if *namespace != Namespace::Quantity {
                    continue;
                }
                let block = locs.iter().min().and_then(|loc| {
                    let def_entry = workspace.file(loc.file)?;
                    block_of(&def_entry.analysis, def_entry.analysis.definitions.get(loc.item)?)
                });
                let label = block.and_then(|b| field(b, "label"));
                let unit = block.and_then(|b| field(b, "unit"));
                let detail = match (label, unit) {
                    (Some(label), Some(unit)) => format!("{label} ({unit})"),
                    (Some(text), None) | (None, Some(text)) => text.to_string(),
                    (None, None) => "quantity".to_string(),
                };
                let used = index.figures_by_key.get(id).map_or(0, Vec::len);
                add(id, CompletionKind::QuantityKey, detail, format!("Stated by {}", plural(used, "figure")));
            }
            let mut used: Vec<(&String, usize)> = index.figures_by_key.iter().map(|(k, v)| (k, v.len())).collect();
            used.sort();
            for (key, count) in used {
                let detail = "no `::: quantity` block".to_string();
                add(key, CompletionKind::QuantityKey, detail, format!("Stated by {}", plural(count, "figure")));
            }
        }
    }
    items.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{fixture, world_typing, Fixture};
    use super::*;

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
        assert_eq!(&f2.text(f2.file)[items[0].replace_range.clone()], "ap");
        // An offset inside the emoji must not panic.
        for offset in 0..8 {
            let _ = completion(&f2.workspace, f2.file, offset);
        }
    }
}
