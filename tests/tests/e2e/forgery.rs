//! Only a hub can speak for itself: envelopes published straight to NATS that are
//! forged (wrong key, wrong subject, a new key not signed by the pinned one, garbage)
//! are rejected, counted by reason, and never applied; a genuine one published the
//! same way is applied, so the rejections are the relay's doing.

use bytes::Bytes;
use ed25519_dalek::SigningKey;
use kith_proto::Slug;
use kith_proto::envelope::{MAX_ENVELOPE_BYTES, forge, seal};
use kith_proto::event::Event;
use kith_proto::time::now_ms;
use kith_proto::v1::{GetRequest, ListHubsRequest};
use kith_tests::sample::{add_opportunity, opportunity};
use kith_tests::{DEFAULT_TIMEOUT, Region, find, wait_for};
use std::collections::BTreeMap;
use ulid::Ulid;

fn slug(s: &str) -> Slug {
    Slug::parse("slug", s).unwrap()
}

/// One envelope published by hand, and the reason the relay must give for refusing it.
/// The "reason" of a forgery that is not refused at once but waits, never applied.
const WAITS: &str = "";

struct Forgery {
    what: &'static str,
    subject: String,
    bytes: Vec<u8>,
    reason: &'static str,
    /// The opportunity it would create if it were applied.
    id: Option<Ulid>,
}

impl Forgery {
    fn new(what: &'static str, subject: String, bytes: Vec<u8>, reason: &'static str, id: Option<Ulid>) -> Self {
        Forgery { what, subject, bytes, reason, id }
    }
}

/// An opportunity event about a new entity.
fn new_opportunity(title: &str) -> (Ulid, Event) {
    let id = Ulid::new();
    (id, Event::OpportunityPublished(opportunity(id, title)))
}

