//! Exact rational arithmetic for value intervals.
//!
//! Every bound of an [`Interval`](super::Interval) is a [`Rational`]: an `i128`
//! numerator over a positive `i128` denominator, always in lowest terms. There
//! are no floating-point numbers anywhere, so `about 1,200` with a 10 %
//! tolerance is exactly `[1080, 1320]`.
//!
//! All arithmetic is checked: an operation that would overflow returns `None`
//! instead of panicking or wrapping.

use std::cmp::Ordering;
use std::fmt;

/// Largest number of significant integer digits accepted in a numeral.
pub const MAX_INT_DIGITS: usize = 18;
/// Largest number of significant decimal digits accepted in a numeral.
pub const MAX_DEC_DIGITS: usize = 9;

/// An exact fraction `num / den`, normalised (`den > 0`, `gcd(|num|, den) = 1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rational {
    num: i128,
    den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    // Callers pass non-negative values that are not i128::MIN.
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

impl Rational {
    /// Zero.
    pub const ZERO: Rational = Rational { num: 0, den: 1 };
    /// One.
    pub const ONE: Rational = Rational { num: 1, den: 1 };

    /// The integer `i`.
    pub fn from_int(i: i64) -> Self {
        Rational { num: i as i128, den: 1 }
    }

    /// `num / den` in lowest terms; `None` when `den == 0` or either part is
    /// `i128::MIN` (which cannot be negated).
    pub fn new(num: i128, den: i128) -> Option<Self> {
        if den == 0 || num == i128::MIN || den == i128::MIN {
            return None;
        }
        let (mut n, mut d) = if den < 0 { (-num, -den) } else { (num, den) };
        let g = gcd(n.abs(), d);
        if g > 1 {
            n /= g;
            d /= g;
        }
        Some(Rational { num: n, den: d })
    }

    /// The numerator (carries the sign).
    pub fn numer(&self) -> i128 {
        self.num
    }

    /// The denominator (always positive).
    pub fn denom(&self) -> i128 {
        self.den
    }

    /// Whether the value is a whole number.
    pub fn is_integer(&self) -> bool {
        self.den == 1
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.num == 0
    }

    /// Whether the value is below zero.
    pub fn is_negative(&self) -> bool {
        self.num < 0
    }

    /// Absolute value (never overflows: `i128::MIN` is never stored).
    pub fn abs(self) -> Self {
        Rational { num: self.num.abs(), den: self.den }
    }

    /// `self + o`, `None` on overflow.
    pub fn checked_add(self, o: Rational) -> Option<Rational> {
        let g = gcd(self.den, o.den);
        let a = self.num.checked_mul(o.den / g)?;
        let b = o.num.checked_mul(self.den / g)?;
        let n = a.checked_add(b)?;
        let d = (self.den / g).checked_mul(o.den)?;
        Rational::new(n, d)
    }

    /// `self - o`, `None` on overflow.
    pub fn checked_sub(self, o: Rational) -> Option<Rational> {
        self.checked_add(-o)
    }

    /// `self * o`, `None` on overflow.
    pub fn checked_mul(self, o: Rational) -> Option<Rational> {
        let g1 = gcd(self.num.abs(), o.den);
        let g2 = gcd(o.num.abs(), self.den);
        let n = (self.num / g1).checked_mul(o.num / g2)?;
        let d = (self.den / g2).checked_mul(o.den / g1)?;
        Rational::new(n, d)
    }

    /// `self / o`, `None` on division by zero or overflow.
    pub fn checked_div(self, o: Rational) -> Option<Rational> {
        if o.num == 0 {
            return None;
        }
        self.checked_mul(Rational::new(o.den, o.num)?)
    }

    /// `10^k`, `None` when it does not fit.
    pub fn pow10(k: u32) -> Option<Rational> {
        let n = 10i128.checked_pow(k)?;
        Rational::new(n, 1)
    }

    /// The smaller of two values.
    pub fn min(self, o: Rational) -> Rational {
        if o < self {
            o
        } else {
            self
        }
    }

    /// The larger of two values.
    pub fn max(self, o: Rational) -> Rational {
        if o > self {
            o
        } else {
            self
        }
    }
}

