//! Human output: rustc-style messages with source snippets.

use annotate_snippets::{Level, Renderer, Snippet};

use super::report::{Location, Report};
use crate::diagnostic::Severity;
use crate::workspace::Workspace;

/// Related locations shown as snippets; the rest are counted in a note.
const MAX_RELATED_SNIPPETS: usize = 3;

fn level(severity: Severity) -> Level {
    match severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Info,
        Severity::Hint => Level::Note,
    }
}

/// The whole lines around a location, with line breaks made plain `\n`
/// at the same byte offsets, so the snippet's spans stay exact.
struct Excerpt {
    source: String,
    first_line: usize,
    span: std::ops::Range<usize>,
}

fn excerpt(workspace: &Workspace, location: &Location) -> Excerpt {
    let entry = workspace.entry(location.file);
    let start = entry.line_index.line_range(location.start.line - 1).start;
    let end = entry.line_index.line_range(location.end.line - 1).end;
    let bytes = &entry.text.as_bytes()[start..end];
    let mut source = String::with_capacity(bytes.len());
    let text = &entry.text[start..end];
    for (i, c) in text.char_indices() {
        match c {
            '\r' if bytes.get(i + 1) == Some(&b'\n') => source.push(' '),
            '\r' => source.push('\n'),
            c => source.push(c),
        }
    }
    Excerpt { source, first_line: location.start.line, span: location.range.start - start..location.range.end - start }
}

pub fn render(workspace: &Workspace, report: &Report, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    for finding in &report.findings {
        let main = excerpt(workspace, &finding.location);
        let related: Vec<(Excerpt, &str, &str)> = finding
            .related
            .iter()
            .take(MAX_RELATED_SNIPPETS)
            .map(|r| (excerpt(workspace, &r.location), r.location.path.as_str(), r.message.as_str()))
            .collect();
        let hidden = finding.related.len().saturating_sub(MAX_RELATED_SNIPPETS);
        let hidden_note = format!("{hidden} more related locations not shown");
        let level = level(finding.severity);
        let mut message = level.title(&finding.message).id(finding.code.as_str()).snippet(
            Snippet::source(&main.source)
                .line_start(main.first_line)
                .origin(&finding.location.path)
                .fold(true)
                .annotation(level.span(main.span.clone())),
        );
        for (excerpt, path, label) in &related {
            message = message.snippet(
                Snippet::source(&excerpt.source)
                    .line_start(excerpt.first_line)
                    .origin(path)
                    .fold(true)
                    .annotation(Level::Note.span(excerpt.span.clone()).label(label)),
            );
        }
        if hidden > 0 {
            message = message.footer(Level::Note.title(&hidden_note));
        }
        out.push_str(&renderer.render(message).to_string());
        out.push_str("\n\n");
    }
    out.push_str(&summary(report));
    out
}

fn summary(report: &Report) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "newsmark: {} checked: {}, {}, {}, {}\n",
        plural(report.files, "file"),
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning"),
        plural(report.count(Severity::Info), "info"),
        plural(report.count(Severity::Hint), "hint"),
    )
}
