//! The businesses of a hub's pool reach the region as offers, end to end through the
//! real `kith`, hubs, relay and NATS: published with `kith pool business`, held to
//! the region's fair rate at the hub, found on the board by a synonym and by a typo
//! (with "Ask about this" on its page), printed in the directory (read back with
//! `pdftotext`) and exported as HSDS services that Open Referral's own checks
//! accept (frictionless on the data package, the JSON Schemas on the HTTP API).

use kith_proto::v1;
use kith_tests::http::{get, post_form};
use kith_tests::sample::Written;
use kith_tests::{DEFAULT_TIMEOUT, HubOptions, Region, find, wait_for, wait_until, workspace};

use crate::asks::{asks_json, plain_form, reference_of, trust_relay, wait_open};
use crate::directory::{poppler, text_of};
use crate::open_data::{hsds_dir, python};

/// The hub's own fair rate (hub.toml) and the relay's (its `--fair-rate`): an offer
/// the hub takes may still be below what the relay's board calls fair.
const HUB_FAIR_RATE: &str = "12.50";
const RELAY_FAIR_RATE: &str = "13";

#[rustfmt::skip]
const GARDEN: &[&str] = &[
    "pool", "business", "add", "--name", "Green Hands Garden Co-op",
    "--description", "Our members keep gardens tidy across north Leeds and Bradford.",
    "--skill", "gardening", "--skill", "hedge cutting", "--area", "Leeds LS6", "--area", "Bradford",
    "--rate", "12.75", "--rate-note", "materials extra; two hours at least",
    "--how-to-book", "Ring or text 07700 900123, weekdays 9 to 5", "--phone", "07700 900123",
    "--email", "book@greenhands.example.org",
];

/// The body of a board page, if it answered 200.
async fn board(region: &Region, path: &str) -> String {
    let page = get(&region.relay.http_url(), path, "text/html").await;
    assert!(page.starts_with("HTTP/1.1 200"), "{path}: {page}");
    page
}

