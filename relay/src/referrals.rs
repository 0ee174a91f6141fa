//! Referrals in the regional view: metadata only, and the region's counts of them.
//!
//! Each referral has two sides, each published by its own hub on its own subject
//! (see [`kith_proto::referral`]). [`Referrals::apply`] keeps, per side, what the
//! side says in the open — target kind, creation time, status steps — and the hub
//! sequence that orders its updates. The side's sealed notes (the person, every
//! reason) are dropped the moment the event is applied: they are never stored,
//! logged or counted, so the relay holds no personal data.
//!
//! The status of a referral is [`fold`] of both sides' steps, the same fold the two
//! hubs compute, so the relay's counts agree with what the hubs show. The fold is
//! done when a side changes, not at every query: [`Referrals::stats`] only adds up.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ulid::Ulid;

use kith_proto::Slug;
use kith_proto::referral::{ReferralSide, ReferralStatus, Role, Step, fold};
use kith_proto::validate::ValidationError;

use crate::store::{Record, ReferralRecord, SideRecord, TargetKind};

/// The most steps one side may carry. A side has at most three legal ones; the
/// bound keeps a hub from making the relay hold or fold arbitrarily long lists.
pub const MAX_STEPS: usize = 32;

/// What the fold of a referral's steps says, kept beside the record so that stats
/// never fold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Summary {
    /// None until the sender's `sent` step has been seen.
    status: Option<ReferralStatus>,
    /// From creation to the first accept or decline, once there is one.
    first_answer_ms: Option<i64>,
}

impl Summary {
    fn of(record: &ReferralRecord) -> Summary {
        fn steps(side: &Option<SideRecord>) -> &[Step] {
            side.as_ref().map_or(&[], |s| &s.steps)
        }
        let (history, status) = fold(steps(&record.sender), steps(&record.receiver));
        // The sender's own account of when it created the referral; the receiver's
        // copy only stands in while the sender's side has not been seen.
        let created_at_ms = record.sender.as_ref().or(record.receiver.as_ref()).map_or(0, |s| s.created_at_ms);
        let first_answer_ms = history
            .iter()
            .find(|h| h.step.status.is_answer())
            // The two hubs' clocks can disagree a little; a time before creation counts as none.
            .map(|h| h.step.at_ms.saturating_sub(created_at_ms).max(0));
        Summary { status, first_answer_ms }
    }
}

#[derive(Serialize, Deserialize)]
struct Entry {
    record: ReferralRecord,
    summary: Summary,
}

/// Every referral the relay has seen, by (id, sender, receiver): hubs choose the
/// ids, so only the triple is sure to name one referral.
#[derive(Default, Serialize, Deserialize)]
pub struct Referrals {
    entries: BTreeMap<(Ulid, Slug, Slug), Entry>,
}

/// The region's referral counts, as `GetStats` reports them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReferralStats {
    /// Referrals by current status. Referrals without a status yet (only the
    /// receiver's side seen so far) are not counted anywhere.
    pub by_status: BTreeMap<ReferralStatus, u64>,
    /// Per receiving hub, by hub id.
    pub hubs: Vec<HubReferrals>,
}

/// How one hub answers the referrals sent to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubReferrals {
    pub hub: Slug,
    /// Referrals to this hub (those with a status).
    pub received: u64,
    /// Those whose history has an accept or a decline.
    pub answered: u64,
    /// Median time from creation to the first answer, over the answered ones; 0 when none.
    pub median_first_answer_ms: i64,
}

impl Referrals {
    /// How many referrals are known, with or without a status.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Applies the side `author` published at hub sequence `seq`, unless the view has
    /// this or a newer state of that side. Returns the referral's whole record to
    /// persist (None when the side changes nothing); the side's sealed notes are not
    /// part of it.
    pub fn apply(&mut self, author: &Slug, seq: u64, side: &ReferralSide) -> Result<Option<Record>, ValidationError> {
        if side.other == *author {
            return Err(ValidationError::new("other", "a hub cannot refer a person to itself"));
        }
        if side.steps.len() > MAX_STEPS {
            return Err(ValidationError::new(
                "steps",
                format!("at most {MAX_STEPS} per side (got {})", side.steps.len()),
            ));
        }
        let (sender, receiver) = match side.role {
            Role::Sender => (author, &side.other),
            Role::Receiver => (&side.other, author),
        };
        let key = (side.id, sender.clone(), receiver.clone());
        let current = self.entries.get(&key).map(|e| &e.record);
        let slot = |r: &ReferralRecord| match side.role {
            Role::Sender => r.sender.as_ref().map(|s| s.seq),
            Role::Receiver => r.receiver.as_ref().map(|s| s.seq),
        };
        if current.and_then(slot).is_some_and(|s| s >= seq) {
            return Ok(None);
        }
        let mut record = current.cloned().unwrap_or_default();
        let new = SideRecord {
            seq,
            target: TargetKind::of(side.target),
            created_at_ms: side.created_at_ms,
            steps: side.steps.clone(),
        };
        match side.role {
            Role::Sender => record.sender = Some(new),
            Role::Receiver => record.receiver = Some(new),
        }
        self.put(side.id, sender.clone(), receiver.clone(), record.clone());
        Ok(Some(Record::Referral { id: side.id, sender: sender.clone(), receiver: receiver.clone(), record }))
    }

