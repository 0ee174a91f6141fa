//! A family's live entities, packed, and their labels: the numbers its posting
//! sets hold instead of their keys.
//!
//! A key ([`DocKey`]) is 64 bits of an entity's id: its creation time in
//! milliseconds and 16 random bits. Keys of a million entities made over two years
//! lie about 2^32 apart, so a posting set of keys pays about 32 bits an entry for
//! nothing but that spread. A label is a number in the same order as the key (so
//! that "newest first" and page tokens, which carry the key, mean what they did)
//! but dense: entities that arrive in key order, as they do from a hub and from the
//! store, get labels [`GAP`] apart, and a packed posting chunk of 512 of them needs
//! about 14 bits an entry where keys needed 40 to 50.
//!
//! An entity that arrives out of order (a hub that was offline publishes what it
//! made yesterday) takes a label between its neighbours', where its key falls
//! between theirs.
//! When a gap is used up, the labels of a window of neighbours are spread out
//! again (the list-labelling of order-maintenance structures), wide enough that
//! the spread leaves every gap at least half of [`GAP`]: the caller then moves
//! those labels in its posting sets ([`Relabel`]). An entity keeps its label for
//! as long as it is live and no window is spread over it.

use hashbrown::HashTable;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::hash::BuildHasher;
use ulid::Ulid;

use crate::index::{DocKey, Postings};
use crate::view::family::HubId;

/// The room left between the labels of entities that arrive in order: five
/// halvings for entities that arrive later between two of them.
pub const GAP: u64 = 32;

/// The first entity's label: far enough from zero for any number of older ones.
const FIRST: u64 = 1 << 40;

/// A live entity as the view keeps it.
#[derive(Serialize, Deserialize)]
pub struct Doc<K> {
    /// Its id ([`Doc::id`]) as bytes: a `u128` would align every entity of the
    /// family's map to 16 bytes.
    pub(crate) id: [u8; 16],
    pub hub: HubId,
    pub seq: u64,
    pub at_ms: i64,
    /// [`crate::view::family::Listing::size`], for the hub's byte quota.
    pub size: u32,
    pub kept: K,
}

impl<K> Doc<K> {
    /// Its id, as its hub chose it: with the hub, its record's key in the store.
    pub fn id(&self) -> ulid::Ulid {
        ulid::Ulid::from_bytes(self.id)
    }
}

/// Labels that a spread moved: every label from `lo` to `hi` (both included) that
/// a posting set holds is replaced by [`Relabel::to`] of it.
#[derive(Debug)]
pub struct Relabel {
    pub lo: u64,
    pub hi: u64,
    /// (old, new), by old label; new labels are in the same order.
    pub moves: Vec<(u64, u64)>,
}

impl Relabel {
    /// The new label of `old`.
    pub fn to(&self, old: u64) -> u64 {
        match self.moves.binary_search_by_key(&old, |m| m.0) {
            Ok(i) => self.moves[i].1,
            Err(_) => {
                debug_assert!(false, "label {old} is not an entity's");
                old
            }
        }
    }
}

/// A family's live entities, packed in `Vec`s, found by label and by id through
/// tables of their places. A map of labels (or ids) to entities would round its
/// buckets up to a power of two: at a million entities, two million buckets of the
/// whole entity each; a table of places takes 5 bytes a bucket.
pub struct Docs<K> {
    /// Seeds the tables' hashes: a hub cannot choose ids that collide.
    seed: foldhash::fast::RandomState,
    /// Places, by the label there.
    by_label: HashTable<u32>,
    /// Places, by the id there (with its hub: two hubs can use one id).
    by_id: HashTable<u32>,
    keys: Vec<DocKey>,
    labels: Vec<u64>,
    docs: Vec<Doc<K>>,
    /// Every label, in order, which is the order of the keys.
    order: Postings,
    /// Entities read back that another's label or id already had ([`Docs::finish`]).
    refused: usize,
}

impl<K> Default for Docs<K> {
    fn default() -> Self {
        Docs {
            seed: Default::default(),
            by_label: HashTable::new(),
            by_id: HashTable::new(),
            keys: Vec::new(),
            labels: Vec::new(),
            docs: Vec::new(),
            order: Postings::default(),
            refused: 0,
        }
    }
}

