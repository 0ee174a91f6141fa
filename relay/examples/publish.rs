//! Publishes a sample hub's events straight to a region's JetStream stream, as a hub
//! would, for trying a relay by hand without running a hub:
//!
//! ```text
//! cargo run -p kith-relay --example publish -- NATS_URL REGION HUB [COUNT] [--forge]
//! ```
//!
//! It publishes the hub's profile, COUNT opportunities (default 3; the first one is
//! then withdrawn), a safe house with fresh availability and one whose availability
//! is already stale. With `--forge` it also publishes events the relay must reject:
//! one signed by another key, and one whose subject names another hub.
//!
//! The hub's key is derived from its name, so that running this again speaks as the
//! same hub (a sample, not a way to make real keys); sequence numbers follow the
//! clock, so a later run's events are newer.

use async_nats::HeaderMap;
use async_nats::jetstream;
use ed25519_dalek::SigningKey;
use ulid::Ulid;

use kith_proto::Slug;
use kith_proto::domain::{
    Availability, ForTag, HubProfile, Opportunity, OpportunityKind, OpportunityStatus, Pay, PayPer, SafeHouse, Sector,
};
use kith_proto::envelope::{self, Envelope, Sealed};
use kith_proto::event::Event;
use kith_proto::stream::region_stream;
use kith_proto::time::now_ms;

fn sample_key(hub: &str) -> SigningKey {
    let mut seed = [7u8; 32];
    for (i, b) in hub.bytes().enumerate() {
        seed[i % 32] ^= b.rotate_left(i as u32 % 8);
    }
    SigningKey::from_bytes(&seed)
}

fn opportunity(i: usize) -> Opportunity {
    let (title, kind, sector, skills) = [
        ("Allotment gardener", OpportunityKind::PaidJob, Sector::Ordinary, vec!["gardening".to_owned()]),
        ("Peer support trainer", OpportunityKind::PeerTeaching, Sector::MentalHealth, vec!["listening".to_owned()]),
        ("Cafe assistant", OpportunityKind::SocialEnterprise, Sector::Ordinary, vec!["barista".to_owned()]),
        ("Bike repair apprentice", OpportunityKind::Apprenticeship, Sector::Ordinary, vec!["mechanics".to_owned()]),
    ][i % 4]
        .clone();
    Opportunity {
        id: Ulid::new(),
        title: format!("{title} {i}"),
        kind,
        sector,
        description: "Part of a user-led co-op; flexible hours, a job coach if you want one".into(),
        area: "Leeds LS6".into(),
        remote: i % 3 == 2,
        hours_per_week: Some(16.0),
        pay: if i.is_multiple_of(2) { Pay::Paid { pence: 1250, per: PayPer::Hour } } else { Pay::Unpaid },
        expenses_paid: true,
        skills,
        support: vec!["job coach".into()],
        lived_experience_required: false,
        how_to_apply: "Ring the hub".into(),
        closes_on: None,
        status: OpportunityStatus::Open,
    }
}

fn house(name: &str, tags: Vec<ForTag>, free: u16, valid_until_ms: i64) -> SafeHouse {
    SafeHouse {
        id: Ulid::new(),
        name: name.into(),
        area: "Leeds".into(),
        for_tags: tags,
        beds_total: 4,
        wheelchair_access: true,
        self_referral: true,
        longest_stay_nights: Some(14),
        phone: "0113 496 0000".into(),
        description: String::new(),
        availability: Some(Availability { beds_free: free, updated_at_ms: now_ms(), valid_until_ms }),
    }
}

async fn publish(js: &jetstream::Context, subject: String, id: Ulid, bytes: Vec<u8>) -> anyhow::Result<()> {
    let mut headers = HeaderMap::new();
    headers.insert("Nats-Msg-Id", id.to_string().as_str());
    let ack = js.publish_with_headers(subject.clone(), headers, bytes.into()).await?.await?;
    println!("published {subject} (stream seq {})", ack.sequence);
    Ok(())
}

async fn send(js: &jetstream::Context, sealed: Sealed) -> anyhow::Result<()> {
    publish(js, sealed.subject.to_string(), sealed.envelope.id, sealed.bytes).await
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let forge = args.iter().any(|a| a == "--forge");
    let positional: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [url, region, hub, rest @ ..] = positional.as_slice() else {
        anyhow::bail!("usage: publish NATS_URL REGION HUB [COUNT] [--forge]");
    };
    let count: usize = rest.first().map_or(Ok(3), |c| c.parse())?;
    let region = Slug::parse("region", region)?;
    let hub = Slug::parse("hub", hub)?;
    let key = sample_key(hub.as_str());

    let js = jetstream::new(async_nats::connect(url.as_str()).await?);
    js.get_or_create_stream(region_stream(&region, 1, kith_proto::stream::DEFAULT_MAX_BYTES))
        .await
        .map_err(|e| anyhow::anyhow!("stream: {e}"))?;

    let mut seq = now_ms() as u64;
    let mut next = |event: &Event| -> anyhow::Result<Sealed> {
        seq += 1;
        Ok(envelope::seal(&region, &hub, seq, now_ms(), event, &key)?)
    };
    let profile = Event::Profile(HubProfile {
        name: format!("Sample hub {hub}"),
        description: "A user-led group".into(),
        contact: "hello@example.org".into(),
        helpline_hours: "Mon-Fri 10-4".into(),
        signing_key: key.verifying_key().to_bytes(),
        box_key: [0; 32],
        rotations: vec![],
        left: false,
        digest: None,
        asks: Default::default(),
        unmet_work: Vec::new(),
        language: String::new(),
    });
    send(&js, next(&profile)?).await?;
    let mut first = None;
    for i in 0..count {
        let o = opportunity(i);
        first.get_or_insert(o.id);
        send(&js, next(&Event::OpportunityPublished(o))?).await?;
    }
    let day = 24 * 3600 * 1000;
    send(&js, next(&Event::SafeHousePublished(house("Women's crisis house", vec![ForTag::Women], 2, now_ms() + day)))?)
        .await?;
    send(&js, next(&Event::SafeHousePublished(house("Anyone's house (stale)", vec![], 3, now_ms() - 1)))?).await?;
    if let Some(id) = first {
        send(&js, next(&Event::OpportunityWithdrawn { id })?).await?;
    }

    if forge {
        // Signed by a key that is not the hub's pinned one.
        let other = SigningKey::from_bytes(&[99; 32]);
        let forged = envelope::seal(
            &region,
            &hub,
            now_ms() as u64 + 1_000_000,
            now_ms(),
            &Event::OpportunityPublished(opportunity(0)),
            &other,
        )?;
        send(&js, forged).await?;
        // The hub's own signature, published on another hub's subject.
        let sealed = next(&Event::OpportunityPublished(opportunity(1)))?;
        let subject = sealed.subject.to_string().replace(&format!(".{hub}."), ".someone-else.");
        publish(&js, subject, sealed.envelope.id, sealed.bytes).await?;
        // A future envelope version.
        let future = Envelope { version: 9, id: Ulid::new(), ..sealed.envelope.clone() };
        publish(&js, sealed.subject.to_string(), future.id, envelope::forge(&future, &key)).await?;
    }
    Ok(())
}
