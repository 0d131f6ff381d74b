//! Byte offsets ↔ line/column, in the three encodings clients use.
//!
//! Line breaks are exactly the ones LSP counts: `\n`, `\r\n` and a lone `\r`.
//! Every conversion clamps instead of failing, because editors do send
//! positions past the end of a line (marksman#424 crashed on exactly that).

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    /// Unicode scalar values; also what the CLI's JSON `column` counts.
    Utf32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    /// 0-based line.
    pub line: u32,
    /// 0-based column in the chosen encoding's units.
    pub col: u32,
}

#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset where each line's content starts.
    starts: Vec<usize>,
    /// Byte offset where each line's content ends (before its terminator).
    ends: Vec<usize>,
    ascii_only: bool,
    /// For text that is not all ASCII: the UTF-16 and UTF-32 length of the
    /// text before a char boundary about every `MARK_STRIDE` bytes, so a
    /// column on a very long line costs at most a stride, not the line.
    marks: Vec<Mark>,
}

const MARK_STRIDE: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Mark {
    byte: usize,
    utf16: usize,
    utf32: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut ends = Vec::new();
        let mut breaks = memchr::memchr2_iter(b'\n', b'\r', bytes);
        while let Some(i) = breaks.next() {
            ends.push(i);
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                // CRLF: one break; the iterator's next hit is this '\n'.
                breaks.next();
                starts.push(i + 2);
            } else {
                starts.push(i + 1);
            }
        }
        ends.push(bytes.len());
        let ascii_only = text.is_ascii();
        let marks = if ascii_only { Vec::new() } else { marks(text) };
        LineIndex { starts, ends, ascii_only, marks }
    }

    /// The index of `new`, made from `self`, the index of `old`, when the
    /// two texts differ only in `old[start..old_end]`, which `new` has as
    /// `new[start..new_end]` (the same before `start` and from the ends on;
    /// the three offsets on char boundaries). The lines around the edit are
    /// read again; the others' starts and ends are kept, or moved by the
    /// edit's length. Answers as `LineIndex::new(new)` does; its lines are
    /// the same, its marks may sit elsewhere after the edit (each is still
    /// a char boundary with the units before it, at most a stride apart).
    pub fn splice(&self, old: &str, new: &str, start: usize, old_end: usize, new_end: usize) -> LineIndex {
        debug_assert!(old[..start] == new[..start] && old[old_end..] == new[new_end..]);
        let by = new_end as i64 - old_end as i64;
        let moved = |offset: usize| (offset as i64 + by) as usize;
        // Whether an offset starts a line is read from the byte before it
        // and its own, where a line's content ends likewise: lines that
        // start before the line holding `start - 1` are the same in both
        // texts, and so are those that start after `new_end` (`old_end`).
        let first = self.line_of(start.saturating_sub(1)).saturating_sub(1);
        let mut starts = self.starts[..=first].to_vec();
        let mut ends = self.ends[..first].to_vec();
        let bytes = new.as_bytes();
        let mut at = self.starts[first];
        loop {
            let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[at..]) else {
                ends.push(bytes.len());
                break;
            };
            let found = at + found;
            ends.push(found);
            at = found + if bytes[found] == b'\r' && bytes.get(found + 1) == Some(&b'\n') { 2 } else { 1 };
            starts.push(at);
            if at > new_end {
                let line = self.starts.binary_search(&((at as i64 - by) as usize));
                let line = line.expect("a line that starts after the edit started one in the old text");
                ends.extend(self.ends[line..].iter().map(|&e| moved(e)));
                starts.extend(self.starts[line + 1..].iter().map(|&s| moved(s)));
                break;
            }
        }
        let ascii_only = new.is_ascii();
        let marks = match (ascii_only, self.marks.is_empty()) {
            (true, _) => Vec::new(),
            (false, true) => marks(new),
            (false, false) => {
                // The marks up to `start` are the same; those from the
                // first at or after `old_end` on move, by the edit's length
                // in bytes and by its difference in units; between them
                // they are made again (so no two are more than a stride apart).
                let kept = self.marks.partition_point(|m| m.byte <= start);
                let from = self.marks[kept - 1];
                let after = self.marks.partition_point(|m| m.byte < old_end);
                let units = |s: &str| (s.encode_utf16().count() as i64, s.chars().count() as i64);
                let (new16, new32) = units(&new[start..new_end]);
                let (old16, old32) = units(&old[start..old_end]);
                let shifted = self.marks[after..].iter().map(|m| Mark {
                    byte: moved(m.byte),
                    utf16: (m.utf16 as i64 + new16 - old16) as usize,
                    utf32: (m.utf32 as i64 + new32 - old32) as usize,
                });
                let mut marks = self.marks[..kept].to_vec();
                let until = self.marks.get(after).map_or(new.len(), |m| moved(m.byte));
                // The piece's first mark is `from` itself.
                marks.extend(self::marks(&new[from.byte..until]).into_iter().skip(1).map(|m| Mark {
                    byte: from.byte + m.byte,
                    utf16: from.utf16 + m.utf16,
                    utf32: from.utf32 + m.utf32,
                }));
                marks.extend(shifted);
                marks
            }
        };
        LineIndex { starts, ends, ascii_only, marks }
    }

    /// Units of `text[..offset]` (`offset` on a char boundary), from the nearest mark.
    fn units_before(&self, text: &str, offset: usize, encoding: Encoding) -> usize {
        let mark = self.marks[self.marks.partition_point(|m| m.byte <= offset).saturating_sub(1)];
        let base = match encoding {
            Encoding::Utf8 => mark.byte,
            Encoding::Utf16 => mark.utf16,
            Encoding::Utf32 => mark.utf32,
        };
        base + units(&text[mark.byte..offset], encoding, false)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte range of a line's content, without its terminator.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let line = line.min(self.starts.len() - 1);
        self.starts[line]..self.ends[line]
    }

    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn line_col(&self, text: &str, offset: usize, encoding: Encoding) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        // An offset inside a CRLF terminator belongs to the end of the line's content.
        let end = offset.min(self.ends[line]);
        let start = self.starts[line];
        let col = if end - start > MARK_STRIDE && !self.marks.is_empty() {
            self.units_before(text, end, encoding) - self.units_before(text, start, encoding)
        } else {
            units(&text[start..end], encoding, self.ascii_only)
        };
        LineCol { line: line as u32, col: col as u32 }
    }

    pub fn offset(&self, text: &str, position: LineCol, encoding: Encoding) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let content = &text[self.starts[line]..self.ends[line]];
        let wanted = position.col as usize;
        if self.ascii_only || encoding == Encoding::Utf8 {
            let within = floor_char_boundary(content, wanted.min(content.len()));
            return self.starts[line] + within;
        }
        let mut seen = 0;
        for (byte, ch) in content.char_indices() {
            if seen >= wanted {
                return self.starts[line] + byte;
            }
            seen += char_units(ch, encoding);
            if seen > wanted {
                // The position splits a surrogate pair: snap to the character's start.
                return self.starts[line] + byte;
            }
        }
        self.ends[line]
    }
}

