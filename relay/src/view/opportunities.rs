//! Opportunities in the view: how they are kept and indexed, and their search.
//!
//! Whether an opportunity has closed is decided when a query runs. The `Open` index
//! term is kept true to the current day by [`Opportunities::set_today`], and every
//! query still checks the closing date of what it returns, so a late sweep cannot
//! show a closed opportunity.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::time::Instant;

use kith_proto::Slug;
use kith_proto::domain::{Opportunity, OpportunityKind, Sector};
use kith_proto::time::CivilDate;
use ulid::Ulid;

use super::family::{
    Delta, Family, Found, Hit, HubId, Listing, Near, Page, Prior, Search, area_terms, page_size, text_terms,
};
use super::{Ambiguous, Member, View};
use crate::index::{DocKey, Field, Term};
use crate::search::{Position, Sort, TextQuery, TimedOut};
use crate::store::EntityRecord;
use crate::synonyms::Synonyms;
use kith_text::places::{District, Places};

/// A search over opportunities. Every given filter must hold.
#[derive(Clone, Debug, Default)]
pub struct OpportunityQuery {
    /// Words that must all match, in any text field ([`crate::search`]).
    pub text: TextQuery,
    pub sort: Sort,
    /// Folded words that must all be in the area ([`super::area_words`]).
    pub area: Vec<String>,
    pub kind: Option<OpportunityKind>,
    pub sector: Option<Sector>,
    pub remote_only: bool,
    pub paid_only: bool,
    /// Also filled ones and ones past their closing date.
    pub include_closed: bool,
    /// Only those whose weekly pay is known and at most this (pence): within an
    /// earnings limit such as the Permitted Work limit.
    pub max_weekly_pence: Option<u64>,
    pub hub: Option<Slug>,
    /// Nearest first, from this place: what is in its area, then by distance.
    pub near: Option<Near>,
    pub page_size: usize,
    /// Continue after this position (from a page token).
    pub after: Option<Position>,
    /// Give up after this instant.
    pub deadline: Option<Instant>,
}

impl OpportunityQuery {
    /// Whether results come by relevance (and page tokens carry a tier).
    pub fn ranked(&self) -> bool {
        self.sort.ranks(&self.text)
    }
}

/// The opportunity family.
pub struct OpportunityListing;

/// An opportunity as the view keeps it: what filters and placing need and, in a
/// view of its own, the rest as postcard bytes, decoded only for the entities a
/// page returns. A relay's view keeps no body: at a million opportunities the
/// bodies are about 400 MiB, which its store already holds on disk.
#[derive(Serialize, Deserialize)]
pub struct KeptOpportunity {
    closes_on: Option<CivilDate>,
    /// [`Opportunity::weekly_pence`], for the earnings-limit filter.
    weekly_pence: Option<u64>,
    /// The district its area is in ([`District`]'s number).
    district: Option<u16>,
    #[serde(with = "serde_bytes")]
    body: Option<Box<[u8]>>,
}

impl Listing for OpportunityListing {
    type Item = Opportunity;
    type Kept = KeptOpportunity;

    fn keep(o: &Opportunity, hold: bool, places: &Places) -> KeptOpportunity {
        let body = hold.then(|| postcard::to_stdvec(o).expect("an opportunity always encodes").into_boxed_slice());
        let district = places.resolve(&o.area).ok().flatten().map(|d| d.0);
        KeptOpportunity { closes_on: o.closes_on, weekly_pence: o.weekly_pence(), district, body }
    }

    fn held(kept: &KeptOpportunity) -> Option<Opportunity> {
        // The bytes were encoded by `keep` from a value of the same type.
        kept.body.as_ref().map(|b| postcard::from_bytes(b).expect("the view decodes what it encoded"))
    }

    fn held_body(kept: &KeptOpportunity) -> bool {
        kept.body.is_some()
    }

    fn districts(kept: &KeptOpportunity, _places: &Places) -> Vec<District> {
        kept.district.into_iter().map(District).collect()
    }

