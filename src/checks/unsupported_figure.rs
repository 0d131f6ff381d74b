use super::conflicts::{capped, MAX_PARTNERS};
use super::{describe_figure, Ctx};
use crate::diagnostic::{Code, Diagnostic, Related};
use crate::workspace::analysis::Figure;
use crate::workspace::Namespace;

/// A figure cites a workspace article which states the same key for an
/// overlapping period, but only with values that cannot agree with it.
pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let analysis = &ctx.entry().analysis;
    for figure in &analysis.figures {
        for &name in figure.citations.ids.iter() {
            let id = ctx.workspace.name(name);
            for article in ctx.workspace.index().definitions_of(Namespace::Source, name) {
                let cited = &ctx.workspace.entry(article.file).analysis;
                let is_article = cited.definitions[article.item()].block.is_none();
                if !is_article || article.file == ctx.file {
                    continue;
                }
                let stated: Vec<&Figure> = cited
                    .figures
                    .iter()
                    .filter(|f| f.key.name == figure.key.name && periods_overlap(f, figure))
                    .collect();
                if stated.is_empty() || stated.iter().any(|f| f.interval.overlaps(&figure.interval)) {
                    continue;
                }
                let related = stated
                    .iter()
                    .take(MAX_PARTNERS + 1)
                    .map(|f| Related {
                        file: article.file,
                        range: f.range,
                        message: format!(
                            "`@{id}` states `{}` as {}",
                            ctx.workspace.name(f.key.name),
                            describe_figure(f)
                        )
                        .into(),
                    })
                    .collect();
                let related = capped(related, stated.len(), "figures");
                let mut values: Vec<String> = stated.iter().take(MAX_PARTNERS).map(|f| describe_figure(f)).collect();
                if stated.len() > MAX_PARTNERS {
                    values.push(format!("and {} more", stated.len() - MAX_PARTNERS));
                }
                let message = format!(
                    "`{}` is {} here, but the cited article `@{id}` states {}",
                    ctx.workspace.name(figure.key.name),
                    describe_figure(figure),
                    values.join(", ")
                );
                let range = figure.range;
                out.push(Diagnostic::new(Code::UnsupportedFigure, range, message).with_related(related));
            }
        }
    }
}

fn periods_overlap(a: &Figure, b: &Figure) -> bool {
    match (a.period, b.period) {
        (Some(x), Some(y)) => x.overlaps(&y),
        _ => true,
    }
}
