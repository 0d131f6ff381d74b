//! The workspace: every file's text and analysis, and the cross-file index.
//! The CLI builds one at once; the language server keeps one and applies
//! edits to it in order.

pub mod analysis;
pub mod discover;
pub mod index;
#[doc(hidden)]
pub mod property;
pub mod summary;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

pub use analysis::{FileAnalysis, Namespace};
pub use index::{Index, Loc, PathOrder};

use crate::base::{Name, Names};
use crate::checks::conflicts::{self, KeyConflicts};
use crate::config::Config;
use crate::line_index::LineIndex;
use summary::Changes;

pub use crate::base::FileId;

#[derive(Clone, Debug)]
pub struct FileEntry {
    /// What the user calls the file: the path as given, or the editor's URI.
    pub name: String,
    pub text: Arc<str>,
    pub analysis: Arc<FileAnalysis>,
    /// Built on first use (a position to report, a suppression comment), and
    /// shared by the entry's clones: `check` needs positions only in files
    /// with findings.
    line_index: Arc<OnceLock<LineIndex>>,
    /// Built on first use: only articles that some quote cites need it.
    normalized_body: Arc<OnceLock<Option<String>>>,
}

impl FileEntry {
    pub fn new(name: String, text: Arc<str>, analysis: Arc<FileAnalysis>) -> FileEntry {
        FileEntry { name, text, analysis, line_index: Arc::default(), normalized_body: Arc::default() }
    }

    pub fn line_index(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// See [`analysis::normalized_body`].
    pub fn normalized_body(&self) -> Option<&str> {
        self.normalized_body.get_or_init(|| analysis::normalized_body(&self.text, &self.analysis)).as_deref()
    }
}

#[derive(Clone, Debug, Default)]
pub struct Workspace {
    config: Config,
    files: Vec<Option<FileEntry>>,
    by_name: HashMap<String, FileId>,
    /// The live files in path order, and each file's rank in it.
    sorted: Vec<FileId>,
    order: PathOrder,
    index: Index,
    /// Contradictions per quantity key, recomputed only for keys an edit touched.
    conflicts: HashMap<Name, Arc<KeyConflicts>>,
}

/// The order files are listed in: `Path` comparison of their names, the
/// order `check` walks a folder in.
fn path_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    Path::new(a).cmp(Path::new(b))
}

impl Workspace {
    pub fn new(config: Config) -> Workspace {
        Workspace { config, ..Workspace::default() }
    }

    /// The interner of every id in this workspace (see `base::Names`).
    pub fn names(&self) -> &Names {
        self.index.names()
    }

    /// The text of an id of this workspace's records.
    pub fn name(&self, name: Name) -> &str {
        self.index.names().resolve(name)
    }

