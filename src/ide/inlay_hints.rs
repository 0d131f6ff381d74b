//! Inlay hints: what the checker reads, shown without hovering.
//!
//! After each figure (after its own citation, when it has one): the value
//! interval and the as-of period it is compared with, compactly —
//! `≈ 1,080–1,320 · Jan 13–Feb 13 2020`, `= 500 · 2019`, `> 500 · …`.
//! After the closing mark of a quote's text: `— Jens Stoltenberg`, when
//! `by=` names a defined entity. A figure whose value cannot be read gets
//! no hint: its diagnostic already says so.

use super::lookup::{block_of, definitions, field};
use crate::quantity::{Bound, Date, Interval, Period, Rational};
use crate::syntax::TextRange;
use crate::workspace::analysis::Figure;
use crate::workspace::{FileId, Namespace, Workspace};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InlayHintKind {
    Figure,
    Speaker,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the hint is shown: the text after it follows the hint.
    pub offset: usize,
    pub label: String,
    pub kind: InlayHintKind,
    /// Markdown: the reading in full, and where the period comes from.
    pub tooltip: String,
}

/// Which kinds of hint the user wants (settings `inlayHints.figures` and
/// `inlayHints.speakers`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InlayHintConfig {
    pub figures: bool,
    pub speakers: bool,
}

impl Default for InlayHintConfig {
    fn default() -> Self {
        InlayHintConfig { figures: true, speakers: true }
    }
}

/// The hints whose position lies in `range`, in text order.
pub fn inlay_hints(workspace: &Workspace, file: FileId, range: TextRange, config: InlayHintConfig) -> Vec<InlayHint> {
    let Some(entry) = workspace.file(file) else { return Vec::new() };
    let analysis = &entry.analysis;
    let syntax = &*entry.syntax();
    let mut hints = Vec::new();
    if config.figures {
        for figure in &analysis.figures {
            let Some(span) = syntax.spans.get(figure.span) else { continue };
            let end = match span.citation().and_then(|c| syntax.citations.get(c)) {
                Some(citation) => citation.range.end(),
                None => span.range.end(),
            };
            let from_asof = syntax.attr(&entry.text, span, "asof").is_some();
            hints.push(InlayHint {
                offset: end,
                label: figure_label(figure),
                kind: InlayHintKind::Figure,
                tooltip: figure_tooltip(figure, from_asof, workspace.config().window_days),
            });
        }
    }
    if config.speakers {
        for quote in &analysis.quotes {
            let Some(span) = syntax.spans.get(quote.span) else { continue };
            let Some(name) = speaker_name(workspace, workspace.name(quote.speaker.name)) else { continue };
            hints.push(InlayHint {
                offset: span.text_range.end(),
                label: format!("— {name}"),
                kind: InlayHintKind::Speaker,
                tooltip: format!("Attributed by `by={}`", workspace.name(quote.speaker.name)),
            });
        }
    }
    hints.retain(|h| range.start() <= h.offset && h.offset <= range.end());
    hints.sort_by_key(|h| (h.offset, h.kind == InlayHintKind::Figure));
    hints
}

/// The defined entity's `name:`, else its id; None when no block defines it.
fn speaker_name(workspace: &Workspace, id: &str) -> Option<String> {
    let defs = definitions(workspace, Namespace::Entity, id);
    let (_, entry, definition) = defs.first()?;
    let name = block_of(entry, definition).and_then(|b| field(b, "name"));
    Some(name.unwrap_or(id).to_string())
}

fn figure_label(figure: &Figure) -> String {
    let period = figure.period.map_or_else(|| "undated".to_string(), |p| compact_period(&p));
    format!("{} · {period}", compact_interval(&figure.interval))
}

fn figure_tooltip(figure: &Figure, from_asof: bool, window_days: u32) -> String {
    let period = match (figure.period, from_asof) {
        (Some(p), true) => format!("as of {p} (`asof=`)"),
        (Some(p), false) => format!("as of {p} (the {window_days} days up to `published`)"),
        (None, _) => "undated: no `asof=` and no `published` date, so compared with every period".to_string(),
    };
    format!("Read as `{}`, {period}", figure.interval)
}

