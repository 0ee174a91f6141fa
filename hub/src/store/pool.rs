//! The pool's members and the jobs booked with it, as the hub keeps them: never
//! published, so written outside the outbox, each change in one transaction with
//! its audit entry (who, what, about which id — never a name).
//!
//! A record rests on disk like an ask's ([`crate::shred`]): encrypted under a key of
//! its own while it holds a person's details (a member's name and contact, a job's
//! client), and plain once it does not, its key destroyed. Erasing a member keeps
//! their id, when they joined and the hours and pay on the jobs they worked, so the
//! group's figures stay whole; nothing of who they were.

use serde::{Deserialize, Serialize};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use ulid::Ulid;

use super::{AuditEntry, Store, StoreError, abort, current_actor, encode};
use crate::pool::{Job, Member};
use kith_proto::domain::UnmetWork;

/// A member of the pool as kept: their details, or nothing once erased.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRecord {
    pub id: Ulid,
    pub joined_ms: i64,
    /// None once erased.
    pub member: Option<Member>,
    pub erased_ms: Option<i64>,
}

/// Where a job has got to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobStatus {
    /// Booked; no one asked yet.
    Open,
    /// Offered to one or more members; no one has said yes.
    Offered,
    /// A member said yes.
    Accepted,
    /// Worked: hours and pay recorded.
    Done,
    /// The pool could not take it (no one free, over limits, skills missing).
    TurnedDown,
    /// Called off by whoever booked it.
    Cancelled,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Open => "open",
            JobStatus::Offered => "offered",
            JobStatus::Accepted => "accepted",
            JobStatus::Done => "done",
            JobStatus::TurnedDown => "turned-down",
            JobStatus::Cancelled => "cancelled",
        }
    }

    /// Whether nothing more can happen to it.
    pub fn ended(self) -> bool {
        matches!(self, JobStatus::Done | JobStatus::TurnedDown | JobStatus::Cancelled)
    }
}

/// Hours worked on a job and what they paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Worked {
    pub minutes: u32,
    pub pay_pence: u64,
    pub recorded_ms: i64,
}

/// One step of a job: what happened, when, by whom, to which member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobStep {
    /// `booked`, `offered`, `accepted`, `declined`, `worked`, `turned-down`, `cancelled`.
    pub what: String,
    pub at_ms: i64,
    /// `cli`, `desk:<name>` or `hub`.
    pub by: String,
    pub member: Option<Ulid>,
}

/// A job as kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRecord {
    pub id: Ulid,
    pub job: Job,
    pub status: JobStatus,
    /// Members it was offered to, in order.
    pub offered: Vec<Ulid>,
    /// Members who said no.
    pub declined: Vec<Ulid>,
    /// The member who said yes.
    pub accepted: Option<Ulid>,
    pub worked: Option<Worked>,
    /// Why the pool could not take it (`no-one-free`, `over-limits`,
    /// `skills-missing`, `pay-too-low`, or the coordinator's words).
    pub turned_down: Option<String>,
    pub history: Vec<JobStep>,
}

impl JobRecord {
    /// A job just booked.
    pub fn new(id: Ulid, job: Job, at_ms: i64) -> JobRecord {
        JobRecord {
            id,
            job,
            status: JobStatus::Open,
            offered: Vec::new(),
            declined: Vec::new(),
            accepted: None,
            worked: None,
            turned_down: None,
            history: vec![JobStep { what: "booked".into(), at_ms, by: by(), member: None }],
        }
    }

    /// Records a step by the current actor.
    pub fn step(&mut self, what: &str, member: Option<Ulid>) {
        self.history.push(JobStep { what: what.into(), at_ms: kith_proto::time::now_ms(), by: by(), member });
    }

    fn personal(&self) -> bool {
        !self.job.client.is_empty() || !self.job.contact.is_empty()
    }
}

fn by() -> String {
    current_actor().map_or_else(|| "hub".to_owned(), |a| a.to_string())
}

/// The pool's two trees and the audit log's, inside one transaction.
pub struct PoolTx<'a> {
    store: &'a Store,
    members: &'a TransactionalTree,
    jobs: &'a TransactionalTree,
    audit: &'a TransactionalTree,
    audit_last: &'a TransactionalTree,
}

