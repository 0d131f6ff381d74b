//! Document links: `url:` values in front matter and `::: source` blocks
//! open in the browser; each `@id` of a citation opens the file that
//! defines the id, at the definition.

use super::lookup::definitions;
use crate::syntax::{Field, TextRange};
use crate::workspace::{FileId, Namespace, Workspace};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// An `http:` or `https:` address, as written.
    Url(String),
    /// The definition of a cited id: its file and the id's range there.
    Definition { file: FileId, range: TextRange },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentLink {
    pub range: TextRange,
    pub target: LinkTarget,
}

pub fn document_links(workspace: &Workspace, file: FileId) -> Vec<DocumentLink> {
    let Some(entry) = workspace.file(file) else { return Vec::new() };
    let syntax = &*entry.syntax();
    let mut links = Vec::new();
    let fields = syntax
        .front_matter
        .iter()
        .map(|fm| fm.fields)
        .chain(syntax.blocks.iter().filter(|b| b.kind == crate::syntax::BlockKind::Source).map(|b| b.fields));
    links.extend(fields.flat_map(|run| syntax.fields(run)).filter_map(|f| url_link(&entry.text, f)));
    for citation in &syntax.citations {
        for item in syntax.items(citation.items) {
            // An id defined twice is reported as a duplicate; the first wins.
            let Some((target, _, definition)) =
                definitions(workspace, Namespace::Source, &entry.text[item.id]).into_iter().next()
            else {
                continue;
            };
            let range = item.id.start().saturating_sub(1)..item.id.end();
            links.push(DocumentLink {
                range: range.into(),
                target: LinkTarget::Definition { file: target, range: definition.id.range },
            });
        }
    }
    links.sort_by_key(|l| (l.range.start(), l.range.end()));
    links
}

/// A `url:` field whose value is one web address, with no spaces in it.
fn url_link(text: &str, field: &Field) -> Option<DocumentLink> {
    if &text[field.key] != "url" {
        return None;
    }
    let written = &text[field.value];
    let value = written.trim();
    let is_web = value.starts_with("https://") || value.starts_with("http://");
    if !is_web || value.contains(char::is_whitespace) || value.len() <= "https://".len() {
        return None;
    }
    // The range of the trimmed value inside the field's value range.
    let offset = written.find(value)?;
    let start = field.value.start() + offset;
    Some(DocumentLink { range: TextRange::new(start, start + value.len()), target: LinkTarget::Url(value.to_string()) })
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{fixture, world, Fixture};
    use super::*;

    fn show(f: &Fixture) -> Vec<String> {
        document_links(&f.workspace, f.file)
            .iter()
            .map(|l| {
                let target = match &l.target {
                    LinkTarget::Url(url) => url.clone(),
                    LinkTarget::Definition { file, range } => f.show(*file, range),
                };
                format!("{} -> {target}", f.show(f.file, &l.range))
            })
            .collect()
    }

    #[test]
    fn urls_and_citations_of_an_article() {
        assert_eq!(
            show(&world("# NATO to expand$0")),
            [
                "ap.news.md:7:6 \"https://example.org/ap\" -> https://example.org/ap",
                "ap.news.md:12:146 \"@reuters-2020-02-12\" -> sources.news.md:3:12 \"reuters-2020-02-12\"",
                "ap.news.md:14:86 \"@forces-news-2020-02-12\" -> forces.news.md:2:5 \"forces-news-2020-02-12\"",
                "ap.news.md:16:70 \"@reuters-2020-02-12\" -> sources.news.md:3:12 \"reuters-2020-02-12\"",
            ]
        );
        assert_eq!(
            show(&world("::: source reuters$0")),
            ["sources.news.md:7:6 \"https://example.org/reuters\" -> https://example.org/reuters"]
        );
    }

    #[test]
    fn no_link_for_unknown_ids_or_what_is_not_a_web_address() {
        let f = fixture(
            "---\nid: a\nurl: not a url\n---\n\n[@nobody] [@a]\n\n::: entity e\nurl: https://example.org/e\n:::\n\n::: source s\nurl:   https://example.org/🎉  \n:::\n",
        );
        assert_eq!(
            show(&f),
            [
                "main.news.md:6:12 \"@a\" -> main.news.md:2:5 \"a\"",
                "main.news.md:13:8 \"https://example.org/🎉\" -> https://example.org/🎉",
            ]
        );
    }
}
