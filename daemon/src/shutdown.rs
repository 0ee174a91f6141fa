//! Stopping a daemon: the signal that asks for it, the flag every task watches, and
//! the task set that makes sure every task has ended before the store is closed.
//!
//! A task is told to stop by the flag and normally finishes what it has in hand
//! (a batch on disk, a last flush to NATS). One that is still waiting on the network
//! after the grace period (NATS killed, or paused, in the middle of a request) is
//! cancelled where it waits: every task is written so that cancelling it at an
//! `.await` loses nothing acknowledged (the store is written before anything is
//! acked, and what was not acked is delivered or published again).

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinSet;

/// The stop flag as a task sees it: true once the daemon is stopping.
pub type Stop = watch::Receiver<bool>;

/// Whether the daemon is stopping.
pub fn is_set(stop: &Stop) -> bool {
    *stop.borrow()
}

/// Resolves once the daemon is stopping (or the flag's owner is gone).
pub async fn stopped(stop: &mut Stop) {
    let _ = stop.wait_for(|s| *s).await;
}

/// Ctrl-C, or SIGTERM from a service manager.
pub async fn signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

/// How one task ended: its name, and its result (or why it did not finish).
#[derive(Debug)]
pub struct Ended<E> {
    pub task: &'static str,
    pub outcome: Result<(), TaskFailure<E>>,
}

/// Why a task did not end well.
#[derive(Debug)]
pub enum TaskFailure<E> {
    /// It returned an error.
    Error(E),
    /// It panicked.
    Panicked(String),
}

impl<E: std::fmt::Display> std::fmt::Display for TaskFailure<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TaskFailure::Error(e) => e.fmt(f),
            TaskFailure::Panicked(why) => write!(f, "panicked: {why}"),
        }
    }
}

/// Every task a daemon runs, owned in one place with the stop flag they watch.
pub struct Tasks<E> {
    set: JoinSet<(&'static str, Result<(), E>)>,
    /// Each running task's name, to say which had to be cancelled.
    names: std::collections::HashMap<tokio::task::Id, &'static str>,
    stop_tx: watch::Sender<bool>,
}

impl<E: Send + 'static> Default for Tasks<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Send + 'static> Tasks<E> {
    pub fn new() -> Self {
        Tasks { set: JoinSet::new(), names: Default::default(), stop_tx: watch::channel(false).0 }
    }

    /// The flag for a task to watch.
    pub fn stop(&self) -> Stop {
        self.stop_tx.subscribe()
    }

    /// Runs `task`, named for the logs.
    pub fn spawn(&mut self, name: &'static str, task: impl Future<Output = Result<(), E>> + Send + 'static) {
        let handle = self.set.spawn(async move { (name, task.await) });
        self.names.insert(handle.id(), name);
    }

    /// Runs `task`, which cannot fail, named for the logs.
    pub fn spawn_infallible(&mut self, name: &'static str, task: impl Future<Output = ()> + Send + 'static) {
        let handle = self.set.spawn(async move {
            task.await;
            (name, Ok(()))
        });
        self.names.insert(handle.id(), name);
    }

    /// Resolves when a task ends (one should not before the daemon stops), or never
    /// if there are none.
    pub async fn first_ended(&mut self) -> Ended<E> {
        match self.set.join_next_with_id().await {
            Some(joined) => self.ended(joined),
            None => std::future::pending().await,
        }
    }

    /// Sets the stop flag without waiting for anything.
    pub fn signal_stop(&self) {
        let _ = self.stop_tx.send(true);
    }

    /// Sets the stop flag, waits up to `grace` for the tasks to end, then cancels
    /// the rest where they wait and says which. Returns how each task ended.
    pub async fn shutdown(mut self, grace: Duration) -> Vec<Ended<E>> {
        self.signal_stop();
        let mut ended_tasks = Vec::new();
        let deadline = tokio::time::Instant::now() + grace;
        loop {
            match tokio::time::timeout_at(deadline, self.set.join_next_with_id()).await {
                Ok(Some(joined)) => {
                    let ended = self.ended(joined);
                    ended_tasks.push(ended);
                }
                Ok(None) => return ended_tasks,
                Err(_) => break,
            }
        }
        let mut waiting: Vec<&str> = self.names.values().copied().collect();
        waiting.sort_unstable();
        tracing::warn!(
            tasks = ?waiting,
            grace = ?grace,
            "tasks still waiting (on the network) after the grace period: cancelling them"
        );
        self.set.abort_all();
        while let Some(joined) = self.set.join_next_with_id().await {
            if !matches!(&joined, Err(e) if e.is_cancelled()) {
                let ended = self.ended(joined);
                ended_tasks.push(ended);
            }
        }
        ended_tasks
    }

    fn ended(&mut self, joined: Joined<E>) -> Ended<E> {
        match joined {
            Ok((id, (task, result))) => {
                self.names.remove(&id);
                Ended { task, outcome: result.map_err(TaskFailure::Error) }
            }
            Err(join) => {
                let task = self.names.remove(&join.id()).unwrap_or("a task");
                Ended { task, outcome: Err(TaskFailure::Panicked(join.to_string())) }
            }
        }
    }
}

type Joined<E> = Result<(tokio::task::Id, (&'static str, Result<(), E>)), tokio::task::JoinError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_task_that_ignores_the_stop_flag_is_cancelled_after_the_grace_period() {
        let mut tasks = Tasks::<String>::new();
        let mut stop = tasks.stop();
        tasks.spawn("polite", async move {
            stopped(&mut stop).await;
            Ok(())
        });
        tasks.spawn("stuck", async {
            std::future::pending::<()>().await;
            Ok(())
        });
        let started = std::time::Instant::now();
        let ended = tasks.shutdown(Duration::from_millis(200)).await;
        assert!(started.elapsed() < Duration::from_secs(5), "shutdown waited {:?}", started.elapsed());
        let names: Vec<&str> = ended.iter().map(|e| e.task).collect();
        assert_eq!(names, ["polite"], "the stuck task was cancelled, not reported as ended");
    }

    #[tokio::test]
    async fn a_task_that_ends_early_is_reported_with_its_error() {
        let mut tasks = Tasks::<String>::new();
        tasks.spawn("failing", async { Err("no disk".to_owned()) });
        let ended = tasks.first_ended().await;
        assert_eq!(ended.task, "failing");
        assert_eq!(ended.outcome.unwrap_err().to_string(), "no disk");
    }
}
