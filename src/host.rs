//! The analysis host: the one owner of the workspaces that change. Front
//! ends describe what happened as a [`Change`] (a buffer edited, a file
//! written or deleted on disk, settings or folders changed) and get back
//! the files whose findings may differ ([`Affected`]).
//!
//! **One workspace per project.** Every file belongs to exactly the project
//! `project.rs` says: a file on disk to the project whose walk reaches it
//! (`Project::is_member`), an open buffer to the project of its path
//! (`project::root_of`), opened for it when no folder brought it. Each
//! project has its own settings, index and cross-file findings, as
//! `newsmark check` gives it; nothing is cross-checked between projects.
//! Buffers that are not files (an `untitled:` document) share one
//! project-less workspace with the editor's settings.
//!
//! A file id is meaningful only with its project: the host names files by
//! [`HostFile`] (project, file id). Project ids are handed out once and never
//! reused while the host lives, so an id of a project that was closed or
//! re-read refers to nothing rather than to another project's file.
//!
//! Readers take a clone of the host (the server's `Arc<State>`): each
//! project's workspace is an `Arc`, changed copy-on-write (a change copies a
//! workspace only while a snapshot of it is still alive, and the copy
//! shares every file's text and analysis).
//!
//! Knows nothing of LSP: names are paths (or URIs for buffers that are not
//! files), texts are strings.

use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{Config, RawConfig};
use crate::project::{self, Project, Walk};
use crate::text_change::KnownChange;
use crate::workspace::{discover, FileEntry, FileId, Workspace};

/// Something that happened to the files or settings the host watches.
#[derive(Clone, Debug)]
pub enum Change {
    /// An editor buffer was opened or edited: its text wins over the disk.
    /// `known`: what the editor changed since the text it gave before.
    Buffer { name: String, text: Arc<str>, known: Option<KnownChange> },
    /// An editor buffer was closed: the file on disk counts again.
    CloseBuffer { name: String },
    /// An article was created, changed or deleted on disk.
    Disk { name: String },
    /// A settings or ignore file changed: membership is decided again.
    SettingsFiles,
    /// The workspace folders are now these.
    Roots(Vec<PathBuf>),
    /// The editor's settings are now these.
    ClientSettings(RawConfig),
}

/// Which of the host's projects. Handed out once, never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProjectId(pub u32);

/// A file anywhere in the host: its project, and its id in that project's
/// workspace (file ids are per workspace).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HostFile {
    pub project: ProjectId,
    pub file: FileId,
}

/// What a change did: the files whose diagnostics may differ (files that
/// left are not in it: they have no id any more), and what went wrong on
/// the way, for the user.
#[derive(Debug, Default)]
pub struct Affected {
    pub files: BTreeSet<HostFile>,
    pub problems: Vec<String>,
    /// Known to have left every file where it was: a new text for a file
    /// the host already held. False (the default) means files may have
    /// left, so a front end looks for names it showed that are gone; the
    /// keystroke path is spared that walk over every shown file.
    pub members_kept: bool,
}

impl Affected {
    /// Both changes' files and problems; members are kept when both kept them.
    pub fn extend(&mut self, other: Affected) {
        self.files.extend(other.files);
        self.problems.extend(other.problems);
        self.members_kept &= other.members_kept;
    }
}

/// Why a project is open: a workspace folder brought it (the folder's
/// project, or one nested inside a folder), or only open buffers did (a file
/// opened outside every folder, or with no folder at all): such a project
/// closes with its last buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opened {
    Folder,
    Buffers,
}

/// One project and its workspace.
#[derive(Clone, Debug)]
pub struct ProjectWorkspace {
    pub id: ProjectId,
    /// `None`: the buffers that are not files, with the editor's settings.
    pub project: Option<Arc<Project>>,
    pub workspace: Arc<Workspace>,
    pub opened: Opened,
}

impl ProjectWorkspace {
    pub fn root(&self) -> Option<&Path> {
        self.project.as_deref().map(Project::root)
    }

    /// Whether the walk of this project reaches `path`.
    pub fn is_member(&self, path: &Path) -> bool {
        self.project.as_ref().is_some_and(|p| p.is_member(path))
    }
}

