//! Referrals between two hubs: the lifecycle, and what travels in the open and sealed.
//!
//! A referral has two sides. The **sender** (the hub that refers a person) publishes
//! its side on `kith.<region>.<sender>.referral.<receiver>.<id>`; the **receiver**
//! publishes its side on `kith.<region>.<receiver>.referral.<sender>.<id>`. Each hub
//! only ever speaks for itself, and each message carries the author's whole side, so
//! the stream (one message per subject) always holds the current state of both.
//!
//! In the open, a side carries only metadata: the target, when it was created, and
//! the author's status steps (status and time). Everything about the person — name,
//! contact, needs, notes, consent — and every reason given is in [`SideNotes`],
//! sealed (`crypto_box` sealed box, x25519) to the *other* hub's key. The relay, the
//! stream and the logs see metadata only.
//!
//! The status of a referral is a fold of both sides' steps in time order through
//! [`next`], so both hubs and the relay compute the same status from the same steps;
//! a step that is not legal at its point in the fold (a race, such as an accept
//! crossing a withdrawal) is ignored by everyone alike.

use crypto_box::{PublicKey, SecretKey};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use ulid::Ulid;

use crate::domain::slug_enum;
use crate::slug::Slug;
use crate::validate::{self, ValidationError};

slug_enum! {
    /// Where a referral stands.
    ReferralStatus {
        Sent = "sent",
        Received = "received",
        Accepted = "accepted",
        Declined = "declined",
        Completed = "completed",
        Withdrawn = "withdrawn",
        Expired = "expired",
    }
}

impl ReferralStatus {
    /// No step follows these.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Declined | Self::Completed | Self::Withdrawn | Self::Expired)
    }

    /// The receiver has answered (the clock for expiry and for "time to first answer" stops).
    pub fn is_answer(self) -> bool {
        matches!(self, Self::Accepted | Self::Declined)
    }
}

/// Which side of a referral a hub is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Sender,
    Receiver,
}

/// What a person is referred to. Only its kind travels in the open: which safe house
/// (some are for women, or for LGBTQ+ people) is itself sensitive, so the id is sealed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// The receiving hub in general.
    Hub,
    SafeHouse(Ulid),
    Opportunity(Ulid),
}

/// The kind of a [`Target`], without its id: what the open metadata says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TargetKind {
    Hub,
    SafeHouse,
    Opportunity,
}

impl Target {
    pub fn kind(&self) -> TargetKind {
        match self {
            Target::Hub => TargetKind::Hub,
            Target::SafeHouse(_) => TargetKind::SafeHouse,
            Target::Opportunity(_) => TargetKind::Opportunity,
        }
    }
}

impl TargetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Hub => "hub",
            TargetKind::SafeHouse => "safehouse",
            TargetKind::Opportunity => "opportunity",
        }
    }
}

/// One status change, in the open: what and when. Who is the side's author.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub status: ReferralStatus,
    pub at_ms: i64,
}

/// One hub's side of a referral: the payload of [`crate::event::Event::Referral`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralSide {
    pub id: Ulid,
    pub role: Role,
    /// The other hub of the referral (the subject's `<to_hub>`).
    pub other: Slug,
    /// What kind of target; the target itself is in the sealed notes.
    pub target: TargetKind,
    /// When the sender created the referral.
    pub created_at_ms: i64,
    /// The author's steps, oldest first.
    pub steps: Vec<Step>,
    /// `postcard(SideNotes)` sealed to the other hub's x25519 key; `None` once erased
    /// or when the author has nothing to say.
    pub sealed: Option<Vec<u8>>,
    /// Sender: the person asked for their data to be erased. Receiver: it has erased it.
    pub erased: bool,
    /// Sender: when the referral expires if the receiver has not accepted or declined
    /// it (Unix milliseconds), from the sender's window. Receiver: 0.
    pub answer_by_ms: i64,
}

/// How to reach the person, or that they do not want to be contacted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Contact {
    Given(String),
    /// The receiving hub must not contact the person; the referrer stays the go-between.
    DoNotContact,
}

/// The consent the person gave to be referred.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// How, when, by whom and to what, as the worker recorded it:
    /// "verbal, 2026-11-26, recorded by duty worker, to share with Rainbow House".
    pub statement: String,
    /// When the sending hub recorded it.
    pub recorded_at_ms: i64,
}

/// The person's details. Only ever in plaintext inside the two hubs of a referral.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// A name or initials.
    pub name: String,
    pub contact: Contact,
    pub needs: String,
    pub notes: String,
    pub consent: Consent,
}

