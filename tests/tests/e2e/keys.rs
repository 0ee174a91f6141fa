//! A hub changes its keys (`kith keys rotate`): the region follows the rotation, the
//! old key is refused afterwards, a relay started afresh pins the new key, and a peer
//! that pinned the old keys follows too.

use bytes::Bytes;
use kith_proto::envelope::seal;
use kith_proto::event::Event;
use kith_proto::time::now_ms;
use kith_tests::referral::{send, wait_for_status};
use kith_tests::sample::{add_opportunity, opportunity};
use kith_tests::{DEFAULT_TIMEOUT, HubOptions, Region, Relay, find, wait_for};
use ulid::Ulid;

fn quiet(id: &str) -> HubOptions {
    HubOptions { heartbeat_secs: Some(3600), ..HubOptions::named(&format!("Hub {id}")) }
}

/// Waits until `relay` lists opportunity `id`.
async fn listed(relay: &Relay, id: &str) {
    wait_for(&format!("the relay lists opportunity {id}"), DEFAULT_TIMEOUT, async || {
        let out = relay.kith(["region", "opportunity", id]).await;
        if out.code == Some(0) { Ok(()) } else { Err(out.stderr) }
    })
    .await;
}

#[tokio::test]
async fn a_rotation_moves_every_pin_and_the_old_key_is_refused() {
    let region = Region::start().await;
    let (mut garden, rainbow) = tokio::join!(
        region.hub_with("peer-garden", quiet("peer-garden")),
        region.hub_with("rainbow-house", quiet("rainbow-house"))
    );
    let before = add_opportunity(&garden, "Allotment helper", &[]).await;
    listed(&region.relay, &before.id).await;
    // The house pins the garden's keys by referring someone to it.
    let first = send(&rainbow, &garden, "A. B.", &[]).await;
    wait_for_status(&garden, &first.id, "received").await;
    let old_key = garden.signing_key();
    let old_hex = garden.signing_key_hex();

    // Not while the hub runs: its store is in use.
    let e = garden.kith(["keys", "rotate"]).await.failure();
    assert!(e.contains("is the hub running? Stop it first"), "{e}");
    assert_eq!(garden.signing_key_hex(), old_hex, "nothing changed");

    garden.stop().await;
    let rotated = garden.kith(["keys", "rotate"]).await.ok();
    assert_eq!(rotated["old_signing_key"], old_hex.as_str());
    let new_hex = garden.signing_key_hex();
    assert_eq!(rotated["new_signing_key"], new_hex.as_str());
    assert_ne!(new_hex, old_hex);
    assert_eq!(rotated["rotations"], 1);
    garden.restart().await;

    // The live relay follows the rotation: the hub's key is the new one, and what the
    // hub writes under it is applied.
    wait_for("the relay pins the new key", DEFAULT_TIMEOUT, async || {
        let hubs = region.relay.kith(["region", "hubs"]).await.array();
        let key = find(&hubs, "peer-garden").map(|h| h["signing_key"].clone());
        if key.as_ref().and_then(|k| k.as_str()) == Some(new_hex.as_str()) { Ok(()) } else { Err(key) }
    })
    .await;
    let after = add_opportunity(&garden, "Café trainee", &[]).await;
    listed(&region.relay, &after.id).await;
    listed(&region.relay, &before.id).await;

    // The old key is refused from now on.
    let rejected_before = region.relay.stats().await.rejected.get("bad-signature").copied().unwrap_or(0);
    let forged_id = Ulid::new();
    let event = Event::OpportunityPublished(opportunity(forged_id, "Signed with the retired key"));
    let sealed = seal(&region.slug(), &garden.slug(), 1_000_000, now_ms(), &event, &old_key).unwrap();
    let js = region.nats.jetstream().await;
    js.publish(sealed.subject.to_string(), Bytes::from(sealed.bytes)).await.unwrap().await.unwrap();
    wait_for("the old key's event is refused", DEFAULT_TIMEOUT, async || {
        let n = region.relay.stats().await.rejected.get("bad-signature").copied().unwrap_or(0);
        if n > rejected_before { Ok(()) } else { Err(n) }
    })
    .await;
    assert_ne!(region.relay.kith(["region", "opportunity", &forged_id.to_string()]).await.code, Some(0));

    // A relay started afresh (the stream holds only the latest profile and what was
    // published again under the new key) pins the new key and lists everything.
    let fresh = Relay::start_named(&region.name, &region.nats.url(), Some("fresh")).await;
    listed(&fresh, &before.id).await;
    listed(&fresh, &after.id).await;
    let hubs = fresh.kith(["region", "hubs"]).await.array();
    assert_eq!(find(&hubs, "peer-garden").unwrap()["signing_key"], new_hex.as_str());
    assert_ne!(fresh.kith(["region", "opportunity", &forged_id.to_string()]).await.code, Some(0));

    // The house pinned the old keys: its next referral follows the rotation (its pin
    // moves) and is sealed to the new box key, which the garden opens.
    let second = send(&rainbow, &garden, "C. D.", &[]).await;
    let shown = wait_for_status(&garden, &second.id, "received").await;
    assert_eq!(shown["person"]["name"], "C. D.", "{shown}");
    let peers = rainbow.kith(["peers", "list"]).await.array();
    let pinned = peers.iter().find(|p| p["hub"] == "peer-garden").expect("the garden is pinned");
    assert_eq!(pinned["signing_key"], new_hex.as_str());
}
