//! The relay's HTTP listener (`--http-listen`): the region as Open Referral HSDS 3
//! JSON, public and read-only, beside the gRPC API in the same process.
//!
//! `GET /` says which HSDS version and profile this is and where its OpenAPI
//! description is (`/openapi.json`), as the ORUK validator expects; `/services`,
//! `/organizations`, `/service_at_locations`, `/taxonomies`, `/taxonomy_terms` are
//! paginated (`page`, `per_page`), each with its `/{id}`. `/service_at_locations`
//! also takes `postcode` and `proximity` as the ORUK OpenAPI describes them: nearest
//! first from the centroid of the postcode (its district's: a full postcode is cut
//! to its district before it is used), only those within `proximity` metres when
//! given (locations without an address are then left out). Every answer allows any
//! origin (CORS `*`) and sets no cookie. Reads of the view go through the same
//! limits as gRPC searches ([`crate::query::Limits`]), so the web cannot starve ingest.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Instant;

use kith_opendata::hsds;
use kith_proto::Slug;
use kith_proto::service::Category;
use kith_proto::time::now_ms;
use kith_text::places::{Places, cut_postcodes};

use crate::Shared;
use crate::query::Limits;
use crate::search::{TextQuery, TimedOut};
use crate::view::family::Hit;
use crate::view::{OfferQuery, Page, SafeHouseQuery, ServiceQuery, View};

/// Items per page unless `per_page` says otherwise, and the most it may say.
pub const DEFAULT_PER_PAGE: usize = 50;
pub const MAX_PER_PAGE: usize = 500;

#[derive(Clone)]
pub struct HttpState {
    shared: Shared,
    region: Slug,
    limits: Limits,
}

impl HttpState {
    pub(crate) fn new(shared: Shared, region: Slug, limits: Limits) -> HttpState {
        HttpState { shared, region, limits }
    }
}

/// The HSDS routes but `/`, which [`crate::board::router`] shares with the board
/// (HTML for a browser, [`root`] for a tool) and which adds [`headers`] to all.
pub(crate) fn router_with(state: Arc<HttpState>) -> Router {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/services", get(services))
        .route("/services/{id}", get(service))
        .route("/organizations", get(organizations))
        .route("/organizations/{id}", get(organization))
        .route("/service_at_locations", get(service_at_locations))
        .route("/service_at_locations/{id}", get(service_at_location))
        .route("/taxonomies", get(taxonomies))
        .route("/taxonomies/{id}", get(taxonomy))
        .route("/taxonomy_terms", get(taxonomy_terms))
        .route("/taxonomy_terms/{id}", get(taxonomy_term))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "no such page: see /openapi.json for what this API serves") })
        .with_state(state)
}

/// Open to every origin, never sniffed, no referrer sent on.
pub(crate) async fn headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

/// An error answered as JSON naming what is wrong.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.message }))).into_response()
    }
}

fn error(status: StatusCode, message: impl Into<String>) -> ApiError {
    ApiError { status, message: message.into() }
}

type Answer = Result<Response, ApiError>;

fn bad(message: impl Into<String>) -> ApiError {
    error(StatusCode::BAD_REQUEST, message)
}

pub(crate) async fn root(headers: HeaderMap) -> Response {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    Json(json!({
        "version": hsds::VERSION,
        "profile": hsds::PROFILE,
        "openapi_url": format!("http://{host}/openapi.json"),
    }))
    .into_response()
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], hsds::OPENAPI).into_response()
}

/// What the list endpoints take. Unknown parameters are ignored; a known one with a
/// bad value is a 400 naming it.
#[derive(Debug, Default)]
struct ListParams {
    page: usize,
    per_page: usize,
    search: TextQuery,
    taxonomy_term_id: Option<String>,
    taxonomy_id: Option<String>,
    organization_id: Option<String>,
    modified_after_ms: Option<i64>,
}

