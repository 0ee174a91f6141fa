//! The view's unit tests: apply, restore, quotas, search, digests, images.

use super::family::page_size;
use super::*;
use crate::query::safe_house_v1;
use crate::search::{Position, TextQuery};
use ed25519_dalek::SigningKey;
use kith_proto::domain::{
    Availability, ForTag, Opportunity, OpportunityKind, OpportunityStatus, Pay, PayPer, SafeHouse, Sector,
};
use kith_proto::envelope::{open, seal};
use kith_proto::event::Family as Kind;
use kith_proto::referral::{ReferralSide, ReferralStatus, Role, Step};
use kith_proto::service::Service;
use kith_text::words;

const DAY: &str = "2026-11-26";

fn slug(s: &str) -> Slug {
    Slug::parse("t", s).unwrap()
}

fn today() -> CivilDate {
    DAY.parse().unwrap()
}

/// A test hub that seals events and opens them as the relay would.
struct Hub {
    slug: Slug,
    key: SigningKey,
    seq: u64,
}

impl Hub {
    fn new(name: &str, seed: u8) -> Hub {
        Hub { slug: slug(name), key: SigningKey::from_bytes(&[seed; 32]), seq: 0 }
    }

    fn opened(&mut self, event: Event) -> Opened {
        self.seq += 1;
        self.opened_at(self.seq, event)
    }

    fn opened_at(&self, seq: u64, event: Event) -> Opened {
        self.sealed_at(seq, 1_000 + seq as i64, event)
    }

    /// The next event, signed as written at `at_ms` by the hub's clock.
    fn opened_dated(&mut self, at_ms: i64, event: Event) -> Opened {
        self.seq += 1;
        self.sealed_at(self.seq, at_ms, event)
    }

    fn sealed_at(&self, seq: u64, at_ms: i64, event: Event) -> Opened {
        let sealed = seal(&slug("wy"), &self.slug, seq, at_ms, &event, &self.key).unwrap();
        open(&sealed.bytes, &sealed.subject.to_string(), Some(&self.key.verifying_key())).unwrap()
    }

    fn profile(&self) -> Event {
        Event::Profile(HubProfile {
            name: format!("Hub {}", self.slug),
            description: String::new(),
            contact: "ring 0113 496 0000".into(),
            helpline_hours: String::new(),
            signing_key: self.key.verifying_key().to_bytes(),
            box_key: [9; 32],
            rotations: vec![],
            left: false,
            digest: None,
            asks: Default::default(),
            unmet_work: Vec::new(),
            language: String::new(),
        })
    }
}

fn opportunity(title: &str) -> Opportunity {
    Opportunity {
        id: Ulid::new(),
        title: title.into(),
        kind: OpportunityKind::PaidJob,
        sector: Sector::Ordinary,
        description: "Grow veg with the co-op".into(),
        area: "Leeds LS6".into(),
        remote: false,
        hours_per_week: Some(16.0),
        pay: Pay::Paid { pence: 1221, per: PayPer::Hour },
        expenses_paid: true,
        skills: vec!["Gardening".into()],
        support: vec![],
        lived_experience_required: false,
        how_to_apply: String::new(),
        closes_on: None,
        status: OpportunityStatus::Open,
    }
}

fn house(name: &str, tags: &[ForTag], availability: Option<Availability>) -> SafeHouse {
    SafeHouse {
        id: Ulid::new(),
        name: name.into(),
        area: "Leeds".into(),
        for_tags: tags.to_vec(),
        beds_total: 4,
        wheelchair_access: false,
        self_referral: true,
        longest_stay_nights: None,
        phone: String::new(),
        description: String::new(),
        availability,
    }
}

fn applied(view: &mut View, opened: Opened) -> Record {
    match view.apply(&opened) {
        Outcome::Applied(r) => *r,
        other => panic!("expected applied, got {other:?}"),
    }
}

/// The sections of a view's image, as a checkpoint writes them.
fn image_of(view: &View) -> Vec<Vec<u8>> {
    (0..view.sections())
        .map(|i| {
            let mut bytes = Vec::new();
            view.write_section(i, &mut bytes).unwrap();
            bytes
        })
        .collect()
}

/// A view with one hub whose profile is pinned.
fn view_with(hub: &mut Hub) -> View {
    let mut view = View::new(today());
    let p = hub.profile();
    applied(&mut view, hub.opened(p));
    view
}

#[test]
fn repairs_the_hub_did_not_hear_are_asked_for_again_soon_and_heard_ones_ever_more_rarely() {
    let mut garden = Hub::new("peer-garden", 1);
    let mut view = view_with(&mut garden);
    // The hub says it published one listing the view never saw.
    let mut theirs = kith_proto::digest::HubDigest::default();
    theirs.family_mut(Kind::Opportunities).add(Ulid::new(), 7);
    let s = 1_000;
    let hub = garden.slug.clone();
    let asks = |view: &mut View, at_s: i64| match view.compare_digest(&hub, &theirs, at_s * s) {
        Comparison::Diverged { request, .. } => request.is_some(),
        Comparison::InStep { .. } => panic!("in step at {at_s} s"),
    };
    assert!(asks(&mut view, 0), "asked at once");
    assert!(!asks(&mut view, 4), "not before the hub takes requests again");
    // Nothing came from the hub: the request went unheard, and is asked again,
    // three times at most, every 5 s.
    assert!(asks(&mut view, 5));
    assert!(asks(&mut view, 10));
    assert!(asks(&mut view, 15));
    assert!(!asks(&mut view, 20), "then it counts as heard");
    assert!(asks(&mut view, 30), "15 s after the last");
    // The hub acted on it (a listing came), yet the view still differs: 30 s.
    applied(&mut view, garden.opened(Event::OpportunityPublished(opportunity("Cook"))));
    assert!(!asks(&mut view, 35), "a heard repair is not asked for again at once");
    assert!(!asks(&mut view, 59));
    assert!(asks(&mut view, 60));
    // In step again: the next divergence is asked about at once.
    let ours = view.hubs[view.hub_ids[&hub] as usize].buckets[0].total();
    let mut same = kith_proto::digest::HubDigest::default();
    *same.family_mut(kith_proto::digest::Family::Opportunities) = ours;
    assert!(matches!(view.compare_digest(&hub, &same, 61 * s), Comparison::InStep { was_diverged: true }));
    assert!(asks(&mut view, 62));
}

#[test]
fn a_listing_whose_id_is_dated_ahead_ranks_as_of_when_the_stream_got_it() {
    let mut garden = Hub::new("peer-garden", 1);
    let mut cheat = Hub::new("cheat", 2);
    let mut view = view_with(&mut garden);
    let p = cheat.profile();
    applied(&mut view, cheat.opened(p));
    // The stream stores the cheat's listing at 10 s, its id dated 5 minutes on.
    let ahead = Opportunity { id: Ulid::from_parts(310_000, 1), ..opportunity("Dated ahead") };
    let e = cheat.opened_dated(309_000, Event::OpportunityPublished(ahead));
    assert!(matches!(view.apply_received(&e, 10_000), Outcome::Applied(_)));
    // The garden's honest listing reaches the stream after it, at 11 s.
    let honest = Opportunity { id: Ulid::from_parts(11_000, 1), ..opportunity("Arrived later") };
    let e = garden.opened_dated(11_000, Event::OpportunityPublished(honest));
    assert!(matches!(view.apply_received(&e, 11_000), Outcome::Applied(_)));
    assert_eq!(search(&view, OpportunityQuery::default()), ["Arrived later", "Dated ahead"], "newest first");
}

fn search(view: &View, q: OpportunityQuery) -> Vec<String> {
    view.search_opportunities(&q, today()).unwrap().items.into_iter().map(|o| o.item.title).collect()
}

