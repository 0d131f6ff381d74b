use super::Ctx;
use crate::diagnostic::{Code, Diagnostic};

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let entry = ctx.entry();
    for range in &entry.analysis.bare_numbers {
        let message = format!(
            "“{}” is a figure without markup: annotate it as `[…]{{fig=KEY}}` so it can be checked",
            &entry.text[*range]
        );
        out.push(Diagnostic::new(Code::UnannotatedFigure, *range, message));
    }
}
