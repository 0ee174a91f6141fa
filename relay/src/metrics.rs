//! What operators see: the relay's Prometheus metrics, served at `/metrics` on its
//! HTTP listener (the `prometheus` crate's registry and text encoder).
//!
//! - `kith_relay_events_total{outcome="applied|ignored|rejected",reason}`: events
//!   handled by ingest; `reason` names a refusal (`bad-signature`, `over-quota`, …).
//! - `kith_relay_ingest_lag_seconds`: from the hub's write to the relay's apply (the
//!   hub's outbox, the network and the relay together).
//! - `kith_relay_stream_lag_seconds`: from the stream's storing of an event to the
//!   relay's apply (the relay's own lag behind the stream).
//! - `kith_relay_query_duration_seconds{api="grpc|board|hsds"}`: searches and reads.
//! - `kith_relay_hubs`, `kith_relay_hubs_diverged`, `kith_relay_listings{family}`:
//!   the view, read when scraped.
//! - `kith_relay_asks_total{outcome}`: asks from the board, sent or why not.

use kith_proto::event::Family;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
};

use crate::view::{Agreement, View};

pub struct Metrics {
    registry: Registry,
    events: IntCounterVec,
    lag: HistogramVec,
    stream_lag: HistogramVec,
    query: HistogramVec,
    hubs: IntGauge,
    diverged: IntGauge,
    listings: IntGaugeVec,
    asks: IntCounterVec,
}

/// The buckets of both lag histograms, in seconds.
pub const LAG_BUCKETS: [f64; 12] = [0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 15.0, 60.0, 300.0, 3600.0];

/// A lag histogram with [`LAG_BUCKETS`].
fn lag_histogram(name: &str, help: &str) -> HistogramVec {
    HistogramVec::new(HistogramOpts::new(name, help).buckets(LAG_BUCKETS.to_vec()), &[]).expect("valid metric")
}

/// Observes a lag given in milliseconds (a clock step back counts as none).
fn observe_ms(histogram: &HistogramVec, lag_ms: i64) {
    histogram.with_label_values(&[] as &[&str]).observe(lag_ms.max(0) as f64 / 1000.0);
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let registry = Registry::new();
        let events = IntCounterVec::new(
            Opts::new("kith_relay_events_total", "Events handled by ingest, by outcome and reason for refusal"),
            &["outcome", "reason"],
        )
        .expect("valid metric");
        let lag = lag_histogram("kith_relay_ingest_lag_seconds", "From the hub's write to the relay's apply");
        let stream_lag = lag_histogram(
            "kith_relay_stream_lag_seconds",
            "From the stream's storing of an event to the relay's apply",
        );
        let query = HistogramVec::new(
            HistogramOpts::new("kith_relay_query_duration_seconds", "Searches and reads of the view")
                .buckets(vec![0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5]),
            &["api"],
        )
        .expect("valid metric");
        let hubs = IntGauge::new("kith_relay_hubs", "Hubs in the view").expect("valid metric");
        let diverged = IntGauge::new(
            "kith_relay_hubs_diverged",
            "Hubs whose last heartbeat says they published what the view does not hold",
        )
        .expect("valid metric");
        let listings =
            IntGaugeVec::new(Opts::new("kith_relay_listings", "Live listings in the view, by family"), &["family"])
                .expect("valid metric");
        let asks = IntCounterVec::new(
            Opts::new("kith_relay_asks_total", "Asks from the board, by outcome (sent, or why not)"),
            &["outcome"],
        )
        .expect("valid metric");
        for c in [
            Box::new(events.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(asks.clone()),
            Box::new(lag.clone()),
            Box::new(stream_lag.clone()),
            Box::new(query.clone()),
            Box::new(hubs.clone()),
            Box::new(diverged.clone()),
            Box::new(listings.clone()),
        ] {
            registry.register(c).expect("each metric registered once");
        }
        Metrics { registry, events, lag, stream_lag, query, hubs, diverged, listings, asks }
    }

    /// One event handled: `outcome` applied, ignored or rejected, with the reason.
    pub fn event(&self, outcome: &str, reason: &str) {
        self.events.with_label_values(&[outcome, reason]).inc();
    }

    /// An ask from the board: `sent`, or why not (`client-limit`, `hub-cap`,
    /// `trapped`, `closed`, `invalid`, `unavailable`).
    pub fn ask(&self, outcome: &str) {
        self.asks.with_label_values(&[outcome]).inc();
    }

    /// An event applied `lag_ms` after its hub wrote it.
    pub fn lag(&self, lag_ms: i64) {
        observe_ms(&self.lag, lag_ms);
    }

    /// An event applied `lag_ms` after the stream stored it.
    pub fn stream_lag(&self, lag_ms: i64) {
        observe_ms(&self.stream_lag, lag_ms);
    }

    /// A read of the view through `api` that took `seconds`.
    pub fn query(&self, api: &str, seconds: f64) {
        self.query.with_label_values(&[api]).observe(seconds);
    }

    /// The metrics in Prometheus's text format, the view's gauges read now.
    pub fn render(&self, view: &View) -> String {
        let hubs = view.hubs();
        self.hubs.set(hubs.len() as i64);
        self.diverged.set(hubs.iter().filter(|h| matches!(h.sync, Agreement::Diverged { .. })).count() as i64);
        let counts = view.counts();
        for family in Family::ALL {
            self.listings.with_label_values(&[family.plural()]).set(counts.of(family) as i64);
        }
        let mut out = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut out).expect("text encoding into memory");
        String::from_utf8(out).expect("the text format is UTF-8")
    }
}
