//! The analysis host: the one owner of a workspace that changes. Front
//! ends describe what happened as a [`Change`] (a buffer edited, a file
//! written or deleted on disk, settings or folders changed) and get back
//! the files whose findings may differ ([`Affected`]); readers take a
//! [`AnalysisHost::snapshot`], an `Arc` of an immutable workspace that later
//! changes never touch (copy-on-write: a change copies the workspace only
//! while a snapshot of it is still alive).
//!
//! Knows nothing of LSP: names are paths (or URIs for buffers that are not
//! files), texts are strings.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{Config, RawConfig};
use crate::project::{self, Project};
use crate::workspace::{discover, FileId, Workspace};

/// Something that happened to the files or settings the host watches.
#[derive(Clone, Debug)]
pub enum Change {
    /// An editor buffer was opened or edited: its text wins over the disk.
    Buffer { name: String, text: String },
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

/// What a change did: the files whose diagnostics may differ (files that
/// left the workspace are not in it: they have no id any more), and what
/// went wrong on the way, for the user.
#[derive(Debug, Default)]
pub struct Affected {
    pub files: BTreeSet<FileId>,
    pub problems: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct AnalysisHost {
    pub workspace: Arc<Workspace>,
    pub roots: Vec<PathBuf>,
    /// The projects of the roots (see src/project.rs): they decide which
    /// files on disk are members, exactly as `check`'s walk does.
    projects: Vec<Arc<Project>>,
    /// Editor settings (initializationOptions, didChangeConfiguration).
    pub client_settings: RawConfig,
    /// Buffers the editor holds open, by name.
    buffers: HashMap<String, Arc<str>>,
}

impl AnalysisHost {
    /// An immutable view of the workspace as it is now, cheap to take.
    pub fn snapshot(&self) -> Arc<Workspace> {
        self.workspace.clone()
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

    pub fn apply_change(&mut self, change: Change) -> Affected {
        match change {
            Change::Buffer { name, text } => {
                // Refused like a file on disk that big (and so never near
                // the 4 GiB that offsets can address).
                if let Some(problem) = discover::over_limit(&name, text.len() as u64) {
                    self.buffers.remove(&name);
                    return Affected { files: self.workspace_mut().remove_file(&name), problems: vec![problem] };
                }
                let text: Arc<str> = Arc::from(text);
                self.buffers.insert(name.clone(), text.clone());
                Affected { files: self.workspace_mut().set_file(&name, text), problems: Vec::new() }
            }
            Change::CloseBuffer { name } => {
                // A buffer refused for its size left the workspace: closing
                // it brings the file on disk back.
                if self.buffers.remove(&name).is_none() && self.workspace.file_id(&name).is_some() {
                    return Affected::default();
                }
                self.reload_from_disk(&name)
            }
            Change::Disk { name } => {
                let path = Path::new(&name);
                // The buffer wins. A file enters exactly when the walk would
                // find it (`Project::is_member`), and leaves when it is gone
                // or no longer a member.
                if self.buffers.contains_key(&name)
                    || (!self.is_member(path) && self.workspace.file_id(&name).is_none())
                {
                    return Affected::default();
                }
                self.reload_from_disk(&name)
            }
            Change::SettingsFiles => self.index_roots(),
            Change::Roots(roots) => {
                self.roots = roots;
                self.index_roots()
            }
            Change::ClientSettings(raw) => {
                self.client_settings = raw;
                let (config, problems) = self.effective_config();
                if config == *self.workspace.config() {
                    return Affected { files: BTreeSet::new(), problems };
                }
                // Settings decide membership (include, exclude) too.
                let mut affected = self.index_roots();
                affected.problems.splice(0..0, problems);
                affected.problems.dedup();
                affected
            }
        }
    }

    fn workspace_mut(&mut self) -> &mut Workspace {
        Arc::make_mut(&mut self.workspace)
    }

    fn editor_config(&self) -> (Config, Vec<String>) {
        match Config::default().merged(&self.client_settings) {
            Ok(c) => (c, Vec::new()),
            Err(e) => (Config::default(), vec![format!("editor settings: {e}")]),
        }
    }

    /// The projects of the roots (see src/project.rs): each folder's
    /// project, and the nested projects inside the folders, each with its own
    /// membership; and their members, in path order. Editor settings are the
    /// base under each project's `newsmark.toml`, so the editor agrees with
    /// `newsmark check` in CI.
    fn open_projects(&self) -> (Vec<Arc<Project>>, Vec<PathBuf>, Vec<String>) {
        let (base, mut problems) = self.editor_config();
        let folders: Vec<PathBuf> = self.roots.iter().map(|f| project::absolute(f)).collect();
        // A folder brings its whole project, as a PATH does for `check`.
        let mut pending: Vec<PathBuf> = folders.iter().map(|f| project::root_of(f)).collect();
        pending.reverse();
        let mut projects: Vec<Arc<Project>> = Vec::new();
        let mut members = Vec::new();
        while let Some(root) = pending.pop() {
            if projects.iter().any(|p| p.root() == root) {
                continue;
            }
            let project = Project::open(root.clone(), &base).or_else(|e| {
                problems.push(e);
                // The folder still counts, with the editor's settings.
                Project::with_config(root.clone(), Config { include: vec![], exclude: vec![], ..base.clone() }, None)
            });
            let Ok(project) = project else { continue };
            let found = project.walk();
            problems.extend(found.problems);
            members.extend(found.members);
            // Nested projects inside a folder the editor opened; one beside
            // it (under a project root above the folder) is not opened.
            pending.extend(found.nested.into_iter().filter(|n| folders.iter().any(|f| n.starts_with(f))));
            projects.push(Arc::new(project));
        }
        members.sort();
        members.dedup();
        (projects, members, problems)
    }

    /// The settings the workspace is checked with: the first folder's
    /// project's (one workspace serves every root).
    pub fn effective_config(&self) -> (Config, Vec<String>) {
        let (projects, _, problems) = self.open_projects();
        let config = projects.first().map(|p| p.config().clone()).unwrap_or_else(|| self.editor_config().0);
        (config, problems)
    }

    /// Reads every member of the projects again; open buffers keep their
    /// text. Every file is affected (ids are new).
    pub fn index_roots(&mut self) -> Affected {
        let (projects, members, mut problems) = self.open_projects();
        let config = projects.first().map(|p| p.config().clone()).unwrap_or_else(|| self.editor_config().0);
        let (texts, unreadable) = discover::read_files(members);
        problems.extend(unreadable);
        let mut files: Vec<(String, String)> =
            texts.into_iter().map(|(p, t)| (p.to_string_lossy().into_owned(), t)).collect();
        files.retain(|(name, _)| !self.buffers.contains_key(name));
        files.extend(self.buffers.iter().map(|(name, text)| (name.clone(), text.to_string())));
        // Path order, as `check` reads them: ids decide the order of findings.
        files.sort_by(|a, b| a.0.cmp(&b.0));
        self.workspace = Arc::new(Workspace::from_files(config, files));
        self.projects = projects;
        Affected { files: self.workspace.file_ids().collect(), problems }
    }

    /// Whether a file on disk belongs to the workspace: exactly when the
    /// walk would have found it (`Project::is_member`); for watched-file
    /// events and closed buffers alike.
    pub fn is_member(&self, path: &Path) -> bool {
        self.projects.iter().any(|project| project.is_member(path))
    }

    /// Inside a project root, reached without a link: where fixes and stubs
    /// may write (an open document outside every project is left alone).
    pub fn is_inside_roots(&self, path: &Path) -> bool {
        self.projects.iter().any(|p| discover::is_within(p.root(), path))
    }

    /// A settings or ignore file inside a project (reached without a link):
    /// changing one re-reads the projects.
    pub fn is_settings_path(&self, path: &Path) -> bool {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        matches!(name, crate::config::CONFIG_FILE | ".newsmarkignore" | ".gitignore" | ".ignore")
            && self.projects.iter().any(|p| discover::is_within(p.root(), path))
    }

    /// A file opened while the editor gave no workspace folder: its project
    /// becomes the root. Returns whether it did.
    pub fn adopt_project_of(&mut self, name: &str) -> bool {
        let path = Path::new(name);
        if !self.roots.is_empty() || !path.is_absolute() {
            return false;
        }
        self.roots.push(project::root_of(&project::absolute(path)));
        true
    }

    /// The file on disk is what counts for `name`: read it, or drop it
    /// when it is gone, unreadable, or not ours to read.
    fn reload_from_disk(&mut self, name: &str) -> Affected {
        let path = Path::new(name);
        // Metadata first, without following a link: a FIFO or device
        // named `*.news.md` would block the reader forever.
        let regular = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file());
        let ours = regular && self.is_member(path);
        match ours.then(|| discover::read_file(path)) {
            Some(Ok(text)) => {
                Affected { files: self.workspace_mut().set_file(name, Arc::from(text)), problems: vec![] }
            }
            Some(Err(problem)) => {
                let files = self.workspace_mut().remove_file(name);
                // A file that vanished is no news; one that cannot be read is.
                let problems = if path.exists() { vec![problem] } else { vec![] };
                Affected { files, problems }
            }
            None => Affected { files: self.workspace_mut().remove_file(name), problems: vec![] },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_buffer_over_the_size_limit_is_refused_like_a_file() {
        let mut host = AnalysisHost::default();
        let name = "/nowhere/big.news.md".to_string();
        host.apply_change(Change::Buffer { name: name.clone(), text: "Some [text]{ent=x}.\n".into() });
        assert!(host.workspace.file_id(&name).is_some(), "a small buffer is analysed");
        let huge = "x".repeat(discover::MAX_FILE_BYTES as usize + 1);
        let affected = host.apply_change(Change::Buffer { name: name.clone(), text: huge });
        assert_eq!(affected.problems, vec![format!("{name}: skipped, 64 MB is over the 64 MB limit for one article")]);
        assert!(host.workspace.file_id(&name).is_none());
        assert!(!host.is_open(&name));
        // Closed, the file on disk counts again (here there is none).
        let affected = host.apply_change(Change::CloseBuffer { name: name.clone() });
        assert!(affected.problems.is_empty() && host.workspace.file_id(&name).is_none(), "{affected:?}");
    }
}
