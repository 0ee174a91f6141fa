//! The regional view: every hub's pinned key and profile, every live opportunity and
//! safe house, the indexes the query API answers from, and the metadata of every
//! referral ([`crate::referrals`]).
//!
//! The view is plain in-memory state. [`crate::ingest`] is its only writer: it hands
//! each verified event to [`View::apply`], which decides (per-entity sequence) and
//! returns the [`Record`] to persist; [`crate::query`] only reads. At start the view
//! is rebuilt from the store's records with [`View::restore`].
//!
//! Nothing time-dependent is stored: whether a safe house's availability is stale and
//! whether an opportunity has closed are decided when a query runs. The `Open` index
//! term is kept true to the current day by [`View::set_today`], and every query still
//! checks the closing date of what it returns, so a late sweep cannot show a closed
//! opportunity.

use ed25519_dalek::VerifyingKey;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Instant;
use ulid::Ulid;

use kith_proto::Slug;
use kith_proto::convert::{opportunity_to_v1, safehouse_to_v1};
use kith_proto::domain::{ForTag, HubProfile, Opportunity, OpportunityKind, OpportunityStatus, SafeHouse, Sector};
use kith_proto::envelope::Opened;
use kith_proto::event::Event;
use kith_proto::keys::hex;
use kith_proto::time::CivilDate;
use kith_proto::v1;
use kith_proto::validate::ValidationError;

use crate::index::{DocKey, Field, Index, Term};
use crate::referrals::{ReferralStats, Referrals};
use crate::search::{Position, Sort, TextQuery, TimedOut, Walk, plan};
use crate::store::{EntityRecord, HubRecord, Record, StoreError};
use crate::synonyms::Synonyms;
use crate::text::{is_stop_word, postcode_area, words};

/// A hub's number in the view: index terms and entity keys carry it instead of the slug.
pub type HubId = u32;

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
}

/// How far ahead of the relay's clock a hub's clock may be. An event or an
/// availability report dated later is refused: a date far in the future would sort
/// first for ever, and a year past 9999 cannot even be printed.
pub const MAX_CLOCK_AHEAD_MS: i64 = 5 * 60 * 1000;

/// Why an event is refused as dated in the future (more than
/// [`MAX_CLOCK_AHEAD_MS`] ahead of `now_ms`), naming the field; None when it is not.
pub fn future_dated(opened: &Opened, now_ms: i64) -> Option<&'static str> {
    let limit = now_ms.saturating_add(MAX_CLOCK_AHEAD_MS);
    if opened.envelope.at_ms > limit {
        return Some("at");
    }
    match &opened.event {
        Event::SafeHousePublished(s) if s.availability.is_some_and(|a| a.updated_at_ms > limit) => {
            Some("availability.updated_at")
        }
        Event::Referral(side) if side.created_at_ms > limit => Some("created_at"),
        Event::Referral(side) if side.steps.iter().any(|s| s.at_ms > limit) => Some("steps.at"),
        _ => None,
    }
}

/// The largest page a query returns, and the page size when none is asked for.
pub const MAX_PAGE_SIZE: usize = 500;
pub const DEFAULT_PAGE_SIZE: usize = 50;

/// A search over opportunities. Every given filter must hold.
#[derive(Clone, Debug, Default)]
pub struct OpportunityQuery {
    /// Words that must all match, in any text field ([`crate::search`]).
    pub text: TextQuery,
    pub sort: Sort,
    /// Folded words that must all be in the area ([`area_words`]).
    pub area: Vec<String>,
    pub kind: Option<OpportunityKind>,
    pub sector: Option<Sector>,
    pub remote_only: bool,
    pub paid_only: bool,
    /// Also filled ones and ones past their closing date.
    pub include_closed: bool,
    pub hub: Option<Slug>,
    pub page_size: usize,
    /// Continue after this position (from a page token).
    pub after: Option<Position>,
    /// Give up after this instant.
    pub deadline: Option<Instant>,
}

impl OpportunityQuery {
    /// Whether results come by relevance (and page tokens carry a tier).
    pub fn ranked(&self) -> bool {
        self.sort == Sort::Relevance && !self.text.is_empty()
    }
}

