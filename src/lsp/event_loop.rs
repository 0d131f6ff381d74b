//! The event loop: one task applies every state-changing notification in
//! arrival order (see `ordered.rs`), then publishes what changed. Requests
//! never wait for it beyond the events sent before them: they read
//! snapshots ([`Snapshots`]).
//!
//! Snapshots are copy-on-write: the loop owns the one `Arc<State>`; before
//! a change it takes it back, and mutates it in place when no request
//! holds it, or a copy when one does (the request keeps its consistent,
//! older view; the copy shares every file's text and analysis).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot, watch};
use tower_lsp_server::ls_types::*;

use super::convert;
use super::document::OpenDocument;
use super::features;
use super::server::{panic_message, Outgoing};
use super::state::State;
use crate::config::Config;
use crate::host::{Affected, Change};

pub enum Event {
    Initialize(Box<InitializeParams>, oneshot::Sender<InitializeResult>),
    Initialized,
    Open(DidOpenTextDocumentParams),
    Change(DidChangeTextDocumentParams),
    Close(DidCloseTextDocumentParams),
    WatchedFiles(DidChangeWatchedFilesParams),
    Configuration(DidChangeConfigurationParams),
    Folders(DidChangeWorkspaceFoldersParams),
}

/// The state as of the last applied event, for requests.
pub struct Snapshots {
    current: Mutex<Option<Arc<State>>>,
    /// How many events are applied (the loop sends after each).
    applied: watch::Sender<u64>,
    /// The last event that changed a buffer's text: results computed on an
    /// older snapshot are stale (positions moved).
    last_text_change: AtomicU64,
}

impl Snapshots {
    pub fn new() -> Snapshots {
        Snapshots {
            current: Mutex::new(Some(Arc::new(State::default()))),
            applied: watch::channel(0).0,
            last_text_change: AtomicU64::new(0),
        }
    }

    /// The state with at least `events` events applied; waits for the loop
    /// if need be.
    pub async fn at_least(&self, events: u64) -> (u64, Arc<State>) {
        let mut applied = self.applied.subscribe();
        loop {
            let seq = *applied.borrow_and_update();
            if seq >= events {
                if let Some(state) = self.current.lock().ok().and_then(|c| c.clone()) {
                    return (seq, state);
                }
            }
            // The loop is applying an event (or more must be applied).
            if applied.changed().await.is_err() {
                return (seq, Arc::new(State::default()));
            }
        }
    }

    /// Whether a buffer changed after the snapshot of `seq` was taken.
    pub fn is_stale(&self, seq: u64) -> bool {
        self.last_text_change.load(Ordering::SeqCst) > seq
    }

    /// Takes the state out to change it: the same `Arc` when nobody else
    /// holds it, a copy otherwise (the snapshot stays readable meanwhile).
    fn take(&self) -> State {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        let state = current.take().unwrap_or_default();
        match Arc::try_unwrap(state) {
            Ok(state) => state,
            Err(shared) => {
                let copy = (*shared).clone();
                *current = Some(shared);
                copy
            }
        }
    }

    fn put(&self, state: State, seq: u64, text_changed: bool) {
        if text_changed {
            self.last_text_change.store(seq, Ordering::SeqCst);
        }
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(state));
        self.applied.send_replace(seq);
    }
}

