use super::NavigationTarget;
use crate::workspace::{FileId, Workspace};

pub fn goto_definition(_workspace: &Workspace, _file: FileId, _offset: usize) -> Vec<NavigationTarget> {
    Vec::new() // TODO(ide): implement
}
