//! What the client holds for one file, kept ready to be sent again: each
//! diagnostic with its JSON, and the findings (byte offsets) and text they
//! were converted from. A keystroke in a big document changes a few of its
//! thousands of diagnostics (those on the edited line, those whose related
//! information points there), but the protocol sends a file's whole list
//! again. So a new list converts to positions and serialises only the
//! findings that are new or moved: a finding equal to one sent before
//! (its offsets moved by the edit) whose every range lies where line and
//! column did not change keeps its converted diagnostic and its JSON. The
//! notification is written here, not through `serde_json::Value`
//! (tower-lsp-server's client builds a tree of maps for every message:
//! seconds for a 45 MB list); see `transport::Prepared` for how the bytes
//! reach the output in order.

use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;
use tower_lsp_server::ls_types as lsp;

use crate::diagnostic::Diagnostic as Finding;
use crate::text_change::{KnownChange, TextChange};
use crate::workspace::FileId;

/// One file's diagnostics as the client was sent them.
#[derive(Clone, Debug, Default)]
pub struct Sent {
    pub diagnostics: Vec<Arc<lsp::Diagnostic>>,
    /// `serde_json` of each diagnostic, in the same order.
    json: Vec<Arc<[u8]>>,
    /// What they were converted from (none for the empty list of a file
    /// that left).
    basis: Option<Basis>,
    /// The files (by workspace name) their related information points into.
    pub targets: BTreeSet<String>,
}

/// The findings a list was converted from, and the text of their file.
#[derive(Clone, Debug)]
pub struct Basis {
    pub file: FileId,
    pub text: Arc<str>,
    pub findings: Vec<Finding>,
}

/// Below this many diagnostics to serialise, one thread does it.
const PARALLEL_FROM: usize = 256;

/// Where a new text differs from the old one: `old[start..old_end]` became
/// `new[start..new_end]`, and which offsets of the new text keep the line
/// and column they had.
struct Edit {
    start: usize,
    old_end: usize,
    new_end: usize,
    /// Offsets at or after this one (in the new text) keep their line and
    /// column: the first line that starts in the unchanged tail, when the
    /// edit added or removed no line break. `None` when it did.
    stable_from: Option<usize>,
}

/// Line breaks as the line index counts them: `\n`, `\r\n`, a lone `\r`.
fn breaks(bytes: &[u8]) -> usize {
    let mut count = 0;
    let mut i = 0;
    while let Some(at) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
        let at = i + at;
        count += 1;
        i = at + if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') { 2 } else { 1 };
    }
    count
}

impl Edit {
    /// The edit of `change`, a true change from `old` to `new`.
    fn of(change: TextChange, old: &str, new: &str) -> Edit {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let mut start = change.start;
        // Offsets up to `start` see the same text before them, on a char
        // boundary, and no `\r` that a `\n` in the edit could pair with.
        while start > 0 && (!old.is_char_boundary(start) || !new.is_char_boundary(start) || b[start - 1] == b'\r') {
            start -= 1;
        }
        let mut tail = a.len() - change.old_end;
        // Nor a `\n` in the tail that a `\r` in the edit could pair with.
        if tail > 0 && b[b.len() - tail] == b'\n' {
            tail -= 1;
        }
        let (old_end, new_end) = (a.len() - tail, b.len() - tail);
        let stable_from = (breaks(&a[start..old_end]) == breaks(&b[start..new_end])).then(|| {
            match memchr::memchr2(b'\n', b'\r', &b[new_end..]) {
                Some(at) => {
                    let at = new_end + at;
                    at + if b[at] == b'\r' && b.get(at + 1) == Some(&b'\n') { 2 } else { 1 }
                }
                None => b.len() + 1,
            }
        });
        Edit { start, old_end, new_end, stable_from }
    }

