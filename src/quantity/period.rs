//! Calendar dates, as-of periods (`asof=`) and the default window.

use std::fmt;

/// A day of the proleptic Gregorian calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// Whether `year` has a 29 February.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in a month (0 for a month outside 1–12).
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Days from 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// Inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m as u8, d as u8)
}

/// Dates are clamped to years −1,000,000 … 1,000,000 by [`Date::add_days`].
const MIN_YEAR: i64 = -1_000_000;
const MAX_YEAR: i64 = 1_000_000;

impl Date {
    /// A valid date, or `None`.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        (day >= 1 && day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (exactly), validating month and day, leap years
    /// included.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = parse_digits(&s[0..4])?;
        let month = parse_digits(&s[5..7])?;
        let day = parse_digits(&s[8..10])?;
        Date::new(year as i32, month as u8, day as u8)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        days_from_civil(i64::from(self.year), i64::from(self.month), i64::from(self.day))
    }

    /// The date `n` days later (earlier for negative `n`); saturates at
    /// years ±1,000,000.
    pub fn add_days(self, n: i64) -> Date {
        let lo = days_from_civil(MIN_YEAR, 1, 1);
        let hi = days_from_civil(MAX_YEAR, 12, 31);
        let z = self.days_since_epoch().saturating_add(n).clamp(lo, hi);
        let (y, m, d) = civil_from_days(z);
        Date { year: y as i32, month: m, day: d }
    }

    /// The first day of the date's month.
    pub fn month_start(self) -> Date {
        Date { day: 1, ..self }
    }

    /// The last day of the date's month.
    pub fn month_end(self) -> Date {
        Date { day: days_in_month(self.year, self.month).max(1), ..self }
    }
}

fn parse_digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl fmt::Display for Date {
    /// `2020-02-13`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A span of days, both ends inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    pub start: Date,
    pub end: Date,
}

impl Period {
    /// A single day.
    pub fn day(d: Date) -> Period {
        Period { start: d, end: d }
    }

    /// A whole month, `None` for a month outside 1–12.
    pub fn month(year: i32, month: u8) -> Option<Period> {
        let start = Date::new(year, month, 1)?;
        Some(Period { start, end: start.month_end() })
    }

    /// A whole year.
    pub fn year(year: i32) -> Period {
        Period { start: Date { year, month: 1, day: 1 }, end: Date { year, month: 12, day: 31 } }
    }

    /// Whether the two periods share at least one day.
    pub fn overlaps(&self, o: &Period) -> bool {
        self.start <= self.end && o.start <= o.end && self.start <= o.end && o.start <= self.end
    }

    /// Whether `d` lies in the period.
    pub fn contains(&self, d: Date) -> bool {
        self.start <= d && d <= self.end
    }

    /// `[published − window_days, published]`, both days inclusive: the
    /// default as-of period of a figure without `asof=`.
    pub fn window_before(published: Date, window_days: u32) -> Period {
        Period { start: published.add_days(-i64::from(window_days)), end: published }
    }
}

impl fmt::Display for Period {
    /// `2020-02-13` for one day, `2020-02` for a whole month, `2020` for a
    /// whole year; a range of whole years or whole months prints as
    /// `2019..2020` or `2020-01..2020-03`; otherwise `2020-01-13..2020-02-13`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (s, e) = (self.start, self.end);
        if s == e {
            return write!(f, "{s}");
        }
        if s < e {
            let whole_years = s.month == 1 && s.day == 1 && e.month == 12 && e.day == 31;
            if whole_years && s.year == e.year {
                return write!(f, "{:04}", s.year);
            }
            if whole_years {
                return write!(f, "{:04}..{:04}", s.year, e.year);
            }
            let whole_months = s.day == 1 && e.day == days_in_month(e.year, e.month);
            if whole_months && s.year == e.year && s.month == e.month {
                return write!(f, "{:04}-{:02}", s.year, s.month);
            }
            if whole_months {
                return write!(f, "{:04}-{:02}..{:04}-{:02}", s.year, s.month, e.year, e.month);
            }
        }
        write!(f, "{s}..{e}")
    }
}

const ASOF_EXPECTED: &str =
    "expected a year `2020`, a month `2020-02`, a day `2020-02-13` or a range `2020-01..2020-03`";

