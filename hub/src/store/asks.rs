//! Asks as this hub keeps them: what a person wrote about one of its listings,
//! taken from the region's stream of asks, and where the hub has got with it.
//!
//! A record rests on disk like a referral's ([`crate::shred`]): encrypted under a
//! key of its own (in the same key file, by the ask's id) while it holds what the
//! person wrote, and that key destroyed once it does not (erased), so that no older
//! copy in sled's files can be read. Every change is written with the [`AskAnswer`]
//! the hub publishes about it, in one transaction: the person's status page follows
//! the store, never runs ahead of it.
//!
//! `meta` holds the operator's choices ([`AskSettings`]: paused, the daily cap, the
//! listings closed to asks) and the day's counts ([`AskDay`]).

use serde::{Deserialize, Serialize};
use ulid::Ulid;

use kith_proto::ask::{AskAnswer, AskContent, AskPolicy, AskStatus, Reference, reference_hash};
use kith_proto::event::{Event, Family};
use kith_proto::time::CivilDate;

use super::{Store, StoreError, abort, decode, encode};

const META_ASK_SETTINGS: &[u8] = b"ask_settings";
const META_ASK_DAY: &[u8] = b"ask_day";

/// One ask, as the hub keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskRecord {
    pub id: Ulid,
    pub reference: Reference,
    pub family: Family,
    pub listing: Ulid,
    pub received_at_ms: i64,
    /// The relay that took it from the person (its name in the region).
    pub relay: String,
    pub status: AskStatus,
    pub history: Vec<AskStep>,
    /// What the person wrote; `None` once erased.
    #[serde(with = "as_json")]
    pub content: Option<AskContent>,
}

/// What the person wrote is kept as the JSON it arrived as: its shape (a tagged
/// contact) is JSON's, which postcard cannot read back.
mod as_json {
    use kith_proto::ask::AskContent;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(content: &Option<AskContent>, s: S) -> Result<S::Ok, S::Error> {
        let json = content.as_ref().map(|c| serde_json::to_vec(c).expect("in-memory values always encode"));
        json.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<AskContent>, D::Error> {
        let json: Option<Vec<u8>> = Option::deserialize(d)?;
        json.map(|j| serde_json::from_slice(&j).map_err(serde::de::Error::custom)).transpose()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskStep {
    pub status: AskStatus,
    pub at_ms: i64,
    /// `hub` (taken in), `cli` or `desk:<name>`.
    pub by: String,
}

impl Store {
    /// The hub's answer about `record`: its status, and while it holds what the
    /// person wrote, the hub's own copy sealed to its own box key, from which a
    /// restore takes it back (none when the store knows no box key: a test's).
    fn answer(&self, record: &AskRecord) -> Result<Event, StoreError> {
        let kept = match (&record.content, self.inner.box_keys.get()) {
            (Some(_), Some((public, _))) => kith_proto::ask::seal_kept(&encode(record), public)
                .map_err(|e| StoreError::Corrupt(format!("ask {}: {e}", record.id)))?,
            _ => Vec::new(),
        };
        Ok(Event::Ask(AskAnswer {
            id: record.id,
            reference_hash: reference_hash(&record.reference),
            status: record.status,
            kept,
            erased: record.content.is_none() && record.status != AskStatus::NotTaken,
        }))
    }

    /// Gives the store this hub's box keys (once, at start): its answers about asks
    /// carry its own sealed copy, and a catch-up after a restore opens them.
    pub fn set_box_keys(&self, public: [u8; 32], secrets: std::sync::Arc<Vec<crypto_box::SecretKey>>) {
        let _ = self.inner.box_keys.set((public, secrets));
    }

    /// Takes in the stream's word on an ask during a catch-up: the hub's own copy
    /// when the stream holds one (newer than a restored store's), or the erasure of
    /// what the person wrote. Whether anything changed; `erased` gets the id whose
    /// key must go once the write is on disk.
    pub(super) fn adopt_ask(&self, answer: &AskAnswer, erased: &mut Vec<Ulid>) -> Result<bool, StoreError> {
        let mine = self.ask(answer.id)?;
        if !answer.kept.is_empty() {
            let Some((_, secrets)) = self.inner.box_keys.get() else { return Ok(false) };
            let Ok(bytes) = kith_proto::ask::open_kept(&answer.kept, secrets) else {
                tracing::warn!(ask = %answer.id, "the stream's copy of an ask does not open with this hub's keys");
                return Ok(false);
            };
            let record: AskRecord = decode(&bytes)?;
            if record.id != answer.id || mine.as_ref() == Some(&record) {
                return Ok(false);
            }
            self.inner.asks.insert(record.id.to_bytes(), self.seal_ask(&record)?)?;
            return Ok(true);
        }
        match mine {
            Some(mut record) if record.content.is_some() || record.status != answer.status => {
                if answer.erased || answer.status == AskStatus::NotTaken {
                    record.content = None;
                    erased.push(record.id);
                }
                if record.status != answer.status && record.status.may_become(answer.status) {
                    record.history.push(AskStep {
                        status: answer.status,
                        at_ms: kith_proto::time::now_ms(),
                        by: "hub".into(),
                    });
                    record.status = answer.status;
                }
                self.inner.asks.insert(record.id.to_bytes(), self.seal_ask(&record)?)?;
                Ok(true)
            }
            // Known only as a status (taken after the copy and erased since, or not
            // taken): the relay answers the person; nothing of theirs to keep here.
            _ => Ok(false),
        }
    }
}

/// What the hub's operators chose about asks, beyond `hub.toml`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskSettings {
    pub paused: bool,
    /// Set with `kith ask cap`; `hub.toml`'s `ask_daily_cap` until then.
    pub daily_cap: Option<u32>,
    pub closed: Vec<Ulid>,
}

/// The asks of one day (the hub's machine's day, as the desk's): taken, and not
/// taken (over the cap, or paused).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskDay {
    pub day: CivilDate,
    pub taken: u32,
    pub refused: u32,
}

impl AskDay {
    fn of(day: CivilDate) -> AskDay {
        AskDay { day, taken: 0, refused: 0 }
    }
}

/// Whether an ask that arrived was taken, or refused for the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Taken {
    Taken,
    /// Over the day's cap, paused, or about a listing closed to asks: kept without
    /// what the person wrote, and the person's page asks them to call.
    NotTaken,
    /// Already here (a redelivery): nothing changed.
    Known,
}

