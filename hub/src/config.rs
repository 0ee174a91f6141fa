//! The hub's configuration: `DIR/hub.toml` (written by `kith init`), overridden by
//! `KITH_*` environment variables and flags (see `main.rs`).

use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;
use thiserror::Error;

use kith_proto::Slug;
use kith_proto::keys::{self, HubKeys, KeyError};
use kith_proto::validate::toml_problem;

/// The name of the config file inside a hub directory.
pub const HUB_FILE: &str = "hub.toml";
/// The sled store inside a hub directory.
pub const STORE_DIR: &str = "store";
/// Where the admin API listens unless told otherwise: loopback only.
pub const DEFAULT_ADMIN_LISTEN: &str = "127.0.0.1:7400";
pub const DEFAULT_NATS_URL: &str = "nats://127.0.0.1:4222";
pub const DEFAULT_HEARTBEAT_SECS: u64 = 60;
/// 72 hours.
pub const DEFAULT_REFERRAL_EXPIRY_SECS: u64 = 72 * 3600;

/// `hub.toml`: who the hub is and where it connects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HubFile {
    pub hub_id: Slug,
    pub region: Slug,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub helpline_hours: String,
    /// The language the group writes its listings in (a BCP 47 tag: `cy`, `ur`,
    /// `pl`), published with its profile so that readers mark its text with it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub language: String,
    #[serde(default = "default_nats_url")]
    pub nats_url: String,
    #[serde(default = "default_admin_listen")]
    pub admin_listen: SocketAddr,
    /// How often the profile is re-published as a heartbeat.
    #[serde(default = "default_heartbeat_secs")]
    pub heartbeat_secs: u64,
    /// How long a receiving hub has to answer (accept or decline) a referral from
    /// this hub before it expires.
    #[serde(default = "default_referral_expiry_secs")]
    pub referral_expiry_secs: u64,
    /// Referrals from one other hub that may be open here at once; beyond it, that
    /// hub's new referrals are refused (and it is told).
    #[serde(default = "default_referral_limit_open")]
    pub referral_limit_open: u32,
    /// New referrals from one other hub taken in an hour; beyond it, refused.
    #[serde(default = "default_referral_limit_per_hour")]
    pub referral_limit_per_hour: u32,
    /// A NATS `.creds` file for this hub's NATS user, where the region uses them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nats_creds: Option<PathBuf>,
    /// A file holding the password of the NATS user named in `nats_url`
    /// (`nats://peer-garden@host:4222`), mode 0600: the password stays out of
    /// hub.toml and out of every URL shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nats_password_file: Option<PathBuf>,
    /// The CA that signed the NATS server's certificate: the hub then talks TLS to
    /// NATS and checks the server against it (so does a `tls://` URL, against the
    /// system's roots).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nats_ca: Option<PathBuf>,
    /// The region's roster (`kith region roster`): other hubs' keys come from it
    /// rather than from their first profile, and a hub not on it is neither sealed
    /// to nor listened to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster: Option<PathBuf>,
    /// The coordinator's public key (hex) the roster must be signed by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster_coordinator: Option<String>,
    /// TLS for the admin API (PEM certificate chain and key): only with it may the
    /// admin API listen beyond loopback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_tls_cert: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_tls_key: Option<PathBuf>,
    /// For `kith`: the CA that signed `admin_tls_cert` (default: that certificate
    /// itself, when it is self-signed), and the name to check it for (default: the
    /// address in `admin_listen`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_tls_ca: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_tls_name: Option<String>,
    /// Where the group's desk (its web pages for its workers) listens; off unless
    /// given. Beyond loopback only with `admin_tls_cert`, whose certificate it serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desk_listen: Option<SocketAddr>,
    /// The relays (their ed25519 keys, hex, as `kith-relay` prints them) whose asks
    /// this hub takes: a person asking about a listing on a relay's board. None:
    /// the hub takes no asks and the board shows only how to call.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ask_relays: Vec<String>,
    /// Asks taken a day at most (the region's day), until changed with `kith ask cap`.
    #[serde(default = "default_ask_daily_cap")]
    pub ask_daily_cap: u32,
    /// The region's fair rate, in pounds an hour (`"13.45"`; the relay's
    /// `--fair-rate`): the pool's businesses, members and jobs are refused below it.
    /// None: the pool is closed until it is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fair_rate: Option<String>,
}

