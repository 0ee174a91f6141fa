//! `/directory`: a form to print the region's directory, and `/directory.pdf`: the
//! directory itself, typeset by kith-directory from the view.
//!
//! Typesetting takes far longer than a page, so it is bounded twice over: one
//! directory is typeset at a time (another request meanwhile is told to try again),
//! and what was typeset is kept until the view changes or [`FRESH_FOR`] passes.

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::html;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kith_directory::{Directory, Hub, Layout, Listed, Options, Section};
use kith_proto::time::now_ms;

use kith_words::{Lang, t};

use super::{Board, Reader, page, problem, problem_t};
use crate::search::{Position, TimedOut};
use crate::view::{MAX_PAGE_SIZE, OfferQuery, OpportunityQuery, Page, SafeHouseQuery, ServiceQuery, area_words};

/// At most this many of each family are printed.
pub const MAX_PER_FAMILY: usize = 2_000;
/// How long a typeset directory is served again while the view has not changed
/// (beds-free figures go stale with time alone).
const FRESH_FOR: Duration = Duration::from_secs(300);
/// Directories kept: one per recent set of choices.
const KEPT: usize = 8;

/// What a directory was asked for with. Two askings that differ only in how the
/// area was typed (case, spaces) are the same directory: one typesetting serves both.
#[derive(Clone, Debug)]
struct Asked {
    area: String,
    sections: Vec<Section>,
    large_print: bool,
    /// The language it is printed in: the page's (`lang=`, else the browser's).
    lang: Lang,
}

impl PartialEq for Asked {
    fn eq(&self, other: &Asked) -> bool {
        self.area.to_lowercase() == other.area.to_lowercase()
            && self.sections == other.sections
            && self.large_print == other.large_print
            && self.lang == other.lang
    }
}

/// One typesetting at a time, and what was typeset.
pub struct Printer {
    busy: tokio::sync::Semaphore,
    kept: Mutex<Vec<(Asked, u64, Instant, bytes::Bytes)>>,
}

impl Default for Printer {
    fn default() -> Printer {
        Printer { busy: tokio::sync::Semaphore::new(1), kept: Mutex::new(Vec::new()) }
    }
}

impl Printer {
    fn get(&self, asked: &Asked, generation: u64) -> Option<bytes::Bytes> {
        let kept = self.kept.lock().expect("printer lock");
        kept.iter()
            .find(|(a, g, at, _)| a == asked && *g == generation && at.elapsed() < FRESH_FOR)
            .map(|(_, _, _, pdf)| pdf.clone())
    }

    fn keep(&self, asked: Asked, generation: u64, pdf: bytes::Bytes) {
        let mut kept = self.kept.lock().expect("printer lock");
        kept.retain(|(a, g, at, _)| a != &asked && *g == generation && at.elapsed() < FRESH_FOR);
        if kept.len() >= KEPT {
            kept.remove(0);
        }
        kept.push((asked, generation, Instant::now(), pdf));
    }
}

/// Reads the form's choices; an unknown kind is named.
fn asked(pairs: &[(String, String)], lang: Lang) -> Result<Asked, String> {
    let mut a = Asked { area: String::new(), sections: vec![], large_print: false, lang };
    for (k, v) in pairs {
        match k.as_str() {
            "area" => a.area = super::area_field(&v.split_whitespace().collect::<Vec<_>>().join(" ")),
            "kind" => {
                for s in v.split(',').filter(|s| !s.trim().is_empty()) {
                    a.sections.push(s.parse()?);
                }
            }
            "large-print" => a.large_print = matches!(v.as_str(), "1" | "on" | "true" | "yes"),
            _ => {}
        }
    }
    a.sections = a.sections.into_iter().collect::<BTreeSet<_>>().into_iter().collect();
    Ok(a)
}

pub async fn form(State(board): State<Arc<Board>>, r: Reader) -> Response {
    let body = html! {
        h1 { (r.t("nav-directory")) }
        p { (t!(r.lang, "directory-about", region = board.region.as_str())) }
        form.search method="get" action="/directory.pdf" {
            (r.keep())
            div.field {
                label for="area" { (r.t("where")) }
                p.hint id="area-hint" { (r.t("directory-where-hint")) }
                input #area type="text" name="area" aria-describedby="area-hint";
            }
            fieldset.field.checks {
                legend { (r.t("directory-include")) }
                p.hint { (r.t("directory-include-hint")) }
                @for s in Section::ALL {
                    label { input type="checkbox" name="kind" value=(s.as_str()); (r.t(&format!("section-{}", s.as_str()))) }
                }
            }
            div.field.checks {
                label { input type="checkbox" name="large-print" value="1"; (r.t("directory-large-print")) }
            }
            div.field {
                label for="lang" { (r.t("directory-language")) }
                select #lang name="lang" {
                    @for lang in Lang::ALL {
                        option value=(lang.code()) lang=(lang.tag()) selected[lang == r.lang] { (lang.name()) }
                    }
                }
            }
            button type="submit" { (r.t("directory-make")) }
        }
        p.meta { (r.t("directory-takes-time")) }
    };
    page(&board, &r, &r.t("nav-directory"), StatusCode::OK, body)
}

