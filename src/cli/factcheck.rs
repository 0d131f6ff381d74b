//! `newsmark report` and `newsmark export`: the same workspace as `check`,
//! turned into the fact-check model, then into a page or JSON-LD.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;

use crate::export::claimreview::{self, Reviewer};
use crate::factcheck::{self, FactCheck};
use crate::quantity::Date;
use crate::report_page::{self, FileLinks};
use crate::workspace::Workspace;

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Files and folders to report on (default: the current folder).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The HTML file to write.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// List every figure and quote in the tables, even in a big workspace
    /// (by default, above 5,000 figures and quotes only flagged ones are).
    #[arg(long)]
    full: bool,
    /// Settings file to use instead of the nearest `newsmark.toml`.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// Files and folders to export (default: the current folder).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// What to export.
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The reviews' `datePublished` (YYYY-MM-DD; default: today, UTC).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    date: Option<Date>,
    /// The reviews' author (an organisation name).
    #[arg(long, value_name = "NAME", default_value = "Newsmark")]
    reviewer: String,
    /// Settings file to use instead of the nearest `newsmark.toml`.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// schema.org ClaimReview, as JSON-LD.
    Claimreview,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse_iso(s).ok_or_else(|| format!("`{s}` is not a date: write YYYY-MM-DD"))
}

pub fn report(args: ReportArgs) -> ExitCode {
    let Some((fact_check, complete)) = load(&args.paths, args.config.as_deref()) else { return ExitCode::from(2) };
    let cwd = std::env::current_dir().unwrap_or_default();
    let folder = args.out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let page =
        report_page::render(&fact_check, &FileLinks::new(folder, &cwd), report_page::Options { full: args.full });
    finish(write_out(Some(&args.out), page.as_bytes()), complete)
}

pub fn export(args: ExportArgs) -> ExitCode {
    let Some((fact_check, complete)) = load(&args.paths, args.config.as_deref()) else { return ExitCode::from(2) };
    let reviewer = Reviewer { name: args.reviewer, date: args.date.unwrap_or_else(today) };
    let document = match args.format {
        ExportFormat::Claimreview => claimreview::export(&fact_check, &reviewer),
    };
    finish(write_out(args.out.as_deref(), document.as_bytes()), complete)
}

/// As `check`: a file or folder that could not be read still leaves a
/// report of the rest, and exit status 2.
fn finish(written: ExitCode, complete: bool) -> ExitCode {
    if complete {
        written
    } else {
        ExitCode::from(2)
    }
}

/// The model of the files `check` would report on for `paths`, and whether
/// every path could be read (problems are printed); None when the settings
/// cannot be read.
fn load(paths: &[PathBuf], config: Option<&Path>) -> Option<(FactCheck, bool)> {
    // The same projects and selection as `check` (see src/project.rs).
    let mut selection = match super::check::Selection::new(paths, config, None, true) {
        Ok(selection) => selection,
        Err(message) => {
            eprintln!("newsmark: {message}");
            return None;
        }
    };
    let roots: Vec<String> = selection.project_roots().iter().map(|r| r.display().to_string()).collect();
    if roots.len() > 1 {
        eprintln!("newsmark: a fact-check covers one project; these paths reach {}: {}", roots.len(), roots.join(", "));
        return None;
    }
    let mut fact_check = None;
    let _ = selection.load(|loaded| -> Result<(), ()> {
        fact_check = Some(factcheck::build(&loaded.workspace, &loaded.reported));
        // As in `check`: the process is about to return this memory anyway.
        std::mem::forget(loaded.workspace);
        Ok(())
    });
    for problem in &selection.problems {
        eprintln!("newsmark: {problem}");
    }
    let fact_check = fact_check.unwrap_or_else(|| factcheck::build(&Workspace::default(), &[]));
    Some((fact_check, selection.problems.is_empty()))
}

fn today() -> Date {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let epoch = Date::parse_iso("1970-01-01").expect("a valid date");
    epoch.add_days((seconds / 86_400) as i64)
}

fn write_out(path: Option<&Path>, bytes: &[u8]) -> ExitCode {
    let result = match path {
        Some(path) => std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("cannot write the export: {e}")),
                _ => Ok(()),
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("newsmark: {message}");
            ExitCode::from(2)
        }
    }
}
