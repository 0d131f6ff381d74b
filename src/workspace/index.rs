//! Cross-file lookups: who defines, states, quotes, mentions and cites what.
//! Kept up to date file by file, so an edit costs what it touches.

use crate::base::{FastMap, FastSet};
use std::collections::hash_map::Entry;
use std::sync::Arc;

use super::analysis::{FileAnalysis, Namespace};
use super::FileId;
use crate::base::{Name, Names};
use crate::checks::SuggestionMemo;

/// An item of a file's analysis: `item` indexes the vector the map is about
/// (definitions, figures, quotes, mentions or cited ids).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    pub file: FileId,
    /// u32, not usize: the index holds a `Loc` for every item of every
    /// file, and eight bytes halve its lists.
    item: u32,
}

impl Loc {
    pub fn new(file: FileId, item: usize) -> Loc {
        Loc { file, item: u32::try_from(item).expect("a file's items are far fewer than 2^32") }
    }

    /// The index of the item in its file's vector.
    pub fn item(&self) -> usize {
        self.item as usize
    }
}

/// The lists, keyed by interned names: a key is four bytes, shared by every
/// list and record that names the id, instead of a `String` copy per list.
/// Lookups by text go through `names` and intern nothing.
#[derive(Clone, Debug, Default)]
pub struct Index {
    names: Arc<Names>,
    definitions: FastMap<(Namespace, Name), Vec<Loc>>,
    figures_by_key: FastMap<Name, Vec<Loc>>,
    quotes_by_text: FastMap<Arc<str>, Vec<Loc>>,
    quotes_by_speaker: FastMap<Name, Vec<Loc>>,
    mentions_by_entity: FastMap<Name, Vec<Loc>>,
    /// Items index `FileAnalysis::cited_ids`.
    citations_by_id: FastMap<Name, Vec<Loc>>,
    /// How many distinct ids each namespace defines.
    defined_ids: FastMap<Namespace, usize>,
    /// "Did you mean" answers over these definitions; emptied by every
    /// change.
    suggestions: SuggestionMemo,
}

/// Each file's place in path order (`Path` comparison of the file names):
/// the order every list of the index is kept in, so that findings name
/// their partners in the same order whatever order files arrived in.
#[derive(Clone, Debug, Default)]
pub struct PathOrder {
    /// By `FileId`: the file's rank among the live files.
    ranks: Vec<u32>,
}

impl PathOrder {
    pub fn rank(&self, file: FileId) -> u32 {
        self.ranks.get(file.0 as usize).copied().unwrap_or(u32::MAX)
    }

    /// The sort key of a location: path order, then order in the file.
    pub fn key(&self, loc: &Loc) -> (u32, usize) {
        (self.rank(loc.file), loc.item())
    }

    /// Ranks for the live files listed in path order.
    pub fn from_sorted(sorted: &[FileId], ids: usize) -> PathOrder {
        let mut ranks = vec![u32::MAX; ids];
        for (rank, id) in sorted.iter().enumerate() {
            ranks[id.0 as usize] = rank as u32;
        }
        PathOrder { ranks }
    }
}

/// Appends `loc` to `key`'s list, noting in `dirty` a list that is no
/// longer sorted (a file that comes earlier in path order added after others).
fn push<K: std::hash::Hash + Eq + Clone>(
    map: &mut FastMap<K, Vec<Loc>>,
    key: K,
    loc: Loc,
    order: &PathOrder,
    dirty: &mut Vec<K>,
) {
    match map.entry(key) {
        Entry::Occupied(mut entry) => {
            if entry.get().last().is_some_and(|last| order.key(last) > order.key(&loc)) {
                dirty.push(entry.key().clone());
            }
            entry.get_mut().push(loc);
        }
        Entry::Vacant(entry) => {
            entry.insert(vec![loc]);
        }
    }
}

