use super::{DocumentSymbol, WorkspaceSymbol};
use crate::workspace::{FileId, Workspace};

pub fn document_symbols(_workspace: &Workspace, _file: FileId) -> Vec<DocumentSymbol> {
    Vec::new() // TODO(ide): implement
}

pub fn workspace_symbols(_workspace: &Workspace, _query: &str) -> Vec<WorkspaceSymbol> {
    Vec::new() // TODO(ide): implement
}
