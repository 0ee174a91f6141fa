//! The referral inbox: this hub's durable JetStream consumer on the referral messages
//! addressed to it, and the sweep that expires unanswered referrals it sent.
//!
//! The consumer (`inbox-<hub>`, one `filter_subject`: `kith.<region>.*.referral.<hub>.*`)
//! survives restarts, so a hub that was offline gets what was sent meanwhile. Each
//! message is verified with its author's pinned key (learnt from the stream on first
//! sight), its sealed notes are opened with this hub's x25519 key, and it is taken
//! into the referral's record in one store write, flushed before the message is
//! acknowledged; a redelivered or older message changes nothing. Messages that do not
//! verify, or that speak for a referral between other hubs, are logged (subject and
//! reason only) and dropped.

use async_nats::jetstream::{self, AckKind};
use crypto_box::SecretKey;
use futures::StreamExt;
use kith_daemon::Stop;
use std::sync::Arc;
use std::time::Duration;
use thiserror::Error;

use kith_proto::envelope::{self, EnvelopeError};
use kith_proto::event::Event;
use kith_proto::referral::{ReferralStatus, Role, SideNotes, open_notes};
use kith_proto::subject::{Entity, Subject};

use crate::limits::{Refusal, Refusals, SenderLimits};
use crate::link::Link;
use crate::peers::{self, PeerError};
use crate::referral::ReferralRecord;
use crate::store::{ReferralChange, Store, StoreError};