fn default_ask_daily_cap() -> u32 {
    kith_proto::ask::AskPolicy::DEFAULT_DAILY_CAP
}

fn default_nats_url() -> String {
    DEFAULT_NATS_URL.to_owned()
}
fn default_admin_listen() -> SocketAddr {
    DEFAULT_ADMIN_LISTEN.parse().expect("valid default")
}
fn default_heartbeat_secs() -> u64 {
    DEFAULT_HEARTBEAT_SECS
}
fn default_referral_limit_open() -> u32 {
    crate::limits::SenderLimits::default().open
}

fn default_referral_limit_per_hour() -> u32 {
    crate::limits::SenderLimits::default().per_hour
}

fn default_referral_expiry_secs() -> u64 {
    DEFAULT_REFERRAL_EXPIRY_SECS
}

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {why}")]
    Parse { path: PathBuf, why: String },
    #[error("{path}: {why}")]
    Invalid { path: PathBuf, why: String },
    #[error("{path} already exists: this directory already holds a hub")]
    AlreadyInitialised { path: PathBuf },
    #[error(
        "{path}: mode is {mode:o} and it holds {what}: another user of this machine could read it and take this \
         hub's referrals from NATS; chmod 600 {path}"
    )]
    ReadableSecret { path: PathBuf, mode: u32, what: &'static str },
    #[error(transparent)]
    Keys(#[from] KeyError),
}

impl HubFile {
    /// A hub's file with every optional setting at its default.
    pub fn new(hub_id: Slug, region: Slug, name: String, nats_url: String, admin_listen: SocketAddr) -> HubFile {
        HubFile {
            hub_id,
            region,
            name,
            description: String::new(),
            contact: String::new(),
            helpline_hours: String::new(),
            language: String::new(),
            nats_url,
            admin_listen,
            heartbeat_secs: DEFAULT_HEARTBEAT_SECS,
            referral_expiry_secs: DEFAULT_REFERRAL_EXPIRY_SECS,
            referral_limit_open: default_referral_limit_open(),
            referral_limit_per_hour: default_referral_limit_per_hour(),
            nats_creds: None,
            nats_password_file: None,
            nats_ca: None,
            roster: None,
            roster_coordinator: None,
            admin_tls_cert: None,
            admin_tls_key: None,
            admin_tls_ca: None,
            admin_tls_name: None,
            desk_listen: None,
            ask_relays: Vec::new(),
            ask_daily_cap: default_ask_daily_cap(),
            fair_rate: None,
        }
    }

    /// `fair_rate`, in pence an hour.
    pub fn fair_rate_pence(&self) -> Result<Option<u32>, String> {
        let Some(text) = &self.fair_rate else { return Ok(None) };
        let pence = kith_proto::validate::parse_pounds(text).map_err(|why| format!("fair_rate: {why}"))?;
        match u32::try_from(pence) {
            Ok(0) => Err("fair_rate: must be more than £0".into()),
            Ok(p) if p <= 100_000 => Ok(Some(p)),
            _ => Err(format!("fair_rate: at most £1000 an hour (got {text:?})")),
        }
    }

    /// The relays' keys in `ask_relays`, read.
    pub fn ask_relay_keys(&self) -> Result<Vec<ed25519_dalek::VerifyingKey>, String> {
        self.ask_relays
            .iter()
            .map(|hex| {
                kith_proto::roster::key(hex)
                    .map_err(|why| format!("ask_relays: {why} (a relay's key, as `kith-relay` prints it at start)"))
            })
            .collect()
    }

    /// Reads `dir/hub.toml`.
    pub fn load(dir: &Path) -> Result<HubFile, ConfigError> {
        let path = dir.join(HUB_FILE);
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Io { path: path.clone(), source })?;
        let file: HubFile = toml::from_str(&text)
            .map_err(|e| ConfigError::Parse { path: path.clone(), why: toml_problem(&text, &e) })?;
        if let Err(e) = kith_daemon::nats::parse_servers(&file.nats_url) {
            return Err(ConfigError::Invalid { path, why: format!("nats_url: {e}") });
        }
        if file.referral_expiry_secs == 0 {
            return Err(ConfigError::Invalid { path, why: "referral_expiry_secs must be at least 1".into() });
        }
        if file.referral_limit_open == 0 || file.referral_limit_per_hour == 0 {
            return Err(ConfigError::Invalid {
                path,
                why: "referral_limit_open and referral_limit_per_hour must be at least 1".into(),
            });
        }
        if file.heartbeat_secs == 0 {
            return Err(ConfigError::Invalid { path, why: "heartbeat_secs must be at least 1".into() });
        }
        if let Err(why) = file.ask_relay_keys() {
            return Err(ConfigError::Invalid { path, why });
        }
        if let Err(why) = file.fair_rate_pence() {
            return Err(ConfigError::Invalid { path, why });
        }
        if file.ask_daily_cap > kith_proto::ask::AskPolicy::MAX_DAILY_CAP {
            return Err(ConfigError::Invalid {
                path,
                why: format!("ask_daily_cap: at most {}", kith_proto::ask::AskPolicy::MAX_DAILY_CAP),
            });
        }
        if file.admin_tls_cert.is_some() != file.admin_tls_key.is_some() {
            return Err(ConfigError::Invalid {
                path,
                why: "admin_tls_cert and admin_tls_key go together: give both, or neither".into(),
            });
        }
        Ok(file)
    }

    /// Refuses to run with a NATS credential other users of the machine can read:
    /// `hub.toml` when its `nats_url` carries a password, and the `nats_creds`
    /// file. With them, anyone could pull this hub's inbox consumer and swallow its
    /// referrals. (The keys and the admin token are checked where they are read.)
    pub fn check_secrets(&self, dir: &Path) -> Result<(), ConfigError> {
        let url_has_secret = self.nats_url.split(',').any(|u| u.contains('@'));
        if url_has_secret {
            private(&dir.join(HUB_FILE), "a NATS password (in nats_url; better in nats_password_file)")?;
        }
        if let Some(creds) = &self.nats_creds {
            private(creds, "this hub's NATS credentials")?;
        }
        if let Some(file) = &self.nats_password_file {
            private(file, "this hub's NATS password")?;
        }
        Ok(())
    }

    fn save_new(&self, dir: &Path) -> Result<(), ConfigError> {
        let path = dir.join(HUB_FILE);
        let text = format!(
            "# Kith hub configuration, written by `kith init`.\n\
             # Flags and KITH_* environment variables override these values.\n{}",
            toml::to_string_pretty(self).expect("hub file serialises")
        );
        let text = if text.ends_with('\n') { text } else { text + "\n" };
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        // Only the hub's user reads it: it may hold a NATS password.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::AlreadyExists {
                ConfigError::AlreadyInitialised { path: path.clone() }
            } else {
                ConfigError::Io { path: path.clone(), source }
            }
        })?;
        std::io::Write::write_all(&mut f, text.as_bytes()).map_err(|source| ConfigError::Io { path, source })?;
        Ok(())
    }
}

