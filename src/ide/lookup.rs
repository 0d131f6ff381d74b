//! Lookups shared by the features: definitions and uses of an id across the
//! workspace, block fields, short file names, markdown escaping.

use super::FileRange;
use crate::syntax::{Field, SourceFile, TextRange};
use crate::workspace::analysis::Definition;
use crate::workspace::{FileEntry, FileId, Namespace, Workspace};

/// The file name without its folders, as shown in hovers and containers.
pub(crate) fn short_name(workspace: &Workspace, file: FileId) -> String {
    match workspace.file(file) {
        Some(entry) => entry.name.rsplit(['/', '\\']).next().unwrap_or(&entry.name).to_string(),
        None => String::new(),
    }
}

/// Whether `offset` lies in `range`, both ends included: a cursor just
/// after an id is still on it.
pub(crate) fn touches(range: &TextRange, offset: usize) -> bool {
    range.start() <= offset && offset <= range.end()
}

/// Every definition of `id` in `namespace`, in file order.
pub(crate) fn definitions<'a>(
    workspace: &'a Workspace,
    namespace: Namespace,
    id: &str,
) -> Vec<(FileId, &'a FileEntry, &'a Definition)> {
    let mut found: Vec<(FileId, &FileEntry, &Definition)> = workspace
        .index()
        .definitions(namespace, id)
        .iter()
        .filter_map(|loc| {
            let entry = workspace.file(loc.file)?;
            Some((loc.file, entry, entry.analysis.definitions.get(loc.item())?))
        })
        .collect();
    found.sort_by_key(|(file, _, d)| (*file, d.range.start()));
    found
}

/// A definition block's `key: value` lines with the file they are written
/// in (their ranges are into its text).
#[derive(Clone, Copy)]
pub(crate) struct BlockIn<'a> {
    pub entry: &'a FileEntry,
    pub fields: &'a [Field],
    /// What the fields' ranges count from (a definition record's count
    /// from its block's start; a tree's from the file's).
    pub base: usize,
}

/// The block a definition was read from, from its record (the file's tree
/// may not be kept); None for an article's front matter.
pub(crate) fn block_of<'a>(entry: &'a FileEntry, definition: &'a Definition) -> Option<BlockIn<'a>> {
    definition.block?;
    let (fields, base) = definition.fields_from();
    Some(BlockIn { entry, fields, base })
}

/// A field's value, when present and not blank.
pub(crate) fn field<'a>(block: BlockIn<'a>, key: &str) -> Option<&'a str> {
    let BlockIn { entry, fields, base } = block;
    let at = |r: TextRange| r.start() + base..r.end() + base;
    let field = fields.iter().find(|f| entry.text.get(at(f.key)) == Some(key))?;
    Some(entry.text.get(at(field.value))?.trim()).filter(|v| !v.is_empty())
}

/// Every place `id` is used (not defined): `@id` items for sources,
/// `ent=`/`by=` values for entities, `fig=` values for quantity keys.
/// Sorted by file and position.
pub(crate) fn uses(workspace: &Workspace, namespace: Namespace, id: &str) -> Vec<FileRange> {
    let index = workspace.index();
    let mut found = Vec::new();
    let mut add = |file: FileId, range: &TextRange| found.push(FileRange { file, range: *range });
    match namespace {
        Namespace::Source => {
            for loc in index.citations(id) {
                if let Some(cited) = workspace.file(loc.file).and_then(|e| e.analysis.cited_ids.get(loc.item())) {
                    add(loc.file, &cited.range);
                }
            }
        }
        Namespace::Entity => {
            for loc in index.mentions(id) {
                if let Some(m) = workspace.file(loc.file).and_then(|e| e.analysis.mentions.get(loc.item())) {
                    add(loc.file, &m.entity.range);
                }
            }
            for loc in index.quotes_by(id) {
                if let Some(q) = workspace.file(loc.file).and_then(|e| e.analysis.quotes.get(loc.item())) {
                    add(loc.file, &q.speaker.range);
                }
            }
        }
        Namespace::Quantity => {
            for loc in index.figures(id) {
                if let Some(f) = workspace.file(loc.file).and_then(|e| e.analysis.figures.get(loc.item())) {
                    add(loc.file, &f.key.range);
                }
            }
            // The index holds only figures whose value could be read; a
            // rename must reach the others too (every file's records, no tree).
            if let Some(name) = workspace.names().get(id) {
                for file in workspace.file_ids() {
                    let Some(entry) = workspace.file(file) else { continue };
                    for figure in entry.analysis.unread_figures.iter().filter(|f| f.key.name == name) {
                        add(file, &figure.key.range);
                    }
                }
            }
        }
    }
    found.sort_by_key(|r| (r.file, r.range.start(), r.range.end()));
    found.dedup();
    found
}

/// The id ranges of every definition of `id`, sorted.
pub(crate) fn declarations(workspace: &Workspace, namespace: Namespace, id: &str) -> Vec<FileRange> {
    definitions(workspace, namespace, id)
        .into_iter()
        .map(|(file, _, d)| FileRange { file, range: d.id.range })
        .collect()
}

/// The prose of a span's TEXT without markup, on one line.
pub(crate) fn span_plain_text(entry: &FileEntry, syntax: &SourceFile, range: TextRange) -> String {
    let plain = crate::syntax::plain_text(&entry.text, syntax, range);
    collapse_whitespace(&plain)
}

pub(crate) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters, with `…` when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// Escapes user text for inline markdown (also safe in a table cell).
pub(crate) fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Inline code that survives backticks in the text.
pub(crate) fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// "1 mention", "3 mentions".
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The namespace an id written in a block of this kind lives in.
pub(crate) fn namespace_of(kind: crate::syntax::BlockKind) -> Namespace {
    match kind {
        crate::syntax::BlockKind::Entity => Namespace::Entity,
        crate::syntax::BlockKind::Source => Namespace::Source,
        crate::syntax::BlockKind::Quantity => Namespace::Quantity,
    }
}
