//! The README tells the truth: its example articles, checked, print exactly
//! the output it shows; its install and CI commands name no place that does
//! not exist.

mod common;

use std::path::Path;

use common::run_in;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The fenced block that starts after the first line at or after `from`
/// that opens a fence: its info string and its text.
fn next_block(text: &str, from: usize) -> Option<(String, String, usize)> {
    let open = from + text[from..].find("\n```")? + 1;
    let info_end = open + text[open..].find('\n')?;
    let info = text[open + 3..info_end].trim().to_string();
    let close = info_end + 1 + text[info_end + 1..].find("```\n")?;
    Some((info, text[info_end + 1..close].to_string(), close + 4))
}

#[test]
fn the_readme_example_prints_what_the_readme_shows() {
    let readme = readme();
    let start = readme.find("## An example\n").expect("the README has an example");
    let end = start + readme[start..].find("\n## ").unwrap_or(readme.len() - start);
    let section = &readme[..end];
    let dir = std::env::temp_dir().join(format!("newsmark-readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("example")).unwrap();
    let mut at = start;
    let mut files = Vec::new();
    let mut shown = None;
    while let Some((info, body, next)) = next_block(section, at) {
        // The line before the block names the file (`example/x.news.md`) or
        // the command whose output the block is.
        let before = &section[at..next];
        let intro = before[..before.find("\n```").unwrap()].trim_end();
        let intro_line = intro.rsplit("\n\n").next().unwrap();
        if info == "markdown" {
            let name = intro_line.split('`').nth(1).expect("a file name in backticks before the block");
            assert!(name.starts_with("example/") && name.ends_with(".news.md"), "{name}");
            std::fs::write(dir.join(name), &body).unwrap();
            files.push(name.to_string());
        } else if info == "text" && intro_line.contains("`newsmark check example` prints") {
            shown = Some(body);
        }
        at = next - 1;
    }
    assert_eq!(files.len(), 2, "two example articles: {files:?}");
    let shown = shown.expect("the README shows the output of `newsmark check example`");
    let output = run_in(&dir, &["check", "example", "--color", "never"]);
    assert_eq!(String::from_utf8_lossy(&output.stdout), shown, "README.md's example output is out of date");
    assert_eq!(output.status.code(), Some(0), "warnings only");
    assert!(shown.contains(" 0 errors,"), "the example defines every entity and source it uses");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_readme_installs_from_this_clone_and_claims_no_repository_url() {
    let readme = readme();
    assert!(readme.contains("cargo install --path . --locked"));
    assert!(!readme.contains("cargo install --git"), "there is no published repository to install from");
    assert!(!readme.contains("github.com/newsmark"), "no repository URL that does not exist");
}
