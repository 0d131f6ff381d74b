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

/// Where each code is explained, as `#code` anchors: the docs of the source
/// tree this binary was built from (`cargo install --path .` keeps it). The
/// project has no published docs site, so no web address is claimed; when
/// the tree is gone there is no link at all rather than a dead one.
fn docs_file() -> Option<&'static str> {
    static DOCS: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    DOCS.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md");
        path.is_file().then(|| format!("file://{}", path.display()))
    })
    .as_deref()
}

impl Code {
    pub fn docs_url(self) -> Option<String> {
        docs_file().map(|file| format!("{file}#{}", self.as_str()))
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
    /// Shared: a finding's partners mostly say the same thing (a duplicate
    /// id's twenty "also defined here"), and a big file's findings are made
    /// again on every keystroke.
    pub message: std::sync::Arc<str>,
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

/// What `newsmark explain CODE` prints, and what docs/format.md says under
/// `### CODE` (a test keeps the two in agreement): the one registry of
/// what each rule checks, an example that triggers it, and the fix.
#[derive(Clone, Copy, Debug)]
pub struct Explanation {
    pub checks: &'static str,
    pub example: &'static str,
    pub fix: &'static str,
}

impl Code {
    pub fn explanation(self) -> Explanation {
        let (checks, example, fix) = match self {
            Code::MalformedMarkup => (
                "Markup that cannot be read: an unclosed span, attribute list, quoted value, definition block, \
                 front matter or HTML comment; a span with no kind; an attribute that is not `key=value`; a value \
                 that needs quotes.",
                "[about 500 troops]{fig=nato.troops        ← attribute list is not closed\n\
                 [plain text]{.smallcaps}                  ← span has no kind\n\
                 [more than 5,200]{fig=us value=>=5200}    ← quote this value",
                "close what is open (`}`, `]`, `:::`, `---`, `-->`), give the span `ent=`, `fig=` or `by=`, quote \
                 values with spaces or symbols. A literal bracket in prose is written `\\[`.",
            ),
            Code::InvalidAttribute => (
                "An attribute or field with a bad name or value: an unknown attribute (`colour=`), \
                 `value=`/`asof=` on a span that is not a figure, two kinds on one span, an id with invalid \
                 characters, a bad `value=`, `asof=` or date, a reversed range, a figure whose text has no readable \
                 value and no `value=`, front matter without `id` or `published`.",
                "[Troops]{fig=nato.troops}                 ← no value can be read from “Troops”\n\
                 [500]{fig=k asof=2020-14}                 ← month 14 is out of range",
                "use `ent`, `fig`, `by`, `value`, `asof` only; write dates as `YYYY-MM-DD`; add `value=` to figures \
                 whose text holds no number.",
            ),
            Code::UnknownEntity => (
                "An `ent=` or `by=` names no `::: entity` block. The message suggests the closest defined id when \
                 there is one.",
                "[Jens Stoltenberg]{ent=stoltenbreg}       ← no `::: entity stoltenbreg`",
                "correct the id, or define the entity (the editor's quick fix creates a stub block next to the other \
                 entities). The fix *Replace with `x`* is safe when one defined id is nearest and at most two edits \
                 away (a typo), unsafe otherwise.",
            ),
            Code::UnknownSource => (
                "A citation `@id` names no article (front matter `id`) and no `::: source` block.",
                "[about 500 troops]{fig=nato.troops}[@reuters-2020-02-31]   ← no such article or source",
                "correct the id (fix: *Replace with `@x`*, always unsafe: source ids carry dates and outlets, so a \
                 near id is often another article), or add a `::: source` block for the outside source (quick fix: \
                 *create source stub*).",
            ),
            Code::DuplicateId => (
                "The same id is defined twice in one namespace — two articles with one `id`, an article and a source \
                 block, two entity blocks. Reported on each definition, with the others as related locations.",
                "a.news.md: ::: entity nato\n\
                 b.news.md: ::: entity nato                ← defined twice",
                "rename one of them (rename in the editor updates every use).",
            ),
            Code::UncitedFigure => (
                "A figure with no citation: none of its own and no free-standing citation in its paragraph.",
                "Britain has [around 400 personnel]{fig=uk-iraq.personnel} in Iraq.",
                "cite where the number comes from: `…{fig=uk-iraq.personnel}[@source]`. The quick fix offers the \
                 sources other articles cite for the same key.",
            ),
            Code::ContradictingFigure => (
                "Two figures with the same key, whose as-of periods overlap, state values with no number in common. \
                 Reported on each, with the other(s) as related locations (up to 20, with a count of the rest).",
                "a.news.md (published 2020-02-13): [about 500 troops]{fig=nato-iraq.troops}\n\
                 c.news.md (published 2020-02-21): [900 troops]{fig=nato-iraq.troops}",
                "check both sources. If the figures describe different moments, say so with `asof=`; if they measure \
                 different things, give them different keys; if one is wrong, correct it.",
            ),
            Code::UnsupportedFigure => (
                "A figure cites a workspace article that states the same key, for an overlapping period, only with \
                 values that do not agree with it. Source blocks are not articles and are never checked this way.",
                "wire.news.md:  [about 500 trainers]{fig=nato-iraq.trainers}\n\
                 other.news.md: [2,000 trainers]{fig=nato-iraq.trainers}[@wire-2020-02-13]",
                "quote the cited article's figure faithfully, or cite the source that does support your number.",
            ),
            Code::ConflictingAttribution => (
                "The same quote is attributed to different speakers, here or in another article. Quotes are compared \
                 ignoring case, punctuation, quote marks and white space (apostrophes vanish, so *we’re* equals \
                 *were*).",
                "a.news.md: [“We will stay as long as we are welcome”]{by=stoltenberg}\n\
                 b.news.md: [“We will stay as long as we are welcome”]{by=esper}",
                "find out who said it and correct the `by=` that is wrong.",
            ),
            Code::Misquote => (
                "A quote cites a workspace article whose text does not contain it, compared ignoring case, \
                 punctuation, quote marks and white space, and word by word (`stay in Ira` is not found in `stay in \
                 Iraq`).",
                "[“We will stay for ever”]{by=stoltenberg}[@ap-2020-02-13]   ← not in the AP article",
                "quote the article word for word, or cite the source the quote really comes from.",
            ),
            Code::UnknownQuantity => (
                "A figure's key is defined by no `::: quantity` block, while the workspace defines at least one. A \
                 workspace with no quantity block at all uses free keys and gets no such warning. A figure whose value \
                 cannot be read is reported as `invalid-attribute` only.",
                "::: {.quantity #nato-iraq.personnel}\n\
                 :::\n\
                 \n\
                 [about 500 personnel]{fig=nato-iraq.personel}   ← did you mean `nato-iraq.personnel`?",
                "correct the key — the fix *Replace with `KEY`* names the nearest defined key; it is safe when no \
                 other defined key is as near and it is at most two edits away, unsafe otherwise — or add a \
                 `::: quantity` block for the new key.",
            ),
            Code::UnusedSuppression => (
                "A [suppression comment](#suppressions) silences no finding: the next line has no finding of that \
                 code, the region holds none, the file has none; or a `newsmark-enable` closes no `newsmark-disable`. \
                 A comment naming several codes is reported for the codes it does not use. A code whose rule is \
                 turned off in `newsmark.toml` is not called unused (turning the rule on again needs the comment).",
                "<!-- newsmark-disable-next-line misquote -->\n\
                 A line with no quote.                     ← `misquote` silences no finding",
                "(safe) remove the comment — with its line, when it stands alone on it — or only the unused codes, \
                 keeping the reason.",
            ),
            Code::UnannotatedFigure => (
                "A number in prose outside any span: a candidate figure that cannot be checked. Years, dates, \
                 ordinals, times, numbers inside words and codes (`5G`, `F-16`, `COVID-19`, `K1`) and number words \
                 are not flagged.",
                "The alliance has 500 trainers in Iraq.    ← 500 is not annotated",
                "annotate it — the quick fix wraps it as `[…]{fig=KEY}` — or turn the hint off.",
            ),
        };
        Explanation { checks, example, fix }
    }
}
