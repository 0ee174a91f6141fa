//! `/` and `/search`: what is open to this person, near here — work, training,
//! volunteering and paid involvement, services, and the businesses of the region's
//! pools (offers) — from one form.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use std::sync::Arc;

use kith_proto::Slug;
use kith_proto::domain::{Opportunity, OpportunityKind, Sector};
use kith_proto::offer::Offer;
use kith_proto::service::{Category, Service};
use kith_proto::time::{CivilDate, now_ms};
use kith_words::{category_text, date_text_in, hours_text_in, kind_text, list_separator, pay_text_in, t};

use super::{Board, Reader, problem, theirs};
use crate::needs::Asked;
use crate::search::TextQuery;
use crate::view::family::Hit;
use crate::view::{HubSummary, OfferQuery, OpportunityQuery, ServiceQuery};

/// Results of each kind on one page.
const PER_KIND: usize = 20;

/// The form's fields, as given.
#[derive(Clone, Debug, Default)]
pub struct Form {
    pub q: String,
    pub area: String,
    /// `work`, `services`, `businesses` or empty for all.
    pub what: String,
    pub kind: Option<OpportunityKind>,
    pub category: Option<Category>,
    pub ordinary: bool,
    pub paid: bool,
    pub remote: bool,
    pub open_now: bool,
    pub free: bool,
    /// Only work within the region's weekly earnings limit.
    pub within_limit: bool,
}

impl Form {
    fn read(pairs: &[(String, String)]) -> Form {
        let mut f = Form::default();
        for (k, v) in pairs {
            let on = !v.is_empty();
            match k.as_str() {
                "q" => f.q = v.chars().take(200).collect(),
                "area" => f.area = super::area_field(v),
                "what" if v == "work" || v == "services" || v == "businesses" => f.what = v.clone(),
                "kind" => f.kind = OpportunityKind::parse("kind", v).ok(),
                "category" => f.category = Category::parse("category", v).ok(),
                "ordinary" => f.ordinary = on,
                "paid" => f.paid = on,
                "remote" => f.remote = on,
                "open" => f.open_now = on,
                "free" => f.free = on,
                "limit" => f.within_limit = on,
                _ => {}
            }
        }
        f
    }

    /// What kind of thing was asked for, as needs count it.
    fn need_kind(&self) -> String {
        match (self.what.as_str(), self.kind, self.category) {
            ("work", Some(k), _) => format!("work: {}", k.as_str()),
            ("work", None, _) => "work".to_owned(),
            ("services", _, Some(c)) => format!("service: {}", c.as_str()),
            ("services", _, None) => "service".to_owned(),
            ("businesses", _, _) => "business".to_owned(),
            (_, Some(k), _) => format!("work: {}", k.as_str()),
            (_, None, Some(c)) => format!("service: {}", c.as_str()),
            _ => "anything".to_owned(),
        }
    }

    fn asked(&self) -> bool {
        !self.q.is_empty()
            || !self.area.is_empty()
            || self.kind.is_some()
            || self.category.is_some()
            || !self.what.is_empty()
    }
}