/// A mark at the first char boundary at or after every `MARK_STRIDE` bytes
/// from the previous one. The characters between two marks are counted from
/// their bytes, without decoding: every byte that is not a UTF-8
/// continuation byte starts a character, and a character needs two UTF-16
/// units when its lead byte says it has four bytes.
fn marks(text: &str) -> Vec<Mark> {
    let bytes = text.as_bytes();
    let mut marks = Vec::with_capacity(bytes.len() / MARK_STRIDE + 1);
    let (mut byte, mut utf16, mut utf32) = (0, 0, 0);
    while byte < bytes.len() {
        marks.push(Mark { byte, utf16, utf32 });
        let mut next = (byte + MARK_STRIDE).min(bytes.len());
        while !text.is_char_boundary(next) {
            next += 1;
        }
        // Branch-free sums over bytes, which the compiler vectorises.
        let (mut chars, mut four_byte) = (0u32, 0u32);
        for &b in &bytes[byte..next] {
            chars += u32::from(!is_continuation_byte(b));
            four_byte += u32::from(b >= 0xF0);
        }
        utf32 += chars as usize;
        utf16 += (chars + four_byte) as usize;
        byte = next;
    }
    marks
}

fn is_continuation_byte(b: u8) -> bool {
    b & 0xC0 == 0x80
}

