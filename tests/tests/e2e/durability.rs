//! Nothing answered is lost: a hub killed with SIGKILL, a NATS outage, a relay
//! restarted or rebuilt from nothing all end with the region showing exactly what the
//! hubs wrote, each event once.

use futures::TryStreamExt;
use kith_proto::envelope::open;
use kith_proto::event::Event;
use kith_proto::stream::region_stream;
use kith_proto::v1::{GetRequest, StatusRequest};
use kith_tests::sample::{
    Written, add_opportunity, add_safehouse, opportunity_fields, safehouse_fields, set_availability,
};
use kith_tests::{DEFAULT_TIMEOUT, Hub, NatsServer, REGION, Region, Relay, find, wait_for, wait_until};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// Waits until the region serves every one of `ids` as an opportunity.
async fn wait_for_opportunities(region: &Region, ids: &[String]) {
    let mut relay = region.relay.client().await;
    for id in ids {
        let what = format!("the relay serves opportunity {id}");
        wait_until(&what, DEFAULT_TIMEOUT, async || {
            relay.get_opportunity(GetRequest { id: id.clone(), hub: String::new() }).await.is_ok()
        })
        .await;
    }
}

#[tokio::test]
async fn answered_writes_survive_hub_kill_9_and_reach_the_region() {
    let region = Region::start().await;
    let mut hub = region.hub("peer-garden").await;
    let mut ids = vec![add_opportunity(&hub, "Allotment gardener", &[]).await.id];
    let mut admin = hub.admin().await;
    for i in 0..20 {
        ids.push(
            admin.add_opportunity(opportunity_fields(&format!("Bike mechanic {i}"))).await.unwrap().into_inner().id,
        );
    }
    let house = admin.add_safe_house(safehouse_fields("Women's House")).await.unwrap().into_inner();
    // Killed the moment the last write is answered: no time to publish, flush or
    // shut down.
    hub.kill9();

    hub.restart().await;
    let listed = hub.kith(["opportunity", "list"]).await.array();
    for id in &ids {
        assert!(find(&listed, id).is_some(), "opportunity {id} was answered but is gone after kill -9");
    }
    let houses = hub.kith(["safehouse", "list"]).await.array();
    assert!(find(&houses, &house.id).is_some(), "the last answered write is gone after kill -9");

    wait_for_opportunities(&region, &ids).await;
    let mut relay = region.relay.client().await;
    wait_until("the relay serves the safe house", DEFAULT_TIMEOUT, async || {
        relay.get_safe_house(GetRequest { id: house.id.clone(), hub: String::new() }).await.is_ok()
    })
    .await;
}

#[tokio::test]
async fn a_write_answered_while_nats_is_down_survives_hub_kill_9_and_is_published_when_nats_returns() {
    let mut region = Region::start().await;
    let mut hub = region.hub("peer-garden").await;
    region.nats.stop().await;

    let written = add_opportunity(&hub, "Written in the dark", &[]).await;
    hub.kill9();
    hub.restart().await;
    let listed = hub.kith(["opportunity", "list"]).await.array();
    assert!(find(&listed, &written.id).is_some(), "the answered write is gone after kill -9: {listed:?}");
    let status = hub.status().await;
    assert!(!status.nats_connected, "{status:?}");
    assert!(status.outbox_pending >= 1, "the write is not waiting in the outbox: {status:?}");

    region.nats.start().await;
    wait_for_opportunities(&region, std::slice::from_ref(&written.id)).await;
}

