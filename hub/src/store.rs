//! The hub's sled store: the source of truth for everything the hub publishes.
//!
//! The trees:
//!
//! - `opportunities`, `safehouses`, `services`: id → [`Record`] of the listing (postcard).
//!   `meta` also maps `source:<family>:<id>` to the listing imported from that id.
//! - `referrals`: id → [`ReferralRecord`], both sides of a referral as this hub
//!   knows them; while it holds the person's details or reasons, encrypted under a
//!   key of its own in `referral.keys`, destroyed when they are erased
//!   ([`crate::shred`]).
//! - `peers`: hub id → [`PeerKeys`] pinned from that hub's profile.
//! - `outbox`: hub sequence number (big-endian) → [`OutboxEntry`], the signed
//!   envelope waiting for a JetStream PubAck.
//! - `meta`: the last sequence number written and published, and which outbox entry
//!   holds the pending profile (so heartbeats never pile up while NATS is down).
//!
//! Every write is **one sled transaction** over the listing, the outbox and `meta`,
//! and is flushed to disk before the caller gets its answer, so an answered write
//! survives `kill -9`. Flushes are shared (group commit): writes that commit while a
//! flush is running wait for the next one, together, instead of each paying for its
//! own fsync. Only this module touches sled.

use ed25519_dalek::SigningKey;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use sled::{Transactional, Tree};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use thiserror::Error;
use tokio::sync::{Notify, mpsc, oneshot};
use ulid::Ulid;

use kith_proto::Slug;
use kith_proto::digest::{self, Buckets, HubDigest};
use kith_proto::domain::{HubProfile, Opportunity, OpportunityStatus, SafeHouse};
use kith_proto::envelope::{self, EnvelopeError};
use kith_proto::event::Event;
use kith_proto::service::Service;
use kith_proto::validate::ValidationError;

use crate::referral::ReferralRecord;
use crate::shred::{self, ReferralKeys};

const OPPORTUNITIES: &str = "opportunities";
const SAFEHOUSES: &str = "safehouses";
const SERVICES: &str = "services";
const REFERRALS: &str = "referrals";
const PEERS: &str = "peers";
const OUTBOX: &str = "outbox";
const META: &str = "meta";
/// Every tree of the store, as [`Store::dump`] writes them.
const TREES: [&str; 7] = [OPPORTUNITIES, SAFEHOUSES, SERVICES, REFERRALS, PEERS, OUTBOX, META];

const META_SEQ: &[u8] = b"seq";
const META_PUBLISHED: &[u8] = b"published";
const META_PENDING_PROFILE: &[u8] = b"pending_profile";
/// The profile last queued, so that a republish can send it first.
const META_PROFILE: &[u8] = b"profile";
/// The mark of the region's stream last published to ([`crate::inbox::stream_mark`]),
/// to notice a new stream.
const META_STREAM: &[u8] = b"stream_created";
/// A [`META_STREAM`] value no stream has: the next stream seen is new, so
/// everything is republished to it.
const REPUBLISH_DUE: &[u8] = b"republish-due";
/// Set with the profile that says the hub left the region (`kith withdraw-all`).
const META_LEFT: &[u8] = b"left";
/// A file in the store's directory saying the store has been written to.
const USED_MARKER: &str = "written";
/// `source:<family>:<id in another system>` → the listing imported from it.
const META_SOURCE: &str = "source:";

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{family} {id} not found")]
    NotFound { family: &'static str, id: Ulid },
    #[error("{family} {id} is withdrawn; it can no longer be changed")]
    Withdrawn { family: &'static str, id: Ulid },
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("store: {0}")]
    Sled(#[from] sled::Error),
    #[error("store holds a record that cannot be decoded: {0}")]
    Corrupt(String),
    #[error("cannot sign event: {0}")]
    Envelope(#[from] EnvelopeError),
    #[error("store is shutting down")]
    Closed,
    #[error(
        "this hub has left the region (kith withdraw-all): it publishes nothing more, only withdrawals and the \
         steps of referrals already made"
    )]
    Left,
    #[error("{path} is in use by another process: is the hub running? Stop it first")]
    InUse { path: String },
    #[error("{path}: {why}")]
    Open { path: String, why: String },
    #[error(
        "the store {path} is damaged (it cannot be read back as it was written): move it aside and restore the \
         hub from a backup (kith restore FILE --dir DIR)"
    )]
    Lost { path: String },
    #[error("{0}")]
    Transition(#[from] kith_proto::referral::TransitionError),
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Seal(#[from] kith_proto::referral::SealError),
    #[error(transparent)]
    Keys(#[from] crate::shred::ShredError),
}

/// A listing as the hub keeps it: the value, and the event that last changed it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record<T> {
    pub item: T,
    /// Hub sequence number of the last event about this listing.
    pub seq: u64,
    pub updated_at_ms: i64,
    pub withdrawn: bool,
}

/// Another hub's public keys, pinned from its profile on the region's stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerKeys {
    pub signing: [u8; 32],
    pub boxing: [u8; 32],
    /// Hub sequence number of the profile they were pinned from.
    pub seq: u64,
}

