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
use kith_words::{ago_text_in, for_label_in, for_text_in, t};

use super::{Board, Reader, page, theirs};
use crate::view::Agreement;
use crate::view::{MAX_PAGE_SIZE, SafeHouseQuery};

/// Beds free now, with how old the figure is; never a stale number.
pub fn beds_now(r: &Reader, house: &SafeHouse, now_ms: i64) -> Markup {
    let updated = |at: i64| t!(r.lang, "beds-updated", ago = ago_text_in(r.lang, at, now_ms));
    match house.availability {
        Some(a) => match a.beds_free_at(now_ms) {
            Some(0) => html! { (r.t("beds-none-free")) " " (updated(a.updated_at_ms)) },
            Some(n) => html! { span.good { (t!(r.lang, "beds-free", n = n)) } " " (updated(a.updated_at_ms)) },
            None => html! { span.warn { (r.t("beds-unknown")) } },
        },
        None => html! { span.warn { (r.t("beds-unknown")) } },
    }
}

pub async fn safe_houses(
    State(board): State<Arc<Board>>,
    r: Reader,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
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
    let whereabouts = board.whereabouts(&r, &area);
    let place = whereabouts.clone();
    let found = board
        .read(&r, move |view, deadline| {
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
    let hubs = match board.hubs(&r).await {
        Ok(h) => h,
        Err(r) => return r,
    };
    let body = html! {
        (super::listing::exit_link(&r))
        div.danger { p { strong { (r.t("danger-call-999")) } } }
        h1 { (r.t("safe-houses-heading")) }
        form.search method="get" action="/safe-houses" {
            (r.keep())
            div.field {
                label for="for" { (r.t("who-for")) }
                select #for name="for" {
                    option value="" { (r.t("who-for-anyone")) }
                    @for tag in ForTag::ALL { option value=(tag.as_str()) selected[for_tag == Some(*tag)] { (t!(r.lang, "houses-for", who = for_label_in(r.lang, *tag))) } }
                }
            }
            div.field {
                label for="area" { (r.t("where")) }
                p.hint id="area-hint" { (t!(r.lang, "where-hint", example = "BD7")) }
                input #area type="text" name="area" value=(area) aria-describedby="area-hint";
            }
            button type="submit" { (r.t("show-houses")) }
        }
        @if let Some(why) = whereabouts.problem() { p.warn role="alert" { (why) } }
        div #live data-live="/live" aria-live="polite" {
        @if houses.is_empty() { p { (r.t("no-houses-match")) } }
        @else {
            @if houses.iter().all(|h| h.beyond_area) { p.beyond { (super::nothing_in(&r, &area)) } }
            table {
                caption.meta { (r.t("houses-caption")) }
                thead { tr { th scope="col" { (r.t("col-house")) } th scope="col" { (r.t("beds-free-now")) } th scope="col" { (r.t("col-for")) } th scope="col" { (r.t("col-area")) } th scope="col" { (r.t("col-phone")) } } }
                tbody {
                    @for h in &houses {
                        tr {
                            td {
                                a href=(r.href(&format!("/safe-house/{}/{}", h.hub, h.item.id))) { (theirs(&h.item.name)) }
                                // Who lists it: a house's name is the hub's to choose.
                                br; span.meta { (t!(r.lang, "listed-by", hub = hubs.get(&h.hub).map_or(h.hub.as_str(), |x| x.name.as_str()).to_owned())) }
                            }
                            td data-label=(r.t("beds-free-now")) { (beds_now(&r, &h.item, now)) }
                            td data-label=(r.t("col-for")) { (for_text_in(r.lang, &h.item.for_tags)) }
                            td data-label=(r.t("col-area")) { (theirs(&h.item.area)) (super::search::away(&r, h.distance_m)) }
                            td.contact data-label=(r.t("col-phone")) {
                                @if h.item.phone.is_empty() {
                                    (theirs(hubs.get(&h.hub).map(|x| x.profile.contact.as_str()).unwrap_or_default()))
                                } @else { (theirs(&h.item.phone)) }
                            }
                        }
                    }
                }
            }
        }
        }
        p.meta { (r.t("houses-update-themselves")) }
    };
    page(&board, &r, &r.t("safe-houses-heading"), StatusCode::OK, body)
}

/// Hubs on one page of `/hubs`: a region of many hubs stays a page under 50 KB.
pub const HUBS_PER_PAGE: usize = 50;

pub async fn hubs(State(board): State<Arc<Board>>, r: Reader, Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let all = match board.current_hubs(&r).await {
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
        h1 { (t!(r.lang, "hubs-heading", region = board.region.as_str())) }
        p { (r.t("hubs-about")) }
        @if all.first().is_some_and(|h| h.on_roster) {
            p.meta { (r.t("hubs-roster")) }
        } @else if !all.is_empty() {
            p.meta { (r.t("hubs-no-roster")) }
        }
        @if hubs.is_empty() { p { (r.t("hubs-none")) } }
        @if pages > 1 { p.meta { (t!(r.lang, "hubs-range", first = first + 1, last = first + hubs.len(), all = all.len())) } }
        ol.results {
            @for h in hubs {
                li {
                    h2 dir="auto" { (h.name) }
                    @if h.on_roster { p.meta { (t!(r.lang, "hub-on-roster", hub = h.hub.as_str())) } }
                    @if !h.profile.description.is_empty() { p dir="auto" { (h.profile.description) } }
                    ul.facts {
                        @if !h.profile.contact.is_empty() { li.contact { (r.t("label-contact")) " " (theirs(&h.profile.contact)) } }
                        @if !h.profile.helpline_hours.is_empty() { li { strong { (r.t("label-helpline")) " " } (theirs(&h.profile.helpline_hours)) } }
                        li { (t!(r.lang, "hub-counts", opportunities = h.of(Family::Opportunities), services = h.of(Family::Services), businesses = h.of(Family::Offers), houses = h.of(Family::SafeHouses))) }
                        li.meta { (t!(r.lang, "last-seen", ago = ago_text_in(r.lang, h.last_seen_ms, now))) }
                        @if let Agreement::Diverged { since_ms } = h.sync {
                            li.meta { (t!(r.lang, "hub-diverged", ago = ago_text_in(r.lang, since_ms, now))) }
                        }
                    }
                }
            }
        }
    };
    let body = html! {
        (body)
        @if pages > 1 {
            nav.pages aria-label=(r.t("hubs-pages")) {
                @if at > 1 { a href=(r.href(&format!("/hubs?page={}", at - 1))) rel="prev" { (r.t("previous-page")) } " " }
                @if at < pages { a href=(r.href(&format!("/hubs?page={}", at + 1))) rel="next" { (r.t("next-page")) } }
            }
        }
    };
    page(&board, &r, &r.t("nav-hubs"), StatusCode::OK, body)
}