/// A listing of safe houses. Every given filter must hold.
#[derive(Clone, Debug, Default)]
pub struct SafeHouseQuery {
    /// Words that must all match the name, description, area or who it is for.
    pub text: TextQuery,
    pub sort: Sort,
    /// Houses for this group, and houses for anyone.
    pub for_tag: Option<ForTag>,
    pub area: Vec<String>,
    /// Only houses with a bed free according to availability that is not stale.
    pub available_now: bool,
    pub hub: Option<Slug>,
    pub page_size: usize,
    pub after: Option<Position>,
    pub deadline: Option<Instant>,
}

impl SafeHouseQuery {
    /// Whether results come by relevance (and page tokens carry a tier).
    pub fn ranked(&self) -> bool {
        self.sort == Sort::Relevance && !self.text.is_empty()
    }
}

/// The folded words of an area filter, as area terms are indexed.
pub fn area_words(area: &str) -> Vec<String> {
    words(area).collect()
}

/// One page of results, best or newest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Where the next page starts; None on the last page.
    pub next: Option<Position>,
}

/// Entity counts, for stats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    pub hubs: usize,
    pub opportunities: usize,
    pub safe_houses: usize,
    /// Referrals seen, whether or not both sides have arrived.
    pub referrals: usize,
}

struct HubState {
    slug: Slug,
    /// The key every envelope of this hub must verify with.
    key: VerifyingKey,
    profile: HubProfile,
    seq: u64,
    /// The hub's clock at its latest profile: its heartbeat, shown as last seen.
    at_ms: i64,
}

/// An opportunity as the view keeps it: what filters and ordering need, and the
/// rest as postcard bytes, decoded only for the entities a page returns. At a
/// million opportunities this halves the memory of keeping them decoded.
struct OpportunityDoc {
    hub: HubId,
    seq: u64,
    at_ms: i64,
    closes_on: Option<CivilDate>,
    body: Box<[u8]>,
}

impl OpportunityDoc {
    fn new(hub: HubId, seq: u64, at_ms: i64, o: &Opportunity) -> OpportunityDoc {
        let body = postcard::to_stdvec(o).expect("an opportunity always encodes").into_boxed_slice();
        OpportunityDoc { hub, seq, at_ms, closes_on: o.closes_on, body }
    }

    fn opportunity(&self) -> Opportunity {
        // The bytes were encoded by `new` from a value of the same type.
        postcard::from_bytes(&self.body).expect("the view decodes what it encoded")
    }
}

struct SafeHouseDoc {
    hub: HubId,
    seq: u64,
    at_ms: i64,
    house: SafeHouse,
}

trait Doc {
    fn seq(&self) -> u64;
    /// The index terms of the entity on `today`. The same inputs always give the
    /// same terms, so that removing an entity removes exactly what adding it added.
    fn terms(&self, today: CivilDate) -> Vec<Term>;
}

/// The terms of the words of `texts` in `field`, each once. Titles and skills keep
/// stop words (an exact title can be asked for); longer texts leave them out.
fn text_terms(field: Field, texts: &[&str], terms: &mut Vec<Term>) {
    let keep_all = matches!(field, Field::Title | Field::Skills);
    let mut all: Vec<String> = texts.iter().flat_map(|t| words(t)).filter(|w| keep_all || !is_stop_word(w)).collect();
    all.sort_unstable();
    all.dedup();
    terms.extend(all.into_iter().map(|w| Term::Text(field, w.into_boxed_str())));
}

/// The area terms of an area: its words, and the letters of any postcode district
/// in it, so that `LS` finds `Leeds LS6` and `LS10`.
fn area_terms(area: &str, terms: &mut Vec<Term>) {
    let mut all = Vec::new();
    for w in words(area) {
        if let Some(letters) = postcode_area(&w) {
            all.push(letters.to_owned());
        }
        all.push(w);
    }
    all.sort_unstable();
    all.dedup();
    terms.extend(all.into_iter().map(|w| Term::Area(w.into_boxed_str())));
}

