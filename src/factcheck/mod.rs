//! The fact-check model: every figure and quote of the reported files with
//! where it stands, what it was read as, and the verdict the checks'
//! findings give it; the quantity keys, quote groups, entities and sources
//! around them. Built from the workspace, its index and
//! [`checks::file_diagnostics`] only: nothing is re-read from the text
//! except each claim's sentence. The report page and the ClaimReview export
//! both render this model.

mod sentence;
mod verdict;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

pub use verdict::{Verdict, BEST_RATING, WORST_RATING};

use crate::checks;
use crate::diagnostic::{Code, Diagnostic};
use crate::line_index::{Encoding, LineCol};
use crate::quantity::{Date, Interval, Period};
use crate::syntax;
use crate::workspace::{FileEntry, FileId, Namespace, Workspace};

/// Where a claim or definition stands: the file as the user named it, and a
/// 1-based line and column (Unicode scalar values).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub file: FileId,
    pub path: String,
    pub line: usize,
    pub column: usize,
}

/// An article's front matter, as the analysis read it.
#[derive(Clone, Debug)]
pub struct ArticleInfo {
    pub id: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub published: Option<Date>,
    pub url: Option<String>,
}

/// A finding on a claim: its code and message.
#[derive(Clone, Debug)]
pub struct Note {
    pub code: Code,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct FigureClaim {
    pub place: Place,
    pub key: String,
    /// The span's text as a reader sees it.
    pub text: String,
    pub sentence: String,
    pub interval: Interval,
    pub period: Option<Period>,
    /// Index into [`FactCheck::articles`]: the article the figure is in.
    pub article: Option<usize>,
    pub cited: Vec<String>,
    pub notes: Vec<Note>,
    pub verdict: Verdict,
}

#[derive(Clone, Debug)]
pub struct QuoteClaim {
    pub place: Place,
    pub speaker: String,
    pub text: String,
    pub normalized: String,
    pub sentence: String,
    pub article: Option<usize>,
    pub cited: Vec<String>,
    pub notes: Vec<Note>,
    pub verdict: Verdict,
}

/// A quantity key and its figures (indices into [`FactCheck::figures`]).
#[derive(Clone, Debug)]
pub struct KeyInfo {
    pub key: String,
    pub label: Option<String>,
    pub unit: Option<String>,
    pub figures: Vec<usize>,
}

/// The copies of one quote (normalised text), indices into
/// [`FactCheck::quotes`].
#[derive(Clone, Debug)]
pub struct QuoteGroup {
    pub normalized: String,
    pub quotes: Vec<usize>,
}

impl QuoteGroup {
    /// The distinct speakers, in order of first attribution.
    pub fn speakers<'a>(&self, fact_check: &'a FactCheck) -> Vec<&'a str> {
        let mut speakers: Vec<&str> = Vec::new();
        for &q in &self.quotes {
            let speaker = fact_check.quotes[q].speaker.as_str();
            if !speakers.contains(&speaker) {
                speakers.push(speaker);
            }
        }
        speakers
    }
}

#[derive(Clone, Debug)]
pub struct EntityInfo {
    pub id: String,
    pub name: Option<String>,
    pub kind: Option<String>,
    pub role: Option<String>,
    pub place: Option<Place>,
    /// Mentions per reported file, most first, and their total.
    pub mentions: Vec<(Place, usize)>,
    pub total_mentions: usize,
    pub quotes: usize,
}

#[derive(Clone, Debug)]
pub struct SourceInfo {
    pub id: String,
    /// A workspace article (front matter), not a `::: source` block.
    pub is_article: bool,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub place: Place,
    /// Citations of this id in the reported files.
    pub cited: usize,
}

#[derive(Clone, Debug, Default)]
pub struct FactCheck {
    /// Reported files.
    pub files: usize,
    pub articles: Vec<ArticleInfo>,
    pub figures: Vec<FigureClaim>,
    pub quotes: Vec<QuoteClaim>,
    /// Keys with a contradicted or unsupported figure first, then most
    /// figures first, then by key.
    pub keys: Vec<KeyInfo>,
    /// Groups with a finding first, then most copies first.
    pub quote_groups: Vec<QuoteGroup>,
    /// By id.
    pub entities: Vec<EntityInfo>,
    /// By id.
    pub sources: Vec<SourceInfo>,
    /// Every finding of the reported files, counted per code (codes with none left out).
    pub findings: BTreeMap<Code, usize>,
    /// Outlets of the articles, most figures and quotes first.
    pub outlets: Vec<String>,
}

