//! Search: a person's words, widened to what they mean, walked through a family's
//! [`Index`] in order of relevance.
//!
//! # Matching
//!
//! Every word of a query (stop words aside, [`TextQuery::parse`]) must match, in
//! some text field. A word matches, in three classes:
//!
//! 0. **exactly**, after folding (`Café` = `cafe`);
//! 1. **near**: a word with the same stem (`gardener` → `gardening`), a synonym
//!    ([`Synonyms`]) or a word with the same stem as a synonym (`bicycle` → `bikes`),
//!    or, for the last word of a query still being typed (two letters or more), a
//!    word it begins (`gard` → `garden`);
//! 2. **with typos**: a word of the region within [`typos_allowed`] edits, its first
//!    letter right (Meilisearch's rule, where a wrong first letter costs two);
//! 3. **corrected**: within those edits of a word of the synonym lists (a vocabulary
//!    of the field), then widened by stem and synonyms: "gardner" finds "gardening"
//!    in a region where nobody wrote "gardener".
//!
//! Widening is planned once per query against the words the family holds
//! ([`plan`]), so its cost follows the dictionary's size near the word, not the
//! region's size; prefixes and typos are capped at the most common candidates.
//!
//! # Ranking
//!
//! Results come in tiers, best first: by the worst class any word needed, then by the
//! last field any word needed (all in the title, then title and skills, then the
//! description, then the area, kind and sector); within a tier, newest first. A tier
//! is a join of unions walked newest first with early stop, minus the better tiers
//! (a membership check), so a page costs what it returns, as before ranking.
//! Page positions carry their tier, so paging is stable and needs no state.

use std::collections::HashSet;
use std::time::Instant;

use kith_proto::validate::ValidationError;

use crate::index::{DocKey, Field, Index, Postings, Term, intersect_unions_desc};
use crate::synonyms::Synonyms;
use kith_text::{MAX_FUZZY_LEN, is_stop_word, stem, typos_allowed, within_edits, words};

/// The classes of a match: exact, near (stem, synonym, prefix), with typos, and
/// corrected against the synonym lists' vocabulary then widened.
pub const CLASSES: usize = 4;
/// One tier per (class, field).
pub const TIERS: u8 = (CLASSES * Field::ALL.len()) as u8;
/// The most words a query may have.
pub const MAX_QUERY_WORDS: usize = 16;
/// The most words a prefix or a typo widens a query word to: the most common ones.
pub const MAX_PREFIX_WORDS: usize = 64;
pub const MAX_TYPO_WORDS: usize = 32;

/// The order of results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first, ties newest first. Without query words, newest first.
    #[default]
    Relevance,
    /// Newest first, whatever the match.
    Newest,
}

impl Sort {
    /// Parses `relevance` or `newest`; empty means relevance.
    pub fn parse(field: &str, value: &str) -> Result<Sort, ValidationError> {
        match value.trim() {
            "" | "relevance" => Ok(Sort::Relevance),
            "newest" => Ok(Sort::Newest),
            other => {
                Err(ValidationError::new(field, format!("unknown value {other:?}; expected one of: relevance, newest")))
            }
        }
    }

    /// Whether results of `text` in this order come by relevance (and page tokens
    /// carry a tier): only when there are words to rank by.
    pub fn ranks(self, text: &TextQuery) -> bool {
        self == Sort::Relevance && !text.is_empty()
    }
}

/// What a person typed, as words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextQuery {
    /// Folded, stop words left out (unless nothing else is left).
    pub words: Vec<String>,
    /// The last word may still be being typed: it also matches as a prefix.
    pub prefix_last: bool,
}

