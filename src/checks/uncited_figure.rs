use super::Ctx;
use crate::diagnostic::{Code, Diagnostic};

/// Every figure span counts, even one whose value cannot be read. Read from
/// the file's records (a figure's citations, `unread_figures`), not its tree.
pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let analysis = &ctx.entry().analysis;
    let read = analysis.figures.iter().filter(|f| f.citations.is_empty()).map(|f| (f.key.name, f.range));
    let unread = analysis.unread_figures.iter().filter(|f| !f.cited).map(|f| (f.key.name, f.range));
    for (key, range) in read.chain(unread) {
        let message = format!(
            "figure `{}` cites no source: add `[@source-id]` right after it, or a citation in its paragraph",
            ctx.workspace.name(key)
        );
        out.push(Diagnostic::new(Code::UncitedFigure, range, message));
    }
}
