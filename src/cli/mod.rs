//! The command line: `newsmark check`, `explain`, `completions` and `lsp`.

mod check;
mod color;
mod explain;
mod factcheck;
mod fix;
mod github;
mod human;
mod json;
mod output;
mod report;
mod sarif;
mod statistics;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(name = "newsmark", version, about = "Linter and language server for annotated news articles")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check articles: every `*.news.md` under the given files and folders,
    /// each within its whole project.
    Check(CheckArgs),
    /// Write a self-contained HTML fact-check page for the given files and folders.
    Report(factcheck::ReportArgs),
    /// Export the fact-check as structured data (schema.org ClaimReview JSON-LD).
    Export(factcheck::ExportArgs),
    /// Explain a diagnostic code: what it checks, an example, the fix.
    Explain {
        /// A code such as `uncited-figure` (`--all` lists every code).
        #[arg(value_name = "CODE", required_unless_present = "all")]
        code: Option<String>,
        /// Explain every code.
        #[arg(long)]
        all: bool,
    },
    /// Print a shell completion script to stdout.
    Completions {
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Run the language server on stdin/stdout.
    Lsp,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files and folders to report on (default: the current folder); `-`
    /// reads one article from standard input (with --stdin-filename).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// With `-`: the path of the file the text on stdin stands for; it is
    /// checked in place of that file, within its project.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Treat warnings as errors for the exit code.
    #[arg(long, value_enum, value_name = "LEVEL")]
    deny: Option<Deny>,
    /// Settings file to use instead of each project's `newsmark.toml`.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Colour in human output (`auto` honours NO_COLOR and FORCE_COLOR).
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
    /// Print the findings and nothing else: no summary line, no notes.
    #[arg(long, short)]
    quiet: bool,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// Print how many findings each code has, instead of the findings.
    #[arg(long)]
    statistics: bool,
    /// Exit 2 when a PATH selects no article (otherwise a warning).
    #[arg(long)]
    strict: bool,
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
        Command::Explain { code, all } => explain::run(code.as_deref(), all),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "newsmark", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Lsp => crate::lsp::run(),
    }
}
