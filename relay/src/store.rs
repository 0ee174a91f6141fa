//! The relay's own sled store: the regional view as it was last applied, so that a
//! restart loads it instead of replaying the whole stream.
//!
//! Only this module touches sled. The store is a cache of the region's stream, never
//! a source of truth: clearing it (`--rebuild`, a new directory, a record this build
//! cannot read) makes the relay replay the stream from its first message, which
//! gives the same view.
//!
//! # Layout
//!
//! Inside `DIR/store` (a sled database), one tree per family, values are postcard:
//!
//! ```text
//! meta           "format"   -> [FORMAT]
//!                "consumer" -> "<stream>/<consumer>" once that durable consumer was
//!                              (re)created from the start for this store
//!                "checkpoint" -> 16 B nonce + 8 B epoch: the view.snapshot file that
//!                              holds what this store held when `changed` entered
//!                              that epoch (see crate::snapshot)
//! changed        <epoch u64 BE><tag u8><record's key> -> (): which records were
//!                                        written since the checkpoint (tag 0: a hub,
//!                                        1 + family index: a listing, 0xF0: a
//!                                        referral, 0xF1: an ask)
//! hubs           <hub>                -> HubRecord   (profile, seq, at)
//! pins           <hub>                -> ed25519 key (32 B), kept across a clear
//! <family>       <ulid 16 B><hub>     -> EntityRecord<its type>, one tree per
//!                                        family, named by its plural:
//!                                        opportunities, safehouses, services
//! referrals      <ulid 16 B><sender>.<receiver> -> ReferralRecord (metadata only)
//! asks           <reference hash 16 B> -> AskState (a hub's word on its ask)
//! asks_sent      <reference hash 16 B> -> SentAsk (which hub and listing, when),
//!                                         kept across a clear, forgotten after 90 days
//! needs          <postcard needs::Cell> -> u32 BE: people (or minutes), kept across a clear
//! needs_seen     <hash of day key, client, cell 16 B> -> today's: cleared each day
//! ```
//!
//! An entity record without an item is a tombstone: the entity was withdrawn, and
//! its sequence number is kept so that an older event cannot bring it back.
//!
//! A referral record holds what both hubs say in the open about a referral: target
//! kind, creation time, status steps and sequence numbers. Its sealed notes (the
//! person, reasons) are never part of a record: the relay holds no personal data.
//! Writes are not flushed one by one: ingest flushes once per batch of messages
//! ([`Store::flush`]) and acknowledges them to JetStream only after that.

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use std::path::{Path, PathBuf};
use thiserror::Error;
use ulid::Ulid;

use kith_proto::Slug;
use kith_proto::domain::HubProfile;
use kith_proto::event::{Family, Listing};
use kith_proto::referral::Step;

/// The sled database inside the relay's directory.
pub const STORE_DIR: &str = "store";

/// The layout version of the records. A store written in another layout is cleared
/// and rebuilt from the stream.
///
/// 2: referrals (a store of layout 1 was filled by a relay that skipped them, so it
/// is rebuilt to pick them up from the stream).
/// 3: hub records no longer carry the pinned key (the pins tree alone does).
/// 4: hub profiles carry their key rotations; hub records their region.
/// 5: hub profiles carry the language the hub writes in.
pub const FORMAT: u8 = 5;

