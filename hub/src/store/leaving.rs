//! Leaving the region (`kith withdraw-all`): the hub withdraws every listing, says
//! in a last profile that it left, and from then on publishes nothing new.
//!
//! The refusal lives in the store, not in the daemon, because every write goes
//! through the one transaction in `outbox.rs`, which asks [`after_leaving`] before it
//! seals an event: so no path (the admin API, an import, a republish) can publish a
//! listing after the hub left, and a restart does not forget that it did. Tombstones
//! and the steps of referrals already made still go out, so that those can finish.

use kith_proto::domain::HubProfile;
use kith_proto::event::{Change, Event};
use kith_proto::{each_family, with_family};

use super::{Listing, META_LEFT, META_PENDING_PROFILE, META_PROFILE, Store, StoreError, decode};

impl Store {
    /// Whether this hub has left the region ([`Store::withdraw_all`]).
    pub fn has_left(&self) -> Result<bool, StoreError> {
        Ok(self.inner.meta.contains_key(META_LEFT)?)
    }

    /// The hub leaves the region: every live listing is withdrawn (a tombstone each),
    /// then a last profile says it left, with its contact details empty; from then on
    /// the store refuses to publish anything else (see [`after_leaving`]). Running it
    /// again finishes what a crash interrupted, and withdraws anything a write that
    /// raced with it added. Returns how many listings were withdrawn.
    pub async fn withdraw_all(&self) -> Result<u64, StoreError> {
        let mut withdrawn = 0;
        each_family!(T => withdrawn += self.withdraw_family::<T>().await?);
        if !self.has_left()? {
            let before = self.inner.meta.get(META_PROFILE)?.map(|v| decode::<HubProfile>(&v)).transpose()?;
            let Some(before) = before else {
                return Err(StoreError::Refused(
                    "this hub has never published its profile: start it once first".into(),
                ));
            };
            let profile = HubProfile {
                description: String::new(),
                contact: String::new(),
                helpline_hours: String::new(),
                left: true,
                ..before
            };
            // Queued after the tombstones, not in the place of a waiting heartbeat.
            self.inner.meta.remove(META_PENDING_PROFILE)?;
            self.publish_profile(profile).await?;
            each_family!(T => withdrawn += self.withdraw_family::<T>().await?);
        }
        Ok(withdrawn)
    }

    async fn withdraw_family<T: Listing>(&self) -> Result<u64, StoreError> {
        let mut withdrawn = 0;
        for record in self.list::<T>()?.into_iter().filter(|r| !r.withdrawn) {
            self.withdraw::<T>(record.item.id()).await?;
            withdrawn += 1;
        }
        Ok(withdrawn)
    }
}

/// What a hub that left the region may still publish: tombstones, the steps of its
/// referrals and asks, and profiles that say it left.
pub(super) fn after_leaving(event: &Event) -> bool {
    match event {
        // Asks already taken may still be answered and closed.
        Event::Referral(_) | Event::Ask(_) => true,
        Event::Profile(p) => p.left,
        listing => match listing.listing() {
            Some((family, _)) => with_family!(family, T => matches!(T::change(listing), Some(Change::Withdrawn(_)))),
            None => false,
        },
    }
}
