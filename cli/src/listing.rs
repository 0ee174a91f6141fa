//! How listings look outside the program: the JSON objects of `--json` and the rows
//! and detail blocks of the tables. A hub's own listings (`kith opportunity list`)
//! and the region's (`kith region opportunities`) share these shapes, so a script
//! written against one reads the other.
//!
//! The gRPC messages have no serde; these structs are the CLI's JSON contract and
//! name fields as a person would (`for`, not `for_tags`; instants as RFC 3339).
//! Tables and `show` blocks say pay, hours, dates, ages and who a house is for in
//! the board's and the printed directory's words (`kith-words`); the JSON keeps its
//! own values, for scripts.

use serde::Serialize;
use std::collections::BTreeMap;

use crate::output::{self, Fields, Table};
use kith_proto::domain::{ForTag, Pay};
use kith_proto::time::CivilDate;
use kith_proto::v1;
use kith_words::{ago_text, date_text, hours_text};

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
            closes_on: non_empty(&o.closes_on),
            seq: o.seq,
            updated_at: output::instant(o.updated_at_ms),
        }
    }
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
            signing_key: h.signing_key.clone(),
            over_quota: h.over_quota.clone(),
            refused_over_quota: h.refused_over_quota,
            left: h.left,
            region: h.region.clone(),
            sync: h.sync.clone(),
            diverged_since: output::instant(h.diverged_since_ms),
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

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// Beds free now, or `None` when unknown or stale: the old number is never shown.
fn beds_free(s: &v1::SafeHouse) -> Option<u32> {
    s.availability.as_ref().filter(|a| !a.stale).and_then(|a| a.beds_free)
}

/// Pay as the board says it: `£12.21 an hour`, `Unpaid, expenses paid`. Pay this
/// build cannot read (a newer peer's unit) is shown as it came.
pub fn pay_text(pay: Option<&v1::Pay>, expenses_paid: bool) -> String {
    match pay.map(|p| Pay::paid(i64::from(p.pence), &p.per).map_err(|_| p)) {
        None => kith_words::pay_text(Pay::Unpaid, expenses_paid),
        Some(Ok(pay)) => kith_words::pay_text(pay, expenses_paid),
        Some(Err(p)) => {
            let expenses = if expenses_paid { ", expenses paid" } else { "" };
            format!("{} per {}{expenses}", kith_words::pounds(u64::from(p.pence)), p.per)
        }
    }
}

/// A date as the board says it (`31 January 2027`), from its `YYYY-MM-DD`; one this
/// build cannot read is shown as it came, empty as empty.
pub fn date_words(date: &str) -> String {
    date.parse::<CivilDate>().map_or_else(|_| date.to_owned(), date_text)
}

fn area_text(area: &str, remote: bool) -> String {
    if remote { format!("{area} or from home") } else { area.to_owned() }
}

/// `2`, or `unknown` when never reported or stale.
pub fn beds_free_text(s: &v1::SafeHouse) -> String {
    beds_free(s).map_or_else(|| "unknown".to_owned(), |n| n.to_string())
}

/// Who a house is for, as the board says it: `anyone`, `women, LGBTQ+ people`. Tags
/// this build does not know (a newer peer's) are shown as they came.
fn for_text(tags: &[String]) -> String {
    match tags.iter().map(|t| ForTag::parse("for", t)).collect::<Result<Vec<_>, _>>() {
        Ok(tags) => kith_words::for_text(&tags),
        Err(_) => tags.join(", "),
    }
}

/// Which columns a listing table shows: the hub column only for region results,
/// the status column only for a hub's own listings (the region shows open ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Hub,
    Region,
}

pub fn opportunity_table(items: &[v1::Opportunity], scope: Scope) -> Table {
    let mut t = match scope {
        Scope::Hub => Table::new(&["ID", "STATUS", "KIND", "SECTOR", "TITLE", "AREA", "PAY", "CLOSES"]),
        Scope::Region => Table::new(&["ID", "HUB", "KIND", "SECTOR", "TITLE", "AREA", "PAY", "CLOSES"]),
    };
    for o in items {
        let second = if scope == Scope::Hub { o.status.clone() } else { o.hub.clone() };
        t.row(vec![
            o.id.clone(),
            second,
            o.kind.clone(),
            o.sector.clone(),
            o.title.clone(),
            area_text(&o.area, o.remote),
            pay_text(o.pay.as_ref(), o.expenses_paid),
            date_words(&o.closes_on),
        ]);
    }
    t
}

