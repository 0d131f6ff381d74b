//! Semantic tokens: markup punctuation, field and attribute names, ids,
//! dates and values, and the TEXT of quotes, figures and mentions.
//!
//! Tokens never overlap and come sorted. A span's TEXT is cut around the
//! spans and citations nested in it: a quote holding a mention yields a
//! Quote piece, the mention's own tokens, then another Quote piece.

use super::{SemanticToken, TokenKind};
use crate::syntax::{Block, Citation, Field, FrontMatter, Run, SourceFile, Span, SpanKind, TextRange};
use crate::workspace::analysis::FileAnalysis;
use crate::workspace::{FileId, Workspace};

/// The tokens that overlap `range` (a client asks for the visible part of
/// a long file), in order.
pub fn semantic_tokens_in(workspace: &Workspace, file: FileId, range: TextRange) -> Vec<SemanticToken> {
    let mut tokens = semantic_tokens(workspace, file);
    tokens.retain(|t| t.range.start() < range.end() && range.start() < t.range.end());
    tokens
}

struct Tokens<'a> {
    text: &'a str,
    syntax: &'a SourceFile,
    list: Vec<SemanticToken>,
}

impl Tokens<'_> {
    fn push(&mut self, range: TextRange, kind: TokenKind) {
        self.push_def(range, kind, false);
    }

    fn push_def(&mut self, range: TextRange, kind: TokenKind, definition: bool) {
        let valid = range.start() < range.end()
            && range.end() <= self.text.len()
            && self.text.is_char_boundary(range.start())
            && self.text.is_char_boundary(range.end());
        if valid {
            self.list.push(SemanticToken { range, kind, definition });
        }
    }

    /// `range` when the text there is exactly `expected`.
    fn push_literal(&mut self, at: usize, expected: &str, kind: TokenKind) {
        if self.text.get(at..at + expected.len()) == Some(expected) {
            self.push(TextRange::new(at, at + expected.len()), kind);
        }
    }
}

pub fn semantic_tokens(workspace: &Workspace, file: FileId) -> Vec<SemanticToken> {
    let Some(entry) = workspace.file(file) else { return Vec::new() };
    let syntax = &*entry.syntax();
    let mut tokens = Tokens { text: &entry.text, syntax, list: Vec::new() };
    let analysis = &entry.analysis;
    if let Some(fm) = &syntax.front_matter {
        front_matter(&mut tokens, analysis, fm);
    }
    for block in &syntax.blocks {
        definition_block(&mut tokens, block);
    }
    let holes = holes_by_span(syntax);
    for (span, holes) in syntax.spans.iter().zip(&holes) {
        inline_span(&mut tokens, span, holes);
    }
    for citation in &syntax.citations {
        citation_tokens(&mut tokens, citation);
    }
    let mut list = tokens.list;
    list.sort_by_key(|t| (t.range.start(), t.range.end()));
    // Defensive: the pieces above do not overlap, and must never be sent so.
    let mut end = 0;
    list.retain(|t| {
        let keep = t.range.start() >= end;
        if keep {
            end = t.range.end();
        }
        keep
    });
    list
}

/// The trimmed content of the line starting at `start` (within `limit`).
fn trimmed_line(text: &str, start: usize, limit: usize) -> TextRange {
    let line = text.get(start..limit).unwrap_or("");
    let end = line.find(['\n', '\r']).unwrap_or(line.len());
    let content = &line[..end];
    let lead = content.len() - content.trim_start().len();
    TextRange::new(start + lead, start + content.trim_end().len())
}

/// Where the last line of `range` starts.
fn last_line_start(text: &str, range: &TextRange) -> usize {
    let inside = text.get(range.to_range()).unwrap_or("");
    inside.rfind(['\n', '\r']).map_or(range.start(), |i| range.start() + i + 1)
}

fn fields(tokens: &mut Tokens, fields: Run<Field>, dates: &[&str]) {
    for field in tokens.syntax.fields(fields) {
        tokens.push(field.key, TokenKind::Property);
        if dates.contains(&&tokens.text[field.key]) {
            tokens.push(field.value, TokenKind::Number);
        }
    }
}

