//! The services family whole: a hub's directory of services — ordinary ones
//! (employment support, benefits advice, food, arts) as much as mental-health ones —
//! with their opening hours, places and contacts. `kith service …` on this hub's
//! admin API (with `import` from Open Referral HSDS), `kith region services` and `kith
//! region service ID` on the relay, its `--json` shape ([`ServiceJson`]), its table
//! and `show` block, and the checks of its flags.

use clap::Subcommand;
use serde::Serialize;
use std::path::PathBuf;
use tonic::{Response, Status};
use ulid::Ulid;

use super::family::{
    self, Listing, LocationJson, Nearness, Page, Paging, Scope, SortArg, away, date_words, filter, text_or_file, toggle,
};
use super::{Globals, print_write};
use crate::connect::{self, AdminClient, RegionClient};
use crate::import;
use crate::output::{self, Fields, Table};
use kith_proto::convert;
use kith_proto::domain::{self, Sector};
use kith_proto::service::{Category, Place, Schedule, Service, ServiceStatus};
use kith_proto::time::CivilDate;
use kith_proto::v1::{self, GetRequest, IdRequest, ListRequest, WriteReply};
use kith_proto::validate::{self, ValidationError};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List a new service (confirmed today unless --confirmed says otherwise).
    Add(FieldArgs),
    /// List this hub's services.
    List {
        /// Include withdrawn services.
        #[arg(long)]
        all: bool,
    },
    /// Show every field of one service.
    Show {
        /// The service's id.
        id: String,
    },
    /// Change some fields of a service; the others stay as they are. A list given
    /// (--phone, --hours, --category, places…) replaces the whole list.
    Update(UpdateArgs),
    /// Withdraw a service: the region forgets it.
    Withdraw {
        /// The service's id.
        id: String,
    },
    /// Import services from Open Referral HSDS 3: a JSON file (a service, a list, or
    /// a page of an HSDS API) or a data package (a directory of CSV files with its
    /// datapackage.json). Importing the same file again updates, never duplicates.
    Import(ImportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The JSON file, the data package's directory, or its datapackage.json.
    path: PathBuf,
    /// Check and report what would happen; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// The category of services whose taxonomy terms and words match none of Kith's.
    #[arg(long, value_name = "CATEGORY")]
    default_category: Option<String>,
    /// The sector of every imported service: ordinary (the default) or mental-health.
    #[arg(long)]
    sector: Option<String>,
}

/// The fields of a service, for `add` and `update`.
#[derive(Debug, Default, clap::Args)]
pub struct FieldArgs {
    /// The service's name as people know it.
    #[arg(long)]
    name: Option<String>,
    /// What it offers (at most 4000 characters).
    #[arg(long, conflicts_with = "description_file")]
    description: Option<String>,
    /// Read the description from this file ("-" for stdin).
    #[arg(long, value_name = "FILE")]
    description_file: Option<PathBuf>,
    /// active (the default), inactive, defunct or temporarily-closed.
    #[arg(long)]
    status: Option<String>,
    /// ordinary (for anyone: the default) or mental-health.
    #[arg(long)]
    sector: Option<String>,
    /// What it is, repeat for several (1 to 8): employment-support,
    /// benefits-and-money, housing, training-and-education, peer-support, crisis,
    /// arts-and-leisure, health, legal-and-advocacy, food, family-and-carers,
    /// digital-inclusion, drugs-and-alcohol, community-and-social, transport.
    #[arg(long = "category", value_name = "CATEGORY")]
    categories: Vec<String>,
    /// Who it is for, in words.
    #[arg(long)]
    eligibility: Option<String>,
    /// The youngest age it takes.
    #[arg(long, value_name = "YEARS", allow_negative_numbers = true)]
    min_age: Option<i64>,
    /// The oldest age it takes.
    #[arg(long, value_name = "YEARS", allow_negative_numbers = true)]
    max_age: Option<i64>,
    /// It costs nothing.
    #[arg(long)]
    free: bool,
    /// What it costs (it is then not free), e.g. "£3 a session, free on benefits".
    #[arg(long, conflicts_with = "free")]
    fees: Option<String>,
    /// A language it is offered in besides English; repeat for several.
    #[arg(long = "language", value_name = "LANGUAGE")]
    languages: Vec<String>,
    /// An access feature, e.g. "step-free access", "hearing loop"; repeat for several.
    #[arg(long = "accessibility", value_name = "TEXT")]
    accessibility: Vec<String>,
    /// How to get it, e.g. "drop in", "ring to book", "a GP refers you".
    #[arg(long, value_name = "TEXT")]
    how_to_access: Option<String>,
    /// People can refer themselves.
    #[arg(long)]
    self_referral: bool,
    /// People cannot refer themselves.
    #[arg(long, conflicts_with = "self_referral")]
    no_self_referral: bool,
    /// A phone number; repeat for several (at most 5).
    #[arg(long = "phone", value_name = "NUMBER")]
    phones: Vec<String>,
    #[arg(long)]
    email: Option<String>,
    /// A web address starting https://.
    #[arg(long)]
    website: Option<String>,
    /// Opening hours in the region's time: "mon-fri 09:00-17:00", "tue,thu
    /// 10:00-14:00; closed on bank holidays", "wed by appointment"; repeat for several.
    #[arg(long = "hours", value_name = "HOURS")]
    hours: Vec<String>,
    /// A public address it can be visited at: "1 Market Street, Leeds LS1 6DT"
    /// (never a home); repeat for several.
    #[arg(long = "address", value_name = "ADDRESS")]
    addresses: Vec<String>,
    /// An area it serves, when it has no address to give: a town or postcode district.
    #[arg(long = "area", value_name = "AREA")]
    areas: Vec<String>,
    /// It is online or by phone.
    #[arg(long)]
    online: bool,
    /// When the hub last confirmed the entry: YYYY-MM-DD or "today".
    #[arg(long, value_name = "DATE")]
    confirmed: Option<String>,
    /// Who runs it, when not this hub.
    #[arg(long)]
    provider: Option<String>,
}

