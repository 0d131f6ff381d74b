//! Folding ranges: the front matter and each definition block, from the
//! opening line to the closing `---` or `:::` line (its line break excluded,
//! so the fold ends on the closing line).

use crate::syntax::TextRange;
use crate::workspace::{FileId, Workspace};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldKind {
    FrontMatter,
    Block,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoldingRange {
    pub range: TextRange,
    pub kind: FoldKind,
}

pub fn folding_ranges(workspace: &Workspace, file: FileId) -> Vec<FoldingRange> {
    let Some(entry) = workspace.file(file) else { return Vec::new() };
    let syntax = &*entry.syntax();
    let text = &entry.text;
    let front = syntax.front_matter.iter().map(|fm| (fm.range, FoldKind::FrontMatter));
    let blocks = syntax.blocks.iter().map(|b| (b.range, FoldKind::Block));
    front
        .chain(blocks)
        .map(|(range, kind)| FoldingRange { range: without_final_break(text, range), kind })
        // A one-line construct (an unclosed block at the end) folds nothing.
        .filter(|f| text[f.range].contains(['\n', '\r']))
        .collect()
}

fn without_final_break(text: &str, range: TextRange) -> TextRange {
    let end = range.end().min(text.len());
    let start = range.start().min(end);
    let trimmed = text[start..end].trim_end_matches(['\n', '\r']);
    TextRange::new(start, start + trimmed.len())
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{fixture, world, Fixture};
    use super::*;

    fn show(f: &Fixture) -> Vec<String> {
        folding_ranges(&f.workspace, f.file)
            .iter()
            .map(|r| {
                let text = f.text(f.file);
                let (first, _) = super::super::fixture::line_col(text, r.range.start());
                let (last, _) = super::super::fixture::line_col(text, r.range.end());
                format!(
                    "{:?} {first}–{last} ending {:?}",
                    r.kind,
                    &text[r.range.end().saturating_sub(3)..r.range.end()]
                )
            })
            .collect()
    }

    #[test]
    fn front_matter_and_blocks() {
        assert_eq!(show(&world("# NATO to expand$0")), ["FrontMatter 1–8 ending \"---\""]);
        assert_eq!(
            show(&world("::: entity nato$0")),
            ["Block 3–11 ending \":::\"", "Block 13–16 ending \":::\"", "Block 18–21 ending \":::\""]
        );
    }

    #[test]
    fn crlf_and_an_unclosed_block() {
        let f = fixture("---\r\nid: a\r\n---\r\n\r\n::: entity e\r\nname: E\r\n:::\r\n\r\n::: source s\r\n");
        let shown = show(&f);
        assert_eq!(shown[..2], ["FrontMatter 1–3 ending \"---\"", "Block 5–7 ending \":::\""]);
    }
}
