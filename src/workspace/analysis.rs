//! What one file says, read once per edit: its article metadata,
//! definitions, figures with their intervals and periods, quotes, mentions
//! and citations. Everything here depends on this file's text and the
//! settings only, so files are analysed in parallel.

use crate::base::{Name, Names};
use crate::config::Config;
use crate::diagnostic::Code;
use crate::quantity::{self, Date, Interval, Period};
use crate::syntax::{self, BlockKind, Ident, SourceFile, SpanKind, SyntaxErrorKind, TextRange};

#[derive(Clone, Debug)]
pub struct FileAnalysis {
    pub syntax: SourceFile,
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
    pub id: Ident,
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
    fn new(ident: &Ident, names: &Names) -> NameAt {
        NameAt { name: names.intern(&ident.text), range: ident.range }
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
}

#[derive(Clone, Debug)]
pub struct Figure {
    pub span: usize,
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
    pub speaker: NameAt,
    pub normalized: String,
    pub citations: Cited,
}

#[derive(Clone, Debug)]
pub struct Mention {
    pub span: usize,
    pub entity: NameAt,
}

#[derive(Clone, Debug, Default)]
pub struct Cited {
    /// Indices into `syntax.citations`: the span's own (or its enclosing
    /// span's), else the free-standing ones of its paragraph.
    pub citations: Vec<usize>,
    pub ids: Vec<Name>,
}

impl Cited {
    pub fn is_empty(&self) -> bool {
        self.citations.is_empty()
    }
}

/// Reads one file, interning its ids into `names` (safe from many threads).
pub fn analyse(text: &str, config: &Config, names: &Names) -> FileAnalysis {
    let syntax = syntax::parse(text);
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

    let article = syntax.front_matter.as_ref().and_then(|fm| read_article(fm, &mut invalid));
    let mut definitions = Vec::new();
    if let (Some(article), Some(fm)) = (&article, &syntax.front_matter) {
        if !article.id.text.is_empty() {
            definitions.push(Definition {
                namespace: Namespace::Source,
                id: NameAt::new(&article.id, names),
                range: fm.range,
                block: None,
            });
        }
    }
    for (index, block) in syntax.blocks.iter().enumerate() {
        check_block_dates(block, &mut invalid);
        if block.id.text.is_empty() {
            continue;
        }
        let namespace = match block.kind {
            BlockKind::Entity => Namespace::Entity,
            BlockKind::Source => Namespace::Source,
            BlockKind::Quantity => Namespace::Quantity,
        };
        definitions.push(Definition {
            namespace,
            id: NameAt::new(&block.id, names),
            range: block.range,
            block: Some(index),
        });
    }

    let published = article.as_ref().and_then(|a| a.published);
    let mut figures = Vec::new();
    let mut quotes = Vec::new();
    let mut mentions = Vec::new();
    for (index, span) in syntax.spans.iter().enumerate() {
        match &span.kind {
            SpanKind::Mention { entity } if !entity.text.is_empty() => {
                mentions.push(Mention { span: index, entity: NameAt::new(entity, names) })
            }
            SpanKind::Quote { speaker } if !speaker.text.is_empty() => {
                let plain = syntax::plain_text(text, &syntax, span.text_range);
                quotes.push(Quote {
                    span: index,
                    speaker: NameAt::new(speaker, names),
                    normalized: syntax::normalize_quote(&plain),
                    citations: citations_of(&syntax, index, names),
                });
            }
            SpanKind::Figure { key } if !key.text.is_empty() => {
                if let Some((interval, period)) = read_figure(text, &syntax, index, published, config, &mut invalid) {
                    let key = NameAt::new(key, names);
                    let citations = citations_of(&syntax, index, names);
                    figures.push(Figure { span: index, key, interval, period, citations });
                }
            }
            _ => {}
        }
    }
    let cited_ids = syntax.citations.iter().flat_map(|c| c.items.iter().map(|i| NameAt::new(&i.id, names))).collect();
    let bare_numbers = syntax
        .plain_runs
        .iter()
        .flat_map(|run| {
            quantity::bare_numbers(&text[*run])
                .into_iter()
                .map(move |r| TextRange::new(run.start() + r.start, run.start() + r.end))
        })
        .collect();
    // A workspace keeps every file's analysis: no spare capacity.
    definitions.shrink_to_fit();
    figures.shrink_to_fit();
    quotes.shrink_to_fit();
    mentions.shrink_to_fit();
    FileAnalysis { bare_numbers, syntax, article, definitions, figures, quotes, mentions, cited_ids, problems }
}

/// An article's prose in normalised form, padded with spaces so a quote is
/// found only at word boundaries; for misquote checks. `None` for a file
/// that is not an article. Built on demand ([`super::FileEntry::normalized_body`]):
/// only articles some quote cites need it.
pub fn normalized_body(text: &str, analysis: &FileAnalysis) -> Option<String> {
    analysis.article.as_ref()?;
    let syntax = &analysis.syntax;
    let mut body = String::from(" ");
    for paragraph in &syntax.paragraphs {
        body.push_str(&syntax::normalize_quote(&syntax::plain_text(text, syntax, *paragraph)));
        body.push(' ');
    }
    body.shrink_to_fit();
    Some(body)
}

fn read_article(fm: &syntax::FrontMatter, invalid: &mut impl FnMut(TextRange, String)) -> Option<Article> {
    let field = |key: &str| fm.fields.iter().find(|f| f.key == key);
    let header = TextRange::new(fm.range.start(), fm.range.start() + 3);
    let id = match field("id") {
        Some(f) if syntax::is_valid_id(&f.value) => Ident { text: f.value.clone(), range: f.value_range },
        Some(f) => {
            invalid(f.value_range, format!("`{}` is not a valid article id", f.value));
            Ident::default()
        }
        None => {
            invalid(header, "front matter has no `id`: an article needs `id: some-id`".to_string());
            Ident::default()
        }
    };
    let published = match field("published") {
        Some(f) => {
            let date = Date::parse_iso(&f.value);
            if date.is_none() {
                invalid(f.value_range, format!("`{}` is not a date: write `published: YYYY-MM-DD`", f.value));
            }
            date
        }
        None => {
            invalid(header, "front matter has no `published` date: add `published: YYYY-MM-DD`".to_string());
            None
        }
    };
    let text_of = |key: &str| field(key).map(|f| f.value.clone()).filter(|v| !v.is_empty());
    Some(Article {
        id,
        published,
        title: text_of("title"),
        outlet: text_of("outlet"),
        url: text_of("url"),
        author: text_of("author"),
    })
}

fn check_block_dates(block: &syntax::Block, invalid: &mut impl FnMut(TextRange, String)) {
    for field in &block.fields {
        if matches!(field.key.as_str(), "from" | "until" | "published") && Date::parse_iso(&field.value).is_none() {
            invalid(field.value_range, format!("`{}` is not a date: write YYYY-MM-DD", field.value));
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
    let interval = match span.attr("value") {
        Some(attr) => match quantity::parse_value_attr(&attr.value, config.tolerance) {
            Ok(interval) => interval,
            Err(message) => {
                invalid(attr.value_range, format!("bad `value=`: {message}"));
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
    let period = match span.attr("asof") {
        Some(attr) => match quantity::parse_asof(&attr.value) {
            Ok(period) => Some(period),
            Err(message) => {
                invalid(attr.value_range, format!("bad `asof=`: {message}"));
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
        if syntax.spans[s].citation.is_some() {
            return true;
        }
        at = syntax.spans[s].parent;
    }
    let paragraph = syntax.spans[span].paragraph;
    let free = &syntax.free_citations;
    let first = free.partition_point(|&c| syntax.citations[c].paragraph < paragraph);
    free.get(first).is_some_and(|&c| syntax.citations[c].paragraph == paragraph)
}

/// A span is checked against at most this many citations and cited ids
/// (its own citation's, or its paragraph's free-standing ones).
pub const MAX_CITED: usize = 64;

pub fn citations_of(syntax: &SourceFile, span: usize, names: &Names) -> Cited {
    let mut own = None;
    let mut at = Some(span);
    while let Some(s) = at {
        if let Some(c) = syntax.spans[s].citation {
            own = Some(c);
            break;
        }
        at = syntax.spans[s].parent;
    }
    let paragraph = syntax.spans[span].paragraph;
    // Every figure of a paragraph shares its free-standing citations: capped,
    // so a paragraph of n figures and n citations costs n, not n².
    let citations: Vec<usize> = match own {
        Some(c) => vec![c],
        None => {
            let free = &syntax.free_citations;
            let first = free.partition_point(|&c| syntax.citations[c].paragraph < paragraph);
            free[first..]
                .iter()
                .copied()
                .take_while(|&c| syntax.citations[c].paragraph == paragraph)
                .take(MAX_CITED)
                .collect()
        }
    };
    let mut seen = std::collections::HashSet::new();
    let mut ids: Vec<Name> = Vec::new();
    for item in citations.iter().flat_map(|&c| &syntax.citations[c].items).take(MAX_CITED * 16) {
        if ids.len() < MAX_CITED && seen.insert(item.id.text.as_str()) {
            ids.push(names.intern(&item.id.text));
        }
    }
    Cited { citations, ids }
}
