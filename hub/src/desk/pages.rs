//! The desk's pages and the forms they post: signing in, today, beds, referrals,
//! and the coordinators' pages (the listings' are `listings.rs`).
//!
//! A page that changes something takes two steps where a slip would matter (a bed
//! count, a withdrawal, an erasure): a page that says what will happen, then a
//! button that does it. Every form carries the session's token; every change runs
//! as the signed-in worker ([`crate::store::acting`]). Errors in a form are shown
//! above it (an error summary linking to each field) and beside the field, and
//! nothing is written.

use axum::Router;
use axum::extract::{ConnectInfo, Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::html;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use tonic::Request;
use ulid::Ulid;

use kith_proto::domain::{Opportunity, OpportunityStatus, SafeHouse};
use kith_proto::service::Service;
use kith_proto::time::CivilDate;
use kith_proto::v1::{self, hub_admin_server::HubAdmin};

use super::accounts::{self, SignIn};
use super::form::{Fields, checkbox, erase_form, error_summary, field, select, text_input, textarea, token, when};
use super::words::{english, switch_to, theirs, tr};
use super::{Coordinator, Desk, Posted, Worker, frame, page_error, page_not_found, respond, secret};
use crate::store::{Actor, Listing, Record, Session, acting};

pub(super) fn routes() -> Router<Desk> {
    Router::new()
        .route("/sign-in", get(sign_in_page).post(sign_in))
        .route("/sign-out", post(sign_out))
        .route("/account", get(account))
        .route("/", get(today))
        .route("/beds", get(beds))
        .route("/beds/confirm", get(beds_confirm))
        .route("/beds/set", post(beds_set))
        .route("/referrals", get(referrals))
        .route("/referrals/new", get(referral_new).post(referral_send))
        .route("/referrals/{id}", get(referral))
        .route("/referrals/{id}/details", post(referral_details))
        .route("/referrals/{id}/{step}", post(referral_step))
        .route("/users", get(users).post(users_change))
        .route("/audit", get(audit))
        .route("/leave", get(leave_page).post(leave))
        .merge(super::listings::routes())
}

// ---------------------------------------------------------------- signing in

async fn sign_in_page(State(desk): State<Desk>, headers: HeaderMap) -> Response {
    if super::worker(&desk, &headers).is_some() {
        return Redirect::to("/").into_response();
    }
    sign_in_form(&desk, StatusCode::OK, &[], "")
}

fn sign_in_form(desk: &Desk, status: StatusCode, errors: &[(String, String)], name: &str) -> Response {
    respond(
        status,
        frame(
            desk,
            None,
            &tr!("desk-sign-in"),
            html! {
                (error_summary(errors))
                h1 { (tr!("desk-sign-in")) }
                form method="post" action="/sign-in" novalidate {
                    div.field {
                        label for="name" { (tr!("desk-label-name")) }
                        input #name type="text" name="name" value=(name) dir="auto" autocomplete="username" autocapitalize="none" spellcheck="false";
                    }
                    div.field {
                        label for="password" { (tr!("desk-label-password")) }
                        input #password type="password" name="password" autocomplete="current-password";
                    }
                    button type="submit" { (tr!("desk-sign-in")) }
                }
                p.hint { (tr!("desk-sign-in-hint")) }
            },
        ),
    )
}

async fn sign_in(
    State(desk): State<Desk>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(form): Form<Fields>,
) -> Response {
    let (name, password) = (field(&form, "name").trim().to_lowercase(), field(&form, "password"));
    if !desk.may_try_sign_in(peer.ip()) {
        let errors = [("name".to_owned(), tr!("desk-sign-in-too-many"))];
        return sign_in_form(&desk, StatusCode::TOO_MANY_REQUESTS, &errors, &name);
    }
    let now = kith_proto::time::now_ms();
    match accounts::sign_in(&desk.store, &name, password, now).await {
        Ok(SignIn::Ok(user)) => {
            let secret = secret();
            let session =
                Session { user: user.name.clone(), created_at_ms: now, seen_at_ms: now, csrf: super::secret() };
            if let Err(e) = desk.store.start_session(&secret, &session).await {
                tracing::error!(error = %e, "cannot start a desk session");
                return page_error(
                    &desk,
                    None,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &tr!("desk-sign-in-cannot"),
                    tr!("desk-cannot-write-store"),
                );
            }
            tracing::info!(user = %user.name, "desk: signed in");
            ([(header::SET_COOKIE, desk.cookie(&secret))], Redirect::to("/")).into_response()
        }
        Ok(SignIn::Wrong) => {
            let errors = [("name".to_owned(), tr!("desk-sign-in-wrong"))];
            sign_in_form(&desk, StatusCode::UNAUTHORIZED, &errors, &name)
        }
        Ok(SignIn::Locked { until_ms }) => {
            let _ =
                desk.store.audit(&Actor::Desk(name.clone()), "sign-in refused: too many wrong passwords", &name).await;
            let errors = [("name".to_owned(), tr!("desk-sign-in-locked", when = when(until_ms)))];
            sign_in_form(&desk, StatusCode::TOO_MANY_REQUESTS, &errors, &name)
        }
        Err(e) => {
            tracing::error!(error = %e, "desk: sign-in failed");
            page_error(
                &desk,
                None,
                StatusCode::INTERNAL_SERVER_ERROR,
                &tr!("desk-sign-in-cannot"),
                tr!("desk-sign-in-cannot-check"),
            )
        }
    }
}

async fn sign_out(State(desk): State<Desk>, Posted(w, form): Posted) -> Response {
    let everywhere = field(&form, "everywhere") == "yes";
    let ended = if everywhere {
        desk.store.end_sessions_of(&w.user.name).map(|_| ())
    } else {
        desk.store.end_session(&w.secret).await
    };
    if let Err(e) = ended.and(desk.store.flush().await) {
        tracing::error!(error = %e, "desk: cannot end a session");
    }
    ([(header::SET_COOKIE, desk.cookie(""))], Redirect::to("/sign-in")).into_response()
}

async fn account(State(desk): State<Desk>, w: Worker) -> Response {
    respond(
        StatusCode::OK,
        frame(
            &desk,
            Some(&w),
            &tr!("desk-account"),
            html! {
                h1 { (tr!("desk-account")) }
                dl.details {
                    dt { (tr!("desk-label-name")) } dd { (theirs(&w.user.name)) }
                    dt { (tr!("desk-label-role")) } dd { (role_text(w.user.role)) }
                    dt { (tr!("desk-account-signed-in")) } dd { (when(w.session.created_at_ms)) }
                }
                form method="post" action="/sign-out" { (token(&w)) button type="submit" { (tr!("desk-sign-out")) } }
                form method="post" action="/sign-out" {
                    (token(&w))
                    input type="hidden" name="everywhere" value="yes";
                    button.secondary type="submit" { (tr!("desk-sign-out-everywhere")) }
                    p.hint { (tr!("desk-sign-out-everywhere-hint")) }
                }
            },
        ),
    )
}

// ---------------------------------------------------------------- today

/// How soon a bed count going stale is shown on the front page.
const STALE_SOON_MS: i64 = 2 * 3600 * 1000;
/// Keys older than this are shown to coordinators as due for a change.
const KEYS_DAYS: i64 = 365;
/// A service not confirmed for this many days is shown on the front page.
const UNCONFIRMED_DAYS: i64 = 183;

async fn today(State(desk): State<Desk>, w: Worker) -> Response {
    let now = kith_proto::time::now_ms();
    let today = CivilDate::today_here();
    let houses = live::<SafeHouse>(&desk);
    let beds: Vec<&Record<SafeHouse>> =
        houses.iter().filter(|r| r.item.availability.is_none_or(|a| a.valid_until_ms < now + STALE_SOON_MS)).collect();
    let waiting: Vec<v1::Referral> = list_referrals(&desk, "inbox")
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| matches!(r.status.as_str(), "sent" | "received"))
        .collect();
    let Chores { closing, unconfirmed } = chores(&desk, today);
    let status = desk.admin.status(Request::new(v1::StatusRequest {})).await.map(|r| r.into_inner()).ok();
    respond(
        StatusCode::OK,
        frame(
            &desk,
            Some(&w),
            &tr!("desk-nav-today"),
            html! {
                h1 { (tr!("desk-nav-today")) }
                p { a.button href="/beds" { (tr!("desk-today-update-beds")) } }
                h2 { (tr!("desk-today-beds")) }
                @if houses.is_empty() { p { (tr!("desk-no-safe-houses")) } }
                @else if beds.is_empty() { p { (tr!("desk-today-beds-hold")) } }
                @else {
                    ul.results {
                        @for r in &beds {
                            li {
                                a href="/beds" { (theirs(&r.item.name)) } (tr!("desk-colon"))
                                @match r.item.availability {
                                    None => span.warn { (tr!("desk-beds-never-reported")) },
                                    Some(a) if a.valid_until_ms < now => span.warn { (tr!("desk-beds-stale-since", when = when(a.valid_until_ms))) },
                                    Some(a) => span { (tr!("desk-beds-hold-until", when = when(a.valid_until_ms))) },
                                }
                            }
                        }
                    }
                }
                h2 { (tr!("desk-today-referrals")) }
                @if waiting.is_empty() { p { (tr!("desk-none")) } }
                @else {
                    ul.results {
                        @for r in &waiting {
                            li {
                                a href={ "/referrals/" (r.id) } { (tr!("desk-today-referral-from", hub = r.from_hub.clone(), when = when(r.created_at_ms))) }
                                @if r.answer_by_ms > 0 { " — " (tr!("desk-today-answer-by")) " " strong { (when(r.answer_by_ms)) } }
                            }
                        }
                    }
                }
                h2 { (tr!("desk-today-closing")) }
                @if closing.is_empty() { p { (tr!("desk-today-closing-none")) } }
                @else {
                    ul.results { @for (title, on) in closing.iter() { li { (theirs(title)) (tr!("desk-colon")) (tr!("desk-today-closes", date = kith_words::date_text_in(super::words::lang(), *on))) } } }
                }
                h2 { (tr!("desk-today-services")) }
                @if unconfirmed.is_empty() { p { (tr!("desk-today-services-none")) } }
                @else {
                    p { (tr!("desk-today-services-old")) " " a href="/listings#services" { (tr!("desk-today-services-confirm")) } }
                    ul.results { @for name in unconfirmed.iter() { li { (theirs(name)) } } }
                }
                @if w.is_coordinator() && let Some(since) = desk.keys_since_ms {
                    h2 { (tr!("desk-today-keys")) }
                    @let days = (now - since) / (24 * 3600 * 1000);
                    @if days >= KEYS_DAYS {
                        p.warn { (tr!("desk-today-keys-old", days = days)) }
                    } @else {
                        p { (tr!("desk-today-keys-age", days = days)) }
                    }
                    p.hint { (tr!("desk-today-keys-how")) " " code dir="ltr" { "kith keys rotate" } }
                }
                h2 { (tr!("desk-today-link")) }
                @if let Some(s) = status {
                    dl.details {
                        dt { (tr!("desk-today-connected")) }
                        dd { @if s.nats_connected { span.good { (tr!("desk-yes")) } } @else { span.warn { (tr!("desk-no")) } } }
                        dt { (tr!("desk-today-waiting")) }
                        dd { (s.outbox_pending) }
                        dt { (tr!("desk-today-in-step")) }
                        dd {
                            @match desk.admin.publisher.last_repair() {
                                None => { (tr!("desk-today-in-step-never-asked")) },
                                Some((at, 0)) => { (tr!("desk-today-in-step-checked", when = when(at))) },
                                Some((at, n)) => { (tr!("desk-today-in-step-missed", n = n, when = when(at))) },
                            }
                        }
                        @if !s.last_error.is_empty() { dt { (tr!("desk-today-last-error")) } dd { (english(&s.last_error)) } }
                    }
                }
            },
        ),
    )
}

