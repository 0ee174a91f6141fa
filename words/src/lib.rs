//! Listings said plainly, in the same words everywhere people read them: on the
//! relay's board, in the printed directory (`kith-directory`), in the tables and
//! `show` blocks of the `kith` command line, and in the descriptions of open data
//! (`kith-opendata`). `£12.21 an hour`, `16 hours a week`, `31 January 2027`,
//! `updated 12 minutes ago`.
//!
//! Words only: nothing here is read back by a program, so wording can change
//! without a format changing (the CLI's `--json` keeps its own shapes).

use kith_proto::domain::{ForTag, OpportunityKind, Pay, PayPer};
use kith_proto::service::{Schedule, Weekday};
use kith_proto::time::CivilDate;

/// An amount of money in pence, as people say it: `£195.50`, `£25`.
pub fn pounds(pence: u64) -> String {
    if pence.is_multiple_of(100) {
        format!("£{}", pence / 100)
    } else {
        format!("£{}.{:02}", pence / 100, pence % 100)
    }
}

/// Pay as people say it: `£12.21 an hour`, `£50 a session`, `Unpaid, expenses paid`.
pub fn pay_text(pay: Pay, expenses_paid: bool) -> String {
    let expenses = if expenses_paid { ", expenses paid" } else { "" };
    match pay {
        Pay::Unpaid => format!("Unpaid{expenses}"),
        Pay::Paid { pence, per } => {
            let amount = pounds(u64::from(pence));
            let per = match per {
                PayPer::Hour => "an hour",
                PayPer::Session => "a session",
                PayPer::Day => "a day",
            };
            format!("{amount} {per}{expenses}")
        }
    }
}

/// `16 hours a week`, `7.5 hours a week`.
pub fn hours_text(hours: f32) -> String {
    let h = if hours.fract() == 0.0 { format!("{hours:.0}") } else { format!("{hours}") };
    format!("{h} hour{} a week", if h == "1" { "" } else { "s" })
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `31 January 2027`.
pub fn date_text(d: CivilDate) -> String {
    format!("{} {} {}", d.day, MONTHS[usize::from(d.month.clamp(1, 12)) - 1], d.year)
}

/// How long ago, in words: `12 minutes ago`, `3 hours ago`, `2 days ago`.
pub fn ago_text(then_ms: i64, now_ms: i64) -> String {
    let mins = (now_ms - then_ms).max(0) / 60_000;
    let (n, unit) = match mins {
        0 => return "just now".into(),
        1..=59 => (mins, "minute"),
        60..=2879 => (mins / 60, "hour"),
        _ => (mins / 1440, "day"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

/// `Paid job`, `Peer teaching`.
pub fn kind_label(k: OpportunityKind) -> &'static str {
    match k {
        OpportunityKind::PaidJob => "Paid job",
        OpportunityKind::Training => "Training",
        OpportunityKind::Volunteering => "Volunteering",
        OpportunityKind::PeerTeaching => "Peer teaching",
        OpportunityKind::PaidInvolvement => "Paid involvement",
        OpportunityKind::Apprenticeship => "Apprenticeship",
        OpportunityKind::SocialEnterprise => "Social enterprise",
    }
}

/// Who a house is for, in words: `women`, `LGBTQ+ people`.
pub fn for_label(t: ForTag) -> &'static str {
    match t {
        ForTag::Women => "women",
        ForTag::Men => "men",
        ForTag::TransNonbinary => "trans and non-binary people",
        ForTag::Lgbtq => "LGBTQ+ people",
        ForTag::BlackMinorityEthnic => "Black and minority ethnic people",
        ForTag::YoungAdults => "young adults",
    }
}

/// `anyone`, or the groups a house is for, joined with commas.
pub fn for_text(tags: &[ForTag]) -> String {
    if tags.is_empty() { "anyone".into() } else { tags.iter().map(|t| for_label(*t)).collect::<Vec<_>>().join(", ") }
}

/// A region's id as people write its name: `west-yorkshire` → `West Yorkshire`.
pub fn region_name(slug: &str) -> String {
    slug.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Opening hours with the days' names written as names: `Monday–Friday 09:00–17:00`.
pub fn schedule_text(schedule: &Schedule) -> String {
    let mut text = schedule.to_string();
    for day in Weekday::ALL {
        let name = day.as_str();
        text = text.replace(name, &region_name(name));
    }
    text
}

/// `1 service`, `2 services`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_hours_and_dates_are_said_plainly() {
        assert_eq!(pay_text(Pay::Paid { pence: 1221, per: PayPer::Hour }, false), "£12.21 an hour");
        assert_eq!(pay_text(Pay::Paid { pence: 5000, per: PayPer::Session }, true), "£50 a session, expenses paid");
        assert_eq!(pay_text(Pay::Unpaid, true), "Unpaid, expenses paid");
        assert_eq!(hours_text(16.0), "16 hours a week");
        assert_eq!(hours_text(7.5), "7.5 hours a week");
        assert_eq!(date_text("2027-01-31".parse().unwrap()), "31 January 2027");
        assert_eq!(ago_text(0, 12 * 60_000), "12 minutes ago");
        assert_eq!(ago_text(0, 60 * 60_000), "1 hour ago");
        assert_eq!(ago_text(0, 30_000), "just now");
        assert_eq!(for_text(&[ForTag::Women, ForTag::Lgbtq]), "women, LGBTQ+ people");
        assert_eq!(count(1, "service", "services"), "1 service");
        assert_eq!(region_name("west-yorkshire"), "West Yorkshire");
        let s = Schedule::parse("hours", "mon-fri 09:00-17:00; by appointment").unwrap();
        assert_eq!(schedule_text(&s), "Monday–Friday 09:00–17:00; by appointment");
    }
}
