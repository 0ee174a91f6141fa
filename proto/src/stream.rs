//! The region's JetStream stream, as hubs and relays create it.
//!
//! One stream per region, `KITH_<REGION>`, subjects `kith.<region>.>`, file storage,
//! keeping one message per subject: the stream is a compacted log of the current
//! state of every entity, from which a relay can rebuild its whole view. Only fields
//! that nats-server 2.9 understands are used.

use async_nats::jetstream::stream::{Config, DiscardPolicy, RetentionPolicy, StorageType};
use std::time::Duration;

use crate::Slug;
use crate::subject::{region_wildcard, stream_name};

/// How long JetStream remembers a `Nats-Msg-Id` to drop a re-published duplicate.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(120);

/// The stream configuration of `region`, with `replicas` copies (1 on a single
/// server, 3 on a region's cluster).
pub fn region_stream(region: &Slug, replicas: usize) -> Config {
    Config {
        name: stream_name(region),
        subjects: vec![region_wildcard(region)],
        storage: StorageType::File,
        retention: RetentionPolicy::Limits,
        discard: DiscardPolicy::Old,
        max_messages_per_subject: 1,
        duplicate_window: DUPLICATE_WINDOW,
        num_replicas: replicas.max(1),
        description: Some(format!("Kith region {region}: current state of every hub's listings")),
        ..Default::default()
    }
}
