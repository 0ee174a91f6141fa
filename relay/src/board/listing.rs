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

use kith_words::{ago_text_in, category_text, date_text_in, hours_text_in, kind_text, list_separator, pay_text_in, t};

use super::{Board, Reader, page, problem_t, theirs};
use crate::view::HubSummary;

/// The hub and id of a URL, when they are a hub id and a ULID.
fn ids(hub: &str, id: &str) -> Option<(Slug, Ulid)> {
    Slug::parse("hub", hub).ok().zip(Ulid::from_string(id).ok())
}

fn not_found(board: &Board, r: &Reader) -> Response {
    problem_t(board, r, StatusCode::NOT_FOUND, "not-found", "not-found-listing")
}

fn row(label: &str, value: Markup) -> Markup {
    html! { dt { (label) } dd { (value) } }
}

fn hub_rows(r: &Reader, hub: &Slug, info: Option<&HubSummary>) -> Markup {
    html! {
        (row(&r.t("row-listed-by"), theirs(info.map_or(hub.as_str(), |h| h.name.as_str()))))
        @if let Some(h) = info { @if !h.profile.contact.is_empty() { (row(&r.t("row-contact"), html! { span.contact { (theirs(&h.profile.contact)) } })) } }
    }
}

fn yes_no(r: &Reader, yes: bool) -> String {
    r.t(if yes { "yes" } else { "no" })
}

/// What a hub wrote at length, in a paragraph of its own direction, marked with
/// the language the hub writes in (`lang`: its profile's, when it gave one).
fn about(r: &Reader, text: &str, lang: Option<&str>) -> Markup {
    html! { @if !text.is_empty() { h2 { (r.t("about-it")) } p dir="auto" lang=[lang] { (text) } } }
}

/// The language `hub` says it writes its listings in, if it said.
fn written_in<'a>(hubs: &'a std::collections::HashMap<Slug, HubSummary>, hub: &Slug) -> Option<&'a str> {
    hubs.get(hub).map(|h| h.profile.language.as_str()).filter(|l| !l.is_empty())
}

/// "Ask about this" for a listing whose page was just read (its family, hub and id).
fn ask_section(
    board: &Board,
    r: &Reader,
    (family, hub, id): (Family, &Slug, Ulid),
    title: &str,
    phone: &str,
    info: Option<&HubSummary>,
) -> Markup {
    let Some(info) = info else { return html! {} };
    let phone = if phone.is_empty() { info.profile.contact.clone() } else { phone.to_owned() };
    let target =
        super::ask::Target { family, hub: hub.clone(), id, title: title.to_owned(), phone, info: info.clone() };
    super::ask::section(board, r, &target, &Default::default(), None)
}

/// Where "Exit this page" goes: a neutral page elsewhere (GOV.UK's pattern). The
/// board's script also leaves for it when Shift is pressed three times.
pub const EXIT_TO: &str = "https://www.bbc.co.uk/weather";

/// "Exit this page", on every safe-house page.
pub fn exit_link(r: &Reader) -> Markup {
    html! { a.exit href=(EXIT_TO) rel="nofollow noreferrer" data-exit { (r.t("exit-page")) } }
}

/// JSON inside a `<script>` element: `<` escaped so that no string can end it.
fn json_ld(value: &serde_json::Value) -> Markup {
    let text = value.to_string().replace('<', "\\u003c");
    html! { script type="application/ld+json" { (PreEscaped(text)) } }
}

pub async fn opportunity(
    State(board): State<Arc<Board>>,
    r: Reader,
    Path((hub, id)): Path<(String, String)>,
) -> Response {
    let Some((hub, id)) = ids(&hub, &id) else { return not_found(&board, &r) };
    let h = hub.clone();
    let found = board.read(&r, move |view, _| Ok(view.opportunity(id, Some(&h)).ok().flatten())).await;
    let (hit, hubs) = match (found, board.hubs(&r).await) {
        (Ok(Some(hit)), Ok(hubs)) => (hit, hubs),
        (Ok(None), _) => return not_found(&board, &r),
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
        h1 dir="auto" lang=[written_in(&hubs, &hub)] { (o.title) }
        p.meta { (kind_text(r.lang, o.kind)) " · " (theirs(&o.area)) @if o.remote { " " (r.t("or-from-home")) } }
        dl.details {
            (row(&r.t("row-pay"), html! { (pay_text_in(r.lang, o.pay, o.expenses_paid)) ul.facts { (super::search::money_marks(&r, o, &board.money)) } }))
            @if let Some(hours) = o.hours_per_week { (row(&r.t("row-hours"), html! { (hours_text_in(r.lang, hours)) })) }
            @if let Some(c) = o.closes_on { (row(&r.t("row-closes"), html! { (date_text_in(r.lang, c)) })) }
            @if !o.skills.is_empty() { (row(&r.t("row-skills"), theirs(&o.skills.join(", ")))) }
            @if !o.support.is_empty() { (row(&r.t("row-support"), theirs(&o.support.join(", ")))) }
            (row(&r.t("row-lived-experience"), html! { (r.t(if o.lived_experience_required { "lived-experience-required" } else { "lived-experience-welcome" })) }))
            @if !o.how_to_apply.is_empty() { (row(&r.t("row-how-to-apply"), theirs(&o.how_to_apply))) }
            (hub_rows(&r, &hub, info))
        }
        (about(&r, &o.description, written_in(&hubs, &hub)))
        (ask_section(&board, &r, (Family::Opportunities, &hub, id), &o.title, "", info))
    };
    page(&board, &r, &o.title, StatusCode::OK, body)
}

