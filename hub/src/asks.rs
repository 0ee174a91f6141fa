//! Asks arriving: this hub's durable consumer (`asks-<hub>`) on the region's stream
//! of asks, filtered to `kith-ask.<region>.<hub>.*` (the hub's NATS permission pins
//! that filter), so asks sent while the hub was offline wait for it.
//!
//! Each message is checked ([`Ask::verify`]: for this hub, on its own subject,
//! signed by a relay named in `ask_relays`), opened with this hub's box key, and
//! taken into the store with its answer (`received`, or `not-taken` over the day's
//! cap, while paused, or about a listing closed to asks) in one flushed write before
//! it is acknowledged — which also removes it from the stream. What does not verify
//! or open is counted (`kith ask policy` shows it), logged by subject and reason
//! only, and dropped.

use async_nats::jetstream::consumer::{AckPolicy, DeliverPolicy, pull};
use async_nats::jetstream::{self, AckKind};
use crypto_box::SecretKey;
use ed25519_dalek::VerifyingKey;
use futures::StreamExt;
use kith_daemon::Stop;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use kith_proto::ask::{self, Ask, AskStatus};

use crate::link::Link;
use crate::store::{AskRecord, Store, StoreError, Taken};

/// What the intake reads with.
pub struct Intake {
    /// This hub's box secrets, the current one first (an ask sealed to a key just
    /// rotated away still opens).
    pub secrets: Arc<Vec<SecretKey>>,
    /// The relays whose asks this hub takes.
    pub relays: Vec<VerifyingKey>,
    /// Asks refused because they did not verify or open, since the hub started.
    pub forged: Arc<AtomicU64>,
}

/// Consumes this hub's asks until `stop` turns true, once the publisher has a
/// connection. A hub that trusts no relay reads nothing.
pub async fn run(store: Store, intake: Intake, link: Arc<Link>, mut stop: Stop) {
    if intake.relays.is_empty() {
        // Nothing to read; the task still lasts as long as the hub.
        kith_daemon::stopped(&mut stop).await;
        return;
    }
    let mut told = false;
    crate::link::consume_when_caught_up(
        &store,
        &link,
        stop,
        |js, mut stop| {
            let (store, intake) = (&store, &intake);
            async move { consume(store, &js, intake, &mut stop).await }
        },
        |e: String| {
            if !std::mem::replace(&mut told, true) {
                tracing::warn!(error = %e, "asks paused (is the region's stream of asks there? a relay makes it); will retry");
            } else {
                tracing::debug!(error = %e, "asks still paused");
            }
        },
    )
    .await
}

async fn consume(store: &Store, js: &jetstream::Context, intake: &Intake, stop: &mut Stop) -> Result<(), String> {
    let (region, me) = (&store.identity().region, &store.identity().hub);
    let name = ask::consumer(me);
    let config = pull::Config {
        durable_name: Some(name.clone()),
        description: Some(format!("Kith asks to hub {me}")),
        filter_subject: ask::hub_wildcard(region, me),
        deliver_policy: DeliverPolicy::All,
        ack_policy: AckPolicy::Explicit,
        ack_wait: Duration::from_secs(30),
        ..Default::default()
    };
    let open = async {
        let stream = kith_proto::stream::open_asks(js, region).await.map_err(|e| e.to_string())?;
        let consumer = stream.get_or_create_consumer(&name, config).await.map_err(|e| e.to_string())?;
        consumer.messages().await.map_err(|e| e.to_string())
    };
    let mut messages = tokio::select! {
        opened = open => opened?,
        _ = kith_daemon::stopped(stop) => return Ok(()),
    };
    tracing::info!(consumer = %name, "asks open");
    loop {
        let message = tokio::select! {
            m = messages.next() => m,
            _ = kith_daemon::stopped(stop) => return Ok(()),
        };
        let message = match message {
            Some(Ok(m)) => m,
            Some(Err(e)) => return Err(e.to_string()),
            None => return Err("the consumer's message stream ended".into()),
        };
        let subject = message.subject.to_string();
        match take(store, intake, &subject, &message.payload).await {
            Ok(Ok(taken)) => {
                tracing::info!(%subject, ?taken, "ask taken in");
                message.ack().await.map_err(|e| e.to_string())?;
            }
            Ok(Err(why)) => {
                intake.forged.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(%subject, reason = %why, "ask refused");
                let _ = message.ack_with(AckKind::Term).await;
            }
            // The store failed: the ask stays in the stream, delivered again.
            Err(e) => return Err(format!("store: {e}")),
        }
    }
}

/// Checks and takes one ask. The outer error is the store's (the message stays
/// unacknowledged); the inner one says why the ask is refused.
async fn take(
    store: &Store,
    intake: &Intake,
    subject: &str,
    payload: &[u8],
) -> Result<Result<Taken, String>, StoreError> {
    let (region, me) = (&store.identity().region, &store.identity().hub);
    let ask = match Ask::verify(payload, subject, region, me, &intake.relays) {
        Ok(ask) => ask,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let Some(content) = intake.secrets.iter().find_map(|secret| ask::open(&ask.sealed, secret).ok()) else {
        return Ok(Err("the sealed ask does not open with this hub's keys, or says what no person could".into()));
    };
    let record = AskRecord {
        id: ask.id,
        reference: ask.reference,
        family: ask.family,
        listing: ask.listing,
        received_at_ms: ask.at_ms,
        relay: ask.relay,
        status: AskStatus::Received,
        history: Vec::new(),
        content: Some(content),
    };
    let policy = store.ask_policy()?;
    Ok(Ok(store.take_ask(record, &policy).await?))
}

/// The title (or name) of listing `id` of `family` here, if the hub has it.
pub fn listing_title(store: &Store, family: kith_proto::event::Family, id: ulid::Ulid) -> Option<String> {
    use kith_proto::event::Family;
    match family {
        Family::Opportunities => store.get::<kith_proto::domain::Opportunity>(id).ok()?.map(|r| r.item.title),
        Family::SafeHouses => store.get::<kith_proto::domain::SafeHouse>(id).ok()?.map(|r| r.item.name),
        Family::Services => store.get::<kith_proto::service::Service>(id).ok()?.map(|r| r.item.name),
        Family::Offers => store.get::<kith_proto::offer::Offer>(id).ok()?.map(|r| r.item.name),
    }
}

/// An ask as the admin API answers it.
pub fn to_v1(store: &Store, record: &AskRecord) -> kith_proto::v1::Ask {
    use kith_proto::ask::Contact;
    use kith_proto::v1;
    let content = record.content.as_ref().map(|c| {
        let (how, reach, when) = match &c.contact {
            Contact::Phone { number, when } => ("phone", number.clone(), when.clone()),
            Contact::Text { number, when } => ("text", number.clone(), when.clone()),
            Contact::Email { address, when } => ("email", address.clone(), when.clone()),
            Contact::None => ("none", String::new(), String::new()),
        };
        v1::AskContent { name: c.name.clone(), how: how.into(), reach, when, words: c.words.clone() }
    });
    v1::Ask {
        id: record.id.to_string(),
        reference: record.reference.to_string(),
        family: record.family.token().into(),
        listing_id: record.listing.to_string(),
        listing_title: listing_title(store, record.family, record.listing).unwrap_or_default(),
        received_at_ms: record.received_at_ms,
        relay: record.relay.clone(),
        status: record.status.name().into(),
        history: record
            .history
            .iter()
            .map(|s| v1::AskStep { status: s.status.name().into(), at_ms: s.at_ms, by: s.by.clone() })
            .collect(),
        erased: record.content.is_none() && record.status != AskStatus::NotTaken,
        content,
    }
}
