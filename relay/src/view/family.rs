//! One family of listings in the view (opportunities, safe houses, …): its live
//! entities, the tombstones of withdrawn ones, and its index.
//!
//! What differs between families — how an entity is kept in memory and which
//! index terms it has — is the [`Listing`] trait; everything else (sequence
//! checks, replacing an entity's terms, lookups, walking a page) is here, once.
//! A new family is one file with a `Listing` and its query.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::time::Instant;
use ulid::Ulid;

use kith_proto::Slug;
use kith_proto::time::CivilDate;

use crate::index::{DocKey, Field, Index, Term};
use crate::search::{Position, Ring, TextQuery, TimedOut, Walk, WordPlan, plan};
use crate::store::EntityRecord;
use crate::synonyms::Synonyms;
use kith_text::places::{District, Place, Places, PlacesError, Point};
use kith_text::{is_stop_word, postcode_area, words};

/// A hub's number in the view: index terms and entity keys carry it instead of the slug.
pub type HubId = u32;

/// The largest page a query returns, and the page size when none is asked for.
pub const MAX_PAGE_SIZE: usize = 500;
pub const DEFAULT_PAGE_SIZE: usize = 50;

/// The page size to use for what was asked: 0 means the default.
pub fn page_size(asked: usize) -> usize {
    match asked {
        0 => DEFAULT_PAGE_SIZE,
        n => n.min(MAX_PAGE_SIZE),
    }
}

/// A listing found by a query or a lookup, with its hub and the state it is at.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit<T> {
    pub hub: Slug,
    /// The hub's region.
    pub region: Slug,
    /// The hub sequence of the change that produced this state.
    pub seq: u64,
    /// The hub's clock at that change.
    pub at_ms: i64,
    pub item: T,
    /// Where it is: its district and that district's centroid, never nearer (for a
    /// listing with several places, the one nearest the search's). None when its
    /// area names no place the region knows, or it is online only.
    pub place: Option<Place>,
    /// How far its place is from the place a search was near, in metres.
    pub distance_m: Option<u32>,
    /// Found by distance, beyond the area the search named: "nothing in Bradford;
    /// nearest:".
    pub beyond_area: bool,
}

/// One page of results, best or newest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Where the next page starts; None on the last page.
    pub next: Option<Position>,
}

/// The terms of the words of `texts` in `field`, each once. Titles and skills keep
/// stop words (an exact title can be asked for); longer texts leave them out.
pub fn text_terms(field: Field, texts: &[&str], terms: &mut Vec<Term>) {
    let keep_all = matches!(field, Field::Title | Field::Skills);
    let mut all: Vec<String> = texts.iter().flat_map(|t| words(t)).filter(|w| keep_all || !is_stop_word(w)).collect();
    all.sort_unstable();
    all.dedup();
    terms.extend(all.into_iter().map(|w| Term::Text(field, w.into_boxed_str())));
}