#[tokio::test]
async fn writes_accepted_while_nats_is_down_are_all_delivered_once_when_it_returns() {
    let nats = NatsServer::spawn().await;
    // The region's stream as hubs create it, except that it keeps every message
    // rather than the last per subject: a duplicate publication stays visible.
    let slug = kith_proto::Slug::parse("region", REGION).unwrap();
    let mut audit = region_stream(&slug, 1, kith_proto::stream::DEFAULT_MAX_BYTES);
    audit.max_messages_per_subject = -1;
    nats.jetstream().await.create_stream(audit).await.expect("create the audit stream");
    let relay = Relay::start(REGION, &nats.url()).await;
    let mut region = Region { name: REGION.into(), relay, nats };
    let hub = region.hub("peer-garden").await;
    let mut writes: Vec<Written> = vec![add_opportunity(&hub, "Before the outage", &[]).await];
    wait_for_opportunities(&region, &[writes[0].id.clone()]).await;

    region.nats.stop().await;
    let mut opportunities = Vec::new();
    for i in 0..5 {
        let w = add_opportunity(&hub, &format!("During the outage {i}"), &[]).await;
        opportunities.push(w.id.clone());
        writes.push(w);
    }
    let updated = hub.kith(["opportunity", "update", &opportunities[0], "--title", "Updated in the dark"]).await.ok();
    writes.push(Written::from_json(&updated));
    writes.push(Written::from_json(&hub.kith(["opportunity", "withdraw", &opportunities[1]]).await.ok()));
    let house = add_safehouse(&hub, "Crisis House", 4, &[]).await;
    writes.push(house.clone());
    writes.push(set_availability(&hub, &house.id, 3, "12h").await);
    let during = writes.len() - 1;
    let status = wait_for("the hub reports NATS down with the writes pending", DEFAULT_TIMEOUT, async || {
        let s = hub.status().await;
        if !s.nats_connected && s.outbox_pending >= during as u64 && !s.last_error.is_empty() { Ok(s) } else { Err(s) }
    })
    .await;
    eprintln!("while NATS was down: {status:?}");

    region.nats.start().await;
    let mut expected: Vec<String> = vec![
        writes[0].id.clone(),
        opportunities[0].clone(),
        opportunities[2].clone(),
        opportunities[3].clone(),
        opportunities[4].clone(),
    ];
    expected.sort();
    let found = wait_for("the region has exactly the expected opportunities", DEFAULT_TIMEOUT, async || {
        let found = region.opportunities(&[]).await;
        let mut ids: Vec<String> = found.iter().map(|o| o["id"].as_str().unwrap_or_default().to_owned()).collect();
        ids.sort();
        if ids == expected && find(&found, &opportunities[0]).is_some_and(|o| o["title"] == "Updated in the dark") {
            Ok(found)
        } else {
            Err(found)
        }
    })
    .await;
    assert_eq!(found.len(), 5, "an opportunity listed twice: {found:?}");
    wait_until("the region shows the availability", DEFAULT_TIMEOUT, async || {
        find(&region.safehouses(&[]).await, &house.id).is_some_and(|h| h["beds_free"] == 3)
    })
    .await;
    let status = wait_for("the hub's outbox is drained", DEFAULT_TIMEOUT, async || {
        let s = hub.status().await;
        if s.outbox_pending == 0 && s.last_published_seq == s.last_written_seq { Ok(s) } else { Err(s) }
    })
    .await;
    assert!(status.nats_connected, "{status:?}");
    wait_until("the hub's status no longer reports an error", DEFAULT_TIMEOUT, async || {
        hub.status().await.last_error.is_empty()
    })
    .await;

    // The stream holds every write exactly once: each envelope verifies with the hub's
    // key, and the hub sequence numbers are those the writes were answered with.
    let mut stream = region.stream().await;
    let info = stream.info().await.unwrap().clone();
    let key = hub.signing_key().verifying_key();
    let mut seqs = Vec::new();
    let mut envelope_ids = BTreeSet::new();
    for seq in info.state.first_sequence..=info.state.last_sequence {
        let message = stream.get_raw_message(seq).await.unwrap_or_else(|e| panic!("stream message {seq}: {e}"));
        let opened = open(&message.payload, &message.subject, Some(&key))
            .unwrap_or_else(|e| panic!("stream message {seq} on {} does not verify: {e}", message.subject));
        assert!(envelope_ids.insert(opened.envelope.id), "envelope {} stored twice", opened.envelope.id);
        if !matches!(opened.event, Event::Profile(_)) {
            seqs.push(opened.envelope.hub_seq);
        }
    }
    seqs.sort();
    let mut answered: Vec<u64> = writes.iter().map(|w| w.seq).collect();
    answered.sort();
    assert_eq!(seqs, answered, "the stream's listing events are not exactly the answered writes");
    let per_subject: BTreeMap<String, usize> = stream
        .info_with_subjects(format!("kith.{REGION}.peer-garden.opportunity.*"))
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let subject = |id: &str| format!("kith.{REGION}.peer-garden.opportunity.{id}");
    let mut expected_per_subject = BTreeMap::from([(subject(&writes[0].id), 1)]);
    for (i, id) in opportunities.iter().enumerate() {
        // The first was updated and the second withdrawn while NATS was down.
        expected_per_subject.insert(subject(id), if i < 2 { 2 } else { 1 });
    }
    assert_eq!(per_subject, expected_per_subject, "messages per opportunity subject");

    let stats = region.relay.kith(["region", "stats"]).await.ok();
    assert_eq!(stats["hubs"], 1, "{stats}");
    assert_eq!(stats["opportunities"], 5, "{stats}");
    assert_eq!(stats["safe_houses"], 1, "{stats}");
    assert_eq!(stats["rejected"], serde_json::json!({}), "the relay rejected events of an honest hub: {stats}");
}

