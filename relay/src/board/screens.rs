//! For people helping someone else: the helpline screen (`/helpline`), one form and
//! one short answer to read out over the phone, printable on one page; and the ward
//! or day-centre screen (`/screen?area=…`), large type, nothing to type, moving by
//! itself through what is open nearby.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use std::sync::Arc;

use kith_proto::domain::{ForTag, OpportunityKind};
use kith_proto::time::now_ms;

use super::places::{for_label, for_text};
use super::search::kind_label;
use super::{Board, Whereabouts, page};
use crate::view::{OpportunityQuery, SafeHouseQuery, ServiceQuery};

/// What a caller wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    Work,
    Training,
    SafePlace,
    Service,
}

impl Want {
    const ALL: [(Want, &'static str, &'static str); 4] = [
        (Want::SafePlace, "safe", "A safe place tonight"),
        (Want::Service, "service", "A service (advice, food, support…)"),
        (Want::Work, "work", "Work or volunteering"),
        (Want::Training, "training", "Training or learning"),
    ];

    /// What it is called where needs are counted.
    fn need_kind(self) -> &'static str {
        match self {
            Want::Work => "work",
            Want::Training => "training",
            Want::SafePlace => "safe place",
            Want::Service => "service",
        }
    }

    fn kinds(self) -> &'static [OpportunityKind] {
        match self {
            Want::Work => &[
                OpportunityKind::PaidJob,
                OpportunityKind::Volunteering,
                OpportunityKind::PaidInvolvement,
                OpportunityKind::SocialEnterprise,
            ],
            Want::Training => {
                &[OpportunityKind::Training, OpportunityKind::Apprenticeship, OpportunityKind::PeerTeaching]
            }
            _ => &[],
        }
    }
}

/// One line to read out: how to call first, then what it is.
struct Line {
    phone: String,
    text: String,
    /// Found by distance, beyond the area asked about.
    beyond: bool,
}

/// Where a listing is, for a line: its area, and how far away when asked near a place.
fn where_text(area: &str, distance_m: Option<u32>) -> String {
    match distance_m {
        Some(m) => format!("{area}, {} away", kith_words::distance_text(m)),
        None => area.to_owned(),
    }
}

