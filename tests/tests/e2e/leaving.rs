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

/// A hub restored from a backup taken before some of its writes reads them back
/// from the region's stream before it publishes: its next writes are seen by live
/// relays, a rebuilt relay does not bring back what it withdrew after the backup,
/// and the other hub of a referral takes its next step.
#[tokio::test]
async fn a_hub_restored_from_an_older_backup_catches_up_and_the_region_never_goes_back() {
    let mut region = Region::start().await;
    let (mut garden, rainbow) = tokio::join!(
        region.hub_with("peer-garden", quiet("peer-garden")),
        region.hub_with("rainbow-house", quiet("rainbow-house"))
    );
    let withdrawn_later = add_opportunity(&garden, "Allotment helper", &[]).await;
    let kept = add_opportunity(&garden, "Seed library volunteer", &["--kind", "volunteering"]).await;
    let referral = kith_tests::referral::send(&rainbow, &garden, "A. B.", &[]).await;
    kith_tests::referral::wait_for_status(&garden, &referral.id, "received").await;

    let file = garden.root().join("garden.kithbackup");
    let file_arg = file.to_str().unwrap().to_owned();
    let out = garden.kith(["backup", "--out", &file_arg]).await.ok();
    assert_eq!(out["hub"], "peer-garden");
    let backed_up_seq = out["last_seq"].as_u64().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the backup holds the hub's keys");
    }

    // After the backup: a withdrawal, a new listing, a referral step.
    garden.kith(["opportunity", "withdraw", &withdrawn_later.id]).await.ok();
    let added_later = add_opportunity(&garden, "Café trainee", &[]).await;
    garden.kith(["referral", "accept", &referral.id]).await.ok();
    kith_tests::referral::wait_for_status(&rainbow, &referral.id, "accepted").await;
    wait_for("the relay has the writes made after the backup", DEFAULT_TIMEOUT, async || {
        let gone = region.relay.kith(["region", "opportunity", &withdrawn_later.id]).await.code != Some(0);
        let there = region.relay.kith(["region", "opportunity", &added_later.id]).await.code == Some(0);
        if gone && there { Ok(()) } else { Err((gone, there)) }
    })
    .await;
    let before_loss = garden.status().await.last_written_seq;
    assert!(before_loss > backed_up_seq);

    // The hub's disk is lost; it is restored from the backup.
    garden.kill9();
    std::fs::remove_dir_all(garden.dir()).unwrap();
    let bad = garden.root().join("not-a-backup");
    std::fs::write(&bad, b"hello").unwrap();
    let e =
        kith_tests::kith(["restore", bad.to_str().unwrap(), "--dir", garden.dir().to_str().unwrap()]).await.failure();
    assert!(e.contains("not-a-backup") && e.contains("not a Kith hub backup"), "{e}");
    assert!(!garden.dir().join("hub.toml").exists(), "nothing was restored");
    let restored = kith_tests::kith(["restore", &file_arg, "--dir", garden.dir().to_str().unwrap()]).await.ok();
    assert_eq!(restored["last_seq"], backed_up_seq);
    let e = kith_tests::kith(["restore", &file_arg, "--dir", garden.dir().to_str().unwrap()]).await.failure();
    assert!(e.contains("already holds a hub"), "{e}");
    garden.restart().await;

    // It read back what it wrote after the backup, and writes above it.
    let status = wait_for("the restored hub catches up with the stream", DEFAULT_TIMEOUT, async || {
        let s = garden.status().await;
        if s.last_written_seq >= before_loss { Ok(s) } else { Err(s) }
    })
    .await;
    assert!(status.last_written_seq >= before_loss, "{status:?}");
    let shown = garden.kith(["opportunity", "show", &withdrawn_later.id]).await.ok();
    assert_eq!(shown["status"], "withdrawn", "{shown}");
    garden.kith(["opportunity", "show", &added_later.id]).await.ok();
    let after = add_opportunity(&garden, "Bike workshop helper", &[]).await;
    assert!(after.seq > before_loss, "a sequence number the region has seen was used again: {after:?}");
    wait_for("the live relay takes the restored hub's new write", DEFAULT_TIMEOUT, async || {
        let out = region.relay.kith(["region", "opportunity", &after.id]).await;
        if out.code == Some(0) { Ok(()) } else { Err(out.stderr) }
    })
    .await;

    // The other hub takes its next step of the referral.
    garden.kith(["referral", "complete", &referral.id]).await.ok();
    kith_tests::referral::wait_for_status(&rainbow, &referral.id, "completed").await;

    // A relay rebuilt from the stream brings nothing back.
    region.relay.rebuild_from_empty_dir().await;
    wait_for("the rebuilt relay has the hub's listings", DEFAULT_TIMEOUT, async || {
        let mut present = Vec::new();
        for id in [&kept.id, &added_later.id, &after.id, &withdrawn_later.id] {
            present.push(region.relay.kith(["region", "opportunity", id]).await.code == Some(0));
        }
        if present == [true, true, true, false] { Ok(()) } else { Err(present) }
    })
    .await;
}
