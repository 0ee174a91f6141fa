//! Other hubs' keys: learnt from their profiles on the region's stream and pinned,
//! as the relay does — from the region's roster rather than on first use when the
//! hub has one (and a hub off the roster is neither sealed to nor listened to). A referral is sealed to the receiver's pinned x25519 key, and
//! a referral message is believed only if it verifies with its author's pinned
//! ed25519 key.

use async_nats::jetstream::{self, stream::DirectGetErrorKind};
use ed25519_dalek::VerifyingKey;
use thiserror::Error;

use kith_proto::Slug;
use kith_proto::envelope;
use kith_proto::event::Event;
use kith_proto::subject::{Entity, Subject};

use crate::store::{PeerKeys, Store, StoreError};

#[derive(Debug, Error)]
pub enum PeerError {
    #[error("hub {hub:?} has no profile on the region's stream: check the hub id, and that the hub has run")]
    NoProfile { hub: String },
    #[error("the profile of hub {hub:?} does not verify ({reason}); its keys are not pinned")]
    BadProfile { hub: String, reason: &'static str },
    #[error("hub {hub:?} is not known to this hub yet, and NATS cannot be reached to learn its keys: {why}")]
    Unreachable { hub: String, why: String },
    #[error(
        "hub {hub:?} now signs with keys other than the ones this hub pinned for it, so what is sent to it \
         could not be read: nothing was sent. If {hub} really set up new keys, check that with them, then run \
         `kith peers unpin {hub}` and send again"
    )]
    Rekeyed { hub: String },
    #[error("hub {hub:?} is not on the region's roster: nothing is sent to it or taken from it")]
    NotOnRoster { hub: String },
    #[error("hub {hub:?} has left the region: nothing can be sent to it")]
    Left { hub: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl PeerKeys {
    pub fn verifying_key(&self) -> Option<VerifyingKey> {
        VerifyingKey::from_bytes(&self.signing).ok()
    }
}

/// The pinned keys of `hub`, learning them from the stream if they are not pinned
/// yet (`js` is `None` while NATS is unreachable).
pub async fn keys(store: &Store, js: Option<&jetstream::Context>, hub: &Slug) -> Result<PeerKeys, PeerError> {
    if let Some(roster) = store.roster()
        && roster.key(hub).is_none()
    {
        return Err(PeerError::NotOnRoster { hub: hub.to_string() });
    }
    if let Some(keys) = store.peer(hub)? {
        match store.roster().and_then(|r| r.key(hub)) {
            // Not the roster's key: checked against the stream each time.
            Some(r) if keys.signing != r.to_bytes() => {}
            _ => return Ok(keys),
        }
    }
    let Some(js) = js else {
        return Err(PeerError::Unreachable { hub: hub.to_string(), why: "not connected".into() });
    };
    learn(store, js, hub).await
}

/// The keys to seal to `hub` now: its latest profile in the stream, verified with
/// the pinned key (a rotation it signed moves the pin). A profile the pin does not
/// verify means the hub re-keyed without the old key: sealing to the old box key
/// would send what it can no longer open, so that is an error here, at the sender.
/// Without NATS the pinned keys are used (the event waits in the outbox).
pub async fn current(store: &Store, js: Option<&jetstream::Context>, hub: &Slug) -> Result<PeerKeys, PeerError> {
    let pinned = store.peer(hub)?;
    let Some(js) = js else { return keys(store, None, hub).await };
    match learn(store, js, hub).await {
        Err(PeerError::BadProfile { reason: "key-not-pinned", .. }) if pinned.is_some() => {
            Err(PeerError::Rekeyed { hub: hub.to_string() })
        }
        Err(PeerError::Unreachable { .. }) if pinned.is_some() => Ok(pinned.expect("checked")),
        other => other,
    }
}

/// Fetches `hub`'s latest profile from the stream, verifies it (with the pinned key
/// if there is one, else with the key it carries: trust on first use) and pins it.
pub async fn learn(store: &Store, js: &jetstream::Context, hub: &Slug) -> Result<PeerKeys, PeerError> {
    let region = &store.identity().region;
    let unreachable = |why: String| PeerError::Unreachable { hub: hub.to_string(), why };
    let stream = kith_proto::stream::open(js, region).await.map_err(|e| unreachable(e.to_string()))?;
    let subject = Subject::new(region, hub, Entity::Profile).to_string();
    let message = match stream.direct_get_last_for_subject(subject.clone()).await {
        Ok(m) => m,
        Err(e) if e.kind() == DirectGetErrorKind::NotFound => {
            return Err(PeerError::NoProfile { hub: hub.to_string() });
        }
        Err(e) => return Err(unreachable(e.to_string())),
    };
    if let Some(roster) = store.roster()
        && roster.key(hub).is_none()
    {
        return Err(PeerError::NotOnRoster { hub: hub.to_string() });
    }
    let pinned = store.peer(hub)?;
    // With a roster, its key takes the place of trust on first use: a pin that is
    // neither the roster's key nor reached from it by the hub's rotations is not kept.
    let roster_key = store.roster().and_then(|r| r.key(hub).copied());
    let pinned_key = pinned.as_ref().and_then(PeerKeys::verifying_key);
    let pinned_key = match (pinned_key, roster_key) {
        (Some(p), Some(r)) if p != r && !leads_from(&message, &subject, &r, &p) => Some(r),
        (None, Some(r)) => Some(r),
        (p, _) => p,
    };
    let opened = envelope::open(&message.payload, &subject, pinned_key.as_ref())
        .map_err(|e| PeerError::BadProfile { hub: hub.to_string(), reason: e.reason() })?;
    let Event::Profile(profile) = &opened.event else {
        return Err(PeerError::BadProfile { hub: hub.to_string(), reason: "malformed" });
    };
    if profile.left {
        return Err(PeerError::Left { hub: hub.to_string() });
    }
    if let Some(p) = pinned
        && Some(p.signing) == pinned_key.map(|k| k.to_bytes())
        && p.seq >= opened.envelope.hub_seq
    {
        return Ok(p);
    }
    let keys = PeerKeys { signing: profile.signing_key, boxing: profile.box_key, seq: opened.envelope.hub_seq };
    store.pin_peer(hub, &keys).await?;
    tracing::info!(%hub, "pinned the keys of another hub from its profile");
    Ok(keys)
}

/// Whether `profile` (this hub's latest profile message) carries rotations leading
/// from `from` to `to`.
fn leads_from(
    profile: &async_nats::jetstream::message::StreamMessage,
    subject: &str,
    from: &VerifyingKey,
    to: &VerifyingKey,
) -> bool {
    let Ok(decoded) = envelope::decode(&profile.payload, subject) else { return false };
    let Event::Profile(p) = decoded.event() else { return false };
    let env = decoded.envelope();
    kith_proto::rotation::leads(&p.rotations, &env.region, &env.hub, from, to)
}
