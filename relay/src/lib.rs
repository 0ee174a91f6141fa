//! The Kith regional relay: consumes the region's JetStream stream, verifies every
//! event, keeps a queryable view of what the region's hubs publish, and answers the
//! `kith.v1.Region` gRPC API. It holds no personal data: of a referral it keeps only
//! the metadata both hubs publish in the open (who, to what kind of listing, status
//! steps), never the sealed notes about the person.
//!
//! # Layout
//!
//! - [`config`]: the relay's [`Config`]; [`clock`]: the region's local time, for
//!   services' opening hours.
//! - [`ingest`]: the durable consumer; verification, key pinning, batches flushed
//!   before they are acknowledged.
//! - [`view`]: the regional view in memory: hubs, and one file per family of
//!   listings with its query. Its only writer is ingest.
//! - [`pins`]: the hubs' pinned keys, owned by ingest.
//! - [`search`], [`synonyms`] and `kith_text`: how a query's words are analysed,
//!   widened and ranked.
//! - [`referrals`]: the view's referrals, metadata only, and their counts by status
//!   and per receiving hub.
//! - [`index`]: the inverted indexes and the newest-first intersection that keep a
//!   query's cost independent of the region's size.
//! - [`store`]: the relay's own sled store, so that a restart does not replay the
//!   stream; a cache of the stream, rebuilt from it when empty or on `--rebuild`.
//! - [`snapshot`]: checkpoints of the whole view, written while running and at a
//!   clean stop, so that a start (after a crash too) reads the last one and the
//!   records changed since instead of re-indexing every record of the store.
//! - [`query`]: the gRPC service over the view.
//! - [`http`] and [`board`]: the HTTP listener — the region as HSDS 3 JSON, and the
//!   board (search, listings, safe houses now, helpline and ward screens).
//!
//! [`run`] ties them together: it loads the view from the store, spawns ingest, serves
//! gRPC (with health and reflection) and, when given a listener for it, HTTP, and on shutdown
//! stops both and waits for them. [`Relay`] runs it in a task, for tests.
//!
//! # Running
//!
//! `kith-relay --region R --nats URL --listen ADDR --dir DIR` (or `KITH_REGION`,
//! `KITH_NATS_URL`, `KITH_RELAY_LISTEN`, `KITH_RELAY_DIR`). The view is kept in
//! `DIR/store`: a restart loads it and the durable consumer resumes where it was.
//! Ingest also writes checkpoints of the view to `DIR/view.snapshot` (every
//! `--checkpoint-interval` while records change, sooner after 50,000 changes, and at
//! a clean stop); a start reads the last one and puts back the records changed
//! since, after a crash too (seconds at a million listings instead of a minute).
//!
//! - **Rebuild.** A new or empty `DIR`, or `--rebuild`, clears the store and deletes
//!   and recreates the durable consumer, so the whole stream is replayed: the stream
//!   keeps the latest event of every entity, so the replay gives the same view. Keys
//!   are pinned again, from the hubs' profiles in the stream. A store this build
//!   cannot read is rebuilt the same way.
//! - **Several relays per region** each keep their own view: give each its own
//!   `--name` (`KITH_RELAY_NAME`), the name of its durable consumer. Two relays with
//!   the same name would share one consumer and each see only part of the stream.
//!   Page tokens follow entity ids, so a token from one relay works at another.
//! - **NATS down** is not an error: the relay serves the view it has and catches
//!   up when NATS is back. Counters ([`ingest::Counters`], `GetStats`) count since
//!   the process started.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use kith_proto::Slug;
//! let config = kith_relay::Config::new(Slug::parse("region", "wy")?, "nats://127.0.0.1:14222", "/tmp/relay");
//! let relay = kith_relay::Relay::start(config, "127.0.0.1:0".parse()?).await?;
//! let mut client = kith_proto::v1::region_client::RegionClient::connect(relay.url()).await?;
//! let stats = client.get_stats(kith_proto::v1::StatsRequest {}).await?.into_inner();
//! assert_eq!(stats.rejected.get("bad-signature"), None);
//! relay.shutdown().await?;
//! # Ok(())
//! # }
//! ```