/// What the front page lists of the hub's listings: opportunities closing this
/// week, services not confirmed for six months.
#[derive(Clone, Debug, Default)]
pub(crate) struct Chores {
    closing: Arc<Vec<(String, CivilDate)>>,
    unconfirmed: Arc<Vec<String>>,
}

/// The chores of `today`, found by reading every listing — once per change of the
/// store (its last sequence number) and day: the page is then served from memory.
fn chores(desk: &Desk, today: CivilDate) -> Chores {
    let seq = desk.store.last_written_seq().unwrap_or(0);
    let mut cache = desk.chores.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((s, d, chores)) = cache.as_ref()
        && *s == seq
        && *d == today
    {
        return chores.clone();
    }
    let week = CivilDate::from(today.to_jiff().saturating_add(jiff::Span::new().days(7)));
    let closing = live::<Opportunity>(desk)
        .into_iter()
        .filter(|r| r.item.status == OpportunityStatus::Open)
        .filter_map(|r| r.item.closes_on.filter(|c| *c >= today && *c <= week).map(|c| (r.item.title, c)))
        .collect();
    let old = CivilDate::from(today.to_jiff().saturating_sub(jiff::Span::new().days(UNCONFIRMED_DAYS)));
    let unconfirmed = live::<Service>(desk)
        .into_iter()
        .filter(|r| r.item.assured_on.is_none_or(|d| d < old))
        .map(|r| r.item.name)
        .collect();
    let chores = Chores { closing: Arc::new(closing), unconfirmed: Arc::new(unconfirmed) };
    *cache = Some((seq, today, chores.clone()));
    chores
}

