use super::Ctx;
use crate::base::{FastMap, Name};
use crate::diagnostic::{Code, Diagnostic, Related};
use crate::workspace::Loc;

/// What one speaker's copies of one quote are told: the first other
/// attributions (at most `MAX_PARTNERS`), and how many there are.
struct Others {
    related: Vec<Related>,
    first: Option<(Loc, String)>,
    count: usize,
}

/// Linear in the copies of each quote, however many there are: each
/// speaker's partners among the copies are counted and found once.
pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let analysis = &ctx.entry().analysis;
    let quote_at = |l: &Loc| &ctx.workspace.entry(l.file).analysis.quotes[l.item()];
    let mut others: FastMap<(&str, Name), Others> = FastMap::default();
    for quote in &analysis.quotes {
        let same = ctx.workspace.index().quotes_with_text(&quote.normalized);
        // The only copy is this quote (the index lists every quote with a
        // text): no other attribution, and no entry to make for it.
        if same.len() <= 1 {
            continue;
        }
        let text: &str = &quote.normalized;
        let speaker = quote.speaker.name;
        // How many copies name another speaker: comparisons of names only,
        // no table of every speaker's count (this runs for every file that
        // has a copy, so it is the cost of a popular quote).
        let found = others.entry((text, speaker)).or_insert_with(|| {
            let count = same.iter().filter(|l| quote_at(l).speaker.name != speaker).count();
            if count == 0 {
                return Others { related: Vec::new(), first: None, count };
            }
            let mut partners = same.iter().filter(|l| quote_at(l).speaker.name != speaker);
            let first = partners.clone().next().map(|l| (*l, ctx.workspace.name(quote_at(l).speaker.name).to_string()));
            let related = partners
                .by_ref()
                .take(super::conflicts::MAX_PARTNERS + 1)
                .map(|l| {
                    let q = quote_at(l);
                    Related {
                        file: l.file,
                        range: q.range,
                        message: format!("attributed to `{}` here", ctx.workspace.name(q.speaker.name)).into(),
                    }
                })
                .collect();
            Others { related: super::conflicts::capped(related, count, "attributions"), first, count }
        });
        let Some((first, first_speaker)) = &found.first else { continue };
        let mut message = format!(
            "this quote is attributed to `{}` here, but to `{}` in {}",
            ctx.workspace.name(quote.speaker.name),
            first_speaker,
            ctx.short_name(first.file)
        );
        match found.count - 1 {
            0 => {}
            1 => message.push_str(" (and 1 other attribution)"),
            more => message.push_str(&format!(" (and {more} other attributions)")),
        }
        let range = quote.range;
        out.push(Diagnostic::new(Code::ConflictingAttribution, range, message).with_related(found.related.clone()));
    }
}
