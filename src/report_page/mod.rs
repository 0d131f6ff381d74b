//! `newsmark report`: the fact-check model as one self-contained HTML page.
//!
//! Nothing is fetched: the CSS, the SVG timelines and the few lines of
//! filter script are inline, and the page reads completely with script off
//! (the filter form then stays hidden). Every string from an article goes
//! through [`escape`]; anchors and filter values are the page's own
//! counters, never article ids.

pub mod escape;
mod links;
mod timeline;

use std::collections::BTreeMap;
use std::fmt::Write as _;

pub use links::FileLinks;
pub use timeline::MAX_MARKS;

use crate::diagnostic::Code;
use crate::factcheck::{FactCheck, FigureClaim, Note, Place, QuoteClaim, Verdict};
use escape::{html, http_url, push_html};

const CSS: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// A key's table starts open when it has at most this many figures.
const OPEN_TABLE_ROWS: usize = 12;
/// An entity lists at most this many articles by name.
const MAX_ENTITY_FILES: usize = 12;

pub struct Page<'a> {
    fact_check: &'a FactCheck,
    links: &'a FileLinks,
    out: String,
}

/// The page for `fact_check`, linking files relative to `links`.
pub fn render(fact_check: &FactCheck, links: &FileLinks) -> String {
    let mut page = Page { fact_check, links, out: String::with_capacity(1 << 16) };
    page.document();
    page.out
}