fn list_params(pairs: &[(String, String)]) -> Result<ListParams, ApiError> {
    let mut p = ListParams { page: 1, per_page: DEFAULT_PER_PAGE, ..Default::default() };
    let number = |name: &str, v: &str, max: usize| -> Result<usize, ApiError> {
        match v.trim().parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(bad(format!("{name}: must be a whole number from 1 to {max} (got {v:?})"))),
        }
    };
    for (k, v) in pairs {
        match k.as_str() {
            "page" => p.page = number("page", v, 1_000_000)?,
            "per_page" => p.per_page = number("per_page", v, MAX_PER_PAGE)?,
            "search" => {
                p.search = TextQuery::parse(v)
                    .map_err(|n| bad(format!("search: at most {} words (got {n})", crate::search::MAX_QUERY_WORDS)))?
            }
            "taxonomy_term_id" if !v.is_empty() => p.taxonomy_term_id = Some(v.clone()),
            "taxonomy_id" if !v.is_empty() => p.taxonomy_id = Some(v.clone()),
            "organization_id" if !v.is_empty() => p.organization_id = Some(v.clone()),
            "modified_after" if !v.is_empty() => {
                let t: jiff::Timestamp = v
                    .parse()
                    .or_else(|_| {
                        v.parse::<jiff::civil::DateTime>()
                            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC))
                            .map(|z| z.timestamp())
                    })
                    .map_err(|_| {
                        bad(format!("modified_after: must be a date-time such as 2026-11-01T00:00:00Z (got {v:?})"))
                    })?;
                p.modified_after_ms = Some(t.as_millisecond());
            }
            _ => {}
        }
    }
    Ok(p)
}

/// One page of `items`, in HSDS's page shape.
fn page(items: Vec<Value>, p: &ListParams) -> Response {
    let total = items.len();
    let contents: Vec<Value> = items.into_iter().skip((p.page - 1) * p.per_page).take(p.per_page).collect();
    page_of(contents, total, p)
}

/// The page `contents` (already only the page) of `total` items, in HSDS's shape.
fn page_of(contents: Vec<Value>, total: usize, p: &ListParams) -> Response {
    let total_pages = total.div_ceil(p.per_page).max(1);
    Json(json!({
        "total_items": total,
        "total_pages": total_pages,
        "page_number": p.page,
        "size": contents.len(),
        "first_page": p.page == 1,
        "last_page": p.page >= total_pages,
        "empty": total == 0,
        "contents": contents,
    }))
    .into_response()
}

/// A service or a safe house of the region, as HSDS sees both. Its HSDS object is
/// built only when it is answered ([`Entry::full`]): a page of a list, or the one
/// asked for, never the whole region for one request.
struct Entry {
    id: String,
    organization_id: String,
    at_ms: i64,
    source: Source,
}

enum Source {
    Service(Hit<kith_proto::service::Service>),
    /// A safe house, and its beds free when read.
    SafeHouse(Hit<kith_proto::domain::SafeHouse>, Option<u16>),
    /// An offer: a business of a hub's pool.
    Offer(Hit<kith_proto::offer::Offer>),
}

impl Entry {
    fn full(&self, region: &Slug) -> Value {
        match &self.source {
            Source::Service(h) => hsds::service(region, &h.hub, h.item.id, &h.item, h.at_ms),
            Source::SafeHouse(h, free) => hsds::safe_house(region, &h.hub, h.item.id, &h.item, *free, h.at_ms),
            Source::Offer(h) => hsds::offer(region, &h.hub, h.item.id, &h.item, h.at_ms),
        }
    }
}

/// Every page of a search, walked within the deadline.
fn all_pages<T>(
    mut next: impl FnMut(Option<crate::search::Position>) -> Result<Page<T>, TimedOut>,
) -> Result<Vec<T>, TimedOut> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let Page { items, next: more } = next(after)?;
        out.extend(items);
        match more {
            Some(p) => after = Some(p),
            None => return Ok(out),
        }
    }
}

/// Which of the region's services, safe houses and offers a list (or a lookup)
/// covers.
#[derive(Clone, Debug, Default)]
struct Selection {
    text: TextQuery,
    category: Option<Category>,
    /// Only safe houses (the safe-house term), or no safe houses (another term).
    safe_houses: Option<bool>,
    /// Only offers (the offer term).
    offers_only: bool,
}

