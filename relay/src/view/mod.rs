//! The regional view: every hub's profile, every live listing of every family, the
//! indexes the query API answers from, and the metadata of every referral.
//!
//! # Layout
//!
//! - this file: [`View`], the hubs, and [`View::apply`], which hands each verified
//!   event to its family and returns the [`Record`] to persist;
//! - [`family`]: what every family of listings shares (entities, tombstones, index,
//!   lookups, pages) and the [`Listing`](family::Listing) trait a family implements;
//! - [`opportunities`], [`safehouses`]: one file per family, with its query;
//! - [`crate::referrals`]: referrals as metadata.
//!
//! The view is plain in-memory state. [`crate::ingest`] is its only writer; queries
//! ([`crate::query`]) only read, and render what they read for gRPC themselves. At
//! start the view is rebuilt from the store's records with [`View::restore`]. Keys
//! are not the view's business: [`crate::pins`] owns them.
//!
//! Nothing time-dependent is stored: whether a safe house's availability is stale and
//! whether an opportunity has closed are decided when a query runs.

pub mod family;
pub mod opportunities;
pub mod safehouses;
pub mod services;

use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use ulid::Ulid;

use kith_proto::Slug;
use kith_proto::digest::{self, Buckets, HubDigest, RepairRequest};
use kith_proto::domain::{HubProfile, Opportunity, OpportunityStatus, SafeHouse};
use kith_proto::envelope::Opened;
use kith_proto::event::Event;
use kith_proto::service::Service;
use kith_proto::time::CivilDate;
use kith_proto::validate::ValidationError;

use crate::index::Term;
use crate::referrals::{ReferralStats, Referrals};
use crate::search::TimedOut;
use crate::store::{EntityRecord, HubRecord, Record, StoreError};
use crate::synonyms::Synonyms;
pub use family::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, area_words};
use family::{Delta, Family, Hit, HubId, Listing};
pub use opportunities::{Opportunities, OpportunityListing, OpportunityQuery};
pub use safehouses::{SafeHouseListing, SafeHouseQuery};
pub use services::{ServiceListing, ServiceQuery};

/// What became of an event handed to [`View::apply`].
#[derive(Debug)]
pub enum Outcome {
    /// The view changed; the record must be persisted before the event is acknowledged.
    Applied(Box<Record>),
    /// The view already has this or a newer state of the entity (a redelivery, or an
    /// event overtaken by a later one).
    Ignored,
    /// Signed by its hub, but a value breaks the domain's limits.
    Invalid(ValidationError),
    /// About a hub the view has no profile of.
    UnknownHub,
    /// The hub has used up this quota ([`Quota`]); the event is refused.
    OverQuota(&'static str),
}

/// The repair requests sent to one hub while it stays diverged.
///
/// A repair the hub acted on that did not bring the view in step (say, its listings
/// are over quota here) is asked for again ever more rarely: 15 s, 30 s, … up to half
/// an hour. A request is core NATS, lost if the hub is down or cut off: one it
/// evidently did not hear (no listing event of it came since) is asked for again as
/// soon as the hub takes requests ([`digest::REPAIR_MIN_INTERVAL`]), a few times in a
/// row, before it counts as heard.
#[derive(Clone, Copy, Debug, Default)]
struct Repairs {
    /// Heard requests (or unheard ones past the retries) while diverged.
    asked: u32,
    asked_ms: i64,
    /// Whether a listing event of the hub came since the last request.
    heard: bool,
    /// Requests in a row that went unheard.
    unheard: u32,
}

impl Repairs {
    /// How many unheard requests in a row are asked again soon.
    const UNHEARD_RETRIES: u32 = 3;

    /// Whether to send a request now; if so, it counts as sent.
    fn ask(&mut self, now_ms: i64) -> bool {
        let unheard = self.asked > 0 && !self.heard && self.unheard < Self::UNHEARD_RETRIES;
        let wait = if unheard {
            digest::REPAIR_MIN_INTERVAL.as_millis() as i64
        } else {
            15_000i64.saturating_mul(1 << self.asked.saturating_sub(1).min(7)).min(30 * 60_000)
        };
        if self.asked > 0 && now_ms.saturating_sub(self.asked_ms) < wait {
            return false;
        }
        if unheard {
            self.unheard += 1;
        } else {
            self.asked += 1;
            self.unheard = 0;
        }
        self.asked_ms = now_ms;
        self.heard = false;
        true
    }
}

/// Whether the view holds what a hub's last heartbeat says it published.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Agreement {
    /// No heartbeat with a digest seen since the relay started.
    #[default]
    Unknown,
    InStep,
    /// Since the first heartbeat that did not agree.
    Diverged {
        since_ms: i64,
    },
}

/// What [`View::compare_digest`] found.
#[derive(Debug)]
pub enum Comparison {
    InStep { was_diverged: bool },
    Diverged { newly: bool, request: Option<RepairRequest> },
}

