//! Writes a realistic, deterministic Newsmark workspace for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_corpus -- N OUT [--seed S]
//! ```
//!
//! Output (OUT is created; existing files with the same names are overwritten):
//!
//! - `OUT/entities.news.md`, `OUT/sources.news.md`, `OUT/quantities.news.md`:
//!   the definition blocks every article refers to;
//! - `OUT/articles/NNNN/<id>.news.md`: N articles, 100 per folder, ~3 KB each,
//!   published between 2019-01-01 and 2022-12-31 (ids in date order);
//! - `OUT/bench-target.json`: the article and figure the LSP benchmark edits
//!   (a figure whose key is shared by hundreds of others), with the exact
//!   position of its number and the value that contradicts the others.
//!
//! Every article has front matter, a dateline, ~15 entity mentions, 4–5
//! figures, 2–3 quotes and free-standing citations of sources and of other
//! (earlier) generated articles. Figure keys come from two pools: N/500 "hot"
//! keys (at least 5) that ~560 figures each share whatever N is, and N/4
//! "tail" keys (at least 30) with ~13 figures each. A key has one true value
//! and every figure is written so that its interval contains it ("about 500",
//! "more than 400", "between 450 and 550", `value=`…), so figures agree unless
//! made to disagree on purpose.
//!
//! The workspace has no error-level findings. The deliberate warnings are:
//!
//! - `contradicting-figure`: about 1 article in 200 states one figure at
//!   more than three times its key's value; it is reported with every
//!   figure of that key whose period overlaps;
//! - `unsupported-figure`: a later figure that cites such an article for the
//!   same key and period;
//! - `conflicting-attribution`: about 1 use in 100 of a repeated quote names a
//!   different speaker; every other use of that quote is reported too;
//! - `uncited-figure`: about 1 article in 60 has one figure with no citation.
//!
//! Same N and seed, same bytes: the generator uses its own PRNG (SplitMix64).

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const PER_FOLDER: usize = 100;

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_B00C)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64 * n as f64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
    /// Skewed towards the front: a few items are picked very often.
    fn skewed(&mut self, n: usize) -> usize {
        let u = self.unit();
        ((u * u * u) * n as f64) as usize
    }
}

