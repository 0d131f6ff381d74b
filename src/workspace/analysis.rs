//! What one file says, read once per edit: its article metadata,
//! definitions, figures with their intervals and periods, quotes, mentions
//! and citations. Everything here depends on this file's text and the
//! settings only, so files are analysed in parallel.

use super::index::{ItemCut, RecordCut};
use crate::base::{Name, Names};
use crate::config::Config;
use crate::diagnostic::Code;
use crate::quantity::{self, Date, Interval, Period};
use crate::syntax::{self, BlockKind, SourceFile, SpanKind, SyntaxErrorKind, TextRange};
use std::ops::Range;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct FileAnalysis {
    pub article: Option<Article>,
    pub definitions: Vec<Definition>,
    pub figures: Vec<Figure>,
    pub quotes: Vec<Quote>,
    pub mentions: Vec<Mention>,
    /// Every cited id with the range of the id (after `@`).
    pub cited_ids: Vec<NameAt>,
    /// Problems found in this file alone: markup and attribute errors.
    pub problems: Vec<Problem>,
    /// Where each kind of problem ends in `problems`.
    pub problem_ends: ProblemEnds,
    /// Numbers in plain prose, outside any span.
    pub bare_numbers: Vec<TextRange>,
    /// The figure spans with no `Figure` record (no key, or a value that
    /// cannot be read): uncited-figure and a key's rename still see them.
    pub unread_figures: Vec<FigureSpan>,
    /// The file's HTML comments (`SourceFile::comments`): where its
    /// suppressions are read from.
    pub comments: Vec<TextRange>,
    /// The ranges of bare `@id` citations (pandoc's author-in-text form):
    /// unknown-source says how to write a handle instead.
    pub in_text_citations: Vec<TextRange>,
}

/// A figure span as the findings see it when its value is not read.
#[derive(Clone, Copy, Debug)]
pub struct FigureSpan {
    /// The `fig=` value (empty when the span names none).
    pub key: NameAt,
    /// The whole span, `[` to `}`.
    pub range: TextRange,
    /// Whether a citation covers it (see [`is_cited`]).
    pub cited: bool,
}

#[derive(Clone, Debug)]
pub struct Problem {
    pub code: Code,
    pub range: TextRange,
    pub message: String,
    pub fix: Option<crate::fix::Fix>,
}

#[derive(Clone, Debug)]
pub struct Article {
    /// The id as written; empty when the front matter has no valid one.
    pub id: TextRange,
    pub published: Option<Date>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Namespace {
    /// Article ids and source ids share one namespace.
    Source,
    Entity,
    Quantity,
}

impl Namespace {
    pub fn describe(self) -> &'static str {
        match self {
            Namespace::Source => "article or source",
            Namespace::Entity => "entity",
            Namespace::Quantity => "quantity key",
        }
    }
}

/// An id as the records hold it: interned (what it says) and where it is
/// written (for findings and edits). The text is `Names::resolve(name)`:
/// the unescaped value, which may differ from the bytes at `range`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameAt {
    pub name: Name,
    pub range: TextRange,
}

impl NameAt {
    fn new(text: &str, range: TextRange, names: &Names) -> NameAt {
        NameAt { name: names.intern(text), range }
    }
}

#[derive(Clone, Debug)]
pub struct Definition {
    pub namespace: Namespace,
    pub id: NameAt,
    /// The whole front matter or block.
    pub range: TextRange,
    /// Index into `syntax.blocks`; None for the article's front matter.
    pub block: Option<usize>,
    /// A block's `key: value` lines (none for front matter, whose fields
    /// are in `Article`): hover and the report read them in files whose
    /// tree is not kept. Their ranges count from `range`'s start, so an
    /// edit before the block moves the record without copying them (in a
    /// big open document, a fresh list per block per keystroke was a
    /// tenth of its allocations); read them with [`Definition::field`].
    fields: Arc<[syntax::Field]>,
}

impl Definition {
    /// The value of the block's field `key` in `text`, the file's text
    /// (None when the block has no such field).
    pub fn field<'a>(&self, text: &'a str, key: &str) -> Option<&'a str> {
        let base = self.range.start();
        let at = |r: TextRange| r.start() + base..r.end() + base;
        let field = self.fields.iter().find(|f| text.get(at(f.key)) == Some(key))?;
        text.get(at(field.value))
    }

    /// The block's fields, and the offset their ranges count from.
    pub fn fields_from(&self) -> (&[syntax::Field], usize) {
        (&self.fields, self.range.start())
    }
}

