//! NATS over TLS: a nats-server that requires TLS, with a certificate from the
//! region's own CA (made here with `openssl`). A hub (`nats_ca` in hub.toml) and a
//! relay (`--nats-ca`) that know the CA publish and read through it; a hub that does
//! not know it cannot connect, and says so.

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
        eprintln!("SKIPPED: needs openssl to make the test's certificates (apt-get install openssl)");
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
