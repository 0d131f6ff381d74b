//! The workspace: every file's text and analysis, and the cross-file index.
//! The CLI builds one at once; the language server keeps one and applies
//! edits to it in order.

pub mod analysis;
pub mod discover;
pub mod index;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

pub use analysis::{FileAnalysis, Namespace};
pub use index::{Index, Loc};

use crate::checks::conflicts::{self, KeyConflicts};
use crate::config::Config;
use crate::line_index::LineIndex;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

#[derive(Clone, Debug)]
pub struct FileEntry {
    /// What the user calls the file: the path as given, or the editor's URI.
    pub name: String,
    pub text: Arc<str>,
    pub line_index: Arc<LineIndex>,
    pub analysis: Arc<FileAnalysis>,
}

#[derive(Clone, Debug, Default)]
pub struct Workspace {
    config: Config,
    files: Vec<Option<FileEntry>>,
    by_name: HashMap<String, FileId>,
    index: Index,
    /// Contradictions per quantity key, recomputed only for keys an edit touched.
    conflicts: HashMap<String, Arc<KeyConflicts>>,
}

impl Workspace {
    pub fn new(config: Config) -> Workspace {
        Workspace { config, ..Workspace::default() }
    }

    /// Builds a workspace from many files at once, analysing them in parallel.
    pub fn from_files(config: Config, files: Vec<(String, String)>) -> Workspace {
        let mut workspace = Workspace::new(config);
        let entries: Vec<FileEntry> =
            files.into_par_iter().map(|(name, text)| make_entry(name, Arc::from(text), &workspace.config)).collect();
        for entry in entries {
            let id = workspace.alloc(&entry.name);
            workspace.index.add(id, &entry.analysis);
            workspace.files[id.0 as usize] = Some(entry);
        }
        workspace.recompute_all_conflicts();
        workspace
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    pub fn file(&self, id: FileId) -> Option<&FileEntry> {
        self.files.get(id.0 as usize).and_then(Option::as_ref)
    }

    /// The entry of a file that is known to exist (ids from the index).
    pub fn entry(&self, id: FileId) -> &FileEntry {
        self.file(id).expect("index refers to a live file")
    }

    pub fn file_id(&self, name: &str) -> Option<FileId> {
        self.by_name.get(name).copied()
    }

    pub fn file_ids(&self) -> impl Iterator<Item = FileId> + '_ {
        self.files.iter().enumerate().filter(|(_, f)| f.is_some()).map(|(i, _)| FileId(i as u32))
    }

    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    pub fn conflicts(&self, key: &str) -> Option<&KeyConflicts> {
        self.conflicts.get(key).map(|c| &**c)
    }

    fn alloc(&mut self, name: &str) -> FileId {
        if let Some(&id) = self.by_name.get(name) {
            return id;
        }
        let id = FileId(self.files.len() as u32);
        self.files.push(None);
        self.by_name.insert(name.to_string(), id);
        id
    }

    /// Adds or replaces a file. Returns the files whose diagnostics may
    /// have changed, this one included.
    pub fn set_file(&mut self, name: &str, text: Arc<str>) -> BTreeSet<FileId> {
        let entry = make_entry(name.to_string(), text, &self.config);
        let id = self.alloc(name);
        let mut footprint_keys = Vec::new();
        let old = self.files[id.0 as usize].take();
        if let Some(old) = &old {
            footprint_keys.push(index::Footprint::of(&old.analysis));
            self.index.remove(id, &old.analysis);
        }
        footprint_keys.push(index::Footprint::of(&entry.analysis));
        self.index.add(id, &entry.analysis);
        self.files[id.0 as usize] = Some(entry);
        self.after_change(id, &footprint_keys)
    }

    pub fn remove_file(&mut self, name: &str) -> BTreeSet<FileId> {
        let Some(id) = self.by_name.remove(name) else {
            return BTreeSet::new();
        };
        let Some(old) = self.files[id.0 as usize].take() else {
            return BTreeSet::new();
        };
        self.index.remove(id, &old.analysis);
        let mut affected = self.after_change(id, &[index::Footprint::of(&old.analysis)]);
        affected.remove(&id);
        affected
    }

    /// New settings re-read every file (tolerance and window change values).
    pub fn set_config(&mut self, config: Config) {
        if config == self.config {
            return;
        }
        let files: Vec<(String, String)> =
            self.files.iter().flatten().map(|f| (f.name.clone(), f.text.to_string())).collect();
        *self = Workspace::from_files(config, files);
    }

    fn recompute_all_conflicts(&mut self) {
        let keys: Vec<&String> = self.index.figures_by_key.keys().collect();
        let computed: Vec<(String, Arc<KeyConflicts>)> =
            keys.par_iter().map(|key| ((*key).clone(), Arc::new(conflicts::analyse_key(self, key)))).collect();
        self.conflicts = computed.into_iter().collect();
    }

    fn after_change(&mut self, changed: FileId, footprints: &[index::Footprint]) -> BTreeSet<FileId> {
        let mut affected = BTreeSet::from([changed]);
        let mut keys: Vec<&String> = footprints.iter().flat_map(|f| &f.figure_keys).collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            // Other files' diagnostics for this key change only where their
            // contradictions changed or name one of this file's figures: not
            // every file that states the key (hundreds, for a busy one).
            let old = match self.index.figures_by_key.contains_key(key) {
                true => {
                    let analysed = Arc::new(conflicts::analyse_key(self, key));
                    self.conflicts.insert(key.clone(), analysed)
                }
                false => self.conflicts.remove(key),
            };
            let new = self.conflicts.get(key);
            affected.extend(conflicts::changed_files(old.as_deref(), new.map(|c| &**c), changed));
        }
        // Each name once: a file defining one id (or quoting one text) n times must not cost n².
        let mut seen_definitions = std::collections::HashSet::new();
        let mut seen_quotes = std::collections::HashSet::new();
        for footprint in footprints {
            for (namespace, id) in footprint.definitions.iter().filter(|d| seen_definitions.insert(*d)) {
                affected.extend(self.index.definitions(*namespace, id).iter().map(|l| l.file));
                let users = match namespace {
                    Namespace::Source => vec![self.index.citations_by_id.get(id)],
                    Namespace::Entity => {
                        vec![self.index.mentions_by_entity.get(id), self.index.quotes_by_speaker.get(id)]
                    }
                    Namespace::Quantity => vec![],
                };
                affected.extend(users.into_iter().flatten().flatten().map(|l| l.file));
            }
            for text in footprint.quote_texts.iter().filter(|t| seen_quotes.insert(*t)) {
                if let Some(locs) = self.index.quotes_by_text.get(text) {
                    affected.extend(locs.iter().map(|l| l.file));
                }
            }
        }
        affected
    }
}

fn make_entry(name: String, text: Arc<str>, config: &Config) -> FileEntry {
    let analysis = Arc::new(analysis::analyse(&text, config));
    let line_index = Arc::new(LineIndex::new(&text));
    FileEntry { name, text, line_index, analysis }
}
