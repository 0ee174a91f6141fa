//! Kith's fuzz targets as plain functions, each taking arbitrary bytes: cargo-fuzz
//! runs them (`fuzz/fuzz_targets/`), and `tests/tests/e2e/fuzz_corpora.rs` replays the
//! committed corpora (`fuzz/corpus/<target>/`) through them on stable Rust. A target
//! passes when it returns: a panic is the failure. Where a target can check more
//! than "no panic", it asserts it.
//!
//! The query analysis (`kith-text`) and the HSDS importer (`kith-opendata`) are
//! crates of their own, which is what lets fuzzing reach them without building the
//! daemons or the CLI.

use ed25519_dalek::SigningKey;
use kith_opendata::import;
use kith_proto::envelope;
use kith_proto::event::{Change, Event, Listing as _};
use kith_proto::referral::{self, ReferralStatus, Step};
use kith_proto::with_family;

/// A fuzz target: it returns, or panics.
pub type Target = fn(&[u8]);

/// Every target, by name, as the corpora are named.
pub const TARGETS: &[(&str, Target)] = &[
    ("envelope_open", envelope_open),
    ("event_decode", event_decode),
    ("referral_fold", referral_fold),
    ("sealed_notes", sealed_notes),
    ("hsds_json_import", hsds_json_import),
    ("hsds_csv_import", hsds_csv_import),
    ("cli_parsers", cli_parsers),
    ("query_parser", query_parser),
];

/// Bytes → verify: an envelope received on a subject (the first line of the input),
/// opened without a pin, with a pin, and decoded then verified in two steps — the
/// same verdict every way.
pub fn envelope_open(data: &[u8]) {
    let (subject, raw) = split_line(data);
    let key = SigningKey::from_bytes(&[7; 32]).verifying_key();
    let _ = envelope::open(raw, subject, None);
    let once = envelope::open(raw, subject, Some(&key)).map(|o| o.envelope);
    let twice = envelope::decode(raw, subject).and_then(|d| d.verify(Some(&key))).map(|o| o.envelope);
    assert_eq!(once.is_ok(), twice.is_ok(), "open and decode+verify disagree");
}

/// Every event payload: postcard bytes as an [`Event`], strictly; one that decodes
/// encodes back to bytes that decode to the same event, and its values are
/// validated without panicking.
pub fn event_decode(data: &[u8]) {
    let Ok(event) = postcard::from_bytes::<Event>(data) else { return };
    // Compared as bytes: a float field may be NaN, which equals nothing.
    let bytes = postcard::to_stdvec(&event).expect("encodes");
    let again: Event = postcard::from_bytes(&bytes).expect("decodes");
    assert_eq!(postcard::to_stdvec(&again).expect("encodes"), bytes);
    let _ = event.entity();
    match &event {
        Event::Profile(p) => drop(p.clone().validate()),
        Event::Referral(r) => drop(referral::fold(&r.steps, &[])),
        // An ask's answer is a status and a hash: nothing to validate.
        Event::Ask(_) => {}
        listing => {
            let (family, _) = listing.listing().expect("every other event is a listing's");
            with_family!(family, T => if let Some(Change::Published(item)) = T::change(listing) {
                drop(item.clone().validate())
            })
        }
    }
}

/// The referral fold over arbitrary step sequences: no panic, and the result does
/// not depend on which side's steps arrived first (the fold of both is a function
/// of both sides, whatever order they were taken in).
pub fn referral_fold(data: &[u8]) {
    let statuses = ReferralStatus::ALL;
    let (mut sender, mut receiver) = (Vec::new(), Vec::new());
    for chunk in data.chunks(3) {
        let status = statuses[usize::from(chunk[0]) % statuses.len()];
        let at_ms = i64::from(*chunk.get(1).unwrap_or(&0)) * 1000 + i64::from(*chunk.get(2).unwrap_or(&0));
        let side = if chunk[0] & 0x80 == 0 { &mut sender } else { &mut receiver };
        side.push(Step { status, at_ms });
    }
    let (history, status) = referral::fold(&sender, &receiver);
    // Taking in the sides step by step, in either order, ends where taking them whole does.
    let mut s_then_r = None;
    for n in 0..=sender.len() {
        s_then_r = Some(referral::fold(&sender[..n], &[]));
    }
    for n in 0..=receiver.len() {
        s_then_r = Some(referral::fold(&sender, &receiver[..n]));
    }
    let mut r_then_s = None;
    for n in 0..=receiver.len() {
        r_then_s = Some(referral::fold(&[], &receiver[..n]));
    }
    for n in 0..=sender.len() {
        r_then_s = Some(referral::fold(&sender[..n], &receiver));
    }
    assert_eq!(s_then_r, Some((history.clone(), status)));
    assert_eq!(r_then_s, Some((history, status)));
}

