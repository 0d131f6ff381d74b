//! Reading quantities: value intervals from prose and from `value=`, as-of
//! periods from `asof=`, and bare numbers for the `unannotated-figure` hint.
//!
//! This module is pure: it knows nothing of the parser or of LSP. All byte
//! ranges it returns lie on `char` boundaries of the input, all arithmetic is
//! exact ([`Rational`]) and checked, and no input makes it panic.
//!
//! User-facing reference: `docs/quantities.md`.

mod bare;
mod interval;
mod number;
mod period;
mod phrase;
mod rational;
mod reader;
mod value_attr;
mod window;

pub use bare::{bare_numbers, bare_numbers_near};
pub use interval::{Bound, Interval, Tolerance};
pub use number::parse_numeral;
pub use period::{parse_asof, Date, Period};
pub use rational::{parse_decimal, Rational};
pub use reader::{read_value, Reading};
pub use value_attr::parse_value_attr;

/// The xorshift generator of the randomized tests in this module: the
/// same seed, the same texts, on every machine.
#[cfg(test)]
pub(crate) struct TestRng(pub u64);

#[cfg(test)]
impl TestRng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n`.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    const PIECES: &[&str] = &[
        "about ",
        "nearly ",
        "at least ",
        "more than ",
        "up to ",
        "fewer than ",
        "between ",
        " and ",
        " to ",
        " or ",
        "-",
        "–",
        "—",
        "−",
        "~",
        ">=",
        "<",
        "+",
        "%",
        "$",
        "£",
        "US$",
        "500",
        "5,200",
        "1.5",
        "1,200.5",
        ".5",
        "2020",
        "2020-02-13",
        "2020-02",
        "13",
        "31",
        "Feb.",
        "February",
        "May",
        "million",
        "thousand",
        "hundred",
        "dozen",
        "dozens",
        "hundreds",
        "thousands",
        "tens of",
        "a few",
        "several",
        "a couple of",
        "half a",
        "a quarter of a",
        "twenty",
        "-five",
        "two",
        "one",
        "a",
        "an",
        "of",
        "st",
        "th",
        "s",
        "'s",
        "’",
        "G",
        "km",
        "bn",
        "m",
        "F-",
        "COVID-",
        "#",
        "^",
        "@",
        "_",
        "/",
        ":",
        ".",
        ",",
        "\n",
        "\r\n",
        " ",
        "\u{a0}",
        "\u{200b}",
        "\u{ad}",
        "约",
        "人",
        "🎉",
        "é",
        "\u{301}",
        "https://x.org/",
        "www.",
        "1.",
        "1)",
        "No.",
        "Article ",
        "p.m.",
        "o'clock",
        "99999999999999999999",
        "0000000000000000000001",
        "0.0000000001",
        "9",
        "0",
        "strong",
        "plus",
        "odd",
        "so",
        "more",
        "per cent",
        "’80s",
        "1990s",
    ];

    use super::TestRng as Rng;

    fn random_text(rng: &mut Rng) -> String {
        let mut s = String::new();
        let len = rng.next() % 24;
        for _ in 0..len {
            let r = rng.next();
            match r % 7 {
                0 => {
                    let c = char::from_u32((rng.next() % 0x11_0000) as u32).unwrap_or('x');
                    s.push(c);
                }
                _ => s.push_str(PIECES[(r as usize / 7) % PIECES.len()]),
            }
        }
        s
    }

    fn exercise(s: &str) {
        let t = Tolerance::default();
        if let Some(r) = read_value(s, t) {
            assert!(s.is_char_boundary(r.range.start) && s.is_char_boundary(r.range.end));
            assert!(!r.interval.is_empty(), "{s:?} read as empty {}", r.interval);
            let _ = r.interval.to_string();
        }
        for r in bare_numbers(s) {
            assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end), "{s:?}");
            let _ = read_value(&s[r], t);
        }
        let _ = parse_value_attr(s, t);
        let _ = parse_asof(s);
        let _ = parse_decimal(s);
        let _ = parse_numeral(s);
        let _ = Tolerance::parse(s);
        let _ = Date::parse_iso(s);
    }

    #[test]
    fn random_inputs_do_not_panic() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..10_000 {
            let s = random_text(&mut rng);
            exercise(&s);
        }
    }

    #[test]
    fn long_inputs_are_linear() {
        let unit = [
            "about 1,200 troops, ",
            "1,",
            "between between ",
            "a couple of ",
            "hundreds of ",
            "9",
            "-",
            "https://x",
            "F-16 ",
            "Feb. 13 ",
        ];
        for u in unit {
            let small = u.repeat(500);
            let big = u.repeat(5_000);
            // The fastest of three runs: a busy machine can pre-empt any one run,
            // but not make a linear scan look quadratic three times over.
            let fastest = |text: &str| {
                (0..3)
                    .map(|_| {
                        let started = Instant::now();
                        exercise(text);
                        started.elapsed()
                    })
                    .min()
                    .unwrap()
            };
            let d_small = fastest(&small);
            let d_big = fastest(&big);
            // Ten times the input must not take a hundred times as long.
            assert!(d_big < d_small * 40 + Duration::from_millis(200), "{u:?}: {d_small:?} vs {d_big:?}");
        }
    }
}
