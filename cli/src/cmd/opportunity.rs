//! `kith opportunity …`: a hub's work, training, volunteering and peer-teaching
//! listings, through the hub's admin API.

use clap::Subcommand;
use std::path::PathBuf;
use ulid::Ulid;

use super::{Globals, print_write, text_or_file, toggle};
use crate::connect;
use crate::listing::{self, OpportunityJson, Scope};
use crate::output;
use kith_proto::convert;
use kith_proto::domain::Pay;
use kith_proto::v1::{self, IdRequest, ListRequest, OpportunityFields, OpportunityPatch, StringList};
use kith_proto::validate::ValidationError;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Publish a new, open opportunity.
    Add(AddArgs),
    /// List this hub's opportunities.
    List {
        /// Include withdrawn opportunities.
        #[arg(long)]
        all: bool,
    },
    /// Show every field of one opportunity.
    Show {
        /// The opportunity's id.
        id: String,
    },
    /// Change some fields of an opportunity; the others stay as they are.
    Update(UpdateArgs),
    /// Withdraw an opportunity: the region forgets it.
    Withdraw {
        /// The opportunity's id.
        id: String,
    },
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// What the opportunity is, in a few words (at most 200 characters).
    #[arg(long)]
    title: String,
    /// paid-job, training, volunteering, peer-teaching, paid-involvement,
    /// apprenticeship or social-enterprise.
    #[arg(long)]
    kind: String,
    /// ordinary (any workplace) or mental-health (in or around services).
    #[arg(long)]
    sector: String,
    /// A town or postcode district such as "Leeds LS6", never a home address.
    #[arg(long)]
    area: String,
    /// What the work is and who it suits (at most 4000 characters).
    #[arg(long, conflicts_with = "description_file")]
    description: Option<String>,
    /// Read the description from this file ("-" for stdin).
    #[arg(long, value_name = "FILE")]
    description_file: Option<PathBuf>,
    /// Pay in pence per --pay-per unit (1250 is £12.50); leave out for unpaid work.
    #[arg(long, value_name = "N", requires = "pay_per", allow_negative_numbers = true)]
    pay_pence: Option<i64>,
    /// What the pay is per: hour, session or day.
    #[arg(long, value_name = "UNIT", requires = "pay_pence")]
    pay_per: Option<String>,
    /// Hours of work per week.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    hours_per_week: Option<f32>,
    /// The work can be done from home.
    #[arg(long)]
    remote: bool,
    /// A skill used or taught; repeat for several.
    #[arg(long = "skill", value_name = "X")]
    skills: Vec<String>,
    /// Support offered, e.g. "job coach" or "flexible hours"; repeat for several.
    #[arg(long = "support", value_name = "X")]
    support: Vec<String>,
    /// Travel and other expenses are paid.
    #[arg(long)]
    expenses_paid: bool,
    /// Only for people with lived experience of mental distress.
    #[arg(long)]
    lived_experience_required: bool,
    /// How to apply: who to ring, where to write (at most 1000 characters).
    #[arg(long, value_name = "TEXT")]
    how_to_apply: Option<String>,
    /// The last day to apply, YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    closes: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    /// The opportunity's id.
    id: String,
    /// A new title.
    #[arg(long)]
    title: Option<String>,
    /// A new kind: paid-job, training, volunteering, peer-teaching, paid-involvement,
    /// apprenticeship or social-enterprise.
    #[arg(long)]
    kind: Option<String>,
    /// A new sector: ordinary or mental-health.
    #[arg(long)]
    sector: Option<String>,
    /// A new area: a town or postcode district.
    #[arg(long)]
    area: Option<String>,
    /// A new description.
    #[arg(long, conflicts_with = "description_file")]
    description: Option<String>,
    /// Read the new description from this file ("-" for stdin).
    #[arg(long, value_name = "FILE")]
    description_file: Option<PathBuf>,
    /// New pay in pence per --pay-per unit.
    #[arg(long, value_name = "N", requires = "pay_per", allow_negative_numbers = true)]
    pay_pence: Option<i64>,
    /// What the new pay is per: hour, session or day.
    #[arg(long, value_name = "UNIT", requires = "pay_pence")]
    pay_per: Option<String>,
    /// Make it unpaid.
    #[arg(long, conflicts_with_all = ["pay_pence", "pay_per"])]
    unpaid: bool,
    /// New hours per week.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    hours_per_week: Option<f32>,
    /// Forget the hours per week.
    #[arg(long, conflicts_with = "hours_per_week")]
    clear_hours: bool,
    /// It can be done from home.
    #[arg(long)]
    remote: bool,
    /// It cannot be done from home.
    #[arg(long, conflicts_with = "remote")]
    not_remote: bool,
    /// Replace the skills with these; repeat for several.
    #[arg(long = "skill", value_name = "X")]
    skills: Vec<String>,
    /// Remove every skill.
    #[arg(long, conflicts_with = "skills")]
    clear_skills: bool,
    /// Replace the support offered with these; repeat for several.
    #[arg(long = "support", value_name = "X")]
    support: Vec<String>,
    /// Remove all support offered.
    #[arg(long, conflicts_with = "support")]
    clear_support: bool,
    /// Expenses are paid.
    #[arg(long)]
    expenses_paid: bool,
    /// Expenses are not paid.
    #[arg(long, conflicts_with = "expenses_paid")]
    no_expenses_paid: bool,
    /// Only for people with lived experience.
    #[arg(long)]
    lived_experience_required: bool,
    /// Open to everyone, with or without lived experience.
    #[arg(long, conflicts_with = "lived_experience_required")]
    no_lived_experience_required: bool,
    /// New instructions for applying.
    #[arg(long, value_name = "TEXT")]
    how_to_apply: Option<String>,
    /// A new last day to apply, YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    closes: Option<String>,
    /// It no longer has a closing date.
    #[arg(long, conflicts_with = "closes")]
    no_closing_date: bool,
    /// open or filled (use `withdraw` to take it down).
    #[arg(long)]
    status: Option<String>,
}

