//! "Did you mean": the defined id closest to a misspelt one.

use crate::workspace::{Namespace, Workspace};

pub fn closest_id(workspace: &Workspace, namespace: Namespace, wanted: &str) -> Option<String> {
    let limit = (wanted.chars().count() / 3).max(1);
    workspace
        .index()
        .definitions
        .keys()
        .filter(|(ns, _)| *ns == namespace)
        .map(|(_, id)| (edit_distance(&wanted.to_lowercase(), &id.to_lowercase()), id))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, id)| id.clone())
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
