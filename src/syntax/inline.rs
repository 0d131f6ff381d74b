//! Inline markup inside one paragraph: spans (nested), citations, escapes,
//! code, comments and link targets.

use super::attrs::{kind_of, parse_attr_list, parse_attr_list_in, span_kind, ParsedAttr, KIND_KEYS};
use super::citation::{in_text_citation, parse_citation, ParsedItem};
use super::tree::{
    index, Attr, Citation, CiteItem, NodeRef, Run, Span, SpanKind, SyntaxError, SyntaxErrorKind, TextRange,
};
use super::value::Values;
use super::Sink;
use crate::fix::{Edit, Fix};

pub(super) struct InlineOutput<'a, 's, 't> {
    pub spans: &'a mut Vec<Span>,
    pub citations: &'a mut Vec<Citation>,
    /// The file's attributes and citation items (`Span::attrs`, `Citation::items`).
    pub attrs: &'a mut Vec<Attr>,
    pub items: &'a mut Vec<CiteItem>,
    pub values: &'a mut Values<'s>,
    /// The container prefixes of paragraphs' later lines (`> `), sorted:
    /// masked as spaces in the text read, and no part of a quoted value.
    pub holes: &'a [TextRange],
    pub markup: &'a mut Vec<TextRange>,
    /// Ranges that are not prose: spans, citations, code, comments, link targets.
    pub not_prose: &'a mut Vec<TextRange>,
    pub comments: &'a mut Vec<TextRange>,
    /// Character references (`&amp;`, `&#8220;`): markup whose rendered
    /// text is the character.
    pub entities: &'a mut Vec<TextRange>,
    /// Every run of ASCII digits the reader passes, in order: the numerals
    /// a bare figure may hold (`quantity::bare_numbers_near` reads the
    /// prose around them only). Also those inside spans and markup; the
    /// caller keeps the ones in plain runs.
    pub numerals: &'a mut Vec<TextRange>,
    /// The reader's stacks, kept by the caller across paragraphs so they
    /// are not allocated again for each one.
    pub scratch: &'a mut Scratch<'t>,
}

/// Stacks [`parse_paragraph`] empties and fills; only their capacity
/// carries over from one paragraph to the next.
#[derive(Default)]
pub(super) struct Scratch<'t> {
    open_brackets: Vec<usize>,
    orphans: Vec<usize>,
    /// The attributes of the last list read, for the next one to reuse.
    attrs: Vec<ParsedAttr<'t>>,
}

/// The bytes `parse_paragraph` looks at: every other byte is plain text.
/// Digits are noted as numerals.
const fn may_start_markup(b: u8) -> bool {
    matches!(b, b'\\' | b'<' | b'$' | b'&' | b'*' | b'_' | b'~' | b'^' | b'`' | b'@' | b'[' | b']' | b'0'..=b'9')
}

/// [`may_start_markup`] as a table, for the skip over plain text: one load
/// per byte instead of the comparisons.
static MAY_START_MARKUP: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = may_start_markup(b as u8);
        b += 1;
    }
    table
};

/// The first byte of `bytes[from..limit]` that may start markup (or
/// `limit`): eight bytes at a time, their table entries or-ed without a
/// branch, then byte by byte in the block that holds one.
fn skip_plain(bytes: &[u8], mut i: usize, limit: usize) -> usize {
    let t = |b: u8| MAY_START_MARKUP[b as usize] as u8;
    while i + 8 <= limit {
        let block = &bytes[i..i + 8];
        let any = t(block[0])
            | t(block[1])
            | t(block[2])
            | t(block[3])
            | t(block[4])
            | t(block[5])
            | t(block[6])
            | t(block[7]);
        if any != 0 {
            break;
        }
        i += 8;
    }
    i + bytes[i..limit].iter().position(|&b| MAY_START_MARKUP[b as usize]).unwrap_or(limit - i)
}

