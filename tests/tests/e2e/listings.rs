//! What a hub operator writes reaches the region: opportunities and safe houses added,
//! updated and withdrawn through the real `kith` CLI, seen through the relay's query
//! API. Also how fast, and that stale availability is never shown as a number.

use kith_proto::v1::{GetRequest, ListSafeHousesRequest};
use kith_tests::sample::{add_opportunity, add_safehouse, set_availability};
use kith_tests::wait::within;
use kith_tests::{DEFAULT_TIMEOUT, Region, find, wait_for, wait_until};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The ids in a region answer, sorted.
fn ids(items: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = items.iter().map(|i| i["id"].as_str().unwrap_or_default().to_owned()).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn opportunity_added_updated_and_withdrawn_on_a_hub_is_seen_so_at_the_region() {
    let region = Region::start().await;
    let hub = region.hub("peer-garden").await;
    let mut relay = region.relay.client().await;

    // Added: visible at the region with what the operator typed.
    let started = Instant::now();
    let added = add_opportunity(
        &hub,
        "Allotment gardener",
        &[
            "--description",
            "Grow vegetables with the co-op",
            "--pay-pence",
            "1221",
            "--pay-per",
            "hour",
            "--hours-per-week",
            "16",
            "--skill",
            "gardening",
            "--skill",
            "composting",
        ],
    )
    .await;
    let answered = started.elapsed();
    assert!(added.seq > 0);
    let request = || GetRequest { id: added.id.clone(), hub: String::new() };
    // Polled every millisecond rather than with `wait_until`'s growing pauses, so that
    // the time printed is the latency and not the polling.
    let visible = within("the relay has the new opportunity", DEFAULT_TIMEOUT, async {
        loop {
            if relay.get_opportunity(request()).await.is_ok() {
                break started.elapsed();
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    })
    .await;
    eprintln!(
        "end-to-end latency: `kith opportunity add` answered after {answered:?}, \
         visible at the relay after {visible:?} ({:?} after the answer)",
        visible - answered
    );

    let found = region.opportunities(&["--query", "gardening"]).await;
    let o = find(&found, &added.id).unwrap_or_else(|| panic!("not found by --query gardening: {found:?}"));
    assert_eq!(o["hub"], "peer-garden");
    assert_eq!(o["title"], "Allotment gardener");
    assert_eq!(o["kind"], "paid-job");
    assert_eq!(o["sector"], "ordinary");
    assert_eq!(o["area"], "Leeds LS6");
    assert_eq!(o["status"], "open");
    assert_eq!(o["pay"], json!({"pence": 1221, "per": "hour"}));
    assert_eq!(o["skills"], json!(["gardening", "composting"]));
    assert_eq!(o["seq"], added.seq);

    // Updated: the region shows the new values, and only them.
    let updated = hub
        .kith(["opportunity", "update", &added.id, "--title", "Allotment gardener (weekends)", "--area", "Leeds LS7"])
        .await
        .ok();
    assert_eq!(updated["id"], added.id.as_str());
    let new_seq = updated["seq"].as_u64().expect("seq");
    assert!(new_seq > added.seq, "an update gets a later sequence number: {updated}");
    let o = wait_for("the region shows the update", DEFAULT_TIMEOUT, async || {
        let found = region.opportunities(&["--query", "gardening"]).await;
        find(&found, &added.id).filter(|o| o["seq"] == new_seq).cloned().ok_or(found)
    })
    .await;
    assert_eq!(o["title"], "Allotment gardener (weekends)");
    assert_eq!(o["area"], "Leeds LS7");
    assert_eq!(o["pay"], json!({"pence": 1221, "per": "hour"}), "fields not updated stay as they were");

    // Withdrawn: gone from the region, kept as withdrawn on the hub.
    hub.kith(["opportunity", "withdraw", &added.id]).await.ok();
    wait_until("the withdrawn opportunity is gone from the region", DEFAULT_TIMEOUT, async || {
        find(&region.opportunities(&["--include-closed"]).await, &added.id).is_none()
    })
    .await;
    let status = relay.get_opportunity(request()).await.expect_err("a withdrawn opportunity is not served");
    assert_eq!(status.code(), tonic::Code::NotFound, "{status:?}");
    assert!(hub.kith(["opportunity", "list"]).await.array().is_empty());
    let all = hub.kith(["opportunity", "list", "--all"]).await.array();
    assert_eq!(find(&all, &added.id).expect("kept on the hub")["status"], "withdrawn");
}

#[tokio::test]
async fn region_search_filters_by_words_kind_sector_and_area() {
    let region = Region::start().await;
    let hub = region.hub("peer-garden").await;
    let garden = add_opportunity(&hub, "Allotment gardener", &["--skill", "gardening"]).await;
    let trainer = add_opportunity(
        &hub,
        "Peer support trainer",
        &["--kind", "peer-teaching", "--sector", "mental-health", "--area", "Bradford BD1", "--remote"],
    )
    .await;
    let volunteer = add_opportunity(&hub, "Cafe volunteer", &["--kind", "volunteering", "--area", "Halifax HX1"]).await;
    wait_until("the region has all three", DEFAULT_TIMEOUT, async || region.opportunities(&[]).await.len() == 3).await;

    let check = async |args: &[&str], expected: &[&str]| {
        let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(ids(&region.opportunities(args).await), expected, "kith region opportunities {args:?}");
    };
    check(&["--query", "gardening"], &[&garden.id]).await;
    check(&["--query", "peer trainer"], &[&trainer.id]).await;
    check(&["--query", "astronaut"], &[]).await;
    check(&["--kind", "volunteering"], &[&volunteer.id]).await;
    check(&["--sector", "mental-health"], &[&trainer.id]).await;
    check(&["--sector", "ordinary"], &[&garden.id, &volunteer.id]).await;
    check(&["--area", "Bradford"], &[&trainer.id]).await;
    check(&["--remote"], &[&trainer.id]).await;
    check(&["--hub", "peer-garden"], &[&garden.id, &trainer.id, &volunteer.id]).await;
    check(&["--hub", "another-hub"], &[]).await;
}

#[tokio::test]
async fn safe_house_added_updated_and_withdrawn_on_a_hub_is_seen_so_at_the_region() {
    let region = Region::start().await;
    let hub = region.hub("rainbow-house").await;
    let house = add_safehouse(&hub, "Rainbow Crisis House", 4, &["--for", "lgbtq", "--phone", "0113 496 0000"]).await;
    let anyone = add_safehouse(&hub, "Open Door", 2, &[]).await;

    let found = wait_for("the region lists both houses", DEFAULT_TIMEOUT, async || {
        let found = region.safehouses(&[]).await;
        if found.len() == 2 { Ok(found) } else { Err(found) }
    })
    .await;
    let h = find(&found, &house.id).expect("listed");
    assert_eq!(h["hub"], "rainbow-house");
    assert_eq!(h["name"], "Rainbow Crisis House");
    assert_eq!(h["area"], "Leeds");
    assert_eq!(h["for"], json!(["lgbtq"]));
    assert_eq!(h["beds_total"], 4);
    assert_eq!(h["beds_free"], Value::Null, "never reported: unknown");
    assert!(h.get("address").is_none(), "a safe house has no address: {h}");

    // `--for` keeps houses for that group and houses for anyone.
    assert_eq!(ids(&region.safehouses(&["--for", "lgbtq"]).await), ids(&found));
    assert_eq!(ids(&region.safehouses(&["--for", "women"]).await), vec![anyone.id.clone()]);
    assert!(region.safehouses(&["--available"]).await.is_empty(), "no availability reported yet");

    // Availability: beds free now.
    set_availability(&hub, &house.id, 2, "12h").await;
    let available = wait_for("the region shows 2 beds free", DEFAULT_TIMEOUT, async || {
        let found = region.safehouses(&["--available"]).await;
        if found.len() == 1 { Ok(found) } else { Err(found) }
    })
    .await;
    assert_eq!(available[0]["id"], house.id.as_str());
    assert_eq!(available[0]["beds_free"], 2);

    // Updated: new values, availability kept.
    let updated = hub.kith(["safehouse", "update", &house.id, "--name", "Rainbow House", "--beds", "6"]).await.ok();
    let new_seq = updated["seq"].as_u64().expect("seq");
    let h = wait_for("the region shows the update", DEFAULT_TIMEOUT, async || {
        let found = region.safehouses(&[]).await;
        find(&found, &house.id).filter(|h| h["seq"] == new_seq).cloned().ok_or(found)
    })
    .await;
    assert_eq!(h["name"], "Rainbow House");
    assert_eq!(h["beds_total"], 6);
    assert_eq!(h["beds_free"], 2, "an update of other fields keeps the availability");

    // Withdrawn: gone.
    hub.kith(["safehouse", "withdraw", &house.id]).await.ok();
    wait_until("the withdrawn house is gone from the region", DEFAULT_TIMEOUT, async || {
        find(&region.safehouses(&[]).await, &house.id).is_none()
    })
    .await;
    assert!(region.safehouses(&["--available"]).await.is_empty());
    let mut relay = region.relay.client().await;
    let status =
        relay.get_safe_house(GetRequest { id: house.id.clone(), hub: String::new() }).await.expect_err("withdrawn");
    assert_eq!(status.code(), tonic::Code::NotFound, "{status:?}");
    assert_eq!(ids(&region.safehouses(&[]).await), vec![anyone.id]);
}

#[tokio::test]
async fn availability_past_its_valid_until_is_reported_unknown() {
    let region = Region::start().await;
    let hub = region.hub("crisis-house").await;
    let house = add_safehouse(&hub, "Crisis House", 4, &[]).await;
    let valid_for = Duration::from_secs(4);
    set_availability(&hub, &house.id, 3, "4s").await;
    let mut relay = region.relay.client().await;
    let request = || ListSafeHousesRequest::default();

    // While valid, the number is shown.
    let fresh = wait_for("the relay shows 3 beds free", valid_for, async || {
        let page = relay.list_safe_houses(request()).await.map_err(|e| e.to_string())?.into_inner();
        let h = page.items.into_iter().find(|h| h.id == house.id).ok_or("not listed yet")?;
        let a = h.availability.ok_or("no availability yet")?;
        if a.beds_free == Some(3) { Ok(a) } else { Err(format!("{a:?}")) }
    })
    .await;
    assert!(!fresh.stale);
    assert!(fresh.valid_until_ms > fresh.updated_at_ms);

    // After it, unknown: never the old number.
    let stale = wait_for("the availability goes stale", DEFAULT_TIMEOUT, async || {
        let page = relay.list_safe_houses(request()).await.map_err(|e| e.to_string())?.into_inner();
        let h = page.items.into_iter().find(|h| h.id == house.id).ok_or("not listed")?;
        let a = h.availability.ok_or("availability disappeared")?;
        if a.stale { Ok(a) } else { Err(format!("{a:?}")) }
    })
    .await;
    assert_eq!(stale.beds_free, None, "stale availability must not carry the old number: {stale:?}");
    assert!(kith_proto::time::now_ms() >= stale.valid_until_ms, "stale before its valid-until: {stale:?}");

    let listed = region.safehouses(&[]).await;
    let h = find(&listed, &house.id).expect("still listed");
    assert_eq!(h["beds_free"], Value::Null, "{h}");
    assert!(region.safehouses(&["--available"]).await.is_empty(), "a house with stale availability is not available");
}
