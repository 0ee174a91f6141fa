//! `kith-bench freshness`: how soon a write a hub has answered can be read at the
//! relay, under a steady load of writes, against raw JetStream publish → consume
//! latency at the same rate.
//!
//! Kith: a `kith-hub` process (set up with `kith_hub::config::init`) and a
//! `kith-relay` process, both logging warnings only, on their own nats-server.
//! Writes go through the hub's admin gRPC API at `--rate` per second for
//! `--seconds` (three in four add an opportunity, one in four changes the title of
//! one added before), each started on schedule whether or not earlier ones were
//! answered (at most 512 in flight). For every `--sample-every`-th write, the
//! clock runs from the hub's answer until the relay's `GetOpportunity` (polled
//! every 0.5 ms) returns that version or a later one, the same approach as `e2e_latency`.
//!
//! Raw: messages of the same size published to a stream of the same settings at
//! the same rate, on schedule, and a durable pull consumer acking each; the clock
//! runs from the publish to the consumer's receipt, for every message.

use anyhow::Context;
use clap::Args;
use futures::StreamExt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

use kith_hub::config::{HubFile, init};
use kith_proto::Slug;
use kith_proto::v1::{GetRequest, ListHubsRequest, OpportunityPatch, StatusRequest, UpdateOpportunityRequest};
use kith_tests::NatsServer;
use kith_tests::hub::{Authorization, admin_client};
use kith_tests::process::Daemon;
use kith_tests::sample::opportunity_fields;

use crate::common::{self, Better, Figure, RelayProcess, Section, binary, ms, percentiles};

#[derive(Debug, Args, Clone)]
pub struct FreshnessArgs {
    /// Writes per second.
    #[arg(long, default_value_t = 1000)]
    pub rate: u64,
    /// How long to write for.
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Time the visibility of one write in this many.
    #[arg(long, default_value_t = 20)]
    pub sample_every: u64,
}

const POLL: Duration = Duration::from_micros(500);
const IN_FLIGHT: usize = 512;

struct HubProcess {
    /// Killed when dropped.
    daemon: Daemon,
    url: String,
    token: String,
}

