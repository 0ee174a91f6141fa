//! Synthetic, realistic listings of a region and the queries people type against
//! them, shared by every subcommand that needs data: the same seed gives the same
//! listings and queries, so Kith, PostgreSQL and tantivy see exactly the same.
//!
//! Adapted from `relay/examples/bench_query.rs` (which stays where it is, as the
//! relay's own micro-benchmark), with real words instead of syllables: job titles
//! from the roles user-led groups advertise, skills, descriptions drawn from job-ad
//! sentences and a skewed vocabulary, Yorkshire and nearby towns with their postcode
//! districts, every kind and sector, some remote, half paid, some filled, some past
//! their closing date, created over two years.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ulid::Ulid;

use kith_proto::Slug;
use kith_proto::domain::{HubProfile, Opportunity, OpportunityKind, OpportunityStatus, Pay, PayPer, Sector};
use kith_proto::time::CivilDate;
use kith_proto::v1;

/// Roles as people write them in a title.
const ROLES: &[&str] = &[
    "gardener",
    "cafe assistant",
    "kitchen porter",
    "peer support worker",
    "support worker",
    "care worker",
    "warehouse operative",
    "admin assistant",
    "bookkeeper",
    "cook",
    "delivery driver",
    "cleaner",
    "carpenter",
    "painter and decorator",
    "receptionist",
    "volunteer coordinator",
    "mentor",
    "group facilitator",
    "peer researcher",
    "graphic designer",
    "web developer",
    "maths tutor",
    "advocate",
    "library assistant",
    "baker",
    "steward",
    "shop assistant",
    "retail assistant",
    "office administrator",
    "helpline volunteer",
    "befriender",
    "apprentice electrician",
    "community organiser",
    "allotment volunteer",
    "bike mechanic",
    "print workshop assistant",
    "radio presenter",
    "theatre technician",
    "music tutor",
    "art workshop leader",
    "photographer",
    "youth worker",
    "outreach worker",
    "involvement lead",
    "trustee",
    "newsletter editor",
    "translator",
    "interpreter",
    "running coach",
    "event host",
    "barista",
    "data entry clerk",
    "dog walker",
    "market stall assistant",
    "sewing tutor",
    "plumber's mate",
    "welder",
    "forklift driver",
    "stock controller",
    "café manager",
    "recovery college tutor",
    "lived experience consultant",
    "housing officer",
    "finance officer",
    "fundraiser",
    "social media volunteer",
    "digital champion",
    "walking group leader",
    "food bank volunteer",
    "furniture restorer",
];

const QUALIFIERS: &[&str] = &[
    "Part-time",
    "Trainee",
    "Senior",
    "Junior",
    "Weekend",
    "Evening",
    "Community",
    "Volunteer",
    "Peer-led",
    "Sessional",
    "Apprentice",
    "Assistant",
];

pub const SKILLS: &[&str] = &[
    "gardening",
    "cooking",
    "listening",
    "driving",
    "bookkeeping",
    "excel",
    "customer service",
    "first aid",
    "food hygiene",
    "carpentry",
    "painting",
    "writing",
    "editing",
    "design",
    "python",
    "web",
    "sewing",
    "welding",
    "plumbing",
    "electrics",
    "teaching",
    "facilitation",
    "mediation",
    "advocacy",
    "research",
    "photography",
    "video",
    "sound",
    "music",
    "languages",
    "bsl",
    "counselling",
    "childcare",
    "caring",
    "retail",
    "stock control",
    "forklift",
    "cycling",
    "mechanics",
    "cleaning",
    "baking",
    "barista",
    "microsoft office",
    "spreadsheets",
    "fundraising",
    "social media",
    "budgeting",
    "public speaking",
    "safeguarding",
    "team work",
];

const SUPPORT: &[&str] =
    &["flexible hours", "job coach", "buddy for the first month", "adjustments on request", "quiet workspace"];

