//! A group leaves the region and takes its data with it (`kith withdraw-all`): the
//! relay then holds none of its listings and lists it as left, a relay started
//! afresh agrees, and the hub publishes nothing more.

use kith_tests::referral::person_file;
use kith_tests::sample::{add_opportunity, add_safehouse, add_service};
use kith_tests::{DEFAULT_TIMEOUT, HubOptions, Region, Relay, find, wait_for};
use serde_json::Value;

fn quiet(id: &str) -> HubOptions {
    HubOptions { heartbeat_secs: Some(3600), ..HubOptions::named(&format!("Hub {id}")) }
}

/// The hub `id` as `relay` lists it, once it lists it with `left` as given.
async fn hub_listed(relay: &Relay, id: &str, left: bool) -> Value {
    wait_for(&format!("the relay lists {id} with left = {left}"), DEFAULT_TIMEOUT, async || {
        let hubs = relay.kith(["region", "hubs"]).await.array();
        match find(&hubs, id) {
            Some(h) if h["left"] == left => Ok(h.clone()),
            other => Err(other.cloned()),
        }
    })
    .await
}

#[tokio::test]
async fn a_hub_that_withdraws_everything_leaves_the_region_and_stays_gone() {
    let region = Region::start().await;
    let (mut garden, rainbow) = tokio::join!(
        region.hub_with("peer-garden", quiet("peer-garden")),
        region.hub_with("rainbow-house", quiet("rainbow-house"))
    );
    // A contact, which leaving takes off the region too.
    garden.stop().await;
    kith_tests::hub::set_hub_toml(&garden.dir(), "contact", toml::Value::String("0113 496 0000".into()));
    garden.restart().await;
    add_opportunity(&garden, "Allotment helper", &[]).await;
    add_safehouse(&garden, "Garden House", 2, &[]).await;
    add_service(&garden, "Seed swap", "community-and-social", &["--area", "Leeds"]).await;
    let stays = add_opportunity(&rainbow, "Café trainee", &[]).await;
    wait_for("the relay has the garden's contact", DEFAULT_TIMEOUT, async || {
        let listed = hub_listed(&region.relay, "peer-garden", false).await;
        if listed["contact"] == "0113 496 0000" { Ok(()) } else { Err(listed) }
    })
    .await;
    wait_for("the relay has the garden's three listings", DEFAULT_TIMEOUT, async || {
        let hubs = region.relay.kith(["region", "hubs"]).await.array();
        let h = find(&hubs, "peer-garden").cloned().unwrap_or_default();
        let n = [&h["opportunities"], &h["safe_houses"], &h["services"]].iter().filter(|v| **v == 1).count();
        if n == 3 { Ok(()) } else { Err(h) }
    })
    .await;

    // Not without saying so.
    let before = garden.status().await.last_written_seq;
    let e = garden.kith(["withdraw-all"]).await.failure();
    assert!(e.contains("--yes"), "{e}");
    assert_eq!(garden.status().await.last_written_seq, before, "nothing was written");

    let out = garden.kith(["withdraw-all", "--yes"]).await.ok();
    assert_eq!(out["withdrawn"], 3, "{out}");
    assert_eq!(out["left"], true);

    // The relay holds none of its listings and lists it as left.
    let gone = hub_listed(&region.relay, "peer-garden", true).await;
    for family in ["opportunities", "safe_houses", "services"] {
        assert_eq!(gone[family], 0, "{gone}");
    }
    assert_eq!((&gone["name"], &gone["contact"]), (&"Hub peer-garden".into(), &"".into()), "{gone}");
    let table = region.relay.kith_table(["region", "hubs"]).await;
    assert!(table.lines().any(|l| l.starts_with("peer-garden") && l.contains("left")), "{table}");
    let opportunities = region.opportunities(&[]).await;
    let ids: Vec<&str> = opportunities.iter().filter_map(|o| o["id"].as_str()).collect();
    assert_eq!(ids, [stays.id.as_str()], "only the other hub's listing is left");

    // It publishes nothing more, and nobody can refer to it.
    let e = garden
        .kith([
            "opportunity",
            "add",
            "--title",
            "Back again",
            "--kind",
            "paid-job",
            "--sector",
            "ordinary",
            "--area",
            "Leeds",
        ])
        .await
        .failure();
    assert!(e.contains("left the region"), "{e}");
    let (file, _) = person_file(&rainbow, "A. B.", &[]);
    let f = file.to_str().unwrap();
    let e = rainbow.kith(["referral", "send", "--to", "peer-garden", "--person-file", f]).await.failure();
    assert!(e.contains("has left the region"), "{e}");

    // Started again, it stays gone: no heartbeat brings it back.
    let written = garden.status().await.last_written_seq;
    garden.restart().await;
    assert_eq!(garden.status().await.last_written_seq, written, "a restarted hub that left wrote something");

    // A relay started afresh from the stream agrees.
    let fresh = Relay::start_named(&region.name, &region.nats.url(), Some("fresh")).await;
    wait_for("the fresh relay has the other hub's listing", DEFAULT_TIMEOUT, async || {
        let out = fresh.kith(["region", "opportunity", &stays.id]).await;
        if out.code == Some(0) { Ok(()) } else { Err(out.stderr) }
    })
    .await;
    let gone = hub_listed(&fresh, "peer-garden", true).await;
    assert_eq!(gone["opportunities"], 0, "{gone}");
    assert_eq!(gone["contact"], "", "{gone}");
}
