//! Fixes: the edits that resolve a finding, made by the rule that makes the
//! finding and attached to its diagnostic, so `check --fix` and the
//! server's quick fixes apply the very same edits (ruff's model).
//!
//! A fix edits only the file its diagnostic is in. Fixes that need a human
//! choice among alternatives or edit another file ("cite a source already
//! used for this key", "create an entity stub", "annotate as figure") are
//! editor actions in `ide::code_actions`, not fixes: `--fix` never guesses.

use crate::syntax::TextRange;

/// Replace `range` (byte offsets in the file's text) with `new_text`; an
/// empty range inserts, an empty text deletes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    pub range: TextRange,
    pub new_text: String,
}

impl Edit {
    pub fn replace(range: TextRange, new_text: impl Into<String>) -> Edit {
        Edit { range, new_text: new_text.into() }
    }

    pub fn insert(at: usize, new_text: impl Into<String>) -> Edit {
        Edit { range: TextRange::empty(at), new_text: new_text.into() }
    }

    pub fn delete(range: TextRange) -> Edit {
        Edit { range, new_text: String::new() }
    }
}

/// When a fix may be applied without a person looking at it. Ordered from
/// least to most applicable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Applicability {
    /// Shown in the editor only; never applied by `check`.
    DisplayOnly,
    /// May change what the article claims (e.g. picks one of several
    /// close ids): applied by `check --fix --unsafe-fixes` only.
    Unsafe,
    /// Only makes the intended markup valid, with one possible reading:
    /// applied by `check --fix`.
    Safe,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    /// What the fix does, as an editor shows it: "Remove the space before `{`".
    pub title: String,
    /// Non-overlapping edits of one file, in any order.
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix { title: title.into(), edits, applicability: Applicability::Safe }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix { title: title.into(), edits, applicability: Applicability::Unsafe }
    }

    /// The smallest range covering every edit; None for a fix with no edit.
    fn span(&self) -> Option<TextRange> {
        let start = self.edits.iter().map(|e| e.range.start()).min()?;
        let end = self.edits.iter().map(|e| e.range.end()).max()?;
        Some(TextRange::new(start, end))
    }

    /// Every edit lies within `text` on character boundaries, and no two
    /// edits overlap (a fix from a rule always does; checked anyway, as a
    /// bad fix must be skipped, never corrupt the file).
    fn is_valid_for(&self, text: &str) -> bool {
        let mut ranges: Vec<&TextRange> = self.edits.iter().map(|e| &e.range).collect();
        ranges.sort_by_key(|r| (r.start(), r.end()));
        let in_text = ranges.iter().all(|r| {
            r.start() <= r.end()
                && r.end() <= text.len()
                && text.is_char_boundary(r.start())
                && text.is_char_boundary(r.end())
        });
        in_text && ranges.windows(2).all(|w| w[0].end() <= w[1].start())
    }
}

/// The outcome of applying a file's fixes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// Fixes left out because they overlap one applied before them (a
    /// re-check offers them again if still needed) or do not fit the text.
    pub skipped: usize,
}

/// Applies the fixes to `text`: in order of position, each fix whose edits
/// all start after the end of every edit already taken (touching counts as
/// overlapping, so two insertions at one point never interleave). The bytes
/// outside the edits are copied unchanged.
pub fn apply_fixes<'a>(text: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> Applied {
    let mut fixes: Vec<(&Fix, TextRange)> = fixes.into_iter().filter_map(|f| Some((f, f.span()?))).collect();
    fixes.sort_by_key(|(_, span)| (span.start(), span.end()));
    let mut taken: Vec<&Edit> = Vec::new();
    let mut last_end: Option<usize> = None;
    let (mut applied, mut skipped) = (0, 0);
    for (fix, span) in fixes {
        if last_end.is_some_and(|end| end >= span.start()) || !fix.is_valid_for(text) {
            skipped += 1;
            continue;
        }
        taken.extend(&fix.edits);
        last_end = Some(span.end());
        applied += 1;
    }
    taken.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in taken {
        out.push_str(&text[at..edit.range.start()]);
        out.push_str(&edit.new_text);
        at = edit.range.end();
    }
    out.push_str(&text[at..]);
    Applied { text: out, applied, skipped }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_in_order_of_position_and_keeps_every_other_byte() {
        let text = "a😀b\r\nc語d\re";
        let fixes = [
            Fix::safe("x", vec![Edit::replace(TextRange::new(9, 12), "ДД")]), // 語
            Fix::safe("y", vec![Edit::delete(TextRange::new(1, 5))]),         // 😀
            Fix::safe("z", vec![Edit::insert(text.len(), "!")]),
        ];
        let applied = apply_fixes(text, &fixes);
        assert_eq!(applied.text, "ab\r\ncДДd\re!");
        assert_eq!((applied.applied, applied.skipped), (3, 0));
    }

    #[test]
    fn overlapping_and_touching_fixes_are_skipped() {
        let fixes = [
            Fix::safe("first", vec![Edit::replace(TextRange::new(0, 3), "X")]),
            Fix::safe("overlaps", vec![Edit::replace(TextRange::new(2, 4), "Y")]),
            Fix::safe("touches", vec![Edit::insert(3, "Z")]),
            Fix::safe("after", vec![Edit::insert(4, "W")]),
        ];
        let applied = apply_fixes("abcdef", &fixes);
        assert_eq!(applied.text, "XdWef");
        assert_eq!((applied.applied, applied.skipped), (2, 2));
    }

    #[test]
    fn a_fix_that_does_not_fit_the_text_is_skipped_not_applied() {
        let fixes = [
            Fix::safe("inside a char", vec![Edit::replace(TextRange::new(1, 2), "x")]),
            Fix::safe("past the end", vec![Edit::insert(99, "x")]),
            Fix::safe(
                "self-overlap",
                vec![Edit::replace(TextRange::new(0, 1), "x"), Edit::replace(TextRange::new(0, 1), "y")],
            ),
        ];
        let applied = apply_fixes("é", &fixes);
        assert_eq!(applied.text, "é");
        assert_eq!((applied.applied, applied.skipped), (0, 3));
    }

    #[test]
    fn a_fix_of_several_edits_is_applied_whole() {
        let fix = Fix::safe(
            "quotes",
            vec![Edit::replace(TextRange::new(4, 7), "\""), Edit::replace(TextRange::new(8, 11), "\"")],
        );
        assert_eq!(apply_fixes("fig=“x”}", [&fix]).text, "fig=\"x\"}");
    }
}
