//! What one other hub may send this hub: referrals open at once and new referrals an
//! hour. A hub with a valid key could otherwise send thousands of referrals, each
//! costing this hub a flushed write, a key slot and an automatic reply, burying real
//! crisis referrals under them. Beyond its limits a sender's new referral is refused
//! before anything of it is kept: it is counted, and the sender is told (a `declined`
//! step with the reason), at most as often as its hourly limit, so that refusing
//! costs no more than accepting would.

use std::collections::BTreeMap;
use std::sync::Mutex;

use kith_proto::Slug;

use crate::referral::ReferralRecord;

/// One hour, in milliseconds.
const HOUR_MS: i64 = 3_600_000;

/// A sender's limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SenderLimits {
    /// Referrals from one hub not yet closed (declined, completed, withdrawn, expired).
    pub open: u32,
    /// New referrals from one hub in the last hour.
    pub per_hour: u32,
}

impl Default for SenderLimits {
    fn default() -> Self {
        SenderLimits { open: 50, per_hour: 20 }
    }
}

/// What this hub refused, per sender, since it started.
#[derive(Debug, Default)]
pub struct Refusals {
    by_sender: Mutex<BTreeMap<Slug, Refused>>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Refused {
    total: u64,
    /// The hour the replies below were counted in, and how many were sent.
    window_start_ms: i64,
    replies: u32,
}

/// Why a new referral is refused, for the sender.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Tell the sender, with this reason.
    Reply(String),
    /// Refuse without a word: the sender has been told enough this hour.
    Silent,
}

impl Refusals {
    /// Whether a new referral from `sender` is refused, given the referrals this
    /// hub holds (`held`) at `now_ms`; a refusal is counted.
    pub fn check(&self, limits: SenderLimits, sender: &Slug, held: &[ReferralRecord], now_ms: i64) -> Option<Refusal> {
        let from_sender = held.iter().filter(|r| &r.other == sender && r.role == kith_proto::referral::Role::Receiver);
        let (mut open, mut last_hour) = (0u32, 0u32);
        for r in from_sender {
            if r.status().is_none_or(|s| !s.is_final()) {
                open += 1;
            }
            if r.created_at_ms > now_ms - HOUR_MS {
                last_hour += 1;
            }
        }
        let why = if open >= limits.open {
            format!(
                "refused: this hub takes at most {} open referrals from one hub at once; close some, or ring us",
                limits.open
            )
        } else if last_hour >= limits.per_hour {
            format!("refused: this hub takes at most {} new referrals an hour from one hub; ring us", limits.per_hour)
        } else {
            return None;
        };
        let mut by_sender = self.by_sender.lock().unwrap_or_else(|p| p.into_inner());
        let refused = by_sender.entry(sender.clone()).or_default();
        refused.total += 1;
        if now_ms - refused.window_start_ms >= HOUR_MS {
            refused.window_start_ms = now_ms;
            refused.replies = 0;
        }
        tracing::warn!(%sender, open, last_hour, total = refused.total, "a referral over the sender's limits refused");
        if refused.replies < limits.per_hour {
            refused.replies += 1;
            Some(Refusal::Reply(why))
        } else {
            Some(Refusal::Silent)
        }
    }

    /// Referrals refused since the hub started, per sender.
    pub fn totals(&self) -> BTreeMap<String, u64> {
        let by_sender = self.by_sender.lock().unwrap_or_else(|p| p.into_inner());
        by_sender.iter().map(|(hub, r)| (hub.to_string(), r.total)).collect()
    }
}