#[derive(Clone, Debug)]
pub struct Figure {
    /// Index into the file's `syntax.spans`.
    pub span: usize,
    /// The whole span, `[` to `}`: what findings and partners point at.
    pub range: TextRange,
    pub key: NameAt,
    pub interval: Interval,
    /// None when neither `asof=` nor the article's `published` date says:
    /// such a figure is compared with every period.
    pub period: Option<Period>,
    pub citations: Cited,
}

#[derive(Clone, Debug)]
pub struct Quote {
    pub span: usize,
    /// The whole span, `[` to `}`.
    pub range: TextRange,
    pub speaker: NameAt,
    pub normalized: Arc<str>,
    pub citations: Cited,
}

#[derive(Clone, Debug)]
pub struct Mention {
    pub span: usize,
    /// The whole span, `[` to `}`.
    pub range: TextRange,
    pub entity: NameAt,
}

#[derive(Clone, Debug, Default)]
pub struct Cited {
    /// How many citations cover the span: its own (or its enclosing
    /// span's), else the free-standing ones of its paragraph (at most
    /// `MAX_CITED`). A count, not their indices: the records outlive the tree.
    pub citations: u32,
    /// The ids they cite, each once, in order.
    pub ids: Arc<[Name]>,
}

impl Cited {
    pub fn is_empty(&self) -> bool {
        self.citations == 0
    }
}

/// Reads one file, interning its ids into `names` (safe from many threads).
pub fn analyse(text: &str, config: &Config, names: &Names) -> FileAnalysis {
    analyse_with_tree(text, config, names).0
}

/// [`analyse`], and the syntax tree it was read from.
pub fn analyse_with_tree(text: &str, config: &Config, names: &Names) -> (FileAnalysis, SourceFile) {
    analyse_tree(text, syntax::parse(text), config, names)
}

/// [`analyse_with_tree`] with the file's tree already made (an edited
/// file's, by `syntax::incremental`).
pub fn analyse_tree(text: &str, syntax: SourceFile, config: &Config, names: &Names) -> (FileAnalysis, SourceFile) {
    let mut problems = syntax_problems(&syntax);
    let syntax_end = problems.len();
    let mut invalid = |range: TextRange, message: String| {
        problems.push(Problem { code: Code::InvalidAttribute, range, message, fix: None });
    };
    let article = syntax.front_matter.as_ref().and_then(|fm| read_article(text, &syntax, fm, &mut invalid));
    let article_end = problems.len();
    let mut definitions = Vec::new();
    if let (Some(article), Some(fm)) = (&article, &syntax.front_matter) {
        if !article.id.is_empty() {
            definitions.push(Definition {
                namespace: Namespace::Source,
                id: NameAt::new(&text[article.id], article.id, names),
                range: fm.range,
                block: None,
                fields: Arc::default(),
            });
        }
    }
    let published = article.as_ref().and_then(|a| a.published);
    let piece = analyse_piece(text, &syntax, Nodes::all(&syntax), published, config, names);
    definitions.extend(piece.definitions);
    problems.extend(piece.block_problems);
    let blocks_end = problems.len();
    problems.extend(piece.figure_problems);
    let problem_ends =
        ProblemEnds { syntax: syntax_end as u32, article: article_end as u32, blocks: blocks_end as u32 };
    let analysis = FileAnalysis {
        bare_numbers: piece.bare_numbers,
        article,
        definitions,
        figures: piece.figures,
        quotes: piece.quotes,
        mentions: piece.mentions,
        cited_ids: piece.cited_ids,
        problems,
        problem_ends,
        unread_figures: piece.unread_figures,
        comments: syntax.comments.clone(),
        in_text_citations: piece.in_text_citations,
    };
    (analysis.shrunk(), syntax)
}

/// Where the problems of each kind end in [`FileAnalysis::problems`]: the
/// syntax errors come first, then the front matter's problems, then the
/// blocks' dates, then the figure spans' values (each kind in reading
/// order), so an edit's splice replaces each kind's run of the cut.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProblemEnds {
    syntax: u32,
    article: u32,
    blocks: u32,
}

