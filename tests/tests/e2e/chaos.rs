//! Chaos, bounded: five hubs write continuously to a region with two relays while,
//! at random, a hub, a relay or a nats-server is killed with SIGKILL, a process is
//! paused (SIGSTOP, SIGCONT), one hub's own network link is cut, or a message is
//! deleted from the stream behind the relays' backs. Then the faults stop, and
//! within a bound every hub's listings are in both relays' views exactly as the hub
//! holds them — every acknowledged write there once, both views the same.
//!
//! Twice: on one nats-server in a network namespace of its own (each hub reaches it
//! over a link of its own, which is what is cut), and on the region's shipped 3-node
//! JetStream cluster (`deploy/nats/cluster-*.conf`, the stream with three replicas),
//! whose nodes are the servers killed and paused.
//!
//! 60 s of faults on the single server and 40 s on the cluster by default;
//! `KITH_CHAOS_SECS` sets both. The seed is printed (`KITH_CHAOS_SEED` to run the same
//! faults again), with what was done and counted.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_nats::jetstream;
use kith_proto::v1::{IdRequest, ListRequest, SearchOpportunitiesRequest, UpdateOpportunityRequest};
use kith_tests::cluster::NatsCluster;
use kith_tests::hub::{Authorization, admin_client};
use kith_tests::netns::{Link, NetNs};
use kith_tests::process::signal;
use kith_tests::sample::opportunity_fields;
use kith_tests::{Hub, HubOptions, NatsServer, REGION, Relay, wait_for};

const HUBS: usize = 5;

/// What the writers were told was done.
#[derive(Default)]
struct Acknowledged {
    added: Vec<String>,
    withdrawn: BTreeSet<String>,
    /// Withdrawals asked for whose answer never came (the hub was killed, paused or
    /// cut off meanwhile): the hub may or may not have made them.
    maybe_withdrawn: BTreeSet<String>,
    updates: u64,
}

/// Writes to one hub until `stop`: mostly new listings, some changes, some
/// withdrawals, each recorded once the hub acknowledged it.
async fn writer(url: String, token: String, seed: u64, acked: Arc<Mutex<Acknowledged>>, stop: Arc<AtomicBool>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut mine: Vec<String> = Vec::new();
    let mut client = None;
    let mut n = 0u64;
    while !stop.load(Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_millis(rng.gen_range(20..80))).await;
        if client.is_none() {
            client = tokio::time::timeout(Duration::from_secs(2), admin_client(&url, Authorization::bearer(&token)))
                .await
                .ok()
                .and_then(Result::ok);
            if client.is_none() {
                continue;
            }
        }
        let c = client.as_mut().expect("connected");
        let roll: u32 = rng.gen_range(0..10);
        let mut asked_to_withdraw = None;
        let call = async {
            if roll < 7 || mine.is_empty() {
                n += 1;
                let r = c.add_opportunity(opportunity_fields(&format!("Job {seed}-{n}"))).await?;
                Ok::<_, tonic::Status>((0, r.into_inner().id))
            } else {
                let id = mine[rng.gen_range(0..mine.len())].clone();
                if roll < 9 {
                    let patch = kith_proto::v1::OpportunityPatch {
                        title: Some(format!("Job {seed} changed {n}")),
                        ..Default::default()
                    };
                    c.update_opportunity(UpdateOpportunityRequest { id: id.clone(), patch: Some(patch) }).await?;
                    Ok((1, id))
                } else {
                    asked_to_withdraw = Some(id.clone());
                    c.withdraw_opportunity(IdRequest { id: id.clone() }).await?;
                    Ok((2, id))
                }
            }
        };
        match tokio::time::timeout(Duration::from_secs(3), call).await {
            Ok(Ok((kind, id))) => {
                let mut a = acked.lock().unwrap();
                match kind {
                    0 => {
                        a.added.push(id.clone());
                        mine.push(id);
                    }
                    1 => a.updates += 1,
                    _ => {
                        a.withdrawn.insert(id.clone());
                        mine.retain(|m| m != &id);
                    }
                }
            }
            // The hub is down, paused, or did not answer in time: whether the write
            // happened is the hub's to say; the check compares with its store.
            _ => {
                client = None;
                if let Some(id) = asked_to_withdraw {
                    acked.lock().unwrap().maybe_withdrawn.insert(id.clone());
                    mine.retain(|m| m != &id);
                }
            }
        }
    }
}

