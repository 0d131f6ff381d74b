//! The `value=` attribute of a figure.

use super::interval::{Bound, Interval, Tolerance};
use super::number::parse_numeral;
use super::rational::Rational;

const EXPECTED: &str = "expected a number, a range `450..550`, `~500` or a bound like `>=5200`";

/// Parses one number of a `value=`: thousands separators (`5,200`),
/// decimals (`1.5`), an optional minus sign and an optional trailing `%`.
fn number(s: &str, whole: &str) -> Result<Rational, String> {
    let t = s.trim();
    let t = t.strip_suffix('%').map(str::trim_end).unwrap_or(t);
    let (neg, body) = match t.strip_prefix('-').or_else(|| t.strip_prefix('\u{2212}')) {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    if body.is_empty() {
        return Err(format!("`{whole}`: {EXPECTED}"));
    }
    match parse_numeral(body) {
        Some(v) => Ok(if neg { -v } else { v }),
        None => {
            let digits = body.bytes().filter(u8::is_ascii_digit).count();
            if body.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
                && digits > 0
                && (body.contains(',') || body.contains('.'))
            {
                let (int, dec) = body.split_once('.').unwrap_or((body, ""));
                let int_digits = int.bytes().filter(u8::is_ascii_digit).count();
                if int_digits > super::rational::MAX_INT_DIGITS || dec.len() > super::rational::MAX_DEC_DIGITS {
                    return Err(format!("`{whole}`: the number `{body}` is too large or too precise"));
                }
                return Err(format!(
                    "`{whole}`: `{body}` is not a well-formed number (thousands separators group three digits, e.g. `5,200`)"
                ));
            }
            if body.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("`{whole}`: the number `{body}` is too large"));
            }
            Err(format!("`{whole}`: {EXPECTED}"))
        }
    }
}

/// Parses a `value=` attribute: `500`, `450..550`, `~500`, `>=5200`,
/// `>5200`, `<=500`, `<500` (also `≥`, `≤`, `≈`). Upper bounds start at 0:
/// `<=500` is `[0, 500]`, like `at most 500` in prose.
pub fn parse_value_attr(s: &str, tolerance: Tolerance) -> Result<Interval, String> {
    let iv = parse_inner(s.trim(), tolerance)?;
    if iv.is_empty() {
        return Err(format!("`{}` contains no value", s.trim()));
    }
    Ok(iv)
}

