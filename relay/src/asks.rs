//! Sending asks: a person on the board asking the group that listed something to
//! contact them ([`kith_proto::ask`]).
//!
//! What the person wrote reaches the relay already sealed to the listing hub's box
//! key by the page's script, or, without script, in the form's fields, which the
//! relay seals at once and lets go of: it never stores, logs or forwards them. The
//! relay signs the [`Ask`] with its own key (`DIR/relay.key`; the hubs that take its
//! asks name that key in `ask_relays`) and publishes it on the region's stream of
//! asks, waiting for JetStream's acknowledgement before telling the person their
//! reference. It keeps only which hub and listing, and when ([`SentAsk`]).
//!
//! Bounded before anything is sealed or sent: a client (an IPv6 client by its /64)
//! may send [`PER_CLIENT_BURST`] asks at once and [`PER_CLIENT_PER_HOUR`] an hour; a
//! hub gets at most its own daily cap (its profile's [`AskPolicy`]) a day (the
//! region's day),
//! counted from what this relay sent; a form whose hidden field is filled (a
//! robot's) is answered as if sent and sends nothing. The hub holds to its cap
//! again when asks arrive, whichever relays sent them.

use ed25519_dalek::SigningKey;
use governor::clock::DefaultClock;
use governor::{Quota, RateLimiter};
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use thiserror::Error;
use ulid::Ulid;

use kith_proto::Slug;
use kith_proto::ask::{self, Ask, AskContent, AskPolicy, Reference, reference_hash};
use kith_proto::event::Family;

use crate::clock::RegionClock;
use crate::store::{SentAsk, Store, StoreError};
use kith_proto::time::CivilDate;

/// The relay's signing key, inside its directory.
pub const KEY_FILE: &str = "relay.key";
/// Its public half (hex, as hubs write it in `ask_relays`), written at every start.
pub const PUBLIC_KEY_FILE: &str = "relay.pub";

/// Asks one client may send at once, and then an hour.
pub const PER_CLIENT_BURST: u32 = 3;
pub const PER_CLIENT_PER_HOUR: u32 = 6;

/// How long the relay waits for JetStream to take an ask before telling the person
/// it could not be sent.
const PUBLISH_TIMEOUT: Duration = Duration::from_secs(5);

/// How long the relay remembers which asks it sent.
const KEEP_SENT_MS: i64 = 90 * 86_400_000;

