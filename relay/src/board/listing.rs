//! One page per listing, at a stable URL (`/opportunity/{hub}/{id}`,
//! `/service/{hub}/{id}`, `/safe-house/{hub}/{id}`, `/offer/{hub}/{id}`). Opportunity pages carry their
//! schema.org `JobPosting` JSON-LD.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, PreEscaped, html};
use std::sync::Arc;
use ulid::Ulid;

use kith_opendata::jobposting::{self, Publisher};
use kith_proto::Slug;
use kith_proto::event::Family;
use kith_proto::time::now_ms;

use super::search::kind_label;
use super::{Board, ago_text, date_text, hours_text, page, pay_text, problem};
use crate::view::HubSummary;

/// The hub and id of a URL, when they are a hub id and a ULID.
fn ids(hub: &str, id: &str) -> Option<(Slug, Ulid)> {
    Slug::parse("hub", hub).ok().zip(Ulid::from_string(id).ok())
}

fn not_found(board: &Board) -> Response {
    problem(
        board,
        StatusCode::NOT_FOUND,
        "Not found",
        "It may have been withdrawn by its hub, or the address is wrong.",
    )
}

fn row(label: &str, value: Markup) -> Markup {
    html! { dt { (label) } dd { (value) } }
}

fn hub_rows(hub: &Slug, info: Option<&HubSummary>) -> Markup {
    html! {
        (row("Listed by", html! { (info.map_or(hub.as_str(), |h| h.name.as_str())) }))
        @if let Some(h) = info { @if !h.profile.contact.is_empty() { (row("Contact", html! { span.contact { (h.profile.contact) } })) } }
    }
}

/// "Ask about this" for a listing whose page was just read.
fn ask_section(
    board: &Board,
    family: Family,
    hub: &Slug,
    id: Ulid,
    title: &str,
    phone: &str,
    info: Option<&HubSummary>,
) -> Markup {
    let Some(info) = info else { return html! {} };
    let phone = if phone.is_empty() { info.profile.contact.clone() } else { phone.to_owned() };
    let target =
        super::ask::Target { family, hub: hub.clone(), id, title: title.to_owned(), phone, info: info.clone() };
    super::ask::section(board, &target, &Default::default(), None)
}

/// Where "Exit this page" goes: a neutral page elsewhere (GOV.UK's pattern). The
/// board's script also leaves for it when Shift is pressed three times.
pub const EXIT_TO: &str = "https://www.bbc.co.uk/weather";

/// "Exit this page", on every safe-house page.
pub fn exit_link() -> Markup {
    html! { a.exit href=(EXIT_TO) rel="nofollow noreferrer" data-exit { "Exit this page" } }
}

/// JSON inside a `<script>` element: `<` escaped so that no string can end it.
fn json_ld(value: &serde_json::Value) -> Markup {
    let text = value.to_string().replace('<', "\\u003c");
    html! { script type="application/ld+json" { (PreEscaped(text)) } }
}

