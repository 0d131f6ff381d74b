use super::FileRange;
use crate::workspace::{FileId, Workspace};

pub fn references(_workspace: &Workspace, _file: FileId, _offset: usize, _include_declaration: bool) -> Vec<FileRange> {
    Vec::new() // TODO(ide): implement
}
