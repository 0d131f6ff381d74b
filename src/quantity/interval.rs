//! Value intervals with open, closed or unbounded ends, and the tolerance used
//! by approximate qualifiers.

use super::rational::{parse_decimal, Rational};
use std::cmp::Ordering;
use std::fmt;

/// One end of an [`Interval`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// No limit on this side (−∞ for a lower bound, +∞ for an upper bound).
    Unbounded,
    /// The end value belongs to the interval.
    Inclusive(Rational),
    /// The end value does not belong to the interval.
    Exclusive(Rational),
}

impl Bound {
    /// The end value, if any.
    pub fn value(&self) -> Option<Rational> {
        match *self {
            Bound::Unbounded => None,
            Bound::Inclusive(v) | Bound::Exclusive(v) => Some(v),
        }
    }

    fn map(self, f: impl FnOnce(Rational) -> Option<Rational>) -> Option<Bound> {
        Some(match self {
            Bound::Unbounded => Bound::Unbounded,
            Bound::Inclusive(v) => Bound::Inclusive(f(v)?),
            Bound::Exclusive(v) => Bound::Exclusive(f(v)?),
        })
    }
}

/// Orders two lower bounds: the "larger" one is the tighter (more restrictive).
fn cmp_lower(a: &Bound, b: &Bound) -> Ordering {
    match (a, b) {
        (Bound::Unbounded, Bound::Unbounded) => Ordering::Equal,
        (Bound::Unbounded, _) => Ordering::Less,
        (_, Bound::Unbounded) => Ordering::Greater,
        _ => {
            let (x, y) = (a.value(), b.value());
            match x.cmp(&y) {
                Ordering::Equal => match (a, b) {
                    (Bound::Exclusive(_), Bound::Inclusive(_)) => Ordering::Greater,
                    (Bound::Inclusive(_), Bound::Exclusive(_)) => Ordering::Less,
                    _ => Ordering::Equal,
                },
                o => o,
            }
        }
    }
}

/// Orders two upper bounds: the "smaller" one is the tighter.
fn cmp_upper(a: &Bound, b: &Bound) -> Ordering {
    match (a, b) {
        (Bound::Unbounded, Bound::Unbounded) => Ordering::Equal,
        (Bound::Unbounded, _) => Ordering::Greater,
        (_, Bound::Unbounded) => Ordering::Less,
        _ => {
            let (x, y) = (a.value(), b.value());
            match x.cmp(&y) {
                Ordering::Equal => match (a, b) {
                    (Bound::Exclusive(_), Bound::Inclusive(_)) => Ordering::Less,
                    (Bound::Inclusive(_), Bound::Exclusive(_)) => Ordering::Greater,
                    _ => Ordering::Equal,
                },
                o => o,
            }
        }
    }
}

/// A set of real numbers between two [`Bound`]s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    /// The lower end (`Unbounded` = −∞).
    pub lower: Bound,
    /// The upper end (`Unbounded` = +∞).
    pub upper: Bound,
}

impl Interval {
    /// An interval from its two ends.
    pub fn new(lower: Bound, upper: Bound) -> Self {
        Interval { lower, upper }
    }

    /// The single value `v`, i.e. `[v, v]`.
    pub fn exact(v: Rational) -> Self {
        Interval::new(Bound::Inclusive(v), Bound::Inclusive(v))
    }

    /// `[a, b]`.
    pub fn closed(a: Rational, b: Rational) -> Self {
        Interval::new(Bound::Inclusive(a), Bound::Inclusive(b))
    }

    /// `[a, b)`.
    pub fn half_open(a: Rational, b: Rational) -> Self {
        Interval::new(Bound::Inclusive(a), Bound::Exclusive(b))
    }

    /// `[a, ∞)`.
    pub fn at_least(a: Rational) -> Self {
        Interval::new(Bound::Inclusive(a), Bound::Unbounded)
    }

    /// `(a, ∞)`.
    pub fn greater_than(a: Rational) -> Self {
        Interval::new(Bound::Exclusive(a), Bound::Unbounded)
    }

    /// The value when the interval is a single point.
    pub fn as_exact(&self) -> Option<Rational> {
        match (self.lower, self.upper) {
            (Bound::Inclusive(a), Bound::Inclusive(b)) if a == b => Some(a),
            _ => None,
        }
    }

    /// Whether no real number lies in the interval.
    pub fn is_empty(&self) -> bool {
        match (self.lower, self.upper) {
            (Bound::Unbounded, _) | (_, Bound::Unbounded) => false,
            (Bound::Inclusive(a), Bound::Inclusive(b)) => a > b,
            (l, u) => match (l.value(), u.value()) {
                (Some(a), Some(b)) => a >= b,
                _ => false,
            },
        }
    }

