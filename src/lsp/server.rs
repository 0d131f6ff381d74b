//! The protocol handlers. Each is thin: take the state lock, call the core,
//! convert.
//!
//! Ordering: tower-lsp-server runs handlers concurrently, so every
//! state-changing notification takes the write half of one fair (FIFO)
//! `tokio::sync::RwLock` as its very first await, and every request takes
//! the read half the same way. Lock order is therefore arrival order: an
//! edit is applied before any later edit, and a request sees every edit
//! sent before it. Diagnostics are queued for publishing while the write
//! lock is held, so they also leave in order.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, RwLock};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::convert::{self, name_of};
use super::document::OpenDocument;
use super::features;
use super::requests;
use super::state::State;
use crate::config::Config;
use crate::workspace::{discover, FileId};

type Outgoing = (Uri, Vec<Diagnostic>, Option<i32>);

pub struct Backend {
    client: Client,
    state: Arc<RwLock<State>>,
    publish: mpsc::UnboundedSender<Outgoing>,
    shutdown: Arc<AtomicBool>,
    capabilities: std::sync::Mutex<ClientCapabilities>,
}

impl Backend {
    pub fn new(client: Client, shutdown: Arc<AtomicBool>) -> Backend {
        let (publish, mut queue) = mpsc::unbounded_channel::<Outgoing>();
        let publisher = client.clone();
        tokio::spawn(async move {
            while let Some((uri, diagnostics, version)) = queue.recv().await {
                publisher.publish_diagnostics(uri, diagnostics, version).await;
            }
        });
        Backend {
            client,
            state: Arc::new(RwLock::new(State::default())),
            publish,
            shutdown,
            capabilities: Default::default(),
        }
    }

    /// Runs a state change under the write lock, then queues the
    /// diagnostics that changed. `change` returns the affected files and
    /// the names of files that left the workspace.
    async fn write<F>(&self, what: &str, change: F)
    where
        F: FnOnce(&mut State) -> (std::collections::BTreeSet<FileId>, Vec<String>, Vec<String>),
    {
        let mut state = self.state.write().await;
        let result = tokio::task::block_in_place(|| {
            catch_unwind(AssertUnwindSafe(|| {
                let (affected, _removed, problems) = change(&mut state);
                (self.queue_changed(&mut state, &affected), problems)
            }))
        });
        let refresh = state.features.refresh;
        let pull = state.features.pull_diagnostics;
        drop(state);
        if matches!(result, Ok((changed, _)) if changed > 0) {
            self.refresh_views(refresh, pull);
        }
        match result {
            Ok((_, problems)) => {
                for problem in problems {
                    self.client.log_message(MessageType::WARNING, problem).await;
                }
            }
            Err(panic) => {
                let message = format!("newsmark: internal error while handling {what}: {}", panic_message(&panic));
                self.client.log_message(MessageType::ERROR, message).await;
            }
        }
    }

    /// Queues publishDiagnostics for the files whose diagnostics changed.
    fn queue_changed(&self, state: &mut State, affected: &std::collections::BTreeSet<FileId>) -> usize {
        let changed = state.changed_diagnostics(affected);
        let count = changed.len();
        for (name, _) in &changed {
            let gone = state.workspace.file_id(name).is_none();
            state.features.diagnostics_changed(name, gone);
        }
        // A client that pulls diagnostics is never pushed any.
        if state.features.pull_diagnostics {
            return count;
        }
        for (name, diagnostics) in changed {
            let Some(uri) = convert::uri_of(&name) else { continue };
            let version = state.documents.get(&name).map(|d| d.version);
            let _ = self.publish.send((uri, diagnostics, version));
        }
        count
    }

    /// Runs a request against the current state; a panic becomes an
    /// internal error for this request only.
    async fn read<T>(&self, what: &str, request: impl FnOnce(&State) -> T) -> Result<T> {
        let state = self.state.read().await;
        catch_unwind(AssertUnwindSafe(|| request(&state))).map_err(|panic| {
            let mut error = Error::internal_error();
            error.message = format!("newsmark: {what} failed: {}", panic_message(&panic)).into();
            error
        })
    }

    /// Findings changed somewhere: hints, lenses and pulled diagnostics of
    /// other files may be stale. Not awaited: the answers come when they come.
    fn refresh_views(&self, refresh: features::RefreshSupport, pull: bool) {
        let client = self.client.clone();
        tokio::spawn(async move {
            let wait = Duration::from_secs(10);
            if refresh.inlay_hints {
                let _ = tokio::time::timeout(wait, client.inlay_hint_refresh()).await;
            }
            if refresh.code_lenses {
                let _ = tokio::time::timeout(wait, client.code_lens_refresh()).await;
            }
            if pull && refresh.diagnostics {
                let _ = tokio::time::timeout(wait, client.workspace_diagnostic_refresh()).await;
            }
        });
    }