    /// Whether `author` has published this side of this referral before.
    pub fn has_side(&self, author: &Slug, side: &ReferralSide) -> bool {
        let key = match side.role {
            Role::Sender => (side.id, author.clone(), side.other.clone()),
            Role::Receiver => (side.id, side.other.clone(), author.clone()),
        };
        self.entries.get(&key).is_some_and(|e| match side.role {
            Role::Sender => e.record.sender.is_some(),
            Role::Receiver => e.record.receiver.is_some(),
        })
    }

    /// Puts back a record read from the store.
    /// Which sides (sender's, receiver's) the view holds of a referral.
    pub fn sides(&self, id: Ulid, sender: &Slug, receiver: &Slug) -> (bool, bool) {
        self.entries
            .get(&(id, sender.clone(), receiver.clone()))
            .map_or((false, false), |e| (e.record.sender.is_some(), e.record.receiver.is_some()))
    }

    pub fn put(&mut self, id: Ulid, sender: Slug, receiver: Slug, record: ReferralRecord) {
        let summary = Summary::of(&record);
        self.entries.insert((id, sender, receiver), Entry { record, summary });
    }

    /// The region's counts by status, and per receiving hub how it answers.
    ///
    /// One sender cannot skew a receiving hub's figures (by sending it thousands of
    /// referrals it will never answer, say): each sending hub counts with at most its
    /// [`PER_SENDER`] latest referrals, and has one vote in the median time to first
    /// answer (its own median).
    pub fn stats(&self) -> ReferralStats {
        let mut by_status = BTreeMap::new();
        // Per receiving hub, per sender: its referrals' first-answer times, newest
        // first (`None`: not answered).
        let mut per_hub: BTreeMap<&Slug, BTreeMap<&Slug, Vec<Option<i64>>>> = BTreeMap::new();
        for ((_, sender, receiver), entry) in self.entries.iter().rev() {
            let Some(status) = entry.summary.status else { continue };
            *by_status.entry(status).or_default() += 1;
            let answers = per_hub.entry(receiver).or_default().entry(sender).or_default();
            if answers.len() < PER_SENDER {
                answers.push(entry.summary.first_answer_ms);
            }
        }
        let hubs = per_hub
            .into_iter()
            .map(|(hub, senders)| {
                let received = senders.values().map(|a| a.len() as u64).sum();
                let answered = senders.values().flatten().filter(|a| a.is_some()).count() as u64;
                let mut votes: Vec<i64> = senders
                    .values()
                    .map(|a| a.iter().flatten().copied().collect::<Vec<i64>>())
                    .filter(|times| !times.is_empty())
                    .map(|mut times| median(&mut times))
                    .collect();
                HubReferrals { hub: hub.clone(), received, answered, median_first_answer_ms: median(&mut votes) }
            })
            .collect();
        ReferralStats { by_status, hubs }
    }
}

/// The most referrals of one sending hub a receiving hub's figures count (its latest).
pub const PER_SENDER: usize = 20;