/// A field `update` can empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Clearable {
    Description,
    Eligibility,
    MinAge,
    MaxAge,
    Fees,
    Languages,
    Accessibility,
    HowToAccess,
    Phones,
    Email,
    Website,
    Hours,
    Places,
    Provider,
}

#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    /// The service's id.
    id: String,
    #[command(flatten)]
    fields: FieldArgs,
    /// Empty these fields; repeat for several.
    #[arg(long, value_enum, value_name = "FIELD")]
    clear: Vec<Clearable>,
}

pub async fn run(globals: &Globals, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Add(args) => {
            let fields = convert::service_fields(&new_service(args)?);
            family::write(globals, "added service", async |hub| hub.add_service(fields).await).await
        }
        Command::Update(args) => {
            let id = convert::parse_id("id", &args.id)?.to_string();
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let current = admin.client.get_service(IdRequest { id: id.clone() }).await.map_err(|s| admin.error(s))?;
            let current = current.into_inner();
            let changed = changed_service(convert::service_from_v1(&current)?, args)?;
            // Refused if someone changed it since it was read, rather than undoing their change.
            let request =
                v1::UpdateServiceRequest { id, fields: Some(convert::service_fields(&changed)), if_seq: current.seq };
            let reply = admin.client.update_service(request).await.map_err(|s| admin.error(s))?.into_inner();
            print_write(globals, "updated service", &reply)
        }
        Command::Withdraw { id } => family::withdraw::<v1::Service>(globals, &id).await,
        Command::Show { id } => family::show::<v1::Service>(globals, &id).await,
        Command::Import(args) => import(globals, args).await,
        Command::List { all } => family::list::<v1::Service>(globals, all).await,
    }
}