/// Every live listing of a family.
fn live<T: Listing>(desk: &Desk) -> Vec<Record<T>> {
    desk.store.list::<T>().map(|v| v.into_iter().filter(|r| !r.withdrawn).collect()).unwrap_or_default()
}

async fn list_referrals(desk: &Desk, r#box: &str) -> Result<Vec<v1::Referral>, tonic::Status> {
    let request = v1::ListReferralsRequest { r#box: r#box.to_owned(), limit: 200, ..Default::default() };
    desk.admin.list_referrals(Request::new(request)).await.map(|r| r.into_inner().items)
}

// ---------------------------------------------------------------- beds

/// The most bed buttons a house shows.
const MAX_BED_BUTTONS: u16 = 30;
/// The choices of how long a count holds, in hours; the first default.
const VALID_FOR_HOURS: [u64; 4] = [12, 4, 24, 48];

async fn beds(State(desk): State<Desk>, w: Worker, Query(q): Query<HashMap<String, String>>) -> Response {
    let now = kith_proto::time::now_ms();
    let houses = live::<SafeHouse>(&desk);
    let done = q.get("done").and_then(|id| houses.iter().find(|r| r.item.id.to_string() == *id));
    respond(
        StatusCode::OK,
        frame(
            &desk,
            Some(&w),
            &tr!("desk-nav-beds"),
            html! {
                @if let Some(r) = done {
                    div.notice role="status" {
                        p { strong { (theirs(&r.item.name)) (tr!("desk-colon")) (beds_text(&r.item, now)) } }
                    }
                }
                h1 { (tr!("desk-beds-free-now")) }
                @if houses.is_empty() { p { (tr!("desk-no-safe-houses")) } }
                @for r in &houses {
                    section.house aria-labelledby={ "h-" (r.item.id) } {
                        h2 id={ "h-" (r.item.id) } { (theirs(&r.item.name)) }
                        p.meta {
                            (beds_text(&r.item, now))
                            @if let Some(a) = r.item.availability {
                                " · "
                                @if let Ok(Some(by)) = desk.store.last_audit(&r.item.id.to_string()) {
                                    (tr!("desk-beds-updated-by", when = when(a.updated_at_ms), who = by.actor))
                                } @else {
                                    (tr!("desk-beds-updated", when = when(a.updated_at_ms)))
                                }
                            }
                        }
                        form.beds method="get" action="/beds/confirm" {
                            input type="hidden" name="house" value=(r.item.id);
                            fieldset {
                                legend { (tr!("desk-beds-free-at", house = r.item.name.clone())) }
                                div.bed-buttons {
                                    @for n in 0..=r.item.beds_total.min(MAX_BED_BUTTONS) {
                                        button.bed type="submit" name="beds" value=(n) aria-label=(tr!("desk-beds-n-free", n = n)) { (n) }
                                    }
                                }
                            }
                        }
                    }
                }
            },
        ),
    )
}

/// What the view would say of a house's beds now.
fn beds_text(house: &SafeHouse, now: i64) -> String {
    match house.availability {
        None => tr!("desk-beds-never-reported"),
        Some(a) if a.valid_until_ms < now => tr!("desk-beds-stale-since", when = when(a.valid_until_ms)),
        Some(a) => tr!("desk-beds-free-until", n = a.beds_free, when = when(a.valid_until_ms)),
    }
}

async fn beds_confirm(State(desk): State<Desk>, w: Worker, Query(q): Query<HashMap<String, String>>) -> Response {
    let house = q
        .get("house")
        .and_then(|id| Ulid::from_string(id).ok())
        .and_then(|id| desk.store.get::<SafeHouse>(id).ok().flatten());
    let (Some(house), Some(beds)) = (house.filter(|r| !r.withdrawn), q.get("beds").and_then(|b| b.parse::<u32>().ok()))
    else {
        return page_error(
            &desk,
            Some(&w),
            StatusCode::NOT_FOUND,
            &tr!("desk-no-such-house"),
            tr!("desk-no-such-house-detail"),
        );
    };
    respond(
        StatusCode::OK,
        frame(
            &desk,
            Some(&w),
            &tr!("desk-beds-confirm"),
            html! {
                h1 { (theirs(&house.item.name)) (tr!("desk-colon")) (tr!("desk-beds-n-free-now", n = beds)) }
                form method="post" action="/beds/set" {
                    (token(&w))
                    input type="hidden" name="house" value=(house.item.id);
                    input type="hidden" name="beds" value=(beds);
                    fieldset {
                        legend { (tr!("desk-beds-how-long")) }
                        div.radios {
                            @for (i, h) in VALID_FOR_HOURS.iter().enumerate() {
                                label {
                                    input type="radio" name="valid_for_hours" value=(h) checked[i == 0];
                                    (tr!("desk-beds-hours", n = *h))
                                }
                            }
                        }
                    }
                    button type="submit" { (tr!("desk-confirm")) }
                }
                p { a href="/beds" { (tr!("desk-cancel")) } }
            },
        ),
    )
}

async fn beds_set(State(desk): State<Desk>, Posted(w, form): Posted) -> Response {
    let hours: u64 = field(&form, "valid_for_hours").parse().unwrap_or(VALID_FOR_HOURS[0]);
    let request = v1::SetAvailabilityRequest {
        id: field(&form, "house").to_owned(),
        beds_free: field(&form, "beds").parse().unwrap_or(-1),
        valid_for_secs: hours.saturating_mul(3600),
    };
    match acting(w.actor(), desk.admin.set_availability(Request::new(request))).await {
        Ok(reply) => Redirect::to(&format!("/beds?done={}", reply.into_inner().id)).into_response(),
        Err(status) => {
            page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, &tr!("desk-not-changed"), english(status.message()))
        }
    }
}

