//! Document outline and workspace symbol search.
//!
//! Outline: the article (front matter; name = title, else id; detail = id)
//! spans the whole file, so everything else nests in it; each definition
//! block (name = id; detail = name, title or label); each figure (name =
//! key; detail = its text and the interval read); each quote (name = its
//! text, shortened; detail = the speaker's name, else id). Nesting follows
//! the text: a figure inside a quote is the quote's child. Mentions are left
//! out: an article names dozens of entities, and the outline would drown.

use super::lookup::{block_of, definitions, field, short_name, shorten, span_plain_text, BlockIn};
use super::{DocumentSymbol, NavigationTarget, SymbolKind, WorkspaceSymbol};
use crate::base::TextRange;
use crate::syntax::{BlockKind, SpanKind};
use crate::workspace::{FileId, Namespace, Workspace};

/// Longest quote shown as a symbol name, in characters.
const QUOTE_NAME_CHARS: usize = 48;
/// Most results of a workspace symbol search.
pub const MAX_WORKSPACE_SYMBOLS: usize = 500;

pub fn document_symbols(workspace: &Workspace, file: FileId) -> Vec<DocumentSymbol> {
    let Some(entry) = workspace.file(file) else { return Vec::new() };
    let analysis = &entry.analysis;
    let syntax = &*entry.syntax();
    let mut flat = Vec::new();
    if let (Some(article), Some(fm)) = (&analysis.article, &syntax.front_matter) {
        let id = &entry.text[article.id];
        let focus = if id.is_empty() { fm.range } else { article.id };
        let name = article.title.clone().unwrap_or_else(|| id.to_string());
        flat.push(DocumentSymbol {
            name,
            detail: (!id.is_empty()).then(|| id.to_string()),
            kind: SymbolKind::Article,
            full_range: TextRange::new(0, entry.text.len()),
            focus_range: focus,
            children: Vec::new(),
        });
    }
    for block in &syntax.blocks {
        let (kind, detail_key) = match block.kind {
            BlockKind::Entity => (SymbolKind::Entity, "name"),
            BlockKind::Source => (SymbolKind::Source, "title"),
            BlockKind::Quantity => (SymbolKind::Quantity, "label"),
        };
        let focus = if block.id.is_empty() { block.header_range } else { block.id };
        flat.push(DocumentSymbol {
            name: entry.text[block.id].to_string(),
            detail: field(BlockIn { entry, fields: syntax.fields(block.fields), base: 0 }, detail_key)
                .map(str::to_string),
            kind,
            full_range: block.range,
            focus_range: focus,
            children: Vec::new(),
        });
    }
    for (index, span) in syntax.spans.iter().enumerate() {
        let (name, detail, kind) = match span.kind {
            SpanKind::Figure { key } => {
                let text = span_plain_text(entry, syntax, span.text_range);
                let detail = match analysis.figures.iter().find(|f| f.span == index) {
                    Some(figure) => format!("{text} = {}", figure.interval),
                    None => format!("{text} (value unreadable)"),
                };
                (syntax.text_of(&entry.text, key).to_string(), detail, SymbolKind::Figure)
            }
            SpanKind::Quote { speaker } => {
                let text = span_plain_text(entry, syntax, span.text_range);
                let speaker = syntax.text_of(&entry.text, speaker);
                let speaker_name = definitions(workspace, Namespace::Entity, speaker)
                    .into_iter()
                    .find_map(|(_, e, d)| block_of(e, d).and_then(|b| field(b, "name")).map(str::to_string))
                    .unwrap_or_else(|| speaker.to_string());
                (shorten(&text, QUOTE_NAME_CHARS), speaker_name, SymbolKind::Quote)
            }
            _ => continue,
        };
        flat.push(DocumentSymbol {
            name,
            detail: Some(detail),
            kind,
            full_range: span.range,
            focus_range: span.text_range,
            children: Vec::new(),
        });
    }
    nest(flat)
}

/// Nests symbols by their ranges: a symbol is the child of the smallest
/// one containing it.
fn nest(mut flat: Vec<DocumentSymbol>) -> Vec<DocumentSymbol> {
    flat.sort_by_key(|s| (s.full_range.start(), std::cmp::Reverse(s.full_range.end())));
    let mut roots = Vec::new();
    let mut stack: Vec<DocumentSymbol> = Vec::new();
    fn attach(stack: &mut [DocumentSymbol], roots: &mut Vec<DocumentSymbol>, done: DocumentSymbol) {
        match stack.last_mut() {
            Some(parent) => parent.children.push(done),
            None => roots.push(done),
        }
    }
    for symbol in flat {
        while let Some(top) = stack.last() {
            let contains =
                top.full_range.start() <= symbol.full_range.start() && symbol.full_range.end() <= top.full_range.end();
            if contains {
                break;
            }
            if let Some(done) = stack.pop() {
                attach(&mut stack, &mut roots, done);
            }
        }
        stack.push(symbol);
    }
    while let Some(done) = stack.pop() {
        attach(&mut stack, &mut roots, done);
    }
    roots
}

