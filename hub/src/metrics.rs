//! What operators see of a hub: Prometheus metrics on `--metrics-listen` (off by
//! default), read from the store and the publisher when scraped.
//!
//! - `kith_hub_outbox_depth`: events written and not yet acknowledged by JetStream;
//! - `kith_hub_oldest_unpublished_age_seconds`: how long the oldest of them waits;
//! - `kith_hub_last_written_seq`, `kith_hub_last_published_seq`;
//! - `kith_hub_nats_connected`: 1 while connected to NATS.

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus::{Encoder, Gauge, IntGauge, Registry, TextEncoder};
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::link::Link;
use crate::store::Store;

struct Metrics {
    registry: Registry,
    depth: IntGauge,
    oldest: Gauge,
    written: IntGauge,
    published: IntGauge,
    connected: IntGauge,
    store: Store,
    state: Arc<Link>,
}

impl Metrics {
    fn new(store: Store, state: Arc<Link>) -> Metrics {
        let registry = Registry::new();
        let int = |name: &str, help: &str| {
            let g = IntGauge::new(name, help).expect("valid metric");
            registry.register(Box::new(g.clone())).expect("registered once");
            g
        };
        let depth = int("kith_hub_outbox_depth", "Events written and not yet acknowledged by JetStream");
        let written = int("kith_hub_last_written_seq", "The hub sequence number of the last event written");
        let published = int("kith_hub_last_published_seq", "The hub sequence number of the last event acknowledged");
        let connected = int("kith_hub_nats_connected", "1 while the hub is connected to NATS");
        let oldest = Gauge::new(
            "kith_hub_oldest_unpublished_age_seconds",
            "How long the oldest event not yet acknowledged by JetStream has waited (0 when none waits)",
        )
        .expect("valid metric");
        registry.register(Box::new(oldest.clone())).expect("registered once");
        Metrics { registry, depth, oldest, written, published, connected, store, state }
    }

    fn render(&self) -> Result<String, crate::store::StoreError> {
        let status = self.store.outbox_status()?;
        self.depth.set(status.pending as i64);
        self.written.set(status.last_written_seq as i64);
        self.published.set(status.last_published_seq as i64);
        self.connected.set(i64::from(self.state.connected()));
        let oldest = self
            .store
            .oldest_unpublished_ms()?
            .map_or(0.0, |at| (kith_proto::time::now_ms() - at).max(0) as f64 / 1000.0);
        self.oldest.set(oldest);
        let mut out = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut out).expect("text encoding into memory");
        Ok(String::from_utf8(out).expect("the text format is UTF-8"))
    }
}

/// Serves `/metrics` on `listener` until `stop` turns true.
pub async fn serve(store: Store, state: Arc<Link>, listener: TcpListener, mut stop: watch::Receiver<bool>) {
    let metrics = Arc::new(Metrics::new(store, state));
    let app = Router::new().route("/metrics", get(scrape)).with_state(metrics);
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = stop.wait_for(|s| *s).await;
        })
        .await;
    if let Err(e) = served {
        tracing::error!(error = %e, "the metrics listener failed");
    }
}

async fn scrape(State(metrics): State<Arc<Metrics>>) -> Response {
    match metrics.render() {
        Ok(text) => ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response(),
        Err(e) => (axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}
