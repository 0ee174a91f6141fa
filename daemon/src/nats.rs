//! How Kith's daemons reach NATS: one or several server URLs (comma-separated, for a
//! cluster), with credentials from the URL (`nats://user:pass@host:4222`) or from a
//! `.creds` file (NATS decentralised auth, as generated for per-hub users), over TLS
//! when a URL says `tls://` or a CA file is given (the server's certificate is then
//! checked against that CA). [`connect`] makes the first connection, retrying with
//! the daemons' [`Backoff`] until it succeeds or the daemon stops; after it the
//! client reconnects by itself.

use async_nats::{ConnectOptions, ServerAddr};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;
use thiserror::Error;

use crate::backoff::Backoff;
use crate::shutdown::{self, Stop};

#[derive(Debug, Error)]
pub enum NatsConfigError {
    #[error("NATS URL {url:?}: {why}")]
    Url { url: String, why: String },
    #[error("NATS credentials file {path}: {source}")]
    Creds { path: PathBuf, source: std::io::Error },
    #[error("NATS CA file {path}: {source}")]
    Ca { path: PathBuf, source: std::io::Error },
    #[error("NATS password file {path}: {source}")]
    Password { path: PathBuf, source: std::io::Error },
}

/// Parses `nats://a:4222,nats://b:4222` into server addresses.
pub fn parse_servers(urls: &str) -> Result<Vec<ServerAddr>, NatsConfigError> {
    let servers = urls
        .split(',')
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(|u| ServerAddr::from_str(u).map_err(|e| NatsConfigError::Url { url: redact(u), why: e.to_string() }))
        .collect::<Result<Vec<_>, _>>()?;
    if servers.is_empty() {
        return Err(NatsConfigError::Url { url: redact(urls), why: "no server given".into() });
    }
    Ok(servers)
}

/// Servers and options for a daemon's connection, named `name` in the server's
/// monitoring. After the first connection the client reconnects by itself, forever.
pub async fn connect_options(
    urls: &str,
    creds: Option<&Path>,
    ca: Option<&Path>,
    name: &str,
) -> Result<(Vec<ServerAddr>, ConnectOptions), NatsConfigError> {
    let servers = parse_servers(urls)?;
    // Read here, so that a missing CA file is one clear error rather than a failed
    // handshake at every reconnect.
    if let Some(path) = ca {
        std::fs::metadata(path).map_err(|source| NatsConfigError::Ca { path: path.to_owned(), source })?;
    }
    let mut options = match creds {
        Some(path) => ConnectOptions::with_credentials_file(path)
            .await
            .map_err(|source| NatsConfigError::Creds { path: path.to_owned(), source })?,
        None => ConnectOptions::new(),
    };
    // async-nats does not send credentials written in the URL; pass them on.
    if let Some((user, pass)) = servers.iter().find_map(|s| Some((s.username()?, s.password()?))) {
        options = options.user_and_password(user.to_owned(), pass.to_owned());
    }
    if let Some(path) = ca {
        options = options.add_root_certificates(path.to_owned()).require_tls(true);
    }
    if servers.iter().any(|s| s.tls_required()) {
        options = options.require_tls(true);
    }
    let options = options.name(name).connection_timeout(Duration::from_secs(5)).max_reconnects(None);
    Ok((servers, options))
}

/// `options` with the user named in `urls` and the password read from `path`.
fn with_password_file(options: ConnectOptions, urls: &str, path: &Path) -> Result<ConnectOptions, NatsConfigError> {
    let user = parse_servers(urls)?.iter().find_map(|s| s.username().map(str::to_owned)).ok_or_else(|| {
        NatsConfigError::Url {
            url: redact(urls),
            why: "a password file needs the user in the URL (nats://USER@host:4222)".into(),
        }
    })?;
    let password = std::fs::read_to_string(path)
        .map_err(|source| NatsConfigError::Password { path: path.to_owned(), source })?
        .trim()
        .to_owned();
    Ok(options.user_and_password(user, password))
}

