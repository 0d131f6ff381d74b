//! Which figures of one quantity key contradict which: same period (they
//! share a day), disjoint value intervals.
//!
//! Not quadratic: figures are swept in order of period end while a segment
//! tree over period ends keeps the smallest upper and largest lower bound
//! of the figures seen so far. Each figure then finds its partners by
//! descending only into subtrees that hold one.

use std::collections::HashMap;

use crate::base::Name;
use crate::diagnostic::Related;
use crate::quantity::{Bound, Interval};
use crate::workspace::{FileId, Loc, Workspace};

/// Related information lists at most this many partners per finding; one
/// more entry then says how many were left out (see `capped`).
pub const MAX_PARTNERS: usize = 20;

/// The related information of a finding with `total` partners, given the
/// first `MAX_PARTNERS + 1` of them: the first `MAX_PARTNERS` as they are,
/// and when there are more, the next one's entry saying how many more there
/// are (`what`: "definitions", "attributions", ...). So a finding's output
/// stays bounded however many copies the workspace holds.
pub fn capped(mut related: Vec<Related>, total: usize, what: &str) -> Vec<Related> {
    if total > MAX_PARTNERS && related.len() > MAX_PARTNERS {
        related.truncate(MAX_PARTNERS + 1);
        related[MAX_PARTNERS].message = format!("and {} more {what}, the next one here", total - MAX_PARTNERS).into();
    } else {
        related.truncate(MAX_PARTNERS);
    }
    related
}

#[derive(Clone, Debug, Default)]
pub struct KeyConflicts {
    /// For each contradicted figure, the figures it contradicts (at most
    /// `MAX_PARTNERS + 1`: the last stands for the rest), and how many there
    /// are in all (counted up to 1,000).
    pub partners: HashMap<Loc, (Vec<Loc>, usize)>,
}

/// The files other than `changed` whose contradictions for one key differ
/// between `old` and `new` (`None`: the key had, or has, no figures), or
/// involve a figure of `changed`, which may have moved or changed value.
pub fn changed_files(old: Option<&KeyConflicts>, new: Option<&KeyConflicts>, changed: FileId) -> Vec<FileId> {
    let empty = HashMap::new();
    let old = old.map_or(&empty, |c| &c.partners);
    let new = new.map_or(&empty, |c| &c.partners);
    let involves_changed = |(partners, _): &(Vec<Loc>, usize)| partners.iter().any(|l| l.file == changed);
    let mut files = Vec::new();
    for (loc, entry) in new {
        if loc.file != changed && (old.get(loc) != Some(entry) || involves_changed(entry)) {
            files.push(loc.file);
        }
    }
    for (loc, entry) in old {
        if loc.file != changed && (!new.contains_key(loc) || involves_changed(entry)) {
            files.push(loc.file);
        }
    }
    files
}

impl KeyConflicts {
    /// The files other than `file` whose figures name one of `file`'s
    /// figures as a partner (in related information).
    pub fn files_naming(&self, file: FileId) -> Vec<FileId> {
        let names = |partners: &Vec<Loc>| partners.iter().any(|l| l.file == file);
        self.partners.iter().filter(|(loc, (p, _))| loc.file != file && names(p)).map(|(loc, _)| loc.file).collect()
    }
}

struct Item {
    loc: Loc,
    interval: Interval,
    start: i64,
    end: i64,
}

pub fn analyse_key(workspace: &Workspace, key: Name) -> KeyConflicts {
    let locs = workspace.index().figures_of(key);
    if locs.is_empty() {
        return KeyConflicts::default();
    }
    let items: Vec<Item> = locs
        .iter()
        .map(|&loc| {
            let figure = &workspace.entry(loc.file).analysis.figures[loc.item()];
            let (start, end) = match figure.period {
                Some(p) => (p.start.days_since_epoch(), p.end.days_since_epoch()),
                None => (i64::MIN, i64::MAX),
            };
            Item { loc, interval: figure.interval, start, end }
        })
        .collect();
    find_conflicts(&items)
}

fn find_conflicts(items: &[Item]) -> KeyConflicts {
    let n = items.len();
    let mut result = KeyConflicts::default();
    if n < 2 {
        return result;
    }
    // Leaf positions: items ordered by period end.
    let mut by_end: Vec<usize> = (0..n).collect();
    by_end.sort_by_key(|&i| (items[i].end, i));
    let mut leaf_of = vec![0; n];
    for (pos, &i) in by_end.iter().enumerate() {
        leaf_of[i] = pos;
    }
    let mut by_start: Vec<usize> = (0..n).collect();
    by_start.sort_by_key(|&i| items[i].start);
    let mut queries: Vec<usize> = (0..n).collect();
    queries.sort_by_key(|&i| items[i].end);

    let mut tree = Tree::new(n);
    let mut inserted = 0;
    for &q in &queries {
        while inserted < n && items[by_start[inserted]].start <= items[q].end {
            let i = by_start[inserted];
            tree.insert(leaf_of[i], i, items);
            inserted += 1;
        }
        // Only items inserted so far start by the query's end; of those,
        // the ones ending on or after its start share a day with it.
        let first_leaf = by_end.partition_point(|&i| items[i].end < items[q].start);
        let mut found = Vec::new();
        let mut total = 0;
        tree.collect(1, 0, n, first_leaf, &items[q].interval, items, &by_end, &mut found, &mut total);
        if total > 0 {
            // Items are in path order (the index's): partners are listed so too.
            found.sort_unstable();
            result.partners.insert(items[q].loc, (found.into_iter().map(|i| items[i].loc).collect(), total));
        }
    }
    result
}

