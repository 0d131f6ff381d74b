//! Suppression comments, as markdownlint's inline configuration and ruff's
//! `noqa` work:
//!
//! ```text
//! <!-- newsmark-disable-next-line CODE[, CODE…] -->   findings that start on the next line
//! <!-- newsmark-disable CODE… -->                     from here …
//! <!-- newsmark-enable CODE… -->                      … to here (or to the end of the file)
//! <!-- newsmark-disable-file CODE… -->                the whole file
//! ```
//!
//! Codes are separated by commas or spaces; none means every code. Text
//! after ` -- ` is a reason, for the reader. Only real HTML comments count
//! (`SourceFile::comments`: not in code). A suppression that silences
//! nothing is `unused-suppression`; a directive or code that does not exist
//! is an error (`malformed-markup`, `invalid-attribute`). Findings about
//! suppression comments are never suppressed themselves.

use std::collections::{BTreeSet, HashMap};

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::fix::{Edit, Fix};
use crate::line_index::{Encoding, LineIndex};
use crate::syntax::TextRange;

const PREFIX: &str = "newsmark-";
/// Only this many suppression comments per file are read: each costs a
/// lookup for every finding, and no article needs more.
const MAX_SUPPRESSIONS: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Directive {
    NextLine,
    Disable,
    Enable,
    File,
}

impl Directive {
    const ALL: [(&'static str, Directive); 4] = [
        ("disable-next-line", Directive::NextLine),
        ("disable", Directive::Disable),
        ("enable", Directive::Enable),
        ("disable-file", Directive::File),
    ];

    fn name(self) -> &'static str {
        Directive::ALL.iter().find(|(_, d)| *d == self).map_or("", |(name, _)| name)
    }
}

struct Suppression {
    /// The whole comment, `<!--` to `-->`.
    comment: TextRange,
    directive: Directive,
    /// The codes named, each with its range; empty when `all`.
    codes: Vec<(Code, TextRange)>,
    /// No code named: every code.
    all: bool,
    /// ` -- reason` as written, kept when the comment is rewritten.
    reason: Option<String>,
    /// Codes that do not exist: the comment is kept until they are
    /// corrected (removing it would lose what they were meant to silence).
    unknown_codes: bool,
}

impl Suppression {
    fn codes(&self) -> Vec<Code> {
        if self.all {
            Code::ALL.to_vec()
        } else {
            self.codes.iter().map(|(c, _)| *c).collect()
        }
    }
}

/// The suppression comments of one file, read from its HTML comments.
pub(crate) struct Suppressions {
    list: Vec<Suppression>,
    /// Errors in the comments themselves: unknown directives and codes.
    errors: Vec<Diagnostic>,
}

impl Suppressions {
    pub(crate) fn read(text: &str, comments: &[TextRange]) -> Suppressions {
        let mut list = Vec::new();
        let mut errors = Vec::new();
        for comment in comments {
            if list.len() >= MAX_SUPPRESSIONS {
                break;
            }
            if let Some(s) = read_comment(text, *comment, &mut errors) {
                list.push(s);
            }
        }
        Suppressions { list, errors }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty() && self.errors.is_empty()
    }

    /// `findings` without the suppressed ones, plus the findings about the
    /// comments: errors, and `unused-suppression` for each comment (or code
    /// in it) that silenced nothing. A code whose rule is turned off is
    /// never called unused: turning the rule on again needs the comment.
    pub(crate) fn apply(
        self,
        text: &str,
        lines: &LineIndex,
        config: &Config,
        findings: Vec<Diagnostic>,
    ) -> Vec<Diagnostic> {
        let line_of = |offset: usize| lines.line_col(text, offset, Encoding::Utf8).line;
        let scopes = Scopes::build(&self.list, text.len(), line_of);
        let mut used: Vec<BTreeSet<Code>> = vec![BTreeSet::new(); self.list.len()];
        let mut kept = Vec::with_capacity(findings.len());
        for finding in findings {
            match scopes.owner(finding.code, finding.range.start(), line_of(finding.range.start())) {
                Some(owner) => {
                    used[owner].insert(finding.code);
                }
                None => kept.push(finding),
            }
        }
        for (index, s) in self.list.iter().enumerate() {
            if s.directive == Directive::Enable {
                if !scopes.closing.contains(&index) {
                    kept.extend(unused(text, s, &s.codes(), "closes no `newsmark-disable` above it", config));
                }
                continue;
            }
            let silenced = &used[index];
            let unused_codes: Vec<Code> = if s.all {
                if silenced.is_empty() {
                    Code::ALL.to_vec()
                } else {
                    Vec::new()
                }
            } else {
                s.codes.iter().map(|(c, _)| *c).filter(|c| !silenced.contains(c)).collect()
            };
            let unused_codes: Vec<Code> =
                unused_codes.into_iter().filter(|c| s.all || config.severity_of(*c).is_some()).collect();
            if !unused_codes.is_empty() {
                kept.extend(unused(text, s, &unused_codes, "silences no finding", config));
            }
        }
        kept.extend(self.errors.into_iter().filter_map(|mut e| {
            e.severity = config.severity_of(e.code)?;
            Some(e)
        }));
        kept
    }
}