    /// An old offset in the new text; `None` inside what the edit replaced.
    fn map(&self, offset: usize) -> Option<usize> {
        if offset <= self.start {
            Some(offset)
        } else if offset >= self.old_end {
            Some(offset - self.old_end + self.new_end)
        } else {
            None
        }
    }

    /// Whether `old` became `new` with the same line and column: both in
    /// the unchanged head, or both in the unchanged tail past its first
    /// line break, when the edit added or removed none.
    fn keeps_position(&self, old: usize, new: usize) -> bool {
        (old <= self.start && new == old)
            || (old >= self.old_end
                && new == old - self.old_end + self.new_end
                && self.stable_from.is_some_and(|from| new >= from))
    }
}

/// Whether `new` is `old` moved by the edit, pointing only into its own
/// file, at places whose line and column did not change: then its
/// converted diagnostic is the same.
fn same_place(edit: &Edit, old: &Finding, old_file: FileId, new: &Finding, new_file: FileId) -> bool {
    let moved = |o: crate::syntax::TextRange, n: crate::syntax::TextRange| {
        edit.keeps_position(o.start(), n.start()) && edit.keeps_position(o.end(), n.end())
    };
    old.code == new.code
        && old.severity == new.severity
        && old.message == new.message
        && old.related.len() == new.related.len()
        && moved(old.range, new.range)
        && old
            .related
            .iter()
            .zip(&new.related)
            .all(|(o, n)| o.file == old_file && n.file == new_file && o.message == n.message && moved(o.range, n.range))
}

/// The files related information points into. Each URI is read once: a
/// file's findings may name the same few files hundreds of thousands of
/// times, most often the same one as the entry before.
fn targets(diagnostics: &[Arc<lsp::Diagnostic>]) -> BTreeSet<String> {
    let mut uris: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut last: Option<&lsp::Uri> = None;
    let mut names = BTreeSet::new();
    for related in diagnostics.iter().flat_map(|d| d.related_information.iter().flatten()) {
        let uri = &related.location.uri;
        if last.is_some_and(|l| l.as_str() == uri.as_str()) {
            continue;
        }
        last = Some(uri);
        if uris.insert(uri.as_str()) {
            names.insert(super::convert::name_of(uri));
        }
    }
    names
}

enum Slot {
    /// The old list's diagnostic at this index.
    Kept(usize),
    Fresh(lsp::Diagnostic),
}

