//! Inverted indexes for the region's queries: for each term (a word of a title, an
//! area word, a kind, a hub…) the sorted set of entities that have it.
//!
//! A query is the intersection of the posting sets of its terms, walked newest first
//! (a leapfrog join that starts from the smallest set and seeks in the others), and it
//! stops as soon as a page is full. Its cost follows the size of the smallest set and
//! the page size, never the size of the region: the view in [`crate::view`] answers a
//! search over a million opportunities without scanning them.
//!
//! Entities are ordered by [`DocKey`], which follows the entity's ULID, so "newest
//! first" means "most recently created first", and a page token (the key of the last
//! entity of a page) means the same thing at every relay of the region. Posting sets
//! hold not the keys but labels in the same order, denser ([`crate::view::docs`]):
//! to this module they are just sorted numbers.

// A seeded hash (foldhash's, as hashbrown's default): fast on short words, and a
// hub cannot choose words that collide, as it could with an unseeded one.
use foldhash::HashMap;
use serde::de::Visitor;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeSet;
use std::fmt;
use std::hash::Hash;
use std::ops::Bound;
use ulid::Ulid;

use kith_proto::domain::{OpportunityKind, Sector};
use kith_proto::service::Category;

use kith_text::stem;

/// An entity's place in the newest-first order of one index.
///
/// It is the upper 64 bits of the entity's ULID: its 48-bit creation time and 16
/// bits of its randomness. Two entities can share those bits only by a very unlikely
/// accident or by one hub copying another's id on purpose; the second one then gets
/// the nearest free key below (see [`DocKey::probe`]), so keys stay unique and the
/// order stays by time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DocKey(pub u64);

impl DocKey {
    /// The key an entity with this id wants.
    pub fn of(id: Ulid) -> DocKey {
        DocKey((id.0 >> 64) as u64)
    }

    /// The key of an entity with this id first seen at `at_ms`: its id's, with the
    /// time in it taken no later than `at_ms` (a hub chooses its ids, and may date
    /// them ahead; the relay's record of when it got the entity it does not choose).
    pub fn at(id: Ulid, at_ms: i64) -> DocKey {
        let own = DocKey::of(id);
        let ms = (own.0 >> 16).min(u64::try_from(at_ms).unwrap_or(0));
        DocKey((ms << 16) | (own.0 & 0xffff))
    }

    /// The first key, from [`DocKey::at`] downwards, for which `taken` is false.
    pub fn probe(id: Ulid, at_ms: i64, taken: impl Fn(DocKey) -> bool) -> DocKey {
        let mut key = DocKey::at(id, at_ms);
        while taken(key) {
            key = DocKey(key.0.wrapping_sub(1));
        }
        key
    }

    /// The page token that continues after this key.
    pub fn token(self) -> String {
        format!("{:016x}", self.0)
    }

    /// Reads a page token made by [`DocKey::token`].
    pub fn from_token(token: &str) -> Option<DocKey> {
        if token.len() != 16 {
            return None;
        }
        u64::from_str_radix(token, 16).ok().map(DocKey)
    }
}

/// A search term. Text words and area words are kept apart so that "Leeds" in a
/// description does not match an area filter.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Term {
    /// Every entity: walked when a query has no other term.
    All,
    /// Open opportunities that had not closed when they were last (re)indexed.
    Open,
    Remote,
    Paid,
    Kind(OpportunityKind),
    Sector(Sector),
    /// The publishing hub, by its number in the view.
    Hub(u32),
    /// A folded word of one of the text fields.
    Text(Field, Box<str>),
    /// A folded word of the area, or the letters of a postcode district in it
    /// (`ls` for `LS6`), so that a filter by postcode area finds every district.
    Area(Box<str>),
    /// A service in this category.
    Category(Category),
    /// A service that costs nothing.
    Free,
    /// A service whose status is active.
    Active,
    /// A listing whose area (or one of whose places) is in this postcode district,
    /// by its number ([`kith_text::places::District`]).
    District(u16),
    /// A listing with no place the region's places resolve: searched by words only,
    /// and ranked after every placed one in a search by distance.
    Unplaced,
    /// A listing that gives an area which names no place the region knows (a
    /// listing online only gives none): a hub's operator is told.
    Unresolved,
}

