//! `kith-bench restart`: how soon a `kith-relay` process whose store already holds
//! the region answers its first search, against building the same view from the
//! stream.
//!
//! The stream is filled with the region's signed events. Baseline: a `kith-relay`
//! process started on an empty directory, timed from spawning it until `GetStats`
//! says it has applied every event (a rebuild, which also fills its store and
//! writes checkpoints as it goes). It is then killed (SIGKILL) at once, with up to
//! a checkpoint's worth of changes since its last one, and the time to its first
//! answered `SearchOpportunities` with results after that crash is reported: open
//! the store, read the last checkpoint, put back the records changed since,
//! listen. Then it is stopped cleanly (SIGTERM: a last checkpoint) and started
//! `--runs` times; the median of those restarts is Kith's main figure.

use clap::Args;
use std::time::Duration;

use kith_proto::time::now_ms;
use kith_tests::NatsServer;

use crate::common::{self, Better, Figure, RelayProcess, Section};
use crate::data::Region;

#[derive(Debug, Args, Clone)]
pub struct RestartArgs {
    /// Opportunities in the relay's store.
    #[arg(long, default_value_t = 100_000)]
    pub opportunities: usize,
    /// Hubs that published them.
    #[arg(long, default_value_t = 100)]
    pub hubs: usize,
    /// Restarts timed; the median is reported.
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
}

pub async fn run(args: &RestartArgs) -> anyhow::Result<Section> {
    anyhow::ensure!(args.hubs > 0 && args.opportunities > 0 && args.runs > 0, "sizes must be above 0");
    let nats = NatsServer::spawn().await;
    let data = Region::generate(13, args.opportunities, args.hubs, now_ms());
    eprintln!("restart: filling the stream with {} opportunities of {} hubs", args.opportunities, args.hubs);
    let total = crate::rebuild::fill_stream(&nats, &data).await?;
    drop(data);
    let timeout = Duration::from_secs(120) + Duration::from_millis(total);

    let root = tempfile::Builder::new().prefix("kith-bench-restart-").tempdir()?;
    let log = root.path().join("relay.log");
    let mut relay = RelayProcess::new(&nats.url(), &root.path().join("relay"), log.clone())?;
    // The relay logs how long it took to open its store and read its view.
    relay.log_filter = "warn,kith_relay=info";
    eprintln!("restart: kith-relay rebuilding its view from the stream");
    let started = relay.start();
    let done = common::wait_applied(&relay.url(), total, timeout).await?;
    let rebuild_secs = (done - started).as_secs_f64();
    // A crash right after the rebuild: the last checkpoint and the changes since.
    relay.daemon.kill9();
    let started = relay.start();
    let answered = relay.first_search(timeout).await?;
    let after_crash = (answered - started).as_secs_f64();
    eprintln!("restart: after kill -9: first answer after {after_crash:.3} s");
    relay.stop().await;
    let mut times = Vec::new();
    let mut peaks = Vec::new();
    for run in 0..args.runs {
        let started = relay.start();
        let answered = relay.first_search(timeout).await?;
        times.push((answered - started).as_secs_f64());
        if let Some(pid) = relay.daemon.pid() {
            peaks.push(common::memory_of(pid)?);
        }
        eprintln!("restart: run {}: first answer after {:.3} s", run + 1, times[run]);
        relay.stop().await;
    }
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];

    Ok(Section {
        command: "restart",
        setup: format!("{} opportunities of {} hubs in the store; kith-relay process", args.opportunities, args.hubs),
        baseline: "the same kith-relay building the same view from the stream (spawn → all events applied)".into(),
        figures: vec![
            Figure::new("spawn → first answered search", "s", Better::Lower, median, Some(rebuild_secs))
                .goal("kith < 2 s at 1M"),
            Figure::new(
                "the same after kill -9 (checkpoint + changes since)",
                "s",
                Better::Lower,
                after_crash,
                Some(rebuild_secs),
            )
            .goal("kith < 5 s at 1M"),
        ],
        notes: vec![
            format!("restarts: {}", times.iter().map(|t| format!("{t:.3} s")).collect::<Vec<_>>().join(", ")),
            format!("the relay's log, each start: {}", startup_lines(&log).join("; ")),
            format!(
                "peak / current RSS after each restart: {}",
                peaks.iter().map(|(hwm, rss)| format!("{hwm:.0} / {rss:.0} MiB")).collect::<Vec<_>>().join(", ")
            ),
        ],
    })
}

/// What the relay logged about opening its store and reading its view, one entry
/// per start: `store 120 ms, snapshot 850 ms`.
fn startup_lines(log: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let field = |line: &str, name: &str| {
        line.split_whitespace().find_map(|w| w.strip_prefix(name)).map(|v| v.trim_matches('"').to_owned())
    };
    let mut starts = Vec::new();
    let mut store = None;
    for line in text.lines() {
        if line.contains("store opened") {
            store = field(line, "ms=");
        } else if line.contains("view read") {
            let from = field(line, "from=").unwrap_or_default();
            let ms = field(line, "ms=").unwrap_or_default();
            starts.push(format!("store {} ms, {from} {ms} ms", store.take().unwrap_or_default()));
        }
    }
    starts
}