/// What one hub may hold in the view, so that one hub cannot degrade the region
/// for everyone: a region sizes these in its relay's configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quota {
    /// Live listings, all families together.
    pub entities: u64,
    /// Withdrawn listings remembered (so that an old event cannot bring one back).
    /// A new listing is refused while a hub is at this limit, so a hub that
    /// publishes and withdraws without end cannot grow it.
    pub tombstones: u64,
    /// Referral sides the hub has published.
    pub referral_sides: u64,
    /// Encoded size of its live listings.
    pub bytes: u64,
}

impl Default for Quota {
    /// Room for the largest groups seen many times over.
    fn default() -> Quota {
        Quota { entities: 20_000, tombstones: 100_000, referral_sides: 100_000, bytes: 64 * 1024 * 1024 }
    }
}

/// What one hub holds in the view, against its [`Quota`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub entities: u64,
    pub tombstones: u64,
    pub referral_sides: u64,
    pub bytes: u64,
    /// Events refused since the relay started because a quota was used up.
    #[serde(skip)]
    pub refused: u64,
}

impl Usage {
    fn add(&mut self, d: Delta) {
        let add = |v: &mut u64, by: i64| *v = v.saturating_add_signed(by);
        add(&mut self.entities, d.live);
        add(&mut self.tombstones, d.tombstones);
        add(&mut self.bytes, d.bytes);
    }

    /// The quotas this usage has reached, by name.
    pub fn full(&self, q: &Quota) -> Vec<&'static str> {
        let mut full = Vec::new();
        for (name, used, limit) in [
            ("entities", self.entities, q.entities),
            ("tombstones", self.tombstones, q.tombstones),
            ("referral-sides", self.referral_sides, q.referral_sides),
            ("bytes", self.bytes, q.bytes),
        ] {
            if used >= limit {
                full.push(name);
            }
        }
        full
    }

    /// Which quota a change would break, if any. Shrinking is always allowed: a
    /// hub over a limit can still withdraw and update downwards.
    fn refuses(&self, d: Delta, new_entity: bool, q: &Quota) -> Option<&'static str> {
        if d.live > 0 && self.entities.saturating_add_signed(d.live) > q.entities {
            return Some("entities");
        }
        if d.bytes > 0 && self.bytes.saturating_add_signed(d.bytes) > q.bytes {
            return Some("bytes");
        }
        // A tombstone for an id never seen, or a new listing while the hub's
        // tombstones are full: either would let tombstones grow without end.
        let new_tombstone = d.tombstones > 0 && d.live == 0;
        if (new_entity || new_tombstone) && self.tombstones >= q.tombstones {
            return Some("tombstones");
        }
        None
    }
}

/// How far ahead of the relay's clock a hub's clock may be. An event or an
/// availability report dated later is refused: a date far in the future would sort
/// first for ever, and a year past 9999 cannot even be printed.
pub const MAX_CLOCK_AHEAD_MS: i64 = 5 * 60 * 1000;

/// Why an event is refused as dated in the future (more than
/// [`MAX_CLOCK_AHEAD_MS`] ahead of `now_ms`), naming the field; None when it is not.
/// An entity's id counts too: its time orders "newest first".
pub fn future_dated(opened: &Opened, now_ms: i64) -> Option<&'static str> {
    let limit = now_ms.saturating_add(MAX_CLOCK_AHEAD_MS);
    let id_time = |id: &Ulid| i64::try_from(id.timestamp_ms()).unwrap_or(i64::MAX);
    if opened.envelope.at_ms > limit {
        return Some("at");
    }
    match &opened.event {
        Event::OpportunityPublished(o) if id_time(&o.id) > limit => Some("id"),
        Event::SafeHousePublished(s) if id_time(&s.id) > limit => Some("id"),
        Event::ServicePublished(s) if id_time(&s.id) > limit => Some("id"),
        Event::SafeHousePublished(s) if s.availability.is_some_and(|a| a.updated_at_ms > limit) => {
            Some("availability.updated_at")
        }
        Event::Referral(side) if side.created_at_ms > limit => Some("created_at"),
        Event::Referral(side) if side.steps.iter().any(|s| s.at_ms > limit) => Some("steps.at"),
        _ => None,
    }
}

/// Entity counts, for stats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    pub hubs: usize,
    pub opportunities: usize,
    pub safe_houses: usize,
    pub services: usize,
    /// Referrals seen, whether or not both sides have arrived.
    pub referrals: usize,
}

/// An id that several hubs use: a lookup must name the hub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ambiguous(pub Vec<Slug>);

/// A hub as the view lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct HubSummary {
    pub hub: Slug,
    pub region: Slug,
    /// Whether the view agreed with the hub's last heartbeat.
    pub sync: Agreement,
    pub profile: HubProfile,
    /// The name people are shown: the roster's for the hub if it gives one, else its
    /// profile's, followed by its id when another hub would be shown the same name.
    pub name: String,
    /// Whether the hub is on the region's roster (with one, every hub in the view is).
    pub on_roster: bool,
    /// The hub's clock at its latest profile: its heartbeat.
    pub last_seen_ms: i64,
    pub opportunities: usize,
    pub safe_houses: usize,
    pub services: usize,
    pub usage: Usage,
    /// The quotas the hub has used up: more of the same is refused.
    pub over_quota: Vec<&'static str>,
}