/// The text fields of a listing, in the order they rank: a word found in the title
/// ranks above the same word found only in the description.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Field {
    /// An opportunity's title, a safe house's name.
    Title = 0,
    Skills = 1,
    Description = 2,
    /// What describes a listing without being its text: its area, kind, sector, or
    /// who a house is for. "gardening leeds" finds a garden job in Leeds.
    Meta = 3,
}

impl Field {
    pub const ALL: [Field; 4] = [Field::Title, Field::Skills, Field::Description, Field::Meta];
}

/// Posting sets are cut into chunks of at most this many keys: an insert or a
/// removal repacks at most one chunk, and a chunk's own cost (its first key, its
/// width, its allocation) is spread over many keys.
const CHUNK: usize = 512;

/// The bits `v` needs.
fn bits(v: u64) -> u8 {
    (64 - v.leading_zeros()) as u8
}

/// A chunk of a posting set: its keys as offsets from its first key, each packed in
/// the bits its largest offset needs ("frame of reference"). The keys are an
/// index's labels ([`crate::view::docs`]), dense, so a key of a common term costs
/// 10 to 20 bits rather than 64, and the i-th key is still read directly, so a
/// seek's binary search decodes nothing.
struct Chunk {
    first: u64,
    /// `len` offsets of `width` bits each, from the lowest bit of the first word up.
    words: Vec<u64>,
    len: u16,
    width: u8,
}

impl Chunk {
    fn one(k: u64) -> Chunk {
        Chunk { first: k, words: Vec::new(), len: 1, width: 0 }
    }

    /// `keys`, sorted ascending and not empty, packed with no room to spare.
    fn pack(keys: &[u64]) -> Chunk {
        debug_assert!(!keys.is_empty() && keys.len() <= CHUNK + 1);
        let first = keys[0];
        let width = bits(keys[keys.len() - 1] - first);
        let mut words = vec![0u64; (keys.len() * usize::from(width)).div_ceil(64)];
        for (i, &k) in keys.iter().enumerate() {
            set_bits(&mut words, i, width, k - first);
        }
        Chunk { first, words, len: keys.len() as u16, width }
    }

    fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Its `i`-th key.
    #[inline]
    fn get(&self, i: usize) -> u64 {
        debug_assert!(i < self.len());
        let w = usize::from(self.width);
        if w == 0 {
            return self.first;
        }
        let bit = i * w;
        let (word, shift) = (bit / 64, bit % 64);
        let mut v = self.words[word] >> shift;
        if shift + w > 64 {
            v |= self.words[word + 1] << (64 - shift);
        }
        self.first + (v & mask(self.width))
    }

    fn last(&self) -> u64 {
        self.get(self.len() - 1)
    }

