//! `kith-bench memory`: the peak resident memory of a `kith-relay` process that
//! loads a store of the region and answers queries, against the size of the same
//! data elsewhere.
//!
//! The relay's store is filled directly through `kith_relay::store::Store::put`
//! (the records a relay would have written), marked as filled from the relay's
//! consumer so that the relay resumes rather than replays. The relay process is then
//! started, answers its first search, then 100 more of the benchmark's query shapes
//! over gRPC; its `VmHWM` (peak) and `VmRSS` are read from `/proc/PID/status`.
//!
//! Baselines: the same listings in PostgreSQL as `kith-bench query` loads them
//! (`pg_total_relation_size`: table, TOAST and every index), and the raw bytes of
//! the relay's records (postcard, as its store holds them, keys included).

use anyhow::Context;
use clap::Args;
use std::time::Duration;

use kith_proto::time::now_ms;
use kith_relay::store::{EntityRecord, HubRecord, Record, Store};
use kith_tests::NatsServer;

use crate::common::{self, Better, Figure, RelayProcess, Section, memory_of, pg_connect};
use crate::data::{self, Region};
use crate::pg;

#[derive(Debug, Args, Clone)]
pub struct MemoryArgs {
    /// Opportunities in the relay's store.
    #[arg(long, default_value_t = 100_000)]
    pub opportunities: usize,
    /// Hubs that published them.
    #[arg(long, default_value_t = 100)]
    pub hubs: usize,
    /// The relay reads a page's opportunities from its store (`--bodies-in-store`).
    #[arg(long)]
    pub bodies_in_store: bool,
    /// PostgreSQL URL; its database is created if missing, its tables replaced.
    #[arg(long, env = "KITH_BENCH_PG", default_value = common::DEFAULT_PG)]
    pub pg: String,
}

const MIB: f64 = 1024.0 * 1024.0;

pub async fn run(args: &MemoryArgs) -> anyhow::Result<Section> {
    let client = pg_connect(&args.pg).await?;
    let nats = NatsServer::spawn().await;
    let now = now_ms();
    let data = Region::generate(17, args.opportunities, args.hubs, now);

    eprintln!("memory: filling a relay store with {} opportunities", args.opportunities);
    let root = tempfile::Builder::new().prefix("kith-bench-memory-").tempdir()?;
    let dir = root.path().join("relay");
    let mut raw_bytes = 0usize;
    {
        let store = Store::open(&dir).context("open the relay store")?;
        for (i, hub) in data.hubs.iter().enumerate() {
            let record = HubRecord { profile: data::hub_profile(i), seq: 1, at_ms: now, region: common::region() };
            raw_bytes += hub.as_str().len() + postcard::to_stdvec(&record)?.len();
            store.put(&Record::Hub { hub: hub.clone(), record: Box::new(record) })?;
        }
        for l in &data.listings {
            let record = EntityRecord { seq: 2, at_ms: l.created_ms, item: Some(l.item.clone()) };
            let hub = data.hubs[l.hub].clone();
            raw_bytes += 16 + hub.as_str().len() + postcard::to_stdvec(&record)?.len();
            store.put(&Record::listing(hub, l.item.id, &record))?;
        }
        let consumer =
            format!("{}/{}", kith_proto::subject::stream_name(&common::region()), kith_relay::config::DEFAULT_NAME);
        store.set_consumer(&consumer)?;
        store.flush().await?;
    }

    let mut relay = RelayProcess::new(&nats.url(), &dir, root.path().join("relay.log"))?;
    relay.bodies_in_store = args.bodies_in_store;
    relay.start();
    relay.first_search(Duration::from_secs(300)).await?;
    let queries = data::queries(19, 100, &data);
    let mut client_rpc = common::relay_client(&relay.url()).await?;
    let mut results = 0;
    for q in &queries {
        results += client_rpc.search_opportunities(q.request()).await?.into_inner().items.len();
    }
    let pid = relay.daemon.pid().context("the relay runs")?;
    let (peak, rss) = memory_of(pid)?;
    let stats = client_rpc.get_stats(kith_proto::v1::StatsRequest {}).await?.into_inner();
    relay.stop().await;

    eprintln!("memory: loading PostgreSQL");
    let table = "bench_memory";
    pg::create_table(&client, table).await?;
    let rows =
        data.listings.iter().map(|l| crate::query::opportunity_row(data.hubs[l.hub].as_str(), &l.item, l.created_ms));
    pg::copy_rows(&client, table, rows).await?;
    pg::create_indexes(&client, table).await?;
    let (heap, indexes, total) = pg::sizes(&client, table).await?;

    Ok(Section {
        command: "memory",
        setup: format!(
            "{} opportunities of {} hubs loaded by a kith-relay process ({} in its view), then 100 searches ({} results)",
            args.opportunities, args.hubs, stats.opportunities, results
        ),
        baseline: "PostgreSQL table + TOAST + indexes (pg_total_relation_size) of the same listings; raw record bytes"
            .into(),
        figures: vec![
            Figure::new("peak RSS vs PostgreSQL table+indexes", "MiB", Better::Lower, peak, Some(total as f64 / MIB))
                .goal("kith < 512 MiB at 1M"),
            Figure::new("peak RSS vs raw record bytes", "MiB", Better::Lower, peak, Some(raw_bytes as f64 / MIB)),
        ],
        notes: vec![
            format!("kith-relay RSS after the searches: {rss:.1} MiB (peak VmHWM {peak:.1} MiB)"),
            format!(
                "postgres: table with TOAST {:.1} MiB, indexes {:.1} MiB, total {:.1} MiB",
                heap as f64 / MIB,
                indexes as f64 / MIB,
                total as f64 / MIB
            ),
            format!("raw records (postcard, with keys): {:.1} MiB", raw_bytes as f64 / MIB),
        ],
    })
}
