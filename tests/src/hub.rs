//! A hub under test: set up by the real `kith init` in a temporary directory, run as
//! `kith-hub --dir DIR`, reachable by its admin gRPC API and by the CLI.

use ed25519_dalek::SigningKey;
use kith_proto::Slug;
use kith_proto::keys::{self, HubKeys};
use kith_proto::v1::hub_admin_client::HubAdminClient;
use kith_proto::v1::{StatusReply, StatusRequest};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tempfile::TempDir;
use tonic::metadata::{Ascii, MetadataValue};
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Channel, Endpoint};

use crate::cli::{CliOutput, kith};
use crate::process::Daemon;
use crate::{bins, ports};

/// How long a hub may take to answer its first admin call.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// The admin gRPC client of a hub, sending an `authorization` header on every call.
pub type AdminClient = HubAdminClient<InterceptedService<Channel, Authorization>>;

/// What may differ between hubs of a test.
#[derive(Clone, Debug)]
pub struct HubOptions {
    /// The hub's display name (`kith init --name`).
    pub name: String,
    /// `heartbeat_secs` in `hub.toml`; `None` keeps what `kith init` wrote.
    pub heartbeat_secs: Option<u64>,
    /// `referral_expiry_secs` in `hub.toml`: how long this hub, as the referring hub,
    /// waits for an answer before it expires a referral. `None` keeps the default
    /// (72 hours); tests of expiry set a few seconds.
    pub referral_expiry_secs: Option<u64>,
    /// `nats_ca` in `hub.toml`: the CA of a NATS server that requires TLS.
    pub nats_ca: Option<PathBuf>,
    /// `--metrics-listen 127.0.0.1:PORT`: the hub serves Prometheus metrics.
    pub metrics_port: Option<u16>,
    /// Serve the desk (`desk_listen` in `hub.toml`, on a free loopback port).
    pub desk: bool,
    /// Environment variables of its own (a faked clock: `LD_PRELOAD` of libfaketime
    /// and `FAKETIME`).
    pub envs: Vec<(&'static str, String)>,
    /// `fair_rate` in `hub.toml` (pounds an hour): the pool's businesses may run.
    pub fair_rate: Option<String>,
}

impl HubOptions {
    pub fn named(name: &str) -> HubOptions {
        HubOptions {
            name: name.into(),
            heartbeat_secs: None,
            referral_expiry_secs: None,
            nats_ca: None,
            metrics_port: None,
            desk: false,
            envs: Vec::new(),
            fair_rate: None,
        }
    }
}

pub struct Hub {
    /// First, so that it is dropped (killed, its log's tail printed on failure)
    /// before its directory is removed.
    daemon: Daemon,
    pub region: String,
    pub id: String,
    /// Holds the hub directory `hub/` and the daemon's log `hub.log`.
    root: TempDir,
    admin_port: u16,
    token: String,
    metrics_port: Option<u16>,
    desk_port: Option<u16>,
    envs: Vec<(&'static str, String)>,
}

impl Hub {
    /// Sets up hub `id` of `region` publishing to `nats_url`, starts it and waits until
    /// its admin API answers.
    pub async fn start(region: &str, id: &str, nats_url: &str) -> Hub {
        Hub::start_with(region, id, nats_url, HubOptions::named(&format!("Hub {id}"))).await
    }