#[derive(Serialize, Deserialize)]
struct HubState {
    slug: Slug,
    region: Slug,
    /// The view's digest of the hub's listings, per family ([`digest::Family`]).
    buckets: Vec<Buckets>,
    /// Whether the view agreed with the hub's last heartbeat (not kept: the next
    /// heartbeat says again).
    #[serde(skip)]
    sync: Agreement,
    #[serde(skip)]
    repairs: Repairs,
    profile: HubProfile,
    seq: u64,
    /// The hub's clock at its latest profile: its heartbeat, shown as last seen.
    at_ms: i64,
    usage: Usage,
}

/// The regional view.
pub struct View {
    /// The day the `Open` term was last made true to.
    today: CivilDate,
    hubs: Vec<HubState>,
    hub_ids: HashMap<Slug, HubId>,
    opportunities: Opportunities,
    safe_houses: Family<SafeHouseListing>,
    services: Family<ServiceListing>,
    referrals: Referrals,
    /// The region's synonyms, for widening query words.
    synonyms: Synonyms,
    quota: Quota,
    /// The region's roster's names for hubs (shown instead of their profiles'), and
    /// whether the region has a roster at all. Configuration, not state: set at start.
    roster: Option<BTreeMap<Slug, String>>,
}

impl std::fmt::Debug for View {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("View").field("today", &self.today).field("counts", &self.counts()).finish_non_exhaustive()
    }
}

/// The first section of a view's image: everything but the opportunities' entities,
/// slots and index, which are the rest. Nothing the configuration gives (synonyms,
/// quotas) is in it.
#[derive(Serialize)]
struct ImageRef<'a> {
    today: CivilDate,
    hubs: &'a [HubState],
    closing: Vec<(CivilDate, crate::index::DocKey)>,
    safe_houses: &'a Family<SafeHouseListing>,
    services: &'a Family<ServiceListing>,
    referrals: &'a Referrals,
}

#[derive(Deserialize)]
struct Image {
    today: CivilDate,
    hubs: Vec<HubState>,
    closing: Vec<(CivilDate, crate::index::DocKey)>,
    safe_houses: Family<SafeHouseListing>,
    services: Family<ServiceListing>,
    referrals: Referrals,
}

impl View {
    /// How many sections the view's image has ([`View::write_section`]). They are
    /// written one after the other and read back apart, on two threads.
    pub fn sections(&self) -> usize {
        1 + self.opportunities.family.parts()
    }

    /// Writes one section of the view as a [`crate::snapshot`] holds it.
    pub fn write_section(&self, section: usize, out: impl std::io::Write) -> Result<(), postcard::Error> {
        if section > 0 {
            return self.opportunities.family.write_part(section - 1, out);
        }
        let image = ImageRef {
            today: self.today,
            hubs: &self.hubs,
            closing: self.opportunities.closing.iter().copied().collect(),
            safe_houses: &self.safe_houses,
            services: &self.services,
            referrals: &self.referrals,
        };
        postcard::to_io(&image, out).map(|_| ())
    }

    /// Reads a view written in `sections` sections by [`View::write_section`], with
    /// the default synonyms and quotas. `section` gives the bytes of one section; it
    /// is called from two threads. Err names what does not hold together.
    pub fn read_image(
        section: impl Fn(usize) -> Result<Vec<u8>, String> + std::marker::Sync,
        sections: usize,
    ) -> Result<View, String> {
        if sections < 3 {
            return Err(format!("{sections} sections; a view has at least 3"));
        }
        let part = |p: usize| section(1 + p);
        let (image, opportunities) = std::thread::scope(|scope| {
            let opportunities = Family::<OpportunityListing>::read_parts(&part, sections - 1, scope);
            let image = section(0).and_then(|b| postcard::from_bytes::<Image>(&b).map_err(|e| e.to_string()));
            (image, opportunities)
        });
        let (image, family) = (image?, opportunities?);
        let mut hub_ids = HashMap::with_capacity(image.hubs.len());
        for (h, state) in image.hubs.iter().enumerate() {
            if hub_ids.insert(state.slug.clone(), h as HubId).is_some() {
                return Err(format!("hub {} is listed twice", state.slug));
            }
        }
        let hubs = image.hubs.len();
        if !family.hubs_below(hubs) || !image.safe_houses.hubs_below(hubs) || !image.services.hubs_below(hubs) {
            return Err("a listing names a hub the view does not have".into());
        }
        let opportunities = Opportunities { family, closing: image.closing.into_iter().collect() };
        Ok(View {
            today: image.today,
            hubs: image.hubs,
            hub_ids,
            opportunities,
            safe_houses: image.safe_houses,
            services: image.services,
            referrals: image.referrals,
            synonyms: Synonyms::builtin(),
            quota: Quota::default(),
            roster: None,
        })
    }

    /// An empty view, with the `Open` term computed for `today`.
    pub fn new(today: CivilDate) -> View {
        View {
            today,
            hubs: Vec::new(),
            hub_ids: HashMap::new(),
            opportunities: Opportunities::default(),
            safe_houses: Family::default(),
            services: Family::default(),
            referrals: Referrals::default(),
            synonyms: Synonyms::builtin(),
            quota: Quota::default(),
            roster: None,
        }
    }

