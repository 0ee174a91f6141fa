//! Checks that cannot run on this machine say so where nobody can miss it.
//!
//! cargo hides what a passing test prints, so a test that returned early for want of
//! a tool would look like any other `ok`. [`skip`] prints the reason and also appends
//! it to the skip log (`$KITH_SKIP_LOG`, by default `target/test-skips.log`), which
//! `tests/run` empties before the suite and lists at its end; with `CI=true` any line
//! in it fails the run.

use std::io::Write;
use std::path::PathBuf;

/// The file `tests/run` reads at the end of the suite.
pub fn log_path() -> PathBuf {
    std::env::var_os("KITH_SKIP_LOG")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::workspace().join("target/test-skips.log"))
}

/// Records that the check `what` did not run, and why (what is missing, and how to
/// get it). The caller then returns without checking anything.
pub fn skip(what: &str, why: &str) {
    eprintln!("SKIPPED {what}: {why}");
    let line = format!("{what}: {why}\n");
    let path = log_path();
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    // One write per line in append mode: lines from tests running at once do not mix.
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(line.as_bytes()));
    if let Err(e) = written {
        panic!("cannot record a skipped check in {}: {e} ({line})", path.display());
    }
}
