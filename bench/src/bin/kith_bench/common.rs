//! What every subcommand shares: the figures it reports and how they are printed,
//! percentiles, the binaries it runs, the region's NATS stream and a raw JetStream
//! pipeline to compare with, an in-process relay, and PostgreSQL connections.

use anyhow::{Context, bail};
use async_nats::jetstream::{self, consumer::pull, stream::Stream};
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde::Serialize;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

use kith_proto::Slug;
use kith_proto::v1::StatsRequest;
use kith_proto::v1::region_client::RegionClient;
use tonic::transport::Channel;

/// Which way a figure is better.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    Higher,
    Lower,
}

/// One measured figure: Kith's value, the baseline's from the same run, and
/// optionally a third engine's (tantivy).
#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    pub name: String,
    pub unit: &'static str,
    pub better: Better,
    pub kith: f64,
    pub baseline: Option<f64>,
    /// Kith ÷ baseline.
    pub ratio: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tantivy: Option<f64>,
    /// What the design asks for, as text ("≥ 0.5× raw").
    #[serde(skip_serializing_if = "String::is_empty")]
    pub goal: String,
}

impl Figure {
    pub fn new(
        name: impl Into<String>,
        unit: &'static str,
        better: Better,
        kith: f64,
        baseline: Option<f64>,
    ) -> Figure {
        let ratio = baseline.filter(|b| *b != 0.0).map(|b| kith / b);
        Figure { name: name.into(), unit, better, kith, baseline, ratio, tantivy: None, goal: String::new() }
    }

    pub fn goal(mut self, goal: &str) -> Figure {
        self.goal = goal.to_owned();
        self
    }

    pub fn tantivy(mut self, value: Option<f64>) -> Figure {
        self.tantivy = value;
        self
    }
}

/// What one subcommand measured.
#[derive(Clone, Debug, Serialize)]
pub struct Section {
    pub command: &'static str,
    /// The sizes and settings of the run, one line.
    pub setup: String,
    /// What the baseline is, one line.
    pub baseline: String,
    pub figures: Vec<Figure>,
    /// Anything else a reader needs to read the figures right.
    pub notes: Vec<String>,
}

fn value(v: f64, unit: &str) -> String {
    match unit {
        "events/s" | "bytes" => format!("{v:.0}"),
        "ms" => {
            if v < 1.0 {
                format!("{v:.3}")
            } else {
                format!("{v:.2}")
            }
        }
        "s" => format!("{v:.3}"),
        "MiB" => format!("{v:.1}"),
        _ => format!("{v:.3}"),
    }
}

/// A ratio with three significant digits, however small (PostgreSQL's latencies can
/// be thousands of times Kith's).
fn ratio(r: f64) -> String {
    let decimals = if r > 0.0 && r < 1.0 { (2.0 - r.log10().floor()) as usize } else { 3 };
    format!("{r:.decimals$}")
}

/// Prints a section as a readable table.
pub fn print_table(s: &Section) {
    println!("== kith-bench {}: {}", s.command, s.setup);
    println!("   baseline: {}", s.baseline);
    let has_tantivy = s.figures.iter().any(|f| f.tantivy.is_some());
    let name_width = s.figures.iter().map(|f| f.name.chars().count() + f.unit.len() + 3).max().unwrap_or(10).max(10);
    let mut header = format!("   {:<name_width$} {:>12} {:>12} {:>9}", "figure", "kith", "baseline", "ratio");
    if has_tantivy {
        header.push_str(&format!(" {:>12}", "tantivy"));
    }
    header.push_str("  better  goal");
    println!("{header}");
    for f in &s.figures {
        let name = if f.unit.is_empty() { f.name.clone() } else { format!("{} ({})", f.name, f.unit) };
        let mut line = format!(
            "   {:<name_width$} {:>12} {:>12} {:>9}",
            name,
            value(f.kith, f.unit),
            f.baseline.map_or("-".into(), |b| value(b, f.unit)),
            f.ratio.map_or("-".into(), ratio),
        );
        if has_tantivy {
            line.push_str(&format!(" {:>12}", f.tantivy.map_or("-".into(), |t| value(t, f.unit))));
        }
        line.push_str(&format!("  {:<6}  {}", if f.better == Better::Higher { "higher" } else { "lower" }, f.goal));
        println!("{line}");
    }
    for n in &s.notes {
        println!("   note: {n}");
    }
    println!();
}

