//! The safe houses family whole: `kith safehouse …` on this hub's admin API (with
//! how many beds are free now), `kith region safehouses` and `kith region safehouse
//! ID` on the relay, its `--json` shape ([`SafeHouseJson`]), its table and `show`
//! block, and the checks of its flags. A safe house is published with an area, never
//! an address.

use clap::Subcommand;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;
use tonic::{Response, Status};
use ulid::Ulid;

use super::Globals;
use super::family::{
    self, Listing, LocationJson, Nearness, Page, Paging, Scope, SortArg, away, filter, text_or_file, toggle,
};
use crate::connect::{AdminClient, RegionClient};
use crate::output::{self, Fields, Table};
use kith_proto::domain::{self, ForTag, limits};
use kith_proto::v1::{
    self, GetRequest, IdRequest, ListRequest, SafeHouseFields, SafeHousePatch, StringList, WriteReply,
};
use kith_proto::validate::ValidationError;
use kith_proto::{convert, validate};
use kith_words::ago_text;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Publish a new safe house.
    Add(AddArgs),
    /// List this hub's safe houses.
    List {
        /// Include withdrawn safe houses.
        #[arg(long)]
        all: bool,
    },
    /// Show every field of one safe house, with its availability.
    Show {
        /// The safe house's id.
        id: String,
    },
    /// Change some fields of a safe house; the others stay as they are.
    Update(UpdateArgs),
    /// Withdraw a safe house: the region forgets it.
    Withdraw {
        /// The safe house's id.
        id: String,
    },
    /// Report how many beds are free now, and for how long that holds.
    Availability(AvailabilityArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The house's name as people know it.
    #[arg(long)]
    name: String,
    /// A town or postcode district, never the address.
    #[arg(long)]
    area: String,
    /// Beds in total.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    beds: i64,
    /// Who it is for: women, men, trans-nonbinary, lgbtq, black-minority-ethnic,
    /// young-adults; repeat for several; leave out if it is for anyone.
    #[arg(long = "for", value_name = "TAG")]
    for_tags: Vec<String>,
    /// The phone number people ring to ask for a bed.
    #[arg(long)]
    phone: Option<String>,
    /// The house is wheelchair accessible.
    #[arg(long)]
    wheelchair_access: bool,
    /// People can refer themselves.
    #[arg(long)]
    self_referral: bool,
    /// The longest stay, in nights.
    #[arg(long, value_name = "NIGHTS", allow_negative_numbers = true)]
    longest_stay: Option<i64>,
    /// What the house offers and how to ask for a bed (at most 4000 characters).
    #[arg(long, conflicts_with = "description_file")]
    description: Option<String>,
    /// Read the description from this file ("-" for stdin).
    #[arg(long, value_name = "FILE")]
    description_file: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    /// The safe house's id.
    id: String,
    /// A new name.
    #[arg(long)]
    name: Option<String>,
    /// A new area: a town or postcode district.
    #[arg(long)]
    area: Option<String>,
    /// A new number of beds in total.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    beds: Option<i64>,
    /// Replace who it is for with these tags; repeat for several.
    #[arg(long = "for", value_name = "TAG")]
    for_tags: Vec<String>,
    /// It is for anyone (removes every --for tag).
    #[arg(long, conflicts_with = "for_tags")]
    for_anyone: bool,
    /// A new phone number ("" removes it).
    #[arg(long)]
    phone: Option<String>,
    /// It is wheelchair accessible.
    #[arg(long)]
    wheelchair_access: bool,
    /// It is not wheelchair accessible.
    #[arg(long, conflicts_with = "wheelchair_access")]
    no_wheelchair_access: bool,
    /// People can refer themselves.
    #[arg(long)]
    self_referral: bool,
    /// People cannot refer themselves.
    #[arg(long, conflicts_with = "self_referral")]
    no_self_referral: bool,
    /// A new longest stay, in nights.
    #[arg(long, value_name = "NIGHTS", allow_negative_numbers = true)]
    longest_stay: Option<i64>,
    /// There is no longest stay.
    #[arg(long, conflicts_with = "longest_stay")]
    clear_longest_stay: bool,
    /// A new description.
    #[arg(long, conflicts_with = "description_file")]
    description: Option<String>,
    /// Read the new description from this file ("-" for stdin).
    #[arg(long, value_name = "FILE")]
    description_file: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct AvailabilityArgs {
    /// The safe house's id.
    id: String,
    /// Beds free now.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    free: i64,
    /// How long the number holds, e.g. 90s, 30m, 12h, 2d (default 12h, at most 7d);
    /// after that the region shows availability as unknown.
    #[arg(long, value_name = "DURATION", value_parser = parse_valid_for)]
    valid_for: Option<Duration>,
}

/// Parses `--valid-for`: a humantime duration of whole seconds, 1 s to 7 days.
pub fn parse_valid_for(s: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(s.trim())
        .map_err(|_| format!("not a duration: {s:?}; give one such as 90s, 30m, 12h or 2d"))?;
    if d.subsec_nanos() != 0 {
        return Err(format!("give whole seconds (got {s:?})"));
    }
    if d.is_zero() || d.as_secs() > domain::MAX_VALID_FOR_SECS {
        return Err(format!("must be between 1s and 7 days (got {s:?})"));
    }
    Ok(d)
}

pub async fn run(globals: &Globals, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Add(args) => {
            let fields = fields(args)?;
            family::write(globals, "added safe house", async |hub| hub.add_safe_house(fields).await).await
        }
        Command::Update(args) => {
            let (id, patch) = patch(args)?;
            let request = v1::UpdateSafeHouseRequest { id, patch: Some(patch) };
            family::write(globals, "updated safe house", async |hub| hub.update_safe_house(request).await).await
        }
        Command::Withdraw { id } => family::withdraw::<v1::SafeHouse>(globals, &id).await,
        Command::Availability(args) => {
            let request = availability(args)?;
            let done = "reported availability of safe house";
            family::write(globals, done, async |hub| hub.set_availability(request).await).await
        }
        Command::Show { id } => family::show::<v1::SafeHouse>(globals, &id).await,
        Command::List { all } => family::list::<v1::SafeHouse>(globals, all).await,
    }
}

