//! The region's NATS server with the users `kith nats-user` prints: hubs and the relay
//! do all their work under them, and a hub's user can neither speak for another hub,
//! nor read referrals that are not addressed to it, nor learn who refers to whom
//! through JetStream's API.

use async_nats::jetstream::{self, consumer::pull};
use kith_proto::subject::{inbox_wildcard, stream_name};
use kith_proto::{Slug, ask, permissions};
use kith_tests::referral::{send, wait_for_status};
use kith_tests::sample::add_opportunity;
use kith_tests::{DEFAULT_TIMEOUT, Hub, NatsServer, REGION, Relay, kith, wait_until};
use serde_json::Value;
use std::time::Duration;
use ulid::Ulid;

/// `kith nats-user ARGS --json`: the user name, its password and its config entry.
async fn nats_user(args: &[&str]) -> Value {
    let mut all = vec!["nats-user"];
    all.extend(args);
    kith(all).await.ok()
}

fn url(port: u16, user: &Value) -> String {
    format!("nats://{}:{}@127.0.0.1:{port}", user["user"].as_str().unwrap(), user["password"].as_str().unwrap())
}

async fn connect(port: u16, user: &Value, inbox_prefix: &str) -> async_nats::Client {
    async_nats::ConnectOptions::with_user_and_password(
        user["user"].as_str().unwrap().to_owned(),
        user["password"].as_str().unwrap().to_owned(),
    )
    .custom_inbox_prefix(inbox_prefix)
    .connect(format!("nats://127.0.0.1:{port}"))
    .await
    .expect("connect with the user's password")
}

