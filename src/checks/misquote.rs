use super::Ctx;
use crate::diagnostic::{Code, Diagnostic, Related};
use crate::workspace::Namespace;

/// A quote cites a workspace article whose text does not contain it.
pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let analysis = &ctx.entry().analysis;
    for quote in &analysis.quotes {
        if quote.normalized.is_empty() || quote.citations.ids.is_empty() {
            continue;
        }
        // Made when a cited article is found: most citations name a `::: source` block.
        let mut needle = None;
        for &name in quote.citations.ids.iter() {
            let id = ctx.workspace.name(name);
            for article in ctx.workspace.index().definitions_of(Namespace::Source, name) {
                if article.file == ctx.file {
                    continue;
                }
                let cited_entry = ctx.workspace.entry(article.file);
                let cited = &cited_entry.analysis;
                if cited.definitions[article.item()].block.is_some() {
                    continue;
                }
                let Some(body) = cited_entry.normalized_body() else { continue };
                let needle = needle.get_or_insert_with(|| format!(" {} ", quote.normalized));
                if contains(body.as_bytes(), needle.as_bytes()) {
                    continue;
                }
                let related = vec![Related {
                    file: article.file,
                    range: cited.definitions[article.item()].id.range,
                    message: format!("`@{id}` does not contain this quote").into(),
                }];
                let message = format!(
                    "the cited article `@{id}` does not contain this quote (compared ignoring case, punctuation and spacing)"
                );
                let range = quote.range;
                out.push(Diagnostic::new(Code::Misquote, range, message).with_related(related));
            }
        }
    }
}

/// Whether `needle` occurs in `haystack`. memchr's SIMD search for the
/// needle's first bytes, each hit checked whole: a quote is long, and for a
/// long needle memchr builds a two-way searcher (~5,000 instructions for a
/// 100-byte quote), more than the search of a 3 KB body costs. After
/// `MAX_HITS` hits that were not the needle (a hostile body repeating its
/// start), the whole needle is searched for in the rest, so the time stays
/// linear.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    const PREFIX: usize = 16;
    const MAX_HITS: usize = 32;
    if needle.len() <= PREFIX {
        return memchr::memmem::find(haystack, needle).is_some();
    }
    let prefix = memchr::memmem::Finder::new(&needle[..PREFIX]);
    let mut from = 0;
    for _ in 0..MAX_HITS {
        let Some(at) = prefix.find(&haystack[from..]) else { return false };
        if haystack[from + at..].starts_with(needle) {
            return true;
        }
        from += at + 1;
    }
    memchr::memmem::find(&haystack[from..], needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::contains;
    use crate::quantity::TestRng;

    #[test]
    fn contains_agrees_with_memmem() {
        let pieces: [&[u8]; 6] = [b" ", b"a", b"b", b" a a", b"ab ", b"the cited article says "];
        let mut rng = TestRng(0x3141_5926_5358_9793);
        for _ in 0..20_000 {
            let build = |rng: &mut TestRng, max: usize| -> Vec<u8> {
                let len = rng.below(max);
                (0..len).flat_map(|_| pieces[rng.below(pieces.len())].to_vec()).collect()
            };
            let haystack = build(&mut rng, 120);
            let needle = build(&mut rng, 12);
            let expected = memchr::memmem::find(&haystack, &needle).is_some();
            assert_eq!(contains(&haystack, &needle), expected, "{:?} in {:?}", needle, haystack);
        }
    }
}
