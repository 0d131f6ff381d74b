//! The sentence a figure or quote stands in: what a ClaimReview reviews.
//!
//! Sentence ends are found in the paragraph's source text, never inside the
//! span itself (a quote may hold whole sentences) nor inside markup (a
//! `value=1.5` or a `[see @id, p. 4]` locator is no sentence end). A period
//! after an initial, an abbreviation or a dotted acronym (`U.S.`, `Feb.`,
//! `Mr.`) does not end a sentence: a sentence read too long is better than
//! one cut short. (UAX #29 sentence breaks, as in `unicode-segmentation`,
//! split after every such period, so they are not used here.)

use crate::syntax::{self, SourceFile, TextRange};

/// Words that a period follows without ending the sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "gov", "sen", "rep", "st", "jr",
    "sr", "no", "vs", "etc", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "e.g", "i.e",
];

/// The plain text of the sentence around `span` in paragraph number
/// `paragraph`, with white space collapsed; `ends` are the paragraph's
/// [`sentence_ends`] (computed once per paragraph, not once per span).
pub fn sentence_around(text: &str, file: &SourceFile, paragraph: usize, ends: &[usize], span: TextRange) -> String {
    let paragraph = file.paragraphs[paragraph];
    let start = ends.iter().rev().find(|&&e| e <= span.start()).copied().unwrap_or(paragraph.start());
    let end = ends.iter().find(|&&e| e >= span.end()).copied().unwrap_or(paragraph.end());
    tidy(&syntax::plain_text(text, file, TextRange::new(start, end)))
}

/// White space collapsed, and none left before punctuation where a
/// citation was removed (`troops [@a].` reads `troops.`).
pub fn tidy(plain: &str) -> String {
    let mut out = String::with_capacity(plain.len());
    for word in plain.split_whitespace() {
        let glued = word.starts_with(['.', ',', ';', ':', '!', '?']) && !out.is_empty();
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.trim_start_matches([':', ';', ',', ' ']).to_string()
}

/// Byte offsets just after each sentence end in paragraph number `index`
/// (after the terminator and any closing quotes or brackets), outside
/// markup and spans. Linear in the paragraph, however many spans it holds.
pub fn sentence_ends(text: &str, file: &SourceFile, index: usize) -> Vec<usize> {
    let paragraph = file.paragraphs[index];
    let body = &text[paragraph];
    let in_markup = |offset: usize| {
        let i = file.markup.partition_point(|m| m.end() <= offset);
        file.markup.get(i).is_some_and(|m| m.start() <= offset)
    };
    // The outermost spans of the paragraph, merged into disjoint ranges.
    let mut covered: Vec<TextRange> = Vec::new();
    // Spans are in paragraph order: the paragraph's are found by binary search.
    let first = file.spans.partition_point(|s| s.paragraph() < index);
    let mut outer: Vec<&TextRange> = file.spans[first..]
        .iter()
        .take_while(|s| s.paragraph() == index)
        .filter(|s| s.parent().is_none())
        .map(|s| &s.range)
        .collect();
    outer.sort_by_key(|r| r.start());
    for range in outer {
        match covered.last_mut() {
            Some(last) if range.start() < last.end() => *last = last.cover(*range),
            _ => covered.push(*range),
        }
    }
    let inside_span = |offset: usize| {
        let i = covered.partition_point(|r| r.end() <= offset);
        covered.get(i).is_some_and(|r| r.start() < offset)
    };
    let mut ends = Vec::new();
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        // Closing quotes, brackets and markup may follow the terminator.
        let mut j = i + 1;
        while j < chars.len() && (is_closing(chars[j].1) || in_markup(paragraph.start() + chars[j].0)) {
            j += 1;
        }
        let Some(&(next_at, next)) = chars.get(j) else { continue };
        if !next.is_whitespace() {
            continue;
        }
        let offset = paragraph.start() + at;
        if in_markup(offset) || (c == '.' && is_abbreviation(&body[..at])) {
            continue;
        }
        let end = paragraph.start() + next_at;
        if !inside_span(offset) {
            ends.push(end);
        }
    }
    ends
}

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '}' | '*' | '_')
}

/// Whether the word before a period is an initial, a dotted acronym or a
/// known abbreviation.
fn is_abbreviation(before: &str) -> bool {
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(' || c == '[').next().unwrap_or("");
    let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    if word.is_empty() {
        return false;
    }
    let single_letter = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    let dotted = word.contains('.');
    single_letter || dotted || ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sentence around the first span of a one-paragraph text.
    fn sentence_of_first_span(text: &str) -> String {
        let file = syntax::parse(text);
        let span = file.spans[0].range;
        let paragraph = file.spans[0].paragraph();
        let ends = sentence_ends(text, &file, paragraph);
        sentence_around(text, &file, paragraph, &ends, span)
    }

    #[test]
    fn sentences_around_a_span() {
        let cases = [
            ("One. The mission has [about 500 troops]{fig=k}. Two.", "The mission has about 500 troops."),
            (
                "U.S. Defense Secretary [Mark Esper]{ent=esper} spoke on Feb. 13. Then more.",
                "U.S. Defense Secretary Mark Esper spoke on Feb. 13.",
            ),
            ("He said [“We stay. We help.”]{by=x}[@a] and left. Next one.", "He said “We stay. We help.” and left."),
            ("A figure [1.5 million]{fig=k value=1.5}[see @a, p. 4] here! Then.", "A figure 1.5 million here!"),
            ("“It is over,” he said. Officials [said]{ent=x} so.", "Officials said so."),
            ("No end [500]{fig=k}", "No end 500"),
            ("[See @src, p. 4]: a figure [500]{fig=k} cited [@a].", "a figure 500 cited."),
            ("It ended.” Then [500]{fig=k}\nwent on.", "Then 500 went on."),
        ];
        for (text, expected) in cases {
            assert_eq!(sentence_of_first_span(text), expected, "{text}");
        }
    }
}