pub async fn page(
    State(board): State<Arc<Board>>,
    r: Reader,
    Query(pairs): Query<Vec<(String, String)>>,
    parts: axum::http::request::Parts,
) -> Response {
    let form = Form::read(&pairs);
    let text = match TextQuery::parse(&form.q) {
        Ok(t) => t,
        Err(n) => {
            return problem(
                &board,
                &r,
                StatusCode::BAD_REQUEST,
                &r.t("too-many-words"),
                &t!(r.lang, "too-many-words-detail", n = n),
            );
        }
    };
    let now = now_ms();
    let local = board.clock.local(now);
    let confirmed_since = board.clock.confirmed_since(now);
    let (want_work, want_services) =
        (form.what.is_empty() || form.what == "work", form.what.is_empty() || form.what == "services");
    // Businesses are booked by the hour: the filters of jobs and services do not
    // apply to them, so they are left out when one is chosen.
    let want_offers = (form.what.is_empty() || form.what == "businesses")
        && form.kind.is_none()
        && form.category.is_none()
        && !(form.paid || form.remote || form.open_now || form.free || form.within_limit);
    let f = form.clone();
    let max_weekly = board.money.weekly_limit_pence.filter(|_| form.within_limit);
    let whereabouts = board.whereabouts(&r, &form.area);
    let place = whereabouts.clone();
    let found = board
        .read(&r, move |view, deadline| {
            let work = if want_work {
                let q = OpportunityQuery {
                    text: text.clone(),
                    area: place.words(),
                    near: place.near(),
                    kind: f.kind,
                    sector: f.ordinary.then_some(Sector::Ordinary),
                    remote_only: f.remote,
                    paid_only: f.paid,
                    max_weekly_pence: max_weekly,
                    page_size: PER_KIND,
                    deadline: Some(deadline),
                    ..Default::default()
                };
                view.search_opportunities(&q, local.date)?.items
            } else {
                Vec::new()
            };
            let f_text = text.clone();
            let services = if want_services && !f.paid && !f.remote {
                let q = ServiceQuery {
                    text,
                    area: place.words(),
                    near: place.near(),
                    category: f.category,
                    sector: f.ordinary.then_some(Sector::Ordinary),
                    free_only: f.free,
                    open_at: f.open_now.then_some((local.day, local.time)),
                    page_size: PER_KIND,
                    deadline: Some(deadline),
                    ..Default::default()
                };
                view.search_services(&q)?.items
            } else {
                Vec::new()
            };
            let offers = if want_offers {
                let q = OfferQuery {
                    text: f_text,
                    area: place.words(),
                    near: place.near(),
                    page_size: PER_KIND,
                    deadline: Some(deadline),
                    ..Default::default()
                };
                view.search_offers(&q)?.items
            } else {
                Vec::new()
            };
            Ok((work, services, offers))
        })
        .await;
    let (work, services, offers) = match found {
        Ok(found) => found,
        Err(response) => return response,
    };
    let hubs = match board.hubs(&r).await {
        Ok(h) => h,
        Err(response) => return response,
    };
    // Nothing at all for what the person asked: a need. Not the searches the page's
    // script makes as they type, only the one they make.
    let missing = (form.asked() && work.is_empty() && services.is_empty() && offers.is_empty()).then(|| Asked {
        kind: form.need_kind(),
        area: board.need_area(&whereabouts),
        terms: crate::needs::terms(&form.q),
    });
    if let Some(asked) = &missing
        && !parts.headers.contains_key(super::needs::AS_YOU_TYPE)
    {
        board.record_need(crate::connections::client_in(&parts.extensions), asked);
    }
    let said = |n: usize| t!(r.lang, "results-count", n = n);
    let found_text = said(work.len() + services.len() + offers.len());
    let more = |n: usize| if n == PER_KIND { "+" } else { "" };
    let body = html! {
        h1 { (r.t("search-heading")) }
        (search_form(&r, &form, &board.money))
        p #results-status .visually-hidden role="status" {}
        div #results data-results data-said=(found_text) {
            @if let Some(why) = whereabouts.problem() { p.warn role="alert" { (why) } }
            @if form.asked() || !work.is_empty() || !services.is_empty() || !offers.is_empty() {
                @if want_work {
                    h2 id="work" { (t!(r.lang, "results-work", n = work.len(), more = more(work.len()))) }
                    @if let Some(limit) = board.money.weekly_limit_pence {
                        p.meta {
                            (t!(r.lang, "results-work-limit", limit = super::pounds(limit)))
                            @if !board.money.benefits_advice.is_empty() { " " (r.t("benefits-advice")) " " (theirs(&board.money.benefits_advice)) }
                        }
                    }
                    @if work.is_empty() { p { (r.t("results-work-none")) } }
                    @else if work.iter().all(|h| h.beyond_area) { p.beyond { (super::nothing_in(&r, &form.area)) } }
                    ol.results { @for hit in &work { (opportunity_item(&r, hit, hubs.get(&hit.hub), local.date, &board.money)) } }
                }
                @if want_services {
                    h2 id="services" { (t!(r.lang, "results-services", n = services.len(), more = more(services.len()))) }
                    @if services.is_empty() { p { (r.t("results-services-none")) } }
                    @else if services.iter().all(|h| h.beyond_area) { p.beyond { (super::nothing_in(&r, &form.area)) } }
                    ol.results {
                        @for hit in &services { (service_item(&r, hit, hubs.get(&hit.hub), local, confirmed_since)) }
                    }
                }
                @if want_offers {
                    h2 id="businesses" { (t!(r.lang, "results-businesses", n = offers.len(), more = more(offers.len()))) }
                    p.meta { (r.t("results-businesses-about")) }
                    @if offers.is_empty() { p { (r.t("results-businesses-none")) } }
                    @else if offers.iter().all(|h| h.beyond_area) { p.beyond { (super::nothing_in(&r, &form.area)) } }
                    ol.results {
                        @for hit in &offers { (offer_item(&r, hit, hubs.get(&hit.hub), &board.money)) }
                    }
                }
                @if let Some(asked) = &missing { (super::needs::ask_what(&r, asked)) }
            }
        }
    };
    super::page(&board, &r, &r.t("search-title"), StatusCode::OK, body)
}

fn checkbox(name: &str, label: &str, on: bool) -> Markup {
    html! { label { input type="checkbox" name=(name) value="1" checked[on]; (label) } }
}