fn parse_inner(s: &str, tolerance: Tolerance) -> Result<Interval, String> {
    if s.is_empty() {
        return Err(format!("empty value; {EXPECTED}"));
    }
    let zero_to = |upper: Bound, v: Rational| {
        if v.is_negative() {
            Interval::new(Bound::Unbounded, upper)
        } else {
            Interval::new(Bound::Inclusive(Rational::ZERO), upper)
        }
    };
    let ops: [(&str, u8); 9] =
        [(">=", 0), ("≥", 0), ("=>", 0), ("<=", 1), ("≤", 1), ("=<", 1), (">", 2), ("<", 3), ("~", 4)];
    for (op, kind) in ops {
        if let Some(rest) = s.strip_prefix(op) {
            let v = number(rest, s)?;
            return Ok(match kind {
                0 => Interval::at_least(v),
                1 => zero_to(Bound::Inclusive(v), v),
                2 => Interval::greater_than(v),
                3 => zero_to(Bound::Exclusive(v), v),
                _ => tolerance.approx(v).ok_or_else(|| format!("`{s}`: the number is too large"))?,
            });
        }
    }
    if let Some(rest) = s.strip_prefix('≈') {
        let v = number(rest, s)?;
        return tolerance.approx(v).ok_or_else(|| format!("`{s}`: the number is too large"));
    }
    if let Some((a, b)) = s.split_once("..") {
        if a.trim().is_empty() || b.trim().is_empty() {
            return Err(format!(
                "`{s}`: a range needs both ends, like `450..550`; for an open bound write `>=450` or `<=550`"
            ));
        }
        let (va, vb) = (number(a, s)?, number(b, s)?);
        if va > vb {
            return Err(format!("`{s}` is reversed; write the smaller number first: `{}..{}`", b.trim(), a.trim()));
        }
        return Ok(Interval::closed(va, vb));
    }
    if s.contains(['–', '—']) || s.chars().skip(1).any(|c| c == '-') {
        return Err(format!("`{s}`: write a range with two dots, like `450..550`"));
    }
    Ok(Interval::exact(number(s, s)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(i: i64) -> Rational {
        Rational::from_int(i)
    }

    fn v(s: &str) -> Result<Interval, String> {
        parse_value_attr(s, Tolerance::default())
    }

    #[test]
    fn forms() {
        assert_eq!(v("500"), Ok(Interval::exact(n(500))));
        assert_eq!(v("5,200"), Ok(Interval::exact(n(5200))));
        assert_eq!(v("1.5"), Ok(Interval::exact(Rational::new(3, 2).unwrap())));
        assert_eq!(v("1,200.5"), Ok(Interval::exact(Rational::new(2401, 2).unwrap())));
        assert_eq!(v(" 500 "), Ok(Interval::exact(n(500))));
        assert_eq!(v("450..550"), Ok(Interval::closed(n(450), n(550))));
        assert_eq!(v("4,000..5,000"), Ok(Interval::closed(n(4000), n(5000))));
        assert_eq!(v("500..500"), Ok(Interval::exact(n(500))));
        assert_eq!(v("~500"), Ok(Interval::closed(n(450), n(550))));
        assert_eq!(v("~1,200"), Ok(Interval::closed(n(1080), n(1320))));
        assert_eq!(v("≈500"), Ok(Interval::closed(n(450), n(550))));
        assert_eq!(v(">=5200"), Ok(Interval::at_least(n(5200))));
        assert_eq!(v("≥5,200"), Ok(Interval::at_least(n(5200))));
        assert_eq!(v(">5200"), Ok(Interval::greater_than(n(5200))));
        assert_eq!(v("<=500"), Ok(Interval::closed(n(0), n(500))));
        assert_eq!(v("≤500"), Ok(Interval::closed(n(0), n(500))));
        assert_eq!(v("<500"), Ok(Interval::half_open(n(0), n(500))));
        assert_eq!(v("> 5200"), Ok(Interval::greater_than(n(5200))));
        assert_eq!(v("10%"), Ok(Interval::exact(n(10))));
        assert_eq!(v("-5"), Ok(Interval::exact(n(-5))));
        assert_eq!(v("-5..5"), Ok(Interval::closed(n(-5), n(5))));
        assert_eq!(v("<-5"), Ok(Interval::new(Bound::Unbounded, Bound::Exclusive(n(-5)))));
        assert_eq!(v("~-100"), Ok(Interval::closed(n(-110), n(-90))));
        let t = Tolerance::parse("5%").unwrap();
        assert_eq!(parse_value_attr("~500", t), Ok(Interval::closed(n(475), n(525))));
    }

    #[test]
    fn exactness() {
        let about = v("~1,200").unwrap();
        assert!(!about.overlaps(&v(">1320").unwrap()));
        assert!(about.overlaps(&v(">=1320").unwrap()));
    }

    #[test]
    fn errors() {
        let e = v("550..450").unwrap_err();
        assert!(e.contains("reversed"), "{e}");
        let e = v("abc").unwrap_err();
        assert!(e.contains("expected a number"), "{e}");
        let e = v("").unwrap_err();
        assert!(e.contains("expected a number"), "{e}");
        let e = v("450-550").unwrap_err();
        assert!(e.contains("450..550"), "{e}");
        let e = v("5,20").unwrap_err();
        assert!(e.contains("well-formed"), "{e}");
        let e = v("99999999999999999999999999999999").unwrap_err();
        assert!(e.contains("too large"), "{e}");
        for bad in [
            "..",
            "450..",
            "..550",
            "1..2..3",
            "~",
            ">=",
            ">",
            "<",
            "<=",
            "~~500",
            "500 troops",
            "five",
            "1e5",
            "0x10",
            "-",
            "--5",
            "1,,,2",
            ".....",
            "1.2.3",
            "NaN",
            "inf",
            "∞",
            ">=abc",
            "450...550",
            "<0",
            "<-0",
            "1.",
            ".5..",
            "5..-",
            "4,000–5,000",
            "½",
        ] {
            assert!(v(bad).is_err(), "{bad}");
        }
    }
}
