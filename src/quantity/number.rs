//! Tokens, numerals, number words and scale words.
//!
//! The lexer splits text into words, numerals, dashes and symbols, with byte
//! ranges that always fall on `char` boundaries. It runs in linear time and
//! normalises the typographic variants that must not break reading: curly
//! apostrophes, every kind of dash, non-breaking and other Unicode spaces.

use super::rational::{numeral_value, Rational};
use std::borrow::Cow;

/// What a [`Token`] is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TokKind<'a> {
    /// A run of letters (and possibly digits, e.g. `A400M`); `lower` is the
    /// lower-cased text with curly apostrophes straightened, borrowed from
    /// the input when that is what it says already (most words of prose).
    Word { lower: Cow<'a, str>, has_digit: bool, cap: bool },
    /// A numeral starting with an ASCII digit (or `.5`).
    Num(NumTok<'a>),
    /// A dash: hyphen, en dash, minus sign… (`em` for em dash / horizontal bar).
    Dash { em: bool },
    /// Any other single character.
    Sym(char),
    /// A URL (`http://…`, `https://…`, `www.…`), up to the next space.
    Url,
    /// `2020-02-13`, `2020-02`, `13/02/2020`, `9/11`.
    DateLike,
    /// `10:30`, `3:1`.
    TimeLike,
    /// Dotted digit sequences such as `1.2.3` or `192.168.0.1`.
    Dotted,
}

/// A numeral.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NumTok<'a> {
    /// The value, `None` when the numeral exceeds the caps.
    pub value: Option<Rational>,
    /// Only digits: no thousands separator, no decimal point.
    pub plain: bool,
    /// Number of integer digits as written (without separators).
    pub int_digits: usize,
    /// Written with a leading zero (`007`, `0958`), not `0` or `0.5`.
    pub leading_zero: bool,
    /// Letters written directly after the numeral (`st` in `21st`, `G` in
    /// `5G`, `km` in `500km`), as written.
    pub suffix: Option<&'a str>,
}

/// A token with its byte range in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub kind: TokKind<'a>,
    pub start: usize,
    pub end: usize,
}

/// Characters that count as white space between tokens.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// Letters and digits of scripts that separate words with spaces. CJK and
/// other characters from U+2E80 on are not word characters, so `500人` reads
/// as a numeral followed by a symbol.
pub(crate) fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() && (c as u32) < 0x2E80) || ('\u{300}'..='\u{36F}').contains(&c)
}

/// Characters ignored inside a word (soft hyphen, zero-width joiners).
fn is_word_glue(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200C}' | '\u{200D}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

/// `Some(em)` for dash characters.
pub(crate) fn dash_kind(c: char) -> Option<bool> {
    match c {
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => Some(false),
        '\u{2014}' | '\u{2015}' | '\u{FE58}' => Some(true),
        _ => None,
    }
}

fn char_at(text: &str, i: usize) -> Option<char> {
    // An ASCII byte is a whole character: no decoding (most prose).
    match text.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => Some(b as char),
        _ => text.get(i..).and_then(|s| s.chars().next()),
    }
}

fn starts_with_ci(text: &str, i: usize, pat: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= i + pat.len() && b[i..i + pat.len()].eq_ignore_ascii_case(pat.as_bytes())
}

fn digits_at(b: &[u8], i: usize) -> usize {
    b.get(i..).map(|s| s.iter().take_while(|c| c.is_ascii_digit()).count()).unwrap_or(0)
}

/// Splits `text` into tokens (linear time).
pub(crate) fn lex(text: &str) -> Vec<Token<'_>> {
    // About a token per word: room for one per six bytes, so the vector
    // is rarely regrown.
    let mut toks = Vec::with_capacity(text.len() / 6 + 1);
    let mut at = LexAt::default();
    while let Some(tok) = next_token(text, &mut at) {
        toks.push(tok);
    }
    toks
}

/// The first token of `text`, as [`lex`] reads it (without reading on).
pub(crate) fn first_token(text: &str) -> Option<Token<'_>> {
    next_token(text, &mut LexAt::default())
}

