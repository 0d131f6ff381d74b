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
}

/// The names a file's analysis contributes to the index: what an edit of
/// that file can change for others.
#[derive(Clone, Debug, Default)]
pub struct Footprint {
    pub definitions: Vec<(Namespace, String)>,
    pub figure_keys: Vec<String>,
    pub quote_texts: Vec<String>,
}

impl Footprint {
    pub fn of(analysis: &FileAnalysis) -> Footprint {
        Footprint {
            definitions: analysis.definitions.iter().map(|d| (d.namespace, d.id.text.clone())).collect(),
            figure_keys: analysis.figures.iter().map(|f| f.key.text.clone()).collect(),
            quote_texts: analysis.quotes.iter().map(|q| q.normalized.clone()).collect(),
        }
    }
}

/// Appends `loc` to `key`'s list, noting in `dirty` a list that is no
/// longer sorted (a file re-added after files with higher ids).
fn push<K: std::hash::Hash + Eq + Clone>(map: &mut HashMap<K, Vec<Loc>>, key: K, loc: Loc, dirty: &mut Vec<K>) {
    match map.entry(key) {
        Entry::Occupied(mut entry) => {
            if entry.get().last().is_some_and(|last| *last > loc) {
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

fn sort<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<Loc>>, dirty: Vec<K>) {
    for key in dirty {
        if let Some(locs) = map.get_mut(&key) {
            locs.sort();
        }
    }
}

/// Every list stays sorted by `Loc`, so lookups see files in the same order
/// whether the workspace was built at once or edited file by file.
impl Index {
    pub fn add(&mut self, file: FileId, analysis: &FileAnalysis) {
        let (mut d, mut f, mut qt, mut qs, mut m, mut c) = Default::default();
        for (item, def) in analysis.definitions.iter().enumerate() {
            push(&mut self.definitions, (def.namespace, def.id.text.clone()), Loc { file, item }, &mut d);
        }
        for (item, fig) in analysis.figures.iter().enumerate() {
            push(&mut self.figures_by_key, fig.key.text.clone(), Loc { file, item }, &mut f);
        }
        for (item, q) in analysis.quotes.iter().enumerate() {
            if !q.normalized.is_empty() {
                push(&mut self.quotes_by_text, q.normalized.clone(), Loc { file, item }, &mut qt);
            }
            push(&mut self.quotes_by_speaker, q.speaker.text.clone(), Loc { file, item }, &mut qs);
        }
        for (item, mention) in analysis.mentions.iter().enumerate() {
            push(&mut self.mentions_by_entity, mention.entity.text.clone(), Loc { file, item }, &mut m);
        }
        for (item, id) in analysis.cited_ids.iter().enumerate() {
            push(&mut self.citations_by_id, id.text.clone(), Loc { file, item }, &mut c);
        }
        // Each dirty list is two sorted runs: the stable sort merges them in linear time.
        sort(&mut self.definitions, d);
        sort(&mut self.figures_by_key, f);
        sort(&mut self.quotes_by_text, qt);
        sort(&mut self.quotes_by_speaker, qs);
        sort(&mut self.mentions_by_entity, m);
        sort(&mut self.citations_by_id, c);
    }

    pub fn remove(&mut self, file: FileId, analysis: &FileAnalysis) {
        let definitions = analysis.definitions.iter().map(|d| (d.namespace, d.id.text.clone()));
        remove(&mut self.definitions, definitions, file);
        remove(&mut self.figures_by_key, analysis.figures.iter().map(|f| f.key.text.clone()), file);
        remove(&mut self.quotes_by_text, analysis.quotes.iter().map(|q| q.normalized.clone()), file);
        remove(&mut self.quotes_by_speaker, analysis.quotes.iter().map(|q| q.speaker.text.clone()), file);
        remove(&mut self.mentions_by_entity, analysis.mentions.iter().map(|m| m.entity.text.clone()), file);
        remove(&mut self.citations_by_id, analysis.cited_ids.iter().map(|id| id.text.clone()), file);
    }

    pub fn definitions(&self, namespace: Namespace, id: &str) -> &[Loc] {
        self.definitions.get(&(namespace, id.to_string())).map_or(&[], Vec::as_slice)
    }
}
