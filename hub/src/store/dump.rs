//! Dump and restore: the whole store as one copy and back, for `kith backup` and
//! `kith restore` ([`crate::offline`]).
//!
//! The copy is taken while writers wait, so that it is one consistent state, with
//! the referral keys that open its records. It holds the trees' raw keys and values
//! rather than decoded records, so that a restore gives back exactly what was there,
//! outbox and sequence numbers included. A store restored from an older copy is
//! behind the region's stream; `catchup.rs` brings it level before it publishes.

use kith_proto::event::Family;
use serde::{Deserialize, Serialize};
use sled::Tree;
use std::path::Path;

use super::{
    ASKS, AUDIT, AUDIT_LAST, DESK_USERS, META, META_RESTORED, META_SEQ, OTHER_TREES, OUTBOX, PEERS, POOL_JOBS,
    POOL_MEMBERS, REFERRALS, Store, StoreError, decode, seq_of,
};
use crate::shred;

impl Store {
    /// Everything in the store, as [`import_dump`] takes it: written while writers
    /// wait, so that it is one consistent state (for `kith backup`).
    /// Returns it and the last sequence number it holds.
    pub fn dump(&self) -> Result<(Vec<u8>, u64), StoreError> {
        let inner = &self.inner;
        let _guard = inner.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let seq = inner.meta.get(META_SEQ)?.map(|v| seq_of(&v)).transpose()?.unwrap_or(0);
        let mut trees = Vec::new();
        for (name, tree) in self.named_trees() {
            let pairs = tree.iter().map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec()))).collect::<Result<_, _>>()?;
            trees.push(DumpedTree { name: name.to_owned(), pairs });
        }
        // Read under the same lock: a key is destroyed only after the record that no
        // longer needs it is committed, so the copy never holds a record without its key.
        let referral_keys = inner.referral_keys.bytes()?;
        let dump =
            postcard::to_stdvec(&Dump { trees, referral_keys }).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok((dump, seq))
    }

    fn named_trees(&self) -> Vec<(&'static str, &Tree)> {
        let i = &self.inner;
        let listings = Family::ALL.iter().map(|f| f.plural()).zip(&i.listings);
        let others = [
            (REFERRALS, &i.referrals),
            (ASKS, &i.asks),
            (PEERS, &i.peers),
            (OUTBOX, &i.outbox),
            (META, &i.meta),
            (DESK_USERS, &i.desk_users),
            (AUDIT, &i.audit),
            (AUDIT_LAST, &i.audit_last),
            (POOL_MEMBERS, &i.pool_members),
            (POOL_JOBS, &i.pool_jobs),
        ];
        listings.chain(others).collect()
    }
}

/// The whole store as [`Store::dump`] writes it: each tree's keys and values.
#[derive(Serialize, Deserialize)]
struct Dump {
    trees: Vec<DumpedTree>,
    /// The file of referral keys ([`crate::shred`]).
    referral_keys: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct DumpedTree {
    name: String,
    pairs: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Creates a store at `path` (which must not hold one) from a [`Store::dump`], and
/// flushes it. Returns the last sequence number the dump had written.
pub fn import_dump(path: &Path, dump: &[u8]) -> Result<u64, StoreError> {
    let dump: Dump = decode(dump)?;
    let known = |name: &str| OTHER_TREES.contains(&name) || Family::ALL.iter().any(|f| f.plural() == name);
    if let Some(t) = dump.trees.iter().find(|t| !known(&t.name)) {
        return Err(StoreError::Corrupt(format!("the copy holds a tree this hub does not know: {:?}", t.name)));
    }
    if path.exists() && std::fs::read_dir(path).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(StoreError::Refused(format!("{} already holds a store", path.display())));
    }
    let db = sled::Config::new().path(path).open()?;
    let mut seq = 0;
    for tree in dump.trees {
        let t = db.open_tree(&tree.name)?;
        for (k, v) in tree.pairs {
            if tree.name == META && k == META_SEQ {
                seq = seq_of(&v)?;
            }
            t.insert(k, v)?;
        }
    }
    // Until it has caught up with the stream, the restored hub shows no referral:
    // an erasure made after the copy may be recorded only there.
    db.open_tree(META)?.insert(META_RESTORED, &[1])?;
    db.flush()?;
    crate::shred::ReferralKeys::restore(&path.join(shred::KEYS_FILE), &dump.referral_keys)?;
    Ok(seq)
}
