//! The query API, `kith.v1.Region`: what is open, right now, near here.
//!
//! Handlers stay thin: check the request (a bad value is `InvalidArgument` naming the
//! field and what is allowed), read the view, answer. Time-dependent answers (closed
//! opportunities, stale availability) use the clock at the moment of the query.

use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tonic::{Request, Response, Status};

use kith_proto::Slug;
use kith_proto::convert::{opportunity_to_v1, parse_id, safehouse_to_v1, service_to_v1};
use kith_proto::domain::{ForTag, Opportunity, OpportunityKind, SafeHouse, Sector};
use kith_proto::event::Family;
use kith_proto::keys::hex;
use kith_proto::offer::{Offer, offer_to_v1};
use kith_proto::service::{Category, Service};
use kith_proto::time::{CivilDate, now_ms};
use kith_proto::v1::{self, region_server::Region};
use kith_proto::validate::ValidationError;
use ulid::Ulid;

use crate::Shared;
use crate::clock::{LocalNow, RegionClock};
use crate::ingest::Counters;
use crate::referrals::ReferralStats;
use crate::search::{MAX_QUERY_WORDS, Position, Sort, TextQuery, TimedOut};
use crate::view::Agreement;
use crate::view::family::Hit;
use crate::view::{
    Ambiguous, Counts, HubSummary, Near, OfferQuery, OpportunityQuery, Page, SafeHouseQuery, ServiceQuery, View,
    area_words,
};
use kith_text::places::{Place, Places, cut_postcodes};

/// How many searches run at once, and how long each may take from its arrival.
#[derive(Clone, Debug)]
pub struct Limits {
    permits: Arc<Semaphore>,
    max: usize,
    timeout: Duration,
}

impl Limits {
    pub fn new(max: usize, timeout: Duration) -> Limits {
        Limits { permits: Arc::new(Semaphore::new(max)), max, timeout }
    }
}

/// The `kith.v1.Region` service over the shared view.
pub struct RegionService {
    shared: Shared,
    region: Slug,
    limits: Limits,
    clock: RegionClock,
    money: crate::config::Money,
    /// Per-hub referral figures go only to a request carrying this token.
    coordinator_token: Option<String>,
}

impl RegionService {
    pub(crate) fn new(
        shared: Shared,
        region: Slug,
        limits: Limits,
        clock: RegionClock,
        money: crate::config::Money,
        coordinator_token: Option<String>,
    ) -> RegionService {
        RegionService { shared, region, limits, clock, money, coordinator_token }
    }

    /// Whether `request` comes from the region's coordinator: it carries the token.
    /// A token that is given but wrong is an error, so that a coordinator who
    /// mistyped it is told rather than shown less.
    fn asked_by_coordinator<T>(&self, request: &Request<T>) -> Result<bool, Status> {
        let Some(given) = request.metadata().get("authorization") else { return Ok(false) };
        let given = given.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).unwrap_or("");
        match &self.coordinator_token {
            // Constant time, so the token cannot be guessed byte by byte from timings.
            Some(token) if bool::from(subtle::ConstantTimeEq::ct_eq(given.as_bytes(), token.as_bytes())) => Ok(true),
            _ => Err(Status::unauthenticated(
                "wrong coordinator token: per-hub referral figures need the token in this relay's \
                 --coordinator-token-file",
            )),
        }
    }

    async fn search<T: Send + 'static>(
        &self,
        f: impl FnOnce(&View, Instant) -> Result<T, TimedOut> + Send + 'static,
    ) -> Result<T, Status> {
        self.limits.run(&self.shared, "grpc", f).await
    }
}

