//! A daemon stops within 2 s of SIGTERM whatever NATS is doing. A service manager
//! waits (systemd: 90 s) and then kills: a hub whose tasks keep retrying a server that
//! is gone, or that wait on one that no longer answers, would be killed at every
//! stop. And stopping that way loses nothing: what the hub acknowledged reaches the
//! region once NATS is back.

use std::time::Duration;

use kith_tests::process::signal;
use kith_tests::sample::add_opportunity;
use kith_tests::{DEFAULT_TIMEOUT, Hub, NatsServer, REGION, Relay, wait_until};

/// What issue 16 asks of both daemons.
const LIMIT: Duration = Duration::from_secs(2);

async fn stops_in_time(fault: &str) {
    let mut nats = NatsServer::spawn().await;
    let mut relay = Relay::start(REGION, &nats.url()).await;
    let mut hub = Hub::start(REGION, "peer-garden", &nats.url()).await;
    let before = add_opportunity(&hub, "Allotment helper", &[]).await;
    wait_until("the relay has the first listing", DEFAULT_TIMEOUT, async || {
        relay.kith(["region", "opportunity", &before.id]).await.code == Some(0)
    })
    .await;

    match fault {
        "killed" => nats.kill9(),
        _ => signal(nats.pid(), "-STOP"),
    }
    // A write while NATS is gone: the publisher has it in hand, and every task is
    // in the middle of waiting on the server.
    let during = add_opportunity(&hub, &format!("Written while NATS is {fault}"), &[]).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let hub_took = hub.terminate_within(Duration::from_secs(30)).await;
    let relay_took = relay.terminate_within(Duration::from_secs(30)).await;
    eprintln!("NATS {fault}: the hub exited {hub_took:?} after SIGTERM, the relay {relay_took:?}");
    // Every task saw the stop itself: none had to be cancelled after the grace period.
    let log = std::fs::read_to_string(hub.log_path()).unwrap_or_default();
    let cancelled: Vec<&str> = log.lines().filter(|l| l.contains("after the grace period")).collect();
    assert!(cancelled.is_empty(), "hub tasks that did not stop by themselves: {cancelled:?}");
    assert!(hub_took.is_some_and(|t| t < LIMIT), "the hub with NATS {fault} took {hub_took:?} (None: killed)");
    assert!(relay_took.is_some_and(|t| t < LIMIT), "the relay with NATS {fault} took {relay_took:?} (None: killed)");

    // Nothing acknowledged was lost on the way out.
    match fault {
        "killed" => nats.start().await,
        _ => signal(nats.pid(), "-CONT"),
    }
    hub.restart().await;
    relay.restart().await;
    wait_until("the write made while NATS was gone reaches the region", DEFAULT_TIMEOUT, async || {
        relay.kith(["region", "opportunity", &during.id]).await.code == Some(0)
    })
    .await;
}

#[tokio::test]
async fn hub_and_relay_exit_within_two_seconds_of_sigterm_while_nats_is_killed() {
    stops_in_time("killed").await;
}

#[tokio::test]
async fn hub_and_relay_exit_within_two_seconds_of_sigterm_while_nats_is_paused() {
    stops_in_time("paused").await;
}