fn syntax_problems(syntax: &SourceFile) -> Vec<Problem> {
    let problems = syntax.errors.iter().map(|e| Problem {
        code: match e.kind {
            SyntaxErrorKind::Malformed => Code::MalformedMarkup,
            SyntaxErrorKind::InvalidAttribute => Code::InvalidAttribute,
        },
        range: e.range,
        message: e.message.clone(),
        fix: e.fix.clone(),
    });
    problems.collect()
}

/// Some of a tree's nodes, as index ranges of its arrays: those of the
/// whole file, or those of the piece an edit read again.
struct Nodes {
    blocks: Range<usize>,
    spans: Range<usize>,
    citations: Range<usize>,
    plain_runs: Range<usize>,
}

impl Nodes {
    fn all(syntax: &SourceFile) -> Nodes {
        Nodes {
            blocks: 0..syntax.blocks.len(),
            spans: 0..syntax.spans.len(),
            citations: 0..syntax.citations.len(),
            plain_runs: 0..syntax.plain_runs.len(),
        }
    }

    /// The nodes that start in `range`, cut as `syntax::incremental` cuts
    /// the tree: spans and citations by their paragraph's start.
    fn within(syntax: &SourceFile, range: TextRange) -> Nodes {
        fn starting<T>(list: &[T], range: TextRange, start: impl Fn(&T) -> usize) -> Range<usize> {
            list.partition_point(|x| start(x) < range.start())..list.partition_point(|x| start(x) < range.end())
        }
        let paragraphs = starting(&syntax.paragraphs, range, |p| p.start());
        let by_paragraph = |p: usize| p < paragraphs.start;
        let before_end = |p: usize| p < paragraphs.end;
        Nodes {
            blocks: starting(&syntax.blocks, range, |b| b.range.start()),
            spans: syntax.spans.partition_point(|s| by_paragraph(s.paragraph()))
                ..syntax.spans.partition_point(|s| before_end(s.paragraph())),
            citations: syntax.citations.partition_point(|c| by_paragraph(c.paragraph()))
                ..syntax.citations.partition_point(|c| before_end(c.paragraph())),
            plain_runs: starting(&syntax.plain_runs, range, |r| r.start()),
        }
    }
}

/// The records of some nodes (all but the front matter's and the syntax
/// errors'), in the order [`FileAnalysis`] lists them.
#[derive(Default)]
struct Piece {
    definitions: Vec<Definition>,
    block_problems: Vec<Problem>,
    figures: Vec<Figure>,
    quotes: Vec<Quote>,
    mentions: Vec<Mention>,
    unread_figures: Vec<FigureSpan>,
    figure_problems: Vec<Problem>,
    cited_ids: Vec<NameAt>,
    in_text_citations: Vec<TextRange>,
    bare_numbers: Vec<TextRange>,
}