    /// Sets what each hub may hold. What the view already holds stays; only new
    /// growth is checked.
    pub fn set_quota(&mut self, quota: Quota) {
        self.quota = quota;
    }

    /// Replaces the synonyms queries are widened with (the built-in list and the
    /// region's own, [`Synonyms::with_file`]).
    pub fn set_synonyms(&mut self, synonyms: Synonyms) {
        self.synonyms = synonyms;
    }

    /// The region's roster's names for its hubs: a region with a roster shows those
    /// names, whatever a hub's profile says.
    pub fn set_roster_names(&mut self, names: BTreeMap<Slug, String>) {
        self.roster = Some(names);
    }

    /// Whether the view has a profile of `hub`.
    /// The region of `hub`, if the view knows it.
    pub fn hub_region(&self, hub: &Slug) -> Option<&Slug> {
        self.hub_ids.get(hub).map(|&h| &self.hubs[h as usize].region)
    }

    pub fn knows_hub(&self, hub: &Slug) -> bool {
        self.hub_ids.contains_key(hub)
    }

    pub fn counts(&self) -> Counts {
        Counts {
            hubs: self.hubs.len(),
            opportunities: self.opportunities.family.len(),
            safe_houses: self.safe_houses.len(),
            services: self.services.len(),
            referrals: self.referrals.len(),
        }
    }

    /// Puts back a hub whose key was pinned before a rebuild but whose profile the
    /// stream no longer holds in a form that verifies (a forged profile took its
    /// place): its listings are accepted again under the pinned key, and its next
    /// genuine profile (any sequence number above 0) fills in the rest.
    pub fn restore_pinned(&mut self, region: &Slug, hub: &Slug, key: VerifyingKey) -> Record {
        let profile = HubProfile {
            name: hub.to_string(),
            description: String::new(),
            contact: String::new(),
            helpline_hours: String::new(),
            signing_key: key.to_bytes(),
            box_key: [0; 32],
            rotations: vec![],
            left: false,
            digest: None,
        };
        let record = HubRecord { profile, seq: 0, at_ms: 0, region: region.clone() };
        self.put_hub(hub, &record);
        Record::Hub { hub: hub.clone(), record }
    }

    /// Applies a verified event, unless the view already has the same or a newer
    /// state of its entity.
    pub fn apply(&mut self, opened: &Opened) -> Outcome {
        self.apply_received(opened, i64::MAX)
    }

    /// [`View::apply`] for an event the region's stream stored at `stored_ms`: the
    /// time a hub signs is taken no later than that, so that a hub dating its events
    /// (or its listings' ids) ahead cannot rank them above what reached the region
    /// after them.
    pub fn apply_received(&mut self, opened: &Opened, stored_ms: i64) -> Outcome {
        let env = &opened.envelope;
        let (hub, seq, at_ms) = (&env.hub, env.hub_seq, env.at_ms.min(stored_ms));
        let known = self.hub_ids.get(hub).copied();
        if let Some(h) = known
            && !matches!(opened.event, Event::Profile(_))
        {
            // Whatever becomes of it, the hub is there and publishing.
            self.hubs[h as usize].repairs.heard = true;
        }
        match &opened.event {
            // One hub's side of a referral: its metadata is kept, its sealed notes are not.
            Event::Referral(side) => {
                let Some(h) = known else { return Outcome::UnknownHub };
                let new_side = !self.referrals.has_side(hub, side);
                let usage = &mut self.hubs[h as usize].usage;
                if new_side && usage.referral_sides >= self.quota.referral_sides {
                    usage.refused += 1;
                    return Outcome::OverQuota("referral-sides");
                }
                match self.referrals.apply(hub, seq, side) {
                    Ok(Some(record)) => {
                        if new_side {
                            self.hubs[h as usize].usage.referral_sides += 1;
                        }
                        Outcome::Applied(Box::new(record))
                    }
                    Ok(None) => Outcome::Ignored,
                    Err(e) => Outcome::Invalid(e),
                }
            }
            Event::Profile(profile) => {
                let profile = match profile.clone().validate() {
                    Ok(p) => p,
                    Err(e) => return Outcome::Invalid(e),
                };
                if known.is_some_and(|h| self.hubs[h as usize].seq >= seq) {
                    return Outcome::Ignored;
                }
                let record = HubRecord { profile, seq, at_ms, region: env.region.clone() };
                self.put_hub(hub, &record);
                Outcome::Applied(Box::new(Record::Hub { hub: hub.clone(), record }))
            }
            Event::OpportunityPublished(o) => {
                let Some(h) = known else { return Outcome::UnknownHub };
                let o = match o.clone().validate() {
                    Ok(o) => o,
                    Err(e) => return Outcome::Invalid(e),
                };
                // The relay does not show withdrawn opportunities at all.
                let id = o.id;
                let item = (o.status != OpportunityStatus::Withdrawn).then_some(o);
                self.change::<OpportunityListing>(hub, h, id, EntityRecord { seq, at_ms, item })
            }
            Event::OpportunityWithdrawn { id } => {
                let Some(h) = known else { return Outcome::UnknownHub };
                self.change::<OpportunityListing>(hub, h, *id, EntityRecord { seq, at_ms, item: None })
            }
            Event::SafeHousePublished(s) => {
                let Some(h) = known else { return Outcome::UnknownHub };
                let s = match s.clone().validate() {
                    Ok(s) => s,
                    Err(e) => return Outcome::Invalid(e),
                };
                let id = s.id;
                self.change::<SafeHouseListing>(hub, h, id, EntityRecord { seq, at_ms, item: Some(s) })
            }
            Event::SafeHouseWithdrawn { id } => {
                let Some(h) = known else { return Outcome::UnknownHub };
                self.change::<SafeHouseListing>(hub, h, *id, EntityRecord { seq, at_ms, item: None })
            }
            Event::ServicePublished(s) => {
                let Some(h) = known else { return Outcome::UnknownHub };
                let s = match s.clone().validate() {
                    Ok(s) => s,
                    Err(e) => return Outcome::Invalid(e),
                };
                let id = s.id;
                self.change::<ServiceListing>(hub, h, id, EntityRecord { seq, at_ms, item: Some(s) })
            }
            Event::ServiceWithdrawn { id } => {
                let Some(h) = known else { return Outcome::UnknownHub };
                self.change::<ServiceListing>(hub, h, *id, EntityRecord { seq, at_ms, item: None })
            }
        }
    }