impl Limits {
    /// Runs a search on the view: on a blocking thread, so that searches never hold
    /// the runtime's threads from ingest; once one of the limited turns is free; and
    /// stopped at the deadline, counted from the request's arrival.
    /// `api` names the reader for the query duration metric.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        shared: &Shared,
        api: &'static str,
        f: impl FnOnce(&View, Instant) -> Result<T, TimedOut> + Send + 'static,
    ) -> Result<T, Status> {
        let started = Instant::now();
        let result = self.run_timed(shared, f).await;
        shared.metrics().query(api, started.elapsed().as_secs_f64());
        result
    }

    async fn run_timed<T: Send + 'static>(
        &self,
        shared: &Shared,
        f: impl FnOnce(&View, Instant) -> Result<T, TimedOut> + Send + 'static,
    ) -> Result<T, Status> {
        let Limits { permits, max, timeout } = self.clone();
        let deadline = Instant::now() + timeout;
        let permit = match tokio::time::timeout_at(deadline.into(), permits.acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) => return Err(Status::unavailable("the relay is stopping")),
            Err(_) => {
                return Err(Status::resource_exhausted(format!(
                    "the relay is busy: {max} searches were running and none finished within {timeout:?}; try again"
                )));
            }
        };
        let shared = shared.clone();
        let result = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            f(&shared.view(), deadline)
        })
        .await
        .map_err(|e| Status::internal(format!("the search failed: {e}")))?;
        result.map_err(|TimedOut| {
            Status::deadline_exceeded(format!(
                "the search ran for longer than {timeout:?} and was stopped; narrow it with a filter or a more precise word"
            ))
        })
    }
}

fn invalid(e: ValidationError) -> Status {
    Status::invalid_argument(e.to_string())
}

/// Parses an optional enumerated filter: empty means no filter.
fn optional<T>(value: &str, parse: impl FnOnce(&str) -> Result<T, ValidationError>) -> Result<Option<T>, Status> {
    if value.trim().is_empty() { Ok(None) } else { parse(value).map(Some).map_err(invalid) }
}

fn hub_filter(value: &str) -> Result<Option<Slug>, Status> {
    optional(value, |v| Slug::parse("hub", v.trim()))
}

fn page_token(value: &str, ranked: bool, near: bool) -> Result<Option<Position>, Status> {
    optional(value, |v| Position::from_token(v, ranked, near).map_err(|why| ValidationError::new("page_token", why)))
}

/// The most characters a place to search near may have.
const MAX_NEAR_CHARS: usize = 100;

/// A request's `near` and `within_m` as a search by distance. A full postcode is
/// cut to its district before anything else sees it, errors included.
pub fn near_query(places: &Places, near: &str, within_m: u32) -> Result<Option<Near>, Status> {
    let bad = |field: &str, why: String| Err(invalid(ValidationError::new(field, why)));
    if near.trim().is_empty() {
        if within_m > 0 {
            return bad("within_m", "needs near: the place to measure from, e.g. LS6 or Bradford".into());
        }
        return Ok(None);
    }
    if near.chars().count() > MAX_NEAR_CHARS {
        return bad("near", format!("at most {MAX_NEAR_CHARS} characters: a postcode district or a town"));
    }
    match Near::parse(places, near, (within_m > 0).then_some(within_m)) {
        Ok(Some(n)) => Ok(Some(n)),
        Ok(None) => bad(
            "near",
            format!(
                "names no place the region knows: give a postcode district such as LS6, or a town such as Bradford (got {:?})",
                cut_postcodes(near)
            ),
        ),
        Err(e) => bad("near", e.to_string()),
    }
}

fn next_token(page_next: Option<Position>, ranked: bool) -> String {
    page_next.map(|p| p.token(ranked)).unwrap_or_default()
}

fn text_query(value: &str) -> Result<TextQuery, Status> {
    TextQuery::parse(value)
        .map_err(|n| invalid(ValidationError::new("query", format!("at most {MAX_QUERY_WORDS} words (got {n})"))))
}

fn sort(value: &str) -> Result<Sort, Status> {
    Sort::parse("sort", value).map_err(invalid)
}

/// A search request as a view query.
pub fn opportunity_query(r: &v1::SearchOpportunitiesRequest, places: &Places) -> Result<OpportunityQuery, Status> {
    let mut q = OpportunityQuery {
        text: text_query(&r.query)?,
        sort: sort(&r.sort)?,
        area: area_words(&r.area),
        kind: optional(&r.kind, |v| OpportunityKind::parse("kind", v))?,
        sector: optional(&r.sector, |v| Sector::parse("sector", v))?,
        remote_only: r.remote_only,
        paid_only: r.paid_only,
        include_closed: r.include_closed,
        max_weekly_pence: None,
        hub: hub_filter(&r.hub)?,
        page_size: r.page_size as usize,
        near: near_query(places, &r.near, r.within_m)?,
        after: None,
        deadline: None,
    };
    q.after = page_token(&r.page_token, q.ranked(), q.near.is_some())?;
    Ok(q)
}

