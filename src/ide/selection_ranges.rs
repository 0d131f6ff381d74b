//! Selection ranges ("expand selection"): from the innermost construct
//! around the cursor outwards — an attribute value, the attribute, the
//! attribute list, a span's TEXT, the span, the span around it, … the
//! paragraph; a citation item, the citation; a field's value, the field,
//! the block or front matter.

use crate::syntax::TextRange;
use crate::workspace::{FileId, Workspace};

/// Innermost first; each range contains the one before it and is larger.
pub fn selection_ranges(workspace: &Workspace, file: FileId, offset: usize) -> Vec<TextRange> {
    let Some(entry) = workspace.file(file) else { return Vec::new() };
    let syntax = &*entry.syntax();
    let mut candidates: Vec<TextRange> = Vec::new();
    for span in &syntax.spans {
        if !contains(&span.range, offset) {
            continue;
        }
        candidates.extend([span.range, span.text_range, span.attrs_range]);
        for attr in syntax.attrs(span.attrs) {
            let value = attr.value.range;
            candidates.push(value);
            // `key=value`, with the closing quote of a quoted value.
            let quoted = entry.text.as_bytes().get(value.end()) == Some(&b'"');
            candidates.push(TextRange::new(attr.key.start(), value.end() + usize::from(quoted)));
        }
    }
    for citation in &syntax.citations {
        if !contains(&citation.range, offset) {
            continue;
        }
        candidates.push(citation.range);
        candidates.extend(
            syntax.items(citation.items).iter().map(|i| TextRange::new(i.id.start().saturating_sub(1), i.id.end())),
        );
    }
    let fields = syntax.front_matter.iter().map(|fm| (&fm.range, fm.fields));
    for (range, fields) in fields.chain(syntax.blocks.iter().map(|b| (&b.range, b.fields))) {
        if !contains(range, offset) {
            continue;
        }
        candidates.push(*range);
        for field in syntax.fields(fields) {
            candidates.push(field.value);
            candidates.push(TextRange::new(field.key.start(), field.value.end()));
        }
    }
    candidates.extend(syntax.paragraphs.iter().cloned());
    candidates.retain(|r| r.start() <= r.end() && contains(r, offset));
    candidates.sort_by_key(|r| (r.len(), r.start()));
    let mut chain: Vec<TextRange> = Vec::new();
    for range in candidates {
        let grows = chain
            .last()
            .is_none_or(|last| range.start() <= last.start() && last.end() <= range.end() && range != *last);
        if grows {
            chain.push(range);
        }
    }
    chain
}

/// Both ends included: a cursor just after a construct still selects it.
fn contains(range: &TextRange, offset: usize) -> bool {
    range.start() <= offset && offset <= range.end()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{fixture, world, Fixture};
    use super::*;

    fn show(f: &Fixture) -> Vec<String> {
        selection_ranges(&f.workspace, f.file, f.offset).iter().map(|r| f.text(f.file)[*r].to_string()).collect()
    }

    #[test]
    fn span_text_then_span_then_paragraph() {
        let shown = show(&world("[Ir$0aq]{ent=iraq} as long"));
        assert_eq!(shown[0], "Iraq");
        assert_eq!(shown[1], "[Iraq]{ent=iraq}");
        assert_eq!(shown[2], "“We will only stay in [Iraq]{ent=iraq} as long as we are welcome,”");
        assert_eq!(shown[3], "[“We will only stay in [Iraq]{ent=iraq} as long as we are welcome,”]{by=stoltenberg}");
        assert!(shown[4].ends_with("{by=stoltenberg}[@forces-news-2020-02-12]"), "{shown:?}");
        assert_eq!(shown.len(), 5);
    }

    #[test]
    fn attributes_and_citations() {
        let f = fixture("[x]{fig=k value=\"~$0500\"}[see @a, p. 4]\n");
        assert_eq!(
            show(&f),
            [
                "~500",
                "value=\"~500\"",
                "{fig=k value=\"~500\"}",
                "[x]{fig=k value=\"~500\"}",
                "[x]{fig=k value=\"~500\"}[see @a, p. 4]"
            ]
        );
        let f = fixture("[x]{fig=k}[see @a$0, p. 4]\n");
        assert_eq!(show(&f), ["@a", "[see @a, p. 4]", "[x]{fig=k}[see @a, p. 4]"]);
    }

    #[test]
    fn fields_of_blocks() {
        let shown = show(&world("role: Secretary$0"));
        assert_eq!(shown[..2], ["Secretary General of NATO", "role: Secretary General of NATO"]);
        assert!(shown[2].starts_with("::: entity stoltenberg\n") && shown[2].trim_end().ends_with(":::"), "{shown:?}");
    }

    #[test]
    fn prose_and_offsets_past_the_end() {
        assert_eq!(show(&world("Canada leads$0")).len(), 1);
        let f = fixture("🎉 [北约]{ent=n}\n");
        for offset in 0..f.text(f.file).len() + 2 {
            for r in selection_ranges(&f.workspace, f.file, offset) {
                super::super::fixture::assert_valid_range(f.text(f.file), &r);
            }
        }
    }
}