#[tokio::test]
async fn hubs_work_under_their_nats_users_and_cannot_act_for_another_hub() {
    let relay_user = nats_user(&["relay", "--region", REGION]).await;
    let mut users: Vec<Value> = Vec::new();
    for hub in ["peer-garden", "rainbow-house", "third-hub"] {
        users.push(nats_user(&["hub", "--region", REGION, "--hub", hub]).await);
    }
    let entries: Vec<&str> =
        std::iter::once(&relay_user).chain(&users).map(|u| u["conf"].as_str().expect("a config entry")).collect();
    let conf = format!("authorization {{\n  users: [\n    {}\n  ]\n}}\n", entries.join(",\n    "));
    let nats = NatsServer::spawn_with_conf(Some(&conf)).await;
    let port = nats.port();

    // Everything works under these users: publishing, the relay's view, learning
    // another hub's keys, a referral through the receiving hub's inbox.
    let relay = Relay::start(REGION, &url(port, &relay_user)).await;
    let garden = Hub::start(REGION, "peer-garden", &url(port, &users[0])).await;
    let house = Hub::start(REGION, "rainbow-house", &url(port, &users[1])).await;
    let job = add_opportunity(&garden, "Allotment helper", &[]).await;
    wait_until("the relay shows the garden's opportunity", DEFAULT_TIMEOUT, async || {
        relay.kith(["region", "opportunity", &job.id]).await.code == Some(0)
    })
    .await;
    let referral = send(&garden, &house, "Canary Person", &[]).await;
    wait_for_status(&house, &referral.id, "received").await;
    wait_for_status(&garden, &referral.id, "received").await;

    let region = Slug::parse("region", REGION).unwrap();
    let stream = stream_name(&region);

    // The house's user cannot publish as the garden: the server refuses, and nothing
    // reaches the stream.
    let house_prefix = permissions::inbox_prefix(&Slug::parse("hub", "rainbow-house").unwrap());
    let as_house = jetstream::new(connect(port, &users[1], &house_prefix).await);
    let forged = format!("kith.{REGION}.peer-garden.opportunity.{}", Ulid::new());
    let refused = match as_house.publish(forged.clone(), "forged".into()).await {
        Err(_) => true,
        Ok(ack) => tokio::time::timeout(Duration::from_secs(2), ack).await.map_or(true, |r| r.is_err()),
    };
    assert!(refused, "a hub's user published on another hub's subject");
    let as_relay = jetstream::new(connect(port, &relay_user, "_INBOX").await);
    let in_stream = as_relay.get_stream(&stream).await.unwrap().get_last_raw_message_by_subject(&forged).await;
    assert!(in_stream.is_err(), "the forged subject reached the stream");

    // A third hub's user cannot read the house's referrals: not through the house's
    // inbox consumer, not through a consumer of its own on the house's inbox subjects,
    // and not by subscribing to the subjects themselves.
    let third_prefix = permissions::inbox_prefix(&Slug::parse("hub", "third-hub").unwrap());
    let third = connect(port, &users[2], &third_prefix).await;
    let as_third = jetstream::new(third.clone());
    let house_inbox = inbox_wildcard(&region, &Slug::parse("hub", "rainbow-house").unwrap());
    let js_stream = as_third.get_stream_no_info(&stream).await.expect("a handle on the region's stream");
    for name in ["inbox-rainbow-house", "inbox-third-hub"] {
        let config = pull::Config {
            durable_name: Some(name.to_owned()),
            filter_subject: house_inbox.clone(),
            ..Default::default()
        };
        let created = tokio::time::timeout(Duration::from_secs(2), js_stream.create_consumer(config)).await;
        assert!(!matches!(created, Ok(Ok(_))), "the third hub made consumer {name} on the house's referrals");
    }
    // Nor who refers to whom: the stream's subjects (STREAM.INFO with a subject
    // filter), a referral's message by subject (STREAM.MSG.GET, DIRECT.GET). A hub's
    // profile, which is public, it may read.
    let referral_subject = format!("kith.{REGION}.peer-garden.referral.rainbow-house.{}", referral.id);
    let listed = tokio::time::timeout(Duration::from_secs(2), as_third.get_stream(&stream)).await;
    assert!(!matches!(listed, Ok(Ok(_))), "the third hub read the stream's info");
    let got = tokio::time::timeout(Duration::from_secs(2), js_stream.get_raw_message(1)).await;
    assert!(!matches!(got, Ok(Ok(_))), "the third hub read a message of the stream by its sequence");
    let got =
        tokio::time::timeout(Duration::from_secs(2), js_stream.direct_get_last_for_subject(referral_subject.clone()))
            .await;
    assert!(!matches!(got, Ok(Ok(_))), "the third hub read the house's referral message");
    let profile = js_stream
        .direct_get_last_for_subject(format!("kith.{REGION}.rainbow-house.profile"))
        .await
        .expect("a hub may read another hub's profile");
    assert!(!profile.payload.is_empty());
    let mut spy = third.subscribe(format!("kith.{REGION}.>")).await.unwrap();
    third.flush().await.unwrap();
    let second = send(&garden, &house, "Another Person", &[]).await;
    wait_for_status(&house, &second.id, "received").await;
    let overheard = tokio::time::timeout(Duration::from_millis(500), futures::StreamExt::next(&mut spy)).await;
    assert!(!matches!(overheard, Ok(Some(_))), "the third hub overheard a referral: {overheard:?}");

    // An ask through the board reaches the garden under its user (its own consumer on
    // the stream of asks); the third hub cannot make one on the garden's asks.
    let key = std::fs::read_to_string(relay.dir().join("relay.pub")).expect("relay.pub");
    let mut garden = garden;
    kith_tests::hub::set_hub_toml(&garden.dir(), "ask_relays", toml::Value::Array(vec![key.trim().into()]));
    garden.restart().await;
    let page = format!("/opportunity/peer-garden/{}", job.id);
    wait_until("the board offers Ask about this", DEFAULT_TIMEOUT, async || {
        kith_tests::http::get(&relay.http_url(), &page, "text/html").await.contains("data-seal-to")
    })
    .await;
    let form = "name=Sam&how=none&reach=&when=&words=hello&consent=yes&sealed=&website=";
    let sent =
        kith_tests::http::post_form(&relay.http_url(), &format!("/ask/opportunity/peer-garden/{}", job.id), form, &[])
            .await;
    assert!(sent.starts_with("HTTP/1.1 200"), "{sent}");
    wait_until("the garden takes the ask", DEFAULT_TIMEOUT, async || {
        !garden.kith(["ask", "list"]).await.array().is_empty()
    })
    .await;
    let asks_stream =
        as_third.get_stream_no_info(ask::stream_name(&region)).await.expect("a handle on the stream of asks");
    let config = pull::Config {
        durable_name: Some("asks-peer-garden".to_owned()),
        filter_subject: ask::hub_wildcard(&region, &Slug::parse("hub", "peer-garden").unwrap()),
        ..Default::default()
    };
    let created = tokio::time::timeout(Duration::from_secs(2), asks_stream.create_consumer(config)).await;
    assert!(!matches!(created, Ok(Ok(_))), "the third hub made a consumer on the garden's asks");

    // It was the permissions that said no, and only to these attempts: the hubs and
    // the relay doing their work never needed anything their users lack.
    let log = std::fs::read_to_string(nats.log_path()).unwrap();
    let violations: Vec<&str> = log.lines().filter(|l| l.contains("Violation")).collect();
    let expected = [
        ("Publish Violation", "rainbow-house", forged.as_str()),
        ("Publish Violation", "third-hub", "CONSUMER.CREATE.KITH_WEST_YORKSHIRE.inbox-rainbow-house."),
        ("Publish Violation", "third-hub", "CONSUMER.CREATE.KITH_WEST_YORKSHIRE.inbox-third-hub."),
        ("Publish Violation", "third-hub", "$JS.API.STREAM.INFO.KITH_WEST_YORKSHIRE"),
        ("Publish Violation", "third-hub", "$JS.API.STREAM.MSG.GET.KITH_WEST_YORKSHIRE"),
        (
            "Publish Violation",
            "third-hub",
            "$JS.API.DIRECT.GET.KITH_WEST_YORKSHIRE.kith.west-yorkshire.peer-garden.referral",
        ),
        ("Subscription Violation", "third-hub", "kith.west-yorkshire.>"),
        ("Publish Violation", "third-hub", "CONSUMER.CREATE.KITH_ASKS_WEST_YORKSHIRE.asks-peer-garden."),
    ];
    assert_eq!(violations.len(), expected.len(), "{violations:#?}");
    for ((kind, user, what), line) in expected.iter().zip(&violations) {
        // 2.9 writes `User "NAME"`, later releases `"$G/user:NAME"`.
        let by_user = line.contains(&format!("User \"{user}\"")) || line.contains(&format!("user:{user}\""));
        assert!(
            line.contains(kind) && by_user && line.contains(what),
            "expected {kind} by {user} on {what}, found {line}"
        );
    }
}