impl TextQuery {
    /// Analyses a query. Err with the number of words when there are too many.
    pub fn parse(text: &str) -> Result<TextQuery, usize> {
        let all: Vec<String> = words(text).collect();
        if all.len() > MAX_QUERY_WORDS {
            return Err(all.len());
        }
        let kept: Vec<String> = all.iter().filter(|w| !is_stop_word(w)).cloned().collect();
        let last_kept = all.last().is_some_and(|w| !is_stop_word(w));
        // Search as you type: the last word is still being typed unless a space or
        // a mark follows it (or it was left out).
        let prefix_last = text.chars().last().is_some_and(char::is_alphanumeric) && (last_kept || kept.is_empty());
        let words = if kept.is_empty() { all } else { kept };
        Ok(TextQuery { words, prefix_last })
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// One query word and the words it matches, by class.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WordPlan {
    pub word: String,
    pub classes: [Vec<Box<str>>; CLASSES],
}

/// Widens each query word against the words `index` holds.
pub fn plan(q: &TextQuery, index: &Index, synonyms: &Synonyms) -> Vec<WordPlan> {
    q.words
        .iter()
        .enumerate()
        .map(|(i, w)| plan_word(w, q.prefix_last && i + 1 == q.words.len(), index, synonyms))
        .collect()
}

fn plan_word(word: &str, prefix: bool, index: &Index, synonyms: &Synonyms) -> WordPlan {
    let mut seen: HashSet<Box<str>> = HashSet::from([Box::from(word)]);
    let mut near: Vec<Box<str>> = Vec::new();
    let mut take = |w: &str, near: &mut Vec<Box<str>>| {
        if seen.insert(w.into()) {
            near.push(w.into());
        }
    };
    for w in index.words_with_stem(&stem(word)) {
        take(w, &mut near);
    }
    for syn in synonyms.of(word) {
        take(syn, &mut near);
        for w in index.words_with_stem(&stem(syn)) {
            take(w, &mut near);
        }
    }
    let known: HashSet<Box<str>> = near.iter().cloned().chain([Box::from(word)]).collect();
    // One letter says too little to widen by: from the second, a word being typed
    // matches the words it begins.
    if prefix && word.chars().nth(1).is_some() {
        let mut completions: Vec<&str> = index.words_with_prefix(word).filter(|w| !known.contains(*w)).collect();
        most_common(&mut completions, index, MAX_PREFIX_WORDS);
        near.extend(completions.into_iter().map(Box::from));
    }
    let known: HashSet<&str> = known.iter().map(|w| &**w).chain(near.iter().map(|w| &**w)).collect();
    let mut typos: Vec<&str> = Vec::new();
    let mut corrected: Vec<&str> = Vec::new();
    let k = typos_allowed(word);
    let q: Vec<char> = word.chars().collect();
    if k > 0 && q.len() <= MAX_FUZZY_LEN {
        let first = &word[..q[0].len_utf8()];
        let ascii = word.is_ascii();
        for cand in index.words_with_prefix(first) {
            // Most of the dictionary is ruled out by length alone, before any table.
            if ascii && cand.is_ascii() && cand.len().abs_diff(word.len()) > k {
                continue;
            }
            if !known.contains(cand) && near_enough(&q, cand, k) {
                typos.push(cand);
            }
        }
        // A misspelling of a word the region holds only in other forms: corrected
        // against the synonym lists' vocabulary, then widened by stem and synonyms.
        for cand in synonyms.words_with_prefix(first) {
            if ascii && cand.is_ascii() && cand.len().abs_diff(word.len()) > k {
                continue;
            }
            if !known.contains(cand) && near_enough(&q, cand, k) {
                let widened = std::iter::once(cand).chain(synonyms.of(cand));
                for w in widened.flat_map(|w| index.words_with_stem(&stem(w))) {
                    if !known.contains(&**w) && !typos.contains(&&**w) && !corrected.contains(&&**w) {
                        corrected.push(w);
                    }
                }
            }
        }
        most_common(&mut typos, index, MAX_TYPO_WORDS);
        most_common(&mut corrected, index, MAX_TYPO_WORDS);
    }
    let boxed = |words: Vec<&str>| words.into_iter().map(Box::from).collect();
    WordPlan { word: word.to_owned(), classes: [vec![word.into()], near, boxed(typos), boxed(corrected)] }
}

/// Keeps the `n` most common of `words` (ties in word order).
fn most_common(words: &mut Vec<&str>, index: &Index, n: usize) {
    if words.len() > n {
        words.sort_by_cached_key(|w| std::cmp::Reverse(index.frequency(w)));
        words.truncate(n);
    }
}

fn near_enough(q: &[char], cand: &str, k: usize) -> bool {
    let mut buf = ['\0'; MAX_FUZZY_LEN + 2];
    let mut n = 0;
    for c in cand.chars() {
        if n == buf.len() {
            return false;
        }
        buf[n] = c;
        n += 1;
    }
    within_edits(q, &buf[..n], k)
}

/// Where a page ended: the tier and the key of its last entity, and in a search by
/// distance, the district it was in beyond the area ([`crate::view::family::Near`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub tier: u8,
    pub key: DocKey,
    pub ring: Option<Ring>,
}

