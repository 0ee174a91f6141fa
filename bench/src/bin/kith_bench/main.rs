//! `kith-bench`: Kith's figures beside a baseline measured in the same run, printed
//! as a table (or JSON with `--json`). It asserts nothing about timing.
//!
//! ```text
//! cargo build --release --workspace --bins                      # the daemons it runs
//! cargo build --release -p kith-tests --bin kith-bench          # add --features tantivy for tantivy's figures
//! target/release/kith-bench all
//! target/release/kith-bench query --opportunities 1000000 --hubs 1000
//! ```
//!
//! Every subcommand starts its own nats-server (on a free loopback port, with a
//! temporary store) and never uses another. `query` and `memory` need PostgreSQL
//! (`--pg`, `KITH_BENCH_PG`; default the local server, database `kith_bench`, created
//! if missing, its tables replaced each run).
//!
//! # Layout
//!
//! One file per subcommand: [`ingest`], [`load`], [`rebuild`], [`restart`], [`query`],
//! [`freshness`], [`memory`], [`board`]; [`common`] has the figures and their printing, the
//! processes and the raw JetStream pipeline; [`data`] the synthetic region and its
//! queries; [`pg`] PostgreSQL's schema and SQL; `tantivy_engine` tantivy's.

/// The relay's allocator (`kith-relay`'s `src/main.rs`): a relay run in this process
/// allocates as the shipped one does.
#[cfg(feature = "jemalloc")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

mod board;
mod common;
mod data;
mod desk;
mod freshness;
mod ingest;
mod load;
mod memory;
mod pg;
mod query;
mod rebuild;
mod restart;
#[cfg(feature = "tantivy")]
mod tantivy_engine;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

use common::Section;

/// Kith's throughput, latency and memory beside a baseline from the same run.
#[derive(Debug, Parser)]
#[command(name = "kith-bench")]
struct Cli {
    /// Print the figures as JSON instead of tables.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Events from hubs' outboxes to a relay's view, against raw JetStream.
    Ingest(ingest::IngestArgs),
    /// One relay under many hubs' steady changes: lag and memory, against raw JetStream.
    Load(load::LoadArgs),
    /// A relay replaying the stream from an empty directory, against a raw consumer.
    Rebuild(rebuild::RebuildArgs),
    /// A relay process with a full store: start to first answered search.
    Restart(restart::RestartArgs),
    /// Search latency and relevance against PostgreSQL (and tantivy).
    Query(query::QueryArgs),
    /// Write answered at the hub → visible at the relay, against raw JetStream.
    Freshness(freshness::FreshnessArgs),
    /// Peak memory of a relay process, against the data's size in PostgreSQL.
    Memory(memory::MemoryArgs),
    /// Time to first byte of the board's pages, against the same searches over gRPC.
    Board(board::BoardArgs),
    /// Time to first byte of a hub's desk pages, against the admin gRPC calls for the same.
    Desk(desk::DeskArgs),
    /// Every subcommand at modest sizes.
    All {
        /// PostgreSQL URL, for query and memory.
        #[arg(long, env = "KITH_BENCH_PG", default_value = common::DEFAULT_PG)]
        pg: String,
    },
}

impl Command {
    fn name(&self) -> &'static str {
        match self {
            Command::Ingest(_) => "ingest",
            Command::Load(_) => "load",
            Command::Rebuild(_) => "rebuild",
            Command::Restart(_) => "restart",
            Command::Query(_) => "query",
            Command::Freshness(_) => "freshness",
            Command::Memory(_) => "memory",
            Command::Board(_) => "board",
            Command::Desk(_) => "desk",
            Command::All { .. } => "all",
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let name = cli.command.name();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("kith-bench {name}: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let json = cli.json;
    match runtime.block_on(run(cli.command, json)) {
        Ok(sections) => {
            if json {
                match serde_json::to_string_pretty(&sections) {
                    Ok(text) => println!("{text}"),
                    Err(e) => {
                        eprintln!("kith-bench {name}: {e}");
                        return ExitCode::FAILURE;
                    }
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kith-bench {name}: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a command; tables are printed as each section is done, JSON at the end.
async fn run(command: Command, json: bool) -> anyhow::Result<Vec<Section>> {
    let mut sections = Vec::new();
    let mut done = |s: Section| {
        if !json {
            common::print_table(&s);
        }
        sections.push(s);
    };
    match command {
        Command::Ingest(a) => done(ingest::run(&a).await?),
        Command::Load(a) => done(load::run(&a).await?),
        Command::Rebuild(a) => done(rebuild::run(&a).await?),
        Command::Restart(a) => done(restart::run(&a).await?),
        Command::Query(a) => done(query::run(&a).await?),
        Command::Freshness(a) => done(freshness::run(&a).await?),
        Command::Memory(a) => done(memory::run(&a).await?),
        Command::Board(a) => done(board::run(&a).await?),
        Command::Desk(a) => done(desk::run(&a).await?),
        Command::All { pg } => {
            // Each step says which one failed; the ones before are kept.
            done(
                ingest::run(&ingest::IngestArgs { hubs: 10, events: 20_000, window: 256 })
                    .await
                    .map_err(|e| e.context("ingest"))?,
            );
            done(
                load::run(&load::LoadArgs { hubs: 50, rate: 100, seconds: 30, listings: 20 })
                    .await
                    .map_err(|e| e.context("load"))?,
            );
            done(
                rebuild::run(&rebuild::RebuildArgs { events: 50_000, hubs: 10 })
                    .await
                    .map_err(|e| e.context("rebuild"))?,
            );
            done(
                restart::run(&restart::RestartArgs { opportunities: 100_000, hubs: 100, runs: 3 })
                    .await
                    .map_err(|e| e.context("restart"))?,
            );
            let query = query::QueryArgs {
                opportunities: 100_000,
                hubs: 100,
                queries: 10_000,
                pg: pg.clone(),
                seed: 2026,
                bodies_in_store: false,
            };
            done(query::run(&query).await.map_err(|e| e.context("query"))?);
            let fresh = freshness::FreshnessArgs { rate: 1000, seconds: 10, sample_every: 20 };
            done(freshness::run(&fresh).await.map_err(|e| e.context("freshness"))?);
            done(
                memory::run(&memory::MemoryArgs { opportunities: 100_000, hubs: 100, pg, bodies_in_store: false })
                    .await
                    .map_err(|e| e.context("memory"))?,
            );
            done(
                board::run(&board::BoardArgs { opportunities: 100_000, hubs: 100, queries: 2_000, seed: 2026 })
                    .await
                    .map_err(|e| e.context("board"))?,
            );
            done(desk::run(&desk::DeskArgs { listings: 20_000, requests: 200 }).await.map_err(|e| e.context("desk"))?);
        }
    }
    Ok(sections)
}
