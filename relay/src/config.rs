//! The relay's configuration. `main.rs` fills it from flags and `KITH_*` variables;
//! tests build it with [`Config::new`].

use std::path::PathBuf;
use std::time::Duration;
use thiserror::Error;

use kith_proto::Slug;

use crate::clock::RegionClock;

/// What a region says about money, for people on benefits and for paid involvement.
/// The board marks opportunities against these and links to the advice; it gives
/// no advice itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Money {
    /// The most a person may earn in a week without it touching their benefits
    /// (e.g. the Permitted Work limit), in pence.
    pub weekly_limit_pence: Option<u64>,
    /// The least paid involvement should pay an hour, in pence.
    pub fair_rate_pence: Option<u32>,
    /// Who to ask about benefits and work: a name and a number or an address.
    pub benefits_advice: String,
}

use crate::view::Quota;
/// Reads an amount of money in pounds: `195.50`, `£195.50`, `195`.
pub use kith_proto::validate::parse_pounds;

/// Where the query API listens unless told otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:7500";
/// Where the HTTP API (HSDS) listens unless told otherwise.
pub const DEFAULT_HTTP_LISTEN: &str = "127.0.0.1:8080";
/// The durable consumer's name unless told otherwise.
pub const DEFAULT_NAME: &str = "relay";
/// How long one query may run before it is stopped.
pub const DEFAULT_QUERY_TIMEOUT: Duration = Duration::from_secs(2);
/// How many queries run at once; more wait for a turn (within their deadline).
pub const DEFAULT_MAX_QUERIES: usize = 4;
/// How long the view may go without a checkpoint while records change.
pub const DEFAULT_CHECKPOINT_INTERVAL: Duration = Duration::from_secs(300);
/// Records changed since the last checkpoint that call for the next one sooner: a
/// crash restart puts back at most about this many records over the checkpoint.
pub const CHECKPOINT_CHANGES: u64 = 50_000;
/// Between two checkpoints, at least this many times as long as the last one took
/// (and at least [`CHECKPOINT_GAP`]): a relay replaying a whole stream spends at most
/// a fifth of its time writing checkpoints, and a crash puts back a few seconds'
/// worth of changes at most.
pub const CHECKPOINT_SPACING: u32 = 4;
/// The least time between two checkpoints (or the interval, when shorter).
pub const CHECKPOINT_GAP: Duration = Duration::from_secs(5);

#[derive(Clone, Debug)]
pub struct Config {
    /// The region whose stream is consumed (`KITH_<REGION>`).
    pub region: Slug,
    /// The NATS server (or a comma-separated list of a cluster's servers).
    pub nats_url: String,
    /// The relay's own directory: its sled store lives in `dir/store`.
    pub dir: PathBuf,
    /// The durable consumer's name. Each relay of a region that keeps its own view
    /// needs its own name: two relays sharing one consumer would each see only part
    /// of the stream.
    pub name: String,
    /// Replicas of the region's stream, used only when the relay creates it.
    pub replicas: usize,
    /// Drop the stored view and rebuild it from the stream.
    pub rebuild: bool,
    /// A NATS `.creds` file for the relay's NATS user, where the region uses them.
    pub nats_creds: Option<PathBuf>,
    /// The CA that signed the NATS server's certificate: TLS, checked against it.
    pub nats_ca: Option<PathBuf>,
    /// Hubs to forget, pinned key and all, before starting: hubs that lost their keys
    /// and were set up again.
    pub unpin: Vec<Slug>,
    /// A region's own synonyms, added to the built-in list (`text/synonyms.txt`).
    pub synonyms: Option<PathBuf>,
    /// A region's own names for towns and villages (`Hebden Bridge = HX7`, one a
    /// line), before the postcode areas' towns ([`kith_text::places`]).
    pub places: Option<PathBuf>,
    /// A query running longer is stopped with `DeadlineExceeded`, so that one costly
    /// query cannot hold the view.
    pub query_timeout: Duration,
    /// Queries running at once. Queries run on their own threads, so that however
    /// many arrive, ingest keeps its share of the machine.
    pub max_queries: usize,
    /// What each hub may hold in the view.
    pub quota: Quota,
    /// The region stream's size limit, when the relay creates it.
    pub stream_max_bytes: i64,
    /// The region's local time, and how long a service's entry holds unconfirmed.
    pub clock: RegionClock,
    /// The region's earnings limit, fair rate and benefits advice.
    pub money: Money,
    /// Requests a second each client may make of the HTTP listener (None: no limit).
    pub http_per_client: Option<std::num::NonZeroU32>,
    /// Requests a second each client may make of the gRPC API (None: no limit).
    pub grpc_per_client: Option<std::num::NonZeroU32>,
    /// Connections the HTTP listener holds, per client and in all.
    pub http_connections: crate::connections::ConnLimits,
    /// Whether `/metrics` answers clients beyond loopback.
    pub metrics_public: bool,
    /// The board's public address, printed on the directory's title page.
    pub public_url: Option<String>,
    /// The region's roster (`--roster`), its signature checked: hubs' keys come from
    /// it rather than from their first profile, and a hub off it is not listened to.
    /// `None`: trust on first use.
    pub roster: Option<std::sync::Arc<kith_proto::roster::Roster>>,
    /// Hubs not listened to (`--revoke`): their events are refused and counted, and
    /// nothing of theirs stays in the view.
    pub revoked: std::collections::BTreeSet<Slug>,
    /// A national view (`--national`): the regions whose streams the stream of
    /// `region` (then the national view's name) sources. Empty: a region's relay.
    pub national: Vec<kith_proto::stream::RegionSource>,
    /// The region coordinator's token (`--coordinator-token-file`): per-hub referral
    /// figures are answered only to a request carrying it. `None`: to nobody.
    pub coordinator_token: Option<String>,
    /// How long the view may go without a checkpoint while records change
    /// ([`crate::snapshot`]); sooner after [`CHECKPOINT_CHANGES`] changes.
    pub checkpoint_interval: Duration,
    /// Opportunities' bodies read from the store for a page rather than held in
    /// memory (`--bodies-in-store`): about 400 MB less at a million opportunities,
    /// for slower pages (a store read per listing shown).
    pub bodies_in_store: bool,
}

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("name: {0}")]
    Name(String),
    #[error("nats url {url:?}: {why}")]
    NatsUrl { url: String, why: String },
    #[error("replicas: must be 1 to 5 (got {0})")]
    Replicas(usize),
    #[error("max queries: must be 1 to 1024 (got {0})")]
    MaxQueries(usize),
    #[error("query timeout: must be 1 ms to 1 minute (got {0:?})")]
    QueryTimeout(Duration),
}