    /// Puts a change of one entity in its family, unless the view has the same or a
    /// newer state of it.
    fn change<L: Member>(&mut self, hub: &Slug, h: HubId, id: Ulid, record: EntityRecord<L::Item>) -> Outcome {
        let family = L::family(self);
        let seen = family.seq(id, h);
        if seen.is_some_and(|s| s >= record.seq) {
            return Outcome::Ignored;
        }
        let delta = family.delta(h, id, &record);
        let usage = &mut self.hubs[h as usize].usage;
        if let Some(quota) = usage.refuses(delta, seen.is_none() && record.item.is_some(), &self.quota) {
            usage.refused += 1;
            return Outcome::OverQuota(quota);
        }
        self.put_entity::<L>(h, id, &record);
        Outcome::Applied(Box::new(L::record(hub.clone(), id, record)))
    }

    /// Puts an entity in its family and counts it against its hub.
    fn put_entity<L: Member>(&mut self, h: HubId, id: Ulid, record: &EntityRecord<L::Item>) {
        let before = L::family(self).seq(id, h);
        let delta = L::put(self, h, id, record);
        let state = &mut self.hubs[h as usize];
        state.usage.add(delta);
        let buckets = &mut state.buckets[L::DIGEST as usize];
        if let Some(seq) = before {
            buckets.remove(id, seq);
        }
        buckets.add(id, record.seq);
    }

    /// Compares the digest in hub `hub`'s heartbeat with what the view holds of the
    /// hub, and says whether they agree; when they do not, the repair to ask for,
    /// unless one was asked for too recently (waits double from 15 s to 30 min).
    pub fn compare_digest(&mut self, hub: &Slug, theirs: &HubDigest, now_ms: i64) -> Comparison {
        let Some(&h) = self.hub_ids.get(hub) else { return Comparison::InStep { was_diverged: false } };
        let state = &mut self.hubs[h as usize];
        let families: Vec<(digest::Family, Buckets)> = digest::Family::ALL
            .into_iter()
            .filter(|f| state.buckets[*f as usize].total() != *theirs.family(*f))
            .map(|f| (f, state.buckets[f as usize].clone()))
            .collect();
        if families.is_empty() {
            let was_diverged = matches!(state.sync, Agreement::Diverged { .. });
            state.sync = Agreement::InStep;
            state.repairs = Repairs::default();
            return Comparison::InStep { was_diverged };
        }
        let newly = !matches!(state.sync, Agreement::Diverged { .. });
        let since_ms = match state.sync {
            Agreement::Diverged { since_ms } => since_ms,
            _ => now_ms,
        };
        state.sync = Agreement::Diverged { since_ms };
        let request = state.repairs.ask(now_ms).then_some(RepairRequest { families });
        Comparison::Diverged { newly, request }
    }

