//! Before a hub publishes: what the region's stream says this hub published last.
//!
//! A hub restored from an older copy of its store (`kith restore`) would otherwise
//! reuse sequence numbers the region has already seen: relays would ignore its new
//! writes as old, a relay rebuilt from the stream would bring back what it withdrew
//! after the copy was made, and other hubs would drop its referral steps. So at every
//! connection the publisher reads this hub's last message in the stream (a consumer
//! `recover-<hub>` filtered to its own subjects, delivering the last one); when its
//! sequence number is above the store's, the hub reads all its own messages back the
//! same way, takes in what is newer than its store ([`Store::catch_up`]) and only
//! then publishes, above the stream's number. (A hub may not ask the stream for
//! messages by sequence or list its subjects: that would show it other hubs'
//! referrals. Its own subjects it may read through such a consumer.)

use async_nats::jetstream::consumer::{AckPolicy, DeliverPolicy, pull};
use async_nats::jetstream::stream::Stream;
use ed25519_dalek::VerifyingKey;
use futures::StreamExt;
use std::collections::HashMap;
use std::time::Duration;

use kith_proto::envelope;
use kith_proto::event::Event;
use kith_proto::subject::{Entity, hub_wildcard};

use crate::store::{CaughtUp, Store};

/// How long reading this hub's messages back may take before it is tried again.
const READ_BACK: Duration = Duration::from_secs(120);

/// One of this hub's events as the stream holds it: its sequence number, time and event.
type Held = (u64, i64, Event);

/// Catches the store up with the stream, if the stream holds newer events of this
/// hub than the store. `keys` are this hub's signing keys, the current one first
/// and those it rotated from after (only what they signed is taken in).
pub async fn run<I>(store: &Store, stream: &Stream<I>, keys: &[VerifyingKey]) -> Result<Option<CaughtUp>, String> {
    let caught = behind(store, stream, keys).await?;
    // Whether or not it was behind, a restored store now holds every erasure the
    // stream records of this hub: it may show referrals again.
    store.caught_up_after_restore().await.map_err(|e| e.to_string())?;
    Ok(caught)
}

async fn behind<I>(store: &Store, stream: &Stream<I>, keys: &[VerifyingKey]) -> Result<Option<CaughtUp>, String> {
    let last = tokio::time::timeout(READ_BACK, read(stream, store, keys, DeliverPolicy::Last))
        .await
        .map_err(|_| format!("reading this hub's last message took over {READ_BACK:?}"))??;
    let Some(high) = last.iter().map(|(seq, _, _)| *seq).max() else { return Ok(None) };
    let written = store.outbox_status().map_err(|e| e.to_string())?.last_written_seq;
    // A restored store reads everything back whatever the numbers say: the profile
    // it queued at start took a number the stream may already hold (one erasure
    // after the backup is one event), and what matters is each entity's state.
    let restored = store.restored_pending().map_err(|e| e.to_string())?;
    if high <= written && !restored {
        return Ok(None);
    }
    tracing::warn!(
        store = written,
        stream = high,
        "the region's stream holds newer events of this hub than its store (restored from an older copy?): \
         reading them back before publishing"
    );
    let events = tokio::time::timeout(READ_BACK, read(stream, store, keys, DeliverPolicy::All))
        .await
        .map_err(|_| format!("reading this hub's messages back took over {READ_BACK:?}"))??;
    let high = events.iter().map(|(seq, _, _)| *seq).max().unwrap_or(high).max(high);
    let caught = store.catch_up(high, events).await.map_err(|e| e.to_string())?;
    if let Some(c) = &caught {
        tracing::warn!(
            from = c.from,
            to = c.to,
            listings = c.listings,
            referrals = c.referrals,
            asks = c.asks,
            erased = c.erased,
            dropped = c.dropped,
            "caught up with the region's stream: publishing continues above its sequence number"
        );
    }
    Ok(caught)
}

/// This hub's messages in the stream that it signed (the last one, or all), as the
/// latest event of each entity, oldest first.
async fn read<I>(
    stream: &Stream<I>,
    store: &Store,
    keys: &[VerifyingKey],
    deliver: DeliverPolicy,
) -> Result<Vec<Held>, String> {
    let id = store.identity();
    let name = kith_proto::permissions::recover_consumer(&id.hub);
    let config = pull::Config {
        durable_name: Some(name.clone()),
        description: Some("Kith: a hub reading back its own events".into()),
        filter_subject: hub_wildcard(&id.region, &id.hub),
        deliver_policy: deliver,
        ack_policy: AckPolicy::None,
        inactive_threshold: Duration::from_secs(300),
        ..Default::default()
    };
    // One left behind by a run that stopped half-way starts again from the top.
    let _ = stream.delete_consumer(&name).await;
    let consumer = stream.create_consumer(config).await.map_err(|e| format!("cannot read back: {e}"))?;
    let pending = consumer.cached_info().num_pending;
    let mut latest: HashMap<Entity, Held> = HashMap::new();
    if pending > 0 {
        let mut messages = consumer.messages().await.map_err(|e| format!("cannot read back: {e}"))?;
        while let Some(message) = messages.next().await {
            let message = message.map_err(|e| format!("cannot read back: {e}"))?;
            let left = message.info().map(|i| i.pending).unwrap_or(0);
            if let Ok(decoded) = envelope::decode(&message.payload, &message.subject)
                && keys.iter().any(|k| decoded.is_signed_by(k))
            {
                let env = decoded.envelope();
                let (seq, at) = (env.hub_seq, env.at_ms);
                let event = decoded.event().clone();
                let entity = event.entity();
                if latest.get(&entity).is_none_or(|(s, _, _)| *s < seq) {
                    latest.insert(entity, (seq, at, event));
                }
            }
            if left == 0 {
                break;
            }
        }
    }
    drop(consumer);
    let _ = stream.delete_consumer(&name).await;
    let mut events: Vec<Held> = latest.into_values().collect();
    events.sort_by_key(|(seq, _, _)| *seq);
    Ok(events)
}
