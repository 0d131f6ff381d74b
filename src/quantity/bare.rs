//! Finding bare numeric figures in prose, for the `unannotated-figure` hint.
//!
//! A bare figure is a numeral written with ASCII digits, together with the
//! words that make up its value: qualifier, currency sign, scale word,
//! percent, range (`around 400`, `$5 million`, `at least 5,200`,
//! `4,000–5,000`, `10 per cent`).
//!
//! Not flagged:
//! - number words (`two`, `a dozen`, `hundreds`): too common in prose;
//! - years: a plain four-digit integer 1800–2100 without separators
//!   (`2020`, `in 1990-2000`), also with a qualifier (`around 2020`);
//! - dates: a day 1–31 next to a capitalised month name (`Feb. 13`,
//!   `February 13, 2020`, `13 February`, `13-14 May`), ISO dates and
//!   year-months (`2020-02-13`, `2020-02`, `2019-20`), slashed dates
//!   (`13/02/2020`, `9/11`);
//! - times: `10:30`, `5pm`, `5 p.m.`, `1400 GMT`, `10 o'clock`;
//! - ordinals (`1st`, `21st`, `3rd`, `4th`) and decades (`1990s`, `'80s`);
//! - identifiers: digits joined to letters (`5G`, `A400M`, `K1`, `4K`),
//!   after a word and a hyphen (`F-16`, `COVID-19`), after `#`, `^`, `@`,
//!   `_`, `/`, `\`, `&`, `.`, `=` (`#1`, `[^1]`), with a leading zero (`007`),
//!   dotted sequences (`1.2.3`, `192.168.0.1`), and numbers labelled by the
//!   word before them (`Article 5`, `Flight 370`, `No. 10`, `Windows 10`);
//! - anything inside a URL (`https://…`, `www.…`);
//! - a Markdown list marker (`1.` or `1)` at the start of a line).
//!
//! Scanning is linear in the length of the text. [`bare_numbers_near`]
//! reads only the prose around the numerals the reader found
//! (`super::window` says why that finds the same figures).

use super::interval::Tolerance;
use super::phrase::{phrases, Class};
use super::window::windows;
use std::ops::Range;

/// Byte ranges of the numeric figures in plain prose (see the module docs
/// for what is and is not flagged). Ranges are in order, do not overlap and
/// lie on `char` boundaries.
pub fn bare_numbers(text: &str) -> Vec<Range<usize>> {
    // Only numerals written with ASCII digits are flagged, so prose without
    // one has nothing to find: most runs between spans are skipped unscanned.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    phrases(text, Tolerance::default())
        .filter(|p| p.class == Class::Figure && p.has_digits)
        .map(|p| p.start..p.end)
        .collect()
}

