//! The offers family whole: the businesses of this hub's pool of workers (a
//! gardening co-op, a decorating crew), each published to the region with what it
//! does, where, its rate and how to book. `kith pool business …` on this hub's admin
//! API (mounted by `cmd/pool.rs`), `kith region offers` and `kith region offer ID`
//! on the relay, its `--json` shape ([`OfferJson`]), its table and `show` block, and
//! the checks of its flags.

use clap::Subcommand;
use serde::Serialize;
use std::path::PathBuf;
use tonic::{Response, Status};
use ulid::Ulid;

use super::family::{self, Listing, LocationJson, Nearness, Page, Paging, Scope, SortArg, away, text_or_file};
use super::{Globals, print_write};
use crate::connect::{self, AdminClient, RegionClient};
use crate::output::{self, Fields, Table};
use kith_proto::convert;
use kith_proto::offer::{self, Offer};
use kith_proto::v1::{self, GetRequest, IdRequest, ListRequest, WriteReply};
use kith_proto::validate::{ValidationError, parse_pounds};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Publish a new business of the pool (refused below the region's fair rate).
    Add(FieldArgs),
    /// List the pool's businesses.
    List {
        /// Include withdrawn businesses.
        #[arg(long)]
        all: bool,
    },
    /// Show every field of one business.
    Show {
        /// The business's id.
        id: String,
    },
    /// Change some fields of a business; the others stay as they are. A list given
    /// (--skill, --area, --phone) replaces the whole list.
    Update(UpdateArgs),
    /// Withdraw a business: the region forgets it.
    Withdraw {
        /// The business's id.
        id: String,
    },
}

/// The fields of an offer, for `add` and `update`.
#[derive(Debug, Default, clap::Args)]
pub struct FieldArgs {
    /// The business's name as people know it, e.g. "Green Hands Garden Co-op".
    #[arg(long)]
    name: Option<String>,
    /// What it does, in sentences (at most 4000 characters).
    #[arg(long, conflicts_with = "description_file")]
    description: Option<String>,
    /// Read the description from this file ("-" for stdin).
    #[arg(long, value_name = "FILE")]
    description_file: Option<PathBuf>,
    /// What it does in the words people search, e.g. gardening, "hedge cutting";
    /// repeat for several (1 to 20).
    #[arg(long = "skill", value_name = "SKILL")]
    skills: Vec<String>,
    /// Where it works: a town or postcode district; repeat for several (1 to 10).
    #[arg(long = "area", value_name = "AREA")]
    areas: Vec<String>,
    /// What it charges an hour, in pounds, e.g. 15.50: at least the region's fair rate.
    #[arg(long, value_name = "POUNDS")]
    rate: Option<String>,
    /// What the rate does not say, e.g. "materials extra; two hours at least".
    #[arg(long, value_name = "TEXT")]
    rate_note: Option<String>,
    /// How to book, e.g. "Ring or text 07700 900123, weekdays 9 to 5".
    #[arg(long, value_name = "TEXT")]
    how_to_book: Option<String>,
    /// A phone number; repeat for several (at most 5).
    #[arg(long = "phone", value_name = "NUMBER")]
    phones: Vec<String>,
    #[arg(long)]
    email: Option<String>,
    /// A web address starting https://.
    #[arg(long)]
    website: Option<String>,
}

/// A field `update` can empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Clearable {
    Description,
    RateNote,
    Phones,
    Email,
    Website,
}

#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    /// The business's id.
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
            let fields = offer::offer_fields(&new_offer(args)?);
            family::write(globals, "added business", async |hub| hub.add_offer(fields).await).await
        }
        Command::Update(args) => {
            let id = convert::parse_id("id", &args.id)?.to_string();
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let current = admin.client.get_offer(IdRequest { id: id.clone() }).await.map_err(|s| admin.error(s))?;
            let current = current.into_inner();
            let changed = changed_offer(offer::offer_from_v1(&current)?, args)?;
            // Refused if someone changed it since it was read, rather than undoing their change.
            let request =
                v1::UpdateOfferRequest { id, fields: Some(offer::offer_fields(&changed)), if_seq: current.seq };
            let reply = admin.client.update_offer(request).await.map_err(|s| admin.error(s))?.into_inner();
            print_write(globals, "updated business", &reply)
        }
        Command::Withdraw { id } => family::withdraw::<v1::Offer>(globals, &id).await,
        Command::Show { id } => family::show::<v1::Offer>(globals, &id).await,
        Command::List { all } => family::list::<v1::Offer>(globals, all).await,
    }
}