    /// How many of its first `end` keys are at most `k`.
    #[inline]
    fn count_le(&self, k: u64, end: usize) -> usize {
        let (mut lo, mut hi) = (0, end);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.get(mid) <= k {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Where `k` is, or where it would go.
    fn search(&self, k: u64) -> Result<usize, usize> {
        let n = self.count_le(k, self.len());
        if n > 0 && self.get(n - 1) == k { Ok(n - 1) } else { Err(n) }
    }

    fn keys(&self) -> impl DoubleEndedIterator<Item = u64> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Its keys into `buf`, which it clears first.
    fn unpack_into(&self, buf: &mut Vec<u64>) {
        buf.clear();
        buf.extend(self.keys());
    }

    /// Adds `k`, greater than every key of the chunk.
    fn push(&mut self, k: u64) {
        debug_assert!(k > self.last());
        let offset = k - self.first;
        let need = bits(offset);
        if need > self.width {
            // The newest key is the furthest from the first: the width grows as the
            // chunk fills, about once each time its span doubles.
            let mut keys: Vec<u64> = self.keys().collect();
            keys.push(k);
            let grown = Chunk::pack(&keys);
            self.words = grown.words;
            self.width = grown.width;
            self.len = grown.len;
            return;
        }
        self.reserve_one();
        set_bits(&mut self.words, usize::from(self.len), self.width, offset);
        self.len += 1;
    }

    /// Puts `k` at `pos`, moving the keys from `pos` on up one place, without
    /// repacking: when `k` is above the chunk's first key, its offset fits the
    /// chunk's width and the chunk has room. False, and nothing changed, otherwise.
    fn insert_in_place(&mut self, pos: usize, k: u64) -> bool {
        debug_assert!(pos == self.len() || self.get(pos) > k);
        if pos == 0 || self.len() >= CHUNK || bits(k - self.first) > self.width {
            return false;
        }
        self.reserve_one();
        let w = usize::from(self.width);
        shift_up(&mut self.words, pos * w, w);
        set_bits(&mut self.words, pos, self.width, k - self.first);
        self.len += 1;
        true
    }

    /// Makes room in `words` for one more offset of the chunk's width.
    fn reserve_one(&mut self) {
        let words = (usize::from(self.len + 1) * usize::from(self.width)).div_ceil(64);
        if words > self.words.len() {
            if words > self.words.capacity() {
                // A quarter more at a time: room for the next keys without leaving a
                // half-empty allocation in every set.
                self.words.reserve_exact((self.words.len() / 4).max(1));
            }
            self.words.resize(words, 0);
        }
    }

    /// Its heap bytes.
    fn heap_bytes(&self) -> usize {
        self.words.capacity() * 8
    }
}

fn mask(width: u8) -> u64 {
    if width >= 64 { u64::MAX } else { (1u64 << width) - 1 }
}

/// Writes `v` (of at most `width` bits) as the `i`-th value of `words`, whatever
/// was there before.
fn set_bits(words: &mut [u64], i: usize, width: u8, v: u64) {
    let w = usize::from(width);
    if w == 0 {
        return;
    }
    let bit = i * w;
    let (word, shift) = (bit / 64, bit % 64);
    let m = mask(width);
    words[word] = (words[word] & !(m << shift)) | (v << shift);
    if shift + w > 64 {
        let high = shift + w - 64;
        words[word + 1] = (words[word + 1] & !mask(high as u8)) | (v >> (64 - shift));
    }
}

/// Moves every bit of `words` from bit `from` on up by `by` bits (1 to 64), as one
/// shift of the whole run rather than value by value; the bits below `from` stay.
/// The `by` bits from `from` on are left as they come, to be written next. The
/// top `by` bits of `words` must be zero (there is room).
fn shift_up(words: &mut [u64], from: usize, by: usize) {
    debug_assert!((1..=64).contains(&by));
    let first = from / 64;
    if first >= words.len() {
        return;
    }
    let kept = words[first] & mask((from % 64) as u8);
    for j in (first + 1..words.len()).rev() {
        words[j] = if by == 64 { words[j - 1] } else { (words[j] << by) | (words[j - 1] >> (64 - by)) };
    }
    words[first] = if by == 64 { 0 } else { words[first] << by };
    words[first] = (words[first] & !mask((from % 64) as u8)) | kept;
}

/// A sorted set of keys, in chunks. Chunks are sorted, non-empty and do not overlap;
/// `lasts` holds each chunk's largest key, contiguously, so that finding a chunk
/// does not chase a pointer per step of the binary search.
#[derive(Default)]
pub struct Postings {
    chunks: Vec<Chunk>,
    lasts: Vec<u64>,
    len: usize,
}

impl fmt::Debug for Postings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Postings").field("len", &self.len).field("chunks", &self.chunks.len()).finish()
    }
}

impl Postings {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The chunk that holds, or should hold, `k`.
    fn chunk_for(&self, k: u64) -> usize {
        self.lasts.partition_point(|&last| last < k).min(self.chunks.len() - 1)
    }