/// The hub's live listings (id → sequence number), as its own store holds them.
async fn hub_listings(hub: &Hub) -> BTreeMap<String, u64> {
    let mut admin = hub.admin().await;
    let list = admin.list_opportunities(ListRequest { include_withdrawn: false }).await.expect("list").into_inner();
    list.items.into_iter().filter(|o| o.status != "withdrawn").map(|o| (o.id, o.seq)).collect()
}

/// A relay's listings of `hub` (id → sequence number).
async fn relay_listings(relay: &Relay, hub: &str) -> Result<BTreeMap<String, u64>, String> {
    let mut client = relay.client().await;
    let mut out = BTreeMap::new();
    let mut request = SearchOpportunitiesRequest {
        hub: hub.into(),
        include_closed: true,
        page_size: 500,
        sort: "newest".into(),
        ..Default::default()
    };
    loop {
        let page = client.search_opportunities(request.clone()).await.map_err(|e| e.to_string())?.into_inner();
        for o in page.items {
            if out.insert(o.id.clone(), o.seq).is_some() {
                return Err(format!("{} listed twice", o.id));
            }
        }
        if page.next_page_token.is_empty() {
            return Ok(out);
        }
        request.page_token = page.next_page_token;
    }
}

/// The NATS side of the region under test, and the faults it can be given.
enum Servers {
    /// One nats-server, in a network namespace of its own where this process may
    /// make one; each hub then reaches it over a link of its own.
    Single { nats: Box<NatsServer>, ns: Option<NetNs> },
    /// The shipped 3-node JetStream cluster; the region's stream has three replicas.
    Cluster(NatsCluster),
}

impl Servers {
    async fn single() -> Servers {
        let ns = NetNs::create();
        let nats = match &ns {
            Some(ns) => {
                let port = kith_tests::free_port();
                let conf = format!("listen: 0.0.0.0:{port}\njetstream {{\n  store_dir: \"{{root}}/store\"\n}}\n");
                let mut nats = NatsServer::configured_in("nats-server (own network)", &conf, port, ns);
                nats.start().await;
                nats
            }
            None => {
                kith_tests::skip(
                    "chaos: links cut under the single server",
                    "needs root and iproute2 (ip netns) for a network namespace; faults other than cut links still run",
                );
                NatsServer::spawn().await
            }
        };
        Servers::Single { nats: Box::new(nats), ns }
    }

    /// The relays' NATS URL(s), and the flags that make them create the stream.
    fn relay_url(&self) -> (String, &'static [&'static str]) {
        match self {
            Servers::Single { nats, .. } => (nats.url(), &[]),
            Servers::Cluster(cluster) => (cluster.urls(), &["--replicas", "3"]),
        }
    }

    /// A hub's NATS URL(s), and the link of its own that can be cut, if any.
    fn hub_url(&self) -> (String, Option<Link>) {
        match self {
            Servers::Single { nats, ns: Some(ns) } => {
                let link = ns.add_link();
                (format!("nats://{}:{}", link.ns_ip, nats.port()), Some(link))
            }
            Servers::Single { nats, ns: None } => (nats.url(), None),
            Servers::Cluster(cluster) => (cluster.urls(), None),
        }
    }

    /// Kills a server (a node, on the cluster) with SIGKILL, and starts it again
    /// after `outage`. Says what it did.
    async fn kill9(&mut self, rng: &mut StdRng, outage: Duration) -> &'static str {
        let (server, what) = match self {
            Servers::Single { nats, .. } => (&mut **nats, "nats-server killed (SIGKILL)"),
            Servers::Cluster(cluster) => {
                let n = rng.gen_range(0..cluster.nodes.len());
                (&mut cluster.nodes[n], "cluster node killed (SIGKILL)")
            }
        };
        server.kill9();
        tokio::time::sleep(outage).await;
        server.start().await;
        what
    }

    /// The process id of a server (a node, on the cluster).
    fn pid(&self, rng: &mut StdRng) -> Option<u32> {
        match self {
            Servers::Single { nats, .. } => nats.pid(),
            Servers::Cluster(cluster) => cluster.nodes[rng.gen_range(0..cluster.nodes.len())].pid(),
        }
    }

    async fn jetstream(&self) -> jetstream::Context {
        match self {
            Servers::Single { nats, .. } => nats.jetstream().await,
            Servers::Cluster(cluster) => cluster.jetstream().await,
        }
    }
}

