//! Waiting for a condition with a deadline, polling, instead of sleeping a fixed time.
//!
//! A timeout panics with what was awaited; the daemons of the test then print the
//! tails of their logs as they are dropped (see [`crate::process`]).

use std::future::Future;
use std::time::{Duration, Instant};

/// Long enough for a loaded two-core CI machine, including a publisher's reconnection
/// backoff after a NATS outage.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

const FIRST_POLL: Duration = Duration::from_millis(5);
const LONGEST_POLL: Duration = Duration::from_millis(100);

/// Polls `probe` until it returns `Some`, and returns that. Panics after `timeout`
/// naming `what` and the last thing the probe said (see [`Probe`]).
pub async fn wait_for<T, P>(what: &str, timeout: Duration, mut probe: impl AsyncFnMut() -> P) -> T
where
    P: Into<Probe<T>>,
{
    let deadline = Instant::now() + timeout;
    let mut pause = FIRST_POLL;
    loop {
        let last = match probe().await.into() {
            Probe::Ready(value) => return value,
            Probe::Pending(last) => last,
        };
        if Instant::now() >= deadline {
            panic!("timed out after {timeout:?} waiting until {what}; last seen: {last}");
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 3 / 2).min(LONGEST_POLL);
    }
}

/// Polls `condition` until it is true. Panics after `timeout` naming `what`.
pub async fn wait_until(what: &str, timeout: Duration, mut condition: impl AsyncFnMut() -> bool) {
    wait_for(what, timeout, async || if condition().await { Some(()) } else { None }).await
}

/// Runs `fut` with a deadline, panicking with `what` when it is not done in time.
pub async fn within<T>(what: &str, timeout: Duration, fut: impl Future<Output = T>) -> T {
    match tokio::time::timeout(timeout, fut).await {
        Ok(value) => value,
        Err(_) => panic!("timed out after {timeout:?}: {what}"),
    }
}

/// What a probe of [`wait_for`] found: the value, or what it saw instead, for the
/// message of a timeout.
#[derive(Debug)]
pub enum Probe<T> {
    Ready(T),
    Pending(String),
}

impl<T> From<Option<T>> for Probe<T> {
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Probe::Ready(v),
            None => Probe::Pending("nothing".into()),
        }
    }
}

impl<T, E: std::fmt::Debug> From<Result<T, E>> for Probe<T> {
    fn from(value: Result<T, E>) -> Self {
        match value {
            Ok(v) => Probe::Ready(v),
            Err(e) => Probe::Pending(format!("{e:?}")),
        }
    }
}