    /// Adds `k`, which is greater than every key of the set. A full last chunk is
    /// left full (and its spare room given back).
    fn push_greatest(&mut self, k: u64) {
        debug_assert!(self.lasts.last().is_none_or(|&g| g < k));
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < CHUNK => {
                chunk.push(k);
                if chunk.len() == CHUNK {
                    chunk.words.shrink_to_fit();
                }
                *self.lasts.last_mut().expect("a chunk has its last key") = k;
            }
            _ => {
                self.chunks.push(Chunk::one(k));
                self.lasts.push(k);
            }
        }
        self.len += 1;
    }

    /// Puts `keys` (sorted, at most two chunks' worth) in place of chunk `ci`,
    /// splitting it in two when it is over full, dropping it when it is empty.
    fn replace_chunk(&mut self, ci: usize, keys: &[u64]) {
        if keys.is_empty() {
            self.chunks.remove(ci);
            self.lasts.remove(ci);
        } else if keys.len() > CHUNK {
            let (head, tail) = keys.split_at(keys.len() / 2);
            self.chunks[ci] = Chunk::pack(head);
            self.lasts[ci] = head[head.len() - 1];
            self.chunks.insert(ci + 1, Chunk::pack(tail));
            self.lasts.insert(ci + 1, tail[tail.len() - 1]);
        } else {
            self.chunks[ci] = Chunk::pack(keys);
            self.lasts[ci] = keys[keys.len() - 1];
        }
    }

    /// Adds `k`; false when it was already there.
    pub fn insert(&mut self, k: u64) -> bool {
        let Some(&greatest) = self.lasts.last() else {
            self.push_greatest(k);
            return true;
        };
        if k > greatest {
            // Appending, the common case: new entities are the newest, and the store
            // loads in key order.
            self.push_greatest(k);
            return true;
        }
        let ci = self.chunk_for(k);
        let Err(pos) = self.chunks[ci].search(k) else { return false };
        self.len += 1;
        if self.chunks[ci].insert_in_place(pos, k) {
            return true;
        }
        let mut keys = Vec::with_capacity(self.chunks[ci].len() + 1);
        self.chunks[ci].unpack_into(&mut keys);
        keys.insert(pos, k);
        self.replace_chunk(ci, &keys);
        true
    }

    /// Removes `k`; false when it was not there.
    pub fn remove(&mut self, k: u64) -> bool {
        if self.chunks.is_empty() {
            return false;
        }
        let ci = self.chunk_for(k);
        let Ok(pos) = self.chunks[ci].search(k) else { return false };
        let mut keys = Vec::with_capacity(CHUNK);
        self.chunks[ci].unpack_into(&mut keys);
        keys.remove(pos);
        self.len -= 1;
        if keys.len() < CHUNK / 8 && ci + 1 < self.chunks.len() && keys.len() + self.chunks[ci + 1].len() <= CHUNK {
            // Keep chunks from thinning out after many removals.
            keys.extend(self.chunks[ci + 1].keys());
            self.chunks.remove(ci + 1);
            self.lasts.remove(ci + 1);
        }
        self.replace_chunk(ci, &keys);
        true
    }

    /// Keeps only the keys `keep` accepts, in one pass.
    pub fn retain(&mut self, mut keep: impl FnMut(u64) -> bool) {
        let mut keys = Vec::with_capacity(CHUNK);
        let mut ci = 0;
        while ci < self.chunks.len() {
            self.chunks[ci].unpack_into(&mut keys);
            let before = keys.len();
            keys.retain(|&k| keep(k));
            if keys.len() != before {
                self.len -= before - keys.len();
                self.replace_chunk(ci, &keys);
            }
            if !keys.is_empty() {
                ci += 1;
            }
        }
    }

    pub fn contains(&self, k: u64) -> bool {
        !self.chunks.is_empty() && self.chunks[self.chunk_for(k)].search(k).is_ok()
    }

    /// A cursor for walking this set from its largest key down.
    pub fn cursor(&self) -> Cursor<'_> {
        Cursor { list: self, pos: None, started: false }
    }

    /// All keys, smallest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = u64> + '_ {
        self.chunks.iter().flat_map(Chunk::keys)
    }

    /// All keys, largest first.
    pub fn iter_desc(&self) -> impl Iterator<Item = u64> + '_ {
        self.iter().rev()
    }

    /// The largest key for which `below` holds, when `below` holds for every key
    /// up to some point and for none after it (a binary search over the chunks'
    /// last keys, then within one chunk).
    pub fn last_where(&self, below: impl Fn(u64) -> bool) -> Option<u64> {
        let ci = self.lasts.partition_point(|&last| below(last));
        let Some(chunk) = self.chunks.get(ci) else { return self.lasts.last().copied() };
        let (mut lo, mut hi) = (0, chunk.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if below(chunk.get(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        match lo {
            0 => ci.checked_sub(1).map(|p| self.lasts[p]),
            n => Some(chunk.get(n - 1)),
        }
    }

    /// The largest key.
    pub fn last(&self) -> Option<u64> {
        self.lasts.last().copied()
    }

    /// The smallest key above `k`.
    pub fn next_above(&self, k: u64) -> Option<u64> {
        let ci = self.lasts.partition_point(|&last| last <= k);
        let chunk = self.chunks.get(ci)?;
        Some(chunk.get(chunk.count_le(k, chunk.len())))
    }

    /// The keys from `lo` to `hi` (both included), in order.
    pub fn range(&self, lo: u64, hi: u64) -> impl Iterator<Item = u64> + '_ {
        let first = self.lasts.partition_point(|&last| last < lo);
        self.chunks[first..]
            .iter()
            .take_while(move |c| c.first <= hi)
            .flat_map(Chunk::keys)
            .skip_while(move |&k| k < lo)
            .take_while(move |&k| k <= hi)
    }

    /// Replaces each key from `lo` to `hi` by `to(key)`. `to` keeps their order and
    /// puts them between the keys of the set below `lo` and above `hi`, so that the
    /// set stays sorted: only the chunks that hold such keys are repacked.
    pub fn remap(&mut self, lo: u64, hi: u64, to: impl Fn(u64) -> u64) {
        let mut ci = self.lasts.partition_point(|&last| last < lo);
        let mut keys = Vec::new();
        while ci < self.chunks.len() && self.chunks[ci].first <= hi {
            self.chunks[ci].unpack_into(&mut keys);
            for k in keys.iter_mut().filter(|k| (lo..=hi).contains(*k)) {
                *k = to(*k);
            }
            debug_assert!(keys.is_sorted());
            self.replace_chunk(ci, &keys);
            ci += 1;
        }
        debug_assert!(self.lasts.is_sorted());
    }

    /// The bytes it holds on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.chunks.capacity() * size_of::<Chunk>()
            + self.lasts.capacity() * 8
            + self.chunks.iter().map(Chunk::heap_bytes).sum::<usize>()
    }
}

