//! What one file shows the rest of the workspace, and what an edit changed
//! of it. Other files' findings read only these facts of a file (see the
//! table in docs/architecture.md), so the files an edit can affect follow
//! from the difference between the old and the new summary.

use std::collections::{BTreeSet, HashMap, HashSet};
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
    pub definitions: HashMap<(Namespace, Name), DefinitionChange>,
    /// Article ids whose content, as citers read it (normalised body,
    /// figures, the article's own id range), changed.
    pub articles: HashSet<Name>,
    /// Quantity keys whose figures here changed value, period, count or
    /// place in the file's list: their contradictions must be recomputed.
    pub figure_values: HashSet<Name>,
    /// Quantity keys whose figures here only moved: partners' related
    /// information points at the old range.
    pub figure_ranges: HashSet<Name>,
    /// Normalised quote texts whose copies here changed speaker, count or range.
    pub quotes: BTreeSet<String>,
    /// The speakers this file gave each changed quote text, before and after.
    pub quote_speakers: HashMap<String, (HashSet<Name>, HashSet<Name>)>,
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
    definitions: HashMap<(Namespace, Name), Vec<DefinitionFact>>,
    figures: HashMap<Name, (Vec<FigureFact<'a>>, Vec<TextRange>)>,
    quotes: HashMap<&'a str, Vec<(Name, TextRange)>>,
    /// The article this file is, with what its citers read.
    article: Option<(Name, ArticleContent<'a>)>,
}

#[derive(PartialEq, Eq)]
struct ArticleContent<'a> {
    body: Option<&'a str>,
    figures: Vec<(Name, &'a Interval, Option<Period>, TextRange)>,
}

fn summarise(entry: &FileEntry) -> Summary<'_> {
    let analysis = &*entry.analysis;
    let mut summary = Summary::default();
    for definition in &analysis.definitions {
        summary
            .definitions
            .entry((definition.namespace, definition.id.name))
            .or_default()
            .push(DefinitionFact { id_range: definition.id.range, is_article: definition.block.is_none() });
    }
    for (item, figure) in analysis.figures.iter().enumerate() {
        let (facts, ranges) = summary.figures.entry(figure.key.name).or_default();
        facts.push(FigureFact { item, interval: &figure.interval, period: figure.period });
        ranges.push(figure.range);
    }
    for quote in analysis.quotes.iter().filter(|q| !q.normalized.is_empty()) {
        summary.quotes.entry(quote.normalized.as_str()).or_default().push((quote.speaker.name, quote.range));
    }
    // The article's own definition (front matter), when it has an id.
    if let Some(article) = analysis.definitions.iter().find(|d| d.block.is_none()) {
        let figures = analysis.figures.iter().map(|f| (f.key.name, &f.interval, f.period, f.range)).collect();
        let content = ArticleContent { body: entry.normalized_body(), figures };
        summary.article = Some((article.id.name, content));
    }
    summary
}

/// The difference between a file's old and new analysis (`None`: the file
/// did not, or does no longer, exist).
pub fn changes(old: Option<&FileEntry>, new: Option<&FileEntry>) -> Changes {
    let old = old.map(summarise).unwrap_or_default();
    let new = new.map(summarise).unwrap_or_default();
    let mut changes = Changes::default();

    for (key, old_facts, new_facts) in pairs(&old.definitions, &new.definitions) {
        if old_facts != new_facts {
            let (namespace, id) = *key;
            let facts = old_facts.into_iter().chain(new_facts).flatten();
            let change = DefinitionChange {
                before: old_facts.map_or(0, Vec::len),
                after: new_facts.map_or(0, Vec::len),
                article: facts.clone().any(|f| f.is_article),
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
            let speakers = |q: Option<&Vec<(Name, TextRange)>>| {
                q.into_iter().flatten().map(|(s, _)| *s).collect::<HashSet<Name>>()
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
    old: &'m HashMap<K, V>,
    new: &'m HashMap<K, V>,
) -> Vec<(&'m K, Option<&'m V>, Option<&'m V>)> {
    let mut out: Vec<_> = old.iter().map(|(k, v)| (k, Some(v), new.get(k))).collect();
    out.extend(new.iter().filter(|(k, _)| !old.contains_key(k)).map(|(k, v)| (k, None, Some(v))));
    out
}