/// Removes `file` from the lists of `keys`, visiting each list once however
/// often the file names its key (n figures of one key must not cost n²).
fn remove<K: std::hash::Hash + Eq>(map: &mut FastMap<K, Vec<Loc>>, keys: impl Iterator<Item = K>, file: FileId) {
    for key in keys.collect::<FastSet<K>>() {
        if let Some(locs) = map.get_mut(&key) {
            locs.retain(|l| l.file != file);
            if locs.is_empty() {
                map.remove(&key);
            }
        }
    }
}

fn sort<K: std::hash::Hash + Eq>(map: &mut FastMap<K, Vec<Loc>>, dirty: Vec<K>, order: &PathOrder) {
    for key in dirty {
        if let Some(locs) = map.get_mut(&key) {
            locs.sort_by_key(|l| order.key(l));
        }
    }
}

/// One map of the index built whole: `keys` lists a file's items under
/// their keys. Files come in path order, so every list is in path order.
fn lists<'a, K, I>(files: &[(FileId, &'a FileAnalysis)], keys: impl Fn(&'a FileAnalysis) -> I) -> FastMap<K, Vec<Loc>>
where
    K: std::hash::Hash + Eq,
    I: Iterator<Item = (usize, K)>,
{
    let mut map: FastMap<K, Vec<Loc>> = FastMap::default();
    for &(file, analysis) in files {
        for (item, key) in keys(analysis) {
            map.entry(key).or_default().push(Loc::new(file, item));
        }
    }
    map
}

/// Where an edit's splice changed one vector of a file's records: old
/// items `lo..old_hi` became new items `lo..new_hi`; the items after them
/// are the old ones, moved by `new_hi - old_hi` places.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemCut {
    pub lo: usize,
    pub old_hi: usize,
    pub new_hi: usize,
}

impl ItemCut {
    fn grew(self) -> i64 {
        self.new_hi as i64 - self.old_hi as i64
    }
}

/// The [`ItemCut`] of each vector the index lists (quotes serve both quote maps).
#[derive(Clone, Copy, Debug)]
pub struct RecordCut {
    pub definitions: ItemCut,
    pub figures: ItemCut,
    pub quotes: ItemCut,
    pub mentions: ItemCut,
    pub cited_ids: ItemCut,
}

/// One map's part of [`Index::splice`]: the keys of the cut's old and new
/// items (and of the items after it, when they moved) are each visited
/// once. Returns the keys of the cut's old items and of its new ones that
/// have a list before and after (for the count of defined ids).
fn splice_lists<K: std::hash::Hash + Eq + Clone>(
    map: &mut FastMap<K, Vec<Loc>>,
    file: FileId,
    cut: ItemCut,
    old_key: impl Fn(usize) -> Option<K>,
    new_key: impl Fn(usize) -> Option<K>,
    new_len: usize,
    order: &PathOrder,
) -> (FastSet<K>, FastSet<K>) {
    let grew = cut.grew();
    let mut added: FastMap<K, Vec<usize>> = FastMap::default();
    for item in cut.lo..cut.new_hi {
        if let Some(key) = new_key(item) {
            added.entry(key).or_default().push(item);
        }
    }
    let mut keys: FastSet<K> = (cut.lo..cut.old_hi).filter_map(&old_key).collect();
    keys.extend(added.keys().cloned());
    if grew != 0 {
        // The tail's keys are the same before and after: read them from the new items.
        keys.extend((cut.new_hi..new_len).filter_map(&new_key));
    }
    let (mut had, mut has) = (FastSet::default(), FastSet::default());
    for key in keys {
        let list = map.entry(key.clone()).or_default();
        if !list.is_empty() {
            had.insert(key.clone());
        }
        let mine = |l: &Loc| l.file == file;
        list.retain(|l| !(mine(l) && (cut.lo..cut.old_hi).contains(&l.item())));
        if grew != 0 {
            for l in list.iter_mut().filter(|l| l.file == file && l.item() >= cut.old_hi) {
                *l = Loc::new(file, (l.item() as i64 + grew) as usize);
            }
        }
        for &item in added.get(&key).into_iter().flatten() {
            let loc = Loc::new(file, item);
            let at = list.partition_point(|l| order.key(l) < order.key(&loc));
            list.insert(at, loc);
        }
        match list.is_empty() {
            true => {
                map.remove(&key);
            }
            false => {
                has.insert(key);
            }
        }
    }
    (had, has)
}