/// Runs the loop until the channel closes.
pub async fn run(
    mut events: mpsc::UnboundedReceiver<Event>,
    snapshots: Arc<Snapshots>,
    out: mpsc::UnboundedSender<Outgoing>,
    progress: mpsc::UnboundedSender<Progress>,
) {
    let mut seq = 0u64;
    let mut pending: Option<Event> = None;
    // The URI each file's diagnostics went to last: when a document opened
    // by another spelling (a link) takes them over, the old URI is cleared.
    let mut sent_to: std::collections::HashMap<String, Uri> = Default::default();
    loop {
        let event = match pending.take() {
            Some(event) => event,
            None => match events.recv().await {
                Some(event) => event,
                None => return,
            },
        };
        seq += 1;
        if matches!(event, Event::Initialized) {
            // Progress first, so the editor shows it while indexing runs;
            // a client that never answers delays indexing 2 s at most.
            let supported = snapshots.current.lock().ok().and_then(|c| c.clone()).is_some_and(|s| s.work_done_progress);
            let (begun, ack) = oneshot::channel();
            let _ = progress.send(Progress::Begin(supported, begun));
            let _ = tokio::time::timeout(Duration::from_secs(3), ack).await;
        }
        let mut state = snapshots.take();
        let text_changed = matches!(event, Event::Open(_) | Event::Change(_) | Event::Close(_));
        // Keystrokes queued behind each other in one document are applied
        // as one change: the analysis runs once for all of them.
        let mut batch = vec![event];
        if let Event::Change(first) = &batch[0] {
            let uri = first.text_document.uri.clone();
            while let Ok(next) = events.try_recv() {
                match next {
                    Event::Change(p) if p.text_document.uri == uri => {
                        seq += 1;
                        batch.push(Event::Change(p));
                    }
                    other => {
                        pending = Some(other);
                        break;
                    }
                }
            }
        }
        let result = tokio::task::block_in_place(|| {
            catch_unwind(AssertUnwindSafe(|| {
                let mut logs = Vec::new();
                let mut early = Vec::new();
                let mut affected = Affected { members_kept: true, ..Affected::default() };
                let mut indexed = None;
                for event in batch {
                    let step = apply(&mut state, event, &mut logs, &mut early, &mut indexed);
                    affected.extend(step);
                }
                let changed = state.changed_diagnostics(&affected.files, affected.members_kept);
                (early, changed, affected.problems, logs, indexed)
            }))
        });
        match result {
            Ok((early, changed, problems, logs, indexed)) => {
                for message in early {
                    let _ = out.send(message);
                }
                let any_changed = !changed.is_empty();
                for (name, diagnostics) in changed {
                    let gone = state.host.file_id(&name).is_none();
                    state.features.diagnostics_changed(&name, gone);
                    // A client that pulls diagnostics is never pushed any.
                    if state.features.pull_diagnostics {
                        continue;
                    }
                    let Some(uri) = state.uri_of(&name) else { continue };
                    if let Some(old) = sent_to.insert(name.clone(), uri.clone()).filter(|old| *old != uri) {
                        let _ = out.send(Outgoing::Diagnostics(old, Default::default(), None));
                    }
                    let version = state.documents.get(&name).map(|d| d.version);
                    let _ = out.send(Outgoing::Diagnostics(uri, diagnostics, version));
                }
                if any_changed {
                    let _ = out.send(Outgoing::Refresh(state.features.refresh, state.features.pull_diagnostics));
                }
                for problem in problems {
                    let _ = out.send(Outgoing::Log(MessageType::WARNING, format!("newsmark: {problem}")));
                }
                for (level, message) in logs {
                    let _ = out.send(Outgoing::Log(level, message));
                }
                if let Some(files) = indexed {
                    let _ = progress.send(Progress::Done(files));
                }
            }
            Err(panic) => {
                let message = format!("newsmark: internal error while applying a change: {}", panic_message(&panic));
                // Whatever the batch did before the panic, the next one
                // looks for shown files that left.
                state.shown_may_be_gone();
                let _ = out.send(Outgoing::Log(MessageType::ERROR, message));
            }
        }
        snapshots.put(state, seq, text_changed);
    }
}

/// Indexing progress, reported by a task of its own (the client answers
/// `window/workDoneProgress/create` whenever it likes; the loop never waits).
pub enum Progress {
    /// Whether the client shows progress; answered once it is shown (or not).
    Begin(bool, oneshot::Sender<()>),
    Done(usize),
}

pub async fn report_progress(client: tower_lsp_server::Client, mut progress: mpsc::UnboundedReceiver<Progress>) {
    while let Some(message) = progress.recv().await {
        let Progress::Begin(supported, shown) = message else { continue };
        let token = NumberOrString::String("newsmark/indexing".to_string());
        let created = supported
            && matches!(
                tokio::time::timeout(Duration::from_secs(2), client.create_work_done_progress(token.clone())).await,
                Ok(Ok(()))
            );
        let begun = if created {
            Some(client.progress(token, "Newsmark").with_message("indexing articles").begin().await)
        } else {
            None
        };
        let _ = shown.send(());
        while let Some(message) = progress.recv().await {
            if let Progress::Done(files) = message {
                if let Some(begun) = begun {
                    begun.finish_with_message(format!("{files} articles checked")).await;
                }
                break;
            }
        }
    }
}

type Logs = Vec<(MessageType, String)>;

