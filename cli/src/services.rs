//! How services look outside the program: the JSON of `--json`, table rows and the
//! `show` block, shared by a hub's own services (`kith service list`) and the
//! region's (`kith region services`).

use serde::Serialize;

use crate::listing::{Scope, date_words};
use crate::output::{self, Fields, Table};
use kith_proto::convert;
use kith_proto::service::{Category, Place, Service};
use kith_proto::v1;

/// A service in `--json` output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceJson {
    pub id: String,
    pub hub: String,
    /// The hub's region, from a relay (empty from a hub).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub region: String,
    pub name: String,
    pub status: String,
    pub sector: String,
    pub categories: Vec<String>,
    pub description: String,
    pub eligibility: String,
    pub min_age: Option<u32>,
    pub max_age: Option<u32>,
    pub free: bool,
    pub fees: String,
    pub languages: Vec<String>,
    pub accessibility: Vec<String>,
    pub how_to_access: String,
    pub self_referral: bool,
    pub phones: Vec<String>,
    pub email: String,
    pub website: String,
    /// Each as `monday–friday 09:00–17:00`, as `--hours` takes it.
    pub hours: Vec<String>,
    pub places: Vec<PlaceJson>,
    /// `YYYY-MM-DD`, or `null` when never confirmed.
    pub confirmed_on: Option<String>,
    /// At a relay: not confirmed within the region's window.
    pub unconfirmed: bool,
    /// At a relay: open now, by its hours in the region's time.
    pub open_now: bool,
    /// At a hub: withdrawn from the region.
    pub withdrawn: bool,
    pub provider: String,
    pub seq: u64,
    pub updated_at: Option<String>,
}

/// A place in `--json` output: `{"address": "1 Market Street, Leeds LS1 6DT"}`,
/// `{"area": "Leeds"}` or `{"online": true}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceJson {
    Address(String),
    Area(String),
    Online(bool),
}

/// The domain value of what a hub or the relay sent; the wire shape when it does
/// not read back (a newer peer), so that nothing is hidden.
fn domain(s: &v1::Service) -> Option<Service> {
    convert::service_from_v1(s).ok()
}

fn hours(s: &v1::Service) -> Vec<String> {
    match domain(s) {
        Some(d) => d.schedules.iter().map(ToString::to_string).collect(),
        None => raw_hours(s),
    }
}

/// Opening hours as the board says them, days by name: `Monday–Friday 09:00–17:00`.
fn hours_text(s: &v1::Service) -> Vec<String> {
    match domain(s) {
        Some(d) => d.schedules.iter().map(kith_words::schedule_text).collect(),
        None => raw_hours(s),
    }
}

/// Hours this build cannot read (a newer peer's), as they came.
fn raw_hours(s: &v1::Service) -> Vec<String> {
    s.schedules.iter().map(|h| format!("{} {}-{}", h.days.join(", "), h.opens, h.closes)).collect()
}

fn places(s: &v1::Service) -> Vec<PlaceJson> {
    let Some(d) = domain(s) else { return Vec::new() };
    d.places
        .iter()
        .map(|p| match p {
            Place::Address { .. } => PlaceJson::Address(p.to_string()),
            Place::Area(a) => PlaceJson::Area(a.clone()),
            Place::Virtual => PlaceJson::Online(true),
        })
        .collect()
}

impl From<&v1::Service> for ServiceJson {
    fn from(s: &v1::Service) -> Self {
        ServiceJson {
            id: s.id.clone(),
            hub: s.hub.clone(),
            region: s.region.clone(),
            name: s.name.clone(),
            status: s.status.clone(),
            sector: s.sector.clone(),
            categories: s.categories.clone(),
            description: s.description.clone(),
            eligibility: s.eligibility.clone(),
            min_age: s.min_age,
            max_age: s.max_age,
            free: s.free,
            fees: s.fees.clone(),
            languages: s.languages.clone(),
            accessibility: s.accessibility.clone(),
            how_to_access: s.application_process.clone(),
            self_referral: s.self_referral,
            phones: s.phones.clone(),
            email: s.email.clone(),
            website: s.website.clone(),
            hours: hours(s),
            places: places(s),
            confirmed_on: (!s.assured_on.is_empty()).then(|| s.assured_on.clone()),
            unconfirmed: s.unconfirmed,
            open_now: s.open_now,
            withdrawn: s.withdrawn,
            provider: s.provider.clone(),
            seq: s.seq,
            updated_at: output::instant(s.updated_at_ms),
        }
    }
}

/// Where a service is, short: its towns or areas, `online` for a virtual one.
fn where_text(s: &v1::Service) -> String {
    let Some(d) = domain(s) else { return String::new() };
    let mut parts: Vec<String> = d
        .places
        .iter()
        .map(|p| match p {
            Place::Address { town, postcode, .. } => format!("{town} {postcode}"),
            Place::Area(a) => a.clone(),
            Place::Virtual => "online".into(),
        })
        .collect();
    parts.dedup();
    output::list(&parts)
}

fn cost_text(s: &v1::Service) -> String {
    match (s.free, s.fees.is_empty()) {
        (true, _) => "free".into(),
        (false, true) => "ask".into(),
        (false, false) => s.fees.clone(),
    }
}

fn categories_text(s: &v1::Service) -> String {
    let labels: Vec<String> = s
        .categories
        .iter()
        .map(|c| Category::parse("category", c).map_or_else(|_| c.clone(), |c| c.label().to_owned()))
        .collect();
    output::list(&labels)
}

