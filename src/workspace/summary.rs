//! What one file shows the rest of the workspace, and what an edit changed
//! of it. Other files' findings read only these facts of a file (see the
//! table in docs/architecture.md), so the files an edit can affect follow
//! from the difference between the old and the new summary.

use std::collections::BTreeSet;

use crate::base::{FastMap, FastSet};
use std::hash::Hash;

use super::analysis::Namespace;
use super::FileEntry;
use crate::base::Name;
use crate::quantity::{Interval, Period};
use crate::syntax::TextRange;

/// What an edit of one file changed for others. Keyed by `Name` (in no
/// order): what it holds is read as sets.
#[derive(Debug, Default)]
pub struct Changes {
    /// Ids whose definitions in this file were added, removed or moved
    /// (their copies, ranges or kind differ).
    pub definitions: FastMap<(Namespace, Name), DefinitionChange>,
    /// Article ids whose content, as citers read it (normalised body,
    /// figures, the article's own id range), changed.
    pub articles: FastSet<Name>,
    /// Quantity keys whose figures here changed value, period, count or
    /// place in the file's list: their contradictions must be recomputed.
    pub figure_values: FastSet<Name>,
    /// Quantity keys whose figures here only moved: partners' related
    /// information points at the old range.
    pub figure_ranges: FastSet<Name>,
    /// Normalised quote texts whose copies here changed speaker, count or range.
    pub quotes: BTreeSet<String>,
    /// The speakers this file gave each changed quote text, before and after.
    pub quote_speakers: FastMap<String, (FastSet<Name>, FastSet<Name>)>,
}

#[derive(Debug, Clone, Copy)]
pub struct DefinitionChange {
    /// How many times this file defined the id before and after the edit.
    pub before: usize,
    pub after: usize,
    /// Whether one of those definitions, before or after, is an article's
    /// front matter (which citers read).
    pub article: bool,
}

/// A definition as others see it: duplicate-id points at the id, misquote
/// and unsupported-figure read only articles.
#[derive(PartialEq, Eq)]
struct DefinitionFact {
    id_range: TextRange,
    is_article: bool,
}

#[derive(PartialEq, Eq)]
struct FigureFact<'a> {
    item: usize,
    interval: &'a Interval,
    period: Option<Period>,
}

/// The facts of one file, grouped by the name they are read under.
#[derive(Default)]
struct Summary<'a> {
    definitions: FastMap<(Namespace, Name), Vec<DefinitionFact>>,
    figures: FastMap<Name, (Vec<FigureFact<'a>>, Vec<TextRange>)>,
    quotes: FastMap<&'a str, Vec<(Name, TextRange)>>,
    /// The article this file is, with what its citers read.
    article: Option<(Name, ArticleContent<'a>)>,
}

#[derive(PartialEq, Eq)]
struct ArticleContent<'a> {
    body: Option<&'a str>,
    figures: Vec<(Name, &'a Interval, Option<Period>, TextRange)>,
}

/// Where a summary starts in each of a file's vectors: an edit whose
/// records were spliced (`analysis::analyse_spliced`) left the items
/// before its cut as they were, in both versions, so the difference is
/// that of the items from the cut on (see [`changes_from`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Start {
    pub definitions: usize,
    pub figures: usize,
    pub quotes: usize,
}

fn summarise(entry: &FileEntry, from: Start) -> Summary<'_> {
    let analysis = &*entry.analysis;
    let mut summary = Summary::default();
    for definition in &analysis.definitions[from.definitions..] {
        summary
            .definitions
            .entry((definition.namespace, definition.id.name))
            .or_default()
            .push(DefinitionFact { id_range: definition.id.range, is_article: definition.block.is_none() });
    }
    for (item, figure) in analysis.figures.iter().enumerate().skip(from.figures) {
        let (facts, ranges) = summary.figures.entry(figure.key.name).or_default();
        facts.push(FigureFact { item, interval: &figure.interval, period: figure.period });
        ranges.push(figure.range);
    }
    for quote in analysis.quotes[from.quotes..].iter().filter(|q| !q.normalized.is_empty()) {
        summary.quotes.entry(quote.normalized.as_str()).or_default().push((quote.speaker.name, quote.range));
    }
    // The article's own definition (front matter), when it has an id.
    if let Some(article) = article_definition(entry) {
        let figures =
            analysis.figures[from.figures..].iter().map(|f| (f.key.name, &f.interval, f.period, f.range)).collect();
        let content = ArticleContent { body: entry.normalized_body(), figures };
        summary.article = Some((article.id.name, content));
    }
    summary
}

