//! The workspace: every file's text and analysis, and the cross-file index.
//! The CLI builds one at once; the language server keeps one and applies
//! edits to it in order.

pub mod analysis;
pub mod discover;
pub mod index;
#[doc(hidden)]
pub mod property;
pub mod summary;

use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

pub use analysis::{FileAnalysis, Namespace};
pub use index::{Index, Loc, PathOrder};

use crate::base::{FastMap, FastSet, Name, Names};
use crate::checks::conflicts::{self, KeyConflicts};
use crate::config::Config;
use crate::line_index::LineIndex;
use crate::syntax::incremental::Reparse;
use crate::syntax::SourceFile;
use crate::text_change::{KnownChange, TextChange};
use summary::{Changes, SharedKeys};

pub use crate::base::FileId;

#[derive(Clone, Debug)]
pub struct FileEntry {
    /// What the user calls the file: the path as given, or the editor's URI.
    pub name: String,
    pub text: Arc<str>,
    pub analysis: Arc<FileAnalysis>,
    /// The syntax tree, kept only for the files the workspace keeps trees
    /// of (the editor's open documents, [`Workspace::keep_tree`]): every
    /// finding reads the records, so a closed file's tree is parsed again
    /// when an editor feature asks for it ([`FileEntry::syntax`]) and
    /// dropped with the answer.
    tree: Option<Arc<SourceFile>>,
    /// Built on first use (a position to report, a suppression comment), and
    /// shared by the entry's clones: `check` needs positions only in files
    /// with findings.
    line_index: Arc<OnceLock<LineIndex>>,
    /// Built on first use: only articles that some quote cites need it.
    normalized_body: Arc<OnceLock<Option<String>>>,
    /// How `text` was made from the entry's text before it, when an open
    /// document was edited (what publishing compares otherwise).
    pub last_change: Option<KnownChange>,
}

impl FileEntry {
    /// An entry that keeps no tree.
    pub fn new(name: String, text: Arc<str>, analysis: Arc<FileAnalysis>) -> FileEntry {
        FileEntry {
            name,
            text,
            analysis,
            tree: None,
            line_index: Arc::default(),
            normalized_body: Arc::default(),
            last_change: None,
        }
    }

    /// An entry that keeps `tree`, the parse of `text`.
    pub fn with_tree(name: String, text: Arc<str>, analysis: Arc<FileAnalysis>, tree: Arc<SourceFile>) -> FileEntry {
        FileEntry { tree: Some(tree), ..FileEntry::new(name, text, analysis) }
    }

    /// The file's syntax tree: the one kept, else parsed now from the text
    /// (about 0.1 ms for a 3 KB article) and not kept. A caller that needs
    /// it more than once holds on to the `Arc`.
    pub fn syntax(&self) -> Arc<SourceFile> {
        match &self.tree {
            Some(tree) => tree.clone(),
            None => Arc::new(crate::syntax::parse(&self.text)),
        }
    }

    /// Whether the entry keeps its tree.
    pub fn keeps_tree(&self) -> bool {
        self.tree.is_some()
    }

    pub fn line_index(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// See [`analysis::normalized_body`].
    pub fn normalized_body(&self) -> Option<&str> {
        self.normalized_body
            .get_or_init(|| {
                self.analysis.article.as_ref()?;
                Some(analysis::normalized_body(&self.text, &self.syntax()))
            })
            .as_deref()
    }
}

#[derive(Clone, Debug, Default)]
pub struct Workspace {
    config: Config,
    files: Vec<Option<FileEntry>>,
    by_name: FastMap<String, FileId>,
    /// The live files in path order, and each file's rank in it.
    sorted: Vec<FileId>,
    order: PathOrder,
    index: Index,
    /// Contradictions per quantity key, recomputed only for keys an edit touched.
    conflicts: FastMap<Name, Arc<KeyConflicts>>,
    /// The files whose syntax trees are kept (open documents, by name).
    kept_trees: HashSet<String>,
    /// The keys of an open document that other files name (see
    /// [`SharedKeys`]): made at its first spliced edit, kept up to date by
    /// its own edits, and dropped when any other file changes.
    shared: FastMap<FileId, SharedKeys>,
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
            .map(|(name, text)| make_entry(name, Arc::from(text), &workspace.config, &names, false))
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
        self.set_file_changed(name, text, None)
    }