/// Where [`next_token`] is: the byte offset and the character before it,
/// the lexer's only state (a URL or a `.5` cannot start right after a word).
#[derive(Default)]
struct LexAt {
    i: usize,
    prev: Option<char>,
}

/// The token at or after `at` (white space is passed over), and `at` moved
/// past it.
fn next_token<'a>(text: &'a str, at: &mut LexAt) -> Option<Token<'a>> {
    let b = text.as_bytes();
    while at.i < b.len() {
        let c = char_at(text, at.i)?;
        let start = at.i;
        if is_space(c) {
            at.i += c.len_utf8();
            at.prev = Some(c);
            continue;
        }
        let mut i = at.i;
        let prev = at.prev;
        let after_word = prev.is_some_and(|p| is_word_char(p) || p == '/' || p == '.');
        let kind;
        if !after_word
            && matches!(c, 'h' | 'H' | 'f' | 'F' | 'w' | 'W')
            && ["http://", "https://", "ftp://", "www."].iter().any(|p| starts_with_ci(text, i, p))
        {
            while let Some(ch) = char_at(text, i) {
                if is_space(ch) || matches!(ch, '<' | '>' | '"' | '`') {
                    break;
                }
                i += ch.len_utf8();
            }
            kind = TokKind::Url;
        } else if c.is_ascii_digit()
            || (c == '.' && digits_at(b, i + 1) > 0 && !prev.is_some_and(|p| is_word_char(p) || p == '.' || p == ','))
        {
            let (k, end) = lex_number(text, i);
            kind = k;
            i = end;
        } else if is_word_char(c) {
            let cap = c.is_uppercase();
            let (end, has_digit, as_written) = word_end(text, i);
            let lower = if as_written { Cow::Borrowed(&text[i..end]) } else { Cow::Owned(lower_word(&text[i..end])) };
            kind = TokKind::Word { lower, has_digit, cap };
            i = end;
        } else {
            i += c.len_utf8();
            kind = match dash_kind(c) {
                Some(em) => TokKind::Dash { em },
                None => TokKind::Sym(c),
            };
        }
        at.i = i;
        at.prev = match i.checked_sub(1).map(|p| b[p]) {
            Some(last) if last.is_ascii() => Some(last as char),
            _ => text[..i].chars().next_back(),
        };
        return Some(Token { kind, start, end: i });
    }
    None
}

/// Whether the apostrophe at byte `i` (of length `len`) is inside a word:
/// a letter follows it.
fn apostrophe_in_word(text: &str, i: usize, len: usize) -> bool {
    char_at(text, i + len).is_some_and(|n| is_word_char(n) && !n.is_ascii_digit())
}

/// The end of the word starting at byte `start` (a word character), whether
/// it has an ASCII digit, and whether its lower-cased form is the text as
/// written (only ASCII lower-case letters, digits and straight apostrophes).
fn word_end(text: &str, start: usize) -> (usize, bool, bool) {
    let (mut i, mut has_digit, mut as_written) = (start, false, true);
    let bytes = text.as_bytes();
    loop {
        // ASCII letters and digits without decoding; an ASCII byte that is
        // neither (nor the apostrophe) ends the word, as below.
        match bytes.get(i) {
            Some(&b) if b.is_ascii_alphanumeric() => {
                has_digit |= b.is_ascii_digit();
                as_written &= b.is_ascii_lowercase() || b.is_ascii_digit();
                i += 1;
                continue;
            }
            Some(&b) if b.is_ascii() && b != b'\'' => break,
            None => break,
            _ => {}
        }
        let Some(ch) = char_at(text, i) else { break };
        if is_word_char(ch) {
            has_digit |= ch.is_ascii_digit();
            as_written &= ch.is_ascii_lowercase() || ch.is_ascii_digit();
        } else if is_word_glue(ch) {
            as_written = false;
        } else if is_apostrophe(ch) && apostrophe_in_word(text, i, ch.len_utf8()) {
            as_written &= ch == '\'';
        } else {
            break;
        }
        i += ch.len_utf8();
    }
    (i, has_digit, as_written)
}

