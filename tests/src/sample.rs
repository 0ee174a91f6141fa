//! Sample listings, written through the CLI or the admin gRPC API, and domain values
//! for tests that publish envelopes of their own.

use kith_proto::domain::{self, OpportunityKind, OpportunityStatus, Pay, Sector};
use kith_proto::v1;
use serde_json::Value;
use ulid::Ulid;

use crate::hub::Hub;

/// What every write answers with `--json`: `{"id": "...", "seq": N}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub id: String,
    pub seq: u64,
}

impl Written {
    #[track_caller]
    pub fn from_json(json: &Value) -> Written {
        let id = json["id"].as_str().unwrap_or_else(|| panic!("no \"id\" in {json}")).to_owned();
        let seq = json["seq"].as_u64().unwrap_or_else(|| panic!("no \"seq\" in {json}"));
        Ulid::from_string(&id).unwrap_or_else(|_| panic!("id {id:?} is not a ULID"));
        Written { id, seq }
    }
}

/// `kith opportunity add --title TITLE` with `extra` flags; unless they say otherwise,
/// an ordinary paid job in Leeds LS6.
pub async fn add_opportunity(hub: &Hub, title: &str, extra: &[&str]) -> Written {
    let mut args = vec!["opportunity", "add", "--title", title];
    for (flag, default) in [("--kind", "paid-job"), ("--sector", "ordinary"), ("--area", "Leeds LS6")] {
        if !extra.contains(&flag) {
            args.extend([flag, default]);
        }
    }
    args.extend(extra);
    Written::from_json(&hub.kith(&args).await.ok())
}

/// `kith service add --name NAME --category CATEGORY --free` with `extra` flags
/// (a place, hours, a phone…).
pub async fn add_service(hub: &Hub, name: &str, category: &str, extra: &[&str]) -> Written {
    let mut args = vec!["service", "add", "--name", name, "--category", category, "--free"];
    args.extend(extra);
    Written::from_json(&hub.kith(&args).await.ok())
}

/// `kith safehouse add --name NAME --area Leeds --beds BEDS`, then `extra` flags.
pub async fn add_safehouse(hub: &Hub, name: &str, beds: u32, extra: &[&str]) -> Written {
    let beds = beds.to_string();
    let mut args = vec!["safehouse", "add", "--name", name, "--beds", &beds];
    if !extra.contains(&"--area") {
        args.extend(["--area", "Leeds"]);
    }
    args.extend(extra);
    Written::from_json(&hub.kith(&args).await.ok())
}

/// `kith safehouse availability ID --free FREE --valid-for VALID_FOR`.
pub async fn set_availability(hub: &Hub, id: &str, free: u32, valid_for: &str) -> Written {
    let free = free.to_string();
    Written::from_json(
        &hub.kith(["safehouse", "availability", id, "--free", &free, "--valid-for", valid_for]).await.ok(),
    )
}

/// A valid opportunity for the admin gRPC API.
pub fn opportunity_fields(title: &str) -> v1::OpportunityFields {
    v1::OpportunityFields {
        title: title.into(),
        kind: "training".into(),
        sector: "ordinary".into(),
        description: "Learn to build and mend bikes with the co-op".into(),
        area: "Bradford BD1".into(),
        hours_per_week: Some(6.0),
        pay: Some(v1::Pay { pence: 1250, per: "hour".into() }),
        skills: vec!["bike repair".into()],
        ..Default::default()
    }
}

/// A valid safe house for the admin gRPC API.
pub fn safehouse_fields(name: &str) -> v1::SafeHouseFields {
    v1::SafeHouseFields {
        name: name.into(),
        area: "Leeds".into(),
        for_tags: vec!["women".into()],
        beds_total: 5,
        self_referral: true,
        phone: "0113 496 0000".into(),
        ..Default::default()
    }
}

/// A valid opportunity as a hub publishes it, for envelopes a test seals itself.
pub fn opportunity(id: Ulid, title: &str) -> domain::Opportunity {
    domain::Opportunity {
        id,
        title: title.into(),
        kind: OpportunityKind::Volunteering,
        sector: Sector::Ordinary,
        description: String::new(),
        area: "Halifax".into(),
        remote: false,
        hours_per_week: None,
        pay: Pay::Unpaid,
        expenses_paid: true,
        skills: vec![],
        support: vec![],
        lived_experience_required: false,
        how_to_apply: String::new(),
        closes_on: None,
        status: OpportunityStatus::Open,
    }
}

/// A valid service as a hub publishes it, for envelopes a test seals itself.
pub fn service(id: Ulid, name: &str) -> kith_proto::service::Service {
    use kith_proto::service::{Category, Place, ServiceStatus};
    kith_proto::service::Service {
        id,
        name: name.into(),
        description: "Advice and a cup of tea".into(),
        status: ServiceStatus::Active,
        sector: Sector::Ordinary,
        categories: vec![Category::Food],
        eligibility: String::new(),
        min_age: None,
        max_age: None,
        free: true,
        fees: String::new(),
        languages: vec![],
        accessibility: vec![],
        application_process: String::new(),
        self_referral: true,
        phones: vec![],
        email: String::new(),
        website: String::new(),
        schedules: vec![],
        places: vec![Place::Area("Leeds LS6".into())],
        assured_on: None,
        provider: String::new(),
    }
}

/// A profile of a hub named `name` carrying `key`, with the contact "ring the forger":
/// what a test publishes by hand to prove a forged profile is refused.
pub fn forged_profile(name: &str, key: &ed25519_dalek::SigningKey) -> kith_proto::event::Event {
    kith_proto::event::Event::Profile(domain::HubProfile {
        name: name.into(),
        description: String::new(),
        contact: "ring the forger".into(),
        helpline_hours: String::new(),
        signing_key: key.verifying_key().to_bytes(),
        box_key: [9; 32],
        rotations: vec![],
        left: false,
        digest: None,
        asks: Default::default(),
        unmet_work: Vec::new(),
        language: String::new(),
    })
}
