//! The region as Open Referral HSDS 3 (with the UK profile's expectations): every
//! hub an `organization`, every service a `service` with its schedules, places and
//! taxonomy terms, every safe house a `service` with an area and never an address,
//! its beds in the `service_capacity` shape (`capacities`: available, maximum,
//! updated), every offer (a business of a hub's pool) a `service` with its areas,
//! its hourly rate as a cost option and the `offer` term. Kith's categories are
//! published as one HSDS taxonomy.
//!
//! Ids: HSDS wants UUIDs. Each is a UUID v5 of what identifies the entity in Kith
//! (region and hub for an organization; hub and ULID for a service; the service's
//! id and the place's position for a location), so the same entity has the same id
//! at every relay and in every export. Empty optional fields are left out, as the
//! ORUK feed rules ask.

use serde_json::{Map, Value, json};
use ulid::Ulid;
use uuid::Uuid;

use kith_proto::Slug;
use kith_proto::domain::SafeHouse;
use kith_proto::offer::Offer;
use kith_proto::service::{Category, ClockTime, Place, Service, ServiceStatus, Weekday};
use kith_words::for_text;

/// The namespace of Kith's HSDS ids.
const NAMESPACE: Uuid = Uuid::from_u128(0x6b69_7468_2d68_7364_732d_6964_732d_7633);

/// The HSDS version served and exported.
pub const VERSION: &str = "3.0";
/// The UK profile the API follows.
pub const PROFILE: &str = "https://openreferraluk.org";

/// The OpenAPI description a relay serves at `/openapi.json` (`opendata/hsds/README.md`).
pub const OPENAPI: &str = include_str!("../hsds/openapi.json");

/// HSDS 3's tabular data package: the tables and columns of an export, with their
/// types and foreign keys (`opendata/hsds/README.md`).
pub const DATAPACKAGE: &str = include_str!("../hsds/datapackage.json");

fn id(kind: &str, parts: &[&str]) -> String {
    Uuid::new_v5(&NAMESPACE, format!("{kind}:{}", parts.join(":")).as_bytes()).to_string()
}

pub fn organization_id(region: &Slug, hub: &Slug) -> String {
    id("organization", &[region.as_str(), hub.as_str()])
}

pub fn service_id(hub: &Slug, ulid: Ulid) -> String {
    id("service", &[hub.as_str(), &ulid.to_string()])
}

pub fn safe_house_id(hub: &Slug, ulid: Ulid) -> String {
    id("safehouse", &[hub.as_str(), &ulid.to_string()])
}

pub fn offer_id(hub: &Slug, ulid: Ulid) -> String {
    id("offer", &[hub.as_str(), &ulid.to_string()])
}

pub fn taxonomy_id() -> String {
    id("taxonomy", &["kith-categories"])
}

pub fn taxonomy_term_id(c: Category) -> String {
    id("taxonomy_term", &[c.as_str()])
}

/// The term for a safe house: every one is in this term, beside its crisis category.
pub fn safe_house_term_id() -> String {
    id("taxonomy_term", &["safe-house"])
}

/// The term for an offer: work to book from a business of a group's pool.
pub fn offer_term_id() -> String {
    id("taxonomy_term", &["offer"])
}

/// The code and name of [`offer_term_id`]'s term.
const OFFER_TERM: (&str, &str) = ("offer", "Work to book from a group's business");

/// An RFC 3339 instant with milliseconds, as HSDS's `last_modified` asks.
pub fn datetime(ms: i64) -> Option<String> {
    jiff::Timestamp::from_millisecond(ms).ok().map(|t| format!("{t:.3}"))
}

/// A JSON object without its empty optional fields: `null`, `""` and `[]` are left
/// out (ORUK: "empty optional fields omitted").
pub fn object(fields: Vec<(&str, Value)>) -> Value {
    let mut map = Map::new();
    for (k, v) in fields {
        let empty = match &v {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::Array(a) => a.is_empty(),
            _ => false,
        };
        if !empty {
            map.insert(k.to_owned(), v);
        }
    }
    Value::Object(map)
}

