//! Safe houses in the view: how they are kept and indexed, and their search.
//!
//! Safe houses number in the thousands, not millions: they are kept decoded, and
//! who a house is for and its availability are checked on the houses the index
//! terms leave. Whether availability is stale is decided at query time.

use std::time::Instant;

use kith_proto::Slug;
use kith_proto::domain::{ForTag, SafeHouse};
use kith_proto::time::CivilDate;

use ulid::Ulid;

use super::family::{
    Delta, Family, Found, Hit, HubId, Listing, Near, Page, Prior, Search, area_terms, page_size, text_terms,
};
use super::{Ambiguous, Member, View};
use crate::index::{Field, Term};
use crate::search::{Position, Sort, TextQuery, TimedOut};
use crate::store::EntityRecord;
use crate::synonyms::Synonyms;
use kith_text::places::Places;

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
    /// Nearest first, from this place: what is in its area, then by distance.
    pub near: Option<Near>,
    pub page_size: usize,
    pub after: Option<Position>,
    pub deadline: Option<Instant>,
}

impl SafeHouseQuery {
    /// Whether results come by relevance (and page tokens carry a tier).
    pub fn ranked(&self) -> bool {
        self.sort.ranks(&self.text)
    }
}

impl Member for SafeHouse {
    type Kept = SafeHouseListing;
    fn family(view: &View) -> &Family<SafeHouseListing> {
        &view.listings.safe_houses
    }
    fn put(view: &mut View, hub: HubId, id: Ulid, record: &EntityRecord<SafeHouse>, prior: Prior<'_, Self>) -> Delta {
        view.listings.safe_houses.put(hub, id, record, view.today, &view.places, prior).delta
    }
    fn future_field(house: &SafeHouse, limit: i64) -> Option<&'static str> {
        house.availability.is_some_and(|a| a.updated_at_ms > limit).then_some("availability.updated_at")
    }
}

impl View {
    /// Safe houses matching `q`, best or newest first. `now_ms` decides which
    /// availability reports are stale.
    pub fn list_safe_houses(&self, q: &SafeHouseQuery, now_ms: i64) -> Result<Page<Hit<SafeHouse>>, TimedOut> {
        let Ok(hub) = self.hub_term(&q.hub) else { return Ok(Page { items: vec![], next: None }) };
        Ok(self
            .hits(search(&self.listings.safe_houses, q, hub, now_ms, &self.synonyms, &self.places)?, q.near.as_ref()))
    }

    /// The safe house with this id (of `hub`, when given).
    pub fn safe_house(&self, id: Ulid, hub: Option<&Slug>) -> Result<Option<Hit<SafeHouse>>, Ambiguous> {
        self.find(id, hub)
    }
}

/// The safe-house family.
pub struct SafeHouseListing;

impl Listing for SafeHouseListing {
    type Item = SafeHouse;
    type Kept = SafeHouse;

    fn keep(house: &SafeHouse, _hold: bool, _places: &Places) -> SafeHouse {
        house.clone()
    }

    fn held(kept: &SafeHouse) -> Option<SafeHouse> {
        Some(kept.clone())
    }

    fn terms(house: &SafeHouse, hub: HubId, _today: CivilDate) -> Vec<Term> {
        let mut terms = vec![Term::All, Term::Hub(hub)];
        text_terms(Field::Title, &[&house.name], &mut terms);
        text_terms(Field::Description, &[&house.description], &mut terms);
        let mut meta: Vec<&str> = vec![&house.area];
        meta.extend(house.for_tags.iter().map(|t| t.as_str()));
        text_terms(Field::Meta, &meta, &mut terms);
        area_terms(&house.area, &mut terms);
        terms
    }

    /// Its area only: a house is placed at its district's centroid, never nearer.
    fn areas(house: &SafeHouse) -> Vec<String> {
        vec![house.area.clone()]
    }
}

/// The houses matching `q`; `now_ms` decides which availability is stale.
pub fn search<'a>(
    family: &'a Family<SafeHouseListing>,
    q: &SafeHouseQuery,
    hub: Option<Term>,
    now_ms: i64,
    synonyms: &Synonyms,
    places: &Places,
) -> Result<Page<Found<'a, SafeHouse>>, TimedOut> {
    let mut filters: Vec<Term> = hub.into_iter().collect();
    filters.extend(q.area.iter().map(|w| Term::Area(w.as_str().into())));
    let search = Search {
        filters: &filters,
        text: &q.text,
        ranked: q.ranked(),
        synonyms,
        page_size: page_size(q.page_size),
        after: q.after,
        deadline: q.deadline,
        near: q.near.as_ref(),
        places,
    };
    family.page(&search, |doc| {
        let house = &doc.kept;
        q.for_tag.is_none_or(|t| house.is_for(t))
            && (!q.available_now || house.availability.and_then(|a| a.beds_free_at(now_ms)).is_some_and(|n| n > 0))
    })
}
