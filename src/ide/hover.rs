use super::HoverResult;
use crate::workspace::{FileId, Workspace};

pub fn hover(_workspace: &Workspace, _file: FileId, _offset: usize) -> Option<HoverResult> {
    None // TODO(ide): implement
}
