//! Lossless, error-tolerant parsing of one Newsmark file.
//!
//! `parse` never fails and never panics: problems become [`SyntaxError`]s
//! and the parser recovers at the next line, paragraph or bracket.

mod attrs;
mod blocks;
mod citation;
mod fields;
mod html_block;
pub mod incremental;
mod inline;
mod lines;
mod plain;
mod tree;
mod value;

pub use plain::{normalize_quote, plain_text};
pub use tree::*;

/// More errors than this in one file are summarised in one last error:
/// a client cannot show 200,000 diagnostics usefully.
pub(crate) const MAX_ERRORS: usize = 500;

pub(crate) struct Sink {
    errors: Vec<SyntaxError>,
    dropped: usize,
}

impl Sink {
    fn error(&mut self, kind: SyntaxErrorKind, range: TextRange, message: String) {
        self.push(SyntaxError { kind, range, message, fix: None });
    }

    fn push(&mut self, error: SyntaxError) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(error);
        } else {
            self.dropped += 1;
        }
    }
}

pub fn parse(text: &str) -> SourceFile {
    parse_region(text, true, &blocks::Resync::default()).file
}

/// A parse of a whole text or of a piece of one (`syntax::incremental`).
pub(crate) struct Region {
    pub file: SourceFile,
    /// Where the block pass stopped (at one of `Resync::stop_at`): the file
    /// holds what comes before it only.
    pub stopped_at: Option<usize>,
    /// Errors over the cap: the file's last error summarises them.
    pub dropped: usize,
}

/// Parses `text`, which starts a file when `with_front_matter`, and stops
/// early where `resync` allows.
fn parse_region(text: &str, with_front_matter: bool, resync: &blocks::Resync) -> Region {
    let mut sink = Sink { errors: Vec::new(), dropped: 0 };
    let mut fields = Vec::new();
    let structure = lines::parse_structure(text, with_front_matter, resync, &mut fields, &mut sink);
    let stopped_at = structure.stopped_at;
    let mut file = SourceFile {
        front_matter: structure.front_matter,
        blocks: structure.blocks,
        paragraphs: structure.paragraphs,
        fields,
        sync_points: structure.sync_points.iter().map(|&at| at as u32).collect(),
        cell_blocks: blocks_of_parts(&structure.cell_parts),
        cell_parts: structure.cell_parts,
        ..SourceFile::default()
    };
    let mut values = value::Values::new(text);
    // Container prefixes inside paragraphs (`> ` on a quote's later lines)
    // read as spaces, so inline markup may run across them.
    let masked = mask(text, &structure.holes);
    let text: &str = &masked;
    let mut not_prose = structure.holes.clone();
    file.markup.extend(structure.holes.iter().cloned());
    file.comments = structure.comments;
    let mut numerals = Vec::new();
    // Room for what news prose holds (in generated articles about one span
    // and attribute per 100 bytes, markup every 45), so these vectors are
    // not regrown by doubling in every file; the tree is shrunk below.
    let prose: usize = file.paragraphs.iter().map(|p| p.len()).sum();
    file.spans.reserve(prose / 128);
    file.attrs.reserve(prose / 128);
    file.markup.reserve(prose / 48);
    not_prose.reserve(prose / 64);
    numerals.reserve(prose / 128);
    let mut scratch = inline::Scratch::default();
    for (index, range) in file.paragraphs.iter().enumerate() {
        let out = inline::InlineOutput {
            spans: &mut file.spans,
            citations: &mut file.citations,
            attrs: &mut file.attrs,
            items: &mut file.items,
            values: &mut values,
            holes: &structure.holes,
            markup: &mut file.markup,
            not_prose: &mut not_prose,
            comments: &mut file.comments,
            entities: &mut file.entities,
            numerals: &mut numerals,
            scratch: &mut scratch,
        };
        inline::parse_paragraph(text, *range, index, out, &mut sink);
    }
    file.markup.sort_by_key(|r| r.start());
    file.comments.sort_by_key(|r| r.start());
    file.unescaped = values.table;
    file.free_citations = file
        .citations
        .iter()
        .enumerate()
        .filter(|(_, c)| c.attached_to.is_none())
        .map(|(i, _)| tree::index(i))
        .collect();
    file.plain_runs = subtract(&file.paragraphs, not_prose);
    file.numerals = within(numerals, &file.plain_runs);
    let dropped = sink.dropped;
    if dropped > 0 {
        let last = sink.errors.last().map(|e| e.range).unwrap_or(TextRange::empty(0));
        sink.errors.push(SyntaxError {
            kind: SyntaxErrorKind::Malformed,
            range: last,
            message: format!("{dropped} more markup errors in this file are not shown"),
            fix: None,
        });
    }
    sink.errors.sort_by_key(|e| (e.range.start(), e.range.end()));
    file.errors = sink.errors;
    // A workspace keeps every file's tree: no spare capacity.
    file.spans.shrink_to_fit();
    file.citations.shrink_to_fit();
    file.attrs.shrink_to_fit();
    file.items.shrink_to_fit();
    file.fields.shrink_to_fit();
    file.unescaped.shrink_to_fit();
    file.free_citations.shrink_to_fit();
    file.blocks.shrink_to_fit();
    file.entities.shrink_to_fit();
    file.paragraphs.shrink_to_fit();
    file.markup.shrink_to_fit();
    file.plain_runs.shrink_to_fit();
    file.numerals.shrink_to_fit();
    file.comments.shrink_to_fit();
    file.sync_points.shrink_to_fit();
    file.cell_parts.shrink_to_fit();
    file.cell_blocks.shrink_to_fit();
    Region { file, stopped_at, dropped: sink.dropped }
}