fn opportunity_terms(o: &Opportunity, hub: HubId, today: CivilDate) -> Vec<Term> {
    let mut terms = vec![Term::All, Term::Kind(o.kind), Term::Sector(o.sector), Term::Hub(hub)];
    if o.remote {
        terms.push(Term::Remote);
    }
    if o.pay.is_paid() {
        terms.push(Term::Paid);
    }
    if o.is_open_on(today) {
        terms.push(Term::Open);
    }
    text_terms(Field::Title, &[&o.title], &mut terms);
    let skills: Vec<&str> = o.skills.iter().map(String::as_str).collect();
    text_terms(Field::Skills, &skills, &mut terms);
    text_terms(Field::Description, &[&o.description], &mut terms);
    text_terms(Field::Meta, &[&o.area, o.kind.as_str(), o.sector.as_str()], &mut terms);
    area_terms(&o.area, &mut terms);
    terms
}

impl Doc for OpportunityDoc {
    fn seq(&self) -> u64 {
        self.seq
    }
    fn terms(&self, today: CivilDate) -> Vec<Term> {
        opportunity_terms(&self.opportunity(), self.hub, today)
    }
}

impl Doc for SafeHouseDoc {
    fn seq(&self) -> u64 {
        self.seq
    }
    fn terms(&self, _today: CivilDate) -> Vec<Term> {
        let house = &self.house;
        let mut terms = vec![Term::All, Term::Hub(self.hub)];
        text_terms(Field::Title, &[&house.name], &mut terms);
        text_terms(Field::Description, &[&house.description], &mut terms);
        let mut meta: Vec<&str> = vec![&house.area];
        meta.extend(house.for_tags.iter().map(|t| t.as_str()));
        text_terms(Field::Meta, &meta, &mut terms);
        area_terms(&house.area, &mut terms);
        terms
    }
}

/// Where an entity stands: live under a key, or withdrawn at a sequence.
#[derive(Clone, Copy, Debug)]
enum Slot {
    Live(DocKey),
    Gone { seq: u64 },
}

/// One family of entities (opportunities or safe houses) and its index.
struct Family<D> {
    docs: HashMap<DocKey, D>,
    /// By (id, hub): ids are chosen by hubs, so two hubs could use the same one; the
    /// pair is the identity. Tombstones stay here so that an older event cannot
    /// bring back a withdrawn entity.
    slots: BTreeMap<(Ulid, HubId), Slot>,
    index: Index,
}

impl<D> Default for Family<D> {
    fn default() -> Self {
        Family { docs: HashMap::new(), slots: BTreeMap::new(), index: Index::default() }
    }
}

impl<D: Doc> Family<D> {
    /// The sequence of the latest state the view has of this entity.
    fn seq(&self, id: Ulid, hub: HubId) -> Option<u64> {
        match self.slots.get(&(id, hub))? {
            Slot::Live(key) => Some(self.docs[key].seq()),
            Slot::Gone { seq } => Some(*seq),
        }
    }

    /// Replaces the entity's state by `doc`, or by a tombstone at `seq`. Returns the
    /// previous live doc with its key, and the key of the new one.
    fn set(
        &mut self,
        id: Ulid,
        hub: HubId,
        seq: u64,
        doc: Option<D>,
        today: CivilDate,
    ) -> (Option<(DocKey, D)>, Option<DocKey>) {
        let old = match self.slots.get(&(id, hub)) {
            Some(Slot::Live(key)) => {
                let key = *key;
                let old = self.docs.remove(&key).expect("a live slot has its doc");
                for term in old.terms(today) {
                    self.index.remove(&term, key);
                }
                Some((key, old))
            }
            _ => None,
        };
        let Some(doc) = doc else {
            self.slots.insert((id, hub), Slot::Gone { seq });
            return (old, None);
        };
        let key = match &old {
            Some((key, _)) => *key,
            None => DocKey::probe(id, |k| self.docs.contains_key(&k)),
        };
        for term in doc.terms(today) {
            self.index.add(term, key);
        }
        self.docs.insert(key, doc);
        self.slots.insert((id, hub), Slot::Live(key));
        (old, Some(key))
    }

    /// The live docs with this id, whichever hub published them.
    fn by_id(&self, id: Ulid) -> impl Iterator<Item = &D> {
        self.slots.range((id, 0)..=(id, HubId::MAX)).filter_map(|(_, slot)| match slot {
            Slot::Live(key) => self.docs.get(key),
            Slot::Gone { .. } => None,
        })
    }