fn words_of(s: &str) -> Vec<String> {
    words(s).collect()
}

fn text_of(s: &str) -> TextQuery {
    TextQuery::parse(s).unwrap()
}

#[test]
fn first_profile_pins_and_counts_show_per_hub() {
    let mut hub = Hub::new("garden", 1);
    let mut view = view_with(&mut hub);
    assert!(view.knows_hub(&hub.slug));
    applied(&mut view, hub.opened(Event::OpportunityPublished(opportunity("Gardener"))));
    applied(&mut view, hub.opened(Event::SafeHousePublished(house("Rest", &[], None))));
    let hubs = view.hubs();
    assert_eq!(hubs.len(), 1);
    assert_eq!((hubs[0].of(Kind::Opportunities), hubs[0].of(Kind::SafeHouses)), (1, 1));
    assert_eq!(hubs[0].last_seen_ms, 1_001);
    assert_eq!(hubs[0].profile.signing_key, hub.key.verifying_key().to_bytes());
}

#[test]
fn a_rotation_is_kept_and_older_profiles_are_ignored() {
    let mut hub = Hub::new("garden", 1);
    let mut view = view_with(&mut hub);
    let new_key = SigningKey::from_bytes(&[2; 32]);
    let Event::Profile(mut p) = hub.profile() else { unreachable!() };
    p.signing_key = new_key.verifying_key().to_bytes();
    p.rotations = vec![kith_proto::rotation::KeyRotation::sign(
        &slug("wy"),
        &hub.slug,
        &hub.key,
        &new_key.verifying_key(),
        [9; 32],
        5,
    )];
    // Signed by the new key, the rotation by the old (pinned) one.
    hub.seq += 1;
    let sealed = seal(&slug("wy"), &hub.slug, hub.seq, 1_000, &Event::Profile(p), &new_key).unwrap();
    let opened = open(&sealed.bytes, &sealed.subject.to_string(), Some(&hub.key.verifying_key())).unwrap();
    applied(&mut view, opened);
    assert_eq!(view.hubs()[0].profile.signing_key, new_key.verifying_key().to_bytes());
    let stale = hub.opened_at(1, hub.profile());
    assert!(matches!(view.apply(&stale), Outcome::Ignored));
}

#[test]
fn entity_events_need_a_known_hub() {
    let hub = Hub::new("garden", 1);
    let mut view = View::new(today());
    let opened = hub.opened_at(1, Event::OpportunityPublished(opportunity("Gardener")));
    assert!(matches!(view.apply(&opened), Outcome::UnknownHub));
}

#[test]
fn sequence_orders_updates_and_redelivery_is_ignored() {
    let mut hub = Hub::new("garden", 1);
    let mut view = view_with(&mut hub);
    let mut o = opportunity("Gardener");
    let first = hub.opened(Event::OpportunityPublished(o.clone()));
    applied(&mut view, first.clone());
    o.title = "Head gardener".into();
    let second = hub.opened(Event::OpportunityPublished(o.clone()));
    applied(&mut view, second.clone());
    // Redelivery of either is harmless.
    assert!(matches!(view.apply(&second), Outcome::Ignored));
    assert!(matches!(view.apply(&first), Outcome::Ignored));
    assert_eq!(view.opportunity(o.id, None).unwrap().unwrap().item.title, "Head gardener");
    // The old title's words are gone from the index, the new ones are there.
    assert_eq!(search(&view, OpportunityQuery { text: text_of("head"), ..Default::default() }).len(), 1);
    // A change touches only the terms it changed: the word kept is still found.
    assert_eq!(search(&view, OpportunityQuery { text: text_of("gardener"), ..Default::default() }).len(), 1);
    o.title = "Plot helper".into();
    applied(&mut view, hub.opened(Event::OpportunityPublished(o)));
    assert!(search(&view, OpportunityQuery { text: text_of("head"), ..Default::default() }).is_empty());
}

#[test]
fn withdrawal_forgets_but_keeps_the_tombstone_sequence() {
    let mut hub = Hub::new("garden", 1);
    let mut view = view_with(&mut hub);
    let o = opportunity("Gardener");
    let publish = hub.opened(Event::OpportunityPublished(o.clone()));
    applied(&mut view, publish.clone());
    let record = applied(&mut view, hub.opened(Event::OpportunityWithdrawn { id: o.id }));
    assert!(
        matches!(record, Record::Listing { family: Kind::Opportunities, record, .. } if record.decode::<Opportunity>().unwrap().item.is_none())
    );
    assert!(view.opportunity(o.id, None).unwrap().is_none());
    assert_eq!(view.counts().of(Kind::Opportunities), 0);
    assert!(search(&view, OpportunityQuery { text: text_of("gardener"), ..Default::default() }).is_empty());
    // A redelivered older publish does not bring it back.
    assert!(matches!(view.apply(&publish), Outcome::Ignored));
    assert!(view.opportunity(o.id, None).unwrap().is_none());
    // Nor does a publish with status withdrawn show anything.
    let mut w = opportunity("Withdrawn one");
    w.status = OpportunityStatus::Withdrawn;
    applied(&mut view, hub.opened(Event::OpportunityPublished(w.clone())));
    assert!(view.opportunity(w.id, None).unwrap().is_none());
    assert_eq!(view.hubs()[0].of(Kind::Opportunities), 0);
}

#[test]
fn events_dated_in_the_future_are_named() {
    let mut hub = Hub::new("garden", 1);
    let now = kith_proto::time::now_ms();
    let mut at = |ahead: i64, event: Event| {
        let mut opened = hub.opened(event);
        opened.envelope.at_ms = now + ahead;
        opened
    };
    let o = Event::OpportunityPublished(opportunity("Gardener"));
    assert_eq!(future_dated(&at(MAX_CLOCK_AHEAD_MS, o.clone()), now), None);
    assert_eq!(future_dated(&at(MAX_CLOCK_AHEAD_MS + 1, o.clone()), now), Some("at"));
    // A year past 9999, and the largest time there is.
    assert_eq!(future_dated(&at(253_402_300_800_000 - now, o.clone()), now), Some("at"));
    assert_eq!(future_dated(&at(i64::MAX - now, o), i64::MAX - 1), None);
    // An id whose time is ahead would sort first for ever.
    let mut ahead = opportunity("Always first");
    ahead.id = Ulid::from_parts((now + 3_600_000) as u64, 1);
    assert_eq!(future_dated(&at(0, Event::OpportunityPublished(ahead)), now), Some("id"));
    let late = Availability { beds_free: 1, updated_at_ms: now + 3_600_000, valid_until_ms: now + 7_200_000 };
    let house = Event::SafeHousePublished(house("Rest", &[], Some(late)));
    assert_eq!(future_dated(&at(0, house), now), Some("availability.updated_at"));
    let side = referral_side(Ulid::new(), Role::Sender, "rainbow", &[(ReferralStatus::Sent, now + 3_600_000)]);
    assert_eq!(future_dated(&at(0, side), now), Some("steps.at"));
}

