//! The reader on small inputs: what each construct parses to.

use super::*;

fn block_ids(text: &str) -> Vec<(BlockKind, String)> {
    parse(text).blocks.iter().map(|b| (b.kind, b.id.text.clone())).collect()
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
    assert_eq!(&pandoc[block.id.range], "stoltenberg");
    assert_eq!(block.fields[0].value, "Jens Stoltenberg");
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
    assert!(matches!(&file.spans[0].kind, SpanKind::Mention { entity } if entity.text == "nato"));
}

#[test]
fn escaped_brace_inside_an_attribute_list_is_literal() {
    let text = r#"[x]{fig=k value="5\}"} after"#;
    let file = parse(text);
    assert_eq!(file.spans.len(), 1);
    assert_eq!(file.spans[0].attr("value").unwrap().value, "5}");
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
    parse(text).citations.iter().map(|c| (c.items.iter().map(|i| i.id.text.clone()).collect(), c.in_text)).collect()
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
    assert_eq!(quote.quotes[0].normalized, crate::syntax::normalize_quote("We stay here"));
}
