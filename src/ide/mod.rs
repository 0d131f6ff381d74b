//! Editor features as plain data: byte ranges in workspace files, labels
//! and markdown. Knows nothing of LSP; the `lsp` layer converts.

mod code_actions;
mod code_lenses;
mod completion;
mod definition;
mod document_links;
#[cfg(test)]
mod fixture;
mod folding_ranges;
mod highlights;
mod hover;
mod inlay_hints;
mod lookup;
mod references;
mod rename;
mod selection_ranges;
mod semantic_tokens;
mod symbol_at;
mod symbols;

pub use code_actions::code_actions;
pub use code_lenses::{code_lenses, CodeLens, CodeLensKind};
pub use completion::{completion, completion_list, CompletionList, MAX_COMPLETIONS};
pub use definition::goto_definition;
pub use document_links::{document_links, DocumentLink, LinkTarget};
pub use folding_ranges::{folding_ranges, FoldKind, FoldingRange};
pub use highlights::{document_highlights, Highlight, HighlightKind};
pub use hover::hover;
pub use inlay_hints::{inlay_hints, InlayHint, InlayHintConfig, InlayHintKind};
pub use references::references;
pub use rename::{prepare_rename, rename};
pub use selection_ranges::selection_ranges;
pub use semantic_tokens::{semantic_tokens, semantic_tokens_in};
pub use symbol_at::{symbol_at, SymbolAt};
pub use symbols::{document_symbols, workspace_symbols, MAX_WORKSPACE_SYMBOLS};

use crate::syntax::TextRange;
use crate::workspace::FileId;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRange {
    pub file: FileId,
    pub range: TextRange,
}

/// Where to jump: the whole construct, and the part to select (the id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NavigationTarget {
    pub file: FileId,
    pub full_range: TextRange,
    pub focus_range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverResult {
    pub range: TextRange,
    pub markdown: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Source,
    Article,
    Entity,
    QuantityKey,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    /// One line: "Reuters, 2020-02-12" or "person — Secretary General of NATO".
    pub detail: String,
    /// Markdown.
    pub documentation: String,
    /// The range the label replaces (the partial id typed so far).
    pub replace_range: TextRange,
}

/// One edit model for fixes, code actions and renames.
pub use crate::fix::Edit as TextEdit;

/// Edits by file. A file that does not exist yet is named by `new_file`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SourceChange {
    pub edits: Vec<(FileId, Vec<TextEdit>)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Article,
    Source,
    Entity,
    Quantity,
    Figure,
    Quote,
    Mention,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentSymbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    pub full_range: TextRange,
    pub focus_range: TextRange,
    pub children: Vec<DocumentSymbol>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: SymbolKind,
    pub target: NavigationTarget,
    /// The file's article id or name, shown beside the symbol.
    pub container: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    pub change: SourceChange,
    /// The diagnostic code this fixes, if any.
    pub fixes: Option<crate::diagnostic::Code>,
    pub preferred: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// `[`, `]`, `{`, `}`, `:::` and other markup punctuation.
    Punctuation,
    /// Attribute and field names.
    Property,
    /// Ids in attributes, blocks and citations.
    EntityId,
    SourceId,
    QuantityKey,
    /// `value=` / `asof=` values and dates.
    Number,
    /// A quote's text.
    Quote,
    /// A figure's text.
    Figure,
    /// A mention's text.
    Mention,
    /// A citation's prefix and locator.
    Comment,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SemanticToken {
    pub range: TextRange,
    pub kind: TokenKind,
    /// Set on ids where they are defined.
    pub definition: bool,
}

#[cfg(test)]
mod tests {
    use super::fixture::{assert_valid_range, fixture, WORLD};
    use super::*;

    /// Broken and unusual markup: unclosed spans and blocks, empty ids,
    /// CRLF, a BOM, emoji and CJK right next to the markup.
    const HOSTILE: &str = "//- /x.news.md\n\u{feff}---\r\nid: x\r\npublished: 2020-13-45\r\n---\r\n\
        🎉[北约]{ent=} [“说 [Jens]{ent=stoltenberg}”]{by=\"a b} [@] [@x; see @y, p. 4] [@🎉]\r\n\
        [[nested]{fig=k}]{fig=k2 value=\"~5\"}[-@x] 400 troops \\[not\\] `[code]{ent=c}`\r\n\
        ::: entity\r\n::: quantity k\r\nlabel: 数量\r\n::: source y\r\ntitle: Y\r\n:::\r\n[unclosed{ent=x\r\n\
        //- /y.news.md\n[5]{fig=k}";

