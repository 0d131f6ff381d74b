use super::Ctx;
use crate::diagnostic::{Code, Diagnostic};

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let analysis = &ctx.entry().analysis;
    for problem in analysis.problems.iter().filter(|p| p.code == Code::MalformedMarkup) {
        out.push(
            Diagnostic::new(Code::MalformedMarkup, problem.range, problem.message.clone())
                .with_fix(problem.fix.clone()),
        );
    }
}