#[test]
fn quotas_refuse_growth_but_never_shrinking() {
    let mut hub = Hub::new("garden", 1);
    let mut view = View::new(today());
    let mut records = vec![applied(&mut view, hub.opened(hub.profile()))];
    macro_rules! ok {
        ($event:expr) => {
            records.push(applied(&mut view, hub.opened($event)))
        };
    }
    view.set_quota(Quota { entities: 2, tombstones: 2, referral_sides: 1, bytes: 1_000_000 });
    let (a, b, c) = (opportunity("A"), opportunity("B"), opportunity("C"));
    ok!(Event::OpportunityPublished(a.clone()));
    ok!(Event::OpportunityPublished(b.clone()));
    let refused = view.apply(&hub.opened(Event::OpportunityPublished(c.clone())));
    assert!(matches!(refused, Outcome::OverQuota("entities")), "{refused:?}");
    // Updating one it has is not growth.
    let mut a2 = a.clone();
    a2.title = "A, renamed".into();
    ok!(Event::OpportunityPublished(a2));
    let h = &view.hubs()[0];
    assert_eq!((h.usage.entities, h.usage.refused, h.over_quota.clone()), (2, 1, vec!["entities"]));
    // Withdrawing is always allowed, and makes room.
    ok!(Event::OpportunityWithdrawn { id: a.id });
    ok!(Event::OpportunityPublished(c.clone()));
    // Tombstones for ids never seen are refused once full...
    ok!(Event::OpportunityWithdrawn { id: Ulid::new() });
    let refused = view.apply(&hub.opened(Event::OpportunityWithdrawn { id: Ulid::new() }));
    assert!(matches!(refused, Outcome::OverQuota("tombstones")), "{refused:?}");
    // ...and so are new listings, so that publishing and withdrawing cannot grow them.
    ok!(Event::OpportunityWithdrawn { id: b.id });
    let refused = view.apply(&hub.opened(Event::OpportunityPublished(opportunity("D"))));
    assert!(matches!(refused, Outcome::OverQuota("tombstones")), "{refused:?}");
    // Referral sides; the same side again, updated, is not a new one.
    let mut rainbow = Hub::new("rainbow", 2);
    records.push(applied(&mut view, rainbow.opened(rainbow.profile())));
    let side = |id| referral_side(id, Role::Sender, "rainbow", &[(ReferralStatus::Sent, 1_000)]);
    let first = Ulid::new();
    ok!(side(first));
    // (Not kept as a record: the store would keep only the later of the two.)
    applied(&mut view, hub.opened(side(first)));
    assert!(matches!(view.apply(&hub.opened(side(Ulid::new()))), Outcome::OverQuota("referral-sides")));
    // A listing too big for the bytes left.
    view.set_quota(Quota { entities: 10, tombstones: 10, referral_sides: 1, bytes: 400 });
    let mut big = opportunity("Big");
    big.description = "x".repeat(500);
    assert!(matches!(view.apply(&hub.opened(Event::OpportunityPublished(big))), Outcome::OverQuota("bytes")));
    let usage = view.hubs()[0].usage;
    assert_eq!((usage.entities, usage.tombstones, usage.referral_sides), (1, 3, 1), "{usage:?}");
    // Usage is counted the same when the view is rebuilt from its records.
    let mut restored = View::new(today());
    let (hubs, others): (Vec<_>, Vec<_>) = records.into_iter().partition(|r| matches!(r, Record::Hub { .. }));
    for r in hubs.into_iter().chain(others) {
        restored.restore(r).unwrap();
    }
    assert_eq!(restored.hubs()[0].usage, Usage { refused: 0, ..usage });
}

#[test]
fn invalid_values_are_not_applied() {
    let mut hub = Hub::new("garden", 1);
    let mut view = view_with(&mut hub);
    let mut o = opportunity("Gardener");
    o.area = "12 Acacia Avenue, Leeds LS6 1AB".into();
    let Outcome::Invalid(e) = view.apply(&hub.opened(Event::OpportunityPublished(o))) else {
        panic!("a full postcode must be refused")
    };
    assert_eq!(e.field, "area");
    assert_eq!(view.counts().of(Kind::Opportunities), 0);
}

#[test]
fn filters_combine() {
    let mut hub = Hub::new("garden", 1);
    let mut other = Hub::new("co-op", 3);
    let mut view = view_with(&mut hub);
    applied(&mut view, other.opened(other.profile()));
    let mut remote = opportunity("Remote bookkeeper");
    remote.remote = true;
    remote.kind = OpportunityKind::Volunteering;
    remote.pay = Pay::Unpaid;
    remote.area = "Bradford BD1".into();
    let mut peer = opportunity("Peer support worker");
    peer.sector = Sector::MentalHealth;
    peer.description = "Listening, in Leeds".into();
    peer.skills = vec!["listening".into()];
    let garden = opportunity("Gardener");
    for o in [&remote, &peer] {
        applied(&mut view, hub.opened(Event::OpportunityPublished(o.clone())));
    }
    applied(&mut view, other.opened(Event::OpportunityPublished(garden.clone())));

    let check = |q: OpportunityQuery, want: &[&str]| {
        let mut got = search(&view, q.clone());
        got.sort();
        let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "{q:?}");
    };
    check(OpportunityQuery::default(), &["Remote bookkeeper", "Peer support worker", "Gardener"]);
    check(OpportunityQuery { remote_only: true, ..Default::default() }, &["Remote bookkeeper"]);
    check(OpportunityQuery { paid_only: true, ..Default::default() }, &["Peer support worker", "Gardener"]);
    check(OpportunityQuery { kind: Some(OpportunityKind::Volunteering), ..Default::default() }, &["Remote bookkeeper"]);
    check(OpportunityQuery { sector: Some(Sector::MentalHealth), ..Default::default() }, &["Peer support worker"]);
    check(OpportunityQuery { area: words_of("ls6"), ..Default::default() }, &["Peer support worker", "Gardener"]);
    check(OpportunityQuery { area: words_of("Leeds LS6"), ..Default::default() }, &["Peer support worker", "Gardener"]);
    // "Leeds" in a description is not an area.
    check(OpportunityQuery { area: words_of("bradford"), ..Default::default() }, &["Remote bookkeeper"]);
    check(OpportunityQuery { text: text_of("LISTENING"), ..Default::default() }, &["Peer support worker"]);
    // Skills are searched too, and every word must match.
    check(
        OpportunityQuery { text: text_of("gardening veg"), ..Default::default() },
        &["Remote bookkeeper", "Gardener"],
    );
    // Stems meet: "garden" finds gardening and gardener.
    check(OpportunityQuery { text: text_of("garden"), ..Default::default() }, &["Remote bookkeeper", "Gardener"]);
    check(OpportunityQuery { text: text_of("gardening astronaut"), ..Default::default() }, &[]);
    check(OpportunityQuery { hub: Some(slug("co-op")), ..Default::default() }, &["Gardener"]);
    check(OpportunityQuery { hub: Some(slug("nobody")), ..Default::default() }, &[]);
    check(
        OpportunityQuery { hub: Some(slug("garden")), paid_only: true, area: words_of("leeds"), ..Default::default() },
        &["Peer support worker"],
    );
}

#[test]
fn closed_and_filled_show_only_when_asked() {
    let mut hub = Hub::new("garden", 1);
    let mut view = view_with(&mut hub);
    let mut past = opportunity("Closed yesterday");
    past.closes_on = Some("2026-11-25".parse().unwrap());
    let mut closes_today = opportunity("Closes today");
    closes_today.closes_on = Some(today());
    let mut filled = opportunity("Filled");
    filled.status = OpportunityStatus::Filled;
    for o in [&past, &closes_today, &filled] {
        applied(&mut view, hub.opened(Event::OpportunityPublished(o.clone())));
    }
    let mut open = search(&view, OpportunityQuery::default());
    open.sort();
    assert_eq!(open, ["Closes today"]);
    assert_eq!(search(&view, OpportunityQuery { include_closed: true, ..Default::default() }).len(), 3);
    // Tomorrow, before any sweep, the query's own day already hides it...
    let tomorrow: CivilDate = "2026-11-27".parse().unwrap();
    assert!(view.search_opportunities(&OpportunityQuery::default(), tomorrow).unwrap().items.is_empty());
    // ...and after the sweep the index agrees.
    view.set_today(tomorrow);
    assert_eq!(view.listings.opportunities.family.index.count(&Term::Open), 0);
    assert!(view.listings.opportunities.closing.is_empty());
    // Getting one by id shows it whatever its status.
    assert_eq!(view.opportunity(filled.id, None).unwrap().unwrap().item.status, OpportunityStatus::Filled);
}