    /// Puts back a record read from the store. Hubs come before their entities.
    pub fn restore(&mut self, record: Record) -> Result<(), StoreError> {
        let unknown = |tree: &'static str, hub: &Slug| StoreError::Corrupt {
            tree,
            why: format!("an entity of hub {hub:?}, which has no record"),
        };
        match record {
            Record::Hub { hub, record } => self.put_hub(&hub, &record),
            Record::Opportunity { hub, id, record } => {
                let &h = self.hub_ids.get(&hub).ok_or_else(|| unknown("opportunities", &hub))?;
                self.put_entity::<OpportunityListing>(h, id, &record);
            }
            Record::SafeHouse { hub, id, record } => {
                let &h = self.hub_ids.get(&hub).ok_or_else(|| unknown("safehouses", &hub))?;
                self.put_entity::<SafeHouseListing>(h, id, &record);
            }
            Record::Service { hub, id, record } => {
                let &h = self.hub_ids.get(&hub).ok_or_else(|| unknown("services", &hub))?;
                self.put_entity::<ServiceListing>(h, id, &record);
            }
            // Referrals name hubs by id, not by their number in the view: the other
            // hub of a referral may not have been seen.
            Record::Referral { id, sender, receiver, record } => {
                for (author, side) in [(&sender, record.sender.is_some()), (&receiver, record.receiver.is_some())] {
                    if side && let Some(&h) = self.hub_ids.get(author) {
                        self.hubs[h as usize].usage.referral_sides += 1;
                    }
                }
                self.referrals.put(id, sender, receiver, record)
            }
        }
        Ok(())
    }

    fn put_hub(&mut self, hub: &Slug, record: &HubRecord) {
        let usage = self.hub_ids.get(hub).map(|&h| self.hubs[h as usize].usage).unwrap_or_default();
        let (profile, seq, at_ms) = (record.profile.clone(), record.seq, record.at_ms);
        let mut state = HubState {
            slug: hub.clone(),
            region: record.region.clone(),
            buckets: vec![Buckets::default(); digest::Family::ALL.len()],
            sync: Agreement::Unknown,
            repairs: Repairs::default(),
            profile,
            seq,
            at_ms,
            usage,
        };
        match self.hub_ids.get(hub) {
            Some(&h) => {
                let old = &mut self.hubs[h as usize];
                state.buckets = std::mem::take(&mut old.buckets);
                (state.sync, state.repairs) = (old.sync, old.repairs);
                *old = state;
            }
            None => {
                self.hub_ids.insert(hub.clone(), self.hubs.len() as HubId);
                self.hubs.push(state);
            }
        }
    }

    /// Moves the view to a new day: opportunities that closed before it lose the
    /// `Open` term. Called by ingest on a timer; a day in the past changes nothing.
    pub fn set_today(&mut self, today: CivilDate) {
        if today <= self.today {
            return;
        }
        self.today = today;
        self.opportunities.sweep(today);
    }

    fn hub_slug(&self, h: HubId) -> &Slug {
        &self.hubs[h as usize].slug
    }

    fn hit<K, T>(&self, doc: &family::Doc<K>, item: T) -> Hit<T> {
        let state = &self.hubs[doc.hub as usize];
        Hit { hub: state.slug.clone(), region: state.region.clone(), seq: doc.seq, at_ms: doc.at_ms, item }
    }

    /// The term for a hub filter; Err when the hub is unknown (nothing matches).
    fn hub_term(&self, hub: &Option<Slug>) -> Result<Option<Term>, ()> {
        match hub {
            None => Ok(None),
            Some(slug) => self.hub_ids.get(slug).map(|&h| Some(Term::Hub(h))).ok_or(()),
        }
    }

    /// Opportunities matching `q`, best or newest first. `today` decides which have closed.
    pub fn search_opportunities(
        &self,
        q: &OpportunityQuery,
        today: CivilDate,
    ) -> Result<Page<Hit<Opportunity>>, TimedOut> {
        let Ok(hub) = self.hub_term(&q.hub) else { return Ok(Page { items: vec![], next: None }) };
        let Page { items: docs, next } = self.opportunities.search(q, hub, today, &self.synonyms)?;
        let items = docs.into_iter().map(|d| self.hit(d, OpportunityListing::item(&d.kept))).collect();
        Ok(Page { items, next })
    }

    /// Safe houses matching `q`, best or newest first. `now_ms` decides which
    /// availability reports are stale.
    pub fn list_safe_houses(&self, q: &SafeHouseQuery, now_ms: i64) -> Result<Page<Hit<SafeHouse>>, TimedOut> {
        let Ok(hub) = self.hub_term(&q.hub) else { return Ok(Page { items: vec![], next: None }) };
        let Page { items: docs, next } = safehouses::search(&self.safe_houses, q, hub, now_ms, &self.synonyms)?;
        let items = docs.into_iter().map(|d| self.hit(d, d.kept.clone())).collect();
        Ok(Page { items, next })
    }

    /// Services matching `q`, best or newest first.
    pub fn search_services(&self, q: &ServiceQuery) -> Result<Page<Hit<Service>>, TimedOut> {
        let Ok(hub) = self.hub_term(&q.hub) else { return Ok(Page { items: vec![], next: None }) };
        let Page { items: docs, next } = services::search(&self.services, q, hub, &self.synonyms)?;
        let items = docs.into_iter().map(|d| self.hit(d, d.kept.clone())).collect();
        Ok(Page { items, next })
    }

    /// The live entities of a family with this id, of `hub` when given. Several hubs
    /// may use one id (ids are theirs to choose): without a hub, an id used by more
    /// than one is [`Ambiguous`], so that no hub's listing can stand in for another's.
    fn lookup<'a, L: Listing + 'a>(
        &'a self,
        family: &'a Family<L>,
        id: Ulid,
        hub: Option<&Slug>,
    ) -> Result<Option<&'a family::Doc<L::Kept>>, Ambiguous> {
        let mut found = family.by_id(id).filter(|d| hub.is_none_or(|h| self.hub_slug(d.hub) == h));
        let first = found.next();
        let rest: Vec<&family::Doc<L::Kept>> = found.collect();
        if rest.is_empty() {
            return Ok(first);
        }
        let mut hubs: Vec<Slug> = first.into_iter().chain(rest).map(|d| self.hub_slug(d.hub).clone()).collect();
        hubs.sort();
        Err(Ambiguous(hubs))
    }

    /// The opportunity with this id (of `hub`, when given), open or not.
    pub fn opportunity(&self, id: Ulid, hub: Option<&Slug>) -> Result<Option<Hit<Opportunity>>, Ambiguous> {
        let doc = self.lookup(&self.opportunities.family, id, hub)?;
        Ok(doc.map(|d| self.hit(d, OpportunityListing::item(&d.kept))))
    }

    /// The service with this id (of `hub`, when given).
    pub fn service(&self, id: Ulid, hub: Option<&Slug>) -> Result<Option<Hit<Service>>, Ambiguous> {
        let doc = self.lookup(&self.services, id, hub)?;
        Ok(doc.map(|d| self.hit(d, d.kept.clone())))
    }

    /// The safe house with this id (of `hub`, when given).
    pub fn safe_house(&self, id: Ulid, hub: Option<&Slug>) -> Result<Option<Hit<SafeHouse>>, Ambiguous> {
        let doc = self.lookup(&self.safe_houses, id, hub)?;
        Ok(doc.map(|d| self.hit(d, d.kept.clone())))
    }

    /// The region's referral counts: by status, and per receiving hub.
    pub fn referral_stats(&self) -> ReferralStats {
        self.referrals.stats()
    }

    /// Every hub, by id, with its counts of live listings.
    pub fn hubs(&self) -> Vec<HubSummary> {
        let mut hubs: Vec<HubSummary> = self
            .hubs
            .iter()
            .enumerate()
            .map(|(h, s)| HubSummary {
                hub: s.slug.clone(),
                region: s.region.clone(),
                sync: s.sync,
                profile: s.profile.clone(),
                name: self.roster.as_ref().and_then(|names| names.get(&s.slug)).unwrap_or(&s.profile.name).clone(),
                on_roster: self.roster.is_some(),
                last_seen_ms: s.at_ms,
                opportunities: self.opportunities.family.index.count(&Term::Hub(h as HubId)),
                safe_houses: self.safe_houses.index.count(&Term::Hub(h as HubId)),
                services: self.services.index.count(&Term::Hub(h as HubId)),
                usage: s.usage,
                over_quota: s.usage.full(&self.quota),
            })
            .collect();
        hubs.sort_by(|a, b| a.hub.cmp(&b.hub));
        // Two hubs are never shown under one name: each is told apart by its id.
        let folded = |n: &str| n.trim().to_lowercase();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for h in &hubs {
            *seen.entry(folded(&h.name)).or_default() += 1;
        }
        for h in &mut hubs {
            if seen[&folded(&h.name)] > 1 {
                h.name = format!("{} ({})", h.name.trim(), h.hub);
            }
        }
        hubs
    }
}

