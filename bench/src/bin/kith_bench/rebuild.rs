//! `kith-bench rebuild`: a relay with an empty directory replays the region's stream
//! into its view, against a raw consumer draining the same stream.
//!
//! The stream is filled first with real signed events (`envelope::seal`): each
//! hub's profile, then the opportunities. Kith: the clock runs from starting a relay
//! in this process on an empty directory until `GetStats` says it has applied every
//! event (verify each signature, apply, write its store, flush per batch, ack).
//! Raw: a durable pull consumer configured as the relay's, acking each message, from
//! its creation until the last ack. Both print their CPU per event and the ceiling
//! it puts on a relay ([`common::cpu_figures`]).

use clap::Args;
use std::time::{Duration, Instant};

use kith_proto::time::now_ms;
use kith_tests::NatsServer;

use crate::common::{self, Better, Figure, Section};
use crate::data::Region;

#[derive(Debug, Args, Clone)]
pub struct RebuildArgs {
    /// Opportunities in the stream (each hub's profile comes on top).
    #[arg(long, default_value_t = 50_000)]
    pub events: usize,
    /// Hubs that published them.
    #[arg(long, default_value_t = 10)]
    pub hubs: usize,
}

/// Fills the region's stream of `nats` with `data`, sealed; returns the messages' count.
pub async fn fill_stream(nats: &NatsServer, data: &Region) -> anyhow::Result<u64> {
    Ok(fill_stream_sampled(nats, data).await?.0)
}

/// [`fill_stream`], returning also the first 2,000 messages as published.
async fn fill_stream_sampled(nats: &NatsServer, data: &Region) -> anyhow::Result<(u64, Vec<common::Message>)> {
    let region = common::region();
    let js = nats.jetstream().await;
    common::region_stream(&js, &region).await?;
    let started = Instant::now();
    let messages = common::seal_region(&region, data, now_ms())?;
    let count = messages.len();
    eprintln!("  sealed {count} events in {:.1?}; publishing", started.elapsed());
    let sample = messages[..count.min(2_000)].to_vec();
    common::publish_windowed(&js, messages, 1024).await?;
    Ok((count as u64, sample))
}

pub async fn run(args: &RebuildArgs) -> anyhow::Result<Section> {
    anyhow::ensure!(args.hubs > 0 && args.events > 0, "--hubs and --events must be above 0");
    let nats = NatsServer::spawn().await;
    let data = Region::generate(11, args.events, args.hubs, now_ms());
    eprintln!("rebuild: filling the stream with {} opportunities of {} hubs", args.events, args.hubs);
    let (total, sample) = fill_stream_sampled(&nats, &data).await?;
    let timeout = Duration::from_secs(120) + Duration::from_millis(total);

    eprintln!("rebuild: a relay on an empty directory");
    let dir = tempfile::Builder::new().prefix("kith-bench-relay-").tempdir()?;
    let cpu = common::CpuClock::start(nats.pid())?;
    let started = Instant::now();
    let relay = common::start_relay(&nats.url(), dir.path()).await?;
    let done = common::wait_applied(&relay.url(), total, timeout).await?;
    let kith_secs = (done - started).as_secs_f64();
    let kith_cpu = cpu.since()?;
    relay.shutdown().await?;

    eprintln!("rebuild: a raw consumer draining the stream");
    let stream = nats.jetstream().await.get_stream(kith_proto::subject::stream_name(&common::region())).await?;
    let cpu = common::CpuClock::start(nats.pid())?;
    let started = Instant::now();
    let consumer = common::raw_consumer(&stream, "raw").await?;
    let done = common::drain(&consumer, total, timeout).await?;
    let raw_secs = (done - started).as_secs_f64();
    let raw_cpu = cpu.since()?;
    let costs = common::Costs::measure(&data, &sample).await?;

    let (kith_rate, raw_rate) = (total as f64 / kith_secs, total as f64 / raw_secs);
    Ok(Section {
        command: "rebuild",
        setup: format!("{} opportunities + {} profiles in the stream, relay in this process", args.events, args.hubs),
        baseline: "raw durable pull consumer draining the same stream, acking each message".into(),
        figures: vec![
            Figure::new("rebuild throughput", "events/s", Better::Higher, kith_rate, Some(raw_rate))
                .goal("ratio ≥ 0.5 and kith ≥ 100000"),
            Figure::new("time for the whole stream", "s", Better::Lower, kith_secs, Some(raw_secs)),
        ]
        .into_iter()
        .chain(common::cpu_figures(total, (kith_cpu, kith_secs), (raw_cpu, raw_secs), &costs))
        .collect(),
        notes: vec![],
    })
}
