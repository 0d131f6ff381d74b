use super::Ctx;
use crate::diagnostic::{Code, Diagnostic, Related};

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let analysis = &ctx.entry().analysis;
    for quote in &analysis.quotes {
        let Some(same) = ctx.workspace.index().quotes_by_text.get(&quote.normalized) else { continue };
        let others: Vec<_> = same
            .iter()
            .map(|l| (l, &ctx.workspace.entry(l.file).analysis.quotes[l.item]))
            .filter(|(_, q)| q.speaker.text != quote.speaker.text)
            .collect();
        let Some((first, first_quote)) = others.first() else { continue };
        let related = others
            .iter()
            .take(super::conflicts::MAX_PARTNERS)
            .map(|(l, q)| Related {
                file: l.file,
                range: ctx.workspace.entry(l.file).analysis.syntax.spans[q.span].range.clone(),
                message: format!("attributed to `{}` here", q.speaker.text),
            })
            .collect();
        let mut message = format!(
            "this quote is attributed to `{}` here, but to `{}` in {}",
            quote.speaker.text,
            first_quote.speaker.text,
            ctx.short_name(first.file)
        );
        match others.len() - 1 {
            0 => {}
            1 => message.push_str(" (and 1 other attribution)"),
            more => message.push_str(&format!(" (and {more} other attributions)")),
        }
        let range = analysis.syntax.spans[quote.span].range.clone();
        out.push(Diagnostic::new(Code::ConflictingAttribution, range, message).with_related(related));
    }
}
