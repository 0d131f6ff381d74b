//! Go to definition ("go to source").
//!
//! - `@id`, and the ids of definitions themselves → the front matter
//!   (focus: its `id:` value) or the `::: source` block (focus: its id);
//! - an entity mention or quote (TEXT or `ent=`/`by=`) → the `::: entity` block;
//! - a figure's TEXT → the figures stating the same key in the workspace
//!   articles it cites: those whose as-of period overlaps its own, else
//!   every figure with that key there;
//! - a figure's `fig=` key → the `::: quantity` block, then the same
//!   figures as for its TEXT.
//!
//! An id defined more than once gives every definition.

use super::lookup::definitions;
use super::symbol_at::{site_at, symbol_of_site, Site};
use super::NavigationTarget;
use crate::syntax::{SourceFile, SpanKind};
use crate::workspace::analysis::{citations_of, Figure};
use crate::workspace::{FileId, Namespace, Workspace};

pub fn goto_definition(workspace: &Workspace, file: FileId, offset: usize) -> Vec<NavigationTarget> {
    let Some(entry) = workspace.file(file) else { return Vec::new() };
    let syntax = &*entry.syntax();
    let Some(site) = site_at(entry, syntax, offset) else { return Vec::new() };
    let figure_span = match site {
        Site::SpanText(s) | Site::SpanId(s) | Site::SpanMarkup(s) => {
            syntax.spans.get(s).filter(|span| matches!(span.kind, SpanKind::Figure { .. })).map(|_| s)
        }
        _ => None,
    };
    let mut targets = Vec::new();
    // A quote's TEXT leads to its speaker, like its `by=`.
    let symbol = match site {
        Site::SpanText(s) | Site::SpanMarkup(s) if figure_span.is_none() => {
            symbol_of_site(entry, syntax, Site::SpanId(s))
        }
        Site::SpanText(_) | Site::SpanMarkup(_) => None,
        _ => symbol_of_site(entry, syntax, site),
    };
    if let Some(symbol) = symbol {
        targets.extend(definition_targets(workspace, symbol.namespace, &symbol.id));
    }
    if let Some(span) = figure_span {
        targets.extend(cited_figures(workspace, file, syntax, span));
    }
    targets
}

pub(crate) fn definition_targets(workspace: &Workspace, namespace: Namespace, id: &str) -> Vec<NavigationTarget> {
    definitions(workspace, namespace, id)
        .into_iter()
        .map(|(file, _, d)| NavigationTarget { file, full_range: d.range, focus_range: d.id.range })
        .collect()
}

/// The figures with the same key in the workspace articles a figure cites.
fn cited_figures(workspace: &Workspace, file: FileId, syntax: &SourceFile, span_index: usize) -> Vec<NavigationTarget> {
    let Some(entry) = workspace.file(file) else { return Vec::new() };
    let analysis = &entry.analysis;
    let Some(span) = syntax.spans.get(span_index) else { return Vec::new() };
    let SpanKind::Figure { key } = span.kind else { return Vec::new() };
    let key = syntax.text_of(&entry.text, key);
    let figure = analysis.figures.iter().find(|f| f.span == span_index);
    let ids = match figure {
        Some(f) => f.citations.ids.clone(),
        None => citations_of(&entry.text, syntax, span_index, workspace.names()).ids,
    };
    let mut targets = Vec::new();
    let mut seen_articles = Vec::new();
    for &id in ids.iter() {
        for (article_file, article, definition) in definitions(workspace, Namespace::Source, workspace.name(id)) {
            if definition.block.is_some() || seen_articles.contains(&article_file) {
                continue;
            }
            seen_articles.push(article_file);
            let same_key: Vec<&Figure> = article
                .analysis
                .figures
                .iter()
                .filter(|f| workspace.name(f.key.name) == key && !(article_file == file && f.span == span_index))
                .collect();
            let overlapping: Vec<&Figure> =
                same_key.iter().copied().filter(|f| figure.is_some_and(|own| periods_overlap(own, f))).collect();
            let chosen = if overlapping.is_empty() { same_key } else { overlapping };
            // The focus is the span's TEXT, in the article's tree (rebuilt
            // when the article is closed: one parse, on this request only).
            let tree = (!chosen.is_empty()).then(|| article.syntax());
            for stated in chosen {
                if let Some(s) = tree.as_ref().and_then(|t| t.spans.get(stated.span)) {
                    targets.push(NavigationTarget {
                        file: article_file,
                        full_range: s.range,
                        focus_range: s.text_range,
                    });
                }
            }
        }
    }
    targets
}