/// Why an ask was not sent. Each is a page the person reads.
#[derive(Debug, Error)]
pub enum NotSent {
    #[error("too many asks from this address; try again in {} minutes", .0.as_secs().div_ceil(60))]
    Client(Duration),
    #[error("the group has had as many asks as it takes today")]
    HubCap,
    #[error("the group takes no asks about this listing")]
    Closed,
    #[error("{0}")]
    Invalid(#[from] kith_proto::ask::AskError),
    #[error("the ask could not be sent just now: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What was sent: the reference the person keeps.
#[derive(Clone, Debug)]
pub struct Sent {
    pub reference: Reference,
}

/// What the person sent: sealed by the page's script, or the form's fields.
pub enum Content {
    Sealed(Vec<u8>),
    Plain(AskContent),
}

type Limiter = RateLimiter<IpAddr, governor::state::keyed::HashMapStateStore<IpAddr>, DefaultClock>;

/// The relay's sending of asks; cheap to clone.
#[derive(Clone)]
pub struct Sender {
    inner: Arc<Inner>,
}

struct Inner {
    region: Slug,
    /// The relay's name in the region (its consumer's), which asks carry.
    name: String,
    key: SigningKey,
    replicas: usize,
    store: Store,
    nats: Arc<OnceLock<async_nats::Client>>,
    per_client: Limiter,
    /// The region's clock: what day it is.
    clock: RegionClock,
    /// Asks sent today (the region's day) per hub.
    today: Mutex<(CivilDate, HashMap<Slug, u32>)>,
    stream_ready: tokio::sync::OnceCell<()>,
}

impl Sender {
    /// The sender of relay `name`, signing with `key`; counts today's asks from the
    /// store.
    pub fn new(
        region: Slug,
        name: String,
        key: SigningKey,
        replicas: usize,
        store: Store,
        nats: Arc<OnceLock<async_nats::Client>>,
        clock: RegionClock,
    ) -> Result<Sender, StoreError> {
        let now = kith_proto::time::now_ms();
        let today = clock.today();
        let mut counts: HashMap<Slug, u32> = HashMap::new();
        // Those of the last two days, then those of today in the region.
        for sent in store.sent_asks_since(now - 2 * 86_400_000, now - KEEP_SENT_MS)? {
            if CivilDate::at(sent.at_ms, clock.zone()) == today {
                *counts.entry(sent.hub).or_default() += 1;
            }
        }
        let quota = Quota::with_period(Duration::from_secs(3600) / PER_CLIENT_PER_HOUR)
            .expect("a period above zero")
            .allow_burst(NonZeroU32::new(PER_CLIENT_BURST).expect("not zero"));
        Ok(Sender {
            inner: Arc::new(Inner {
                region,
                name,
                key,
                replicas,
                store,
                nats,
                per_client: RateLimiter::hashmap(quota),
                today: Mutex::new((today, counts)),
                clock,
                stream_ready: tokio::sync::OnceCell::new(),
            }),
        })
    }

    /// The relay's public key, hex: what hubs put in `ask_relays`.
    pub fn public_key(&self) -> String {
        kith_proto::keys::hex(self.inner.key.verifying_key().as_bytes())
    }

    /// Whether `client` may send an ask now (counted when it may).
    pub fn admit(&self, client: Option<IpAddr>) -> Result<(), NotSent> {
        let Some(client) = client else { return Ok(()) };
        self.inner.per_client.check_key(&crate::throttle::key(client)).map_err(|until| {
            NotSent::Client(until.wait_time_from(governor::clock::Clock::now(&DefaultClock::default())))
        })
    }

    /// Today's counts per hub, started afresh on a new day.
    fn today(&self) -> std::sync::MutexGuard<'_, (CivilDate, HashMap<Slug, u32>)> {
        let mut today = self.inner.today.lock().unwrap_or_else(|p| p.into_inner());
        let day = self.inner.clock.today();
        if today.0 != day {
            *today = (day, HashMap::new());
        }
        today
    }

    /// Whether hub `hub` can take another ask today under `policy`.
    pub fn hub_has_room(&self, hub: &Slug, policy: &AskPolicy) -> bool {
        self.today().1.get(hub).copied().unwrap_or(0) < policy.daily_cap
    }

    /// Seals (when need be), signs and sends one ask about listing `listing` of
    /// `family` at hub `hub`, whose box key is `box_key` and policy `policy`; returns
    /// once JetStream has it and the relay has recorded it.
    pub async fn send(
        &self,
        hub: &Slug,
        box_key: &[u8; 32],
        policy: &AskPolicy,
        family: Family,
        listing: Ulid,
        content: Content,
    ) -> Result<Sent, NotSent> {
        if !policy.takes(listing) {
            return Err(NotSent::Closed);
        }
        let sealed = match content {
            Content::Sealed(bytes) => {
                ask::check_size(&bytes)?;
                bytes
            }
            // Sealed here and dropped: the plain text goes no further than this.
            Content::Plain(content) => ask::seal(&content, box_key)?,
        };
        {
            // Counted before sending, so that two at once cannot both pass the cap.
            let mut today = self.today();
            let count = today.1.entry(hub.clone()).or_default();
            if *count >= policy.daily_cap {
                return Err(NotSent::HubCap);
            }
            *count += 1;
        }
        let result = self.publish(hub, family, listing, sealed).await;
        if result.is_err()
            && let Some(count) = self.today().1.get_mut(hub)
        {
            *count = count.saturating_sub(1);
        }
        result
    }

    async fn publish(&self, hub: &Slug, family: Family, listing: Ulid, sealed: Vec<u8>) -> Result<Sent, NotSent> {
        let inner = &self.inner;
        let Some(client) = inner.nats.get().cloned() else {
            return Err(NotSent::Unavailable("the relay is not connected to the region's NATS".into()));
        };
        let js = async_nats::jetstream::new(client);
        inner
            .stream_ready
            .get_or_try_init(|| async {
                js.get_or_create_stream(kith_proto::stream::asks_stream(&inner.region, inner.replicas))
                    .await
                    .map(|_| ())
                    .map_err(|e| NotSent::Unavailable(format!("the stream of asks: {e}")))
            })
            .await?;
        let now = kith_proto::time::now_ms();
        let reference = Reference::new();
        let ask =
            Ask::new(&inner.region, hub, family, listing, reference.clone(), sealed, now, &inner.name, &inner.key)?;
        let subject = ask::subject(&inner.region, hub, ask.id);
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("Nats-Msg-Id", ask.id.to_string().as_str());
        let publish = async {
            let ack = js
                .publish_with_headers(subject, headers, ask.encode().into())
                .await
                .map_err(|e| NotSent::Unavailable(e.to_string()))?;
            ack.await.map_err(|e| NotSent::Unavailable(e.to_string()))
        };
        match tokio::time::timeout(PUBLISH_TIMEOUT, publish).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => return Err(e),
            Err(_) => return Err(NotSent::Unavailable("NATS did not answer in time".into())),
        }
        let sent = SentAsk { hub: hub.clone(), family, listing, at_ms: now };
        inner.store.put_sent_ask(reference_hash(&reference), &sent).await?;
        tracing::info!(%hub, family = family.token(), %listing, "ask sent");
        Ok(Sent { reference })
    }

    /// What this relay sent under `reference`, if it did.
    pub fn sent(&self, reference: &Reference) -> Result<Option<SentAsk>, StoreError> {
        self.inner.store.sent_ask(&reference_hash(reference))
    }

    /// Ensures the region's stream of asks exists, so that hubs can open their
    /// consumers before the first ask (ingest calls this once connected).
    pub async fn ensure_stream(&self) {
        let inner = &self.inner;
        let Some(client) = inner.nats.get().cloned() else { return };
        let js = async_nats::jetstream::new(client);
        let made = inner
            .stream_ready
            .get_or_try_init(|| async {
                js.get_or_create_stream(kith_proto::stream::asks_stream(&inner.region, inner.replicas))
                    .await
                    .map(|_| ())
            })
            .await;
        if let Err(e) = made {
            tracing::warn!(error = %e, "cannot make the region's stream of asks yet; will try when an ask is sent");
        }
    }
}
