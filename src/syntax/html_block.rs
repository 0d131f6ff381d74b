//! Block-level HTML tags at the start of a block, as pandoc's Markdown
//! reader takes them (`markdown_in_html_blocks`): the tag is a raw block of
//! its own and what it holds is read as Markdown blocks, so `<div>`,
//! `</div>` and `<p>…</p>` lines end the paragraphs around them; `<pre>`,
//! `<script>`, `<style>` and `<textarea>` hold raw text up to their closing
//! tag. A tag that is not at a block's start is inline HTML (markup inside
//! a paragraph), as before.

/// Pandoc's block tags (its HTML reader's `blockHtmlTags`,
/// `eitherBlockOrInline` and the DocBook block tags it also allows).
const BLOCK_TAGS: &[&str] = &[
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "audio",
    "bibliolist",
    "blockquote",
    "body",
    "button",
    "calloutlist",
    "canvas",
    "caption",
    "caution",
    "center",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frameset",
    "glosslist",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "important",
    "ins",
    "isindex",
    "itemizedlist",
    "li",
    "main",
    "map",
    "menu",
    "meta",
    "nav",
    "noframes",
    "noscript",
    "note",
    "object",
    "ol",
    "orderedlist",
    "output",
    "p",
    "pre",
    "progress",
    "script",
    "section",
    "segmentedlist",
    "simplelist",
    "source",
    "style",
    "summary",
    "svg",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "tip",
    "tr",
    "ul",
    "variablelist",
    "video",
];

/// Block tags that pandoc reads as inline HTML inside a paragraph
/// (`eitherBlockOrInline`): only these leave a paragraph going.
const BLOCK_OR_INLINE_TAGS: &[&str] = &[
    "applet", "area", "audio", "button", "del", "embed", "iframe", "ins", "map", "noscript", "object", "progress",
    "script", "source", "svg", "video",
];

/// Tags whose content pandoc keeps raw (`rawVerbatimBlock`).
const VERBATIM_TAGS: &[&str] = &["pre", "script", "style", "textarea"];

/// Elements that never hold content, so never stay open.
const VOID_TAGS: &[&str] = &["area", "col", "embed", "hr", "isindex", "meta", "source"];

/// A block tag that starts a line (after up to three spaces).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct BlockTag {
    /// The tag's name, lower-cased, from [`BLOCK_TAGS`].
    pub name: &'static str,
    pub closing: bool,
    /// `<br/>`-style, or an element that holds nothing (`<hr>`).
    pub empty: bool,
    /// The byte after the tag's `>`.
    pub end: usize,
}

impl BlockTag {
    /// Content kept raw up to the closing tag (`<pre>`, `<script>`…).
    pub fn is_verbatim(&self) -> bool {
        !self.closing && VERBATIM_TAGS.contains(&self.name)
    }

    /// Ends the paragraph whose next line it starts: a block tag no
    /// inline HTML may be.
    pub fn interrupts_paragraph(&self) -> bool {
        !BLOCK_OR_INLINE_TAGS.contains(&self.name)
    }

    /// An opening tag whose element stays open past its line.
    pub fn opens(&self) -> bool {
        !self.closing && !self.empty
    }
}

/// The block tag `s` starts with, when its `>` is on this line.
pub(super) fn block_tag(s: &str) -> Option<BlockTag> {
    let lead = s.len() - s.trim_start_matches(' ').len();
    if lead > 3 {
        return None;
    }
    let b = s.as_bytes();
    let mut i = lead;
    if b.get(i) != Some(&b'<') {
        return None;
    }
    i += 1;
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while b.get(i).is_some_and(|c| c.is_ascii_alphanumeric()) {
        i += 1;
    }
    let written = &s[name_start..i];
    if written.is_empty() || !b[name_start].is_ascii_alphabetic() || written.len() > 16 {
        return None;
    }
    if !matches!(b.get(i), Some(b'>' | b'/' | b' ' | b'\t') | None) {
        return None;
    }
    let lower = written.to_ascii_lowercase();
    let name = *BLOCK_TAGS.iter().find(|t| **t == lower)?;
    // The tag's end: the first `>` outside a quoted attribute value.
    let mut quote = None;
    while let Some(&c) = b.get(i) {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b'>') => {
                let self_closing = b[..i].last() == Some(&b'/');
                let empty = self_closing || VOID_TAGS.contains(&name);
                return Some(BlockTag { name, closing, empty, end: i + 1 });
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether `s` (after up to three spaces) starts with the closing tag of
/// `name`.
pub(super) fn starts_with_closer(s: &str, name: &str) -> bool {
    block_tag(s).is_some_and(|t| t.closing && t.name == name)
}

/// Whether `s` ends with the closing tag of `name` (spaces after it aside).
pub(super) fn ends_with_closer(s: &str, name: &str) -> bool {
    let t = s.trim_end();
    let Some(open) = t.rfind("</") else { return false };
    let tag = &t[open + 2..];
    tag.len() == name.len() + 1 && tag.ends_with('>') && tag[..name.len()].eq_ignore_ascii_case(name)
}

/// The byte after the closing tag of `name` in `s`, if there is one.
pub(super) fn find_closer(s: &str, name: &str) -> Option<usize> {
    let lower = s.to_ascii_lowercase();
    let closer = format!("</{name}");
    let mut from = 0;
    while let Some(at) = lower[from..].find(&closer).map(|p| p + from) {
        let after = at + closer.len();
        let rest = &lower.as_bytes()[after..];
        let gap = rest.iter().take_while(|c| c.is_ascii_whitespace()).count();
        if rest.get(gap) == Some(&b'>') {
            return Some(after + gap + 1);
        }
        from = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_at_a_line_start() {
        let div = block_tag(r#"<div class="a>b">text"#).unwrap();
        assert_eq!((div.name, div.closing, div.empty, div.end), ("div", false, false, 17));
        assert!(block_tag("</DIV>").is_some_and(|t| t.closing && t.name == "div"));
        assert!(block_tag("<hr/>").is_some_and(|t| t.empty));
        assert!(block_tag("<hr>").is_some_and(|t| t.empty && !t.opens()));
        assert!(block_tag("   <p>x").is_some());
        assert_eq!(block_tag("    <p>x"), None, "indented code");
        assert_eq!(block_tag("<span>x"), None, "inline");
        assert_eq!(block_tag("<divx>"), None);
        assert_eq!(block_tag("<div"), None, "no `>` on the line");
        assert!(block_tag("<pre>").is_some_and(|t| t.is_verbatim()));
        assert!(ends_with_closer("x</p>  ", "p") && ends_with_closer("x</P>", "p"));
        assert!(!ends_with_closer("x</pre>", "p"));
        assert_eq!(find_closer("a </Pre > b", "pre"), Some(9));
        assert_eq!(find_closer("a </pres> b", "pre"), None);
    }
}