/// What is open for `want`, near `area`, for `who`: short lines, phone numbers
/// first. Near a place the region knows, what is in its area comes first, then the
/// nearest: the answer is never "nothing" while something matching is open in the
/// region.
async fn answer(
    board: &Board,
    want: Want,
    place: &Whereabouts,
    who: Option<ForTag>,
    limit: usize,
) -> Result<Vec<Line>, Response> {
    let (area, near) = (place.words(), place.near());
    let now = now_ms();
    let local = board.clock.local(now);
    let hubs = board.hubs().await?;
    let lines = board
        .read(move |view, deadline| {
            let mut lines = Vec::new();
            match want {
                Want::SafePlace => {
                    let q = SafeHouseQuery {
                        for_tag: who,
                        area,
                        near,
                        page_size: limit,
                        deadline: Some(deadline),
                        ..Default::default()
                    };
                    let mut houses = view.list_safe_houses(&q, now)?.items;
                    // In the area: beds free first, then unknown, then full. Beyond
                    // it, the nearest first, and so at each distance.
                    houses.sort_by_key(|h| {
                        let beds = match h.item.availability.and_then(|a| a.beds_free_at(now)) {
                            Some(0) => 2,
                            Some(_) => 0,
                            None => 1,
                        };
                        match h.beyond_area {
                            false => (0, 0, beds),
                            true => (1, h.distance_m.unwrap_or(u32::MAX), beds),
                        }
                    });
                    for h in houses {
                        let beds = match h.item.availability.and_then(|a| a.beds_free_at(now)) {
                            Some(0) => "no beds free now".to_owned(),
                            Some(n) => format!("{n} bed{} free now", if n == 1 { "" } else { "s" }),
                            None => "beds unknown, call to check".to_owned(),
                        };
                        lines.push(Line {
                            phone: h.item.phone.clone(),
                            text: format!(
                                "{} ({}): {beds}; for {}",
                                h.item.name,
                                where_text(&h.item.area, h.distance_m),
                                for_text(&h.item.for_tags)
                            ),
                            beyond: h.beyond_area,
                        });
                    }
                }
                Want::Service => {
                    let mut q =
                        ServiceQuery { area, near, page_size: limit, deadline: Some(deadline), ..Default::default() };
                    q.open_at = Some((local.day, local.time));
                    let mut found = view.search_services(&q)?.items;
                    let open_now = found.len();
                    if found.len() < limit {
                        q.open_at = None;
                        q.page_size = limit;
                        let more = view.search_services(&q)?.items;
                        found.extend(more.into_iter().filter(|h| !h.item.is_open(local.day, local.time)));
                        found.truncate(limit);
                    }
                    for (i, h) in found.into_iter().enumerate() {
                        let when = if i < open_now { "open now" } else { "not open now" };
                        let cats: Vec<&str> = h.item.categories.iter().map(|c| c.label()).collect();
                        let away = h.distance_m.map(|m| format!(" ({} away)", kith_words::distance_text(m)));
                        lines.push(Line {
                            phone: h.item.phones.first().cloned().unwrap_or_default(),
                            text: format!("{}{}: {}; {when}", h.item.name, away.unwrap_or_default(), cats.join(", ")),
                            beyond: h.beyond_area,
                        });
                    }
                }
                Want::Work | Want::Training => {
                    let mut found = Vec::new();
                    for &kind in want.kinds() {
                        let q = OpportunityQuery {
                            area: area.clone(),
                            near: near.clone(),
                            kind: Some(kind),
                            page_size: limit,
                            deadline: Some(deadline),
                            ..Default::default()
                        };
                        found.extend(view.search_opportunities(&q, local.date)?.items);
                    }
                    // One list of every kind: the area's first, then the nearest.
                    found.sort_by_key(|h| (h.beyond_area, h.distance_m));
                    for h in found.into_iter().take(limit) {
                        let pay = super::pay_text(h.item.pay, h.item.expenses_paid);
                        // Opportunities are reached through their hub.
                        let phone = hubs.get(&h.hub).map(|x| x.profile.contact.clone()).unwrap_or_default();
                        lines.push(Line {
                            phone,
                            text: format!(
                                "{} ({}, {}): {pay}",
                                h.item.title,
                                kind_label(h.item.kind),
                                where_text(&h.item.area, h.distance_m)
                            ),
                            beyond: h.beyond_area,
                        });
                    }
                }
            }
            Ok(lines)
        })
        .await?;
    Ok(lines)
}

fn params(pairs: &[(String, String)]) -> (Option<Want>, String, Option<ForTag>) {
    let (mut want, mut area, mut who) = (None, String::new(), None);
    for (k, v) in pairs {
        match k.as_str() {
            "want" => want = Want::ALL.iter().find(|(_, slug, _)| slug == v).map(|(w, _, _)| *w),
            "area" => area = super::area_field(v),
            "for" => who = ForTag::parse("for", v).ok(),
            _ => {}
        }
    }
    (want, area, who)
}

