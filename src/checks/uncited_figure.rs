use super::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::SpanKind;
use crate::workspace::analysis::is_cited;

/// Every figure span counts, even one whose value cannot be read.
pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let entry = ctx.entry();
    let syntax = &entry.analysis.syntax;
    for (index, span) in syntax.spans.iter().enumerate() {
        let SpanKind::Figure { key } = span.kind else { continue };
        if !is_cited(syntax, index) {
            let message = format!(
                "figure `{}` cites no source: add `[@source-id]` right after it, or a citation in its paragraph",
                syntax.text_of(&entry.text, key)
            );
            out.push(Diagnostic::new(Code::UncitedFigure, span.range, message));
        }
    }
}
