//! Inline markup inside one paragraph: spans (nested), citations, escapes,
//! code, comments and link targets.

use super::attrs::{parse_attr_list, span_kind, KIND_KEYS};
use super::citation::parse_citation;
use super::tree::{Citation, Span, SyntaxError, SyntaxErrorKind, TextRange};
use super::Sink;
use crate::fix::{Edit, Fix};

pub(super) struct InlineOutput<'a> {
    pub spans: &'a mut Vec<Span>,
    pub citations: &'a mut Vec<Citation>,
    pub markup: &'a mut Vec<TextRange>,
    /// Ranges that are not prose: spans, citations, code, comments, link targets.
    pub not_prose: &'a mut Vec<TextRange>,
    pub comments: &'a mut Vec<TextRange>,
}

pub(super) fn parse_paragraph(text: &str, range: TextRange, paragraph: usize, out: InlineOutput, sink: &mut Sink) {
    let bytes = text.as_bytes();
    let limit = range.end;
    let mut i = range.start;
    let mut open_brackets: Vec<usize> = Vec::new();
    // Spans that still wait for their enclosing span; each is pushed and
    // popped once, so deep nesting stays linear.
    let mut orphans: Vec<usize> = Vec::new();
    let mut last_span_end: Option<(usize, usize)> = None;
    let mut latest_open = None;
    // Hostile inputs (thousands of unclosed `{` or unmatched backticks)
    // must not make every attempt scan to the paragraph's end.
    let last_brace = bytes[range.clone()].iter().rposition(|&b| b == b'}').map(|p| range.start + p);
    let mut backtick_search_failed: std::collections::HashMap<usize, usize> = Default::default();
    while i < limit {
        match bytes[i] {
            b'\\' if i + 1 < limit && bytes[i + 1].is_ascii_punctuation() => {
                out.markup.push(i..i + 1);
                i += 2;
            }
            b'<' if bytes[i..limit].starts_with(b"<!--") => {
                let end = match find(bytes, i + 4, limit, b"-->") {
                    Some(close) => {
                        out.comments.push(i..close + 3);
                        close + 3
                    }
                    None => {
                        sink.error(
                            SyntaxErrorKind::Malformed,
                            i..i + 4,
                            "HTML comment is not closed: add `-->`".to_string(),
                        );
                        limit
                    }
                };
                out.markup.push(i..end);
                out.not_prose.push(i..end);
                i = end;
            }
            b'`' => {
                let run = bytes[i..limit].iter().take_while(|&&b| b == b'`').count();
                let known_missing = run > 16 || backtick_search_failed.get(&run).is_some_and(|&from| from <= i);
                match (!known_missing).then(|| find_backtick_run(bytes, i + run, limit, run)).flatten() {
                    Some(close) => {
                        out.not_prose.push(i..close + run);
                        i = close + run;
                    }
                    None => {
                        backtick_search_failed.entry(run).or_insert(i);
                        i += run;
                    }
                }
            }
            b'[' => {
                open_brackets.push(i);
                latest_open = Some(i);
                i += 1;
            }
            b']' => {
                let Some(open) = open_brackets.pop() else {
                    if bytes.get(i + 1) == Some(&b'{') && i + 1 < limit {
                        sink.error(
                            SyntaxErrorKind::Malformed,
                            i..i + 2,
                            "`]{` closes a span that was never opened: add `[` before its text, or write `\\]`"
                                .to_string(),
                        );
                    }
                    i += 1;
                    continue;
                };
                let close = i;
                if i + 1 < limit && bytes[i + 1] == b'{' {
                    let list = match last_brace {
                        Some(brace) if brace > i + 1 => parse_attr_list(text, i + 1, limit),
                        _ => Err(super::attrs::unclosed(i + 1)),
                    };
                    match list {
                        // `[text]{.smallcaps}`, `[text]{#anchor}`: pandoc's own
                        // span, not ours; its text stays prose.
                        Ok(list) if !list.is_newsmark() => {
                            out.markup.push(open..open + 1);
                            out.markup.push(close..list.end);
                            out.not_prose.push(close..list.end);
                            i = list.end;
                        }
                        Ok(list) => {
                            let mut errors = list.errors;
                            let attrs_range = i + 1..list.end;
                            let kind = span_kind(&list.attrs, attrs_range.clone(), &mut errors);
                            for e in errors {
                                sink.push(e);
                            }
                            let index = out.spans.len();
                            while let Some(&child) = orphans.last() {
                                if out.spans[child].range.start <= open {
                                    break;
                                }
                                out.spans[child].parent = Some(index);
                                orphans.pop();
                            }
                            orphans.push(index);
                            out.spans.push(Span {
                                range: open..list.end,
                                text_range: open + 1..close,
                                attrs_range,
                                attrs: list.attrs,
                                kind,
                                parent: None,
                                paragraph,
                                citation: None,
                            });
                            out.markup.push(open..open + 1);
                            out.markup.push(close..list.end);
                            out.not_prose.push(open..list.end);
                            last_span_end = Some((list.end, index));
                            i = list.end;
                        }
                        Err(e) => {
                            sink.push(e);
                            i += 1;
                        }
                    }
                    continue;
                }
                if let Some((error, end)) = space_before_attributes(text, close, limit) {
                    // Written as markup: not a bare number in prose too.
                    out.not_prose.push(open..end);
                    sink.push(error);
                }
                if i + 1 < limit && bytes[i + 1] == b'(' {
                    if let Some(end) = link_target_end(bytes, i + 1, limit) {
                        out.not_prose.push(i + 1..end);
                        i = end;
                        continue;
                    }
                }
                // A citation holds no brackets; skipping nested ones also
                // keeps `[[[…]]]` linear.
                let nested = latest_open.is_some_and(|o| o > open);
                let citation = if nested { None } else { parse_citation(&text[open + 1..close], open + 1) };
                if let Some(items) = citation {
                    let attached_to = last_span_end.filter(|&(end, _)| end == open).map(|(_, span)| span);
                    let index = out.citations.len();
                    if let Some(span) = attached_to {
                        out.spans[span].citation = Some(index);
                    }
                    out.citations.push(Citation { range: open..close + 1, items, paragraph, attached_to });
                    out.markup.push(open..close + 1);
                    out.not_prose.push(open..close + 1);
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    for open in open_brackets {
        sink.error(
            SyntaxErrorKind::Malformed,
            open..open + 1,
            "`[` is never closed: finish the span with `]{…}`, or write `\\[` for a literal bracket".to_string(),
        );
    }
}

/// `[500 troops] {fig=k}`: returns the error and the end of the list. Pandoc reads a bracketed span only when `{`
/// follows `]` directly, so this is plain text. Reported (with the fix that
/// removes the spaces) only when what follows reads as an attribute list
/// with a kind (`ent=`, `fig=`, `by=`), so prose such as `[sic] {braces}`
/// is left alone. The list is looked for within a bounded distance, so
/// many `] {` in one paragraph stay linear.
fn space_before_attributes(text: &str, close: usize, limit: usize) -> Option<(SyntaxError, usize)> {
    const MAX_LIST: usize = 512;
    let bytes = text.as_bytes();
    let spaces = bytes[close + 1..limit].iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    let brace = close + 1 + spaces;
    if spaces == 0 || bytes.get(brace) != Some(&b'{') || brace >= limit {
        return None;
    }
    let window = limit.min(brace + MAX_LIST);
    let end = bytes[brace..window].iter().position(|&b| b == b'}').map(|p| brace + p + 1)?;
    let list = parse_attr_list(text, brace, end).ok()?;
    if !list.attrs.iter().any(|a| KIND_KEYS.contains(&a.key.as_str())) {
        return None;
    }
    let gap = close + 1..brace;
    let error = SyntaxError {
        kind: SyntaxErrorKind::Malformed,
        range: close..brace + 1,
        message: "space between `]` and `{`: pandoc reads this as text, not a span; remove the space".to_string(),
        fix: Some(Fix::safe("Remove the space before `{`", vec![Edit::delete(gap)])),
    };
    Some((error, end))
}

fn find(bytes: &[u8], from: usize, limit: usize, needle: &[u8]) -> Option<usize> {
    if from >= limit {
        return None;
    }
    bytes[from..limit].windows(needle.len()).position(|w| w == needle).map(|p| from + p)
}

fn find_backtick_run(bytes: &[u8], mut i: usize, limit: usize, run: usize) -> Option<usize> {
    while i < limit {
        if bytes[i] == b'`' {
            let len = bytes[i..limit].iter().take_while(|&&b| b == b'`').count();
            if len == run {
                return Some(i);
            }
            i += len;
        } else {
            i += 1;
        }
    }
    None
}

/// Offset just past the `)` that closes a link target opened at `open`.
/// Link targets are looked for on the same line only, and not too far.
fn link_target_end(bytes: &[u8], open: usize, limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, &b) in bytes.iter().enumerate().take(limit.min(open + 2048)).skip(open) {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'\n' | b'\r' => return None,
            _ => {}
        }
    }
    None
}