/// The codes a suppression names; None for every code.
type Named = Option<Vec<Code>>;

fn names(named: &Named, code: Code) -> bool {
    named.as_ref().is_none_or(|codes| codes.contains(&code))
}

/// Where each suppression applies.
struct Scopes {
    /// Line (0-based) → the suppressions on the line before it.
    next_line: HashMap<u32, Vec<(usize, Named)>>,
    /// Per code: disjoint byte ranges, in order, each with its owner.
    regions: HashMap<Code, Vec<(TextRange, usize)>>,
    /// `disable-file` suppressions.
    file: Vec<(usize, Named)>,
    /// `enable` comments that closed a region.
    closing: BTreeSet<usize>,
}

impl Scopes {
    fn build(list: &[Suppression], text_len: usize, line_of: impl Fn(usize) -> u32) -> Scopes {
        let mut scopes =
            Scopes { next_line: HashMap::new(), regions: HashMap::new(), file: Vec::new(), closing: BTreeSet::new() };
        let mut open: HashMap<Code, (usize, usize)> = HashMap::new();
        for (index, s) in list.iter().enumerate() {
            let named = (!s.all).then(|| s.codes());
            match s.directive {
                Directive::NextLine => {
                    let line = line_of(s.comment.end().saturating_sub(1)) + 1;
                    scopes.next_line.entry(line).or_default().push((index, named));
                }
                Directive::File => scopes.file.push((index, named)),
                Directive::Disable => {
                    for code in s.codes() {
                        // Already disabled: this one silences nothing more.
                        open.entry(code).or_insert((s.comment.end(), index));
                    }
                }
                Directive::Enable => {
                    for code in s.codes() {
                        if let Some((start, owner)) = open.remove(&code) {
                            scopes
                                .regions
                                .entry(code)
                                .or_default()
                                .push((TextRange::new(start, s.comment.start()), owner));
                            scopes.closing.insert(index);
                        }
                    }
                }
            }
        }
        for (code, (start, owner)) in open {
            scopes.regions.entry(code).or_default().push((TextRange::new(start, text_len), owner));
        }
        for regions in scopes.regions.values_mut() {
            regions.sort_by_key(|(range, _)| range.start());
        }
        scopes
    }

    /// The suppression that silences a finding of `code` starting at
    /// `offset` on `line`, if any: next-line first, then region, then file.
    fn owner(&self, code: Code, offset: usize, line: u32) -> Option<usize> {
        let first = |owners: &[(usize, Named)]| owners.iter().find(|(_, named)| names(named, code)).map(|(o, _)| *o);
        self.next_line
            .get(&line)
            .and_then(|owners| first(owners))
            .or_else(|| {
                let regions = self.regions.get(&code)?;
                let after = regions.partition_point(|(range, _)| range.start() <= offset);
                let (range, owner) = regions.get(after.checked_sub(1)?)?;
                (offset < range.end()).then_some(*owner)
            })
            .or_else(|| first(&self.file))
    }
}