// ---------------------------------------------------------------- referrals

async fn referrals(State(desk): State<Desk>, w: Worker) -> Response {
    let (inbox, outbox) = match (list_referrals(&desk, "inbox").await, list_referrals(&desk, "outbox").await) {
        (Ok(i), Ok(o)) => (i, o),
        (Err(e), _) | (_, Err(e)) => {
            return page_error(
                &desk,
                Some(&w),
                StatusCode::SERVICE_UNAVAILABLE,
                &tr!("desk-referrals-cannot-show"),
                english(e.message()),
            );
        }
    };
    let table = |caption: &str, items: &[v1::Referral], other: fn(&v1::Referral) -> &str| {
        html! {
            @if items.is_empty() { p { (tr!("desk-none")) } }
            @else {
                @let (referral, hub, state, by) = (tr!("desk-col-referral"), tr!("desk-col-hub"), tr!("desk-label-status"), tr!("desk-label-answer-by"));
                table {
                    caption.visually-hidden { (caption) }
                    thead { tr { th scope="col" { (referral) } th scope="col" { (hub) } th scope="col" { (state) } th scope="col" { (by) } } }
                    tbody {
                        @for r in items {
                            tr {
                                td data-label=(referral) { a href={ "/referrals/" (r.id) } { (tr!("desk-referral-made", when = when(r.created_at_ms))) } }
                                td data-label=(hub) { (theirs(other(r))) }
                                td data-label=(state) { (referral_status(&r.status)) @if r.erased { " " (tr!("desk-referral-details-erased")) } }
                                td data-label=(by) { @if r.answer_by_ms > 0 && matches!(r.status.as_str(), "sent" | "received") { (when(r.answer_by_ms)) } @else { "—" } }
                            }
                        }
                    }
                }
            }
        }
    };
    respond(
        StatusCode::OK,
        frame(
            &desk,
            Some(&w),
            &tr!("desk-nav-referrals"),
            html! {
                h1 { (tr!("desk-nav-referrals")) }
                p { a.button href="/referrals/new" { (tr!("desk-refer-someone")) } }
                h2 { (tr!("desk-referrals-inbox")) }
                (table(&tr!("desk-referrals-inbox-caption"), &inbox, |r| &r.from_hub))
                h2 { (tr!("desk-referrals-outbox")) }
                (table(&tr!("desk-referrals-outbox-caption"), &outbox, |r| &r.to_hub))
            },
        ),
    )
}