/// Every record here reads its own node and what lies in its paragraph or
/// block (a span's citations are its own, its parent's or its paragraph's
/// free-standing ones), plus `published`, the front matter's date.
fn analyse_piece(
    text: &str,
    syntax: &SourceFile,
    nodes: Nodes,
    published: Option<Date>,
    config: &Config,
    names: &Names,
) -> Piece {
    let mut piece = Piece::default();
    let mut invalid = |range: TextRange, message: String| {
        piece.block_problems.push(Problem { code: Code::InvalidAttribute, range, message, fix: None });
    };
    for index in nodes.blocks {
        let block = &syntax.blocks[index];
        check_block_dates(text, syntax, block, &mut invalid);
        if block.id.is_empty() {
            continue;
        }
        let namespace = match block.kind {
            BlockKind::Entity => Namespace::Entity,
            BlockKind::Source => Namespace::Source,
            BlockKind::Quantity => Namespace::Quantity,
        };
        piece.definitions.push(Definition {
            namespace,
            id: NameAt::new(&text[block.id], block.id, names),
            range: block.range,
            block: Some(index),
            fields: syntax
                .fields(block.fields)
                .iter()
                .map(|f| {
                    let from =
                        |r: TextRange| TextRange::new(r.start() - block.range.start(), r.end() - block.range.start());
                    syntax::Field { key: from(f.key), value: from(f.value) }
                })
                .collect(),
        });
    }

    let mut invalid = |range: TextRange, message: String| {
        piece.figure_problems.push(Problem { code: Code::InvalidAttribute, range, message, fix: None });
    };
    let value_of = |value: syntax::Value| NameAt::new(syntax.text_of(text, value), value.range, names);
    for index in nodes.spans {
        let span = &syntax.spans[index];
        let range = span.range;
        match span.kind {
            SpanKind::Mention { entity } if !syntax.text_of(text, entity).is_empty() => {
                piece.mentions.push(Mention { span: index, range, entity: value_of(entity) })
            }
            SpanKind::Quote { speaker } if !syntax.text_of(text, speaker).is_empty() => {
                let plain = syntax::plain_text(text, syntax, span.text_range);
                piece.quotes.push(Quote {
                    span: index,
                    range,
                    speaker: value_of(speaker),
                    normalized: Arc::from(syntax::normalize_quote(&plain)),
                    citations: citations_of(text, syntax, index, names),
                });
            }
            SpanKind::Figure { key } => {
                let read = match syntax.text_of(text, key).is_empty() {
                    true => None,
                    false => read_figure(text, syntax, index, published, config, &mut invalid),
                };
                let key = value_of(key);
                match read {
                    Some((interval, period)) => {
                        let citations = citations_of(text, syntax, index, names);
                        piece.figures.push(Figure { span: index, range, key, interval, period, citations });
                    }
                    None => piece.unread_figures.push(FigureSpan { key, range, cited: is_cited(syntax, index) }),
                }
            }
            _ => {}
        }
    }
    let citations = &syntax.citations[nodes.citations];
    piece.cited_ids =
        citations.iter().flat_map(|c| syntax.items(c.items)).map(|i| NameAt::new(&text[i.id], i.id, names)).collect();
    piece.in_text_citations = citations.iter().filter(|c| c.in_text).map(|c| c.range).collect();
    piece.bare_numbers = syntax.plain_runs[nodes.plain_runs]
        .iter()
        .flat_map(|run| {
            // The reader's numerals in this run, as offsets into it.
            let first = syntax.numerals.partition_point(|n| n.start() < run.start());
            let numerals = syntax.numerals[first..].iter().take_while(|n| n.start() < run.end());
            quantity::bare_numbers_near(&text[*run], numerals.map(|n| n.start() - run.start()))
                .into_iter()
                .map(move |r| TextRange::new(run.start() + r.start, run.start() + r.end))
        })
        .collect();
    piece
}

/// How an edit changed a file's tree (see `syntax::incremental::Reparse`):
/// the old text's `old` was read again as the new text's `new` (same
/// start), and the tree's spans and blocks grew by `spans` and `blocks`.
#[derive(Clone, Copy, Debug)]
pub struct Cut {
    pub old: TextRange,
    pub new: TextRange,
    pub spans: i64,
    pub blocks: i64,
}

/// How many spans and blocks a tree has: what the numbers of the records
/// after a cut move by.
#[derive(Clone, Copy, Debug)]
pub struct TreeSize {
    spans: usize,
    blocks: usize,
}

impl TreeSize {
    pub fn of(syntax: &SourceFile) -> TreeSize {
        TreeSize { spans: syntax.spans.len(), blocks: syntax.blocks.len() }
    }
}

impl Cut {
    /// The cut of a tree of `old` size that `syntax::incremental` spliced
    /// into `new`, reading `new_range` in place of `old_range`.
    pub fn between(old: TreeSize, new: &SourceFile, old_range: TextRange, new_range: TextRange) -> Cut {
        let new_size = TreeSize::of(new);
        Cut {
            old: old_range,
            new: new_range,
            spans: new_size.spans as i64 - old.spans as i64,
            blocks: new_size.blocks as i64 - old.blocks as i64,
        }
    }

    /// Where the cut lies in each vector of records the index lists: `old`
    /// the analysis before the edit, `new` the one [`analyse_spliced`] made.
    pub fn records(&self, old: &FileAnalysis, new: &FileAnalysis) -> RecordCut {
        fn items<T>(cut: &Cut, old: &[T], new: &[T], start: impl Fn(&T) -> usize) -> ItemCut {
            ItemCut {
                lo: old.partition_point(|x| start(x) < cut.old.start()),
                old_hi: old.partition_point(|x| start(x) < cut.old.end()),
                new_hi: new.partition_point(|x| start(x) < cut.new.end()),
            }
        }
        RecordCut {
            definitions: items(self, &old.definitions, &new.definitions, |d| d.range.start()),
            figures: items(self, &old.figures, &new.figures, |f| f.range.start()),
            quotes: items(self, &old.quotes, &new.quotes, |q| q.range.start()),
            mentions: items(self, &old.mentions, &new.mentions, |m| m.range.start()),
            cited_ids: items(self, &old.cited_ids, &new.cited_ids, |n| n.range.start()),
        }
    }

