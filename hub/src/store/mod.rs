//! The hub's sled store: the source of truth for everything the hub publishes.
//!
//! The trees:
//!
//! - `opportunities`, `safehouses`, `services`: id → [`Record`] of the listing (postcard).
//!   `meta` also maps `source:<family>:<id>` to the listing imported from that id.
//! - `referrals`: id → [`ReferralRecord`](crate::referral::ReferralRecord), both sides of a referral as this hub
//!   knows them; while it holds the person's details or reasons, encrypted under a
//!   key of its own in `referral.keys`, destroyed when they are erased
//!   ([`crate::shred`]).
//! - `asks`: id → [`AskRecord`], an ask a person sent about one of the hub's
//!   listings; encrypted like a referral while it holds what they wrote.
//! - `pool_members`, `pool_jobs`: id → the pool's members and the jobs booked with
//!   it (`pool.rs`), never published; encrypted like a referral while they hold a
//!   person's details, and a member's erased with their key.
//! - `peers`: hub id → [`PeerKeys`] pinned from that hub's profile.
//! - `outbox`: hub sequence number (big-endian) → [`OutboxEntry`], the signed
//!   envelope waiting for a JetStream PubAck.
//! - `desk_users`, `desk_sessions`, `audit`, `audit_last`: the group's desk's
//!   accounts and sessions, and who changed what (`desk.rs`).
//! - `meta`: the last sequence number written and published, and which outbox entry
//!   holds the pending profile (so heartbeats never pile up while NATS is down).
//!
//! Every write is **one sled transaction** over the listing, the outbox and `meta`,
//! and is flushed to disk before the caller gets its answer, so an answered write
//! survives `kill -9`. Flushes are shared (group commit): writes that commit while a
//! flush is running wait for the next one, together, instead of each paying for its
//! own fsync. Only this module touches sled.
//!
//! One file per concern, roughly in the order an event goes through them:
//!
//! - this file: the [`Store`] handle (opening, closing, the trees), the `written`
//!   marker that tells a damaged store from a new one, [`StoreError`], and the
//!   encoding the other files share.
//! - `listings.rs`: the [`Listing`] families (opportunities, safe houses, services)
//!   and their writes: create, update, import, withdraw, and reading them back.
//! - `referrals.rs`: referral records, written with the side this hub publishes and
//!   encrypted at rest while they hold anything personal.
//! - `asks.rs`: asks, written with the answer this hub publishes, encrypted at rest
//!   while they hold what the person wrote; the operators' choices about asks.
//! - `pool.rs`: the pool's members and jobs, each written with its audit entry in
//!   one transaction, and encrypted at rest while it holds a person's details.
//! - `peers.rs`: other hubs' keys, pinned here from their profiles.
//! - `outbox.rs`: the one write transaction every change above goes through, the
//!   outbox it appends the signed envelope to, the group-commit flusher and the
//!   durable watermark the publisher stays below, and the profile (heartbeat) that
//!   replaces a waiting one instead of queueing behind it.
//! - `leaving.rs`: the hub leaving the region, and what it may still publish after.
//! - `digest.rs`: the digest of what the hub published, and publishing again the
//!   buckets a relay found different.
//! - `republish.rs`: publishing everything again, to a new stream or after new keys.
//! - `catchup.rs`: the other way round: taking in what the stream holds beyond a
//!   store restored from an older copy.
//! - `desk.rs`: the desk's accounts and sessions, and the audit log every change
//!   made under an [`Actor`] is written to in its own transaction.
//! - `dump.rs`: the whole store as one copy (`kith backup`) and back (`kith restore`).

mod asks;
mod catchup;
mod desk;
mod digest;
mod dump;
mod leaving;
mod listings;
mod outbox;
mod peers;
mod pool;
mod referrals;
mod republish;

pub use asks::{AskDay, AskRecord, AskSettings, AskStep, Taken};
pub use catchup::CaughtUp;
pub use desk::{Actor, AuditEntry, DeskUser, Role, Session, acting, current_actor};
pub use dump::import_dump;
pub use listings::{ImportOutcome, Imported, Listing, Record};
pub use outbox::{OutboxEntry, OutboxStatus};
pub use peers::PeerKeys;
pub use pool::{JobRecord, JobStatus, JobStep, MemberRecord, Worked};
pub use referrals::ReferralChange;

use ed25519_dalek::SigningKey;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sled::Tree;
use sled::transaction::ConflictableTransactionError;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use thiserror::Error;
use tokio::sync::{Notify, mpsc, oneshot};
use ulid::Ulid;

use kith_proto::Slug;
use kith_proto::envelope::EnvelopeError;
use kith_proto::event::Family;
use kith_proto::validate::ValidationError;

use crate::shred::{self, ReferralKeys};
use outbox::flusher;

