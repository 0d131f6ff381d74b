//! `newsmark explain CODE`: the rule's text from the one registry next to
//! `Code` (docs/format.md says the same; a test holds them together).

use std::process::ExitCode;

use crate::diagnostic::Code;

pub fn text(code: Code) -> String {
    let explanation = code.explanation();
    let severity = code.default_severity().as_str();
    let example: String = explanation.example.lines().map(|line| format!("    {line}\n")).collect();
    format!(
        "{code} ({severity} by default)\n\n{}\n\nExample:\n\n{example}\nFix: {}\n",
        explanation.checks, explanation.fix
    )
}

pub fn run(code: Option<&str>, all: bool) -> ExitCode {
    if all {
        let texts: Vec<String> = Code::ALL.iter().map(|&c| text(c)).collect();
        print!("{}", texts.join("\n"));
        return ExitCode::SUCCESS;
    }
    let name = code.unwrap_or_default();
    match Code::parse(name) {
        Some(code) => {
            print!("{}", text(code));
            ExitCode::SUCCESS
        }
        None => {
            let known: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
            eprintln!("newsmark: unknown code `{name}`; the codes are: {}", known.join(", "));
            ExitCode::from(2)
        }
    }
}
