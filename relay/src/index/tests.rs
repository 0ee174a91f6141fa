//! Tests of the posting sets, the join and the dictionary.

use super::*;
use std::collections::BTreeSet;

fn set(keys: impl IntoIterator<Item = u64>) -> Postings {
    let mut p = Postings::default();
    for k in keys {
        p.insert(k);
    }
    p
}

fn all(lists: &[&Postings], before: Option<u64>) -> Vec<u64> {
    let mut out = vec![];
    intersect_desc(lists, before, |k| {
        out.push(k);
        true
    });
    out
}

/// A small deterministic generator, so that the tests need no dependency.
fn lcg(seed: &mut u64) -> u64 {
    *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    *seed >> 33
}

#[test]
fn postings_stay_sorted_through_splits_and_removals() {
    let mut seed = 7;
    let mut p = Postings::default();
    let mut model = BTreeSet::new();
    for _ in 0..20_000 {
        let k = lcg(&mut seed) % 5_000;
        if lcg(&mut seed).is_multiple_of(3) {
            assert_eq!(p.remove(k), model.remove(&k), "remove {k}");
        } else {
            assert_eq!(p.insert(k), model.insert(k), "insert {k}");
        }
        assert_eq!(p.len(), model.len());
    }
    assert!(p.chunks.len() > 1, "the test should exercise several chunks");
    assert!(p.chunks.iter().all(|c| c.len() > 0 && c.len() <= CHUNK));
    let lasts: Vec<u64> = p.chunks.iter().map(Chunk::last).collect();
    assert_eq!(p.lasts, lasts);
    let got: Vec<u64> = p.iter_desc().collect();
    let want: Vec<u64> = model.iter().rev().copied().collect();
    assert_eq!(got, want);
    for k in 0..5_000 {
        assert_eq!(p.contains(k), model.contains(&k));
    }
}

#[test]
fn chunks_pack_keys_of_any_spread_and_read_each_back() {
    let mut seed = 9;
    let spread: Vec<u64> = (0..=CHUNK as u64).map(|i| i * (u64::MAX / (CHUNK as u64 + 1))).collect();
    let mut random: Vec<u64> = (0..300).map(|_| lcg(&mut seed) << 31 ^ lcg(&mut seed)).collect();
    random.sort_unstable();
    random.dedup();
    for keys in [vec![5], vec![0, 1], vec![0, u64::MAX], vec![1, 1 << 63, u64::MAX], spread, random] {
        let chunk = Chunk::pack(&keys);
        assert_eq!(chunk.keys().collect::<Vec<_>>(), keys);
        assert_eq!(chunk.last(), keys[keys.len() - 1]);
        for (i, &k) in keys.iter().enumerate() {
            assert_eq!(chunk.search(k), Ok(i));
            assert_eq!(chunk.count_le(k, keys.len()), i + 1);
        }
        // Grown one key at a time, through every width on the way.
        let mut grown = Chunk::one(keys[0]);
        for &k in &keys[1..] {
            grown.push(k);
        }
        assert_eq!(grown.keys().collect::<Vec<_>>(), keys);
        assert_eq!(grown.width, chunk.width);
    }
}

#[test]
fn keys_go_into_a_chunk_in_place_when_they_fit_its_width() {
    for width in [1u8, 5, 13, 31, 63, 64] {
        let span = mask(width);
        let mut seed = u64::from(width);
        // A first key, the widest offset, and keys between them put in any order.
        let mut model = BTreeSet::from([0, span]);
        let mut chunk = Chunk::pack(&[0, span]);
        assert_eq!(chunk.width, width);
        while chunk.len() < CHUNK {
            let k = if width < 10 {
                1 + lcg(&mut seed) % span.max(1)
            } else {
                1 + (lcg(&mut seed) << 31 ^ lcg(&mut seed)) % span
            };
            if k >= span || !model.insert(k) {
                if model.len() as u64 >= span {
                    break;
                }
                continue;
            }
            let Err(pos) = chunk.search(k) else { panic!("{k} is new") };
            assert!(chunk.insert_in_place(pos, k), "width {width}: {k} fits");
            assert!(chunk.keys().eq(model.iter().copied()), "width {width} after {k}");
        }
        assert_eq!(chunk.width, width, "never repacked");
    }
    // What does not fit is refused and changes nothing.
    let mut chunk = Chunk::pack(&[100, 107]);
    assert!(!chunk.insert_in_place(0, 50), "below the first key");
    assert!(!chunk.insert_in_place(2, 200), "too wide");
    assert!(chunk.keys().eq([100, 107]));
    let mut full = Chunk::pack(&(0..CHUNK as u64).map(|i| i * 4).collect::<Vec<_>>());
    assert!(!full.insert_in_place(1, 1), "full");
}