#[derive(Debug, Error)]
enum InboxError {
    #[error("NATS: {0}")]
    Nats(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a message was dropped.
enum Dropped {
    Envelope(EnvelopeError),
    Peer(PeerError),
    Other(String),
}

/// Consumes this hub's referral inbox until `stop` turns true. Uses the publisher's
/// connection once it has one.
/// What the inbox reads with and holds to.
pub struct Inbox {
    /// This hub's box secrets, the current one first.
    pub secrets: Arc<Vec<SecretKey>>,
    /// What one other hub may send.
    pub limits: SenderLimits,
    /// What was refused, shared with the admin API's status.
    pub refusals: Arc<Refusals>,
}

pub async fn run(store: Store, inbox: Inbox, state: Arc<Link>, stop: Stop) {
    // Not before a restored store has caught up: a step taken now could seal a person
    // the stream says was erased.
    crate::link::consume_when_caught_up(
        &store,
        &state,
        stop,
        |js, mut stop| {
            let (store, inbox) = (&store, &inbox);
            async move { consume(store, &js, inbox, &mut stop).await }
        },
        |e: InboxError| tracing::warn!(error = %e, "referral inbox paused; will retry"),
    )
    .await
}

async fn consume(store: &Store, js: &jetstream::Context, inbox: &Inbox, stop: &mut Stop) -> Result<(), InboxError> {
    let (name, config) = crate::stream::inbox_consumer(store);
    // Each of these is a request to a server that may be gone or not answering:
    // the hub stopping does not wait for its time-out.
    let open = async {
        let stream = kith_proto::stream::open(js, &store.identity().region).await.map_err(|e| e.to_string())?;
        let consumer = stream.get_or_create_consumer(&name, config).await.map_err(|e| e.to_string())?;
        consumer.messages().await.map_err(|e| e.to_string())
    };
    let mut messages = tokio::select! {
        opened = open => opened.map_err(InboxError::Nats)?,
        _ = kith_daemon::stopped(stop) => return Ok(()),
    };
    tracing::info!(consumer = %name, "referral inbox open");
    loop {
        let message = tokio::select! {
            m = messages.next() => m,
            _ = kith_daemon::stopped(stop) => return Ok(()),
        };
        let message = match message {
            Some(Ok(m)) => m,
            Some(Err(e)) => return Err(InboxError::Nats(e.to_string())),
            None => return Err(InboxError::Nats("the consumer's message stream ended".into())),
        };
        let subject = message.subject.to_string();
        match take(store, js, inbox, &subject, &message.payload).await? {
            Ok(()) => {
                message.ack().await.map_err(|e| InboxError::Nats(e.to_string()))?;
            }
            Err(Dropped::Peer(e @ (PeerError::Unreachable { .. } | PeerError::NoProfile { .. }))) => {
                // Try again later rather than dropping a referral for want of a key.
                tracing::warn!(%subject, error = %e, "cannot verify a referral message yet");
                let _ = message.ack_with(AckKind::Nak(Some(Duration::from_secs(2)))).await;
            }
            Err(dropped) => {
                let why = match dropped {
                    Dropped::Envelope(e) => e.reason().to_owned(),
                    Dropped::Peer(e) => e.to_string(),
                    Dropped::Other(why) => why,
                };
                tracing::warn!(%subject, reason = %why, "referral message dropped");
                let _ = message.ack_with(AckKind::Term).await;
            }
        }
    }
}

/// Verifies one message and takes it into its referral. The outer error is a store
/// failure (the message stays unacknowledged); the inner one a message to drop.
async fn take(
    store: &Store,
    js: &jetstream::Context,
    inbox: &Inbox,
    subject: &str,
    payload: &[u8],
) -> Result<Result<(), Dropped>, InboxError> {
    let me = &store.identity().hub;
    let author = match Subject::parse(subject) {
        // The consumer's filter should only ever deliver what is addressed here; a
        // consumer created with a wider one must not make this hub answer for others.
        Ok(Subject { hub, entity: Entity::Referral { to, .. }, .. }) if &to == me => hub,
        Ok(_) => return Ok(Err(Dropped::Other("not a referral addressed to this hub".into()))),
        Err(e) => return Ok(Err(Dropped::Other(e.to_string()))),
    };
    if store.has_left()? {
        return Ok(Err(Dropped::Other("this hub has left the region".into())));
    }
    if &author == me {
        return Ok(Err(Dropped::Other("a referral message from this hub to itself".into())));
    }
    let keys = match peers::keys(store, Some(js), &author).await {
        Ok(k) => k,
        Err(e) => return Ok(Err(Dropped::Peer(e))),
    };
    let opened = match envelope::open(payload, subject, keys.verifying_key().as_ref()) {
        Ok(o) => o,
        // A profile rotation may have happened since the pin: learn again once.
        Err(EnvelopeError::BadSignature { .. }) => match peers::learn(store, js, &author).await {
            Ok(k) => match envelope::open(payload, subject, k.verifying_key().as_ref()) {
                Ok(o) => o,
                Err(e) => return Ok(Err(Dropped::Envelope(e))),
            },
            Err(e) => return Ok(Err(Dropped::Peer(e))),
        },
        Err(e) => return Ok(Err(Dropped::Envelope(e))),
    };
    let Event::Referral(side) = opened.event else {
        return Ok(Err(Dropped::Other("not a referral".into())));
    };
    let notes = match &side.sealed {
        None => SideNotes::default(),
        // Sealed to this hub's box key, or to one it had before a rotation.
        Some(sealed) => match inbox.secrets.iter().find_map(|secret| open_notes(sealed, secret).ok()) {
            Some(n) => n,
            None => return Ok(Err(Dropped::Other(kith_proto::referral::SealError::Open.to_string()))),
        },
    };
    let seq = opened.envelope.hub_seq;
    // A new referral from a hub over its limits: refused before anything of it is
    // kept (its person is never stored), the sender told at most so often.
    let refusal = if side.role == Role::Sender && store.referral(side.id)?.is_none() {
        let held = store.referrals()?;
        inbox.refusals.check(inbox.limits, &author, &held, kith_proto::time::now_ms())
    } else {
        None
    };
    let notes = match refusal {
        None => notes,
        Some(Refusal::Silent) => return Ok(Err(Dropped::Other("over the sender's limits".into()))),
        Some(Refusal::Reply(_)) => SideNotes::default(),
    };
    let result = store
        .change_referral(side.id, |current, my_seq, now| {
            let mut record = match current {
                Some(r) if r.other != author => {
                    return Err(StoreError::Refused(format!("referral {} is with another hub", side.id)));
                }
                Some(r) if r.role == side.role => {
                    return Err(StoreError::Refused(format!("both hubs claim the same role in referral {}", side.id)));
                }
                Some(r) if seq <= r.their_seq => return Ok(None),
                // A side only ever grows: a hub may add steps, never rewrite or drop
                // the ones it took (a decline cannot become an acceptance).
                Some(r) if !side.steps.starts_with(&r.theirs) => {
                    return Err(StoreError::Refused(format!(
                        "the other hub rewrote its steps of referral {}",
                        side.id
                    )));
                }
                Some(r) => r,
                None if side.role == Role::Sender => ReferralRecord::received(&author, &side),
                // The receiver's side of a referral this hub has no record of.
                None => return Ok(None),
            };
            let mut answer = record.take_theirs(&side, notes.clone(), seq, now);
            if let Some(Refusal::Reply(why)) = &refusal {
                // Received, then declined at once with the reason: the sender sees why.
                record.step(ReferralStatus::Declined, why.clone(), now)?;
                answer = true;
            }
            let event = if answer { Some(record.publish(my_seq, &keys.boxing)?) } else { None };
            Ok(Some(ReferralChange { record, event }))
        })
        .await;
    match result {
        Ok(_) => {
            tracing::info!(%subject, "referral message taken in");
            Ok(Ok(()))
        }
        Err(StoreError::Refused(why)) => Ok(Err(Dropped::Other(why))),
        Err(e @ StoreError::Seal(_)) => Ok(Err(Dropped::Other(e.to_string()))),
        Err(e) => Err(e.into()),
    }
}

/// Expires, every `every`, the referrals this hub sent that have not been answered
/// by their answer-by time.
pub async fn expire(store: Store, every: Duration, mut stop: Stop) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // Not at once: a hub coming back first gives its inbox a moment to take in the
    // answers that arrived while it was away.
    ticks.tick().await;
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stop.changed() => return,
        }
        if let Err(e) = expire_overdue(&store).await {
            tracing::warn!(error = %e, "cannot expire overdue referrals");
        }
    }
}

async fn expire_overdue(store: &Store) -> Result<(), StoreError> {
    // A restored store first learns from the stream which of its referrals were
    // erased or answered since the copy: no step is taken from an older state.
    if store.restored_pending()? {
        return Ok(());
    }
    let now = kith_proto::time::now_ms();
    for overdue in store.referrals()?.into_iter().filter(|r| r.is_overdue(now)) {
        let Some(keys) = store.peer(&overdue.other)? else { continue };
        let id = overdue.id;
        store
            .change_referral(id, |current, seq, now| {
                let Some(mut record) = current.filter(|r| r.is_overdue(now)) else { return Ok(None) };
                record.step(ReferralStatus::Expired, String::new(), now)?;
                let event = record.publish(seq, &keys.boxing)?;
                Ok(Some(ReferralChange { record, event: Some(event) }))
            })
            .await?;
        tracing::info!(referral = %id, to = %overdue.other, "referral expired unanswered");
    }
    Ok(())
}

/// How often to look for overdue referrals: often enough for short windows, at most
/// once a minute.
pub fn sweep_interval(window: Duration) -> Duration {
    (window / 4).clamp(Duration::from_millis(500), Duration::from_secs(60))
}
