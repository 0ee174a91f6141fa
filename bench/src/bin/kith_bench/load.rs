//! `kith-bench load`: one `kith-relay` process under a steady stream of changes from
//! many hubs — by default 50 hubs × 100 changes a second for 5 minutes — against a
//! raw JetStream consumer under the same stream.
//!
//! The hubs are played by this process, as their publishers would send: each hub's
//! profile first, then its changes, each a real envelope sealed and signed with the
//! hub's key when it is sent (sequence numbers rising, the hub's clock now), over
//! the same subjects with the same `Nats-Msg-Id`s and a window of PubAcks. Each hub
//! keeps a fixed set of listings and changes them in turn, so the region's size
//! stays the same. (The hub processes themselves are exercised under load by
//! `tests/tests/e2e/load.rs`; on a small machine, 50 of them cannot make 5,000 flushed
//! writes a second between them, so that test cannot reach this rate.)
//!
//! Lag is from the stream's storing of a message to its being applied (the relay's
//! `kith_relay_stream_lag_seconds` histogram, read from its `/metrics`) or acked
//! (the raw baseline: the same stream of messages, sealed for another region with
//! the same stream settings, into a durable pull consumer configured as the
//! relay's, acking each message, timed per message). The region's stream keeps one
//! message per subject, so a reader that falls behind finds only the latest
//! version of a listing changed meanwhile: the events it never saw are counted
//! ("superseded"), and the lag is of the events it did apply. The relay's own memory
//! is read after a quarter of the run and at the end.

use anyhow::Context;
use clap::Args;
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_nats::jetstream;
use kith_proto::Slug;
use kith_proto::domain::Opportunity;
use kith_proto::event::Event;
use kith_proto::time::now_ms;
use kith_proto::v1::StatsRequest;
use kith_tests::NatsServer;

use crate::common::{self, Better, Figure, RelayProcess, Section};
use crate::data::{self, Region};

#[derive(Debug, Args, Clone)]
pub struct LoadArgs {
    /// Hubs publishing.
    #[arg(long, default_value_t = 50)]
    pub hubs: usize,
    /// Changes a second from each hub.
    #[arg(long, default_value_t = 100)]
    pub rate: u64,
    /// How long the hubs publish, in seconds.
    #[arg(long, default_value_t = 300)]
    pub seconds: u64,
    /// Listings each hub keeps and changes in turn.
    #[arg(long, default_value_t = 20)]
    pub listings: usize,
}