    pub async fn start_with(region: &str, id: &str, nats_url: &str, options: HubOptions) -> Hub {
        let root = tempfile::Builder::new().prefix(&format!("kith-hub-{id}-")).tempdir().expect("temp dir");
        let dir = root.path().join("hub");
        let admin_port = ports::free_port();
        let admin_listen = format!("127.0.0.1:{admin_port}");
        let init = kith([
            OsStr::new("init"),
            "--dir".as_ref(),
            dir.as_os_str(),
            "--hub-id".as_ref(),
            id.as_ref(),
            "--region".as_ref(),
            region.as_ref(),
            "--name".as_ref(),
            options.name.as_ref(),
            "--nats".as_ref(),
            nats_url.as_ref(),
            "--admin-listen".as_ref(),
            admin_listen.as_ref(),
        ])
        .await;
        assert!(init.success(), "kith init failed: {init:?}");
        if let Some(secs) = options.heartbeat_secs {
            set_hub_toml(&dir, "heartbeat_secs", toml::Value::Integer(secs as i64));
        }
        if let Some(secs) = options.referral_expiry_secs {
            set_hub_toml(&dir, "referral_expiry_secs", toml::Value::Integer(secs as i64));
        }
        if let Some(ca) = &options.nats_ca {
            set_hub_toml(&dir, "nats_ca", toml::Value::String(ca.display().to_string()));
        }
        if let Some(rate) = &options.fair_rate {
            set_hub_toml(&dir, "fair_rate", toml::Value::String(rate.clone()));
        }
        let desk_port = options.desk.then(ports::free_port);
        if let Some(port) = desk_port {
            set_hub_toml(&dir, "desk_listen", toml::Value::String(format!("127.0.0.1:{port}")));
        }
        let token = keys::read_admin_token(&dir).expect("kith init wrote an admin token");
        let daemon = Daemon::new(format!("hub {id}"), bins::bin("kith-hub"), root.path().join("hub.log"));
        let metrics_port = options.metrics_port;
        let envs = options.envs.clone();
        let mut hub = Hub {
            region: region.into(),
            id: id.into(),
            root,
            admin_port,
            token,
            daemon,
            metrics_port,
            desk_port,
            envs,
        };
        hub.start_daemon().await;
        hub
    }

    /// The desk's address, `http://127.0.0.1:PORT`, when it serves one.
    pub fn desk_url(&self) -> Option<String> {
        self.desk_port.map(|p| format!("http://127.0.0.1:{p}"))
    }

    /// The hub directory (`hub.toml`, `keys/`, `admin.token`, `store/`).
    pub fn dir(&self) -> PathBuf {
        self.root.path().join("hub")
    }

    pub fn log_path(&self) -> &Path {
        self.daemon.log_path()
    }

    /// Everything this hub wrote to disk: its directory and its log.
    pub fn root(&self) -> &Path {
        self.root.path()
    }

    /// The hub id as a slug, for subjects.
    pub fn slug(&self) -> Slug {
        Slug::parse("hub", &self.id).expect("hub id is a slug")
    }

    /// `http://127.0.0.1:<admin port>`.
    pub fn admin_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.admin_port)
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// The hub's secret keys, as `kith init` wrote them.
    pub fn keys(&self) -> HubKeys {
        HubKeys::load(&self.dir()).expect("hub keys")
    }

    pub fn signing_key(&self) -> SigningKey {
        self.keys().signing
    }

    /// Hex of the hub's ed25519 public key, as the relay reports it.
    pub fn signing_key_hex(&self) -> String {
        keys::hex(self.signing_key().verifying_key().as_bytes())
    }

    /// Runs `kith --hub-dir DIR ARGS --json`.
    pub async fn kith<I, S>(&self, args: I) -> CliOutput
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut all: Vec<OsString> = vec!["--hub-dir".into(), self.dir().into()];
        all.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        kith(all).await
    }