/// What [`Store::change_referral`] writes.
pub struct ReferralChange {
    pub record: ReferralRecord,
    /// This hub's side, when it must be published.
    pub event: Option<Event>,
}

/// A signed envelope waiting to be published.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub subject: String,
    /// The envelope id, sent as `Nats-Msg-Id` so that JetStream drops a re-publish.
    pub msg_id: String,
    pub bytes: Vec<u8>,
}

/// A family of listings the store keeps: which tree, and which events carry it.
pub trait Listing: Serialize + DeserializeOwned + Clone + Send + 'static {
    const FAMILY: &'static str;
    fn id(&self) -> Ulid;
    /// Which tree holds this family.
    const TREE: ListingTree;
    /// The event that publishes the current value.
    fn published(&self) -> Event;
    /// The tombstone that withdraws it.
    fn withdrawal(id: Ulid) -> Event;
    /// Marks the value itself withdrawn where the type has a status.
    fn mark_withdrawn(&mut self) {}
}

impl StoreError {
    /// The operating system's error behind a failed write or read, if that is what
    /// this is (a full disk, a read-only file system).
    pub fn io_error(&self) -> Option<&std::io::Error> {
        match self {
            StoreError::Sled(sled::Error::Io(io)) => Some(io),
            StoreError::Keys(crate::shred::ShredError::Io { source, .. }) => Some(source),
            _ => None,
        }
    }
}

impl Listing for Opportunity {
    const FAMILY: &'static str = "opportunity";
    fn id(&self) -> Ulid {
        self.id
    }
    const TREE: ListingTree = ListingTree::Opportunities;
    fn published(&self) -> Event {
        Event::OpportunityPublished(self.clone())
    }
    fn withdrawal(id: Ulid) -> Event {
        Event::OpportunityWithdrawn { id }
    }
    fn mark_withdrawn(&mut self) {
        self.status = OpportunityStatus::Withdrawn;
    }
}

impl Listing for SafeHouse {
    const FAMILY: &'static str = "safehouse";
    fn id(&self) -> Ulid {
        self.id
    }
    const TREE: ListingTree = ListingTree::SafeHouses;
    fn published(&self) -> Event {
        Event::SafeHousePublished(self.clone())
    }
    fn withdrawal(id: Ulid) -> Event {
        Event::SafeHouseWithdrawn { id }
    }
}

impl Listing for Service {
    const FAMILY: &'static str = "service";
    fn id(&self) -> Ulid {
        self.id
    }
    const TREE: ListingTree = ListingTree::Services;
    fn published(&self) -> Event {
        Event::ServicePublished(self.clone())
    }
    fn withdrawal(id: Ulid) -> Event {
        Event::ServiceWithdrawn { id }
    }
}

/// The trees that hold listings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListingTree {
    Opportunities,
    SafeHouses,
    Services,
}

/// Who the hub is: what every envelope is signed and addressed as.
pub struct Identity {
    pub region: Slug,
    pub hub: Slug,
    pub signing: SigningKey,
}

/// A cheap-to-clone handle on the store.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    opportunities: Tree,
    safehouses: Tree,
    services: Tree,
    referrals: Tree,
    peers: Tree,
    outbox: Tree,
    meta: Tree,
    identity: Identity,
    /// Serialises writers: every write takes the next sequence number, so they would
    /// only conflict and retry inside sled otherwise. Held for microseconds, never
    /// across the flush.
    write_lock: Mutex<()>,
    /// Writers waiting for the next flush (group commit).
    flush_tx: mpsc::UnboundedSender<oneshot::Sender<Result<(), String>>>,
    /// Woken after every committed write, for the publisher.
    outbox_notify: Notify,
    /// The flusher task, awaited by [`Store::close`].
    flusher: Mutex<Option<tokio::task::JoinHandle<()>>>,
    /// The keys referrals are encrypted under at rest ([`crate::shred`]).
    referral_keys: ReferralKeys,
    /// The region's roster, if the hub was given one ([`Store::set_roster`]).
    roster: std::sync::OnceLock<kith_proto::roster::Roster>,
    /// The highest sequence number known to be on disk. The publisher sends nothing
    /// above it: an envelope in the stream whose write a crash then undid would be a
    /// ghost the hub cannot withdraw, and its sequence number would be reused.
    durable: Arc<AtomicU64>,
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

