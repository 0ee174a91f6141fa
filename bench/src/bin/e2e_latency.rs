//! Measures write → visible latency: a hub's admin `AddOpportunity` answered, then
//! polled at the relay until served, over real nats-server, hub and relay processes.
//!
//! ```text
//! cargo build --workspace --bins && target/debug/e2e_latency [WRITES]
//! ```
//!
//! Prints percentiles of the time to the answer and of the time until the relay
//! serves the opportunity. Debug builds are several times slower than release ones;
//! build with `--release` for numbers that mean something.

use anyhow::Context;
use kith_proto::v1::GetRequest;
use kith_tests::sample::opportunity_fields;
use kith_tests::{REGION, Region};
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let writes: usize = match std::env::args().nth(1) {
        Some(n) => n.parse().context("WRITES must be a number")?,
        None => 200,
    };
    let region = Region::start().await;
    let hub = region.hub("bench-hub").await;
    let mut admin = hub.admin().await;
    let mut relay = region.relay.client().await;
    eprintln!("region {REGION}: nats {}, relay {}, hub {}", region.nats.url(), region.relay.url(), hub.admin_url());

    let mut answered = Vec::with_capacity(writes);
    let mut visible = Vec::with_capacity(writes);
    for i in 0..writes {
        let started = Instant::now();
        let id = admin.add_opportunity(opportunity_fields(&format!("Bench opportunity {i}"))).await?.into_inner().id;
        answered.push(started.elapsed());
        let deadline = started + Duration::from_secs(30);
        loop {
            if relay.get_opportunity(GetRequest { id: id.clone(), hub: String::new() }).await.is_ok() {
                visible.push(started.elapsed());
                break;
            }
            anyhow::ensure!(Instant::now() < deadline, "opportunity {id} not visible at the relay after 30 s");
            tokio::time::sleep(Duration::from_micros(500)).await;
        }
    }

    println!("{writes} writes, one at a time (hub admin gRPC → NATS JetStream → relay gRPC)");
    println!("{:<24} {:>10} {:>10} {:>10} {:>10} {:>10}", "", "p50", "p90", "p99", "max", "mean");
    report("write answered", &mut answered);
    report("write → visible", &mut visible);
    Ok(())
}

fn report(what: &str, samples: &mut [Duration]) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    let ms = |d: Duration| format!("{:.2}ms", d.as_secs_f64() * 1000.0);
    println!(
        "{what:<24} {:>10} {:>10} {:>10} {:>10} {:>10}",
        ms(at(0.5)),
        ms(at(0.9)),
        ms(at(0.99)),
        ms(*samples.last().unwrap()),
        ms(mean)
    );
}