/// A safe-house request as a view query.
pub fn safe_house_query(r: &v1::ListSafeHousesRequest, places: &Places) -> Result<SafeHouseQuery, Status> {
    let mut q = SafeHouseQuery {
        text: text_query(&r.query)?,
        sort: sort(&r.sort)?,
        for_tag: optional(&r.for_tag, |v| ForTag::parse("for_tag", v))?,
        area: area_words(&r.area),
        available_now: r.available_now,
        hub: hub_filter(&r.hub)?,
        page_size: r.page_size as usize,
        near: near_query(places, &r.near, r.within_m)?,
        after: None,
        deadline: None,
    };
    q.after = page_token(&r.page_token, q.ranked(), q.near.is_some())?;
    Ok(q)
}

/// A service request as a view query; `now` is the region's local time, for
/// `open_now`.
pub fn service_query(r: &v1::SearchServicesRequest, now: LocalNow, places: &Places) -> Result<ServiceQuery, Status> {
    let mut q = ServiceQuery {
        text: text_query(&r.query)?,
        sort: sort(&r.sort)?,
        category: optional(&r.category, |v| Category::parse("category", v))?,
        sector: optional(&r.sector, |v| Sector::parse("sector", v))?,
        area: area_words(&r.area),
        free_only: r.free_only,
        open_at: r.open_now.then_some((now.day, now.time)),
        include_inactive: r.include_inactive,
        hub: hub_filter(&r.hub)?,
        page_size: r.page_size as usize,
        near: near_query(places, &r.near, r.within_m)?,
        after: None,
        deadline: None,
    };
    q.after = page_token(&r.page_token, q.ranked(), q.near.is_some())?;
    Ok(q)
}

/// An offer request as a view query.
pub fn offer_query(r: &v1::SearchOffersRequest, places: &Places) -> Result<OfferQuery, Status> {
    let mut q = OfferQuery {
        text: text_query(&r.query)?,
        sort: sort(&r.sort)?,
        area: area_words(&r.area),
        hub: hub_filter(&r.hub)?,
        page_size: r.page_size as usize,
        near: near_query(places, &r.near, r.within_m)?,
        after: None,
        deadline: None,
    };
    q.after = page_token(&r.page_token, q.ranked(), q.near.is_some())?;
    Ok(q)
}

/// A lookup's id and, when given, hub.
fn get_request(r: &v1::GetRequest) -> Result<(Ulid, Option<Slug>), Status> {
    Ok((parse_id("id", &r.id).map_err(invalid)?, hub_filter(&r.hub)?))
}

/// Several hubs publish a listing under this id: the lookup must say whose.
fn ambiguous(id: Ulid, Ambiguous(hubs): Ambiguous) -> Status {
    let hubs: Vec<&str> = hubs.iter().map(Slug::as_str).collect();
    Status::failed_precondition(format!(
        "hub: listing {id} is published by several hubs ({}); name the hub to look it up",
        hubs.join(", ")
    ))
}

impl RegionService {
    fn not_found(&self, what: &str, id: Ulid, hub: Option<Slug>) -> Status {
        let whose = hub.map(|h| format!(" of hub {h}")).unwrap_or_default();
        Status::not_found(format!(
            "no {what} {id}{whose} in region {}: it was withdrawn, or has not reached this relay",
            self.region
        ))
    }
}

/// A hit's place as the API shows it.
fn location(place: &Option<Place>) -> Option<v1::Location> {
    place.as_ref().map(|p| v1::Location {
        district: p.district.clone(),
        easting: p.point.east,
        northing: p.point.north,
    })
}

/// An opportunity as the API shows it.
pub fn opportunity_v1(hit: &Hit<Opportunity>) -> v1::Opportunity {
    v1::Opportunity {
        region: hit.region.to_string(),
        location: location(&hit.place),
        distance_m: hit.distance_m,
        beyond_area: hit.beyond_area,
        ..opportunity_to_v1(&hit.item, hit.hub.as_str(), hit.seq, hit.at_ms)
    }
}

