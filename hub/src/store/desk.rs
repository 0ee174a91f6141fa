//! What the group's desk keeps in the store: its workers' accounts, their sessions,
//! and the audit log of who changed what.
//!
//! - `desk_users`: name → [`DeskUser`] (the password as an argon2id hash, never the
//!   password itself).
//! - `desk_sessions`: SHA-256 of the session's secret → [`Session`]: a copy of the
//!   store (a backup) holds no secret that signs anyone in. Not in a backup at all.
//! - `audit`: a ULID (its time first) → [`AuditEntry`]; `audit_last`: what an entry
//!   is about → the latest entry about it (who last changed a house, at once). Every change made under an
//!   [`Actor`] ([`acting`]) is written here in the same transaction as the change
//!   itself, so there is no change without its entry; what a desk user only looked
//!   at (a person's details) is recorded with [`Store::audit`].
//!
//! How passwords are checked and sign-ins limited is `crate::desk`'s; this file only
//! keeps what it decides.

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::future::Future;
use ulid::Ulid;

use kith_proto::event::Event;

use super::{Store, StoreError, decode, encode};

tokio::task_local! {
    /// Who is making the changes of the current request.
    static ACTOR: Actor;
}

/// Who made a change: an operator with `kith` (the admin API), or a desk user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    Cli,
    Desk(String),
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Actor::Cli => f.write_str("cli"),
            Actor::Desk(name) => write!(f, "desk:{name}"),
        }
    }
}

/// Runs `work` as `actor`: every change it makes is audited under that name.
pub async fn acting<F: Future>(actor: Actor, work: F) -> F::Output {
    ACTOR.scope(actor, work).await
}

/// The actor of the current request, if it has one (the hub's own work — the inbox,
/// heartbeats, expiry — has none and is not audited).
pub fn current_actor() -> Option<Actor> {
    ACTOR.try_with(Actor::clone).ok()
}

/// What a desk user may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Workers' accounts, leaving the region, the audit log, and all a worker does.
    Coordinator,
    /// Listings, beds and referrals.
    Worker,
    /// A member of the pool: their own offers of work and their earnings, nothing else.
    Member,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Coordinator => "coordinator",
            Role::Worker => "worker",
            Role::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "coordinator" => Some(Role::Coordinator),
            "worker" => Some(Role::Worker),
            "member" => Some(Role::Member),
            _ => None,
        }
    }
}

/// A desk user's account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskUser {
    pub name: String,
    pub role: Role,
    /// The password's argon2id hash, in the PHC string format.
    pub hash: String,
    pub created_at_ms: i64,
    pub signed_in_at_ms: Option<i64>,
    /// Wrong passwords given since the last right one.
    pub failures: u32,
    /// No sign-in before this, whatever the password (after too many failures).
    pub locked_until_ms: i64,
}

/// A signed-in desk user's session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub user: String,
    pub created_at_ms: i64,
    pub seen_at_ms: i64,
    /// The token every form of this session carries (cross-site request forgery).
    pub csrf: String,
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at_ms: i64,
    /// [`Actor`]'s text: `cli` or `desk:<name>`.
    pub actor: String,
    /// What was done, e.g. `safehouse-published`, `referral accepted`, `details shown`.
    pub action: String,
    /// What it was done to: an id, or a user's name.
    pub about: String,
}

impl AuditEntry {
    /// The entry for publishing `event`.
    pub(super) fn of_event(actor: &Actor, event: &Event, at_ms: i64) -> AuditEntry {
        let (action, about) = match event {
            Event::Referral(side) => {
                let status = side.steps.last().map_or("sent", |s| s.status.as_str());
                (format!("referral {status}"), side.id.to_string())
            }
            Event::Ask(a) => (format!("ask {}", a.status.name()), a.id.to_string()),
            Event::Profile(p) if p.left => ("left the region".to_owned(), String::new()),
            Event::Profile(_) => ("profile".to_owned(), String::new()),
            listing => {
                let about = listing.listing().map(|(_, id)| id.to_string()).unwrap_or_default();
                (event.name().to_owned(), about)
            }
        };
        AuditEntry { at_ms, actor: actor.to_string(), action, about }
    }

    /// Its key in the `audit` tree: a new ULID at its time, so the tree is in order.
    pub(super) fn key(&self) -> [u8; 16] {
        let ms = u64::try_from(self.at_ms).unwrap_or(0);
        Ulid::from_parts(ms, rand::random()).to_bytes()
    }
}

