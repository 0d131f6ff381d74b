//! The project model: which folder a path belongs to, which files are its
//! members, and which settings apply. Every entry point (`check` on a folder,
//! on one file, on stdin, and the language server) asks this module, so they
//! all see the same workspace with the same settings.
//!
//! - The **root** of a path is the nearest folder at or above it holding a
//!   `newsmark.toml`, else the nearest holding `.git`, else the folder itself
//!   (for a file, its folder).
//! - **Settings** come from the root's `newsmark.toml`, whatever the current
//!   folder.
//! - **Members** are the `*.news.md` files under the root that the walk
//!   reaches: no hidden file or folder (a name starting with `.`), no
//!   symbolic link, nothing `.gitignore`, `.ignore` or `.newsmarkignore`
//!   (inside the project) ignores, nothing `exclude` matches, only what
//!   `include` matches when it is set, and nothing under a folder holding
//!   its own `newsmark.toml`: that is a nested project, with its own files.
//!
//! `Project::is_member` and `Project::walk` apply the same two admission
//! rules (`admits_dir`, `admits_file`), so a file event is accepted exactly
//! when the walk would have found the file.

use std::collections::HashMap;
use std::fs::FileType;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

use crate::config::{Config, RawConfig, CONFIG_FILE};
use crate::workspace::discover::{is_article_path, IGNORE_FILE};

/// A settings file is a few lines; one of megabytes is a mistake or an
/// attack, and parsing it (and compiling its globs) would take gigabytes.
pub const MAX_SETTINGS_BYTES: u64 = 1024 * 1024;

/// Globs in one `include` or `exclude` list. Real lists hold a few; each
/// glob costs kilobytes of compiled automaton, and tens of thousands no
/// longer compile at all.
pub const MAX_GLOBS: usize = 10_000;

/// Ignore files read in each folder, lowest precedence first (a later
/// file's pattern wins, as the `ignore` crate orders them).
const IGNORE_FILES: [&str; 3] = [".gitignore", ".ignore", IGNORE_FILE];

/// `path` made absolute against the current folder, with `.` and `..`
/// resolved by name (links are not followed: the walker never follows them).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")).join(path)
    };
    normalize(&joined)
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(component);
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The project root of `path` (absolute): the nearest folder at or above it
/// with a `newsmark.toml`, else with `.git`, else the folder itself.
pub fn root_of(path: &Path) -> PathBuf {
    let start = if path.is_dir() { path } else { path.parent().unwrap_or(path) };
    let ancestors = || start.ancestors();
    ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .or_else(|| ancestors().find(|dir| dir.join(".git").exists()))
        .unwrap_or(start)
        .to_path_buf()
}