/// Notes the runs of ASCII digits of `bytes[from..to]` as numerals.
fn push_digit_runs(bytes: &[u8], mut from: usize, to: usize, numerals: &mut Vec<TextRange>) {
    while from < to {
        if bytes[from].is_ascii_digit() {
            let end = from + bytes[from..to].iter().take_while(|b| b.is_ascii_digit()).count();
            numerals.push(TextRange::new(from, end));
            from = end;
        } else {
            from += 1;
        }
    }
}

/// Reads the paragraph `range` of `text` (the file with container prefixes
/// masked as spaces: `out.values` compares what is read with the file's own
/// bytes).
pub(super) fn parse_paragraph<'t>(
    text: &'t str,
    range: TextRange,
    paragraph: usize,
    mut out: InlineOutput<'_, '_, 't>,
    sink: &mut Sink,
) {
    let bytes = text.as_bytes();
    let paragraph = index(paragraph);
    let limit = range.end();
    let mut i = range.start();
    let mut open_brackets = std::mem::take(&mut out.scratch.open_brackets);
    open_brackets.clear();
    // Spans that still wait for their enclosing span; each is pushed and
    // popped once, so deep nesting stays linear.
    let mut orphans = std::mem::take(&mut out.scratch.orphans);
    orphans.clear();
    let mut last_span_end: Option<(usize, usize)> = None;
    let mut latest_open = None;
    // The `]` of the last bracket group that was nothing else (no span,
    // link, citation): a `[` right after it opens a reference label.
    let mut plain_group_close: Option<usize> = None;
    // The `[` after an author-in-text citation (`@ap [p. 4]`): pandoc
    // reads that bracket group as the citation's locator.
    let mut locator_open: Option<usize> = None;
    // Hostile inputs (thousands of unclosed `{` or unmatched backticks)
    // must not make every attempt scan to the paragraph's end.
    let last_brace = bytes[range].iter().rposition(|&b| b == b'}').map(|p| range.start() + p);
    let mut code_closers = CodeSpanCloser::default();
    let mut comment_search_failed = false;
    let mut display_math_search_failed = false;
    let mut next_gt: Option<usize> = None;
    while i < limit {
        match bytes[i] {
            b'\\' if i + 1 < limit && bytes[i + 1].is_ascii_punctuation() => {
                out.markup.push(TextRange::new(i, i + 1));
                i += 2;
            }
            b'<' if bytes[i..limit].starts_with(b"<!--") => {
                let close = if comment_search_failed { None } else { find(bytes, i + 4, limit, b"-->") };
                match close {
                    Some(close) => {
                        let end = close + 3;
                        out.comments.push(TextRange::new(i, end));
                        out.markup.push(TextRange::new(i, end));
                        out.not_prose.push(TextRange::new(i, end));
                        i = end;
                    }
                    None => {
                        comment_search_failed = true;
                        sink.error(
                            SyntaxErrorKind::Malformed,
                            TextRange::new(i, i + 4),
                            "HTML comment is not closed, so pandoc shows `<!--` and what follows as text: add `-->`"
                                .to_string(),
                        );
                        i += 4;
                    }
                }
            }
            b'<' => match html_tag_or_autolink(bytes, i, limit, &mut next_gt) {
                Some((end, true)) => {
                    out.markup.push(TextRange::new(i, end));
                    out.not_prose.push(TextRange::new(i, end));
                    i = end;
                }
                Some((end, false)) => {
                    out.markup.push(TextRange::new(i, i + 1));
                    out.markup.push(TextRange::new(end - 1, end));
                    out.not_prose.push(TextRange::new(i, end));
                    i = end;
                }
                None => i += 1,
            },
            b'$' => {
                let display = bytes.get(i + 1) == Some(&b'$');
                let width = if display { 2 } else { 1 };
                // `$ 5`: no math opens here, but a `$…$` further on may (so
                // this is no failed search for a closer).
                let opens = display || bytes.get(i + 1).is_some_and(|b| !b.is_ascii_whitespace());
                // A `$$` with no `$$` after it: no later one has either.
                // An inline search stops at the next `$`, so needs no memo.
                let search = opens && !(display && display_math_search_failed);
                match search.then(|| math_end(bytes, i, limit, display)) {
                    Some(Some(close)) => {
                        out.markup.push(TextRange::new(i, i + width));
                        out.markup.push(TextRange::new(close, close + width));
                        out.not_prose.push(TextRange::new(i, close + width));
                        i = close + width;
                    }
                    // An unclosed `$$` is a literal `$` and then, perhaps,
                    // inline math from the second `$` (pandoc: `$$x$` is `$`
                    // then math `x`).
                    Some(None) => {
                        display_math_search_failed |= display;
                        i += 1;
                    }
                    None => i += 1,
                }
            }
            b'&' => {
                if let Some(end) = entity_end(bytes, i, limit) {
                    out.markup.push(TextRange::new(i, end));
                    out.entities.push(TextRange::new(i, end));
                    // Markup, but in the plain run that bare figures are
                    // looked for in (`&#53;` lexes as `&`, `#`, `53`, `;`).
                    push_digit_runs(bytes, i, end, out.numerals);
                    i = end;
                } else {
                    i += 1;
                }
            }
            b'*' | b'_' | b'~' | b'^' => {
                let c = bytes[i];
                let run = bytes[i..limit].iter().take_while(|&&b| b == c).count();
                if is_emphasis_delimiter(bytes, i, run, range.start(), limit) {
                    out.markup.push(TextRange::new(i, i + run));
                }
                i += run;
            }
            b'`' => {
                let run = bytes[i..limit].iter().take_while(|&&b| b == b'`').count();
                match code_closers.find(bytes, i, run, limit) {
                    Some(close) => {
                        out.markup.push(TextRange::new(i, i + run));
                        out.markup.push(TextRange::new(close, close + run));
                        out.not_prose.push(TextRange::new(i, close + run));
                        i = close + run;
                    }
                    None => {
                        // Pandoc reads one backtick as text and tries again
                        // from the next: "``@a`" is "`" then code "@a".
                        i += 1;
                    }
                }
            }
            b'@' => {
                if let Some((item, end)) = in_text_citation(text, i, range.start(), limit) {
                    let items = push_items(text, &[item], &mut out);
                    // `[5]{fig=k}@ap`: written directly after a span's `}`,
                    // it is that span's citation, as a bracketed one is.
                    let attached_to = last_span_end.filter(|&(end, _)| end == i).map(|(_, span)| span);
                    if let Some(span) = attached_to {
                        out.spans[span].citation = Some(NodeRef::to(out.citations.len()));
                    }
                    out.citations.push(Citation {
                        range: TextRange::new(i, end),
                        items,
                        paragraph,
                        attached_to: attached_to.map(NodeRef::to),
                        in_text: true,
                    });
                    out.not_prose.push(TextRange::new(i, end));
                    // A key inside the bracket group that may follow an
                    // earlier in-text citation (`@a [@b]`) leaves that
                    // group pending; the stack of open brackets is sorted.
                    let pending = locator_open.is_some_and(|o| open_brackets.binary_search(&o).is_ok());
                    if !pending {
                        locator_open = locator_after(bytes, end, limit);
                    }
                    i = end;
                } else {
                    i += 1;
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
                            TextRange::new(i, i + 2),
                            "`]{` closes a span that was never opened: add `[` before its text, or write `\\]`"
                                .to_string(),
                        );
                    }
                    i += 1;
                    continue;
                };
                let close = i;
                if let Some(reason) = not_a_span_or_link(text, open, close, limit, plain_group_close, locator_open) {
                    // Pandoc reads these brackets as text (a footnote marker,
                    // the label of a reference link `[text][label]`, or an
                    // author-in-text citation's locator `@id [p. 4]`): what
                    // follows `]` is plain text, even `{…}`.
                    if i + 1 < limit && bytes[i + 1] == b'{' {
                        if let Some(error) = attributes_read_as_text(text, close, limit, last_brace, reason) {
                            // Written as markup: not a bare number in prose too.
                            out.not_prose.push(TextRange::new(open, error.range.end()));
                            sink.push(error);
                        }
                    }
                    plain_group_close = None;
                    i += 1;
                    continue;
                }
                if i + 1 < limit && bytes[i + 1] == b'{' {
                    let list = match last_brace {
                        Some(brace) if brace > i + 1 => {
                            parse_attr_list_in(text, i + 1, limit, std::mem::take(&mut out.scratch.attrs))
                        }
                        _ => Err(super::attrs::unclosed(i + 1)),
                    };
                    match list {
                        // `[text]{.smallcaps}`, `[text]{#anchor}`: pandoc's own
                        // span, not ours; its text stays prose.
                        Ok(list) if !list.is_newsmark() => {
                            out.markup.push(TextRange::new(open, open + 1));
                            out.markup.push(TextRange::new(close, list.end));
                            out.not_prose.push(TextRange::new(close, list.end));
                            i = list.end;
                            out.scratch.attrs = list.attrs;
                        }
                        Ok(list) => {
                            let mut errors = list.errors;
                            let attrs_range = TextRange::new(i + 1, list.end);
                            let kind_attr = span_kind(&list.attrs, attrs_range, &mut errors);
                            for e in errors {
                                sink.push(e);
                            }
                            let first = out.attrs.len();
                            for a in &list.attrs {
                                let value = match without_holes(text, a.value_range, out.holes) {
                                    Some(read) => out.values.value(a.value_range, &read),
                                    None => out.values.value(a.value_range, &a.value),
                                };
                                out.attrs.push(Attr { key: a.key_range, value });
                            }
                            let kind = match kind_attr {
                                Some(at) => kind_of(list.attrs[at].key, out.attrs[first + at].value),
                                None => SpanKind::Unknown,
                            };
                            let index = out.spans.len();
                            while let Some(&child) = orphans.last() {
                                if out.spans[child].range.start() <= open {
                                    break;
                                }
                                out.spans[child].parent = Some(NodeRef::to(index));
                                orphans.pop();
                            }
                            orphans.push(index);
                            out.spans.push(Span {
                                range: TextRange::new(open, list.end),
                                text_range: TextRange::new(open + 1, close),
                                attrs_range,
                                attrs: Run::new(first..out.attrs.len()),
                                kind,
                                parent: None,
                                paragraph,
                                citation: None,
                            });
                            out.markup.push(TextRange::new(open, open + 1));
                            out.markup.push(TextRange::new(close, list.end));
                            out.not_prose.push(TextRange::new(open, list.end));
                            last_span_end = Some((list.end, index));
                            i = list.end;
                            out.scratch.attrs = list.attrs;
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
                    out.not_prose.push(TextRange::new(open, end));
                    sink.push(error);
                }
                if i + 1 < limit && bytes[i + 1] == b'(' {
                    if let Some(end) = link_target_end(bytes, i + 1, limit) {
                        // A link or image: its text is prose, its target is not.
                        let bang = open > range.start() && bytes[open - 1] == b'!';
                        out.markup.push(if bang {
                            TextRange::new(open - 1, open + 1)
                        } else {
                            TextRange::new(open, open + 1)
                        });
                        out.markup.push(TextRange::new(i, end));
                        out.not_prose.push(TextRange::new(i + 1, end));
                        i = end;
                        continue;
                    }
                }
                // A citation holds no brackets; skipping nested ones also
                // keeps `[[[…]]]` linear.
                let nested = latest_open.is_some_and(|o| o > open);
                // Pandoc: `[@a][b]` is a reference link whose text cites in
                // text, not a bracketed citation (`{` and `(` were taken above).
                let before_label = bytes.get(close + 1) == Some(&b'[');
                let citation =
                    if nested || before_label { None } else { parse_citation(&text[open + 1..close], open + 1) };
                if citation.is_none() {
                    plain_group_close = Some(close);
                }
                if let Some(items) = citation {
                    // Keys inside the brackets belong to this citation, not
                    // to in-text citations of their own.
                    while out.citations.last().is_some_and(|c| c.range.start() > open && c.attached_to.is_none()) {
                        if let Some(popped) = out.citations.pop() {
                            out.items.truncate(popped.items.start as usize);
                        }
                    }
                    // `@a [@b]`: pandoc's textual citation takes a bracketed
                    // citation right after it into the same citation.
                    let after_in_text = locator_open == Some(open)
                        && out.citations.last().is_some_and(|c| c.in_text && c.items.end as usize == out.items.len());
                    if after_in_text {
                        let first_item = push_items(text, &items, &mut out).start as usize;
                        if let Some(last) = out.citations.last_mut() {
                            last.items = Run::new(last.items.start as usize..first_item + items.len());
                            last.range = TextRange::new(last.range.start(), close + 1);
                        }
                        out.markup.push(TextRange::new(open, close + 1));
                        out.not_prose.push(TextRange::new(open, close + 1));
                        i += 1;
                        continue;
                    }
                    let attached_to = last_span_end.filter(|&(end, _)| end == open).map(|(_, span)| span);
                    if let Some(span) = attached_to {
                        out.spans[span].citation = Some(NodeRef::to(out.citations.len()));
                    }
                    let attached_to = attached_to.map(NodeRef::to);
                    let items = push_items(text, &items, &mut out);
                    out.citations.push(Citation {
                        range: TextRange::new(open, close + 1),
                        items,
                        paragraph,
                        attached_to,
                        in_text: false,
                    });
                    out.markup.push(TextRange::new(open, close + 1));
                    out.not_prose.push(TextRange::new(open, close + 1));
                }
                i += 1;
            }
            b'0'..=b'9' => {
                let end = i + bytes[i..limit].iter().take_while(|b| b.is_ascii_digit()).count();
                out.numerals.push(TextRange::new(i, end));
                i = end;
            }
            _ => {
                // Only the bytes matched above start anything: pass over
                // the plain text up to the next one at once.
                i = skip_plain(bytes, i + 1, limit);
            }
        }
    }
    for &open in &open_brackets {
        sink.error(
            SyntaxErrorKind::Malformed,
            TextRange::new(open, open + 1),
            "`[` is never closed: finish the span with `]{…}`, or write `\\[` for a literal bracket".to_string(),
        );
    }
    out.scratch.open_brackets = open_brackets;
    out.scratch.orphans = orphans;
}