/// The area terms of an area: its words, and the letters of any postcode district
/// in it, so that `LS` finds `Leeds LS6` and `LS10`.
pub fn area_terms(area: &str, terms: &mut Vec<Term>) {
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

/// The folded words of an area filter, as area terms are indexed.
pub fn area_words(area: &str) -> Vec<String> {
    words(area).collect()
}

/// What makes a family of listings.
pub trait Listing {
    /// The domain value a hub publishes.
    type Item: Clone + serde::Serialize;
    /// How the view keeps one in memory.
    type Kept;
    /// How the view keeps `item`: with its whole body when `hold` (a view of its
    /// own), or else (a relay's view, whose store holds every listing) with only what
    /// filters and ranking need, the body being read from the store for a page.
    /// `places` place it.
    fn keep(item: &Self::Item, hold: bool, places: &Places) -> Self::Kept;
    /// The item, when the view holds it; None when it is read from the store.
    fn held(kept: &Self::Kept) -> Option<Self::Item>;
    /// Whether [`Listing::held`] gives the item (without decoding it).
    fn held_body(_kept: &Self::Kept) -> bool {
        true
    }
    /// The districts it is in, in the order of its areas (see [`nearest`]).
    fn districts(kept: &Self::Kept, places: &Places) -> Vec<District> {
        Self::held(kept).map(|item| districts_in_order(&Self::areas(&item), places)).unwrap_or_default()
    }
    /// The index terms of an entity on `today`. The same inputs always give the same
    /// terms, so that removing an entity removes exactly what adding it added.
    fn terms(item: &Self::Item, hub: HubId, today: CivilDate) -> Vec<Term>;
    /// The texts that say where it is (an area, or a place's town and postcode):
    /// each resolves to a district ([`Places::resolve`]). Empty when it is
    /// nowhere in particular (online only).
    fn areas(item: &Self::Item) -> Vec<String>;
    /// Whether one listing can have places in several districts.
    const MANY_PLACES: bool = false;

    /// The size an entity counts for against its hub's byte quota: its encoding.
    fn size(item: &Self::Item) -> usize {
        postcard::to_stdvec(item).map_or(usize::MAX, |v| v.len())
    }
}

pub use super::docs::{Doc, Docs, Relabel};

/// What a change did to a family, for the family's own bookkeeping.
pub struct Change<K> {
    /// The live entity replaced or withdrawn, with its key.
    pub old: Option<(DocKey, Doc<K>)>,
    /// The key of the new live entity.
    pub new: Option<DocKey>,
    /// What it did to its hub's usage.
    pub delta: Delta,
}

/// A change in one hub's usage of the view, counted against its quotas.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delta {
    pub live: i64,
    pub tombstones: i64,
    pub bytes: i64,
}

/// A search of one family: the filter terms that must all hold and the words.
pub struct Search<'a> {
    pub filters: &'a [Term],
    pub text: &'a TextQuery,
    pub ranked: bool,
    pub synonyms: &'a Synonyms,
    pub page_size: usize,
    pub after: Option<Position>,
    pub deadline: Option<Instant>,
    /// Ranks by distance from a place: what is in its area first.
    pub near: Option<&'a Near>,
    pub places: &'a Places,
}

/// A search by distance: near the place a person named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Near {
    pub district: District,
    pub point: Point,
    /// The folded words that named it: listings with all of them in their area are
    /// "in the area" and come first, whatever their distance.
    pub area: Vec<String>,
    /// Only listings whose place is within this many metres (and, in the area,
    /// those with no place).
    pub within_m: Option<u32>,
}

impl Near {
    /// The place `text` names (full postcodes are cut to their district first), or
    /// None when it names none the region knows.
    pub fn parse(places: &Places, text: &str, within_m: Option<u32>) -> Result<Option<Near>, PlacesError> {
        let text = kith_text::places::cut_postcodes(text);
        Ok(places.resolve(&text)?.map(|district| Near {
            district,
            point: places.point(district),
            area: area_words(&text),
            within_m,
        }))
    }
}

/// The districts of `areas` the region's places resolve, each once.
pub fn districts_of(areas: &[String], places: &Places) -> Vec<District> {
    let mut found: Vec<District> = areas.iter().filter_map(|a| places.resolve(a).ok().flatten()).collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// The place terms of a listing in `areas` ([`Term::District`], else
/// [`Term::Unplaced`] and, when it gives an area, [`Term::Unresolved`]).
fn place_terms(areas: &[String], places: &Places, terms: &mut Vec<Term>) {
    let found = districts_of(areas, places);
    if found.is_empty() {
        terms.push(Term::Unplaced);
        if !areas.is_empty() {
            terms.push(Term::Unresolved);
        }
    }
    terms.extend(found.into_iter().map(|d| Term::District(d.0)));
}

/// The districts of `areas` the region's places resolve, each once, in the order
/// of the areas.
pub fn districts_in_order(areas: &[String], places: &Places) -> Vec<District> {
    let mut found: Vec<District> = Vec::new();
    for d in areas.iter().filter_map(|a| places.resolve(a).ok().flatten()) {
        if !found.contains(&d) {
            found.push(d);
        }
    }
    found
}

/// Of `districts` (a listing's, in the order of its areas), the nearest to `from`
/// (ties: the lower number), with its distance; the first when there is no `from`.
pub fn nearest(districts: &[District], places: &Places, from: Option<Point>) -> Option<(District, Option<u32>)> {
    match from {
        None => districts.first().map(|&d| (d, None)),
        Some(p) => districts.iter().map(|&d| (places.point(d).distance_m(p), d)).min().map(|(m, d)| (d, Some(m))),
    }
}

/// How [`Family::put`] takes the index terms of the state it replaces out, when the
/// view does not hold that state's body.
pub enum Prior<'a, T> {
    /// Read the state from the store, which still holds it (a record is written
    /// after the view has applied it). None: it cannot be read, and the entity's
    /// key is taken out of every posting set instead.
    /// It is given the sequence of the state the view holds, and gives nothing
    /// unless the store's record is that state.
    Fetch(&'a dyn Fn(u64) -> Option<T>),
    /// Already taken out ([`Index::remove_keys`], when the view is caught up with
    /// records already written over what it holds).
    Removed,
}

/// A listing on a page, and whether it was found by distance beyond the area.
pub struct Found<'a, K> {
    pub doc: &'a Doc<K>,
    pub beyond_area: bool,
}