pub async fn opportunity(State(board): State<Arc<Board>>, Path((hub, id)): Path<(String, String)>) -> Response {
    let Some((hub, id)) = ids(&hub, &id) else { return not_found(&board) };
    let h = hub.clone();
    let found = board.read(move |view, _| Ok(view.opportunity(id, Some(&h)).ok().flatten())).await;
    let (hit, hubs) = match (found, board.hubs().await) {
        (Ok(Some(hit)), Ok(hubs)) => (hit, hubs),
        (Ok(None), _) => return not_found(&board),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let o = &hit.item;
    let info = hubs.get(&hub);
    let by = Publisher {
        name: info.map_or(hub.as_str(), |h| h.name.as_str()),
        contact: info.map(|h| h.profile.contact.as_str()).unwrap_or_default(),
    };
    let posting = jobposting::job_posting(o, &by, Some(&format!("/opportunity/{hub}/{id}")));
    let body = html! {
        (json_ld(&posting))
        h1 { (o.title) }
        p.meta { (kind_label(o.kind)) " · " (o.area) @if o.remote { " or from home" } }
        dl.details {
            (row("Pay", html! { (pay_text(o.pay, o.expenses_paid)) ul.facts { (super::search::money_marks(o, &board.money)) } }))
            @if let Some(hours) = o.hours_per_week { (row("Hours", html! { (hours_text(hours)) })) }
            @if let Some(c) = o.closes_on { (row("Closes", html! { (date_text(c)) })) }
            @if !o.skills.is_empty() { (row("Skills", html! { (o.skills.join(", ")) })) }
            @if !o.support.is_empty() { (row("Support offered", html! { (o.support.join(", ")) })) }
            (row("Lived experience", html! { (if o.lived_experience_required { "Required" } else { "Welcome, not required" }) }))
            @if !o.how_to_apply.is_empty() { (row("How to apply", html! { (o.how_to_apply) })) }
            (hub_rows(&hub, info))
        }
        @if !o.description.is_empty() { h2 { "About it" } p { (o.description) } }
        (ask_section(&board, Family::Opportunities, &hub, id, &o.title, "", info))
    };
    page(&board, &o.title, StatusCode::OK, body)
}

pub async fn service(State(board): State<Arc<Board>>, Path((hub, id)): Path<(String, String)>) -> Response {
    let Some((hub, id)) = ids(&hub, &id) else { return not_found(&board) };
    let h = hub.clone();
    let found = board.read(move |view, _| Ok(view.service(id, Some(&h)).ok().flatten())).await;
    let (hit, hubs) = match (found, board.hubs().await) {
        (Ok(Some(hit)), Ok(hubs)) => (hit, hubs),
        (Ok(None), _) => return not_found(&board),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let s = &hit.item;
    let now = now_ms();
    let local = board.clock.local(now);
    let categories: Vec<&str> = s.categories.iter().map(|c| c.label()).collect();
    let body = html! {
        h1 { (s.name) }
        p.meta { (categories.join(", ")) }
        dl.details {
            @if !s.phones.is_empty() { (row("Phone", html! { span.contact { (s.phones.join(", ")) } })) }
            (row("Open now", html! { @if s.is_open(local.day, local.time) { span.good { "Yes" } } @else { "No" } }))
            @if !s.schedules.is_empty() {
                (row("Hours", html! { @for h in &s.schedules { (kith_words::schedule_text(h)) br; } }))
            }
            @if !s.places.is_empty() { (row("Where", html! { @for p in &s.places { (p.to_string()) br; } })) }
            (row("Cost", html! { @if s.free { "Free" } @else if s.fees.is_empty() { "Ask" } @else { (s.fees) } }))
            @if !s.eligibility.is_empty() { (row("Who it is for", html! { (s.eligibility) })) }
            @if !s.application_process.is_empty() { (row("How to get it", html! { (s.application_process) })) }
            (row("Refer yourself", html! { (if s.self_referral { "Yes" } else { "No" }) }))
            @if !s.languages.is_empty() { (row("Languages", html! { (s.languages.join(", ")) })) }
            @if !s.accessibility.is_empty() { (row("Access", html! { (s.accessibility.join(", ")) })) }
            @if !s.email.is_empty() { (row("Email", html! { (s.email) })) }
            @if !s.website.is_empty() { (row("Website", html! { a href=(s.website) rel="noopener" { (s.website) } })) }
            @if !s.provider.is_empty() { (row("Run by", html! { (s.provider) })) }
            (row("Last confirmed", html! {
                @match s.assured_on {
                    Some(d) if !s.unconfirmed_since(board.clock.confirmed_since(now)) => (date_text(d)),
                    Some(d) => span.warn { "Not confirmed since " (date_text(d)) " — call to check" },
                    None => span.warn { "Never confirmed — call to check" },
                }
            }))
            (hub_rows(&hub, hubs.get(&hub)))
        }
        @if !s.description.is_empty() { h2 { "About it" } p { (s.description) } }
        (ask_section(&board, Family::Services, &hub, id, &s.name, &s.phones.join(", "), hubs.get(&hub)))
    };
    page(&board, &s.name, StatusCode::OK, body)
}

pub async fn offer(State(board): State<Arc<Board>>, Path((hub, id)): Path<(String, String)>) -> Response {
    let Some((hub, id)) = ids(&hub, &id) else { return not_found(&board) };
    let h = hub.clone();
    let found = board.read(move |view, _| Ok(view.offer(id, Some(&h)).ok().flatten())).await;
    let (hit, hubs) = match (found, board.hubs().await) {
        (Ok(Some(hit)), Ok(hubs)) => (hit, hubs),
        (Ok(None), _) => return not_found(&board),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let o = &hit.item;
    let body = html! {
        h1 { (o.name) }
        p.meta { "A business of " (hubs.get(&hub).map_or(hub.as_str(), |h| h.name.as_str())) " · " (o.areas.join(", ")) }
        dl.details {
            (row("Rate", html! {
                (kith_words::rate_text(o.rate_pence))
                @if !o.rate_note.is_empty() { br; (o.rate_note) }
                ul.facts { (super::search::fair_rate_mark(o, &board.money)) }
            }))
            (row("What it does", html! { (o.skills.join(", ")) }))
            (row("Where it works", html! { (o.areas.join(", ")) }))
            (row("How to book", html! { (o.how_to_book) }))
            @if !o.phones.is_empty() { (row("Phone", html! { span.contact { (o.phones.join(", ")) } })) }
            @if !o.email.is_empty() { (row("Email", html! { (o.email) })) }
            @if !o.website.is_empty() { (row("Website", html! { a href=(o.website) rel="noopener" { (o.website) } })) }
            (hub_rows(&hub, hubs.get(&hub)))
        }
        @if !o.description.is_empty() { h2 { "About it" } p { (o.description) } }
        (ask_section(&board, Family::Offers, &hub, id, &o.name, &o.phones.join(", "), hubs.get(&hub)))
    };
    page(&board, &o.name, StatusCode::OK, body)
}

pub async fn safe_house(State(board): State<Arc<Board>>, Path((hub, id)): Path<(String, String)>) -> Response {
    let Some((hub, id)) = ids(&hub, &id) else { return not_found(&board) };
    let h = hub.clone();
    let found = board.read(move |view, _| Ok(view.safe_house(id, Some(&h)).ok().flatten())).await;
    let (hit, hubs) = match (found, board.hubs().await) {
        (Ok(Some(hit)), Ok(hubs)) => (hit, hubs),
        (Ok(None), _) => return not_found(&board),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let house = &hit.item;
    let now = now_ms();
    let body = html! {
        (exit_link())
        div.danger {
            p { strong { "If you are in danger now, call 999." } }
            @if !house.phone.is_empty() { p { "To ask about a bed here, call " span.contact { (house.phone) } "." } }
        }
        h1 { (house.name) }
        p.meta { (house.area) " · for " (super::places::for_text(&house.for_tags)) }
        dl.details {
            (row("Beds free now", super::places::beds_now(house, now)))
            (row("Beds", html! { (house.beds_total) }))
            @if !house.phone.is_empty() { (row("Phone", html! { span.contact { (house.phone) } })) }
            (row("Refer yourself", html! { (if house.self_referral { "Yes" } else { "No: ask a worker to refer you" }) }))
            (row("Wheelchair access", html! { (if house.wheelchair_access { "Yes" } else { "No" }) }))
            @if let Some(n) = house.longest_stay_nights { (row("Longest stay", html! { (n) " nights" })) }
            (hub_rows(&hub, hubs.get(&hub)))
        }
        @if !house.description.is_empty() { h2 { "About it" } p { (house.description) } }
        p { "The address is given on the phone, never here." }
        @if let Some(a) = house.availability { p.meta { "Availability reported " (ago_text(a.updated_at_ms, now)) "." } }
        (ask_section(&board, Family::SafeHouses, &hub, id, &house.name, &house.phone, hubs.get(&hub)))
    };
    page(&board, &house.name, StatusCode::OK, body)
}
