//! Handlers for the editor features beyond the basics: inlay hints, code
//! lenses, document links, folding, highlights, selection ranges, semantic
//! tokens for a range and as deltas, and pull diagnostics. Each is thin:
//! LSP params in, one `ide` call, LSP result out (positions through
//! `convert`). Their per-client state lives in [`FeatureState`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tower_lsp_server::ls_types::*;

use super::convert;
use super::state::State;
use crate::base::TextRange;
use crate::ide;
use crate::workspace::{FileEntry, FileId, Workspace};

/// The client-side command a code lens runs: arguments are the standard
/// ones of VS Code's `editor.action.showReferences` — the document URI, the
/// lens position, and the locations — in their LSP (JSON) form. The VS Code
/// extension converts them and runs `editor.action.showReferences`; the
/// Neovim plugin puts them in the quickfix list (docs/editors.md).
pub const SHOW_REFERENCES: &str = "newsmark.showReferences";

/// What this server keeps per client for these features.
#[derive(Clone, Debug, Default)]
pub struct FeatureState {
    pub inlay_hints: ide::InlayHintConfig,
    /// The client pulls diagnostics (`textDocument/diagnostic`): nothing
    /// is pushed to it then. Only for a client that also takes
    /// `workspace/diagnostic/refresh`: an edit of one file changes the
    /// findings of others, and a client that cannot be asked to pull again
    /// would show them stale. Every other client is pushed diagnostics and
    /// is not offered pulling at all, so no client gets both.
    pub pull_diagnostics: bool,
    pub refresh: RefreshSupport,
    /// Result ids of the diagnostics last computed for each file.
    diagnostic_results: HashMap<String, u64>,
    next_result: u64,
    /// The last full or delta semantic tokens sent per document, for deltas.
    /// Shared (requests only read the state).
    tokens: Arc<Mutex<HashMap<String, (String, Vec<SemanticToken>)>>>,
    next_tokens: Arc<std::sync::atomic::AtomicU64>,
}

/// Which `workspace/*/refresh` requests the client understands.
#[derive(Clone, Copy, Debug, Default)]
pub struct RefreshSupport {
    pub inlay_hints: bool,
    pub code_lenses: bool,
    pub diagnostics: bool,
}

impl FeatureState {
    /// Reads what the client supports from its capabilities.
    pub fn from_capabilities(capabilities: &ClientCapabilities) -> FeatureState {
        let workspace = capabilities.workspace.as_ref();
        let refresh = RefreshSupport {
            inlay_hints: workspace.and_then(|w| w.inlay_hint.as_ref()?.refresh_support).unwrap_or(false),
            code_lenses: workspace.and_then(|w| w.code_lens.as_ref()?.refresh_support).unwrap_or(false),
            diagnostics: workspace.and_then(|w| w.diagnostics.as_ref()?.refresh_support).unwrap_or(false),
        };
        let pulls = capabilities.text_document.as_ref().is_some_and(|t| t.diagnostic.is_some());
        FeatureState { pull_diagnostics: pulls && refresh.diagnostics, refresh, ..FeatureState::default() }
    }

    /// Records that a file's diagnostics changed (or that it left the
    /// workspace), so a pull with the old result id gets the new report.
    pub fn diagnostics_changed(&mut self, name: &str, removed: bool) {
        if removed {
            self.diagnostic_results.remove(name);
        } else {
            self.next_result += 1;
            self.diagnostic_results.insert(name.to_string(), self.next_result);
        }
    }

    fn result_id(&self, name: &str) -> Option<String> {
        self.diagnostic_results.get(name).map(|id| id.to_string())
    }
}

/// Splits the editor's settings into what `newsmark.toml` also holds (for
/// `Config`) and the editor-only keys read here: `inlayHints.figures`,
/// `inlayHints.speakers` (both default true).
pub fn split_settings(settings: &Value) -> (Value, Option<ide::InlayHintConfig>) {
    let Value::Object(map) = settings else { return (settings.clone(), None) };
    let mut rest = map.clone();
    let hints = rest.remove("inlayHints").map(|value| {
        let flag = |key: &str| value.get(key).and_then(Value::as_bool).unwrap_or(true);
        ide::InlayHintConfig { figures: flag("figures"), speakers: flag("speakers") }
    });
    (Value::Object(rest), hints)
}

/// The document's own project's workspace, its id there, and its entry.
fn file_of<'a>(state: &'a State, doc: &TextDocumentIdentifier) -> Option<(&'a Workspace, FileId, &'a FileEntry)> {
    let found = super::requests::doc(state, doc)?;
    Some((found.workspace, found.file, found.entry))
}

