//! `newsmark check`: find the project of each PATH, load each project whole
//! (so cross-file checks see what the editor and CI see), report on the
//! files the PATHs select, and exit 0 (clean), 1 (errors) or 2 (usage or
//! I/O).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;

use super::output::{Sink, Totals};
use super::{color, report, CheckArgs, Deny};
use crate::checks;
use crate::config::Config;
use crate::diagnostic::Severity;
use crate::fix::Applicability;
use crate::host::{AnalysisHost, Naming, Opened};
use crate::project::{self, Project, Walk};
use crate::workspace::{discover, FileId, Workspace};

/// Files whose findings are computed (in parallel) and written at a time:
/// memory holds one batch of findings, never the whole report.
const BATCH: usize = 64;

/// One project to load, and the files in it that the PATHs select.
struct Run {
    project: Project,
    walk: Walk,
    /// Hashed, not ordered: 10k `PathBuf`s in a `BTreeSet` cost more
    /// comparisons than the walk itself (the report is sorted by name).
    selected: HashSet<PathBuf>,
    /// Files named explicitly that the walk does not reach (excluded,
    /// ignored, hidden, or not named `*.news.md`): checked within the
    /// project all the same, as an editor's open document is.
    named_files: BTreeSet<PathBuf>,
}

#[derive(Default)]
struct Plan {
    runs: Vec<Run>,
    by_root: HashMap<PathBuf, usize>,
    /// `--config FILE`, used for every project instead of its own file.
    explicit: Option<Config>,
}

impl Plan {
    fn project(&mut self, root: PathBuf) -> Result<usize, String> {
        if let Some(&index) = self.by_root.get(&root) {
            return Ok(index);
        }
        let project = match &self.explicit {
            Some(config) => Project::with_config(root.clone(), config.clone(), None)?,
            None => Project::open(root.clone(), &Config::default())?,
        };
        let walk = project.walk();
        self.runs.push(Run { project, walk, selected: HashSet::new(), named_files: BTreeSet::new() });
        self.by_root.insert(root, self.runs.len() - 1);
        Ok(self.runs.len() - 1)
    }

    /// Selects the members of project `index` at or under `path`, and every
    /// member of the nested projects under it. Returns how many.
    fn select(&mut self, index: usize, path: &Path) -> Result<usize, String> {
        let run = &mut self.runs[index];
        let before = run.selected.len();
        // Members are in `Path` order, so those under `path` are the run
        // that starts where `path` would stand.
        let members = &run.walk.members;
        let first = members.partition_point(|m| m.as_path() < path);
        run.selected.extend(members[first..].iter().take_while(|m| m.starts_with(path)).cloned());
        let mut count = run.selected.len() - before;
        let nested: Vec<PathBuf> = run.walk.nested.iter().filter(|n| n.starts_with(path)).cloned().collect();
        for root in nested {
            let inner = self.project(root.clone())?;
            count += self.select(inner, &root)?;
        }
        Ok(count)
    }
}

/// Standard input, read once, standing for the file at `path`.
pub(super) struct Stdin {
    path: PathBuf,
    text: String,
}

/// What the PATHs select: the projects to load and the files to report.
pub(super) struct Selection {
    runs: Vec<Run>,
    /// How files are named in the output: under each PATH as given.
    naming: Naming,
    stdin: Option<Stdin>,
    /// Unreadable PATHs (exit 2).
    pub problems: Vec<String>,
    /// PATHs that selected no article.
    pub empty: usize,
}

/// One project loaded: its workspace and the files reported, in path order.
pub(super) struct Loaded {
    pub workspace: Workspace,
    pub reported: Vec<FileId>,
}

