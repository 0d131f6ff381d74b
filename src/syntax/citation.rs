//! Pandoc citations: `[@id]`, `[@a; @b]`, `[see @id, para. 4]`, `[-@id]`.

use crate::base::TextRange;

/// One citation item as read: ranges in the text the citation was read
/// from (the prefix and locator of the text the reader was given, which
/// may differ from the file's where a container prefix was masked).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct ParsedItem {
    pub id: TextRange,
    pub prefix: TextRange,
    pub locator: TextRange,
}

impl ParsedItem {
    fn bare(id: TextRange) -> ParsedItem {
        ParsedItem { id, prefix: TextRange::empty(id.start()), locator: TextRange::empty(id.end()) }
    }
}

/// Reads the text between a citation's brackets, which starts at byte
/// `base` of the file. None when it is not a citation (a plain bracket,
/// an email address).
pub(super) fn parse_citation(content: &str, base: usize) -> Option<Vec<ParsedItem>> {
    let mut items = Vec::new();
    let mut part_start = 0;
    for part in content.split(';') {
        if let Some(item) = parse_item(part, base + part_start) {
            // More keys in the suffix (`[see @a and @b]`) are in-text
            // citations inside this one: they cite too.
            let mut from = item.id.end() - base - part_start;
            items.push(item);
            while let Some(p) = part[from..].find('@') {
                let at = from + p;
                if key_allowed_at(part, at) {
                    let len = key_len(&part[at + 1..]);
                    let range = base + part_start + at + 1..base + part_start + at + 1 + len;
                    items.push(ParsedItem::bare(range.into()));
                    from = at + 1 + len;
                } else {
                    from = at + 1;
                }
            }
        }
        part_start += part.len() + 1;
    }
    (!items.is_empty()).then_some(items)
}

fn parse_item(part: &str, base: usize) -> Option<ParsedItem> {
    let bytes = part.as_bytes();
    let at = (0..bytes.len()).find(|&i| bytes[i] == b'@' && key_allowed_at(part, i))?;
    let id_start = at + 1;
    let id_end = id_start + key_len(&part[id_start..]);
    let prefix = part[..at].trim().trim_end_matches('-').trim();
    let locator = part[id_end..].trim().trim_start_matches(',').trim();
    Some(ParsedItem {
        id: TextRange::new(base + id_start, base + id_end),
        prefix: within(part, prefix, base),
        locator: within(part, locator, base),
    })
}

/// The range of `piece`, a slice of `whole`, where `whole` starts at `base`.
fn within(whole: &str, piece: &str, base: usize) -> TextRange {
    let start = piece.as_ptr() as usize - whole.as_ptr() as usize;
    TextRange::new(base + start, base + start + piece.len())
}

/// Whether an `@` at byte `at` of `s` may start a citation key: a key
/// follows, and no word character comes before it (`desk@example.org`).
fn key_allowed_at(s: &str, at: usize) -> bool {
    let before = s[..at].chars().next_back();
    // A key follows when its first character may start one (`key_len` > 0).
    let after_ok = char_at(s, at + 1).is_some_and(|(c, _)| regular(c));
    after_ok && before.is_none_or(|c| !c.is_alphanumeric() && c != '_')
}

/// A letter, digit or `_`: what a citation key starts and ends with.
fn regular(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        c.is_alphanumeric()
    }
}

/// The character at byte `i` of `s` and its length; ASCII without decoding.
fn char_at(s: &str, i: usize) -> Option<(char, usize)> {
    let b = *s.as_bytes().get(i)?;
    if b.is_ascii() {
        return Some((b as char, 1));
    }
    let c = s[i..].chars().next()?;
    Some((c, c.len_utf8()))
}

/// Length of pandoc's citation key at the start of `s`: a letter, digit or
/// `_`, then letters, digits and `_`, with the punctuation `:.#$%&-+?<>~/`
/// allowed inside (followed by a letter, digit or `_`).
pub(super) fn key_len(s: &str) -> usize {
    match char_at(s, 0) {
        Some((c, _)) if regular(c) => {}
        _ => return 0,
    }
    let mut end = 0;
    let mut i = 0;
    while let Some((c, len)) = char_at(s, i) {
        let next = i + len;
        if regular(c) {
            end = next;
        } else if !(c.is_ascii()
            && b":.#$%&-+?<>~/".contains(&(c as u8))
            && char_at(s, next).is_some_and(|(n, _)| regular(n) || matches!(n, ':' | '/') && c == n))
        {
            break;
        }
        i = next;
    }
    end
}