fn offsets(state: &State, entry: &FileEntry, range: Range) -> crate::syntax::TextRange {
    let start = convert::offset(entry, range.start, state.encoding);
    TextRange::new(start, convert::offset(entry, range.end, state.encoding).max(start))
}

pub fn inlay_hints(state: &State, params: InlayHintParams) -> Option<Vec<InlayHint>> {
    let (workspace, file, entry) = file_of(state, &params.text_document)?;
    let range = offsets(state, entry, params.range);
    let hints = ide::inlay_hints(workspace, file, range, state.features.inlay_hints);
    Some(
        hints
            .into_iter()
            .map(|h| InlayHint {
                position: convert::position(entry, h.offset, state.encoding),
                label: InlayHintLabel::String(h.label),
                kind: Some(match h.kind {
                    ide::InlayHintKind::Figure => InlayHintKind::TYPE,
                    ide::InlayHintKind::Speaker => InlayHintKind::PARAMETER,
                }),
                text_edits: None,
                tooltip: Some(InlayHintTooltip::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: h.tooltip,
                })),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
            .collect(),
    )
}

pub fn code_lenses(state: &State, params: CodeLensParams) -> Option<Vec<CodeLens>> {
    let (workspace, file, entry) = file_of(state, &params.text_document)?;
    let uri = params.text_document.uri;
    let lenses = ide::code_lenses(workspace, file);
    Some(
        lenses
            .into_iter()
            .map(|lens| {
                let range = convert::range(entry, &lens.range, state.encoding);
                let locations: Vec<Location> = lens
                    .targets
                    .iter()
                    .filter_map(|t| convert::location(workspace, t.file, &t.range, state.encoding))
                    .collect();
                let arguments =
                    [serde_json::to_value(&uri), serde_json::to_value(range.start), serde_json::to_value(&locations)];
                CodeLens {
                    range,
                    command: Some(Command {
                        title: lens.title,
                        command: SHOW_REFERENCES.to_string(),
                        arguments: Some(arguments.into_iter().filter_map(Result::ok).collect()),
                    }),
                    data: None,
                }
            })
            .collect(),
    )
}

pub fn document_links(state: &State, params: DocumentLinkParams) -> Option<Vec<DocumentLink>> {
    let (workspace, file, entry) = file_of(state, &params.text_document)?;
    let links = ide::document_links(workspace, file);
    Some(
        links
            .into_iter()
            .filter_map(|link| {
                let (target, tooltip) = match &link.target {
                    ide::LinkTarget::Url(url) => (url.parse::<Uri>().ok()?, None),
                    ide::LinkTarget::Definition { file: target, range } => {
                        let target_entry = workspace.file(*target)?;
                        // `#L12`: the line of the definition, which VS Code opens at.
                        let line = convert::position(target_entry, range.start(), state.encoding).line + 1;
                        let uri = state.uri_of(&target_entry.name)?;
                        let with_line = format!("{}#L{line}", uri.as_str()).parse::<Uri>().unwrap_or(uri);
                        (with_line, Some(format!("Open the definition of `{}`", &target_entry.text[*range])))
                    }
                };
                Some(DocumentLink {
                    range: convert::range(entry, &link.range, state.encoding),
                    target: Some(target),
                    tooltip,
                    data: None,
                })
            })
            .collect(),
    )
}

pub fn folding_ranges(state: &State, params: FoldingRangeParams) -> Option<Vec<FoldingRange>> {
    let (workspace, file, entry) = file_of(state, &params.text_document)?;
    let folds = ide::folding_ranges(workspace, file);
    Some(
        folds
            .into_iter()
            .map(|fold| {
                let range = convert::range(entry, &fold.range, state.encoding);
                FoldingRange {
                    start_line: range.start.line,
                    start_character: None,
                    end_line: range.end.line,
                    end_character: None,
                    kind: Some(FoldingRangeKind::Region),
                    collapsed_text: None,
                }
            })
            .collect(),
    )
}

pub fn document_highlights(state: &State, params: DocumentHighlightParams) -> Option<Vec<DocumentHighlight>> {
    let p = params.text_document_position_params;
    let (workspace, file, entry) = file_of(state, &p.text_document)?;
    let offset = convert::offset(entry, p.position, state.encoding);
    let found = ide::document_highlights(workspace, file, offset);
    Some(
        found
            .into_iter()
            .map(|h| DocumentHighlight {
                range: convert::range(entry, &h.range, state.encoding),
                kind: Some(match h.kind {
                    ide::HighlightKind::Definition => DocumentHighlightKind::WRITE,
                    ide::HighlightKind::Use => DocumentHighlightKind::READ,
                }),
            })
            .collect(),
    )
}

