//! NATS over TLS: a nats-server that requires TLS, with a certificate from the
//! region's own CA (made here with `openssl`). A hub (`nats_ca` in hub.toml) and a
//! relay (`--nats-ca`) that know the CA publish and read through it; a hub that does
//! not know it cannot connect, and says so. The hub's admin API, beyond loopback,
//! only over TLS.

use std::path::{Path, PathBuf};
use std::process::Command;

use kith_tests::sample::add_opportunity;
use kith_tests::{DEFAULT_TIMEOUT, Hub, HubOptions, NatsServer, REGION, Relay, wait_until};

/// A CA and a certificate for 127.0.0.1 signed by it, in `dir`; None without openssl.
fn certificates(dir: &Path) -> Option<(PathBuf, PathBuf, PathBuf)> {
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl").args(args).current_dir(dir).output();
        match out {
            Ok(o) if o.status.success() => Some(()),
            Ok(o) => panic!("openssl {args:?}: {}", String::from_utf8_lossy(&o.stderr)),
            Err(_) => None,
        }
    };
    let key = ["-newkey", "rsa:2048", "-nodes"];
    openssl(
        &[
            &["req", "-x509"][..],
            &key,
            &["-keyout", "ca.key", "-out", "ca.pem", "-days", "2"],
            &["-subj", "/CN=Kith test region CA"],
        ]
        .concat(),
    )?;
    openssl(
        &[&["req"][..], &key, &["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]].concat(),
    )?;
    std::fs::write(dir.join("san.cnf"), "subjectAltName=IP:127.0.0.1\n").unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "san.cnf",
    ])?;
    Some((dir.join("ca.pem"), dir.join("server.pem"), dir.join("server.key")))
}

#[tokio::test]
async fn hub_and_relay_talk_to_nats_over_tls_checked_against_the_regions_ca() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((ca, cert, key)) = certificates(tmp.path()) else {
        kith_tests::skip(
            "tls: TLS to NATS and to the admin API",
            "needs openssl to make the test's certificates (apt-get install openssl)",
        );
        return;
    };
    let conf = format!("tls {{\n  cert_file: \"{}\"\n  key_file: \"{}\"\n}}\n", cert.display(), key.display());
    let nats = NatsServer::spawn_with_conf(Some(&conf)).await;
    let url = format!("tls://127.0.0.1:{}", nats.port());

    let ca_arg = ca.display().to_string();
    let relay = Relay::start_with(REGION, &url, None, &["--nats-ca", &ca_arg]).await;
    let options = HubOptions { nats_ca: Some(ca.clone()), ..HubOptions::named("Garden") };
    let garden = Hub::start_with(REGION, "peer-garden", &url, options).await;
    let job = add_opportunity(&garden, "Allotment helper", &[]).await;
    wait_until("the relay shows the listing it read over TLS", DEFAULT_TIMEOUT, async || {
        relay.kith(["region", "opportunity", &job.id]).await.code == Some(0)
    })
    .await;

    // A hub that does not know the region's CA cannot check the server: it does not
    // connect, keeps its writes, and says why.
    let stranger = Hub::start(REGION, "stranger", &url).await;
    add_opportunity(&stranger, "Kept in the outbox", &[]).await;
    wait_until("the hub reports why it cannot connect", DEFAULT_TIMEOUT, async || {
        let s = stranger.status().await;
        !s.nats_connected && s.last_error.to_lowercase().contains("certificate")
    })
    .await;
    assert_eq!(stranger.status().await.outbox_pending, 2, "its profile and its listing wait in the outbox");
}

/// The admin API beyond loopback: only with TLS, and then `kith` checks the hub's
/// certificate and speaks TLS to it; a client in plain text gets nothing.
#[tokio::test]
async fn the_admin_api_listens_beyond_loopback_only_with_tls_and_kith_checks_its_certificate() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((ca, cert, key)) = certificates(tmp.path()) else {
        kith_tests::skip(
            "tls: TLS to NATS and to the admin API",
            "needs openssl to make the test's certificates (apt-get install openssl)",
        );
        return;
    };
    let nats = NatsServer::spawn().await;
    let _relay = Relay::start(REGION, &nats.url()).await;
    let dir = tmp.path().join("hub");
    let port = kith_tests::free_port();
    let init = kith_tests::kith([
        "init",
        "--dir",
        dir.to_str().unwrap(),
        "--hub-id",
        "peer-garden",
        "--region",
        REGION,
        "--name",
        "Peer Garden",
        "--nats",
        &nats.url(),
        "--admin-listen",
        &format!("127.0.0.1:{port}"),
    ])
    .await;
    assert!(init.success(), "{init:?}");
    let set = |key: &str, value: &str| {
        kith_tests::hub::set_hub_toml(&dir, key, toml::Value::String(value.into()));
    };
    set("admin_listen", &format!("0.0.0.0:{port}"));
    set("admin_tls_cert", cert.to_str().unwrap());
    set("admin_tls_key", key.to_str().unwrap());
    set("admin_tls_ca", ca.to_str().unwrap());
    set("admin_tls_name", "127.0.0.1");
    let mut hub =
        kith_tests::process::Daemon::new("hub tls", kith_tests::bins::bin("kith-hub"), tmp.path().join("hub.log"));
    hub.spawn(&["--dir".into(), dir.clone().into()], &[]);
    let hub_dir = dir.to_str().unwrap().to_owned();
    let status = kith_tests::wait_for("kith reaches the hub over TLS", DEFAULT_TIMEOUT, async || {
        hub.assert_running();
        let out = kith_tests::kith(["--hub-dir", &hub_dir, "status"]).await;
        if out.success() { Ok(out.ok()) } else { Err(out.stderr) }
    })
    .await;
    assert_eq!(status["hub"], "peer-garden", "{status}");

    // In plain text, nothing: the token never crosses unencrypted.
    let token = kith_proto::keys::read_admin_token(&dir).unwrap();
    let plain = kith_tests::hub::admin_client(
        &format!("http://127.0.0.1:{port}"),
        kith_tests::hub::Authorization::bearer(&token),
    )
    .await;
    if let Ok(mut client) = plain {
        let answer = client.status(kith_proto::v1::StatusRequest {}).await;
        assert!(answer.is_err(), "the admin API answered in plain text");
    }
    // A CA that did not sign the hub's certificate: kith refuses to talk.
    let other = tmp.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    let (other_ca, _, _) = certificates(&other).unwrap();
    set("admin_tls_ca", other_ca.to_str().unwrap());
    let out = kith_tests::kith(["--hub-dir", &hub_dir, "status"]).await;
    assert!(!out.success(), "kith trusted a certificate its CA did not sign: {out:?}");
}