impl Store {
    /// The operators' choices about asks.
    pub fn ask_settings(&self) -> Result<AskSettings, StoreError> {
        Ok(self.inner.meta.get(META_ASK_SETTINGS)?.map(|v| decode(&v)).transpose()?.unwrap_or_default())
    }

    /// Changes the operators' choices; the caller publishes the profile after.
    pub async fn set_ask_settings(&self, settings: &AskSettings) -> Result<(), StoreError> {
        self.inner.meta.insert(META_ASK_SETTINGS, encode(settings))?;
        self.flush().await
    }

    /// Today's counts (zero on a new day).
    pub fn ask_day(&self) -> Result<AskDay, StoreError> {
        let today = CivilDate::today_here();
        let stored: Option<AskDay> = self.inner.meta.get(META_ASK_DAY)?.map(|v| decode(&v)).transpose()?;
        Ok(stored.filter(|d| d.day == today).unwrap_or(AskDay::of(today)))
    }

    /// What `hub.toml` says of asks: whether any relay is trusted with them, and the
    /// daily cap until an operator sets one. Set once the daemon has read it.
    pub fn set_ask_config(&self, relays: bool, default_cap: u32) {
        *self.inner.ask_config.lock().unwrap_or_else(|p| p.into_inner()) = (relays, default_cap);
    }

    /// The policy the hub publishes in its profile (closed once it has left).
    pub fn ask_policy(&self) -> Result<AskPolicy, StoreError> {
        let (relays, default_cap) = *self.inner.ask_config.lock().unwrap_or_else(|p| p.into_inner());
        let s = self.ask_settings()?;
        let open = relays && !s.paused && !self.has_left()?;
        Ok(AskPolicy { open, daily_cap: s.daily_cap.unwrap_or(default_cap), closed: s.closed })
    }

