//! What every family of listings (opportunities, safe houses, services) shares in
//! the CLI: the [`Listing`] trait a family implements (its JSON shape, table, `show`
//! block, names and gRPC calls), and, written once over it, the commands that are the
//! same for every family — `list`, `show` and `withdraw` on the hub, a search and a
//! lookup in the region, every page of a search — with the flags and input helpers
//! they share.
//!
//! A family's own file (`cmd/opportunity.rs`, …) holds everything else about it: its
//! subcommands on the hub and in `kith region`, their requests and its rendering. The
//! registry in `cmd/mod.rs` mounts them.

use anyhow::Context;
use serde::Serialize;
use std::path::Path;
use tonic::{Response, Status};

use super::{Globals, print_write};
use crate::connect::{self, AdminClient, Region, RegionClient};
use crate::output::{self, Table};
use kith_proto::convert;
use kith_proto::time::CivilDate;
use kith_proto::v1::{GetRequest, IdRequest, ListRequest, WriteReply};
use kith_proto::validate::{self, ValidationError};

/// A family of listings as the CLI shows and fetches it, implemented by the listing's
/// gRPC message (`v1::Opportunity`, …).
pub trait Listing: Sized {
    /// Its `--json` shape, the same for a hub's listings and the region's, so that a
    /// script written against one reads the other.
    type Json: Serialize + for<'a> From<&'a Self>;
    /// The request of a region search (`v1::SearchOpportunitiesRequest`, …).
    type Search: Clone;
    /// Its name in sentences: `withdrew safe house 01J…`.
    const ONE: &'static str;
    /// Its plural: `no safe houses yet`.
    const MANY: &'static str;

    /// The table of a hub's `list` and of a region search.
    fn table(items: &[Self], scope: Scope) -> Table;
    /// Every field of one, for `show`.
    fn detail(&self, scope: Scope) -> String;

    /// The hub's listings of the family (`include_withdrawn` for `--all`).
    async fn list(hub: &mut AdminClient, request: ListRequest) -> Result<Vec<Self>, Status>;
    /// One of the hub's listings.
    async fn get(hub: &mut AdminClient, request: IdRequest) -> Result<Self, Status>;
    /// Withdraws one of the hub's listings.
    async fn withdraw(hub: &mut AdminClient, request: IdRequest) -> Result<WriteReply, Status>;
    /// One page of a region search.
    async fn search(region: &mut RegionClient, request: Self::Search) -> Result<Page<Self>, Status>;
    /// Where a search asks for the page after a previous one.
    fn page_token(request: &mut Self::Search) -> &mut String;
    /// One listing of the region.
    async fn get_in_region(region: &mut RegionClient, request: GetRequest) -> Result<Self, Status>;
}

/// One page of a region search.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Where the next page starts; empty on the last page.
    pub next_page_token: String,
}

/// Which columns a listing table shows: the hub column only for region results,
/// the status column only for a hub's own listings (the region shows open ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Hub,
    Region,
}

/// `kith <family> list [--all]`: this hub's listings.
pub async fn list<T: Listing>(globals: &Globals, all: bool) -> anyhow::Result<()> {
    let mut admin = connect::admin(globals.hub_dir()).await?;
    let items = T::list(&mut admin.client, ListRequest { include_withdrawn: all }).await.map_err(|s| admin.error(s))?;
    print_table(globals, &items, Scope::Hub, &none_listed(T::MANY, all))
}

/// What `list` says when the hub has none to show.
fn none_listed(many: &str, all: bool) -> String {
    if all { format!("no {many} yet") } else { format!("no {many} (withdrawn ones are listed with --all)") }
}

/// `kith <family> show ID`: every field of one of this hub's listings.
pub async fn show<T: Listing>(globals: &Globals, id: &str) -> anyhow::Result<()> {
    let id = convert::parse_id("id", id)?.to_string();
    let mut admin = connect::admin(globals.hub_dir()).await?;
    let item = T::get(&mut admin.client, IdRequest { id }).await.map_err(|s| admin.error(s))?;
    print_one(globals, &item, Scope::Hub)
}

/// `kith <family> withdraw ID`: the region forgets one of this hub's listings.
pub async fn withdraw<T: Listing>(globals: &Globals, id: &str) -> anyhow::Result<()> {
    let id = convert::parse_id("id", id)?.to_string();
    let mut admin = connect::admin(globals.hub_dir()).await?;
    let reply = T::withdraw(&mut admin.client, IdRequest { id }).await.map_err(|s| admin.error(s))?;
    print_write(globals, &format!("withdrew {}", T::ONE), &reply)
}