type TxResult<T> = Result<T, ConflictableTransactionError<StoreError>>;

impl PoolTx<'_> {
    pub fn member(&self, id: Ulid) -> TxResult<MemberRecord> {
        let stored =
            self.members.get(id.to_bytes())?.ok_or_else(|| abort(StoreError::NotFound { family: "member", id }))?;
        self.store.open_record(id, &stored, "member").map_err(abort)
    }

    pub fn job(&self, id: Ulid) -> TxResult<JobRecord> {
        let stored = self.jobs.get(id.to_bytes())?.ok_or_else(|| abort(StoreError::NotFound { family: "job", id }))?;
        self.store.open_record(id, &stored, "job").map_err(abort)
    }

    pub fn put_member(&self, record: &MemberRecord) -> TxResult<()> {
        let sealed = self.store.seal_record(record.id, record, record.member.is_some()).map_err(abort)?;
        self.members.insert(&record.id.to_bytes(), sealed)?;
        Ok(())
    }

    pub fn put_job(&self, record: &JobRecord) -> TxResult<()> {
        let sealed = self.store.seal_record(record.id, record, record.personal()).map_err(abort)?;
        self.jobs.insert(&record.id.to_bytes(), sealed)?;
        Ok(())
    }

    /// Audits `action` about `id` under the current actor (the hub's own work is not).
    pub fn audit(&self, action: &str, id: Ulid) -> TxResult<()> {
        if let Some(actor) = current_actor() {
            let entry = AuditEntry {
                at_ms: kith_proto::time::now_ms(),
                actor: actor.to_string(),
                action: action.to_owned(),
                about: id.to_string(),
            };
            self.audit.insert(&entry.key(), encode(&entry))?;
            self.audit_last.insert(entry.about.as_bytes(), encode(&entry))?;
        }
        Ok(())
    }
}

