//! `kith-hub`: parses flags into a [`kith_hub::Config`], sets up logging, runs the hub
//! until SIGINT or SIGTERM.

use anyhow::Context;
use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

/// The Kith hub daemon: a user-led group's listings, published to its region.
///
/// Reads DIR/hub.toml written by `kith init`. Flags override KITH_* environment
/// variables, which override hub.toml.
#[derive(Parser, Debug)]
#[command(name = "kith-hub", version)]
struct Flags {
    /// The hub directory created by `kith init`.
    #[arg(long, env = "KITH_HUB_DIR")]
    dir: PathBuf,
    /// NATS server URL, or several separated by commas (overrides nats_url in hub.toml).
    #[arg(long, env = "KITH_NATS_URL")]
    nats: Option<String>,
    /// NATS credentials file for this hub's user (overrides nats_creds in hub.toml).
    #[arg(long, env = "KITH_NATS_CREDS")]
    nats_creds: Option<PathBuf>,
    /// The CA that signed the NATS server's certificate: TLS to NATS, the server
    /// checked against it (overrides nats_ca in hub.toml).
    #[arg(long, env = "KITH_NATS_CA")]
    nats_ca: Option<PathBuf>,
    /// The region's roster, signed by its coordinator (overrides roster in hub.toml).
    #[arg(long, env = "KITH_ROSTER")]
    roster: Option<PathBuf>,
    /// Address of the admin gRPC API (overrides admin_listen in hub.toml).
    #[arg(long, env = "KITH_ADMIN_LISTEN")]
    admin_listen: Option<SocketAddr>,
    /// Serve the group's desk (its web pages for its workers) on ADDR: loopback
    /// unless admin_tls_cert is set, then over TLS (overrides desk_listen in hub.toml).
    #[arg(long, env = "KITH_DESK_LISTEN", value_name = "ADDR")]
    desk_listen: Option<SocketAddr>,
    /// Seconds between profile heartbeats (overrides heartbeat_secs in hub.toml).
    #[arg(long, env = "KITH_HEARTBEAT_SECS", value_parser = clap::value_parser!(u64).range(1..))]
    heartbeat_secs: Option<u64>,
    /// Serve Prometheus metrics at http://ADDR/metrics (off unless given).
    #[arg(long, env = "KITH_METRICS_LISTEN", value_name = "ADDR")]
    metrics_listen: Option<SocketAddr>,
    /// Outbox entries published before waiting for their acknowledgements.
    #[arg(long, env = "KITH_PUBLISH_WINDOW", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    publish_window: u64,
}

fn main() -> std::process::ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("kith-hub: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(hub()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // One line, causes included; the logs have the details.
            eprintln!("kith-hub: {}", kith_proto::report::one_line(e.chain()));
            std::process::ExitCode::FAILURE
        }
    }
}

async fn hub() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,async_nats=warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let flags = Flags::parse();
    let mut config = kith_hub::Config::load(&flags.dir).context("cannot load the hub configuration")?;
    if let Some(url) = flags.nats {
        config.file.nats_url = url;
    }
    if let Some(creds) = flags.nats_creds {
        config.file.nats_creds = Some(creds);
    }
    if let Some(ca) = flags.nats_ca {
        config.file.nats_ca = Some(ca);
    }
    if let Some(roster) = flags.roster {
        config.file.roster = Some(roster);
    }
    if let Some(addr) = flags.admin_listen {
        config.file.admin_listen = addr;
    }
    if let Some(addr) = flags.desk_listen {
        config.file.desk_listen = Some(addr);
    }
    if let Some(secs) = flags.heartbeat_secs {
        config.file.heartbeat_secs = secs;
    }
    config.publish_window = flags.publish_window as usize;
    config.metrics_listen = flags.metrics_listen;
    kith_hub::run(config, kith_daemon::shutdown::signal()).await.context("hub stopped")?;
    Ok(())
}
