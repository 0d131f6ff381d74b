//! The parsed shape of one file. Every node keeps its byte range in the
//! original text, so nothing needs re-parsing to report or edit.

pub use crate::base::TextRange;

#[derive(Clone, Debug, Default)]
pub struct SourceFile {
    pub front_matter: Option<FrontMatter>,
    pub blocks: Vec<Block>,
    pub spans: Vec<Span>,
    pub citations: Vec<Citation>,
    pub paragraphs: Vec<TextRange>,
    /// Ranges inside paragraphs that are markup, not prose: brackets,
    /// attribute lists, citations, escape backslashes, HTML comments.
    /// Sorted and disjoint.
    pub markup: Vec<TextRange>,
    /// Runs of ordinary prose outside any span, citation, code or link
    /// target: where a bare number is an unannotated figure.
    pub plain_runs: Vec<TextRange>,
    /// Every HTML comment `<!-- … -->` that pandoc reads as a comment
    /// (not inside code, a link target or an attribute value), from `<!--`
    /// to `-->` inclusive, in order. Suppression comments are read from these.
    pub comments: Vec<TextRange>,
    /// Character references (`&amp;`), also in `markup`: plain text shows
    /// the character they stand for.
    pub entities: Vec<TextRange>,
    pub errors: Vec<SyntaxError>,
    /// Indices into `citations` of the free-standing ones (attached to no
    /// span), in order: a paragraph's are found by binary search.
    pub free_citations: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub range: TextRange,
    pub message: String,
    /// The edits that make the markup valid, when there is one reading.
    pub fix: Option<crate::fix::Fix>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    Malformed,
    InvalidAttribute,
}

/// A `key: value` line of front matter or of a definition block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub key: String,
    pub key_range: TextRange,
    pub value: String,
    pub value_range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrontMatter {
    pub range: TextRange,
    pub fields: Vec<Field>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockKind {
    Entity,
    Source,
    Quantity,
}

impl BlockKind {
    pub fn from_word(word: &str) -> Option<BlockKind> {
        match word {
            "entity" => Some(BlockKind::Entity),
            "source" => Some(BlockKind::Source),
            "quantity" => Some(BlockKind::Quantity),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Entity => "entity",
            BlockKind::Source => "source",
            BlockKind::Quantity => "quantity",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// Empty when the header names no id (reported as malformed).
    pub id: Ident,
    /// From the opening `:::` to the end of the closing `:::` line.
    pub range: TextRange,
    pub header_range: TextRange,
    pub fields: Vec<Field>,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Ident {
    pub text: String,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpanKind {
    Mention {
        entity: Ident,
    },
    Figure {
        key: Ident,
    },
    Quote {
        speaker: Ident,
    },
    /// No kind attribute, or more than one; already reported.
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// From `[` to the closing `}`.
    pub range: TextRange,
    /// The TEXT between the brackets.
    pub text_range: TextRange,
    /// From `{` to `}` inclusive.
    pub attrs_range: TextRange,
    pub attrs: Vec<Attr>,
    pub kind: SpanKind,
    /// The enclosing span, for nested spans.
    pub parent: Option<usize>,
    pub paragraph: usize,
    /// The citation written directly after the closing `}`.
    pub citation: Option<usize>,
}

impl Span {
    pub fn attr(&self, key: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.key == key)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attr {
    pub key: String,
    pub key_range: TextRange,
    /// Unquoted and unescaped.
    pub value: String,
    /// The value as written, quotes excluded.
    pub value_range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citation {
    /// From `[` to `]`.
    pub range: TextRange,
    pub items: Vec<CiteItem>,
    pub paragraph: usize,
    /// The span this citation directly follows, if any.
    pub attached_to: Option<usize>,
    /// A bare `@id` in the text (pandoc's author-in-text citation), not in brackets.
    pub in_text: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CiteItem {
    /// The id, without `@`.
    pub id: Ident,
    pub prefix: String,
    pub locator: String,
}
