//! Bad input and bad disks: a hub.toml with a wrong type or an unknown key, a store
//! that was damaged, a read-only file system, a full disk. The hub either stops with
//! one clear line that names the file and the problem, or keeps running and refuses
//! writes with a clear error — never a panic, never a half-written store. A relay
//! whose disk fills stops with one line naming its store, and once it has room again
//! reads back from the stream what it had not acknowledged: nothing is lost.

use std::path::{Path, PathBuf};
use std::process::Command;

use kith_tests::process::Daemon;
use kith_tests::{DEFAULT_TIMEOUT, bins, kith, wait_for};

/// A hub directory made by `kith init` in `root`, its NATS nowhere (it needs none).
async fn init(root: &Path) -> (PathBuf, u16) {
    let dir = root.join("hub");
    let port = kith_tests::free_port();
    let out = kith([
        "init",
        "--dir",
        dir.to_str().unwrap(),
        "--hub-id",
        "peer-garden",
        "--region",
        "west-yorkshire",
        "--name",
        "Peer Garden",
        "--nats",
        "nats://127.0.0.1:1",
        "--admin-listen",
        &format!("127.0.0.1:{port}"),
    ])
    .await;
    assert!(out.success(), "{out:?}");
    (dir, port)
}

/// Waits until the hub in `dir` answers `kith status`.
async fn answers(dir: &str) {
    wait_for("the hub answers", DEFAULT_TIMEOUT, async || {
        let out = kith(["--hub-dir", dir, "status"]).await;
        if out.success() { Ok(()) } else { Err(out.stderr) }
    })
    .await;
}

/// Runs kith-hub on `dir`, which must stop at once with one line on stderr; that line.
pub(crate) fn refuses(dir: &Path) -> String {
    let mut child = Command::new(bins::bin("kith-hub"))
        .arg("--dir")
        .arg(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run kith-hub");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!("kith-hub kept running: {}", String::from_utf8_lossy(&out.stderr));
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success(), "kith-hub ran");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.contains(" INFO ") && !l.contains(" WARN ")).collect();
    assert_eq!(lines.len(), 1, "not one line: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    lines[0].to_owned()
}

fn set(dir: &Path, from: &str, to: &str) {
    let path = dir.join("hub.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let changed: String = text.lines().map(|l| if l.starts_with(from) { to } else { l }).collect::<Vec<_>>().join("\n");
    std::fs::write(&path, changed + "\n").unwrap();
}

#[tokio::test]
async fn a_bad_hub_toml_stops_the_hub_with_one_line_naming_the_file_and_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = init(tmp.path()).await;
    let toml = dir.join("hub.toml");
    let good = std::fs::read_to_string(&toml).unwrap();

    set(&dir, "heartbeat_secs", "heartbeat_secs = \"often\"");
    let line = refuses(&dir);
    assert!(line.contains("hub.toml") && line.contains("heartbeat_secs") && line.contains("invalid type"), "{line}");

    std::fs::write(&toml, format!("{good}colour = \"blue\"\n")).unwrap();
    let line = refuses(&dir);
    assert!(line.contains("hub.toml") && line.contains("unknown field `colour`"), "{line}");
    assert!(!dir.join("store").exists(), "nothing was written");
}

#[tokio::test]
async fn a_damaged_store_stops_the_hub_with_one_line_and_says_how_to_recover() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = init(tmp.path()).await;
    // Run once, so that the store holds something, then stop it.
    let mut hub = Daemon::new("hub", bins::bin("kith-hub"), tmp.path().join("hub.log"));
    hub.spawn(&["--dir".into(), dir.clone().into()], &[]);
    let d = dir.to_str().unwrap().to_owned();
    answers(&d).await;
    hub.terminate(std::time::Duration::from_secs(10)).await;

    for file in std::fs::read_dir(dir.join("store")).unwrap() {
        let path = file.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "db" || name.starts_with("snap.") {
            let mut bytes = std::fs::read(&path).unwrap();
            for b in bytes.iter_mut().step_by(7) {
                *b ^= 0xff;
            }
            std::fs::write(&path, bytes).unwrap();
        }
    }
    let line = refuses(&dir);
    assert!(line.contains("store") && line.contains("damaged") && line.contains("kith restore"), "{line}");
}