/// Articles, sources, entities and quantity keys whose id or name
/// (entity name, title, label) contains the query, ignoring case. Sorted
/// by id; an empty query lists everything (up to 500). The symbol's name
/// is "id — Name" when the definition gives a name; the container is the
/// defining file's short name.
pub fn workspace_symbols(workspace: &Workspace, query: &str) -> Vec<WorkspaceSymbol> {
    let query = query.trim().to_lowercase();
    let mut found = Vec::new();
    for (file, loc_item) in workspace.index().all_definitions().map(|loc| (loc.file, loc.item())).collect::<Vec<_>>() {
        let Some(entry) = workspace.file(file) else { continue };
        let Some(definition) = entry.analysis.definitions.get(loc_item) else { continue };
        let (kind, name) = match block_of(entry, definition) {
            Some(block) => {
                let (kind, name_key) = match definition.namespace {
                    Namespace::Entity => (SymbolKind::Entity, "name"),
                    Namespace::Source => (SymbolKind::Source, "title"),
                    Namespace::Quantity => (SymbolKind::Quantity, "label"),
                };
                (kind, field(block, name_key).map(str::to_string))
            }
            None => (SymbolKind::Article, entry.analysis.article.as_ref().and_then(|a| a.title.clone())),
        };
        let id = workspace.name(definition.id.name);
        let matches = query.is_empty()
            || id.to_lowercase().contains(&query)
            || name.as_ref().is_some_and(|n| n.to_lowercase().contains(&query));
        if !matches {
            continue;
        }
        // Clients filter the results again by name: the name must hold
        // what matched.
        let shown = match &name {
            Some(name) => format!("{id} — {}", super::lookup::collapse_whitespace(name)),
            None => id.to_string(),
        };
        let symbol = WorkspaceSymbol {
            name: shown,
            kind,
            target: NavigationTarget { file, full_range: definition.range, focus_range: definition.id.range },
            container: Some(short_name(workspace, file)),
        };
        found.push((id, symbol));
    }
    found.sort_by(|(a_id, a), (b_id, b)| {
        (a_id, a.target.file, a.target.focus_range.start()).cmp(&(b_id, b.target.file, b.target.focus_range.start()))
    });
    found.truncate(MAX_WORKSPACE_SYMBOLS);
    found.into_iter().map(|(_, symbol)| symbol).collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{fixture, world, Fixture};
    use super::*;

    fn outline(f: &Fixture, file: FileId) -> String {
        fn walk(f: &Fixture, file: FileId, symbols: &[DocumentSymbol], depth: usize, out: &mut String) {
            for s in symbols {
                assert!(s.full_range.start() <= s.focus_range.start() && s.focus_range.end() <= s.full_range.end());
                let focus = &f.text(file)[s.focus_range];
                out.push_str(&format!(
                    "{}{:?} {:?} [{}] focus {:?}\n",
                    "  ".repeat(depth),
                    s.kind,
                    s.name,
                    s.detail.as_deref().unwrap_or("-"),
                    focus
                ));
                for child in &s.children {
                    assert!(
                        s.full_range.start() <= child.full_range.start()
                            && child.full_range.end() <= s.full_range.end()
                    );
                }
                walk(f, file, &s.children, depth + 1, out);
            }
        }
        let mut out = String::new();
        walk(f, file, &document_symbols(&f.workspace, file), 0, &mut out);
        out
    }

    #[test]
    fn article_outline_nests_figures_and_quotes() {
        let f = world("");
        insta::assert_snapshot!("outline_article", outline(&f, f.file_named("/ap.news.md")));
    }

    #[test]
    fn definition_files_list_their_blocks() {
        let f = world("");
        assert_eq!(
            outline(&f, f.file_named("/sources.news.md")),
            "Source \"reuters-2020-02-12\" [NATO agrees to expand Iraq mission] focus \"reuters-2020-02-12\"\n\
             Quantity \"nato-iraq.personnel\" [Personnel serving in NATO Mission Iraq] focus \"nato-iraq.personnel\"\n"
        );
    }

    #[test]
    fn figure_in_a_quote_is_its_child() {
        let f = fixture(
            "Officials said [“[a couple of hundred]{fig=transfer}[@ap] troops would move, and a very long quote goes on”]{by=officials}.\n",
        );
        assert_eq!(
            outline(&f, f.file),
            "Quote \"“a couple of hundred troops would move, and a v…\" [officials] focus \"“[a couple of hundred]{fig=transfer}[@ap] troops would move, and a very long quote goes on”\"\n  \
             Figure \"transfer\" [a couple of hundred = [200, 300)] focus \"a couple of hundred\"\n"
        );
    }

    fn search(query: &str) -> Vec<String> {
        let f = world("");
        workspace_symbols(&f.workspace, query)
            .into_iter()
            .map(|s| {
                let focus = &f.text(s.target.file)[s.target.focus_range];
                format!("{:?} {} in {} at {focus:?}", s.kind, s.name, s.container.unwrap_or_default())
            })
            .collect()
    }

    #[test]
    fn workspace_symbols_match_ids_and_names() {
        assert_eq!(search("STOLT"), ["Entity stoltenberg — Jens Stoltenberg in entities.news.md at \"stoltenberg\""]);
        assert_eq!(
            search("treaty"),
            ["Entity nato — North Atlantic Treaty Organization in entities.news.md at \"nato\""]
        );
        assert_eq!(
            search("nato"),
            [
                "Article ap-2020-02-13 — Iraq green-lights resumption of NATO training effort in ap.news.md at \"ap-2020-02-13\"",
                "Article forces-news-2020-02-12 — NATO chief says Iraq mission will stay in forces.news.md at \"forces-news-2020-02-12\"",
                "Entity nato — North Atlantic Treaty Organization in entities.news.md at \"nato\"",
                "Quantity nato-iraq.personnel — Personnel serving in NATO Mission Iraq in sources.news.md at \"nato-iraq.personnel\"",
                "Source reuters-2020-02-12 — NATO agrees to expand Iraq mission in sources.news.md at \"reuters-2020-02-12\"",
            ]
        );
        assert_eq!(search("").len(), 7);
        assert!(search("nothing like this").is_empty());
    }
}
