//! Requests: LSP params in, core `ide` call, LSP result out.

use std::collections::HashMap;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::convert;
use super::state::State;
use crate::base::TextRange;
use crate::host::{HostFile, ProjectId};
use crate::ide;
use crate::workspace::{FileEntry, FileId, Workspace};

/// The document a request is about: its project's workspace (every
/// request resolves within the file's own project), its id there, its entry.
pub struct Doc<'a> {
    pub workspace: &'a Workspace,
    pub project: ProjectId,
    pub file: FileId,
    pub entry: &'a FileEntry,
}

pub fn doc<'a>(state: &'a State, doc: &TextDocumentIdentifier) -> Option<Doc<'a>> {
    let (project, file) = state.host.locate(&state.name_of(&doc.uri))?;
    let workspace = &*project.workspace;
    Some(Doc { workspace, project: project.id, file, entry: workspace.entry(file) })
}

/// The document and byte offset a request points at.
fn at<'a>(state: &'a State, text_document: &TextDocumentIdentifier, position: Position) -> Option<(Doc<'a>, usize)> {
    let found = doc(state, text_document)?;
    let offset = convert::offset(found.entry, position, state.encoding);
    Some((found, offset))
}

fn location(state: &State, workspace: &Workspace, file: FileId, range: &crate::syntax::TextRange) -> Option<Location> {
    convert::location(workspace, file, range, state.encoding)
}

pub fn hover(state: &State, params: HoverParams) -> Option<Hover> {
    let p = params.text_document_position_params;
    let (Doc { workspace, file, entry, .. }, offset) = at(state, &p.text_document, p.position)?;
    let result = ide::hover(workspace, file, offset)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: result.markdown }),
        range: Some(convert::range(entry, &result.range, state.encoding)),
    })
}

pub fn definition(state: &State, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let p = params.text_document_position_params;
    let (Doc { workspace, file, entry, .. }, offset) = at(state, &p.text_document, p.position)?;
    let origin = ide::symbol_at(workspace, file, offset).map(|s| convert::range(entry, &s.range, state.encoding));
    let links: Vec<LocationLink> = ide::goto_definition(workspace, file, offset)
        .into_iter()
        .filter_map(|target| {
            let target_entry = workspace.file(target.file)?;
            Some(LocationLink {
                origin_selection_range: origin,
                target_uri: state.uri_of(&target_entry.name)?,
                target_range: convert::range(target_entry, &target.full_range, state.encoding),
                target_selection_range: convert::range(target_entry, &target.focus_range, state.encoding),
            })
        })
        .collect();
    if links.is_empty() {
        return None;
    }
    if state.definition_links {
        return Some(GotoDefinitionResponse::Link(links));
    }
    Some(GotoDefinitionResponse::Array(
        links.into_iter().map(|l| Location::new(l.target_uri, l.target_selection_range)).collect(),
    ))
}

pub fn references(state: &State, params: ReferenceParams) -> Option<Vec<Location>> {
    let p = params.text_document_position;
    let (Doc { workspace, file, .. }, offset) = at(state, &p.text_document, p.position)?;
    let found = ide::references(workspace, file, offset, params.context.include_declaration);
    Some(found.iter().filter_map(|r| location(state, workspace, r.file, &r.range)).collect())
}

pub fn completion(state: &State, params: CompletionParams) -> Option<CompletionResponse> {
    let p = params.text_document_position;
    let (Doc { workspace, file, entry, .. }, offset) = at(state, &p.text_document, p.position)?;
    let list = ide::completion_list(workspace, file, offset);
    let items: Vec<CompletionItem> =
        list.items
            .into_iter()
            .map(|item| CompletionItem {
                label: item.label.clone(),
                kind: Some(match item.kind {
                    ide::CompletionKind::Source | ide::CompletionKind::Article => CompletionItemKind::REFERENCE,
                    ide::CompletionKind::Entity => CompletionItemKind::CLASS,
                    ide::CompletionKind::QuantityKey => CompletionItemKind::ENUM_MEMBER,
                }),
                detail: Some(item.detail),
                documentation: (!item.documentation.is_empty()).then_some(Documentation::MarkupContent(
                    MarkupContent { kind: MarkupKind::Markdown, value: item.documentation },
                )),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                    range: convert::range(entry, &item.replace_range, state.encoding),
                    new_text: item.label,
                })),
                ..Default::default()
            })
            .collect();
    // A capped list says so: the editor asks again as the user types.
    Some(CompletionResponse::List(CompletionList { is_incomplete: list.is_incomplete, items }))
}

