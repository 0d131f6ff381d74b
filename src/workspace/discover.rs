//! Reading a workspace's files on disk (which files: see `project.rs`).
//!
//! Reads files in parallel; an unreadable, oversized or non-UTF-8 file is
//! reported and skipped, never fatal.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

pub const EXTENSION: &str = ".news.md";
pub const IGNORE_FILE: &str = ".newsmarkignore";

/// Files bigger than this are skipped with a message: no article is 64 MB,
/// and a language server must not hold a data dump in memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

// Offsets in the analysis are `u32` (`base::TextRange`): the per-article
// limit keeps every text that is analysed far below 4 GiB.
const _: () = assert!(MAX_FILE_BYTES <= crate::base::MAX_TEXT_BYTES as u64);

/// Why a text of `len` bytes named `name` is not analysed, when it is over
/// the limit: the one message for files on disk and editor buffers alike.
pub fn over_limit(name: &str, len: u64) -> Option<String> {
    (len > MAX_FILE_BYTES).then(|| {
        format!(
            "{name}: skipped, {} MB is over the {} MB limit for one article",
            len / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )
    })
}

pub fn is_article_path(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(EXTENSION) && n.len() > EXTENSION.len())
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
    // One path lookup: the size is the open descriptor's (`fs::metadata`
    // and then `fs::read` looked the path up twice and stat'ed it twice).
    let fail = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => {
            // As before: a file over the limit is refused as such even when
            // it cannot be opened; otherwise the error is the open's.
            let metadata = std::fs::metadata(path).map_err(fail)?;
            if let Some(problem) = over_limit(&path.display().to_string(), metadata.len()) {
                return Err(problem);
            }
            return Err(fail(e));
        }
    };
    let len = file.metadata().map_err(fail)?.len();
    if let Some(problem) = over_limit(&path.display().to_string(), len) {
        return Err(problem);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.read_to_end(&mut bytes).map_err(fail)?;
    // The file may have grown since its metadata was read.
    if let Some(problem) = over_limit(&path.display().to_string(), bytes.len() as u64) {
        return Err(problem);
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: skipped, not valid UTF-8 text (first bad byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
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