/// Compares `a/b` with `c/d` (`b, d > 0`) without any multiplication, by
/// walking the continued-fraction expansions. Cannot overflow.
fn cmp_fractions(mut a: i128, mut b: i128, mut c: i128, mut d: i128) -> Ordering {
    loop {
        let q1 = a.div_euclid(b);
        let r1 = a.rem_euclid(b);
        let q2 = c.div_euclid(d);
        let r2 = c.rem_euclid(d);
        if q1 != q2 {
            return q1.cmp(&q2);
        }
        match (r1 == 0, r2 == 0) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => {}
        }
        // r1/b vs r2/d  <=>  d/r2 vs b/r1 (all positive now).
        let (na, nb, nc, nd) = (d, r2, b, r1);
        a = na;
        b = nb;
        c = nc;
        d = nd;
    }
}

impl std::ops::Neg for Rational {
    type Output = Rational;

    /// Negation (never overflows: `i128::MIN` is never stored).
    fn neg(self) -> Rational {
        Rational { num: -self.num, den: self.den }
    }
}

impl Ord for Rational {
    fn cmp(&self, other: &Self) -> Ordering {
        if self.den == other.den {
            return self.num.cmp(&other.num);
        }
        cmp_fractions(self.num, self.den, other.num, other.den)
    }
}

impl PartialOrd for Rational {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Rational {
    /// Integers print as `1080`; terminating fractions as decimals (`472.5`);
    /// anything else as `a/b`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            return write!(f, "{}", self.num);
        }
        let mut d = self.den;
        let (mut twos, mut fives) = (0u32, 0u32);
        while d % 2 == 0 {
            d /= 2;
            twos += 1;
        }
        while d % 5 == 0 {
            d /= 5;
            fives += 1;
        }
        if d == 1 {
            let k = twos.max(fives);
            let scaled = 10i128.checked_pow(k).and_then(|p| self.num.checked_mul(p / self.den));
            if let Some(scaled) = scaled {
                let digits = scaled.unsigned_abs().to_string();
                let k = k as usize;
                let padded =
                    if digits.len() <= k { format!("{}{}", "0".repeat(k + 1 - digits.len()), digits) } else { digits };
                let (int, frac) = padded.split_at(padded.len() - k);
                let sign = if self.num < 0 { "-" } else { "" };
                return write!(f, "{sign}{int}.{frac}");
            }
        }
        write!(f, "{}/{}", self.num, self.den)
    }
}

/// Builds the value of a numeral from its integer digits and its decimal
/// digits (ASCII digits only, no separators). `None` when a part is not all
/// digits, both parts are empty, or the numeral exceeds the caps
/// ([`MAX_INT_DIGITS`] significant integer digits, [`MAX_DEC_DIGITS`]
/// significant decimal digits).
pub fn numeral_value(int_digits: &str, dec_digits: &str) -> Option<Rational> {
    if int_digits.is_empty() && dec_digits.is_empty() {
        return None;
    }
    if !int_digits.bytes().all(|b| b.is_ascii_digit()) || !dec_digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let int = int_digits.trim_start_matches('0');
    let dec = dec_digits.trim_end_matches('0');
    if int.len() > MAX_INT_DIGITS || dec.len() > MAX_DEC_DIGITS {
        return None;
    }
    let mut n: i128 = 0;
    for b in int.bytes().chain(dec.bytes()) {
        n = n.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
    }
    let den = 10i128.checked_pow(dec.len() as u32)?;
    Rational::new(n, den)
}

