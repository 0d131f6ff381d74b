//! Escaping every string that comes from an article, for the context it is
//! written in. The page writes article text only into element text and
//! double-quoted attribute values (HTML and SVG alike), never into a
//! `<script>`, a `<style>`, an event handler or an unquoted attribute, so
//! one escape serves both; links pass [`http_url`] first.

use std::fmt::Write as _;

/// `s` as element text or a double-quoted attribute value.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_html(&mut out, s);
    out
}

pub fn push_html(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // NUL and other C0 controls are parse errors in HTML; tab, LF and CR are kept.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// `url` when it is an absolute `http:` or `https:` URL with nothing a
/// browser would strip or reinterpret (white space, control characters);
/// anything else (`javascript:`, `data:`, relative, `//host`) is no link.
pub fn http_url(url: &str) -> Option<&str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let has_scheme = lower.starts_with("http://") || lower.starts_with("https://");
    let host_follows = url.split_once("//").is_some_and(|(_, rest)| !rest.is_empty());
    let clean = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    (has_scheme && host_follows && clean).then_some(url)
}

/// Percent-encodes one path segment: everything but unreserved characters,
/// so no segment can read as a scheme (`javascript:`), a query or a fragment.
pub fn push_path_segment(out: &mut String, segment: &str) {
    for b in segment.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(b as char),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            html(r#"<img src=x onerror="alert('1')"> & </style>"#),
            "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; &lt;/style&gt;"
        );
        assert_eq!(html("a\u{0}b"), "a\u{FFFD}b");
        assert_eq!(html("Café “quoted” ✓"), "Café “quoted” ✓");
    }

    #[test]
    fn only_http_urls_are_links() {
        for good in ["https://example.org/a?b=1#c", "HTTP://example.org", "http://x"] {
            assert_eq!(http_url(good), Some(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            " javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "//evil.example",
            "/relative",
            "https://exa mple.org",
            "https://\texample.org",
            "http://",
            "vbscript:x",
            "",
        ] {
            assert_eq!(http_url(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn path_segments_cannot_become_schemes() {
        let mut out = String::new();
        push_path_segment(&mut out, "javascript:alert(1)\".news.md");
        assert_eq!(out, "javascript%3Aalert%281%29%22.news.md");
    }
}
