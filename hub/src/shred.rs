//! Erasing for real: each referral's record is encrypted at rest under a key of its
//! own, kept outside the store, and erasing destroys that key (crypto-shredding).
//!
//! sled keeps old values in its log until it compacts, so a record overwritten
//! without the person's details can still be read from the store's files for a
//! while. Encrypted, those old values are unreadable once their key is gone.
//!
//! The keys live in `referral.keys` beside the store (mode 0600): fixed slots of 48
//! bytes, a referral's id (16) and its key (32); a slot of zeros is free. A key is
//! written and synced before the first record encrypted under it; destroying it
//! overwrites its slot with zeros in place and syncs. A record holding nothing
//! personal (erased, or not yet told the person) is stored unencrypted, and its key,
//! if it had one, is destroyed once that record is on disk.
//!
//! A record's value is one tag byte and then postcard bytes ([`PLAIN`]), or a nonce
//! and an XSalsa20-Poly1305 box of them ([`SEALED`]).

use crypto_secretbox::aead::{Aead, KeyInit};
use crypto_secretbox::{Key, Nonce, XSalsa20Poly1305};
use rand::RngCore;
use rand::rngs::OsRng;
use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use ulid::Ulid;

/// The key file, inside the store's directory.
pub const KEYS_FILE: &str = "referral.keys";

/// A record stored as it is: it holds nothing personal.
pub const PLAIN: u8 = 0;
/// A record encrypted under its referral's key.
pub const SEALED: u8 = 1;

const SLOT: u64 = 48;
const NONCE: usize = 24;

/// Why a key could not be had or destroyed.
#[derive(Debug, thiserror::Error)]
pub enum ShredError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {why}")]
    Damaged { path: PathBuf, why: String },
}

/// The referrals' keys, one slot each in a file.
pub struct ReferralKeys {
    path: PathBuf,
    file: File,
    slots: Mutex<Slots>,
}

#[derive(Default)]
struct Slots {
    keys: HashMap<Ulid, (u64, [u8; 32])>,
    free: Vec<u64>,
    count: u64,
}

impl ReferralKeys {
    /// Opens (or creates, mode 0600) the key file at `path`.
    pub fn open(path: &Path) -> Result<ReferralKeys, ShredError> {
        let io = |source| ShredError::Io { path: path.to_owned(), source };
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(path).map_err(io)?;
        let bytes = std::fs::read(path).map_err(io)?;
        if !(bytes.len() as u64).is_multiple_of(SLOT) {
            // A slot cut short by a crash while it was appended: it was never used.
            file.set_len(bytes.len() as u64 / SLOT * SLOT).map_err(io)?;
        }
        let mut slots = Slots::default();
        for (i, slot) in bytes.chunks_exact(SLOT as usize).enumerate() {
            let i = i as u64;
            slots.count = i + 1;
            if slot.iter().all(|b| *b == 0) {
                slots.free.push(i);
                continue;
            }
            let id = Ulid::from_bytes(slot[..16].try_into().expect("16 bytes"));
            let key: [u8; 32] = slot[16..].try_into().expect("32 bytes");
            if slots.keys.insert(id, (i, key)).is_some() {
                return Err(ShredError::Damaged { path: path.to_owned(), why: format!("two keys for referral {id}") });
            }
        }
        Ok(ReferralKeys { path: path.to_owned(), file, slots: Mutex::new(slots) })
    }