const REFERRALS: &str = "referrals";
const ASKS: &str = "asks";
const POOL_MEMBERS: &str = "pool_members";
const POOL_JOBS: &str = "pool_jobs";
const PEERS: &str = "peers";
const OUTBOX: &str = "outbox";
const META: &str = "meta";
const DESK_USERS: &str = "desk_users";
const DESK_SESSIONS: &str = "desk_sessions";
const AUDIT: &str = "audit";
const AUDIT_LAST: &str = "audit_last";
/// The trees of the store beside each family's (named by [`Family::plural`]) that a
/// copy holds (sessions are not copied: a restored hub signs everyone in again).
const OTHER_TREES: [&str; 10] =
    [REFERRALS, ASKS, PEERS, OUTBOX, META, DESK_USERS, AUDIT, AUDIT_LAST, POOL_MEMBERS, POOL_JOBS];

const META_SEQ: &[u8] = b"seq";
const META_PUBLISHED: &[u8] = b"published";
const META_PENDING_PROFILE: &[u8] = b"pending_profile";
/// The profile last queued, so that a republish can send it first.
const META_PROFILE: &[u8] = b"profile";
/// The mark of the region's stream last published to ([`crate::stream::mark`]),
/// to notice a new stream.
const META_STREAM: &[u8] = b"stream_created";
/// A [`META_STREAM`] value no stream has: the next stream seen is new, so
/// everything is republished to it.
const REPUBLISH_DUE: &[u8] = b"republish-due";
/// The newest roster version this hub has used.
const META_ROSTER_VERSION: &[u8] = b"roster_version";
/// Set with the profile that says the hub left the region (`kith withdraw-all`).
const META_LEFT: &[u8] = b"left";
/// Set by a restore, taken away once the store has caught up with the region's
/// stream: until then the stream may record erasures the copy does not have, so
/// the hub shows and changes no referral.
const META_RESTORED: &[u8] = b"restored";
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
    /// This process's hold on the store's directory, for as long as the store lives.
    _lock: kith_daemon::store::Lock,
    /// Each family's listings, in [`Family::ALL`]'s order.
    listings: [Tree; Family::COUNT],
    referrals: Tree,
    /// Asks people sent about this hub's listings (`asks.rs`).
    asks: Tree,
    /// The pool's members and jobs (`pool.rs`).
    pool_members: Tree,
    pool_jobs: Tree,
    peers: Tree,
    outbox: Tree,
    meta: Tree,
    desk_users: Tree,
    desk_sessions: Tree,
    audit: Tree,
    /// What an audit entry is about → the latest entry about it.
    audit_last: Tree,
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
    /// Whether any relay is trusted with asks, and `hub.toml`'s daily cap
    /// ([`Store::set_ask_config`]).
    ask_config: Mutex<(bool, u32)>,
    /// This hub's box key and secrets ([`Store::set_box_keys`]).
    box_keys: std::sync::OnceLock<([u8; 32], Arc<Vec<crypto_box::SecretKey>>)>,
    /// The region's roster, if the hub was given one ([`Store::set_roster`]).
    roster: std::sync::OnceLock<kith_proto::roster::Roster>,
    /// The highest sequence number known to be on disk. The publisher sends nothing
    /// above it: an envelope in the stream whose write a crash then undid would be a
    /// ghost the hub cannot withdraw, and its sequence number would be reused.
    durable: Arc<AtomicU64>,
}

/// Each family's tree of listings, named by its plural.
fn open_listings(db: &sled::Db) -> Result<[Tree; Family::COUNT], StoreError> {
    let trees = Family::ALL.iter().map(|f| db.open_tree(f.plural())).collect::<Result<Vec<_>, _>>()?;
    Ok(trees.try_into().unwrap_or_else(|_| unreachable!("one tree per family")))
}

