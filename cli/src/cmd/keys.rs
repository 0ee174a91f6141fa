//! `kith keys rotate`: new signing and box keys for a stopped hub, each new key
//! vouched for by the old one (see `kith_proto::rotation`).

use anyhow::anyhow;
use clap::Subcommand;
use serde::Serialize;

use super::Globals;
use crate::connect;
use crate::output::{self, Fields};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Replace the hub's keys (stop the hub first). The old key signs the new ones;
    /// when the hub starts again it announces them and publishes everything again
    /// under the new key, and the old key is refused from then on.
    Rotate,
}

#[derive(Debug, Serialize)]
struct RotatedJson {
    old_signing_key: String,
    new_signing_key: String,
    rotations: usize,
}

pub async fn run(globals: &Globals, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Rotate => {
            let dir = globals.hub_dir().ok_or_else(|| {
                anyhow!("which hub? give --hub-dir DIR (the directory made by `kith init`) or set KITH_HUB_DIR")
            })?;
            connect::load_hub_file(dir)?;
            let rotated = kith_hub::offline::rotate_keys(dir).await?;
            let out = RotatedJson {
                old_signing_key: rotated.old_key,
                new_signing_key: rotated.new_key,
                rotations: rotated.rotations,
            };
            output::either(globals.json, &out, || {
                let mut f = Fields::new();
                f.add("old signing key", out.old_signing_key.clone());
                f.add("new signing key", out.new_signing_key.clone());
                f.add(
                    "next",
                    "start the hub: it announces the new keys (signed by the old one and the new one) and \
                     publishes everything again under the new key",
                );
                f.render()
            })
        }
    }
}
