//! What the client holds for one file, kept ready to be sent again: each
//! diagnostic with its JSON. A keystroke in a big document changes a few
//! of its thousands of diagnostics (those on the edited line, those whose
//! related information points there), but the protocol sends a file's
//! whole list again: the JSON of every diagnostic that did not change is
//! copied, not serialised again, and the notification is written here, not
//! through `serde_json::Value` (tower-lsp-server's client builds a tree of
//! maps for every message: seconds for a 45 MB list). See
//! `transport::Prepared` for how the bytes reach the output in order.

use std::sync::Arc;

use rayon::prelude::*;
use tower_lsp_server::ls_types as lsp;

/// One file's diagnostics as the client was sent them.
#[derive(Clone, Debug, Default)]
pub struct Sent {
    pub diagnostics: Vec<lsp::Diagnostic>,
    /// `serde_json` of each diagnostic, in the same order.
    json: Vec<Arc<[u8]>>,
}

/// Below this many diagnostics to serialise, one thread does it.
const PARALLEL_FROM: usize = 256;

impl Sent {
    /// `diagnostics` with their JSON, or `None` when they equal what `old`
    /// holds (nothing to send). The diagnostics equal to `old`'s at the same
    /// place from the start (the common head) and from the end (the common
    /// tail) keep their JSON; the ones between are serialised.
    pub fn changed(old: Option<&Sent>, diagnostics: Vec<lsp::Diagnostic>) -> Option<Sent> {
        let empty = Sent::default();
        let known = old.unwrap_or(&empty);
        let before = &known.diagnostics;
        let head = before.iter().zip(&diagnostics).take_while(|(a, b)| a == b).count();
        if old.is_some() && head == before.len() && head == diagnostics.len() {
            return None;
        }
        let tail =
            before[head..].iter().rev().zip(diagnostics[head..].iter().rev()).take_while(|(a, b)| a == b).count();
        let fresh = &diagnostics[head..diagnostics.len() - tail];
        let serialise = |d: &lsp::Diagnostic| -> Arc<[u8]> {
            // Serialising plain data into a Vec cannot fail.
            Arc::from(serde_json::to_vec(d).unwrap_or_default())
        };
        let middle: Vec<Arc<[u8]>> = if fresh.len() >= PARALLEL_FROM {
            fresh.par_iter().map(serialise).collect()
        } else {
            fresh.iter().map(serialise).collect()
        };
        let mut json = Vec::with_capacity(diagnostics.len());
        json.extend(known.json[..head].iter().cloned());
        json.extend(middle);
        json.extend(known.json[before.len() - tail..].iter().cloned());
        Some(Sent { diagnostics, json })
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
    use serde_json::{json, Value};
    use std::str::FromStr;

    fn diagnostic(line: u32, col: u32, message: &str, related: usize) -> lsp::Diagnostic {
        let uri = lsp::Uri::from_str("file:///tmp/a%20b.news.md").unwrap();
        let at = |c: u32| lsp::Range::new(lsp::Position::new(line, c), lsp::Position::new(line, c + 1));
        lsp::Diagnostic {
            range: at(col),
            severity: Some(lsp::DiagnosticSeverity::ERROR),
            code: Some(lsp::NumberOrString::String("duplicate-id".into())),
            message: message.to_string(),
            source: Some("newsmark".into()),
            related_information: (related > 0).then(|| {
                (0..related as u32)
                    .map(|i| lsp::DiagnosticRelatedInformation {
                        location: lsp::Location::new(uri.clone(), at(col + i)),
                        message: format!("also \"here\" {i}\n"),
                    })
                    .collect()
            }),
            ..lsp::Diagnostic::default()
        }
    }

    /// What tower-lsp-server would have sent for the same list.
    fn expected(uri: &lsp::Uri, diagnostics: &[lsp::Diagnostic], version: Option<i32>) -> Value {
        let params = lsp::PublishDiagnosticsParams::new(uri.clone(), diagnostics.to_vec(), version);
        json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": params})
    }

    /// A small deterministic generator (no dependency for a test).
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    #[test]
    fn every_publish_equals_a_fresh_serialisation_after_random_changes() {
        let uri = lsp::Uri::from_str("file:///tmp/%C3%A9t%C3%A9/x.news.md").unwrap();
        let mut rng = Lcg(7);
        let mut sent: Option<Sent> = None;
        let mut list: Vec<lsp::Diagnostic> = (0..40).map(|i| diagnostic(i, 0, "m", (i % 3) as usize)).collect();
        for round in 0..300 {
            // Insert, remove, or move a few diagnostics, anywhere.
            for _ in 0..rng.below(4) {
                let at = rng.below(list.len() as u64 + 1) as usize;
                match rng.below(3) {
                    0 => list.insert(at, diagnostic(rng.below(50) as u32, 1, "new ✓", rng.below(3) as usize)),
                    1 if at < list.len() => drop(list.remove(at)),
                    _ if at < list.len() => list[at].range.start.character += 1,
                    _ => {}
                }
            }
            let version = (round % 2 == 0).then_some(round);
            match Sent::changed(sent.as_ref(), list.clone()) {
                Some(next) => {
                    let body: Value = serde_json::from_slice(&next.notification(&uri, version)).unwrap();
                    assert_eq!(body, expected(&uri, &list, version), "round {round}");
                    sent = Some(next);
                }
                None => assert_eq!(sent.as_ref().map(|s| &s.diagnostics), Some(&list), "round {round}"),
            }
        }
    }

    #[test]
    fn nothing_is_sent_again_when_nothing_changed_but_a_first_empty_list_is() {
        let first = Sent::changed(None, Vec::new()).expect("a first list is always sent");
        assert!(Sent::changed(Some(&first), Vec::new()).is_none());
        let many: Vec<lsp::Diagnostic> = (0..300).map(|i| diagnostic(i, 2, "x", 21)).collect();
        let sent = Sent::changed(Some(&first), many.clone()).unwrap();
        assert!(Sent::changed(Some(&sent), many).is_none());
    }
}
