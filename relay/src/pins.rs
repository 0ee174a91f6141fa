//! The keys the relay trusts: one ed25519 key per hub, and the only place that
//! holds them.
//!
//! A hub's key is pinned on first sight of its profile (trust on first use) and
//! moves only when a profile signed by the pinned key announces another one (a
//! rotation, which [`kith_proto::envelope::open`] accepts only under the pin). After
//! either, the key to pin is the one the applied profile carries. Pins are written
//! to the store with the batch that pinned them, and survive a rebuild of the view:
//! a replay never trusts a profile on first use again.
//!
//! With a region's roster, a hub's key is first the roster's rather than that of its
//! first profile; a rotation from it moves the pin as before.
//!
//! Only [`crate::ingest`] verifies envelopes, so ingest owns the pins; the view
//! keeps profiles, not keys.

use ed25519_dalek::VerifyingKey;
use std::collections::HashMap;

use kith_proto::Slug;
use kith_proto::roster::Roster;

use crate::store::{Store, StoreError};

pub struct Pins {
    keys: HashMap<Slug, VerifyingKey>,
    store: Store,
}

impl std::fmt::Debug for Pins {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pins").field("hubs", &self.keys.len()).finish()
    }
}

impl Pins {
    /// The pins kept in `store`. A stored key that is not a valid ed25519 key is
    /// an error: the store is damaged, and guessing would trust the wrong key.
    ///
    /// With a roster, a stored pin other than the roster's key for that hub is set
    /// aside (not deleted): the hub's key is then the roster's, or one its latest
    /// profile's rotations lead to from it.
    pub fn load(store: &Store, roster: Option<&Roster>) -> Result<Pins, StoreError> {
        let mut keys = HashMap::new();
        for pin in store.pins() {
            let (hub, bytes) = pin?;
            let key = VerifyingKey::from_bytes(&bytes)
                .map_err(|e| StoreError::Corrupt { tree: "pins", why: format!("{hub}: {e}") })?;
            if let Some(roster) = roster
                && roster.key(&hub) != Some(&key)
            {
                tracing::info!(%hub, "the pinned key is not the roster's: the roster's is trusted instead");
                continue;
            }
            keys.insert(hub, key);
        }
        Ok(Pins { keys, store: store.clone() })
    }

    /// The key pinned for `hub`.
    pub fn get(&self, hub: &Slug) -> Option<VerifyingKey> {
        self.keys.get(hub).copied()
    }

    /// Pins `key` for `hub`, in memory and (unflushed, with the batch) in the store.
    pub fn pin(&mut self, hub: &Slug, key: VerifyingKey) -> Result<(), StoreError> {
        if self.keys.get(hub) != Some(&key) {
            self.store.put_pin(hub, &key.to_bytes())?;
            self.keys.insert(hub.clone(), key);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    #[test]
    fn pins_survive_a_reload_and_a_cleared_view() {
        let dir = tempfile::tempdir().unwrap();
        let hub = Slug::parse("hub", "garden").unwrap();
        let (a, b) =
            (SigningKey::from_bytes(&[1; 32]).verifying_key(), SigningKey::from_bytes(&[2; 32]).verifying_key());
        {
            let store = Store::open(dir.path()).unwrap();
            let mut pins = Pins::load(&store, None).unwrap();
            assert_eq!(pins.get(&hub), None);
            pins.pin(&hub, a).unwrap();
            pins.pin(&hub, b).unwrap();
            store.clear().unwrap();
            futures::executor::block_on(store.flush()).unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(Pins::load(&store, None).unwrap().get(&hub), Some(b), "the latest pin, kept across a clear");
        assert!(store.unpin(&hub).unwrap());
        assert_eq!(Pins::load(&store, None).unwrap().get(&hub), None);
    }
}
