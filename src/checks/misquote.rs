use super::Ctx;
use crate::diagnostic::{Code, Diagnostic, Related};
use crate::workspace::Namespace;

/// A quote cites a workspace article whose text does not contain it.
pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let analysis = &ctx.entry().analysis;
    for quote in &analysis.quotes {
        if quote.normalized.is_empty() {
            continue;
        }
        let needle = format!(" {} ", quote.normalized);
        for &name in &quote.citations.ids {
            let id = ctx.workspace.name(name);
            for article in ctx.workspace.index().definitions_of(Namespace::Source, name) {
                if article.file == ctx.file {
                    continue;
                }
                let cited_entry = ctx.workspace.entry(article.file);
                let cited = &cited_entry.analysis;
                if cited.definitions[article.item()].block.is_some() {
                    continue;
                }
                let Some(body) = cited_entry.normalized_body() else { continue };
                // memchr's SIMD substring search: bodies are whole articles.
                if memchr::memmem::find(body.as_bytes(), needle.as_bytes()).is_some() {
                    continue;
                }
                let related = vec![Related {
                    file: article.file,
                    range: cited.definitions[article.item()].id.range,
                    message: format!("`@{id}` does not contain this quote"),
                }];
                let message = format!(
                    "the cited article `@{id}` does not contain this quote (compared ignoring case, punctuation and spacing)"
                );
                let range = quote.range;
                out.push(Diagnostic::new(Code::Misquote, range, message).with_related(related));
            }
        }
    }
}
