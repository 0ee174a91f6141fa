//! `kith referral …`: referring a person to another hub, with their consent, and
//! following the referral until it is closed.
//!
//! The person's details go from this hub to the other one only, sealed to its key;
//! the region's relay sees who referred to whom and where each referral stands, never
//! who the person is. `send` refuses to run without a consent statement, and checks
//! the person's details with the hub's own validation before anything is sent.

use clap::Subcommand;
use serde::Serialize;

use super::{Globals, print_write};
use crate::connect;
use crate::output::{self, Fields, Table};
use kith_proto::convert::parse_id;
use kith_proto::referral::{self, Consent, Contact, Person, ReferralStatus};
use kith_proto::v1::{self, IdRequest, ListReferralsRequest, ReferralStepRequest, SendReferralRequest};
use kith_proto::{Slug, ValidationError};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Refer a person to another hub, to one of its safe houses or opportunities or
    /// to the hub in general. Needs the person's consent.
    Send(SendArgs),
    /// List this hub's referrals: those it sent (outbox) and those sent to it (inbox).
    List(ListArgs),
    /// Show every field of one referral, the person's details and its history.
    Show {
        /// The referral's id.
        id: String,
    },
    /// Accept a referral sent to this hub.
    Accept(StepArgs),
    /// Decline a referral sent to this hub, saying why.
    Decline(DeclineArgs),
    /// Close an accepted referral sent to this hub: the person got what they were referred for.
    Complete(StepArgs),
    /// Withdraw a referral this hub sent, while it is open (sent, received or accepted).
    Withdraw(StepArgs),
    /// Erase the person's details at this hub and ask the other hub to erase them
    /// too. The history, without personal details, stays.
    Erase {
        /// The referral's id.
        id: String,
    },
}

