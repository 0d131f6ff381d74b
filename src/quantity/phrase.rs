//! The grammar of value phrases, shared by [`read_value`](super::read_value)
//! and [`bare_numbers`](super::bare_numbers).
//!
//! A phrase is: an optional qualifier (`about`, `at least`, `~`, …), then
//! either a range opener (`between A and B`, `from A to B`) or a core
//! quantity, optionally followed by a range connector and a second core
//! (`A to B`, `A or B`, `A-B`, `A–B`) and a postfix qualifier (`or more`,
//! `or so`, `+`). A core is an optional currency sign, a numeral or number
//! words, multiplier words (`hundred`, `dozen`, `thousand`, `million`, …), an
//! optional percent sign or word, and an optional `-strong`; or a vague
//! quantity (`hundreds`, `several thousand`, `tens of thousands`).
//!
//! Every match looks at a bounded number of tokens, so scanning a text is
//! linear in its length.

use super::interval::{Bound, Interval, Tolerance};
use super::number::{
    is_currency, is_month, is_ordinal_suffix, is_unit_suffix, lex, plural_scale, scale_word, singular_unit,
    small_multiplier, small_number_word, suffix_scale, unit_word, TokKind, Token,
};
use super::rational::Rational;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// How a qualifier turns a number into an interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Qual {
    /// `[N(1−t), N(1+t)]`
    Approx,
    /// `[N(1−t), N]`
    Nearly,
    /// `(N, N(1+t)]`
    JustOver,
    /// `[N(1−t), N)`
    JustUnder,
    /// `[N, ∞)`
    AtLeast,
    /// `(N, ∞)`
    MoreThan,
    /// `[0, N]`
    AtMost,
    /// `[0, N)`
    LessThan,
}

/// What a number phrase turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// A quantity.
    Figure,
    /// A plain four-digit integer 1800–2100.
    Year,
    /// A day of the month next to a month name.
    Date,
    /// `5pm`, `10 a.m.`, `1400 GMT`.
    Time,
    /// `1st`, `21st`, `4th`.
    Ordinal,
    /// `1990s`, `’80s`.
    Decade,
    /// Part of a name or code: `5G`, `F-16`, `COVID-19`, `Article 5`, `007`.
    Identifier,
    /// A Markdown list marker such as `1.` at the start of a line.
    ListMarker,
}

/// A number phrase found in text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Phrase {
    /// Byte range of the phrase.
    pub start: usize,
    pub end: usize,
    /// The value, `None` when it cannot be computed (numeral too large).
    pub interval: Option<Interval>,
    /// Whether the phrase contains a numeral written with digits.
    pub has_digits: bool,
    pub class: Class,
}

/// Bounds are capped at 10^30; anything larger is unreadable.
fn cap() -> Option<Rational> {
    Rational::pow10(30)
}

type Words = &'static [&'static str];

const PREFIX_QUALIFIERS: &[(Words, Qual)] = &[
    (&["about"], Qual::Approx),
    (&["around"], Qual::Approx),
    (&["roughly"], Qual::Approx),
    (&["approximately"], Qual::Approx),
    (&["approx"], Qual::Approx),
    (&["some"], Qual::Approx),
    (&["circa"], Qual::Approx),
    (&["an", "estimated"], Qual::Approx),
    (&["estimated"], Qual::Approx),
    (&["close", "to"], Qual::Approx),
    (&["in", "the", "region", "of"], Qual::Approx),
    (&["on", "the", "order", "of"], Qual::Approx),
    (&["of", "the", "order", "of"], Qual::Approx),
    (&["nearly"], Qual::Nearly),
    (&["almost"], Qual::Nearly),
    (&["not", "quite"], Qual::Nearly),
    (&["just", "over"], Qual::JustOver),
    (&["just", "above"], Qual::JustOver),
    (&["just", "more", "than"], Qual::JustOver),
    (&["just", "in", "excess", "of"], Qual::JustOver),
    (&["slightly", "over"], Qual::JustOver),
    (&["slightly", "above"], Qual::JustOver),
    (&["slightly", "more", "than"], Qual::JustOver),
    (&["a", "little", "over"], Qual::JustOver),
    (&["a", "little", "more", "than"], Qual::JustOver),
    (&["just", "under"], Qual::JustUnder),
    (&["just", "below"], Qual::JustUnder),
    (&["just", "less", "than"], Qual::JustUnder),
    (&["just", "fewer", "than"], Qual::JustUnder),
    (&["just", "shy", "of"], Qual::JustUnder),
    (&["just", "short", "of"], Qual::JustUnder),
    (&["slightly", "under"], Qual::JustUnder),
    (&["slightly", "below"], Qual::JustUnder),
    (&["slightly", "less", "than"], Qual::JustUnder),
    (&["slightly", "fewer", "than"], Qual::JustUnder),
    (&["a", "little", "under"], Qual::JustUnder),
    (&["a", "little", "less", "than"], Qual::JustUnder),
    (&["at", "least"], Qual::AtLeast),
    (&["no", "fewer", "than"], Qual::AtLeast),
    (&["no", "less", "than"], Qual::AtLeast),
    (&["not", "fewer", "than"], Qual::AtLeast),
    (&["not", "less", "than"], Qual::AtLeast),
    (&["a", "minimum", "of"], Qual::AtLeast),
    (&["more", "than"], Qual::MoreThan),
    (&["over"], Qual::MoreThan),
    (&["above"], Qual::MoreThan),
    (&["in", "excess", "of"], Qual::MoreThan),
    (&["upwards", "of"], Qual::MoreThan),
    (&["upward", "of"], Qual::MoreThan),
    (&["greater", "than"], Qual::MoreThan),
    (&["well", "over"], Qual::MoreThan),
    (&["well", "above"], Qual::MoreThan),
    (&["well", "more", "than"], Qual::MoreThan),
    (&["well", "in", "excess", "of"], Qual::MoreThan),
    (&["far", "more", "than"], Qual::MoreThan),
    (&["up", "to"], Qual::AtMost),
    (&["at", "most"], Qual::AtMost),
    (&["no", "more", "than"], Qual::AtMost),
    (&["not", "more", "than"], Qual::AtMost),
    (&["a", "maximum", "of"], Qual::AtMost),
    (&["as", "many", "as"], Qual::AtMost),
    (&["as", "much", "as"], Qual::AtMost),
    (&["fewer", "than"], Qual::LessThan),
    (&["less", "than"], Qual::LessThan),
    (&["under"], Qual::LessThan),
    (&["below"], Qual::LessThan),
    (&["well", "under"], Qual::LessThan),
    (&["well", "below"], Qual::LessThan),
    (&["far", "fewer", "than"], Qual::LessThan),
    (&["far", "less", "than"], Qual::LessThan),
];

