//! The block pass, after pandoc's Markdown reader (`-f markdown`): which
//! lines are prose, and where each paragraph-like block (a paragraph, a
//! heading, a table cell, a definition term, a line block) begins and
//! ends. Code, raw HTML blocks, rules and link definitions are not prose.
//!
//! Containers (block quotes, list items, definitions, footnotes) are read
//! by stripping their prefix from each line and reading the rest as blocks
//! again, as pandoc does. A line keeps its place in the file, so the
//! stripped prefixes of a paragraph's later lines (`> `) become holes:
//! markup inside the paragraph's range.

use super::html_block;
use super::lines::{self, Line};
use super::tree::{Block, Field, SyntaxErrorKind, TextRange};
use super::Sink;

/// A line of a container, after its prefix: `start..end` is the content,
/// `origin` where the line begins in the file.
#[derive(Clone, Copy, Debug)]
pub(super) struct VLine {
    pub origin: usize,
    pub start: usize,
    pub end: usize,
}

/// One column's piece of each of a table row's lines: `split` holds each
/// line's cells (byte ranges within it); a line without that cell gives an
/// empty piece.
fn column_of(rows: &[VLine], split: &[Vec<std::ops::Range<usize>>], column: usize) -> Vec<VLine> {
    rows.iter()
        .zip(split)
        .map(|(line, cells)| {
            let cell = cells.get(column).cloned().unwrap_or(0..0);
            VLine { origin: line.origin, start: line.start + cell.start, end: line.start + cell.end }
        })
        .collect()
}

pub(super) struct BlockOutput {
    pub blocks: Vec<Block>,
    pub paragraphs: Vec<TextRange>,
    /// Container prefixes inside paragraphs.
    pub holes: Vec<TextRange>,
    /// HTML comments that stand as blocks of their own.
    pub comments: Vec<TextRange>,
    /// The proven sync points read past (see [`Resync`]), in order.
    pub sync_points: Vec<usize>,
    /// Where the read stopped at one of [`Resync::stop_at`], if it did.
    pub stopped_at: Option<usize>,
    /// The later lines of multi-line grid-table cells, which pandoc reads as
    /// one block with the first: `(paragraph, first paragraph of its block)`
    /// as indices into the sorted `paragraphs`, by paragraph.
    pub cell_parts: Vec<(u32, u32)>,
}

/// What the incremental re-parse (`syntax::incremental`) needs of the block
/// pass: where it may stop, and where it must record sync points.
///
/// A **sync point** is the start of a top-level line such that the reading
/// of everything before it depends on nothing from that line's end on, and
/// the reading from it on depends on nothing before it. The reader records
/// one where all of these hold:
/// - it is at the top level (no list, quote, note or definition open)
///   and starts a block there, and no pandoc div (`::: note`) is open;
/// - the line is not blank and the line before it is blank;
/// - no search for a closer made so far (a code fence's, a definition
///   block's, `-->`, front matter's `---`, a multiline table's dash
///   lines) looked at this line or past it
///   (`reach`): a construct that is still open, or unclosed and so read as
///   text, depends on the whole rest of the file.
///
/// Every other look ahead the reader makes (a list or container going on
/// after blank lines, a definition after its term, a table's caption, a
/// setext underline, indented code) stops at the first non-blank line,
/// which for a sync point is the point's own line: so the lines before the
/// point read the same as long as that one line is unchanged.
#[derive(Default)]
pub(super) struct Resync<'a> {
    /// Line starts (byte offsets) where the read may stop if they are sync
    /// points of this read too: the old sync points after the edit.
    pub stop_at: &'a [usize],
}

/// `reach`: how far the front matter's search for its end looked.
pub(super) fn parse_blocks(
    text: &str,
    lines: &[Line],
    fields: &mut Vec<Field>,
    reach: usize,
    resync: &Resync,
    sink: &mut Sink,
) -> BlockOutput {
    let mut reader = Reader {
        text,
        sink,
        fields,
        out: BlockOutput {
            blocks: Vec::new(),
            paragraphs: Vec::new(),
            holes: Vec::new(),
            comments: Vec::new(),
            sync_points: Vec::new(),
            stopped_at: None,
            cell_parts: Vec::new(),
        },
        reach,
        stop_at: resync.stop_at,
        div_level: 0,
        html_open: Vec::new(),
        depth: 0,
        unclosed_from: Default::default(),
        container: 0,
        containers: 0,
        in_grid_cell: false,
        cell_part_starts: Vec::new(),
        dash_memo: None,
    };
    let vlines: Vec<VLine> = lines.iter().map(|l| VLine { origin: l.start, start: l.start, end: l.end }).collect();
    reader.blocks(&vlines, false);
    reader.out.paragraphs.sort_by_key(|r| r.start());
    reader.out.holes.sort_by_key(|r| r.start());
    let index_of =
        |paragraphs: &[TextRange], start: usize| super::tree::index(paragraphs.partition_point(|p| p.start() < start));
    let mut parts: Vec<(u32, u32)> = (reader.cell_part_starts.iter())
        .map(|&(part, first)| (index_of(&reader.out.paragraphs, part), index_of(&reader.out.paragraphs, first)))
        .collect();
    parts.sort_unstable();
    reader.out.cell_parts = parts;
    reader.out
}

/// Containers nested deeper than this are read as plain paragraphs: each
/// level copies its lines, so `> > > …` a thousand deep must stop somewhere.
const MAX_DEPTH: usize = 32;

struct Reader<'a, 's> {
    text: &'a str,
    sink: &'s mut Sink,
    /// Every block's fields (`Block::fields`).
    fields: &'s mut Vec<Field>,
    out: BlockOutput,
    /// The furthest byte any search for a closer has looked at (the end of
    /// the line it stopped on, or of the last line when it found none).
    reach: usize,
    stop_at: &'s [usize],
    /// Open pandoc divs (`::: note`): a `:::` line closes the innermost.
    div_level: usize,
    /// Open HTML blocks (`<div>` on a line of its own…), innermost last: a
    /// line that starts with its closing tag ends a paragraph.
    html_open: Vec<&'static str>,
    depth: usize,
    /// Searches that found no closing fence (or `-->`) from a line on, per
    /// container and fence: a later search from a later line cannot find
    /// one either, so runs of unclosed fences stay linear.
    unclosed_from: std::collections::HashMap<(usize, u8, usize), usize>,
    /// The container being read (a number per `blocks` call) and the last
    /// number given.
    container: usize,
    containers: usize,
    /// Reading the lines of a grid-table cell: pieces of file lines, so a
    /// paragraph is one range per piece (see `paragraph`).
    in_grid_cell: bool,
    /// `(start of a later piece, start of its paragraph's first piece)` for
    /// paragraphs read in grid cells; made indices once paragraphs are sorted.
    cell_part_starts: Vec<(usize, usize)>,
    /// The last search for a table's dash line: `(container, from, found)`,
    /// the first dash line at or after line `from` (see `next_dash_line`).
    dash_memo: Option<(usize, usize, Option<usize>)>,
}

