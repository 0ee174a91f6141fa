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
use super::{Coordinator, Desk, Posted, Worker, frame, page_error, respond, secret};
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
            "Sign in",
            html! {
                (error_summary(errors))
                h1 { "Sign in" }
                form method="post" action="/sign-in" novalidate {
                    div.field {
                        label for="name" { "Name" }
                        input #name type="text" name="name" value=(name) autocomplete="username" autocapitalize="none" spellcheck="false";
                    }
                    div.field {
                        label for="password" { "Password" }
                        input #password type="password" name="password" autocomplete="current-password";
                    }
                    button type="submit" { "Sign in" }
                }
                p.hint { "No account, or forgotten your password? Ask a coordinator of your group." }
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
        let errors =
            [("name".to_owned(), "Too many sign-in attempts from here: wait a minute and try again".to_owned())];
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
                    "Cannot sign in",
                    "The hub cannot write to its store.",
                );
            }
            tracing::info!(user = %user.name, "desk: signed in");
            ([(header::SET_COOKIE, desk.cookie(&secret))], Redirect::to("/")).into_response()
        }
        Ok(SignIn::Wrong) => {
            let errors = [("name".to_owned(), "The name or the password is wrong".to_owned())];
            sign_in_form(&desk, StatusCode::UNAUTHORIZED, &errors, &name)
        }
        Ok(SignIn::Locked { until_ms }) => {
            let _ =
                desk.store.audit(&Actor::Desk(name.clone()), "sign-in refused: too many wrong passwords", &name).await;
            let errors = [(
                "name".to_owned(),
                format!("Too many wrong passwords: this account can sign in again {}", when(until_ms)),
            )];
            sign_in_form(&desk, StatusCode::TOO_MANY_REQUESTS, &errors, &name)
        }
        Err(e) => {
            tracing::error!(error = %e, "desk: sign-in failed");
            page_error(
                &desk,
                None,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Cannot sign in",
                "The hub could not check the password.",
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
            "Your account",
            html! {
                h1 { "Your account" }
                dl.details {
                    dt { "Name" } dd { (w.user.name) }
                    dt { "Role" } dd { (w.user.role.as_str()) }
                    dt { "Signed in" } dd { (when(w.session.created_at_ms)) }
                }
                form method="post" action="/sign-out" { (token(&w)) button type="submit" { "Sign out" } }
                form method="post" action="/sign-out" {
                    (token(&w))
                    input type="hidden" name="everywhere" value="yes";
                    button.secondary type="submit" { "Sign out everywhere" }
                    p.hint { "Ends every session of your account, on every device." }
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
            "Today",
            html! {
                h1 { "Today" }
                p { a.button href="/beds" { "Update beds" } }
                h2 { "Beds to update" }
                @if houses.is_empty() { p { "This hub lists no safe houses." } }
                @else if beds.is_empty() { p { "Every house's count holds for at least two more hours." } }
                @else {
                    ul.results {
                        @for r in &beds {
                            li {
                                a href="/beds" { (r.item.name) } ": "
                                @match r.item.availability {
                                    None => span.warn { "never reported" },
                                    Some(a) if a.valid_until_ms < now => span.warn { "stale since " (when(a.valid_until_ms)) },
                                    Some(a) => span { "holds until " (when(a.valid_until_ms)) },
                                }
                            }
                        }
                    }
                }
                h2 { "Referrals waiting for an answer" }
                @if waiting.is_empty() { p { "None." } }
                @else {
                    ul.results {
                        @for r in &waiting {
                            li {
                                a href={ "/referrals/" (r.id) } { "From " (r.from_hub) ", " (when(r.created_at_ms)) }
                                @if r.answer_by_ms > 0 { " — answer by " strong { (when(r.answer_by_ms)) } }
                            }
                        }
                    }
                }
                h2 { "Closing this week" }
                @if closing.is_empty() { p { "No opportunity closes this week." } }
                @else {
                    ul.results { @for (title, on) in closing.iter() { li { (title) ": closes " (kith_words::date_text(*on)) } } }
                }
                h2 { "Services to check" }
                @if unconfirmed.is_empty() { p { "Every service was confirmed in the last six months." } }
                @else {
                    p { "Not confirmed for six months: are they still right? Confirm them on " a href="/listings#services" { "Listings" } "." }
                    ul.results { @for name in unconfirmed.iter() { li { (name) } } }
                }
                @if w.is_coordinator() && let Some(since) = desk.keys_since_ms {
                    h2 { "This hub's keys" }
                    @let days = (now - since) / (24 * 3600 * 1000);
                    @if days >= KEYS_DAYS {
                        p.warn { "Made or last changed " (days) " days ago: change them (once a year, and whenever someone who held them leaves)." }
                    } @else {
                        p { "Made or last changed " (days) " days ago." }
                    }
                    p.hint { "To change them: stop the hub, run " code { "kith keys rotate" } " on its machine, start it again. The region follows." }
                }
                h2 { "Link to the region" }
                @if let Some(s) = status {
                    dl.details {
                        dt { "Connected" }
                        dd { @if s.nats_connected { span.good { "Yes" } } @else { span.warn { "No" } } }
                        dt { "Waiting to be published" }
                        dd { (s.outbox_pending) }
                        dt { "In step with the relays" }
                        dd {
                            @match desk.admin.publisher.last_repair() {
                                None => { "Yes: no relay has asked for anything again since the hub started" },
                                Some((at, 0)) => { "Yes: a relay last checked " (when(at)) " and missed nothing" },
                                Some((at, n)) => { "A relay missed " (kith_words::count(n as usize, "listing", "listings")) ", published again " (when(at)) "; the next heartbeat shows whether it is in step" },
                            }
                        }
                        @if !s.last_error.is_empty() { dt { "Last error" } dd { (s.last_error) } }
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
            "Beds",
            html! {
                @if let Some(r) = done {
                    div.notice role="status" {
                        p { strong { (r.item.name) ": " (beds_text(&r.item, now)) } }
                    }
                }
                h1 { "Beds free now" }
                @if houses.is_empty() { p { "This hub lists no safe houses." } }
                @for r in &houses {
                    section.house aria-labelledby={ "h-" (r.item.id) } {
                        h2 id={ "h-" (r.item.id) } { (r.item.name) }
                        p.meta {
                            (beds_text(&r.item, now))
                            @if let Some(a) = r.item.availability {
                                " · updated " (when(a.updated_at_ms))
                                @if let Ok(Some(by)) = desk.store.last_audit(&r.item.id.to_string()) { " by " (by.actor) }
                            }
                        }
                        form.beds method="get" action="/beds/confirm" {
                            input type="hidden" name="house" value=(r.item.id);
                            fieldset {
                                legend { "Beds free now at " (r.item.name) }
                                div.bed-buttons {
                                    @for n in 0..=r.item.beds_total.min(MAX_BED_BUTTONS) {
                                        button.bed type="submit" name="beds" value=(n) aria-label={ (kith_words::count(n as usize, "bed", "beds")) " free" } { (n) }
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
        None => "never reported".into(),
        Some(a) if a.valid_until_ms < now => format!("stale since {}", when(a.valid_until_ms)),
        Some(a) => {
            format!("{} free until {}", kith_words::count(a.beds_free as usize, "bed", "beds"), when(a.valid_until_ms))
        }
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
            "No such house",
            "Choose a house and a number on the beds page.",
        );
    };
    respond(
        StatusCode::OK,
        frame(
            &desk,
            Some(&w),
            "Confirm beds",
            html! {
                h1 { (house.item.name) ": " (kith_words::count(beds as usize, "bed", "beds")) " free now" }
                form method="post" action="/beds/set" {
                    (token(&w))
                    input type="hidden" name="house" value=(house.item.id);
                    input type="hidden" name="beds" value=(beds);
                    fieldset {
                        legend { "For how long does this hold?" }
                        div.radios {
                            @for (i, h) in VALID_FOR_HOURS.iter().enumerate() {
                                label {
                                    input type="radio" name="valid_for_hours" value=(h) checked[i == 0];
                                    (h) " hours"
                                }
                            }
                        }
                    }
                    button type="submit" { "Confirm" }
                }
                p { a href="/beds" { "Cancel" } }
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
        Err(status) => page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, "Not changed", status.message()),
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
                "Referrals cannot be shown",
                e.message(),
            );
        }
    };
    let table = |caption: &str, items: &[v1::Referral], other: fn(&v1::Referral) -> &str| {
        html! {
            @if items.is_empty() { p { "None." } }
            @else {
                table {
                    caption.visually-hidden { (caption) }
                    thead { tr { th scope="col" { "Referral" } th scope="col" { "Hub" } th scope="col" { "Status" } th scope="col" { "Answer by" } } }
                    tbody {
                        @for r in items {
                            tr {
                                td data-label="Referral" { a href={ "/referrals/" (r.id) } { "Made " (when(r.created_at_ms)) } }
                                td data-label="Hub" { (other(r)) }
                                td data-label="Status" { (r.status) @if r.erased { " (details erased)" } }
                                td data-label="Answer by" { @if r.answer_by_ms > 0 && matches!(r.status.as_str(), "sent" | "received") { (when(r.answer_by_ms)) } @else { "—" } }
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
            "Referrals",
            html! {
                h1 { "Referrals" }
                p { a.button href="/referrals/new" { "Refer someone to another group" } }
                h2 { "Inbox: referred to this group" }
                (table("Referrals to this group", &inbox, |r| &r.from_hub))
                h2 { "Outbox: referred by this group" }
                (table("Referrals by this group", &outbox, |r| &r.to_hub))
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
    let mut options: Vec<(&str, &str)> = vec![("", "Choose a group")];
    options.extend(hubs.iter().map(|(id, name)| (id.as_str(), name.as_str())));
    respond(
        status,
        frame(
            desk,
            Some(w),
            "Refer someone",
            html! {
                (error_summary(errors))
                h1 { "Refer someone to another group" }
                p { "What you write about the person is sealed to the other group before it leaves this hub, and reaches no one else." }
                form method="post" action="/referrals/new" novalidate {
                    (token(w))
                    @if hubs.is_empty() {
                        (text_input("to_hub", "The group's hub id", Some("As the region lists it, e.g. rainbow-crisis-house"), field(v, "to_hub"), errors))
                    } @else {
                        (select("to_hub", "To which group", &options, field(v, "to_hub"), errors))
                    }
                    (text_input("target", "A safe house or opportunity of theirs (optional)", Some("Its id, from the region's board; leave empty to refer to the group itself"), field(v, "target"), errors))
                    fieldset {
                        legend { "What kind of listing that is" }
                        div.radios {
                            label { input type="radio" name="target_kind" value="safehouse" checked[field(v, "target_kind") != "opportunity"]; "A safe house" }
                            label { input type="radio" name="target_kind" value="opportunity" checked[field(v, "target_kind") == "opportunity"]; "An opportunity" }
                        }
                    }
                    (text_input("name", "The person's name or initials", None, field(v, "name"), errors))
                    (text_input("contact", "How to contact them", Some("A phone number or email, and when"), field(v, "contact"), errors))
                    (checkbox("no_contact", "They do not want to be contacted", field(v, "no_contact") == "yes"))
                    (textarea("needs", "What they need", None, field(v, "needs"), errors))
                    (textarea("notes", "Notes (optional)", None, field(v, "notes"), errors))
                    (textarea("consent", "Their consent", Some("How they agreed to this referral, when, and who recorded it"), field(v, "consent"), errors))
                    button type="submit" { "Send the referral" }
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
        return referral_form(&desk, &w, &form, &[("to_hub".into(), "Choose the group to refer to".into())]);
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
        Err(e) => return page_error(desk, Some(w), StatusCode::NOT_FOUND, "No such referral", e.message()),
    };
    let inbox = r.r#box == "inbox";
    let open = matches!(r.status.as_str(), "sent" | "received");
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let action = |step: &str| format!("/referrals/{}/{step}", r.id);
    respond(
        status,
        frame(
            desk,
            Some(w),
            "Referral",
            html! {
                (error_summary(errors))
                h1 { @if inbox { "Referral from " (r.from_hub) } @else { "Referral to " (r.to_hub) } }
                dl.details {
                    dt { "Status" } dd { (r.status) }
                    dt { "Made" } dd { (when(r.created_at_ms)) }
                    @if r.answer_by_ms > 0 && open { dt { "Answer by" } dd { (when(r.answer_by_ms)) } }
                    dt { "For" } dd { (r.target_kind) @if !r.target_id.is_empty() { " " (r.target_id) } }
                }
                h2 { "The person" }
                @if r.erased { p { "Their details have been erased." } }
                @else if details {
                    @if let Some(p) = &r.person {
                        dl.details {
                            dt { "Name" } dd { (p.name) }
                            dt { "Contact" } dd { @if p.no_contact { strong { "Do not contact" } } @else { (p.contact) } }
                            dt { "Needs" } dd { (p.needs) }
                            dt { "Notes" } dd { (p.notes) }
                            dt { "Consent" } dd { (p.consent) }
                        }
                    } @else { p { "Their details have not arrived yet." } }
                } @else {
                    form method="post" action=(action("details")) {
                        (token(w))
                        button.secondary type="submit" { "Show details" }
                        p.hint { "Showing them is recorded in the audit log." }
                    }
                }
                h2 { "History" }
                ol {
                    @for s in &r.history {
                        li { (s.status) " by " (s.hub) ", " (when(s.at_ms)) @if !s.reason.is_empty() { ": " (s.reason) } }
                    }
                }
                h2 { "Answer" }
                @if inbox && open {
                    form method="post" action=(action("accept")) { (token(w)) button type="submit" { "Accept" } }
                    form method="post" action=(action("decline")) {
                        (token(w))
                        (text_input("reason", "Reason for declining", Some("Sent to the referring group, sealed."), "", errors))
                        button.warning type="submit" { "Decline" }
                    }
                }
                @if inbox && r.status == "accepted" {
                    form method="post" action=(action("complete")) { (token(w)) button type="submit" { "Mark as completed" } }
                }
                @if !inbox && !matches!(r.status.as_str(), "declined" | "completed" | "withdrawn" | "expired") {
                    form method="post" action=(action("withdraw")) {
                        (token(w))
                        (text_input("withdraw-reason", "Reason for withdrawing (optional)", None, "", errors))
                        button.warning type="submit" { "Withdraw" }
                    }
                }
                @if !r.erased {
                    (erase_form(w, &action("erase"), "Erase this person's details for good, at both groups", "Erase details"))
                }
                p { a href="/referrals" { "All referrals" } }
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
            let errors = [("reason".to_owned(), "Say why you are declining: the referring group is told".to_owned())];
            return referral_page(&desk, &w, &id, false, &errors).await;
        }
        "decline" => acting(w.actor(), admin.decline_referral(request())).await,
        "complete" => acting(w.actor(), admin.complete_referral(request())).await,
        "withdraw" => acting(w.actor(), admin.withdraw_referral(request())).await,
        "erase" if field(&form, "sure") != "yes" => {
            let errors = [("erase".to_owned(), "Tick the box to erase the details: it cannot be undone".to_owned())];
            return referral_page(&desk, &w, &id, false, &errors).await;
        }
        "erase" => acting(w.actor(), admin.erase_referral(Request::new(v1::IdRequest { id: id.clone() }))).await,
        _ => return page_error(&desk, Some(&w), StatusCode::NOT_FOUND, "Page not found", "There is no such answer."),
    };
    match done {
        Ok(_) => Redirect::to(&format!("/referrals/{id}")).into_response(),
        Err(status) => page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, "Not changed", status.message()),
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
            "Workers",
            html! {
                (error_summary(errors))
                @if let Some((name, password)) = told {
                    div.notice role="status" {
                        p { "The password of " strong { (name) } " is " code.password { (password) } }
                        p { "Give it to them in person. It is not shown again." }
                    }
                }
                h1 { "Workers" }
                table {
                    caption.visually-hidden { "The desk's accounts" }
                    thead { tr { th scope="col" { "Name" } th scope="col" { "Role" } th scope="col" { "Last signed in" } th scope="col" { "Change" } } }
                    tbody {
                        @for u in &users {
                            tr {
                                td data-label="Name" { (u.name) }
                                td data-label="Role" { (u.role.as_str()) }
                                td data-label="Last signed in" { @if let Some(at) = u.signed_in_at_ms { (when(at)) } @else { "never" } }
                                td data-label="Change" {
                                    form.inline method="post" action="/users" {
                                        (token(w))
                                        input type="hidden" name="name" value=(u.name);
                                        button.secondary type="submit" name="do" value="reset" { "New password" span.visually-hidden { " for " (u.name) } }
                                        " "
                                        @if u.name != w.user.name {
                                            button.warning type="submit" name="do" value="remove" { "Remove" span.visually-hidden { " " (u.name) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                h2 { "Add a worker" }
                form method="post" action="/users" novalidate {
                    (token(w))
                    input type="hidden" name="do" value="add";
                    (text_input("new-name", "Name", Some("Lowercase letters, digits, '.', '-' or '_', e.g. sam.k"), field(values, "new-name"), errors))
                    fieldset {
                        legend { "Role" }
                        div.radios {
                            label { input type="radio" name="role" value="worker" checked[!matches!(field(values, "role"), "coordinator" | "member")]; "Worker: listings, beds and referrals" }
                            label { input type="radio" name="role" value="coordinator" checked[field(values, "role") == "coordinator"]; "Coordinator: also workers' accounts and the audit log" }
                            label { input type="radio" name="role" value="member" checked[field(values, "role") == "member"]; "Member of the pool: their own offers of work and earnings only" }
                        }
                    }
                    button type="submit" { "Add" }
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
        _ => return page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, "Not changed", "Unknown change."),
    };
    match outcome {
        Ok(told) => users_page(&desk, &w, told, &[], &Fields::new()),
        Err(e) => {
            let id = if field(&form, "do") == "add" { "new-name" } else { "name" };
            let message = e.to_string();
            let message = message.strip_prefix("name: ").map_or(message.clone(), |m| format!("Name: {m}"));
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
            "Audit log",
            html! {
                h1 { "Audit log" }
                p { "Every change made through the desk or with " code { "kith" } " on this hub: who, when, what. It stays on this hub." }
                table {
                    caption.visually-hidden { "Changes, newest first" }
                    thead { tr { th scope="col" { "When" } th scope="col" { "Who" } th scope="col" { "What" } th scope="col" { "About" } } }
                    tbody {
                        @for e in &entries {
                            tr {
                                td data-label="When" { (when(e.at_ms)) }
                                td data-label="Who" { (e.actor) }
                                td data-label="What" { (e.action) }
                                td data-label="About" { (e.about) }
                            }
                        }
                    }
                }
                @if entries.len() == AUDIT_PAGE {
                    @if let Some(last) = entries.last() { p { a href={ "/audit?before=" (last.at_ms) } { "Older" } } }
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
            "Leave the region",
            html! {
                (error_summary(errors))
                h1 { "Leave the region" }
                @if left {
                    p { "This hub has left the region: its listings are withdrawn everywhere." }
                } @else {
                    p { "Every listing of this hub is withdrawn from the region's board, directory and open data, and other groups can no longer refer people to it. It cannot be undone: to come back, the region's coordinator adds the group again." }
                    p { "Referrals already made go on: you can still answer and close them." }
                    form method="post" action="/leave" novalidate {
                        (token(w))
                        (text_input("confirm", "To confirm, type this hub's id", Some(&format!("It is {hub}")), "", errors))
                        button.warning type="submit" { "Leave the region" }
                    }
                }
            },
        ),
    )
}

async fn leave(State(desk): State<Desk>, Posted(Coordinator(w), form): Posted<Coordinator>) -> Response {
    let hub = desk.store.identity().hub.to_string();
    if field(&form, "confirm").trim() != hub {
        return leave_form(&desk, &w, &[("confirm".into(), format!("Type {hub} to confirm"))]);
    }
    match acting(w.actor(), desk.admin.withdraw_all(Request::new(v1::WithdrawAllRequest {}))).await {
        Ok(_) => leave_form(&desk, &w, &[]),
        Err(status) => page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, "Not done", status.message()),
    }
}

/// Records that `w` was shown what a person wrote (`what`, about `id`) before it is
/// shown; a page saying it was not shown when the audit log cannot be written.
pub(super) async fn audit_shown(desk: &Desk, w: &Worker, what: &str, id: &str) -> Result<(), Response> {
    desk.store.audit(&w.actor(), what, id).await.map_err(|e| {
        tracing::error!(error = %e, "desk: cannot audit");
        page_error(desk, Some(w), StatusCode::INTERNAL_SERVER_ERROR, "Not shown", "The hub cannot write its audit log.")
    })
}