/// Every list stays sorted in path order, so lookups see files in the same
/// order whether the workspace was built at once or edited file by file.
impl Index {
    /// The index of `files`, given in path order: the same as adding them
    /// one by one in that order, but each map is built by its own task.
    pub fn build(names: Arc<Names>, files: &[(FileId, &FileAnalysis)]) -> Index {
        let definitions =
            || lists(files, |a| a.definitions.iter().enumerate().map(|(item, d)| (item, (d.namespace, d.id.name))));
        let figures = || lists(files, |a| a.figures.iter().enumerate().map(|(item, f)| (item, f.key.name)));
        let quotes_by_text = || {
            lists(files, |a| {
                a.quotes
                    .iter()
                    .enumerate()
                    .filter(|(_, q)| !q.normalized.is_empty())
                    .map(|(item, q)| (item, q.normalized.clone()))
            })
        };
        let quotes_by_speaker =
            || lists(files, |a| a.quotes.iter().enumerate().map(|(item, q)| (item, q.speaker.name)));
        let mentions = || lists(files, |a| a.mentions.iter().enumerate().map(|(item, m)| (item, m.entity.name)));
        let citations = || lists(files, |a| a.cited_ids.iter().enumerate().map(|(item, id)| (item, id.name)));
        let (
            (definitions, figures_by_key),
            ((quotes_by_text, quotes_by_speaker), (mentions_by_entity, citations_by_id)),
        ) = rayon::join(
            || rayon::join(definitions, figures),
            || rayon::join(|| rayon::join(quotes_by_text, quotes_by_speaker), || rayon::join(mentions, citations)),
        );
        let mut defined_ids = FastMap::default();
        for (namespace, _) in definitions.keys() {
            *defined_ids.entry(*namespace).or_default() += 1;
        }
        Index {
            names,
            definitions,
            figures_by_key,
            quotes_by_text,
            quotes_by_speaker,
            mentions_by_entity,
            citations_by_id,
            defined_ids,
            suggestions: SuggestionMemo::default(),
        }
    }

    /// An empty index whose names are `names` (the analyses it is given
    /// must have been made with the same).
    pub fn new(names: Arc<Names>) -> Index {
        Index { names, ..Index::default() }
    }

    pub fn names(&self) -> &Arc<Names> {
        &self.names
    }

    pub(crate) fn suggestions(&self) -> &SuggestionMemo {
        &self.suggestions
    }

    pub fn add(&mut self, file: FileId, analysis: &FileAnalysis, order: &PathOrder) {
        self.suggestions.clear();
        let (mut d, mut f, mut qt, mut qs, mut m, mut c) = Default::default();
        for (item, def) in analysis.definitions.iter().enumerate() {
            let key = (def.namespace, def.id.name);
            if !self.definitions.contains_key(&key) {
                *self.defined_ids.entry(def.namespace).or_default() += 1;
            }
            push(&mut self.definitions, key, Loc::new(file, item), order, &mut d);
        }
        for (item, fig) in analysis.figures.iter().enumerate() {
            push(&mut self.figures_by_key, fig.key.name, Loc::new(file, item), order, &mut f);
        }
        for (item, q) in analysis.quotes.iter().enumerate() {
            if !q.normalized.is_empty() {
                push(&mut self.quotes_by_text, q.normalized.clone(), Loc::new(file, item), order, &mut qt);
            }
            push(&mut self.quotes_by_speaker, q.speaker.name, Loc::new(file, item), order, &mut qs);
        }
        for (item, mention) in analysis.mentions.iter().enumerate() {
            push(&mut self.mentions_by_entity, mention.entity.name, Loc::new(file, item), order, &mut m);
        }
        for (item, id) in analysis.cited_ids.iter().enumerate() {
            push(&mut self.citations_by_id, id.name, Loc::new(file, item), order, &mut c);
        }
        // Each dirty list is two sorted runs: the stable sort merges them in linear time.
        sort(&mut self.definitions, d, order);
        sort(&mut self.figures_by_key, f, order);
        sort(&mut self.quotes_by_text, qt, order);
        sort(&mut self.quotes_by_speaker, qs, order);
        sort(&mut self.mentions_by_entity, m, order);
        sort(&mut self.citations_by_id, c, order);
    }