/// What `kith init` creates: `hub.toml`, the keys and the admin token.
/// Refuses a directory that already holds a hub, so keys are never overwritten.
pub fn init(dir: &Path, file: &HubFile) -> Result<InitOutcome, ConfigError> {
    let profile_check = kith_proto::domain::HubProfile {
        name: file.name.clone(),
        description: file.description.clone(),
        contact: file.contact.clone(),
        helpline_hours: file.helpline_hours.clone(),
        signing_key: [0; 32],
        box_key: [0; 32],
        rotations: vec![],
        left: false,
        digest: None,
        asks: Default::default(),
        unmet_work: Vec::new(),
        language: file.language.clone(),
    };
    profile_check.validate().map_err(|e| ConfigError::Invalid { path: dir.join(HUB_FILE), why: e.to_string() })?;
    if dir.join(HUB_FILE).exists() {
        return Err(ConfigError::AlreadyInitialised { path: dir.join(HUB_FILE) });
    }
    std::fs::create_dir_all(dir).map_err(|source| ConfigError::Io { path: dir.to_owned(), source })?;
    // The hub's directory is its user's alone: its store, keys, token and hub.toml.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|source| ConfigError::Io { path: dir.to_owned(), source })?;
    }
    let hub_keys = HubKeys::generate();
    hub_keys.save(dir)?;
    let token = keys::create_admin_token(dir)?;
    file.save_new(dir)?;
    Ok(InitOutcome { signing_key: keys::hex(hub_keys.signing.verifying_key().as_bytes()), admin_token: token })
}

