use super::suggest::{replace_id_fix, Suggestions};
use super::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::workspace::Namespace;

/// Only a workspace that defines quantity keys at all asks for every key to
/// be defined: without any `::: quantity` block, keys are free.
///
/// The figures read are those with a readable value (the indexed ones): a
/// figure whose value cannot be read is an `invalid-attribute` error first.
/// The fix to the nearest key is safe when no other defined key is as near.
pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let index = ctx.workspace.index();
    if index.defined_ids(Namespace::Quantity) == 0 {
        return;
    }
    let mut suggestions = Suggestions::new(ctx.workspace, Namespace::Quantity);
    for figure in &ctx.entry().analysis.figures {
        let key = &figure.key;
        if !index.definitions_of(Namespace::Quantity, key.name).is_empty() {
            continue;
        }
        let mut message = format!(
            "figure key `{}` is defined by no `::: quantity {}` block",
            ctx.workspace.name(key.name),
            ctx.workspace.name(key.name)
        );
        let near = suggestions.nearest(ctx.workspace.name(key.name));
        match &near {
            Some(near) => message.push_str(&format!("; did you mean `{}`?", near.id)),
            None => message.push_str(": define it, or use a key the workspace defines"),
        }
        let fix = near.map(|near| replace_id_fix(key.range, &near, &near.id, true));
        out.push(Diagnostic::new(Code::UnknownQuantity, key.range, message).with_fix(fix));
    }
}