#[tokio::test]
async fn forged_envelopes_are_rejected_counted_by_reason_and_never_applied() {
    let region = Region::start().await;
    let garden = region.hub("peer-garden").await;
    let crisis = region.hub("crisis-house").await;
    let honest = add_opportunity(&garden, "Allotment gardener", &[]).await;
    let r = region.slug();
    let (garden_id, crisis_id) = (slug("peer-garden"), slug("crisis-house"));
    let garden_key = garden.signing_key();
    let crisis_key = crisis.signing_key();
    let stranger = SigningKey::from_bytes(&[7; 32]);
    let seq = 1_000_000;
    let at = now_ms();

    let mut forgeries: Vec<Forgery> = Vec::new();

    let (id, event) = new_opportunity("Signed with another hub's key");
    let sealed = seal(&r, &garden_id, seq, at, &event, &crisis_key).unwrap();
    forgeries.push(Forgery::new(
        "another hub's key",
        sealed.subject.to_string(),
        sealed.bytes,
        "bad-signature",
        Some(id),
    ));

    let (id, event) = new_opportunity("Signed by nobody we know");
    let sealed = seal(&r, &garden_id, seq, at, &event, &stranger).unwrap();
    forgeries.push(Forgery::new(
        "a stranger's key",
        sealed.subject.to_string(),
        sealed.bytes,
        "bad-signature",
        Some(id),
    ));

    let (id, event) = new_opportunity("Tampered after signing");
    let sealed = seal(&r, &garden_id, seq, at, &event, &garden_key).unwrap();
    let mut tampered = sealed.bytes.clone();
    *tampered.last_mut().unwrap() ^= 0x55; // the last byte of the signature
    forgeries.push(Forgery::new(
        "a damaged signature",
        sealed.subject.to_string(),
        tampered,
        "bad-signature",
        Some(id),
    ));

    let (id, event) = new_opportunity("Published on another hub's subject");
    let sealed = seal(&r, &garden_id, seq, at, &event, &garden_key).unwrap();
    let subject = format!("kith.{r}.crisis-house.opportunity.{id}");
    forgeries.push(Forgery::new("hub differs from the subject", subject, sealed.bytes, "subject-mismatch", Some(id)));

    let (id, event) = new_opportunity("Claims to be the crisis house");
    let sealed = seal(&r, &crisis_id, seq, at, &event, &garden_key).unwrap();
    let subject = format!("kith.{r}.peer-garden.opportunity.{id}");
    forgeries.push(Forgery::new("envelope of another hub", subject, sealed.bytes, "subject-mismatch", Some(id)));

    let (id, event) = new_opportunity("About another entity");
    let sealed = seal(&r, &garden_id, seq, at, &event, &garden_key).unwrap();
    let subject = format!("kith.{r}.peer-garden.opportunity.{}", Ulid::new());
    forgeries.push(Forgery::new(
        "entity differs from the subject",
        subject,
        sealed.bytes,
        "subject-mismatch",
        Some(id),
    ));

    let profile = kith_tests::sample::forged_profile("Forged Garden", &stranger);
    let sealed = seal(&r, &garden_id, seq, at, &profile, &stranger).unwrap();
    forgeries.push(Forgery::new(
        "a new key not signed by the pinned one",
        sealed.subject.to_string(),
        sealed.bytes,
        "key-not-pinned",
        None,
    ));

    let (id, event) = new_opportunity("From a hub nobody has seen");
    let sealed = seal(&r, &slug("ghost"), seq, at, &event, &stranger).unwrap();
    // Not refused at once: its profile may yet come (lost from the stream, it is
    // published again with the hub's next heartbeat), so it waits, never applied,
    // and is refused as `unknown-hub` only after about half an hour.
    forgeries.push(Forgery::new("an unknown hub", sealed.subject.to_string(), sealed.bytes, WAITS, Some(id)));

    let (id, event) = new_opportunity("From the future");
    let mut future = seal(&r, &garden_id, seq, at, &event, &garden_key).unwrap().envelope;
    future.version = 99;
    let subject = format!("kith.{r}.peer-garden.opportunity.{id}");
    forgeries.push(Forgery::new(
        "an unknown version",
        subject,
        forge(&future, &garden_key),
        "unknown-version",
        Some(id),
    ));

    // Each forgery on a subject of its own: the stream keeps one message per subject,
    // so a second one there could replace the first before the relay reads it.
    let id = Ulid::new();
    let subject = format!("kith.{r}.peer-garden.opportunity.{id}");
    forgeries.push(Forgery::new("garbage", subject, b"not an envelope at all".to_vec(), "malformed", Some(id)));
    let id = Ulid::new();
    let subject = format!("kith.{r}.peer-garden.opportunity.{id}");
    forgeries.push(Forgery::new("too large", subject, vec![0; MAX_ENVELOPE_BYTES + 1], "too-large", Some(id)));

    let js = region.nats.jetstream().await;
    for Forgery { what, subject, bytes, .. } in &forgeries {
        js.publish(subject.clone(), Bytes::from(bytes.clone()))
            .await
            .unwrap_or_else(|e| panic!("publish {what}: {e}"))
            .await
            .unwrap_or_else(|e| panic!("PubAck of {what}: {e}"));
    }
    // A genuine envelope, published the same way after the forgeries: once it is
    // applied, the relay has been through all of them.
    let (genuine_id, event) = new_opportunity("Genuine, published by hand");
    let sealed = seal(&r, &garden_id, seq, at, &event, &garden_key).unwrap();
    js.publish(sealed.subject.to_string(), Bytes::from(sealed.bytes)).await.unwrap().await.unwrap();

    let mut relay = region.relay.client().await;
    wait_for("the genuine envelope is applied", DEFAULT_TIMEOUT, async || {
        relay.get_opportunity(GetRequest { id: genuine_id.to_string(), hub: String::new() }).await
    })
    .await;
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    for Forgery { reason, .. } in forgeries.iter().filter(|f| f.reason != WAITS) {
        *expected.entry(reason.to_string()).or_default() += 1;
    }
    let stats = wait_for("every forgery is counted by its reason", DEFAULT_TIMEOUT, async || {
        let stats = region.relay.stats().await;
        let rejected: BTreeMap<String, u64> = stats.rejected.clone().into_iter().collect();
        if rejected == expected { Ok(stats) } else { Err(format!("rejected {rejected:?}, expected {expected:?}")) }
    })
    .await;
    eprintln!("relay stats after the forgeries: {stats:?}");

    // Never applied: no forged listing, no ghost hub, the pinned key and profile intact.
    for Forgery { what, id, .. } in &forgeries {
        if let Some(id) = id {
            let status =
                relay.get_opportunity(GetRequest { id: id.to_string(), hub: String::new() }).await.expect_err(what);
            assert_eq!(status.code(), tonic::Code::NotFound, "{what}: {status:?}");
        }
    }
    let listed = region.opportunities(&[]).await;
    let mut ids: Vec<&str> = listed.iter().filter_map(|o| o["id"].as_str()).collect();
    ids.sort();
    let mut want = vec![honest.id.as_str(), &genuine_id.to_string()].into_iter().map(String::from).collect::<Vec<_>>();
    want.sort();
    assert_eq!(ids, want, "the region lists a forged opportunity: {listed:?}");
    let hubs = relay.list_hubs(ListHubsRequest {}).await.unwrap().into_inner().items;
    let mut hub_ids: Vec<&str> = hubs.iter().map(|h| h.id.as_str()).collect();
    hub_ids.sort();
    assert_eq!(hub_ids, ["crisis-house", "peer-garden"]);
    let pinned = hubs.iter().find(|h| h.id == "peer-garden").unwrap();
    assert_eq!(pinned.signing_key, garden.signing_key_hex(), "the pinned key changed");
    assert_eq!(pinned.name, "Hub peer-garden", "a forged profile was applied");
    let cli_hubs = region.relay.kith(["region", "hubs"]).await.array();
    assert_eq!(find(&cli_hubs, "peer-garden").unwrap()["signing_key"], garden.signing_key_hex().as_str());

    // The hub itself still gets through.
    let later = add_opportunity(&garden, "Written after the forgeries", &[]).await;
    wait_for("the hub's own next write is applied", DEFAULT_TIMEOUT, async || {
        relay.get_opportunity(GetRequest { id: later.id.clone(), hub: String::new() }).await
    })
    .await;
}