    fn slots(&self) -> std::sync::MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn io(&self) -> impl FnOnce(std::io::Error) -> ShredError + '_ {
        |source| ShredError::Io { path: self.path.clone(), source }
    }

    /// The key of referral `id`, made (and on disk) if it has none.
    pub fn key_for(&self, id: Ulid) -> Result<[u8; 32], ShredError> {
        let mut slots = self.slots();
        if let Some((_, key)) = slots.keys.get(&id) {
            return Ok(*key);
        }
        let mut key = [0u8; 32];
        OsRng.fill_bytes(&mut key);
        let at = match slots.free.pop() {
            Some(at) => at,
            None => {
                slots.count += 1;
                slots.count - 1
            }
        };
        let mut slot = [0u8; SLOT as usize];
        slot[..16].copy_from_slice(&id.to_bytes());
        slot[16..].copy_from_slice(&key);
        self.file.write_all_at(&slot, at * SLOT).map_err(self.io())?;
        self.file.sync_data().map_err(self.io())?;
        slots.keys.insert(id, (at, key));
        Ok(key)
    }

    /// The key of referral `id`, if it has one.
    pub fn key(&self, id: Ulid) -> Option<[u8; 32]> {
        self.slots().keys.get(&id).map(|(_, k)| *k)
    }

    /// Overwrites the key of referral `id` with zeros on disk; whether it had one.
    pub fn destroy(&self, id: Ulid) -> Result<bool, ShredError> {
        let mut slots = self.slots();
        let Some((at, _)) = slots.keys.remove(&id) else { return Ok(false) };
        self.file.write_all_at(&[0u8; SLOT as usize], at * SLOT).map_err(self.io())?;
        self.file.sync_data().map_err(self.io())?;
        slots.free.push(at);
        Ok(true)
    }

    /// The whole file, for a backup.
    pub fn bytes(&self) -> Result<Vec<u8>, ShredError> {
        let _slots = self.slots();
        std::fs::read(&self.path).map_err(self.io())
    }

    /// Writes a key file from a backup's [`ReferralKeys::bytes`] (mode 0600, synced).
    pub fn restore(path: &Path, bytes: &[u8]) -> Result<(), ShredError> {
        let io = |source| ShredError::Io { path: path.to_owned(), source };
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(path).map_err(io)?;
        file.write_all_at(bytes, 0).map_err(io)?;
        file.sync_all().map_err(io)
    }

    /// The referrals that have a key.
    pub fn ids(&self) -> Vec<Ulid> {
        self.slots().keys.keys().copied().collect()
    }
}

/// `plain` encrypted under `key`: a fresh nonce, then the box.
pub fn seal(key: &[u8; 32], plain: &[u8]) -> Vec<u8> {
    let cipher = XSalsa20Poly1305::new(Key::from_slice(key));
    let mut nonce = [0u8; NONCE];
    OsRng.fill_bytes(&mut nonce);
    let boxed = cipher.encrypt(Nonce::from_slice(&nonce), plain).expect("encryption in memory does not fail");
    let mut out = nonce.to_vec();
    out.extend(boxed);
    out
}

/// What [`seal`] encrypted, if `key` opens it.
pub fn open(key: &[u8; 32], sealed: &[u8]) -> Option<Vec<u8>> {
    if sealed.len() < NONCE {
        return None;
    }
    let cipher = XSalsa20Poly1305::new(Key::from_slice(key));
    cipher.decrypt(Nonce::from_slice(&sealed[..NONCE]), &sealed[NONCE..]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_destroyed_key_is_zeros_on_disk_and_its_slot_is_used_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("referral.keys");
        let (a, b) = (Ulid::new(), Ulid::new());
        let sealed = {
            let keys = ReferralKeys::open(&path).unwrap();
            let ka = keys.key_for(a).unwrap();
            assert_eq!(keys.key_for(a).unwrap(), ka, "one key per referral");
            keys.key_for(b).unwrap();
            let sealed = seal(&ka, b"Canary McCanaryface");
            assert_eq!(open(&ka, &sealed).unwrap(), b"Canary McCanaryface");
            assert!(keys.destroy(a).unwrap());
            assert!(!keys.destroy(a).unwrap());
            sealed
        };
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes.len(), 96);
        assert!(bytes[..48].iter().all(|b| *b == 0), "the slot is zeros");
        let keys = ReferralKeys::open(&path).unwrap();
        assert_eq!(keys.ids(), [b]);
        assert!(keys.key(a).is_none());
        // No key in the file opens what was sealed under the destroyed one.
        assert!(keys.ids().iter().all(|id| open(&keys.key(*id).unwrap(), &sealed).is_none()));
        let c = Ulid::new();
        keys.key_for(c).unwrap();
        assert_eq!(std::fs::read(&path).unwrap().len(), 96, "the free slot was used again");
    }
}
