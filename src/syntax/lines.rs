//! The line-level pass: splits a file into front matter, definition blocks,
//! fenced code and prose paragraphs. Inline markup is parsed later, one
//! paragraph at a time.

use super::attrs::parse_attr_list;
use super::blocks::Resync;
use super::fields::parse_field;
use super::tree::{Block, BlockKind, Field, FrontMatter, Run, SyntaxError, SyntaxErrorKind, TextRange};
use super::Sink;

#[derive(Clone, Copy, Debug)]
pub(super) struct Line {
    pub start: usize,
    /// End of the content, before the line terminator.
    pub end: usize,
}

pub(super) fn split_lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    // memchr's SIMD search for the two terminator bytes: this pass touches
    // every byte of every file.
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if i < start {
            // The `\n` of a `\r\n`, taken with its `\r`.
            continue;
        }
        lines.push(Line { start, end: i });
        start = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
    }
    if start < bytes.len() || lines.is_empty() {
        lines.push(Line { start, end: bytes.len() });
    }
    lines
}

pub(super) struct Structure {
    pub front_matter: Option<FrontMatter>,
    pub blocks: Vec<Block>,
    pub paragraphs: Vec<TextRange>,
    pub holes: Vec<TextRange>,
    pub comments: Vec<TextRange>,
    pub sync_points: Vec<usize>,
    pub stopped_at: Option<usize>,
    pub cell_parts: Vec<(u32, u32)>,
}

/// Reads the structure of `text`, which starts the file when
/// `with_front_matter` (front matter is only read there); the fields of the
/// front matter and of every block go into `fields`, in order.
pub(super) fn parse_structure(
    text: &str,
    with_front_matter: bool,
    resync: &Resync,
    fields: &mut Vec<Field>,
    sink: &mut Sink,
) -> Structure {
    let lines = split_lines(text);
    let mut at = 0;
    let mut front_matter = None;
    let mut reach = 0;
    if with_front_matter {
        if let Some((fm, next, looked)) = parse_front_matter(text, &lines, fields, sink) {
            front_matter = Some(fm);
            at = next;
            reach = looked;
        }
    }
    let out = super::blocks::parse_blocks(text, &lines[at..], fields, reach, resync, sink);
    Structure {
        front_matter,
        blocks: out.blocks,
        paragraphs: out.paragraphs,
        holes: out.holes,
        comments: out.comments,
        sync_points: out.sync_points,
        stopped_at: out.stopped_at,
        cell_parts: out.cell_parts,
    }
}

fn indent_ok(content: &str) -> Option<&str> {
    let trimmed = content.trim_start_matches(' ');
    (content.len() - trimmed.len() <= 3).then_some(trimmed)
}

/// After a fence's colons: pandoc's div opening, `{attributes}` or one
/// word, then optionally more colons.
pub(super) fn is_div_opening(rest: &str) -> bool {
    let t = rest.trim();
    if t.starts_with('{') {
        return t.trim_end_matches(':').trim_end().ends_with('}');
    }
    let word = t.trim_end_matches(':').trim_end();
    !word.is_empty() && !word.contains([' ', '\t'])
}

/// Number of leading colons when the line is a `:::` fence.
pub(super) fn div_fence(content: &str) -> Option<usize> {
    let t = indent_ok(content)?;
    let colons = t.bytes().take_while(|&b| b == b':').count();
    (colons >= 3).then_some(colons + (content.len() - t.len()))
}

fn is_closing_fence(content: &str) -> bool {
    div_fence(content).is_some_and(|colons| content[colons..].trim().is_empty())
}

/// A definition block's opening line, in either form.
pub(super) struct BlockHeader {
    kind: BlockKind,
    /// Empty (at the end of the header) when the header names no id.
    id: TextRange,
    errors: Vec<SyntaxError>,
}

