//! What crosses a network, with the network really cut: the region's nats-server runs
//! in a network namespace of its own, joined to the hub's and relay's by a veth pair,
//! and the test takes the link down — connections hang, as when a cable is pulled,
//! instead of being closed as when a process stops. The hub keeps answering, keeps
//! what it writes, and the region has all of it once the link is back.

use std::time::Duration;

use kith_tests::netns::NetNs;
use kith_tests::sample::add_opportunity;
use kith_tests::{Hub, NatsServer, REGION, Relay, wait_for};

/// Long enough for connections to notice the link is back (TCP's retransmissions).
const CONVERGE: Duration = Duration::from_secs(120);

#[tokio::test]
async fn writes_made_while_the_link_to_the_region_is_cut_arrive_when_it_is_back() {
    let Some(ns) = NetNs::create() else {
        kith_tests::skip("netns: writes across a cut link", "needs root and iproute2 (ip netns) to cut a real link");
        return;
    };
    let port = kith_tests::free_port();
    let conf = format!("listen: {}:{port}\njetstream {{\n  store_dir: \"{{root}}/store\"\n}}\n", ns.ns_ip);
    let mut nats = NatsServer::configured_in("nats-server (own network)", &conf, port, &ns);
    nats.start().await;
    let relay = Relay::start(REGION, &nats.url()).await;
    let hub = Hub::start(REGION, "peer-garden", &nats.url()).await;
    let seen = async |id: &str| relay.kith(["region", "opportunity", id]).await.code == Some(0);
    let before = add_opportunity(&hub, "Allotment helper", &[]).await;
    wait_for("the first write crosses the link", CONVERGE, async || {
        if seen(&before.id).await { Ok(()) } else { Err("not yet") }
    })
    .await;

    ns.cut();
    let during = [add_opportunity(&hub, "Café trainee", &[]).await, add_opportunity(&hub, "Bike mechanic", &[]).await];
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(!seen(&during[0].id).await, "a write crossed a link that is down");
    let status = hub.status().await;
    assert!(status.outbox_pending >= 2, "the writes wait in the hub's outbox: {status:?}");

    ns.restore();
    wait_for("the writes made while the link was cut reach the region", CONVERGE, async || {
        let mut missing = Vec::new();
        for w in &during {
            if !seen(&w.id).await {
                missing.push(w.id.clone());
            }
        }
        if missing.is_empty() { Ok(()) } else { Err(missing) }
    })
    .await;
    wait_for("the hub's outbox is drained", CONVERGE, async || {
        let s = hub.status().await;
        if s.outbox_pending == 0 { Ok(()) } else { Err(s) }
    })
    .await;
}
