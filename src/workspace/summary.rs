//! What one file shows the rest of the workspace, and what an edit changed
//! of it. Other files' findings read only these facts of a file (see the
//! table in docs/architecture.md), so the files an edit can affect follow
//! from the difference between the old and the new summary.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::base::{FastMap, FastSet};
use std::hash::Hash;

use super::analysis::{FileAnalysis, Namespace};
use super::index::{Index, ItemCut, Loc, PathOrder, RecordCut};
use super::{FileEntry, FileId};
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

/// The items of each vector a summary reads.
#[derive(Clone, Debug)]
struct Items {
    definitions: Range<usize>,
    figures: Range<usize>,
    quotes: Range<usize>,
}

impl Items {
    fn all(analysis: &FileAnalysis) -> Items {
        Items {
            definitions: 0..analysis.definitions.len(),
            figures: 0..analysis.figures.len(),
            quotes: 0..analysis.quotes.len(),
        }
    }
}

fn summarise(entry: &FileEntry, items: Items) -> Summary<'_> {
    let analysis = &*entry.analysis;
    let mut summary = Summary::default();
    for definition in &analysis.definitions[items.definitions.clone()] {
        summary
            .definitions
            .entry((definition.namespace, definition.id.name))
            .or_default()
            .push(DefinitionFact { id_range: definition.id.range, is_article: definition.block.is_none() });
    }
    for (item, figure) in analysis.figures.iter().enumerate().take(items.figures.end).skip(items.figures.start) {
        let (facts, ranges) = summary.figures.entry(figure.key.name).or_default();
        facts.push(FigureFact { item, interval: &figure.interval, period: figure.period });
        ranges.push(figure.range);
    }
    for quote in analysis.quotes[items.quotes].iter().filter(|q| !q.normalized.is_empty()) {
        summary.quotes.entry(&*quote.normalized).or_default().push((quote.speaker.name, quote.range));
    }
    // The article's own definition (front matter), when it has an id.
    if let Some(article) = article_definition(entry) {
        let figures =
            analysis.figures[items.figures].iter().map(|f| (f.key.name, &f.interval, f.period, f.range)).collect();
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
    let old_summary = old.map(|e| summarise(e, Items::all(&e.analysis))).unwrap_or_default();
    let new_summary = new.map(|e| summarise(e, Items::all(&e.analysis))).unwrap_or_default();
    difference(old_summary, new_summary, None, &|_| FastSet::default(), None)
}

/// The keys of a file that another file names too, as the index lists
/// them: a definition's id (duplicate-id in the other file points at this
/// one), a quantity key (contradicting-figure's related information), a
/// quote text (conflicting-attribution's). A key only this file names needs
/// nothing when its items only move: the findings that point at them are
/// this file's own, made again at every edit. Built from the index, and
/// kept with an open document while no other file changes (see
/// `Workspace::set_file`); a superset does no harm, a key missing would.
#[derive(Clone, Debug, Default)]
pub struct SharedKeys {
    definitions: FastSet<(Namespace, Name)>,
    figures: FastSet<Name>,
    quotes: FastSet<String>,
}

/// Whether a list of the index names a file other than `file` (the lists
/// are in path order, so a file's items are one run).
fn names_another(locs: &[Loc], file: FileId) -> bool {
    locs.first().is_some_and(|l| l.file != file) || locs.last().is_some_and(|l| l.file != file)
}

impl SharedKeys {
    /// The keys of `analysis` (the file `file` as `index` lists it) that another file names.
    pub fn of(index: &Index, file: FileId, analysis: &FileAnalysis) -> SharedKeys {
        let mut shared = SharedKeys::default();
        shared.add(index, file, analysis, Items::all(analysis));
        shared
    }

    /// Adds the keys of `analysis`'s items `items` that another file names.
    fn add(&mut self, index: &Index, file: FileId, analysis: &FileAnalysis, items: Items) {
        for definition in &analysis.definitions[items.definitions] {
            let key = (definition.namespace, definition.id.name);
            if names_another(index.definitions_of(key.0, key.1), file) {
                self.definitions.insert(key);
            }
        }
        for figure in &analysis.figures[items.figures] {
            if names_another(index.figures_of(figure.key.name), file) {
                self.figures.insert(figure.key.name);
            }
        }
        for quote in analysis.quotes[items.quotes].iter().filter(|q| !q.normalized.is_empty()) {
            if !self.quotes.contains(&*quote.normalized)
                && names_another(index.quotes_with_text(&quote.normalized), file)
            {
                self.quotes.insert(quote.normalized.to_string());
            }
        }
    }