/// How files read from disk are named.
#[derive(Clone, Debug, Default)]
pub enum Naming {
    /// By absolute path (the server: the path its URI names).
    #[default]
    Absolute,
    /// As `check` shows them: under a PATH as given, that PATH joined with
    /// the rest; elsewhere in the project, relative to `cwd`. `named` holds
    /// each PATH as given and made absolute.
    AsGiven { named: Vec<(PathBuf, PathBuf)>, cwd: PathBuf },
}

impl Naming {
    pub fn name(&self, path: &Path) -> String {
        match self {
            Naming::Absolute => path.to_string_lossy().into_owned(),
            Naming::AsGiven { named, cwd } => {
                for (given, absolute) in named {
                    if path == absolute {
                        return given.to_string_lossy().into_owned();
                    }
                    if let Ok(rest) = path.strip_prefix(absolute) {
                        return given.join(rest).to_string_lossy().into_owned();
                    }
                }
                project::relative_to(path, cwd).to_string_lossy().into_owned()
            }
        }
    }

    /// The absolute path a name stands for; `None` for a name that is not
    /// a path (the URI of a buffer that is not a file).
    fn path(&self, name: &str) -> Option<PathBuf> {
        let path = Path::new(name);
        match self {
            Naming::Absolute => path.is_absolute().then(|| path.to_path_buf()),
            Naming::AsGiven { .. } => Some(project::absolute(path)),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct AnalysisHost {
    pub roots: Vec<PathBuf>,
    /// Editor settings (initializationOptions, didChangeConfiguration).
    pub client_settings: RawConfig,
    /// Buffers the editor holds open, by name.
    buffers: HashMap<String, Arc<str>>,
    /// The open projects, in the order they were opened.
    projects: Vec<ProjectWorkspace>,
    next_project: u32,
    naming: Naming,
}

impl AnalysisHost {
    /// A host that names the files it reads with `naming`.
    pub fn new(naming: Naming) -> AnalysisHost {
        AnalysisHost { naming, ..AnalysisHost::default() }
    }

    pub fn projects(&self) -> &[ProjectWorkspace] {
        &self.projects
    }

    pub fn project(&self, id: ProjectId) -> Option<&ProjectWorkspace> {
        self.projects.iter().find(|p| p.id == id)
    }

    /// The workspace of a project.
    pub fn workspace(&self, id: ProjectId) -> Option<&Workspace> {
        self.project(id).map(|p| &*p.workspace)
    }

    /// The project holding the file `name`, and the file's id in it.
    pub fn locate(&self, name: &str) -> Option<(&ProjectWorkspace, FileId)> {
        self.projects.iter().find_map(|p| Some((p, p.workspace.file_id(name)?)))
    }

    pub fn file_id(&self, name: &str) -> Option<HostFile> {
        self.locate(name).map(|(p, file)| HostFile { project: p.id, file })
    }

    pub fn entry(&self, file: HostFile) -> Option<&FileEntry> {
        self.workspace(file.project)?.file(file.file)
    }

    /// Every file of every project.
    pub fn files(&self) -> impl Iterator<Item = HostFile> + '_ {
        self.projects.iter().flat_map(|p| p.workspace.file_ids().map(move |file| HostFile { project: p.id, file }))
    }

    /// How many files the projects hold together.
    pub fn len(&self) -> usize {
        self.projects.iter().map(|p| p.workspace.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The one name of the file at `path`, however it was reached: the
    /// walker's (under a folder as the folder was given) when the path
    /// leads into a folder through a link or the folder's real path; else
    /// the path as given. So a folder opened through a link and a file
    /// opened by its real path are one file, not two.
    pub fn name_for(&self, path: &Path) -> String {
        if self.roots.iter().any(|root| path.starts_with(root)) {
            return path.to_string_lossy().into_owned();
        }
        let real = path.canonicalize().ok().or_else(|| {
            let parent = path.parent()?.canonicalize().ok()?;
            Some(parent.join(path.file_name()?))
        });
        if let Some(real) = real {
            for root in &self.roots {
                let Ok(real_root) = root.canonicalize() else { continue };
                if let Ok(rest) = real.strip_prefix(&real_root) {
                    return root.join(rest).to_string_lossy().into_owned();
                }
            }
        }
        path.to_string_lossy().into_owned()
    }

    pub fn is_open(&self, name: &str) -> bool {
        self.buffers.contains_key(name)
    }

    /// Holds a buffer's text without analysing it: the project opened next
    /// (`open_project`) reads it in place of the file (`check -` with
    /// `--stdin-filename`).
    pub fn hold_buffer(&mut self, name: String, text: String) {
        self.buffers.insert(name, Arc::from(text));
    }

    pub fn apply_change(&mut self, change: Change) -> Affected {
        match change {
            Change::Buffer { name, text, known } => {
                // Refused like a file on disk that big (and so never near
                // the 4 GiB that offsets can address).
                if let Some(problem) = discover::over_limit(&name, text.len() as u64) {
                    self.buffers.remove(&name);
                    let mut affected = match self.index_of_file(&name) {
                        Some(index) => {
                            Arc::make_mut(&mut self.projects[index].workspace).keep_tree(&name, false);
                            self.remove_file(index, &name)
                        }
                        None => Affected::default(),
                    };
                    affected.problems.push(problem);
                    self.close_unused_projects();
                    return affected;
                }
                self.buffers.insert(name.clone(), text.clone());
                if let Some(index) = self.index_of_file(&name) {
                    return self.set_file(index, &name, text, known.as_ref());
                }
                match self.project_of_buffer(&name) {
                    Ok(index) => self.set_file(index, &name, text, known.as_ref()),
                    // Just opened, with the buffer in it: every file is new.
                    Err(affected) => affected,
                }
            }
            Change::CloseBuffer { name } => {
                // A buffer refused for its size left the workspace: closing
                // it brings the file on disk back.
                let was_open = self.buffers.remove(&name).is_some();
                let index = self.index_of_file(&name);
                if !was_open && index.is_some() {
                    return Affected::default();
                }
                let Some(index) = index.or_else(|| self.member_project(&name)) else { return Affected::default() };
                // Closed: from now on its tree is rebuilt on demand only.
                Arc::make_mut(&mut self.projects[index].workspace).keep_tree(&name, false);
                let affected = self.reload_from_disk(index, &name);
                self.close_unused_projects();
                affected
            }
            Change::Disk { name } => {
                // The buffer wins. A file enters the project whose walk would
                // find it (`Project::is_member`), and leaves when it is gone
                // or no longer a member.
                if self.buffers.contains_key(&name) {
                    return Affected::default();
                }
                let index = self.index_of_file(&name).or_else(|| self.member_project(&name));
                let Some(index) = index else { return Affected::default() };
                let affected = self.reload_from_disk(index, &name);
                self.close_unused_projects();
                affected
            }
            Change::SettingsFiles => self.index_roots(),
            Change::Roots(roots) => {
                self.roots = roots;
                self.index_roots()
            }
            Change::ClientSettings(raw) => {
                let (before, _) = self.editor_config();
                self.client_settings = raw;
                let (base, problems) = self.editor_config();
                // Editor settings are the base of every project's settings:
                // when the base is the same, so is every project's.
                if base == before {
                    return Affected { files: BTreeSet::new(), problems, members_kept: false };
                }
                // Settings decide membership (include, exclude) too.
                let mut affected = self.index_roots();
                affected.problems.splice(0..0, problems);
                affected.problems.dedup();
                affected
            }
        }
    }

    fn index_of_file(&self, name: &str) -> Option<usize> {
        self.projects.iter().position(|p| p.workspace.file_id(name).is_some())
    }

    /// The project whose walk reaches the file `name`.
    fn member_project(&self, name: &str) -> Option<usize> {
        let path = self.naming.path(name)?;
        self.projects.iter().position(|p| p.is_member(&path))
    }

    fn remove_file(&mut self, index: usize, name: &str) -> Affected {
        let project = &mut self.projects[index];
        let files = Arc::make_mut(&mut project.workspace).remove_file(name);
        Affected { files: tag(project.id, files), problems: Vec::new(), members_kept: false }
    }

    /// An open buffer's new text: its tree is kept (every request on an
    /// open document reads it).
    fn set_file(&mut self, index: usize, name: &str, text: Arc<str>, known: Option<&KnownChange>) -> Affected {
        let project = &mut self.projects[index];
        let files = Arc::make_mut(&mut project.workspace).set_open_file(name, text, known);
        Affected { files: tag(project.id, files), problems: Vec::new(), members_kept: true }
    }

    fn editor_config(&self) -> (Config, Vec<String>) {
        match Config::default().merged(&self.client_settings) {
            Ok(c) => (c, Vec::new()),
            Err(e) => (Config::default(), vec![format!("editor settings: {e}")]),
        }
    }

    /// The project at `root` with the editor's settings under its
    /// `newsmark.toml`; when that file is unusable, the folder still counts,
    /// with the editor's settings (the problem is reported).
    fn open_at(root: PathBuf, base: &Config, problems: &mut Vec<String>) -> Option<Project> {
        Project::open(root.clone(), base)
            .or_else(|e| {
                problems.push(e);
                Project::with_config(root, Config { include: vec![], exclude: vec![], ..base.clone() }, None)
            })
            .ok()
    }

    /// The projects the folders bring: each folder's project, and the
    /// nested projects inside the folders, each with its own membership and
    /// settings, walked. Editor settings are the base under each project's
    /// `newsmark.toml`, so the editor agrees with `newsmark check` in CI.
    fn folder_projects(&self, base: &Config, problems: &mut Vec<String>) -> Vec<(Project, Walk)> {
        let folders: Vec<PathBuf> = self.roots.iter().map(|f| project::absolute(f)).collect();
        // A folder brings its whole project, as a PATH does for `check`.
        let mut pending: Vec<PathBuf> = folders.iter().map(|f| project::root_of(f)).collect();
        pending.reverse();
        let mut out: Vec<(Project, Walk)> = Vec::new();
        while let Some(root) = pending.pop() {
            if out.iter().any(|(p, _)| p.root() == root) {
                continue;
            }
            let Some(project) = Self::open_at(root, base, problems) else { continue };
            let mut walk = project.walk();
            // Nested projects inside a folder the editor opened; one beside
            // it (under a project root above the folder) is not opened.
            let nested = std::mem::take(&mut walk.nested);
            pending.extend(nested.into_iter().filter(|n| folders.iter().any(|f| n.starts_with(f))));
            out.push((project, walk));
        }
        out
    }

    /// Reads every project again: the folders' projects, then those of
    /// open buffers no folder brought. Open buffers keep their text. Every
    /// file is affected (ids are new).
    pub fn index_roots(&mut self) -> Affected {
        let (base, mut problems) = self.editor_config();
        self.projects.clear();
        let mut affected = Affected::default();
        for (project, walk) in self.folder_projects(&base, &mut problems) {
            let (_, opened) = self.open_project(Arc::new(project), walk, Vec::new(), Opened::Folder);
            affected.extend(opened);
        }
        let mut names: Vec<String> = self.buffers.keys().cloned().collect();
        names.sort();
        for name in names {
            if self.index_of_file(&name).is_none() {
                if let Err(opened) = self.project_of_buffer(&name) {
                    affected.extend(opened);
                }
            }
        }
        problems.append(&mut affected.problems);
        affected.problems = problems;
        affected
    }

    /// Opens `project` as one of the host's: its members as the walk found
    /// them, `named` files the walk does not reach (a file named to `check`
    /// is checked within its project, as an open document is), and the open
    /// buffers that belong to it, over the disk. Reads the files in
    /// parallel; every file is affected.
    pub fn open_project(
        &mut self,
        project: Arc<Project>,
        walk: Walk,
        named: Vec<PathBuf>,
        opened: Opened,
    ) -> (ProjectId, Affected) {
        let mut problems = walk.problems;
        let mut paths = walk.members;
        paths.extend(named);
        let naming = &self.naming;
        let buffers: Vec<(String, String)> = self
            .buffers
            .iter()
            .filter(|(name, _)| naming.path(name).is_some_and(|p| project::root_of(&p) == project.root()))
            .map(|(name, text)| (name.clone(), text.to_string()))
            .collect();
        if !self.buffers.is_empty() {
            paths.retain(|p| !self.buffers.contains_key(&naming.name(p)));
        }
        let (texts, unreadable) = discover::read_files(paths);
        problems.extend(unreadable);
        // Naming a path walks its components: on the pool threads, in order.
        let mut files: Vec<(String, String)> = texts.into_par_iter().map(|(p, t)| (naming.name(&p), t)).collect();
        // The walk's order (sorted paths), then named files, then buffers:
        // ids are handed out in this order; every list the findings read
        // is kept in path order whatever the ids (see docs/architecture.md).
        let open: Vec<String> = buffers.iter().map(|(name, _)| name.clone()).collect();
        files.extend(buffers);
        let mut workspace = Workspace::from_files(project.config().clone(), files);
        // Open documents keep their trees; every other file keeps its summary.
        for name in &open {
            workspace.keep_tree(name, true);
        }
        let id = self.push(Some(project), workspace, opened);
        let files = tag(id, self.projects.last().expect("just pushed").workspace.file_ids().collect());
        (id, Affected { files, problems, members_kept: false })
    }

    /// The project's workspace, taken out of the host (`check` fixes and
    /// reports it, then lets it go).
    pub fn take_workspace(&mut self, id: ProjectId) -> Option<Workspace> {
        let index = self.projects.iter().position(|p| p.id == id)?;
        let project = self.projects.remove(index);
        Some(Arc::try_unwrap(project.workspace).unwrap_or_else(|shared| (*shared).clone()))
    }

    fn push(&mut self, project: Option<Arc<Project>>, workspace: Workspace, opened: Opened) -> ProjectId {
        let id = ProjectId(self.next_project);
        self.next_project += 1;
        self.projects.push(ProjectWorkspace { id, project, workspace: Arc::new(workspace), opened });
        id
    }

    /// The index of the project a buffer no project holds belongs to:
    /// the open project at its root, else its project opened now (`Err`:
    /// with every file affected, the buffer among them). A buffer that is
    /// not a file joins the project-less workspace.
    fn project_of_buffer(&mut self, name: &str) -> Result<usize, Affected> {
        let Some(path) = self.naming.path(name) else {
            if let Some(index) = self.projects.iter().position(|p| p.project.is_none()) {
                return Ok(index);
            }
            let config = self.editor_config().0;
            self.push(None, Workspace::new(config), Opened::Buffers);
            return Ok(self.projects.len() - 1);
        };
        let root = project::root_of(&path);
        if let Some(index) = self.projects.iter().position(|p| p.root() == Some(root.as_path())) {
            return Ok(index);
        }
        let (base, mut problems) = self.editor_config();
        let Some(project) = Self::open_at(root, &base, &mut problems) else {
            return Err(Affected { files: BTreeSet::new(), problems, members_kept: false });
        };
        let mut walk = project.walk();
        walk.nested.clear();
        let (_, mut affected) = self.open_project(Arc::new(project), walk, Vec::new(), Opened::Buffers);
        affected.problems.splice(0..0, problems);
        Err(affected)
    }

    /// Closes the projects only buffers brought once none of their buffers
    /// is open: their files leave (a front end clears what it showed).
    fn close_unused_projects(&mut self) {
        let buffers = &self.buffers;
        self.projects
            .retain(|p| p.opened == Opened::Folder || buffers.keys().any(|name| p.workspace.file_id(name).is_some()));
    }

    /// Inside its project's root, reached without a link: where fixes and
    /// stubs may write (never a buffer that is not a file).
    pub fn is_writable(&self, file: HostFile) -> bool {
        let (Some(project), Some(entry)) = (self.project(file.project), self.entry(file)) else { return false };
        let Some(path) = self.naming.path(&entry.name) else { return false };
        project.root().is_some_and(|root| discover::is_within(root, &path))
    }

    /// A settings or ignore file inside a project (reached without a link):
    /// changing one re-reads the projects, so a `newsmark.toml` created or
    /// deleted below a project root opens or closes a nested project.
    pub fn is_settings_path(&self, path: &Path) -> bool {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        matches!(name, crate::config::CONFIG_FILE | ".newsmarkignore" | ".gitignore" | ".ignore")
            && self.projects.iter().filter_map(ProjectWorkspace::root).any(|root| discover::is_within(root, path))
    }

    /// The file on disk is what counts for `name` in project `index`: read
    /// it, or drop it when it is gone, unreadable, or not a member.
    fn reload_from_disk(&mut self, index: usize, name: &str) -> Affected {
        let Some(path) = self.naming.path(name) else {
            // A buffer that is not a file: nothing on disk stands for it.
            return self.remove_file(index, name);
        };
        // Metadata first, without following a link: a FIFO or device
        // named `*.news.md` would block the reader forever.
        let regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file());
        let ours = regular && self.projects[index].is_member(&path);
        let project = &mut self.projects[index];
        let workspace = Arc::make_mut(&mut project.workspace);
        let (files, problems) = match ours.then(|| discover::read_file(&path)) {
            Some(Ok(text)) => (workspace.set_file(name, Arc::from(text)), vec![]),
            Some(Err(problem)) => {
                let files = workspace.remove_file(name);
                // A file that vanished is no news; one that cannot be read is.
                (files, if path.exists() { vec![problem] } else { vec![] })
            }
            None => (workspace.remove_file(name), vec![]),
        };
        Affected { files: tag(project.id, files), problems, members_kept: false }
    }
}

fn tag(project: ProjectId, files: BTreeSet<FileId>) -> BTreeSet<HostFile> {
    files.into_iter().map(|file| HostFile { project, file }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_buffer_over_the_size_limit_is_refused_like_a_file() {
        let mut host = AnalysisHost::default();
        let name = "/nowhere/big.news.md".to_string();
        host.apply_change(Change::Buffer { name: name.clone(), text: "Some [text]{ent=x}.\n".into(), known: None });
        assert!(host.file_id(&name).is_some(), "a small buffer is analysed");
        let huge = "x".repeat(discover::MAX_FILE_BYTES as usize + 1);
        let affected = host.apply_change(Change::Buffer { name: name.clone(), text: huge.into(), known: None });
        assert_eq!(affected.problems, vec![format!("{name}: skipped, 64 MB is over the 64 MB limit for one article")]);
        assert!(host.file_id(&name).is_none());
        assert!(!host.is_open(&name));
        // Closed, the file on disk counts again (here there is none).
        let affected = host.apply_change(Change::CloseBuffer { name: name.clone() });
        assert!(affected.problems.is_empty() && host.file_id(&name).is_none(), "{affected:?}");
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("newsmark-host-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("newsmark.toml"), "").unwrap();
        dir
    }

    fn codes(host: &AnalysisHost, name: &str) -> Vec<&'static str> {
        let (project, file) = host.locate(name).expect("a file of the host");
        crate::checks::file_diagnostics(&project.workspace, file).iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn every_file_belongs_to_one_project_and_affected_names_the_project() {
        let dir = scratch("projects");
        let (outer, inner) = (dir.join("outer.news.md"), dir.join("inner/x.news.md"));
        std::fs::write(&outer, "::: entity e\nname: E\n:::\n\n[E]{ent=e}\n").unwrap();
        std::fs::create_dir_all(dir.join("inner")).unwrap();
        std::fs::write(dir.join("inner/newsmark.toml"), "window = 7\n").unwrap();
        std::fs::write(&inner, "[E]{ent=e}\n").unwrap();
        let name = |p: &Path| p.to_string_lossy().into_owned();
        let mut host = AnalysisHost::default();
        let affected = host.apply_change(Change::Roots(vec![dir.clone()]));
        assert_eq!(affected.files.len(), 2);
        assert_eq!(host.projects().len(), 2, "the folder's project and the nested one");
        let (x, o) = (host.file_id(&name(&inner)).unwrap(), host.file_id(&name(&outer)).unwrap());
        assert_ne!(x.project, o.project);
        let x_project = host.project(x.project).unwrap();
        assert_eq!(x_project.root(), Some(dir.join("inner").as_path()));
        assert_eq!(x_project.workspace.config().window_days, 7, "the nested project's own settings");
        assert_eq!(codes(&host, &name(&inner)), ["unknown-entity"], "`e` is the outer project's");
        assert!(codes(&host, &name(&outer)).is_empty());

        // An edit in one project affects files of that project only.
        let affected =
            host.apply_change(Change::Buffer { name: name(&outer), text: "[E]{ent=e}\n".into(), known: None });
        assert!(affected.files.iter().all(|f| f.project == o.project), "{affected:?}");
        assert_eq!(codes(&host, &name(&outer)), ["unknown-entity"]);

        // A buffer outside every folder brings its own project, closed with it.
        let elsewhere = scratch("projects-elsewhere");
        std::fs::write(elsewhere.join("beside.news.md"), "::: entity e\n:::\n").unwrap();
        let lone = name(&elsewhere.join("lone.news.md"));
        let affected =
            host.apply_change(Change::Buffer { name: lone.clone(), text: "[E]{ent=e}\n".into(), known: None });
        assert_eq!(affected.files.len(), 2, "the buffer and the file beside it: {affected:?}");
        assert_eq!(host.projects().len(), 3);
        assert!(codes(&host, &lone).is_empty(), "`e` is defined beside it");
        host.apply_change(Change::CloseBuffer { name: lone.clone() });
        assert_eq!(host.projects().len(), 2);
        assert!(host.file_id(&lone).is_none() && host.file_id(&name(&elsewhere.join("beside.news.md"))).is_none());

        // Deleting the nested settings: its files rejoin the outer project.
        std::fs::remove_file(dir.join("inner/newsmark.toml")).unwrap();
        assert!(host.is_settings_path(&dir.join("inner/newsmark.toml")));
        host.apply_change(Change::SettingsFiles);
        assert_eq!(host.projects().len(), 1);
        let x = host.file_id(&name(&inner)).unwrap();
        assert_eq!(x.project, host.file_id(&name(&outer)).unwrap().project);
        assert_ne!(x.project, o.project, "project ids are never reused");
        // The outer buffer still wins over the disk, and `e` is defined nowhere now.
        assert_eq!(codes(&host, &name(&inner)), ["unknown-entity"]);
        host.apply_change(Change::CloseBuffer { name: name(&outer) });
        assert!(codes(&host, &name(&inner)).is_empty(), "`e` is defined in the same project again");
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&elsewhere);
    }

    #[test]
    fn buffers_that_are_not_files_are_checked_apart_with_the_editor_settings() {
        let dir = scratch("untitled");
        std::fs::write(dir.join("defs.news.md"), "::: entity e\n:::\n").unwrap();
        let mut host = AnalysisHost::default();
        host.apply_change(Change::Roots(vec![dir.clone()]));
        let untitled = "untitled:Untitled-1".to_string();
        host.apply_change(Change::Buffer { name: untitled.clone(), text: "[E]{ent=e}\n".into(), known: None });
        let (project, _) = host.locate(&untitled).unwrap();
        assert!(project.project.is_none());
        assert_eq!(codes(&host, &untitled), ["unknown-entity"]);
        host.apply_change(Change::CloseBuffer { name: untitled.clone() });
        assert!(host.file_id(&untitled).is_none());
        assert_eq!(host.projects().len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn open_documents_keep_their_trees_and_closed_files_are_read_again_on_demand() {
        let dir = scratch("trees");
        let (defs, citer) = (dir.join("defs.news.md"), dir.join("c.news.md"));
        std::fs::write(&defs, "::: entity e\nname: Jens Stoltenberg\nrole: Secretary General\n:::\n").unwrap();
        let text = "[Jens]{ent=e} says [5 troops]{fig=k}.\n";
        std::fs::write(&citer, text).unwrap();
        let mut host = AnalysisHost::default();
        host.apply_change(Change::Roots(vec![dir.clone()]));
        let name = host.name_for(&citer);
        let kept = |host: &AnalysisHost| host.entry(host.file_id(&name).unwrap()).unwrap().keeps_tree();
        let hover_on = |host: &AnalysisHost, needle: &str| {
            let (project, file) = host.locate(&name).unwrap();
            let offset = project.workspace.entry(file).text.find(needle).unwrap();
            crate::ide::hover(&project.workspace, file, offset).map(|h| h.markdown).unwrap_or_default()
        };
        assert!(!kept(&host), "a file no editor opened keeps only its summary");
        let closed = hover_on(&host, "Jens");
        assert!(closed.starts_with("**Jens Stoltenberg**"), "{closed}");

        for round in ["opened", "reopened"] {
            host.apply_change(Change::Buffer { name: name.clone(), text: text.into(), known: None });
            assert!(kept(&host), "{round}");
            assert_eq!(hover_on(&host, "Jens"), closed, "{round}");
            host.apply_change(Change::CloseBuffer { name: name.clone() });
            assert!(!kept(&host), "{round}, then closed");
            assert_eq!(hover_on(&host, "Jens"), closed, "{round}, then closed");
        }

        // Edited on disk while closed: read again, still without its tree.
        std::fs::write(&citer, "[Stoltenberg]{ent=f} says [5 troops]{fig=k}[@nowhere].\n").unwrap();
        host.apply_change(Change::Disk { name: name.clone() });
        assert!(!kept(&host));
        assert_eq!(codes(&host, &name), ["unknown-entity", "unknown-source"]);
        assert!(hover_on(&host, "Stoltenberg").starts_with("Unknown entity `f`"), "{}", hover_on(&host, "Stoltenberg"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
