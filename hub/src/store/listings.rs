//! Listings: the families of things a hub publishes (opportunities, safe houses,
//! services), and the writes an operator makes to them.
//!
//! This is where an operator's change enters the store. Each write here only builds
//! the new record and the event that publishes it, and hands both to the one write
//! transaction in `outbox.rs`, so that the listing, its signed envelope and the
//! sequence number change together or not at all, and the caller is answered only
//! once they are on disk. The code is generic over [`Listing`] (kith-proto's family
//! trait), so that every family shares it instead of each repeating it. A withdrawn listing is kept,
//! frozen, because the digest and a republish must still be able to tell the region
//! that it was withdrawn.

use serde::{Deserialize, Serialize};
use sled::Tree;
use ulid::Ulid;

pub use kith_proto::event::Listing;
use kith_proto::validate::ValidationError;

use super::{META_SOURCE, Store, StoreError, abort, decode, encode, ulid_of};

/// A listing as the hub keeps it: the value, and the event that last changed it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record<T> {
    pub item: T,
    /// Hub sequence number of the last event about this listing.
    pub seq: u64,
    pub updated_at_ms: i64,
    pub withdrawn: bool,
}

/// What an import did to one listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportOutcome {
    Created,
    Updated,
    /// The listing was already exactly this: nothing was published.
    Unchanged,
}

/// The listing an import wrote (or would write), and its sequence number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Imported {
    pub id: Ulid,
    /// 0 on a dry run.
    pub seq: u64,
    pub outcome: ImportOutcome,
}

impl Store {
    pub(super) fn tree<T: Listing>(&self) -> &Tree {
        &self.inner.listings[T::FAMILY.index()]
    }

    /// Creates a listing. Returns its hub sequence number once it is on disk.
    pub async fn create<T: Listing>(&self, item: T) -> Result<u64, StoreError> {
        let key = item.id().to_bytes();
        let seq = self.write(|tx, seq, now| {
            let record = Record { item: item.clone(), seq, updated_at_ms: now, withdrawn: false };
            tx.listing::<T>().insert(&key, encode(&record))?;
            Ok(item.clone().published())
        })?;
        self.flushed(seq).await
    }

    /// Changes a listing with `change`, which sees the current value and returns the
    /// new one (or a validation error, which changes nothing).
    pub async fn update<T: Listing>(
        &self,
        id: Ulid,
        change: impl Fn(T) -> Result<T, ValidationError>,
    ) -> Result<u64, StoreError> {
        self.update_if(id, None, change).await
    }

    /// Like [`Store::update`], but refused when `if_seq` is given and the listing is
    /// no longer at that sequence number: someone else changed it since it was read.
    pub async fn update_if<T: Listing>(
        &self,
        id: Ulid,
        if_seq: Option<u64>,
        change: impl Fn(T) -> Result<T, ValidationError>,
    ) -> Result<u64, StoreError> {
        let key = id.to_bytes();
        let seq = self.write(|tx, seq, now| {
            let record: Record<T> = tx.get_listing(&key, id)?;
            if record.withdrawn {
                return Err(abort(StoreError::Withdrawn { family: T::TOKEN, id }));
            }
            if let Some(expected) = if_seq
                && record.seq != expected
            {
                return Err(abort(StoreError::Refused(format!(
                    "{} {id} was changed since it was read (now at sequence {}, not {expected}); read it again",
                    T::TOKEN,
                    record.seq
                ))));
            }
            let item = change(record.item).map_err(|e| abort(e.into()))?;
            let record = Record { item, seq, updated_at_ms: now, withdrawn: false };
            tx.listing::<T>().insert(&key, encode(&record))?;
            Ok(record.item.clone().published())
        })?;
        self.flushed(seq).await
    }

