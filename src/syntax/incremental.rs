//! Re-parsing one edited file without reading all of it again.
//!
//! A file's tree records its **sync points** ([`SourceFile::sync_points`]):
//! line starts where the reading of what comes before and of what comes
//! after are independent (the rules are on `blocks::Resync`). After an
//! edit, the file is read again from the last sync point whose whole line
//! lies before the edit, and the read stops at the first old sync point at
//! or after the edit's end that is a sync point of the new read as well.
//! From there on the new text is the old text, read from the same state,
//! so the old tree's nodes after it are the new tree's, shifted by the
//! edit's length; the nodes before the start are kept as they are. The
//! piece read again replaces the old nodes between (renumbered: spans,
//! citations and paragraphs are referred to by index).
//!
//! Nothing here is guessed: where no sync point is proven the piece grows
//! to the end of the file (or starts at its beginning), and a file near
//! the error cap (which counts errors in reading order) is read whole.
//! The result equals `parse(new_text)` in every field; the property test
//! in `tests` holds that after random edits that open and close fences,
//! divs, comments, quotes and lists.

use super::blocks::Resync;
use crate::text_change::TextChange;
use std::num::NonZeroU32;

use super::tree::{
    Attr, Block, Citation, CiteItem, Field, FrontMatter, Run, Span, SpanKind, SyntaxError, TextRange, Value,
};
use super::{parse, parse_region, Region, SourceFile, MAX_ERRORS};

/// How [`reparse`] made the new tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reparse {
    /// Only `new` (a range of the new text) was read, in place of `old` (a
    /// range of the old text, with the same start); the old nodes before
    /// `old` were kept as they are, those after it moved by the difference
    /// of the two ends. The records made from the tree can be spliced the
    /// same way (`workspace::analysis::analyse_spliced`).
    Spliced { old: TextRange, new: TextRange },
    /// The whole file was read again.
    Whole,
}

/// The tree of `new_text`, made from `old` (the tree of `old_text`) by
/// reading only the changed part where that is proven to give the same
/// tree as [`parse`].
pub fn reparse(old_text: &str, old: SourceFile, new_text: &str) -> (SourceFile, Reparse) {
    reparse_changed(old_text, old, new_text, TextChange::between(old_text, new_text))
}

/// [`reparse`] where the caller knows what changed (an editor's edit): the
/// texts are not compared. `change` must be a true change from `old_text`
/// to `new_text` (it may cover equal bytes); one that does not fit their
/// lengths is not trusted, and the texts are compared.
pub fn reparse_changed(old_text: &str, old: SourceFile, new_text: &str, change: TextChange) -> (SourceFile, Reparse) {
    let change = if change.fits(old_text.len(), new_text.len()) {
        change.trimmed(old_text, new_text)
    } else {
        TextChange::between(old_text, new_text)
    };
    match try_reparse(old_text, old, new_text, change) {
        Some(done) => done,
        None => (parse(new_text), Reparse::Whole),
    }
}

/// Where the line that starts at `at` ends, its line break included.
fn next_line_start(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    match bytes[at..].iter().position(|&b| b == b'\n' || b == b'\r') {
        None => bytes.len(),
        Some(i) => {
            let brk = at + i;
            if bytes[brk] == b'\r' && bytes.get(brk + 1) == Some(&b'\n') {
                brk + 2
            } else {
                brk + 1
            }
        }
    }
}