#[test]
fn postings_of_keys_anywhere_in_u64_match_a_model() {
    let mut seed = 13;
    let mut p = Postings::default();
    let mut model = BTreeSet::new();
    let pool: Vec<u64> = (0..3_000).map(|_| lcg(&mut seed) << 33 ^ lcg(&mut seed) << 2).chain([0, u64::MAX]).collect();
    for round in 0..30_000 {
        let k = pool[lcg(&mut seed) as usize % pool.len()];
        if round % 3 == 0 {
            assert_eq!(p.remove(k), model.remove(&k), "remove {k}");
        } else {
            assert_eq!(p.insert(k), model.insert(k), "insert {k}");
        }
    }
    assert_eq!(p.iter().collect::<Vec<_>>(), model.iter().copied().collect::<Vec<_>>());
    assert_eq!(p.len(), model.len());
    let mut cursor = p.cursor();
    for &k in model.iter().rev().step_by(7) {
        assert_eq!(cursor.seek(k), Some(k));
    }
    p.retain(|k| k % 2 == 0);
    model.retain(|k| k % 2 == 0);
    assert_eq!(p.iter().collect::<Vec<_>>(), model.iter().copied().collect::<Vec<_>>());
    assert_eq!(p.len(), model.len());
}

#[test]
fn a_key_costs_its_span_in_bits_not_sixty_four() {
    // 100,000 entities created over two years, as their keys are made: the
    // creation time in ms above 16 random bits.
    let mut seed = 21;
    let two_years_ms = 2 * 365 * 86_400_000u64;
    let start = 1_700_000_000_000u64;
    let mut p = Postings::default();
    for i in 0..100_000u64 {
        p.insert(((start + i * two_years_ms / 100_000) << 16) | (lcg(&mut seed) & 0xffff));
    }
    let per_key = p.heap_bytes() as f64 / p.len() as f64;
    assert!(per_key < 6.0, "{per_key:.2} bytes a key");
    let read: Postings = postcard::from_bytes(&postcard::to_stdvec(&p).unwrap()).unwrap();
    assert!(read.heap_bytes() <= p.heap_bytes());
    assert!(read.iter().eq(p.iter()));
}

#[test]
fn postings_are_written_as_gaps_and_read_back_in_full_chunks() {
    let mut seed = 3;
    let keys: Vec<u64> = (0..3_000).map(|i| (1 << 57) + i * 1_000 + lcg(&mut seed) % 1_000).collect();
    let mut shuffled = set(keys.iter().rev().copied());
    shuffled.remove(keys[10]);
    let bytes = postcard::to_stdvec(&shuffled).unwrap();
    // Gaps of under 2^11 take 2 bytes where a whole key would take 8.
    assert!(bytes.len() < 3 * keys.len(), "{} bytes", bytes.len());
    let read: Postings = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(read.iter_desc().collect::<Vec<_>>(), shuffled.iter_desc().collect::<Vec<_>>());
    assert_eq!(read.len(), keys.len() - 1);
    assert!(read.chunks.iter().rev().skip(1).all(|c| c.len() == CHUNK));
    // A repeated key (a gap of 0 after the first), a size larger than the keys
    // given, or bytes left over are refused.
    for bad in [&[2u8, 5, 0][..], &[3, 5, 1], &[1, 5, 1], &[1, 0xff]] {
        let bytes = postcard::to_stdvec(&serde_bytes::Bytes::new(bad)).unwrap();
        assert!(postcard::from_bytes::<Postings>(&bytes).is_err(), "{bad:?}");
    }
    let empty: Postings = postcard::from_bytes(&postcard::to_stdvec(&Postings::default()).unwrap()).unwrap();
    assert!(empty.is_empty() && empty.chunks.is_empty());
}