#[tokio::test]
async fn a_pools_business_is_published_held_to_the_fair_rate_found_printed_and_exported() {
    let region = Region::start_with(&["--fair-rate", RELAY_FAIR_RATE]).await;
    let options = HubOptions { fair_rate: Some(HUB_FAIR_RATE.into()), ..HubOptions::named("Peer Garden") };
    let mut hub = region.hub_with("peer-garden", options).await;

    let garden = Written::from_json(&hub.kith(GARDEN).await.ok());
    wait_until("the relay has the business", DEFAULT_TIMEOUT, async || region.offers(&[]).await.len() == 1).await;

    // Below the hub's fair rate: refused with the field named and the rate in
    // pounds, and nothing written, so nothing published.
    let written_before = hub.status().await.last_written_seq;
    let mut cheap = GARDEN.to_vec();
    cheap[4] = "Cheap Hands";
    let at = cheap.iter().position(|a| *a == "--rate").unwrap();
    cheap[at + 1] = "12";
    let refused = hub.kith(&cheap).await.failure();
    assert!(refused.contains("rate") && refused.contains("£12.50 an hour"), "{refused}");
    let mut admin = hub.admin().await;
    let fields = v1::OfferFields { rate_pence: 1249, ..kith_proto::offer::offer_fields(&sample_offer()) };
    let status = admin.add_offer(fields).await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument, "{status:?}");
    assert!(status.message().starts_with("rate: £12.49 an hour is below"), "{status:?}");
    assert_eq!(hub.status().await.last_written_seq, written_before, "nothing was written");
    assert_eq!(hub.kith(["pool", "business", "list", "--all"]).await.array().len(), 1);

    // At the region: searched by words, a stem, a synonym, a typo and an area.
    let names = |items: Vec<serde_json::Value>| -> Vec<String> {
        items.iter().map(|o| o["name"].as_str().unwrap_or_default().to_owned()).collect()
    };
    let green = ["Green Hands Garden Co-op"];
    assert_eq!(names(region.offers(&["--query", "hedge"]).await), green);
    assert_eq!(names(region.offers(&["--query", "gardener"]).await), green);
    assert_eq!(names(region.offers(&["--query", "landscaping"]).await), green);
    assert_eq!(names(region.offers(&["--query", "gardning"]).await), green);
    assert_eq!(names(region.offers(&["--area", "LS"]).await), green);
    assert!(region.offers(&["--query", "plumbing"]).await.is_empty());
    let all = region.offers(&[]).await;
    let o = find(&all, &garden.id).expect("the co-op");
    assert_eq!((o["hub"].clone(), o["rate_pence"].clone()), ("peer-garden".into(), 1275.into()));
    assert_eq!(o["below_fair_rate"], true, "£12.75 is below the relay's £13");
    assert_eq!(o["areas"], serde_json::json!(["Leeds LS6", "Bradford"]));
    let shown = region.relay.kith_table(["region", "offer", &garden.id]).await;
    assert!(shown.contains("£12.75 an hour (below the fair rate)"), "{shown}");
    assert_eq!(region.relay.stats().await.offers, 1);

    // On the board: found by a synonym and by a typo; its page says the rate
    // plainly, marked below the relay's fair rate, how to book and the phone.
    for q in ["landscaping", "gardning"] {
        let found = board(&region, &format!("/search?q={q}")).await;
        assert!(found.contains("Green Hands Garden Co-op"), "{q}: {found}");
        assert!(found.contains(&format!("/offer/peer-garden/{}", garden.id)), "{q}: {found}");
    }
    let none = board(&region, "/search?q=plumbing").await;
    assert!(!none.contains("Green Hands"), "{none}");
    let page_path = format!("/offer/peer-garden/{}", garden.id);
    let page = board(&region, &page_path).await;
    for text in [
        "£12.75 an hour",
        "materials extra; two hours at least",
        "Charges less than the fair rate of £13 an hour",
        "Ring or text 07700 900123, weekdays 9 to 5",
        "07700 900123",
        "Ask about this",
    ] {
        assert!(page.contains(text), "no {text:?} on {page}");
    }
    assert!(!page.contains("data-seal-to"), "the hub takes no asks yet: {page}");

    // Asked about from the board once the hub takes asks: the hub has it, about
    // the business.
    trust_relay(&mut hub, &region).await;
    wait_open(&region, &page_path).await;
    let sent = post_form(
        &region.relay.http_url(),
        &format!("/ask/offer/peer-garden/{}", garden.id),
        &plain_form("Sam", "could you cut a hedge next week"),
        &[],
    )
    .await;
    let reference = reference_of(&sent);
    let ask = wait_for("the hub takes the ask", DEFAULT_TIMEOUT, async || asks_json(&hub).await.first().cloned()).await;
    assert_eq!((ask["family"].clone(), ask["listing_title"].clone()), ("offer".into(), green[0].into()));
    assert_eq!(ask["reference"], reference.as_str());

    // The printed directory.
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("directory.pdf");
    region.relay.kith(["region", "directory", "--out", pdf.to_str().unwrap()]).await.ok();
    if poppler() {
        let text = text_of(&pdf);
        for phrase in [
            "Work you can book from the region's groups",
            "Green Hands Garden Co-op",
            "gardening, hedge cutting",
            "£12.75 an hour (materials extra; two hours at least)",
            "To book: Ring or text 07700 900123, weekdays 9 to 5",
            "1 business",
        ] {
            assert!(text.contains(phrase), "no {phrase:?} in the directory: {text}");
        }
    }

    // The HSDS export: a service with its rate as a cost option, under the offer
    // term, in a data package frictionless finds valid.
    let hsds = out.path().join("hsds");
    let written =
        region.relay.kith(["region", "export", "--format", "hsds", "--out", hsds.to_str().unwrap()]).await.ok();
    assert_eq!(written["counts"]["service"], 1, "{written}");
    assert_eq!(written["counts"]["cost_option"], 1, "{written}");
    assert_eq!(written["counts"]["service_area"], 2, "{written}");
    assert_eq!(written["counts"]["taxonomy_term"], 17, "{written}");
    let services = std::fs::read_to_string(hsds.join("services.csv")).unwrap();
    assert!(services.contains("Green Hands Garden Co-op") && services.contains("£12.75 an hour"), "{services}");
    let costs = std::fs::read_to_string(hsds.join("cost_options.csv")).unwrap();
    assert!(costs.contains(",An hour,GBP,12.75,"), "{costs}");
    assert_eq!(written["counts"]["attribute"], 2, "the offer term and employment support: {written}");
    let terms = std::fs::read_to_string(hsds.join("taxonomy_terms.csv")).unwrap();
    assert!(terms.contains("Work to book from a group's business"), "{terms}");
    if let Some(mut python) = python("offers: the data package with offers under frictionless", "frictionless") {
        let out = python
            .args(["-m", "frictionless", "validate", "--json"])
            .arg(hsds.join("datapackage.json"))
            .output()
            .expect("run frictionless");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("frictionless said: {e}\n{}", String::from_utf8_lossy(&out.stderr)));
        assert!(report["valid"] == true, "frictionless found problems: {report:#}");
    }
    // The HSDS API: the offer term selects the offer, and only it.
    let base = region.relay.http_url();
    let api = async |path: String| {
        let raw = get(&base, &path, "application/json").await;
        let body = raw.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
        serde_json::from_str::<serde_json::Value>(&body).unwrap_or_else(|e| panic!("{path}: {e}: {raw}"))
    };
    let terms = api("/taxonomy_terms?per_page=100".into()).await;
    let term_of = |code: &str| -> String {
        let all = terms["contents"].as_array().unwrap();
        all.iter().find(|t| t["code"] == code).unwrap_or_else(|| panic!("no {code} term: {terms}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let by_term = api(format!("/services?taxonomy_term_id={}", term_of("offer"))).await;
    assert_eq!(by_term["total_items"], 1, "{by_term}");
    assert_eq!(by_term["contents"][0]["name"], green[0], "{by_term}");
    let houses = api(format!("/services?taxonomy_term_id={}", term_of("safe-house"))).await;
    assert_eq!(houses["total_items"], 0, "{houses}");
    let full = api(format!("/services/{}", by_term["contents"][0]["id"].as_str().unwrap())).await;
    assert_eq!(full["cost_options"][0]["amount"], 12.75, "{full}");
    assert_eq!(full["cost_options"][0]["currency"], "GBP", "{full}");
    if let Some(mut python) = python("offers: the HSDS API with offers against the JSON Schemas", "jsonschema") {
        let out = python
            .arg(workspace().join("tests/hsds/check.py"))
            .arg(region.relay.http_url())
            .arg(hsds_dir())
            .output()
            .expect("run tests/hsds/check.py");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "the HSDS API does not validate:\n{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("1 services"), "{stdout}");
    }

    // Withdrawn: the region forgets it; the hub keeps it, marked.
    hub.kith(["pool", "business", "withdraw", &garden.id]).await.ok();
    wait_until("the business is gone from the region", DEFAULT_TIMEOUT, async || region.offers(&[]).await.is_empty())
        .await;
    let mine = hub.kith(["pool", "business", "list", "--all"]).await.array();
    assert_eq!(find(&mine, &garden.id).expect("kept at the hub")["withdrawn"], true);
}

#[tokio::test]
async fn a_hub_without_a_fair_rate_runs_no_business() {
    let region = Region::start().await;
    let hub = region.hub("peer-garden").await;
    let before = hub.status().await.last_written_seq;
    let refused = hub.kith(GARDEN).await.failure();
    assert!(refused.contains("set fair_rate in hub.toml"), "{refused}");
    let mut admin = hub.admin().await;
    let status = admin.add_offer(kith_proto::offer::offer_fields(&sample_offer())).await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::FailedPrecondition, "{status:?}");
    assert_eq!(hub.status().await.last_written_seq, before, "nothing was written");
    assert!(hub.kith(["pool", "business", "list", "--all"]).await.array().is_empty());
}

/// A valid offer at £15 an hour.
fn sample_offer() -> kith_proto::offer::Offer {
    kith_proto::offer::Offer {
        id: ulid::Ulid::nil(),
        name: "Fresh Coat Crew".into(),
        description: String::new(),
        skills: vec!["decorating".into()],
        areas: vec!["Halifax".into()],
        rate_pence: 1500,
        rate_note: String::new(),
        how_to_book: "Ring 07700 900124".into(),
        phones: vec![],
        email: String::new(),
        website: String::new(),
    }
}

#[tokio::test]
async fn the_desk_adds_changes_and_withdraws_businesses_held_to_the_fair_rate() {
    let region = Region::start().await;
    let options = HubOptions {
        desk: true,
        heartbeat_secs: Some(3600),
        fair_rate: Some(HUB_FAIR_RATE.into()),
        ..HubOptions::named("Peer Garden")
    };
    let hub = region.hub_with("peer-garden", options).await;
    let mut sam = kith_tests::desk::Desk::signed_in(&hub, "sam", "worker").await;
    let businesses = async || hub.kith(["pool", "business", "list"]).await.array();
    let listings = sam.get("/listings").await;
    assert!(listings.body.contains("Businesses") && listings.body.contains("Add a business"), "{}", listings.body);

    let form = [
        ("name", "Fresh Coat Crew"),
        ("skills", "decorating, wallpapering"),
        ("areas", "Halifax HX1, Leeds"),
        ("rate", "12"),
        ("how_to_book", "Ring 07700 900124"),
        ("phones", "07700 900124"),
    ];
    // Below the fair rate: named beside the rate, nothing written.
    let cheap = sam.submit("/listings/offers/new", "/listings/offers/new", &form).await;
    assert_eq!(cheap.status, 400, "{cheap:?}");
    assert!(cheap.body.contains("href=\"#rate\"") && cheap.body.contains("id=\"rate-error\""), "{}", cheap.body);
    assert!(
        cheap.body.contains("below the region&#39;s fair rate of £12.50 an hour")
            || cheap.body.contains("below the region's fair rate of £12.50 an hour"),
        "{}",
        cheap.body
    );
    assert!(businesses().await.is_empty(), "nothing written");
    // A full postcode as an area: named beside the areas.
    let mut postcode = form.to_vec();
    postcode[2] = ("areas", "Halifax HX1 2AB");
    postcode[3] = ("rate", "14");
    let bad = sam.submit("/listings/offers/new", "/listings/offers/new", &postcode).await;
    assert_eq!(bad.status, 400, "{bad:?}");
    assert!(bad.body.contains("id=\"areas-error\""), "{}", bad.body);
    assert!(businesses().await.is_empty(), "nothing written");

    let mut good = form.to_vec();
    good[3] = ("rate", "14.25");
    let added = sam.submit("/listings/offers/new", "/listings/offers/new", &good).await;
    assert_eq!(added.status, 303, "{added:?}");
    let listed = businesses().await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(
        (listed[0]["rate_pence"].clone(), listed[0]["areas"].clone()),
        (1425.into(), serde_json::json!(["Halifax HX1", "Leeds"]))
    );
    let id = listed[0]["id"].as_str().unwrap().to_owned();
    wait_until("the relay has it", DEFAULT_TIMEOUT, async || region.offers(&["--query", "painter"]).await.len() == 1)
        .await;

    // Changed: a rate below the fair rate is refused there too; a fair one is taken.
    let edit = format!("/listings/offers/{id}/edit");
    assert!(sam.get(&edit).await.body.contains("value=\"14.25\""));
    let mut lower = good.clone();
    lower[3] = ("rate", "11.99");
    assert_eq!(sam.submit(&edit, &edit, &lower).await.status, 400);
    let mut higher = good.clone();
    higher[3] = ("rate", "15");
    assert_eq!(sam.submit(&edit, &edit, &higher).await.status, 303);
    assert_eq!(businesses().await[0]["rate_pence"], 1500);

    let withdraw = format!("/listings/offers/{id}/withdraw");
    assert_eq!(sam.submit(&withdraw, &withdraw, &[]).await.status, 303);
    assert!(businesses().await.is_empty());
    let audit = hub.kith(["desk", "audit"]).await.array();
    assert!(audit.iter().any(|e| e["actor"] == "desk:sam" && e["action"] == "offer-withdrawn"), "{audit:?}");
}
