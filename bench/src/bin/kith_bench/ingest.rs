//! `kith-bench ingest`: events from hubs' real outboxes to a relay's view, against
//! the raw JetStream pipeline on the same server.
//!
//! Kith: `--hubs` hub stores (`kith_hub::store::Store`, in this process) each hold
//! their profile and their share of `--events` opportunities in their outbox, written
//! before the clock starts (the hub's write path has its own benchmark,
//! `hub/examples/bench_hub.rs`). The clock runs from starting every hub's publisher
//! (`kith_hub::publisher::run`, window `--window`) until a relay in this process,
//! started on an empty directory beforehand, says through `GetStats` that it has
//! applied every event: publish, verify, apply, flush, ack.
//!
//! Raw: the same number of messages with the same subjects and bytes (the same
//! events sealed for another region, whose stream has the same settings), published
//! by one task per hub with the same window of in-flight PubAcks, and a durable pull
//! consumer configured as the relay's, acking each message; the clock runs from the
//! first publish until the last ack.
//!
//! Both runs also print the CPU time used (this process, where hubs, relay or raw
//! clients run, and nats-server) per event, how many cores that kept busy, and the
//! ceiling the machine's cores put on any relay that verifies every event
//! ([`common::cpu_figures`]).

use anyhow::Context;
use clap::Args;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kith_hub::link::Link;
use kith_hub::publisher::{self, PublisherConfig};
use kith_hub::store::{Identity, Store};
use kith_proto::Slug;
use kith_proto::time::now_ms;
use kith_tests::NatsServer;

use crate::common::{self, Better, Figure, Message, Section};
use crate::data::{self, Region};

#[derive(Debug, Args, Clone)]
pub struct IngestArgs {
    /// Hubs publishing at once.
    #[arg(long, default_value_t = 10)]
    pub hubs: usize,
    /// Opportunities published in all (each hub also publishes its profile).
    #[arg(long, default_value_t = 20_000)]
    pub events: usize,
    /// PubAcks in flight per hub (the hub's default).
    #[arg(long, default_value_t = 256)]
    pub window: usize,
}