/// What a container is: its lines end differently.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
    ListItem,
    /// A definition, and whether it stands in a list item.
    Definition {
        in_list: bool,
    },
    Footnote,
}

/// A definition's marker line (`:` or `~`, indented at most 2 columns,
/// then white space): where its content starts. As pandoc's
/// `defListMarker`: the spaces up to the fourth column are the marker's,
/// else one tab, else all the white space; more indentation is the
/// content's (`:       x` and `:   <tab>x` hold indented code).
fn definition_marker(s: &str) -> Option<usize> {
    let (columns, lead) = indentation(s);
    let b = s.as_bytes();
    if !(columns <= 2 && matches!(b.get(lead), Some(b':' | b'~')) && matches!(b.get(lead + 1), Some(b' ' | b'\t'))) {
        return None;
    }
    let after = lead + 1;
    let remaining = 3 - columns;
    let spaces = b[after..].iter().take_while(|&&c| c == b' ').count();
    let taken = if spaces >= remaining {
        remaining
    } else if b[after] == b'\t' {
        1
    } else {
        b[after..].iter().take_while(|&&c| c == b' ' || c == b'\t').count()
    };
    Some(after + taken)
}

fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| b == b' ' || b == b'\t')
}

/// Leading indentation in columns (a tab counts to the next multiple of 4)
/// and its length in bytes.
fn indentation(s: &str) -> (usize, usize) {
    whitespace_columns(s, 0, 0)
}

/// The whitespace of `s` from byte `from`, which is at column `column`:
/// how many columns it spans (a tab reaches the next multiple of 4) and the
/// byte where it ends.
fn whitespace_columns(s: &str, from: usize, column: usize) -> (usize, usize) {
    let mut at = column;
    let mut end = from;
    for b in s.bytes().skip(from) {
        match b {
            b' ' => at += 1,
            b'\t' => at += 4 - at % 4,
            _ => break,
        }
        end += 1;
    }
    (at - column, end)
}

/// The columns `s[..to]` spans (tabs to the next multiple of 4; the
/// markup before `to` is ASCII).
fn columns_before(s: &str, to: usize) -> usize {
    s.bytes().take(to).fold(0, |at, b| if b == b'\t' { at + 4 - at % 4 } else { at + 1 })
}

/// The line without up to `columns` columns of indentation.
fn strip_indent(line: VLine, text: &str, columns: usize) -> VLine {
    let s = &text[line.start..line.end];
    let mut seen = 0;
    let mut at = 0;
    for b in s.bytes() {
        if seen >= columns {
            break;
        }
        match b {
            b' ' => seen += 1,
            b'\t' => seen += 4 - seen % 4,
            _ => break,
        }
        at += 1;
    }
    VLine { start: line.start + at, ..line }
}

/// `>` with up to 3 spaces before it: the content after `>` and one space.
fn quote_content(s: &str) -> Option<usize> {
    let (columns, bytes) = indentation(s);
    if columns > 3 || s.as_bytes().get(bytes) != Some(&b'>') {
        return None;
    }
    let after = bytes + 1;
    Some(if s.as_bytes().get(after) == Some(&b' ') { after + 1 } else { after })
}

/// A list marker at the start of `s` (after up to 3 spaces): the offset
/// where the item's content starts. Bullets `* + -`; numbers, letters and
/// roman numerals with `.` or `)`, or in parentheses; `#.`.
pub(super) fn list_marker(s: &str) -> Option<usize> {
    list_marker_at(s, 0)
}

/// [`list_marker`] for a line whose text `s` starts at column `base` of
/// its line (inside a block quote or another item): where a tab after the
/// marker reaches depends on it.
fn list_marker_at(s: &str, base: usize) -> Option<usize> {
    let (columns, lead) = indentation(s);
    if columns > 3 {
        return None;
    }
    let t = &s[lead..];
    let b = t.as_bytes();
    let marker_len = if matches!(b.first(), Some(b'*' | b'+' | b'-')) {
        if is_hrule(t) {
            return None;
        }
        1
    } else {
        ordered_marker(t)?
    };
    // The marker is followed by a space, a tab or the line's end.
    match b.get(marker_len) {
        None => Some(lead + marker_len),
        Some(b' ' | b'\t') => {
            // An upper-case letter followed by `.` ("A. Smith") needs two spaces.
            let letter_period = marker_len == 2 && b[0].is_ascii_uppercase() && b[1] == b'.' && b.get(2) == Some(&b' ');
            if letter_period && b.get(3) != Some(&b' ') && b.get(3).is_some() {
                return None;
            }
            // Pandoc reads tabs expanded to the next multiple of 4 columns:
            // `- \t` is a marker and three spaces. More than four columns:
            // the content is indented code; it starts one column after the
            // marker.
            let after_marker = lead + marker_len;
            let (width, end) = whitespace_columns(s, after_marker, base + columns + marker_len);
            Some(if width > 4 { after_marker + 1 } else { end })
        }
        _ => None,
    }
}

fn ordered_marker(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    let (open_paren, body_start) = if b.first() == Some(&b'(') { (true, 1) } else { (false, 0) };
    let body = &t[body_start..];
    let len = if body.starts_with('#') {
        1
    } else if let Some(label) = body.strip_prefix('@') {
        // Pandoc's example lists: `(@)`, `@.`, `(@good)`, `@good)`.
        1 + label
            .chars()
            .take_while(|&c| c.is_alphanumeric() || c == '-' || c == '_')
            .map(char::len_utf8)
            .sum::<usize>()
    } else {
        let digits = body.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            if digits > 9 {
                return None;
            }
            digits
        } else {
            let letters = body.bytes().take_while(u8::is_ascii_alphabetic).count();
            let word = &body[..letters];
            let roman = !word.is_empty() && word.bytes().all(|c| b"ivxlcdmIVXLCDM".contains(&c));
            if letters == 1 || roman {
                letters
            } else {
                return None;
            }
        }
    };
    // Pandoc: `p. 4` is a page number, not a list.
    if body.starts_with("p. ") && body.as_bytes().get(3).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let delim = *body.as_bytes().get(len)?;
    let ok = if open_paren { delim == b')' } else { delim == b'.' || delim == b')' };
    if !ok || (body.starts_with('#') && delim != b'.') {
        return None;
    }
    Some(body_start + len + 1)
}

