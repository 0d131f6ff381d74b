//! The parsed shape of one file: flat arrays of small nodes. Every node
//! keeps its byte range in the original text, so nothing needs re-parsing
//! to report or edit; ids, keys and values are ranges into that text (read
//! them with the text: `&src[field.key]`, `file.text_of(src, value)`), and
//! a node's children (a span's attributes, a citation's items, a block's
//! fields) are a run of one array of the file, not a `Vec` each. A
//! workspace keeps a tree for every file: no `String` per node.

use std::marker::PhantomData;
use std::ops::Range;

pub use super::value::Value;
pub use crate::base::TextRange;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceFile {
    pub front_matter: Option<FrontMatter>,
    pub blocks: Vec<Block>,
    pub spans: Vec<Span>,
    pub citations: Vec<Citation>,
    /// Every span's attributes, span after span (`Span::attrs`).
    pub(super) attrs: Vec<Attr>,
    /// Every citation's items, citation after citation (`Citation::items`).
    pub(super) items: Vec<CiteItem>,
    /// The front matter's fields, then every block's, in order.
    pub(super) fields: Vec<Field>,
    /// The texts of the values that differ from their source bytes
    /// (`Value::unescaped` points here).
    pub(super) unescaped: Vec<Box<str>>,
    pub paragraphs: Vec<TextRange>,
    /// Ranges inside paragraphs that are markup, not prose: brackets,
    /// attribute lists, citations, escape backslashes, HTML comments.
    /// Sorted and disjoint.
    pub markup: Vec<TextRange>,
    /// Runs of ordinary prose outside any span, citation, code or link
    /// target: where a bare number is an unannotated figure.
    pub plain_runs: Vec<TextRange>,
    /// The runs of ASCII digits inside `plain_runs` (split where a run
    /// ends), in order: where a bare figure may be. Found by the inline
    /// reader's one pass, so no second lexer reads all prose.
    pub numerals: Vec<TextRange>,
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
    pub(super) free_citations: Vec<u32>,
    /// Line starts where the file may be cut for an incremental re-parse:
    /// the reading before and after each is independent (see
    /// `syntax::incremental`). In order.
    pub sync_points: Vec<u32>,
    /// The paragraphs that continue another: the later lines of a
    /// multi-line grid-table cell, which pandoc reads as one block with its
    /// first line but which are ranges of their own here (other cells stand
    /// between them). `(paragraph, first paragraph of its block)`, by
    /// paragraph; empty in a file without such cells.
    pub(super) cell_parts: Vec<(u32, u32)>,
    /// The same pairs the other way round, `(first paragraph, paragraph)`,
    /// in order: a block's parts are found by binary search, so a table of
    /// many multi-line cells costs linear time, not quadratic.
    pub(super) cell_blocks: Vec<(u32, u32)>,
}

impl SourceFile {
    /// The text of `value`, from `src`, the text this tree was read from
    /// (or from the side table, where reading changed the bytes).
    pub fn text_of<'a>(&'a self, src: &'a str, value: Value) -> &'a str {
        super::value::read(src, &self.unescaped, value)
    }

    pub fn attrs(&self, run: Run<Attr>) -> &[Attr] {
        run.of(&self.attrs)
    }

    /// The attribute `key` of `span` (keys are unique: a repeated one is
    /// reported, and the first counts).
    pub fn attr(&self, src: &str, span: &Span, key: &str) -> Option<&Attr> {
        self.attrs(span.attrs).iter().find(|a| src.get(a.key.to_range()) == Some(key))
    }

    pub fn items(&self, run: Run<CiteItem>) -> &[CiteItem] {
        run.of(&self.items)
    }

    pub fn fields(&self, run: Run<Field>) -> &[Field] {
        run.of(&self.fields)
    }

    /// The field `key` of a block or of the front matter.
    pub fn field(&self, src: &str, run: Run<Field>, key: &str) -> Option<&Field> {
        self.fields(run).iter().find(|f| src.get(f.key.to_range()) == Some(key))
    }

    /// The heap bytes this tree holds: its arrays (by capacity) and the
    /// texts they own (changed values, error messages; not the edits of
    /// errors' fixes). What a workspace pays per file for keeping the tree.
    pub fn heap_bytes(&self) -> usize {
        fn array<T>(v: &Vec<T>) -> usize {
            v.capacity() * std::mem::size_of::<T>()
        }
        array(&self.blocks)
            + array(&self.spans)
            + array(&self.citations)
            + array(&self.attrs)
            + array(&self.items)
            + array(&self.fields)
            + array(&self.unescaped)
            + self.unescaped.iter().map(|t| t.len()).sum::<usize>()
            + array(&self.paragraphs)
            + array(&self.markup)
            + array(&self.plain_runs)
            + array(&self.numerals)
            + array(&self.comments)
            + array(&self.entities)
            + array(&self.errors)
            + self.errors.iter().map(|e| e.message.capacity()).sum::<usize>()
            + array(&self.free_citations)
            + array(&self.sync_points)
            + array(&self.cell_parts)
            + array(&self.cell_blocks)
    }

