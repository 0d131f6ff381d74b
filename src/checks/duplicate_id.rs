use super::Ctx;
use crate::diagnostic::{Code, Diagnostic, Related};

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let index = ctx.workspace.index();
    for (item, definition) in ctx.entry().analysis.definitions.iter().enumerate() {
        let all = index.definitions_of(definition.namespace, definition.id.name);
        if all.len() < 2 {
            continue;
        }
        let also: std::sync::Arc<str> =
            format!("`{}` is also defined here", ctx.workspace.name(definition.id.name)).into();
        let related: Vec<Related> = all
            .iter()
            .filter(|l| !(l.file == ctx.file && l.item() == item))
            // Capped before anything is built: n copies of an id must not cost n² (the count is in the message).
            .take(super::conflicts::MAX_PARTNERS + 1)
            .map(|l| Related {
                file: l.file,
                range: ctx.workspace.entry(l.file).analysis.definitions[l.item()].id.range,
                message: also.clone(),
            })
            .collect();
        let related = super::conflicts::capped(related, all.len() - 1, "definitions");
        let message = format!(
            "{} id `{}` is defined {} times; ids must be unique",
            definition.namespace.describe(),
            ctx.workspace.name(definition.id.name),
            all.len()
        );
        out.push(Diagnostic::new(Code::DuplicateId, definition.id.range, message).with_related(related));
    }
}
