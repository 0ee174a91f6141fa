//! Catch-up: the store taking in what the region's stream shows this hub published
//! beyond it.
//!
//! It is republishing the other way round. A hub restored from an older copy of its
//! store is behind the stream, and would reuse sequence numbers the region has
//! already seen. So before the hub publishes anything, [`crate::catchup`] reads the
//! hub's own events back from the stream and [`Store::catch_up`] adopts what is
//! newer than the store and moves the sequence above the stream's.

use ulid::Ulid;

use kith_proto::event::{Change, Event};
use kith_proto::with_family;

use super::{Listing, META_LEFT, META_PUBLISHED, META_RESTORED, META_SEQ, Record, Store, StoreError, encode, seq_of};

impl Store {
    /// Whether this store was restored from a copy and has not yet caught up with
    /// the region's stream: it must show and change no referral until it has, for
    /// the stream may record erasures the copy does not have.
    pub fn restored_pending(&self) -> Result<bool, StoreError> {
        Ok(self.inner.meta.get(META_RESTORED)?.is_some())
    }

    /// Says the store has caught up with the stream (or found it was not behind).
    pub async fn caught_up_after_restore(&self) -> Result<(), StoreError> {
        if self.inner.meta.remove(META_RESTORED)?.is_some() {
            self.flush().await?;
            tracing::info!("caught up with the region's stream after a restore: referrals are shown again");
        }
        Ok(())
    }

    /// Takes in what the region's stream shows this hub published beyond its store
    /// (a hub restored from an older copy): `high` is the highest sequence number the
    /// stream holds of this hub, `events` its latest event per entity with their
    /// sequence numbers and times. Listings and referral steps newer than the
    /// store's are adopted (a withdrawal the store does not know of withdraws it
    /// here too), the outbox loses what the stream already has, and the next write
    /// takes a number above `high`, so that nothing this hub publishes from now on
    /// is older than what the region has. Nothing happens when the store is not
    /// behind. Running it again after a crash does the same again.
    pub async fn catch_up(&self, high: u64, events: Vec<(u64, i64, Event)>) -> Result<Option<CaughtUp>, StoreError> {
        let inner = &self.inner;
        let caught = {
            let _guard = inner.write_lock.lock().unwrap_or_else(|p| p.into_inner());
            let local = inner.meta.get(META_SEQ)?.map(|v| seq_of(&v)).transpose()?.unwrap_or(0);
            // A restored store takes in what is newer per entity even when its own
            // number is not below the stream's (see `crate::catchup`).
            let restored = inner.meta.get(META_RESTORED)?.is_some();
            let behind = high > local;
            if !behind && !restored {
                return Ok(None);
            }
            let mut caught = CaughtUp { from: local, to: high.max(local), ..CaughtUp::default() };
            let mut erased = Vec::new();
            let mut erased_asks = Vec::new();
            for (seq, at, event) in events {
                let adopted = match event {
                    Event::Referral(side) => {
                        let Some(mut record) = self.referral(side.id)? else { continue };
                        if record.seq >= seq || record.role != side.role || record.other != side.other {
                            continue;
                        }
                        record.mine = side.steps;
                        record.my_reasons.resize(record.mine.len(), String::new());
                        record.seq = seq;
                        record.updated_at_ms = at;
                        // This hub erased the person after the copy was made (or
                        // acknowledged the other hub's erasure): erased here again.
                        if side.erased && !record.erased {
                            record.erase(at);
                            erased.push(side.id);
                        }
                        inner.referrals.insert(side.id.to_bytes(), self.seal_referral(&record)?)?;
                        caught.referrals += 1;
                        false
                    }
                    Event::Ask(answer) => {
                        if self.adopt_ask(&answer, &mut erased_asks)? {
                            caught.asks += 1;
                        }
                        false
                    }
                    Event::Profile(p) => {
                        if p.left {
                            inner.meta.insert(META_LEFT, &[1])?;
                        }
                        false
                    }
                    listing => match listing.listing() {
                        Some((family, _)) => with_family!(family, T => match T::change(&listing) {
                            Some(Change::Published(item)) => self.adopt(item.id(), seq, at, Some(item.clone()))?,
                            Some(Change::Withdrawn(id)) => self.adopt::<T>(id, seq, at, None)?,
                            None => unreachable!("an event of its family"),
                        }),
                        None => false,
                    },
                };
                caught.listings += u64::from(adopted);
            }
            // Only a store behind the stream moves its numbers: one that is not has
            // nothing of the stream's in its outbox.
            if behind {
                inner.meta.insert(META_SEQ, &high.to_be_bytes())?;
                inner.meta.insert(META_PUBLISHED, &high.to_be_bytes())?;
                for key in inner.outbox.range(..=high.to_be_bytes()).keys() {
                    inner.outbox.remove(key?)?;
                    caught.dropped += 1;
                }
            }
            caught.erased = erased.len() as u64;
            (caught, erased, erased_asks)
        };
        let (caught, erased, erased_asks) = caught;
        self.flush().await?;
        // The records erased again are on disk with nothing personal: their keys,
        // and with them every older value still in the store's files, go.
        for id in erased {
            self.destroy_key_if_plain(id)?;
        }
        for id in erased_asks {
            self.destroy_ask_key_if_plain(id)?;
        }
        Ok(Some(caught))
    }

    /// Puts the stream's newer state of a listing in the store: the value (`Some`),
    /// or its withdrawal (`None`, for a listing the store has). Whether it did.
    fn adopt<T: Listing>(&self, id: Ulid, seq: u64, at: i64, item: Option<T>) -> Result<bool, StoreError> {
        let current = self.get::<T>(id)?;
        if current.as_ref().is_some_and(|r| r.seq >= seq) {
            return Ok(false);
        }
        let record = match (item, current) {
            (Some(item), _) => Record { item, seq, updated_at_ms: at, withdrawn: false },
            (None, Some(mut r)) => {
                r.item.mark_withdrawn();
                Record { item: r.item, seq, updated_at_ms: at, withdrawn: true }
            }
            (None, None) => return Ok(false),
        };
        self.tree::<T>().insert(id.to_bytes(), encode(&record))?;
        Ok(true)
    }
}

/// What [`Store::catch_up`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaughtUp {
    /// The store's last sequence number before, and the stream's, now the store's.
    pub from: u64,
    pub to: u64,
    /// Listings changed or withdrawn from the stream's newer state.
    pub listings: u64,
    /// Referrals whose steps were taken from the stream.
    pub referrals: u64,
    /// Asks taken back from the hub's own sealed copies in the stream, or erased
    /// again.
    pub asks: u64,
    /// Of those, referrals whose person was erased after the copy was made: erased
    /// again, their keys destroyed.
    pub erased: u64,
    /// Outbox entries dropped because the stream already had them.
    pub dropped: u64,
}