/// Parses a plain decimal: an optional `-`, digits, and optionally `.` and more
/// digits (`"500"`, `"1.5"`, `"0.10"`). No thousands separators, no exponent.
pub fn parse_decimal(s: &str) -> Option<Rational> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, dec) = match body.split_once('.') {
        Some((i, d)) => {
            if d.is_empty() || i.is_empty() {
                return None;
            }
            (i, d)
        }
        None => (body, ""),
    };
    if int.is_empty() {
        return None;
    }
    let v = numeral_value(int, dec)?;
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i128, d: i128) -> Rational {
        Rational::new(n, d).unwrap()
    }

    #[test]
    fn normalises() {
        assert_eq!(r(2, 4), r(1, 2));
        assert_eq!(r(-2, -4), r(1, 2));
        assert_eq!(r(2, -4), r(-1, 2));
        assert_eq!(r(0, 7), Rational::ZERO);
        assert_eq!(r(0, -7).denom(), 1);
        assert!(Rational::new(1, 0).is_none());
        assert!(Rational::new(i128::MIN, 1).is_none());
        assert!(Rational::new(1, i128::MIN).is_none());
    }

    #[test]
    fn arithmetic() {
        assert_eq!(r(1, 2).checked_add(r(1, 3)), Some(r(5, 6)));
        assert_eq!(r(1, 2).checked_sub(r(1, 3)), Some(r(1, 6)));
        assert_eq!(r(2, 3).checked_mul(r(9, 4)), Some(r(3, 2)));
        assert_eq!(r(2, 3).checked_div(r(4, 9)), Some(r(3, 2)));
        assert_eq!(r(2, 3).checked_div(Rational::ZERO), None);
        let big = r(i128::MAX, 1);
        assert_eq!(big.checked_add(Rational::ONE), None);
        assert_eq!(big.checked_mul(r(2, 1)), None);
        assert_eq!(big.checked_mul(r(1, 2)), Some(r(i128::MAX, 2)));
        assert_eq!(r(1200, 1).checked_mul(r(9, 10)), Some(r(1080, 1)));
        assert_eq!(Rational::pow10(3), Some(r(1000, 1)));
        assert_eq!(Rational::pow10(60), None);
    }

    #[test]
    fn ordering() {
        assert!(r(1, 3) < r(1, 2));
        assert!(r(-1, 2) < r(-1, 3));
        assert!(r(-1, 2) < r(1, 3));
        assert!(r(7, 3) > r(9, 4));
        assert_eq!(r(6, 4).cmp(&r(3, 2)), Ordering::Equal);
        // No overflow even for huge parts.
        let a = r(i128::MAX, i128::MAX - 1);
        let b = r(i128::MAX - 1, i128::MAX - 2);
        assert!(a < b);
        assert!(r(i128::MAX, 1) > r(i128::MAX - 1, 1));
        assert!(r(-i128::MAX, 3) < r(-i128::MAX, 5));
        assert_eq!(r(5, 1).max(r(3, 1)), r(5, 1));
        assert_eq!(r(5, 1).min(r(3, 1)), r(3, 1));
    }

    #[test]
    fn display() {
        assert_eq!(Rational::from_int(1080).to_string(), "1080");
        assert_eq!(r(3, 2).to_string(), "1.5");
        assert_eq!(r(945, 2).to_string(), "472.5");
        assert_eq!(r(1, 8).to_string(), "0.125");
        assert_eq!(r(-1, 20).to_string(), "-0.05");
        assert_eq!(r(1, 3).to_string(), "1/3");
        assert_eq!(r(-7, 6).to_string(), "-7/6");
        assert_eq!(r(1, 1 << 100).to_string(), format!("1/{}", 1i128 << 100));
    }

    #[test]
    fn decimals() {
        assert_eq!(parse_decimal("500"), Some(r(500, 1)));
        assert_eq!(parse_decimal("0.10"), Some(r(1, 10)));
        assert_eq!(parse_decimal("1.5"), Some(r(3, 2)));
        assert_eq!(parse_decimal("-2.25"), Some(r(-9, 4)));
        assert_eq!(parse_decimal("000123"), Some(r(123, 1)));
        assert_eq!(parse_decimal("1.000000000000000"), Some(r(1, 1)));
        assert_eq!(parse_decimal("999999999999999999"), Some(r(999999999999999999, 1)));
        for bad in [
            "",
            "-",
            ".",
            "1.",
            ".5",
            "1e5",
            "1,000",
            "abc",
            "1.2.3",
            "+1",
            "--1",
            "9999999999999999999",
            "0.1234567891",
            "99999999999999999999999999999999",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }
}