/// How [`View::apply`] and [`View::restore`] reach a family and its store records:
/// one impl per family.
trait Member: Listing {
    /// Which of a hub's digests the family counts in.
    const DIGEST: digest::Family;
    fn family(view: &View) -> &Family<Self>
    where
        Self: Sized;
    fn put(view: &mut View, hub: HubId, id: Ulid, record: &EntityRecord<Self::Item>) -> Delta;
    fn record(hub: Slug, id: Ulid, record: EntityRecord<Self::Item>) -> Record;
}

impl Member for OpportunityListing {
    const DIGEST: digest::Family = digest::Family::Opportunities;
    fn family(view: &View) -> &Family<Self> {
        &view.opportunities.family
    }
    fn put(view: &mut View, hub: HubId, id: Ulid, record: &EntityRecord<Opportunity>) -> Delta {
        view.opportunities.put(hub, id, record, view.today)
    }
    fn record(hub: Slug, id: Ulid, record: EntityRecord<Opportunity>) -> Record {
        Record::Opportunity { hub, id, record }
    }
}

impl Member for SafeHouseListing {
    const DIGEST: digest::Family = digest::Family::SafeHouses;
    fn family(view: &View) -> &Family<Self> {
        &view.safe_houses
    }
    fn put(view: &mut View, hub: HubId, id: Ulid, record: &EntityRecord<SafeHouse>) -> Delta {
        view.safe_houses.put(hub, id, record, view.today).delta
    }
    fn record(hub: Slug, id: Ulid, record: EntityRecord<SafeHouse>) -> Record {
        Record::SafeHouse { hub, id, record }
    }
}

impl Member for ServiceListing {
    const DIGEST: digest::Family = digest::Family::Services;
    fn family(view: &View) -> &Family<Self> {
        &view.services
    }
    fn put(view: &mut View, hub: HubId, id: Ulid, record: &EntityRecord<Service>) -> Delta {
        view.services.put(hub, id, record, view.today).delta
    }
    fn record(hub: Slug, id: Ulid, record: EntityRecord<Service>) -> Record {
        Record::Service { hub, id, record }
    }
}

