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
use super::{Desk, Posted, Worker, frame, page_error, respond};
use crate::store::acting;

pub(super) fn routes() -> Router<Desk> {
    Router::new()
        .route("/asks", get(list))
        .route("/asks/{id}", get(one))
        .route("/asks/{id}/details", post(details))
        .route("/asks/{id}/{step}", post(step))
}

fn how_text(c: &v1::AskContent) -> String {
    let when = if c.when.is_empty() { String::new() } else { format!(", {}", c.when) };
    match c.how.as_str() {
        "phone" => format!("Phone {}{when}", c.reach),
        "text" => format!("Text {}{when}", c.reach),
        "email" => format!("Email {}{when}", c.reach),
        _ => "Do not contact: they will call, quoting their reference".to_owned(),
    }
}

async fn list(State(desk): State<Desk>, w: Worker) -> Response {
    let request = Request::new(v1::ListAsksRequest { status: String::new(), limit: 200, after: String::new() });
    let asks = match desk.admin.list_asks(request).await {
        Ok(list) => list.into_inner().items,
        Err(e) => {
            return page_error(&desk, Some(&w), StatusCode::SERVICE_UNAVAILABLE, "Asks cannot be shown", e.message());
        }
    };
    let policy =
        desk.admin.set_ask_policy(Request::new(v1::SetAskPolicyRequest::default())).await.ok().map(|p| p.into_inner());
    respond(
        StatusCode::OK,
        frame(
            &desk,
            Some(&w),
            "Asks",
            html! {
                h1 { "Asks" }
                p { "People who asked about your listings on the region's board. Open one to see what they wrote and how to reach them." }
                @if let Some(p) = &policy {
                    @if !p.open {
                        p.warn { @if p.relays.is_empty() { "Not taking asks: no relay is named in ask_relays (hub.toml)." } @else { "Asks are paused: the board shows only how to call." } }
                    } @else {
                        p.meta { (p.taken_today) " of " (p.daily_cap) " taken today." }
                    }
                }
                @if asks.is_empty() { p { "None yet." } }
                @else {
                    table {
                        caption.visually-hidden { "Asks, newest first" }
                        thead { tr { th scope="col" { "Ask" } th scope="col" { "About" } th scope="col" { "Reference" } th scope="col" { "Status" } } }
                        tbody {
                            @for a in &asks {
                                tr {
                                    td data-label="Ask" { a href={ "/asks/" (a.id) } { "Sent " (when(a.received_at_ms)) } }
                                    td data-label="About" { (a.listing_title) }
                                    td data-label="Reference" { (a.reference) }
                                    td data-label="Status" { (a.status) @if a.erased { " (erased)" } }
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
        Err(e) => return page_error(desk, Some(w), StatusCode::NOT_FOUND, "No such ask", e.message()),
    };
    let action = |step: &str| format!("/asks/{}/{step}", a.id);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    respond(
        status,
        frame(
            desk,
            Some(w),
            "Ask",
            html! {
                (error_summary(errors))
                h1 { "Ask about " (if a.listing_title.is_empty() { a.listing_id.as_str() } else { a.listing_title.as_str() }) }
                dl.details {
                    dt { "Reference" } dd { strong { (a.reference) } }
                    dt { "Status" } dd { (a.status) }
                    dt { "Sent" } dd { (when(a.received_at_ms)) }
                    dt { "Through" } dd { "The board of relay " (a.relay) }
                }
                h2 { "What they wrote" }
                @if a.status == "not-taken" { p { "Not taken: it came over the day's cap or while asks were paused, so nothing of it was kept. They were asked to call." } }
                @else if a.erased { p { "Erased." } }
                @else if details {
                    @if let Some(c) = &a.content {
                        dl.details {
                            dt { "Name" } dd { (c.name) }
                            dt { "How to reach them" } dd { (how_text(c)) }
                            dt { "Their words" } dd { @if c.words.is_empty() { "—" } @else { (c.words) } }
                        }
                    }
                } @else {
                    form method="post" action=(action("details")) {
                        (token(w))
                        button.secondary type="submit" { "Show what they wrote" }
                        p.hint { "Showing it is recorded in the audit log." }
                    }
                }
                h2 { "History" }
                ol { @for s in &a.history { li { (s.status) " by " (s.by) ", " (when(s.at_ms)) } } }
                @if a.status == "received" || a.status == "contacted" {
                    h2 { "Answer" }
                    p.hint { "They see only this status, on the page for their reference." }
                    @if a.status == "received" {
                        form method="post" action=(action("contacted")) { (token(w)) button type="submit" { "We have been in touch" } }
                    }
                    form method="post" action=(action("closed")) { (token(w)) button.secondary type="submit" { "Close it" } }
                }
                @if a.family == "offer" && (a.status == "received" || a.status == "contacted") {
                    h2 { "Book it" }
                    p { a.button.secondary href={ "/pool/jobs/new?business=" (a.listing_id) "&ask=" (a.id) } { "Book a job from this ask" } }
                }
                @if !a.erased && a.content.is_some() {
                    (erase_form(w, &action("erase"), "Erase what they wrote, for good", "Erase"))
                }
                p { a href="/asks" { "All asks" } }
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
            let errors =
                [("erase".to_owned(), "Tick the box to erase what they wrote: it cannot be undone".to_owned())];
            return page(&desk, &w, &id, false, &errors).await;
        }
        "erase" => acting(w.actor(), admin.erase_ask(Request::new(v1::IdRequest { id: id.clone() }))).await,
        _ => return page_error(&desk, Some(&w), StatusCode::NOT_FOUND, "Page not found", "There is no such answer."),
    };
    match done {
        Ok(_) => Redirect::to(&format!("/asks/{id}")).into_response(),
        Err(status) => page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, "Not changed", status.message()),
    }
}
