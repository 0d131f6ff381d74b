//! What one file says, read once per edit: its article metadata,
//! definitions, figures with their intervals and periods, quotes, mentions
//! and citations. Everything here depends on this file's text and the
//! settings only, so files are analysed in parallel.

use crate::base::{Name, Names};
use crate::config::Config;
use crate::diagnostic::Code;
use crate::quantity::{self, Date, Interval, Period};
use crate::syntax::{self, BlockKind, SourceFile, SpanKind, SyntaxErrorKind, TextRange};

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
    /// tree is not kept.
    pub fields: Box<[syntax::Field]>,
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
    pub normalized: String,
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
    pub ids: Box<[Name]>,
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
    let mut problems: Vec<Problem> = syntax
        .errors
        .iter()
        .map(|e| Problem {
            code: match e.kind {
                SyntaxErrorKind::Malformed => Code::MalformedMarkup,
                SyntaxErrorKind::InvalidAttribute => Code::InvalidAttribute,
            },
            range: e.range,
            message: e.message.clone(),
            fix: e.fix.clone(),
        })
        .collect();
    let mut invalid = |range: TextRange, message: String| {
        problems.push(Problem { code: Code::InvalidAttribute, range, message, fix: None });
    };

    let article = syntax.front_matter.as_ref().and_then(|fm| read_article(text, &syntax, fm, &mut invalid));
    let mut definitions = Vec::new();
    if let (Some(article), Some(fm)) = (&article, &syntax.front_matter) {
        if !article.id.is_empty() {
            definitions.push(Definition {
                namespace: Namespace::Source,
                id: NameAt::new(&text[article.id], article.id, names),
                range: fm.range,
                block: None,
                fields: Box::default(),
            });
        }
    }
    for (index, block) in syntax.blocks.iter().enumerate() {
        check_block_dates(text, &syntax, block, &mut invalid);
        if block.id.is_empty() {
            continue;
        }
        let namespace = match block.kind {
            BlockKind::Entity => Namespace::Entity,
            BlockKind::Source => Namespace::Source,
            BlockKind::Quantity => Namespace::Quantity,
        };
        definitions.push(Definition {
            namespace,
            id: NameAt::new(&text[block.id], block.id, names),
            range: block.range,
            block: Some(index),
            fields: syntax.fields(block.fields).into(),
        });
    }

    let published = article.as_ref().and_then(|a| a.published);
    let mut figures = Vec::new();
    let mut quotes = Vec::new();
    let mut mentions = Vec::new();
    let mut unread_figures = Vec::new();
    let value_of = |value: syntax::Value| NameAt::new(syntax.text_of(text, value), value.range, names);
    for (index, span) in syntax.spans.iter().enumerate() {
        let range = span.range;
        match span.kind {
            SpanKind::Mention { entity } if !syntax.text_of(text, entity).is_empty() => {
                mentions.push(Mention { span: index, range, entity: value_of(entity) })
            }
            SpanKind::Quote { speaker } if !syntax.text_of(text, speaker).is_empty() => {
                let plain = syntax::plain_text(text, &syntax, span.text_range);
                quotes.push(Quote {
                    span: index,
                    range,
                    speaker: value_of(speaker),
                    normalized: syntax::normalize_quote(&plain),
                    citations: citations_of(text, &syntax, index, names),
                });
            }
            SpanKind::Figure { key } => {
                let read = match syntax.text_of(text, key).is_empty() {
                    true => None,
                    false => read_figure(text, &syntax, index, published, config, &mut invalid),
                };
                let key = value_of(key);
                match read {
                    Some((interval, period)) => {
                        let citations = citations_of(text, &syntax, index, names);
                        figures.push(Figure { span: index, range, key, interval, period, citations });
                    }
                    None => unread_figures.push(FigureSpan { key, range, cited: is_cited(&syntax, index) }),
                }
            }
            _ => {}
        }
    }
    let cited_ids = syntax
        .citations
        .iter()
        .flat_map(|c| syntax.items(c.items))
        .map(|i| NameAt::new(&text[i.id], i.id, names))
        .collect();
    let bare_numbers = syntax
        .plain_runs
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
    // A workspace keeps every file's analysis: no spare capacity.
    definitions.shrink_to_fit();
    figures.shrink_to_fit();
    quotes.shrink_to_fit();
    mentions.shrink_to_fit();
    unread_figures.shrink_to_fit();
    let comments = syntax.comments.clone();
    let in_text_citations = syntax.citations.iter().filter(|c| c.in_text).map(|c| c.range).collect();
    let analysis = FileAnalysis {
        bare_numbers,
        article,
        definitions,
        figures,
        quotes,
        mentions,
        cited_ids,
        problems,
        unread_figures,
        comments,
        in_text_citations,
    };
    (analysis, syntax)
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
    let citations: Vec<usize> = match own {
        Some(c) => vec![c],
        None => syntax.free_citations_in(paragraph).take(MAX_CITED).collect(),
    };
    let mut seen = std::collections::HashSet::new();
    let mut ids: Vec<Name> = Vec::new();
    for item in citations.iter().flat_map(|&c| syntax.items(syntax.citations[c].items)).take(MAX_CITED * 16) {
        let id = &text[item.id];
        if ids.len() < MAX_CITED && seen.insert(id) {
            ids.push(names.intern(id));
        }
    }
    Cited { citations: citations.len() as u32, ids: ids.into_boxed_slice() }
}
