//! Peers: the keys of the region's other hubs, pinned here from their profiles.
//!
//! A referral is sealed to the other hub's keys, and one already sent depends on
//! them until it ends (its expiry is sealed to them too), so a pin is on disk before
//! it is answered and changes only by a verified rotation or an operator's unpin;
//! [`crate::peers`] decides which.

use serde::{Deserialize, Serialize};

use kith_proto::Slug;

use super::{Store, StoreError, decode, encode};

/// Another hub's public keys, pinned from its profile on the region's stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerKeys {
    pub signing: [u8; 32],
    pub boxing: [u8; 32],
    /// Hub sequence number of the profile they were pinned from.
    pub seq: u64,
}

impl Store {
    /// The keys pinned for another hub of the region.
    pub fn peer(&self, hub: &Slug) -> Result<Option<PeerKeys>, StoreError> {
        self.inner.peers.get(hub.as_str())?.map(|v| decode(&v)).transpose()
    }

    /// Pins (or, after a verified rotation, re-pins) another hub's keys, on disk
    /// before it returns: a referral already sent depends on them (expiry seals to them).
    pub async fn pin_peer(&self, hub: &Slug, keys: &PeerKeys) -> Result<(), StoreError> {
        self.inner.peers.insert(hub.as_str(), encode(keys))?;
        self.flush().await
    }

    /// Every hub whose keys are pinned here.
    pub fn peers(&self) -> Result<Vec<(Slug, PeerKeys)>, StoreError> {
        self.inner
            .peers
            .iter()
            .map(|kv| {
                let (k, v) = kv?;
                let hub =
                    Slug::parse("hub", &String::from_utf8_lossy(&k)).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok((hub, decode(&v)?))
            })
            .collect()
    }

    /// Forgets the keys pinned for `hub` (it set up new keys and the operator checked
    /// that with it): the next referral learns them again from its profile. Whether
    /// there were any.
    pub async fn unpin_peer(&self, hub: &Slug) -> Result<bool, StoreError> {
        let removed = self.inner.peers.remove(hub.as_str())?.is_some();
        self.flush().await?;
        Ok(removed)
    }
}
