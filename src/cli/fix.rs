//! `newsmark check --fix`: apply the fixes attached to the findings of the
//! reported files, re-check, repeat while something changes, then write the
//! changed files back. The report that follows shows what is left.

use crate::checks;
use crate::fix::{apply_fixes, Applicability};
use crate::workspace::{FileId, Workspace};

/// A fix can make another one possible (or needed): re-check at most this
/// many times. Each pass fixes at least one finding or stops.
const MAX_PASSES: usize = 10;

/// What `--fix` changed in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixedFile {
    pub file: FileId,
    pub name: String,
    /// Findings fixed, over every pass.
    pub fixed: usize,
    /// The text before any fix, to tell whether the file really changed.
    original: std::sync::Arc<str>,
}

/// Applies, in the workspace, every fix of at least `threshold` attached to
/// a finding of `files`, re-checking after each pass; returns the files
/// that changed, in the order of `files`. Nothing is written to disk.
pub fn fix_in_workspace(workspace: &mut Workspace, files: &[FileId], threshold: Applicability) -> Vec<FixedFile> {
    let mut changed: Vec<FixedFile> = Vec::new();
    for _ in 0..MAX_PASSES {
        let mut progress = false;
        for &file in files {
            let Some(entry) = workspace.file(file) else { continue };
            let diagnostics = checks::file_diagnostics(workspace, file);
            let fixes = diagnostics.iter().filter_map(|d| d.fix.as_ref()).filter(|f| f.applicability >= threshold);
            let applied = apply_fixes(&entry.text, fixes);
            if applied.applied == 0 || applied.text == *entry.text {
                continue;
            }
            let (name, original) = (entry.name.clone(), entry.text.clone());
            match changed.iter_mut().find(|c| c.file == file) {
                Some(seen) => seen.fixed += applied.applied,
                None => changed.push(FixedFile { file, name: name.clone(), fixed: applied.applied, original }),
            }
            workspace.set_file(&name, applied.text.into());
            progress = true;
        }
        if !progress {
            break;
        }
    }
    changed.retain(|c| workspace.file(c.file).is_some_and(|e| e.text != c.original));
    let order = |c: &FixedFile| files.iter().position(|f| *f == c.file);
    changed.sort_by_key(order);
    changed
}

/// Writes each changed file's new text to its path (the name it was read
/// under); the error names the file that could not be written.
pub fn write_fixed(workspace: &Workspace, changed: &[FixedFile]) -> Result<(), String> {
    for c in changed {
        let Some(entry) = workspace.file(c.file) else { continue };
        std::fs::write(&c.name, entry.text.as_bytes())
            .map_err(|e| format!("{}: cannot write the fixed file: {e}", c.name))?;
    }
    Ok(())
}

/// "Fixed 2 findings in a.news.md", one line per file, and a total.
pub fn summary(changed: &[FixedFile]) -> String {
    let plural = |n: usize, one: &str, many: &str| if n == 1 { format!("{n} {one}") } else { format!("{n} {many}") };
    let mut out = String::new();
    for c in changed {
        out.push_str(&format!("newsmark: fixed {} in {}\n", plural(c.fixed, "finding", "findings"), c.name));
    }
    let total: usize = changed.iter().map(|c| c.fixed).sum();
    out.push_str(&format!(
        "newsmark: fixed {} in {}\n",
        plural(total, "finding", "findings"),
        plural(changed.len(), "file", "files")
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn fixed(text: &str, threshold: Applicability) -> (String, usize) {
        let mut workspace = Workspace::from_files(Config::default(), vec![("a.news.md".to_string(), text.to_string())]);
        let files: Vec<FileId> = workspace.file_ids().collect();
        let changed = fix_in_workspace(&mut workspace, &files, threshold);
        let fixed = changed.iter().map(|c| c.fixed).sum();
        (workspace.entry(files[0]).text.to_string(), fixed)
    }

    #[test]
    fn safe_fixes_make_the_markup_valid_and_the_rest_of_the_bytes_stay() {
        let text = "Said [“hi”]{by=“e”}[@s] 😀\r\n[500 troops] {fig=k}[@s] 語\r\n\r\n::: entity e\r\n:::\r\n::: source s\r\n:::\r\n";
        let (after, count) = fixed(text, Applicability::Safe);
        assert_eq!(
            after,
            "Said [“hi”]{by=\"e\"}[@s] 😀\r\n[500 troops]{fig=k}[@s] 語\r\n\r\n::: entity e\r\n:::\r\n::: source s\r\n:::\r\n"
        );
        assert_eq!(count, 2);
    }

    #[test]
    fn a_safe_fix_is_a_typo_away_and_never_picks_among_equals() {
        let defs = "\n\n::: entity stoltenberg\n:::\n::: entity jan\n:::\n::: entity jen\n:::\n::: source s\n:::\n";
        // Five edits from `stoltenberg`: the curly quotes are fixed, the id is left to a person.
        let (after, count) = fixed(&format!("[“Hi”]{{by=“Jens Stoltenberg”}}[@s]{defs}"), Applicability::Safe);
        assert_eq!((after, count), (format!("[“Hi”]{{by=\"Jens Stoltenberg\"}}[@s]{defs}"), 1));
        // One edit, one candidate: safe. One edit from two (`jan`, `jen`): unsafe.
        let (after, _) = fixed(&format!("[J]{{ent=stoltenburg}} [J]{{ent=jun}}[@s]{defs}"), Applicability::Safe);
        assert_eq!(after, format!("[J]{{ent=stoltenberg}} [J]{{ent=jun}}[@s]{defs}"));
        let (after, _) = fixed(&format!("[J]{{ent=jun}}[@s]{defs}"), Applicability::Unsafe);
        assert_eq!(after, format!("[J]{{ent=jan}}[@s]{defs}"));
    }

    #[test]
    fn nothing_to_fix_changes_nothing() {
        let text = "Plain prose.\r";
        assert_eq!(fixed(text, Applicability::Unsafe), (text.to_string(), 0));
    }
}