/// Words of job-ad prose, commonest first: descriptions draw from it with a skewed
/// distribution, so a few words are everywhere and most are rare.
const PROSE: &[&str] = &[
    "team",
    "work",
    "help",
    "people",
    "community",
    "support",
    "training",
    "experience",
    "week",
    "hours",
    "friendly",
    "local",
    "group",
    "project",
    "centre",
    "need",
    "learn",
    "skills",
    "time",
    "day",
    "role",
    "join",
    "small",
    "run",
    "user-led",
    "flexible",
    "welcome",
    "shift",
    "garden",
    "food",
    "cafe",
    "shop",
    "office",
    "phone",
    "members",
    "volunteers",
    "peer",
    "service",
    "trust",
    "organisation",
    "lived",
    "mental",
    "health",
    "wellbeing",
    "confidence",
    "recovery",
    "kitchen",
    "customers",
    "visitors",
    "tea",
    "lunch",
    "morning",
    "afternoon",
    "evening",
    "weekend",
    "quiet",
    "busy",
    "calm",
    "safe",
    "space",
    "workshop",
    "tools",
    "bikes",
    "repair",
    "grow",
    "plants",
    "vegetables",
    "allotment",
    "compost",
    "cook",
    "meals",
    "serve",
    "clean",
    "tidy",
    "stock",
    "orders",
    "deliveries",
    "van",
    "driving",
    "licence",
    "accounts",
    "records",
    "spreadsheet",
    "emails",
    "letters",
    "website",
    "design",
    "print",
    "posters",
    "leaflets",
    "newsletter",
    "radio",
    "music",
    "art",
    "craft",
    "paint",
    "photos",
    "video",
    "stories",
    "write",
    "research",
    "survey",
    "interviews",
    "meetings",
    "minutes",
    "agenda",
    "board",
    "trustees",
    "funding",
    "grants",
    "budget",
    "money",
    "pay",
    "expenses",
    "travel",
    "bus",
    "tram",
    "train",
    "walk",
    "outdoors",
    "park",
    "woods",
    "river",
    "canal",
    "library",
    "school",
    "college",
    "university",
    "hospital",
    "ward",
    "surgery",
    "clinic",
    "day",
    "centre",
    "church",
    "hall",
    "estate",
    "tenants",
    "housing",
    "homeless",
    "refugees",
    "asylum",
    "languages",
    "interpreting",
    "translation",
    "children",
    "young",
    "older",
    "families",
    "carers",
    "women",
    "men",
    "lgbtq",
    "black",
    "asian",
    "disabled",
    "deaf",
    "blind",
    "wheelchair",
    "access",
    "ramp",
    "lift",
    "toilet",
    "parking",
    "bike",
    "storage",
    "lockers",
    "uniform",
    "boots",
    "gloves",
    "safety",
    "hygiene",
    "certificate",
    "course",
    "qualification",
    "nvq",
    "apprenticeship",
    "placement",
    "trial",
    "interview",
    "application",
    "form",
    "cv",
    "references",
    "dbs",
    "check",
    "induction",
    "mentor",
    "coach",
    "buddy",
    "supervision",
    "reflective",
    "practice",
    "boundaries",
    "listening",
    "empathy",
    "patience",
    "humour",
    "reliable",
    "punctual",
    "honest",
    "kind",
    "curious",
    "creative",
    "practical",
    "organised",
    "careful",
    "strong",
    "fit",
    "lifting",
    "standing",
    "sitting",
    "computer",
    "laptop",
    "tablet",
    "till",
    "cash",
    "card",
    "payments",
    "barista",
    "coffee",
    "sandwiches",
    "soup",
    "cakes",
    "bread",
    "bakery",
    "oven",
    "dishes",
    "washing",
    "laundry",
    "furniture",
    "restoring",
    "sanding",
    "varnish",
    "joinery",
    "wood",
    "metal",
    "welding",
    "plumbing",
    "wiring",
    "electrics",
    "decorating",
    "wallpaper",
    "plaster",
    "tiles",
    "roof",
    "windows",
    "doors",
    "locks",
    "keys",
    "security",
    "night",
    "overnight",
    "sleep",
    "rota",
    "cover",
    "holiday",
    "sickness",
    "pension",
    "contract",
    "permanent",
    "temporary",
    "fixed",
    "term",
    "sessional",
    "zero",
    "guaranteed",
    "living",
    "wage",
    "hourly",
    "salary",
    "annual",
    "pro",
    "rata",
    "benefits",
    "permitted",
    "earnings",
    "universal",
    "credit",
    "advice",
    "debt",
    "welfare",
    "rights",
    "advocacy",
    "campaign",
    "change",
    "voice",
    "involvement",
    "coproduction",
    "consultation",
    "feedback",
    "forum",
    "panel",
    "steering",
    "committee",
    "chair",
    "treasurer",
    "secretary",
    "minute",
    "taker",
    "host",
    "welcome",
    "reception",
    "front",
    "desk",
    "signposting",
    "referrals",
    "helpline",
    "calls",
    "texts",
    "chat",
    "online",
    "zoom",
    "video",
    "remote",
    "home",
    "hybrid",
    "travel",
    "region",
    "city",
    "town",
    "village",
    "north",
    "south",
    "east",
    "west",
    "yorkshire",
    "leeds",
    "bradford",
    "wakefield",
    "huddersfield",
    "halifax",
    "calderdale",
    "kirklees",
    "sheffield",
    "york",
    "manchester",
];