impl<K> Docs<K> {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Docs {
            seed: Default::default(),
            by_label: HashTable::with_capacity(n),
            by_id: HashTable::with_capacity(n),
            keys: Vec::with_capacity(n),
            labels: Vec::with_capacity(n),
            docs: Vec::with_capacity(n),
            order: Postings::default(),
            refused: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The place of the entity labelled `label`.
    fn place(&self, label: u64) -> Option<usize> {
        let labels = &self.labels;
        self.by_label.find(self.seed.hash_one(label), |&i| labels[i as usize] == label).map(|&i| i as usize)
    }

    /// The label of the entity `(id, hub)`, and the entity.
    pub fn live_entry(&self, id: Ulid, hub: HubId) -> Option<(u64, &Doc<K>)> {
        let id = id.to_bytes();
        let docs = &self.docs;
        let found =
            self.by_id.find(self.seed.hash_one(id), |&i| (docs[i as usize].id, docs[i as usize].hub) == (id, hub));
        found.map(|&i| (self.labels[i as usize], &self.docs[i as usize]))
    }

    /// The label of the entity `(id, hub)`.
    pub fn live(&self, id: Ulid, hub: HubId) -> Option<u64> {
        self.live_entry(id, hub).map(|(label, _)| label)
    }

    /// The entities with this id, whichever hub published them.
    pub fn with_id(&self, id: Ulid) -> impl Iterator<Item = &Doc<K>> {
        let id = id.to_bytes();
        self.by_id.iter_hash(self.seed.hash_one(id)).map(|&i| &self.docs[i as usize]).filter(move |d| d.id == id)
    }

    /// The entity labelled `label`.
    pub fn get(&self, label: u64) -> Option<&Doc<K>> {
        self.place(label).map(|i| &self.docs[i])
    }

    /// The key of the entity labelled `label`.
    pub fn key(&self, label: u64) -> Option<DocKey> {
        self.place(label).map(|i| self.keys[i])
    }

    /// The entity labelled `label`, with its key; it must be there.
    pub fn entry(&self, label: u64) -> (DocKey, &Doc<K>) {
        let i = self.place(label).expect("an entity under this label");
        (self.keys[i], &self.docs[i])
    }

    /// The key of a label [`Docs::order`] holds.
    fn key_of(&self, label: u64) -> DocKey {
        self.keys[self.place(label).expect("a label in order has its entity")]
    }

    /// The greatest label, when `key` is above its key: the common case of an
    /// entity newer than every other, answered without a search.
    fn newest_below(&self, key: DocKey) -> Option<u64> {
        self.order.last().filter(|&l| self.key_of(l) < key)
    }

    /// The largest label whose key is below `key`.
    fn below(&self, key: DocKey) -> Option<u64> {
        self.newest_below(key).or_else(|| self.order.last_where(|l| self.key_of(l) < key))
    }

    /// The label of the entity under `key`.
    pub fn find(&self, key: DocKey) -> Option<u64> {
        if self.newest_below(key).is_some() {
            return None;
        }
        self.order.last_where(|l| self.key_of(l) <= key).filter(|&l| self.key_of(l) == key)
    }

    /// The label below which every label is that of an entity whose key is below
    /// `key`: where a walk continues after a page that ended at `key`.
    pub fn bound(&self, key: DocKey) -> u64 {
        self.below(key).map_or(0, |l| l + 1)
    }

    /// Puts `doc` (of the same id and hub) in place of the entity labelled
    /// `label`, and gives that one back.
    pub fn replace(&mut self, label: u64, doc: Doc<K>) -> Doc<K> {
        let i = self.place(label).expect("an entity under this label");
        debug_assert!((doc.id, doc.hub) == (self.docs[i].id, self.docs[i].hub));
        std::mem::replace(&mut self.docs[i], doc)
    }

    /// Adds the entity at place `i` (the last) to both tables; false, and not
    /// added, when an entity with its label or its id and hub is there already.
    fn add_place(&mut self, i: usize) -> bool {
        let (label, id, hub) = (self.labels[i], self.docs[i].id, self.docs[i].hub);
        if self.place(label).is_some() || self.live(Ulid::from_bytes(id), hub).is_some() {
            return false;
        }
        let (seed, labels, docs) = (&self.seed, &self.labels, &self.docs);
        self.by_label.insert_unique(seed.hash_one(label), i as u32, |&j| seed.hash_one(labels[j as usize]));
        self.by_id.insert_unique(seed.hash_one(id), i as u32, |&j| seed.hash_one(docs[j as usize].id));
        true
    }

