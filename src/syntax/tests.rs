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
    assert_eq!(&pandoc[block.id.range.clone()], "stoltenberg");
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
    let comments: Vec<&str> = file.comments.iter().map(|r| &text[r.clone()]).collect();
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
    assert_eq!(&text[file.spans[0].range.clone()], r#"[x]{fig=k value="5\}"}"#);
}