async fn start_hub(root: &std::path::Path, nats_url: &str) -> anyhow::Result<HubProcess> {
    let dir = root.join("hub");
    let port = kith_tests::free_port();
    let file = HubFile::new(
        Slug::parse("hub", "fresh")?,
        common::region(),
        "Freshness hub".into(),
        nats_url.to_owned(),
        format!("127.0.0.1:{port}").parse()?,
    );
    let outcome = init(&dir, &file).context("set up the hub")?;
    let mut daemon = Daemon::new("kith-hub", binary("kith-hub")?, root.join("hub.log"));
    daemon.spawn(&["--dir".into(), dir.into()], &[("RUST_LOG", "warn".into())]);
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        anyhow::ensure!(daemon.is_running(), "kith-hub exited: {}", kith_tests::process::tail(daemon.log_path(), 20));
        if let Ok(mut c) = admin_client(&url, Authorization::bearer(&outcome.admin_token)).await
            && c.status(StatusRequest {}).await.is_ok()
        {
            break;
        }
        anyhow::ensure!(Instant::now() < deadline, "kith-hub did not answer within 20 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(HubProcess { daemon, url, token: outcome.admin_token })
}

/// One write's timings: to its answer, and from its answer to visible (sampled).
type Sample = (Duration, Option<Duration>);

async fn kith_writes(args: &FreshnessArgs, hub: &HubProcess, relay_url: &str) -> anyhow::Result<(Vec<Sample>, f64)> {
    let admin = admin_client(&hub.url, Authorization::bearer(&hub.token)).await?;
    let relay = common::relay_client(relay_url).await?;
    let total = args.rate * args.seconds;
    let period = Duration::from_secs_f64(1.0 / args.rate as f64);
    let added: Arc<Mutex<Vec<String>>> = Arc::default();
    let permits = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut tasks = tokio::task::JoinSet::new();
    let start = tokio::time::Instant::now();
    for i in 0..total {
        tokio::time::sleep_until(start + period * i as u32).await;
        let permit = permits.clone().acquire_owned().await?;
        let (mut admin, mut relay, added) = (admin.clone(), relay.clone(), added.clone());
        let sampled = i % args.sample_every == 0;
        tasks.spawn(async move {
            let _permit = permit;
            let target =
                if i % 4 == 3 { added.lock().unwrap_or_else(|p| p.into_inner()).last().cloned() } else { None };
            let began = Instant::now();
            // Visible means the relay returns this write's version or a later one: two
            // updates of one listing may overtake each other on the way.
            let (id, seq) = match target {
                Some(id) => {
                    let patch =
                        OpportunityPatch { title: Some(format!("Updated opportunity {i}")), ..Default::default() };
                    let reply = admin.update_opportunity(UpdateOpportunityRequest { id, patch: Some(patch) }).await?;
                    let reply = reply.into_inner();
                    (reply.id, reply.seq)
                }
                None => {
                    let reply = admin.add_opportunity(opportunity_fields(&format!("Fresh opportunity {i}"))).await?;
                    let reply = reply.into_inner();
                    added.lock().unwrap_or_else(|p| p.into_inner()).push(reply.id.clone());
                    (reply.id, reply.seq)
                }
            };
            let answered = Instant::now();
            if !sampled {
                return anyhow::Ok((answered - began, None));
            }
            let deadline = answered + Duration::from_secs(30);
            loop {
                if let Ok(o) = relay.get_opportunity(GetRequest { id: id.clone(), hub: String::new() }).await
                    && o.get_ref().seq >= seq
                {
                    return Ok((answered - began, Some(answered.elapsed())));
                }
                anyhow::ensure!(Instant::now() < deadline, "write {i} ({id}) not visible at the relay after 30 s");
                tokio::time::sleep(POLL).await;
            }
        });
    }
    let mut samples = Vec::with_capacity(total as usize);
    while let Some(r) = tasks.join_next().await {
        samples.push(r??);
    }
    let achieved = total as f64 / start.elapsed().as_secs_f64();
    Ok((samples, achieved))
}

/// Raw JetStream at the same rate: publish → consumer receipt of every message.
async fn raw(args: &FreshnessArgs, nats: &NatsServer, size: usize) -> anyhow::Result<Vec<Duration>> {
    let raw_region = Slug::parse("region", "bench-raw")?;
    let js = nats.jetstream().await;
    let stream = common::region_stream(&js, &raw_region).await?;
    let consumer = common::raw_consumer(&stream, "raw").await?;
    let total = args.rate * args.seconds;
    let sent: Arc<Mutex<Vec<Option<Instant>>>> = Arc::new(Mutex::new(vec![None; total as usize]));
    let receiver = {
        let sent = sent.clone();
        tokio::spawn(async move {
            let mut messages = consumer.stream().max_messages_per_batch(256).messages().await?;
            let mut latencies = Vec::with_capacity(total as usize);
            while latencies.len() < total as usize {
                let m = tokio::time::timeout(Duration::from_secs(30), messages.next())
                    .await
                    .context("the raw consumer stalled")?
                    .context("the raw message stream ended")?
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                let got = Instant::now();
                let i = u64::from_le_bytes(m.payload[..8].try_into()?) as usize;
                m.ack().await.map_err(|e| anyhow::anyhow!("{e}"))?;
                let at = sent.lock().unwrap_or_else(|p| p.into_inner())[i];
                latencies.push(got - at.context("received before it was sent")?);
            }
            anyhow::Ok(latencies)
        })
    };
    let period = Duration::from_secs_f64(1.0 / args.rate as f64);
    let start = tokio::time::Instant::now();
    let mut acks = futures::stream::FuturesUnordered::new();
    for i in 0..total {
        tokio::time::sleep_until(start + period * i as u32).await;
        let mut payload = vec![0x5a; size.max(8)];
        payload[..8].copy_from_slice(&i.to_le_bytes());
        let subject = format!("kith.{raw_region}.fresh.opportunity.{}", ulid::Ulid::new());
        sent.lock().unwrap_or_else(|p| p.into_inner())[i as usize] = Some(Instant::now());
        acks.push(js.publish(subject, payload.into()).await?.into_future());
        // Take the PubAcks that have arrived, without waiting for the others.
        while let Some(Some(ack)) = futures::FutureExt::now_or_never(acks.next()) {
            ack?;
        }
    }
    while let Some(ack) = acks.next().await {
        ack?;
    }
    receiver.await?
}

pub async fn run(args: &FreshnessArgs) -> anyhow::Result<Section> {
    anyhow::ensure!(args.rate > 0 && args.seconds > 0 && args.sample_every > 0, "values must be above 0");
    let nats = NatsServer::spawn().await;
    let root = tempfile::Builder::new().prefix("kith-bench-freshness-").tempdir()?;
    let mut relay = RelayProcess::new(&nats.url(), &root.path().join("relay"), root.path().join("relay.log"))?;
    relay.start();
    common::wait_applied(&relay.url(), 0, Duration::from_secs(20)).await?;
    let mut hub = start_hub(root.path(), &nats.url()).await?;
    let mut client = common::relay_client(&relay.url()).await?;
    kith_tests::wait_until("the relay knows the hub", Duration::from_secs(30), async || {
        client.list_hubs(ListHubsRequest {}).await.is_ok_and(|h| h.get_ref().items.iter().any(|h| h.id == "fresh"))
    })
    .await;

    eprintln!("freshness: {} writes/s for {} s through the hub's admin API", args.rate, args.seconds);
    let (samples, achieved) = kith_writes(args, &hub, &relay.url()).await?;
    let mut answered: Vec<Duration> = samples.iter().map(|s| s.0).collect();
    let mut visible: Vec<Duration> = samples.iter().filter_map(|s| s.1).collect();
    let [a50, a99, _] = percentiles(&mut answered);
    let [v50, v99, _] = percentiles(&mut visible);
    let vmax = visible.last().copied().map(ms).unwrap_or(0.0);

    // The same size as the hub's envelopes.
    let size = {
        let o = kith_proto::convert::opportunity_from_fields(
            ulid::Ulid::new(),
            &opportunity_fields("Fresh opportunity 1000"),
        );
        let event = kith_proto::event::Event::OpportunityPublished(o?);
        let key = crate::data::hub_key(0);
        kith_proto::envelope::seal(&common::region(), &Slug::parse("hub", "fresh")?, 1, 0, &event, &key)?.bytes.len()
    };
    eprintln!("freshness: raw JetStream at the same rate ({size}-byte messages)");
    let mut raw = raw(args, &nats, size).await?;
    let [r50, r99, _] = percentiles(&mut raw);
    let rmax = raw.last().copied().map(ms).unwrap_or(0.0);
    hub.daemon.terminate(Duration::from_secs(10)).await;
    relay.stop().await;

    Ok(Section {
        command: "freshness",
        setup: format!(
            "{} writes/s asked for {} s ({achieved:.0}/s achieved), 3/4 adds and 1/4 title updates; {} writes timed to \
             visible; kith-hub and kith-relay processes",
            args.rate,
            args.seconds,
            visible.len()
        ),
        baseline: format!(
            "raw JetStream at the same rate: {size}-byte messages, publish → durable pull consumer receipt"
        ),
        figures: vec![
            Figure::new("answer → visible p50", "ms", Better::Lower, v50, Some(r50)),
            Figure::new("answer → visible p99", "ms", Better::Lower, v99, Some(r99)).goal("kith p99 < 25 ms"),
            Figure::new("answer → visible max", "ms", Better::Lower, vmax, Some(rmax)),
        ],
        notes: vec![
            format!("hub write answered (admin gRPC, flushed): p50 {a50:.2} ms, p99 {a99:.2} ms"),
            format!(
                "visibility polled every {} µs, so kith's figures include up to that much waiting",
                POLL.as_micros()
            ),
        ],
    })
}
