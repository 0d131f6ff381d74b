use super::SourceChange;
use crate::syntax::TextRange;
use crate::workspace::{FileId, Workspace};

pub fn prepare_rename(_workspace: &Workspace, _file: FileId, _offset: usize) -> Result<TextRange, String> {
    Err("not implemented".to_string()) // TODO(ide): implement
}

pub fn rename(_workspace: &Workspace, _file: FileId, _offset: usize, _new_name: &str) -> Result<SourceChange, String> {
    Err("not implemented".to_string()) // TODO(ide): implement
}