/// [`bare_numbers`] of `text`, reading only the windows of prose around
/// `numerals`: the byte offsets, in order, of (at least) the first digit of
/// every run of ASCII digits in `text`, as the reader records them.
pub fn bare_numbers_near(text: &str, numerals: impl IntoIterator<Item = usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for window in windows(text, numerals) {
        let figures = phrases(&text[window.clone()], Tolerance::default())
            .filter(|p| p.class == Class::Figure && p.has_digits)
            .map(|p| window.start + p.start..window.start + p.end);
        out.extend(figures);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let ranges = bare_numbers(text);
        for r in &ranges {
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            assert!(r.start < r.end);
        }
        for w in ranges.windows(2) {
            assert!(w[0].end <= w[1].start);
        }
        ranges.into_iter().map(|r| &text[r]).collect()
    }

    /// The first byte of every run of ASCII digits, as the reader notes them.
    fn digit_runs(text: &str) -> Vec<usize> {
        let b = text.as_bytes();
        (0..b.len()).filter(|&i| b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit())).collect()
    }

    /// The windowed finder against the whole-text scan, its oracle.
    fn assert_near_is_whole(text: &str) {
        let whole = bare_numbers(text);
        let near = bare_numbers_near(text, digit_runs(text));
        assert_eq!(near, whole, "windows {:?} of {text:?}", windows(text, digit_runs(text)));
    }

    #[test]
    fn scanning_near_numerals_finds_what_the_whole_scan_finds() {
        // The grammar's words, numerals and signs, words no rule reads
        // (the barriers windows are cut at, some capitalised or followed by
        // punctuation), the context rules look at (labels, months, times,
        // line starts, URLs, hyphens), joined by spaces or by nothing.
        let mut vocabulary = super::super::phrase::grammar_vocabulary();
        vocabulary.extend([
            "troops",
            "Troops",
            "troops,",
            "said.",
            "(people)",
            "x86",
            "A400M",
            "then",
            "\n",
            "\n1.",
            "1)",
            "2.",
            "No.",
            "No",
            "p.",
            "Feb",
            "March",
            "13",
            "31",
            "o'clock",
            "o’clock",
            "p.m.",
            "GMT",
            "https://x.org/5",
            "www.x.com",
            "F",
            "F-",
            "-16",
            "#",
            "&#53;",
            "/",
            "_",
            "'",
            "’80s",
            "COVID",
            "Article",
            "Part",
            "per cent",
            "-strong",
            "-plus",
            "-odd",
            "-million",
            "US$",
            "£",
            "½",
            "0.5",
            ".5",
            "007",
            "1.2.3",
            "2020-02-13",
            "9/11",
            "5pm",
            "1,000s",
            "100s",
            "a few",
            "tens of",
            "«",
            "约",
            "人",
            "\u{a0}",
            "—",
            "–",
            "~",
            ">=",
        ]);
        let separators = [" ", " ", " ", "", "\n", "\u{a0}", "  "];
        let mut rng = super::super::TestRng(0x9e37_79b9_7f4a_7c15_u64);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..40_000 {
            let mut text = String::new();
            for k in 0..1 + next(16) {
                if k > 0 {
                    text.push_str(separators[next(separators.len())]);
                }
                text.push_str(vocabulary[next(vocabulary.len())]);
            }
            assert_near_is_whole(&text);
        }
        // The text of every seed, fixture and fuzz-corpus input, whole and
        // line by line (a plain run is often one line, or part of one).
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("seeds")];
        for parent in ["tests/fixtures", "fuzz/corpus"] {
            dirs.extend(std::fs::read_dir(root.join(parent)).unwrap().map(|e| e.unwrap().path()));
        }
        let mut files = 0;
        for dir in dirs {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
                    assert_near_is_whole(&text);
                    for line in text.lines() {
                        assert_near_is_whole(line);
                    }
                    files += 1;
                }
            }
        }
        assert!(files > 1000, "{files}");
    }

    #[test]
    fn flags_figures_with_their_phrase() {
        assert_eq!(found("around 400 troops"), ["around 400"]);
        assert_eq!(found("there are 5,200 of them"), ["5,200"]);
        assert_eq!(found("1.2 million people"), ["1.2 million"]);
        assert_eq!(found("at least 5,200 troops"), ["at least 5,200"]);
        assert_eq!(found("between 4,000 and 5,000"), ["between 4,000 and 5,000"]);
        assert_eq!(found("4,000–5,000 troops"), ["4,000–5,000"]);
        assert_eq!(found("4 to 5 million"), ["4 to 5 million"]);
        assert_eq!(found("a 500-strong force"), ["500-strong"]);
        assert_eq!(found("up 10% on the year"), ["10%"]);
        assert_eq!(found("up 10 per cent"), ["10 per cent"]);
        assert_eq!(found("it cost $5 million"), ["$5 million"]);
        assert_eq!(found("about $5bn"), ["about $5bn"]);
        assert_eq!(found("500+ people"), ["500+"]);
        assert_eq!(found("500 or more"), ["500 or more"]);
        assert_eq!(found("1,000s of people"), ["1,000s"]);
        assert_eq!(found("a 500km border"), ["500km"]);
        assert_eq!(found("5 people and 7 dogs"), ["5", "7"]);
        assert_eq!(found("In 2019, 500 troops"), ["500"]);
        assert_eq!(found("in 2020 500 troops"), ["500"]);
        assert_eq!(found("3,000 in 2020"), ["3,000"]);
        assert_eq!(found("$2,000"), ["$2,000"]);
        assert_eq!(found("2,020 troops"), ["2,020"]);
        assert_eq!(found("2000%"), ["2000%"]);
        assert_eq!(found("99999999999999999999999999"), ["99999999999999999999999999"]);
    }

    #[test]
    fn number_words_are_not_flagged() {
        assert!(found("two soldiers and a dozen civilians").is_empty());
        assert!(found("hundreds of people, several thousand").is_empty());
        assert!(found("three hundred and fifty thousand").is_empty());
    }

    #[test]
    fn years_are_not_flagged() {
        for s in [
            "in 2020",
            "NATO 2030",
            "from 1990 to 2000",
            "1990-2000",
            "between 2019 and 2020",
            "around 2020",
            "1800",
            "2100",
        ] {
            assert!(found(s).is_empty(), "{s}");
        }
        assert_eq!(found("1799 and 2101"), ["1799", "2101"]);
    }

    #[test]
    fn dates_and_times_are_not_flagged() {
        for s in [
            "Feb. 13",
            "on Feb. 13, 2020",
            "February 13, 2020",
            "13 February",
            "13 February 2020",
            "the 13th of February",
            "Feb. 13-14",
            "13-14 May",
            "May 5",
            "2020-02-13",
            "2020-02",
            "the 2019-20 season",
            "13/02/2020",
            "9/11",
            "10:30",
            "at 10:30:15",
            "5pm",
            "5 p.m.",
            "10 am",
            "1400 GMT",
            "10 o'clock",
            "10 o’clock",
        ] {
            assert!(found(s).is_empty(), "{s}: {:?}", found(s));
        }
        // A number above 31 next to a month is a figure.
        assert_eq!(found("In March 500 troops"), ["500"]);
    }

    #[test]
    fn ordinals_and_decades_are_not_flagged() {
        for s in ["1st", "21st", "2nd", "3rd", "4th", "11TH", "the 1990s", "the ’80s", "1990's"] {
            assert!(found(s).is_empty(), "{s}");
        }
    }

    #[test]
    fn identifiers_are_not_flagged() {
        for s in [
            "5G",
            "F-16",
            "COVID-19",
            "Covid 19",
            "K1",
            "A400M",
            "4K",
            "3M",
            "B-52s",
            "G20",
            "x86",
            "mp3",
            "Su-57",
            "#1",
            "[^1]",
            "&#8212;",
            "file_2",
            "007",
            "v1.2.3",
            "192.168.0.1",
            "1e400",
            "Article 5",
            "article 5",
            "Resolution 2334",
            "Flight 370",
            "No. 10",
            "No 10 Downing Street",
            "p. 4",
            "Windows 10",
            "Boeing 737",
            "Part 2",
        ] {
            assert!(found(s).is_empty(), "{s}: {:?}", found(s));
        }
        // Lower-case "part" and "no" without a full stop are ordinary words.
        assert_eq!(found("no 10 troops"), ["10"]);
    }

    #[test]
    fn urls_are_not_flagged() {
        assert!(found("see https://example.org/2020/500/12 now").is_empty());
        assert!(found("(http://x.org/a?id=42)").is_empty());
        assert!(found("www.example.com/500").is_empty());
        assert_eq!(found("https://x.org/1 and 12 more"), ["12"]);
    }

    #[test]
    fn list_markers_are_not_flagged() {
        assert!(found("1. First item").is_empty());
        assert_eq!(found("intro\n2) second item with 30 people"), ["30"]);
        assert_eq!(found("It was 12. Then"), ["12"]);
    }

    #[test]
    fn unicode_around_numbers() {
        assert_eq!(found("约500人"), ["500"]);
        assert_eq!(found("🎉500🎉 and 😀12"), ["500", "12"]);
        assert_eq!(found("«about 500»"), ["about 500"]);
        assert_eq!(found("“around 400”"), ["around 400"]);
        assert_eq!(found("über 500 Menschen"), ["500"]);
        assert_eq!(found("about\u{a0}500"), ["about\u{a0}500"]);
        assert_eq!(found("４００ and ٥٠٠"), Vec::<&str>::new());
        assert_eq!(found("5\u{301}"), Vec::<&str>::new());
        assert_eq!(found("中国有14亿人"), ["14"]);
        assert_eq!(found("𝟓 𝟎 and 7"), ["7"]);
    }

    #[test]
    fn adversarial() {
        for s in ["", "-", ".....", "1,,,2", "between and", "$", "%", "~", "..5", "5..", "–5"] {
            let _ = found(s);
        }
        assert_eq!(found("1,,,2"), ["1", "2"]);
        assert_eq!(found("....."), Vec::<&str>::new());
    }
}