/// One result per position, as the protocol asks: a position on nothing
/// gets the empty range at itself.
pub fn selection_ranges(state: &State, params: SelectionRangeParams) -> Option<Vec<SelectionRange>> {
    let (workspace, file, entry) = file_of(state, &params.text_document)?;
    let results = params
        .positions
        .into_iter()
        .map(|position| {
            let offset = convert::offset(entry, position, state.encoding);
            let chain = ide::selection_ranges(workspace, file, offset);
            let mut result: Option<SelectionRange> = None;
            for range in chain.iter().rev() {
                let parent = result.take().map(Box::new);
                result = Some(SelectionRange { range: convert::range(entry, range, state.encoding), parent });
            }
            let here = convert::position(entry, offset, state.encoding);
            result.unwrap_or(SelectionRange { range: Range::new(here, here), parent: None })
        })
        .collect();
    Some(results)
}

fn encode(state: &State, entry: &FileEntry, tokens: Vec<ide::SemanticToken>) -> Vec<SemanticToken> {
    super::requests::encode_semantic_tokens(entry, tokens, state.encoding)
}

fn remember_tokens(state: &State, name: String, data: &[SemanticToken]) -> String {
    let id = state.features.next_tokens.fetch_add(1, std::sync::atomic::Ordering::Relaxed).to_string();
    if let Ok(mut cache) = state.features.tokens.lock() {
        cache.insert(name, (id.clone(), data.to_vec()));
    }
    id
}

pub fn semantic_tokens_full(state: &State, params: SemanticTokensParams) -> Option<SemanticTokensResult> {
    let (workspace, file, entry) = file_of(state, &params.text_document)?;
    let data = encode(state, entry, ide::semantic_tokens(workspace, file));
    let result_id = remember_tokens(state, entry.name.clone(), &data);
    Some(SemanticTokensResult::Tokens(SemanticTokens { result_id: Some(result_id), data }))
}

pub fn semantic_tokens_range(state: &State, params: SemanticTokensRangeParams) -> Option<SemanticTokensRangeResult> {
    let (workspace, file, entry) = file_of(state, &params.text_document)?;
    let range = offsets(state, entry, params.range);
    let data = encode(state, entry, ide::semantic_tokens_in(workspace, file, range));
    Some(SemanticTokensRangeResult::Tokens(SemanticTokens { result_id: None, data }))
}

/// The tokens as one edit of the previous result (the common head and tail
/// kept), or in full when the previous result is not the one we kept.
pub fn semantic_tokens_delta(
    state: &State,
    params: SemanticTokensDeltaParams,
) -> Option<SemanticTokensFullDeltaResult> {
    let (workspace, file, entry) = file_of(state, &params.text_document)?;
    let data = encode(state, entry, ide::semantic_tokens(workspace, file));
    let previous = state.features.tokens.lock().ok()?.get(&entry.name).cloned();
    let result_id = remember_tokens(state, entry.name.clone(), &data);
    match previous {
        Some((id, old)) if id == params.previous_result_id => {
            Some(SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta {
                result_id: Some(result_id),
                edits: token_edits(&old, &data),
            }))
        }
        _ => Some(SemanticTokensFullDeltaResult::Tokens(SemanticTokens { result_id: Some(result_id), data })),
    }
}

/// One edit replacing what lies between the common head and tail; none
/// when nothing changed. Offsets count integers (five per token).
fn token_edits(old: &[SemanticToken], new: &[SemanticToken]) -> Vec<SemanticTokensEdit> {
    let head = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let tail = old[head..].iter().rev().zip(new[head..].iter().rev()).take_while(|(a, b)| a == b).count();
    let (deleted, inserted) = (&old[head..old.len() - tail], &new[head..new.len() - tail]);
    if deleted.is_empty() && inserted.is_empty() {
        return Vec::new();
    }
    vec![SemanticTokensEdit {
        start: 5 * head as u32,
        delete_count: 5 * deleted.len() as u32,
        data: Some(inserted.to_vec()),
    }]
}

fn full_report(state: &State, name: &str) -> (Option<String>, Vec<Diagnostic>) {
    let Some((project, id)) = state.host.locate(name) else { return (None, Vec::new()) };
    let workspace = &*project.workspace;
    let entry = workspace.entry(id);
    // What the writer last computed for this file; computed now if never.
    let items = match state.last_diagnostics(name) {
        Some(d) => d.iter().map(|d| (**d).clone()).collect(),
        None => {
            let mut uris = convert::Uris::default();
            crate::checks::file_diagnostics(workspace, id)
                .iter()
                .map(|d| convert::diagnostic(workspace, entry, d, state.encoding, &mut uris))
                .collect()
        }
    };
    (state.features.result_id(name), items)
}

