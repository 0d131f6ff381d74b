//! An open document: its text in a rope, edited in place by incremental
//! changes, and the version the client last sent.

use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, TextDocumentContentChangeEvent};

use crate::line_index::Encoding;

#[derive(Clone, Debug)]
pub struct OpenDocument {
    pub rope: Rope,
    pub version: i32,
    /// The last text handed out by [`OpenDocument::shared_text`], kept as
    /// the buffer the next one is assembled in: its pages are already
    /// mapped, so a keystroke in a big document copies the rope once into
    /// memory it has touched before, and once into the shared text.
    scratch: String,
}

impl OpenDocument {
    pub fn new(text: &str, version: i32) -> OpenDocument {
        OpenDocument { rope: Rope::from_str(text), version, scratch: String::new() }
    }

    /// Applies the changes of one `didChange` in order. Ranges past the end
    /// clamp to the end, as a line past the last one does.
    pub fn apply(&mut self, changes: &[TextDocumentContentChangeEvent], encoding: Encoding) {
        for change in changes {
            match change.range {
                None => self.rope = Rope::from_str(&change.text),
                Some(range) => {
                    let start = self.char_index(range.start, encoding);
                    let end = self.char_index(range.end, encoding).max(start);
                    self.rope.remove(start..end);
                    self.rope.insert(start, &change.text);
                }
            }
        }
    }

    /// The char index of an LSP position, clamped into the text.
    pub fn char_index(&self, position: Position, encoding: Encoding) -> usize {
        let rope = &self.rope;
        let line = position.line as usize;
        if line >= rope.len_lines() {
            return rope.len_chars();
        }
        let line_start = rope.line_to_char(line);
        let line_slice = rope.line(line);
        // The line's content, without its terminator (`\n`, `\r\n` or `\r`).
        let mut content_chars = line_slice.len_chars();
        while content_chars > 0 && matches!(line_slice.char(content_chars - 1), '\n' | '\r') {
            content_chars -= 1;
        }
        let wanted = position.character as usize;
        let mut units = 0;
        for (i, ch) in line_slice.chars().take(content_chars).enumerate() {
            if units >= wanted {
                return line_start + i;
            }
            units += match encoding {
                Encoding::Utf8 => ch.len_utf8(),
                Encoding::Utf16 => ch.len_utf16(),
                Encoding::Utf32 => 1,
            };
            if units > wanted {
                return line_start + i;
            }
        }
        line_start + content_chars
    }

    /// The text, copied out of the rope once into a string of the right
    /// size (`to_string` goes through `Display`, growing the string as it
    /// writes: about twice the copying for a big document).
    pub fn text(&self) -> String {
        String::from(&self.rope)
    }

    /// The text as the workspace keeps it. It was `Arc::from(text())`: two
    /// fresh 5 MB buffers per keystroke in a 5 MB document, whose first
    /// touch of each page (a page fault, the page cleared) cost more than
    /// the copying; now the rope's chunks go into the reused scratch buffer
    /// and only the shared text is new.
    pub fn shared_text(&mut self) -> Arc<str> {
        self.scratch.clear();
        self.scratch.reserve(self.rope.len_bytes());
        for chunk in self.rope.chunks() {
            self.scratch.push_str(chunk);
        }
        Arc::from(self.scratch.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::Range;

    fn change(sl: u32, sc: u32, el: u32, ec: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range { start: Position::new(sl, sc), end: Position::new(el, ec) }),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn edits_after_emoji_in_each_encoding() {
        let mut doc = OpenDocument::new("a😀b\r\nc", 1);
        doc.apply(&[change(0, 3, 0, 4, "B")], Encoding::Utf16);
        assert_eq!(doc.text(), "a😀B\r\nc");
        doc.apply(&[change(0, 5, 0, 6, "x")], Encoding::Utf8);
        assert_eq!(doc.text(), "a😀x\r\nc");
        doc.apply(&[change(0, 2, 0, 3, "y")], Encoding::Utf32);
        assert_eq!(doc.text(), "a😀y\r\nc");
        assert_eq!(&*doc.shared_text(), "a😀y\r\nc");
        doc.apply(&[change(0, 0, 1, 1, "")], Encoding::Utf16);
        assert_eq!(&*doc.shared_text(), "");
    }

    #[test]
    fn positions_past_line_end_clamp_before_crlf() {
        let mut doc = OpenDocument::new("ab\r\ncd", 1);
        doc.apply(&[change(0, 99, 0, 99, "!")], Encoding::Utf16);
        assert_eq!(doc.text(), "ab!\r\ncd");
        doc.apply(&[change(7, 0, 9, 0, "?")], Encoding::Utf16);
        assert_eq!(doc.text(), "ab!\r\ncd?");
    }
}