/// Towns and the postcode districts of their areas, as hubs write an area.
const TOWNS: &[(&str, &str, u8)] = &[
    ("Leeds", "LS", 29),
    ("Bradford", "BD", 24),
    ("Wakefield", "WF", 17),
    ("Huddersfield", "HD", 9),
    ("Halifax", "HX", 7),
    ("Sheffield", "S", 36),
    ("Manchester", "M", 40),
    ("York", "YO", 32),
    ("Keighley", "BD", 22),
    ("Dewsbury", "WF", 13),
    ("Harrogate", "HG", 5),
    ("Doncaster", "DN", 12),
];

/// An index skewed towards 0: a few values are very common, most are rare.
fn skewed(rng: &mut StdRng, n: usize) -> usize {
    let u: f64 = rng.r#gen();
    (((u * u * u) * n as f64) as usize).min(n - 1)
}

fn syllable_word(rng: &mut StdRng) -> String {
    const SYL: &[&str] =
        &["ka", "lo", "mi", "ren", "dal", "tor", "vi", "sen", "bra", "mul", "pe", "zor", "fin", "gal", "hu", "quo"];
    let n = rng.gen_range(2..=4);
    (0..n).map(|_| SYL[rng.gen_range(0..SYL.len())]).collect()
}

fn capitalised(word: &str) -> String {
    let mut c = word.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One opportunity and the hub (index into [`Region::hubs`]) that published it.
#[derive(Clone, Debug)]
pub struct Listing {
    pub hub: usize,
    pub item: Opportunity,
    /// The hub's clock when it published it (the id's time).
    pub created_ms: i64,
}

/// A synthetic region: hubs, their keys, and their opportunities oldest first.
pub struct Region {
    pub hubs: Vec<Slug>,
    pub listings: Vec<Listing>,
    /// Every area of the region, commonest first.
    pub areas: Vec<String>,
    /// Names of organisations: the rare words of descriptions.
    pub orgs: Vec<String>,
}

/// The deterministic signing key of hub number `i`.
pub fn hub_key(i: usize) -> ed25519_dalek::SigningKey {
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&(i as u64 + 1).to_le_bytes());
    seed[31] = 0x4b;
    ed25519_dalek::SigningKey::from_bytes(&seed)
}

pub fn hub_slug(i: usize) -> Slug {
    Slug::parse("hub", &format!("hub-{i:04}")).expect("a hub slug")
}

/// The number of the hub whose subject this is ([`hub_slug`]'s inverse).
pub fn hub_of_subject(subject: &str) -> Option<usize> {
    subject.split('.').nth(2).and_then(|h| h.strip_prefix("hub-")).and_then(|n| n.parse().ok())
}

pub fn hub_profile(i: usize) -> HubProfile {
    HubProfile {
        name: format!("User-led group {i}"),
        description: "A peer-run group".into(),
        contact: "hello@example.org".into(),
        helpline_hours: String::new(),
        signing_key: hub_key(i).verifying_key().to_bytes(),
        box_key: [0; 32],
        rotations: vec![],
        left: false,
        digest: None,
        asks: Default::default(),
        unmet_work: Vec::new(),
        language: String::new(),
    }
}