/// `kith region safehouses` and `kith region safehouse ID`, mounted into `kith region`
/// by the registry (`cmd/mod.rs`); `display_order` is their place in its list.
#[derive(Debug, Subcommand)]
pub enum RegionCommand {
    /// List safe houses across the region, with beds free now.
    #[command(display_order = 1)]
    Safehouses(SearchArgs),
    /// Show every field of one safe house.
    #[command(display_order = 10)]
    Safehouse {
        /// The safe house's id.
        id: String,
        /// The hub that published it: needed only when several hubs use the id.
        #[arg(long, value_name = "HUB")]
        hub: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// What to look for in the name, description, area or who the house is for.
    #[arg(long, short)]
    query: Option<String>,
    /// Order of results: relevance (default with --query) or newest.
    #[arg(long, value_enum)]
    sort: Option<SortArg>,
    /// Only houses for this group (houses for anyone are included): women, men,
    /// trans-nonbinary, lgbtq, black-minority-ethnic, young-adults.
    #[arg(long = "for", value_name = "TAG")]
    for_tag: Option<String>,
    /// Words that must all appear in the area; a postcode area (BD) finds every
    /// district in it.
    #[arg(long)]
    area: Option<String>,
    /// Only houses with a bed free now (availability that is not stale).
    #[arg(long)]
    available: bool,
    #[command(flatten)]
    near: Nearness,
    #[command(flatten)]
    paging: Paging,
}

pub async fn run_region(globals: &Globals, command: RegionCommand) -> anyhow::Result<()> {
    match command {
        RegionCommand::Safehouses(args) => family::search::<v1::SafeHouse>(globals, search_request(args)?).await,
        RegionCommand::Safehouse { id, hub } => family::show_in_region::<v1::SafeHouse>(globals, &id, hub).await,
    }
}

/// The request for `kith region safehouses`, its filters checked locally first.
fn search_request(a: SearchArgs) -> Result<v1::ListSafeHousesRequest, ValidationError> {
    Ok(v1::ListSafeHousesRequest {
        for_tag: filter(a.for_tag, |t| ForTag::parse("for", t))?,
        area: a.area.unwrap_or_default(),
        available_now: a.available,
        hub: a.paging.hub(),
        page_size: a.paging.page_size()?,
        page_token: a.paging.page_token(),
        query: a.query.unwrap_or_default(),
        sort: SortArg::slug(a.sort),
        within_m: a.near.within_m()?,
        near: a.near.near(),
    })
}

impl Listing for v1::SafeHouse {
    type Json = SafeHouseJson;
    type Search = v1::ListSafeHousesRequest;
    const ONE: &'static str = "safe house";
    const MANY: &'static str = "safe houses";

