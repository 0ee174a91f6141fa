//! A region's roster: the hubs of the region and their signing keys, signed by the
//! region's coordinator.
//!
//! Without a roster, relays and hubs trust a hub's first profile on the stream (trust
//! on first use), so a profile forged into the stream before anyone met the hub
//! would be trusted by every newcomer. With one (`--roster FILE`), a hub's key is
//! the roster's (or one its rotations lead to, `crate::rotation`), and a hub that is
//! not on the roster is not listened to at all.
//!
//! The file is TOML, for people to read and keep in version control:
//!
//! ```toml
//! region = "west-yorkshire"
//! version = 3
//! coordinator = "<hex of the coordinator's ed25519 public key>"
//! signature = "<hex>"
//!
//! [[hub]]
//! id = "peer-garden"
//! signing_key = "<hex, from `kith status` or `kith init`>"
//! name = "Leeds Peer Garden Co-op"   # optional: the name the region shows for it
//! ```
//!
//! The signature is over a postcard encoding of the region, the version, the
//! coordinator's key and the hubs sorted by id, then (when any hub has one) the
//! names — never over the TOML text, so that comments and layout may change freely.
//! A roster's name for a hub is the name shown for it: a hub cannot pass itself off
//! as another by the name in its own profile.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

use crate::Slug;
use crate::keys::{hex, unhex};

/// Domain separation from every other signature made with an ed25519 key.
const CONTEXT: &[u8] = b"kith/roster/v1\0";

#[derive(Debug, Error)]
pub enum RosterError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {why}")]
    Invalid { path: PathBuf, why: String },
    #[error("{path}: the roster is not signed: run `kith region roster sign {path} --coordinator-key FILE`")]
    Unsigned { path: PathBuf },
    #[error(
        "{path}: the roster's signature does not verify: it was changed after it was signed, or signed by another key"
    )]
    BadSignature { path: PathBuf },
    #[error("{path}: the roster is signed by {found}, not by the coordinator key given ({expected})")]
    OtherCoordinator { path: PathBuf, found: String, expected: String },
    #[error("{path}: the roster is for region {found:?}, not {expected:?}")]
    OtherRegion { path: PathBuf, found: String, expected: String },
}

/// The roster as written in its file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterFile {
    pub region: String,
    /// Goes up by one with every change; a relay can say which roster it holds.
    #[serde(default)]
    pub version: u64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub coordinator: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub signature: String,
    #[serde(default, rename = "hub")]
    pub hubs: Vec<RosterHub>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterHub {
    pub id: String,
    pub signing_key: String,
    /// The name the region shows for the hub, whatever its own profile says.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// A roster whose signature was checked: hub id → signing key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Roster {
    pub region: Slug,
    pub version: u64,
    pub coordinator: VerifyingKey,
    pub hubs: BTreeMap<Slug, VerifyingKey>,
    /// The names the coordinator gave hubs: shown instead of their profiles'.
    pub names: BTreeMap<Slug, String>,
}

impl Roster {
    /// Reads and verifies the roster at `path` for `region`: it must be signed by
    /// `coordinator`, the key the operator was given by the region's coordinator,
    /// never merely by the key written in the roster itself (which anyone can make).
    pub fn load(path: &Path, region: &Slug, coordinator: &VerifyingKey) -> Result<Roster, RosterError> {
        let file = RosterFile::read(path)?;
        let roster = file.verified(path)?;
        if &roster.region != region {
            return Err(RosterError::OtherRegion {
                path: path.into(),
                found: roster.region.to_string(),
                expected: region.to_string(),
            });
        }
        if coordinator != &roster.coordinator {
            return Err(RosterError::OtherCoordinator {
                path: path.into(),
                found: hex(roster.coordinator.as_bytes()),
                expected: hex(coordinator.as_bytes()),
            });
        }
        Ok(roster)
    }

    /// The key the roster gives `hub`, if it is on it.
    pub fn key(&self, hub: &Slug) -> Option<&VerifyingKey> {
        self.hubs.get(hub)
    }
}