impl Sent {
    /// The diagnostics of `basis`'s findings, or `None` when they equal what
    /// `old` holds (nothing to send). `convert` turns a finding into what
    /// the client sees; it is called only for findings not kept from `old`.
    /// `known`: how `basis.text` was made from the text before it, when
    /// that is known (an edited open document's `FileEntry::last_change`).
    pub fn update(
        old: Option<&Sent>,
        basis: Basis,
        known: Option<&KnownChange>,
        mut convert: impl FnMut(&Finding) -> lsp::Diagnostic,
    ) -> Option<Sent> {
        let before = old.and_then(|o| o.basis.as_ref().filter(|b| b.file == basis.file));
        let edit = before.map(|b| {
            let change = known
                .and_then(|k| k.from_text(&b.text, &basis.text))
                .unwrap_or_else(|| TextChange::between(&b.text, &basis.text));
            Edit::of(change, &b.text, &basis.text)
        });
        let key = |d: &Finding, start: usize, end: usize| (start, end, d.code);
        let mut slots = Vec::with_capacity(basis.findings.len());
        let mut next_old = 0;
        for finding in &basis.findings {
            let mut kept = None;
            if let (Some(before), Some(edit)) = (before, &edit) {
                let wanted = key(finding, finding.range.start(), finding.range.end());
                // Both lists are in order of position, and the edit keeps
                // the order of what it moves: walk the old one along.
                while let Some(old_finding) = before.findings.get(next_old) {
                    let mapped = edit.map(old_finding.range.start()).zip(edit.map(old_finding.range.end()));
                    match mapped.map(|(s, e)| key(old_finding, s, e)) {
                        Some(at) if at > wanted => break,
                        Some(at) if at == wanted => {
                            if same_place(edit, old_finding, before.file, finding, basis.file) {
                                kept = Some(next_old);
                            }
                            next_old += 1;
                            break;
                        }
                        _ => next_old += 1,
                    }
                }
            }
            slots.push(match kept {
                Some(i) => Slot::Kept(i),
                None => Slot::Fresh(convert(finding)),
            });
        }
        let known: &[Arc<lsp::Diagnostic>] = old.map_or(&[], |o| &o.diagnostics);
        let unchanged = old.is_some()
            && slots.len() == known.len()
            && slots.iter().enumerate().all(|(j, slot)| match slot {
                Slot::Kept(i) => *i == j,
                Slot::Fresh(d) => *known[j] == *d,
            });
        if unchanged {
            return None;
        }
        let serialise = |d: &lsp::Diagnostic| -> Arc<[u8]> {
            // Serialising plain data into a Vec cannot fail.
            Arc::from(serde_json::to_vec(d).unwrap_or_default())
        };
        let fresh: Vec<&lsp::Diagnostic> = slots
            .iter()
            .filter_map(|s| match s {
                Slot::Fresh(d) => Some(d),
                Slot::Kept(_) => None,
            })
            .collect();
        let mut fresh_json: std::vec::IntoIter<Arc<[u8]>> = if fresh.len() >= PARALLEL_FROM {
            fresh.par_iter().map(|d| serialise(d)).collect::<Vec<_>>().into_iter()
        } else {
            fresh.iter().map(|d| serialise(d)).collect::<Vec<_>>().into_iter()
        };
        let old_json: &[Arc<[u8]>] = old.map_or(&[], |o| &o.json);
        let mut diagnostics = Vec::with_capacity(slots.len());
        let mut json = Vec::with_capacity(slots.len());
        for slot in slots {
            match slot {
                Slot::Kept(i) => {
                    diagnostics.push(known[i].clone());
                    json.push(old_json[i].clone());
                }
                Slot::Fresh(d) => {
                    diagnostics.push(Arc::new(d));
                    json.push(fresh_json.next().unwrap_or_default());
                }
            }
        }
        let targets = targets(&diagnostics);
        Some(Sent { diagnostics, json, basis: Some(basis), targets })
    }