/// The URLs with any password or token replaced by `***`, for logs and status
/// output: `nats://hub:***@a:4222`, and the same written without a scheme
/// (`hub:***@a:4222`), which async-nats also accepts.
pub fn redact(urls: &str) -> String {
    urls.split(',')
        .map(|u| {
            let u = u.trim();
            let start = u.find("://").map_or(0, |scheme| scheme + 3);
            match u[start..].rfind('@') {
                Some(at) => {
                    let at = start + at;
                    let userinfo = &u[start..at];
                    let hidden = match userinfo.split_once(':') {
                        Some((user, _)) => format!("{user}:***"),
                        None => "***".to_owned(),
                    };
                    format!("{}{hidden}{}", &u[..start], &u[at..])
                }
                None => u.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// What a daemon's connection is made of.
#[derive(Clone, Debug)]
pub struct Settings {
    /// One URL, or several separated by commas (a cluster).
    pub urls: String,
    pub creds: Option<PathBuf>,
    /// A file holding the password of the user named in the URLs, so that it is in
    /// no URL and no configuration file.
    pub password_file: Option<PathBuf>,
    /// The CA that signed the server's certificate: TLS, checked against it.
    pub ca: Option<PathBuf>,
    /// The connection's name in the server's monitoring.
    pub name: String,
    /// Where replies to this client's requests go, when its NATS user is limited to
    /// a prefix of its own.
    pub inbox_prefix: Option<String>,
}

/// Why one attempt to connect failed.
#[derive(Debug, Error)]
pub enum ConnectError {
    /// A bad URL or an unreadable credentials or CA file: an operator must act.
    #[error(transparent)]
    Config(#[from] NatsConfigError),
    #[error("cannot connect to NATS at {url}: {why}")]
    Unreachable { url: String, why: String },
}

/// Connects, trying again after each failure with `backoff` (each failure is passed
/// to `failed` first, for the daemon to log and show), until it succeeds or `stop`
/// is set (then `None`). `options` adds what a daemon needs to the connection
/// options (event callbacks).
pub async fn connect(
    settings: &Settings,
    mut backoff: Backoff,
    stop: &mut Stop,
    options: impl Fn(ConnectOptions) -> ConnectOptions,
    mut failed: impl FnMut(&ConnectError),
) -> Option<async_nats::Client> {
    loop {
        let attempt = async {
            let (servers, mut opts) =
                connect_options(&settings.urls, settings.creds.as_deref(), settings.ca.as_deref(), &settings.name)
                    .await?;
            if let Some(prefix) = &settings.inbox_prefix {
                opts = opts.custom_inbox_prefix(prefix);
            }
            if let Some(path) = &settings.password_file {
                opts = with_password_file(opts, &settings.urls, path)?;
            }
            options(opts)
                .connect(servers)
                .await
                .map_err(|e| ConnectError::Unreachable { url: redact(&settings.urls), why: e.to_string() })
        };
        let result = tokio::select! {
            r = attempt => r,
            _ = shutdown::stopped(stop) => return None,
        };
        match result {
            Ok(client) => {
                tracing::info!(url = %redact(&settings.urls), "connected to NATS");
                return Some(client);
            }
            Err(e) => {
                failed(&e);
                if !backoff.sleep(stop).await {
                    return None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact("nats://hub:s3cret@a:4222, nats://b:4222"), "nats://hub:***@a:4222,nats://b:4222");
        assert_eq!(redact("nats://tok3n@a:4222"), "nats://***@a:4222");
        assert_eq!(redact("nats://127.0.0.1:4222"), "nats://127.0.0.1:4222");
        // Without a scheme, as async-nats also takes them.
        assert_eq!(redact("hub:s3cret@a:4222"), "hub:***@a:4222");
        assert_eq!(redact("tok3n@a:4222,tls://u:p@w@b:4222"), "***@a:4222,tls://u:***@b:4222");
        assert_eq!(redact("a:4222"), "a:4222");
    }

    #[test]
    fn server_lists() {
        assert_eq!(parse_servers("nats://a:4222, nats://b:4223").unwrap().len(), 2);
        assert!(parse_servers("nats://host:notaport").unwrap_err().to_string().contains("notaport"));
        assert!(parse_servers(" , ").is_err());
    }
}
