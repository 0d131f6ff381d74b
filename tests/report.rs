//! `newsmark report` and `newsmark export --format claimreview` on small
//! workspaces: what the page and the JSON-LD contain, the ClaimReview shape
//! (tests/schemas/claimreview.schema.json), and a hostile article.
//! The page in a real browser: tests/report/run.sh.

mod common;

use std::path::{Path, PathBuf};

use common::{fixtures, run_in};
use serde_json::Value;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh folder under target/ for one test; its own project (a
/// `newsmark.toml`: the repository's own, above, would win over a `.git`).
fn scratch(name: &str) -> PathBuf {
    let dir = repo().join("target/test-scratch/report").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("newsmark.toml"), "").unwrap();
    dir
}

fn export(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["export", "--format", "claimreview", "--date", "2026-01-02"];
    all.extend_from_slice(args);
    let output = run_in(dir, &all);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("the export is one JSON document")
}

/// The page for `args`, written under target/ (tests run in parallel: one file per call).
fn page(dir: &Path, args: &[&str]) -> String {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let folder = repo().join("target/test-scratch/report-pages");
    std::fs::create_dir_all(&folder).unwrap();
    let out = folder.join(format!("page-{n}.html"));
    let out_arg = out.to_str().unwrap().to_string();
    let mut all = vec!["report", "--out", &out_arg];
    all.extend_from_slice(args);
    let output = run_in(dir, &all);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    std::fs::read_to_string(&out).unwrap()
}

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo().join("tests/schemas/claimreview.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn schema_errors(validator: &jsonschema::Validator, document: &Value) -> Vec<String> {
    validator.iter_errors(document).map(|e| format!("{e} at {}", e.instance_path)).collect()
}

/// One line per review: where, verdict (rating), speaker, sentence.
fn render_reviews(document: &Value) -> String {
    let mut out = String::new();
    for review in document["@graph"].as_array().unwrap() {
        let rating = &review["reviewRating"];
        let speaker = review["itemReviewed"]["author"]["name"].as_str().map(|s| format!(" by {s}")).unwrap_or_default();
        out.push_str(&format!(
            "{} {}({}){speaker}: {}\n",
            review["identifier"].as_str().unwrap(),
            rating["alternateName"].as_str().unwrap(),
            rating["ratingValue"],
            review["claimReviewed"].as_str().unwrap(),
        ));
    }
    out
}

const CASES: [&str; 6] = [
    "contradicting-figure",
    "unsupported-figure",
    "misquote",
    "conflicting-attribution",
    "crlf-and-unicode",
    "citations",
];

#[test]
fn claimreview_verdicts_of_the_fixtures() {
    let validator = validator();
    let mut all = String::new();
    for case in CASES {
        let document = export(&fixtures(), &[case]);
        let errors = schema_errors(&validator, &document);
        assert!(errors.is_empty(), "{case}: {errors:#?}");
        all.push_str(&format!("## {case}\n{}", render_reviews(&document)));
    }
    insta::assert_snapshot!("claimreview_fixtures", all);
}

