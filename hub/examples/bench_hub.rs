//! Measures the hub's write path and its publisher, and prints the numbers.
//!
//! ```text
//! cargo run --release -p kith-hub --example bench_hub [-- WRITES]
//! ```
//!
//! 1. Admin-style writes straight into the store (one sled transaction + a flush
//!    before each answer) with 1, 16 and 64 concurrent writers: writes/s and latency.
//!    Concurrent writers share flushes (group commit), so throughput grows with them.
//! 2. Draining an outbox of WRITES envelopes to a real nats-server (started here on a
//!    free loopback port with a temporary store): envelopes/s with a window of
//!    in-flight PubAcks, against a window of 1 (one round trip per event).

use ed25519_dalek::SigningKey;
use kith_hub::link::Link;
use kith_hub::publisher::{self, PublisherConfig};
use kith_hub::store::{Identity, Store};
use kith_proto::Slug;
use kith_proto::domain::{Opportunity, OpportunityKind, OpportunityStatus, Pay, PayPer, Sector};
use std::sync::Arc;
use std::time::{Duration, Instant};
use ulid::Ulid;

fn opportunity(i: usize) -> Opportunity {
    Opportunity {
        id: Ulid::new(),
        title: format!("Market garden assistant {i}"),
        kind: OpportunityKind::PaidJob,
        sector: Sector::Ordinary,
        description: "Planting, weeding and harvesting with a friendly peer-run team.".into(),
        area: "Leeds LS6".into(),
        remote: false,
        hours_per_week: Some(16.0),
        pay: Pay::Paid { pence: 1221, per: PayPer::Hour },
        expenses_paid: true,
        skills: vec!["gardening".into(), "teamwork".into()],
        support: vec!["job coach".into(), "flexible hours".into()],
        lived_experience_required: false,
        how_to_apply: "Ring the co-op".into(),
        closes_on: None,
        status: OpportunityStatus::Open,
    }
}

fn identity() -> Identity {
    Identity {
        region: Slug::parse("region", "bench").unwrap(),
        hub: Slug::parse("hub", "garden").unwrap(),
        signing: SigningKey::generate(&mut rand::rngs::OsRng),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p) as usize]
}

async fn bench_writes(writers: usize, total: usize) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), identity()).unwrap();
    let start = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut lat = Vec::new();
                for i in (w..total).step_by(writers) {
                    let t = Instant::now();
                    store.create(opportunity(i)).await.unwrap();
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    let secs = start.elapsed().as_secs_f64();
    lat.sort();
    println!(
        "store writes, {writers:>2} writers: {:>8.0} writes/s  p50 {:>7.2?}  p99 {:>7.2?}  ({total} writes, flushed before each answer)",
        total as f64 / secs,
        percentile(&lat, 0.5),
        percentile(&lat, 0.99)
    );
    store.close().await.unwrap();
}

async fn bench_publish(nats_url: &str, total: usize, window: usize) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), identity()).unwrap();
    let tasks: Vec<_> = (0..16)
        .map(|w| {
            let store = store.clone();
            tokio::spawn(async move {
                for i in (w..total).step_by(16) {
                    store.create(opportunity(i)).await.unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let config = PublisherConfig {
        nats: kith_daemon::nats::Settings {
            urls: nats_url.to_owned(),
            creds: None,
            password_file: None,
            ca: None,
            name: "bench".into(),
            inbox_prefix: None,
        },
        window,
        max_backoff: Duration::from_secs(1),
        stream_check: Duration::from_secs(30),
        own_keys: vec![store.identity().signing.verifying_key()],
    };
    let start = Instant::now();
    let task = tokio::spawn(publisher::run(store.clone(), config, Arc::new(Link::default()), stop_rx));
    while store.outbox_status().unwrap().pending > 0 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "outbox drain, window {window:>4}: {:>8.0} envelopes/s  ({total} envelopes of ~{} bytes in {secs:.2}s)",
        total as f64 / secs,
        store.outbox_after(0, 1).unwrap().first().map(|e| e.1.bytes.len()).unwrap_or(330)
    );
    stop_tx.send(true).unwrap();
    task.await.unwrap();
    store.close().await.unwrap();
}

#[tokio::main]
async fn main() {
    let total: usize = std::env::args().nth(1).map(|s| s.parse().expect("WRITES must be a number")).unwrap_or(20_000);
    for writers in [1, 16, 64] {
        bench_writes(writers, if writers == 1 { total / 10 } else { total }).await;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let js_dir = tempfile::tempdir().unwrap();
    let mut server = std::process::Command::new("nats-server")
        .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd"])
        .arg(js_dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("nats-server must be installed (apt-get install nats-server)");
    let url = format!("nats://127.0.0.1:{port}");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // The same subjects each run: the stream keeps one message per subject, and every
    // run's ids are new, so each run publishes `total` new messages.
    bench_publish(&url, total / 10, 1).await;
    bench_publish(&url, total, 256).await;
    let _ = server.kill();
    let _ = server.wait();
}
