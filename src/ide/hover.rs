//! Hover: who an entity is, what a figure was read as (and what else the
//! workspace says about its key), what a citation points at.
//!
//! The hover range is the construct hovered: the whole span (`[…]{…}`) for a
//! mention, quote or figure, the `@id` for a citation item, the id for a
//! block header or the front matter's `id:`.

use super::lookup::{block_of, code, definitions, field, md, plural, short_name, span_plain_text};
use super::symbol_at::{site_at, Site};
use super::HoverResult;
use crate::checks::closest_id;
use crate::syntax::{BlockKind, CiteItem, SpanKind};
use crate::workspace::analysis::{citations_of, Figure};
use crate::workspace::{FileId, Namespace, Workspace};

/// Rows of the "other values" table beyond this are summarised.
const MAX_ROWS: usize = 20;

pub fn hover(workspace: &Workspace, file: FileId, offset: usize) -> Option<HoverResult> {
    let entry = workspace.file(file)?;
    let analysis = &entry.analysis;
    let syntax = &analysis.syntax;
    let site = site_at(analysis, offset)?;
    let (range, markdown) = match site {
        Site::SpanText(s) | Site::SpanId(s) | Site::SpanMarkup(s) => {
            let span = syntax.spans.get(s)?;
            let markdown = match &span.kind {
                SpanKind::Mention { entity } => entity_hover(workspace, &entity.text),
                SpanKind::Quote { speaker } => entity_hover(workspace, &speaker.text),
                SpanKind::Figure { .. } => figure_hover(workspace, file, s)?,
                SpanKind::Unknown => return None,
            };
            (span.range.clone(), markdown)
        }
        Site::CiteItem { citation, item } => {
            let item = syntax.citations.get(citation)?.items.get(item)?;
            let range = item.id.range.start.saturating_sub(1)..item.id.range.end;
            (range, source_hover(workspace, &item.id.text, Some(item)))
        }
        Site::BlockId(b) => {
            let block = syntax.blocks.get(b)?;
            let markdown = match block.kind {
                BlockKind::Entity => entity_hover(workspace, &block.id.text),
                BlockKind::Source => source_hover(workspace, &block.id.text, None),
                BlockKind::Quantity => key_hover(workspace, &block.id.text),
            };
            (block.id.range.clone(), markdown)
        }
        Site::ArticleId => {
            let id = &analysis.article.as_ref()?.id;
            (id.range.clone(), source_hover(workspace, &id.text, None))
        }
    };
    Some(HoverResult { range, markdown })
}

fn unknown(workspace: &Workspace, namespace: Namespace, id: &str, prefix: &str) -> String {
    let what = match namespace {
        Namespace::Source => "no article or source has this id",
        Namespace::Entity => "no `::: entity` block defines it",
        Namespace::Quantity => "no `::: quantity` block describes it",
    };
    let mut out = format!("Unknown {} {}: {what}.", namespace.describe(), code(&format!("{prefix}{id}")));
    if let Some(near) = closest_id(workspace, namespace, id) {
        out.push_str(&format!(" Did you mean {}?", code(&format!("{prefix}{near}"))));
    }
    out
}

/// "defined in 2 places: a.news.md, b.news.md" when an id is defined more than once.
fn duplicate_note(workspace: &Workspace, files: &[FileId]) -> Option<String> {
    if files.len() < 2 {
        return None;
    }
    let names: Vec<String> = files.iter().map(|&f| md(&short_name(workspace, f))).collect();
    Some(format!("⚠ defined in {} places: {}", files.len(), names.join(", ")))
}