/// Reads one comment; None when it is no suppression (it does not start
/// with `newsmark-`) or names an unknown directive (reported in `errors`).
fn read_comment(text: &str, comment: TextRange, errors: &mut Vec<Diagnostic>) -> Option<Suppression> {
    let inner_start = comment.start() + "<!--".len();
    let inner_end = comment.end().checked_sub("-->".len())?.max(inner_start);
    let inner = text.get(inner_start..inner_end)?;
    let lead = inner.len() - inner.trim_start().len();
    let body = &inner[lead..];
    let rest = body.strip_prefix(PREFIX)?;
    let word_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let word = &rest[..word_len];
    let word_start = inner_start + lead;
    let word_range = TextRange::new(word_start, word_start + PREFIX.len() + word_len);
    let Some(&(_, directive)) = Directive::ALL.iter().find(|(name, _)| *name == word) else {
        let known = Directive::ALL.map(|(name, _)| format!("`{PREFIX}{name}`")).join(", ");
        let message = format!("unknown suppression `{PREFIX}{word}`: expected one of {known}");
        errors.push(Diagnostic::new(Code::MalformedMarkup, word_range, message));
        return None;
    };
    let list_start = word_range.end();
    let list_text = &text[list_start..inner_end];
    let (list_text, reason) = match list_text.find(" -- ") {
        Some(at) => (&list_text[..at], Some(list_text[at..].trim_end().to_string())),
        None => (list_text, None),
    };
    let mut codes = Vec::new();
    let mut any_named = false;
    let mut unknown_codes = false;
    let mut offset = 0;
    for token in list_text.split(|c: char| c == ',' || c.is_whitespace()) {
        let range = TextRange::new(list_start + offset, list_start + offset + token.len());
        offset += token.len() + 1;
        if token.is_empty() {
            continue;
        }
        any_named = true;
        match Code::parse(token) {
            Some(code) => codes.push((code, range)),
            None => {
                unknown_codes = true;
                let mut message = format!("unknown code `{token}` in a suppression");
                match nearest_code(token) {
                    Some(near) => message.push_str(&format!(": did you mean `{near}`?")),
                    None => message.push_str(": see `newsmark explain` for the codes"),
                }
                let fix = nearest_code(token).map(|near| {
                    Fix::unsafe_(format!("Replace with `{near}`"), vec![Edit::replace(range, near.as_str())])
                });
                errors.push(Diagnostic::new(Code::InvalidAttribute, range, message).with_fix(fix));
            }
        }
    }
    Some(Suppression { comment, directive, codes, all: !any_named, reason, unknown_codes })
}