impl Config {
    /// A configuration with the default consumer name, one replica, and no rebuild.
    pub fn new(region: Slug, nats_url: impl Into<String>, dir: impl Into<PathBuf>) -> Config {
        Config {
            region,
            nats_url: nats_url.into(),
            dir: dir.into(),
            name: DEFAULT_NAME.to_owned(),
            replicas: 1,
            rebuild: false,
            nats_creds: None,
            nats_ca: None,
            unpin: Vec::new(),
            synonyms: None,
            places: None,
            query_timeout: DEFAULT_QUERY_TIMEOUT,
            max_queries: DEFAULT_MAX_QUERIES,
            quota: Quota::default(),
            stream_max_bytes: kith_proto::stream::DEFAULT_MAX_BYTES,
            clock: RegionClock::default(),
            money: Money::default(),
            http_per_client: std::num::NonZeroU32::new(crate::throttle::DEFAULT_PER_SECOND),
            grpc_per_client: std::num::NonZeroU32::new(crate::throttle::DEFAULT_GRPC_PER_SECOND),
            http_connections: Default::default(),
            metrics_public: false,
            public_url: None,
            roster: None,
            revoked: Default::default(),
            national: Vec::new(),
            coordinator_token: None,
            checkpoint_interval: DEFAULT_CHECKPOINT_INTERVAL,
            bodies_in_store: false,
        }
    }

    /// Why `hub` is not listened to (a reason for the counters), if it is not:
    /// revoked, or off the region's roster.
    pub fn excluded(&self, hub: &Slug) -> Option<&'static str> {
        if self.revoked.contains(hub) {
            return Some("revoked");
        }
        match &self.roster {
            Some(roster) if roster.key(hub).is_none() => Some("not-on-roster"),
            _ => None,
        }
    }

    /// The key the roster gives `hub`: trusted where a first profile would be.
    pub fn roster_key(&self, hub: &Slug) -> Option<ed25519_dalek::VerifyingKey> {
        self.roster.as_ref().and_then(|r| r.key(hub).copied())
    }

    /// Checks what the relay would otherwise only discover once it talks to NATS.
    pub fn validate(&self) -> Result<(), ConfigError> {
        consumer_name(&self.name).map_err(ConfigError::Name)?;
        kith_daemon::nats::parse_servers(&self.nats_url)
            .map_err(|e| ConfigError::NatsUrl { url: kith_daemon::nats::redact(&self.nats_url), why: e.to_string() })?;
        if !(1..=5).contains(&self.replicas) {
            return Err(ConfigError::Replicas(self.replicas));
        }
        if !(1..=1024).contains(&self.max_queries) {
            return Err(ConfigError::MaxQueries(self.max_queries));
        }
        if !(Duration::from_millis(1)..=Duration::from_secs(60)).contains(&self.query_timeout) {
            return Err(ConfigError::QueryTimeout(self.query_timeout));
        }
        Ok(())
    }
}

/// Checks a durable consumer name: JetStream refuses `.`, `*`, `>`, whitespace and
/// path separators in it.
pub fn consumer_name(name: &str) -> Result<String, String> {
    if name.is_empty() || name.len() > 64 {
        return Err(format!("must be 1 to 64 characters (got {})", name.len()));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return Err(format!("must use only letters, digits, - and _ (found {c:?})"));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::new(Slug::parse("region", "wy").unwrap(), "nats://127.0.0.1:4222", "/tmp/x")
    }

    #[test]
    fn pounds_read_as_people_write_them() {
        assert_eq!(parse_pounds("195.50"), Ok(19_550));
        assert_eq!(parse_pounds("£195.5"), Ok(19_550));
        assert_eq!(parse_pounds("25"), Ok(2_500));
        for bad in ["", "£", "12.345", "-5", "ten", "1e3"] {
            assert!(parse_pounds(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn validation_names_the_setting() {
        assert!(config().validate().is_ok());
        let c = Config { nats_url: "nats://a:4222, nats://b:4222".into(), ..config() };
        assert!(c.validate().is_ok());
        let c = Config { name: "relay.one".into(), ..config() };
        assert!(c.validate().unwrap_err().to_string().starts_with("name: "));
        let c = Config { replicas: 0, ..config() };
        assert!(c.validate().unwrap_err().to_string().starts_with("replicas: "));
        let c = Config { max_queries: 0, ..config() };
        assert!(c.validate().unwrap_err().to_string().starts_with("max queries: "));
        let c = Config { query_timeout: Duration::ZERO, ..config() };
        assert!(c.validate().unwrap_err().to_string().starts_with("query timeout: "));
        let c = Config { nats_url: "nats://host:notaport".into(), ..config() };
        assert!(c.validate().unwrap_err().to_string().starts_with("nats url "));
    }
}
