//! Referrals as this hub keeps them: both sides, and the person's details in plaintext
//! (this hub is one of the referral's two ends).
//!
//! [`ReferralRecord`] is the stored record; its methods are the hub's half of the
//! lifecycle in `kith_proto::referral`: taking a step ([`ReferralRecord::step`]),
//! taking in the other hub's side ([`ReferralRecord::take_theirs`]), erasing
//! ([`ReferralRecord::erase`]) and building this hub's side to publish
//! ([`ReferralRecord::side`]), with everything personal sealed to the other hub.

use serde::{Deserialize, Serialize};
use ulid::Ulid;

use kith_proto::Slug;
use kith_proto::event::Event;
use kith_proto::referral::{
    self, HistoryEntry, Person, ReferralSide, ReferralStatus, Role, SealError, SideNotes, Step, Target, TargetKind,
    TransitionError,
};

/// One referral, as this hub knows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralRecord {
    pub id: Ulid,
    /// This hub's role.
    pub role: Role,
    /// The other hub.
    pub other: Slug,
    pub target_kind: TargetKind,
    /// The target with its id; at the receiver, from the sender's sealed notes (so
    /// `None` if they were erased before this hub read them).
    pub target: Option<Target>,
    pub created_at_ms: i64,
    /// This hub's steps and the reasons it gave (one per step, empty if none).
    pub mine: Vec<Step>,
    pub my_reasons: Vec<String>,
    /// The other hub's steps and reasons, as last received.
    pub theirs: Vec<Step>,
    pub their_reasons: Vec<String>,
    /// Hub sequence number of the other side's last message taken in.
    pub their_seq: u64,
    /// The person; `None` once erased (or, at the receiver, before it arrived).
    pub person: Option<Person>,
    /// Erased at this hub.
    pub erased: bool,
    /// When the referral expires unless the receiver answers, set by the sender.
    pub answer_by_ms: i64,
    /// Hub sequence number of this hub's last published side.
    pub seq: u64,
    pub updated_at_ms: i64,
}

impl ReferralRecord {
    /// A new referral from this hub, with its `sent` step, to be answered within `window_ms`.
    pub fn sent(id: Ulid, to: Slug, target: Target, person: Person, now: i64, window_ms: i64) -> Self {
        ReferralRecord {
            id,
            role: Role::Sender,
            other: to,
            target_kind: target.kind(),
            target: Some(target),
            created_at_ms: now,
            mine: vec![Step { status: ReferralStatus::Sent, at_ms: now }],
            my_reasons: vec![String::new()],
            theirs: vec![],
            their_reasons: vec![],
            their_seq: 0,
            person: Some(person),
            erased: false,
            answer_by_ms: now.saturating_add(window_ms),
            seq: 0,
            updated_at_ms: now,
        }
    }

    /// A referral to this hub, first seen in the sender's side.
    pub fn received(from: &Slug, side: &ReferralSide) -> Self {
        ReferralRecord {
            id: side.id,
            role: Role::Receiver,
            other: from.clone(),
            target_kind: side.target,
            target: None,
            created_at_ms: side.created_at_ms,
            mine: vec![],
            my_reasons: vec![],
            theirs: vec![],
            their_reasons: vec![],
            their_seq: 0,
            person: None,
            erased: false,
            answer_by_ms: side.answer_by_ms,
            seq: 0,
            updated_at_ms: side.created_at_ms,
        }
    }

    fn sides(&self) -> (&[Step], &[Step]) {
        match self.role {
            Role::Sender => (&self.mine, &self.theirs),
            Role::Receiver => (&self.theirs, &self.mine),
        }
    }

    /// Both sides folded through the lifecycle: the history and the current status.
    pub fn history(&self) -> (Vec<HistoryEntry>, Option<ReferralStatus>) {
        let (sender, receiver) = self.sides();
        referral::fold(sender, receiver)
    }

    pub fn status(&self) -> Option<ReferralStatus> {
        self.history().1
    }