pub fn document_diagnostic(state: &State, params: DocumentDiagnosticParams) -> DocumentDiagnosticReportResult {
    let name = state.name_of(&params.text_document.uri);
    let current = state.features.result_id(&name);
    let report = match (&current, &params.previous_result_id) {
        (Some(now), Some(before)) if now == before => {
            DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id: now.clone() },
            })
        }
        _ => {
            let (result_id, items) = full_report(state, &name);
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
            })
        }
    };
    DocumentDiagnosticReportResult::Report(report)
}

/// Every workspace file: unchanged ones (the client's previous result id
/// is current) as unchanged reports; files that left the workspace, when
/// the client still holds a result for them, as empty full reports.
pub fn workspace_diagnostic(state: &State, params: WorkspaceDiagnosticParams) -> WorkspaceDiagnosticReportResult {
    let previous: HashMap<String, &str> =
        params.previous_result_ids.iter().map(|p| (state.name_of(&p.uri), p.value.as_str())).collect();
    let mut items = Vec::new();
    for file in state.host.files() {
        let Some(entry) = state.host.entry(file) else { continue };
        let Some(uri) = state.uri_of(&entry.name) else { continue };
        let version = state.documents.get(&entry.name).map(|d| i64::from(d.version));
        let current = state.features.result_id(&entry.name);
        match (&current, previous.get(&entry.name)) {
            (Some(now), Some(before)) if now == before => {
                items.push(WorkspaceDocumentDiagnosticReport::Unchanged(WorkspaceUnchangedDocumentDiagnosticReport {
                    uri,
                    version,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id: now.clone() },
                }))
            }
            _ => {
                let (result_id, items_now) = full_report(state, &entry.name);
                items.push(WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
                    uri,
                    version,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items: items_now },
                }))
            }
        }
    }
    for p in &params.previous_result_ids {
        if state.host.file_id(&state.name_of(&p.uri)).is_none() {
            items.push(WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
                uri: p.uri.clone(),
                version: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id: None, items: Vec::new() },
            }));
        }
    }
    WorkspaceDiagnosticReportResult::Report(WorkspaceDiagnosticReport { items })
}

/// The capabilities of these features, set into the server's.
pub fn add_capabilities(capabilities: &mut ServerCapabilities) {
    capabilities.inlay_hint_provider = Some(OneOf::Left(true));
    capabilities.code_lens_provider = Some(CodeLensOptions { resolve_provider: Some(false) });
    capabilities.document_link_provider =
        Some(DocumentLinkOptions { resolve_provider: Some(false), work_done_progress_options: Default::default() });
    capabilities.folding_range_provider = Some(FoldingRangeProviderCapability::Simple(true));
    capabilities.document_highlight_provider = Some(OneOf::Left(true));
    capabilities.selection_range_provider = Some(SelectionRangeProviderCapability::Simple(true));
    capabilities.semantic_tokens_provider =
        Some(SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
            legend: super::requests::semantic_legend(),
            full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
            range: Some(true),
            work_done_progress_options: Default::default(),
        }));
}

/// Pull diagnostics, offered only to a client in pull mode (see
/// [`FeatureState::pull_diagnostics`]).
pub fn add_pull_capability(capabilities: &mut ServerCapabilities, features: &FeatureState) {
    if !features.pull_diagnostics {
        return;
    }
    capabilities.diagnostic_provider = Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
        identifier: Some("newsmark".to_string()),
        // A figure's findings depend on other files.
        inter_file_dependencies: true,
        workspace_diagnostics: true,
        work_done_progress_options: Default::default(),
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(delta_line: u32) -> SemanticToken {
        SemanticToken { delta_line, delta_start: 0, length: 1, token_type: 0, token_modifiers_bitset: 0 }
    }

    #[test]
    fn token_edits_keep_head_and_tail() {
        let old = [token(0), token(1), token(2), token(3)];
        let new = [token(0), token(1), token(9), token(9), token(3)];
        let edits = token_edits(&old, &new);
        assert_eq!(edits.len(), 1);
        assert_eq!((edits[0].start, edits[0].delete_count), (10, 5));
        assert_eq!(edits[0].data.as_deref(), Some(&[token(9), token(9)][..]));
        assert!(token_edits(&old, &old).is_empty());
        let edits = token_edits(&old, &[]);
        assert_eq!((edits[0].start, edits[0].delete_count, edits[0].data.as_deref()), (0, 20, Some(&[][..])));
    }

    #[test]
    fn editor_only_settings_are_split_off() {
        let settings = serde_json::json!({"tolerance": 0.2, "inlayHints": {"speakers": false}});
        let (rest, hints) = split_settings(&settings);
        assert_eq!(rest, serde_json::json!({"tolerance": 0.2}));
        assert_eq!(hints, Some(ide::InlayHintConfig { figures: true, speakers: false }));
        assert_eq!(split_settings(&serde_json::json!({"window": 3})).1, None);
    }
}
