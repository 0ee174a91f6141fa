//! `kith-relay`: the regional relay daemon. Parses flags (each also read from a
//! `KITH_*` variable) into a [`kith_relay::Config`], sets up logging (`RUST_LOG`,
//! default `info`), and runs the relay until Ctrl-C or SIGTERM.

use anyhow::Context;
use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

use kith_proto::Slug;
use kith_relay::clock::{self, RegionClock};
use kith_relay::config::{self, Config};
use kith_relay::view::Quota;

/// jemalloc: a relay holds millions of small posting chunks and words, grown on
/// ingest's and the loaders' threads; measured at a million listings, the view
/// takes about 110 MiB less under jemalloc than under glibc's malloc (mimalloc:
/// 50 MiB more; BENCHMARKS.md, "Memory at 1M").
#[cfg(feature = "jemalloc")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The Kith regional relay: verifies what the region's hubs publish and answers
/// region queries.
///
/// The view is kept in DIR/store, so a restart resumes where it left off. A new DIR,
/// or --rebuild, replays the region's whole stream into a fresh view.
#[derive(Debug, Parser)]
#[command(name = "kith-relay", version)]
struct Args {
    /// The region to serve (a slug, e.g. west-yorkshire).
    #[arg(long, env = "KITH_REGION", value_parser = parse_region)]
    region: Slug,

    /// NATS server URL (comma-separated for a cluster).
    #[arg(long = "nats", env = "KITH_NATS_URL", value_name = "URL")]
    nats_url: String,

    /// Forget this hub and its pinned key before starting (repeatable): for a hub that
    /// lost its keys and was set up again. Its next profile is trusted on first use.
    #[arg(long, value_name = "HUB", value_parser = parse_region)]
    unpin: Vec<Slug>,

    /// The region's roster (written by `kith region roster`, signed by its
    /// coordinator): hubs' keys come from it instead of their first profile, and a hub
    /// not on it is not listened to.
    #[arg(long, env = "KITH_RELAY_ROSTER", value_name = "FILE", requires = "roster_coordinator")]
    roster: Option<PathBuf>,

    /// A file (mode 0600) holding the region coordinator's token: per-hub referral
    /// figures in GetStats (`kith region stats`) are answered only to a request
    /// carrying it. Without it, to nobody: polled by anyone, they would tell when a
    /// refuge receives a referral.
    #[arg(long, env = "KITH_RELAY_COORDINATOR_TOKEN_FILE", value_name = "FILE")]
    coordinator_token_file: Option<PathBuf>,

    /// The coordinator's public key (hex), as the coordinator gave it: the roster must
    /// be signed by it (required with --roster: a roster cannot vouch for itself).
    #[arg(long, env = "KITH_RELAY_ROSTER_COORDINATOR", value_name = "KEY", requires = "roster", value_parser = parse_key)]
    roster_coordinator: Option<ed25519_dalek::VerifyingKey>,

    /// Stop listening to this hub (repeatable, or comma-separated): its events are
    /// refused and counted, and its listings leave the view.
    #[arg(long, env = "KITH_RELAY_REVOKE", value_name = "HUB", value_parser = parse_region, value_delimiter = ',')]
    revoke: Vec<Slug>,

    /// Serve a national view: --region names it, and its stream sources the streams
    /// of the regions given with --source.
    #[arg(long, env = "KITH_RELAY_NATIONAL", requires = "source")]
    national: bool,