pub async fn helpline(
    State(board): State<Arc<Board>>,
    Query(pairs): Query<Vec<(String, String)>>,
    parts: axum::http::request::Parts,
) -> Response {
    let (want, area, who) = params(&pairs);
    let place = board.whereabouts(&area);
    let lines = match want {
        Some(w) => match answer(&board, w, &place, who, 10).await {
            Ok(lines) => Some(lines),
            Err(r) => return r,
        },
        None => None,
    };
    // Nothing open for the caller: a need (the kind and area only: no words here).
    let missing = match (want, &lines) {
        (Some(w), Some(lines)) if lines.is_empty() => {
            let kind = match who {
                Some(t) => format!("{}: {}", w.need_kind(), t.as_str()),
                None => w.need_kind().to_owned(),
            };
            Some(crate::needs::Asked { kind, area: board.need_area(&place), terms: Vec::new() })
        }
        _ => None,
    };
    if let Some(asked) = &missing {
        board.record_need(crate::connections::client_in(&parts.extensions), asked);
    }
    let body = html! {
        h1 { "Helpline" }
        form.search method="get" action="/helpline" {
            div.field {
                label for="area" { "Where is the caller?" }
                p.hint id="area-hint" { "A town, or a postcode district such as BD7: the nearest come first" }
                input #area type="text" name="area" value=(area) aria-describedby="area-hint";
            }
            fieldset.checks {
                legend { "What do they want?" }
                @for (w, slug, label) in Want::ALL {
                    label { input type="radio" name="want" value=(slug) checked[want == Some(w)] required; (label) }
                }
            }
            div.field {
                label for="for" { "Who for" }
                select #for name="for" {
                    option value="" { "Anyone" }
                    @for t in ForTag::ALL { option value=(t.as_str()) selected[who == Some(*t)] { (for_label(*t)) } }
                }
            }
            button type="submit" { "Find what is open" }
        }
        @if let Some(why) = place.problem() { p.warn role="alert" { (why) } }
        @if let Some(lines) = &lines {
            @if !lines.is_empty() && lines.iter().all(|l| l.beyond) {
                h2 { (super::nothing_in(&area)) }
            } @else {
                h2 { "Open now" @if !area.is_empty() { " near " (area) } }
            }
            @if lines.is_empty() {
                @if place.near().is_some() { p { "Nothing open in the region matches. Try \"Anyone\", or another kind of help." } }
                @else { p { "Nothing found. Try a wider area, or leave the area empty." } }
            }
            ol.answer { @for l in lines { li { @if !l.phone.is_empty() { strong.contact { (l.phone) } " — " } (l.text) } } }
            @if let Some(asked) = &missing { (super::needs::ask_what(asked)) }
            p.meta { "Checked " (board.clock.local(now_ms()).time) ". Read the numbers out first; this page prints on one sheet." }
        }
    };
    page(&board, "Helpline", StatusCode::OK, body)
}

/// The screen's slides, in turn.
const SLIDES: [(Want, &str); 4] = [
    (Want::SafePlace, "Safe houses"),
    (Want::Service, "Services near here"),
    (Want::Work, "Work and volunteering"),
    (Want::Training, "Training and learning"),
];

/// Seconds each slide stays.
pub const SLIDE_SECS: u32 = 20;

pub async fn screen(State(board): State<Arc<Board>>, Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let (_, area, who) = params(&pairs);
    let place = board.whereabouts(&area);
    let paused = pairs.iter().any(|(k, v)| k == "pause" && !v.is_empty());
    let slide =
        pairs.iter().find(|(k, _)| k == "slide").and_then(|(_, v)| v.parse::<usize>().ok()).unwrap_or(0) % SLIDES.len();
    let (want, title) = SLIDES[slide];
    let lines = match answer(&board, want, &place, who, 6).await {
        Ok(lines) => lines,
        Err(r) => return r,
    };
    let mut next = format!("/screen?slide={}", (slide + 1) % SLIDES.len());
    for (k, v) in [("area", area.as_str()), ("for", who.map_or("", |t| t.as_str()))] {
        if !v.is_empty() {
            next.push_str(&format!("&{k}={}", urlencode(v)));
        }
    }
    let this = next.replace(&format!("slide={}", (slide + 1) % SLIDES.len()), &format!("slide={slide}"));
    let body: Markup = html! {
        div.screen data-next=[(!paused).then_some(next.as_str())] data-secs=(SLIDE_SECS) {
            h1 { (title) @if !area.is_empty() { " — " (area) } }
            @if lines.is_empty() { p { "Nothing listed here just now. Ask a member of staff." } }
            @else if lines.iter().all(|l| l.beyond) { p.beyond { (super::nothing_in(&area)) } }
            ul.answer { @for l in &lines { li { (l.text) @if !l.phone.is_empty() { br; strong.contact { "Call " (l.phone) } } } } }
            p.meta {
                (slide + 1) " of " (SLIDES.len()) ". "
                @if paused { a href=(this.replace("&pause=1", "")) { "Move on by itself" } }
                @else { "Changes every " (SLIDE_SECS) " seconds. " a href={ (this) "&pause=1" } { "Pause" } }
                " · " a href=(next) { "Next" }
            }
        }
    };
    page(&board, title, StatusCode::OK, body)
}

/// A query value made safe for a URL.
fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