fn try_reparse(old_text: &str, old: SourceFile, new_text: &str, edit: TextChange) -> Option<(SourceFile, Reparse)> {
    // The cap keeps the first errors in reading order: a file near it is read whole.
    if old.errors.len() >= MAX_ERRORS {
        return None;
    }
    if edit.start == old_text.len() && edit.start == new_text.len() {
        let none = TextRange::empty(edit.start);
        return Some((old, Reparse::Spliced { old: none, new: none }));
    }
    // The start: the last sync point whose line (the one the lines before it
    // look at) is wholly before the edit; else the file's beginning.
    let points = &old.sync_points;
    let mut k = points.partition_point(|&p| (p as usize) < edit.start);
    let from = loop {
        if k == 0 {
            break 0;
        }
        k -= 1;
        let p = points[k] as usize;
        let next = next_line_start(old_text, p);
        let has_break = next > p && matches!(old_text.as_bytes()[next - 1], b'\n' | b'\r');
        if next <= edit.start && has_break {
            break p;
        }
    };
    // Where the read may stop: old sync points at or after the edit's end,
    // in the new text, relative to `from`.
    // (Only as many as the read may use: a big file has a hundred thousand.)
    let after = &points[points.partition_point(|&p| (p as usize) < edit.old_end)..];
    // Read a piece ending with the line of a few stop candidates; when the
    // read cannot stop at any, a piece four times as long.
    let mut candidates = 1;
    loop {
        let stop_at: Vec<usize> = after.iter().take(candidates).map(|&p| edit.shift(p as usize) - from).collect();
        let end = match after.get(candidates - 1) {
            Some(&stop) => next_line_start(new_text, edit.shift(stop as usize)),
            None => new_text.len(),
        };
        let region = parse_region(&new_text[from..end], from == 0, &Resync { stop_at: &stop_at });
        if region.dropped > 0 {
            return None;
        }
        let read_to = match region.stopped_at {
            Some(at) => from + at,
            None if end == new_text.len() => end,
            None => {
                candidates *= 4;
                continue;
            }
        };
        // The stop is an old sync point after the edit: the same text there.
        let old_to = if region.stopped_at.is_some() { read_to + edit.old_end - edit.new_end } else { old_text.len() };
        let spliced = splice(old, region, Cut { from, old_to, new_to: read_to })?;
        let how = Reparse::Spliced { old: TextRange::new(from, old_to), new: TextRange::new(from, read_to) };
        return Some((spliced, how));
    }
}

/// The old text's `from..old_to` was read again as the new text's
/// `from..new_to`.
#[derive(Clone, Copy, Debug)]
struct Cut {
    from: usize,
    old_to: usize,
    new_to: usize,
}

impl Cut {
    fn delta(self) -> i64 {
        self.new_to as i64 - self.old_to as i64
    }
}

/// Where the nodes of the cut go: old `lo..hi` of one of the tree's
/// arrays is replaced by the `new` nodes of the piece read again, and the
/// nodes after it move by `grew` places.
#[derive(Clone, Copy, Debug)]
struct Seg {
    lo: usize,
    hi: usize,
    new: usize,
}

impl Seg {
    fn grew(self) -> i64 {
        self.new as i64 - (self.hi - self.lo) as i64
    }

    /// An index of the piece's own array, in the spliced one.
    fn of_new(self, index: u32) -> u32 {
        index + self.lo as u32
    }

    /// An index of the old array after the cut, in the spliced one.
    fn of_tail(self, index: u32) -> u32 {
        (index as i64 + self.grew()) as u32
    }
}

fn moved(range: TextRange, by: i64) -> TextRange {
    TextRange::new((range.start() as i64 + by) as usize, (range.end() as i64 + by) as usize)
}

/// How the nodes of one side of the cut move: their bytes by `by`, their
/// children's runs and side-table places by the segments' offsets (a
/// block's fields by `fields`, a value's text by `unescaped`).
#[derive(Clone, Copy)]
struct Move {
    by: i64,
    /// Which side: the piece read again (its arrays start at 0) or the old tail.
    new: bool,
    fields: Seg,
    unescaped: Seg,
}

impl Move {
    fn index(self, seg: Seg, index: u32) -> u32 {
        if self.new {
            seg.of_new(index)
        } else {
            seg.of_tail(index)
        }
    }

    fn run<T>(self, seg: Seg, run: Run<T>) -> Run<T> {
        Run::new(self.index(seg, run.start) as usize..self.index(seg, run.end) as usize)
    }