    /// Walks the entities that have all `filters` and match `text`, best (or
    /// newest) first after `after`, and keeps those `keep` accepts, up to one more
    /// than a page: the extra one only says that there is a next page.
    fn page(
        &self,
        filters: &[Term],
        text: &TextQuery,
        ranked: bool,
        synonyms: &Synonyms,
        page: (usize, Option<Position>, Option<Instant>),
        keep: impl Fn(&D) -> bool,
    ) -> Result<(Vec<&D>, Option<Position>), TimedOut> {
        let (page_size, after, deadline) = page;
        let words = plan(text, &self.index, synonyms);
        let walk = Walk { index: &self.index, filters, words: &words, ranked, deadline };
        let mut hits: Vec<(Position, &D)> = Vec::with_capacity(page_size + 1);
        walk.run(after, |tier, key| {
            let doc = &self.docs[&key];
            if keep(doc) {
                hits.push((Position { tier, key }, doc));
            }
            hits.len() <= page_size
        })?;
        let next = (hits.len() > page_size).then(|| hits[page_size - 1].0);
        hits.truncate(page_size);
        Ok((hits.into_iter().map(|(_, d)| d).collect(), next))
    }
}

/// The regional view.
pub struct View {
    /// The day the `Open` term was last made true to.
    today: CivilDate,
    hubs: Vec<HubState>,
    hub_ids: HashMap<Slug, HubId>,
    opportunities: Family<OpportunityDoc>,
    safe_houses: Family<SafeHouseDoc>,
    /// Opportunities that have the `Open` term and a closing date: the sweep in
    /// [`View::set_today`] takes the term away from those that closed.
    closing: BTreeSet<(CivilDate, DocKey)>,
    referrals: Referrals,
    /// The region's synonyms, for widening query words.
    synonyms: Synonyms,
}

impl std::fmt::Debug for View {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("View").field("today", &self.today).field("counts", &self.counts()).finish_non_exhaustive()
    }
}

fn page_size(asked: usize) -> usize {
    match asked {
        0 => DEFAULT_PAGE_SIZE,
        n => n.min(MAX_PAGE_SIZE),
    }
}

impl View {
    /// An empty view, with the `Open` term computed for `today`.
    pub fn new(today: CivilDate) -> View {
        View {
            today,
            hubs: Vec::new(),
            hub_ids: HashMap::new(),
            opportunities: Family::default(),
            safe_houses: Family::default(),
            closing: BTreeSet::new(),
            referrals: Referrals::default(),
            synonyms: Synonyms::builtin(),
        }
    }

    /// Replaces the synonyms queries are widened with (the built-in list and the
    /// region's own, [`Synonyms::with_file`]).
    pub fn set_synonyms(&mut self, synonyms: Synonyms) {
        self.synonyms = synonyms;
    }

    /// The key pinned for `hub`, if its profile has been seen.
    pub fn pinned_key(&self, hub: &Slug) -> Option<VerifyingKey> {
        self.hub_ids.get(hub).map(|&h| self.hubs[h as usize].key)
    }

    pub fn counts(&self) -> Counts {
        Counts {
            hubs: self.hubs.len(),
            opportunities: self.opportunities.docs.len(),
            safe_houses: self.safe_houses.docs.len(),
            referrals: self.referrals.len(),
        }
    }

    /// Puts back a hub whose key was pinned before a rebuild but whose profile the
    /// stream no longer holds in a form that verifies (a forged profile took its
    /// place): its listings are accepted again under the pinned key, and its next
    /// genuine profile (any sequence number above 0) fills in the rest.
    pub fn restore_pinned(&mut self, hub: &Slug, key: VerifyingKey) -> Record {
        let profile = HubProfile {
            name: hub.to_string(),
            description: String::new(),
            contact: String::new(),
            helpline_hours: String::new(),
            signing_key: key.to_bytes(),
            box_key: [0; 32],
        };
        let record = HubRecord { signing_key: key.to_bytes(), profile, seq: 0, at_ms: 0 };
        self.put_hub(hub, key, &record);
        Record::Hub { hub: hub.clone(), record }
    }

