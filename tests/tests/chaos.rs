//! Chaos, bounded: five hubs write continuously to a region with two relays while,
//! at random, a hub, a relay or the nats-server is killed with SIGKILL, a process is
//! paused (SIGSTOP, SIGCONT), one hub's own network link is cut (the server runs in
//! a network namespace; each hub reaches it over a link of its own), or a message
//! is deleted from the stream behind the relays' backs. Then the faults stop, and
//! within a bound every hub's listings are in both relays' views exactly as the hub
//! holds them — every acknowledged write there once, both views the same.
//!
//! 60 s of faults by default; `KITH_CHAOS_SECS` for longer. The seed is printed
//! (`KITH_CHAOS_SEED` to run the same faults again), with what was done and counted.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kith_proto::v1::{IdRequest, ListRequest, SearchOpportunitiesRequest, UpdateOpportunityRequest};
use kith_tests::hub::{Authorization, admin_client};
use kith_tests::netns::{Link, NetNs};
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

fn signal(pid: Option<u32>, sig: &str) {
    if let Some(pid) = pid {
        let _ = std::process::Command::new("kill").args([sig, &pid.to_string()]).status();
    }
}

#[tokio::test]
async fn under_random_faults_every_acknowledged_write_reaches_both_relays_once() {
    let secs: u64 = std::env::var("KITH_CHAOS_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    let seed: u64 = std::env::var("KITH_CHAOS_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    eprintln!("chaos: {secs} s of faults, seed {seed} (KITH_CHAOS_SEED={seed} to repeat them)");
    let mut rng = StdRng::seed_from_u64(seed);

    // The server in a namespace of its own when this process may make one: each hub
    // then reaches it over its own link, which can be cut alone.
    let ns = NetNs::create();
    let port = kith_tests::free_port();
    let mut nats = match &ns {
        Some(ns) => {
            let conf = format!("listen: 0.0.0.0:{port}\njetstream {{\n  store_dir: \"{{root}}/store\"\n}}\n");
            let mut nats = NatsServer::configured_in("nats-server (own network)", &conf, port, ns);
            nats.start().await;
            nats
        }
        None => {
            eprintln!("chaos: no network namespace (needs root): links are not cut");
            NatsServer::spawn().await
        }
    };
    let relay_url = nats.url();
    let mut relays = vec![
        Relay::start_named(REGION, &relay_url, Some("relay-a")).await,
        Relay::start_named(REGION, &relay_url, Some("relay-b")).await,
    ];
    let mut links: Vec<Option<Link>> = Vec::new();
    let mut hubs = Vec::new();
    for i in 0..HUBS {
        let link = ns.as_ref().map(NetNs::add_link);
        let url = match &link {
            Some(l) => format!("nats://{}:{}", l.ns_ip, nats.port()),
            None => nats.url(),
        };
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
            2 => {
                nats.kill9();
                tokio::time::sleep(outage).await;
                nats.start().await;
                *faults.entry("nats-server killed (SIGKILL)").or_default() += 1;
            }
            3 => {
                let pid = match rng.gen_range(0..3) {
                    0 => hubs[rng.gen_range(0..HUBS)].pid(),
                    1 => relays[rng.gen_range(0..relays.len())].pid(),
                    _ => nats.pid(),
                };
                signal(pid, "-STOP");
                tokio::time::sleep(outage).await;
                signal(pid, "-CONT");
                *faults.entry("process paused (SIGSTOP, SIGCONT)").or_default() += 1;
            }
            4 if ns.is_some() => {
                let i = rng.gen_range(0..HUBS);
                let link = links[i].as_ref().expect("a link per hub");
                link.cut();
                tokio::time::sleep(outage).await;
                link.restore();
                *faults.entry("a hub's link cut").or_default() += 1;
            }
            _ => {
                // A message lost behind the relays' backs: the last of a hub's
                // subjects, taken out of the stream.
                let lost = async {
                    let js = nats.jetstream().await;
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
    }
    let converge = Duration::from_secs(180);
    wait_for("both relays hold every hub's listings exactly", converge, async || {
        for relay in &relays {
            for (i, want) in expected.iter().enumerate() {
                let have = relay_listings(relay, &format!("hub-{i}")).await?;
                if &have != want {
                    let missing = want.keys().filter(|k| !have.contains_key(*k)).count();
                    let extra = have.keys().filter(|k| !want.contains_key(*k)).count();
                    let stale = want.iter().filter(|(k, s)| have.get(*k).is_some_and(|h| h != *s)).count();
                    return Err(format!("hub-{i}: {missing} missing, {extra} extra, {stale} older"));
                }
            }
        }
        Ok(())
    })
    .await;
    let converged_in = faults_done.elapsed();
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
        "chaos: seed {seed}; writes acknowledged: {added} added, {updated} changed, {withdrawn} withdrawn \
         ({live} live at the end; {unanswered} withdrawals unanswered); faults: {faults:?}; converged {:.1} s after the faults stopped",
        converged_in.as_secs_f64()
    );
    assert!(added > 50, "too few writes to mean anything: {added}");
}