/// A set is written as its size and then its keys in ascending order, each as the
/// difference from the one before in LEB128 (sorted keys are close, so most take 3
/// to 5 bytes instead of 8), as one byte string: a million-entry set is read back by
/// one tight loop, straight into full chunks.
impl Serialize for Postings {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut bytes = Vec::with_capacity(10 + self.len * 4);
        leb128(&mut bytes, self.len as u64);
        let mut previous = 0u64;
        for k in self.iter() {
            leb128(&mut bytes, k - previous);
            previous = k;
        }
        serializer.serialize_bytes(&bytes)
    }
}

fn leb128(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads one LEB128 value at `*pos`; None when the bytes end or it overflows.
fn read_leb128(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7f).checked_shl(shift)?;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

impl Postings {
    /// Reads what [`Postings::serialize`] wrote.
    fn from_gaps(bytes: &[u8]) -> Result<Postings, &'static str> {
        let mut pos = 0;
        let len = read_leb128(bytes, &mut pos).ok_or("no size")?;
        // Every key takes at least one byte.
        let len = usize::try_from(len).ok().filter(|&n| n <= bytes.len()).ok_or("a size larger than its bytes")?;
        let mut list = Postings { chunks: Vec::with_capacity(len.div_ceil(CHUNK)), lasts: Vec::new(), len };
        list.lasts.reserve_exact(len.div_ceil(CHUNK));
        let mut key = 0u64;
        let mut left = len;
        let mut chunk = Vec::with_capacity(left.min(CHUNK));
        while left > 0 {
            chunk.clear();
            for _ in 0..left.min(CHUNK) {
                let gap = read_leb128(bytes, &mut pos).ok_or("a key cut short")?;
                key = match key.checked_add(gap) {
                    Some(k) if gap > 0 || (list.chunks.is_empty() && chunk.is_empty()) => k,
                    _ => return Err("keys not strictly ascending"),
                };
                chunk.push(key);
            }
            left -= chunk.len();
            list.lasts.push(key);
            list.chunks.push(Chunk::pack(&chunk));
        }
        if pos != bytes.len() {
            return Err("bytes after the last key");
        }
        Ok(list)
    }
}