pub async fn pdf(State(board): State<Arc<Board>>, r: Reader, Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let asked = match asked(&pairs, r.lang) {
        Ok(a) => a,
        Err(e) => return problem(&board, &r, StatusCode::BAD_REQUEST, &r.t("unknown-kind"), &e),
    };
    let generation = *board.shared.subscribe().borrow();
    if let Some(pdf) = board.printer.get(&asked, generation) {
        return pdf_response(&board, pdf);
    }
    let Ok(_permit) = board.printer.busy.try_acquire() else {
        let mut busy =
            problem_t(&board, &r, StatusCode::SERVICE_UNAVAILABLE, "directory-busy", "directory-busy-detail");
        busy.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
        return busy;
    };
    // Another request may have typeset it while this one waited.
    if let Some(pdf) = board.printer.get(&asked, generation) {
        return pdf_response(&board, pdf);
    }
    let directory = match gather(&board, &r, &asked).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let (large_print, lang) = (asked.large_print, asked.lang);
    let typeset = tokio::task::spawn_blocking(move || {
        let layout = Layout::new_in(&directory, lang);
        kith_directory::pdf(&layout, Options { large_print })
    })
    .await;
    match typeset {
        Ok(Ok(pdf)) => {
            let pdf = bytes::Bytes::from(pdf);
            board.printer.keep(asked, generation, pdf.clone());
            pdf_response(&board, pdf)
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "the directory could not be typeset");
            problem(&board, &r, StatusCode::INTERNAL_SERVER_ERROR, &r.t("directory-failed"), &e.to_string())
        }
        Err(e) => {
            tracing::error!(error = %e, "the directory typesetting task failed");
            problem_t(&board, &r, StatusCode::INTERNAL_SERVER_ERROR, "directory-failed", "try-again-later")
        }
    }
}

