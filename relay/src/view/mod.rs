//! The regional view: every hub's profile, every live listing of every family, the
//! indexes the query API answers from, and the metadata of every referral.
//!
//! # Layout
//!
//! - this file: [`View`], the hubs, and [`View::apply`], which hands each verified
//!   event to its family and returns the [`Record`] to persist;
//! - [`family`]: what every family of listings shares (entities, tombstones, index,
//!   lookups, pages) and the [`Listing`](family::Listing) trait a family implements;
//! - [`opportunities`], [`safehouses`], [`services`], [`offers`]: one file per
//!   family, with its query;
//! - [`crate::referrals`]: referrals as metadata.
//!
//! The view is plain in-memory state. [`crate::ingest`] is its only writer; queries
//! ([`crate::query`]) only read, and render what they read for gRPC themselves. At
//! start the view is rebuilt from the store's records with [`View::restore`]. Keys
//! are not the view's business: [`crate::pins`] owns them.
//!
//! Nothing time-dependent is stored: whether a safe house's availability is stale and
//! whether an opportunity has closed are decided when a query runs.

pub mod asks;
pub mod docs;
pub mod family;
pub mod offers;
pub mod opportunities;
pub mod safehouses;
pub mod services;

use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use ulid::Ulid;

use kith_proto::Slug;
use kith_proto::digest::{self, Buckets, HubDigest, RepairRequest};
use kith_proto::domain::HubProfile;
use kith_proto::envelope::Opened;
use kith_proto::event::{Change, Event, Listing as _};
use kith_proto::time::CivilDate;
use kith_proto::validate::ValidationError;
use kith_proto::{each_family, with_family};

use crate::index::Term;
use crate::referrals::{ReferralStats, Referrals};
use crate::store::{EntityRecord, HubRecord, Record, Store, StoreError};
use crate::synonyms::Synonyms;
use asks::AskStates;
pub use family::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Near, Page, area_words};
use family::{Delta, Family, Found, Hit, HubId, Listing, Prior};
use kith_text::places::Places;
pub use offers::{OfferListing, OfferQuery};
pub use opportunities::{Opportunities, OpportunityListing, OpportunityQuery};
pub use safehouses::{SafeHouseListing, SafeHouseQuery};
pub use services::{ServiceListing, ServiceQuery};
use std::sync::Arc;

/// State `seq` of listing `(id, hub)` of `T`'s family as `store` holds it; None
/// when it holds another state or none, or cannot be read (said in the log).
fn stored_listing<T: Member>(store: &Store, id: Ulid, hub: &Slug, seq: u64) -> Option<T> {
    match store.listing(T::FAMILY, id, hub).and_then(|r| r.map(|r| r.decode::<T>()).transpose()) {
        Ok(Some(EntityRecord { seq: s, item: Some(item), .. })) if s == seq => Some(item),
        Ok(_) => {
            tracing::warn!(%hub, %id, seq, "the store does not hold the state of a listing the view holds");
            None
        }
        Err(e) => {
            tracing::warn!(%hub, %id, error = %e, "cannot read a listing from the store");
            None
        }
    }
}

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
    if let Some((family, _)) = opened.event.listing() {
        return with_family!(family, T => match T::change(&opened.event) {
            Some(Change::Published(item)) if id_time(&item.id()) > limit => Some("id"),
            Some(Change::Published(item)) => T::future_field(item, limit),
            _ => None,
        });
    }
    match &opened.event {
        Event::Referral(side) if side.created_at_ms > limit => Some("created_at"),
        Event::Referral(side) if side.steps.iter().any(|s| s.at_ms > limit) => Some("steps.at"),
        _ => None,
    }
}

/// Entity counts, for stats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    pub hubs: usize,
    /// Live listings of each family, in [`digest::Family::ALL`]'s order ([`Counts::of`]).
    pub listings: [usize; digest::Family::COUNT],
    /// Referrals seen, whether or not both sides have arrived.
    pub referrals: usize,
}

impl Counts {
    /// Live listings of `family`.
    pub fn of(&self, family: digest::Family) -> usize {
        self.listings[family.index()]
    }
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
    /// Live listings of each family, in [`digest::Family::ALL`]'s order ([`HubSummary::of`]).
    pub listings: [usize; digest::Family::COUNT],
    /// Of those, the ones whose area names no place the region knows: searched by
    /// words only, never by distance.
    pub unplaced: [usize; digest::Family::COUNT],
    pub usage: Usage,
    /// The quotas the hub has used up: more of the same is refused.
    pub over_quota: Vec<&'static str>,
}