#[cfg(test)]
mod tests {
    use super::family::page_size;
    use super::*;
    use crate::query::safe_house_v1;
    use crate::search::{Position, TextQuery};
    use ed25519_dalek::SigningKey;
    use kith_proto::domain::{Availability, ForTag, OpportunityKind, Pay, PayPer, Sector};
    use kith_proto::envelope::{open, seal};
    use kith_proto::referral::{ReferralSide, ReferralStatus, Role, Step};
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
        theirs.opportunities.add(Ulid::new(), 7);
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
        assert_eq!((hubs[0].opportunities, hubs[0].safe_houses), (1, 1));
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
        assert!(matches!(record, Record::Opportunity { record: EntityRecord { item: None, .. }, .. }));
        assert!(view.opportunity(o.id, None).unwrap().is_none());
        assert_eq!(view.counts().opportunities, 0);
        assert!(search(&view, OpportunityQuery { text: text_of("gardener"), ..Default::default() }).is_empty());
        // A redelivered older publish does not bring it back.
        assert!(matches!(view.apply(&publish), Outcome::Ignored));
        assert!(view.opportunity(o.id, None).unwrap().is_none());
        // Nor does a publish with status withdrawn show anything.
        let mut w = opportunity("Withdrawn one");
        w.status = OpportunityStatus::Withdrawn;
        applied(&mut view, hub.opened(Event::OpportunityPublished(w.clone())));
        assert!(view.opportunity(w.id, None).unwrap().is_none());
        assert_eq!(view.hubs()[0].opportunities, 0);
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
        assert_eq!(view.counts().opportunities, 0);
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
        check(
            OpportunityQuery { kind: Some(OpportunityKind::Volunteering), ..Default::default() },
            &["Remote bookkeeper"],
        );
        check(OpportunityQuery { sector: Some(Sector::MentalHealth), ..Default::default() }, &["Peer support worker"]);
        check(OpportunityQuery { area: words_of("ls6"), ..Default::default() }, &["Peer support worker", "Gardener"]);
        check(
            OpportunityQuery { area: words_of("Leeds LS6"), ..Default::default() },
            &["Peer support worker", "Gardener"],
        );
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
            OpportunityQuery {
                hub: Some(slug("garden")),
                paid_only: true,
                area: words_of("leeds"),
                ..Default::default()
            },
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
        assert_eq!(view.opportunities.family.index.count(&Term::Open), 0);
        assert!(view.opportunities.closing.is_empty());
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
                Some(k) => after = Some(Position::from_token(&k.token(false), false).unwrap()),
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
    fn same_id_from_two_hubs_are_two_entities() {
        let mut a = Hub::new("garden", 1);
        let mut b = Hub::new("co-op", 3);
        let mut view = view_with(&mut a);
        applied(&mut view, b.opened(b.profile()));
        let o = opportunity("Gardener");
        applied(&mut view, a.opened(Event::OpportunityPublished(o.clone())));
        applied(&mut view, b.opened(Event::OpportunityPublished(o.clone())));
        assert_eq!(view.counts().opportunities, 2);
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
        check(
            SafeHouseQuery { for_tag: Some(ForTag::Women), ..Default::default() },
            &["Women's house", "Anyone's house"],
        );
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
        assert_eq!(view.counts().safe_houses, 2);
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
        assert_eq!(restored.opportunities.closing, view.opportunities.closing);
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

        let sections: Vec<Vec<u8>> = (0..view.sections())
            .map(|i| {
                let mut bytes = Vec::new();
                view.write_section(i, &mut bytes).unwrap();
                bytes
            })
            .collect();
        let mut read = View::read_image(|i| Ok(sections[i].clone()), sections.len()).unwrap();
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
        assert_eq!(read.opportunities.closing, view.opportunities.closing);

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
            assert!(View::read_image(cut, sections.len()).is_err(), "section {damaged}");
        }
        let gone = |i: usize| if i == 2 { Err("gone".into()) } else { Ok(sections[i].clone()) };
        assert!(View::read_image(gone, sections.len()).is_err());
        // A section left out is noticed too: the entities and their slots disagree.
        assert!(View::read_image(|i| Ok(sections[i].clone()), sections.len() - 1).is_err());
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
            let mut names: Vec<String> =
                view.search_services(&q).unwrap().items.into_iter().map(|h| h.item.name).collect();
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
        assert_eq!(view.counts().services, 3);
        // A service with no category breaks the domain's limits.
        let mut bad = service("Nothing", &[], "Leeds");
        bad.categories.clear();
        assert!(matches!(view.apply(&hub.opened(Event::ServicePublished(bad))), Outcome::Invalid(_)));
        applied(&mut view, hub.opened(Event::ServiceWithdrawn { id: advice.id }));
        assert!(view.service(advice.id, None).unwrap().is_none());
        assert_eq!(view.hubs()[0].usage.entities, 2);
    }
}
