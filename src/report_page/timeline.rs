//! One quantity key's figures as an SVG timeline: each figure is a box
//! spanning its as-of period (x) and its value interval (y), coloured by
//! outlet, outlined when a finding applies, linking to its row in the
//! key's table. Geometry only; floats are fine here (pixels, not values).

use std::fmt::Write as _;

use super::escape::push_html;
use crate::factcheck::{FactCheck, FigureClaim, KeyInfo, Verdict};
use crate::quantity::{Bound, Rational};

/// A key draws at most this many figures (those with a verdict other than
/// `consistent` first, the rest sampled evenly); its table lists them all.
pub const MAX_MARKS: usize = 300;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 150.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 22.0;
/// The height of a mark for a single value.
const MIN_MARK: f64 = 6.0;

/// Twelve colours that stay apart for the usual colour blindnesses
/// (Tableau 10 and two more), by outlet rank; outlets beyond share grey.
pub const PALETTE: [&str; 12] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#e15759", "#8cd17d",
    "#499894", "#d4a6c8",
];
pub const OTHER_COLOUR: &str = "#9a9a9a";

pub fn outlet_colour(outlet: Option<usize>) -> &'static str {
    outlet.and_then(|o| PALETTE.get(o)).copied().unwrap_or(OTHER_COLOUR)
}

fn to_f64(r: Rational) -> f64 {
    r.numer() as f64 / r.denom() as f64
}

/// The figures a key draws: indices into `FactCheck::figures`.
pub fn drawn(fact_check: &FactCheck, key: &KeyInfo) -> Vec<usize> {
    if key.figures.len() <= MAX_MARKS {
        return key.figures.clone();
    }
    let (flagged, rest): (Vec<usize>, Vec<usize>) =
        key.figures.iter().partition(|&&f| fact_check.figures[f].verdict != Verdict::Consistent);
    let mut chosen: Vec<usize> = flagged.into_iter().take(MAX_MARKS).collect();
    let room = MAX_MARKS - chosen.len();
    if room > 0 {
        let step = rest.len() as f64 / room as f64;
        chosen.extend((0..room).map(|i| rest[((i as f64 * step) as usize).min(rest.len() - 1)]));
    }
    chosen.sort_unstable();
    chosen.dedup();
    chosen
}

struct Scale {
    from: f64,
    to: f64,
    pixels_from: f64,
    pixels_to: f64,
}

impl Scale {
    fn at(&self, v: f64) -> f64 {
        let t = if self.to > self.from { (v - self.from) / (self.to - self.from) } else { 0.5 };
        self.pixels_from + t.clamp(0.0, 1.0) * (self.pixels_to - self.pixels_from)
    }
}

/// The range a set of values is drawn over, padded so no box sits on an edge.
fn padded(lo: f64, hi: f64, minimum_pad: f64) -> (f64, f64) {
    let pad = ((hi - lo) * 0.08).max(minimum_pad);
    (lo - pad, hi + pad)
}

