//! Ingest: the relay's durable JetStream consumer on the region's stream.
//!
//! For each message: bound, decode and verify the envelope ([`envelope::open`], with
//! the key pinned for the subject's hub), hand it to [`crate::view::View::apply`], and write what
//! changed to the store. A batch of messages is flushed to disk once, and only then
//! acknowledged: an acknowledged event is never lost by a `kill -9` of the relay.
//!
//! - Keys are pinned by trust on first use: a hub's first profile verifies with the
//!   key it carries — or, with a region's roster, with the roster's key. A later
//!   profile carrying another key is a rotation: signed by the new key, with
//!   rotations that lead to it from the pinned one.
//! - A hub revoked (`--revoke`) or off the roster is not listened to: its events
//!   are refused before they are verified, counted as `revoked` or `not-on-roster`.
//! - The stream keeps one message per subject, so after compaction a hub's latest
//!   profile can come *after* its listings. An event from a hub without a pinned key
//!   makes ingest fetch that hub's profile from the stream, pin it, and retry. When
//!   the stream holds no profile of the hub (it was lost, or purged), the event
//!   waits for one — delivered again with growing delays, for about half an hour,
//!   a bounded number at a time — since the hub's next heartbeat publishes it again.
//! - Rejected events are counted by reason, logged (subject and reason, never the
//!   payload), never applied, and terminated so they are not redelivered.
//! - Referrals are verified like every other event; the view keeps their metadata
//!   only. Their sealed notes are never stored or logged (logs name the subject,
//!   the sequence and the event's kind, never a payload).
//!
//! A new or cleared store (a new directory, `--rebuild`) makes ingest delete and
//! recreate its durable consumer, so that the whole stream is replayed into the view.
//! NATS being down is not an error: ingest retries, and queries are answered from
//! the view meanwhile.

use async_nats::jetstream::{
    self, AckKind,
    consumer::{AckPolicy, DeliverPolicy, PullConsumer, pull},
    stream::{LastRawMessageErrorKind, Stream},
};
use ed25519_dalek::VerifyingKey;
use futures::StreamExt;
use futures::stream::ReadyChunks;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;
use thiserror::Error;
use tokio::sync::mpsc;
use tracing::{debug, info, warn};

use kith_daemon::{Backoff, Stop, stopped};
use kith_proto::Slug;
use kith_proto::envelope::{self, Decoded, EnvelopeError, Opened};
use kith_proto::event::Event;
use kith_proto::subject::{Entity, Subject, stream_name};

use crate::Shared;
use crate::config::Config;
use crate::pins::Pins;
use crate::store::{Record, Store, StoreError};
use crate::view::{MAX_CLOCK_AHEAD_MS, Outcome};

/// Messages applied per flush. Large enough that a replay of a big region is not
/// bound by fsyncs, small enough that a batch is applied well within the ack wait.
const BATCH: usize = 256;
/// How long JetStream waits for an ack before redelivering.
const ACK_WAIT: Duration = Duration::from_secs(30);
/// How often ingest moves the view to the current day (closing dates).
const DAY_TICK: Duration = Duration::from_secs(60);
/// When a hub's profile cannot be fetched because NATS is unreachable, the event
/// waits this long before it is delivered again.
const RETRY_LATER: Duration = Duration::from_secs(2);
/// An event of a hub whose profile is not (or no longer) in the stream waits for
/// one: it is delivered again after 5 s, then 10, 20, 40 and every 60 s, for this
/// many deliveries (about half an hour, many heartbeats of the hub), and only then
/// refused as from an unknown hub.
const PROFILE_WAITS: u64 = 32;
/// Events waiting for their hub's profile at once; more are refused at once, so
/// that waiting events can never hold up the consumer (`max_ack_pending`).
const MAX_WAITING: usize = BATCH * 2;

/// How long an event waiting for its hub's profile is held before its `delivered`th
/// delivery's next one.
fn profile_wait(delivered: u64) -> Duration {
    Duration::from_secs((5u64 << delivered.saturating_sub(1).min(4)).min(60))
}

/// Idle heartbeat of the pull requests: a missing one means NATS is unreachable.
const HEARTBEAT: Duration = Duration::from_secs(5);

/// Counters of what ingest did since the relay started.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Events verified and applied to the view.
    pub applied: u64,
    /// Events verified but not newer than what the view has (redeliveries).
    pub ignored: u64,
    /// Events refused, by reason: [`EnvelopeError::reason`], or `invalid` for a
    /// signed event whose values break the domain's limits.
    pub rejected: BTreeMap<String, u64>,
}

