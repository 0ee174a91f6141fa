//! `kith region …`: what the regional relay knows, across every hub. No token: the
//! relay holds no personal data.

use clap::Subcommand;
use std::time::Duration;

use super::Globals;
use crate::connect;
use crate::listing::{self, HubJson, OpportunityJson, SafeHouseJson, Scope, StatsJson};
use crate::output::{self, Fields, Table};
use crate::services::{self, ServiceJson};
use kith_proto::domain::{ForTag, OpportunityKind, Sector};
use kith_proto::referral::ReferralStatus;
use kith_proto::service::Category;
use kith_proto::v1::{self, GetRequest, ListHubsRequest, StatsRequest};
use kith_proto::validate::{self, ValidationError};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Search open opportunities across the region.
    Opportunities(OpportunitiesArgs),
    /// List safe houses across the region, with beds free now.
    Safehouses(SafehousesArgs),
    /// List the region's hubs, when each was last seen and what it publishes.
    Hubs,
    /// The relay's counters (events applied, ignored, rejected by reason), and the
    /// region's referrals: by status, and (for the region's coordinator) how fast
    /// each hub answers those sent to it.
    Stats {
        /// A file holding the coordinator's token (the relay's
        /// --coordinator-token-file): per-hub referral figures are shown only with it.
        #[arg(long, env = "KITH_COORDINATOR_TOKEN_FILE", value_name = "FILE")]
        coordinator_token_file: Option<std::path::PathBuf>,
    },
    /// Show every field of one opportunity, including how to apply.
    Opportunity {
        /// The opportunity's id.
        id: String,
        /// The hub that published it: needed only when several hubs use the id.
        #[arg(long, value_name = "HUB")]
        hub: Option<String>,
    },
    /// Search the region's directory of services: employment support, benefits
    /// advice, food, peer support…
    Services(ServicesArgs),
    /// Show every field of one service, with its hours and whether it is open now.
    Service {
        /// The service's id.
        id: String,
        /// The hub that lists it: needed only when several hubs use the id.
        #[arg(long, value_name = "HUB")]
        hub: Option<String>,
    },
    /// Write the region as open data: an HSDS 3 data package (CSV tables and
    /// datapackage.json), or the open opportunities as schema.org JobPosting JSON-LD.
    Export {
        /// hsds (Open Referral, for directory tools) or jobposting (for job boards).
        #[arg(long, value_enum)]
        format: super::export::Format,
        /// The directory to write into (created if missing; files in it are replaced).
        #[arg(long, value_name = "DIR")]
        out: std::path::PathBuf,
    },
    /// Write a printable directory of the region: a title page with the date, contents,
    /// sections by kind and area, how to get in touch with each, an index of hubs. A
    /// tagged PDF (for screen readers too), or one HTML page with --format html.
    Directory(super::directory::Args),
    /// The region's roster, for its coordinator: the hubs and their signing keys,
    /// signed, which relays and hubs given `--roster` trust instead of first use.
    #[command(subcommand)]
    Roster(super::roster::Command),
    /// Show every field of one safe house.
    Safehouse {
        /// The safe house's id.
        id: String,
        /// The hub that published it: needed only when several hubs use the id.
        #[arg(long, value_name = "HUB")]
        hub: Option<String>,
    },
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
    fn slug(sort: Option<SortArg>) -> String {
        match sort {
            None => String::new(),
            Some(SortArg::Relevance) => "relevance".into(),
            Some(SortArg::Newest) => "newest".into(),
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct OpportunitiesArgs {
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

#[derive(Debug, clap::Args)]
pub struct SafehousesArgs {
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

#[derive(Debug, clap::Args)]
pub struct ServicesArgs {
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

pub async fn run(globals: &Globals, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Opportunities(args) => {
            let request = search_request(args)?;
            let mut region = connect::region(&globals.relay).await?;
            let page = region.client.search_opportunities(request).await.map_err(|s| region.error(s))?.into_inner();
            let json: Vec<OpportunityJson> = page.items.iter().map(OpportunityJson::from).collect();
            output::either(globals.json, &json, || {
                listing::opportunity_table(&page.items, Scope::Region).render("no opportunities match")
            })?;
            next_page(&page.next_page_token)
        }
        Command::Safehouses(args) => {
            let request = safehouses_request(args)?;
            let mut region = connect::region(&globals.relay).await?;
            let page = region.client.list_safe_houses(request).await.map_err(|s| region.error(s))?.into_inner();
            let json: Vec<SafeHouseJson> = page.items.iter().map(SafeHouseJson::from).collect();
            output::either(globals.json, &json, || {
                listing::safehouse_table(&page.items, Scope::Region).render("no safe houses match")
            })?;
            next_page(&page.next_page_token)
        }
        Command::Services(args) => {
            let request = services_request(args)?;
            let mut region = connect::region(&globals.relay).await?;
            let page = region.client.search_services(request).await.map_err(|s| region.error(s))?.into_inner();
            let json: Vec<ServiceJson> = page.items.iter().map(ServiceJson::from).collect();
            output::either(globals.json, &json, || {
                services::service_table(&page.items, Scope::Region).render("no services match")
            })?;
            next_page(&page.next_page_token)
        }
        Command::Service { id, hub } => {
            let request = get_request(&id, hub)?;
            let mut region = connect::region(&globals.relay).await?;
            let s = region.client.get_service(request).await.map_err(|s| region.error(s))?.into_inner();
            output::either(globals.json, &ServiceJson::from(&s), || services::service_detail(&s, Scope::Region))
        }
        Command::Export { format, out } => {
            let written = super::export::run(&globals.relay, format, &out).await?;
            output::either(globals.json, &written, || {
                let counts: Vec<String> =
                    written.counts.iter().filter(|(_, n)| **n > 0).map(|(t, n)| format!("{n} {t}")).collect();
                format!("wrote {} files to {}: {}", written.files.len(), written.dir, counts.join(", "))
            })
        }
        Command::Roster(c) => super::roster::run(globals, c),
        Command::Directory(args) => {
            let written = super::directory::run(&globals.relay, args).await?;
            output::either(globals.json, &written, || written.summary())
        }
        Command::Hubs => {
            let mut region = connect::region(&globals.relay).await?;
            let hubs = region.client.list_hubs(ListHubsRequest {}).await.map_err(|s| region.error(s))?.into_inner();
            let json: Vec<HubJson> = hubs.items.iter().map(HubJson::from).collect();
            output::either(globals.json, &json, || {
                listing::hub_table(&hubs.items, output::now_ms()).render("no hubs have been seen yet")
            })
        }
        Command::Stats { coordinator_token_file } => {
            let mut request = tonic::Request::new(StatsRequest {});
            if let Some(path) = &coordinator_token_file {
                let token = std::fs::read_to_string(path)
                    .map_err(|e| anyhow::anyhow!("--coordinator-token-file {}: {e}", path.display()))?;
                let value = format!("Bearer {}", token.trim())
                    .parse()
                    .map_err(|_| anyhow::anyhow!("--coordinator-token-file {}: not a token", path.display()))?;
                request.metadata_mut().insert("authorization", value);
            }
            let mut region = connect::region(&globals.relay).await?;
            let stats = region.client.get_stats(request).await.map_err(|s| region.error(s))?.into_inner();
            output::either(globals.json, &StatsJson::from(&stats), || render_stats(&stats))
        }
        Command::Opportunity { id, hub } => {
            let request = get_request(&id, hub)?;
            let mut region = connect::region(&globals.relay).await?;
            let o = region.client.get_opportunity(request).await.map_err(|s| region.error(s))?.into_inner();
            output::either(globals.json, &OpportunityJson::from(&o), || listing::opportunity_detail(&o))
        }
        Command::Safehouse { id, hub } => {
            let request = get_request(&id, hub)?;
            let mut region = connect::region(&globals.relay).await?;
            let s = region.client.get_safe_house(request).await.map_err(|s| region.error(s))?.into_inner();
            output::either(globals.json, &SafeHouseJson::from(&s), || listing::safehouse_detail(&s, output::now_ms()))
        }
    }
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
    let id = kith_proto::convert::parse_id("id", id)?.to_string();
    let hub = match hub {
        Some(h) => kith_proto::Slug::parse("hub", h.trim())?.to_string(),
        None => String::new(),
    };
    Ok(GetRequest { id, hub })
}

fn limit(n: Option<u32>) -> Result<u32, ValidationError> {
    match n {
        None => Ok(0),
        Some(n) => validate::range("limit", i64::from(n), 1, 500).map(|n| n as u32),
    }
}

fn search_request(a: OpportunitiesArgs) -> anyhow::Result<v1::SearchOpportunitiesRequest> {
    if let Some(k) = &a.kind {
        OpportunityKind::parse("kind", k)?;
    }
    if let Some(s) = &a.sector {
        Sector::parse("sector", s)?;
    }
    Ok(v1::SearchOpportunitiesRequest {
        query: a.query.unwrap_or_default(),
        kind: a.kind.map(|k| k.trim().to_owned()).unwrap_or_default(),
        sector: a.sector.map(|s| s.trim().to_owned()).unwrap_or_default(),
        area: a.area.unwrap_or_default(),
        remote_only: a.remote,
        paid_only: a.paid,
        include_closed: a.include_closed,
        hub: a.hub.unwrap_or_default(),
        page_size: limit(a.limit)?,
        page_token: a.page_token.unwrap_or_default(),
        sort: SortArg::slug(a.sort),
        within_earnings_limit: a.within_earnings_limit,
    })
}

fn safehouses_request(a: SafehousesArgs) -> anyhow::Result<v1::ListSafeHousesRequest> {
    if let Some(t) = &a.for_tag {
        ForTag::parse("for", t)?;
    }
    Ok(v1::ListSafeHousesRequest {
        for_tag: a.for_tag.map(|t| t.trim().to_owned()).unwrap_or_default(),
        area: a.area.unwrap_or_default(),
        available_now: a.available,
        hub: a.hub.unwrap_or_default(),
        page_size: limit(a.limit)?,
        page_token: a.page_token.unwrap_or_default(),
        query: a.query.unwrap_or_default(),
        sort: SortArg::slug(a.sort),
    })
}

fn services_request(a: ServicesArgs) -> anyhow::Result<v1::SearchServicesRequest> {
    if let Some(c) = &a.category {
        Category::parse("category", c)?;
    }
    if let Some(s) = &a.sector {
        Sector::parse("sector", s)?;
    }
    Ok(v1::SearchServicesRequest {
        query: a.query.unwrap_or_default(),
        category: a.category.map(|c| c.trim().to_owned()).unwrap_or_default(),
        sector: a.sector.map(|s| s.trim().to_owned()).unwrap_or_default(),
        area: a.area.unwrap_or_default(),
        free_only: a.free,
        open_now: a.open_now,
        include_inactive: a.include_inactive,
        hub: a.hub.unwrap_or_default(),
        page_size: limit(a.limit)?,
        page_token: a.page_token.unwrap_or_default(),
        sort: SortArg::slug(a.sort),
    })
}

fn render_stats(s: &v1::Stats) -> String {
    let mut f = Fields::new();
    f.add("hubs", s.hubs.to_string())
        .add("opportunities", s.opportunities.to_string())
        .add("safe houses", s.safe_houses.to_string())
        .add("services", s.services.to_string())
        .add("events applied", s.applied.to_string())
        .add("events ignored", format!("{} (already seen: redelivery is harmless)", s.ignored));
    let total: u64 = s.rejected.values().sum();
    f.add("events rejected", total.to_string());
    let referrals: u64 = s.referrals_by_status.values().sum();
    f.add("referrals", referrals.to_string());
    let mut out = f.render();
    if total > 0 {
        let mut reasons: Vec<(&String, &u64)> = s.rejected.iter().filter(|(_, n)| **n > 0).collect();
        reasons.sort();
        let mut t = Table::new(&["REJECTED BECAUSE", "EVENTS"]);
        for (reason, n) in reasons {
            t.row(vec![reason.clone(), n.to_string()]);
        }
        out.push_str("\n\n");
        out.push_str(&t.render(""));
    }
    if referrals > 0 {
        out.push_str("\n\n");
        out.push_str(&render_referral_stats(s));
    }
    out
}

/// Referral counts by status, then per receiving hub how fast it answers.
fn render_referral_stats(s: &v1::Stats) -> String {
    // In the order of the lifecycle, then any status this build does not know.
    let order = |status: &str| ReferralStatus::parse("status", status).map_or(usize::MAX, |s| s as usize);
    let mut by_status: Vec<(&String, &u64)> = s.referrals_by_status.iter().filter(|(_, n)| **n > 0).collect();
    by_status.sort_by_key(|(status, _)| (order(status), status.as_str()));
    let mut t = Table::new(&["REFERRAL STATUS", "REFERRALS"]);
    for (status, n) in by_status {
        t.row(vec![status.clone(), n.to_string()]);
    }
    let mut hubs = Table::new(&["RECEIVING HUB", "RECEIVED", "ANSWERED", "MEDIAN TIME TO FIRST ANSWER"]);
    for h in &s.referral_hubs {
        hubs.row(vec![
            h.hub.clone(),
            h.received.to_string(),
            h.answered.to_string(),
            answer_time(h.median_first_answer_ms, h.answered),
        ]);
    }
    if s.referral_hubs_withheld {
        return format!(
            "{}\n\nPer receiving hub: for the region's coordinator only (--coordinator-token-file).",
            t.render("")
        );
    }
    format!("{}\n\n{}", t.render(""), hubs.render(""))
}

/// A time to first answer as a person reads it: `1m 30s`, `2h 5m`; `-` for none.
pub fn answer_time(ms: i64, answered: u64) -> String {
    if answered == 0 {
        return "-".to_owned();
    }
    let secs = (ms.max(0) / 1000) as u64;
    let rounded = match secs {
        0..3600 => secs,
        3600..86_400 => secs / 60 * 60,
        _ => secs / 3600 * 3600,
    };
    humantime::format_duration(Duration::from_secs(rounded)).to_string()
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
        Cli::try_parse_from(std::iter::once("region").chain(args.iter().copied())).unwrap().command
    }

    #[test]
    fn search_flags_become_the_request() {
        let Command::Opportunities(a) = parse(&[
            "opportunities",
            "--query",
            "gardening",
            "--kind",
            "paid-job",
            "--remote",
            "--paid",
            "--limit",
            "10",
        ]) else {
            panic!()
        };
        let r = search_request(a).unwrap();
        assert_eq!(r.query, "gardening");
        assert_eq!(r.kind, "paid-job");
        assert!(r.remote_only && r.paid_only && !r.include_closed);
        assert_eq!(r.page_size, 10);
        assert_eq!(r.sort, "", "the relay decides the default order");
        let Command::Opportunities(a) = parse(&["opportunities", "-q", "bike", "--sort", "newest"]) else { panic!() };
        assert_eq!(search_request(a).unwrap().sort, "newest");
        let Command::Safehouses(a) = parse(&["safehouses", "--query", "quiet", "--sort", "relevance"]) else {
            panic!()
        };
        let r = safehouses_request(a).unwrap();
        assert_eq!((r.query.as_str(), r.sort.as_str()), ("quiet", "relevance"));
        let e = Cli::try_parse_from(["region", "opportunities", "--sort", "best"]).unwrap_err().to_string();
        assert!(e.contains("invalid value 'best' for '--sort"), "{e}");
    }

    #[test]
    fn bad_filters_are_named() {
        let Command::Opportunities(a) = parse(&["opportunities", "--kind", "astronaut"]) else { panic!() };
        assert!(search_request(a).unwrap_err().to_string().starts_with("kind: unknown value"));
        let Command::Opportunities(a) = parse(&["opportunities", "--limit", "501"]) else { panic!() };
        assert_eq!(search_request(a).unwrap_err().to_string(), "limit: must be 1 to 500 (got 501)");
        let Command::Safehouses(a) = parse(&["safehouses", "--for", "cats"]) else { panic!() };
        assert!(safehouses_request(a).unwrap_err().to_string().starts_with("for: unknown value"));
        let Command::Safehouses(a) = parse(&["safehouses", "--for", "women", "--available"]) else { panic!() };
        let r = safehouses_request(a).unwrap();
        assert_eq!((r.for_tag.as_str(), r.available_now), ("women", true));
    }

    #[test]
    fn answer_times_read_like_durations() {
        assert_eq!(answer_time(0, 0), "-");
        assert_eq!(answer_time(0, 1), "0s");
        assert_eq!(answer_time(90_500, 2), "1m 30s");
        assert_eq!(answer_time(7_530_000, 1), "2h 5m");
        assert_eq!(answer_time(2 * 86_400_000 + 3_700_000, 1), "2days 1h");
    }

    #[test]
    fn stats_show_referrals_by_status_and_per_receiving_hub() {
        let mut s = v1::Stats::default();
        assert!(render_stats(&s).ends_with("referrals        0"), "{}", render_stats(&s));
        assert!(!render_stats(&s).contains("REFERRAL STATUS"));
        s.referrals_by_status.insert("completed".into(), 1);
        s.referrals_by_status.insert("sent".into(), 2);
        s.referrals_by_status.insert("accepted".into(), 3);
        s.referral_hubs.push(v1::HubReferralStats {
            hub: "rainbow-house".into(),
            received: 6,
            answered: 4,
            median_first_answer_ms: 5_400_000,
        });
        s.referral_hubs.push(v1::HubReferralStats { hub: "zine-club".into(), received: 0, ..Default::default() });
        let t = render_stats(&s);
        let statuses: Vec<&str> =
            t.lines().skip_while(|l| !l.starts_with("REFERRAL STATUS")).skip(1).take_while(|l| !l.is_empty()).collect();
        assert_eq!(statuses, ["sent             2", "accepted         3", "completed        1"], "{t}");
        assert!(t.contains("referrals        6"), "{t}");
        assert!(t.contains("RECEIVING HUB  RECEIVED  ANSWERED  MEDIAN TIME TO FIRST ANSWER"), "{t}");
        assert!(t.contains("rainbow-house  6         4         1h 30m"), "{t}");
        assert!(t.contains("zine-club      0         0         -"), "{t}");
    }

    #[test]
    fn stats_list_rejections_by_reason() {
        let mut s = v1::Stats { applied: 10, ignored: 2, hubs: 3, ..Default::default() };
        assert!(!render_stats(&s).contains("REJECTED BECAUSE"));
        s.rejected.insert("bad-signature".into(), 4);
        s.rejected.insert("subject-mismatch".into(), 1);
        let t = render_stats(&s);
        assert!(t.contains("events rejected  5"), "{t}");
        assert!(t.contains("bad-signature     4"), "{t}");
    }
}