    /// After an edit whose records were spliced along `cut` (and the index
    /// updated): the keys of the new items of the cut another file names.
    /// The other keys of the file were there before, and other files did not change.
    pub fn add_cut(&mut self, index: &Index, file: FileId, analysis: &FileAnalysis, cut: &RecordCut) {
        let items = Items {
            definitions: cut.definitions.lo..cut.definitions.new_hi,
            figures: cut.figures.lo..cut.figures.new_hi,
            quotes: cut.quotes.lo..cut.quotes.new_hi,
        };
        self.add(index, file, analysis, items);
    }
}

/// What [`changes_from`] reads of the old version of the edited file
/// besides its records: the index before the edit, in path order.
pub struct Before<'a> {
    pub file: FileId,
    pub index: &'a Index,
    pub order: &'a PathOrder,
    /// The keys of the file another file names.
    pub shared: &'a SharedKeys,
}

impl Before<'_> {
    /// Whether the old items from `from` on, in the list `locs`, include one of this file's.
    fn has_from(&self, locs: &[Loc], from: usize) -> bool {
        let at = (self.order.rank(self.file), from);
        let first = locs.partition_point(|l| self.order.key(l) < at);
        locs.get(first).is_some_and(|l| l.file == self.file)
    }
}

/// The items after an edit's piece, in the old version: they are the old
/// ones moved by the edit's length (and renumbered), so a per-name list
/// that holds one of them differs when that length is not 0.
struct Tail<'a, 'b> {
    before: &'b Before<'a>,
    cut: &'b RecordCut,
    /// Whether the article's figures after the piece moved.
    figures: bool,
}

impl Tail<'_, '_> {
    fn has_definition(&self, key: (Namespace, Name)) -> bool {
        self.before.has_from(self.before.index.definitions_of(key.0, key.1), self.cut.definitions.old_hi)
    }

    fn has_figure(&self, key: Name) -> bool {
        self.before.has_from(self.before.index.figures_of(key), self.cut.figures.old_hi)
    }

    fn has_quote(&self, text: &str) -> bool {
        self.before.has_from(self.before.index.quotes_with_text(text), self.cut.quotes.old_hi)
    }
}

/// [`changes`] for an edit whose records were spliced along `cut`
/// (`analysis::analyse_spliced`): the items before the cut are the same in
/// both versions, those after it the old ones moved by the edit's length
/// (`moved`: whether it is not 0) and renumbered. A list of facts per name
/// is the same before and after exactly when its part from the cut on is
/// (the part before is a common prefix), and a count of them changes by
/// what that part's changes by; what is read of the whole file is added
/// back: whether the article's own definition (front matter, before any
/// cut) names an id, and the speakers the other items give a quote text
/// (read from the old index). `DefinitionChange::before` and `after` then
/// count the summarised items only (only their difference is read).
///
/// When the cut's figures changed in number, the tail's figures were
/// renumbered (their keys' contradictions are made again), and every item
/// from the cut on is summarised. Otherwise only the piece is: the items
/// after it are the same facts but for their ranges, so a name whose list
/// holds one of them is listed when they moved, if another file names it
/// ([`SharedKeys`]; one only this file names has no reader but this file,
/// whose findings are made again anyway) or it is the article's id.
pub fn changes_from(old: &FileEntry, new: &FileEntry, cut: &RecordCut, moved: bool, before: &Before<'_>) -> Changes {
    let article = article_definition(old).map(|d| d.id.name);
    debug_assert_eq!(article, article_definition(new).map(|d| d.id.name), "a cut leaves the front matter");
    let whole = cut.figures.old_hi != cut.figures.new_hi;
    let upto = |c: ItemCut, old_len: usize, new_len: usize| match whole {
        true => (c.lo..old_len, c.lo..new_len),
        false => (c.lo..c.old_hi, c.lo..c.new_hi),
    };
    let (a, b) = (&*old.analysis, &*new.analysis);
    let (old_d, new_d) = upto(cut.definitions, a.definitions.len(), b.definitions.len());
    let (old_f, new_f) = upto(cut.figures, a.figures.len(), b.figures.len());
    let (old_q, new_q) = upto(cut.quotes, a.quotes.len(), b.quotes.len());
    // The speakers of a quote text in the old items not summarised: the same before and after.
    let summarised = old_q.clone();
    let outside_speakers = |text: &str| -> FastSet<Name> {
        let locs = before.index.quotes_with_text(text).iter();
        let mine = locs.filter(|l| l.file == before.file && !summarised.contains(&l.item()));
        mine.map(|l| a.quotes[l.item()].speaker.name).collect()
    };
    let old_summary = summarise(old, Items { definitions: old_d, figures: old_f, quotes: old_q.clone() });
    let new_summary = summarise(new, Items { definitions: new_d, figures: new_f, quotes: new_q });
    let tail = (moved && !whole).then_some(Tail { before, cut, figures: b.figures.len() > cut.figures.new_hi });
    difference(old_summary, new_summary, article, &outside_speakers, tail.as_ref())
}