    /// Creates or updates the listing imported from `source` (an id in another
    /// system, e.g. an HSDS service id): the first import of a source creates a
    /// listing and remembers its id, later ones update that listing, and one that
    /// changes nothing publishes nothing. `make` builds the listing under its id.
    /// With `dry_run` nothing is written; the answer says what would happen.
    pub async fn import<T: Listing + PartialEq>(
        &self,
        source: &str,
        make: impl Fn(Ulid) -> Result<T, ValidationError>,
        dry_run: bool,
    ) -> Result<Imported, StoreError> {
        let source_key = format!("{META_SOURCE}{}:{source}", T::TOKEN).into_bytes();
        if dry_run {
            let known = self.inner.meta.get(&source_key)?.map(|v| ulid_of(&v)).transpose()?;
            let id = known.unwrap_or_else(Ulid::new);
            let item = make(id)?;
            let current = match known {
                Some(id) => self.get::<T>(id)?,
                None => None,
            };
            let outcome = match current {
                None => ImportOutcome::Created,
                Some(r) if r.item == item && !r.withdrawn => ImportOutcome::Unchanged,
                Some(_) => ImportOutcome::Updated,
            };
            return Ok(Imported { id, seq: 0, outcome });
        }
        let fresh = Ulid::new();
        let outcome = std::sync::Mutex::new(ImportOutcome::Unchanged);
        let id = std::sync::Mutex::new(fresh);
        let seq = self.write_maybe(|tx, seq, now| {
            let known = tx.meta.get(&source_key)?.map(|v| ulid_of(&v)).transpose().map_err(abort)?;
            let listing_id = known.unwrap_or(fresh);
            *id.lock().unwrap_or_else(|p| p.into_inner()) = listing_id;
            let item = make(listing_id).map_err(|e| abort(e.into()))?;
            let key = listing_id.to_bytes();
            let current: Option<Record<T>> =
                tx.listing::<T>().get(key)?.map(|b| decode(&b)).transpose().map_err(abort)?;
            let result = match &current {
                None => ImportOutcome::Created,
                Some(r) if r.item == item && !r.withdrawn => ImportOutcome::Unchanged,
                Some(_) => ImportOutcome::Updated,
            };
            *outcome.lock().unwrap_or_else(|p| p.into_inner()) = result;
            if result == ImportOutcome::Unchanged {
                return Ok(None);
            }
            if known.is_none() {
                tx.meta.insert(source_key.as_slice(), &listing_id.to_bytes())?;
            }
            let record = Record { item, seq, updated_at_ms: now, withdrawn: false };
            tx.listing::<T>().insert(&key, encode(&record))?;
            Ok(Some(record.item.clone().published()))
        })?;
        let seq = match seq {
            Some(seq) => self.flushed(seq).await?,
            None => self.get::<T>(*id.lock().unwrap_or_else(|p| p.into_inner()))?.map_or(0, |r| r.seq),
        };
        let id = *id.lock().unwrap_or_else(|p| p.into_inner());
        Ok(Imported { id, seq, outcome: outcome.into_inner().unwrap_or_else(|p| p.into_inner()) })
    }

    /// Withdraws a listing: the hub keeps it, marked withdrawn, and publishes a
    /// tombstone so that the region forgets it. Withdrawing twice is not an error and
    /// returns the sequence number of the first withdrawal.
    pub async fn withdraw<T: Listing>(&self, id: Ulid) -> Result<u64, StoreError> {
        if let Some(r) = self.get::<T>(id)?
            && r.withdrawn
        {
            return Ok(r.seq);
        }
        let key = id.to_bytes();
        let seq = self.write(|tx, seq, now| {
            let mut record: Record<T> = tx.get_listing(&key, id)?;
            record.item.mark_withdrawn();
            let record = Record { item: record.item, seq, updated_at_ms: now, withdrawn: true };
            tx.listing::<T>().insert(&key, encode(&record))?;
            Ok(T::withdrawn(id))
        })?;
        self.flushed(seq).await
    }