    /// Applies a verified event, unless the view already has the same or a newer
    /// state of its entity.
    pub fn apply(&mut self, opened: &Opened) -> Outcome {
        let env = &opened.envelope;
        let (hub, seq, at_ms) = (&env.hub, env.hub_seq, env.at_ms);
        match &opened.event {
            // One hub's side of a referral: its metadata is kept, its sealed notes are not.
            Event::Referral(side) => {
                if !self.hub_ids.contains_key(hub) {
                    return Outcome::UnknownHub;
                }
                self.referrals.apply(hub, seq, side)
            }
            Event::Profile(profile) => {
                let profile = match profile.clone().validate() {
                    Ok(p) => p,
                    Err(e) => return Outcome::Invalid(e),
                };
                if self.hub_ids.get(hub).is_some_and(|&h| self.hubs[h as usize].seq >= seq) {
                    return Outcome::Ignored;
                }
                // A profile signed by the pinned key that carries another key rotates
                // it; otherwise the signer is (or, on first sight, becomes) the pin.
                let key = opened.rotated_key().unwrap_or(opened.signer);
                let record = HubRecord { signing_key: key.to_bytes(), profile, seq, at_ms };
                self.put_hub(hub, key, &record);
                Outcome::Applied(Box::new(Record::Hub { hub: hub.clone(), record }))
            }
            Event::OpportunityPublished(o) => {
                let Some(&h) = self.hub_ids.get(hub) else { return Outcome::UnknownHub };
                let o = match o.clone().validate() {
                    Ok(o) => o,
                    Err(e) => return Outcome::Invalid(e),
                };
                if self.opportunities.seq(o.id, h).is_some_and(|s| s >= seq) {
                    return Outcome::Ignored;
                }
                let id = o.id;
                // The relay does not show withdrawn opportunities at all.
                let item = (o.status != OpportunityStatus::Withdrawn).then_some(o);
                let record = EntityRecord { seq, at_ms, item };
                self.put_opportunity(h, id, &record);
                Outcome::Applied(Box::new(Record::Opportunity { hub: hub.clone(), id, record }))
            }
            Event::OpportunityWithdrawn { id } => {
                let Some(&h) = self.hub_ids.get(hub) else { return Outcome::UnknownHub };
                if self.opportunities.seq(*id, h).is_some_and(|s| s >= seq) {
                    return Outcome::Ignored;
                }
                let record = EntityRecord { seq, at_ms, item: None };
                self.put_opportunity(h, *id, &record);
                Outcome::Applied(Box::new(Record::Opportunity { hub: hub.clone(), id: *id, record }))
            }
            Event::SafeHousePublished(s) => {
                let Some(&h) = self.hub_ids.get(hub) else { return Outcome::UnknownHub };
                let s = match s.clone().validate() {
                    Ok(s) => s,
                    Err(e) => return Outcome::Invalid(e),
                };
                if self.safe_houses.seq(s.id, h).is_some_and(|x| x >= seq) {
                    return Outcome::Ignored;
                }
                let id = s.id;
                let record = EntityRecord { seq, at_ms, item: Some(s) };
                self.put_safe_house(h, id, &record);
                Outcome::Applied(Box::new(Record::SafeHouse { hub: hub.clone(), id, record }))
            }
            Event::SafeHouseWithdrawn { id } => {
                let Some(&h) = self.hub_ids.get(hub) else { return Outcome::UnknownHub };
                if self.safe_houses.seq(*id, h).is_some_and(|x| x >= seq) {
                    return Outcome::Ignored;
                }
                let record = EntityRecord { seq, at_ms, item: None };
                self.put_safe_house(h, *id, &record);
                Outcome::Applied(Box::new(Record::SafeHouse { hub: hub.clone(), id: *id, record }))
            }
        }
    }

