//! The desk's asks: people who asked about the group's listings on the region's
//! board. The list says what each is about and where it stands; what the person
//! wrote is shown on its own page after a button press, which the audit log
//! records, as a referral's details are. A worker marks an ask contacted or closed
//! (the person's status page follows) and can erase what the person wrote.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::html;
use tonic::Request;

use kith_proto::v1::{self, hub_admin_server::HubAdmin};

use super::form::{erase_form, error_summary, field, token, when};
use super::words::{english, switch_to, theirs, tr};
use super::{Desk, Posted, Worker, frame, page_error, page_not_found, respond};
use crate::store::acting;

pub(super) fn routes() -> Router<Desk> {
    Router::new()
        .route("/asks", get(list))
        .route("/asks/{id}", get(one))
        .route("/asks/{id}/details", post(details))
        .route("/asks/{id}/{step}", post(step))
}

fn how_text(c: &v1::AskContent) -> String {
    let how = match c.how.as_str() {
        "phone" => tr!("desk-ask-how-phone", reach = c.reach.clone()),
        "text" => tr!("desk-ask-how-text", reach = c.reach.clone()),
        "email" => tr!("desk-ask-how-email", reach = c.reach.clone()),
        _ => return tr!("desk-ask-how-none"),
    };
    if c.when.is_empty() { how } else { tr!("desk-ask-how-when", how = how, when = c.when.clone()) }
}

async fn list(State(desk): State<Desk>, w: Worker) -> Response {
    let request = Request::new(v1::ListAsksRequest { status: String::new(), limit: 200, after: String::new() });
    let asks = match desk.admin.list_asks(request).await {
        Ok(list) => list.into_inner().items,
        Err(e) => {
            let title = tr!("desk-asks-cannot-show");
            return page_error(&desk, Some(&w), StatusCode::SERVICE_UNAVAILABLE, &title, english(e.message()));
        }
    };
    let policy =
        desk.admin.set_ask_policy(Request::new(v1::SetAskPolicyRequest::default())).await.ok().map(|p| p.into_inner());
    respond(
        StatusCode::OK,
        frame(
            &desk,
            Some(&w),
            &tr!("desk-nav-asks"),
            html! {
                h1 { (tr!("desk-nav-asks")) }
                p { (tr!("desk-asks-intro")) }
                @if let Some(p) = &policy {
                    @if !p.open {
                        p.warn { @if p.relays.is_empty() { (tr!("desk-asks-no-relay")) " " code dir="ltr" { "ask_relays" } } @else { (tr!("desk-asks-paused")) } }
                    } @else {
                        p.meta { (tr!("desk-asks-taken-today", n = p.taken_today, cap = p.daily_cap)) }
                    }
                }
                @if asks.is_empty() { p { (tr!("desk-none-yet")) } }
                @else {
                    @let (ask, about, reference, state) = (tr!("desk-col-ask"), tr!("desk-col-about"), tr!("desk-label-reference"), tr!("desk-label-status"));
                    table {
                        caption.visually-hidden { (tr!("desk-asks-caption")) }
                        thead { tr { th scope="col" { (ask) } th scope="col" { (about) } th scope="col" { (reference) } th scope="col" { (state) } } }
                        tbody {
                            @for a in &asks {
                                tr {
                                    td data-label=(ask) { a href={ "/asks/" (a.id) } { (tr!("desk-ask-sent", when = when(a.received_at_ms))) } }
                                    td data-label=(about) { (theirs(&a.listing_title)) }
                                    td data-label=(reference) { code { (a.reference) } }
                                    td data-label=(state) { (ask_status(&a.status)) @if a.erased { " " (tr!("desk-ask-erased-mark")) } }
                                }
                            }
                        }
                    }
                }
            },
        ),
    )
}

async fn one(State(desk): State<Desk>, w: Worker, Path(id): Path<String>) -> Response {
    page(&desk, &w, &id, false, &[]).await
}

