//! Human output: rustc-style messages with source snippets.

use annotate_snippets::{Level, Renderer, Snippet};

use super::output::Totals;
use super::report::{Finding, Location};
use crate::diagnostic::Severity;
use crate::line_index::floor_char_boundary;
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

/// Lines longer than this are shown cut to a window around the location:
/// every finding on a 1 MB line must not print (and lay out) the whole line.
const MAX_EXCERPT_BYTES: usize = 4096;
/// Context kept on each side of the location in a cut excerpt, and the most
/// of the location itself that is shown.
const CUT_CONTEXT_BYTES: usize = 120;
const CUT_SPAN_BYTES: usize = 1024;

/// The whole lines around a location, with line breaks made plain `\n`
/// at the same byte offsets, so the snippet's spans stay exact.
struct Excerpt {
    source: String,
    first_line: usize,
    span: std::ops::Range<usize>,
    /// Set when the lines were too long and only a window is shown.
    cut: bool,
}

fn excerpt(workspace: &Workspace, location: &Location) -> Excerpt {
    let entry = workspace.entry(location.file);
    let mut start = entry.line_index().line_range(location.start.line - 1).start;
    let mut end = entry.line_index().line_range(location.end.line - 1).end;
    let cut = end - start > MAX_EXCERPT_BYTES;
    if cut {
        let text = &entry.text;
        start = floor_char_boundary(text, location.range.start().saturating_sub(CUT_CONTEXT_BYTES).max(start));
        let shown_end = location.range.end().min(location.range.start() + CUT_SPAN_BYTES);
        end = floor_char_boundary(text, (shown_end + CUT_CONTEXT_BYTES).min(end)).max(location.range.start());
    }
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
    let span = location.range.start() - start..location.range.end().min(end) - start;
    Excerpt { source, first_line: location.start.line, span, cut }
}

pub fn render_one(workspace: &Workspace, finding: &Finding, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    {
        let main = excerpt(workspace, &finding.location);
        let related: Vec<(Excerpt, &str, &str)> = finding
            .related
            .iter()
            .take(MAX_RELATED_SNIPPETS)
            .map(|r| (excerpt(workspace, &r.location), r.location.path.as_str(), r.message.as_str()))
            .collect();
        let hidden = finding.related.len().saturating_sub(MAX_RELATED_SNIPPETS);
        let hidden_note = format!("{hidden} more related locations not shown");
        // A cut excerpt would make the renderer count the column from the
        // cut: its exact place is given in a note instead.
        let place = |location: &Location| {
            format!(
                "at {}:{}:{} (a long line, shown in part)",
                location.path, location.start.line, location.start.column
            )
        };
        let mut cut_notes = Vec::new();
        if main.cut {
            cut_notes.push(place(&finding.location));
        }
        for (r, (excerpt, _, _)) in finding.related.iter().zip(&related) {
            if excerpt.cut {
                cut_notes.push(place(&r.location));
            }
        }
        let level = level(finding.severity);
        let mut snippet = Snippet::source(&main.source)
            .line_start(main.first_line)
            .fold(true)
            .annotation(level.span(main.span.clone()));
        if !main.cut {
            snippet = snippet.origin(&finding.location.path);
        }
        let mut message = level.title(&finding.message).id(finding.code.as_str()).snippet(snippet);
        for (excerpt, path, label) in &related {
            let mut snippet = Snippet::source(&excerpt.source)
                .line_start(excerpt.first_line)
                .fold(true)
                .annotation(Level::Note.span(excerpt.span.clone()).label(label));
            if !excerpt.cut {
                snippet = snippet.origin(path);
            }
            message = message.snippet(snippet);
        }
        for note in &cut_notes {
            message = message.footer(Level::Note.title(note));
        }
        if hidden > 0 {
            message = message.footer(Level::Note.title(&hidden_note));
        }
        out.push_str(&renderer.render(message).to_string());
        out.push_str("\n\n");
    }
    out
}

/// The closing lines: the counts, then, as ruff does, how many findings
/// `--fix` would fix (with `--unsafe-fixes` given, the unsafe ones too) and
/// how many more `--unsafe-fixes` would.
pub fn summary(report: &Totals, unsafe_fixes: bool) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut out = format!(
        "newsmark: {} checked: {}, {}, {}, {}\n",
        plural(report.files, "file"),
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning"),
        plural(report.count(Severity::Info), "info"),
        plural(report.count(Severity::Hint), "hint"),
    );
    let (fixable, more) = match unsafe_fixes {
        true => (report.fixable + report.unsafe_fixable, 0),
        false => (report.fixable, report.unsafe_fixable),
    };
    match (fixable, more) {
        (0, 0) => {}
        (0, more) => out.push_str(&format!("newsmark: {more} fixable with `--fix --unsafe-fixes`\n")),
        (n, 0) => out.push_str(&format!("newsmark: {n} fixable with `--fix`\n")),
        (n, more) => {
            out.push_str(&format!("newsmark: {n} fixable with `--fix` ({more} more with `--fix --unsafe-fixes`)\n"))
        }
    }
    out
}
