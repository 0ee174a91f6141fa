//! `kith ask …`: people asking about this hub's listings from the region's board —
//! reading what they wrote, moving each ask on (the person's status page follows),
//! erasing it, and whether, how many and about what the hub takes asks.

use clap::Subcommand;
use serde::Serialize;

use super::{Globals, print_write};
use crate::connect;
use crate::output::{self, Fields, Table};
use kith_proto::ask::AskStatus;
use kith_proto::convert::parse_id;
use kith_proto::v1::{self, AnswerAskRequest, IdRequest, ListAsksRequest, SetAskPolicyRequest};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List asks, newest first.
    List {
        /// Only asks with this status: received, contacted, closed, not-taken.
        #[arg(long)]
        status: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Show one ask, with what the person wrote.
    Show {
        /// The ask's id.
        id: String,
    },
    /// Move an ask on: the person's status page says so.
    Answer {
        /// The ask's id.
        id: String,
        /// contacted (someone has been in touch, or tried to) or closed.
        #[arg(long)]
        status: String,
    },
    /// Remove what the person wrote; the ask's history stays.
    Erase {
        /// The ask's id.
        id: String,
    },
    /// Whether the hub takes asks, its daily cap, today's counts and the relays it trusts.
    Policy,
    /// Take no asks for now: the board shows only how to call.
    Pause,
    /// Take asks again.
    Resume,
    /// Take at most N asks a day.
    Cap {
        /// Asks a day (0 to 10000).
        n: u32,
    },
    /// Take no asks about these listings.
    Close {
        /// Listing ids.
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Take asks about these listings again.
    Reopen {
        /// Listing ids.
        #[arg(required = true)]
        ids: Vec<String>,
    },
}

#[derive(Debug, Serialize)]
struct AskJson {
    id: String,
    reference: String,
    family: String,
    listing_id: String,
    listing_title: String,
    received_at: Option<String>,
    relay: String,
    status: String,
    history: Vec<StepJson>,
    /// What the person wrote; null once erased or when not taken.
    content: Option<ContentJson>,
    erased: bool,
}

#[derive(Debug, Serialize)]
struct StepJson {
    status: String,
    at: Option<String>,
    by: String,
}

#[derive(Debug, Serialize)]
struct ContentJson {
    name: String,
    how: String,
    reach: String,
    when: String,
    words: String,
}

impl From<v1::Ask> for AskJson {
    fn from(a: v1::Ask) -> AskJson {
        AskJson {
            id: a.id,
            reference: a.reference,
            family: a.family,
            listing_id: a.listing_id,
            listing_title: a.listing_title,
            received_at: output::instant(a.received_at_ms),
            relay: a.relay,
            status: a.status,
            history: a
                .history
                .into_iter()
                .map(|s| StepJson { status: s.status, at: output::instant(s.at_ms), by: s.by })
                .collect(),
            content: a.content.map(|c| ContentJson {
                name: c.name,
                how: c.how,
                reach: c.reach,
                when: c.when,
                words: c.words,
            }),
            erased: a.erased,
        }
    }
}

#[derive(Debug, Serialize)]
struct PolicyJson {
    open: bool,
    paused: bool,
    daily_cap: u32,
    closed: Vec<String>,
    relays: Vec<String>,
    taken_today: u32,
    refused_today: u32,
    forged: u64,
}

/// How a person asked to be reached, in words.
fn reach_text(c: &ContentJson) -> String {
    let when = if c.when.is_empty() { String::new() } else { format!(" ({})", c.when) };
    match c.how.as_str() {
        "phone" => format!("phone {}{when}", c.reach),
        "text" => format!("text {}{when}", c.reach),
        "email" => format!("email {}{when}", c.reach),
        _ => "don't contact: they will call".to_owned(),
    }
}

pub async fn run(globals: &Globals, command: Command) -> anyhow::Result<()> {
    let mut admin = connect::admin(globals.hub_dir()).await?;
    match command {
        Command::List { status, limit } => {
            if let Some(s) = &status {
                AskStatus::parse("--status", s)?;
            }
            let request = ListAsksRequest { status: status.unwrap_or_default(), limit, after: String::new() };
            let list = admin.client.list_asks(request).await.map_err(|s| admin.error(s))?.into_inner();
            let json: Vec<AskJson> = list.items.into_iter().map(AskJson::from).collect();
            output::either(globals.json, &json, || {
                let mut t = Table::new(&["ID", "REFERENCE", "RECEIVED", "STATUS", "ABOUT", "NAME", "REACH"]);
                for a in &json {
                    let (name, reach) = match &a.content {
                        Some(c) => (c.name.clone(), reach_text(c)),
                        None if a.erased => ("(erased)".to_owned(), String::new()),
                        None => (String::new(), String::new()),
                    };
                    t.row(vec![
                        a.id.clone(),
                        a.reference.clone(),
                        a.received_at.clone().unwrap_or_default(),
                        a.status.clone(),
                        a.listing_title.clone(),
                        name,
                        reach,
                    ]);
                }
                t.render("no asks")
            })
        }
        Command::Show { id } => {
            parse_id("id", &id)?;
            let ask = admin.client.get_ask(IdRequest { id }).await.map_err(|s| admin.error(s))?.into_inner();
            let a = AskJson::from(ask);
            output::either(globals.json, &a, || {
                let mut f = Fields::new();
                f.add("id", &a.id)
                    .add("reference", &a.reference)
                    .add("about", format!("{} {} ({})", a.family, a.listing_title, a.listing_id))
                    .add("received", a.received_at.clone().unwrap_or_default())
                    .add("relay", &a.relay)
                    .add("status", &a.status);
                match &a.content {
                    Some(c) => {
                        f.add("name", &c.name).add("reach", reach_text(c)).add_if("words", &c.words);
                    }
                    None if a.erased => {
                        f.add("name", "(erased)");
                    }
                    None => {
                        f.add("name", "(not taken: nothing kept)");
                    }
                }
                for s in &a.history {
                    f.add("step", format!("{} {} by {}", s.at.clone().unwrap_or_default(), s.status, s.by));
                }
                f.render()
            })
        }
        Command::Answer { id, status } => {
            parse_id("id", &id)?;
            let to = AskStatus::parse("--status", &status)?;
            if !matches!(to, AskStatus::Contacted | AskStatus::Closed) {
                anyhow::bail!("--status: an ask is answered contacted or closed (got {status:?})");
            }
            let reply = admin
                .client
                .answer_ask(AnswerAskRequest { id, status: to.name().into() })
                .await
                .map_err(|s| admin.error(s))?
                .into_inner();
            print_write(globals, &format!("marked {}", to.name()), &reply)
        }
        Command::Erase { id } => {
            parse_id("id", &id)?;
            let reply = admin.client.erase_ask(IdRequest { id }).await.map_err(|s| admin.error(s))?.into_inner();
            output::either(globals.json, &serde_json::json!({ "id": reply.id, "erased": true }), || {
                format!("erased what the person wrote in ask {}", reply.id)
            })
        }
        command => {
            let request = match command {
                Command::Pause => SetAskPolicyRequest { paused: Some(true), ..Default::default() },
                Command::Resume => SetAskPolicyRequest { paused: Some(false), ..Default::default() },
                Command::Cap { n } => {
                    if n > kith_proto::ask::AskPolicy::MAX_DAILY_CAP {
                        anyhow::bail!("cap: at most {} a day (got {n})", kith_proto::ask::AskPolicy::MAX_DAILY_CAP);
                    }
                    SetAskPolicyRequest { daily_cap: Some(n), ..Default::default() }
                }
                Command::Close { ids } => {
                    for id in &ids {
                        parse_id("listing id", id)?;
                    }
                    SetAskPolicyRequest { close: ids, ..Default::default() }
                }
                Command::Reopen { ids } => {
                    for id in &ids {
                        parse_id("listing id", id)?;
                    }
                    SetAskPolicyRequest { reopen: ids, ..Default::default() }
                }
                _ => SetAskPolicyRequest::default(),
            };
            let p = admin.client.set_ask_policy(request).await.map_err(|s| admin.error(s))?.into_inner();
            let json = PolicyJson {
                open: p.open,
                paused: p.paused,
                daily_cap: p.daily_cap,
                closed: p.closed,
                relays: p.relays,
                taken_today: p.taken_today,
                refused_today: p.refused_today,
                forged: p.forged,
            };
            output::either(globals.json, &json, || {
                let mut f = Fields::new();
                let state = match (json.open, json.paused, json.relays.is_empty()) {
                    (true, _, _) => "taking asks",
                    (false, _, true) => "not taking asks: no relay in ask_relays (hub.toml)",
                    (false, true, _) => "paused",
                    (false, false, false) => "not taking asks",
                };
                f.add("asks", state)
                    .add("daily cap", json.daily_cap.to_string())
                    .add("today", format!("{} taken, {} not taken", json.taken_today, json.refused_today))
                    .add("forged", format!("{} refused since the hub started", json.forged))
                    .add("closed listings", output::list(&json.closed))
                    .add("relays", output::list(&json.relays));
                f.render()
            })
        }
    }
}
