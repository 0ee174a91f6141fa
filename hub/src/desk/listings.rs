//! The desk's listings: the newest of each family (the pool's businesses, its
//! offers, among them), page by page; adding, editing, confirming and withdrawing
//! them. A form is checked by kith-proto's conversions
//! (the admin API's own checks), its errors shown beside the field they name, and a
//! listing written with the store's own functions (`create`, `update`), as the admin
//! API writes it.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use std::collections::HashMap;
use tonic::Request;
use ulid::Ulid;

use kith_proto::domain::{ForTag, Opportunity, OpportunityKind, OpportunityStatus, Pay, PayPer, SafeHouse};
use kith_proto::offer::Offer;
use kith_proto::service::{Category, Place, Service};
use kith_proto::time::CivilDate;
use kith_proto::v1::{self, hub_admin_server::HubAdmin};
use kith_proto::{ValidationError, convert};

use super::form::{Fields, all, checkbox, error_summary, field, select, text_input, textarea, token};
use super::words::{english, lang, theirs, tr};
use super::{Desk, Posted, Worker, check_token, frame, page_error, respond};
use crate::store::{Listing, acting};

pub(super) fn routes() -> Router<Desk> {
    Router::new()
        .route("/listings", get(listings))
        .route("/listings/services/{id}/confirm", post(service_confirm))
        .route(
            "/listings/import",
            get(import_page).post(import).layer(axum::extract::DefaultBodyLimit::max(IMPORT_MAX_BYTES)),
        )
        .route("/listings/{family}/new", get(new_page).post(add))
        .route("/listings/{family}/{id}/edit", get(edit_page).post(edit))
        .route("/listings/{family}/{id}/withdraw", get(withdraw_page).post(withdraw))
}

/// Runs `then` with the type of the family whose path segment is `family`.
macro_rules! by_family {
    ($family:expr, $t:ident => $then:expr, $else:expr) => {
        match $family {
            "opportunities" => {
                type $t = Opportunity;
                $then
            }
            "safehouses" => {
                type $t = SafeHouse;
                $then
            }
            "services" => {
                type $t = Service;
                $then
            }
            "offers" => {
                type $t = Offer;
                $then
            }
            _ => $else,
        }
    };
}

// ---------------------------------------------------------------- listings

/// Listings of a family on one page of the listings.
const LISTINGS_PAGE: usize = 50;