    /// A region of the national view (repeatable, or comma-separated): REGION, or
    /// REGION@DOMAIN when its stream is in another JetStream domain.
    #[arg(
        long,
        env = "KITH_RELAY_SOURCES",
        value_name = "REGION[@DOMAIN]",
        value_delimiter = ',',
        requires = "national"
    )]
    source: Vec<kith_proto::stream::RegionSource>,

    /// NATS credentials file for the relay's user.
    #[arg(long, env = "KITH_NATS_CREDS", value_name = "FILE")]
    nats_creds: Option<PathBuf>,

    /// The CA that signed the NATS server's certificate: TLS to NATS, the server
    /// checked against it. A `tls://` URL also means TLS (checked against the
    /// system's roots).
    #[arg(long, env = "KITH_RELAY_NATS_CA", value_name = "FILE")]
    nats_ca: Option<PathBuf>,

    /// Address of the query gRPC API.
    #[arg(long, env = "KITH_RELAY_LISTEN", value_name = "ADDR", default_value = config::DEFAULT_LISTEN)]
    listen: SocketAddr,

    /// Address of the HTTP API (the region as Open Referral HSDS 3 JSON), or "off".
    #[arg(long, env = "KITH_RELAY_HTTP_LISTEN", value_name = "ADDR", default_value = config::DEFAULT_HTTP_LISTEN, value_parser = parse_http_listen)]
    http_listen: HttpListen,

    /// Requests a second each client (an IP address; an IPv6 /64) may make of the
    /// HTTP listener, in bursts of three seconds' worth; more are answered 429.
    /// 0 turns the limit off.
    #[arg(long, env = "KITH_RELAY_HTTP_RATE_PER_CLIENT", value_name = "N", default_value_t = kith_relay::throttle::DEFAULT_PER_SECOND)]
    http_rate_per_client: u32,

    /// Requests a second each client address (an IPv6 /64) may make of the gRPC API,
    /// in bursts of three seconds' worth; more are answered RESOURCE_EXHAUSTED. 0 for
    /// no limit.
    #[arg(long, env = "KITH_RELAY_GRPC_RATE_PER_CLIENT", value_name = "N", default_value_t = kith_relay::throttle::DEFAULT_GRPC_PER_SECOND)]
    grpc_rate_per_client: u32,

    /// Connections the HTTP listener holds at once, all clients together; one more is
    /// closed as soon as it is accepted.
    #[arg(long, env = "KITH_RELAY_HTTP_MAX_CONNECTIONS", value_name = "N", default_value_t = 4096)]
    http_max_connections: usize,

    /// The board's public address (https://board.example.org/), printed on the
    /// printed directory's title page; without it none is printed.
    #[arg(long, env = "KITH_RELAY_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,

    /// Serve /metrics to any client, not only to this machine (loopback): for a
    /// Prometheus elsewhere, behind a firewall that lets only it through.
    #[arg(long, env = "KITH_RELAY_METRICS_PUBLIC")]
    metrics_public: bool,

    /// A reverse proxy's address or network (CIDR, repeatable): from it, the client is
    /// the address in its X-Forwarded-For or Forwarded header, for the per-client
    /// limits; from anyone else those headers are ignored.
    #[arg(long, env = "KITH_RELAY_TRUST_PROXY", value_name = "CIDR", value_delimiter = ',')]
    trust_proxy: Vec<ipnet::IpNet>,

    /// Connections one client (an IPv6 client by its /64) may hold at once.
    #[arg(long, env = "KITH_RELAY_HTTP_CONNECTIONS_PER_CLIENT", value_name = "N", default_value_t = 64)]
    http_connections_per_client: usize,

    /// The relay's directory; its store lives in DIR/store.
    #[arg(long, env = "KITH_RELAY_DIR", value_name = "DIR")]
    dir: PathBuf,

    /// Name of the relay's durable JetStream consumer. Give each relay of a region its
    /// own name.
    #[arg(long, env = "KITH_RELAY_NAME", default_value = config::DEFAULT_NAME, value_parser = config::consumer_name)]
    name: String,

    /// Replicas of the region's stream, if the relay is the one that creates it.
    #[arg(long, env = "KITH_RELAY_REPLICAS", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=5))]
    replicas: u8,

    /// Drop the stored view and rebuild it from the region's stream.
    #[arg(long, env = "KITH_RELAY_REBUILD")]
    rebuild: bool,

    /// The region's own synonyms (one group of words per line, comma-separated),
    /// added to the built-in list.
    #[arg(long, env = "KITH_RELAY_SYNONYMS", value_name = "FILE")]
    synonyms: Option<PathBuf>,

    /// The region's own names for towns and villages, one `Name = DISTRICT` a line
    /// ("Hebden Bridge = HX7"), so that searches near them, and listings in them,
    /// are placed; they come before the postcode areas' towns.
    #[arg(long, env = "KITH_RELAY_PLACES", value_name = "FILE")]
    places: Option<PathBuf>,

    /// How long the view may go without a checkpoint while records change (e.g. 5m):
    /// a restart, after a crash too, reads the last one and the records changed
    /// since. Sooner after 50,000 changes.
    #[arg(long, env = "KITH_RELAY_CHECKPOINT_INTERVAL", value_name = "DURATION", default_value = "5m", value_parser = humantime::parse_duration)]
    checkpoint_interval: std::time::Duration,

    /// Keep opportunities without their bodies, reading a page's from the store:
    /// about 400 MB less memory at a million opportunities, for slower pages (at 1M,
    /// query p99 about 2.5 times as long). For a national view on a small machine.
    #[arg(long, env = "KITH_RELAY_BODIES_IN_STORE")]
    bodies_in_store: bool,

    /// How long one query may run before it is stopped (e.g. 2s, 500ms).
    #[arg(long, env = "KITH_RELAY_QUERY_TIMEOUT", value_name = "DURATION", default_value = "2s", value_parser = humantime::parse_duration)]
    query_timeout: std::time::Duration,

    /// Live listings one hub may have in the view; more are refused and counted.
    #[arg(long, env = "KITH_RELAY_QUOTA_ENTITIES", value_name = "N", default_value_t = Quota::default().entities)]
    quota_entities: u64,

    /// Withdrawn listings one hub may have the view remember.
    #[arg(long, env = "KITH_RELAY_QUOTA_TOMBSTONES", value_name = "N", default_value_t = Quota::default().tombstones)]
    quota_tombstones: u64,

    /// Referral sides one hub may have published.
    #[arg(long, env = "KITH_RELAY_QUOTA_REFERRALS", value_name = "N", default_value_t = Quota::default().referral_sides)]
    quota_referrals: u64,

    /// Encoded bytes of one hub's live listings.
    #[arg(long, env = "KITH_RELAY_QUOTA_BYTES", value_name = "BYTES", default_value_t = Quota::default().bytes)]
    quota_bytes: u64,

    /// Size limit of the region's stream, if the relay is the one that creates it.
    /// Past it JetStream refuses new messages (hubs keep them in their outboxes);
    /// nothing already in the stream is dropped.
    #[arg(long, env = "KITH_RELAY_STREAM_MAX_BYTES", value_name = "BYTES", default_value_t = kith_proto::stream::DEFAULT_MAX_BYTES)]
    stream_max_bytes: i64,

    /// How many queries run at once; more wait for a turn within their timeout.
    #[arg(long, env = "KITH_RELAY_MAX_QUERIES", value_name = "N", default_value_t = config::DEFAULT_MAX_QUERIES)]
    max_queries: usize,

    /// The weekly earnings limit people on benefits may earn within (e.g. the
    /// Permitted Work limit), in pounds: the board marks work that fits and can
    /// show only that.
    #[arg(long, env = "KITH_RELAY_EARNINGS_LIMIT", value_name = "POUNDS", value_parser = config::parse_pounds)]
    earnings_limit: Option<u64>,

    /// The least paid involvement should pay an hour, in pounds: offers below it are marked.
    #[arg(long, env = "KITH_RELAY_FAIR_RATE", value_name = "POUNDS", value_parser = config::parse_pounds)]
    fair_rate: Option<u64>,

    /// Who to ask about benefits and work, shown beside the earnings limit (a name
    /// and a phone number or web address).
    #[arg(long, env = "KITH_RELAY_BENEFITS_ADVICE", value_name = "TEXT", default_value = "")]
    benefits_advice: String,

    /// The region's time zone (IANA name): services' opening hours are in it.
    #[arg(long, env = "KITH_RELAY_TIME_ZONE", value_name = "ZONE", default_value = clock::DEFAULT_TIME_ZONE)]
    time_zone: String,

    /// A service whose hub has not confirmed it for longer than this is shown as
    /// "not confirmed since <date>" (e.g. 365days, 6months).
    #[arg(long, env = "KITH_RELAY_CONFIRM_WITHIN", value_name = "DURATION", default_value = "365days", value_parser = humantime::parse_duration)]
    confirm_within: std::time::Duration,
}