/// A safe house as the API shows it at `now_ms`: stale availability as unknown.
pub fn safe_house_v1(hit: &Hit<SafeHouse>, now_ms: i64) -> v1::SafeHouse {
    v1::SafeHouse {
        region: hit.region.to_string(),
        location: location(&hit.place),
        distance_m: hit.distance_m,
        beyond_area: hit.beyond_area,
        ..safehouse_to_v1(&hit.item, hit.hub.as_str(), hit.seq, hit.at_ms, false, now_ms)
    }
}

/// A service as the API shows it at `now`: open now by its schedules, and whether
/// its hub has confirmed it since `confirmed_since`.
pub fn service_v1(hit: &Hit<Service>, now: LocalNow, confirmed_since: CivilDate) -> v1::Service {
    v1::Service {
        open_now: hit.item.is_open(now.day, now.time),
        unconfirmed: hit.item.unconfirmed_since(confirmed_since),
        region: hit.region.to_string(),
        location: location(&hit.place),
        distance_m: hit.distance_m,
        beyond_area: hit.beyond_area,
        ..service_to_v1(&hit.item, hit.hub.as_str(), hit.seq, hit.at_ms)
    }
}

/// An offer as the API shows it, marked when it charges below the region's fair
/// rate (`fair_rate_pence`, the relay's `--fair-rate`).
pub fn offer_v1(hit: &Hit<Offer>, fair_rate_pence: Option<u32>) -> v1::Offer {
    v1::Offer {
        region: hit.region.to_string(),
        location: location(&hit.place),
        distance_m: hit.distance_m,
        beyond_area: hit.beyond_area,
        below_fair_rate: hit.item.below(fair_rate_pence),
        ..offer_to_v1(&hit.item, hit.hub.as_str(), hit.seq, hit.at_ms)
    }
}

/// A hub as the API shows it.
pub fn hub_v1(h: &HubSummary) -> v1::Hub {
    v1::Hub {
        id: h.hub.to_string(),
        name: h.name.clone(),
        description: h.profile.description.clone(),
        contact: h.profile.contact.clone(),
        helpline_hours: h.profile.helpline_hours.clone(),
        last_seen_ms: h.last_seen_ms,
        opportunities: h.of(Family::Opportunities) as u64,
        safe_houses: h.of(Family::SafeHouses) as u64,
        signing_key: hex(&h.profile.signing_key),
        over_quota: h.over_quota.iter().map(|q| q.to_string()).collect(),
        refused_over_quota: h.usage.refused,
        tombstones: h.usage.tombstones,
        bytes: h.usage.bytes,
        services: h.of(Family::Services) as u64,
        left: h.profile.left,
        region: h.region.to_string(),
        sync: match h.sync {
            Agreement::Unknown => "unknown",
            Agreement::InStep => "in-step",
            Agreement::Diverged { .. } => "diverged",
        }
        .to_owned(),
        diverged_since_ms: match h.sync {
            Agreement::Diverged { since_ms } => since_ms,
            _ => 0,
        },
        unplaced: h.unplaced.iter().sum::<usize>() as u64,
        offers: h.of(Family::Offers) as u64,
    }
}

/// The stats reply: ingest's counters, the view's counts and its referral counts.
pub fn stats(c: &Counters, counts: Counts, referrals: ReferralStats) -> v1::Stats {
    v1::Stats {
        applied: c.applied,
        ignored: c.ignored,
        rejected: c.rejected.iter().map(|(reason, n)| (reason.clone(), *n)).collect(),
        hubs: counts.hubs as u64,
        opportunities: counts.of(Family::Opportunities) as u64,
        safe_houses: counts.of(Family::SafeHouses) as u64,
        services: counts.of(Family::Services) as u64,
        referrals_by_status: referrals.by_status.into_iter().map(|(s, n)| (s.as_str().to_owned(), n)).collect(),
        referral_hubs: referrals
            .hubs
            .into_iter()
            .map(|h| v1::HubReferralStats {
                hub: h.hub.to_string(),
                received: h.received,
                answered: h.answered,
                median_first_answer_ms: h.median_first_answer_ms,
            })
            .collect(),
        referral_hubs_withheld: false,
        offers: counts.of(Family::Offers) as u64,
    }
}

