//! A hub's directory of services reaches the region: added, updated and withdrawn
//! through the real `kith` CLI, searched through `kith region services` against a
//! relay reading a real NATS server.

use kith_tests::sample::Written;
use kith_tests::{DEFAULT_TIMEOUT, Region, find, wait_until};
use serde_json::json;

#[tokio::test]
async fn services_listed_on_a_hub_are_searched_at_the_region() {
    let region = Region::start().await;
    let hub = region.hub("peer-garden").await;

    let advice = Written::from_json(
        &hub.kith([
            "service",
            "add",
            "--name",
            "Welfare rights drop-in",
            "--category",
            "benefits-and-money",
            "--category",
            "legal-and-advocacy",
            "--description",
            "Help with Universal Credit, PIP and appeals",
            "--free",
            "--hours",
            "mon-sun 00:00-24:00",
            "--address",
            "1 Market Street, Leeds ls1 6dt",
            "--phone",
            "0113 496 0000",
            "--language",
            "Urdu",
        ])
        .await
        .ok(),
    );
    let pantry = Written::from_json(
        &hub.kith([
            "service",
            "add",
            "--name",
            "Community pantry",
            "--category",
            "food",
            "--fees",
            "£3 a bag",
            "--hours",
            "sat by appointment",
            "--area",
            "Bradford BD7",
            "--confirmed",
            "2020-01-06",
        ])
        .await
        .ok(),
    );

    wait_until("the relay has both services", DEFAULT_TIMEOUT, async || region.services(&[]).await.len() == 2).await;
    let names = |items: Vec<serde_json::Value>| {
        let mut names: Vec<String> = items.iter().map(|s| s["name"].as_str().unwrap_or_default().to_owned()).collect();
        names.sort();
        names
    };
    // Words, stems and synonyms; category; area by postcode area; cost; open now.
    assert_eq!(names(region.services(&["--query", "benefit advice"]).await), ["Welfare rights drop-in"]);
    assert_eq!(names(region.services(&["--category", "food"]).await), ["Community pantry"]);
    assert_eq!(names(region.services(&["--area", "LS"]).await), ["Welfare rights drop-in"]);
    assert_eq!(names(region.services(&["--area", "bradford"]).await), ["Community pantry"]);
    assert_eq!(names(region.services(&["--free"]).await), ["Welfare rights drop-in"]);
    assert_eq!(names(region.services(&["--open-now"]).await), ["Welfare rights drop-in"]);

    let all = region.services(&[]).await;
    let a = find(&all, &advice.id).expect("the drop-in");
    assert_eq!(a["hub"], "peer-garden");
    assert_eq!(a["places"], json!([{"address": "1 Market Street, Leeds LS1 6DT"}]));
    assert_eq!(a["hours"], json!(["monday–sunday 00:00–24:00"]));
    assert_eq!((a["open_now"].clone(), a["unconfirmed"].clone()), (json!(true), json!(false)));
    let p = find(&all, &pantry.id).expect("the pantry");
    assert_eq!((p["free"].clone(), p["fees"].clone()), (json!(false), json!("£3 a bag")));
    assert_eq!(p["unconfirmed"], true, "confirmed in 2020: more than 12 months ago");
    let shown = region.relay.kith_table(["region", "service", &pantry.id]).await;
    assert!(shown.contains("not confirmed since 6 January 2020"), "{shown}");
    assert!(shown.contains("Saturday by appointment"), "{shown}");

    // Updated: only what was given changes; the region follows.
    let updated = Written::from_json(
        &hub.kith(["service", "update", &pantry.id, "--status", "temporarily-closed", "--confirmed", "today"])
            .await
            .ok(),
    );
    assert!(updated.seq > pantry.seq);
    wait_until("the pantry is closed at the region", DEFAULT_TIMEOUT, async || {
        region.services(&["--category", "food"]).await.is_empty()
    })
    .await;
    let closed = region.services(&["--include-inactive", "--category", "food"]).await;
    assert_eq!(
        (closed[0]["status"].clone(), closed[0]["fees"].clone()),
        (json!("temporarily-closed"), json!("£3 a bag"))
    );
    assert_eq!(closed[0]["unconfirmed"], false);

    // A bad value is refused with the field named, and changes nothing.
    let refused = hub.kith(["service", "update", &advice.id, "--hours", "mon-fri 9-5"]).await.failure();
    assert!(refused.contains("hours[0]"), "{refused}");

    // Withdrawn: the region forgets it; the hub keeps it, marked.
    hub.kith(["service", "withdraw", &advice.id]).await.ok();
    wait_until("the drop-in is gone from the region", DEFAULT_TIMEOUT, async || {
        region.services(&[]).await.iter().all(|s| s["id"] != advice.id.as_str())
    })
    .await;
    let mine = hub.kith(["service", "list", "--all"]).await.array();
    assert_eq!(find(&mine, &advice.id).expect("kept at the hub")["withdrawn"], true);
    let stats = region.relay.kith(["region", "stats"]).await.ok();
    assert_eq!(stats["services"], 1, "{stats}");
}