const POSTFIX_QUALIFIERS: &[(Words, Qual)] = &[
    (&["or", "more"], Qual::AtLeast),
    (&["or", "above"], Qual::AtLeast),
    (&["or", "over"], Qual::AtLeast),
    (&["or", "higher"], Qual::AtLeast),
    (&["or", "greater"], Qual::AtLeast),
    (&["and", "above"], Qual::AtLeast),
    (&["or", "fewer"], Qual::AtMost),
    (&["or", "less"], Qual::AtMost),
    (&["or", "under"], Qual::AtMost),
    (&["or", "below"], Qual::AtMost),
    (&["or", "lower"], Qual::AtMost),
    (&["or", "so"], Qual::Approx),
];

/// Words before a number that make it a label, not a quantity (`Article 5`,
/// `Flight 370`). Matched in any case.
const LABELS: &[&str] = &[
    "article",
    "art",
    "section",
    "sec",
    "chapter",
    "ch",
    "paragraph",
    "para",
    "clause",
    "resolution",
    "flight",
    "route",
    "highway",
    "interstate",
    "room",
    "page",
    "p",
    "pp",
    "vol",
    "volume",
    "episode",
    "season",
    "phase",
    "stage",
    "tier",
    "grade",
    "category",
    "platform",
    "gate",
    "terminal",
    "apollo",
    "boeing",
    "airbus",
    "covid",
    "windows",
    "iphone",
    "version",
    "annex",
    "appendix",
    "amendment",
    "protocol",
    "regulation",
    "directive",
    "channel",
    "radio",
    "formula",
    "psalm",
    "verse",
    "no",
    "nos",
    "fig",
];

/// Label words that only count when capitalised (`Part 2`, `Level 4`).
const CAP_LABELS: &[&str] = &[
    "act", "bill", "part", "line", "level", "number", "table", "figure", "item", "rule", "zone", "building", "series",
];

/// Label abbreviations that need their full stop or a capital (`No. 10`, `p. 4`).
const DOTTED_LABELS: &[&str] = &["no", "nos", "p", "pp", "vol", "fig", "art", "sec", "ch", "para"];

const TIME_WORDS: &[&str] =
    &["am", "pm", "gmt", "utc", "bst", "cet", "cest", "est", "edt", "pst", "pdt", "hrs", "o'clock"];

/// A qualifier table grouped by first word, so that matching at a token
/// tries only the entries that start with that token's word (the tables
/// have ~70 and ~12 entries; most words start none).
struct FirstWordIndex(HashMap<&'static str, Vec<(Words, Qual)>, ahash::RandomState>);

impl FirstWordIndex {
    fn new(table: &[(Words, Qual)]) -> Self {
        let mut map: HashMap<&'static str, Vec<(Words, Qual)>, ahash::RandomState> = HashMap::default();
        for &(words, qual) in table {
            map.entry(words[0]).or_default().push((words, qual));
        }
        FirstWordIndex(map)
    }

    fn starting_with(&self, word: &str) -> &[(Words, Qual)] {
        self.0.get(word).map_or(&[], Vec::as_slice)
    }

    fn starts_with(&self, word: &str) -> bool {
        self.0.contains_key(word)
    }
}

fn prefix_index() -> &'static FirstWordIndex {
    static INDEX: OnceLock<FirstWordIndex> = OnceLock::new();
    INDEX.get_or_init(|| FirstWordIndex::new(PREFIX_QUALIFIERS))
}

fn postfix_index() -> &'static FirstWordIndex {
    static INDEX: OnceLock<FirstWordIndex> = OnceLock::new();
    INDEX.get_or_init(|| FirstWordIndex::new(POSTFIX_QUALIFIERS))
}

/// Words other than prefix qualifiers that can start a phrase: `c.`/`ca.`/
/// `approx.`/`est.`, the range openers, the currency prefixes of `US$5`,
/// the modifiers of vague quantities, `a`/`an`/`one`/`half` before a
/// multiplier. Number, multiplier and plural scale words are asked of their
/// own functions.
const OTHER_FIRST_WORDS: &[&str] = &[
    "c", "ca", "approx", "est", "between", "from", "us", "a", "au", "nz", "hk", "s", "couple", "several", "many",
    "one", "an", "half",
];