#[tonic::async_trait]
impl Region for RegionService {
    async fn search_opportunities(
        &self,
        request: Request<v1::SearchOpportunitiesRequest>,
    ) -> Result<Response<v1::OpportunityPage>, Status> {
        let mut q = opportunity_query(request.get_ref(), self.shared.places())?;
        if request.get_ref().within_earnings_limit {
            q.max_weekly_pence = Some(self.money.weekly_limit_pence.ok_or_else(|| {
                Status::failed_precondition(format!(
                    "within_earnings_limit: region {} sets no weekly earnings limit (kith-relay --earnings-limit)",
                    self.region
                ))
            })?);
        }
        let ranked = q.ranked();
        // The region's date, as the board's: what closed yesterday there is closed.
        let today = self.clock.today();
        let Page { items, next } = self
            .search(move |view, deadline| {
                q.deadline = Some(deadline);
                view.search_opportunities(&q, today)
            })
            .await?;
        let items = items.iter().map(opportunity_v1).collect();
        Ok(Response::new(v1::OpportunityPage { items, next_page_token: next_token(next, ranked) }))
    }

    async fn list_safe_houses(
        &self,
        request: Request<v1::ListSafeHousesRequest>,
    ) -> Result<Response<v1::SafeHousePage>, Status> {
        let mut q = safe_house_query(request.get_ref(), self.shared.places())?;
        let ranked = q.ranked();
        let now = now_ms();
        let Page { items, next } = self
            .search(move |view, deadline| {
                q.deadline = Some(deadline);
                view.list_safe_houses(&q, now)
            })
            .await?;
        let items = items.iter().map(|h| safe_house_v1(h, now)).collect();
        Ok(Response::new(v1::SafeHousePage { items, next_page_token: next_token(next, ranked) }))
    }

    async fn list_hubs(&self, _request: Request<v1::ListHubsRequest>) -> Result<Response<v1::HubList>, Status> {
        let hubs = self.shared.view().hubs();
        Ok(Response::new(v1::HubList { items: hubs.iter().map(hub_v1).collect(), region: self.region.to_string() }))
    }

    async fn get_opportunity(&self, request: Request<v1::GetRequest>) -> Result<Response<v1::Opportunity>, Status> {
        let (id, hub) = get_request(request.get_ref())?;
        let found = self.shared.view().opportunity(id, hub.as_ref()).map_err(|a| ambiguous(id, a))?;
        match found {
            Some(hit) => Ok(Response::new(opportunity_v1(&hit))),
            None => Err(self.not_found("opportunity", id, hub)),
        }
    }

    async fn get_safe_house(&self, request: Request<v1::GetRequest>) -> Result<Response<v1::SafeHouse>, Status> {
        let (id, hub) = get_request(request.get_ref())?;
        let found = self.shared.view().safe_house(id, hub.as_ref()).map_err(|a| ambiguous(id, a))?;
        match found {
            Some(hit) => Ok(Response::new(safe_house_v1(&hit, now_ms()))),
            None => Err(self.not_found("safe house", id, hub)),
        }
    }

    async fn search_services(
        &self,
        request: Request<v1::SearchServicesRequest>,
    ) -> Result<Response<v1::ServicePage>, Status> {
        let now_ms = now_ms();
        let now = self.clock.local(now_ms);
        let mut q = service_query(request.get_ref(), now, self.shared.places())?;
        let ranked = q.ranked();
        let Page { items, next } = self
            .search(move |view, deadline| {
                q.deadline = Some(deadline);
                view.search_services(&q)
            })
            .await?;
        let since = self.clock.confirmed_since(now_ms);
        let items = items.iter().map(|h| service_v1(h, now, since)).collect();
        Ok(Response::new(v1::ServicePage { items, next_page_token: next_token(next, ranked) }))
    }

    async fn get_service(&self, request: Request<v1::GetRequest>) -> Result<Response<v1::Service>, Status> {
        let (id, hub) = get_request(request.get_ref())?;
        let found = self.shared.view().service(id, hub.as_ref()).map_err(|a| ambiguous(id, a))?;
        let now_ms = now_ms();
        match found {
            Some(hit) => {
                Ok(Response::new(service_v1(&hit, self.clock.local(now_ms), self.clock.confirmed_since(now_ms))))
            }
            None => Err(self.not_found("service", id, hub)),
        }
    }