    /// Points the tables' entries for place `from` to place `to`.
    fn move_place(&mut self, from: usize, to: usize) {
        let (label, id) = (self.labels[to], self.docs[to].id);
        for (table, hash) in
            [(&mut self.by_label, self.seed.hash_one(label)), (&mut self.by_id, self.seed.hash_one(id))]
        {
            if let Some(slot) = table.find_mut(hash, |&j| j as usize == from) {
                *slot = to as u32;
            }
        }
    }

    /// Adds `doc` under `key`, which no entity has, and gives its label, with the
    /// labels of other entities it moved to make room, if any.
    pub fn insert(&mut self, key: DocKey, doc: Doc<K>) -> (u64, Option<Relabel>) {
        debug_assert!(self.find(key).is_none());
        let before = self.below(key);
        let after = match before {
            Some(b) if Some(b) == self.order.last() => None,
            Some(b) => self.order.next_above(b),
            None => self.order.iter().next(),
        };
        let free = match (before, after) {
            (None, None) => Some(FIRST),
            (Some(b), None) => b.checked_add(GAP),
            (None, Some(a)) if a > GAP => Some(a - GAP),
            (None, Some(a)) => (a >= 2).then_some(a / 2),
            // Where its key falls between theirs: a run of entities arriving in
            // order into one gap (a hub publishing what it made while offline,
            // minutes apart where its neighbours are hours apart) each take a
            // small step from the one before, leaving the rest of the gap to the
            // next ones.
            (Some(b), Some(a)) if a - b >= 2 => {
                let (kb, ka) = (self.key_of(b).0, self.key_of(a).0);
                let at = u128::from(key.0 - kb) * u128::from(a - b) / u128::from(ka - kb);
                Some(b + (at as u64).clamp(1, a - b - 1))
            }
            (Some(_), Some(_)) => None,
        };
        let (label, relabel) = match free {
            Some(label) => (label, None),
            None => {
                let (label, relabel) = self.spread(before, after);
                (label, Some(relabel))
            }
        };
        assert!(self.docs.len() < u32::MAX as usize, "fewer than 2^32 entities in a family");
        self.keys.push(key);
        self.labels.push(label);
        self.docs.push(doc);
        let added = self.add_place(self.docs.len() - 1);
        debug_assert!(added, "a new entity's label and id are its own");
        self.order.insert(label);
        (label, relabel)
    }

    /// Makes room between `before` and `after` (labels of neighbours, no room
    /// between them): the labels of a window around them are spread evenly over
    /// the window's span, widened until it leaves gaps of at least half of [`GAP`],
    /// or over the whole family [`GAP`] apart. Gives the label of the new entity,
    /// which goes between `before` and `after`.
    fn spread(&mut self, before: Option<u64>, after: Option<u64>) -> (u64, Relabel) {
        let centre = before.or(after).expect("neighbours to make room between");
        let (first, last) = (self.order.iter().next(), self.order.iter_desc().next());
        let (first, last) = (first.expect("a label"), last.expect("a label"));
        let mut reach = GAP * 16;
        let window: Vec<u64> = loop {
            let (lo, hi) = (centre.saturating_sub(reach).max(first), centre.saturating_add(reach).min(last));
            let window: Vec<u64> = self.order.range(lo, hi).collect();
            let (wlo, whi) = (window[0], window[window.len() - 1]);
            let whole = wlo == first && whi == last;
            if u128::from(whi - wlo) >= (window.len() as u128) * u128::from(GAP / 2) || whole {
                break window;
            }
            reach = reach.saturating_mul(4);
        };
        let (lo, hi) = (window[0], window[window.len() - 1]);
        // The new entity's place among the window's entities.
        let at = match before {
            Some(b) => window.partition_point(|&l| l <= b),
            None => 0,
        };
        let n = window.len() as u128 + 1;
        let wide = u128::from(hi - lo) >= (window.len() as u128) * u128::from(GAP / 2);
        let new = |i: usize| -> u64 {
            if wide { (u128::from(lo) + u128::from(hi - lo) * i as u128 / (n - 1)) as u64 } else { lo + GAP * i as u64 }
        };
        let mut moves = Vec::with_capacity(window.len());
        for (j, &old) in window.iter().enumerate() {
            let i = if j < at { j } else { j + 1 };
            moves.push((old, new(i)));
        }
        let label = new(at);
        // Out of the table first: an old label can be another's new one.
        let mut places = Vec::with_capacity(window.len());
        for &old in &window {
            let labels = &self.labels;
            let entry = self.by_label.find_entry(self.seed.hash_one(old), |&i| labels[i as usize] == old);
            places.push(entry.expect("a label's place").remove().0);
        }
        for (&(_, to), i) in moves.iter().zip(places) {
            self.labels[i as usize] = to;
            let (seed, labels) = (&self.seed, &self.labels);
            self.by_label.insert_unique(seed.hash_one(to), i, |&j| seed.hash_one(labels[j as usize]));
        }
        let relabel = Relabel { lo, hi, moves };
        self.order.remap(lo, hi, |l| relabel.to(l));
        (label, relabel)
    }