/// The form's fields an error of `SendReferral` can name, as `field: problem`.
const REFERRAL_FIELDS: [(&str, &str); 8] = [
    ("to_hub", "to_hub"),
    ("name", "name"),
    ("contact", "contact"),
    ("needs", "needs"),
    ("notes", "notes"),
    ("consent", "consent"),
    ("safe_house_id", "target"),
    ("opportunity_id", "target"),
];

async fn referral_new(State(desk): State<Desk>, w: Worker) -> Response {
    referral_form(&desk, &w, &Fields::new(), &[])
}

/// The hubs a worker can pick: the region's roster's, and those whose keys are pinned.
fn known_hubs(desk: &Desk) -> Vec<(String, String)> {
    let me = desk.store.identity().hub.clone();
    let mut hubs: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    if let Some(roster) = desk.store.roster() {
        for hub in roster.hubs.keys() {
            let name = roster.names.get(hub).cloned().unwrap_or_else(|| hub.to_string());
            hubs.insert(hub.to_string(), name);
        }
    }
    for (hub, _) in desk.store.peers().unwrap_or_default() {
        hubs.entry(hub.to_string()).or_insert_with(|| hub.to_string());
    }
    hubs.remove(me.as_str());
    hubs.into_iter().collect()
}

fn referral_form(desk: &Desk, w: &Worker, v: &Fields, errors: &[(String, String)]) -> Response {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let hubs = known_hubs(desk);
    let choose = tr!("desk-referral-choose-group");
    let mut options: Vec<(&str, &str)> = vec![("", &choose)];
    options.extend(hubs.iter().map(|(id, name)| (id.as_str(), name.as_str())));
    respond(
        status,
        frame(
            desk,
            Some(w),
            &tr!("desk-refer-someone-title"),
            html! {
                (error_summary(errors))
                h1 { (tr!("desk-refer-someone")) }
                p { (tr!("desk-referral-sealed")) }
                form method="post" action="/referrals/new" novalidate {
                    (token(w))
                    @if hubs.is_empty() {
                        (text_input("to_hub", &tr!("desk-referral-hub-id"), Some(&tr!("desk-referral-hub-id-hint")), field(v, "to_hub"), errors))
                    } @else {
                        (select("to_hub", &tr!("desk-referral-to-group"), &options, field(v, "to_hub"), errors))
                    }
                    (text_input("target", &tr!("desk-referral-target"), Some(&tr!("desk-referral-target-hint")), field(v, "target"), errors))
                    fieldset {
                        legend { (tr!("desk-referral-target-kind")) }
                        div.radios {
                            label { input type="radio" name="target_kind" value="safehouse" checked[field(v, "target_kind") != "opportunity"]; (tr!("desk-referral-kind-safehouse")) }
                            label { input type="radio" name="target_kind" value="opportunity" checked[field(v, "target_kind") == "opportunity"]; (tr!("desk-referral-kind-opportunity")) }
                        }
                    }
                    (text_input("name", &tr!("desk-referral-person-name"), None, field(v, "name"), errors))
                    (text_input("contact", &tr!("desk-referral-contact"), Some(&tr!("desk-referral-contact-hint")), field(v, "contact"), errors))
                    (checkbox("no_contact", &tr!("desk-referral-no-contact"), field(v, "no_contact") == "yes"))
                    (textarea("needs", &tr!("desk-referral-needs"), None, field(v, "needs"), errors))
                    (textarea("notes", &tr!("desk-referral-notes"), None, field(v, "notes"), errors))
                    (textarea("consent", &tr!("desk-referral-consent"), Some(&tr!("desk-referral-consent-hint")), field(v, "consent"), errors))
                    button type="submit" { (tr!("desk-referral-send")) }
                }
            },
        ),
    )
}

async fn referral_send(State(desk): State<Desk>, Posted(w, form): Posted) -> Response {
    let target = field(&form, "target").trim().to_owned();
    let (safe_house_id, opportunity_id) = match field(&form, "target_kind") {
        "opportunity" => (String::new(), target),
        _ => (target, String::new()),
    };
    let request = v1::SendReferralRequest {
        to_hub: field(&form, "to_hub").trim().to_owned(),
        safe_house_id,
        opportunity_id,
        person: Some(v1::Person {
            name: field(&form, "name").to_owned(),
            contact: field(&form, "contact").to_owned(),
            no_contact: field(&form, "no_contact") == "yes",
            needs: field(&form, "needs").to_owned(),
            notes: field(&form, "notes").to_owned(),
            consent: field(&form, "consent").to_owned(),
            consent_recorded_at_ms: 0,
        }),
    };
    if request.to_hub.is_empty() {
        return referral_form(&desk, &w, &form, &[("to_hub".into(), tr!("desk-referral-choose-group-error"))]);
    }
    match acting(w.actor(), desk.admin.send_referral(Request::new(request))).await {
        Ok(reply) => Redirect::to(&format!("/referrals/{}", reply.into_inner().id)).into_response(),
        Err(status) => {
            let message = status.message();
            let id = message
                .split_once(": ")
                .and_then(|(f, _)| REFERRAL_FIELDS.iter().find(|(name, _)| f.trim_start_matches("person.") == *name))
                .map_or("to_hub", |(_, id)| id);
            referral_form(&desk, &w, &form, &[(id.to_owned(), message.to_owned())])
        }
    }
}

async fn referral(State(desk): State<Desk>, w: Worker, Path(id): Path<String>) -> Response {
    referral_page(&desk, &w, &id, false, &[]).await
}