/// Reads a settings file, refusing one over [`MAX_SETTINGS_BYTES`].
pub fn read_settings(path: &Path) -> Result<RawConfig, String> {
    let metadata = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if !metadata.is_file() {
        return Err(format!("{}: not a regular file", path.display()));
    }
    if metadata.len() > MAX_SETTINGS_BYTES {
        return Err(format!(
            "{}: {} bytes is over the {} KB limit for a settings file; not read",
            path.display(),
            metadata.len(),
            MAX_SETTINGS_BYTES / 1024
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    RawConfig::from_toml(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// What one walk of a project found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Member files, absolute, sorted.
    pub members: Vec<PathBuf>,
    /// Roots of nested projects met on the way (not walked), sorted.
    pub nested: Vec<PathBuf>,
    pub problems: Vec<String>,
}

pub struct Project {
    root: PathBuf,
    config: Config,
    /// Problems with the settings (reported, never fatal to the server).
    settings_file: Option<PathBuf>,
    include: Option<Gitignore>,
    exclude: Gitignore,
    /// Each folder's ignore files, compiled once per folder.
    ignores: Mutex<HashMap<PathBuf, Option<Arc<Gitignore>>>>,
}

impl std::fmt::Debug for Project {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Project").field("root", &self.root).field("settings_file", &self.settings_file).finish()
    }
}

impl Project {
    /// The project rooted at `root` (absolute), with `base` (editor
    /// settings, or defaults) under the root's `newsmark.toml`.
    pub fn open(root: PathBuf, base: &Config) -> Result<Project, String> {
        let path = root.join(CONFIG_FILE);
        let mut config = base.clone();
        let mut settings_file = None;
        if path.is_file() {
            if !crate::workspace::discover::resolves_within(&root, &path) {
                return Err(format!(
                    "{}: a link out of the folder; not followed (name it with --config FILE to use it)",
                    path.display()
                ));
            }
            let raw = read_settings(&path)?;
            config = config.merged(&raw).map_err(|e| format!("{}: {e}", path.display()))?;
            settings_file = Some(path);
        }
        Project::with_config(root, config, settings_file)
    }

    /// The project at `root` with settings given explicitly (`--config`).
    pub fn with_config(root: PathBuf, config: Config, settings_file: Option<PathBuf>) -> Result<Project, String> {
        let origin = settings_file.as_deref().map_or_else(|| "settings".to_string(), |p| p.display().to_string());
        let include = if config.include.is_empty() {
            None
        } else {
            Some(compile(&root, &config.include).map_err(|e| format!("{origin}: include: {e}"))?)
        };
        let exclude = compile(&root, &config.exclude).map_err(|e| format!("{origin}: exclude: {e}"))?;
        Ok(Project { root, config, settings_file, include, exclude, ignores: Mutex::new(HashMap::new()) })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn settings_file(&self) -> Option<&Path> {
        self.settings_file.as_deref()
    }

    /// Whether `path` (absolute) is a member: exactly when the walk would
    /// find it. A path that does not exist (yet, or any more) is judged by
    /// its name and its folders.
    pub fn is_member(&self, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(&self.root) else { return false };
        let names: Vec<_> = relative.components().collect();
        let Some((_, folders)) = names.split_last() else { return false };
        let mut at = self.root.clone();
        for folder in folders {
            let Component::Normal(name) = folder else { return false };
            at.push(name);
            let file_type = match std::fs::symlink_metadata(&at) {
                Ok(metadata) => metadata.file_type(),
                // A folder that is gone: judged by name alone.
                Err(_) => return self.admits_by_name(path),
            };
            if !file_type.is_dir() || !self.admits_dir(&at) {
                return false;
            }
        }
        let file_type = std::fs::symlink_metadata(path).ok().map(|m| m.file_type());
        self.admits_file(path, file_type)
    }

    /// For paths under a folder that no longer exists: the rules that need
    /// no file system (hidden names, ignore files read so far, globs).
    fn admits_by_name(&self, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(&self.root) else { return false };
        let hidden = relative.components().any(|c| matches!(c, Component::Normal(n) if is_hidden(n)));
        !hidden && is_article_path(path) && self.globs_admit(path, false)
    }

    /// A folder below the root whose parents are admitted: not hidden, not
    /// ignored, not excluded, and not the root of a nested project.
    fn admits_dir(&self, dir: &Path) -> bool {
        self.admits_dir_listed_in(&self.ignores_above(dir), dir) && !dir.join(CONFIG_FILE).is_file()
    }

    /// `admits_dir` for a folder the walk has already found to hold no
    /// settings file, with the ignore files in force in its parent.
    fn admits_dir_listed_in(&self, ignores: &[Option<Arc<Gitignore>>], dir: &Path) -> bool {
        !dir.file_name().is_some_and(is_hidden) && self.admits_dir_except_nested(ignores, dir)
    }

    /// A file in an admitted folder. `file_type` is what the folder listing
    /// says (links not followed); `None` when it does not exist.
    fn admits_file(&self, path: &Path, file_type: Option<FileType>) -> bool {
        self.admits_file_in(&self.ignores_above(path), path, file_type)
    }

    /// `admits_file` with the ignore files in force in `path`'s folder.
    fn admits_file_in(&self, ignores: &[Option<Arc<Gitignore>>], path: &Path, file_type: Option<FileType>) -> bool {
        let hidden = path.file_name().is_some_and(is_hidden);
        let regular = file_type.is_none_or(|t| t.is_file());
        !hidden
            && regular
            && is_article_path(path)
            && !ignored_by(ignores, path, false)
            && self.globs_admit(path, false)
    }

    fn globs_admit(&self, path: &Path, is_dir: bool) -> bool {
        let relative = self.relative(path);
        let excluded = matches!(self.exclude.matched_path_or_any_parents(relative, is_dir), Match::Ignore(_));
        let included = self.include.as_ref().is_none_or(|g| matches!(g.matched(relative, is_dir), Match::Ignore(_)));
        !excluded && included
    }

    fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }

    /// The ignore files of the folders from the root down to `path`'s
    /// parent, root first (the walk keeps this list as it goes instead).
    fn ignores_above(&self, path: &Path) -> Vec<Option<Arc<Gitignore>>> {
        let mut ignores: Vec<_> = path
            .ancestors()
            .skip(1)
            .take_while(|dir| dir.starts_with(&self.root))
            .map(|dir| self.ignore_files_of(dir))
            .collect();
        ignores.reverse();
        ignores
    }

    fn ignore_files_of(&self, dir: &Path) -> Option<Arc<Gitignore>> {
        let mut cache = self.ignores.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(cached) = cache.get(dir) {
            return cached.clone();
        }
        let mut builder = GitignoreBuilder::new(dir);
        let mut any = false;
        for name in IGNORE_FILES {
            let file = dir.join(name);
            // A link is not followed, as everywhere else.
            if std::fs::symlink_metadata(&file).is_ok_and(|m| m.is_file()) {
                any = true;
                // A bad line is skipped; the other lines still apply.
                let _ = builder.add(&file);
            }
        }
        let matcher = if any { builder.build().ok().map(Arc::new) } else { None };
        cache.insert(dir.to_path_buf(), matcher.clone());
        matcher
    }

    /// Every member file, and the nested projects met on the way, both in
    /// `Path` order. Each folder's listing is sorted by name and folders are
    /// entered where they stand in it, so the walk yields that order itself:
    /// sorting 10k `PathBuf`s afterwards (component by component) took a
    /// tenth of `check`'s time before its parallel part could start.
    pub fn walk(&self) -> Walk {
        let mut walk = Walk::default();
        // Folders being listed, deepest last; each with its entries still
        // to visit, reversed so that the next one is popped.
        let mut open: Vec<Vec<(std::ffi::OsString, FileType)>> = Vec::new();
        let mut at = self.root.clone();
        // The ignore files in force in `at`, root first: one per open folder.
        let mut ignores = vec![self.ignore_files_of(&at)];
        open.push(listing(&at, &mut walk.problems));
        while let Some(entries) = open.last_mut() {
            let Some((name, file_type)) = entries.pop() else {
                open.pop();
                ignores.pop();
                if !open.is_empty() {
                    at.pop();
                }
                continue;
            };
            let path = at.join(&name);
            if file_type.is_dir() {
                if path.join(CONFIG_FILE).is_file() {
                    // Checked after the other rules: an ignored or excluded
                    // folder hides its nested project too.
                    if !is_hidden(&name) && self.admits_dir_except_nested(&ignores, &path) {
                        walk.nested.push(path);
                    }
                } else if self.admits_dir_listed_in(&ignores, &path) {
                    open.push(listing(&path, &mut walk.problems));
                    ignores.push(self.ignore_files_of(&path));
                    at = path;
                }
            } else if self.admits_file_in(&ignores, &path, Some(file_type)) {
                walk.members.push(path);
            }
        }
        debug_assert!(walk.members.is_sorted() && walk.nested.is_sorted());
        walk
    }

    /// A folder's admission but for its name and a settings file in it: not
    /// ignored (by `ignores`, those in force in its parent), not excluded.
    fn admits_dir_except_nested(&self, ignores: &[Option<Arc<Gitignore>>], dir: &Path) -> bool {
        !ignored_by(ignores, dir, true) && !matches!(self.exclude.matched(self.relative(dir), true), Match::Ignore(_))
    }
}

/// Whether `ignores` (the ignore files of a path's folders, root first)
/// ignore it: the deepest folder with an opinion decides.
fn ignored_by(ignores: &[Option<Arc<Gitignore>>], path: &Path, is_dir: bool) -> bool {
    for matcher in ignores.iter().rev().flatten() {
        match matcher.matched(path, is_dir) {
            Match::Ignore(_) => return true,
            Match::Whitelist(_) => return false,
            Match::None => {}
        }
    }
    false
}

/// The entries of `dir` (links not followed), by name, last first. What
/// cannot be read is added to `problems` and skipped.
fn listing(dir: &Path, problems: &mut Vec<String>) -> Vec<(std::ffi::OsString, FileType)> {
    let mut entries = Vec::new();
    match std::fs::read_dir(dir) {
        Ok(listed) => {
            for entry in listed {
                match entry {
                    Ok(entry) => {
                        if let Ok(file_type) = entry.file_type() {
                            entries.push((entry.file_name(), file_type));
                        }
                    }
                    Err(e) => problems.push(format!("{}: {e}", dir.display())),
                }
            }
        }
        Err(e) => problems.push(format!("{}: {e}", dir.display())),
    }
    // Siblings compare as `Path` components do: by their bytes.
    entries.sort_unstable_by(|a, b| b.0.as_encoded_bytes().cmp(a.0.as_encoded_bytes()));
    entries
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

/// Globs in `.gitignore` syntax, relative to the root, compiled once into
/// one matcher.
fn compile(root: &Path, globs: &[String]) -> Result<Gitignore, String> {
    if globs.len() > MAX_GLOBS {
        return Err(format!("{} globs is over the limit of {MAX_GLOBS}", globs.len()));
    }
    let mut builder = GitignoreBuilder::new(root);
    for glob in globs {
        builder.add_line(None, glob).map_err(|e| format!("bad glob `{glob}`: {e}"))?;
    }
    builder
        .build()
        .map_err(|e| format!("the {} globs cannot be compiled together ({e}); use fewer, broader globs", globs.len()))
}

/// `target` as a path relative to `base` (both absolute and normalized):
/// `../x` when it is beside it. Paths on different prefixes stay absolute.
pub fn relative_to(target: &Path, base: &Path) -> PathBuf {
    let (t, b): (Vec<_>, Vec<_>) = (target.components().collect(), base.components().collect());
    if t.first() != b.first() {
        return target.to_path_buf();
    }
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("newsmark-project-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn roots_prefer_settings_then_git_then_the_folder() {
        let dir = scratch("roots");
        write(&dir.join("repo/.git/HEAD"), "");
        write(&dir.join("repo/site/newsmark.toml"), "");
        write(&dir.join("repo/site/a/b.news.md"), "");
        write(&dir.join("repo/other/c.news.md"), "");
        write(&dir.join("loose/d.news.md"), "");
        assert_eq!(root_of(&dir.join("repo/site/a/b.news.md")), dir.join("repo/site"));
        assert_eq!(root_of(&dir.join("repo/site/a")), dir.join("repo/site"));
        assert_eq!(root_of(&dir.join("repo/other/c.news.md")), dir.join("repo"));
        assert_eq!(root_of(&dir.join("loose/d.news.md")), dir.join("loose"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn walk_and_is_member_agree() {
        let dir = scratch("members");
        write(&dir.join("newsmark.toml"), "exclude = [\"drafts/**\", \"*.old.news.md\"]\n");
        write(&dir.join(".gitignore"), "build/\nskip.news.md\n");
        write(&dir.join("sub/.newsmarkignore"), "private*\n");
        let files = [
            ("a.news.md", true),
            ("sub/b.news.md", true),
            ("sub/private-c.news.md", false),
            ("drafts/d.news.md", false),
            ("x.old.news.md", false),
            ("build/e.news.md", false),
            ("skip.news.md", false),
            (".hidden/f.news.md", false),
            (".g.news.md", false),
            ("notes.md", false),
            ("nested/h.news.md", false),
        ];
        for (name, _) in files {
            write(&dir.join(name), "x");
        }
        write(&dir.join("nested/newsmark.toml"), "");
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.join("a.news.md"), dir.join("link.news.md")).unwrap();
        let project = Project::open(dir.clone(), &Config::default()).unwrap();
        let walk = project.walk();
        let expected: Vec<PathBuf> = files.iter().filter(|(_, m)| *m).map(|(n, _)| dir.join(n)).collect();
        assert_eq!(walk.members, expected);
        assert_eq!(walk.nested, vec![dir.join("nested")]);
        for (name, member) in files {
            assert_eq!(project.is_member(&dir.join(name)), member, "{name}");
        }
        assert!(!project.is_member(&dir.join("link.news.md")));
        assert!(project.is_member(&dir.join("sub/new.news.md")), "a file not created yet");
        assert!(!project.is_member(&dir.join("drafts/new.news.md")), "excluded even before it exists");
        assert!(!project.is_member(&dir.join("gone/.hidden/x.news.md")));
        let nested = Project::open(dir.join("nested"), &Config::default()).unwrap();
        assert_eq!(nested.walk().members, vec![dir.join("nested/h.news.md")]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_walk_yields_members_in_path_order() {
        // Names where byte order and `Path` order differ (`a-b` sorts
        // before `a/…` as bytes, after it as paths), case, spaces, a prefix
        // of a sibling, non-ASCII, and folders among files.
        let dir = scratch("order");
        let names = [
            "a-b/x.news.md",
            "a/b.news.md",
            "a/c/d.news.md",
            "a/ce.news.md",
            "a.news.md",
            "a b.news.md",
            "B.news.md",
            "b/a.news.md",
            "é.news.md",
            "z/y/x/w.news.md",
            "z/y.news.md",
            "nested-a/newsmark.toml",
            "nested/newsmark.toml",
        ];
        for name in names {
            write(&dir.join(name), "x");
        }
        let walk = Project::open(dir.clone(), &Config::default()).unwrap().walk();
        let mut expected: Vec<PathBuf> =
            names.iter().filter(|n| n.ends_with(".news.md")).map(|n| dir.join(n)).collect();
        expected.sort();
        assert_eq!(walk.members, expected);
        assert_eq!(walk.nested, vec![dir.join("nested"), dir.join("nested-a")]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn oversized_settings_are_refused() {
        let dir = scratch("big");
        let line = "\"x/**\",\n";
        let text = format!("exclude = [\n{}]\n", line.repeat((MAX_SETTINGS_BYTES as usize) / line.len() + 1));
        write(&dir.join("newsmark.toml"), &text);
        let error = Project::open(dir.clone(), &Config::default()).unwrap_err();
        assert!(error.contains("over the 1024 KB limit"), "{error}");
        let globs: String = (0..=MAX_GLOBS).map(|i| format!("\"d{i}/\",")).collect();
        write(&dir.join("newsmark.toml"), &format!("exclude = [{globs}]\n"));
        let error = Project::open(dir.clone(), &Config::default()).unwrap_err();
        assert!(error.ends_with("exclude: 10001 globs is over the limit of 10000"), "{error}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative_to(Path::new("/a/b/c"), Path::new("/a/b")), PathBuf::from("c"));
        assert_eq!(relative_to(Path::new("/a/x"), Path::new("/a/b")), PathBuf::from("../x"));
        assert_eq!(relative_to(Path::new("/a"), Path::new("/a")), PathBuf::from("."));
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