/// A word (as delimited by [`word_end`]) lower-cased, without the glue
/// characters, with curly apostrophes straightened.
fn lower_word(word: &str) -> String {
    let mut lower = String::with_capacity(word.len());
    for (i, ch) in word.char_indices() {
        if is_word_char(ch) {
            if ch.is_ascii() {
                lower.push(ch.to_ascii_lowercase());
            } else {
                lower.extend(ch.to_lowercase());
            }
        } else if is_apostrophe(ch) && apostrophe_in_word(word, i, ch.len_utf8()) {
            lower.push('\'');
        }
    }
    lower
}

/// Lexes a numeral starting at byte `s` (an ASCII digit, or `.` + digit).
fn lex_number(text: &str, s: usize) -> (TokKind<'_>, usize) {
    let b = text.as_bytes();
    let mut j = s;
    let first = digits_at(b, j);
    j += first;
    // The digits without separators: borrowed from the text unless
    // separators are taken out (no allocation per numeral).
    let mut int = Cow::Borrowed(&text[s..j]);
    let mut plain = true;
    if (1..=3).contains(&first) {
        while b.get(j) == Some(&b',') && digits_at(b, j + 1) == 3 {
            int.to_mut().push_str(&text[j + 1..j + 4]);
            j += 4;
            plain = false;
        }
    }
    if plain && first > 0 {
        // 2020-02-13 and 2020-02 (ASCII hyphen only).
        if first == 4 && b.get(j) == Some(&b'-') && digits_at(b, j + 1) == 2 {
            let year: u32 = text[s..j].parse().unwrap_or(0);
            if b.get(j + 3) == Some(&b'-') && digits_at(b, j + 4) == 2 {
                return (TokKind::DateLike, j + 6);
            }
            if (1800..=2100).contains(&year) {
                return (TokKind::DateLike, j + 3);
            }
        }
        // 13/02/2020, 9/11, 24/7.
        if b.get(j) == Some(&b'/') && digits_at(b, j + 1) > 0 {
            while b.get(j) == Some(&b'/') && digits_at(b, j + 1) > 0 {
                j += 1 + digits_at(b, j + 1);
            }
            return (TokKind::DateLike, j);
        }
        // 10:30, 10:30:15, 3:1.
        if first <= 2 && b.get(j) == Some(&b':') && (1..=2).contains(&digits_at(b, j + 1)) {
            while b.get(j) == Some(&b':') && digits_at(b, j + 1) > 0 {
                j += 1 + digits_at(b, j + 1);
            }
            return (TokKind::TimeLike, j);
        }
    }
    let mut dec = "";
    if b.get(j) == Some(&b'.') && digits_at(b, j + 1) > 0 {
        let n = digits_at(b, j + 1);
        dec = &text[j + 1..j + 1 + n];
        j += 1 + n;
        plain = false;
        if b.get(j) == Some(&b'.') && digits_at(b, j + 1) > 0 {
            // 1.2.3, 192.168.0.1: a version or address, not a quantity.
            while b.get(j) == Some(&b'.') && digits_at(b, j + 1) > 0 {
                j += 1 + digits_at(b, j + 1);
            }
            while let Some(ch) = char_at(text, j) {
                if !is_word_char(ch) {
                    break;
                }
                j += ch.len_utf8();
            }
            return (TokKind::Dotted, j);
        }
    }
    let num_end = j;
    let mut suffix = None;
    if char_at(text, j).is_some_and(is_word_char) {
        while let Some(ch) = char_at(text, j) {
            if !is_word_char(ch) {
                break;
            }
            j += ch.len_utf8();
        }
        suffix = Some(&text[num_end..j]);
    } else if char_at(text, j).is_some_and(is_apostrophe) {
        // 1990's
        let after = j + char_at(text, j).map_or(1, char::len_utf8);
        if matches!(b.get(after), Some(b's') | Some(b'S')) && !char_at(text, after + 1).is_some_and(is_word_char) {
            j = after + 1;
            suffix = Some("s");
        }
    }
    let int_digits = int.len();
    let leading_zero = int_digits > 1 && int.starts_with('0');
    let num = NumTok { value: numeral_value(&int, dec), plain, int_digits, leading_zero, suffix };
    (TokKind::Num(num), j)
}

