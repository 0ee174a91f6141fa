//! `kith backup --out FILE` (the hub running) and `kith restore FILE --dir DIR`: a
//! copy of a hub — its store, hub.toml, keys and admin token — and a new hub
//! directory made from one. A restored hub reads back from the region's stream what
//! it published after the copy was made before it publishes anything.

use anyhow::{Context, anyhow};
use serde::Serialize;
use std::path::PathBuf;

use super::Globals;
use crate::connect;
use crate::output::{self, Fields};
use kith_proto::v1::BackupRequest;

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// Where to write the backup. It holds the hub's secret keys: it is written
    /// mode 0600; keep it as safely as the hub directory itself.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// A file written by `kith backup`.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The new hub directory (must not already hold a hub).
    #[arg(long, value_name = "DIR")]
    dir: PathBuf,
}

#[derive(Debug, Serialize)]
struct BackedUp {
    file: String,
    hub: String,
    region: String,
    bytes: u64,
    last_seq: u64,
}

#[derive(Debug, Serialize)]
struct Restored {
    dir: String,
    hub: String,
    region: String,
    taken_at: Option<String>,
    last_seq: u64,
}

pub async fn backup(globals: &Globals, args: BackupArgs) -> anyhow::Result<()> {
    let dir = globals.hub_dir().ok_or_else(|| {
        anyhow!("which hub? give --hub-dir DIR (the directory made by `kith init`) or set KITH_HUB_DIR")
    })?;
    let mut admin = connect::admin(Some(dir)).await?;
    let mut chunks = admin.client.backup(BackupRequest {}).await.map_err(|s| admin.error(s))?.into_inner();
    let (mut dump, mut last_seq) = (Vec::new(), 0);
    while let Some(chunk) = chunks.message().await.map_err(|s| admin.error(s))? {
        dump.extend_from_slice(&chunk.data);
        last_seq = chunk.last_seq;
    }
    let backup = kith_hub::offline::write_backup(dir, dump, last_seq, &args.out)?;
    let bytes = std::fs::metadata(&args.out).with_context(|| format!("cannot read {}", args.out.display()))?.len();
    let out = BackedUp {
        file: args.out.display().to_string(),
        hub: backup.hub.to_string(),
        region: backup.region.to_string(),
        bytes,
        last_seq,
    };
    output::either(globals.json, &out, || {
        format!(
            "wrote {} ({} bytes): hub {} up to hub seq {}, with its keys (keep it as safely as the hub directory)",
            out.file, out.bytes, out.hub, out.last_seq
        )
    })
}

pub fn restore(globals: &Globals, args: RestoreArgs) -> anyhow::Result<()> {
    let restored = kith_hub::offline::restore(&args.file, &args.dir)?;
    let out = Restored {
        dir: args.dir.display().to_string(),
        hub: restored.hub.to_string(),
        region: restored.region.to_string(),
        taken_at: output::instant(restored.taken_at_ms),
        last_seq: restored.last_seq,
    };
    output::either(globals.json, &out, || {
        let mut f = Fields::new();
        f.add("restored", format!("hub {} of {} into {}", out.hub, out.region, out.dir));
        f.add("copy taken", out.taken_at.clone().unwrap_or_default());
        f.add("up to", format!("hub seq {}", out.last_seq));
        f.add(
            "next",
            format!(
                "start it (kith-hub --dir {}): before it publishes, it reads back from the region's stream what it \
                 published after the copy",
                out.dir
            ),
        );
        f.render()
    })
}