fn invalid(message: String) -> Error {
    let mut error = Error::invalid_params(message.clone());
    error.message = message.into();
    error
}

pub fn prepare_rename(state: &State, p: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
    let Some((Doc { workspace, file, entry, .. }, offset)) = at(state, &p.text_document, p.position) else {
        return Ok(None);
    };
    match ide::prepare_rename(workspace, file, offset) {
        Ok(range) => Ok(Some(PrepareRenameResponse::Range(convert::range(entry, &range, state.encoding)))),
        Err(message) => Err(invalid(message)),
    }
}

/// A change within one project's workspace, as the client applies it.
fn workspace_edit(state: &State, workspace: &Workspace, change: ide::SourceChange) -> WorkspaceEdit {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (file, edits) in change.edits {
        let Some(entry) = workspace.file(file) else { continue };
        let Some(uri) = state.uri_of(&entry.name) else { continue };
        changes.entry(uri).or_default().extend(
            edits
                .into_iter()
                .map(|e| TextEdit { range: convert::range(entry, &e.range, state.encoding), new_text: e.new_text }),
        );
    }
    WorkspaceEdit { changes: Some(changes), ..Default::default() }
}

pub fn rename(state: &State, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let p = params.text_document_position;
    let Some((Doc { workspace, file, .. }, offset)) = at(state, &p.text_document, p.position) else {
        return Ok(None);
    };
    match ide::rename(workspace, file, offset, &params.new_name) {
        Ok(change) => Ok(Some(workspace_edit(state, workspace, change))),
        Err(message) => Err(invalid(message)),
    }
}

fn symbol_kind(kind: ide::SymbolKind) -> SymbolKind {
    match kind {
        ide::SymbolKind::Article => SymbolKind::FILE,
        ide::SymbolKind::Source => SymbolKind::MODULE,
        ide::SymbolKind::Entity => SymbolKind::CLASS,
        ide::SymbolKind::Quantity => SymbolKind::ENUM,
        ide::SymbolKind::Figure => SymbolKind::NUMBER,
        ide::SymbolKind::Quote => SymbolKind::STRING,
        ide::SymbolKind::Mention => SymbolKind::OBJECT,
    }
}

#[allow(deprecated)]
fn document_symbol(entry: &FileEntry, symbol: ide::DocumentSymbol, state: &State) -> DocumentSymbol {
    DocumentSymbol {
        name: if symbol.name.trim().is_empty() { "(unnamed)".to_string() } else { symbol.name },
        detail: symbol.detail,
        kind: symbol_kind(symbol.kind),
        tags: None,
        deprecated: None,
        range: convert::range(entry, &symbol.full_range, state.encoding),
        selection_range: convert::range(entry, &symbol.focus_range, state.encoding),
        children: (!symbol.children.is_empty())
            .then(|| symbol.children.into_iter().map(|c| document_symbol(entry, c, state)).collect()),
    }
}

pub fn document_symbols(state: &State, params: DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
    let Doc { workspace, file, entry, .. } = doc(state, &params.text_document)?;
    let symbols = ide::document_symbols(workspace, file);
    Some(DocumentSymbolResponse::Nested(symbols.into_iter().map(|s| document_symbol(entry, s, state)).collect()))
}