pub struct Family<L: Listing> {
    docs: Docs<L::Kept>,
    /// Withdrawn entities, by (id, hub) (ids are chosen by hubs, so two hubs could
    /// use the same one; the pair is the identity), with the sequence of their
    /// withdrawal: an older event cannot bring one back. Live ones are in `docs`.
    gone: BTreeMap<(Ulid, HubId), u64>,
    pub(crate) index: Index,
    /// Whether new entities are kept with their bodies ([`Listing::keep`]).
    hold: bool,
}

impl<L: Listing> Default for Family<L> {
    fn default() -> Self {
        Family { docs: Docs::default(), gone: BTreeMap::new(), index: Index::default(), hold: true }
    }
}

impl<L: Listing> Family<L> {
    /// From now on, keeps new entities without the bodies a store holds.
    pub fn read_bodies_from_store(&mut self) {
        self.hold = false;
    }

    /// Whether every entity is kept with its body.
    pub fn holds_bodies(&self) -> bool {
        self.docs.values().all(|d| L::held_body(&d.kept))
    }

    /// The label of the live entity `(id, hub)` when the view keeps it without its
    /// body: the terms it is indexed under are not known without the store.
    pub fn unheld_label(&self, id: Ulid, hub: HubId) -> Option<u64> {
        let (label, doc) = self.docs.live_entry(id, hub)?;
        (!L::held_body(&doc.kept)).then_some(label)
    }

    /// The label of the live entity under `key`.
    pub fn label(&self, key: DocKey) -> Option<u64> {
        self.docs.find(key)
    }

    /// How many live entities.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The sequence of the latest state the view has of this entity.
    pub fn seq(&self, id: Ulid, hub: HubId) -> Option<u64> {
        match self.docs.live_entry(id, hub) {
            Some((_, doc)) => Some(doc.seq),
            None => self.gone.get(&(id, hub)).copied(),
        }
    }

    /// What putting `record` would do to its hub's usage.
    pub fn delta(&self, hub: HubId, id: Ulid, record: &EntityRecord<L::Item>) -> Delta {
        let mut d = Delta::default();
        match self.docs.live_entry(id, hub) {
            Some((_, doc)) => {
                d.live -= 1;
                d.bytes -= i64::from(doc.size);
            }
            None if self.gone.contains_key(&(id, hub)) => d.tombstones -= 1,
            None => {}
        }
        match &record.item {
            Some(item) => {
                d.live += 1;
                d.bytes += L::size(item) as i64;
            }
            None => d.tombstones += 1,
        }
        d
    }

