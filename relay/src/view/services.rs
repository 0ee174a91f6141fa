//! Services in the view: how they are kept and indexed, and their search.
//!
//! Services number in the tens of thousands at most, so they are kept decoded.
//! Whether a service is open now is decided when a query runs, from its schedules
//! and the region's local day and time, which the query carries.

use std::time::Instant;

use kith_proto::Slug;
use kith_proto::domain::Sector;
use kith_proto::service::{Category, ClockTime, Service, ServiceStatus, Weekday};
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

/// A search over services. Every given filter must hold.
#[derive(Clone, Debug, Default)]
pub struct ServiceQuery {
    /// Words that must all match the name, categories, description or area.
    pub text: TextQuery,
    pub sort: Sort,
    pub category: Option<Category>,
    pub sector: Option<Sector>,
    /// Folded words that must all be in one of the service's places.
    pub area: Vec<String>,
    pub free_only: bool,
    /// Only services open at this local day and time.
    pub open_at: Option<(Weekday, ClockTime)>,
    /// Also inactive, defunct and temporarily closed ones.
    pub include_inactive: bool,
    pub hub: Option<Slug>,
    /// Nearest first, from this place: what is in its area, then by distance.
    pub near: Option<Near>,
    pub page_size: usize,
    pub after: Option<Position>,
    pub deadline: Option<Instant>,
}

impl ServiceQuery {
    /// Whether results come by relevance (and page tokens carry a tier).
    pub fn ranked(&self) -> bool {
        self.sort.ranks(&self.text)
    }
}

impl Member for Service {
    type Kept = ServiceListing;
    fn family(view: &View) -> &Family<ServiceListing> {
        &view.listings.services
    }
    fn put(view: &mut View, hub: HubId, id: Ulid, record: &EntityRecord<Service>, prior: Prior<'_, Self>) -> Delta {
        view.listings.services.put(hub, id, record, view.today, &view.places, prior).delta
    }
}

impl View {
    /// Services matching `q`, best or newest first.
    pub fn search_services(&self, q: &ServiceQuery) -> Result<Page<Hit<Service>>, TimedOut> {
        let Ok(hub) = self.hub_term(&q.hub) else { return Ok(Page { items: vec![], next: None }) };
        Ok(self.hits(search(&self.listings.services, q, hub, &self.synonyms, &self.places)?, q.near.as_ref()))
    }

    /// The service with this id (of `hub`, when given).
    pub fn service(&self, id: Ulid, hub: Option<&Slug>) -> Result<Option<Hit<Service>>, Ambiguous> {
        self.find(id, hub)
    }
}

/// The service family.
pub struct ServiceListing;

impl Listing for ServiceListing {
    type Item = Service;
    type Kept = Service;

    fn keep(service: &Service, _hold: bool, _places: &Places) -> Service {
        service.clone()
    }

    fn held(kept: &Service) -> Option<Service> {
        Some(kept.clone())
    }

    fn terms(s: &Service, hub: HubId, _today: CivilDate) -> Vec<Term> {
        let mut terms = vec![Term::All, Term::Hub(hub), Term::Sector(s.sector)];
        terms.extend(s.categories.iter().map(|&c| Term::Category(c)));
        if s.free {
            terms.push(Term::Free);
        }
        if s.status == ServiceStatus::Active {
            terms.push(Term::Active);
        }
        if s.is_virtual() {
            terms.push(Term::Remote);
        }
        text_terms(Field::Title, &[&s.name], &mut terms);
        let categories: Vec<&str> = s.categories.iter().map(|c| c.label()).collect();
        text_terms(Field::Skills, &categories, &mut terms);
        text_terms(Field::Description, &[&s.description, &s.eligibility, &s.application_process], &mut terms);
        let areas: Vec<String> = s.places.iter().filter_map(|p| p.area_text()).collect();
        let mut meta: Vec<&str> = areas.iter().map(String::as_str).collect();
        meta.extend([s.sector.as_str(), s.provider.as_str()]);
        meta.extend(s.languages.iter().map(String::as_str));
        text_terms(Field::Meta, &meta, &mut terms);
        // Every place's area words at once, so that each term is there once.
        area_terms(&areas.join(" "), &mut terms);
        terms
    }

    fn areas(s: &Service) -> Vec<String> {
        s.places.iter().filter_map(|p| p.area_text()).collect()
    }

    const MANY_PLACES: bool = true;
}

/// The services matching `q`.
pub fn search<'a>(
    family: &'a Family<ServiceListing>,
    q: &ServiceQuery,
    hub: Option<Term>,
    synonyms: &Synonyms,
    places: &Places,
) -> Result<Page<Found<'a, Service>>, TimedOut> {
    let mut filters: Vec<Term> = hub.into_iter().collect();
    filters.extend(q.area.iter().map(|w| Term::Area(w.as_str().into())));
    filters.extend(q.category.map(Term::Category));
    filters.extend(q.sector.map(Term::Sector));
    if q.free_only {
        filters.push(Term::Free);
    }
    if !q.include_inactive {
        filters.push(Term::Active);
    }
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
    family.page(&search, |doc| q.open_at.is_none_or(|(day, time)| doc.kept.is_open(day, time)))
}