/// Upper bound `upper` lies wholly below lower bound `lower`.
fn below(upper: Bound, lower: Bound) -> bool {
    match (upper, lower) {
        (Bound::Unbounded, _) | (_, Bound::Unbounded) => false,
        (Bound::Inclusive(a), Bound::Inclusive(b)) => a < b,
        (Bound::Inclusive(a) | Bound::Exclusive(a), Bound::Inclusive(b) | Bound::Exclusive(b)) => a <= b,
    }
}

/// Orders upper bounds so that `below` is monotone: smaller first.
fn upper_rank(b: Bound) -> (u8, Option<crate::quantity::Rational>, u8) {
    match b {
        Bound::Exclusive(v) => (0, Some(v), 0),
        Bound::Inclusive(v) => (0, Some(v), 1),
        Bound::Unbounded => (1, None, 0),
    }
}

/// Orders lower bounds: larger (later-starting) last.
fn lower_rank(b: Bound) -> (u8, Option<crate::quantity::Rational>, u8) {
    match b {
        Bound::Unbounded => (0, None, 0),
        Bound::Inclusive(v) => (1, Some(v), 0),
        Bound::Exclusive(v) => (1, Some(v), 1),
    }
}

const MAX_COUNTED: usize = 1000;

struct Tree {
    /// Per node: item with the smallest upper bound, item with the largest lower bound.
    min_upper: Vec<Option<usize>>,
    max_lower: Vec<Option<usize>>,
}

impl Tree {
    fn new(n: usize) -> Tree {
        Tree { min_upper: vec![None; 4 * n], max_lower: vec![None; 4 * n] }
    }

    fn insert(&mut self, leaf: usize, item: usize, items: &[Item]) {
        self.insert_at(1, 0, items.len(), leaf, item, items);
    }

    fn insert_at(&mut self, node: usize, lo: usize, hi: usize, leaf: usize, item: usize, items: &[Item]) {
        let better_upper = self.min_upper[node]
            .is_none_or(|cur| upper_rank(items[item].interval.upper) < upper_rank(items[cur].interval.upper));
        if better_upper {
            self.min_upper[node] = Some(item);
        }
        let better_lower = self.max_lower[node]
            .is_none_or(|cur| lower_rank(items[item].interval.lower) > lower_rank(items[cur].interval.lower));
        if better_lower {
            self.max_lower[node] = Some(item);
        }
        if hi - lo == 1 {
            return;
        }
        let mid = (lo + hi) / 2;
        if leaf < mid {
            self.insert_at(2 * node, lo, mid, leaf, item, items);
        } else {
            self.insert_at(2 * node + 1, mid, hi, leaf, item, items);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn collect(
        &self,
        node: usize,
        lo: usize,
        hi: usize,
        from: usize,
        interval: &Interval,
        items: &[Item],
        by_end: &[usize],
        found: &mut Vec<usize>,
        total: &mut usize,
    ) {
        if hi <= from || *total >= MAX_COUNTED {
            return;
        }
        let has_below = self.min_upper[node].is_some_and(|i| below(items[i].interval.upper, interval.lower));
        let has_above = self.max_lower[node].is_some_and(|i| below(interval.upper, items[i].interval.lower));
        if !has_below && !has_above {
            return;
        }
        if hi - lo == 1 {
            let item = &items[by_end[lo]];
            if !item.interval.overlaps(interval) {
                *total += 1;
                if found.len() <= MAX_PARTNERS {
                    found.push(by_end[lo]);
                }
            }
            return;
        }
        let mid = (lo + hi) / 2;
        self.collect(2 * node, lo, mid, from, interval, items, by_end, found, total);
        self.collect(2 * node + 1, mid, hi, from, interval, items, by_end, found, total);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::Rational;
    use crate::workspace::FileId;

    fn item(i: usize, lo: i64, hi: i64, start: i64, end: i64) -> Item {
        Item {
            loc: Loc::new(FileId(i as u32), 0),
            interval: Interval {
                lower: Bound::Inclusive(Rational::from_int(lo)),
                upper: Bound::Inclusive(Rational::from_int(hi)),
            },
            start,
            end,
        }
    }

    /// The sweep agrees with the obvious quadratic definition.
    #[test]
    fn matches_brute_force() {
        let mut seed = 7u64;
        let mut next = |m: i64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) as i64).rem_euclid(m)
        };
        for _ in 0..50 {
            let n = 1 + next(40) as usize;
            let items: Vec<Item> = (0..n)
                .map(|i| {
                    let lo = next(100);
                    let start = next(60);
                    item(i, lo, lo + next(30), start, start + next(20))
                })
                .collect();
            let result = find_conflicts(&items);
            for a in &items {
                let expected: Vec<Loc> = items
                    .iter()
                    .filter(|b| b.start <= a.end && b.end >= a.start && !b.interval.overlaps(&a.interval))
                    .map(|b| b.loc)
                    .collect();
                let got = result.partners.get(&a.loc).map(|(f, t)| (f.clone(), *t));
                if expected.is_empty() {
                    assert!(got.is_none());
                } else {
                    let (found, total) = got.unwrap();
                    assert_eq!(total, expected.len());
                    assert_eq!(found.len(), total.min(MAX_PARTNERS + 1));
                    assert!(found.iter().all(|f| expected.contains(f)));
                }
            }
        }
    }
}