    /// Replaces the entity's state by `record` (a tombstone when it has no item).
    pub fn put(
        &mut self,
        hub: HubId,
        id: Ulid,
        record: &EntityRecord<L::Item>,
        today: CivilDate,
        places: &Places,
        prior: Prior<'_, L::Item>,
    ) -> Change<L::Kept> {
        let delta = self.delta(hub, id, record);
        let live = self.docs.live(id, hub);
        let mut old_terms: Vec<Term> = Vec::new();
        if let Some((label, old)) = self.docs.live_entry(id, hub) {
            let item = match (L::held(&old.kept), prior) {
                (Some(item), _) => Some(item),
                (None, Prior::Fetch(fetch)) => match fetch(old.seq) {
                    Some(item) => Some(item),
                    None => {
                        self.index.remove_keys(&std::iter::once(label).collect());
                        None
                    }
                },
                (None, Prior::Removed) => None,
            };
            old_terms = item.iter().flat_map(|item| Self::all_terms(item, old.hub, today, places)).collect();
        }
        let Some(item) = &record.item else {
            let old = live.and_then(|label| {
                for term in &old_terms {
                    self.index.remove(term, label);
                }
                self.docs.remove(label)
            });
            self.gone.insert((id, hub), record.seq);
            return Change { old, new: None, delta };
        };
        let new_terms = Self::all_terms(item, hub, today, places);
        let size = u32::try_from(L::size(item)).unwrap_or(u32::MAX);
        let kept = L::keep(item, self.hold, places);
        let doc = Doc { id: id.to_bytes(), hub, seq: record.seq, at_ms: record.at_ms, size, kept };
        let (label, key, old) = match live {
            Some(label) => {
                // A change touches only the sets of the terms it changed: a new
                // title moves a few words, not the listing's fifty-odd terms.
                let kept: foldhash::HashSet<&Term> = new_terms.iter().collect();
                for term in old_terms.iter().filter(|t| !kept.contains(t)) {
                    self.index.remove(term, label);
                }
                let (key, _) = self.docs.entry(label);
                (label, key, Some((key, self.docs.replace(label, doc))))
            }
            None => {
                let key = DocKey::probe(id, record.at_ms, |k| self.docs.find(k).is_some());
                let (label, relabel) = self.docs.insert(key, doc);
                if let Some(relabel) = relabel {
                    self.moved(&relabel);
                }
                self.gone.remove(&(id, hub));
                (label, key, None)
            }
        };
        let had: foldhash::HashSet<&Term> = old_terms.iter().collect();
        for term in new_terms.into_iter().filter(|t| !had.contains(t)) {
            self.index.add(term, label);
        }
        Change { old, new: Some(key), delta }
    }

    /// Follows labels that [`Docs::insert`] moved in the posting sets.
    fn moved(&mut self, relabel: &Relabel) {
        let started = Instant::now();
        self.index.remap(relabel.lo, relabel.hi, |l| relabel.to(l));
        tracing::debug!(
            moved = relabel.moves.len(),
            us = started.elapsed().as_micros() as u64,
            "labels spread to make room for a listing that arrived out of order"
        );
    }

    /// A listing's terms and its place terms.
    fn all_terms(item: &L::Item, hub: HubId, today: CivilDate, places: &Places) -> Vec<Term> {
        let mut terms = L::terms(item, hub, today);
        place_terms(&L::areas(item), places, &mut terms);
        terms
    }

    /// Checks what a family read from a [`crate::snapshot`] says of itself: no
    /// entity is both live and withdrawn.
    fn consistent(&self) -> bool {
        self.gone.keys().all(|&(id, hub)| self.docs.live(id, hub).is_none())
    }

    /// Whether every entity's hub number is below `hubs`.
    pub(crate) fn hubs_below(&self, hubs: usize) -> bool {
        self.docs.values().all(|d| (d.hub as usize) < hubs) && self.gone.keys().all(|(_, h)| (*h as usize) < hubs)
    }

    /// The live entities with this id, whichever hub published them.
    pub fn by_id(&self, id: Ulid) -> impl Iterator<Item = &Doc<L::Kept>> {
        self.docs.with_id(id)
    }