/// `kith region services` and `kith region service ID`, mounted into `kith region` by
/// the registry (`cmd/mod.rs`); `display_order` is their place in its list.
#[derive(Debug, Subcommand)]
pub enum RegionCommand {
    /// Search the region's directory of services: employment support, benefits
    /// advice, food, peer support…
    #[command(display_order = 5)]
    Services(SearchArgs),
    /// Show every field of one service, with its hours and whether it is open now.
    #[command(display_order = 6)]
    Service {
        /// The service's id.
        id: String,
        /// The hub that lists it: needed only when several hubs use the id.
        #[arg(long, value_name = "HUB")]
        hub: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// What to look for in the name, categories, description, who it is for,
    /// places, provider or languages.
    #[arg(long, short)]
    query: Option<String>,
    /// Order of results: relevance (default with --query) or newest.
    #[arg(long, value_enum)]
    sort: Option<SortArg>,
    /// Only this category: employment-support, benefits-and-money, housing,
    /// training-and-education, peer-support, crisis, arts-and-leisure, health,
    /// legal-and-advocacy, food, family-and-carers, digital-inclusion,
    /// drugs-and-alcohol, community-and-social, transport.
    #[arg(long)]
    category: Option<String>,
    /// Only this sector: ordinary (for anyone) or mental-health.
    #[arg(long)]
    sector: Option<String>,
    /// Words that must all appear in one of its places; a postcode area (LS) finds
    /// every district in it.
    #[arg(long)]
    area: Option<String>,
    /// Only services that cost nothing.
    #[arg(long)]
    free: bool,
    /// Only services open now, by their hours in the region's time.
    #[arg(long)]
    open_now: bool,
    /// Include inactive, defunct and temporarily closed services.
    #[arg(long)]
    include_inactive: bool,
    #[command(flatten)]
    near: Nearness,
    #[command(flatten)]
    paging: Paging,
}

pub async fn run_region(globals: &Globals, command: RegionCommand) -> anyhow::Result<()> {
    match command {
        RegionCommand::Services(args) => family::search::<v1::Service>(globals, search_request(args)?).await,
        RegionCommand::Service { id, hub } => family::show_in_region::<v1::Service>(globals, &id, hub).await,
    }
}

/// The request for `kith region services`, its filters checked locally first.
fn search_request(a: SearchArgs) -> Result<v1::SearchServicesRequest, ValidationError> {
    Ok(v1::SearchServicesRequest {
        query: a.query.unwrap_or_default(),
        category: filter(a.category, |c| Category::parse("category", c))?,
        sector: filter(a.sector, |s| Sector::parse("sector", s))?,
        area: a.area.unwrap_or_default(),
        free_only: a.free,
        open_now: a.open_now,
        include_inactive: a.include_inactive,
        hub: a.paging.hub(),
        page_size: a.paging.page_size()?,
        page_token: a.paging.page_token(),
        sort: SortArg::slug(a.sort),
        within_m: a.near.within_m()?,
        near: a.near.near(),
    })
}

impl Listing for v1::Service {
    type Json = ServiceJson;
    type Search = v1::SearchServicesRequest;
    const ONE: &'static str = "service";
    const MANY: &'static str = "services";

    fn table(items: &[Self], scope: Scope) -> Table {
        let near = scope == Scope::Region && items.iter().any(|s| s.distance_m.is_some());
        let mut t = match scope {
            Scope::Hub => Table::new(&["ID", "STATUS", "NAME", "CATEGORIES", "WHERE", "COST", "CONFIRMED"]),
            Scope::Region if near => {
                Table::new(&["ID", "HUB", "NAME", "CATEGORIES", "WHERE", "AWAY", "COST", "OPEN NOW", "PHONE"])
            }
            Scope::Region => Table::new(&["ID", "HUB", "NAME", "CATEGORIES", "WHERE", "COST", "OPEN NOW", "PHONE"]),
        };
        for s in items {
            let mut row = match scope {
                Scope::Hub => vec![
                    s.id.clone(),
                    if s.withdrawn { "withdrawn".into() } else { s.status.clone() },
                    s.name.clone(),
                    categories_text(s),
                    where_text(s),
                    cost_text(s),
                    date_words(&s.assured_on),
                ],
                Scope::Region => vec![
                    s.id.clone(),
                    s.hub.clone(),
                    s.name.clone(),
                    categories_text(s),
                    where_text(s),
                    cost_text(s),
                    output::yes_no(s.open_now),
                    s.phones.first().cloned().unwrap_or_default(),
                ],
            };
            if near {
                row.insert(5, away(s.distance_m));
            }
            t.row(row);
        }
        t
    }

