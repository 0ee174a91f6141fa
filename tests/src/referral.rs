//! Referrals between hubs under test: sent and answered through the real `kith`
//! CLI, read back with `kith referral show`, and each hub's side of a referral as it
//! is on the region's stream.

use kith_proto::envelope;
use kith_proto::event::Event;
use kith_proto::referral::ReferralSide;
use kith_proto::subject::{Entity, Subject};
use kith_proto::v1;
use serde_json::Value;
use ulid::Ulid;

use crate::hub::Hub;
use crate::region::Region;
use crate::sample::Written;
use crate::wait::{DEFAULT_TIMEOUT, wait_for};

/// A consent statement as a duty worker records it.
pub const CONSENT: &str = "verbal, 2026-11-26, recorded by duty worker, to share with the receiving hub";

/// A person file (`--person-file`) in `hub`'s temporary directory: `name`, the
/// consent, and the person flags among `extra` (`--contact X`, `--no-contact`,
/// `--needs X`, `--notes X`; `--no-contact` unless `--contact` is given). Returns the
/// file and the rest of `extra` (the target flags).
pub fn person_file(hub: &Hub, name: &str, extra: &[&str]) -> (std::path::PathBuf, Vec<String>) {
    let mut person = serde_json::json!({ "name": name, "consent": CONSENT });
    let mut rest = Vec::new();
    let mut args = extra.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--no-contact" => person["no_contact"] = true.into(),
            "--contact" | "--needs" | "--notes" => {
                let value = args.next().expect("a value after the flag");
                person[&arg[2..]] = (*value).into();
            }
            other => rest.push(other.to_owned()),
        }
    }
    if person.get("contact").is_none() {
        person["no_contact"] = true.into();
    }
    let path = hub.root().join(format!("person-{}.json", Ulid::new()));
    std::fs::write(&path, person.to_string()).expect("write the person file");
    (path, rest)
}

/// `kith referral send --to TO --person-file FILE EXTRA` at `from`, which must
/// succeed: the person `name` with consent, as [`person_file`] writes them.
pub async fn send(from: &Hub, to: &Hub, name: &str, extra: &[&str]) -> Written {
    let (file, rest) = person_file(from, name, extra);
    let mut args = vec!["referral".to_owned(), "send".into(), "--to".into(), to.id.clone(), "--person-file".into()];
    args.push(file.display().to_string());
    args.extend(rest);
    let written = Written::from_json(&from.kith(&args).await.ok());
    std::fs::remove_file(&file).ok();
    written
}

/// A person as the admin gRPC API takes them, with consent given.
pub fn person(name: &str) -> v1::Person {
    v1::Person {
        name: name.into(),
        contact: "07700 900123".into(),
        no_contact: false,
        needs: "a quiet room for a few nights".into(),
        notes: "prefers to be called in the afternoon".into(),
        consent: CONSENT.into(),
        consent_recorded_at_ms: kith_proto::time::now_ms(),
    }
}

/// `kith referral show ID` at `hub`, which must succeed.
pub async fn show(hub: &Hub, id: &str) -> Value {
    hub.kith(["referral", "show", id]).await.ok()
}

/// Waits until `hub` shows referral `id` with status `status` (the referral may not
/// have arrived yet), and returns what it shows.
pub async fn wait_for_status(hub: &Hub, id: &str, status: &str) -> Value {
    let what = format!("hub {} shows referral {id} as {status}", hub.id);
    wait_for(&what, DEFAULT_TIMEOUT, async || {
        let out = hub.kith(["referral", "show", id]).await;
        if out.success() && out.json["status"] == status { Ok(out.json) } else { Err(out) }
    })
    .await
}

/// The statuses in a referral's history (`kith referral show`), oldest first.
pub fn statuses(referral: &Value) -> Vec<String> {
    let history = referral["history"].as_array().unwrap_or_else(|| panic!("no history in {referral}"));
    history.iter().map(|step| step["status"].as_str().unwrap_or_default().to_owned()).collect()
}

/// The ids of the referrals in a `kith referral list` answer, sorted.
pub fn ids(referrals: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = referrals.iter().map(|r| r["id"].as_str().unwrap_or_default().to_owned()).collect();
    ids.sort();
    ids
}

/// The subject on which `author` publishes its side of referral `id` with `other`.
pub fn side_subject(author: &Hub, other: &Hub, id: &str) -> String {
    let id = Ulid::from_string(id).unwrap_or_else(|_| panic!("referral id {id:?} is not a ULID"));
    let region = kith_proto::Slug::parse("region", &author.region).expect("region is a slug");
    Subject::new(&region, &author.slug(), Entity::Referral { to: other.slug(), id }).to_string()
}

/// `author`'s side of referral `id` with `other` as the region's stream holds it now
/// (the last message on its subject), verified with `author`'s key; an error when
/// there is none or it does not verify.
pub async fn stream_side(region: &Region, author: &Hub, other: &Hub, id: &str) -> Result<ReferralSide, String> {
    let subject = side_subject(author, other, id);
    let message = region
        .stream()
        .await
        .get_last_raw_message_by_subject(&subject)
        .await
        .map_err(|e| format!("no message on {subject}: {e}"))?;
    let key = author.signing_key().verifying_key();
    let opened =
        envelope::open(&message.payload, &subject, Some(&key)).map_err(|e| format!("message on {subject}: {e}"))?;
    match opened.event {
        Event::Referral(side) => Ok(side),
        other => Err(format!("message on {subject} is a {} event", other.name())),
    }
}