    /// The numbers in both intervals (possibly empty).
    pub fn intersection(&self, other: &Interval) -> Interval {
        let lower = if cmp_lower(&self.lower, &other.lower) == Ordering::Less { other.lower } else { self.lower };
        let upper = if cmp_upper(&self.upper, &other.upper) == Ordering::Greater { other.upper } else { self.upper };
        Interval { lower, upper }
    }

    /// The smallest interval containing both.
    pub fn hull(&self, other: &Interval) -> Interval {
        let lower = if cmp_lower(&self.lower, &other.lower) == Ordering::Greater { other.lower } else { self.lower };
        let upper = if cmp_upper(&self.upper, &other.upper) == Ordering::Less { other.upper } else { self.upper };
        Interval { lower, upper }
    }

    /// Whether the two intervals share at least one real number. Open and
    /// closed ends are respected exactly: `[1080, 1320]` and `(1320, ∞)` do
    /// not overlap, `[1080, 1320]` and `[1320, ∞)` do.
    pub fn overlaps(&self, other: &Interval) -> bool {
        !self.is_empty() && !other.is_empty() && !self.intersection(other).is_empty()
    }

    /// Whether `v` lies in the interval.
    pub fn contains(&self, v: Rational) -> bool {
        self.overlaps(&Interval::exact(v))
    }

    /// Applies `f` to each finite end; `None` if `f` fails.
    pub fn map_bounds(&self, f: impl Fn(Rational) -> Option<Rational>) -> Option<Interval> {
        Some(Interval { lower: self.lower.map(&f)?, upper: self.upper.map(&f)? })
    }

    /// Whether every finite end lies within `[-limit, limit]`.
    pub fn within(&self, limit: Rational) -> bool {
        [self.lower.value(), self.upper.value()].into_iter().flatten().all(|v| v.abs() <= limit)
    }
}

impl fmt::Display for Interval {
    /// `500` for a single point, otherwise `[1080, 1320]`, `(500, ∞)`,
    /// `[0, 500)`, `(-∞, 500]`; `∅` when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(v) = self.as_exact() {
            return write!(f, "{v}");
        }
        if self.is_empty() {
            return write!(f, "∅");
        }
        match self.lower {
            Bound::Unbounded => write!(f, "(-∞")?,
            Bound::Inclusive(v) => write!(f, "[{v}")?,
            Bound::Exclusive(v) => write!(f, "({v}")?,
        }
        match self.upper {
            Bound::Unbounded => write!(f, ", ∞)"),
            Bound::Inclusive(v) => write!(f, ", {v}]"),
            Bound::Exclusive(v) => write!(f, ", {v})"),
        }
    }
}

/// The relative tolerance `t` of approximate qualifiers (`about 500` is
/// `[500·(1−t), 500·(1+t)]`). Defaults to `0.1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tolerance(pub Rational);

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance(Rational::new(1, 10).unwrap_or(Rational::ZERO))
    }
}

impl Tolerance {
    /// Parses `"0.1"` or `"10%"` (spaces around are ignored). The result must
    /// lie in `[0, 1]`.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let v = match s.strip_suffix('%') {
            Some(p) => parse_decimal(p.trim())?.checked_div(Rational::from_int(100))?,
            None => parse_decimal(s)?,
        };
        if v.is_negative() || v > Rational::ONE {
            return None;
        }
        Some(Tolerance(v))
    }

    /// `|v|·t`.
    fn delta(&self, v: Rational) -> Option<Rational> {
        v.abs().checked_mul(self.0)
    }

    /// `v − |v|·t`.
    pub fn below(&self, v: Rational) -> Option<Rational> {
        v.checked_sub(self.delta(v)?)
    }

    /// `v + |v|·t`.
    pub fn above(&self, v: Rational) -> Option<Rational> {
        v.checked_add(self.delta(v)?)
    }

    /// `[v − |v|·t, v + |v|·t]` (for `v ≥ 0`: `[v·(1−t), v·(1+t)]`).
    pub fn approx(&self, v: Rational) -> Option<Interval> {
        let (a, b) = (self.below(v)?, self.above(v)?);
        Some(Interval::closed(a.min(b), a.max(b)))
    }
}

impl fmt::Display for Tolerance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.checked_mul(Rational::from_int(100)) {
            Some(p) => write!(f, "{p}%"),
            None => write!(f, "{}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(i: i64) -> Rational {
        Rational::from_int(i)
    }