fn front_matter(tokens: &mut Tokens, analysis: &FileAnalysis, fm: &FrontMatter) {
    let first = trimmed_line(tokens.text, fm.range.start(), fm.range.end());
    let open = tokens.text.get(first.to_range()).and_then(|line| line.find("---")).map(|i| first.start() + i);
    if let Some(open) = open {
        tokens.push_literal(open, "---", TokenKind::Punctuation);
    }
    let last = last_line_start(tokens.text, &fm.range);
    if last > fm.range.start() {
        let closing = trimmed_line(tokens.text, last, fm.range.end());
        if matches!(tokens.text.get(closing.to_range()), Some("---" | "...")) {
            tokens.push(closing, TokenKind::Punctuation);
        }
    }
    for field in tokens.syntax.fields(fm.fields) {
        tokens.push(field.key, TokenKind::Property);
        match &tokens.text[field.key] {
            "published" => tokens.push(field.value, TokenKind::Number),
            "id" => {
                let defines = analysis.article.as_ref().is_some_and(|a| a.id == field.value);
                if defines {
                    tokens.push_def(field.value, TokenKind::SourceId, true);
                }
            }
            _ => {}
        }
    }
}

fn definition_block(tokens: &mut Tokens, block: &Block) {
    let header = block.header_range;
    let line = tokens.text.get(header.to_range()).unwrap_or("");
    let indent = line.len() - line.trim_start_matches(' ').len();
    let colons = line[indent..].bytes().take_while(|&b| b == b':').count();
    tokens.push(TextRange::new(header.start() + indent, header.start() + indent + colons), TokenKind::Punctuation);
    let after = &line[indent + colons..];
    let word_at = indent + colons + (after.len() - after.trim_start().len());
    let word_len = line[word_at..].bytes().take_while(u8::is_ascii_alphabetic).count();
    tokens.push(TextRange::new(header.start() + word_at, header.start() + word_at + word_len), TokenKind::Property);
    let kind = match block.kind {
        crate::syntax::BlockKind::Entity => TokenKind::EntityId,
        crate::syntax::BlockKind::Source => TokenKind::SourceId,
        crate::syntax::BlockKind::Quantity => TokenKind::QuantityKey,
    };
    tokens.push_def(block.id, kind, true);
    fields(tokens, block.fields, &["from", "until", "published"]);
    let last = last_line_start(tokens.text, &block.range);
    if last > header.start() {
        let closing = trimmed_line(tokens.text, last, block.range.end());
        let is_fence =
            tokens.text.get(closing.to_range()).is_some_and(|t| t.len() >= 3 && t.bytes().all(|b| b == b':'));
        if is_fence {
            tokens.push(closing, TokenKind::Punctuation);
        }
    }
}

/// For each span, the spans and citations directly inside its TEXT, in
/// order (deeper ones lie within those). One sweep over the file with a
/// stack of the spans still open, not a pass over the file per span: a
/// paragraph of n spans, or n spans nested, costs n log n, not n².
fn holes_by_span(syntax: &SourceFile) -> Vec<Vec<TextRange>> {
    let mut holes = vec![Vec::new(); syntax.spans.len()];
    let mut items: Vec<(TextRange, Option<usize>)> = syntax
        .spans
        .iter()
        .enumerate()
        .map(|(i, s)| (s.range, Some(i)))
        .chain(syntax.citations.iter().map(|c| (c.range, None)))
        .collect();
    items.sort_by_key(|(r, _)| (r.start(), std::cmp::Reverse(r.end())));
    let mut open: Vec<usize> = Vec::new();
    for (range, span) in items {
        while open.last().is_some_and(|&top| syntax.spans[top].text_range.end() <= range.start()) {
            open.pop();
        }
        if let Some(&top) = open.last() {
            let text = &syntax.spans[top].text_range;
            if text.start() <= range.start() && range.end() <= text.end() {
                holes[top].push(range);
            }
        }
        if let Some(index) = span {
            open.push(index);
        }
    }
    holes
}

