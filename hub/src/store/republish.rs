//! Republishing: the current state of everything this hub owns, sent to the
//! region's stream again under new sequence numbers.
//!
//! The hub's store is the source of truth, so when the stream lost what it had (it
//! was deleted and created again, or a server lost acknowledged messages in a power
//! cut) it is the store that repairs it. The publisher notices a new stream by its
//! mark ([`Store::stream_changed`]) and calls [`Store::republish_to`], which records
//! the new mark only once everything is queued, so that a republish a crash cut
//! short runs again after the restart. New keys ([`Store::keys_replaced`]) ask for
//! the same, so that the region sees everything signed with them. Repairs of a few
//! digest buckets (`digest.rs`) reuse [`Store::republish_where`].

use ulid::Ulid;

use kith_proto::domain::HubProfile;
use kith_proto::each_family;

use super::{
    Listing, META_PENDING_PROFILE, META_PROFILE, META_STREAM, REPUBLISH_DUE, Record, Store, StoreError, abort, decode,
    encode,
};

impl Store {
    /// Publishes again the current state of everything this hub owns, under new
    /// sequence numbers: its profile first, then every listing (or the tombstone of a
    /// withdrawn one), this hub's side of every referral and its word on every ask. The hub's store is the
    /// source of truth: this repairs a region whose stream lost what it had (a new
    /// stream, or a server that lost acknowledged messages in a power cut). Returns
    /// how many events were queued.
    pub async fn republish(&self) -> Result<u64, StoreError> {
        let mut queued = 0;
        if let Some(profile) = self.inner.meta.get(META_PROFILE)?.map(|v| decode::<HubProfile>(&v)).transpose()? {
            self.publish_profile(profile).await?;
            queued += 1;
        }
        each_family!(T => queued += self.republish_listings::<T>()?);
        for record in self.referrals()? {
            if record.mine.is_empty() {
                continue;
            }
            let Some(keys) = self.peer(&record.other)? else {
                tracing::warn!(referral = %record.id, other = %record.other, "not republished: the other hub's keys are not pinned");
                continue;
            };
            let key = record.id.to_bytes();
            self.write(|tx, seq, _now| {
                let stored = tx
                    .referrals
                    .get(key)?
                    .ok_or_else(|| abort(StoreError::NotFound { family: "referral", id: record.id }))?;
                let mut record = self.open_referral(record.id, &stored).map_err(abort)?;
                let event = record.publish(seq, &keys.boxing).map_err(|e| abort(e.into()))?;
                tx.referrals.insert(&key, self.seal_referral(&record).map_err(abort)?)?;
                Ok(event)
            })?;
            queued += 1;
        }
        queued += self.republish_asks()?;
        self.flush().await?;
        Ok(queued)
    }

    fn republish_listings<T: Listing>(&self) -> Result<u64, StoreError> {
        self.republish_where::<T>(|_| true)
    }

    pub(super) fn republish_where<T: Listing>(&self, keep: impl Fn(Ulid) -> bool) -> Result<u64, StoreError> {
        let mut queued = 0;
        for id in self.list::<T>()?.into_iter().map(|r| r.item.id()).filter(|id| keep(*id)) {
            let key = id.to_bytes();
            self.write(|tx, seq, _now| {
                let mut record: Record<T> = tx.get_listing(&key, id)?;
                record.seq = seq;
                tx.listing::<T>().insert(&key, encode(&record))?;
                Ok(if record.withdrawn { T::withdrawn(id) } else { record.item.published() })
            })?;
            queued += 1;
        }
        Ok(queued)
    }

    /// Whether the region's stream, told by `mark` (see
    /// [`crate::stream::mark`]), is the one this hub last published to. The
    /// first stream a hub meets is recorded at once; a *different* one (the stream was
    /// deleted and created again) is recorded only by [`Store::republish_to`], once
    /// everything has been queued for it, so that a republish a crash interrupted runs
    /// again after the restart.
    pub async fn stream_changed(&self, mark: &str) -> Result<bool, StoreError> {
        match self.inner.meta.get(META_STREAM)? {
            Some(before) => Ok(before.as_ref() != mark.as_bytes()),
            None => {
                self.inner.meta.insert(META_STREAM, mark.as_bytes())?;
                self.flush().await?;
                Ok(false)
            }
        }
    }

    /// Republishes everything (see [`Store::republish`]) for the stream told by
    /// `mark`, then records that stream as the one published to.
    pub async fn republish_to(&self, mark: &str) -> Result<u64, StoreError> {
        let queued = self.republish().await?;
        self.inner.meta.insert(META_STREAM, mark.as_bytes())?;
        self.flush().await?;
        Ok(queued)
    }

    /// After the hub's keys were replaced (the hub stopped): the next connection
    /// republishes everything under the new key, and the next profile is queued
    /// after whatever the old key signed and still waits in the outbox, so that a
    /// relay moves its pin only once it has read those.
    pub async fn keys_replaced(&self) -> Result<(), StoreError> {
        self.inner.meta.remove(META_PENDING_PROFILE)?;
        self.inner.meta.insert(META_STREAM, REPUBLISH_DUE)?;
        self.flush().await
    }
}

#[cfg(test)]
mod tests {
    use super::super::Identity;
    use super::super::fixtures::{identity, opportunity};
    use super::*;

    #[tokio::test]
    async fn a_new_stream_is_recorded_only_once_everything_is_queued_for_it() {
        let dir = tempfile::tempdir().unwrap();
        let key = identity().signing;
        let ident = || Identity { signing: key.clone(), ..identity() };
        {
            let store = Store::open(dir.path(), ident()).unwrap();
            store.create(opportunity("Seed sorting")).await.unwrap();
            assert!(!store.stream_changed("first").await.unwrap(), "the first stream met is simply recorded");
            assert!(!store.stream_changed("first").await.unwrap());
            assert!(store.stream_changed("second").await.unwrap());
            // The hub crashes before (or while) republishing: nothing records the new stream.
            store.close().await.unwrap();
        }
        let store = Store::open(dir.path(), ident()).unwrap();
        assert!(store.stream_changed("second").await.unwrap(), "after a restart the republish runs again");
        let pending = store.outbox_status().unwrap().pending;
        assert_eq!(store.republish_to("second").await.unwrap(), 1);
        assert_eq!(store.outbox_status().unwrap().pending, pending + 1);
        assert!(!store.stream_changed("second").await.unwrap(), "done once it is all queued");
        store.close().await.unwrap();
    }
}
