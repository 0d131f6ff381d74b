//! One rule per diagnostic code. Each rule reports on one file, reading the
//! rest of the workspace through its index, so the language server can
//! re-check just the files an edit touched.

mod conflicting_attribution;
pub mod conflicts;
mod contradicting_figure;
mod duplicate_id;
mod invalid_attribute;
mod malformed_markup;
mod misquote;
#[cfg(test)]
mod scale_tests;
mod suggest;
mod suppression;
mod unannotated_figure;
mod uncited_figure;
mod unknown_entity;
mod unknown_quantity;
mod unknown_source;
mod unsupported_figure;

pub(crate) use suggest::SuggestionMemo;
pub use suggest::{closest_id, could_suggest};

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic};
use crate::workspace::{FileId, Workspace};

/// What every rule sees.
pub struct Ctx<'a> {
    pub workspace: &'a Workspace,
    pub file: FileId,
}

impl Ctx<'_> {
    fn entry(&self) -> &crate::workspace::FileEntry {
        self.workspace.entry(self.file)
    }

    /// A short name for a file in messages (the related location carries the full path).
    fn short_name(&self, file: FileId) -> String {
        let name = &self.workspace.entry(file).name;
        name.rsplit(['/', '\\']).next().unwrap_or(name).to_string()
    }
}

type Rule = fn(&Ctx, &mut Vec<Diagnostic>);

const RULES: [(Code, Rule); 12] = [
    (Code::MalformedMarkup, malformed_markup::check),
    (Code::InvalidAttribute, invalid_attribute::check),
    (Code::UnknownEntity, unknown_entity::check),
    (Code::UnknownSource, unknown_source::check),
    (Code::DuplicateId, duplicate_id::check),
    (Code::UncitedFigure, uncited_figure::check),
    (Code::ContradictingFigure, contradicting_figure::check),
    (Code::UnsupportedFigure, unsupported_figure::check),
    (Code::ConflictingAttribution, conflicting_attribution::check),
    (Code::Misquote, misquote::check),
    (Code::UnknownQuantity, unknown_quantity::check),
    (Code::UnannotatedFigure, unannotated_figure::check),
];

/// Every finding for one file, with the configured severities, in order of
/// position. Rules turned off are not run.
pub fn file_diagnostics(workspace: &Workspace, file: FileId) -> Vec<Diagnostic> {
    if workspace.file(file).is_none() {
        return Vec::new();
    }
    let ctx = Ctx { workspace, file };
    let config = workspace.config();
    let run = |&(code, rule): &(Code, Rule)| -> Vec<Diagnostic> {
        let Some(severity) = config.severity_of(code) else { return Vec::new() };
        let mut found = Vec::new();
        rule(&ctx, &mut found);
        for diagnostic in &mut found {
            debug_assert_eq!(diagnostic.code, code);
            diagnostic.severity = severity;
        }
        found
    };
    // The rules are independent: in a big file (an editor's long document,
    // re-checked on every keystroke) they share the cores. Small files are
    // checked many at a time already (`check`, a re-published registry).
    let found: Vec<Vec<Diagnostic>> = if ctx.entry().text.len() >= crate::base::BIG_FILE_BYTES {
        RULES.par_iter().map(run).collect()
    } else {
        RULES.iter().map(run).collect()
    };
    let mut all = Vec::with_capacity(found.iter().map(Vec::len).sum());
    found.into_iter().for_each(|f| all.extend(f));
    // Suppression comments are read here, where a file's findings are made,
    // so the command line and the server honour them alike.
    let entry = ctx.entry();
    let suppressions = suppression::Suppressions::read(&entry.text, &entry.analysis.comments);
    if !suppressions.is_empty() {
        all = suppressions.apply(&entry.text, entry.line_index(), config, all);
    }
    all.sort_by_key(|d| (d.range.start(), d.range.end(), d.code));
    all
}

/// "500 (as of 2020-01-13..2020-02-13)" for a figure in the index.
pub(crate) fn describe_figure(figure: &crate::workspace::analysis::Figure) -> String {
    match figure.period {
        Some(period) => format!("{} (as of {})", figure.interval, period),
        None => format!("{} (undated)", figure.interval),
    }
}