/// sled's page cache. The relay reads the store once at start and keeps the view in
/// memory, so a large cache would only hold a second copy of it: at a million
/// listings, 16 MiB instead of 64 keeps the relay's peak about 80 MiB lower, and with
/// `--bodies-in-store` a page's listings are read through it no slower at p99
/// (BENCHMARKS.md, "Memory at 1M").
const CACHE_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot open the relay store: {0}")]
    Open(#[from] kith_daemon::store::OpenError),
    #[error("cannot create the relay directory {path}: {source}")]
    CreateDir { path: PathBuf, source: std::io::Error },
    #[error("relay store: {}", sled_text(.0))]
    Sled(#[from] sled::Error),
    #[error("relay store: cannot encode a record: {0}")]
    Encode(postcard::Error),
    #[error("relay store: unreadable record in {tree}: {why}")]
    Corrupt { tree: &'static str, why: String },
}

/// A sled error as a person reads it: an I/O error's own words ("No space left on
/// device (os error 28)") rather than its debug form.
fn sled_text(e: &sled::Error) -> String {
    match e {
        // sled keeps an I/O error's debug form as its message: tell it from the
        // operating system's code, or else its kind.
        sled::Error::Io(io) => match io.raw_os_error() {
            Some(code) => std::io::Error::from_raw_os_error(code).to_string(),
            None if io.kind() == std::io::ErrorKind::StorageFull => "no space left on the device".into(),
            None => match io.get_ref() {
                Some(inner) => inner.to_string(),
                None => io.kind().to_string(),
            },
        },
        other => other.to_string(),
    }
}

impl StoreError {
    /// What went wrong, without naming the store (for a message that names it).
    pub fn reason(&self) -> String {
        match self {
            StoreError::Sled(e) => sled_text(e),
            other => other.to_string(),
        }
    }
}

/// A hub as the relay knows it: its latest profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HubRecord {
    pub profile: HubProfile,
    /// Hub sequence and hub clock of the profile: the sequence orders updates, the
    /// clock is the hub's "last seen".
    pub seq: u64,
    pub at_ms: i64,
    /// The hub's region (one of several in a national view).
    pub region: Slug,
}

/// The current state of one opportunity or safe house.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityRecord<T> {
    /// The hub sequence of the event that produced this state.
    pub seq: u64,
    /// The hub's clock at that event.
    pub at_ms: i64,
    /// None: withdrawn (a tombstone).
    pub item: Option<T>,
}

/// What a referral is to, without saying which listing: enough for the region's counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TargetKind {
    Hub,
    SafeHouse,
    Opportunity,
}

impl TargetKind {
    pub fn of(target: kith_proto::referral::TargetKind) -> TargetKind {
        match target {
            kith_proto::referral::TargetKind::Hub => TargetKind::Hub,
            kith_proto::referral::TargetKind::SafeHouse => TargetKind::SafeHouse,
            kith_proto::referral::TargetKind::Opportunity => TargetKind::Opportunity,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Hub => "hub",
            TargetKind::SafeHouse => "safehouse",
            TargetKind::Opportunity => "opportunity",
        }
    }
}

/// One hub's side of a referral as the relay keeps it: the open metadata of
/// [`kith_proto::referral::ReferralSide`], without its sealed notes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SideRecord {
    /// The hub sequence of the event that carried this side: an older or equal one
    /// is a redelivery and changes nothing.
    pub seq: u64,
    pub target: TargetKind,
    /// When the sender created the referral (the sender's clock, as this side says).
    pub created_at_ms: i64,
    /// The side's status steps, as its author published them.
    pub steps: Vec<Step>,
}

/// What the relay knows of one referral: each side, once it has been seen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralRecord {
    pub sender: Option<SideRecord>,
    pub receiver: Option<SideRecord>,
}

/// One record of the store: what the view hands over to be persisted, and what it
/// is rebuilt from at start.
#[derive(Clone, Debug, PartialEq)]
pub enum Record {
    Hub {
        hub: Slug,
        /// Boxed: a profile is far larger than the other records.
        record: Box<HubRecord>,
    },
    /// A listing of any family ([`Record::listing`]).
    Listing { family: Family, hub: Slug, id: Ulid, record: ListingRecord },
    /// Keyed by id and both hubs: ids are chosen by hubs, so only the triple is sure
    /// to name one referral.
    Referral { id: Ulid, sender: Slug, receiver: Slug, record: ReferralRecord },
    /// Where an ask stands, by its reference's hash.
    Ask { hash: [u8; 16], state: crate::view::asks::AskState },
}

impl Record {
    /// The record of a listing of `T`'s family.
    pub fn listing<T: Listing>(hub: Slug, id: Ulid, record: &EntityRecord<T>) -> Record {
        let bytes = postcard::to_stdvec(record).expect("a listing always encodes");
        Record::Listing { family: T::FAMILY, hub, id, record: ListingRecord(bytes) }
    }
}

/// A listing's [`EntityRecord`] as the store keeps it, encoded: the store needs no
/// family's type, and the view decodes it as its family's ([`ListingRecord::decode`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ListingRecord(Vec<u8>);

impl ListingRecord {
    /// The record as a `T`; Err names the family's tree when it is not one.
    pub fn decode<T: Listing>(&self) -> Result<EntityRecord<T>, StoreError> {
        decode(T::PLURAL, &self.0)
    }
}