fn difference(
    old: Summary<'_>,
    new: Summary<'_>,
    article: Option<Name>,
    outside_speakers: &dyn Fn(&str) -> FastSet<Name>,
    tail: Option<&Tail<'_, '_>>,
) -> Changes {
    let mut changes = Changes::default();

    for (key, old_facts, new_facts) in pairs(&old.definitions, &new.definitions) {
        if old_facts != new_facts || tail.is_some_and(|t| t.has_definition(*key)) {
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
                if old_figures.map(|f| &f.1) != new_figures.map(|f| &f.1) || tail.is_some_and(|t| t.has_figure(*key)) {
                    changes.figure_ranges.insert(*key);
                }
            }
            _ => {
                changes.figure_values.insert(*key);
            }
        }
    }
    for (text, old_quotes, new_quotes) in pairs(&old.quotes, &new.quotes) {
        if old_quotes != new_quotes || tail.is_some_and(|t| t.has_quote(text)) {
            let outside = outside_speakers(text);
            let speakers = |q: Option<&Vec<(Name, TextRange)>>| {
                let mut speakers = outside.clone();
                speakers.extend(q.into_iter().flatten().map(|(s, _)| *s));
                speakers
            };
            changes.quotes.insert(text.to_string());
            changes.quote_speakers.insert(text.to_string(), (speakers(old_quotes), speakers(new_quotes)));
        }
    }
    match (&old.article, &new.article) {
        (Some((a, old_content)), Some((b, new_content))) if a == b => {
            if old_content != new_content || tail.is_some_and(|t| t.figures) {
                changes.articles.insert(*a);
            }
        }
        (a, b) => {
            changes.articles.extend(a.iter().chain(b).map(|(id, _)| *id));
        }
    }
    if let Some(tail) = tail {
        // The names the piece does not hold whose items after it moved, and that some other reader reads.
        let shared = tail.before.shared;
        let namespaces = [Namespace::Source, Namespace::Entity, Namespace::Quantity];
        let article_ids = article.into_iter().flat_map(|id| namespaces.map(|ns| (ns, id)));
        for key in shared.definitions.iter().copied().chain(article_ids) {
            let in_piece = old.definitions.contains_key(&key) || new.definitions.contains_key(&key);
            if !in_piece && tail.has_definition(key) {
                let change = DefinitionChange { before: 0, after: 0, article: Some(key.1) == article };
                changes.definitions.insert(key, change);
            }
        }
        for &key in &shared.figures {
            let in_piece = old.figures.contains_key(&key) || new.figures.contains_key(&key);
            if !in_piece && tail.has_figure(key) {
                changes.figure_ranges.insert(key);
            }
        }
        for text in &shared.quotes {
            let in_piece = old.quotes.contains_key(text.as_str()) || new.quotes.contains_key(text.as_str());
            if !in_piece && tail.has_quote(text) {
                let outside = outside_speakers(text);
                changes.quotes.insert(text.clone());
                changes.quote_speakers.insert(text.clone(), (outside.clone(), outside));
            }
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