    async fn index_workspace(&self) {
        let progress_supported = self
            .capabilities
            .lock()
            .map(|c| c.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false))
            .unwrap_or(false);
        let mut state = self.state.write().await;
        let progress = if progress_supported {
            let token = NumberOrString::String("newsmark/indexing".to_string());
            // A client that never answers must not stall indexing.
            match tokio::time::timeout(Duration::from_secs(2), self.client.create_work_done_progress(token.clone()))
                .await
            {
                Ok(Ok(())) => Some(
                    self.client
                        .progress(token, "Newsmark")
                        .with_message("indexing articles")
                        .with_percentage(0)
                        .begin()
                        .await,
                ),
                _ => None,
            }
        } else {
            None
        };
        let result = tokio::task::block_in_place(|| {
            catch_unwind(AssertUnwindSafe(|| {
                let problems = state.index_roots();
                let all = state.all_files();
                let files = all.len();
                (problems, files)
            }))
        });
        let (problems, files) = match result {
            Ok(r) => r,
            Err(panic) => (vec![format!("indexing failed: {}", panic_message(&panic))], 0),
        };
        if let Some(progress) = &progress {
            progress.report_with_message(format!("checking {files} articles"), 50).await;
        }
        let all = state.all_files();
        let _ = tokio::task::block_in_place(|| catch_unwind(AssertUnwindSafe(|| self.queue_changed(&mut state, &all))));
        drop(state);
        if let Some(progress) = progress {
            progress.finish_with_message(format!("{files} articles checked")).await;
        }
        for problem in problems {
            self.client.log_message(MessageType::WARNING, format!("newsmark: {problem}")).await;
        }
    }

    async fn register_watchers(&self) {
        let dynamic = self
            .capabilities
            .lock()
            .ok()
            .and_then(|c| c.workspace.as_ref()?.did_change_watched_files.as_ref()?.dynamic_registration)
            .unwrap_or(false);
        if !dynamic {
            return;
        }
        let watchers = ["**/*.news.md", "**/newsmark.toml", "**/.newsmarkignore", "**/.gitignore"]
            .into_iter()
            .map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.to_string()), kind: None })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: "newsmark-watched-files".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        let client = self.client.clone();
        // Not awaited under any lock: the answer comes whenever it comes.
        tokio::spawn(async move {
            let _ = tokio::time::timeout(Duration::from_secs(10), client.register_capability(vec![registration])).await;
        });
    }
}

/// A request that panics inside the guarded handler path, so tests can prove
/// that a failing request does not take the server down. It only panics when
/// the server was started with `NEWSMARK_ALLOW_DEBUG_PANIC=1`.
pub const DEBUG_PANIC_METHOD: &str = "newsmark/debugPanic";