/// An ask this relay took from a person and sent to its hub: which hub and listing,
/// and when; never what the person wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentAsk {
    pub hub: Slug,
    pub family: Family,
    pub listing: Ulid,
    pub at_ms: i64,
}

/// A cheap-to-clone handle on the store.
#[derive(Clone)]
pub struct Store {
    /// This relay's hold on the store's directory, for as long as any handle lives.
    _lock: kith_daemon::store::Lock,
    db: sled::Db,
    meta: sled::Tree,
    hubs: sled::Tree,
    /// Each family's listings, in [`Family::ALL`]'s order.
    listings: Vec<sled::Tree>,
    referrals: sled::Tree,
    /// reference hash → where the ask stands, as its hub said.
    asks: sled::Tree,
    /// reference hash → an ask this relay sent ([`SentAsk`]): not in the stream,
    /// so kept across [`Store::clear`]; what the status page says before the hub
    /// has answered, and what the hubs' daily caps are counted by.
    asks_sent: sled::Tree,
    /// What is missing (`crate::needs`): cell → people (or minutes with no bed
    /// free), and today's hashes of (client, cell). Not in the stream: kept across
    /// a clear.
    needs: sled::Tree,
    needs_seen: sled::Tree,
    /// hub → pinned ed25519 key. Survives [`Store::clear`]: a rebuild replays the
    /// stream, and must not trust on first use again whatever profile it holds now.
    pins: sled::Tree,
    /// The newest roster version this relay has used. Survives [`Store::clear`] too:
    /// an older roster (one that still lists a hub since removed) is refused.
    trust: sled::Tree,
    /// The keys of the records written since the last checkpoint, by epoch.
    changed: sled::Tree,
    /// The epoch `put` writes under, and how many puts since it began.
    epoch: std::sync::Arc<std::sync::atomic::AtomicU64>,
    changes: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("hubs", &self.hubs.len()).finish_non_exhaustive()
    }
}

fn entity_key(id: Ulid, hub: &Slug) -> Vec<u8> {
    let mut key = Vec::with_capacity(16 + hub.as_str().len());
    key.extend_from_slice(&id.to_bytes());
    key.extend_from_slice(hub.as_str().as_bytes());
    key
}

fn split_entity_key(tree: &'static str, key: &[u8]) -> Result<(Ulid, Slug), StoreError> {
    let corrupt = |why: &str| StoreError::Corrupt { tree, why: why.to_owned() };
    if key.len() <= 16 {
        return Err(corrupt("key too short"));
    }
    let (id, hub) = key.split_at(16);
    let id = Ulid::from_bytes(id.try_into().map_err(|_| corrupt("bad id"))?);
    let hub = std::str::from_utf8(hub).map_err(|_| corrupt("hub is not UTF-8"))?;
    let hub = Slug::parse("hub", hub).map_err(|e| corrupt(&e.to_string()))?;
    Ok((id, hub))
}

fn referral_key(id: Ulid, sender: &Slug, receiver: &Slug) -> Vec<u8> {
    let mut key = Vec::with_capacity(17 + sender.as_str().len() + receiver.as_str().len());
    key.extend_from_slice(&id.to_bytes());
    key.extend_from_slice(sender.as_str().as_bytes());
    // Hub ids never contain a dot: they are single subject tokens.
    key.push(b'.');
    key.extend_from_slice(receiver.as_str().as_bytes());
    key
}

fn split_referral_key(key: &[u8]) -> Result<(Ulid, Slug, Slug), StoreError> {
    let corrupt = |why: &str| StoreError::Corrupt { tree: "referrals", why: why.to_owned() };
    if key.len() <= 16 {
        return Err(corrupt("key too short"));
    }
    let (id, hubs) = key.split_at(16);
    let id = Ulid::from_bytes(id.try_into().map_err(|_| corrupt("bad id"))?);
    let hubs = std::str::from_utf8(hubs).map_err(|_| corrupt("hubs are not UTF-8"))?;
    let (sender, receiver) = hubs.split_once('.').ok_or_else(|| corrupt("no receiving hub"))?;
    let sender = Slug::parse("sender", sender).map_err(|e| corrupt(&e.to_string()))?;
    let receiver = Slug::parse("receiver", receiver).map_err(|e| corrupt(&e.to_string()))?;
    Ok((id, sender, receiver))
}