    fn table(items: &[Self], scope: Scope) -> Table {
        let near = items.iter().any(|s| s.distance_m.is_some());
        let mut head = match scope {
            Scope::Hub => vec!["ID", "STATUS", "NAME", "AREA", "FOR", "BEDS", "FREE"],
            Scope::Region => vec!["ID", "HUB", "NAME", "AREA", "FOR", "BEDS", "FREE"],
        };
        if near {
            head.insert(4, "AWAY");
        }
        let mut t = Table::new(&head);
        for s in items {
            let second = if scope == Scope::Hub { s.status.clone() } else { s.hub.clone() };
            let mut row = vec![
                s.id.clone(),
                second,
                s.name.clone(),
                s.area.clone(),
                for_text(&s.for_tags),
                s.beds_total.to_string(),
                beds_free(s).map_or_else(|| "unknown".to_owned(), |n| n.to_string()),
            ];
            if near {
                row.insert(4, away(s.distance_m));
            }
            t.row(row);
        }
        t
    }

    /// The same from a hub and from the region.
    fn detail(&self, _: Scope) -> String {
        detail(self, output::now_ms())
    }

    async fn list(hub: &mut AdminClient, request: ListRequest) -> Result<Vec<Self>, Status> {
        Ok(hub.list_safe_houses(request).await?.into_inner().items)
    }

    async fn get(hub: &mut AdminClient, request: IdRequest) -> Result<Self, Status> {
        hub.get_safe_house(request).await.map(Response::into_inner)
    }

    async fn withdraw(hub: &mut AdminClient, request: IdRequest) -> Result<WriteReply, Status> {
        hub.withdraw_safe_house(request).await.map(Response::into_inner)
    }

    async fn search(region: &mut RegionClient, request: Self::Search) -> Result<Page<Self>, Status> {
        let page = region.list_safe_houses(request).await?.into_inner();
        Ok(Page { items: page.items, next_page_token: page.next_page_token })
    }

    fn page_token(request: &mut Self::Search) -> &mut String {
        &mut request.page_token
    }

