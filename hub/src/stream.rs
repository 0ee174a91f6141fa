//! The region's stream as this hub may see it. A hub may not read the stream's info
//! (its subject filter would list who refers to whom), so what it knows of the
//! stream comes from its own inbox consumer, `inbox-<hub>`: the stream is there when
//! that consumer can be had, and it is a new one (created again, having lost what
//! the hub published) when the consumer carries another mark. The publisher asks
//! both; the inbox reads through the same consumer.

use std::time::Duration;

use async_nats::jetstream::{
    self,
    consumer::{AckPolicy, DeliverPolicy, pull},
};

use kith_proto::subject::inbox_wildcard;

use crate::store::Store;

/// The durable consumer of this hub's referrals, `inbox-<hub>`: its name and
/// configuration, for creating it where it is not.
///
/// The publisher opens it too, to tell a new stream: a stream deleted takes its
/// consumers with it, so the consumer's description carries a mark made afresh each
/// time it is created ([`mark`]). Its creation time would not do: each node of a
/// JetStream cluster reports a time of its own for the same consumer.
pub fn inbox_consumer(store: &Store) -> (String, pull::Config) {
    let (me, region) = (&store.identity().hub, &store.identity().region);
    let name = kith_proto::permissions::inbox_consumer(me);
    let config = pull::Config {
        durable_name: Some(name.clone()),
        description: Some(format!("Kith referrals to hub {me} (stream mark {})", ulid::Ulid::new())),
        // One filter subject: nats-server 2.9 ignores `filter_subjects`.
        filter_subject: inbox_wildcard(region, me),
        deliver_policy: DeliverPolicy::All,
        ack_policy: AckPolicy::Explicit,
        ack_wait: Duration::from_secs(30),
        ..Default::default()
    };
    (name, config)
}

/// What tells the instance of the region's stream this hub's inbox consumer lives
/// in: the mark in its description (see [`inbox_consumer`]), the same on every node.
pub fn mark(info: &jetstream::consumer::Info) -> String {
    match info.config.description.as_deref() {
        Some(description) if !description.is_empty() => description.to_owned(),
        // Made by hand without one: its creation time, as good as it gets.
        _ => format!("{:?}", info.created),
    }
}

/// The region's stream and what tells this instance of it: the mark of this hub's
/// inbox consumer, made now if it is not there.
pub async fn open(store: &Store, js: &jetstream::Context) -> Result<(jetstream::stream::Stream<()>, String), String> {
    let stream = kith_proto::stream::open(js, &store.identity().region).await.map_err(|e| e.to_string())?;
    let (name, config) = inbox_consumer(store);
    let consumer = stream.get_or_create_consumer(&name, config).await.map_err(|e| e.to_string())?;
    Ok((stream, mark(consumer.cached_info())))
}

/// Whether the region's stream may no longer be the one this hub last published to:
/// this hub's inbox consumer carries another mark, or is not found (the stream
/// went with it; or a cluster node that has just restarted does not know it yet,
/// which [`open`] then settles).
pub async fn is_new(store: &Store, js: &jetstream::Context) -> bool {
    let Ok(stream) = kith_proto::stream::open(js, &store.identity().region).await else { return false };
    let (name, _) = inbox_consumer(store);
    match stream.consumer_info(&name).await {
        Ok(info) => store.stream_changed(&mark(&info)).await.unwrap_or(false),
        Err(e) => {
            use async_nats::jetstream::context::ConsumerInfoErrorKind as K;
            matches!(e.kind(), K::NotFound | K::StreamNotFound)
        }
    }
}
