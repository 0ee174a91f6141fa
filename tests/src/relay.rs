//! A relay under test: `kith-relay` on a free port with its own directory, which can
//! be restarted on the same directory or rebuilt from an empty one.

use kith_proto::v1::region_client::RegionClient;
use kith_proto::v1::{Stats, StatsRequest};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tempfile::TempDir;
use tonic::transport::{Channel, Endpoint};

use crate::cli::{CliOutput, kith, kith_plain};
use crate::hub::log_filter;
use crate::process::Daemon;
use crate::{bins, ports};

/// How long a relay may take to answer its first query.
const START_TIMEOUT: Duration = Duration::from_secs(20);

pub struct Relay {
    /// First, so that it is dropped (killed, its log's tail printed on failure)
    /// before its directory is removed.
    daemon: Daemon,
    pub region: String,
    nats_url: String,
    /// `--name`, when the test gives one.
    name: Option<String>,
    /// More flags, at every start.
    extra: Vec<OsString>,
    /// More environment variables, at every start.
    envs: Vec<(&'static str, String)>,
    /// Holds the relay directory `relay/` and the daemon's log `relay.log`.
    root: TempDir,
    port: u16,
    /// The HTTP API's port (HSDS).
    http_port: u16,
}

impl Relay {
    /// Starts a relay of `region` consuming from `nats_url` and waits until it answers.
    pub async fn start(region: &str, nats_url: &str) -> Relay {
        Relay::start_named(region, nats_url, None).await
    }

    /// Same, with `--name NAME` (the relay's durable consumer).
    pub async fn start_named(region: &str, nats_url: &str, name: Option<&str>) -> Relay {
        Relay::start_with(region, nats_url, name, &[]).await
    }

    /// Same, with more flags (`--quota-entities 3`, …) at every start.
    pub async fn start_with(region: &str, nats_url: &str, name: Option<&str>, extra: &[&str]) -> Relay {
        Relay::start_with_env(region, nats_url, name, extra, &[]).await
    }

    /// Same, with environment variables of its own (a faked clock: `LD_PRELOAD` of
    /// libfaketime and `FAKETIME`).
    pub async fn start_with_env(
        region: &str,
        nats_url: &str,
        name: Option<&str>,
        extra: &[&str],
        envs: &[(&'static str, String)],
    ) -> Relay {
        let root = tempfile::Builder::new().prefix("kith-relay-").tempdir().expect("temp dir");
        let daemon = Daemon::new(
            format!("relay {}", name.unwrap_or(region)),
            bins::bin("kith-relay"),
            root.path().join("relay.log"),
        );
        let mut relay = Relay {
            region: region.into(),
            nats_url: nats_url.into(),
            name: name.map(Into::into),
            extra: extra.iter().map(Into::into).collect(),
            envs: envs.to_vec(),
            root,
            port: ports::free_port(),
            http_port: ports::free_port(),
            daemon,
        };
        // The region coordinator's token: per-hub referral figures need it.
        let token = relay.coordinator_token_file();
        std::fs::write(&token, format!("coordinator-{}\n", ulid::Ulid::new())).expect("write the coordinator token");
        std::fs::set_permissions(&token, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
        relay.start_daemon(false).await;
        relay
    }

    /// The file holding the region coordinator's token (`--coordinator-token-file`).
    pub fn coordinator_token_file(&self) -> PathBuf {
        self.root.path().join("coordinator.token")
    }

    /// Its `--name`, or its region's when it has none.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.region)
    }

    /// The relay directory.
    pub fn dir(&self) -> PathBuf {
        self.root.path().join("relay")
    }

    pub fn log_path(&self) -> &Path {
        self.daemon.log_path()
    }

    /// Everything this relay wrote to disk: its directory and its log.
    pub fn root(&self) -> &Path {
        self.root.path()
    }

    /// `http://127.0.0.1:<port>`, for `kith --relay` and gRPC clients.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `http://127.0.0.1:<port>` of the relay's HTTP API (HSDS).
    pub fn http_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.http_port)
    }

    /// A region query client of this relay.
    pub async fn client(&self) -> RegionClient<Channel> {
        region_client(&self.url()).await.expect("connect to relay")
    }

