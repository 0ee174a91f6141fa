//! `kith peers …`: the other hubs whose keys this hub has pinned — learnt from their
//! profiles the first time a referral went to or came from them — and unpinning a
//! hub that really set up new keys.

use clap::Subcommand;
use serde::Serialize;

use super::Globals;
use crate::connect;
use crate::output::{self, Table};
use kith_proto::Slug;
use kith_proto::v1::{ListPeersRequest, UnpinPeerRequest};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the hubs whose keys are pinned here.
    List,
    /// Forget the keys pinned for a hub that set up new keys (check that with the
    /// hub first: anyone can put a profile on the region's stream). The next referral
    /// to or from it pins the keys of its current profile.
    Unpin {
        /// The hub's id.
        hub: String,
    },
}

#[derive(Debug, Serialize)]
struct PeerJson {
    hub: String,
    signing_key: String,
    box_key: String,
    profile_seq: u64,
}

#[derive(Debug, Serialize)]
struct Unpinned {
    hub: String,
    unpinned: bool,
}

pub async fn run(globals: &Globals, command: Command) -> anyhow::Result<()> {
    match command {
        Command::List => {
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let list = admin.client.list_peers(ListPeersRequest {}).await.map_err(|s| admin.error(s))?.into_inner();
            let json: Vec<PeerJson> = list
                .items
                .into_iter()
                .map(|p| PeerJson {
                    hub: p.hub,
                    signing_key: p.signing_key,
                    box_key: p.box_key,
                    profile_seq: p.profile_seq,
                })
                .collect();
            output::either(globals.json, &json, || {
                let mut t = Table::new(&["HUB", "SIGNING KEY", "PINNED FROM PROFILE"]);
                for p in &json {
                    t.row(vec![p.hub.clone(), p.signing_key.clone(), format!("hub seq {}", p.profile_seq)]);
                }
                t.render("no other hub's keys are pinned yet")
            })
        }
        Command::Unpin { hub } => {
            let hub = Slug::parse("hub", hub.trim())?;
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let reply = admin
                .client
                .unpin_peer(UnpinPeerRequest { hub: hub.to_string() })
                .await
                .map_err(|s| admin.error(s))?
                .into_inner();
            let out = Unpinned { hub: hub.to_string(), unpinned: reply.unpinned };
            output::either(globals.json, &out, || {
                if out.unpinned {
                    format!("unpinned the keys of {hub}: the next referral to or from it pins its current ones")
                } else {
                    format!("no keys were pinned for {hub}")
                }
            })
        }
    }
}
