//! Query latency of the relay's view at the scale Kith is designed for: 1,000 hubs
//! and 1,000,000 live opportunities. Prints percentiles; asserts nothing.
//!
//! ```text
//! cargo run --release -p kith-relay --example bench_query [-- OPPORTUNITIES HUBS]
//! ```
//!
//! The view is filled through [`View::restore`], the path a relay takes when it
//! loads its store (in id order, as the store holds them), with synthetic listings
//! created over two years: titles and skills from small
//! vocabularies, descriptions of 15–40 words drawn with a skewed (Zipf-like)
//! distribution from 5,000 words, 400 areas, every kind and sector, some remote,
//! half paid, some filled, some past their closing date.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::{Duration, Instant};
use ulid::Ulid;

use kith_proto::Slug;
use kith_proto::domain::{HubProfile, Opportunity, OpportunityKind, OpportunityStatus, Pay, PayPer, Sector};
use kith_proto::time::{CivilDate, now_ms};
use kith_relay::search::{Position, TextQuery};
use kith_relay::store::{EntityRecord, HubRecord, Record};
use kith_relay::text::words;
use kith_relay::view::{OpportunityQuery, View};

const TITLE_WORDS: &[&str] = &[
    "gardener",
    "cafe",
    "assistant",
    "peer",
    "support",
    "worker",
    "trainer",
    "bookkeeper",
    "cook",
    "driver",
    "cleaner",
    "carpenter",
    "painter",
    "receptionist",
    "coordinator",
    "mentor",
    "facilitator",
    "researcher",
    "designer",
    "developer",
    "tutor",
    "advocate",
    "librarian",
    "baker",
    "porter",
    "steward",
    "warehouse",
    "shop",
    "retail",
    "admin",
    "office",
    "helpline",
    "befriender",
    "volunteer",
    "apprentice",
    "community",
    "allotment",
    "kitchen",
    "bike",
    "repair",
    "print",
    "radio",
    "theatre",
    "music",
    "art",
    "photography",
    "youth",
    "outreach",
    "involvement",
    "trustee",
    "editor",
    "translator",
    "interpreter",
    "coach",
    "host",
];

const SKILLS: &[&str] = &[
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
];

fn syllable_word(rng: &mut StdRng) -> String {
    const SYL: &[&str] =
        &["ka", "lo", "mi", "ren", "dal", "tor", "vi", "sen", "bra", "mul", "pe", "zor", "fin", "gal", "hu", "quo"];
    let n = rng.gen_range(2..=4);
    (0..n).map(|_| SYL[rng.gen_range(0..SYL.len())]).collect()
}

/// An index skewed towards 0: a few words are very common, most are rare.
fn skewed(rng: &mut StdRng, n: usize) -> usize {
    let u: f64 = rng.r#gen();
    ((u * u * u) * n as f64) as usize
}

struct Data {
    vocab: Vec<String>,
    areas: Vec<String>,
    hubs: Vec<Slug>,
}

fn data(rng: &mut StdRng, hubs: usize) -> Data {
    let mut vocab: Vec<String> = TITLE_WORDS.iter().map(|w| w.to_string()).collect();
    while vocab.len() < 5_000 {
        vocab.push(syllable_word(rng));
    }
    let areas = (0..400)
        .map(|i| {
            let town = syllable_word(rng);
            let mut t = town[..1].to_uppercase();
            t.push_str(&town[1..]);
            format!("{t} {}{}", ["LS", "BD", "HX", "WF", "HD", "M", "S", "YO"][i % 8], i % 30 + 1)
        })
        .collect();
    let hubs = (0..hubs).map(|i| Slug::parse("hub", &format!("hub-{i:04}")).unwrap()).collect();
    Data { vocab, areas, hubs }
}

