//! Where asks stand, as their hubs say ([`kith_proto::ask::AskAnswer`] on the
//! region's stream): by the hash of each ask's reference, so that the person's
//! status page (`/ask/REFERENCE`) is answered by any relay of the region, and
//! nothing here says which reference, listing or person an answer is about.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ulid::Ulid;

use kith_proto::Slug;
use kith_proto::ask::{AskAnswer, AskStatus};

/// The most ask answers one hub may have in the view: years of asks at the highest
/// daily cap would not reach it; a hub publishing answers without end does.
pub const MAX_PER_HUB: usize = 100_000;

/// One ask's state, as its hub last said.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskState {
    pub hub: Slug,
    pub id: Ulid,
    pub status: AskStatus,
    pub seq: u64,
    pub at_ms: i64,
}

/// Every ask's state, by reference hash.
#[derive(Default, Serialize, Deserialize)]
pub struct AskStates {
    by_hash: HashMap<[u8; 16], AskState>,
    #[serde(skip)]
    per_hub: HashMap<Slug, usize>,
}

/// Why an answer was not taken.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// The hash is another hub's ask.
    OtherHub,
    OverQuota,
}

impl AskStates {
    /// Takes hub `hub`'s answer published with `seq`: the new state, or `None` when
    /// the view has the same or a newer one.
    pub fn apply(
        &mut self,
        hub: &Slug,
        seq: u64,
        at_ms: i64,
        answer: &AskAnswer,
    ) -> Result<Option<([u8; 16], AskState)>, Refused> {
        match self.by_hash.get(&answer.reference_hash) {
            Some(s) if s.hub != *hub || s.id != answer.id => return Err(Refused::OtherHub),
            Some(s) if s.seq >= seq => return Ok(None),
            Some(_) => {}
            None if self.per_hub.get(hub).copied().unwrap_or(0) >= MAX_PER_HUB => return Err(Refused::OverQuota),
            None => {}
        }
        let state = AskState { hub: hub.clone(), id: answer.id, status: answer.status, seq, at_ms };
        self.put(answer.reference_hash, state.clone());
        Ok(Some((answer.reference_hash, state)))
    }

    /// Puts a state as stored.
    pub fn put(&mut self, hash: [u8; 16], state: AskState) {
        if self.by_hash.insert(hash, state.clone()).is_none() {
            *self.per_hub.entry(state.hub).or_default() += 1;
        }
    }

    pub fn get(&self, hash: &[u8; 16]) -> Option<&AskState> {
        self.by_hash.get(hash)
    }

    pub fn len(&self) -> usize {
        self.by_hash.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_hash.is_empty()
    }

    /// Counts per hub, after reading the states back from an image.
    pub fn recount(&mut self) {
        self.per_hub.clear();
        for s in self.by_hash.values() {
            *self.per_hub.entry(s.hub.clone()).or_default() += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(s: &str) -> Slug {
        Slug::parse("t", s).unwrap()
    }

    #[test]
    fn a_hub_moves_its_own_asks_forward_and_no_one_elses() {
        let mut states = AskStates::default();
        let (garden, rainbow) = (slug("garden"), slug("rainbow"));
        let id = Ulid::new();
        let answer = |status| AskAnswer { id, reference_hash: [7; 16], status, kept: Vec::new(), erased: false };
        assert!(states.apply(&garden, 5, 1, &answer(AskStatus::Received)).unwrap().is_some());
        assert_eq!(states.apply(&garden, 5, 1, &answer(AskStatus::Received)), Ok(None), "a redelivery");
        assert!(states.apply(&garden, 9, 2, &answer(AskStatus::Contacted)).unwrap().is_some());
        assert_eq!(states.apply(&garden, 7, 1, &answer(AskStatus::Closed)), Ok(None), "an older one");
        assert_eq!(states.get(&[7; 16]).unwrap().status, AskStatus::Contacted);
        // Another hub cannot answer for it, even knowing its hash.
        assert_eq!(states.apply(&rainbow, 99, 3, &answer(AskStatus::Closed)), Err(Refused::OtherHub));
        assert_eq!(states.get(&[7; 16]).unwrap().status, AskStatus::Contacted);
    }
}