impl Page<'_> {
    fn w(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn t(&mut self, s: &str) {
        push_html(&mut self.out, s);
    }

    fn document(&mut self) {
        let fc = self.fact_check;
        self.w("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        self.w("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        // No network at all, even if an escape were ever missed.
        self.w("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">");
        self.w("<title>Newsmark fact-check report</title><style>");
        self.w(CSS);
        self.w("</style></head><body>\n<header><h1>Newsmark fact-check report</h1>");
        let _ = write!(
            self.out,
            "<p class=\"muted\" id=\"counts\">{} files · {} articles · {} figures for {} quantities · {} quotes · {} findings</p>",
            fc.files,
            fc.articles.len(),
            fc.figures.len(),
            fc.keys.len(),
            fc.quotes.len(),
            fc.findings.values().sum::<usize>()
        );
        self.w("<nav><a href=\"#summary\">Findings</a><a href=\"#figures\">Figures</a><a href=\"#quotes\">Quotes</a><a href=\"#uncited\">Uncited figures</a><a href=\"#entities\">Entities</a><a href=\"#sources\">Sources</a></nav>");
        self.legend();
        self.w("</header>\n");
        self.filters();
        self.w("<main>");
        self.summary();
        self.figures();
        self.quotes();
        self.uncited();
        self.entities();
        self.sources();
        self.w("</main>\n<script>");
        self.w(SCRIPT);
        self.w("</script></body></html>\n");
    }

    fn legend(&mut self) {
        let fc = self.fact_check;
        self.w("<p class=\"legend small\" id=\"outlets\">");
        for (i, outlet) in fc.outlets.iter().enumerate() {
            let _ = write!(
                self.out,
                "<span><i class=\"swatch\" style=\"background:{}\"></i>",
                timeline::outlet_colour(Some(i))
            );
            self.t(outlet);
            self.w("</span>");
        }
        if fc.outlets.len() > timeline::PALETTE.len() {
            let _ = write!(
                self.out,
                "<span><i class=\"swatch\" style=\"background:{}\"></i>other outlets</span>",
                timeline::OTHER_COLOUR
            );
        }
        self.w("<span><i class=\"swatch\" style=\"outline:2px solid #c00\"></i>contradicted</span><span><i class=\"swatch\" style=\"outline:2px dashed #c00\"></i>unsupported</span><span><i class=\"swatch\" style=\"outline:1px dashed #555\"></i>uncited</span></p>");
    }

    fn filters(&mut self) {
        let fc = self.fact_check;
        self.w("<form id=\"filters\" hidden><label>Outlet <select name=\"o\"><option value=\"\">all</option>");
        for (i, outlet) in fc.outlets.iter().enumerate() {
            let _ = write!(self.out, "<option value=\"o{i}\">");
            self.t(outlet);
            self.w("</option>");
        }
        self.w("</select></label><label>Quantity <select name=\"k\"><option value=\"\">all</option>");
        for (i, key) in fc.keys.iter().enumerate() {
            let _ = write!(self.out, "<option value=\"k{i}\">");
            self.t(&key.key);
            self.w("</option>");
        }
        self.w("</select></label><label>Finding <select name=\"f\"><option value=\"\">all</option><option value=\"any\">any finding</option><option value=\"none\">no finding</option>");
        for code in claim_codes() {
            let _ = write!(self.out, "<option value=\"{code}\">{code}</option>");
        }
        self.w("</select></label><button type=\"reset\">Show all</button></form>\n");
    }

    fn summary(&mut self) {
        let fc = self.fact_check;
        self.w("<section id=\"summary\"><h2>Findings</h2>");
        if fc.findings.is_empty() {
            self.w("<p>No findings.</p>");
        } else {
            self.w("<table><thead><tr><th>Code</th><th>What</th><th>Findings</th></tr></thead><tbody>");
            for (code, count) in &fc.findings {
                let _ = write!(
                    self.out,
                    "<tr data-code=\"{code}\"><td><code>{code}</code></td><td>{}</td><td>{count}</td></tr>",
                    html(code.short_description())
                );
            }
            self.w("</tbody></table>");
        }
        let verdicts = count_verdicts(fc);
        self.w("<p class=\"small\">Verdicts: ");
        for (verdict, count) in verdicts {
            let _ = write!(self.out, "<span class=\"verdict {verdict}\">{verdict}</span> {count} ");
        }
        self.w("(see docs/report.md)</p></section>\n");
    }

    /// `data-o`, `data-k`, `data-f`: what the filters match an item on.
    fn item_attrs(&self, article: Option<usize>, key: Option<usize>, notes: &[Note]) -> String {
        let outlet = self.fact_check.outlet_index(article).map(|o| format!("o{o}")).unwrap_or_default();
        let key = key.map(|k| format!("k{k}")).unwrap_or_default();
        let mut codes: Vec<&str> = notes.iter().map(|n| n.code.as_str()).collect();
        codes.dedup();
        format!(" data-o=\"{outlet}\" data-k=\"{key}\" data-f=\"{}\"", codes.join(" "))
    }

    fn place_link(&mut self, place: &Place) {
        match self.links.href(&place.path) {
            Some(href) => {
                let _ = write!(self.out, "<a class=\"loc\" href=\"{}\">", html(&href));
                self.t(&place.path);
                let _ = write!(self.out, ":{}</a>", place.line);
            }
            None => {
                self.t(&place.path);
                let _ = write!(self.out, ":{}", place.line);
            }
        }
    }

    /// The article's headline, linked to its url when that is an http(s) URL.
    fn article_cell(&mut self, article: Option<usize>) {
        let Some(a) = article.map(|a| &self.fact_check.articles[a]) else {
            self.w("<span class=\"muted\">not an article</span>");
            return;
        };
        let headline = a.title.as_deref().unwrap_or(&a.id);
        match a.url.as_deref().and_then(http_url) {
            Some(url) => {
                let _ =
                    write!(self.out, "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>", html(url), html(headline));
            }
            None => self.t(headline),
        }
        if let Some(date) = a.published {
            let _ = write!(self.out, " <span class=\"muted small\">{date}</span>");
        }
    }

    fn verdict_cell(&mut self, verdict: Verdict, notes: &[Note]) {
        let _ = write!(self.out, "<span class=\"verdict {verdict}\">{verdict}</span>");
        for note in notes {
            let _ = write!(self.out, "<div class=\"note\" data-code=\"{}\">", note.code);
            self.t(&note.message);
            self.w("</div>");
        }
    }

    fn figures(&mut self) {
        let fc = self.fact_check;
        self.w("<section id=\"figures\"><h2>Figures by quantity</h2>");
        if fc.keys.is_empty() {
            self.w("<p>No figures.</p>");
        }
        for (k, key) in fc.keys.iter().enumerate() {
            let flagged = key.figures.iter().filter(|&&f| fc.figures[f].verdict != Verdict::Consistent).count();
            let _ = write!(self.out, "<section class=\"grp key\" id=\"k{k}\" data-key=\"");
            self.t(&key.key);
            self.w("\"><h3>");
            self.t(key.label.as_deref().unwrap_or(&key.key));
            self.w(" <code class=\"small\">");
            self.t(&key.key);
            self.w("</code>");
            if let Some(unit) = &key.unit {
                self.w(" <span class=\"muted small\">in ");
                self.t(unit);
                self.w("</span>");
            }
            self.w("</h3>");
            let attrs = |f: usize| self.item_attrs(fc.figures[f].article, Some(k), &fc.figures[f].notes);
            let mut svg = String::new();
            timeline::render(&mut svg, fc, key, attrs);
            self.w(&svg);
            if key.figures.len() > MAX_MARKS {
                let _ = write!(
                    self.out,
                    "<p class=\"small muted\">The timeline draws {MAX_MARKS} of {} figures (every flagged one first, the rest sampled evenly); the table lists them all.</p>",
                    key.figures.len()
                );
            }
            let open = if key.figures.len() <= OPEN_TABLE_ROWS { " open" } else { "" };
            let _ = write!(
                self.out,
                "<details{open}><summary>{}, {flagged} flagged</summary><table><thead><tr><th>Value</th><th>As of</th><th>Verdict</th><th>Article</th><th>Where</th></tr></thead><tbody>",
                plural(key.figures.len(), "figure")
            );
            for &f in &key.figures {
                self.figure_row(f, k);
            }
            self.w("</tbody></table></details></section>\n");
        }
        self.w("</section>\n");
    }

    fn figure_row(&mut self, f: usize, k: usize) {
        let figure: &FigureClaim = &self.fact_check.figures[f];
        let flag = if figure.verdict == Verdict::Consistent { "" } else { " class=\"flag\"" };
        let attrs = self.item_attrs(figure.article, Some(k), &figure.notes);
        let colour = timeline::outlet_colour(self.fact_check.outlet_index(figure.article));
        let _ =
            write!(self.out, "<tr id=\"f{f}\"{flag}{attrs}><td><i class=\"swatch\" style=\"background:{colour}\"></i>");
        self.t(&figure.text);
        let _ = write!(self.out, " <span class=\"muted small\">{}</span></td><td>", html(&figure.interval.to_string()));
        match figure.period {
            Some(p) => {
                let _ = write!(self.out, "{p}");
            }
            None => self.w("undated"),
        }
        self.w("</td><td>");
        self.verdict_cell(figure.verdict, &figure.notes);
        self.w("</td><td>");
        self.article_cell(figure.article);
        if let Some(outlet) = self.fact_check.outlet_of(figure.article) {
            self.w(" <span class=\"muted small\">");
            self.t(outlet);
            self.w("</span>");
        }
        self.w("</td><td>");
        self.place_link(&figure.place);
        self.w("</td></tr>");
    }

    fn quotes(&mut self) {
        let fc = self.fact_check;
        self.w("<section id=\"quotes\"><h2>Quotes</h2>");
        if fc.quote_groups.is_empty() {
            self.w("<p>No quotes.</p>");
        }
        for group in &fc.quote_groups {
            let speakers = group.speakers(fc);
            let conflict = if speakers.len() > 1 { " conflict" } else { "" };
            self.w(&format!("<div class=\"grp quote{conflict}\"><blockquote>"));
            self.t(&fc.quotes[group.quotes[0]].text);
            self.w("</blockquote>");
            if speakers.len() > 1 {
                self.w("<p class=\"note\">Attributed to different speakers: ");
                self.t(&speakers.iter().map(|s| self.speaker_name(s)).collect::<Vec<_>>().join(", "));
                self.w("</p>");
            }
            self.w(
                "<table><thead><tr><th>Speaker</th><th>Verdict</th><th>Article</th><th>Where</th></tr></thead><tbody>",
            );
            for &q in &group.quotes {
                self.quote_row(q);
            }
            self.w("</tbody></table></div>\n");
        }
        self.w("</section>\n");
    }

    fn speaker_name(&self, id: &str) -> String {
        let entity = self.fact_check.entities.binary_search_by(|e| e.id.as_str().cmp(id)).ok();
        match entity.and_then(|e| self.fact_check.entities[e].name.clone()) {
            Some(name) => name,
            None => id.to_string(),
        }
    }

    fn quote_row(&mut self, q: usize) {
        let quote: &QuoteClaim = &self.fact_check.quotes[q];
        let flag = if quote.verdict == Verdict::Consistent { "" } else { " class=\"flag\"" };
        let attrs = self.item_attrs(quote.article, None, &quote.notes);
        let _ = write!(self.out, "<tr id=\"q{q}\"{flag}{attrs}><td>");
        let name = self.speaker_name(&quote.speaker);
        self.t(&name);
        if name != quote.speaker {
            self.w(" <code class=\"small\">");
            self.t(&quote.speaker);
            self.w("</code>");
        }
        self.w("</td><td>");
        self.verdict_cell(quote.verdict, &quote.notes);
        self.w("</td><td>");
        self.article_cell(quote.article);
        self.w("</td><td>");
        self.place_link(&quote.place);
        self.w("</td></tr>");
    }

    fn uncited(&mut self) {
        let fc = self.fact_check;
        self.w("<section id=\"uncited\"><h2>Uncited figures</h2>");
        let mut by_file: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, figure) in fc.figures.iter().enumerate() {
            if figure.notes.iter().any(|n| n.code == Code::UncitedFigure) {
                by_file.entry(&figure.place.path).or_default().push(i);
            }
        }
        let key_index: std::collections::HashMap<&str, usize> =
            fc.keys.iter().enumerate().map(|(i, k)| (k.key.as_str(), i)).collect();
        if by_file.is_empty() {
            self.w("<p>Every figure cites a source.</p>");
        }
        for figures in by_file.values() {
            let first = &fc.figures[figures[0]];
            self.w("<div class=\"grp uncited\"><h3>");
            self.article_cell(first.article);
            let _ = write!(self.out, " <span class=\"muted small\">{} uncited</span></h3><ul>", figures.len());
            for &f in figures {
                let figure = &fc.figures[f];
                let k = key_index.get(figure.key.as_str()).copied();
                let attrs = self.item_attrs(figure.article, k, &figure.notes);
                let _ = write!(self.out, "<li{attrs}>“");
                self.t(&figure.text);
                self.w("” <code class=\"small\">");
                self.t(&figure.key);
                self.w("</code> ");
                self.place_link(&figure.place);
                self.w("</li>");
            }
            self.w("</ul></div>\n");
        }
        self.w("</section>\n");
    }

    fn entities(&mut self) {
        let fc = self.fact_check;
        self.w("<section id=\"entities\"><h2>Entities</h2>");
        self.w("<table><thead><tr><th>Entity</th><th>Kind</th><th>Role</th><th>Mentions</th><th>Quotes</th><th>Mentioned in</th></tr></thead><tbody>");
        for (i, entity) in fc.entities.iter().enumerate() {
            let _ = write!(self.out, "<tr id=\"e{i}\"><td>");
            self.t(entity.name.as_deref().unwrap_or(&entity.id));
            self.w(" <code class=\"small\">");
            self.t(&entity.id);
            self.w("</code>");
            if let Some(place) = &entity.place {
                self.w(" <span class=\"small\">");
                self.place_link(place);
                self.w("</span>");
            } else {
                self.w(" <span class=\"note\">not defined</span>");
            }
            self.w("</td><td>");
            self.t(entity.kind.as_deref().unwrap_or(""));
            self.w("</td><td>");
            self.t(entity.role.as_deref().unwrap_or(""));
            let _ = write!(
                self.out,
                "</td><td>{}</td><td>{}</td><td class=\"small\">",
                entity.total_mentions, entity.quotes
            );
            for (j, (place, n)) in entity.mentions.iter().take(MAX_ENTITY_FILES).enumerate() {
                if j > 0 {
                    self.w(", ");
                }
                self.place_link(place);
                let _ = write!(self.out, " ({n})");
            }
            if entity.mentions.len() > MAX_ENTITY_FILES {
                let _ = write!(self.out, " and {} more files", entity.mentions.len() - MAX_ENTITY_FILES);
            }
            self.w("</td></tr>");
        }
        self.w("</tbody></table></section>\n");
    }

    fn sources(&mut self) {
        let fc = self.fact_check;
        self.w("<section id=\"sources\"><h2>Sources</h2>");
        self.w("<table><thead><tr><th>Id</th><th>Kind</th><th>Title</th><th>Outlet</th><th>Published</th><th>Cited</th><th>Defined</th></tr></thead><tbody>");
        for (i, source) in fc.sources.iter().enumerate() {
            let _ = write!(self.out, "<tr id=\"s{i}\"><td><code>");
            self.t(&source.id);
            let kind = if source.is_article { "article" } else { "source" };
            let _ = write!(self.out, "</code></td><td>{kind}</td><td>");
            let title = source.title.as_deref().unwrap_or("");
            match source.url.as_deref().and_then(http_url) {
                Some(url) => {
                    let _ =
                        write!(self.out, "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>", html(url), html(title));
                }
                None => self.t(title),
            }
            self.w("</td><td>");
            self.t(source.outlet.as_deref().unwrap_or(""));
            self.w("</td><td>");
            self.t(source.published.as_deref().unwrap_or(""));
            let _ = write!(self.out, "</td><td>{}</td><td>", source.cited);
            self.place_link(&source.place);
            self.w("</td></tr>");
        }
        self.w("</tbody></table></section>\n");
    }
}

/// The codes a figure or quote can carry, for the finding filter.
fn claim_codes() -> impl Iterator<Item = Code> {
    Code::ALL.into_iter().filter(|c| Verdict::of_code(*c).is_some())
}

fn count_verdicts(fc: &FactCheck) -> Vec<(Verdict, usize)> {
    let mut counts: BTreeMap<Verdict, usize> = BTreeMap::new();
    for verdict in fc.figures.iter().map(|f| f.verdict).chain(fc.quotes.iter().map(|q| q.verdict)) {
        *counts.entry(verdict).or_insert(0) += 1;
    }
    counts.into_iter().collect()
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
