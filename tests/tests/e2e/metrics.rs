//! What operators see: both daemons' Prometheus metrics, scraped over HTTP as
//! Prometheus does, with the standard names and the values the test brought about.

use bytes::Bytes;
use kith_tests::sample::add_opportunity;
use kith_tests::{DEFAULT_TIMEOUT, HubOptions, Region, wait_for};

async fn scrape(addr: &str) -> String {
    kith_tests::http::metrics(addr).await
}

/// The value of the sample `name` (with its labels as written), if present.
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')).and_then(|v| v.trim().parse().ok()))
}

#[tokio::test]
async fn both_daemons_serve_prometheus_metrics_that_follow_what_happens() {
    let mut region = Region::start().await;
    let port = kith_tests::free_port();
    let hub = region
        .hub_with("peer-garden", HubOptions { metrics_port: Some(port), ..HubOptions::named("Hub peer-garden") })
        .await;
    for title in ["Allotment helper", "Café trainee", "Bike mechanic"] {
        add_opportunity(&hub, title, &[]).await;
    }
    // A forgery, refused and counted by its reason.
    let js = region.nats.jetstream().await;
    let subject = format!("kith.{}.peer-garden.opportunity.{}", region.name, ulid::Ulid::new());
    js.publish(subject, Bytes::from_static(b"not an envelope")).await.unwrap().await.unwrap();

    let relay_addr = region.relay.http_url().trim_start_matches("http://").to_owned();
    let relay = wait_for("the relay's metrics show the listings", DEFAULT_TIMEOUT, async || {
        let text = scrape(&relay_addr).await;
        let listed = sample(&text, "kith_relay_listings{family=\"opportunities\"}");
        let refused = sample(&text, "kith_relay_events_total{outcome=\"rejected\",reason=\"malformed\"}");
        if listed == Some(3.0) && refused == Some(1.0) { Ok(text) } else { Err(text) }
    })
    .await;
    assert!(sample(&relay, "kith_relay_events_total{outcome=\"applied\",reason=\"\"}").unwrap() >= 4.0, "{relay}");
    assert_eq!(sample(&relay, "kith_relay_hubs"), Some(1.0), "{relay}");
    assert_eq!(sample(&relay, "kith_relay_hubs_diverged"), Some(0.0), "{relay}");
    assert!(sample(&relay, "kith_relay_ingest_lag_seconds_count").unwrap() >= 4.0, "{relay}");
    assert!(sample(&relay, "kith_relay_stream_lag_seconds_count").unwrap() >= 4.0, "{relay}");
    // A search over gRPC is timed.
    region.opportunities(&["--query", "gardening"]).await;
    let relay = scrape(&relay_addr).await;
    assert!(sample(&relay, "kith_relay_query_duration_seconds_count{api=\"grpc\"}").unwrap() >= 1.0, "{relay}");

    // Every metric the shipped Grafana dashboard draws is one the daemons serve.
    let hub_addr = format!("127.0.0.1:{port}");
    let served = format!("{relay}\n{}", scrape(&hub_addr).await);
    let path = format!("{}/../deploy/grafana/kith-region.json", env!("CARGO_MANIFEST_DIR"));
    let dashboard: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut drawn = 0;
    for panel in dashboard["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().unwrap() {
            let expr = target["expr"].as_str().unwrap();
            for word in
                expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| w.starts_with("kith_"))
            {
                assert!(served.contains(&format!("\n{word}")), "the dashboard draws {word}, which no daemon serves");
                drawn += 1;
            }
        }
    }
    assert!(drawn >= 10, "{drawn}");

    let text = wait_for("the hub's outbox is empty", DEFAULT_TIMEOUT, async || {
        let text = scrape(&hub_addr).await;
        if sample(&text, "kith_hub_outbox_depth") == Some(0.0) { Ok(text) } else { Err(text) }
    })
    .await;
    let status = hub.status().await;
    assert_eq!(sample(&text, "kith_hub_last_written_seq"), Some(status.last_written_seq as f64), "{text}");
    assert_eq!(sample(&text, "kith_hub_nats_connected"), Some(1.0), "{text}");
    assert_eq!(sample(&text, "kith_hub_oldest_unpublished_age_seconds"), Some(0.0), "{text}");

    // NATS goes away: what the hub writes waits, and the metrics say so.
    region.nats.stop().await;
    add_opportunity(&hub, "Written while NATS is down", &[]).await;
    let text = wait_for("the hub's metrics show the backlog", DEFAULT_TIMEOUT, async || {
        let text = scrape(&hub_addr).await;
        let waiting = sample(&text, "kith_hub_outbox_depth").unwrap_or(0.0) >= 1.0;
        let aged = sample(&text, "kith_hub_oldest_unpublished_age_seconds").unwrap_or(0.0) > 0.0;
        if waiting && aged { Ok(text) } else { Err(text) }
    })
    .await;
    assert!(text.contains("# TYPE kith_hub_outbox_depth gauge"), "{text}");
}
