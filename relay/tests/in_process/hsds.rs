//! The relay's HTTP API: the region as Open Referral HSDS 3, from a stored view, in
//! process (NATS unreachable). The same JSON is checked against HSDS's own schemas
//! and OpenAPI description by the end-to-end tests of the `tests/` crate.

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use ulid::Ulid;

use kith_opendata::hsds;
use kith_proto::Slug;
use kith_proto::domain::{Availability, ForTag, HubProfile, SafeHouse, Sector};
use kith_proto::service::{Category, ClockTime, Place, Schedule, Service, ServiceStatus, Weekday};
use kith_relay::store::{EntityRecord, HubRecord, Record, Store};
use kith_relay::{Config, Relay};

const NO_NATS: &str = "nats://127.0.0.1:1";

fn slug(s: &str) -> Slug {
    Slug::parse("t", s).unwrap()
}

fn service(name: &str, category: Category) -> Service {
    Service {
        id: Ulid::new(),
        name: name.into(),
        description: "Help with forms".into(),
        status: ServiceStatus::Active,
        sector: Sector::Ordinary,
        categories: vec![category],
        eligibility: String::new(),
        min_age: Some(16),
        max_age: None,
        free: true,
        fees: String::new(),
        languages: vec!["Urdu".into()],
        accessibility: vec![],
        application_process: "Drop in".into(),
        self_referral: true,
        phones: vec!["0113 496 0000".into()],
        email: String::new(),
        website: String::new(),
        schedules: vec![Schedule {
            days: vec![Weekday::Monday, Weekday::Tuesday],
            hours: Some((ClockTime(540), ClockTime(1020))),
            by_appointment: false,
            note: String::new(),
        }],
        places: vec![
            Place::Address { street: "1 Market Street".into(), town: "Leeds".into(), postcode: "LS1 6DT".into() },
            Place::Area("Bradford".into()),
        ],
        assured_on: Some("2026-11-01".parse().unwrap()),
        provider: String::new(),
    }
}

/// A hub with two services and a safe house, stored as ingest would have.
async fn stored(dir: &std::path::Path) -> (Service, Service, SafeHouse) {
    let store = Store::open(dir).unwrap();
    let profile = HubProfile {
        name: "Peer Garden".into(),
        description: "A peer-run garden".into(),
        contact: "hello@example.org".into(),
        helpline_hours: String::new(),
        signing_key: [1; 32],
        box_key: [0; 32],
        rotations: vec![],
        left: false,
        digest: None,
        asks: Default::default(),
        unmet_work: Vec::new(),
        language: String::new(),
    };
    store
        .put(&Record::Hub {
            hub: slug("garden"),
            record: Box::new(HubRecord { profile, seq: 1, at_ms: 7, region: slug("wy") }),
        })
        .unwrap();
    let advice = service("Welfare rights drop-in", Category::BenefitsAndMoney);
    let food = service("Community pantry", Category::Food);
    for (seq, s) in [(2, &advice), (3, &food)] {
        let record = EntityRecord { seq, at_ms: 1_700_000_000_000 + seq as i64, item: Some(s.clone()) };
        store.put(&Record::listing(slug("garden"), s.id, &record)).unwrap();
    }
    let house = SafeHouse {
        id: Ulid::new(),
        name: "Rainbow House".into(),
        area: "Leeds LS6".into(),
        for_tags: vec![ForTag::Lgbtq],
        beds_total: 4,
        wheelchair_access: false,
        self_referral: true,
        longest_stay_nights: None,
        phone: "0113 496 0001".into(),
        description: String::new(),
        availability: Some(Availability { beds_free: 2, updated_at_ms: 1, valid_until_ms: 2 }),
    };
    let record = EntityRecord { seq: 4, at_ms: 1_700_000_000_004, item: Some(house.clone()) };
    store.put(&Record::listing(slug("garden"), house.id, &record)).unwrap();
    store.flush().await.unwrap();
    (advice, food, house)
}