pub fn areas() -> Vec<String> {
    let mut areas = Vec::new();
    // Interleaved so that the skewed pick favours the first districts of every town.
    for d in 1..=40u8 {
        for (town, prefix, max) in TOWNS {
            if d <= *max {
                areas.push(format!("{town} {prefix}{d}"));
            }
        }
    }
    areas
}

impl Region {
    /// `total` opportunities spread over `hubs` hubs, created over the two years
    /// before `now_ms`, from `seed`.
    pub fn generate(seed: u64, total: usize, hubs: usize, now_ms: i64) -> Region {
        let mut rng = StdRng::seed_from_u64(seed);
        let areas = areas();
        let orgs: Vec<String> = (0..3_000).map(|_| capitalised(&syllable_word(&mut rng))).collect();
        let mut region =
            Region { hubs: (0..hubs).map(hub_slug).collect(), listings: Vec::with_capacity(total), areas, orgs };
        let today_days = now_ms / 86_400_000;
        let two_years_ms = 2 * 365 * 86_400_000i64;
        for i in 0..total {
            let created = now_ms - two_years_ms + (i as i64 * two_years_ms / total.max(1) as i64);
            let item = region.opportunity(&mut rng, created, today_days);
            region.listings.push(Listing { hub: rng.gen_range(0..hubs), item, created_ms: created });
        }
        region
    }

    fn opportunity(&self, rng: &mut StdRng, created_ms: i64, today_days: i64) -> Opportunity {
        let id = Ulid::from_parts(created_ms as u64, rng.r#gen());
        let role = ROLES[skewed(rng, ROLES.len())];
        let title = if rng.gen_bool(0.35) {
            format!("{} {role}", QUALIFIERS[rng.gen_range(0..QUALIFIERS.len())])
        } else {
            capitalised(role)
        };
        let org = &self.orgs[rng.gen_range(0..self.orgs.len())];
        let mut description = format!("{org} is a user-led group looking for a {role}.");
        let words = rng.gen_range(15..=40);
        for w in 0..words {
            description.push(' ');
            description.push_str(PROSE[skewed(rng, PROSE.len())]);
            if w % 9 == 8 {
                description.push('.');
            }
        }
        description.push('.');
        let skills: Vec<String> =
            (0..rng.gen_range(1..=4)).map(|_| SKILLS[skewed(rng, SKILLS.len())].to_string()).collect();
        let closes_on = rng.gen_bool(0.6).then(|| {
            let day = today_days + rng.gen_range(-200..200);
            CivilDate::at(day * 86_400_000, &jiff::tz::TimeZone::UTC)
        });
        Opportunity {
            id,
            title,
            kind: OpportunityKind::ALL[rng.gen_range(0..OpportunityKind::ALL.len())],
            sector: if rng.gen_bool(0.7) { Sector::Ordinary } else { Sector::MentalHealth },
            description,
            area: self.areas[skewed(rng, self.areas.len())].clone(),
            remote: rng.gen_bool(0.15),
            hours_per_week: Some(rng.gen_range(4..=37) as f32),
            pay: if rng.gen_bool(0.5) {
                Pay::Paid { pence: rng.gen_range(1_100..2_500), per: PayPer::Hour }
            } else {
                Pay::Unpaid
            },
            expenses_paid: rng.gen_bool(0.5),
            skills,
            support: vec![SUPPORT[rng.gen_range(0..SUPPORT.len())].into()],
            lived_experience_required: rng.gen_bool(0.2),
            how_to_apply: "Ring the hub".into(),
            closes_on,
            status: if rng.gen_bool(0.9) { OpportunityStatus::Open } else { OpportunityStatus::Filled },
        }
    }
}

/// The shapes of query the benchmark times, each a fifth of the queries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shape {
    OneWord,
    SeveralWords,
    Misspelling,
    WordAreaKindPaid,
    FiltersOnly,
    /// A word, nearest first from a town or a district (`--near`): a shape of its
    /// own, outside "all queries", so that those stay comparable between runs.
    Near,
}