#[derive(Debug, clap::Args)]
pub struct SendArgs {
    /// The hub to refer the person to (its hub id).
    #[arg(long, value_name = "HUB")]
    to: String,
    /// Refer to this safe house of that hub.
    #[arg(long, alias = "safe-house", value_name = "ID", conflicts_with = "opportunity")]
    safehouse: Option<String>,
    /// Refer to this opportunity of that hub.
    #[arg(long, value_name = "ID")]
    opportunity: Option<String>,
    /// The person's details: a TOML or JSON file (`-` for standard input) with
    /// `name`, `contact` (or `no_contact = true`), `needs`, `notes` and `consent` —
    /// how, when, recorded by whom and to what. Without it, kith asks on the
    /// terminal. Never given as flags: other users of the machine can read a
    /// command line, and shells keep it in their history.
    #[arg(long, value_name = "FILE|-")]
    person_file: Option<std::path::PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only referrals sent to this hub.
    #[arg(long, conflicts_with = "outbox")]
    inbox: bool,
    /// Only referrals this hub sent.
    #[arg(long)]
    outbox: bool,
    /// Only referrals with this status: sent, received, accepted, declined,
    /// completed, withdrawn, expired.
    #[arg(long)]
    status: Option<String>,
    /// At most this many, newest first (default 100, at most 1000).
    #[arg(long, value_name = "N")]
    limit: Option<u32>,
    /// The page after this referral: the last id of the page before.
    #[arg(long, value_name = "ID")]
    after: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct StepArgs {
    /// The referral's id.
    id: String,
    /// Why, for the other hub (sealed to it; the region never sees it): read from
    /// this file, or standard input with "-". Optional. Never a flag's value:
    /// other users of the machine can read a command line, and shells keep it.
    #[arg(long, value_name = "FILE|-")]
    reason_file: Option<std::path::PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct DeclineArgs {
    /// The referral's id.
    id: String,
    /// Why the referral is declined, for the referring hub (sealed to it): read
    /// from this file, or standard input with "-"; without it, kith asks on the
    /// terminal. Never a flag's value: a reason may say something personal.
    #[arg(long, value_name = "FILE|-")]
    reason_file: Option<std::path::PathBuf>,
}

pub async fn run(globals: &Globals, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Send(args) => {
            let person = read_person(&args)?;
            let request = send_request(&args, person)?;
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let reply = admin.client.send_referral(request).await.map_err(|s| admin.error(s))?.into_inner();
            print_write(globals, "sent referral", &reply)
        }
        Command::List(args) => {
            let request = list_request(&args)?;
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let list = admin.client.list_referrals(request).await.map_err(|s| admin.error(s))?.into_inner();
            let json: Vec<ReferralJson> = list.items.iter().map(ReferralJson::from).collect();
            output::either(globals.json, &json, || referral_table(&list.items).render("no referrals"))
        }
        Command::Show { id } => {
            let id = parse_id("id", &id)?.to_string();
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let r = admin.client.get_referral(IdRequest { id }).await.map_err(|s| admin.error(s))?.into_inner();
            output::either(globals.json, &ReferralJson::from(&r), || referral_detail(&r))
        }
        Command::Accept(a) => step(globals, ReferralStatus::Accepted, &a.id, a.reason_file.as_deref()).await,
        Command::Decline(a) => step(globals, ReferralStatus::Declined, &a.id, a.reason_file.as_deref()).await,
        Command::Complete(a) => step(globals, ReferralStatus::Completed, &a.id, a.reason_file.as_deref()).await,
        Command::Withdraw(a) => step(globals, ReferralStatus::Withdrawn, &a.id, a.reason_file.as_deref()).await,
        Command::Erase { id } => {
            let id = parse_id("id", &id)?.to_string();
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let reply = admin.client.erase_referral(IdRequest { id }).await.map_err(|s| admin.error(s))?.into_inner();
            print_write(globals, "erased the person's details of referral", &reply)
        }
    }
}

/// Takes one step of a referral's lifecycle at this hub, with the reason from
/// `reason_file` (asked for on a terminal when declining, which needs one).
async fn step(
    globals: &Globals,
    status: ReferralStatus,
    id: &str,
    reason_file: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let reason = read_reason(reason_file, status == ReferralStatus::Declined)?;
    let request = step_request(status, id, reason.as_deref())?;
    let mut admin = connect::admin(globals.hub_dir()).await?;
    let call = match status {
        ReferralStatus::Accepted => admin.client.accept_referral(request).await,
        ReferralStatus::Declined => admin.client.decline_referral(request).await,
        ReferralStatus::Completed => admin.client.complete_referral(request).await,
        _ => admin.client.withdraw_referral(request).await,
    };
    let reply = call.map_err(|s| admin.error(s))?.into_inner();
    print_write(globals, &format!("{status} referral"), &reply)
}

/// The person's details as a referral's sender writes them in a file or on
/// standard input (`--person-file PATH|-`), TOML or JSON:
///
/// ```toml
/// name = "A. Person"
/// contact = "07700 900123"      # or: no_contact = true
/// needs = "a quiet room for a few nights"
/// notes = "prefers to be called in the afternoon"
/// consent = "verbal, 2026-11-26, recorded by duty worker"
/// ```
#[derive(Debug, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonFile {
    pub name: String,
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub no_contact: bool,
    #[serde(default)]
    pub needs: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub consent: String,
}

impl PersonFile {
    /// Reads TOML, or JSON when the text starts with `{`; `source` names it in errors.
    pub fn parse(text: &str, source: &str) -> anyhow::Result<PersonFile> {
        if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| anyhow::anyhow!("{source}: not the person's details as JSON: {e}"))
        } else {
            toml::from_str(text).map_err(|e| {
                anyhow::anyhow!(
                    "{source}: not the person's details as TOML: {}",
                    kith_proto::validate::toml_problem(text, &e)
                )
            })
        }
    }
}

/// A step's reason from `--reason-file` (`-` for standard input); without one, asked
/// for on the terminal when the step needs a reason (declining), else none. Never
/// from the command line, as the person's details.
fn read_reason(file: Option<&std::path::Path>, needed: bool) -> anyhow::Result<Option<String>> {
    use std::io::IsTerminal;
    match file {
        Some(path) => read_text(path).map(|(text, _)| Some(text)),
        None if !needed => Ok(None),
        None if std::io::stdin().is_terminal() => {
            eprint!("Why is it declined? (for the referring hub; sealed to it) ");
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            Ok(Some(line))
        }
        None => Err(ValidationError::new(
            "reason",
            "give the reason with --reason-file FILE (or - for standard input): it is never taken from the command \
             line",
        )
        .into()),
    }
}