fn entries(
    view: &View,
    region: &Slug,
    clock_now_ms: i64,
    s: &Selection,
    deadline: Instant,
) -> Result<Vec<Entry>, TimedOut> {
    let mut out = Vec::new();
    // Offers carry the offer term and the employment-support category.
    let offers_wanted = s.safe_houses != Some(true) && s.category.is_none_or(|c| c == Category::EmploymentSupport);
    if s.offers_only {
        if offers_wanted {
            offers(view, region, s, deadline, &mut out)?;
        }
        return Ok(out);
    }
    if s.safe_houses != Some(true) {
        let services: Vec<Hit<kith_proto::service::Service>> = all_pages(|after| {
            let q = ServiceQuery {
                text: s.text.clone(),
                category: s.category,
                include_inactive: true,
                page_size: crate::view::MAX_PAGE_SIZE,
                after,
                deadline: Some(deadline),
                ..Default::default()
            };
            view.search_services(&q)
        })?;
        for h in services {
            out.push(Entry {
                id: hsds::service_id(&h.hub, h.item.id),
                organization_id: hsds::organization_id(region, &h.hub),
                at_ms: h.at_ms,
                source: Source::Service(h),
            });
        }
    }
    let houses_wanted = s.safe_houses != Some(false) && s.category.is_none_or(|c| c == Category::Crisis);
    if houses_wanted {
        let houses = all_pages(|after| {
            let q = SafeHouseQuery {
                text: s.text.clone(),
                page_size: crate::view::MAX_PAGE_SIZE,
                after,
                deadline: Some(deadline),
                ..Default::default()
            };
            view.list_safe_houses(&q, clock_now_ms)
        })?;
        for h in houses {
            let free = h.item.availability.and_then(|a| a.beds_free_at(clock_now_ms));
            out.push(Entry {
                id: hsds::safe_house_id(&h.hub, h.item.id),
                organization_id: hsds::organization_id(region, &h.hub),
                at_ms: h.at_ms,
                source: Source::SafeHouse(h, free),
            });
        }
    }
    if offers_wanted {
        offers(view, region, s, deadline, &mut out)?;
    }
    Ok(out)
}

/// The offers `s` selects, into `out`.
fn offers(view: &View, region: &Slug, s: &Selection, deadline: Instant, out: &mut Vec<Entry>) -> Result<(), TimedOut> {
    let offers = all_pages(|after| {
        let q = OfferQuery {
            text: s.text.clone(),
            page_size: crate::view::MAX_PAGE_SIZE,
            after,
            deadline: Some(deadline),
            ..Default::default()
        };
        view.search_offers(&q)
    })?;
    for h in offers {
        out.push(Entry {
            id: hsds::offer_id(&h.hub, h.item.id),
            organization_id: hsds::organization_id(region, &h.hub),
            at_ms: h.at_ms,
            source: Source::Offer(h),
        });
    }
    Ok(())
}

impl HttpState {
    /// Reads the view under the query limits; a busy or slow read is a 503.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&View, &Slug, Instant) -> Result<T, TimedOut> + Send + 'static,
    ) -> Result<T, ApiError> {
        let region = self.region.clone();
        self.limits
            .run(&self.shared, "hsds", move |view, deadline| f(view, &region, deadline))
            .await
            .map_err(|status| error(StatusCode::SERVICE_UNAVAILABLE, status.message().to_owned()))
    }

    /// The region's services, safe houses and offers that `p` selects, in the view's order.
    async fn selected(&self, p: &ListParams) -> Result<Vec<Entry>, ApiError> {
        let mut selection = Selection { text: p.search.clone(), ..Default::default() };
        if let Some(t) = &p.taxonomy_id
            && *t != hsds::taxonomy_id()
        {
            return Ok(Vec::new());
        }
        if let Some(term) = &p.taxonomy_term_id {
            if *term == hsds::safe_house_term_id() {
                selection.safe_houses = Some(true);
            } else if *term == hsds::offer_term_id() {
                selection.offers_only = true;
            } else {
                match Category::ALL.iter().find(|&&c| hsds::taxonomy_term_id(c) == *term) {
                    Some(&c) => selection.category = Some(c),
                    None => return Ok(Vec::new()),
                }
            }
        }
        let now = now_ms();
        let mut all = self.read(move |view, region, deadline| entries(view, region, now, &selection, deadline)).await?;
        if let Some(org) = &p.organization_id {
            all.retain(|e| e.organization_id == *org);
        }
        if let Some(after) = p.modified_after_ms {
            all.retain(|e| e.at_ms > after);
        }
        Ok(all)
    }

    /// The HSDS object of the service (or safe house) `id`: only it is built.
    async fn find(&self, id: &str) -> Result<Value, ApiError> {
        let all = self.selected(&ListParams { page: 1, per_page: 1, ..Default::default() }).await?;
        all.iter()
            .find(|e| e.id == id)
            .map(|e| e.full(&self.region))
            .ok_or_else(|| error(StatusCode::NOT_FOUND, format!("no service {id} in region {}", self.region)))
    }
}