pub fn safehouse_table(items: &[v1::SafeHouse], scope: Scope) -> Table {
    let mut t = match scope {
        Scope::Hub => Table::new(&["ID", "STATUS", "NAME", "AREA", "FOR", "BEDS", "FREE"]),
        Scope::Region => Table::new(&["ID", "HUB", "NAME", "AREA", "FOR", "BEDS", "FREE"]),
    };
    for s in items {
        let second = if scope == Scope::Hub { s.status.clone() } else { s.hub.clone() };
        t.row(vec![
            s.id.clone(),
            second,
            s.name.clone(),
            s.area.clone(),
            for_text(&s.for_tags),
            s.beds_total.to_string(),
            beds_free_text(s),
        ]);
    }
    t
}

pub fn hub_table(items: &[v1::Hub], now_ms: i64) -> Table {
    let quotas = items.iter().any(|h| !h.over_quota.is_empty() || h.refused_over_quota > 0);
    let mut head = vec!["ID", "NAME", "OPPORTUNITIES", "SAFE HOUSES", "SERVICES", "LAST SEEN", "IN STEP", "CONTACT"];
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

/// Every field of one opportunity, for `show`.
pub fn opportunity_detail(o: &v1::Opportunity) -> String {
    let hours = o.hours_per_week.map(hours_text).unwrap_or_default();
    let mut f = Fields::new();
    f.add("id", &o.id)
        .add("hub", &o.hub)
        .add("title", &o.title)
        .add("status", &o.status)
        .add("kind", &o.kind)
        .add("sector", &o.sector)
        .add("area", &o.area)
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

/// Every field of one safe house, for `show`.
pub fn safehouse_detail(s: &v1::SafeHouse, now_ms: i64) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        let t = safehouse_table(&[safehouse(Some(stale)), safehouse(None)], Scope::Region).render("");
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(
            lines[0],
            "ID                          HUB           NAME                AREA      FOR    BEDS  FREE"
        );
        assert!(lines[1].ends_with("women  6     unknown"), "{t}");
        assert!(lines[2].ends_with("unknown"), "{t}");
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
    fn dates_and_who_for_read_as_on_the_board() {
        assert_eq!(date_words("2027-01-31"), "31 January 2027");
        assert_eq!(date_words(""), "");
        assert_eq!(date_words("someday"), "someday");
        assert_eq!(for_text(&[]), "anyone");
        assert_eq!(for_text(&["women".into(), "lgbtq".into()]), "women, LGBTQ+ people");
        assert_eq!(for_text(&["women".into(), "cats".into()]), "women, cats");
    }

    #[test]
    fn opportunity_rows_per_scope() {
        let hub = opportunity_table(&[opportunity()], Scope::Hub).render("");
        assert!(hub.starts_with("ID                          STATUS  KIND"), "{hub}");
        let closing = v1::Opportunity { remote: true, closes_on: "2027-01-31".into(), ..opportunity() };
        let region = opportunity_table(&[closing], Scope::Region).render("");
        assert!(region.contains("peer-garden  paid-job  ordinary  Market garden assistant"), "{region}");
        assert!(region.contains("Leeds LS6 or from home  £12.21 an hour, expenses paid  31 January 2027"), "{region}");
    }

    #[test]
    fn opportunity_detail_says_hours_pay_and_dates_in_words() {
        let o = v1::Opportunity { closes_on: "2027-01-31".into(), ..opportunity() };
        let d = opportunity_detail(&o);
        assert!(d.contains("hours             16 hours a week\n"), "{d}");
        assert!(d.contains("pay               £12.21 an hour, expenses paid\n"), "{d}");
        assert!(d.contains("closes            31 January 2027\n"), "{d}");
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
        let d = safehouse_detail(&safehouse(Some(fresh)), now);
        assert!(d.contains("for                women\n"), "{d}");
        assert!(d.contains("availability       2 of 6 beds free (reported 3 minutes ago, valid until"), "{d}");
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