#[test]
fn paging_walks_newest_first_without_gaps_or_repeats() {
    let mut hub = Hub::new("garden", 1);
    let mut view = view_with(&mut hub);
    let mut ids = vec![];
    for i in 0..23u64 {
        let mut o = opportunity(&format!("Job {i}"));
        o.id = Ulid::from_parts(1_700_000_000_000 + i, 7);
        ids.push(o.id.to_string());
        applied(&mut view, hub.opened(Event::OpportunityPublished(o)));
    }
    ids.reverse();
    let mut seen = vec![];
    let mut after = None;
    loop {
        let q = OpportunityQuery { page_size: 5, after, ..Default::default() };
        let page = view.search_opportunities(&q, today()).unwrap();
        assert!(page.items.len() <= 5);
        seen.extend(page.items.into_iter().map(|o| o.item.id.to_string()));
        match page.next {
            Some(k) => after = Some(Position::from_token(&k.token(false), false, false).unwrap()),
            None => break,
        }
    }
    assert_eq!(seen, ids);
    // Page sizes: 0 means the default, more than the maximum means the maximum.
    assert_eq!(page_size(0), DEFAULT_PAGE_SIZE);
    assert_eq!(page_size(10_000), MAX_PAGE_SIZE);
    // A page that is exactly full has no next page.
    let q = OpportunityQuery { page_size: 23, ..Default::default() };
    assert_eq!(view.search_opportunities(&q, today()).unwrap().next, None);
}

#[test]
fn listings_arriving_out_of_order_page_newest_first_through_spread_labels() {
    let mut hub = Hub::new("garden", 1);
    let mut view = view_with(&mut hub);
    let now = kith_proto::time::now_ms();
    let t0 = 1_700_000_000_000u64;
    let mut ids = vec![];
    let mut publish = |view: &mut View, hub: &mut Hub, ms: u64| {
        let mut o = opportunity(&format!("Job {}", ids.len()));
        o.id = Ulid::from_parts(ms, ids.len() as u128);
        ids.push(o.id);
        applied(view, hub.opened_dated(now, Event::OpportunityPublished(o)));
    };
    publish(&mut view, &mut hub, t0);
    publish(&mut view, &mut hub, t0 + 10_000_000);
    // A page token from before the late ones arrive.
    let q = OpportunityQuery { page_size: 1, ..Default::default() };
    let token = view.search_opportunities(&q, today()).unwrap().next.unwrap().token(false);
    // What a hub that was offline sends late, all between the first two: a run
    // upwards into one gap (its labels spread many times), a run downwards, and
    // some scattered.
    for i in 1..=300 {
        publish(&mut view, &mut hub, t0 + i);
    }
    for i in 0..100 {
        publish(&mut view, &mut hub, t0 + 5_000_000 - i * 997);
    }
    for i in 0..100u64 {
        publish(&mut view, &mut hub, t0 + 301 + (i * 7_919_993) % 9_000_000);
    }
    let mut want = ids.clone();
    want.sort_unstable_by(|a, b| b.cmp(a));
    let walk = |view: &View, text: &str, mut after: Option<Position>| {
        let mut seen = vec![];
        loop {
            let q = OpportunityQuery { page_size: 7, after, text: text_of(text), ..Default::default() };
            let page = view.search_opportunities(&q, today()).unwrap();
            seen.extend(page.items.into_iter().map(|o| o.item.id));
            match page.next {
                Some(p) => after = Some(Position::from_token(&p.token(q.ranked()), q.ranked(), false).unwrap()),
                None => return seen,
            }
        }
    };
    assert_eq!(walk(&view, "", None), want, "newest first by id, whatever the order they came in");
    assert_eq!(walk(&view, "job", None), want, "and through a word's posting set");
    let after = Position::from_token(&token, false, false).unwrap();
    assert_eq!(walk(&view, "", Some(after)), want[1..], "a token from before goes on where it was");
    // Withdrawn and read back from an image, the labels still follow the ids.
    for &id in ids.iter().step_by(3) {
        applied(&mut view, hub.opened_dated(now, Event::OpportunityWithdrawn { id }));
    }
    want.retain(|id| !ids.iter().step_by(3).any(|gone| gone == id));
    let sections = image_of(&view);
    let read = View::read_image(|i| Ok(sections[i].clone()), sections.len(), view.places().clone()).unwrap();
    assert_eq!(walk(&read, "job", None), want);
}

#[test]
fn same_id_from_two_hubs_are_two_entities() {
    let mut a = Hub::new("garden", 1);
    let mut b = Hub::new("co-op", 3);
    let mut view = view_with(&mut a);
    applied(&mut view, b.opened(b.profile()));
    let o = opportunity("Gardener");
    applied(&mut view, a.opened(Event::OpportunityPublished(o.clone())));
    applied(&mut view, b.opened(Event::OpportunityPublished(o.clone())));
    assert_eq!(view.counts().of(Kind::Opportunities), 2);
    // b withdrawing its copy leaves a's.
    applied(&mut view, b.opened(Event::OpportunityWithdrawn { id: o.id }));
    assert_eq!(view.opportunity(o.id, None).unwrap().unwrap().hub.as_str(), "garden");
}

#[test]
fn safe_houses_filter_by_tag_area_and_fresh_availability() {
    let mut hub = Hub::new("garden", 1);
    let mut view = view_with(&mut hub);
    let now = 1_000_000;
    let fresh = Some(Availability { beds_free: 2, updated_at_ms: now - 10, valid_until_ms: now + 1_000 });
    let stale = Some(Availability { beds_free: 3, updated_at_ms: now - 10_000, valid_until_ms: now - 1 });
    let full = Some(Availability { beds_free: 0, updated_at_ms: now - 10, valid_until_ms: now + 1_000 });
    let mut houses = vec![
        house("Women's house", &[ForTag::Women], fresh),
        house("Anyone's house", &[], stale),
        house("LGBTQ+ crisis house", &[ForTag::Lgbtq, ForTag::TransNonbinary], full),
    ];
    houses[2].area = "Bradford".into();
    for h in &houses {
        applied(&mut view, hub.opened(Event::SafeHousePublished(h.clone())));
    }
    let check = |q: SafeHouseQuery, want: &[&str]| {
        let mut got: Vec<String> =
            view.list_safe_houses(&q, now).unwrap().items.into_iter().map(|h| h.item.name).collect();
        got.sort();
        let mut want: Vec<&str> = want.to_vec();
        want.sort();
        assert_eq!(got, want, "{q:?}");
    };
    check(SafeHouseQuery::default(), &["Women's house", "Anyone's house", "LGBTQ+ crisis house"]);
    check(SafeHouseQuery { for_tag: Some(ForTag::Women), ..Default::default() }, &["Women's house", "Anyone's house"]);
    check(
        SafeHouseQuery { for_tag: Some(ForTag::Lgbtq), ..Default::default() },
        &["Anyone's house", "LGBTQ+ crisis house"],
    );
    check(SafeHouseQuery { available_now: true, ..Default::default() }, &["Women's house"]);
    check(SafeHouseQuery { area: words_of("bradford"), ..Default::default() }, &["LGBTQ+ crisis house"]);
    check(
        SafeHouseQuery { hub: Some(slug("garden")), area: words_of("leeds"), ..Default::default() },
        &["Women's house", "Anyone's house"],
    );
    // Stale availability is reported as unknown, never as the old number.
    let seen = |id, at| view.safe_house(id, None).unwrap().map(|h| safe_house_v1(&h, at));
    let anyone = seen(houses[1].id, now).unwrap();
    let a = anyone.availability.unwrap();
    assert_eq!((a.beds_free, a.stale), (None, true));
    let women = seen(houses[0].id, now).unwrap();
    assert_eq!(women.availability.unwrap().beds_free, Some(2));
    // The same house, later: now stale too.
    let later = seen(houses[0].id, now + 5_000).unwrap();
    assert_eq!(later.availability.unwrap().beds_free, None);
    // Withdrawn: gone.
    applied(&mut view, hub.opened(Event::SafeHouseWithdrawn { id: houses[0].id }));
    assert!(view.safe_house(houses[0].id, None).unwrap().is_none());
    assert_eq!(view.counts().of(Kind::SafeHouses), 2);
}

