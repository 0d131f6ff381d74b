//! The reader on small inputs: what each construct parses to.

use super::*;

fn block_ids(text: &str) -> Vec<(BlockKind, String)> {
    parse(text).blocks.iter().map(|b| (b.kind, text[b.id].to_string())).collect()
}

fn messages(text: &str) -> Vec<String> {
    parse(text).errors.iter().map(|e| e.message.clone()).collect()
}

#[test]
fn definition_blocks_in_both_forms_are_the_same() {
    let short = "::: entity stoltenberg\nname: Jens Stoltenberg\n:::\n";
    let pandoc = "::: {.entity #stoltenberg}\nname: Jens Stoltenberg\n:::\n";
    assert_eq!(block_ids(short), vec![(BlockKind::Entity, "stoltenberg".to_string())]);
    assert_eq!(block_ids(pandoc), block_ids(short));
    let file = parse(pandoc);
    let block = &file.blocks[0];
    assert_eq!(&pandoc[block.id], "stoltenberg");
    assert_eq!(&pandoc[file.fields(block.fields)[0].value], "Jens Stoltenberg");
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert!(file.paragraphs.is_empty());
}

#[test]
fn attribute_form_in_any_order_with_other_items() {
    for header in [
        "::: {#nato-iraq.troops .quantity}",
        "::: {.quantity #nato-iraq.troops}",
        "::: { .wide .quantity  #nato-iraq.troops lang=en }",
        "::::: {.quantity #nato-iraq.troops} :::::",
    ] {
        let text = format!("{header}\nlabel: Troops\n:::\n");
        assert_eq!(block_ids(&text), vec![(BlockKind::Quantity, "nato-iraq.troops".to_string())], "{header}");
        assert!(messages(&text).is_empty(), "{header}: {:?}", messages(&text));
    }
    assert_eq!(block_ids("::: {.source #ap-1}\nurl: x\n:::\n"), vec![(BlockKind::Source, "ap-1".to_string())]);
}

#[test]
fn attribute_form_without_id_or_with_two_kinds_is_reported() {
    let text = "::: {.entity}\nname: X\n:::\n";
    assert_eq!(block_ids(text), vec![(BlockKind::Entity, String::new())]);
    assert!(messages(text)[0].contains("has no id"), "{:?}", messages(text));
    let text = "::: {.entity .source #x}\nname: X\n:::\n";
    assert_eq!(block_ids(text), vec![(BlockKind::Entity, "x".to_string())]);
    assert!(messages(text)[0].contains("one kind"), "{:?}", messages(text));
}

#[test]
fn other_divs_are_pandoc_s() {
    for header in ["::: {.warning}", "::: note", "::: {#x .entityish}", "::: {.entity #x} trailing words"] {
        let text = format!("{header}\nSome prose.\n:::\n");
        assert!(block_ids(&text).is_empty(), "{header}");
    }
}

#[test]
fn comments_are_listed_with_their_ranges() {
    let text = "<!-- newsmark-disable-next-line uncited-figure -->\nIt has [5]{fig=k} `<!-- code -->` and <!-- two\nlines -->.\n";
    let file = parse(text);
    let comments: Vec<&str> = file.comments.iter().map(|r| &text[*r]).collect();
    assert_eq!(comments, vec!["<!-- newsmark-disable-next-line uncited-figure -->", "<!-- two\nlines -->"]);
}

