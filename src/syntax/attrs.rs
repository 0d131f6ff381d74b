//! Attribute lists in pandoc's syntax: `{fig=nato-iraq.troops value="450..550" asof=2020-02}`,
//! with `#id` and `.class` items (`{ent=nato .highlight}`, `{.entity #nato}`) mixed in.

use std::borrow::Cow;

use super::tree::{SpanKind, SyntaxError, SyntaxErrorKind, TextRange, Value};
use crate::fix::{Edit, Fix};

pub(super) const KIND_KEYS: [&str; 3] = ["ent", "fig", "by"];
const FIGURE_KEYS: [&str; 2] = ["value", "asof"];
/// Pandoc's and HTML's own span attributes: accepted and ignored.
const PANDOC_KEYS: [&str; 5] = ["lang", "dir", "title", "style", "custom-style"];

/// A `key=value` item as read, before it goes into the tree (as an
/// `Attr`, with the value kept only where it differs from the source).
pub(super) struct ParsedAttr<'t> {
    pub key: &'t str,
    pub key_range: TextRange,
    /// Unquoted and unescaped.
    pub value: Cow<'t, str>,
    /// The value as written, quotes excluded.
    pub value_range: TextRange,
}

pub(super) struct AttrList<'t> {
    /// Offset just past the closing `}`.
    pub end: usize,
    /// The `key=value` items, in order.
    pub attrs: Vec<ParsedAttr<'t>>,
    /// The `#id` item (the last one, as in pandoc), without `#`.
    pub identifier: Option<TextRange>,
    /// The `.class` items, without `.`.
    pub classes: Vec<TextRange>,
    pub errors: Vec<SyntaxError>,
}

impl AttrList<'_> {
    /// Whether any item is Newsmark's (`ent`, `fig`, `by`, `value`,
    /// `asof`) or unknown: a list of pandoc's own items only (`{#id}`,
    /// `{.smallcaps}`, `{lang=fr}`) makes an ordinary pandoc span.
    pub fn is_newsmark(&self) -> bool {
        self.attrs.iter().any(|a| !is_pandoc_key(a.key)) || !self.errors.is_empty()
    }
}

fn is_pandoc_key(key: &str) -> bool {
    PANDOC_KEYS.contains(&key) || key.starts_with("data-")
}

/// Pandoc's identifier: a letter, then letters, digits, `-`, `_`, `:`, `.`.
fn identifier_len(bytes: &[u8], from: usize, limit: usize) -> usize {
    if from >= limit || !bytes[from].is_ascii_alphabetic() {
        return 0;
    }
    1 + bytes[from + 1..limit].iter().take_while(|&&b| is_identifier_byte(b)).count()
}

fn is_identifier_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')
}

/// Parses from the `{` at `open` up to `limit` (the paragraph's end).
/// Err is the error to report when the list never closes.
pub(super) fn parse_attr_list(text: &str, open: usize, limit: usize) -> Result<AttrList<'_>, SyntaxError> {
    parse_attr_list_in(text, open, limit, Vec::new())
}