/// `kith region offers` and `kith region offer ID`, mounted into `kith region` by
/// the registry (`cmd/mod.rs`); `display_order` is their place in its list.
#[derive(Debug, Subcommand)]
pub enum RegionCommand {
    /// Search the businesses of the region's groups: work you can book by the hour,
    /// such as gardening, decorating or teaching.
    #[command(display_order = 11)]
    Offers(SearchArgs),
    /// Show every field of one business, with its rate and how to book.
    #[command(display_order = 12)]
    Offer {
        /// The offer's id.
        id: String,
        /// The hub that lists it: needed only when several hubs use the id.
        #[arg(long, value_name = "HUB")]
        hub: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// What to look for in the name, skills, description or areas.
    #[arg(long, short)]
    query: Option<String>,
    /// Order of results: relevance (default with --query) or newest.
    #[arg(long, value_enum)]
    sort: Option<SortArg>,
    /// Words that must all appear in one of its areas; a postcode area (LS) finds
    /// every district in it.
    #[arg(long)]
    area: Option<String>,
    #[command(flatten)]
    near: Nearness,
    #[command(flatten)]
    paging: Paging,
}

pub async fn run_region(globals: &Globals, command: RegionCommand) -> anyhow::Result<()> {
    match command {
        RegionCommand::Offers(args) => family::search::<v1::Offer>(globals, search_request(args)?).await,
        RegionCommand::Offer { id, hub } => family::show_in_region::<v1::Offer>(globals, &id, hub).await,
    }
}

/// The request for `kith region offers`, its filters checked locally first.
fn search_request(a: SearchArgs) -> Result<v1::SearchOffersRequest, ValidationError> {
    Ok(v1::SearchOffersRequest {
        query: a.query.unwrap_or_default(),
        area: a.area.unwrap_or_default(),
        hub: a.paging.hub(),
        page_size: a.paging.page_size()?,
        page_token: a.paging.page_token(),
        sort: SortArg::slug(a.sort),
        within_m: a.near.within_m()?,
        near: a.near.near(),
    })
}

impl Listing for v1::Offer {
    type Json = OfferJson;
    type Search = v1::SearchOffersRequest;
    const ONE: &'static str = "business";
    const MANY: &'static str = "businesses";

    fn table(items: &[Self], scope: Scope) -> Table {
        let near = scope == Scope::Region && items.iter().any(|o| o.distance_m.is_some());
        let mut t = match scope {
            Scope::Hub => Table::new(&["ID", "STATUS", "NAME", "SKILLS", "AREAS", "RATE"]),
            Scope::Region if near => Table::new(&["ID", "HUB", "NAME", "SKILLS", "AREAS", "AWAY", "RATE", "PHONE"]),
            Scope::Region => Table::new(&["ID", "HUB", "NAME", "SKILLS", "AREAS", "RATE", "PHONE"]),
        };
        for o in items {
            let mut row = match scope {
                Scope::Hub => vec![
                    o.id.clone(),
                    if o.withdrawn { "withdrawn".into() } else { "published".into() },
                    o.name.clone(),
                    output::list(&o.skills),
                    output::list(&o.areas),
                    rate_text(o),
                ],
                Scope::Region => vec![
                    o.id.clone(),
                    o.hub.clone(),
                    o.name.clone(),
                    output::list(&o.skills),
                    output::list(&o.areas),
                    rate_text(o),
                    o.phones.first().cloned().unwrap_or_default(),
                ],
            };
            if near {
                row.insert(5, away(o.distance_m));
            }
            t.row(row);
        }
        t
    }