    /// The reason given for a history entry, if this hub can read it.
    pub fn reason(&self, entry: &HistoryEntry) -> &str {
        let reasons = if entry.role == self.role { &self.my_reasons } else { &self.their_reasons };
        reasons.get(entry.index).map(String::as_str).unwrap_or("")
    }

    /// The hub that took a history entry.
    pub fn hub_of<'a>(&'a self, entry: &HistoryEntry, me: &'a Slug) -> &'a Slug {
        if entry.role == self.role { me } else { &self.other }
    }

    /// Takes a step as this hub, if the lifecycle allows it. Its time is after every
    /// step this hub has seen, so that both hubs fold it in the same place even when
    /// their clocks disagree a little.
    pub fn step(&mut self, status: ReferralStatus, reason: String, now: i64) -> Result<(), TransitionError> {
        let (history, current) = self.history();
        let from = current.unwrap_or(ReferralStatus::Sent);
        referral::next(from, status, self.role)?;
        let after = history.iter().map(|e| e.step.at_ms.saturating_add(1)).max().unwrap_or(now);
        self.mine.push(Step { status, at_ms: now.max(after) });
        self.my_reasons.push(if self.erased { String::new() } else { reason });
        self.updated_at_ms = now;
        Ok(())
    }

    /// Takes in the other hub's side (already verified as theirs, newer than the last
    /// one) and the notes it sealed to this hub. Returns true when this hub must
    /// publish its own side in answer: the receiver's automatic `received` step, or
    /// acknowledging the other hub's erasure.
    pub fn take_theirs(&mut self, side: &ReferralSide, notes: SideNotes, seq: u64, now: i64) -> bool {
        self.theirs = side.steps.clone();
        self.their_reasons = notes.reasons;
        if self.role == Role::Receiver {
            self.answer_by_ms = side.answer_by_ms;
        }
        self.their_seq = seq;
        self.updated_at_ms = now;
        if self.role == Role::Receiver && !self.erased && !side.erased {
            self.person = notes.person;
            if notes.target.is_some_and(|t| t.kind() == self.target_kind) {
                self.target = notes.target;
            }
        }
        let mut answer = false;
        if side.erased && !self.erased {
            self.erase(now);
            answer = true;
        }
        if self.role == Role::Receiver && self.mine.is_empty() && self.status() == Some(ReferralStatus::Sent) {
            // Cannot fail: sent → received is the receiver's first step.
            answer |= self.step(ReferralStatus::Received, String::new(), now).is_ok();
        }
        answer
    }

    /// Forgets the person and every reason; the steps (no personal data) stay.
    pub fn erase(&mut self, now: i64) {
        self.person = None;
        self.my_reasons.iter_mut().for_each(String::clear);
        self.their_reasons.iter_mut().for_each(String::clear);
        self.erased = true;
        self.updated_at_ms = now;
    }

    /// Takes `seq` as the sequence number of this hub's side and returns that side,
    /// ready to be published.
    pub fn publish(&mut self, seq: u64, other_box: &[u8; 32]) -> Result<Event, SealError> {
        self.seq = seq;
        self.side(other_box)
    }

    /// This hub's side, with the person (sender) and reasons sealed to `other_box`.
    pub fn side(&self, other_box: &[u8; 32]) -> Result<Event, SealError> {
        let sender = self.role == Role::Sender;
        let notes = SideNotes {
            person: if sender { self.person.clone() } else { None },
            reasons: self.my_reasons.clone(),
            target: if sender { self.target } else { None },
        };
        let empty = notes.person.is_none() && notes.target.is_none() && notes.reasons.iter().all(String::is_empty);
        let sealed = if self.erased || empty { None } else { Some(referral::seal_notes(&notes, other_box)?) };
        Ok(Event::Referral(ReferralSide {
            id: self.id,
            role: self.role,
            other: self.other.clone(),
            target: self.target_kind,
            created_at_ms: self.created_at_ms,
            steps: self.mine.clone(),
            sealed,
            erased: self.erased,
            answer_by_ms: if self.role == Role::Sender { self.answer_by_ms } else { 0 },
        }))
    }