    /// Takes in an ask that verified and opened: kept with what the person wrote
    /// (encrypted) and answered `received` when `policy` takes it and the day's cap
    /// is not reached; else kept without it and answered `not-taken`. A known id
    /// changes nothing.
    pub async fn take_ask(&self, record: AskRecord, policy: &AskPolicy) -> Result<Taken, StoreError> {
        let key = record.id.to_bytes();
        let outcome = std::cell::Cell::new(Taken::Known);
        let seq = self.write_maybe(|tx, _seq, now| {
            outcome.set(Taken::Known);
            if tx.asks.get(key)?.is_some() {
                return Ok(None);
            }
            let today = CivilDate::today_here();
            let stored: Option<AskDay> = tx.meta.get(META_ASK_DAY)?.map(|v| decode(&v)).transpose().map_err(abort)?;
            let mut day = stored.filter(|d| d.day == today).unwrap_or(AskDay::of(today));
            let mut record = record.clone();
            if policy.takes(record.listing) && day.taken < policy.daily_cap {
                day.taken += 1;
                record.status = AskStatus::Received;
                outcome.set(Taken::Taken);
            } else {
                day.refused += 1;
                record.status = AskStatus::NotTaken;
                record.content = None;
                outcome.set(Taken::NotTaken);
            }
            record.history = vec![AskStep { status: record.status, at_ms: now, by: "hub".into() }];
            tx.meta.insert(META_ASK_DAY, encode(&day))?;
            tx.asks.insert(&key, self.seal_ask(&record).map_err(abort)?)?;
            self.answer(&record).map(Some).map_err(abort)
        })?;
        if let Some(seq) = seq {
            self.flushed(seq).await?;
        }
        self.destroy_ask_key_if_plain(record.id)?;
        Ok(outcome.get())
    }

    /// Moves ask `id` on to `to` (forward only), by the current actor.
    pub async fn answer_ask(&self, id: Ulid, to: AskStatus) -> Result<u64, StoreError> {
        let by = super::current_actor().map_or_else(|| "hub".to_owned(), |a| a.to_string());
        let seq = self.write(|tx, _seq, now| {
            let mut record = self.ask_in(tx.asks, id)?;
            if !record.status.may_become(to) {
                return Err(abort(StoreError::Refused(format!(
                    "ask {id} is {}: it cannot become {} (an ask moves from received to contacted to closed)",
                    record.status.name(),
                    to.name()
                ))));
            }
            record.status = to;
            record.history.push(AskStep { status: to, at_ms: now, by: by.clone() });
            tx.asks.insert(&id.to_bytes(), self.seal_ask(&record).map_err(abort)?)?;
            self.answer(&record).map_err(abort)
        })?;
        self.flushed(seq).await?;
        Ok(seq)
    }

    /// Removes what the person wrote from ask `id`, and with its key every older
    /// copy; its history stays. The answer published says so, without the hub's
    /// sealed copy: the stream keeps one message per ask, so the copy it held goes.
    pub async fn erase_ask(&self, id: Ulid) -> Result<(), StoreError> {
        let seq = self.write_audited_as("ask erased", |tx, _seq, _now| {
            let mut record = self.ask_in(tx.asks, id)?;
            record.content = None;
            tx.asks.insert(&id.to_bytes(), self.seal_ask(&record).map_err(abort)?)?;
            self.answer(&record).map_err(abort)
        })?;
        self.flushed(seq).await?;
        self.destroy_ask_key_if_plain(id)
    }

    pub fn ask(&self, id: Ulid) -> Result<Option<AskRecord>, StoreError> {
        self.inner.asks.get(id.to_bytes())?.map(|v| self.open_ask(id, &v)).transpose()
    }

    /// At most `limit` asks for which `keep` holds, newest first, after the one with
    /// id `after`.
    pub fn asks_newest_first(
        &self,
        after: Option<Ulid>,
        limit: usize,
        keep: impl Fn(&AskRecord) -> bool,
    ) -> Result<Vec<AskRecord>, StoreError> {
        let range = match after {
            Some(after) => self.inner.asks.range(..after.to_bytes()),
            None => self.inner.asks.range::<&[u8], _>(..),
        };
        let mut page = Vec::new();
        for kv in range.rev() {
            let (k, v) = kv?;
            let record = self.open_ask(super::ulid_of(&k)?, &v)?;
            if keep(&record) {
                page.push(record);
                if page.len() == limit {
                    break;
                }
            }
        }
        Ok(page)
    }