/// The median of `values` (the mean of the middle two for an even count); 0 for none.
fn median(values: &mut [i64]) -> i64 {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => 0,
        _ if n % 2 == 1 => values[n / 2],
        _ => {
            let (a, b) = (values[n / 2 - 1], values[n / 2]);
            a + (b - a) / 2
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReferralStatus::*;

    fn slug(s: &str) -> Slug {
        Slug::parse("t", s).unwrap()
    }

    fn side(id: Ulid, role: Role, other: &str, steps: &[(ReferralStatus, i64)]) -> ReferralSide {
        ReferralSide {
            id,
            role,
            other: slug(other),
            target: kith_proto::referral::TargetKind::SafeHouse,
            created_at_ms: 1_000,
            steps: steps.iter().map(|&(status, at_ms)| Step { status, at_ms }).collect(),
            sealed: Some(b"Canary Person, sealed".to_vec()),
            erased: false,
            answer_by_ms: 0,
        }
    }

    /// Sends referral `id` from `from` to `to` at 1 000 ms, and has `to` take `answer`
    /// steps (at the times given).
    fn referral(r: &mut Referrals, from: &str, to: &str, answer: &[(ReferralStatus, i64)]) -> Ulid {
        let id = Ulid::new();
        applied(r.apply(&slug(from), 1, &side(id, Role::Sender, to, &[(Sent, 1_000)])));
        if !answer.is_empty() {
            applied(r.apply(&slug(to), 1, &side(id, Role::Receiver, from, answer)));
        }
        id
    }

    fn applied(outcome: Result<Option<Record>, ValidationError>) -> Record {
        match outcome {
            Ok(Some(r)) => r,
            other => panic!("expected applied, got {other:?}"),
        }
    }

    fn status_counts(r: &Referrals) -> Vec<(&'static str, u64)> {
        r.stats().by_status.into_iter().map(|(s, n)| (s.as_str(), n)).collect()
    }

    #[test]
    fn both_sides_make_one_referral_and_its_status() {
        let mut r = Referrals::default();
        let id = Ulid::new();
        let sent = side(id, Role::Sender, "rainbow", &[(Sent, 1_000)]);
        let record = applied(r.apply(&slug("garden"), 4, &sent));
        let Record::Referral { sender, receiver, record, .. } = record else { panic!("a referral record") };
        assert_eq!((sender.as_str(), receiver.as_str()), ("garden", "rainbow"));
        assert_eq!(record.sender.as_ref().unwrap().target, TargetKind::SafeHouse);
        assert_eq!(record.receiver, None);
        assert_eq!(status_counts(&r), [("sent", 1)]);

        let answer = side(id, Role::Receiver, "garden", &[(Received, 1_500), (Accepted, 61_000)]);
        applied(r.apply(&slug("rainbow"), 9, &answer));
        assert_eq!(r.len(), 1, "the receiver's side joins the sender's");
        assert_eq!(status_counts(&r), [("accepted", 1)]);
        // Redelivery of either side, or an older one, changes nothing.
        assert!(matches!(r.apply(&slug("rainbow"), 9, &answer), Ok(None)));
        assert!(matches!(r.apply(&slug("garden"), 3, &sent), Ok(None)));
        // The sender withdraws: a newer side replaces its older one.
        let withdrawn = side(id, Role::Sender, "rainbow", &[(Sent, 1_000), (Withdrawn, 70_000)]);
        applied(r.apply(&slug("garden"), 5, &withdrawn));
        assert_eq!(status_counts(&r), [("withdrawn", 1)]);
    }

    #[test]
    fn the_record_keeps_metadata_only() {
        let mut r = Referrals::default();
        let id = Ulid::new();
        let record = applied(r.apply(&slug("garden"), 1, &side(id, Role::Sender, "rainbow", &[(Sent, 1_000)])));
        let Record::Referral { record, .. } = record else { panic!("a referral record") };
        let bytes = postcard::to_stdvec(&record).unwrap();
        assert!(!bytes.windows(6).any(|w| w == b"Canary"), "sealed notes are never kept");
        assert!(!format!("{record:?}").contains("Canary"));
    }

    #[test]
    fn a_receiver_side_alone_has_no_status_and_is_not_counted() {
        let mut r = Referrals::default();
        let id = Ulid::new();
        applied(r.apply(&slug("rainbow"), 2, &side(id, Role::Receiver, "garden", &[(Received, 1_500)])));
        assert_eq!(r.len(), 1);
        assert_eq!(r.stats(), ReferralStats::default());
        // Once the sender's side arrives (a replay can bring it second), it counts.
        applied(r.apply(&slug("garden"), 1, &side(id, Role::Sender, "rainbow", &[(Sent, 1_000)])));
        assert_eq!(status_counts(&r), [("received", 1)]);
    }

    #[test]
    fn sides_that_cannot_be_a_referral_are_invalid() {
        let mut r = Referrals::default();
        let Err(e) = r.apply(&slug("garden"), 1, &side(Ulid::new(), Role::Sender, "garden", &[])) else {
            panic!("a referral to oneself must be refused")
        };
        assert_eq!(e.field, "other");
        let many: Vec<_> = (0..=MAX_STEPS as i64).map(|i| (Sent, i)).collect();
        let Err(e) = r.apply(&slug("garden"), 1, &side(Ulid::new(), Role::Sender, "rainbow", &many)) else {
            panic!("too many steps must be refused")
        };
        assert_eq!(e.field, "steps");
        assert!(r.is_empty());
    }

    #[test]
    fn the_same_id_between_other_hubs_is_another_referral() {
        let mut r = Referrals::default();
        let id = Ulid::new();
        applied(r.apply(&slug("garden"), 1, &side(id, Role::Sender, "rainbow", &[(Sent, 1_000)])));
        applied(r.apply(&slug("co-op"), 1, &side(id, Role::Sender, "rainbow", &[(Sent, 1_000)])));
        assert_eq!(r.len(), 2);
        assert_eq!(status_counts(&r), [("sent", 2)]);
    }

    #[test]
    fn stats_count_by_status_and_per_receiving_hub() {
        let mut r = Referrals::default();
        // To rainbow: answered after 10 s, 30 s and 20 s (declined), one waiting.
        referral(&mut r, "garden", "rainbow", &[(Received, 2_000), (Accepted, 11_000)]);
        referral(&mut r, "co-op", "rainbow", &[(Received, 2_000), (Accepted, 31_000), (Completed, 90_000)]);
        referral(&mut r, "garden", "rainbow", &[(Declined, 21_000)]);
        referral(&mut r, "garden", "rainbow", &[(Received, 1_500)]);
        // To garden: one sent, nothing answered; one with an answer the fold refuses
        // (completed without accepting).
        referral(&mut r, "rainbow", "garden", &[]);
        referral(&mut r, "rainbow", "garden", &[(Completed, 5_000)]);

        let stats = r.stats();
        let by_status: Vec<_> = stats.by_status.iter().map(|(s, n)| (s.as_str(), *n)).collect();
        assert_eq!(by_status, [("sent", 2), ("received", 1), ("accepted", 1), ("declined", 1), ("completed", 1)]);
        assert_eq!(
            stats.hubs,
            [
                HubReferrals { hub: slug("garden"), received: 2, answered: 0, median_first_answer_ms: 0 },
                // One vote a sender: garden's 10 s and 20 s give 15 s, the co-op's 30 s.
                HubReferrals { hub: slug("rainbow"), received: 4, answered: 3, median_first_answer_ms: 22_500 },
            ]
        );
    }

    #[test]
    fn one_sender_flooding_a_hub_cannot_make_it_look_unresponsive() {
        let mut r = Referrals::default();
        // Two honest senders, answered within a minute.
        referral(&mut r, "garden", "rainbow", &[(Received, 2_000), (Accepted, 31_000)]);
        referral(&mut r, "co-op", "rainbow", &[(Received, 2_000), (Accepted, 61_000)]);
        // A hostile hub sends 500 referrals the house never answers, and 500 it
        // "answers" an hour later.
        for _ in 0..500 {
            referral(&mut r, "hostile", "rainbow", &[]);
            referral(&mut r, "hostile", "rainbow", &[(Accepted, 3_600_000)]);
        }
        let hub = &r.stats().hubs[0];
        assert_eq!(hub.received, 2 + PER_SENDER as u64, "the flood counts as {PER_SENDER}");
        // One vote a sender: 30 s, 60 s and the hostile hub's hour → 60 s.
        assert_eq!(hub.median_first_answer_ms, 60_000);
    }

    #[test]
    fn the_first_answer_counts_and_an_early_clock_is_no_time() {
        let mut r = Referrals::default();
        // The receiver's clock is behind: its accept reads before the referral was
        // created, but after the sent step, so the fold keeps it.
        let id = Ulid::new();
        let mut sent = side(id, Role::Sender, "rainbow", &[(Sent, 500)]);
        sent.created_at_ms = 900;
        applied(r.apply(&slug("garden"), 1, &sent));
        applied(r.apply(&slug("rainbow"), 1, &side(id, Role::Receiver, "garden", &[(Accepted, 800)])));
        referral(&mut r, "garden", "rainbow", &[(Accepted, 5_000), (Completed, 9_000)]);
        let hub = &r.stats().hubs[0];
        assert_eq!((hub.received, hub.answered), (2, 2));
        // Times 0 and 4 000: the mean of the middle two.
        assert_eq!(hub.median_first_answer_ms, 2_000);
    }

    #[test]
    fn medians() {
        let check = |mut values: Vec<i64>, want: i64| assert_eq!(median(&mut values), want, "{values:?}");
        check(vec![], 0);
        check(vec![7], 7);
        check(vec![9, 1, 5], 5);
        check(vec![4, 1, 3, 2], 2);
        check(vec![i64::MAX, i64::MAX - 2], i64::MAX - 1);
    }
}