async fn page(desk: &Desk, w: &Worker, id: &str, details: bool, errors: &[(String, String)]) -> Response {
    let a = match desk.admin.get_ask(Request::new(v1::IdRequest { id: id.to_owned() })).await {
        Ok(a) => a.into_inner(),
        Err(e) => {
            return page_error(desk, Some(w), StatusCode::NOT_FOUND, &tr!("desk-no-such-ask"), english(e.message()));
        }
    };
    switch_to(&format!("/asks/{}", a.id));
    let action = |step: &str| format!("/asks/{}/{step}", a.id);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    respond(
        status,
        frame(
            desk,
            Some(w),
            &tr!("desk-ask"),
            html! {
                (error_summary(errors))
                h1 { (tr!("desk-ask-about", listing = if a.listing_title.is_empty() { a.listing_id.clone() } else { a.listing_title.clone() })) }
                dl.details {
                    dt { (tr!("desk-label-reference")) } dd { strong { code { (a.reference) } } }
                    dt { (tr!("desk-label-status")) } dd { (ask_status(&a.status)) }
                    dt { (tr!("desk-ask-sent-label")) } dd { (when(a.received_at_ms)) }
                    dt { (tr!("desk-ask-through")) } dd { (tr!("desk-ask-through-relay", relay = a.relay.clone())) }
                }
                h2 { (tr!("desk-ask-what-they-wrote")) }
                @if a.status == "not-taken" { p { (tr!("desk-ask-not-taken")) } }
                @else if a.erased { p { (tr!("desk-ask-erased")) } }
                @else if details {
                    @if let Some(c) = &a.content {
                        dl.details {
                            dt { (tr!("desk-label-name")) } dd { (theirs(&c.name)) }
                            dt { (tr!("desk-ask-how")) } dd { (how_text(c)) }
                            dt { (tr!("desk-ask-their-words")) } dd { @if c.words.is_empty() { "—" } @else { (theirs(&c.words)) } }
                        }
                    }
                } @else {
                    form method="post" action=(action("details")) {
                        (token(w))
                        button.secondary type="submit" { (tr!("desk-ask-show")) }
                        p.hint { (tr!("desk-ask-show-hint")) }
                    }
                }
                h2 { (tr!("desk-history")) }
                ol { @for s in &a.history { li { (tr!("desk-history-step", status = ask_status(&s.status), by = s.by.clone(), when = when(s.at_ms))) } } }
                @if a.status == "received" || a.status == "contacted" {
                    h2 { (tr!("desk-answer")) }
                    p.hint { (tr!("desk-ask-answer-hint")) }
                    @if a.status == "received" {
                        form method="post" action=(action("contacted")) { (token(w)) button type="submit" { (tr!("desk-ask-contacted")) } }
                    }
                    form method="post" action=(action("closed")) { (token(w)) button.secondary type="submit" { (tr!("desk-ask-close")) } }
                }
                @if a.family == "offer" && (a.status == "received" || a.status == "contacted") {
                    h2 { (tr!("desk-ask-book")) }
                    p { a.button.secondary href={ "/pool/jobs/new?business=" (a.listing_id) "&ask=" (a.id) } { (tr!("desk-ask-book-job")) } }
                }
                @if !a.erased && a.content.is_some() {
                    (erase_form(w, &action("erase"), &tr!("desk-ask-erase-label"), &tr!("desk-erase")))
                }
                p { a href="/asks" { (tr!("desk-asks-all")) } }
            },
        ),
    )
}

async fn details(State(desk): State<Desk>, Path(id): Path<String>, Posted(w, _): Posted) -> Response {
    if let Err(r) = super::pages::audit_shown(&desk, &w, "ask shown", &id).await {
        return r;
    }
    page(&desk, &w, &id, true, &[]).await
}

async fn step(State(desk): State<Desk>, Path((id, step)): Path<(String, String)>, Posted(w, form): Posted) -> Response {
    let admin = &desk.admin;
    let done = match step.as_str() {
        "contacted" | "closed" => {
            let request = Request::new(v1::AnswerAskRequest { id: id.clone(), status: step.clone() });
            acting(w.actor(), admin.answer_ask(request)).await
        }
        "erase" if field(&form, "sure") != "yes" => {
            let errors = [("erase".to_owned(), tr!("desk-ask-erase-tick"))];
            return page(&desk, &w, &id, false, &errors).await;
        }
        "erase" => acting(w.actor(), admin.erase_ask(Request::new(v1::IdRequest { id: id.clone() }))).await,
        _ => {
            return page_not_found(&desk, Some(&w), tr!("desk-no-such-answer"));
        }
    };
    match done {
        Ok(_) => Redirect::to(&format!("/asks/{id}")).into_response(),
        Err(status) => {
            page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, &tr!("desk-not-changed"), english(status.message()))
        }
    }
}

/// Where an ask stands, in words.
fn ask_status(status: &str) -> String {
    match status {
        "received" => tr!("desk-ask-status-received"),
        "contacted" => tr!("desk-ask-status-contacted"),
        "closed" => tr!("desk-ask-status-closed"),
        "not-taken" => tr!("desk-ask-status-not-taken"),
        other => other.to_owned(),
    }
}