/// Sequence numbers of the outbox, for `kith status`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutboxStatus {
    pub pending: u64,
    pub last_written_seq: u64,
    pub last_published_seq: u64,
}

impl Store {
    /// Opens (or creates) the store at `path` and starts its flusher task, which ends
    /// when the last handle is dropped.
    pub fn open(path: &Path, identity: Identity) -> Result<Store, StoreError> {
        let db = sled::Config::new().path(path).open().map_err(|e| match e {
            sled::Error::Io(io) if io.to_string().contains("could not acquire lock") => {
                StoreError::InUse { path: path.display().to_string() }
            }
            sled::Error::Corruption { .. } => StoreError::Lost { path: path.display().to_string() },
            other => StoreError::Open { path: path.display().to_string(), why: other.to_string() },
        })?;
        let (flush_tx, flush_rx) = mpsc::unbounded_channel();
        let inner = Inner {
            opportunities: db.open_tree(OPPORTUNITIES)?,
            safehouses: db.open_tree(SAFEHOUSES)?,
            services: db.open_tree(SERVICES)?,
            referrals: db.open_tree(REFERRALS)?,
            peers: db.open_tree(PEERS)?,
            outbox: db.open_tree(OUTBOX)?,
            meta: db.open_tree(META)?,
            identity,
            write_lock: Mutex::new(()),
            flush_tx,
            outbox_notify: Notify::new(),
            flusher: Mutex::new(None),
            durable: Arc::new(AtomicU64::new(0)),
            roster: std::sync::OnceLock::new(),
            referral_keys: ReferralKeys::open(&path.join(shred::KEYS_FILE))?,
        };
        // A key left by a crash between a record's last personal value and its
        // erasure, or of a referral no longer stored: destroyed now.
        for id in inner.referral_keys.ids() {
            match inner.referrals.get(id.to_bytes())? {
                Some(v) if v.first() == Some(&shred::SEALED) => {}
                _ => {
                    inner.referral_keys.destroy(id)?;
                }
            }
        }
        // Whatever is on disk when the store opens is durable.
        let on_disk = inner.meta.get(META_SEQ)?.map(|v| seq_of(&v)).transpose()?.unwrap_or(0);
        // sled recovers from a damaged file by dropping what it cannot read, down to
        // nothing: a store that has written before and now holds no sequence number
        // has lost its contents, and publishing from it would reuse numbers.
        let marker = path.join(USED_MARKER);
        if on_disk == 0 && marker.exists() {
            return Err(StoreError::Lost { path: path.display().to_string() });
        }
        if on_disk > 0 && !marker.exists() {
            write_marker(&marker).map_err(|e| StoreError::Sled(sled::Error::Io(e)))?;
        }
        inner.durable.store(on_disk, Ordering::SeqCst);
        let marker = (!marker.exists()).then_some(marker);
        let task = flusher(db, inner.meta.clone(), inner.durable.clone(), flush_rx, marker);
        *inner.flusher.lock().unwrap_or_else(|p| p.into_inner()) = Some(tokio::spawn(task));
        Ok(Store { inner: Arc::new(inner) })
    }

    /// Flushes, stops the flusher and releases the database. Other handles must have
    /// been dropped first; if some remain, only the flush happens.
    pub async fn close(self) -> Result<(), StoreError> {
        self.flush().await?;
        if let Ok(inner) = Arc::try_unwrap(self.inner) {
            let handle = inner.flusher.lock().unwrap_or_else(|p| p.into_inner()).take();
            drop(inner);
            if let Some(handle) = handle {
                let _ = handle.await;
            }
        }
        Ok(())
    }

    fn tree<T: Listing>(&self) -> &Tree {
        match T::TREE {
            ListingTree::Opportunities => &self.inner.opportunities,
            ListingTree::SafeHouses => &self.inner.safehouses,
            ListingTree::Services => &self.inner.services,
        }
    }

    pub fn identity(&self) -> &Identity {
        &self.inner.identity
    }