fn decode<T: DeserializeOwned>(tree: &'static str, bytes: &[u8]) -> Result<T, StoreError> {
    postcard::from_bytes(bytes).map_err(|e| StoreError::Corrupt { tree, why: e.to_string() })
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    postcard::to_stdvec(value).map_err(StoreError::Encode)
}

impl Store {
    /// Opens (or creates) the store in `dir/store`.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir { path: dir.to_owned(), source })?;
        let path = dir.join(STORE_DIR);
        // A relay restarted at once, in this process or another, waits a little for
        // the previous one to let go; a store another relay is using is refused.
        let opened = kith_daemon::store::open(sled::Config::new().path(&path).cache_capacity(CACHE_BYTES), &path)?;
        let db = opened.db;
        let store = Store {
            _lock: opened.lock,
            meta: db.open_tree("meta")?,
            hubs: db.open_tree("hubs")?,
            listings: Family::ALL.iter().map(|f| db.open_tree(f.plural())).collect::<Result<_, _>>()?,
            referrals: db.open_tree("referrals")?,
            asks: db.open_tree("asks")?,
            asks_sent: db.open_tree("asks_sent")?,
            needs: db.open_tree("needs")?,
            needs_seen: db.open_tree("needs_seen")?,
            pins: db.open_tree("pins")?,
            trust: db.open_tree("trust")?,
            changed: db.open_tree("changed")?,
            epoch: Default::default(),
            changes: Default::default(),
            db,
        };
        // A relay of an earlier layout left a mark of its clean-stop snapshot.
        store.meta.remove("snapshot")?;
        let (epoch, changes) = match store.checkpoint()? {
            Some((_, epoch)) => (epoch, store.changed.range(epoch.to_be_bytes()..).count() as u64),
            None => (0, store.changed.len() as u64),
        };
        store.epoch.store(epoch, std::sync::atomic::Ordering::SeqCst);
        store.changes.store(changes, std::sync::atomic::Ordering::SeqCst);
        match store.meta.get("format")? {
            Some(v) if v.as_ref() == [FORMAT] => {}
            Some(v) => {
                tracing::warn!(found = ?v.as_ref(), expected = FORMAT, "relay store has another layout; rebuilding it from the stream");
                store.clear()?;
            }
            None => {
                store.meta.insert("format", &[FORMAT])?;
            }
        }
        Ok(store)
    }

    /// Empties the store. The view is then rebuilt from the stream: ingest sees no
    /// consumer marker and replays the stream from its first message.
    pub fn clear(&self) -> Result<(), StoreError> {
        // The marker goes first, on disk: a crash half-way through must leave a store
        // that is rebuilt, never an emptied one that resumes the consumer.
        self.meta.remove("consumer")?;
        self.db.flush()?;
        self.hubs.clear()?;
        for tree in &self.listings {
            tree.clear()?;
        }
        self.referrals.clear()?;
        self.asks.clear()?;
        self.changed.clear()?;
        self.changes.store(0, std::sync::atomic::Ordering::SeqCst);
        self.meta.clear()?;
        self.meta.insert("format", &[FORMAT])?;
        self.db.flush()?;
        Ok(())
    }

    /// Takes roster `version` as the one in use, unless this relay has used a newer
    /// one: then that newer version (the roster given is refused).
    pub fn roster_version(&self, version: u64) -> Result<Result<(), u64>, StoreError> {
        let seen = self.trust.get("roster_version")?.and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok());
        if let Some(seen) = seen.map(u64::from_be_bytes)
            && seen > version
        {
            return Ok(Err(seen));
        }
        self.trust.insert("roster_version", &version.to_be_bytes())?;
        self.db.flush()?;
        Ok(Ok(()))
    }

    /// Every pinned key, kept across rebuilds ([`crate::pins`]).
    pub fn pins(&self) -> impl Iterator<Item = Result<(Slug, [u8; 32]), StoreError>> + '_ {
        self.pins.iter().map(|kv| {
            let (k, v) = kv?;
            let corrupt = |why: &str| StoreError::Corrupt { tree: "pins", why: why.to_owned() };
            let hub = std::str::from_utf8(&k).ok().and_then(|h| Slug::parse("hub", h).ok());
            let hub = hub.ok_or_else(|| corrupt("bad hub id"))?;
            let key: [u8; 32] = v.as_ref().try_into().map_err(|_| corrupt("a key is 32 bytes"))?;
            Ok((hub, key))
        })
    }

    /// Pins `key` for `hub`, unflushed.
    pub fn put_pin(&self, hub: &Slug, key: &[u8; 32]) -> Result<(), StoreError> {
        self.pins.insert(hub.as_str(), key)?;
        Ok(())
    }

    /// Forgets `hub` entirely, its pinned key included: for a hub that lost its keys
    /// and was set up again (`kith-relay --unpin HUB`). Its listings come back from
    /// the stream once its new profile is seen.
    pub fn unpin(&self, hub: &Slug) -> Result<bool, StoreError> {
        let pinned = self.pins.remove(hub.as_str())?.is_some();
        let known = self.hubs.remove(hub.as_str())?.is_some();
        self.db.flush()?;
        Ok(pinned || known)
    }

    /// Forgets every pinned key (a store that held another region's view).
    pub fn forget_pins(&self) -> Result<(), StoreError> {
        self.pins.clear()?;
        Ok(())
    }

    /// The consumer this store was filled from, as `<stream>/<consumer>`; None for a
    /// new or cleared store.
    pub fn consumer(&self) -> Result<Option<String>, StoreError> {
        Ok(self.meta.get("consumer")?.map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    /// Records that the consumer was (re)created from the start for this store.
    pub fn set_consumer(&self, consumer: &str) -> Result<(), StoreError> {
        self.meta.insert("consumer", consumer.as_bytes())?;
        Ok(())
    }

    /// The checkpoint the store was last left with: the snapshot's nonce and the
    /// epoch of `changed` that began when it was written.
    pub fn checkpoint(&self) -> Result<Option<(Ulid, u64)>, StoreError> {
        let Some(v) = self.meta.get("checkpoint")? else { return Ok(None) };
        let v = v.as_ref();
        if v.len() != 24 {
            return Ok(None);
        }
        let nonce = Ulid::from_bytes(v[..16].try_into().expect("16 bytes"));
        Ok(Some((nonce, u64::from_be_bytes(v[16..].try_into().expect("8 bytes")))))
    }

    /// Begins a new epoch of `changed` (call with the store holding exactly what the
    /// view holds, nothing being written): what is written from now on is replayed
    /// over the snapshot about to be written. Returns the new epoch.
    pub fn begin_epoch(&self) -> u64 {
        self.changes.store(0, std::sync::atomic::Ordering::SeqCst);
        self.epoch.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1
    }

    /// Records, durably, that the snapshot written as `nonce` holds what the store
    /// held when `epoch` began; then forgets the changes of earlier epochs, which it
    /// holds.
    pub fn set_checkpoint(&self, nonce: Ulid, epoch: u64) -> Result<(), StoreError> {
        let mut v = nonce.to_bytes().to_vec();
        v.extend_from_slice(&epoch.to_be_bytes());
        self.meta.insert("checkpoint", v)?;
        self.db.flush()?;
        for key in self.changed.range(..epoch.to_be_bytes()).keys() {
            self.changed.remove(key?)?;
        }
        Ok(())
    }

    /// Forgets the checkpoint (the view is being loaded otherwise, or the store is
    /// changed outside the log: `--unpin`), durably.
    pub fn drop_checkpoint(&self) -> Result<(), StoreError> {
        self.meta.remove("checkpoint")?;
        self.db.flush()?;
        self.changed.clear()?;
        self.changes.store(0, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    /// Records written since the epoch began, hubs first, each once, as they are now.
    pub fn changed_since(&self, epoch: u64) -> Result<Vec<Record>, StoreError> {
        let mut keys = std::collections::BTreeSet::new();
        for key in self.changed.range(epoch.to_be_bytes()..).keys() {
            keys.insert(key?[8..].to_vec());
        }
        let mut records = Vec::with_capacity(keys.len());
        for key in keys {
            let Some((&tag, key)) = key.split_first() else { continue };
            let record = match tag {
                0 => {
                    let hub = std::str::from_utf8(key)
                        .ok()
                        .and_then(|h| Slug::parse("hub", h).ok())
                        .ok_or_else(|| StoreError::Corrupt { tree: "changed", why: "bad hub id".into() })?;
                    self.hubs
                        .get(key)?
                        .map(|v| decode("hubs", &v))
                        .transpose()?
                        .map(|record| Record::Hub { hub, record: Box::new(record) })
                }
                0xF0 => {
                    let (id, sender, receiver) = split_referral_key(key)?;
                    self.referrals
                        .get(key)?
                        .map(|v| decode("referrals", &v))
                        .transpose()?
                        .map(|record| Record::Referral { id, sender, receiver, record })
                }
                0xF1 => {
                    let hash: [u8; 16] = key
                        .try_into()
                        .map_err(|_| StoreError::Corrupt { tree: "changed", why: "an ask's key".into() })?;
                    self.asks
                        .get(key)?
                        .map(|v| decode("asks", &v))
                        .transpose()?
                        .map(|state| Record::Ask { hash, state })
                }
                t => {
                    let family = Family::ALL
                        .get(usize::from(t).wrapping_sub(1))
                        .copied()
                        .ok_or_else(|| StoreError::Corrupt { tree: "changed", why: format!("tag {t}") })?;
                    let (id, hub) = split_entity_key(family.plural(), key)?;
                    self.listings[family.index()].get(key)?.map(|v| Record::Listing {
                        family,
                        hub,
                        id,
                        record: ListingRecord(v.to_vec()),
                    })
                }
            };
            records.extend(record);
        }
        records.sort_by_key(|r| !matches!(r, Record::Hub { .. }));
        Ok(records)
    }

    /// Records written since the current epoch began (each write counted).
    pub fn changes(&self) -> u64 {
        self.changes.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn log_change(&self, tag: u8, key: &[u8]) -> Result<(), StoreError> {
        let mut k = Vec::with_capacity(9 + key.len());
        k.extend_from_slice(&self.epoch.load(std::sync::atomic::Ordering::SeqCst).to_be_bytes());
        k.push(tag);
        k.extend_from_slice(key);
        self.changed.insert(k, &[])?;
        self.changes.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    /// The record of listing `(id, hub)` of `family`.
    pub fn listing(&self, family: Family, id: Ulid, hub: &Slug) -> Result<Option<ListingRecord>, StoreError> {
        Ok(self.listings[family.index()].get(entity_key(id, hub))?.map(|v| ListingRecord(v.to_vec())))
    }

    /// Writes one record, unflushed.
    pub fn put(&self, record: &Record) -> Result<(), StoreError> {
        match record {
            Record::Hub { hub, record } => {
                self.hubs.insert(hub.as_str(), encode(record)?)?;
                self.log_change(0, hub.as_str().as_bytes())?;
            }
            Record::Listing { family, hub, id, record } => {
                let key = entity_key(*id, hub);
                self.listings[family.index()].insert(&key, record.0.as_slice())?;
                self.log_change(1 + family.index() as u8, &key)?;
            }
            Record::Referral { id, sender, receiver, record } => {
                let key = referral_key(*id, sender, receiver);
                self.referrals.insert(&key, encode(record)?)?;
                self.log_change(0xF0, &key)?;
            }
            Record::Ask { hash, state } => {
                self.asks.insert(hash, encode(state)?)?;
                self.log_change(0xF1, hash)?;
            }
        }
        Ok(())
    }

    /// Records an ask this relay sent, durably, before the person is told.
    pub async fn put_sent_ask(&self, hash: [u8; 16], sent: &SentAsk) -> Result<(), StoreError> {
        self.asks_sent.insert(hash, encode(sent)?)?;
        self.flush().await
    }

    pub fn sent_ask(&self, hash: &[u8; 16]) -> Result<Option<SentAsk>, StoreError> {
        self.asks_sent.get(hash)?.map(|v| decode("asks_sent", &v)).transpose()
    }

    /// Every ask this relay sent since `since_ms`, after forgetting those sent before
    /// `forget_before_ms`.
    pub fn sent_asks_since(&self, since_ms: i64, forget_before_ms: i64) -> Result<Vec<SentAsk>, StoreError> {
        let mut recent = Vec::new();
        for kv in self.asks_sent.iter() {
            let (k, v) = kv?;
            let sent: SentAsk = decode("asks_sent", &v)?;
            if sent.at_ms < forget_before_ms {
                self.asks_sent.remove(k)?;
            } else if sent.at_ms >= since_ms {
                recent.push(sent);
            }
        }
        Ok(recent)
    }

    /// Whether `seen` (a client's hash with a cell, today) is new; it is kept if so.
    pub fn first_need_today(&self, seen: [u8; 16]) -> Result<bool, StoreError> {
        Ok(self.needs_seen.compare_and_swap(seen, None::<&[u8]>, Some(&[1u8][..]))?.is_ok())
    }

    /// Forgets the day's hashes (the day changed).
    pub fn clear_needs_seen(&self) -> Result<(), StoreError> {
        self.needs_seen.clear()?;
        Ok(())
    }

    /// Adds `n` to a cell of what is missing.
    pub fn add_to_need(&self, cell: &[u8], n: u32) -> Result<(), StoreError> {
        self.needs.update_and_fetch(cell, |old| {
            let was = old.and_then(|v| <[u8; 4]>::try_from(v).ok()).map_or(0, u32::from_be_bytes);
            Some(was.saturating_add(n).to_be_bytes().to_vec())
        })?;
        Ok(())
    }

    /// Every cell of what is missing, with its count.
    pub fn need_cells(&self) -> Result<Vec<(Vec<u8>, u32)>, StoreError> {
        self.needs
            .iter()
            .map(|kv| {
                let (k, v) = kv?;
                let n = <[u8; 4]>::try_from(v.as_ref())
                    .map_err(|_| StoreError::Corrupt { tree: "needs", why: "a count of other than 4 bytes".into() })?;
                Ok((k.to_vec(), u32::from_be_bytes(n)))
            })
            .collect()
    }

    /// Makes every write so far durable.
    pub async fn flush(&self) -> Result<(), StoreError> {
        self.db.flush_async().await?;
        Ok(())
    }

    /// Every record, hubs first (so that entities find their hub when the view is
    /// rebuilt from them).
    pub fn records(&self) -> impl Iterator<Item = Result<Record, StoreError>> + '_ {
        let hubs = self.hubs.iter().map(|kv| {
            let (k, v) = kv?;
            let hub = std::str::from_utf8(&k)
                .ok()
                .and_then(|h| Slug::parse("hub", h).ok())
                .ok_or_else(|| StoreError::Corrupt { tree: "hubs", why: "bad hub id".into() })?;
            Ok(Record::Hub { hub, record: Box::new(decode("hubs", &v)?) })
        });
        let listings = Family::ALL.into_iter().zip(&self.listings).flat_map(|(family, tree)| {
            tree.iter().map(move |kv| {
                let (k, v) = kv?;
                let (id, hub) = split_entity_key(family.plural(), &k)?;
                Ok(Record::Listing { family, hub, id, record: ListingRecord(v.to_vec()) })
            })
        });
        let referrals = self.referrals.iter().map(|kv| {
            let (k, v) = kv?;
            let (id, sender, receiver) = split_referral_key(&k)?;
            Ok(Record::Referral { id, sender, receiver, record: decode("referrals", &v)? })
        });
        let asks = self.asks.iter().map(|kv| {
            let (k, v) = kv?;
            let hash: [u8; 16] = k
                .as_ref()
                .try_into()
                .map_err(|_| StoreError::Corrupt { tree: "asks", why: format!("a key of {} bytes", k.len()) })?;
            Ok(Record::Ask { hash, state: decode("asks", &v)? })
        });
        hubs.chain(listings).chain(referrals).chain(asks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kith_proto::referral::ReferralStatus;
    use std::time::Instant;

    #[tokio::test]
    async fn the_records_changed_since_a_checkpoint_are_logged_by_epoch_and_read_back_once_each() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let hub = |n: &str, seq| Record::Hub {
            hub: slug(n),
            record: Box::new(HubRecord { profile: profile(), seq, at_ms: 1, region: slug("wy") }),
        };
        store.put(&hub("before", 1)).unwrap();
        let epoch = store.begin_epoch();
        store.put(&hub("after", 1)).unwrap();
        store.put(&hub("after", 2)).unwrap();
        store.set_checkpoint(Ulid::new(), epoch).unwrap();
        let changed = store.changed_since(epoch).unwrap();
        assert_eq!(changed, vec![hub("after", 2)], "each record once, as it is now");
        assert_eq!(store.changed.len(), 1, "the epoch before is forgotten once the checkpoint holds it");
        store.flush().await.unwrap();
        drop(store);

        // Reopened: writes go on in the checkpoint's epoch.
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.checkpoint().unwrap().map(|c| c.1), Some(epoch));
        assert_eq!(store.changes(), 1);
        store.put(&hub("later", 1)).unwrap();
        assert_eq!(store.changed_since(epoch).unwrap().len(), 2);
        store.drop_checkpoint().unwrap();
        assert_eq!((store.checkpoint().unwrap(), store.changes()), (None, 0));
    }

    fn slug(s: &str) -> Slug {
        Slug::parse("t", s).unwrap()
    }

    fn profile() -> HubProfile {
        HubProfile {
            name: "Peer Garden".into(),
            description: String::new(),
            contact: String::new(),
            helpline_hours: String::new(),
            signing_key: [1; 32],
            box_key: [2; 32],
            rotations: vec![],
            left: false,
            digest: None,
            asks: Default::default(),
            unmet_work: Vec::new(),
            language: String::new(),
        }
    }

    #[tokio::test]
    async fn records_survive_a_reopen_and_clear_forgets_them() {
        let dir = tempfile::tempdir().unwrap();
        let id = Ulid::new();
        let hub = Record::Hub {
            hub: slug("garden"),
            record: Box::new(HubRecord { profile: profile(), seq: 3, at_ms: 10, region: slug("wy") }),
        };
        let tomb = Record::listing::<kith_proto::domain::Opportunity>(
            slug("garden"),
            id,
            &EntityRecord { seq: 4, at_ms: 11, item: None },
        );
        {
            let store = Store::open(dir.path()).unwrap();
            assert_eq!(store.consumer().unwrap(), None);
            store.put(&tomb).unwrap();
            store.put(&hub).unwrap();
            store.set_consumer("KITH_WY/relay").unwrap();
            store.flush().await.unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        let records: Vec<Record> = store.records().collect::<Result<_, _>>().unwrap();
        assert_eq!(records, vec![hub, tomb]);
        assert_eq!(store.consumer().unwrap().as_deref(), Some("KITH_WY/relay"));
        store.clear().unwrap();
        assert_eq!(store.records().count(), 0);
        assert_eq!(store.consumer().unwrap(), None);
    }

    #[tokio::test]
    async fn referral_records_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let side = |status, at_ms| SideRecord {
            seq: 2,
            target: TargetKind::Opportunity,
            created_at_ms: 5,
            steps: vec![Step { status, at_ms }],
        };
        let referral = Record::Referral {
            id: Ulid::new(),
            sender: slug("garden"),
            receiver: slug("rainbow-house"),
            record: ReferralRecord {
                sender: Some(side(ReferralStatus::Sent, 5)),
                receiver: Some(side(ReferralStatus::Received, 9)),
            },
        };
        {
            let store = Store::open(dir.path()).unwrap();
            store.put(&referral).unwrap();
            store.flush().await.unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        let records: Vec<Record> = store.records().collect::<Result<_, _>>().unwrap();
        assert_eq!(records, vec![referral]);
    }

    #[tokio::test]
    async fn a_store_of_another_layout_is_emptied() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            store.set_consumer("KITH_WY/relay").unwrap();
            store.meta.insert("format", &[FORMAT - 1]).unwrap();
            store.flush().await.unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.consumer().unwrap(), None, "so that the stream is replayed");
    }

    #[test]
    fn a_store_in_use_is_refused_after_a_wait() {
        let dir = tempfile::tempdir().unwrap();
        let _in_use = Store::open(dir.path()).unwrap();
        let started = Instant::now();
        let e = Store::open(dir.path()).unwrap_err();
        assert!(matches!(e, StoreError::Open(kith_daemon::store::OpenError::InUse { .. })), "{e}");
        assert!(e.to_string().contains("in use"), "{e}");
        assert!(started.elapsed() >= kith_daemon::store::LOCK_WAIT);
    }

    #[test]
    fn referral_keys_split_back() {
        let id = Ulid::new();
        let key = referral_key(id, &slug("a-1"), &slug("b"));
        let (i, s, r) = split_referral_key(&key).unwrap();
        assert_eq!((i, s.as_str(), r.as_str()), (id, "a-1", "b"));
        assert!(split_referral_key(&key[..17]).is_err());
    }
}