impl FactCheck {
    /// The outlet of the article a claim is in.
    pub fn outlet_of(&self, article: Option<usize>) -> Option<&str> {
        article.and_then(|a| self.articles[a].outlet.as_deref())
    }

    /// The position of an outlet in [`FactCheck::outlets`].
    pub fn outlet_index(&self, article: Option<usize>) -> Option<usize> {
        let outlet = self.outlet_of(article)?;
        self.outlets.iter().position(|o| o == outlet)
    }
}

/// What one file contributes, built in parallel.
struct FilePart {
    article: Option<ArticleInfo>,
    figures: Vec<FigureClaim>,
    quotes: Vec<QuoteClaim>,
    findings: Vec<Code>,
}

/// The model of `reported` (files of `workspace`), in their order.
pub fn build(workspace: &Workspace, reported: &[FileId]) -> FactCheck {
    let parts: Vec<FilePart> = reported.par_iter().map(|&file| file_part(workspace, file)).collect();
    let mut fact_check = FactCheck { files: reported.len(), ..FactCheck::default() };
    for part in parts {
        let article = part.article.map(|a| {
            fact_check.articles.push(a);
            fact_check.articles.len() - 1
        });
        for mut figure in part.figures {
            figure.article = article;
            fact_check.figures.push(figure);
        }
        for mut quote in part.quotes {
            quote.article = article;
            fact_check.quotes.push(quote);
        }
        for code in part.findings {
            *fact_check.findings.entry(code).or_insert(0) += 1;
        }
    }
    fact_check.keys = keys(workspace, &fact_check.figures);
    fact_check.quote_groups = quote_groups(&fact_check.quotes);
    fact_check.outlets = outlets(&fact_check);
    fact_check.entities = entities(workspace, reported);
    fact_check.sources = sources(workspace, reported);
    fact_check
}

pub fn place(workspace: &Workspace, file: FileId, offset: usize) -> Place {
    let entry = workspace.entry(file);
    let LineCol { line, col } = entry.line_index().line_col(&entry.text, offset, Encoding::Utf32);
    Place { file, path: entry.name.clone(), line: line as usize + 1, column: col as usize + 1 }
}

fn file_part(workspace: &Workspace, file: FileId) -> FilePart {
    let entry = workspace.entry(file);
    let analysis = &entry.analysis;
    // The report reads each reported file's own tree once (rebuilt when
    // not kept), and other files only through their records.
    let syntax = &*entry.syntax();
    let diagnostics = checks::file_diagnostics(workspace, file);
    // Findings on a claim are reported on its whole span.
    let mut on_span: HashMap<(usize, usize), Vec<&Diagnostic>> = HashMap::new();
    for d in &diagnostics {
        on_span.entry((d.range.start(), d.range.end())).or_default().push(d);
    }
    let notes_of = |span: usize| -> Vec<Note> {
        let range = &syntax.spans[span].range;
        on_span
            .get(&(range.start(), range.end()))
            .into_iter()
            .flatten()
            .filter(|d| Verdict::of_code(d.code).is_some())
            .map(|d| Note { code: d.code, message: d.message.clone() })
            .collect()
    };
    let mut ends_of_paragraph: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut sentence_of = |span: usize| {
        let s = &syntax.spans[span];
        let ends = ends_of_paragraph
            .entry(s.paragraph())
            .or_insert_with(|| sentence::sentence_ends(&entry.text, syntax, s.paragraph()));
        sentence::sentence_around(&entry.text, syntax, s.paragraph(), ends, s.range)
    };
    let plain = |span: usize| sentence::tidy(&syntax::plain_text(&entry.text, syntax, syntax.spans[span].text_range));
    let figures = analysis
        .figures
        .iter()
        .map(|f| {
            let notes = notes_of(f.span);
            FigureClaim {
                place: place(workspace, file, syntax.spans[f.span].range.start()),
                key: workspace.name(f.key.name).to_string(),
                text: plain(f.span),
                sentence: sentence_of(f.span),
                interval: f.interval,
                period: f.period,
                article: None,
                cited: f.citations.ids.iter().map(|&n| workspace.name(n).to_string()).collect(),
                verdict: Verdict::of_findings(notes.iter().map(|n| n.code)),
                notes,
            }
        })
        .collect();
    let quotes = analysis
        .quotes
        .iter()
        .map(|q| {
            let notes = notes_of(q.span);
            QuoteClaim {
                place: place(workspace, file, syntax.spans[q.span].range.start()),
                speaker: workspace.name(q.speaker.name).to_string(),
                text: plain(q.span),
                normalized: q.normalized.to_string(),
                sentence: sentence_of(q.span),
                article: None,
                cited: q.citations.ids.iter().map(|&n| workspace.name(n).to_string()).collect(),
                verdict: Verdict::of_findings(notes.iter().map(|n| n.code)),
                notes,
            }
        })
        .collect();
    let article = analysis.article.as_ref().map(|a| ArticleInfo {
        id: entry.text[a.id].to_string(),
        title: a.title.clone(),
        outlet: a.outlet.clone(),
        author: a.author.clone(),
        published: a.published,
        url: a.url.clone(),
    });
    FilePart { article, figures, quotes, findings: diagnostics.iter().map(|d| d.code).collect() }
}