/// The sealed-note opener: arbitrary bytes never open, and never panic.
pub fn sealed_notes(data: &[u8]) {
    let secret = crypto_box::SecretKey::from([9u8; 32]);
    let _ = referral::open_notes(data, &secret);
}

/// The HSDS JSON importer (`kith service import FILE.json`).
pub fn hsds_json_import(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = import::read_json_text("fuzz.json", text, &import::Defaults::default());
}

/// The HSDS CSV importer (`kith service import DIR`): the input split into the
/// package's tables at lines `== NAME.csv ==`.
pub fn hsds_csv_import(data: &[u8]) {
    let mut files = std::collections::HashMap::new();
    let mut name = "service.csv".to_owned();
    let mut current = Vec::new();
    for line in data.split_inclusive(|b| *b == b'\n') {
        let trimmed = String::from_utf8_lossy(line).trim().to_owned();
        if let Some(n) = trimmed.strip_prefix("== ").and_then(|t| t.strip_suffix(" ==")) {
            files.insert(std::mem::replace(&mut name, n.to_owned()), std::mem::take(&mut current));
        } else {
            current.extend_from_slice(line);
        }
    }
    files.insert(name, current);
    let _ = import::read_csv_tables(&files, &import::Defaults::default());
}

/// The parsers behind the CLI's flags: dates, opening hours, clock times, addresses,
/// areas, pay, durations, and every enumerated value.
pub fn cli_parsers(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    use kith_proto::domain::{ForTag, OpportunityKind, PayPer, Sector};
    use kith_proto::service::{Category, ClockTime, Place, Schedule};
    let _ = kith_proto::time::CivilDate::parse("closes_on", text);
    let _ = Schedule::parse("hours", text);
    let _ = ClockTime::parse("opens", text);
    let _ = Place::parse_address("address", text);
    let _ = kith_proto::domain::area("area", text);
    let _ = humantime::parse_duration(text);
    let _ = PayPer::parse("pay_per", text);
    let _ = OpportunityKind::parse("kind", text);
    let _ = Sector::parse("sector", text);
    let _ = ForTag::parse("for", text);
    let _ = Category::parse("category", text);
    let _ = kith_proto::Slug::parse("hub", text);
    if let Ok(pence) = text.trim().parse::<u64>() {
        let _ = kith_words::pounds(pence);
    }
}

/// The relay's query analysis: words, folding, stemming, postcode areas and the
/// bounded edit distance that decides typos.
pub fn query_parser(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let words: Vec<String> = kith_text::words(text).collect();
    for w in &words {
        let _ = kith_text::stem(w);
        let _ = kith_text::postcode_area(w);
        let k = kith_text::typos_allowed(w);
        let a: Vec<char> = w.chars().take(kith_text::MAX_FUZZY_LEN).collect();
        assert!(kith_text::within_edits(&a, &a, k), "a word is within any budget of itself");
    }
    if let [a, b, ..] = words.as_slice() {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        assert_eq!(
            kith_text::within_edits(&a, &b, 2),
            kith_text::within_edits(&b, &a, 2),
            "edit distance is symmetric"
        );
    }
}

/// The first line (the subject) and the rest.
fn split_line(data: &[u8]) -> (&str, &[u8]) {
    match data.iter().position(|b| *b == b'\n') {
        Some(i) => (std::str::from_utf8(&data[..i]).unwrap_or(""), &data[i + 1..]),
        None => ("", data),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kith_proto::event::Listing;
    use kith_proto::offer::Offer;

    /// Every family's events go through the event target, whole and cut short at
    /// every byte: the newest families (offers) as much as the first.
    #[test]
    fn the_event_target_takes_every_familys_events() {
        let offer = Offer {
            id: "01JDQ4Z7M3V5X8K2N6P9R1S3T5".parse().unwrap(),
            name: "Green Hands Garden Co-op".into(),
            description: String::new(),
            skills: vec!["gardening".into()],
            areas: vec!["Leeds LS6".into()],
            rate_pence: 1500,
            rate_note: String::new(),
            how_to_book: "Ring 07700 900123".into(),
            phones: vec![],
            email: String::new(),
            website: String::new(),
        };
        let bad = Offer { rate_pence: 0, areas: vec![], ..offer.clone() };
        for event in [offer.clone().published(), bad.published(), Offer::withdrawn(offer.id)] {
            let bytes = postcard::to_stdvec(&event).unwrap();
            assert_eq!(postcard::from_bytes::<Event>(&bytes).unwrap(), event);
            for end in 0..=bytes.len() {
                event_decode(&bytes[..end]);
            }
        }
    }
}