    fn detail(&self, _scope: Scope) -> String {
        let o = self;
        let mut f = Fields::new();
        f.add("id", &o.id)
            .add("hub", &o.hub)
            .add("name", &o.name)
            .add("status", if o.withdrawn { "withdrawn" } else { "published" })
            .add("skills", output::list(&o.skills))
            .add("areas", output::list(&o.areas))
            .add_if("district", family::district(&o.location))
            .add_if("away", away(o.distance_m))
            .add("rate", rate_text(o))
            .add("about the rate", &o.rate_note)
            .add("how to book", &o.how_to_book)
            .add("phone", output::list(&o.phones))
            .add("email", &o.email)
            .add("website", &o.website)
            .add("description", &o.description)
            .add("updated", output::instant(o.updated_at_ms).unwrap_or_default())
            .add("seq", o.seq.to_string());
        f.render()
    }

    async fn list(hub: &mut AdminClient, request: ListRequest) -> Result<Vec<Self>, Status> {
        Ok(hub.list_offers(request).await?.into_inner().items)
    }

    async fn get(hub: &mut AdminClient, request: IdRequest) -> Result<Self, Status> {
        hub.get_offer(request).await.map(Response::into_inner)
    }

    async fn withdraw(hub: &mut AdminClient, request: IdRequest) -> Result<WriteReply, Status> {
        hub.withdraw_offer(request).await.map(Response::into_inner)
    }

    async fn search(region: &mut RegionClient, request: Self::Search) -> Result<Page<Self>, Status> {
        let page = region.search_offers(request).await?.into_inner();
        Ok(Page { items: page.items, next_page_token: page.next_page_token })
    }

    fn page_token(request: &mut Self::Search) -> &mut String {
        &mut request.page_token
    }

    async fn get_in_region(region: &mut RegionClient, request: GetRequest) -> Result<Self, Status> {
        region.get_offer(request).await.map(Response::into_inner)
    }
}

/// An offer in `--json` output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfferJson {
    pub id: String,
    pub hub: String,
    /// The hub's region, from a relay (empty from a hub).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub region: String,
    pub name: String,
    pub description: String,
    pub skills: Vec<String>,
    pub areas: Vec<String>,
    /// What it charges an hour, in pence.
    pub rate_pence: u32,
    pub rate_note: String,
    pub how_to_book: String,
    pub phones: Vec<String>,
    pub email: String,
    pub website: String,
    /// From a relay: it charges less than the region's fair rate.
    pub below_fair_rate: bool,
    /// At a hub: withdrawn from the region.
    pub withdrawn: bool,
    pub seq: u64,
    pub updated_at: Option<String>,
    /// From a relay: its first area's postcode district and that district's
    /// centroid; `null` when no area names a place the region knows.
    pub location: Option<LocationJson>,
    /// From a search near a place: how far it is, in metres.
    pub distance_m: Option<u32>,
    /// From a search near a place: found by distance, beyond the area named.
    pub beyond_area: bool,
}

impl From<&v1::Offer> for OfferJson {
    fn from(o: &v1::Offer) -> Self {
        OfferJson {
            id: o.id.clone(),
            hub: o.hub.clone(),
            region: o.region.clone(),
            name: o.name.clone(),
            description: o.description.clone(),
            skills: o.skills.clone(),
            areas: o.areas.clone(),
            rate_pence: o.rate_pence,
            rate_note: o.rate_note.clone(),
            how_to_book: o.how_to_book.clone(),
            phones: o.phones.clone(),
            email: o.email.clone(),
            website: o.website.clone(),
            below_fair_rate: o.below_fair_rate,
            withdrawn: o.withdrawn,
            seq: o.seq,
            updated_at: output::instant(o.updated_at_ms),
            location: LocationJson::of(&o.location),
            distance_m: o.distance_m,
            beyond_area: o.beyond_area,
        }
    }
}

/// Its rate as the board says it, marked when below the region's fair rate.
fn rate_text(o: &v1::Offer) -> String {
    let rate = kith_words::rate_text(o.rate_pence);
    if o.below_fair_rate { format!("{rate} (below the fair rate)") } else { rate }
}

/// A new offer from `add`'s flags, checked here as the hub would check it (but for
/// the fair rate, which only the hub knows).
fn new_offer(args: FieldArgs) -> anyhow::Result<Offer> {
    let blank = Offer {
        id: Ulid::nil(),
        name: String::new(),
        description: String::new(),
        skills: Vec::new(),
        areas: Vec::new(),
        rate_pence: 0,
        rate_note: String::new(),
        how_to_book: String::new(),
        phones: Vec::new(),
        email: String::new(),
        website: String::new(),
    };
    Ok(apply(blank, args)?.validate()?)
}