/// Parses a written numeral with optional thousands separators and decimals:
/// `500`, `5,200`, `1.5`, `1,200.5`. Separators must group by three.
/// `None` for anything else or beyond the caps.
pub fn parse_numeral(s: &str) -> Option<Rational> {
    let (int, dec) = match s.split_once('.') {
        Some((i, d)) => {
            if d.is_empty() {
                return None;
            }
            (i, d)
        }
        None => (s, ""),
    };
    if int.is_empty() {
        return None;
    }
    let digits: String = if int.contains(',') {
        let mut groups = int.split(',');
        let first = groups.next()?;
        if first.is_empty() || first.len() > 3 {
            return None;
        }
        let mut out = first.to_string();
        for g in groups {
            if g.len() != 3 {
                return None;
            }
            out.push_str(g);
        }
        out
    } else {
        int.to_string()
    };
    numeral_value(&digits, dec)
}

/// `two` … `nineteen` and the tens `twenty` … `ninety`.
pub(crate) fn small_number_word(w: &str) -> Option<i64> {
    Some(match w {
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// Units `one` … `nine` that may follow a tens word (`twenty-five`).
pub(crate) fn unit_word(w: &str) -> Option<i64> {
    match w {
        "one" => Some(1),
        _ => small_number_word(w).filter(|v| *v < 10),
    }
}

/// Words that multiply the number before them: `hundred`, `dozen`, `score`.
pub(crate) fn small_multiplier(w: &str) -> Option<i64> {
    match w {
        "hundred" => Some(100),
        "dozen" => Some(12),
        "score" => Some(20),
        _ => None,
    }
}

/// Scale words: `thousand`, `million`, `billion`, `trillion` and the
/// newspaper abbreviations `bn`, `mn`, `mln`, `tn`.
pub(crate) fn scale_word(w: &str) -> Option<Rational> {
    let k = match w {
        "thousand" => 3,
        "million" | "mn" | "mln" => 6,
        "billion" | "bn" => 9,
        "trillion" | "tn" => 12,
        _ => return None,
    };
    Rational::pow10(k)
}

/// Plural scale nouns used for vague quantities, with their unit:
/// `tens` 10, `dozens` 12, `scores` 20, `hundreds` 100, `thousands` 1000 …
pub(crate) fn plural_scale(w: &str) -> Option<Rational> {
    match w {
        "tens" => Some(Rational::from_int(10)),
        "dozens" => Some(Rational::from_int(12)),
        "scores" => Some(Rational::from_int(20)),
        "hundreds" => Some(Rational::from_int(100)),
        "thousands" => scale_word("thousand"),
        "millions" => scale_word("million"),
        "billions" => scale_word("billion"),
        "trillions" => scale_word("trillion"),
        _ => None,
    }
}

/// Singular unit of a vague quantity after a modifier (`a few hundred`).
pub(crate) fn singular_unit(w: &str) -> Option<Rational> {
    small_multiplier(w).map(Rational::from_int).or_else(|| scale_word(w))
}

/// Suffixes written directly after a numeral that scale it: always `bn`,
/// `mn`, `mln`, `tn`; after a currency sign also `k`, `m`, `b` (`£5m`, `$2bn`).
pub(crate) fn suffix_scale(suffix: &str, currency: bool) -> Option<Rational> {
    match suffix {
        "bn" | "BN" | "Bn" => scale_word("billion"),
        "mn" | "mln" | "Mn" => scale_word("million"),
        "tn" | "Tn" => scale_word("trillion"),
        "k" | "K" if currency => scale_word("thousand"),
        "m" | "M" if currency => scale_word("million"),
        "b" | "B" if currency => scale_word("billion"),
        _ => None,
    }
}

/// Unit suffixes that leave a numeral a quantity (`500km`, `40C`, `3x`).
/// Case-sensitive so that `5G` and `4K` stay identifiers.
pub(crate) fn is_unit_suffix(suffix: &str) -> bool {
    matches!(
        suffix,
        "km" | "kg"
            | "mm"
            | "cm"
            | "m"
            | "g"
            | "mg"
            | "t"
            | "kt"
            | "ml"
            | "l"
            | "mph"
            | "kph"
            | "kmh"
            | "ft"
            | "lb"
            | "lbs"
            | "oz"
            | "mi"
            | "ha"
            | "kW"
            | "kWh"
            | "MW"
            | "MWh"
            | "GW"
            | "GWh"
            | "TWh"
            | "C"
            | "F"
            | "x"
            | "bp"
            | "bps"
            | "pc"
            | "h"
            | "hrs"
            | "min"
            | "sec"
    )
}

/// Ordinal suffixes `st`, `nd`, `rd`, `th` (any case).
pub(crate) fn is_ordinal_suffix(suffix: &str) -> bool {
    matches!(suffix.to_ascii_lowercase().as_str(), "st" | "nd" | "rd" | "th")
}

/// Currency signs that may precede a numeral.
pub(crate) fn is_currency(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '¥' | '₹' | '₽' | '₩' | '₺' | '₪' | '₦' | '₴')
}

/// Month names and abbreviations (for recognising dates).
pub(crate) fn is_month(w: &str) -> bool {
    matches!(
        w,
        "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `word_end` as written before its ASCII fast path: char by char.
    fn word_end_by_chars(text: &str, start: usize) -> (usize, bool, bool) {
        let (mut i, mut has_digit, mut as_written) = (start, false, true);
        while let Some(ch) = text.get(i..).and_then(|s| s.chars().next()) {
            if is_word_char(ch) {
                has_digit |= ch.is_ascii_digit();
                as_written &= ch.is_ascii_lowercase() || ch.is_ascii_digit();
            } else if is_word_glue(ch) {
                as_written = false;
            } else if is_apostrophe(ch) && apostrophe_in_word(text, i, ch.len_utf8()) {
                as_written &= ch == '\'';
            } else {
                break;
            }
            i += ch.len_utf8();
        }
        (i, has_digit, as_written)
    }

    #[test]
    fn word_end_agrees_with_the_char_by_char_definition() {
        let pieces = [
            "a", "Z", "7", "'", "’", "ʼ", "\u{AD}", "\u{200D}", "é", "É", "中", "\u{301}", " ", "-", ".", ",", "_", "s",
        ];
        let mut rng = crate::quantity::TestRng(0x0123_4567_89ab_cdef);
        for _ in 0..20_000 {
            let len = rng.below(10);
            let s: String = (0..len).map(|_| pieces[rng.below(pieces.len())]).collect();
            for at in (0..s.len()).filter(|&i| s.is_char_boundary(i)) {
                assert_eq!(word_end(&s, at), word_end_by_chars(&s, at), "{s:?} at {at}");
            }
        }
    }

    fn kinds(s: &str) -> Vec<(String, &str)> {
        lex(s)
            .into_iter()
            .map(|t| {
                let k = match &t.kind {
                    TokKind::Word { .. } => "word",
                    TokKind::Num(_) => "num",
                    TokKind::Dash { .. } => "dash",
                    TokKind::Sym(_) => "sym",
                    TokKind::Url => "url",
                    TokKind::DateLike => "date",
                    TokKind::TimeLike => "time",
                    TokKind::Dotted => "dotted",
                };
                (s[t.start..t.end].to_string(), k)
            })
            .collect()
    }

    fn num(s: &str) -> NumTok<'_> {
        match lex(s).into_iter().next().map(|t| t.kind) {
            Some(TokKind::Num(n)) => n,
            other => panic!("not a numeral: {other:?}"),
        }
    }

    #[test]
    fn numerals() {
        assert_eq!(num("5,200").value, Some(Rational::from_int(5200)));
        assert!(!num("5,200").plain);
        assert!(num("2020").plain);
        assert_eq!(num("1,200.5").value, Rational::new(2401, 2));
        assert_eq!(num("1.5").value, Rational::new(3, 2));
        assert_eq!(num(".5").value, Rational::new(1, 2));
        assert_eq!(num("1,234,567").value, Some(Rational::from_int(1234567)));
        assert!(num("0958").leading_zero);
        assert!(!num("0.5").leading_zero);
        assert_eq!(num("21st").suffix.as_deref(), Some("st"));
        assert_eq!(num("1990's").suffix.as_deref(), Some("s"));
        assert_eq!(num("1990’s").suffix.as_deref(), Some("s"));
        assert_eq!(num("99999999999999999999999999999999").value, None);
        assert_eq!(num("1.0000000001").value, None);
        assert_eq!(num("1.50000000000000").value, Rational::new(3, 2));
    }

    #[test]
    fn token_shapes() {
        let k = kinds("2020-02-13 10:30 13/02/2020 1.2.3 https://x.org/2020/5 5G F-16");
        let got: Vec<&str> = k.iter().map(|(_, k)| *k).collect();
        assert_eq!(got, ["date", "time", "date", "dotted", "url", "num", "word", "dash", "num"]);
        assert_eq!(kinds("1,,,2").len(), 5);
        assert_eq!(kinds("12,34")[0].0, "12");
        assert_eq!(kinds("2019,500")[0].0, "2019");
        assert_eq!(kinds("1,2345")[0].0, "1");
        assert_eq!(kinds("A400M")[0].1, "word");
        assert_eq!(kinds("don’t")[0].0, "don’t");
        assert_eq!(kinds("4,000–5,000").len(), 3);
        assert_eq!(kinds("500\u{a0}troops").len(), 2);
        assert_eq!(
            kinds("约500人"),
            vec![("约".to_string(), "sym"), ("500".to_string(), "num"), ("人".to_string(), "sym")]
        );
    }

    #[test]
    fn words_are_lower_cased_and_straightened() {
        let lowers = |s: &str| -> Vec<(String, bool)> {
            lex(s)
                .into_iter()
                .filter_map(|t| match t.kind {
                    TokKind::Word { lower, .. } => Some((lower.to_string(), matches!(lower, Cow::Borrowed(_)))),
                    _ => None,
                })
                .collect()
        };
        let owned = |w: &str| (w.to_string(), false);
        let borrowed = |w: &str| (w.to_string(), true);
        assert_eq!(lowers("troops don't"), [borrowed("troops"), borrowed("don't")]);
        assert_eq!(lowers("Troops don’t"), [owned("troops"), owned("don't")]);
        assert_eq!(lowers("ÜBER so\u{AD}ft"), [owned("über"), owned("soft")]);
        assert_eq!(lowers("rock'n' x'5 a400m"), [borrowed("rock'n"), borrowed("x"), borrowed("a400m")]);
    }

    #[test]
    fn parse_numerals() {
        assert_eq!(parse_numeral("5,200"), Some(Rational::from_int(5200)));
        assert_eq!(parse_numeral("1,200.5"), Rational::new(2401, 2));
        assert_eq!(parse_numeral("500"), Some(Rational::from_int(500)));
        for bad in ["", "5,20", "5,2000", ",500", "1234,567", "1.", ".", "1,,2", "a", "1.2.3"] {
            assert_eq!(parse_numeral(bad), None, "{bad}");
        }
    }

    #[test]
    fn words() {
        assert_eq!(small_number_word("twelve"), Some(12));
        assert_eq!(small_number_word("ninety"), Some(90));
        assert_eq!(small_number_word("one"), None);
        assert_eq!(unit_word("one"), Some(1));
        assert_eq!(unit_word("ten"), None);
        assert_eq!(scale_word("billion"), Rational::pow10(9));
        assert_eq!(plural_scale("dozens"), Some(Rational::from_int(12)));
        assert_eq!(suffix_scale("m", false), None);
        assert_eq!(suffix_scale("m", true), Rational::pow10(6));
        assert!(is_unit_suffix("km") && !is_unit_suffix("G") && !is_unit_suffix("K"));
        assert!(is_ordinal_suffix("ND") && !is_ordinal_suffix("s"));
    }
}