pub async fn service(State(board): State<Arc<Board>>, r: Reader, Path((hub, id)): Path<(String, String)>) -> Response {
    let Some((hub, id)) = ids(&hub, &id) else { return not_found(&board, &r) };
    let h = hub.clone();
    let found = board.read(&r, move |view, _| Ok(view.service(id, Some(&h)).ok().flatten())).await;
    let (hit, hubs) = match (found, board.hubs(&r).await) {
        (Ok(Some(hit)), Ok(hubs)) => (hit, hubs),
        (Ok(None), _) => return not_found(&board, &r),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let s = &hit.item;
    let now = now_ms();
    let local = board.clock.local(now);
    let categories: Vec<String> = s.categories.iter().map(|c| category_text(r.lang, *c)).collect();
    let body = html! {
        h1 dir="auto" lang=[written_in(&hubs, &hub)] { (s.name) }
        p.meta { (categories.join(list_separator(r.lang))) }
        dl.details {
            @if !s.phones.is_empty() { (row(&r.t("row-phone"), html! { span.contact { (theirs(&s.phones.join(", "))) } })) }
            (row(&r.t("open-now"), html! { @if s.is_open(local.day, local.time) { span.good { (r.t("yes")) } } @else { (r.t("no")) } }))
            @if !s.schedules.is_empty() {
                (row(&r.t("row-hours"), html! { @for h in &s.schedules { (theirs(&kith_words::schedule_text_in(r.lang, h))) br; } }))
            }
            @if !s.places.is_empty() { (row(&r.t("row-where"), html! { @for p in &s.places { (theirs(&p.to_string())) br; } })) }
            (row(&r.t("row-cost"), html! { @if s.free { (r.t("cost-free")) } @else if s.fees.is_empty() { (r.t("cost-ask-short")) } @else { (theirs(&s.fees)) } }))
            @if !s.eligibility.is_empty() { (row(&r.t("row-who-for"), theirs(&s.eligibility))) }
            @if !s.application_process.is_empty() { (row(&r.t("row-how-to-get-it"), theirs(&s.application_process))) }
            (row(&r.t("row-refer-yourself"), html! { (yes_no(&r, s.self_referral)) }))
            @if !s.languages.is_empty() { (row(&r.t("row-languages"), theirs(&s.languages.join(", ")))) }
            @if !s.accessibility.is_empty() { (row(&r.t("row-access"), theirs(&s.accessibility.join(", ")))) }
            @if !s.email.is_empty() { (row(&r.t("row-email"), theirs(&s.email))) }
            @if !s.website.is_empty() { (row(&r.t("row-website"), html! { a href=(s.website) rel="noopener" dir="ltr" { (s.website) } })) }
            @if !s.provider.is_empty() { (row(&r.t("row-run-by"), theirs(&s.provider))) }
            (row(&r.t("row-last-confirmed"), html! {
                @match s.assured_on {
                    Some(d) if !s.unconfirmed_since(board.clock.confirmed_since(now)) => (date_text_in(r.lang, d)),
                    other => span.warn { (super::search::unconfirmed(&r, other)) },
                }
            }))
            (hub_rows(&r, &hub, hubs.get(&hub)))
        }
        (about(&r, &s.description, written_in(&hubs, &hub)))
        (ask_section(&board, &r, (Family::Services, &hub, id), &s.name, &s.phones.join(", "), hubs.get(&hub)))
    };
    page(&board, &r, &s.name, StatusCode::OK, body)
}

pub async fn offer(State(board): State<Arc<Board>>, r: Reader, Path((hub, id)): Path<(String, String)>) -> Response {
    let Some((hub, id)) = ids(&hub, &id) else { return not_found(&board, &r) };
    let h = hub.clone();
    let found = board.read(&r, move |view, _| Ok(view.offer(id, Some(&h)).ok().flatten())).await;
    let (hit, hubs) = match (found, board.hubs(&r).await) {
        (Ok(Some(hit)), Ok(hubs)) => (hit, hubs),
        (Ok(None), _) => return not_found(&board, &r),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let o = &hit.item;
    let body = html! {
        h1 dir="auto" lang=[written_in(&hubs, &hub)] { (o.name) }
        p.meta { (t!(r.lang, "business-of", hub = hubs.get(&hub).map_or(hub.as_str(), |h| h.name.as_str()).to_owned())) " · " (theirs(&o.areas.join(", "))) }
        dl.details {
            (row(&r.t("row-rate"), html! {
                (kith_words::rate_text_in(r.lang, o.rate_pence))
                @if !o.rate_note.is_empty() { br; (theirs(&o.rate_note)) }
                ul.facts { (super::search::fair_rate_mark(&r, o, &board.money)) }
            }))
            (row(&r.t("row-what-it-does"), theirs(&o.skills.join(", "))))
            (row(&r.t("row-where-it-works"), theirs(&o.areas.join(", "))))
            (row(&r.t("row-how-to-book"), theirs(&o.how_to_book)))
            @if !o.phones.is_empty() { (row(&r.t("row-phone"), html! { span.contact { (theirs(&o.phones.join(", "))) } })) }
            @if !o.email.is_empty() { (row(&r.t("row-email"), theirs(&o.email))) }
            @if !o.website.is_empty() { (row(&r.t("row-website"), html! { a href=(o.website) rel="noopener" dir="ltr" { (o.website) } })) }
            (hub_rows(&r, &hub, hubs.get(&hub)))
        }
        (about(&r, &o.description, written_in(&hubs, &hub)))
        (ask_section(&board, &r, (Family::Offers, &hub, id), &o.name, &o.phones.join(", "), hubs.get(&hub)))
    };
    page(&board, &r, &o.name, StatusCode::OK, body)
}

pub async fn safe_house(
    State(board): State<Arc<Board>>,
    r: Reader,
    Path((hub, id)): Path<(String, String)>,
) -> Response {
    let Some((hub, id)) = ids(&hub, &id) else { return not_found(&board, &r) };
    let h = hub.clone();
    let found = board.read(&r, move |view, _| Ok(view.safe_house(id, Some(&h)).ok().flatten())).await;
    let (hit, hubs) = match (found, board.hubs(&r).await) {
        (Ok(Some(hit)), Ok(hubs)) => (hit, hubs),
        (Ok(None), _) => return not_found(&board, &r),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let house = &hit.item;
    let now = now_ms();
    let body = html! {
        (exit_link(&r))
        div.danger {
            p { strong { (r.t("danger-call-999")) } }
            @if !house.phone.is_empty() { p { (r.t("bed-call")) " " span.contact { (theirs(&house.phone)) } } }
        }
        h1 dir="auto" lang=[written_in(&hubs, &hub)] { (house.name) }
        p.meta { (theirs(&house.area)) " · " (t!(r.lang, "house-for", who = kith_words::for_text_in(r.lang, &house.for_tags))) }
        dl.details {
            (row(&r.t("beds-free-now"), super::places::beds_now(&r, house, now)))
            (row(&r.t("row-beds"), html! { (house.beds_total) }))
            @if !house.phone.is_empty() { (row(&r.t("row-phone"), html! { span.contact { (theirs(&house.phone)) } })) }
            (row(&r.t("row-refer-yourself"), html! { (r.t(if house.self_referral { "yes" } else { "refer-no-ask-worker" })) }))
            (row(&r.t("row-wheelchair"), html! { (yes_no(&r, house.wheelchair_access)) }))
            @if let Some(n) = house.longest_stay_nights { (row(&r.t("row-longest-stay"), html! { (t!(r.lang, "nights", n = n)) })) }
            (hub_rows(&r, &hub, hubs.get(&hub)))
        }
        (about(&r, &house.description, written_in(&hubs, &hub)))
        p { (r.t("address-by-phone")) }
        @if let Some(a) = house.availability { p.meta { (t!(r.lang, "availability-reported", ago = ago_text_in(r.lang, a.updated_at_ms, now))) } }
        (ask_section(&board, &r, (Family::SafeHouses, &hub, id), &house.name, &house.phone, hubs.get(&hub)))
    };
    page(&board, &r, &house.name, StatusCode::OK, body)
}