async fn referral_page(desk: &Desk, w: &Worker, id: &str, details: bool, errors: &[(String, String)]) -> Response {
    let r = match desk.admin.get_referral(Request::new(v1::IdRequest { id: id.to_owned() })).await {
        Ok(r) => r.into_inner(),
        Err(e) => {
            return page_error(
                desk,
                Some(w),
                StatusCode::NOT_FOUND,
                &tr!("desk-no-such-referral"),
                english(e.message()),
            );
        }
    };
    switch_to(&format!("/referrals/{}", r.id));
    let inbox = r.r#box == "inbox";
    let open = matches!(r.status.as_str(), "sent" | "received");
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let action = |step: &str| format!("/referrals/{}/{step}", r.id);
    respond(
        status,
        frame(
            desk,
            Some(w),
            &tr!("desk-referral"),
            html! {
                (error_summary(errors))
                h1 {
                    @if inbox { (tr!("desk-referral-from", hub = r.from_hub.clone())) }
                    @else { (tr!("desk-referral-to", hub = r.to_hub.clone())) }
                }
                dl.details {
                    dt { (tr!("desk-label-status")) } dd { (referral_status(&r.status)) }
                    dt { (tr!("desk-referral-made-label")) } dd { (when(r.created_at_ms)) }
                    @if r.answer_by_ms > 0 && open { dt { (tr!("desk-label-answer-by")) } dd { (when(r.answer_by_ms)) } }
                    dt { (tr!("desk-referral-for")) } dd {
                        @match r.target_kind.as_str() {
                            "safehouse" => (tr!("desk-referral-kind-safehouse")),
                            "opportunity" => (tr!("desk-referral-kind-opportunity")),
                            _ => (tr!("desk-referral-kind-hub")),
                        }
                        @if !r.target_id.is_empty() { " " code { (r.target_id) } }
                    }
                }
                h2 { (tr!("desk-referral-person")) }
                @if r.erased { p { (tr!("desk-referral-erased")) } }
                @else if details {
                    @if let Some(p) = &r.person {
                        dl.details {
                            dt { (tr!("desk-label-name")) } dd { (theirs(&p.name)) }
                            dt { (tr!("desk-referral-contact-label")) } dd { @if p.no_contact { strong { (tr!("desk-referral-do-not-contact")) } } @else { (theirs(&p.contact)) } }
                            dt { (tr!("desk-referral-needs-label")) } dd { (theirs(&p.needs)) }
                            dt { (tr!("desk-referral-notes-label")) } dd { (theirs(&p.notes)) }
                            dt { (tr!("desk-referral-consent-label")) } dd { (theirs(&p.consent)) }
                        }
                    } @else { p { (tr!("desk-referral-not-arrived")) } }
                } @else {
                    form method="post" action=(action("details")) {
                        (token(w))
                        button.secondary type="submit" { (tr!("desk-referral-show")) }
                        p.hint { (tr!("desk-referral-show-hint")) }
                    }
                }
                h2 { (tr!("desk-history")) }
                ol {
                    @for s in &r.history {
                        li {
                            (tr!("desk-history-step", status = referral_status(&s.status), by = s.hub.clone(), when = when(s.at_ms)))
                            @if !s.reason.is_empty() { (tr!("desk-colon")) (theirs(&s.reason)) }
                        }
                    }
                }
                h2 { (tr!("desk-answer")) }
                @if inbox && open {
                    form method="post" action=(action("accept")) { (token(w)) button type="submit" { (tr!("desk-referral-accept")) } }
                    form method="post" action=(action("decline")) {
                        (token(w))
                        (text_input("reason", &tr!("desk-referral-decline-reason"), Some(&tr!("desk-referral-decline-reason-hint")), "", errors))
                        button.warning type="submit" { (tr!("desk-referral-decline")) }
                    }
                }
                @if inbox && r.status == "accepted" {
                    form method="post" action=(action("complete")) { (token(w)) button type="submit" { (tr!("desk-referral-complete")) } }
                }
                @if !inbox && !matches!(r.status.as_str(), "declined" | "completed" | "withdrawn" | "expired") {
                    form method="post" action=(action("withdraw")) {
                        (token(w))
                        (text_input("withdraw-reason", &tr!("desk-referral-withdraw-reason"), None, "", errors))
                        button.warning type="submit" { (tr!("desk-withdraw")) }
                    }
                }
                @if !r.erased {
                    (erase_form(w, &action("erase"), &tr!("desk-referral-erase-label"), &tr!("desk-referral-erase")))
                }
                p { a href="/referrals" { (tr!("desk-referrals-all")) } }
            },
        ),
    )
}

async fn referral_details(State(desk): State<Desk>, Path(id): Path<String>, Posted(w, _): Posted) -> Response {
    if let Err(r) = audit_shown(&desk, &w, "details shown", &id).await {
        return r;
    }
    referral_page(&desk, &w, &id, true, &[]).await
}

