//! `kith withdraw-all --yes`: the hub leaves the region, taking its listings with it.
//! Every listing is withdrawn, then a last profile says the hub left; relays drop its
//! listings and list it as left, and other hubs can no longer refer to it.

use anyhow::bail;
use serde::Serialize;

use super::Globals;
use crate::connect;
use crate::output;
use kith_proto::v1::WithdrawAllRequest;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Confirms it: the hub leaves the region, and publishes nothing more.
    #[arg(long)]
    yes: bool,
}

/// `kith withdraw-all --json`.
#[derive(Debug, PartialEq, Eq, Serialize)]
struct Left {
    withdrawn: u64,
    last_seq: u64,
    left: bool,
}

pub async fn run(globals: &Globals, args: Args) -> anyhow::Result<()> {
    if !args.yes {
        bail!(
            "this withdraws every listing of the hub from the region, and the hub leaves it for good (it then \
             publishes nothing more): run `kith withdraw-all --yes` to do that"
        );
    }
    let mut admin = connect::admin(globals.hub_dir()).await?;
    let reply = admin.client.withdraw_all(WithdrawAllRequest {}).await.map_err(|s| admin.error(s))?.into_inner();
    let out = Left { withdrawn: reply.withdrawn, last_seq: reply.last_seq, left: true };
    output::either(globals.json, &out, || {
        format!(
            "withdrew {} listings and left the region (up to hub seq {}); `kith status` shows them drain",
            out.withdrawn, out.last_seq
        )
    })
}
