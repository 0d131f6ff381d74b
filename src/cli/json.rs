//! `--format json`: one document, exactly as the contract specifies,
//! written one diagnostic at a time (see `output::StreamedArray`).

use serde_json::{json, Value};

use super::report::{Finding, Location};

fn range(location: &Location) -> Value {
    json!({
        "start": {"line": location.start.line, "column": location.start.column},
        "end": {"line": location.end.line, "column": location.end.column},
    })
}

pub fn item(f: &Finding) -> Value {
    json!({
        "path": f.location.path,
        "code": f.code.as_str(),
        "severity": f.severity.as_str(),
        "message": f.message,
        "range": range(&f.location),
        "related": f.related.iter().map(|r| json!({
            "path": r.location.path,
            "range": range(&r.location),
            "message": r.message,
        })).collect::<Vec<_>>(),
    })
}

/// The document around the diagnostics; `diagnostics` is the array that
/// is streamed.
pub fn skeleton(files: usize) -> Value {
    json!({"version": 1, "files": files, "diagnostics": []})
}

pub const ARRAY_KEY: &str = "diagnostics";