    fn terms(o: &Opportunity, hub: HubId, today: CivilDate) -> Vec<Term> {
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

    fn areas(o: &Opportunity) -> Vec<String> {
        vec![o.area.clone()]
    }
}

impl Member for Opportunity {
    type Kept = OpportunityListing;
    fn family(view: &View) -> &Family<OpportunityListing> {
        &view.listings.opportunities.family
    }
    fn put(view: &mut View, hub: HubId, id: Ulid, record: &EntityRecord<Opportunity>, prior: Prior<'_, Self>) -> Delta {
        view.listings.opportunities.put(hub, id, record, view.today, &view.places, prior)
    }
}

impl View {
    /// Opportunities matching `q`, best or newest first. `today` decides which have closed.
    pub fn search_opportunities(
        &self,
        q: &OpportunityQuery,
        today: CivilDate,
    ) -> Result<Page<Hit<Opportunity>>, TimedOut> {
        let Ok(hub) = self.hub_term(&q.hub) else { return Ok(Page { items: vec![], next: None }) };
        Ok(self.hits(self.listings.opportunities.search(q, hub, today, &self.synonyms, &self.places)?, q.near.as_ref()))
    }

    /// The opportunity with this id (of `hub`, when given), open or not.
    pub fn opportunity(&self, id: Ulid, hub: Option<&Slug>) -> Result<Option<Hit<Opportunity>>, Ambiguous> {
        self.find(id, hub)
    }
}

/// Every live opportunity, and the closing dates still to sweep.
#[derive(Default)]
pub struct Opportunities {
    pub(crate) family: Family<OpportunityListing>,
    /// Opportunities that have the `Open` term and a closing date: the sweep in
    /// [`Opportunities::set_today`] takes the term away from those that closed.
    pub(crate) closing: BTreeSet<(CivilDate, DocKey)>,
}

impl Opportunities {
    pub fn put(
        &mut self,
        hub: HubId,
        id: Ulid,
        record: &EntityRecord<Opportunity>,
        today: CivilDate,
        places: &Places,
        prior: Prior<'_, Opportunity>,
    ) -> Delta {
        let change = self.family.put(hub, id, record, today, places, prior);
        if let Some((key, old)) = change.old
            && let Some(c) = old.kept.closes_on
        {
            self.closing.remove(&(c, key));
        }
        if let (Some(key), Some(o)) = (change.new, &record.item)
            && let Some(c) = o.closes_on
            && o.is_open_on(today)
        {
            self.closing.insert((c, key));
        }
        change.delta
    }

    /// Opportunities that closed before `today` lose the `Open` term.
    pub fn sweep(&mut self, today: CivilDate) {
        let still_open = self.closing.split_off(&(today, DocKey(0)));
        let closed = std::mem::replace(&mut self.closing, still_open);
        for (_, key) in closed {
            if let Some(label) = self.family.label(key) {
                self.family.index.remove(&Term::Open, label);
            }
        }
    }

    /// The opportunities matching `q`; `hub` is the hub filter as a term (the view
    /// knows hubs' numbers). `today` decides which have closed.
    pub fn search(
        &self,
        q: &OpportunityQuery,
        hub: Option<Term>,
        today: CivilDate,
        synonyms: &Synonyms,
        places: &Places,
    ) -> Result<Page<Found<'_, KeptOpportunity>>, TimedOut> {
        let mut filters: Vec<Term> = hub.into_iter().collect();
        filters.extend(q.area.iter().map(|w| Term::Area(w.as_str().into())));
        filters.extend(q.kind.map(Term::Kind));
        filters.extend(q.sector.map(Term::Sector));
        if q.remote_only {
            filters.push(Term::Remote);
        }
        if q.paid_only {
            filters.push(Term::Paid);
        }
        if !q.include_closed {
            filters.push(Term::Open);
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
        self.family.page(&search, |doc| {
            (q.include_closed || doc.kept.closes_on.is_none_or(|c| c >= today))
                && q.max_weekly_pence.is_none_or(|max| doc.kept.weekly_pence.is_some_and(|w| w <= max))
        })
    }
}