fn char_units(ch: char, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 => ch.len_utf8(),
        Encoding::Utf16 => ch.len_utf16(),
        Encoding::Utf32 => 1,
    }
}

fn units(s: &str, encoding: Encoding, ascii_only: bool) -> usize {
    if ascii_only {
        return s.len();
    }
    match encoding {
        Encoding::Utf8 => s.len(),
        Encoding::Utf16 => s.chars().map(char::len_utf16).sum(),
        Encoding::Utf32 => s.chars().count(),
    }
}

pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str, offset: usize, enc: Encoding) -> (LineCol, usize) {
        let index = LineIndex::new(text);
        let lc = index.line_col(text, offset, enc);
        (lc, index.offset(text, lc, enc))
    }

    #[test]
    fn columns_after_emoji_and_cjk() {
        let text = "a😀b 中文x\nnext";
        let x = text.find('x').unwrap();
        assert_eq!(round_trip(text, x, Encoding::Utf16), (LineCol { line: 0, col: 7 }, x));
        assert_eq!(round_trip(text, x, Encoding::Utf32), (LineCol { line: 0, col: 6 }, x));
        assert_eq!(round_trip(text, x, Encoding::Utf8), (LineCol { line: 0, col: x as u32 }, x));
    }

    #[test]
    fn crlf_and_lone_cr_are_line_breaks() {
        let text = "one\r\ntwo\rthree\nfour";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        let f = text.find("four").unwrap();
        assert_eq!(index.line_col(text, f, Encoding::Utf16), LineCol { line: 3, col: 0 });
        assert_eq!(index.line_range(0), 0..3);
        // An offset pointing at the '\n' of a CRLF is the end of line 0.
        assert_eq!(index.line_col(text, 4, Encoding::Utf16), LineCol { line: 0, col: 3 });
    }

    #[test]
    fn positions_past_the_end_clamp() {
        let text = "ab\ncd";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, LineCol { line: 0, col: 99 }, Encoding::Utf16), 2);
        assert_eq!(index.offset(text, LineCol { line: 9, col: 0 }, Encoding::Utf16), 5);
        assert_eq!(index.line_col(text, 99, Encoding::Utf16), LineCol { line: 1, col: 2 });
    }

    /// Columns far into a long non-ASCII line come from the marks: the same
    /// as counting, and a 1 MB line of them costs linear time.
    #[test]
    fn columns_on_a_long_non_ascii_line() {
        let text = format!("x\n{}", "a😀b’ ".repeat(200_000));
        let index = LineIndex::new(&text);
        let line_start = 2;
        for offset in [line_start, 5000, 5003, 777_777, text.len() - 1, text.len()] {
            let offset = floor_char_boundary(&text, offset);
            let content = &text[line_start..offset];
            for (encoding, want) in [
                (Encoding::Utf8, content.len()),
                (Encoding::Utf16, content.encode_utf16().count()),
                (Encoding::Utf32, content.chars().count()),
            ] {
                assert_eq!(index.line_col(&text, offset, encoding), LineCol { line: 1, col: want as u32 });
            }
        }
        let started = std::time::Instant::now();
        for offset in (0..text.len()).step_by(97).map(|o| floor_char_boundary(&text, o)) {
            index.line_col(&text, offset, Encoding::Utf16);
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "{:?}", started.elapsed());
    }

    /// Texts of every kind of line break and of 1- to 4-byte characters.
    fn mixed_texts() -> Vec<String> {
        let pieces = ["a", "bc ", "\n", "\r", "\r\n", "é", "’", "中文", "😀", "\n\n", "\r\r\n"];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut texts = vec![String::new(), "\r".into(), "\n".into(), "\r\n".into(), "😀".into()];
        for _ in 0..300 {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            for _ in 0..(state % 2000) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            texts.push(text);
        }
        texts
    }

    #[test]
    fn lines_and_marks_are_what_decoding_finds() {
        for text in mixed_texts() {
            let index = LineIndex::new(&text);
            // Lines: every '\n', '\r\n' and lone '\r' ends one.
            let (mut starts, mut ends) = (vec![0], Vec::new());
            let mut chars = text.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
                    chars.next();
                    ends.push(i);
                    starts.push(i + 2);
                } else if c == '\n' || c == '\r' {
                    ends.push(i);
                    starts.push(i + 1);
                }
            }
            ends.push(text.len());
            assert_eq!((&index.starts, &index.ends), (&starts, &ends), "{text:?}");
            // Marks: a char boundary every MARK_STRIDE bytes, with the units before it.
            let mut marks = Vec::new();
            if !text.is_ascii() {
                let (mut utf16, mut utf32, mut next) = (0, 0, 0);
                for (byte, ch) in text.char_indices() {
                    if byte >= next {
                        marks.push(Mark { byte, utf16, utf32 });
                        next = byte + MARK_STRIDE;
                    }
                    utf16 += ch.len_utf16();
                    utf32 += 1;
                }
            }
            assert_eq!(index.marks, marks, "{text:?}");
        }
    }

    /// The property of `LineIndex::splice`: after random edits of texts of
    /// every kind of line break and character, also on long lines (where
    /// the marks answer), the spliced index has a fresh index's lines and
    /// gives its answers at every offset, in every encoding.
    #[test]
    fn a_spliced_index_answers_as_a_fresh_one() {
        let pieces = ["a", "bc ", "\n", "\r", "\r\n", "é", "’", "中文", "😀", "\n\n", "\r\r\n", ""];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut texts = mixed_texts();
        texts.push(format!("x\n{}", "a😀b’ ".repeat(300)));
        texts.push(format!("{}\r\n{}", "ab".repeat(700), "é".repeat(400)));
        texts.push("a".repeat(2000));
        let mut edits = 0;
        for (i, mut text) in texts.into_iter().enumerate() {
            let mut index = LineIndex::new(&text);
            for _ in 0..(if i % 10 == 0 { 30 } else { 3 }) {
                let at = |n: usize| floor_char_boundary(&text, n);
                let (a, b) = (at(next(text.len() + 1)), at(next(text.len() + 1)));
                let (start, old_end) = (a.min(b), a.max(b).min(a.min(b) + next(8) * next(40)));
                let old_end = floor_char_boundary(&text, old_end).max(start);
                let mut insert = String::new();
                for _ in 0..next(4) {
                    insert.push_str(pieces[next(pieces.len())]);
                }
                if next(3) == 0 {
                    insert = "a😀b’ ".repeat(next(120));
                }
                let new = format!("{}{}{}", &text[..start], insert, &text[old_end..]);
                let spliced = index.splice(&text, &new, start, old_end, start + insert.len());
                let fresh = LineIndex::new(&new);
                let case = format!("{text:?} -> {new:?}");
                assert_eq!(
                    (&spliced.starts, &spliced.ends, spliced.ascii_only),
                    (&fresh.starts, &fresh.ends, fresh.ascii_only),
                    "{case}"
                );
                // Every offset of a short text; of a long one, those around the edit and 300 more.
                let stride = (new.len() / 300).max(1);
                let near = start.saturating_sub(40)..(start + insert.len() + 40).min(new.len() + 1);
                for offset in (0..=new.len() + 1).step_by(stride).chain(near) {
                    for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                        let position = fresh.line_col(&new, offset, encoding);
                        assert_eq!(spliced.line_col(&new, offset, encoding), position, "{offset} {encoding:?} {case}");
                        assert_eq!(
                            spliced.offset(&new, position, encoding),
                            fresh.offset(&new, position, encoding),
                            "{case}"
                        );
                    }
                }
                for pair in spliced.marks.windows(2) {
                    assert!(pair[0].byte <= pair[1].byte && pair[1].byte - pair[0].byte <= MARK_STRIDE + 3, "{case}");
                }
                (text, index) = (new, spliced);
                edits += 1;
            }
        }
        assert!(edits > 1000);
    }

    #[test]
    fn position_inside_surrogate_pair_snaps_to_char_start() {
        let text = "😀x";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, LineCol { line: 0, col: 1 }, Encoding::Utf16), 0);
        assert_eq!(index.offset(text, LineCol { line: 0, col: 2 }, Encoding::Utf16), 4);
    }
}