    pub fn remove(&mut self, file: FileId, analysis: &FileAnalysis) {
        self.suggestions.clear();
        let gone: FastSet<(Namespace, Name)> = analysis.definitions.iter().map(|d| (d.namespace, d.id.name)).collect();
        remove(&mut self.definitions, gone.iter().copied(), file);
        for key in gone {
            if !self.definitions.contains_key(&key) {
                *self.defined_ids.entry(key.0).or_default() -= 1;
            }
        }
        remove(&mut self.figures_by_key, analysis.figures.iter().map(|f| f.key.name), file);
        remove(&mut self.quotes_by_text, analysis.quotes.iter().map(|q| q.normalized.clone()), file);
        remove(&mut self.quotes_by_speaker, analysis.quotes.iter().map(|q| q.speaker.name), file);
        remove(&mut self.mentions_by_entity, analysis.mentions.iter().map(|m| m.entity.name), file);
        remove(&mut self.citations_by_id, analysis.cited_ids.iter().map(|id| id.name), file);
    }

    /// Updates the lists for an edit of `file` whose records were spliced
    /// (`analysis::analyse_spliced`): in each of its vectors the old items
    /// of the cut became the new ones, and the items after it moved by the
    /// same number of places. Only the lists of the cut's keys are touched,
    /// and, when a vector's items after the cut moved, the lists of theirs
    /// (their places change; their keys do not). Equals `remove(old)` then
    /// `add(new)` (`fuzzing::reparse` holds it).
    pub fn splice(&mut self, file: FileId, old: &FileAnalysis, new: &FileAnalysis, cut: &RecordCut, order: &PathOrder) {
        self.suggestions.clear();
        let (before, after) = splice_lists(
            &mut self.definitions,
            file,
            cut.definitions,
            |i| Some((old.definitions[i].namespace, old.definitions[i].id.name)),
            |i| Some((new.definitions[i].namespace, new.definitions[i].id.name)),
            new.definitions.len(),
            order,
        );
        for key in before.difference(&after) {
            *self.defined_ids.entry(key.0).or_default() -= 1;
        }
        for key in after.difference(&before) {
            *self.defined_ids.entry(key.0).or_default() += 1;
        }
        let figure = |a: &FileAnalysis, i: usize| Some(a.figures[i].key.name);
        let n = new.figures.len();
        splice_lists(&mut self.figures_by_key, file, cut.figures, |i| figure(old, i), |i| figure(new, i), n, order);
        let text = |a: &FileAnalysis, i: usize| Some(a.quotes[i].normalized.clone()).filter(|t| !t.is_empty());
        let n = new.quotes.len();
        splice_lists(&mut self.quotes_by_text, file, cut.quotes, |i| text(old, i), |i| text(new, i), n, order);
        let speaker = |a: &FileAnalysis, i: usize| Some(a.quotes[i].speaker.name);
        splice_lists(&mut self.quotes_by_speaker, file, cut.quotes, |i| speaker(old, i), |i| speaker(new, i), n, order);
        let entity = |a: &FileAnalysis, i: usize| Some(a.mentions[i].entity.name);
        let n = new.mentions.len();
        splice_lists(
            &mut self.mentions_by_entity,
            file,
            cut.mentions,
            |i| entity(old, i),
            |i| entity(new, i),
            n,
            order,
        );
        let cited = |a: &FileAnalysis, i: usize| Some(a.cited_ids[i].name);
        let n = new.cited_ids.len();
        splice_lists(&mut self.citations_by_id, file, cut.cited_ids, |i| cited(old, i), |i| cited(new, i), n, order);
    }

