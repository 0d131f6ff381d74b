//! A piece of the file's text that the reader reads as a value: an
//! attribute's value, a span's id or key, a citation's prefix or locator.
//!
//! Nearly every value is exactly the source bytes it was read from, so a
//! value is its range. Only where reading changed the bytes — a backslash
//! escape removed (`value="a \"b\""`), a stray curly quote mark dropped, a
//! blockquote's `> ` read as spaces in a value that runs across lines — is
//! the text kept, once, in the file's side table (`SourceFile::unescaped`).
//! A tree holds no `String` per value (it used to: two heap blocks per
//! attribute, a third of a workspace's syntax trees).

use std::num::NonZeroU32;

use super::tree::TextRange;

/// Read the text with [`super::SourceFile::text_of`], which takes the
/// file's source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Value {
    /// Where the value is written (for an attribute, inside its quotes).
    pub range: TextRange,
    /// Position + 1 in the side table when the text differs from the bytes
    /// at `range`; `None` (four bytes, no tag) when it does not.
    pub(super) unescaped: Option<NonZeroU32>,
}

/// Builds [`Value`]s and the side table of the texts that differ from the
/// source, while one file is read.
pub(super) struct Values<'s> {
    /// The file as given: a value equal to these bytes needs no copy.
    source: &'s str,
    pub table: Vec<Box<str>>,
}

impl<'s> Values<'s> {
    pub fn new(source: &'s str) -> Values<'s> {
        Values { source, table: Vec::new() }
    }

    /// The value written at `range` that reads as `read`. The reader may
    /// have read a masked copy of the text (container prefixes as spaces),
    /// so `read` is compared with the bytes of the file itself.
    pub fn value(&mut self, range: TextRange, read: &str) -> Value {
        if self.source.get(range.to_range()) == Some(read) {
            return Value { range, unescaped: None };
        }
        self.table.push(read.into());
        // A text of at most 4 GiB has fewer values than that.
        let position = u32::try_from(self.table.len()).ok().and_then(NonZeroU32::new);
        Value { range, unescaped: position }
    }

    /// The text of a value made by this builder.
    #[cfg(test)]
    pub fn text(&self, value: Value) -> &str {
        read(self.source, &self.table, value)
    }
}

pub(super) fn read<'a>(source: &'a str, table: &'a [Box<str>], value: Value) -> &'a str {
    match value.unescaped {
        Some(position) => table.get(position.get() as usize - 1).map_or("", |text| text),
        // A value whose range is not in this text (a tree read with the
        // wrong text) reads as empty rather than panicking.
        None => source.get(value.range.to_range()).unwrap_or(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_values_that_differ_from_the_source_are_copied() {
        let source = r#"{by=stoltenberg value="a \"b\""}"#;
        let mut values = Values::new(source);
        let plain = values.value(TextRange::new(4, 15), "stoltenberg");
        let escaped = values.value(TextRange::new(23, 30), r#"a "b""#);
        assert_eq!(values.table.len(), 1, "one copy, for the escaped value only");
        assert_eq!(plain.unescaped, None);
        assert_eq!(values.text(plain), "stoltenberg");
        assert_eq!(values.text(escaped), r#"a "b""#);
        assert_eq!(&source[escaped.range], r#"a \"b\""#);
        assert_eq!(std::mem::size_of::<Value>(), 12);
    }

    #[test]
    fn a_value_read_from_masked_text_is_copied() {
        let source = "[x]{by=\"a\n> b\"}";
        let mut values = Values::new(source);
        let value = values.value(TextRange::new(8, 13), "a\n  b");
        assert_eq!(values.text(value), "a\n  b");
    }
}
