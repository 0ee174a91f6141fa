//! `kith-hub` started as a service manager starts it: a configuration it cannot use
//! stops it at once with exit code 1 and one line naming the file and the problem,
//! before it opens a store or reaches NATS.
//!
//! (Being an integration test of this package, this also makes `cargo test` build
//! the `kith-hub` binary with the workspace's test features, which the end-to-end
//! tests of `kith-tests` then run: `tests/run` builds once.)

use std::process::{Command, Output};

fn hub(dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kith-hub"))
        .arg("--dir")
        .arg(dir)
        .env_remove("KITH_NATS_URL")
        .env_remove("KITH_HUB_DIR")
        .output()
        .expect("run kith-hub")
}

fn one_line(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8(out.stderr.clone()).expect("utf-8");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    stderr
}

#[test]
fn a_directory_without_hub_toml_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let line = one_line(&hub(&dir.path().join("missing")));
    assert!(line.contains("hub.toml") && line.contains("missing"), "{line}");
}

#[test]
fn a_malformed_hub_toml_is_named_with_its_line_and_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("hub.toml"), "hub_id = \"leeds-peer\"\nregion = 5\n").expect("write");
    let line = one_line(&hub(dir.path()));
    assert!(line.contains("hub.toml") && line.contains("line 2") && line.contains("region"), "{line}");
    // Nothing was made beside it: no store before the configuration is good.
    let entries: Vec<_> = std::fs::read_dir(dir.path()).expect("read dir").collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
}