impl Store {
    /// Runs `body` in one transaction over the pool's trees and the audit log, then
    /// flushes, and destroys the keys of records that no longer need them (`ids`).
    pub async fn pool_write<T>(
        &self,
        ids: &[Ulid],
        body: impl Fn(&PoolTx<'_>) -> TxResult<T>,
    ) -> Result<T, StoreError> {
        let i = &self.inner;
        let out = {
            let _guard = i.write_lock.lock().unwrap_or_else(|p| p.into_inner());
            (&i.pool_members, &i.pool_jobs, &i.audit, &i.audit_last)
                .transaction(|(members, jobs, audit, audit_last)| {
                    body(&PoolTx { store: self, members, jobs, audit, audit_last })
                })
                .map_err(|e| match e {
                    sled::transaction::TransactionError::Abort(e) => e,
                    sled::transaction::TransactionError::Storage(e) => StoreError::Sled(e),
                })?
        };
        self.flush().await?;
        for &id in ids {
            self.destroy_pool_key_if_plain(id)?;
        }
        Ok(out)
    }

    /// Every member, erased ones included, oldest first.
    pub fn pool_members(&self) -> Result<Vec<MemberRecord>, StoreError> {
        self.inner
            .pool_members
            .iter()
            .map(|kv| {
                let (k, v) = kv?;
                self.open_record(super::ulid_of(&k)?, &v, "member")
            })
            .collect()
    }

    pub fn pool_member(&self, id: Ulid) -> Result<Option<MemberRecord>, StoreError> {
        self.inner.pool_members.get(id.to_bytes())?.map(|v| self.open_record(id, &v, "member")).transpose()
    }

    /// Every job, oldest booking first.
    pub fn pool_jobs(&self) -> Result<Vec<JobRecord>, StoreError> {
        self.inner
            .pool_jobs
            .iter()
            .map(|kv| {
                let (k, v) = kv?;
                self.open_record(super::ulid_of(&k)?, &v, "job")
            })
            .collect()
    }

    pub fn pool_job(&self, id: Ulid) -> Result<Option<JobRecord>, StoreError> {
        self.inner.pool_jobs.get(id.to_bytes())?.map(|v| self.open_record(id, &v, "job")).transpose()
    }

    /// Jobs turned down in the `weeks` weeks up to `today` (by the day they were
    /// turned down), counted by week, the work they needed and why: what the hub's
    /// profile tells the region.
    pub fn unmet_work(&self, today: kith_proto::time::CivilDate, weeks: i64) -> Result<Vec<UnmetWork>, StoreError> {
        let since: kith_proto::time::CivilDate = (today.to_jiff() - jiff::Span::new().weeks(weeks)).into();
        let zone = jiff::tz::TimeZone::system();
        let mut counts: std::collections::BTreeMap<(String, String, String), u32> = Default::default();
        for j in self.pool_jobs()? {
            if j.status != JobStatus::TurnedDown {
                continue;
            }
            let Some(at) = j.history.iter().rev().find(|s| s.what == JobStatus::TurnedDown.as_str()) else { continue };
            let day = kith_proto::time::CivilDate::at(at.at_ms, &zone);
            if day <= since || day > today {
                continue;
            }
            let mut skills: Vec<String> = j.job.skills.iter().map(|s| s.to_lowercase()).collect();
            skills.sort();
            let work = if skills.is_empty() { "any work".to_owned() } else { skills.join(", ") };
            let work: String = work.chars().take(kith_proto::domain::limits::NAME).collect();
            let reason: String = j.turned_down.clone().unwrap_or_default().chars().take(200).collect();
            let reason = if reason.trim().is_empty() { "turned down".to_owned() } else { reason };
            *counts.entry((day.iso_week(), work, reason)).or_default() += 1;
        }
        let mut unmet: Vec<UnmetWork> =
            counts.into_iter().map(|((week, work, reason), jobs)| UnmetWork { week, work, reason, jobs }).collect();
        unmet.sort_by(|a, b| b.week.cmp(&a.week).then_with(|| a.work.cmp(&b.work)));
        unmet.truncate(UnmetWork::MAX);
        Ok(unmet)
    }

    fn destroy_pool_key_if_plain(&self, id: Ulid) -> Result<(), StoreError> {
        let tree = if self.inner.pool_members.contains_key(id.to_bytes())? {
            &self.inner.pool_members
        } else {
            &self.inner.pool_jobs
        };
        self.destroy_key_if_plain_in(tree, id)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::identity;
    use super::*;
    use crate::pool::Window;
    use kith_proto::service::{ClockTime, Weekday};

    fn member(name: &str) -> Member {
        Member {
            name: name.into(),
            contact: "canary-contact-0770".into(),
            skills: vec!["gardening".into()],
            availability: vec![Window { day: Weekday::Monday, from: ClockTime(540), to: ClockTime(1020) }],
            away: Vec::new(),
            min_rate_pence: 1_345,
            weekly_limit_pence: Some(19_550),
            desk_user: None,
        }
    }

    fn on_disk(dir: &std::path::Path, needle: &[u8]) -> bool {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .filter(|e| e.path().is_file())
            .any(|e| std::fs::read(e.path()).unwrap().windows(needle.len()).any(|w| w == needle))
    }

    #[tokio::test]
    async fn members_rest_encrypted_come_back_from_a_backup_and_erasing_destroys_their_key() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), identity()).unwrap();
        let id = Ulid::new();
        let record = MemberRecord { id, joined_ms: 1, member: Some(member("Canary Gardener")), erased_ms: None };
        store.pool_write(&[], |tx| tx.put_member(&record)).await.unwrap();
        assert!(!on_disk(dir.path(), b"Canary Gardener"), "the name is encrypted at rest");
        assert_eq!(store.pool_member(id).unwrap(), Some(record.clone()));

        // A backup holds the pool and the key that opens it.
        let (dump, _) = store.dump().unwrap();
        let copy = tempfile::tempdir().unwrap();
        super::super::import_dump(copy.path(), &dump).unwrap();
        let restored = Store::open(copy.path(), identity()).unwrap();
        assert_eq!(restored.pool_member(id).unwrap(), Some(record.clone()), "the key was kept at open");
        restored.close().await.unwrap();

        // Erased: nothing of them, and their key gone.
        store
            .pool_write(&[id], |tx| {
                let mut r = tx.member(id)?;
                r.member = None;
                r.erased_ms = Some(2);
                tx.put_member(&r)
            })
            .await
            .unwrap();
        assert_eq!(store.pool_member(id).unwrap().unwrap().member, None);
        assert!(store.inner.referral_keys.key(id).is_none(), "its key is destroyed");
        store.close().await.unwrap();
    }
}