    /// Whether `other` holds the same lists (for the property tests: an
    /// index kept up to date equals one built from scratch).
    #[doc(hidden)]
    pub fn same_lists(&self, other: &Index) -> bool {
        self.definitions == other.definitions
            && self.figures_by_key == other.figures_by_key
            && self.quotes_by_text == other.quotes_by_text
            && self.quotes_by_speaker == other.quotes_by_speaker
            && self.mentions_by_entity == other.mentions_by_entity
            && self.citations_by_id == other.citations_by_id
            && self.defined_ids.iter().filter(|(_, n)| **n > 0).collect::<FastMap<_, _>>()
                == other.defined_ids.iter().filter(|(_, n)| **n > 0).collect::<FastMap<_, _>>()
    }

    /// How many distinct ids `namespace` defines.
    pub fn defined_ids(&self, namespace: Namespace) -> usize {
        self.defined_ids.get(&namespace).copied().unwrap_or(0)
    }

    /// The list of `text` in `map`: empty for a text no file names.
    fn list<'a>(&'a self, map: &'a FastMap<Name, Vec<Loc>>, text: &str) -> &'a [Loc] {
        self.names.get(text).and_then(|name| map.get(&name)).map_or(&[], Vec::as_slice)
    }

    /// The items whose findings depend on whether `id` is defined in
    /// `namespace`: mentions and speakers of an entity, citations of a
    /// source, figures of a quantity key.
    pub fn users(&self, namespace: Namespace, id: &str) -> impl Iterator<Item = &Loc> {
        self.names.get(id).into_iter().flat_map(move |name| self.users_of(namespace, name))
    }

    pub fn users_of(&self, namespace: Namespace, name: Name) -> impl Iterator<Item = &Loc> {
        let lists = match namespace {
            Namespace::Source => [self.citations_by_id.get(&name), None],
            Namespace::Entity => [self.mentions_by_entity.get(&name), self.quotes_by_speaker.get(&name)],
            Namespace::Quantity => [self.figures_by_key.get(&name), None],
        };
        lists.into_iter().flatten().flatten()
    }