    /// [`Workspace::set_file`] where the caller may know what changed from
    /// the text it gave before (an editor's edit): when `known` is from the
    /// file's current text, the texts are not compared.
    pub fn set_file_changed(&mut self, name: &str, text: Arc<str>, known: Option<&KnownChange>) -> BTreeSet<FileId> {
        let keep = self.kept_trees.contains(name);
        let id = self.alloc(name);
        // Another file's keys may now be named here, or no longer.
        self.shared.retain(|&file, _| file == id);
        let old = self.files[id.0 as usize].take();
        // The summary reads the new article's normalised body: made from
        // the fresh tree, before a closed file's tree is dropped.
        let mut old = old;
        // Where the records of an open document were spliced: then the
        // summary's difference and the index update read the cut only.
        let mut spliced = None;
        let mut entry = match old.as_mut().and_then(|old| Some((old.tree.take()?, &*old))) {
            // An open document edited: only the changed part is read again,
            // and analysed again. The old entry gives up its tree (the old
            // summary reads only its records, and the body made before) so
            // the tree is spliced in place, not copied, when no snapshot holds it.
            Some((old_tree, old)) => {
                let size = analysis::TreeSize::of(&old_tree);
                let tree = Arc::try_unwrap(old_tree).unwrap_or_else(|shared| SourceFile::clone(&shared));
                let change = known
                    .and_then(|k| k.from_text(&old.text, &text))
                    .unwrap_or_else(|| TextChange::between(&old.text, &text));
                let (tree, how) = crate::syntax::incremental::reparse_changed(&old.text, tree, &text, change);
                let names = self.index.names();
                let (analysis, tree) = match how {
                    Reparse::Spliced { old: old_range, new } => {
                        let cut = analysis::Cut::between(size, &tree, old_range, new);
                        match analysis::analyse_spliced(&old.analysis, &text, &tree, cut, &self.config, names) {
                            Some(analysis) => {
                                spliced = Some((cut.records(&old.analysis, &analysis), cut.old, cut.new));
                                (analysis, tree)
                            }
                            None => analysis::analyse_tree(&text, tree, &self.config, names),
                        }
                    }
                    Reparse::Whole => analysis::analyse_tree(&text, tree, &self.config, names),
                };
                let mut entry = FileEntry::with_tree(name.to_string(), text, Arc::new(analysis), Arc::new(tree));
                entry.last_change = Some(KnownChange { from: old.text.clone(), change });
                entry
            }
            None => make_entry(name.to_string(), text, &self.config, self.index.names(), true),
        };
        let changes = match (&old, &spliced) {
            (Some(old), Some((cut, old_range, new_range))) => {
                // The text differs only in the cut: the old line index, when
                // one was built, is spliced (line starts after it move), on
                // another core while the summary's difference is made (in a
                // big document each reads every line or record after the cut).
                let splice_lines = || {
                    let lines = old.line_index.get()?;
                    let (start, old_end, new_end) = (old_range.start(), old_range.end(), new_range.end());
                    Some(lines.splice(&old.text, &entry.text, start, old_end, new_end))
                };
                let moved = old_range.end() != new_range.end();
                let shared = self.shared.entry(id).or_insert_with(|| SharedKeys::of(&self.index, id, &old.analysis));
                let before = summary::Before { file: id, index: &self.index, order: &self.order, shared };
                let changes = || summary::changes_from(old, &entry, cut, moved, &before);
                let (lines, changes) = if entry.text.len() >= crate::base::BIG_FILE_BYTES {
                    rayon::join(splice_lines, changes)
                } else {
                    (splice_lines(), changes())
                };
                if let Some(lines) = lines {
                    entry.line_index = Arc::new(OnceLock::from(lines));
                }
                changes
            }
            _ => {
                self.shared.remove(&id);
                summary::changes(old.as_ref(), Some(&entry))
            }
        };
        if !keep {
            entry.tree = None;
        }
        match (&old, &spliced) {
            (Some(old), Some((cut, _, _))) => {
                self.index.splice(id, &old.analysis, &entry.analysis, cut, &self.order);
                if let Some(shared) = self.shared.get_mut(&id) {
                    shared.add_cut(&self.index, id, &entry.analysis, cut);
                }
            }
            _ => {
                if let Some(old) = &old {
                    self.index.remove(id, &old.analysis);
                }
                self.index.add(id, &entry.analysis, &self.order);
            }
        }
        self.files[id.0 as usize] = Some(entry);
        let affected = self.after_change(id, &changes);
        drop_aside(old);
        affected
    }

    /// [`Workspace::set_file`] for an editor's open document: its tree is
    /// kept from now on (see [`Workspace::keep_tree`]).
    pub fn set_open_file(&mut self, name: &str, text: Arc<str>, known: Option<&KnownChange>) -> BTreeSet<FileId> {
        self.kept_trees.insert(name.to_string());
        self.set_file_changed(name, text, known)
    }

