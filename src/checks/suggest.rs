//! "Did you mean": the defined id closest to a misspelt one.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::base::FastMap;
use crate::fix::{Edit, Fix};
use crate::syntax::TextRange;
use crate::workspace::{Namespace, Workspace};

/// Ids longer than this get no suggestion: the edit distance costs the
/// product of the lengths, and such an id is no typo.
const MAX_ID_CHARS: usize = 100;

/// The defined id of `namespace` closest to `wanted`, if one is close
/// enough. Only valid ids are offered: a quick fix writes what is suggested.
pub fn closest_id(workspace: &Workspace, namespace: Namespace, wanted: &str) -> Option<String> {
    nearest_id(workspace, namespace, wanted).map(|n| n.id)
}

/// The suggestion for a misspelt id, and whether it is the only defined id
/// that near (a quick fix picking it among equals is unsafe).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nearest {
    pub id: String,
    pub unique: bool,
    /// Edits (case-insensitive) from the id written to this one.
    pub distance: usize,
}

/// `closest_id` with whether the choice is unique; on a tie, the least id.
pub fn nearest_id(workspace: &Workspace, namespace: Namespace, wanted: &str) -> Option<Nearest> {
    let wanted = Wanted::new(wanted)?;
    let mut best: Option<(usize, &str)> = None;
    let mut unique = true;
    let ids = workspace.index().defined(namespace).map(|(id, _)| id);
    for (distance, id) in ids.filter_map(|id| Some((wanted.distance(id)?, id))) {
        match best {
            Some((d, _)) if distance > d => {}
            Some((d, b)) if distance == d => {
                unique = false;
                if id < b {
                    best = Some((distance, id));
                }
            }
            _ => {
                best = Some((distance, id));
                unique = true;
            }
        }
    }
    best.map(|(distance, id)| Nearest { id: id.to_string(), unique, distance })
}

/// Whether `candidate`, once defined, could be suggested for `wanted`: the
/// namespace-wide dependency of an unknown id, which only ids within its
/// distance limit can change.
pub fn could_suggest(wanted: &str, candidate: &str) -> bool {
    Wanted::new(wanted).is_some_and(|w| w.distance(candidate).is_some())
}

/// A misspelt id, lower-cased, with how far a suggestion may be.
struct Wanted {
    lower: String,
    chars: usize,
    limit: usize,
}

impl Wanted {
    fn new(wanted: &str) -> Option<Wanted> {
        let chars = wanted.chars().count();
        if chars > MAX_ID_CHARS {
            return None;
        }
        let lower = wanted.to_lowercase();
        Some(Wanted { chars: lower.chars().count(), lower, limit: (chars / 3).max(1) })
    }

    /// The distance to `id` if it is a suggestion (valid, and near enough).
    fn distance(&self, id: &str) -> Option<usize> {
        if !crate::syntax::is_valid_id(id) {
            return None;
        }
        let lower = id.to_lowercase();
        // The distance is at least the difference in length: skip the quadratic part when that is too much.
        if lower.chars().count().abs_diff(self.chars) > self.limit {
            return None;
        }
        Some(edit_distance(&self.lower, &lower)).filter(|d| *d <= self.limit)
    }
}

/// `closest_id` for the many unknown ids of one file: each distinct id is
/// looked up once, and only the first `MAX_LOOKUPS` distinct ids are (each
/// lookup reads every defined id); later ones get no suggestion.
pub(crate) struct Suggestions<'a> {
    workspace: &'a Workspace,
    namespace: Namespace,
    cache: HashMap<String, Option<Nearest>>,
}

const MAX_LOOKUPS: usize = 100;

impl<'a> Suggestions<'a> {
    pub(crate) fn new(workspace: &'a Workspace, namespace: Namespace) -> Suggestions<'a> {
        Suggestions { workspace, namespace, cache: HashMap::new() }
    }

    pub(crate) fn nearest(&mut self, wanted: &str) -> Option<Nearest> {
        if let Some(found) = self.cache.get(wanted) {
            return found.clone();
        }
        if self.cache.len() >= MAX_LOOKUPS {
            return None;
        }
        let (workspace, namespace) = (self.workspace, self.namespace);
        let memo = workspace.index().suggestions();
        let found = memo.get_or_compute(namespace, wanted, || nearest_id(workspace, namespace, wanted));
        self.cache.insert(wanted.to_string(), found.clone());
        found
    }
}

/// Suggestions shared by every file's checks over one version of the
/// index: an id misspelt in many files (an entity id retyped in the
/// registry leaves its thousands of mentions unknown at once) is looked up
/// once, not once per file, and each lookup reads every defined id. The
/// index empties it whenever it changes (`Index::add`, `remove`, `splice`)
/// and a copy starts empty, so what it holds was computed from the
/// definitions it sits beside.
#[derive(Default)]
pub(crate) struct SuggestionMemo(Mutex<FastMap<Namespace, FastMap<Box<str>, Option<Nearest>>>>);

impl SuggestionMemo {
    pub(crate) fn clear(&mut self) {
        self.0.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner()).clear();
    }

    fn get_or_compute(
        &self,
        namespace: Namespace,
        wanted: &str,
        compute: impl FnOnce() -> Option<Nearest>,
    ) -> Option<Nearest> {
        let lock = || self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(found) = lock().get(&namespace).and_then(|ids| ids.get(wanted)) {
            return found.clone();
        }
        // Computed outside the lock: two threads may both compute an id's
        // suggestion, and get the same.
        let found = compute();
        lock().entry(namespace).or_default().insert(wanted.into(), found.clone());
        found
    }
}

impl Clone for SuggestionMemo {
    fn clone(&self) -> SuggestionMemo {
        SuggestionMemo::default()
    }
}

impl std::fmt::Debug for SuggestionMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SuggestionMemo")
    }
}

/// At most this many edits make a typo a safe fix has one reading for.
const SAFE_DISTANCE: usize = 2;

/// The quick fix "Replace with `near`" on the id at `range`: safe when
/// `near` is the only id that close, a typo away (at most two edits), and
/// `may_be_safe` (the namespace's ids do not differ in meaning by a
/// character or two); else unsafe.
pub(crate) fn replace_id_fix(range: TextRange, near: &Nearest, shown: &str, may_be_safe: bool) -> Fix {
    let title = format!("Replace with `{shown}`");
    let edits = vec![Edit::replace(range, near.id.clone())];
    if may_be_safe && near.unique && near.distance <= SAFE_DISTANCE {
        Fix::safe(title, edits)
    } else {
        Fix::unsafe_(title, edits)
    }
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn distances() {
        assert_eq!(super::edit_distance("stoltenburg", "stoltenberg"), 1);
        assert_eq!(super::edit_distance("", "abc"), 3);
    }
}
