//! Reaching the daemons: the hub's admin API (address from `DIR/hub.toml`, token from
//! `DIR/admin.token`, sent as `authorization: Bearer …` on every call) and the
//! relay's region API. Also turns the errors of both into one line a person can act
//! on: which address could not be reached and what to check.

use anyhow::{Context, anyhow};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tonic::metadata::{Ascii, MetadataValue};
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint};
use tonic::{Code, Request, Status};

use kith_hub::config::{ConfigError, HUB_FILE, HubFile};
use kith_proto::keys;
use kith_proto::v1::hub_admin_client::HubAdminClient;
use kith_proto::v1::hub_pool_client::HubPoolClient;
use kith_proto::v1::region_client;

/// How long to wait for a TCP connection before saying the daemon is not there.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one call may take; a write waits for the hub's flush, which is quick.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// Region pages of up to 500 listings are larger than tonic's 4 MB default.
const MAX_MESSAGE: usize = 64 * 1024 * 1024;

pub type AdminClient = HubAdminClient<InterceptedService<Channel, Bearer>>;
pub type PoolClient = HubPoolClient<InterceptedService<Channel, Bearer>>;
pub type RegionClient = region_client::RegionClient<Channel>;

/// A connected admin client and what is needed to explain a failed call.
pub struct Admin {
    pub client: AdminClient,
    /// The hub's pool of workers, on the same connection.
    pub pool: PoolClient,
    target: Target,
}

impl Admin {
    /// Turns a failed call's status into an error that says what to do.
    pub fn error(&self, status: Status) -> anyhow::Error {
        self.target.explain(status)
    }
}

/// A connected region client.
pub struct Region {
    pub client: RegionClient,
    target: Target,
}

impl Region {
    pub fn error(&self, status: Status) -> anyhow::Error {
        self.target.explain(status)
    }
}

/// Which daemon a call went to, for error messages.
#[derive(Debug, Clone)]
enum Target {
    Hub { url: String, dir: PathBuf },
    Relay { url: String },
}

impl Target {
    fn unreachable(&self) -> anyhow::Error {
        match self {
            Target::Hub { url, dir } => {
                anyhow!("cannot reach the hub's admin API at {url} (is kith-hub running with --dir {}?)", dir.display())
            }
            Target::Relay { url } => {
                anyhow!("cannot reach the relay at {url} (is kith-relay running there? set --relay URL or KITH_RELAY)")
            }
        }
    }

    fn url(&self) -> &str {
        match self {
            Target::Hub { url, .. } | Target::Relay { url } => url,
        }
    }

    fn explain(&self, status: Status) -> anyhow::Error {
        let message = status.message().trim();
        match status.code() {
            // tonic reports a broken connection as Unavailable with the transport
            // error as its source; a daemon's own Unavailable carries no source.
            Code::Unavailable if std::error::Error::source(&status).is_some() || message.is_empty() => {
                self.unreachable()
            }
            Code::DeadlineExceeded | Code::Cancelled if message.to_lowercase().contains("timeout") => {
                anyhow!("{} did not answer within {}s", self.url(), CALL_TIMEOUT.as_secs())
            }
            Code::Unauthenticated | Code::PermissionDenied => match self {
                Target::Hub { dir, .. } => anyhow!(
                    "the hub refused the admin token in {}: {message}",
                    dir.join(keys::ADMIN_TOKEN_FILE).display()
                ),
                Target::Relay { .. } => anyhow!("the relay refused the call: {message}"),
            },
            Code::Unimplemented => anyhow!(
                "{} does not offer this call ({}); is it a {} of the same version as this kith?",
                self.url(),
                if message.is_empty() { "unimplemented" } else { message },
                if matches!(self, Target::Hub { .. }) { "kith-hub" } else { "kith-relay" }
            ),
            _ if message.is_empty() => anyhow!("{}: {}", self.url(), status.code().description()),
            _ => anyhow!("{message}"),
        }
    }
}

/// Sends the hub's admin token with every call.
#[derive(Clone)]
pub struct Bearer(MetadataValue<Ascii>);

impl Interceptor for Bearer {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        request.metadata_mut().insert("authorization", self.0.clone());
        Ok(request)
    }
}

/// The URL of an admin API listening on `addr`. A hub listening on every interface
/// (`0.0.0.0`, `[::]`) is reached on loopback from the same machine.
pub fn admin_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

/// A relay URL as given, with `http://` added when no scheme is.
pub fn relay_url(given: &str) -> String {
    let given = given.trim().trim_end_matches('/');
    if given.contains("://") { given.to_owned() } else { format!("http://{given}") }
}