    /// Walks the entities that have all filters and match the words, best (or
    /// newest) first after `after`, and keeps those `keep` accepts, up to one more
    /// than a page: the extra one only says that there is a next page.
    ///
    /// A search [`Near`] a place walks three parts in turn: what is in the place's
    /// area (as a filter by its words would find it); then, district by district
    /// in order of distance, what is placed beyond it; then, when no `within` is
    /// asked, what has no place. Each part is the walk of a plain search with one
    /// more filter, so a page costs what it returns plus a look at each district on
    /// the way; positions carry the district, so paging needs no state.
    pub fn page(
        &self,
        s: &Search<'_>,
        keep: impl Fn(&Doc<L::Kept>) -> bool,
    ) -> Result<Page<Found<'_, L::Kept>>, TimedOut> {
        let words = plan(s.text, &self.index, s.synonyms);
        let mut hits: Vec<(Position, &Doc<L::Kept>)> = Vec::with_capacity(s.page_size + 1);
        match s.near {
            None => {
                self.walk(s, s.filters, &words, s.after, None, &mut hits, |_, d| keep(d))?;
            }
            Some(near) => self.near(s, near, &words, &mut hits, &keep)?,
        }
        let next = (hits.len() > s.page_size).then(|| hits[s.page_size - 1].0);
        hits.truncate(s.page_size);
        let items = hits.into_iter().map(|(p, doc)| Found { doc, beyond_area: p.ring.is_some() }).collect();
        Ok(Page { items, next })
    }

    /// One walk of [`Family::page`]: adds what matches `filters` and `words` and
    /// `accept` takes, after `after`, to `hits` until they are one more than a page.
    #[allow(clippy::too_many_arguments)]
    fn walk<'s>(
        &'s self,
        s: &Search<'_>,
        filters: &[Term],
        words: &[WordPlan],
        after: Option<Position>,
        ring: Option<Ring>,
        hits: &mut Vec<(Position, &'s Doc<L::Kept>)>,
        accept: impl Fn(u64, &Doc<L::Kept>) -> bool,
    ) -> Result<(), TimedOut> {
        let walk = Walk { index: &self.index, filters, words, ranked: s.ranked, deadline: s.deadline };
        walk.run(after.map(|p| (p.tier, self.docs.bound(p.key))), |tier, label| {
            let (key, doc) = self.docs.entry(label);
            if accept(label, doc) {
                hits.push((Position { tier, key, ring }, doc));
            }
            hits.len() <= s.page_size
        })
    }

    /// The parts of a search near a place ([`Family::page`]).
    fn near<'s>(
        &'s self,
        s: &Search<'_>,
        near: &Near,
        words: &[WordPlan],
        hits: &mut Vec<(Position, &'s Doc<L::Kept>)>,
        keep: &impl Fn(&Doc<L::Kept>) -> bool,
    ) -> Result<(), TimedOut> {
        let area: Vec<Term> = near.area.iter().map(|w| Term::Area(w.as_str().into())).collect();
        let in_area = |label: u64| area.iter().all(|t| self.index.get(t).is_some_and(|p| p.contains(label)));
        let full = |hits: &Vec<_>| hits.len() > s.page_size;
        let after_ring = s.after.and_then(|p| p.ring);
        // The area: its words as filters; only what is within reach, if asked.
        if after_ring.is_none() && !area.is_empty() {
            let filters: Vec<Term> = s.filters.iter().cloned().chain(area.iter().cloned()).collect();
            let within = |doc: &Doc<L::Kept>| {
                near.within_m.is_none_or(|max| {
                    nearest(&L::districts(&doc.kept, s.places), s.places, Some(near.point))
                        .is_none_or(|(_, m)| m.is_none_or(|m| m <= max))
                })
            };
            self.walk(s, &filters, words, s.after, None, hits, |_, d| keep(d) && within(d))?;
            if full(hits) {
                return Ok(());
            }
        }
        // Beyond it: when few match, all of them placed and sorted at once.
        if let Some(few) = self.few_beyond(s, near, words, &in_area, keep)? {
            let order = |p: &Position| (p.ring, p.tier, std::cmp::Reverse(p.key));
            let from = s.after.filter(|p| p.ring.is_some()).map(|p| order(&p));
            for (p, doc) in few.into_iter().filter(|(p, _)| from.is_none_or(|f| order(p) > f)) {
                hits.push((p, doc));
                if full(hits) {
                    break;
                }
            }
            return Ok(());
        }
        // Else district by district, nearest first.
        let mut rings: Vec<Ring> = s
            .places
            .all()
            .map(|(d, p)| Ring { distance_m: p.distance_m(near.point), district: d.0 })
            .filter(|r| near.within_m.is_none_or(|max| r.distance_m <= max))
            .filter(|r| after_ring.is_none_or(|a| *r >= a))
            .filter(|r| self.index.get(&Term::District(r.district)).is_some())
            .collect();
        rings.sort_unstable();
        if near.within_m.is_none() {
            rings.push(Ring::REST);
        }
        let mut filters: Vec<Term> = s.filters.to_vec();
        filters.push(Term::All);
        for ring in rings {
            if s.deadline.is_some_and(|d| Instant::now() > d) {
                return Err(TimedOut);
            }
            *filters.last_mut().expect("the ring's filter") =
                if ring == Ring::REST { Term::Unplaced } else { Term::District(ring.district) };
            let after = s.after.filter(|p| p.ring == Some(ring));
            // A listing with places in several districts is found in its nearest.
            let nearest_here = |doc: &Doc<L::Kept>| {
                !L::MANY_PLACES
                    || ring == Ring::REST
                    || nearest(&L::districts(&doc.kept, s.places), s.places, Some(near.point))
                        .is_none_or(|(d, _)| d.0 == ring.district)
            };
            self.walk(s, &filters, words, after, Some(ring), hits, |label, d| {
                keep(d) && !in_area(label) && nearest_here(d)
            })?;
            if full(hits) {
                return Ok(());
            }
        }
        Ok(())
    }

    /// What matches beyond the place's area, in the order the walk district by
    /// district gives (district by distance, then tier, then newest), when at most
    /// [`FEW`] match: a rare word near a place then costs its matches, not a walk of
    /// every district. None when more match.
    fn few_beyond<'s>(
        &'s self,
        s: &Search<'_>,
        near: &Near,
        words: &[WordPlan],
        in_area: &impl Fn(u64) -> bool,
        keep: &impl Fn(&Doc<L::Kept>) -> bool,
    ) -> Result<Option<Placed<'s, L::Kept>>, TimedOut> {
        let mut found: Vec<(u8, u64)> = Vec::new();
        let walk = Walk { index: &self.index, filters: s.filters, words, ranked: s.ranked, deadline: s.deadline };
        walk.run(None, |tier, label| {
            if !in_area(label) {
                found.push((tier, label));
            }
            found.len() <= few()
        })?;
        if found.len() > few() {
            return Ok(None);
        }
        let mut placed: Placed<'s, L::Kept> = Vec::with_capacity(found.len());
        for (tier, label) in found {
            let (key, doc) = self.docs.entry(label);
            if !keep(doc) {
                continue;
            }
            let ring = match nearest(&L::districts(&doc.kept, s.places), s.places, Some(near.point)) {
                Some((d, Some(m))) if near.within_m.is_none_or(|max| m <= max) => Ring { distance_m: m, district: d.0 },
                None if near.within_m.is_none() => Ring::REST,
                _ => continue,
            };
            placed.push((Position { tier, key, ring: Some(ring) }, doc));
        }
        placed.sort_unstable_by_key(|(p, _)| (p.ring, p.tier, std::cmp::Reverse(p.key)));
        Ok(Some(placed))
    }
}

