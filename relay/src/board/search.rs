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
pub use kith_words::kind_label;

use super::{Board, date_text, hours_text, pay_text, problem};
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
    Query(pairs): Query<Vec<(String, String)>>,
    parts: axum::http::request::Parts,
) -> Response {
    let form = Form::read(&pairs);
    let text = match TextQuery::parse(&form.q) {
        Ok(t) => t,
        Err(n) => {
            return problem(
                &board,
                StatusCode::BAD_REQUEST,
                "Too many words",
                &format!("Use at most 16 words (you gave {n})."),
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
    let whereabouts = board.whereabouts(&form.area);
    let place = whereabouts.clone();
    let found = board
        .read(move |view, deadline| {
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
    let hubs = match board.hubs().await {
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
    let body = html! {
        h1 { "What is open to you, near here" }
        (search_form(&form, &board.money))
        p #results-status .visually-hidden role="status" {}
        div #results data-results {
            @if let Some(why) = whereabouts.problem() { p.warn role="alert" { (why) } }
            @if form.asked() || !work.is_empty() || !services.is_empty() || !offers.is_empty() {
                @if want_work {
                    h2 id="work" { "Work, training and volunteering (" (work.len()) (if work.len() == PER_KIND { "+" } else { "" }) ")" }
                    @if let Some(limit) = board.money.weekly_limit_pence {
                        p.meta {
                            "Work is marked against the weekly earnings limit of " (super::pounds(limit)) "."
                            @if !board.money.benefits_advice.is_empty() { " Ask about benefits and work: " (board.money.benefits_advice) "." }
                        }
                    }
                    @if work.is_empty() { p { "Nothing matches. Try fewer words, or another area." } }
                    @else if work.iter().all(|h| h.beyond_area) { p.beyond { (super::nothing_in(&form.area)) } }
                    ol.results { @for hit in &work { (opportunity_item(hit, hubs.get(&hit.hub), local.date, &board.money)) } }
                }
                @if want_services {
                    h2 id="services" { "Services (" (services.len()) (if services.len() == PER_KIND { "+" } else { "" }) ")" }
                    @if services.is_empty() { p { "No services match. Try fewer words, or another area." } }
                    @else if services.iter().all(|h| h.beyond_area) { p.beyond { (super::nothing_in(&form.area)) } }
                    ol.results {
                        @for hit in &services { (service_item(hit, hubs.get(&hit.hub), local, confirmed_since)) }
                    }
                }
                @if want_offers {
                    h2 id="businesses" { "Businesses you can book (" (offers.len()) (if offers.len() == PER_KIND { "+" } else { "" }) ")" }
                    p.meta { "Work done by the businesses of the region's groups, paid by the hour." }
                    @if offers.is_empty() { p { "No businesses match. Try fewer words, or another area." } }
                    @else if offers.iter().all(|h| h.beyond_area) { p.beyond { (super::nothing_in(&form.area)) } }
                    ol.results {
                        @for hit in &offers { (offer_item(hit, hubs.get(&hit.hub), &board.money)) }
                    }
                }
                @if let Some(asked) = &missing { (super::needs::ask_what(asked)) }
            }
        }
    };
    super::page(&board, "Search", StatusCode::OK, body)
}

fn checkbox(name: &str, label: &str, on: bool) -> Markup {
    html! { label { input type="checkbox" name=(name) value="1" checked[on]; (label) } }
}

fn search_form(f: &Form, money: &crate::config::Money) -> Markup {
    html! {
        form.search method="get" action="/search" role="search" {
            div.field {
                label for="q" { "What are you looking for?" }
                p.hint id="q-hint" { "For example: gardening, café work, benefits advice, a peer group" }
                input #q type="search" name="q" value=(f.q) aria-describedby="q-hint" autocomplete="off";
            }
            div.field {
                label for="area" { "Where?" }
                p.hint id="area-hint" { "A town, or a postcode district such as LS6: the nearest come first" }
                input #area type="text" name="area" value=(f.area) aria-describedby="area-hint";
            }
            div.field {
                label for="what" { "Looking for" }
                select #what name="what" {
                    option value="" selected[f.what.is_empty()] { "Work, training and services" }
                    option value="work" selected[f.what == "work"] { "Work, training and volunteering only" }
                    option value="services" selected[f.what == "services"] { "Services only" }
                    option value="businesses" selected[f.what == "businesses"] { "Businesses you can book only" }
                }
            }
            div.field {
                label for="kind" { "Kind of work" }
                select #kind name="kind" {
                    option value="" { "Any" }
                    @for k in OpportunityKind::ALL {
                        option value=(k.as_str()) selected[f.kind == Some(*k)] { (kind_label(*k)) }
                    }
                }
            }
            div.field {
                label for="category" { "Kind of service" }
                select #category name="category" {
                    option value="" { "Any" }
                    @for c in Category::ALL {
                        option value=(c.as_str()) selected[f.category == Some(*c)] { (c.label()) }
                    }
                }
            }
            fieldset.checks {
                legend { "Only" }
                (checkbox("ordinary", "Ordinary jobs and services (not only mental-health ones)", f.ordinary))
                (checkbox("paid", "Paid work", f.paid))
                (checkbox("remote", "Work from home", f.remote))
                (checkbox("open", "Services open now", f.open_now))
                (checkbox("free", "Free services", f.free))
                @if let Some(limit) = money.weekly_limit_pence {
                    (checkbox("limit", &format!("Work within the earnings limit ({} a week)", super::pounds(limit)), f.within_limit))
                }
            }
            button type="submit" { "Search" }
        }
    }
}

/// How far away a result is, after its place: ` · 12 km away`; nothing when the
/// search was not near a place.
pub fn away(distance_m: Option<u32>) -> Markup {
    html! { @if let Some(m) = distance_m { " · " strong.away { (kith_words::distance_text(m)) " away" } } }
}

/// A hub's name and how to reach it, for the foot of a result.
fn hub_line(hub: &Slug, info: Option<&HubSummary>) -> Markup {
    let name = info.map_or(hub.as_str(), |h| h.name.as_str());
    let contact = info.map(|h| h.profile.contact.as_str()).unwrap_or_default();
    html! { p.contact { (name) @if !contact.is_empty() { " — " (contact) } } }
}

/// How an opportunity's pay stands against the region's earnings limit and fair
/// rate, when the region sets them and the pay says enough.
pub fn money_marks(o: &Opportunity, money: &crate::config::Money) -> Markup {
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
                li.good { "Within the " (super::pounds(limit)) " a week earnings limit (" (super::pounds(weekly)) " a week)" }
            } @else {
                li.warn { "Over the " (super::pounds(limit)) " a week earnings limit (" (super::pounds(weekly)) " a week)" }
            }
        }
        @if let Some(fair) = below_fair { li.warn { "Pays less than the fair rate of " (super::pounds(u64::from(fair))) " an hour" } }
    }
}