/// One write of a family's own (`add`, `update`, …): connects to the hub, makes the
/// call and prints its answer, e.g. `added opportunity 01J… (hub seq 4)`.
pub async fn write(
    globals: &Globals,
    done: &str,
    call: impl AsyncFnOnce(&mut AdminClient) -> Result<Response<WriteReply>, Status>,
) -> anyhow::Result<()> {
    let mut admin = connect::admin(globals.hub_dir()).await?;
    let reply = call(&mut admin.client).await.map_err(|s| admin.error(s))?.into_inner();
    print_write(globals, done, &reply)
}

/// `kith region <families> …`: one page of a search, and (on stderr) how to get the next.
pub async fn search<T: Listing>(globals: &Globals, request: T::Search) -> anyhow::Result<()> {
    let mut region = connect::region(&globals.relay).await?;
    let page = T::search(&mut region.client, request).await.map_err(|s| region.error(s))?;
    print_table(globals, &page.items, Scope::Region, &format!("no {} match", T::MANY))?;
    next_page(&page.next_page_token)
}

/// `kith region <family> ID [--hub HUB]`: every field of one listing of the region.
pub async fn show_in_region<T: Listing>(globals: &Globals, id: &str, hub: Option<String>) -> anyhow::Result<()> {
    let request = get_request(id, hub)?;
    let mut region = connect::region(&globals.relay).await?;
    let item = T::get_in_region(&mut region.client, request).await.map_err(|s| region.error(s))?;
    print_one(globals, &item, Scope::Region)
}

/// Every page of a region search, up to `max` listings, and whether more were left.
pub async fn pages<T: Listing>(
    region: &mut Region,
    mut request: T::Search,
    max: usize,
) -> anyhow::Result<(Vec<T>, bool)> {
    let mut items = Vec::new();
    loop {
        let page = T::search(&mut region.client, request.clone()).await.map_err(|s| region.error(s))?;
        items.extend(page.items);
        if page.next_page_token.is_empty() {
            return Ok((items, false));
        }
        if items.len() >= max {
            items.truncate(max);
            return Ok((items, true));
        }
        *T::page_token(&mut request) = page.next_page_token;
    }
}

/// Listings as a table, or their JSON array with `--json`.
fn print_table<T: Listing>(globals: &Globals, items: &[T], scope: Scope, empty: &str) -> anyhow::Result<()> {
    let json: Vec<T::Json> = items.iter().map(T::Json::from).collect();
    output::either(globals.json, &json, || T::table(items, scope).render(empty))
}

/// One listing's fields, or its JSON object with `--json`.
fn print_one<T: Listing>(globals: &Globals, item: &T, scope: Scope) -> anyhow::Result<()> {
    output::either(globals.json, &T::Json::from(item), || item.detail(scope))
}

/// Tells a person (on stderr, so stdout stays one JSON array) how to get the next page.
fn next_page(token: &str) -> anyhow::Result<()> {
    if !token.is_empty() {
        eprintln!("more results: repeat with --page-token {token}");
    }
    Ok(())
}

/// A lookup by id, checked here first: the id must be a ULID, the hub a hub id.
fn get_request(id: &str, hub: Option<String>) -> Result<GetRequest, ValidationError> {
    let id = convert::parse_id("id", id)?.to_string();
    let hub = match hub {
        Some(h) => kith_proto::Slug::parse("hub", h.trim())?.to_string(),
        None => String::new(),
    };
    Ok(GetRequest { id, hub })
}

/// The order of search results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SortArg {
    /// Best match first, ties newest first (newest first without --query).
    Relevance,
    /// Newest first.
    Newest,
}

impl SortArg {
    /// The order as the relay takes it; empty leaves it to the relay.
    pub fn slug(sort: Option<SortArg>) -> String {
        match sort {
            None => String::new(),
            Some(SortArg::Relevance) => "relevance".into(),
            Some(SortArg::Newest) => "newest".into(),
        }
    }
}

/// The last flags of every region search: one hub's listings, and which page.
#[derive(Debug, clap::Args)]
pub struct Paging {
    /// Only this hub's.
    #[arg(long, value_name = "HUB")]
    hub: Option<String>,
    /// At most this many (default 50, at most 500).
    #[arg(long, value_name = "N")]
    limit: Option<u32>,
    /// Continue from where a previous page ended.
    #[arg(long, value_name = "TOKEN")]
    page_token: Option<String>,
}