    /// The whole `textDocument/publishDiagnostics` notification, as the
    /// JSON-RPC body that goes on the wire.
    pub fn notification(&self, uri: &lsp::Uri, version: Option<i32>) -> Vec<u8> {
        let size: usize = self.json.iter().map(|j| j.len() + 1).sum();
        let mut out = Vec::with_capacity(size + 200);
        out.extend_from_slice(br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#);
        out.extend(serde_json::to_vec(uri).unwrap_or_default());
        out.extend_from_slice(br#","diagnostics":["#);
        for (i, json) in self.json.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(json);
        }
        out.push(b']');
        if let Some(version) = version {
            out.extend_from_slice(format!(r#","version":{version}"#).as_bytes());
        }
        out.extend_from_slice(b"}}");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Related};
    use crate::line_index::{Encoding, LineIndex};
    use crate::syntax::TextRange;
    use serde_json::{json, Value};
    use std::str::FromStr;

    const SELF: FileId = FileId(1);
    const OTHER: FileId = FileId(2);

    /// A small deterministic generator (no dependency for a test).
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) % n.max(1) as u64) as usize
        }
    }

    fn uri(file: FileId) -> lsp::Uri {
        lsp::Uri::from_str(&format!("file:///tmp/%C3%A9t%C3%A9/{}.news.md", file.0)).unwrap()
    }

    /// What `convert::diagnostic` does, on a bare text.
    fn convert(text: &str, finding: &Finding) -> lsp::Diagnostic {
        convert_with(text, &LineIndex::new(text), finding)
    }

    fn convert_with(text: &str, index: &LineIndex, finding: &Finding) -> lsp::Diagnostic {
        let at = |o: usize| {
            let p = index.line_col(text, o, Encoding::Utf16);
            lsp::Position::new(p.line, p.col)
        };
        let range = |r: TextRange| lsp::Range::new(at(r.start()), at(r.end()));
        let related = finding
            .related
            .iter()
            .map(|r| lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(
                    uri(r.file),
                    if r.file == SELF { range(r.range) } else { Default::default() },
                ),
                message: r.message.to_string(),
            })
            .collect::<Vec<_>>();
        lsp::Diagnostic {
            range: range(finding.range),
            code: Some(lsp::NumberOrString::String(finding.code.as_str().into())),
            message: finding.message.clone(),
            related_information: (!related.is_empty()).then_some(related),
            ..lsp::Diagnostic::default()
        }
    }

    fn boundaries(text: &str) -> Vec<usize> {
        text.char_indices().map(|(i, _)| i).chain([text.len()]).collect()
    }

    fn random_range(rng: &mut Lcg, text: &str) -> TextRange {
        let b = boundaries(text);
        let start = rng.below(b.len());
        let end = (start + rng.below(4)).min(b.len() - 1);
        TextRange::new(b[start], b[end])
    }

    fn random_finding(rng: &mut Lcg, text: &str) -> Finding {
        let code = [Code::DuplicateId, Code::MalformedMarkup, Code::UnannotatedFigure][rng.below(3)];
        let mut finding = Finding::new(code, random_range(rng, text), ["a", "b ✓", "\"c\"\n"][rng.below(3)]);
        for _ in 0..rng.below(4) {
            let file = if rng.below(8) == 0 { OTHER } else { SELF };
            finding.related.push(Related { file, range: random_range(rng, text), message: "also here".into() });
        }
        finding
    }

    fn sort(findings: &mut [Finding]) {
        findings.sort_by_key(|d| (d.range.start(), d.range.end(), d.code));
    }

    /// What tower-lsp-server would have sent for the same list.
    fn expected(diagnostics: &[lsp::Diagnostic], version: Option<i32>) -> Value {
        let params = lsp::PublishDiagnosticsParams::new(uri(SELF), diagnostics.to_vec(), version);
        json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": params})
    }

    const SNIPPETS: &[&str] = &["x", "é", "😀", "\n", "\r\n", "\r", "ab\ncd", "", "  "];

    #[test]
    fn every_list_equals_a_fresh_conversion_after_random_edits() {
        let mut rng = Lcg(7);
        let mut text = String::from("first line\nsecond é line\r\nthird 😀\rfourth\n\nsixth line here\n");
        let mut findings: Vec<Finding> = (0..12).map(|_| random_finding(&mut rng, &text)).collect();
        sort(&mut findings);
        let basis =
            |text: &str, findings: &[Finding]| Basis { file: SELF, text: Arc::from(text), findings: findings.to_vec() };
        let mut sent = Sent::update(None, basis(&text, &findings), None, |f| convert(&text, f)).expect("a first list");
        let (mut kept_any, mut unchanged_any) = (false, false);
        for round in 0..600 {
            // Edit the text at a char boundary; findings move with it, those
            // in the edit are dropped, a few change or appear.
            let b = boundaries(&text);
            let start = b[rng.below(b.len())];
            let end = b[(b.partition_point(|&x| x < start) + rng.below(3)).min(b.len() - 1)];
            let insert = SNIPPETS[rng.below(SNIPPETS.len())];
            let delta = insert.len() as isize - (end - start) as isize;
            let edited =
                if rng.below(10) == 0 { text.clone() } else { format!("{}{insert}{}", &text[..start], &text[end..]) };
            let moved = edited != text;
            let map = |o: usize| match () {
                _ if !moved || o <= start => Some(o),
                _ if o >= end => Some((o as isize + delta) as usize),
                _ => None,
            };
            let map_range = |r: TextRange| Some(TextRange::new(map(r.start())?, map(r.end())?));
            let mut next: Vec<Finding> = Vec::new();
            for f in &findings {
                let Some(range) = map_range(f.range) else { continue };
                let related: Option<Vec<Related>> =
                    f.related.iter().map(|r| Some(Related { range: map_range(r.range)?, ..r.clone() })).collect();
                let Some(related) = related else { continue };
                let mut f = Finding { range, related, ..f.clone() };
                if rng.below(15) == 0 {
                    f.message.push('!');
                }
                next.push(f);
            }
            for _ in 0..rng.below(3) {
                next.push(random_finding(&mut rng, &edited));
            }
            if rng.below(4) == 0 && !next.is_empty() {
                next.remove(rng.below(next.len()));
            }
            sort(&mut next);
            let index = LineIndex::new(&edited);
            let fresh: Vec<lsp::Diagnostic> = next.iter().map(|f| convert_with(&edited, &index, f)).collect();
            let mut converted = 0;
            // Half the time the edit is known, as an open document's is:
            // from the text the list was made for (it may be no edit at all).
            let known = sent.basis.as_ref().filter(|_| rng.below(2) == 0).map(|b| KnownChange {
                from: b.text.clone(),
                change: TextChange::replace(start, end - start, insert.len()),
            });
            let update = Sent::update(Some(&sent), basis(&edited, &next), known.as_ref(), |f| {
                converted += 1;
                convert_with(&edited, &index, f)
            });
            kept_any |= converted < next.len();
            match update {
                Some(new) => {
                    let got: Vec<lsp::Diagnostic> = new.diagnostics.iter().map(|d| (**d).clone()).collect();
                    if let Some(i) = (0..got.len().max(fresh.len())).find(|&i| got.get(i) != fresh.get(i)) {
                        panic!(
                            "round {round}: {text:?} -> {edited:?}\nat {i}: finding {:?}\ngot {:?}\nwant {:?}",
                            next.get(i),
                            got.get(i),
                            fresh.get(i)
                        );
                    }
                    let version = (round % 2 == 0).then_some(round);
                    let body: Value = serde_json::from_slice(&new.notification(&uri(SELF), version)).unwrap();
                    assert_eq!(body, expected(&fresh, version), "round {round}");
                    sent = new;
                }
                None => {
                    unchanged_any = true;
                    let had: Vec<lsp::Diagnostic> = sent.diagnostics.iter().map(|d| (**d).clone()).collect();
                    assert_eq!(had, fresh, "round {round}: nothing sent, but the list changed");
                    sent.basis = Some(basis(&edited, &next));
                }
            }
            text = edited;
            findings = next;
            if text.len() > 400 {
                text.truncate(text.char_indices().nth(200).unwrap().0);
                findings.clear();
                sent = Sent::update(None, basis(&text, &findings), None, |f| convert(&text, f)).unwrap();
            }
        }
        assert!(kept_any && unchanged_any, "the run never kept a diagnostic, or never found a list unchanged");
    }

    #[test]
    fn nothing_is_sent_again_when_nothing_changed_but_a_first_empty_list_is() {
        let text = "a\nb\n";
        let basis = |findings: Vec<Finding>| Basis { file: SELF, text: Arc::from(text), findings };
        let first =
            Sent::update(None, basis(Vec::new()), None, |f| convert(text, f)).expect("a first list is always sent");
        assert!(Sent::update(Some(&first), basis(Vec::new()), None, |f| convert(text, f)).is_none());
        let many: Vec<Finding> =
            (0..300).map(|i| Finding::new(Code::DuplicateId, TextRange::new(i % 4, i % 4 + 1), "x")).collect();
        let sent = Sent::update(Some(&first), basis(many.clone()), None, |f| convert(text, f)).unwrap();
        assert!(Sent::update(Some(&sent), basis(many), None, |_| panic!("nothing to convert")).is_none());
    }
}