/// An undated figure is compared with every period.
fn periods_overlap(a: &Figure, b: &Figure) -> bool {
    match (a.period, b.period) {
        (Some(x), Some(y)) => x.overlaps(&y),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{assert_valid_range, fixture, world, Fixture};
    use super::*;

    /// Each target as "file:line:col \"focus text\" in \"first line of full range\"".
    fn targets(f: &Fixture) -> Vec<String> {
        goto_definition(&f.workspace, f.file, f.offset)
            .into_iter()
            .map(|t| {
                let text = f.text(t.file);
                assert_valid_range(text, &t.full_range);
                assert!(t.full_range.start() <= t.focus_range.start() && t.focus_range.end() <= t.full_range.end());
                let full = &text[t.full_range];
                format!("{} in {:?}", f.show(t.file, &t.focus_range), full.lines().next().unwrap_or(""))
            })
            .collect()
    }

    #[test]
    fn citation_to_a_source_block() {
        assert_eq!(
            targets(&world("[see @reuters-2020$0")),
            ["sources.news.md:3:12 \"reuters-2020-02-12\" in \"::: source reuters-2020-02-12\""]
        );
    }

    #[test]
    fn citation_to_an_article_front_matter() {
        let f = world("personnel}[@$0ap-2020-02-13]");
        let found = goto_definition(&f.workspace, f.file, f.offset);
        assert_eq!(targets(&f), ["ap.news.md:2:5 \"ap-2020-02-13\" in \"---\""]);
        let ap = f.file_named("/ap.news.md");
        let front_matter = f.workspace.entry(ap).syntax().front_matter.as_ref().map(|fm| fm.range);
        assert_eq!(Some(found[0].full_range), front_matter);
    }

    #[test]
    fn mention_and_speaker_to_the_entity_block() {
        let expected = ["entities.news.md:3:12 \"stoltenberg\" in \"::: entity stoltenberg\""];
        assert_eq!(targets(&world("[Jens$0 Stoltenberg]")), expected);
        assert_eq!(targets(&world("{by=$0stoltenberg}")), expected);
        assert_eq!(targets(&world("[“We will$0 only")), expected);
    }

    #[test]
    fn figure_text_to_the_cited_articles_figure_for_an_overlapping_period() {
        // Cites @ap-2020-02-13, which states the key twice: for 2020 and for 2019.
        assert_eq!(
            targets(&world("[roughly$0 500 personnel]")),
            ["ap.news.md:12:99 \"about 500 troops\" in \"[about 500 troops]{fig=nato-iraq.personnel}\""]
        );
        assert_eq!(
            targets(&world("[580$0 troops]")),
            ["ap.news.md:16:17 \"about 600 troops\" in \"[about 600 troops]{fig=nato-iraq.personnel asof=2019}\""]
        );
    }

    #[test]
    fn figure_text_without_overlap_goes_to_every_figure_of_the_key() {
        let f = fixture(
            "//- /a.news.md\n---\nid: a\npublished: 2020-02-13\n---\n\n[1$00]{fig=k asof=2015}[@b]\n\
             //- /b.news.md\n---\nid: b\npublished: 2020-02-13\n---\n\n[20]{fig=k} and [30]{fig=k asof=2019} and [4]{fig=other}[@c]\n",
        );
        assert_eq!(
            targets(&f),
            ["b.news.md:6:2 \"20\" in \"[20]{fig=k}\"", "b.news.md:6:18 \"30\" in \"[30]{fig=k asof=2019}\""]
        );
    }

    #[test]
    fn figure_citing_a_source_block_has_no_target() {
        assert_eq!(targets(&world("[about 5$000 troops]")), Vec::<String>::new());
    }

    #[test]
    fn figure_key_to_the_quantity_block_and_the_cited_figure() {
        assert_eq!(
            targets(&world("[roughly 500 personnel]{fig=nato$0")),
            [
                "sources.news.md:10:14 \"nato-iraq.personnel\" in \"::: quantity nato-iraq.personnel\"",
                "ap.news.md:12:99 \"about 500 troops\" in \"[about 500 troops]{fig=nato-iraq.personnel}\"",
            ]
        );
    }

    #[test]
    fn duplicate_definitions_give_every_target_and_unknown_ids_none() {
        let f =
            fixture("//- /a.news.md\n[X]{ent=x$0} [Y]{ent=y}\n::: entity x\n:::\n//- /b.news.md\n::: entity x\n:::\n");
        assert_eq!(
            targets(&f),
            ["a.news.md:2:12 \"x\" in \"::: entity x\"", "b.news.md:1:12 \"x\" in \"::: entity x\""]
        );
        let f = fixture("[Y]{ent=y$0}\n");
        assert!(targets(&f).is_empty());
    }
}
