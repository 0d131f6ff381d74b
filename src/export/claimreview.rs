//! schema.org `ClaimReview` JSON-LD: one review per figure and per quote,
//! with its verdict as the rating's `alternateName` (see docs/report.md for
//! the vocabulary, the rating scale and which verdict wins).

use serde_json::{json, Map, Value};

use crate::factcheck::{ArticleInfo, FactCheck, Note, Place, Verdict, BEST_RATING, WORST_RATING};
use crate::quantity::Date;
use crate::report_page::escape::http_url;

/// Who publishes the reviews and when.
#[derive(Clone, Debug)]
pub struct Reviewer {
    pub name: String,
    pub date: Date,
}

/// One claim, figure or quote, as the export sees it.
struct Claim<'a> {
    place: &'a Place,
    sentence: &'a str,
    text: &'a str,
    article: Option<usize>,
    verdict: Verdict,
    notes: &'a [Note],
    /// The speaker's entity id, for quotes.
    speaker: Option<&'a str>,
    /// `fig=` key or `quote`, for the review's name.
    what: String,
}

/// The JSON-LD document: `{"@context": "https://schema.org", "@graph": [...]}`,
/// reviews in order of file, line and column, one review per line (each
/// review is built, written and dropped: a document of 100,000 reviews is
/// never held as a tree).
pub fn export(fact_check: &FactCheck, reviewer: &Reviewer) -> String {
    let mut claims: Vec<Claim> = fact_check
        .figures
        .iter()
        .map(|f| Claim {
            place: &f.place,
            sentence: &f.sentence,
            text: &f.text,
            article: f.article,
            verdict: f.verdict,
            notes: &f.notes,
            speaker: None,
            what: format!("figure `{}` read as {}", f.key, f.interval),
        })
        .chain(fact_check.quotes.iter().map(|q| Claim {
            place: &q.place,
            sentence: &q.sentence,
            text: &q.text,
            article: q.article,
            verdict: q.verdict,
            notes: &q.notes,
            speaker: Some(&q.speaker),
            what: format!("quote attributed to `{}`", q.speaker),
        }))
        .collect();
    claims.sort_by(|a, b| {
        (&a.place.path, a.place.line, a.place.column).cmp(&(&b.place.path, b.place.line, b.place.column))
    });
    let mut out = String::from("{\"@context\": \"https://schema.org\", \"@graph\": [\n");
    for (i, claim) in claims.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&review(fact_check, reviewer, claim).to_string());
    }
    out.push_str("\n]}\n");
    out
}

fn review(fact_check: &FactCheck, reviewer: &Reviewer, claim: &Claim) -> Value {
    let article = claim.article.map(|a| &fact_check.articles[a]);
    let mut item = Map::new();
    item.insert("@type".into(), json!("Claim"));
    item.insert("name".into(), json!(claim.text));
    item.insert("appearance".into(), appearance(article, claim.place));
    if let Some(date) = article.and_then(|a| a.published) {
        item.insert("datePublished".into(), json!(date.to_string()));
    }
    if let Some(speaker) = claim.speaker {
        item.insert("author".into(), speaker_of(fact_check, speaker));
    }
    let body = match claim.notes {
        [] => format!("No finding on this {}: nothing in the workspace disagrees.", claim.what),
        notes => notes.iter().map(|n| format!("{}: {}", n.code, n.message)).collect::<Vec<_>>().join("\n"),
    };
    let mut review = Map::new();
    review.insert("@type".into(), json!("ClaimReview"));
    review.insert(
        "identifier".into(),
        json!(format!("{}:{}:{}", claim.place.path, claim.place.line, claim.place.column)),
    );
    if let Some(url) = article.and_then(|a| a.url.as_deref()).and_then(http_url) {
        review.insert("url".into(), json!(text_fragment_url(url, claim.text)));
    }
    review.insert("claimReviewed".into(), json!(claim.sentence));
    review.insert("datePublished".into(), json!(reviewer.date.to_string()));
    review.insert("author".into(), json!({ "@type": "Organization", "name": reviewer.name }));
    review.insert("itemReviewed".into(), Value::Object(item));
    review.insert(
        "reviewRating".into(),
        json!({
            "@type": "Rating",
            "ratingValue": claim.verdict.rating(),
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": claim.verdict.as_str(),
        }),
    );
    review.insert("reviewBody".into(), json!(body));
    Value::Object(review)
}

/// The work a claim appears in: the article (a `NewsArticle`), or for a
/// claim outside any article, the file as a `CreativeWork`.
fn appearance(article: Option<&ArticleInfo>, place: &Place) -> Value {
    let Some(article) = article else {
        return json!({ "@type": "CreativeWork", "name": place.path });
    };
    let mut work = Map::new();
    work.insert("@type".into(), json!("NewsArticle"));
    work.insert("identifier".into(), json!(article.id));
    if let Some(url) = article.url.as_deref().and_then(http_url) {
        work.insert("url".into(), json!(url));
    }
    work.insert("headline".into(), json!(article.title.as_deref().unwrap_or(&article.id)));
    if let Some(date) = article.published {
        work.insert("datePublished".into(), json!(date.to_string()));
    }
    if let Some(outlet) = &article.outlet {
        work.insert("publisher".into(), json!({ "@type": "Organization", "name": outlet }));
    }
    if let Some(author) = &article.author {
        work.insert("author".into(), json!({ "@type": "Person", "name": author }));
    }
    Value::Object(work)
}

/// A quote's speaker: a `Person` for entities of kind `person`, else an
/// `Organization` (governments, agencies, groups of officials).
fn speaker_of(fact_check: &FactCheck, id: &str) -> Value {
    let entity = fact_check.entities.binary_search_by(|e| e.id.as_str().cmp(id)).ok().map(|i| &fact_check.entities[i]);
    let name = entity.and_then(|e| e.name.as_deref()).unwrap_or(id);
    let is_person = entity.and_then(|e| e.kind.as_deref()).is_some_and(|k| k.eq_ignore_ascii_case("person"));
    let mut author = Map::new();
    author.insert("@type".into(), json!(if is_person { "Person" } else { "Organization" }));
    author.insert("name".into(), json!(name));
    author.insert("identifier".into(), json!(id));
    if let Some(role) = entity.and_then(|e| e.role.as_deref()) {
        author.insert("description".into(), json!(role));
    }
    Value::Object(author)
}

/// `url` with a text fragment (`#:~:text=…`) that scrolls a browser to the
/// claim's words, when the published page still has them (a browser ignores
/// a fragment it cannot find).
fn text_fragment_url(url: &str, text: &str) -> String {
    let mut out = String::from(url);
    out.push_str(if url.contains('#') { ":~:text=" } else { "#:~:text=" });
    for b in text.trim().bytes() {
        if b.is_ascii_alphanumeric() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fragments_encode_every_delimiter() {
        assert_eq!(
            text_fragment_url("https://a.example/x", "about 5,000-strong"),
            "https://a.example/x#:~:text=about%205%2C000%2Dstrong"
        );
        assert_eq!(
            text_fragment_url("https://a.example/x#top", "“a”"),
            "https://a.example/x#top:~:text=%E2%80%9Ca%E2%80%9D"
        );
    }
}