/// The code a mistyped one was meant to be: within a third of its length.
fn nearest_code(typed: &str) -> Option<Code> {
    let limit = (typed.chars().count() / 3).max(1);
    Code::ALL
        .into_iter()
        .map(|c| (super::suggest::edit_distance(&typed.to_lowercase(), c.as_str()), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// `unused-suppression` on `s` for `codes` (every code it names, or some),
/// with the fix that removes them: the whole comment (and its line, when it
/// stands alone on it), or the unused codes only.
fn unused(text: &str, s: &Suppression, codes: &[Code], why: &str, config: &Config) -> Option<Diagnostic> {
    let severity = config.severity_of(Code::UnusedSuppression)?;
    let directive = format!("{PREFIX}{}", s.directive.name());
    let kept: Vec<&str> = s.codes.iter().map(|(c, _)| *c).filter(|c| !codes.contains(c)).map(Code::as_str).collect();
    let (message, fix) = if s.all || kept.is_empty() {
        let what = if s.all { "every code".to_string() } else { list(codes) };
        let message = format!("`{directive}` of {what} {why}: remove the comment");
        (message, Fix::safe("Remove the unused suppression", vec![Edit::delete(comment_with_line(text, &s.comment))]))
    } else {
        let message =
            format!("`{directive}` of {} {why}: remove {}", list(codes), if codes.len() == 1 { "it" } else { "them" });
        let reason = s.reason.as_deref().unwrap_or("");
        let rewritten = format!("<!-- {directive} {}{reason} -->", kept.join(", "));
        (message, Fix::safe("Remove the unused codes", vec![Edit::replace(s.comment, rewritten)]))
    };
    // With an unknown code in it, the comment waits for that code's fix.
    let fix = (!s.unknown_codes).then_some(fix);
    let mut diagnostic = Diagnostic::new(Code::UnusedSuppression, s.comment, message).with_fix(fix);
    diagnostic.severity = severity;
    Some(diagnostic)
}

fn list(codes: &[Code]) -> String {
    codes.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
}

/// The comment's range, grown to its whole line and line break when
/// nothing but white space shares the line with it.
fn comment_with_line(text: &str, comment: &TextRange) -> TextRange {
    let bytes = text.as_bytes();
    let line_start = text[..comment.start()].rfind(['\n', '\r']).map_or(0, |p| p + 1);
    let before_blank = text[line_start..comment.start()].chars().all(|c| c == ' ' || c == '\t');
    let after = &text[comment.end()..];
    let line_end_rel = after.find(['\n', '\r']).unwrap_or(after.len());
    let after_blank = after[..line_end_rel].chars().all(|c| c == ' ' || c == '\t');
    if !(before_blank && after_blank) {
        return *comment;
    }
    let mut end = comment.end() + line_end_rel;
    match (bytes.get(end), bytes.get(end + 1)) {
        (Some(b'\r'), Some(b'\n')) => end += 2,
        (Some(b'\r' | b'\n'), _) => end += 1,
        _ => {}
    }
    TextRange::new(line_start, end)
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::workspace::Workspace;

    /// "line:code message" for each finding of the file (1-based lines).
    fn findings_with(config: Config, text: &str) -> Vec<String> {
        let workspace = Workspace::from_files(config, vec![("a.news.md".to_string(), text.to_string())]);
        let file = workspace.file_ids().next().unwrap();
        let entry = workspace.entry(file);
        super::super::file_diagnostics(&workspace, file)
            .into_iter()
            .map(|d| {
                let line =
                    entry.line_index().line_col(&entry.text, d.range.start(), crate::line_index::Encoding::Utf8).line;
                format!("{}:{} {}", line + 1, d.code, d.message)
            })
            .collect()
    }

    fn findings(text: &str) -> Vec<String> {
        findings_with(Config::default(), text)
    }

    fn codes(text: &str) -> Vec<String> {
        findings(text).into_iter().map(|f| f.split(' ').next().unwrap_or("").to_string()).collect()
    }

    #[test]
    fn next_line_silences_the_named_code_on_the_next_line_only() {
        let text =
            "<!-- newsmark-disable-next-line uncited-figure -->\n[5]{fig=k} and [5]{fig=k} 7 troops\n[5]{fig=k}\n";
        assert_eq!(codes(text), ["2:unannotated-figure", "3:uncited-figure"]);
    }

    #[test]
    fn the_next_line_after_crlf_or_a_lone_cr() {
        for nl in ["\r\n", "\r"] {
            let text =
                format!("<!-- newsmark-disable-next-line uncited-figure -->{nl}[5]{{fig=k}} 😀{nl}[5]{{fig=k}}{nl}");
            assert_eq!(codes(&text), ["3:uncited-figure"], "{nl:?}");
        }
    }

    #[test]
    fn several_codes_commas_or_spaces_and_a_reason() {
        let text = "<!-- newsmark-disable-next-line uncited-figure, unannotated-figure -- reviewed -->\n\
                    [5]{fig=k} 7 troops\n\
                    <!-- newsmark-disable-next-line uncited-figure unannotated-figure -->\n[5]{fig=k} 7 troops\n";
        assert_eq!(codes(text), Vec::<String>::new());
    }

    #[test]
    fn no_code_means_every_code() {
        let text = "<!-- newsmark-disable-next-line -->\n[5]{fig=k} 7 troops [x]{ent=nobody}\n";
        assert_eq!(codes(text), Vec::<String>::new());
    }

    #[test]
    fn a_region_from_disable_to_enable_or_the_end() {
        let text = "[5]{fig=k}\n\n<!-- newsmark-disable uncited-figure -->\n\n[5]{fig=k}\n\n[5]{fig=k}\n\n\
                    <!-- newsmark-enable uncited-figure -->\n\n[5]{fig=k}\n\n<!-- newsmark-disable -->\n\n[5]{fig=k}\n";
        assert_eq!(codes(text), ["1:uncited-figure", "11:uncited-figure"]);
    }

    #[test]
    fn enable_of_one_code_keeps_the_others_disabled() {
        let text = "<!-- newsmark-disable -->\n[1]{fig=k} 7 troops\n<!-- newsmark-enable unannotated-figure -->\n\
                    [2]{fig=k} 8 troops\n";
        assert_eq!(codes(text), ["4:unannotated-figure"]);
    }

    #[test]
    fn file_wide_anywhere_in_the_file() {
        let text = "[5]{fig=k} 7 troops\n\n<!-- newsmark-disable-file uncited-figure -->\n\n[5]{fig=k}\n";
        assert_eq!(codes(text), ["1:unannotated-figure"]);
    }

    #[test]
    fn a_suppression_that_silences_nothing_is_reported_with_its_removal() {
        assert_eq!(
            findings("Prose.\n<!-- newsmark-disable-next-line misquote -->\nMore prose.\n"),
            ["2:unused-suppression `newsmark-disable-next-line` of `misquote` silences no finding: remove the comment"]
        );
        // Only one of two codes is used: the other is named.
        assert_eq!(
            findings("<!-- newsmark-disable-next-line misquote, uncited-figure -- why -->\n[1]{fig=k}\n"),
            ["1:unused-suppression `newsmark-disable-next-line` of `misquote` silences no finding: remove it"]
        );
        assert_eq!(
            findings("<!-- newsmark-enable uncited-figure -->\n"),
            ["1:unused-suppression `newsmark-enable` of `uncited-figure` closes no `newsmark-disable` above it: remove the comment"]
        );
        assert_eq!(
            findings("<!-- newsmark-disable-file -->\nProse.\n"),
            ["1:unused-suppression `newsmark-disable-file` of every code silences no finding: remove the comment"]
        );
    }

    #[test]
    fn the_fix_of_an_unused_suppression_removes_it_and_nothing_else() {
        let fixed = |text: &str| {
            let workspace = Workspace::from_files(Config::default(), vec![("a.news.md".into(), text.to_string())]);
            let file = workspace.file_ids().next().unwrap();
            let diagnostics = super::super::file_diagnostics(&workspace, file);
            crate::fix::apply_fixes(text, diagnostics.iter().filter_map(|d| d.fix.as_ref())).text
        };
        assert_eq!(
            fixed("Prose.\r\n  <!-- newsmark-disable-next-line misquote -->\r\nMore.\r\n"),
            "Prose.\r\nMore.\r\n"
        );
        assert_eq!(fixed("Prose <!-- newsmark-disable-next-line misquote --> here.\n"), "Prose  here.\n");
        assert_eq!(
            fixed("<!-- newsmark-disable-next-line misquote, uncited-figure -- reviewed -->\n[1]{fig=k}\n"),
            "<!-- newsmark-disable-next-line uncited-figure -- reviewed -->\n[1]{fig=k}\n"
        );
    }

    #[test]
    fn an_unknown_code_or_directive_is_an_error_that_says_so() {
        assert_eq!(
            findings("<!-- newsmark-disable-next-line uncited-figures, misquote -->\n[1]{fig=k}\n"),
            [
                "1:unused-suppression `newsmark-disable-next-line` of `misquote` silences no finding: remove the comment",
                "1:invalid-attribute unknown code `uncited-figures` in a suppression: did you mean `uncited-figure`?",
                "2:uncited-figure figure `k` cites no source: add `[@source-id]` right after it, or a citation in its paragraph",
            ]
        );
        assert_eq!(
            codes("<!-- newsmark-disable-nextline uncited-figure -->\n[1]{fig=k}\n"),
            ["1:malformed-markup", "2:uncited-figure"]
        );
        // Other comments are none of ours.
        assert_eq!(codes("<!-- TODO: newsmark-disable misquote -->\n"), Vec::<String>::new());
    }

    #[test]
    fn only_real_comments_count() {
        let text = "`<!-- newsmark-disable-next-line uncited-figure -->`\n[1]{fig=k}\n\n\
                    ```\n<!-- newsmark-disable-file -->\n```\n";
        assert_eq!(codes(text), ["2:uncited-figure"]);
    }

    #[test]
    fn a_code_whose_rule_is_off_is_not_called_unused() {
        let config = Config::from_toml("[severity]\nmisquote = \"off\"\n").unwrap();
        assert_eq!(
            findings_with(config, "<!-- newsmark-disable-next-line misquote -->\nProse.\n"),
            Vec::<String>::new()
        );
    }
}
