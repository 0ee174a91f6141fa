//! What another user of a hub's machine can try, and what stops them: the hub's files
//! are its user's alone and the hub refuses to run with a NATS credential others can
//! read (they could pull its inbox consumer and swallow its referrals); a file or a
//! link put in the way of a backup receives nothing; a data package cannot make the
//! importer read files outside it; reasons never go on a command line.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use kith_tests::Region;
use kith_tests::hub::set_hub_toml;

use crate::bad_disks::refuses;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[tokio::test]
async fn a_hubs_files_are_its_users_alone_and_a_readable_nats_credential_is_refused() {
    let region = Region::start().await;
    let mut hub = region.hub("peer-garden").await;
    let dir = hub.dir();
    assert_eq!(mode(&dir), 0o700, "the hub's directory");
    assert_eq!(mode(&dir.join("hub.toml")), 0o600, "hub.toml");
    assert_eq!(mode(&dir.join("admin.token")), 0o600, "the admin token");
    hub.stop().await;

    // A password in nats_url, in a hub.toml others can read.
    let url = region.nats.url().replace("nats://", "nats://garden:s3cret-pass@");
    set_hub_toml(&dir, "nats_url", url.into());
    chmod(&dir.join("hub.toml"), 0o644);
    let line = refuses(&dir);
    assert!(line.contains("hub.toml") && line.contains("mode is 644") && line.contains("chmod 600"), "{line}");
    assert!(!line.contains("s3cret-pass"), "the password is not repeated: {line}");
    chmod(&dir.join("hub.toml"), 0o600);

    // A credentials file others can read.
    set_hub_toml(&dir, "nats_url", region.nats.url().into());
    let creds = hub.root().join("garden.creds");
    std::fs::write(&creds, "-----BEGIN NATS USER JWT-----\n").unwrap();
    chmod(&creds, 0o644);
    set_hub_toml(&dir, "nats_creds", creds.display().to_string().into());
    let line = refuses(&dir);
    assert!(line.contains("garden.creds") && line.contains("chmod 600"), "{line}");

    // Put right, the hub runs again.
    let text = std::fs::read_to_string(dir.join("hub.toml")).unwrap();
    let mut table: toml::Table = text.parse().unwrap();
    table.remove("nats_creds");
    std::fs::write(dir.join("hub.toml"), toml::to_string(&table).unwrap()).unwrap();
    hub.restart().await;
    assert_eq!(mode(&dir.join("hub.toml")), 0o600);
}

#[tokio::test]
async fn a_backup_never_writes_through_a_file_or_link_put_in_its_way() {
    let region = Region::start().await;
    let hub = region.hub("peer-garden").await;
    let out = hub.root().join("garden.kithbackup");
    // Another user's link where the backup is first written, pointing at a file
    // of theirs that would receive the hub's secret keys.
    let victim = hub.root().join("someone-elses-file");
    std::fs::write(&victim, "theirs").unwrap();
    std::os::unix::fs::symlink(&victim, hub.root().join(".garden.kithbackup.partial")).unwrap();
    hub.kith(["backup", "--out", out.to_str().unwrap()]).await.ok();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "theirs", "the backup went through the link");
    assert!(std::fs::read(&out).unwrap().starts_with(b"KITHBAK1"));
    assert_eq!(mode(&out), 0o600);
    assert!(!hub.root().join(".garden.kithbackup.partial").exists(), "the link is gone, not followed");
}

#[tokio::test]
async fn an_import_reads_nothing_outside_its_data_package() {
    let region = Region::start().await;
    let hub = region.hub("peer-garden").await;
    let secret = hub.root().join("secret.csv");
    std::fs::write(&secret, "id,name\nroot-secret-line,someone's private row\n").unwrap();
    for (case, path) in [
        ("an absolute path", secret.display().to_string()),
        ("a path up and out", "../secret.csv".to_owned()),
        ("a link out of the package", "services.csv".to_owned()),
    ] {
        let package = hub.root().join(format!("package-{}", case.replace(' ', "-")));
        std::fs::create_dir_all(&package).unwrap();
        if case.contains("link") {
            std::os::unix::fs::symlink(&secret, package.join("services.csv")).unwrap();
        }
        let descriptor = serde_json::json!({"resources": [{"name": "services", "path": path}]});
        std::fs::write(package.join("datapackage.json"), descriptor.to_string()).unwrap();
        let err = hub.kith(["service", "import", package.to_str().unwrap(), "--dry-run"]).await.failure();
        assert!(err.contains("inside its directory"), "{case}: {err}");
        assert!(!err.contains("root-secret-line") && !err.contains("private row"), "{case} echoed the file: {err}");
    }
    assert!(hub.kith(["service", "list"]).await.array().is_empty(), "nothing was imported");
}

#[tokio::test]
async fn a_reason_is_never_taken_from_the_command_line() {
    let region = Region::start().await;
    let (garden, rainbow) = tokio::join!(region.hub("peer-garden"), region.hub("rainbow-house"));
    let sent = kith_tests::referral::send(&garden, &rainbow, "Q. R.", &[]).await;
    kith_tests::referral::wait_for_status(&rainbow, &sent.id, "received").await;
    let err = rainbow.kith(["referral", "decline", &sent.id, "--reason", "her mother's illness"]).await.failure();
    assert!(err.contains("--reason"), "{err}");
    // Without a terminal and without a file, decline says how to give one.
    let err = rainbow.kith(["referral", "decline", &sent.id]).await.failure();
    assert!(err.contains("--reason-file"), "{err}");
    rainbow.kith_with_input(["referral", "decline", &sent.id, "--reason-file", "-"], "full tonight").await.ok();
    let shown = kith_tests::referral::wait_for_status(&garden, &sent.id, "declined").await;
    assert_eq!(shown["history"][2]["reason"], "full tonight");
}

#[tokio::test]
async fn a_hubs_nats_password_can_live_in_a_file_of_its_own_out_of_every_url() {
    let conf = "authorization {\n  users: [\n    { user: relay, password: relay-pass }\n    { user: garden, password: garden-pass }\n  ]\n}\n";
    let nats = kith_tests::NatsServer::spawn_with_conf(Some(conf)).await;
    let port = nats.port();
    let relay =
        kith_tests::Relay::start(kith_tests::REGION, &format!("nats://relay:relay-pass@127.0.0.1:{port}")).await;
    // Set up without the password: it cannot connect, and keeps its writes.
    let mut hub =
        kith_tests::Hub::start(kith_tests::REGION, "peer-garden", &format!("nats://garden@127.0.0.1:{port}")).await;
    let job = kith_tests::sample::add_opportunity(&hub, "Allotment helper", &[]).await;
    hub.stop().await;
    let password = hub.root().join("nats-password");
    std::fs::write(&password, "garden-pass\n").unwrap();
    chmod(&password, 0o640);
    set_hub_toml(&hub.dir(), "nats_password_file", password.display().to_string().into());
    let line = refuses(&hub.dir());
    assert!(line.contains("nats-password") && line.contains("chmod 600"), "{line}");
    chmod(&password, 0o600);
    hub.restart().await;
    kith_tests::wait_until("the hub's listing reaches the relay", kith_tests::DEFAULT_TIMEOUT, async || {
        relay.kith(["region", "opportunity", &job.id]).await.code == Some(0)
    })
    .await;
    let status = hub.kith(["status"]).await.ok();
    assert!(!status.to_string().contains("garden-pass"), "{status}");
}