fn search_form(r: &Reader, f: &Form, money: &crate::config::Money) -> Markup {
    html! {
        form.search method="get" action="/search" role="search" {
            (r.keep())
            div.field {
                label for="q" { (r.t("search-q")) }
                p.hint id="q-hint" { (r.t("search-q-hint")) }
                input #q type="search" name="q" value=(f.q) aria-describedby="q-hint" autocomplete="off";
            }
            div.field {
                label for="area" { (r.t("where")) }
                p.hint id="area-hint" { (t!(r.lang, "where-hint", example = "LS6")) }
                input #area type="text" name="area" value=(f.area) aria-describedby="area-hint";
            }
            div.field {
                label for="what" { (r.t("search-what")) }
                select #what name="what" {
                    option value="" selected[f.what.is_empty()] { (r.t("search-what-all")) }
                    option value="work" selected[f.what == "work"] { (r.t("search-what-work")) }
                    option value="services" selected[f.what == "services"] { (r.t("search-what-services")) }
                    option value="businesses" selected[f.what == "businesses"] { (r.t("search-what-businesses")) }
                }
            }
            div.field {
                label for="kind" { (r.t("search-kind")) }
                select #kind name="kind" {
                    option value="" { (r.t("any")) }
                    @for k in OpportunityKind::ALL {
                        option value=(k.as_str()) selected[f.kind == Some(*k)] { (kind_text(r.lang, *k)) }
                    }
                }
            }
            div.field {
                label for="category" { (r.t("search-category")) }
                select #category name="category" {
                    option value="" { (r.t("any")) }
                    @for c in Category::ALL {
                        option value=(c.as_str()) selected[f.category == Some(*c)] { (category_text(r.lang, *c)) }
                    }
                }
            }
            fieldset.checks {
                legend { (r.t("search-only")) }
                (checkbox("ordinary", &r.t("search-only-ordinary"), f.ordinary))
                (checkbox("paid", &r.t("search-only-paid"), f.paid))
                (checkbox("remote", &r.t("search-only-remote"), f.remote))
                (checkbox("open", &r.t("search-only-open"), f.open_now))
                (checkbox("free", &r.t("search-only-free"), f.free))
                @if let Some(limit) = money.weekly_limit_pence {
                    (checkbox("limit", &t!(r.lang, "search-only-limit", limit = super::pounds(limit)), f.within_limit))
                }
            }
            button type="submit" { (r.t("search-button")) }
        }
    }
}

/// How far away a result is, after its place: ` · 12 km away`; nothing when the
/// search was not near a place.
pub fn away(r: &Reader, distance_m: Option<u32>) -> Markup {
    html! { @if let Some(m) = distance_m { " · " strong.away { (t!(r.lang, "away", distance = kith_words::distance_text_in(r.lang, m))) } } }
}

/// A hub's name and how to reach it, for the foot of a result.
fn hub_line(hub: &Slug, info: Option<&HubSummary>) -> Markup {
    let name = info.map_or(hub.as_str(), |h| h.name.as_str());
    let contact = info.map(|h| h.profile.contact.as_str()).unwrap_or_default();
    html! { p.contact { (theirs(name)) @if !contact.is_empty() { " — " (theirs(contact)) } } }
}

/// How an opportunity's pay stands against the region's earnings limit and fair
/// rate, when the region sets them and the pay says enough.
pub fn money_marks(r: &Reader, o: &Opportunity, money: &crate::config::Money) -> Markup {
    use kith_proto::domain::{Pay, PayPer};
    let limit = money.weekly_limit_pence.zip(o.weekly_pence()).filter(|_| o.pay.is_paid());
    let below_fair = match (o.kind, o.pay, money.fair_rate_pence) {
        (OpportunityKind::PaidInvolvement, Pay::Paid { pence, per: PayPer::Hour }, Some(fair)) if pence < fair => {
            Some(fair)
        }
        _ => None,
    };
    html! {
        @if let Some((limit, weekly)) = limit {
            @if weekly <= limit {
                li.good { (t!(r.lang, "within-limit", limit = super::pounds(limit), weekly = super::pounds(weekly))) }
            } @else {
                li.warn { (t!(r.lang, "over-limit", limit = super::pounds(limit), weekly = super::pounds(weekly))) }
            }
        }
        @if let Some(fair) = below_fair { li.warn { (t!(r.lang, "pays-below-fair", fair = super::pounds(u64::from(fair)))) } }
    }
}

