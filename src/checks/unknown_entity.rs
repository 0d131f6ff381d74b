use super::suggest::Suggestions;
use super::Ctx;
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
    let mut suggestions = Suggestions::new(ctx.workspace, Namespace::Entity);
    for (id, what) in named {
        if ctx.workspace.index().definitions(Namespace::Entity, &id.text).is_empty() {
            out.push(Diagnostic::new(Code::UnknownEntity, id.range.clone(), message(&mut suggestions, what, id)));
        }
    }
}

fn message(suggestions: &mut Suggestions, what: &str, id: &Ident) -> String {
    let mut message = format!("{what} unknown entity `{}`: no `::: entity {}` block defines it", id.text, id.text);
    if let Some(near) = suggestions.get(&id.text) {
        message.push_str(&format!("; did you mean `{near}`?"));
    }
    message
}
