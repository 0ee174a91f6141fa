//! Anti-entropy: a relay that missed some of a hub's messages notices it at the hub's
//! next heartbeat (whose digest differs from the relay's view), asks the hub to
//! publish them again, and converges — with no operator involved.

use std::time::Duration;

use kith_proto::Slug;
use kith_proto::subject::stream_name;
use kith_tests::sample::add_opportunity;
use kith_tests::{HubOptions, REGION, Region, Relay, find, wait_for};
use serde_json::Value;

/// Heartbeats every second, so that the test need not wait long for one.
fn chatty(id: &str) -> HubOptions {
    HubOptions { heartbeat_secs: Some(1), ..HubOptions::named(&format!("Hub {id}")) }
}

const CONVERGE: Duration = Duration::from_secs(60);

async fn hub_row(relay: &Relay, id: &str) -> Value {
    let hubs = relay.kith(["region", "hubs"]).await.array();
    find(&hubs, id).cloned().unwrap_or_default()
}

async fn in_step(relay: &Relay, id: &str, opportunities: u64) {
    wait_for(&format!("the relay is in step with {id}"), CONVERGE, async || {
        let h = hub_row(relay, id).await;
        if h["sync"] == "in-step" && h["opportunities"] == opportunities { Ok(()) } else { Err(h) }
    })
    .await;
}

fn lines_saying(path: &std::path::Path, what: &str) -> usize {
    std::fs::read_to_string(path).unwrap_or_default().lines().filter(|l| l.contains(what)).count()
}

#[tokio::test]
async fn a_window_of_messages_lost_while_the_relay_was_down_is_repaired_by_itself() {
    let mut region = Region::start().await;
    let hub = region.hub_with("peer-garden", chatty("peer-garden")).await;
    for title in ["Allotment helper", "Café trainee", "Bike mechanic"] {
        add_opportunity(&hub, title, &[]).await;
    }
    in_step(&region.relay, "peer-garden", 3).await;

    // While the relay is down, the hub writes four more, and two of them are lost
    // from the stream (a window JetStream lost, say).
    region.relay.stop().await;
    let mut later = Vec::new();
    for title in ["Seed library volunteer", "Warehouse operative", "Peer trainer", "Shop assistant"] {
        later.push(add_opportunity(&hub, title, &[]).await);
    }
    wait_for("the hub has published them", CONVERGE, async || {
        let s = hub.status().await;
        if s.outbox_pending == 0 { Ok(()) } else { Err(s) }
    })
    .await;
    let js = region.nats.jetstream().await;
    let stream = js.get_stream(stream_name(&Slug::parse("region", REGION).unwrap())).await.unwrap();
    for lost in &later[..2] {
        let subject = format!("kith.{REGION}.peer-garden.opportunity.{}", lost.id);
        let seq = stream.get_last_raw_message_by_subject(&subject).await.unwrap().sequence;
        assert!(stream.delete_message(seq).await.unwrap());
    }

    // The relay comes back: it reads what is left, sees at the next heartbeat that it
    // is missing two, asks, and has all seven.
    region.relay.restart().await;
    in_step(&region.relay, "peer-garden", 7).await;
    for w in &later {
        assert_eq!(region.relay.kith(["region", "opportunity", &w.id]).await.code, Some(0), "{} is missing", w.id);
    }
    let log = region.relay.log_path();
    assert_eq!(lines_saying(log, "the view differs from what the hub says it published"), 1, "said once");
    assert!(lines_saying(log, "in step with the hub again") >= 1);
    assert!(lines_saying(hub.log_path(), "published them again") >= 1);
}

#[tokio::test]
async fn a_relay_rebuilt_after_the_stream_was_purged_gets_everything_back_from_the_hub() {
    let mut region = Region::start().await;
    let hub = region.hub_with("peer-garden", chatty("peer-garden")).await;
    let mut written = Vec::new();
    for title in ["Allotment helper", "Café trainee", "Bike mechanic", "Peer trainer"] {
        written.push(add_opportunity(&hub, title, &[]).await);
    }
    hub.kith(["opportunity", "withdraw", &written[3].id]).await.ok();
    in_step(&region.relay, "peer-garden", 3).await;

    // Everything in the stream is purged, and a relay is rebuilt from it: it has
    // only what the hub publishes from now on, its heartbeats.
    let js = region.nats.jetstream().await;
    let mut stream = js.get_stream(stream_name(&Slug::parse("region", REGION).unwrap())).await.unwrap();
    stream.purge().await.unwrap();
    region.relay.rebuild_from_empty_dir().await;
    in_step(&region.relay, "peer-garden", 3).await;
    for w in &written[..3] {
        assert_eq!(region.relay.kith(["region", "opportunity", &w.id]).await.code, Some(0));
    }
    let gone = region.relay.kith(["region", "opportunity", &written[3].id]).await.failure();
    assert!(gone.contains("was withdrawn, or has not reached this relay"), "withdrawn stays so: {gone}");
    let info = stream.info().await.unwrap();
    assert!(info.state.messages >= 5, "the hub published its listings again: {:?}", info.state);
}