/// A definition block and the file it is written in (which its fields are
/// read from).
#[derive(Clone, Copy)]
struct DefinedIn<'a> {
    entry: &'a FileEntry,
    /// The block's record, whose `key: value` lines are read (the file's
    /// tree may not be kept).
    definition: &'a crate::workspace::analysis::Definition,
}

/// The first definition block of `id` in `namespace`, and where it is.
fn definition_block<'a>(workspace: &'a Workspace, namespace: Namespace, id: &str) -> Option<(DefinedIn<'a>, Place)> {
    workspace.index().definitions(namespace, id).iter().find_map(|loc| {
        let entry = workspace.entry(loc.file);
        let definition = &entry.analysis.definitions[loc.item()];
        definition.block?;
        Some((DefinedIn { entry, definition }, place(workspace, loc.file, definition.range.start())))
    })
}

fn field(defined: DefinedIn, key: &str) -> Option<String> {
    let DefinedIn { entry, definition } = defined;
    Some(definition.field(&entry.text, key)?.to_string()).filter(|v| !v.is_empty())
}

fn keys(workspace: &Workspace, figures: &[FigureClaim]) -> Vec<KeyInfo> {
    let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, figure) in figures.iter().enumerate() {
        by_key.entry(&figure.key).or_default().push(i);
    }
    let mut keys: Vec<KeyInfo> = by_key
        .into_iter()
        .map(|(key, figures)| {
            let block = definition_block(workspace, Namespace::Quantity, key).map(|(b, _)| b);
            KeyInfo {
                key: key.to_string(),
                label: block.and_then(|b| field(b, "label")),
                unit: block.and_then(|b| field(b, "unit")),
                figures,
            }
        })
        .collect();
    let disputed = |k: &KeyInfo| {
        k.figures.iter().any(|&f| matches!(figures[f].verdict, Verdict::Contradicted | Verdict::Unsupported))
    };
    keys.sort_by(|a, b| {
        (disputed(b), b.figures.len()).cmp(&(disputed(a), a.figures.len())).then_with(|| a.key.cmp(&b.key))
    });
    keys
}

fn quote_groups(quotes: &[QuoteClaim]) -> Vec<QuoteGroup> {
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, quote) in quotes.iter().enumerate().filter(|(_, q)| !q.normalized.is_empty()) {
        by_text.entry(&quote.normalized).or_default().push(i);
    }
    let mut groups: Vec<QuoteGroup> =
        by_text.into_iter().map(|(text, quotes)| QuoteGroup { normalized: text.to_string(), quotes }).collect();
    let flagged = |g: &QuoteGroup| g.quotes.iter().any(|&q| quotes[q].verdict != Verdict::Consistent);
    groups.sort_by(|a, b| {
        (flagged(b), b.quotes.len()).cmp(&(flagged(a), a.quotes.len())).then_with(|| a.normalized.cmp(&b.normalized))
    });
    groups
}

