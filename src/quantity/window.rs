//! The stretches of prose around numerals that a phrase scan must see to
//! find every bare figure, so that prose far from any digit is not lexed.
//!
//! [`phrases`](super::phrase::phrases) lexes a text and tries a phrase at each
//! token, left to right, skipping past each phrase it finds. A bare figure
//! holds a numeral token, and a numeral holds an ASCII digit. So it is
//! enough to scan windows around the digits, if scanning a window finds
//! exactly the phrases the whole scan finds there. A window is cut at
//! *barriers*: the first token of a chunk (a run of non-space characters)
//! that is a word no rule of the grammar compares with
//! ([`is_grammar_word`] is false: `troops`, `said`, `Troops.`). Why that
//! gives the same phrases:
//!
//! 1. *Same tokens.* The lexer's only state is the character before the
//!    current position, and no token holds white space or looks past it;
//!    after white space it is as at the start of a text. A chunk's first
//!    token starts after white space (or at the run's start), so lexing
//!    from it yields the whole text's tokens from there on. A window ends
//!    at a barrier word's end, where that word ends in the whole text too.
//! 2. *A barrier is in no phrase and starts none.* A phrase grows only by
//!    tokens that match a rule's word, sign, numeral or dash; a barrier
//!    matches none. So the whole scan reaches the barrier token itself
//!    (no phrase before it runs over it) and passes on to the next one.
//! 3. *Looking back.* A phrase's rules read at most two tokens before its
//!    start (a label `No.`, a month `Feb.`, `F-` before `16`, the line
//!    break before a list marker), and the second only when the first is a
//!    `.` or a dash. For a phrase just after a left barrier that first
//!    token is the barrier word: what is read is inside the window.
//! 4. *Looking ahead.* Every rule reads a token only after the one before
//!    it matched something (`per` before `cent`, a dash before `strong`,
//!    `a` `.` before `m` of `a.m.`, `1` `.` before what follows a list
//!    marker). A right barrier matches nothing, so no rule of a phrase
//!    before it reads past it: the window holds all that is read.
//!
//! So a window starting at a left barrier (or at the run's start) and
//! ending with a right barrier (or at the run's end) finds exactly the
//! whole scan's phrases inside it, and every phrase with a numeral lies in
//! the window around that numeral (it cannot run over the barriers).
//! Windows that meet are merged, which keeps them cut at barriers. The
//! differential test in `bare.rs` holds this against the whole-run scan.
//!
//! Finding the windows reads each chunk at most a few times: the walk left
//! from a numeral stops at the previous window's right barrier, the walk
//! right at the next barrier.

use super::number::{first_token, is_space, TokKind};
use super::phrase::is_grammar_word;
use std::ops::Range;

/// The windows of `text` to scan for the phrases around `numerals` (byte
/// offsets of ASCII digits in `text`, in order): in order, disjoint, on
/// `char` boundaries, each cut at barriers or at the ends of `text`.
pub(crate) fn windows(text: &str, numerals: impl IntoIterator<Item = usize>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for digit in numerals {
        let previous_end = out.last().map_or(0, |w| w.end);
        // Offsets that are no digit of `text` name no numeral (and might
        // fall inside a character): passed over.
        if digit < previous_end || !text.as_bytes().get(digit).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        let chunk = chunk_start(text, digit);
        let start = left_barrier(text, chunk, previous_end);
        let end = right_barrier(text, chunk_end(text, chunk));
        match out.last_mut() {
            Some(last) if start < last.end => last.end = end,
            _ => out.push(start..end),
        }
    }
    out
}

/// The start of the window for a numeral in the chunk starting at `chunk`:
/// the nearest chunk at or before it that starts with a barrier, else the
/// start of the text. The walk stops on reaching `floor` (the previous
/// window's end, itself just after a barrier): the windows then merge.
fn left_barrier(text: &str, mut chunk: usize, floor: usize) -> usize {
    loop {
        if barrier_end(text, chunk).is_some() || chunk <= floor {
            return chunk;
        }
        match previous_chunk(text, chunk) {
            Some(before) => chunk = before,
            None => return 0,
        }
    }
}

/// The end of the window whose last numeral's chunk ends at `from`: the end
/// of the first barrier word after it, else the end of the text.
fn right_barrier(text: &str, mut from: usize) -> usize {
    loop {
        let Some(chunk) = next_chunk(text, from) else {
            return text.len();
        };
        if let Some(end) = barrier_end(text, chunk) {
            return end;
        }
        from = chunk_end(text, chunk);
    }
}

/// The end of the chunk at `chunk`'s first token when that token is a
/// barrier: a word no rule compares with.
fn barrier_end(text: &str, chunk: usize) -> Option<usize> {
    // A word starts with a letter: a chunk starting with an ASCII digit or
    // sign (most of those next to numerals) is no barrier, and is not lexed.
    if text.as_bytes().get(chunk).is_none_or(|b| b.is_ascii_digit() || b.is_ascii_punctuation()) {
        return None;
    }
    let token = first_token(&text[chunk..])?;
    match token.kind {
        TokKind::Word { lower, .. } if !is_grammar_word(&lower) => Some(chunk + token.end),
        _ => None,
    }
}

/// The start of the chunk holding byte `at` (not a space).
fn chunk_start(text: &str, at: usize) -> usize {
    text[..at].char_indices().rev().find(|&(_, c)| is_space(c)).map_or(0, |(i, c)| i + c.len_utf8())
}

/// The end of the chunk starting at `chunk`.
fn chunk_end(text: &str, chunk: usize) -> usize {
    text[chunk..].char_indices().find(|&(_, c)| is_space(c)).map_or(text.len(), |(i, _)| chunk + i)
}

/// The start of the first chunk at or after `from`.
fn next_chunk(text: &str, from: usize) -> Option<usize> {
    text[from..].char_indices().find(|&(_, c)| !is_space(c)).map(|(i, _)| from + i)
}

/// The start of the chunk before the one starting at `chunk`.
fn previous_chunk(text: &str, chunk: usize) -> Option<usize> {
    let (last, _) = text[..chunk].char_indices().rev().find(|&(_, c)| !is_space(c))?;
    Some(chunk_start(text, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut<'t>(text: &'t str) -> Vec<&'t str> {
        let digits = text.bytes().enumerate().filter(|(_, b)| b.is_ascii_digit()).map(|(i, _)| i);
        windows(text, digits).into_iter().map(|w| &text[w]).collect()
    }

    #[test]
    fn windows_run_from_barrier_to_barrier() {
        assert_eq!(cut("the army said at least 5,200 troops had left"), ["said at least 5,200 troops"]);
        assert_eq!(cut("Troops: 5 and 7 dogs"), ["Troops: 5 and 7 dogs"]);
        assert_eq!(cut("5 of them"), ["5 of them"]);
        assert_eq!(cut("they saw 5. Then many went 7 times"), ["saw 5. Then", "went 7 times"]);
        assert_eq!(cut("x86 chips"), ["x86 chips"]);
        assert_eq!(cut("no digits here"), Vec::<&str>::new());
        assert_eq!(cut("  12  "), ["  12  "]);
        assert_eq!(cut("troops,5 troops,6 troops"), ["troops,5 troops,6 troops"]);
    }
}