    /// Takes the entity labelled `label` out; the last one moves into its place.
    pub fn remove(&mut self, label: u64) -> Option<(DocKey, Doc<K>)> {
        let i = self.place(label)?;
        let id = self.docs[i].id;
        for (table, hash) in
            [(&mut self.by_label, self.seed.hash_one(label)), (&mut self.by_id, self.seed.hash_one(id))]
        {
            if let Ok(entry) = table.find_entry(hash, |&j| j as usize == i) {
                entry.remove();
            }
        }
        self.order.remove(label);
        let last = self.docs.len() - 1;
        let key = self.keys.swap_remove(i);
        self.labels.swap_remove(i);
        let doc = self.docs.swap_remove(i);
        if i != last {
            self.move_place(last, i);
        }
        Some((key, doc))
    }

    pub fn values(&self) -> impl Iterator<Item = &Doc<K>> {
        self.docs.iter()
    }

    /// Every entity with its key and label.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (DocKey, u64, &Doc<K>)> + Clone {
        self.keys.iter().zip(&self.labels).zip(&self.docs).map(|((&k, &l), d)| (k, l, d))
    }

    /// Adds entities read back with their labels ([`Docs::finish`] when all are
    /// in); an entity whose label, or id and hub, another has already is left out
    /// and the whole found wanting by `finish`.
    pub(crate) fn extend_labelled(&mut self, entities: impl IntoIterator<Item = (DocKey, u64, Doc<K>)>) {
        for (key, label, doc) in entities {
            self.keys.push(key);
            self.labels.push(label);
            self.docs.push(doc);
            if !self.add_place(self.docs.len() - 1) || self.docs.len() >= u32::MAX as usize {
                self.keys.pop();
                self.labels.pop();
                self.docs.pop();
                self.refused += 1;
            }
        }
    }

    /// Checks entities read back with their labels, and orders the labels: each
    /// label and each (id, hub) once, and labels in the order of the keys, else
    /// the entities cannot be used.
    pub(crate) fn finish(&mut self) -> Result<(), &'static str> {
        if self.refused > 0 {
            return Err("a label, or an id of a hub, is there twice");
        }
        let mut pairs: Vec<(u64, DocKey)> = self.labels.iter().copied().zip(self.keys.iter().copied()).collect();
        pairs.sort_unstable();
        if !pairs.windows(2).all(|w| w[0].1 < w[1].1) {
            return Err("labels not in the order of their keys");
        }
        self.order = Postings::default();
        for (label, _) in pairs {
            self.order.insert(label);
        }
        Ok(())
    }
}

/// Written as (key, label, entity) triples.
impl<K: Serialize> Serialize for Docs<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de, K: Deserialize<'de>> Deserialize<'de> for Docs<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Docs<K>, D::Error> {
        let triples = Vec::<(DocKey, u64, Doc<K>)>::deserialize(deserializer)?;
        let mut docs = Docs::with_capacity(triples.len());
        docs.extend_labelled(triples);
        docs.finish().map_err(serde::de::Error::custom)?;
        Ok(docs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn doc(n: u64) -> Doc<u64> {
        Doc { id: u128::from(n).to_be_bytes(), hub: 0, seq: n, at_ms: 0, size: 0, kept: n }
    }

    /// A small deterministic generator.
    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        *seed >> 33
    }

