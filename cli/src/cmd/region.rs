//! `kith region …`: what the regional relay knows, across every hub. No token: the
//! relay holds no personal data.
//!
//! This file holds `kith region`'s own subcommands (hubs, stats, export, directory,
//! roster), with the `--json` shapes and tables of hubs and stats; the families'
//! (`opportunities`, `safehouse ID`, …) are mounted from their files through the
//! registry's [`RegionFamily`].

use clap::Subcommand;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;

use super::{Globals, RegionFamily};
use crate::connect;
use crate::output::{self, Fields, Table};
use kith_proto::referral::ReferralStatus;
use kith_proto::v1::{self, ListHubsRequest, StatsRequest};
use kith_words::ago_text;

/// `kith region`'s subcommands, the families' among them. `--help` and clap's errors
/// list them in their `display_order` (the order they were added in over time): the
/// registry (`cmd/mod.rs`) puts them in that order when it mounts this.
#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(flatten)]
    Family(RegionFamily),
    /// List the region's hubs, when each was last seen and what it publishes.
    #[command(display_order = 2)]
    Hubs,
    /// The relay's counters (events applied, ignored, rejected by reason), and the
    /// region's referrals: by status, and (for the region's coordinator) how fast
    /// each hub answers those sent to it.
    #[command(display_order = 3)]
    Stats {
        /// A file holding the coordinator's token (the relay's
        /// --coordinator-token-file): per-hub referral figures are shown only with it.
        #[arg(long, env = "KITH_COORDINATOR_TOKEN_FILE", value_name = "FILE")]
        coordinator_token_file: Option<std::path::PathBuf>,
    },
    /// Write the region as open data: an HSDS 3 data package (CSV tables and
    /// datapackage.json), or the open opportunities as schema.org JobPosting JSON-LD.
    /// What the region is missing: searches on the board and helpline that found
    /// nothing, by week, area and kind or word (people; fewer than 10 are not shown),
    /// and the hours with no safe-house bed free.
    #[command(display_order = 6)]
    Needs,
    #[command(display_order = 7)]
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
    #[command(display_order = 8)]
    Directory(super::directory::Args),
    /// The region's roster, for its coordinator: the hubs and their signing keys,
    /// signed, which relays and hubs given `--roster` trust instead of first use.
    #[command(subcommand, display_order = 9)]
    Roster(super::roster::Command),
}

pub async fn run(globals: &Globals, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Family(c) => c.run(globals).await,
        Command::Export { format, out } => {
            let written = super::export::run(&globals.relay, format, &out).await?;
            output::either(globals.json, &written, || {
                let counts: Vec<String> =
                    written.counts.iter().filter(|(_, n)| **n > 0).map(|(t, n)| format!("{n} {t}")).collect();
                format!("wrote {} files to {}: {}", written.files.len(), written.dir, counts.join(", "))
            })
        }
        Command::Roster(c) => super::roster::run(globals, c),
        Command::Needs => {
            let mut region = connect::region(&globals.relay).await?;
            let needs = region
                .client
                .get_needs(kith_proto::v1::NeedsRequest {})
                .await
                .map_err(|s| region.error(s))?
                .into_inner();
            output::either(globals.json, &NeedsJson::from(&needs), || render_needs(&needs))
        }
        Command::Directory(args) => {
            let written = super::directory::run(&globals.relay, args).await?;
            output::either(globals.json, &written, || written.summary())
        }
        Command::Hubs => {
            let mut region = connect::region(&globals.relay).await?;
            let hubs = region.client.list_hubs(ListHubsRequest {}).await.map_err(|s| region.error(s))?.into_inner();
            let json: Vec<HubJson> = hubs.items.iter().map(HubJson::from).collect();
            output::either(globals.json, &json, || {
                let mut out = hub_table(&hubs.items, output::now_ms()).render("no hubs have been seen yet");
                if hubs.items.iter().any(|h| h.unplaced > 0) {
                    out.push_str(UNPLACED_NOTE);
                }
                out
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
    }
}

/// A hub as the region knows it, in `--json` output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HubJson {
    pub id: String,
    pub name: String,
    pub description: String,
    pub contact: String,
    pub helpline_hours: String,
    /// The hub's own clock at its last heartbeat; `null` if never seen.
    pub last_seen: Option<String>,
    pub opportunities: u64,
    pub safe_houses: u64,
    pub services: u64,
    /// Its pool's businesses.
    pub offers: u64,
    pub signing_key: String,
    /// The quotas the hub has used up at the relay: more of the same is refused.
    pub over_quota: Vec<String>,
    /// Events refused for its quotas since the relay started.
    pub refused_over_quota: u64,
    /// The hub left the region (`kith withdraw-all`); `last_seen` is when.
    pub left: bool,
    /// The hub's region (one of several in a national view).
    pub region: String,
    /// Whether the relay holds what the hub says it published: in-step, diverged or
    /// unknown; `diverged_since` when diverged.
    pub sync: String,
    pub diverged_since: Option<String>,
    /// Its listings whose area names no place the region knows: found by their
    /// words only, never by distance.
    pub unplaced: u64,
}

impl From<&v1::Hub> for HubJson {
    fn from(h: &v1::Hub) -> Self {
        HubJson {
            id: h.id.clone(),
            name: h.name.clone(),
            description: h.description.clone(),
            contact: h.contact.clone(),
            helpline_hours: h.helpline_hours.clone(),
            last_seen: output::instant(h.last_seen_ms),
            opportunities: h.opportunities,
            safe_houses: h.safe_houses,
            services: h.services,
            offers: h.offers,
            signing_key: h.signing_key.clone(),
            over_quota: h.over_quota.clone(),
            refused_over_quota: h.refused_over_quota,
            left: h.left,
            region: h.region.clone(),
            sync: h.sync.clone(),
            diverged_since: output::instant(h.diverged_since_ms),
            unplaced: h.unplaced,
        }
    }
}

/// The relay's ingest counters in `--json` output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatsJson {
    pub applied: u64,
    pub ignored: u64,
    pub rejected: BTreeMap<String, u64>,
    pub hubs: u64,
    pub opportunities: u64,
    pub safe_houses: u64,
    pub services: u64,
    /// The pools' businesses.
    pub offers: u64,
    /// Referrals in the region by current status (the relay sees metadata only).
    pub referrals_by_status: BTreeMap<String, u64>,
    /// Per receiving hub, by hub id: for the region's coordinator only.
    pub referral_hubs: Vec<HubReferralsJson>,
    /// True when the relay left `referral_hubs` out (no coordinator's token).
    pub referral_hubs_withheld: bool,
}