/// `GET path` over HTTP/1.1: the status, the headers (lower-case names) and the body.
async fn get(base: &str, path: &str) -> (u16, Vec<(String, String)>, String) {
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split_whitespace().nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

async fn json(base: &str, path: &str) -> Value {
    let (status, _, body) = get(base, path).await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
}

#[tokio::test]
async fn the_region_is_served_as_hsds() {
    let dir = tempfile::tempdir().unwrap();
    let (advice, food, house) = stored(dir.path()).await;
    let config = Config::new(slug("wy"), NO_NATS, dir.path());
    let relay = Relay::start_with_http(config, "127.0.0.1:0".parse().unwrap(), Some("127.0.0.1:0".parse().unwrap()))
        .await
        .unwrap();
    let base = relay.http_url().unwrap();

    let root = json(&base, "/").await;
    assert_eq!(root["version"], "3.0");
    assert!(root["openapi_url"].as_str().unwrap().ends_with("/openapi.json"));
    let openapi = json(&base, "/openapi.json").await;
    assert!(openapi["paths"]["/services"].is_object());

    // Lists: the page shape, empty optional fields left out, CORS for every origin.
    let (status, headers, _) = get(&base, "/services").await;
    assert_eq!(status, 200);
    assert!(headers.contains(&("access-control-allow-origin".into(), "*".into())), "{headers:?}");
    assert!(!headers.iter().any(|(k, _)| k == "set-cookie"));
    let page = json(&base, "/services?per_page=2").await;
    assert_eq!(
        (page["total_items"].clone(), page["total_pages"].clone(), page["size"].clone()),
        (3.into(), 2.into(), 2.into())
    );
    assert_eq!(
        (page["first_page"].clone(), page["last_page"].clone(), page["empty"].clone()),
        (true.into(), false.into(), false.into())
    );
    let last = json(&base, "/services?per_page=2&page=2").await;
    assert_eq!((last["size"].clone(), last["last_page"].clone()), (1.into(), true.into()));
    for item in page["contents"].as_array().unwrap() {
        assert!(item.as_object().unwrap().values().all(|v| !v.is_array() && !v.is_null() && v != ""), "{item}");
    }

    // One service, nested; a safe house with an area, never an address, and its beds.
    let id = hsds::service_id(&slug("garden"), advice.id);
    let full = json(&base, &format!("/services/{id}")).await;
    assert_eq!(full["name"], "Welfare rights drop-in");
    assert_eq!(full["organization_id"], hsds::organization_id(&slug("wy"), &slug("garden")));
    assert_eq!(full["schedules"][0]["byday"], "MO,TU");
    assert_eq!(full["schedules"][0]["opens_at"], "09:00:00");
    assert_eq!(full["service_at_locations"][0]["location"]["addresses"][0]["postal_code"], "LS1 6DT");
    assert_eq!(full["service_areas"][0]["name"], "Bradford");
    assert_eq!(full["fees_description"], "Free");
    assert!(full.get("email").is_none(), "empty fields are left out");
    let house_id = hsds::safe_house_id(&slug("garden"), house.id);
    let h = json(&base, &format!("/services/{house_id}")).await;
    assert!(h.get("service_at_locations").is_none());
    assert_eq!(h["service_areas"][0]["name"], "Leeds LS6");
    assert_eq!(h["capacities"][0]["maximum"], 4);
    assert!(h["capacities"][0].get("available").is_none(), "stale availability is not a number");

    // Filters: words, taxonomy term, organization, modified after.
    let search = json(&base, "/services?search=pantry").await;
    assert_eq!(search["contents"][0]["name"], "Community pantry");
    let term = hsds::taxonomy_term_id(Category::Food);
    let by_term = json(&base, &format!("/services?taxonomy_term_id={term}")).await;
    assert_eq!(by_term["total_items"], 1);
    let houses = json(&base, &format!("/services?taxonomy_term_id={}", hsds::safe_house_term_id())).await;
    assert_eq!(houses["contents"][0]["name"], "Rainbow House");
    let org = hsds::organization_id(&slug("wy"), &slug("garden"));
    assert_eq!(json(&base, &format!("/services?organization_id={org}")).await["total_items"], 3);
    assert_eq!(json(&base, "/services?organization_id=nobody").await["empty"], true);
    let after = json(&base, "/services?modified_after=2023-11-14T22:13:20.002Z").await;
    assert_eq!(after["total_items"], 2);
    let _ = food;

    // Organizations, locations, taxonomy.
    let orgs = json(&base, "/organizations").await;
    assert_eq!(orgs["contents"][0]["name"], "Peer Garden");
    let one = json(&base, &format!("/organizations/{org}")).await;
    assert_eq!(one["services"].as_array().unwrap().len(), 3);
    let sals = json(&base, "/service_at_locations").await;
    assert_eq!(sals["total_items"], 2, "each service's address; areas are service areas");
    let sal_id = sals["contents"][0]["id"].as_str().unwrap().to_owned();
    let sal = json(&base, &format!("/service_at_locations/{sal_id}")).await;
    assert_eq!(sal["location"]["location_type"], "physical");
    assert!(sal["service"]["name"].is_string());
    let terms = json(&base, "/taxonomy_terms").await;
    assert_eq!(terms["total_items"], Category::ALL.len() + 2, "the categories, safe houses and offers");
    assert_eq!(json(&base, "/taxonomies").await["contents"][0]["id"], hsds::taxonomy_id());

    // Bad input names the parameter; unknown ids and paths are 404s.
    let (status, _, body) = get(&base, "/services?page=0").await;
    assert_eq!(status, 400);
    assert!(body.contains("page"), "{body}");
    let (status, _, body) = get(&base, "/services?per_page=9999").await;
    assert_eq!((status, body.contains("per_page")), (400, true), "{body}");
    assert_eq!(get(&base, "/services/00000000-0000-0000-0000-000000000000").await.0, 404);
    assert_eq!(get(&base, "/nothing-here").await.0, 404);

    relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn service_at_locations_answer_by_postcode_and_proximity_as_oruk_describes() {
    let dir = tempfile::tempdir().unwrap();
    let (advice, food, _) = stored(dir.path()).await;
    {
        // Two more, at known addresses in Bradford and Halifax, and one online only.
        let store = Store::open(dir.path()).unwrap();
        let at = |name: &str, town: &str, postcode: &str| Service {
            places: vec![Place::Address {
                street: "1 High Street".into(),
                town: town.into(),
                postcode: postcode.into(),
            }],
            ..service(name, Category::Food)
        };
        let online = Service { places: vec![Place::Virtual], ..service("Phone line", Category::Food) };
        for (seq, s) in [
            (5, at("Bradford pantry", "Bradford", "BD1 1AA")),
            (6, at("Halifax pantry", "Halifax", "HX1 1AA")),
            (7, online),
        ] {
            let record = EntityRecord { seq, at_ms: 1_700_000_000_000 + seq as i64, item: Some(s.clone()) };
            store.put(&Record::listing(slug("garden"), s.id, &record)).unwrap();
        }
        store.flush().await.unwrap();
    }
    let _ = (advice, food);
    let config = Config::new(slug("wy"), NO_NATS, dir.path());
    let relay = Relay::start_with_http(config, "127.0.0.1:0".parse().unwrap(), Some("127.0.0.1:0".parse().unwrap()))
        .await
        .unwrap();
    let base = relay.http_url().unwrap();
    let all = json(&base, "/service_at_locations").await;
    assert_eq!(all["total_items"], 5, "two in Leeds, Bradford, Halifax, online");
    // The centroids of LS6, LS1, BD1 and HX1 are known: from Headingley (LS6),
    // Leeds centre is about 3 km, Bradford 12 and Halifax 23.
    let near = json(&base, "/service_at_locations?postcode=LS6%203AB&proximity=15000").await;
    assert_eq!(near["total_items"], 3, "Leeds twice and Bradford; not Halifax (23 km), not online: {near}");
    let mut postcodes = Vec::new();
    for sal in near["contents"].as_array().unwrap() {
        let one = json(&base, &format!("/service_at_locations/{}", sal["id"].as_str().unwrap())).await;
        postcodes.push(one["location"]["addresses"][0]["postal_code"].as_str().unwrap().to_owned());
    }
    assert_eq!(postcodes, ["LS1 6DT", "LS1 6DT", "BD1 1AA"], "nearest first");
    let wider = json(&base, "/service_at_locations?postcode=LS6&proximity=25000").await;
    assert_eq!(wider["total_items"], 4, "Halifax too, at 23 km");
    let ordered = json(&base, "/service_at_locations?postcode=HX1").await;
    assert_eq!(ordered["total_items"], 5, "without proximity, every location, nearest first");
    let first = json(&base, &format!("/service_at_locations/{}", ordered["contents"][0]["id"].as_str().unwrap())).await;
    assert_eq!(first["location"]["addresses"][0]["postal_code"], "HX1 1AA");
    let last = json(&base, &format!("/service_at_locations/{}", ordered["contents"][4]["id"].as_str().unwrap())).await;
    assert_eq!(last["location"]["location_type"], "virtual", "what has no address comes last");

    // Bad input is a 400 naming the parameter, and never echoes more than a district.
    for (path, names) in [
        ("/service_at_locations?proximity=1000", "needs postcode"),
        ("/service_at_locations?postcode=LS6&proximity=far", "proximity"),
        ("/service_at_locations?postcode=LS6&proximity=0", "proximity"),
        ("/service_at_locations?postcode=LS40", "no postcode district LS40"),
        ("/service_at_locations?postcode=Nowhere%201AB", "postcode"),
    ] {
        let (status, _, body) = get(&base, path).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert!(body.contains(names), "{path}: {body}");
    }
    let (_, _, body) = get(&base, "/service_at_locations?postcode=LS40%201AB").await;
    assert!(body.contains("LS40") && !body.contains("1AB"), "a full postcode is cut first: {body}");
    relay.shutdown().await.unwrap();
}