    /// Every answer at every offset, as text: what a client would be sent.
    fn answers(ws: &crate::workspace::Workspace, file: FileId) -> Vec<String> {
        let len = ws.entry(file).text.len();
        let whole = TextRange::new(0, len);
        let mut out = vec![
            format!("{:?}", semantic_tokens(ws, file)),
            format!("{:?}", document_symbols(ws, file)),
            format!("{:?}", inlay_hints(ws, file, whole, InlayHintConfig::default())),
            format!("{:?}", code_lenses(ws, file)),
            format!("{:?}", document_links(ws, file)),
            format!("{:?}", folding_ranges(ws, file)),
            format!("{:?}", code_actions(ws, file, whole)),
            format!("{:?}", crate::checks::file_diagnostics(ws, file)),
        ];
        for offset in 0..=len {
            out.push(format!(
                "{offset}: {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                hover(ws, file, offset),
                goto_definition(ws, file, offset),
                references(ws, file, offset, true),
                document_highlights(ws, file, offset),
                selection_ranges(ws, file, offset),
                completion(ws, file, offset),
                prepare_rename(ws, file, offset),
                rename(ws, file, offset, "renamed"),
                code_actions(ws, file, TextRange::empty(offset)),
            ));
        }
        out
    }

    /// Closed files keep no tree (a fixture is loaded like `check` loads a
    /// project): every feature must answer as it does with every tree kept,
    /// as an open document's is.
    #[test]
    fn every_feature_answers_the_same_whether_trees_are_kept_or_rebuilt() {
        for text in [WORLD, HOSTILE] {
            let closed = fixture(text).workspace;
            let mut open = closed.clone();
            let names: Vec<String> = open.file_ids().map(|f| open.entry(f).name.clone()).collect();
            for name in &names {
                open.keep_tree(name, true);
            }
            for file in closed.file_ids() {
                assert!(!closed.entry(file).keeps_tree() && open.entry(file).keeps_tree());
                assert_eq!(answers(&closed, file), answers(&open, file), "{}", closed.entry(file).name);
            }
            assert_eq!(format!("{:?}", workspace_symbols(&closed, "")), format!("{:?}", workspace_symbols(&open, "")));
        }
    }

    #[test]
    fn every_feature_at_every_offset_gives_valid_ranges() {
        for text in [WORLD, HOSTILE] {
            let f = fixture(text);
            let mut hovers = 0;
            let ws = &f.workspace;
            for file in ws.file_ids() {
                let len = f.text(file).len();
                let check = |target: FileId, range: &crate::syntax::TextRange| {
                    assert_valid_range(f.text(target), range);
                };
                for t in semantic_tokens(ws, file) {
                    check(file, &t.range);
                }
                for s in document_symbols(ws, file) {
                    check(file, &s.full_range);
                    check(file, &s.focus_range);
                }
                for h in inlay_hints(ws, file, TextRange::new(0, len), InlayHintConfig::default()) {
                    check(file, &TextRange::empty(h.offset));
                }
                for lens in code_lenses(ws, file) {
                    check(file, &lens.range);
                    lens.targets.iter().for_each(|t| check(t.file, &t.range));
                }
                for link in document_links(ws, file) {
                    check(file, &link.range);
                    if let LinkTarget::Definition { file: target, range } = &link.target {
                        check(*target, range);
                    }
                }
                for fold in folding_ranges(ws, file) {
                    check(file, &fold.range);
                }
                for t in semantic_tokens_in(ws, file, TextRange::new(len / 3, len / 2)) {
                    check(file, &t.range);
                }
                for action in code_actions(ws, file, TextRange::new(0, len)) {
                    for (target, edits) in &action.change.edits {
                        edits.iter().for_each(|e| check(*target, &e.range));
                    }
                }
                for offset in 0..=len + 2 {
                    if let Some(s) = symbol_at(ws, file, offset) {
                        check(file, &s.range);
                    }
                    if let Some(h) = hover(ws, file, offset) {
                        check(file, &h.range);
                        hovers += 1;
                    }
                    for t in goto_definition(ws, file, offset) {
                        check(t.file, &t.full_range);
                        check(t.file, &t.focus_range);
                    }
                    for r in references(ws, file, offset, true) {
                        check(r.file, &r.range);
                    }
                    for h in document_highlights(ws, file, offset) {
                        check(file, &h.range);
                    }
                    let chain = selection_ranges(ws, file, offset);
                    for (inner, outer) in chain.iter().zip(chain.iter().skip(1)) {
                        check(file, outer);
                        assert!(outer.start() <= inner.start() && inner.end() <= outer.end() && outer != inner);
                    }
                    for c in completion(ws, file, offset) {
                        check(file, &c.replace_range);
                    }
                    if let Ok(range) = prepare_rename(ws, file, offset) {
                        check(file, &range);
                    }
                    if let Ok(change) = rename(ws, file, offset, "renamed") {
                        for (target, edits) in &change.edits {
                            edits.iter().for_each(|e| check(*target, &e.range));
                        }
                    }
                    for action in code_actions(ws, file, TextRange::empty(offset)) {
                        assert!(action.fixes.is_some());
                    }
                }
            }
            assert!(hovers > 100, "only {hovers} hovers");
            for s in workspace_symbols(ws, "") {
                assert_valid_range(f.text(s.target.file), &s.target.focus_range);
            }
        }
    }
}