pub fn opportunity_item(
    hit: &Hit<Opportunity>,
    hub: Option<&HubSummary>,
    today: CivilDate,
    money: &crate::config::Money,
) -> Markup {
    let o = &hit.item;
    let place = if o.remote { format!("{} or from home", o.area) } else { o.area.clone() };
    html! {
        li {
            h3 { a href={ "/opportunity/" (hit.hub) "/" (o.id) } { (o.title) } }
            p.meta {
                (kind_label(o.kind)) " · " (place) (away(hit.distance_m))
                @if o.sector == Sector::MentalHealth { " · in mental-health services" }
            }
            ul.facts {
                li { strong { "Pay: " } (pay_text(o.pay, o.expenses_paid)) }
                (money_marks(o, money))
                @if let Some(h) = o.hours_per_week { li { strong { "Hours: " } (hours_text(h)) } }
                @if let Some(c) = o.closes_on {
                    li { strong { "Closes: " } (date_text(c)) @if c == today { " (today)" } }
                }
                @if !o.support.is_empty() { li { strong { "Support: " } (o.support.join(", ")) } }
                @if !o.how_to_apply.is_empty() { li { strong { "How to apply: " } (o.how_to_apply) } }
            }
            (hub_line(&hit.hub, hub))
        }
    }
}

/// How an offer's rate stands against the region's fair rate, when the region sets one.
pub fn fair_rate_mark(o: &Offer, money: &crate::config::Money) -> Markup {
    html! {
        @if let Some(fair) = money.fair_rate_pence.filter(|_| o.below(money.fair_rate_pence)) {
            li.warn { "Charges less than the fair rate of " (super::pounds(u64::from(fair))) " an hour" }
        }
    }
}

pub fn offer_item(hit: &Hit<Offer>, hub: Option<&HubSummary>, money: &crate::config::Money) -> Markup {
    let o = &hit.item;
    html! {
        li {
            h3 { a href={ "/offer/" (hit.hub) "/" (o.id) } { (o.name) } }
            p.meta { (o.skills.join(", ")) " · " (o.areas.join(", ")) (away(hit.distance_m)) }
            ul.facts {
                li { strong { "Rate: " } (kith_words::rate_with_note(o.rate_pence, &o.rate_note)) }
                (fair_rate_mark(o, money))
                @if !o.phones.is_empty() { li.contact { "Phone: " (o.phones.join(", ")) } }
                li { strong { "To book: " } (o.how_to_book) }
            }
            (hub_line(&hit.hub, hub))
        }
    }
}

pub fn service_item(
    hit: &Hit<Service>,
    hub: Option<&HubSummary>,
    now: crate::clock::LocalNow,
    confirmed_since: CivilDate,
) -> Markup {
    let s = &hit.item;
    let places: Vec<String> = s.places.iter().map(ToString::to_string).collect();
    let categories: Vec<&str> = s.categories.iter().map(|c| c.label()).collect();
    let cost = if s.free {
        "Free".to_owned()
    } else if s.fees.is_empty() {
        "Ask about cost".into()
    } else {
        s.fees.clone()
    };
    html! {
        li {
            h3 { a href={ "/service/" (hit.hub) "/" (s.id) } { (s.name) } }
            p.meta { (categories.join(", ")) @if !places.is_empty() { " · " (places.join("; ")) } (away(hit.distance_m)) }
            ul.facts {
                @if !s.phones.is_empty() { li.contact { "Phone: " (s.phones.join(", ")) } }
                li {
                    @if s.is_open(now.day, now.time) { span.good { "Open now" } } @else { strong { "Hours: " } }
                    @if !s.schedules.is_empty() {
                        " " (s.schedules.iter().map(kith_words::schedule_text).collect::<Vec<_>>().join("; "))
                    } @else { " ask" }
                }
                li { strong { "Cost: " } (cost) }
                @if !s.application_process.is_empty() { li { strong { "How to get it: " } (s.application_process) } }
                @if s.unconfirmed_since(confirmed_since) {
                    li.warn { @if let Some(d) = s.assured_on { "Not confirmed since " (date_text(d)) } @else { "Never confirmed" } " — call to check" }
                }
            }
            (hub_line(&hit.hub, hub))
        }
    }
}