    async fn get_in_region(region: &mut RegionClient, request: GetRequest) -> Result<Self, Status> {
        region.get_safe_house(request).await.map(Response::into_inner)
    }
}

/// Every field of one safe house, for `show`, its availability as of `now_ms`.
fn detail(s: &v1::SafeHouse, now_ms: i64) -> String {
    let availability = match &s.availability {
        None => "unknown (never reported)".to_owned(),
        Some(a) => match beds_free(s) {
            Some(n) => format!(
                "{n} of {} beds free (reported {}, valid until {})",
                s.beds_total,
                ago_text(a.updated_at_ms, now_ms),
                output::instant(a.valid_until_ms).unwrap_or_default()
            ),
            None => format!(
                "unknown (the report of {} expired at {})",
                output::instant(a.updated_at_ms).unwrap_or_default(),
                output::instant(a.valid_until_ms).unwrap_or_default()
            ),
        },
    };
    let longest = s.longest_stay_nights.map(|n| format!("{n} nights")).unwrap_or_default();
    let mut f = Fields::new();
    f.add("id", &s.id)
        .add("hub", &s.hub)
        .add("name", &s.name)
        .add("status", &s.status)
        .add("area", &s.area)
        .add_if("district", family::district(&s.location))
        .add_if("away", away(s.distance_m))
        .add("for", for_text(&s.for_tags))
        .add("beds", s.beds_total.to_string())
        .add("availability", availability)
        .add("wheelchair access", output::yes_no(s.wheelchair_access))
        .add("self-referral", output::yes_no(s.self_referral))
        .add("longest stay", longest)
        .add("phone", &s.phone)
        .add("description", &s.description)
        .add("updated", output::instant(s.updated_at_ms).unwrap_or_default())
        .add("seq", s.seq.to_string());
    f.render()
}

/// A safe house in `--json` output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SafeHouseJson {
    pub id: String,
    pub hub: String,
    /// The hub's region, from a relay (empty from a hub).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub region: String,
    pub name: String,
    pub area: String,
    /// Who it is for; empty means anyone.
    #[serde(rename = "for")]
    pub for_tags: Vec<String>,
    pub beds_total: u32,
    /// `null` when unknown: never reported, or the report is past its valid-until.
    pub beds_free: Option<u32>,
    /// True when availability was reported but is no longer valid.
    pub availability_stale: bool,
    pub availability_updated_at: Option<String>,
    pub availability_valid_until: Option<String>,
    pub wheelchair_access: bool,
    pub self_referral: bool,
    pub longest_stay_nights: Option<u32>,
    pub phone: String,
    pub description: String,
    pub status: String,
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

impl From<&v1::SafeHouse> for SafeHouseJson {
    fn from(s: &v1::SafeHouse) -> Self {
        let a = s.availability.as_ref();
        SafeHouseJson {
            id: s.id.clone(),
            hub: s.hub.clone(),
            region: s.region.clone(),
            name: s.name.clone(),
            area: s.area.clone(),
            for_tags: s.for_tags.clone(),
            beds_total: s.beds_total,
            beds_free: beds_free(s),
            availability_stale: a.is_some_and(|a| a.stale || a.beds_free.is_none()),
            availability_updated_at: a.and_then(|a| output::instant(a.updated_at_ms)),
            availability_valid_until: a.and_then(|a| output::instant(a.valid_until_ms)),
            wheelchair_access: s.wheelchair_access,
            self_referral: s.self_referral,
            longest_stay_nights: s.longest_stay_nights,
            phone: s.phone.clone(),
            description: s.description.clone(),
            status: s.status.clone(),
            seq: s.seq,
            updated_at: output::instant(s.updated_at_ms),
            location: LocationJson::of(&s.location),
            distance_m: s.distance_m,
            beyond_area: s.beyond_area,
        }
    }
}

/// Beds free now, or `None` when unknown or stale: the old number is never shown.
fn beds_free(s: &v1::SafeHouse) -> Option<u32> {
    s.availability.as_ref().filter(|a| !a.stale).and_then(|a| a.beds_free)
}

/// Who a house is for, as the board says it: `anyone`, `women, LGBTQ+ people`. Tags
/// this build does not know (a newer peer's) are shown as they came.
fn for_text(tags: &[String]) -> String {
    match tags.iter().map(|t| ForTag::parse("for", t)).collect::<Result<Vec<_>, _>>() {
        Ok(tags) => kith_words::for_text(&tags),
        Err(_) => tags.join(", "),
    }
}

fn fields(a: AddArgs) -> anyhow::Result<SafeHouseFields> {
    let fields = SafeHouseFields {
        name: a.name,
        area: a.area,
        for_tags: a.for_tags,
        beds_total: a.beds,
        wheelchair_access: a.wheelchair_access,
        self_referral: a.self_referral,
        longest_stay_nights: a.longest_stay,
        phone: a.phone.unwrap_or_default(),
        description: text_or_file(a.description, a.description_file.as_deref())?.unwrap_or_default(),
    };
    convert::safehouse_from_fields(Ulid::nil(), &fields)?;
    Ok(fields)
}

fn patch(a: UpdateArgs) -> anyhow::Result<(String, SafeHousePatch)> {
    let id = convert::parse_id("id", &a.id)?.to_string();
    let for_tags = (a.for_anyone || !a.for_tags.is_empty())
        .then_some(StringList { values: if a.for_anyone { Vec::new() } else { a.for_tags } });
    let patch = SafeHousePatch {
        name: a.name,
        area: a.area,
        for_tags,
        beds_total: a.beds,
        wheelchair_access: toggle(a.wheelchair_access, a.no_wheelchair_access),
        self_referral: toggle(a.self_referral, a.no_self_referral),
        longest_stay_nights: a.longest_stay,
        phone: a.phone,
        description: text_or_file(a.description, a.description_file.as_deref())?,
        clear_longest_stay: a.clear_longest_stay,
    };
    if patch == SafeHousePatch::default() {
        anyhow::bail!("nothing to change: give the fields to update, e.g. --beds N or --phone P");
    }
    // Checked against a stand-in without availability: whether beds free still fit
    // under a new total is for the hub, which knows the current number.
    let stand_in = SafeHouseFields { name: "stand-in".into(), area: "Leeds".into(), ..Default::default() };
    convert::patch_safehouse(convert::safehouse_from_fields(Ulid::nil(), &stand_in)?, &patch, 0)?;
    Ok((id, patch))
}

fn availability(a: AvailabilityArgs) -> anyhow::Result<v1::SetAvailabilityRequest> {
    let id = convert::parse_id("id", &a.id)?.to_string();
    validate::range("beds_free", a.free, 0, limits::MAX_BEDS)?;
    Ok(v1::SetAvailabilityRequest {
        id,
        beds_free: a.free,
        // 0 asks the hub for its default.
        valid_for_secs: a.valid_for.map_or(0, |d| d.as_secs()),
    })
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
        Cli::try_parse_from(std::iter::once("safehouse").chain(args.iter().copied())).map(|c| c.command)
    }