/// The `p`-quantile of sorted samples (nearest rank).
pub fn quantile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[(((sorted.len() - 1) as f64) * p).round() as usize]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// p50, p99 and p99.9 in milliseconds.
pub fn percentiles(samples: &mut [Duration]) -> [f64; 3] {
    samples.sort_unstable();
    [ms(quantile(samples, 0.5)), ms(quantile(samples, 0.99)), ms(quantile(samples, 0.999))]
}

/// The path of a workspace binary next to kith-bench, or a one-line error saying
/// how to build it.
pub fn binary(name: &str) -> anyhow::Result<PathBuf> {
    let path = kith_tests::bins::bin_dir().join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !path.is_file() {
        bail!(
            "{} is missing: build the daemons beside kith-bench with `cargo build --release --workspace --bins`",
            path.display()
        );
    }
    Ok(path)
}

/// The region every benchmark uses.
pub fn region() -> Slug {
    Slug::parse("region", "bench").expect("a region slug")
}

/// Gets or creates the region's stream with the relay's own settings.
pub async fn region_stream(js: &jetstream::Context, region: &Slug) -> anyhow::Result<Stream> {
    let (stream, _limit) = kith_proto::stream::ensure(js, region, 1, kith_proto::stream::DEFAULT_MAX_BYTES)
        .await
        .with_context(|| format!("create the stream of region {region}"))?;
    Ok(stream)
}

/// One message to publish: subject, payload and `Nats-Msg-Id`.
#[derive(Clone)]
pub struct Message {
    pub subject: String,
    pub payload: bytes::Bytes,
    pub id: String,
}

impl From<kith_proto::envelope::Sealed> for Message {
    fn from(sealed: kith_proto::envelope::Sealed) -> Message {
        Message {
            subject: sealed.subject.to_string(),
            id: sealed.envelope.id.to_string(),
            payload: sealed.bytes.into(),
        }
    }
}

/// Publishes `messages` in order with up to `window` PubAcks in flight, as the hub's
/// publisher does. Returns when every PubAck has arrived.
pub async fn publish_windowed(js: &jetstream::Context, messages: Vec<Message>, window: usize) -> anyhow::Result<()> {
    let mut inflight = FuturesUnordered::new();
    for m in messages {
        if inflight.len() >= window
            && let Some(ack) = inflight.next().await
        {
            let _: async_nats::jetstream::publish::PublishAck = ack?;
        }
        let publish = jetstream::message::PublishMessage::build().payload(m.payload).message_id(&m.id);
        let ack = js.send_publish(m.subject, publish).await.context("publish")?;
        inflight.push(ack.into_future());
    }
    while let Some(ack) = inflight.next().await {
        ack.context("PubAck")?;
    }
    Ok(())
}

/// A durable pull consumer of the whole stream, configured as the relay's is
/// (explicit acks, the same pending limit and batch size).
pub async fn raw_consumer(stream: &Stream, name: &str) -> anyhow::Result<jetstream::consumer::PullConsumer> {
    let config = pull::Config {
        durable_name: Some(name.to_owned()),
        deliver_policy: jetstream::consumer::DeliverPolicy::All,
        ack_policy: jetstream::consumer::AckPolicy::Explicit,
        ack_wait: Duration::from_secs(30),
        max_ack_pending: 256 * 8,
        ..Default::default()
    };
    stream.create_consumer(config).await.context("create the raw consumer")
}

