//! Code lenses: what the rest of the workspace says about a construct,
//! above it, with the places it counts as targets (the client shows them
//! as references).
//!
//! - On a figure: `4 other values for strike.workers · 2 contradict`
//!   (only when another figure states the key).
//! - On a quote stated elsewhere too: `2 other attributions · 1 to Jane Doe`.
//! - On every definition: `3 mentions · 1 quote`, `4 citations`, `5 figures`.

use super::lookup::{block_of, definitions, field, plural, uses};
use super::FileRange;
use crate::syntax::TextRange;
use crate::workspace::{FileId, Loc, Namespace, Workspace};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeLensKind {
    FigureValues,
    QuoteAttributions,
    DefinitionUses,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeLens {
    /// The construct the lens is about; shown above its first line.
    pub range: TextRange,
    pub kind: CodeLensKind,
    pub title: String,
    /// The places counted, sorted by file and position.
    pub targets: Vec<FileRange>,
}

pub fn code_lenses(workspace: &Workspace, file: FileId) -> Vec<CodeLens> {
    let Some(entry) = workspace.file(file) else { return Vec::new() };
    let analysis = &entry.analysis;
    let index = workspace.index();
    let mut lenses = Vec::new();

    for (item, figure) in analysis.figures.iter().enumerate() {
        let me = Loc::new(file, item);
        let others: Vec<FileRange> = index
            .figures_of(figure.key.name)
            .iter()
            .filter(|loc| **loc != me)
            .filter_map(|loc| {
                let range = workspace.file(loc.file)?.analysis.figures.get(loc.item())?.range;
                Some(FileRange { file: loc.file, range })
            })
            .collect();
        if others.is_empty() {
            continue;
        }
        let contradicting = workspace.conflicts(figure.key.name).and_then(|c| c.partners.get(&me)).map_or(0, |p| p.1);
        let mut title = format!("{} for {}", plural(others.len(), "other value"), workspace.name(figure.key.name));
        if contradicting > 0 {
            title.push_str(&format!(" · {contradicting} contradict"));
        }
        lenses.push(CodeLens { range: figure.range, kind: CodeLensKind::FigureValues, title, targets: sorted(others) });
    }

    for (item, quote) in analysis.quotes.iter().enumerate() {
        let me = Loc::new(file, item);
        let mut others = Vec::new();
        let mut other_speakers: Vec<&str> = Vec::new();
        let mut to_others = 0;
        for loc in index.quotes_with_text(&quote.normalized).iter().filter(|l| **l != me) {
            let Some(other) = workspace.file(loc.file).and_then(|e| e.analysis.quotes.get(loc.item())) else {
                continue;
            };
            others.push(FileRange { file: loc.file, range: other.range });
            if other.speaker.name != quote.speaker.name {
                to_others += 1;
                if !other_speakers.contains(&workspace.name(other.speaker.name)) {
                    other_speakers.push(workspace.name(other.speaker.name));
                }
            }
        }
        if others.is_empty() {
            continue;
        }
        let mut title = plural(others.len(), "other attribution");
        match other_speakers.as_slice() {
            [] => {}
            [one] => title.push_str(&format!(" · {to_others} to {}", entity_name(workspace, one))),
            _ => title.push_str(&format!(" · {to_others} to {} other speakers", other_speakers.len())),
        }
        lenses.push(CodeLens {
            range: quote.range,
            kind: CodeLensKind::QuoteAttributions,
            title,
            targets: sorted(others),
        });
    }

    for definition in &analysis.definitions {
        let id = workspace.name(definition.id.name);
        let targets = uses(workspace, definition.namespace, id);
        let title = match definition.namespace {
            Namespace::Entity => {
                let mentions = index.mentions(id).len();
                let quotes = index.quotes_by(id).len();
                format!("{} · {}", plural(mentions, "mention"), plural(quotes, "quote"))
            }
            Namespace::Source => plural(targets.len(), "citation"),
            Namespace::Quantity => plural(targets.len(), "figure"),
        };
        lenses.push(CodeLens { range: definition.range, kind: CodeLensKind::DefinitionUses, title, targets });
    }
    lenses.sort_by_key(|l| (l.range.start(), l.range.end()));
    lenses
}

fn sorted(mut ranges: Vec<FileRange>) -> Vec<FileRange> {
    ranges.sort_by_key(|r| (r.file, r.range.start(), r.range.end()));
    ranges
}

/// An entity's `name:`, else its id.
fn entity_name(workspace: &Workspace, id: &str) -> String {
    definitions(workspace, Namespace::Entity, id)
        .iter()
        .find_map(|(_, entry, d)| block_of(entry, d).and_then(|b| field(b, "name")))
        .unwrap_or(id)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{fixture, world, Fixture};
    use super::*;

    /// `line:col title -> targets`, for every lens of the cursor's file.
    fn show(f: &Fixture) -> Vec<String> {
        code_lenses(&f.workspace, f.file)
            .iter()
            .map(|l| {
                let (line, col) = super::super::fixture::line_col(f.text(f.file), l.range.start());
                let targets: Vec<String> = l
                    .targets
                    .iter()
                    .map(|t| {
                        let name = super::super::lookup::short_name(&f.workspace, t.file);
                        let (line, col) = super::super::fixture::line_col(f.text(t.file), t.range.start());
                        format!("{name}:{line}:{col}")
                    })
                    .collect();
                format!("{line}:{col} {} -> {}", l.title, targets.join(" "))
            })
            .collect()
    }

    #[test]
    fn figures_count_other_values_and_contradictions() {
        // ap says about 500 (450–550) and, for 2019, about 600 (540–660);
        // forces says roughly 500 and 580 for 2019: nothing contradicts.
        assert_eq!(
            show(&world("[about 500 troops]$0")),
            [
                "1:1 2 citations -> forces.news.md:8:102 forces.news.md:10:76",
                "12:98 3 other values for nato-iraq.personnel -> ap.news.md:16:16 forces.news.md:8:52 forces.news.md:10:27",
                "16:16 3 other values for nato-iraq.personnel -> ap.news.md:12:98 forces.news.md:8:52 forces.news.md:10:27",
            ]
        );
        let f = fixture(
            "//- /a.news.md\n[1,200]{fig=k asof=2020}[@x] [2,000]{fig=k asof=2020}[@x]\n//- /b.news.md\n[1,250]{fig=k asof=2020}[@x]\n",
        );
        assert_eq!(
            show(&f),
            [
                "1:1 2 other values for k · 2 contradict -> a.news.md:1:30 b.news.md:1:1",
                "1:30 2 other values for k · 2 contradict -> a.news.md:1:1 b.news.md:1:1",
            ]
        );
    }

    #[test]
    fn quotes_stated_elsewhere() {
        let f = fixture(
            "//- /a.news.md\n[“We stay.”]{by=x}[@s] [“We stay”]{by=x}[@s]\n//- /b.news.md\n[“we STAY”]{by=y}[@s]\n\
             //- /e.news.md\n::: entity y\nname: Jane Doe\n:::\n",
        );
        assert_eq!(
            show(&f),
            [
                "1:1 2 other attributions · 1 to Jane Doe -> a.news.md:1:24 b.news.md:1:1",
                "1:24 2 other attributions · 1 to Jane Doe -> a.news.md:1:1 b.news.md:1:1",
            ]
        );
        let f = fixture("[“Alone”]{by=x}[@s]\n");
        assert!(show(&f).is_empty());
    }

    #[test]
    fn definitions_count_their_uses() {
        assert_eq!(
            show(&world("::: entity nato$0")),
            [
                "3:1 2 mentions · 1 quote -> ap.news.md:12:59 ap.news.md:14:73 forces.news.md:8:19",
                "13:1 1 mention · 0 quotes -> ap.news.md:12:12",
                "18:1 2 mentions · 0 quotes -> ap.news.md:14:35 forces.news.md:8:137",
            ]
        );
        assert_eq!(
            show(&world("::: source reuters$0")),
            [
                "3:1 2 citations -> ap.news.md:12:147 ap.news.md:16:71",
                "10:1 4 figures -> ap.news.md:12:121 ap.news.md:16:39 forces.news.md:8:80 forces.news.md:10:44",
            ]
        );
    }
}