/// The text of `path`, or of standard input for `-`, and what to call it in errors.
fn read_text(path: &std::path::Path) -> anyhow::Result<(String, String)> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| anyhow::anyhow!("standard input: {e}"))?;
        return Ok((text, "standard input".into()));
    }
    let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok((text, path.display().to_string()))
}

/// The person's details from `--person-file`, or asked for on the terminal.
fn read_person(a: &SendArgs) -> anyhow::Result<PersonFile> {
    use std::io::IsTerminal;
    match a.person_file.as_deref() {
        Some(path) => {
            let (text, name) = read_text(path)?;
            PersonFile::parse(&text, &name)
        }
        None if std::io::stdin().is_terminal() => {
            ask_person(&mut std::io::stdin().lock(), &mut std::io::stderr(), a.to.trim())
        }
        None => Err(ValidationError::new(
            "person",
            "give the person's details with --person-file FILE (or - for standard input): they are never taken \
             from the command line",
        )
        .into()),
    }
}

/// Asks for the person's details one at a time, as on a form.
fn ask_person(
    input: &mut impl std::io::BufRead,
    out: &mut impl std::io::Write,
    to: &str,
) -> anyhow::Result<PersonFile> {
    let mut ask = |question: &str| -> anyhow::Result<String> {
        write!(out, "{question} ")?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            anyhow::bail!("no answer to {question:?}: nothing was sent");
        }
        Ok(line.trim().to_owned())
    };
    let name = ask("The person's name, or their initials:")?;
    let reachable = loop {
        match ask(&format!("May {to} contact them? (yes or no):"))?.to_lowercase().as_str() {
            "y" | "yes" => break true,
            "n" | "no" => break false,
            _ => {}
        }
    };
    let contact = if reachable { Some(ask("How can they be contacted?")?) } else { None };
    let needs = ask("What they need (optional):")?;
    let notes = ask(&format!("Anything else {to} should know (optional):"))?;
    let consent = ask("Their consent — how, when, recorded by whom and to what:")?;
    Ok(PersonFile { name, contact, no_contact: !reachable, needs, notes, consent })
}

/// The send request, with the person's details checked as the hub checks them.
fn send_request(a: &SendArgs, p: PersonFile) -> anyhow::Result<SendReferralRequest> {
    // Consent first: without it nothing else matters.
    if p.consent.trim().is_empty() {
        return Err(ValidationError::new(
            "consent",
            "a referral is not sent without recorded consent: say how, when, by whom and to what",
        )
        .into());
    }
    let to = Slug::parse("to", a.to.trim())?;
    let safe_house_id = a.safehouse.as_deref().map(|id| parse_id("safehouse", id)).transpose()?;
    let opportunity_id = a.opportunity.as_deref().map(|id| parse_id("opportunity", id)).transpose()?;
    let contact = match (p.contact, p.no_contact) {
        (Some(c), false) => Contact::Given(c),
        (None, true) => Contact::DoNotContact,
        (None, false) => return Err(ValidationError::new("contact", "give contact, or no_contact = true").into()),
        (Some(_), true) => {
            return Err(ValidationError::new("contact", "give contact or no_contact = true, not both").into());
        }
    };
    let person = Person {
        name: p.name,
        contact,
        needs: p.needs,
        notes: p.notes,
        // The hub records when consent was given to it.
        consent: Consent { statement: p.consent, recorded_at_ms: 0 },
    }
    .validate()?;
    let (contact, no_contact) = match person.contact {
        Contact::Given(c) => (c, false),
        Contact::DoNotContact => (String::new(), true),
    };
    Ok(SendReferralRequest {
        to_hub: to.to_string(),
        safe_house_id: safe_house_id.map(|id| id.to_string()).unwrap_or_default(),
        opportunity_id: opportunity_id.map(|id| id.to_string()).unwrap_or_default(),
        person: Some(v1::Person {
            name: person.name,
            contact,
            no_contact,
            needs: person.needs,
            notes: person.notes,
            consent: person.consent.statement,
            consent_recorded_at_ms: 0,
        }),
    })
}