/// [`parse_attr_list`] into `attrs` (emptied first): a caller reading many
/// lists hands back the vector of the last one, so a list costs no
/// allocation.
pub(super) fn parse_attr_list_in<'t>(
    text: &'t str,
    open: usize,
    limit: usize,
    mut attrs: Vec<ParsedAttr<'t>>,
) -> Result<AttrList<'t>, SyntaxError> {
    let bytes = text.as_bytes();
    attrs.clear();
    let mut list = AttrList { end: 0, attrs, identifier: None, classes: Vec::new(), errors: Vec::new() };
    let mut i = open + 1;
    loop {
        while i < limit && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= limit {
            return Err(unclosed(open));
        }
        if bytes[i] == b'}' {
            list.end = i + 1;
            return Ok(list);
        }
        let token_start = i;
        match bytes[i] {
            b'#' => {
                let len = bytes[i + 1..limit].iter().take_while(|&&b| is_identifier_byte(b)).count();
                if len > 0 && ends_token(bytes, i + 1 + len, limit) {
                    list.identifier = Some(TextRange::new(i + 1, i + 1 + len));
                    i += 1 + len;
                    continue;
                }
            }
            b'.' => {
                let len = identifier_len(bytes, i + 1, limit);
                if len > 0 && ends_token(bytes, i + 1 + len, limit) {
                    list.classes.push(TextRange::new(i + 1, i + 1 + len));
                    i += 1 + len;
                    continue;
                }
            }
            // Pandoc's shorthand for `.unnumbered`.
            b'-' if ends_token(bytes, i + 1, limit) => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let key_len = identifier_len(bytes, i, limit);
        let key_end = i + key_len;
        if key_len == 0 || bytes.get(key_end) != Some(&b'=') || key_end >= limit {
            let end = skip_token(bytes, i, limit);
            list.errors.push(SyntaxError {
                kind: SyntaxErrorKind::Malformed,
                range: TextRange::new(token_start, end),
                message: format!(
                    "bad attribute syntax `{}`: expected `key=value`, `#id` or `.class`",
                    &text[token_start..end]
                ),
                fix: None,
            });
            i = end;
            continue;
        }
        let key = &text[i..key_end];
        let value_start = key_end + 1;
        if let Some(&quote @ (b'"' | b'\'')) = bytes.get(value_start) {
            match closing_quote(bytes, value_start + 1, limit, quote) {
                Some(close) => {
                    // pandoc's `enclosed` wants a non-space after the
                    // opening quote: else the whole list is text.
                    let spaces = bytes[value_start + 1..close].iter().take_while(|b| b.is_ascii_whitespace()).count();
                    if spaces > 0 {
                        let trimmed = format!("{0}{1}{0}", quote as char, &text[value_start + 1 + spaces..close]);
                        list.errors.push(SyntaxError {
                            kind: SyntaxErrorKind::Malformed,
                            range: TextRange::new(value_start, close + 1),
                            message: format!(
                                "pandoc reads a quoted value that starts with a space as text, so this is not a span: write `{key}={trimmed}`"
                            ),
                            fix: Some(Fix::safe(
                                "Remove the space after the quote",
                                vec![Edit::replace(TextRange::new(value_start + 1, value_start + 1 + spaces), "")],
                            )),
                        });
                    }
                    list.attrs.push(ParsedAttr {
                        key,
                        key_range: TextRange::new(token_start, key_end),
                        value: read_quoted(&text[value_start + 1..close]),
                        value_range: TextRange::new(value_start + 1, close),
                    });
                    i = close + 1;
                }
                None => {
                    // Recover at the next `}` so one missing quote does not
                    // swallow the rest of the paragraph.
                    let Some(brace) = unescaped_brace(bytes, value_start, limit) else {
                        return Err(unclosed(open));
                    };
                    list.errors.push(SyntaxError {
                        kind: SyntaxErrorKind::Malformed,
                        range: TextRange::new(value_start, value_start + 1),
                        message: format!("the quoted value of `{key}` is not closed: add `{}`", quote as char),
                        fix: None,
                    });
                    list.attrs.push(ParsedAttr {
                        key,
                        key_range: TextRange::new(token_start, key_end),
                        value: read_quoted(&text[value_start + 1..brace]),
                        value_range: TextRange::new(value_start + 1, brace),
                    });
                    i = brace;
                }
            }
            continue;
        }
        if let Some(curly) = curly_quoted(text, value_start, limit) {
            let (value_range, close) = (curly.open.end()..curly.close.start(), curly.close);
            let inner = &text[value_range.clone()];
            let fix = Fix::safe(
                "Use straight quotes `\"`",
                vec![Edit::replace(curly.open, "\""), Edit::replace(close, "\"")],
            );
            list.errors.push(SyntaxError {
                kind: SyntaxErrorKind::Malformed,
                range: TextRange::new(value_start, close.end()),
                message: format!(
                    "curly quotes around the value of `{key}`: write straight quotes, `{key}=\"{}\"`",
                    escape_quoted(inner)
                ),
                fix: Some(fix),
            });
            list.attrs.push(ParsedAttr {
                key,
                key_range: TextRange::new(token_start, key_end),
                value: Cow::Borrowed(inner),
                value_range: value_range.into(),
            });
            i = close.end();
            continue;
        }
        let end = skip_token(bytes, value_start, limit);
        let raw = &text[value_start..end];
        let mut value = unescape(raw);
        if value.is_empty() {
            list.errors.push(SyntaxError {
                kind: SyntaxErrorKind::Malformed,
                range: TextRange::new(token_start, end),
                message: format!("attribute `{key}` has no value"),
                fix: None,
            });
        } else if !raw.chars().all(is_bare_value_char) {
            // A curly mark left open (`by=“stoltenberg`) or closing alone:
            // what is meant is the value without it, between straight quotes.
            let is_curly = |c: char| CURLY_DOUBLE.contains(&c) || CURLY_SINGLE.contains(&c);
            let stray = value.starts_with(is_curly) || value.ends_with(is_curly);
            if stray {
                value = Cow::Owned(value.trim_matches(is_curly).to_string());
            }
            let quoted = format!("\"{}\"", escape_quoted(&value));
            let message = if stray {
                format!("a curly quote mark in the value of `{key}`: write straight quotes, `{key}={quoted}`")
            } else {
                format!("quote this value: `{key}={quoted}`")
            };
            list.errors.push(SyntaxError {
                kind: SyntaxErrorKind::Malformed,
                range: TextRange::new(value_start, end),
                message,
                fix: Some(Fix::safe(
                    format!("Quote the value: `{key}={quoted}`"),
                    vec![Edit::replace(TextRange::new(value_start, end), quoted)],
                )),
            });
        }
        list.attrs.push(ParsedAttr {
            key,
            key_range: TextRange::new(token_start, key_end),
            value,
            value_range: TextRange::new(value_start, end),
        });
        i = end;
    }
}

