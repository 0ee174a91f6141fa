//! The outbox publisher: drains the store's outbox to the region's JetStream stream.
//!
//! Entries go out in sequence order with their envelope id as `Nats-Msg-Id`, so that
//! JetStream drops a re-publish within its duplicate window. Up to `window` publishes
//! are in flight at once (a window of `PublishAckFuture`s, not one round trip per
//! event); an entry is deleted from the outbox only after its PubAck. On any failure
//! the in-flight window is dropped and publishing starts again from the oldest entry
//! still in the outbox, after a backoff. While NATS is unreachable the outbox simply
//! grows: the hub keeps accepting writes.

use async_nats::jetstream::{self, message::PublishMessage};
use futures::StreamExt;
use futures::stream::FuturesOrdered;
use std::sync::Arc;
use std::time::Duration;

use kith_daemon::nats::Settings;
use kith_daemon::{Backoff, Stop};

use crate::link::{self, Link};
use crate::store::Store;
use crate::stream;

/// How the publisher connects and paces itself.
#[derive(Clone, Debug)]
pub struct PublisherConfig {
    /// The region's NATS, with replies on this hub's own prefix (`_INBOX_<hub>`),
    /// which its NATS user may be limited to (see `kith_proto::permissions`).
    pub nats: Settings,
    pub window: usize,
    pub max_backoff: Duration,
    /// How often an idle publisher looks whether the region's stream was created
    /// again (a publish into a new stream succeeds without saying so).
    pub stream_check: Duration,
    /// This hub's signing keys, the current one first, then those it rotated from:
    /// what the stream holds signed by them is this hub's own.
    pub own_keys: Vec<ed25519_dalek::VerifyingKey>,
}

/// Runs until `stop` turns true.
pub async fn run(store: Store, config: PublisherConfig, state: Arc<Link>, mut stop: Stop) {
    let Some(client) = link::connect(&config.nats, config.max_backoff, &state, &mut stop).await else { return };
    let js = jetstream::new(client.clone());
    let region = store.identity().region.clone();
    let mut backoff = Backoff::new(Duration::from_millis(100), config.max_backoff);
    loop {
        // The stream, as far as this hub may see it: it is there when this hub's
        // inbox consumer can be had, and it is a new one when that consumer is
        // (a stream deleted takes its consumers with it). The relay creates it.
        let ensured = stream::open(&store, &js).await;
        // Nothing goes out before the store is known not to be behind the stream
        // (restored from an older copy): not even a republish.
        let caught_up = match &ensured {
            Ok((stream, _)) => crate::catchup::run(&store, stream, &config.own_keys).await.map(|_| ()),
            Err(_) => Ok(()),
        };
        if let (Ok((_, mark)), Ok(())) = (&ensured, &caught_up) {
            // A stream created anew has lost everything the hub published before:
            // publish it all again, from the store.
            match store.stream_changed(mark).await {
                Ok(false) => {}
                Ok(true) => match store.republish_to(mark).await {
                    Ok(n) => tracing::warn!(events = n, "the region's stream is new: republished everything"),
                    Err(e) => tracing::error!(error = %e, "cannot republish to the new stream"),
                },
                Err(e) => tracing::error!(error = %e, "cannot record the stream's identity"),
            }
        }
        let failure = match (ensured, caught_up) {
            (Err(e), _) => format!(
                "cannot use stream {} (the region's relay creates it): {e}",
                kith_proto::subject::stream_name(&region)
            ),
            (Ok(_), Err(e)) => e,
            (Ok(_), Ok(())) => match drain(&store, &js, &config, &state, &mut stop, &mut backoff).await {
                Drained::Stopped => break,
                // Back to the top: the new stream is republished to at once.
                Drained::NewStream => continue,
                Drained::Failed(e) => e,
            },
        };
        tracing::warn!(error = %failure, "publishing paused; will retry");
        state.set_error(Some(failure));
        if !backoff.sleep(&mut stop).await {
            break;
        }
    }
    // Let buffered commands reach the server before the connection is dropped, but
    // never wait on a server that is down or not answering: what was not acked is
    // still in the outbox.
    if client.connection_state() == async_nats::connection::State::Connected {
        let _ = tokio::time::timeout(Duration::from_millis(500), client.flush()).await;
    }
}

enum Drained {
    Stopped,
    /// The region's stream may have been deleted and created again.
    NewStream,
    Failed(String),
}

/// Publishes the outbox until stopped or until something fails.
async fn drain(
    store: &Store,
    js: &jetstream::Context,
    config: &PublisherConfig,
    state: &Link,
    stop: &mut Stop,
    backoff: &mut Backoff,
) -> Drained {
    let window = config.window;
    let mut cursor = 0u64;
    let mut inflight = FuturesOrdered::new();
    // When to look next whether the stream was created again: on a clock of its
    // own, so that a busy outbox (heartbeats included) never puts it off.
    let mut next_check = tokio::time::Instant::now() + config.stream_check;
    loop {
        if *stop.borrow() {
            return Drained::Stopped;
        }
        if tokio::time::Instant::now() >= next_check {
            next_check = tokio::time::Instant::now() + config.stream_check;
            if stream::is_new(store, js).await {
                tracing::debug!("the region's stream may have been created again: opening it afresh");
                return Drained::NewStream;
            }
        }
        // Fill the window from the outbox.
        if inflight.len() < window {
            let batch = match store.outbox_after(cursor, window - inflight.len()) {
                Ok(b) => b,
                Err(e) => return Drained::Failed(format!("cannot read outbox: {e}")),
            };
            for (seq, entry) in batch {
                let publish = PublishMessage::build().payload(entry.bytes.into()).message_id(&entry.msg_id);
                match js.send_publish(entry.subject, publish).await {
                    Ok(ack) => inflight.push_back(async move { (seq, ack.await) }),
                    Err(e) => return Drained::Failed(format!("publish of seq {seq} failed: {e}")),
                }
                cursor = seq;
            }
        }
        if inflight.is_empty() {
            tokio::select! {
                _ = store.outbox_changed() => {}
                _ = stop.changed() => {}
                _ = tokio::time::sleep_until(next_check) => {}
            }
            continue;
        }
        tokio::select! {
            Some((seq, result)) = inflight.next() => match result {
                Ok(ack) => {
                    if ack.duplicate {
                        tracing::debug!(seq, "already in the stream (duplicate window)");
                    }
                    if let Err(e) = store.published(seq) {
                        return Drained::Failed(format!("cannot record PubAck of seq {seq}: {e}"));
                    }
                    tracing::trace!(seq, stream_seq = ack.sequence, "published");
                    if state.last_error().is_some() {
                        tracing::info!("publishing resumed");
                        state.set_error(None);
                    }
                    backoff.reset();
                }
                Err(e) => return Drained::Failed(format!("no PubAck for seq {seq}: {e}")),
            },
            _ = stop.changed() => {}
        }
    }
}