fn opportunity(rng: &mut StdRng, d: &Data, created_ms: i64, today_days: i64) -> Opportunity {
    let id = Ulid::from_parts(created_ms as u64, rng.r#gen());
    let title: Vec<&str> = (0..rng.gen_range(2..=5)).map(|_| TITLE_WORDS[skewed(rng, TITLE_WORDS.len())]).collect();
    let description: Vec<&str> =
        (0..rng.gen_range(15..=40)).map(|_| d.vocab[skewed(rng, d.vocab.len())].as_str()).collect();
    let skills: Vec<String> =
        (0..rng.gen_range(1..=4)).map(|_| SKILLS[rng.gen_range(0..SKILLS.len())].to_string()).collect();
    let closes_on = rng.gen_bool(0.6).then(|| {
        let day = today_days + rng.gen_range(-200..200);
        CivilDate::from_unix_ms(day * 86_400_000)
    });
    Opportunity {
        id,
        title: title.join(" "),
        kind: OpportunityKind::ALL[rng.gen_range(0..OpportunityKind::ALL.len())],
        sector: if rng.gen_bool(0.7) { Sector::Ordinary } else { Sector::MentalHealth },
        description: description.join(" "),
        area: d.areas[skewed(rng, d.areas.len())].clone(),
        remote: rng.gen_bool(0.15),
        hours_per_week: Some(rng.gen_range(4..=37) as f32),
        pay: if rng.gen_bool(0.5) {
            Pay::Paid { pence: rng.gen_range(1_100..2_500), per: PayPer::Hour }
        } else {
            Pay::Unpaid
        },
        expenses_paid: rng.gen_bool(0.5),
        skills,
        support: vec!["flexible hours".into()],
        lived_experience_required: rng.gen_bool(0.2),
        how_to_apply: "Ring the hub".into(),
        closes_on,
        status: if rng.gen_bool(0.9) { OpportunityStatus::Open } else { OpportunityStatus::Filled },
    }
}

fn rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kb| kb / 1024)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let total: usize = args.next().map_or(1_000_000, |a| a.parse().expect("OPPORTUNITIES: a number"));
    let hub_count: usize = args.next().map_or(1_000, |a| a.parse().expect("HUBS: a number"));
    let mut rng = StdRng::seed_from_u64(2026);
    let now = now_ms();
    let today = CivilDate::today();
    let today_days = now / 86_400_000;
    let d = data(&mut rng, hub_count);

    let started = Instant::now();
    let mut view = View::new(today);
    for (i, hub) in d.hubs.iter().enumerate() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[(i % 251) as u8 + 1; 32]).verifying_key().to_bytes();
        let profile = HubProfile {
            name: format!("Hub {i}"),
            description: String::new(),
            contact: String::new(),
            helpline_hours: String::new(),
            signing_key: key,
            box_key: [0; 32],
        };
        let record = HubRecord { profile, seq: 1, at_ms: now };
        view.restore(Record::Hub { hub: hub.clone(), record }).unwrap();
    }
    let two_years_ms = 2 * 365 * 86_400_000;
    let mut sample = Vec::new();
    for i in 0..total {
        let created = now - two_years_ms + (i as i64 * two_years_ms / total as i64);
        let o = opportunity(&mut rng, &d, created, today_days);
        let hub = d.hubs[rng.gen_range(0..d.hubs.len())].clone();
        if i % (total / 10_000).max(1) == 0 {
            sample.push((hub.clone(), o.clone()));
        }
        let record = EntityRecord { seq: 2, at_ms: now, item: Some(o.clone()) };
        view.restore(Record::Opportunity { hub, id: o.id, record }).unwrap();
    }
    let counts = view.counts();
    println!(
        "filled {} opportunities across {} hubs in {:.1?}; resident memory {} MB",
        counts.opportunities,
        counts.hubs,
        started.elapsed(),
        rss_mb().map_or("?".into(), |m| m.to_string())
    );

    let common = |rng: &mut StdRng| d.vocab[skewed(rng, 200)].clone();
    let rare = |rng: &mut StdRng| d.vocab[rng.gen_range(2_000..5_000)].clone();
    let any_kind = |rng: &mut StdRng| OpportunityKind::ALL[rng.gen_range(0..OpportunityKind::ALL.len())];
    type MakeQuery<'a> = Box<dyn Fn(&mut StdRng) -> OpportunityQuery + 'a>;
    let cases: Vec<(&str, MakeQuery<'_>)> = vec![
        ("open, no filter", Box::new(|_| OpportunityQuery::default())),
        ("kind", Box::new(|rng| OpportunityQuery { kind: Some(any_kind(rng)), ..Default::default() })),
        ("one common word", Box::new(|rng| OpportunityQuery { text: text(vec![common(rng)]), ..Default::default() })),
        ("one rare word", Box::new(|rng| OpportunityQuery { text: text(vec![rare(rng)]), ..Default::default() })),
        (
            "two words",
            Box::new(|rng| OpportunityQuery { text: text(vec![common(rng), common(rng)]), ..Default::default() }),
        ),
        (
            "common + rare word",
            Box::new(|rng| OpportunityQuery { text: text(vec![common(rng), rare(rng)]), ..Default::default() }),
        ),
        (
            "skill + area",
            Box::new(|rng| OpportunityQuery {
                text: text(words(SKILLS[rng.gen_range(0..SKILLS.len())]).collect()),
                area: words(&d.areas[rng.gen_range(0..d.areas.len())]).collect(),
                ..Default::default()
            }),
        ),
        (
            "hub",
            Box::new(|rng| OpportunityQuery {
                hub: Some(d.hubs[rng.gen_range(0..d.hubs.len())].clone()),
                ..Default::default()
            }),
        ),
        (
            "kind+sector+paid+remote",
            Box::new(|rng| OpportunityQuery {
                kind: Some(any_kind(rng)),
                sector: Some(Sector::MentalHealth),
                paid_only: true,
                remote_only: true,
                ..Default::default()
            }),
        ),
        (
            "word+area+kind+paid",
            Box::new(|rng| OpportunityQuery {
                text: text(vec![common(rng)]),
                area: words(&d.areas[skewed(rng, d.areas.len())]).collect(),
                kind: Some(any_kind(rng)),
                paid_only: true,
                ..Default::default()
            }),
        ),
        (
            "closed included, 500/page",
            Box::new(|_| OpportunityQuery { include_closed: true, page_size: 500, ..Default::default() }),
        ),
        ("no match", Box::new(|_| OpportunityQuery { text: text(vec!["nosuchword".into()]), ..Default::default() })),
    ];

    const RUNS: usize = 300;
    println!(
        "{:<28} {:>9} {:>9} {:>9} {:>9} {:>8}",
        "query (page 50 unless said)", "p50 µs", "p90 µs", "p99 µs", "max µs", "hits"
    );
    for (name, make) in &cases {
        let mut times = Vec::with_capacity(RUNS);
        let mut hits = 0;
        for _ in 0..RUNS {
            let q = make(&mut rng);
            let t = Instant::now();
            let page = view.search_opportunities(&q, today).expect("no deadline");
            times.push(t.elapsed());
            hits += page.items.len();
        }
        times.sort();
        let us = |d: Duration| d.as_micros();
        println!(
            "{:<28} {:>9} {:>9} {:>9} {:>9} {:>8.1}",
            name,
            us(percentile(&times, 0.5)),
            us(percentile(&times, 0.9)),
            us(percentile(&times, 0.99)),
            us(times[times.len() - 1]),
            hits as f64 / RUNS as f64
        );
    }

    // Paging: ten pages of a common word, each from the previous page's token.
    let mut times = Vec::new();
    for _ in 0..30 {
        let word = common(&mut rng);
        let mut after: Option<Position> = None;
        for _ in 0..10 {
            let q = OpportunityQuery { text: text(vec![word.clone()]), after, ..Default::default() };
            let t = Instant::now();
            let page = view.search_opportunities(&q, today).expect("no deadline");
            times.push(t.elapsed());
            match page.next {
                Some(k) => after = Some(k),
                None => break,
            }
        }
    }
    times.sort();
    println!(
        "{:<28} {:>9} {:>9} {:>9} {:>9}",
        "pages 1-10 of a word",
        percentile(&times, 0.5).as_micros(),
        percentile(&times, 0.9).as_micros(),
        percentile(&times, 0.99).as_micros(),
        times[times.len() - 1].as_micros()
    );

    // Live changes, as ingest applies them (signature checks not included): updates
    // of existing opportunities anywhere in the order, and new ones.
    let started = Instant::now();
    for (i, (hub, o)) in sample.iter().enumerate() {
        let mut o = o.clone();
        o.title = format!("{} {}", o.title, common(&mut rng));
        let record = EntityRecord { seq: 3 + i as u64, at_ms: now, item: Some(o.clone()) };
        view.restore(Record::Opportunity { hub: hub.clone(), id: o.id, record }).unwrap();
    }
    let updates = started.elapsed();
    let started = Instant::now();
    for i in 0..sample.len() {
        let o = opportunity(&mut rng, &d, now + i as i64, today_days);
        let hub = d.hubs[rng.gen_range(0..d.hubs.len())].clone();
        let record = EntityRecord { seq: 2, at_ms: now, item: Some(o.clone()) };
        view.restore(Record::Opportunity { hub, id: o.id, record }).unwrap();
    }
    let inserts = started.elapsed();
    println!(
        "apply: {:.1} µs per update of an existing opportunity, {:.1} µs per new one ({} each)",
        updates.as_secs_f64() * 1e6 / sample.len() as f64,
        inserts.as_secs_f64() * 1e6 / sample.len() as f64,
        sample.len()
    );
}

/// Query words as typed and finished (no prefix widening).
fn text(words: Vec<String>) -> TextQuery {
    TextQuery { words, prefix_last: false }
}
