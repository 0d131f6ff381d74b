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
/// Above this many figures and quotes, the page is compact (unless asked
/// for in full): tables list flagged claims only.
pub const COMPACT_ABOVE: usize = 5_000;
/// A compact page draws timelines for this many keys (in the order of
/// `FactCheck::keys`: disputed ones, then the biggest); the others get one
/// summary row each.
pub const COMPACT_TIMELINES: usize = 400;
/// A compact page lists at most this many articles as sources (most cited
/// first); `::: source` blocks are always listed.
pub const COMPACT_ARTICLE_SOURCES: usize = 500;

#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// List every claim in the tables, however big the workspace.
    pub full: bool,
}

pub struct Page<'a> {
    fact_check: &'a FactCheck,
    links: &'a FileLinks,
    /// Tables list only flagged figures and quotes (consistent figures are
    /// still drawn, their marks linking straight to their file).
    compact: bool,
    out: String,
}

/// The page for `fact_check`, linking files relative to `links`.
pub fn render(fact_check: &FactCheck, links: &FileLinks, options: Options) -> String {
    let compact = !options.full && fact_check.figures.len() + fact_check.quotes.len() > COMPACT_ABOVE;
    let mut page = Page { fact_check, links, compact, out: String::with_capacity(1 << 20) };
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
        if self.compact {
            let _ = write!(
                self.out,
                "<p class=\"small\" id=\"compact\">A workspace this big (over {COMPACT_ABOVE} figures and quotes) gets a compact page: the tables list the flagged figures and quotes only, every figure is still drawn on its timeline (at most {MAX_MARKS} per quantity), and a consistent figure's mark links straight to its file. <code>newsmark report --full</code> lists everything.</p>"
            );
        }
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
        let drawn = if self.compact { COMPACT_TIMELINES.min(fc.keys.len()) } else { fc.keys.len() };
        for (k, key) in fc.keys.iter().enumerate().take(drawn) {
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
            let attrs = |f: usize| {
                let figure = &fc.figures[f];
                let href = match self.listed(figure.verdict) {
                    true => Some(format!("#f{f}")),
                    false => self.links.href(&figure.place.path),
                };
                let href = href.map(|h| format!(" href=\"{}\"", html(&h))).unwrap_or_default();
                format!("{href}{}", self.item_attrs(figure.article, Some(k), &figure.notes))
            };
            let mut svg = String::new();
            timeline::render(&mut svg, fc, key, attrs);
            self.w(&svg);
            if key.figures.len() > MAX_MARKS {
                let _ = write!(
                    self.out,
                    "<p class=\"small muted\">The timeline draws {MAX_MARKS} of {} figures (every flagged one first, the rest sampled evenly); the table lists {}.</p>",
                    key.figures.len(),
                    if self.compact { "the flagged ones" } else { "them all" }
                );
            }
            let listed: Vec<usize> =
                key.figures.iter().copied().filter(|&f| self.listed(fc.figures[f].verdict)).collect();
            let open = if listed.len() <= OPEN_TABLE_ROWS { " open" } else { "" };
            let shown = if listed.len() < key.figures.len() { " (flagged ones listed)" } else { "" };
            let _ = write!(
                self.out,
                "<details{open}><summary>{}, {flagged} flagged{shown}</summary><table><thead><tr><th>Value</th><th>As of</th><th>Verdict</th><th>Article</th><th>Where</th></tr></thead><tbody>",
                plural(key.figures.len(), "figure")
            );
            for f in listed {
                self.figure_row(f, k);
            }
            self.w("</tbody></table></details></section>\n");
        }
        if drawn < fc.keys.len() {
            self.other_keys(drawn);
        }
        self.w("</section>\n");
    }

    /// One row per key past the drawn ones: its figures, the range they
    /// span, how many are flagged.
    fn other_keys(&mut self, from: usize) {
        let fc = self.fact_check;
        let _ = write!(
            self.out,
            "<section class=\"grp\" id=\"other-keys\"><h3>{} more quantities</h3><p class=\"small muted\">A compact page draws the first {COMPACT_TIMELINES} (every one with a contradicted or unsupported figure, then those with most figures); <code>--full</code> draws them all.</p><table><thead><tr><th>Quantity</th><th>Figures</th><th>Flagged</th><th>Values</th><th>Periods</th></tr></thead><tbody>",
            fc.keys.len() - from
        );
        for (k, key) in fc.keys.iter().enumerate().skip(from) {
            let figures = key.figures.iter().map(|&f| &fc.figures[f]);
            let flagged = figures.clone().filter(|f| f.verdict != Verdict::Consistent).count();
            let values = figures.clone().map(|f| f.interval).reduce(|a, b| a.hull(&b));
            let start = figures.clone().filter_map(|f| f.period.map(|p| p.start)).min();
            let end = figures.filter_map(|f| f.period.map(|p| p.end)).max();
            let _ = write!(self.out, "<tr id=\"k{k}\" data-o=\"\" data-k=\"k{k}\" data-f=\"\"><td>");
            self.t(key.label.as_deref().unwrap_or(&key.key));
            self.w(" <code class=\"small\">");
            self.t(&key.key);
            let _ = write!(self.out, "</code></td><td>{}</td><td>{flagged}</td><td>", key.figures.len());
            if let Some(values) = values {
                self.t(&values.to_string());
            }
            self.w("</td><td>");
            if let (Some(start), Some(end)) = (start, end) {
                let _ = write!(self.out, "{start}..{end}");
            }
            self.w("</td></tr>");
        }
        self.w("</tbody></table></section>\n");
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

    /// Whether a claim with this verdict has a row in its table.
    fn listed(&self, verdict: Verdict) -> bool {
        !self.compact || verdict != Verdict::Consistent
    }

    fn quotes(&mut self) {
        let fc = self.fact_check;
        self.w("<section id=\"quotes\"><h2>Quotes</h2>");
        if fc.quote_groups.is_empty() {
            self.w("<p>No quotes.</p>");
        }
        let (listed, unlisted): (Vec<_>, Vec<_>) =
            fc.quote_groups.iter().partition(|g| g.quotes.iter().any(|&q| self.listed(fc.quotes[q].verdict)));
        if !unlisted.is_empty() {
            let quotes: usize = unlisted.iter().map(|g| g.quotes.len()).sum();
            let _ = write!(
                self.out,
                "<p class=\"small muted\">{} ({}) with no finding are not listed on this compact page.</p>",
                plural(unlisted.len(), "quote"),
                plural(quotes, "copy").replace("copys", "copies")
            );
        }
        for group in listed {
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
        let mut listed: Vec<usize> = (0..fc.sources.len()).collect();
        if self.compact {
            // Source blocks, then the most cited articles.
            listed.sort_by_key(|&i| (fc.sources[i].is_article, std::cmp::Reverse(fc.sources[i].cited), i));
            let blocks = listed.iter().filter(|&&i| !fc.sources[i].is_article).count();
            listed.truncate(blocks + COMPACT_ARTICLE_SOURCES);
            listed.sort_unstable();
            if listed.len() < fc.sources.len() {
                let _ = write!(
                    self.out,
                    "<p class=\"small muted\">Every <code>::: source</code> block and the {COMPACT_ARTICLE_SOURCES} most cited of {} articles; <code>--full</code> lists them all.</p>",
                    fc.sources.iter().filter(|s| s.is_article).count()
                );
            }
        }
        self.w("<table><thead><tr><th>Id</th><th>Kind</th><th>Title</th><th>Outlet</th><th>Published</th><th>Cited</th><th>Defined</th></tr></thead><tbody>");
        for i in listed {
            let source = &fc.sources[i];
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
