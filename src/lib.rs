//! Newsmark: a linter and language server for annotated news articles.
//!
//! The analysis core (`syntax`, `quantity`, `workspace`, `checks`, `ide`)
//! knows nothing of LSP; `lsp` and `cli` are thin layers over it.

pub mod base;
pub mod checks;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod export;
pub mod factcheck;
pub mod fix;
#[doc(hidden)]
pub mod fuzzing;
pub mod host;
pub mod ide;
pub mod line_index;
pub mod lsp;
pub mod project;
pub mod quantity;
pub mod report_page;
pub mod syntax;
pub mod text_change;
pub mod workspace;