    /// How far the old text after the cut moved.
    fn by(&self) -> i64 {
        self.new.end() as i64 - self.old.end() as i64
    }

    fn range(&self, range: TextRange) -> TextRange {
        let by = self.by();
        TextRange::new((range.start() as i64 + by) as usize, (range.end() as i64 + by) as usize)
    }

    fn name(&self, name: NameAt) -> NameAt {
        NameAt { range: self.range(name.range), ..name }
    }

    fn span(&self, span: usize) -> usize {
        (span as i64 + self.spans) as usize
    }

    fn problem(&self, problem: &Problem) -> Problem {
        let mut problem = problem.clone();
        problem.range = self.range(problem.range);
        if let Some(fix) = &mut problem.fix {
            fix.edits.iter_mut().for_each(|e| e.range = self.range(e.range));
        }
        problem
    }

    /// The old records before the cut, the piece's, then the old ones
    /// after it, moved: a list in reading order, by where each starts.
    fn splice<T: Clone>(&self, old: &[T], new: Vec<T>, start: impl Fn(&T) -> usize, moved: impl Fn(&T) -> T) -> Vec<T> {
        let lo = old.partition_point(|x| start(x) < self.old.start());
        let hi = old.partition_point(|x| start(x) < self.old.end());
        let mut out = Vec::with_capacity(lo + new.len() + old.len() - hi);
        out.extend_from_slice(&old[..lo]);
        out.extend(new);
        out.extend(old[hi..].iter().map(moved));
        out
    }
}

/// The analysis of `text` after an edit, made from `old` (the analysis
/// before it) and `syntax` (the tree `syntax::incremental` spliced along
/// `cut`): only the nodes of the piece read again are analysed; the old
/// records before the cut are kept, those after it moved (their ranges by
/// the edit's length, their span and block numbers by the tree's growth).
/// Equals [`analyse_tree`] in every field (`fuzzing::reparse` holds it).
///
/// Why the records outside the cut are still right: each record reads only
/// its own node, its paragraph or block (see [`analyse_piece`]), which lie
/// wholly on one side of the cut (it starts at a sync point: top level, no
/// block or paragraph open), and the front matter's `published` date. The
/// front matter lies before any sync point, so a cut that does not start
/// at the file's beginning leaves it, and with it `article`, its
/// definition, its problems and every figure's default period, unchanged;
/// so does a cut from the beginning of a file that had no front matter and
/// has none (`article` is `None` exactly when there is none). Otherwise
/// (`None`) the caller analyses the whole file. Nothing else is read
/// file-wide: the syntax errors are mapped again from the (spliced) tree,
/// the comments copied from it.
pub fn analyse_spliced(
    old: &FileAnalysis,
    text: &str,
    syntax: &SourceFile,
    cut: Cut,
    config: &Config,
    names: &Names,
) -> Option<FileAnalysis> {
    let front_matter_kept = cut.old.start() > 0 || (old.article.is_none() && syntax.front_matter.is_none());
    if !front_matter_kept {
        return None;
    }
    let published = old.article.as_ref().and_then(|a| a.published);
    let piece = analyse_piece(text, syntax, Nodes::within(syntax, cut.new), published, config, names);
    let at = |r: &TextRange| r.start();
    let ends = old.problem_ends;
    let (syntax_end, article_end, blocks_end) = (ends.syntax as usize, ends.article as usize, ends.blocks as usize);
    let mut problems = syntax_problems(syntax);
    let new_syntax_end = problems.len();
    problems.extend_from_slice(&old.problems[syntax_end..article_end]);
    let new_article_end = problems.len();
    let problem = |p: &Problem| cut.problem(p);
    problems.extend(cut.splice(
        &old.problems[article_end..blocks_end],
        piece.block_problems,
        |p| p.range.start(),
        problem,
    ));
    let new_blocks_end = problems.len();
    problems.extend(cut.splice(&old.problems[blocks_end..], piece.figure_problems, |p| p.range.start(), problem));
    let analysis = FileAnalysis {
        article: old.article.clone(),
        definitions: cut.splice(
            &old.definitions,
            piece.definitions,
            |d| d.range.start(),
            |d| Definition {
                id: cut.name(d.id),
                range: cut.range(d.range),
                block: d.block.map(|b| (b as i64 + cut.blocks) as usize),
                fields: d.fields.clone(),
                ..*d
            },
        ),
        figures: cut.splice(
            &old.figures,
            piece.figures,
            |f| f.range.start(),
            |f| Figure { span: cut.span(f.span), range: cut.range(f.range), key: cut.name(f.key), ..f.clone() },
        ),
        quotes: cut.splice(
            &old.quotes,
            piece.quotes,
            |q| q.range.start(),
            |q| Quote { span: cut.span(q.span), range: cut.range(q.range), speaker: cut.name(q.speaker), ..q.clone() },
        ),
        mentions: cut.splice(
            &old.mentions,
            piece.mentions,
            |m| m.range.start(),
            |m| Mention { span: cut.span(m.span), range: cut.range(m.range), entity: cut.name(m.entity) },
        ),
        cited_ids: cut.splice(&old.cited_ids, piece.cited_ids, |n| n.range.start(), |n| cut.name(*n)),
        problems,
        problem_ends: ProblemEnds {
            syntax: new_syntax_end as u32,
            article: new_article_end as u32,
            blocks: new_blocks_end as u32,
        },
        bare_numbers: cut.splice(&old.bare_numbers, piece.bare_numbers, at, |r| cut.range(*r)),
        unread_figures: cut.splice(
            &old.unread_figures,
            piece.unread_figures,
            |f| f.range.start(),
            |f| FigureSpan { key: cut.name(f.key), range: cut.range(f.range), cited: f.cited },
        ),
        comments: syntax.comments.clone(),
        in_text_citations: cut.splice(&old.in_text_citations, piece.in_text_citations, at, |r| cut.range(*r)),
    };
    Some(analysis.shrunk())
}