fn referral_side(id: Ulid, role: Role, other: &str, steps: &[(ReferralStatus, i64)]) -> Event {
    Event::Referral(ReferralSide {
        id,
        role,
        other: slug(other),
        target: kith_proto::referral::TargetKind::Hub,
        created_at_ms: 1_000,
        steps: steps.iter().map(|&(status, at_ms)| Step { status, at_ms }).collect(),
        sealed: Some(b"Canary Person".to_vec()),
        erased: false,
        answer_by_ms: 0,
    })
}

#[test]
fn referrals_are_kept_as_metadata_and_restored() {
    let mut garden = Hub::new("garden", 1);
    let mut rainbow = Hub::new("rainbow", 2);
    let mut view = View::new(today());
    let mut records = vec![applied(&mut view, garden.opened(garden.profile()))];
    let id = Ulid::new();
    let sent = garden.opened(referral_side(id, Role::Sender, "rainbow", &[(ReferralStatus::Sent, 1_000)]));
    // The receiving hub has no profile in the view yet: its side cannot be verified.
    let answer = referral_side(id, Role::Receiver, "garden", &[(ReferralStatus::Accepted, 4_000)]);
    assert!(matches!(view.apply(&rainbow.opened_at(1, answer.clone())), Outcome::UnknownHub));
    records.push(applied(&mut view, sent.clone()));
    records.push(applied(&mut view, rainbow.opened(rainbow.profile())));
    records.push(applied(&mut view, rainbow.opened(answer)));
    assert!(matches!(view.apply(&sent), Outcome::Ignored));
    assert_eq!(view.counts().referrals, 1);
    let stats = view.referral_stats();
    assert_eq!(stats.by_status.into_iter().collect::<Vec<_>>(), [(ReferralStatus::Accepted, 1)]);
    assert_eq!(stats.hubs[0].median_first_answer_ms, 3_000);
    for r in &records {
        assert!(!format!("{r:?}").contains("Canary"), "{r:?}");
    }

    // Hubs first, as the store gives them.
    let mut restored = View::new(today());
    let (hubs, others): (Vec<_>, Vec<_>) = records.into_iter().partition(|r| matches!(r, Record::Hub { .. }));
    for r in hubs.into_iter().chain(others) {
        restored.restore(r).unwrap();
    }
    assert_eq!(restored.referral_stats(), view.referral_stats());
    assert_eq!(restored.counts(), view.counts());
    assert!(matches!(restored.apply(&sent), Outcome::Ignored));
}

#[test]
fn a_view_restored_from_its_records_answers_the_same() {
    let mut hub = Hub::new("garden", 1);
    let mut view = view_with(&mut hub);
    let mut records = vec![];
    let mut closing = opportunity("Closes soon");
    closing.closes_on = Some("2026-12-01".parse().unwrap());
    let withdrawn = opportunity("Withdrawn");
    for event in [
        Event::OpportunityPublished(opportunity("Gardener")),
        Event::OpportunityPublished(closing),
        Event::OpportunityPublished(withdrawn.clone()),
        Event::OpportunityWithdrawn { id: withdrawn.id },
        Event::SafeHousePublished(house("Rest", &[ForTag::Women], None)),
    ] {
        records.push(applied(&mut view, hub.opened(event)));
    }
    let profile = applied(&mut view, hub.opened(hub.profile()));
    // Hubs first, as the store gives them.
    let mut restored = View::new(today());
    restored.restore(profile).unwrap();
    for r in records {
        restored.restore(r).unwrap();
    }
    let all = OpportunityQuery { include_closed: true, ..Default::default() };
    assert_eq!(restored.search_opportunities(&all, today()), view.search_opportunities(&all, today()));
    assert_eq!(
        restored.list_safe_houses(&SafeHouseQuery::default(), 0).unwrap(),
        view.list_safe_houses(&SafeHouseQuery::default(), 0).unwrap()
    );
    assert_eq!(restored.hubs(), view.hubs());
    assert_eq!(restored.counts(), view.counts());
    assert_eq!(restored.listings.opportunities.closing, view.listings.opportunities.closing);
    // The tombstone came back too: an older publish stays ignored.
    let old = hub.opened_at(3, Event::OpportunityPublished(withdrawn));
    assert!(matches!(restored.apply(&old), Outcome::Ignored));
}

#[test]
fn a_view_read_back_from_its_image_answers_and_changes_the_same() {
    let mut garden = Hub::new("garden", 1);
    let mut rainbow = Hub::new("rainbow", 2);
    let mut view = view_with(&mut garden);
    applied(&mut view, rainbow.opened(rainbow.profile()));
    let mut closing = opportunity("Closes soon");
    closing.closes_on = Some("2026-11-27".parse().unwrap());
    let withdrawn = opportunity("Withdrawn");
    let gardener = opportunity("Gardener");
    for event in [
        Event::OpportunityPublished(gardener.clone()),
        Event::OpportunityPublished(closing),
        Event::OpportunityPublished(withdrawn.clone()),
        Event::OpportunityWithdrawn { id: withdrawn.id },
        Event::SafeHousePublished(house("Rest", &[ForTag::Women], None)),
    ] {
        applied(&mut view, garden.opened(event));
    }
    let id = Ulid::new();
    applied(&mut view, garden.opened(referral_side(id, Role::Sender, "rainbow", &[(ReferralStatus::Sent, 1_000)])));
    applied(
        &mut view,
        rainbow.opened(referral_side(id, Role::Receiver, "garden", &[(ReferralStatus::Accepted, 4_000)])),
    );
    applied(&mut view, rainbow.opened(Event::OpportunityPublished(opportunity("Cafe assistant"))));

    let sections = image_of(&view);
    let places = view.places().clone();
    let mut read = View::read_image(|i| Ok(sections[i].clone()), sections.len(), places.clone()).unwrap();
    // Read with other places, it is refused: its listings were placed with these.
    let other = Arc::new(places.with_file("Hebden Bridge = HX7").unwrap());
    let refused = View::read_image(|i| Ok(sections[i].clone()), sections.len(), other).unwrap_err();
    assert!(refused.contains("places"), "{refused}");
    for q in ["", "gardening", "gardner", "cafe", "caf"] {
        let q = OpportunityQuery { text: text_of(q), include_closed: true, ..Default::default() };
        assert_eq!(read.search_opportunities(&q, today()), view.search_opportunities(&q, today()), "{q:?}");
    }
    assert_eq!(
        read.list_safe_houses(&SafeHouseQuery::default(), 0),
        view.list_safe_houses(&SafeHouseQuery::default(), 0)
    );
    assert_eq!((read.hubs(), read.counts()), (view.hubs(), view.counts()));
    assert_eq!(read.referral_stats(), view.referral_stats());
    assert_eq!(read.listings.opportunities.closing, view.listings.opportunities.closing);

    // It goes on as the original would: the tombstone holds, a day passes, updates apply.
    let old = garden.opened_at(4, Event::OpportunityPublished(withdrawn));
    assert!(matches!(read.apply(&old), Outcome::Ignored));
    read.set_today("2026-11-28".parse().unwrap());
    assert_eq!(search(&read, OpportunityQuery::default()), ["Cafe assistant", "Gardener"]);
    let renamed = Opportunity { title: "Head gardener".into(), ..gardener };
    applied(&mut read, garden.opened(Event::OpportunityPublished(renamed)));
    assert_eq!(search(&read, OpportunityQuery { text: text_of("head"), ..Default::default() }), ["Head gardener"]);

    // A damaged image is refused, never half read.
    for damaged in 0..sections.len() {
        let cut = |i: usize| {
            Ok(if i == damaged { sections[i][..sections[i].len() / 2].to_vec() } else { sections[i].clone() })
        };
        assert!(View::read_image(cut, sections.len(), places.clone()).is_err(), "section {damaged}");
    }
    let gone = |i: usize| if i == 2 { Err("gone".into()) } else { Ok(sections[i].clone()) };
    assert!(View::read_image(gone, sections.len(), places.clone()).is_err());
    // A section left out is noticed too: fewer entities than the family had.
    assert!(View::read_image(|i| Ok(sections[i].clone()), sections.len() - 1, places).is_err());
}