async fn listings(State(desk): State<Desk>, w: Worker, Query(q): Query<HashMap<String, String>>) -> Response {
    // One family's next page when asked for (`?family=services&before=ID`), else the
    // newest of each.
    let before = |family: &str| {
        q.get("family").filter(|f| *f == family).and_then(|_| q.get("before")).and_then(|b| Ulid::from_string(b).ok())
    };
    let page = |family: &str| match q.get("family") {
        Some(f) if f != family => 0,
        _ => LISTINGS_PAGE,
    };
    let (opportunities, houses, services, offers) = (
        desk.store.live_page::<Opportunity>(before("opportunities"), page("opportunities")).unwrap_or_default(),
        desk.store.live_page::<SafeHouse>(before("safehouses"), page("safehouses")).unwrap_or_default(),
        desk.store.live_page::<Service>(before("services"), page("services")).unwrap_or_default(),
        desk.store.live_page::<Offer>(before("offers"), page("offers")).unwrap_or_default(),
    );
    let withdraw = |family: &str, id: Ulid, name: &str| {
        html! { a href={ "/listings/" (family) "/" (id) "/withdraw" } { (tr!("desk-withdraw")) span.visually-hidden { " " (theirs(name)) } } }
    };
    let change = |family: &str, id: Ulid, name: &str| {
        html! { a href={ "/listings/" (family) "/" (id) "/edit" } { (tr!("desk-change")) span.visually-hidden { " " (theirs(name)) } } }
    };
    let older = |family: &str, last: Option<Ulid>, n: usize| {
        html! {
            @if let (Some(last), true) = (last, n == LISTINGS_PAGE) {
                p { a href={ "/listings?family=" (family) "&before=" (last) "#" (family) } { (tr!(&format!("desk-older-{family}"))) } }
            }
        }
    };
    let shown = |family: &str| q.get("family").is_none_or(|f| f == family);
    respond(
        StatusCode::OK,
        frame(
            &desk,
            Some(&w),
            &tr!("desk-nav-listings"),
            html! {
                h1 { (tr!("desk-nav-listings")) }
                @if q.contains_key("family") { p { a href="/listings" { (tr!("desk-listings-newest")) } } }
                @if shown("opportunities") {
                    h2 #opportunities { (tr!("desk-listings-opportunities")) }
                    p { a.button href="/listings/opportunities/new" { (tr!("desk-add-opportunity")) } }
                    @if opportunities.is_empty() { p { (tr!("desk-none")) } }
                    ul.results {
                        @for r in &opportunities {
                            li {
                                h3 dir="auto" { (r.item.title) }
                                p.meta { (kith_words::kind_text(lang(), r.item.kind)) " · " (theirs(&r.item.area)) " · " (opportunity_status(r.item.status)) }
                                p { (change("opportunities", r.item.id, &r.item.title)) " " (withdraw("opportunities", r.item.id, &r.item.title)) }
                            }
                        }
                    }
                    (older("opportunities", opportunities.last().map(|r| r.item.id), opportunities.len()))
                }
                @if shown("services") {
                    h2 #services { (tr!("desk-listings-services")) }
                    p { a.button href="/listings/services/new" { (tr!("desk-add-service")) } " " a href="/listings/import" { (tr!("desk-import-services-link")) } }
                    @if services.is_empty() { p { (tr!("desk-none")) } }
                    ul.results {
                        @for r in &services {
                            li {
                                h3 dir="auto" { (r.item.name) }
                                p.meta {
                                    @match r.item.assured_on {
                                        Some(d) => { (tr!("desk-service-confirmed", date = kith_words::date_text_in(lang(), d))) },
                                        None => { (tr!("desk-service-never-confirmed")) },
                                    }
                                }
                                form.inline method="post" action={ "/listings/services/" (r.item.id) "/confirm" } {
                                    (token(&w))
                                    button.secondary type="submit" { (tr!("desk-service-still-right")) span.visually-hidden { (tr!("desk-colon")) (theirs(&r.item.name)) } }
                                }
                                " " (change("services", r.item.id, &r.item.name)) " " (withdraw("services", r.item.id, &r.item.name))
                            }
                        }
                    }
                    (older("services", services.last().map(|r| r.item.id), services.len()))
                }
                @if shown("offers") {
                    h2 #offers { (tr!("desk-listings-offers")) }
                    p.hint { (tr!("desk-listings-offers-hint")) }
                    @if desk.admin.fair_rate_pence.is_none() {
                        p.warn { (tr!("desk-listings-offers-no-fair-rate")) " " code dir="ltr" { "fair_rate" } }
                    } @else {
                        p { a.button href="/listings/offers/new" { (tr!("desk-add-offer")) } }
                    }
                    @if offers.is_empty() { p { (tr!("desk-none")) } }
                    ul.results {
                        @for r in &offers {
                            li {
                                h3 dir="auto" { (r.item.name) }
                                p.meta { (kith_words::rate_text_in(lang(), r.item.rate_pence)) " · " (theirs(&r.item.areas.join(", "))) }
                                p { (change("offers", r.item.id, &r.item.name)) " " (withdraw("offers", r.item.id, &r.item.name)) }
                            }
                        }
                    }
                    (older("offers", offers.last().map(|r| r.item.id), offers.len()))
                }
                @if shown("safehouses") {
                    h2 #safehouses { (tr!("desk-listings-safehouses")) }
                    p { a.button href="/listings/safehouses/new" { (tr!("desk-add-safehouse")) } }
                    @if houses.is_empty() { p { (tr!("desk-none")) } }
                    ul.results {
                        @for r in &houses {
                            li {
                                h3 dir="auto" { (r.item.name) }
                                p.meta { (theirs(&r.item.area)) " · " (tr!("desk-beds-n", n = r.item.beds_total)) }
                                p { (change("safehouses", r.item.id, &r.item.name)) " " (withdraw("safehouses", r.item.id, &r.item.name)) }
                            }
                        }
                    }
                    (older("safehouses", houses.last().map(|r| r.item.id), houses.len()))
                }
            },
        ),
    )
}

/// The name of a listing of a family (by its plural), if the hub has it live.
fn listing_name(desk: &Desk, family: &str, id: Ulid) -> Option<String> {
    by_family!(family, T => {
        desk.store.get::<T>(id).ok().flatten().filter(|r| !r.withdrawn).map(|r| r.item.name().to_owned())
    }, None)
}

async fn withdraw_page(State(desk): State<Desk>, w: Worker, Path((family, id)): Path<(String, String)>) -> Response {
    let Some((id, name)) = Ulid::from_string(&id).ok().and_then(|id| listing_name(&desk, &family, id).map(|n| (id, n)))
    else {
        return page_error(
            &desk,
            Some(&w),
            StatusCode::NOT_FOUND,
            &tr!("desk-no-such-listing"),
            tr!("desk-no-such-listing-detail"),
        );
    };
    respond(
        StatusCode::OK,
        frame(
            &desk,
            Some(&w),
            &tr!("desk-withdraw"),
            html! {
                h1 { (tr!("desk-withdraw-question", name = name)) }
                p { (tr!("desk-withdraw-what")) }
                form method="post" action={ "/listings/" (family) "/" (id) "/withdraw" } {
                    (token(&w))
                    button.warning type="submit" { (tr!("desk-withdraw")) }
                }
                p { a href="/listings" { (tr!("desk-cancel")) } }
            },
        ),
    )
}

async fn withdraw(
    State(desk): State<Desk>,
    Path((family, id)): Path<(String, String)>,
    Posted(w, _): Posted,
) -> Response {
    let request = Request::new(v1::IdRequest { id });
    let admin = &desk.admin;
    let done = match family.as_str() {
        "opportunities" => acting(w.actor(), admin.withdraw_opportunity(request)).await,
        "services" => acting(w.actor(), admin.withdraw_service(request)).await,
        "safehouses" => acting(w.actor(), admin.withdraw_safe_house(request)).await,
        "offers" => acting(w.actor(), admin.withdraw_offer(request)).await,
        _ => return no_family(&desk, &w),
    };
    match done {
        Ok(_) => Redirect::to("/listings").into_response(),
        Err(status) => {
            page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, &tr!("desk-not-withdrawn"), english(status.message()))
        }
    }
}