    #[test]
    fn emptiness() {
        assert!(!Interval::exact(n(5)).is_empty());
        assert!(Interval::closed(n(6), n(5)).is_empty());
        assert!(Interval::half_open(n(5), n(5)).is_empty());
        assert!(Interval::new(Bound::Exclusive(n(5)), Bound::Inclusive(n(5))).is_empty());
        assert!(!Interval::new(Bound::Unbounded, Bound::Unbounded).is_empty());
        assert!(!Interval::greater_than(n(5)).is_empty());
    }

    #[test]
    fn exactness_at_the_tolerance_bound() {
        let about = Tolerance::default().approx(n(1200)).unwrap();
        assert_eq!(about, Interval::closed(n(1080), n(1320)));
        assert!(!about.overlaps(&Interval::greater_than(n(1320))));
        assert!(about.overlaps(&Interval::at_least(n(1320))));
        assert!(!Interval::greater_than(n(1320)).overlaps(&about));
        assert!(Interval::at_least(n(1320)).overlaps(&about));
    }

    #[test]
    fn overlaps_respect_open_ends() {
        let a = Interval::half_open(n(0), n(500));
        assert!(!a.overlaps(&Interval::exact(n(500))));
        assert!(a.overlaps(&Interval::exact(n(499))));
        assert!(a.overlaps(&Interval::closed(n(400), n(600))));
        assert!(!a.overlaps(&Interval::at_least(n(500))));
        assert!(!Interval::greater_than(n(5)).overlaps(&Interval::closed(n(1), n(5))));
        assert!(Interval::closed(n(1), n(5)).overlaps(&Interval::closed(n(5), n(9))));
        let r = Rational::new(1, 3).unwrap();
        assert!(Interval::greater_than(r).overlaps(&Interval::exact(Rational::new(34, 100).unwrap())));
        assert!(!Interval::closed(n(6), n(5)).overlaps(&Interval::closed(n(0), n(10))));
        assert!(Interval::exact(n(5)).contains(n(5)));
        assert!(!Interval::greater_than(n(5)).contains(n(5)));
    }

    #[test]
    fn hull_and_intersection() {
        let a = Interval::closed(n(1), n(5));
        let b = Interval::half_open(n(3), n(9));
        assert_eq!(a.intersection(&b), Interval::closed(n(3), n(5)));
        assert_eq!(a.hull(&b), Interval::half_open(n(1), n(9)));
    }

    #[test]
    fn display() {
        assert_eq!(Interval::exact(n(500)).to_string(), "500");
        assert_eq!(Interval::closed(n(1080), n(1320)).to_string(), "[1080, 1320]");
        assert_eq!(Interval::greater_than(n(500)).to_string(), "(500, ∞)");
        assert_eq!(Interval::half_open(n(0), n(500)).to_string(), "[0, 500)");
        assert_eq!(Interval::at_least(n(5200)).to_string(), "[5200, ∞)");
        assert_eq!(Interval::new(Bound::Unbounded, Bound::Inclusive(n(5))).to_string(), "(-∞, 5]");
        let half = Rational::new(945, 2).unwrap();
        assert_eq!(Interval::closed(half, n(550)).to_string(), "[472.5, 550]");
        assert_eq!(Interval::closed(n(6), n(5)).to_string(), "∅");
    }

    #[test]
    fn tolerance() {
        let tenth = Rational::new(1, 10).unwrap();
        assert_eq!(Tolerance::default(), Tolerance(tenth));
        assert_eq!(Tolerance::parse("0.1"), Some(Tolerance(tenth)));
        assert_eq!(Tolerance::parse("10%"), Some(Tolerance(tenth)));
        assert_eq!(Tolerance::parse(" 10 % "), Some(Tolerance(tenth)));
        assert_eq!(Tolerance::parse("0"), Some(Tolerance(Rational::ZERO)));
        assert_eq!(Tolerance::parse("100%"), Some(Tolerance(Rational::ONE)));
        assert_eq!(Tolerance::parse("2.5%"), Some(Tolerance(Rational::new(1, 40).unwrap())));
        for bad in ["", "%", "-0.1", "1.5", "150%", "ten", "0.1.", "1e-1"] {
            assert_eq!(Tolerance::parse(bad), None, "{bad}");
        }
        assert_eq!(Tolerance::default().to_string(), "10%");
        let t = Tolerance::parse("0.05").unwrap();
        assert_eq!(t.approx(n(500)), Some(Interval::closed(n(475), n(525))));
        assert_eq!(Tolerance::default().approx(n(-100)), Some(Interval::closed(n(-110), n(-90))));
    }
}