/// Why pandoc reads the bracket group `open..=close` as text, never as a
/// span or link.
#[derive(Clone, Copy)]
enum TextBrackets {
    /// `[^…]`: a footnote marker (pandoc's `reference` refuses `[^`).
    FootnoteMarker,
    /// `[text][label]`: the second group is the label of a reference link
    /// (there is no space between `]` and `[` in pandoc's Markdown), unless
    /// it is a citation `[@id]` of its own.
    ReferenceLabel,
    /// `@ap [p. 4]`: the locator of an author-in-text citation (pandoc
    /// 2.17, the reader `.ci/run` installs, takes it whatever follows `]`;
    /// pandoc 3.8 leaves `[…]{…}` there a span).
    CitationLocator,
    /// `^[…]`: an inline footnote, unless a `^` right after the group
    /// closes a superscript (`^[x]{ent=e}^`).
    InlineNote,
}

/// The `[` that opens an author-in-text citation's locator: after the
/// citation ending at `end`, spaces and at most one line break, as
/// pandoc's `bareloc` skips them; not a footnote marker.
fn locator_after(bytes: &[u8], end: usize, limit: usize) -> Option<usize> {
    let mut j = end;
    let skip = |j: &mut usize| {
        while *j < limit && matches!(bytes[*j], b' ' | b'\t') {
            *j += 1;
        }
    };
    skip(&mut j);
    if j < limit && bytes[j] == b'\r' {
        j += 1;
    }
    if j < limit && bytes[j] == b'\n' {
        j += 1;
        skip(&mut j);
    }
    (j + 1 < limit && bytes[j] == b'[' && bytes[j + 1] != b'^').then_some(j)
}

