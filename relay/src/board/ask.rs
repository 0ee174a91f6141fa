//! "Ask about this": a person asking the group that listed something to contact
//! them, from the listing's page, and following it at `/ask/REFERENCE`.
//!
//! The form works without script: the relay then seals what it says at once
//! ([`crate::asks`]). With script (`board.js`, and the vendored `nacl-fast` and
//! `sealedbox` served here with Subresource Integrity), the page seals it to the
//! hub's key (in the form's `data-seal-to`) and posts only the sealed box: the
//! fields themselves are not sent. Either way the relay keeps no plain text, and
//! the pages set no cookie.
//!
//! The status page shows only the status — received, contacted, closed — and the
//! group's name and number: nothing the person wrote.

use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use maud::{Markup, html};
use serde::Deserialize;
use std::sync::{Arc, LazyLock};
use ulid::Ulid;

use kith_proto::Slug;
use kith_proto::ask::{AskContent, AskStatus, Contact, Reference, reference_hash};
use kith_proto::event::Family;

use kith_words::t;

use super::{Board, Reader, page, problem_t, theirs};
use crate::asks::{Content, NotSent};
use crate::view::HubSummary;

/// The vendored scripts, served at `/assets/vendor/NAME` with their SRI hashes.
pub struct Script {
    pub name: &'static str,
    pub text: &'static str,
    pub integrity: LazyLock<String>,
}

fn sri(text: &str) -> String {
    use sha2::Digest;
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(text.as_bytes())))
}

const NACL: &str = include_str!("../../board/vendor/nacl-fast.min.js");
const SEALEDBOX: &str = include_str!("../../board/vendor/sealedbox.web.js");

pub static SCRIPTS: [Script; 2] = [
    Script { name: "nacl-fast.min.js", text: NACL, integrity: LazyLock::new(|| sri(NACL)) },
    Script { name: "sealedbox.web.js", text: SEALEDBOX, integrity: LazyLock::new(|| sri(SEALEDBOX)) },
];

