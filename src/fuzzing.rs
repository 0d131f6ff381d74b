//! The bodies of the fuzz targets (`fuzz/fuzz_targets/*.rs`), shared with
//! `tests/fuzz_corpus.rs`, which replays the committed corpus through them
//! in an ordinary `cargo test`. Each takes arbitrary bytes and panics on a
//! broken invariant; nothing here is part of the public API.

use std::sync::Arc;

use tower_lsp_server::ls_types::{Position, Range as LspRange, TextDocumentContentChangeEvent};

use crate::base::TextRange;
use crate::checks;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::ide;
use crate::line_index::{Encoding, LineCol, LineIndex};
use crate::lsp::fuzzing::OpenDocument;
use crate::quantity::{self, Tolerance};
use crate::syntax::SourceFile;
use crate::workspace::{FileId, Workspace};

mod reparse;
pub use reparse::{check_reparse, reparse_seeded, ReparseStats};

/// Separates the two files of a two-file input (`parse_and_check`).
pub const FILE_SEPARATOR: char = '\0';

const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

#[track_caller]
fn assert_range(text: &str, range: &TextRange, what: &str) {
    assert!(
        range.end() <= text.len() && text.is_char_boundary(range.start()) && text.is_char_boundary(range.end()),
        "{what}: bad range {range:?} in a text of {} bytes",
        text.len()
    );
}

/// An offset and its line/column agree in every encoding (an offset between
/// the `\r` and `\n` of a CRLF is the end of its line, so it maps back to the `\r`).
#[track_caller]
fn assert_round_trip(text: &str, index: &LineIndex, offset: usize) {
    for encoding in ENCODINGS {
        let lc = index.line_col(text, offset, encoding);
        let back = index.offset(text, lc, encoding);
        let inside_crlf =
            offset > 0 && text.as_bytes()[offset - 1] == b'\r' && text.as_bytes().get(offset) == Some(&b'\n');
        assert!(
            back == offset || (inside_crlf && back == offset - 1),
            "offset {offset} -> {lc:?} -> {back} ({encoding:?})"
        );
    }
}

fn check_syntax(text: &str, syntax: &SourceFile) {
    let r = |range: &TextRange, what: &str| assert_range(text, range, what);
    if let Some(fm) = &syntax.front_matter {
        r(&fm.range, "front matter");
        for f in syntax.fields(fm.fields) {
            r(&f.key, "field key");
            r(&f.value, "field value");
        }
    }
    for block in &syntax.blocks {
        r(&block.range, "block");
        r(&block.header_range, "block header");
        r(&block.id, "block id");
        for f in syntax.fields(block.fields) {
            r(&f.key, "field key");
            r(&f.value, "field value");
        }
    }
    for span in &syntax.spans {
        r(&span.range, "span");
        r(&span.text_range, "span text");
        r(&span.attrs_range, "span attrs");
        assert_eq!(syntax.attrs(span.attrs).len(), span.attrs.len(), "span attributes out of range");
        for a in syntax.attrs(span.attrs) {
            r(&a.key, "attr key");
            r(&a.value.range, "attr value");
        }
        if let Some(parent) = span.parent() {
            assert!(parent < syntax.spans.len(), "span parent out of range");
        }
        if let Some(c) = span.citation() {
            assert!(c < syntax.citations.len(), "span citation out of range");
        }
    }
    for c in &syntax.citations {
        r(&c.range, "citation");
        assert_eq!(syntax.items(c.items).len(), c.items.len(), "citation items out of range");
        for item in syntax.items(c.items) {
            r(&item.id, "cite id");
            r(&item.prefix.range, "cite prefix");
            r(&item.locator.range, "cite locator");
        }
    }
    for p in syntax.paragraphs.iter().chain(&syntax.markup).chain(&syntax.plain_runs) {
        r(p, "paragraph/markup/plain run");
    }
    for e in &syntax.errors {
        r(&e.range, "syntax error");
    }
}

fn check_diagnostics(workspace: &Workspace, file: FileId, diagnostics: &[Diagnostic]) {
    let entry = workspace.entry(file);
    for d in diagnostics {
        assert_range(&entry.text, &d.range, d.code.as_str());
        assert_round_trip(&entry.text, entry.line_index(), d.range.start());
        assert_round_trip(&entry.text, entry.line_index(), d.range.end());
        for related in &d.related {
            let other = workspace.file(related.file).expect("related information names a live file");
            assert_range(&other.text, &related.range, "related information");
        }
    }
}

