//! `--statistics`: how many findings each code has, instead of the findings
//! (as ruff does), most frequent first.

use serde_json::json;

use super::output::Totals;
use super::Format;

pub fn render(totals: &Totals, format: Format) -> String {
    let mut rows: Vec<_> = totals.by_code.iter().map(|(code, (severity, n))| (*n, *code, *severity)).collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    if format == Format::Json {
        let list: Vec<_> = rows
            .iter()
            .map(|(n, code, severity)| json!({"code": code.as_str(), "severity": severity.as_str(), "count": n}))
            .collect();
        return serde_json::to_string_pretty(&list).expect("JSON values always serialise") + "\n";
    }
    let width = rows.iter().map(|(n, ..)| n.to_string().len()).max().unwrap_or(1);
    rows.iter()
        .map(|(n, code, severity)| format!("{n:>width$}  {:<24} {}\n", code.as_str(), severity.as_str()))
        .collect()
}
