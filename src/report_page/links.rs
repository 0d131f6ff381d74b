//! Links from the page to the files it reports on: relative to the folder
//! the page is written to, so the page and the workspace can move together.

use std::path::{Component, Path, PathBuf};

use super::escape::push_path_segment;
use crate::project;

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
        FileLinks { page_folder: project::absolute(&base.join(page_folder)), base: project::absolute(base) }
    }

    /// A percent-encoded relative URL from the page to `path` (a file name as
    /// the workspace holds it); None for names that are no paths (an
    /// editor's `untitled:` buffer never reaches here, but a URI might).
    pub fn href(&self, path: &str) -> Option<String> {
        if path.contains("://") {
            return None;
        }
        let target = project::absolute(&self.base.join(path));
        let relative = project::relative_to(&target, &self.page_folder);
        if relative.is_absolute() {
            return None;
        }
        let mut out = String::from("./");
        for (i, component) in relative.components().enumerate() {
            if i > 0 {
                out.push('/');
            }
            match component {
                Component::ParentDir => out.push_str(".."),
                other => push_path_segment(&mut out, &other.as_os_str().to_string_lossy()),
            }
        }
        Some(out)
    }
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