/// One side of an `asof=` value: a year, a month or a day, as a period.
fn parse_asof_side(s: &str) -> Result<Period, String> {
    let s = s.trim();
    let parts: Vec<&str> = s.split('-').collect();
    let bad = || format!("`{s}` is not a date; {ASOF_EXPECTED}");
    let widths: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    if !parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(bad());
    }
    let year = match (widths.first(), parts.first()) {
        (Some(4), Some(y)) => parse_digits(y).ok_or_else(bad)? as i32,
        _ => return Err(bad()),
    };
    let month = match parts.get(1) {
        None => return Ok(Period::year(year)),
        Some(m) if m.len() == 2 => parse_digits(m).ok_or_else(bad)? as u8,
        Some(_) => return Err(bad()),
    };
    if !(1..=12).contains(&month) {
        return Err(format!("month `{:02}` in `{s}` is out of range (01–12)", month));
    }
    let day = match parts.get(2) {
        None => {
            return Period::month(year, month).ok_or_else(bad);
        }
        Some(d) if d.len() == 2 && parts.len() == 3 => parse_digits(d).ok_or_else(bad)? as u8,
        Some(_) => return Err(bad()),
    };
    match Date::new(year, month, day) {
        Some(d) => Ok(Period::day(d)),
        None => Err(format!(
            "`{s}` is not a valid date: {} {year} has {} days",
            MONTH_NAMES[usize::from(month - 1)],
            days_in_month(year, month)
        )),
    }
}

