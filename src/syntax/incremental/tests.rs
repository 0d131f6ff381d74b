//! What a re-parse reads, on small cases; the random edits are in
//! `fuzzing::reparse` (`tests/reparse_property.rs`).

use super::*;

/// Re-parses `old` edited into `new`; asserts the tree equals a fresh
/// parse and returns the range that was read.
fn read_range(old: &str, new: &str) -> Reparse {
    let (tree, how) = reparse(old, parse(old), new);
    assert_eq!(tree, parse(new), "{how:?}");
    how
}

fn paragraphs(n: usize) -> String {
    (0..n)
        .map(|i| format!("Paragraph {i} with [Someone]{{ent=e{i}}} and [{i} troops]{{fig=k{i}}}[@s{i}].\n\n"))
        .collect()
}

#[test]
fn a_letter_typed_in_a_paragraph_reads_that_paragraph_only() {
    let old = paragraphs(1000);
    let at = old.find("Paragraph 500 ").unwrap() + 5;
    let new = format!("{}x{}", &old[..at], &old[at..]);
    let Reparse::Spliced { new: read, .. } = read_range(&old, &new) else { panic!("read whole") };
    assert!(read.len() < 200, "read {read:?} of {} bytes", new.len());
    assert!(read.contains(at), "{read:?}");
}

#[test]
fn an_opened_fence_reads_on_to_its_new_closer() {
    // The fence typed above turns the later one into its closer: what lies
    // between becomes code, so the read cannot stop before it.
    let old = format!("{}```\ncode\n```\n\n{}", paragraphs(20), paragraphs(20));
    let at = old.find("Paragraph 10 ").unwrap();
    let new = format!("{}```\n\n{}", &old[..at], &old[at..]);
    let Reparse::Spliced { new: read, .. } = read_range(&old, &new) else { panic!("read whole") };
    assert!(read.end() >= new.find("code").unwrap(), "{read:?}");
}

#[test]
fn unclosed_constructs_read_to_the_end() {
    let old = paragraphs(30);
    let at = old.find("Paragraph 3 ").unwrap();
    for opening in ["```\n", "<!--\n", "::: entity x\n", "::: note\n"] {
        let new = format!("{}{opening}{}", &old[..at], &old[at..]);
        match read_range(&old, &new) {
            Reparse::Spliced { new: read, .. } => assert_eq!(read.end(), new.len(), "{opening:?}"),
            Reparse::Whole => {}
        }
        // And closing it again stops early.
        let (tree, _) = reparse(&old, parse(&old), &new);
        let (back, how) = reparse(&new, tree, &old);
        assert_eq!(back, parse(&old), "{opening:?} removed");
        assert!(matches!(how, Reparse::Spliced { .. }), "{opening:?}: {how:?}");
    }
}

#[test]
fn an_edit_in_the_front_matter_reads_from_the_start() {
    let old = format!("---\nid: a\npublished: 2020-02-13\n---\n\n{}", paragraphs(50));
    let new = old.replacen("id: a", "id: b", 1);
    let Reparse::Spliced { new: read, .. } = read_range(&old, &new) else { panic!("read whole") };
    assert_eq!(read.start(), 0);
    assert!(read.end() < 200, "{read:?}");
}

#[test]
fn a_list_item_typed_after_a_list_joins_it() {
    let old = format!("{}- one\n\nTwo\n\n{}", paragraphs(5), paragraphs(5));
    let new = old.replacen("\nTwo\n", "\n- Two\n", 1);
    read_range(&old, &new);
    read_range(&new, &old);
}

#[test]
fn values_kept_in_the_side_table_are_renumbered() {
    // Values whose text differs from their bytes live in the file's side
    // table; a cut before, between and after them renumbers their places.
    let escaped = "[a]{ent=nato note=\"say \\\"hi\\\"\"} and [b]{fig=k value=\"5\\00\"}[see \\@x @s, p. \\4].\n\n";
    let old = format!("{}{escaped}{}{escaped}{}", paragraphs(3), paragraphs(3), paragraphs(3));
    assert!(parse(&old).unescaped.len() >= 2, "{:?}", parse(&old).unescaped);
    for anchor in ["Paragraph 0 ", "Paragraph 1 ", "Paragraph 2 "] {
        for (i, _) in old.match_indices(anchor) {
            let new = format!("{}x{}", &old[..i + 3], &old[i + 3..]);
            read_range(&old, &new);
            let new = format!("{}{escaped}{}", &old[..i], &old[i..]);
            read_range(&old, &new);
        }
    }
    let gone = old.replacen(escaped, "", 1);
    read_range(&old, &gone);
}

/// A tree big enough that its tail moves on two cores
/// (`PARALLEL_SPANS_FROM`): edits that add, remove and change spans,
/// citations and paragraphs before, inside and after others still give a
/// fresh parse's tree.
#[test]
fn a_big_tree_moved_on_two_cores_equals_a_fresh_parse() {
    let mut text = paragraphs(PARALLEL_SPANS_FROM / 2 + 10);
    assert!(parse(&text).spans.len() >= PARALLEL_SPANS_FROM);
    let mut tree = parse(&text);
    let edits: [(&str, &str); 5] = [
        ("Paragraph 7 with", "Paragraph 7 [new]{ent=n} [1 ship]{fig=s}[@t] with"),
        ("[@s100]", ""),
        ("Paragraph 1500 ", "Paragraph 1500 \n\n::: entity e\n:::\n\n"),
        ("troops]{fig=k2000}", "troops]{fig=k2000 by=x}"),
        ("Paragraph 2 with [Someone]{ent=e2}", "Paragraph 2 with"),
    ];
    for (from, to) in edits {
        let new = text.replacen(from, to, 1);
        assert_ne!(new, text, "{from:?} is in the text");
        let (next, how) = reparse(&text, tree, &new);
        assert!(matches!(how, Reparse::Spliced { .. }), "{from:?}: {how:?}");
        assert_eq!(next, parse(&new), "{from:?} -> {to:?}");
        (text, tree) = (new, next);
    }
}