/// When the hub last confirmed the entry: `1 November 2026`, `never`, or `not
/// confirmed since 2 November 2025` when that is longer ago than the region allows.
fn confirmed_text(s: &v1::Service) -> String {
    match (s.assured_on.is_empty(), s.unconfirmed) {
        (true, _) => "never".into(),
        (false, true) => format!("not confirmed since {}", date_words(&s.assured_on)),
        (false, false) => date_words(&s.assured_on),
    }
}

pub fn service_table(items: &[v1::Service], scope: Scope) -> Table {
    let mut t = match scope {
        Scope::Hub => Table::new(&["ID", "STATUS", "NAME", "CATEGORIES", "WHERE", "COST", "CONFIRMED"]),
        Scope::Region => Table::new(&["ID", "HUB", "NAME", "CATEGORIES", "WHERE", "COST", "OPEN NOW", "PHONE"]),
    };
    for s in items {
        let row = match scope {
            Scope::Hub => vec![
                s.id.clone(),
                if s.withdrawn { "withdrawn".into() } else { s.status.clone() },
                s.name.clone(),
                categories_text(s),
                where_text(s),
                cost_text(s),
                date_words(&s.assured_on),
            ],
            Scope::Region => vec![
                s.id.clone(),
                s.hub.clone(),
                s.name.clone(),
                categories_text(s),
                where_text(s),
                cost_text(s),
                output::yes_no(s.open_now),
                s.phones.first().cloned().unwrap_or_default(),
            ],
        };
        t.row(row);
    }
    t
}

/// Every field of one service, for `show`; a region's adds whether it is open now.
pub fn service_detail(s: &v1::Service, scope: Scope) -> String {
    let ages = match (s.min_age, s.max_age) {
        (None, None) => String::new(),
        (Some(a), None) => format!("{a} and over"),
        (None, Some(b)) => format!("up to {b}"),
        (Some(a), Some(b)) => format!("{a} to {b}"),
    };
    let places: Vec<String> = places(s)
        .into_iter()
        .map(|p| match p {
            PlaceJson::Address(a) | PlaceJson::Area(a) => a,
            PlaceJson::Online(_) => "online or by phone".into(),
        })
        .collect();
    let mut f = Fields::new();
    f.add("id", &s.id)
        .add("hub", &s.hub)
        .add("name", &s.name)
        .add("status", if s.withdrawn { "withdrawn" } else { &s.status })
        .add("sector", &s.sector)
        .add("categories", categories_text(s))
        .add("where", places.join("\n"))
        .add("hours", hours_text(s).join("\n"))
        .add("phone", output::list(&s.phones))
        .add("email", &s.email)
        .add("website", &s.website)
        .add("cost", cost_text(s))
        .add("who for", &s.eligibility)
        .add("ages", ages)
        .add("how to access", &s.application_process)
        .add("self-referral", output::yes_no(s.self_referral))
        .add("languages", output::list(&s.languages))
        .add("accessibility", output::list(&s.accessibility))
        .add("provider", &s.provider)
        .add("description", &s.description)
        .add("confirmed", confirmed_text(s))
        .add("updated", output::instant(s.updated_at_ms).unwrap_or_default())
        .add("seq", s.seq.to_string());
    if scope == Scope::Region {
        f.add("open now", output::yes_no(s.open_now));
    }
    f.render()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kith_proto::domain::Sector;
    use kith_proto::service::{Schedule, ServiceStatus};
    use ulid::Ulid;

    fn service() -> v1::Service {
        let s = Service {
            id: Ulid::from_parts(1_764_633_600_000, 7),
            name: "Welfare rights drop-in".into(),
            description: String::new(),
            status: ServiceStatus::Active,
            sector: Sector::Ordinary,
            categories: vec![Category::BenefitsAndMoney],
            eligibility: String::new(),
            min_age: None,
            max_age: None,
            free: true,
            fees: String::new(),
            languages: Vec::new(),
            accessibility: Vec::new(),
            application_process: String::new(),
            self_referral: true,
            phones: Vec::new(),
            email: String::new(),
            website: String::new(),
            schedules: vec![Schedule::parse("hours", "mon-fri 09:00-17:00").unwrap()],
            places: vec![Place::Area("Leeds".into())],
            assured_on: Some("2025-11-02".parse().unwrap()),
            provider: String::new(),
        };
        convert::service_to_v1(&s, "advice-hub", 1, 1_795_694_400_000)
    }

    #[test]
    fn show_says_hours_and_dates_as_the_board_does_and_json_keeps_its_values() {
        let s = v1::Service { unconfirmed: true, ..service() };
        let d = service_detail(&s, Scope::Region);
        assert!(d.contains("hours          Monday–Friday 09:00–17:00\n"), "{d}");
        assert!(d.contains("confirmed      not confirmed since 2 November 2025\n"), "{d}");
        let t = service_table(&[service()], Scope::Hub).render("");
        assert!(t.lines().nth(1).unwrap().ends_with("Leeds  free  2 November 2025"), "{t}");

        let v = serde_json::to_value(ServiceJson::from(&s)).unwrap();
        assert_eq!(v["hours"], serde_json::json!(["monday–friday 09:00–17:00"]));
        assert_eq!(v["confirmed_on"], "2025-11-02");
    }
}
