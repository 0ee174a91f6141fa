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

use kith_words::{Lang, category_text, distance_text_in, for_label_in, for_text_in, kind_text, list_separator, t};

use super::{Board, Reader, Whereabouts, page, theirs, urlencode};
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
    /// Each want, its slug on the address and its message's key.
    const ALL: [(Want, &'static str, &'static str); 4] = [
        (Want::SafePlace, "safe", "want-safe"),
        (Want::Service, "service", "want-service"),
        (Want::Work, "work", "want-work"),
        (Want::Training, "training", "want-training"),
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
    /// What the listing is called, as its hub wrote it.
    name: String,
    /// The rest of the line, in the page's language.
    text: String,
    /// Found by distance, beyond the area asked about.
    beyond: bool,
}

/// Where a listing is, for a line: its area, and how far away when asked near a place.
fn where_text(lang: Lang, area: &str, distance_m: Option<u32>) -> String {
    match distance_m {
        Some(m) => t!(lang, "where-away", area = area.to_owned(), distance = distance_text_in(lang, m)),
        None => area.to_owned(),
    }
}

/// What is open for `want`, near `area`, for `who`: short lines, phone numbers
/// first. Near a place the region knows, what is in its area comes first, then the
/// nearest: the answer is never "nothing" while something matching is open in the
/// region.
async fn answer(
    board: &Board,
    r: &Reader,
    want: Want,
    place: &Whereabouts,
    who: Option<ForTag>,
    limit: usize,
) -> Result<Vec<Line>, Response> {
    let (area, near) = (place.words(), place.near());
    let now = now_ms();
    let local = board.clock.local(now);
    let hubs = board.hubs(r).await?;
    let lang = r.lang;
    let lines = board
        .read(r, move |view, deadline| {
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
                            Some(0) => t!(lang, "line-no-beds"),
                            Some(n) => t!(lang, "line-beds-free", n = n),
                            None => t!(lang, "line-beds-unknown"),
                        };
                        lines.push(Line {
                            phone: h.item.phone.clone(),
                            name: h.item.name.clone(),
                            text: t!(
                                lang,
                                "line-house",
                                place = where_text(lang, &h.item.area, h.distance_m),
                                beds = beds,
                                who = for_text_in(lang, &h.item.for_tags)
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
                        let when = t!(lang, if i < open_now { "line-open-now" } else { "line-not-open-now" });
                        let cats: Vec<String> = h.item.categories.iter().map(|c| category_text(lang, *c)).collect();
                        let kinds = cats.join(list_separator(lang));
                        let text = match h.distance_m {
                            Some(m) => t!(
                                lang,
                                "line-service-away",
                                distance = distance_text_in(lang, m),
                                kinds = kinds,
                                when = when
                            ),
                            None => t!(lang, "line-service", kinds = kinds, when = when),
                        };
                        lines.push(Line {
                            phone: h.item.phones.first().cloned().unwrap_or_default(),
                            name: h.item.name.clone(),
                            text,
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
                        let pay = kith_words::pay_text_in(lang, h.item.pay, h.item.expenses_paid);
                        // Opportunities are reached through their hub.
                        let phone = hubs.get(&h.hub).map(|x| x.profile.contact.clone()).unwrap_or_default();
                        lines.push(Line {
                            phone,
                            name: h.item.title.clone(),
                            text: t!(
                                lang,
                                "line-work",
                                kind = kind_text(lang, h.item.kind),
                                place = where_text(lang, &h.item.area, h.distance_m),
                                pay = pay
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
    r: Reader,
    Query(pairs): Query<Vec<(String, String)>>,
    parts: axum::http::request::Parts,
) -> Response {
    let (want, area, who) = params(&pairs);
    let place = board.whereabouts(&r, &area);
    let lines = match want {
        Some(w) => match answer(&board, &r, w, &place, who, 10).await {
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
        h1 { (r.t("nav-helpline")) }
        form.search method="get" action="/helpline" {
            (r.keep())
            div.field {
                label for="area" { (r.t("helpline-where")) }
                p.hint id="area-hint" { (t!(r.lang, "where-hint", example = "BD7")) }
                input #area type="text" name="area" value=(area) aria-describedby="area-hint";
            }
            fieldset.checks {
                legend { (r.t("helpline-want")) }
                @for (w, slug, label) in Want::ALL {
                    label { input type="radio" name="want" value=(slug) checked[want == Some(w)] required; (r.t(label)) }
                }
            }
            div.field {
                label for="for" { (r.t("who-for")) }
                select #for name="for" {
                    option value="" { (r.t("who-for-anyone")) }
                    @for tag in ForTag::ALL { option value=(tag.as_str()) selected[who == Some(*tag)] { (for_label_in(r.lang, *tag)) } }
                }
            }
            button type="submit" { (r.t("helpline-find")) }
        }
        @if let Some(why) = place.problem() { p.warn role="alert" { (why) } }
        @if let Some(lines) = &lines {
            @if !lines.is_empty() && lines.iter().all(|l| l.beyond) {
                h2 { (super::nothing_in(&r, &area)) }
            } @else if area.is_empty() {
                h2 { (r.t("open-now")) }
            } @else {
                h2 { (t!(r.lang, "open-now-near", area = area.clone())) }
            }
            @if lines.is_empty() {
                @if place.near().is_some() { p { (r.t("helpline-nothing-region")) } }
                @else { p { (r.t("helpline-nothing")) } }
            }
            ol.answer { @for l in lines { li { @if !l.phone.is_empty() { strong.contact { (theirs(&l.phone)) } " — " } (theirs(&l.name)) (l.text) } } }
            @if let Some(asked) = &missing { (super::needs::ask_what(&r, asked)) }
            p.meta { (t!(r.lang, "helpline-checked", time = board.clock.local(now_ms()).time.to_string())) }
        }
    };
    page(&board, &r, &r.t("nav-helpline"), StatusCode::OK, body)
}

/// The screen's slides, in turn, with their titles' keys.
const SLIDES: [(Want, &str); 4] = [
    (Want::SafePlace, "slide-safe"),
    (Want::Service, "slide-service"),
    (Want::Work, "slide-work"),
    (Want::Training, "slide-training"),
];

/// Seconds each slide stays.
pub const SLIDE_SECS: u32 = 20;

pub async fn screen(
    State(board): State<Arc<Board>>,
    r: Reader,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let (_, area, who) = params(&pairs);
    let place = board.whereabouts(&r, &area);
    let paused = pairs.iter().any(|(k, v)| k == "pause" && !v.is_empty());
    let slide =
        pairs.iter().find(|(k, _)| k == "slide").and_then(|(_, v)| v.parse::<usize>().ok()).unwrap_or(0) % SLIDES.len();
    let (want, title) = SLIDES[slide];
    let title = r.t(title);
    let lines = match answer(&board, &r, want, &place, who, 6).await {
        Ok(lines) => lines,
        Err(r) => return r,
    };
    let mut next = format!("/screen?slide={}", (slide + 1) % SLIDES.len());
    let lang = if r.chosen() { r.lang.code() } else { "" };
    for (k, v) in [("area", area.as_str()), ("for", who.map_or("", |t| t.as_str())), ("lang", lang)] {
        if !v.is_empty() {
            next.push_str(&format!("&{k}={}", urlencode(v)));
        }
    }
    let this = next.replace(&format!("slide={}", (slide + 1) % SLIDES.len()), &format!("slide={slide}"));
    let body: Markup = html! {
        div.screen data-next=[(!paused).then_some(next.as_str())] data-secs=(SLIDE_SECS) {
            h1 { (title) @if !area.is_empty() { " — " (area) } }
            @if lines.is_empty() { p { (r.t("screen-nothing")) } }
            @else if lines.iter().all(|l| l.beyond) { p.beyond { (super::nothing_in(&r, &area)) } }
            ul.answer { @for l in &lines { li { (theirs(&l.name)) (l.text) @if !l.phone.is_empty() { br; strong.contact { (r.t("screen-call")) " " (theirs(&l.phone)) } } } } }
            p.meta {
                (t!(r.lang, "screen-slide-of", n = slide + 1, all = SLIDES.len())) " "
                @if paused { a href=(this.replace("&pause=1", "")) { (r.t("screen-resume")) } }
                @else { (t!(r.lang, "screen-changes-every", secs = SLIDE_SECS)) " " a href={ (this) "&pause=1" } { (r.t("screen-pause")) } }
                " · " a href=(next) { (r.t("screen-next")) }
            }
        }
    };
    page(&board, &r, &title, StatusCode::OK, body)
}