    /// A region's adds whether it is open now.
    fn detail(&self, scope: Scope) -> String {
        let s = self;
        let ages = match (s.min_age, s.max_age) {
            (None, None) => String::new(),
            (Some(a), None) => format!("{a} and over"),
            (None, Some(b)) => format!("up to {b}"),
            (Some(a), Some(b)) => format!("{a} to {b}"),
        };
        let places: Vec<String> = places(s)
            .into_iter()
            .map(|p| match p {
                PlaceJson::Address(a) | PlaceJson::Area(a) => a,
                PlaceJson::Online(_) => "online or by phone".into(),
            })
            .collect();
        let mut f = Fields::new();
        f.add("id", &s.id)
            .add("hub", &s.hub)
            .add("name", &s.name)
            .add("status", if s.withdrawn { "withdrawn" } else { &s.status })
            .add("sector", &s.sector)
            .add("categories", categories_text(s))
            .add("where", places.join("\n"))
            .add_if("district", family::district(&s.location))
            .add_if("away", away(s.distance_m))
            .add("hours", hours_text(s).join("\n"))
            .add("phone", output::list(&s.phones))
            .add("email", &s.email)
            .add("website", &s.website)
            .add("cost", cost_text(s))
            .add("who for", &s.eligibility)
            .add("ages", ages)
            .add("how to access", &s.application_process)
            .add("self-referral", output::yes_no(s.self_referral))
            .add("languages", output::list(&s.languages))
            .add("accessibility", output::list(&s.accessibility))
            .add("provider", &s.provider)
            .add("description", &s.description)
            .add("confirmed", confirmed_text(s))
            .add("updated", output::instant(s.updated_at_ms).unwrap_or_default())
            .add("seq", s.seq.to_string());
        if scope == Scope::Region {
            f.add("open now", output::yes_no(s.open_now));
        }
        f.render()
    }

    async fn list(hub: &mut AdminClient, request: ListRequest) -> Result<Vec<Self>, Status> {
        Ok(hub.list_services(request).await?.into_inner().items)
    }

    async fn get(hub: &mut AdminClient, request: IdRequest) -> Result<Self, Status> {
        hub.get_service(request).await.map(Response::into_inner)
    }

    async fn withdraw(hub: &mut AdminClient, request: IdRequest) -> Result<WriteReply, Status> {
        hub.withdraw_service(request).await.map(Response::into_inner)
    }

    async fn search(region: &mut RegionClient, request: Self::Search) -> Result<Page<Self>, Status> {
        let page = region.search_services(request).await?.into_inner();
        Ok(Page { items: page.items, next_page_token: page.next_page_token })
    }

    fn page_token(request: &mut Self::Search) -> &mut String {
        &mut request.page_token
    }

    async fn get_in_region(region: &mut RegionClient, request: GetRequest) -> Result<Self, Status> {
        region.get_service(request).await.map(Response::into_inner)
    }
}

/// A service in `--json` output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceJson {
    pub id: String,
    pub hub: String,
    /// The hub's region, from a relay (empty from a hub).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub region: String,
    pub name: String,
    pub status: String,
    pub sector: String,
    pub categories: Vec<String>,
    pub description: String,
    pub eligibility: String,
    pub min_age: Option<u32>,
    pub max_age: Option<u32>,
    pub free: bool,
    pub fees: String,
    pub languages: Vec<String>,
    pub accessibility: Vec<String>,
    pub how_to_access: String,
    pub self_referral: bool,
    pub phones: Vec<String>,
    pub email: String,
    pub website: String,
    /// Each as `monday–friday 09:00–17:00`, as `--hours` takes it.
    pub hours: Vec<String>,
    pub places: Vec<PlaceJson>,
    /// `YYYY-MM-DD`, or `null` when never confirmed.
    pub confirmed_on: Option<String>,
    /// At a relay: not confirmed within the region's window.
    pub unconfirmed: bool,
    /// At a relay: open now, by its hours in the region's time.
    pub open_now: bool,
    /// At a hub: withdrawn from the region.
    pub withdrawn: bool,
    pub provider: String,
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

/// A place in `--json` output: `{"address": "1 Market Street, Leeds LS1 6DT"}`,
/// `{"area": "Leeds"}` or `{"online": true}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceJson {
    Address(String),
    Area(String),
    Online(bool),
}

/// The domain value of what a hub or the relay sent; the wire shape when it does
/// not read back (a newer peer), so that nothing is hidden.
fn domain_value(s: &v1::Service) -> Option<Service> {
    convert::service_from_v1(s).ok()
}

fn hours(s: &v1::Service) -> Vec<String> {
    match domain_value(s) {
        Some(d) => d.schedules.iter().map(ToString::to_string).collect(),
        None => raw_hours(s),
    }
}

