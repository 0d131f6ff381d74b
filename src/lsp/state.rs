//! The server's state: the analysis host plus what only the protocol
//! needs (open buffers as ropes, the position encoding, what the client was
//! sent). The event loop (`event_loop.rs`) owns it and changes it in order;
//! requests read a snapshot of it (`Arc<State>`, cloned on write: a change
//! copies only what a running request still holds).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use crate::checks;
use crate::host::{AnalysisHost, HostFile};
use crate::line_index::Encoding;

use tower_lsp_server::ls_types as lsp;

use super::convert;
use super::document::OpenDocument;
use super::publish::{Basis, Sent};

#[derive(Clone, Default)]
pub struct State {
    pub host: AnalysisHost,
    pub documents: HashMap<String, OpenDocument>,
    pub encoding: Encoding,
    /// What the client was sent; shared with snapshots, copied on write.
    published: Arc<Published>,
    /// The client takes `LocationLink`s for definitions.
    pub definition_links: bool,
    /// Inlay hint settings, pull diagnostics, token deltas (`features.rs`).
    pub features: super::features::FeatureState,
    /// The URIs the client opened documents by, where they differ from
    /// the workspace's name (a link, the folder's real path).
    pub client_uris: HashMap<String, lsp::Uri>,
    /// `initialize` was handled: notifications before it are dropped.
    pub initialized: bool,
    /// The client shows `$/progress` (`window.workDoneProgress`).
    pub work_done_progress: bool,
    /// The client lets us register file watchers.
    pub watch_files_dynamic: bool,
    /// A change may have removed files since the last look for shown
    /// files that left (a batch that panicked half way).
    look_for_gone: bool,
}

#[derive(Clone, Default)]
struct Published {
    /// What the client holds for each file (no entry: nothing), to
    /// publish only changes, and to clear files that leave the workspace;
    /// with its JSON, to send it again cheaply (`publish.rs`).
    diagnostics: HashMap<String, Arc<Sent>>,
    /// For each file, the files whose published related information points
    /// into it: they move when its lines move.
    referred_by: HashMap<String, BTreeSet<String>>,
}

/// Requests read the host's projects through the state (`state.locate(name)`).
impl std::ops::Deref for State {
    type Target = AnalysisHost;
    fn deref(&self) -> &AnalysisHost {
        &self.host
    }
}

impl State {
    /// The next change looks for shown files that left, whatever it did.
    pub fn shown_may_be_gone(&mut self) {
        self.look_for_gone = true;
    }

    /// The workspace's name for a document (see `AnalysisHost::name_for`).
    pub fn name_of(&self, uri: &lsp::Uri) -> String {
        let name = convert::name_of(uri);
        let path = std::path::Path::new(&name);
        if path.is_absolute() {
            self.host.name_for(path)
        } else {
            name
        }
    }

    /// Forgets what `name` was sent, so that it is sent again (to another
    /// URI: the document was opened or closed by another spelling).
    pub fn resend(&mut self, name: &str) {
        self.record_published(name, None);
    }

    /// Where the client sees the file `name`: the URI it opened it by,
    /// else the file's own.
    pub fn uri_of(&self, name: &str) -> Option<lsp::Uri> {
        self.client_uris.get(name).cloned().or_else(|| convert::uri_of(name))
    }

    /// Diagnostics for the given files that differ from what was last
    /// sent, converted to what the client sees: positions, not bytes, so an
    /// edit that keeps every byte offset but moves lines is re-published,
    /// and so is every file whose related information points into a file
    /// that changed. Files that were published but are no longer in the
    /// workspace get an empty list once: they are looked for unless the
    /// change is known to have kept every file (`members_kept`, a new text
    /// for a file already held: the keystroke path), which spares a lookup
    /// of every shown file per keystroke.
    pub fn changed_diagnostics(&mut self, files: &BTreeSet<HostFile>, members_kept: bool) -> Vec<(String, Arc<Sent>)> {
        let mut files = files.clone();
        for &file in files.clone().iter() {
            let Some(entry) = self.host.entry(file) else { continue };
            for referring in self.published.referred_by.get(&entry.name).into_iter().flatten() {
                files.extend(self.host.file_id(referring));
            }
        }
        let host = &self.host;
        let encoding = self.encoding;
        let published = &self.published;
        let computed: Vec<(String, Option<Sent>)> = files
            .par_iter()
            .filter_map(|&file| {
                let workspace = host.workspace(file.project)?;
                let entry = workspace.file(file.file)?;
                let mut uris = convert::Uris::default();
                let findings = checks::file_diagnostics(workspace, file.file);
                let basis = Basis { file: file.file, text: entry.text.clone(), findings };
                let old = published.diagnostics.get(&entry.name).map(|s| &**s);
                let known = entry.last_change.as_ref();
                let sent =
                    Sent::update(old, basis, known, |d| convert::diagnostic(workspace, entry, d, encoding, &mut uris));
                Some((entry.name.clone(), sent))
            })
            .collect();
        let mut out = Vec::new();
        for (name, sent) in computed {
            let Some(sent) = sent else { continue };
            let sent = Arc::new(sent);
            self.record_published(&name, Some(sent.clone()));
            out.push((name, sent));
        }
        if members_kept && !self.look_for_gone {
            return out;
        }
        self.look_for_gone = false;
        let gone: Vec<String> =
            self.published.diagnostics.keys().filter(|name| self.host.file_id(name).is_none()).cloned().collect();
        for name in gone {
            self.record_published(&name, None);
            out.push((name, Arc::new(Sent::default())));
        }
        out
    }

    /// What the client was last sent for a file, in LSP terms (what a pull
    /// answers); `None` when nothing or nothing yet.
    pub fn last_diagnostics(&self, name: &str) -> Option<&[Arc<lsp::Diagnostic>]> {
        self.published.diagnostics.get(name).map(|s| &s.diagnostics[..])
    }

    /// Notes what the client now holds for `name`, and which files its
    /// related information points into.
    /// `None`: the file left the workspace (its empty list is being sent).
    fn record_published(&mut self, name: &str, sent: Option<Arc<Sent>>) {
        let published = Arc::make_mut(&mut self.published);
        if let Some(old) = published.diagnostics.remove(name) {
            for target in &old.targets {
                if let Some(referring) = published.referred_by.get_mut(target) {
                    referring.remove(name);
                    if referring.is_empty() {
                        published.referred_by.remove(target);
                    }
                }
            }
            // Freeing a big file's findings (hundreds of thousands of
            // strings) is no part of answering the keystroke.
            rayon::spawn(move || drop(old));
        }
        let Some(sent) = sent else { return };
        for target in &sent.targets {
            published.referred_by.entry(target.clone()).or_default().insert(name.to_string());
        }
        published.diagnostics.insert(name.to_string(), sent);
    }
}