/// Words the grammar compares tokens with that none of the tables above
/// lists (the words of [`number`](super::number)'s own tables are asked of
/// its functions): modifiers, connectors, suffix words, `a.m.`'s letters.
const OTHER_GRAMMAR_WORDS: &[&str] = &[
    "a", "an", "couple", "of", "few", "several", "many", "quarter", "half", "percent", "pct", "per", "cent", "strong",
    "to", "or", "through", "thru", "between", "and", "from", "plus", "odd", "p", "m", "s",
];

/// Whether `lower` (a word token's lower-cased text) is a word that some
/// rule of the grammar compares a token with: a qualifier, label, time,
/// month, number, multiplier or scale word, connector… Any other word can
/// neither start, continue nor end a phrase, nor make a phrase beside it a
/// label, date or time: `super::window` cuts prose at such words. Held
/// complete by `grammar_words_cover_every_word_literal` below.
pub(crate) fn is_grammar_word(lower: &str) -> bool {
    static WORDS: OnceLock<HashSet<&'static str, ahash::RandomState>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        PREFIX_QUALIFIERS
            .iter()
            .chain(POSTFIX_QUALIFIERS)
            .flat_map(|(words, _)| words.iter().copied())
            .chain(LABELS.iter().chain(CAP_LABELS).chain(DOTTED_LABELS).chain(TIME_WORDS).copied())
            .chain(OTHER_FIRST_WORDS.iter().chain(OTHER_GRAMMAR_WORDS).copied())
            .collect()
    });
    words.contains(lower)
        || small_number_word(lower).is_some()
        || unit_word(lower).is_some()
        || small_multiplier(lower).is_some()
        || scale_word(lower).is_some()
        || plural_scale(lower).is_some()
        || is_month(lower)
}

struct Cx<'a> {
    text: &'a str,
    toks: &'a [Token<'a>],
    tol: Tolerance,
}

/// A core quantity (one side of a range).
#[derive(Clone, Debug)]
struct Core {
    end: usize,
    /// Value before any multiplier word (for `4 to 5 million`).
    base: Option<Rational>,
    /// Product of multiplier words, when there are any.
    mult: Option<Rational>,
    /// Exact value, or the interval of a vague quantity.
    value: CoreValue,
    has_digits: bool,
    num_tok: Option<usize>,
    class: Class,
    /// A single numeral written with digits only, nothing attached.
    plain: bool,
}

#[derive(Clone, Debug)]
enum CoreValue {
    Exact(Option<Rational>),
    Vague(Option<Interval>),
}

fn mul(a: Option<Rational>, b: Option<Rational>) -> Option<Rational> {
    a?.checked_mul(b?)
}

fn int(i: i64) -> Rational {
    Rational::from_int(i)
}