/// `* * *`, `---`, `___`: three or more of one character, spaces between.
fn is_hrule(s: &str) -> bool {
    let t = s.trim_start_matches(' ');
    if s.len() - t.len() > 3 {
        return false;
    }
    let Some(&c) = t.as_bytes().first() else { return false };
    if !matches!(c, b'*' | b'-' | b'_') {
        return false;
    }
    let mut count = 0;
    for b in t.bytes() {
        if b == c {
            count += 1;
        } else if b != b' ' && b != b'\t' {
            return false;
        }
    }
    count >= 3
}

fn is_atx_heading(s: &str) -> Option<usize> {
    let (columns, lead) = indentation(s);
    if columns > 3 {
        return None;
    }
    let t = &s[lead..];
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    match t.as_bytes().get(hashes) {
        None => Some(lead + hashes),
        Some(b' ' | b'\t') => Some(lead + hashes + 1),
        _ => None,
    }
}

fn is_setext_underline(s: &str) -> bool {
    let t = s.trim_end();
    let t = t.trim_start_matches(' ');
    !t.is_empty() && (t.bytes().all(|b| b == b'=') || t.bytes().all(|b| b == b'-'))
}

/// A code fence: ```` ``` ```` or `~~~` (3 or more), up to 3 spaces in.
#[derive(Clone, Copy)]
struct Fence {
    marker: u8,
    len: usize,
}

fn code_fence(s: &str) -> Option<Fence> {
    let (columns, lead) = indentation(s);
    if columns > 3 {
        return None;
    }
    let t = &s[lead..];
    let marker = *t.as_bytes().first()?;
    if marker != b'`' && marker != b'~' {
        return None;
    }
    let len = t.bytes().take_while(|&b| b == marker).count();
    if len < 3 || (marker == b'`' && t[len..].contains('`')) {
        return None;
    }
    Some(Fence { marker, len })
}

fn closes_fence(s: &str, fence: Fence) -> bool {
    let (columns, lead) = indentation(s);
    let t = &s[lead..];
    let len = t.bytes().take_while(|&b| b == fence.marker).count();
    columns <= 3 && len >= fence.len && is_blank(&t[len..])
}

/// A pipe table's separator line: `|---|:--:|`, `--|--`.
fn is_pipe_separator(s: &str) -> bool {
    let t = s.trim();
    // Pandoc's `pipeBreak` starts with `nonindentSpaces`: at most 3.
    indentation(s).0 <= 3
        && t.contains('-')
        && (t.contains('|') || t.contains(':'))
        && t.bytes().all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t' | b'+'))
}

/// A dash line of a simple or multiline table (pandoc's `dashedLine`s
/// after `nonindentSpaces`): groups of `-` with spaces between, the first
/// at most three spaces in. The start of each group.
fn table_dashes(s: &str) -> Option<Vec<usize>> {
    let t = s.trim_end_matches(['\r', '\n']);
    let bytes = t.as_bytes();
    let lead = bytes.iter().take_while(|&&b| b == b' ').count();
    if lead > 3 || bytes.get(lead) != Some(&b'-') || !bytes[lead..].iter().all(|&b| matches!(b, b'-' | b' ' | b'\t')) {
        return None;
    }
    Some((lead..bytes.len()).filter(|&i| bytes[i] == b'-' && (i == lead || bytes[i - 1] != b'-')).collect())
}

/// A simple or multiline table's line cut into columns as pandoc's
/// `splitTextByIndices` cuts it: at the dash line's group starts, in
/// display columns (a wide character counts two). A column runs from its
/// group's start to the next group's (text under the gap belongs to the
/// column before it), the last to the line's end; what stands before the
/// first group is dropped. Each piece trimmed. A tab runs to the next
/// multiple of four columns from the file line's start, `base` columns
/// before `s` (pandoc expands tabs before it reads).
fn column_pieces(s: &str, starts: &[usize], base: usize) -> Vec<std::ops::Range<usize>> {
    use unicode_width::UnicodeWidthChar;
    let line = s.trim_end_matches(['\r', '\n']);
    let mut chars = line.char_indices();
    let mut bounds = Vec::with_capacity(starts.len());
    let (mut at, mut previous, mut column) = (0, 0, base);
    for &start in starts {
        let mut taken = 0;
        while taken < start - previous {
            let Some((i, c)) = chars.next() else { break };
            let width = if c == '\t' { 4 - column % 4 } else { c.width().unwrap_or(0) };
            taken += width;
            column += width;
            at = i + c.len_utf8();
        }
        previous = start;
        bounds.push(at);
    }
    (0..bounds.len())
        .map(|j| {
            let (from, to) = (bounds[j], bounds.get(j + 1).copied().unwrap_or(line.len()));
            let piece = &line[from..to];
            let lead = piece.len() - piece.trim_start().len();
            from + lead..from + piece.trim().len() + lead
        })
        .collect()
}

/// A grid table's border line of `dash` (`-`, or `=` under the header):
/// `+`, then parts of dashes (optionally with alignment colons) each closed
/// by `+`, at the line's start, nothing but white space after. The width of
/// each part with its `+`, as pandoc's `gridDashedLines` reads it.
fn grid_border(s: &str, dash: u8) -> Option<Vec<usize>> {
    let t = s.trim_end_matches([' ', '\t']).as_bytes();
    if t.first() != Some(&b'+') {
        return None;
    }
    let mut widths = Vec::new();
    let mut i = 1;
    while i < t.len() {
        let start = i;
        i += usize::from(t[i] == b':');
        let dashes = t[i..].iter().take_while(|&&b| b == dash).count();
        if dashes == 0 {
            return None;
        }
        i += dashes;
        i += usize::from(t.get(i) == Some(&b':'));
        if t.get(i) != Some(&b'+') {
            return None;
        }
        i += 1;
        widths.push(i - start);
    }
    (!widths.is_empty()).then_some(widths)
}

/// A grid table row's line split into its cells, as pandoc's
/// `gridTableSplitLine` does: after the leading `|`, the right-trimmed line
/// is cut at the columns' display widths (not at the `|`s it holds), and
/// each piece loses its closing `|`s and the white space before them.
/// Byte ranges into `s`; the last cell takes the rest of the line.
fn grid_cells(s: &str, widths: &[usize]) -> Vec<std::ops::Range<usize>> {
    use unicode_width::UnicodeWidthChar;
    let line = s.trim_end_matches([' ', '\t', '\r', '\n']);
    let mut cells = Vec::with_capacity(widths.len());
    let mut chars = line.char_indices().skip(1);
    let mut at = 1.min(line.len());
    for (column, &width) in widths.iter().enumerate() {
        let start = at;
        if column + 1 == widths.len() {
            at = line.len();
        } else {
            let mut taken = 0;
            while taken < width {
                let Some((i, c)) = chars.next() else { break };
                taken += c.width().unwrap_or(0);
                at = i + c.len_utf8();
            }
        }
        let piece = line[start..at].trim_end_matches('|').trim_end_matches([' ', '\t']);
        cells.push(start..start + piece.len());
    }
    cells
}

