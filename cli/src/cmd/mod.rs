//! One module per command. Each defines its clap arguments and a `run` that
//! connects, calls, and hands the result to [`crate::output`].
//!
//! Input is checked with kith-proto's own validation before anything is sent, so a
//! bad value fails at once with the same message the hub would give.
//!
//! This file is also the registry of the families of listings: each family's
//! everything is in its own file (`opportunity.rs`, `safehouse.rs`, `service.rs`,
//! `offer.rs`, whose hub commands `pool.rs` mounts as `kith pool business`),
//! what they share in [`family`], and only here are they named — their `mod` lines,
//! their [`Command`] variants and arms, and their [`RegionFamily`] variants and arms,
//! which mount their `kith region` subcommands.

use clap::Subcommand;
use std::path::{Path, PathBuf};

use crate::output;
use family::InDisplayOrder as _;
use kith_proto::v1::WriteReply;

pub mod ask;
pub mod backup;
pub mod desk;
pub mod directory;
pub mod export;
pub mod family;
pub mod init;
pub mod keys;
pub mod nats_user;
pub mod offer;
pub mod opportunity;
pub mod peers;
pub mod pool;
pub mod referral;
pub mod region;
pub mod republish;
pub mod roster;
pub mod safehouse;
pub mod service;
pub mod status;
pub mod withdraw_all;
pub mod workers;

/// What every command may need from the global flags.
#[derive(Debug, Clone)]
pub struct Globals {
    pub json: bool,
    pub hub_dir: Option<PathBuf>,
    pub relay: String,
}

impl Globals {
    pub fn hub_dir(&self) -> Option<&Path> {
        self.hub_dir.as_deref()
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a hub directory: hub.toml, signing and sealing keys, admin token.
    Init(init::Args),
    /// Show a running hub's health: NATS connection, outbox backlog, last published event.
    Status,
    /// Manage this hub's opportunities: jobs, training, volunteering, peer teaching.
    #[command(subcommand)]
    Opportunity(opportunity::Command),
    /// Manage this hub's safe houses and their availability.
    #[command(subcommand, alias = "safe-house")]
    Safehouse(safehouse::Command),
    /// Manage this hub's directory of services: opening hours, places, contacts.
    #[command(subcommand)]
    Service(service::Command),
    /// The group's pool of workers and its businesses: members, offers, jobs, hours and pay.
    #[command(subcommand)]
    Pool(pool::Command),
    /// Refer a person to another hub, with their consent, and follow the referral.
    #[command(subcommand)]
    Referral(referral::Command),
    /// People asking about this hub's listings from the board: read, answer, erase; take them or not.
    #[command(subcommand)]
    Ask(ask::Command),
    /// Ask the regional relay what is open across every hub.
    #[command(subcommand, subcommands_in_display_order())]
    Region(region::Command),
    /// The group's desk: its workers' accounts, and the audit log of who changed what.
    #[command(subcommand)]
    Desk(desk::Command),
    /// The other hubs whose keys this hub has pinned; unpin one that set up new keys.
    #[command(subcommand)]
    Peers(peers::Command),
    /// Leave the region: withdraw every listing of this hub, for good.
    WithdrawAll(withdraw_all::Args),
    /// Write a backup of this hub (it keeps running): its store, hub.toml, keys and token.
    Backup(backup::BackupArgs),
    /// Make a hub directory from a backup; the hub catches up with the region when it starts.
    Restore(backup::RestoreArgs),
    /// Change this hub's keys (the hub stopped): the old key vouches for the new ones.
    #[command(subcommand)]
    Keys(keys::Command),
    /// Publish again everything this hub owns, to repair a region whose stream lost messages.
    Republish,
    /// Print the NATS user (with its permissions) a hub or a relay should have.
    #[command(subcommand)]
    NatsUser(nats_user::Command),
}

pub async fn run(globals: &Globals, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Init(args) => init::run(globals, args),
        Command::Status => status::run(globals).await,
        Command::Opportunity(c) => opportunity::run(globals, c).await,
        Command::Safehouse(c) => safehouse::run(globals, c).await,
        Command::Service(c) => service::run(globals, c).await,
        Command::Pool(c) => pool::run(globals, c).await,
        Command::Referral(c) => referral::run(globals, c).await,
        Command::Ask(c) => ask::run(globals, c).await,
        Command::Region(c) => region::run(globals, c).await,
        Command::NatsUser(c) => nats_user::run(globals, c),
        Command::Peers(c) => peers::run(globals, c).await,
        Command::Desk(c) => desk::run(globals, c).await,
        Command::Republish => republish::run(globals).await,
        Command::Keys(c) => keys::run(globals, c).await,
        Command::Backup(a) => backup::backup(globals, a).await,
        Command::Restore(a) => backup::restore(globals, a),
        Command::WithdrawAll(a) => withdraw_all::run(globals, a).await,
    }
}

/// Prints the answer to a write: `{"id": "...", "seq": N}` with `--json`, else a
/// sentence such as `added opportunity 01J… (hub seq 4)`.
pub fn print_write(globals: &Globals, done: &str, reply: &WriteReply) -> anyhow::Result<()> {
    #[derive(serde::Serialize)]
    struct Written<'a> {
        id: &'a str,
        seq: u64,
    }
    output::either(globals.json, &Written { id: &reply.id, seq: reply.seq }, || {
        format!("{done} {} (hub seq {})", reply.id, reply.seq)
    })
}

/// The families' subcommands of `kith region` (`opportunities`, `opportunity ID`, …),
/// each declared in its family's file and mounted here, flattened into
/// [`region::Command`].
#[derive(Debug, Subcommand)]
pub enum RegionFamily {
    #[command(flatten)]
    Opportunity(opportunity::RegionCommand),
    #[command(flatten)]
    Safehouse(safehouse::RegionCommand),
    #[command(flatten)]
    Service(service::RegionCommand),
    #[command(flatten)]
    Offer(offer::RegionCommand),
}

impl RegionFamily {
    pub async fn run(self, globals: &Globals) -> anyhow::Result<()> {
        match self {
            RegionFamily::Opportunity(c) => opportunity::run_region(globals, c).await,
            RegionFamily::Safehouse(c) => safehouse::run_region(globals, c).await,
            RegionFamily::Service(c) => service::run_region(globals, c).await,
            RegionFamily::Offer(c) => offer::run_region(globals, c).await,
        }
    }
}