impl<'a> Cx<'a> {
    fn word(&self, i: usize) -> Option<&'a str> {
        match self.toks.get(i).map(|t| &t.kind) {
            Some(TokKind::Word { lower, .. }) => Some(lower),
            _ => None,
        }
    }

    fn is_word(&self, i: usize, w: &str) -> bool {
        self.word(i) == Some(w)
    }

    fn is_cap_word(&self, i: usize) -> bool {
        matches!(self.toks.get(i).map(|t| &t.kind), Some(TokKind::Word { cap: true, .. }))
    }

    fn sym(&self, i: usize) -> Option<char> {
        match self.toks.get(i).map(|t| &t.kind) {
            Some(TokKind::Sym(c)) => Some(*c),
            _ => None,
        }
    }

    fn dash(&self, i: usize) -> Option<bool> {
        match self.toks.get(i).map(|t| &t.kind) {
            Some(TokKind::Dash { em }) => Some(*em),
            _ => None,
        }
    }

    fn adjacent(&self, i: usize, j: usize) -> bool {
        match (self.toks.get(i), self.toks.get(j)) {
            (Some(a), Some(b)) => a.end == b.start,
            _ => false,
        }
    }

    /// Matches a sequence of words starting at token `i`; returns the index after.
    fn words(&self, i: usize, ws: &[&str]) -> Option<usize> {
        for (k, w) in ws.iter().enumerate() {
            if !self.is_word(i + k, w) {
                return None;
            }
        }
        Some(i + ws.len())
    }

    /// Longest entry of `table` matching at `i`: only the entries whose
    /// first word is the word at `i` are tried.
    fn table(&self, i: usize, table: &FirstWordIndex) -> Option<(Qual, usize)> {
        let mut best: Option<(Qual, usize)> = None;
        for (ws, q) in table.starting_with(self.word(i)?) {
            if let Some(end) = self.words(i, ws) {
                if best.is_none_or(|(_, e)| end > e) {
                    best = Some((*q, end));
                }
            }
        }
        best
    }

    fn prefix_qualifier(&self, i: usize) -> Option<(Qual, usize)> {
        match self.sym(i) {
            Some('~' | '≈' | '∼' | '≃') => return Some((Qual::Approx, i + 1)),
            Some('≥' | '⩾') => return Some((Qual::AtLeast, i + 1)),
            Some('≤' | '⩽') => return Some((Qual::AtMost, i + 1)),
            Some(c @ ('>' | '<')) => {
                let eq = self.sym(i + 1) == Some('=') && self.adjacent(i, i + 1);
                return Some(match (c, eq) {
                    ('>', true) => (Qual::AtLeast, i + 2),
                    ('>', false) => (Qual::MoreThan, i + 1),
                    (_, true) => (Qual::AtMost, i + 2),
                    (_, false) => (Qual::LessThan, i + 1),
                });
            }
            _ => {}
        }
        // Abbreviations with a full stop: c. 500, ca. 500, approx. 500, est. 500
        if let Some(w) = self.word(i) {
            if matches!(w, "c" | "ca" | "approx" | "est") && self.sym(i + 1) == Some('.') && self.adjacent(i, i + 1) {
                return Some((Qual::Approx, i + 2));
            }
        }
        self.table(i, prefix_index())
    }

    fn postfix_qualifier(&self, i: usize) -> Option<(Qual, usize)> {
        if i > 0 && self.sym(i) == Some('+') && self.adjacent(i - 1, i) {
            return Some((Qual::AtLeast, i + 1));
        }
        if i > 0 && self.dash(i) == Some(false) && self.adjacent(i - 1, i) && self.adjacent(i, i + 1) {
            match self.word(i + 1) {
                Some("plus") => return Some((Qual::AtLeast, i + 2)),
                Some("odd") => return Some((Qual::Approx, i + 2)),
                _ => {}
            }
        }
        self.table(i, postfix_index())
    }

    /// A multiplier word at `i`, possibly written `5-million`; returns the
    /// word and the index after it.
    fn multiplier_word(&self, i: usize) -> Option<(&'a str, usize)> {
        if let Some(w) = self.word(i) {
            return Some((w, i + 1));
        }
        if i > 0 && self.dash(i) == Some(false) && self.adjacent(i - 1, i) && self.adjacent(i, i + 1) {
            let w = self.word(i + 1)?;
            if small_multiplier(w).is_some() || scale_word(w).is_some() {
                return Some((w, i + 2));
            }
        }
        None
    }

    /// `two` … `ninety-nine` written in words.
    fn number_words(&self, i: usize) -> Option<(i64, usize)> {
        let v = small_number_word(self.word(i)?)?;
        if v >= 20 && v % 10 == 0 {
            // twenty-five, twenty five
            if self.dash(i + 1) == Some(false) && self.adjacent(i, i + 1) && self.adjacent(i + 1, i + 2) {
                if let Some(u) = self.word(i + 2).and_then(unit_word) {
                    return Some((v + u, i + 3));
                }
            }
            if let Some(u) = self.word(i + 1).and_then(unit_word) {
                return Some((v + u, i + 2));
            }
        }
        Some((v, i + 1))
    }

    fn is_multiplier_at(&self, i: usize) -> bool {
        self.word(i).is_some_and(|w| small_multiplier(w).is_some() || scale_word(w).is_some())
    }

    /// A vague quantity at `i`: `hundreds`, `tens of thousands`,
    /// `several hundred`, `a couple of dozen`, `many thousands`.
    fn vague(&self, i: usize) -> Option<(Interval, usize)> {
        let mut j = i;
        let mut modifier: Option<(i64, i64)> = None;
        if let Some(e) = self.words(j, &["a", "couple", "of"]).or_else(|| self.words(j, &["a", "couple"])) {
            modifier = Some((2, 3));
            j = e;
        } else if let Some(e) = self.words(j, &["couple", "of"]) {
            modifier = Some((2, 3));
            j = e;
        } else if let Some(e) = self.words(j, &["a", "few"]) {
            modifier = Some((2, 6));
            j = e;
        } else if self.is_word(j, "several") {
            modifier = Some((3, 10));
            j += 1;
        } else if self.is_word(j, "many") {
            modifier = Some((2, 10));
            j += 1;
        }
        let mut unit = Rational::ONE;
        let mut n = 0;
        let mut plural_seen = false;
        while n < 3 {
            let Some(w) = self.word(j) else { break };
            if let Some(p) = plural_scale(w) {
                // "tens" and "scores" only as "tens of …", "scores of …".
                let needs_of = matches!(w, "tens" | "scores") && !plural_seen;
                if needs_of && !self.is_word(j + 1, "of") {
                    break;
                }
                unit = unit.checked_mul(p)?;
                j += 1;
                n += 1;
                plural_seen = true;
                if self.is_word(j, "of") && self.word(j + 1).and_then(plural_scale).is_some() {
                    j += 1;
                    continue;
                }
                break;
            } else if modifier.is_some() && !plural_seen {
                match singular_unit(w) {
                    Some(u) => {
                        unit = unit.checked_mul(u)?;
                        j += 1;
                        n += 1;
                    }
                    None => break,
                }
            } else {
                break;
            }
        }
        if n == 0 {
            return None;
        }
        // "scores of 500", "hundreds of 2020": the plural is not the quantity.
        if self.is_word(j, "of") && matches!(self.toks.get(j + 1).map(|t| &t.kind), Some(TokKind::Num(_))) {
            return None;
        }
        let (lo, hi) = modifier.unwrap_or((2, 10));
        let iv = Interval::half_open(int(lo).checked_mul(unit)?, int(hi).checked_mul(unit)?);
        Some((iv, j))
    }

    /// A core quantity at `i`.
    fn core(&self, i: usize) -> Option<Core> {
        let mut j = i;
        let mut currency = false;
        // US$5, A$3
        if self.word(j).is_some_and(|w| matches!(w, "us" | "a" | "au" | "c" | "nz" | "hk" | "s"))
            && self.sym(j + 1) == Some('$')
            && self.adjacent(j, j + 1)
        {
            j += 1;
        }
        if self.sym(j).is_some_and(is_currency) {
            currency = true;
            j += 1;
        } else if j != i {
            return None;
        }
        let mut core = Core {
            end: j,
            base: None,
            mult: None,
            value: CoreValue::Exact(None),
            has_digits: false,
            num_tok: None,
            class: Class::Figure,
            plain: !currency,
        };
        if !currency {
            if let Some((iv, end)) = self.vague(j) {
                core.end = end;
                core.value = CoreValue::Vague(Some(iv));
                core.plain = false;
                return Some(self.finish_core(core));
            }
        }
        let mut mult: Option<Rational> = None;
        let mut addend: Option<Rational> = None;
        let tok = self.toks.get(j)?;
        match &tok.kind {
            TokKind::Num(n) => {
                core.has_digits = true;
                core.num_tok = Some(j);
                core.base = n.value;
                j += 1;
                core.end = j;
                if let Some(s) = n.suffix {
                    core.plain = false;
                    if is_ordinal_suffix(s) {
                        core.class = Class::Ordinal;
                        return Some(core);
                    }
                    if s == "s" || s == "S" {
                        // 1990s is a decade; 1,000s and 100s are vague plurals.
                        let v = n.value;
                        let ten = int(10);
                        let mut p = int(100);
                        let mut is_pow = false;
                        while let Some(v) = v {
                            if p > v {
                                break;
                            }
                            if p == v {
                                is_pow = true;
                                break;
                            }
                            match p.checked_mul(ten) {
                                Some(np) => p = np,
                                None => break,
                            }
                        }
                        let yearish =
                            n.plain && n.int_digits == 4 && { v.is_some_and(|v| v >= int(1800) && v <= int(2100)) };
                        if is_pow && !yearish && !currency {
                            let iv =
                                v.and_then(|v| Some(Interval::half_open(v.checked_mul(int(2))?, v.checked_mul(ten)?)));
                            core.value = CoreValue::Vague(iv);
                            return Some(self.finish_core(core));
                        }
                        core.class = Class::Decade;
                        return Some(core);
                    }
                    if matches!(s.to_ascii_lowercase().as_str(), "am" | "pm") {
                        core.class = Class::Time;
                        return Some(core);
                    }
                    if let Some(m) = suffix_scale(s, currency) {
                        core.mult = Some(m);
                        core.value = CoreValue::Exact(mul(n.value, Some(m)));
                        return Some(self.finish_core(core));
                    }
                    if is_unit_suffix(s) {
                        core.value = CoreValue::Exact(n.value);
                        return Some(self.finish_core(core));
                    }
                    core.class = Class::Identifier;
                    return Some(core);
                }
                if currency || !n.plain {
                    core.plain = false;
                }
                if n.leading_zero {
                    core.class = Class::Identifier;
                }
            }
            TokKind::Word { lower, .. } => {
                core.plain = false;
                let w: &str = lower;
                if let Some((v, e)) = self.number_words(j) {
                    core.base = Some(int(v));
                    j = e;
                } else if (matches!(w, "a" | "an" | "one") && self.is_multiplier_at(j + 1))
                    || (w == "one" && (self.is_word(j + 1, "or") || self.is_word(j + 1, "to")))
                {
                    core.base = Some(Rational::ONE);
                    j += 1;
                } else if w == "half" {
                    // half a million, half a dozen
                    let k = if self.is_word(j + 1, "a") { j + 2 } else { j + 1 };
                    if !self.is_multiplier_at(k) {
                        return None;
                    }
                    core.base = Rational::new(1, 2);
                    j = k;
                } else if w == "a" && self.is_word(j + 1, "quarter") {
                    // a quarter of a million, a quarter million
                    let k = self.words(j + 2, &["of", "a"]).unwrap_or(j + 2);
                    if !self.is_multiplier_at(k) {
                        return None;
                    }
                    core.base = Rational::new(1, 4);
                    j = k;
                } else if w != "score" && self.is_multiplier_at(j) {
                    // "hundred", "dozen", "thousand" on their own
                    core.base = Some(Rational::ONE);
                } else {
                    return None;
                }
                core.end = j;
            }
            _ => return None,
        }
        // hundred / dozen / score
        if let Some((w, e)) = self.multiplier_word(j) {
            if let Some(m) = small_multiplier(w) {
                mult = Some(int(m));
                j = e;
                if m == 100 {
                    // three hundred and fifty
                    let k = if self.is_word(j, "and") { j + 1 } else { j };
                    if let Some((v, e2)) = self.number_words(k) {
                        addend = Some(int(v));
                        j = e2;
                    } else if let Some(e2) = self.words(k, &["one"]) {
                        addend = Some(Rational::ONE);
                        j = e2;
                    }
                }
            }
        }
        // thousand / million / billion (up to two: "hundred thousand", "thousand million")
        for _ in 0..2 {
            match self.multiplier_word(j) {
                Some((w, e)) => match scale_word(w) {
                    Some(s) => {
                        mult = Some(mult.unwrap_or(Rational::ONE).checked_mul(s)?);
                        j = e;
                    }
                    None => break,
                },
                None => break,
            }
        }
        if mult.is_some() {
            core.plain = false;
        }
        let small = match (addend, core.base) {
            (Some(a), Some(b)) => b.checked_mul(int(100))?.checked_add(a),
            _ => None,
        };
        let value = match (small, mult) {
            (Some(s), Some(m)) => {
                // (base·100 + addend) · remaining scale
                s.checked_mul(m.checked_div(int(100))?)
            }
            (None, Some(m)) => mul(core.base, Some(m)),
            (_, None) => core.base,
        };
        if addend.is_some() {
            // Do not distribute "three hundred and fifty" over a range.
            core.base = value;
            core.mult = None;
        } else {
            core.mult = mult;
        }
        core.value = CoreValue::Exact(value);
        core.end = j;
        Some(self.finish_core(core))
    }

    /// Percent and `-strong` after a core.
    fn finish_core(&self, mut core: Core) -> Core {
        let j = core.end;
        if matches!(self.sym(j), Some('%' | '٪')) || self.is_word(j, "percent") || self.is_word(j, "pct") {
            core.end = j + 1;
            core.plain = false;
        } else if (self.is_word(j, "per") && self.is_word(j + 1, "cent"))
            || (j > 0
                && self.dash(j) == Some(false)
                && self.adjacent(j - 1, j)
                && self.adjacent(j, j + 1)
                && self.is_word(j + 1, "strong"))
        {
            core.end = j + 2;
            core.plain = false;
        }
        core
    }

    /// Range connector at `i`; returns the index after it.
    fn connector(&self, i: usize) -> Option<usize> {
        if let Some(w) = self.word(i) {
            return matches!(w, "to" | "or" | "through" | "thru").then_some(i + 1);
        }
        match self.dash(i) {
            Some(false) => Some(i + 1),
            Some(true) if i > 0 && self.adjacent(i - 1, i) && self.adjacent(i, i + 1) => Some(i + 1),
            _ => None,
        }
    }

    fn apply(&self, q: Qual, iv: Interval, vague: bool) -> Option<Interval> {
        let t = self.tol;
        let lo = iv.lower.value();
        let hi = iv.upper.value();
        let zero_to = |upper: Bound| -> Interval {
            match upper.value() {
                Some(v) if v.is_negative() => Interval::new(Bound::Unbounded, upper),
                _ => Interval::new(Bound::Inclusive(Rational::ZERO), upper),
            }
        };
        Some(match q {
            Qual::Approx if vague => iv,
            Qual::Nearly if vague => iv,
            Qual::Approx => Interval::new(Bound::Inclusive(t.below(lo?)?), Bound::Inclusive(t.above(hi?)?)),
            Qual::Nearly => Interval::new(Bound::Inclusive(t.below(lo?)?), iv.upper),
            Qual::JustOver => Interval::new(Bound::Exclusive(lo?), Bound::Inclusive(t.above(hi?)?)),
            Qual::JustUnder => Interval::new(Bound::Inclusive(t.below(lo?)?), Bound::Exclusive(hi?)),
            Qual::AtLeast => Interval::new(iv.lower, Bound::Unbounded),
            Qual::MoreThan => Interval::new(Bound::Exclusive(lo?), Bound::Unbounded),
            Qual::AtMost => zero_to(iv.upper),
            Qual::LessThan => zero_to(Bound::Exclusive(hi?)),
        })
    }

    /// Whether a phrase can start at token `i`: a numeral, a qualifier or
    /// currency sign, or a word that starts a qualifier, a range or a core
    /// quantity. A superset of where [`Self::phrase_at`] finds one, cheap to
    /// ask, so that most tokens of prose are passed over at once.
    fn may_start_phrase(&self, i: usize) -> bool {
        match self.toks.get(i).map(|t| &t.kind) {
            Some(TokKind::Num(_)) => true,
            Some(TokKind::Sym(c)) => {
                is_currency(*c) || matches!(c, '~' | '≈' | '∼' | '≃' | '≥' | '⩾' | '≤' | '⩽' | '>' | '<')
            }
            Some(TokKind::Word { lower, .. }) => {
                let w = &**lower;
                prefix_index().starts_with(w)
                    || OTHER_FIRST_WORDS.contains(&w)
                    || small_number_word(w).is_some()
                    || small_multiplier(w).is_some()
                    || scale_word(w).is_some()
                    || plural_scale(w).is_some()
            }
            _ => false,
        }
    }

    /// The phrase starting at token `i`, if any.
    fn phrase_at(&self, i: usize) -> Option<Phrase> {
        let (prefix, j) = match self.prefix_qualifier(i) {
            Some((q, e)) => (Some(q), e),
            None => (None, i),
        };
        // One core or two, on the stack (a phrase is read at most tokens
        // apart, so a vector here was an allocation per phrase tried).
        let mut end;
        let (first, second) = if self.is_word(j, "between") {
            let a = self.core(j + 1)?;
            if !self.is_word(a.end, "and") {
                return None;
            }
            let b = self.core(a.end + 1)?;
            end = b.end;
            (a, Some(b))
        } else if self.is_word(j, "from") {
            let a = self.core(j + 1)?;
            let c = self.connector(a.end)?;
            if self.is_word(a.end, "or") {
                return None;
            }
            let b = self.core(c)?;
            end = b.end;
            (a, Some(b))
        } else {
            let a = self.core(j)?;
            end = a.end;
            let postfix_first = self.postfix_qualifier(a.end).is_some();
            let mut second = None;
            if !postfix_first {
                if let Some(c) = self.connector(end) {
                    if let Some(b) = self.core(c) {
                        end = b.end;
                        second = Some(b);
                    }
                }
            }
            (a, second)
        };
        let (pair, single);
        let cores: &[Core] = match second {
            Some(b) => {
                pair = [first, b];
                &pair
            }
            None => {
                single = [first];
                &single
            }
        };
        let postfix = self.postfix_qualifier(end);
        if let Some((_, e)) = postfix {
            end = e;
        }
        let vague = cores.iter().any(|c| matches!(c.value, CoreValue::Vague(_)));
        let mut iv = self.core_interval(cores);
        if let Some((q, _)) = postfix.filter(|(_, e)| *e == end) {
            iv = iv.and_then(|iv| self.apply(q, iv, vague));
        }
        if let Some(q) = prefix {
            iv = iv.and_then(|iv| self.apply(q, iv, vague));
        }
        let iv = iv.filter(|iv| !iv.is_empty() && cap().is_some_and(|c| iv.within(c)));
        let class = self.classify(i, end, cores, prefix.is_some() || postfix.is_some());
        Some(Phrase {
            start: self.toks.get(i)?.start,
            end: self.toks.get(end.checked_sub(1)?)?.end,
            interval: iv,
            has_digits: cores.iter().any(|c| c.has_digits),
            class,
        })
    }

    fn core_interval(&self, cores: &[Core]) -> Option<Interval> {
        match cores {
            [a] => match &a.value {
                CoreValue::Exact(v) => Some(Interval::exact((*v)?)),
                CoreValue::Vague(iv) => *iv,
            },
            [a, b] => {
                let (CoreValue::Exact(av), CoreValue::Exact(bv)) = (&a.value, &b.value) else {
                    // "hundreds or thousands", "dozens to hundreds": the hull.
                    let one = |c: &Core| match &c.value {
                        CoreValue::Exact(v) => Some(Interval::exact((*v)?)),
                        CoreValue::Vague(iv) => *iv,
                    };
                    let (x, y) = (one(a)?, one(b)?);
                    return Some(x.hull(&y));
                };
                let mut av = (*av)?;
                let bv = (*bv)?;
                // "4 to 5 million": the right side's multiplier applies to the left.
                if let (None, Some(m), Some(ab), Some(bb)) = (a.mult, b.mult, a.base, b.base) {
                    if ab <= bb {
                        av = ab.checked_mul(m)?;
                    }
                }
                Some(Interval::closed(av.min(bv), av.max(bv)))
            }
            _ => None,
        }
    }

    fn classify(&self, start: usize, end: usize, cores: &[Core], qualified: bool) -> Class {
        if let Some(c) = cores.iter().find(|c| c.class != Class::Figure) {
            return c.class;
        }
        // Directly attached to letters or code punctuation: F-16, COVID-19, #1, ^2.
        if let Some(t) = cores[0].num_tok.filter(|t| *t == start && *t > 0) {
            if self.adjacent(t - 1, t) {
                if let Some(c) = self.sym(t - 1) {
                    if matches!(c, '#' | '^' | '@' | '_' | '/' | '\\' | '&' | '.' | '=') {
                        return Class::Identifier;
                    }
                }
                if self.dash(t - 1) == Some(false)
                    && t >= 2
                    && self.adjacent(t - 2, t - 1)
                    && matches!(self.toks.get(t - 2).map(|x| &x.kind), Some(TokKind::Word { .. }))
                {
                    return Class::Identifier;
                }
            }
        }
        if start > 0 && self.is_label_before(start) {
            return Class::Identifier;
        }
        if !cores.iter().all(|c| c.plain) {
            return Class::Figure;
        }
        // A phrase has one core or two: their values go in an array, not a
        // vector (an allocation per phrase classified).
        let mut read: [Option<(Rational, usize)>; 2] = [None; 2];
        for (slot, c) in read.iter_mut().zip(cores) {
            *slot = c.num_tok.and_then(|t| match (&self.toks.get(t)?.kind, &c.value) {
                (TokKind::Num(n), CoreValue::Exact(Some(v))) => Some((*v, n.int_digits)),
                _ => None,
            });
            if slot.is_none() {
                return Class::Figure;
            }
        }
        let values = || read.iter().flatten();
        if values().all(|(v, d)| *d == 4 && *v >= int(1800) && *v <= int(2100)) {
            return Class::Year;
        }
        if values().all(|(v, d)| *d <= 2 && *v >= int(1) && *v <= int(31))
            && (self.month_before(start) || self.month_after(end))
        {
            return Class::Date;
        }
        if self.time_after(end) {
            return Class::Time;
        }
        if !qualified && cores.len() == 1 && self.is_list_marker(start) {
            return Class::ListMarker;
        }
        Class::Figure
    }

    fn is_label_before(&self, start: usize) -> bool {
        let (w, dotted, cap) = if self.sym(start - 1) == Some('.') && start >= 2 {
            (self.word(start - 2), true, self.is_cap_word(start - 2))
        } else {
            (self.word(start - 1), false, self.is_cap_word(start - 1))
        };
        let Some(w) = w else { return false };
        if DOTTED_LABELS.contains(&w) {
            return dotted || cap;
        }
        if dotted {
            return false;
        }
        LABELS.contains(&w) || (cap && CAP_LABELS.contains(&w))
    }

    fn month_before(&self, start: usize) -> bool {
        let Some(p) = start.checked_sub(1) else {
            return false;
        };
        let m = if self.sym(p) == Some('.') && p > 0 && self.adjacent(p - 1, p) { p - 1 } else { p };
        self.is_cap_word(m) && self.word(m).is_some_and(is_month)
    }

    fn month_after(&self, end: usize) -> bool {
        let m = if self.is_word(end, "of") { end + 1 } else { end };
        self.is_cap_word(m) && self.word(m).is_some_and(is_month)
    }

    fn time_after(&self, end: usize) -> bool {
        if self.word(end).is_some_and(|w| TIME_WORDS.contains(&w)) {
            return true;
        }
        // a.m. / p.m.
        matches!(self.word(end), Some("a" | "p"))
            && self.sym(end + 1) == Some('.')
            && self.is_word(end + 2, "m")
            && self.adjacent(end, end + 1)
            && self.adjacent(end + 1, end + 2)
    }

    fn is_list_marker(&self, start: usize) -> bool {
        let Some(tok) = self.toks.get(start) else {
            return false;
        };
        let line_start = match start.checked_sub(1).and_then(|p| self.toks.get(p)) {
            None => true,
            Some(prev) => self.text.get(prev.end..tok.start).is_some_and(|gap| gap.contains('\n')),
        };
        if !line_start || !matches!(self.sym(start + 1), Some('.' | ')')) {
            return false;
        }
        if !self.adjacent(start, start + 1) {
            return false;
        }
        match self.toks.get(start + 2) {
            None => true,
            Some(next) => !self.adjacent(start + 1, start + 2) && next.start > tok.end,
        }
    }
}

