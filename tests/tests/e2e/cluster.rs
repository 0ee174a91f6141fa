//! A region beyond one server, on NATS's own clustering, from the shipped
//! configurations of `deploy/nats/`: a 3-node JetStream cluster (the region's stream
//! with three replicas created by the relay, writes flowing while a node is killed,
//! and afterwards the relay's view equal to every acknowledged write, nothing lost
//! and nothing doubled), and a hub's own leaf node whose uplink is cut.

use std::collections::BTreeSet;
use std::time::Duration;

use kith_proto::Slug;
use kith_proto::subject::stream_name;
use kith_proto::v1::{ListRequest, SearchOpportunitiesRequest};
use kith_tests::cluster::{NatsCluster, move_ports};
use kith_tests::sample::{add_opportunity, opportunity_fields};
use kith_tests::{Hub, HubOptions, NatsServer, REGION, Relay, wait_for};

/// Long enough for a JetStream cluster to elect new leaders after a node is killed.
const CONVERGE: Duration = Duration::from_secs(90);

/// The ids of every opportunity `relay` lists, all pages.
async fn listed(relay: &Relay) -> Vec<String> {
    let mut client = relay.client().await;
    let mut ids = Vec::new();
    let mut request = SearchOpportunitiesRequest { page_size: 500, include_closed: true, ..Default::default() };
    loop {
        let page = client.search_opportunities(request.clone()).await.expect("list opportunities").into_inner();
        ids.extend(page.items.into_iter().map(|o| o.id));
        if page.next_page_token.is_empty() {
            return ids;
        }
        request.page_token = page.next_page_token;
    }
}

#[tokio::test]
async fn writes_flow_while_a_cluster_node_is_killed_and_the_view_equals_every_acknowledged_write() {
    let mut cluster = NatsCluster::spawn().await;
    let relay = Relay::start_with(REGION, &cluster.urls(), None, &["--replicas", "3"]).await;
    let js = cluster.jetstream().await;
    let name = stream_name(&Slug::parse("region", REGION).unwrap());
    let mut stream = wait_for("the relay creates the region's stream", CONVERGE, async || {
        js.get_stream(&name).await.map_err(|e| e.to_string())
    })
    .await;
    assert_eq!(stream.cached_info().config.num_replicas, 3, "the relay made the stream with three replicas");

    let hub = Hub::start(REGION, "peer-garden", &cluster.urls()).await;
    let mut admin = hub.admin().await;
    let mut acknowledged = Vec::new();
    let mut write = async |n: usize, acknowledged: &mut Vec<String>| {
        for i in 0..n {
            let title = format!("Bike mechanic {}", acknowledged.len() + i);
            let reply = admin.add_opportunity(opportunity_fields(&title)).await.expect("the hub answers").into_inner();
            acknowledged.push(reply.id);
        }
    };
    write(20, &mut acknowledged).await;

    // The node that leads the region's stream is killed outright.
    let leader = wait_for("the stream has a leader", CONVERGE, async || {
        let info = stream.info().await.map_err(|e| e.to_string())?.clone();
        info.cluster.and_then(|c| c.leader).ok_or("no leader yet".to_owned())
    })
    .await;
    let n: usize = leader.rsplit('n').next().and_then(|d| d.parse().ok()).expect("a node name kith-region-nN");
    eprintln!("killing {leader}, the stream's leader");
    cluster.nodes[n - 1].kill9();
    write(20, &mut acknowledged).await;
    wait_for("the hub publishes through the two nodes left", CONVERGE, async || {
        let s = hub.status().await;
        if s.outbox_pending == 0 { Ok(()) } else { Err(s) }
    })
    .await;
    wait_for("the relay has every write made so far", CONVERGE, async || {
        let ids = listed(&relay).await;
        if ids.len() == acknowledged.len() { Ok(()) } else { Err(ids.len()) }
    })
    .await;

    // The node comes back, and catches up.
    cluster.nodes[n - 1].start().await;
    write(20, &mut acknowledged).await;
    wait_for("the killed node's replica is current again", CONVERGE, async || {
        let info = stream.info().await.map_err(|e| e.to_string())?.clone();
        let replicas = info.cluster.map(|c| c.replicas).unwrap_or_default();
        let current = replicas.len() == 2 && replicas.iter().all(|r| r.current);
        if current { Ok(()) } else { Err(format!("{replicas:?}")) }
    })
    .await;
    wait_for("the hub's outbox is drained", CONVERGE, async || {
        let s = hub.status().await;
        if s.outbox_pending == 0 { Ok(()) } else { Err(s) }
    })
    .await;
    let ids = wait_for("the relay has every acknowledged write", CONVERGE, async || {
        let ids = listed(&relay).await;
        if ids.len() >= acknowledged.len() { Ok(ids) } else { Err(ids.len()) }
    })
    .await;
    // Nothing lost, nothing doubled, nothing else.
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "the relay lists an opportunity twice");
    assert_eq!(unique, acknowledged.iter().collect::<BTreeSet<_>>(), "the relay's view is not the acknowledged writes");
    let state = stream.info().await.expect("stream info").state.clone();
    assert_eq!(state.messages, acknowledged.len() as u64 + 1, "one message per opportunity and the profile: {state:?}");
    let stats = relay.stats().await;
    assert!(stats.rejected.is_empty(), "{stats:?}");
    eprintln!("{} writes acknowledged, all in the relay's view; relay stats {stats:?}", acknowledged.len());
}

