//! The prose behind the markup: what a reader sees once it is rendered.

use super::tree::{SourceFile, TextRange};

/// The text of `range` without markup (brackets, attribute lists,
/// citations, escape backslashes, comments, emphasis markers, code
/// ticks, link targets), with character references decoded: the text
/// pandoc renders.
pub fn plain_text(text: &str, file: &SourceFile, range: TextRange) -> String {
    let mut out = String::with_capacity(range.len());
    let mut at = range.start();
    let first = file.markup.partition_point(|m| m.end() <= range.start());
    for markup in &file.markup[first..] {
        if markup.start() >= range.end() {
            break;
        }
        if markup.start() > at {
            out.push_str(&text[at..markup.start()]);
        }
        if markup.end() > at && file.entities.binary_search_by_key(&markup.start(), |e| e.start()).is_ok() {
            out.push_str(&html_escape::decode_html_entities(&text[*markup]));
        }
        at = at.max(markup.end());
    }
    if at < range.end() {
        out.push_str(&text[at..range.end()]);
    }
    out
}

/// The form in which two quotes are compared: case, punctuation, quote
/// marks and white space do not count.
pub fn normalize_quote(quote: &str) -> String {
    let mut out = String::with_capacity(quote.len());
    let mut pending_space = false;
    for c in quote.chars() {
        // ASCII first (the same rules, without Unicode tables): most prose is.
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c.to_ascii_lowercase());
            } else if c != '\'' {
                pending_space = true;
            }
        } else if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || is_separating_punctuation(c) {
            pending_space = true;
        }
        // Apostrophes and the like vanish, so "don't" and "don’t" agree.
    }
    out
}

fn is_separating_punctuation(c: char) -> bool {
    !matches!(c, '\'' | '’' | '‘' | 'ʼ' | '\u{00AD}')
}
