//! `key: value` lines, shared by front matter and definition blocks.

use super::tree::{Field, TextRange};

pub(super) fn parse_field(text: &str, line: TextRange) -> Option<Field> {
    let content = &text[line];
    let key_start = content.len() - content.trim_start().len();
    let key_len =
        content[key_start..].bytes().take_while(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-').count();
    if key_len == 0 || !content.as_bytes()[key_start].is_ascii_alphabetic() {
        return None;
    }
    let after_key = &content[key_start + key_len..];
    let colon = after_key.len() - after_key.trim_start_matches([' ', '\t']).len();
    if !after_key[colon..].starts_with(':') {
        return None;
    }
    let value_part = &after_key[colon + 1..];
    let lead = value_part.len() - value_part.trim_start().len();
    let mut value_start = line.start() + key_start + key_len + colon + 1 + lead;
    let mut value = value_part.trim();
    // YAML-style quoting is accepted so front matter stays valid YAML.
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            value = &value[1..value.len() - 1];
            value_start += 1;
        }
    }
    Some(Field {
        key: TextRange::new(line.start() + key_start, line.start() + key_start + key_len),
        value: TextRange::new(value_start, value_start + value.len()),
    })
}