/// `current` with `update`'s flags applied and its `--clear` fields emptied.
fn changed_offer(current: Offer, args: UpdateArgs) -> anyhow::Result<Offer> {
    let before = current.clone();
    let mut o = apply(current, args.fields)?;
    for field in args.clear {
        match field {
            Clearable::Description => o.description.clear(),
            Clearable::RateNote => o.rate_note.clear(),
            Clearable::Phones => o.phones.clear(),
            Clearable::Email => o.email.clear(),
            Clearable::Website => o.website.clear(),
        }
    }
    if o == before {
        anyhow::bail!("nothing to change: give the fields to update, e.g. --rate 16 or --area Bradford");
    }
    Ok(o.validate()?)
}

/// Reads `--rate` (pounds) into pence, naming the field `rate`.
fn rate_pence(text: &str) -> Result<u32, ValidationError> {
    let pence = parse_pounds(text).map_err(|why| ValidationError::new("rate", why))?;
    // Beyond a u32 is beyond the limit too, which validation says.
    Ok(u32::try_from(pence).unwrap_or(u32::MAX))
}

/// Applies the flags given to `o`; what is not given stays.
fn apply(mut o: Offer, a: FieldArgs) -> anyhow::Result<Offer> {
    if let Some(v) = a.name {
        o.name = v;
    }
    if let Some(v) = text_or_file(a.description, a.description_file.as_deref())? {
        o.description = v;
    }
    if !a.skills.is_empty() {
        o.skills = a.skills;
    }
    if !a.areas.is_empty() {
        o.areas = a.areas;
    }
    if let Some(v) = a.rate {
        o.rate_pence = rate_pence(&v)?;
    }
    if let Some(v) = a.rate_note {
        o.rate_note = v;
    }
    if let Some(v) = a.how_to_book {
        o.how_to_book = v;
    }
    if !a.phones.is_empty() {
        o.phones = a.phones;
    }
    if let Some(v) = a.email {
        o.email = v;
    }
    if let Some(v) = a.website {
        o.website = v;
    }
    Ok(o)
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
        Cli::try_parse_from(std::iter::once("business").chain(args.iter().copied())).map(|c| c.command)
    }

    /// `add` with a good offer's flags, those of `extra` given instead where it
    /// gives a flag that is taken once.
    fn add(extra: &[&str]) -> anyhow::Result<Offer> {
        let base = [
            ("--name", "Green Hands Garden Co-op"),
            ("--skill", "gardening"),
            ("--area", "Leeds LS6"),
            ("--rate", "15.50"),
            ("--how-to-book", "Ring 07700 900123"),
        ];
        let once = ["--name", "--rate", "--how-to-book"];
        let mut args = vec!["add"];
        for (flag, value) in base {
            if !(once.contains(&flag) && extra.contains(&flag)) {
                args.extend([flag, value]);
            }
        }
        args.extend(extra);
        let Command::Add(a) = parse(&args).unwrap() else { panic!("not add") };
        new_offer(a)
    }

    #[test]
    fn add_reads_every_field() {
        let o = add(&[
            "--skill",
            "hedge cutting",
            "--area",
            "Bradford",
            "--rate-note",
            "materials extra",
            "--phone",
            "07700 900123",
            "--email",
            "book@example.org",
            "--website",
            "https://example.org",
            "--description",
            "Gardens kept.",
        ])
        .unwrap();
        assert_eq!(o.skills, ["gardening", "hedge cutting"]);
        assert_eq!(o.areas, ["Leeds LS6", "Bradford"]);
        assert_eq!((o.rate_pence, o.rate_note.as_str()), (1550, "materials extra"));
        assert_eq!((o.phones.len(), o.email.as_str()), (1, "book@example.org"));
    }

    #[test]
    fn bad_flags_name_the_field() {
        let field = |extra: &[&str]| add(extra).unwrap_err().to_string().split(':').next().unwrap().to_owned();
        assert_eq!(field(&["--rate", "fifteen"]), "rate");
        assert_eq!(field(&["--rate", "0"]), "rate");
        assert_eq!(field(&["--rate", "1000.01"]), "rate");
        assert_eq!(field(&["--area", "12 Acacia Avenue LS6 1AB"]), "areas[1]");
        assert_eq!(field(&["--website", "example.org"]), "website");
        assert_eq!(field(&["--email", "nobody"]), "email");
        assert_eq!(field(&["--phone", "ring me"]), "phones");
        assert_eq!(field(&["--name", ""]), "name");
        let Command::Add(a) = parse(&["add", "--name", "No skills", "--area", "Leeds", "--rate", "15"]).unwrap() else {
            panic!()
        };
        assert!(new_offer(a).unwrap_err().to_string().starts_with("skills:"));
        assert!(parse(&["add", "--description", "x", "--description-file", "f"]).is_err(), "one or the other");
    }

    #[test]
    fn update_changes_only_what_is_given() {
        let current = add(&["--phone", "07700 900123", "--rate-note", "materials extra"]).unwrap();
        let update = |args: &[&str]| {
            let mut all = vec!["update", "01JDQ4Z7M3V5X8K2N6P9R1S3T5"];
            all.extend(args);
            let Command::Update(u) = parse(&all).unwrap() else { panic!("not update") };
            changed_offer(current.clone(), u)
        };
        let o = update(&["--rate", "17", "--clear", "rate-note"]).unwrap();
        assert_eq!((o.rate_pence, o.rate_note.as_str()), (1700, ""));
        assert_eq!((o.phones.clone(), o.areas.clone()), (current.phones.clone(), current.areas.clone()));
        assert!(update(&[]).unwrap_err().to_string().starts_with("nothing to change"));
        assert!(update(&["--how-to-book", ""]).unwrap_err().to_string().starts_with("how_to_book:"));
    }

    #[derive(Debug, Parser)]
    struct RegionCli {
        #[command(subcommand)]
        command: RegionCommand,
    }

    #[test]
    fn search_flags_become_the_request() {
        let search = |args: &[&str]| {
            let all = ["region", "offers"].into_iter().chain(args.iter().copied());
            let RegionCommand::Offers(a) = RegionCli::try_parse_from(all).unwrap().command else { panic!() };
            search_request(a)
        };
        let r = search(&["-q", "gardener", "--area", "LS", "--hub", "peer-garden", "--limit", "5"]).unwrap();
        assert_eq!(
            (r.query.as_str(), r.area.as_str(), r.hub.as_str(), r.page_size),
            ("gardener", "LS", "peer-garden", 5)
        );
        let r = search(&["--near", "ls6 3ab", "--within", "5km"]).unwrap();
        assert_eq!((r.near.as_str(), r.within_m), ("ls6", 5000), "a full postcode is cut before it is sent");
        assert!(search(&["--limit", "0"]).unwrap_err().to_string().starts_with("limit:"));
        let RegionCommand::Offer { id, hub } =
            RegionCli::try_parse_from(["region", "offer", "01JDQ4Z7M3V5X8K2N6P9R1S3T5", "--hub", "h"]).unwrap().command
        else {
            panic!()
        };
        assert_eq!((id.as_str(), hub.as_deref()), ("01JDQ4Z7M3V5X8K2N6P9R1S3T5", Some("h")));
    }

    #[test]
    fn show_says_the_rate_as_the_board_does_and_json_keeps_its_values() {
        let o = add(&["--rate-note", "materials extra"]).unwrap();
        let v = v1::Offer { below_fair_rate: true, ..offer::offer_to_v1(&o, "peer-garden", 3, 1_795_694_400_000) };
        let d = v.detail(Scope::Region);
        assert!(d.contains("£15.50 an hour (below the fair rate)"), "{d}");
        assert!(d.contains("how to book"), "{d}");
        let t = v1::Offer::table(std::slice::from_ref(&v), Scope::Hub).render("");
        assert!(t.lines().nth(1).unwrap().contains("Green Hands Garden Co-op"), "{t}");
        let j = serde_json::to_value(OfferJson::from(&v)).unwrap();
        assert_eq!((j["rate_pence"].clone(), j["below_fair_rate"].clone()), (1550.into(), true.into()));
        assert_eq!(j["skills"], serde_json::json!(["gardening"]));
    }
}