/// A district of a search by distance, in the order it is walked: nearest first,
/// ties by the district's number; [`Ring::REST`] (what has no place) last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ring {
    pub distance_m: u32,
    pub district: u16,
}

impl Ring {
    /// After every district: the listings with no place.
    pub const REST: Ring = Ring { distance_m: u32::MAX, district: u16::MAX };
}

impl Position {
    /// The position of `key` in tier `tier`, in no district.
    pub fn at(tier: u8, key: DocKey) -> Position {
        Position { tier, key, ring: None }
    }

    /// The page token. Ranked tokens carry the tier (`r` + two digits + the key);
    /// newest-first ones are the key alone, as before ranking existed. One beyond
    /// the area of a search by distance starts with its district (`n` + distance
    /// and district in hex).
    pub fn token(self, ranked: bool) -> String {
        let inner = if ranked { format!("r{:02}{}", self.tier, self.key.token()) } else { self.key.token() };
        match self.ring {
            Some(r) => format!("n{:08x}{:04x}{inner}", r.distance_m, r.district),
            None => inner,
        }
    }

    /// Reads a token made by [`Position::token`] for the same kind of order (and a
    /// search by distance, `near`, or not).
    pub fn from_token(token: &str, ranked: bool, near: bool) -> Result<Position, String> {
        let token = token.trim();
        // Tokens are ASCII; anything else (which could cut a character in two below) is not one.
        if !token.is_ascii() {
            return Err(format!("must be a next_page_token from a previous page (got {token:?})"));
        }
        let another = || {
            format!(
                "is from a search in another order (sort, query or place changed); start again without a page token (got {token:?})"
            )
        };
        let (ring, inner) = match token.strip_prefix('n') {
            Some(rest) if rest.len() > 12 && rest.is_char_boundary(12) => {
                let ring = u32::from_str_radix(&rest[..8], 16)
                    .ok()
                    .zip(u16::from_str_radix(&rest[8..12], 16).ok())
                    .map(|(distance_m, district)| Ring { distance_m, district });
                match ring {
                    Some(r) if near => (Some(r), &rest[12..]),
                    Some(_) => return Err(another()),
                    None => return Err(format!("must be a next_page_token from a previous page (got {token:?})")),
                }
            }
            _ => (None, token),
        };
        let parsed = match (inner.strip_prefix('r'), inner.len()) {
            (Some(rest), 19) if rest.is_char_boundary(2) => rest[..2]
                .parse::<u8>()
                .ok()
                .filter(|&t| t < TIERS)
                .zip(DocKey::from_token(&rest[2..]))
                .map(|(tier, key)| (true, Position { tier, key, ring })),
            (None, 16) => DocKey::from_token(inner).map(|key| (false, Position { tier: 0, key, ring })),
            _ => None,
        };
        match parsed {
            Some((r, p)) if r == ranked => Ok(p),
            Some(_) => Err(another()),
            None => Err(format!("must be a next_page_token from a previous page (got {token:?})")),
        }
    }
}

/// A query ran past its deadline and was stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimedOut;

/// How many candidates a walk looks at between two looks at the clock.
const CLOCK_EVERY: u32 = 1024;

/// What to walk: filter terms that must all hold, and the query's words.
pub struct Walk<'a> {
    pub index: &'a Index,
    pub filters: &'a [Term],
    pub words: &'a [WordPlan],
    /// Ranked by relevance; otherwise newest first among everything that matches.
    pub ranked: bool,
    /// Stop with [`TimedOut`] after this instant.
    pub deadline: Option<Instant>,
}