#[tokio::test]
async fn a_hub_moving_to_another_node_does_not_take_the_stream_for_a_new_one() {
    // Each node of a cluster reports a creation time of its own for the same
    // consumer: a hub that told a new stream by it republished everything, under new
    // sequence numbers, whenever it moved to another node.
    let mut cluster = NatsCluster::spawn().await;
    let _relay = Relay::start_with(REGION, &cluster.urls(), None, &["--replicas", "3"]).await;
    let options = HubOptions { heartbeat_secs: Some(1), ..HubOptions::named("Hub peer-garden") };
    let hub = Hub::start_with(REGION, "peer-garden", &cluster.urls(), options).await;
    for title in ["Allotment helper", "Café trainee", "Bike mechanic"] {
        add_opportunity(&hub, title, &[]).await;
    }
    let numbered = async || -> Vec<(String, u64)> {
        let mut admin = hub.admin().await;
        let list = admin.list_opportunities(ListRequest { include_withdrawn: true }).await.expect("list");
        let mut pairs: Vec<(String, u64)> = list.into_inner().items.into_iter().map(|o| (o.id, o.seq)).collect();
        pairs.sort();
        pairs
    };
    wait_for("the hub has published its listings", CONVERGE, async || {
        let s = hub.status().await;
        if s.outbox_pending == 0 { Ok(()) } else { Err(s) }
    })
    .await;
    let before = numbered().await;

    // Each node in turn, so that the hub, connected to one of them, moves to another.
    let js = cluster.jetstream().await;
    let mut stream = js.get_stream(stream_name(&Slug::parse("region", REGION).unwrap())).await.expect("the stream");
    for n in 0..cluster.nodes.len() {
        eprintln!("killing node n{}", n + 1);
        cluster.nodes[n].kill9();
        // Several of the hub's looks at the stream (one a heartbeat, 1 s).
        tokio::time::sleep(Duration::from_secs(3)).await;
        cluster.nodes[n].start().await;
        wait_for("every replica of the stream is current again", CONVERGE, async || {
            let info = stream.info().await.map_err(|e| e.to_string())?.clone();
            let replicas = info.cluster.map(|c| c.replicas).unwrap_or_default();
            if replicas.len() == 2 && replicas.iter().all(|r| r.current) {
                Ok(())
            } else {
                Err(format!("{replicas:?}"))
            }
        })
        .await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert_eq!(numbered().await, before, "the hub published its listings again, under new numbers");
    }
    let log = std::fs::read_to_string(hub.log_path()).expect("the hub's log");
    assert!(!log.contains("republished everything"), "the hub took the stream for a new one:\n{log}");
}

