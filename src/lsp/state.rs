//! The server's state and every change to it. Only the ordered writer
//! (see `server.rs`) calls the `&mut self` methods; requests read through
//! a shared lock, so they see one consistent workspace.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::checks;
use crate::config::{Config, RawConfig};
use crate::diagnostic::Diagnostic;
use crate::line_index::Encoding;
use crate::workspace::{discover, FileId, Workspace};

use super::document::OpenDocument;

#[derive(Default)]
pub struct State {
    pub workspace: Workspace,
    pub documents: HashMap<String, OpenDocument>,
    pub encoding: Encoding,
    pub roots: Vec<PathBuf>,
    /// Editor settings (initializationOptions, didChangeConfiguration).
    pub client_settings: RawConfig,
    /// What was last published for each file, to publish only changes.
    published: HashMap<String, Vec<Diagnostic>>,
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

    /// Diagnostics for the given files that differ from what was last sent;
    /// files that left the workspace get an empty list once.
    pub fn changed_diagnostics(
        &mut self,
        files: &BTreeSet<FileId>,
        removed: &[String],
    ) -> Vec<(String, Vec<Diagnostic>)> {
        let workspace = &self.workspace;
        let computed: Vec<(String, Vec<Diagnostic>)> = files
            .par_iter()
            .filter_map(|&file| Some((workspace.file(file)?.name.clone(), checks::file_diagnostics(workspace, file))))
            .collect();
        let mut out = Vec::new();
        for (name, diagnostics) in computed {
            if self.published.get(&name) != Some(&diagnostics) {
                self.published.insert(name.clone(), diagnostics.clone());
                out.push((name, diagnostics));
            }
        }
        for name in removed {
            if self.workspace.file_id(name).is_none() && self.published.remove(name).is_some() {
                out.push((name.clone(), Vec::new()));
            }
        }
        out
    }

    /// The diagnostics last computed for a file (what a pull answers).
    pub fn last_diagnostics(&self, name: &str) -> Option<&Vec<Diagnostic>> {
        self.published.get(name)
    }

    pub fn all_files(&self) -> BTreeSet<FileId> {
        self.workspace.file_ids().collect()
    }

    /// Forget what was published, so the next round sends everything.
    pub fn forget_published(&mut self) -> Vec<String> {
        self.published.drain().map(|(name, _)| name).collect()
    }
}