impl Selection {
    /// Finds the project of each PATH (with `--config FILE` for all when
    /// given) and what each PATH selects. `Err` is a fatal message (bad
    /// settings). `warn` prints a warning for each PATH that selects nothing.
    pub(super) fn new(
        paths: &[PathBuf],
        config: Option<&Path>,
        stdin: Option<Stdin>,
        warn: bool,
    ) -> Result<Selection, String> {
        let given: Vec<PathBuf> = match &stdin {
            Some(stdin) => vec![stdin.path.clone()],
            None if paths.is_empty() => vec![PathBuf::from(".")],
            None => paths.to_vec(),
        };
        let mut plan = Plan::default();
        if let Some(file) = config {
            plan.explicit = Some(project::read_settings(file).and_then(|raw| Config::default().merged(&raw))?);
        }
        let mut problems = Vec::new();
        let mut empty = 0;
        let mut named = Vec::new();
        for path in &given {
            let absolute = project::absolute(path);
            if stdin.is_none() {
                match std::fs::metadata(path) {
                    Ok(m) if m.is_file() || m.is_dir() => {}
                    Ok(_) => {
                        // A FIFO, socket or device: reading one could block forever.
                        problems.push(format!("{}: skipped, not a regular file or folder", path.display()));
                        continue;
                    }
                    Err(e) => {
                        problems.push(format!("{}: {e}", path.display()));
                        continue;
                    }
                }
            }
            let index = plan.project(project::root_of(&absolute))?;
            let run = &mut plan.runs[index];
            // A file named explicitly (or standing for stdin) is checked
            // whatever the walk would say, as an editor's open document is.
            let count = if stdin.is_some() || !absolute.is_dir() {
                if !run.walk.members.contains(&absolute) {
                    run.named_files.insert(absolute.clone());
                }
                run.selected.insert(absolute.clone());
                1
            } else {
                plan.select(index, &absolute)?
            };
            if count == 0 {
                empty += 1;
                if warn {
                    eprintln!("newsmark: warning: {} selects no article", path.display());
                }
            }
            named.push((path.clone(), absolute));
        }
        let mut runs = plan.runs;
        runs.retain(|run| !run.selected.is_empty());
        runs.sort_by(|a, b| a.project.root().cmp(b.project.root()));
        let naming = Naming::AsGiven { named, cwd: project::absolute(Path::new(".")) };
        Ok(Selection { runs, naming, stdin, problems, empty })
    }

    /// How many projects the PATHs reach.
    pub(super) fn project_roots(&self) -> Vec<&Path> {
        self.runs.iter().map(|run| run.project.root()).collect()
    }

    /// Loads each project whole, one at a time, through an `AnalysisHost`
    /// (the server's loading path: the project's members, the files named
    /// explicitly, standard input as a buffer over its file), and hands it
    /// to `each`; files that cannot be read are added to `problems`.
    pub(super) fn load<E>(&mut self, mut each: impl FnMut(Loaded) -> Result<(), E>) -> Result<(), E> {
        let runs = std::mem::take(&mut self.runs);
        for run in runs {
            let loaded = self.load_one(run);
            each(loaded)?;
        }
        Ok(())
    }

    fn load_one(&mut self, run: Run) -> Loaded {
        let mut host = AnalysisHost::new(self.naming.clone());
        let mut named: Vec<PathBuf> = run.named_files.into_iter().collect();
        let stdin_at = self.stdin.as_ref().map(|s| project::absolute(&s.path)).filter(|at| run.selected.contains(at));
        if let (Some(at), Some(stdin)) = (&stdin_at, &self.stdin) {
            named.retain(|p| p != at);
            host.hold_buffer(self.naming.name(at), stdin.text.clone());
        }
        let (id, opened) = host.open_project(Arc::new(run.project), run.walk, named, Opened::Folder);
        self.problems.extend(opened.problems);
        let workspace = host.take_workspace(id).expect("the project was just opened");
        let naming = &self.naming;
        let selected_names: HashSet<String> = run.selected.par_iter().map(|p| naming.name(p)).collect();
        let mut reported: Vec<FileId> =
            workspace.file_ids().filter(|&id| selected_names.contains(&workspace.entry(id).name)).collect();
        reported.sort_by(|a, b| workspace.entry(*a).name.cmp(&workspace.entry(*b).name));
        Loaded { workspace, reported }
    }
}