pub mod asks;
pub mod board;
pub mod clock;
pub mod config;
pub mod connections;
pub mod http;
pub mod index;
pub mod ingest;
pub mod metrics;
pub mod needs;
pub mod pins;
pub mod query;
pub mod referrals;
pub mod search;
pub mod snapshot;
pub mod store;
pub use kith_text::synonyms;
pub mod throttle;
pub mod view;

use kith_text::places::Places;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use thiserror::Error;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;
use tonic::transport::server::TcpIncoming;
use tracing::{info, warn};

use kith_proto::event::Family;
use kith_proto::time::CivilDate;
use kith_proto::v1::region_server::RegionServer;

pub use config::Config;
use ingest::{Counters, Ingest, IngestError};
use store::{Store, StoreError};
use view::View;

/// Why the relay stopped or could not start.
#[derive(Debug, Error)]
pub enum Error {
    #[error("invalid configuration: {0}")]
    Config(#[from] config::ConfigError),
    #[error("synonyms: {0}")]
    Synonyms(#[from] synonyms::SynonymError),
    #[error("places file {path}: {why}")]
    Places { path: std::path::PathBuf, why: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the relay's key: {0}")]
    Key(String),
    /// The store failed while the relay ran (a full disk, say): it stops, and what
    /// it had not acknowledged is read again from the stream when it starts again.
    #[error(
        "the relay store in {} failed: {}; the relay stopped without acknowledging what it had not \
         written, and reads it again from the stream once started again (free space first)",
        dir.display(), cause.reason()
    )]
    StoreFailed { dir: std::path::PathBuf, cause: StoreError },
    #[error(transparent)]
    Snapshot(#[from] snapshot::SnapshotError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("gRPC server: {0}")]
    Serve(#[from] tonic::transport::Error),
    #[error(transparent)]
    Reflection(#[from] kith_daemon::grpc::ReflectionError),
    #[error("HTTP server: {0}")]
    Http(String),
    #[error("a relay task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error(
        "the roster given is version {version}, older than version {seen} which this relay has used: a roster \
         only moves forward (an older one may still list a hub since removed); give the latest, signed by the \
         coordinator"
    )]
    OlderRoster { version: u64, seen: u64 },
}

/// The state ingest writes and queries read: a cheap-to-clone handle.
#[derive(Clone)]
pub(crate) struct Shared {
    view: Arc<RwLock<View>>,
    counters: Arc<Mutex<Counters>>,
    metrics: Arc<metrics::Metrics>,
    /// Bumped after each batch that changed the view, for the board's live pages.
    changes: Arc<watch::Sender<u64>>,
    /// Where places are: the view's, to read a search's place without its lock.
    places: Arc<Places>,
    /// Ingest's NATS connection, once it has one (asks are sent on it).
    nats: Arc<std::sync::OnceLock<async_nats::Client>>,
    /// Sending asks; `None` for a national view, which takes none.
    asks: Option<asks::Sender>,
    /// Counting what people looked for and did not find; `None` for a national view.
    needs: Option<Arc<needs::Needs>>,
}

impl Shared {
    fn new(view: View) -> Shared {
        Shared {
            places: view.places().clone(),
            view: Arc::new(RwLock::new(view)),
            counters: Arc::default(),
            metrics: Arc::default(),
            changes: Arc::new(watch::Sender::new(0)),
            nats: Arc::default(),
            asks: None,
            needs: None,
        }
    }

    /// Counting needs, when this relay does.
    pub(crate) fn needs(&self) -> Option<&Arc<needs::Needs>> {
        self.needs.as_ref()
    }

    /// Sending asks, when this relay takes them.
    pub(crate) fn asks(&self) -> Option<&asks::Sender> {
        self.asks.as_ref()
    }

    /// Ingest's connection, for asks.
    pub(crate) fn set_nats(&self, client: async_nats::Client) {
        let _ = self.nats.set(client);
    }

    // A panic while holding a lock leaves the view as consistent as each single
    // update made it, so a poisoned lock is used rather than spreading the panic.
    pub(crate) fn view(&self) -> RwLockReadGuard<'_, View> {
        self.view.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn view_mut(&self) -> RwLockWriteGuard<'_, View> {
        self.view.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// The places the view places listings with.
    pub(crate) fn places(&self) -> &Places {
        &self.places
    }

    /// Says that the view changed (after a batch is on disk).
    pub(crate) fn changed(&self) {
        self.changes.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Wakes whenever the view has changed since.
    pub(crate) fn subscribe(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    pub(crate) fn counters(&self) -> MutexGuard<'_, Counters> {
        self.counters.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn metrics(&self) -> &metrics::Metrics {
        &self.metrics
    }
}

/// Loads the view: from the checkpoint the store was left with, when there is a
/// usable one, with the records changed since put back over it; or else from the
/// store's records, clearing a store that cannot be read (the view is then rebuilt
/// from the stream), and then the checkpoint and its file go.
fn load_view(
    store: &Store,
    dir: &std::path::Path,
    marker: Option<(ulid::Ulid, u64)>,
    today: CivilDate,
    places: &Arc<Places>,
    bodies_in_store: bool,
) -> Result<View, Error> {
    let started = std::time::Instant::now();
    let from_checkpoint = match marker {
        None => None,
        Some((nonce, epoch)) => match snapshot::load(dir, nonce, places.clone()) {
            Ok(view) if view.holds_bodies() == bodies_in_store => {
                warn!(
                    bodies_in_store,
                    "the view checkpoint was written with the other --bodies-in-store; loading the store's records"
                );
                None
            }
            Ok(mut view) => {
                if bodies_in_store {
                    view.read_bodies_from(store.clone());
                }
                let changed = store.changed_since(epoch)?;
                let replayed = changed.len();
                match view.restore_changed(changed) {
                    Ok(()) => Some((view, replayed)),
                    Err(e) => {
                        warn!(error = %e, "the records changed since the checkpoint do not fit it; loading the store's records");
                        None
                    }
                }
            }
            Err(e) => {
                warn!(error = %e, "not using the view checkpoint; loading the store's records");
                None
            }
        },
    };
    let (mut view, from, replayed) = match from_checkpoint {
        Some((view, replayed)) => (view, "checkpoint", replayed),
        None => {
            snapshot::remove(dir)?;
            store.drop_checkpoint()?;
            (load_records(store, today, places, bodies_in_store)?, "records", 0)
        }
    };
    // A checkpoint written on an earlier day: opportunities closed since then lose `Open`.
    view.set_today(today);
    info!(from, replayed, ms = started.elapsed().as_millis() as u64, "view read");
    Ok(view)
}

/// Loads the view from the store's records, clearing a store that cannot be read.
fn load_records(
    store: &Store,
    today: CivilDate,
    places: &Arc<Places>,
    bodies_in_store: bool,
) -> Result<View, StoreError> {
    let empty = || {
        let mut view = View::with_places(today, places.clone());
        if bodies_in_store {
            view.read_bodies_from(store.clone());
        }
        view
    };
    let mut view = empty();
    match store.records().try_for_each(|record| view.restore(record?)) {
        Ok(()) => Ok(view),
        Err(StoreError::Corrupt { tree, why }) => {
            warn!(%tree, %why, "the relay store cannot be read; rebuilding the view from the stream");
            store.clear()?;
            Ok(empty())
        }
        Err(e) => Err(e),
    }
}

/// Where the relay answers: the gRPC query API, and the HTTP one (HSDS) when given.
#[derive(Debug)]
pub struct Listeners {
    pub grpc: TcpListener,
    pub http: Option<TcpListener>,
}

impl From<TcpListener> for Listeners {
    fn from(grpc: TcpListener) -> Listeners {
        Listeners { grpc, http: None }
    }
}

/// Runs the relay until `shutdown` resolves: ingest from NATS, the gRPC query API
/// and, when given its listener, the HTTP API ([`http`]). Returns early with an
/// error if the store fails or a server cannot serve; NATS being unreachable is not
/// an error (ingest keeps retrying).
pub async fn run(
    config: Config,
    listeners: impl Into<Listeners>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), Error> {
    let Listeners { grpc: listener, http: http_listener } = listeners.into();
    config.validate()?;
    // A bad synonyms file stops the relay before it changes anything.
    let synonyms = match &config.synonyms {
        Some(path) => synonyms::Synonyms::with_file(path)?,
        None => synonyms::Synonyms::builtin(),
    };
    // So does a bad places file, naming its line.
    let places = Arc::new(match &config.places {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| Places::builtin().with_file(&text).map_err(|e| e.to_string()))
            .map_err(|why| Error::Places { path: path.clone(), why })?,
        None => Places::builtin().clone(),
    });
    let opening = std::time::Instant::now();
    let store = Store::open(&config.dir)?;
    info!(ms = opening.elapsed().as_millis() as u64, "store opened");
    // Used unless what follows changes the store outside its log of changes.
    let mut marker = store.checkpoint()?;
    let stream = kith_proto::subject::stream_name(&config.region);
    if config.rebuild {
        marker = None;
        info!(dir = %config.dir.display(), "--rebuild: dropping the stored view");
        store.clear()?;
    } else if let Some(filled_from) = store.consumer()?
        && !filled_from.starts_with(&format!("{stream}/"))
    {
        // The directory held another region's view: it must not mix with this one.
        warn!(dir = %config.dir.display(), %filled_from, %stream, "the stored view is of another stream; dropping it");
        marker = None;
        store.clear()?;
        store.forget_pins()?;
    }
    for hub in &config.unpin {
        if store.unpin(hub)? {
            marker = None;
            store.drop_checkpoint()?;
            warn!(%hub, "--unpin: forgot the hub and its key; its next profile is trusted on first use");
        }
    }
    let today = config.clock.today();
    let mut view = {
        let (store, dir) = (store.clone(), config.dir.clone());
        let places = places.clone();
        let bodies = config.bodies_in_store;
        tokio::task::spawn_blocking(move || load_view(&store, &dir, marker, today, &places, bodies)).await??
    };
    // A hub revoked, or off the roster, since the view was stored: the view is built
    // again from the stream, where its events are now refused.
    let excluded: Vec<String> =
        view.hubs().iter().filter(|h| config.excluded(&h.hub).is_some()).map(|h| h.hub.to_string()).collect();
    if !excluded.is_empty() {
        warn!(hubs = ?excluded, "hubs revoked or off the roster are in the stored view; rebuilding it from the stream without them");
        store.clear()?;
        let (store, dir) = (store.clone(), config.dir.clone());
        let places = places.clone();
        let bodies = config.bodies_in_store;
        view = tokio::task::spawn_blocking(move || load_view(&store, &dir, None, today, &places, bodies)).await??;
    }
    view.set_synonyms(synonyms);
    if let Some(roster) = &config.roster {
        view.set_roster_names(roster.names.clone());
    }
    view.set_quota(config.quota);
    let counts = view.counts();
    info!(
        hubs = counts.hubs,
        opportunities = counts.of(Family::Opportunities),
        safe_houses = counts.of(Family::SafeHouses),
        services = counts.of(Family::Services),
        offers = counts.of(Family::Offers),
        referrals = counts.referrals,
        "view loaded"
    );
    let mut shared = Shared::new(view);
    if config.national.is_empty() {
        let path = config.dir.join(asks::KEY_FILE);
        let (key, made) = kith_proto::keys::signing_key_file(&path).map_err(|e| Error::Key(e.to_string()))?;
        let sender = asks::Sender::new(
            config.region.clone(),
            config.name.clone(),
            key,
            config.replicas,
            store.clone(),
            shared.nats.clone(),
            config.clock.clone(),
        )?;
        // The public half, for operators to give the hubs (`cat DIR/relay.pub`).
        let public = config.dir.join(asks::PUBLIC_KEY_FILE);
        std::fs::write(&public, format!("{}\n", sender.public_key()))
            .map_err(|e| Error::Key(format!("{}: {e}", public.display())))?;
        info!(
            key = %sender.public_key(),
            made,
            "asks are signed with this key: hubs that take this relay's asks name it in ask_relays"
        );
        shared.asks = Some(sender);
        shared.needs = Some(Arc::new(needs::Needs::new(store.clone())));
    }
    let snapshot_of = shared.clone();

    let (stop_tx, stop_rx) = watch::channel(false);
    if let Some(roster) = &config.roster
        && let Err(seen) = store.roster_version(roster.version)?
    {
        return Err(Error::OlderRoster { version: roster.version, seen });
    }
    let pins = pins::Pins::load(&store, config.roster.as_deref())?;
    if let Some(needs) = shared.needs().cloned() {
        tokio::spawn(needs::sample_beds(shared.clone(), needs, config.clock.clone(), stop_rx.clone()));
    }
    let mut ingest =
        tokio::spawn(Ingest::new(config.clone(), store.clone(), shared.clone(), pins).run(stop_rx.clone()));
    let limits = query::Limits::new(config.max_queries, config.query_timeout);
    let mut http = match http_listener {
        None => None,
        Some(listener) => {
            let state = http::HttpState::new(shared.clone(), config.region.clone(), limits.clone());
            let mut board = board::Board::new(
                shared.clone(),
                config.region.clone(),
                limits.clone(),
                config.clock.clone(),
                config.money.clone(),
            );
            board.metrics_public = config.metrics_public;
            board.public_url = config.public_url.clone();
            let stop = stop_rx.clone();
            let addr = listener.local_addr().ok();
            info!(addr = ?addr, "HTTP API listening");
            let throttle = config.http_per_client.map(throttle::Throttle::new);
            if let Some(t) = throttle.clone() {
                let mut stop = stop_rx.clone();
                tokio::spawn(async move {
                    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
                    loop {
                        tokio::select! {
                            _ = every.tick() => t.forget_idle(),
                            _ = stop.wait_for(|s| *s) => break,
                        }
                    }
                });
            }
            let app = board::router(board, state, throttle);
            let limits = config.http_connections.clone();
            Some(tokio::spawn(async move {
                connections::serve(listener, app, limits, stop).await.map_err(|source| Error::Http(source.to_string()))
            }))
        }
    };
    let service = query::RegionService::new(
        shared,
        config.region.clone(),
        limits,
        config.clock.clone(),
        config.money.clone(),
        config.coordinator_token.clone(),
    );
    let grpc_throttle = config.grpc_per_client.map(throttle::Throttle::new);
    let mut server = tokio::spawn(serve(listener, service, grpc_throttle, stop_rx));

    // Whichever ends first decides the outcome; the others are then stopped and awaited.
    tokio::pin!(shutdown);
    let (mut ingest_done, mut server_done, mut http_done) = (None, None, None);
    {
        let http_ended = async {
            match http.as_mut() {
                Some(task) => task.await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = &mut shutdown => info!("shutting down"),
            r = &mut ingest => ingest_done = Some(r),
            r = &mut server => server_done = Some(r),
            r = http_ended => http_done = Some(r),
        }
    }
    let _ = stop_tx.send(true);
    let ingest_result = match ingest_done {
        Some(r) => r,
        None => ingest.await,
    };
    let server_result = match server_done {
        Some(r) => r,
        None => server.await,
    };
    let failed = |cause| Error::StoreFailed { dir: config.dir.clone(), cause };
    let ingest_result = match ingest_result? {
        Err(IngestError::Store(e)) => Err(failed(e)),
        other => other.map_err(Error::from),
    };
    // After a failed write the store may refuse a flush too; the write's error is
    // the one to tell.
    let flushed = store.flush().await.map_err(failed);
    ingest_result?;
    flushed?;
    server_result??;
    let http_result = match (http_done, http) {
        (Some(r), _) => Some(r),
        (None, Some(task)) => Some(task.await),
        (None, None) => None,
    };
    if let Some(r) = http_result {
        r??;
    }
    // Ingest has stopped cleanly and the store is flushed: the view holds exactly
    // what the store holds, so the next start can read it with nothing to put back.
    let dir = config.dir.clone();
    tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let epoch = store.begin_epoch();
        snapshot::save(&snapshot_of.view(), &dir, &store, epoch)?;
        info!(ms = started.elapsed().as_millis() as u64, "view checkpoint written");
        Ok::<_, Error>(())
    })
    .await??;
    info!("relay stopped");
    Ok(())
}

/// Serves the query API, health and reflection until `stop` turns true.
async fn serve(
    listener: TcpListener,
    service: query::RegionService,
    throttle: Option<throttle::Throttle>,
    mut stop: watch::Receiver<bool>,
) -> Result<(), Error> {
    let addr = listener.local_addr().ok();
    info!(addr = ?addr, "query API listening");
    let builder = tonic::transport::Server::builder();
    kith_daemon::grpc::router::<RegionServer<query::RegionService>>(builder, kith_proto::FILE_DESCRIPTOR_SET)
        .await?
        .add_service(tonic::service::interceptor::InterceptedService::new(
            RegionServer::new(service),
            throttle::grpc(throttle),
        ))
        // Answers go out at once, not held back for the client's delayed ACK
        // (Nagle's algorithm added ~40 ms to every answer).
        .serve_with_incoming_shutdown(TcpIncoming::from(listener).with_nodelay(Some(true)), async move {
            kith_daemon::stopped(&mut stop).await;
        })
        .await?;
    Ok(())
}

/// A relay running in this process, for tests and embedding: started on an address
/// (port 0 for any free port), stopped with [`Relay::shutdown`].
pub struct Relay {
    addr: SocketAddr,
    http_addr: Option<SocketAddr>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), Error>>,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relay").field("addr", &self.addr).finish_non_exhaustive()
    }
}

