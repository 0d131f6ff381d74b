//! Cross-file lookups: who defines, states, quotes, mentions and cites what.
//! Kept up to date file by file, so an edit costs what it touches.

use std::collections::HashMap;

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

fn push<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<Loc>>, key: K, loc: Loc) {
    map.entry(key).or_default().push(loc);
}

fn remove<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<Loc>>, key: K, file: FileId) {
    if let Some(locs) = map.get_mut(&key) {
        locs.retain(|l| l.file != file);
        if locs.is_empty() {
            map.remove(&key);
        }
    }
}

impl Index {
    pub fn add(&mut self, file: FileId, analysis: &FileAnalysis) {
        for (item, d) in analysis.definitions.iter().enumerate() {
            push(&mut self.definitions, (d.namespace, d.id.text.clone()), Loc { file, item });
        }
        for (item, f) in analysis.figures.iter().enumerate() {
            push(&mut self.figures_by_key, f.key.text.clone(), Loc { file, item });
        }
        for (item, q) in analysis.quotes.iter().enumerate() {
            if !q.normalized.is_empty() {
                push(&mut self.quotes_by_text, q.normalized.clone(), Loc { file, item });
            }
            push(&mut self.quotes_by_speaker, q.speaker.text.clone(), Loc { file, item });
        }
        for (item, m) in analysis.mentions.iter().enumerate() {
            push(&mut self.mentions_by_entity, m.entity.text.clone(), Loc { file, item });
        }
        for (item, id) in analysis.cited_ids.iter().enumerate() {
            push(&mut self.citations_by_id, id.text.clone(), Loc { file, item });
        }
    }

    pub fn remove(&mut self, file: FileId, analysis: &FileAnalysis) {
        for d in &analysis.definitions {
            remove(&mut self.definitions, (d.namespace, d.id.text.clone()), file);
        }
        for f in &analysis.figures {
            remove(&mut self.figures_by_key, f.key.text.clone(), file);
        }
        for q in &analysis.quotes {
            remove(&mut self.quotes_by_text, q.normalized.clone(), file);
            remove(&mut self.quotes_by_speaker, q.speaker.text.clone(), file);
        }
        for m in &analysis.mentions {
            remove(&mut self.mentions_by_entity, m.entity.text.clone(), file);
        }
        for id in &analysis.cited_ids {
            remove(&mut self.citations_by_id, id.text.clone(), file);
        }
    }

    pub fn definitions(&self, namespace: Namespace, id: &str) -> &[Loc] {
        self.definitions.get(&(namespace, id.to_string())).map_or(&[], Vec::as_slice)
    }
}