async fn referral_step(
    State(desk): State<Desk>,
    Path((id, step)): Path<(String, String)>,
    Posted(w, form): Posted,
) -> Response {
    let reason = field(&form, if step == "withdraw" { "withdraw-reason" } else { "reason" }).to_owned();
    let request = || Request::new(v1::ReferralStepRequest { id: id.clone(), reason: reason.clone() });
    let admin = &desk.admin;
    let done = match step.as_str() {
        "accept" => acting(w.actor(), admin.accept_referral(request())).await,
        "decline" if reason.trim().is_empty() => {
            let errors = [("reason".to_owned(), tr!("desk-referral-decline-why"))];
            return referral_page(&desk, &w, &id, false, &errors).await;
        }
        "decline" => acting(w.actor(), admin.decline_referral(request())).await,
        "complete" => acting(w.actor(), admin.complete_referral(request())).await,
        "withdraw" => acting(w.actor(), admin.withdraw_referral(request())).await,
        "erase" if field(&form, "sure") != "yes" => {
            let errors = [("erase".to_owned(), tr!("desk-referral-erase-tick"))];
            return referral_page(&desk, &w, &id, false, &errors).await;
        }
        "erase" => acting(w.actor(), admin.erase_referral(Request::new(v1::IdRequest { id: id.clone() }))).await,
        _ => {
            return page_not_found(&desk, Some(&w), tr!("desk-no-such-answer"));
        }
    };
    match done {
        Ok(_) => Redirect::to(&format!("/referrals/{id}")).into_response(),
        Err(status) => {
            page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, &tr!("desk-not-changed"), english(status.message()))
        }
    }
}

// ---------------------------------------------------------------- coordinators

async fn users(State(desk): State<Desk>, Coordinator(w): Coordinator) -> Response {
    users_page(&desk, &w, None, &[], &Fields::new())
}