/// `[label]: url` or `[^note]: text`: where the definition's text starts.
fn reference_definition(s: &str) -> Option<(bool, usize)> {
    let (columns, lead) = indentation(s);
    if columns > 3 || !s[lead..].starts_with('[') {
        return None;
    }
    // The label holds no `]`, so its end is the first `]`: looking no further
    // keeps a long paragraph line that starts with a span from being scanned
    // whole for a `]:`.
    let close = s[lead + 1..].find(']')? + lead + 1;
    if !s[close + 1..].starts_with(':') {
        return None;
    }
    let label = &s[lead + 1..close];
    if label.is_empty() || label.contains(['[', ']']) {
        return None;
    }
    if label.starts_with('^') {
        return Some((true, note_content(s, close + 2)));
    }
    // A link definition is a target and at most a title: `[ref]: url "title"`.
    let rest = s[close + 2..].trim();
    let (target, title) = rest.split_once([' ', '\t']).unwrap_or((rest, ""));
    let title = title.trim();
    let titled = title.is_empty()
        || [('"', '"'), ('\'', '\''), ('(', ')')].iter().any(|&(o, c)| title.starts_with(o) && title.ends_with(c));
    (!target.is_empty() && titled).then_some((false, close + 2))
}

/// A line that starts, at most three spaces in, with a note marker
/// `[^label]` (a definition's or a reference): pandoc's `rawLine` ends a
/// footnote's lines there, even where they would run on lazily.
fn starts_with_note_marker(s: &str) -> bool {
    let (columns, lead) = indentation(s);
    let Some(rest) = s[lead..].strip_prefix("[^") else { return false };
    columns <= 3 && rest.find(']').is_some_and(|close| close > 0 && !rest[..close].contains([' ', '\t']))
}

/// Where a footnote's first line starts after its `[^label]:` (ending at
/// `colon_end`): pandoc takes one indentation (four columns) off, if there
/// is one, and reads the rest as the note's first line, code only when
/// four more columns follow.
fn note_content(s: &str, colon_end: usize) -> usize {
    let start = columns_before(s, colon_end);
    let (width, end) = whitespace_columns(s, colon_end, start);
    if width < 8 {
        return end;
    }
    (colon_end..end).find(|&i| columns_before(s, i) - start >= 4).unwrap_or(end)
}

