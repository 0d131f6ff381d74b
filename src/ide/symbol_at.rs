use crate::syntax::TextRange;
use crate::workspace::{FileId, Namespace, Workspace};

/// The id under the cursor, wherever it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SymbolAt {
    pub namespace: Namespace,
    pub id: String,
    /// The id's range at the cursor.
    pub range: TextRange,
}

pub fn symbol_at(_workspace: &Workspace, _file: FileId, _offset: usize) -> Option<SymbolAt> {
    None // TODO(ide): implement
}