/// `= 500`, `≈ 1,080–1,320`, `> 500`, `≥ 5,200`, `< 500`, `≤ 500`.
///
/// Counts are never negative, so a lower end of exactly 0 (`up to 500` is
/// [0, 500]) is shown as `≤ 500`. Two finite ends with an open one keep
/// interval brackets (`[450, 550)`), the only way to say it exactly.
pub(crate) fn compact_interval(interval: &Interval) -> String {
    if let Some(v) = interval.as_exact() {
        return format!("= {}", number(v));
    }
    if interval.is_empty() {
        return "∅".to_string();
    }
    let no_lower = match interval.lower {
        Bound::Unbounded => true,
        Bound::Inclusive(v) => v.is_zero() && interval.upper != Bound::Unbounded,
        Bound::Exclusive(_) => false,
    };
    match (interval.lower, interval.upper) {
        (_, Bound::Unbounded) if no_lower => "any value".to_string(),
        (Bound::Inclusive(a), Bound::Unbounded) => format!("≥ {}", number(a)),
        (Bound::Exclusive(a), Bound::Unbounded) => format!("> {}", number(a)),
        (_, Bound::Inclusive(b)) if no_lower => format!("≤ {}", number(b)),
        (_, Bound::Exclusive(b)) if no_lower => format!("< {}", number(b)),
        (Bound::Inclusive(a), Bound::Inclusive(b)) => format!("≈ {}–{}", number(a), number(b)),
        (lower, upper) => {
            let open = if matches!(lower, Bound::Inclusive(_)) { '[' } else { '(' };
            let close = if matches!(upper, Bound::Inclusive(_)) { ']' } else { ')' };
            let (a, b) = (lower.value().map(number).unwrap_or_default(), upper.value().map(number).unwrap_or_default());
            format!("{open}{a}, {b}{close}")
        }
    }
}

/// `1,080`, `472.5`, `1,234.25`, `-5`; a fraction that is no decimal as `1/3`.
fn number(v: Rational) -> String {
    let plain = v.to_string();
    if plain.contains('/') {
        return plain;
    }
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (digits, None),
    };
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(frac) => format!("{sign}{grouped}.{frac}"),
        None => format!("{sign}{grouped}"),
    }
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn month_name(d: Date) -> &'static str {
    MONTHS.get(usize::from(d.month).wrapping_sub(1)).copied().unwrap_or("?")
}

fn is_month_start(d: Date) -> bool {
    d.day == 1
}

fn is_month_end(d: Date) -> bool {
    d == d.month_end()
}