    /// Builds a workspace from many files at once, analysing them in parallel.
    pub fn from_files(config: Config, files: Vec<(String, String)>) -> Workspace {
        let mut workspace = Workspace::new(config);
        let names = workspace.index.names().clone();
        let entries: Vec<FileEntry> = files
            .into_par_iter()
            .map(|(name, text)| make_entry(name, Arc::from(text), &workspace.config, &names))
            .collect();
        let mut ids = Vec::with_capacity(entries.len());
        for entry in entries {
            let id = match workspace.by_name.get(&entry.name) {
                Some(&id) => id,
                None => {
                    let id = FileId(workspace.files.len() as u32);
                    workspace.files.push(None);
                    workspace.by_name.insert(entry.name.clone(), id);
                    ids.push(id);
                    id
                }
            };
            workspace.files[id.0 as usize] = Some(entry);
        }
        ids.sort_by(|a, b| path_cmp(&workspace.entry(*a).name, &workspace.entry(*b).name));
        workspace.order = PathOrder::from_sorted(&ids, workspace.files.len());
        workspace.sorted = ids;
        let in_order: Vec<(FileId, &FileAnalysis)> = workspace
            .sorted
            .iter()
            .map(|&id| (id, &*workspace.files[id.0 as usize].as_ref().expect("just placed").analysis))
            .collect();
        workspace.index = Index::build(names, &in_order);
        workspace.recompute_all_conflicts();
        workspace
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Where files stand in path order (the order of every index list).
    pub fn order(&self) -> &PathOrder {
        &self.order
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

    /// Every live file, in id order.
    pub fn file_ids(&self) -> impl Iterator<Item = FileId> + '_ {
        self.files.iter().enumerate().filter(|(_, f)| f.is_some()).map(|(i, _)| FileId(i as u32))
    }

    /// Every live file, in path order.
    pub fn files_in_path_order(&self) -> &[FileId] {
        &self.sorted
    }

    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    pub fn conflicts(&self, key: Name) -> Option<&KeyConflicts> {
        self.conflicts.get(&key).map(|c| &**c)
    }

    /// The id of `name`, a new one (placed in path order) for a new name.
    fn alloc(&mut self, name: &str) -> FileId {
        if let Some(&id) = self.by_name.get(name) {
            return id;
        }
        let id = FileId(self.files.len() as u32);
        self.files.push(None);
        self.by_name.insert(name.to_string(), id);
        let at = self.sorted.partition_point(|&other| path_cmp(&self.entry(other).name, name).is_lt());
        self.sorted.insert(at, id);
        self.order = PathOrder::from_sorted(&self.sorted, self.files.len());
        id
    }

    /// Adds or replaces a file. Returns the files whose diagnostics may
    /// have changed, this one included.
    pub fn set_file(&mut self, name: &str, text: Arc<str>) -> BTreeSet<FileId> {
        let entry = make_entry(name.to_string(), text, &self.config, self.index.names());
        let id = self.alloc(name);
        let old = self.files[id.0 as usize].take();
        let changes = summary::changes(old.as_ref(), Some(&entry));
        if let Some(old) = &old {
            self.index.remove(id, &old.analysis);
        }
        self.index.add(id, &entry.analysis, &self.order);
        self.files[id.0 as usize] = Some(entry);
        self.after_change(id, &changes)
    }

    pub fn remove_file(&mut self, name: &str) -> BTreeSet<FileId> {
        let Some(&id) = self.by_name.get(name) else {
            return BTreeSet::new();
        };
        self.sorted.retain(|&other| other != id);
        self.by_name.remove(name);
        let Some(old) = self.files[id.0 as usize].take() else {
            return BTreeSet::new();
        };
        self.order = PathOrder::from_sorted(&self.sorted, self.files.len());
        self.index.remove(id, &old.analysis);
        let changes = summary::changes(Some(&old), None);
        let mut affected = self.after_change(id, &changes);
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
        let keys: Vec<Name> = self.index.figure_keys().collect();
        let computed: Vec<(Name, Arc<KeyConflicts>)> =
            keys.par_iter().map(|&key| (key, Arc::new(conflicts::analyse_key(self, key)))).collect();
        self.conflicts = computed.into_iter().collect();
    }

    /// The files whose findings read something `changes` changed: the
    /// changed file, and the files whose dependencies (the index's lists of
    /// who mentions, cites, quotes, defines or states what) name a change.
    fn after_change(&mut self, changed: FileId, changes: &Changes) -> BTreeSet<FileId> {
        let mut affected = BTreeSet::from([changed]);
        for key in &changes.figure_values {
            // Other files' diagnostics for this key change only where their
            // contradictions changed or name one of this file's figures: not
            // every file that states the key (hundreds, for a busy one).
            let old = match self.index.figures_of(*key).is_empty() {
                false => {
                    let analysed = Arc::new(conflicts::analyse_key(self, *key));
                    self.conflicts.insert(*key, analysed)
                }
                true => self.conflicts.remove(key),
            };
            let new = self.conflicts.get(key);
            affected.extend(conflicts::changed_files(old.as_deref(), new.map(|c| &**c), changed));
        }
        for key in &changes.figure_ranges {
            // Same values, new places: the partners' related information moved.
            if let Some(conflicts) = self.conflicts.get(key) {
                affected.extend(conflicts.files_naming(changed));
            }
        }

        let index = &self.index;
        // Ids that started or stopped existing, per namespace.
        let mut flipped: Vec<(Namespace, Name, bool)> = Vec::new();
        for (&(namespace, id), change) in &changes.definitions {
            let all = index.definitions_of(namespace, id);
            let before = all.len() + change.before - change.after;
            if before >= 2 || all.len() >= 2 {
                // duplicate-id: the copies' count and places.
                affected.extend(all.iter().map(|l| l.file));
            }
            if (before == 0) != all.is_empty() {
                affected.extend(index.users_of(namespace, id).map(|l| l.file));
                flipped.push((namespace, id, all.is_empty()));
            } else if namespace == Namespace::Source && change.article {
                // misquote and unsupported-figure read the cited articles.
                affected.extend(index.users_of(Namespace::Source, id).map(|l| l.file));
            }
        }
        for &id in &changes.articles {
            affected.extend(index.users_of(Namespace::Source, id).map(|l| l.file));
        }
        for namespace in [Namespace::Source, Namespace::Entity, Namespace::Quantity] {
            let ids: Vec<&str> = flipped.iter().filter(|f| f.0 == namespace).map(|f| self.name(f.1)).collect();
            if ids.is_empty() {
                continue;
            }
            let removed = flipped.iter().filter(|f| f.0 == namespace && f.2).count();
            let now = index.defined_ids(namespace);
            let before = now + removed - (ids.len() - removed);
            // Namespace-wide dependencies of the names no one defines: "did
            // you mean" reads every id near them; some rules read whether the
            // namespace defines anything at all.
            let emptiness_flipped = (before == 0) != (now == 0);
            for name in index.used_names(namespace) {
                if !index.definitions_of(namespace, name).is_empty() {
                    continue;
                }
                let text = self.name(name);
                if emptiness_flipped || ids.iter().any(|id| crate::checks::could_suggest(text, id)) {
                    affected.extend(index.users_of(namespace, name).map(|l| l.file));
                }
            }
        }
        for text in &changes.quotes {
            let locs = index.quotes_with_text(text);
            if locs.is_empty() {
                continue;
            }
            let speaker = |l: &Loc| self.entry(l.file).analysis.quotes[l.item].speaker.name;
            let mut others: HashSet<Name> = HashSet::new();
            for l in locs.iter().filter(|l| l.file != changed) {
                others.insert(speaker(l));
                if others.len() >= 2 {
                    break;
                }
            }
            let (old_speakers, new_speakers) = &changes.quote_speakers[text];
            let disputed =
                |mine: &HashSet<Name>| others.len() + mine.iter().filter(|s| !others.contains(s)).count() >= 2;
            // conflicting-attribution: findings only where speakers differ, before or after.
            if disputed(old_speakers) || disputed(new_speakers) {
                affected.extend(locs.iter().map(|l| l.file));
            }
        }
        affected
    }
}

fn make_entry(name: String, text: Arc<str>, config: &Config, names: &Names) -> FileEntry {
    let analysis = Arc::new(analysis::analyse(&text, config, names));
    FileEntry::new(name, text, analysis)
}