#[test]
fn appended_and_shuffled_sets_seek_alike() {
    let mut seed = 11;
    let keys: Vec<u64> = (0..4_000).map(|i| i * 5 + lcg(&mut seed) % 5).collect();
    let appended = set(keys.iter().copied());
    let mut shuffled_keys = keys.clone();
    for i in (1..shuffled_keys.len()).rev() {
        shuffled_keys.swap(i, (lcg(&mut seed) as usize) % (i + 1));
    }
    let shuffled = set(shuffled_keys);
    // Appending fills chunks; inserting anywhere splits them.
    assert!(appended.chunks.iter().rev().skip(1).all(|c| c.len() == CHUNK));
    assert!(shuffled.chunks.len() > appended.chunks.len());
    let model: BTreeSet<u64> = keys.into_iter().collect();
    for list in [&appended, &shuffled] {
        let mut cursor = list.cursor();
        let mut target = 25_000;
        while let Some(found) = cursor.seek(target) {
            assert_eq!(Some(&found), model.range(..=target).next_back(), "seek {target}");
            if found < 40 {
                break;
            }
            target = found - 1 - lcg(&mut seed) % 40;
        }
    }
}

#[test]
fn cursor_seeks_only_downwards() {
    let p = set((0..2_000).map(|k| k * 3));
    let mut c = p.cursor();
    assert_eq!(c.seek(u64::MAX), Some(5_997));
    assert_eq!(c.seek(4_000), Some(3_999));
    // Asking for more than the current key stays put.
    assert_eq!(c.seek(5_000), Some(3_999));
    assert_eq!(c.seek(1), Some(0));
    assert_eq!(c.seek(0), Some(0));
    let empty_below = set([10, 20]);
    let mut c = empty_below.cursor();
    assert_eq!(c.seek(9), None);
    assert_eq!(c.seek(100), None);
}

#[test]
fn intersection_matches_a_naive_one() {
    let mut seed = 42;
    for round in 0..50 {
        let n = 1 + round % 4;
        let models: Vec<BTreeSet<u64>> = (0..n)
            .map(|i| {
                let density = 2 + (i as u64 + round as u64) % 5;
                (0..3_000).filter(|_| lcg(&mut seed).is_multiple_of(density)).collect()
            })
            .collect();
        let lists: Vec<Postings> = models.iter().map(|m| set(m.iter().copied())).collect();
        let refs: Vec<&Postings> = lists.iter().collect();
        let want: Vec<u64> = models[0].iter().rev().filter(|k| models.iter().all(|m| m.contains(k))).copied().collect();
        assert_eq!(all(&refs, None), want, "round {round}");
        // Starting below a key continues exactly after it.
        if want.len() > 3 {
            assert_eq!(all(&refs, Some(want[2])), want[3..].to_vec());
        }
    }
}

#[test]
fn intersection_stops_when_asked() {
    let a = set(0..1_000);
    let b = set((0..1_000).filter(|k| k % 2 == 0));
    let mut seen = vec![];
    intersect_desc(&[&a, &b], None, |k| {
        seen.push(k);
        seen.len() < 3
    });
    assert_eq!(seen, [998, 996, 994]);
    assert!(all(&[&a, &Postings::default()], None).is_empty());
    assert!(all(&[&a], Some(0)).is_empty());
}