type St = State<Arc<HttpState>>;

async fn services(State(st): St, Query(q): Query<Vec<(String, String)>>) -> Answer {
    let p = list_params(&q)?;
    let all = st.selected(&p).await?;
    // Only the page asked for is built.
    let (total, start) = (all.len(), (p.page - 1) * p.per_page);
    let items = all.iter().skip(start).take(p.per_page).map(|e| hsds::service_summary(&e.full(&st.region))).collect();
    Ok(page_of(items, total, &p))
}

async fn service(State(st): St, Path(id): Path<String>) -> Answer {
    Ok(Json(st.find(&id).await?).into_response())
}

async fn organizations(State(st): St, Query(q): Query<Vec<(String, String)>>) -> Answer {
    let p = list_params(&q)?;
    let orgs = st.organizations(&p.search).await?;
    Ok(page(orgs, &p))
}

async fn organization(State(st): St, Path(id): Path<String>) -> Answer {
    let orgs = st.organizations(&TextQuery::default()).await?;
    let mut org = orgs
        .into_iter()
        .find(|o| o["id"] == id.as_str())
        .ok_or_else(|| error(StatusCode::NOT_FOUND, format!("no organization {id} in region {}", st.region)))?;
    let all =
        st.selected(&ListParams { page: 1, per_page: 1, organization_id: Some(id), ..Default::default() }).await?;
    let services: Vec<Value> = all.iter().map(|e| hsds::service_summary(&e.full(&st.region))).collect();
    if !services.is_empty() {
        org["services"] = json!(services);
    }
    Ok(Json(org).into_response())
}

impl HttpState {
    /// Every hub as an organization; `search` matches words of its name, id or
    /// description (folded as listings' words are).
    async fn organizations(&self, search: &TextQuery) -> Result<Vec<Value>, ApiError> {
        let words = &search.words;
        let hubs = self.read(|view, _, _| Ok(view.hubs())).await?;
        Ok(hubs
            .iter()
            // A hub that left the region is no longer an organization to go to.
            .filter(|h| !h.profile.left)
            .filter(|h| {
                let text = format!("{} {} {}", h.name, h.hub, h.profile.description);
                let have: Vec<String> = kith_text::words(&text).collect();
                words.iter().all(|w| have.iter().any(|h| h.starts_with(w.as_str())))
            })
            .map(|h| hsds::organization(&self.region, &h.hub, &h.name, &h.profile.description, &h.profile.contact))
            .collect())
    }
}

/// Where `/service_at_locations` measures from: the centroid of the `postcode`'s
/// district (a full postcode is cut to its district before it is used), and how far
/// from it a location may be (`proximity`, metres).
#[derive(Debug, Default)]
struct Proximity {
    from: Option<kith_text::places::Point>,
    within_m: Option<u32>,
}

fn proximity(places: &Places, pairs: &[(String, String)]) -> Result<Proximity, ApiError> {
    let value = |name: &str| pairs.iter().find(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.as_str());
    let within_m = match value("proximity") {
        None => None,
        Some(v) => match v.trim().parse::<u32>() {
            Ok(m) if (1..=MAX_PROXIMITY_M).contains(&m) => Some(m),
            _ => {
                return Err(bad(format!(
                    "proximity: must be metres, a whole number from 1 to {MAX_PROXIMITY_M} (got {:?})",
                    cut_postcodes(v)
                )));
            }
        },
    };
    let from = match value("postcode") {
        None if within_m.is_some() => return Err(bad("proximity: needs postcode, the point to measure from")),
        None => None,
        Some(v) => {
            let district = cut_postcodes(v);
            match places.resolve(&district) {
                Ok(Some(d)) if kith_text::postcode_area(&district.trim().to_ascii_lowercase()).is_some() => {
                    Some(places.point(d))
                }
                Err(e) => return Err(bad(format!("postcode: {e}"))),
                _ => {
                    return Err(bad(format!(
                        "postcode: must be a UK postcode or postcode district, e.g. LS6 1AB or LS6 (got {district:?})"
                    )));
                }
            }
        }
    };
    Ok(Proximity { from, within_m })
}