    /// Every name used in `namespace` (see `users`), once per list it is used in.
    pub fn used_names(&self, namespace: Namespace) -> impl Iterator<Item = Name> + '_ {
        let maps = match namespace {
            Namespace::Source => [Some(&self.citations_by_id), None],
            Namespace::Entity => [Some(&self.mentions_by_entity), Some(&self.quotes_by_speaker)],
            Namespace::Quantity => [Some(&self.figures_by_key), None],
        };
        maps.into_iter().flatten().flat_map(|m| m.keys().copied())
    }

    pub fn definitions(&self, namespace: Namespace, id: &str) -> &[Loc] {
        self.names.get(id).map_or(&[], |name| self.definitions_of(namespace, name))
    }

    pub fn definitions_of(&self, namespace: Namespace, name: Name) -> &[Loc] {
        self.definitions.get(&(namespace, name)).map_or(&[], Vec::as_slice)
    }

    /// Every id `namespace` defines, with its definitions (in no order).
    pub fn defined(&self, namespace: Namespace) -> impl Iterator<Item = (&str, &[Loc])> {
        self.definitions
            .iter()
            .filter(move |((ns, _), _)| *ns == namespace)
            .map(|((_, name), locs)| (self.names.resolve(*name), locs.as_slice()))
    }

    /// Every definition of every namespace (in no order).
    pub fn all_definitions(&self) -> impl Iterator<Item = &Loc> {
        self.definitions.values().flatten()
    }

    /// The figures that state `key`; items index `FileAnalysis::figures`.
    pub fn figures(&self, key: &str) -> &[Loc] {
        self.list(&self.figures_by_key, key)
    }

    pub fn figures_of(&self, key: Name) -> &[Loc] {
        self.figures_by_key.get(&key).map_or(&[], Vec::as_slice)
    }

    /// Every key some figure states (in no order).
    pub fn figure_keys(&self) -> impl Iterator<Item = Name> + '_ {
        self.figures_by_key.keys().copied()
    }

    /// The quotes of this normalised text; items index `FileAnalysis::quotes`.
    pub fn quotes_with_text(&self, normalized: &str) -> &[Loc] {
        self.quotes_by_text.get(normalized).map_or(&[], Vec::as_slice)
    }

    /// The quotes attributed to `speaker`.
    pub fn quotes_by(&self, speaker: &str) -> &[Loc] {
        self.list(&self.quotes_by_speaker, speaker)
    }

    /// The mentions of `entity`; items index `FileAnalysis::mentions`.
    pub fn mentions(&self, entity: &str) -> &[Loc] {
        self.list(&self.mentions_by_entity, entity)
    }

    /// Every entity mentioned or quoted (in no order, once per list).
    pub fn mentioned_or_quoted(&self) -> impl Iterator<Item = &str> {
        self.mentions_by_entity.keys().chain(self.quotes_by_speaker.keys()).map(|name| self.names.resolve(*name))
    }

    /// The citations of `id`; items index `FileAnalysis::cited_ids`.
    pub fn citations(&self, id: &str) -> &[Loc] {
        self.list(&self.citations_by_id, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::workspace::analysis::analyse;

    /// Building the index whole gives the lists adding files one by one
    /// gives, whatever order they are added in.
    #[test]
    fn building_at_once_equals_adding_file_by_file() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("seeds")];
        dirs.extend(std::fs::read_dir(root.join("tests/fixtures")).unwrap().map(|e| e.unwrap().path()));
        let mut paths: Vec<_> = dirs
            .iter()
            .flat_map(|d| std::fs::read_dir(d).unwrap().map(|e| e.unwrap().path()))
            .filter(|p| p.to_string_lossy().ends_with(".news.md"))
            .collect();
        paths.sort();
        let names = Arc::new(Names::default());
        let analyses: Vec<FileAnalysis> =
            paths.iter().map(|p| analyse(&std::fs::read_to_string(p).unwrap(), &Config::default(), &names)).collect();
        assert!(analyses.len() > 20);
        let in_order: Vec<(FileId, &FileAnalysis)> =
            analyses.iter().enumerate().map(|(i, a)| (FileId(i as u32), a)).collect();
        let ids: Vec<FileId> = in_order.iter().map(|(id, _)| *id).collect();
        let order = PathOrder::from_sorted(&ids, ids.len());
        let built = Index::build(names.clone(), &in_order);
        let mut added = Index::new(names.clone());
        // Every other file first, then the rest backwards: lists go out of order and are re-sorted.
        for &(id, analysis) in in_order.iter().step_by(2).chain(in_order.iter().skip(1).step_by(2).rev()) {
            added.add(id, analysis, &order);
        }
        assert_eq!(built.definitions, added.definitions);
        assert_eq!(built.figures_by_key, added.figures_by_key);
        assert_eq!(built.quotes_by_text, added.quotes_by_text);
        assert_eq!(built.quotes_by_speaker, added.quotes_by_speaker);
        assert_eq!(built.mentions_by_entity, added.mentions_by_entity);
        assert_eq!(built.citations_by_id, added.citations_by_id);
        assert_eq!(built.defined_ids, added.defined_ids);
        assert!(!built.quotes_by_text.is_empty() && !built.figures_by_key.is_empty());
    }
}
