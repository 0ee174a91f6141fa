//! The real `kith` CLI, run with `--json`, its output parsed.

use serde_json::Value;
use std::ffi::OsStr;
use std::fmt;
use std::process::Stdio;
use std::time::Duration;

use crate::bins;

/// Longer than any command should take; a CLI that hangs fails the test.
const CLI_TIMEOUT: Duration = Duration::from_secs(30);

/// What one `kith` run did.
#[derive(Clone)]
pub struct CliOutput {
    /// The command line, for messages.
    pub args: Vec<String>,
    /// stdout parsed as JSON; `Value::Null` when it is empty or not JSON.
    pub json: Value,
    pub stdout: String,
    pub stderr: String,
    /// The exit code; `None` when the process was killed by a signal.
    pub code: Option<i32>,
}

impl CliOutput {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// The JSON output of a run that must have succeeded.
    #[track_caller]
    pub fn ok(self) -> Value {
        assert!(self.success(), "expected success: {self:?}");
        assert!(!self.json.is_null() || self.stdout.trim() == "null", "expected JSON on stdout: {self:?}");
        self.json
    }

    /// The JSON array of a run that must have succeeded.
    #[track_caller]
    pub fn array(self) -> Vec<Value> {
        match self.clone().ok() {
            Value::Array(items) => items,
            other => panic!("expected a JSON array from {:?}, got {other}", self.args),
        }
    }

    /// stderr of a run that must have failed.
    #[track_caller]
    pub fn failure(self) -> String {
        assert!(!self.success() && self.code.is_some(), "expected a non-zero exit: {self:?}");
        self.stderr
    }
}

impl fmt::Debug for CliOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let clip = |s: &str| -> String {
            if s.len() > 2000 {
                format!("{}… ({} bytes)", s.chars().take(2000).collect::<String>(), s.len())
            } else {
                s.into()
            }
        };
        let args: Vec<String> = self.args.iter().map(|a| clip(a)).collect();
        write!(
            f,
            "kith {}\n  exit: {:?}\n  stdout: {}\n  stderr: {}",
            args.join(" "),
            self.code,
            clip(self.stdout.trim()),
            clip(self.stderr.trim())
        )
    }
}

/// Runs `kith ARGS --json`. The environment's `KITH_HUB_DIR` and `KITH_RELAY` are
/// removed so that a test names its hub and relay explicitly.
pub async fn kith<I, S>(args: I) -> CliOutput
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    run(args, true).await
}

/// Runs `kith ARGS` as a person would, for the tables it prints.
pub async fn kith_plain<I, S>(args: I) -> CliOutput
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    run(args, false).await
}

/// Runs `kith ARGS --json` with `input` on its standard input.
pub async fn kith_with_input<I, S>(args: I, input: &str) -> CliOutput
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    run_with(args, true, Some(input)).await
}

async fn run<I, S>(args: I, json: bool) -> CliOutput
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    run_with(args, json, None).await
}

async fn run_with<I, S>(args: I, json: bool, input: Option<&str>) -> CliOutput
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut args: Vec<String> = args.into_iter().map(|a| a.as_ref().to_string_lossy().into_owned()).collect();
    if json {
        args.push("--json".into());
    }
    let mut cmd = tokio::process::Command::new(bins::bin("kith"));
    cmd.args(&args)
        .env_remove("KITH_HUB_DIR")
        .env_remove("KITH_RELAY")
        .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd.spawn().expect("run kith");
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        tokio::io::AsyncWriteExt::write_all(&mut stdin, input.as_bytes()).await.expect("write kith's input");
    }
    let output = match tokio::time::timeout(CLI_TIMEOUT, child.wait_with_output()).await {
        Ok(output) => output.expect("run kith"),
        Err(_) => panic!("kith {} did not finish within {CLI_TIMEOUT:?}", args.join(" ")),
    };
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let json = serde_json::from_str(stdout.trim()).unwrap_or(Value::Null);
    CliOutput { args, json, stdout, stderr, code: output.status.code() }
}
