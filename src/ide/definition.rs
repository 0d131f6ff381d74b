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
use crate::syntax::SpanKind;
use crate::workspace::analysis::{citations_of, Figure};
use crate::workspace::{FileId, Namespace, Workspace};

pub fn goto_definition(workspace: &Workspace, file: FileId, offset: usize) -> Vec<NavigationTarget> {
    let Some(entry) = workspace.file(file) else { return Vec::new() };
    let analysis = &entry.analysis;
    let Some(site) = site_at(analysis, offset) else { return Vec::new() };
    let figure_span = match site {
        Site::SpanText(s) | Site::SpanId(s) | Site::SpanMarkup(s) => {
            analysis.syntax.spans.get(s).filter(|span| matches!(span.kind, SpanKind::Figure { .. })).map(|_| s)
        }
        _ => None,
    };
    let mut targets = Vec::new();
    // A quote's TEXT leads to its speaker, like its `by=`.
    let symbol = match site {
        Site::SpanText(s) | Site::SpanMarkup(s) if figure_span.is_none() => symbol_of_site(analysis, Site::SpanId(s)),
        Site::SpanText(_) | Site::SpanMarkup(_) => None,
        _ => symbol_of_site(analysis, site),
    };
    if let Some(symbol) = symbol {
        targets.extend(definition_targets(workspace, symbol.namespace, &symbol.id));
    }
    if let Some(span) = figure_span {
        targets.extend(cited_figures(workspace, file, span));
    }
    targets
}

pub(crate) fn definition_targets(workspace: &Workspace, namespace: Namespace, id: &str) -> Vec<NavigationTarget> {
    definitions(workspace, namespace, id)
        .into_iter()
        .map(|(file, _, d)| NavigationTarget { file, full_range: d.range.clone(), focus_range: d.id.range.clone() })
        .collect()
}

/// The figures with the same key in the workspace articles a figure cites.
fn cited_figures(workspace: &Workspace, file: FileId, span_index: usize) -> Vec<NavigationTarget> {
    let Some(entry) = workspace.file(file) else { return Vec::new() };
    let analysis = &entry.analysis;
    let Some(span) = analysis.syntax.spans.get(span_index) else { return Vec::new() };
    let SpanKind::Figure { key } = &span.kind else { return Vec::new() };
    let figure = analysis.figures.iter().find(|f| f.span == span_index);
    let ids = match figure {
        Some(f) => f.citations.ids.clone(),
        None => citations_of(&analysis.syntax, span_index).ids,
    };
    let mut targets = Vec::new();
    let mut seen_articles = Vec::new();
    for id in &ids {
        for (article_file, article, definition) in definitions(workspace, Namespace::Source, id) {
            if definition.block.is_some() || seen_articles.contains(&article_file) {
                continue;
            }
            seen_articles.push(article_file);
            let same_key: Vec<&Figure> = article
                .analysis
                .figures
                .iter()
                .filter(|f| f.key.text == key.text && !(article_file == file && f.span == span_index))
                .collect();
            let overlapping: Vec<&Figure> =
                same_key.iter().copied().filter(|f| figure.is_some_and(|own| periods_overlap(own, f))).collect();
            let chosen = if overlapping.is_empty() { same_key } else { overlapping };
            for stated in chosen {
                if let Some(s) = article.analysis.syntax.spans.get(stated.span) {
                    targets.push(NavigationTarget {
                        file: article_file,
                        full_range: s.range.clone(),
                        focus_range: s.text_range.clone(),
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