impl<'a> Reader<'a, '_> {
    fn s(&self, line: VLine) -> &'a str {
        let text: &'a str = self.text;
        &text[line.start..line.end]
    }

    /// A search for a closer stopped at `lines[found]`, or found none and so
    /// looked at every line.
    fn reached(&mut self, lines: &[VLine], found: Option<usize>) {
        let last = found.map_or(lines.len().saturating_sub(1), |j| j);
        if let Some(line) = lines.get(last) {
            self.reach = self.reach.max(line.end);
        }
    }

    /// Whether `lines[i]` (at the top level) is a sync point: see [`Resync`].
    fn is_sync_point(&self, lines: &[VLine], i: usize) -> bool {
        i > 0
            && self.div_level == 0
            && self.html_open.is_empty()
            && self.reach < lines[i].start
            && !is_blank(self.s(lines[i]))
            && is_blank(self.s(lines[i - 1]))
    }

    /// The line that closes `fence` opened at `lines[i]`, if any.
    fn fence_close(&mut self, lines: &[VLine], i: usize, fence: Fence) -> Option<usize> {
        let key = (self.container, fence.marker, fence.len);
        if self.unclosed_from.get(&key).is_some_and(|&from| from <= i) {
            self.reached(lines, None);
            return None;
        }
        let found = (i + 1..lines.len()).find(|&j| closes_fence(self.s(lines[j]), fence));
        if found.is_none() {
            self.unclosed_from.insert(key, i);
        }
        self.reached(lines, found);
        found
    }

    fn paragraph(&mut self, lines: &[VLine]) {
        if self.in_grid_cell && lines.len() > 1 {
            return self.cell_paragraph(lines);
        }
        let Some(first) = lines.first() else { return };
        let last = lines[lines.len() - 1];
        let mut start = first.start;
        // Leading indentation is not part of the paragraph.
        start += self.s(*first).len() - self.s(*first).trim_start().len();
        if start >= last.end {
            return;
        }
        for line in &lines[1..] {
            if line.start > line.origin {
                self.out.holes.push(TextRange::new(line.origin, line.start));
            }
        }
        self.out.paragraphs.push(TextRange::new(start, last.end));
    }

    /// A paragraph of a grid-table cell: its lines are pieces of file lines
    /// with other cells between them, so each piece is a paragraph range of
    /// its own and the later ones are recorded as parts of the first.
    fn cell_paragraph(&mut self, lines: &[VLine]) {
        let mut first = None;
        for line in lines {
            let s = self.s(*line);
            let start = line.start + (s.len() - s.trim_start().len());
            let end = line.start + s.trim_end().len();
            if start >= end {
                continue;
            }
            self.out.paragraphs.push(TextRange::new(start, end));
            match first {
                None => first = Some(start),
                Some(first) => self.cell_part_starts.push((start, first)),
            }
        }
    }

    fn blocks(&mut self, lines: &[VLine], in_list: bool) {
        self.depth += 1;
        let outer = self.container;
        self.containers += 1;
        self.container = self.containers;
        let top = self.depth == 1;
        // An HTML block opened inside a container closes with it.
        let html_open = self.html_open.len();
        let mut i = 0;
        while i < lines.len() {
            if top && self.is_sync_point(lines, i) {
                let at = lines[i].start;
                if self.stop_at.binary_search(&at).is_ok() {
                    self.out.stopped_at = Some(at);
                    break;
                }
                self.out.sync_points.push(at);
            }
            i = self.block(lines, i, in_list);
        }
        self.html_open.truncate(html_open);
        self.container = outer;
        self.depth -= 1;
    }

    /// Reads the block that starts at `lines[i]`; returns the next line.
    fn block(&mut self, lines: &[VLine], i: usize, in_list: bool) -> usize {
        let line = lines[i];
        let s = self.s(line);
        if is_blank(s) {
            return i + 1;
        }
        if self.depth > MAX_DEPTH {
            return self.paragraph_from(lines, i, in_list);
        }
        // Fenced code: a closed fence is code; an unclosed one is text.
        if let Some(fence) = code_fence(s) {
            if let Some(close) = self.fence_close(lines, i, fence) {
                return close + 1;
            }
            self.sink.error(
                SyntaxErrorKind::Malformed,
                TextRange::new(line.start, line.end),
                "this code fence is never closed, so pandoc reads it and what follows as text: add a closing fence"
                    .to_string(),
            );
            return self.paragraph_from(lines, i, in_list);
        }
        // Fenced divs: ours (definition blocks), pandoc's, and their ends.
        if let Some(colons) = lines::div_fence(s) {
            let line_range = line.start..line.end;
            if let Some(header) = lines::block_header(self.text, line_range.into(), colons) {
                // Only the lines up to the block's end (its closing fence or
                // the next header): copying the rest for every block would be
                // quadratic in a file of many blocks.
                let end = (i + 1..lines.len())
                    .find(|&j| {
                        let t = self.s(lines[j]);
                        lines::div_fence(t).is_some_and(|c| {
                            is_blank(&t[c..])
                                || lines::block_header(self.text, TextRange::new(lines[j].start, lines[j].end), c)
                                    .is_some()
                        })
                    })
                    .map_or(lines.len(), |j| j + 1);
                self.reached(lines, Some(end - 1));
                let plain: Vec<Line> = lines[i..end].iter().map(|l| Line { start: l.start, end: l.end }).collect();
                let (block, next) = lines::parse_block(self.text, &plain, 0, header, self.fields, self.sink);
                self.out.blocks.push(block);
                return i + next;
            }
            let rest = &s[colons..];
            if is_blank(rest) {
                if self.div_level > 0 {
                    self.div_level -= 1;
                    return i + 1;
                }
            } else if lines::is_div_opening(rest) {
                self.div_level += 1;
                return i + 1;
            }
        }
        if let Some(content) = is_atx_heading(s) {
            let start = line.start + content;
            let end = line.start + s.trim_end().trim_end_matches('#').trim_end().len().max(content);
            if start < end {
                self.out.paragraphs.push(TextRange::new(start, end));
            }
            return i + 1;
        }
        // Pandoc's order: a bullet list before a setext heading (`- ` then
        // `---`), an ordered list only after tables (`1. | a |` then `|--|`
        // is a table), indented code, line blocks, quotes and rules.
        let bullet = matches!(s.trim_start().as_bytes().first(), Some(b'*' | b'+' | b'-'));
        if bullet && list_marker(s).is_some() {
            return self.list(lines, i);
        }
        if let Some(next) = lines.get(i + 1) {
            if is_setext_underline(self.s(*next)) {
                self.paragraph(&lines[i..i + 1]);
                return i + 2;
            }
        }
        if let Some(tag) = html_block::block_tag(s) {
            if let Some(next) = self.html_block(lines, i, tag) {
                return next;
            }
        }
        if s.trim_start().starts_with("<!--") && indentation(s).0 <= 3 {
            if let Some(next) = self.comment_block(lines, i) {
                return next;
            }
        }
        if let Some(next) = self.table(lines, i) {
            return next;
        }
        if indentation(s).0 >= 4 {
            // Indented code: up to the next line that is neither blank nor indented.
            let mut j = i + 1;
            let mut last = i;
            while j < lines.len() {
                let t = self.s(lines[j]);
                if is_blank(t) {
                    j += 1;
                    continue;
                }
                if indentation(t).0 < 4 {
                    break;
                }
                last = j;
                j += 1;
            }
            return last + 1;
        }
        if s.starts_with('|') && (s.len() == 1 || s.as_bytes()[1] == b' ') {
            return self.line_block(lines, i);
        }
        if quote_content(s).is_some() {
            return self.block_quote(lines, i);
        }
        if is_hrule(s) {
            return i + 1;
        }
        if list_marker(s).is_some() {
            return self.list(lines, i);
        }
        if let Some(next) = self.definition_list(lines, i, in_list) {
            return next;
        }
        if let Some((is_note, content)) = reference_definition(s) {
            if !is_note {
                return i + 1;
            }
            return self.container(lines, i, content, 4, Container::Footnote);
        }
        self.paragraph_from(lines, i, in_list)
    }

    /// Whether the line after a paragraph line ends the paragraph (pandoc's
    /// `endline`): a blank line, a closed backtick fence, a div's closing
    /// fence, and in a list a new list item. Headings, quotes, rules and
    /// list markers elsewhere continue the paragraph.
    fn ends_paragraph(&mut self, lines: &[VLine], j: usize, in_list: bool) -> bool {
        let s = self.s(lines[j]);
        if is_blank(s) {
            return true;
        }
        if html_block::block_tag(s).is_some_and(|t| t.interrupts_paragraph()) {
            return true;
        }
        if let Some(&open) = self.html_open.last() {
            if html_block::starts_with_closer(s, open)
                || (j > 0 && html_block::ends_with_closer(self.s(lines[j - 1]), open))
            {
                return true;
            }
        }
        if in_list && list_marker(s).is_some() {
            return true;
        }
        if let Some(fence) = code_fence(s).filter(|f| f.marker == b'`') {
            if self.fence_close(lines, j, fence).is_some() {
                return true;
            }
        }
        if let Some(colons) = lines::div_fence(s) {
            if self.div_level > 0 && is_blank(&s[colons..]) {
                return true;
            }
            // The contract's definition blocks stand anywhere, even right
            // after a paragraph line (pandoc would continue the paragraph).
            if lines::block_header(self.text, TextRange::new(lines[j].start, lines[j].end), colons).is_some() {
                return true;
            }
        }
        false
    }

    fn paragraph_end(&mut self, lines: &[VLine], i: usize, in_list: bool) -> usize {
        let mut j = i + 1;
        while j < lines.len() && !self.ends_paragraph(lines, j, in_list) {
            j += 1;
        }
        // A paragraph that ends with its HTML block's closing tag closes it.
        if let Some(&open) = self.html_open.last() {
            if html_block::ends_with_closer(self.s(lines[j - 1]), open) {
                self.html_open.pop();
            }
        }
        j
    }

    /// A line that starts with a block-level HTML tag (`html_block.rs`):
    /// the next line to read, or None when the line starts a paragraph
    /// after all (the tag is then inline markup).
    fn html_block(&mut self, lines: &[VLine], i: usize, tag: html_block::BlockTag) -> Option<usize> {
        let s = self.s(lines[i]);
        if tag.is_verbatim() {
            // Raw text up to the closing tag; without one, the tag is text.
            let key = (self.container, b'<', tag.name.len());
            if self.unclosed_from.get(&key).is_some_and(|&from| from <= i) {
                self.reached(lines, None);
                return None;
            }
            let found = (i..lines.len()).find(|&j| {
                let from = if j == i { tag.end } else { 0 };
                html_block::find_closer(&self.s(lines[j])[from..], tag.name).is_some()
            });
            if found.is_none() {
                self.unclosed_from.insert(key, i);
            }
            self.reached(lines, found);
            return found.map(|j| j + 1);
        }
        let rest_blank = is_blank(&s[tag.end..]);
        if tag.closing {
            if self.html_open.last() == Some(&tag.name) {
                self.html_open.pop();
            }
            return rest_blank.then_some(i + 1);
        }
        if rest_blank {
            if tag.opens() {
                self.html_open.push(tag.name);
            }
            return Some(i + 1);
        }
        if !tag.opens() {
            return None;
        }
        // `<p>text</p>`: a block of its own line.
        if html_block::ends_with_closer(s, tag.name) {
            self.paragraph(&lines[i..i + 1]);
            return Some(i + 1);
        }
        self.html_open.push(tag.name);
        None
    }

    fn paragraph_from(&mut self, lines: &[VLine], i: usize, in_list: bool) -> usize {
        let end = self.paragraph_end(lines, i, in_list);
        self.paragraph(&lines[i..end]);
        end
    }

    /// `<!-- … -->` at the start of a block: a raw HTML block to `-->`;
    /// the rest of that line starts a new block. None (the line is text)
    /// when the comment is never closed.
    fn comment_block(&mut self, lines: &[VLine], i: usize) -> Option<usize> {
        let line = lines[i];
        let open = line.start + self.s(line).find("<!--")?;
        let key = (self.container, b'<', 0);
        if self.unclosed_from.get(&key).is_some_and(|&from| from <= i) {
            self.reached(lines, None);
            return None;
        }
        for (j, l) in lines.iter().enumerate().skip(i) {
            let from = if j == i { open + 4 } else { l.start };
            if let Some(at) = self.text[from..l.end].find("-->") {
                self.reached(lines, Some(j));
                let end = from + at + 3;
                self.out.comments.push(TextRange::new(open, end));
                if !is_blank(&self.text[end..l.end]) {
                    // The rest of the line is a paragraph's first line.
                    let rest = VLine { origin: l.origin, start: end, end: l.end };
                    let mut tail = vec![rest];
                    let stop = self.paragraph_end(lines, j, false);
                    tail.extend_from_slice(&lines[j + 1..stop]);
                    self.paragraph(&tail);
                    return Some(stop);
                }
                return Some(j + 1);
            }
        }
        self.unclosed_from.insert(key, i);
        self.reached(lines, None);
        None
    }

    fn block_quote(&mut self, lines: &[VLine], i: usize) -> usize {
        let mut inner = Vec::new();
        let mut j = i;
        while j < lines.len() {
            let s = self.s(lines[j]);
            if let Some(content) = quote_content(s) {
                inner.push(VLine { start: lines[j].start + content, ..lines[j] });
            } else if j > i && !self.ends_paragraph(lines, j, false) && !is_blank(self.s(lines[j - 1])) {
                // A lazy continuation line.
                inner.push(lines[j]);
            } else {
                break;
            }
            j += 1;
        }
        self.blocks(&inner, false);
        j
    }

    fn line_block(&mut self, lines: &[VLine], i: usize) -> usize {
        let mut j = i;
        let mut inner = Vec::new();
        while j < lines.len() {
            let s = self.s(lines[j]);
            if s.starts_with('|') && (s.len() == 1 || s.as_bytes()[1] == b' ') {
                inner.push(VLine { start: lines[j].start + 1.min(s.len()), ..lines[j] });
            } else if j > i && s.starts_with(' ') && !is_blank(s) {
                inner.push(lines[j]);
            } else {
                break;
            }
            j += 1;
        }
        // The first line's `|` is markup too.
        inner[0].origin = lines[i].start;
        let first = inner[0];
        self.out.holes.push(TextRange::new(first.origin, first.start));
        self.paragraph(&inner);
        j
    }

    /// A list item and the items after it; each item's lines, without
    /// their marker or indentation, are read as blocks.
    fn list(&mut self, lines: &[VLine], i: usize) -> usize {
        let mut j = i;
        while j < lines.len() {
            let s = self.s(lines[j]);
            let line_start = self.text[..lines[j].start].rfind(['\n', '\r']).map_or(0, |p| p + 1);
            let base = columns_before(&self.text[line_start..], lines[j].start - line_start);
            let Some(content) = list_marker_at(s, base).filter(|_| !is_hrule(s)) else { break };
            let continuation = columns_before(s, content);
            j = self.container(lines, j, content, continuation, Container::ListItem);
            // Blank lines between items.
            let mut k = j;
            while k < lines.len() && is_blank(self.s(lines[k])) {
                k += 1;
            }
            if k < lines.len() && list_marker(self.s(lines[k])).is_some() && !is_hrule(self.s(lines[k])) {
                j = k;
            } else {
                break;
            }
        }
        j
    }

    /// A container whose first line's content starts at byte `content` of
    /// `lines[i]`, and whose later lines are indented by `continuation`
    /// columns (or lazy continuations of its paragraph).
    fn container(&mut self, lines: &[VLine], i: usize, content: usize, continuation: usize, kind: Container) -> usize {
        // A less indented list marker starts the next item in a list item,
        // and in a definition inside one (pandoc's list reader saw it
        // first); elsewhere in a definition or footnote it is a lazy line
        // of the paragraph, as a list does not interrupt a paragraph.
        let ends_at_list_marker = match kind {
            Container::ListItem => true,
            Container::Definition { in_list } => in_list,
            Container::Footnote => false,
        };
        let first = lines[i];
        let mut inner = vec![VLine { start: first.start + content.min(first.end - first.start), ..first }];
        let mut j = i + 1;
        // The first chunk: lines up to a blank line, a list item or a fence.
        while j < lines.len() {
            let s = self.s(lines[j]);
            if is_blank(s) || (ends_at_list_marker && list_marker(s).is_some() && indentation(s).0 < continuation) {
                break;
            }
            // The next definition of the same term.
            if matches!(kind, Container::Definition { .. }) && definition_marker(s).is_some() {
                break;
            }
            if code_fence(s).is_some() && indentation(s).0 < continuation {
                break;
            }
            if self.div_level > 0 && lines::div_fence(s).is_some_and(|c| is_blank(&s[c..])) {
                break;
            }
            if kind == Container::Footnote && starts_with_note_marker(s) {
                break;
            }
            inner.push(strip_indent(lines[j], self.text, continuation));
            j += 1;
        }
        // Continuation chunks: after blank lines, lines indented enough.
        loop {
            let mut k = j;
            while k < lines.len() && is_blank(self.s(lines[k])) {
                k += 1;
            }
            if k >= lines.len() || indentation(self.s(lines[k])).0 < continuation.max(1) {
                break;
            }
            for line in &lines[j..k] {
                inner.push(*line);
            }
            j = k;
            while j < lines.len() {
                let s = self.s(lines[j]);
                if is_blank(s) || (indentation(s).0 < continuation && list_marker(s).is_some()) {
                    break;
                }
                if kind == Container::Footnote && j > k && starts_with_note_marker(s) {
                    break;
                }
                inner.push(strip_indent(lines[j], self.text, continuation));
                j += 1;
            }
        }
        self.blocks(&inner, ends_at_list_marker);
        j
    }

    /// `Term` then `: definition` (or `~`), a blank line allowed between.
    fn definition_list(&mut self, lines: &[VLine], i: usize, in_list: bool) -> Option<usize> {
        let mut d = i + 1;
        if d < lines.len() && is_blank(self.s(lines[d])) {
            d += 1;
        }
        let content = definition_marker(self.s(*lines.get(d)?))?;
        self.paragraph(&lines[i..i + 1]);
        let mut j = d;
        loop {
            let s = self.s(lines[j]);
            let at = definition_marker(s).unwrap_or(content);
            j = self.container(lines, j, at, 4, Container::Definition { in_list });
            let mut k = j;
            while k < lines.len() && is_blank(self.s(lines[k])) {
                k += 1;
            }
            if k < lines.len() && definition_marker(self.s(lines[k])).is_some() {
                j = k;
            } else {
                return Some(j);
            }
        }
    }

    /// Pipe, simple and grid tables: each cell is a block of its own.
    fn table(&mut self, lines: &[VLine], i: usize) -> Option<usize> {
        let s = self.s(lines[i]);
        if let Some(top) = grid_border(s, b'-') {
            return self.grid_table(lines, i, top);
        }
        let next = lines.get(i + 1).map(|l| self.s(*l))?;
        if s.contains('|') && indentation(s).0 <= 3 && is_pipe_separator(next) {
            // Pandoc drops the cells of a row beyond the separator's columns.
            let t = next.trim();
            let t = t.strip_prefix('|').unwrap_or(t);
            let t = t.strip_suffix('|').unwrap_or(t);
            let columns = t.split('|').count();
            self.pipe_cells(lines[i], columns);
            let mut j = i + 2;
            while j < lines.len() && self.s(lines[j]).contains('|') && !is_blank(self.s(lines[j])) {
                self.pipe_cells(lines[j], columns);
                j += 1;
            }
            return Some(self.caption(lines, j));
        }
        // Pandoc's order: a multiline table with a header, a simple table
        // without one, a simple table with one, a multiline one without.
        let dashes = table_dashes(s);
        if let Some(end) = dashes.as_ref().and_then(|_| self.multiline_table(lines, i, true)) {
            return Some(self.caption(lines, end));
        }
        if let Some(starts) = &dashes {
            if let Some(end) = self.simple_table(lines, i + 1, starts, None) {
                return Some(self.caption(lines, end));
            }
        }
        if let Some(starts) = table_dashes(next) {
            if let Some(end) = self.simple_table(lines, i + 2, &starts, Some(lines[i])) {
                return Some(self.caption(lines, end));
            }
        }
        if let Some(end) = dashes.as_ref().and_then(|_| self.multiline_table(lines, i, false)) {
            return Some(self.caption(lines, end));
        }
        None
    }

    /// The rows of a simple table from `lines[first]` (pandoc's
    /// `tableLine`s): one or more lines, each a row, up to a blank line or a
    /// dash line, which ends the table as its footer. Without a header
    /// (`first` right after the top dash line) the footer is required. The
    /// line after the table, or None (and nothing read) when there is none;
    /// `header` is the line above the dash line, when there is one.
    fn simple_table(
        &mut self,
        lines: &[VLine],
        first: usize,
        starts: &[usize],
        header: Option<VLine>,
    ) -> Option<usize> {
        let mut j = first;
        while j < lines.len() && !is_blank(self.s(lines[j])) && table_dashes(self.s(lines[j])).is_none() {
            j += 1;
        }
        let footer = j < lines.len() && table_dashes(self.s(lines[j])).is_some();
        if j == first || (header.is_none() && !footer) {
            return None;
        }
        for &line in header.iter().chain(&lines[first..j]) {
            self.column_cells(line, starts);
        }
        Some(if footer { j + 1 } else { j })
    }

    /// A multiline table from the dash line `lines[i]`, as pandoc's
    /// `multilineTable`: with a header, the header's lines up to the next
    /// dash line, which gives the columns; then rows of one or more lines
    /// separated by blank lines, up to the dash line that ends the table.
    /// Each cell's pieces of a row's lines are one block. The line after the
    /// table, or None (and nothing read).
    fn multiline_table(&mut self, lines: &[VLine], i: usize, with_header: bool) -> Option<usize> {
        let not_row =
            |r: &Self, j: usize| lines.get(j).is_none_or(|l| is_blank(r.s(*l)) || table_dashes(r.s(*l)).is_some());
        if not_row(self, i + 1) {
            return None;
        }
        let (columns_at, header) = if with_header {
            // The header's lines may hold blank ones: up to the next dash line.
            let under = self.next_dash_line(lines, i + 1);
            self.reached(lines, under);
            (under?, Some(i + 1))
        } else {
            (i, None)
        };
        if not_row(self, columns_at + 1) {
            return None;
        }
        let footer = self.next_dash_line(lines, columns_at + 1);
        self.reached(lines, footer);
        let footer = footer?;
        let starts = table_dashes(self.s(lines[columns_at]))?;
        if let Some(first) = header {
            self.multiline_row(&lines[first..columns_at], &starts);
        }
        let mut j = columns_at + 1;
        while j < footer {
            let row_start = j;
            while j < footer && !is_blank(self.s(lines[j])) {
                j += 1;
            }
            self.multiline_row(&lines[row_start..j], &starts);
            while j < footer && is_blank(self.s(lines[j])) {
                j += 1;
            }
        }
        Some(footer + 1)
    }

    /// One row of a multiline table: each column's pieces of `rows` are
    /// one block (pandoc joins them and reads them as inlines).
    fn multiline_row(&mut self, rows: &[VLine], starts: &[usize]) {
        let split: Vec<Vec<std::ops::Range<usize>>> =
            rows.iter().map(|l| column_pieces(self.s(*l), starts, l.start - l.origin)).collect();
        for column in 0..starts.len() {
            self.cell_paragraph(&column_of(rows, &split, column));
        }
    }

    /// The first dash line (`table_dashes`) at or after `lines[from]`. A
    /// multiline table looks this far ahead, across blank lines; the last
    /// answer is remembered, so looking again from a later line in the same
    /// container does not scan the same lines again.
    fn next_dash_line(&mut self, lines: &[VLine], from: usize) -> Option<usize> {
        if let Some((container, memo_from, found)) = self.dash_memo {
            if container == self.container && memo_from <= from && found.is_none_or(|f| from <= f) {
                return found;
            }
        }
        let found = (from..lines.len()).find(|&j| table_dashes(self.s(lines[j])).is_some());
        self.dash_memo = Some((self.container, from, found));
        found
    }

    /// `Table: caption` or `: caption` after a table.
    fn caption(&mut self, lines: &[VLine], j: usize) -> usize {
        let mut k = j;
        while k < lines.len() && is_blank(self.s(lines[k])) {
            k += 1;
        }
        if let Some(line) = lines.get(k) {
            let s = self.s(*line);
            let t = s.trim_start();
            if t.starts_with("Table:") || t.starts_with(": ") {
                return self.paragraph_from(lines, k, false);
            }
        }
        j
    }

    /// A grid table whose top border is `lines[i]` (part widths `top`), as
    /// pandoc's `gridTableWith`: with a header when header lines and a `=`
    /// border of as many parts come before at least one row, else headless.
    /// A row is one or more lines starting with `|`; rows are separated by
    /// `-` borders, and the table ends at the first other line. Each cell's
    /// pieces are read as blocks of their own. None when no row follows.
    fn grid_table(&mut self, lines: &[VLine], i: usize, top: Vec<usize>) -> Option<usize> {
        let is_row = |r: &Self, j: usize| lines.get(j).is_some_and(|l| r.s(*l).len() > 1 && r.s(*l).starts_with('|'));
        let mut header_end = i + 1;
        while is_row(self, header_end) {
            header_end += 1;
        }
        let under = lines.get(header_end).and_then(|l| grid_border(self.s(*l), b'='));
        let (widths, mut j) = match under {
            Some(under) if header_end > i + 1 && under.len() == top.len() && is_row(self, header_end + 1) => {
                self.grid_row(&lines[i + 1..header_end], &under, true);
                (under, header_end + 1)
            }
            _ if is_row(self, i + 1) => (top, i + 1),
            _ => return None,
        };
        loop {
            let row_start = j;
            while is_row(self, j) {
                j += 1;
            }
            if j == row_start {
                break;
            }
            self.grid_row(&lines[row_start..j], &widths, false);
            match lines.get(j).and_then(|l| grid_border(self.s(*l), b'-')) {
                Some(_) => j += 1,
                None => break,
            }
        }
        Some(j)
    }

    /// One grid-table row: each column's pieces of `rows`, read as blocks.
    /// Header pieces are trimmed; a body column loses one leading space when
    /// all its pieces start with one (pandoc's `removeOneLeadingSpace`).
    fn grid_row(&mut self, rows: &[VLine], widths: &[usize], header: bool) {
        let split: Vec<Vec<std::ops::Range<usize>>> = rows.iter().map(|l| grid_cells(self.s(*l), widths)).collect();
        let outer = self.in_grid_cell;
        self.in_grid_cell = true;
        for column in 0..widths.len() {
            let mut pieces = column_of(rows, &split, column);
            if header {
                for piece in &mut pieces {
                    let s = self.s(*piece);
                    piece.start += s.len() - s.trim_start().len();
                }
            } else if pieces.iter().all(|p| p.start == p.end || self.text.as_bytes()[p.start] == b' ') {
                for piece in pieces.iter_mut().filter(|p| p.start < p.end) {
                    piece.start += 1;
                }
            }
            self.blocks(&pieces, false);
        }
        self.in_grid_cell = outer;
    }

    fn pipe_cells(&mut self, line: VLine, columns: usize) {
        let s = self.s(line);
        let bytes = s.as_bytes();
        let mut cell_start = 0;
        let mut i = 0;
        let mut cells = Vec::new();
        let mut code_closers = super::inline::CodeSpanCloser::default();
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 1,
                // Pandoc reads a row's cells as inlines: a code span hides
                // its `|`s, and a backtick run that no run of its length
                // closes is one literal backtick (the next one may open).
                b'`' => {
                    let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                    if let Some(close) = code_closers.find(bytes, i, run, bytes.len()) {
                        i = close + run - 1;
                    }
                }
                b'|' => {
                    cells.push(cell_start..i);
                    cell_start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        cells.push(cell_start..bytes.len());
        // Outer pipes are optional: no cell before the first or after the last.
        if cells.len() > 1 && is_blank(&s[cells[0].clone()]) {
            cells.remove(0);
        }
        if cells.len() > 1 && cells.last().is_some_and(|c| is_blank(&s[c.clone()])) {
            cells.pop();
        }
        cells.truncate(columns);
        for cell in cells {
            let content = &s[cell.clone()];
            let lead = content.len() - content.trim_start().len();
            let trimmed = content.trim();
            if !trimmed.is_empty() {
                let start = line.start + cell.start + lead;
                self.out.paragraphs.push(TextRange::new(start, start + trimmed.len()));
            }
        }
    }

    /// A simple table's row: each column's piece is a block of its own.
    fn column_cells(&mut self, line: VLine, starts: &[usize]) {
        for cell in column_pieces(self.s(line), starts, line.start - line.origin) {
            if !cell.is_empty() {
                self.out.paragraphs.push(TextRange::new(line.start + cell.start, line.start + cell.end));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `reference_definition` as it was written before it stopped at the
    /// first `]`: the first `]:` of the line ends the label.
    fn reference_definition_at_first_colon(s: &str) -> Option<(bool, usize)> {
        let (columns, lead) = indentation(s);
        if columns > 3 || !s[lead..].starts_with('[') {
            return None;
        }
        let close = s[lead..].find("]:")? + lead;
        let label = &s[lead + 1..close];
        if label.is_empty() || label.contains(['[', ']']) {
            return None;
        }
        if label.starts_with('^') {
            return Some((true, note_content(s, close + 2)));
        }
        let rest = s[close + 2..].trim();
        let (target, title) = rest.split_once([' ', '\t']).unwrap_or((rest, ""));
        let title = title.trim();
        let titled = title.is_empty()
            || [('"', '"'), ('\'', '\''), ('(', ')')].iter().any(|&(o, c)| title.starts_with(o) && title.ends_with(c));
        (!target.is_empty() && titled).then_some((false, close + 2))
    }

    #[test]
    fn reference_definition_agrees_with_the_first_colon_search() {
        let pieces = ["[", "]", ":", "]:", "^", " ", "    ", "\t", "a", "url", "\"t\"", "(t)", "'", "é", "]{ent=x}"];
        let mut rng = crate::quantity::TestRng(0x5151_7a7a_0101_9e9e);
        for _ in 0..30_000 {
            let len = rng.below(10);
            let lead = ["", "[", " [", "    ["][rng.below(4)];
            let s: String = std::iter::once(lead).chain((0..len).map(|_| pieces[rng.below(pieces.len())])).collect();
            assert_eq!(reference_definition(&s), reference_definition_at_first_colon(&s), "{s:?}");
        }
    }
}