    const ID: &str = "01JDQ4Z7M3V5X8K2N6P9R1S3T5";

    #[test]
    fn durations() {
        let check = |s: &str, secs: Option<u64>| assert_eq!(parse_valid_for(s).ok().map(|d| d.as_secs()), secs, "{s}");
        check("90s", Some(90));
        check("30m", Some(1800));
        check("12h", Some(43_200));
        check("1h 30m", Some(5400));
        check("7d", Some(604_800));
        check("8d", None);
        check("0s", None);
        check("1500ms", None);
        check("soon", None);
        check("12", None);
    }

    #[test]
    fn availability_request() {
        let Command::Availability(a) = parse(&["availability", ID, "--free", "2", "--valid-for", "30m"]).unwrap()
        else {
            panic!("not availability")
        };
        let r = availability(a).unwrap();
        assert_eq!((r.beds_free, r.valid_for_secs), (2, 1800));
        let Command::Availability(a) = parse(&["availability", ID, "--free", "-1"]).unwrap() else { panic!() };
        assert_eq!(availability(a).unwrap_err().to_string(), "beds_free: must be 0 to 500 (got -1)");
        assert!(parse(&["availability", ID, "--free", "1", "--valid-for", "forever"]).is_err());
    }

    #[test]
    fn add_checks_beds_and_tags_locally() {
        let add = |extra: &[&str]| {
            let mut args = vec!["add", "--name", "Women's House", "--area", "Bradford", "--beds", "4"];
            args.extend(extra);
            let Command::Add(a) = parse(&args).unwrap() else { panic!("not add") };
            fields(a)
        };
        let f = add(&["--for", "women", "--phone", "01274 000000", "--longest-stay", "28"]).unwrap();
        assert_eq!(f.for_tags, ["women"]);
        assert_eq!(f.longest_stay_nights, Some(28));
        assert_eq!(add(&["--for", "cats"]).unwrap_err().to_string().split(':').next(), Some("for[0]"));
        assert!(add(&["--phone", "ring us"]).unwrap_err().to_string().starts_with("phone:"));
        let Command::Add(a) = parse(&["add", "--name", "H", "--area", "Leeds", "--beds", "-1"]).unwrap() else {
            panic!()
        };
        assert_eq!(fields(a).unwrap_err().to_string(), "beds_total: must be 0 to 500 (got -1)");
    }

    #[test]
    fn update_patch() {
        let Command::Update(a) = parse(&["update", ID, "--for-anyone", "--no-self-referral"]).unwrap() else {
            panic!()
        };
        let (_, p) = patch(a).unwrap();
        assert_eq!(p.for_tags, Some(StringList { values: vec![] }));
        assert_eq!(p.self_referral, Some(false));
        assert_eq!(p.name, None);
        let Command::Update(a) = parse(&["update", ID]).unwrap() else { panic!() };
        assert!(patch(a).is_err());
    }

