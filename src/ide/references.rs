//! Find references: every place an id is written, across the workspace.
//! Source ids: every `@id` citation item; entities: every `ent=` and `by=`
//! value; quantity keys: every `fig=` value. With the declaration: also the
//! id of each front matter or block defining it. Sorted by file and position.

use super::lookup::{declarations, uses};
use super::symbol_at::symbol_at;
use super::FileRange;
use crate::workspace::{FileId, Workspace};

pub fn references(workspace: &Workspace, file: FileId, offset: usize, include_declaration: bool) -> Vec<FileRange> {
    let Some(symbol) = symbol_at(workspace, file, offset) else { return Vec::new() };
    let mut found = uses(workspace, symbol.namespace, &symbol.id);
    if include_declaration {
        found.extend(declarations(workspace, symbol.namespace, &symbol.id));
        found.sort_by_key(|r| (r.file, r.range.start(), r.range.end()));
        found.dedup();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{fixture, world};
    use super::*;

    fn refs(marked: &str, include_declaration: bool) -> Vec<String> {
        let f = world(marked);
        f.show_all(&references(&f.workspace, f.file, f.offset, include_declaration))
    }

    #[test]
    fn entity_uses_across_files() {
        let expected = [
            "ap.news.md:12:59 \"stoltenberg\"",
            "ap.news.md:14:73 \"stoltenberg\"",
            "forces.news.md:8:19 \"stoltenberg\"",
        ];
        assert_eq!(refs("[Jens$0 Stoltenberg]", false), expected);
        let mut with_declaration = expected.to_vec();
        with_declaration.push("entities.news.md:3:12 \"stoltenberg\"");
        // The same from the definition.
        assert_eq!(refs("::: entity stolten$0berg", true), with_declaration);
    }

    #[test]
    fn source_and_article_ids() {
        assert_eq!(
            refs("::: source reuters$0", true),
            [
                "ap.news.md:12:147 \"reuters-2020-02-12\"",
                "ap.news.md:16:71 \"reuters-2020-02-12\"",
                "sources.news.md:3:12 \"reuters-2020-02-12\"",
            ]
        );
        assert_eq!(
            refs("id: ap-2020-02-13$0", false),
            ["forces.news.md:8:102 \"ap-2020-02-13\"", "forces.news.md:10:76 \"ap-2020-02-13\""]
        );
    }

    #[test]
    fn quantity_keys_including_unreadable_figures() {
        let f = fixture(
            "//- /a.news.md\n[many]{fig=k$0} and [5]{fig=k} and [6]{fig=k2}\n//- /b.news.md\n::: quantity k\n:::\n",
        );
        assert_eq!(
            f.show_all(&references(&f.workspace, f.file, f.offset, true)),
            ["a.news.md:1:12 \"k\"", "a.news.md:1:27 \"k\"", "b.news.md:1:14 \"k\""]
        );
    }

    #[test]
    fn nothing_on_figure_text_or_prose() {
        assert!(refs("[about$0 500", true).is_empty());
        assert!(refs("Canada$0 leads", true).is_empty());
    }
}
