//! `newsmark check`: find the files, build the workspace, run every rule,
//! print the report, and exit 0 (clean), 1 (errors) or 2 (usage or I/O).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

use super::report::{self, Report};
use super::{CheckArgs, ColorChoice, Deny, Format};
use crate::checks;
use crate::config::{Config, CONFIG_FILE};
use crate::diagnostic::Severity;
use crate::fix::Applicability;
use crate::workspace::{discover, Workspace};

pub fn run(args: CheckArgs) -> ExitCode {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let config = match load_config(args.config.as_deref(), &paths) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("newsmark: {message}");
            return ExitCode::from(2);
        }
    };
    let (named, problems) = discover::load(&paths, &config);
    for problem in &problems {
        eprintln!("newsmark: {problem}");
    }
    let mut workspace = Workspace::from_files(config, named);
    let mut ids: Vec<_> = workspace.file_ids().collect();
    ids.sort_by(|a, b| workspace.entry(*a).name.cmp(&workspace.entry(*b).name));
    if args.fix {
        let threshold = if args.unsafe_fixes { Applicability::Unsafe } else { Applicability::Safe };
        let changed = super::fix::fix_in_workspace(&mut workspace, &ids, threshold);
        if let Err(message) = super::fix::write_fixed(&workspace, &changed) {
            eprintln!("newsmark: {message}");
            return ExitCode::from(2);
        }
        eprint!("{}", super::fix::summary(&changed));
    }
    let findings: Vec<report::Finding> = ids
        .par_iter()
        .flat_map_iter(|&file| checks::file_diagnostics(&workspace, file).into_iter().map(move |d| (file, d)))
        .map(|(file, d)| report::finding(&workspace, file, d))
        .collect();
    let report = Report { files: workspace.len(), findings };

    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let output = match args.format {
        Format::Human => super::human::render(&workspace, &report, color),
        Format::Json => super::json::render(&report),
        Format::Sarif => super::sarif::render(&report),
        Format::Github => super::github::render(&report),
    };
    // Freeing every file's text and syntax tree one by one takes a tenth
    // of a large run, for memory the process is about to return anyway.
    std::mem::forget(workspace);
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(output.as_bytes()).and_then(|_| stdout.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("newsmark: cannot write the report: {e}");
        }
        return ExitCode::from(2);
    }
    if !problems.is_empty() {
        return ExitCode::from(2);
    }
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    if errors > 0 || (args.deny == Some(Deny::Warnings) && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `--config FILE`, else the first `newsmark.toml` found in a folder named
/// on the command line, else in the current folder.
pub(super) fn load_config(explicit: Option<&Path>, paths: &[PathBuf]) -> Result<Config, String> {
    if let Some(file) = explicit {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        return Config::from_toml(&text).map_err(|e| format!("{}: {e}", file.display()));
    }
    let folders = paths.iter().filter(|p| p.is_dir()).map(PathBuf::as_path).chain([Path::new(".")]);
    for folder in folders {
        if folder.join(CONFIG_FILE).is_file() {
            if !discover::resolves_within(folder, &folder.join(CONFIG_FILE)) {
                return Err(format!(
                    "{}: a link out of the folder; not followed (name it with --config FILE to use it)",
                    folder.join(CONFIG_FILE).display()
                ));
            }
            return Config::load(folder).map(Option::unwrap_or_default);
        }
    }
    Ok(Config::default())
}