    /// Gives the hub the region's roster (once, at start).
    pub fn set_roster(&self, roster: kith_proto::roster::Roster) {
        let _ = self.inner.roster.set(roster);
    }

    /// The region's roster, if the hub has one: whom it trusts, and with which keys.
    pub fn roster(&self) -> Option<&kith_proto::roster::Roster> {
        self.inner.roster.get()
    }

    /// Resolves when a write may have added to the outbox.
    pub async fn outbox_changed(&self) {
        self.inner.outbox_notify.notified().await
    }

    /// Creates a listing. Returns its hub sequence number once it is on disk.
    pub async fn create<T: Listing>(&self, item: T) -> Result<u64, StoreError> {
        let key = item.id().to_bytes();
        let seq = self.write(|tx, seq, now| {
            let record = Record { item: item.clone(), seq, updated_at_ms: now, withdrawn: false };
            tx.listing::<T>().insert(&key, encode(&record))?;
            Ok(item.published())
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
                return Err(abort(StoreError::Withdrawn { family: T::FAMILY, id }));
            }
            if let Some(expected) = if_seq
                && record.seq != expected
            {
                return Err(abort(StoreError::Refused(format!(
                    "{} {id} was changed since it was read (now at sequence {}, not {expected}); read it again",
                    T::FAMILY,
                    record.seq
                ))));
            }
            let item = change(record.item).map_err(|e| abort(e.into()))?;
            let record = Record { item, seq, updated_at_ms: now, withdrawn: false };
            tx.listing::<T>().insert(&key, encode(&record))?;
            Ok(record.item.published())
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
        let source_key = format!("{META_SOURCE}{}:{source}", T::FAMILY).into_bytes();
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
            Ok(Some(record.item.published()))
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
            Ok(T::withdrawal(id))
        })?;
        self.flushed(seq).await
    }

    /// Queues the hub's profile (its heartbeat). A profile still waiting in the outbox
    /// is replaced *in its place*, under its sequence number: heartbeats do not pile
    /// up while NATS is down, and a new hub's first profile stays ahead of its first
    /// listings, so that whoever reads the stream learns the hub's key before them.
    pub async fn publish_profile(&self, profile: HubProfile) -> Result<u64, StoreError> {
        if !profile.left && self.has_left()? {
            return Err(StoreError::Left);
        }
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

    /// Queues the hub's heartbeat: its profile with the digest of everything it has
    /// published ([`kith_proto::digest`]), taken while writers wait, so that it
    /// covers exactly the events numbered before it. A heartbeat that replaces one
    /// still waiting (NATS down) takes that one's earlier place, so it carries none.
    pub async fn publish_heartbeat(&self, profile: HubProfile) -> Result<u64, StoreError> {
        if !profile.left && self.has_left()? {
            return Err(StoreError::Left);
        }
        let profile = HubProfile { digest: None, ..profile };
        self.inner.meta.insert(META_PROFILE, encode(&profile))?;
        if let Some(seq) = self.replace_pending_profile(&profile)? {
            return self.flushed(seq).await;
        }
        let seq = {
            let _guard = self.inner.write_lock.lock().unwrap_or_else(|p| p.into_inner());
            let digest = self.digest()?;
            let profile = HubProfile { digest: Some(digest), ..profile };
            self.commit_locked(|tx, seq, _now| {
                tx.meta.insert(META_PENDING_PROFILE, &seq.to_be_bytes())?;
                Ok(Some(Event::Profile(profile.clone())))
            })?
            .expect("an event was written")
        };
        self.flushed(seq).await
    }

    /// What this hub has published of each family, summed ([`kith_proto::digest`]).
    pub fn digest(&self) -> Result<HubDigest, StoreError> {
        let mut d = HubDigest::default();
        for f in digest::Family::ALL {
            *d.family_mut(f) = self.buckets(f)?.total();
        }
        Ok(d)
    }

    /// One family's digest in buckets, for answering a repair request.
    pub fn buckets(&self, family: digest::Family) -> Result<Buckets, StoreError> {
        let mut b = Buckets::default();
        let entries = match family {
            digest::Family::Opportunities => self.entries::<Opportunity>()?,
            digest::Family::SafeHouses => self.entries::<SafeHouse>()?,
            digest::Family::Services => self.entries::<Service>()?,
        };
        for (id, seq) in entries {
            b.add(id, seq);
        }
        Ok(b)
    }

    /// Every listing of a family, live or withdrawn, with its latest sequence number.
    fn entries<T: Listing>(&self) -> Result<Vec<(Ulid, u64)>, StoreError> {
        Ok(self.list::<T>()?.into_iter().map(|r| (r.item.id(), r.seq)).collect())
    }

    /// Publishes again, under new sequence numbers, the listings of `family` whose
    /// digest bucket is in `buckets` (a relay found them differ). How many.
    pub async fn republish_buckets(
        &self,
        family: digest::Family,
        buckets: &std::collections::BTreeSet<usize>,
    ) -> Result<u64, StoreError> {
        let keep = |id: Ulid| buckets.contains(&digest::bucket(id));
        let queued = match family {
            digest::Family::Opportunities => self.republish_where::<Opportunity>(keep)?,
            digest::Family::SafeHouses => self.republish_where::<SafeHouse>(keep)?,
            digest::Family::Services => self.republish_where::<Service>(keep)?,
        };
        self.flush().await?;
        Ok(queued)
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

    /// Publishes again the current state of everything this hub owns, under new
    /// sequence numbers: its profile first, then every listing (or the tombstone of a
    /// withdrawn one) and this hub's side of every referral. The hub's store is the
    /// source of truth: this repairs a region whose stream lost what it had (a new
    /// stream, or a server that lost acknowledged messages in a power cut). Returns
    /// how many events were queued.
    pub async fn republish(&self) -> Result<u64, StoreError> {
        let mut queued = 0;
        if let Some(profile) = self.inner.meta.get(META_PROFILE)?.map(|v| decode::<HubProfile>(&v)).transpose()? {
            self.publish_profile(profile).await?;
            queued += 1;
        }
        queued += self.republish_listings::<Opportunity>()?;
        queued += self.republish_listings::<SafeHouse>()?;
        queued += self.republish_listings::<Service>()?;
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
        self.flush().await?;
        Ok(queued)
    }

    fn republish_listings<T: Listing>(&self) -> Result<u64, StoreError> {
        self.republish_where::<T>(|_| true)
    }

    fn republish_where<T: Listing>(&self, keep: impl Fn(Ulid) -> bool) -> Result<u64, StoreError> {
        let mut queued = 0;
        for id in self.list::<T>()?.into_iter().map(|r| r.item.id()).filter(|id| keep(*id)) {
            let key = id.to_bytes();
            self.write(|tx, seq, _now| {
                let mut record: Record<T> = tx.get_listing(&key, id)?;
                record.seq = seq;
                tx.listing::<T>().insert(&key, encode(&record))?;
                Ok(if record.withdrawn { T::withdrawal(id) } else { record.item.published() })
            })?;
            queued += 1;
        }
        Ok(queued)
    }

    /// Whether the region's stream, told by `mark` (see
    /// [`crate::inbox::stream_mark`]), is the one this hub last published to. The
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

    /// Everything in the store, as [`import_dump`] takes it: written while writers
    /// wait, so that it is one consistent state (for `kith backup`).
    /// Returns it and the last sequence number it holds.
    pub fn dump(&self) -> Result<(Vec<u8>, u64), StoreError> {
        let inner = &self.inner;
        let _guard = inner.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let seq = inner.meta.get(META_SEQ)?.map(|v| seq_of(&v)).transpose()?.unwrap_or(0);
        let mut trees = Vec::new();
        for (name, tree) in self.named_trees() {
            let pairs = tree.iter().map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec()))).collect::<Result<_, _>>()?;
            trees.push(DumpedTree { name: name.to_owned(), pairs });
        }
        // Read under the same lock: a key is destroyed only after the record that no
        // longer needs it is committed, so the copy never holds a record without its key.
        let referral_keys = inner.referral_keys.bytes()?;
        let dump =
            postcard::to_stdvec(&Dump { trees, referral_keys }).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok((dump, seq))
    }

    fn named_trees(&self) -> [(&'static str, &Tree); 7] {
        let i = &self.inner;
        [
            (OPPORTUNITIES, &i.opportunities),
            (SAFEHOUSES, &i.safehouses),
            (SERVICES, &i.services),
            (REFERRALS, &i.referrals),
            (PEERS, &i.peers),
            (OUTBOX, &i.outbox),
            (META, &i.meta),
        ]
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
            if high <= local {
                return Ok(None);
            }
            let mut caught = CaughtUp { from: local, to: high, ..CaughtUp::default() };
            for (seq, at, event) in events {
                let adopted = match event {
                    Event::OpportunityPublished(o) => self.adopt(o.id, seq, at, Some(o))?,
                    Event::OpportunityWithdrawn { id } => self.adopt::<Opportunity>(id, seq, at, None)?,
                    Event::SafeHousePublished(h) => self.adopt(h.id, seq, at, Some(h))?,
                    Event::SafeHouseWithdrawn { id } => self.adopt::<SafeHouse>(id, seq, at, None)?,
                    Event::ServicePublished(v) => self.adopt(v.id, seq, at, Some(v))?,
                    Event::ServiceWithdrawn { id } => self.adopt::<Service>(id, seq, at, None)?,
                    Event::Referral(side) => {
                        let Some(mut record) = self.referral(side.id)? else { continue };
                        if record.seq >= seq || record.role != side.role || record.other != side.other {
                            continue;
                        }
                        record.mine = side.steps;
                        record.my_reasons.resize(record.mine.len(), String::new());
                        record.seq = seq;
                        record.updated_at_ms = at;
                        inner.referrals.insert(side.id.to_bytes(), self.seal_referral(&record)?)?;
                        caught.referrals += 1;
                        false
                    }
                    Event::Profile(p) => {
                        if p.left {
                            inner.meta.insert(META_LEFT, &[1])?;
                        }
                        false
                    }
                };
                caught.listings += u64::from(adopted);
            }
            inner.meta.insert(META_SEQ, &high.to_be_bytes())?;
            inner.meta.insert(META_PUBLISHED, &high.to_be_bytes())?;
            for key in inner.outbox.range(..=high.to_be_bytes()).keys() {
                inner.outbox.remove(key?)?;
                caught.dropped += 1;
            }
            caught
        };
        self.flush().await?;
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
        let mut withdrawn = self.withdraw_family::<Opportunity>().await?;
        withdrawn += self.withdraw_family::<SafeHouse>().await?;
        withdrawn += self.withdraw_family::<Service>().await?;
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
            withdrawn += self.withdraw_family::<Opportunity>().await?;
            withdrawn += self.withdraw_family::<SafeHouse>().await?;
            withdrawn += self.withdraw_family::<Service>().await?;
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

    /// After the hub's keys were replaced (the hub stopped): the next connection
    /// republishes everything under the new key, and the next profile is queued
    /// after whatever the old key signed and still waits in the outbox, so that a
    /// relay moves its pin only once it has read those.
    pub async fn keys_replaced(&self) -> Result<(), StoreError> {
        self.inner.meta.remove(META_PENDING_PROFILE)?;
        self.inner.meta.insert(META_STREAM, REPUBLISH_DUE)?;
        self.flush().await
    }

    /// Republishes everything (see [`Store::republish`]) for the stream told by
    /// `mark`, then records that stream as the one published to.
    pub async fn republish_to(&self, mark: &str) -> Result<u64, StoreError> {
        let queued = self.republish().await?;
        self.inner.meta.insert(META_STREAM, mark.as_bytes())?;
        self.flush().await?;
        Ok(queued)
    }

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
        // The record now on disk holds nothing personal: its key, and with it every
        // older value of the record still in the store's files, can go.
        if let Some(stored) = self.inner.referrals.get(key)?
            && stored.first() == Some(&shred::PLAIN)
        {
            self.inner.referral_keys.destroy(id)?;
        }
        Ok(seq)
    }

    /// A referral record as stored: encrypted under its own key while it holds
    /// anything personal (see [`crate::shred`]).
    fn seal_referral(&self, record: &ReferralRecord) -> Result<Vec<u8>, StoreError> {
        let plain = encode(record);
        let personal =
            record.person.is_some() || record.my_reasons.iter().chain(&record.their_reasons).any(|r| !r.is_empty());
        if !personal {
            return Ok([&[shred::PLAIN][..], &plain].concat());
        }
        let key = self.inner.referral_keys.key_for(record.id)?;
        Ok([&[shred::SEALED][..], &shred::seal(&key, &plain)].concat())
    }

    /// The referral record `id` from its stored value.
    fn open_referral(&self, id: Ulid, stored: &[u8]) -> Result<ReferralRecord, StoreError> {
        match stored.split_first() {
            Some((&shred::PLAIN, plain)) => decode(plain),
            Some((&shred::SEALED, sealed)) => {
                let key = self.inner.referral_keys.key(id).ok_or_else(|| {
                    StoreError::Corrupt(format!("the key of referral {id} is missing from {}", shred::KEYS_FILE))
                })?;
                let plain = shred::open(&key, sealed)
                    .ok_or_else(|| StoreError::Corrupt(format!("referral {id} does not open with its key")))?;
                decode(&plain)
            }
            // Written before records were encrypted: postcard as it is.
            _ => decode(stored),
        }
    }

    pub fn referral(&self, id: Ulid) -> Result<Option<ReferralRecord>, StoreError> {
        self.inner.referrals.get(id.to_bytes())?.map(|v| self.open_referral(id, &v)).transpose()
    }

    /// Every referral this hub sent or received, oldest first.
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

    pub fn get<T: Listing>(&self, id: Ulid) -> Result<Option<Record<T>>, StoreError> {
        self.tree::<T>().get(id.to_bytes())?.map(|v| decode(&v)).transpose()
    }

    /// Every listing of a family, oldest first (ids are ULIDs).
    pub fn list<T: Listing>(&self) -> Result<Vec<Record<T>>, StoreError> {
        self.tree::<T>().iter().values().map(|v| decode(&v?)).collect()
    }

    /// Outbox entries after `after` in sequence order, at most `limit`.
    /// Only entries already on disk are returned (see [`Inner::durable`]).
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

    pub fn outbox_status(&self) -> Result<OutboxStatus, StoreError> {
        let meta = &self.inner.meta;
        let read = |k: &[u8]| -> Result<u64, StoreError> { meta.get(k)?.map(|v| seq_of(&v)).unwrap_or(Ok(0)) };
        Ok(OutboxStatus {
            pending: self.inner.outbox.len() as u64,
            last_written_seq: read(META_SEQ)?,
            last_published_seq: read(META_PUBLISHED)?,
        })
    }

    /// Runs one write transaction: takes the next sequence number, lets `body` write
    /// the listing and return the event, and appends the signed envelope to the outbox.
    fn write(
        &self,
        body: impl Fn(&Tx<'_>, u64, i64) -> Result<Event, ConflictableTransactionError<StoreError>>,
    ) -> Result<u64, StoreError> {
        self.write_maybe(|tx, seq, now| body(tx, seq, now).map(Some)).map(|seq| seq.expect("an event was written"))
    }

    /// Like [`Store::write`], but `body` may change the store without publishing
    /// anything (`None`): then no sequence number is taken.
    fn write_maybe(
        &self,
        body: impl Fn(&Tx<'_>, u64, i64) -> Result<Option<Event>, ConflictableTransactionError<StoreError>>,
    ) -> Result<Option<u64>, StoreError> {
        let _guard = self.inner.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        self.commit_locked(body)
    }

    /// [`Store::write_maybe`] for a caller that holds the write lock.
    fn commit_locked(
        &self,
        body: impl Fn(&Tx<'_>, u64, i64) -> Result<Option<Event>, ConflictableTransactionError<StoreError>>,
    ) -> Result<Option<u64>, StoreError> {
        let inner = &self.inner;
        let now = kith_proto::time::now_ms();
        let trees =
            (&inner.opportunities, &inner.safehouses, &inner.services, &inner.referrals, &inner.outbox, &inner.meta);
        let result = trees.transaction(|(opportunities, safehouses, services, referrals, outbox, meta)| {
            let seq = match meta.get(META_SEQ)? {
                Some(v) => seq_of(&v).map_err(abort)? + 1,
                None => 1,
            };
            let tx = Tx { opportunities, safehouses, services, referrals, meta };
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
            Ok(Some(seq))
        });
        match result {
            Ok(seq) => Ok(seq),
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => Err(e.into()),
        }
    }

    /// Waits until everything committed so far is on disk, then wakes the publisher.
    async fn flushed(&self, seq: u64) -> Result<u64, StoreError> {
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
}

/// The trees of one transaction.
struct Tx<'a> {
    opportunities: &'a TransactionalTree,
    safehouses: &'a TransactionalTree,
    services: &'a TransactionalTree,
    referrals: &'a TransactionalTree,
    meta: &'a TransactionalTree,
}

impl Tx<'_> {
    fn listing<T: Listing>(&self) -> &TransactionalTree {
        match T::TREE {
            ListingTree::Opportunities => self.opportunities,
            ListingTree::SafeHouses => self.safehouses,
            ListingTree::Services => self.services,
        }
    }

    fn get_listing<T: Listing>(
        &self,
        key: &[u8],
        id: Ulid,
    ) -> Result<Record<T>, ConflictableTransactionError<StoreError>> {
        let bytes =
            self.listing::<T>().get(key)?.ok_or_else(|| abort(StoreError::NotFound { family: T::FAMILY, id }))?;
        decode(&bytes).map_err(abort)
    }
}

/// The group-commit loop: one flush for every writer that committed before it began.
///
/// It also moves the durable watermark: the sequence number read before a flush is on
/// disk once the flush has succeeded.
/// Says, beside the store, that it has been written to (see [`StoreError::Lost`]).
fn write_marker(path: &Path) -> std::io::Result<()> {
    std::fs::write(path, b"this store has been written to\n")?;
    std::fs::File::open(path)?.sync_all()
}

/// Flushes for the writers waiting; `marker`, until it is written, is the file that
/// says the store has been written to, written after the first flush that made a
/// write durable.
async fn flusher(
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

fn abort(e: StoreError) -> ConflictableTransactionError<StoreError> {
    ConflictableTransactionError::Abort(e)
}

fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_stdvec(value).expect("in-memory values always encode")
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    postcard::from_bytes(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn ulid_of(bytes: &[u8]) -> Result<Ulid, StoreError> {
    let arr: [u8; 16] =
        bytes.try_into().map_err(|_| StoreError::Corrupt("an imported listing's id is not 16 bytes".into()))?;
    Ok(Ulid::from_bytes(arr))
}

fn seq_of(bytes: &[u8]) -> Result<u64, StoreError> {
    let arr: [u8; 8] = bytes.try_into().map_err(|_| StoreError::Corrupt("sequence number is not 8 bytes".into()))?;
    Ok(u64::from_be_bytes(arr))
}

/// The whole store as [`Store::dump`] writes it: each tree's keys and values.
#[derive(Serialize, Deserialize)]
struct Dump {
    trees: Vec<DumpedTree>,
    /// The file of referral keys ([`crate::shred`]).
    referral_keys: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct DumpedTree {
    name: String,
    pairs: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Creates a store at `path` (which must not hold one) from a [`Store::dump`], and
/// flushes it. Returns the last sequence number the dump had written.
pub fn import_dump(path: &Path, dump: &[u8]) -> Result<u64, StoreError> {
    let dump: Dump = decode(dump)?;
    if let Some(t) = dump.trees.iter().find(|t| !TREES.contains(&t.name.as_str())) {
        return Err(StoreError::Corrupt(format!("the copy holds a tree this hub does not know: {:?}", t.name)));
    }
    if path.exists() && std::fs::read_dir(path).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(StoreError::Refused(format!("{} already holds a store", path.display())));
    }
    let db = sled::Config::new().path(path).open()?;
    let mut seq = 0;
    for tree in dump.trees {
        let t = db.open_tree(&tree.name)?;
        for (k, v) in tree.pairs {
            if tree.name == META && k == META_SEQ {
                seq = seq_of(&v)?;
            }
            t.insert(k, v)?;
        }
    }
    db.flush()?;
    crate::shred::ReferralKeys::restore(&path.join(shred::KEYS_FILE), &dump.referral_keys)?;
    Ok(seq)
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
    /// Outbox entries dropped because the stream already had them.
    pub dropped: u64,
}

/// What a hub that left the region may still publish: tombstones, the steps of its
/// referrals, and profiles that say it left.
fn after_leaving(event: &Event) -> bool {
    match event {
        Event::OpportunityWithdrawn { .. }
        | Event::SafeHouseWithdrawn { .. }
        | Event::ServiceWithdrawn { .. }
        | Event::Referral(_) => true,
        Event::Profile(p) => p.left,
        Event::OpportunityPublished(_) | Event::SafeHousePublished(_) | Event::ServicePublished(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kith_proto::domain::{OpportunityKind, Pay, Sector};
    use rand::rngs::OsRng;

    fn identity() -> Identity {
        Identity {
            region: Slug::parse("r", "wy").unwrap(),
            hub: Slug::parse("h", "garden").unwrap(),
            signing: SigningKey::generate(&mut OsRng),
        }
    }

    fn opportunity(title: &str) -> Opportunity {
        Opportunity {
            id: Ulid::new(),
            title: title.into(),
            kind: OpportunityKind::Volunteering,
            sector: Sector::Ordinary,
            description: String::new(),
            area: "Leeds".into(),
            remote: false,
            hours_per_week: None,
            pay: Pay::Unpaid,
            expenses_paid: true,
            skills: vec![],
            support: vec![],
            lived_experience_required: false,
            how_to_apply: String::new(),
            closes_on: None,
            status: OpportunityStatus::Open,
        }
    }

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