impl RosterFile {
    /// Reads the file (no signature check: see [`Roster::load`]).
    pub fn read(path: &Path) -> Result<RosterFile, RosterError> {
        let text = std::fs::read_to_string(path).map_err(|source| RosterError::Io { path: path.into(), source })?;
        toml::from_str(&text)
            .map_err(|e| RosterError::Invalid { path: path.into(), why: crate::validate::toml_problem(&text, &e) })
    }

    /// Writes the file beside `path`, then renames it into place.
    pub fn write(&self, path: &Path) -> Result<(), RosterError> {
        let text = format!(
            "# A Kith region's roster: its hubs and their signing keys, signed by the region's coordinator.\n\
             # Change it with `kith region roster add|remove`, then `kith region roster sign`.\n{}",
            toml::to_string_pretty(self).expect("a roster serialises")
        );
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "roster".into());
        let partial = path.with_file_name(format!(".{name}.partial"));
        let io = |source| RosterError::Io { path: path.into(), source };
        std::fs::write(&partial, text).map_err(io)?;
        std::fs::rename(&partial, path).map_err(io)
    }

    /// Adds `hub` with `key`, or changes its key; the roster must be signed again.
    pub fn put(&mut self, hub: &Slug, key: &VerifyingKey) {
        let signing_key = hex(key.as_bytes());
        match self.hubs.iter_mut().find(|h| h.id == hub.as_str()) {
            Some(h) => h.signing_key = signing_key,
            None => self.hubs.push(RosterHub { id: hub.to_string(), signing_key, name: String::new() }),
        }
        self.hubs.sort_by(|a, b| a.id.cmp(&b.id));
        self.changed();
    }

    /// Gives `hub` (on the roster) the name the region shows for it ("" for its
    /// profile's); whether it is on the roster. The roster must be signed again.
    pub fn set_name(&mut self, hub: &Slug, name: &str) -> bool {
        let Some(h) = self.hubs.iter_mut().find(|h| h.id == hub.as_str()) else { return false };
        h.name = name.trim().to_owned();
        self.changed();
        true
    }

    /// Takes `hub` off; whether it was on. The roster must be signed again.
    pub fn remove(&mut self, hub: &Slug) -> bool {
        let before = self.hubs.len();
        self.hubs.retain(|h| h.id != hub.as_str());
        let removed = self.hubs.len() != before;
        if removed {
            self.changed();
        }
        removed
    }

    fn changed(&mut self) {
        self.version += 1;
        self.signature.clear();
    }

    /// Signs the roster as `coordinator`.
    pub fn sign(&mut self, path: &Path, coordinator: &SigningKey) -> Result<(), RosterError> {
        self.coordinator = hex(coordinator.verifying_key().as_bytes());
        let parsed = self.parsed(path)?;
        self.signature = hex(&coordinator.sign(&signed_bytes(&parsed)).to_bytes());
        Ok(())
    }

    /// The roster with its signature checked.
    pub fn verified(&self, path: &Path) -> Result<Roster, RosterError> {
        if self.signature.is_empty() || self.coordinator.is_empty() {
            return Err(RosterError::Unsigned { path: path.into() });
        }
        let roster = self.parsed(path)?;
        let signature = unhex(&self.signature)
            .and_then(|b| Signature::from_slice(&b).ok())
            .ok_or_else(|| invalid(path, "signature: not 128 hex digits".into()))?;
        roster
            .coordinator
            .verify_strict(&signed_bytes(&roster), &signature)
            .map_err(|_| RosterError::BadSignature { path: path.into() })?;
        Ok(roster)
    }

    /// The roster's values checked and parsed (the coordinator's key may be unset).
    fn parsed(&self, path: &Path) -> Result<Roster, RosterError> {
        let region = Slug::parse("region", &self.region).map_err(|e| invalid(path, e.to_string()))?;
        let coordinator = if self.coordinator.is_empty() {
            VerifyingKey::from_bytes(&[0; 32]).map_err(|e| invalid(path, e.to_string()))?
        } else {
            key(&self.coordinator).map_err(|why| invalid(path, format!("coordinator: {why}")))?
        };
        let mut hubs = BTreeMap::new();
        let mut names = BTreeMap::new();
        for h in &self.hubs {
            let id = Slug::parse("hub", &h.id).map_err(|e| invalid(path, e.to_string()))?;
            let k = key(&h.signing_key).map_err(|why| invalid(path, format!("hub {id}: signing_key: {why}")))?;
            if hubs.insert(id.clone(), k).is_some() {
                return Err(invalid(path, format!("hub {id} is on the roster twice")));
            }
            let name = h.name.trim();
            if name.chars().count() > crate::domain::limits::NAME || name.chars().any(char::is_control) {
                return Err(invalid(
                    path,
                    format!(
                        "hub {id}: name: at most {} characters, no control characters",
                        crate::domain::limits::NAME
                    ),
                ));
            }
            if !name.is_empty() {
                names.insert(id, name.to_owned());
            }
        }
        Ok(Roster { region, version: self.version, coordinator, hubs, names })
    }
}

