use super::{describe_figure, Ctx};
use crate::diagnostic::{Code, Diagnostic, Related};

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let analysis = &ctx.entry().analysis;
    for (item, figure) in analysis.figures.iter().enumerate() {
        let Some(conflicts) = ctx.workspace.conflicts(figure.key.name) else { continue };
        let loc = crate::workspace::Loc::new(ctx.file, item);
        let Some((partners, total)) = conflicts.partners.get(&loc) else { continue };
        let related: Vec<Related> = partners
            .iter()
            .map(|other| {
                let entry = ctx.workspace.entry(other.file);
                let theirs = &entry.analysis.figures[other.item()];
                Related {
                    file: other.file,
                    range: theirs.range,
                    message: format!("`{}` is {} here", ctx.workspace.name(theirs.key.name), describe_figure(theirs))
                        .into(),
                }
            })
            .collect();
        let related = super::conflicts::capped(related, *total, "contradicting figures");
        let first = &partners[0];
        let theirs = &ctx.workspace.entry(first.file).analysis.figures[first.item()];
        let mut message = format!(
            "`{}` is {} here, but {} in {}",
            ctx.workspace.name(figure.key.name),
            describe_figure(figure),
            describe_figure(theirs),
            ctx.short_name(first.file)
        );
        match total - 1 {
            0 => {}
            1 => message.push_str(" (and 1 other contradicting figure for the same period)"),
            more => message.push_str(&format!(" (and {more} other contradicting figures for the same period)")),
        }
        let range = figure.range;
        out.push(Diagnostic::new(Code::ContradictingFigure, range, message).with_related(related));
    }
}
