use super::suggest::Suggestions;
use super::Ctx;
use crate::diagnostic::{Code, Diagnostic};
use crate::workspace::Namespace;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let mut suggestions = Suggestions::new(ctx.workspace, Namespace::Source);
    for id in &ctx.entry().analysis.cited_ids {
        if !ctx.workspace.index().definitions(Namespace::Source, &id.text).is_empty() {
            continue;
        }
        let mut message =
            format!("`@{}` names no article or source: no front matter or `::: source` block has this id", id.text);
        if let Some(near) = suggestions.get(&id.text) {
            message.push_str(&format!("; did you mean `@{near}`?"));
        }
        out.push(Diagnostic::new(Code::UnknownSource, id.range.clone(), message));
    }
}