pub async fn run(globals: &Globals, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Add(args) => {
            let fields = fields(args)?;
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let reply = admin.client.add_opportunity(fields).await.map_err(|s| admin.error(s))?.into_inner();
            print_write(globals, "added opportunity", &reply)
        }
        Command::Update(args) => {
            let (id, patch) = patch(args)?;
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let request = v1::UpdateOpportunityRequest { id, patch: Some(patch) };
            let reply = admin.client.update_opportunity(request).await.map_err(|s| admin.error(s))?.into_inner();
            print_write(globals, "updated opportunity", &reply)
        }
        Command::Withdraw { id } => {
            let id = convert::parse_id("id", &id)?.to_string();
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let reply =
                admin.client.withdraw_opportunity(IdRequest { id }).await.map_err(|s| admin.error(s))?.into_inner();
            print_write(globals, "withdrew opportunity", &reply)
        }
        Command::Show { id } => {
            let id = convert::parse_id("id", &id)?.to_string();
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let o = admin.client.get_opportunity(IdRequest { id }).await.map_err(|s| admin.error(s))?.into_inner();
            output::either(globals.json, &OpportunityJson::from(&o), || listing::opportunity_detail(&o))
        }
        Command::List { all } => {
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let list = admin
                .client
                .list_opportunities(ListRequest { include_withdrawn: all })
                .await
                .map_err(|s| admin.error(s))?
                .into_inner();
            let json: Vec<OpportunityJson> = list.items.iter().map(OpportunityJson::from).collect();
            output::either(globals.json, &json, || {
                listing::opportunity_table(&list.items, Scope::Hub).render(if all {
                    "no opportunities yet"
                } else {
                    "no opportunities (withdrawn ones are listed with --all)"
                })
            })
        }
    }
}

/// Pay as the API takes it, checked the way the hub checks it.
fn pay(pence: i64, per: &str) -> Result<v1::Pay, ValidationError> {
    match Pay::paid(pence, per)? {
        Pay::Paid { pence, per } => Ok(v1::Pay { pence, per: per.as_str().to_owned() }),
        Pay::Unpaid => unreachable!("Pay::paid never returns Unpaid"),
    }
}

fn optional_pay(pence: Option<i64>, per: Option<&str>) -> Result<Option<v1::Pay>, ValidationError> {
    match (pence, per) {
        (Some(pence), Some(per)) => pay(pence, per).map(Some),
        _ => Ok(None),
    }
}

/// The request for `add`, validated locally first.
fn fields(a: AddArgs) -> anyhow::Result<OpportunityFields> {
    let fields = OpportunityFields {
        title: a.title,
        kind: a.kind,
        sector: a.sector,
        description: text_or_file(a.description, a.description_file.as_deref())?.unwrap_or_default(),
        area: a.area,
        remote: a.remote,
        hours_per_week: a.hours_per_week,
        pay: optional_pay(a.pay_pence, a.pay_per.as_deref())?,
        expenses_paid: a.expenses_paid,
        skills: a.skills,
        support: a.support,
        lived_experience_required: a.lived_experience_required,
        how_to_apply: a.how_to_apply.unwrap_or_default(),
        closes_on: a.closes.unwrap_or_default(),
    };
    convert::opportunity_from_fields(Ulid::nil(), &fields)?;
    Ok(fields)
}