fn check_file_range(workspace: &Workspace, file: FileId, range: &TextRange, what: &str) {
    let entry = workspace.file(file).unwrap_or_else(|| panic!("{what}: names a file that is not in the workspace"));
    assert_range(&entry.text, range, what);
}

fn check_symbols(text: &str, symbols: &[ide::DocumentSymbol]) {
    for s in symbols {
        assert_range(text, &s.full_range, "document symbol");
        assert_range(text, &s.focus_range, "document symbol focus");
        check_symbols(text, &s.children);
    }
}

/// `deep` adds the costly requests (rename, code actions), asked at fewer offsets.
fn check_ide_at(workspace: &Workspace, file: FileId, offset: usize, deep: bool) {
    let text = workspace.entry(file).text.clone();
    if let Some(h) = ide::hover(workspace, file, offset) {
        assert_range(&text, &h.range, "hover");
    }
    if let Some(s) = ide::symbol_at(workspace, file, offset) {
        assert_range(&text, &s.range, "symbol at");
    }
    for t in ide::goto_definition(workspace, file, offset) {
        check_file_range(workspace, t.file, &t.full_range, "definition");
        check_file_range(workspace, t.file, &t.focus_range, "definition focus");
    }
    for item in ide::completion(workspace, file, offset) {
        assert_range(&text, &item.replace_range, "completion");
    }
    for r in ide::references(workspace, file, offset, true) {
        check_file_range(workspace, r.file, &r.range, "reference");
    }
    if let Ok(range) = ide::prepare_rename(workspace, file, offset) {
        assert_range(&text, &range, "prepare rename");
    }
    if !deep {
        return;
    }
    if let Ok(change) = ide::rename(workspace, file, offset, "renamed-id") {
        for (f, edits) in &change.edits {
            for e in edits {
                check_file_range(workspace, *f, &e.range, "rename edit");
            }
        }
    }
    let end = (offset + 16).min(text.len());
    let end = crate::line_index::floor_char_boundary(&text, end).max(offset);
    for action in ide::code_actions(workspace, file, TextRange::new(offset, end)) {
        for (f, edits) in &action.change.edits {
            for e in edits {
                if let Some(entry) = workspace.file(*f) {
                    assert_range(&entry.text, &e.range, "code action edit");
                }
            }
        }
    }
}

/// Offsets worth asking about: a few derived from the input's bytes, plus
/// every markup character (where ids and brackets are).
fn probe_offsets(text: &str, seed: &[u8]) -> Vec<usize> {
    let mut offsets = vec![0, text.len()];
    for chunk in seed.chunks(4).take(8) {
        let mut n = 0usize;
        for &b in chunk {
            n = n.wrapping_mul(251).wrapping_add(b as usize);
        }
        if !text.is_empty() {
            offsets.push(crate::line_index::floor_char_boundary(text, n % (text.len() + 1)));
        }
    }
    for (i, b) in text.bytes().enumerate().take(4096) {
        if matches!(b, b'[' | b'{' | b'@' | b'=' | b':') {
            offsets.push(i);
            offsets.push(crate::line_index::floor_char_boundary(text, i + 2));
        }
    }
    offsets.sort_unstable();
    offsets.dedup();
    offsets.truncate(24);
    offsets
}

/// Target `parse_and_check`: one file, or two separated by a NUL.
pub fn parse_and_check(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let files: Vec<(String, String)> = match input.split_once(FILE_SEPARATOR) {
        Some((a, b)) => vec![("a.news.md".into(), a.into()), ("b.news.md".into(), b.into())],
        None => vec![("a.news.md".into(), input.into())],
    };
    let workspace = Workspace::from_files(Config::default(), files);
    for file in workspace.file_ids().collect::<Vec<_>>() {
        let entry = workspace.entry(file);
        let text = entry.text.clone();
        check_syntax(&text, &entry.syntax());
        let diagnostics = checks::file_diagnostics(&workspace, file);
        check_diagnostics(&workspace, file, &diagnostics);
        let tokens = ide::semantic_tokens(&workspace, file);
        let mut last_end = 0;
        for t in &tokens {
            assert_range(&text, &t.range, "semantic token");
            assert!(t.range.start() >= last_end, "semantic tokens overlap or are out of order");
            last_end = t.range.end();
        }
        check_symbols(&text, &ide::document_symbols(&workspace, file));
        for (i, offset) in probe_offsets(&text, data).into_iter().enumerate() {
            check_ide_at(&workspace, file, offset, i % 6 == 0);
        }
    }
    for s in ide::workspace_symbols(&workspace, "") {
        check_file_range(&workspace, s.target.file, &s.target.full_range, "workspace symbol");
        check_file_range(&workspace, s.target.file, &s.target.focus_range, "workspace symbol focus");
    }
}