// ---------------------------------------------------------------- dates

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Date {
    y: i32,
    m: u32,
    d: u32,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

/// Days since 1970-01-01 → civil date (Howard Hinnant's algorithm).
fn civil(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = (yoe + era * 400) as i32 + i32::from(m <= 2);
    Date { y, m, d }
}

const FIRST_DAY: i64 = 17_897; // 2019-01-01
const LAST_DAY: i64 = 19_357; // 2022-12-31

const MONTHS: [&str; 12] =
    ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."];

const WEEKDAYS: [&str; 7] = ["Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday"];

// ---------------------------------------------------------------- word lists

const FIRST_NAMES: [&str; 40] = [
    "Amira",
    "Bogdan",
    "Carmen",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hassan",
    "Ingrid",
    "Jonas",
    "Katarzyna",
    "Luis",
    "Mariam",
    "Nikolai",
    "Olga",
    "Pedro",
    "Qasim",
    "Rania",
    "Stefan",
    "Tamar",
    "Umar",
    "Vera",
    "Walid",
    "Ximena",
    "Yusuf",
    "Zofia",
    "Anders",
    "Beatriz",
    "Cyrus",
    "Dalia",
    "Emre",
    "Fatima",
    "Gustavo",
    "Hana",
    "Ilya",
    "Joanna",
    "Karim",
    "Leila",
    "Mateus",
    "Nadia",
];

const LAST_NAMES: [&str; 60] = [
    "Abadi",
    "Bergstrom",
    "Castellano",
    "Dragomir",
    "Eriksen",
    "Farouk",
    "Gallardo",
    "Haddad",
    "Ivanova",
    "Jansen",
    "Kowalczyk",
    "Lindqvist",
    "Mansour",
    "Novak",
    "Okafor",
    "Petrenko",
    "Quiroga",
    "Rahimi",
    "Sorensen",
    "Tahir",
    "Ulloa",
    "Valente",
    "Wojcik",
    "Yilmaz",
    "Zamani",
    "Achterberg",
    "Brandt",
    "Cimino",
    "Demir",
    "Esposito",
    "Fontaine",
    "Gruber",
    "Hakimi",
    "Iglesias",
    "Jovanovic",
    "Karimi",
    "Lambert",
    "Moretti",
    "Nasser",
    "Ortega",
    "Pavlov",
    "Rossi",
    "Saleh",
    "Tanaka",
    "Urquhart",
    "Varga",
    "Weber",
    "Xu",
    "Yamamoto",
    "Zeller",
    "Alvarez",
    "Bakr",
    "Costa",
    "Dimitrov",
    "Eklund",
    "Fischer",
    "Guerrero",
    "Horvath",
    "Ibrahim",
    "Jurado",
];

const ROLES: [&str; 12] = [
    "Minister of Defence",
    "Foreign Minister",
    "Prime Minister",
    "President",
    "Army Chief of Staff",
    "Interior Minister",
    "Government Spokesperson",
    "Head of the Monitoring Mission",
    "Special Envoy",
    "Governor",
    "Opposition Leader",
    "Aid Coordinator",
];

const SYLLABLES: [&str; 32] = [
    "val", "mor", "ka", "ten", "ri", "sha", "bel", "do", "na", "zur", "ost", "ra", "lin", "ge", "tar", "vi", "ska",
    "nor", "hel", "am", "is", "tol", "ber", "qu", "ez", "ma", "run", "sel", "pol", "dar", "an", "ko",
];

const ORG_PATTERNS: [&str; 10] = [
    "{} Ministry of Defence",
    "{} Armed Forces",
    "{} Red Crescent",
    "{} National Assembly",
    "{} Border Police",
    "{} Electoral Commission",
    "{} Liberation Front",
    "{} Interior Ministry",
    "{} Central Bank",
    "{} Civil Defence",
];

const OUTLETS: [(&str, &str); 12] = [
    ("Associated Press", "ap"),
    ("Reuters", "reuters"),
    ("Agence France-Presse", "afp"),
    ("The Meridian Post", "meridian-post"),
    ("Northern Courier", "northern-courier"),
    ("Daily Ledger", "daily-ledger"),
    ("Harbour Times", "harbour-times"),
    ("Eastern Wire", "eastern-wire"),
    ("Continental Review", "continental-review"),
    ("Frontier Herald", "frontier-herald"),
    ("Statecraft", "statecraft"),
    ("Global Dispatch", "global-dispatch"),
];

/// Measure name, unit words, and how values scale.
const MEASURES: [(&str, &str, &str); 12] = [
    ("troops", "troops", "Troops deployed"),
    ("personnel", "personnel", "Personnel serving"),
    ("refugees", "refugees", "Refugees registered"),
    ("displaced", "people", "People displaced"),
    ("casualties", "casualties", "Casualties reported"),
    ("vehicles", "vehicles", "Armoured vehicles"),
    ("aid", "tonnes", "Aid delivered"),
    ("detainees", "detainees", "Detainees held"),
    ("trainers", "trainers", "Trainers assigned"),
    ("bases", "bases", "Bases in use"),
    ("aircraft", "aircraft", "Aircraft committed"),
    ("checkpoints", "checkpoints", "Checkpoints manned"),
];

const MANTISSAS: [u64; 16] = [12, 15, 20, 25, 30, 40, 45, 50, 60, 75, 80, 120, 150, 250, 450, 520];

const CLAUSES: [&str; 28] = [
    "the talks would resume later in the month",
    "the situation along the border remained fragile",
    "supplies were running low along the main road",
    "no decision had been taken on the timetable",
    "the mission would be reviewed before the summer",
    "the agreement still needed the approval of parliament",
    "local commanders had not been consulted",
    "the convoy had been delayed by heavy rain",
    "the ceasefire was largely holding in the north",
    "further sanctions had not been ruled out",
    "the new units would focus on training and advice",
    "the government wanted a gradual handover",
    "the budget for the operation had not been settled",
    "the allies were divided over the pace of the withdrawal",
    "reconstruction would take years rather than months",
    "security at the airport had been tightened",
    "the inquiry would publish its findings in the autumn",
    "the camps were overcrowded and short of clean water",
    "the offensive had stalled on the outskirts of the city",
    "the negotiators had agreed on a prisoner exchange",
    "the monitoring teams had limited access to the area",
    "the decision reflected a long review of the strategy",
    "the reforms would be phased in over several years",
    "the opposition had boycotted the vote",
    "the embassy had reduced its staff as a precaution",
    "the harvest had been badly affected by the drought",
    "the militia had withdrawn from two villages overnight",
    "the donors had pledged more help at the conference",
];

const SUBJECTS: [&str; 10] = [
    "Officials",
    "Diplomats",
    "Analysts",
    "Aid workers",
    "Residents",
    "Lawmakers",
    "Military planners",
    "Observers",
    "Negotiators",
    "People familiar with the discussions",
];

const VERBS: [&str; 8] = ["said", "warned", "noted", "insisted", "acknowledged", "suggested", "argued", "cautioned"];

const TOPICS: [&str; 12] = [
    "the future of the training mission",
    "the security of the northern corridor",
    "the return of displaced families",
    "the terms of the ceasefire",
    "the funding of the reconstruction effort",
    "the handover of the bases",
    "the release of detainees",
    "the reopening of the border crossings",
    "the schedule for the elections",
    "the protection of aid convoys",
    "the reform of the security services",
    "the withdrawal of foreign forces",
];

const QUOTE_OPENERS: [&str; 10] = [
    "We will stay as long as we are welcome",
    "Nobody wants to see a return to the fighting",
    "This is a decision for the people of the region",
    "Our commitment has not changed",
    "We are ready to do more if we are asked",
    "The priority now is to protect civilians",
    "There is no military solution to this conflict",
    "We expect every party to keep its word",
    "The door to dialogue remains open",
    "We have learned the lessons of the past",
];

const QUOTE_LEADS: [&str; 6] =
    ["We believe", "It is clear", "We were told", "Everyone here knows", "We have said all along", "I can confirm"];

const QUOTE_ENDINGS: [&str; 12] = [
    "and we will keep our promises",
    "whatever the critics say",
    "but the situation on the ground is changing fast",
    "and that is what our partners have told us",
    "even if it takes longer than we hoped",
    "and we will not be rushed into a decision",
    "because the alternative is far worse",
    "and the coming weeks will be decisive",
    "as we have said many times before",
    "and our allies understand that very well",
    "although nothing has been signed yet",
    "and we owe it to the families who lost everything",
];

// ---------------------------------------------------------------- model

struct Entity {
    id: String,
    name: String,
    alias: String,
    kind: &'static str,
    role: Option<String>,
    about: String,
}

struct Source {
    id: String,
    title: String,
    outlet: &'static str,
    published: Date,
}

struct Key {
    id: String,
    label: String,
    unit: &'static str,
    value: u64,
}

struct ArticleMeta {
    id: String,
    published: Date,
    day: i64,
    outlet: usize,
    folder: usize,
}

struct PoolQuote {
    text: String,
    speaker: usize,
    /// The first article that used the quote: later uses cite it.
    first_use: Option<usize>,
}

struct World {
    places: Vec<Entity>,
    orgs: Vec<Entity>,
    people: Vec<Entity>,
    sources: Vec<Source>,
    hot_keys: Vec<Key>,
    tail_keys: Vec<Key>,
    articles: Vec<ArticleMeta>,
    quotes: Vec<PoolQuote>,
    /// For each key (hot keys first, then tail keys), the last article stating it.
    last_stated: HashMap<usize, usize>,
}

fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn unique(id: String, used: &mut HashSet<String>) -> String {
    if used.insert(id.clone()) {
        return id;
    }
    let mut n = 2;
    loop {
        let candidate = format!("{id}-{n}");
        if used.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn place_name(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let raw: String = (0..n).map(|_| rng.pick(&SYLLABLES)).collect();
    capitalise(&raw)
}

/// `5200` → `5,200`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl World {
    fn build(n: usize, rng: &mut Rng) -> World {
        let mut entity_ids = HashSet::new();
        let mut source_ids = HashSet::new();

        let place_count = 80 + n / 200;
        let mut place_names = HashSet::new();
        let mut places = Vec::new();
        while places.len() < place_count {
            let name = place_name(rng);
            if !place_names.insert(name.clone()) {
                continue;
            }
            let kind = if places.len() % 4 == 0 { "country" } else { "place" };
            places.push(Entity {
                id: unique(slug(&name), &mut entity_ids),
                alias: name.clone(),
                about: format!("A {} that appears in reports on the regional conflict.", kind),
                name,
                kind,
                role: None,
            });
        }

        let org_count = 40 + n / 500;
        let mut orgs = Vec::new();
        for i in 0..org_count {
            let pattern = ORG_PATTERNS[i % ORG_PATTERNS.len()];
            let country = &places[(i * 7) % places.len()].name;
            let name = pattern.replace("{}", country);
            let short: String = name.split(' ').filter_map(|w| w.chars().next()).filter(|c| c.is_uppercase()).collect();
            orgs.push(Entity {
                id: unique(slug(&name), &mut entity_ids),
                alias: short,
                about: format!("An organisation based in {country}."),
                name,
                kind: "organisation",
                role: None,
            });
        }

        let people_count = (150 + n / 100).min(FIRST_NAMES.len() * LAST_NAMES.len());
        let mut people = Vec::new();
        let mut taken = HashSet::new();
        while people.len() < people_count {
            let (f, l) = (rng.below(FIRST_NAMES.len()), rng.below(LAST_NAMES.len()));
            if !taken.insert((f, l)) {
                continue;
            }
            let (first, last) = (FIRST_NAMES[f], LAST_NAMES[l]);
            let country = &places[rng.below(places.len())].name;
            let role = format!("{} of {}", rng.pick(&ROLES), country);
            people.push(Entity {
                id: unique(format!("{}-{}", slug(last), slug(first)), &mut entity_ids),
                name: format!("{first} {last}"),
                alias: last.to_string(),
                kind: "person",
                about: format!("Public figure from {country}, often quoted on the conflict."),
                role: Some(role),
            });
        }

        let source_count = 200 + n / 20;
        let mut sources = Vec::new();
        for _ in 0..source_count {
            let (outlet, outlet_slug) = rng.pick(&OUTLETS);
            let published = civil(FIRST_DAY + rng.below((LAST_DAY - FIRST_DAY + 1) as usize) as i64);
            let place = &places[rng.below(places.len())].name;
            let title = format!("{}: {}", place, capitalise(rng.pick(&CLAUSES)));
            sources.push(Source {
                id: unique(format!("{outlet_slug}-report-{published}"), &mut source_ids),
                title,
                outlet,
                published,
            });
        }

        let mut key_ids = HashSet::new();
        let mut make_key = |rng: &mut Rng, i: usize, hot: bool| {
            let (measure, unit, label) = MEASURES[rng.below(MEASURES.len())];
            let place = &places[rng.below(places.len())];
            let mantissa = if hot && i == 0 { 50 } else { rng.pick(&MANTISSAS) };
            let scale = if hot && i == 0 { 10 } else { 10u64.pow(rng.below(4) as u32) };
            Key {
                id: unique(format!("{}.{}", place.id, measure), &mut key_ids),
                label: format!("{label} in {}", place.name),
                unit,
                value: mantissa * scale,
            }
        };
        let hot_keys: Vec<Key> = (0..(n / 500).max(5)).map(|i| make_key(rng, i, true)).collect();
        let tail_keys: Vec<Key> = (0..(n / 4).max(30)).map(|i| make_key(rng, i, false)).collect();

        let mut days: Vec<i64> =
            (0..n).map(|_| FIRST_DAY + rng.below((LAST_DAY - FIRST_DAY + 1) as usize) as i64).collect();
        days.sort();
        let mut article_ids = source_ids;
        let articles = days
            .into_iter()
            .enumerate()
            .map(|(i, day)| {
                let outlet = rng.below(OUTLETS.len());
                let published = civil(day);
                let id = unique(format!("{}-{}", OUTLETS[outlet].1, published), &mut article_ids);
                ArticleMeta { id, published, day, outlet, folder: i / PER_FOLDER }
            })
            .collect();

        let quote_count = (n / 5).max(40);
        let quotes = (0..quote_count)
            .map(|i| {
                let opener = QUOTE_OPENERS[i % QUOTE_OPENERS.len()];
                let ending = QUOTE_ENDINGS[(i / QUOTE_OPENERS.len()) % QUOTE_ENDINGS.len()];
                let topic = TOPICS[(i / (QUOTE_OPENERS.len() * QUOTE_ENDINGS.len())) % TOPICS.len()];
                let round = i / (QUOTE_OPENERS.len() * QUOTE_ENDINGS.len() * TOPICS.len());
                let place = &places[(i * 13 + round) % places.len()].name;
                let text = format!("{opener} on {topic} in {place}, {ending}");
                PoolQuote { text, speaker: rng.skewed(people.len()), first_use: None }
            })
            .collect();

        World { places, orgs, people, sources, hot_keys, tail_keys, articles, quotes, last_stated: HashMap::new() }
    }

    fn key(&self, k: usize) -> &Key {
        if k < self.hot_keys.len() {
            &self.hot_keys[k]
        } else {
            &self.tail_keys[k - self.hot_keys.len()]
        }
    }

    fn pick_key(&self, rng: &mut Rng) -> usize {
        if rng.chance(0.25) {
            rng.below(self.hot_keys.len())
        } else {
            self.hot_keys.len() + rng.below(self.tail_keys.len())
        }
    }

    fn mention(&self, rng: &mut Rng, entity: &Entity) -> String {
        let text = if rng.chance(0.4) { &entity.alias } else { &entity.name };
        format!("[{text}]{{ent={}}}", entity.id)
    }

    fn person(&self, rng: &mut Rng) -> &Entity {
        &self.people[rng.skewed(self.people.len())]
    }
    fn place(&self, rng: &mut Rng) -> &Entity {
        &self.places[rng.skewed(self.places.len())]
    }
    fn org(&self, rng: &mut Rng) -> &Entity {
        &self.orgs[rng.skewed(self.orgs.len())]
    }
    fn m_person(&self, rng: &mut Rng) -> String {
        let e = self.person(rng);
        self.mention(rng, e)
    }
    fn m_place(&self, rng: &mut Rng) -> String {
        let e = self.place(rng);
        self.mention(rng, e)
    }
    fn m_org(&self, rng: &mut Rng) -> String {
        let e = self.org(rng);
        self.mention(rng, e)
    }
    fn any_mention(&self, rng: &mut Rng) -> String {
        match rng.below(3) {
            0 => self.m_person(rng),
            1 => self.m_place(rng),
            _ => self.m_org(rng),
        }
    }

    fn source_id(&self, rng: &mut Rng) -> &str {
        &self.sources[rng.below(self.sources.len())].id
    }

    /// An earlier article (or the first one), to cite.
    fn earlier_article(&self, rng: &mut Rng, i: usize) -> usize {
        if i == 0 {
            return 0;
        }
        let back = 1 + rng.below(i.min(400));
        i - back
    }

    /// Prose sentence with one or two mentions.
    fn sentence(&self, rng: &mut Rng) -> String {
        match rng.below(8) {
            0 => format!("{} {} that {}.", rng.pick(&SUBJECTS), rng.pick(&VERBS), rng.pick(&CLAUSES),),
            // Dates and years in prose: digits that are not figures.
            6 => format!("Since {}, {}.", 2003 + rng.below(16), rng.pick(&CLAUSES)),
            7 => format!(
                "{} {} on {} {} that {}.",
                rng.pick(&SUBJECTS),
                rng.pick(&VERBS),
                rng.pick(&MONTHS),
                1 + rng.below(28),
                rng.pick(&CLAUSES)
            ),
            1 => format!(
                "{} met {} in {} to discuss {}.",
                self.m_person(rng),
                self.m_person(rng),
                self.m_place(rng),
                rng.pick(&TOPICS)
            ),
            2 => format!("According to the {}, {}.", self.m_org(rng), rng.pick(&CLAUSES)),
            3 => format!(
                "{} {} that {}, a claim the {} disputed.",
                self.m_person(rng),
                rng.pick(&VERBS),
                rng.pick(&CLAUSES),
                self.m_org(rng),
            ),
            4 => format!(
                "In {}, {} {} that {}.",
                self.m_place(rng),
                rng.pick(&SUBJECTS).to_lowercase(),
                rng.pick(&VERBS),
                rng.pick(&CLAUSES)
            ),
            _ => format!(
                "The debate over {} has divided {} and {} for months.",
                rng.pick(&TOPICS),
                self.any_mention(rng),
                self.any_mention(rng)
            ),
        }
    }

    /// The figure's text and attributes, written so that its interval
    /// contains `value` (or, when `contradict`, lies far above it).
    fn figure(&self, rng: &mut Rng, k: usize, published: Date, contradict: bool) -> String {
        let key = self.key(k);
        let (v, unit) = (key.value, key.unit);
        let mut attrs = format!("fig={}", key.id);
        let text = if contradict {
            format!("more than {} {unit}", thousands(3 * v))
        } else {
            match rng.below(14) {
                0 | 1 => format!("{} {unit}", thousands(v)),
                2 | 3 => format!("about {} {unit}", thousands(v)),
                4 => format!("around {} {unit}", thousands(v)),
                5 => format!("some {} {unit}", thousands(v)),
                6 => format!("roughly {} {unit}", thousands(v)),
                7 => format!("nearly {} {unit}", thousands(v)),
                8 => format!("at least {} {unit}", thousands(v - v / 10)),
                9 => format!("more than {} {unit}", thousands(v - v / 5)),
                10 => format!("up to {} {unit}", thousands(v + v / 5)),
                11 => format!("between {} and {} {unit}", thousands(v - v / 10), thousands(v + v / 10)),
                12 => format!("fewer than {} {unit}", thousands(v + v / 4)),
                _ => {
                    if rng.chance(0.5) {
                        write!(attrs, " value={v}").unwrap();
                    } else {
                        write!(attrs, " value={}..{}", v - v / 10, v + v / 10).unwrap();
                    }
                    format!("a force of that size, {unit} included")
                }
            }
        };
        match rng.below(10) {
            0 => write!(attrs, " asof={}", published.y).unwrap(),
            1 => write!(attrs, " asof={}-{:02}", published.y, published.m).unwrap(),
            _ => {}
        }
        format!("[{text}]{{{attrs}}}")
    }

    /// A figure with its own citation: a source, or an earlier article that
    /// stated the same key.
    fn cited_figure(&mut self, rng: &mut Rng, i: usize, k: usize, contradict: bool) -> String {
        let published = self.articles[i].published;
        // The benchmark's key (hot key 0) contradicts only when the benchmark edits it.
        let figure = self.figure(rng, k, published, contradict && k != 0);
        let cite = match self.last_stated.get(&k) {
            Some(&j) if rng.chance(0.3) => self.articles[j].id.clone(),
            _ => self.source_id(rng).to_string(),
        };
        self.last_stated.insert(k, i);
        format!("{figure}[@{cite}]")
    }

    fn quote(&mut self, rng: &mut Rng, i: usize) -> String {
        let speaker_mention;
        let body;
        if rng.chance(0.7) {
            let q = rng.below(self.quotes.len());
            let mut speaker = self.quotes[q].speaker;
            if rng.chance(0.01) {
                // Deliberate: the same words, a different speaker.
                speaker = (speaker + 1 + rng.below(self.people.len() - 1)) % self.people.len();
            }
            let cite = match self.quotes[q].first_use {
                Some(j) => self.articles[j].id.clone(),
                None => {
                    self.quotes[q].first_use = Some(i);
                    self.source_id(rng).to_string()
                }
            };
            let person = &self.people[speaker];
            speaker_mention = self.mention(rng, person);
            body = format!("[“{},”]{{by={}}}[@{cite}]", self.quotes[q].text, person.id);
        } else {
            // Words seldom repeated; when they are, the speaker is the same.
            let (lead, clause, ending) =
                (rng.below(QUOTE_LEADS.len()), rng.below(CLAUSES.len()), rng.below(QUOTE_ENDINGS.len()));
            let place = rng.below(self.places.len());
            let text = format!(
                "{} that {} in {}, {}",
                QUOTE_LEADS[lead], CLAUSES[clause], self.places[place].name, QUOTE_ENDINGS[ending]
            );
            let mut h = Rng::new((((lead * 31 + clause) * 31 + ending) * 1009 + place) as u64);
            let person = &self.people[h.below(self.people.len())];
            speaker_mention = self.mention(rng, person);
            body = format!("[“{text},”]{{by={}}}[@{}]", person.id, self.source_id(rng));
        }
        let place = self.m_place(rng);
        let day = WEEKDAYS[(self.articles[i].day.rem_euclid(7)) as usize];
        format!("{body} {speaker_mention} told reporters in {place} on {day}. {}", self.sentence(rng))
    }

    /// Writes article `i`; returns its text and, for the benchmark target,
    /// the byte offset of the number to edit.
    /// `target`: write the figure the LSP benchmark edits. `near_target`:
    /// state the same key (the next few articles, so that the edited figure
    /// always has partners in its period, whatever N).
    fn article(&mut self, rng: &mut Rng, i: usize, target: bool, near_target: bool) -> (String, Option<usize>) {
        let meta = &self.articles[i];
        let (outlet, outlet_slug) = OUTLETS[meta.outlet];
        let id = meta.id.clone();
        let published = meta.published;
        let author = {
            let f = FIRST_NAMES[rng.below(FIRST_NAMES.len())];
            let l = LAST_NAMES[rng.below(LAST_NAMES.len())];
            format!("{f} {l}")
        };
        let headline_place = self.place(rng).name.clone();
        let title = format!("{headline_place}: {}", capitalise(rng.pick(&CLAUSES)));
        let mut out = String::with_capacity(3600);
        writeln!(out, "---").unwrap();
        writeln!(out, "id: {id}").unwrap();
        writeln!(out, "title: {title}").unwrap();
        writeln!(out, "outlet: {outlet}").unwrap();
        writeln!(out, "author: {author}").unwrap();
        writeln!(out, "published: {published}").unwrap();
        writeln!(out, "url: https://{outlet_slug}.example.org/news/{}/{}", published.y, slug(&title)).unwrap();
        writeln!(out, "---\n").unwrap();
        writeln!(out, "# {title}\n").unwrap();

        let contradict_at = (!target && rng.chance(1.0 / 200.0)).then(|| rng.below(3));
        let uncited_at = (!target && rng.chance(1.0 / 60.0)).then(|| rng.below(2));
        let mut target_offset = None;

        // Lead.
        let dateline = self.place(rng).name.to_uppercase();
        writeln!(out, "{dateline} — {} {} {}\n", self.sentence(rng), self.sentence(rng), self.sentence(rng)).unwrap();

        // Figure paragraph A: the figure cites its own source.
        if target {
            let key = &self.hot_keys[0];
            let src = self.source_id(rng).to_string();
            let prefix = "[about ";
            target_offset = Some(out.len() + prefix.len());
            writeln!(
                out,
                "{prefix}{} {}]{{fig={}}}[@{src}] remain in the area, {} {}.",
                thousands(key.value),
                key.unit,
                key.id,
                rng.pick(&SUBJECTS).to_lowercase(),
                rng.pick(&VERBS)
            )
            .unwrap();
            self.last_stated.insert(0, i);
            writeln!(out, "{} {}\n", self.sentence(rng), self.sentence(rng)).unwrap();
        } else {
            let k = if near_target { 0 } else { self.pick_key(rng) };
            let fig = self.cited_figure(rng, i, k, contradict_at == Some(0));
            writeln!(
                out,
                "The {} said {fig} were involved, {}. {}\n",
                self.m_org(rng),
                format!("{} {} that {}", rng.pick(&SUBJECTS).to_lowercase(), rng.pick(&VERBS), rng.pick(&CLAUSES)),
                self.sentence(rng)
            )
            .unwrap();
        }

        // Quote.
        let q = self.quote(rng, i);
        writeln!(out, "{q}\n").unwrap();

        // Figure paragraph B: one figure with its own citation, one cited by
        // the paragraph's free-standing citation (or, rarely, by nothing).
        let k1 = self.pick_key(rng);
        let k2 = self.pick_key(rng);
        let fig1 = self.cited_figure(rng, i, k1, contradict_at == Some(1));
        let fig2 = self.figure(rng, k2, published, false);
        let closing = if uncited_at == Some(0) {
            format!("{}.", capitalise(rng.pick(&CLAUSES)))
        } else {
            let cite = match self.last_stated.get(&k2) {
                Some(&j) if rng.chance(0.5) => self.articles[j].id.clone(),
                _ => self.source_id(rng).to_string(),
            };
            self.last_stated.insert(k2, i);
            format!("That is according to [@{cite}].")
        };
        writeln!(
            out,
            "{} put the figure at {fig1}, while {fig2} were reported in {}. {closing}\n",
            self.m_person(rng),
            self.m_place(rng),
        )
        .unwrap();

        // Background.
        writeln!(out, "{} {} {}\n", self.sentence(rng), self.sentence(rng), self.sentence(rng)).unwrap();

        // Second quote.
        let q = self.quote(rng, i);
        writeln!(out, "{q}\n").unwrap();

        // Figure paragraph C.
        let k = self.pick_key(rng);
        let fig = if uncited_at == Some(1) {
            self.figure(rng, k, published, false)
        } else {
            self.cited_figure(rng, i, k, contradict_at == Some(2))
        };
        writeln!(
            out,
            "By the end of the period, {fig} had been counted by the {}. {}\n",
            self.m_org(rng),
            self.sentence(rng)
        )
        .unwrap();

        // Occasional fourth figure and a third quote, to vary the size.
        if rng.chance(0.5) {
            let k = self.pick_key(rng);
            let fig = self.cited_figure(rng, i, k, false);
            writeln!(out, "Separately, {fig} were recorded near {}. {}\n", self.m_place(rng), self.sentence(rng))
                .unwrap();
        }
        if rng.chance(0.4) {
            let q = self.quote(rng, i);
            writeln!(out, "{q}\n").unwrap();
        }

        // Closing paragraph with a free-standing citation of earlier coverage.
        let earlier = self.earlier_article(rng, i);
        let earlier_id = if earlier == i { self.source_id(rng).to_string() } else { self.articles[earlier].id.clone() };
        writeln!(
            out,
            "{} {} Earlier coverage is in [see @{earlier_id}] and [@{}].",
            self.sentence(rng),
            self.sentence(rng),
            self.source_id(rng)
        )
        .unwrap();
        (out, target_offset)
    }
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn entities_file(world: &World) -> String {
    let mut out = String::from("# Entities\n\nPeople, organisations and places the generated articles mention.\n\n");
    for e in world.people.iter().chain(&world.orgs).chain(&world.places) {
        writeln!(out, "::: entity {}", e.id).unwrap();
        writeln!(out, "name: {}", e.name).unwrap();
        writeln!(out, "kind: {}", e.kind).unwrap();
        if let Some(role) = &e.role {
            writeln!(out, "role: {role}").unwrap();
            writeln!(out, "from: 2017-01-01").unwrap();
        }
        writeln!(out, "aliases: {}; {}", e.alias, e.name).unwrap();
        writeln!(out, "about: {}", e.about).unwrap();
        writeln!(out, ":::\n").unwrap();
    }
    out
}

fn sources_file(world: &World) -> String {
    let mut out = String::from("# Sources\n\nWire reports and statements the articles cite.\n\n");
    for s in &world.sources {
        writeln!(out, "::: source {}", s.id).unwrap();
        writeln!(out, "title: {}", s.title).unwrap();
        writeln!(out, "outlet: {}", s.outlet).unwrap();
        writeln!(out, "published: {}", s.published).unwrap();
        writeln!(out, ":::\n").unwrap();
    }
    out
}

fn quantities_file(world: &World) -> String {
    let mut out = String::from("# Quantities\n\nThe figure keys of the generated articles.\n\n");
    for k in world.hot_keys.iter().chain(&world.tail_keys) {
        writeln!(out, "::: quantity {}", k.id).unwrap();
        writeln!(out, "label: {}", k.label).unwrap();
        writeln!(out, "unit: {}", k.unit).unwrap();
        writeln!(out, ":::\n").unwrap();
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut positional = Vec::new();
    let mut seed = 2020u64;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "--seed" {
            seed = it.next().and_then(|s| s.parse().ok()).expect("--seed takes a number");
        } else {
            positional.push(arg.clone());
        }
    }
    let (Some(n), Some(out)) = (positional.first().and_then(|n| n.parse::<usize>().ok()), positional.get(1)) else {
        eprintln!("usage: gen_corpus N OUT [--seed S]");
        std::process::exit(2);
    };
    let n = n.max(1);
    let out = PathBuf::from(out);
    let mut rng = Rng::new(seed);
    let mut world = World::build(n, &mut rng);

    // The corpus is its own project: it is usually generated under target/,
    // which the repository ignores, and a folder belongs to the nearest
    // newsmark.toml above it (src/project.rs).
    write(&out.join("newsmark.toml"), "# A generated benchmark workspace: its own project.\n");
    write(&out.join("entities.news.md"), &entities_file(&world));
    write(&out.join("sources.news.md"), &sources_file(&world));
    write(&out.join("quantities.news.md"), &quantities_file(&world));

    let target_index = n / 2;
    let mut bytes = 0usize;
    let mut manifest = None;
    for i in 0..n {
        let mut article_rng = Rng::new(seed.wrapping_mul(1_000_003).wrapping_add(i as u64));
        let is_target = i == target_index;
        let (text, offset) = world.article(&mut article_rng, i, is_target, i > target_index && i <= target_index + 3);
        let meta = &world.articles[i];
        let relative = format!("articles/{:04}/{}.news.md", meta.folder, meta.id);
        write(&out.join(&relative), &text);
        bytes += text.len();
        if let Some(offset) = offset {
            let line = text[..offset].matches('\n').count();
            let line_start = text[..offset].rfind('\n').map_or(0, |p| p + 1);
            let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
            let key = &world.hot_keys[0];
            manifest = Some(serde_json::json!({
                "path": relative,
                "line": line,
                "character": character,
                "old": thousands(key.value),
                "new": thousands(key.value * 10),
                "key": key.id,
            }));
        }
    }
    let manifest = serde_json::json!({
        "articles": n,
        "files": n + 3,
        "seed": seed,
        "article_bytes": bytes,
        "target": manifest,
    });
    write(&out.join("bench-target.json"), &serde_json::to_string_pretty(&manifest).unwrap());
    eprintln!(
        "gen_corpus: wrote {n} articles ({:.1} MB) + 3 definition files to {}",
        bytes as f64 / 1e6,
        out.display()
    );
}