fn pdf_response(board: &Board, pdf: bytes::Bytes) -> Response {
    let name = format!("inline; filename=\"kith-{}-directory.pdf\"", board.region);
    let mut r = (StatusCode::OK, pdf).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(v) = HeaderValue::from_str(&name) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Everything the directory prints, read from the view under the query limits.
async fn gather(board: &Board, r: &Reader, asked: &Asked) -> Result<Directory, Response> {
    let sections = asked.sections.clone();
    let w = move |s: Section| sections.is_empty() || sections.contains(&s);
    let area = asked.area.clone();
    let now = now_ms();
    let today = board.clock.local(now).date;
    let (opportunities, services, safe_houses, offers, hubs, truncated) = board
        .read(r, move |view, deadline| {
            let work = [Section::Work, Section::Involvement, Section::Training, Section::Volunteering];
            let mut truncated = BTreeSet::new();
            let mut opportunities = Vec::new();
            if work.iter().any(|s| w(*s)) {
                let mut q = OpportunityQuery {
                    area: area_words(&area),
                    page_size: MAX_PAGE_SIZE,
                    deadline: Some(deadline),
                    ..Default::default()
                };
                let more = up_to_max(&mut opportunities, |after| {
                    q.after = after;
                    view.search_opportunities(&q, today)
                })?;
                if more {
                    truncated.extend(work.iter().filter(|s| w(**s)));
                }
            }
            let mut services = Vec::new();
            if w(Section::Services) {
                let mut q = ServiceQuery {
                    area: area_words(&area),
                    page_size: MAX_PAGE_SIZE,
                    deadline: Some(deadline),
                    ..Default::default()
                };
                if up_to_max(&mut services, |after| {
                    q.after = after;
                    view.search_services(&q)
                })? {
                    truncated.insert(Section::Services);
                }
            }
            let mut safe_houses = Vec::new();
            if w(Section::SafeHouses) {
                let mut q = SafeHouseQuery {
                    area: area_words(&area),
                    page_size: MAX_PAGE_SIZE,
                    deadline: Some(deadline),
                    ..Default::default()
                };
                if up_to_max(&mut safe_houses, |after| {
                    q.after = after;
                    view.list_safe_houses(&q, now)
                })? {
                    truncated.insert(Section::SafeHouses);
                }
            }
            let mut offers = Vec::new();
            if w(Section::Businesses) {
                let mut q = OfferQuery {
                    area: area_words(&area),
                    page_size: MAX_PAGE_SIZE,
                    deadline: Some(deadline),
                    ..Default::default()
                };
                if up_to_max(&mut offers, |after| {
                    q.after = after;
                    view.search_offers(&q)
                })? {
                    truncated.insert(Section::Businesses);
                }
            }
            Ok((opportunities, services, safe_houses, offers, view.hubs(), truncated))
        })
        .await?;
    // What the region is missing, for commissioners (a national view has none).
    let lang = asked.lang;
    let missing = match board.shared.needs().cloned() {
        Some(needs) => {
            let unmet = board.shared.view().unmet_work();
            tokio::task::spawn_blocking(move || needs.report(today, &unmet))
                .await
                .ok()
                .and_then(Result::ok)
                .map(|report| kith_directory::Missing::from_needs_in(lang, &report.to_v1()))
        }
        None => None,
    };
    Ok(Directory {
        region: board.region.to_string(),
        printed_on: today,
        now_ms: now,
        time_zone: board.clock.zone().clone(),
        area: (!asked.area.is_empty()).then(|| asked.area.clone()),
        sections: asked.sections.clone(),
        // The board's address as its operator gives it (--public-url), never as a
        // request's Host header says: a directory kept for everyone must not carry
        // an address one visitor chose.
        board_url: board.public_url.clone(),
        missing,
        opportunities: opportunities
            .into_iter()
            .map(|hit| Listed { hub: hit.hub, updated_at_ms: hit.at_ms, item: hit.item })
            .collect(),
        services: services
            .into_iter()
            .map(|hit| Listed { hub: hit.hub, updated_at_ms: hit.at_ms, item: hit.item })
            .collect(),
        safe_houses: safe_houses
            .into_iter()
            .map(|hit| Listed { hub: hit.hub, updated_at_ms: hit.at_ms, item: hit.item })
            .collect(),
        offers: offers
            .into_iter()
            .map(|hit| Listed { hub: hit.hub, updated_at_ms: hit.at_ms, item: hit.item })
            .collect(),
        hubs: hubs
            .into_iter()
            .map(|h| Hub {
                id: h.hub,
                name: h.name,
                description: h.profile.description,
                contact: h.profile.contact,
                helpline_hours: h.profile.helpline_hours,
            })
            .collect(),
        truncated,
    })
}

/// Every page `next` gives (from the first, then after each page's last position)
/// into `items`, up to [`MAX_PER_FAMILY`]; whether more were left.
fn up_to_max<T>(
    items: &mut Vec<T>,
    mut next: impl FnMut(Option<Position>) -> Result<Page<T>, TimedOut>,
) -> Result<bool, TimedOut> {
    let mut after = None;
    loop {
        let page = next(after)?;
        items.extend(page.items);
        match page.next {
            Some(_) if items.len() >= MAX_PER_FAMILY => return Ok(true),
            Some(position) => after = Some(position),
            None => return Ok(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn choices_are_read_and_a_bad_kind_is_named() {
        let a = asked(
            &pairs(&[("area", " Leeds "), ("kind", "work,safe-houses"), ("kind", "work"), ("large-print", "1")]),
            Lang::En,
        )
        .unwrap();
        assert_eq!(a.area, "Leeds");
        assert_eq!(a.sections, [Section::SafeHouses, Section::Work]);
        assert!(a.large_print);
        let e = asked(&pairs(&[("kind", "rockets")]), Lang::En).unwrap_err();
        assert!(e.starts_with("unknown kind \"rockets\""), "{e}");
        // The same directory however the area was typed.
        let b =
            asked(&pairs(&[("area", "LEEDS"), ("kind", "safe-houses,work"), ("large-print", "1")]), Lang::En).unwrap();
        assert_eq!(a, b);
        // Not in another language.
        let c =
            asked(&pairs(&[("area", "Leeds"), ("kind", "safe-houses,work"), ("large-print", "1")]), Lang::Cy).unwrap();
        assert_ne!(a, c);
    }

    #[test]
    fn a_kept_directory_is_served_only_while_the_view_is_unchanged() {
        let p = Printer::default();
        let a = Asked { area: String::new(), sections: vec![], large_print: false, lang: Lang::En };
        p.keep(a.clone(), 7, bytes::Bytes::from_static(b"%PDF"));
        assert!(p.get(&a, 7).is_some());
        assert!(p.get(&a, 8).is_none(), "the view changed");
        let b = Asked { large_print: true, ..a.clone() };
        assert!(p.get(&b, 7).is_none(), "other choices");
        for i in 0..20 {
            p.keep(Asked { area: i.to_string(), ..a.clone() }, 7, bytes::Bytes::new());
        }
        assert!(p.kept.lock().unwrap().len() <= KEPT);
    }
}