fn inline_span(tokens: &mut Tokens, span: &Span, holes: &[TextRange]) {
    tokens.push_literal(span.range.start(), "[", TokenKind::Punctuation);
    tokens.push_literal(span.text_range.end(), "]", TokenKind::Punctuation);
    tokens.push_literal(span.attrs_range.start(), "{", TokenKind::Punctuation);
    tokens.push_literal(span.attrs_range.end().saturating_sub(1), "}", TokenKind::Punctuation);
    for attr in tokens.syntax.attrs(span.attrs) {
        tokens.push(attr.key, TokenKind::Property);
        let kind = match &tokens.text[attr.key] {
            "ent" | "by" => TokenKind::EntityId,
            "fig" => TokenKind::QuantityKey,
            "value" | "asof" => TokenKind::Number,
            _ => continue,
        };
        tokens.push(attr.value.range, kind);
    }
    let kind = match span.kind {
        SpanKind::Mention { .. } => TokenKind::Mention,
        SpanKind::Figure { .. } => TokenKind::Figure,
        SpanKind::Quote { .. } => TokenKind::Quote,
        SpanKind::Unknown => return,
    };
    let mut at = span.text_range.start();
    for hole in holes {
        if hole.start() > at {
            tokens.push(TextRange::new(at, hole.start()), kind);
        }
        at = at.max(hole.end());
    }
    if at < span.text_range.end() {
        tokens.push(TextRange::new(at, span.text_range.end()), kind);
    }
}

fn citation_tokens(tokens: &mut Tokens, citation: &Citation) {
    let range = citation.range;
    if citation.in_text {
        // `@id` or `@{id}`: no brackets, prefix or locator.
        for item in tokens.syntax.items(citation.items).to_vec() {
            key_tokens(tokens, item.id);
        }
        return;
    }
    tokens.push_literal(range.start(), "[", TokenKind::Punctuation);
    tokens.push_literal(range.end().saturating_sub(1), "]", TokenKind::Punctuation);
    let content_range = range.start() + 1..range.end().saturating_sub(1);
    let Some(content) = tokens.text.get(content_range.clone()) else { return };
    // Items are the `;`-separated parts, as the parser reads them.
    let mut part_start = content_range.start;
    let mut comments = Vec::new();
    for part in content.split(';') {
        let part_range = part_start..part_start + part.len();
        match tokens
            .syntax
            .items(citation.items)
            .iter()
            .find(|i| part_range.start < i.id.start() && i.id.end() <= part_range.end)
        {
            Some(item) => {
                let (at, after) = key_tokens(tokens, item.id);
                comments.push(part_range.start..at);
                comments.push(after..part_range.end);
            }
            None => comments.push(part_range.clone()),
        }
        if part_range.end < content_range.end {
            tokens.push_literal(part_range.end, ";", TokenKind::Punctuation);
        }
        part_start = part_range.end + 1;
    }
    for comment in comments {
        let Some(piece) = tokens.text.get(comment.clone()) else { continue };
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = comment.start + lead..comment.start + piece.trim_end().len();
        if trimmed.start < trimmed.end {
            tokens.push(trimmed.into(), TokenKind::Comment);
        }
    }
}