/// Every word the grammar knows, numerals and signs: the pieces of the
/// random texts that property tests here and in `bare.rs` put together.
#[cfg(test)]
pub(crate) fn grammar_vocabulary() -> Vec<&'static str> {
    let mut vocabulary: Vec<&str> = PREFIX_QUALIFIERS
        .iter()
        .chain(POSTFIX_QUALIFIERS)
        .flat_map(|(words, _)| words.iter().copied())
        .chain(OTHER_FIRST_WORDS.iter().copied())
        .chain(LABELS.iter().copied())
        .collect();
    vocabulary.extend([
        "two",
        "twenty",
        "Twenty",
        "five",
        "one",
        "hundred",
        "dozen",
        "score",
        "thousand",
        "million",
        "bn",
        "tens",
        "scores",
        "hundreds",
        "thousands",
        "of",
        "and",
        "to",
        "or",
        "through",
        "a",
        "quarter",
        "few",
        "strong",
        "percent",
        "pct",
        "per",
        "cent",
        "plus",
        "odd",
        "500",
        "5,200",
        "1.5",
        "$",
        "US$5",
        "£5m",
        "€",
        "1990s",
        "21st",
        "5pm",
        "~",
        "≈",
        "≥",
        ">",
        "<",
        "=",
        "-",
        "–",
        "—",
        "%",
        "+",
        ".",
        "Article",
        "May",
        "pm",
        "a.m.",
        "5",
        "12",
        "2020",
        "2020-02",
        "10:30",
        "Feb.",
        "About",
        "Between",
        "Half",
    ]);
    vocabulary
}

