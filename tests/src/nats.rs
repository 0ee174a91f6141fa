//! A real `nats-server` with JetStream for one test: its own port on 127.0.0.1 and
//! its own store directory, both kept across [`NatsServer::stop`] and
//! [`NatsServer::start`] so that a test can take NATS away and bring it back.

use async_nats::jetstream;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tempfile::TempDir;
use tokio::io::AsyncBufReadExt;

use crate::bins;
use crate::process::{Daemon, tail};

/// How long a server may take to accept clients.
const START_TIMEOUT: Duration = Duration::from_secs(20);

pub struct NatsServer {
    /// First, so that it is dropped (killed, its log's tail printed on failure)
    /// before its directory is removed.
    daemon: Daemon,
    /// Holds `store/` (JetStream) and `nats.log`; removed on drop.
    dir: TempDir,
    /// Chosen by the server itself on first start (`-p -1`, so no other process can
    /// take it between choosing and binding), then kept for restarts.
    port: u16,
    /// Started with its configuration file alone (`-c`), which sets its port, store
    /// and JetStream: a node of a [`crate::cluster::NatsCluster`].
    configured: bool,
    /// The address it listens on (127.0.0.1 unless in a network namespace).
    host: String,
    /// Arguments before nats-server's own, when it runs through another program
    /// (`ip netns exec NAME`, the daemon's program then being `ip`).
    wrap: Vec<OsString>,
}

impl NatsServer {
    /// Starts a server on a port of its choosing and waits until it accepts clients.
    pub async fn spawn() -> NatsServer {
        Self::spawn_with_conf(None).await
    }

    /// Like [`NatsServer::spawn`], with `conf` as its configuration file (e.g. an
    /// `authorization` block); port, JetStream and store still come from the harness.
    pub async fn spawn_with_conf(conf: Option<&str>) -> NatsServer {
        let dir = tempfile::Builder::new().prefix("kith-nats-").tempdir().expect("temp dir");
        let log = dir.path().join("nats.log");
        if let Some(conf) = conf {
            std::fs::write(dir.path().join("nats.conf"), conf).expect("write nats.conf");
        }
        let daemon = Daemon::new("nats-server", bins::nats_server(), log);
        let mut server =
            NatsServer { dir, port: 0, daemon, configured: false, host: "127.0.0.1".into(), wrap: Vec::new() };
        server.start().await;
        server
    }

    /// A server run from `conf` alone, which must listen on 127.0.0.1:`port` and keep
    /// its JetStream store inside [`NatsServer::root`] (`{root}` in `conf` is
    /// replaced by it). Not started yet: see [`NatsServer::start`].
    pub fn configured(label: &str, conf: &str, port: u16) -> NatsServer {
        let dir = tempfile::Builder::new().prefix("kith-nats-").tempdir().expect("temp dir");
        let conf = conf.replace("{root}", &dir.path().display().to_string());
        std::fs::write(dir.path().join("nats.conf"), conf).expect("write nats.conf");
        let daemon = Daemon::new(label, bins::nats_server(), dir.path().join("nats.log"));
        NatsServer { dir, port, daemon, configured: true, host: "127.0.0.1".into(), wrap: Vec::new() }
    }

    /// Like [`NatsServer::configured`], run inside the network namespace `ns` and
    /// listening there on `ns.ns_ip:port` (which `conf` must say).
    pub fn configured_in(label: &str, conf: &str, port: u16, ns: &crate::netns::NetNs) -> NatsServer {
        let mut server = NatsServer::configured(label, conf, port);
        server.daemon = Daemon::new(label, "ip".into(), server.dir.path().join("nats.log"));
        server.wrap = ns.exec_prefix();
        server.wrap.push(bins::nats_server().into());
        server.host = ns.ns_ip.clone();
        server
    }

    /// `nats://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("nats://{}:{}", self.host, self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The JetStream store directory, the same across restarts.
    pub fn store_dir(&self) -> PathBuf {
        self.dir.path().join("store")
    }

    pub fn log_path(&self) -> &Path {
        self.daemon.log_path()
    }

