use super::{closest_id, Ctx};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::Ident;
use crate::workspace::Namespace;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let analysis = &ctx.entry().analysis;
    let named = analysis
        .mentions
        .iter()
        .map(|m| (&m.entity, "mention of"))
        .chain(analysis.quotes.iter().map(|q| (&q.speaker, "quote by")));
    for (id, what) in named {
        if ctx.workspace.index().definitions(Namespace::Entity, &id.text).is_empty() {
            out.push(Diagnostic::new(Code::UnknownEntity, id.range.clone(), message(ctx, what, id)));
        }
    }
}

fn message(ctx: &Ctx, what: &str, id: &Ident) -> String {
    let mut message = format!("{what} unknown entity `{}`: no `::: entity {}` block defines it", id.text, id.text);
    if let Some(near) = closest_id(ctx.workspace, Namespace::Entity, &id.text) {
        message.push_str(&format!("; did you mean `{near}`?"));
    }
    message
}