#[test]
fn pandoc_span_attributes_are_accepted() {
    let text = "[NATO]{ent=nato .highlight} and [x]{#anchor} and [y]{.smallcaps} and [z]{lang=fr}.";
    let file = parse(text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert_eq!(file.spans.len(), 1);
    assert!(matches!(file.spans[0].kind, SpanKind::Mention { entity } if file.text_of(text, entity) == "nato"));
}

#[test]
fn escaped_brace_inside_an_attribute_list_is_literal() {
    let text = r#"[x]{fig=k value="5\}"} after"#;
    let file = parse(text);
    assert_eq!(file.spans.len(), 1);
    assert_eq!(file.text_of(text, file.attr(text, &file.spans[0], "value").unwrap().value), "5}");
    assert_eq!(&text[file.spans[0].range], r#"[x]{fig=k value="5\}"}"#);
}

fn paragraph_texts(text: &str) -> Vec<String> {
    let file = parse(text);
    file.paragraphs.iter().map(|p| plain_text(text, &file, *p)).collect()
}

#[test]
fn paragraphs_end_where_pandoc_s_do() {
    // Lines that would start a block elsewhere continue a paragraph.
    for continued in ["# not a heading", "- not an item", "2020. That year", "* * *", "> not a quote"] {
        let text = format!("[5]{{fig=k}} troops\n{continued} [@a]\n");
        assert_eq!(paragraph_texts(&text).len(), 1, "{continued}");
    }
    // A blank line inside a block quote ends its paragraph.
    assert_eq!(paragraph_texts("> one\n>\n> two\n"), ["one", "two"]);
    // A setext heading, list items and table cells are blocks of their own.
    assert_eq!(paragraph_texts("Title\n===\nBody\n"), ["Title", "Body"]);
    assert_eq!(paragraph_texts("- a\n- b\n"), ["a", "b"]);
    assert_eq!(paragraph_texts("| a | b |\n|---|---|\n| c | d |\n"), ["a", "b", "c", "d"]);
    assert_eq!(paragraph_texts("Term\n:   Definition\n"), ["Term", "Definition"]);
    // `---` then a blank line is a rule, not front matter.
    let file = parse("---\n\nText [5]{fig=k}.\n");
    assert!(file.front_matter.is_none());
    assert_eq!(file.spans.len(), 1);
}

#[test]
fn code_is_not_markup_in_any_container() {
    for text in [
        "- item\n\n  ```\n  [5]{fig=k}\n  ```\n",
        "> ```\n> [5]{fig=k}\n> ```\n",
        "Para.\n\n    [5]{fig=k} indented code\n",
        "A `[5]{fig=k}` and ``a ` [6]{fig=k}``.\n",
        "Math $x [5]{fig=k} y$.\n",
    ] {
        let file = parse(text);
        assert!(file.spans.is_empty(), "{text}: {:?}", file.spans);
    }
    // `<!--` inside inline code opens no comment.
    let file = parse("Write `<!--` then [5]{fig=k}.\n");
    assert_eq!(file.spans.len(), 1);
    assert!(file.comments.is_empty());
}

#[test]
fn unclosed_fences_and_comments_are_text_with_a_message() {
    let text = "```\n[5]{fig=k}\n\nMore [6]{fig=k}.\n";
    let file = parse(text);
    assert_eq!(file.spans.len(), 2);
    assert!(file.errors[0].message.contains("never closed"), "{:?}", file.errors);
    let text = "A <!-- open [5]{fig=k}\n\nMore [6]{fig=k}.\n";
    let file = parse(text);
    assert_eq!(file.spans.len(), 2);
    assert!(file.errors[0].message.contains("as text"), "{:?}", file.errors);
    assert!(file.comments.is_empty());
}

#[test]
fn a_span_s_text_is_its_rendered_text() {
    let text = "[about *295* `troops` &amp; [more](https://example.org/500) &#8220;x&#x201D;]{fig=k}";
    let file = parse(text);
    assert_eq!(plain_text(text, &file, file.spans[0].text_range), "about 295 troops & more “x”");
    // Block-quote markers inside a span are not its text.
    let text = "> [“We will\n> stay”]{by=x}\n";
    let file = parse(text);
    assert_eq!(plain_text(text, &file, file.spans[0].text_range), "“We will\nstay”");
}

fn cited(text: &str) -> Vec<(Vec<String>, bool)> {
    let file = parse(text);
    file.citations
        .iter()
        .map(|c| (file.items(c.items).iter().map(|i| text[i.id].to_string()).collect(), c.in_text))
        .collect()
}

#[test]
fn citations_follow_pandoc_s_keys() {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        cited("[@ks/one] [@_x] [-@id] [@a:b.]"),
        [(s(&["ks/one"]), false), (s(&["_x"]), false), (s(&["id"]), false), (s(&["a:b"]), false)]
    );
    assert_eq!(cited("[see @a and @b] [@a, p. 4; @b]"), [(s(&["a", "b"]), false), (s(&["a", "b"]), false)]);
    assert_eq!(cited("As @ap-1 says, write to desk@example.org or \\@handle."), [(s(&["ap-1"]), true)]);
}

#[test]
fn values_and_quotes_are_read_from_the_rendered_text() {
    use crate::config::Config;
    use crate::quantity::{Interval, Rational};
    use crate::workspace::analysis::analyse;
    let r = |n, d| Rational::new(n, d).unwrap();
    let figure = analyse("[about *295* troops]{fig=k}[@a]\n", &Config::default(), &Default::default());
    assert_eq!(figure.figures[0].interval, Interval::closed(r(531, 2), r(649, 2)));
    // A link inside a quote: its text is quoted, its target is not.
    let quote = analyse("[“We [stay](https://example.org/x) here”]{by=x}\n", &Config::default(), &Default::default());
    assert_eq!(&*quote.quotes[0].normalized, crate::syntax::normalize_quote("We stay here"));
}

/// Every span's attributes as `key=value` (values as read: unquoted,
/// unescaped), and how many value texts the tree had to keep.
fn attributes_and_copies(text: &str) -> (Vec<Vec<String>>, usize) {
    let file = parse(text);
    let spans = file
        .spans
        .iter()
        .map(|s| {
            file.attrs(s.attrs).iter().map(|a| format!("{}={}", &text[a.key], file.text_of(text, a.value))).collect()
        })
        .collect();
    (spans, file.unescaped.len())
}

#[test]
fn values_are_ranges_and_only_changed_ones_are_kept() {
    let cases: &[(&str, &[&[&str]], usize)] = &[
        ("[500]{fig=k value=500 asof=2020}", &[&["fig=k", "value=500", "asof=2020"]], 0),
        (r#"[x]{fig=k value="450..550"}"#, &[&["fig=k", "value=450..550"]], 0),
        (r#"[x]{by=a value="5\}"}"#, &[&["by=a", "value=5}"]], 1),
        (r"[x]{ent=a\.b}", &[&["ent=a.b"]], 1),
        // A stray curly mark is dropped from the value (and reported).
        ("[x]{by=“stoltenberg}", &[&["by=stoltenberg"]], 1),
        // A quoted value across lines of a block quote: the line end is a
        // space and the `> ` is no part of it (pandoc's `litChar`).
        ("> [x]{by=a title=\"one\n> two\"}\n", &[&["by=a", "title=one two"]], 1),
        (r#"[x]{fig=k value="&gt;5" title="a\ b&amp;"}"#, &[&["fig=k", "value=>5", "title=a b&"]], 2),
        ("[a]{ent=a} [b]{ent=b}", &[&["ent=a"], &["ent=b"]], 0),
    ];
    for (text, spans, copies) in cases {
        let want: Vec<Vec<String>> = spans.iter().map(|s| s.iter().map(|a| a.to_string()).collect()).collect();
        assert_eq!(attributes_and_copies(text), (want, *copies), "{text}");
    }
}

#[test]
fn a_span_kind_reads_its_attribute_value() {
    let text = r"[x]{fig=a\.b} [y]{by=“s} [z]{ent=e}";
    let file = parse(text);
    let ids: Vec<(&str, &str)> = file
        .spans
        .iter()
        .map(|s| match s.kind {
            SpanKind::Figure { key } => ("fig", file.text_of(text, key)),
            SpanKind::Quote { speaker } => ("by", file.text_of(text, speaker)),
            SpanKind::Mention { entity } => ("ent", file.text_of(text, entity)),
            SpanKind::Unknown => ("?", ""),
        })
        .collect();
    assert_eq!(ids, [("fig", "a.b"), ("by", "s"), ("ent", "e")]);
    // The kind shares its attribute's copy: two changed values, two copies.
    assert_eq!(file.unescaped.len(), 2);
}

#[test]
fn citation_items_keep_prefix_and_locator_as_written() {
    let text = "A [see @ap-1, para. 4; @b] and @c said. [-@d]\n\n> [see\n> @e, p. 1\n> more]\n";
    let file = parse(text);
    let items: Vec<Vec<(String, String, String)>> = file
        .citations
        .iter()
        .map(|c| {
            let read = |v| file.text_of(text, v).to_string();
            file.items(c.items).iter().map(|i| (read(i.prefix), text[i.id].to_string(), read(i.locator))).collect()
        })
        .collect();
    let item = |p: &str, id: &str, l: &str| (p.to_string(), id.to_string(), l.to_string());
    assert_eq!(
        items,
        vec![
            vec![item("see", "ap-1", "para. 4"), item("", "b", "")],
            vec![item("", "c", "")],
            vec![item("", "d", "")],
            vec![item("see", "e", "p. 1\n  more")],
        ]
    );
    assert_eq!(file.unescaped.len(), 1, "only the locator across quote lines is copied");
}

#[test]
fn children_are_runs_of_the_file_s_arrays() {
    let text = "---\nid: a\npublished: 2020-01-01\n---\n\n::: entity x\nname: X\n:::\n\n\
                ::: {.source #s}\ntitle: T\nurl: u\n:::\n\n[x]{ent=x} [y]{fig=k value=1}[@s; @a]\n";
    let file = parse(text);
    let fields =
        |run| file.fields(run).iter().map(|f| format!("{}={}", &text[f.key], &text[f.value])).collect::<Vec<_>>();
    assert_eq!(fields(file.front_matter.as_ref().unwrap().fields), ["id=a", "published=2020-01-01"]);
    assert_eq!(fields(file.blocks[0].fields), ["name=X"]);
    assert_eq!(fields(file.blocks[1].fields), ["title=T", "url=u"]);
    assert_eq!(file.attrs(file.spans[0].attrs).len(), 1);
    assert_eq!(file.attrs(file.spans[1].attrs).len(), 2);
    assert_eq!(file.spans[1].citation(), Some(0));
    assert_eq!(file.citations[0].attached_to(), Some(1));
    assert_eq!(file.items(file.citations[0].items).len(), 2);
    assert_eq!(file.field(text, file.blocks[1].fields, "url").map(|f| &text[f.value]), Some("u"));
    assert!(file.field(text, file.blocks[1].fields, "name").is_none());
}

#[test]
fn in_text_keys_inside_brackets_leave_no_items_behind() {
    // `@a` is first read as an in-text citation, then the brackets make it
    // an item of the bracketed citation: its first reading must not stay.
    let text = "[see @a, p. 2] then @b.";
    let file = parse(text);
    assert_eq!(cited(text), vec![(vec!["a".to_string()], false), (vec!["b".to_string()], true)]);
    assert_eq!(file.items.len(), 2);
}

#[test]
fn nodes_are_small() {
    // What a workspace holds per node, for every file: a regression here is
    // megabytes on a large workspace (docs/architecture.md, "Memory").
    assert_eq!(std::mem::size_of::<Value>(), 12);
    assert_eq!(std::mem::size_of::<Attr>(), 20);
    assert_eq!(std::mem::size_of::<CiteItem>(), 32);
    assert_eq!(std::mem::size_of::<Field>(), 16);
    assert_eq!(std::mem::size_of::<Span>(), 60);
    assert_eq!(std::mem::size_of::<Citation>(), 28);
}

#[test]
fn a_tree_is_about_the_size_of_its_text() {
    // The trees of the seed articles: 1.0 byte per byte of text when this
    // was written (about 3 with a String per id and value). A workspace
    // keeps a tree per file, so this bounds what it holds.
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let (mut text_bytes, mut tree_bytes) = (0, 0);
    for entry in std::fs::read_dir(&seeds).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with(".news.md") {
            let text = std::fs::read_to_string(&path).unwrap();
            text_bytes += text.len();
            tree_bytes += parse(&text).heap_bytes();
        }
    }
    assert!(text_bytes > 10_000, "the seeds are read");
    assert!(tree_bytes * 4 <= text_bytes * 5, "{tree_bytes} bytes of trees for {text_bytes} bytes of text");
    // Every array counts: one more span is at least its node more.
    let one = parse("[a]{ent=a}").heap_bytes();
    let two = parse("[a]{ent=a} [b]{ent=b}").heap_bytes();
    assert!(two >= one + std::mem::size_of::<Span>() + std::mem::size_of::<Attr>(), "{one} {two}");
}

#[test]
fn a_quoted_value_that_starts_with_a_space_is_reported() {
    // pandoc's `enclosed` wants a non-space after the quote, so it reads
    // the whole `[…]{…}` as text.
    let file = parse("[x]{fig=k value=\" 5\"}\n");
    assert_eq!(file.errors.len(), 1, "{:?}", file.errors);
    assert!(file.errors[0].message.contains("starts with a space"), "{:?}", file.errors);
    let fix = file.errors[0].fix.as_ref().expect("a fix");
    assert_eq!(fix.edits[0].range, TextRange::new(17, 18));
    assert!(parse("[x]{fig=k value=\"5 \"}\n").errors.is_empty());
}
