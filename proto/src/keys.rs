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

use crate::Slug;
use crate::rotation::{self, KeyRotation};

/// Where the keys live inside a hub directory.
pub const KEYS_DIR: &str = "keys";
pub const SIGNING_KEY_FILE: &str = "signing.key";
pub const BOX_KEY_FILE: &str = "box.key";
/// The admin token file inside a hub directory.
pub const ADMIN_TOKEN_FILE: &str = "admin.token";
/// The hub's key rotations (`crate::rotation`), postcard, inside `keys/`.
pub const ROTATIONS_FILE: &str = "rotations";
/// Box secrets from before the latest rotations, 32 bytes each, newest first, inside
/// `keys/`: referrals sealed to an old box key before the sender learnt the new one
/// can still be opened.
pub const PREVIOUS_BOX_FILE: &str = "box.previous";
/// How many previous box secrets are kept.
pub const MAX_PREVIOUS_BOX: usize = 4;
/// New keys being put in place by a rotation (see [`HubKeys::replace`]).
const NEXT_KEYS_DIR: &str = "keys.next";

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
    /// How the signing key came to be, newest last (empty before any rotation).
    pub rotations: Vec<KeyRotation>,
    /// Box secrets replaced by rotations, newest first.
    pub previous_boxing: Vec<BoxSecret>,
}

impl std::fmt::Debug for HubKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print secrets, even in a debug log.
        f.debug_struct("HubKeys").field("signing_public", &hex(self.signing.verifying_key().as_bytes())).finish()
    }
}

impl HubKeys {
    pub fn generate() -> Self {
        HubKeys {
            signing: SigningKey::generate(&mut OsRng),
            boxing: BoxSecret::generate(&mut OsRng),
            rotations: Vec::new(),
            previous_boxing: Vec::new(),
        }
    }

    /// New keys for hub `hub` of `region`, with a rotation from these signed by the
    /// current signing key. The current box secret joins the previous ones.
    pub fn rotate(&self, region: &Slug, hub: &Slug, at_ms: i64) -> HubKeys {
        let next = HubKeys::generate();
        let rotation =
            KeyRotation::sign(region, hub, &self.signing, &next.signing.verifying_key(), next.box_public(), at_ms);
        let mut previous_boxing = vec![self.boxing.clone()];
        previous_boxing.extend(self.previous_boxing.iter().take(MAX_PREVIOUS_BOX - 1).cloned());
        HubKeys { rotations: rotation::extend(self.rotations.clone(), rotation), previous_boxing, ..next }
    }

    /// Puts these keys in place of the ones in `hub_dir/keys/`, all at once: they
    /// are written to `keys.next/` and synced, then the directories are swapped and
    /// the old one removed (its signing key must not be usable again). A crash
    /// between the two renames is finished by the next [`HubKeys::load`].
    pub fn replace(&self, hub_dir: &Path) -> Result<(), KeyError> {
        let next = hub_dir.join(NEXT_KEYS_DIR);
        if next.exists() {
            fs::remove_dir_all(&next).map_err(io(&next))?;
        }
        self.write_into(&next)?;
        let current = hub_dir.join(KEYS_DIR);
        let retired = hub_dir.join(format!("{KEYS_DIR}.retired"));
        if retired.exists() {
            fs::remove_dir_all(&retired).map_err(io(&retired))?;
        }
        fs::rename(&current, &retired).map_err(io(&current))?;
        fs::rename(&next, &current).map_err(io(&next))?;
        sync_dir(hub_dir)?;
        fs::remove_dir_all(&retired).map_err(io(&retired))?;
        Ok(())
    }

    fn write_into(&self, dir: &Path) -> Result<(), KeyError> {
        create_private_dir(dir)?;
        write_secret(&dir.join(SIGNING_KEY_FILE), &self.signing.to_bytes())?;
        write_secret(&dir.join(BOX_KEY_FILE), &self.boxing.to_bytes())?;
        if !self.rotations.is_empty() {
            let bytes = postcard::to_stdvec(&self.rotations).expect("rotations encode");
            write_secret(&dir.join(ROTATIONS_FILE), &bytes)?;
        }
        if !self.previous_boxing.is_empty() {
            let bytes: Vec<u8> = self.previous_boxing.iter().flat_map(|k| k.to_bytes()).collect();
            write_secret(&dir.join(PREVIOUS_BOX_FILE), &bytes)?;
        }
        sync_dir(dir)
    }