impl<'de> Deserialize<'de> for Postings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Postings, D::Error> {
        struct Gaps;
        impl<'de> Visitor<'de> for Gaps {
            type Value = Postings;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a posting set as LEB128 gaps")
            }
            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Postings, E> {
                Postings::from_gaps(bytes).map_err(E::custom)
            }
        }
        deserializer.deserialize_bytes(Gaps)
    }
}

/// A position in a [`Postings`], moving only downwards.
pub struct Cursor<'a> {
    list: &'a Postings,
    /// (chunk, index in chunk) of the current key; None before the start or after the end.
    pos: Option<(usize, usize)>,
    started: bool,
}

impl Cursor<'_> {
    fn at(&self, (ci, p): (usize, usize)) -> u64 {
        self.list.chunks[ci].get(p)
    }

    /// Moves to the largest key that is at most `k` (never upwards), and returns it;
    /// None when there is none.
    pub fn seek(&mut self, k: u64) -> Option<u64> {
        let chunks = &self.list.chunks;
        match (self.started, self.pos) {
            (true, None) => return None,
            (true, Some(pos)) if self.at(pos) <= k => return Some(self.at(pos)),
            (true, Some((ci, p))) if chunks[ci].first <= k => {
                // Within the current chunk, below the current key.
                let i = chunks[ci].count_le(k, p);
                self.pos = Some((ci, i - 1));
                return Some(chunks[ci].get(i - 1));
            }
            _ => {}
        }
        // Before the current chunk (or anywhere, on the first seek). Chunks that end
        // at or below `k` are wholly below it; the next one may start below it too.
        let limit = match (self.started, self.pos) {
            (true, Some((ci, _))) => ci,
            _ => chunks.len(),
        };
        self.started = true;
        let below = self.list.lasts[..limit].partition_point(|&last| last <= k);
        if below < limit && chunks[below].first <= k {
            let chunk = &chunks[below];
            let i = chunk.count_le(k, chunk.len());
            self.pos = Some((below, i - 1));
            return Some(chunk.get(i - 1));
        }
        if below == 0 {
            self.pos = None;
            return None;
        }
        let ci = below - 1;
        let p = chunks[ci].len() - 1;
        self.pos = Some((ci, p));
        Some(chunks[ci].get(p))
    }
}

/// A union of posting sets, walked as one set: each seek moves every member down
/// and answers the largest key found. A query word widened to its stem, synonyms,
/// typos and fields is one union.
pub struct UnionCursor<'a> {
    members: Vec<Cursor<'a>>,
    /// The sum of the members' sizes: a bound on the union's, to order the join.
    len: usize,
}