fn users_page(
    desk: &Desk,
    w: &Worker,
    told: Option<(String, String)>,
    errors: &[(String, String)],
    values: &Fields,
) -> Response {
    let users = desk.store.desk_users().unwrap_or_default();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    respond(
        status,
        frame(
            desk,
            Some(w),
            &tr!("desk-nav-workers"),
            html! {
                (error_summary(errors))
                @if let Some((name, password)) = told {
                    div.notice role="status" {
                        p { (tr!("desk-users-password-of", name = name)) " " code.password dir="ltr" { (password) } }
                        p { (tr!("desk-users-password-give")) }
                    }
                }
                h1 { (tr!("desk-nav-workers")) }
                @let (name, role, last, change) = (tr!("desk-label-name"), tr!("desk-label-role"), tr!("desk-users-last-signed-in"), tr!("desk-users-change"));
                table {
                    caption.visually-hidden { (tr!("desk-users-caption")) }
                    thead { tr { th scope="col" { (name) } th scope="col" { (role) } th scope="col" { (last) } th scope="col" { (change) } } }
                    tbody {
                        @for u in &users {
                            tr {
                                td data-label=(name) { (theirs(&u.name)) }
                                td data-label=(role) { (role_text(u.role)) }
                                td data-label=(last) { @if let Some(at) = u.signed_in_at_ms { (when(at)) } @else { (tr!("desk-never")) } }
                                td data-label=(change) {
                                    form.inline method="post" action="/users" {
                                        (token(w))
                                        input type="hidden" name="name" value=(u.name);
                                        button.secondary type="submit" name="do" value="reset" { (tr!("desk-users-new-password")) span.visually-hidden { " " (theirs(&u.name)) } }
                                        " "
                                        @if u.name != w.user.name {
                                            button.warning type="submit" name="do" value="remove" { (tr!("desk-users-remove")) span.visually-hidden { " " (theirs(&u.name)) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                h2 { (tr!("desk-users-add")) }
                form method="post" action="/users" novalidate {
                    (token(w))
                    input type="hidden" name="do" value="add";
                    (text_input("new-name", &name, Some(&tr!("desk-users-name-hint")), field(values, "new-name"), errors))
                    fieldset {
                        legend { (role) }
                        div.radios {
                            label { input type="radio" name="role" value="worker" checked[!matches!(field(values, "role"), "coordinator" | "member")]; (tr!("desk-users-role-worker")) }
                            label { input type="radio" name="role" value="coordinator" checked[field(values, "role") == "coordinator"]; (tr!("desk-users-role-coordinator")) }
                            label { input type="radio" name="role" value="member" checked[field(values, "role") == "member"]; (tr!("desk-users-role-member")) }
                        }
                    }
                    button type="submit" { (tr!("desk-add")) }
                }
            },
        ),
    )
}

async fn users_change(State(desk): State<Desk>, Posted(Coordinator(w), form): Posted<Coordinator>) -> Response {
    let actor = w.actor();
    let name = field(&form, "name");
    let outcome = match field(&form, "do") {
        "add" => acting(actor, accounts::add(&desk.store, field(&form, "new-name"), field(&form, "role")))
            .await
            .map(|(u, p)| Some((u.name, p))),
        "reset" => acting(actor, accounts::reset(&desk.store, name)).await.map(|(u, p)| Some((u.name, p))),
        "remove" if name == w.user.name => {
            Err(accounts::AccountError::Name("you cannot remove your own account".into()))
        }
        "remove" => acting(actor, accounts::remove(&desk.store, name)).await.map(|()| None),
        _ => {
            return page_error(
                &desk,
                Some(&w),
                StatusCode::BAD_REQUEST,
                &tr!("desk-not-changed"),
                tr!("desk-unknown-change"),
            );
        }
    };
    match outcome {
        Ok(told) => users_page(&desk, &w, told, &[], &Fields::new()),
        Err(e) => {
            let id = if field(&form, "do") == "add" { "new-name" } else { "name" };
            let message = account_error(&e, field(&form, id));
            users_page(&desk, &w, None, &[(id.to_owned(), message)], &form)
        }
    }
}

/// Audit entries on a page.
const AUDIT_PAGE: usize = 200;

async fn audit(
    State(desk): State<Desk>,
    Coordinator(w): Coordinator,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let before = q.get("before").and_then(|b| b.parse::<i64>().ok());
    let entries = desk.store.audit_log(AUDIT_PAGE, before).unwrap_or_default();
    respond(
        StatusCode::OK,
        frame(
            &desk,
            Some(&w),
            &tr!("desk-nav-audit"),
            html! {
                h1 { (tr!("desk-nav-audit")) }
                p { (tr!("desk-audit-intro")) }
                @let (at, who, what, about) = (tr!("desk-audit-when"), tr!("desk-audit-who"), tr!("desk-audit-what"), tr!("desk-audit-about"));
                table {
                    caption.visually-hidden { (tr!("desk-audit-caption")) }
                    thead { tr { th scope="col" { (at) } th scope="col" { (who) } th scope="col" { (what) } th scope="col" { (about) } } }
                    tbody {
                        @for e in &entries {
                            tr {
                                td data-label=(at) { (when(e.at_ms)) }
                                td data-label=(who) { (theirs(&e.actor)) }
                                td data-label=(what) { (english(&e.action)) }
                                td data-label=(about) { (theirs(&e.about)) }
                            }
                        }
                    }
                }
                @if entries.len() == AUDIT_PAGE {
                    @if let Some(last) = entries.last() { p { a href={ "/audit?before=" (last.at_ms) } { (tr!("desk-older")) } } }
                }
            },
        ),
    )
}

async fn leave_page(State(desk): State<Desk>, Coordinator(w): Coordinator) -> Response {
    leave_form(&desk, &w, &[])
}

fn leave_form(desk: &Desk, w: &Worker, errors: &[(String, String)]) -> Response {
    let hub = desk.store.identity().hub.to_string();
    let left = desk.store.has_left().unwrap_or(false);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    respond(
        status,
        frame(
            desk,
            Some(w),
            &tr!("desk-nav-leave"),
            html! {
                (error_summary(errors))
                h1 { (tr!("desk-nav-leave")) }
                @if left {
                    p { (tr!("desk-leave-left")) }
                } @else {
                    p { (tr!("desk-leave-what")) }
                    p { (tr!("desk-leave-referrals")) }
                    form method="post" action="/leave" novalidate {
                        (token(w))
                        (text_input("confirm", &tr!("desk-leave-confirm"), Some(&tr!("desk-leave-confirm-hint", hub = hub)), "", errors))
                        button.warning type="submit" { (tr!("desk-nav-leave")) }
                    }
                }
            },
        ),
    )
}

async fn leave(State(desk): State<Desk>, Posted(Coordinator(w), form): Posted<Coordinator>) -> Response {
    let hub = desk.store.identity().hub.to_string();
    if field(&form, "confirm").trim() != hub {
        return leave_form(&desk, &w, &[("confirm".into(), tr!("desk-leave-type", hub = hub))]);
    }
    match acting(w.actor(), desk.admin.withdraw_all(Request::new(v1::WithdrawAllRequest {}))).await {
        Ok(_) => leave_form(&desk, &w, &[]),
        Err(status) => {
            page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, &tr!("desk-not-done"), english(status.message()))
        }
    }
}

/// Records that `w` was shown what a person wrote (`what`, about `id`) before it is
/// shown; a page saying it was not shown when the audit log cannot be written.
pub(super) async fn audit_shown(desk: &Desk, w: &Worker, what: &str, id: &str) -> Result<(), Response> {
    desk.store.audit(&w.actor(), what, id).await.map_err(|e| {
        tracing::error!(error = %e, "desk: cannot audit");
        page_error(
            desk,
            Some(w),
            StatusCode::INTERNAL_SERVER_ERROR,
            &tr!("desk-not-shown"),
            tr!("desk-cannot-write-audit"),
        )
    })
}

/// A desk account's role in words.
pub(super) fn role_text(role: crate::store::Role) -> String {
    use crate::store::Role;
    match role {
        Role::Coordinator => tr!("desk-role-coordinator"),
        Role::Worker => tr!("desk-role-worker"),
        Role::Member => tr!("desk-role-member"),
    }
}

/// Where a referral stands, in words (a status the desk does not know as it came).
fn referral_status(status: &str) -> String {
    match status {
        "sent" => tr!("desk-referral-status-sent"),
        "received" => tr!("desk-referral-status-received"),
        "accepted" => tr!("desk-referral-status-accepted"),
        "declined" => tr!("desk-referral-status-declined"),
        "completed" => tr!("desk-referral-status-completed"),
        "withdrawn" => tr!("desk-referral-status-withdrawn"),
        "expired" => tr!("desk-referral-status-expired"),
        other => other.to_owned(),
    }
}

/// What is wrong with an account change, in words.
fn account_error(e: &accounts::AccountError, typed: &str) -> String {
    use accounts::AccountError;
    match e {
        // Said again from the name typed: the error's own words are English.
        AccountError::Name(_) => {
            let typed = typed.trim();
            match typed.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(*c))) {
                _ if typed.is_empty() => tr!("desk-account-error-name-empty"),
                _ if typed.chars().count() > accounts::MAX_NAME => {
                    tr!("desk-account-error-name-long", n = accounts::MAX_NAME)
                }
                Some(c) => tr!("desk-account-error-name-letter", letter = c.to_string()),
                None => tr!("desk-account-error-name-own"),
            }
        }
        AccountError::Role(role) => tr!("desk-account-error-role", role = role.clone()),
        AccountError::Exists(name) => tr!("desk-account-error-exists", name = name.clone()),
        AccountError::Unknown(name) => tr!("desk-account-error-unknown", name = name.clone()),
        AccountError::LastCoordinator(name) => tr!("desk-account-error-last-coordinator", name = name.clone()),
        other => other.to_string(),
    }
}