/// Listings of a page with where each stands.
type Placed<'a, K> = Vec<(Position, &'a Doc<K>)>;

/// At most this many matches beyond a place's area are placed and sorted at once
/// ([`Family::few_beyond`]); more are walked district by district.
const FEW: usize = 1024;

#[cfg(not(test))]
fn few() -> usize {
    FEW
}

#[cfg(test)]
thread_local! {
    /// [`FEW`], which a test sets to 0 to walk district by district.
    pub static FEW_IN_TESTS: std::cell::Cell<usize> = const { std::cell::Cell::new(FEW) };
}

#[cfg(test)]
fn few() -> usize {
    FEW_IN_TESTS.with(std::cell::Cell::get)
}

/// Entities per block of a family's image: each block is read into memory on its
/// own, so reading a large family never holds all of its bytes at once.
const BLOCK: usize = 1 << 16;

impl<L: Listing> Family<L>
where
    L::Kept: Serialize + serde::de::DeserializeOwned + Send,
{
    /// How many parts [`Family::write_part`] writes: the tombstones, the index, then the
    /// entities in blocks.
    pub fn parts(&self) -> usize {
        2 + self.docs.len().div_ceil(BLOCK)
    }

    /// Writes one part of the family. A large family is written in parts so that it
    /// can be read back on two threads, a block at a time.
    pub fn write_part(&self, part: usize, out: impl std::io::Write) -> Result<(), postcard::Error> {
        match part {
            0 => postcard::to_io(&(self.docs.len() as u64, Pairs(self.gone.iter())), out),
            1 => postcard::to_io(&self.index, out),
            block => {
                let docs = self.docs.iter().skip((block - 2) * BLOCK).take(BLOCK);
                postcard::to_io(&Seq(docs), out)
            }
        }
        .map(|_| ())
    }

    /// Reads a family written in `parts` parts by [`Family::write_part`]: the tombstones
    /// and the index on a thread of `scope`, the entities on this one. `part` gives
    /// the bytes of one part.
    pub fn read_parts<'scope, 'env, F>(
        part: &'env F,
        parts: usize,
        scope: &'scope std::thread::Scope<'scope, 'env>,
    ) -> Result<Family<L>, String>
    where
        F: Fn(usize) -> Result<Vec<u8>, String> + Sync,
        L: 'scope,
    {
        type Block<K> = Vec<(DocKey, u64, Doc<K>)>;
        // Blocks of entities go to whichever thread is free: this one from the
        // start, the other once it has read the tombstones and the index.
        let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(2));
        let take_blocks = move |next: &std::sync::atomic::AtomicUsize| -> Result<Vec<Block<L::Kept>>, String> {
            let mut blocks = Vec::new();
            loop {
                let block = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if block >= parts {
                    return Ok(blocks);
                }
                blocks.push(postcard::from_bytes(&part(block)?).map_err(|e| e.to_string())?);
            }
        };
        let helper = {
            let next = next.clone();
            scope.spawn(move || {
                let decode = |e: postcard::Error| e.to_string();
                let (live, gone): (u64, Tombstones) = postcard::from_bytes(&part(0)?).map_err(decode)?;
                // Collected from a sorted list, a B-tree is built in one pass.
                let gone: BTreeMap<_, _> = gone.into_iter().collect();
                let index = part(1).and_then(|b| postcard::from_bytes::<Index>(&b).map_err(decode))?;
                Ok::<_, String>((live, gone, index, take_blocks(&next)?))
            })
        };
        let mine = take_blocks(&next);
        let (live, gone, index, theirs) = helper.join().map_err(|_| "the index could not be read".to_owned())??;
        let blocks: Vec<Block<L::Kept>> = mine?.into_iter().chain(theirs).collect();
        let mut docs = Docs::with_capacity(blocks.iter().map(Vec::len).sum());
        docs.extend_labelled(blocks.into_iter().flatten());
        docs.finish()?;
        if docs.len() as u64 != live {
            return Err(format!("a family of {live} entities with {} read back", docs.len()));
        }
        let family = Family { docs, gone, index, hold: true };
        if !family.consistent() {
            return Err("a family's entity is both live and withdrawn".into());
        }
        Ok(family)
    }
}

