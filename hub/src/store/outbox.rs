//! The outbox: every write's way to disk and on to the region's stream.
//!
//! The writes of the other files all go through [`Store::write`] (or
//! [`Store::write_maybe`]): one sled transaction takes the next sequence number,
//! changes the record, and appends the signed envelope to the outbox, so that what
//! the hub holds and what it will publish never disagree. The writer then waits in
//! [`Store::flushed`] for the group-commit flusher, which makes one fsync serve every
//! writer that committed before it began, and moves the durable watermark up. The
//! publisher ([`crate::publisher`]) reads only entries below that watermark
//! ([`Store::outbox_after`]), because an envelope whose write a crash then undid
//! would be a ghost in the stream, and deletes each after its PubAck
//! ([`Store::published`]).
//!
//! The hub's profile (its heartbeat) is queued here too, because it is the one event
//! that takes the place of its waiting predecessor instead of queueing behind it.

use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use sled::{Transactional, Tree};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::{mpsc, oneshot};
use ulid::Ulid;

use kith_proto::domain::HubProfile;
use kith_proto::envelope;
use kith_proto::event::{Event, Family};

use super::leaving::after_leaving;
use super::{
    Listing, META_LEFT, META_PENDING_PROFILE, META_PROFILE, META_PUBLISHED, META_SEQ, Record, Store, StoreError, abort,
    decode, encode, seq_of, write_marker,
};

/// A signed envelope waiting to be published.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub subject: String,
    /// The envelope id, sent as `Nats-Msg-Id` so that JetStream drops a re-publish.
    pub msg_id: String,
    pub bytes: Vec<u8>,
}

/// Sequence numbers of the outbox, for `kith status`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutboxStatus {
    pub pending: u64,
    pub last_written_seq: u64,
    pub last_published_seq: u64,
}