impl HubSummary {
    /// The hub's live listings of `family`.
    pub fn of(&self, family: digest::Family) -> usize {
        self.listings[family.index()]
    }
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
    listings: Listings,
    referrals: Referrals,
    /// Where asks stand, as their hubs say.
    asks: AskStates,
    /// The region's synonyms, for widening query words.
    synonyms: Synonyms,
    /// Where places are: listings' areas are indexed by district with these, so
    /// they are set when the view is made and never changed.
    places: Arc<Places>,
    quota: Quota,
    /// The region's roster's names for hubs (shown instead of their profiles'), and
    /// whether the region has a roster at all. Configuration, not state: set at start.
    roster: Option<BTreeMap<Slug, String>>,
    /// The relay's store, where the bodies of listings the view does not hold are
    /// read ([`View::read_bodies_from`]); None: the view holds them all.
    bodies: Option<Store>,
}

impl std::fmt::Debug for View {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("View").field("today", &self.today).field("counts", &self.counts()).finish_non_exhaustive()
    }
}

/// Every family's listings in the view: the one place it names its families. Each
/// family's file reaches its own field through its [`Member`] impl.
#[derive(Default, Serialize, Deserialize)]
struct Listings {
    /// In sections of their own in the view's image ([`View::write_section`]).
    #[serde(skip)]
    opportunities: Opportunities,
    safe_houses: Family<SafeHouseListing>,
    services: Family<ServiceListing>,
    offers: Family<OfferListing>,
}

/// How the view reaches one family: one impl per family, in its file, on the
/// family's type ([`kith_proto::event::Listing`]). Everything the view does alike
/// for every family (apply, restore, digests, quotas, counts) goes through it.
trait Member: kith_proto::event::Listing {
    /// How the view keeps and indexes it.
    type Kept: Listing<Item = Self>;
    fn family(view: &View) -> &Family<Self::Kept>;
    /// Puts a state of one listing in the family (see [`Family::put`]).
    fn put(view: &mut View, hub: HubId, id: Ulid, record: &EntityRecord<Self>, prior: Prior<'_, Self>) -> Delta;
    /// A field of the listing dated later than `limit` (beside its id), which the
    /// view refuses ([`future_dated`]).
    fn future_field(_item: &Self, _limit: i64) -> Option<&'static str> {
        None
    }
}

/// The first section of a view's image: everything but the opportunities' entities,
/// tombstones and index, which are the rest. Nothing the configuration gives (synonyms,
/// quotas) is in it.
#[derive(Serialize)]
struct ImageRef<'a> {
    today: CivilDate,
    /// The [`Places::fingerprint`] of the places the listings were indexed with.
    places: u64,
    hubs: &'a [HubState],
    closing: Vec<(CivilDate, crate::index::DocKey)>,
    listings: &'a Listings,
    referrals: &'a Referrals,
    asks: &'a AskStates,
}

#[derive(Deserialize)]
struct Image {
    today: CivilDate,
    places: u64,
    hubs: Vec<HubState>,
    closing: Vec<(CivilDate, crate::index::DocKey)>,
    listings: Listings,
    referrals: Referrals,
    asks: AskStates,
}

impl View {
    /// How many sections the view's image has ([`View::write_section`]). They are
    /// written one after the other and read back apart, on two threads.
    pub fn sections(&self) -> usize {
        1 + self.listings.opportunities.family.parts()
    }

    /// Writes one section of the view as a [`crate::snapshot`] holds it.
    pub fn write_section(&self, section: usize, out: impl std::io::Write) -> Result<(), postcard::Error> {
        if section > 0 {
            return self.listings.opportunities.family.write_part(section - 1, out);
        }
        let image = ImageRef {
            today: self.today,
            places: self.places.fingerprint(),
            hubs: &self.hubs,
            closing: self.listings.opportunities.closing.iter().copied().collect(),
            listings: &self.listings,
            referrals: &self.referrals,
            asks: &self.asks,
        };
        postcard::to_io(&image, out).map(|_| ())
    }