/// Workspace symbols span every open project (a symbol search is not
/// about one file), in the order the projects were opened, at most
/// `ide::MAX_WORKSPACE_SYMBOLS` in all.
#[allow(deprecated)]
pub fn workspace_symbols(state: &State, params: WorkspaceSymbolParams) -> Option<WorkspaceSymbolResponse> {
    let symbols = state
        .host
        .projects()
        .iter()
        .flat_map(|project| {
            let workspace = &*project.workspace;
            ide::workspace_symbols(workspace, &params.query).into_iter().filter_map(move |s| {
                Some(SymbolInformation {
                    name: s.name,
                    kind: symbol_kind(s.kind),
                    tags: None,
                    deprecated: None,
                    location: location(state, workspace, s.target.file, &s.target.focus_range)?,
                    container_name: s.container,
                })
            })
        })
        .take(ide::MAX_WORKSPACE_SYMBOLS)
        .collect();
    Some(WorkspaceSymbolResponse::Flat(symbols))
}

pub fn code_actions(state: &State, params: CodeActionParams) -> Option<CodeActionResponse> {
    let Doc { workspace, project, file, entry } = doc(state, &params.text_document)?;
    let start = convert::offset(entry, params.range.start, state.encoding);
    let end = convert::offset(entry, params.range.end, state.encoding).max(start);
    // Fixes and stubs write only to this file and to files inside its
    // project's root: never to another open document that is not a file.
    let writable = |target: FileId| target == file || state.host.is_writable(HostFile { project, file: target });
    let actions = ide::code_actions(workspace, file, TextRange::new(start, end))
        .into_iter()
        .filter(|action| action.change.edits.iter().all(|(target, _)| writable(*target)))
        .map(|action| {
            let diagnostics: Vec<Diagnostic> = params
                .context
                .diagnostics
                .iter()
                .filter(|d| {
                    action.fixes.is_some_and(|code| d.code == Some(NumberOrString::String(code.as_str().to_string())))
                })
                .cloned()
                .collect();
            CodeActionOrCommand::CodeAction(CodeAction {
                title: action.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
                edit: Some(workspace_edit(state, workspace, action.change)),
                is_preferred: action.preferred.then_some(true),
                ..Default::default()
            })
        })
        .collect();
    Some(actions)
}

const TOKEN_TYPES: [SemanticTokenType; 10] = [
    SemanticTokenType::OPERATOR,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::CLASS,
    SemanticTokenType::NAMESPACE,
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::NUMBER,
    SemanticTokenType::STRING,
    SemanticTokenType::MACRO,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::COMMENT,
];

fn token_type(kind: ide::TokenKind) -> u32 {
    match kind {
        ide::TokenKind::Punctuation => 0,
        ide::TokenKind::Property => 1,
        ide::TokenKind::EntityId => 2,
        ide::TokenKind::SourceId => 3,
        ide::TokenKind::QuantityKey => 4,
        ide::TokenKind::Number => 5,
        ide::TokenKind::Quote => 6,
        ide::TokenKind::Figure => 7,
        ide::TokenKind::Mention => 8,
        ide::TokenKind::Comment => 9,
    }
}

pub fn semantic_legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TOKEN_TYPES.to_vec(),
        token_modifiers: vec![SemanticTokenModifier::DECLARATION],
    }
}

/// Tokens are relative to each other and may not span lines, so a
/// multi-line token is cut at each line break.
pub fn encode_semantic_tokens(
    entry: &FileEntry,
    tokens: Vec<ide::SemanticToken>,
    encoding: crate::line_index::Encoding,
) -> Vec<SemanticToken> {
    let mut data = Vec::new();
    let (mut last_line, mut last_start) = (0u32, 0u32);
    for token in tokens {
        let start = convert::position(entry, token.range.start(), encoding);
        let end = convert::position(entry, token.range.end(), encoding);
        for line in start.line..=end.line {
            let from = if line == start.line { start.character } else { 0 };
            let to = if line == end.line {
                end.character
            } else {
                let line_range = entry.line_index().line_range(line as usize);
                convert::position(entry, line_range.end, encoding).character
            };
            if to <= from {
                continue;
            }
            let delta_line = line - last_line;
            let delta_start = if delta_line == 0 { from - last_start } else { from };
            data.push(SemanticToken {
                delta_line,
                delta_start,
                length: to - from,
                token_type: token_type(token.kind),
                token_modifiers_bitset: u32::from(token.definition),
            });
            last_line = line;
            last_start = from;
        }
    }
    data
}
