//! Pandoc citations: `[@id]`, `[@a; @b]`, `[see @id, para. 4]`, `[-@id]`.

use super::tree::{CiteItem, Ident};

/// Reads the text between a citation's brackets, which starts at byte
/// `base` of the file. None when it is not a citation (a plain bracket,
/// an email address).
pub(super) fn parse_citation(content: &str, base: usize) -> Option<Vec<CiteItem>> {
    let mut items = Vec::new();
    let mut part_start = 0;
    for part in content.split(';') {
        if let Some(item) = parse_item(part, base + part_start) {
            items.push(item);
        }
        part_start += part.len() + 1;
    }
    items.shrink_to_fit();
    (!items.is_empty()).then_some(items)
}

fn parse_item(part: &str, base: usize) -> Option<CiteItem> {
    let bytes = part.as_bytes();
    let at = (0..bytes.len()).find(|&i| {
        bytes[i] == b'@'
            && (i == 0 || bytes[i - 1].is_ascii_whitespace() || bytes[i - 1] == b'-')
            && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
    })?;
    let id_start = at + 1;
    let mut id_end = id_start
        + bytes[id_start..]
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b':'))
            .count();
    // Trailing punctuation ends the sentence, not the id.
    while id_end > id_start && matches!(bytes[id_end - 1], b'.' | b':' | b'-') {
        id_end -= 1;
    }
    let prefix = part[..at].trim().trim_end_matches('-').trim();
    let locator = part[id_end..].trim().trim_start_matches(',').trim();
    Some(CiteItem {
        id: Ident { text: part[id_start..id_end].to_string(), range: base + id_start..base + id_end },
        prefix: prefix.to_string(),
        locator: locator.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_locator_and_several_items() {
        let items = parse_citation("see @ap-2020-02-13, para. 4; @reuters.", 10).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].id.text, "ap-2020-02-13");
        assert_eq!(items[0].id.range, 15..28);
        assert_eq!(items[0].prefix, "see");
        assert_eq!(items[0].locator, "para. 4");
        assert_eq!(items[1].id.text, "reuters");
    }

    #[test]
    fn email_is_not_a_citation() {
        assert!(parse_citation("write to desk@example.org", 0).is_none());
        assert!(parse_citation("plain words", 0).is_none());
        assert_eq!(parse_citation("-@x", 0).unwrap()[0].id.text, "x");
    }
}
