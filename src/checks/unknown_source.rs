use super::suggest::{replace_id_fix, Suggestions};
use super::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::workspace::Namespace;

/// The fix to the nearest id is always unsafe: source ids carry dates and
/// outlets, so a near id is often another article.
pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let mut suggestions = Suggestions::new(ctx.workspace, Namespace::Source);
    let in_text: std::collections::HashSet<usize> =
        ctx.entry().analysis.in_text_citations.iter().map(|c| c.start()).collect();
    for id in &ctx.entry().analysis.cited_ids {
        if !ctx.workspace.index().definitions_of(Namespace::Source, id.name).is_empty() {
            continue;
        }
        let mut message = format!(
            "`@{}` names no article or source: no front matter or `::: source` block has this id",
            ctx.workspace.name(id.name)
        );
        let near = suggestions.nearest(ctx.workspace.name(id.name));
        if let Some(near) = &near {
            message.push_str(&format!("; did you mean `@{}`?", near.id));
        }
        // A bare `@word` is a citation to pandoc, though often meant as a handle.
        if id.range.start() > 0 && in_text.contains(&(id.range.start() - 1)) {
            message.push_str(&format!(
                " (pandoc reads a bare `@{}` as a citation; if it is a handle, not a citation, write `\\@{}`)",
                ctx.workspace.name(id.name),
                ctx.workspace.name(id.name)
            ));
        }
        let fix = near.map(|near| replace_id_fix(id.range, &near, &format!("@{}", near.id), false));
        out.push(Diagnostic::new(Code::UnknownSource, id.range, message).with_fix(fix));
    }
}
