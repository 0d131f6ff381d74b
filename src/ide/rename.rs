//! Rename an entity id, an article or source id, or a quantity key in
//! every file: each definition's id (block header or front matter `id:`)
//! and each use (`ent=`, `by=`, `@`, `fig=`).

use super::lookup::{declarations, definitions, short_name, uses};
use super::symbol_at::{symbol_at, SymbolAt};
use super::{SourceChange, TextEdit};
use crate::syntax::{is_valid_id, TextRange};
use crate::workspace::{FileId, Workspace};

fn renamable(workspace: &Workspace, file: FileId, offset: usize) -> Result<SymbolAt, String> {
    symbol_at(workspace, file, offset).ok_or_else(|| {
        "nothing to rename here: put the cursor on an entity, article, source or quantity id".to_string()
    })
}

/// The range of the id to rename, as written at the cursor.
pub fn prepare_rename(workspace: &Workspace, file: FileId, offset: usize) -> Result<TextRange, String> {
    renamable(workspace, file, offset).map(|symbol| symbol.range)
}

pub fn rename(workspace: &Workspace, file: FileId, offset: usize, new_name: &str) -> Result<SourceChange, String> {
    let symbol = renamable(workspace, file, offset)?;
    if !is_valid_id(new_name) {
        return Err(format!(
            "`{new_name}` is not a valid id: use letters, digits, `.`, `_` and `-`, starting with a letter or digit"
        ));
    }
    if new_name == symbol.id {
        return Ok(SourceChange::default());
    }
    if let Some((other, _, _)) = definitions(workspace, symbol.namespace, new_name).first() {
        return Err(format!(
            "cannot rename to `{new_name}`: {} `{new_name}` is already defined in {}",
            symbol.namespace.describe(),
            short_name(workspace, *other)
        ));
    }
    let mut ranges = uses(workspace, symbol.namespace, &symbol.id);
    ranges.extend(declarations(workspace, symbol.namespace, &symbol.id));
    ranges.sort_by_key(|r| (r.file, r.range.start(), r.range.end()));
    ranges.dedup();
    let mut change = SourceChange::default();
    for range in ranges {
        let edit = TextEdit { range: range.range, new_text: new_name.to_string() };
        match change.edits.last_mut() {
            Some((f, edits)) if *f == range.file => edits.push(edit),
            _ => change.edits.push((range.file, vec![edit])),
        }
    }
    Ok(change)
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{world, Fixture};
    use super::*;

    /// Every changed file, after the change, as "== name\ntext".
    fn renamed(f: &Fixture, new_name: &str) -> String {
        let change = rename(&f.workspace, f.file, f.offset, new_name).expect("rename works");
        let mut out = String::new();
        for (file, edits) in &change.edits {
            out.push_str(&format!("== {}\n{}", short_name(&f.workspace, *file), f.apply(*file, edits)));
        }
        out
    }

    #[test]
    fn entity_across_files_from_a_mention() {
        let f = world("[Jens Stolten$0berg]");
        let range = prepare_rename(&f.workspace, f.file, f.offset).expect("renamable");
        assert_eq!(f.show(f.file, &range), "ap.news.md:12:59 \"stoltenberg\"");
        let out = renamed(&f, "jens-stoltenberg");
        assert!(!out.contains("=stoltenberg") && !out.contains("entity stoltenberg"), "{out}");
        assert_eq!(out.matches("ent=jens-stoltenberg").count(), 2, "{out}");
        assert_eq!(out.matches("by=jens-stoltenberg").count(), 1, "{out}");
        assert!(out.contains("== entities.news.md\n# Entities\n\n::: entity jens-stoltenberg\nname: Jens Stoltenberg"));
        let files: Vec<&str> = out.lines().filter(|l| l.starts_with("== ")).collect();
        assert_eq!(files, ["== ap.news.md", "== forces.news.md", "== entities.news.md"]);
    }

    #[test]
    fn article_id_renames_front_matter_and_citations() {
        let f = world("personnel}[@ap-2020$0");
        let out = renamed(&f, "ap-nato");
        assert!(out.contains("== ap.news.md\n---\nid: ap-nato\n"), "{out}");
        assert_eq!(out.matches("[@ap-nato]").count(), 2, "{out}");
        assert!(!out.contains("ap-2020-02-13"), "{out}");
    }

    #[test]
    fn quantity_key_from_its_block() {
        let f = world("::: quantity nato-iraq.pers$0onnel");
        let change = rename(&f.workspace, f.file, f.offset, "nato-iraq.troops").expect("rename works");
        let edits: usize = change.edits.iter().map(|(_, e)| e.len()).sum();
        assert_eq!(edits, 5, "four figures and the block");
        assert!(change.edits.iter().flat_map(|(_, e)| e).all(|e| e.new_text == "nato-iraq.troops"));
    }

    #[test]
    fn errors_say_why() {
        let f = world("Canada$0 leads");
        let nothing = "nothing to rename here: put the cursor on an entity, article, source or quantity id";
        assert_eq!(prepare_rename(&f.workspace, f.file, f.offset), Err(nothing.to_string()));
        assert_eq!(rename(&f.workspace, f.file, f.offset, "x"), Err(nothing.to_string()));
        let f = world("[Jens Stolten$0berg]");
        assert_eq!(
            rename(&f.workspace, f.file, f.offset, "jens stoltenberg"),
            Err("`jens stoltenberg` is not a valid id: use letters, digits, `.`, `_` and `-`, starting with a letter or digit"
                .to_string())
        );
        assert_eq!(
            rename(&f.workspace, f.file, f.offset, "nato"),
            Err("cannot rename to `nato`: entity `nato` is already defined in entities.news.md".to_string())
        );
        // Article ids and source ids share a namespace.
        let f = world("personnel}[@ap-2020$0");
        assert_eq!(
            rename(&f.workspace, f.file, f.offset, "reuters-2020-02-12"),
            Err("cannot rename to `reuters-2020-02-12`: article or source `reuters-2020-02-12` is already defined in sources.news.md"
                .to_string())
        );
        // Renaming to itself changes nothing.
        assert_eq!(rename(&f.workspace, f.file, f.offset, "ap-2020-02-13"), Ok(SourceChange::default()));
    }
}