pub async fn run(args: &LoadArgs) -> anyhow::Result<Section> {
    anyhow::ensure!(
        args.hubs > 0 && args.rate > 0 && args.seconds > 0 && args.listings > 0,
        "--hubs, --rate, --seconds and --listings must be above 0"
    );
    let nats = NatsServer::spawn().await;
    let data = Region::generate(23, args.hubs * args.listings, args.hubs, now_ms());
    let root = tempfile::Builder::new().prefix("kith-bench-load-").tempdir()?;

    eprintln!("load: {} hubs × {} changes/s for {} s into a kith-relay process", args.hubs, args.rate, args.seconds);
    let mut relay = RelayProcess::new(&nats.url(), &root.path().join("relay"), root.path().join("relay.log"))?;
    let http = kith_tests::free_port();
    relay.http_port = Some(http);
    relay.start();
    let pid = relay.daemon.pid().context("the relay runs")?;
    let js = nats.jetstream().await;
    // The relay makes the stream; wait for it, and for the relay to answer.
    common::wait_applied(&relay.url(), 0, Duration::from_secs(30)).await?;
    let name = kith_proto::subject::stream_name(&common::region());
    let deadline = Instant::now() + Duration::from_secs(30);
    while js.get_stream(&name).await.is_err() {
        anyhow::ensure!(Instant::now() < deadline, "the relay made no stream {name} within 30 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut client = common::relay_client(&relay.url()).await?;
    let applied = Arc::new(AtomicU64::new(0));
    let poll = {
        let applied = applied.clone();
        tokio::spawn(async move {
            loop {
                if let Ok(stats) = client.get_stats(StatsRequest {}).await {
                    applied.store(stats.into_inner().applied, Ordering::SeqCst);
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
    };
    let kith = play(&js, &common::region(), &data, args, applied.clone(), Some(pid)).await;
    poll.abort();
    let kith = kith?;
    let kith_lags = relay_lags(&kith_tests::http::metrics(&format!("http://127.0.0.1:{http}")).await);
    let stats = common::relay_client(&relay.url()).await?.get_stats(StatsRequest {}).await?.into_inner();
    let counts = format!(
        "the relay's own counts: {} applied, {} ignored (already held), rejected {:?}",
        stats.applied, stats.ignored, stats.rejected
    );
    relay.stop().await;

    eprintln!("load: the same into a raw consumer");
    let raw_region = Slug::parse("region", "bench-raw")?;
    let stream = common::region_stream(&js, &raw_region).await?;
    let consumer = common::raw_consumer(&stream, "raw").await?;
    let acked = Arc::new(AtomicU64::new(0));
    let samples = Arc::new(std::sync::Mutex::new(Vec::new()));
    let drain = {
        let (acked, samples) = (acked.clone(), samples.clone());
        tokio::spawn(async move {
            let mut messages = consumer.stream().max_messages_per_batch(256).messages().await?;
            while let Some(message) = messages.next().await {
                let message = message.map_err(|e| anyhow::anyhow!("pull: {e}"))?;
                let stored = message.info().map_err(|e| anyhow::anyhow!("message info: {e}"))?.published;
                message.ack().await.map_err(|e| anyhow::anyhow!("ack: {e}"))?;
                let lag_ms = now_ms() - (stored.unix_timestamp_nanos() / 1_000_000) as i64;
                samples.lock().expect("not poisoned").push(Duration::from_millis(lag_ms.max(0) as u64));
                acked.fetch_add(1, Ordering::SeqCst);
            }
            anyhow::Ok(())
        })
    };
    let raw = play(&js, &raw_region, &data, args, acked, None).await;
    drain.abort();
    let raw = raw?;
    let raw_lags = {
        let mut samples = samples.lock().expect("not poisoned");
        // The profiles' lags are not the load's.
        let skip = args.hubs.min(samples.len());
        bucketed(&samples.split_off(skip), &kith_relay::metrics::LAG_BUCKETS)
    };

    let superseded = |r: &Run| r.published.saturating_sub(r.taken) as f64;
    let (k, r) = (&kith_lags, &raw_lags);
    let mut figures = vec![
        Figure::new("events published", "events/s", Better::Higher, kith.rate, Some(raw.rate)),
        Figure::new("lag p50, bucket bound", "ms", Better::Lower, k.quantile_ms(0.5), Some(r.quantile_ms(0.5))),
        Figure::new("lag p99, bucket bound", "ms", Better::Lower, k.quantile_ms(0.99), Some(r.quantile_ms(0.99)))
            .goal("kith ≤ 1000"),
        Figure::new("events taken within 1 s", "share", Better::Higher, k.within(1.0), Some(r.within(1.0))),
        Figure::new("events superseded unread", "", Better::Lower, superseded(&kith), Some(superseded(&raw))),
    ];
    if let Some((warm, end)) = kith.memory {
        figures.push(Figure::new("relay memory after a quarter", "MiB", Better::Lower, warm, None));
        figures.push(Figure::new("relay memory at the end", "MiB", Better::Lower, end, None).goal("flat"));
    }
    Ok(Section {
        command: "load",
        setup: format!(
            "{} hubs × {} changes/s for {} s ({} events), {} listings each, into a kith-relay process",
            args.hubs, args.rate, args.seconds, kith.published, args.listings
        ),
        baseline: "raw durable pull consumer under the same stream of messages, acking each".into(),
        figures,
        notes: vec![
            "lag: from the stream's storing of a message to its being applied (relay) or acked (raw)".into(),
            counts,
        ],
    })
}

/// One run's measurements.
struct Run {
    published: u64,
    /// Events a second actually published.
    rate: f64,
    /// Events the reader took (applied, or acked) by the end.
    taken: u64,
    /// The relay's resident memory after a quarter and at the end, in MiB.
    memory: Option<(f64, f64)>,
}

/// Lags as a histogram's cumulative buckets: (upper bound in seconds, count at or
/// under it), with the total count.
#[derive(Default)]
struct Lags {
    buckets: Vec<(f64, f64)>,
    count: f64,
}

impl Lags {
    /// The share of lags at or under `seconds` (a bucket bound).
    fn within(&self, seconds: f64) -> f64 {
        let at = self.buckets.iter().find(|(le, _)| (*le - seconds).abs() < 1e-9).map_or(0.0, |(_, n)| *n);
        if self.count > 0.0 { at / self.count } else { 1.0 }
    }

    /// The smallest bucket bound that `p` of the lags are at or under, in ms.
    fn quantile_ms(&self, p: f64) -> f64 {
        let want = p * self.count;
        self.buckets.iter().find(|(_, n)| *n >= want).map_or(f64::INFINITY, |(le, _)| le * 1000.0)
    }
}

/// The relay's stream-lag histogram from its `/metrics` text.
fn relay_lags(text: &str) -> Lags {
    let mut lags = Lags::default();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("kith_relay_stream_lag_seconds_bucket{le=\"") {
            let Some((le, n)) = rest.split_once("\"} ") else { continue };
            if let (Ok(le), Ok(n)) = (le.parse::<f64>(), n.trim().parse::<f64>()) {
                lags.buckets.push((le, n));
            }
        } else if let Some(n) = line.strip_prefix("kith_relay_stream_lag_seconds_count ") {
            lags.count = n.trim().parse().unwrap_or(0.0);
        }
    }
    lags
}

/// Per-message lags bucketed as the relay's histogram is.
fn bucketed(samples: &[Duration], bounds: &[f64]) -> Lags {
    let buckets =
        bounds.iter().map(|le| (*le, samples.iter().filter(|d| d.as_secs_f64() <= *le).count() as f64)).collect();
    Lags { buckets, count: samples.len() as f64 }
}

/// Publishes every hub's profile, waits for `taken` to count them, then the hubs'
/// changes at the rate asked for the time asked; returns once `taken` has stopped
/// moving for two seconds after the last publish (or a minute has passed).
async fn play(
    js: &jetstream::Context,
    region: &Slug,
    data: &Region,
    args: &LoadArgs,
    taken: Arc<AtomicU64>,
    relay_pid: Option<u32>,
) -> anyhow::Result<Run> {
    let keys: Vec<_> = (0..args.hubs).map(data::hub_key).collect();
    let mut mine: Vec<Vec<Opportunity>> = vec![Vec::new(); args.hubs];
    for l in &data.listings {
        mine[l.hub].push(l.item.clone());
    }
    let mut profiles = Vec::new();
    for (i, hub) in data.hubs.iter().enumerate() {
        let sealed =
            kith_proto::envelope::seal(region, hub, 1, now_ms(), &Event::Profile(data::hub_profile(i)), &keys[i])?;
        profiles.push(common::Message::from(sealed));
    }
    common::publish_windowed(js, profiles, 1024).await?;
    let before = args.hubs as u64;
    let deadline = Instant::now() + Duration::from_secs(30);
    while taken.load(Ordering::SeqCst) < before {
        anyhow::ensure!(Instant::now() < deadline, "the hubs' profiles were not taken within 30 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    let total_rate = args.rate * args.hubs as u64;
    let total = total_rate * args.seconds;
    let mut seqs = vec![1u64; args.hubs];
    let mut inflight = FuturesUnordered::new();
    let mut memory_warm = None;
    let started = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_millis(10));
    let mut sent = 0u64;
    while sent < total {
        tick.tick().await;
        let due = ((started.elapsed().as_secs_f64() * total_rate as f64) as u64).min(total);
        while sent < due {
            let hub = (sent % args.hubs as u64) as usize;
            seqs[hub] += 1;
            let n = seqs[hub];
            let mut item = mine[hub][(n as usize) % mine[hub].len()].clone();
            item.title = format!("{} (report {n})", item.title);
            let event = Event::OpportunityPublished(item);
            let sealed = kith_proto::envelope::seal(region, &data.hubs[hub], n, now_ms(), &event, &keys[hub])?;
            let publish = jetstream::message::PublishMessage::build()
                .payload(sealed.bytes.into())
                .message_id(sealed.envelope.id.to_string());
            let ack = js.send_publish(sealed.subject.to_string(), publish).await.context("publish")?;
            inflight.push(ack.into_future());
            sent += 1;
            while inflight.len() >= 4096 {
                if let Some(ack) = inflight.next().await {
                    ack.context("PubAck")?;
                }
            }
        }
        while let Some(Some(ack)) = futures::FutureExt::now_or_never(inflight.next()) {
            ack.context("PubAck")?;
        }
        if memory_warm.is_none() && started.elapsed() >= Duration::from_secs(args.seconds) / 4 {
            memory_warm = relay_pid.map(common::memory_of).transpose()?.map(|(_, rss)| rss);
        }
    }
    let rate = sent as f64 / started.elapsed().as_secs_f64();
    while let Some(ack) = inflight.next().await {
        ack.context("PubAck")?;
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    let (mut last, mut still_since) = (u64::MAX, Instant::now());
    loop {
        let now = taken.load(Ordering::SeqCst).saturating_sub(before);
        if now != last {
            (last, still_since) = (now, Instant::now());
        }
        if now >= total || still_since.elapsed() >= Duration::from_secs(2) || Instant::now() >= deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let memory_end = relay_pid.map(common::memory_of).transpose()?.map(|(_, rss)| rss);
    Ok(Run { published: sent, rate, taken: last, memory: memory_warm.zip(memory_end) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lags_are_read_from_the_relays_histogram_and_bucketed_alike() {
        let text = "kith_relay_stream_lag_seconds_bucket{le=\"0.01\"} 90\n\
                    kith_relay_stream_lag_seconds_bucket{le=\"1\"} 99\n\
                    kith_relay_stream_lag_seconds_bucket{le=\"+Inf\"} 100\n\
                    kith_relay_stream_lag_seconds_count 100\n";
        let lags = relay_lags(text);
        assert_eq!(lags.within(1.0), 0.99);
        assert_eq!(lags.quantile_ms(0.5), 10.0);
        assert_eq!(lags.quantile_ms(0.99), 1000.0);
        assert_eq!(lags.quantile_ms(1.0), f64::INFINITY);
        let samples = [Duration::from_millis(5), Duration::from_millis(500), Duration::from_secs(3)];
        let raw = bucketed(&samples, &[0.01, 1.0]);
        assert_eq!(raw.within(1.0), 2.0 / 3.0);
        assert_eq!(raw.quantile_ms(0.3), 10.0);
    }
}