    async fn get_needs(&self, _: Request<v1::NeedsRequest>) -> Result<Response<v1::Needs>, Status> {
        let Some(needs) = self.shared.needs().cloned() else {
            return Err(Status::failed_precondition("a national view counts no needs: ask a region's relay"));
        };
        let today = self.clock.today();
        let unmet = self.shared.view().unmet_work();
        let report = tokio::task::spawn_blocking(move || needs.report(today, &unmet))
            .await
            .map_err(|e| Status::internal(e.to_string()))?
            .map_err(|e| Status::unavailable(format!("the figures cannot be read: {e}")))?;
        Ok(Response::new(report.to_v1()))
    }

    async fn search_offers(
        &self,
        request: Request<v1::SearchOffersRequest>,
    ) -> Result<Response<v1::OfferPage>, Status> {
        let mut q = offer_query(request.get_ref(), self.shared.places())?;
        let ranked = q.ranked();
        let Page { items, next } = self
            .search(move |view, deadline| {
                q.deadline = Some(deadline);
                view.search_offers(&q)
            })
            .await?;
        let fair = self.money.fair_rate_pence;
        let items = items.iter().map(|h| offer_v1(h, fair)).collect();
        Ok(Response::new(v1::OfferPage { items, next_page_token: next_token(next, ranked) }))
    }

    async fn get_offer(&self, request: Request<v1::GetRequest>) -> Result<Response<v1::Offer>, Status> {
        let (id, hub) = get_request(request.get_ref())?;
        let found = self.shared.view().offer(id, hub.as_ref()).map_err(|a| ambiguous(id, a))?;
        match found {
            Some(hit) => Ok(Response::new(offer_v1(&hit, self.money.fair_rate_pence))),
            None => Err(self.not_found("offer", id, hub)),
        }
    }