    /// Indices into `citations` of the free-standing citations of
    /// `paragraph`'s block (its paragraphs: a grid cell's lines, which
    /// pandoc reads as one block, are several), in order.
    pub fn free_citations_in(&self, paragraph: usize) -> impl Iterator<Item = usize> + '_ {
        let block = self.block_of(paragraph);
        let from = self.cell_blocks.partition_point(|&(first, _)| (first as usize) < block);
        let parts = self.cell_blocks[from..].iter().take_while(move |&&(first, _)| first as usize == block);
        std::iter::once(block)
            .chain(parts.map(|&(_, p)| p as usize))
            .flat_map(move |p| self.free_citations_of_paragraph(p))
    }

    fn free_citations_of_paragraph(&self, paragraph: usize) -> impl Iterator<Item = usize> + '_ {
        let first = self.free_citations.partition_point(|&c| self.citations[c as usize].paragraph() < paragraph);
        self.free_citations[first..]
            .iter()
            .map(|&c| c as usize)
            .take_while(move |&c| self.citations[c].paragraph() == paragraph)
    }

    /// The first paragraph of the block `paragraph` belongs to: itself,
    /// unless it continues a grid-table cell.
    pub fn block_of(&self, paragraph: usize) -> usize {
        match self.cell_parts.binary_search_by_key(&(paragraph as u32), |&(p, _)| p) {
            Ok(i) => self.cell_parts[i].1 as usize,
            Err(_) => paragraph,
        }
    }
}

/// A node's children: a run of one of the file's flat arrays, read with
/// the matching `SourceFile` method (`file.attrs(span.attrs)`).
pub struct Run<T> {
    pub(super) start: u32,
    pub(super) end: u32,
    of: PhantomData<fn() -> T>,
}

impl<T> Run<T> {
    pub(super) fn new(range: Range<usize>) -> Run<T> {
        Run { start: index(range.start), end: index(range.end), of: PhantomData }
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    fn of(self, array: &[T]) -> &[T] {
        // A run of another tree reads as empty rather than panicking.
        array.get(self.start as usize..self.end as usize).unwrap_or(&[])
    }
}

impl<T> Clone for Run<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Run<T> {}

impl<T> Default for Run<T> {
    fn default() -> Self {
        Run { start: 0, end: 0, of: PhantomData }
    }
}

impl<T> PartialEq for Run<T> {
    fn eq(&self, other: &Self) -> bool {
        (self.start, self.end) == (other.start, other.end)
    }
}

impl<T> Eq for Run<T> {}

impl<T> std::fmt::Debug for Run<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}..{}", self.start, self.end)
    }
}

/// A reference to another node of the same tree (a span's parent or
/// citation, a citation's span), in four bytes: `index + 1`, so that an
/// absent one (`Option<NodeRef>`) needs no tag of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct NodeRef(std::num::NonZeroU32);

impl NodeRef {
    pub(super) fn to(at: usize) -> NodeRef {
        // `index` has already refused 2^32 nodes, so `at + 1` fits.
        NodeRef(std::num::NonZeroU32::MIN.saturating_add(index(at)))
    }

    pub(super) fn index(self) -> usize {
        self.0.get() as usize - 1
    }

    /// The same link once the array it points into is renumbered (`new`
    /// maps an old index to the new one): a splice of trees.
    pub(super) fn renumbered(self, new: impl FnOnce(u32) -> u32) -> NodeRef {
        NodeRef::to(new(index(self.index())) as usize)
    }
}

/// A node index as a tree stores it: the nodes of one file are indexed by
/// `u32` (a file has fewer than 4 GiB of bytes, so fewer nodes).
pub(super) fn index(at: usize) -> u32 {
    u32::try_from(at).expect("a file has fewer than 2^32 nodes")
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

/// A `key: value` line of front matter or of a definition block. Both are
/// the source bytes (YAML-style quotes around the value excluded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub key: TextRange,
    pub value: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrontMatter {
    pub range: TextRange,
    pub fields: Run<Field>,
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
    /// The id as written; empty (at the end of the header) when the header
    /// names none (reported as malformed).
    pub id: TextRange,
    /// From the opening `:::` to the end of the closing `:::` line.
    pub range: TextRange,
    pub header_range: TextRange,
    pub fields: Run<Field>,
}

/// What a span is, with the value of its kind attribute (`ent=`, `fig=`,
/// `by=`), which may be empty (`ent=""`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanKind {
    Mention {
        entity: Value,
    },
    Figure {
        key: Value,
    },
    Quote {
        speaker: Value,
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
    /// Read with `SourceFile::attrs` / `SourceFile::attr`.
    pub attrs: Run<Attr>,
    pub kind: SpanKind,
    pub(super) parent: Option<NodeRef>,
    pub(super) paragraph: u32,
    pub(super) citation: Option<NodeRef>,
}

impl Span {
    /// The enclosing span, for nested spans.
    pub fn parent(&self) -> Option<usize> {
        self.parent.map(NodeRef::index)
    }

    /// Index into `SourceFile::paragraphs`.
    pub fn paragraph(&self) -> usize {
        self.paragraph as usize
    }

    /// The citation written directly after the closing `}`.
    pub fn citation(&self) -> Option<usize> {
        self.citation.map(NodeRef::index)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attr {
    /// The key as written (identifier characters only).
    pub key: TextRange,
    /// Unquoted and unescaped; its range is the value as written, quotes
    /// excluded.
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citation {
    /// From `[` to `]`.
    pub range: TextRange,
    /// Read with `SourceFile::items`.
    pub items: Run<CiteItem>,
    pub(super) paragraph: u32,
    pub(super) attached_to: Option<NodeRef>,
    /// A bare `@id` in the text (pandoc's author-in-text citation), not in brackets.
    pub in_text: bool,
}

impl Citation {
    /// Index into `SourceFile::paragraphs`.
    pub fn paragraph(&self) -> usize {
        self.paragraph as usize
    }

    /// The span this citation directly follows, if any.
    pub fn attached_to(&self) -> Option<usize> {
        self.attached_to.map(NodeRef::index)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CiteItem {
    /// The id as written, without `@` (a citation key is never escaped).
    pub id: TextRange,
    /// `see` in `[see @id, para. 4]`; empty when there is none.
    pub prefix: Value,
    /// `para. 4` in `[see @id, para. 4]`; empty when there is none.
    pub locator: Value,
}