/// A small file system of its own (tmpfs), or None (the test says it is skipped)
/// where this process may not mount.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            kith_tests::skip(
                "bad_disks: a read-only or full file system",
                "needs root to mount a small file system (tmpfs)",
            );
        }
        ok.then(|| Tmpfs(at.to_owned()))
    }

    fn remount(&self, options: &str) {
        let status = Command::new("mount").args(["-o", &format!("remount,{options}")]).arg(&self.0).status().unwrap();
        assert!(status.success(), "remount {options}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[tokio::test]
async fn a_read_only_or_full_disk_never_loses_what_was_acknowledged() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(fs) = Tmpfs::mount(&tmp.path().join("fs"), "2m") else { return };
    let (dir, _) = init(&fs.0).await;

    // Read-only: the hub stops with one line naming its store.
    fs.remount("ro");
    let line = refuses(&dir);
    assert!(line.contains(&dir.join("store").display().to_string()) && line.contains("Read-only"), "{line}");
    fs.remount("rw");

    // Full: writes are refused with a clear error, the hub keeps answering, and
    // everything it acknowledged is there once it has room again.
    let mut hub = Daemon::new("hub", bins::bin("kith-hub"), tmp.path().join("hub.log"));
    hub.spawn(&["--dir".into(), dir.clone().into()], &[]);
    let d = dir.to_str().unwrap().to_owned();
    answers(&d).await;
    let filler = "x".repeat(3000);
    let mut acknowledged = Vec::new();
    let refusal = loop {
        let n = acknowledged.len();
        let title = format!("Job {n}");
        let args = ["--hub-dir", &d, "opportunity", "add", "--title", &title, "--kind", "paid-job", "--sector"];
        let out = kith([&args[..], &["ordinary", "--area", "Leeds", "--description", &filler]].concat()).await;
        if !out.success() {
            break out.stderr;
        }
        acknowledged.push(out.ok()["id"].as_str().unwrap().to_owned());
        assert!(n < 2000, "the disk never filled");
    };
    assert!(refusal.contains("disk is full") && refusal.contains("nothing was written"), "{refusal}");
    assert_eq!(refusal.trim().lines().count(), 1, "{refusal}");
    assert!(kith(["--hub-dir", &d, "status"]).await.success(), "the hub stopped answering");
    hub.assert_running();

    fs.remount("size=64m");
    hub.terminate(std::time::Duration::from_secs(10)).await;
    hub.spawn(&["--dir".into(), dir.clone().into()], &[]);
    let listed = wait_for("the hub answers again", DEFAULT_TIMEOUT, async || {
        let out = kith(["--hub-dir", &d, "opportunity", "list"]).await;
        if out.success() { Ok(out.array()) } else { Err(out.stderr) }
    })
    .await;
    let ids: Vec<&str> = listed.iter().filter_map(|o| o["id"].as_str()).collect();
    for id in &acknowledged {
        assert!(ids.contains(&id.as_str()), "acknowledged {id} is gone");
    }
    assert_eq!(ids.len(), acknowledged.len(), "a refused write was kept");
    let args = ["--hub-dir", &d, "opportunity", "add", "--title", "With room again", "--kind", "paid-job"];
    let out = kith([&args[..], &["--sector", "ordinary", "--area", "Leeds"]].concat()).await;
    assert!(out.success(), "a write with room again: {out:?}");
}

#[tokio::test]
async fn a_relay_on_a_full_disk_stops_with_one_line_and_loses_nothing_once_it_has_room() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(fs) = Tmpfs::mount(&tmp.path().join("fs"), "3m") else { return };
    let nats = kith_tests::NatsServer::spawn().await;
    let hub = kith_tests::Hub::start(kith_tests::REGION, "peer-garden", &nats.url()).await;
    let dir = fs.0.join("relay");
    let port = kith_tests::free_port();
    let args: Vec<std::ffi::OsString> = vec![
        "--region".into(),
        kith_tests::REGION.into(),
        "--nats".into(),
        nats.url().into(),
        "--listen".into(),
        format!("127.0.0.1:{port}").into(),
        "--dir".into(),
        dir.clone().into(),
        "--http-listen".into(),
        "off".into(),
    ];
    let log = tmp.path().join("relay.log");
    let mut relay = Daemon::new("relay", bins::bin("kith-relay"), log.clone());
    relay.spawn(&args, &[]);

    // The hub writes until the relay's disk is full and the relay stops.
    let mut admin = hub.admin().await;
    let filler = "x".repeat(3900);
    let mut written = Vec::new();
    while relay.is_running() {
        let mut fields = kith_tests::sample::opportunity_fields(&format!("Job {}", written.len()));
        fields.description = filler.clone();
        written.push(admin.add_opportunity(fields).await.expect("the hub writes").into_inner().id);
        assert!(written.len() < 5000, "the relay's disk never filled");
        if written.len() % 50 == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    }
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(!text.contains("panicked"), "{text}");
    let last = text.lines().rev().find(|l| !l.starts_with("====") && !l.trim().is_empty()).unwrap_or("");
    assert!(last.contains(&dir.display().to_string()), "the last line does not name the store: {last}");
    assert!(last.to_lowercase().contains("no space left"), "the last line does not say the disk is full: {last}");
    eprintln!("the relay stopped with: {last}");

    // With room again, a restarted relay holds every listing the hub wrote.
    fs.remount("size=256m");
    relay.spawn(&args, &[]);
    let url = format!("http://127.0.0.1:{port}");
    wait_for("the relay holds every listing the hub wrote", std::time::Duration::from_secs(120), async || {
        let mut client = kith_tests::relay::region_client(&url).await.map_err(|e| e.to_string())?;
        let stats = client.get_stats(kith_proto::v1::StatsRequest {}).await.map_err(|e| e.to_string())?.into_inner();
        if stats.opportunities as usize == written.len() {
            Ok(())
        } else {
            Err(format!("{} of {}", stats.opportunities, written.len()))
        }
    })
    .await;
}