/// What a relay serves: every opportunity (closed ones included), every safe house,
/// every hub (without whether the relay has compared it with a heartbeat yet).
async fn view(relay: &Relay) -> Vec<Vec<Value>> {
    let mut parts = Vec::new();
    for args in [&["region", "opportunities", "--include-closed"][..], &["region", "safehouses"], &["region", "hubs"]] {
        let mut items = relay.kith(args).await.array();
        items.sort_by_key(|v| v["id"].as_str().unwrap_or_default().to_owned());
        // Whether the relay has compared the view with a heartbeat since it started
        // is not part of the view.
        for item in &mut items {
            if let Some(fields) = item.as_object_mut() {
                fields.remove("sync");
                fields.remove("diverged_since");
            }
        }
        parts.push(items);
    }
    parts
}

/// Writes a little of everything, updates and withdrawals included, waits until the
/// region shows it all, then kills the hub so that nothing more arrives. Returns the
/// view and the withdrawn ids.
async fn populate(region: &Region, hub: &mut Hub) -> (Vec<Vec<Value>>, Vec<String>) {
    let gardener = add_opportunity(hub, "Allotment gardener", &["--skill", "gardening"]).await;
    let trainer = add_opportunity(hub, "Peer trainer", &["--kind", "peer-teaching", "--sector", "mental-health"]).await;
    let gone = add_opportunity(hub, "Cafe volunteer", &["--kind", "volunteering"]).await;
    hub.kith(["opportunity", "update", &trainer.id, "--status", "filled"]).await.ok();
    hub.kith(["opportunity", "update", &gardener.id, "--title", "Allotment gardener (weekends)"]).await.ok();
    hub.kith(["opportunity", "withdraw", &gone.id]).await.ok();
    let house = add_safehouse(hub, "Crisis House", 4, &["--for", "women"]).await;
    set_availability(hub, &house.id, 2, "12h").await;
    let closed = add_safehouse(hub, "Closed House", 2, &[]).await;
    hub.kith(["safehouse", "withdraw", &closed.id]).await.ok();

    let last = hub.status().await.last_written_seq;
    wait_until("the hub has published everything", DEFAULT_TIMEOUT, async || {
        hub.admin().await.status(StatusRequest {}).await.is_ok_and(|s| s.into_inner().last_published_seq >= last)
    })
    .await;
    let before = wait_for("the region shows everything", DEFAULT_TIMEOUT, async || {
        let v = view(&region.relay).await;
        let (opps, houses) = (&v[0], &v[1]);
        let settled = opps.len() == 2
            && find(opps, &gardener.id).is_some_and(|o| o["title"] == "Allotment gardener (weekends)")
            && find(opps, &trainer.id).is_some_and(|o| o["status"] == "filled")
            && houses.len() == 1
            && find(houses, &house.id).is_some_and(|h| h["beds_free"] == 2);
        if settled { Ok(v) } else { Err(v) }
    })
    .await;
    hub.kill9();
    (before, vec![gone.id, closed.id])
}