    /// Checks that labels follow keys, and that a posting set kept beside the
    /// entities (as the index keeps them) still names each entity after spreads.
    fn check(docs: &Docs<u64>, model: &BTreeMap<DocKey, u64>, beside: &Postings) {
        assert_eq!(docs.len(), model.len());
        let by_label: Vec<DocKey> = docs.order.iter().map(|l| docs.key(l).unwrap()).collect();
        let keys: Vec<DocKey> = model.keys().copied().collect();
        assert_eq!(by_label, keys, "labels in the order of the keys");
        assert!(beside.iter().eq(docs.order.iter()), "the posting set kept beside moved with the labels");
        for (&key, &kept) in model {
            let label = docs.find(key).expect("every key found");
            assert_eq!(docs.get(label).unwrap().kept, kept);
        }
    }

    /// Adds an entity to `docs`, to the model and to a posting set kept beside
    /// them (moved as the index would be); true when it spread labels.
    fn put(
        docs: &mut Docs<u64>,
        model: &mut BTreeMap<DocKey, u64>,
        beside: &mut Postings,
        key: DocKey,
        n: u64,
    ) -> bool {
        let (label, relabel) = docs.insert(key, doc(n));
        if let Some(r) = &relabel {
            beside.remap(r.lo, r.hi, |l| r.to(l));
        }
        beside.insert(label);
        model.insert(key, n);
        relabel.is_some()
    }

    #[test]
    fn labels_follow_keys_through_inserts_in_any_order_and_removals() {
        let patterns = [("ascending", 0), ("descending", 1), ("one gap", 2), ("random", 3), ("ten runs at once", 4)];
        for (name, pattern) in patterns {
            let mut seed = 5;
            let mut docs: Docs<u64> = Docs::default();
            let mut model = BTreeMap::new();
            let mut beside = Postings::default();
            let mut spreads = 0;
            for i in 0..4_000u64 {
                let key = match pattern {
                    0 => DocKey(1_000 + i * 7),
                    1 => DocKey(1_000_000 - i * 7),
                    // Ascending, all between the first two keys.
                    2 if i < 2 => DocKey(i * 1_000_000),
                    2 => DocKey(10 + i),
                    3 => DocKey(lcg(&mut seed) << 20 | i),
                    // Ten hubs each sending a run into a gap of its own, at once.
                    _ if i < 11 => DocKey(i * 1_000_000_000),
                    _ => DocKey((i % 10) * 1_000_000_000 + 1 + i),
                };
                spreads += usize::from(put(&mut docs, &mut model, &mut beside, key, i));
                if i % 5 == 4 {
                    // Take one out now and then (never the ends of the one gap).
                    let (&gone, _) = model.iter().nth((lcg(&mut seed) as usize) % model.len()).unwrap();
                    let end = |k: DocKey| k.0.is_multiple_of(if pattern == 2 { 1_000_000 } else { 1_000_000_000 });
                    if pattern >= 2 && pattern != 3 && end(gone) {
                        continue;
                    }
                    let label = docs.find(gone).unwrap();
                    assert_eq!(docs.remove(label).map(|(k, _)| k), Some(gone));
                    assert!(beside.remove(label));
                    model.remove(&gone);
                }
            }
            check(&docs, &model, &beside);
            match pattern {
                0 | 1 => assert_eq!(spreads, 0, "{name}: in order, no spreads"),
                2 | 4 => assert!(spreads > 0 && spreads < 400, "{name}: {spreads} spreads for 4,000 in runs"),
                _ => assert!(spreads < 200, "{name}: {spreads} spreads"),
            }
            let bytes = postcard::to_stdvec(&docs).unwrap();
            let read: Docs<u64> = postcard::from_bytes(&bytes).unwrap();
            check(&read, &model, &beside);
        }
    }