    /// Publishes again this hub's answer to every ask (a new stream, new keys), so
    /// that people's status pages hold: how many were queued.
    pub(super) fn republish_asks(&self) -> Result<u64, StoreError> {
        let mut queued = 0;
        for key in self.inner.asks.iter().keys() {
            let id = super::ulid_of(&key?)?;
            self.write(|tx, _seq, _now| self.answer(&self.ask_in(tx.asks, id)?).map_err(abort))?;
            queued += 1;
        }
        Ok(queued)
    }

    fn ask_in(
        &self,
        asks: &sled::transaction::TransactionalTree,
        id: Ulid,
    ) -> Result<AskRecord, sled::transaction::ConflictableTransactionError<StoreError>> {
        let stored = asks.get(id.to_bytes())?.ok_or_else(|| abort(StoreError::NotFound { family: "ask", id }))?;
        self.open_ask(id, &stored).map_err(abort)
    }

    fn seal_ask(&self, record: &AskRecord) -> Result<Vec<u8>, StoreError> {
        self.seal_record(record.id, record, record.content.is_some())
    }

    fn open_ask(&self, id: Ulid, stored: &[u8]) -> Result<AskRecord, StoreError> {
        self.open_record(id, stored, "ask")
    }

    pub(super) fn destroy_ask_key_if_plain(&self, id: Ulid) -> Result<(), StoreError> {
        self.destroy_key_if_plain_in(&self.inner.asks, id)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::identity;
    use super::*;
    use kith_proto::ask::Contact;

    fn ask(name: &str) -> AskRecord {
        AskRecord {
            id: Ulid::new(),
            reference: Reference::new(),
            family: Family::Opportunities,
            listing: Ulid::new(),
            received_at_ms: 1,
            relay: "relay".into(),
            status: AskStatus::Received,
            history: Vec::new(),
            content: Some(AskContent {
                v: 1,
                name: name.into(),
                contact: Contact::Phone { number: "07700 900123".into(), when: String::new() },
                words: "canary words".into(),
                consent: true,
            }),
        }
    }

    #[tokio::test]
    async fn asks_are_taken_once_within_the_cap_moved_forward_erased_and_published_again() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), identity()).unwrap();
        let policy = AskPolicy { open: true, daily_cap: 1, closed: Vec::new() };
        let first = ask("Canary One");
        assert_eq!(store.take_ask(first.clone(), &policy).await.unwrap(), Taken::Taken);
        assert_eq!(store.take_ask(first.clone(), &policy).await.unwrap(), Taken::Known, "a redelivery changes nothing");
        let second = ask("Canary Two");
        assert_eq!(store.take_ask(second.clone(), &policy).await.unwrap(), Taken::NotTaken, "over the day's cap");
        let kept = store.ask(second.id).unwrap().unwrap();
        assert_eq!((kept.status, kept.content), (AskStatus::NotTaken, None), "kept without what they wrote");
        assert_eq!(store.ask_day().unwrap().taken, 1);
        assert_eq!(store.ask_day().unwrap().refused, 1);

        // Forward only.
        store.answer_ask(first.id, AskStatus::Contacted).await.unwrap();
        assert!(matches!(store.answer_ask(first.id, AskStatus::Contacted).await, Err(StoreError::Refused(_))));
        assert!(matches!(store.answer_ask(second.id, AskStatus::Closed).await, Err(StoreError::Refused(_))));

        // At rest the words are encrypted; erased, their key is gone.
        let raw = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.path().is_file())
            .any(|e| std::fs::read(e.path()).unwrap().windows(10).any(|w| w == b"Canary One"));
        assert!(!raw, "the name is not in the store's files in plain text");
        assert!(store.inner.referral_keys.key(first.id).is_some());
        store.erase_ask(first.id).await.unwrap();
        assert_eq!(store.ask(first.id).unwrap().unwrap().content, None);
        assert!(store.inner.referral_keys.key(first.id).is_none(), "its key is destroyed");

        // Published again (a new stream): one answer per ask.
        let pending = store.outbox_status().unwrap().pending;
        assert_eq!(store.republish_asks().unwrap(), 2);
        assert_eq!(store.outbox_status().unwrap().pending, pending + 2);
        store.close().await.unwrap();
    }
}
