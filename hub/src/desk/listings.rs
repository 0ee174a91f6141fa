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
        html! { a href={ "/listings/" (family) "/" (id) "/withdraw" } { "Withdraw" span.visually-hidden { " " (name) } } }
    };
    let change = |family: &str, id: Ulid, name: &str| {
        html! { a href={ "/listings/" (family) "/" (id) "/edit" } { "Change" span.visually-hidden { " " (name) } } }
    };
    let older = |family: &str, last: Option<Ulid>, n: usize| {
        html! {
            @if let (Some(last), true) = (last, n == LISTINGS_PAGE) {
                p { a href={ "/listings?family=" (family) "&before=" (last) "#" (family) } { "Older " (family) } }
            }
        }
    };
    let shown = |family: &str| q.get("family").is_none_or(|f| f == family);
    respond(
        StatusCode::OK,
        frame(
            &desk,
            Some(&w),
            "Listings",
            html! {
                h1 { "Listings" }
                @if q.contains_key("family") { p { a href="/listings" { "The newest of every kind" } } }
                @if shown("opportunities") {
                    h2 #opportunities { "Opportunities" }
                    p { a.button href="/listings/opportunities/new" { "Add an opportunity" } }
                    @if opportunities.is_empty() { p { "None." } }
                    ul.results {
                        @for r in &opportunities {
                            li {
                                h3 { (r.item.title) }
                                p.meta { (kith_words::kind_label(r.item.kind)) " · " (r.item.area) " · " (r.item.status.as_str()) }
                                p { (change("opportunities", r.item.id, &r.item.title)) " " (withdraw("opportunities", r.item.id, &r.item.title)) }
                            }
                        }
                    }
                    (older("opportunities", opportunities.last().map(|r| r.item.id), opportunities.len()))
                }
                @if shown("services") {
                    h2 #services { "Services" }
                    p { a.button href="/listings/services/new" { "Add a service" } " " a href="/listings/import" { "Import services (HSDS)" } }
                    @if services.is_empty() { p { "None." } }
                    ul.results {
                        @for r in &services {
                            li {
                                h3 { (r.item.name) }
                                p.meta {
                                    @match r.item.assured_on {
                                        Some(d) => { "Confirmed " (kith_words::date_text(d)) },
                                        None => { "Never confirmed" },
                                    }
                                }
                                form.inline method="post" action={ "/listings/services/" (r.item.id) "/confirm" } {
                                    (token(&w))
                                    button.secondary type="submit" { "Still right" span.visually-hidden { ": " (r.item.name) } }
                                }
                                " " (change("services", r.item.id, &r.item.name)) " " (withdraw("services", r.item.id, &r.item.name))
                            }
                        }
                    }
                    (older("services", services.last().map(|r| r.item.id), services.len()))
                }
                @if shown("offers") {
                    h2 #offers { "Businesses" }
                    p.hint { "The pool's businesses, each published to the region with what it does, where, its rate and how to book." }
                    @if desk.admin.fair_rate_pence.is_none() {
                        p.warn { "Set fair_rate in hub.toml (the region's fair rate, in pounds an hour) before running a pool's businesses." }
                    } @else {
                        p { a.button href="/listings/offers/new" { "Add a business" } }
                    }
                    @if offers.is_empty() { p { "None." } }
                    ul.results {
                        @for r in &offers {
                            li {
                                h3 { (r.item.name) }
                                p.meta { (kith_words::rate_text(r.item.rate_pence)) " · " (r.item.areas.join(", ")) }
                                p { (change("offers", r.item.id, &r.item.name)) " " (withdraw("offers", r.item.id, &r.item.name)) }
                            }
                        }
                    }
                    (older("offers", offers.last().map(|r| r.item.id), offers.len()))
                }
                @if shown("safehouses") {
                    h2 #safehouses { "Safe houses" }
                    p { a.button href="/listings/safehouses/new" { "Add a safe house" } }
                    @if houses.is_empty() { p { "None." } }
                    ul.results {
                        @for r in &houses {
                            li {
                                h3 { (r.item.name) }
                                p.meta { (r.item.area) " · " (kith_words::count(r.item.beds_total as usize, "bed", "beds")) }
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
            "No such listing",
            "It may have been withdrawn already.",
        );
    };
    respond(
        StatusCode::OK,
        frame(
            &desk,
            Some(&w),
            "Withdraw",
            html! {
                h1 { "Withdraw " (name) "?" }
                p { "It disappears from the region's board, directory and open data. It cannot be published again." }
                form method="post" action={ "/listings/" (family) "/" (id) "/withdraw" } {
                    (token(&w))
                    button.warning type="submit" { "Withdraw" }
                }
                p { a href="/listings" { "Cancel" } }
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
        _ => return page_error(&desk, Some(&w), StatusCode::NOT_FOUND, "Page not found", "There is no such family."),
    };
    match done {
        Ok(_) => Redirect::to("/listings").into_response(),
        Err(status) => page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, "Not withdrawn", status.message()),
    }
}

async fn service_confirm(State(desk): State<Desk>, Path(id): Path<String>, Posted(w, _): Posted) -> Response {
    let Ok(id) = Ulid::from_string(&id) else {
        return page_error(&desk, Some(&w), StatusCode::NOT_FOUND, "No such service", "Its id is not valid.");
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
        Err(e) => page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, "Not confirmed", &e.to_string()),
    }
}

// ---------------------------------------------------------------- forms

/// One family's form on the desk: its controls, its values for a listing, and the
/// listing it describes, checked as the admin API checks it.
trait DeskForm: Listing {
    /// Its words: "opportunity", "safe house", "service".
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

/// The (error's field prefix, form field, label) of a family's form.
type Mapping = [(&'static str, &'static str, &'static str)];

/// Names an error by the form's field and label: `(form field, "Label: problem")`.
fn named(e: ValidationError, mapping: &Mapping) -> (String, String) {
    let found = mapping.iter().find(|(prefix, ..)| e.field.starts_with(prefix));
    let (_, id, label) = found.copied().unwrap_or(mapping[0]);
    (id.to_owned(), format!("{label}: {}", e.problem))
}

fn words(form: &Fields, name: &str) -> Vec<String> {
    field(form, name).split(',').map(str::trim).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

fn pair(k: &str, v: impl Into<String>) -> (String, String) {
    (k.to_owned(), v.into())
}

const OPPORTUNITY_FIELDS: &Mapping = &[
    ("title", "title", "Title"),
    ("kind", "kind", "Kind"),
    ("sector", "sector", "Sector"),
    ("description", "description", "Description"),
    ("area", "area", "Area"),
    ("hours_per_week", "hours", "Hours a week"),
    ("pay", "pay", "Pay"),
    ("skills", "skills", "Skills"),
    ("how_to_apply", "how_to_apply", "How to apply"),
    ("closes_on", "closes_on", "Closes on"),
    ("status", "status", "Status"),
];

impl DeskForm for Opportunity {
    const NOUN: &'static str = "opportunity";

    fn name(&self) -> &str {
        &self.title
    }

    fn controls(v: &Fields, errors: &[(String, String)]) -> Markup {
        let kinds: Vec<(&str, &str)> =
            OpportunityKind::ALL.iter().map(|k| (k.as_str(), kith_words::kind_label(*k))).collect();
        let per: Vec<(&str, &str)> = PayPer::ALL.iter().map(|p| (p.as_str(), p.as_str())).collect();
        html! {
            (text_input("title", "Title", None, field(v, "title"), errors))
            (select("kind", "Kind", &kinds, field(v, "kind"), errors))
            (select("sector", "Sector", &[("ordinary", "An ordinary job or course"), ("mental-health", "In mental health")], field(v, "sector"), errors))
            (textarea("description", "Description", None, field(v, "description"), errors))
            (text_input("area", "Area", Some("A town or postcode district, e.g. Leeds LS6: with a district, people nearby find it first"), field(v, "area"), errors))
            (checkbox("remote", "Can be done from home", field(v, "remote") == "yes"))
            (text_input("hours", "Hours a week", Some("Leave empty if it varies"), field(v, "hours"), errors))
            (text_input("pay", "Pay, in pounds", Some("e.g. 12.21; leave empty if unpaid"), field(v, "pay"), errors))
            (select("pay_per", "Paid per", &per, field(v, "pay_per"), errors))
            (checkbox("expenses_paid", "Expenses paid", field(v, "expenses_paid") == "yes"))
            (text_input("skills", "Skills", Some("Separated by commas"), field(v, "skills"), errors))
            (textarea("how_to_apply", "How to apply", None, field(v, "how_to_apply"), errors))
            (text_input("closes_on", "Closes on", Some("YYYY-MM-DD; leave empty if it does not close"), field(v, "closes_on"), errors))
            @if !field(v, "status").is_empty() {
                (select("status", "Status", &[("open", "Open"), ("filled", "Filled")], field(v, "status"), errors))
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
            h => Some(h.parse::<f32>().map_err(|_| pair("hours", format!("Hours a week: not a number: {h:?}")))?),
        };
        let pay = match field(form, "pay").trim().trim_start_matches('£') {
            "" => None,
            p => {
                let pounds: f64 = p.parse().map_err(|_| pair("pay", format!("Pay: not an amount in pounds: {p:?}")))?;
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
                    return Err(pair("status", "Status: withdraw it from the list instead"));
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
    ("name", "name", "Name"),
    ("area", "area", "Area"),
    ("for", "for", "Who it is for"),
    ("beds_total", "beds", "Beds"),
    ("longest_stay_nights", "longest_stay", "Longest stay"),
    ("phone", "phone", "Phone"),
    ("description", "description", "Description"),
];

impl DeskForm for SafeHouse {
    const NOUN: &'static str = "safe house";

    fn name(&self) -> &str {
        &self.name
    }

    fn controls(v: &Fields, errors: &[(String, String)]) -> Markup {
        let chosen = all(v, "for");
        html! {
            (text_input("name", "Name", None, field(v, "name"), errors))
            (text_input("area", "Area", Some("A town or postcode district, never the address: the region shows the district's centre"), field(v, "area"), errors))
            fieldset #for {
                legend { "Who it is for" }
                p.hint { "Leave all unticked if it is for anyone." }
                div.checks {
                    @for t in ForTag::ALL {
                        label { input type="checkbox" name="for" value=(t.as_str()) checked[chosen.contains(&t.as_str())]; (kith_words::for_label(*t)) }
                    }
                }
            }
            (text_input("beds", "Beds in total", None, field(v, "beds"), errors))
            (checkbox("wheelchair_access", "Wheelchair accessible", field(v, "wheelchair_access") == "yes"))
            (checkbox("self_referral", "People can refer themselves", field(v, "self_referral") == "yes"))
            (text_input("longest_stay", "Longest stay, in nights", Some("Leave empty if there is none"), field(v, "longest_stay"), errors))
            (text_input("phone", "Phone", Some("The number people ring to ask for a bed"), field(v, "phone"), errors))
            (textarea("description", "Description", None, field(v, "description"), errors))
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
                n => n.parse().map(Some).map_err(|_| pair(name, format!("{label}: not a whole number: {n:?}"))),
            }
        };
        let fields = v1::SafeHouseFields {
            name: field(form, "name").into(),
            area: field(form, "area").into(),
            for_tags: all(form, "for").into_iter().map(str::to_owned).collect(),
            beds_total: number("beds", "Beds in total")?.unwrap_or(0),
            wheelchair_access: field(form, "wheelchair_access") == "yes",
            self_referral: field(form, "self_referral") == "yes",
            longest_stay_nights: number("longest_stay", "Longest stay")?,
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
    ("name", "name", "Name"),
    ("description", "description", "What it is"),
    ("categories", "categories", "Categories"),
    ("places[0].street", "street", "Street"),
    ("places[0].town", "town", "Town"),
    ("places", "postcode", "Postcode"),
    ("phones", "phones", "Phone"),
    ("email", "email", "Email"),
    ("website", "website", "Website"),
];

impl DeskForm for Service {
    const NOUN: &'static str = "service";

    fn name(&self) -> &str {
        &self.name
    }

    fn controls(v: &Fields, errors: &[(String, String)]) -> Markup {
        html! {
            (text_input("name", "Name", None, field(v, "name"), errors))
            (textarea("description", "What it is", None, field(v, "description"), errors))
            (text_input("categories", "Categories", Some(&format!("Separated by commas, from: {}", Category::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "))), field(v, "categories"), errors))
            (text_input("street", "Street", Some("Where people come: the street and number. Leave the address empty for a service by phone or online."), field(v, "street"), errors))
            (text_input("town", "Town", None, field(v, "town"), errors))
            (text_input("postcode", "Postcode", Some("A full postcode, for example LS1 6DT"), field(v, "postcode"), errors))
            (text_input("phones", "Phone", Some("Separated by commas"), field(v, "phones"), errors))
            (text_input("email", "Email", None, field(v, "email"), errors))
            (text_input("website", "Website", None, field(v, "website"), errors))
            (checkbox("free", "Free of charge", field(v, "free") == "yes"))
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
    ("name", "name", "Name"),
    ("description", "description", "What it does"),
    ("skills", "skills", "Skills"),
    ("areas", "areas", "Where it works"),
    ("rate_note", "rate_note", "About the rate"),
    ("rate", "rate", "Rate an hour"),
    ("how_to_book", "how_to_book", "How to book"),
    ("phones", "phones", "Phone"),
    ("email", "email", "Email"),
    ("website", "website", "Website"),
];

impl DeskForm for Offer {
    const NOUN: &'static str = "business";

    fn name(&self) -> &str {
        &self.name
    }

    fn controls(v: &Fields, errors: &[(String, String)]) -> Markup {
        html! {
            (text_input("name", "Name", Some("The business, as people know it, e.g. Green Hands Garden Co-op"), field(v, "name"), errors))
            (textarea("description", "What it does", None, field(v, "description"), errors))
            (text_input("skills", "Skills", Some("What it does in the words people search, separated by commas: gardening, hedge cutting"), field(v, "skills"), errors))
            (text_input("areas", "Where it works", Some("Towns or postcode districts, separated by commas, e.g. Leeds LS6, Bradford"), field(v, "areas"), errors))
            (text_input("rate", "Rate an hour, in pounds", Some("e.g. 15.50: at least the region's fair rate"), field(v, "rate"), errors))
            (text_input("rate_note", "About the rate", Some("e.g. materials extra; two hours at least"), field(v, "rate_note"), errors))
            (textarea("how_to_book", "How to book", Some("e.g. Ring or text 07700 900123, weekdays 9 to 5"), field(v, "how_to_book"), errors))
            (text_input("phones", "Phone", Some("Separated by commas"), field(v, "phones"), errors))
            (text_input("email", "Email", None, field(v, "email"), errors))
            (text_input("website", "Website", None, field(v, "website"), errors))
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
            .map_err(|why| pair("rate", format!("Rate an hour: {why}")))?;
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
            pair("rate", format!("Rate an hour: {why}"))
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
        None => (format!("Add a {}", T::NOUN), format!("/listings/{family}/new")),
        Some(id) => (format!("Change this {}", T::NOUN), format!("/listings/{family}/{id}/edit")),
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
                    button type="submit" { @if id.is_some() { "Save the changes" } @else { (title) } }
                }
                p { a href={ "/listings#" (family) } { "Cancel" } }
            },
        ),
    )
}

fn no_family(desk: &Desk, w: &Worker) -> Response {
    page_error(desk, Some(w), StatusCode::NOT_FOUND, "Page not found", "There is no such kind of listing.")
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
    page_error(desk, Some(w), StatusCode::NOT_FOUND, "No such listing", "It may have been withdrawn.")
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
            "Import services",
            html! {
                (error_summary(errors))
                @if let Some(d) = done {
                    div.notice role="status" {
                        p { strong {
                            @if d.check { "Checked: would create " } @else { "Imported: created " }
                            (d.created) ", update " (d.updated) ", leave " (d.unchanged) " as they are; " (d.refused) " refused"
                        } }
                        @if d.check && d.problems.is_empty() { p { "Nothing was written. Choose the file again and import it." } }
                    }
                    @if !d.problems.is_empty() {
                        table {
                            caption { "What is wrong in the file" }
                            thead { tr { th scope="col" { "Where" } th scope="col" { "Field" } th scope="col" { "Problem" } } }
                            tbody { @for p in &d.problems { tr { td data-label="Where" { (p.at) } td data-label="Field" { (p.field) } td data-label="Problem" { (p.reason) } } } }
                        }
                    }
                }
                h1 { "Import services" }
                p { "From an HSDS 3 or Open Referral UK JSON file: a service, a list of them, or a page of the API. A service imported again from the same directory updates the one imported before." }
                form method="post" action="/listings/import" enctype="multipart/form-data" novalidate {
                    (token(w))
                    div.field.field-error[errors.iter().any(|(f, _)| f == "file")] {
                        label for="file" { "The file" }
                        @if let Some((_, e)) = errors.iter().find(|(f, _)| f == "file") { p.error-message id="file-error" { span.visually-hidden { "Error: " } (e) } }
                        input #file type="file" name="file" accept=".json,application/json";
                    }
                    button.secondary type="submit" name="do" value="check" { "Check it (writes nothing)" }
                    " "
                    button type="submit" name="do" value="import" { "Import" }
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
                    return import_form(
                        &desk,
                        &w,
                        None,
                        &[("file".into(), "The file could not be read as text".into())],
                    );
                };
                match field.as_str() {
                    "csrf" => csrf = text,
                    "do" => action = text,
                    "file" => file = text,
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(e) => return import_form(&desk, &w, None, &[("file".into(), format!("The upload failed: {e}"))]),
        }
    }
    if let Err(r) = check_token(&desk, &w, &csrf).await {
        return r;
    }
    if file.trim().is_empty() {
        return import_form(&desk, &w, None, &[("file".into(), "Choose a file to import".into())]);
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