    /// Reads a view written in `sections` sections by [`View::write_section`], with
    /// the default synonyms and quotas. `section` gives the bytes of one section; it
    /// is called from two threads. Err names what does not hold together, and a
    /// view indexed with other places than `places`.
    pub fn read_image(
        section: impl Fn(usize) -> Result<Vec<u8>, String> + std::marker::Sync,
        sections: usize,
        places: Arc<Places>,
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
        if image.places != places.fingerprint() {
            return Err("its listings were placed with other places (the places file changed)".into());
        }
        let mut hub_ids = HashMap::with_capacity(image.hubs.len());
        for (h, state) in image.hubs.iter().enumerate() {
            if hub_ids.insert(state.slug.clone(), h as HubId).is_some() {
                return Err(format!("hub {} is listed twice", state.slug));
            }
        }
        let mut listings = image.listings;
        let mut asks = image.asks;
        asks.recount();
        listings.opportunities = Opportunities { family, closing: image.closing.into_iter().collect() };
        let view = View {
            today: image.today,
            hubs: image.hubs,
            hub_ids,
            listings,
            referrals: image.referrals,
            asks,
            synonyms: Synonyms::builtin(),
            places,
            quota: Quota::default(),
            roster: None,
            bodies: None,
        };
        each_family!(T => if !T::family(&view).hubs_below(view.hubs.len()) {
            return Err(format!("a listing of the {} names a hub the view does not have", T::PLURAL));
        });
        Ok(view)
    }

    /// An empty view, with the `Open` term computed for `today`, and GB's places.
    pub fn new(today: CivilDate) -> View {
        View::with_places(today, Arc::new(Places::builtin().clone()))
    }

    /// An empty view that places listings with `places` (GB's, with a region's own
    /// names: [`Places::with_file`]).
    pub fn with_places(today: CivilDate, places: Arc<Places>) -> View {
        View {
            today,
            hubs: Vec::new(),
            hub_ids: HashMap::new(),
            listings: Listings::default(),
            referrals: Referrals::default(),
            asks: AskStates::default(),
            synonyms: Synonyms::builtin(),
            places,
            quota: Quota::default(),
            roster: None,
            bodies: None,
        }
    }

    /// From now on, opportunities are kept without their bodies, which are read from
    /// `store` for the listings a page returns: the store holds every listing the
    /// view does (ingest writes each applied record before the view is read again).
    /// Call before the view is filled; what it already holds stays as it is.
    pub fn read_bodies_from(&mut self, store: Store) {
        self.listings.opportunities.family.read_bodies_from_store();
        self.bodies = Some(store);
    }

    /// Whether the view holds every opportunity's body (none is read from a store).
    pub fn holds_bodies(&self) -> bool {
        self.listings.opportunities.family.holds_bodies()
    }