/// Opening hours as the board says them, days by name: `Monday–Friday 09:00–17:00`.
fn hours_text(s: &v1::Service) -> Vec<String> {
    match domain_value(s) {
        Some(d) => d.schedules.iter().map(kith_words::schedule_text).collect(),
        None => raw_hours(s),
    }
}

/// Hours this build cannot read (a newer peer's), as they came.
fn raw_hours(s: &v1::Service) -> Vec<String> {
    s.schedules.iter().map(|h| format!("{} {}-{}", h.days.join(", "), h.opens, h.closes)).collect()
}

fn places(s: &v1::Service) -> Vec<PlaceJson> {
    let Some(d) = domain_value(s) else { return Vec::new() };
    d.places
        .iter()
        .map(|p| match p {
            Place::Address { .. } => PlaceJson::Address(p.to_string()),
            Place::Area(a) => PlaceJson::Area(a.clone()),
            Place::Virtual => PlaceJson::Online(true),
        })
        .collect()
}

impl From<&v1::Service> for ServiceJson {
    fn from(s: &v1::Service) -> Self {
        ServiceJson {
            id: s.id.clone(),
            hub: s.hub.clone(),
            region: s.region.clone(),
            name: s.name.clone(),
            status: s.status.clone(),
            sector: s.sector.clone(),
            categories: s.categories.clone(),
            description: s.description.clone(),
            eligibility: s.eligibility.clone(),
            min_age: s.min_age,
            max_age: s.max_age,
            free: s.free,
            fees: s.fees.clone(),
            languages: s.languages.clone(),
            accessibility: s.accessibility.clone(),
            how_to_access: s.application_process.clone(),
            self_referral: s.self_referral,
            phones: s.phones.clone(),
            email: s.email.clone(),
            website: s.website.clone(),
            hours: hours(s),
            places: places(s),
            confirmed_on: (!s.assured_on.is_empty()).then(|| s.assured_on.clone()),
            unconfirmed: s.unconfirmed,
            open_now: s.open_now,
            withdrawn: s.withdrawn,
            provider: s.provider.clone(),
            seq: s.seq,
            updated_at: output::instant(s.updated_at_ms),
            location: LocationJson::of(&s.location),
            distance_m: s.distance_m,
            beyond_area: s.beyond_area,
        }
    }
}

/// Where a service is, short: its towns or areas, `online` for a virtual one.
fn where_text(s: &v1::Service) -> String {
    let Some(d) = domain_value(s) else { return String::new() };
    let mut parts: Vec<String> = d
        .places
        .iter()
        .map(|p| match p {
            Place::Address { town, postcode, .. } => format!("{town} {postcode}"),
            Place::Area(a) => a.clone(),
            Place::Virtual => "online".into(),
        })
        .collect();
    parts.dedup();
    output::list(&parts)
}

fn cost_text(s: &v1::Service) -> String {
    match (s.free, s.fees.is_empty()) {
        (true, _) => "free".into(),
        (false, true) => "ask".into(),
        (false, false) => s.fees.clone(),
    }
}

fn categories_text(s: &v1::Service) -> String {
    let labels: Vec<String> = s
        .categories
        .iter()
        .map(|c| Category::parse("category", c).map_or_else(|_| c.clone(), |c| c.label().to_owned()))
        .collect();
    output::list(&labels)
}

/// When the hub last confirmed the entry: `1 November 2026`, `never`, or `not
/// confirmed since 2 November 2025` when that is longer ago than the region allows.
fn confirmed_text(s: &v1::Service) -> String {
    match (s.assured_on.is_empty(), s.unconfirmed) {
        (true, _) => "never".into(),
        (false, true) => format!("not confirmed since {}", date_words(&s.assured_on)),
        (false, false) => date_words(&s.assured_on),
    }
}

/// What an import did, for `--json` and the summary.
#[derive(Debug, Default, serde::Serialize)]
struct ImportSummary {
    dry_run: bool,
    created: usize,
    updated: usize,
    unchanged: usize,
    /// Services the hub refused (its reasons are among the problems).
    refused: usize,
    problems: Vec<import::Problem>,
}