impl<'a> UnionCursor<'a> {
    pub fn new(lists: &[&'a Postings]) -> UnionCursor<'a> {
        UnionCursor { members: lists.iter().map(|l| l.cursor()).collect(), len: lists.iter().map(|l| l.len()).sum() }
    }

    /// Moves to the largest key of the union that is at most `k`.
    pub fn seek(&mut self, k: u64) -> Option<u64> {
        // One member needs no comparing: the common case of a plain filter term.
        if let [only] = self.members.as_mut_slice() {
            return only.seek(k);
        }
        self.members.iter_mut().filter_map(|c| c.seek(k)).max()
    }
}

/// Calls `visit` with every key that is in all of `lists`, largest first, starting
/// below `before` (exclusive) when given, until `visit` returns false.
pub fn intersect_desc(lists: &[&Postings], before: Option<u64>, visit: impl FnMut(u64) -> bool) {
    let unions: Vec<Vec<&Postings>> = lists.iter().map(|l| vec![*l]).collect();
    intersect_unions_desc(&unions, before, visit)
}

/// Calls `visit` with every key that is in each of `unions` (in at least one set of
/// every union), largest first, below `before` when given, until `visit` returns false.
///
/// A leapfrog join: the smallest union proposes a candidate, each other seeks to it;
/// one that lands lower proposes the new candidate. Every seek moves down.
pub fn intersect_unions_desc(unions: &[Vec<&Postings>], before: Option<u64>, mut visit: impl FnMut(u64) -> bool) {
    if unions.is_empty() || unions.iter().any(|u| u.iter().all(|l| l.is_empty())) {
        return;
    }
    let mut target = match before {
        Some(0) => return,
        Some(b) => b - 1,
        None => u64::MAX,
    };
    let mut cursors: Vec<UnionCursor<'_>> = unions.iter().map(|u| UnionCursor::new(u)).collect();
    cursors.sort_by_key(|c| c.len);
    loop {
        let Some(mut candidate) = cursors[0].seek(target) else { return };
        let mut i = 1;
        while i < cursors.len() {
            let Some(found) = cursors[i].seek(candidate) else { return };
            if found == candidate {
                i += 1;
            } else {
                let Some(next) = cursors[0].seek(found) else { return };
                candidate = next;
                i = 1;
            }
        }
        if !visit(candidate) || candidate == 0 {
            return;
        }
        target = candidate - 1;
    }
}

/// Terms → posting sets, for one family of entities, and the family's dictionary:
/// every word its text fields hold, by stem and in order, for widening a query word.
#[derive(Default)]
pub struct Index {
    terms: HashMap<Term, Postings>,
    /// Text words apart, so that one lookup by `&str` finds a word in every field.
    text: HashMap<Box<str>, Vec<(Field, Postings)>>,
    /// The same words in order: for prefixes, and for typos (same first letter).
    sorted: BTreeSet<Box<str>>,
    /// Stem → the words with that stem.
    stems: HashMap<Box<str>, Vec<Box<str>>>,
}

impl fmt::Debug for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Index").field("terms", &self.terms.len()).field("words", &self.text.len()).finish()
    }
}

/// An index is written as its posting sets; the dictionary's orders (words sorted,
/// by stem) are rebuilt from the words when it is read.
impl Serialize for Index {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (&self.terms, &self.text).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Index {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Index, D::Error> {
        type Parts = (HashMap<Term, Postings>, HashMap<Box<str>, Vec<(Field, Postings)>>);
        let (terms, text) = Parts::deserialize(deserializer)?;
        let mut stems: HashMap<Box<str>, Vec<Box<str>>> = HashMap::default();
        for word in text.keys() {
            stems.entry(stem(word).into()).or_default().push(word.clone());
        }
        let sorted = text.keys().cloned().collect();
        Ok(Index { terms, text, sorted, stems })
    }
}

impl Index {
    /// Adds the entity labelled `label` ([`crate::view::docs`]) to `term`'s set.
    pub fn add(&mut self, term: Term, label: u64) {
        let Term::Text(field, word) = term else {
            self.terms.entry(term).or_default().insert(label);
            return;
        };
        let fields = match self.text.get_mut(&*word) {
            Some(fields) => fields,
            None => {
                self.sorted.insert(word.clone());
                self.stems.entry(stem(&word).into()).or_default().push(word.clone());
                self.text.entry(word).or_default()
            }
        };
        match fields.iter_mut().find(|(f, _)| *f == field) {
            Some((_, list)) => {
                list.insert(label);
            }
            None => {
                let mut list = Postings::default();
                list.insert(label);
                fields.push((field, list));
            }
        }
    }