    /// The state `seq` of listing `(id, hub)` of `T`'s family, as the store holds it.
    fn stored<T: Member>(&self, id: Ulid, h: HubId, seq: u64) -> Option<T> {
        stored_listing(self.bodies.as_ref()?, id, self.hub_slug(h), seq)
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
        let mut listings = [0; digest::Family::COUNT];
        each_family!(T => listings[T::FAMILY.index()] = T::family(self).len());
        Counts { hubs: self.hubs.len(), listings, referrals: self.referrals.len() }
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
            asks: Default::default(),
            unmet_work: Vec::new(),
            language: String::new(),
        };
        let record = HubRecord { profile, seq: 0, at_ms: 0, region: region.clone() };
        self.put_hub(hub, &record);
        Record::Hub { hub: hub.clone(), record: Box::new(record) }
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
            // A hub's word on one of its asks: kept by the reference's hash.
            Event::Ask(answer) => {
                if known.is_none() {
                    return Outcome::UnknownHub;
                }
                // The hub's sealed copy is for the hub alone: checked for size, never kept.
                let answer = match answer.clone().validate() {
                    Ok(a) => a,
                    Err(e) => return Outcome::Invalid(e),
                };
                let answer = &answer;
                match self.asks.apply(hub, seq, at_ms, answer) {
                    Ok(Some((hash, state))) => Outcome::Applied(Box::new(Record::Ask { hash, state })),
                    Ok(None) => Outcome::Ignored,
                    Err(asks::Refused::OverQuota) => Outcome::OverQuota("asks"),
                    Err(asks::Refused::OtherHub) => {
                        Outcome::Invalid(kith_proto::ValidationError::new("reference_hash", "names another hub's ask"))
                    }
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
                Outcome::Applied(Box::new(Record::Hub { hub: hub.clone(), record: Box::new(record) }))
            }
            listing => {
                let Some(h) = known else { return Outcome::UnknownHub };
                let Some((family, _)) = listing.listing() else { unreachable!("every other event is a listing's") };
                with_family!(family, T => match T::change(listing) {
                    Some(Change::Published(item)) => match item.clone().validate() {
                        // A listing whose value says it was withdrawn is not shown at all.
                        Ok(item) => {
                            let (id, item) = (item.id(), (!item.is_withdrawn()).then_some(item));
                            self.change::<T>(hub, h, id, EntityRecord { seq, at_ms, item })
                        }
                        Err(e) => Outcome::Invalid(e),
                    },
                    Some(Change::Withdrawn(id)) => {
                        self.change::<T>(hub, h, id, EntityRecord { seq, at_ms, item: None })
                    }
                    None => unreachable!("an event of its family"),
                })
            }
        }
    }

    /// Puts a change of one entity in its family, unless the view has the same or a
    /// newer state of it.
    fn change<T: Member>(&mut self, hub: &Slug, h: HubId, id: Ulid, record: EntityRecord<T>) -> Outcome {
        let family = T::family(self);
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
        self.put_entity::<T>(h, id, &record, false);
        Outcome::Applied(Box::new(Record::listing(hub.clone(), id, &record)))
    }

    /// Puts an entity in its family and counts it against its hub.
    fn put_entity<T: Member>(&mut self, h: HubId, id: Ulid, record: &EntityRecord<T>, removed: bool) {
        let before = T::family(self).seq(id, h);
        let (bodies, hub) = (self.bodies.clone(), self.hub_slug(h).clone());
        let fetch = move |seq| stored_listing::<T>(bodies.as_ref()?, id, &hub, seq);
        let prior = if removed { Prior::Removed } else { Prior::Fetch(&fetch) };
        let delta = T::put(self, h, id, record, prior);
        let state = &mut self.hubs[h as usize];
        state.usage.add(delta);
        let buckets = &mut state.buckets[T::FAMILY.index()];
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
            .filter(|f| state.buckets[f.index()].total() != *theirs.family(*f))
            .map(|f| (f, state.buckets[f.index()].clone()))
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
        self.restore_as(record, false)
    }

    /// Puts back the records written since a checkpoint over the view read from it
    /// (hubs first, as [`Store::changed_since`] gives them). The store already
    /// holds their new states, so the index terms of the states they replace cannot
    /// be read back from it: the keys of the replaced entities kept without their
    /// bodies are first taken out of every posting set, in one pass (those kept
    /// with their bodies are taken out term by term, as always).
    pub fn restore_changed(&mut self, records: Vec<Record>) -> Result<(), StoreError> {
        let (hubs, rest): (Vec<Record>, Vec<Record>) =
            records.into_iter().partition(|r| matches!(r, Record::Hub { .. }));
        for record in hubs {
            self.restore_as(record, false)?;
        }
        let family = &self.listings.opportunities.family;
        let replaced: foldhash::HashSet<u64> = rest
            .iter()
            .filter_map(|r| match r {
                Record::Listing { family: kith_proto::event::Family::Opportunities, hub, id, .. } => {
                    family.unheld_label(*id, *self.hub_ids.get(hub)?)
                }
                _ => None,
            })
            .collect();
        self.listings.opportunities.family.index.remove_keys(&replaced);
        for record in rest {
            self.restore_as(record, true)?;
        }
        Ok(())
    }

    /// [`View::restore`]; `removed`: the index terms of a listing it replaces were
    /// taken out already ([`View::restore_changed`]).
    fn restore_as(&mut self, record: Record, removed: bool) -> Result<(), StoreError> {
        let unknown = |tree: &'static str, hub: &Slug| StoreError::Corrupt {
            tree,
            why: format!("an entity of hub {hub:?}, which has no record"),
        };
        match record {
            Record::Hub { hub, record } => self.put_hub(&hub, &record),
            Record::Listing { family, hub, id, record } => {
                let &h = self.hub_ids.get(&hub).ok_or_else(|| unknown(family.plural(), &hub))?;
                with_family!(family, T => self.put_entity::<T>(h, id, &record.decode::<T>()?, removed));
            }
            // Referrals name hubs by id, not by their number in the view: the other
            // hub of a referral may not have been seen.
            // Put back over a checkpoint too: a side the view already holds is not
            // counted again.
            Record::Referral { id, sender, receiver, record } => {
                let (had_sender, had_receiver) = self.referrals.sides(id, &sender, &receiver);
                let sides = [
                    (&sender, record.sender.is_some() && !had_sender),
                    (&receiver, record.receiver.is_some() && !had_receiver),
                ];
                for (author, side) in sides {
                    if side && let Some(&h) = self.hub_ids.get(author) {
                        self.hubs[h as usize].usage.referral_sides += 1;
                    }
                }
                self.referrals.put(id, sender, receiver, record)
            }
            Record::Ask { hash, state } => self.asks.put(hash, state),
        }
        Ok(())
    }

    fn put_hub(&mut self, hub: &Slug, record: &HubRecord) {
        let usage = self.hub_ids.get(hub).map(|&h| self.hubs[h as usize].usage).unwrap_or_default();
        let (profile, seq, at_ms) = (record.profile.clone(), record.seq, record.at_ms);
        let mut state = HubState {
            slug: hub.clone(),
            region: record.region.clone(),
            buckets: vec![Buckets::default(); digest::Family::COUNT],
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
        self.listings.opportunities.sweep(today);
    }

    fn hub_slug(&self, h: HubId) -> &Slug {
        &self.hubs[h as usize].slug
    }

    /// The places listings are placed with.
    pub fn places(&self) -> &Arc<Places> {
        &self.places
    }

    /// A listing as a hit: with its place, and its distance from `near`'s.
    /// None when its body cannot be read from the store (said in the log).
    fn hit<T: Member>(&self, doc: &family::Doc<<T::Kept as Listing>::Kept>, near: Option<&Near>) -> Option<Hit<T>> {
        let state = &self.hubs[doc.hub as usize];
        let item = T::Kept::held(&doc.kept).or_else(|| self.stored(doc.id(), doc.hub, doc.seq))?;
        let districts = T::Kept::districts(&doc.kept, &self.places);
        let placed = family::nearest(&districts, &self.places, near.map(|n| n.point));
        Some(Hit {
            hub: state.slug.clone(),
            region: state.region.clone(),
            seq: doc.seq,
            at_ms: doc.at_ms,
            place: placed.map(|(d, _)| self.places.place(d)),
            distance_m: placed.and_then(|(_, m)| m),
            beyond_area: false,
            item,
        })
    }

    /// The term for a hub filter; Err when the hub is unknown (nothing matches).
    fn hub_term(&self, hub: &Option<Slug>) -> Result<Option<Term>, ()> {
        match hub {
            None => Ok(None),
            Some(slug) => self.hub_ids.get(slug).map(|&h| Some(Term::Hub(h))).ok_or(()),
        }
    }

    /// The live listing of `T`'s family with this id (of `hub`, when given).
    fn find<T: Member>(&self, id: Ulid, hub: Option<&Slug>) -> Result<Option<Hit<T>>, Ambiguous> {
        let doc = self.lookup(T::family(self), id, hub)?;
        Ok(doc.and_then(|d| self.hit(d, None)))
    }

    /// A page of a family's entities as hits, with their distance from `near`.
    fn hits<T: Member>(&self, page: Page<Found<'_, <T::Kept as Listing>::Kept>>, near: Option<&Near>) -> Page<Hit<T>> {
        let items = page
            .items
            .into_iter()
            .filter_map(|f| Some(Hit { beyond_area: f.beyond_area, ..self.hit(f.doc, near)? }))
            .collect();
        Page { items, next: page.next }
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

    /// The region's referral counts: by status, and per receiving hub.
    /// Where the ask whose reference hashes to `hash` stands, as its hub said.
    pub fn ask_state(&self, hash: &[u8; 16]) -> Option<&asks::AskState> {
        self.asks.get(hash)
    }

    /// The profile of hub `hub`, if the view has it.
    pub fn hub_profile(&self, hub: &Slug) -> Option<&HubProfile> {
        self.hub_ids.get(hub).map(|&h| &self.hubs[h as usize].profile)
    }

    pub fn referral_stats(&self) -> ReferralStats {
        self.referrals.stats()
    }

    /// Hub `h`'s live listings of each family.
    fn hub_listings(&self, h: HubId) -> [usize; digest::Family::COUNT] {
        let mut listings = [0; digest::Family::COUNT];
        each_family!(T => listings[T::FAMILY.index()] = T::family(self).index.count(&Term::Hub(h)));
        listings
    }

    /// Hub `h`'s live listings of each family whose area names no known place.
    fn hub_unplaced(&self, h: HubId) -> [usize; digest::Family::COUNT] {
        let mut unplaced = [0; digest::Family::COUNT];
        each_family!(T => T::family(self).index.search(&[Term::Hub(h), Term::Unresolved], None, |_| {
            unplaced[T::FAMILY.index()] += 1;
            true
        }));
        unplaced
    }

    /// The work every hub's pool could not take, as their latest profiles say it.
    pub fn unmet_work(&self) -> Vec<kith_proto::domain::UnmetWork> {
        self.hubs.iter().filter(|h| !h.profile.left).flat_map(|h| h.profile.unmet_work.iter().cloned()).collect()
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
                listings: self.hub_listings(h as HubId),
                unplaced: self.hub_unplaced(h as HubId),
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

#[cfg(test)]
mod tests;
