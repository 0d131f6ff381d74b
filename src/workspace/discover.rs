//! Finding and reading a workspace's files on disk.
//!
//! Honours `.gitignore`, `.ignore` and `.newsmarkignore`; never follows a
//! symbolic link (a link can lead out of the workspace, or round in a loop);
//! reads files in parallel; an unreadable or non-UTF-8 file is reported and
//! skipped, never fatal.

use std::path::{Component, Path, PathBuf};

use ignore::overrides::OverrideBuilder;
use ignore::WalkBuilder;
use rayon::prelude::*;

use crate::config::Config;

pub const EXTENSION: &str = ".news.md";
pub const IGNORE_FILE: &str = ".newsmarkignore";

/// Files bigger than this are skipped with a message: no article is 64 MB,
/// and a language server must not hold a data dump in memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Default)]
pub struct Found {
    pub files: Vec<PathBuf>,
    pub problems: Vec<String>,
}

pub fn is_article_path(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(EXTENSION) && n.len() > EXTENSION.len())
}

/// Every `*.news.md` under `root` (or `root` itself when it is a file).
pub fn find_files(root: &Path, config: &Config) -> Found {
    let mut found = Found::default();
    let metadata = match std::fs::metadata(root) {
        Ok(m) => m,
        Err(e) => {
            found.problems.push(format!("{}: {}", root.display(), e));
            return found;
        }
    };
    if metadata.is_file() {
        found.files.push(root.to_path_buf());
        return found;
    }
    if !metadata.is_dir() {
        // A FIFO, socket or device: reading one could block forever.
        found.problems.push(format!("{}: skipped, not a regular file or folder", root.display()));
        return found;
    }
    let mut overrides = OverrideBuilder::new(root);
    let mut globs = Vec::new();
    globs.extend(config.include.iter().cloned());
    globs.extend(config.exclude.iter().map(|g| format!("!{g}")));
    for glob in &globs {
        if let Err(e) = overrides.add(glob) {
            found.problems.push(format!("newsmark.toml: bad glob `{glob}`: {e}"));
        }
    }
    let mut walk = WalkBuilder::new(root);
    walk.follow_links(false).require_git(false).add_custom_ignore_filename(IGNORE_FILE);
    match overrides.build() {
        Ok(o) => {
            walk.overrides(o);
        }
        Err(e) => found.problems.push(format!("newsmark.toml: {e}")),
    }
    for entry in walk.build() {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_some_and(|t| t.is_file()) && is_article_path(entry.path()) {
                    found.files.push(entry.into_path());
                }
            }
            Err(e) => found.problems.push(e.to_string()),
        }
    }
    found.files.sort();
    found
}

/// Whether `path` lies under `root` with no symbolic link and no `..` on
/// the way (`root` itself may be a link): exactly what the walker reaches.
/// A path that does not exist (yet) passes; reading it then fails.
pub fn is_within(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else { return false };
    let mut at = root.to_path_buf();
    for component in relative.components() {
        let Component::Normal(name) = component else { return false };
        at.push(name);
        match std::fs::symlink_metadata(&at) {
            Ok(metadata) if metadata.file_type().is_symlink() => return false,
            Ok(_) => {}
            Err(_) => return true,
        }
    }
    true
}

/// Whether `path`, links resolved, is inside `root` (links resolved): for
/// settings files, which may be links within the workspace but not out of it.
pub fn resolves_within(root: &Path, path: &Path) -> bool {
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(root), Ok(path)) => path.starts_with(root),
        _ => false,
    }
}

pub fn read_file(path: &Path) -> Result<String, String> {
    let metadata = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if metadata.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{}: skipped, {} MB is over the {} MB limit for one article",
            path.display(),
            metadata.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: skipped, not valid UTF-8 text (first bad byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// Finds and reads every article under `roots`: the texts, named by their
/// paths as given, and the problems met on the way (in order).
pub fn load(roots: &[PathBuf], config: &Config) -> (Vec<(String, String)>, Vec<String>) {
    let mut problems = Vec::new();
    let mut paths = Vec::new();
    for root in roots {
        let found = find_files(root, config);
        problems.extend(found.problems);
        paths.extend(found.files);
    }
    paths.sort();
    paths.dedup();
    let (texts, unreadable) = read_files(paths);
    problems.extend(unreadable);
    let named = texts.into_iter().map(|(p, t)| (p.to_string_lossy().into_owned(), t)).collect();
    (named, problems)
}

/// Reads many files in parallel. Files that cannot be read come back as
/// messages, in path order.
pub fn read_files(paths: Vec<PathBuf>) -> (Vec<(PathBuf, String)>, Vec<String>) {
    let results: Vec<(PathBuf, Result<String, String>)> = paths
        .into_par_iter()
        .map(|p| {
            let text = read_file(&p);
            (p, text)
        })
        .collect();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for (path, result) in results {
        match result {
            Ok(text) => files.push((path, text)),
            Err(message) => problems.push(message),
        }
    }
    (files, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_and_dot_dot_are_not_within() {
        let dir = std::env::temp_dir().join(format!("newsmark-within-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (root, outside) = (dir.join("root"), dir.join("outside"));
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.news.md"), "x").unwrap();
        std::fs::write(root.join("sub/a.news.md"), "x").unwrap();
        std::os::unix::fs::symlink(outside.join("secret.news.md"), root.join("link.news.md")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("linkdir")).unwrap();
        assert!(is_within(&root, &root.join("sub/a.news.md")));
        assert!(is_within(&root, &root.join("sub/new.news.md")), "a file not created yet");
        assert!(!is_within(&root, &root.join("link.news.md")));
        assert!(!is_within(&root, &root.join("linkdir/secret.news.md")));
        assert!(!is_within(&root, &root.join("sub/../../outside/secret.news.md")));
        assert!(!is_within(&root, &outside.join("secret.news.md")));
        assert!(resolves_within(&root, &root.join("sub/a.news.md")));
        assert!(!resolves_within(&root, &root.join("link.news.md")));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
