use super::CompletionItem;
use crate::workspace::{FileId, Workspace};

pub fn completion(_workspace: &Workspace, _file: FileId, _offset: usize) -> Vec<CompletionItem> {
    Vec::new() // TODO(ide): implement
}
