//! `kith republish`: publish again everything this hub owns, so that a region whose
//! stream lost messages (a NATS server's power cut, a stream deleted by mistake) is
//! whole again. The hub does this by itself when it sees a new stream.

use serde::Serialize;

use super::Globals;
use crate::connect;
use crate::output;
use kith_proto::v1::RepublishRequest;

/// `kith republish --json`.
#[derive(Debug, PartialEq, Eq, Serialize)]
struct Republished {
    events: u64,
    last_seq: u64,
}

pub async fn run(globals: &Globals) -> anyhow::Result<()> {
    let mut admin = connect::admin(globals.hub_dir()).await?;
    let reply = admin.client.republish(RepublishRequest {}).await.map_err(|s| admin.error(s))?.into_inner();
    let out = Republished { events: reply.events, last_seq: reply.last_seq };
    output::either(globals.json, &out, || {
        format!(
            "queued {} events to publish again (up to hub seq {}); `kith status` shows them drain",
            out.events, out.last_seq
        )
    })
}