/// Parses an `asof=` value: `2020`, `2020-02`, `2020-02-13`, or a range
/// `A..B` where each side is any of the three (the range runs from the start
/// of `A` to the end of `B`). Reversed ranges are rejected.
pub fn parse_asof(s: &str) -> Result<Period, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err(format!("empty as-of period; {ASOF_EXPECTED}"));
    }
    match s.split_once("..") {
        None => parse_asof_side(s),
        Some((a, b)) => {
            if a.trim().is_empty() || b.trim().is_empty() {
                return Err(format!("`{s}` is an open range; both ends are needed, {ASOF_EXPECTED}"));
            }
            let (pa, pb) = (parse_asof_side(a)?, parse_asof_side(b)?);
            if pa.start > pb.end {
                return Err(format!(
                    "reversed period `{s}`: `{}` starts after `{}` ends; write the earlier date first",
                    a.trim(),
                    b.trim()
                ));
            }
            Ok(Period { start: pa.start, end: pb.end })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    #[test]
    fn iso_dates() {
        assert_eq!(Date::parse_iso("2020-02-13"), Some(Date { year: 2020, month: 2, day: 13 }));
        assert!(Date::parse_iso("2020-02-29").is_some());
        assert!(Date::parse_iso("2000-02-29").is_some());
        assert!(Date::parse_iso("2021-02-29").is_none());
        assert!(Date::parse_iso("1900-02-29").is_none());
        assert!(Date::parse_iso("2020-04-31").is_none());
        assert!(Date::parse_iso("2020-12-31").is_some());
        for bad in [
            "",
            "2020",
            "2020-02",
            "2020-2-13",
            "2020-02-1",
            "2020/02/13",
            "2020-13-01",
            "2020-00-10",
            "2020-01-00",
            "20200-01-01",
            "２０２０-02-13",
            "2020-02-13 ",
            "+020-02-13",
            "2020-0é-1",
        ] {
            assert_eq!(Date::parse_iso(bad), None, "{bad}");
        }
        assert_eq!(d("2020-02-13").to_string(), "2020-02-13");
        assert_eq!(d("0005-01-01").to_string(), "0005-01-01");
    }

    #[test]
    fn day_arithmetic() {
        assert_eq!(d("1970-01-01").days_since_epoch(), 0);
        assert_eq!(d("1970-01-02").days_since_epoch(), 1);
        assert_eq!(d("1969-12-31").days_since_epoch(), -1);
        assert_eq!(d("2000-03-01").days_since_epoch(), 11017);
        assert_eq!(d("2020-02-13").add_days(-31), d("2020-01-13"));
        assert_eq!(d("2020-02-28").add_days(1), d("2020-02-29"));
        assert_eq!(d("2021-02-28").add_days(1), d("2021-03-01"));
        assert_eq!(d("2020-12-31").add_days(1), d("2021-01-01"));
        assert_eq!(d("2020-03-01").add_days(-1), d("2020-02-29"));
        assert_eq!(d("2020-01-01").add_days(366), d("2021-01-01"));
        // Round trip over a long stretch.
        let mut x = d("1899-12-25");
        for n in 0..3000 {
            let y = x.add_days(1);
            assert_eq!(y.days_since_epoch(), x.days_since_epoch() + 1, "{n}");
            assert!(Date::new(y.year, y.month, y.day).is_some());
            x = y;
        }
        // No panic at the extremes.
        let far = d("2020-01-01").add_days(i64::MAX);
        assert_eq!(far.year, 1_000_000);
        let past = d("2020-01-01").add_days(i64::MIN);
        assert_eq!(past.year, -1_000_000);
        let odd = Date { year: i32::MIN, month: 255, day: 255 };
        let _ = odd.days_since_epoch();
        let _ = odd.add_days(5);
        let _ = odd.to_string();
    }

    #[test]
    fn periods_overlap_when_sharing_a_day() {
        let jan = Period::month(2020, 1).unwrap();
        let feb = Period::month(2020, 2).unwrap();
        assert!(!jan.overlaps(&feb));
        let window = Period::window_before(d("2020-02-13"), 31);
        assert_eq!(window.start, d("2020-01-13"));
        assert_eq!(window.end, d("2020-02-13"));
        assert!(window.overlaps(&jan));
        assert!(window.overlaps(&feb));
        assert!(Period::day(d("2020-01-31")).overlaps(&jan));
        assert!(!Period::day(d("2020-02-01")).overlaps(&jan));
        assert!(Period::year(2020).overlaps(&Period::day(d("2020-12-31"))));
        assert!(!Period::year(2020).overlaps(&Period::day(d("2021-01-01"))));
        assert_eq!(Period::window_before(d("2020-02-13"), 0), Period::day(d("2020-02-13")));
        let w = Period::window_before(d("2020-03-01"), 1);
        assert_eq!(w.start, d("2020-02-29"));
        assert!(w.contains(d("2020-02-29")) && !w.contains(d("2020-02-28")));
    }

    #[test]
    fn display() {
        assert_eq!(Period::day(d("2020-02-13")).to_string(), "2020-02-13");
        assert_eq!(Period::month(2020, 2).unwrap().to_string(), "2020-02");
        assert_eq!(Period::year(2020).to_string(), "2020");
        assert_eq!(Period::window_before(d("2020-02-13"), 31).to_string(), "2020-01-13..2020-02-13");
        assert_eq!(parse_asof("2020-01..2020-03").unwrap().to_string(), "2020-01..2020-03");
        assert_eq!(parse_asof("2019..2020").unwrap().to_string(), "2019..2020");
        assert_eq!(parse_asof("2020-01-01..2020-01-30").unwrap().to_string(), "2020-01-01..2020-01-30");
    }

    #[test]
    fn asof_forms() {
        assert_eq!(parse_asof("2020"), Ok(Period { start: d("2020-01-01"), end: d("2020-12-31") }));
        assert_eq!(parse_asof("2020-02"), Ok(Period { start: d("2020-02-01"), end: d("2020-02-29") }));
        assert_eq!(parse_asof("2021-02").unwrap().end, d("2021-02-28"));
        assert_eq!(parse_asof("1900-02").unwrap().end, d("1900-02-28"));
        assert_eq!(parse_asof("2000-02").unwrap().end, d("2000-02-29"));
        assert_eq!(parse_asof("2020-02-13"), Ok(Period::day(d("2020-02-13"))));
        assert_eq!(parse_asof(" 2020-02-13 "), Ok(Period::day(d("2020-02-13"))));
        assert_eq!(parse_asof("2020-01..2020-03"), Ok(Period { start: d("2020-01-01"), end: d("2020-03-31") }));
        assert_eq!(parse_asof("2019..2020-02-13"), Ok(Period { start: d("2019-01-01"), end: d("2020-02-13") }));
        assert_eq!(parse_asof("2020-02-13..2020"), Ok(Period { start: d("2020-02-13"), end: d("2020-12-31") }));
        // Same day on both sides, and a coarse side that contains the other.
        assert!(parse_asof("2020-02-13..2020-02-13").is_ok());
        assert!(parse_asof("2020-03..2020").is_ok());
    }

    #[test]
    fn asof_errors() {
        let e = parse_asof("2020-03..2020-01").unwrap_err();
        assert!(e.contains("reversed"), "{e}");
        assert!(parse_asof("2021..2020").is_err());
        assert!(parse_asof("2020-02-14..2020-02-13").is_err());
        let e = parse_asof("2021-02-29").unwrap_err();
        assert!(e.contains("28 days"), "{e}");
        let e = parse_asof("2020-13").unwrap_err();
        assert!(e.contains("out of range"), "{e}");
        for bad in [
            "",
            "  ",
            "20",
            "20200",
            "2020-2",
            "2020-02-1",
            "2020-02-13-01",
            "2020/02",
            "Feb 2020",
            "2020..",
            "..2020",
            "2020...2021",
            "2020..2021..2022",
            "2020-00",
            "2020-01-32",
            "-2020",
            "2020-",
            "2020--01",
            "..",
            ".",
            "—",
            "2020–2021",
        ] {
            assert!(parse_asof(bad).is_err(), "{bad}");
        }
    }
}
