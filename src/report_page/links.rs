//! Links from the page to the files it reports on: relative to the folder
//! the page is written to, so the page and the workspace can move together.

use std::path::{Component, Path, PathBuf};

use super::escape::push_path_segment;

/// Where the page is written and what relative paths are relative to.
#[derive(Clone, Debug)]
pub struct FileLinks {
    /// The absolute folder of the page.
    page_folder: PathBuf,
    /// The absolute folder paths are given relative to (the current folder).
    base: PathBuf,
}

impl FileLinks {
    pub fn new(page_folder: &Path, base: &Path) -> FileLinks {
        FileLinks { page_folder: normalize(&base.join(page_folder)), base: normalize(base) }
    }

    /// A percent-encoded relative URL from the page to `path` (a file name as
    /// the workspace holds it); None for names that are no paths (an
    /// editor's `untitled:` buffer never reaches here, but a URI might).
    pub fn href(&self, path: &str) -> Option<String> {
        if path.contains("://") {
            return None;
        }
        let target = normalize(&self.base.join(path));
        let from: Vec<Component> = self.page_folder.components().collect();
        let to: Vec<Component> = target.components().collect();
        let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
        if common == 0 {
            return None;
        }
        let mut out = String::from("./");
        for _ in common..from.len() {
            out.push_str("../");
        }
        for (i, component) in to[common..].iter().enumerate() {
            if i > 0 {
                out.push('/');
            }
            push_path_segment(&mut out, &component.as_os_str().to_string_lossy());
        }
        Some(out)
    }
}

/// `path` without `.` and with each `..` applied (no file system access:
/// the files exist, but a link need not be resolved).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_to_the_page() {
        let links = FileLinks::new(Path::new("out/site"), Path::new("/work/project"));
        assert_eq!(links.href("seeds/a.news.md").as_deref(), Some("./../../seeds/a.news.md"));
        assert_eq!(links.href("./out/site/b.news.md").as_deref(), Some("./b.news.md"));
        assert_eq!(links.href("/work/other/c d.news.md").as_deref(), Some("./../../../other/c%20d.news.md"));
        assert_eq!(
            links.href("javascript:alert(1).news.md").as_deref(),
            Some("./../../javascript%3Aalert%281%29.news.md")
        );
        assert_eq!(links.href("file:///etc/passwd"), None);
        let here = FileLinks::new(Path::new("."), Path::new("/w"));
        assert_eq!(here.href("x.news.md").as_deref(), Some("./x.news.md"));
    }
}