/// How one hub answers the referrals sent to it, in `--json` output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HubReferralsJson {
    pub hub: String,
    pub received: u64,
    /// Accepted or declined.
    pub answered: u64,
    /// Median time from sending to the first answer; 0 when none is answered.
    pub median_first_answer_ms: i64,
}

impl From<&v1::Stats> for StatsJson {
    fn from(s: &v1::Stats) -> Self {
        StatsJson {
            applied: s.applied,
            ignored: s.ignored,
            rejected: s.rejected.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            hubs: s.hubs,
            opportunities: s.opportunities,
            safe_houses: s.safe_houses,
            services: s.services,
            offers: s.offers,
            referrals_by_status: s.referrals_by_status.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            referral_hubs: s
                .referral_hubs
                .iter()
                .map(|h| HubReferralsJson {
                    hub: h.hub.clone(),
                    received: h.received,
                    answered: h.answered,
                    median_first_answer_ms: h.median_first_answer_ms,
                })
                .collect(),
            referral_hubs_withheld: s.referral_hubs_withheld,
        }
    }
}

/// What `kith region hubs` says under its table when some listings have no place.
const UNPLACED_NOTE: &str = "\n\nNO PLACE: listings whose area names no place the region knows. They are found \
     by their words, never by distance (\"near here\"). Give their area a postcode district (Leeds LS6) or a \
     town, or name the place in the region's places file (kith-relay --places).";

fn hub_table(items: &[v1::Hub], now_ms: i64) -> Table {
    let quotas = items.iter().any(|h| !h.over_quota.is_empty() || h.refused_over_quota > 0);
    let unplaced = items.iter().any(|h| h.unplaced > 0);
    let mut head =
        vec!["ID", "NAME", "OPPORTUNITIES", "SAFE HOUSES", "SERVICES", "BUSINESSES", "LAST SEEN", "IN STEP", "CONTACT"];
    if unplaced {
        head.push("NO PLACE");
    }
    if quotas {
        head.push("OVER QUOTA");
    }
    let mut t = Table::new(&head);
    for h in items {
        let mut row = vec![
            h.id.clone(),
            h.name.clone(),
            h.opportunities.to_string(),
            h.safe_houses.to_string(),
            h.services.to_string(),
            h.offers.to_string(),
            if h.left {
                format!("left {}", ago_text(h.last_seen_ms, now_ms))
            } else {
                ago_text(h.last_seen_ms, now_ms)
            },
            match h.sync.as_str() {
                "in-step" => "yes".to_owned(),
                "diverged" => format!("diverged {}", ago_text(h.diverged_since_ms, now_ms)),
                _ => "-".to_owned(),
            },
            h.contact.clone(),
        ];
        if unplaced {
            row.push(h.unplaced.to_string());
        }
        if quotas {
            row.push(quota_text(h));
        }
        t.row(row);
    }
    t
}

/// The quotas a hub has used up, and how many of its events were refused: `-` for none.
fn quota_text(h: &v1::Hub) -> String {
    match (h.over_quota.is_empty(), h.refused_over_quota) {
        (true, 0) => "-".to_owned(),
        (true, n) => format!("{n} refused"),
        (false, n) => format!("{} ({n} refused)", h.over_quota.join(", ")),
    }
}