pub(super) fn unclosed(open: usize) -> SyntaxError {
    SyntaxError {
        kind: SyntaxErrorKind::Malformed,
        range: TextRange::new(open, open + 1),
        message: "attribute list is not closed: add `}`".to_string(),
        fix: None,
    }
}

fn ends_token(bytes: &[u8], at: usize, limit: usize) -> bool {
    at >= limit || bytes[at].is_ascii_whitespace() || bytes[at] == b'}'
}

/// The end of a bare token: white space or an unescaped `}` (`\}` is a
/// literal brace, as everywhere in the contract).
fn skip_token(bytes: &[u8], mut i: usize, limit: usize) -> usize {
    while i < limit && !bytes[i].is_ascii_whitespace() && bytes[i] != b'}' {
        i += if bytes[i] == b'\\' && i + 1 < limit && bytes[i + 1].is_ascii_punctuation() { 2 } else { 1 };
    }
    i.min(limit)
}

fn unescaped_brace(bytes: &[u8], mut i: usize, limit: usize) -> Option<usize> {
    while i < limit {
        match bytes[i] {
            b'\\' => i += 2,
            b'}' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn closing_quote(bytes: &[u8], mut i: usize, limit: usize, quote: u8) -> Option<usize> {
    while i < limit {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The text to write between straight quotes for `value`: `\\` and `"`
/// escaped, so it reads back as `value`.
fn escape_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Typographic quote marks, as word processors and phones type them for `"`
/// and `'`. Any opening mark may close with any mark of its family.
const CURLY_DOUBLE: [char; 4] = ['“', '”', '„', '‟'];
const CURLY_SINGLE: [char; 4] = ['‘', '’', '‚', '‛'];

struct CurlyQuoted {
    open: TextRange,
    close: TextRange,
}

/// A value written between curly quotes, `“x y”`: the opening mark at
/// `start` and the next mark of the same family before the list ends (a
/// `}` or `start + MAX_CURLY_VALUE`). None when the value does not start
/// with a curly mark or the mark never closes.
fn curly_quoted(text: &str, start: usize, limit: usize) -> Option<CurlyQuoted> {
    const MAX_CURLY_VALUE: usize = 512;
    let first = text.get(start..limit)?.chars().next()?;
    let family: &[char] = if CURLY_DOUBLE.contains(&first) {
        &CURLY_DOUBLE
    } else if CURLY_SINGLE.contains(&first) {
        &CURLY_SINGLE
    } else {
        return None;
    };
    let open = start..start + first.len_utf8();
    let rest_end = limit.min(open.end + MAX_CURLY_VALUE);
    let rest = text.get(open.end..)?;
    for (offset, c) in rest.char_indices() {
        let at = open.end + offset;
        if at >= rest_end || c == '}' || c == '\n' || c == '\r' {
            return None;
        }
        if family.contains(&c) {
            return Some(CurlyQuoted { open: open.into(), close: TextRange::new(at, at + c.len_utf8()) });
        }
    }
    None
}

/// Backslash escapes of ASCII punctuation are the character itself.
fn unescape(raw: &str) -> Cow<'_, str> {
    if !raw.contains('\\') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '\\' && next.is_ascii_punctuation() => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A quoted value as pandoc's `litChar` reads it: a backslash escapes any
/// character that is not a letter or digit, a character reference is its
/// (first) character, and a line end that no backslash escapes is a space
/// (`value="5\n00"` reads "5 00").
pub(super) fn read_quoted(raw: &str) -> Cow<'_, str> {
    if !raw.bytes().any(|b| matches!(b, b'\\' | b'&' | b'\n' | b'\r')) {
        return Cow::Borrowed(raw);
    }
    let bytes = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut at = 0;
    while let Some(c) = raw[at..].chars().next() {
        let next = raw[at + c.len_utf8()..].chars().next();
        match c {
            '\\' if next.is_some_and(|n| !n.is_alphanumeric()) => {
                let n = next.unwrap_or_default();
                at += 1 + n.len_utf8();
                if n == '\r' && raw[at..].starts_with('\n') {
                    at += 1;
                }
                out.push(if n == '\r' { '\n' } else { n });
            }
            '&' => match super::inline::entity_end(bytes, at, bytes.len()) {
                Some(end) => {
                    let decoded = html_escape::decode_html_entities(&raw[at..end]);
                    out.push(decoded.chars().next().unwrap_or('&'));
                    at = end;
                }
                None => {
                    out.push('&');
                    at += 1;
                }
            },
            '\r' if next == Some('\n') => at += 1,
            '\n' | '\r' => {
                out.push(' ');
                at += 1;
            }
            c => {
                out.push(c);
                at += c.len_utf8();
            }
        }
    }
    Cow::Owned(out)
}

fn is_bare_value_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | ':' | '~' | '-')
}

/// Decides the span's kind and reports attributes that do not belong:
/// the index in `attrs` of the attribute that gives the kind, None when
/// the span has no kind (or two).
pub(super) fn span_kind(attrs: &[ParsedAttr], attrs_range: TextRange, errors: &mut Vec<SyntaxError>) -> Option<usize> {
    let mut error =
        |kind, range: TextRange, message: String| errors.push(SyntaxError { kind, range, message, fix: None });
    for (at, attr) in attrs.iter().enumerate() {
        if attrs[..at].iter().any(|a| a.key == attr.key) {
            error(
                SyntaxErrorKind::InvalidAttribute,
                attr.key_range,
                format!("attribute `{}` is given twice", attr.key),
            );
        } else if !KIND_KEYS.contains(&attr.key) && !FIGURE_KEYS.contains(&attr.key) && !is_pandoc_key(attr.key) {
            error(
                SyntaxErrorKind::InvalidAttribute,
                attr.key_range,
                format!("unknown attribute `{}`: expected `ent`, `fig`, `by`, `value` or `asof`", attr.key),
            );
        }
    }
    let mut kinds = attrs.iter().enumerate().filter(|(_, a)| KIND_KEYS.contains(&a.key));
    let Some((at, first)) = kinds.next() else {
        error(
            SyntaxErrorKind::Malformed,
            attrs_range,
            "span has no kind: add `ent=ID` (entity), `fig=KEY` (figure) or `by=ID` (quote)".to_string(),
        );
        return None;
    };
    if let Some((_, second)) = kinds.find(|(_, a)| a.key != first.key) {
        error(
            SyntaxErrorKind::InvalidAttribute,
            second.key_range,
            format!(
                "a span has one kind: `{}` and `{}` cannot be combined; nest two spans instead",
                first.key, second.key
            ),
        );
        return None;
    }
    if first.key != "fig" {
        for attr in attrs.iter().filter(|a| FIGURE_KEYS.contains(&a.key)) {
            error(
                SyntaxErrorKind::InvalidAttribute,
                attr.key_range,
                format!("`{}` only applies to figures (`fig=`)", attr.key),
            );
        }
    }
    if !first.value.is_empty() && !super::is_valid_id(&first.value) {
        error(
            SyntaxErrorKind::InvalidAttribute,
            first.value_range,
            format!(
                "`{}` is not a valid id: use letters, digits, `.`, `_` and `-`, starting with a letter or digit",
                first.value
            ),
        );
    }
    Some(at)
}

/// The kind of a span whose kind attribute is `key=value`.
pub(super) fn kind_of(key: &str, value: Value) -> SpanKind {
    match key {
        "ent" => SpanKind::Mention { entity: value },
        "fig" => SpanKind::Figure { key: value },
        "by" => SpanKind::Quote { speaker: value },
        _ => SpanKind::Unknown,
    }
}
