//! Anti-entropy at the hub: a relay whose view of this hub differs from the digest
//! in the hub's heartbeat asks it to repair, on `kithctl.<region>.<hub>.repair` (a
//! core NATS subject outside the region's stream; only this hub's NATS user may
//! subscribe to it, only relays may publish to it). The request carries the
//! relay's digest of this hub in buckets ([`kith_proto::digest`]); the hub publishes
//! again the listings of the buckets that differ, then a heartbeat, whose digest
//! tells the relay whether it is in step now.

use futures::StreamExt;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

use kith_proto::digest::{Family, MAX_REPAIR_BYTES, REPAIR_MIN_INTERVAL, RepairRequest};
use kith_proto::domain::HubProfile;
use kith_proto::subject::repair_subject;

use crate::link::Link;
use crate::store::Store;

/// At most this many requests wait (one a relay of the region, each at most
/// [`MAX_REPAIR_BYTES`]); more are dropped, and their relays ask again.
const MAX_HELD: usize = 16;

/// Answers repair requests until `stop` turns true.
pub async fn run(store: Store, profile: HubProfile, state: Arc<Link>, mut stop: watch::Receiver<bool>) {
    let subject = repair_subject(&store.identity().region, &store.identity().hub);
    loop {
        let Some(client) = state.client() else {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(200)) => continue,
                _ = stop.changed() => return,
            }
        };
        let mut requests = match client.subscribe(subject.clone()).await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for repair requests; will retry");
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(5)) => continue,
                    _ = stop.changed() => return,
                }
            }
        };
        let mut last: Option<tokio::time::Instant> = None;
        // Repairs closer together than REPAIR_MIN_INTERVAL are not made (a repair is
        // a few hundred republished listings at most, and the next heartbeat says
        // how it went): requests that come sooner, another relay's say, wait and are
        // served together once it has passed.
        let mut held: Vec<RepairRequest> = Vec::new();
        loop {
            let due = last.map_or_else(tokio::time::Instant::now, |t| t + REPAIR_MIN_INTERVAL);
            let message = tokio::select! {
                m = requests.next() => match m {
                    Some(m) => Some(m),
                    None => break,
                },
                _ = tokio::time::sleep_until(due), if !held.is_empty() => None,
                _ = stop.changed() => return,
            };
            if let Some(message) = message {
                if message.payload.len() > MAX_REPAIR_BYTES {
                    tracing::warn!(bytes = message.payload.len(), "a repair request too large to read; ignored");
                    continue;
                }
                let Ok(request) = postcard::from_bytes::<RepairRequest>(&message.payload) else {
                    tracing::warn!("a repair request that cannot be read; ignored");
                    continue;
                };
                if held.len() < MAX_HELD {
                    held.push(request);
                }
                if tokio::time::Instant::now() < due {
                    continue;
                }
            }
            last = Some(tokio::time::Instant::now());
            let repaired = repair(&store, &std::mem::take(&mut held)).await;
            if let Ok(n) = repaired {
                state.note_repair(n);
            }
            match repaired {
                Ok(0) => {}
                Ok(n) => {
                    tracing::warn!(republished = n, "a relay missed some of this hub's listings: published them again");
                }
                Err(e) => tracing::error!(error = %e, "cannot repair"),
            }
            // The heartbeat says whether the relay is in step now.
            if let Err(e) = store.publish_heartbeat(profile.clone()).await {
                tracing::warn!(error = %e, "cannot queue heartbeat");
            }
        }
    }
}

/// Publishes again, once each, the listings of every bucket in which a relay's
/// digest in `requests` differs from this hub's; how many.
async fn repair(store: &Store, requests: &[RepairRequest]) -> Result<u64, crate::store::StoreError> {
    let mut republished = 0;
    for family in Family::ALL {
        let theirs: Vec<_> = requests.iter().flat_map(|r| &r.families).filter(|(f, _)| *f == family).collect();
        if theirs.is_empty() {
            continue;
        }
        let ours = store.buckets(family)?;
        let differing: BTreeSet<usize> = theirs.iter().flat_map(|(_, b)| ours.differing(b)).collect();
        if !differing.is_empty() {
            republished += store.republish_buckets(family, &differing).await?;
        }
    }
    Ok(republished)
}
