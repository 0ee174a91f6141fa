//! What an operator does to a hub's directory outside the daemon: changing its keys
//! (the hub stopped), writing a backup file, restoring one.
//!
//! Those that open the hub's store themselves refuse to run while the hub does (sled
//! locks the store: [`crate::store::StoreError::InUse`]).
//!
//! A backup file is [`BACKUP_MAGIC`] followed by a postcard [`Backup`]: the files of
//! the hub's directory (`hub.toml`, the keys, the admin token) and a consistent copy
//! of its store ([`Store::dump`]). It holds the hub's secret keys: it is written
//! mode 0600 and must be kept like them.

use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

use kith_proto::Slug;
use kith_proto::keys::{self, HubKeys};

use crate::Error;
use crate::config::{self, HubFile};
use crate::store::{self, Identity, Store};

/// What [`rotate_keys`] did.
#[derive(Clone, Debug)]
pub struct Rotated {
    /// Hex of the signing key before and after.
    pub old_key: String,
    pub new_key: String,
    /// How many rotations the hub's profile now carries.
    pub rotations: usize,
}

/// Replaces the hub's signing and box keys with new ones. The new profile carries a
/// rotation signed by the old key and is itself signed by the new one; when the hub
/// next starts it publishes that profile, then everything it owns again under the
/// new key, so that a relay or hub meeting it afresh finds only the new key on the
/// stream. The old box secret is kept to open referrals already sealed to it; the
/// old signing key is destroyed.
pub async fn rotate_keys(dir: &Path) -> Result<Rotated, Error> {
    let file = HubFile::load(dir)?;
    let old = HubKeys::load(dir)?;
    let new = old.rotate(&file.region, &file.hub_id, kith_proto::time::now_ms());
    let identity = Identity { region: file.region.clone(), hub: file.hub_id.clone(), signing: new.signing.clone() };
    // The store first: if the keys then fail to change, the hub only republishes
    // under its old key, which is harmless.
    let store = Store::open(&dir.join(config::STORE_DIR), identity)?;
    store.keys_replaced().await?;
    store.close().await?;
    new.replace(dir)?;
    tracing::info!(hub = %file.hub_id, "keys rotated");
    Ok(Rotated {
        old_key: keys::hex(old.signing.verifying_key().as_bytes()),
        new_key: keys::hex(new.signing.verifying_key().as_bytes()),
        rotations: new.rotations.len(),
    })
}

/// The first bytes of a backup file: what it is, and its layout's version.
pub const BACKUP_MAGIC: &[u8; 8] = b"KITHBAK1";

/// What a backup file holds.
#[derive(Serialize, Deserialize)]
pub struct Backup {
    pub region: Slug,
    pub hub: Slug,
    pub taken_at_ms: i64,
    /// The last hub sequence number in the copy of the store.
    pub last_seq: u64,
    /// Files of the hub's directory, by path inside it.
    files: Vec<(String, Vec<u8>)>,
    /// [`Store::dump`].
    store: Vec<u8>,
}

/// The files of a hub's directory that a backup holds, besides the store; those
/// that may be missing are `false`.
const BACKED_UP: [(&str, bool); 6] = [
    (config::HUB_FILE, true),
    (keys::ADMIN_TOKEN_FILE, true),
    ("keys/signing.key", true),
    ("keys/box.key", true),
    ("keys/rotations", false),
    ("keys/box.previous", false),
];