#[tokio::test]
async fn a_password_in_the_nats_url_is_never_shown_with_or_without_a_scheme() {
    let relay_user = nats_user(&["relay", "--region", REGION]).await;
    let hub_user = nats_user(&["hub", "--region", REGION, "--hub", "peer-garden"]).await;
    let conf = format!(
        "authorization {{\n  users: [\n    {},\n    {}\n  ]\n}}\n",
        relay_user["conf"].as_str().unwrap(),
        hub_user["conf"].as_str().unwrap()
    );
    let nats = NatsServer::spawn_with_conf(Some(&conf)).await;
    let port = nats.port();
    let password = hub_user["password"].as_str().unwrap();
    // Written as async-nats also takes it: no scheme.
    let bare = format!("{}:{password}@127.0.0.1:{port}", hub_user["user"].as_str().unwrap());
    let relay = Relay::start(REGION, &url(port, &relay_user)).await;
    let garden = Hub::start(REGION, "peer-garden", &bare).await;
    let job = add_opportunity(&garden, "Allotment helper", &[]).await;
    wait_until("the relay shows the garden's opportunity", DEFAULT_TIMEOUT, async || {
        relay.kith(["region", "opportunity", &job.id]).await.code == Some(0)
    })
    .await;
    let status = garden.kith(["status"]).await.ok().to_string();
    assert!(!status.contains(password), "kith status shows the password: {status}");
    assert!(status.contains("***@127.0.0.1"), "{status}");
    let log = std::fs::read_to_string(garden.log_path()).unwrap();
    assert!(!log.contains(password), "the hub's log shows the password");
    assert!(log.contains("***@127.0.0.1"), "the hub's log names the server it connected to");
}
