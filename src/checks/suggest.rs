//! "Did you mean": the defined id closest to a misspelt one.

use std::collections::HashMap;

use crate::workspace::{Namespace, Workspace};

/// Ids longer than this get no suggestion: the edit distance costs the
/// product of the lengths, and such an id is no typo.
const MAX_ID_CHARS: usize = 100;

pub fn closest_id(workspace: &Workspace, namespace: Namespace, wanted: &str) -> Option<String> {
    let wanted_chars = wanted.chars().count();
    if wanted_chars > MAX_ID_CHARS {
        return None;
    }
    let limit = (wanted_chars / 3).max(1);
    let wanted = wanted.to_lowercase();
    let wanted_lower_chars = wanted.chars().count();
    workspace
        .index()
        .definitions
        .keys()
        .filter(|(ns, _)| *ns == namespace)
        .filter_map(|(_, id)| {
            let lower = id.to_lowercase();
            // The distance is at least the difference in length: skip the quadratic part when that is too much.
            (lower.chars().count().abs_diff(wanted_lower_chars) <= limit).then(|| (edit_distance(&wanted, &lower), id))
        })
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, id)| id.clone())
}

/// `closest_id` for the many unknown ids of one file: each distinct id is
/// looked up once, and only the first `MAX_LOOKUPS` distinct ids are (each
/// lookup reads every defined id); later ones get no suggestion.
pub(crate) struct Suggestions<'a> {
    workspace: &'a Workspace,
    namespace: Namespace,
    cache: HashMap<String, Option<String>>,
}

const MAX_LOOKUPS: usize = 100;

impl<'a> Suggestions<'a> {
    pub(crate) fn new(workspace: &'a Workspace, namespace: Namespace) -> Suggestions<'a> {
        Suggestions { workspace, namespace, cache: HashMap::new() }
    }

    pub(crate) fn get(&mut self, wanted: &str) -> Option<String> {
        if let Some(found) = self.cache.get(wanted) {
            return found.clone();
        }
        if self.cache.len() >= MAX_LOOKUPS {
            return None;
        }
        let found = closest_id(self.workspace, self.namespace, wanted);
        self.cache.insert(wanted.to_string(), found.clone());
        found
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
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