async fn import(globals: &Globals, args: ImportArgs) -> anyhow::Result<()> {
    let defaults = import::Defaults {
        category: args.default_category.as_deref().map(|c| Category::parse("default_category", c)).transpose()?,
        sector: args.sector.as_deref().map(|s| Sector::parse("sector", s)).transpose()?,
    };
    let (candidates, mut problems) = import::read(&args.path, &defaults)?;
    let mut admin = connect::admin(globals.hub_dir()).await?;
    let bar = progress(candidates.len() as u64);
    let mut summary = ImportSummary { dry_run: args.dry_run, ..Default::default() };
    for c in candidates {
        bar.set_message(c.name.clone());
        let request =
            v1::ImportServiceRequest { source_id: c.source_id.clone(), fields: Some(c.fields), dry_run: args.dry_run };
        match admin.client.import_service(request).await {
            Ok(reply) => match reply.into_inner().outcome.as_str() {
                "created" => summary.created += 1,
                "updated" => summary.updated += 1,
                _ => summary.unchanged += 1,
            },
            // The hub refuses one service; the others still go.
            Err(status) if status.code() == tonic::Code::InvalidArgument => {
                summary.refused += 1;
                let (field, reason) = status.message().split_once(": ").unwrap_or(("", status.message()));
                problems.push(import::Problem { at: c.at, field: field.into(), reason: reason.into() });
            }
            Err(status) => return Err(admin.error(status)),
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    summary.problems = problems;
    output::either(globals.json, &summary, || {
        let verb = if summary.dry_run { "would import" } else { "imported" };
        let mut text = format!(
            "{verb}: {} created, {} updated, {} unchanged, {} refused; {} problems",
            summary.created,
            summary.updated,
            summary.unchanged,
            summary.refused,
            summary.problems.len()
        );
        if !summary.problems.is_empty() {
            text.push_str(&format!("\n\n{}", import::report(&summary.problems)));
        }
        text
    })
}

/// A progress bar on a terminal; nothing when stderr is not one (scripts, logs).
fn progress(len: u64) -> indicatif::ProgressBar {
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} services  {wide_msg}") {
        bar.set_style(style);
    }
    bar
}

/// A new service from `add`'s flags, checked here as the hub would check it.
fn new_service(args: FieldArgs) -> anyhow::Result<Service> {
    let blank = Service {
        id: Ulid::nil(),
        name: String::new(),
        description: String::new(),
        status: ServiceStatus::Active,
        sector: Sector::Ordinary,
        categories: Vec::new(),
        eligibility: String::new(),
        min_age: None,
        max_age: None,
        free: false,
        fees: String::new(),
        languages: Vec::new(),
        accessibility: Vec::new(),
        application_process: String::new(),
        self_referral: false,
        phones: Vec::new(),
        email: String::new(),
        website: String::new(),
        schedules: Vec::new(),
        places: Vec::new(),
        // Listing a service is confirming it.
        assured_on: Some(CivilDate::today_here()),
        provider: String::new(),
    };
    Ok(apply(blank, args)?.validate()?)
}

/// `current` with `update`'s flags applied and its `--clear` fields emptied.
fn changed_service(current: Service, args: UpdateArgs) -> anyhow::Result<Service> {
    let before = current.clone();
    let mut s = apply(current, args.fields)?;
    for field in args.clear {
        match field {
            Clearable::Description => s.description.clear(),
            Clearable::Eligibility => s.eligibility.clear(),
            Clearable::MinAge => s.min_age = None,
            Clearable::MaxAge => s.max_age = None,
            Clearable::Fees => s.fees.clear(),
            Clearable::Languages => s.languages.clear(),
            Clearable::Accessibility => s.accessibility.clear(),
            Clearable::HowToAccess => s.application_process.clear(),
            Clearable::Phones => s.phones.clear(),
            Clearable::Email => s.email.clear(),
            Clearable::Website => s.website.clear(),
            Clearable::Hours => s.schedules.clear(),
            Clearable::Places => s.places.clear(),
            Clearable::Provider => s.provider.clear(),
        }
    }
    if s == before {
        anyhow::bail!(
            "nothing to change: give the fields to update, e.g. --hours \"mon-fri 09:00-17:00\" or --phone P"
        );
    }
    Ok(s.validate()?)
}

fn age(field: &str, value: Option<i64>) -> Result<Option<Option<u8>>, ValidationError> {
    value.map(|v| validate::range(field, v, 0, kith_proto::service::limits::MAX_AGE).map(|v| Some(v as u8))).transpose()
}

