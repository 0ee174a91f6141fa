//! The hub's link to the region: its one NATS connection, made by the publisher
//! (which owns the connecting) and used by the inbox, repairs and the admin API's
//! status once it is there, with the last problem to show an operator.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use kith_daemon::nats::Settings;
use kith_daemon::{Backoff, Stop};

const DISCONNECTED: &str = "disconnected from NATS; reconnecting (writes are kept in the outbox)";

/// The connection, once made, and the last problem with it.
#[derive(Default)]
pub struct Link {
    client: Mutex<Option<async_nats::Client>>,
    last_error: Mutex<Option<String>>,
    /// The last repair a relay asked for: when (Unix ms), and how many listings it
    /// published again.
    last_repair: Mutex<Option<(i64, u64)>>,
}

impl Link {
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

    pub(crate) fn set_error(&self, error: Option<String>) {
        *lock(&self.last_error) = error;
    }

    /// The last repair a relay asked for, since the hub started: when, and how many
    /// listings it published again.
    pub fn last_repair(&self) -> Option<(i64, u64)> {
        *lock(&self.last_repair)
    }

    pub(crate) fn note_repair(&self, republished: u64) {
        *lock(&self.last_repair) = Some((kith_proto::time::now_ms(), republished));
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Connects, retrying from 100 ms up to `max_backoff` between attempts, and shares
/// the client through `link`; `None` if the hub stops first. A bad URL or an
/// unreadable creds file is said (in `kith status` too) and retried, so that the
/// hub keeps answering (writes go to the outbox) while an operator fixes it.
pub async fn connect(
    settings: &Settings,
    max_backoff: Duration,
    link: &Arc<Link>,
    stop: &mut Stop,
) -> Option<async_nats::Client> {
    let backoff = Backoff::new(Duration::from_millis(100), max_backoff);
    // Show an outage in `kith status` as soon as the client notices it, not only
    // when the next publish times out.
    let events = link.clone();
    let options = move |options: async_nats::ConnectOptions| {
        let events = events.clone();
        options.event_callback(move |event| {
            let link = events.clone();
            async move {
                match event {
                    async_nats::Event::Disconnected => link.set_error(Some(DISCONNECTED.to_owned())),
                    async_nats::Event::Connected if link.last_error().as_deref() == Some(DISCONNECTED) => {
                        link.set_error(None)
                    }
                    _ => {}
                }
            }
        })
    };
    let failed = |e: &kith_daemon::nats::ConnectError| {
        tracing::warn!(error = %e, "will retry; writes are kept in the outbox");
        link.set_error(Some(e.to_string()));
    };
    let client = kith_daemon::nats::connect(settings, backoff, stop, options, failed).await?;
    link.set_error(None);
    *lock(&link.client) = Some(client.clone());
    Some(client)
}

/// Runs a consumer of the hub's (`consume`, given a JetStream context on the link and
/// its own handle on `stop`) until it returns `Ok` or `stop` is set: once the
/// connection is there, and never while a store restored from an older copy has not
/// caught up with the stream (the publisher does that first: the stream may hold
/// erasures the copy lacks, and what the hub publishes meanwhile would reuse
/// sequence numbers the stream holds). After an error, `paused` is told and it runs
/// again after a growing pause.
pub async fn consume_when_caught_up<F, Fut, E>(
    store: &crate::store::Store,
    link: &Link,
    mut stop: Stop,
    mut consume: F,
    mut paused: impl FnMut(E),
) where
    F: FnMut(async_nats::jetstream::Context, Stop) -> Fut,
    Fut: std::future::Future<Output = Result<(), E>>,
{
    let mut backoff = Backoff::new(Duration::from_millis(200), Duration::from_secs(5));
    loop {
        if kith_daemon::is_set(&stop) {
            return;
        }
        let restored = store.restored_pending().unwrap_or(true);
        if let Some(client) = link.client().filter(|_| !restored) {
            match consume(async_nats::jetstream::new(client), stop.clone()).await {
                Ok(()) => return,
                Err(e) => paused(e),
            }
        }
        if !backoff.sleep(&mut stop).await {
            return;
        }
    }
}
