use super::suggest::{replace_id_fix, Suggestions};
use super::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::workspace::Namespace;

/// The fix to the nearest entity id is safe when it is the only one that
/// near: an entity id is a name, and a typo in it has one reading.
pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let analysis = &ctx.entry().analysis;
    let named = analysis
        .mentions
        .iter()
        .map(|m| (&m.entity, "mention of"))
        .chain(analysis.quotes.iter().map(|q| (&q.speaker, "quote by")));
    let mut suggestions = Suggestions::new(ctx.workspace, Namespace::Entity);
    for (id, what) in named {
        if !ctx.workspace.index().definitions_of(Namespace::Entity, id.name).is_empty() {
            continue;
        }
        let mut message = format!(
            "{what} unknown entity `{}`: no `::: entity {}` block defines it",
            ctx.workspace.name(id.name),
            ctx.workspace.name(id.name)
        );
        let near = suggestions.nearest(ctx.workspace.name(id.name));
        if let Some(near) = &near {
            message.push_str(&format!("; did you mean `{}`?", near.id));
        }
        let fix = near.map(|near| replace_id_fix(id.range, &near, &near.id, true));
        out.push(Diagnostic::new(Code::UnknownEntity, id.range, message).with_fix(fix));
    }
}
