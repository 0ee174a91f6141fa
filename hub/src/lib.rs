//! The Kith hub: the daemon a user-led group runs to own and publish its listings.
//!
//! # Layout
//!
//! - [`config`]: `hub.toml`, `kith init`, and the daemon's [`Config`].
//! - [`store`]: the sled store, the only place that touches disk. Every write is one
//!   transaction (listing + signed envelope in the outbox), flushed before it is
//!   answered, with flushes shared between concurrent writers.
//! - [`publisher`]: drains the outbox to JetStream with a window of in-flight
//!   publishes, deleting an entry only after its PubAck.
//! - [`catchup`]: before publishing, the store caught up with what the region's
//!   stream holds of this hub (after a restore from an older copy).
//! - [`admin`]: the token-protected admin gRPC API the CLI calls.
//! - [`referral`]: a referral as this hub keeps it, and its half of the lifecycle;
//!   [`inbox`]: the durable consumer of referral messages addressed to this hub, and
//!   the expiry of unanswered ones; [`peers`]: other hubs' keys, pinned from their
//!   profiles on the stream.
//! - [`offline`]: what an operator does to a stopped hub (changing its keys).
//! - [`desk`]: the group's desk, web pages for its workers on `--desk-listen`.
//! - [`metrics`]: Prometheus metrics on `--metrics-listen`.
//! - [`repair`]: anti-entropy, publishing again what a relay says it is missing.
//! - [`shred`]: referrals encrypted at rest under keys of their own, destroyed to erase.
//! - this file: [`run`], which wires them together, publishes the profile as a
//!   heartbeat, and shuts everything down in order.

pub mod admin;
pub mod asks;
pub mod catchup;
pub mod config;
pub mod desk;
pub mod inbox;
pub mod limits;
pub mod link;
pub mod metrics;
pub mod offline;
pub mod peers;
pub mod pool;
pub mod publisher;
pub mod referral;
pub mod repair;
pub mod shred;
pub mod store;
pub mod stream;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use thiserror::Error;
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;

use kith_daemon::Tasks;

pub use config::Config;
use kith_proto::domain::HubProfile;
use kith_proto::keys::{self, HubKeys, KeyError};
use kith_proto::v1::hub_admin_server::HubAdminServer;
use kith_proto::v1::hub_pool_server::HubPoolServer;

use crate::admin::AdminService;
use crate::link::Link;
use crate::publisher::PublisherConfig;
use crate::store::{Identity, Store, StoreError};

/// Largest admin request accepted. Far above any valid listing, far below what
/// would let a client make the hub buffer megabytes.
const MAX_ADMIN_MESSAGE_BYTES: usize = 1 << 20;

