//! Conversions between core data (byte offsets, FileIds) and LSP types:
//! the one place that knows about position encodings and URIs.

use std::path::Path;
use std::str::FromStr;

use tower_lsp_server::ls_types as lsp;

use crate::diagnostic::{Diagnostic, Severity};
use crate::line_index::{Encoding, LineCol};
use crate::syntax::TextRange;
use crate::workspace::{FileEntry, FileId, Workspace};

/// The workspace's name for a document: its path for `file:` URIs (so a
/// buffer and its file on disk are one file), else the URI itself.
pub fn name_of(uri: &lsp::Uri) -> String {
    let is_file = uri.scheme().as_str().eq_ignore_ascii_case("file");
    match is_file.then(|| uri.to_file_path()).flatten() {
        Some(path) => path.to_string_lossy().into_owned(),
        None => uri.as_str().to_string(),
    }
}

pub fn uri_of(name: &str) -> Option<lsp::Uri> {
    if Path::new(name).is_absolute() {
        lsp::Uri::from_file_path(name)
    } else {
        lsp::Uri::from_str(name).ok()
    }
}

pub fn position(entry: &FileEntry, offset: usize, encoding: Encoding) -> lsp::Position {
    let LineCol { line, col } = entry.line_index().line_col(&entry.text, offset, encoding);
    lsp::Position::new(line, col)
}

pub fn range(entry: &FileEntry, range: &TextRange, encoding: Encoding) -> lsp::Range {
    lsp::Range::new(position(entry, range.start(), encoding), position(entry, range.end(), encoding))
}

pub fn offset(entry: &FileEntry, position: lsp::Position, encoding: Encoding) -> usize {
    entry.line_index().offset(&entry.text, LineCol { line: position.line, col: position.character }, encoding)
}

pub fn location(
    workspace: &Workspace,
    file: FileId,
    text_range: &TextRange,
    encoding: Encoding,
) -> Option<lsp::Location> {
    let entry = workspace.file(file)?;
    Some(lsp::Location::new(uri_of(&entry.name)?, range(entry, text_range, encoding)))
}

fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// The URIs of workspace files, each made once per use: one file's findings
/// may point into the same few files hundreds of thousands of times, and
/// making a URI parses it.
#[derive(Default)]
pub struct Uris(std::collections::HashMap<FileId, Option<lsp::Uri>>);

impl Uris {
    pub fn of(&mut self, workspace: &Workspace, file: FileId) -> Option<lsp::Uri> {
        self.0.entry(file).or_insert_with(|| uri_of(&workspace.file(file)?.name)).clone()
    }
}

pub fn diagnostic(
    workspace: &Workspace,
    entry: &FileEntry,
    d: &Diagnostic,
    encoding: Encoding,
    uris: &mut Uris,
) -> lsp::Diagnostic {
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let target = workspace.file(r.file)?;
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(uris.of(workspace, r.file)?, range(target, &r.range, encoding)),
                message: r.message.to_string(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range: range(entry, &d.range, encoding),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.as_str().to_string())),
        code_description: d
            .code
            .docs_url()
            .and_then(|url| lsp::Uri::from_str(&url).ok())
            .map(|href| lsp::CodeDescription { href }),
        source: Some("newsmark".to_string()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

pub fn encoding_kind(encoding: Encoding) -> lsp::PositionEncodingKind {
    match encoding {
        Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
        Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        Encoding::Utf32 => lsp::PositionEncodingKind::UTF32,
    }
}

/// The first encoding the client prefers that we support; UTF-16 when it
/// says nothing, as the protocol requires.
pub fn negotiate_encoding(params: &lsp::InitializeParams) -> Encoding {
    let offered = params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_ref());
    for kind in offered.into_iter().flatten() {
        match kind.as_str() {
            "utf-8" => return Encoding::Utf8,
            "utf-16" => return Encoding::Utf16,
            "utf-32" => return Encoding::Utf32,
            _ => {}
        }
    }
    Encoding::Utf16
}