/// A bare in-text citation `@id` at byte `at` (pandoc's author-in-text
/// form). `start..limit` is the paragraph.
pub(super) fn in_text_citation(text: &str, at: usize, start: usize, limit: usize) -> Option<ParsedItem> {
    if follows_word(&text[start..at]) {
        return None;
    }
    let len = key_len(&text[at + 1..limit]);
    if len == 0 {
        return None;
    }
    let id = at + 1..at + 1 + len;
    Some(ParsedItem::bare(id.into()))
}

/// Whether `@` right after `before` continues a word, as pandoc reads it:
/// a citation may not start right where its `str` parser stopped, which
/// takes letters, digits and a `.` not followed by another `.` (so
/// `a@b.org` and `e.g.@x` cite nothing, `_@x` and `-@x` do). A run of dots
/// before `@` ends in such a `.` unless smart punctuation took it whole as
/// ellipses (`...@x` cites).
fn follows_word(before: &str) -> bool {
    match before.chars().next_back() {
        Some('.') => before.bytes().rev().take_while(|&b| b == b'.').count() % 3 != 0,
        Some(c) => c.is_alphanumeric(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_locator_and_several_items() {
        let text = "0123456789see @ap-2020-02-13, para. 4; @reuters.";
        let items = parse_citation(&text[10..], 10).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(&text[items[0].id], "ap-2020-02-13");
        assert_eq!(items[0].id, 15..28);
        assert_eq!(&text[items[0].prefix], "see");
        assert_eq!(&text[items[0].locator], "para. 4");
        assert_eq!(&text[items[1].id], "reuters");
        assert!(items[1].prefix.is_empty());
        assert_eq!(&text[items[1].locator], ".");
    }

    /// The definition `key_len` had before its ASCII fast path: char by char.
    fn key_len_by_chars(s: &str) -> usize {
        let regular = |c: char| c.is_alphanumeric() || c == '_';
        let mut chars = s.char_indices().peekable();
        match chars.peek() {
            Some(&(_, c)) if regular(c) => {}
            _ => return 0,
        }
        let mut end = 0;
        while let Some((i, c)) = chars.next() {
            if regular(c) {
                end = i + c.len_utf8();
            } else if ":.#$%&-+?<>~/".contains(c)
                && chars.peek().is_some_and(|&(_, n)| regular(n) || ":/".contains(n) && c == n)
            {
                continue;
            } else {
                break;
            }
        }
        end
    }

    #[test]
    fn key_len_agrees_with_the_char_by_char_definition() {
        let pieces = [
            "a", "Z", "0", "_", "é", "ß", "٣", "中", "\u{2163}", ":", "::", "/", "//", ".", "#", "$", "%", "&", "-",
            "+", "?", "<", ">", "~", " ", ",", ";", "@", "]", "\u{00A0}", "’", "\u{0301}",
        ];
        let mut rng = crate::quantity::TestRng(0x0bad_cafe_f00d_d00d);
        for _ in 0..20_000 {
            let len = rng.below(12);
            let s: String = (0..len).map(|_| pieces[rng.below(pieces.len())]).collect();
            assert_eq!(key_len(&s), key_len_by_chars(&s), "{s:?}");
            for at in (0..s.len()).filter(|&i| s.is_char_boundary(i)) {
                let by_chars = key_len_by_chars(&s[at..]) > 0;
                assert_eq!(char_at(&s, at).is_some_and(|(c, _)| regular(c)), by_chars, "{s:?} at {at}");
            }
        }
    }

    #[test]
    fn email_is_not_a_citation() {
        assert!(parse_citation("write to desk@example.org", 0).is_none());
        assert!(parse_citation("plain words", 0).is_none());
        assert_eq!(parse_citation("-@x", 0).unwrap()[0].id, 2..3);
    }
}