impl Backend {
    pub async fn debug_panic(&self) -> Result<()> {
        let allowed = std::env::var_os("NEWSMARK_ALLOW_DEBUG_PANIC").is_some_and(|v| v == "1");
        self.read("debugPanic", |_| {
            if allowed {
                panic!("debug panic requested");
            }
        })
        .await?;
        Err(Error::method_not_found())
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
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

pub fn server_capabilities(encoding: crate::line_index::Encoding) -> ServerCapabilities {
    let mut capabilities = ServerCapabilities {
        position_encoding: Some(convert::encoding_kind(encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["@".to_string(), "=".to_string()]),
            ..Default::default()
        }),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..Default::default()
        })),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..Default::default()
    };
    features::add_capabilities(&mut capabilities);
    capabilities
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let mut state = self.state.write().await;
        state.encoding = convert::negotiate_encoding(&params);
        state.roots = roots_of(&params);
        state.definition_links = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.definition.as_ref()?.link_support)
            .unwrap_or(false);
        state.features = features::FeatureState::from_capabilities(&params.capabilities);
        if let Some(options) = &params.initialization_options {
            let (options, inlay_hints) = features::split_settings(options);
            state.features.inlay_hints = inlay_hints.unwrap_or_default();
            match Config::from_json(&options) {
                Ok(raw) => state.client_settings = raw,
                Err(e) => {
                    let message = format!("newsmark: ignoring initializationOptions: {e}");
                    self.client.log_message(MessageType::WARNING, message).await;
                }
            }
        }
        if let Ok(mut capabilities) = self.capabilities.lock() {
            *capabilities = params.capabilities.clone();
        }
        let mut capabilities = server_capabilities(state.encoding);
        features::add_pull_capability(&mut capabilities, &state.features);
        Ok(InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "newsmark".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.register_watchers().await;
        self.index_workspace().await;
    }

    async fn shutdown(&self) -> Result<()> {
        self.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let name = name_of(&doc.uri);
        self.write("didOpen", |state| {
            state.documents.insert(name.clone(), OpenDocument::new(&doc.text, doc.version));
            (state.set_text(&name, doc.text), vec![], vec![])
        })
        .await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let name = name_of(&params.text_document.uri);
        let version = params.text_document.version;
        self.write("didChange", |state| {
            let encoding = state.encoding;
            let Some(doc) = state.documents.get_mut(&name) else {
                return (
                    Default::default(),
                    vec![],
                    vec![format!("newsmark: didChange for {name}, which is not open; ignored")],
                );
            };
            if version <= doc.version {
                let problem = format!(
                    "newsmark: didChange for {name} with version {version}, not after {}; ignored",
                    doc.version
                );
                return (Default::default(), vec![], vec![problem]);
            }
            doc.apply(&params.content_changes, encoding);
            doc.version = version;
            let text = doc.text();
            (state.set_text(&name, text), vec![], vec![])
        })
        .await;
    }

    async fn did_save(&self, _: DidSaveTextDocumentParams) {
        // The buffer already was the truth; saving changes nothing we check.
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let name = name_of(&params.text_document.uri);
        self.write("didClose", |state| {
            if state.documents.remove(&name).is_none() {
                return (Default::default(), vec![], vec![]);
            }
            let affected = state.revert_to_disk(&name);
            (affected, vec![name.clone()], vec![])
        })
        .await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        self.write("didChangeWatchedFiles", |state| {
            let mut affected = std::collections::BTreeSet::new();
            let mut removed = Vec::new();
            let mut config_changed = false;
            for event in &params.changes {
                let name = name_of(&event.uri);
                let path = std::path::Path::new(&name);
                if !state.is_inside_roots(path) {
                    continue;
                }
                let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if matches!(file_name, "newsmark.toml" | ".newsmarkignore" | ".gitignore") {
                    config_changed = true;
                    continue;
                }
                if !discover::is_article_path(path) || state.documents.contains_key(&name) {
                    continue;
                }
                if event.typ == FileChangeType::DELETED {
                    affected.extend(state.workspace.remove_file(&name));
                    removed.push(name);
                } else {
                    match discover::read_file(path) {
                        Ok(text) => affected.extend(state.set_text(&name, text)),
                        Err(_) => {
                            affected.extend(state.workspace.remove_file(&name));
                            removed.push(name);
                        }
                    }
                }
            }
            let mut problems = Vec::new();
            if config_changed {
                problems = state.index_roots();
                affected = state.all_files();
            }
            (affected, removed, problems)
        })
        .await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let settings = params.settings.get("newsmark").cloned().unwrap_or(params.settings);
        self.write("didChangeConfiguration", |state| {
            if settings.is_null() {
                return (Default::default(), vec![], vec![]);
            }
            let (settings, inlay_hints) = features::split_settings(&settings);
            state.features.inlay_hints = inlay_hints.unwrap_or_default();
            match Config::from_json(&settings) {
                Ok(raw) => {
                    state.client_settings = raw;
                    let problems = state.reload_config();
                    (state.all_files(), vec![], problems)
                }
                Err(e) => (Default::default(), vec![], vec![format!("newsmark: ignoring settings: {e}")]),
            }
        })
        .await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        self.write("didChangeWorkspaceFolders", |state| {
            for removed in &params.event.removed {
                if let Some(path) = removed.uri.to_file_path() {
                    state.roots.retain(|r| r != path.as_ref());
                }
            }
            for added in &params.event.added {
                if let Some(path) = added.uri.to_file_path() {
                    state.roots.push(path.into_owned());
                }
            }
            let problems = state.index_roots();
            (state.all_files(), vec![], problems)
        })
        .await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        self.read("hover", |state| requests::hover(state, params)).await
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        self.read("definition", |state| requests::definition(state, params)).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        self.read("references", |state| requests::references(state, params)).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        self.read("completion", |state| requests::completion(state, params)).await
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        self.read("prepareRename", |state| requests::prepare_rename(state, params)).await?
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        self.read("rename", |state| requests::rename(state, params)).await?
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        self.read("documentSymbol", |state| requests::document_symbols(state, params)).await
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        self.read("workspaceSymbol", |state| requests::workspace_symbols(state, params)).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.read("codeAction", |state| requests::code_actions(state, params)).await
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        self.read("semanticTokens", |state| features::semantic_tokens_full(state, params)).await
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        self.read("semanticTokens/delta", |state| features::semantic_tokens_delta(state, params)).await
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        self.read("semanticTokens/range", |state| features::semantic_tokens_range(state, params)).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        self.read("inlayHint", |state| features::inlay_hints(state, params)).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        self.read("codeLens", |state| features::code_lenses(state, params)).await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        self.read("documentLink", |state| features::document_links(state, params)).await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.read("foldingRange", |state| features::folding_ranges(state, params)).await
    }

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        self.read("documentHighlight", |state| features::document_highlights(state, params)).await
    }

    async fn selection_range(&self, params: SelectionRangeParams) -> Result<Option<Vec<SelectionRange>>> {
        self.read("selectionRange", |state| features::selection_ranges(state, params)).await
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        self.read("diagnostic", |state| features::document_diagnostic(state, params)).await
    }

    async fn workspace_diagnostic(&self, params: WorkspaceDiagnosticParams) -> Result<WorkspaceDiagnosticReportResult> {
        self.read("workspace/diagnostic", |state| features::workspace_diagnostic(state, params)).await
    }
}