pub fn opportunity_item(
    r: &Reader,
    hit: &Hit<Opportunity>,
    hub: Option<&HubSummary>,
    today: CivilDate,
    money: &crate::config::Money,
) -> Markup {
    let o = &hit.item;
    html! {
        li {
            h3 { a href=(r.href(&format!("/opportunity/{}/{}", hit.hub, o.id))) { (theirs(&o.title)) } }
            p.meta {
                (kind_text(r.lang, o.kind)) " · " (theirs(&o.area)) @if o.remote { " " (r.t("or-from-home")) } (away(r, hit.distance_m))
                @if o.sector == Sector::MentalHealth { " · " (r.t("in-mental-health")) }
            }
            ul.facts {
                li { strong { (r.t("label-pay")) " " } (pay_text_in(r.lang, o.pay, o.expenses_paid)) }
                (money_marks(r, o, money))
                @if let Some(h) = o.hours_per_week { li { strong { (r.t("label-hours")) " " } (hours_text_in(r.lang, h)) } }
                @if let Some(c) = o.closes_on {
                    li { strong { (r.t("label-closes")) " " } (date_text_in(r.lang, c)) @if c == today { " " (r.t("today-mark")) } }
                }
                @if !o.support.is_empty() { li { strong { (r.t("label-support")) " " } (theirs(&o.support.join(", "))) } }
                @if !o.how_to_apply.is_empty() { li { strong { (r.t("label-how-to-apply")) " " } (theirs(&o.how_to_apply)) } }
            }
            (hub_line(&hit.hub, hub))
        }
    }
}

/// "Not confirmed since 3 March 2026 — call to check", or "Never confirmed — …".
pub fn unconfirmed(r: &Reader, assured_on: Option<CivilDate>) -> String {
    match assured_on {
        Some(d) => t!(r.lang, "not-confirmed-since", date = date_text_in(r.lang, d)),
        None => r.t("never-confirmed"),
    }
}

/// How an offer's rate stands against the region's fair rate, when the region sets one.
pub fn fair_rate_mark(r: &Reader, o: &Offer, money: &crate::config::Money) -> Markup {
    html! {
        @if let Some(fair) = money.fair_rate_pence.filter(|_| o.below(money.fair_rate_pence)) {
            li.warn { (t!(r.lang, "charges-below-fair", fair = super::pounds(u64::from(fair)))) }
        }
    }
}

pub fn offer_item(r: &Reader, hit: &Hit<Offer>, hub: Option<&HubSummary>, money: &crate::config::Money) -> Markup {
    let o = &hit.item;
    html! {
        li {
            h3 { a href=(r.href(&format!("/offer/{}/{}", hit.hub, o.id))) { (theirs(&o.name)) } }
            p.meta { (theirs(&o.skills.join(", "))) " · " (theirs(&o.areas.join(", "))) (away(r, hit.distance_m)) }
            ul.facts {
                li { strong { (r.t("label-rate")) " " } (kith_words::rate_text_in(r.lang, o.rate_pence)) @if !o.rate_note.is_empty() { " (" (theirs(&o.rate_note)) ")" } }
                (fair_rate_mark(r, o, money))
                @if !o.phones.is_empty() { li.contact { (r.t("label-phone")) " " (theirs(&o.phones.join(", "))) } }
                li { strong { (r.t("label-to-book")) " " } (theirs(&o.how_to_book)) }
            }
            (hub_line(&hit.hub, hub))
        }
    }
}

pub fn service_item(
    r: &Reader,
    hit: &Hit<Service>,
    hub: Option<&HubSummary>,
    now: crate::clock::LocalNow,
    confirmed_since: CivilDate,
) -> Markup {
    let s = &hit.item;
    let places: Vec<String> = s.places.iter().map(ToString::to_string).collect();
    let categories: Vec<String> = s.categories.iter().map(|c| category_text(r.lang, *c)).collect();
    html! {
        li {
            h3 { a href=(r.href(&format!("/service/{}/{}", hit.hub, s.id))) { (theirs(&s.name)) } }
            p.meta { (categories.join(list_separator(r.lang))) @if !places.is_empty() { " · " (theirs(&places.join("; "))) } (away(r, hit.distance_m)) }
            ul.facts {
                @if !s.phones.is_empty() { li.contact { (r.t("label-phone")) " " (theirs(&s.phones.join(", "))) } }
                li {
                    @if s.is_open(now.day, now.time) { span.good { (r.t("open-now")) } } @else { strong { (r.t("label-hours")) } }
                    @if !s.schedules.is_empty() {
                        " " (theirs(&s.schedules.iter().map(|h| kith_words::schedule_text_in(r.lang, h)).collect::<Vec<_>>().join("; ")))
                    } @else { " " (r.t("hours-ask")) }
                }
                li { strong { (r.t("label-cost")) " " } @if s.free { (r.t("cost-free")) } @else if s.fees.is_empty() { (r.t("cost-ask")) } @else { (theirs(&s.fees)) } }
                @if !s.application_process.is_empty() { li { strong { (r.t("label-how-to-get-it")) " " } (theirs(&s.application_process)) } }
                @if s.unconfirmed_since(confirmed_since) {
                    li.warn { (unconfirmed(r, s.assured_on)) }
                }
            }
            (hub_line(&hit.hub, hub))
        }
    }
}
