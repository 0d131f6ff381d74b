//! The command line: `newsmark check` and `newsmark lsp`.

mod check;
mod factcheck;
mod fix;
mod github;
mod human;
mod json;
mod report;
mod sarif;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(name = "newsmark", version, about = "Linter and language server for annotated news articles")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check articles: every `*.news.md` under the given files and folders.
    Check(CheckArgs),
    /// Write a self-contained HTML fact-check page for the given files and folders.
    Report(factcheck::ReportArgs),
    /// Export the fact-check as structured data (schema.org ClaimReview JSON-LD).
    Export(factcheck::ExportArgs),
    /// Run the language server on stdin/stdout.
    Lsp,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files and folders to check (default: the current folder).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Treat warnings as errors for the exit code.
    #[arg(long, value_enum, value_name = "LEVEL")]
    deny: Option<Deny>,
    /// Settings file to use instead of the nearest `newsmark.toml`.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Apply the safe fixes of the findings in the files checked, write the
    /// files, and report what is left.
    #[arg(long)]
    fix: bool,
    /// With `--fix`, apply the unsafe fixes too (they may change what the
    /// article says: review the diff).
    #[arg(long, requires = "fix")]
    unsafe_fixes: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    Warnings,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Help and version are not failures; every usage error exits 2.
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Report(args) => factcheck::report(args),
        Command::Export(args) => factcheck::export(args),
        Command::Lsp => crate::lsp::run(),
    }
}
