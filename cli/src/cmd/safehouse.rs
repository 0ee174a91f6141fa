//! `kith safehouse …`: a hub's safe houses and how many beds are free now.
//! A safe house is published with an area, never an address.

use clap::Subcommand;
use std::path::PathBuf;
use std::time::Duration;
use ulid::Ulid;

use super::{Globals, print_write, text_or_file, toggle};
use crate::connect;
use crate::listing::{self, SafeHouseJson, Scope};
use crate::output;
use kith_proto::domain::{self, limits};
use kith_proto::v1::{self, IdRequest, ListRequest, SafeHouseFields, SafeHousePatch, StringList};
use kith_proto::{convert, validate};

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
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let reply = admin.client.add_safe_house(fields).await.map_err(|s| admin.error(s))?.into_inner();
            print_write(globals, "added safe house", &reply)
        }
        Command::Update(args) => {
            let (id, patch) = patch(args)?;
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let request = v1::UpdateSafeHouseRequest { id, patch: Some(patch) };
            let reply = admin.client.update_safe_house(request).await.map_err(|s| admin.error(s))?.into_inner();
            print_write(globals, "updated safe house", &reply)
        }
        Command::Withdraw { id } => {
            let id = convert::parse_id("id", &id)?.to_string();
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let reply =
                admin.client.withdraw_safe_house(IdRequest { id }).await.map_err(|s| admin.error(s))?.into_inner();
            print_write(globals, "withdrew safe house", &reply)
        }
        Command::Availability(args) => {
            let request = availability(args)?;
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let reply = admin.client.set_availability(request).await.map_err(|s| admin.error(s))?.into_inner();
            print_write(globals, "reported availability of safe house", &reply)
        }
        Command::Show { id } => {
            let id = convert::parse_id("id", &id)?.to_string();
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let s = admin.client.get_safe_house(IdRequest { id }).await.map_err(|s| admin.error(s))?.into_inner();
            output::either(globals.json, &SafeHouseJson::from(&s), || listing::safehouse_detail(&s, output::now_ms()))
        }
        Command::List { all } => {
            let mut admin = connect::admin(globals.hub_dir()).await?;
            let list = admin
                .client
                .list_safe_houses(ListRequest { include_withdrawn: all })
                .await
                .map_err(|s| admin.error(s))?
                .into_inner();
            let json: Vec<SafeHouseJson> = list.items.iter().map(SafeHouseJson::from).collect();
            output::either(globals.json, &json, || {
                listing::safehouse_table(&list.items, Scope::Hub).render(if all {
                    "no safe houses yet"
                } else {
                    "no safe houses (withdrawn ones are listed with --all)"
                })
            })
        }
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
}
