//! `kith-bench board`: time to first byte of the board's pages from a `kith-relay`
//! process holding the region, against the same searches over the relay's gRPC API.
//!
//! The stream is filled with the region's signed events and a relay (with its HTTP
//! listener, and no per-client limit) builds its view from it. Then each query of
//! the benchmark's set is asked once as a board search page (`/search?q=…&what=work`
//! with its area, kind and paid filters: a whole HTML page, over a new loopback
//! connection, timed from connecting to the first byte of the answer) and once as a
//! `SearchOpportunities` call (timed to the whole answer). The safe-houses, hubs and
//! home pages are timed too. One request at a time, after a warm-up.

use clap::Args;
use std::time::{Duration, Instant};

use kith_proto::time::now_ms;
use kith_tests::NatsServer;

use crate::common::{self, Better, Figure, RelayProcess, Section, percentiles, ttfb};
use crate::data::{self, Query, Region};

#[derive(Debug, Args, Clone)]
pub struct BoardArgs {
    /// Opportunities in the relay's view.
    #[arg(long, default_value_t = 100_000)]
    pub opportunities: usize,
    /// Hubs that published them.
    #[arg(long, default_value_t = 100)]
    pub hubs: usize,
    /// Searches timed on each side.
    #[arg(long, default_value_t = 2_000)]
    pub queries: usize,
    /// Seed of the synthetic region and its queries.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

const WARM_UP: usize = 100;

/// A board search page's path for `q`.
fn search_path(q: &Query) -> String {
    let mut params: Vec<(&str, String)> =
        vec![("q", q.text.clone()), ("area", q.area.clone()), ("what", "work".into())];
    if let Some(k) = q.kind {
        params.push(("kind", k.as_str().into()));
    }
    if q.sector == Some(kith_proto::domain::Sector::Ordinary) {
        params.push(("ordinary", "1".into()));
    }
    if q.paid_only {
        params.push(("paid", "1".into()));
    }
    let encoded: Vec<String> = params
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", v.replace('%', "%25").replace(' ', "+").replace('&', "%26")))
        .collect();
    format!("/search?{}", encoded.join("&"))
}

pub async fn run(args: &BoardArgs) -> anyhow::Result<Section> {
    anyhow::ensure!(args.hubs > 0 && args.opportunities > 0 && args.queries > 0, "sizes must be above 0");
    let nats = NatsServer::spawn().await;
    let data = Region::generate(args.seed, args.opportunities, args.hubs, now_ms());
    let queries = data::queries(args.seed, args.queries + WARM_UP, &data);
    eprintln!("board: filling the stream with {} opportunities of {} hubs", args.opportunities, args.hubs);
    let total = crate::rebuild::fill_stream(&nats, &data).await?;
    drop(data);

    let root = tempfile::Builder::new().prefix("kith-bench-board-").tempdir()?;
    let mut relay = RelayProcess::new(&nats.url(), &root.path().join("relay"), root.path().join("relay.log"))?;
    let port = kith_tests::free_port();
    relay.http_port = Some(port);
    relay.start();
    eprintln!("board: kith-relay building its view");
    common::wait_applied(&relay.url(), total, Duration::from_secs(120) + Duration::from_millis(total)).await?;
    let addr = format!("127.0.0.1:{port}");
    let mut grpc = common::relay_client(&relay.url()).await?;

    let (warm, timed) = queries.split_at(WARM_UP);
    for q in warm {
        ttfb(&addr, &search_path(q), "").await?;
        grpc.search_opportunities(q.request()).await?;
    }
    let mut board = Vec::with_capacity(timed.len());
    let mut api = Vec::with_capacity(timed.len());
    let mut sizes = Vec::with_capacity(timed.len());
    let mut refused = 0;
    for q in timed {
        let (t, status, size) = ttfb(&addr, &search_path(q), "").await?;
        if status != 200 {
            refused += 1;
        }
        board.push(t);
        sizes.push(size);
        let started = Instant::now();
        grpc.search_opportunities(q.request()).await?;
        api.push(started.elapsed());
    }
    let mut others = Vec::new();
    for path in ["/", "/safe-houses", "/hubs", "/helpline?area=Leeds&want=work", "/screen?area=Leeds"] {
        let mut times = Vec::new();
        for _ in 0..50 {
            times.push(ttfb(&addr, path, "").await?.0);
        }
        let [p50, p99, _] = percentiles(&mut times);
        others.push(format!("{path}: p50 {p50:.2} ms, p99 {p99:.2} ms"));
    }
    relay.stop().await;

    let [b50, b99, b999] = percentiles(&mut board);
    let [a50, a99, a999] = percentiles(&mut api);
    sizes.sort_unstable();
    Ok(Section {
        command: "board",
        setup: format!(
            "{} opportunities of {} hubs in a kith-relay process; {} searches, one at a time",
            args.opportunities,
            args.hubs,
            timed.len()
        ),
        baseline: "the same searches over the relay's gRPC API (SearchOpportunities, 50 results, whole answer)".into(),
        figures: vec![
            Figure::new("search page time to first byte p50", "ms", Better::Lower, b50, Some(a50)),
            Figure::new("search page time to first byte p99", "ms", Better::Lower, b99, Some(a99))
                .goal("kith < 50 ms at 1M"),
            Figure::new("search page time to first byte p99.9", "ms", Better::Lower, b999, Some(a999)),
        ],
        notes: vec![
            format!(
                "search page size: median {} bytes, largest {} bytes",
                sizes[sizes.len() / 2],
                sizes.last().copied().unwrap_or(0)
            ),
            format!("answers other than 200: {refused}"),
            format!("other pages (50 each): {}", others.join("; ")),
        ],
    })
}
