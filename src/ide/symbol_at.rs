use super::lookup::{namespace_of, touches};
use crate::syntax::{SourceFile, Span, SpanKind, TextRange, Value};
use crate::workspace::{FileEntry, FileId, Namespace, Workspace};

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
pub(crate) fn span_ident(span: &Span) -> Option<(Namespace, Value)> {
    match span.kind {
        SpanKind::Mention { entity } => Some((Namespace::Entity, entity)),
        SpanKind::Quote { speaker } => Some((Namespace::Entity, speaker)),
        SpanKind::Figure { key } => Some((Namespace::Quantity, key)),
        SpanKind::Unknown => None,
    }
}

/// Ids are looked for first (a cursor just after an id is still on it),
/// then the innermost span around the cursor.
pub(crate) fn site_at(entry: &FileEntry, syntax: &SourceFile, offset: usize) -> Option<Site> {
    let analysis = &entry.analysis;
    if let Some(article) = &analysis.article {
        if !article.id.is_empty() && touches(&article.id, offset) {
            return Some(Site::ArticleId);
        }
    }
    for (index, block) in syntax.blocks.iter().enumerate() {
        if !block.id.is_empty() && touches(&block.id, offset) {
            return Some(Site::BlockId(index));
        }
    }
    for (c, citation) in syntax.citations.iter().enumerate() {
        if !touches(&citation.range, offset) {
            continue;
        }
        for (i, item) in syntax.items(citation.items).iter().enumerate() {
            // The `@` belongs to the item too.
            let with_at = TextRange::new(item.id.start().saturating_sub(1), item.id.end());
            if touches(&with_at, offset) {
                return Some(Site::CiteItem { citation: c, item: i });
            }
        }
    }
    for (index, span) in syntax.spans.iter().enumerate() {
        if let Some((_, ident)) = span_ident(span) {
            if !syntax.text_of(&entry.text, ident).is_empty() && touches(&ident.range, offset) {
                return Some(Site::SpanId(index));
            }
        }
    }
    let innermost = syntax
        .spans
        .iter()
        .enumerate()
        .filter(|(_, span)| span_ident(span).is_some())
        .filter(|(_, span)| span.range.start() <= offset && offset < span.range.end())
        .min_by_key(|(_, span)| span.range.len());
    let (index, span) = innermost?;
    if touches(&span.text_range, offset) {
        Some(Site::SpanText(index))
    } else {
        Some(Site::SpanMarkup(index))
    }
}

pub fn symbol_at(workspace: &Workspace, file: FileId, offset: usize) -> Option<SymbolAt> {
    let entry = workspace.file(file)?;
    let syntax = entry.syntax();
    symbol_of_site(entry, &syntax, site_at(entry, &syntax, offset)?)
}

/// Figure TEXT and quote TEXT are about a figure or a quote, not an id:
/// they give no symbol. A mention's TEXT gives its entity.
pub(crate) fn symbol_of_site(entry: &FileEntry, syntax: &SourceFile, site: Site) -> Option<SymbolAt> {
    let analysis = &entry.analysis;
    let text = &entry.text;
    let (namespace, id, range) = match site {
        Site::SpanId(s) => {
            let (namespace, value) = span_ident(syntax.spans.get(s)?)?;
            (namespace, syntax.text_of(text, value), value.range)
        }
        Site::SpanText(s) => match syntax.spans.get(s)?.kind {
            SpanKind::Mention { entity } => (Namespace::Entity, syntax.text_of(text, entity), entity.range),
            _ => return None,
        },
        Site::SpanMarkup(_) => return None,
        Site::CiteItem { citation, item } => {
            let id = syntax.items(syntax.citations.get(citation)?.items).get(item)?.id;
            (Namespace::Source, &text[id], id)
        }
        Site::BlockId(b) => {
            let block = syntax.blocks.get(b)?;
            (namespace_of(block.kind), &text[block.id], block.id)
        }
        Site::ArticleId => {
            let id = analysis.article.as_ref()?.id;
            (Namespace::Source, &text[id], id)
        }
    };
    if id.is_empty() {
        return None;
    }
    Some(SymbolAt { namespace, id: id.to_string(), range })
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{fixture, world};
    use super::*;

    /// "entity stoltenberg at ap.news.md:12:78 \"stoltenberg\"", or "none".
    fn at(marked: &str) -> String {
        let f = world(marked);
        match symbol_at(&f.workspace, f.file, f.offset) {
            Some(s) => format!("{} {} at {}", s.namespace.describe(), s.id, f.show(f.file, &s.range)),
            None => "none".to_string(),
        }
    }

    #[test]
    fn mention_text_gives_its_entity_and_the_ent_value() {
        assert_eq!(at("[Jens$0 Stoltenberg]"), "entity stoltenberg at ap.news.md:12:59 \"stoltenberg\"");
        assert_eq!(
            at("[$0Stoltenberg]{ent=stoltenberg} told"),
            "entity stoltenberg at forces.news.md:8:19 \"stoltenberg\""
        );
    }

    #[test]
    fn attribute_values_give_their_ids() {
        assert_eq!(at("{ent=na$0to}"), "entity nato at ap.news.md:12:12 \"nato\"");
        assert_eq!(at("{by=stoltenberg$0}"), "entity stoltenberg at ap.news.md:14:73 \"stoltenberg\"");
        assert_eq!(
            at("{fig=$0nato-iraq.personnel}[see"),
            "quantity key nato-iraq.personnel at ap.news.md:12:121 \"nato-iraq.personnel\""
        );
    }

    #[test]
    fn citation_ids_with_or_without_the_at_sign() {
        let expected = "article or source reuters-2020-02-12 at ap.news.md:12:147 \"reuters-2020-02-12\"";
        assert_eq!(at("[see $0@reuters-2020-02-12"), expected);
        assert_eq!(at("[see @reuters-2020-02-12$0, para. 4]"), expected);
        assert_eq!(at("[se$0e @reuters"), "none");
        assert_eq!(at("para.$0 4]"), "none");
    }

    #[test]
    fn definition_ids_in_headers_and_front_matter() {
        assert_eq!(at("::: entity na$0to"), "entity nato at entities.news.md:13:12 \"nato\"");
        assert_eq!(
            at("::: quantity nato-iraq$0"),
            "quantity key nato-iraq.personnel at sources.news.md:10:14 \"nato-iraq.personnel\""
        );
        assert_eq!(at("id: ap-2020$0"), "article or source ap-2020-02-13 at ap.news.md:2:5 \"ap-2020-02-13\"");
        assert_eq!(at("title: Iraq$0 green"), "none");
    }

    #[test]
    fn figure_and_quote_text_and_prose_name_no_id() {
        assert_eq!(at("[about$0 500 troops]"), "none");
        assert_eq!(at("[“We will$0 only"), "none");
        assert_eq!(at("Canada leads$0"), "none");
        // The mention nested in the quote is found, not the quote.
        assert_eq!(at("[Ir$0aq]{ent=iraq} as long"), "entity iraq at ap.news.md:14:35 \"iraq\"");
    }

    #[test]
    fn offsets_inside_a_character_or_past_the_end_do_not_panic() {
        let f = fixture("🎉 [Jens]{ent=stoltenberg} 北约\n");
        for offset in 0..f.text(f.file).len() + 3 {
            let _ = symbol_at(&f.workspace, f.file, offset);
        }
        let s = symbol_at(&f.workspace, f.file, 7).expect("on the mention");
        assert_eq!(f.show(f.file, &s.range), "main.news.md:1:14 \"stoltenberg\"");
    }
}
