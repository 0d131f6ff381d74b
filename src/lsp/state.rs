//! The server's state and every change to it. Only the ordered writer
//! (see `server.rs`) calls the `&mut self` methods; requests read through
//! a shared lock, so they see one consistent workspace.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::checks;
use crate::config::{Config, RawConfig};
use crate::line_index::Encoding;
use crate::workspace::{discover, FileId, Workspace};

use tower_lsp_server::ls_types as lsp;

use super::convert;
use super::document::OpenDocument;

#[derive(Default)]
pub struct State {
    pub workspace: Workspace,
    pub documents: HashMap<String, OpenDocument>,
    pub encoding: Encoding,
    pub roots: Vec<PathBuf>,
    /// Editor settings (initializationOptions, didChangeConfiguration).
    pub client_settings: RawConfig,
    /// What the client holds for each file (no entry: nothing), to
    /// publish only changes, and to clear files that leave the workspace.
    published: HashMap<String, Vec<lsp::Diagnostic>>,
    /// For each file, the files whose published related information points
    /// into it: they move when its lines move.
    referred_by: HashMap<String, BTreeSet<String>>,
    /// The client takes `LocationLink`s for definitions.
    pub definition_links: bool,
    /// Inlay hint settings, pull diagnostics, token deltas (`features.rs`).
    pub features: super::features::FeatureState,
}

impl State {
    /// Editor settings first; a `newsmark.toml` at a root overrides them,
    /// so the editor agrees with `newsmark check` in CI.
    pub fn effective_config(&self) -> (Config, Vec<String>) {
        let mut problems = Vec::new();
        let mut config = match Config::default().merged(&self.client_settings) {
            Ok(c) => c,
            Err(e) => {
                problems.push(format!("editor settings: {e}"));
                Config::default()
            }
        };
        for root in &self.roots {
            let path = root.join(crate::config::CONFIG_FILE);
            if path.is_file() {
                if !discover::resolves_within(root, &path) {
                    problems.push(format!("{}: a link out of the workspace folder; not followed", path.display()));
                    break;
                }
                match std::fs::read_to_string(&path).map_err(|e| e.to_string()).and_then(|t| RawConfig::from_toml(&t)) {
                    Ok(raw) => match config.merged(&raw) {
                        Ok(c) => config = c,
                        Err(e) => problems.push(format!("{}: {e}", path.display())),
                    },
                    Err(e) => problems.push(format!("{}: {e}", path.display())),
                }
                break;
            }
        }
        (config, problems)
    }

    /// Reads every article under the roots. Open documents keep their text.
    pub fn index_roots(&mut self) -> Vec<String> {
        let (config, mut problems) = self.effective_config();
        let (mut files, found_problems) = discover::load(&self.roots, &config);
        problems.extend(found_problems);
        files.retain(|(name, _)| !self.documents.contains_key(name));
        files.extend(self.documents.iter().map(|(name, doc)| (name.clone(), doc.text())));
        // Path order, as `check` reads them: ids decide the order of findings.
        files.sort_by(|a, b| a.0.cmp(&b.0));
        self.workspace = Workspace::from_files(config, files);
        problems
    }

    pub fn reload_config(&mut self) -> Vec<String> {
        let (config, problems) = self.effective_config();
        self.workspace.set_config(config);
        problems
    }

    /// Inside a root, reached without following a symbolic link: the files
    /// the server may read from disk (the walker's rule, for watched-file
    /// events and closed documents too).
    pub fn is_inside_roots(&self, path: &Path) -> bool {
        self.roots.iter().any(|root| discover::is_within(root, path))
    }

    pub fn set_text(&mut self, name: &str, text: String) -> BTreeSet<FileId> {
        self.workspace.set_file(name, Arc::from(text))
    }

    /// After an editor closes a document, the file on disk is what counts
    /// again; a buffer that was never saved into the workspace leaves it.
    pub fn revert_to_disk(&mut self, name: &str) -> BTreeSet<FileId> {
        let path = Path::new(name);
        let on_disk = self.is_inside_roots(path) && discover::is_article_path(path);
        match on_disk.then(|| discover::read_file(path)) {
            Some(Ok(text)) => self.set_text(name, text),
            _ => self.workspace.remove_file(name),
        }
    }

    /// Diagnostics for the given files that differ from what was last
    /// sent, converted to what the client sees: positions, not bytes, so an
    /// edit that keeps every byte offset but moves lines is re-published,
    /// and so is every file whose related information points into a file
    /// that changed. Files that were published but are no longer in the
    /// workspace get an empty list once.
    pub fn changed_diagnostics(&mut self, files: &BTreeSet<FileId>) -> Vec<(String, Vec<lsp::Diagnostic>)> {
        let mut files = files.clone();
        for &file in files.clone().iter() {
            let Some(entry) = self.workspace.file(file) else { continue };
            for referring in self.referred_by.get(&entry.name).into_iter().flatten() {
                files.extend(self.workspace.file_id(referring));
            }
        }
        let workspace = &self.workspace;
        let encoding = self.encoding;
        let computed: Vec<(String, Vec<lsp::Diagnostic>)> = files
            .par_iter()
            .filter_map(|&file| {
                let entry = workspace.file(file)?;
                let diagnostics = checks::file_diagnostics(workspace, file)
                    .iter()
                    .map(|d| convert::diagnostic(workspace, entry, d, encoding))
                    .collect();
                Some((entry.name.clone(), diagnostics))
            })
            .collect();
        let mut out = Vec::new();
        for (name, diagnostics) in computed {
            if self.published.get(&name) != Some(&diagnostics) {
                self.record_published(&name, Some(&diagnostics));
                out.push((name, diagnostics));
            }
        }
        let gone: Vec<String> =
            self.published.keys().filter(|name| self.workspace.file_id(name).is_none()).cloned().collect();
        for name in gone {
            self.record_published(&name, None);
            out.push((name, Vec::new()));
        }
        out
    }

    /// What the client was last sent for a file, in LSP terms (what a pull
    /// answers); `None` when nothing or nothing yet.
    pub fn last_diagnostics(&self, name: &str) -> Option<&Vec<lsp::Diagnostic>> {
        self.published.get(name)
    }

    /// Notes what the client now holds for `name`, and which files its
    /// related information points into.
    /// `None`: the file left the workspace (its empty list is being sent).
    fn record_published(&mut self, name: &str, diagnostics: Option<&[lsp::Diagnostic]>) {
        if let Some(old) = self.published.remove(name) {
            for target in related_names(&old) {
                if let Some(referring) = self.referred_by.get_mut(&target) {
                    referring.remove(name);
                    if referring.is_empty() {
                        self.referred_by.remove(&target);
                    }
                }
            }
        }
        let Some(diagnostics) = diagnostics else { return };
        for target in related_names(diagnostics) {
            self.referred_by.entry(target).or_default().insert(name.to_string());
        }
        self.published.insert(name.to_string(), diagnostics.to_vec());
    }

    pub fn all_files(&self) -> BTreeSet<FileId> {
        self.workspace.file_ids().collect()
    }
}

/// The files (by workspace name) that related information points into.
fn related_names(diagnostics: &[lsp::Diagnostic]) -> BTreeSet<String> {
    diagnostics
        .iter()
        .flat_map(|d| d.related_information.iter().flatten())
        .map(|r| convert::name_of(&r.location.uri))
        .collect()
}