/// `--http-listen`: an address, or off.
#[derive(Clone, Debug)]
enum HttpListen {
    Off,
    At(SocketAddr),
}

fn parse_http_listen(value: &str) -> Result<HttpListen, String> {
    match value.trim() {
        "off" => Ok(HttpListen::Off),
        v => v
            .parse()
            .map(HttpListen::At)
            .map_err(|_| format!("must be an address such as 127.0.0.1:8080, or off (got {v:?})")),
    }
}

fn parse_key(value: &str) -> Result<ed25519_dalek::VerifyingKey, String> {
    kith_proto::roster::key(value)
}

fn parse_region(value: &str) -> Result<Slug, String> {
    Slug::parse("region", value).map_err(|e| e.problem)
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("kith-relay: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(relay(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, causes included; the logs have the details.
            eprintln!("kith-relay: {}", kith_proto::report::one_line(e.chain()));
            ExitCode::FAILURE
        }
    }
}

async fn relay(args: Args) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let roster = match (&args.roster, &args.roster_coordinator) {
        (Some(path), Some(coordinator)) => {
            let roster = kith_proto::roster::Roster::load(path, &args.region, coordinator)?;
            tracing::info!(
                roster = %path.display(),
                version = roster.version,
                hubs = roster.hubs.len(),
                coordinator = %kith_proto::keys::hex(roster.coordinator.as_bytes()),
                "the region's roster: only its hubs are listened to"
            );
            Some(std::sync::Arc::new(roster))
        }
        // clap requires the coordinator with a roster.
        _ => None,
    };
    let config = Config {
        region: args.region,
        nats_url: args.nats_url,
        dir: args.dir,
        name: args.name,
        replicas: usize::from(args.replicas),
        rebuild: args.rebuild,
        nats_creds: args.nats_creds,
        nats_ca: args.nats_ca,
        unpin: args.unpin,
        roster,
        revoked: args.revoke.into_iter().collect(),
        national: args.source,
        coordinator_token: match &args.coordinator_token_file {
            Some(path) => Some(read_token(path)?),
            None => None,
        },
        synonyms: args.synonyms,
        places: args.places,
        query_timeout: args.query_timeout,
        checkpoint_interval: args.checkpoint_interval,
        bodies_in_store: args.bodies_in_store,
        max_queries: args.max_queries,
        quota: Quota {
            entities: args.quota_entities,
            tombstones: args.quota_tombstones,
            referral_sides: args.quota_referrals,
            bytes: args.quota_bytes,
        },
        stream_max_bytes: args.stream_max_bytes,
        http_per_client: std::num::NonZeroU32::new(args.http_rate_per_client),
        metrics_public: args.metrics_public,
        public_url: args.public_url.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty()),
        grpc_per_client: std::num::NonZeroU32::new(args.grpc_rate_per_client),
        http_connections: kith_relay::connections::ConnLimits {
            total: args.http_max_connections.max(1),
            per_client: args.http_connections_per_client.max(1),
            trusted_proxies: args.trust_proxy,
        },
        clock: RegionClock::new(&args.time_zone, args.confirm_within)
            .map_err(|why| anyhow::anyhow!("--time-zone: {why}"))?,
        money: config::Money {
            weekly_limit_pence: args.earnings_limit,
            fair_rate_pence: args
                .fair_rate
                .map(u32::try_from)
                .transpose()
                .map_err(|_| anyhow::anyhow!("--fair-rate: too large"))?,
            benefits_advice: args.benefits_advice,
        },
    };
    let grpc = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let http = match args.http_listen {
        HttpListen::Off => None,
        HttpListen::At(addr) => Some(
            tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr} (--http-listen)"))?,
        ),
    };
    let listeners = kith_relay::Listeners { grpc, http };
    kith_relay::run(config, listeners, kith_daemon::shutdown::signal()).await.context("relay failed")?;
    Ok(())
}

/// The coordinator's token from `path`, which only the relay's user may read.
fn read_token(path: &std::path::Path) -> anyhow::Result<String> {
    use anyhow::Context;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).with_context(|| format!("--coordinator-token-file {}", path.display()))?;
        let mode = mode.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            anyhow::bail!(
                "--coordinator-token-file {}: mode is {mode:o}; a secret must be 0600 (chmod 600 {})",
                path.display(),
                path.display()
            );
        }
    }
    let token =
        std::fs::read_to_string(path).with_context(|| format!("--coordinator-token-file {}", path.display()))?;
    let token = token.trim().to_owned();
    if token.len() < 16 {
        anyhow::bail!("--coordinator-token-file {}: the token must be at least 16 characters", path.display());
    }
    Ok(token)
}