fn session_key(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

impl Store {
    /// The desk user `name`.
    pub fn desk_user(&self, name: &str) -> Result<Option<DeskUser>, StoreError> {
        self.inner.desk_users.get(name)?.map(|v| decode(&v)).transpose()
    }

    /// Every desk user, by name.
    pub fn desk_users(&self) -> Result<Vec<DeskUser>, StoreError> {
        self.inner.desk_users.iter().values().map(|v| decode(&v?)).collect()
    }

    /// Writes a desk user's account, durably, and audits `action` on it when the
    /// current request has an actor.
    pub async fn put_desk_user(&self, user: &DeskUser, action: Option<&str>) -> Result<(), StoreError> {
        self.inner.desk_users.insert(user.name.as_str(), encode(user))?;
        if let (Some(action), Some(actor)) = (action, current_actor()) {
            self.put_audit(&actor, action, &user.name)?;
        }
        self.flush().await
    }

    /// Removes a desk user and signs them out everywhere. Whether there was one.
    pub async fn remove_desk_user(&self, name: &str) -> Result<bool, StoreError> {
        let existed = self.inner.desk_users.remove(name)?.is_some();
        self.end_sessions_of(name)?;
        if existed && let Some(actor) = current_actor() {
            self.put_audit(&actor, "desk user removed", name)?;
        }
        self.flush().await?;
        Ok(existed)
    }

    /// Starts a session for `user` under `secret` (which only the browser keeps).
    pub async fn start_session(&self, secret: &str, session: &Session) -> Result<(), StoreError> {
        self.inner.desk_sessions.insert(session_key(secret), encode(session))?;
        self.flush().await
    }

    /// The session of `secret`, if there is one.
    pub fn session(&self, secret: &str) -> Result<Option<Session>, StoreError> {
        self.inner.desk_sessions.get(session_key(secret))?.map(|v| decode(&v)).transpose()
    }

    /// Notes that a session was used now (unflushed: losing it only shortens the session).
    pub fn touch_session(&self, secret: &str, session: &Session) -> Result<(), StoreError> {
        self.inner.desk_sessions.insert(session_key(secret), encode(session))?;
        Ok(())
    }

    /// Ends one session.
    pub async fn end_session(&self, secret: &str) -> Result<(), StoreError> {
        self.inner.desk_sessions.remove(session_key(secret))?;
        self.flush().await
    }

    /// Ends every session of `user` ("sign out everywhere", a reset password, a
    /// removed account). How many there were.
    pub fn end_sessions_of(&self, user: &str) -> Result<usize, StoreError> {
        let mut ended = 0;
        for kv in self.inner.desk_sessions.iter() {
            let (k, v) = kv?;
            if decode::<Session>(&v)?.user == user {
                self.inner.desk_sessions.remove(k)?;
                ended += 1;
            }
        }
        Ok(ended)
    }

    /// Ends every session last used before `before_ms` or started before
    /// `started_before_ms`. How many.
    pub fn end_stale_sessions(&self, before_ms: i64, started_before_ms: i64) -> Result<usize, StoreError> {
        let mut ended = 0;
        for kv in self.inner.desk_sessions.iter() {
            let (k, v) = kv?;
            let s: Session = decode(&v)?;
            if s.seen_at_ms < before_ms || s.created_at_ms < started_before_ms {
                self.inner.desk_sessions.remove(k)?;
                ended += 1;
            }
        }
        Ok(ended)
    }

    /// Records, durably, something `actor` did that changed nothing published (a
    /// person's details shown, a password reset).
    pub async fn audit(&self, actor: &Actor, action: &str, about: &str) -> Result<(), StoreError> {
        self.put_audit(actor, action, about)?;
        self.flush().await
    }

    fn put_audit(&self, actor: &Actor, action: &str, about: &str) -> Result<(), StoreError> {
        let entry = AuditEntry {
            at_ms: kith_proto::time::now_ms(),
            actor: actor.to_string(),
            action: action.to_owned(),
            about: about.to_owned(),
        };
        self.inner.audit.insert(entry.key(), encode(&entry))?;
        self.inner.audit_last.insert(entry.about.as_bytes(), encode(&entry))?;
        Ok(())
    }

    /// The latest audit entry about `about` (an id, a name).
    pub fn last_audit(&self, about: &str) -> Result<Option<AuditEntry>, StoreError> {
        self.inner.audit_last.get(about.as_bytes())?.map(|v| decode(&v)).transpose()
    }

    /// The audit log, newest first: at most `limit` entries, older than `before`
    /// (an entry's `at_ms`) when given.
    pub fn audit_log(&self, limit: usize, before: Option<i64>) -> Result<Vec<AuditEntry>, StoreError> {
        let end = before.map(|ms| Ulid::from_parts(u64::try_from(ms).unwrap_or(0), 0).to_bytes());
        let range = match &end {
            Some(end) => self.inner.audit.range(..end.as_slice()),
            None => self.inner.audit.range::<&[u8], _>(..),
        };
        range.rev().take(limit).map(|kv| decode(&kv?.1)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{identity, opportunity};
    use super::*;
    use kith_proto::domain::Opportunity;

    #[tokio::test]
    async fn changes_under_an_actor_are_audited_with_them_and_the_hubs_own_work_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), identity()).unwrap();
        let o = opportunity("Gardener");
        let id = o.id;
        acting(Actor::Desk("sam".into()), store.create(o)).await.unwrap();
        acting(Actor::Cli, store.withdraw::<Opportunity>(id)).await.unwrap();
        store.create(opportunity("Not audited")).await.unwrap();
        let log = store.audit_log(10, None).unwrap();
        let seen: Vec<(&str, &str, &str)> =
            log.iter().map(|e| (e.actor.as_str(), e.action.as_str(), e.about.as_str())).collect();
        let id = id.to_string();
        assert_eq!(
            seen,
            [("cli", "opportunity-withdrawn", id.as_str()), ("desk:sam", "opportunity-published", id.as_str())]
        );
        assert!(store.audit_log(10, Some(log[0].at_ms)).unwrap().len() <= 1, "older entries only");
    }

    #[tokio::test]
    async fn sessions_are_kept_by_a_hash_of_their_secret_and_end_together() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), identity()).unwrap();
        let session = |user: &str| Session { user: user.into(), created_at_ms: 1, seen_at_ms: 1, csrf: "c".into() };
        store.start_session("secret-a", &session("sam")).await.unwrap();
        store.start_session("secret-b", &session("sam")).await.unwrap();
        store.start_session("secret-c", &session("alex")).await.unwrap();
        assert!(store.inner.desk_sessions.get(b"secret-a").unwrap().is_none(), "never under the secret itself");
        assert_eq!(store.session("secret-a").unwrap().unwrap().user, "sam");
        assert_eq!(store.end_sessions_of("sam").unwrap(), 2);
        assert!(store.session("secret-b").unwrap().is_none());
        assert!(store.session("secret-c").unwrap().is_some());
    }
}
