//! Findings in editor-neutral terms: byte ranges in a file of the workspace.

use crate::fix::Fix;
use crate::syntax::TextRange;
use crate::workspace::FileId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    MalformedMarkup,
    InvalidAttribute,
    UnknownEntity,
    UnknownSource,
    DuplicateId,
    UncitedFigure,
    ContradictingFigure,
    UnsupportedFigure,
    ConflictingAttribution,
    Misquote,
    UnknownQuantity,
    UnusedSuppression,
    UnannotatedFigure,
}

/// Where each code is explained, as `#code` anchors.
pub const DOCS_URL: &str = "https://github.com/newsmark/newsmark/blob/main/docs/format.md";

impl Code {
    pub fn docs_url(self) -> String {
        format!("{DOCS_URL}#{}", self.as_str())
    }

    pub const ALL: [Code; 13] = [
        Code::MalformedMarkup,
        Code::InvalidAttribute,
        Code::UnknownEntity,
        Code::UnknownSource,
        Code::DuplicateId,
        Code::UncitedFigure,
        Code::ContradictingFigure,
        Code::UnsupportedFigure,
        Code::ConflictingAttribution,
        Code::Misquote,
        Code::UnknownQuantity,
        Code::UnusedSuppression,
        Code::UnannotatedFigure,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::MalformedMarkup => "malformed-markup",
            Code::InvalidAttribute => "invalid-attribute",
            Code::UnknownEntity => "unknown-entity",
            Code::UnknownSource => "unknown-source",
            Code::DuplicateId => "duplicate-id",
            Code::UncitedFigure => "uncited-figure",
            Code::ContradictingFigure => "contradicting-figure",
            Code::UnsupportedFigure => "unsupported-figure",
            Code::ConflictingAttribution => "conflicting-attribution",
            Code::Misquote => "misquote",
            Code::UnknownQuantity => "unknown-quantity",
            Code::UnusedSuppression => "unused-suppression",
            Code::UnannotatedFigure => "unannotated-figure",
        }
    }

    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Code::MalformedMarkup
            | Code::InvalidAttribute
            | Code::UnknownEntity
            | Code::UnknownSource
            | Code::DuplicateId => Severity::Error,
            Code::UnannotatedFigure => Severity::Hint,
            _ => Severity::Warning,
        }
    }

    pub fn short_description(self) -> &'static str {
        match self {
            Code::MalformedMarkup => "Markup that cannot be read",
            Code::InvalidAttribute => "An attribute or field with a bad name or value",
            Code::UnknownEntity => "A mention or speaker naming no defined entity",
            Code::UnknownSource => "A citation naming no article or source",
            Code::DuplicateId => "The same id defined twice",
            Code::UncitedFigure => "A figure with no citation",
            Code::ContradictingFigure => "Figures for the same quantity and period that disagree",
            Code::UnsupportedFigure => "A figure its cited article states differently",
            Code::ConflictingAttribution => "The same quote attributed to different speakers",
            Code::Misquote => "A quote its cited article does not contain",
            Code::UnknownQuantity => "A figure key that no quantity block defines",
            Code::UnusedSuppression => "A suppression comment that silences nothing",
            Code::UnannotatedFigure => "A number in prose that is not annotated as a figure",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" | "information" => Some(Severity::Info),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub file: FileId,
    pub range: TextRange,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub range: TextRange,
    pub message: String,
    pub related: Vec<Related>,
    /// The edits that resolve it, made where the finding is made.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(code: Code, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.default_severity(),
            range,
            message: message.into(),
            related: Vec::new(),
            fix: None,
        }
    }

    pub fn with_related(mut self, related: Vec<Related>) -> Diagnostic {
        self.related = related;
        self
    }

    pub fn with_fix(mut self, fix: Option<Fix>) -> Diagnostic {
        self.fix = fix;
        self
    }
}