impl Person {
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        self.name = validate::line("name", &self.name, 1, 120)?;
        if let Contact::Given(c) = &self.contact {
            self.contact = Contact::Given(validate::line("contact", c, 1, 200)?);
        }
        self.needs = validate::text("needs", &self.needs, 0, 2000)?;
        self.notes = validate::text("notes", &self.notes, 0, 2000)?;
        self.consent.statement = validate::line("consent", &self.consent.statement, 5, 500)?;
        Ok(self)
    }
}

/// What a side says to the other hub in confidence.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SideNotes {
    /// The person: from the sender only.
    pub person: Option<Person>,
    /// Reasons, one per step of the side (empty where none was given).
    pub reasons: Vec<String>,
    /// The target with its id: from the sender only.
    pub target: Option<Target>,
}

/// Checks a reason given for a step (required to decline).
pub fn reason(status: ReferralStatus, value: &str) -> Result<String, ValidationError> {
    let min = usize::from(status == ReferralStatus::Declined);
    validate::text("reason", value, min, 1000)
}

#[derive(Debug, Error)]
pub enum SealError {
    #[error("cannot seal: the recipient's key is not a valid x25519 key")]
    Key,
    #[error("cannot open sealed notes: not addressed to this hub's key, or corrupted")]
    Open,
    #[error("sealed notes cannot be decoded: {0}")]
    Decode(String),
}

/// Seals `notes` so that only the holder of the secret key for `to_box_key` can read them.
pub fn seal_notes(notes: &SideNotes, to_box_key: &[u8; 32]) -> Result<Vec<u8>, SealError> {
    let plain = postcard::to_stdvec(notes).map_err(|e| SealError::Decode(e.to_string()))?;
    PublicKey::from(*to_box_key).seal(&mut rand::rngs::OsRng, &plain).map_err(|_| SealError::Key)
}

/// Opens notes sealed to this hub.
pub fn open_notes(sealed: &[u8], secret: &SecretKey) -> Result<SideNotes, SealError> {
    let plain = secret.unseal(sealed).map_err(|_| SealError::Open)?;
    let (notes, rest) = postcard::take_from_bytes(&plain).map_err(|e| SealError::Decode(e.to_string()))?;
    if !rest.is_empty() {
        return Err(SealError::Decode(format!("{} trailing bytes", rest.len())));
    }
    Ok(notes)
}

/// A step that is not allowed, with what is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("a referral that is {from} cannot become {to} by the {role}: {why}")]
pub struct TransitionError {
    pub from: ReferralStatus,
    pub to: ReferralStatus,
    pub role: &'static str,
    pub why: &'static str,
}

/// The lifecycle: whether `role` may move a referral from `from` to `to`.
///
/// ```text
/// sent ──receiver──▶ received ──receiver──▶ accepted ──receiver──▶ completed
///                        └──receiver──▶ declined (reason required)
/// sent | received | accepted ──sender──▶ withdrawn
/// sent | received ──sender──▶ expired (no answer within the window)
/// ```
pub fn next(from: ReferralStatus, to: ReferralStatus, role: Role) -> Result<(), TransitionError> {
    use ReferralStatus::*;
    let (ok, why) = match (role, from, to) {
        (_, f, _) if f.is_final() => (false, "it is closed"),
        (Role::Receiver, Sent, Received) => (true, ""),
        (Role::Receiver, Sent | Received, Accepted | Declined) => (true, ""),
        (Role::Receiver, Accepted, Completed) => (true, ""),
        (Role::Sender, Sent | Received | Accepted, Withdrawn) => (true, ""),
        (Role::Sender, Sent | Received, Expired) => (true, ""),
        (Role::Receiver, _, Withdrawn | Expired) => (false, "only the referring hub withdraws or expires a referral"),
        (Role::Sender, _, Received | Accepted | Declined | Completed) => {
            (false, "only the receiving hub answers or completes a referral")
        }
        (_, _, Completed) => (false, "only an accepted referral can be completed"),
        (_, _, Expired) => (false, "only an unanswered referral expires"),
        _ => (false, "that step does not follow"),
    };
    if ok {
        Ok(())
    } else {
        let role = match role {
            Role::Sender => "referring hub",
            Role::Receiver => "receiving hub",
        };
        Err(TransitionError { from, to, role, why })
    }
}