/// A shipped configuration of `deploy/nats/`.
fn shipped(name: &str) -> String {
    let path = format!("{}/../deploy/nats/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

#[tokio::test]
async fn a_hubs_leaf_node_carries_the_writes_made_while_its_uplink_was_cut() {
    // The region's server (single.conf) and the hub's own leaf node (leaf.conf), as
    // shipped, with their ports moved.
    let (port, http, leafnodes) = (kith_tests::free_port(), kith_tests::free_port(), kith_tests::free_port());
    let conf = move_ports(&shipped("single.conf"), &[(4222, port), (8222, http), (7422, leafnodes)])
        .replace("\"nats-data/single\"", "\"{root}/store\"");
    let mut region = NatsServer::configured("nats-server region", &conf, port);
    region.start().await;
    let local = kith_tests::free_port();
    let conf = move_ports(&shipped("leaf.conf"), &[(4222, local), (7422, leafnodes)]);
    let mut leaf = NatsServer::configured("nats-server leaf", &conf, local);
    leaf.start().await;

    let relay = Relay::start(REGION, &region.url()).await;
    let hub = Hub::start(REGION, "peer-garden", &leaf.url()).await;
    let before = add_opportunity(&hub, "Allotment helper", &[]).await;
    let seen = async |id: &str| relay.kith(["region", "opportunity", id]).await.code == Some(0);
    wait_for("the write reaches the region through the leaf node", CONVERGE, async || {
        if seen(&before.id).await { Ok(()) } else { Err("not yet") }
    })
    .await;

    // The uplink is cut: the hub stays connected to its leaf node and goes on
    // writing; nothing reaches the region, and nothing is lost.
    region.stop().await;
    let during = [add_opportunity(&hub, "Café trainee", &[]).await, add_opportunity(&hub, "Bike mechanic", &[]).await];
    let status = hub.status().await;
    assert!(status.nats_connected, "the hub is still connected to its leaf node: {status:?}");
    assert!(status.outbox_pending >= 2, "the writes wait in the outbox: {status:?}");

    region.start().await;
    wait_for("the writes made while the uplink was cut reach the region", CONVERGE, async || {
        let mut missing = Vec::new();
        for w in during.iter().chain([&before]) {
            if !seen(&w.id).await {
                missing.push(w.id.clone());
            }
        }
        if missing.is_empty() { Ok(()) } else { Err(missing) }
    })
    .await;
    let status = hub.status().await;
    assert_eq!(status.outbox_pending, 0, "{status:?}");
}

#[tokio::test]
async fn a_national_view_sources_the_regions_and_answers_for_all_with_each_results_region() {
    let nats = NatsServer::spawn().await;
    let url = nats.url();
    let (wy, gm) = ("west-yorkshire", "greater-manchester");
    let (_wy_relay, gm_relay) = tokio::join!(Relay::start(wy, &url), Relay::start(gm, &url));
    let (garden, cafe) = tokio::join!(Hub::start(wy, "peer-garden", &url), Hub::start(gm, "cafe-coop", &url));
    let a = add_opportunity(&garden, "Allotment helper", &[]).await;
    let b = add_opportunity(&cafe, "Café trainee", &[]).await;

    let flags = ["--national", "--source", "west-yorkshire,greater-manchester"];
    let national = Relay::start_with("england", &url, Some("national"), &flags).await;
    let listed = async |relay: &Relay| -> Vec<(String, String)> {
        let items = relay.kith(["region", "opportunities"]).await.array();
        let mut pairs: Vec<(String, String)> = items
            .iter()
            .map(|o| (o["id"].as_str().unwrap_or("").to_owned(), o["region"].as_str().unwrap_or("").to_owned()))
            .collect();
        pairs.sort();
        pairs
    };
    let mut both = vec![(a.id.clone(), wy.to_owned()), (b.id.clone(), gm.to_owned())];
    both.sort();
    wait_for("the national view answers for both regions, each result with its region", CONVERGE, async || {
        let pairs = listed(&national).await;
        if pairs == both { Ok(()) } else { Err(pairs) }
    })
    .await;
    let hubs = national.kith(["region", "hubs"]).await.array();
    let regions: Vec<(&str, &str)> =
        hubs.iter().map(|h| (h["id"].as_str().unwrap(), h["region"].as_str().unwrap())).collect();
    assert_eq!(regions, [("cafe-coop", gm), ("peer-garden", wy)]);

    // A later write reaches it too: the sources are live.
    let c = add_opportunity(&cafe, "Bike mechanic", &[]).await;
    wait_for("a new write reaches the national view", CONVERGE, async || {
        let found = national.kith(["region", "opportunity", &c.id]).await;
        if found.code == Some(0) { Ok(()) } else { Err(found.stderr) }
    })
    .await;

    // A hub of the same id in the other region is its own hub there, and is refused
    // by the national view rather than mixed with the first.
    let twin = Hub::start(gm, "peer-garden", &url).await;
    let d = add_opportunity(&twin, "Twin's listing", &[]).await;
    wait_for("the region lists its own hub's listing", CONVERGE, async || {
        let found = gm_relay.kith(["region", "opportunity", &d.id]).await;
        if found.code == Some(0) { Ok(()) } else { Err(found.stderr) }
    })
    .await;
    wait_for("the national view refuses the second hub of that id, counted", CONVERGE, async || {
        let n = national.stats().await.rejected.get("id-in-another-region").copied().unwrap_or(0);
        if n >= 1 { Ok(()) } else { Err(n) }
    })
    .await;
    assert_ne!(national.kith(["region", "opportunity", &d.id]).await.code, Some(0));
}
