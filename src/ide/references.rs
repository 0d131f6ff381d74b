//! Find references: every place an id is written, across the workspace.
//! Source ids: every `@id` citation item; entities: every `ent=` and `by=`
//! value; quantity keys: every `fig=` value. With the declaration: also the
//! id of each front matter or block defining it. Sorted by file and position.

use super::lookup::{declarations, uses};
use super::symbol_at::symbol_at;
use super::FileRange;
use crate::workspace::{FileId, Workspace};

pub fn references(workspace: &Workspace, file: FileId, offset: usize, include_declaration: bool) -> Vec<FileRange> {
    let Some(symbol) = symbol_at(workspace, file, offset) else { return Vec::new() };
    let mut found = uses(workspace, symbol.namespace, &symbol.id);
    if include_declaration {
        found.extend(declarations(workspace, symbol.namespace, &symbol.id));
        found.sort_by_key(|r| (r.file, r.range.start, r.range.end));
        found.dedup();
    }
    found
}
