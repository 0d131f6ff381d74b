//! Attribute lists: `{fig=nato-iraq.troops value="450..550" asof=2020-02}`.

use super::tree::{Attr, Ident, SpanKind, SyntaxError, SyntaxErrorKind, TextRange};

pub(super) const KIND_KEYS: [&str; 3] = ["ent", "fig", "by"];
const FIGURE_KEYS: [&str; 2] = ["value", "asof"];

pub(super) struct AttrList {
    /// Offset just past the closing `}`.
    pub end: usize,
    pub attrs: Vec<Attr>,
    pub errors: Vec<SyntaxError>,
}

/// Parses from the `{` at `open` up to `limit` (the paragraph's end).
/// Err is the error to report when the list never closes.
pub(super) fn parse_attr_list(text: &str, open: usize, limit: usize) -> Result<AttrList, SyntaxError> {
    let bytes = text.as_bytes();
    let mut attrs = Vec::new();
    let mut errors = Vec::new();
    let mut i = open + 1;
    loop {
        while i < limit && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= limit {
            return Err(unclosed(open));
        }
        if bytes[i] == b'}' {
            // Most spans have one or two attributes: drop the spare capacity
            // (a vector of four) that a syntax tree would otherwise keep.
            attrs.shrink_to_fit();
            return Ok(AttrList { end: i + 1, attrs, errors });
        }
        let token_start = i;
        let key_len =
            bytes[i..limit].iter().take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-').count();
        let key_end = i + key_len;
        if key_len == 0 || bytes.get(key_end) != Some(&b'=') || key_end >= limit {
            let end = skip_token(bytes, i, limit);
            errors.push(SyntaxError {
                kind: SyntaxErrorKind::Malformed,
                range: token_start..end,
                message: format!("bad attribute syntax `{}`: expected `key=value`", &text[token_start..end]),
            });
            i = end;
            continue;
        }
        let key = &text[i..key_end];
        let value_start = key_end + 1;
        if bytes.get(value_start) == Some(&b'"') {
            match closing_quote(bytes, value_start + 1, limit) {
                Some(close) => {
                    attrs.push(Attr {
                        key: key.to_string(),
                        key_range: token_start..key_end,
                        value: unescape_quoted(&text[value_start + 1..close]),
                        value_range: value_start + 1..close,
                    });
                    i = close + 1;
                }
                None => {
                    // Recover at the next `}` so one missing quote does not
                    // swallow the rest of the paragraph.
                    let brace = bytes[value_start..limit].iter().position(|&b| b == b'}');
                    let Some(brace) = brace.map(|p| value_start + p) else {
                        return Err(unclosed(open));
                    };
                    errors.push(SyntaxError {
                        kind: SyntaxErrorKind::Malformed,
                        range: value_start..value_start + 1,
                        message: format!("the quoted value of `{key}` is not closed: add `\"`"),
                    });
                    attrs.push(Attr {
                        key: key.to_string(),
                        key_range: token_start..key_end,
                        value: text[value_start + 1..brace].to_string(),
                        value_range: value_start + 1..brace,
                    });
                    i = brace;
                }
            }
            continue;
        }
        let end = skip_token(bytes, value_start, limit);
        let value = &text[value_start..end];
        if value.is_empty() {
            errors.push(SyntaxError {
                kind: SyntaxErrorKind::Malformed,
                range: token_start..end,
                message: format!("attribute `{key}` has no value"),
            });
        } else if !value.chars().all(is_bare_value_char) {
            errors.push(SyntaxError {
                kind: SyntaxErrorKind::Malformed,
                range: value_start..end,
                message: format!("quote this value: `{key}=\"{value}\"`"),
            });
        }
        attrs.push(Attr {
            key: key.to_string(),
            key_range: token_start..key_end,
            value: value.to_string(),
            value_range: value_start..end,
        });
        i = end;
    }
}

pub(super) fn unclosed(open: usize) -> SyntaxError {
    SyntaxError {
        kind: SyntaxErrorKind::Malformed,
        range: open..open + 1,
        message: "attribute list is not closed: add `}`".to_string(),
    }
}

fn skip_token(bytes: &[u8], mut i: usize, limit: usize) -> usize {
    while i < limit && !bytes[i].is_ascii_whitespace() && bytes[i] != b'}' {
        i += 1;
    }
    i
}

fn closing_quote(bytes: &[u8], mut i: usize, limit: usize) -> Option<usize> {
    while i < limit {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn unescape_quoted(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn is_bare_value_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | ':' | '~' | '-')
}

/// Decides the span's kind and reports attributes that do not belong.
pub(super) fn span_kind(attrs: &[Attr], attrs_range: TextRange, errors: &mut Vec<SyntaxError>) -> SpanKind {
    let mut error = |kind, range: TextRange, message: String| errors.push(SyntaxError { kind, range, message });
    for (at, attr) in attrs.iter().enumerate() {
        if attrs[..at].iter().any(|a| a.key == attr.key) {
            error(
                SyntaxErrorKind::InvalidAttribute,
                attr.key_range.clone(),
                format!("attribute `{}` is given twice", attr.key),
            );
        } else if !KIND_KEYS.contains(&attr.key.as_str()) && !FIGURE_KEYS.contains(&attr.key.as_str()) {
            error(
                SyntaxErrorKind::InvalidAttribute,
                attr.key_range.clone(),
                format!("unknown attribute `{}`: expected `ent`, `fig`, `by`, `value` or `asof`", attr.key),
            );
        }
    }
    let kinds: Vec<&Attr> = attrs.iter().filter(|a| KIND_KEYS.contains(&a.key.as_str())).collect();
    let Some(first) = kinds.first() else {
        error(
            SyntaxErrorKind::Malformed,
            attrs_range,
            "span has no kind: add `ent=ID` (entity), `fig=KEY` (figure) or `by=ID` (quote)".to_string(),
        );
        return SpanKind::Unknown;
    };
    if let Some(second) = kinds.iter().find(|a| a.key != first.key) {
        error(
            SyntaxErrorKind::InvalidAttribute,
            second.key_range.clone(),
            format!(
                "a span has one kind: `{}` and `{}` cannot be combined; nest two spans instead",
                first.key, second.key
            ),
        );
        return SpanKind::Unknown;
    }
    if first.key != "fig" {
        for attr in attrs.iter().filter(|a| FIGURE_KEYS.contains(&a.key.as_str())) {
            error(
                SyntaxErrorKind::InvalidAttribute,
                attr.key_range.clone(),
                format!("`{}` only applies to figures (`fig=`)", attr.key),
            );
        }
    }
    let ident = Ident { text: first.value.clone(), range: first.value_range.clone() };
    if !first.value.is_empty() && !super::is_valid_id(&first.value) {
        error(
            SyntaxErrorKind::InvalidAttribute,
            first.value_range.clone(),
            format!(
                "`{}` is not a valid id: use letters, digits, `.`, `_` and `-`, starting with a letter or digit",
                first.value
            ),
        );
    }
    match first.key.as_str() {
        "ent" => SpanKind::Mention { entity: ident },
        "fig" => SpanKind::Figure { key: ident },
        _ => SpanKind::Quote { speaker: ident },
    }
}