    /// `kith --hub-dir DIR ARGS --json` with `input` on its standard input.
    pub async fn kith_with_input<I, S>(&self, args: I, input: &str) -> CliOutput
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut all: Vec<OsString> = vec!["--hub-dir".into(), self.dir().into()];
        all.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        crate::cli::kith_with_input(all, input).await
    }

    /// An admin client that sends the hub's token.
    pub async fn admin(&self) -> AdminClient {
        admin_client(&self.admin_url(), Authorization::bearer(&self.token)).await.expect("connect to hub admin API")
    }

    /// The hub's `Status`.
    pub async fn status(&self) -> StatusReply {
        self.admin().await.status(StatusRequest {}).await.expect("hub status").into_inner()
    }

    pub fn is_running(&mut self) -> bool {
        self.daemon.is_running()
    }

    /// The process id while it runs (for SIGSTOP and SIGCONT).
    pub fn pid(&self) -> Option<u32> {
        self.daemon.pid()
    }

    /// Kills the hub with SIGKILL: no chance to flush or say goodbye.
    pub fn kill9(&mut self) {
        self.daemon.kill9();
    }

    /// Stops the hub with SIGTERM (SIGKILL after a grace period).
    pub async fn stop(&mut self) {
        self.daemon.terminate(Duration::from_secs(10)).await;
    }

    /// SIGTERM: how long the hub took to exit, or None if it was still running
    /// after `limit` (it is then killed).
    pub async fn terminate_within(&mut self, limit: Duration) -> Option<Duration> {
        self.daemon.terminate(limit).await
    }

    /// Starts the hub again on the same directory and port (stopping it first if it
    /// runs) and waits until its admin API answers.
    pub async fn restart(&mut self) {
        self.stop().await;
        self.start_daemon().await;
    }

    async fn start_daemon(&mut self) {
        let mut args: Vec<OsString> = vec!["--dir".into(), self.dir().into()];
        if let Some(port) = self.metrics_port {
            args.extend(["--metrics-listen".into(), format!("127.0.0.1:{port}").into()]);
        }
        let mut envs = vec![("RUST_LOG", log_filter())];
        envs.extend(self.envs.iter().cloned());
        self.daemon.spawn(&args, &envs);
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            self.daemon.assert_running();
            let answer = match admin_client(&self.admin_url(), Authorization::bearer(&self.token)).await {
                Ok(mut client) => client.status(StatusRequest {}).await.map(|_| ()).map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            match answer {
                Ok(()) => return,
                Err(e) if Instant::now() >= deadline => {
                    panic!("{} did not answer Status within {START_TIMEOUT:?}: {e}", self.daemon.label())
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
    }
}

/// The `RUST_LOG` of the daemons: `KITH_TEST_LOG`, or enough to follow each event.
pub(crate) fn log_filter() -> String {
    std::env::var("KITH_TEST_LOG").unwrap_or_else(|_| "info,kith_hub=debug,kith_relay=debug".into())
}

/// Sets `key` in the hub directory's `hub.toml` (the hub reads it when it starts).
pub fn set_hub_toml(dir: &Path, key: &str, value: toml::Value) {
    let path = dir.join("hub.toml");
    let text = std::fs::read_to_string(&path).expect("read hub.toml");
    let mut table: toml::Table = text.parse().expect("hub.toml is TOML");
    table.insert(key.into(), value);
    std::fs::write(&path, toml::to_string(&table).expect("hub.toml serialises")).expect("write hub.toml");
}

/// The `authorization` header an [`AdminClient`] sends, if any.
#[derive(Clone, Debug)]
pub struct Authorization(Option<MetadataValue<Ascii>>);

impl Authorization {
    /// `Bearer <token>`.
    pub fn bearer(token: &str) -> Authorization {
        Authorization::raw(&format!("Bearer {token}"))
    }

    /// Exactly this header value.
    pub fn raw(value: &str) -> Authorization {
        Authorization(Some(value.parse().expect("header value is ASCII")))
    }

    /// No header at all.
    pub fn none() -> Authorization {
        Authorization(None)
    }
}

impl Interceptor for Authorization {
    fn call(&mut self, mut request: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(value) = &self.0 {
            request.metadata_mut().insert("authorization", value.clone());
        }
        Ok(request)
    }
}

/// An admin client of the hub at `url` sending `authorization`. Messages of any size
/// are sent, so that the hub's own limits are what is tested.
pub async fn admin_client(url: &str, authorization: Authorization) -> Result<AdminClient, tonic::transport::Error> {
    let channel = Endpoint::from_shared(url.to_owned())
        .expect("valid URL")
        .connect_timeout(Duration::from_secs(2))
        .connect()
        .await?;
    Ok(HubAdminClient::with_interceptor(channel, authorization)
        .max_encoding_message_size(usize::MAX)
        .max_decoding_message_size(64 * 1024 * 1024))
}