fn list_request(a: &ListArgs) -> Result<ListReferralsRequest, ValidationError> {
    let status = a.status.as_deref().map(|s| ReferralStatus::parse("status", s)).transpose()?;
    let r#box = match (a.inbox, a.outbox) {
        (true, _) => "inbox",
        (_, true) => "outbox",
        _ => "",
    };
    let after = a.after.as_deref().map(|id| parse_id("after", id)).transpose()?;
    if a.limit.is_some_and(|n| !(1..=1000).contains(&n)) {
        return Err(ValidationError::new("limit", "must be 1 to 1000"));
    }
    Ok(ListReferralsRequest {
        r#box: r#box.to_owned(),
        status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        limit: a.limit.unwrap_or(0),
        after: after.map(|id| id.to_string()).unwrap_or_default(),
    })
}

fn step_request(
    status: ReferralStatus,
    id: &str,
    reason: Option<&str>,
) -> Result<ReferralStepRequest, ValidationError> {
    let id = parse_id("id", id)?.to_string();
    let reason = referral::reason(status, reason.unwrap_or_default())?;
    Ok(ReferralStepRequest { id, reason })
}

/// A referral in `--json` output, as this hub sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralJson {
    pub id: String,
    pub from_hub: String,
    pub to_hub: String,
    /// `outbox` when this hub sent it, `inbox` when it was sent to this hub.
    #[serde(rename = "box")]
    pub box_: String,
    pub target: TargetJson,
    pub created_at: Option<String>,
    pub status: String,
    /// Every step, oldest first, from both hubs.
    pub history: Vec<StepJson>,
    /// `null` once erased, or before the details have arrived.
    pub person: Option<PersonJson>,
    pub erased: bool,
    /// When the receiving hub must have answered before the referral expires.
    pub answer_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetJson {
    /// `hub`, `safehouse` or `opportunity`.
    pub kind: String,
    /// The listing's id; `null` for the hub in general.
    pub id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepJson {
    pub status: String,
    pub at: Option<String>,
    /// The hub that took the step.
    pub hub: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonJson {
    pub name: String,
    /// `null` when the person is not to be contacted (`no_contact`).
    pub contact: Option<String>,
    pub no_contact: bool,
    pub needs: String,
    pub notes: String,
    pub consent: String,
    pub consent_recorded_at: Option<String>,
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

impl From<&v1::Referral> for ReferralJson {
    fn from(r: &v1::Referral) -> Self {
        ReferralJson {
            id: r.id.clone(),
            from_hub: r.from_hub.clone(),
            to_hub: r.to_hub.clone(),
            box_: r.r#box.clone(),
            target: TargetJson { kind: r.target_kind.clone(), id: non_empty(&r.target_id) },
            created_at: output::instant(r.created_at_ms),
            status: r.status.clone(),
            history: r
                .history
                .iter()
                .map(|s| StepJson {
                    status: s.status.clone(),
                    at: output::instant(s.at_ms),
                    hub: s.hub.clone(),
                    reason: non_empty(&s.reason),
                })
                .collect(),
            person: r.person.as_ref().map(|p| PersonJson {
                name: p.name.clone(),
                contact: if p.no_contact { None } else { non_empty(&p.contact) },
                no_contact: p.no_contact,
                needs: p.needs.clone(),
                notes: p.notes.clone(),
                consent: p.consent.clone(),
                consent_recorded_at: output::instant(p.consent_recorded_at_ms),
            }),
            erased: r.erased,
            answer_by: output::instant(r.answer_by_ms),
        }
    }
}

/// The hub at the other end, seen from this one.
fn other_hub(r: &v1::Referral) -> &str {
    if r.r#box == "inbox" { &r.from_hub } else { &r.to_hub }
}

/// `hub`, or `safehouse 01J…`.
fn target_text(r: &v1::Referral) -> String {
    if r.target_id.is_empty() { r.target_kind.clone() } else { format!("{} {}", r.target_kind, r.target_id) }
}

fn status_text(status: &str) -> &str {
    if status.is_empty() { "unknown" } else { status }
}

pub fn referral_table(items: &[v1::Referral]) -> Table {
    let mut t = Table::new(&["ID", "BOX", "OTHER HUB", "TARGET", "STATUS", "CREATED"]);
    for r in items {
        t.row(vec![
            r.id.clone(),
            r.r#box.clone(),
            other_hub(r).to_owned(),
            target_text(r),
            status_text(&r.status).to_owned(),
            output::instant(r.created_at_ms).unwrap_or_default(),
        ]);
    }
    t
}

/// Every field of one referral and its history, for `show`.
pub fn referral_detail(r: &v1::Referral) -> String {
    let direction = match r.r#box.as_str() {
        "inbox" => "inbox (sent to this hub)",
        "outbox" => "outbox (sent by this hub)",
        other => other,
    };
    let mut f = Fields::new();
    f.add("id", &r.id)
        .add("box", direction)
        .add("from", &r.from_hub)
        .add("to", &r.to_hub)
        .add("target", target_text(r))
        .add("status", status_text(&r.status))
        .add("created", output::instant(r.created_at_ms).unwrap_or_default());
    // Only while an answer is awaited, and only where the hub knows the deadline.
    if let Some(by) = output::instant(r.answer_by_ms).filter(|_| matches!(r.status.as_str(), "sent" | "received")) {
        f.add("answer by", by);
    }
    match &r.person {
        Some(p) => {
            let contact = if p.no_contact {
                format!("do not contact the person; go through {}", r.from_hub)
            } else {
                p.contact.clone()
            };
            f.add("name", &p.name)
                .add("contact", contact)
                .add("needs", &p.needs)
                .add("notes", &p.notes)
                .add("consent", &p.consent)
                .add("consent recorded", output::instant(p.consent_recorded_at_ms).unwrap_or_default());
        }
        None if r.erased => {
            f.add("person", "erased at the person's request");
        }
        None => {
            f.add("person", "not here yet");
        }
    }
    let mut history = Table::new(&["AT", "STATUS", "HUB", "REASON"]);
    for s in &r.history {
        history.row(vec![
            output::instant(s.at_ms).unwrap_or_default(),
            s.status.clone(),
            s.hub.clone(),
            s.reason.clone(),
        ]);
    }
    format!("{}\n\n{}", f.render(), history.render("no history yet"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use serde_json::json;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    fn parse(args: &[&str]) -> Result<Command, clap::Error> {
        Cli::try_parse_from(std::iter::once("referral").chain(args.iter().copied())).map(|c| c.command)
    }

    const ID: &str = "01JDQ4Z7M3V5X8K2N6P9R1S3T5";
    const CONSENT: &str = "verbal, 2026-11-26, recorded by duty worker";

    fn someone(contact: Option<&str>) -> PersonFile {
        PersonFile {
            name: "A. Person".into(),
            no_contact: contact.is_none(),
            contact: contact.map(Into::into),
            consent: CONSENT.into(),
            ..Default::default()
        }
    }

    fn send(extra: &[&str], person: PersonFile) -> anyhow::Result<SendReferralRequest> {
        let mut args = vec!["send", "--to", "rainbow-house"];
        args.extend(extra);
        let Command::Send(a) = parse(&args)? else { panic!("not send") };
        send_request(&a, person)
    }

    #[test]
    fn the_target_and_the_person_become_the_request() {
        let person = PersonFile { needs: "a quiet room".into(), ..someone(Some(" 07700 900123 ")) };
        let r = send(&["--safehouse", ID], person).unwrap();
        assert_eq!(r.to_hub, "rainbow-house");
        assert_eq!((r.safe_house_id.as_str(), r.opportunity_id.as_str()), (ID, ""));
        let p = r.person.unwrap();
        assert_eq!((p.name.as_str(), p.contact.as_str(), p.no_contact), ("A. Person", "07700 900123", false));
        assert_eq!((p.needs.as_str(), p.notes.as_str(), p.consent.as_str()), ("a quiet room", "", CONSENT));

        let person = PersonFile { notes: "call the duty worker".into(), ..someone(None) };
        let r = send(&["--opportunity", ID], person).unwrap();
        assert_eq!((r.safe_house_id.as_str(), r.opportunity_id.as_str()), ("", ID));
        let p = r.person.unwrap();
        assert_eq!((p.contact.as_str(), p.no_contact, p.notes.as_str()), ("", true, "call the duty worker"));

        // Neither target: the hub in general.
        let r = send(&[], someone(None)).unwrap();
        assert_eq!((r.safe_house_id.as_str(), r.opportunity_id.as_str()), ("", ""));
    }

    #[test]
    fn the_person_is_never_a_flag() {
        for flag in ["--name", "--contact", "--needs", "--notes", "--consent", "--no-contact"] {
            let e = parse(&["send", "--to", "rainbow-house", flag, "x"]).unwrap_err().to_string();
            assert!(e.contains("unexpected argument"), "{flag}: {e}");
        }
    }

    #[test]
    fn person_files_are_toml_or_json_and_bad_ones_are_named() {
        let toml = "name = \"A. Person\"\nno_contact = true\nconsent = \"verbal, today\"\n";
        let p = PersonFile::parse(toml, "p.toml").unwrap();
        assert_eq!((p.name.as_str(), p.no_contact, p.contact), ("A. Person", true, None));
        let json = r#"{"name": "B", "contact": "07700 900123", "consent": "written"}"#;
        assert_eq!(PersonFile::parse(json, "p.json").unwrap().contact.as_deref(), Some("07700 900123"));
        let e = PersonFile::parse("name = \"A\"\nnick = \"x\"\n", "p.toml").unwrap_err().to_string();
        assert!(e.starts_with("p.toml: not the person's details as TOML") && e.contains("nick"), "{e}");
        let e = PersonFile::parse("{\"contact\": 1}", "standard input").unwrap_err().to_string();
        assert!(e.starts_with("standard input: not the person's details as JSON"), "{e}");
    }

    #[test]
    fn on_a_terminal_the_person_is_asked_for() {
        let answers = "J. R.\nperhaps\nyes\n07700 900123\na bed tonight\n\nverbal, 2026-12-02, duty worker\n";
        let mut out = Vec::new();
        let p = ask_person(&mut answers.as_bytes(), &mut out, "rainbow-house").unwrap();
        assert_eq!(p.name, "J. R.");
        assert_eq!((p.contact.as_deref(), p.no_contact), (Some("07700 900123"), false));
        assert_eq!((p.needs.as_str(), p.notes.as_str()), ("a bed tonight", ""));
        let asked = String::from_utf8(out).unwrap();
        assert_eq!(asked.matches("May rainbow-house contact them?").count(), 2, "asked again after 'perhaps'");
        let e = ask_person(&mut "J. R.\n".as_bytes(), &mut Vec::new(), "x").unwrap_err().to_string();
        assert!(e.starts_with("no answer to"), "{e}");
    }

    #[test]
    fn send_refuses_without_consent_or_a_contact_choice() {
        let no_consent = PersonFile { consent: " ".into(), ..someone(None) };
        assert!(send(&[], no_consent).unwrap_err().to_string().starts_with("consent: a referral is not sent without"));
        let neither = PersonFile { no_contact: false, ..someone(None) };
        assert_eq!(send(&[], neither).unwrap_err().to_string(), "contact: give contact, or no_contact = true");
        let both = PersonFile { no_contact: true, ..someone(Some("x")) };
        assert!(send(&[], both).is_err());
        assert!(send(&["--safehouse", ID, "--opportunity", ID], someone(None)).is_err(), "clap refuses both");
        let short = PersonFile { consent: "ok".into(), ..someone(None) };
        assert_eq!(send(&[], short).unwrap_err().to_string(), "consent: must be 5 to 500 characters (got 2)");
    }

    #[test]
    fn send_checks_the_rest_locally() {
        let check = |extra: &[&str], person: PersonFile, field: &str| {
            let e = send(extra, person).unwrap_err().to_string();
            assert!(e.starts_with(&format!("{field}: ")), "{extra:?}: {e}");
        };
        check(&["--safehouse", "house-1"], someone(None), "safehouse");
        check(&["--opportunity", "x"], someone(None), "opportunity");
        check(&[], someone(Some("")), "contact");
        check(&[], PersonFile { needs: "x".repeat(2001), ..someone(None) }, "needs");
        check(&[], PersonFile { name: " ".into(), ..someone(None) }, "name");
        let Command::Send(a) = parse(&["send", "--to", "Rainbow House"]).unwrap() else { panic!() };
        assert!(send_request(&a, someone(None)).unwrap_err().to_string().starts_with("to: "));
    }

    #[test]
    fn list_filters() {
        let list = |args: &[&str]| {
            let Command::List(a) = parse(args).unwrap() else { panic!("not list") };
            list_request(&a)
        };
        let r = list(&["list"]).unwrap();
        assert_eq!((r.r#box.as_str(), r.status.as_str()), ("", ""));
        let r = list(&["list", "--inbox", "--status", " accepted "]).unwrap();
        assert_eq!((r.r#box.as_str(), r.status.as_str()), ("inbox", "accepted"));
        assert_eq!(list(&["list", "--outbox"]).unwrap().r#box, "outbox");
        assert!(list(&["list", "--status", "lost"]).unwrap_err().to_string().starts_with("status: unknown value"));
        assert!(parse(&["list", "--inbox", "--outbox"]).is_err());
    }

    #[test]
    fn steps_and_reasons() {
        // Reasons are never flags: a reason may say something personal.
        assert!(parse(&["decline", ID, "--reason", "no beds"]).is_err(), "no --reason flag");
        let Command::Decline(a) = parse(&["decline", ID, "--reason-file", "-"]).unwrap() else { panic!() };
        assert_eq!(a.reason_file.as_deref(), Some(std::path::Path::new("-")));
        let r = step_request(ReferralStatus::Declined, &a.id, Some("  no beds until March \n")).unwrap();
        assert_eq!((r.id.as_str(), r.reason.as_str()), (ID, "no beds until March"));
        assert_eq!(step_request(ReferralStatus::Declined, ID, Some(" ")).unwrap_err().field, "reason");
        let Command::Accept(a) = parse(&["accept", ID]).unwrap() else { panic!() };
        assert_eq!(read_reason(a.reason_file.as_deref(), false).unwrap(), None, "accepting needs no reason");
        let r = step_request(ReferralStatus::Accepted, &a.id, None).unwrap();
        assert_eq!(r.reason, "");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("reason.txt");
        std::fs::write(&file, "found a place nearer\n").unwrap();
        let Command::Withdraw(a) = parse(&["withdraw", ID, "--reason-file", file.to_str().unwrap()]).unwrap() else {
            panic!()
        };
        let reason = read_reason(a.reason_file.as_deref(), false).unwrap();
        let r = step_request(ReferralStatus::Withdrawn, &a.id, reason.as_deref()).unwrap();
        assert_eq!(r.reason, "found a place nearer");
        let missing = read_reason(Some(&dir.path().join("none.txt")), true).unwrap_err().to_string();
        assert!(missing.contains("none.txt"), "{missing}");
        assert!(matches!(parse(&["complete", ID]).unwrap(), Command::Complete(_)));
        assert!(matches!(parse(&["erase", ID]).unwrap(), Command::Erase { .. }));
        assert_eq!(step_request(ReferralStatus::Accepted, "nope", None).unwrap_err().field, "id");
    }

    fn referral() -> v1::Referral {
        v1::Referral {
            id: ID.into(),
            from_hub: "peer-garden".into(),
            to_hub: "rainbow-house".into(),
            r#box: "outbox".into(),
            target_kind: "safehouse".into(),
            target_id: "01JDQ4Z7M3V5X8K2N6P9R1S3T6".into(),
            created_at_ms: 1_795_694_400_000,
            status: "declined".into(),
            history: vec![
                v1::ReferralStep {
                    status: "sent".into(),
                    at_ms: 1_795_694_400_000,
                    hub: "peer-garden".into(),
                    reason: String::new(),
                },
                v1::ReferralStep {
                    status: "declined".into(),
                    at_ms: 1_795_694_460_000,
                    hub: "rainbow-house".into(),
                    reason: "no beds".into(),
                },
            ],
            person: Some(v1::Person {
                name: "A. Person".into(),
                contact: String::new(),
                no_contact: true,
                needs: "a quiet room".into(),
                notes: String::new(),
                consent: CONSENT.into(),
                consent_recorded_at_ms: 1_795_694_400_000,
            }),
            erased: false,
            answer_by_ms: 1_795_953_600_000,
        }
    }

    #[test]
    fn referral_json_shape() {
        let v = serde_json::to_value(ReferralJson::from(&referral())).unwrap();
        assert_eq!(
            v,
            json!({
                "id": ID,
                "from_hub": "peer-garden",
                "to_hub": "rainbow-house",
                "box": "outbox",
                "target": {"kind": "safehouse", "id": "01JDQ4Z7M3V5X8K2N6P9R1S3T6"},
                "created_at": "2026-11-26T12:00:00Z",
                "status": "declined",
                "history": [
                    {"status": "sent", "at": "2026-11-26T12:00:00Z", "hub": "peer-garden", "reason": null},
                    {"status": "declined", "at": "2026-11-26T12:01:00Z", "hub": "rainbow-house", "reason": "no beds"},
                ],
                "person": {
                    "name": "A. Person",
                    "contact": null,
                    "no_contact": true,
                    "needs": "a quiet room",
                    "notes": "",
                    "consent": CONSENT,
                    "consent_recorded_at": "2026-11-26T12:00:00Z",
                },
                "erased": false,
                "answer_by": "2026-11-29T12:00:00Z",
            })
        );
        let erased = v1::Referral {
            person: None,
            erased: true,
            target_kind: "hub".into(),
            target_id: String::new(),
            answer_by_ms: 0,
            ..referral()
        };
        let v = serde_json::to_value(ReferralJson::from(&erased)).unwrap();
        assert_eq!((&v["person"], &v["erased"], &v["answer_by"]), (&json!(null), &json!(true), &json!(null)));
        assert_eq!(v["target"], json!({"kind": "hub", "id": null}));
    }

    #[test]
    fn table_and_detail() {
        let inbox = v1::Referral { r#box: "inbox".into(), status: "received".into(), ..referral() };
        let t = referral_table(&[referral(), inbox.clone()]).render("");
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[0].starts_with("ID                          BOX     OTHER HUB      TARGET"), "{t}");
        assert!(lines[1].contains("outbox  rainbow-house  safehouse 01JDQ4Z7M3V5X8K2N6P9R1S3T6  declined"), "{t}");
        assert!(lines[2].contains("inbox   peer-garden"), "{t}");
        assert_eq!(referral_table(&[]).render("no referrals"), "no referrals");

        let d = referral_detail(&referral());
        assert!(d.contains("contact           do not contact the person; go through peer-garden"), "{d}");
        assert!(d.contains("consent           verbal, 2026-11-26"), "{d}");
        assert!(!d.contains("answer by"), "a closed referral has no deadline: {d}");
        assert!(d.contains("2026-11-26T12:01:00Z  declined  rainbow-house  no beds"), "{d}");
        assert!(referral_detail(&inbox).contains("answer by"), "open: shows when it expires");
        let unknown = v1::Referral { answer_by_ms: 0, ..inbox };
        assert!(!referral_detail(&unknown).contains("answer by"), "no deadline known: none shown");
        let erased = v1::Referral { person: None, erased: true, ..referral() };
        assert!(referral_detail(&erased).contains("person   erased at the person's request"));
    }
}
