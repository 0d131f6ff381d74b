//! Writing the report as findings come, in every format, so memory stays
//! proportional to one batch of findings rather than to the whole output.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::Value;

use super::report::Finding;
use super::{github, human, json, sarif, statistics, Format};
use crate::diagnostic::{Code, Severity};
use crate::fix::Applicability;
use crate::workspace::Workspace;

/// Counts for the summary line, `--statistics` and the exit code.
#[derive(Debug, Default)]
pub struct Totals {
    pub files: usize,
    pub by_code: BTreeMap<Code, (Severity, usize)>,
    by_severity: BTreeMap<Severity, usize>,
    /// Findings whose fix `--fix` applies, and those only `--fix
    /// --unsafe-fixes` applies.
    pub fixable: usize,
    pub unsafe_fixable: usize,
}

impl Totals {
    pub fn add(&mut self, finding: &Finding) {
        *self.by_severity.entry(finding.severity).or_default() += 1;
        let entry = self.by_code.entry(finding.code).or_insert((finding.severity, 0));
        // A code's severity is one setting per project; the worst shown wins.
        entry.0 = entry.0.min(finding.severity);
        entry.1 += 1;
        match finding.fix {
            Some(Applicability::Safe) => self.fixable += 1,
            Some(Applicability::Unsafe) => self.unsafe_fixable += 1,
            Some(Applicability::DisplayOnly) | None => {}
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.by_severity.get(&severity).copied().unwrap_or(0)
    }
}

/// A JSON document whose one big array is written item by item: the
/// document is rendered with the array empty and cut there, and each item is
/// pretty-printed at the array's depth. The bytes equal pretty-printing the
/// whole document at once (keys are sorted, so the text before the array
/// does not depend on anything after it).
pub struct StreamedArray {
    key: &'static str,
    written: usize,
    /// The document up to the array's opening bracket, and the indentation
    /// of its items, from the skeleton it was made with.
    head: String,
    indent: String,
}

impl StreamedArray {
    fn new(key: &'static str, skeleton: &Value) -> StreamedArray {
        let mut array = StreamedArray { key, written: 0, head: String::new(), indent: String::new() };
        let (head, _, indent) = array.split(skeleton);
        array.head = head;
        array.indent = format!("{indent}  ");
        array
    }

    fn split(&self, skeleton: &Value) -> (String, String, String) {
        let text = serde_json::to_string_pretty(skeleton).expect("JSON values always serialise");
        let marker = format!("\"{}\": []", self.key);
        let at = text.find(&marker).expect("the skeleton holds the array");
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let indent = text[line_start..at].to_string();
        (text[..at + marker.len() - 1].to_string(), text[at + marker.len() - 1..].to_string(), indent)
    }

    /// `item` pretty-printed at the array's depth, as [`Self::write`]
    /// writes it (any thread can render; only writing is in order).
    fn render(&self, item: &Value) -> String {
        let text = serde_json::to_string_pretty(item).expect("JSON values always serialise");
        let mut out = String::with_capacity(text.len() + text.len() / 4);
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&self.indent);
            out.push_str(line);
        }
        out
    }

    fn write(&mut self, out: &mut dyn Write, rendered: &str) -> io::Result<()> {
        if self.written == 0 {
            out.write_all(self.head.as_bytes())?;
            out.write_all(b"\n")?;
        } else {
            out.write_all(b",\n")?;
        }
        out.write_all(rendered.as_bytes())?;
        self.written += 1;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, skeleton: &Value) -> io::Result<()> {
        let (head, tail, indent) = self.split(skeleton);
        if self.written == 0 {
            out.write_all(head.as_bytes())?;
        } else {
            out.write_all(b"\n")?;
            out.write_all(indent.as_bytes())?;
        }
        out.write_all(tail.as_bytes())?;
        out.write_all(b"\n")
    }
}

pub enum Sink {
    /// `unsafe_fixes`: `--unsafe-fixes` was given, so `--fix` applies the
    /// unsafe fixes too (the closing line counts them as fixable).
    Human {
        color: bool,
        quiet: bool,
        unsafe_fixes: bool,
    },
    Json(StreamedArray),
    Sarif(StreamedArray),
    Github,
    Statistics {
        format: Format,
        quiet: bool,
        unsafe_fixes: bool,
    },
}

impl Sink {
    pub fn new(format: Format, statistics: bool, color: bool, quiet: bool, unsafe_fixes: bool) -> Sink {
        if statistics {
            return Sink::Statistics { format, quiet, unsafe_fixes };
        }
        match format {
            Format::Human => Sink::Human { color, quiet, unsafe_fixes },
            Format::Json => Sink::Json(StreamedArray::new(json::ARRAY_KEY, &json::skeleton(0))),
            Format::Sarif => Sink::Sarif(StreamedArray::new(sarif::ARRAY_KEY, &sarif::skeleton())),
            Format::Github => Sink::Github,
        }
    }

    /// A finding as [`Self::write`] writes it. Rendering reads nothing the
    /// writes change, so `check` renders on the pool threads and the main
    /// thread only writes, in order.
    pub fn render(&self, workspace: &Workspace, finding: &Finding) -> String {
        match self {
            Sink::Human { color, .. } => human::render_one(workspace, finding, *color),
            Sink::Json(array) => array.render(&json::item(finding)),
            Sink::Sarif(array) => array.render(&sarif::item(finding)),
            Sink::Github => github::render_one(finding),
            Sink::Statistics { .. } => String::new(),
        }
    }

    /// Writes a finding [`Self::render`] rendered.
    pub fn write(&mut self, out: &mut dyn Write, rendered: &str) -> io::Result<()> {
        match self {
            Sink::Json(array) | Sink::Sarif(array) => array.write(out, rendered),
            Sink::Statistics { .. } => Ok(()),
            Sink::Human { .. } | Sink::Github => out.write_all(rendered.as_bytes()),
        }
    }

    pub fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        match self {
            Sink::Human { quiet, unsafe_fixes, .. } if !*quiet => {
                out.write_all(human::summary(totals, *unsafe_fixes).as_bytes())
            }
            Sink::Human { .. } | Sink::Github => Ok(()),
            Sink::Json(array) => array.finish(out, &json::skeleton(totals.files)),
            Sink::Sarif(array) => array.finish(out, &sarif::skeleton()),
            Sink::Statistics { format, quiet, unsafe_fixes } => {
                out.write_all(statistics::render(totals, *format).as_bytes())?;
                if *format != Format::Json && !*quiet {
                    out.write_all(human::summary(totals, *unsafe_fixes).as_bytes())?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_equals_whole() {
        let skeleton = |items: Vec<Value>| serde_json::json!({"a": 1, "list": items, "z": {"deep": true}});
        for n in [0, 1, 3] {
            let items: Vec<Value> = (0..n).map(|i| serde_json::json!({"i": i, "nested": [i, {"x": "y\nz"}]})).collect();
            let mut array = StreamedArray::new("list", &skeleton(vec![]));
            let mut out = Vec::new();
            for item in &items {
                let rendered = array.render(item);
                array.write(&mut out, &rendered).unwrap();
            }
            array.finish(&mut out, &skeleton(vec![])).unwrap();
            let whole = serde_json::to_string_pretty(&skeleton(items)).unwrap() + "\n";
            assert_eq!(String::from_utf8(out).unwrap(), whole, "{n} items");
        }
    }
}
