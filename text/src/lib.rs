//! Text analysis for search: how a listing's text and a person's query become words
//! that can meet. The relay indexes listings and plans queries with it
//! (`kith_relay::index`, `search`, the HSDS API's text filters), and a hub's pool
//! matches a job's skills to its members' with the same words and [`synonyms`]; the
//! fuzz targets (`kith-fuzz-targets`) feed it arbitrary text. It knows nothing of
//! listings: words in, words out.
//!
//! Listings and queries go through the same steps, so that what a person types and
//! what a hub wrote are compared like with like:
//!
//! 1. Unicode word boundaries (UAX #29, `unicode-segmentation`): "peer-led" is two
//!    words, "LS6" and "12.50" are one.
//! 2. Folding: lowercase, compatibility decomposition with the accents dropped
//!    (`Café` = `cafe`), a few letters that do not decompose spelt out (`ß` = `ss`),
//!    apostrophes dropped (`women's` = `womens`).
//! 3. At query time only: English stop words are left out of a query that has other
//!    words, and each word is widened by its stem (Snowball English, the stemmer
//!    tantivy and Lucene use), its synonyms, a prefix for the last word, and words
//!    within a small edit distance ([`typos_allowed`], Meilisearch's rule). That
//!    widening is planned by the relay's search (`kith_relay::search`) against the
//!    words the region holds.

pub mod places;
pub mod synonyms;

use rust_stemmers::{Algorithm, Stemmer};
use std::borrow::Cow;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// The folded words of `text`, in order, repeats included.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.unicode_words().map(fold).filter(|w| !w.is_empty())
}