    pub fn remove_file(&mut self, name: &str) -> BTreeSet<FileId> {
        let Some(&id) = self.by_name.get(name) else {
            return BTreeSet::new();
        };
        self.sorted.retain(|&other| other != id);
        self.by_name.remove(name);
        self.shared.clear();
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

    /// Keeps the syntax tree of `name` with its entry from now on (an
    /// editor opened it: its features ask for the tree at every keystroke),
    /// or stops keeping it (closed: the tree is dropped, and rebuilt only on
    /// demand). Applies to the entry there is and to every later version.
    pub fn keep_tree(&mut self, name: &str, keep: bool) {
        match keep {
            true => self.kept_trees.insert(name.to_string()),
            false => self.kept_trees.remove(name),
        };
        let Some(&id) = self.by_name.get(name) else { return };
        if let Some(entry) = &mut self.files[id.0 as usize] {
            entry.tree = match keep {
                true => Some(entry.syntax()),
                false => None,
            };
        }
    }

    /// New settings re-read every file (tolerance and window change values).
    pub fn set_config(&mut self, config: Config) {
        if config == self.config {
            return;
        }
        let files: Vec<(String, String)> =
            self.files.iter().flatten().map(|f| (f.name.clone(), f.text.to_string())).collect();
        let kept = std::mem::take(&mut self.kept_trees);
        *self = Workspace::from_files(config, files);
        for name in kept {
            self.keep_tree(&name, true);
        }
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
            let speaker = |l: &Loc| self.entry(l.file).analysis.quotes[l.item()].speaker.name;
            let mut others: FastSet<Name> = FastSet::default();
            for l in locs.iter().filter(|l| l.file != changed) {
                others.insert(speaker(l));
                if others.len() >= 2 {
                    break;
                }
            }
            let (old_speakers, new_speakers) = &changes.quote_speakers[text];
            let disputed =
                |mine: &FastSet<Name>| others.len() + mine.iter().filter(|s| !others.contains(s)).count() >= 2;
            // conflicting-attribution: findings only where speakers differ, before or after.
            if disputed(old_speakers) || disputed(new_speakers) {
                affected.extend(locs.iter().map(|l| l.file));
            }
        }
        affected
    }
}

/// Frees a replaced entry: a big one (its records are many small
/// allocations: a 5 MB document's take a millisecond or more to free) on a
/// pool thread, off the path that answers the edit.
fn drop_aside(old: Option<FileEntry>) {
    if let Some(old) = old.filter(|old| old.text.len() >= 1 << 16) {
        rayon::spawn(move || drop(old));
    }
}

/// Analyses one file; its tree is dropped right after unless `keep_tree`.
fn make_entry(name: String, text: Arc<str>, config: &Config, names: &Names, keep_tree: bool) -> FileEntry {
    let (analysis, tree) = analysis::analyse_with_tree(&text, config, names);
    match keep_tree {
        true => FileEntry::with_tree(name, text, Arc::new(analysis), Arc::new(tree)),
        false => FileEntry::new(name, text, Arc::new(analysis)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "---\nid: a\npublished: 2020-02-13\n---\n\n[“We stay,”]{by=e}[@b] said [Jens]{ent=e}.\n";
    const CITER: &str = "[“We stay,”]{by=e}[@a] and [“We go,”]{by=e}[@a]\n\n::: entity e\nname: E\n:::\n";

    fn kept(workspace: &Workspace) -> Vec<(&str, bool)> {
        workspace
            .files_in_path_order()
            .iter()
            .map(|&f| (workspace.entry(f).name.as_str(), workspace.entry(f).keeps_tree()))
            .collect()
    }

    fn findings(workspace: &Workspace) -> Vec<String> {
        let ids = workspace.files_in_path_order();
        ids.iter().flat_map(|&f| crate::checks::file_diagnostics(workspace, f)).map(|d| format!("{d:?}")).collect()
    }

    #[test]
    fn only_open_documents_keep_their_trees_and_findings_do_not_depend_on_it() {
        let files = vec![("a.news.md".to_string(), ARTICLE.to_string()), ("c.news.md".to_string(), CITER.to_string())];
        let mut workspace = Workspace::from_files(Config::default(), files.clone());
        assert_eq!(kept(&workspace), [("a.news.md", false), ("c.news.md", false)], "loaded like `check`: no trees");
        let before = findings(&workspace);
        assert!(before.iter().any(|d| d.contains("Misquote")), "the cited article's body is rebuilt: {before:?}");

        // Opened: kept, also across edits and new settings.
        workspace.keep_tree("a.news.md", true);
        assert_eq!(kept(&workspace), [("a.news.md", true), ("c.news.md", false)]);
        assert_eq!(findings(&workspace), before);
        workspace.set_file("a.news.md", Arc::from(format!("{ARTICLE}\nWe go.\n")));
        assert_eq!(kept(&workspace), [("a.news.md", true), ("c.news.md", false)]);
        assert!(!findings(&workspace).iter().any(|d| d.contains("Misquote")), "the edit is read: “We go” is in a now");
        workspace.set_config(Config { window_days: 10, ..Config::default() });
        assert_eq!(kept(&workspace), [("a.news.md", true), ("c.news.md", false)]);

        // Closed, then edited on disk: the tree is not kept, the findings follow the text.
        workspace.keep_tree("a.news.md", false);
        workspace.set_file("a.news.md", Arc::from(ARTICLE));
        assert_eq!(kept(&workspace), [("a.news.md", false), ("c.news.md", false)]);
        let reloaded = Workspace::from_files(workspace.config().clone(), files);
        assert_eq!(findings(&workspace), findings(&reloaded));

        // A new document typed into keeps its tree from the first version.
        workspace.set_open_file("b.news.md", Arc::from("[5 troops]{fig=k}\n"), None);
        assert_eq!(kept(&workspace), [("a.news.md", false), ("b.news.md", true), ("c.news.md", false)]);
    }
}
