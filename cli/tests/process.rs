//! `kith` run as a program, as an operator's shell or a script sees it: a failure is
//! one line on stderr beginning `error:` and exit code 1, nothing on stdout.
//!
//! (Being an integration test of this package, this also makes `cargo test` build
//! the `kith` binary with the workspace's test features, which the end-to-end tests
//! of `kith-tests` then run: `tests/run` builds once.)

use std::process::{Command, Output};

fn kith(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kith"))
        .args(args)
        .env_remove("KITH_HUB_DIR")
        .env_remove("KITH_RELAY")
        .output()
        .expect("run kith")
}

fn one_line_error(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty(), "nothing on stdout when failing: {out:?}");
    let stderr = String::from_utf8(out.stderr.clone()).expect("utf-8");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr
}

#[test]
fn a_missing_hub_directory_is_named_with_how_to_make_one() {
    let dir = std::env::temp_dir().join("kith-no-such-hub-dir");
    let dir = dir.to_str().expect("utf-8 path");
    let out = kith(&["--hub-dir", dir, "status"]);
    let line = one_line_error(&out);
    assert!(line.contains(dir) && line.contains("kith init"), "{line}");
}

#[test]
fn a_usage_error_is_one_line_naming_what_is_missing() {
    let line = one_line_error(&kith(&["opportunity", "add", "--title", "Gardener"]));
    assert!(line.contains("--kind"), "{line}");
    let line = one_line_error(&kith(&["region"]));
    assert!(line.contains("needs a subcommand"), "{line}");
}

#[test]
fn an_unreachable_relay_is_an_error_naming_it() {
    // Port 9 on loopback: nothing listens there.
    let out = kith(&["--relay", "http://127.0.0.1:9", "--json", "region", "hubs"]);
    let line = one_line_error(&out);
    assert!(line.contains("127.0.0.1:9"), "{line}");
}

#[test]
fn version_and_help_go_to_stdout() {
    let out = kith(&["--version"]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("kith "), "{out:?}");
    let out = kith(&["region", "--help"]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("--json"), "{out:?}");
}