/// Waits until `relay` serves `expected` and none of `withdrawn`.
async fn assert_same_view(relay: &Relay, expected: &[Vec<Value>], withdrawn: &[String]) {
    wait_for("the relay serves the same view", DEFAULT_TIMEOUT, async || {
        let v = view(relay).await;
        if v == expected { Ok(()) } else { Err(v) }
    })
    .await;
    let mut client = relay.client().await;
    let status = client
        .get_opportunity(GetRequest { id: withdrawn[0].clone(), hub: String::new() })
        .await
        .expect_err("withdrawn");
    assert_eq!(status.code(), tonic::Code::NotFound);
    let status = client
        .get_safe_house(GetRequest { id: withdrawn[1].clone(), hub: String::new() })
        .await
        .expect_err("withdrawn");
    assert_eq!(status.code(), tonic::Code::NotFound);
}

#[tokio::test]
async fn a_restarted_relay_serves_the_same_view_from_its_own_store() {
    let mut region = Region::start().await;
    let mut hub = region.hub("peer-garden").await;
    let (before, withdrawn) = populate(&region, &mut hub).await;
    // With NATS down the view can only come from the relay's own store.
    region.nats.stop().await;
    region.relay.restart().await;
    assert_eq!(view(&region.relay).await, before, "the restarted relay serves another view");
    region.nats.start().await;
    assert_same_view(&region.relay, &before, &withdrawn).await;

    // And it goes on consuming where it left off.
    hub.restart().await;
    let later = add_opportunity(&hub, "Written after the restart", &[]).await;
    wait_for_opportunities(&region, &[later.id]).await;
}

#[tokio::test]
async fn a_relay_rebuilt_from_an_empty_dir_serves_the_same_view() {
    let mut region = Region::start().await;
    let mut hub = region.hub("peer-garden").await;
    let (before, withdrawn) = populate(&region, &mut hub).await;
    region.relay.rebuild_from_empty_dir().await;
    assert_same_view(&region.relay, &before, &withdrawn).await;
}

#[tokio::test]
async fn rebuild_flag_replays_the_stream_where_a_plain_restart_does_not() {
    let mut region = Region::start().await;
    let mut hub = region.hub("peer-garden").await;
    let (before, withdrawn) = populate(&region, &mut hub).await;
    // Counters start from zero in every relay process.
    region.relay.restart().await;
    assert_same_view(&region.relay, &before, &withdrawn).await;
    assert_eq!(region.relay.stats().await.applied, 0, "a plain restart serves its stored view without replaying");
    region.relay.restart_with_rebuild().await;
    assert_same_view(&region.relay, &before, &withdrawn).await;
    let stats = region.relay.stats().await;
    assert!(stats.applied >= before.len() as u64, "--rebuild replays the stream: {stats:?}");
}

#[tokio::test]
async fn a_second_relay_of_the_region_builds_the_same_view_from_the_stream() {
    let region = Region::start().await;
    let mut hub = region.hub("peer-garden").await;
    let (before, withdrawn) = populate(&region, &mut hub).await;
    let second = Relay::start_named(REGION, &region.nats.url(), Some("second")).await;
    assert_same_view(&second, &before, &withdrawn).await;
}

fn stream() -> String {
    kith_proto::subject::stream_name(&kith_proto::Slug::parse("region", REGION).unwrap())
}

/// A view without what publishing again changes: sequence numbers and event times.
fn content(view: &[Vec<Value>]) -> Vec<Vec<Value>> {
    view.iter()
        .map(|items| {
            items
                .iter()
                .map(|item| {
                    let mut item = item.clone();
                    if let Some(fields) = item.as_object_mut() {
                        for key in ["seq", "updated_at", "last_seen"] {
                            fields.remove(key);
                        }
                    }
                    item
                })
                .collect()
        })
        .collect()
}