/// The verdicts agree with `check`'s findings, counted independently.
#[test]
fn claimreview_of_the_seeds_agrees_with_check() {
    let document = export(repo(), &["seeds"]);
    let errors = schema_errors(&validator(), &document);
    assert!(errors.is_empty(), "{errors:#?}");
    let check = run_in(repo(), &["check", "seeds", "--format", "json"]);
    let check: Value = serde_json::from_slice(&check.stdout).unwrap();
    let findings = |code: &str| check["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == code).count();
    let reviews = document["@graph"].as_array().unwrap();
    let verdicts = |name: &str| reviews.iter().filter(|r| r["reviewRating"]["alternateName"] == name).count();
    assert_eq!(verdicts("contradicted"), findings("contradicting-figure"));
    assert_eq!(verdicts("misattributed"), findings("conflicting-attribution"));
    assert!(verdicts("misattributed") > 0 && verdicts("contradicted") > 0, "the seeds' known findings show");
    // Uncited figures that a contradiction outranks are contradicted.
    assert!(verdicts("uncited") <= findings("uncited-figure"));
    assert!(verdicts("consistent") > 0);
    let quote = reviews
        .iter()
        .find(|r| r["itemReviewed"]["author"]["name"] == "Jens Stoltenberg")
        .expect("a Stoltenberg quote");
    assert_eq!(quote["itemReviewed"]["author"]["@type"], "Person");
    let article = &quote["itemReviewed"]["appearance"];
    assert_eq!(article["@type"], "NewsArticle");
    for field in ["url", "headline", "datePublished"] {
        assert!(article[field].is_string(), "appearance.{field}: {article}");
    }
    assert!(article["publisher"]["name"].is_string());
    assert_eq!(document["@context"], "https://schema.org");
    assert!(reviews.iter().all(|r| r["datePublished"] == "2026-01-02"));
}

#[test]
fn the_schema_rejects_what_is_not_a_claimreview() {
    let validator = validator();
    let document = export(&fixtures(), &["contradicting-figure"]);
    assert!(schema_errors(&validator, &document).is_empty());
    type Damage = fn(&mut Value);
    let broken: [(&str, Damage); 7] = [
        ("no rating", |r| {
            r.as_object_mut().unwrap().remove("reviewRating");
        }),
        ("verdict outside the vocabulary", |r| r["reviewRating"]["alternateName"] = "false".into()),
        ("rating disagrees with the verdict", |r| r["reviewRating"]["ratingValue"] = 4.into()),
        ("misspelt property", |r| r["claimReviewd"] = "x".into()),
        ("script url", |r| r["url"] = "javascript:alert(1)".into()),
        ("claim is not a Claim", |r| r["itemReviewed"]["@type"] = "Thing".into()),
        ("bad date", |r| r["datePublished"] = "02/01/2026".into()),
    ];
    for (what, damage) in broken {
        let mut copy = document.clone();
        damage(&mut copy["@graph"][0]);
        assert!(!schema_errors(&validator, &copy).is_empty(), "the schema accepts: {what}");
    }
}

/// How often `needle` occurs in `haystack`.
fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn the_page_of_each_fixture() {
    for case in CASES {
        let html = page(&fixtures(), &[case]);
        let document = export(&fixtures(), &[case]);
        let reviews = document["@graph"].as_array().unwrap();
        let verdicts = |name: &str| reviews.iter().filter(|r| r["reviewRating"]["alternateName"] == name).count();
        let keys = count(&html, "<section class=\"grp key\"");
        assert_eq!(count(&html, "<svg class=\"tl\""), keys, "{case}: every key has one timeline");
        assert_eq!(count(&html, "class=\"m contradicted\""), verdicts("contradicted"), "{case}");
        assert_eq!(count(&html, "class=\"m unsupported\""), verdicts("unsupported"), "{case}");
        let quotes = reviews.iter().filter(|r| r["itemReviewed"]["author"].is_object()).count();
        assert_eq!(count(&html, "<tr id=\"q"), quotes, "{case}: every quote has a row");
        assert_eq!(count(&html, "<tr id=\"f"), reviews.len() - quotes, "{case}: every figure has a row");
        assert_eq!(count(&html, "<script>"), 1, "{case}: only the page's own script");
        for forbidden in ["http-equiv=\"refresh\"", "<link", "<img", "src=\"http", "@import", "url("] {
            assert!(!html.contains(forbidden), "{case}: the page loads nothing: {forbidden}");
        }
    }
}

#[test]
fn the_page_shows_contradictions_quotes_entities_and_sources() {
    let html = page(&fixtures(), &["contradicting-figure"]);
    // The contradicted key comes first, with its marks outlined.
    let first_key = html.find("<section class=\"grp key\"").unwrap();
    assert!(
        html[first_key..].starts_with("<section class=\"grp key\" id=\"k0\" data-key=\"nato-iraq.troops\""),
        "{}",
        &html[first_key..first_key + 120]
    );
    let html = page(&fixtures(), &["conflicting-attribution"]);
    assert!(html.contains("<div class=\"grp quote conflict\">"), "conflicting attributions are highlighted");
    assert!(html.contains("Attributed to different speakers"));
    let html = page(&fixtures(), &["misquote"]);
    assert!(html.contains("<span class=\"verdict misquoted\">misquoted</span>"));
    assert!(html.contains("<section id=\"entities\">") && html.contains("Jens Stoltenberg"));
    assert!(html.contains("<section id=\"sources\">") && html.contains("<code>original</code>"));
    let html = page(repo(), &["seeds"]);
    assert!(html.contains("<section id=\"uncited\">") && html.contains("<div class=\"grp uncited\">"));
    assert!(html.contains("<tr data-code=\"uncited-figure\"><td><code>uncited-figure</code></td>"));
    assert!(html.contains("href=\"https://www.stripes.com/"), "articles link to their url");
    assert!(html.contains(
        "<a class=\"loc\" href=\"./../../../seeds/stripes-2020-02-13.news.md\">seeds/stripes-2020-02-13.news.md:"
    ));
}

#[test]
fn a_hostile_article_is_inert_on_the_page() {
    // Also opened in Chromium by tests/report/run.sh.
    let dir = scratch("hostile");
    for file in ["hostile.news.md", "other.news.md"] {
        std::fs::copy(repo().join("tests/report/hostile").join(file), dir.join(file)).unwrap();
    }
    let html = page(&dir, &["."]);
    assert_eq!(count(&html, "<script"), 1, "only the page's own script");
    assert_eq!(count(&html, "</style>"), 1, "only the page's own style ends");
    assert_eq!(count(&html, "<style"), 1);
    // Handlers survive only as escaped text, inside no tag.
    for forbidden in ["<img", "<svg onload", "<iframe", "<b ", "' onmouseover", "=\"javascript:"] {
        assert!(!html.contains(forbidden), "unescaped: {forbidden}");
    }
    assert!(html.contains(
        "&lt;script&gt;document.documentElement.setAttribute(&#39;data-pwned&#39;,&#39;title&#39;)&lt;/script&gt;"
    ));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt; we stay &lt;/style&gt;"));
    assert!(html.contains("Evil &quot;Outlet&quot; &lt;b onmouseover=alert(1)&gt;"));
    // The script URL is shown as text, never as a link; ids come from the page's counters.
    assert!(!html.contains("href=\"javascript") && !html.contains("href=\" javascript"));
    assert!(!html.contains("id=\"hostile") && !html.contains("id=\"x.y"));

    let document = export(&dir, &["."]);
    let errors = schema_errors(&validator(), &document);
    assert!(errors.is_empty(), "{errors:#?}");
    let text = document.to_string();
    assert!(
        !text.contains("\"url\":\"javascript") && !text.contains("\"url\":\" javascript"),
        "no script url is a url"
    );
    assert!(text.contains("<img src=x onerror=alert(1)> we stay </style>"), "JSON keeps the text as text");
}

#[test]
fn usage_and_input_errors() {
    let root = fixtures();
    assert_eq!(run_in(&root, &["report", "misquote"]).status.code(), Some(2), "--out is required");
    assert_eq!(run_in(&root, &["export", "misquote"]).status.code(), Some(2), "--format is required");
    assert_eq!(run_in(&root, &["export", "--format", "csv", "misquote"]).status.code(), Some(2));
    let bad_date = run_in(&root, &["export", "--format", "claimreview", "--date", "2026-13-01", "misquote"]);
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_date.stderr).contains("not a date"));
    let dir = scratch("missing");
    let out = dir.join("r.html");
    let missing = run_in(&dir, &["report", "no-such-folder", "--out", out.to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2), "an unreadable path exits 2");
    assert!(out.is_file(), "the page of what could be read is still written");
    let unwritable = run_in(&dir, &["report", ".", "--out", dir.join("no/such/dir/r.html").to_str().unwrap()]);
    assert_eq!(unwritable.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unwritable.stderr).contains("cannot write"));
}

