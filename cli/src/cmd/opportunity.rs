//! The opportunities family — work, training, volunteering and peer-teaching
//! listings — whole: `kith opportunity …` on this hub's admin API, `kith region
//! opportunities` and `kith region opportunity ID` on the relay, its `--json` shape
//! ([`OpportunityJson`]), its table and `show` block, and the checks of its flags.

use clap::Subcommand;
use serde::Serialize;
use std::path::PathBuf;
use tonic::{Response, Status};
use ulid::Ulid;

use super::Globals;
use super::family::{
    self, Listing, LocationJson, Nearness, Page, Paging, Scope, SortArg, away, date_words, filter, text_or_file, toggle,
};
use crate::connect::{AdminClient, RegionClient};
use crate::output::{self, Fields, Table};
use kith_proto::convert;
use kith_proto::domain::{OpportunityKind, Pay, Sector};
use kith_proto::v1::{
    self, GetRequest, IdRequest, ListRequest, OpportunityFields, OpportunityPatch, StringList, WriteReply,
};
use kith_proto::validate::ValidationError;
use kith_words::hours_text;

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
            family::write(globals, "added opportunity", async |hub| hub.add_opportunity(fields).await).await
        }
        Command::Update(args) => {
            let (id, patch) = patch(args)?;
            let request = v1::UpdateOpportunityRequest { id, patch: Some(patch) };
            family::write(globals, "updated opportunity", async |hub| hub.update_opportunity(request).await).await
        }
        Command::Withdraw { id } => family::withdraw::<v1::Opportunity>(globals, &id).await,
        Command::Show { id } => family::show::<v1::Opportunity>(globals, &id).await,
        Command::List { all } => family::list::<v1::Opportunity>(globals, all).await,
    }
}

/// `kith region opportunities` and `kith region opportunity ID`, mounted into `kith
/// region` by the registry (`cmd/mod.rs`); `display_order` is their place in its list.
#[derive(Debug, Subcommand)]
pub enum RegionCommand {
    /// Search open opportunities across the region.
    #[command(display_order = 0)]
    Opportunities(SearchArgs),
    /// Show every field of one opportunity, including how to apply.
    #[command(display_order = 4)]
    Opportunity {
        /// The opportunity's id.
        id: String,
        /// The hub that published it: needed only when several hubs use the id.
        #[arg(long, value_name = "HUB")]
        hub: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// What to look for. Every word must match the title, skills, description, area
    /// or kind; stems, synonyms, typos and a word still being typed match too.
    #[arg(long, short)]
    query: Option<String>,
    /// Order of results: relevance (default with --query) or newest.
    #[arg(long, value_enum)]
    sort: Option<SortArg>,
    /// Only this kind: paid-job, training, volunteering, peer-teaching,
    /// paid-involvement, apprenticeship, social-enterprise.
    #[arg(long)]
    kind: Option<String>,
    /// Only this sector: ordinary or mental-health.
    #[arg(long)]
    sector: Option<String>,
    /// Words that must all appear in the area, e.g. Leeds or LS6; a postcode area
    /// (LS) finds every district in it (LS6, LS10).
    #[arg(long)]
    area: Option<String>,
    /// Only work that can be done from home.
    #[arg(long)]
    remote: bool,
    /// Only paid work.
    #[arg(long)]
    paid: bool,
    /// Only work whose pay × hours a week is within the region's weekly earnings
    /// limit (as its relay is configured: e.g. the Permitted Work limit).
    #[arg(long)]
    within_earnings_limit: bool,
    /// Include filled and closed opportunities.
    #[arg(long)]
    include_closed: bool,
    #[command(flatten)]
    near: Nearness,
    #[command(flatten)]
    paging: Paging,
}

pub async fn run_region(globals: &Globals, command: RegionCommand) -> anyhow::Result<()> {
    match command {
        RegionCommand::Opportunities(args) => family::search::<v1::Opportunity>(globals, search_request(args)?).await,
        RegionCommand::Opportunity { id, hub } => family::show_in_region::<v1::Opportunity>(globals, &id, hub).await,
    }
}

/// The request for `kith region opportunities`, its filters checked locally first.
fn search_request(a: SearchArgs) -> Result<v1::SearchOpportunitiesRequest, ValidationError> {
    Ok(v1::SearchOpportunitiesRequest {
        query: a.query.unwrap_or_default(),
        kind: filter(a.kind, |k| OpportunityKind::parse("kind", k))?,
        sector: filter(a.sector, |s| Sector::parse("sector", s))?,
        area: a.area.unwrap_or_default(),
        remote_only: a.remote,
        paid_only: a.paid,
        include_closed: a.include_closed,
        hub: a.paging.hub(),
        page_size: a.paging.page_size()?,
        page_token: a.paging.page_token(),
        sort: SortArg::slug(a.sort),
        within_earnings_limit: a.within_earnings_limit,
        within_m: a.near.within_m()?,
        near: a.near.near(),
    })
}

impl Listing for v1::Opportunity {
    type Json = OpportunityJson;
    type Search = v1::SearchOpportunitiesRequest;
    const ONE: &'static str = "opportunity";
    const MANY: &'static str = "opportunities";