    /// Removes `label` from `term`'s set, and the term itself once nothing has it,
    /// so that words of withdrawn listings do not linger.
    pub fn remove(&mut self, term: &Term, label: u64) {
        let Term::Text(field, word) = term else {
            if let Some(list) = self.terms.get_mut(term) {
                list.remove(label);
                if list.is_empty() {
                    self.terms.remove(term);
                }
            }
            return;
        };
        let Some(fields) = self.text.get_mut(&**word) else { return };
        let Some(i) = fields.iter().position(|(f, _)| f == field) else { return };
        fields[i].1.remove(label);
        if !fields[i].1.is_empty() {
            return;
        }
        fields.swap_remove(i);
        if !fields.is_empty() {
            return;
        }
        self.text.remove(&**word);
        self.sorted.remove(&**word);
        let s = stem(word);
        if let Some(same) = self.stems.get_mut(s.as_ref()) {
            same.retain(|w| w != word);
            if same.is_empty() {
                self.stems.remove(s.as_ref());
            }
        }
    }

    /// Removes `keys` from every posting set, in one pass over them all: for
    /// entities whose terms are not known (their bodies are elsewhere, and already
    /// changed). Terms and words nothing has any more go too.
    pub fn remove_keys(&mut self, keys: &foldhash::HashSet<u64>) {
        if keys.is_empty() {
            return;
        }
        for list in self.terms.values_mut() {
            list.retain(|k| !keys.contains(&k));
        }
        self.terms.retain(|_, list| !list.is_empty());
        let mut gone = Vec::new();
        for (word, fields) in &mut self.text {
            for (_, list) in fields.iter_mut() {
                list.retain(|k| !keys.contains(&k));
            }
            fields.retain(|(_, list)| !list.is_empty());
            if fields.is_empty() {
                gone.push(word.clone());
            }
        }
        for word in gone {
            self.text.remove(&word);
            self.sorted.remove(&word);
            let s = stem(&word);
            if let Some(same) = self.stems.get_mut(s.as_ref()) {
                same.retain(|w| *w != word);
                if same.is_empty() {
                    self.stems.remove(s.as_ref());
                }
            }
        }
    }

    /// Gives the keys from `lo` to `hi` new values ([`Postings::remap`]) in every
    /// posting set.
    pub fn remap(&mut self, lo: u64, hi: u64, to: impl Fn(u64) -> u64) {
        for list in self.terms.values_mut() {
            list.remap(lo, hi, &to);
        }
        for fields in self.text.values_mut() {
            for (_, list) in fields.iter_mut() {
                list.remap(lo, hi, &to);
            }
        }
    }

    pub fn get(&self, term: &Term) -> Option<&Postings> {
        match term {
            Term::Text(field, word) => self.text_postings(word, *field),
            _ => self.terms.get(term),
        }
    }

    /// The entities that have `word` in `field`.
    pub fn text_postings(&self, word: &str, field: Field) -> Option<&Postings> {
        self.text.get(word)?.iter().find(|(f, _)| *f == field).map(|(_, list)| list)
    }

    /// How many (entity, field) pairs hold `word`: how common it is.
    pub fn frequency(&self, word: &str) -> usize {
        self.text.get(word).map_or(0, |fields| fields.iter().map(|(_, l)| l.len()).sum())
    }

    /// The words whose stem is `stem`.
    pub fn words_with_stem(&self, stem: &str) -> &[Box<str>] {
        self.stems.get(stem).map_or(&[], Vec::as_slice)
    }

    /// The words that start with `prefix`, in order.
    pub fn words_with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.sorted
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
            .map(|w| &**w)
            .take_while(move |w| w.starts_with(prefix))
    }

    /// How many distinct words the text fields hold.
    pub fn word_count(&self) -> usize {
        self.text.len()
    }

    /// How many entities have `term`.
    pub fn count(&self, term: &Term) -> usize {
        self.get(term).map_or(0, Postings::len)
    }

    /// The labels that have every one of `terms`, largest first, below `before`;
    /// calls `visit` until it returns false. A term that nothing has matches nothing.
    pub fn search(&self, terms: &[Term], before: Option<u64>, visit: impl FnMut(u64) -> bool) {
        let mut lists = Vec::with_capacity(terms.len());
        for term in terms {
            match self.get(term) {
                Some(list) => lists.push(list),
                None => return,
            }
        }
        intersect_desc(&lists, before, visit);
    }
}

#[cfg(test)]
mod tests;