/// Writes the key's SVG; `attrs(figure)` gives each mark's link (`href`,
/// to its table row or its file) and filter attributes.
pub fn render(out: &mut String, fact_check: &FactCheck, key: &KeyInfo, attrs: impl Fn(usize) -> String) {
    let figures: Vec<usize> = drawn(fact_check, key);
    let at = |i: usize| -> &FigureClaim { &fact_check.figures[i] };
    // x: days; y: values. Unbounded ends and undated figures reach the edge.
    let days = figures
        .iter()
        .filter_map(|&i| at(i).period)
        .flat_map(|p| [p.start.days_since_epoch(), p.end.days_since_epoch() + 1]);
    let (day_lo, day_hi) = match (days.clone().min(), days.max()) {
        (Some(lo), Some(hi)) => (lo as f64, hi as f64),
        _ => (0.0, 1.0),
    };
    let values = figures.iter().flat_map(|&i| [at(i).interval.lower.value(), at(i).interval.upper.value()]).flatten();
    let (value_lo, value_hi) = match (values.clone().min(), values.max()) {
        (Some(lo), Some(hi)) => (to_f64(lo), to_f64(hi)),
        _ => (0.0, 1.0),
    };
    let (day_lo, day_hi) = padded(day_lo, day_hi, 3.0);
    let (padded_lo, value_hi) = padded(value_lo, value_hi, (value_hi.abs() * 0.1).max(1.0));
    // Counts do not go below zero: neither does their axis.
    let value_lo = if value_lo >= 0.0 { padded_lo.max(0.0) } else { padded_lo };
    let x = Scale { from: day_lo, to: day_hi, pixels_from: LEFT, pixels_to: WIDTH - RIGHT };
    let y = Scale { from: value_lo, to: value_hi, pixels_from: HEIGHT - BOTTOM, pixels_to: TOP };

    let label = format!("Timeline of {} figures for {}", figures.len(), key.key);
    out.push_str("<svg class=\"tl\" viewBox=\"0 0 720 150\" role=\"img\" aria-label=\"");
    push_html(out, &label);
    out.push_str("\">");
    axes(out, &x, &y, (day_lo, day_hi), (value_lo, value_hi));
    // Flagged figures last, so they are drawn on top.
    let mut order = figures.clone();
    order.sort_by_key(|&i| std::cmp::Reverse(at(i).verdict));
    for i in order {
        let figure = at(i);
        let (x0, x1) = match figure.period {
            Some(p) => (x.at(p.start.days_since_epoch() as f64), x.at(p.end.days_since_epoch() as f64 + 1.0)),
            None => (LEFT, WIDTH - RIGHT),
        };
        let y_of = |b: Bound, edge: f64| b.value().map_or(edge, |v| y.at(to_f64(v)));
        let (top, bottom) = (y_of(figure.interval.upper, TOP), y_of(figure.interval.lower, HEIGHT - BOTTOM));
        // A single value or day still gets a box one can see and point at.
        let (w, h) = ((x1 - x0).max(3.0), (bottom - top).max(MIN_MARK));
        let top = if bottom - top < MIN_MARK { (top + bottom - MIN_MARK) / 2.0 } else { top };
        let outlet = fact_check.outlet_index(figure.article);
        let _ = write!(out, "<a{}>", attrs(i));
        let _ = write!(
            out,
            "<rect class=\"m {}\" x=\"{x0:.1}\" y=\"{top:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>",
            figure.verdict,
            outlet_colour(outlet)
        );
        push_html(out, &mark_title(fact_check, figure));
        out.push_str("</title></rect></a>");
    }
    out.push_str("</svg>");
}

/// The tooltip of a mark: value, period, verdict, outlet, where.
fn mark_title(fact_check: &FactCheck, figure: &FigureClaim) -> String {
    let period = figure.period.map_or("undated".to_string(), |p| format!("as of {p}"));
    let outlet = fact_check.outlet_of(figure.article).unwrap_or("no outlet");
    let path = &figure.place.path;
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    format!("{} ({period}): {} · {outlet} · {file}:{}", figure.interval, figure.verdict, figure.place.line)
}

fn axes(out: &mut String, x: &Scale, y: &Scale, days: (f64, f64), values: (f64, f64)) {
    let base = HEIGHT - BOTTOM;
    let _ = write!(out, "<path class=\"ax\" d=\"M{LEFT} {TOP}V{base}H{}\"/>", WIDTH - RIGHT);
    for i in 0..=4 {
        let v = values.0 + (values.1 - values.0) * f64::from(i) / 4.0;
        let py = y.at(v);
        let _ = write!(out, "<text class=\"yt\" x=\"{}\" y=\"{:.1}\">{}</text>", LEFT - 4.0, py + 3.0, number(v));
    }
    for i in 0..=3 {
        let d = days.0 + (days.1 - days.0) * f64::from(i) / 3.0;
        let px = x.at(d);
        let anchor = match i {
            0 => "start",
            3 => "end",
            _ => "middle",
        };
        let _ = write!(
            out,
            "<text class=\"xt\" x=\"{px:.1}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
            HEIGHT - 6.0,
            date_of_day(d.floor() as i64)
        );
    }
}

/// A tick label: `1,250`, `2.5`, `1.2M`.
fn number(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{:.1}B", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 100.0 {
        let rounded = v.round() as i64;
        let digits = rounded.unsigned_abs().to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        if rounded < 0 {
            format!("-{grouped}")
        } else {
            grouped
        }
    } else if a >= 10.0 || a == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn date_of_day(day: i64) -> String {
    crate::quantity::Date::new(1970, 1, 1).map(|epoch| epoch.add_days(day).to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_labels() {
        assert_eq!(number(1250.4), "1,250");
        assert_eq!(number(-1250.0), "-1,250");
        assert_eq!(number(2.54), "2.5");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(1_200_000.0), "1.2M");
        assert_eq!(date_of_day(0), "1970-01-01");
        assert_eq!(date_of_day(18305), "2020-02-13");
    }
}