async fn service_confirm(State(desk): State<Desk>, Path(id): Path<String>, Posted(w, _): Posted) -> Response {
    let Ok(id) = Ulid::from_string(&id) else {
        return page_error(
            &desk,
            Some(&w),
            StatusCode::NOT_FOUND,
            &tr!("desk-no-such-service"),
            tr!("desk-id-not-valid"),
        );
    };
    let today = CivilDate::today_here();
    let confirmed = acting(
        w.actor(),
        desk.store.update::<Service>(id, |mut s| {
            s.assured_on = Some(today);
            Ok(s)
        }),
    )
    .await;
    match confirmed {
        Ok(_) => Redirect::to("/listings#services").into_response(),
        Err(e) => {
            page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, &tr!("desk-not-confirmed"), english(&e.to_string()))
        }
    }
}

// ---------------------------------------------------------------- forms

/// One family's form on the desk: its controls, its values for a listing, and the
/// listing it describes, checked as the admin API checks it.
trait DeskForm: Listing {
    /// What its messages are named by: `add-opportunity`, `change-opportunity`.
    const NOUN: &'static str;
    /// What people call this one: its title or name.
    fn name(&self) -> &str;
    /// The form's controls, filled from `values`.
    fn controls(values: &Fields, errors: &[(String, String)]) -> Markup;
    /// The form's values for `item`.
    fn values(item: &Self) -> Fields;
    /// The listing `id` the form describes, or what is wrong, as (the form's
    /// field, the message).
    fn from_form(id: Ulid, form: &Fields) -> Result<Self, (String, String)>;
    /// What an edit keeps of the listing as it was (a house's availability).
    fn keep(old: &Self, new: Self) -> Self;
    /// What the hub holds a listing to beyond its fields (an offer's fair rate), as
    /// the admin API does: (the form's field, the message) when it is refused.
    fn admit(_desk: &Desk, _item: &Self) -> Result<(), (String, String)> {
        Ok(())
    }
}