fn render_stats(s: &v1::Stats) -> String {
    let mut f = Fields::new();
    f.add("hubs", s.hubs.to_string())
        .add("opportunities", s.opportunities.to_string())
        .add("safe houses", s.safe_houses.to_string())
        .add("services", s.services.to_string())
        .add("businesses", s.offers.to_string())
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
    use serde_json::json;

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

    #[test]
    fn stats_json_carries_referral_counts() {
        let mut s = v1::Stats { applied: 3, ..Default::default() };
        s.referrals_by_status.insert("accepted".into(), 2);
        s.referral_hubs.push(v1::HubReferralStats {
            hub: "rainbow-house".into(),
            received: 2,
            answered: 2,
            median_first_answer_ms: 60_000,
        });
        let v = serde_json::to_value(StatsJson::from(&s)).unwrap();
        assert_eq!(v["applied"], 3);
        assert_eq!(v["referrals_by_status"], json!({"accepted": 2}));
        assert_eq!(
            v["referral_hubs"],
            json!([{"hub": "rainbow-house", "received": 2, "answered": 2, "median_first_answer_ms": 60_000}])
        );
    }

    #[test]
    fn hubs_are_last_seen_as_on_the_board() {
        let now = 1_795_694_400_000;
        let hub = |last_seen_ms, left, sync: &str| v1::Hub {
            id: "peer-garden".into(),
            last_seen_ms,
            left,
            sync: sync.into(),
            diverged_since_ms: now - 7_530_000,
            ..Default::default()
        };
        let t = hub_table(
            &[hub(now - 45_000, false, "in-step"), hub(now - 7_530_000, true, "diverged"), hub(0, false, "")],
            now,
        )
        .render("");
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[1].contains("  just now          yes  "), "{t}");
        assert!(lines[2].contains("  left 2 hours ago  diverged 2 hours ago  "), "{t}");
        assert!(lines[3].contains("  never             -  "), "{t}");
    }
}

/// What the region is missing, in `--json` output.
#[derive(Debug, Serialize)]
struct NeedsJson {
    threshold: u32,
    licence: String,
    weeks: Vec<NeedWeekJson>,
}

#[derive(Debug, Serialize)]
struct NeedWeekJson {
    week: String,
    kinds: Vec<NeedFigureJson>,
    area_totals: Vec<NeedFigureJson>,
    kind_totals: Vec<NeedFigureJson>,
    terms: Vec<NeedFigureJson>,
    no_bed: Vec<NoBedJson>,
    unmet_work: Vec<UnmetJson>,
}

#[derive(Debug, Serialize)]
struct UnmetJson {
    work: String,
    reason: String,
    jobs: u32,
}

#[derive(Debug, Serialize)]
struct NeedFigureJson {
    area: String,
    what: String,
    /// `null` where hidden.
    people: Option<u32>,
}

#[derive(Debug, Serialize)]
struct NoBedJson {
    area: String,
    group: String,
    hours: f64,
}

impl From<&kith_proto::v1::Needs> for NeedsJson {
    fn from(n: &kith_proto::v1::Needs) -> NeedsJson {
        let figures = |f: &[kith_proto::v1::NeedFigure]| {
            f.iter().map(|f| NeedFigureJson { area: f.area.clone(), what: f.what.clone(), people: f.people }).collect()
        };
        NeedsJson {
            threshold: n.threshold,
            licence: n.licence.clone(),
            weeks: n
                .weeks
                .iter()
                .map(|w| NeedWeekJson {
                    week: w.week.clone(),
                    kinds: figures(&w.kinds),
                    area_totals: figures(&w.area_totals),
                    kind_totals: figures(&w.kind_totals),
                    terms: figures(&w.terms),
                    no_bed: w
                        .no_bed
                        .iter()
                        .map(|b| NoBedJson { area: b.area.clone(), group: b.group.clone(), hours: b.hours })
                        .collect(),
                    unmet_work: w
                        .unmet_work
                        .iter()
                        .map(|u| UnmetJson { work: u.work.clone(), reason: u.reason.clone(), jobs: u.jobs })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// One table of the week's figures that are shown, newest week first.
fn render_needs(n: &kith_proto::v1::Needs) -> String {
    let mut t = Table::new(&["WEEK", "AREA", "LOOKED FOR", "PEOPLE"]);
    for w in &n.weeks {
        for f in w.kinds.iter().chain(&w.terms).filter(|f| f.people.is_some()) {
            t.row(vec![w.week.clone(), f.area.clone(), f.what.clone(), f.people.unwrap_or_default().to_string()]);
        }
        for b in &w.no_bed {
            t.row(vec![
                w.week.clone(),
                b.area.clone(),
                format!("a bed ({}): hours with none free", b.group),
                format!("{:.1} h", b.hours),
            ]);
        }
        for u in &w.unmet_work {
            t.row(vec![
                w.week.clone(),
                String::new(),
                format!("work no pool could take: {} ({})", u.work, u.reason.replace('-', " ")),
                format!("{} job{}", u.jobs, if u.jobs == 1 { "" } else { "s" }),
            ]);
        }
    }
    let mut out = t.render(&format!("nothing to show in the last {} weeks", n.weeks.len()));
    out.push_str(&format!(
        "\nPeople, each once a day; a figure of fewer than {} is not shown, nor one a total would give away. {}.\n",
        n.threshold, n.licence
    ));
    out
}