/// The region's taxonomy of Kith categories.
pub fn taxonomy() -> Value {
    object(vec![
        ("id", json!(taxonomy_id())),
        ("name", json!("Kith service categories")),
        (
            "description",
            json!(
                "What a service is, in a few plain categories; ordinary services first, not only mental-health ones."
            ),
        ),
        ("version", json!("1")),
    ])
}

/// Every term of the taxonomy: the categories, then safe houses, then offers.
pub fn taxonomy_terms() -> Vec<Value> {
    let mut terms: Vec<Value> =
        Category::ALL.iter().map(|&c| term(taxonomy_term_id(c), c.as_str(), c.label())).collect();
    terms.push(term(safe_house_term_id(), "safe-house", "Safe house"));
    terms.push(term(offer_term_id(), OFFER_TERM.0, OFFER_TERM.1));
    terms
}

fn term(id: String, code: &str, name: &str) -> Value {
    object(vec![
        ("id", json!(id)),
        ("code", json!(code)),
        ("name", json!(name)),
        ("description", json!(name)),
        ("taxonomy", json!("Kith service categories")),
        ("taxonomy_id", json!(taxonomy_id())),
        ("language", json!("en")),
    ])
}

/// A hub as an organization: what a list shows.
pub fn organization(region: &Slug, hub: &Slug, name: &str, description: &str, contact: &str) -> Value {
    object(vec![
        ("id", json!(organization_id(region, hub))),
        ("name", json!(name)),
        // Required by HSDS even when the hub gave none.
        ("description", json!(if description.is_empty() { name } else { description })),
        ("alternate_name", json!(hub.as_str())),
        ("email", json!(contact.contains('@').then(|| contact.trim()))),
    ])
}

/// How a service is linked to a taxonomy term.
fn attribute(service_id: &str, term_id: String, code: &str, label: &str) -> Value {
    object(vec![
        ("id", json!(id("attribute", &[service_id, &term_id]))),
        ("link_id", json!(service_id)),
        ("link_type", json!("service")),
        ("link_entity", json!("service")),
        ("taxonomy_term_id", json!(term_id)),
        ("taxonomy_term", term(term_id.clone(), code, label)),
    ])
}

fn phone(owner: &str, number: &str) -> Value {
    object(vec![("id", json!(id("phone", &[owner, number]))), ("number", json!(number))])
}

/// A local time of day as HSDS and its data package type it: `HH:MM:SS`; a
/// closing time of 24:00 is the last second of the day.
fn time(t: ClockTime) -> String {
    if t >= ClockTime::END_OF_DAY { "23:59:59".to_owned() } else { format!("{t}:00") }
}

fn byday(days: &[Weekday]) -> String {
    days.iter().map(|d| d.ical()).collect::<Vec<_>>().join(",")
}

/// The locations of a service's places, each with its own id, as
/// `service_at_location` objects.
pub fn service_at_locations(service_id: &str, s: &Service) -> Vec<Value> {
    s.places
        .iter()
        .enumerate()
        .filter_map(|(i, place)| {
            let location_id = id("location", &[service_id, &i.to_string()]);
            let location = match place {
                Place::Address { street, town, postcode } => object(vec![
                    ("id", json!(location_id)),
                    ("location_type", json!("physical")),
                    ("name", json!(format!("{street}, {town}"))),
                    (
                        "addresses",
                        json!([object(vec![
                            ("id", json!(id("address", &[&location_id]))),
                            ("location_id", json!(location_id)),
                            ("address_1", json!(street)),
                            ("city", json!(town)),
                            ("state_province", json!(town)),
                            ("postal_code", json!(postcode)),
                            ("country", json!("GB")),
                            ("address_type", json!("physical")),
                        ])]),
                    ),
                ]),
                Place::Virtual => object(vec![
                    ("id", json!(location_id)),
                    ("location_type", json!("virtual")),
                    ("name", json!("Online or by phone")),
                    ("url", json!(s.website)),
                ]),
                // An area is a service area, not a location.
                Place::Area(_) => return None,
            };
            Some(object(vec![
                ("id", json!(id("service_at_location", &[service_id, &i.to_string()]))),
                ("service_id", json!(service_id)),
                ("location_id", location["id"].clone()),
                ("location", location),
            ]))
        })
        .collect()
}