    fn value(self, value: Value) -> Value {
        let unescaped = value.unescaped.map(|p| {
            // Side-table places count from 1.
            let at = self.index(self.unescaped, p.get() - 1) + 1;
            NonZeroU32::new(at).expect("a place counted from 1")
        });
        Value { range: moved(value.range, self.by), unescaped }
    }

    fn kind(self, kind: SpanKind) -> SpanKind {
        match kind {
            SpanKind::Mention { entity } => SpanKind::Mention { entity: self.value(entity) },
            SpanKind::Figure { key } => SpanKind::Figure { key: self.value(key) },
            SpanKind::Quote { speaker } => SpanKind::Quote { speaker: self.value(speaker) },
            SpanKind::Unknown => SpanKind::Unknown,
        }
    }

    fn field(self, field: Field) -> Field {
        Field { key: moved(field.key, self.by), value: moved(field.value, self.by) }
    }

    fn block(self, block: Block) -> Block {
        Block {
            id: moved(block.id, self.by),
            range: moved(block.range, self.by),
            header_range: moved(block.header_range, self.by),
            fields: self.run(self.fields, block.fields),
            ..block
        }
    }

    fn attr(self, attr: Attr) -> Attr {
        Attr { key: moved(attr.key, self.by), value: self.value(attr.value) }
    }

    fn item(self, item: CiteItem) -> CiteItem {
        CiteItem { id: moved(item.id, self.by), prefix: self.value(item.prefix), locator: self.value(item.locator) }
    }

    fn error(self, mut error: SyntaxError) -> SyntaxError {
        error.range = moved(error.range, self.by);
        if let Some(fix) = &mut error.fix {
            fix.edits.iter_mut().for_each(|e| e.range = moved(e.range, self.by));
        }
        error
    }
}

/// Replaces `old[seg.lo..seg.hi]` with `new`, each moved by `on_new`, and
/// moves the old items after them by `on_tail`.
fn replace<T>(old: &mut Vec<T>, seg: Seg, new: Vec<T>, on_new: impl Fn(T) -> T, on_tail: impl Fn(&mut T)) {
    old.splice(seg.lo..seg.hi, new.into_iter().map(on_new));
    old[seg.lo + seg.new..].iter_mut().for_each(on_tail);
}

/// The segment of `old` whose items start in `from..to` (by `start`).
fn seg_by_start<T>(old: &[T], new: usize, from: usize, to: usize, start: impl Fn(&T) -> usize) -> Seg {
    Seg { lo: old.partition_point(|x| start(x) < from), hi: old.partition_point(|x| start(x) < to), new }
}

/// Where the children of `nodes[lo..]` start in their array (runs are
/// handed out in order), or the array's end.
fn first_child<N, T>(nodes: &[N], lo: usize, run: impl Fn(&N) -> Run<T>, len: usize) -> usize {
    nodes.get(lo).map_or(len, |n| run(n).start as usize)
}

/// From this many spans, a splice moves the tail on two cores.
const PARALLEL_SPANS_FROM: usize = 4096;