/// `/assets/vendor/{name}`.
pub async fn vendor(Path(name): Path<String>) -> Response {
    match SCRIPTS.iter().find(|s| s.name == name) {
        Some(s) => (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
            s.text,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The listing an ask is about, as the view has it.
pub struct Target {
    pub family: Family,
    pub hub: Slug,
    pub id: Ulid,
    pub title: String,
    /// A number to call: the listing's own (a safe house's), else the hub's.
    pub phone: String,
    pub info: HubSummary,
}

impl Target {
    fn takes_asks(&self, board: &Board) -> bool {
        board.shared.asks().is_some() && !self.info.profile.left && self.info.profile.asks.takes(self.id)
    }

    fn action(&self, r: &Reader) -> String {
        r.href(&format!("/ask/{}/{}/{}", self.family.token(), self.hub, self.id))
    }
}

/// What the form holds: what the person typed, echoed back to them (and only to
/// them) when it needs correcting.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AskForm {
    pub name: String,
    pub how: String,
    pub reach: String,
    pub when: String,
    pub words: String,
    pub consent: Option<String>,
    /// Set by the page's script: the sealed box, base64. The fields above are then
    /// not sent at all.
    pub sealed: String,
    /// Hidden from people; a robot fills it.
    pub website: String,
}

impl AskForm {
    /// The content, checked as the hub will check it: the field and what is wrong.
    fn content(&self, r: &Reader) -> Result<AskContent, (String, String)> {
        let (reach, when) = (self.reach.trim().to_owned(), self.when.trim().to_owned());
        let contact = match self.how.as_str() {
            "phone" => Contact::Phone { number: reach, when },
            "text" => Contact::Text { number: reach, when },
            "email" => Contact::Email { address: reach, when },
            "none" => Contact::None,
            _ => return Err(("how".into(), r.t("ask-error-how"))),
        };
        let content = AskContent {
            v: 1,
            name: self.name.trim().to_owned(),
            contact,
            words: self.words.trim().to_owned(),
            consent: self.consent.is_some(),
        };
        content.validate().map_err(|e| {
            let field = match e.field.as_str() {
                "contact.number" | "contact.address" => "reach",
                "contact.when" => "when",
                f => f,
            };
            let message = match field {
                "name" => r.t("ask-error-name"),
                "consent" => r.t("ask-error-consent"),
                "reach" if self.how == "email" => r.t("ask-error-email"),
                "reach" => r.t("ask-error-phone"),
                "when" => r.t("ask-error-when"),
                "words" => r.t("ask-error-words"),
                _ => e.to_string(),
            };
            (field.to_owned(), message)
        })
    }
}

/// The "Ask about this" part of a listing's page: the form, or how to call when the
/// group takes no asks about it.
pub fn section(board: &Board, r: &Reader, target: &Target, form: &AskForm, error: Option<&(String, String)>) -> Markup {
    let hub_name = target.info.name.as_str();
    if !target.takes_asks(board) {
        return html! {
            section.ask aria-labelledby="ask-heading" {
                h2 id="ask-heading" { (r.t("ask-heading")) }
                @if target.phone.is_empty() {
                    p { (t!(r.lang, "ask-them", hub = hub_name)) }
                } @else {
                    p { (t!(r.lang, "call-them", hub = hub_name)) " " span.contact { (theirs(&target.phone)) } }
                }
            }
        };
    }
    let how = if form.how.is_empty() { "phone" } else { form.how.as_str() };
    let err = |field: &str| error.filter(|(f, _)| f == field).map(|(_, m)| m.as_str());
    let field_class = |field: &str| if err(field).is_some() { "field field-error" } else { "field" };
    let box_key = kith_proto::keys::hex(&target.info.profile.box_key);
    html! {
        section.ask aria-labelledby="ask-heading" {
            h2 id="ask-heading" { (r.t("ask-heading")) }
            p { (t!(r.lang, "ask-intro", hub = hub_name))
                @if !target.phone.is_empty() { " " (r.t("ask-or-call")) " " span.contact { (theirs(&target.phone)) } } }
            @if let Some((field, message)) = error {
                div.error-summary role="alert" tabindex="-1" {
                    h2 { (r.t("error-summary")) }
                    ul { li { a href={ "#ask-" (field) } { (message) } } }
                }
            }
            form.ask-form method="post" action=(target.action(r)) data-seal-to=(box_key) novalidate
                data-error-name=(r.t("ask-error-name")) data-error-phone=(r.t("ask-error-phone"))
                data-error-email=(r.t("ask-error-email")) data-error-how=(r.t("ask-error-how"))
                data-error-consent=(r.t("ask-error-consent")) {
                div class=(field_class("name")) {
                    label for="ask-name" { (r.t("ask-name")) }
                    @if let Some(m) = err("name") { p.error-message { (m) } }
                    input #ask-name type="text" name="name" value=(form.name) autocomplete="given-name" maxlength="80" required;
                }
                div class=(field_class("how")) id="ask-how" {
                    fieldset {
                        legend { (r.t("ask-how")) }
                        @if let Some(m) = err("how") { p.error-message { (m) } }
                        @for (value, label) in [("phone", "ask-how-phone"), ("text", "ask-how-text"), ("email", "ask-how-email"), ("none", "ask-how-none")] {
                            div.choice {
                                input type="radio" name="how" id={ "ask-how-" (value) } value=(value) checked[how == value];
                                label for={ "ask-how-" (value) } { (r.t(label)) }
                            }
                        }
                    }
                }
                div class=(field_class("reach")) {
                    label for="ask-reach" { (r.t("ask-reach")) }
                    p.hint { (r.t("ask-reach-hint")) }
                    @if let Some(m) = err("reach") { p.error-message { (m) } }
                    input #ask-reach type="text" name="reach" value=(form.reach) maxlength="120" autocomplete="off";
                }
                div class=(field_class("when")) {
                    label for="ask-when" { (r.t("ask-when")) }
                    @if let Some(m) = err("when") { p.error-message { (m) } }
                    input #ask-when type="text" name="when" value=(form.when) maxlength="120";
                }
                div class=(field_class("words")) {
                    label for="ask-words" { (r.t("ask-words")) }
                    @if let Some(m) = err("words") { p.error-message { (m) } }
                    textarea #ask-words name="words" rows="3" maxlength="1000" { (form.words) }
                }
                div class=(field_class("consent")) id="ask-consent" {
                    @if let Some(m) = err("consent") { p.error-message { (m) } }
                    div.choice {
                        input #ask-consent-box type="checkbox" name="consent" value="yes" checked[form.consent.is_some()] required;
                        label for="ask-consent-box" { (t!(r.lang, "ask-consent", hub = hub_name)) }
                    }
                }
                // A robot fills every field; a person never sees this one.
                div.hp aria-hidden="true" {
                    label for="ask-website" { (r.t("ask-trap")) }
                    input #ask-website type="text" name="website" tabindex="-1" autocomplete="off";
                }
                input type="hidden" name="sealed" value="";
                p.error-message.seal-error role="alert" hidden {}
                button type="submit" { (r.t("ask-send")) }
                p.meta.sealing { (t!(r.lang, "ask-sealing", hub = hub_name)) }
            }
            @for s in &SCRIPTS {
                script src={ "/assets/vendor/" (s.name) } integrity=(*s.integrity) defer {}
            }
        }
    }
}

/// The listing `family`/`hub`/`id` as an ask's target.
pub async fn target(
    board: &Board,
    r: &Reader,
    family: Family,
    hub: Slug,
    id: Ulid,
) -> Result<Option<Target>, Response> {
    let h = hub.clone();
    let found = board
        .read(r, move |view, _| {
            Ok(match family {
                Family::Opportunities => {
                    view.opportunity(id, Some(&h)).ok().flatten().map(|o| (o.item.title.clone(), String::new()))
                }
                Family::SafeHouses => {
                    view.safe_house(id, Some(&h)).ok().flatten().map(|s| (s.item.name.clone(), s.item.phone.clone()))
                }
                Family::Services => {
                    view.service(id, Some(&h)).ok().flatten().map(|s| (s.item.name.clone(), s.item.phones.join(", ")))
                }
                Family::Offers => {
                    view.offer(id, Some(&h)).ok().flatten().map(|o| (o.item.name.clone(), o.item.phones.join(", ")))
                }
            })
        })
        .await?;
    let Some((title, phone)) = found else { return Ok(None) };
    let mut hubs = board.hubs(r).await?;
    let Some(info) = hubs.remove(&hub) else { return Ok(None) };
    let phone = if phone.is_empty() { info.profile.contact.clone() } else { phone };
    Ok(Some(Target { family, hub, id, title, phone, info }))
}

/// `POST /ask/{family}/{hub}/{id}`.
pub async fn send(
    State(board): State<Arc<Board>>,
    Path((family, hub, id)): Path<(String, String, String)>,
    request: Request,
) -> Response {
    let client = crate::connections::client_of(&request);
    // A page answering the form switches language to the listing's page: what was
    // typed is never put in an address.
    let listing = Family::from_token(&family).map(|f| format!("/{}/{hub}/{id}", page_path(f)));
    let r = Reader::of(request.uri(), request.headers()).at(listing.as_deref().unwrap_or("/"));
    let r = &r;
    if super::cross_site(request.headers()) {
        return problem_t(&board, r, StatusCode::FORBIDDEN, "not-sent", "not-sent-cross-site");
    }
    let not_found = || problem_t(&board, r, StatusCode::NOT_FOUND, "not-found", "not-found-ask");
    let (Some(family), Ok(hub), Ok(id)) =
        (Family::from_token(&family), Slug::parse("hub", &hub), Ulid::from_string(&id))
    else {
        return not_found();
    };
    let form = match axum::Form::<AskForm>::from_request(request, &()).await {
        Ok(axum::Form(form)) => form,
        Err(_) => return problem_t(&board, r, StatusCode::BAD_REQUEST, "form-unreadable", "form-unreadable-ask"),
    };
    let target = match target(&board, r, family, hub, id).await {
        Ok(Some(t)) => t,
        Ok(None) => return not_found(),
        Err(r) => return r,
    };
    let Some(sender) = board.shared.asks() else { return not_found() };
    // A robot: answered as if sent, nothing sent or counted.
    if !form.website.is_empty() {
        board.shared.metrics().ask("trapped");
        return sent_page(&board, r, &target, &Reference::new());
    }
    if !target.takes_asks(&board) {
        return form_page(&board, r, &target, &AskForm::default(), None, StatusCode::CONFLICT);
    }
    if let Err(e) = sender.admit(client) {
        board.shared.metrics().ask("client-limit");
        return not_sent(&board, r, &target, StatusCode::TOO_MANY_REQUESTS, &e);
    }
    if !sender.hub_has_room(&target.hub, &target.info.profile.asks) {
        board.shared.metrics().ask("hub-cap");
        return not_sent(&board, r, &target, StatusCode::SERVICE_UNAVAILABLE, &NotSent::HubCap);
    }
    let content = if form.sealed.is_empty() {
        match form.content(r) {
            Ok(c) => Content::Plain(c),
            Err(error) => return form_page(&board, r, &target, &form, Some(&error), StatusCode::UNPROCESSABLE_ENTITY),
        }
    } else {
        match base64::engine::general_purpose::STANDARD.decode(form.sealed.trim()) {
            Ok(bytes) => Content::Sealed(bytes),
            Err(_) => return problem_t(&board, r, StatusCode::BAD_REQUEST, "form-unreadable", "form-unreadable-ask"),
        }
    };
    let key = target.info.profile.box_key;
    let policy = target.info.profile.asks.clone();
    match sender.send(&target.hub, &key, &policy, target.family, target.id, content).await {
        Ok(sent) => {
            board.shared.metrics().ask("sent");
            sent_page(&board, r, &target, &sent.reference)
        }
        Err(e) => {
            let (status, reason) = match &e {
                NotSent::HubCap => (StatusCode::SERVICE_UNAVAILABLE, "hub-cap"),
                NotSent::Closed => (StatusCode::CONFLICT, "closed"),
                NotSent::Client(_) => (StatusCode::TOO_MANY_REQUESTS, "client-limit"),
                NotSent::Invalid(_) => (StatusCode::BAD_REQUEST, "invalid"),
                NotSent::Unavailable(_) | NotSent::Store(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            };
            if matches!(e, NotSent::Unavailable(_) | NotSent::Store(_)) {
                tracing::warn!(error = %e, hub = %target.hub, "an ask could not be sent");
            }
            board.shared.metrics().ask(reason);
            not_sent(&board, r, &target, status, &e)
        }
    }
}

fn form_page(
    board: &Board,
    r: &Reader,
    target: &Target,
    form: &AskForm,
    error: Option<&(String, String)>,
    status: StatusCode,
) -> Response {
    let title = t!(r.lang, "ask-about", title = target.title.clone());
    let body = html! {
        p { a href=(listing_href(r, target)) { (t!(r.lang, "back-to", title = target.title.clone())) } }
        h1 { (title) }
        (section(board, r, target, form, error))
    };
    private(page(board, r, &title, status, body))
}

/// The path of a family's listing pages: `/safe-house/{hub}/{id}`.
fn page_path(family: Family) -> &'static str {
    match family {
        Family::Opportunities => "opportunity",
        Family::SafeHouses => "safe-house",
        Family::Services => "service",
        Family::Offers => "offer",
    }
}

fn listing_href(r: &Reader, target: &Target) -> String {
    r.href(&format!("/{}/{}/{}", page_path(target.family), target.hub, target.id))
}

fn not_sent(board: &Board, r: &Reader, target: &Target, status: StatusCode, e: &NotSent) -> Response {
    let hub = target.info.name.as_str();
    let why = match e {
        NotSent::Client(_) => r.t("not-sent-client"),
        NotSent::HubCap => t!(r.lang, "not-sent-hub-cap", hub = hub),
        NotSent::Closed => t!(r.lang, "not-sent-closed", hub = hub),
        NotSent::Invalid(_) => r.t("not-sent-invalid"),
        NotSent::Unavailable(_) | NotSent::Store(_) => r.t("not-sent-unavailable"),
    };
    let body = html! {
        h1 { (r.t("not-sent")) }
        p { (why) }
        @if !target.phone.is_empty() { p { (t!(r.lang, "you-can-call", hub = hub)) " " span.contact { (theirs(&target.phone)) } } }
        p { a href=(listing_href(r, target)) { (t!(r.lang, "back-to", title = target.title.clone())) } }
    };
    private(page(board, r, &r.t("not-sent"), status, body))
}

fn sent_page(board: &Board, r: &Reader, target: &Target, reference: &Reference) -> Response {
    let hub = target.info.name.as_str();
    let body = html! {
        div.panel role="status" {
            h1 { (t!(r.lang, "sent-to", hub = hub)) }
            p { (r.t("your-reference")) }
            p.reference { strong dir="ltr" { (reference.to_string()) } }
        }
        p { (r.t("keep-it")) " " a href=(r.href(&format!("/ask/{reference}"))) { (r.t("the-page-for")) " " span.nowrap dir="ltr" { (reference.to_string()) } } " " (t!(r.lang, "reference-page-shows", hub = hub)) }
        @if !target.phone.is_empty() {
            p { (r.t("rather-call")) " " span.contact { (theirs(&target.phone)) } " " (r.t("give-reference")) }
        }
        p { a href=(listing_href(r, target)) { (t!(r.lang, "back-to", title = target.title.clone())) } }
    };
    private(page(board, r, &r.t("sent"), StatusCode::OK, body))
}

/// `GET /ask/{reference}`: where an ask stands, and nothing else.
pub async fn status(State(board): State<Arc<Board>>, r: Reader, Path(reference): Path<String>) -> Response {
    let Ok(reference) = Reference::parse("reference", &reference) else {
        return private(problem_t(&board, &r, StatusCode::NOT_FOUND, "not-a-reference", "not-a-reference-detail"));
    };
    let hash = reference_hash(&reference);
    let state = match board.read(&r, move |view, _| Ok(view.ask_state(&hash).cloned())).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let sent = board.shared.asks().and_then(|s| s.sent(&reference).ok().flatten());
    let hub = state.as_ref().map(|s| s.hub.clone()).or_else(|| sent.as_ref().map(|s| s.hub.clone()));
    let Some(hub) = hub else {
        return private(problem_t(&board, &r, StatusCode::NOT_FOUND, "unknown-reference", "unknown-reference-detail"));
    };
    let hubs = match board.hubs(&r).await {
        Ok(h) => h,
        Err(r) => return r,
    };
    let info = hubs.get(&hub);
    let name = info.map_or(hub.as_str(), |h| h.name.as_str());
    let contact = info.map(|h| h.profile.contact.as_str()).unwrap_or_default();
    let (heading, said) = match state.map(|s| s.status) {
        None => ("sent", "status-sent"),
        Some(AskStatus::Received) => ("status-received-heading", "status-received"),
        Some(AskStatus::Contacted) => ("status-contacted-heading", "status-contacted"),
        Some(AskStatus::Closed) => ("status-closed-heading", "status-closed"),
        Some(AskStatus::NotTaken) => ("status-not-taken-heading", "status-not-taken"),
    };
    let heading = r.t(heading);
    let body = html! {
        p.meta { (r.t("ask-reference")) " " span dir="ltr" { (reference.to_string()) } }
        h1 { (heading) }
        p { (t!(r.lang, said, hub = name)) }
        @if !contact.is_empty() { p { (t!(r.lang, "to-reach", hub = name)) " " span.contact { (theirs(contact)) } } }
    };
    private(page(&board, &r, &heading, StatusCode::OK, body))
}

/// Pages about one person's ask: not kept by caches, not indexed, not passed on as a
/// referrer.
fn private(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    response
}