pub fn run(args: CheckArgs) -> ExitCode {
    let fatal = |message: String| {
        eprintln!("newsmark: {message}");
        ExitCode::from(2)
    };
    let stdin = match read_stdin(&args) {
        Ok(stdin) => stdin,
        Err(message) => return fatal(message),
    };
    if stdin.is_some() && args.fix {
        return fatal("--fix writes files: it cannot fix standard input".to_string());
    }
    let warn = !args.quiet || args.strict;
    let mut selection = match Selection::new(&args.paths, args.config.as_deref(), stdin, warn) {
        Ok(selection) => selection,
        Err(message) => return fatal(message),
    };

    let to_terminal = args.output_file.is_none() && std::io::stdout().is_terminal();
    let color = color::enabled(args.color, to_terminal);
    let mut out: Box<dyn Write> = match &args.output_file {
        Some(file) => match std::fs::File::create(file) {
            Ok(f) => Box::new(std::io::BufWriter::new(f)),
            Err(e) => return fatal(format!("{}: {e}", file.display())),
        },
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut sink = Sink::new(args.format, args.statistics, color, args.quiet, args.unsafe_fixes);
    let mut totals = Totals::default();
    let threshold = if args.unsafe_fixes { Applicability::Unsafe } else { Applicability::Safe };
    let mut fix_failed = None;
    let written = selection
        .load(|Loaded { mut workspace, reported }| -> std::io::Result<()> {
            if args.fix {
                // Fix the reported files within their project, write them
                // back, then report what is left.
                let changed = super::fix::fix_in_workspace(&mut workspace, &reported, threshold);
                if let Err(message) = super::fix::write_fixed(&workspace, &changed) {
                    fix_failed = Some(message.clone());
                    return Err(std::io::Error::other(message));
                }
                eprint!("{}", super::fix::summary(&changed));
            }
            totals.files += reported.len();
            for batch in reported.chunks(BATCH) {
                // Each finding is rendered where it is found, on the pool
                // threads: the main thread only counts and writes, in order.
                let sink_ref = &sink;
                let findings: Vec<(report::Finding, String)> = batch
                    .par_iter()
                    .map(|&file| {
                        checks::file_diagnostics(&workspace, file)
                            .into_iter()
                            .map(|d| {
                                let finding = report::finding(&workspace, file, d);
                                let rendered = sink_ref.render(&workspace, &finding);
                                (finding, rendered)
                            })
                            .collect::<Vec<_>>()
                    })
                    .collect::<Vec<_>>()
                    .into_iter()
                    .flatten()
                    .collect();
                for (finding, rendered) in &findings {
                    totals.add(finding);
                    sink.write(&mut out, rendered)?;
                }
            }
            // Freeing every file's text and syntax tree one by one takes a
            // tenth of a large run, for memory the process returns anyway.
            std::mem::forget(workspace);
            Ok(())
        })
        .and_then(|()| sink.finish(&mut out, &totals))
        .and_then(|()| out.flush());
    if let Err(e) = written {
        if let Some(message) = fix_failed {
            eprintln!("newsmark: {message}");
        } else if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("newsmark: cannot write the report: {e}");
        }
        return ExitCode::from(2);
    }
    for problem in &selection.problems {
        eprintln!("newsmark: {problem}");
    }
    if !selection.problems.is_empty() || (args.strict && selection.empty > 0) {
        return ExitCode::from(2);
    }
    let errors = totals.count(Severity::Error);
    let warnings = totals.count(Severity::Warning);
    if errors > 0 || (args.deny == Some(Deny::Warnings) && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `-` with `--stdin-filename PATH`: the text on standard input.
fn read_stdin(args: &CheckArgs) -> Result<Option<Stdin>, String> {
    let dash = args.paths.iter().any(|p| p.as_os_str() == "-");
    match (&args.stdin_filename, dash) {
        (None, false) => Ok(None),
        (Some(_), false) => Err("--stdin-filename is for `newsmark check -` (standard input)".to_string()),
        (None, true) => Err("`-` reads standard input: say which file it stands for with --stdin-filename PATH".into()),
        (Some(_), true) if args.paths.len() > 1 => {
            Err("`-` (standard input) cannot be combined with other PATHs".into())
        }
        (Some(path), true) => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .take(discover::MAX_FILE_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("standard input: {e}"))?;
            if bytes.len() as u64 > discover::MAX_FILE_BYTES {
                return Err(format!(
                    "standard input: over the {} MB limit for one article",
                    discover::MAX_FILE_BYTES / (1024 * 1024)
                ));
            }
            let text = String::from_utf8(bytes).map_err(|e| {
                format!(
                    "standard input: not valid UTF-8 text (first bad byte at offset {})",
                    e.utf8_error().valid_up_to()
                )
            })?;
            Ok(Some(Stdin { path: path.clone(), text }))
        }
    }
}