fn chaos_secs(default: u64) -> u64 {
    std::env::var("KITH_CHAOS_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

#[tokio::test]
async fn under_random_faults_every_acknowledged_write_reaches_both_relays_once() {
    chaos("one server", Servers::single().await, chaos_secs(60)).await;
}

#[tokio::test]
async fn under_random_faults_on_a_three_node_cluster_every_acknowledged_write_reaches_both_relays_once() {
    chaos("3-node cluster", Servers::Cluster(NatsCluster::spawn().await), chaos_secs(40)).await;
}

async fn chaos(on: &str, mut servers: Servers, secs: u64) {
    let seed: u64 = std::env::var("KITH_CHAOS_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    eprintln!("chaos on the {on}: {secs} s of faults, seed {seed} (KITH_CHAOS_SEED={seed} to repeat them)");
    let mut rng = StdRng::seed_from_u64(seed);

    let (relay_url, relay_flags) = servers.relay_url();
    let mut relays = vec![
        Relay::start_with(REGION, &relay_url, Some("relay-a"), relay_flags).await,
        Relay::start_with(REGION, &relay_url, Some("relay-b"), relay_flags).await,
    ];
    let mut links: Vec<Option<Link>> = Vec::new();
    let mut hubs = Vec::new();
    for i in 0..HUBS {
        let (url, link) = servers.hub_url();
        let id = format!("hub-{i}");
        let options = HubOptions { heartbeat_secs: Some(1), ..HubOptions::named(&format!("Hub {i}")) };
        hubs.push(Hub::start_with(REGION, &id, &url, options).await);
        links.push(link);
    }

    let stop = Arc::new(AtomicBool::new(false));
    let acked: Vec<Arc<Mutex<Acknowledged>>> = (0..HUBS).map(|_| Arc::default()).collect();
    let writers: Vec<_> = hubs
        .iter()
        .enumerate()
        .map(|(i, h)| {
            tokio::spawn(writer(h.admin_url(), h.token().to_owned(), seed + i as u64, acked[i].clone(), stop.clone()))
        })
        .collect();

    let mut faults: BTreeMap<&str, u32> = BTreeMap::new();
    let until = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(rng.gen_range(500..2000))).await;
        let outage = Duration::from_millis(rng.gen_range(300..2500));
        match rng.gen_range(0..6) {
            0 => {
                let i = rng.gen_range(0..HUBS);
                hubs[i].kill9();
                tokio::time::sleep(outage).await;
                hubs[i].restart().await;
                *faults.entry("hub killed (SIGKILL)").or_default() += 1;
            }
            1 => {
                let i = rng.gen_range(0..relays.len());
                relays[i].kill9();
                tokio::time::sleep(outage).await;
                relays[i].restart().await;
                *faults.entry("relay killed (SIGKILL)").or_default() += 1;
            }
            3 => {
                let pid = match rng.gen_range(0..3) {
                    0 => hubs[rng.gen_range(0..HUBS)].pid(),
                    1 => relays[rng.gen_range(0..relays.len())].pid(),
                    _ => servers.pid(&mut rng),
                };
                signal(pid, "-STOP");
                tokio::time::sleep(outage).await;
                signal(pid, "-CONT");
                *faults.entry("process paused (SIGSTOP, SIGCONT)").or_default() += 1;
            }
            4 if links.iter().all(Option::is_some) => {
                let i = rng.gen_range(0..HUBS);
                let link = links[i].as_ref().expect("a link per hub");
                link.cut();
                tokio::time::sleep(outage).await;
                link.restore();
                *faults.entry("a hub's link cut").or_default() += 1;
            }
            // Where no link can be cut (the cluster), a server is killed more often.
            2 | 4 => {
                let what = servers.kill9(&mut rng, outage).await;
                *faults.entry(what).or_default() += 1;
            }
            _ => {
                // A message lost behind the relays' backs: the last of a hub's
                // subjects, taken out of the stream.
                let lost = async {
                    let js = servers.jetstream().await;
                    let name = kith_proto::subject::stream_name(&kith_proto::Slug::parse("r", REGION).unwrap());
                    let stream = js.get_stream(name).await.ok()?;
                    let subject = format!("kith.{REGION}.hub-{}.>", rng.gen_range(0..HUBS));
                    let m = stream.get_last_raw_message_by_subject(&subject).await.ok()?;
                    stream.delete_message(m.sequence).await.ok()
                };
                if tokio::time::timeout(Duration::from_secs(3), lost).await.ok().flatten() == Some(true) {
                    *faults.entry("stream message deleted").or_default() += 1;
                }
            }
        }
    }
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        let _ = w.await;
    }
    let faults_done = Instant::now();

    // Every hub's listings, as it holds them, in both relays' views exactly.
    let mut expected: Vec<BTreeMap<String, u64>> = Vec::new();
    for hub in &hubs {
        expected.push(hub_listings(hub).await);
    }
    for (i, a) in acked.iter().enumerate() {
        let a = a.lock().unwrap();
        let gone = |id: &String| a.withdrawn.contains(id) || a.maybe_withdrawn.contains(id);
        for id in a.added.iter().filter(|id| !gone(id)) {
            assert!(expected[i].contains_key(id), "hub-{i} lost the acknowledged write {id}");
        }
        // An acknowledged withdrawal is as durable as an acknowledged add.
        for id in &a.withdrawn {
            assert!(!expected[i].contains_key(id), "hub-{i} lists {id} again after acknowledging its withdrawal");
        }
    }
    let converge = Duration::from_secs(180);
    // As each hub holds them now: a republish (a repair, or a stream it took for a
    // new one) numbers a hub's listings again without any write.
    wait_for("both relays hold every hub's listings exactly", converge, async || {
        for (i, hub) in hubs.iter().enumerate() {
            let want = &hub_listings(hub).await;
            for relay in &relays {
                let have = relay_listings(relay, &format!("hub-{i}")).await?;
                if &have != want {
                    let missing = want.keys().filter(|k| !have.contains_key(*k)).count();
                    let extra = have.keys().filter(|k| !want.contains_key(*k)).count();
                    let stale: Vec<String> = want
                        .iter()
                        .filter_map(|(k, s)| {
                            have.get(k).filter(|h| *h != s).map(|h| format!("{k} at {h}, the hub's at {s}"))
                        })
                        .collect();
                    return Err(format!(
                        "{}: hub-{i}: {missing} missing, {extra} extra, {} at another version (first: {:?})",
                        relay.name(),
                        stale.len(),
                        stale.first()
                    ));
                }
            }
        }
        Ok(())
    })
    .await;
    let converged_in = faults_done.elapsed();
    // And neither relay shows what a hub acknowledged withdrawing.
    for (i, a) in acked.iter().enumerate() {
        let withdrawn = a.lock().unwrap().withdrawn.clone();
        for relay in &relays {
            let have = relay_listings(relay, &format!("hub-{i}")).await.expect("the relay's listings");
            let shown: Vec<&String> = withdrawn.iter().filter(|id| have.contains_key(*id)).collect();
            assert!(shown.is_empty(), "{} shows withdrawn listings of hub-{i}: {shown:?}", relay.name());
        }
    }
    let (mut added, mut updated, mut withdrawn, mut unanswered) = (0, 0, 0, 0);
    for a in &acked {
        let a = a.lock().unwrap();
        added += a.added.len();
        updated += a.updates;
        withdrawn += a.withdrawn.len();
        unanswered += a.maybe_withdrawn.len();
    }
    let live: usize = expected.iter().map(BTreeMap::len).sum();
    eprintln!(
        "chaos on the {on}: seed {seed}; writes acknowledged: {added} added, {updated} changed, {withdrawn} withdrawn \
         ({live} live at the end; {unanswered} withdrawals unanswered); faults: {faults:?}; converged {:.1} s after the faults stopped",
        converged_in.as_secs_f64()
    );
    assert!(added > 50, "too few writes to mean anything: {added}");
}