fn not_a_span_or_link(
    text: &str,
    open: usize,
    close: usize,
    limit: usize,
    plain_group_close: Option<usize>,
    locator_open: Option<usize>,
) -> Option<TextBrackets> {
    let bytes = text.as_bytes();
    if bytes.get(open + 1) == Some(&b'^') {
        return Some(TextBrackets::FootnoteMarker);
    }
    if open > 0 && bytes[open - 1] == b'^' && !escaped(bytes, open - 1) && !closes_superscript(text, close, limit) {
        return Some(TextBrackets::InlineNote);
    }
    // `@a [@b]` is one citation of both keys, not a locator.
    if locator_open == Some(open) && parse_citation(&text[open + 1..close], open + 1).is_none() {
        return Some(TextBrackets::CitationLocator);
    }
    if open == 0 || plain_group_close != Some(open - 1) {
        return None;
    }
    let own_citation = !matches!(bytes.get(close + 1).filter(|_| close + 1 < limit), Some(b'{' | b'(' | b'['))
        && parse_citation(&text[open + 1..close], open + 1).is_some();
    (!own_citation).then_some(TextBrackets::ReferenceLabel)
}

/// Whether the byte at `at` follows an odd run of backslashes.
fn escaped(bytes: &[u8], at: usize) -> bool {
    bytes[..at].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

/// Whether a `^` follows the bracket group closed at `close` (and the
/// attribute list or link target right after it): pandoc then reads
/// `^…^` as a superscript, not `^[…]` as an inline note.
fn closes_superscript(text: &str, close: usize, limit: usize) -> bool {
    let bytes = text.as_bytes();
    let mut end = close + 1;
    match bytes.get(end).filter(|_| end < limit) {
        Some(b'{') => end = parse_attr_list(text, end, limit).map_or(end, |list| list.end),
        Some(b'(') => end = link_target_end(bytes, end, limit).unwrap_or(end),
        _ => {}
    }
    end < limit && bytes[end] == b'^'
}

/// `[^1]{fig=k}`, `[NATO][about 500]{fig=k}`: an attribute list of ours
/// after brackets that pandoc shows as text is a mistake worth reporting
/// (pandoc prints `{fig=k}`); other braces there are prose.
fn attributes_read_as_text(
    text: &str,
    close: usize,
    limit: usize,
    last_brace: Option<usize>,
    reason: TextBrackets,
) -> Option<SyntaxError> {
    let brace = close + 1;
    let list = match last_brace {
        Some(last) if last > brace => parse_attr_list(text, brace, limit).ok()?,
        _ => return None,
    };
    if !list.is_newsmark() {
        return None;
    }
    let message = match reason {
        TextBrackets::FootnoteMarker => {
            "pandoc reads `[^` as a footnote marker, so this is not a span and `{…}` shows as text: write `\\^` for a literal caret"
        }
        TextBrackets::InlineNote => {
            "pandoc reads `^[…]` as an inline footnote, so this is not a span and `{…}` shows as text: write `\\^` for a literal caret, or put the span inside the note's brackets"
        }
        TextBrackets::CitationLocator => {
            "pandoc reads `[…]` after an author-in-text citation `@id` as its locator, so this is not a span and `{…}` shows as text: put a word or a comma between the citation and the span"
        }
        TextBrackets::ReferenceLabel => {
            "pandoc reads `[…][…]` as a reference link, so the second brackets are not a span and `{…}` shows as text: put a space between `]` and `[`"
        }
    };
    Some(SyntaxError {
        kind: SyntaxErrorKind::Malformed,
        range: TextRange::new(brace, list.end),
        message: message.to_string(),
        fix: None,
    })
}

/// Adds a citation's items to the file's items.
fn push_items(text: &str, items: &[ParsedItem], out: &mut InlineOutput) -> Run<CiteItem> {
    let first = out.items.len();
    for item in items {
        let prefix = out.values.value(item.prefix, &text[item.prefix]);
        let locator = out.values.value(item.locator, &text[item.locator]);
        out.items.push(CiteItem { id: item.id, prefix, locator });
    }
    Run::new(first..out.items.len())
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
    if !list.attrs.iter().any(|a| KIND_KEYS.contains(&a.key)) {
        return None;
    }
    let gap = close + 1..brace;
    let error = SyntaxError {
        kind: SyntaxErrorKind::Malformed,
        range: TextRange::new(close, brace + 1),
        message: "space between `]` and `{`: pandoc reads this as text, not a span; remove the space".to_string(),
        fix: Some(Fix::safe("Remove the space before `{`", vec![Edit::delete(gap.into())])),
    };
    Some((error, end))
}

fn find(bytes: &[u8], from: usize, limit: usize, needle: &[u8]) -> Option<usize> {
    if from >= limit {
        return None;
    }
    bytes[from..limit].windows(needle.len()).position(|w| w == needle).map(|p| from + p)
}

/// Finds where code spans close, remembering failures: once no run of `n`
/// backticks follows a point, none follows any later point, so a hostile
/// line of unmatched backticks costs one scan per run length, not one per
/// run. Runs longer than 16 are taken as never closed.
#[derive(Default)]
pub(super) struct CodeSpanCloser {
    /// For each run length, the first opening run no closer was found for.
    failed_from: std::collections::HashMap<usize, usize>,
}

impl CodeSpanCloser {
    /// The start of the run of exactly `run` backticks that closes the one
    /// at `open`, before `limit`.
    pub(super) fn find(&mut self, bytes: &[u8], open: usize, run: usize, limit: usize) -> Option<usize> {
        if run > 16 || self.failed_from.get(&run).is_some_and(|&from| from <= open) {
            return None;
        }
        let found = find_backtick_run(bytes, open + run, limit, run);
        if found.is_none() {
            self.failed_from.entry(run).or_insert(open);
        }
        found
    }
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

/// `<tag …>`, `</tag>` (raw HTML: markup) or `<https://…>`, `<a@b.org>`
/// (an autolink: its text is shown). Returns the end and whether it is a
/// tag. `next_gt` caches the next `>` so runs of `<` stay linear.
fn html_tag_or_autolink(bytes: &[u8], i: usize, limit: usize, next_gt: &mut Option<usize>) -> Option<(usize, bool)> {
    let after = bytes.get(i + 1).copied()?;
    if !(after.is_ascii_alphabetic() || after == b'/') {
        return None;
    }
    let gt = match *next_gt {
        Some(gt) if gt > i => gt,
        Some(gt) if gt == usize::MAX => return None,
        _ => {
            let found = bytes[i..limit].iter().position(|&b| b == b'>').map(|p| i + p);
            *next_gt = Some(found.unwrap_or(usize::MAX));
            found?
        }
    };
    if gt == usize::MAX {
        return None;
    }
    let inner = &bytes[i + 1..gt];
    if inner.contains(&b'<') {
        return None;
    }
    let name_start = usize::from(after == b'/');
    let name_len = inner[name_start..].iter().take_while(|&&b| b.is_ascii_alphanumeric() || b == b'-').count();
    let rest = &inner[name_start + name_len..];
    // An autolink: a scheme and `:`, or an email address, with no spaces.
    if name_start == 0 && !inner.iter().any(|b| b.is_ascii_whitespace()) {
        let scheme = rest.first() == Some(&b':');
        if scheme || inner.contains(&b'@') {
            return Some((gt + 1, false));
        }
    }
    if name_len == 0 {
        return None;
    }
    let ok = rest.is_empty() || rest[0].is_ascii_whitespace() || rest == b"/";
    ok.then_some((gt + 1, true))
}

/// A quoted value that runs across lines of a container, read without the
/// container's prefixes (pandoc strips `> ` before it reads the value):
/// None for any other value.
fn without_holes(text: &str, value: TextRange, holes: &[TextRange]) -> Option<String> {
    let bytes = text.as_bytes();
    let quoted = value.start() > 0 && matches!(bytes[value.start() - 1], b'"' | b'\'');
    let first = holes.partition_point(|h| h.start() < value.start());
    let inside = holes[first..].iter().take_while(|h| h.start() < value.end());
    if !quoted || inside.clone().next().is_none() {
        return None;
    }
    let mut raw = String::with_capacity(value.len());
    let mut at = value.start();
    for hole in inside {
        raw.push_str(&text[at..hole.start().max(at)]);
        at = at.max(hole.end());
    }
    raw.push_str(&text[at.min(value.end())..value.end()]);
    Some(super::attrs::read_quoted(&raw).into_owned())
}

/// pandoc's `tex_math_dollars` (`mathInlineWith`, `mathDisplayWith`):
/// the opening `$` has a non-space after it and the first unescaped `$`
/// after that closes it, or nothing does: a space before that `$` or a
/// digit after it (`$5 and $6`) makes the `$` text, and no later `$` is
/// tried. `$$` closes at the first `$$` after at least one character, and
/// there a backslash escapes nothing.
fn math_end(bytes: &[u8], open: usize, limit: usize, display: bool) -> Option<usize> {
    if display {
        let mut j = open + 3;
        while j + 1 < limit {
            match memchr::memchr(b'$', &bytes[j..limit - 1]) {
                Some(k) if bytes[j + k + 1] == b'$' => return Some(j + k),
                Some(k) => j += k + 1,
                None => return None,
            }
        }
        return None;
    }
    let first = open + 1;
    if first >= limit || bytes[first].is_ascii_whitespace() {
        return None;
    }
    let mut j = first;
    // Whether the character before `j` is a space that no backslash escapes.
    let mut after_space = false;
    while j < limit {
        match bytes[j] {
            b'\\' => {
                j += 2;
                after_space = false;
            }
            b'$' => {
                let closes = !after_space && !bytes.get(j + 1).is_some_and(u8::is_ascii_digit);
                return closes.then_some(j);
            }
            b => {
                after_space = b.is_ascii_whitespace();
                j += 1;
            }
        }
    }
    None
}

/// `&name;`, `&#123;`, `&#x1F600;`: the end of a character reference
/// that decodes to something.
pub(super) fn entity_end(bytes: &[u8], i: usize, limit: usize) -> Option<usize> {
    let body = &bytes[i + 1..limit.min(i + 34)];
    let len = body.iter().position(|&b| b == b';')?;
    let name = &body[..len];
    let ok = match name {
        [b'#', b'x' | b'X', hex @ ..] => !hex.is_empty() && hex.iter().all(u8::is_ascii_hexdigit),
        [b'#', digits @ ..] => !digits.is_empty() && digits.iter().all(u8::is_ascii_digit),
        _ => !name.is_empty() && name.iter().all(u8::is_ascii_alphanumeric),
    };
    let end = i + 1 + len + 1;
    if !ok {
        return None;
    }
    let raw = std::str::from_utf8(&bytes[i..end]).ok()?;
    (html_escape::decode_html_entities(raw) != raw).then_some(end)
}

/// A run of `*`, `_`, `~` or `^` that can open or close emphasis (pandoc:
/// a non-space on one side; `_` not inside a word; `~` and `^` as
/// sub/superscript or `~~` strikeout): markup, not text.
fn is_emphasis_delimiter(bytes: &[u8], i: usize, run: usize, start: usize, limit: usize) -> bool {
    let before = (i > start).then(|| bytes[i - 1]);
    let after = (i + run < limit).then(|| bytes[i + run]);
    let space = |b: Option<u8>| b.is_none_or(|b| b.is_ascii_whitespace());
    let word = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
    if space(before) && space(after) {
        return false;
    }
    match bytes[i] {
        b'_' => !(word(before) && word(after)),
        b'~' => run == 2 || !space(after) && !space(before) || run == 1 && !space(after),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_plain_stops_where_the_byte_walk_stops() {
        let alphabet = b"ab \n[]{}@*_`0\\<$&~^\xc3\xa9";
        let mut rng = crate::quantity::TestRng(0x2718_2818_2845_9045);
        for _ in 0..20_000 {
            let len = rng.below(40);
            let plain = rng.below(4) != 0;
            let bytes: Vec<u8> = (0..len)
                .map(|_| if plain && rng.below(8) != 0 { b'x' } else { alphabet[rng.below(alphabet.len())] })
                .collect();
            let limit = if len == 0 { 0 } else { len - rng.below(len.min(3)) };
            for from in 0..=limit {
                let mut walk = from;
                while walk < limit && !may_start_markup(bytes[walk]) {
                    walk += 1;
                }
                assert_eq!(skip_plain(&bytes, from, limit), walk, "{bytes:?} from {from} to {limit}");
            }
        }
    }
}
