//! `kith desk …`: the group's desk (its web pages, `kith-hub --desk-listen`): the
//! workers' accounts, and the audit log of who changed what on this hub.

use clap::Subcommand;
use serde::Serialize;

use super::Globals;
use crate::connect;
use crate::output::{self, Table};
use kith_proto::v1::{DeskUserRequest, ListAuditRequest, ListDeskUsersRequest};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The desk's accounts: add, reset, remove, list.
    #[command(subcommand)]
    User(UserCommand),
    /// Who changed what on this hub, newest first: desk users and `kith` ("cli").
    Audit {
        /// At most this many entries (at most 1000).
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Make an account; prints its password, which the hub does not keep.
    Add {
        /// Lowercase letters, digits, '.', '-' or '_', e.g. sam.k
        name: String,
        /// worker (listings, beds, referrals), coordinator (also accounts and the audit log) or member
        /// (a member of the pool: their own offers of work and earnings only).
        #[arg(long, default_value = "worker")]
        role: String,
    },
    /// Give an account a new password (printed), unlock it, and sign it out everywhere.
    Reset { name: String },
    /// Remove an account and sign it out everywhere.
    Remove { name: String },
    /// List the accounts.
    List,
}

#[derive(Debug, Serialize)]
struct UserJson {
    name: String,
    role: String,
    created_at: Option<String>,
    last_signed_in: Option<String>,
    locked_until: Option<String>,
}

#[derive(Debug, Serialize)]
struct Password {
    name: String,
    role: String,
    password: String,
}

#[derive(Debug, Serialize)]
struct AuditJson {
    at: Option<String>,
    actor: String,
    action: String,
    about: String,
}

pub async fn run(globals: &Globals, command: Command) -> anyhow::Result<()> {
    let mut admin = connect::admin(globals.hub_dir()).await?;
    match command {
        Command::User(UserCommand::Add { name, role }) => {
            let reply = admin
                .client
                .add_desk_user(DeskUserRequest { name, role })
                .await
                .map_err(|s| admin.error(s))?
                .into_inner();
            let out = Password { name: reply.name, role: reply.role, password: reply.password };
            output::either(globals.json, &out, || {
                format!(
                    "added {} ({}); password: {}\ngive it to them in person: it is not shown again",
                    out.name, out.role, out.password
                )
            })
        }
        Command::User(UserCommand::Reset { name }) => {
            let reply = admin
                .client
                .reset_desk_user(DeskUserRequest { name, role: String::new() })
                .await
                .map_err(|s| admin.error(s))?
                .into_inner();
            let out = Password { name: reply.name, role: reply.role, password: reply.password };
            output::either(globals.json, &out, || {
                format!("new password for {}: {}\nevery session of theirs has ended", out.name, out.password)
            })
        }
        Command::User(UserCommand::Remove { name }) => {
            let reply = admin
                .client
                .remove_desk_user(DeskUserRequest { name, role: String::new() })
                .await
                .map_err(|s| admin.error(s))?
                .into_inner();
            #[derive(Serialize)]
            struct Removed {
                removed: String,
            }
            output::either(globals.json, &Removed { removed: reply.name.clone() }, || {
                format!("removed {} and signed them out everywhere", reply.name)
            })
        }
        Command::User(UserCommand::List) => {
            let list =
                admin.client.list_desk_users(ListDeskUsersRequest {}).await.map_err(|s| admin.error(s))?.into_inner();
            let json: Vec<UserJson> = list
                .users
                .into_iter()
                .map(|u| UserJson {
                    name: u.name,
                    role: u.role,
                    created_at: output::instant(u.created_at_ms),
                    last_signed_in: (u.signed_in_at_ms > 0).then(|| output::instant(u.signed_in_at_ms)).flatten(),
                    locked_until: (u.locked_until_ms > 0).then(|| output::instant(u.locked_until_ms)).flatten(),
                })
                .collect();
            output::either(globals.json, &json, || {
                let mut t = Table::new(&["NAME", "ROLE", "LAST SIGNED IN", "LOCKED UNTIL"]);
                for u in &json {
                    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
                    t.row(vec![u.name.clone(), u.role.clone(), or_dash(&u.last_signed_in), or_dash(&u.locked_until)]);
                }
                t.render("no desk accounts yet: kith desk user add NAME --role coordinator")
            })
        }
        Command::Audit { limit } => {
            let list = admin
                .client
                .list_audit(ListAuditRequest { limit, before_ms: 0 })
                .await
                .map_err(|s| admin.error(s))?
                .into_inner();
            let json: Vec<AuditJson> = list
                .entries
                .into_iter()
                .map(|e| AuditJson { at: output::instant(e.at_ms), actor: e.actor, action: e.action, about: e.about })
                .collect();
            output::either(globals.json, &json, || {
                let mut t = Table::new(&["WHEN", "WHO", "WHAT", "ABOUT"]);
                for e in &json {
                    t.row(vec![e.at.clone().unwrap_or_default(), e.actor.clone(), e.action.clone(), e.about.clone()]);
                }
                t.render("nothing has been changed on this hub yet")
            })
        }
    }
}
