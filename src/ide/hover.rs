//! Hover: who an entity is, what a figure was read as (and what else the
//! workspace says about its key), what a citation points at.
//!
//! The hover range is the construct hovered: the whole span (`[…]{…}`) for a
//! mention, quote or figure, the `@id` for a citation item, the id for a
//! block header or the front matter's `id:`.

use super::lookup::{block_of, code, definitions, field, md, plural, short_name, span_plain_text};
use super::symbol_at::{site_at, Site};
use super::HoverResult;
use crate::base::TextRange;
use crate::checks::closest_id;
use crate::syntax::{BlockKind, SourceFile, SpanKind};
use crate::workspace::analysis::{citations_of, Figure};
use crate::workspace::{FileId, Namespace, Workspace};

/// Rows of the "other values" table beyond this are summarised.
const MAX_ROWS: usize = 20;

pub fn hover(workspace: &Workspace, file: FileId, offset: usize) -> Option<HoverResult> {
    let entry = workspace.file(file)?;
    let analysis = &entry.analysis;
    let syntax = &*entry.syntax();
    let site = site_at(entry, syntax, offset)?;
    let (range, markdown) = match site {
        Site::SpanText(s) | Site::SpanId(s) | Site::SpanMarkup(s) => {
            let span = syntax.spans.get(s)?;
            let markdown = match span.kind {
                SpanKind::Mention { entity } => entity_hover(workspace, syntax.text_of(&entry.text, entity)),
                SpanKind::Quote { speaker } => entity_hover(workspace, syntax.text_of(&entry.text, speaker)),
                SpanKind::Figure { .. } => figure_hover(workspace, file, syntax, s)?,
                SpanKind::Unknown => return None,
            };
            (span.range, markdown)
        }
        Site::CiteItem { citation, item } => {
            let item = syntax.items(syntax.citations.get(citation)?.items).get(item)?;
            let range = TextRange::new(item.id.start().saturating_sub(1), item.id.end());
            let cited_as = [syntax.text_of(&entry.text, item.prefix), syntax.text_of(&entry.text, item.locator)];
            (range, source_hover(workspace, &entry.text[item.id], Some(cited_as)))
        }
        Site::BlockId(b) => {
            let block = syntax.blocks.get(b)?;
            let id = &entry.text[block.id];
            let markdown = match block.kind {
                BlockKind::Entity => entity_hover(workspace, id),
                BlockKind::Source => source_hover(workspace, id, None),
                BlockKind::Quantity => key_hover(workspace, id),
            };
            (block.id, markdown)
        }
        Site::ArticleId => {
            let id = analysis.article.as_ref()?.id;
            (id, source_hover(workspace, &entry.text[id], None))
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
    let Some(block) = defs.iter().find_map(|(_, entry, d)| block_of(entry, d)) else {
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
    let mentions = index.mentions(id);
    let quotes = index.quotes_by(id);
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
/// and locator written in the citation item hovered (`[prefix, locator]`,
/// either may be empty), if any.
fn source_hover(workspace: &Workspace, id: &str, cited_as: Option<[&str; 2]>) -> String {
    let defs = definitions(workspace, Namespace::Source, id);
    let Some((file, entry, definition)) = defs.first() else {
        return unknown(workspace, Namespace::Source, id, "@");
    };
    let (what, title, outlet, published, author, url) = match block_of(entry, definition) {
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
    if let Some([prefix, locator]) = cited_as {
        let cited_as: Vec<String> = [("prefix", prefix), ("locator", locator)]
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
    let block = defs.iter().find_map(|(_, entry, d)| block_of(entry, d));
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
        .figures(key)
        .iter()
        .filter_map(|loc| Some((loc.file, workspace.file(loc.file)?.analysis.figures.get(loc.item())?)))
        .filter(|(file, figure)| except != Some((*file, figure.span)))
        .collect();
    found.sort_by_key(|(file, figure)| (short_name(workspace, *file), *file, figure.span));
    found
}

fn values_table(workspace: &Workspace, figures: &[(FileId, &Figure)]) -> String {
    let mut table = String::from("| value | as of | stated as | file |\n|---|---|---|---|");
    for (file, figure) in figures.iter().take(MAX_ROWS) {
        // The words of another file's span are in its tree: parsed again
        // for a closed file (a row each, at most MAX_ROWS).
        let entry = workspace.entry(*file);
        let syntax = entry.syntax();
        let stated = syntax.spans.get(figure.span).map(|s| span_plain_text(entry, &syntax, s.text_range));
        let period = figure.period.map_or_else(|| "undated".to_string(), |p| p.to_string());
        table.push_str(&format!(
            "\n| {} | {} | {} | {} |",
            code(&figure.interval.to_string()),
            period,
            md(&stated.unwrap_or_default()),
            md(&short_name(workspace, *file))
        ));
    }
    if figures.len() > MAX_ROWS {
        table.push_str(&format!("\n\n… and {} more", figures.len() - MAX_ROWS));
    }
    table
}

fn figure_hover(workspace: &Workspace, file: FileId, syntax: &SourceFile, span_index: usize) -> Option<String> {
    let entry = workspace.file(file)?;
    let analysis = &entry.analysis;
    let span = syntax.spans.get(span_index)?;
    let SpanKind::Figure { key } = span.kind else { return None };
    let key = syntax.text_of(&entry.text, key);
    let mut parts = vec![key_heading(workspace, key)];
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
        None => citations_of(&entry.text, syntax, span_index, workspace.names()),
    };
    let mut ids = cited.ids.to_vec();
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(*id));
    if ids.is_empty() {
        parts.push("Cited: nothing".to_string());
    } else {
        let lines: Vec<String> =
            ids.iter().map(|id| format!("- {}", citation_line(workspace, workspace.name(*id)))).collect();
        parts.push(format!("Cited:\n{}", lines.join("\n")));
    }
    let others = stated_values(workspace, key, Some((file, span_index)));
    if others.is_empty() {
        parts.push(format!("No other figure states {}.", code(key)));
    } else {
        parts.push(format!("Other values for {}:\n\n{}", code(key), values_table(workspace, &others)));
    }
    Some(parts.join("\n\n"))
}

/// "`@id` — Title" (or "unknown source").
fn citation_line(workspace: &Workspace, id: &str) -> String {
    let label = code(&format!("@{id}"));
    let Some((_, entry, definition)) = definitions(workspace, Namespace::Source, id).into_iter().next() else {
        return format!("{label} (unknown source)");
    };
    let title = match block_of(entry, definition) {
        Some(block) => field(block, "title").map(str::to_string),
        None => entry.analysis.article.as_ref().and_then(|a| a.title.clone()),
    };
    match title {
        Some(title) => format!("{label} — {}", md(&title)),
        None => label,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{assert_valid_range, fixture, world, Fixture};
    use super::*;

    fn render(f: &Fixture) -> String {
        match hover(&f.workspace, f.file, f.offset) {
            Some(h) => {
                assert_valid_range(f.text(f.file), &h.range);
                format!("range: {}\n\n{}", f.show(f.file, &h.range), h.markdown)
            }
            None => "no hover".to_string(),
        }
    }

    #[test]
    fn entity_mention() {
        insta::assert_snapshot!("entity_mention", render(&world("[Jens Stolten$0berg]")));
    }

    #[test]
    fn quote_text_and_by_value_describe_the_speaker() {
        let on_text = render(&world("[“We will$0 only"));
        let on_by = render(&world("{by=stolten$0berg}"));
        assert_eq!(on_text, on_by);
        assert!(on_text.starts_with("range: ap.news.md:14:1 \"[“We will only stay"), "{on_text}");
        assert!(on_text.contains("**Jens Stoltenberg** — person"), "{on_text}");
        // Two mentions and one quote, in two files.
        assert!(on_text.contains("2 mentions and 1 quote in 2 files"), "{on_text}");
    }

    #[test]
    fn entity_block_id() {
        let text = render(&world("::: entity ira$0q"));
        assert_eq!(
            text,
            "range: entities.news.md:18:12 \"iraq\"\n\n**Iraq** — country\n\n`iraq` · 2 mentions and 0 quotes in 2 files"
        );
    }

    #[test]
    fn figure_with_the_other_values_of_its_key() {
        insta::assert_snapshot!("figure", render(&world("[about 5$000 troops]")));
    }

    #[test]
    fn figure_key_in_fig_attribute_hovers_like_its_text() {
        assert_eq!(render(&world("[about 500 troops]{fig=nato$0-iraq")), render(&world("[about 5$000 troops]")));
    }

    #[test]
    fn citation_of_a_source_with_locator() {
        insta::assert_snapshot!("citation_source", render(&world("[see @reut$0ers-2020-02-12, para. 4]")));
    }

    #[test]
    fn citation_of_an_article() {
        insta::assert_snapshot!("citation_article", render(&world("personnel}[@ap-20$0")));
    }

    #[test]
    fn quantity_block_lists_every_value() {
        insta::assert_snapshot!("quantity_block", render(&world("::: quantity nato-$0iraq.personnel")));
    }

    #[test]
    fn unknown_ids_suggest_the_closest() {
        let f = fixture(
            "//- /a.news.md\n[Jens]{ent=stoltenburg$0} [1]{fig=k}[@reuter]\n//- /b.news.md\n::: entity stoltenberg\n:::\n\n::: source reuters\n:::\n",
        );
        assert_eq!(
            render(&f),
            "range: a.news.md:1:1 \"[Jens]{ent=stoltenburg}\"\n\n\
             Unknown entity `stoltenburg`: no `::: entity` block defines it. Did you mean `stoltenberg`?"
        );
        let f = fixture("[1]{fig=k}[@reut$0er]\n::: source reuters\n:::\n");
        assert_eq!(
            render(&f),
            "range: main.news.md:1:12 \"@reuter\"\n\n\
             Unknown article or source `@reuter`: no article or source has this id. Did you mean `@reuters`?"
        );
        let f = fixture("[1]{fig=k}[@zz$0z]\n");
        assert!(render(&f).ends_with("no article or source has this id."), "{}", render(&f));
    }

    #[test]
    fn figure_without_quantity_block_or_readable_value() {
        let f = fixture("---\nid: a\npublished: 2020-02-13\n---\n\n[many$0 people]{fig=crowd}\n");
        insta::assert_snapshot!("figure_unreadable", render(&f));
    }

    #[test]
    fn duplicate_definitions_are_pointed_out() {
        let f = fixture("//- /a.news.md\n[X]{ent=x$0}\n::: entity x\nname: One\n:::\n//- /b.news.md\n::: entity x\nname: Two\n:::\n");
        let text = render(&f);
        assert!(text.contains("**One**"), "{text}");
        assert!(text.ends_with("⚠ defined in 2 places: a.news.md, b.news.md"), "{text}");
    }

    #[test]
    fn ranges_after_emoji_and_cjk() {
        let f = fixture("🎉 北约 [秘书长$0]{ent=stoltenberg}\n::: entity stoltenberg\nname: Jens Stoltenberg\n:::\n");
        let h = hover(&f.workspace, f.file, f.offset).expect("hover");
        assert_eq!(&f.text(f.file)[h.range], "[秘书长]{ent=stoltenberg}");
        assert_eq!(f.show(f.file, &h.range), "main.news.md:1:6 \"[秘书长]{ent=stoltenberg}\"");
    }

    #[test]
    fn nothing_on_prose() {
        assert_eq!(render(&world("Canada leads$0")), "no hover");
        assert_eq!(render(&world("title: Iraq green$0")), "no hover");
    }
}
