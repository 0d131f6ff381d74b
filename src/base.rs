//! The small types every layer shares: which file (`FileId`), which bytes
//! of it (`TextRange`), and which id (`Name`, from the workspace's
//! `Names`). No dependencies on the rest of the crate.

use std::fmt;
use std::ops::{Index, IndexMut, Range};

/// A file of the workspace: an index into its file table, stable while
/// the file lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// An interned id (an entity, source, article or quantity key): four bytes,
/// compared and hashed as a number. Read it back with [`Names::resolve`] of
/// the workspace that made it; Names of two workspaces do not mix.
///
/// The number is the order names were first seen in, which parallel
/// analysis makes arbitrary: nothing may be ordered by `Name` that a user
/// sees (order by the resolved text).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Name(lasso::Spur);

/// The interner of a workspace: every id any of its files names, each
/// stored once. Shared (`Arc`) by the workspace, its snapshots and the
/// threads that analyse files in parallel: interning takes `&self` and is
/// safe from many threads at once (lasso's `ThreadedRodeo`), so a file is
/// analysed straight into `Name`s, without a second pass.
///
/// Append-only: a name nobody uses any more stays (a few bytes each; what a
/// session types, not what it holds).
///
/// Hashed with aHash, not the standard SipHash: every id of every file is
/// interned or looked up here (SipHash and the map were ~5% of `check`'s
/// instructions); aHash is seeded at random too.
#[derive(Debug)]
pub struct Names(lasso::ThreadedRodeo<lasso::Spur, ahash::RandomState>);

impl Default for Names {
    fn default() -> Self {
        Names(lasso::ThreadedRodeo::with_hasher(ahash::RandomState::new()))
    }
}

impl Names {
    pub fn intern(&self, text: &str) -> Name {
        Name(self.0.get_or_intern(text))
    }

    /// The name of `text` when some file has named it; lookups of an id no
    /// one wrote intern nothing.
    pub fn get(&self, text: &str) -> Option<Name> {
        self.0.get(text).map(Name)
    }

    pub fn resolve(&self, name: Name) -> &str {
        self.0.resolve(&name.0)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Maps and sets keyed by names, ids and quote texts in the workspace
/// index and a file's summary, which a keystroke looks up by the thousand:
/// aHash instead of SipHash, still randomly seeded, so crafted ids cannot
/// force collisions.
pub type FastMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;
pub type FastSet<K> = std::collections::HashSet<K, ahash::RandomState>;

/// The longest text the analysis holds, in bytes: offsets are `u32`.
/// Every way text enters (files on disk, standard input, editor buffers)
/// refuses longer texts first, with the smaller per-article limit of
/// `workspace::discover::MAX_FILE_BYTES`.
pub const MAX_TEXT_BYTES: usize = u32::MAX as usize;

/// A byte range `start..end` in one file's text. Copy and eight bytes,
/// where `Range<usize>` is neither: ranges are stored by the thousand in
/// every syntax tree, analysis record and diagnostic.
///
/// Offsets go in and out as `usize`; a text is never longer than
/// [`MAX_TEXT_BYTES`], so the conversion cannot lose anything.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TextRange {
    start: u32,
    end: u32,
}

impl TextRange {
    /// The bytes `start..end`. Panics when `start > end` or an offset is
    /// over [`MAX_TEXT_BYTES`]: both are bugs, never input (texts are
    /// refused before they are read that long).
    #[inline]
    pub fn new(start: usize, end: usize) -> TextRange {
        assert!(start <= end, "text range {start}..{end} runs backwards");
        TextRange { start: offset(start), end: offset(end) }
    }

    /// The empty range at `at`: an insertion point.
    #[inline]
    pub fn empty(at: usize) -> TextRange {
        TextRange::new(at, at)
    }

    #[inline]
    pub fn start(self) -> usize {
        self.start as usize
    }

    #[inline]
    pub fn end(self) -> usize {
        self.end as usize
    }

    #[inline]
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    #[inline]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// Whether the byte at `offset` is inside (`start <= offset < end`,
    /// as for `Range::contains`).
    #[inline]
    pub fn contains(self, offset: usize) -> bool {
        self.start() <= offset && offset < self.end()
    }

    /// Whether `other` lies wholly inside this range.
    #[inline]
    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The smallest range holding both.
    #[inline]
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    #[inline]
    pub fn to_range(self) -> Range<usize> {
        self.start()..self.end()
    }
}

#[inline]
fn offset(at: usize) -> u32 {
    match u32::try_from(at) {
        Ok(at) => at,
        Err(_) => panic!("text offset {at} is over the {MAX_TEXT_BYTES}-byte limit"),
    }
}

impl From<Range<usize>> for TextRange {
    #[inline]
    fn from(range: Range<usize>) -> TextRange {
        TextRange::new(range.start, range.end)
    }
}

impl From<TextRange> for Range<usize> {
    #[inline]
    fn from(range: TextRange) -> Range<usize> {
        range.to_range()
    }
}

/// Printed as `start..end`, like the `Range` it replaces (snapshots and
/// test messages show ranges that way).
impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// `&text[range]`, with the same checks as `&text[start..end]`.
impl Index<TextRange> for str {
    type Output = str;

    #[inline]
    fn index(&self, range: TextRange) -> &str {
        &self[range.to_range()]
    }
}

impl Index<TextRange> for String {
    type Output = str;

