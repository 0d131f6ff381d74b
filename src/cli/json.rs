//! `--format json`: one document, exactly as the contract specifies.

use serde_json::{json, Value};

use super::report::{Location, Report};

fn range(location: &Location) -> Value {
    json!({
        "start": {"line": location.start.line, "column": location.start.column},
        "end": {"line": location.end.line, "column": location.end.column},
    })
}

pub fn render(report: &Report) -> String {
    let diagnostics: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
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
        })
        .collect();
    let document = json!({"version": 1, "files": report.files, "diagnostics": diagnostics});
    let mut out = serde_json::to_string_pretty(&document).expect("JSON values always serialise");
    out.push('\n');
    out
}
