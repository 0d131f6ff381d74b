use super::SemanticToken;
use crate::workspace::{FileId, Workspace};

pub fn semantic_tokens(_workspace: &Workspace, _file: FileId) -> Vec<SemanticToken> {
    Vec::new() // TODO(ide): implement
}