/// One entry of a referral's history, as both hubs and the relay see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    pub role: Role,
    /// Index of the step in its side's `steps` (to find its reason in [`SideNotes`]).
    pub index: usize,
    pub step: Step,
}

/// Folds both sides' steps, in time order (the sender first at equal times), through
/// the lifecycle from `sent`, keeping only the legal ones. Returns the history and
/// the current status. The sender's first step must be `sent`; without it the
/// referral has no status yet (`None`).
pub fn fold(sender: &[Step], receiver: &[Step]) -> (Vec<HistoryEntry>, Option<ReferralStatus>) {
    let mut all: Vec<HistoryEntry> = sender
        .iter()
        .enumerate()
        .map(|(index, step)| HistoryEntry { role: Role::Sender, index, step: *step })
        .chain(receiver.iter().enumerate().map(|(index, step)| HistoryEntry {
            role: Role::Receiver,
            index,
            step: *step,
        }))
        .collect();
    all.sort_by_key(|e| (e.step.at_ms, e.role, e.index));
    let mut history = Vec::with_capacity(all.len());
    let mut status: Option<ReferralStatus> = None;
    for e in all {
        match status {
            None if e.role == Role::Sender && e.step.status == ReferralStatus::Sent => {
                status = Some(ReferralStatus::Sent);
                history.push(e);
            }
            Some(s) if next(s, e.step.status, e.role).is_ok() => {
                status = Some(e.step.status);
                history.push(e);
            }
            _ => {}
        }
    }
    (history, status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReferralStatus::*;

    fn steps(s: &[(ReferralStatus, i64)]) -> Vec<Step> {
        s.iter().map(|&(status, at_ms)| Step { status, at_ms }).collect()
    }

    #[test]
    fn lifecycle_table() {
        let check =
            |from, to, role, ok: bool| assert_eq!(next(from, to, role).is_ok(), ok, "{from} → {to} by {role:?}");
        check(Sent, Received, Role::Receiver, true);
        check(Received, Accepted, Role::Receiver, true);
        check(Received, Declined, Role::Receiver, true);
        check(Accepted, Completed, Role::Receiver, true);
        check(Accepted, Withdrawn, Role::Sender, true);
        check(Received, Expired, Role::Sender, true);
        check(Accepted, Expired, Role::Sender, false);
        check(Completed, Withdrawn, Role::Sender, false);
        check(Sent, Completed, Role::Receiver, false);
        check(Received, Accepted, Role::Sender, false);
        check(Received, Withdrawn, Role::Receiver, false);
        check(Declined, Accepted, Role::Receiver, false);
        let e = next(Completed, Withdrawn, Role::Sender).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a referral that is completed cannot become withdrawn by the referring hub: it is closed"
        );
    }

    #[test]
    fn both_sides_fold_to_one_history() {
        let sender = steps(&[(Sent, 1), (Withdrawn, 5)]);
        let receiver = steps(&[(Received, 2), (Accepted, 3), (Completed, 6)]);
        let (history, status) = fold(&sender, &receiver);
        assert_eq!(status, Some(Withdrawn));
        let seen: Vec<_> = history.iter().map(|h| h.step.status).collect();
        assert_eq!(seen, vec![Sent, Received, Accepted, Withdrawn], "completion after withdrawal is ignored");
        assert_eq!(fold(&[], &receiver).1, None);
    }

    #[test]
    fn notes_open_only_for_their_recipient() {
        let receiver = SecretKey::generate(&mut rand::rngs::OsRng);
        let third = SecretKey::generate(&mut rand::rngs::OsRng);
        let notes = SideNotes {
            person: Some(Person {
                name: "Canary Person".into(),
                contact: Contact::DoNotContact,
                needs: "a quiet room".into(),
                notes: String::new(),
                consent: Consent { statement: "verbal, recorded by duty worker".into(), recorded_at_ms: 1 },
            }),
            reasons: vec![],
            target: Some(Target::SafeHouse(Ulid::new())),
        };
        let sealed = seal_notes(&notes, receiver.public_key().as_bytes()).unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"Canary"), "the name is not visible in the sealed bytes");
        assert_eq!(open_notes(&sealed, &receiver).unwrap(), notes);
        assert!(matches!(open_notes(&sealed, &third), Err(SealError::Open)));
    }

    #[test]
    fn decline_needs_a_reason() {
        assert_eq!(reason(Declined, " ").unwrap_err().field, "reason");
        assert_eq!(reason(Accepted, "").unwrap(), "");
    }
}
