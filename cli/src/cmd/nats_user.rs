//! `kith nats-user`: the NATS user a hub or a relay should have, for the region's
//! nats-server configuration. With these permissions a hub can publish only under its
//! own subjects and read only the referrals addressed to it; see
//! `kith_proto::permissions`.

use clap::Subcommand;
use serde::Serialize;

use crate::cmd::Globals;
use crate::output;
use kith_proto::permissions::{self, Permissions};
use kith_proto::{Slug, keys};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The user of one hub: it may publish only kith.<region>.<hub>.> and read only
    /// referrals addressed to it.
    Hub {
        /// The region's id.
        #[arg(long)]
        region: String,
        /// The hub's id (also the NATS user name).
        #[arg(long)]
        hub: String,
        /// The password to put in the entry; a random one when not given.
        #[arg(long, env = "KITH_NATS_PASSWORD")]
        password: Option<String>,
        /// The region's JetStream domain, for a hub behind its own leaf node: its
        /// JetStream API subjects then carry it (`$JS.<domain>.API.…`).
        #[arg(long, value_name = "DOMAIN")]
        js_domain: Option<String>,
    },
    /// The user of a relay: it reads the whole region through its durable consumer.
    Relay {
        /// The region's id.
        #[arg(long)]
        region: String,
        /// The relay's --name (its durable consumer; also the NATS user name).
        #[arg(long, default_value = "relay")]
        name: String,
        /// The password to put in the entry; a random one when not given.
        #[arg(long, env = "KITH_NATS_PASSWORD")]
        password: Option<String>,
    },
}

#[derive(Debug, Serialize)]
struct User {
    user: String,
    password: String,
    permissions: Permissions,
    /// The entry for nats-server's `authorization { users: [ … ] }`.
    conf: String,
    /// The URL the hub or relay connects with.
    nats_url_example: String,
}

pub fn run(globals: &Globals, command: Command) -> anyhow::Result<()> {
    let (user, permissions, password) = match command {
        Command::Hub { region, hub, password, js_domain } => {
            let region = Slug::parse("region", &region)?;
            let hub = Slug::parse("hub", &hub)?;
            let mut p = permissions::hub(&region, &hub);
            if let Some(domain) = js_domain {
                let domain = Slug::parse("js_domain", &domain)?;
                p = p.in_domain(&domain);
            }
            (hub.to_string(), p, password)
        }
        Command::Relay { region, name, password } => {
            let region = Slug::parse("region", &region)?;
            kith_proto::validate::line("name", &name, 1, 64)?;
            if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
                anyhow::bail!("name: must use only letters, digits, - and _ (found {c:?})");
            }
            (name.clone(), permissions::relay(&region, &name), password)
        }
    };
    let password = match password {
        Some(p) if p.len() < 16 || p.contains(['"', '\\', '@', ':', '/']) => {
            anyhow::bail!("password: must be at least 16 characters, without \" \\ @ : or /")
        }
        Some(p) => p,
        None => keys::random_token(),
    };
    let conf = permissions.to_nats_conf(&user, &password);
    let url = format!("nats://{user}:{password}@nats.example.org:4222");
    let out = User { user, password, permissions, conf, nats_url_example: url };
    output::either(globals.json, &out, || {
        format!(
            "# Add to the region's nats-server configuration, inside authorization {{ users: [ … ] }}:\n{}\n\
             # Then connect with --nats {} (or nats_url in hub.toml).",
            out.conf, out.nats_url_example
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hub_user_is_confined_to_its_own_subjects() {
        let p = permissions::hub(&Slug::parse("r", "wy").unwrap(), &Slug::parse("h", "garden").unwrap());
        let conf = p.to_nats_conf("garden", "0123456789abcdef");
        assert!(conf.contains("\"kith.wy.garden.>\""), "{conf}");
        assert!(!conf.contains("\"kith.wy.>\""), "{conf}");
    }
}