/// A service, fully nested, as `/services/{id}` and the export give it.
pub fn service(region: &Slug, hub: &Slug, ulid: Ulid, s: &Service, at_ms: i64) -> Value {
    let sid = service_id(hub, ulid);
    let schedules: Vec<Value> = s
        .schedules
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let (opens, closes) = h.hours.map_or((None, None), |(o, c)| (Some(time(o)), Some(time(c))));
            object(vec![
                ("id", json!(id("schedule", &[&sid, &i.to_string()]))),
                ("service_id", json!(sid)),
                ("freq", json!((!h.days.is_empty()).then_some("WEEKLY"))),
                ("wkst", json!((!h.days.is_empty()).then_some("MO"))),
                ("byday", json!(byday(&h.days))),
                ("opens_at", json!(opens)),
                ("closes_at", json!(closes)),
                ("description", json!(h.to_string())),
                ("attending_type", json!(if h.by_appointment { "by appointment" } else { "drop in" })),
                ("notes", json!(h.note)),
            ])
        })
        .collect();
    let areas: Vec<Value> = s
        .places
        .iter()
        .filter_map(|p| match p {
            Place::Area(a) => Some(object(vec![
                ("id", json!(id("service_area", &[&sid, a]))),
                ("service_id", json!(sid)),
                ("name", json!(a)),
                ("extent_type", json!("other")),
            ])),
            _ => None,
        })
        .collect();
    let mut attributes: Vec<Value> =
        s.categories.iter().map(|&c| attribute(&sid, taxonomy_term_id(c), c.as_str(), c.label())).collect();
    attributes.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    let fees = if s.free && s.fees.is_empty() { "Free".to_owned() } else { s.fees.clone() };
    object(vec![
        ("id", json!(sid)),
        ("organization_id", json!(organization_id(region, hub))),
        ("name", json!(s.name)),
        ("description", json!(s.description)),
        ("url", json!(s.website)),
        ("email", json!(s.email)),
        ("status", json!(s.status.hsds())),
        ("application_process", json!(s.application_process)),
        ("fees_description", json!(fees)),
        ("eligibility_description", json!(s.eligibility)),
        ("minimum_age", json!(s.min_age)),
        ("maximum_age", json!(s.max_age)),
        ("assured_date", json!(s.assured_on.map(|d| d.to_string()))),
        ("last_modified", json!(datetime(at_ms))),
        ("phones", json!(s.phones.iter().map(|p| phone(&sid, p)).collect::<Vec<_>>())),
        ("schedules", json!(schedules)),
        ("service_areas", json!(areas)),
        ("service_at_locations", json!(service_at_locations(&sid, s))),
        (
            "languages",
            json!(
                s.languages
                    .iter()
                    .map(|l| object(vec![
                        ("id", json!(id("language", &[&sid, l]))),
                        ("service_id", json!(sid)),
                        ("name", json!(l))
                    ]))
                    .collect::<Vec<_>>()
            ),
        ),
        ("attributes", json!(attributes)),
    ])
}