fn service(name: &str, categories: &[kith_proto::service::Category], town: &str) -> Service {
    use kith_proto::service::{ClockTime, Place, Schedule, ServiceStatus, Weekday};
    Service {
        id: Ulid::new(),
        name: name.into(),
        description: String::new(),
        status: ServiceStatus::Active,
        sector: Sector::Ordinary,
        categories: categories.to_vec(),
        eligibility: String::new(),
        min_age: None,
        max_age: None,
        free: true,
        fees: String::new(),
        languages: vec![],
        accessibility: vec![],
        application_process: String::new(),
        self_referral: true,
        phones: vec![],
        email: String::new(),
        website: String::new(),
        schedules: vec![Schedule {
            days: vec![Weekday::Monday, Weekday::Tuesday],
            hours: Some((ClockTime(9 * 60), ClockTime(17 * 60))),
            by_appointment: false,
            note: String::new(),
        }],
        places: vec![Place::Address {
            street: "1 Market Street".into(),
            town: town.into(),
            postcode: "LS1 6DT".into(),
        }],
        assured_on: None,
        provider: String::new(),
    }
}

#[test]
fn services_are_searched_by_words_category_area_cost_and_opening_hours() {
    use kith_proto::service::{Category, ClockTime, ServiceStatus, Weekday};
    let mut hub = Hub::new("garden", 1);
    let mut view = view_with(&mut hub);
    let advice = service("Welfare rights drop-in", &[Category::BenefitsAndMoney], "Leeds");
    let mut food = service("Community pantry", &[Category::Food], "Bradford");
    food.free = false;
    food.fees = "£3 a bag".into();
    let mut closed = service("Job club", &[Category::EmploymentSupport], "Leeds");
    closed.status = ServiceStatus::TemporarilyClosed;
    for s in [&advice, &food, &closed] {
        applied(&mut view, hub.opened(Event::ServicePublished(s.clone())));
    }
    // Sorted: ids made in the same millisecond have no order of creation.
    let names = |q: ServiceQuery| -> Vec<String> {
        let mut names: Vec<String> = view.search_services(&q).unwrap().items.into_iter().map(|h| h.item.name).collect();
        names.sort();
        names
    };
    assert_eq!(names(ServiceQuery::default()), ["Community pantry", "Welfare rights drop-in"]);
    assert_eq!(
        names(ServiceQuery { text: text_of("benefit advice"), ..Default::default() }),
        ["Welfare rights drop-in"]
    );
    assert_eq!(names(ServiceQuery { category: Some(Category::Food), ..Default::default() }), ["Community pantry"]);
    assert_eq!(
        names(ServiceQuery { area: words_of("LS"), ..Default::default() }),
        ["Community pantry", "Welfare rights drop-in"]
    );
    assert_eq!(names(ServiceQuery { area: words_of("Leeds"), ..Default::default() }), ["Welfare rights drop-in"]);
    assert_eq!(names(ServiceQuery { free_only: true, ..Default::default() }), ["Welfare rights drop-in"]);
    let open = |day, minutes| ServiceQuery { open_at: Some((day, ClockTime(minutes))), ..Default::default() };
    assert_eq!(names(open(Weekday::Monday, 10 * 60)).len(), 2);
    assert!(names(open(Weekday::Monday, 18 * 60)).is_empty());
    assert!(names(open(Weekday::Sunday, 10 * 60)).is_empty());
    assert_eq!(names(ServiceQuery { include_inactive: true, ..Default::default() }).len(), 3);
    assert_eq!(view.service(advice.id, None).unwrap().unwrap().item.name, "Welfare rights drop-in");
    assert_eq!(view.counts().of(Kind::Services), 3);
    // A service with no category breaks the domain's limits.
    let mut bad = service("Nothing", &[], "Leeds");
    bad.categories.clear();
    assert!(matches!(view.apply(&hub.opened(Event::ServicePublished(bad))), Outcome::Invalid(_)));
    applied(&mut view, hub.opened(Event::ServiceWithdrawn { id: advice.id }));
    assert!(view.service(advice.id, None).unwrap().is_none());
    assert_eq!(view.hubs()[0].usage.entities, 2);
}

fn offer(name: &str, skills: &[&str], areas: &[&str]) -> kith_proto::offer::Offer {
    kith_proto::offer::Offer {
        id: Ulid::new(),
        name: name.into(),
        description: String::new(),
        skills: skills.iter().map(|s| s.to_string()).collect(),
        areas: areas.iter().map(|a| a.to_string()).collect(),
        rate_pence: 1500,
        rate_note: String::new(),
        how_to_book: "Ring 07700 900123".into(),
        phones: vec![],
        email: String::new(),
        website: String::new(),
    }
}

