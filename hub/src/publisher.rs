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
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

use crate::store::Store;

/// What the publisher shares with the admin API's `Status`.
#[derive(Default)]
pub struct PublisherState {
    client: Mutex<Option<async_nats::Client>>,
    last_error: Mutex<Option<String>>,
}

impl PublisherState {
    pub fn connected(&self) -> bool {
        lock(&self.client).as_ref().is_some_and(|c| c.connection_state() == async_nats::connection::State::Connected)
    }

    /// The NATS client, once the first connection is made.
    pub fn client(&self) -> Option<async_nats::Client> {
        lock(&self.client).clone()
    }

    pub fn last_error(&self) -> Option<String> {
        lock(&self.last_error).clone()
    }

    fn set_error(&self, error: Option<String>) {
        *lock(&self.last_error) = error;
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

const DISCONNECTED: &str = "disconnected from NATS; reconnecting (writes are kept in the outbox)";

/// How the publisher connects and paces itself.
#[derive(Clone, Debug)]
pub struct PublisherConfig {
    /// One URL, or several separated by commas (a cluster).
    pub nats_url: String,
    pub nats_creds: Option<std::path::PathBuf>,
    /// The CA that signed the NATS server's certificate: TLS, checked against it.
    pub nats_ca: Option<std::path::PathBuf>,
    pub window: usize,
    pub max_backoff: Duration,
    /// A name for the connection, shown by the NATS server's monitoring.
    pub client_name: String,
    /// Where replies to this hub's requests go (`_INBOX_<hub>`).
    pub inbox_prefix: String,
    /// How often an idle publisher looks whether the region's stream was created
    /// again (a publish into a new stream succeeds without saying so).
    pub stream_check: Duration,
    /// This hub's signing keys, the current one first, then those it rotated from:
    /// what the stream holds signed by them is this hub's own.
    pub own_keys: Vec<ed25519_dalek::VerifyingKey>,
}

/// Runs until `stop` turns true.
pub async fn run(store: Store, config: PublisherConfig, state: Arc<PublisherState>, mut stop: watch::Receiver<bool>) {
    let Some(client) = connect(&config, state.clone(), &mut stop).await else { return };
    *lock(&state.client) = Some(client.clone());
    let js = jetstream::new(client.clone());
    let region = store.identity().region.clone();
    let mut backoff = Backoff::new(config.max_backoff);
    loop {
        // The stream, as far as this hub may see it: it is there when this hub's
        // inbox consumer can be had, and it is a new one when that consumer is
        // (a stream deleted takes its consumers with it). The relay creates it.
        let ensured = open_stream(&store, &js).await;
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
    // Let buffered commands reach the server before the connection is dropped.
    let _ = client.flush().await;
}

enum Drained {
    Stopped,
    /// The region's stream may have been deleted and created again.
    NewStream,
    Failed(String),
}

/// The region's stream and what tells this instance of it: the mark of this hub's
/// inbox consumer ([`crate::inbox::stream_mark`]), made now if it is not there.
async fn open_stream(
    store: &Store,
    js: &jetstream::Context,
) -> Result<(jetstream::stream::Stream<()>, String), String> {
    let stream = kith_proto::stream::open(js, &store.identity().region).await.map_err(|e| e.to_string())?;
    let (name, config) = crate::inbox::consumer_config(store);
    let consumer = stream.get_or_create_consumer(&name, config).await.map_err(|e| e.to_string())?;
    Ok((stream, crate::inbox::stream_mark(consumer.cached_info())))
}

/// Whether the region's stream may no longer be the one this hub last published to:
/// this hub's inbox consumer carries another mark, or is not found (the stream
/// went with it; or a cluster node that has just restarted does not know it yet,
/// which [`open_stream`] then settles).
async fn stream_is_new(store: &Store, js: &jetstream::Context) -> bool {
    let Ok(stream) = kith_proto::stream::open(js, &store.identity().region).await else { return false };
    let (name, _) = crate::inbox::consumer_config(store);
    match stream.consumer_info(&name).await {
        Ok(info) => store.stream_changed(&crate::inbox::stream_mark(&info)).await.unwrap_or(false),
        Err(e) => {
            use async_nats::jetstream::context::ConsumerInfoErrorKind as K;
            matches!(e.kind(), K::NotFound | K::StreamNotFound)
        }
    }
}

/// Publishes the outbox until stopped or until something fails.
async fn drain(
    store: &Store,
    js: &jetstream::Context,
    config: &PublisherConfig,
    state: &PublisherState,
    stop: &mut watch::Receiver<bool>,
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
            if stream_is_new(store, js).await {
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

/// Connects, retrying with backoff; `None` if stopped first.
async fn connect(
    config: &PublisherConfig,
    state: Arc<PublisherState>,
    stop: &mut watch::Receiver<bool>,
) -> Option<async_nats::Client> {
    let mut backoff = Backoff::new(config.max_backoff);
    loop {
        let (servers, options) = match kith_proto::nats::connect_options(
            &config.nats_url,
            config.nats_creds.as_deref(),
            config.nats_ca.as_deref(),
            &config.client_name,
        )
        .await
        {
            // Replies on this hub's own prefix, which its NATS user may be limited to
            // (see `kith_proto::permissions`).
            Ok((servers, options)) => (servers, options.custom_inbox_prefix(&config.inbox_prefix)),
            Err(e) => {
                // A bad URL or an unreadable creds file: say so, and keep the
                // hub answering (writes go to the outbox) while an operator fixes it.
                tracing::error!(error = %e, "cannot connect to NATS");
                state.set_error(Some(e.to_string()));
                if !backoff.sleep(stop).await {
                    return None;
                }
                continue;
            }
        };
        // Show an outage in `kith status` as soon as the client notices it, not only
        // when the next publish times out.
        let events = state.clone();
        let options = options.event_callback(move |event| {
            let state = events.clone();
            async move {
                match event {
                    async_nats::Event::Disconnected => state.set_error(Some(DISCONNECTED.to_owned())),
                    async_nats::Event::Connected if state.last_error().as_deref() == Some(DISCONNECTED) => {
                        state.set_error(None)
                    }
                    _ => {}
                }
            }
        });
        let attempt = tokio::select! {
            r = options.connect(servers) => r,
            _ = stop.changed() => return None,
        };
        match attempt {
            Ok(client) => {
                tracing::info!(url = %kith_proto::nats::redact(&config.nats_url), "connected to NATS");
                state.set_error(None);
                return Some(client);
            }
            Err(e) => {
                let msg = format!("cannot connect to NATS at {}: {e}", kith_proto::nats::redact(&config.nats_url));
                tracing::warn!(error = %msg, "will retry; writes are kept in the outbox");
                state.set_error(Some(msg));
                if !backoff.sleep(stop).await {
                    return None;
                }
            }
        }
    }
}

/// Exponential backoff from 100 ms up to a ceiling.
struct Backoff {
    next: Duration,
    max: Duration,
}

impl Backoff {
    const FIRST: Duration = Duration::from_millis(100);

    fn new(max: Duration) -> Self {
        Backoff { next: Self::FIRST, max }
    }

    fn reset(&mut self) {
        self.next = Self::FIRST;
    }

    /// Sleeps; false if stopped meanwhile.
    async fn sleep(&mut self, stop: &mut watch::Receiver<bool>) -> bool {
        let d = self.next;
        self.next = (self.next * 2).min(self.max);
        tokio::select! {
            _ = tokio::time::sleep(d) => !*stop.borrow(),
            _ = stop.changed() => false,
        }
    }
}