impl FileAnalysis {
    /// A workspace keeps every file's analysis: no spare capacity.
    fn shrunk(mut self) -> FileAnalysis {
        self.definitions.shrink_to_fit();
        self.figures.shrink_to_fit();
        self.quotes.shrink_to_fit();
        self.mentions.shrink_to_fit();
        self.unread_figures.shrink_to_fit();
        self
    }
}

/// An article's prose in normalised form, padded with spaces so a quote is
/// found only at word boundaries; for misquote checks. Built on demand
/// ([`super::FileEntry::normalized_body`], for articles only): only articles
/// some quote cites need it.
pub fn normalized_body(text: &str, syntax: &SourceFile) -> String {
    let mut body = String::from(" ");
    for paragraph in &syntax.paragraphs {
        body.push_str(&syntax::normalize_quote(&syntax::plain_text(text, syntax, *paragraph)));
        body.push(' ');
    }
    body.shrink_to_fit();
    body
}

fn read_article(
    text: &str,
    syntax: &SourceFile,
    fm: &syntax::FrontMatter,
    invalid: &mut impl FnMut(TextRange, String),
) -> Option<Article> {
    let field = |key: &str| syntax.field(text, fm.fields, key).map(|f| (&text[f.value], f.value));
    let header = TextRange::new(fm.range.start(), fm.range.start() + 3);
    let id = match field("id") {
        Some((value, range)) if syntax::is_valid_id(value) => range,
        Some((value, range)) => {
            invalid(range, format!("`{value}` is not a valid article id"));
            TextRange::default()
        }
        None => {
            invalid(header, "front matter has no `id`: an article needs `id: some-id`".to_string());
            TextRange::default()
        }
    };
    let published = match field("published") {
        Some((value, range)) => {
            let date = Date::parse_iso(value);
            if date.is_none() {
                invalid(range, format!("`{value}` is not a date: write `published: YYYY-MM-DD`"));
            }
            date
        }
        None => {
            invalid(header, "front matter has no `published` date: add `published: YYYY-MM-DD`".to_string());
            None
        }
    };
    let text_of = |key: &str| field(key).map(|(value, _)| value.to_string()).filter(|v| !v.is_empty());
    Some(Article {
        id,
        published,
        title: text_of("title"),
        outlet: text_of("outlet"),
        url: text_of("url"),
        author: text_of("author"),
    })
}

