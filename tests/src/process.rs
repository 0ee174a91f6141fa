//! A daemon under test: one child process at a time, its stdout and stderr appended
//! to one log file that outlives restarts, killed when dropped.
//!
//! When a test fails (the thread is panicking) every daemon prints the tail of its
//! log as it is dropped, so that a failure shows what the processes said.

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How many log lines a failing test prints per daemon.
const TAIL_LINES: usize = 40;

pub struct Daemon {
    /// Names the daemon in messages, e.g. `hub garden`.
    label: String,
    program: PathBuf,
    log: PathBuf,
    child: Option<Child>,
    /// How the last run ended, when it has.
    exited: Option<ExitStatus>,
}

impl Daemon {
    pub fn new(label: impl Into<String>, program: PathBuf, log: PathBuf) -> Daemon {
        Daemon { label: label.into(), program, log, child: None, exited: None }
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// Starts the program with `args` and `envs`. Panics if one is already running.
    pub fn spawn(&mut self, args: &[OsString], envs: &[(&str, String)]) {
        assert!(self.child.is_none(), "{} is already running", self.label);
        let mut log = OpenOptions::new().create(true).append(true).open(&self.log).expect("open daemon log");
        writeln!(log, "==== harness: starting {} {:?}", self.program.display(), args).expect("write daemon log");
        let err = log.try_clone().expect("clone log handle");
        let mut cmd = Command::new(&self.program);
        cmd.args(args).stdin(Stdio::null()).stdout(log).stderr(err);
        for var in ["KITH_HUB_DIR", "KITH_RELAY"] {
            cmd.env_remove(var);
        }
        // Logs are read from files: no colour escapes.
        cmd.env("NO_COLOR", "1");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {}: {e}", self.program.display()));
        self.child = Some(child);
        self.exited = None;
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// True while the process runs.
    pub fn is_running(&mut self) -> bool {
        self.reap();
        self.child.is_some()
    }

    /// Panics, with the log's tail, if the process has exited: for use while waiting
    /// for it to become ready.
    pub fn assert_running(&mut self) {
        if !self.is_running() {
            panic!(
                "{} exited while starting ({}); its log {}:\n{}",
                self.label,
                self.exited.map(|s| s.to_string()).unwrap_or_else(|| "never started".into()),
                self.log.display(),
                tail(&self.log, TAIL_LINES)
            );
        }
    }

    /// SIGKILL, and wait for the process to be gone.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            self.exited = child.wait().ok();
            self.note("killed with SIGKILL");
        }
    }

    /// SIGTERM, then SIGKILL if the process is still there after `grace`. Returns how
    /// long it took to exit on SIGTERM, or None if it had to be killed (or was not
    /// running).
    pub async fn terminate(&mut self, grace: Duration) -> Option<Duration> {
        let pid = self.pid()?;
        let started = Instant::now();
        let sent = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if sent {
            let deadline = Instant::now() + grace;
            while Instant::now() < deadline {
                if !self.is_running() {
                    self.note("stopped with SIGTERM");
                    return Some(started.elapsed());
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
        self.kill9();
        None
    }

    fn reap(&mut self) {
        if let Some(child) = &mut self.child
            && let Ok(Some(status)) = child.try_wait()
        {
            self.exited = Some(status);
            self.child = None;
        }
    }

    fn note(&self, what: &str) {
        if let Ok(mut log) = OpenOptions::new().append(true).open(&self.log) {
            let _ = writeln!(log, "==== harness: {} {what}", self.label);
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.kill9();
        if std::thread::panicking() {
            eprintln!(
                "---- {} log ({}), last {TAIL_LINES} lines:\n{}",
                self.label,
                self.log.display(),
                tail(&self.log, TAIL_LINES)
            );
        }
    }
}

/// Sends `kill`'s signal `sig` (`-STOP`, `-CONT`, …) to `pid`, if there is one.
pub fn signal(pid: Option<u32>, sig: &str) {
    if let Some(pid) = pid {
        let _ = Command::new("kill").args([sig, &pid.to_string()]).status();
    }
}

/// The last `n` lines of the file at `path`.
pub fn tail(path: &Path, n: usize) -> String {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(n)..].join("\n")
        }
        Err(e) => format!("(cannot read {}: {e})", path.display()),
    }
}

/// Creates an empty file, for logs that must exist before the daemon writes.
pub fn touch(path: &Path) {
    File::create(path).unwrap_or_else(|e| panic!("create {}: {e}", path.display()));
}