    /// Puts back a record read from the store. Hubs come before their entities.
    pub fn restore(&mut self, record: Record) -> Result<(), StoreError> {
        let unknown = |tree: &'static str, hub: &Slug| StoreError::Corrupt {
            tree,
            why: format!("an entity of hub {hub:?}, which has no record"),
        };
        match record {
            Record::Hub { hub, record } => {
                let key = VerifyingKey::from_bytes(&record.signing_key)
                    .map_err(|e| StoreError::Corrupt { tree: "hubs", why: format!("{hub}: bad key: {e}") })?;
                self.put_hub(&hub, key, &record);
            }
            Record::Opportunity { hub, id, record } => {
                let &h = self.hub_ids.get(&hub).ok_or_else(|| unknown("opportunities", &hub))?;
                self.put_opportunity(h, id, &record);
            }
            Record::SafeHouse { hub, id, record } => {
                let &h = self.hub_ids.get(&hub).ok_or_else(|| unknown("safehouses", &hub))?;
                self.put_safe_house(h, id, &record);
            }
            // Referrals name hubs by id, not by their number in the view: the other
            // hub of a referral may not have been seen.
            Record::Referral { id, sender, receiver, record } => self.referrals.put(id, sender, receiver, record),
        }
        Ok(())
    }

    fn put_hub(&mut self, hub: &Slug, key: VerifyingKey, record: &HubRecord) {
        let state =
            HubState { slug: hub.clone(), key, profile: record.profile.clone(), seq: record.seq, at_ms: record.at_ms };
        match self.hub_ids.get(hub) {
            Some(&h) => self.hubs[h as usize] = state,
            None => {
                self.hub_ids.insert(hub.clone(), self.hubs.len() as HubId);
                self.hubs.push(state);
            }
        }
    }

    fn put_opportunity(&mut self, hub: HubId, id: Ulid, record: &EntityRecord<Opportunity>) {
        let doc = record.item.as_ref().map(|o| OpportunityDoc::new(hub, record.seq, record.at_ms, o));
        let (old, new) = self.opportunities.set(id, hub, record.seq, doc, self.today);
        if let Some((key, old)) = old
            && let Some(c) = old.closes_on
        {
            self.closing.remove(&(c, key));
        }
        if let (Some(key), Some(o)) = (new, &record.item)
            && let Some(c) = o.closes_on
            && o.is_open_on(self.today)
        {
            self.closing.insert((c, key));
        }
    }

    fn put_safe_house(&mut self, hub: HubId, id: Ulid, record: &EntityRecord<SafeHouse>) {
        let doc = record.item.clone().map(|house| SafeHouseDoc { hub, seq: record.seq, at_ms: record.at_ms, house });
        self.safe_houses.set(id, hub, record.seq, doc, self.today);
    }

    /// Moves the view to a new day: opportunities that closed before it lose the
    /// `Open` term. Called by ingest on a timer; a day in the past changes nothing.
    pub fn set_today(&mut self, today: CivilDate) {
        if today <= self.today {
            return;
        }
        self.today = today;
        let still_open = self.closing.split_off(&(today, DocKey(0)));
        let closed = std::mem::replace(&mut self.closing, still_open);
        for (_, key) in closed {
            self.opportunities.index.remove(&Term::Open, key);
        }
    }

    fn hub_slug(&self, h: HubId) -> &str {
        self.hubs[h as usize].slug.as_str()
    }

    /// The terms for a hub filter; None when the hub is unknown (nothing matches).
    fn hub_term(&self, hub: &Option<Slug>) -> Result<Option<Term>, ()> {
        match hub {
            None => Ok(None),
            Some(slug) => self.hub_ids.get(slug).map(|&h| Some(Term::Hub(h))).ok_or(()),
        }
    }

    fn opportunity_v1(&self, doc: &OpportunityDoc) -> v1::Opportunity {
        opportunity_to_v1(&doc.opportunity(), self.hub_slug(doc.hub), doc.seq, doc.at_ms)
    }

    fn safe_house_v1(&self, doc: &SafeHouseDoc, now_ms: i64) -> v1::SafeHouse {
        safehouse_to_v1(&doc.house, self.hub_slug(doc.hub), doc.seq, doc.at_ms, false, now_ms)
    }

    /// Opportunities matching `q`, newest first. `today` decides which have closed.
    pub fn search_opportunities(
        &self,
        q: &OpportunityQuery,
        today: CivilDate,
    ) -> Result<Page<v1::Opportunity>, TimedOut> {
        let Ok(hub) = self.hub_term(&q.hub) else { return Ok(Page { items: vec![], next: None }) };
        let mut terms: Vec<Term> = hub.into_iter().collect();
        terms.extend(q.area.iter().map(|w| Term::Area(w.as_str().into())));
        terms.extend(q.kind.map(Term::Kind));
        terms.extend(q.sector.map(Term::Sector));
        if q.remote_only {
            terms.push(Term::Remote);
        }
        if q.paid_only {
            terms.push(Term::Paid);
        }
        if !q.include_closed {
            terms.push(Term::Open);
        }
        let size = page_size(q.page_size);
        let (docs, next) = self.opportunities.page(
            &terms,
            &q.text,
            q.ranked(),
            &self.synonyms,
            (size, q.after, q.deadline),
            |doc| q.include_closed || doc.closes_on.is_none_or(|c| c >= today),
        )?;
        Ok(Page { items: docs.into_iter().map(|d| self.opportunity_v1(d)).collect(), next })
    }

    /// Safe houses matching `q`, newest first. `now_ms` decides which availability
    /// reports are stale.
    ///
    /// Safe houses number in the thousands, not millions: the `for` tag and the
    /// availability are checked on the houses the hub and area terms leave.
    pub fn list_safe_houses(&self, q: &SafeHouseQuery, now_ms: i64) -> Result<Page<v1::SafeHouse>, TimedOut> {
        let Ok(hub) = self.hub_term(&q.hub) else { return Ok(Page { items: vec![], next: None }) };
        let mut terms: Vec<Term> = hub.into_iter().collect();
        terms.extend(q.area.iter().map(|w| Term::Area(w.as_str().into())));
        let size = page_size(q.page_size);
        let (docs, next) =
            self.safe_houses.page(&terms, &q.text, q.ranked(), &self.synonyms, (size, q.after, q.deadline), |doc| {
                let house = &doc.house;
                q.for_tag.is_none_or(|t| house.is_for(t))
                    && (!q.available_now
                        || house.availability.and_then(|a| a.beds_free_at(now_ms)).is_some_and(|n| n > 0))
            })?;
        Ok(Page { items: docs.into_iter().map(|d| self.safe_house_v1(d, now_ms)).collect(), next })
    }

    /// The opportunity with this id, open or not.
    pub fn opportunity(&self, id: Ulid) -> Option<v1::Opportunity> {
        self.opportunities.by_id(id).next().map(|d| self.opportunity_v1(d))
    }

    /// The safe house with this id, its availability as seen at `now_ms`.
    pub fn safe_house(&self, id: Ulid, now_ms: i64) -> Option<v1::SafeHouse> {
        self.safe_houses.by_id(id).next().map(|d| self.safe_house_v1(d, now_ms))
    }

    /// The region's referral counts: by status, and per receiving hub.
    pub fn referral_stats(&self) -> ReferralStats {
        self.referrals.stats()
    }

    /// Every hub, by id, with its counts of live listings.
    pub fn hubs(&self) -> Vec<v1::Hub> {
        let mut hubs: Vec<v1::Hub> = self
            .hubs
            .iter()
            .enumerate()
            .map(|(h, s)| v1::Hub {
                id: s.slug.to_string(),
                name: s.profile.name.clone(),
                description: s.profile.description.clone(),
                contact: s.profile.contact.clone(),
                helpline_hours: s.profile.helpline_hours.clone(),
                last_seen_ms: s.at_ms,
                opportunities: self.opportunities.index.count(&Term::Hub(h as HubId)) as u64,
                safe_houses: self.safe_houses.index.count(&Term::Hub(h as HubId)) as u64,
                signing_key: hex(s.key.as_bytes()),
            })
            .collect();
        hubs.sort_by(|a, b| a.id.cmp(&b.id));
        hubs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;
    use kith_proto::domain::{Availability, Pay, PayPer};
    use kith_proto::envelope::{open, seal};
    use kith_proto::referral::{ReferralSide, ReferralStatus, Role, Step};

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
            let sealed = seal(&slug("wy"), &self.slug, seq, 1_000 + seq as i64, &event, &self.key).unwrap();
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

    fn search(view: &View, q: OpportunityQuery) -> Vec<String> {
        view.search_opportunities(&q, today()).unwrap().items.into_iter().map(|o| o.title).collect()
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
        assert_eq!(view.pinned_key(&hub.slug), Some(hub.key.verifying_key()));
        applied(&mut view, hub.opened(Event::OpportunityPublished(opportunity("Gardener"))));
        applied(&mut view, hub.opened(Event::SafeHousePublished(house("Rest", &[], None))));
        let hubs = view.hubs();
        assert_eq!(hubs.len(), 1);
        assert_eq!((hubs[0].opportunities, hubs[0].safe_houses), (1, 1));
        assert_eq!(hubs[0].last_seen_ms, 1_001);
        assert_eq!(hubs[0].signing_key, hex(hub.key.verifying_key().as_bytes()));
    }

    #[test]
    fn rotation_repins_and_older_profiles_are_ignored() {
        let mut hub = Hub::new("garden", 1);
        let mut view = view_with(&mut hub);
        let new_key = SigningKey::from_bytes(&[2; 32]);
        let Event::Profile(mut p) = hub.profile() else { unreachable!() };
        p.signing_key = new_key.verifying_key().to_bytes();
        // Signed by the old (pinned) key, carrying the new one.
        applied(&mut view, hub.opened(Event::Profile(p)));
        assert_eq!(view.pinned_key(&hub.slug), Some(new_key.verifying_key()));
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
        assert_eq!(view.opportunity(o.id).unwrap().title, "Head gardener");
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
        assert!(view.opportunity(o.id).is_none());
        assert_eq!(view.counts().opportunities, 0);
        assert!(search(&view, OpportunityQuery { text: text_of("gardener"), ..Default::default() }).is_empty());
        // A redelivered older publish does not bring it back.
        assert!(matches!(view.apply(&publish), Outcome::Ignored));
        assert!(view.opportunity(o.id).is_none());
        // Nor does a publish with status withdrawn show anything.
        let mut w = opportunity("Withdrawn one");
        w.status = OpportunityStatus::Withdrawn;
        applied(&mut view, hub.opened(Event::OpportunityPublished(w.clone())));
        assert!(view.opportunity(w.id).is_none());
        assert_eq!(view.hubs()[0].opportunities, 0);
    }

    #[test]
    fn events_dated_in_the_future_are_named() {
        let mut hub = Hub::new("garden", 1);
        let now = 1_795_694_400_000;
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
        let late = Availability { beds_free: 1, updated_at_ms: now + 3_600_000, valid_until_ms: now + 7_200_000 };
        let house = Event::SafeHousePublished(house("Rest", &[], Some(late)));
        assert_eq!(future_dated(&at(0, house), now), Some("availability.updated_at"));
        let side = referral_side(Ulid::new(), Role::Sender, "rainbow", &[(ReferralStatus::Sent, now + 3_600_000)]);
        assert_eq!(future_dated(&at(0, side), now), Some("steps.at"));
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
        assert_eq!(view.opportunities.index.count(&Term::Open), 0);
        assert!(view.closing.is_empty());
        // Getting one by id shows it whatever its status.
        assert_eq!(view.opportunity(filled.id).unwrap().status, "filled");
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
            seen.extend(page.items.into_iter().map(|o| o.id));
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
        assert_eq!(view.opportunity(o.id).unwrap().hub, "garden");
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
                view.list_safe_houses(&q, now).unwrap().items.into_iter().map(|h| h.name).collect();
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
        let anyone = view.safe_house(houses[1].id, now).unwrap();
        let a = anyone.availability.unwrap();
        assert_eq!((a.beds_free, a.stale), (None, true));
        let women = view.safe_house(houses[0].id, now).unwrap();
        assert_eq!(women.availability.unwrap().beds_free, Some(2));
        // The same house, later: now stale too.
        let later = view.safe_house(houses[0].id, now + 5_000).unwrap();
        assert_eq!(later.availability.unwrap().beds_free, None);
        // Withdrawn: gone.
        applied(&mut view, hub.opened(Event::SafeHouseWithdrawn { id: houses[0].id }));
        assert!(view.safe_house(houses[0].id, now).is_none());
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
        assert_eq!(restored.closing, view.closing);
        // The tombstone came back too: an older publish stays ignored.
        let old = hub.opened_at(3, Event::OpportunityPublished(withdrawn));
        assert!(matches!(restored.apply(&old), Outcome::Ignored));
    }
}