impl Relay {
    /// Binds `listen` and runs the relay in a task, without its HTTP API.
    pub async fn start(config: Config, listen: SocketAddr) -> Result<Relay, Error> {
        Relay::start_with_http(config, listen, None).await
    }

    /// Binds `listen` for gRPC and `http` (when given) for the HTTP API, and runs
    /// the relay in a task.
    pub async fn start_with_http(config: Config, listen: SocketAddr, http: Option<SocketAddr>) -> Result<Relay, Error> {
        config.validate()?;
        let bind = |addr: SocketAddr| async move {
            let listener = TcpListener::bind(addr).await.map_err(|source| Error::Listen { addr, source })?;
            let bound = listener.local_addr().map_err(|source| Error::Listen { addr, source })?;
            Ok::<_, Error>((listener, bound))
        };
        let (grpc, addr) = bind(listen).await?;
        let (http, http_addr) = match http {
            Some(a) => {
                let (l, bound) = bind(a).await?;
                (Some(l), Some(bound))
            }
            None => (None, None),
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(run(config, Listeners { grpc, http }, async move {
            let _ = stopped.await;
        }));
        Ok(Relay { addr, http_addr, stop: Some(stop), task })
    }

    /// The HTTP API's URL, when it was started: `http://127.0.0.1:PORT`.
    pub fn http_url(&self) -> Option<String> {
        self.http_addr.map(|a| format!("http://{a}"))
    }

    /// The address the query API listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The query API's URL, for a gRPC client: `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the relay and waits until it has stopped: its batch in hand flushed and
    /// acknowledged, in-flight queries answered, the store flushed.
    pub async fn shutdown(mut self) -> Result<(), Error> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        (&mut self.task).await?
    }
}