/// Receives and acks (each, one by one) until `count` messages have been taken;
/// returns when the last one was acked.
pub async fn drain(
    consumer: &jetstream::consumer::PullConsumer,
    count: u64,
    timeout: Duration,
) -> anyhow::Result<Instant> {
    let mut messages = consumer.stream().max_messages_per_batch(256).messages().await.context("pull")?;
    let deadline = Instant::now() + timeout;
    let mut seen = 0u64;
    while seen < count {
        let left = deadline.saturating_duration_since(Instant::now());
        let next = tokio::time::timeout(left, messages.next())
            .await
            .with_context(|| format!("the raw consumer took {seen} of {count} messages within {timeout:?}"))?;
        let message = next.context("the message stream ended")?.map_err(|e| anyhow::anyhow!("pull: {e}"))?;
        message.ack().await.map_err(|e| anyhow::anyhow!("ack: {e}"))?;
        seen += 1;
    }
    Ok(Instant::now())
}

/// A region client of the relay at `url`.
pub async fn relay_client(url: &str) -> anyhow::Result<RegionClient<Channel>> {
    kith_tests::relay::region_client(url).await.with_context(|| format!("connect to the relay at {url}"))
}

/// Polls the relay's `GetStats` until it has applied `target` events; returns when
/// it saw them, and fails after `timeout` saying how far it got.
pub async fn wait_applied(url: &str, target: u64, timeout: Duration) -> anyhow::Result<Instant> {
    let deadline = Instant::now() + timeout;
    let mut client = loop {
        match relay_client(url).await {
            Ok(c) => break c,
            Err(e) if Instant::now() >= deadline => return Err(e),
            Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
        }
    };
    let mut last = None;
    loop {
        if let Ok(stats) = client.get_stats(StatsRequest {}).await {
            let stats = stats.into_inner();
            if stats.applied >= target {
                return Ok(Instant::now());
            }
            last = Some(stats);
        }
        if Instant::now() >= deadline {
            let last = last.map_or("no answer".into(), |s| format!("applied {}, rejected {:?}", s.applied, s.rejected));
            bail!("the relay did not apply {target} events within {timeout:?}; last seen: {last}");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// A relay running in this process with quotas large enough for any benchmark.
pub async fn start_relay(nats_url: &str, dir: &std::path::Path) -> anyhow::Result<kith_relay::Relay> {
    let mut config = kith_relay::Config::new(region(), nats_url, dir);
    config.quota = kith_relay::view::Quota {
        entities: u64::MAX / 2,
        tombstones: u64::MAX / 2,
        referral_sides: u64::MAX / 2,
        bytes: u64::MAX / 2,
    };
    // One benchmark client asks far more often than a program would.
    config.grpc_per_client = None;
    kith_relay::Relay::start(config, "127.0.0.1:0".parse()?).await.context("start the relay")
}

/// Where PostgreSQL is unless told otherwise: the machine's own, with a database
/// of the benchmark's own.
pub const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/kith_bench";

/// Connects to the benchmark's database, creating it first if it is missing.
/// Errors are one line naming the server and how to point elsewhere.
pub async fn pg_connect(url: &str) -> anyhow::Result<tokio_postgres::Client> {
    let config =
        tokio_postgres::Config::from_str(url).with_context(|| format!("--pg {url:?} is not a PostgreSQL URL"))?;
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(h) => h.clone(),
            #[cfg(unix)]
            tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let where_ = format!("PostgreSQL at {host}:{port}");
    let dbname = config.get_dbname().unwrap_or("kith_bench").to_owned();
    let unreachable = |e: tokio_postgres::Error| {
        anyhow::anyhow!("{where_} is unreachable: {}; set KITH_BENCH_PG to another URL", one_line(&e))
    };
    // First the maintenance database, to create ours if it is missing.
    let mut admin = config.clone();
    admin.dbname("postgres");
    let (client, conn) = tokio::time::timeout(Duration::from_secs(5), admin.connect(tokio_postgres::NoTls))
        .await
        .map_err(|_| {
            anyhow::anyhow!("{where_} is unreachable: no answer within 5 s; set KITH_BENCH_PG to another URL")
        })?
        .map_err(unreachable)?;
    tokio::spawn(conn);
    let exists = client.query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&dbname]).await?.is_some();
    if !exists {
        client
            .batch_execute(&format!("CREATE DATABASE \"{}\"", dbname.replace('"', "\"\"")))
            .await
            .with_context(|| format!("create database {dbname} on {where_}"))?;
    }
    drop(client);
    let (client, conn) = config.connect(tokio_postgres::NoTls).await.map_err(unreachable)?;
    tokio::spawn(conn);
    client
        .batch_execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        .await
        .with_context(|| format!("pg_trgm on {where_} (database {dbname})"))?;
    Ok(client)
}

/// A PostgreSQL error with its cause, on one line.
fn one_line(e: &tokio_postgres::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text.replace('\n', " ")
}

/// CPU time (user and system) process `pid` has used, in seconds; `None` for this
/// process. From `/proc/PID/stat`, to a hundredth of a second.
pub fn cpu_seconds(pid: Option<u32>) -> anyhow::Result<f64> {
    let path = pid.map_or_else(|| "/proc/self/stat".to_owned(), |p| format!("/proc/{p}/stat"));
    let stat = std::fs::read_to_string(&path).with_context(|| format!("read {path}"))?;
    // The command's name (in parentheses) may hold spaces: fields are counted after it.
    let after = stat.rsplit_once(')').map(|(_, rest)| rest).with_context(|| format!("no command in {path}"))?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    let ticks = |i: usize| -> anyhow::Result<f64> {
        Ok(fields.get(i).with_context(|| format!("short {path}"))?.parse::<f64>()?)
    };
    // The kernel counts them in USER_HZ, 100 a second on every Linux architecture.
    Ok((ticks(11)? + ticks(12)?) / 100.0)
}

/// CPU time of this process and of the NATS server together, to compare two runs'
/// CPU per event: [`CpuClock::since`] gives seconds used since [`CpuClock::start`].
pub struct CpuClock {
    nats: Option<u32>,
    at: f64,
}

impl CpuClock {
    pub fn start(nats: Option<u32>) -> anyhow::Result<CpuClock> {
        let at = cpu_seconds(None)? + nats.map(|p| cpu_seconds(Some(p))).transpose()?.unwrap_or(0.0);
        Ok(CpuClock { nats, at })
    }

    pub fn since(&self) -> anyhow::Result<f64> {
        Ok(CpuClock::start(self.nats)?.at - self.at)
    }
}

/// The key of the benchmark's hub whose subject this is.
fn key_of(subject: &str) -> ed25519_dalek::VerifyingKey {
    crate::data::hub_key(crate::data::hub_of_subject(subject).unwrap_or(0)).verifying_key()
}

/// CPU time one signature check of `messages` takes on one core, in µs: decoding
/// each envelope and checking it with its hub's key, as a relay's ingest does, on
/// one thread with nothing else to do (the median of three passes).
pub fn verify_cost(messages: &[Message]) -> anyhow::Result<f64> {
    let sample = &messages[..messages.len().min(2_000)];
    let decoded: Vec<_> = sample
        .iter()
        .map(|m| kith_proto::envelope::decode(&m.payload, &m.subject))
        .collect::<Result<_, _>>()
        .context("decode a sealed envelope")?;
    let keys: Vec<_> = sample.iter().map(|m| key_of(&m.subject)).collect();
    let mut passes: Vec<f64> = (0..3)
        .map(|_| {
            let started = Instant::now();
            let good = decoded.iter().zip(&keys).filter(|(d, k)| d.is_signed_by(k)).count();
            assert_eq!(good, decoded.len(), "every sealed envelope verifies");
            started.elapsed().as_secs_f64() * 1e6 / decoded.len().max(1) as f64
        })
        .collect();
    passes.sort_by(f64::total_cmp);
    Ok(passes[1])
}

/// Time a relay's view takes to apply one event of `messages` (already verified),
/// in µs: decoding aside, its checks, index terms and posting sets, on one thread,
/// into a new view in the stream's order (each new listing the newest: the cheapest
/// case). The median of three views.
pub fn apply_cost(messages: &[Message]) -> anyhow::Result<f64> {
    let sample = &messages[..messages.len().min(2_000)];
    let opened: Vec<kith_proto::envelope::Opened> = sample
        .iter()
        .map(|m| kith_proto::envelope::open(&m.payload, &m.subject, Some(&key_of(&m.subject))))
        .collect::<Result<_, _>>()
        .context("open a sealed envelope")?;
    let today = kith_proto::time::CivilDate::today_here();
    let mut runs: Vec<f64> = (0..3)
        .map(|_| {
            let mut view = kith_relay::view::View::new(today);
            let started = Instant::now();
            let applied =
                opened.iter().filter(|o| matches!(view.apply(o), kith_relay::view::Outcome::Applied(_))).count();
            assert_eq!(applied, opened.len(), "every event applies to a new view");
            started.elapsed().as_secs_f64() * 1e6 / opened.len().max(1) as f64
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    Ok(runs[1])
}

/// CPU time a relay's store takes to hold one new opportunity, in µs: the record
/// written as ingest writes it ([`kith_relay::store::Store::put`]: the record and
/// its line in the log of changes) and flushed with the rest of its batch of 128, on
/// a store of its own in a temporary directory, nothing else running. Durability
/// before an ack is not optional, so this is part of any relay's cost per event.
pub async fn store_cost(data: &crate::data::Region) -> anyhow::Result<f64> {
    use kith_relay::store::{EntityRecord, Record, Store};
    let dir = tempfile::Builder::new().prefix("kith-bench-store-").tempdir()?;
    let store = Store::open(dir.path())?;
    let sample = &data.listings[..data.listings.len().min(20_000)];
    let cpu = CpuClock::start(None)?;
    for (n, listing) in sample.iter().enumerate() {
        let id = ulid::Ulid::from_parts(listing.created_ms as u64, n as u128);
        let record = EntityRecord { seq: n as u64 + 2, at_ms: listing.created_ms, item: Some(listing.item.clone()) };
        store.put(&Record::listing(data.hubs[listing.hub].clone(), id, &record))?;
        if n % 128 == 127 {
            store.flush().await?;
        }
    }
    store.flush().await?;
    Ok(cpu.since()? * 1e6 / sample.len().max(1) as f64)
}

/// What a relay must spend on each event, beyond what the raw pipeline spends,
/// each measured on one core with nothing else running, in µs.
pub struct Costs {
    /// One signature check ([`verify_cost`]).
    pub verify: f64,
    /// The store's write, flushed per batch ([`store_cost`]).
    pub store: f64,
    /// Applying it to the view in the cheapest order ([`apply_cost`]).
    pub apply: f64,
}

impl Costs {
    /// Measures each on `data` and on `messages`, sealed from it.
    pub async fn measure(data: &crate::data::Region, messages: &[Message]) -> anyhow::Result<Costs> {
        Ok(Costs { store: store_cost(data).await?, verify: verify_cost(messages)?, apply: apply_cost(messages)? })
    }
}

/// The figures that say where a pipeline's time went: CPU per event (this process
/// and nats-server), cores kept busy, and the ceilings these cores put on a relay
/// that verifies, stores and applies every event: the cores over what the raw
/// pipeline spends per event plus one signature check, then plus the store's write
/// and the view's apply too ([`Costs`]). Decoding, a hub's outbox and the relay's
/// own handling of NATS come on top, so a relay runs below the last ceiling.
pub fn cpu_figures(total: u64, kith: (f64, f64), raw: (f64, f64), costs: &Costs) -> Vec<Figure> {
    let ((kith_cpu, kith_secs), (raw_cpu, raw_secs)) = (kith, raw);
    let per_event = |cpu: f64| cpu / total.max(1) as f64 * 1e6;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    let raw_us = per_event(raw_cpu);
    let raw_rate = total as f64 / raw_secs;
    let ceiling = |us: f64| cores * 1e6 / us;
    vec![
        Figure::new(
            "CPU per event, this process and nats-server",
            "µs",
            Better::Lower,
            per_event(kith_cpu),
            Some(raw_us),
        ),
        Figure::new("cores kept busy", "cores", Better::Higher, kith_cpu / kith_secs, Some(raw_cpu / raw_secs)),
        Figure::new("one signature check (one core)", "µs", Better::Lower, costs.verify, None),
        Figure::new("one store write, flushed per 128 (one core)", "µs", Better::Lower, costs.store, None),
        Figure::new("one event applied to a view (one core)", "µs", Better::Lower, costs.apply, None),
        Figure::new(
            "ceiling: raw + a check",
            "events/s",
            Better::Higher,
            ceiling(raw_us + costs.verify),
            Some(raw_rate),
        ),
        Figure::new(
            "ceiling: raw + a check + a store write",
            "events/s",
            Better::Higher,
            ceiling(raw_us + costs.verify + costs.store),
            Some(raw_rate),
        ),
        Figure::new(
            "ceiling: raw + a check + a store write + apply",
            "events/s",
            Better::Higher,
            ceiling(raw_us + costs.verify + costs.store + costs.apply),
            Some(raw_rate),
        ),
    ]
}

/// Peak and current resident memory of process `pid`, in MiB (VmHWM, VmRSS).
pub fn memory_of(pid: u32) -> anyhow::Result<(f64, f64)> {
    let status =
        std::fs::read_to_string(format!("/proc/{pid}/status")).with_context(|| format!("read /proc/{pid}/status"))?;
    let field = |name: &str| -> anyhow::Result<f64> {
        let line =
            status.lines().find(|l| l.starts_with(name)).with_context(|| format!("no {name} in /proc/{pid}/status"))?;
        let kb: f64 = line.split_whitespace().nth(1).context("no value")?.parse()?;
        Ok(kb / 1024.0)
    };
    Ok((field("VmHWM:")?, field("VmRSS:")?))
}

/// A `kith-relay` process of the benchmark's region on its own directory, quiet
/// (`RUST_LOG=warn`) and with quotas no benchmark reaches; killed when dropped.
pub struct RelayProcess {
    pub daemon: kith_tests::process::Daemon,
    pub port: u16,
    nats_url: String,
    dir: PathBuf,
    /// `RUST_LOG` for the process: `warn` unless a benchmark reads its log.
    pub log_filter: &'static str,
    /// The board's port, for a benchmark of the board; none for the others, which
    /// ask over gRPC only.
    pub http_port: Option<u16>,
    /// `--bodies-in-store`.
    pub bodies_in_store: bool,
}

impl RelayProcess {
    /// Does not start it: see [`RelayProcess::start`].
    pub fn new(nats_url: &str, dir: &std::path::Path, log: PathBuf) -> anyhow::Result<RelayProcess> {
        let daemon = kith_tests::process::Daemon::new("kith-relay", binary("kith-relay")?, log);
        Ok(RelayProcess {
            daemon,
            port: kith_tests::free_port(),
            nats_url: nats_url.to_owned(),
            dir: dir.to_owned(),
            log_filter: "warn",
            http_port: None,
            bodies_in_store: false,
        })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Spawns the process; returns the instant just before.
    pub fn start(&mut self) -> Instant {
        let args: Vec<std::ffi::OsString> = vec![
            "--region".into(),
            region().to_string().into(),
            "--nats".into(),
            self.nats_url.clone().into(),
            "--listen".into(),
            format!("127.0.0.1:{}", self.port).into(),
            "--dir".into(),
            self.dir.clone().into(),
        ];
        let mut args = args;
        // One benchmark client asks far more often than a program would.
        args.extend(["--grpc-rate-per-client".into(), "0".into()]);
        if self.bodies_in_store {
            args.push("--bodies-in-store".into());
        }
        // The region's own places, as the queries' (crate::pg::places) and the demo's.
        args.extend([
            "--places".into(),
            concat!(env!("CARGO_MANIFEST_DIR"), "/../deploy/places/west-yorkshire.txt").into(),
        ]);
        match self.http_port {
            Some(port) => args.extend([
                "--http-listen".into(),
                format!("127.0.0.1:{port}").into(),
                // One benchmark client asks far more often than a person.
                "--http-rate-per-client".into(),
                "0".into(),
            ]),
            None => args.extend(["--http-listen".into(), "off".into()]),
        }
        let big = (u64::MAX / 4).to_string();
        let envs = [
            ("RUST_LOG", self.log_filter.to_owned()),
            ("KITH_RELAY_QUOTA_ENTITIES", big.clone()),
            ("KITH_RELAY_QUOTA_TOMBSTONES", big.clone()),
            ("KITH_RELAY_QUOTA_BYTES", big),
        ];
        let started = Instant::now();
        self.daemon.spawn(&args, &envs);
        started
    }

    /// Waits until a `SearchOpportunities` is answered with at least one result;
    /// returns the instant of that answer.
    pub async fn first_search(&mut self, timeout: Duration) -> anyhow::Result<Instant> {
        let deadline = Instant::now() + timeout;
        let request = kith_proto::v1::SearchOpportunitiesRequest { query: "support".into(), ..Default::default() };
        loop {
            if !self.daemon.is_running() {
                bail!(
                    "kith-relay exited while starting; its log:\n{}",
                    kith_tests::process::tail(self.daemon.log_path(), 20)
                );
            }
            if let Ok(mut client) = relay_client(&self.url()).await
                && let Ok(page) = client.search_opportunities(request.clone()).await
                && !page.into_inner().items.is_empty()
            {
                return Ok(Instant::now());
            }
            if Instant::now() >= deadline {
                bail!("kith-relay answered no search within {timeout:?}");
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    /// SIGTERM (the relay flushes its store), SIGKILL after a minute.
    pub async fn stop(&mut self) {
        self.daemon.terminate(Duration::from_secs(60)).await;
    }
}

/// Seals `listings` of `region`'s hubs as the hubs would publish them: each hub's
/// profile first (sequence 1), then its opportunities, under `region_slug`.
pub fn seal_region(region_slug: &Slug, data: &crate::data::Region, now: i64) -> anyhow::Result<Vec<Message>> {
    use kith_proto::event::Event;
    let keys: Vec<ed25519_dalek::SigningKey> = (0..data.hubs.len()).map(crate::data::hub_key).collect();
    let mut seqs = vec![1u64; data.hubs.len()];
    let mut out = Vec::with_capacity(data.hubs.len() + data.listings.len());
    for (i, hub) in data.hubs.iter().enumerate() {
        let profile = Event::Profile(crate::data::hub_profile(i));
        out.push(Message::from(kith_proto::envelope::seal(region_slug, hub, 1, now, &profile, &keys[i])?));
    }
    // Sequence numbers in each hub's order, then the signatures on every core.
    let numbered: Vec<(u64, &crate::data::Listing)> = data
        .listings
        .iter()
        .map(|l| {
            seqs[l.hub] += 1;
            (seqs[l.hub], l)
        })
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = numbered.len().div_ceil(threads).max(1);
    let sealed: Vec<anyhow::Result<Vec<Message>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = numbered
            .chunks(chunk)
            .map(|part| {
                let keys = &keys;
                scope.spawn(move || {
                    part.iter()
                        .map(|(seq, l)| {
                            let event = Event::OpportunityPublished(l.item.clone());
                            let hub = &data.hubs[l.hub];
                            Ok(Message::from(kith_proto::envelope::seal(
                                region_slug,
                                hub,
                                *seq,
                                now,
                                &event,
                                &keys[l.hub],
                            )?))
                        })
                        .collect()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a sealing thread panicked"))))
            .collect()
    });
    for part in sealed {
        out.extend(part?);
    }
    Ok(out)
}

/// Time to the first byte of the answer to `GET path` (with `cookie`, a `name=value`
/// pair, when not empty), over a new connection; the status and the whole answer's size.
pub async fn ttfb(addr: &str, path: &str, cookie: &str) -> anyhow::Result<(Duration, u16, usize)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let started = Instant::now();
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let cookie = if cookie.is_empty() { String::new() } else { format!("Cookie: {cookie}\r\n") };
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html\r\n{cookie}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut first = [0u8; 1];
    stream.read_exact(&mut first).await?;
    let elapsed = started.elapsed();
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).await?;
    let head = String::from_utf8_lossy(&rest[..rest.len().min(16)]).into_owned();
    let status = head.get(8..11).and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok((elapsed, status, rest.len() + 1))
}