/// Writes a backup of the hub in `dir` to `out` (beside it first, then renamed into
/// place; mode 0600), from a copy of its store made by the running hub.
pub fn write_backup(dir: &Path, store_dump: Vec<u8>, last_seq: u64, out: &Path) -> Result<Backup, Error> {
    let file = HubFile::load(dir)?;
    let mut files = Vec::new();
    for (name, required) in BACKED_UP {
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => files.push((name.to_owned(), bytes)),
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(backup_error(&path, e.to_string())),
        }
    }
    let backup = Backup {
        region: file.region,
        hub: file.hub_id,
        taken_at_ms: kith_proto::time::now_ms(),
        last_seq,
        files,
        store: store_dump,
    };
    let mut bytes = BACKUP_MAGIC.to_vec();
    bytes.extend(postcard::to_stdvec(&backup).map_err(|e| backup_error(out, e.to_string()))?);
    let name = out.file_name().ok_or_else(|| backup_error(out, "not a file name".into()))?;
    let partial = out.with_file_name(format!(".{}.partial", name.to_string_lossy()));
    // Made anew, never opened where it stands: a file or a symbolic link another
    // user put there first would otherwise receive every secret of the hub. One
    // left by an earlier backup that failed is removed (unlinking does not follow a
    // link); one that cannot be removed is not ours, and the backup is refused.
    match std::fs::remove_file(&partial) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(backup_error(&partial, format!("is in the way and cannot be removed ({e})"))),
    }
    let mut options = std::fs::OpenOptions::new();
    // create_new is O_CREAT | O_EXCL: it fails on anything there, a link included.
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options
        .open(&partial)
        .and_then(|mut f| f.write_all(&bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&partial, out));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(backup_error(out, e.to_string()));
    }
    Ok(backup)
}

/// What [`restore`] made.
#[derive(Clone, Debug)]
pub struct Restored {
    pub region: Slug,
    pub hub: Slug,
    pub taken_at_ms: i64,
    pub last_seq: u64,
}

/// Makes a hub directory `dir` (which must not hold a hub) from the backup file
/// `file`. When the hub starts, it reads back from the region's stream whatever it
/// published after the backup was taken before it publishes anything
/// ([`crate::catchup`]), so a restore never makes the region go backwards.
pub fn restore(file: &Path, dir: &Path) -> Result<Restored, Error> {
    let bytes = std::fs::read(file).map_err(|e| backup_error(file, e.to_string()))?;
    let Some(body) = bytes.strip_prefix(BACKUP_MAGIC.as_slice()) else {
        return Err(backup_error(file, "not a Kith hub backup (made by `kith backup`)".into()));
    };
    let backup: Backup = postcard::from_bytes(body)
        .map_err(|e| backup_error(file, format!("damaged or cut short ({e}); nothing was restored")))?;
    let toml = backup.files.iter().find(|(n, _)| n == config::HUB_FILE).map(|(_, b)| b);
    let hub_file: HubFile = toml
        .and_then(|b| std::str::from_utf8(b).ok())
        .and_then(|t| toml::from_str(t).ok())
        .ok_or_else(|| backup_error(file, format!("holds no readable {}", config::HUB_FILE)))?;
    if hub_file.hub_id != backup.hub || hub_file.region != backup.region {
        return Err(backup_error(file, "its hub.toml is of another hub than the backup".into()));
    }
    if let Some(unknown) = backup.files.iter().find(|(n, _)| !BACKED_UP.iter().any(|(b, _)| b == n)) {
        return Err(backup_error(file, format!("holds an unexpected file {:?}", unknown.0)));
    }
    if dir.join(config::HUB_FILE).exists() {
        return Err(config::ConfigError::AlreadyInitialised { path: dir.join(config::HUB_FILE) }.into());
    }
    let dir_error = |path: &Path, e: std::io::Error| backup_error(path, e.to_string());
    std::fs::create_dir_all(dir.join(keys::KEYS_DIR)).map_err(|e| dir_error(dir, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| dir_error(dir, e))?;
        let keys_dir = dir.join(keys::KEYS_DIR);
        std::fs::set_permissions(&keys_dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| dir_error(&keys_dir, e))?;
    }
    // The store first: a restore that fails there leaves no hub.toml behind, so it
    // can be run again.
    store::import_dump(&dir.join(config::STORE_DIR), &backup.store)?;
    let mut ordered: Vec<&(String, Vec<u8>)> = backup.files.iter().collect();
    // hub.toml last: its presence says the directory holds a whole hub.
    ordered.sort_by_key(|(n, _)| n == config::HUB_FILE);
    for (name, bytes) in ordered {
        let path = dir.join(name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        // Every file of a hub is its user's alone (hub.toml may hold a NATS password).
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options
            .open(&path)
            .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
            .map_err(|e| dir_error(&path, e))?;
    }
    Ok(Restored { region: backup.region, hub: backup.hub, taken_at_ms: backup.taken_at_ms, last_seq: backup.last_seq })
}

fn backup_error(path: &Path, why: String) -> Error {
    Error::Backup { path: PathBuf::from(path), why }
}
