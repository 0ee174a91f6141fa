//! Referral records: both sides of each referral as this hub knows them, changed in
//! one transaction with the side this hub publishes.
//!
//! What a step means is decided elsewhere ([`crate::referral`], [`crate::inbox`]);
//! this file is about how the record rests on disk. While it holds anything personal
//! it is encrypted under a key of its own, and once a record without anything
//! personal is on disk that key is destroyed, so that erasing a person's details
//! also makes every older copy of them in sled's files unreadable
//! ([`crate::shred`]).

use ulid::Ulid;

use kith_proto::event::Event;

use super::{Store, StoreError, abort, decode};
use crate::referral::ReferralRecord;
use crate::shred;

/// What [`Store::change_referral`] writes.
pub struct ReferralChange {
    pub record: ReferralRecord,
    /// This hub's side, when it must be published.
    pub event: Option<Event>,
}

impl Store {
    /// Changes the referral `id` in one transaction. `change` sees the record this hub
    /// has (`None` if none yet), the sequence number this hub's side would be published
    /// with, and the time; it returns `None` to change nothing, or the new record and,
    /// if this hub's side must be published, the event. Returns the sequence number
    /// of the published side, if one was.
    pub async fn change_referral(
        &self,
        id: Ulid,
        change: impl Fn(Option<ReferralRecord>, u64, i64) -> Result<Option<ReferralChange>, StoreError>,
    ) -> Result<Option<u64>, StoreError> {
        let key = id.to_bytes();
        let changed = std::cell::Cell::new(false);
        let seq = self.write_maybe(|tx, seq, now| {
            changed.set(false);
            let current = tx.referrals.get(key)?.map(|v| self.open_referral(id, &v)).transpose().map_err(abort)?;
            let Some(ReferralChange { record, event }) = change(current, seq, now).map_err(abort)? else {
                return Ok(None);
            };
            tx.referrals.insert(&key, self.seal_referral(&record).map_err(abort)?)?;
            changed.set(true);
            Ok(event)
        })?;
        if !changed.get() {
            return Ok(None);
        }
        self.flushed(seq.unwrap_or(0)).await?;
        self.destroy_key_if_plain(id)?;
        Ok(seq)
    }

    /// Once the record on disk holds nothing personal, its key, and with it every
    /// older value of the record still in the store's files, can go.
    pub(super) fn destroy_key_if_plain(&self, id: Ulid) -> Result<(), StoreError> {
        self.destroy_key_if_plain_in(&self.inner.referrals, id)
    }

    /// A referral record as stored: encrypted under its own key while it holds
    /// anything personal (see [`crate::shred`]).
    pub(super) fn seal_referral(&self, record: &ReferralRecord) -> Result<Vec<u8>, StoreError> {
        let personal =
            record.person.is_some() || record.my_reasons.iter().chain(&record.their_reasons).any(|r| !r.is_empty());
        self.seal_record(record.id, record, personal)
    }

    /// The referral record `id` from its stored value.
    pub(super) fn open_referral(&self, id: Ulid, stored: &[u8]) -> Result<ReferralRecord, StoreError> {
        match stored.first() {
            Some(&shred::PLAIN | &shred::SEALED) => self.open_record(id, stored, "referral"),
            // Written before records were encrypted: postcard as it is.
            _ => decode(stored),
        }
    }

    pub fn referral(&self, id: Ulid) -> Result<Option<ReferralRecord>, StoreError> {
        self.inner.referrals.get(id.to_bytes())?.map(|v| self.open_referral(id, &v)).transpose()
    }

    /// Every referral this hub sent or received, oldest first.
    /// At most `limit` referral records for which `keep` holds, newest first (ids are
    /// ULIDs: by creation time), starting after the one with id `after`.
    pub fn referrals_newest_first(
        &self,
        after: Option<Ulid>,
        limit: usize,
        keep: impl Fn(&ReferralRecord) -> bool,
    ) -> Result<Vec<ReferralRecord>, StoreError> {
        let range = match after {
            Some(after) => self.inner.referrals.range(..after.to_bytes()),
            None => self.inner.referrals.range::<&[u8], _>(..),
        };
        let mut page = Vec::new();
        for kv in range.rev() {
            let (k, v) = kv?;
            let id = Ulid::from_bytes(k.as_ref().try_into().map_err(|_| StoreError::Corrupt("referral key".into()))?);
            let record = self.open_referral(id, &v)?;
            if keep(&record) {
                page.push(record);
                if page.len() == limit {
                    break;
                }
            }
        }
        Ok(page)
    }

    pub fn referrals(&self) -> Result<Vec<ReferralRecord>, StoreError> {
        self.inner
            .referrals
            .iter()
            .map(|kv| {
                let (k, v) = kv?;
                let id =
                    Ulid::from_bytes(k.as_ref().try_into().map_err(|_| StoreError::Corrupt("referral key".into()))?);
                self.open_referral(id, &v)
            })
            .collect()
    }
}
