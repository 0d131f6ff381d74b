//! Rename an entity id, an article or source id, or a quantity key in
//! every file: each definition's id (block header or front matter `id:`)
//! and each use (`ent=`, `by=`, `@`, `fig=`).

use super::lookup::{declarations, definitions, short_name, uses};
use super::symbol_at::{symbol_at, SymbolAt};
use super::{SourceChange, TextEdit};
use crate::syntax::{is_valid_id, TextRange};
use crate::workspace::{FileId, Workspace};

fn renamable(workspace: &Workspace, file: FileId, offset: usize) -> Result<SymbolAt, String> {
    symbol_at(workspace, file, offset).ok_or_else(|| {
        "nothing to rename here: put the cursor on an entity, article, source or quantity id".to_string()
    })
}

/// The range of the id to rename, as written at the cursor.
pub fn prepare_rename(workspace: &Workspace, file: FileId, offset: usize) -> Result<TextRange, String> {
    renamable(workspace, file, offset).map(|symbol| symbol.range)
}

pub fn rename(workspace: &Workspace, file: FileId, offset: usize, new_name: &str) -> Result<SourceChange, String> {
    let symbol = renamable(workspace, file, offset)?;
    if !is_valid_id(new_name) {
        return Err(format!(
            "`{new_name}` is not a valid id: use letters, digits, `.`, `_` and `-`, starting with a letter or digit"
        ));
    }
    if new_name == symbol.id {
        return Ok(SourceChange::default());
    }
    if let Some((other, _, _)) = definitions(workspace, symbol.namespace, new_name).first() {
        return Err(format!(
            "cannot rename to `{new_name}`: {} `{new_name}` is already defined in {}",
            symbol.namespace.describe(),
            short_name(workspace, *other)
        ));
    }
    let mut ranges = uses(workspace, symbol.namespace, &symbol.id);
    ranges.extend(declarations(workspace, symbol.namespace, &symbol.id));
    ranges.sort_by_key(|r| (r.file, r.range.start, r.range.end));
    ranges.dedup();
    let mut change = SourceChange::default();
    for range in ranges {
        let edit = TextEdit { range: range.range, new_text: new_name.to_string() };
        match change.edits.last_mut() {
            Some((f, edits)) if *f == range.file => edits.push(edit),
            _ => change.edits.push((range.file, vec![edit])),
        }
    }
    Ok(change)
}