/// Above 5,000 figures and quotes the page is compact: flagged claims only
/// in the tables, at most 300 marks per key; `--full` lists everything.
#[test]
fn a_big_workspace_gets_a_compact_page() {
    let dir = scratch("big");
    for file in 0..60 {
        let mut text =
            format!("---\nid: a{file}\npublished: 2020-02-{:02}\noutlet: Outlet {}\n---\n\n", file % 28 + 1, file % 3);
        for figure in 0..90 {
            // One figure in the last file contradicts every other of key k0.
            let value = if file == 59 && figure == 0 { 5000 } else { 500 };
            text.push_str(&format!("[{value} troops]{{fig=k{}}}[@a0].\n\n", figure % 3));
        }
        std::fs::write(dir.join(format!("a{file}.news.md")), text).unwrap();
    }
    let html = page(&dir, &["."]);
    assert!(html.contains("<p class=\"small\" id=\"compact\">"));
    let rects = count(&html, "<rect class=\"m ");
    assert_eq!(rects, 3 * 300, "each of the three keys draws 300 of its 1,800 figures");
    // The 5,000 contradicts each of the 1,799 other figures of k0 (and each of them it):
    // those are listed, none of k1's and k2's.
    assert_eq!(count(&html, "<tr id=\"f"), 1800, "only flagged figures are listed");
    assert_eq!(count(&html, "<tr id=\"f"), count(&html, " class=\"flag\" data-o="));
    assert!(count(&html, "class=\"m contradicted\"") >= 1, "the contradiction is drawn");
    let full = page(&dir, &[".", "--full"]);
    assert!(!full.contains("id=\"compact\""));
    assert_eq!(count(&full, "<tr id=\"f"), 60 * 90, "--full lists every figure");
}

/// Verdicts come from `check`'s findings as configured: a suppressed
/// finding gives no verdict, a rule turned off neither.
#[test]
fn suppressed_and_disabled_findings_give_no_verdict() {
    let dir = scratch("suppressed");
    std::fs::write(dir.join("a.news.md"), "---\nid: a\npublished: 2020-02-13\n---\n\n[500 troops]{fig=k}[@b].\n")
        .unwrap();
    std::fs::write(
        dir.join("b.news.md"),
        "---\nid: b\npublished: 2020-02-13\n---\n\n<!-- newsmark-disable-next-line contradicting-figure -->\n[900 troops]{fig=k}[@a].\n",
    )
    .unwrap();
    let verdicts = |document: &Value| -> Vec<String> {
        let reviews = document["@graph"].as_array().unwrap().iter();
        reviews
            .map(|r| {
                let file = r["identifier"].as_str().unwrap().split(':').next().unwrap().to_string();
                format!("{file} {}", r["reviewRating"]["alternateName"].as_str().unwrap())
            })
            .collect()
    };
    let document = export(&dir, &["."]);
    assert_eq!(verdicts(&document), ["./a.news.md unsupported", "./b.news.md unsupported"]);
    std::fs::write(dir.join("newsmark.toml"), "[severity]\nunsupported-figure = \"off\"\n").unwrap();
    let document = export(&dir, &["."]);
    assert_eq!(verdicts(&document), ["./a.news.md contradicted", "./b.news.md consistent"]);
}