/// The farthest `proximity` asked for: the length of Great Britain.
const MAX_PROXIMITY_M: u32 = 1_500_000;

/// How far a `service_at_location` is from `from`, by its address's postcode
/// district; None for one without an address (online, by phone).
fn location_distance(sal: &Value, places: &Places, from: kith_text::places::Point) -> Option<u32> {
    let postcode = sal["location"]["addresses"].as_array()?.first()?["postal_code"].as_str()?;
    let district = places.resolve(&cut_postcodes(postcode)).ok()??;
    Some(places.point(district).distance_m(from))
}

async fn service_at_locations(State(st): St, Query(q): Query<Vec<(String, String)>>) -> Answer {
    let p = list_params(&q)?;
    let near = proximity(st.shared.places(), &q)?;
    let all = st.selected(&p).await?;
    // A service's places are known only once it is built: built off the runtime's
    // threads, as the search was.
    let (region, shared) = (st.region.clone(), st.shared.clone());
    let items: Vec<Value> = tokio::task::spawn_blocking(move || {
        let sals =
            all.iter().flat_map(|e| e.full(&region)["service_at_locations"].as_array().cloned().unwrap_or_default());
        let Some(from) = near.from else { return sals.map(|sal| hsds::service_summary(&sal)).collect() };
        // From a postcode: the nearest first, within the proximity when given;
        // locations without an address last, and only when no proximity is given.
        let mut placed: Vec<(u32, Value)> = sals
            .map(|sal| (location_distance(&sal, shared.places(), from).unwrap_or(u32::MAX), sal))
            .filter(|(m, _)| near.within_m.is_none_or(|max| *m <= max))
            .collect();
        placed.sort_by_key(|(m, _)| *m);
        placed.into_iter().map(|(_, sal)| hsds::service_summary(&sal)).collect()
    })
    .await
    .map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(page(items, &p))
}

async fn service_at_location(State(st): St, Path(id): Path<String>) -> Answer {
    let all = st.selected(&ListParams { page: 1, per_page: 1, ..Default::default() }).await?;
    let region = st.region.clone();
    let found = tokio::task::spawn_blocking(move || {
        for e in &all {
            let full = e.full(&region);
            for sal in full["service_at_locations"].as_array().into_iter().flatten() {
                if sal["id"] == id.as_str() {
                    let mut sal = sal.clone();
                    sal["service"] = hsds::service_summary(&full);
                    return Some(sal);
                }
            }
        }
        None
    })
    .await
    .map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    found
        .map(|sal| Json(sal).into_response())
        .ok_or_else(|| error(StatusCode::NOT_FOUND, format!("no service_at_location in region {}", st.region)))
}

async fn taxonomies(Query(q): Query<Vec<(String, String)>>) -> Answer {
    let p = list_params(&q)?;
    Ok(page(vec![hsds::taxonomy()], &p))
}

async fn taxonomy(Path(id): Path<String>) -> Answer {
    let t = hsds::taxonomy();
    if t["id"] == id.as_str() {
        Ok(Json(t).into_response())
    } else {
        Err(error(StatusCode::NOT_FOUND, format!("no taxonomy {id}")))
    }
}

async fn taxonomy_terms(Query(q): Query<Vec<(String, String)>>) -> Answer {
    let p = list_params(&q)?;
    let mut terms = hsds::taxonomy_terms();
    if let Some(t) = &p.taxonomy_id {
        terms.retain(|term| term["taxonomy_id"] == t.as_str());
    }
    let words = &p.search.words;
    terms.retain(|term| {
        let have: Vec<String> = kith_text::words(term["name"].as_str().unwrap_or_default()).collect();
        words.iter().all(|w| have.iter().any(|h| h.starts_with(w.as_str())))
    });
    Ok(page(terms, &p))
}

async fn taxonomy_term(Path(id): Path<String>) -> Answer {
    hsds::taxonomy_terms()
        .into_iter()
        .find(|t| t["id"] == id.as_str())
        .map(|t| Json(t).into_response())
        .ok_or_else(|| error(StatusCode::NOT_FOUND, format!("no taxonomy term {id}")))
}