    async fn get_stats(&self, request: Request<v1::StatsRequest>) -> Result<Response<v1::Stats>, Status> {
        let coordinator = self.asked_by_coordinator(&request)?;
        let (counts, referrals) = {
            let view = self.shared.view();
            (view.counts(), view.referral_stats())
        };
        let c = self.shared.counters().clone();
        let mut stats = stats(&c, counts, referrals);
        if !coordinator {
            stats.referral_hubs.clear();
            stats.referral_hubs_withheld = true;
        }
        Ok(Response::new(stats))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::DocKey;

    fn check_invalid(result: Result<impl std::fmt::Debug, Status>, field: &str, mentions: &str) {
        let status = result.unwrap_err();
        assert_eq!(status.code(), tonic::Code::InvalidArgument);
        assert!(status.message().starts_with(&format!("{field}: ")), "{}", status.message());
        assert!(status.message().contains(mentions), "{}", status.message());
    }

    #[test]
    fn bad_filters_name_the_field_and_the_allowed_values() {
        let search = |f: fn(&mut v1::SearchOpportunitiesRequest)| {
            let mut r = v1::SearchOpportunitiesRequest::default();
            f(&mut r);
            opportunity_query(&r, Places::builtin())
        };
        check_invalid(search(|r| r.kind = "astronaut".into()), "kind", "paid-job, training");
        check_invalid(search(|r| r.sector = "space".into()), "sector", "ordinary, mental-health");
        check_invalid(search(|r| r.hub = "Not A Slug".into()), "hub", "a-z");
        check_invalid(search(|r| r.page_token = "garbage".into()), "page_token", "previous page");
        check_invalid(search(|r| r.sort = "best".into()), "sort", "relevance, newest");
        check_invalid(search(|r| r.query = "a b c d e f g h i j k l m n o p q".into()), "query", "at most 16 words");
        // A newest-first token is refused by a ranked search, not misread.
        check_invalid(
            search(|r| {
                r.query = "garden".into();
                r.page_token = "0000000000000001".into()
            }),
            "page_token",
            "another order",
        );
        let houses = |f: fn(&mut v1::ListSafeHousesRequest)| {
            let mut r = v1::ListSafeHousesRequest::default();
            f(&mut r);
            safe_house_query(&r, Places::builtin())
        };
        check_invalid(houses(|r| r.for_tag = "cats".into()), "for_tag", "women, men");
    }

    #[test]
    fn stats_carry_referral_counts_by_slug_and_hub() {
        use crate::referrals::HubReferrals;
        use kith_proto::referral::ReferralStatus;
        let mut referrals = ReferralStats::default();
        referrals.by_status.insert(ReferralStatus::Accepted, 2);
        referrals.by_status.insert(ReferralStatus::Sent, 1);
        referrals.hubs.push(HubReferrals {
            hub: Slug::parse("hub", "rainbow").unwrap(),
            received: 3,
            answered: 2,
            median_first_answer_ms: 60_000,
        });
        let mut counters = Counters { applied: 9, ..Default::default() };
        counters.rejected.insert("bad-signature".into(), 1);
        let counts = Counts { hubs: 2, listings: [0, 1, 0, 4], referrals: 3 };
        let s = stats(&counters, counts, referrals);
        assert_eq!((s.applied, s.hubs, s.safe_houses, s.offers), (9, 2, 1, 4));
        assert_eq!(s.rejected.get("bad-signature"), Some(&1));
        assert_eq!(s.referrals_by_status.get("accepted"), Some(&2));
        assert_eq!(s.referrals_by_status.get("sent"), Some(&1));
        assert_eq!(s.referrals_by_status.len(), 2);
        let hub = &s.referral_hubs[0];
        assert_eq!(
            (hub.hub.as_str(), hub.received, hub.answered, hub.median_first_answer_ms),
            ("rainbow", 3, 2, 60_000)
        );
    }

    #[test]
    fn requests_become_queries() {
        let r = v1::SearchOpportunitiesRequest {
            query: "Peer-support, LEEDS".into(),
            kind: " training ".into(),
            area: "LS6".into(),
            hub: "garden".into(),
            page_size: 7,
            page_token: Position::at(3, DocKey(42)).token(true),
            ..Default::default()
        };
        let q = opportunity_query(&r, Places::builtin()).unwrap();
        assert_eq!(q.text.words, ["peer", "support", "leeds"]);
        assert!(q.ranked());
        assert_eq!(q.area, ["ls6"]);
        assert_eq!(q.kind, Some(OpportunityKind::Training));
        assert_eq!(q.sector, None);
        assert_eq!(q.hub.unwrap().as_str(), "garden");
        assert_eq!((q.page_size, q.after), (7, Some(Position::at(3, DocKey(42)))));
        let s = safe_house_query(
            &v1::ListSafeHousesRequest { for_tag: "women".into(), ..Default::default() },
            Places::builtin(),
        )
        .unwrap();
        assert_eq!(s.for_tag, Some(ForTag::Women));
        let o = offer_query(
            &v1::SearchOffersRequest {
                query: "Gardener".into(),
                area: "LS".into(),
                hub: "garden".into(),
                near: "LS6 1AB".into(),
                within_m: 5000,
                ..Default::default()
            },
            Places::builtin(),
        )
        .unwrap();
        assert_eq!(
            (o.text.words.as_slice(), o.area.as_slice()),
            (&["gardener".to_owned()][..], &["ls".to_owned()][..])
        );
        assert!(o.near.is_some() && o.hub.is_some());
        let bad = v1::SearchOffersRequest { within_m: 5000, ..Default::default() };
        assert!(offer_query(&bad, Places::builtin()).unwrap_err().message().starts_with("within_m:"));
    }

    #[test]
    fn an_offer_below_the_fair_rate_is_marked() {
        let o = kith_proto::offer::Offer {
            id: Ulid::new(),
            name: "Green Hands".into(),
            description: String::new(),
            skills: vec!["gardening".into()],
            areas: vec!["Leeds".into()],
            rate_pence: 1200,
            rate_note: String::new(),
            how_to_book: "Ring".into(),
            phones: vec![],
            email: String::new(),
            website: String::new(),
        };
        let hit = Hit {
            hub: Slug::parse("hub", "garden").unwrap(),
            region: Slug::parse("region", "wy").unwrap(),
            seq: 3,
            at_ms: 9,
            item: o,
            place: None,
            distance_m: None,
            beyond_area: false,
        };
        assert!(offer_v1(&hit, Some(1250)).below_fair_rate);
        assert!(!offer_v1(&hit, Some(1200)).below_fair_rate);
        let v = offer_v1(&hit, None);
        assert!(!v.below_fair_rate);
        assert_eq!((v.hub.as_str(), v.region.as_str(), v.seq, v.rate_pence), ("garden", "wy", 3, 1200));
    }
}