/// A failure that stops ingest, and with it the relay: the view can no longer be
/// persisted. Everything to do with NATS is retried instead.
#[derive(Debug, Error)]
pub enum IngestError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a consumer could not be set up; NATS failures are retried.
#[derive(Debug, Error)]
enum SetupError {
    #[error("{0}")]
    Nats(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SetupError {
    fn nats(e: impl std::fmt::Display) -> SetupError {
        SetupError::Nats(e.to_string())
    }
}

/// Waits between attempts to reach NATS or open the consumer: 0.5 s doubling up to 5 s.
fn backoff() -> Backoff {
    Backoff::new(Duration::from_millis(500), Duration::from_secs(5))
}

/// How the message stream of one consumer session ended.
enum Ended {
    Stopped,
    Broken(String),
}

/// What to tell JetStream about a message.
enum Verdict {
    /// Applied, ignored or skipped: done with it.
    Done,
    /// Refused: never deliver it again; with `purge`, and deleted from the stream.
    Rejected { purge: bool },
    /// Could not be decided now (NATS trouble): deliver it again later.
    Later,
    /// From a hub whose profile is not in the stream yet: deliver it again after
    /// this long.
    AwaitProfile(Duration),
}

impl Verdict {
    fn ack_kind(&self) -> AckKind {
        match self {
            Verdict::Done => AckKind::Ack,
            Verdict::Rejected { .. } => AckKind::Term,
            Verdict::Later => AckKind::Nak(Some(RETRY_LATER)),
            Verdict::AwaitProfile(wait) => AckKind::Nak(Some(*wait)),
        }
    }
}

/// A batch of messages as received, their signatures checked ahead.
#[derive(Default)]
struct Received {
    messages: Vec<jetstream::Message>,
    /// For each message, its envelope when its signature was checked ahead.
    verified: Vec<Option<(Decoded, VerifyingKey)>>,
    /// Why the message stream broke after these messages, when it did.
    broken: Option<String>,
    /// Heartbeats went missing: NATS is unreachable (the client reconnects).
    unreachable: Option<String>,
}

/// A batch applied to the view and written to the store, to be flushed and
/// acknowledged.
struct Applied {
    /// Each message and what to tell JetStream of it.
    done: Vec<(jetstream::Message, Verdict)>,
    /// Whether the view changed, for live pages.
    changed: bool,
    /// Repair requests to send once the batch is on disk: subject, payload.
    repairs: Vec<(String, Vec<u8>)>,
}

/// A task stopped when this is dropped.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The ingest task's state.
pub(crate) struct Ingest {
    config: Config,
    store: Store,
    shared: Shared,
    /// The hubs' keys: ingest is the only verifier, and their only owner.
    pins: std::sync::Mutex<Pins>,
    /// Stream sequences of the events waiting for their hub's profile.
    awaiting: std::sync::Mutex<std::collections::HashSet<u64>>,
    /// Repair requests of the batch being applied: subject, payload.
    repairs: std::sync::Mutex<Vec<(String, Vec<u8>)>>,
    /// The NATS connection, for repair requests.
    client: std::sync::OnceLock<async_nats::Client>,
}

impl Ingest {
    pub(crate) fn new(config: Config, store: Store, shared: Shared, pins: Pins) -> Ingest {
        Ingest {
            config,
            store,
            shared,
            pins: std::sync::Mutex::new(pins),
            awaiting: Default::default(),
            repairs: Default::default(),
            client: Default::default(),
        }
    }

    /// Runs until `stop` turns true (finishing the batch in hand) or the store fails.
    pub(crate) async fn run(self, stop: Stop) -> Result<(), IngestError> {
        Arc::new(self).run_shared(stop).await
    }

    async fn run_shared(self: Arc<Self>, mut stop: Stop) -> Result<(), IngestError> {
        let Some(client) = self.connect(&mut stop).await else { return Ok(()) };
        let _ = self.client.set(client.clone());
        self.shared.set_nats(client.clone());
        if let Some(asks) = self.shared.asks() {
            asks.ensure_stream().await;
        }
        let js = jetstream::new(client);
        let mut backoff = backoff();
        loop {
            let setup = tokio::select! {
                r = self.open_consumer(&js) => r,
                _ = stopped(&mut stop) => return Ok(()),
            };
            match setup {
                Ok((stream, consumer)) => {
                    backoff.reset();
                    match self.consume(&stream, consumer, &mut stop).await? {
                        Ended::Stopped => return Ok(()),
                        Ended::Broken(why) => warn!(%why, "consumer session ended; starting a new one"),
                    }
                }
                Err(SetupError::Store(e)) => return Err(e.into()),
                Err(SetupError::Nats(why)) => {
                    warn!(%why, "cannot open the region stream and consumer; retrying");
                }
            }
            if !backoff.sleep(&mut stop).await {
                return Ok(());
            }
        }
    }

    /// Connects to NATS, retrying until it answers (serving the stored view
    /// meanwhile). Once connected, the client reconnects by itself after an outage.
    async fn connect(&self, stop: &mut Stop) -> Option<async_nats::Client> {
        let settings = kith_daemon::nats::Settings {
            urls: self.config.nats_url.clone(),
            creds: self.config.nats_creds.clone(),
            password_file: None,
            ca: self.config.nats_ca.clone(),
            name: format!("kith-relay {} {}", self.config.region, self.config.name),
            inbox_prefix: None,
        };
        let failed = |e: &kith_daemon::nats::ConnectError| {
            warn!(error = %e, "cannot reach NATS; serving the stored view meanwhile");
        };
        kith_daemon::nats::connect(&settings, backoff(), stop, |o| o, failed).await
    }

    fn consumer_config(&self) -> pull::Config {
        // Only fields nats-server 2.9 understands: no `filter_subjects`. No filter at
        // all: the stream holds only this region's subjects.
        pull::Config {
            durable_name: Some(self.config.name.clone()),
            description: Some(format!("Kith relay view of region {}", self.config.region)),
            deliver_policy: DeliverPolicy::All,
            ack_policy: AckPolicy::Explicit,
            ack_wait: ACK_WAIT,
            max_ack_pending: (BATCH * 8) as i64,
            ..Default::default()
        }
    }

    /// Gets or creates the region's stream and this relay's durable consumer. For a
    /// store that was not filled from this consumer, the consumer starts over.
    async fn open_consumer(&self, js: &jetstream::Context) -> Result<(Stream, PullConsumer), SetupError> {
        let region = &self.config.region;
        let (stream, max_bytes) = if self.config.national.is_empty() {
            kith_proto::stream::ensure(js, region, self.config.replicas, self.config.stream_max_bytes)
                .await
                .map_err(SetupError::nats)?
        } else {
            let config = kith_proto::stream::national_stream(
                region,
                &self.config.national,
                self.config.replicas,
                self.config.stream_max_bytes,
            );
            let stream = kith_proto::stream::ensure_national(js, config).await.map_err(SetupError::nats)?;
            let max_bytes = stream.cached_info().config.max_bytes;
            (stream, max_bytes)
        };
        if max_bytes > 0 && max_bytes < self.config.stream_max_bytes {
            warn!(
                max_bytes,
                asked = self.config.stream_max_bytes,
                "the region's stream is limited to what the server can store"
            );
        }
        let name = &self.config.name;
        let marker = format!("{}/{}", stream_name(region), name);
        if self.store.consumer()?.as_deref() == Some(marker.as_str()) {
            let consumer =
                stream.get_or_create_consumer(name, self.consumer_config()).await.map_err(SetupError::nats)?;
            info!(consumer = %name, "resuming from the stored view");
            return Ok((stream, consumer));
        }
        match stream.delete_consumer(name).await {
            Ok(_) => info!(consumer = %name, "deleted the durable consumer to replay the stream"),
            Err(e) if is_consumer_not_found(&e) => {}
            Err(e) => return Err(SetupError::nats(e)),
        }
        let consumer = stream.create_consumer(self.consumer_config()).await.map_err(SetupError::nats)?;
        self.store.set_consumer(&marker)?;
        self.store.flush().await?;
        info!(consumer = %name, stream = %stream_name(region), "rebuilding the view from the whole stream");
        Ok((stream, consumer))
    }

    /// Consumes messages in batches until stopped or the session breaks, in three
    /// stages that overlap: a task receives each batch and checks its signatures
    /// ([`Ingest::receive`]), this loop applies it to the view and writes it to the
    /// store, and a task flushes it and only then acknowledges it
    /// ([`Ingest::acknowledge`]). So a batch's signatures are checked while the one
    /// before is applied, and that one is applied while the one before it is made
    /// durable; each stage takes its batches in order.
    async fn consume(
        self: &Arc<Self>,
        stream: &Stream,
        consumer: PullConsumer,
        stop: &mut Stop,
    ) -> Result<Ended, IngestError> {
        let messages = match consumer.stream().max_messages_per_batch(BATCH).heartbeat(HEARTBEAT).messages().await {
            Ok(m) => m,
            Err(e) => return Ok(Ended::Broken(e.to_string())),
        };
        let (received_tx, mut received) = mpsc::channel(1);
        let receiver = AbortOnDrop(tokio::spawn(self.clone().receive(messages.ready_chunks(BATCH), received_tx)));
        let (applied, applied_rx) = mpsc::channel(1);
        let acknowledger = tokio::spawn(self.clone().acknowledge(stream.clone(), applied_rx));
        let ended = self.apply_batches(stream, &mut received, &applied, stop).await;
        // What was applied is flushed and acknowledged before the session ends: a
        // stop finishes the batches in hand.
        drop((receiver, received, applied));
        let acknowledged = acknowledger.await.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
        acknowledged?;
        ended
    }

    /// Receives batches of messages and checks their signatures ahead
    /// ([`Ingest::verify_ahead`]), until the session breaks or the loop applying
    /// them is gone.
    async fn receive(self: Arc<Self>, mut batches: ReadyChunks<pull::Stream>, out: mpsc::Sender<Received>) {
        while let Some(batch) = batches.next().await {
            let mut received = Received { messages: Vec::with_capacity(batch.len()), ..Default::default() };
            for item in batch {
                match item {
                    Ok(message) => received.messages.push(message),
                    Err(e) => {
                        use async_nats::jetstream::consumer::pull::MessagesErrorKind as K;
                        match e.kind() {
                            // NATS unreachable: the client reconnects and the stream pulls again.
                            K::MissingHeartbeat | K::Pull => received.unreachable = Some(e.to_string()),
                            _ => received.broken = Some(e.to_string()),
                        }
                    }
                }
            }
            received.verified = self.verify_ahead(&received.messages).await;
            let broken = received.broken.is_some();
            if out.send(received).await.is_err() || broken {
                return;
            }
        }
        let ended = Received { broken: Some("message stream ended".into()), ..Default::default() };
        let _ = out.send(ended).await;
    }

    /// Applies each batch received to the view and writes it to the store, handing
    /// it on to be flushed and acknowledged; writes checkpoints between batches and
    /// moves the view to the current day.
    async fn apply_batches(
        &self,
        stream: &Stream,
        received: &mut mpsc::Receiver<Received>,
        applied: &mpsc::Sender<Applied>,
        stop: &mut Stop,
    ) -> Result<Ended, IngestError> {
        let mut day = tokio::time::interval(DAY_TICK);
        let mut checkpoints = tokio::time::interval(self.config.checkpoint_interval);
        checkpoints.tick().await;
        let mut last_checkpoint = std::time::Instant::now();
        // How long the last checkpoint took: the next waits a few times as long.
        let mut checkpoint_took = Duration::ZERO;
        // Set while heartbeats are missing, so that an outage is logged once, not
        // at every missed heartbeat.
        let mut waiting = false;
        loop {
            // A batch in hand is always applied and handed on before a stop is noticed.
            let batch = tokio::select! {
                _ = stopped(stop) => return Ok(Ended::Stopped),
                _ = day.tick() => {
                    self.shared.view_mut().set_today(self.config.clock.today());
                    continue;
                }
                _ = checkpoints.tick() => {
                    // Changes waiting, or no checkpoint at all (a view read from the records).
                    let due = self.store.changes() > 0 || matches!(self.store.checkpoint(), Ok(None));
                    if due && last_checkpoint.elapsed() >= self.config.checkpoint_interval {
                        checkpoint_took = self.checkpoint().await;
                        last_checkpoint = std::time::Instant::now();
                    }
                    continue;
                }
                batch = received.recv() => batch,
            };
            // The receiving task is gone only when this loop let it go.
            let Some(Received { messages, verified, broken, unreachable }) = batch else {
                return Ok(Ended::Broken("message stream ended".into()));
            };
            if let Some(e) = unreachable
                && !std::mem::replace(&mut waiting, true)
            {
                warn!(error = %e, "lost contact with NATS; serving the view as it is until it is back");
            }
            if !messages.is_empty() && std::mem::take(&mut waiting) {
                info!("receiving from NATS again");
            }
            let applied_before = self.shared.counters().applied;
            let mut done = Vec::with_capacity(messages.len());
            let mut unpinned = HashMap::new();
            for (message, ahead) in messages.into_iter().zip(verified) {
                let verdict = self.handle(stream, &message, ahead, &mut unpinned).await?;
                if !matches!(verdict, Verdict::AwaitProfile(_)) {
                    self.no_longer_awaiting(&message);
                }
                done.push((message, verdict));
            }
            if !done.is_empty() {
                let repairs =
                    std::mem::take(&mut *self.repairs.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
                let changed = self.shared.counters().applied != applied_before;
                if applied.send(Applied { done, changed, repairs }).await.is_err() {
                    // The store failed under the acknowledging task: it says how.
                    return Ok(Ended::Stopped);
                }
                // Between batches the store holds exactly what the view holds: the
                // moment for a checkpoint, when one is due.
                let (changes, since) = (self.store.changes(), last_checkpoint.elapsed());
                let gap = (checkpoint_took * crate::config::CHECKPOINT_SPACING)
                    .max(crate::config::CHECKPOINT_GAP)
                    .min(self.config.checkpoint_interval);
                if (changes >= crate::config::CHECKPOINT_CHANGES && since >= gap)
                    || (changes > 0 && since >= self.config.checkpoint_interval)
                {
                    checkpoint_took = self.checkpoint().await;
                    last_checkpoint = std::time::Instant::now();
                }
            }
            if let Some(why) = broken {
                return Ok(Ended::Broken(why));
            }
        }
    }

    /// Flushes each batch applied to the store and only then acknowledges its
    /// messages (and sends the repair requests it gave rise to, and tells live pages
    /// of it). One flush makes every write before it durable, so a batch is never
    /// acknowledged before it is on disk. Ends when the applying loop is done, or
    /// with the store's failure.
    async fn acknowledge(
        self: Arc<Self>,
        stream: Stream,
        mut batches: mpsc::Receiver<Applied>,
    ) -> Result<(), IngestError> {
        while let Some(Applied { done, changed, repairs }) = batches.recv().await {
            self.store.flush().await?;
            // Live pages hear of it once the batch is on disk.
            if changed {
                self.shared.changed();
            }
            self.send_repairs(repairs).await;
            let mut purge = Vec::new();
            for (message, verdict) in done {
                if let Err(e) = message.ack_with(verdict.ack_kind()).await {
                    // Not acknowledged: JetStream delivers it again, and the
                    // per-entity sequence makes that harmless.
                    debug!(subject = %message.subject, error = %e, "ack failed");
                }
                if matches!(verdict, Verdict::Rejected { purge: true })
                    && let Ok(info) = message.info()
                {
                    purge.push(info.stream_sequence);
                }
            }
            self.purge(&stream, purge).await;
        }
        Ok(())
    }

    /// Writes a checkpoint of the view ([`crate::snapshot`]), and says how long it
    /// took. Ingest waits for it; queries go on. One that fails is logged and
    /// changes nothing: the last one and the log of changes since it still hold.
    async fn checkpoint(&self) -> Duration {
        let (store, shared, dir) = (self.store.clone(), self.shared.clone(), self.config.dir.clone());
        let started = std::time::Instant::now();
        let written = tokio::task::spawn_blocking(move || {
            let changes = store.changes();
            let epoch = store.begin_epoch();
            crate::snapshot::save(&shared.view(), &dir, &store, epoch).map(|()| changes)
        })
        .await;
        match written {
            Ok(Ok(changes)) => {
                info!(changes, ms = started.elapsed().as_millis() as u64, "view checkpoint written")
            }
            Ok(Err(e)) => {
                warn!(error = %e, "no checkpoint written; a restart reads the last one and the changes since")
            }
            Err(e) => warn!(error = %e, "the checkpoint's task failed"),
        }
        started.elapsed()
    }

    /// Verifies and applies one message. Store failures are the only errors.
    ///
    /// `unpinned` remembers, for the batch in hand, the hubs whose profile could not
    /// be had from the stream: their other events in the batch do not ask again.
    async fn handle(
        &self,
        stream: &Stream,
        message: &jetstream::Message,
        ahead: Option<(Decoded, VerifyingKey)>,
        unpinned: &mut HashMap<Slug, Pin>,
    ) -> Result<Verdict, IngestError> {
        let subject = message.subject.as_str();
        if let Ok(parsed) = Subject::parse(subject) {
            if let Some(reason) = self.config.excluded(&parsed.hub) {
                return Ok(self.reject(subject, reason, &format!("hub {} is not listened to", parsed.hub)));
            }
            // A national view knows each hub by its id alone: a second region's hub
            // of the same id is refused, never mixed with the first.
            let known = self.shared.view().hub_region(&parsed.hub).cloned();
            if let Some(region) = known
                && region != parsed.region
            {
                let why = format!("hub {} is already known in region {region}", parsed.hub);
                return Ok(self.reject(subject, "id-in-another-region", &why));
            }
        }
        let opened = match ahead {
            // Verified ahead under the key that is still the hub's pin: nothing to redo.
            Some((decoded, key)) if self.pinned(decoded.hub())? == Some(key) => decoded.verified_by(key),
            _ => match self.open(stream, message, unpinned).await? {
                Ok(opened) => opened,
                Err(verdict) => return Ok(verdict),
            },
        };
        // Verified with a key kept from before a rebuild, for a hub this view has no
        // profile of yet: fetch it (or restore the hub under its pin) before applying.
        let author = &opened.envelope.hub;
        if !matches!(opened.event, kith_proto::event::Event::Profile(_))
            && !self.shared.view().knows_hub(author)
            && !unpinned.contains_key(author)
        {
            let pin = self.pin_from_stream(stream, &opened.envelope.region, author).await?;
            if !matches!(pin, Pin::Pinned(_)) {
                unpinned.insert(author.clone(), pin);
            }
        }
        // When the stream stored it, for the relay's own lag behind the stream.
        let stored_ms = message.info().ok().map(|i| (i.published.unix_timestamp_nanos() / 1_000_000) as i64);
        self.apply(subject, &opened, stored_ms)
    }

    /// Decodes and verifies one message with its hub's pin, fetching the hub's
    /// profile from the stream when it has none; the verdict when it is refused.
    async fn open(
        &self,
        stream: &Stream,
        message: &jetstream::Message,
        unpinned: &mut HashMap<Slug, Pin>,
    ) -> Result<Result<Opened, Verdict>, IngestError> {
        let subject = message.subject.as_str();
        let parsed = Subject::parse(subject).ok();
        let pinned = match &parsed {
            // A hub's first profile is checked against the roster's key, if any.
            Some(s) if s.entity == Entity::Profile => self.pinned(&s.hub)?.or_else(|| self.config.roster_key(&s.hub)),
            Some(s) => self.pinned(&s.hub)?,
            None => None,
        };
        let region = parsed.as_ref().map(|s| s.region.clone());
        let hub = parsed.map(|s| s.hub);
        let opened = match (envelope::open(&message.payload, subject, pinned.as_ref()), hub) {
            (Ok(opened), _) => opened,
            (Err(EnvelopeError::UnknownHub { .. }), Some(hub)) => {
                let pin = match unpinned.get(&hub) {
                    Some(known) => *known,
                    None => self.pin_from_stream(stream, region.as_ref().expect("parsed with the hub"), &hub).await?,
                };
                match pin {
                    Pin::Pinned(key) => match envelope::open(&message.payload, subject, Some(&key)) {
                        Ok(opened) => opened,
                        Err(e) => return Ok(Err(self.reject(subject, e.reason(), &e))),
                    },
                    Pin::NoProfile | Pin::Unavailable => {
                        unpinned.insert(hub.clone(), pin);
                        if matches!(pin, Pin::Unavailable) {
                            return Ok(Err(Verdict::Later));
                        }
                        // The profile may come: lost in a window of the stream, it
                        // is published again with the hub's next heartbeat.
                        if let Some(wait) = self.await_profile(message) {
                            debug!(%subject, ?wait, "no profile of the hub in the stream yet; delivering it again later");
                            return Ok(Err(Verdict::AwaitProfile(wait)));
                        }
                        let e = EnvelopeError::UnknownHub { hub: hub.to_string() };
                        return Ok(Err(self.reject(subject, e.reason(), &e)));
                    }
                }
            }
            (Err(e), _) => return Ok(Err(self.reject(subject, e.reason(), &e))),
        };
        Ok(Ok(opened))
    }

    /// Decodes a batch and checks its signatures together, on blocking threads (all
    /// cores), before the messages are handled one by one: signature checks are most
    /// of ingest's work. Only events of hubs with a pin are checked ahead, not
    /// profiles (a profile can move the pin); whatever is not verified here, or was
    /// verified under a key that is no longer the pin when its turn comes, goes
    /// through the full check in [`Ingest::handle`].
    async fn verify_ahead(&self, messages: &[jetstream::Message]) -> Vec<Option<(Decoded, VerifyingKey)>> {
        let mut ahead: Vec<Option<(Decoded, VerifyingKey)>> = Vec::with_capacity(messages.len());
        {
            let pins = self.pins();
            for message in messages {
                let decoded = envelope::decode(&message.payload, message.subject.as_str()).ok();
                let candidate = decoded
                    .filter(|d| !matches!(d.event(), Event::Profile(_)))
                    .and_then(|d| pins.get(d.hub()).map(|key| (d, key)));
                ahead.push(candidate);
            }
        }
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
        let per_thread = ahead.len().div_ceil(threads).max(VERIFY_CHUNK);
        let mut parts = Vec::new();
        while !ahead.is_empty() {
            let rest = ahead.split_off(per_thread.min(ahead.len()));
            parts.push(tokio::task::spawn_blocking(move || verify_part(ahead)));
            ahead = rest;
        }
        let mut verified = Vec::with_capacity(messages.len());
        for part in parts {
            match part.await {
                Ok(part) => verified.extend(part),
                // A panic in a signature check: leave the rest to the full check.
                Err(_) => verified.resize_with(verified.len() + per_thread, || None),
            }
        }
        verified.resize_with(messages.len(), || None);
        verified
    }

    fn apply(&self, subject: &str, opened: &Opened, stored_ms: Option<i64>) -> Result<Verdict, IngestError> {
        if let Some(field) = crate::view::future_dated(opened, kith_proto::time::now_ms()) {
            let why = format!("{field}: more than {} s ahead of this relay's clock", MAX_CLOCK_AHEAD_MS / 1000);
            return Ok(self.reject(subject, "future-dated", &why));
        }
        let outcome = self.apply_and_commit(|view| view.apply_received(opened, stored_ms.unwrap_or(i64::MAX)))?;
        match outcome {
            Outcome::Applied(_) => {
                self.shared.counters().applied += 1;
                self.shared.metrics().event("applied", "");
                let now = kith_proto::time::now_ms();
                self.shared.metrics().lag(now - opened.envelope.at_ms);
                if let Some(stored) = stored_ms {
                    self.shared.metrics().stream_lag(now - stored);
                }
                debug!(%subject, seq = opened.envelope.hub_seq, event = opened.event.name(), "applied");
                if let Event::Profile(kith_proto::domain::HubProfile { digest: Some(digest), .. }) = &opened.event {
                    self.compare(&opened.envelope.region, &opened.envelope.hub, digest);
                }
                Ok(Verdict::Done)
            }
            Outcome::Ignored => {
                self.shared.counters().ignored += 1;
                self.shared.metrics().event("ignored", "");
                debug!(%subject, seq = opened.envelope.hub_seq, "ignored: the view has this or a newer state");
                Ok(Verdict::Done)
            }
            // Only the field: the value may be what must never be logged (an address
            // given as an area, say).
            Outcome::Invalid(e) => Ok(self.reject(subject, "invalid", &format!("{}: not within its limits", e.field))),
            Outcome::UnknownHub => {
                let e = EnvelopeError::UnknownHub { hub: opened.envelope.hub.to_string() };
                Ok(self.reject(subject, e.reason(), &e))
            }
            Outcome::OverQuota(quota) => {
                let why = format!("hub {} has used up its {quota} quota", opened.envelope.hub);
                Ok(self.reject(subject, "over-quota", &why))
            }
        }
    }

    /// Anti-entropy: the digest in a hub's heartbeat against the view. Every event
    /// the hub numbered before it has been handled (the stream is in the hub's
    /// order), so a difference is something this relay missed: it asks the hub to
    /// publish those listings again (sent after the batch), and says so once.
    fn compare(&self, region: &Slug, hub: &Slug, digest: &kith_proto::digest::HubDigest) {
        let now = kith_proto::time::now_ms();
        let comparison = self.shared.view_mut().compare_digest(hub, digest, now);
        match comparison {
            crate::view::Comparison::InStep { was_diverged: true } => {
                info!(%hub, "the view is in step with the hub again");
            }
            crate::view::Comparison::InStep { .. } => {}
            crate::view::Comparison::Diverged { newly, request } => {
                if newly {
                    warn!(%hub, "the view differs from what the hub says it published; asking it to repair");
                }
                if let Some(request) = request {
                    let subject = kith_proto::subject::repair_subject(region, hub);
                    match postcard::to_stdvec(&request) {
                        Ok(bytes) => self
                            .repairs
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .push((subject, bytes)),
                        Err(e) => warn!(%hub, error = %e, "cannot encode a repair request"),
                    }
                }
            }
        }
    }

    /// Sends the repair requests of the batch just flushed.
    async fn send_repairs(&self, repairs: Vec<(String, Vec<u8>)>) {
        let Some(client) = self.client.get() else { return };
        for (subject, bytes) in repairs {
            if let Err(e) = client.publish(subject.clone(), bytes.into()).await {
                warn!(%subject, error = %e, "cannot send a repair request; the hub's next heartbeat asks again");
            }
        }
    }

    /// Whether `message` may wait for its hub's profile, and for how long: not after
    /// [`PROFILE_WAITS`] deliveries, nor when [`MAX_WAITING`] others already wait.
    fn await_profile(&self, message: &jetstream::Message) -> Option<Duration> {
        let info = message.info().ok()?;
        let (seq, delivered) = (info.stream_sequence, u64::try_from(info.delivered).unwrap_or(u64::MAX));
        let mut awaiting = self.awaiting.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if delivered >= PROFILE_WAITS || (awaiting.len() >= MAX_WAITING && !awaiting.contains(&seq)) {
            awaiting.remove(&seq);
            return None;
        }
        awaiting.insert(seq);
        Some(profile_wait(delivered))
    }

    fn no_longer_awaiting(&self, message: &jetstream::Message) {
        let mut awaiting = self.awaiting.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if !awaiting.is_empty()
            && let Ok(info) = message.info()
        {
            awaiting.remove(&info.stream_sequence);
        }
    }

    /// Deletes refused messages (see [`PURGED`]) from the stream. One that cannot be
    /// deleted now (NATS trouble, or another relay got there first) is left: it is
    /// refused again when read again.
    async fn purge(&self, stream: &Stream, seqs: Vec<u64>) {
        for seq in seqs {
            match stream.delete_message(seq).await {
                Ok(_) => self.shared.metrics().event("purged", "refused"),
                Err(e) => debug!(seq, error = %e, "could not delete a refused message from the stream"),
            }
        }
    }

    fn reject(&self, subject: &str, reason: &str, why: &dyn std::fmt::Display) -> Verdict {
        *self.shared.counters().rejected.entry(reason.to_owned()).or_default() += 1;
        self.shared.metrics().event("rejected", reason);
        warn!(%subject, %reason, detail = %why, "rejected an event");
        Verdict::Rejected { purge: PURGED.contains(&reason) }
    }

    /// A hub with a key kept from before a rebuild but no usable profile in the stream
    /// comes back under that key; a hub never pinned stays unknown.
    fn restore_pinned(&self, region: &Slug, hub: &Slug) -> Result<Pin, IngestError> {
        let Some(key) = self.pinned(hub)? else {
            return Ok(Pin::NoProfile);
        };
        {
            let mut view = self.shared.view_mut();
            let record = view.restore_pinned(region, hub, key);
            self.commit(&record)?;
        }
        info!(%hub, "restored the hub under the key pinned before the rebuild");
        Ok(Pin::Pinned(key))
    }

    /// The key pinned for `hub`, from its profile or from before a rebuild.
    fn pinned(&self, hub: &Slug) -> Result<Option<VerifyingKey>, IngestError> {
        Ok(self.pins().get(hub))
    }

    fn pins(&self) -> std::sync::MutexGuard<'_, Pins> {
        self.pins.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Changes the view with `apply` and writes what it applied, the view locked
    /// throughout: a reader never finds a listing in the view whose state the store
    /// does not hold yet (a page reads opportunities' bodies from the store).
    fn apply_and_commit(&self, apply: impl FnOnce(&mut crate::view::View) -> Outcome) -> Result<Outcome, IngestError> {
        let mut view = self.shared.view_mut();
        let outcome = apply(&mut view);
        if let Outcome::Applied(record) = &outcome {
            self.commit(record)?;
        }
        Ok(outcome)
    }

    /// Writes what the view applied, and pins the key of an applied profile: the
    /// profile verified under the pin (or, on first use, under its own key), and
    /// carries the key that signs from now on (the same, or a rotation's new key).
    fn commit(&self, record: &Record) -> Result<(), IngestError> {
        self.store.put(record)?;
        if let Record::Hub { hub, record } = record
            && let Ok(key) = VerifyingKey::from_bytes(&record.profile.signing_key)
        {
            self.pins().pin(hub, key)?;
        }
        Ok(())
    }

    /// Fetches `hub`'s latest profile from the stream, verifies it on first use,
    /// applies it (which pins its key) and returns the pinned key.
    async fn pin_from_stream(&self, stream: &Stream, region: &Slug, hub: &Slug) -> Result<Pin, IngestError> {
        let subject = Subject::new(region, hub, Entity::Profile).to_string();
        let message = match stream.get_last_raw_message_by_subject(&subject).await {
            Ok(m) => m,
            Err(e) if e.kind() == LastRawMessageErrorKind::NoMessageFound => return self.restore_pinned(region, hub),
            Err(e) => {
                warn!(%subject, error = %e, "cannot fetch the hub's profile from the stream; retrying later");
                return Ok(Pin::Unavailable);
            }
        };
        // A profile refused here is counted when the consumer delivers that message itself.
        // A key pinned before a rebuild still holds: no second first use.
        // With a roster, its key takes the place of the first use.
        let pinned = self.pinned(hub)?.or_else(|| self.config.roster_key(hub));
        let opened = match envelope::open(&message.payload, &subject, pinned.as_ref()) {
            Ok(o) => o,
            Err(e) => {
                warn!(%subject, reason = e.reason(), "the hub's latest profile does not verify");
                return self.restore_pinned(region, hub);
            }
        };
        let outcome = self.apply_and_commit(|view| view.apply(&opened))?;
        match outcome {
            Outcome::Applied(_) => {
                self.shared.counters().applied += 1;
                self.shared.metrics().event("applied", "");
                info!(%subject, "pinned the hub's key from its latest profile in the stream");
            }
            Outcome::Invalid(e) => warn!(%subject, detail = %e, "the hub's latest profile is invalid"),
            Outcome::Ignored | Outcome::UnknownHub | Outcome::OverQuota(_) => {}
        }
        let known = self.shared.view().knows_hub(hub);
        Ok(match self.pinned(hub)? {
            Some(key) if known => Pin::Pinned(key),
            _ => Pin::NoProfile,
        })
    }
}

/// Why an event is refused in a way that does not depend on this relay's clock, pins
/// or roster, nor on what arrives later: such an event is also deleted from the
/// region's stream, so that one hub publishing junk on its own subjects (unique
/// subjects of up to 64 KiB each) cannot fill the stream and stop every other hub's
/// writes. Listings over a hub's quota are purged too (the relays of a region share
/// their quotas; a hub whose quota is raised later gets them back by anti-entropy),
/// and so are events of a hub that never published a profile, once given up on.
const PURGED: [&str; 7] =
    ["too-large", "malformed", "unknown-version", "subject-mismatch", "invalid", "over-quota", "unknown-hub"];

/// Fewest signatures worth a thread of their own.
const VERIFY_CHUNK: usize = 64;

/// Checks the signatures of one part of a batch, each with the strict check (as
/// [`Decoded::verify`] does); the envelopes that do not verify are left out (None)
/// for the full check to report. Never ed25519 batch verification: see
/// `kith_proto::envelope`'s test of a signature with a small-order part, which a
/// batch accepts or refuses depending on the rest of the chunk.
fn verify_part(part: Vec<Option<(Decoded, VerifyingKey)>>) -> Vec<Option<(Decoded, VerifyingKey)>> {
    part.into_iter().map(|c| c.filter(|(d, k)| d.is_signed_by(k))).collect()
}

/// What fetching a hub's profile from the stream gave.
#[derive(Clone, Copy)]
enum Pin {
    Pinned(VerifyingKey),
    NoProfile,
    Unavailable,
}

fn is_consumer_not_found(e: &async_nats::jetstream::stream::ConsumerError) -> bool {
    use async_nats::jetstream::{ErrorCode, stream::ConsumerErrorKind};
    matches!(e.kind(), ConsumerErrorKind::JetStream(j) if j.error_code() == ErrorCode::CONSUMER_NOT_FOUND)
}

#[cfg(test)]
mod tests {
    #[test]
    fn events_wait_longer_and_longer_for_a_profile() {
        let waits: Vec<u64> = (1..=7).map(|d| super::profile_wait(d).as_secs()).collect();
        assert_eq!(waits, [5, 10, 20, 40, 60, 60, 60]);
        let total: u64 = (1..super::PROFILE_WAITS).map(|d| super::profile_wait(d).as_secs()).sum();
        assert!((1500..=2100).contains(&total), "{total} s in all");
    }
}
