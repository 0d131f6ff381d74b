use super::lookup::{namespace_of, touches};
use crate::syntax::{Ident, Span, SpanKind, TextRange};
use crate::workspace::analysis::FileAnalysis;
use crate::workspace::{FileId, Namespace, Workspace};

/// The id under the cursor, wherever it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SymbolAt {
    pub namespace: Namespace,
    pub id: String,
    /// The id's range at the cursor. On a mention's TEXT (which names its
    /// entity without spelling the id) this is the range of the mention's
    /// `ent=` value: the id as written in the construct under the cursor.
    pub range: TextRange,
}

/// What the cursor is on, in the terms of the parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Site {
    /// A span's TEXT, outside any span nested in it.
    SpanText(usize),
    /// The value of a span's kind attribute (`ent=`, `by=`, `fig=`).
    SpanId(usize),
    /// Elsewhere in a span's markup: brackets, attribute names, `value=`, `asof=`.
    SpanMarkup(usize),
    /// The `@id` of one item of a citation.
    CiteItem { citation: usize, item: usize },
    /// The id in a `::: kind id` header.
    BlockId(usize),
    /// The value of the front matter's `id:`.
    ArticleId,
}

/// The id a span's kind attribute names, and the namespace it lives in.
pub(crate) fn span_ident(span: &Span) -> Option<(Namespace, &Ident)> {
    match &span.kind {
        SpanKind::Mention { entity } => Some((Namespace::Entity, entity)),
        SpanKind::Quote { speaker } => Some((Namespace::Entity, speaker)),
        SpanKind::Figure { key } => Some((Namespace::Quantity, key)),
        SpanKind::Unknown => None,
    }
}

/// Ids are looked for first (a cursor just after an id is still on it),
/// then the innermost span around the cursor.
pub(crate) fn site_at(analysis: &FileAnalysis, offset: usize) -> Option<Site> {
    let syntax = &analysis.syntax;
    if let Some(article) = &analysis.article {
        if !article.id.text.is_empty() && touches(&article.id.range, offset) {
            return Some(Site::ArticleId);
        }
    }
    for (index, block) in syntax.blocks.iter().enumerate() {
        if !block.id.text.is_empty() && touches(&block.id.range, offset) {
            return Some(Site::BlockId(index));
        }
    }
    for (c, citation) in syntax.citations.iter().enumerate() {
        if !touches(&citation.range, offset) {
            continue;
        }
        for (i, item) in citation.items.iter().enumerate() {
            // The `@` belongs to the item too.
            let with_at = item.id.range.start.saturating_sub(1)..item.id.range.end;
            if touches(&with_at, offset) {
                return Some(Site::CiteItem { citation: c, item: i });
            }
        }
    }
    for (index, span) in syntax.spans.iter().enumerate() {
        if let Some((_, ident)) = span_ident(span) {
            if !ident.text.is_empty() && touches(&ident.range, offset) {
                return Some(Site::SpanId(index));
            }
        }
    }
    let innermost = syntax
        .spans
        .iter()
        .enumerate()
        .filter(|(_, span)| span_ident(span).is_some())
        .filter(|(_, span)| span.range.start <= offset && offset < span.range.end)
        .min_by_key(|(_, span)| span.range.len());
    let (index, span) = innermost?;
    if touches(&span.text_range, offset) {
        Some(Site::SpanText(index))
    } else {
        Some(Site::SpanMarkup(index))
    }
}

pub fn symbol_at(workspace: &Workspace, file: FileId, offset: usize) -> Option<SymbolAt> {
    let analysis = &workspace.file(file)?.analysis;
    symbol_of_site(analysis, site_at(analysis, offset)?)
}

/// Figure TEXT and quote TEXT are about a figure or a quote, not an id:
/// they give no symbol. A mention's TEXT gives its entity.
pub(crate) fn symbol_of_site(analysis: &FileAnalysis, site: Site) -> Option<SymbolAt> {
    let syntax = &analysis.syntax;
    let (namespace, ident) = match site {
        Site::SpanId(s) => span_ident(syntax.spans.get(s)?)?,
        Site::SpanText(s) => match &syntax.spans.get(s)?.kind {
            SpanKind::Mention { entity } => (Namespace::Entity, entity),
            _ => return None,
        },
        Site::SpanMarkup(_) => return None,
        Site::CiteItem { citation, item } => (Namespace::Source, &syntax.citations.get(citation)?.items.get(item)?.id),
        Site::BlockId(b) => {
            let block = syntax.blocks.get(b)?;
            (namespace_of(block.kind), &block.id)
        }
        Site::ArticleId => (Namespace::Source, &analysis.article.as_ref()?.id),
    };
    if ident.text.is_empty() {
        return None;
    }
    Some(SymbolAt { namespace, id: ident.text.clone(), range: ident.range.clone() })
}