    #[inline]
    fn index(&self, range: TextRange) -> &str {
        &self.as_str()[range]
    }
}

impl Index<TextRange> for [u8] {
    type Output = [u8];

    #[inline]
    fn index(&self, range: TextRange) -> &[u8] {
        &self[range.to_range()]
    }
}

impl IndexMut<TextRange> for [u8] {
    #[inline]
    fn index_mut(&mut self, range: TextRange) -> &mut [u8] {
        &mut self[range.to_range()]
    }
}

impl PartialEq<Range<usize>> for TextRange {
    fn eq(&self, other: &Range<usize>) -> bool {
        self.start() == other.start && self.end() == other.end
    }
}

/// From this many bytes, one file's independent steps (its rules, its
/// line index beside its summary) share the cores: an editor's long
/// document is worked on per keystroke; small files are already handled
/// many at a time (`check`, a re-published registry).
pub const BIG_FILE_BYTES: usize = 64 * 1024;

/// How many leading bytes `a` and `b` share. Compared a chunk (one
/// `memcmp`) at a time first: an edit's two texts share megabytes.
pub fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 4096;
    let max = a.len().min(b.len());
    let mut at = 0;
    while at + CHUNK <= max && a[at..at + CHUNK] == b[at..at + CHUNK] {
        at += CHUNK;
    }
    at + a[at..max].iter().zip(&b[at..max]).take_while(|(x, y)| x == y).count()
}

/// How many trailing bytes `a` and `b` share (see [`common_prefix`]).
pub fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 4096;
    let max = a.len().min(b.len());
    let mut at = 0;
    while at + CHUNK <= max && a[a.len() - at - CHUNK..a.len() - at] == b[b.len() - at - CHUNK..b.len() - at] {
        at += CHUNK;
    }
    at + a[..a.len() - at].iter().rev().zip(b[..b.len() - at].iter().rev()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_measure_and_contain_like_std_ranges() {
        let range = TextRange::new(2, 5);
        assert_eq!((range.start(), range.end(), range.len()), (2, 5, 3));
        assert!(!range.is_empty());
        assert!(TextRange::empty(4).is_empty());
        for at in 0..8 {
            assert_eq!(range.contains(at), (2..5).contains(&at), "{at}");
        }
        assert!(range.contains_range(TextRange::new(2, 5)));
        assert!(range.contains_range(TextRange::empty(5)));
        assert!(!range.contains_range(TextRange::new(1, 3)));
        assert_eq!(range.cover(TextRange::new(4, 9)), TextRange::new(2, 9));
    }

    #[test]
    fn ranges_convert_both_ways_and_index_text() {
        let range = TextRange::from(1..4);
        assert_eq!(Range::from(range), 1..4);
        assert_eq!(range, 1..4);
        let text = "a€b";
        assert_eq!(&text[range], "€");
        assert_eq!(&String::from(text)[range], "€");
        assert_eq!(format!("{range:?}"), "1..4");
        assert_eq!(std::mem::size_of::<TextRange>(), 8);
    }

    #[test]
    fn names_are_interned_once_and_resolve_back() {
        let names = Names::default();
        let a = names.intern("stoltenberg");
        assert_eq!(names.intern("stoltenberg"), a);
        assert_ne!(names.intern("stoltenbrg"), a);
        assert_eq!(names.resolve(a), "stoltenberg");
        assert_eq!(names.get("stoltenberg"), Some(a));
        assert_eq!(names.get("nobody"), None);
        assert_eq!(names.len(), 2, "a lookup interns nothing");
        assert_eq!(std::mem::size_of::<Option<Name>>(), 4);
    }

    #[test]
    fn names_interned_from_many_threads_agree() {
        let names = std::sync::Arc::new(Names::default());
        let words: Vec<String> = (0..500).map(|i| format!("id-{}", i % 97)).collect();
        let got: Vec<Vec<Name>> = std::thread::scope(|s| {
            let handles: Vec<_> =
                (0..4).map(|_| s.spawn(|| words.iter().map(|w| names.intern(w)).collect::<Vec<_>>())).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(got.windows(2).all(|w| w[0] == w[1]));
        assert_eq!(names.len(), 97);
        assert!(words.iter().zip(&got[0]).all(|(w, n)| names.resolve(*n) == w));
    }

    #[test]
    #[should_panic(expected = "over the 4294967295-byte limit")]
    fn offsets_past_four_gibibytes_are_a_bug_not_a_wrap() {
        TextRange::new(0, MAX_TEXT_BYTES + 1);
    }

    #[test]
    #[should_panic(expected = "runs backwards")]
    fn backwards_ranges_are_a_bug() {
        TextRange::new(3, 2);
    }

    #[test]
    fn common_prefix_and_suffix_across_chunks() {
        let a: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        for cut in [0, 1, 4095, 4096, 4097, 9_999] {
            let mut b = a.clone();
            b[cut] ^= 0xff;
            assert_eq!(common_prefix(&a, &b), cut);
            assert_eq!(common_suffix(&a, &b), a.len() - cut - 1);
        }
        assert_eq!(common_prefix(b"abc", b"ab"), 2);
        assert_eq!(common_suffix(b"xbc", b"bc"), 2);
        assert_eq!(common_prefix(b"", b"a"), 0);
    }
}