fn outlets(fact_check: &FactCheck) -> Vec<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let articles = fact_check.figures.iter().map(|f| f.article).chain(fact_check.quotes.iter().map(|q| q.article));
    for outlet in articles.filter_map(|a| fact_check.outlet_of(a)) {
        *counts.entry(outlet).or_insert(0) += 1;
    }
    for article in &fact_check.articles {
        if let Some(outlet) = &article.outlet {
            counts.entry(outlet).or_insert(0);
        }
    }
    let mut outlets: Vec<(&str, usize)> = counts.into_iter().collect();
    outlets.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    outlets.into_iter().map(|(o, _)| o.to_string()).collect()
}

fn entities(workspace: &Workspace, reported: &[FileId]) -> Vec<EntityInfo> {
    let is_reported: std::collections::HashSet<FileId> = reported.iter().copied().collect();
    let index = workspace.index();
    let mut ids: Vec<&str> =
        index.mentioned_or_quoted().chain(index.defined(Namespace::Entity).map(|(id, _)| id)).collect();
    ids.sort();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| {
            // Per file: the first mention and how many.
            let mut per_file: BTreeMap<FileId, (usize, usize)> = BTreeMap::new();
            for loc in index.mentions(id).iter().filter(|l| is_reported.contains(&l.file)) {
                per_file.entry(loc.file).or_insert((loc.item(), 0)).1 += 1;
            }
            let quotes = index.quotes_by(id).iter().filter(|l| is_reported.contains(&l.file)).count();
            let definition = definition_block(workspace, Namespace::Entity, id);
            let defined_here = definition.as_ref().is_some_and(|(_, p)| is_reported.contains(&p.file));
            if per_file.is_empty() && quotes == 0 && !defined_here {
                return None;
            }
            let total_mentions = per_file.values().map(|(_, n)| n).sum();
            let mut mentions: Vec<(Place, usize)> = per_file
                .into_iter()
                .map(|(file, (first, n))| {
                    let analysis = &workspace.entry(file).analysis;
                    let offset = analysis.mentions[first].range.start();
                    (place(workspace, file, offset), n)
                })
                .collect();
            mentions.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.path.cmp(&b.0.path)));
            let block = definition.as_ref().map(|(b, _)| *b);
            Some(EntityInfo {
                id: id.to_string(),
                name: block.and_then(|b| field(b, "name")),
                kind: block.and_then(|b| field(b, "kind")),
                role: block.and_then(|b| field(b, "role")),
                place: definition.map(|(_, p)| p),
                mentions,
                total_mentions,
                quotes,
            })
        })
        .collect()
}

fn sources(workspace: &Workspace, reported: &[FileId]) -> Vec<SourceInfo> {
    let is_reported: std::collections::HashSet<FileId> = reported.iter().copied().collect();
    let index = workspace.index();
    let mut ids: Vec<&str> = index.defined(Namespace::Source).map(|(id, _)| id).collect();
    ids.sort();
    ids.into_iter()
        .filter_map(|id| {
            let loc = index.definitions(Namespace::Source, id).first()?;
            let entry = workspace.entry(loc.file);
            let analysis = &entry.analysis;
            let definition = &analysis.definitions[loc.item()];
            let cited = index.citations(id).iter().filter(|l| is_reported.contains(&l.file)).count();
            if cited == 0 && !is_reported.contains(&loc.file) {
                return None;
            }
            let place = place(workspace, loc.file, definition.range.start());
            Some(match definition.block {
                Some(_) => {
                    let block = DefinedIn { entry, definition };
                    debug_assert_eq!(definition.namespace, Namespace::Source);
                    SourceInfo {
                        id: id.to_string(),
                        is_article: false,
                        title: field(block, "title"),
                        outlet: field(block, "outlet"),
                        published: field(block, "published"),
                        url: field(block, "url"),
                        place,
                        cited,
                    }
                }
                None => {
                    let article = analysis.article.as_ref()?;
                    SourceInfo {
                        id: id.to_string(),
                        is_article: true,
                        title: article.title.clone(),
                        outlet: article.outlet.clone(),
                        published: article.published.map(|d| d.to_string()),
                        url: article.url.clone(),
                        place,
                        cited,
                    }
                }
            })
        })
        .collect()
}