#[test]
fn offers_are_found_by_their_words_a_synonym_a_typo_and_their_areas() {
    let mut hub = Hub::new("garden", 1);
    let mut view = view_with(&mut hub);
    let garden = offer("Green Hands Co-op", &["gardening", "hedge cutting"], &["Leeds LS6", "Bradford"]);
    let paint = offer("Fresh Coat Crew", &["decorating"], &["Halifax HX1"]);
    for o in [&garden, &paint] {
        applied(&mut view, hub.opened(Event::OfferPublished(o.clone())));
    }
    fn names_in(view: &View, q: OfferQuery) -> Vec<String> {
        let mut names: Vec<String> = view.search_offers(&q).unwrap().items.into_iter().map(|h| h.item.name).collect();
        names.sort();
        names
    }
    let names = |q: OfferQuery| names_in(&view, q);
    let text = |t: &str| names(OfferQuery { text: text_of(t), ..Default::default() });
    assert_eq!(names(OfferQuery::default()), ["Fresh Coat Crew", "Green Hands Co-op"]);
    assert_eq!(text("gardening"), ["Green Hands Co-op"], "by a skill");
    assert_eq!(text("gardener"), ["Green Hands Co-op"], "by its stem or a synonym");
    assert_eq!(text("landscaping"), ["Green Hands Co-op"], "by a synonym");
    assert_eq!(text("horticulture"), ["Green Hands Co-op"], "by a synonym");
    assert_eq!(text("gardning"), ["Green Hands Co-op"], "with a typo");
    assert_eq!(text("painter"), ["Fresh Coat Crew"], "painter, decorator");
    assert_eq!(text("hedge bradford"), ["Green Hands Co-op"], "its areas are words too");
    assert!(text("plumbing").is_empty());
    assert_eq!(names(OfferQuery { area: words_of("BD"), ..Default::default() }).len(), 0, "Bradford names no district");
    assert_eq!(names(OfferQuery { area: words_of("LS"), ..Default::default() }), ["Green Hands Co-op"]);
    assert_eq!(names(OfferQuery { area: words_of("bradford"), ..Default::default() }), ["Green Hands Co-op"]);
    assert_eq!(names(OfferQuery { area: words_of("HX"), ..Default::default() }), ["Fresh Coat Crew"]);
    let near = Near::parse(view.places(), "LS7", None).unwrap().unwrap();
    let found = view.search_offers(&OfferQuery { near: Some(near), ..Default::default() }).unwrap().items;
    assert_eq!(found[0].item.name, "Green Hands Co-op", "the nearest first");
    assert_eq!(found[0].place.as_ref().map(|p| p.district.as_str()), Some("LS6"));
    assert_eq!(view.offer(garden.id, None).unwrap().unwrap().item.skills, ["gardening", "hedge cutting"]);
    assert_eq!(view.counts().of(Kind::Offers), 2);
    assert_eq!(view.hubs()[0].of(Kind::Offers), 2);
    // An offer below the limits (no areas, no rate) is refused whole.
    let bad = kith_proto::offer::Offer { rate_pence: 0, ..offer("Nothing", &["x"], &["Leeds"]) };
    assert!(matches!(view.apply(&hub.opened(Event::OfferPublished(bad))), Outcome::Invalid(_)));
    applied(&mut view, hub.opened(Event::OfferWithdrawn { id: garden.id }));
    assert!(view.offer(garden.id, None).unwrap().is_none());
    assert!(names_in(&view, OfferQuery { text: text_of("gardening"), ..Default::default() }).is_empty());
}

/// The titles and distances (km, rounded) of a search near a place, every page of
/// `size` walked.
fn near_pages(view: &View, near: &str, within_m: Option<u32>, size: usize) -> Vec<(String, Option<u32>, bool)> {
    let near = Near::parse(view.places(), near, within_m).unwrap().unwrap();
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let q = OpportunityQuery { near: Some(near.clone()), page_size: size, after, ..Default::default() };
        let page = view.search_opportunities(&q, today()).unwrap();
        assert!(page.items.len() <= size);
        out.extend(
            page.items.into_iter().map(|h| (h.item.title, h.distance_m.map(|m| (m + 500) / 1000), h.beyond_area)),
        );
        match page.next {
            // Through its token, as a client would page.
            Some(p) => after = Some(Position::from_token(&p.token(false), false, true).unwrap()),
            None => return out,
        }
    }
}

#[test]
fn a_search_near_a_place_gives_its_area_first_then_the_nearest_then_what_has_no_place() {
    let mut hub = Hub::new("garden", 1);
    let mut view = view_with(&mut hub);
    let places = view.places().clone();
    let at = |title: &str, area: &str| Opportunity { area: area.into(), ..opportunity(title) };
    for (title, area) in [
        ("Wakefield", "Wakefield WF1"),
        ("Halifax", "Halifax HX1"),
        ("Bradford", "Bradford BD1"),
        ("Hunslet", "Leeds LS10"),
        ("Headingley", "Leeds LS6"),
        ("Online", "Remote"),
        ("Headingley again", "Headingley LS6"),
    ] {
        applied(&mut view, hub.opened(Event::OpportunityPublished(at(title, area))));
    }
    let km = |a: &str, b: &str| (places.district(a).unwrap().distance_m(places.district(b).unwrap()) + 500) / 1000;
    let far = |t: &str, d: &str| (t.to_owned(), Some(km("LS6", d)), true);
    let all = near_pages(&view, "LS6", None, 50);
    // Walked district by district, as when many match: the same, page by page.
    super::family::FEW_IN_TESTS.with(|f| f.set(0));
    for size in [1, 2, 50] {
        assert_eq!(near_pages(&view, "LS6", None, size), all, "page size {size}");
    }
    assert_eq!(near_pages(&view, "LS6", Some(10_000), 1).len(), 3);
    super::family::FEW_IN_TESTS.with(|f| f.set(1024));
    assert_eq!(
        all,
        [
            ("Headingley again".to_owned(), Some(0), false),
            ("Headingley".to_owned(), Some(0), false),
            far("Hunslet", "LS10"),
            far("Bradford", "BD1"),
            far("Wakefield", "WF1"),
            far("Halifax", "HX1"),
            ("Online".to_owned(), None, true),
        ]
    );
    // The distances are real ones: from Headingley, Hunslet 7 km, Bradford 12,
    // Wakefield 16, Halifax 23.
    assert_eq!([km("LS6", "LS10"), km("LS6", "BD1"), km("LS6", "WF1"), km("LS6", "HX1")], [7, 12, 16, 23]);
    // Paged one at a time, through tokens: the same, without gaps or repeats.
    assert_eq!(near_pages(&view, "ls6 3ab", None, 1), all, "a full postcode is cut to its district");
    assert_eq!(near_pages(&view, "LS6", None, 2), all);
    // Within 10 km: the far ones and what has no place are left out.
    let near: Vec<String> = near_pages(&view, "LS6", Some(10_000), 50).into_iter().map(|h| h.0).collect();
    assert_eq!(near, ["Headingley again", "Headingley", "Hunslet"]);
    // By a town's name: its area's words first (Bradford), then the nearest.
    let bradford: Vec<String> = near_pages(&view, "Bradford", None, 50).into_iter().map(|h| h.0).collect();
    assert_eq!(bradford[0], "Bradford");
    assert_eq!(bradford.last().map(String::as_str), Some("Online"));
    // A district that does not exist is an error naming it.
    assert_eq!(Near::parse(&places, "LS40", None).unwrap_err().to_string(), "there is no postcode district LS40");
    assert_eq!(Near::parse(&places, "somewhere", None), Ok(None));
    // The hub is told which of its listings have no place: "Remote" names none.
    assert_eq!(view.hubs()[0].unplaced[Kind::Opportunities.index()], 1);
}

#[test]
fn a_safe_house_is_placed_at_its_districts_centroid_and_a_service_at_its_nearest_place() {
    use kith_proto::service::Place;
    let mut hub = Hub::new("rainbow", 2);
    let mut view = view_with(&mut hub);
    let places = view.places().clone();
    let rainbow =
        SafeHouse { area: "Leeds LS7".into(), ..house("Rainbow Crisis House", &[ForTag::TransNonbinary], None) };
    applied(&mut view, hub.opened(Event::SafeHousePublished(rainbow.clone())));
    let q = SafeHouseQuery { near: Near::parse(&places, "Bradford", None).unwrap(), ..Default::default() };
    let found = view.list_safe_houses(&q, 0).unwrap().items;
    let place = found[0].place.clone().unwrap();
    assert_eq!(place.district, "LS7");
    assert_eq!(Some(place.point), places.district("LS7"), "the centroid, never nearer");
    assert_eq!(found[0].distance_m, Some(place.point.distance_m(places.district("BD1").unwrap())));
    assert!(found[0].beyond_area, "nothing in Bradford; nearest: Leeds");
    let v1 = safe_house_v1(&found[0], 0);
    let location = v1.location.unwrap();
    assert_eq!(
        (location.district.as_str(), location.easting, location.northing),
        ("LS7", place.point.east, place.point.north)
    );

    // A service with places in two districts is found once, at the nearer.
    let mut two = service("Advice", &[kith_proto::service::Category::BenefitsAndMoney], "Leeds");
    two.places = vec![Place::Area("Halifax HX1".into()), Place::Area("Bradford BD1".into())];
    applied(&mut view, hub.opened(Event::ServicePublished(two)));
    let q = ServiceQuery { near: Near::parse(&places, "LS6", None).unwrap(), ..Default::default() };
    let found = view.search_services(&q).unwrap().items;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].place.as_ref().unwrap().district, "BD1");
}

