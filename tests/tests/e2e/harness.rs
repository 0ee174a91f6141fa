//! The harness itself: the other tests mean something only if a NATS outage they
//! simulate is a real one and its recovery keeps the store.

use bytes::Bytes;
use kith_proto::Slug;
use kith_proto::stream::region_stream;
use kith_tests::{NatsServer, free_port, wait_until};
use std::time::Duration;

#[tokio::test]
async fn nats_server_restarts_on_the_same_port_keeping_its_stream() {
    let mut nats = NatsServer::spawn().await;
    let port = nats.port();
    assert_ne!(port, 4222, "the test server must never be the machine's own NATS");
    let region = Slug::parse("region", "harness").unwrap();
    let js = nats.jetstream().await;
    js.create_stream(region_stream(&region, 1, kith_proto::stream::DEFAULT_MAX_BYTES)).await.expect("create stream");
    for i in 0..3 {
        js.publish(format!("kith.harness.hub.opportunity.{i}"), Bytes::from(format!("m{i}")))
            .await
            .expect("publish")
            .await
            .expect("puback");
    }

    nats.stop().await;
    assert!(!nats.is_running());
    assert!(
        tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err(),
        "a stopped server must refuse connections"
    );

    nats.start().await;
    assert_eq!(nats.port(), port, "restarted on the same port");
    let mut stream = nats.jetstream().await.get_stream("KITH_HARNESS").await.expect("stream survives a restart");
    assert_eq!(stream.info().await.expect("stream info").state.messages, 3);
    let last = stream.get_last_raw_message_by_subject("kith.harness.hub.opportunity.2").await.expect("last message");
    assert_eq!(last.payload, Bytes::from("m2"));
}

#[tokio::test]
async fn servers_of_parallel_tests_are_separate() {
    let (a, b) = tokio::join!(NatsServer::spawn(), NatsServer::spawn());
    assert_ne!(a.port(), b.port());
    assert_ne!(a.store_dir(), b.store_dir());
    let (ca, cb) = (a.client().await, b.client().await);
    let mut sub = cb.subscribe("probe").await.unwrap();
    cb.flush().await.unwrap();
    ca.publish("probe", "to a".into()).await.unwrap();
    ca.flush().await.unwrap();
    cb.publish("probe", "to b".into()).await.unwrap();
    let got = tokio::time::timeout(Duration::from_secs(5), futures::StreamExt::next(&mut sub)).await.unwrap().unwrap();
    assert_eq!(got.payload, Bytes::from("to b"), "a message on server a reached server b");
}

#[tokio::test]
async fn a_killed_server_is_gone_and_its_log_is_kept() {
    let mut nats = NatsServer::spawn().await;
    nats.kill9();
    assert!(!nats.is_running());
    let log = std::fs::read_to_string(nats.log_path()).unwrap();
    assert!(log.contains("Server is ready"), "{log}");
}

#[test]
fn free_ports_are_never_handed_out_twice() {
    let ports: std::collections::BTreeSet<u16> = (0..50).map(|_| free_port()).collect();
    assert_eq!(ports.len(), 50);
    assert!(!ports.contains(&4222));
}

#[tokio::test]
#[should_panic(expected = "timed out after")]
async fn waiting_for_what_never_happens_times_out() {
    wait_until("never", Duration::from_millis(50), async || false).await;
}

#[tokio::test]
async fn waiting_accepts_closures_returning_futures_and_async_closures() {
    let mut polls = 0;
    wait_until("the third poll", Duration::from_secs(5), async || {
        polls += 1;
        polls == 3
    })
    .await;
    assert_eq!(polls, 3);
    let ready = std::sync::atomic::AtomicBool::new(true);
    wait_until("ready", Duration::from_secs(5), || async { ready.load(std::sync::atomic::Ordering::Relaxed) }).await;
    let value = kith_tests::wait_for("a value", Duration::from_secs(5), async || Ok::<_, String>(7)).await;
    assert_eq!(value, 7);
}