/// Lowercase, without accents or apostrophes; letters that do not decompose into a
/// base letter and an accent are spelt out as their usual Latin letters.
pub fn fold(word: &str) -> String {
    if word.is_ascii() {
        // The usual case: one allocation of exactly the word's length.
        if !word.contains('\'') {
            return word.to_ascii_lowercase();
        }
        return word.chars().filter(|&c| c != '\'').map(|c| c.to_ascii_lowercase()).collect();
    }
    let mut out = String::with_capacity(word.len());
    for c in word.nfkd() {
        match c {
            c if is_combining_mark(c) => {}
            '\'' | '\u{2019}' | '\u{02bc}' => {}
            'ß' | 'ẞ' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            'þ' | 'Þ' => out.push_str("th"),
            'ı' => out.push('i'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The English stem of a folded word: `gardener`, `gardening` and `gardens` all
/// give `garden`.
pub fn stem(word: &str) -> Cow<'_, str> {
    ENGLISH.stem(word)
}

/// Words so common in English that a query is better without them: "jobs in
/// leeds" asks for jobs and Leeds. Listings' descriptions are indexed without them
/// too; titles and skills keep them, so an exact title can still be found.
const STOP_WORDS: &[&str] = &[
    "a", "about", "am", "an", "and", "any", "are", "as", "at", "be", "by", "can", "do", "for", "from", "get", "have",
    "i", "if", "in", "into", "is", "it", "its", "me", "my", "near", "of", "on", "or", "our", "so", "some", "that",
    "the", "their", "them", "there", "these", "they", "this", "to", "up", "us", "was", "we", "what", "where", "which",
    "who", "will", "with", "you", "your",
];

pub fn is_stop_word(word: &str) -> bool {
    // Every stop word is short: most words are ruled out without a comparison.
    word.len() <= 5 && STOP_WORDS.binary_search(&word).is_ok()
}

/// How many typos a query word of this many characters may have: none under five
/// letters, one from five, two from nine (Meilisearch's defaults). Words with
/// digits (postcodes, numbers) never get any: `LS6` is not `LS8`.
pub fn typos_allowed(word: &str) -> usize {
    if word.chars().any(|c| c.is_numeric()) {
        return 0;
    }
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// The longest word [`within_edits`] compares; longer ones are never typos of a
/// query word (query words are cut to this length first).
pub const MAX_FUZZY_LEN: usize = 40;

/// Whether `a` can be turned into `b` with at most `k` insertions, deletions,
/// substitutions or swaps of neighbours (the optimal string alignment distance).
/// Stops as soon as a row of the table exceeds `k`, so a far word costs little.
pub fn within_edits<T: PartialEq + Copy>(a: &[T], b: &[T], k: usize) -> bool {
    if a.len().abs_diff(b.len()) > k {
        return false;
    }
    if a.len() > MAX_FUZZY_LEN || b.len() > MAX_FUZZY_LEN {
        return a == b;
    }
    const W: usize = MAX_FUZZY_LEN + 1;
    let n = b.len();
    let mut before = [0usize; W];
    let mut prev = [0usize; W];
    let mut cur = [0usize; W];
    for (j, cell) in prev.iter_mut().enumerate().take(n + 1) {
        *cell = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = i;
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(before[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > k {
            return false;
        }
        before = prev;
        prev = cur;
    }
    prev[n] <= k
}

/// A postcode area or district as people write it in an area: one or two letters,
/// then a digit, then at most one more digit or letter (`LS6`, `LS10`, `W1A`).
/// Returns its area letters (`ls`), so that a filter by area finds every district.
pub fn postcode_area(word: &str) -> Option<&str> {
    let letters = word.bytes().take_while(u8::is_ascii_lowercase).count();
    let rest = &word.as_bytes()[letters..];
    let district = matches!(rest, [d] if d.is_ascii_digit())
        || matches!(rest, [d, e] if d.is_ascii_digit() && e.is_ascii_alphanumeric());
    ((1..=2).contains(&letters) && district).then(|| &word[..letters])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_words(text: &str, want: &[&str]) {
        let got: Vec<String> = words(text).collect();
        assert_eq!(got, want, "{text:?}");
    }

    #[test]
    fn words_are_unicode_aware_and_folded() {
        check_words(
            "Peer-led GARDENING, Leeds LS6; Café & 2 plots!",
            &["peer", "led", "gardening", "leeds", "ls6", "cafe", "2", "plots"],
        );
        check_words("Women's group — £12.50 an hour", &["womens", "group", "12.50", "an", "hour"]);
        check_words("Straße, Ærø, Łódź, naïve, CAFÉ", &["strasse", "aero", "lodz", "naive", "cafe"]);
        check_words("Don’t miss it", &["dont", "miss", "it"]);
        check_words("  -- ", &[]);
        // Scripts without case or accents pass through whole.
        check_words("اردو کلاس", &["اردو", "کلاس"]);
    }

    #[test]
    fn stems_meet() {
        for (a, b) in [
            ("gardener", "gardening"),
            ("gardens", "garden"),
            ("volunteer", "volunteering"),
            ("cleaning", "cleans"),
            ("womens", "women"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} {b}");
        }
        assert_ne!(stem("garden"), stem("guard"));
    }

    #[test]
    fn typo_budget_follows_word_length() {
        for (word, n) in [("bike", 0), ("cafes", 1), ("gardener", 1), ("volunteer", 2), ("ls10", 0), ("12345", 0)] {
            assert_eq!(typos_allowed(word), n, "{word}");
        }
    }

    #[test]
    fn edit_distance_is_bounded() {
        let w = |a: &str, b: &str, k| within_edits(a.as_bytes(), b.as_bytes(), k);
        assert!(w("gardner", "gardener", 1));
        assert!(w("gardenre", "gardener", 1), "a swap is one edit");
        assert!(w("warehose", "warehouse", 1));
        assert!(!w("garden", "guard", 1));
        assert!(w("voluntering", "volunteering", 2));
        assert!(!w("bakery", "bike", 2));
        assert!(w("same", "same", 0));
        assert!(!w(&"a".repeat(60), &"a".repeat(59), 1), "words past the limit only match whole");
    }

    #[test]
    fn postcode_areas() {
        for (word, want) in [
            ("ls6", Some("ls")),
            ("ls10", Some("ls")),
            ("w1a", Some("w")),
            ("bd7", Some("bd")),
            ("leeds", None),
            ("ls", None),
            ("abc1", None),
            ("ls100", None),
            ("6", None),
        ] {
            assert_eq!(postcode_area(word), want, "{word}");
        }
    }

    #[test]
    fn stop_words_are_sorted_for_lookup() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 5));
        assert!(is_stop_word("in") && !is_stop_word("work"));
    }
}