    #[derive(Debug, Parser)]
    struct RegionCli {
        #[command(subcommand)]
        command: RegionCommand,
    }

    fn search(args: &[&str]) -> Result<v1::ListSafeHousesRequest, ValidationError> {
        let all = ["region", "safehouses"].into_iter().chain(args.iter().copied());
        let RegionCommand::Safehouses(a) = RegionCli::try_parse_from(all).unwrap().command else { panic!() };
        search_request(a)
    }

    #[test]
    fn search_flags_become_the_request() {
        let r = search(&["--query", "quiet", "--sort", "relevance"]).unwrap();
        assert_eq!((r.query.as_str(), r.sort.as_str()), ("quiet", "relevance"));
        assert!(search(&["--for", "cats"]).unwrap_err().to_string().starts_with("for: unknown value"));
        let r = search(&["--for", "women", "--available"]).unwrap();
        assert_eq!((r.for_tag.as_str(), r.available_now), ("women", true));
    }

    fn safehouse(availability: Option<v1::Availability>) -> v1::SafeHouse {
        v1::SafeHouse {
            id: "01JDQ4Z7M3V5X8K2N6P9R1S3T6".into(),
            hub: "womens-house".into(),
            name: "Women's Safe House".into(),
            area: "Bradford".into(),
            for_tags: vec!["women".into()],
            beds_total: 6,
            availability,
            status: "active".into(),
            seq: 3,
            ..Default::default()
        }
    }

    #[test]
    fn safehouse_json_says_for_and_hides_stale_numbers() {
        let fresh = v1::Availability { beds_free: Some(2), updated_at_ms: 1, valid_until_ms: 2, stale: false };
        let v = serde_json::to_value(SafeHouseJson::from(&safehouse(Some(fresh)))).unwrap();
        assert_eq!(v["for"], json!(["women"]));
        assert!(v.get("for_tags").is_none());
        assert_eq!(v["beds_total"], 6);
        assert_eq!(v["beds_free"], 2);
        assert_eq!(v["availability_stale"], false);

        // A relay that marks a report stale but still sent a number: the number is not shown.
        let stale = v1::Availability { stale: true, ..fresh };
        let v = serde_json::to_value(SafeHouseJson::from(&safehouse(Some(stale)))).unwrap();
        assert_eq!(v["beds_free"], json!(null));
        assert_eq!(v["availability_stale"], true);

        let v = serde_json::to_value(SafeHouseJson::from(&safehouse(None))).unwrap();
        assert_eq!(v["beds_free"], json!(null));
        assert_eq!(v["availability_stale"], false);
        assert_eq!(v["availability_valid_until"], json!(null));
    }

    #[test]
    fn tables_show_stale_availability_as_unknown() {
        let stale = v1::Availability { beds_free: None, updated_at_ms: 1, valid_until_ms: 2, stale: true };
        let t = v1::SafeHouse::table(&[safehouse(Some(stale)), safehouse(None)], Scope::Region).render("");
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(
            lines[0],
            "ID                          HUB           NAME                AREA      FOR    BEDS  FREE"
        );
        assert!(lines[1].ends_with("women  6     unknown"), "{t}");
        assert!(lines[2].ends_with("unknown"), "{t}");
    }

    #[test]
    fn who_for_reads_as_on_the_board() {
        assert_eq!(for_text(&[]), "anyone");
        assert_eq!(for_text(&["women".into(), "lgbtq".into()]), "women, LGBTQ+ people");
        assert_eq!(for_text(&["women".into(), "cats".into()]), "women, cats");
    }

    #[test]
    fn safehouse_detail_says_who_for_and_how_long_ago() {
        let now = 1_795_694_400_000;
        let fresh = v1::Availability {
            beds_free: Some(2),
            updated_at_ms: now - 185_000,
            valid_until_ms: now + 1,
            stale: false,
        };
        let d = detail(&safehouse(Some(fresh)), now);
        assert!(d.contains("for                women\n"), "{d}");
        assert!(d.contains("availability       2 of 6 beds free (reported 3 minutes ago, valid until"), "{d}");
    }
}