/// How long the hub's tasks have, once told to stop, to finish what they have in
/// hand before those still waiting on the network are cancelled: a service manager
/// sees the hub gone within about this, whatever NATS is doing.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    Keys(#[from] KeyError),
    #[error("hub profile in hub.toml is not valid: {0}")]
    Profile(kith_proto::ValidationError),
    #[error("cannot open the store: {0}")]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr} for the admin API: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error(
        "the admin API may listen beyond loopback (here {addr}) only with TLS, or its token would cross the \
         network in the clear: set admin_tls_cert and admin_tls_key in hub.toml, or listen on 127.0.0.1 and \
         reach the hub through an SSH tunnel (ssh -L 7400:127.0.0.1:7400 HOST)"
    )]
    AdminNotLoopback { addr: SocketAddr },
    #[error("admin TLS: {path}: {why}")]
    AdminTls { path: std::path::PathBuf, why: String },
    #[error(
        "the desk may listen beyond loopback (here {addr}) only with TLS, or passwords and people's details would \
         cross the network in the clear: set admin_tls_cert and admin_tls_key in hub.toml (the desk serves that \
         certificate), or listen on 127.0.0.1 behind a reverse proxy that serves TLS"
    )]
    DeskNotLoopback { addr: SocketAddr },
    #[error("desk TLS: {0}")]
    DeskTls(String),
    #[error("admin API: {0}")]
    Transport(#[from] tonic::transport::Error),
    #[error(transparent)]
    Reflection(#[from] kith_daemon::grpc::ReflectionError),
    #[error("{0}")]
    Roster(String),
    #[error("hub.toml: {0}")]
    AskRelays(String),
    #[error("hub.toml: {0}")]
    FairRate(String),
    #[error("{path}: {why}")]
    Backup { path: std::path::PathBuf, why: String },
    #[error("the hub's {task} stopped unexpectedly: {why}")]
    TaskEnded { task: &'static str, why: String },
}

/// Runs the hub until `shutdown` resolves, listening on the configured admin address.
pub async fn run(config: Config, shutdown: impl Future<Output = ()>) -> Result<(), Error> {
    let addr = config.file.admin_listen;
    if !addr.ip().is_loopback() && config.file.admin_tls_cert.is_none() {
        return Err(Error::AdminNotLoopback { addr });
    }
    let listener = TcpListener::bind(addr).await.map_err(|source| Error::Bind { addr, source })?;
    serve(config, listener, shutdown).await
}

/// Runs the hub with an admin listener bound by the caller (tests bind port 0).
pub async fn serve(config: Config, listener: TcpListener, shutdown: impl Future<Output = ()>) -> Result<(), Error> {
    if let Ok(addr) = listener.local_addr()
        && !addr.ip().is_loopback()
        && config.file.admin_tls_cert.is_none()
    {
        return Err(Error::AdminNotLoopback { addr });
    }
    let tls = admin_tls(&config)?;
    let file = &config.file;
    file.check_secrets(&config.dir)?;
    let hub_keys = HubKeys::load(&config.dir)?;
    let token = keys::read_admin_token(&config.dir)?;
    let profile = HubProfile {
        name: file.name.clone(),
        description: file.description.clone(),
        contact: file.contact.clone(),
        helpline_hours: file.helpline_hours.clone(),
        signing_key: hub_keys.signing.verifying_key().to_bytes(),
        box_key: hub_keys.box_public(),
        rotations: hub_keys.rotations.clone(),
        left: false,
        digest: None,
        asks: Default::default(),
        unmet_work: Vec::new(),
        language: file.language.clone(),
    }
    .validate()
    .map_err(Error::Profile)?;
    let box_secrets = hub_keys.box_secrets();
    // When the keys were made or last changed: the desk reminds coordinators to change them.
    let keys_since_ms = hub_keys.rotations.last().map(|r| r.at_ms).or_else(|| {
        let made = std::fs::metadata(config.dir.join(keys::KEYS_DIR)).and_then(|m| m.modified()).ok()?;
        made.duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_millis() as i64)
    });
    let own_keys: Vec<ed25519_dalek::VerifyingKey> = std::iter::once(hub_keys.signing.verifying_key())
        .chain(hub_keys.rotations.iter().rev().filter_map(|r| ed25519_dalek::VerifyingKey::from_bytes(&r.from).ok()))
        .collect();
    let identity = Identity { region: file.region.clone(), hub: file.hub_id.clone(), signing: hub_keys.signing };
    let roster = match &file.roster {
        Some(path) => {
            let path = config.dir.join(path);
            let coordinator = match &file.roster_coordinator {
                Some(k) => {
                    kith_proto::roster::key(k).map_err(|why| Error::Roster(format!("roster_coordinator: {why}")))?
                }
                None => {
                    return Err(Error::Roster(
                        "roster_coordinator: required in hub.toml with roster: a roster is trusted only when signed \
                         by the coordinator key the region gave you, not by the key written in it"
                            .into(),
                    ));
                }
            };
            let roster = kith_proto::roster::Roster::load(&path, &file.region, &coordinator)
                .map_err(|e| Error::Roster(e.to_string()))?;
            tracing::info!(roster = %path.display(), version = roster.version, hubs = roster.hubs.len(), "the region's roster: other hubs' keys come from it");
            Some(roster)
        }
        None => None,
    };
    let store = Store::open(&config.dir.join(config::STORE_DIR), identity)?;
    // Before anything is published: an ask's answer carries the hub's sealed copy.
    let box_secrets = Arc::new(box_secrets);
    store.set_box_keys(profile.box_key, box_secrets.clone());
    let ask_relays = file.ask_relay_keys().map_err(Error::AskRelays)?;
    let fair_rate_pence = file.fair_rate_pence().map_err(Error::FairRate)?;
    store.set_ask_config(!ask_relays.is_empty(), file.ask_daily_cap);
    if let Some(roster) = roster {
        let version = roster.version;
        if let Err(seen) = store.set_roster(roster)? {
            return Err(Error::Roster(format!(
                "roster: version {version} is older than version {seen}, which this hub has used: a roster only \
                 moves forward (an older one may still list a hub since removed); give the latest"
            )));
        }
    }
    // The profile goes first, so that a relay meeting this hub pins its key before
    // anything else arrives.
    if !store.has_left()? {
        store.publish_heartbeat(profile.clone()).await?;
    }

    let state = Arc::new(Link::default());
    // Every task is owned here. Each runs until the stop signal; one that ends before
    // it (a panic, or the admin server failing) stops the hub with an error, so that a
    // service manager restarts it, rather than leaving a hub that answers but no longer
    // publishes or reads its inbox.
    let mut tasks: Tasks<Error> = Tasks::new();
    let stop_rx = tasks.stop();
    tasks.spawn_infallible(
        "publisher",
        publisher::run(
            store.clone(),
            PublisherConfig {
                nats: kith_daemon::nats::Settings {
                    urls: file.nats_url.clone(),
                    creds: file.nats_creds.clone(),
                    password_file: file.nats_password_file.clone(),
                    ca: file.nats_ca.clone(),
                    name: format!("kith-hub {}/{}", file.region, file.hub_id),
                    inbox_prefix: Some(kith_proto::permissions::inbox_prefix(&file.hub_id)),
                },
                window: config.publish_window,
                max_backoff: config.max_backoff,
                // At each heartbeat, and at least every 30 s.
                stream_check: config.heartbeat().min(std::time::Duration::from_secs(30)),
                own_keys,
            },
            state.clone(),
            stop_rx.clone(),
        ),
    );
    if let Some(addr) = config.metrics_listen {
        let listener = TcpListener::bind(addr).await.map_err(|source| Error::Bind { addr, source })?;
        tracing::info!(%addr, "metrics at /metrics");
        tasks.spawn_infallible("metrics", metrics::serve(store.clone(), state.clone(), listener, stop_rx.clone()));
    }
    tasks.spawn_infallible("repair", repair::run(store.clone(), profile.clone(), state.clone(), stop_rx.clone()));
    let profile_for_admin = profile.clone();
    tasks.spawn_infallible("heartbeat", heartbeat(store.clone(), profile, config.heartbeat(), stop_rx.clone()));
    let refusals = Arc::new(limits::Refusals::default());
    let sender_limits = limits::SenderLimits { open: file.referral_limit_open, per_hour: file.referral_limit_per_hour };

    tasks.spawn_infallible(
        "inbox",
        inbox::run(
            store.clone(),
            inbox::Inbox { secrets: box_secrets.clone(), limits: sender_limits, refusals: refusals.clone() },
            state.clone(),
            stop_rx.clone(),
        ),
    );
    let forged_asks = Arc::new(std::sync::atomic::AtomicU64::new(0));
    tasks.spawn_infallible(
        "asks",
        asks::run(
            store.clone(),
            asks::Intake { secrets: box_secrets, relays: ask_relays, forged: forged_asks.clone() },
            state.clone(),
            stop_rx.clone(),
        ),
    );
    let expiry = std::time::Duration::from_secs(file.referral_expiry_secs);
    tasks.spawn_infallible("expiry", inbox::expire(store.clone(), inbox::sweep_interval(expiry), stop_rx.clone()));

    let pool = pool::grpc::PoolService {
        store: store.clone(),
        name: file.name.clone(),
        fair_rate_pence,
        synonyms: std::sync::Arc::new(kith_text::synonyms::Synonyms::builtin()),
    };
    let admin = AdminService {
        store: store.clone(),
        publisher: state,
        name: file.name.clone(),
        nats_url: kith_daemon::nats::redact(&file.nats_url),
        referral_expiry_ms: (file.referral_expiry_secs as i64).saturating_mul(1000),
        refusals,
        profile: profile_for_admin,
        ask_relays: file.ask_relays.clone(),
        forged_asks,
        fair_rate_pence,
    };
    if let Some(addr) = file.desk_listen {
        let tls = match (&file.admin_tls_cert, &file.admin_tls_key) {
            (Some(cert), Some(key)) => {
                Some(desk::tls_acceptor(&config.dir.join(cert), &config.dir.join(key)).map_err(Error::DeskTls)?)
            }
            _ if !addr.ip().is_loopback() => return Err(Error::DeskNotLoopback { addr }),
            _ => None,
        };
        let listener = TcpListener::bind(addr).await.map_err(|source| Error::Bind { addr, source })?;
        let bound = listener.local_addr().unwrap_or(addr);
        let scheme = if tls.is_some() { "https" } else { "http" };
        tracing::info!(url = %format!("{scheme}://{bound}/"), "the desk");
        let desk = desk::Desk::new(
            store.clone(),
            admin.clone(),
            pool.clone(),
            file.name.clone(),
            tls.is_some(),
            keys_since_ms,
        );
        let stop = stop_rx.clone();
        tasks.spawn_infallible("desk", async move {
            if let Err(e) = desk::serve(listener, desk, tls, stop).await {
                tracing::error!(error = %e, "the desk stopped");
            }
        });
    }
    let admin = HubAdminServer::new(admin).max_decoding_message_size(MAX_ADMIN_MESSAGE_BYTES);
    let pool = HubPoolServer::new(pool).max_decoding_message_size(MAX_ADMIN_MESSAGE_BYTES);
    let local = listener.local_addr().ok();
    tracing::info!(hub = %file.hub_id, region = %file.region, admin = ?local, nats = %kith_daemon::nats::redact(&file.nats_url), "hub running");

    let mut server_stop = stop_rx.clone();
    let mut builder = tonic::transport::Server::builder();
    if let Some(tls) = tls {
        builder = builder.tls_config(tls)?;
    }
    let server = kith_daemon::grpc::router::<HubAdminServer<AdminService>>(builder, kith_proto::FILE_DESCRIPTOR_SET)
        .await?
        .add_service(admin::AsCli(tonic::service::interceptor::InterceptedService::new(
            admin,
            admin::require_token(token.clone()),
        )))
        .add_service(admin::AsCli(tonic::service::interceptor::InterceptedService::new(
            pool,
            admin::require_token(token),
        )))
        // Answers go out at once, not held back for the client's delayed ACK.
        .serve_with_incoming_shutdown(TcpIncoming::from(listener).with_nodelay(Some(true)), async move {
            kith_daemon::stopped(&mut server_stop).await;
        });
    tasks.spawn("admin server", async move { server.await.map_err(Error::from) });

    let mut result = Ok(());
    tokio::select! {
        _ = shutdown => tracing::info!("shutting down"),
        ended = tasks.first_ended() => {
            let why = match ended.outcome {
                Ok(()) => "it returned".to_owned(),
                Err(e) => e.to_string(),
            };
            tracing::error!(task = %ended.task, error = %why, "a hub task ended before shutdown; stopping the hub");
            result = Err(Error::TaskEnded { task: ended.task, why });
        }
    }
    for ended in tasks.shutdown(SHUTDOWN_GRACE).await {
        if let Err(e) = ended.outcome {
            tracing::error!(task = %ended.task, error = %e, "task failed");
        }
    }
    store.close().await?;
    result
}

/// The admin API's TLS, when hub.toml gives a certificate and key.
fn admin_tls(config: &Config) -> Result<Option<tonic::transport::ServerTlsConfig>, Error> {
    let (Some(cert), Some(key)) = (&config.file.admin_tls_cert, &config.file.admin_tls_key) else {
        return Ok(None);
    };
    let read = |path: &std::path::PathBuf| {
        let path = config.dir.join(path);
        std::fs::read(&path).map_err(|e| Error::AdminTls { path, why: e.to_string() })
    };
    let identity = tonic::transport::Identity::from_pem(read(cert)?, read(key)?);
    Ok(Some(tonic::transport::ServerTlsConfig::new().identity(identity)))
}

/// Re-publishes the profile every `every`: the region reads it as the hub's
/// heartbeat. While NATS is down only the newest one waits in the outbox.
async fn heartbeat(store: Store, profile: HubProfile, every: std::time::Duration, mut stop: kith_daemon::Stop) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticks.tick().await; // The first tick is immediate; the profile was just published.
    loop {
        tokio::select! {
            _ = ticks.tick() => {
                // A hub that left the region has published its last profile.
                if store.has_left().unwrap_or(false) {
                    continue;
                }
                if let Err(e) = store.publish_heartbeat(profile.clone()).await {
                    tracing::warn!(error = %e, "cannot queue heartbeat");
                }
            }
            _ = kith_daemon::stopped(&mut stop) => return,
        }
    }
}