/// Waits until `hub` has published everything it has written since `after`.
async fn drained(hub: &Hub, after: u64) {
    wait_until("the hub has published everything again", DEFAULT_TIMEOUT, async || {
        let s = hub.status().await;
        s.last_written_seq > after && s.outbox_pending == 0 && s.last_published_seq == s.last_written_seq
    })
    .await;
}

/// Rebuilds the relay from the stream alone and checks it has the listings of `before`.
async fn assert_rebuilt_from_stream(region: &mut Region, before: &[Vec<Value>], withdrawn: &[String]) {
    region.relay.rebuild_from_empty_dir().await;
    let expected = content(before);
    wait_for("the rebuilt relay has every listing again", DEFAULT_TIMEOUT, async || {
        let v = content(&view(&region.relay).await);
        if v == expected { Ok(()) } else { Err(v) }
    })
    .await;
    let mut client = region.relay.client().await;
    assert!(
        client.get_opportunity(GetRequest { id: withdrawn[0].clone(), hub: String::new() }).await.is_err(),
        "withdrawn stays gone"
    );
}

#[tokio::test]
async fn a_region_whose_stream_was_deleted_is_rebuilt_from_its_hubs() {
    let mut region = Region::start().await;
    let mut hub = region.hub("peer-garden").await;
    let (before, withdrawn) = populate(&region, &mut hub).await;
    hub.restart().await;
    let written = hub.status().await.last_written_seq;
    hub.stop().await;
    region.nats.jetstream().await.delete_stream(stream()).await.expect("delete the region's stream");
    // Coming back, the hub finds a stream it has not seen and publishes all it owns
    // (more than the one profile a restart publishes).
    hub.restart().await;
    drained(&hub, written + 1).await;
    assert_rebuilt_from_stream(&mut region, &before, &withdrawn).await;
}

#[tokio::test]
async fn a_connected_idle_hub_notices_its_stream_was_created_again_and_republishes() {
    let region = Region::start().await;
    let options = kith_tests::HubOptions { heartbeat_secs: Some(2), ..kith_tests::HubOptions::named("Garden") };
    let hub = region.hub_with("peer-garden", options).await;
    let job = add_opportunity(&hub, "Allotment helper", &[]).await;
    drained(&hub, 0).await;
    // Behind the hub's back, while it stays connected and has nothing to publish: the
    // stream is deleted and created again, empty.
    let js = region.nats.jetstream().await;
    js.delete_stream(stream()).await.expect("delete the region's stream");
    js.create_stream(region_stream(&region.slug(), 1, kith_proto::stream::DEFAULT_MAX_BYTES)).await.unwrap();
    let subject = format!("kith.{REGION}.peer-garden.opportunity.{}", job.id);
    wait_until("the hub republished its listing into the new stream", Duration::from_secs(20), async || {
        let s = js.get_stream(stream()).await.unwrap();
        s.get_last_raw_message_by_subject(&subject).await.is_ok()
    })
    .await;
}

#[tokio::test]
async fn kith_republish_repairs_a_stream_that_lost_messages() {
    let mut region = Region::start().await;
    let mut hub = region.hub("peer-garden").await;
    let (before, withdrawn) = populate(&region, &mut hub).await;
    hub.restart().await;
    let written = hub.status().await.last_written_seq;
    // As after a server's power cut: the same stream, its messages gone.
    region.nats.jetstream().await.get_stream(stream()).await.unwrap().purge().await.expect("purge");
    let out = hub.kith(["republish"]).await.ok();
    assert!(out["events"].as_u64().is_some_and(|n| n >= 6), "profile, 3 opportunities, 2 safe houses: {out}");
    drained(&hub, written).await;
    assert_rebuilt_from_stream(&mut region, &before, &withdrawn).await;
}