/// Target `quantity`: the readers on arbitrary strings. The first byte picks
/// a tolerance; the rest is the text.
pub fn quantity(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let tolerance = match first % 4 {
        0 => Tolerance::default(),
        1 => Tolerance::parse("0").expect("0 is a tolerance"),
        2 => Tolerance::parse("0.25").expect("0.25 is a tolerance"),
        _ => Tolerance::parse("0.999").expect("0.999 is a tolerance"),
    };
    if let Some(reading) = quantity::read_value(text, tolerance) {
        assert_range(text, &TextRange::from(reading.range.clone()), "read_value");
        assert!(!reading.interval.is_empty(), "read_value gave an empty interval {}", reading.interval);
        let _ = reading.interval.to_string();
    }
    if let Ok(interval) = quantity::parse_value_attr(text, tolerance) {
        assert!(!interval.is_empty(), "parse_value_attr gave an empty interval {interval}");
        let _ = interval.to_string();
    }
    if let Ok(period) = quantity::parse_asof(text) {
        assert!(period.start <= period.end, "parse_asof gave a reversed period {period:?}");
        let _ = period.to_string();
    }
    let mut last_end = 0;
    for range in quantity::bare_numbers(text) {
        assert_range(text, &TextRange::from(range.clone()), "bare number");
        assert!(range.start >= last_end, "bare numbers overlap or are out of order");
        last_end = range.end;
        let _ = quantity::read_value(&text[range], tolerance);
    }
    let _ = quantity::parse_numeral(text);
    let _ = quantity::parse_decimal(text);
    let _ = quantity::Date::parse_iso(text);
    let _ = Tolerance::parse(text);
}

/// Reads the edit-sequence encoding of `incremental_edits` from bytes.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    fn take(&mut self, n: usize) -> &[u8] {
        let n = n.min(self.0.len());
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        head
    }
}

/// Markup pieces an edit may insert, so the fuzzer reaches the parser's
/// interesting states quickly.
const PIECES: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    "]{",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "---\n",
    "::: ",
    ":::\n",
    "entity ",
    "source ",
    "quantity ",
    "ent=",
    "fig=",
    "by=",
    "value=",
    "asof=",
    "\"",
    "@",
    "[@a]",
    "id: a\n",
    "published: 2020-02-13\n",
    "about 500 ",
    "😀",
    "é",
    "中",
    "\\",
    "<!--",
    "-->",
    "```\n",
    " ",
];

#[derive(Clone, Debug)]
struct Edit {
    range: Option<(LineCol, LineCol)>,
    text: String,
}

fn decode_edits(data: &[u8]) -> Option<(Encoding, String, String, Vec<Vec<Edit>>)> {
    let mut bytes = Bytes(data);
    let header = bytes.byte()?;
    let encoding = ENCODINGS[usize::from(header % 3)];
    let start_len = usize::from(bytes.byte()?) * 4;
    let start = String::from_utf8_lossy(bytes.take(start_len)).into_owned();
    let other_len = usize::from(bytes.byte()?) * 2;
    let other = String::from_utf8_lossy(bytes.take(other_len)).into_owned();
    let mut batches = Vec::new();
    let mut batch = Vec::new();
    while let Some(op) = bytes.byte() {
        // Bit 7: end this didChange after this edit. Bits 5-6: what to insert.
        let coord = |b: &mut Bytes| -> LineCol {
            let line = u32::from(b.byte().unwrap_or(0));
            let col = u32::from(b.byte().unwrap_or(0));
            LineCol { line: line % 64, col: if col >= 250 { col * 1000 } else { col } }
        };
        let range = if op & 0x1f == 0x1f {
            None // a full-text replacement
        } else {
            let a = coord(&mut bytes);
            let b = coord(&mut bytes);
            Some((a, b))
        };
        let text = match (op >> 5) & 3 {
            0 => String::new(),
            1 | 2 => PIECES[usize::from(bytes.byte().unwrap_or(0)) % PIECES.len()].to_string(),
            _ => {
                let n = usize::from(bytes.byte().unwrap_or(0) % 32);
                String::from_utf8_lossy(bytes.take(n)).into_owned()
            }
        };
        batch.push(Edit { range, text });
        if op & 0x80 != 0 {
            batches.push(std::mem::take(&mut batch));
        }
        if batches.len() > 64 {
            break;
        }
    }
    if !batch.is_empty() {
        batches.push(batch);
    }
    Some((encoding, start, other, batches))
}