/// A safe house as a service: an area, never an address; its beds as a capacity.
/// `beds_free` is None when its availability is unknown or stale.
pub fn safe_house(region: &Slug, hub: &Slug, ulid: Ulid, h: &SafeHouse, beds_free: Option<u16>, at_ms: i64) -> Value {
    let sid = safe_house_id(hub, ulid);
    let who = if h.for_tags.is_empty() { "Anyone".to_owned() } else { for_text(&h.for_tags) };
    let capacity = object(vec![
        ("id", json!(id("service_capacity", &[&sid]))),
        ("service_id", json!(sid)),
        ("unit", json!({"id": id("unit", &["bed"]), "name": "bed"})),
        ("maximum", json!(h.beds_total)),
        ("available", json!(beds_free)),
        ("updated", json!(h.availability.and_then(|a| datetime(a.updated_at_ms)))),
        ("description", json!(if beds_free.is_some() { "" } else { "Unknown: call to check" })),
    ]);
    object(vec![
        ("id", json!(sid)),
        ("organization_id", json!(organization_id(region, hub))),
        ("name", json!(h.name)),
        ("description", json!(h.description)),
        ("status", json!(ServiceStatus::Active.hsds())),
        ("eligibility_description", json!(format!("For: {who}"))),
        ("application_process", json!(if h.self_referral { "People can refer themselves" } else { "By referral" })),
        ("last_modified", json!(datetime(at_ms))),
        ("phones", json!(if h.phone.is_empty() { vec![] } else { vec![phone(&sid, &h.phone)] })),
        (
            "service_areas",
            json!([object(vec![
                ("id", json!(id("service_area", &[&sid, &h.area]))),
                ("service_id", json!(sid)),
                ("name", json!(h.area)),
                ("extent_type", json!("other")),
            ])]),
        ),
        (
            "attributes",
            json!([
                attribute(&sid, safe_house_term_id(), "safe-house", "Safe house"),
                attribute(
                    &sid,
                    taxonomy_term_id(Category::Crisis),
                    Category::Crisis.as_str(),
                    Category::Crisis.label()
                ),
            ]),
        ),
        ("capacities", json!([capacity])),
    ])
}

/// An offer as a service: the business, where it works (its areas, never an
/// address), its rate an hour as a cost option in pounds, how to book it, and the
/// `offer` term beside the employment-support category.
pub fn offer(region: &Slug, hub: &Slug, ulid: Ulid, o: &Offer, at_ms: i64) -> Value {
    let sid = offer_id(hub, ulid);
    let areas: Vec<Value> = o
        .areas
        .iter()
        .map(|a| {
            object(vec![
                ("id", json!(id("service_area", &[&sid, a]))),
                ("service_id", json!(sid)),
                ("name", json!(a)),
                ("extent_type", json!("other")),
            ])
        })
        .collect();
    let cost = object(vec![
        ("id", json!(id("cost_option", &[&sid]))),
        ("service_id", json!(sid)),
        ("option", json!("An hour")),
        ("currency", json!("GBP")),
        ("amount", json!(f64::from(o.rate_pence) / 100.0)),
        ("amount_description", json!(o.rate_note)),
    ]);
    let description = if o.description.is_empty() {
        format!("{}: {}", o.name, o.skills.join(", "))
    } else {
        format!("{} ({})", o.description, o.skills.join(", "))
    };
    object(vec![
        ("id", json!(sid)),
        ("organization_id", json!(organization_id(region, hub))),
        ("name", json!(o.name)),
        ("description", json!(description)),
        ("url", json!(o.website)),
        ("email", json!(o.email)),
        ("status", json!(ServiceStatus::Active.hsds())),
        ("application_process", json!(o.how_to_book)),
        ("fees_description", json!(kith_words::rate_with_note(o.rate_pence, &o.rate_note))),
        ("last_modified", json!(datetime(at_ms))),
        ("phones", json!(o.phones.iter().map(|p| phone(&sid, p)).collect::<Vec<_>>())),
        ("service_areas", json!(areas)),
        ("cost_options", json!([cost])),
        (
            "attributes",
            json!([
                attribute(&sid, offer_term_id(), OFFER_TERM.0, OFFER_TERM.1),
                attribute(
                    &sid,
                    taxonomy_term_id(Category::EmploymentSupport),
                    Category::EmploymentSupport.as_str(),
                    Category::EmploymentSupport.label()
                ),
            ]),
        ),
    ])
}

/// What a list shows of a service: only its one-to-one fields.
pub fn service_summary(full: &Value) -> Value {
    let mut v = full.clone();
    if let Value::Object(map) = &mut v {
        map.retain(|_, value| !value.is_array());
    }
    v
}