/// The (error's field prefix, form field, label's message) of a family's form.
type Mapping = [(&'static str, &'static str, &'static str)];

/// Names an error by the form's field and label: `(form field, "Label: problem")`;
/// the problem is kith-proto's, in English.
fn named(e: ValidationError, mapping: &Mapping) -> (String, String) {
    let found = mapping.iter().find(|(prefix, ..)| e.field.starts_with(prefix));
    let (_, id, label) = found.copied().unwrap_or(mapping[0]);
    (id.to_owned(), tr!("desk-field-problem", label = tr!(label), problem = e.problem))
}

fn words(form: &Fields, name: &str) -> Vec<String> {
    field(form, name).split(',').map(str::trim).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

fn pair(k: &str, v: impl Into<String>) -> (String, String) {
    (k.to_owned(), v.into())
}

const OPPORTUNITY_FIELDS: &Mapping = &[
    ("title", "title", "desk-label-title"),
    ("kind", "kind", "desk-label-kind"),
    ("sector", "sector", "desk-label-sector"),
    ("description", "description", "desk-label-description"),
    ("area", "area", "desk-label-area"),
    ("hours_per_week", "hours", "desk-label-hours"),
    ("pay", "pay", "desk-label-pay"),
    ("skills", "skills", "desk-label-skills"),
    ("how_to_apply", "how_to_apply", "desk-label-how-to-apply"),
    ("closes_on", "closes_on", "desk-label-closes-on"),
    ("status", "status", "desk-label-status"),
];

impl DeskForm for Opportunity {
    const NOUN: &'static str = "opportunity";

    fn name(&self) -> &str {
        &self.title
    }

    fn controls(v: &Fields, errors: &[(String, String)]) -> Markup {
        let kind_words: Vec<String> = OpportunityKind::ALL.iter().map(|k| kith_words::kind_text(lang(), *k)).collect();
        let kinds: Vec<(&str, &str)> =
            OpportunityKind::ALL.iter().zip(&kind_words).map(|(k, w)| (k.as_str(), w.as_str())).collect();
        let (ordinary, mental_health) = (tr!("desk-sector-ordinary"), tr!("desk-sector-mental-health"));
        let (open, filled) = (tr!("desk-opportunity-status-open"), tr!("desk-opportunity-status-filled"));
        let per_words: Vec<String> =
            PayPer::ALL.iter().map(|p| tr!(&format!("desk-paid-per-{}", p.as_str()))).collect();
        let per: Vec<(&str, &str)> =
            PayPer::ALL.iter().zip(&per_words).map(|(p, w)| (p.as_str(), w.as_str())).collect();
        html! {
            (text_input("title", &tr!("desk-label-title"), None, field(v, "title"), errors))
            (select("kind", &tr!("desk-label-kind"), &kinds, field(v, "kind"), errors))
            (select("sector", &tr!("desk-label-sector"), &[("ordinary", &ordinary), ("mental-health", &mental_health)], field(v, "sector"), errors))
            (textarea("description", &tr!("desk-label-description"), None, field(v, "description"), errors))
            (text_input("area", &tr!("desk-label-area"), Some(&tr!("desk-hint-area-opportunity")), field(v, "area"), errors))
            (checkbox("remote", &tr!("desk-label-remote"), field(v, "remote") == "yes"))
            (text_input("hours", &tr!("desk-label-hours"), Some(&tr!("desk-hint-hours")), field(v, "hours"), errors))
            (text_input("pay", &tr!("desk-label-pay"), Some(&tr!("desk-hint-pay")), field(v, "pay"), errors))
            (select("pay_per", &tr!("desk-label-pay-per"), &per, field(v, "pay_per"), errors))
            (checkbox("expenses_paid", &tr!("desk-label-expenses-paid"), field(v, "expenses_paid") == "yes"))
            (text_input("skills", &tr!("desk-label-skills"), Some(&tr!("desk-hint-commas")), field(v, "skills"), errors))
            (textarea("how_to_apply", &tr!("desk-label-how-to-apply"), None, field(v, "how_to_apply"), errors))
            (text_input("closes_on", &tr!("desk-label-closes-on"), Some(&tr!("desk-hint-closes-on")), field(v, "closes_on"), errors))
            @if !field(v, "status").is_empty() {
                (select("status", &tr!("desk-label-status"), &[("open", &open), ("filled", &filled)], field(v, "status"), errors))
            }
        }
    }

    fn values(o: &Opportunity) -> Fields {
        let (pay, per) = match o.pay {
            Pay::Unpaid => (String::new(), "hour"),
            Pay::Paid { pence, per } => (format!("{}.{:02}", pence / 100, pence % 100), per.as_str()),
        };
        let yes = |b: bool| if b { "yes" } else { "" };
        vec![
            pair("title", &o.title),
            pair("kind", o.kind.as_str()),
            pair("sector", o.sector.as_str()),
            pair("description", &o.description),
            pair("area", &o.area),
            pair("remote", yes(o.remote)),
            pair("hours", o.hours_per_week.map(|h| h.to_string()).unwrap_or_default()),
            pair("pay", pay),
            pair("pay_per", per),
            pair("expenses_paid", yes(o.expenses_paid)),
            pair("skills", o.skills.join(", ")),
            pair("how_to_apply", &o.how_to_apply),
            pair("closes_on", o.closes_on.map(|d| d.to_string()).unwrap_or_default()),
            pair("status", o.status.as_str()),
        ]
    }

    fn from_form(id: Ulid, form: &Fields) -> Result<Opportunity, (String, String)> {
        let hours = match field(form, "hours").trim() {
            "" => None,
            h => Some(
                h.parse::<f32>()
                    .map_err(|_| pair("hours", tr!("desk-error-hours-not-number", typed = h.to_owned())))?,
            ),
        };
        let pay = match field(form, "pay").trim().trim_start_matches('£') {
            "" => None,
            p => {
                let pounds: f64 =
                    p.parse().map_err(|_| pair("pay", tr!("desk-error-pay-not-pounds", typed = p.to_owned())))?;
                Some(v1::Pay {
                    pence: (pounds * 100.0).round().clamp(0.0, u32::MAX as f64) as u32,
                    per: field(form, "pay_per").into(),
                })
            }
        };
        let fields = v1::OpportunityFields {
            title: field(form, "title").into(),
            kind: field(form, "kind").into(),
            sector: field(form, "sector").into(),
            description: field(form, "description").into(),
            area: field(form, "area").into(),
            remote: field(form, "remote") == "yes",
            hours_per_week: hours,
            pay,
            expenses_paid: field(form, "expenses_paid") == "yes",
            skills: words(form, "skills"),
            how_to_apply: field(form, "how_to_apply").into(),
            closes_on: field(form, "closes_on").trim().into(),
            ..Default::default()
        };
        let mut o = convert::opportunity_from_fields(id, &fields).map_err(|e| named(e, OPPORTUNITY_FIELDS))?;
        if let Some(status) = Some(field(form, "status")).filter(|s| !s.is_empty()) {
            o.status = match OpportunityStatus::parse("status", status).map_err(|e| named(e, OPPORTUNITY_FIELDS))? {
                OpportunityStatus::Withdrawn => {
                    return Err(pair("status", tr!("desk-error-status-withdrawn")));
                }
                s => s,
            };
        }
        Ok(o)
    }

    fn keep(_old: &Opportunity, new: Opportunity) -> Opportunity {
        new
    }
}

const SAFEHOUSE_FIELDS: &Mapping = &[
    ("name", "name", "desk-label-name"),
    ("area", "area", "desk-label-area"),
    ("for", "for", "desk-label-for"),
    ("beds_total", "beds", "desk-label-beds-total"),
    ("longest_stay_nights", "longest_stay", "desk-label-longest-stay"),
    ("phone", "phone", "desk-label-phone"),
    ("description", "description", "desk-label-description"),
];

impl DeskForm for SafeHouse {
    const NOUN: &'static str = "safehouse";

    fn name(&self) -> &str {
        &self.name
    }

    fn controls(v: &Fields, errors: &[(String, String)]) -> Markup {
        let chosen = all(v, "for");
        html! {
            (text_input("name", &tr!("desk-label-name"), None, field(v, "name"), errors))
            (text_input("area", &tr!("desk-label-area"), Some(&tr!("desk-hint-area-safehouse")), field(v, "area"), errors))
            fieldset #for {
                legend { (tr!("desk-label-for")) }
                p.hint { (tr!("desk-hint-for")) }
                div.checks {
                    @for t in ForTag::ALL {
                        label { input type="checkbox" name="for" value=(t.as_str()) checked[chosen.contains(&t.as_str())]; (kith_words::for_label_in(lang(), *t)) }
                    }
                }
            }
            (text_input("beds", &tr!("desk-label-beds-total"), None, field(v, "beds"), errors))
            (checkbox("wheelchair_access", &tr!("desk-label-wheelchair"), field(v, "wheelchair_access") == "yes"))
            (checkbox("self_referral", &tr!("desk-label-self-referral"), field(v, "self_referral") == "yes"))
            (text_input("longest_stay", &tr!("desk-label-longest-stay-nights"), Some(&tr!("desk-hint-longest-stay")), field(v, "longest_stay"), errors))
            (text_input("phone", &tr!("desk-label-phone"), Some(&tr!("desk-hint-phone-safehouse")), field(v, "phone"), errors))
            (textarea("description", &tr!("desk-label-description"), None, field(v, "description"), errors))
        }
    }

    fn values(h: &SafeHouse) -> Fields {
        let yes = |b: bool| if b { "yes" } else { "" };
        let mut v = vec![
            pair("name", &h.name),
            pair("area", &h.area),
            pair("beds", h.beds_total.to_string()),
            pair("wheelchair_access", yes(h.wheelchair_access)),
            pair("self_referral", yes(h.self_referral)),
            pair("longest_stay", h.longest_stay_nights.map(|n| n.to_string()).unwrap_or_default()),
            pair("phone", &h.phone),
            pair("description", &h.description),
        ];
        v.extend(h.for_tags.iter().map(|t| pair("for", t.as_str())));
        v
    }

    fn from_form(id: Ulid, form: &Fields) -> Result<SafeHouse, (String, String)> {
        let number = |name: &str, label: &str| -> Result<Option<i64>, (String, String)> {
            match field(form, name).trim() {
                "" => Ok(None),
                n => n.parse().map(Some).map_err(|_| {
                    pair(name, tr!("desk-error-not-whole-number", label = tr!(label), typed = n.to_owned()))
                }),
            }
        };
        let fields = v1::SafeHouseFields {
            name: field(form, "name").into(),
            area: field(form, "area").into(),
            for_tags: all(form, "for").into_iter().map(str::to_owned).collect(),
            beds_total: number("beds", "desk-label-beds-total")?.unwrap_or(0),
            wheelchair_access: field(form, "wheelchair_access") == "yes",
            self_referral: field(form, "self_referral") == "yes",
            longest_stay_nights: number("longest_stay", "desk-label-longest-stay")?,
            phone: field(form, "phone").into(),
            description: field(form, "description").into(),
        };
        convert::safehouse_from_fields(id, &fields).map_err(|e| named(e, SAFEHOUSE_FIELDS))
    }

    fn keep(old: &SafeHouse, new: SafeHouse) -> SafeHouse {
        SafeHouse { availability: old.availability, ..new }
    }
}

const SERVICE_FIELDS: &Mapping = &[
    ("name", "name", "desk-label-name"),
    ("description", "description", "desk-label-what-it-is"),
    ("categories", "categories", "desk-label-categories"),
    ("places[0].street", "street", "desk-label-street"),
    ("places[0].town", "town", "desk-label-town"),
    ("places", "postcode", "desk-label-postcode"),
    ("phones", "phones", "desk-label-phone"),
    ("email", "email", "desk-label-email"),
    ("website", "website", "desk-label-website"),
];

impl DeskForm for Service {
    const NOUN: &'static str = "service";

    fn name(&self) -> &str {
        &self.name
    }

    fn controls(v: &Fields, errors: &[(String, String)]) -> Markup {
        html! {
            (text_input("name", &tr!("desk-label-name"), None, field(v, "name"), errors))
            (textarea("description", &tr!("desk-label-what-it-is"), None, field(v, "description"), errors))
            (text_input("categories", &tr!("desk-label-categories"), Some(&tr!("desk-hint-categories", categories = Category::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "))), field(v, "categories"), errors))
            (text_input("street", &tr!("desk-label-street"), Some(&tr!("desk-hint-street")), field(v, "street"), errors))
            (text_input("town", &tr!("desk-label-town"), None, field(v, "town"), errors))
            (text_input("postcode", &tr!("desk-label-postcode"), Some(&tr!("desk-hint-postcode")), field(v, "postcode"), errors))
            (text_input("phones", &tr!("desk-label-phone"), Some(&tr!("desk-hint-commas")), field(v, "phones"), errors))
            (text_input("email", &tr!("desk-label-email"), None, field(v, "email"), errors))
            (text_input("website", &tr!("desk-label-website"), None, field(v, "website"), errors))
            (checkbox("free", &tr!("desk-label-free"), field(v, "free") == "yes"))
        }
    }

    fn values(s: &Service) -> Fields {
        let mut v = vec![
            pair("name", &s.name),
            pair("description", &s.description),
            pair("categories", s.categories.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")),
            pair("phones", s.phones.join(", ")),
            pair("email", &s.email),
            pair("website", &s.website),
            pair("free", if s.free { "yes" } else { "" }),
        ];
        if let Some(Place::Address { street, town, postcode }) = s.places.first() {
            v.extend([pair("street", street), pair("town", town), pair("postcode", postcode)]);
        }
        v
    }

    fn from_form(id: Ulid, form: &Fields) -> Result<Service, (String, String)> {
        let address = (field(form, "street").trim(), field(form, "town").trim(), field(form, "postcode").trim());
        let place = match address {
            ("", "", "") => v1::place::Where::Online(true),
            (street, town, postcode) => v1::place::Where::Address(v1::Address {
                street: street.into(),
                town: town.into(),
                postcode: postcode.into(),
            }),
        };
        let fields = v1::ServiceFields {
            name: field(form, "name").into(),
            description: field(form, "description").into(),
            sector: "ordinary".into(),
            categories: words(form, "categories"),
            free: field(form, "free") == "yes",
            phones: words(form, "phones"),
            email: field(form, "email").trim().into(),
            website: field(form, "website").trim().into(),
            places: vec![v1::Place { r#where: Some(place) }],
            assured_on: CivilDate::today_here().to_string(),
            ..Default::default()
        };
        convert::service_from_fields(id, &fields).map_err(|e| named(e, SERVICE_FIELDS))
    }

    fn keep(old: &Service, new: Service) -> Service {
        // What the form does not show stays as it was.
        Service {
            status: old.status,
            sector: old.sector,
            eligibility: old.eligibility.clone(),
            min_age: old.min_age,
            max_age: old.max_age,
            fees: old.fees.clone(),
            languages: old.languages.clone(),
            accessibility: old.accessibility.clone(),
            application_process: old.application_process.clone(),
            self_referral: old.self_referral,
            schedules: old.schedules.clone(),
            places: if matches!(new.places.first(), Some(Place::Virtual)) && old.places.len() > 1 {
                old.places.clone()
            } else {
                new.places
            },
            provider: old.provider.clone(),
            ..new
        }
    }
}

const OFFER_FIELDS: &Mapping = &[
    ("name", "name", "desk-label-name"),
    ("description", "description", "desk-label-what-it-does"),
    ("skills", "skills", "desk-label-skills"),
    ("areas", "areas", "desk-label-areas"),
    ("rate_note", "rate_note", "desk-label-rate-note"),
    ("rate", "rate", "desk-label-rate"),
    ("how_to_book", "how_to_book", "desk-label-how-to-book"),
    ("phones", "phones", "desk-label-phone"),
    ("email", "email", "desk-label-email"),
    ("website", "website", "desk-label-website"),
];

impl DeskForm for Offer {
    const NOUN: &'static str = "offer";

    fn name(&self) -> &str {
        &self.name
    }

    fn controls(v: &Fields, errors: &[(String, String)]) -> Markup {
        html! {
            (text_input("name", &tr!("desk-label-name"), Some(&tr!("desk-hint-offer-name")), field(v, "name"), errors))
            (textarea("description", &tr!("desk-label-what-it-does"), None, field(v, "description"), errors))
            (text_input("skills", &tr!("desk-label-skills"), Some(&tr!("desk-hint-offer-skills")), field(v, "skills"), errors))
            (text_input("areas", &tr!("desk-label-areas"), Some(&tr!("desk-hint-offer-areas")), field(v, "areas"), errors))
            (text_input("rate", &tr!("desk-label-rate-pounds"), Some(&tr!("desk-hint-rate")), field(v, "rate"), errors))
            (text_input("rate_note", &tr!("desk-label-rate-note"), Some(&tr!("desk-hint-rate-note")), field(v, "rate_note"), errors))
            (textarea("how_to_book", &tr!("desk-label-how-to-book"), Some(&tr!("desk-hint-how-to-book")), field(v, "how_to_book"), errors))
            (text_input("phones", &tr!("desk-label-phone"), Some(&tr!("desk-hint-commas")), field(v, "phones"), errors))
            (text_input("email", &tr!("desk-label-email"), None, field(v, "email"), errors))
            (text_input("website", &tr!("desk-label-website"), None, field(v, "website"), errors))
        }
    }

    fn values(o: &Offer) -> Fields {
        vec![
            pair("name", &o.name),
            pair("description", &o.description),
            pair("skills", o.skills.join(", ")),
            pair("areas", o.areas.join(", ")),
            pair("rate", format!("{}.{:02}", o.rate_pence / 100, o.rate_pence % 100)),
            pair("rate_note", &o.rate_note),
            pair("how_to_book", &o.how_to_book),
            pair("phones", o.phones.join(", ")),
            pair("email", &o.email),
            pair("website", &o.website),
        ]
    }

    fn from_form(id: Ulid, form: &Fields) -> Result<Offer, (String, String)> {
        let rate = kith_proto::validate::parse_pounds(field(form, "rate"))
            .map_err(|why| pair("rate", tr!("desk-field-problem", label = tr!("desk-label-rate"), problem = why)))?;
        let fields = v1::OfferFields {
            name: field(form, "name").into(),
            description: field(form, "description").into(),
            skills: words(form, "skills"),
            areas: words(form, "areas"),
            rate_pence: i64::try_from(rate).unwrap_or(i64::MAX),
            rate_note: field(form, "rate_note").into(),
            how_to_book: field(form, "how_to_book").into(),
            phones: words(form, "phones"),
            email: field(form, "email").trim().into(),
            website: field(form, "website").trim().into(),
        };
        kith_proto::offer::offer_from_fields(id, &fields).map_err(|e| named(e, OFFER_FIELDS))
    }

    fn keep(_old: &Offer, new: Offer) -> Offer {
        new
    }

    fn admit(desk: &Desk, item: &Offer) -> Result<(), (String, String)> {
        crate::admin::fair_rate(item, desk.admin.fair_rate_pence).map_err(|status| {
            let why = status.message();
            let why = why.strip_prefix("rate: ").unwrap_or(why);
            pair("rate", tr!("desk-field-problem", label = tr!("desk-label-rate"), problem = why.to_owned()))
        })
    }
}

/// The form page of family `T`: to add one (`id` None) or edit one.
fn form_page<T: DeskForm>(
    desk: &Desk,
    w: &Worker,
    family: &str,
    id: Option<Ulid>,
    values: &Fields,
    errors: &[(String, String)],
) -> Response {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let (title, action) = match id {
        None => (tr!(&format!("desk-add-{}", T::NOUN)), format!("/listings/{family}/new")),
        Some(id) => (tr!(&format!("desk-change-{}", T::NOUN)), format!("/listings/{family}/{id}/edit")),
    };
    respond(
        status,
        frame(
            desk,
            Some(w),
            &title,
            html! {
                (error_summary(errors))
                h1 { (title) }
                form method="post" action=(action) novalidate {
                    (token(w))
                    (T::controls(values, errors))
                    button type="submit" { @if id.is_some() { (tr!("desk-save-changes")) } @else { (title) } }
                }
                p { a href={ "/listings#" (family) } { (tr!("desk-cancel")) } }
            },
        ),
    )
}

fn no_family(desk: &Desk, w: &Worker) -> Response {
    page_error(desk, Some(w), StatusCode::NOT_FOUND, &tr!("desk-page-not-found"), tr!("desk-no-such-family"))
}

async fn new_page(State(desk): State<Desk>, w: Worker, Path(family): Path<String>) -> Response {
    by_family!(family.as_str(), T => form_page::<T>(&desk, &w, &family, None, &Fields::new(), &[]), no_family(&desk, &w))
}

async fn add(State(desk): State<Desk>, Path(family): Path<String>, Posted(w, form): Posted) -> Response {
    by_family!(family.as_str(), T => {
        match T::from_form(Ulid::new(), &form).and_then(|item| T::admit(&desk, &item).map(|()| item)) {
            Err(error) => form_page::<T>(&desk, &w, &family, None, &form, &[error]),
            Ok(item) => match acting(w.actor(), desk.store.create(item)).await {
                Ok(_) => Redirect::to(&format!("/listings#{family}")).into_response(),
                Err(e) => form_page::<T>(&desk, &w, &family, None, &form, &[(T::NOUN.into(), e.to_string())]),
            },
        }
    }, no_family(&desk, &w))
}

async fn edit_page(State(desk): State<Desk>, w: Worker, Path((family, id)): Path<(String, String)>) -> Response {
    let Ok(id) = Ulid::from_string(&id) else { return no_listing(&desk, &w) };
    by_family!(family.as_str(), T => match desk.store.get::<T>(id) {
        Ok(Some(r)) if !r.withdrawn => form_page::<T>(&desk, &w, &family, Some(id), &T::values(&r.item), &[]),
        _ => no_listing(&desk, &w),
    }, no_family(&desk, &w))
}

fn no_listing(desk: &Desk, w: &Worker) -> Response {
    page_error(desk, Some(w), StatusCode::NOT_FOUND, &tr!("desk-no-such-listing"), tr!("desk-no-such-listing-detail"))
}

async fn edit(
    State(desk): State<Desk>,
    Path((family, id)): Path<(String, String)>,
    Posted(w, form): Posted,
) -> Response {
    let Ok(id) = Ulid::from_string(&id) else { return no_listing(&desk, &w) };
    by_family!(family.as_str(), T => {
        match T::from_form(id, &form).and_then(|item| T::admit(&desk, &item).map(|()| item)) {
            Err(error) => form_page::<T>(&desk, &w, &family, Some(id), &form, &[error]),
            Ok(item) => match acting(w.actor(), desk.store.update::<T>(id, move |old| Ok(T::keep(&old, item.clone())))).await {
                Ok(_) => Redirect::to(&format!("/listings#{family}")).into_response(),
                Err(e) => form_page::<T>(&desk, &w, &family, Some(id), &form, &[(T::NOUN.into(), e.to_string())]),
            },
        }
    }, no_family(&desk, &w))
}

// ---------------------------------------------------------------- import

/// The largest file the import takes.
const IMPORT_MAX_BYTES: usize = 16 * 1024 * 1024;

async fn import_page(State(desk): State<Desk>, w: Worker) -> Response {
    import_form(&desk, &w, None, &[])
}

/// What an import did, or would do on a check.
#[derive(Debug, Default)]
struct Imported {
    check: bool,
    created: usize,
    updated: usize,
    unchanged: usize,
    refused: usize,
    problems: Vec<kith_opendata::import::Problem>,
}

fn import_form(desk: &Desk, w: &Worker, done: Option<&Imported>, errors: &[(String, String)]) -> Response {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    respond(
        status,
        frame(
            desk,
            Some(w),
            &tr!("desk-import-services"),
            html! {
                (error_summary(errors))
                @if let Some(d) = done {
                    div.notice role="status" {
                        p { strong {
                            @let counts = (d.created, d.updated, d.unchanged, d.refused);
                            @if d.check {
                                (tr!("desk-import-checked", created = counts.0, updated = counts.1, unchanged = counts.2, refused = counts.3))
                            } @else {
                                (tr!("desk-import-done", created = counts.0, updated = counts.1, unchanged = counts.2, refused = counts.3))
                            }
                        } }
                        @if d.check && d.problems.is_empty() { p { (tr!("desk-import-nothing-written")) } }
                    }
                    @if !d.problems.is_empty() {
                        @let (at, fld, problem) = (tr!("desk-import-where"), tr!("desk-import-field"), tr!("desk-import-problem"));
                        table {
                            caption { (tr!("desk-import-wrong")) }
                            thead { tr { th scope="col" { (at) } th scope="col" { (fld) } th scope="col" { (problem) } } }
                            tbody { @for p in &d.problems { tr { td data-label=(at) { (theirs(&p.at)) } td data-label=(fld) { code { (p.field) } } td data-label=(problem) { (english(&p.reason)) } } } }
                        }
                    }
                }
                h1 { (tr!("desk-import-services")) }
                p { (tr!("desk-import-intro")) }
                form method="post" action="/listings/import" enctype="multipart/form-data" novalidate {
                    (token(w))
                    div.field.field-error[errors.iter().any(|(f, _)| f == "file")] {
                        label for="file" { (tr!("desk-import-file")) }
                        @if let Some((_, e)) = errors.iter().find(|(f, _)| f == "file") { p.error-message id="file-error" { span.visually-hidden { (tr!("desk-error-prefix")) " " } (e) } }
                        input #file type="file" name="file" accept=".json,application/json";
                    }
                    button.secondary type="submit" name="do" value="check" { (tr!("desk-import-check")) }
                    " "
                    button type="submit" name="do" value="import" { (tr!("desk-import")) }
                }
            },
        ),
    )
}

async fn import(State(desk): State<Desk>, w: Worker, mut parts: axum::extract::Multipart) -> Response {
    let (mut csrf, mut action, mut file, mut name) = (String::new(), String::new(), String::new(), String::new());
    loop {
        match parts.next_field().await {
            Ok(Some(part)) => {
                let field = part.name().unwrap_or_default().to_owned();
                if field == "file" {
                    name = part.file_name().unwrap_or("the file").to_owned();
                }
                let Ok(text) = part.text().await else {
                    return import_form(&desk, &w, None, &[("file".into(), tr!("desk-import-not-text"))]);
                };
                match field.as_str() {
                    "csrf" => csrf = text,
                    "do" => action = text,
                    "file" => file = text,
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(e) => {
                return import_form(
                    &desk,
                    &w,
                    None,
                    &[("file".into(), tr!("desk-import-upload-failed", why = e.to_string()))],
                );
            }
        }
    }
    if let Err(r) = check_token(&desk, &w, &csrf).await {
        return r;
    }
    if file.trim().is_empty() {
        return import_form(&desk, &w, None, &[("file".into(), tr!("desk-import-choose-file"))]);
    }
    let (candidates, problems) =
        match kith_opendata::import::read_json_text(&name, &file, &kith_opendata::import::Defaults::default()) {
            Ok(read) => read,
            Err(e) => return import_form(&desk, &w, None, &[("file".into(), e.to_string())]),
        };
    let check = action != "import";
    let mut done = Imported { check, problems, ..Default::default() };
    for c in candidates {
        let request = v1::ImportServiceRequest { source_id: c.source_id, fields: Some(c.fields), dry_run: check };
        match acting(w.actor(), desk.admin.import_service(Request::new(request))).await {
            Ok(reply) => match reply.into_inner().outcome.as_str() {
                "created" => done.created += 1,
                "updated" => done.updated += 1,
                _ => done.unchanged += 1,
            },
            Err(status) => {
                done.refused += 1;
                let (field, reason) = status.message().split_once(": ").unwrap_or(("", status.message()));
                done.problems.push(kith_opendata::import::Problem {
                    at: c.at,
                    field: field.into(),
                    reason: reason.into(),
                });
            }
        }
    }
    import_form(&desk, &w, Some(&done), &[])
}

/// Whether an opportunity is open, in words.
fn opportunity_status(status: OpportunityStatus) -> String {
    match status {
        OpportunityStatus::Open => tr!("desk-opportunity-status-open"),
        OpportunityStatus::Filled => tr!("desk-opportunity-status-filled"),
        OpportunityStatus::Withdrawn => tr!("desk-opportunity-status-withdrawn"),
    }
}
