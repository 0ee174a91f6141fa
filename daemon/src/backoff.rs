//! The one exponential backoff of both daemons: reconnecting to NATS, opening the
//! region's stream again, retrying a consumer. Each sleep ends at once when the
//! daemon is told to stop, so that no retry loop holds up a shutdown.

use std::time::Duration;

use crate::shutdown::{self, Stop};

/// Waits that double from `first` up to `max`, back to `first` after a success.
#[derive(Clone, Debug)]
pub struct Backoff {
    first: Duration,
    next: Duration,
    max: Duration,
}

impl Backoff {
    pub fn new(first: Duration, max: Duration) -> Backoff {
        let max = max.max(first);
        Backoff { first, next: first, max }
    }

    /// The next wait, doubling the one after it.
    pub fn next_delay(&mut self) -> Duration {
        let d = self.next;
        self.next = (self.next * 2).min(self.max);
        d
    }

    /// After a success: the next wait is the first again.
    pub fn reset(&mut self) {
        self.next = self.first;
    }

    /// Sleeps for the next wait; false if the daemon was told to stop meanwhile (or
    /// before).
    pub async fn sleep(&mut self, stop: &mut Stop) -> bool {
        let d = self.next_delay();
        tokio::select! {
            _ = tokio::time::sleep(d) => !shutdown::is_set(stop),
            _ = shutdown::stopped(stop) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_its_ceiling_and_starts_again_after_a_reset() {
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_millis(500));
        let waits: Vec<u128> = (0..5).map(|_| b.next_delay().as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 500, 500]);
        b.reset();
        assert_eq!(b.next_delay(), Duration::from_millis(100));
    }

    #[tokio::test]
    async fn a_sleep_ends_when_the_daemon_stops() {
        let (tasks, mut stop) = {
            let tasks = crate::Tasks::<()>::new();
            let stop = tasks.stop();
            (tasks, stop)
        };
        let mut b = Backoff::new(Duration::from_secs(3600), Duration::from_secs(3600));
        let sleeping = tokio::spawn(async move { b.sleep(&mut stop).await });
        tasks.signal_stop();
        let finished = tokio::time::timeout(Duration::from_secs(5), sleeping).await;
        assert!(!finished.expect("the sleep ended at once").unwrap(), "a stopped sleep says so");
    }
}
