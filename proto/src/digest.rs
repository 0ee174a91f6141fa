//! Anti-entropy: what a hub has published, summed up so that a relay can tell, at
//! each heartbeat, whether its view of that hub is whole.
//!
//! Every listing a hub ever published counts once, live or withdrawn, as the pair
//! (id, sequence number of its latest event). A [`FamilyDigest`] is how many there
//! are and the wrapping sum of a hash of each pair: independent of order, and
//! updated in O(1) as one entity changes. The hub puts its families' digests
//! in its heartbeat ([`HubDigest`]); the relay keeps the same sums of its view.
//! When they differ, the relay sends the hub its [`Buckets`] (the same sums in 256
//! buckets by id), and the hub publishes again the listings of the buckets that
//! differ.

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use ulid::Ulid;

pub use crate::event::Family;

/// Buckets of a repair request, per family.
pub const BUCKETS: usize = 256;

/// Domain separation of the entry hash.
const CONTEXT: &[u8] = b"kith/digest/v1\0";

/// The hash of one entity at one sequence number.
pub fn entry(id: Ulid, seq: u64) -> u64 {
    let mut h = Sha256::new();
    h.update(CONTEXT);
    h.update(id.to_bytes());
    h.update(seq.to_be_bytes());
    let out = h.finalize();
    u64::from_le_bytes(out[..8].try_into().expect("8 bytes"))
}

/// The bucket of an entity: by its id, so that an entity stays in its bucket.
pub fn bucket(id: Ulid) -> usize {
    (id.to_bytes()[15] as usize) % BUCKETS
}

/// One family's listings of one hub, summed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyDigest {
    pub count: u64,
    pub hash: u64,
}

impl FamilyDigest {
    /// Counts an entity at `seq`.
    pub fn add(&mut self, id: Ulid, seq: u64) {
        self.count += 1;
        self.hash = self.hash.wrapping_add(entry(id, seq));
    }

    /// Takes back an entity counted at `seq`.
    pub fn remove(&mut self, id: Ulid, seq: u64) {
        self.count = self.count.saturating_sub(1);
        self.hash = self.hash.wrapping_sub(entry(id, seq));
    }
}

/// A hub's families' digests, in its heartbeat, in [`Family::ALL`]'s order. On the
/// wire a fixed sequence with no length (postcard), so a new family appends one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubDigest {
    families: [FamilyDigest; Family::COUNT],
}

impl HubDigest {
    pub fn family(&self, f: Family) -> &FamilyDigest {
        &self.families[f.index()]
    }

    pub fn family_mut(&mut self, f: Family) -> &mut FamilyDigest {
        &mut self.families[f.index()]
    }
}

/// One family's digest in [`BUCKETS`] buckets by id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Buckets {
    pub buckets: Vec<FamilyDigest>,
}

impl Default for Buckets {
    fn default() -> Self {
        Buckets { buckets: vec![FamilyDigest::default(); BUCKETS] }
    }
}

impl Buckets {
    pub fn add(&mut self, id: Ulid, seq: u64) {
        self.buckets[bucket(id)].add(id, seq);
    }

    pub fn remove(&mut self, id: Ulid, seq: u64) {
        self.buckets[bucket(id)].remove(id, seq);
    }

    /// The buckets in which `self` and `other` differ.
    pub fn differing(&self, other: &Buckets) -> Vec<usize> {
        (0..BUCKETS).filter(|&b| self.buckets.get(b) != other.buckets.get(b)).collect()
    }

    /// The whole family's digest.
    pub fn total(&self) -> FamilyDigest {
        self.buckets.iter().fold(FamilyDigest::default(), |mut t, b| {
            t.count += b.count;
            t.hash = t.hash.wrapping_add(b.hash);
            t
        })
    }
}

/// What a relay sends a hub whose heartbeat's digest differs from its view: its own
/// buckets of that hub, per family (a family that agrees is left out).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepairRequest {
    pub families: Vec<(Family, Buckets)>,
}

/// The largest repair request a hub reads.
pub const MAX_REPAIR_BYTES: usize = 64 * 1024;

/// A hub makes at most one repair in this time; requests that come sooner wait and
/// are served together. A relay asks again no sooner.
pub const REPAIR_MIN_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_does_not_depend_on_order_and_follows_changes() {
        let ids: Vec<Ulid> = (0..50).map(|_| Ulid::new()).collect();
        let (mut a, mut b) = (Buckets::default(), Buckets::default());
        for (i, id) in ids.iter().enumerate() {
            a.add(*id, i as u64);
        }
        for (i, id) in ids.iter().enumerate().rev() {
            b.add(*id, i as u64);
        }
        assert_eq!(a, b);
        assert_eq!(a.total().count, 50);
        // One entity moves to a newer sequence at one side only.
        b.remove(ids[7], 7);
        b.add(ids[7], 70);
        assert_eq!(a.differing(&b), [bucket(ids[7])]);
        assert_ne!(a.total(), b.total());
    }

    #[test]
    fn a_heartbeats_digests_are_a_fixed_sequence_on_the_wire() {
        let mut d = HubDigest::default();
        for (i, f) in Family::ALL.into_iter().enumerate() {
            d.family_mut(f).add(Ulid::new(), i as u64);
        }
        let fields = Family::ALL.map(|f| *d.family(f));
        // As the three fields `opportunities, safe_houses, services` were encoded,
        // and each family appended since after them.
        let (a, b, c, offers) = (fields[0], fields[1], fields[2], fields[3]);
        assert_eq!(postcard::to_allocvec(&d).unwrap(), postcard::to_allocvec(&(a, b, c, offers)).unwrap());
    }
}
