//! Test fixtures: a workspace from one string holding several files.
//!
//! ```text
//! //- /a.news.md
//! [Jens$0 Stoltenberg]{ent=stoltenberg}
//! //- /entities.news.md
//! ::: entity stoltenberg
//! :::
//! ```
//!
//! `$0` marks the cursor; two `$0` in one file mark a range. Text before
//! the first `//- ` line is a file named `/main.news.md`.

use super::FileRange;
use crate::config::Config;
use crate::syntax::TextRange;
use crate::workspace::{FileId, Workspace};

pub(crate) const CURSOR: &str = "$0";

pub(crate) struct Fixture {
    pub workspace: Workspace,
    /// The file holding the cursor, else the first file.
    pub file: FileId,
    /// The cursor, or the start of the marked range; 0 without a marker.
    pub offset: usize,
    /// The marked range; empty at the cursor for a single marker.
    pub range: TextRange,
}

pub(crate) fn fixture(text: &str) -> Fixture {
    let mut files: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("//- ") {
            files.push((name.trim().to_string(), String::new()));
            continue;
        }
        if files.is_empty() {
            files.push(("/main.news.md".to_string(), String::new()));
        }
        if let Some((_, body)) = files.last_mut() {
            body.push_str(line);
        }
    }
    let mut marked: Option<(String, TextRange)> = None;
    for (name, body) in &mut files {
        let mut offsets = Vec::new();
        while let Some(at) = body.find(CURSOR) {
            body.replace_range(at..at + CURSOR.len(), "");
            offsets.push(at);
        }
        match offsets.as_slice() {
            [] => {}
            [at] => marked = Some((name.clone(), TextRange::empty(*at))),
            [start, end] => marked = Some((name.clone(), TextRange::new(*start, *end))),
            _ => panic!("more than two cursor markers in {name}"),
        }
    }
    let first = files.first().map(|(name, _)| name.clone()).expect("a fixture has a file");
    let workspace = Workspace::from_files(Config::default(), files);
    let (name, range) = marked.unwrap_or((first, TextRange::empty(0)));
    let file = workspace.file_id(&name).expect("fixture file exists");
    Fixture { workspace, file, offset: range.start(), range }
}

impl Fixture {
    pub fn file_named(&self, name: &str) -> FileId {
        self.workspace.file_id(name).unwrap_or_else(|| panic!("no file {name}"))
    }

    pub fn text(&self, file: FileId) -> &str {
        &self.workspace.entry(file).text
    }

    /// `a.news.md:3:5 "text"`: the short name, 1-based line and column (in
    /// characters) of the start, and the text of the range.
    pub fn show(&self, file: FileId, range: &TextRange) -> String {
        let text = self.text(file);
        let name = super::lookup::short_name(&self.workspace, file);
        let (line, col) = line_col(text, range.start());
        format!("{name}:{line}:{col} {:?}", &text[*range])
    }

    pub fn show_all(&self, ranges: &[FileRange]) -> Vec<String> {
        ranges.iter().map(|r| self.show(r.file, &r.range)).collect()
    }

    /// The text after applying a file's edits (which must not overlap).
    pub fn apply(&self, file: FileId, edits: &[super::TextEdit]) -> String {
        let mut text = self.text(file).to_string();
        let mut sorted: Vec<&super::TextEdit> = edits.iter().collect();
        sorted.sort_by_key(|e| std::cmp::Reverse((e.range.start(), e.range.end())));
        for edit in sorted {
            text.replace_range(edit.range.to_range(), &edit.new_text);
        }
        text
    }
}

/// 1-based line and column, the column counted in characters.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[test]
fn fixture_reads_files_and_cursor() {
    let f = fixture("//- /a.news.md\nab$0c\n//- /b.news.md\nx$0yz$0\n");
    assert_eq!(f.workspace.len(), 2);
    assert_eq!(f.file, f.file_named("/b.news.md"));
    assert_eq!(f.range, 1..3);
    assert_eq!(f.text(f.file_named("/a.news.md")), "abc\n");
    assert_eq!(f.show(f.file, &f.range), "b.news.md:1:2 \"yz\"");
}

/// A small workspace shared by the feature tests: two articles citing each
/// other and a source, entities and a quantity in files of their own.
pub(crate) const WORLD: &str = r#"//- /ap.news.md
---
id: ap-2020-02-13
title: Iraq green-lights resumption of NATO training effort
outlet: Associated Press
author: Lorne Cook
published: 2020-02-13
url: https://example.org/ap
---

# NATO to expand Iraq mission

[NATO]{ent=nato} Secretary General [Jens Stoltenberg]{ent=stoltenberg} said the mission involves [about 500 troops]{fig=nato-iraq.personnel}[see @reuters-2020-02-12, para. 4].

[“We will only stay in [Iraq]{ent=iraq} as long as we are welcome,”]{by=stoltenberg}[@forces-news-2020-02-12]

In 2019 it had [about 600 troops]{fig=nato-iraq.personnel asof=2019}[@reuters-2020-02-12]. Canada leads the mission with 250 soldiers.
//- /forces.news.md
---
id: forces-news-2020-02-12
title: NATO chief says Iraq mission will stay
outlet: Forces News
published: 2020-02-12
---

[Stoltenberg]{ent=stoltenberg} told reporters that [roughly 500 personnel]{fig=nato-iraq.personnel}[@ap-2020-02-13] serve in [Iraq]{ent=iraq}.

Last year the mission had [580 troops]{fig=nato-iraq.personnel asof=2019}[@ap-2020-02-13].
//- /entities.news.md
# Entities

::: entity stoltenberg
name: Jens Stoltenberg
kind: person
role: Secretary General of NATO
from: 2014-10-01
until: 2024-10-01
aliases: Stoltenberg; Jens Stoltenberg
about: Norwegian politician, former prime minister of Norway.
:::

::: entity nato
name: North Atlantic Treaty Organization
kind: organisation
:::

::: entity iraq
name: Iraq
kind: country
:::
//- /sources.news.md
# Sources

::: source reuters-2020-02-12
title: NATO agrees to expand Iraq mission
outlet: Reuters
published: 2020-02-12
url: https://example.org/reuters
:::

::: quantity nato-iraq.personnel
label: Personnel serving in NATO Mission Iraq
unit: troops
:::
"#;

/// [`WORLD`] with the cursor where `marked` says: `marked` is a piece of
/// the world's text with `$0` (or two) in it, found by its first occurrence.
pub(crate) fn world(marked: &str) -> Fixture {
    let plain = marked.replace(CURSOR, "");
    assert!(WORLD.contains(&plain), "{plain:?} is not in the world");
    fixture(&WORLD.replacen(&plain, marked, 1))
}

/// Every test checks what the client relies on: ranges inside the text
/// and on char boundaries.
pub(crate) fn assert_valid_range(text: &str, range: &TextRange) {
    assert!(range.start() <= range.end() && range.end() <= text.len(), "{range:?} outside the text");
    assert!(text.is_char_boundary(range.start()) && text.is_char_boundary(range.end()), "{range:?} splits a char");
}

/// [`WORLD`] with `typed` (holding `$0`) inserted after the first
/// occurrence of `after`: text being typed.
pub(crate) fn world_typing(after: &str, typed: &str) -> Fixture {
    assert!(WORLD.contains(after), "{after:?} is not in the world");
    fixture(&WORLD.replacen(after, &format!("{after}{typed}"), 1))
}