/// Refuses `path` if group or others may read it (`what` it holds says why it matters).
fn private(path: &Path, what: &'static str) -> Result<(), ConfigError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|source| ConfigError::Io { path: path.to_owned(), source })?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(ConfigError::ReadableSecret { path: path.to_owned(), mode: mode & 0o777, what });
        }
    }
    Ok(())
}

/// What `init` made that the operator may want to see.
#[derive(Debug, Clone)]
pub struct InitOutcome {
    /// Hex of the ed25519 public key, for the relay operator to compare.
    pub signing_key: String,
    pub admin_token: String,
}

/// Everything the hub daemon needs to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The hub directory: `hub.toml`, `keys/`, `admin.token`, `store/`.
    pub dir: PathBuf,
    pub file: HubFile,
    /// Outbox entries published before waiting for their PubAcks.
    pub publish_window: usize,
    /// Longest wait between reconnection attempts.
    pub max_backoff: Duration,
    /// Where Prometheus metrics are served (`/metrics`), if anywhere.
    pub metrics_listen: Option<SocketAddr>,
}

impl Config {
    /// Loads `dir/hub.toml` with the defaults for everything else.
    pub fn load(dir: &Path) -> Result<Config, ConfigError> {
        Ok(Config {
            dir: dir.to_owned(),
            file: HubFile::load(dir)?,
            publish_window: 256,
            max_backoff: Duration::from_secs(10),
            metrics_listen: None,
        })
    }

    pub fn heartbeat(&self) -> Duration {
        Duration::from_secs(self.file.heartbeat_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> HubFile {
        HubFile::new(
            Slug::parse("hub", "peer-garden").unwrap(),
            Slug::parse("region", "wy").unwrap(),
            "Peer Garden".into(),
            DEFAULT_NATS_URL.into(),
            default_admin_listen(),
        )
    }

    #[test]
    fn init_writes_a_loadable_hub_and_refuses_twice() {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path(), &file()).unwrap();
        assert_eq!(HubFile::load(dir.path()).unwrap(), file());
        assert!(HubKeys::load(dir.path()).is_ok());
        assert!(matches!(init(dir.path(), &file()), Err(ConfigError::AlreadyInitialised { .. })));
    }

    #[test]
    fn the_language_a_hub_writes_in_is_kept_and_a_bad_one_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let welsh = HubFile { language: "cy".into(), ..file() };
        init(dir.path(), &welsh).unwrap();
        assert_eq!(HubFile::load(dir.path()).unwrap().language, "cy");
        let other = tempfile::tempdir().unwrap();
        let e = init(other.path(), &HubFile { language: "Welsh".into(), ..file() }).unwrap_err().to_string();
        assert!(e.contains("language") && e.contains("\"Welsh\""), "{e}");
        assert!(!other.path().join(HUB_FILE).exists(), "nothing is written");
    }

    #[test]
    fn unknown_keys_in_hub_toml_are_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(HUB_FILE), "hub_id = \"a\"\nregion = \"b\"\nname = \"n\"\nnats = \"x\"\n")
            .unwrap();
        let e = HubFile::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("nats"), "{e}");
    }
}