/// The same edit on a plain `String`, with positions converted by `LineIndex`:
/// the reference the rope is compared with.
fn reference_apply(text: &mut String, edit: &Edit, encoding: Encoding) {
    match edit.range {
        None => *text = edit.text.clone(),
        Some((a, b)) => {
            let index = LineIndex::new(text);
            let start = index.offset(text, a, encoding);
            let end = index.offset(text, b, encoding).max(start);
            text.replace_range(start..end, &edit.text);
        }
    }
}

fn lsp_change(edit: &Edit) -> TextDocumentContentChangeEvent {
    TextDocumentContentChangeEvent {
        range: edit.range.map(|(a, b)| LspRange::new(Position::new(a.line, a.col), Position::new(b.line, b.col))),
        range_length: None,
        text: edit.text.clone(),
    }
}

/// Target `incremental_edits`: a start text and batches of edits, applied
/// (1) to the LSP document model, (2) to a reference `String`, and (3) to a
/// workspace through `set_file` after each batch, next to a second, fixed
/// file. The texts must agree after every batch, and the final diagnostics
/// of every file must equal those of a workspace built fresh from the final text.
/// Then the same bytes choose a sequence of workspace edits for the
/// workspace property (`workspace::property`: every file equals a fresh
/// check after every edit, and every changed file is in the affected set).
pub fn incremental_edits(data: &[u8]) {
    crate::workspace::property::run_bytes(data);
    text_edits(data);
    reparse::reparse_bytes(data);
}

fn text_edits(data: &[u8]) {
    let Some((encoding, start, other, batches)) = decode_edits(data) else { return };
    let names = ["edited.news.md", "other.news.md"];
    let given: Arc<str> = Arc::from(start.as_str());
    let mut document = OpenDocument::new(given.clone(), 0);
    let mut reference = start.clone();
    let mut workspace =
        Workspace::from_files(Config::default(), vec![(names[0].into(), start), (names[1].into(), other.clone())]);
    // As the server does: the document is open, its edits re-parsed
    // along the change the document says it made.
    workspace.set_open_file(names[0], given, None);
    for (version, batch) in batches.iter().enumerate() {
        let changes: Vec<TextDocumentContentChangeEvent> = batch.iter().map(lsp_change).collect();
        document.apply(&changes, encoding);
        document.version = version as i32 + 1;
        let before = reference.clone();
        for edit in batch {
            reference_apply(&mut reference, edit, encoding);
        }
        let (text, known) = document.shared_text();
        assert_eq!(&*text, reference, "the document and the reference disagree after {batch:?} ({encoding:?})");
        assert_eq!(document.rope_text(), reference, "the rope and the reference disagree after {batch:?}");
        if let Some(known) = &known {
            let c = known.change;
            assert!(
                c.fits(before.len(), text.len())
                    && before.as_bytes()[..c.start] == text.as_bytes()[..c.start]
                    && before.as_bytes()[c.old_end..] == text.as_bytes()[c.new_end..],
                "the document's change {c:?} is not what {batch:?} did ({encoding:?})"
            );
        }
        workspace.set_open_file(names[0], text, known.as_ref());
    }
    let fresh = Workspace::from_files(Config::default(), vec![(names[0].into(), reference), (names[1].into(), other)]);
    for name in names {
        let (a, b) = (workspace.file_id(name).expect("edited file"), fresh.file_id(name).expect("fresh file"));
        assert_eq!(a, b, "file ids differ");
        let incremental = checks::file_diagnostics(&workspace, a);
        let full = checks::file_diagnostics(&fresh, b);
        assert_eq!(incremental, full, "{name}: incremental and full analysis disagree");
        check_diagnostics(&workspace, a, &incremental);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_accept_trivial_inputs() {
        for input in [&b""[..], b"\0", b"\xff", b"[a]{fig=x}", b"---\nid: a\n", b"\x01\x05hello\x00\x9f\x00\x01"] {
            parse_and_check(input);
            quantity(input);
            incremental_edits(input);
        }
    }
}
