//! `kith region roster add|remove|sign|show FILE`: the region's roster, kept by its
//! coordinator (see `kith_proto::roster`). A change unsigns the roster; `sign` signs
//! it with the coordinator's key; relays (`kith-relay --roster`) and hubs
//! (`roster` in hub.toml) refuse an unsigned or altered one.

use anyhow::{Context, bail};
use clap::Subcommand;
use serde::Serialize;
use std::path::PathBuf;

use super::Globals;
use crate::output::{self, Table};
use kith_proto::Slug;
use kith_proto::keys::{self, hex};
use kith_proto::roster::{self, RosterFile};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Put a hub on the roster with its signing key (`kith status` at the hub shows
    /// it), or change its key. Creates the file with --region if it does not exist.
    Add {
        file: PathBuf,
        #[arg(long, value_name = "HUB")]
        hub: String,
        /// The hub's ed25519 signing key, 64 hex digits.
        #[arg(long, value_name = "KEY")]
        key: String,
        /// The region, for a new roster.
        #[arg(long, value_name = "REGION")]
        region: Option<String>,
        /// The name the region shows for the hub, whatever its own profile says
        /// (so that no hub can pass itself off as another by name).
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
    },
    /// Take a hub off the roster: relays and hubs given the signed roster stop
    /// listening to it, and its listings leave their views.
    Remove {
        file: PathBuf,
        #[arg(long, value_name = "HUB")]
        hub: String,
    },
    /// Sign the roster with the coordinator's key (a file of 32 bytes, mode 0600,
    /// made if it does not exist yet: keep it offline).
    Sign {
        file: PathBuf,
        #[arg(long, value_name = "FILE")]
        coordinator_key: PathBuf,
    },
    /// Check the roster's signature and list its hubs.
    Show { file: PathBuf },
}

#[derive(Debug, Serialize)]
struct RosterJson {
    file: String,
    region: String,
    version: u64,
    signed: bool,
    coordinator: String,
    hubs: Vec<roster::RosterHub>,
}

impl RosterJson {
    fn of(file: &std::path::Path, roster: &RosterFile, signed: bool) -> RosterJson {
        RosterJson {
            file: file.display().to_string(),
            region: roster.region.clone(),
            version: roster.version,
            signed,
            coordinator: roster.coordinator.clone(),
            hubs: roster.hubs.clone(),
        }
    }
}

pub fn run(globals: &Globals, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Add { file, hub, key, region, name } => {
            let hub = Slug::parse("hub", hub.trim())?;
            let key = roster::key(&key).map_err(|why| anyhow::anyhow!("key: {why}"))?;
            let mut roster = if file.exists() {
                let roster = RosterFile::read(&file)?;
                if let Some(r) = &region
                    && r != &roster.region
                {
                    bail!("{} is the roster of region {:?}, not {r:?}", file.display(), roster.region);
                }
                roster
            } else {
                let Some(region) = region else {
                    bail!("{} does not exist: give --region to start a new roster", file.display());
                };
                RosterFile { region: Slug::parse("region", region.trim())?.to_string(), ..Default::default() }
            };
            roster.put(&hub, &key);
            if let Some(name) = &name {
                if name.trim().chars().count() > kith_proto::domain::limits::NAME {
                    bail!("name: at most {} characters", kith_proto::domain::limits::NAME);
                }
                roster.set_name(&hub, name);
            }
            roster.write(&file)?;
            print(globals, &file, &roster, false, &format!("put {hub} on the roster; sign it before use"))
        }
        Command::Remove { file, hub } => {
            let hub = Slug::parse("hub", hub.trim())?;
            let mut roster = RosterFile::read(&file)?;
            if !roster.remove(&hub) {
                bail!("{hub} is not on the roster {}", file.display());
            }
            roster.write(&file)?;
            print(globals, &file, &roster, false, &format!("took {hub} off the roster; sign it before use"))
        }
        Command::Sign { file, coordinator_key } => {
            let mut roster = RosterFile::read(&file)?;
            let (key, made) = keys::signing_key_file(&coordinator_key)
                .with_context(|| format!("coordinator key {}", coordinator_key.display()))?;
            roster.sign(&file, &key)?;
            roster.write(&file)?;
            let made = if made {
                format!(" (made a new coordinator key in {})", coordinator_key.display())
            } else {
                String::new()
            };
            let said = format!("signed as coordinator {}{made}", hex(key.verifying_key().as_bytes()));
            print(globals, &file, &roster, true, &said)
        }
        Command::Show { file } => {
            let roster = RosterFile::read(&file)?;
            roster.verified(&file)?;
            print(globals, &file, &roster, true, "the signature verifies")
        }
    }
}

fn print(
    globals: &Globals,
    file: &std::path::Path,
    roster: &RosterFile,
    signed: bool,
    said: &str,
) -> anyhow::Result<()> {
    let json = RosterJson::of(file, roster, signed);
    output::either(globals.json, &json, || {
        let mut t = Table::new(&["HUB", "SIGNING KEY"]);
        for h in &json.hubs {
            t.row(vec![h.id.clone(), h.signing_key.clone()]);
        }
        format!(
            "{said}\nroster of {} (version {}){}\n{}",
            json.region,
            json.version,
            if signed { "" } else { ", not signed" },
            t.render("no hubs on it")
        )
    })
}