/// Every number phrase in `text`, left to right, non-overlapping, read as
/// they are asked for: a caller that filters them or stops at the first it
/// wants collects no vector of them.
pub(crate) fn phrases(text: &str, tol: Tolerance) -> Phrases<'_> {
    Phrases { text, toks: lex(text), tol, i: 0 }
}

/// The phrases of a text, read as they are asked for (see [`phrases`]).
pub(crate) struct Phrases<'t> {
    text: &'t str,
    toks: Vec<Token<'t>>,
    tol: Tolerance,
    /// The next token a phrase may start at.
    i: usize,
}

impl Iterator for Phrases<'_> {
    type Item = Phrase;

    fn next(&mut self) -> Option<Phrase> {
        let toks = &self.toks;
        let cx = Cx { text: self.text, toks, tol: self.tol };
        let mut i = self.i;
        while i < toks.len() {
            if !cx.may_start_phrase(i) {
                i += 1;
                continue;
            }
            match cx.phrase_at(i) {
                Some(p) => {
                    // Advance past the phrase (at least one token).
                    let end_byte = p.end;
                    let mut k = i + 1;
                    while k < toks.len() && toks[k].start < end_byte {
                        k += 1;
                    }
                    self.i = k;
                    return Some(p);
                }
                None => i += 1,
            }
        }
        self.i = i;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that `phrases`' filter passes over no token where a phrase
    /// starts: `may_start_phrase` must hold wherever `phrase_at` finds one.
    fn assert_filter_keeps_every_start(text: &str) {
        let toks = lex(text);
        let cx = Cx { text, toks: &toks, tol: Tolerance::default() };
        for i in 0..toks.len() {
            if let Some(p) = cx.phrase_at(i) {
                assert!(
                    cx.may_start_phrase(i),
                    "phrase {:?} in {text:?} starts where the filter skips",
                    &text[p.start..p.end]
                );
            }
        }
    }

    #[test]
    fn grammar_words_cover_every_word_literal() {
        // Every string of letters this file's rules compare with must be a
        // grammar word, or `window` could cut prose at a word a rule reads.
        let source = include_str!("phrase.rs");
        let rules = &source[..source.find("#[cfg(test)]").unwrap()];
        let mut checked = 0;
        for literal in rules.split('"').skip(1).step_by(2) {
            if !literal.is_empty() && literal.chars().all(|c| c.is_ascii_alphabetic() || c == '\'') {
                let lower = literal.to_ascii_lowercase();
                assert!(is_grammar_word(&lower), "{literal:?} is compared with but is no grammar word");
                checked += 1;
            }
        }
        assert!(checked > 200, "{checked}");
        for w in ["troops", "said", "then", "a400m", "x86"] {
            assert!(!is_grammar_word(w), "{w}");
        }
    }

    #[test]
    fn the_start_filter_passes_over_no_phrase() {
        let vocabulary = grammar_vocabulary();
        let mut rng = super::super::TestRng(0x2545_f491_4f6c_dd1d_u64);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..20_000 {
            let len = 1 + next(8);
            let mut text = String::new();
            for k in 0..len {
                if k > 0 && next(5) != 0 {
                    text.push(' ');
                }
                text.push_str(vocabulary[next(vocabulary.len())]);
            }
            assert_filter_keeps_every_start(&text);
        }
        // And the prose of the seeds and fixtures.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("seeds")];
        dirs.extend(std::fs::read_dir(root.join("tests/fixtures")).unwrap().map(|e| e.unwrap().path()));
        for dir in dirs {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.to_string_lossy().ends_with(".news.md") {
                    assert_filter_keeps_every_start(&std::fs::read_to_string(&path).unwrap());
                }
            }
        }
    }
}