fn check_block_dates(
    text: &str,
    syntax: &SourceFile,
    block: &syntax::Block,
    invalid: &mut impl FnMut(TextRange, String),
) {
    for field in syntax.fields(block.fields) {
        let value = &text[field.value];
        if matches!(&text[field.key], "from" | "until" | "published") && Date::parse_iso(value).is_none() {
            invalid(field.value, format!("`{value}` is not a date: write YYYY-MM-DD"));
        }
    }
}

/// The value and period of the figure span `index`.
fn read_figure(
    text: &str,
    syntax: &SourceFile,
    index: usize,
    published: Option<Date>,
    config: &Config,
    invalid: &mut impl FnMut(TextRange, String),
) -> Option<(Interval, Option<Period>)> {
    let span = &syntax.spans[index];
    let interval = match syntax.attr(text, span, "value") {
        Some(attr) => match quantity::parse_value_attr(syntax.text_of(text, attr.value), config.tolerance) {
            Ok(interval) => interval,
            Err(message) => {
                invalid(attr.value.range, format!("bad `value=`: {message}"));
                return None;
            }
        },
        None => {
            let plain = syntax::plain_text(text, syntax, span.text_range);
            match quantity::read_value(&plain, config.tolerance) {
                Some(reading) => reading.interval,
                None => {
                    invalid(
                        span.text_range,
                        format!(
                            "no value can be read from “{}”: add `value=` (e.g. `value=500` or `value=\"450..550\"`)",
                            plain.trim()
                        ),
                    );
                    return None;
                }
            }
        }
    };
    if interval.is_empty() {
        invalid(span.range, format!("the value {interval} contains no number"));
        return None;
    }
    let period = match syntax.attr(text, span, "asof") {
        Some(attr) => match quantity::parse_asof(syntax.text_of(text, attr.value)) {
            Ok(period) => Some(period),
            Err(message) => {
                invalid(attr.value.range, format!("bad `asof=`: {message}"));
                return None;
            }
        },
        None => published.map(|date| Period::window_before(date, config.window_days)),
    };
    Some((interval, period))
}

/// Whether `citations_of(syntax, span)` finds any citation, without
/// collecting them.
pub fn is_cited(syntax: &SourceFile, span: usize) -> bool {
    let mut at = Some(span);
    while let Some(s) = at {
        if syntax.spans[s].citation().is_some() {
            return true;
        }
        at = syntax.spans[s].parent();
    }
    syntax.free_citations_in(syntax.spans[span].paragraph()).next().is_some()
}

/// A span is checked against at most this many citations and cited ids
/// (its own citation's, or its paragraph's free-standing ones).
pub const MAX_CITED: usize = 64;

pub fn citations_of(text: &str, syntax: &SourceFile, span: usize, names: &Names) -> Cited {
    let mut own = None;
    let mut at = Some(span);
    while let Some(s) = at {
        if let Some(c) = syntax.spans[s].citation() {
            own = Some(c);
            break;
        }
        at = syntax.spans[s].parent();
    }
    let paragraph = syntax.spans[span].paragraph();
    // Every figure of a paragraph shares its free-standing citations: capped,
    // so a paragraph of n figures and n citations costs n, not n².
    let (own_list, free_list): ([usize; 1], Vec<usize>);
    let citations: &[usize] = match own {
        // No allocation for the common case, a span with its own citation.
        Some(c) => {
            own_list = [c];
            &own_list
        }
        None => {
            free_list = syntax.free_citations_in(paragraph).take(MAX_CITED).collect();
            &free_list
        }
    };
    // At most MAX_CITED ids: a linear search of the names found so far
    // (equal ids intern to equal names) instead of a hash set per figure.
    // Room for every item up front, so the box is the vector's allocation
    // (it was made with room for four, then shrunk into the box: two calls
    // to the allocator per figure that cites).
    let items: usize = citations.iter().map(|&c| syntax.citations[c].items.len()).sum();
    let mut ids: Vec<Name> = Vec::with_capacity(items.min(MAX_CITED));
    for item in citations.iter().flat_map(|&c| syntax.items(syntax.citations[c].items)).take(MAX_CITED * 16) {
        if ids.len() < MAX_CITED {
            let name = names.intern(&text[item.id]);
            if !ids.contains(&name) {
                ids.push(name);
            }
        }
    }
    Cited { citations: citations.len() as u32, ids: Arc::from(ids) }
}