#[test]
fn index_forgets_terms_nothing_has() {
    let mut index = Index::default();
    let word = Term::Text(Field::Title, "garden".into());
    index.add(word.clone(), 1);
    index.add(word.clone(), 2);
    index.add(Term::Remote, 2);
    let mut hits = vec![];
    index.search(&[word.clone(), Term::Remote], None, |k| {
        hits.push(k);
        true
    });
    assert_eq!(hits, [2]);
    index.remove(&word, 1);
    index.remove(&word, 2);
    assert!(index.get(&word).is_none());
    assert_eq!(index.count(&Term::Remote), 1);
    assert_eq!(index.word_count(), 0);
    assert!(index.words_with_stem("garden").is_empty());
    assert_eq!(index.words_with_prefix("gar").count(), 0);
    // An unknown term matches nothing rather than everything.
    let mut any = false;
    index.search(&[Term::Text(Field::Title, "nothing".into())], None, |_| {
        any = true;
        true
    });
    assert!(!any);
}

#[test]
fn the_dictionary_follows_the_words_held() {
    let mut index = Index::default();
    for (field, word, key) in [
        (Field::Title, "gardening", 1),
        (Field::Description, "gardening", 2),
        (Field::Description, "gardener", 3),
        (Field::Title, "garage", 4),
        (Field::Title, "guard", 5),
    ] {
        index.add(Term::Text(field, word.into()), key);
    }
    let mut same: Vec<&str> = index.words_with_stem("garden").iter().map(|w| &**w).collect();
    same.sort();
    assert_eq!(same, ["gardener", "gardening"]);
    assert_eq!(index.words_with_prefix("gard").collect::<Vec<_>>(), ["gardener", "gardening"]);
    assert_eq!(index.frequency("gardening"), 2);
    // A word leaves the dictionary only when no field holds it any more.
    index.remove(&Term::Text(Field::Title, "gardening".into()), 1);
    assert_eq!(index.frequency("gardening"), 1);
    index.remove(&Term::Text(Field::Description, "gardening".into()), 2);
    assert_eq!(index.words_with_prefix("gard").collect::<Vec<_>>(), ["gardener"]);
    assert_eq!(index.words_with_stem("garden").len(), 1);
    assert_eq!(index.word_count(), 3);
}

#[test]
fn unions_join_like_a_naive_union_and_intersection() {
    let mut seed = 5;
    for round in 0..30 {
        let models: Vec<Vec<BTreeSet<u64>>> = (0..1 + round % 3)
            .map(|_| {
                (0..1 + round % 4).map(|_| (0..2_000).filter(|_| lcg(&mut seed).is_multiple_of(7)).collect()).collect()
            })
            .collect();
        let lists: Vec<Vec<Postings>> =
            models.iter().map(|u| u.iter().map(|m| set(m.iter().copied())).collect()).collect();
        let unions: Vec<Vec<&Postings>> = lists.iter().map(|u| u.iter().collect()).collect();
        let flat: Vec<BTreeSet<u64>> = models.iter().map(|u| u.iter().flatten().copied().collect()).collect();
        let want: Vec<u64> = flat[0].iter().rev().filter(|k| flat.iter().all(|m| m.contains(k))).copied().collect();
        let mut got = vec![];
        intersect_unions_desc(&unions, None, |k| {
            got.push(k);
            true
        });
        assert_eq!(got, want, "round {round}");
    }
}

#[test]
fn doc_keys_follow_ulid_order_and_probe_downwards() {
    let a = Ulid::from_parts(1_000, 5);
    let b = Ulid::from_parts(2_000, 5);
    assert!(DocKey::of(a) < DocKey::of(b));
    let taken = DocKey::of(b);
    assert_eq!(DocKey::probe(b, i64::MAX, |k| k == taken), DocKey(taken.0 - 1));
    // An id dated ahead of when the entity arrived ranks as of its arrival.
    let ahead = Ulid::from_parts(10_000, 7);
    assert_eq!(DocKey::at(ahead, 4_000).0 >> 16, 4_000);
    assert_eq!(DocKey::at(ahead, 20_000), DocKey::of(ahead), "an honest id is its own key");
    let k = DocKey(0x0123_4567_89ab_cdef);
    assert_eq!(DocKey::from_token(&k.token()), Some(k));
    assert_eq!(DocKey::from_token("nope"), None);
    assert_eq!(DocKey::from_token("zzzzzzzzzzzzzzzz"), None);
}
