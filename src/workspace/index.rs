//! Cross-file lookups: who defines, states, quotes, mentions and cites what.
//! Kept up to date file by file, so an edit costs what it touches.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use super::analysis::{FileAnalysis, Namespace};
use super::FileId;

/// An item of a file's analysis: `item` indexes the vector the map is about
/// (definitions, figures, quotes, mentions or cited ids).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    pub file: FileId,
    pub item: usize,
}

#[derive(Clone, Debug, Default)]
pub struct Index {
    pub definitions: HashMap<(Namespace, String), Vec<Loc>>,
    pub figures_by_key: HashMap<String, Vec<Loc>>,
    pub quotes_by_text: HashMap<String, Vec<Loc>>,
    pub quotes_by_speaker: HashMap<String, Vec<Loc>>,
    pub mentions_by_entity: HashMap<String, Vec<Loc>>,
    /// Items index `FileAnalysis::cited_ids`.
    pub citations_by_id: HashMap<String, Vec<Loc>>,
    /// How many distinct ids each namespace defines.
    defined_ids: HashMap<Namespace, usize>,
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
        (self.rank(loc.file), loc.item)
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
    map: &mut HashMap<K, Vec<Loc>>,
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
fn remove<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<Loc>>, keys: impl Iterator<Item = K>, file: FileId) {
    for key in keys.collect::<HashSet<K>>() {
        if let Some(locs) = map.get_mut(&key) {
            locs.retain(|l| l.file != file);
            if locs.is_empty() {
                map.remove(&key);
            }
        }
    }
}

fn sort<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<Loc>>, dirty: Vec<K>, order: &PathOrder) {
    for key in dirty {
        if let Some(locs) = map.get_mut(&key) {
            locs.sort_by_key(|l| order.key(l));
        }
    }
}