/// An ed25519 public key written as 64 hex digits.
pub fn key(text: &str) -> Result<VerifyingKey, String> {
    let bytes: [u8; 32] =
        unhex(text.trim()).and_then(|b| b.try_into().ok()).ok_or_else(|| format!("{text:?} is not 64 hex digits"))?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| format!("{text:?} is not an ed25519 public key"))
}

fn invalid(path: &Path, why: String) -> RosterError {
    RosterError::Invalid { path: path.into(), why }
}

fn signed_bytes(roster: &Roster) -> Vec<u8> {
    let hubs: Vec<(&str, [u8; 32])> = roster.hubs.iter().map(|(id, k)| (id.as_str(), k.to_bytes())).collect();
    let body = (roster.region.as_str(), roster.version, roster.coordinator.to_bytes(), hubs);
    let mut m = CONTEXT.to_vec();
    m.extend(postcard::to_stdvec(&body).expect("a roster encodes"));
    // Names came later: a roster without any signs exactly what it always did.
    if !roster.names.is_empty() {
        let names: Vec<(&str, &str)> = roster.names.iter().map(|(id, n)| (id.as_str(), n.as_str())).collect();
        m.extend(postcard::to_stdvec(&names).expect("names encode"));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::OsRng;

    #[test]
    fn a_signed_roster_loads_and_any_change_needs_signing_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("roster.toml");
        let region = Slug::parse("r", "wy").unwrap();
        let (coordinator, garden) = (SigningKey::generate(&mut OsRng), SigningKey::generate(&mut OsRng));
        let mut file = RosterFile { region: "wy".into(), ..Default::default() };
        file.put(&Slug::parse("h", "garden").unwrap(), &garden.verifying_key());
        file.write(&path).unwrap();
        assert!(matches!(
            Roster::load(&path, &region, &coordinator.verifying_key()),
            Err(RosterError::Unsigned { .. })
        ));
        file.sign(&path, &coordinator).unwrap();
        file.write(&path).unwrap();
        let roster = Roster::load(&path, &region, &coordinator.verifying_key()).unwrap();
        assert_eq!(roster.key(&Slug::parse("h", "garden").unwrap()), Some(&garden.verifying_key()));
        // Another coordinator, another region.
        let other = SigningKey::generate(&mut OsRng).verifying_key();
        assert!(matches!(Roster::load(&path, &region, &other), Err(RosterError::OtherCoordinator { .. })));
        let elsewhere = Slug::parse("r", "leeds").unwrap();
        assert!(matches!(
            Roster::load(&path, &elsewhere, &coordinator.verifying_key()),
            Err(RosterError::OtherRegion { .. })
        ));
        // A key changed in the file by hand no longer verifies.
        let text = std::fs::read_to_string(&path).unwrap();
        let stranger = hex(SigningKey::generate(&mut OsRng).verifying_key().as_bytes());
        let forged = text.replace(&hex(garden.verifying_key().as_bytes()), &stranger);
        std::fs::write(&path, forged).unwrap();
        assert!(matches!(
            Roster::load(&path, &region, &coordinator.verifying_key()),
            Err(RosterError::BadSignature { .. })
        ));
        // Removing a hub unsigns it.
        assert!(file.remove(&Slug::parse("h", "garden").unwrap()));
        assert!(file.signature.is_empty());
    }
}