/// The tokens of one citation key `id`: its `@` (or `@{` … `}` around a
/// braced key) and the id. Returns where the key's text starts and ends.
fn key_tokens(tokens: &mut Tokens, id: TextRange) -> (usize, usize) {
    let braced = id.start() >= 2 && tokens.text.as_bytes()[id.start() - 1] == b'{';
    let at = id.start() - 1 - usize::from(braced);
    tokens.push_literal(at, if braced { "@{" } else { "@" }, TokenKind::Punctuation);
    tokens.push(id, TokenKind::SourceId);
    if braced {
        tokens.push_literal(id.end(), "}", TokenKind::Punctuation);
    }
    (at, id.end() + usize::from(braced))
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{assert_valid_range, fixture, Fixture, WORLD};
    use super::*;

    /// One token per line: kind, `*` when it defines, and its text.
    fn render(f: &Fixture) -> String {
        let text = f.text(f.file);
        let tokens = semantic_tokens(&f.workspace, f.file);
        let mut out = String::new();
        let mut end = 0;
        for t in &tokens {
            assert_valid_range(text, &t.range);
            assert!(t.range.start() >= end, "{t:?} overlaps the previous token");
            end = t.range.end();
            let star = if t.definition { "*" } else { "" };
            out.push_str(&format!("{:?}{star} {:?}\n", t.kind, &text[t.range]));
        }
        out
    }

    #[test]
    fn quote_with_a_nested_mention_figure_and_citation() {
        let f = fixture(
            "Officials said [“[a couple of hundred]{fig=transfer value=\"200..300\"}[@ap-2020] troops of [NATO]{ent=nato} will move”]{by=officials}[see @ap-2020, p. 4; @reuters].\n",
        );
        insta::assert_snapshot!("nested_quote", render(&f));
    }

    #[test]
    fn front_matter_and_definition_blocks() {
        let f = fixture(
            "---\nid: ap-2020\npublished: 2020-02-13\ntitle: Something\n---\n\n::: entity nato\nname: NATO\nfrom: 1949-04-04\n:::\n\n::: quantity nato.members\nlabel: Members\n:::\n",
        );
        insta::assert_snapshot!("definitions", render(&f));
    }

    #[test]
    fn whole_world_files_have_valid_tokens() {
        let f = fixture(WORLD);
        for file in f.workspace.file_ids() {
            let g = Fixture { workspace: f.workspace.clone(), file, offset: 0, range: TextRange::empty(0) };
            assert!(!render(&g).is_empty());
        }
    }

    #[test]
    fn tokens_after_emoji_and_cjk_stay_on_char_boundaries() {
        let f = fixture("🎉 北约 [“秘书长 [斯托尔滕贝格]{ent=stoltenberg} 说”]{by=stoltenberg}[见 @src]\n");
        assert_eq!(
            render(&f),
            "Punctuation \"[\"\nQuote \"“秘书长 \"\nPunctuation \"[\"\nMention \"斯托尔滕贝格\"\nPunctuation \"]\"\n\
             Punctuation \"{\"\nProperty \"ent\"\nEntityId \"stoltenberg\"\nPunctuation \"}\"\nQuote \" 说”\"\n\
             Punctuation \"]\"\nPunctuation \"{\"\nProperty \"by\"\nEntityId \"stoltenberg\"\nPunctuation \"}\"\n\
             Punctuation \"[\"\nComment \"见\"\nPunctuation \"@\"\nSourceId \"src\"\nPunctuation \"]\"\n"
        );
    }

    #[test]
    fn in_text_and_braced_citation_keys() {
        let f = fixture("Said @src and @{src} [p. 2], as [see @{src}, p. 4; @src].\n");
        assert_eq!(
            render(&f),
            "Punctuation \"@\"\nSourceId \"src\"\nPunctuation \"@{\"\nSourceId \"src\"\nPunctuation \"}\"\n\
             Punctuation \"[\"\nComment \"see\"\nPunctuation \"@{\"\nSourceId \"src\"\nPunctuation \"}\"\n\
             Comment \", p. 4\"\nPunctuation \";\"\nPunctuation \"@\"\nSourceId \"src\"\nPunctuation \"]\"\n"
        );
    }

    /// Many spans side by side, or nested deep, cost linear time: each
    /// span's holes come from one sweep, not a pass over every span.
    #[test]
    fn many_spans_are_linear() {
        use crate::config::Config;
        use crate::workspace::Workspace;
        for text in ["[a]{ent=x} [@s] ".repeat(40_000), "[a ".repeat(40_000) + &"]{ent=x}".repeat(40_000)] {
            let workspace = Workspace::from_files(Config::default(), vec![("a.news.md".into(), text.clone())]);
            let file = workspace.file_id("a.news.md").unwrap();
            let started = std::time::Instant::now();
            let tokens = semantic_tokens(&workspace, file);
            assert!(started.elapsed() < std::time::Duration::from_secs(10), "{:?}", started.elapsed());
            assert!(tokens.len() > 40_000);
            for t in &tokens {
                assert_valid_range(&text, &t.range);
            }
        }
    }
}