/// One map of the index built whole: `keys` lists a file's items under
/// their keys. Files come in path order, so every list is in path order.
fn lists<'a, K, I>(files: &[(FileId, &'a FileAnalysis)], keys: impl Fn(&'a FileAnalysis) -> I) -> HashMap<K, Vec<Loc>>
where
    K: std::hash::Hash + Eq,
    I: Iterator<Item = (usize, K)>,
{
    let mut map: HashMap<K, Vec<Loc>> = HashMap::new();
    for &(file, analysis) in files {
        for (item, key) in keys(analysis) {
            map.entry(key).or_default().push(Loc { file, item });
        }
    }
    map
}

/// Every list stays sorted in path order, so lookups see files in the same
/// order whether the workspace was built at once or edited file by file.
impl Index {
    /// The index of `files`, given in path order: the same as adding them
    /// one by one in that order, but each map is built by its own task.
    pub fn build(files: &[(FileId, &FileAnalysis)]) -> Index {
        let definitions = || {
            lists(files, |a| a.definitions.iter().enumerate().map(|(item, d)| (item, (d.namespace, d.id.text.clone()))))
        };
        let figures = || lists(files, |a| a.figures.iter().enumerate().map(|(item, f)| (item, f.key.text.clone())));
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
            || lists(files, |a| a.quotes.iter().enumerate().map(|(item, q)| (item, q.speaker.text.clone())));
        let mentions =
            || lists(files, |a| a.mentions.iter().enumerate().map(|(item, m)| (item, m.entity.text.clone())));
        let citations = || lists(files, |a| a.cited_ids.iter().enumerate().map(|(item, id)| (item, id.text.clone())));
        let (
            (definitions, figures_by_key),
            ((quotes_by_text, quotes_by_speaker), (mentions_by_entity, citations_by_id)),
        ) = rayon::join(
            || rayon::join(definitions, figures),
            || rayon::join(|| rayon::join(quotes_by_text, quotes_by_speaker), || rayon::join(mentions, citations)),
        );
        let mut defined_ids = HashMap::new();
        for (namespace, _) in definitions.keys() {
            *defined_ids.entry(*namespace).or_default() += 1;
        }
        Index {
            definitions,
            figures_by_key,
            quotes_by_text,
            quotes_by_speaker,
            mentions_by_entity,
            citations_by_id,
            defined_ids,
        }
    }

    pub fn add(&mut self, file: FileId, analysis: &FileAnalysis, order: &PathOrder) {
        let (mut d, mut f, mut qt, mut qs, mut m, mut c) = Default::default();
        for (item, def) in analysis.definitions.iter().enumerate() {
            if !self.definitions.contains_key(&(def.namespace, def.id.text.clone())) {
                *self.defined_ids.entry(def.namespace).or_default() += 1;
            }
            push(&mut self.definitions, (def.namespace, def.id.text.clone()), Loc { file, item }, order, &mut d);
        }
        for (item, fig) in analysis.figures.iter().enumerate() {
            push(&mut self.figures_by_key, fig.key.text.clone(), Loc { file, item }, order, &mut f);
        }
        for (item, q) in analysis.quotes.iter().enumerate() {
            if !q.normalized.is_empty() {
                push(&mut self.quotes_by_text, q.normalized.clone(), Loc { file, item }, order, &mut qt);
            }
            push(&mut self.quotes_by_speaker, q.speaker.text.clone(), Loc { file, item }, order, &mut qs);
        }
        for (item, mention) in analysis.mentions.iter().enumerate() {
            push(&mut self.mentions_by_entity, mention.entity.text.clone(), Loc { file, item }, order, &mut m);
        }
        for (item, id) in analysis.cited_ids.iter().enumerate() {
            push(&mut self.citations_by_id, id.text.clone(), Loc { file, item }, order, &mut c);
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
        let definitions = analysis.definitions.iter().map(|d| (d.namespace, d.id.text.clone()));
        remove(&mut self.definitions, definitions, file);
        let mut gone: Vec<(Namespace, &str)> =
            analysis.definitions.iter().map(|d| (d.namespace, d.id.text.as_str())).collect();
        gone.sort();
        gone.dedup();
        for (namespace, id) in gone {
            if !self.definitions.contains_key(&(namespace, id.to_string())) {
                *self.defined_ids.entry(namespace).or_default() -= 1;
            }
        }
        remove(&mut self.figures_by_key, analysis.figures.iter().map(|f| f.key.text.clone()), file);
        remove(&mut self.quotes_by_text, analysis.quotes.iter().map(|q| q.normalized.clone()), file);
        remove(&mut self.quotes_by_speaker, analysis.quotes.iter().map(|q| q.speaker.text.clone()), file);
        remove(&mut self.mentions_by_entity, analysis.mentions.iter().map(|m| m.entity.text.clone()), file);
        remove(&mut self.citations_by_id, analysis.cited_ids.iter().map(|id| id.text.clone()), file);
    }

    /// How many distinct ids `namespace` defines.
    pub fn defined_ids(&self, namespace: Namespace) -> usize {
        self.defined_ids.get(&namespace).copied().unwrap_or(0)
    }

    /// The items whose findings depend on whether `id` is defined in
    /// `namespace`: mentions and speakers of an entity, citations of a
    /// source, figures of a quantity key.
    pub fn users(&self, namespace: Namespace, id: &str) -> impl Iterator<Item = &Loc> {
        let lists = match namespace {
            Namespace::Source => [self.citations_by_id.get(id), None],
            Namespace::Entity => [self.mentions_by_entity.get(id), self.quotes_by_speaker.get(id)],
            Namespace::Quantity => [self.figures_by_key.get(id), None],
        };
        lists.into_iter().flatten().flatten()
    }

    /// Every name used in `namespace` (see `users`), once per list it is used in.
    pub fn used_names(&self, namespace: Namespace) -> impl Iterator<Item = &String> {
        let maps = match namespace {
            Namespace::Source => [Some(&self.citations_by_id), None],
            Namespace::Entity => [Some(&self.mentions_by_entity), Some(&self.quotes_by_speaker)],
            Namespace::Quantity => [Some(&self.figures_by_key), None],
        };
        maps.into_iter().flatten().flat_map(|m| m.keys())
    }

    pub fn definitions(&self, namespace: Namespace, id: &str) -> &[Loc] {
        self.definitions.get(&(namespace, id.to_string())).map_or(&[], Vec::as_slice)
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
        let analyses: Vec<FileAnalysis> =
            paths.iter().map(|p| analyse(&std::fs::read_to_string(p).unwrap(), &Config::default())).collect();
        assert!(analyses.len() > 20);
        let in_order: Vec<(FileId, &FileAnalysis)> =
            analyses.iter().enumerate().map(|(i, a)| (FileId(i as u32), a)).collect();
        let ids: Vec<FileId> = in_order.iter().map(|(id, _)| *id).collect();
        let order = PathOrder::from_sorted(&ids, ids.len());
        let built = Index::build(&in_order);
        let mut added = Index::default();
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