/// `::: entity stoltenberg` (Newsmark's short form) or `::: {.entity
/// #stoltenberg}` (pandoc's attribute form, in any order, other classes
/// and attributes ignored). None for other pandoc divs. `line` is the
/// header line's range in `text`; `colons` where its fence ends.
pub(super) fn block_header(text: &str, line: TextRange, colons: usize) -> Option<BlockHeader> {
    let content = &text[line];
    let rest = &content[colons..];
    let word_at = colons + (rest.len() - rest.trim_start().len());
    if content[word_at..].starts_with('{') {
        return attribute_header(text, line.start() + word_at, line.end());
    }
    let word_len = content[word_at..].bytes().take_while(u8::is_ascii_alphabetic).count();
    let kind = BlockKind::from_word(&content[word_at..word_at + word_len])?;
    let after = &content[word_at + word_len..];
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let id_part = after.trim_end_matches([' ', '\t', ':']);
    let lead = id_part.len() - id_part.trim_start().len();
    let id_text = id_part.trim_start();
    let id_start = line.start() + word_at + word_len + lead;
    let id = TextRange::new(id_start, id_start + id_text.len());
    Some(BlockHeader { kind, id, errors: Vec::new() })
}

fn attribute_header(text: &str, open: usize, end: usize) -> Option<BlockHeader> {
    let list = parse_attr_list(text, open, end).ok()?;
    let mut kinds = list.classes.iter().filter_map(|c| BlockKind::from_word(&text[*c]).map(|k| (k, c)));
    let (kind, _) = kinds.next()?;
    let mut errors = Vec::new();
    for (other, class) in kinds.filter(|(k, _)| *k != kind) {
        errors.push(SyntaxError {
            kind: SyntaxErrorKind::InvalidAttribute,
            range: *class,
            message: format!(
                "a definition block has one kind: `.{}` and `.{}` cannot be combined",
                kind.as_str(),
                other.as_str()
            ),
            fix: None,
        });
    }
    // What follows the list may only be closing colons (pandoc's rule).
    if !text[list.end..end].trim_matches([' ', '\t', ':']).is_empty() {
        return None;
    }
    let id = list.identifier.unwrap_or(TextRange::empty(list.end));
    Some(BlockHeader { kind, id, errors })
}

pub(super) fn parse_block(
    text: &str,
    lines: &[Line],
    open: usize,
    header: BlockHeader,
    fields: &mut Vec<Field>,
    sink: &mut Sink,
) -> (Block, usize) {
    let BlockHeader { kind, id, errors } = header;
    for e in errors {
        sink.error(e.kind, e.range, e.message);
    }
    let header = lines[open];
    let header_range = TextRange::new(header.start, header.end);
    let id_text = &text[id];
    if id_text.is_empty() {
        sink.error(
            SyntaxErrorKind::Malformed,
            header_range,
            format!(
                "`::: {}` block has no id: write `::: {{.{} #some-id}}` or `::: {} some-id`",
                kind.as_str(),
                kind.as_str(),
                kind.as_str()
            ),
        );
    } else if !super::is_valid_id(id_text) {
        sink.error(
            SyntaxErrorKind::InvalidAttribute,
            id,
            format!(
                "`{id_text}` is not a valid id: use letters, digits, `.`, `_` and `-`, starting with a letter or digit"
            ),
        );
    }
    let close = (open + 1..lines.len()).find_map(|at| {
        let content = &text[lines[at].start..lines[at].end];
        if is_closing_fence(content) {
            Some(Ok(at))
        } else if div_fence(content)
            .and_then(|c| block_header(text, TextRange::new(lines[at].start, lines[at].end), c))
            .is_some()
        {
            Some(Err(at))
        } else {
            None
        }
    });
    let first = fields.len();
    match close {
        Some(Ok(close)) => {
            parse_fields(text, &lines[open + 1..close], "a definition block", fields, sink);
            let fields = Run::new(first..fields.len());
            let block = Block { kind, id, range: TextRange::new(header.start, lines[close].end), header_range, fields };
            (block, close + 1)
        }
        _ => {
            sink.error(
                SyntaxErrorKind::Malformed,
                header_range,
                format!("`::: {}` block is not closed: add a line `:::` after its fields", kind.as_str()),
            );
            // Recover by keeping the field lines that follow, so the prose
            // after an unclosed block is still checked as prose.
            let at = take_field_lines(text, lines, open + 1, first, fields, sink);
            let end = if at > open + 1 { lines[at - 1].end } else { header.end };
            let fields = Run::new(first..fields.len());
            (Block { kind, id, range: TextRange::new(header.start, end), header_range, fields }, at)
        }
    }
}

