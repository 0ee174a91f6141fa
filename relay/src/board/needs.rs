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

use super::{Board, Whereabouts, page, problem};
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
pub fn ask_what(asked: &Asked) -> Markup {
    html! {
        form.search.need method="post" action="/needs/say" {
            input type="hidden" name="kind" value=(asked.kind);
            input type="hidden" name="area" value=(asked.area);
            div.field {
                label for="need-words" { "What were you looking for?" }
                p.hint id="need-words-hint" { "A few words. They are counted with others' to show the region what is missing; nothing else is kept, and nothing about you." }
                input #need-words type="text" name="words" maxlength="200" aria-describedby="need-words-hint" autocomplete="off";
            }
            button.secondary type="submit" { "Tell the region" }
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
    if super::cross_site(request.headers()) {
        return problem(&board, StatusCode::FORBIDDEN, "Not counted", "This is said from this board's own pages only.");
    }
    let Ok(Form(said)) = Form::<Said>::from_request(request, &()).await else {
        return problem(&board, StatusCode::BAD_REQUEST, "The form could not be read", "Go back and try again.");
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
        return problem(&board, StatusCode::BAD_REQUEST, "The form could not be read", "Go back and try again.");
    }
    let words = terms(&said.words);
    if !words.is_empty() {
        // The words themselves go no further than this: only their terms are counted.
        board.record_need(client, &Asked { kind: said.kind, area: said.area, terms: words });
    }
    let body = html! {
        h1 { "Thank you" }
        p { "What you were looking for is counted with what others looked for, and published each week when enough people have said the same: " a href="/needs" { "what the region is missing" } "." }
        p { a href="/" { "Back to the search" } }
    };
    page(&board, "Thank you", StatusCode::OK, body)
}

use axum::extract::FromRequest;

async fn report(board: &Board) -> Result<Report, Response> {
    let Some(needs) = board.shared.needs() else {
        return Err(problem(board, StatusCode::NOT_FOUND, "Page not found", "This relay counts no needs."));
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
            problem(board, StatusCode::SERVICE_UNAVAILABLE, "Not available", "The figures cannot be read just now.")
        })
}

fn count(n: Option<u32>) -> String {
    n.map_or_else(|| format!("fewer than {THRESHOLD}, or hidden"), |n| n.to_string())
}

/// A bar chart of the week's kinds by people, drawn as SVG here.
fn chart(bars: &[(String, u32)]) -> Markup {
    let max = bars.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let row = 28;
    let height = row * bars.len().max(1);
    html! {
        svg.chart role="img" aria-labelledby="chart-title" viewBox={ "0 0 600 " (height) } width="100%" {
            title id="chart-title" { "People who looked for each kind of thing and found nothing, this week" }
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
pub async fn needs_page(State(board): State<Arc<Board>>) -> Response {
    let report = match report(&board).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    let this_week = report.weeks.first();
    let bars: Vec<(String, u32)> = this_week
        .map(|w| w.kind_totals.iter().filter_map(|t| t.people.map(|n| (t.what.clone(), n))).collect())
        .unwrap_or_default();
    let body = html! {
        h1 { "What the region is missing" }
        p { "Searches on this board and its helpline screen that found nothing, what people said they were looking for, and work booked with the groups' pools that none could take, by week. "
            "A figure counts people, each once a day, never searches; no address, no cookie and nothing finer than a postcode district or a week is kept. "
            "A figure of fewer than " (THRESHOLD) " people is not shown, and neither is another where a total would give it away." }
        p { "As open data: " a href="/needs.csv" { "CSV" } " and " a href="/needs.json" { "JSON" } ", under the " a href=(LICENCE_URL) rel="license" { (LICENCE) } "." }
        @if let Some(week) = this_week {
            h2 { "This week (" (week.week) ")" }
            @if bars.is_empty() { p { "Nothing to show yet this week." } } @else { (chart(&bars)) }
        }
        @let shown: Vec<_> = report.weeks.iter().filter(|w| w.kinds.iter().any(|c| c.people.is_some()) || !w.terms.is_empty() || !w.no_bed.is_empty() || !w.unmet_work.is_empty()).collect();
        @if shown.is_empty() { p { "No week of the last " (report.weeks.len()) " has a figure to show." } }
        @for week in shown {
            section.week {
                h2 { "Week " (week.week) }
                @if week.kinds.iter().any(|c| c.people.is_some()) {
                    table {
                        caption { "Looked for and not found, by area and kind (people)" }
                        thead { tr { th scope="col" { "Area" } th scope="col" { "Kind" } th scope="col" { "People" } } }
                        tbody { @for c in &week.kinds { tr { td data-label="Area" { (c.area) } td data-label="Kind" { (c.what) } td data-label="People" { (count(c.people)) } } } }
                    }
                }
                @if !week.terms.is_empty() {
                    table {
                        caption { "Words people looked for (people)" }
                        thead { tr { th scope="col" { "Area" } th scope="col" { "Word" } th scope="col" { "People" } } }
                        tbody { @for c in &week.terms { tr { td data-label="Area" { (c.area) } td data-label="Word" { (c.what) } td data-label="People" { (count(c.people)) } } } }
                    }
                }
                @if !week.no_bed.is_empty() {
                    table {
                        caption { "Hours with no safe-house bed free (or none said), by area and who the houses are for" }
                        thead { tr { th scope="col" { "Area" } th scope="col" { "For" } th scope="col" { "Hours" } } }
                        tbody { @for b in &week.no_bed { tr { td data-label="Area" { (b.area) } td data-label="For" { (b.group) } td data-label="Hours" { (b.hours) } } } }
                    }
                }
                @if !week.unmet_work.is_empty() {
                    table {
                        caption { "Work booked with the groups' pools that none could take (jobs)" }
                        thead { tr { th scope="col" { "Work" } th scope="col" { "Why" } th scope="col" { "Jobs" } } }
                        tbody { @for u in &week.unmet_work { tr { td data-label="Work" { (u.work) } td data-label="Why" { (u.reason.replace('-', " ")) } td data-label="Jobs" { (u.jobs) } } } }
                    }
                }
            }
        }
    };
    page(&board, "What the region is missing", StatusCode::OK, body)
}

/// `GET /needs.json`.
pub async fn needs_json(State(board): State<Arc<Board>>) -> Response {
    let report = match report(&board).await {
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
pub async fn needs_csv(State(board): State<Arc<Board>>) -> Response {
    let report = match report(&board).await {
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