    fn table(items: &[Self], scope: Scope) -> Table {
        let near = items.iter().any(|o| o.distance_m.is_some());
        let mut head = match scope {
            Scope::Hub => vec!["ID", "STATUS", "KIND", "SECTOR", "TITLE", "AREA", "PAY", "CLOSES"],
            Scope::Region => vec!["ID", "HUB", "KIND", "SECTOR", "TITLE", "AREA", "PAY", "CLOSES"],
        };
        if near {
            head.insert(6, "AWAY");
        }
        let mut t = Table::new(&head);
        for o in items {
            let second = if scope == Scope::Hub { o.status.clone() } else { o.hub.clone() };
            let mut row = vec![
                o.id.clone(),
                second,
                o.kind.clone(),
                o.sector.clone(),
                o.title.clone(),
                area_text(&o.area, o.remote),
                pay_text(o.pay.as_ref(), o.expenses_paid),
                date_words(&o.closes_on),
            ];
            if near {
                row.insert(6, away(o.distance_m));
            }
            t.row(row);
        }
        t
    }

    /// The same from a hub and from the region.
    fn detail(&self, _: Scope) -> String {
        let o = self;
        let hours = o.hours_per_week.map(hours_text).unwrap_or_default();
        let mut f = Fields::new();
        f.add("id", &o.id)
            .add("hub", &o.hub)
            .add("title", &o.title)
            .add("status", &o.status)
            .add("kind", &o.kind)
            .add("sector", &o.sector)
            .add("area", &o.area)
            .add_if("district", family::district(&o.location))
            .add_if("away", away(o.distance_m))
            .add("remote", output::yes_no(o.remote))
            .add("hours", hours)
            .add("pay", pay_text(o.pay.as_ref(), o.expenses_paid))
            .add("skills", output::list(&o.skills))
            .add("support", output::list(&o.support))
            .add("lived experience", if o.lived_experience_required { "required" } else { "not required" })
            .add("closes", date_words(&o.closes_on))
            .add("how to apply", &o.how_to_apply)
            .add("description", &o.description)
            .add("updated", output::instant(o.updated_at_ms).unwrap_or_default())
            .add("seq", o.seq.to_string());
        f.render()
    }

    async fn list(hub: &mut AdminClient, request: ListRequest) -> Result<Vec<Self>, Status> {
        Ok(hub.list_opportunities(request).await?.into_inner().items)
    }

    async fn get(hub: &mut AdminClient, request: IdRequest) -> Result<Self, Status> {
        hub.get_opportunity(request).await.map(Response::into_inner)
    }

    async fn withdraw(hub: &mut AdminClient, request: IdRequest) -> Result<WriteReply, Status> {
        hub.withdraw_opportunity(request).await.map(Response::into_inner)
    }

    async fn search(region: &mut RegionClient, request: Self::Search) -> Result<Page<Self>, Status> {
        let page = region.search_opportunities(request).await?.into_inner();
        Ok(Page { items: page.items, next_page_token: page.next_page_token })
    }

    fn page_token(request: &mut Self::Search) -> &mut String {
        &mut request.page_token
    }

