//! Reading the value stated in a figure's text (SPEC 2.4).

use super::interval::{Interval, Tolerance};
use super::phrase::{phrases, Class};
use std::ops::Range;

/// A value read from text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    /// The interval the phrase states.
    pub interval: Interval,
    /// Byte range in the input of the phrase that was read, e.g. `about 500`.
    pub range: Range<usize>,
}

/// Reads the first value phrase in `text`.
///
/// Years, dates, times, ordinals, decades and identifiers (`2020`, `Feb. 13`,
/// `5pm`, `21st`, `1990s`, `F-16`) are skipped; when the text holds nothing
/// else, a year-like number is read after all (`[1900 troops]`). Returns
/// `None` when no readable value is found (including numerals too large to
/// read).
pub fn read_value(text: &str, tolerance: Tolerance) -> Option<Reading> {
    // One pass: the first figure with a value, else the first such year
    // (no vector of the phrases; reading stops at that figure).
    let mut year = None;
    for p in phrases(text, tolerance) {
        let Some(interval) = p.interval else { continue };
        match p.class {
            Class::Figure => return Some(Reading { interval, range: p.start..p.end }),
            Class::Year if year.is_none() => year = Some(Reading { interval, range: p.start..p.end }),
            _ => {}
        }
    }
    year
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::interval::Bound;
    use crate::quantity::rational::Rational;

    /// `(interval as displayed, phrase read)`.
    fn rv(text: &str) -> Option<(String, String)> {
        let r = read_value(text, Tolerance::default())?;
        assert!(text.is_char_boundary(r.range.start) && text.is_char_boundary(r.range.end));
        Some((r.interval.to_string(), text[r.range].to_string()))
    }

    fn val(text: &str) -> String {
        match rv(text) {
            Some((iv, _)) => iv,
            None => "none".to_string(),
        }
    }

    fn n(i: i64) -> Rational {
        Rational::from_int(i)
    }

    #[track_caller]
    fn check(cases: &[(&str, &str)]) {
        for (text, want) in cases {
            assert_eq!(val(text), *want, "reading {text:?}");
        }
    }

    #[test]
    fn plain_numerals() {
        check(&[
            ("500", "500"),
            ("500 troops", "500"),
            ("5,200", "5200"),
            ("1.5", "1.5"),
            ("1,200.5", "1200.5"),
            ("1,234,567 people", "1234567"),
            (".5 per cent", "0.5"),
            ("0", "0"),
        ]);
        assert_eq!(rv("they sent 500 troops"), Some(("500".into(), "500".into())));
    }

    #[test]
    fn approximate_qualifiers() {
        check(&[
            ("about 500", "[450, 550]"),
            ("around 500", "[450, 550]"),
            ("roughly 500", "[450, 550]"),
            ("approximately 500", "[450, 550]"),
            ("approx. 500", "[450, 550]"),
            ("some 500", "[450, 550]"),
            ("~500", "[450, 550]"),
            ("~ 500", "[450, 550]"),
            ("≈500", "[450, 550]"),
            ("circa 500", "[450, 550]"),
            ("c. 500", "[450, 550]"),
            ("ca. 500", "[450, 550]"),
            ("an estimated 500", "[450, 550]"),
            ("close to 500", "[450, 550]"),
            ("in the region of 500", "[450, 550]"),
            ("500 or so", "[450, 550]"),
            ("500-odd", "[450, 550]"),
            ("About 500", "[450, 550]"),
            ("ABOUT 500", "[450, 550]"),
            ("about 945", "[850.5, 1039.5]"),
        ]);
        assert_eq!(rv("about 500 troops"), Some(("[450, 550]".into(), "about 500".into())));
    }

    #[test]
    fn bounding_qualifiers() {
        check(&[
            ("nearly 500", "[450, 500]"),
            ("almost 500", "[450, 500]"),
            ("at least 500", "[500, ∞)"),
            ("no fewer than 500", "[500, ∞)"),
            ("no less than 500", "[500, ∞)"),
            ("a minimum of 500", "[500, ∞)"),
            ("500 or more", "[500, ∞)"),
            ("500+", "[500, ∞)"),
            ("500-plus", "[500, ∞)"),
            (">=500", "[500, ∞)"),
            ("≥500", "[500, ∞)"),
            ("more than 500", "(500, ∞)"),
            ("over 500", "(500, ∞)"),
            ("above 500", "(500, ∞)"),
            ("in excess of 500", "(500, ∞)"),
            ("upwards of 500", "(500, ∞)"),
            ("well over 500", "(500, ∞)"),
            (">500", "(500, ∞)"),
            ("up to 500", "[0, 500]"),
            ("at most 500", "[0, 500]"),
            ("no more than 500", "[0, 500]"),
            ("as many as 500", "[0, 500]"),
            ("500 or fewer", "[0, 500]"),
            ("500 or less", "[0, 500]"),
            ("<=500", "[0, 500]"),
            ("fewer than 500", "[0, 500)"),
            ("less than 500", "[0, 500)"),
            ("under 500", "[0, 500)"),
            ("below 500", "[0, 500)"),
            ("<500", "[0, 500)"),
            ("just over 500", "(500, 550]"),
            ("slightly more than 500", "(500, 550]"),
            ("just under 500", "[450, 500)"),
            ("just shy of 500", "[450, 500)"),
        ]);
    }

    #[test]
    fn ranges() {
        check(&[
            ("4,000 or 5,000", "[4000, 5000]"),
            ("4,000 to 5,000", "[4000, 5000]"),
            ("4,000-5,000", "[4000, 5000]"),
            ("4,000–5,000", "[4000, 5000]"),
            ("4,000 – 5,000", "[4000, 5000]"),
            ("4,000—5,000", "[4000, 5000]"),
            ("4,000\u{2212}5,000", "[4000, 5000]"),
            ("between 4,000 and 5,000", "[4000, 5000]"),
            ("from 4,000 to 5,000", "[4000, 5000]"),
            ("4 to 5 million", "[4000000, 5000000]"),
            ("between 4 and 5 million", "[4000000, 5000000]"),
            ("4-5 million", "[4000000, 5000000]"),
            ("4 million to 5 million", "[4000000, 5000000]"),
            ("1.5 to 2 billion", "[1500000000, 2000000000]"),
            ("900 to 1.2 million", "[900, 1200000]"),
            ("two to three hundred", "[200, 300]"),
            ("two or three", "[2, 3]"),
            ("one or two", "[1, 2]"),
            ("5,000 to 4,000", "[4000, 5000]"),
            ("5-10%", "[5, 10]"),
            ("about 4,000 to 5,000", "[3600, 5500]"),
            ("at least 4,000-5,000", "[4000, ∞)"),
        ]);
        assert_eq!(
            rv("between 4,000 and 5,000 troops"),
            Some(("[4000, 5000]".into(), "between 4,000 and 5,000".into()))
        );
    }

    #[test]
    fn scale_and_number_words() {
        check(&[
            ("1.2 million", "1200000"),
            ("5 thousand", "5000"),
            ("5-million", "5000000"),
            ("3 billion", "3000000000"),
            ("2 trillion", "2000000000000"),
            ("$2bn", "2000000000"),
            ("2bn", "2000000000"),
            ("£5m", "5000000"),
            ("$5M", "5000000"),
            ("€3k", "3000"),
            ("US$5 million", "5000000"),
            ("two", "2"),
            ("three", "3"),
            ("four", "4"),
            ("five", "5"),
            ("six", "6"),
            ("seven", "7"),
            ("eight", "8"),
            ("nine", "9"),
            ("ten", "10"),
            ("eleven", "11"),
            ("twelve", "12"),
            ("thirteen", "13"),
            ("fourteen", "14"),
            ("fifteen", "15"),
            ("sixteen", "16"),
            ("seventeen", "17"),
            ("eighteen", "18"),
            ("nineteen", "19"),
            ("twenty", "20"),
            ("twenty-five", "25"),
            ("twenty five", "25"),
            ("ninety-nine", "99"),
            ("Three hundred", "300"),
            ("three hundred and fifty", "350"),
            ("three hundred and fifty thousand", "350000"),
            ("one hundred and one", "101"),
            ("two dozen", "24"),
            ("a dozen", "12"),
            ("dozen", "12"),
            ("a hundred", "100"),
            ("an hundred", "100"),
            ("hundred", "100"),
            ("one hundred", "100"),
            ("a thousand", "1000"),
            ("one million", "1000000"),
            ("two million", "2000000"),
            ("a hundred thousand", "100000"),
            ("half a million", "500000"),
            ("half a dozen", "6"),
            ("a quarter of a million", "250000"),
            ("four score", "80"),
            ("500-strong", "500"),
            ("a 500-strong force", "500"),
            ("10%", "10"),
            ("10 per cent", "10"),
            ("10 percent", "10"),
            ("500km", "500"),
        ]);
        assert_eq!(rv("a 500-strong force"), Some(("500".into(), "500-strong".into())));
    }

    #[test]
    fn not_values() {
        check(&[
            ("a few", "none"),
            ("a few troops", "none"),
            ("several", "none"),
            ("several soldiers", "none"),
            ("a couple", "none"),
            ("many", "none"),
            ("one", "none"),
            ("no one came", "none"),
            ("score", "none"),
            ("half", "none"),
            ("scores of 500", "500"),
            ("troops", "none"),
            ("", "none"),
            ("5G", "none"),
            ("21st", "none"),
            ("the 1990s", "none"),
            ("13 February", "none"),
            ("10:30", "none"),
        ]);
    }

    #[test]
    fn vague_quantities() {
        check(&[
            ("dozens", "[24, 120)"),
            ("dozens of people", "[24, 120)"),
            ("scores of people", "[40, 200)"),
            ("tens of people", "[20, 100)"),
            ("hundreds", "[200, 1000)"),
            ("thousands", "[2000, 10000)"),
            ("millions", "[2000000, 10000000)"),
            ("billions", "[2000000000, 10000000000)"),
            ("tens of thousands", "[20000, 100000)"),
            ("hundreds of thousands", "[200000, 1000000)"),
            ("tens of millions", "[20000000, 100000000)"),
            ("hundreds of millions", "[200000000, 1000000000)"),
            ("a couple of hundred", "[200, 300)"),
            ("a couple hundred", "[200, 300)"),
            ("a couple of thousand", "[2000, 3000)"),
            ("a couple of dozen", "[24, 36)"),
            ("a few dozen", "[24, 72)"),
            ("a few hundred", "[200, 600)"),
            ("a few thousand", "[2000, 6000)"),
            ("a few hundred thousand", "[200000, 600000)"),
            ("several dozen", "[36, 120)"),
            ("several hundred", "[300, 1000)"),
            ("several thousand", "[3000, 10000)"),
            ("several million", "[3000000, 10000000)"),
            ("several tens of thousands", "[30000, 100000)"),
            ("many hundreds", "[200, 1000)"),
            ("many thousands", "[2000, 10000)"),
            ("100s", "[200, 1000)"),
            ("1,000s", "[2000, 10000)"),
            ("some hundreds", "[200, 1000)"),
            ("hundreds or thousands", "[200, 10000)"),
            ("dozens to hundreds", "[24, 1000)"),
            ("hundreds, if not thousands", "[200, 1000)"),
            ("hundreds or more", "[200, ∞)"),
            ("more than a dozen", "(12, ∞)"),
            ("over hundreds", "(200, ∞)"),
            ("at least several hundred", "[300, ∞)"),
            ("fewer than a few hundred", "[0, 600)"),
        ]);
        assert_eq!(rv("Thousands of people marched"), Some(("[2000, 10000)".into(), "Thousands".into())));
    }

    #[test]
    fn exactness() {
        let t = Tolerance::default();
        let about = read_value("about 1,200", t).unwrap().interval;
        assert_eq!(about, Interval::closed(n(1080), n(1320)));
        let more = read_value("more than 1,320", t).unwrap().interval;
        let least = read_value("at least 1,320", t).unwrap().interval;
        assert_eq!(more, Interval::greater_than(n(1320)));
        assert!(!about.overlaps(&more));
        assert!(!more.overlaps(&about));
        assert!(about.overlaps(&least));
        let nearly = read_value("nearly 500", t).unwrap().interval;
        assert!(!nearly.overlaps(&read_value("over 500", t).unwrap().interval));
        let under = read_value("under 500", t).unwrap().interval;
        assert!(!under.overlaps(&Interval::exact(n(500))));
        assert_eq!(under.lower, Bound::Inclusive(Rational::ZERO));
    }

    #[test]
    fn tolerance_is_used() {
        let t = Tolerance::parse("5%").unwrap();
        assert_eq!(read_value("about 500", t).unwrap().interval, Interval::closed(n(475), n(525)));
        assert_eq!(read_value("nearly 500", t).unwrap().interval, Interval::closed(n(475), n(500)));
        let zero = Tolerance(Rational::ZERO);
        assert_eq!(read_value("about 500", zero).unwrap().interval, Interval::exact(n(500)));
    }

    #[test]
    fn typography() {
        check(&[
            ("about\u{a0}500", "[450, 550]"),
            ("about\u{202f}500", "[450, 550]"),
            ("at\u{a0}least\u{2009}5,200", "[5200, ∞)"),
            ("“about 500”", "[450, 550]"),
            ("‘around 500’", "[450, 550]"),
            ("\"about 500\"", "[450, 550]"),
            ("4,000\u{2013}5,000", "[4000, 5000]"),
            ("4,000\u{2014}5,000", "[4000, 5000]"),
            ("500\u{2011}strong", "500"),
            ("about 500\r\n", "[450, 550]"),
            ("**about 500** troops", "[450, 550]"),
            ("约500人", "500"),
            ("🎉500🎉", "500"),
        ]);
    }

    #[test]
    fn skips_years_dates_and_codes() {
        check(&[
            ("In 2019, 500 troops", "500"),
            ("On Feb. 13, about 400", "[360, 440]"),
            ("F-16 jets: 30", "30"),
            ("COVID-19 cases: 5,000", "5000"),
            ("5G masts: 200", "200"),
            ("21st brigade, 300 soldiers", "300"),
            ("the 1990s saw 400", "400"),
            ("https://example.org/500 and 12", "12"),
            // A year-like number is read when nothing else is there.
            ("1900 troops", "1900"),
            ("about 2000 troops", "[1800, 2200]"),
            ("2,000 troops", "2000"),
        ]);
    }

    #[test]
    fn adversarial_inputs_do_not_panic() {
        for s in [
            "",
            "99999999999999999999999999999999",
            "1e400",
            ".....",
            "1,,,2",
            "-",
            "between and",
            "between 5 and",
            "from 5 to",
            "about",
            "more than",
            "~",
            ">=",
            "5 to",
            "half a",
            "a quarter of a",
            "$",
            "US$",
            "1,000,000,000,000,000,000,000,000,000,000",
            "999999999999999999 trillion trillion",
            "999999999999999999 billion billion billion",
            "999999999999999999.999999999 million",
            "tens of thousands of millions of billions",
            "hundreds of hundreds of hundreds of hundreds",
            "9999999999999999999999999999999999999999s",
            "’s 's ' ’",
            "\u{feff}\u{200b}\u{ad}",
            "5\u{301}00",
            "٥٠٠",
            "５００",
            "\0\0\0",
        ] {
            let _ = read_value(s, Tolerance::default());
            let _ = read_value(s, Tolerance(Rational::new(-5, 1).unwrap()));
        }
        assert_eq!(val("99999999999999999999999999999999"), "none");
        assert_eq!(val("1e400"), "none");
        assert_eq!(val("1,,,2"), "1");
        assert_eq!(val("999999999999999999 trillion trillion"), "none");
        assert_eq!(val("999999999999999999 billion"), "999999999999999999000000000");
    }
}