fn entity_hover(workspace: &Workspace, id: &str) -> String {
    let defs = definitions(workspace, Namespace::Entity, id);
    let Some(block) = defs.iter().find_map(|(_, entry, d)| block_of(&entry.analysis, d)) else {
        return unknown(workspace, Namespace::Entity, id, "");
    };
    let mut parts = Vec::new();
    let mut heading = format!("**{}**", md(field(block, "name").unwrap_or(id)));
    if let Some(kind) = field(block, "kind") {
        heading.push_str(&format!(" — {}", md(kind)));
    }
    parts.push(heading);
    let dates = match (field(block, "from"), field(block, "until")) {
        (Some(from), Some(until)) => Some(format!("{from} – {until}")),
        (Some(from), None) => Some(format!("since {from}")),
        (None, Some(until)) => Some(format!("until {until}")),
        (None, None) => None,
    };
    match (field(block, "role"), dates) {
        (Some(role), Some(dates)) => parts.push(format!("{} ({dates})", md(role))),
        (Some(role), None) => parts.push(md(role)),
        (None, Some(dates)) => parts.push(format!("({dates})")),
        (None, None) => {}
    }
    if let Some(about) = field(block, "about") {
        parts.push(md(about));
    }
    if let Some(aliases) = field(block, "aliases") {
        parts.push(format!("*Also known as:* {}", md(aliases)));
    }
    let index = workspace.index();
    let mentions = index.mentions_by_entity.get(id).map_or(&[][..], Vec::as_slice);
    let quotes = index.quotes_by_speaker.get(id).map_or(&[][..], Vec::as_slice);
    let mut files: Vec<FileId> = mentions.iter().chain(quotes).map(|l| l.file).collect();
    files.sort();
    files.dedup();
    parts.push(format!(
        "{} · {} and {} in {}",
        code(id),
        plural(mentions.len(), "mention"),
        plural(quotes.len(), "quote"),
        plural(files.len(), "file")
    ));
    let def_files: Vec<FileId> = defs.iter().map(|(f, _, _)| *f).collect();
    parts.extend(duplicate_note(workspace, &def_files));
    parts.join("\n\n")
}

/// Title, outlet, date and url of an article or source; with the prefix
/// and locator written in the citation item hovered, if any.
fn source_hover(workspace: &Workspace, id: &str, item: Option<&CiteItem>) -> String {
    let defs = definitions(workspace, Namespace::Source, id);
    let Some((file, entry, definition)) = defs.first() else {
        return unknown(workspace, Namespace::Source, id, "@");
    };
    let (what, title, outlet, published, author, url) = match block_of(&entry.analysis, definition) {
        Some(block) => (
            "source",
            field(block, "title").map(str::to_string),
            field(block, "outlet").map(str::to_string),
            field(block, "published").map(str::to_string),
            field(block, "author").map(str::to_string),
            field(block, "url").map(str::to_string),
        ),
        None => {
            let article = entry.analysis.article.as_ref();
            (
                "article",
                article.and_then(|a| a.title.clone()),
                article.and_then(|a| a.outlet.clone()),
                article.and_then(|a| a.published).map(|d| d.to_string()),
                article.and_then(|a| a.author.clone()),
                article.and_then(|a| a.url.clone()),
            )
        }
    };
    let mut parts = vec![format!("**{}**", md(title.as_deref().unwrap_or(id)))];
    let byline: Vec<String> = [outlet, published, author].into_iter().flatten().map(|s| md(&s)).collect();
    if !byline.is_empty() {
        parts.push(byline.join(" · "));
    }
    if let Some(url) = url {
        if url.contains(char::is_whitespace) || url.contains(['<', '>']) {
            parts.push(md(&url));
        } else {
            parts.push(format!("<{url}>"));
        }
    }
    parts.push(format!("{} · {what} in {}", code(&format!("@{id}")), md(&short_name(workspace, *file))));
    if let Some(item) = item {
        let cited_as: Vec<String> = [("prefix", &item.prefix), ("locator", &item.locator)]
            .into_iter()
            .filter(|(_, text)| !text.is_empty())
            .map(|(what, text)| format!("{what} “{}”", md(text)))
            .collect();
        if !cited_as.is_empty() {
            parts.push(format!("Cited here with {}", cited_as.join(" and ")));
        }
    }
    let def_files: Vec<FileId> = defs.iter().map(|(f, _, _)| *f).collect();
    parts.extend(duplicate_note(workspace, &def_files));
    parts.join("\n\n")
}

/// "**Personnel in NATO Mission Iraq** (troops)" and the key, from the
/// `::: quantity` block; just the key when no block describes it.
fn key_heading(workspace: &Workspace, key: &str) -> String {
    let defs = definitions(workspace, Namespace::Quantity, key);
    let block = defs.iter().find_map(|(_, entry, d)| block_of(&entry.analysis, d));
    let label = block.and_then(|b| field(b, "label"));
    let unit = block.and_then(|b| field(b, "unit"));
    let mut heading = match label {
        Some(label) => format!("**{}**", md(label)),
        None => format!("**{}**", code(key)),
    };
    if let Some(unit) = unit {
        heading.push_str(&format!(" ({})", md(unit)));
    }
    if label.is_some() {
        heading.push_str(&format!("\n\n{}", code(key)));
    } else if block.is_none() {
        heading.push_str("\n\nNo `::: quantity` block describes this key.");
    }
    heading
}