    pub fn get<T: Listing>(&self, id: Ulid) -> Result<Option<Record<T>>, StoreError> {
        self.tree::<T>().get(id.to_bytes())?.map(|v| decode(&v)).transpose()
    }

    /// Every listing of a family, oldest first (ids are ULIDs).
    pub fn list<T: Listing>(&self) -> Result<Vec<Record<T>>, StoreError> {
        self.tree::<T>().iter().values().map(|v| decode(&v?)).collect()
    }

    /// A page of a family's live listings, newest first: at most `limit`, older than
    /// `before` when given. Withdrawn ones are passed over.
    pub fn live_page<T: Listing>(&self, before: Option<Ulid>, limit: usize) -> Result<Vec<Record<T>>, StoreError> {
        let tree = self.tree::<T>();
        let range = match before {
            Some(id) => tree.range(..id.to_bytes()),
            None => tree.range::<&[u8], _>(..),
        };
        let mut page = Vec::with_capacity(limit.min(1024));
        for kv in range.rev() {
            let record: Record<T> = decode(&kv?.1)?;
            if !record.withdrawn {
                page.push(record);
                if page.len() == limit {
                    break;
                }
            }
        }
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{identity, opportunity};
    use super::*;
    use kith_proto::domain::{Opportunity, OpportunityStatus};

    #[tokio::test]
    async fn importing_a_source_again_updates_it_and_an_unchanged_one_publishes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), identity()).unwrap();
        let named = |name: &'static str| {
            move |id: Ulid| -> Result<Opportunity, ValidationError> { Ok(Opportunity { id, ..opportunity(name) }) }
        };
        let dry = store.import("hsds-1", named("Cafe shifts"), true).await.unwrap();
        assert_eq!((dry.outcome, dry.seq), (ImportOutcome::Created, 0));
        assert!(store.list::<Opportunity>().unwrap().is_empty(), "a dry run writes nothing");

        let first = store.import("hsds-1", named("Cafe shifts"), false).await.unwrap();
        assert_eq!(first.outcome, ImportOutcome::Created);
        let again = store.import("hsds-1", named("Cafe shifts"), false).await.unwrap();
        assert_eq!((again.outcome, again.id, again.seq), (ImportOutcome::Unchanged, first.id, first.seq));
        let changed = store.import("hsds-1", named("Cafe shifts (weekends)"), false).await.unwrap();
        assert_eq!((changed.outcome, changed.id), (ImportOutcome::Updated, first.id));
        assert!(changed.seq > first.seq);
        let other = store.import("hsds-2", named("Cafe shifts"), false).await.unwrap();
        assert_ne!(other.id, first.id);
        assert_eq!(store.list::<Opportunity>().unwrap().len(), 2);
        assert_eq!(store.outbox_status().unwrap().last_written_seq, changed.seq.max(other.seq));
        // A bad listing changes nothing.
        let bad = |_: Ulid| -> Result<Opportunity, ValidationError> { Err(ValidationError::new("name", "empty")) };
        assert!(matches!(store.import("hsds-3", bad, false).await, Err(StoreError::Invalid(_))));
        assert_eq!(store.list::<Opportunity>().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn withdrawn_listings_are_kept_and_frozen() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), identity()).unwrap();
        let o = opportunity("Cafe shifts");
        store.create(o.clone()).await.unwrap();
        let w = store.withdraw::<Opportunity>(o.id).await.unwrap();
        assert_eq!(store.withdraw::<Opportunity>(o.id).await.unwrap(), w, "withdrawing twice is idempotent");
        let r = store.get::<Opportunity>(o.id).unwrap().unwrap();
        assert!(r.withdrawn);
        assert_eq!(r.item.status, OpportunityStatus::Withdrawn);
        assert!(matches!(store.update::<Opportunity>(o.id, Ok).await, Err(StoreError::Withdrawn { .. })));
        assert!(matches!(store.withdraw::<Opportunity>(Ulid::new()).await, Err(StoreError::NotFound { .. })));
    }
}