impl Paging {
    /// The hub to keep to; empty for every hub.
    pub fn hub(&self) -> String {
        self.hub.clone().unwrap_or_default()
    }

    /// The page size, checked here first; 0 asks the relay for its default.
    pub fn page_size(&self) -> Result<u32, ValidationError> {
        match self.limit {
            None => Ok(0),
            Some(n) => validate::range("limit", i64::from(n), 1, 500).map(|n| n as u32),
        }
    }

    /// Where the page starts; empty for the first.
    pub fn page_token(&self) -> String {
        self.page_token.clone().unwrap_or_default()
    }
}

/// The flags of a search by distance, the same for every family.
#[derive(Debug, Default, clap::Args)]
pub struct Nearness {
    /// Nearest first, from this place: a postcode district (LS6), a town (Bradford)
    /// or a name from the region's places file. What is in its area comes first,
    /// then what is nearest, each with how far away it is.
    #[arg(long, value_name = "PLACE")]
    near: Option<String>,
    /// With --near: only what is within this distance of it, e.g. 10km, 800m, 5mi.
    #[arg(long, value_name = "DISTANCE")]
    within: Option<String>,
}

impl Nearness {
    /// The place, as the relay takes it: a full postcode is cut to its district
    /// here, so that it never leaves this machine.
    pub fn near(&self) -> String {
        self.near.as_deref().map(kith_text::places::cut_postcodes).unwrap_or_default()
    }

    /// The distance in metres, checked here first; 0 for none.
    pub fn within_m(&self) -> Result<u32, ValidationError> {
        let Some(within) = &self.within else { return Ok(0) };
        if self.near.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(ValidationError::new("within", "needs --near: the place to measure from, e.g. --near LS6"));
        }
        distance_m(within).ok_or_else(|| {
            ValidationError::new("within", format!("must be a distance such as 10km, 800m or 5mi (got {within:?})"))
        })
    }
}

/// A distance with its unit (`10km`, `800 m`, `2.5mi`) in metres; None when it is
/// not one, or is 0 or beyond 1,000 km.
pub fn distance_m(text: &str) -> Option<u32> {
    let t = text.trim().to_ascii_lowercase();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (number, unit) = t.split_at(split);
    let n: f64 = number.parse().ok()?;
    let per = match unit.trim() {
        "m" | "metres" | "meters" => 1.0,
        "km" | "kilometres" | "kilometers" => 1000.0,
        "mi" | "mile" | "miles" => 1609.344,
        _ => return None,
    };
    let m = (n * per).round();
    (1.0..=1_000_000.0).contains(&m).then_some(m as u32)
}

/// How far away a listing of a search near a place is; empty when not asked.
pub fn away(distance_m: Option<u32>) -> String {
    distance_m.map(kith_words::distance_text).unwrap_or_default()
}

/// A listing's postcode district, from a relay; empty when it has none.
pub fn district(l: &Option<kith_proto::v1::Location>) -> String {
    l.as_ref().map(|l| l.district.clone()).unwrap_or_default()
}

/// Where a listing is, as JSON: its postcode district and that district's centroid
/// on the British National Grid (metres).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocationJson {
    pub district: String,
    pub easting: i32,
    pub northing: i32,
}

impl LocationJson {
    pub fn of(l: &Option<kith_proto::v1::Location>) -> Option<LocationJson> {
        l.as_ref().map(|l| LocationJson { district: l.district.clone(), easting: l.easting, northing: l.northing })
    }
}

/// A search filter as the relay takes it: checked with `parse` (which names the flag
/// in its error), trimmed; empty when not given.
pub fn filter<T>(
    value: Option<String>,
    parse: impl FnOnce(&str) -> Result<T, ValidationError>,
) -> Result<String, ValidationError> {
    match value {
        None => Ok(String::new()),
        Some(v) => {
            parse(&v)?;
            Ok(v.trim().to_owned())
        }
    }
}

/// A long text given either inline or as a file (`-` for stdin): the shell limits one
/// argument to 128 KiB, and descriptions are easier to write in an editor.
pub fn text_or_file(inline: Option<String>, file: Option<&Path>) -> anyhow::Result<Option<String>> {
    match file {
        None => Ok(inline),
        Some(p) if p == Path::new("-") => {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).context("cannot read stdin")?;
            Ok(Some(s))
        }
        Some(p) => std::fs::read_to_string(p).map(Some).with_context(|| format!("cannot read {}", p.display())),
    }
}