pub async fn run(args: &IngestArgs) -> anyhow::Result<Section> {
    anyhow::ensure!(args.hubs > 0 && args.events > 0, "--hubs and --events must be above 0");
    let nats = NatsServer::spawn().await;
    let region = common::region();
    let now = now_ms();
    let data = Region::generate(7, args.events, args.hubs, now);
    let total = (args.events + args.hubs) as u64;

    // The hubs, their outboxes filled.
    let dir = tempfile::Builder::new().prefix("kith-bench-ingest-").tempdir()?;
    let mut stores = Vec::new();
    for i in 0..args.hubs {
        let identity = Identity { region: region.clone(), hub: data::hub_slug(i), signing: data::hub_key(i) };
        let store = Store::open(&dir.path().join(format!("hub-{i}")), identity).context("open a hub store")?;
        store.publish_profile(data::hub_profile(i)).await?;
        stores.push(store);
    }
    eprintln!("ingest: writing {} opportunities into {} outboxes", args.events, args.hubs);
    let started = Instant::now();
    let mut writers = tokio::task::JoinSet::new();
    let listings = Arc::new(data.listings.clone());
    const WRITERS: usize = 64;
    for w in 0..WRITERS {
        let (stores, listings) = (stores.clone(), listings.clone());
        writers.spawn(async move {
            for l in listings.iter().skip(w).step_by(WRITERS) {
                stores[l.hub].create(l.item.clone()).await?;
            }
            anyhow::Ok(())
        });
    }
    while let Some(r) = writers.join_next().await {
        r??;
    }
    let filled = started.elapsed();
    let envelope_bytes: usize = stores
        .iter()
        .map(|s| s.outbox_after(0, 1_000).map(|e| e.iter().map(|(_, e)| e.bytes.len()).sum::<usize>()).unwrap_or(0))
        .sum();
    let sampled: usize = stores.iter().map(|s| s.outbox_after(0, 1_000).map(|e| e.len()).unwrap_or(0)).sum();

    // Kith: hubs' publishers → relay.
    let relay_dir = tempfile::Builder::new().prefix("kith-bench-relay-").tempdir()?;
    let relay = common::start_relay(&nats.url(), relay_dir.path()).await?;
    common::wait_applied(&relay.url(), 0, Duration::from_secs(20)).await?;
    eprintln!("ingest: publishing {total} events from the outboxes to the relay");
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let cpu = common::CpuClock::start(nats.pid())?;
    let started = Instant::now();
    let mut publishers = Vec::new();
    for (i, store) in stores.iter().enumerate() {
        let config = PublisherConfig {
            nats: kith_daemon::nats::Settings {
                urls: nats.url(),
                creds: None,
                password_file: None,
                ca: None,
                name: format!("kith-bench hub {i}"),
                inbox_prefix: None,
            },
            window: args.window,
            max_backoff: Duration::from_secs(1),
            stream_check: Duration::from_secs(30),
            own_keys: vec![store.identity().signing.verifying_key()],
        };
        publishers.push(tokio::spawn(publisher::run(
            store.clone(),
            config,
            Arc::new(Link::default()),
            stop_rx.clone(),
        )));
    }
    let timeout = Duration::from_secs(120) + Duration::from_millis(total);
    let done = common::wait_applied(&relay.url(), total, timeout).await?;
    let kith_secs = (done - started).as_secs_f64();
    let kith_cpu = cpu.since()?;
    let _ = stop_tx.send(true);
    for p in publishers {
        p.await?;
    }
    relay.shutdown().await.context("stop the relay")?;
    for s in stores {
        s.close().await?;
    }

    // Raw: the same messages, sealed for another region, publish → ack.
    eprintln!("ingest: the raw JetStream pipeline");
    let raw_region = Slug::parse("region", "bench-raw")?;
    let js = nats.jetstream().await;
    let stream = common::region_stream(&js, &raw_region).await?;
    let messages = common::seal_region(&raw_region, &data, now)?;
    let costs = common::Costs::measure(&data, &messages).await?;
    let consumer = common::raw_consumer(&stream, "raw").await?;
    let mut per_hub: Vec<Vec<Message>> = (0..args.hubs).map(|_| Vec::new()).collect();
    for m in messages {
        let h = data::hub_of_subject(&m.subject).context("a sealed subject names its hub")?;
        per_hub[h].push(m);
    }
    let cpu = common::CpuClock::start(nats.pid())?;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for msgs in per_hub {
        let js = async_nats::jetstream::new(nats.client().await);
        let window = args.window;
        tasks.spawn(async move { common::publish_windowed(&js, msgs, window).await });
    }
    let done = common::drain(&consumer, total, timeout).await?;
    while let Some(r) = tasks.join_next().await {
        r??;
    }
    let raw_secs = (done - started).as_secs_f64();
    let raw_cpu = cpu.since()?;

    let kith_rate = total as f64 / kith_secs;
    let raw_rate = total as f64 / raw_secs;
    Ok(Section {
        command: "ingest",
        setup: format!(
            "{} hubs, {} opportunities + {} profiles, window {}, envelopes of {} bytes on average",
            args.hubs,
            args.events,
            args.hubs,
            args.window,
            envelope_bytes / sampled.max(1)
        ),
        baseline: "raw JetStream on the same server: same subjects and bytes, one publisher per hub with the same \
                   window, durable pull consumer acking each message"
            .into(),
        figures: vec![
            Figure::new("throughput, outbox → relay view", "events/s", Better::Higher, kith_rate, Some(raw_rate))
                .goal("ratio ≥ 0.5"),
            Figure::new("time for all events", "s", Better::Lower, kith_secs, Some(raw_secs)),
        ]
        .into_iter()
        .chain(common::cpu_figures(total, (kith_cpu, kith_secs), (raw_cpu, raw_secs), &costs))
        .collect(),
        notes: vec![format!(
            "outboxes filled before the clock started ({} writes in {filled:.1?}, not counted); relay in this process",
            args.events
        )],
    })
}