    #[test]
    fn a_hub_choosing_ids_to_use_up_gaps_gets_spreads_but_never_disorder() {
        // A hostile hub places each new listing just above the oldest one, ever
        // closer to it, then in the gaps between those: every gap it aims at is
        // used up, and the labels must still follow the keys.
        let mut docs: Docs<u64> = Docs::default();
        let mut model = BTreeMap::new();
        let mut beside = Postings::default();
        let mut spreads = 0;
        let mut put = |key: DocKey, n: u64| {
            spreads += usize::from(put(&mut docs, &mut model, &mut beside, key, n));
        };
        put(DocKey(0), 0);
        put(DocKey(1 << 62), 1);
        for i in 2..62u64 {
            put(DocKey(1 << (63 - i)), i);
        }
        for i in 0..2_000u64 {
            put(DocKey((1 << 20) + 1 + i * 3), 100 + i);
        }
        assert!(spreads > 10, "the attack should use gaps up: {spreads}");
        check(&docs, &model, &beside);
        let bytes = postcard::to_stdvec(&docs).unwrap();
        check(&postcard::from_bytes(&bytes).unwrap(), &model, &beside);
    }

    #[test]
    fn a_label_in_a_posting_set_costs_a_quarter_of_a_key() {
        // 100,000 entities created over two years, arriving in order, as keys are
        // made: the creation time in ms above 16 random bits.
        let mut seed = 21;
        let two_years_ms = 2 * 365 * 86_400_000u64;
        let mut docs: Docs<u64> = Docs::default();
        let mut keys = Postings::default();
        for i in 0..100_000u64 {
            let key = DocKey(((1_700_000_000_000 + i * two_years_ms / 100_000) << 16) | (lcg(&mut seed) & 0xffff));
            docs.insert(key, doc(i));
            keys.insert(key.0);
        }
        let per_label = docs.order.heap_bytes() as f64 / docs.len() as f64;
        let per_key = keys.heap_bytes() as f64 / keys.len() as f64;
        assert!(per_label < 2.2 && per_label * 2.5 < per_key, "{per_label:.2} bytes a label, {per_key:.2} a key");
    }

    #[test]
    fn labels_read_back_out_of_order_or_twice_are_refused() {
        let mut docs: Docs<u64> = Docs::default();
        for k in [10, 20, 30] {
            docs.insert(DocKey(k), doc(k));
        }
        let mut triples: Vec<(DocKey, u64, Doc<u64>)> =
            docs.iter().map(|(k, l, d)| (k, l, Doc { kept: d.kept, ..doc(d.seq) })).collect();
        triples[0].1 = triples[2].1 + 1;
        let bytes = postcard::to_stdvec(&triples).unwrap();
        assert!(postcard::from_bytes::<Docs<u64>>(&bytes).is_err());
        triples[0].1 = triples[1].1;
        let bytes = postcard::to_stdvec(&triples).unwrap();
        assert!(postcard::from_bytes::<Docs<u64>>(&bytes).is_err());
        // An id of a hub twice.
        let mut triples: Vec<(DocKey, u64, Doc<u64>)> =
            docs.iter().map(|(k, l, d)| (k, l, Doc { kept: d.kept, ..doc(d.seq) })).collect();
        triples[0].2.id = triples[1].2.id;
        let bytes = postcard::to_stdvec(&triples).unwrap();
        assert!(postcard::from_bytes::<Docs<u64>>(&bytes).is_err());
        triples[0].2.hub = 1;
        let bytes = postcard::to_stdvec(&triples).unwrap();
        let read = postcard::from_bytes::<Docs<u64>>(&bytes).expect("one id, two hubs");
        assert_eq!(read.with_id(Ulid::from_bytes(triples[1].2.id)).count(), 2);
        assert_eq!(read.live(Ulid::from_bytes(triples[1].2.id), 1), Some(triples[0].1));
    }

    #[test]
    fn a_page_token_continues_below_its_key_whether_or_not_that_entity_is_still_there() {
        let mut docs: Docs<u64> = Docs::default();
        for k in [10, 20, 30] {
            docs.insert(DocKey(k), doc(k));
        }
        let label = |k| docs.find(DocKey(k)).unwrap();
        assert_eq!(docs.bound(DocKey(30)), label(20) + 1);
        assert_eq!(docs.bound(DocKey(25)), label(20) + 1);
        assert_eq!(docs.bound(DocKey(10)), 0);
        assert_eq!(docs.bound(DocKey(99)), label(30) + 1);
        assert_eq!(docs.find(DocKey(25)), None);
    }
}
