//! The region's JetStream stream, as hubs and relays create it.
//!
//! One stream per region, `KITH_<REGION>`, subjects `kith.<region>.>`, file storage,
//! keeping one message per subject: the stream is a compacted log of the current
//! state of every entity, from which a relay can rebuild its whole view. Only fields
//! that nats-server 2.9 understands are used.
//!
//! Relays create it ([`ensure`], with the region's replicas); hubs never do: they
//! open it without asking for its info ([`open`]), since `STREAM.INFO` with a
//! subject filter would list every subject of the stream, referrals included.

use async_nats::jetstream::stream::{Config, DiscardPolicy, External, RetentionPolicy, Source, StorageType};
use std::time::Duration;

use crate::Slug;
use crate::envelope::MAX_ENVELOPE_BYTES;
use crate::subject::{region_wildcard, stream_name};

/// How long JetStream remembers a `Nats-Msg-Id` to drop a re-published duplicate.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(120);

/// The region stream's size limit unless a relay is told otherwise: far more than a
/// region's current state needs (a million listings take about 1 GiB), small
/// enough that one hub publishing without end cannot fill the server's disk.
pub const DEFAULT_MAX_BYTES: i64 = 8 * 1024 * 1024 * 1024;

/// The stream configuration of `region`, with `replicas` copies (1 on a single
/// server, 3 on a region's cluster) and at most `max_bytes`.
///
/// At the limit JetStream refuses new messages rather than dropping old ones
/// (`DiscardPolicy::New`): an old message is an entity's current state, which a
/// rebuild needs, while a refused one stays in its hub's outbox. The per-subject
/// limit still replaces an entity's previous message. A message larger than an
/// envelope can be is refused by the server itself.
pub fn region_stream(region: &Slug, replicas: usize, max_bytes: i64) -> Config {
    Config {
        name: stream_name(region),
        subjects: vec![region_wildcard(region)],
        storage: StorageType::File,
        retention: RetentionPolicy::Limits,
        discard: DiscardPolicy::New,
        max_bytes,
        max_message_size: MAX_ENVELOPE_BYTES as i32 + 1024,
        max_messages_per_subject: 1,
        duplicate_window: DUPLICATE_WINDOW,
        num_replicas: replicas.max(1),
        description: Some(format!("Kith region {region}: current state of every hub's listings")),
        // Hubs read profiles with `DIRECT.GET.<stream>.<subject>`, whose subject a
        // NATS permission can limit, rather than `STREAM.MSG.GET` (any message).
        allow_direct: true,
        ..Default::default()
    }
}

/// A region a national stream sources: its id and, when its stream lives in another
/// JetStream domain (another cluster, joined by a leaf node or gateway), that domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionSource {
    pub region: Slug,
    pub domain: Option<String>,
}

impl std::str::FromStr for RegionSource {
    type Err = String;

    /// `REGION` or `REGION@DOMAIN`.
    fn from_str(s: &str) -> Result<RegionSource, String> {
        let (region, domain) = match s.trim().split_once('@') {
            Some((r, d)) if !d.trim().is_empty() => (r, Some(d.trim().to_owned())),
            Some(_) => return Err(format!("{s:?}: give the domain after @, or no @")),
            None => (s.trim(), None),
        };
        Ok(RegionSource { region: Slug::parse("region", region).map_err(|e| e.to_string())?, domain })
    }
}

/// The stream of a national view `name`: no subjects of its own, every message of
/// the regional streams of `sources` (JetStream `sources`, so NATS does the copying
/// and de-duplicates by `Nats-Msg-Id`), under their own subjects, one per subject
/// as in a region's.
pub fn national_stream(name: &Slug, sources: &[RegionSource], replicas: usize, max_bytes: i64) -> Config {
    let sources = sources
        .iter()
        .map(|s| Source {
            name: stream_name(&s.region),
            external: s.domain.as_ref().map(|d| External { api_prefix: format!("$JS.{d}.API"), delivery_prefix: None }),
            ..Default::default()
        })
        .collect();
    Config {
        subjects: Vec::new(),
        sources: Some(sources),
        description: Some(format!("Kith national view {name}: the regions' streams, sourced")),
        ..region_stream(name, replicas, max_bytes)
    }
}

/// Gets the national stream, or creates it; its sources are brought up to
/// `config`'s (a region added to the view).
pub async fn ensure_national(
    js: &async_nats::jetstream::Context,
    config: Config,
) -> Result<async_nats::jetstream::stream::Stream, async_nats::jetstream::context::CreateStreamError> {
    use async_nats::jetstream::ErrorCode;
    use async_nats::jetstream::context::{CreateStreamError, CreateStreamErrorKind};
    // As for a region's stream: a server with less storage than the limit gets a
    // smaller bounded stream (see [`ensure`]), not none.
    let mut config = config;
    let mut stream = loop {
        match js.get_or_create_stream(config.clone()).await {
            Err(e)
                if matches!(e.kind(), CreateStreamErrorKind::JetStream(j) if j.error_code() == ErrorCode::STORAGE_RESOURCES_EXCEEDED)
                    && config.max_bytes / 2 >= MIN_MAX_BYTES =>
            {
                config.max_bytes /= 2;
            }
            other => break other?,
        }
    };
    if stream.cached_info().config.sources != config.sources {
        let updated = Config { sources: config.sources, ..stream.cached_info().config.clone() };
        js.update_stream(&updated)
            .await
            .map_err(|e| CreateStreamError::with_source(CreateStreamErrorKind::Response, e))?;
        stream.info().await.map_err(|e| CreateStreamError::with_source(CreateStreamErrorKind::Response, e))?;
    }
    Ok(stream)
}

