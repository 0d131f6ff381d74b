use super::CodeAction;
use crate::syntax::TextRange;
use crate::workspace::{FileId, Workspace};

pub fn code_actions(_workspace: &Workspace, _file: FileId, _range: TextRange) -> Vec<CodeAction> {
    Vec::new() // TODO(ide): implement
}
