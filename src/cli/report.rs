//! Findings as every output format needs them: paths as given, 1-based
//! lines and columns counted in Unicode scalar values.

use crate::base::TextRange;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::fix::Applicability;
use crate::line_index::{Encoding, LineCol};
use crate::workspace::{FileId, Workspace};

#[derive(Clone, Debug)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug)]
pub struct Location {
    pub path: String,
    pub start: Position,
    pub end: Position,
    /// Byte range in the file, for snippets.
    pub range: TextRange,
    pub file: FileId,
}

#[derive(Clone, Debug)]
pub struct RelatedFinding {
    pub location: Location,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    pub related: Vec<RelatedFinding>,
    /// How safe the finding's fix is, when it has one (for the "N fixable
    /// with `--fix`" line).
    pub fix: Option<Applicability>,
}

pub fn location(workspace: &Workspace, file: FileId, range: TextRange) -> Location {
    let entry = workspace.entry(file);
    let convert = |offset: usize| {
        let LineCol { line, col } = entry.line_index().line_col(&entry.text, offset, Encoding::Utf32);
        Position { line: line as usize + 1, column: col as usize + 1 }
    };
    Location { path: entry.name.clone(), start: convert(range.start()), end: convert(range.end()), range, file }
}

pub fn finding(workspace: &Workspace, file: FileId, diagnostic: Diagnostic) -> Finding {
    Finding {
        code: diagnostic.code,
        severity: diagnostic.severity,
        location: location(workspace, file, diagnostic.range),
        related: diagnostic
            .related
            .into_iter()
            .map(|r| RelatedFinding { location: location(workspace, r.file, r.range), message: r.message.to_string() })
            .collect(),
        message: diagnostic.message,
        fix: diagnostic.fix.map(|f| f.applicability),
    }
}