impl Shape {
    /// The shapes of "all queries", in turn.
    pub const ALL: [Shape; 5] =
        [Shape::OneWord, Shape::SeveralWords, Shape::Misspelling, Shape::WordAreaKindPaid, Shape::FiltersOnly];
    /// Every shape timed.
    pub const TIMED: [Shape; 6] = [
        Shape::OneWord,
        Shape::SeveralWords,
        Shape::Misspelling,
        Shape::WordAreaKindPaid,
        Shape::FiltersOnly,
        Shape::Near,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Shape::OneWord => "one word",
            Shape::SeveralWords => "several words",
            Shape::Misspelling => "misspelling",
            Shape::WordAreaKindPaid => "word+area+kind+paid",
            Shape::FiltersOnly => "filters only",
            Shape::Near => "word near a place",
        }
    }
}

/// One query, engine-neutral: what a person typed and the filters they set.
#[derive(Clone, Debug)]
pub struct Query {
    pub shape: Shape,
    pub text: String,
    pub area: String,
    pub kind: Option<OpportunityKind>,
    pub sector: Option<Sector>,
    pub paid_only: bool,
    /// Nearest first from this town or postcode district.
    pub near: String,
}

impl Query {
    /// The same query as the relay's gRPC API receives it.
    pub fn request(&self) -> v1::SearchOpportunitiesRequest {
        v1::SearchOpportunitiesRequest {
            query: self.text.clone(),
            kind: self.kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
            sector: self.sector.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            area: self.area.clone(),
            paid_only: self.paid_only,
            near: self.near.clone(),
            page_size: PAGE as u32,
            ..Default::default()
        }
    }
}

/// Results asked for by every query: the API's default page.
pub const PAGE: usize = 50;

/// One typo: a letter dropped, doubled, swapped with the next, or replaced.
fn misspell(rng: &mut StdRng, word: &str) -> String {
    let mut c: Vec<char> = word.chars().collect();
    let i = rng.gen_range(1..c.len() - 1);
    match rng.gen_range(0..4) {
        0 => {
            c.remove(i);
        }
        1 => c.insert(i, c[i]),
        2 => c.swap(i, i + 1),
        _ => {
            let letters: Vec<char> = "aeioustrnl".chars().filter(|l| *l != c[i]).collect();
            c[i] = letters[rng.gen_range(0..letters.len())];
        }
    }
    c.into_iter().collect()
}

/// A word people search for: a word of a role or a skill, commonest first.
fn search_word(rng: &mut StdRng) -> String {
    if rng.gen_bool(0.6) {
        let role = ROLES[skewed(rng, ROLES.len())];
        let words: Vec<&str> = role.split(' ').filter(|w| w.len() > 3).collect();
        if let Some(w) = words.get(rng.gen_range(0..words.len().max(1))) {
            return w.to_string();
        }
        return role.to_owned();
    }
    let skill = SKILLS[skewed(rng, SKILLS.len())];
    skill.split(' ').next().unwrap_or(skill).to_owned()
}