    /// Everything this server wrote to disk: its JetStream store and its log.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn is_running(&mut self) -> bool {
        self.daemon.is_running()
    }

    /// Starts the server (again), on the same port and store directory as before,
    /// and waits until it accepts clients with JetStream enabled.
    pub async fn start(&mut self) {
        let log_offset = std::fs::metadata(self.log_path()).map(|m| m.len()).unwrap_or(0);
        let port = if self.port == 0 { "-1".to_owned() } else { self.port.to_string() };
        let conf = self.dir.path().join("nats.conf");
        let mut args: Vec<OsString> = if conf.exists() { vec!["-c".into(), conf.into()] } else { vec![] };
        if self.configured {
            let args: Vec<OsString> = self.wrap.iter().cloned().chain(args).collect();
            self.daemon.spawn(&args, &[]);
            self.wait_for_clients(Instant::now() + START_TIMEOUT).await;
            return;
        }
        args.extend([
            "-a".into(),
            "127.0.0.1".into(),
            "-p".into(),
            port.into(),
            "-js".into(),
            "-sd".into(),
            self.store_dir().into(),
        ]);
        self.daemon.spawn(&args, &[]);
        let deadline = Instant::now() + START_TIMEOUT;
        if self.port == 0 {
            self.port = self.wait_for_port_in_log(log_offset, deadline).await;
        }
        self.wait_for_clients(deadline).await;
    }

    /// Stops the server gracefully (SIGTERM, then SIGKILL if it lingers). Its port and
    /// store stay reserved for [`NatsServer::start`].
    pub async fn stop(&mut self) {
        self.daemon.terminate(Duration::from_secs(10)).await;
    }

    /// The process id while it runs (for SIGSTOP and SIGCONT).
    pub fn pid(&self) -> Option<u32> {
        self.daemon.pid()
    }

    /// Kills the server with SIGKILL.
    pub fn kill9(&mut self) {
        self.daemon.kill9();
    }

    /// A client of this server, never of any other.
    pub async fn client(&self) -> async_nats::Client {
        async_nats::ConnectOptions::new()
            .connection_timeout(Duration::from_secs(5))
            .connect(self.url())
            .await
            .unwrap_or_else(|e| panic!("connect to the test NATS at {}: {e}", self.url()))
    }

    /// A JetStream context on this server.
    pub async fn jetstream(&self) -> jetstream::Context {
        jetstream::new(self.client().await)
    }

    /// Reads the port the server chose from its log ("Listening for client
    /// connections on 127.0.0.1:PORT").
    async fn wait_for_port_in_log(&mut self, from: u64, deadline: Instant) -> u16 {
        const MARK: &str = "Listening for client connections on ";
        loop {
            self.daemon.assert_running();
            let bytes = std::fs::read(self.log_path()).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes[(from as usize).min(bytes.len())..]).into_owned();
            if let Some(line) = text.lines().find(|l| l.contains(MARK)) {
                let addr = line.split(MARK).nth(1).unwrap_or_default().trim();
                let port = addr.rsplit(':').next().and_then(|p| p.parse().ok());
                return port.unwrap_or_else(|| panic!("cannot read the port of nats-server from {line:?}"));
            }
            self.check_deadline(deadline, "to say which port it listens on");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Waits until a TCP client receives an `INFO` line that announces JetStream.
    async fn wait_for_clients(&mut self, deadline: Instant) {
        loop {
            self.daemon.assert_running();
            // A configured server may run no JetStream of its own (a leaf node); a
            // cluster's nodes are waited for through JetStream itself.
            if let Ok(Ok(info)) = tokio::time::timeout(Duration::from_secs(1), read_info(&self.host, self.port)).await
                && (self.configured || info.contains("\"jetstream\":true"))
            {
                return;
            }
            self.check_deadline(deadline, "to accept clients");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    fn check_deadline(&self, deadline: Instant, what: &str) {
        if Instant::now() >= deadline {
            panic!(
                "nats-server did not start {what} within {START_TIMEOUT:?}; its log {}:\n{}",
                self.log_path().display(),
                tail(self.log_path(), 40)
            );
        }
    }
}

/// The first line a NATS server sends to a new connection.
async fn read_info(host: &str, port: u16) -> std::io::Result<String> {
    let stream = tokio::net::TcpStream::connect((host, port)).await?;
    let mut reader = tokio::io::BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).await?;
    if line.starts_with("INFO ") {
        Ok(line)
    } else {
        Err(std::io::Error::other(format!("not a NATS greeting: {line:?}")))
    }
}