/// The `key: value` lines of a closed block or front matter, added to
/// `fields`; blank lines and `#` comments are skipped, anything else is
/// reported.
fn parse_fields(text: &str, lines: &[Line], within: &str, fields: &mut Vec<Field>, sink: &mut Sink) {
    let first = fields.len();
    for line in lines {
        let content = &text[line.start..line.end];
        if content.trim().is_empty() || content.trim_start().starts_with('#') {
            continue;
        }
        match parse_field(text, TextRange::new(line.start, line.end)) {
            Some(field) => push_field(text, fields, first, field, sink),
            None => sink.error(
                SyntaxErrorKind::Malformed,
                TextRange::new(line.start, line.end),
                format!("expected a `key: value` line in {within}"),
            ),
        }
    }
}

/// After an unclosed header: the field lines that directly follow it, added
/// to the fields from `first` on. Returns the index of the first line that
/// is not a field.
fn take_field_lines(
    text: &str,
    lines: &[Line],
    from: usize,
    first: usize,
    fields: &mut Vec<Field>,
    sink: &mut Sink,
) -> usize {
    let mut at = from;
    while let Some(field) = lines.get(at).and_then(|line| parse_field(text, TextRange::new(line.start, line.end))) {
        push_field(text, fields, first, field, sink);
        at += 1;
    }
    at
}

/// Adds `field` to the fields of one block (those from `first` on), unless
/// its key is already there.
fn push_field(text: &str, fields: &mut Vec<Field>, first: usize, field: Field, sink: &mut Sink) {
    let key = &text[field.key];
    if fields[first..].iter().any(|f| text[f.key] == *key) {
        sink.error(SyntaxErrorKind::InvalidAttribute, field.key, format!("field `{key}` is given twice"));
        return;
    }
    fields.push(field);
}

/// The front matter, the line after it, and how far the search for its
/// end looked (the end of the line it stopped on).
fn parse_front_matter(
    text: &str,
    lines: &[Line],
    fields: &mut Vec<Field>,
    sink: &mut Sink,
) -> Option<(FrontMatter, usize, usize)> {
    let first = lines[0];
    let first_content = text[first.start..first.end].trim_start_matches('\u{feff}');
    if first_content.trim_end() != "---" {
        return None;
    }
    // Pandoc: `---` followed by a blank line is a horizontal rule.
    if lines.get(1).is_none_or(|l| text[l.start..l.end].trim().is_empty()) {
        return None;
    }
    let close = (1..lines.len()).find(|&at| matches!(text[lines[at].start..lines[at].end].trim_end(), "---" | "..."));
    let first_field = fields.len();
    let looked = lines[close.unwrap_or(lines.len() - 1)].end;
    let end_line = match close {
        Some(close) => {
            parse_fields(text, &lines[1..close], "the front matter", fields, sink);
            close
        }
        None => {
            sink.error(
                SyntaxErrorKind::Malformed,
                TextRange::new(first.start, first.end),
                "front matter is not closed: add a line `---` after its last field".to_string(),
            );
            take_field_lines(text, lines, 1, first_field, fields, sink) - 1
        }
    };
    let range = TextRange::new(lines[0].start, lines[end_line].end);
    Some((FrontMatter { range, fields: Run::new(first_field..fields.len()) }, end_line + 1, looked))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::TestRng;

    /// The definition: a byte-by-byte walk, `\r\n`, `\r` and `\n` each end a line.
    fn split_lines_bytewise(text: &str) -> Vec<(usize, usize)> {
        let bytes = text.as_bytes();
        let mut lines = Vec::new();
        let (mut start, mut i) = (0, 0);
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => {
                    lines.push((start, i));
                    start = i + 1;
                }
                b'\r' => {
                    let next = if bytes.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
                    lines.push((start, i));
                    start = next;
                    i = next - 1;
                }
                _ => {}
            }
            i += 1;
        }
        if start < bytes.len() || lines.is_empty() {
            lines.push((start, bytes.len()));
        }
        lines
    }

    #[test]
    fn split_lines_agrees_with_the_bytewise_walk() {
        let pieces = ["\n", "\r", "\r\n", "\n\r", "a", "é", " ", "\r\r\n", "\n\n", "text of a line "];
        let mut rng = TestRng(0x1234_5678_9abc_def1);
        for case in 0..3000 {
            let len = rng.below(if case % 10 == 0 { 200 } else { 20 });
            let text: String = (0..len).map(|_| pieces[rng.below(pieces.len())]).collect();
            let lines: Vec<(usize, usize)> = split_lines(&text).iter().map(|l| (l.start, l.end)).collect();
            assert_eq!(lines, split_lines_bytewise(&text), "{text:?}");
        }
    }
}