    async fn get_in_region(region: &mut RegionClient, request: GetRequest) -> Result<Self, Status> {
        region.get_opportunity(request).await.map(Response::into_inner)
    }
}

/// An opportunity in `--json` output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpportunityJson {
    pub id: String,
    pub hub: String,
    /// The hub's region, from a relay (empty from a hub).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub region: String,
    pub title: String,
    pub kind: String,
    pub sector: String,
    pub status: String,
    pub area: String,
    pub remote: bool,
    pub hours_per_week: Option<f32>,
    /// `null` when unpaid.
    pub pay: Option<PayJson>,
    pub expenses_paid: bool,
    pub skills: Vec<String>,
    pub support: Vec<String>,
    pub lived_experience_required: bool,
    pub description: String,
    pub how_to_apply: String,
    /// `YYYY-MM-DD`, or `null` when it does not close.
    pub closes_on: Option<String>,
    pub seq: u64,
    pub updated_at: Option<String>,
    /// From a relay: its postcode district and that district's centroid; `null`
    /// when its area names no place the region knows.
    pub location: Option<LocationJson>,
    /// From a search near a place: how far it is, in metres.
    pub distance_m: Option<u32>,
    /// From a search near a place: found by distance, beyond the area named.
    pub beyond_area: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayJson {
    pub pence: u32,
    pub per: String,
}

impl From<&v1::Opportunity> for OpportunityJson {
    fn from(o: &v1::Opportunity) -> Self {
        OpportunityJson {
            id: o.id.clone(),
            hub: o.hub.clone(),
            region: o.region.clone(),
            title: o.title.clone(),
            kind: o.kind.clone(),
            sector: o.sector.clone(),
            status: o.status.clone(),
            area: o.area.clone(),
            remote: o.remote,
            hours_per_week: o.hours_per_week,
            pay: o.pay.as_ref().map(|p| PayJson { pence: p.pence, per: p.per.clone() }),
            expenses_paid: o.expenses_paid,
            skills: o.skills.clone(),
            support: o.support.clone(),
            lived_experience_required: o.lived_experience_required,
            description: o.description.clone(),
            how_to_apply: o.how_to_apply.clone(),
            closes_on: (!o.closes_on.is_empty()).then(|| o.closes_on.clone()),
            seq: o.seq,
            updated_at: output::instant(o.updated_at_ms),
            location: LocationJson::of(&o.location),
            distance_m: o.distance_m,
            beyond_area: o.beyond_area,
        }
    }
}

/// Pay as the board says it: `£12.21 an hour`, `Unpaid, expenses paid`. Pay this
/// build cannot read (a newer peer's unit) is shown as it came.
fn pay_text(pay: Option<&v1::Pay>, expenses_paid: bool) -> String {
    match pay.map(|p| Pay::paid(i64::from(p.pence), &p.per).map_err(|_| p)) {
        None => kith_words::pay_text(Pay::Unpaid, expenses_paid),
        Some(Ok(pay)) => kith_words::pay_text(pay, expenses_paid),
        Some(Err(p)) => {
            let expenses = if expenses_paid { ", expenses paid" } else { "" };
            format!("{} per {}{expenses}", kith_words::pounds(u64::from(p.pence)), p.per)
        }
    }
}

fn area_text(area: &str, remote: bool) -> String {
    if remote { format!("{area} or from home") } else { area.to_owned() }
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
    use serde_json::json;

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

    #[derive(Debug, Parser)]
    struct RegionCli {
        #[command(subcommand)]
        command: RegionCommand,
    }

    fn search(args: &[&str]) -> Result<v1::SearchOpportunitiesRequest, ValidationError> {
        let all = ["region", "opportunities"].into_iter().chain(args.iter().copied());
        let RegionCommand::Opportunities(a) = RegionCli::try_parse_from(all).unwrap().command else { panic!() };
        search_request(a)
    }

    #[test]
    fn search_flags_become_the_request() {
        let r = search(&["--query", "gardening", "--kind", "paid-job", "--remote", "--paid", "--limit", "10"]).unwrap();
        assert_eq!(r.query, "gardening");
        assert_eq!(r.kind, "paid-job");
        assert!(r.remote_only && r.paid_only && !r.include_closed);
        assert_eq!(r.page_size, 10);
        assert_eq!(r.sort, "", "the relay decides the default order");
        assert_eq!(search(&["-q", "bike", "--sort", "newest"]).unwrap().sort, "newest");
        let e = RegionCli::try_parse_from(["region", "opportunities", "--sort", "best"]).unwrap_err().to_string();
        assert!(e.contains("invalid value 'best' for '--sort"), "{e}");
    }

    #[test]
    fn bad_filters_are_named() {
        assert!(search(&["--kind", "astronaut"]).unwrap_err().to_string().starts_with("kind: unknown value"));
        assert_eq!(search(&["--limit", "501"]).unwrap_err().to_string(), "limit: must be 1 to 500 (got 501)");
    }

    fn opportunity() -> v1::Opportunity {
        v1::Opportunity {
            id: "01JDQ4Z7M3V5X8K2N6P9R1S3T5".into(),
            hub: "peer-garden".into(),
            title: "Market garden assistant".into(),
            kind: "paid-job".into(),
            sector: "ordinary".into(),
            area: "Leeds LS6".into(),
            hours_per_week: Some(16.0),
            pay: Some(v1::Pay { pence: 1221, per: "hour".into() }),
            expenses_paid: true,
            skills: vec!["gardening".into()],
            status: "open".into(),
            seq: 7,
            updated_at_ms: 1_795_694_400_000,
            ..Default::default()
        }
    }

    #[test]
    fn opportunity_json_shape() {
        let v = serde_json::to_value(OpportunityJson::from(&opportunity())).unwrap();
        assert_eq!(v["id"], "01JDQ4Z7M3V5X8K2N6P9R1S3T5");
        assert_eq!(v["hub"], "peer-garden");
        assert_eq!(v["title"], "Market garden assistant");
        assert_eq!(v["kind"], "paid-job");
        assert_eq!(v["sector"], "ordinary");
        assert_eq!(v["area"], "Leeds LS6");
        assert_eq!(v["pay"], json!({"pence": 1221, "per": "hour"}));
        assert_eq!(v["hours_per_week"], json!(16.0));
        assert_eq!(v["closes_on"], json!(null));
        assert_eq!(v["updated_at"], "2026-11-26T12:00:00Z");
        let unpaid = v1::Opportunity { pay: None, closes_on: "2026-12-01".into(), ..opportunity() };
        let v = serde_json::to_value(OpportunityJson::from(&unpaid)).unwrap();
        assert_eq!(v["pay"], json!(null));
        assert_eq!(v["closes_on"], "2026-12-01");
    }

    #[test]
    fn pay_reads_as_on_the_board() {
        let p = v1::Pay { pence: 1250, per: "hour".into() };
        assert_eq!(pay_text(Some(&p), false), "£12.50 an hour");
        assert_eq!(pay_text(Some(&v1::Pay { pence: 9000, per: "day".into() }), true), "£90 a day, expenses paid");
        assert_eq!(pay_text(Some(&v1::Pay { pence: 5000, per: "session".into() }), false), "£50 a session");
        assert_eq!(pay_text(None, true), "Unpaid, expenses paid");
        assert_eq!(pay_text(None, false), "Unpaid");
        // A unit from a newer peer is shown, not hidden.
        assert_eq!(pay_text(Some(&v1::Pay { pence: 40000, per: "week".into() }), false), "£400 per week");
    }

    #[test]
    fn opportunity_rows_per_scope() {
        let hub = v1::Opportunity::table(&[opportunity()], Scope::Hub).render("");
        assert!(hub.starts_with("ID                          STATUS  KIND"), "{hub}");
        let closing = v1::Opportunity { remote: true, closes_on: "2027-01-31".into(), ..opportunity() };
        let region = v1::Opportunity::table(&[closing], Scope::Region).render("");
        assert!(region.contains("peer-garden  paid-job  ordinary  Market garden assistant"), "{region}");
        assert!(region.contains("Leeds LS6 or from home  £12.21 an hour, expenses paid  31 January 2027"), "{region}");
    }

    #[test]
    fn opportunity_detail_says_hours_pay_and_dates_in_words() {
        let o = v1::Opportunity { closes_on: "2027-01-31".into(), ..opportunity() };
        let d = o.detail(Scope::Hub);
        assert!(d.contains("hours             16 hours a week\n"), "{d}");
        assert!(d.contains("pay               £12.21 an hour, expenses paid\n"), "{d}");
        assert!(d.contains("closes            31 January 2027\n"), "{d}");
    }
}
