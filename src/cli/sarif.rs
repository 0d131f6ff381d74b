//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards.

use serde_json::{json, Value};

use super::report::{Finding, Location};
use crate::diagnostic::{Code, Severity};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// Relative paths as URI references: separators kept, the rest escaped.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for byte in path.replace('\\', "/").bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn physical(location: &Location) -> Value {
    json!({
        "artifactLocation": {"uri": uri(&location.path)},
        "region": {
            "startLine": location.start.line,
            "startColumn": location.start.column,
            "endLine": location.end.line,
            "endColumn": location.end.column,
        }
    })
}

pub fn item(f: &Finding) -> Value {
    let rule_index = Code::ALL.iter().position(|c| *c == f.code).unwrap_or(0);
    let mut result = json!({
        "ruleId": f.code.as_str(),
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": {"text": f.message},
        "locations": [{"physicalLocation": physical(&f.location)}],
    });
    if !f.related.is_empty() {
        result["relatedLocations"] = f
            .related
            .iter()
            .enumerate()
            .map(|(id, r)| json!({"id": id, "physicalLocation": physical(&r.location), "message": {"text": r.message}}))
            .collect();
    }
    result
}

/// The log around the results; `results` is the array that is streamed.
pub fn skeleton() -> Value {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|code| {
            json!({
                "id": code.as_str(),
                "name": code.as_str(),
                "shortDescription": {"text": code.short_description()},
                "fullDescription": {"text": code.explanation().checks},
                "help": {"text": format!("Fix: {}", code.explanation().fix)},
                "defaultConfiguration": {"level": level(code.default_severity())},
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "newsmark",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": [],
        }]
    })
}

pub const ARRAY_KEY: &str = "results";
