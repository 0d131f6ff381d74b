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
            let (item, key_end) = item;
            let mut from = key_end;
            items.push(item);
            while let Some(p) = part[from..].find('@') {
                let at = from + p;
                if key_allowed_at(part, at) {
                    let key = key_at(&part[at + 1..]).expect("key_allowed_at saw a key");
                    let key_start = base + part_start + at + 1;
                    items.push(ParsedItem::bare(key.id(key_start)));
                    from = at + 1 + key.end;
                } else {
                    from = at + 1;
                }
            }
        }
        part_start += part.len() + 1;
    }
    (!items.is_empty()).then_some(items)
}

/// The first item of `part` and the offset in `part` where its key's text
/// ends (after a braced key's `}`).
fn parse_item(part: &str, base: usize) -> Option<(ParsedItem, usize)> {
    let bytes = part.as_bytes();
    let at = (0..bytes.len()).find(|&i| bytes[i] == b'@' && key_allowed_at(part, i))?;
    let key = key_at(&part[at + 1..])?;
    let key_end = at + 1 + key.end;
    let prefix = part[..at].trim().trim_end_matches('-').trim();
    let locator = part[key_end..].trim().trim_start_matches(',').trim();
    let item = ParsedItem {
        id: key.id(base + at + 1),
        prefix: within(part, prefix, base),
        locator: within(part, locator, base),
    };
    Some((item, key_end))
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
    let after_ok = match char_at(s, at + 1) {
        Some(('{', _)) => braced_len(&s[at + 1..]).is_some(),
        Some((c, _)) => regular(c),
        None => false,
    };
    after_ok && before.is_none_or(|c| !c.is_alphanumeric() && c != '_')
}

/// A citation key just after its `@`, in offsets relative to the text
/// after `@`: the key is `id_start..id_end`, its text ends at `end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Key {
    id_start: usize,
    id_end: usize,
    end: usize,
}

impl Key {
    /// The key's range when the text after `@` starts at `base`.
    fn id(self, base: usize) -> TextRange {
        TextRange::new(base + self.id_start, base + self.id_end)
    }
}

/// The key at the start of `s`: pandoc's plain key (`key_len`), or a
/// braced key `{…}` — balanced braces with no white space, which may hold
/// any other character (`@{wire.1/a}`); the key is what they enclose. An
/// empty `{}` is no key here (pandoc makes it an empty one, which names
/// nothing).
fn key_at(s: &str) -> Option<Key> {
    if s.starts_with('{') {
        let len = braced_len(s)?;
        return Some(Key { id_start: 1, id_end: len - 1, end: len });
    }
    let len = key_len(s);
    (len > 0).then_some(Key { id_start: 0, id_end: len, end: len })
}

/// The length of the balanced `{…}` group at the start of `s`, holding no
/// white space and at least one character; None if it is unclosed.
fn braced_len(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return (i > 1).then_some(i + 1);
                }
            }
            c if c.is_whitespace() => return None,
            _ => {}
        }
    }
    None
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
/// form), and where its text ends. `start..limit` is the paragraph.
pub(super) fn in_text_citation(text: &str, at: usize, start: usize, limit: usize) -> Option<(ParsedItem, usize)> {
    if follows_word(&text[start..at]) {
        return None;
    }
    let key = key_at(&text[at + 1..limit])?;
    Some((ParsedItem::bare(key.id(at + 1)), at + 1 + key.end))
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

    #[test]
    fn braced_keys_are_what_the_braces_enclose() {
        let text = "[see @{wire.1/a}, p. 2; @{a{b}c}]";
        let items = parse_citation(&text[1..text.len() - 1], 1).unwrap();
        assert_eq!(items.iter().map(|i| &text[i.id]).collect::<Vec<_>>(), ["wire.1/a", "a{b}c"]);
        assert_eq!(&text[items[0].prefix], "see");
        assert_eq!(&text[items[0].locator], "p. 2");
        let (item, end) = in_text_citation("x @{a.b}. y", 2, 0, 11).unwrap();
        assert_eq!((item.id, end), (TextRange::new(4, 7), 8));
        for not_a_key in ["@{two words}", "@{}", "@{open", "@{a\nb}"] {
            assert_eq!(in_text_citation(not_a_key, 0, 0, not_a_key.len()), None, "{not_a_key}");
            assert_eq!(parse_citation(not_a_key, 0), None, "{not_a_key}");
        }
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