/// A family's tombstones as a checkpoint holds them.
type Tombstones = Vec<((Ulid, HubId), u64)>;

/// A map's pairs written as a sequence of its length, read back as a `Vec` of pairs.
struct Pairs<I>(I);

/// Items written as a sequence of its length, read back as a `Vec`.
struct Seq<I>(I);

impl<T: Serialize, I: ExactSizeIterator<Item = T> + Clone> Serialize for Seq<I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.clone())
    }
}

impl<'a, K: Serialize + 'a, V: Serialize + 'a, I: ExactSizeIterator<Item = (&'a K, &'a V)> + Clone> Serialize
    for Pairs<I>
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.clone())
    }
}

impl<L: Listing> Serialize for Family<L>
where
    L::Kept: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (&self.docs, &self.gone, &self.index).serialize(serializer)
    }
}

impl<'de, L: Listing> Deserialize<'de> for Family<L>
where
    L::Kept: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Family<L>, D::Error> {
        type Parts<K> = (Docs<K>, BTreeMap<(Ulid, HubId), u64>, Index);
        let (docs, gone, index) = Parts::<L::Kept>::deserialize(deserializer)?;
        let family = Family { docs, gone, index, hold: true };
        if !family.consistent() {
            return Err(serde::de::Error::custom("a family's entity is both live and withdrawn"));
        }
        Ok(family)
    }
}