fn key_hover(workspace: &Workspace, key: &str) -> String {
    let mut parts = vec![key_heading(workspace, key)];
    let all = stated_values(workspace, key, None);
    if all.is_empty() {
        parts.push("No figure states this key.".to_string());
    } else {
        parts.push(format!("Stated by {}:\n\n{}", plural(all.len(), "figure"), values_table(workspace, &all)));
    }
    let def_files: Vec<FileId> = definitions(workspace, Namespace::Quantity, key).iter().map(|(f, _, _)| *f).collect();
    parts.extend(duplicate_note(workspace, &def_files));
    parts.join("\n\n")
}

/// Every figure stating `key`, but `except` (file, span): in file order.
fn stated_values<'a>(
    workspace: &'a Workspace,
    key: &str,
    except: Option<(FileId, usize)>,
) -> Vec<(FileId, &'a Figure)> {
    let mut found: Vec<(FileId, &Figure)> = workspace
        .index()
        .figures_by_key
        .get(key)
        .into_iter()
        .flatten()
        .filter_map(|loc| Some((loc.file, workspace.file(loc.file)?.analysis.figures.get(loc.item)?)))
        .filter(|(file, figure)| except != Some((*file, figure.span)))
        .collect();
    found.sort_by_key(|(file, figure)| (short_name(workspace, *file), *file, figure.span));
    found
}

fn values_table(workspace: &Workspace, figures: &[(FileId, &Figure)]) -> String {
    let mut table = String::from("| value | as of | stated as | file |\n|---|---|---|---|");
    for (file, figure) in figures.iter().take(MAX_ROWS) {
        let entry = workspace.entry(*file);
        let stated = entry
            .analysis
            .syntax
            .spans
            .get(figure.span)
            .map(|s| span_plain_text(entry, s.text_range.clone()))
            .unwrap_or_default();
        let period = figure.period.map_or_else(|| "undated".to_string(), |p| p.to_string());
        table.push_str(&format!(
            "\n| {} | {} | {} | {} |",
            code(&figure.interval.to_string()),
            period,
            md(&stated),
            md(&short_name(workspace, *file))
        ));
    }
    if figures.len() > MAX_ROWS {
        table.push_str(&format!("\n\n… and {} more", figures.len() - MAX_ROWS));
    }
    table
}

fn figure_hover(workspace: &Workspace, file: FileId, span_index: usize) -> Option<String> {
    let entry = workspace.file(file)?;
    let analysis = &entry.analysis;
    let span = analysis.syntax.spans.get(span_index)?;
    let SpanKind::Figure { key } = &span.kind else { return None };
    let mut parts = vec![key_heading(workspace, &key.text)];
    let figure = analysis.figures.iter().find(|f| f.span == span_index);
    match figure {
        Some(figure) => {
            let period = match figure.period {
                Some(p) => format!("as of {p}"),
                None => "undated (no `asof=` and no `published` date)".to_string(),
            };
            parts.push(format!("Read as {}, {period}", code(&figure.interval.to_string())));
        }
        None => parts.push("The value could not be read: see the diagnostic on this figure.".to_string()),
    }
    let cited = match figure {
        Some(f) => f.citations.clone(),
        None => citations_of(&analysis.syntax, span_index),
    };
    let mut ids = cited.ids.clone();
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    if ids.is_empty() {
        parts.push("Cited: nothing".to_string());
    } else {
        let lines: Vec<String> = ids.iter().map(|id| format!("- {}", citation_line(workspace, id))).collect();
        parts.push(format!("Cited:\n{}", lines.join("\n")));
    }
    let others = stated_values(workspace, &key.text, Some((file, span_index)));
    if others.is_empty() {
        parts.push(format!("No other figure states {}.", code(&key.text)));
    } else {
        parts.push(format!("Other values for {}:\n\n{}", code(&key.text), values_table(workspace, &others)));
    }
    Some(parts.join("\n\n"))
}

/// "`@id` — Title" (or "unknown source").
fn citation_line(workspace: &Workspace, id: &str) -> String {
    let label = code(&format!("@{id}"));
    let Some((_, entry, definition)) = definitions(workspace, Namespace::Source, id).into_iter().next() else {
        return format!("{label} (unknown source)");
    };
    let title = match block_of(&entry.analysis, definition) {
        Some(block) => field(block, "title").map(str::to_string),
        None => entry.analysis.article.as_ref().and_then(|a| a.title.clone()),
    };
    match title {
        Some(title) => format!("{label} — {}", md(&title)),
        None => label,
    }
}