/// Applies the flags given to `s`; what is not given stays.
fn apply(mut s: Service, a: FieldArgs) -> anyhow::Result<Service> {
    if let Some(v) = a.name {
        s.name = v;
    }
    if let Some(v) = text_or_file(a.description, a.description_file.as_deref())? {
        s.description = v;
    }
    if let Some(v) = a.status {
        s.status = ServiceStatus::from_hsds("status", &v)?;
    }
    if let Some(v) = a.sector {
        s.sector = Sector::parse("sector", &v)?;
    }
    if !a.categories.is_empty() {
        s.categories = a
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| Category::parse(&format!("category[{i}]"), c))
            .collect::<Result<_, _>>()?;
    }
    if let Some(v) = a.eligibility {
        s.eligibility = v;
    }
    if let Some(v) = age("min_age", a.min_age)? {
        s.min_age = v;
    }
    if let Some(v) = age("max_age", a.max_age)? {
        s.max_age = v;
    }
    if a.free {
        s.free = true;
        s.fees.clear();
    }
    if let Some(v) = a.fees {
        s.free = false;
        s.fees = v;
    }
    if !a.languages.is_empty() {
        s.languages = a.languages;
    }
    if !a.accessibility.is_empty() {
        s.accessibility = a.accessibility;
    }
    if let Some(v) = a.how_to_access {
        s.application_process = v;
    }
    if let Some(v) = toggle(a.self_referral, a.no_self_referral) {
        s.self_referral = v;
    }
    if !a.phones.is_empty() {
        s.phones = a.phones;
    }
    if let Some(v) = a.email {
        s.email = v;
    }
    if let Some(v) = a.website {
        s.website = v;
    }
    if !a.hours.is_empty() {
        s.schedules = a
            .hours
            .iter()
            .enumerate()
            .map(|(i, h)| Schedule::parse(&format!("hours[{i}]"), h))
            .collect::<Result<_, _>>()?;
    }
    if !a.addresses.is_empty() || !a.areas.is_empty() || a.online {
        let mut places = Vec::new();
        for (i, text) in a.addresses.iter().enumerate() {
            places.push(Place::parse_address(&format!("address[{i}]"), text)?);
        }
        for (i, area) in a.areas.iter().enumerate() {
            places.push(Place::Area(domain::area(&format!("area[{i}]"), area)?));
        }
        if a.online {
            places.push(Place::Virtual);
        }
        s.places = places;
    }
    if let Some(v) = a.confirmed {
        s.assured_on = Some(match v.trim() {
            "today" => CivilDate::today_here(),
            date => CivilDate::parse("confirmed", date)?,
        });
    }
    if let Some(v) = a.provider {
        s.provider = v;
    }
    Ok(s)
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

    fn parse(args: &[&str]) -> Result<Command, clap::Error> {
        Cli::try_parse_from(std::iter::once("service").chain(args.iter().copied())).map(|c| c.command)
    }

    fn add(extra: &[&str]) -> anyhow::Result<Service> {
        let mut args = vec!["add", "--name", "Welfare rights drop-in", "--category", "benefits-and-money"];
        args.extend(extra);
        let Command::Add(a) = parse(&args).unwrap() else { panic!("not add") };
        new_service(a)
    }

    #[test]
    fn add_reads_every_kind_of_field() {
        let s = add(&[
            "--hours",
            "mon-fri 09:00-17:00",
            "--hours",
            "sat by appointment",
            "--address",
            "1 Market Street, Leeds ls1 6dt",
            "--online",
            "--phone",
            "0113 496 0000",
            "--free",
            "--min-age",
            "16",
            "--language",
            "Urdu",
        ])
        .unwrap();
        assert_eq!(s.schedules.len(), 2);
        assert_eq!(s.places.len(), 2);
        assert_eq!(s.places[0].to_string(), "1 Market Street, Leeds LS1 6DT");
        assert!(s.free && s.min_age == Some(16));
        assert_eq!(s.sector, Sector::Ordinary);
        assert_eq!(s.assured_on, Some(CivilDate::today_here()));
    }

    #[test]
    fn bad_flags_name_the_field() {
        let field = |extra: &[&str]| add(extra).unwrap_err().to_string().split(':').next().unwrap().to_owned();
        assert_eq!(field(&["--category", "astrology"]), "category[1]");
        assert_eq!(field(&["--hours", "mon-fri 9-5"]), "hours[0]");
        assert_eq!(field(&["--address", "Leeds"]), "address[0]");
        assert_eq!(field(&["--area", "1 Acacia Avenue LS6 1AB"]), "area[0]");
        assert_eq!(field(&["--min-age", "-3"]), "min_age");
        assert_eq!(field(&["--website", "example.org"]), "website");
        assert_eq!(field(&["--confirmed", "last week"]), "confirmed");
        let Command::Add(a) = parse(&["add", "--name", "No category"]).unwrap() else { panic!() };
        assert!(new_service(a).unwrap_err().to_string().starts_with("categories:"));
        assert!(parse(&["add", "--free", "--fees", "£3"]).is_err(), "free and fees conflict");
    }

    #[test]
    fn update_changes_only_what_is_given() {
        let current = add(&["--phone", "0113 496 0000", "--hours", "mon 09:00-12:00"]).unwrap();
        let update = |args: &[&str]| {
            let mut all = vec!["update", "01JDQ4Z7M3V5X8K2N6P9R1S3T5"];
            all.extend(args);
            let Command::Update(u) = parse(&all).unwrap() else { panic!("not update") };
            changed_service(current.clone(), u)
        };
        let s = update(&["--fees", "£2", "--clear", "hours"]).unwrap();
        assert_eq!((s.free, s.fees.as_str(), s.schedules.len()), (false, "£2", 0));
        assert_eq!(s.phones, current.phones);
        assert!(update(&[]).unwrap_err().to_string().starts_with("nothing to change"));
        assert!(update(&["--name", ""]).unwrap_err().to_string().starts_with("name:"));
    }

    #[derive(Debug, Parser)]
    struct RegionCli {
        #[command(subcommand)]
        command: RegionCommand,
    }

    #[test]
    fn search_flags_become_the_request() {
        let search = |args: &[&str]| {
            let all = ["region", "services"].into_iter().chain(args.iter().copied());
            let RegionCommand::Services(a) = RegionCli::try_parse_from(all).unwrap().command else { panic!() };
            search_request(a)
        };
        let r = search(&["--category", " food ", "--free", "--open-now", "--hub", "advice-hub"]).unwrap();
        assert_eq!((r.category.as_str(), r.free_only, r.open_now, r.hub.as_str()), ("food", true, true, "advice-hub"));
        assert!(search(&["--category", "astrology"]).unwrap_err().to_string().starts_with("category: unknown value"));
        assert!(search(&["--sector", "x"]).unwrap_err().to_string().starts_with("sector: unknown value"));
    }

    fn service() -> v1::Service {
        let s = Service {
            id: Ulid::from_parts(1_764_633_600_000, 7),
            name: "Welfare rights drop-in".into(),
            description: String::new(),
            status: ServiceStatus::Active,
            sector: Sector::Ordinary,
            categories: vec![Category::BenefitsAndMoney],
            eligibility: String::new(),
            min_age: None,
            max_age: None,
            free: true,
            fees: String::new(),
            languages: Vec::new(),
            accessibility: Vec::new(),
            application_process: String::new(),
            self_referral: true,
            phones: Vec::new(),
            email: String::new(),
            website: String::new(),
            schedules: vec![Schedule::parse("hours", "mon-fri 09:00-17:00").unwrap()],
            places: vec![Place::Area("Leeds".into())],
            assured_on: Some("2025-11-02".parse().unwrap()),
            provider: String::new(),
        };
        convert::service_to_v1(&s, "advice-hub", 1, 1_795_694_400_000)
    }

    #[test]
    fn show_says_hours_and_dates_as_the_board_does_and_json_keeps_its_values() {
        let s = v1::Service { unconfirmed: true, ..service() };
        let d = s.detail(Scope::Region);
        assert!(d.contains("hours          Monday–Friday 09:00–17:00\n"), "{d}");
        assert!(d.contains("confirmed      not confirmed since 2 November 2025\n"), "{d}");
        let t = v1::Service::table(&[service()], Scope::Hub).render("");
        assert!(t.lines().nth(1).unwrap().ends_with("Leeds  free  2 November 2025"), "{t}");

        let v = serde_json::to_value(ServiceJson::from(&s)).unwrap();
        assert_eq!(v["hours"], serde_json::json!(["monday–friday 09:00–17:00"]));
        assert_eq!(v["confirmed_on"], "2025-11-02");
    }
}