fn apply(
    state: &mut State,
    event: Event,
    logs: &mut Logs,
    out: &mut Vec<Outgoing>,
    indexed: &mut Option<usize>,
) -> Affected {
    if let Event::Initialize(params, reply) = event {
        let _ = reply.send(initialize(state, *params, logs));
        return Affected::default();
    }
    if !state.initialized {
        return Affected::default();
    }
    match event {
        Event::Initialize(..) => Affected::default(),
        Event::Initialized => {
            if state.watch_files_dynamic {
                out.push(Outgoing::RegisterWatchers);
            }
            let affected = state.host.index_roots();
            *indexed = Some(affected.files.len());
            affected
        }
        Event::Open(params) => {
            let doc = params.text_document;
            let name = state.name_of(&doc.uri);
            if convert::uri_of(&name).as_ref() != Some(&doc.uri) {
                state.client_uris.insert(name.clone(), doc.uri.clone());
                state.resend(&name);
            }
            let text: Arc<str> = Arc::from(doc.text);
            state.documents.insert(name.clone(), OpenDocument::new(text.clone(), doc.version));
            // The host opens the document's project when no folder brought
            // it (a file opened with no workspace folder, or outside them).
            state.host.apply_change(Change::Buffer { name, text, known: None })
        }
        Event::Change(params) => {
            let name = state.name_of(&params.text_document.uri);
            let version = params.text_document.version;
            let encoding = state.encoding;
            let Some(doc) = state.documents.get_mut(&name) else {
                logs.push((
                    MessageType::WARNING,
                    format!("newsmark: didChange for {name}, which is not open; ignored"),
                ));
                return Affected::default();
            };
            if version <= doc.version {
                let problem = format!(
                    "newsmark: didChange for {name} with version {version}, not after {}; ignored",
                    doc.version
                );
                logs.push((MessageType::WARNING, problem));
                return Affected::default();
            }
            doc.apply(&params.content_changes, encoding);
            doc.version = version;
            let (text, known) = doc.shared_text();
            state.host.apply_change(Change::Buffer { name, text, known })
        }
        Event::Close(params) => {
            let name = state.name_of(&params.text_document.uri);
            if state.documents.remove(&name).is_none() {
                return Affected::default();
            }
            if state.client_uris.remove(&name).is_some() {
                state.resend(&name);
            }
            state.host.apply_change(Change::CloseBuffer { name })
        }
        Event::WatchedFiles(params) => {
            let mut affected = Affected::default();
            let mut settings_changed = false;
            for event in &params.changes {
                let name = state.name_of(&event.uri);
                let path = std::path::Path::new(&name);
                if state.host.is_settings_path(path) {
                    settings_changed = true;
                    continue;
                }
                let step = state.host.apply_change(Change::Disk { name });
                affected.files.extend(step.files);
                affected.problems.extend(step.problems);
            }
            if settings_changed {
                affected = state.host.apply_change(Change::SettingsFiles);
            }
            affected
        }
        Event::Configuration(params) => {
            let settings = params.settings.get("newsmark").cloned().unwrap_or(params.settings);
            if settings.is_null() {
                return Affected::default();
            }
            let (settings, inlay_hints) = features::split_settings(&settings);
            state.features.inlay_hints = inlay_hints.unwrap_or_default();
            match Config::from_json(&settings) {
                Ok(raw) => state.host.apply_change(Change::ClientSettings(raw)),
                Err(e) => {
                    logs.push((MessageType::WARNING, format!("newsmark: ignoring settings: {e}")));
                    Affected::default()
                }
            }
        }
        Event::Folders(params) => {
            let mut roots = state.roots.clone();
            for removed in &params.event.removed {
                if let Some(path) = removed.uri.to_file_path() {
                    roots.retain(|r| r != path.as_ref());
                }
            }
            for added in &params.event.added {
                if let Some(path) = added.uri.to_file_path() {
                    roots.push(path.into_owned());
                }
            }
            state.host.apply_change(Change::Roots(roots))
        }
    }
}

fn initialize(state: &mut State, params: InitializeParams, logs: &mut Logs) -> InitializeResult {
    state.initialized = true;
    state.encoding = convert::negotiate_encoding(&params);
    state.host.roots = roots_of(&params);
    state.definition_links =
        params.capabilities.text_document.as_ref().and_then(|t| t.definition.as_ref()?.link_support).unwrap_or(false);
    state.features = features::FeatureState::from_capabilities(&params.capabilities);
    state.work_done_progress = params.capabilities.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false);
    state.watch_files_dynamic = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref()?.dynamic_registration)
        .unwrap_or(false);
    if let Some(options) = &params.initialization_options {
        let (options, inlay_hints) = features::split_settings(options);
        state.features.inlay_hints = inlay_hints.unwrap_or_default();
        match Config::from_json(&options) {
            Ok(raw) => state.host.client_settings = raw,
            Err(e) => logs.push((MessageType::WARNING, format!("newsmark: ignoring initializationOptions: {e}"))),
        }
    }
    let mut capabilities = super::server::server_capabilities(state.encoding);
    features::add_pull_capability(&mut capabilities, &state.features);
    InitializeResult {
        capabilities,
        server_info: Some(ServerInfo {
            name: "newsmark".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        offset_encoding: None,
    }
}

fn roots_of(params: &InitializeParams) -> Vec<std::path::PathBuf> {
    let mut roots: Vec<std::path::PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
        .collect();
    #[allow(deprecated)]
    if roots.is_empty() {
        if let Some(path) = params.root_uri.as_ref().and_then(|u| u.to_file_path()) {
            roots.push(path.into_owned());
        }
    }
    roots
}