/// `Feb 13 2020`, `Feb 2020`, `2019`, `Feb 2–13 2020`, `Jan 13–Feb 13 2020`,
/// `Dec 15 2019–Jan 14 2020`, `Jan–Mar 2020`, `Nov 2019–Feb 2020`, `2019–2020`.
pub(crate) fn compact_period(p: &Period) -> String {
    let (s, e) = (p.start, p.end);
    if s > e {
        return format!("{s}..{e}");
    }
    let whole_months = is_month_start(s) && is_month_end(e);
    let whole_years = whole_months && s.month == 1 && e.month == 12;
    if whole_years {
        return if s.year == e.year { format!("{}", s.year) } else { format!("{}–{}", s.year, e.year) };
    }
    if whole_months {
        return match (s.year == e.year, s.month == e.month) {
            (true, true) => format!("{} {}", month_name(s), s.year),
            (true, false) => format!("{}–{} {}", month_name(s), month_name(e), s.year),
            _ => format!("{} {}–{} {}", month_name(s), s.year, month_name(e), e.year),
        };
    }
    if s == e {
        return format!("{} {} {}", month_name(s), s.day, s.year);
    }
    match (s.year == e.year, s.month == e.month) {
        (true, true) => format!("{} {}–{} {}", month_name(s), s.day, e.day, s.year),
        (true, false) => format!("{} {}–{} {} {}", month_name(s), s.day, month_name(e), e.day, s.year),
        _ => format!("{} {} {}–{} {} {}", month_name(s), s.day, s.year, month_name(e), e.day, e.year),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{fixture, world, Fixture};
    use super::*;
    use crate::quantity::parse_asof;

    /// Each hint as `line:col label`, with the text just before it, so a
    /// test shows where it sits.
    fn show(f: &Fixture, config: InlayHintConfig) -> Vec<String> {
        let len = f.text(f.file).len();
        inlay_hints(&f.workspace, f.file, TextRange::new(0, len), config)
            .iter()
            .map(|h| {
                let text = f.text(f.file);
                let before: String =
                    text[..h.offset].chars().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
                let (line, col) = super::super::fixture::line_col(text, h.offset);
                format!("{line}:{col} …{before}| {}", h.label)
            })
            .collect()
    }

    #[test]
    fn figures_and_speakers_in_an_article() {
        let f = world("[about 500 troops]$0");
        assert_eq!(
            show(&f, InlayHintConfig::default()),
            [
                "12:175 …ra. 4]| ≈ 450–550 · Jan 13–Feb 13 2020",
                "14:68 …come,”| — Jens Stoltenberg",
                "16:90 …02-12]| ≈ 540–660 · 2019",
            ]
        );
    }

    #[test]
    fn each_kind_can_be_switched_off() {
        let f = world("[about 500 troops]$0");
        let figures = show(&f, InlayHintConfig { figures: true, speakers: false });
        assert_eq!(figures.len(), 2);
        assert!(figures.iter().all(|h| !h.contains('—')), "{figures:?}");
        let speakers = show(&f, InlayHintConfig { figures: false, speakers: true });
        assert_eq!(speakers, ["14:68 …come,”| — Jens Stoltenberg"]);
        assert!(show(&f, InlayHintConfig { figures: false, speakers: false }).is_empty());
    }

    #[test]
    fn every_shape_of_interval() {
        let f = fixture(
            "---\nid: a\npublished: 2024-03-04\n---\n\n[500]{fig=k} [about 1,200]{fig=k} [more than 500]{fig=k} \
             [at least 5,200]{fig=k} [fewer than 500]{fig=k} [up to 500]{fig=k} [x]{fig=k value=\"450..550\"} \
             [1.5 million]{fig=k} [472.5]{fig=k}\n",
        );
        let labels: Vec<String> =
            inlay_hints(&f.workspace, f.file, TextRange::new(0, f.text(f.file).len()), InlayHintConfig::default())
                .into_iter()
                .map(|h| h.label)
                .collect();
        let period = "Feb 2–Mar 4 2024";
        let expected: Vec<String> =
            ["= 500", "≈ 1,080–1,320", "> 500", "≥ 5,200", "< 500", "≤ 500", "≈ 450–550", "= 1,500,000", "= 472.5"]
                .iter()
                .map(|v| format!("{v} · {period}"))
                .collect();
        assert_eq!(labels, expected);
    }

    #[test]
    fn compact_periods() {
        let cases = [
            ("2020", "2020"),
            ("2019..2020", "2019–2020"),
            ("2020-02", "Feb 2020"),
            ("2020-01..2020-03", "Jan–Mar 2020"),
            ("2019-11..2020-02", "Nov 2019–Feb 2020"),
            ("2020-02-13", "Feb 13 2020"),
            ("2020-02-02..2020-02-13", "Feb 2–13 2020"),
            ("2019-12-15..2020-01-14", "Dec 15 2019–Jan 14 2020"),
        ];
        for (asof, shown) in cases {
            let period = parse_asof(asof).expect(asof);
            assert_eq!(compact_period(&period), shown, "{asof}");
        }
    }

    #[test]
    fn odd_intervals_keep_their_brackets() {
        let n = Rational::from_int;
        assert_eq!(compact_interval(&Interval::half_open(n(450), n(550))), "[450, 550)");
        assert_eq!(compact_interval(&Interval::new(Bound::Unbounded, Bound::Unbounded)), "any value");
        assert_eq!(compact_interval(&Interval::closed(n(-5), n(-1))), "≈ -5–-1");
        assert_eq!(compact_interval(&Interval::exact(Rational::new(1, 3).unwrap())), "= 1/3");
    }

    #[test]
    fn no_hint_for_unreadable_figures_or_unknown_speakers() {
        let f = fixture("[many]{fig=k} [“Hi”]{by=nobody}\n");
        assert!(show(&f, InlayHintConfig::default()).is_empty());
    }

    #[test]
    fn undated_figures_and_speakers_without_a_name() {
        let f = fixture("[5]{fig=k} [“Hi”]{by=x}\n::: entity x\n:::\n");
        assert_eq!(show(&f, InlayHintConfig::default()), ["1:11 …fig=k}| = 5 · undated", "1:17 … [“Hi”| — x"]);
    }

    #[test]
    fn only_hints_in_the_range_asked_for() {
        let f = world("[about 500 troops]$0");
        let text = f.text(f.file);
        let line_16 = text.find("In 2019").unwrap();
        let hints = inlay_hints(&f.workspace, f.file, TextRange::new(line_16, text.len()), InlayHintConfig::default());
        assert_eq!(hints.len(), 1);
        assert!(hints[0].tooltip.starts_with("Read as `[540, 660]`, as of 2019 (`asof=`)"), "{}", hints[0].tooltip);
    }

    #[test]
    fn positions_after_emoji_and_cjk() {
        let f = fixture("🎉 北约 [约500人]{fig=k} [“好”]{by=x}\n::: entity x\nname: 习\n:::\n");
        let hints =
            inlay_hints(&f.workspace, f.file, TextRange::new(0, f.text(f.file).len()), InlayHintConfig::default());
        let text = f.text(f.file);
        let ends: Vec<&str> = hints.iter().map(|h| &text[..h.offset]).collect();
        assert_eq!(ends, ["🎉 北约 [约500人]{fig=k}", "🎉 北约 [约500人]{fig=k} [“好”"]);
    }
}