    /// Every box secret a referral to this hub may have been sealed to: the current
    /// one first.
    pub fn box_secrets(&self) -> Vec<BoxSecret> {
        std::iter::once(self.boxing.clone()).chain(self.previous_boxing.iter().cloned()).collect()
    }

    /// The x25519 public key that referrals to this hub are sealed to.
    pub fn box_public(&self) -> [u8; 32] {
        *self.boxing.public_key().as_bytes()
    }

    /// Writes both keys under `hub_dir/keys/`, refusing to overwrite existing ones.
    pub fn save(&self, hub_dir: &Path) -> Result<(), KeyError> {
        self.write_into(&hub_dir.join(KEYS_DIR))
    }

    /// Reads the keys from `hub_dir/keys/`.
    pub fn load(hub_dir: &Path) -> Result<Self, KeyError> {
        let dir = hub_dir.join(KEYS_DIR);
        let next = hub_dir.join(NEXT_KEYS_DIR);
        if !dir.exists() && next.join(SIGNING_KEY_FILE).exists() {
            // A rotation stopped between its two renames: its new keys were complete.
            fs::rename(&next, &dir).map_err(io(&next))?;
        }
        let signing = SigningKey::from_bytes(&read_secret32(&dir.join(SIGNING_KEY_FILE))?);
        let boxing = BoxSecret::from(read_secret32(&dir.join(BOX_KEY_FILE))?);
        let rotations_path = dir.join(ROTATIONS_FILE);
        let rotations = match read_optional(&rotations_path)? {
            Some(bytes) => postcard::from_bytes(&bytes)
                .map_err(|e| KeyError::Invalid { path: rotations_path.clone(), why: e.to_string() })?,
            None => Vec::new(),
        };
        let previous_path = dir.join(PREVIOUS_BOX_FILE);
        let previous_boxing = match read_optional(&previous_path)? {
            Some(bytes) if bytes.len() % 32 == 0 => {
                bytes.chunks(32).map(|c| BoxSecret::from(<[u8; 32]>::try_from(c).expect("32 bytes"))).collect()
            }
            Some(bytes) => {
                return Err(KeyError::Invalid {
                    path: previous_path,
                    why: format!("expected 32-byte keys, found {} bytes", bytes.len()),
                });
            }
            None => Vec::new(),
        };
        Ok(HubKeys { signing, boxing, rotations, previous_boxing })
    }
}

/// The ed25519 key in `path` (32 bytes, mode 0600), made there if there is none yet
/// (a region coordinator's key); whether it was made.
pub fn signing_key_file(path: &Path) -> Result<(SigningKey, bool), KeyError> {
    if path.exists() {
        return Ok((SigningKey::from_bytes(&read_secret32(path)?), false));
    }
    let key = SigningKey::generate(&mut OsRng);
    write_secret(path, &key.to_bytes())?;
    Ok((key, true))
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

/// The bytes of hex text (either case); `None` if it is not hex.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
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

fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, KeyError> {
    if !path.exists() {
        return Ok(None);
    }
    check_private(path)?;
    fs::read(path).map(Some).map_err(io(path))
}

fn sync_dir(dir: &Path) -> Result<(), KeyError> {
    fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
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
        // A rotation replaces them, keeping the chain and the old box secret.
        let (r, h) = (Slug::parse("t", "wy").unwrap(), Slug::parse("t", "garden").unwrap());
        let next = loaded.rotate(&r, &h, 5);
        next.replace(dir.path()).unwrap();
        let after = HubKeys::load(dir.path()).unwrap();
        assert_eq!(after.signing.to_bytes(), next.signing.to_bytes());
        assert!(rotation::leads(
            &after.rotations,
            &r,
            &h,
            &keys.signing.verifying_key(),
            &after.signing.verifying_key()
        ));
        assert_eq!(after.box_secrets().len(), 2);
        assert_eq!(after.box_secrets()[1].to_bytes(), keys.boxing.to_bytes());
        assert!(!dir.path().join("keys.retired").exists() && !dir.path().join("keys.next").exists());
        // Interrupted between the renames: the next load finishes it.
        fs::rename(dir.path().join(KEYS_DIR), dir.path().join(NEXT_KEYS_DIR)).unwrap();
        assert_eq!(HubKeys::load(dir.path()).unwrap().signing.to_bytes(), next.signing.to_bytes());
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
