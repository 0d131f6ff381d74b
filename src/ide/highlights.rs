//! Document highlights: every place in this file where the id under the
//! cursor is written — its definition, mentions (`ent=`), speakers
//! (`by=`), figure keys (`fig=`) and citations (`@id`).

use super::lookup::{declarations, uses};
use super::symbol_at::symbol_at;
use crate::syntax::TextRange;
use crate::workspace::{FileId, Workspace};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HighlightKind {
    /// Where the id is defined.
    Definition,
    /// Where it is used.
    Use,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Highlight {
    pub range: TextRange,
    pub kind: HighlightKind,
}

pub fn document_highlights(workspace: &Workspace, file: FileId, offset: usize) -> Vec<Highlight> {
    let Some(symbol) = symbol_at(workspace, file, offset) else { return Vec::new() };
    let in_file = |ranges: Vec<super::FileRange>, kind: HighlightKind| {
        ranges.into_iter().filter(|r| r.file == file).map(move |r| Highlight { range: r.range, kind })
    };
    let mut found: Vec<Highlight> = in_file(uses(workspace, symbol.namespace, &symbol.id), HighlightKind::Use)
        .chain(in_file(declarations(workspace, symbol.namespace, &symbol.id), HighlightKind::Definition))
        .collect();
    found.sort_by_key(|h| (h.range.start(), h.range.end()));
    found.dedup_by(|a, b| a.range == b.range);
    found
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{fixture, world, Fixture};
    use super::*;

    fn show(f: &Fixture) -> Vec<String> {
        document_highlights(&f.workspace, f.file, f.offset)
            .iter()
            .map(|h| format!("{:?} {}", h.kind, f.show(f.file, &h.range)))
            .collect()
    }

    #[test]
    fn mentions_and_speakers_of_one_entity() {
        assert_eq!(
            show(&world("[Jens$0 Stoltenberg]")),
            ["Use ap.news.md:12:59 \"stoltenberg\"", "Use ap.news.md:14:73 \"stoltenberg\""]
        );
    }

    #[test]
    fn definition_and_uses_in_one_file() {
        let f = fixture(
            "---\nid: a\n---\n\n[X]{ent=x} said [“hi”]{by=x$0}[@a] and [1]{fig=k}[@a]\n\n::: entity x\n:::\n//- /b.news.md\n[X]{ent=x}\n",
        );
        assert_eq!(
            show(&f),
            ["Use main.news.md:5:9 \"x\"", "Use main.news.md:5:27 \"x\"", "Definition main.news.md:7:12 \"x\"",]
        );
        let f = fixture("---\nid: a$0\n---\n\n[1]{fig=k}[@a] [2]{fig=k}[see @a, p. 1]\n");
        assert_eq!(
            show(&f),
            ["Definition main.news.md:2:5 \"a\"", "Use main.news.md:5:13 \"a\"", "Use main.news.md:5:32 \"a\""]
        );
    }

    #[test]
    fn figure_keys_and_nothing_on_prose() {
        assert_eq!(
            show(&world("{fig=nato$0-iraq.personnel}[see")),
            ["Use ap.news.md:12:121 \"nato-iraq.personnel\"", "Use ap.news.md:16:39 \"nato-iraq.personnel\""]
        );
        assert!(show(&world("Canada leads$0")).is_empty());
    }
}