/// Reads `dir/hub.toml`, explaining a directory that is not a hub's.
pub fn load_hub_file(dir: &Path) -> anyhow::Result<HubFile> {
    match HubFile::load(dir) {
        Ok(f) => Ok(f),
        Err(ConfigError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => Err(anyhow!(
            "{} is not a hub directory (it has no {HUB_FILE}); create a hub with `kith init --dir {} --hub-id ID --region REGION --name NAME`",
            dir.display(),
            dir.display()
        )),
        Err(e) => Err(e.into()),
    }
}

async fn channel(url: &str) -> Result<Channel, tonic::transport::Error> {
    tls_channel(url, None).await
}

async fn tls_channel(url: &str, tls: Option<ClientTlsConfig>) -> Result<Channel, tonic::transport::Error> {
    let mut endpoint = Endpoint::from_shared(url.to_owned())?.connect_timeout(CONNECT_TIMEOUT).timeout(CALL_TIMEOUT);
    if let Some(tls) = tls {
        endpoint = endpoint.tls_config(tls)?;
    }
    endpoint.connect().await
}

/// Connects to the admin API of the hub in `dir`.
pub async fn admin(dir: Option<&Path>) -> anyhow::Result<Admin> {
    let dir = dir.ok_or_else(|| {
        anyhow!("which hub? give --hub-dir DIR (the directory made by `kith init`) or set KITH_HUB_DIR")
    })?;
    let file = load_hub_file(dir)?;
    let token = keys::read_admin_token(dir).context("cannot read the hub's admin token")?;
    let bearer: MetadataValue<Ascii> = format!("Bearer {token}")
        .parse()
        .map_err(|_| anyhow!("{}: the admin token must be plain ASCII", dir.join(keys::ADMIN_TOKEN_FILE).display()))?;
    let (url, tls) = match &file.admin_tls_cert {
        None => (admin_url(file.admin_listen), None),
        Some(cert) => {
            // The hub's own certificate unless a CA is named, checked for the name
            // given, else the address the CLI dials.
            let url = admin_url(file.admin_listen).replacen("http://", "https://", 1);
            let ca = dir.join(file.admin_tls_ca.as_ref().unwrap_or(cert));
            let pem = std::fs::read(&ca).with_context(|| format!("admin TLS: cannot read {}", ca.display()))?;
            let name = match &file.admin_tls_name {
                Some(n) => n.clone(),
                None => url.trim_start_matches("https://").rsplit_once(':').map(|(h, _)| h).unwrap_or("").to_owned(),
            };
            let name = name.trim_start_matches('[').trim_end_matches(']').to_owned();
            (url, Some(ClientTlsConfig::new().ca_certificate(Certificate::from_pem(pem)).domain_name(name)))
        }
    };
    let target = Target::Hub { url, dir: dir.to_owned() };
    let channel = tls_channel(target.url(), tls).await.map_err(|_| target.unreachable())?;
    let pool = HubPoolClient::with_interceptor(channel.clone(), Bearer(bearer.clone()))
        .max_decoding_message_size(MAX_MESSAGE)
        .max_encoding_message_size(MAX_MESSAGE);
    let client = HubAdminClient::with_interceptor(channel, Bearer(bearer))
        .max_decoding_message_size(MAX_MESSAGE)
        .max_encoding_message_size(MAX_MESSAGE);
    Ok(Admin { client, pool, target })
}

/// Connects to the region API of the relay at `url`.
pub async fn region(url: &str) -> anyhow::Result<Region> {
    let url = relay_url(url);
    if Endpoint::from_shared(url.clone()).is_err() {
        return Err(anyhow!("{url:?} is not a relay URL; expected e.g. http://127.0.0.1:7500"));
    }
    let target = Target::Relay { url };
    let channel = channel(target.url()).await.map_err(|_| target.unreachable())?;
    let client = RegionClient::new(channel).max_decoding_message_size(MAX_MESSAGE);
    Ok(Region { client, target })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_urls_use_loopback_for_wildcards() {
        let check = |addr: &str, url: &str| assert_eq!(admin_url(addr.parse().unwrap()), url, "{addr}");
        check("127.0.0.1:7400", "http://127.0.0.1:7400");
        check("0.0.0.0:7401", "http://127.0.0.1:7401");
        check("[::]:7402", "http://[::1]:7402");
        check("10.1.2.3:7403", "http://10.1.2.3:7403");
    }

    #[test]
    fn relay_urls_get_a_scheme() {
        assert_eq!(relay_url("127.0.0.1:7500"), "http://127.0.0.1:7500");
        assert_eq!(relay_url("https://relay.example.org/"), "https://relay.example.org");
    }

    #[test]
    fn status_errors_are_explained() {
        let hub = Target::Hub { url: "http://127.0.0.1:7400".into(), dir: PathBuf::from("/srv/hub") };
        let e = hub.explain(Status::invalid_argument("title: must be 1 to 200 characters (got 0)"));
        assert_eq!(e.to_string(), "title: must be 1 to 200 characters (got 0)");
        let e = hub.explain(Status::unauthenticated("missing admin token"));
        assert_eq!(e.to_string(), "the hub refused the admin token in /srv/hub/admin.token: missing admin token");
        let e = hub.explain(Status::unavailable(""));
        assert_eq!(
            e.to_string(),
            "cannot reach the hub's admin API at http://127.0.0.1:7400 (is kith-hub running with --dir /srv/hub?)"
        );
        let e = hub.explain(Status::unavailable("store is closing"));
        assert_eq!(e.to_string(), "store is closing");
    }

    #[test]
    fn a_directory_without_hub_toml_is_not_a_hub() {
        let dir = tempfile::tempdir().unwrap();
        let e = load_hub_file(dir.path()).unwrap_err().to_string();
        assert!(e.contains("is not a hub directory"), "{e}");
        assert!(e.contains("kith init --dir"), "{e}");
    }
}
