//! `/safe-houses`: each house's beds free now and how old that figure is, "unknown —
//! call to check" once stale; and `/hubs`: who the groups are and how to reach them.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use std::sync::Arc;

use kith_proto::domain::{ForTag, SafeHouse};
use kith_proto::event::Family;
use kith_proto::time::now_ms;
pub use kith_words::{count, for_label, for_text};

use super::{Board, ago_text, page};
use crate::view::Agreement;
use crate::view::{MAX_PAGE_SIZE, SafeHouseQuery};

/// Beds free now, with how old the figure is; never a stale number.
pub fn beds_now(house: &SafeHouse, now_ms: i64) -> Markup {
    match house.availability {
        Some(a) => match a.beds_free_at(now_ms) {
            Some(0) => html! { "None free" " (updated " (ago_text(a.updated_at_ms, now_ms)) ")" },
            Some(n) => html! { span.good { (n) " free" } " (updated " (ago_text(a.updated_at_ms, now_ms)) ")" },
            None => html! { span.warn { "Unknown — call to check" } },
        },
        None => html! { span.warn { "Unknown — call to check" } },
    }
}

pub async fn safe_houses(State(board): State<Arc<Board>>, Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let mut for_tag = None;
    let mut area = String::new();
    for (k, v) in &pairs {
        match k.as_str() {
            "for" => for_tag = ForTag::parse("for", v).ok(),
            "area" => area = super::area_field(v),
            _ => {}
        }
    }
    let now = now_ms();
    let whereabouts = board.whereabouts(&area);
    let place = whereabouts.clone();
    let found = board
        .read(move |view, deadline| {
            let q = SafeHouseQuery {
                for_tag,
                area: place.words(),
                near: place.near(),
                page_size: MAX_PAGE_SIZE,
                deadline: Some(deadline),
                ..Default::default()
            };
            Ok(view.list_safe_houses(&q, now)?.items)
        })
        .await;
    let houses = match found {
        Ok(h) => h,
        Err(r) => return r,
    };
    let hubs = match board.hubs().await {
        Ok(h) => h,
        Err(r) => return r,
    };
    let body = html! {
        (super::listing::exit_link())
        div.danger { p { strong { "If you are in danger now, call 999." } } }
        h1 { "Safe houses now" }
        form.search method="get" action="/safe-houses" {
            div.field {
                label for="for" { "Who for" }
                select #for name="for" {
                    option value="" { "Anyone" }
                    @for t in ForTag::ALL { option value=(t.as_str()) selected[for_tag == Some(*t)] { "Houses for " (for_label(*t)) } }
                }
            }
            div.field {
                label for="area" { "Where?" }
                p.hint id="area-hint" { "A town, or a postcode district such as BD7: the nearest come first" }
                input #area type="text" name="area" value=(area) aria-describedby="area-hint";
            }
            button type="submit" { "Show houses" }
        }
        @if let Some(why) = whereabouts.problem() { p.warn role="alert" { (why) } }
        div #live data-live="/live" aria-live="polite" {
        @if houses.is_empty() { p { "No safe houses match." } }
        @else {
            @if houses.iter().all(|h| h.beyond_area) { p.beyond { (super::nothing_in(&area)) } }
            table {
                caption.meta { "Beds free as each house last reported them. A figure that is too old is shown as unknown." }
                thead { tr { th scope="col" { "House" } th scope="col" { "Beds free now" } th scope="col" { "For" } th scope="col" { "Area" } th scope="col" { "Phone" } } }
                tbody {
                    @for h in &houses {
                        tr {
                            td {
                                a href={ "/safe-house/" (h.hub) "/" (h.item.id) } { (h.item.name) }
                                // Who lists it: a house's name is the hub's to choose.
                                br; span.meta { "Listed by " (hubs.get(&h.hub).map_or(h.hub.as_str(), |x| x.name.as_str())) }
                            }
                            td data-label="Beds free now" { (beds_now(&h.item, now)) }
                            td data-label="For" { (for_text(&h.item.for_tags)) }
                            td data-label="Area" { (h.item.area) (super::search::away(h.distance_m)) }
                            td.contact data-label="Phone" {
                                @if h.item.phone.is_empty() {
                                    (hubs.get(&h.hub).map(|x| x.profile.contact.as_str()).unwrap_or_default())
                                } @else { (h.item.phone) }
                            }
                        }
                    }
                }
            }
        }
        }
        p.meta { "This list updates by itself when a house reports its beds." }
    };
    page(&board, "Safe houses now", StatusCode::OK, body)
}

/// Hubs on one page of `/hubs`: a region of many hubs stays a page under 50 KB.
pub const HUBS_PER_PAGE: usize = 50;

pub async fn hubs(State(board): State<Arc<Board>>, Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let all = match board.current_hubs().await {
        Ok(h) => h,
        Err(r) => return r,
    };
    let pages = all.len().div_ceil(HUBS_PER_PAGE).max(1);
    let at =
        pairs.iter().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse::<usize>().ok()).unwrap_or(1).clamp(1, pages);
    let first = (at - 1) * HUBS_PER_PAGE;
    let hubs = &all[first..all.len().min(first + HUBS_PER_PAGE)];
    let now = now_ms();
    let body = html! {
        h1 { "The hubs of " (board.region) }
        p { "User-led groups: peer groups, co-ops, crisis and safe-house collectives." }
        @if all.first().is_some_and(|h| h.on_roster) {
            p.meta { "Every hub here is on the region's roster, signed by its coordinator, and is shown by the roster's name for it." }
        } @else if !all.is_empty() {
            p.meta { "This region has no roster: a hub is listed by the name it gives itself. Where two give the same name, each is shown with its hub id." }
        }
        @if hubs.is_empty() { p { "No hub has been seen yet." } }
        @if pages > 1 { p.meta { "Hubs " (first + 1) " to " (first + hubs.len()) " of " (all.len()) } }
        ol.results {
            @for h in hubs {
                li {
                    h2 { (h.name) }
                    @if h.on_roster { p.meta { "On the region's roster (hub id " (h.hub) ")" } }
                    @if !h.profile.description.is_empty() { p { (h.profile.description) } }
                    ul.facts {
                        @if !h.profile.contact.is_empty() { li.contact { "Contact: " (h.profile.contact) } }
                        @if !h.profile.helpline_hours.is_empty() { li { strong { "Helpline: " } (h.profile.helpline_hours) } }
                        li { (count(h.of(Family::Opportunities), "opportunity", "opportunities")) ", " (count(h.of(Family::Services), "service", "services")) ", " (count(h.of(Family::Offers), "business", "businesses")) ", " (count(h.of(Family::SafeHouses), "safe house", "safe houses")) }
                        li.meta { "Last seen " (ago_text(h.last_seen_ms, now)) }
                        @if let Agreement::Diverged { since_ms } = h.sync {
                            li.meta { "Some of its listings may be missing here since " (ago_text(since_ms, now)) "; the hub has been asked to send them again." }
                        }
                    }
                }
            }
        }
    };
    let body = html! {
        (body)
        @if pages > 1 {
            nav.pages aria-label="Pages of hubs" {
                @if at > 1 { a href={ "/hubs?page=" (at - 1) } rel="prev" { "Previous page" } " " }
                @if at < pages { a href={ "/hubs?page=" (at + 1) } rel="next" { "Next page" } }
            }
        }
    };
    page(&board, "Hubs", StatusCode::OK, body)
}