impl Store {
    /// Runs one write transaction: takes the next sequence number, lets `body` write
    /// the listing and return the event, and appends the signed envelope to the outbox.
    pub(super) fn write(
        &self,
        body: impl Fn(&Tx<'_>, u64, i64) -> Result<Event, ConflictableTransactionError<StoreError>>,
    ) -> Result<u64, StoreError> {
        self.write_maybe(|tx, seq, now| body(tx, seq, now).map(Some)).map(|seq| seq.expect("an event was written"))
    }

    /// Like [`Store::write`], but `body` may change the store without publishing
    /// anything (`None`): then no sequence number is taken.
    pub(super) fn write_maybe(
        &self,
        body: impl Fn(&Tx<'_>, u64, i64) -> Result<Option<Event>, ConflictableTransactionError<StoreError>>,
    ) -> Result<Option<u64>, StoreError> {
        let _guard = self.inner.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        self.commit_locked(None, body)
    }

    /// [`Store::write`] whose audit entry says `action` rather than what the event
    /// would (an erasure, whose event repeats the status).
    pub(super) fn write_audited_as(
        &self,
        action: &str,
        body: impl Fn(&Tx<'_>, u64, i64) -> Result<Event, ConflictableTransactionError<StoreError>>,
    ) -> Result<u64, StoreError> {
        let _guard = self.inner.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        self.commit_locked(Some(action), |tx, seq, now| body(tx, seq, now).map(Some))
            .map(|seq| seq.expect("an event was written"))
    }

    /// [`Store::write_maybe`] for a caller that holds the write lock; `action`, the
    /// audit entry's words when not the event's.
    fn commit_locked(
        &self,
        action: Option<&str>,
        body: impl Fn(&Tx<'_>, u64, i64) -> Result<Option<Event>, ConflictableTransactionError<StoreError>>,
    ) -> Result<Option<u64>, StoreError> {
        let inner = &self.inner;
        let now = kith_proto::time::now_ms();
        // Each family's tree, then referrals, asks, outbox, meta and the audit's two, in that order.
        let others = [&inner.referrals, &inner.asks, &inner.outbox, &inner.meta, &inner.audit, &inner.audit_last];
        let trees: Vec<&Tree> = inner.listings.iter().chain(others).collect();
        let actor = super::current_actor();
        let result = trees[..].transaction(|trees| {
            let (listings, [referrals, asks, outbox, meta, audit, audit_last]) = trees.split_at(Family::COUNT) else {
                unreachable!("six trees after the families'")
            };
            let seq = match meta.get(META_SEQ)? {
                Some(v) => seq_of(&v).map_err(abort)? + 1,
                None => 1,
            };
            let tx = Tx { listings, referrals, asks, meta };
            let Some(event) = body(&tx, seq, now)? else { return Ok(None) };
            if meta.get(META_LEFT)?.is_some() && !after_leaving(&event) {
                return Err(abort(StoreError::Left));
            }
            if let Event::Profile(HubProfile { left: true, .. }) = &event {
                meta.insert(META_LEFT, &[1])?;
            }
            let id = &inner.identity;
            let sealed =
                envelope::seal(&id.region, &id.hub, seq, now, &event, &id.signing).map_err(|e| abort(e.into()))?;
            let entry = OutboxEntry {
                subject: sealed.subject.to_string(),
                msg_id: sealed.envelope.id.to_string(),
                bytes: sealed.bytes,
            };
            outbox.insert(&seq.to_be_bytes(), encode(&entry))?;
            meta.insert(META_SEQ, &seq.to_be_bytes())?;
            if let Some(actor) = &actor {
                let mut entry = super::AuditEntry::of_event(actor, &event, now);
                if let Some(action) = action {
                    entry.action = action.to_owned();
                }
                audit.insert(&entry.key(), encode(&entry))?;
                audit_last.insert(entry.about.as_bytes(), encode(&entry))?;
            }
            Ok(Some(seq))
        });
        match result {
            Ok(seq) => Ok(seq),
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => Err(e.into()),
        }
    }

    /// Waits until everything committed so far is on disk, then wakes the publisher.
    pub(super) async fn flushed(&self, seq: u64) -> Result<u64, StoreError> {
        let (tx, rx) = oneshot::channel();
        self.inner.flush_tx.send(tx).map_err(|_| StoreError::Closed)?;
        rx.await
            .map_err(|_| StoreError::Closed)?
            .map_err(|e| StoreError::Sled(sled::Error::Io(std::io::Error::other(e))))?;
        self.inner.outbox_notify.notify_one();
        Ok(seq)
    }

    /// Flushes and waits (used at shutdown).
    pub async fn flush(&self) -> Result<(), StoreError> {
        self.flushed(0).await.map(|_| ())
    }

    /// Resolves when a write may have added to the outbox.
    pub async fn outbox_changed(&self) {
        self.inner.outbox_notify.notified().await
    }

    /// Outbox entries after `after` in sequence order, at most `limit`.
    /// Only entries already on disk are returned (see [`Inner::durable`](super::Inner::durable)).
    pub fn outbox_after(&self, after: u64, limit: usize) -> Result<Vec<(u64, OutboxEntry)>, StoreError> {
        let durable = self.inner.durable.load(Ordering::SeqCst);
        if after >= durable {
            return Ok(Vec::new());
        }
        let (start, end) = ((after + 1).to_be_bytes(), (durable + 1).to_be_bytes());
        self.inner
            .outbox
            .range(start..end)
            .take(limit)
            .map(|kv| {
                let (k, v) = kv?;
                Ok((seq_of(&k)?, decode(&v)?))
            })
            .collect()
    }

    /// Deletes an outbox entry after JetStream acknowledged it. Not flushed on its
    /// own: if the deletion is lost in a crash the entry is published again, and the
    /// stream's de-duplication and the relay's sequence check make that harmless.
    pub fn published(&self, seq: u64) -> Result<(), StoreError> {
        let inner = &self.inner;
        inner.outbox.remove(seq.to_be_bytes())?;
        inner.meta.fetch_and_update(META_PUBLISHED, |old| {
            let old = old.and_then(|b| seq_of(b).ok()).unwrap_or(0);
            Some(old.max(seq).to_be_bytes().to_vec())
        })?;
        let _ = inner.meta.compare_and_swap(META_PENDING_PROFILE, Some(&seq.to_be_bytes()), None::<&[u8]>)?;
        Ok(())
    }

    /// When the oldest event still in the outbox was written (its envelope's time).
    pub fn oldest_unpublished_ms(&self) -> Result<Option<i64>, StoreError> {
        let Some(first) = self.inner.outbox.first()? else { return Ok(None) };
        let entry: OutboxEntry = decode(&first.1)?;
        Ok(envelope::decode(&entry.bytes, &entry.subject).ok().map(|d| d.envelope().at_ms))
    }

    /// The last sequence number written: it changes with every change of the store.
    pub fn last_written_seq(&self) -> Result<u64, StoreError> {
        self.inner.meta.get(META_SEQ)?.map(|v| seq_of(&v)).unwrap_or(Ok(0))
    }

    pub fn outbox_status(&self) -> Result<OutboxStatus, StoreError> {
        let meta = &self.inner.meta;
        let read = |k: &[u8]| -> Result<u64, StoreError> { meta.get(k)?.map(|v| seq_of(&v)).unwrap_or(Ok(0)) };
        Ok(OutboxStatus {
            pending: self.inner.outbox.len() as u64,
            last_written_seq: read(META_SEQ)?,
            last_published_seq: read(META_PUBLISHED)?,
        })
    }

    /// Queues the hub's profile (its heartbeat). A profile still waiting in the outbox
    /// is replaced *in its place*, under its sequence number: heartbeats do not pile
    /// up while NATS is down, and a new hub's first profile stays ahead of its first
    /// listings, so that whoever reads the stream learns the hub's key before them.
    pub async fn publish_profile(&self, profile: HubProfile) -> Result<u64, StoreError> {
        if !profile.left && self.has_left()? {
            return Err(StoreError::Left);
        }
        // The store holds the operators' choices about asks: every profile says them.
        let asks = if profile.left { Default::default() } else { self.ask_policy()? };
        let unmet_work = if profile.left { Vec::new() } else { self.unmet_work_now()? };
        let profile = HubProfile { asks, unmet_work, ..profile };
        self.inner.meta.insert(META_PROFILE, encode(&profile))?;
        if let Some(seq) = self.replace_pending_profile(&profile)? {
            return self.flushed(seq).await;
        }
        let seq = self.write(|tx, seq, _now| {
            tx.meta.insert(META_PENDING_PROFILE, &seq.to_be_bytes())?;
            Ok(Event::Profile(profile.clone()))
        })?;
        self.flushed(seq).await
    }

    /// The pool's unmet work of the last eight weeks, as every profile says it.
    fn unmet_work_now(&self) -> Result<Vec<kith_proto::domain::UnmetWork>, StoreError> {
        self.unmet_work(kith_proto::time::CivilDate::today_here(), 8)
    }

    /// Queues the hub's heartbeat: its profile with the digest of everything it has
    /// published ([`kith_proto::digest`]), taken while writers wait, so that it
    /// covers exactly the events numbered before it. A heartbeat that replaces one
    /// still waiting (NATS down) takes that one's earlier place, so it carries none.
    pub async fn publish_heartbeat(&self, profile: HubProfile) -> Result<u64, StoreError> {
        if !profile.left && self.has_left()? {
            return Err(StoreError::Left);
        }
        let asks = if profile.left { Default::default() } else { self.ask_policy()? };
        let unmet_work = if profile.left { Vec::new() } else { self.unmet_work_now()? };
        let profile = HubProfile { digest: None, asks, unmet_work, ..profile };
        self.inner.meta.insert(META_PROFILE, encode(&profile))?;
        if let Some(seq) = self.replace_pending_profile(&profile)? {
            return self.flushed(seq).await;
        }
        let seq = {
            let _guard = self.inner.write_lock.lock().unwrap_or_else(|p| p.into_inner());
            let digest = self.digest()?;
            let profile = HubProfile { digest: Some(digest), ..profile };
            self.commit_locked(None, |tx, seq, _now| {
                tx.meta.insert(META_PENDING_PROFILE, &seq.to_be_bytes())?;
                Ok(Some(Event::Profile(profile.clone())))
            })?
            .expect("an event was written")
        };
        self.flushed(seq).await
    }

    /// Re-seals the waiting profile with new content and time, keeping its sequence
    /// number; `None` when no profile is waiting.
    fn replace_pending_profile(&self, profile: &HubProfile) -> Result<Option<u64>, StoreError> {
        let inner = &self.inner;
        let _guard = inner.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let now = kith_proto::time::now_ms();
        let result = (&inner.outbox, &inner.meta).transaction(|(outbox, meta)| {
            let Some(pending) = meta.get(META_PENDING_PROFILE)? else { return Ok(None) };
            if outbox.get(&pending)?.is_none() {
                return Ok(None);
            }
            let seq = seq_of(&pending).map_err(abort)?;
            let id = &inner.identity;
            let event = Event::Profile(profile.clone());
            let sealed =
                envelope::seal(&id.region, &id.hub, seq, now, &event, &id.signing).map_err(|e| abort(e.into()))?;
            let entry = OutboxEntry {
                subject: sealed.subject.to_string(),
                msg_id: sealed.envelope.id.to_string(),
                bytes: sealed.bytes,
            };
            outbox.insert(&pending, encode(&entry))?;
            Ok(Some(seq))
        });
        match result {
            Ok(seq) => Ok(seq),
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => Err(e.into()),
        }
    }
}

/// The trees of one transaction.
pub(super) struct Tx<'a> {
    /// Each family's, in [`Family::ALL`]'s order.
    listings: &'a [TransactionalTree],
    pub(super) referrals: &'a TransactionalTree,
    pub(super) asks: &'a TransactionalTree,
    pub(super) meta: &'a TransactionalTree,
}

impl Tx<'_> {
    pub(super) fn listing<T: Listing>(&self) -> &TransactionalTree {
        &self.listings[T::FAMILY.index()]
    }

    pub(super) fn get_listing<T: Listing>(
        &self,
        key: &[u8],
        id: Ulid,
    ) -> Result<Record<T>, ConflictableTransactionError<StoreError>> {
        let bytes =
            self.listing::<T>().get(key)?.ok_or_else(|| abort(StoreError::NotFound { family: T::TOKEN, id }))?;
        decode(&bytes).map_err(abort)
    }
}

/// The group-commit loop: one flush for every writer that committed before it began.
///
/// It also moves the durable watermark: the sequence number read before a flush is on
/// disk once the flush has succeeded.
///
/// Flushes for the writers waiting; `marker`, until it is written, is the file that
/// says the store has been written to, written after the first flush that made a
/// write durable.
pub(super) async fn flusher(
    db: sled::Db,
    meta: Tree,
    durable: Arc<AtomicU64>,
    mut rx: mpsc::UnboundedReceiver<oneshot::Sender<Result<(), String>>>,
    mut marker: Option<std::path::PathBuf>,
) {
    while let Some(first) = rx.recv().await {
        let mut waiters = vec![first];
        while let Ok(w) = rx.try_recv() {
            waiters.push(w);
        }
        let written = meta.get(META_SEQ).ok().flatten().and_then(|v| seq_of(&v).ok()).unwrap_or(0);
        let db = db.clone();
        let result = match tokio::task::spawn_blocking(move || db.flush()).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match &result {
            Ok(()) => {
                durable.fetch_max(written, Ordering::SeqCst);
                if written > 0
                    && let Some(path) = marker.take()
                    && let Err(e) = write_marker(&path)
                {
                    tracing::warn!(path = %path.display(), error = %e, "cannot mark the store as written to");
                }
            }
            Err(e) => tracing::error!(error = %e, "store flush failed"),
        }
        for w in waiters {
            let _ = w.send(result.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Identity;
    use super::super::fixtures::{identity, opportunity};
    use super::*;
    use kith_proto::domain::Opportunity;

    #[tokio::test]
    async fn writes_reach_the_outbox_in_order_and_survive_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let key = identity().signing;
        let ident = || Identity { signing: key.clone(), ..identity() };
        let o = opportunity("Seed sorting");
        {
            let store = Store::open(dir.path(), ident()).unwrap();
            assert_eq!(store.create(o.clone()).await.unwrap(), 1);
            let seq = store
                .update::<Opportunity>(o.id, |mut o| {
                    o.title = "Seed sorting and packing".into();
                    o.validate()
                })
                .await
                .unwrap();
            assert_eq!(seq, 2);
            let bad = store
                .update::<Opportunity>(o.id, |mut o| {
                    o.title = String::new();
                    o.validate()
                })
                .await;
            assert!(matches!(bad, Err(StoreError::Invalid(_))));
            store.close().await.unwrap();
        }
        let store = Store::open(dir.path(), ident()).unwrap();
        let r = store.get::<Opportunity>(o.id).unwrap().unwrap();
        assert_eq!((r.item.title.as_str(), r.seq), ("Seed sorting and packing", 2));
        let out = store.outbox_after(0, 10).unwrap();
        assert_eq!(out.iter().map(|(s, _)| *s).collect::<Vec<_>>(), vec![1, 2]);
        let opened = envelope::open(&out[1].1.bytes, &out[1].1.subject, Some(&key.verifying_key())).unwrap();
        assert_eq!(opened.envelope.hub_seq, 2);
        store.published(1).unwrap();
        let s = store.outbox_status().unwrap();
        assert_eq!(s, OutboxStatus { pending: 1, last_written_seq: 2, last_published_seq: 1 });
    }

    #[tokio::test]
    async fn only_one_profile_waits_in_the_outbox() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), identity()).unwrap();
        let profile = HubProfile {
            name: "Garden".into(),
            description: String::new(),
            contact: String::new(),
            helpline_hours: String::new(),
            signing_key: store.identity().signing.verifying_key().to_bytes(),
            box_key: [1; 32],
            rotations: vec![],
            left: false,
            digest: None,
            asks: Default::default(),
            unmet_work: Vec::new(),
            language: String::new(),
        };
        for _ in 0..5 {
            store.publish_profile(profile.clone()).await.unwrap();
        }
        store.create(opportunity("Litter pick")).await.unwrap();
        let seqs: Vec<u64> = store.outbox_after(0, 100).unwrap().into_iter().map(|(s, _)| s).collect();
        assert_eq!(seqs, vec![1, 2], "the waiting profile keeps its place ahead of the listing");
        store.create(opportunity("Litter pick")).await.unwrap();
        store.publish_profile(profile.clone()).await.unwrap();
        let first = store.outbox_after(0, 1).unwrap().remove(0).1;
        let opened = envelope::open(&first.bytes, &first.subject, None).unwrap();
        assert_eq!(opened.envelope.hub_seq, 1, "re-sealed under its own sequence number");
        store.published(1).unwrap();
        store.publish_profile(profile).await.unwrap();
        let seqs: Vec<u64> = store.outbox_after(0, 100).unwrap().into_iter().map(|(s, _)| s).collect();
        assert_eq!(seqs, vec![2, 3, 4], "a published profile is not replaced: the next one is new");
    }

    #[tokio::test]
    async fn concurrent_writes_share_flushes_and_get_distinct_sequences() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), identity()).unwrap();
        let tasks: Vec<_> = (0..64)
            .map(|i| {
                let store = store.clone();
                tokio::spawn(async move { store.create(opportunity(&format!("Job {i}"))).await.unwrap() })
            })
            .collect();
        let mut seqs = Vec::new();
        for t in tasks {
            seqs.push(t.await.unwrap());
        }
        seqs.sort();
        assert_eq!(seqs, (1..=64).collect::<Vec<_>>());
    }
}
