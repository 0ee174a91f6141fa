//! A hub's secrets on disk: its ed25519 signing key, its x25519 key for sealed
//! referrals, and the token of its admin API. All are created by `kith init` in files
//! of mode 0600 inside a directory of mode 0700, and refused if anyone else can read them.

use crypto_box::SecretKey as BoxSecret;
use ed25519_dalek::SigningKey;
use rand::RngCore;
use rand::rngs::OsRng;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Where the keys live inside a hub directory.
pub const KEYS_DIR: &str = "keys";
pub const SIGNING_KEY_FILE: &str = "signing.key";
pub const BOX_KEY_FILE: &str = "box.key";
/// The admin token file inside a hub directory.
pub const ADMIN_TOKEN_FILE: &str = "admin.token";

#[derive(Debug, Error)]
pub enum KeyError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {why}")]
    Invalid { path: PathBuf, why: String },
    #[error("{path} already exists; refusing to overwrite a hub's keys")]
    Exists { path: PathBuf },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> KeyError + '_ {
    move |source| KeyError::Io { path: path.to_owned(), source }
}

/// The secret keys of one hub.
pub struct HubKeys {
    pub signing: SigningKey,
    pub boxing: BoxSecret,
}

impl std::fmt::Debug for HubKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print secrets, even in a debug log.
        f.debug_struct("HubKeys").field("signing_public", &hex(self.signing.verifying_key().as_bytes())).finish()
    }
}

impl HubKeys {
    pub fn generate() -> Self {
        HubKeys { signing: SigningKey::generate(&mut OsRng), boxing: BoxSecret::generate(&mut OsRng) }
    }

    /// The x25519 public key that referrals to this hub are sealed to.
    pub fn box_public(&self) -> [u8; 32] {
        *self.boxing.public_key().as_bytes()
    }

    /// Writes both keys under `hub_dir/keys/`, refusing to overwrite existing ones.
    pub fn save(&self, hub_dir: &Path) -> Result<(), KeyError> {
        let dir = hub_dir.join(KEYS_DIR);
        create_private_dir(&dir)?;
        write_secret(&dir.join(SIGNING_KEY_FILE), &self.signing.to_bytes())?;
        write_secret(&dir.join(BOX_KEY_FILE), &self.boxing.to_bytes())?;
        Ok(())
    }

    /// Reads the keys from `hub_dir/keys/`.
    pub fn load(hub_dir: &Path) -> Result<Self, KeyError> {
        let dir = hub_dir.join(KEYS_DIR);
        let signing = SigningKey::from_bytes(&read_secret32(&dir.join(SIGNING_KEY_FILE))?);
        let boxing = BoxSecret::from(read_secret32(&dir.join(BOX_KEY_FILE))?);
        Ok(HubKeys { signing, boxing })
    }
}

/// Creates a new random admin token (64 hex characters) in `hub_dir/admin.token`.
pub fn create_admin_token(hub_dir: &Path) -> Result<String, KeyError> {
    let token = random_token();
    write_secret(&hub_dir.join(ADMIN_TOKEN_FILE), token.as_bytes())?;
    Ok(token)
}

/// 32 random bytes as 64 hex characters: admin tokens, NATS passwords.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// Reads the admin token of the hub in `hub_dir`.
pub fn read_admin_token(hub_dir: &Path) -> Result<String, KeyError> {
    let path = hub_dir.join(ADMIN_TOKEN_FILE);
    check_private(&path)?;
    let token = fs::read_to_string(&path).map_err(io(&path))?;
    let token = token.trim().to_owned();
    if token.len() < 32 {
        return Err(KeyError::Invalid { path, why: "admin token is too short".into() });
    }
    Ok(token)
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn create_private_dir(dir: &Path) -> Result<(), KeyError> {
    fs::create_dir_all(dir).map_err(io(dir))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(io(dir))?;
    }
    Ok(())
}

fn write_secret(path: &Path, bytes: &[u8]) -> Result<(), KeyError> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => KeyError::Exists { path: path.to_owned() },
        _ => KeyError::Io { path: path.to_owned(), source: e },
    })?;
    file.write_all(bytes).map_err(io(path))?;
    file.sync_all().map_err(io(path))?;
    Ok(())
}

fn read_secret32(path: &Path) -> Result<[u8; 32], KeyError> {
    check_private(path)?;
    let bytes = fs::read(path).map_err(io(path))?;
    bytes.try_into().map_err(|b: Vec<u8>| KeyError::Invalid {
        path: path.to_owned(),
        why: format!("expected a 32-byte key, found {} bytes", b.len()),
    })
}

/// Refuses a secret file that group or others can read: a leaked key lets anyone
/// speak for the hub.
fn check_private(path: &Path) -> Result<(), KeyError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path).map_err(io(path))?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(KeyError::Invalid {
                path: path.to_owned(),
                why: format!("mode is {:o}; secrets must be 0600 (chmod 600 {})", mode & 0o777, path.display()),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_with_private_modes() {
        let dir = tempfile::tempdir().unwrap();
        let keys = HubKeys::generate();
        keys.save(dir.path()).unwrap();
        let loaded = HubKeys::load(dir.path()).unwrap();
        assert_eq!(loaded.signing.to_bytes(), keys.signing.to_bytes());
        assert_eq!(loaded.box_public(), keys.box_public());
        assert!(matches!(keys.save(dir.path()), Err(KeyError::Exists { .. })));
        let token = create_admin_token(dir.path()).unwrap();
        assert_eq!(read_admin_token(dir.path()).unwrap(), token);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let p = dir.path().join(ADMIN_TOKEN_FILE);
            fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).unwrap();
            assert!(read_admin_token(dir.path()).unwrap_err().to_string().contains("0600"));
        }
    }
}