/// The front matter's definition: the first, when there is one.
fn article_definition(entry: &FileEntry) -> Option<&super::analysis::Definition> {
    entry.analysis.definitions.first().filter(|d| d.block.is_none())
}

/// The difference between a file's old and new analysis (`None`: the file
/// did not, or does no longer, exist).
pub fn changes(old: Option<&FileEntry>, new: Option<&FileEntry>) -> Changes {
    let old_summary = old.map(|e| summarise(e, Start::default())).unwrap_or_default();
    let new_summary = new.map(|e| summarise(e, Start::default())).unwrap_or_default();
    difference(old_summary, new_summary, None, &|_| FastSet::default())
}

/// [`changes`] for an edit whose records were spliced, whose items before
/// `from` are the same in both versions: only the items from there on are
/// summarised. A list of facts per name is the same before and after
/// exactly when its part from `from` on is (the part before is a common
/// prefix), and a count of them changes by what that part's changes by;
/// what is read of the whole file is added back: whether the article's own
/// definition (front matter, before any cut) names an id, and the speakers
/// the items before `from` give a quote text (`head_speakers`, read from
/// the index). `DefinitionChange::before` and `after` then count from
/// `from` (only their difference is read).
pub fn changes_from(
    old: &FileEntry,
    new: &FileEntry,
    from: Start,
    head_speakers: &dyn Fn(&str) -> FastSet<Name>,
) -> Changes {
    let article = article_definition(old).map(|d| d.id.name);
    debug_assert_eq!(article, article_definition(new).map(|d| d.id.name), "a cut leaves the front matter");
    difference(summarise(old, from), summarise(new, from), article, head_speakers)
}

fn difference(
    old: Summary<'_>,
    new: Summary<'_>,
    article: Option<Name>,
    head_speakers: &dyn Fn(&str) -> FastSet<Name>,
) -> Changes {
    let mut changes = Changes::default();

    for (key, old_facts, new_facts) in pairs(&old.definitions, &new.definitions) {
        if old_facts != new_facts {
            let (namespace, id) = *key;
            let facts = old_facts.into_iter().chain(new_facts).flatten();
            let change = DefinitionChange {
                before: old_facts.map_or(0, Vec::len),
                after: new_facts.map_or(0, Vec::len),
                article: Some(id) == article || facts.clone().any(|f| f.is_article),
            };
            changes.definitions.insert((namespace, id), change);
        }
    }
    for (key, old_figures, new_figures) in pairs(&old.figures, &new.figures) {
        match (old_figures, new_figures) {
            (Some((a, _)), Some((b, _))) if a == b => {
                if old_figures.map(|f| &f.1) != new_figures.map(|f| &f.1) {
                    changes.figure_ranges.insert(*key);
                }
            }
            _ => {
                changes.figure_values.insert(*key);
            }
        }
    }
    for (text, old_quotes, new_quotes) in pairs(&old.quotes, &new.quotes) {
        if old_quotes != new_quotes {
            let head = head_speakers(text);
            let speakers = |q: Option<&Vec<(Name, TextRange)>>| {
                let mut speakers = head.clone();
                speakers.extend(q.into_iter().flatten().map(|(s, _)| *s));
                speakers
            };
            changes.quotes.insert(text.to_string());
            changes.quote_speakers.insert(text.to_string(), (speakers(old_quotes), speakers(new_quotes)));
        }
    }
    match (&old.article, &new.article) {
        (Some((a, old_content)), Some((b, new_content))) if a == b => {
            if old_content != new_content {
                changes.articles.insert(*a);
            }
        }
        (a, b) => {
            changes.articles.extend(a.iter().chain(b).map(|(id, _)| *id));
        }
    }
    changes
}

/// Every key of either map with its value in each.
fn pairs<'m, K: Hash + Eq, V>(
    old: &'m FastMap<K, V>,
    new: &'m FastMap<K, V>,
) -> Vec<(&'m K, Option<&'m V>, Option<&'m V>)> {
    let mut out: Vec<_> = old.iter().map(|(k, v)| (k, Some(v), new.get(k))).collect();
    out.extend(new.iter().filter(|(k, _)| !old.contains_key(k)).map(|(k, v)| (k, None, Some(v))));
    out
}