/// The value of a `--flag`/`--no-flag` pair: `Some(true)`, `Some(false)` or unchanged.
pub fn toggle(on: bool, off: bool) -> Option<bool> {
    match (on, off) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    }
}

/// A date as the board says it (`31 January 2027`), from its `YYYY-MM-DD`; one this
/// build cannot read is shown as it came, empty as empty.
pub fn date_words(date: &str) -> String {
    date.parse::<CivilDate>().map_or_else(|_| date.to_owned(), kith_words::date_text)
}

/// Puts a command's subcommands in their display order. `kith region` mounts the
/// families' subcommands from their files, all at one place; each says its
/// `display_order`, and this makes every list of them follow it — the one of a
/// missing-subcommand error as well as `--help`'s.
pub trait InDisplayOrder {
    fn subcommands_in_display_order(self) -> Self;
}

impl InDisplayOrder for clap::Command {
    fn subcommands_in_display_order(mut self) -> Self {
        let mut all: Vec<clap::Command> = self.get_subcommands_mut().map(std::mem::take).collect();
        // The order of `--help`, which breaks ties by name.
        all.sort_by(|a, b| (a.get_display_order(), a.get_name()).cmp(&(b.get_display_order(), b.get_name())));
        for (slot, command) in self.get_subcommands_mut().zip(all) {
            *slot = command;
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_lists_say_how_to_see_withdrawn_ones() {
        assert_eq!(none_listed("safe houses", true), "no safe houses yet");
        assert_eq!(none_listed("opportunities", false), "no opportunities (withdrawn ones are listed with --all)");
    }

    #[test]
    fn filters_are_checked_and_trimmed() {
        let parse = |v: &str| validate::range("n", v.trim().parse::<i64>().unwrap_or(-1), 0, 9);
        assert_eq!(filter(None, parse), Ok(String::new()));
        assert_eq!(filter(Some(" 7 ".into()), parse), Ok("7".into()));
        assert_eq!(filter(Some("x".into()), parse).unwrap_err().to_string(), "n: must be 0 to 9 (got -1)");
    }

    #[test]
    fn paging_checks_the_limit() {
        let paging = |limit| Paging { hub: None, limit, page_token: None };
        assert_eq!(paging(None).page_size(), Ok(0));
        assert_eq!(paging(Some(500)).page_size(), Ok(500));
        assert_eq!(paging(Some(0)).page_size().unwrap_err().to_string(), "limit: must be 1 to 500 (got 0)");
    }

    #[test]
    fn distances_have_their_unit() {
        assert_eq!(distance_m("10km"), Some(10_000));
        assert_eq!(distance_m(" 800 m "), Some(800));
        assert_eq!(distance_m("2.5km"), Some(2_500));
        assert_eq!(distance_m("5mi"), Some(8_047));
        for bad in ["10", "km", "ten km", "0km", "-3km", "2000km", "10 furlongs"] {
            assert_eq!(distance_m(bad), None, "{bad}");
        }
        let near =
            |near: Option<&str>, within: &str| Nearness { near: near.map(Into::into), within: Some(within.into()) };
        assert_eq!(near(Some("LS6"), "10km").within_m(), Ok(10_000));
        assert!(near(None, "10km").within_m().unwrap_err().to_string().contains("needs --near"));
        assert!(near(Some("LS6"), "far").within_m().unwrap_err().to_string().contains("10km, 800m or 5mi"));
        assert_eq!(Nearness { near: Some("ls6 3ab".into()), within: None }.near(), "ls6", "cut before it is sent");
    }

    #[test]
    fn dates_read_as_on_the_board() {
        assert_eq!(date_words("2027-01-31"), "31 January 2027");
        assert_eq!(date_words(""), "");
        assert_eq!(date_words("someday"), "someday");
    }

    #[test]
    fn subcommands_follow_their_display_order() {
        let command = clap::Command::new("region")
            .subcommand(clap::Command::new("mounted").display_order(2))
            .subcommand(clap::Command::new("own").display_order(1))
            .subcommand(clap::Command::new("first").display_order(0))
            .subcommand(clap::Command::new("b-tied").display_order(2))
            .subcommands_in_display_order();
        let names: Vec<&str> = command.get_subcommands().map(clap::Command::get_name).collect();
        assert_eq!(names, ["first", "own", "b-tied", "mounted"]);
        let e = command.subcommand_required(true).try_get_matches_from(["region"]).unwrap_err().to_string();
        assert!(e.contains("[subcommands: first, own, b-tied, mounted, help]"), "{e}");
    }
}