/// `count` queries, the shapes of [`Shape::ALL`] in turn, then as many again of
/// [`Shape::Near`] as of each of them, from `seed`.
pub fn queries(seed: u64, count: usize, region: &Region) -> Vec<Query> {
    let mut rng = StdRng::seed_from_u64(seed);
    let none = |shape| Query {
        shape,
        text: String::new(),
        area: String::new(),
        kind: None,
        sector: None,
        paid_only: false,
        near: String::new(),
    };
    let near = count / Shape::ALL.len();
    (0..count + near)
        .map(|i| {
            let shape = if i < count { Shape::ALL[i % Shape::ALL.len()] } else { Shape::Near };
            let mut q = none(shape);
            match shape {
                Shape::OneWord => q.text = search_word(&mut rng),
                Shape::SeveralWords => {
                    // A role as typed, sometimes with a skill or a town after it.
                    let mut text = ROLES[skewed(&mut rng, ROLES.len())].to_owned();
                    if !text.contains(' ') || rng.gen_bool(0.3) {
                        let extra = match rng.gen_range(0..2) {
                            0 => SKILLS[skewed(&mut rng, SKILLS.len())].to_owned(),
                            _ => TOWNS[skewed(&mut rng, TOWNS.len())].0.to_lowercase(),
                        };
                        text = format!("{text} {extra}");
                    }
                    q.text = text;
                }
                Shape::Misspelling => {
                    let word = loop {
                        let w = search_word(&mut rng);
                        if w.chars().count() >= 6 && w.chars().all(|c| c.is_ascii_alphabetic()) {
                            break w;
                        }
                    };
                    q.text = misspell(&mut rng, &word);
                }
                Shape::WordAreaKindPaid => {
                    q.text = search_word(&mut rng);
                    q.area = town_or_district(&mut rng, region);
                    q.kind = Some(OpportunityKind::ALL[rng.gen_range(0..OpportunityKind::ALL.len())]);
                    q.paid_only = true;
                }
                Shape::FiltersOnly => {
                    if rng.gen_bool(0.7) {
                        q.kind = Some(OpportunityKind::ALL[rng.gen_range(0..OpportunityKind::ALL.len())]);
                    }
                    if rng.gen_bool(0.4) {
                        q.sector = Some(if rng.gen_bool(0.5) { Sector::Ordinary } else { Sector::MentalHealth });
                    }
                    if rng.gen_bool(0.6) {
                        q.area = town_or_district(&mut rng, region);
                    }
                    q.paid_only = rng.gen_bool(0.5);
                }
                Shape::Near => {
                    q.text = search_word(&mut rng);
                    // A place people would type: one the region's places know
                    // (some synthetic districts, such as S29, do not exist).
                    q.near = loop {
                        let place = town_or_district(&mut rng, region);
                        if crate::pg::point_of(&place).is_some() {
                            break place;
                        }
                    };
                }
            }
            q
        })
        .collect()
}

/// An area as a person filters by it: a town, or a postcode district.
fn town_or_district(rng: &mut StdRng, region: &Region) -> String {
    let area = &region.areas[skewed(rng, region.areas.len())];
    let (town, district) = area.split_once(' ').unwrap_or((area, area));
    if rng.gen_bool(0.5) { town.to_owned() } else { district.to_owned() }
}

/// The words an area filter matches, as PostgreSQL and tantivy index them: every
/// word of the area folded to lower case, and for a postcode district (`LS6`) its
/// postcode area too (`ls`), as the relay does.
pub fn area_words(area: &str) -> Vec<String> {
    let mut words = Vec::new();
    for w in area.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let w = w.to_lowercase();
        let letters: String = w.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let is_district = !letters.is_empty()
            && letters.len() <= 2
            && w.len() > letters.len()
            && w[letters.len()..].chars().all(|c| c.is_ascii_alphanumeric());
        if is_district && !words.contains(&letters) {
            words.push(letters);
        }
        if !words.contains(&w) {
            words.push(w);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn districts_also_give_their_postcode_area() {
        assert_eq!(area_words("Leeds LS6"), vec!["leeds", "ls", "ls6"]);
        assert_eq!(area_words("Sheffield S1"), vec!["sheffield", "s", "s1"]);
        assert_eq!(area_words("Hebden Bridge"), vec!["hebden", "bridge"]);
    }

    #[test]
    fn the_same_seed_gives_the_same_region_and_queries() {
        let a = Region::generate(1, 200, 5, 1_790_000_000_000);
        let b = Region::generate(1, 200, 5, 1_790_000_000_000);
        assert_eq!(
            a.listings.iter().map(|l| l.item.id).collect::<Vec<_>>(),
            b.listings.iter().map(|l| l.item.id).collect::<Vec<_>>()
        );
        let qa: Vec<String> = queries(2, 50, &a).into_iter().map(|q| q.text).collect();
        let qb: Vec<String> = queries(2, 50, &b).into_iter().map(|q| q.text).collect();
        assert_eq!(qa, qb);
        for l in &a.listings {
            l.item.clone().validate().expect("generated listings are valid");
        }
    }
}
