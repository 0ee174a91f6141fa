//! Offers in the view: the businesses of the region's pools — how they are kept and
//! indexed, and their search.
//!
//! Offers are few (a handful per hub), so they are kept decoded. Whether one charges
//! below the region's fair rate is the relay's configuration, not the view's: it is
//! said where an offer is shown (`query.rs`, the board).

use std::time::Instant;

use kith_proto::Slug;
use kith_proto::offer::Offer;
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

/// A search over offers. Every given filter must hold.
#[derive(Clone, Debug, Default)]
pub struct OfferQuery {
    /// Words that must all match the name, skills, description or areas.
    pub text: TextQuery,
    pub sort: Sort,
    /// Folded words that must all be in one of the offer's areas.
    pub area: Vec<String>,
    pub hub: Option<Slug>,
    /// Nearest first, from this place: what is in its area, then by distance.
    pub near: Option<Near>,
    pub page_size: usize,
    pub after: Option<Position>,
    pub deadline: Option<Instant>,
}

impl OfferQuery {
    /// Whether results come by relevance (and page tokens carry a tier).
    pub fn ranked(&self) -> bool {
        self.sort.ranks(&self.text)
    }
}

impl Member for Offer {
    type Kept = OfferListing;
    fn family(view: &View) -> &Family<OfferListing> {
        &view.listings.offers
    }
    fn put(view: &mut View, hub: HubId, id: Ulid, record: &EntityRecord<Offer>, prior: Prior<'_, Self>) -> Delta {
        view.listings.offers.put(hub, id, record, view.today, &view.places, prior).delta
    }
}

impl View {
    /// Offers matching `q`, best or newest first.
    pub fn search_offers(&self, q: &OfferQuery) -> Result<Page<Hit<Offer>>, TimedOut> {
        let Ok(hub) = self.hub_term(&q.hub) else { return Ok(Page { items: vec![], next: None }) };
        Ok(self.hits(search(&self.listings.offers, q, hub, &self.synonyms, &self.places)?, q.near.as_ref()))
    }

    /// The offer with this id (of `hub`, when given).
    pub fn offer(&self, id: Ulid, hub: Option<&Slug>) -> Result<Option<Hit<Offer>>, Ambiguous> {
        self.find(id, hub)
    }
}

/// The offer family.
pub struct OfferListing;

impl Listing for OfferListing {
    type Item = Offer;
    type Kept = Offer;

    fn keep(offer: &Offer, _hold: bool, _places: &Places) -> Offer {
        offer.clone()
    }

    fn held(kept: &Offer) -> Option<Offer> {
        Some(kept.clone())
    }

    fn terms(o: &Offer, hub: HubId, _today: CivilDate) -> Vec<Term> {
        let mut terms = vec![Term::All, Term::Hub(hub)];
        text_terms(Field::Title, &[&o.name], &mut terms);
        let skills: Vec<&str> = o.skills.iter().map(String::as_str).collect();
        text_terms(Field::Skills, &skills, &mut terms);
        text_terms(Field::Description, &[&o.description], &mut terms);
        let areas: Vec<&str> = o.areas.iter().map(String::as_str).collect();
        text_terms(Field::Meta, &areas, &mut terms);
        // Every area's words at once, so that each term is there once.
        area_terms(&o.areas.join(" "), &mut terms);
        terms
    }

    fn areas(o: &Offer) -> Vec<String> {
        o.areas.clone()
    }

    const MANY_PLACES: bool = true;
}

/// The offers matching `q`.
pub fn search<'a>(
    family: &'a Family<OfferListing>,
    q: &OfferQuery,
    hub: Option<Term>,
    synonyms: &Synonyms,
    places: &Places,
) -> Result<Page<Found<'a, Offer>>, TimedOut> {
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
    family.page(&search, |_| true)
}