    /// True when the sender should expire it: unanswered past its answer-by time.
    pub fn is_overdue(&self, now: i64) -> bool {
        self.role == Role::Sender
            && matches!(self.status(), Some(ReferralStatus::Sent | ReferralStatus::Received))
            && now >= self.answer_by_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_box::SecretKey;
    use kith_proto::referral::{Consent, Contact, open_notes};

    fn slug(s: &str) -> Slug {
        Slug::parse("hub", s).unwrap()
    }

    fn person() -> Person {
        Person {
            name: "A. N.".into(),
            contact: Contact::DoNotContact,
            needs: "somewhere quiet tonight".into(),
            notes: String::new(),
            consent: Consent { statement: "verbal, recorded by duty worker".into(), recorded_at_ms: 1 },
        }
    }

    fn side_of(event: Event) -> ReferralSide {
        match event {
            Event::Referral(side) => side,
            other => panic!("not a referral: {other:?}"),
        }
    }

    #[test]
    fn a_referral_goes_round_trip_between_two_records() {
        let receiver_key = SecretKey::generate(&mut rand::rngs::OsRng);
        let sender_key = SecretKey::generate(&mut rand::rngs::OsRng);
        let mut sender = ReferralRecord::sent(Ulid::new(), slug("house"), Target::Hub, person(), 100, 1000);
        let out = side_of(sender.side(receiver_key.public_key().as_bytes()).unwrap());
        let notes = open_notes(out.sealed.as_ref().unwrap(), &receiver_key).unwrap();
        assert_eq!(out.answer_by_ms, 1100, "the receiver learns when it must answer");

        let mut receiver = ReferralRecord::received(&slug("garden"), &out);
        // The receiver's clock is behind: its steps still fold after the sender's.
        assert!(receiver.take_theirs(&out, notes, 1, 50), "received is answered");
        assert_eq!(receiver.person, Some(person()));
        assert_eq!(receiver.status(), Some(ReferralStatus::Received));
        receiver.step(ReferralStatus::Declined, "no beds tonight".into(), 60).unwrap();
        let back = side_of(receiver.side(sender_key.public_key().as_bytes()).unwrap());
        let back_notes = open_notes(back.sealed.as_ref().unwrap(), &sender_key).unwrap();
        assert!(back_notes.person.is_none(), "the receiver never sends the person back");

        assert!(!sender.take_theirs(&back, back_notes, 1, 200));
        assert_eq!(sender.status(), Some(ReferralStatus::Declined));
        let (history, _) = sender.history();
        assert_eq!(sender.reason(&history[2]), "no beds tonight");
        let e = sender.step(ReferralStatus::Withdrawn, String::new(), 300).unwrap_err();
        assert!(e.to_string().contains("closed"), "{e}");
    }

    #[test]
    fn erasure_keeps_the_steps_and_is_answered() {
        let key = SecretKey::generate(&mut rand::rngs::OsRng);
        let mut sender = ReferralRecord::sent(Ulid::new(), slug("house"), Target::Hub, person(), 100, 1000);
        let first = side_of(sender.side(key.public_key().as_bytes()).unwrap());
        let mut receiver = ReferralRecord::received(&slug("garden"), &first);
        receiver.take_theirs(&first, open_notes(first.sealed.as_ref().unwrap(), &key).unwrap(), 1, 110);
        sender.erase(120);
        let erased = side_of(sender.side(key.public_key().as_bytes()).unwrap());
        assert!(erased.erased && erased.sealed.is_none());
        assert!(receiver.take_theirs(&erased, SideNotes::default(), 2, 130), "the receiver answers an erasure");
        assert!(receiver.person.is_none() && receiver.erased);
        assert_eq!(receiver.status(), Some(ReferralStatus::Received));
    }

    #[test]
    fn only_unanswered_referrals_from_this_hub_are_overdue() {
        let mut r = ReferralRecord::sent(Ulid::new(), slug("house"), Target::Hub, person(), 0, 1000);
        assert!(!r.is_overdue(999));
        assert!(r.is_overdue(1000));
        r.step(ReferralStatus::Withdrawn, String::new(), 10).unwrap();
        assert!(!r.is_overdue(5000));
    }
}