#[test]
fn a_regions_places_file_places_its_villages() {
    let places = Arc::new(Places::builtin().with_file("Hebden Bridge = HX7\n").unwrap());
    let mut view = View::with_places(today(), places.clone());
    let mut hub = Hub::new("calder", 3);
    applied(&mut view, hub.opened(hub.profile()));
    let o = Opportunity { area: "Hebden Bridge".into(), ..opportunity("Cafe") };
    applied(&mut view, hub.opened(Event::OpportunityPublished(o)));
    let q = OpportunityQuery { near: Near::parse(&places, "HX1", None).unwrap(), ..Default::default() };
    let hit = view.search_opportunities(&q, today()).unwrap().items.remove(0);
    assert_eq!(hit.place.unwrap().district, "HX7");
    assert_eq!(view.hubs()[0].unplaced, [0; Kind::COUNT]);
}

#[test]
fn a_hubs_answer_about_an_ask_carrying_more_than_an_asks_sealed_copy_is_refused() {
    let mut view = View::new(today());
    let mut hub = Hub::new("garden", 1);
    let profile = hub.profile();
    applied(&mut view, hub.opened(profile));
    let answer = |kept: usize| kith_proto::ask::AskAnswer {
        id: Ulid::new(),
        reference_hash: rand::random(),
        status: kith_proto::ask::AskStatus::Received,
        kept: vec![7; kept],
        erased: false,
    };
    applied(&mut view, hub.opened(Event::Ask(answer(kith_proto::ask::MAX_KEPT))));
    let Outcome::Invalid(e) = view.apply(&hub.opened(Event::Ask(answer(kith_proto::ask::MAX_KEPT + 1)))) else {
        panic!("a copy beyond the limit was taken")
    };
    assert_eq!(e.field, "kept");
}

/// A view that reads opportunities' bodies from a store, written as ingest writes it:
/// each applied record after the view has applied it.
struct Stored {
    view: View,
    store: crate::store::Store,
    _dir: tempfile::TempDir,
}

impl Stored {
    fn new(hub: &mut Hub) -> Stored {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(dir.path()).unwrap();
        let mut view = View::new(today());
        view.read_bodies_from(store.clone());
        let mut stored = Stored { view, store, _dir: dir };
        stored.apply(hub.opened(hub.profile()));
        stored
    }

    fn apply(&mut self, opened: Opened) {
        let record = applied(&mut self.view, opened);
        self.store.put(&record).unwrap();
    }

    fn found(&self, words: &str) -> Vec<String> {
        search(&self.view, OpportunityQuery { text: text_of(words), ..Default::default() })
    }
}

#[test]
fn a_view_without_bodies_reads_them_from_the_store_and_indexes_each_state_once() {
    let mut hub = Hub::new("garden", 1);
    let mut s = Stored::new(&mut hub);
    let mut o = opportunity("Gardener");
    s.apply(hub.opened(Event::OpportunityPublished(o.clone())));
    let hit = s.view.opportunity(o.id, None).unwrap().unwrap();
    assert_eq!(hit.item, o, "the body comes from the store");
    assert_eq!(hit.place.map(|p| p.district), Some("LS6".to_owned()), "placed without its body");

    // An update takes the old state's terms out, read back from the store.
    o.title = "Head gardener".into();
    o.area = "Bradford".into();
    s.apply(hub.opened(Event::OpportunityPublished(o.clone())));
    o.title = "Plot helper".into();
    s.apply(hub.opened(Event::OpportunityPublished(o.clone())));
    assert!(s.found("head").is_empty());
    assert_eq!(s.found("plot"), ["Plot helper"]);
    let near = Near::parse(s.view.places(), "Bradford", None).unwrap().unwrap();
    let q = OpportunityQuery { near: Some(near), ..Default::default() };
    let hits = s.view.search_opportunities(&q, today()).unwrap().items;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].distance_m, Some(0), "in Bradford's district");

    // A store that lost the state the view holds: the entity's key is taken out of
    // every posting set instead, and the new state alone is found.
    s.store
        .put(&Record::listing(hub.slug.clone(), o.id, &EntityRecord::<Opportunity> { seq: 1, at_ms: 1, item: None }))
        .unwrap();
    o.title = "Seed librarian".into();
    s.apply(hub.opened(Event::OpportunityPublished(o.clone())));
    assert!(s.found("plot").is_empty());
    assert_eq!(s.found("seed librarian"), ["Seed librarian"]);

    // A withdrawal leaves nothing to find.
    s.apply(hub.opened(Event::OpportunityWithdrawn { id: o.id }));
    assert!(s.found("seed").is_empty());
    assert!(s.view.opportunity(o.id, None).unwrap().is_none());
}

#[test]
fn a_familys_packed_entities_keep_their_keys_and_labels_through_removals() {
    use super::family::{Doc, Docs};
    use crate::index::DocKey;
    let doc = |n: u8| Doc { id: [n; 16], hub: u32::from(n), seq: 0, at_ms: 0, size: 0, kept: n };
    let mut docs: Docs<u8> = Docs::default();
    for n in 0..5 {
        docs.insert(DocKey(u64::from(n) * 10), doc(n));
    }
    let label = |docs: &Docs<u8>, k: u64| docs.find(DocKey(k)).unwrap();
    let old = docs.replace(label(&docs, 20), Doc { kept: 22, ..doc(2) });
    assert_eq!((old.kept, docs.len()), (2, 5), "a replaced entity keeps its place");
    let ten = label(&docs, 10);
    assert_eq!(docs.remove(ten).map(|(k, d)| (k, d.kept)), Some((DocKey(10), 1)));
    assert!(docs.remove(ten).is_none());
    let forty = label(&docs, 40);
    assert_eq!(docs.remove(forty).map(|(_, d)| d.kept), Some(4), "the one moved into a hole is found");
    let mut left: Vec<(u64, u8)> = docs.iter().map(|(k, _, d)| (k.0, d.kept)).collect();
    left.sort_unstable();
    assert_eq!(left, [(0, 0), (20, 22), (30, 3)]);
    for (k, kept) in left {
        assert_eq!(docs.get(label(&docs, k)).unwrap().kept, kept);
    }
    let bytes = postcard::to_stdvec(&docs).unwrap();
    let read: Docs<u8> = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(read.get(label(&read, 30)).map(|d| d.kept), Some(3));
    assert_eq!(read.len(), 3);
}

#[test]
fn a_profile_naming_its_language_with_anything_but_a_language_tag_is_refused() {
    let mut hub = Hub::new("garden", 1);
    let Event::Profile(profile) = hub.profile() else { unreachable!() };
    let mut view = View::new(today());
    let hostile = HubProfile { language: r#"cy" onload="x"#.into(), ..profile.clone() };
    match view.apply(&hub.opened(Event::Profile(hostile))) {
        Outcome::Invalid(e) => assert_eq!(e.field, "language"),
        other => panic!("expected invalid, got {other:?}"),
    }
    assert!(!view.knows_hub(&hub.slug));
    applied(&mut view, hub.opened(Event::Profile(HubProfile { language: "cy".into(), ..profile })));
    assert_eq!(view.hubs()[0].profile.language, "cy");
}