/// The stream keeps one message per subject, so a forged profile can take the place of
/// a hub's own (where NATS users do not stop it). A relay rebuilt from that stream
/// must not trust it on first use: the key pinned before the rebuild still holds.
#[tokio::test]
async fn a_rebuilt_relay_keeps_its_pins_and_refuses_a_profile_forged_into_the_stream() {
    let mut region = Region::start().await;
    let mut hub = region.hub("peer-garden").await;
    let job = add_opportunity(&hub, "Allotment helper", &[]).await;
    wait_for("the relay shows the hub's opportunity", DEFAULT_TIMEOUT, async || {
        let out = region.relay.kith(["region", "opportunity", &job.id]).await;
        if out.code == Some(0) { Ok(()) } else { Err(out.stderr) }
    })
    .await;

    let forger = SigningKey::from_bytes(&[9; 32]);
    let profile = kith_tests::sample::forged_profile("Leeds Peer Garden Co-op", &forger);
    let sealed = seal(&region.slug(), &hub.slug(), 1_000_000, now_ms(), &profile, &forger).unwrap();
    let js = region.nats.jetstream().await;
    js.publish(sealed.subject.to_string(), Bytes::from(sealed.bytes)).await.unwrap().await.unwrap();
    wait_for("the live relay refuses the forged profile", DEFAULT_TIMEOUT, async || {
        let stats = region.relay.stats().await;
        if stats.rejected.get("key-not-pinned").copied().unwrap_or(0) >= 1 { Ok(()) } else { Err(stats) }
    })
    .await;

    region.relay.restart_with_rebuild().await;
    let hubs = wait_for("the rebuilt relay has the hub, with its own key", DEFAULT_TIMEOUT, async || {
        let mut client = region.relay.client().await;
        let hubs = client.list_hubs(ListHubsRequest {}).await.map(|r| r.into_inner().items).unwrap_or_default();
        let found = region.relay.kith(["region", "opportunity", &job.id]).await.code == Some(0);
        if found && hubs.len() == 1 { Ok(hubs) } else { Err((found, hubs)) }
    })
    .await;
    assert_eq!(hubs[0].signing_key, hub.signing_key_hex(), "the forger's key was pinned");
    assert_ne!(hubs[0].contact, "ring the forger");
    let stats = region.relay.stats().await;
    assert!(stats.rejected.get("key-not-pinned").copied().unwrap_or(0) >= 1, "{stats:?}");

    // The hub's next genuine profile (it publishes one whenever it starts) fills in
    // the rest.
    hub.restart().await;
    wait_for("the hub's own profile is back", DEFAULT_TIMEOUT, async || {
        let mut client = region.relay.client().await;
        let hubs = client.list_hubs(ListHubsRequest {}).await.map(|r| r.into_inner().items).unwrap_or_default();
        if hubs.first().is_some_and(|h| h.name == "Hub peer-garden") { Ok(()) } else { Err(hubs) }
    })
    .await;
}
