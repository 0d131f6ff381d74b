//! An open document: its text in a rope, edited in place by incremental
//! changes, and the version the client last sent.

use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, TextDocumentContentChangeEvent};

use crate::line_index::Encoding;
use crate::text_change::{KnownChange, TextChange};

#[derive(Clone, Debug)]
pub struct OpenDocument {
    /// The text as a rope, for positions: built when an incremental change
    /// first needs one. A client that syncs whole texts never does, and a
    /// 5 MB rope costs milliseconds to build per keystroke.
    rope: Option<Rope>,
    pub version: i32,
    /// The rope's text in one piece, edited alongside it: a keystroke in a
    /// big document moves the bytes after the edit (in memory touched
    /// before) and copies the whole once, into the shared text. (Copying
    /// the rope's chunks out every time cost as much again: 5% of a
    /// keystroke's samples in a 5 MB document.)
    text: String,
    /// That text as it was shared, and what the edits since then changed:
    /// handed on with the next text, so nothing downstream compares two
    /// versions of a big document to find the keystroke.
    given: Option<Arc<str>>,
    since_given: Edits,
}

/// What the edits since the last shared text changed.
#[derive(Clone, Copy, Debug)]
enum Edits {
    None,
    Known(TextChange),
    /// The whole text was replaced (full sync): only a comparison can say.
    Unknown,
}

impl OpenDocument {
    /// A document opened with `text`, which is also the text the host was given.
    pub fn new(text: Arc<str>, version: i32) -> OpenDocument {
        OpenDocument { rope: None, version, text: text.to_string(), given: Some(text), since_given: Edits::None }
    }

    /// Applies the changes of one `didChange` in order. Ranges past the end
    /// clamp to the end, as a line past the last one does.
    pub fn apply(&mut self, changes: &[TextDocumentContentChangeEvent], encoding: Encoding) {
        for change in changes {
            match change.range {
                None => {
                    self.rope = None;
                    self.text.clear();
                    self.text.push_str(&change.text);
                    self.since_given = Edits::Unknown;
                }
                Some(range) => {
                    let rope = self.rope.get_or_insert_with(|| Rope::from_str(&self.text));
                    let start = char_index(rope, range.start, encoding);
                    let end = char_index(rope, range.end, encoding).max(start);
                    let (start_byte, end_byte) = (rope.char_to_byte(start), rope.char_to_byte(end));
                    rope.remove(start..end);
                    rope.insert(start, &change.text);
                    self.text.replace_range(start_byte..end_byte, &change.text);
                    let edit = TextChange::replace(start_byte, end_byte - start_byte, change.text.len());
                    self.since_given = match self.since_given {
                        Edits::None => Edits::Known(edit),
                        Edits::Known(before) => Edits::Known(before.then(edit)),
                        Edits::Unknown => Edits::Unknown,
                    };
                }
            }
        }
    }

    /// The rope's text (for tests: it must always be the text).
    #[doc(hidden)]
    pub fn rope_text(&self) -> String {
        self.rope.as_ref().map_or_else(|| self.text.clone(), String::from)
    }

    /// The text.
    #[cfg(test)]
    pub fn text(&self) -> String {
        self.text.clone()
    }

    /// The text as the workspace keeps it, with what changed since the
    /// text shared before (when the edits say).
    pub fn shared_text(&mut self) -> (Arc<str>, Option<KnownChange>) {
        let text: Arc<str> = Arc::from(self.text.as_str());
        let change = match self.since_given {
            Edits::None => Some(TextChange::replace(text.len(), 0, 0)),
            Edits::Known(change) => Some(change),
            Edits::Unknown => None,
        };
        let known = self.given.replace(text.clone()).zip(change).map(|(from, change)| KnownChange { from, change });
        self.since_given = Edits::None;
        (text, known)
    }
}

/// The char index of an LSP position in `rope`, clamped into the text.
fn char_index(rope: &Rope, position: Position, encoding: Encoding) -> usize {
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
        let mut doc = OpenDocument::new(Arc::from("a😀b\r\nc"), 1);
        doc.apply(&[change(0, 3, 0, 4, "B")], Encoding::Utf16);
        assert_eq!(doc.text(), "a😀B\r\nc");
        doc.apply(&[change(0, 5, 0, 6, "x")], Encoding::Utf8);
        assert_eq!(doc.text(), "a😀x\r\nc");
        doc.apply(&[change(0, 2, 0, 3, "y")], Encoding::Utf32);
        assert_eq!(doc.text(), "a😀y\r\nc");
        assert_eq!(&*doc.shared_text().0, "a😀y\r\nc");
        doc.apply(&[change(0, 0, 1, 1, "")], Encoding::Utf16);
        assert_eq!(&*doc.shared_text().0, "");
    }

    #[test]
    fn positions_past_line_end_clamp_before_crlf() {
        let mut doc = OpenDocument::new(Arc::from("ab\r\ncd"), 1);
        doc.apply(&[change(0, 99, 0, 99, "!")], Encoding::Utf16);
        assert_eq!(doc.text(), "ab!\r\ncd");
        doc.apply(&[change(7, 0, 9, 0, "?")], Encoding::Utf16);
        assert_eq!(doc.text(), "ab!\r\ncd?");
    }

    /// The change handed on with a text is from the text shared before it,
    /// and everything outside it is equal, whatever edits came between.
    #[test]
    fn the_change_handed_on_holds_between_the_shared_texts() {
        let full = |text: &str| TextDocumentContentChangeEvent { range: None, range_length: None, text: text.into() };
        let first: Arc<str> = Arc::from("héllo\nwörld\r\n😀 end\n");
        let mut doc = OpenDocument::new(first.clone(), 1);
        let mut before = first;
        let steps: Vec<Vec<TextDocumentContentChangeEvent>> = vec![
            vec![change(1, 1, 1, 2, "o")],
            vec![change(0, 0, 0, 0, "¡"), change(2, 2, 2, 2, "x"), change(1, 0, 2, 0, "")],
            vec![change(0, 3, 0, 3, "\n\n"), change(9, 0, 9, 0, "tail")],
            vec![],
            vec![change(0, 1, 0, 1, "a"), change(0, 1, 0, 2, "")],
        ];
        for (i, step) in steps.iter().enumerate() {
            doc.apply(step, if i % 2 == 0 { Encoding::Utf16 } else { Encoding::Utf8 });
            let (text, known) = doc.shared_text();
            assert_eq!(doc.rope_text(), *text, "step {i}: the rope and the text went apart");
            let known = known.expect("incremental edits are known");
            assert!(Arc::ptr_eq(&known.from, &before), "step {i}");
            let c = known.change;
            assert!(c.fits(before.len(), text.len()), "step {i}: {c:?}");
            assert_eq!(before[..c.start], text[..c.start], "step {i}");
            assert_eq!(before[c.old_end..], text[c.new_end..], "step {i}");
            before = text;
        }
        doc.apply(&[change(0, 0, 0, 0, "x"), full("new\n"), change(0, 0, 0, 0, "y")], Encoding::Utf16);
        let (text, known) = doc.shared_text();
        assert_eq!(&*text, "ynew\n");
        assert!(known.is_none(), "after a full replacement only a comparison can tell");
        doc.apply(&[change(0, 1, 0, 1, "!")], Encoding::Utf16);
        assert!(Arc::ptr_eq(&doc.shared_text().1.expect("known again").from, &text));
    }
}
