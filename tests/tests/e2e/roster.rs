//! A region's roster: relays and hubs given one trust the keys on it rather than a
//! hub's first profile, and do not listen to a hub that is not on it; a hub taken off
//! the roster, or revoked with `kith-relay --revoke`, leaves the relay's view.

use bytes::Bytes;
use ed25519_dalek::SigningKey;
use kith_proto::envelope::seal;
use kith_proto::time::now_ms;
use kith_tests::sample::add_opportunity;
use kith_tests::{DEFAULT_TIMEOUT, HubOptions, Region, Relay, bins, find, kith, wait_for};
use serde_json::Value;

fn quiet(id: &str) -> HubOptions {
    HubOptions { heartbeat_secs: Some(3600), ..HubOptions::named(&format!("Hub {id}")) }
}

/// The ids of the hubs `relay` lists.
async fn hub_ids(relay: &Relay) -> Vec<String> {
    let hubs = relay.kith(["region", "hubs"]).await.array();
    hubs.iter().filter_map(|h| h["id"].as_str().map(str::to_owned)).collect()
}

async fn rejected(relay: &Relay, reason: &str) -> u64 {
    relay.stats().await.rejected.get(reason).copied().unwrap_or(0)
}

/// Runs `kith-relay ARGS` expecting it to stop at once with an error; its stderr.
fn relay_refuses(args: &[&str]) -> String {
    let out = std::process::Command::new(bins::bin("kith-relay")).args(args).output().expect("run kith-relay");
    assert!(!out.status.success(), "kith-relay started with {args:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test]
async fn only_hubs_on_the_signed_roster_are_listened_to_and_a_removed_hub_leaves_the_view() {
    let region = Region::start().await;
    let (garden, rainbow, stranger) = tokio::join!(
        region.hub_with("peer-garden", quiet("peer-garden")),
        region.hub_with("rainbow-house", quiet("rainbow-house")),
        region.hub_with("stranger", quiet("stranger"))
    );
    let garden_job = add_opportunity(&garden, "Allotment helper", &[]).await;
    let rainbow_job = add_opportunity(&rainbow, "Café trainee", &[]).await;
    add_opportunity(&stranger, "Not on the roster", &[]).await;

    // A profile forged into the stream for a hub on the roster that no relay has met:
    // without a roster it is trusted on first use.
    let newcomer_key = SigningKey::from_bytes(&[3; 32]);
    let forger = SigningKey::from_bytes(&[9; 32]);
    let forged = kith_tests::sample::forged_profile("Newcomer (forged)", &forger);
    let newcomer = kith_proto::Slug::parse("hub", "newcomer").unwrap();
    let sealed = seal(&region.slug(), &newcomer, 1, now_ms(), &forged, &forger).unwrap();
    let js = region.nats.jetstream().await;
    js.publish(sealed.subject.to_string(), Bytes::from(sealed.bytes)).await.unwrap().await.unwrap();

    // The coordinator writes the roster.
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("roster.toml");
    let coordinator = dir.path().join("coordinator.key");
    let (r, c) = (roster.to_str().unwrap(), coordinator.to_str().unwrap());
    let newcomer_hex = kith_proto::keys::hex(newcomer_key.verifying_key().as_bytes());
    for (hub, key) in [
        ("peer-garden", garden.signing_key_hex()),
        ("rainbow-house", rainbow.signing_key_hex()),
        ("newcomer", newcomer_hex),
    ] {
        kith(["region", "roster", "add", r, "--region", &region.name, "--hub", hub, "--key", &key]).await.ok();
    }
    let e = kith(["region", "roster", "add", r, "--hub", "x", "--key", "not-a-key"]).await.failure();
    assert!(e.contains("key: ") && e.contains("64 hex digits"), "{e}");

    // Unsigned, it is refused, with one line that says what to do.
    let relay_dir = tempfile::tempdir().unwrap();
    let d = relay_dir.path().to_str().unwrap();
    let url = region.nats.url();
    let base =
        ["--region", &region.name, "--nats", &url, "--dir", d, "--listen", "127.0.0.1:0", "--http-listen", "off"];
    // A roster vouches for nobody by itself: the coordinator's key is required.
    let e = relay_refuses(&[&base[..], &["--roster", r]].concat());
    assert!(e.contains("--roster-coordinator"), "{e}");
    let other = kith_proto::keys::hex(SigningKey::from_bytes(&[5; 32]).verifying_key().as_bytes());
    let e = relay_refuses(&[&base[..], &["--roster", r, "--roster-coordinator", &other]].concat());
    assert!(e.contains("not signed") && e.contains("kith region roster sign"), "{e}");

    let signed = kith(["region", "roster", "sign", r, "--coordinator-key", c]).await.ok();
    assert_eq!(signed["signed"], true);
    let coordinator_hex = signed["coordinator"].as_str().unwrap().to_owned();
    // This version, kept: once a newer one is in use, it is refused.
    let first_version = dir.path().join("roster-first.toml");
    std::fs::copy(&roster, &first_version).unwrap();
    kith(["region", "roster", "show", r]).await.ok();
    // A key changed by hand after signing is refused.
    let text = std::fs::read_to_string(&roster).unwrap();
    let tampered = dir.path().join("tampered.toml");
    std::fs::write(&tampered, text.replace(&garden.signing_key_hex(), &stranger.signing_key_hex())).unwrap();
    let e =
        relay_refuses(&[&base[..], &["--roster", tampered.to_str().unwrap(), "--roster-coordinator", &other]].concat());
    assert!(e.contains("does not verify"), "{e}");
    let e = relay_refuses(&[&base[..], &["--roster", r, "--roster-coordinator", &other]].concat());
    assert!(e.contains("not by the coordinator key given"), "{e}");

    // A relay given the roster: the roster's hubs, not the stranger, not the forgery.
    let rostered = ["--roster", r, "--roster-coordinator", coordinator_hex.as_str()];
    let mut with_roster = Relay::start_with(&region.name, &url, Some("rostered"), &rostered).await;
    wait_for("the rostered relay has the two hubs' listings", DEFAULT_TIMEOUT, async || {
        let ids = hub_ids(&with_roster).await;
        let n = rejected(&with_roster, "not-on-roster").await;
        let found = with_roster.kith(["region", "opportunity", &rainbow_job.id]).await.code == Some(0);
        if ids == ["peer-garden", "rainbow-house"] && n >= 2 && found { Ok(()) } else { Err((ids, n)) }
    })
    .await;
    assert!(rejected(&with_roster, "key-not-pinned").await >= 1, "the forged profile is refused");
    // The relay without a roster trusted the forgery on first use.
    let plain = region.relay.kith(["region", "hubs"]).await.array();
    assert_eq!(find(&plain, "newcomer").map(|h| h["contact"].clone()), Some(Value::from("ring the forger")));

    // The coordinator takes the house off the roster: the relay, restarted with it,
    // no longer lists it or its listings, and refuses what it publishes.
    kith(["region", "roster", "remove", r, "--hub", "rainbow-house"]).await.ok();
    kith(["region", "roster", "sign", r, "--coordinator-key", c]).await.ok();
    with_roster.restart().await;
    wait_for("the house leaves the rostered relay's view", DEFAULT_TIMEOUT, async || {
        let ids = hub_ids(&with_roster).await;
        let gone = with_roster.kith(["region", "opportunity", &rainbow_job.id]).await.code != Some(0);
        let kept = with_roster.kith(["region", "opportunity", &garden_job.id]).await.code == Some(0);
        if ids == ["peer-garden"] && gone && kept { Ok(()) } else { Err((ids, gone, kept)) }
    })
    .await;
    let before = rejected(&with_roster, "not-on-roster").await;
    add_opportunity(&rainbow, "Published after removal", &[]).await;
    wait_for("the house's next event is refused and counted", DEFAULT_TIMEOUT, async || {
        let n = rejected(&with_roster, "not-on-roster").await;
        if n > before { Ok(()) } else { Err(n) }
    })
    .await;

    // The older roster, which still lists the house, is refused from now on.
    with_roster.stop().await;
    let rostered_dir = with_roster.dir();
    let old = first_version.to_str().unwrap();
    let e = relay_refuses(&[
        "--region",
        &region.name,
        "--nats",
        &url,
        "--dir",
        rostered_dir.to_str().unwrap(),
        "--name",
        "rostered",
        "--listen",
        "127.0.0.1:0",
        "--http-listen",
        "off",
        "--roster",
        old,
        "--roster-coordinator",
        &coordinator_hex,
    ]);
    assert!(e.contains("older than version") && e.contains("only moves forward"), "{e}");

    // A hub given the roster does not seal to a hub off it; it too needs the
    // coordinator's key, and refuses an older roster once it has used a newer one.
    let mut garden = garden;
    garden.stop().await;
    kith_tests::hub::set_hub_toml(&garden.dir(), "roster", toml::Value::String(r.into()));
    let e = crate::bad_disks::refuses(&garden.dir());
    assert!(e.contains("roster_coordinator") && e.contains("required"), "{e}");
    kith_tests::hub::set_hub_toml(&garden.dir(), "roster_coordinator", toml::Value::String(coordinator_hex.clone()));
    garden.restart().await;
    garden.stop().await;
    kith_tests::hub::set_hub_toml(&garden.dir(), "roster", toml::Value::String(old.into()));
    let e = crate::bad_disks::refuses(&garden.dir());
    assert!(e.contains("older than version"), "{e}");
    kith_tests::hub::set_hub_toml(&garden.dir(), "roster", toml::Value::String(r.into()));
    garden.restart().await;
    let (file, _) = kith_tests::referral::person_file(&garden, "A. B.", &[]);
    let e =
        garden.kith(["referral", "send", "--to", "stranger", "--person-file", file.to_str().unwrap()]).await.failure();
    assert!(e.contains("not on the region's roster"), "{e}");
}

#[tokio::test]
async fn a_revoked_hub_leaves_the_view_and_is_counted() {
    let mut region = Region::start().await;
    let (garden, rainbow) = tokio::join!(
        region.hub_with("peer-garden", quiet("peer-garden")),
        region.hub_with("rainbow-house", quiet("rainbow-house"))
    );
    let revoked_job = add_opportunity(&garden, "Allotment helper", &[]).await;
    let kept_job = add_opportunity(&rainbow, "Café trainee", &[]).await;
    wait_for("the relay has both", DEFAULT_TIMEOUT, async || {
        let a = region.relay.kith(["region", "opportunity", &revoked_job.id]).await.code == Some(0);
        let b = region.relay.kith(["region", "opportunity", &kept_job.id]).await.code == Some(0);
        if a && b { Ok(()) } else { Err((a, b)) }
    })
    .await;

    region.relay.set_flags(&["--revoke", "peer-garden"]);
    region.relay.restart().await;
    wait_for("the revoked hub leaves the view", DEFAULT_TIMEOUT, async || {
        let ids = hub_ids(&region.relay).await;
        let gone = region.relay.kith(["region", "opportunity", &revoked_job.id]).await.code != Some(0);
        let kept = region.relay.kith(["region", "opportunity", &kept_job.id]).await.code == Some(0);
        let counted = rejected(&region.relay, "revoked").await;
        if ids == ["rainbow-house"] && gone && kept && counted >= 1 { Ok(()) } else { Err((ids, gone, kept, counted)) }
    })
    .await;
    let board = region.relay.http_url();
    let page = kith_tests::http::get(&board, "/hubs", "text/html").await;
    assert!(!page.contains("peer-garden") && page.contains("rainbow-house"), "{page}");
}
