//! The protocol handlers. Notifications never get here: `ordered.rs`
//! turns them into events for the event loop (`event_loop.rs`) at arrival.
//! Requests run on a snapshot with every event sent before them applied,
//! on a blocking thread; the answer of a request whose snapshot went stale
//! while it ran (a buffer changed) is dropped with `ContentModified`
//! (-32801); `$/cancelRequest` aborts a request still waiting or running
//! (-32800); a request that panics answers an internal error and nothing
//! else is affected.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot, watch};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::convert;
use super::event_loop::{self, Event, Progress, Snapshots};
use super::features;
use super::ordered::{Shared, EVENTS_BEFORE};
use super::publish::Sent;
use super::requests;
use super::state::State;
use super::transport::{Prepared, PreparedFrame};

/// What the event loop sends the client, in order, from one task.
pub enum Outgoing {
    /// A file's whole list (the protocol has no deltas), with its JSON.
    Diagnostics(Uri, Arc<Sent>, Option<i32>),
    Log(MessageType, String),
    /// Findings changed: views that show them may be stale.
    Refresh(features::RefreshSupport, bool),
    RegisterWatchers,
}

pub struct Backend {
    shared: Arc<Shared>,
    snapshots: Arc<Snapshots>,
    /// True once the input closed: waiting requests give up.
    closing: watch::Receiver<bool>,
}

impl Backend {
    pub fn new(
        client: Client,
        shared: Arc<Shared>,
        events: mpsc::UnboundedReceiver<Event>,
        closing: watch::Receiver<bool>,
        frames: Arc<Prepared>,
    ) -> Backend {
        let snapshots = Arc::new(Snapshots::new());
        let (out, mut queue) = mpsc::unbounded_channel::<Outgoing>();
        let (progress, progress_queue) = mpsc::unbounded_channel::<Progress>();
        tokio::spawn(event_loop::run(events, snapshots.clone(), out, progress));
        tokio::spawn(event_loop::report_progress(client.clone(), progress_queue));
        let publisher = client;
        tokio::spawn(async move {
            while let Some(message) = queue.recv().await {
                match message {
                    Outgoing::Diagnostics(uri, sent, version) => {
                        // Serialised here, sent in its place in the output
                        // (`transport::Prepared`): not through the client's
                        // `serde_json::Value`, seconds for a big file's list.
                        let frame = frames.add(sent.notification(&uri, version));
                        publisher.send_notification::<PreparedFrame>(frame).await
                    }
                    Outgoing::Log(level, message) => publisher.log_message(level, message).await,
                    Outgoing::Refresh(refresh, pull) => refresh_views(&publisher, refresh, pull),
                    Outgoing::RegisterWatchers => register_watchers(&publisher),
                }
            }
        });
        Backend { shared, snapshots, closing }
    }

    /// Runs a request on a snapshot with every event sent before it
    /// applied, on a blocking thread (edits go on meanwhile).
    async fn read<T: Send + 'static>(
        &self,
        what: &'static str,
        request: impl FnOnce(&State) -> T + Send + 'static,
    ) -> Result<T> {
        let before = EVENTS_BEFORE.try_with(|n| *n).unwrap_or_else(|_| self.shared.sent());
        let mut closing = self.closing.clone();
        let (seq, state) = tokio::select! {
            snapshot = self.snapshots.at_least(before) => snapshot,
            _ = closing.wait_for(|closed| *closed) => return Err(Error::request_cancelled()),
        };
        let result = tokio::task::spawn_blocking(move || catch_unwind(AssertUnwindSafe(|| request(&state)))).await;
        match result {
            Ok(Ok(_)) if self.snapshots.is_stale(seq) => Err(Error {
                code: ErrorCode::ContentModified,
                message: format!("newsmark: the document changed while {what} ran").into(),
                data: None,
            }),
            Ok(Ok(value)) => Ok(value),
            Ok(Err(panic)) => {
                let mut error = Error::internal_error();
                error.message = format!("newsmark: {what} failed: {}", panic_message(&panic)).into();
                Err(error)
            }
            Err(e) => {
                let mut error = Error::internal_error();
                error.message = format!("newsmark: {what} failed: {e}").into();
                Err(error)
            }
        }
    }
}

/// Asks the client to watch the files that change the workspace. Not
/// awaited: the answer comes whenever it comes.
fn register_watchers(client: &Client) {
    let watchers = ["**/*.news.md", "**/newsmark.toml", "**/.newsmarkignore", "**/.gitignore", "**/.ignore"]
        .into_iter()
        .map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.to_string()), kind: None })
        .collect();
    let options = DidChangeWatchedFilesRegistrationOptions { watchers };
    let registration = Registration {
        id: "newsmark-watched-files".to_string(),
        method: "workspace/didChangeWatchedFiles".to_string(),
        register_options: serde_json::to_value(options).ok(),
    };
    let client = client.clone();
    tokio::spawn(async move {
        let _ = tokio::time::timeout(Duration::from_secs(10), client.register_capability(vec![registration])).await;
    });
}

/// Findings changed somewhere: hints, lenses and pulled diagnostics of
/// other files may be stale. Not awaited: the answers come when they come.
fn refresh_views(client: &Client, refresh: features::RefreshSupport, pull: bool) {
    let client = client.clone();
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

/// A request that panics inside the guarded handler path, so tests can prove
/// that a failing request does not take the server down. It only panics when
/// the server was started with `NEWSMARK_ALLOW_DEBUG_PANIC=1`.
pub const DEBUG_PANIC_METHOD: &str = "newsmark/debugPanic";

impl Backend {
    pub async fn debug_panic(&self) -> Result<()> {
        let allowed = std::env::var_os("NEWSMARK_ALLOW_DEBUG_PANIC").is_some_and(|v| v == "1");
        self.read("debugPanic", move |_| {
            if allowed {
                panic!("debug panic requested");
            }
        })
        .await?;
        Err(Error::method_not_found())
    }
}

pub fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
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
        let (reply, answer) = oneshot::channel();
        self.shared.send(Event::Initialize(Box::new(params), reply));
        answer.await.map_err(|_| Error::internal_error())
    }

    async fn initialized(&self, _: InitializedParams) {
        // Reached only when `ordered.rs` did not take the notification.
    }

    async fn shutdown(&self) -> Result<()> {
        // Recorded at arrival by `ordered.rs`, before anything can cancel this.
        Ok(())
    }

    async fn did_save(&self, _: DidSaveTextDocumentParams) {
        // The buffer already was the truth; the watched-file event that
        // follows a save says the disk changed.
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
