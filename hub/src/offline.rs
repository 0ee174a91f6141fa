//! What an operator does to a hub while it is stopped: changing its keys.
//!
//! These open the hub's store themselves, so they refuse to run while the hub does
//! (sled locks the store: [`crate::store::StoreError::InUse`]).

use std::path::Path;

use kith_proto::keys::{self, HubKeys};

use crate::Error;
use crate::config::{self, HubFile};
use crate::store::{Identity, Store};

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