impl Store {
    /// Opens (or creates) the store at `path` and starts its flusher task, which ends
    /// when the last handle is dropped.
    pub fn open(path: &Path, identity: Identity) -> Result<Store, StoreError> {
        // The same rule as the relay's: a store another process holds (the hub is
        // running, and this is `kith keys rotate`) is refused after a short wait.
        use kith_daemon::store::OpenError;
        let opened = kith_daemon::store::open(sled::Config::new().path(path), path).map_err(|e| match e {
            OpenError::InUse { .. } => StoreError::InUse { path: path.display().to_string() },
            OpenError::Corrupt { .. } => StoreError::Lost { path: path.display().to_string() },
            OpenError::Io { why, .. } => StoreError::Open { path: path.display().to_string(), why },
        })?;
        let db = opened.db;
        let (flush_tx, flush_rx) = mpsc::unbounded_channel();
        let inner = Inner {
            listings: open_listings(&db)?,
            referrals: db.open_tree(REFERRALS)?,
            asks: db.open_tree(ASKS)?,
            pool_members: db.open_tree(POOL_MEMBERS)?,
            pool_jobs: db.open_tree(POOL_JOBS)?,
            peers: db.open_tree(PEERS)?,
            outbox: db.open_tree(OUTBOX)?,
            meta: db.open_tree(META)?,
            desk_users: db.open_tree(DESK_USERS)?,
            desk_sessions: db.open_tree(DESK_SESSIONS)?,
            audit: db.open_tree(AUDIT)?,
            audit_last: db.open_tree(AUDIT_LAST)?,
            identity,
            _lock: opened.lock,
            write_lock: Mutex::new(()),
            flush_tx,
            outbox_notify: Notify::new(),
            flusher: Mutex::new(None),
            durable: Arc::new(AtomicU64::new(0)),
            roster: std::sync::OnceLock::new(),
            box_keys: std::sync::OnceLock::new(),
            ask_config: Mutex::new((false, kith_proto::ask::AskPolicy::DEFAULT_DAILY_CAP)),
            referral_keys: ReferralKeys::open(&path.join(shred::KEYS_FILE))?,
        };
        // A key left by a crash between a record's last personal value and its
        // erasure, or of a referral, ask, member or job no longer stored: destroyed now.
        for id in inner.referral_keys.ids() {
            let sealed = |tree: &Tree| -> Result<bool, StoreError> {
                Ok(tree.get(id.to_bytes())?.is_some_and(|v| v.first() == Some(&shred::SEALED)))
            };
            let trees = [&inner.referrals, &inner.asks, &inner.pool_members, &inner.pool_jobs];
            if !trees.into_iter().map(sealed).collect::<Result<Vec<_>, _>>()?.contains(&true) {
                inner.referral_keys.destroy(id)?;
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

    pub fn identity(&self) -> &Identity {
        &self.inner.identity
    }

    /// Gives the hub the region's roster (once, at start).
    /// Takes the region's roster, unless this hub has used a newer version of it:
    /// then that version (a roster only moves forward; an older one may still list
    /// a hub since removed).
    pub fn set_roster(&self, roster: kith_proto::roster::Roster) -> Result<Result<(), u64>, StoreError> {
        let seen = self.inner.meta.get(META_ROSTER_VERSION)?.map(|v| seq_of(&v)).transpose()?;
        if let Some(seen) = seen
            && seen > roster.version
        {
            return Ok(Err(seen));
        }
        self.inner.meta.insert(META_ROSTER_VERSION, &roster.version.to_be_bytes())?;
        let _ = self.inner.roster.set(roster);
        Ok(Ok(()))
    }

    /// The region's roster, if the hub has one: whom it trusts, and with which keys.
    pub fn roster(&self) -> Option<&kith_proto::roster::Roster> {
        self.inner.roster.get()
    }
}

/// Says, beside the store, that it has been written to (see [`StoreError::Lost`]).
fn write_marker(path: &Path) -> std::io::Result<()> {
    std::fs::write(path, b"this store has been written to\n")?;
    std::fs::File::open(path)?.sync_all()
}

impl Store {
    /// A record as it rests ([`crate::shred`]): plain when it holds nothing
    /// `personal`, else sealed under record `id`'s own key in `referral.keys`.
    fn seal_record<T: Serialize>(&self, id: Ulid, record: &T, personal: bool) -> Result<Vec<u8>, StoreError> {
        let plain = encode(record);
        if !personal {
            return Ok([&[shred::PLAIN][..], &plain].concat());
        }
        let key = self.inner.referral_keys.key_for(id)?;
        Ok([&[shred::SEALED][..], &shred::seal(&key, &plain)].concat())
    }

    /// The record `id` (a `what`: "ask", "member"…) from its stored value.
    fn open_record<T: DeserializeOwned>(&self, id: Ulid, stored: &[u8], what: &str) -> Result<T, StoreError> {
        match stored.split_first() {
            Some((&shred::PLAIN, plain)) => decode(plain),
            Some((&shred::SEALED, sealed)) => {
                let key = self.inner.referral_keys.key(id).ok_or_else(|| {
                    StoreError::Corrupt(format!("the key of {what} {id} is missing from {}", shred::KEYS_FILE))
                })?;
                let plain = shred::open(&key, sealed)
                    .ok_or_else(|| StoreError::Corrupt(format!("{what} {id} does not open with its key")))?;
                decode(&plain)
            }
            _ => Err(StoreError::Corrupt(format!("{what} {id}: unknown record tag"))),
        }
    }

    /// Destroys record `id`'s key once its value in `tree` is plain (on disk first):
    /// every older, sealed value in sled's files becomes unreadable.
    fn destroy_key_if_plain_in(&self, tree: &Tree, id: Ulid) -> Result<(), StoreError> {
        if let Some(stored) = tree.get(id.to_bytes())?
            && stored.first() == Some(&shred::PLAIN)
        {
            self.inner.referral_keys.destroy(id)?;
        }
        Ok(())
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

/// What the tests of every file here build on: an identity and an opportunity.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;
    use kith_proto::domain::{Opportunity, OpportunityKind, OpportunityStatus, Pay, Sector};
    use rand::rngs::OsRng;

    pub(crate) fn identity() -> Identity {
        Identity {
            region: Slug::parse("r", "wy").unwrap(),
            hub: Slug::parse("h", "garden").unwrap(),
            signing: SigningKey::generate(&mut OsRng),
        }
    }

    pub(crate) fn opportunity(title: &str) -> Opportunity {
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
}
