//! `kith init`: creates a hub directory with `hub.toml`, the hub's keys and its admin
//! token, through `kith_hub::config::init` so that the hub daemon reads exactly what
//! is written here.

use anyhow::anyhow;
use serde::Serialize;
use std::net::SocketAddr;
use std::path::PathBuf;

use super::Globals;
use crate::output::{self, Fields};
use kith_hub::config::{self, HUB_FILE, HubFile};
use kith_proto::{Slug, keys};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The new hub's directory (created if missing; must not already hold a hub).
    /// Defaults to --hub-dir / KITH_HUB_DIR.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// The hub's id in the region: 1 to 48 characters of a-z, 0-9 and -.
    #[arg(long, value_name = "ID")]
    hub_id: String,
    /// The region's id, shared by every hub of the region: a-z, 0-9 and -.
    #[arg(long, value_name = "REGION")]
    region: String,
    /// The group's name as people know it, e.g. "Leeds Peer Garden Co-op".
    #[arg(long, value_name = "NAME")]
    name: String,
    /// The region's NATS server the hub publishes to.
    #[arg(long, value_name = "URL", default_value = config::DEFAULT_NATS_URL)]
    nats: String,
    /// Where the hub's admin API listens: a loopback address (beyond it only with TLS,
    /// set in hub.toml after init; or reach it through an SSH tunnel).
    #[arg(long, value_name = "ADDR", default_value = config::DEFAULT_ADMIN_LISTEN)]
    admin_listen: SocketAddr,
    /// The CA that signed the NATS server's certificate: the hub talks TLS to NATS
    /// and checks the server against it.
    #[arg(long, value_name = "FILE")]
    nats_ca: Option<std::path::PathBuf>,
    /// What the group does, shown in the region's list of hubs.
    #[arg(long, value_name = "TEXT", default_value = "")]
    description: String,
    /// How to get in touch: a phone number, an email, a web page.
    #[arg(long, value_name = "TEXT", default_value = "")]
    contact: String,
    /// When the group's helpline answers, e.g. "Mon-Fri 10:00-16:00".
    #[arg(long, value_name = "TEXT", default_value = "")]
    helpline_hours: String,
    /// The language the group writes its listings in, as a language tag (`cy`,
    /// `ur`, `pl`): the board marks the group's own words with it.
    #[arg(long, value_name = "TAG", default_value = "")]
    language: String,
    /// How often the hub re-publishes its profile as a heartbeat, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = config::DEFAULT_HEARTBEAT_SECS)]
    heartbeat_secs: u64,
}

#[derive(Debug, Serialize)]
struct Created {
    hub: String,
    region: String,
    name: String,
    dir: String,
    admin_listen: String,
    nats_url: String,
    admin_token_file: String,
    signing_key: String,
}

pub fn run(globals: &Globals, args: Args) -> anyhow::Result<()> {
    let dir = args
        .dir
        .or_else(|| globals.hub_dir.clone())
        .ok_or_else(|| anyhow!("where? give --dir DIR for the new hub's directory"))?;
    if args.nats.trim().is_empty() {
        return Err(anyhow!("nats: must be a NATS server URL such as nats://127.0.0.1:4222"));
    }
    if !args.admin_listen.ip().is_loopback() {
        return Err(anyhow!(
            "admin_listen: must be a loopback address such as 127.0.0.1:7400 (got {}); to listen beyond \
             loopback, give the admin API TLS first (admin_tls_cert and admin_tls_key in hub.toml), then change \
             admin_listen there",
            args.admin_listen
        ));
    }
    if args.heartbeat_secs == 0 {
        return Err(anyhow!("heartbeat_secs: must be at least 1"));
    }
    let file = HubFile {
        description: args.description.trim().to_owned(),
        contact: args.contact.trim().to_owned(),
        helpline_hours: args.helpline_hours.trim().to_owned(),
        language: args.language.trim().to_owned(),
        heartbeat_secs: args.heartbeat_secs,
        nats_ca: args.nats_ca,
        ..HubFile::new(
            Slug::parse("hub_id", &args.hub_id)?,
            Slug::parse("region", &args.region)?,
            args.name.trim().to_owned(),
            args.nats.trim().to_owned(),
            args.admin_listen,
        )
    };
    let outcome = config::init(&dir, &file)?;
    let created = Created {
        hub: file.hub_id.to_string(),
        region: file.region.to_string(),
        name: file.name.clone(),
        dir: dir.display().to_string(),
        admin_listen: file.admin_listen.to_string(),
        nats_url: file.nats_url.clone(),
        admin_token_file: dir.join(keys::ADMIN_TOKEN_FILE).display().to_string(),
        signing_key: outcome.signing_key,
    };
    output::either(globals.json, &created, || {
        let mut f = Fields::new();
        f.add("hub", format!("{} in region {}", created.hub, created.region))
            .add("name", &created.name)
            .add("config", dir.join(HUB_FILE).display().to_string())
            .add("admin API", format!("{} (token in {})", created.admin_listen, created.admin_token_file))
            .add("NATS", &created.nats_url)
            .add("signing key", &created.signing_key);
        format!(
            "created hub {}\n{}\n\nstart it with:  kith-hub --dir {}\nthen check it:  kith --hub-dir {} status",
            created.hub,
            f.render(),
            created.dir,
            created.dir
        )
    })
}
