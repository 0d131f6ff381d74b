//! How one version of a text became the next, in bytes.
//!
//! An editor's incremental `didChange` says where it edited; comparing the
//! two texts finds the same place, but in a 5 MB document each comparison
//! reads both texts (about 0.5 ms) and a keystroke needed two (the
//! re-parse, the publish). So the document's own edits are carried along
//! with the new text, and compared texts are only the fallback.

use std::sync::Arc;

use crate::base::{common_prefix, common_suffix};

/// A text's change from an earlier text, `from`, held so that whoever
/// kept `from` can tell (by pointer, `Arc::ptr_eq`) that the change is
/// from the very text it has.
#[derive(Clone, Debug)]
pub struct KnownChange {
    pub from: Arc<str>,
    pub change: TextChange,
}

impl KnownChange {
    /// The change from `old` to `new` when this one is from `old` and fits
    /// `new`, trimmed to what differs.
    pub fn from_text(&self, old: &Arc<str>, new: &str) -> Option<TextChange> {
        (Arc::ptr_eq(&self.from, old) && self.change.fits(old.len(), new.len())).then(|| self.change.trimmed(old, new))
    }
}

/// `old[start..old_end]` became `new[start..new_end]`; every byte before
/// `start` and from `old_end` (in the new text: `new_end`) on is the same.
/// It may cover bytes that did not change (an editor may rewrite what it
/// leaves equal): users of it must only rely on the bytes outside being
/// equal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextChange {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl TextChange {
    /// The smallest change between two texts.
    pub fn between(old: &str, new: &str) -> TextChange {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let head = common_prefix(a, b);
        let tail = common_suffix(&a[head..], &b[head..]);
        TextChange { start: head, old_end: a.len() - tail, new_end: b.len() - tail }
    }

    /// The change of one replacement: `removed` bytes at `start` replaced
    /// by `inserted` bytes.
    pub fn replace(start: usize, removed: usize, inserted: usize) -> TextChange {
        TextChange { start, old_end: start + removed, new_end: start + inserted }
    }

    /// This change, then `next` (a change of the text this one made): one
    /// change from the first text to the last.
    pub fn then(self, next: TextChange) -> TextChange {
        let start = self.start.min(next.start);
        // Where the later change ends, in the middle text, and what that is
        // in the first text: past this change's end it is the same text.
        let mid_end = self.new_end.max(next.old_end);
        let old_end = self.old_end + (mid_end - self.new_end);
        let new_end = mid_end + next.new_end - next.old_end;
        TextChange { start, old_end, new_end }
    }

    /// Whether this can be a change from a text of `old_len` bytes to one
    /// of `new_len`.
    pub fn fits(&self, old_len: usize, new_len: usize) -> bool {
        self.start <= self.old_end
            && self.start <= self.new_end
            && self.old_end <= old_len
            && self.new_end <= new_len
            && old_len - self.old_end == new_len - self.new_end
    }

    /// The same change without the equal bytes at the ends of what it
    /// covers (read only there: a few bytes for a keystroke). When `old`
    /// and `new` are equal, the empty change at their end.
    pub fn trimmed(self, old: &str, new: &str) -> TextChange {
        let (a, b) = (&old.as_bytes()[self.start..self.old_end], &new.as_bytes()[self.start..self.new_end]);
        let head = common_prefix(a, b);
        let tail = common_suffix(&a[head..], &b[head..]);
        let change =
            TextChange { start: self.start + head, old_end: self.old_end - tail, new_end: self.new_end - tail };
        if change.is_empty() {
            TextChange { start: old.len(), old_end: old.len(), new_end: new.len() }
        } else {
            change
        }
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.start == self.old_end && self.start == self.new_end
    }

    /// Where an old offset at or after the change's end is in the new text.
    pub fn shift(&self, old: usize) -> usize {
        old + self.new_end - self.old_end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (no dependency for a test).
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n.max(1)
        }
    }

    fn apply(text: &str, change: TextChange, inserted: &str) -> String {
        format!("{}{}{}", &text[..change.start], inserted, &text[change.old_end..])
    }

    /// `change` is a true change from `old` to `new`: the bytes outside it are equal.
    fn holds(change: TextChange, old: &str, new: &str) -> bool {
        change.fits(old.len(), new.len())
            && old[..change.start] == new[..change.start]
            && old[change.old_end..] == new[change.new_end..]
    }

    #[test]
    fn composed_changes_hold_between_the_first_and_last_text() {
        let mut rng = Lcg(7);
        for _ in 0..2000 {
            let mut text: String = (0..rng.below(12)).map(|_| (b'a' + rng.below(3) as u8) as char).collect();
            let first = text.clone();
            let mut composed: Option<TextChange> = None;
            for _ in 0..1 + rng.below(4) {
                let start = rng.below(text.len() + 1);
                let end = start + rng.below(text.len() - start + 1);
                let inserted: String = (0..rng.below(4)).map(|_| (b'a' + rng.below(3) as u8) as char).collect();
                let change = TextChange::replace(start, end - start, inserted.len());
                text = apply(&text, change, &inserted);
                composed = Some(composed.map_or(change, |c| c.then(change)));
            }
            let composed = composed.unwrap();
            assert!(holds(composed, &first, &text), "{first:?} -> {text:?}: {composed:?}");
            let trimmed = composed.trimmed(&first, &text);
            assert!(holds(trimmed, &first, &text), "{first:?} -> {text:?}: {trimmed:?}");
            let smallest = TextChange::between(&first, &text);
            assert!(holds(smallest, &first, &text));
            if first == text {
                assert_eq!(trimmed, TextChange { start: first.len(), old_end: first.len(), new_end: text.len() });
            }
        }
    }

    #[test]
    fn a_change_that_does_not_fit_the_lengths_is_refused() {
        let change = TextChange::replace(2, 1, 3);
        assert!(change.fits(5, 7));
        assert!(!change.fits(5, 6));
        assert!(!change.fits(2, 4));
    }
}