/// The request for `update`, validated locally by applying it to a valid stand-in.
fn patch(a: UpdateArgs) -> anyhow::Result<(String, OpportunityPatch)> {
    let id = convert::parse_id("id", &a.id)?.to_string();
    let list = |values: Vec<String>, clear: bool| {
        (clear || !values.is_empty()).then_some(StringList { values: if clear { Vec::new() } else { values } })
    };
    let patch = OpportunityPatch {
        title: a.title,
        kind: a.kind,
        sector: a.sector,
        description: text_or_file(a.description, a.description_file.as_deref())?,
        area: a.area,
        remote: toggle(a.remote, a.not_remote),
        hours_per_week: a.hours_per_week,
        pay: optional_pay(a.pay_pence, a.pay_per.as_deref())?,
        unpaid: a.unpaid,
        expenses_paid: toggle(a.expenses_paid, a.no_expenses_paid),
        skills: list(a.skills, a.clear_skills),
        support: list(a.support, a.clear_support),
        lived_experience_required: toggle(a.lived_experience_required, a.no_lived_experience_required),
        how_to_apply: a.how_to_apply,
        closes_on: if a.no_closing_date { Some(String::new()) } else { a.closes },
        status: a.status,
        clear_hours: a.clear_hours,
    };
    if patch == OpportunityPatch::default() {
        anyhow::bail!("nothing to change: give the fields to update, e.g. --title T or --status filled");
    }
    let stand_in = OpportunityFields {
        title: "stand-in".into(),
        kind: "training".into(),
        sector: "ordinary".into(),
        area: "Leeds".into(),
        ..Default::default()
    };
    convert::patch_opportunity(convert::opportunity_from_fields(Ulid::nil(), &stand_in)?, &patch)?;
    Ok((id, patch))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    fn parse(args: &[&str]) -> Command {
        Cli::try_parse_from(std::iter::once("opportunity").chain(args.iter().copied())).unwrap().command
    }

    fn add_error(extra: &[&str]) -> String {
        let mut args = vec!["add", "--title", "Gardener", "--sector", "ordinary", "--area", "Leeds"];
        if !extra.contains(&"--kind") {
            args.extend(["--kind", "paid-job"]);
        }
        args.extend(extra);
        let Command::Add(a) = parse(&args) else { panic!("not add") };
        fields(a).unwrap_err().to_string()
    }

    #[test]
    fn add_builds_the_request() {
        let Command::Add(a) = parse(&[
            "add",
            "--title",
            "Gardener",
            "--kind",
            "paid-job",
            "--sector",
            "ordinary",
            "--area",
            "Leeds LS6",
            "--pay-pence",
            "1221",
            "--pay-per",
            "hour",
            "--skill",
            "digging",
            "--skill",
            "pruning",
            "--remote",
            "--closes",
            "2026-12-31",
        ]) else {
            panic!("not add")
        };
        let f = fields(a).unwrap();
        assert_eq!(f.pay, Some(v1::Pay { pence: 1221, per: "hour".into() }));
        assert_eq!(f.skills, ["digging", "pruning"]);
        assert!(f.remote);
        assert_eq!(f.closes_on, "2026-12-31");
    }

    #[test]
    fn bad_input_fails_before_any_call() {
        assert_eq!(
            add_error(&["--description", &"x".repeat(5000)]),
            "description: must be at most 4000 characters (got more than 4000)"
        );
        assert!(add_error(&["--kind", "astronaut"]).starts_with("kind: unknown value \"astronaut\""));
        assert_eq!(add_error(&["--pay-pence", "-5", "--pay-per", "hour"]), "pay.pence: must be 1 to 1000000 (got -5)");
        assert!(add_error(&["--closes", "soon"]).starts_with("closes_on:"));
        assert!(add_error(&["--hours-per-week", "0"]).starts_with("hours_per_week:"));
    }

    #[test]
    fn pay_needs_its_unit() {
        let r = Cli::try_parse_from([
            "opportunity",
            "add",
            "--title",
            "T",
            "--kind",
            "paid-job",
            "--sector",
            "ordinary",
            "--area",
            "A",
            "--pay-pence",
            "100",
        ]);
        assert!(r.is_err());
    }

    #[test]
    fn update_sends_only_what_changes() {
        let id = "01JDQ4Z7M3V5X8K2N6P9R1S3T5";
        let Command::Update(a) = parse(&["update", id, "--status", "filled", "--not-remote", "--clear-skills"]) else {
            panic!("not update")
        };
        let (got, p) = patch(a).unwrap();
        assert_eq!(got, id);
        assert_eq!(p.status.as_deref(), Some("filled"));
        assert_eq!(p.remote, Some(false));
        assert_eq!(p.skills, Some(StringList { values: vec![] }));
        assert_eq!(p.title, None);
        assert_eq!(p.support, None);

        let Command::Update(a) = parse(&["update", id]) else { panic!("not update") };
        assert!(patch(a).unwrap_err().to_string().starts_with("nothing to change"));
        let Command::Update(a) = parse(&["update", id, "--status", "withdrawn"]) else { panic!("not update") };
        assert!(patch(a).unwrap_err().to_string().starts_with("status:"));
        let Command::Update(a) = parse(&["update", "nope", "--title", "x"]) else { panic!("not update") };
        assert!(patch(a).unwrap_err().to_string().starts_with("id: must be a 26-character ULID"));
    }
}
