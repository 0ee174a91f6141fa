//! What is missing, on the board: searches that found nothing are recorded
//! ([`crate::needs`]), the person is asked "What were you looking for?", and the
//! region's figures are published at `/needs` (a page with a chart drawn here, no
//! script), `/needs.csv` and `/needs.json`.

use axum::extract::{Form, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use std::net::IpAddr;
use std::sync::Arc;

use kith_words::t;

use super::{Board, Reader, Whereabouts, page, problem_t};
use crate::needs::{Asked, Report, THRESHOLD, terms};

/// The licence the region's open data is published under.
pub const LICENCE: &str = "Open Government Licence v3.0";
pub const LICENCE_URL: &str = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";

/// The request header the board's script sends with the searches it makes as the
/// person types: those are not searches the person made, and are not counted.
pub const AS_YOU_TYPE: &str = "x-kith-as-you-type";

impl Board {
    /// The area of a search as needs count it: a postcode district, `anywhere`, or
    /// `not a known place` — never what was typed.
    pub(crate) fn need_area(&self, whereabouts: &Whereabouts) -> String {
        match whereabouts {
            Whereabouts::Anywhere => "anywhere".to_owned(),
            Whereabouts::Near(near) => self.shared.places().name_of(near.district).to_owned(),
            Whereabouts::Words(_) | Whereabouts::Unknown { .. } => "not a known place".to_owned(),
        }
    }

    /// Records that `asked` found nothing, for `client` (failures are logged, never
    /// shown: the person's search is answered whatever happens here).
    pub(crate) fn record_need(&self, client: Option<IpAddr>, asked: &Asked) {
        let Some(needs) = self.shared.needs() else { return };
        if let Err(e) = needs.record(client, self.clock.today(), asked) {
            tracing::warn!(error = %e, "a need could not be recorded");
        }
    }
}

/// "What were you looking for?", under an answer that found nothing: a few words,
/// reduced to terms at once; the kind and area go with them as the page had them.
pub fn ask_what(r: &Reader, asked: &Asked) -> Markup {
    html! {
        form.search.need method="post" action=(r.href("/needs/say")) {
            input type="hidden" name="kind" value=(asked.kind);
            input type="hidden" name="area" value=(asked.area);
            div.field {
                label for="need-words" { (r.t("need-what")) }
                p.hint id="need-words-hint" { (r.t("need-what-hint")) }
                input #need-words type="text" name="words" maxlength="200" aria-describedby="need-words-hint" autocomplete="off";
            }
            button.secondary type="submit" { (r.t("need-tell")) }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Said {
    kind: String,
    area: String,
    words: String,
}

/// The kinds a need may be of: what the board's forms ask.
fn known_kind(kind: &str) -> bool {
    let (family, rest) = kind.split_once(": ").unwrap_or((kind, ""));
    let slug_ok = rest.is_empty() || (rest.len() <= 32 && rest.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
    matches!(family, "anything" | "work" | "training" | "service" | "safe place") && slug_ok
}

/// `POST /needs/say`.
pub async fn say(State(board): State<Arc<Board>>, request: axum::extract::Request) -> Response {
    let client = crate::connections::client_of(&request);
    let r = Reader::of(request.uri(), request.headers()).at("/needs");
    if super::cross_site(request.headers()) {
        return problem_t(&board, &r, StatusCode::FORBIDDEN, "not-counted", "not-counted-detail");
    }
    let Ok(Form(said)) = Form::<Said>::from_request(request, &()).await else {
        return problem_t(&board, &r, StatusCode::BAD_REQUEST, "form-unreadable", "form-unreadable-back");
    };
    let area_ok = said.area == "anywhere"
        || said.area == "not a known place"
        || board
            .shared
            .places()
            .resolve(&said.area)
            .ok()
            .flatten()
            .is_some_and(|d| board.shared.places().name_of(d) == said.area);
    if !known_kind(&said.kind) || !area_ok {
        return problem_t(&board, &r, StatusCode::BAD_REQUEST, "form-unreadable", "form-unreadable-back");
    }
    let words = terms(&said.words);
    if !words.is_empty() {
        // The words themselves go no further than this: only their terms are counted.
        board.record_need(client, &Asked { kind: said.kind, area: said.area, terms: words });
    }
    let body = html! {
        h1 { (r.t("thank-you")) }
        p { (r.t("need-counted")) " " a href=(r.href("/needs")) { (r.t("need-counted-link")) } }
        p { a href=(r.href("/")) { (r.t("back-to-search")) } }
    };
    page(&board, &r, &r.t("thank-you"), StatusCode::OK, body)
}

use axum::extract::FromRequest;

async fn report(board: &Board, r: &Reader) -> Result<Report, Response> {
    let Some(needs) = board.shared.needs() else {
        return Err(problem_t(board, r, StatusCode::NOT_FOUND, "page-not-found", "needs-none"));
    };
    let today = board.clock.today();
    let needs = needs.clone();
    let unmet = board.shared.view().unmet_work();
    tokio::task::spawn_blocking(move || needs.report(today, &unmet))
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r.map_err(|e| e.to_string()))
        .map_err(|why| {
            tracing::error!(%why, "needs cannot be read");
            problem_t(board, r, StatusCode::SERVICE_UNAVAILABLE, "not-available", "needs-unreadable")
        })
}

/// A kind of need as the page says it: see [`kith_words::need_kind_text`].
fn kind_text(r: &Reader, kind: &str) -> String {
    kith_words::need_kind_text(r.lang, kind)
}

/// An area as needs count it: a district, or "anywhere" and "not a known place" said.
fn area_text(r: &Reader, area: &str) -> String {
    match area {
        "anywhere" => r.t("need-anywhere"),
        "not a known place" => r.t("need-unknown-place"),
        district => district.to_owned(),
    }
}

/// Who safe houses are for, as needs count it: a group, or `anyone`.
fn group_text(r: &Reader, group: &str) -> String {
    match kith_proto::domain::ForTag::parse("for", group) {
        Ok(t) => kith_words::for_label_in(r.lang, t),
        Err(_) if group == "anyone" => r.t("for-anyone"),
        Err(_) => group.to_owned(),
    }
}

fn count(r: &Reader, n: Option<u32>) -> String {
    n.map_or_else(|| t!(r.lang, "needs-hidden", threshold = THRESHOLD), |n| n.to_string())
}

/// A bar chart of the week's kinds by people, drawn as SVG here.
fn chart(r: &Reader, bars: &[(String, u32)]) -> Markup {
    let max = bars.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let row = 28;
    let height = row * bars.len().max(1);
    html! {
        svg.chart role="img" aria-labelledby="chart-title" viewBox={ "0 0 600 " (height) } width="100%" {
            title id="chart-title" { (r.t("needs-chart")) }
            @for (i, (label, n)) in bars.iter().enumerate() {
                @let y = i * row;
                @let w = (f64::from(*n) / f64::from(max) * 330.0).max(2.0);
                text x="0" y=(y + 19) font-size="14" fill="currentColor" { (label) }
                rect x="200" y=(y + 5) width=(format!("{w:.0}")) height="18" fill="#00703c" {}
                text x=(format!("{:.0}", 206.0 + w)) y=(y + 19) font-size="14" fill="currentColor" { (n) }
            }
        }
    }
}

/// `GET /needs`.
pub async fn needs_page(State(board): State<Arc<Board>>, r: Reader) -> Response {
    let report = match report(&board, &r).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    let this_week = report.weeks.first();
    let bars: Vec<(String, u32)> = this_week
        .map(|w| w.kind_totals.iter().filter_map(|t| t.people.map(|n| (kind_text(&r, &t.what), n))).collect())
        .unwrap_or_default();
    let body = html! {
        h1 { (r.t("needs-heading")) }
        p { (t!(r.lang, "needs-about", threshold = THRESHOLD)) }
        p { (r.t("needs-open-data")) " " a href="/needs.csv" { (r.t("needs-csv")) } " " (r.t("and")) " " a href="/needs.json" { (r.t("needs-json")) } " " (r.t("needs-under")) " " a href=(LICENCE_URL) rel="license" lang="en-GB" { (LICENCE) } }
        @if let Some(week) = this_week {
            h2 { (t!(r.lang, "needs-this-week", week = week.week.clone())) }
            @if bars.is_empty() { p { (r.t("needs-nothing-yet")) } } @else { (chart(&r, &bars)) }
        }
        @let shown: Vec<_> = report.weeks.iter().filter(|w| w.kinds.iter().any(|c| c.people.is_some()) || !w.terms.is_empty() || !w.no_bed.is_empty() || !w.unmet_work.is_empty()).collect();
        @if shown.is_empty() { p { (t!(r.lang, "needs-no-week", weeks = report.weeks.len())) } }
        @for week in shown {
            section.week {
                h2 { (t!(r.lang, "needs-week", week = week.week.clone())) }
                @if week.kinds.iter().any(|c| c.people.is_some()) {
                    table {
                        caption { (r.t("needs-kinds-caption")) }
                        thead { tr { th scope="col" { (r.t("col-area")) } th scope="col" { (r.t("col-kind")) } th scope="col" { (r.t("col-people")) } } }
                        tbody { @for c in &week.kinds { tr { td data-label=(r.t("col-area")) { (area_text(&r, &c.area)) } td data-label=(r.t("col-kind")) { (kind_text(&r, &c.what)) } td data-label=(r.t("col-people")) { (count(&r, c.people)) } } } }
                    }
                }
                @if !week.terms.is_empty() {
                    table {
                        caption { (r.t("needs-terms-caption")) }
                        thead { tr { th scope="col" { (r.t("col-area")) } th scope="col" { (r.t("col-word")) } th scope="col" { (r.t("col-people")) } } }
                        tbody { @for c in &week.terms { tr { td data-label=(r.t("col-area")) { (area_text(&r, &c.area)) } td data-label=(r.t("col-word")) { bdi { (c.what) } } td data-label=(r.t("col-people")) { (count(&r, c.people)) } } } }
                    }
                }
                @if !week.no_bed.is_empty() {
                    table {
                        caption { (r.t("needs-beds-caption")) }
                        thead { tr { th scope="col" { (r.t("col-area")) } th scope="col" { (r.t("col-for")) } th scope="col" { (r.t("col-hours")) } } }
                        tbody { @for b in &week.no_bed { tr { td data-label=(r.t("col-area")) { (b.area) } td data-label=(r.t("col-for")) { (group_text(&r, &b.group)) } td data-label=(r.t("col-hours")) { (b.hours) } } } }
                    }
                }
                @if !week.unmet_work.is_empty() {
                    table {
                        caption { (r.t("needs-work-caption")) }
                        thead { tr { th scope="col" { (r.t("col-work")) } th scope="col" { (r.t("col-why")) } th scope="col" { (r.t("col-jobs")) } } }
                        tbody { @for u in &week.unmet_work { tr { td data-label=(r.t("col-work")) { bdi { (u.work) } } td data-label=(r.t("col-why")) { bdi { (u.reason.replace('-', " ")) } } td data-label=(r.t("col-jobs")) { (u.jobs) } } } }
                    }
                }
            }
        }
    };
    page(&board, &r, &r.t("needs-heading"), StatusCode::OK, body)
}

/// `GET /needs.json`.
pub async fn needs_json(State(board): State<Arc<Board>>, r: Reader) -> Response {
    let report = match report(&board, &r).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    let json = serde_json::json!({
        "region": board.region.as_str(),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "threshold": report.threshold,
        "weeks": report.weeks,
    });
    ([(header::CONTENT_TYPE, "application/json")], json.to_string()).into_response()
}

/// `GET /needs.csv`: one row per figure: week, table, area, what, value (empty
/// where hidden).
pub async fn needs_csv(State(board): State<Arc<Board>>, r: Reader) -> Response {
    let report = match report(&board, &r).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record(["week", "table", "area", "what", "value"]);
    for w in &report.weeks {
        let rows = w
            .kinds
            .iter()
            .map(|c| ("kind", c))
            .chain(w.area_totals.iter().map(|c| ("area total", c)))
            .chain(w.kind_totals.iter().map(|c| ("kind total", c)))
            .chain(w.terms.iter().map(|c| ("term", c)));
        for (table, c) in rows {
            let value = c.people.map(|n| n.to_string()).unwrap_or_default();
            let _ = out.write_record([w.week.as_str(), table, &c.area, &c.what, &value]);
        }
        for b in &w.no_bed {
            let _ =
                out.write_record([w.week.as_str(), "hours with no bed free", &b.area, &b.group, &b.hours.to_string()]);
        }
        for u in &w.unmet_work {
            let what = format!("{} ({})", u.work, u.reason);
            let _ = out.write_record([w.week.as_str(), "jobs no pool could take", "", &what, &u.jobs.to_string()]);
        }
    }
    let bytes = out.into_inner().unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], bytes).into_response()
}