#[tokio::test]
async fn events_of_a_hub_whose_profile_the_stream_lost_wait_for_it_instead_of_vanishing() {
    let nats = NatsServer::spawn().await;
    // The region's stream, as its relay (or operator) makes it: hubs never do.
    let region = kith_proto::Slug::parse("region", REGION).unwrap();
    kith_proto::stream::ensure(&nats.jetstream().await, &region, 1, kith_proto::stream::DEFAULT_MAX_BYTES)
        .await
        .expect("create the region's stream");
    let mut hub = Hub::start(REGION, "peer-garden", &nats.url()).await;
    let job = add_opportunity(&hub, "Allotment helper", &[]).await;
    wait_until("the hub has published everything", DEFAULT_TIMEOUT, async || {
        let s = hub.status().await;
        s.outbox_pending == 0 && s.last_published_seq == s.last_written_seq
    })
    .await;
    hub.stop().await;
    // A window of the stream is lost: the hub's profile is gone, its listing is not.
    let js = nats.jetstream().await;
    let name = kith_proto::subject::stream_name(&kith_proto::Slug::parse("region", REGION).unwrap());
    let mut stream = js.get_stream(&name).await.unwrap();
    let profile = format!("kith.{REGION}.peer-garden.profile");
    let seq = stream.get_last_raw_message_by_subject(&profile).await.unwrap().sequence;
    assert!(stream.delete_message(seq).await.unwrap());

    // A relay meeting the listing first has no profile to pin the hub's key from.
    let relay = Relay::start(REGION, &nats.url()).await;
    let last = stream.info().await.unwrap().state.last_sequence;
    wait_until("the relay has been given every message", DEFAULT_TIMEOUT, async || {
        let consumer = stream.consumer_info("relay").await;
        consumer.is_ok_and(|c| c.delivered.stream_sequence >= last)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(relay.stats().await.rejected.get("unknown-hub"), None, "the listing was refused for good");

    // The hub comes back and publishes its profile: the listing waited for it.
    hub.restart().await;
    wait_until("the relay shows the listing once the profile is back", Duration::from_secs(30), async || {
        relay.kith(["region", "opportunity", &job.id]).await.code == Some(0)
    })
    .await;
    assert_eq!(relay.stats().await.rejected.get("unknown-hub"), None);
}

/// A relay killed with SIGKILL starts from its last checkpoint and the records
/// changed since (not by re-reading every record), and serves the same view as one
/// rebuilt from the stream.
#[tokio::test]
async fn a_relay_killed_after_its_checkpoint_starts_from_it_and_the_changes_since() {
    let mut region = Region::start().await;
    let hub = region.hub("peer-garden").await;
    let first = add_opportunity(&hub, "Allotment gardener", &["--skill", "gardening"]).await;
    wait_for_opportunities(&region, std::slice::from_ref(&first.id)).await;
    // A clean stop writes a checkpoint.
    region.relay.restart().await;

    // Changes after it: an update, a new listing, one added and withdrawn, a house.
    hub.kith(["opportunity", "update", &first.id, "--title", "Allotment gardener (weekends)"]).await.ok();
    let second = add_opportunity(&hub, "Peer trainer", &["--kind", "peer-teaching"]).await;
    let gone = add_opportunity(&hub, "Cafe volunteer", &["--kind", "volunteering"]).await;
    hub.kith(["opportunity", "withdraw", &gone.id]).await.ok();
    let house = add_safehouse(&hub, "Crisis House", 4, &["--for", "women"]).await;
    let before = wait_for("the relay shows every change", DEFAULT_TIMEOUT, async || {
        let v = view(&region.relay).await;
        let (opps, houses) = (&v[0], &v[1]);
        let settled = opps.len() == 2
            && find(opps, &first.id).is_some_and(|o| o["title"] == "Allotment gardener (weekends)")
            && find(opps, &second.id).is_some()
            && find(houses, &house.id).is_some();
        if settled { Ok(v) } else { Err(v) }
    })
    .await;
    // The view shows a batch as soon as it is applied; its flush to disk (and then
    // its acknowledgement) follows within milliseconds. Killed before, the batch
    // would come again from NATS, which is down below.
    tokio::time::sleep(Duration::from_secs(1)).await;

    region.relay.kill9();
    // With NATS down the view can only come from the relay's own directory.
    region.nats.stop().await;
    region.relay.restart().await;
    assert_eq!(view(&region.relay).await, before, "the relay started after a crash serves another view");
    let log = std::fs::read_to_string(region.relay.log_path()).unwrap_or_default();
    let read = log.lines().rev().find(|l| l.contains("view read")).unwrap_or_default().to_owned();
    assert!(read.contains("from=\"checkpoint\"") || read.contains("from=checkpoint"), "{read}");
    assert!(!read.contains("replayed=0"), "the changes since the checkpoint were put back: {read}");

    // The same view as a relay rebuilt from the stream.
    region.nats.start().await;
    region.relay.restart_with_rebuild().await;
    wait_for("the rebuilt relay serves the same view", DEFAULT_TIMEOUT, async || {
        let v = view(&region.relay).await;
        if v == before { Ok(()) } else { Err(v) }
    })
    .await;
}

/// Checkpoints are written while the relay runs, not only at a clean stop: one
/// killed with SIGKILL, never stopped cleanly, still starts from its last one.
#[tokio::test]
async fn a_running_relay_writes_checkpoints_that_a_start_after_kill_9_reads() {
    let mut region = Region::start_with(&["--checkpoint-interval", "1s"]).await;
    let hub = region.hub("peer-garden").await;
    let first = add_opportunity(&hub, "Allotment gardener", &[]).await;
    wait_for_opportunities(&region, std::slice::from_ref(&first.id)).await;
    let written = |log: &str| log.matches("view checkpoint written").count();
    let log_path = region.relay.log_path().to_owned();
    let log = || std::fs::read_to_string(&log_path).unwrap_or_default();
    wait_until("the relay writes a checkpoint while it runs", DEFAULT_TIMEOUT, async || written(&log()) > 0).await;
    let second = add_opportunity(&hub, "Peer trainer", &[]).await;
    wait_for_opportunities(&region, std::slice::from_ref(&second.id)).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = view(&region.relay).await;

    region.relay.kill9();
    region.nats.stop().await;
    region.relay.restart().await;
    assert_eq!(view(&region.relay).await, before);
    let read = log().lines().rev().find(|l| l.contains("view read")).unwrap_or_default().to_owned();
    assert!(read.contains("checkpoint"), "{read}");
    region.nats.start().await;
}

/// Killed at a moment nobody chose — while it applies a burst of writes, perhaps
/// while it writes a checkpoint — a relay starts again from what it has and the
/// stream's redeliveries, and ends with the view a relay rebuilt from the stream has.
#[tokio::test]
async fn a_relay_killed_at_random_during_ingest_ends_with_the_rebuilt_view() {
    let mut region = Region::start_with(&["--checkpoint-interval", "1s"]).await;
    let hub = region.hub("peer-garden").await;
    let writes = async {
        let mut ids = Vec::new();
        for i in 0..120 {
            ids.push(add_opportunity(&hub, &format!("Job {i}"), &[]).await.id);
        }
        ids
    };
    let kill = async {
        let after = Duration::from_millis(300 + rand::random::<u64>() % 2200);
        tokio::time::sleep(after).await;
        region.relay.kill9();
        after
    };
    let (ids, after) = tokio::join!(writes, kill);
    region.relay.restart().await;
    wait_for_opportunities(&region, &ids).await;
    let settled = view(&region.relay).await;
    region.relay.restart_with_rebuild().await;
    wait_for("the rebuilt relay serves the same view", DEFAULT_TIMEOUT, async || {
        let v = view(&region.relay).await;
        if v == settled { Ok(()) } else { Err(format!("killed after {after:?}: {v:?}")) }
    })
    .await;
}