/// `[A-Za-z0-9][A-Za-z0-9._-]*`
pub fn is_valid_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// `cell_parts` the other way round (`SourceFile::cell_blocks`).
pub(super) fn blocks_of_parts(parts: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut blocks: Vec<(u32, u32)> = parts.iter().map(|&(part, first)| (first, part)).collect();
    blocks.sort_unstable();
    blocks
}

fn mask<'t>(text: &'t str, holes: &[TextRange]) -> std::borrow::Cow<'t, str> {
    if holes.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for hole in holes {
        for b in &mut bytes[hole.to_range()] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    // Only whole ASCII prefixes are masked, so this is still UTF-8.
    std::borrow::Cow::Owned(String::from_utf8_lossy(&bytes).into_owned())
}

/// `outer` minus every range of `holes` (which may nest or overlap).
fn subtract(outer: &[TextRange], mut holes: Vec<TextRange>) -> Vec<TextRange> {
    holes.sort_by_key(|r| r.start());
    let mut runs = Vec::new();
    let mut hole = 0;
    for range in outer {
        let mut at = range.start();
        while hole < holes.len() && holes[hole].end() <= at {
            hole += 1;
        }
        let mut h = hole;
        while h < holes.len() && holes[h].start() < range.end() {
            if holes[h].start() > at {
                runs.push(TextRange::new(at, holes[h].start()));
            }
            at = at.max(holes[h].end());
            h += 1;
        }
        if at < range.end() {
            runs.push(TextRange::new(at, range.end()));
        }
    }
    runs
}

/// The parts of `ranges` inside `runs` (both sorted and disjoint).
fn within(ranges: Vec<TextRange>, runs: &[TextRange]) -> Vec<TextRange> {
    let mut out = Vec::with_capacity(ranges.len());
    let mut run = 0;
    for range in ranges {
        while run < runs.len() && runs[run].end() <= range.start() {
            run += 1;
        }
        let mut r = run;
        while r < runs.len() && runs[r].start() < range.end() {
            let (start, end) = (range.start().max(runs[r].start()), range.end().min(runs[r].end()));
            out.push(TextRange::new(start, end));
            r += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests;
