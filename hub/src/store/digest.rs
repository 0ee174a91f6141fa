//! Digests: a summary of everything this hub has published, per family and in
//! buckets, so that a relay can tell cheaply whether it holds the same.
//!
//! The totals ride on every heartbeat ([`Store::publish_heartbeat`]). A relay whose
//! own totals differ asks for a repair with its buckets ([`crate::repair`]), and the
//! hub publishes again only the listings of the buckets that differ
//! ([`Store::republish_buckets`]) rather than everything. Withdrawn listings count
//! too, because a relay that missed a tombstone is as far out of step as one that
//! missed a listing.

use ulid::Ulid;

use kith_proto::digest::{self, Buckets, HubDigest};
use kith_proto::with_family;

use super::{Listing, Store, StoreError};

impl Store {
    /// What this hub has published of each family, summed ([`kith_proto::digest`]).
    pub fn digest(&self) -> Result<HubDigest, StoreError> {
        let mut d = HubDigest::default();
        for f in digest::Family::ALL {
            *d.family_mut(f) = self.buckets(f)?.total();
        }
        Ok(d)
    }

    /// One family's digest in buckets, for answering a repair request.
    pub fn buckets(&self, family: digest::Family) -> Result<Buckets, StoreError> {
        let mut b = Buckets::default();
        let entries = with_family!(family, T => self.entries::<T>()?);
        for (id, seq) in entries {
            b.add(id, seq);
        }
        Ok(b)
    }

    /// Every listing of a family, live or withdrawn, with its latest sequence number.
    fn entries<T: Listing>(&self) -> Result<Vec<(Ulid, u64)>, StoreError> {
        Ok(self.list::<T>()?.into_iter().map(|r| (r.item.id(), r.seq)).collect())
    }

    /// Publishes again, under new sequence numbers, the listings of `family` whose
    /// digest bucket is in `buckets` (a relay found them differ). How many.
    pub async fn republish_buckets(
        &self,
        family: digest::Family,
        buckets: &std::collections::BTreeSet<usize>,
    ) -> Result<u64, StoreError> {
        let keep = |id: Ulid| buckets.contains(&digest::bucket(id));
        let queued = with_family!(family, T => self.republish_where::<T>(keep)?);
        self.flush().await?;
        Ok(queued)
    }
}