fn splice(mut old: SourceFile, region: Region, cut: Cut) -> Option<SourceFile> {
    let Region { file: new, .. } = region;
    let (from, old_to) = (cut.from, cut.old_to);
    let errors = seg_by_start(&old.errors, new.errors.len(), from, old_to, |e| e.range.start());
    if old.errors.len() as i64 + errors.grew() > MAX_ERRORS as i64 {
        return None;
    }

    // The cut's nodes of each array. Spans and citations are numbered in
    // paragraph order, their children and side-table texts in span and
    // citation order, fields in block order after the front matter's.
    let paragraphs = seg_by_start(&old.paragraphs, new.paragraphs.len(), from, old_to, |p| p.start());
    let spans = Seg {
        lo: old.spans.partition_point(|s| s.paragraph() < paragraphs.lo),
        hi: old.spans.partition_point(|s| s.paragraph() < paragraphs.hi),
        new: new.spans.len(),
    };
    let citations = Seg {
        lo: old.citations.partition_point(|c| c.paragraph() < paragraphs.lo),
        hi: old.citations.partition_point(|c| c.paragraph() < paragraphs.hi),
        new: new.citations.len(),
    };
    let blocks = seg_by_start(&old.blocks, new.blocks.len(), from, old_to, |b| b.range.start());
    let attrs = Seg {
        lo: first_child(&old.spans, spans.lo, |s| s.attrs, old.attrs.len()),
        hi: first_child(&old.spans, spans.hi, |s| s.attrs, old.attrs.len()),
        new: new.attrs.len(),
    };
    let items = Seg {
        lo: first_child(&old.citations, citations.lo, |c| c.items, old.items.len()),
        hi: first_child(&old.citations, citations.hi, |c| c.items, old.items.len()),
        new: new.items.len(),
    };
    let fields = Seg {
        lo: if from == 0 { 0 } else { first_child(&old.blocks, blocks.lo, |b| b.fields, old.fields.len()) },
        hi: first_child(&old.blocks, blocks.hi, |b| b.fields, old.fields.len()),
        new: new.fields.len(),
    };
    // Every side-table text belongs to one attribute or item value, made in
    // reading order: the cut's texts are those between the first place the
    // cut's or the tail's values name and the first the tail's name.
    let places = |attrs: &[Attr], items: &[CiteItem]| -> Option<usize> {
        let of_attrs = attrs.iter().filter_map(|a| a.value.unescaped);
        let of_items = items.iter().flat_map(|i| [i.prefix.unescaped, i.locator.unescaped]).flatten();
        of_attrs.chain(of_items).map(|p| p.get() as usize - 1).min()
    };
    let table = old.unescaped.len();
    let tail_first = places(&old.attrs[attrs.hi..], &old.items[items.hi..]).unwrap_or(table);
    let cut_first = places(&old.attrs[attrs.lo..attrs.hi], &old.items[items.lo..items.hi]).unwrap_or(tail_first);
    let unescaped = Seg { lo: cut_first.min(tail_first), hi: tail_first, new: new.unescaped.len() };

    let on_new = Move { by: from as i64, new: true, fields, unescaped };
    let on_tail = Move { by: cut.delta(), new: false, ..on_new };

    if from == 0 {
        old.front_matter = new
            .front_matter
            .map(|fm| FrontMatter { range: moved(fm.range, on_new.by), fields: on_new.run(fields, fm.fields) });
    }
    // The spans are half the work of moving the tail: in a big file they
    // move on one core and everything else on the other.
    let big = old.spans.len() >= PARALLEL_SPANS_FROM;
    let move_spans = || {
        replace(
            &mut old.spans,
            spans,
            new.spans,
            |s| Span {
                range: moved(s.range, on_new.by),
                text_range: moved(s.text_range, on_new.by),
                attrs_range: moved(s.attrs_range, on_new.by),
                attrs: on_new.run(attrs, s.attrs),
                kind: on_new.kind(s.kind),
                parent: s.parent.map(|p| p.renumbered(|i| spans.of_new(i))),
                paragraph: paragraphs.of_new(s.paragraph),
                citation: s.citation.map(|c| c.renumbered(|i| citations.of_new(i))),
            },
            |s| {
                s.range = moved(s.range, on_tail.by);
                s.text_range = moved(s.text_range, on_tail.by);
                s.attrs_range = moved(s.attrs_range, on_tail.by);
                s.attrs = on_tail.run(attrs, s.attrs);
                s.kind = on_tail.kind(s.kind);
                // A span's parent and citation are in its own paragraph: after the cut too.
                s.parent = s.parent.map(|p| p.renumbered(|i| spans.of_tail(i)));
                s.paragraph = paragraphs.of_tail(s.paragraph);
                s.citation = s.citation.map(|c| c.renumbered(|i| citations.of_tail(i)));
            },
        );
    };
    let move_rest = || {
        replace(
            &mut old.citations,
            citations,
            new.citations,
            |c| Citation {
                range: moved(c.range, on_new.by),
                items: on_new.run(items, c.items),
                paragraph: paragraphs.of_new(c.paragraph),
                attached_to: c.attached_to.map(|s| s.renumbered(|i| spans.of_new(i))),
                in_text: c.in_text,
            },
            |c| {
                c.range = moved(c.range, on_tail.by);
                c.items = on_tail.run(items, c.items);
                c.paragraph = paragraphs.of_tail(c.paragraph);
                c.attached_to = c.attached_to.map(|s| s.renumbered(|i| spans.of_tail(i)));
            },
        );
        replace(&mut old.attrs, attrs, new.attrs, |a| on_new.attr(a), |a| *a = on_tail.attr(*a));
        replace(&mut old.items, items, new.items, |i| on_new.item(i), |i| *i = on_tail.item(*i));
        replace(&mut old.fields, fields, new.fields, |f| on_new.field(f), |f| *f = on_tail.field(*f));
        replace(&mut old.unescaped, unescaped, new.unescaped, |u| u, |_| {});
        replace(&mut old.blocks, blocks, new.blocks, |b| on_new.block(b), |b| *b = on_tail.block(b.clone()));
        replace(&mut old.errors, errors, new.errors, |e| on_new.error(e), |e| *e = on_tail.error(e.clone()));
        let free = Seg {
            lo: old.free_citations.partition_point(|&c| (c as usize) < citations.lo),
            hi: old.free_citations.partition_point(|&c| (c as usize) < citations.hi),
            new: new.free_citations.len(),
        };
        replace(
            &mut old.free_citations,
            free,
            new.free_citations,
            |c| citations.of_new(c),
            |c| *c = citations.of_tail(*c),
        );

        // A grid cell's parts lie in one table, which holds no sync point: the
        // cut's parts refer to the cut's paragraphs only, the tail's to the tail's.
        let parts = Seg {
            lo: old.cell_parts.partition_point(|&(p, _)| (p as usize) < paragraphs.lo),
            hi: old.cell_parts.partition_point(|&(p, _)| (p as usize) < paragraphs.hi),
            new: new.cell_parts.len(),
        };
        replace(
            &mut old.cell_parts,
            parts,
            new.cell_parts,
            |(p, first)| (paragraphs.of_new(p), paragraphs.of_new(first)),
            |(p, first)| (*p, *first) = (paragraphs.of_tail(*p), paragraphs.of_tail(*first)),
        );
        old.cell_blocks = super::blocks_of_parts(&old.cell_parts);

        // Lists of ranges in order of position.
        for (list, piece) in [
            (&mut old.paragraphs, new.paragraphs),
            (&mut old.markup, new.markup),
            (&mut old.plain_runs, new.plain_runs),
            (&mut old.numerals, new.numerals),
            (&mut old.comments, new.comments),
            (&mut old.entities, new.entities),
        ] {
            let seg = seg_by_start(list, piece.len(), from, old_to, |r| r.start());
            replace(list, seg, piece, |r| moved(r, on_new.by), |r| *r = moved(*r, on_tail.by));
        }

        // Sync points: the cut's own start stays one (its line is unchanged).
        let sync = Seg {
            lo: old.sync_points.partition_point(|&p| (p as usize) <= from),
            hi: old.sync_points.partition_point(|&p| (p as usize) < old_to),
            new: new.sync_points.len(),
        };
        replace(
            &mut old.sync_points,
            sync,
            new.sync_points,
            |p| (p as i64 + on_new.by) as u32,
            |p| *p = (*p as i64 + on_tail.by) as u32,
        );
    };
    if big {
        rayon::join(move_spans, move_rest);
    } else {
        move_spans();
        move_rest();
    }
    Some(old)
}

#[cfg(test)]
mod tests;