impl Walk<'_> {
    /// Calls `visit(tier, label)` with matching entities, best first, starting
    /// after `after` (a tier and the label below which that tier goes on), until
    /// it returns false or the deadline passes.
    pub fn run(&self, after: Option<(u8, u64)>, mut visit: impl FnMut(u8, u64) -> bool) -> Result<(), TimedOut> {
        let mut looked = 0u32;
        let mut timed_out = false;
        // Called for every candidate: false stops the walk when time is up.
        let mut in_time = || {
            looked = looked.wrapping_add(1);
            if looked.is_multiple_of(CLOCK_EVERY) && self.deadline.is_some_and(|d| Instant::now() > d) {
                timed_out = true;
            }
            !timed_out
        };
        let mut filter_lists: Vec<Vec<&Postings>> = Vec::with_capacity(self.filters.len() + 1);
        for term in self.filters {
            match self.index.get(term) {
                Some(list) => filter_lists.push(vec![list]),
                None => return Ok(()),
            }
        }
        if self.words.is_empty() || !self.ranked {
            if filter_lists.is_empty() && self.words.is_empty() {
                match self.index.get(&Term::All) {
                    Some(list) => filter_lists.push(vec![list]),
                    None => return Ok(()),
                }
            }
            let mut unions = filter_lists;
            for w in self.words {
                match self.word_lists(w, CLASSES - 1, Field::Meta) {
                    Some(lists) => unions.push(lists),
                    None => return Ok(()),
                }
            }
            intersect_unions_desc(&unions, after.map(|p| p.1), |k| in_time() && visit(0, k));
            return if timed_out { Err(TimedOut) } else { Ok(()) };
        }
        let start = after.map_or(0, |p| p.0);
        for tier in start..TIERS {
            let class = usize::from(tier) / Field::ALL.len();
            let field = Field::ALL[usize::from(tier) % Field::ALL.len()];
            if class > 0 && self.words.iter().all(|w| w.classes[class].is_empty()) {
                // Nothing new at this class: every entity it has, a better tier had.
                continue;
            }
            let mut unions = filter_lists.clone();
            let mut adds_field = false;
            let mut empty = false;
            for w in self.words {
                match self.word_lists(w, class, field) {
                    Some(lists) => {
                        adds_field |=
                            w.classes[..=class].iter().flatten().any(|v| self.index.text_postings(v, field).is_some());
                        unions.push(lists);
                    }
                    None => empty = true,
                }
            }
            if empty || (field != Field::Title && !adds_field) {
                continue;
            }
            let before = after.filter(|p| p.0 == tier).map(|p| p.1);
            let mut go_on = true;
            intersect_unions_desc(&unions, before, |k| {
                if !in_time() {
                    go_on = false;
                    return false;
                }
                let better = (class > 0 && self.all_words_in(k, class - 1, Field::Meta))
                    || (field != Field::Title && self.all_words_in(k, class, Field::ALL[field as usize - 1]));
                if better {
                    return true;
                }
                go_on = visit(tier, k);
                go_on
            });
            if !go_on {
                break;
            }
        }
        if timed_out { Err(TimedOut) } else { Ok(()) }
    }

    /// The sets where `w` matches at `class` or better, in `field` or a better one;
    /// None when there are none.
    fn word_lists(&self, w: &WordPlan, class: usize, field: Field) -> Option<Vec<&Postings>> {
        let lists: Vec<&Postings> = w.classes[..=class]
            .iter()
            .flatten()
            .flat_map(|v| Field::ALL[..=field as usize].iter().filter_map(move |&f| self.index.text_postings(v, f)))
            .collect();
        (!lists.is_empty()).then_some(lists)
    }

    /// Whether every query word matches entity `k` at `class` or better, in `field`
    /// or a better one.
    fn all_words_in(&self, k: u64, class: usize, field: Field) -> bool {
        self.words.iter().all(|w| {
            w.classes[..=class].iter().flatten().any(|v| {
                Field::ALL[..=field as usize]
                    .iter()
                    .any(|&f| self.index.text_postings(v, f).is_some_and(|l| l.contains(k)))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(docs: &[(u64, Field, &str)]) -> Index {
        let mut index = Index::default();
        for &(key, field, text) in docs {
            index.add(Term::All, key);
            for w in words(text) {
                index.add(Term::Text(field, w.into()), key);
            }
        }
        index
    }

    fn run(index: &Index, query: &str, ranked: bool) -> Vec<(u8, u64)> {
        let q = TextQuery::parse(query).unwrap();
        let plans = plan(&q, index, &Synonyms::builtin());
        let mut out = vec![];
        Walk { index, filters: &[], words: &plans, ranked, deadline: None }
            .run(None, |t, k| {
                out.push((t, k));
                true
            })
            .unwrap();
        out
    }

    #[test]
    fn queries_drop_stop_words_and_know_when_a_word_is_being_typed() {
        let q = TextQuery::parse("Gardening jobs in Leeds").unwrap();
        assert_eq!(q.words, ["gardening", "jobs", "leeds"]);
        assert!(q.prefix_last);
        assert!(!TextQuery::parse("gardening ").unwrap().prefix_last);
        assert!(!TextQuery::parse("jobs in").unwrap().prefix_last, "a dropped stop word is not a prefix");
        assert_eq!(TextQuery::parse("the who").unwrap().words, ["the", "who"], "only stop words: keep them");
        assert_eq!(TextQuery::parse(&"word ".repeat(17)), Err(17));
    }

    #[test]
    fn widening_by_class() {
        let idx = index(&[
            (1, Field::Title, "Gardener"),
            (2, Field::Description, "gardening gardens garage guard"),
            (3, Field::Title, "Bike mechanic"),
        ]);
        let p = plan(&TextQuery::parse("gardner").unwrap(), &idx, &Synonyms::builtin());
        assert_eq!(p[0].classes[2], [Box::from("gardener")]);
        let p = plan(&TextQuery::parse("gardener ").unwrap(), &idx, &Synonyms::builtin());
        let near: Vec<&str> = p[0].classes[1].iter().map(|w| &**w).collect();
        assert!(near.contains(&"gardening") && near.contains(&"gardens"), "{near:?}");
        assert!(!near.contains(&"gardener"), "the word itself is exact, not near");
        let p = plan(&TextQuery::parse("bicycles").unwrap(), &idx, &Synonyms::builtin());
        assert!(p[0].classes[1].contains(&Box::from("bike")), "{p:?}");
        let p = plan(&TextQuery::parse("ga").unwrap(), &idx, &Synonyms::builtin());
        assert_eq!(p[0].classes[1].len(), 4, "{p:?}");
        // A misspelling of a word the region holds only in other forms is corrected
        // against the synonym lists' words, then widened by stem.
        let only_other_forms = index(&[(1, Field::Title, "Market garden"), (2, Field::Skills, "gardening")]);
        let p = plan(&TextQuery::parse("gardner").unwrap(), &only_other_forms, &Synonyms::builtin());
        let corrected: Vec<&str> = p[0].classes[3].iter().map(|w| &**w).collect();
        assert!(corrected.contains(&"garden") && corrected.contains(&"gardening"), "{p:?}");
        let p = plan(&TextQuery::parse("g").unwrap(), &idx, &Synonyms::builtin());
        assert!(p[0].classes[1].is_empty(), "one letter is not widened: {p:?}");
    }

    #[test]
    fn tiers_rank_exact_then_near_then_typos_then_by_field_then_newest() {
        let idx = index(&[
            (1, Field::Title, "Gardener"),
            (2, Field::Description, "a gardener needed"),
            (3, Field::Title, "Gardening club"),
            (4, Field::Title, "Garden"),
            (5, Field::Title, "Gardner"),
            (6, Field::Skills, "gardener"),
            (7, Field::Title, "Gardener wanted"),
        ]);
        let got = run(&idx, "gardener ", true);
        let keys: Vec<u64> = got.iter().map(|&(_, k)| k).collect();
        assert_eq!(keys, [7, 1, 6, 2, 4, 3, 5], "{got:?}");
        // Newest first, same matches.
        let keys: Vec<u64> = run(&idx, "gardener ", false).iter().map(|&(_, k)| k).collect();
        assert_eq!(keys, [7, 6, 5, 4, 3, 2, 1]);
    }

    #[test]
    fn every_word_must_match_somewhere() {
        let idx = index(&[(1, Field::Title, "Cafe assistant"), (2, Field::Meta, "leeds"), (2, Field::Title, "Café")]);
        assert_eq!(run(&idx, "café leeds", true), [(3, 2)]);
        assert!(run(&idx, "cafe astronaut", true).is_empty());
    }

    #[test]
    fn paging_resumes_inside_a_tier() {
        let docs: Vec<(u64, Field, &str)> =
            (1..=10).map(|k| (k, if k % 2 == 0 { Field::Title } else { Field::Description }, "bike")).collect();
        let idx = index(&docs);
        let all = run(&idx, "bike ", true);
        assert_eq!(all.iter().map(|&(_, k)| k).collect::<Vec<_>>(), [10, 8, 6, 4, 2, 9, 7, 5, 3, 1]);
        let plans = plan(&TextQuery::parse("bike ").unwrap(), &idx, &Synonyms::builtin());
        for cut in 0..all.len() - 1 {
            let after = Position::at(all[cut].0, DocKey(all[cut].1));
            let after = Position::from_token(&after.token(true), true, false).unwrap();
            let mut rest = vec![];
            Walk { index: &idx, filters: &[], words: &plans, ranked: true, deadline: None }
                // Labels are the keys here: the walk goes on below the page's last.
                .run(Some((after.tier, after.key.0)), |t, k| {
                    rest.push((t, k));
                    true
                })
                .unwrap();
            assert_eq!(rest, all[cut + 1..], "after {cut}");
        }
    }

    #[test]
    fn a_walk_past_its_deadline_stops() {
        let docs: Vec<(u64, Field, &str)> = (1..=5_000).map(|k| (k, Field::Title, "bike")).collect();
        let idx = index(&docs);
        let plans = plan(&TextQuery::parse("bike").unwrap(), &idx, &Synonyms::builtin());
        let past = Some(Instant::now() - std::time::Duration::from_millis(1));
        for ranked in [true, false] {
            let mut seen = 0;
            let walk = Walk { index: &idx, filters: &[], words: &plans, ranked, deadline: past };
            assert_eq!(
                walk.run(None, |_, _| {
                    seen += 1;
                    true
                }),
                Err(TimedOut)
            );
            assert!(seen < CLOCK_EVERY as usize, "{seen}");
        }
    }

    #[test]
    fn tokens_belong_to_their_order() {
        let p = Position::at(7, DocKey(42));
        assert_eq!(Position::from_token(&p.token(true), true, false), Ok(p));
        assert!(Position::from_token(&p.token(true), false, false).unwrap_err().contains("another order"));
        assert!(Position::from_token(&p.token(false), true, false).unwrap_err().contains("another order"));
        assert!(Position::from_token("r99000000000000002a", true, false).unwrap_err().contains("previous page"));
        assert!(Position::from_token("garbage", true, false).unwrap_err().contains("previous page"));
        // Beyond the area of a search by distance: the district too.
        for ring in [Ring { distance_m: 12_345, district: 2_000 }, Ring::REST] {
            let p = Position { ring: Some(ring), ..p };
            assert_eq!(Position::from_token(&p.token(true), true, true), Ok(p));
            assert_eq!(Position::from_token(&p.token(false), false, true).map(|q| q.ring), Ok(Some(ring)));
            assert!(Position::from_token(&p.token(true), true, false).unwrap_err().contains("another order"));
        }
        assert!(
            Position::from_token("nzzzzzzzz0000r07000000000000002a", true, true).unwrap_err().contains("previous page")
        );
        assert_eq!(Position::from_token(&p.token(true), true, true), Ok(p), "a token from the area goes on in it");
        assert_eq!(Sort::parse("sort", "").unwrap(), Sort::Relevance);
        assert!(Sort::parse("sort", "best").unwrap_err().to_string().contains("relevance, newest"));
    }
}