    /// The relay's ingest counters, as the region's coordinator sees them (with the
    /// per-hub referral figures).
    pub async fn stats(&self) -> Stats {
        let token = std::fs::read_to_string(self.coordinator_token_file()).expect("the coordinator token");
        let mut request = tonic::Request::new(StatsRequest {});
        request.metadata_mut().insert("authorization", format!("Bearer {}", token.trim()).parse().unwrap());
        self.client().await.get_stats(request).await.expect("relay stats").into_inner()
    }

    /// The relay's counters as anyone sees them.
    pub async fn anonymous_stats(&self) -> Stats {
        self.client().await.get_stats(StatsRequest {}).await.expect("relay stats").into_inner()
    }

    /// Runs `kith --relay URL ARGS --json`.
    pub async fn kith<I, S>(&self, args: I) -> CliOutput
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut all: Vec<OsString> = vec!["--relay".into(), self.url().into()];
        all.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        kith(all).await
    }

    /// Runs `kith --relay URL ARGS` without `--json`, and returns the table it
    /// printed (it must succeed).
    pub async fn kith_table<I, S>(&self, args: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut all: Vec<OsString> = vec!["--relay".into(), self.url().into()];
        all.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        let out = kith_plain(all).await;
        assert!(out.success(), "expected success: {out:?}");
        out.stdout
    }

    /// The process id while it runs (for SIGSTOP and SIGCONT).
    pub fn pid(&self) -> Option<u32> {
        self.daemon.pid()
    }

    pub fn kill9(&mut self) {
        self.daemon.kill9();
    }

    pub async fn stop(&mut self) {
        self.daemon.terminate(Duration::from_secs(10)).await;
    }

    /// SIGTERM: how long the relay took to exit, or None if it was still running
    /// after `limit` (it is then killed).
    pub async fn terminate_within(&mut self, limit: Duration) -> Option<Duration> {
        self.daemon.terminate(limit).await
    }

    /// Replaces the flags given at every start (the next start uses them).
    pub fn set_flags(&mut self, extra: &[&str]) {
        self.extra = extra.iter().map(Into::into).collect();
    }

    /// Stops the relay and starts it again on the same directory and port.
    pub async fn restart(&mut self) {
        self.stop().await;
        self.start_daemon(false).await;
    }

    /// Stops the relay and starts it again on the same directory with `--rebuild`:
    /// it must drop its stored view and replay the stream.
    pub async fn restart_with_rebuild(&mut self) {
        self.stop().await;
        self.start_daemon(true).await;
    }

    /// Stops the relay, empties its directory, and starts it with `--rebuild`: its
    /// whole view must come back from the region's stream.
    pub async fn rebuild_from_empty_dir(&mut self) {
        self.stop().await;
        if self.dir().exists() {
            std::fs::remove_dir_all(self.dir()).expect("empty the relay directory");
        }
        self.start_daemon(true).await;
    }

    async fn start_daemon(&mut self, rebuild: bool) {
        let mut args: Vec<OsString> = vec![
            "--region".into(),
            self.region.clone().into(),
            "--nats".into(),
            self.nats_url.clone().into(),
            "--listen".into(),
            format!("127.0.0.1:{}", self.port).into(),
            "--http-listen".into(),
            format!("127.0.0.1:{}", self.http_port).into(),
            "--dir".into(),
            self.dir().into(),
            "--coordinator-token-file".into(),
            self.coordinator_token_file().into(),
        ];
        if let Some(name) = &self.name {
            args.extend(["--name".into(), name.into()]);
        }
        if rebuild {
            args.push("--rebuild".into());
        }
        args.extend(self.extra.iter().cloned());
        let mut envs = vec![("RUST_LOG", log_filter())];
        envs.extend(self.envs.iter().cloned());
        self.daemon.spawn(&args, &envs);
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            self.daemon.assert_running();
            let answer = match region_client(&self.url()).await {
                Ok(mut client) => client.get_stats(StatsRequest {}).await.map(|_| ()).map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            match answer {
                Ok(()) => return,
                Err(e) if Instant::now() >= deadline => {
                    panic!("{} did not answer GetStats within {START_TIMEOUT:?}: {e}", self.daemon.label())
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
    }
}

/// A region query client of the relay at `url`.
pub async fn region_client(url: &str) -> Result<RegionClient<Channel>, tonic::transport::Error> {
    let channel = Endpoint::from_shared(url.to_owned())
        .expect("valid URL")
        .connect_timeout(Duration::from_secs(2))
        .connect()
        .await?;
    Ok(RegionClient::new(channel).max_decoding_message_size(64 * 1024 * 1024))
}