/// The smallest size limit [`ensure`] falls back to.
pub const MIN_MAX_BYTES: i64 = 64 * 1024 * 1024;

/// Gets the region's stream, or creates it with at most `max_bytes`.
///
/// A server with less storage than the limit refuses the stream (JetStream error
/// 10047, "insufficient storage resources"); the limit is then halved until the
/// server takes it, down to [`MIN_MAX_BYTES`], so that a small server still gets a
/// bounded stream rather than none. Returns the stream and the limit it was
/// created with (the existing stream's own, when it already existed).
pub async fn ensure(
    js: &async_nats::jetstream::Context,
    region: &Slug,
    replicas: usize,
    max_bytes: i64,
) -> Result<(async_nats::jetstream::stream::Stream, i64), async_nats::jetstream::context::CreateStreamError> {
    use async_nats::jetstream::{ErrorCode, context::CreateStreamErrorKind};
    let mut limit = max_bytes;
    loop {
        match js.get_or_create_stream(region_stream(region, replicas, limit)).await {
            Err(e)
                if matches!(e.kind(), CreateStreamErrorKind::JetStream(j) if j.error_code() == ErrorCode::STORAGE_RESOURCES_EXCEEDED)
                    && limit / 2 >= MIN_MAX_BYTES =>
            {
                limit /= 2;
            }
            Err(e) => return Err(e),
            Ok(mut stream) => {
                let config = stream.cached_info().config.clone();
                if !config.allow_direct {
                    // Made before hubs read profiles by direct get.
                    let updated = async_nats::jetstream::stream::Config { allow_direct: true, ..config };
                    js.update_stream(&updated).await.map_err(|e| {
                        async_nats::jetstream::context::CreateStreamError::with_source(
                            CreateStreamErrorKind::Response,
                            e,
                        )
                    })?;
                    stream.info().await.map_err(|e| {
                        async_nats::jetstream::context::CreateStreamError::with_source(
                            CreateStreamErrorKind::Response,
                            e,
                        )
                    })?;
                }
                let limit = stream.cached_info().config.max_bytes;
                return Ok((stream, limit));
            }
        }
    }
}

/// The region's stream as a hub opens it: no `STREAM.INFO` (which a hub may not
/// call), nothing created. Calls on it fail while the stream does not exist.
pub async fn open(
    js: &async_nats::jetstream::Context,
    region: &Slug,
) -> Result<async_nats::jetstream::stream::Stream<()>, async_nats::jetstream::context::GetStreamError> {
    js.get_stream_no_info(stream_name(region)).await
}

/// The size limit of a region's stream of asks: asks wait there only until their
/// hub reads them, and a relay sends no more than each hub's daily cap.
pub const ASKS_MAX_BYTES: i64 = 256 * 1024 * 1024;

/// How long an ask waits for a hub that does not come back.
pub const ASKS_MAX_AGE: Duration = Duration::from_secs(30 * 24 * 3600);

/// The stream of a region's asks (`KITH_ASKS_<REGION>`, `kith-ask.<region>.>`):
/// relays write, each hub reads its own through its consumer. A work queue: an
/// ask is gone from the stream once its hub has taken it (acknowledged), so the
/// sealed boxes are not kept a moment longer than their delivery needs; at the
/// size limit new asks are refused, never old ones dropped.
pub fn asks_stream(region: &Slug, replicas: usize) -> Config {
    Config {
        name: crate::ask::stream_name(region),
        subjects: vec![crate::ask::region_wildcard(region)],
        storage: StorageType::File,
        retention: RetentionPolicy::WorkQueue,
        discard: DiscardPolicy::New,
        max_bytes: ASKS_MAX_BYTES,
        max_age: ASKS_MAX_AGE,
        max_message_size: (crate::ask::MAX_SEALED + 2048) as i32,
        duplicate_window: DUPLICATE_WINDOW,
        num_replicas: replicas.max(1),
        description: Some(format!("Kith region {region}: asks waiting for their hubs, sealed to them")),
        ..Default::default()
    }
}

/// The stream of asks as a hub opens it: no `STREAM.INFO`, nothing created.
pub async fn open_asks(
    js: &async_nats::jetstream::Context,
    region: &Slug,
) -> Result<async_nats::jetstream::stream::Stream<()>, async_nats::jetstream::context::GetStreamError> {
    js.get_stream_no_info(crate::ask::stream_name(region)).await
}
