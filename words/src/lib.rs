//! Listings said plainly, in the same words everywhere people read them: on the
//! relay's board, in the printed directory (`kith-directory`), in the tables and
//! `show` blocks of the `kith` command line, and in the descriptions of open data
//! (`kith-opendata`). `£12.21 an hour`, `16 hours a week`, `31 January 2027`,
//! `updated 12 minutes ago`.
//!
//! And the look the web pages share ([`STYLE`]). Words only otherwise: nothing here is read back by a program, so wording can change
//! without a format changing (the CLI's `--json` keeps its own shapes).
//!
//! Every language Kith speaks ([`lang`]) says these through its message files; a
//! function ending in `_in` takes the language, and the one without says it in
//! English (the CLI, open data).

#[macro_use]
pub mod lang;

pub use lang::Lang;

use kith_proto::domain::{ForTag, OpportunityKind, Pay, PayPer};

/// Kith's look on the web (`style/kith.css`): the relay's board and each hub's desk
/// serve it, so that people meet the same page wherever they read a listing.
pub const STYLE: &str = include_str!("../style/kith.css");
use kith_proto::service::{Schedule, Weekday};
use kith_proto::time::CivilDate;
use lang::FluentValue;

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
    pay_text_in(Lang::En, pay, expenses_paid)
}

/// [`pay_text`] in `lang`.
pub fn pay_text_in(lang: Lang, pay: Pay, expenses_paid: bool) -> String {
    let pay = match pay {
        Pay::Unpaid => t!(lang, "pay-unpaid"),
        Pay::Paid { pence, per } => {
            let amount = pounds(u64::from(pence));
            match per {
                PayPer::Hour => t!(lang, "pay-per-hour", amount = amount),
                PayPer::Session => t!(lang, "pay-per-session", amount = amount),
                PayPer::Day => t!(lang, "pay-per-day", amount = amount),
            }
        }
    };
    if expenses_paid { t!(lang, "pay-expenses", pay = pay) } else { pay }
}

/// An offer's rate as people say it: `£15 an hour`, `£12.50 an hour`.
pub fn rate_text(pence: u32) -> String {
    rate_text_in(Lang::En, pence)
}

/// [`rate_text`] in `lang`.
pub fn rate_text_in(lang: Lang, pence: u32) -> String {
    t!(lang, "pay-per-hour", amount = pounds(u64::from(pence)))
}

/// An offer's rate with what it does not say: `£15 an hour (materials extra)`.
pub fn rate_with_note(pence: u32, note: &str) -> String {
    rate_with_note_in(Lang::En, pence, note)
}

/// [`rate_with_note`] in `lang` (the note is the hub's, as it wrote it).
pub fn rate_with_note_in(lang: Lang, pence: u32, note: &str) -> String {
    let rate = rate_text_in(lang, pence);
    if note.is_empty() { rate } else { t!(lang, "rate-note", rate = rate, note = note.to_owned()) }
}

/// `16 hours a week`, `7.5 hours a week`.
pub fn hours_text(hours: f32) -> String {
    hours_text_in(Lang::En, hours)
}

/// [`hours_text`] in `lang`.
pub fn hours_text_in(lang: Lang, hours: f32) -> String {
    // Whole hours choose their plural form; a fraction is said with the `other` one.
    if hours.fract() == 0.0 && (0.0..=1e6).contains(&hours) {
        t!(lang, "hours-a-week", hours = hours as u32)
    } else {
        t!(lang, "hours-a-week", hours = format!("{hours}"))
    }
}

/// Minutes of work as hours people read: `3`, `2.5`, `1.25`.
pub fn work_hours(minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    if m == 0 {
        return h.to_string();
    }
    let frac = format!("{:.2}", f64::from(m) / 60.0);
    format!("{h}{}", frac.trim_start_matches('0').trim_end_matches('0'))
}

/// `3 hours`, `2.5 hours`, `1 hour`.
pub fn work_hours_text(minutes: u32) -> String {
    work_hours_text_in(Lang::En, minutes)
}

/// [`work_hours_text`] in `lang`.
pub fn work_hours_text_in(lang: Lang, minutes: u32) -> String {
    // A number, so that the plural form is chosen by it; said as `work_hours` says it.
    let hours = FluentValue::from(f64::from(minutes) / 60.0);
    t!(lang, "work-hours", n = hours, hours = work_hours(minutes))
}

/// A week's earnings beside a weekly limit: `£150 (+£20 booked) of £195.50 — £25.50
/// left`, `… — over by £4.50`; without a limit, only what was earned and booked.
pub fn week_earnings_text(earned: u64, booked: u64, limit: Option<u64>) -> String {
    week_earnings_text_in(Lang::En, earned, booked, limit)
}

/// [`week_earnings_text`] in `lang`.
pub fn week_earnings_text_in(lang: Lang, earned: u64, booked: u64, limit: Option<u64>) -> String {
    let earned_text = if booked > 0 {
        t!(lang, "week-earned-booked", earned = pounds(earned), booked = pounds(booked))
    } else {
        pounds(earned)
    };
    let Some(limit) = limit else { return earned_text };
    let used = earned + booked;
    if used <= limit {
        t!(lang, "week-limit-left", earned = earned_text, limit = pounds(limit), left = pounds(limit - used))
    } else {
        t!(lang, "week-limit-over", earned = earned_text, limit = pounds(limit), over = pounds(used - limit))
    }
}

/// `Tuesday 8 December 2026`.
pub fn day_text(d: CivilDate) -> String {
    day_text_in(Lang::En, d)
}

/// [`day_text`] in `lang`.
pub fn day_text_in(lang: Lang, d: CivilDate) -> String {
    let weekday = Weekday::ALL[d.to_jiff().weekday().to_monday_zero_offset() as usize];
    t!(lang, "day-date", weekday = weekday_name(lang, weekday), date = date_text_in(lang, d))
}

/// A day of the week's name: `Monday`, `Dydd Llun`.
pub fn weekday_name(lang: Lang, day: Weekday) -> String {
    lang.t(&format!("weekday-{}", day.as_str()))
}

/// `31 January 2027`.
pub fn date_text(d: CivilDate) -> String {
    date_text_in(Lang::En, d)
}

/// [`date_text`] in `lang`: `31 Ionawr 2027`.
pub fn date_text_in(lang: Lang, d: CivilDate) -> String {
    let month = lang.t(&format!("month-{}", d.month.clamp(1, 12)));
    // Numbers as plain digits: a year is not a quantity to group by thousands.
    t!(lang, "date", day = d.day.to_string(), month = month, year = d.year.to_string())
}

/// A distance as people say it, to the kilometre (districts' centroids are no
/// finer): `12 km`, `under 1 km`.
pub fn distance_text(metres: u32) -> String {
    distance_text_in(Lang::En, metres)
}

/// [`distance_text`] in `lang`.
pub fn distance_text_in(lang: Lang, metres: u32) -> String {
    match metres.saturating_add(500) / 1000 {
        0 => t!(lang, "distance-under-1"),
        km => t!(lang, "distance-km", km = km),
    }
}

/// How long ago, in words: `12 minutes ago`, `3 hours ago`, `2 days ago`; `just now`
/// within a minute, and for a time ahead of this clock (another machine's clock may
/// be a little ahead); `never` for a time that never came (0 or before).
pub fn ago_text(then_ms: i64, now_ms: i64) -> String {
    ago_text_in(Lang::En, then_ms, now_ms)
}

/// [`ago_text`] in `lang`, its plural forms chosen by the language's rules.
pub fn ago_text_in(lang: Lang, then_ms: i64, now_ms: i64) -> String {
    if then_ms <= 0 {
        return t!(lang, "ago-never");
    }
    let mins = now_ms.saturating_sub(then_ms).max(0) / 60_000;
    match mins {
        0 => t!(lang, "ago-just-now"),
        1..=59 => t!(lang, "ago-minutes", n = mins),
        60..=2879 => t!(lang, "ago-hours", n = mins / 60),
        _ => t!(lang, "ago-days", n = mins / 1440),
    }
}

/// How long before another moment than now, in words: `before_text(at, printed,
/// "printing")` is `12 minutes before printing`, or `just before printing`.
pub fn before_text(then_ms: i64, at_ms: i64, what: &str) -> String {
    match span(then_ms, at_ms) {
        Some(s) => format!("{s} before {what}"),
        None => format!("just before {what}"),
    }
}

/// The time from `then_ms` to `now_ms` as people round it: `12 minutes`, `3 hours`
/// (up to two days), `2 days`; None under a minute or when `then_ms` is later.
fn span(then_ms: i64, now_ms: i64) -> Option<String> {
    let mins = now_ms.saturating_sub(then_ms).max(0) / 60_000;
    let (n, unit) = match mins {
        0 => return None,
        1..=59 => (mins, "minute"),
        60..=2879 => (mins / 60, "hour"),
        _ => (mins / 1440, "day"),
    };
    Some(format!("{n} {unit}{}", if n == 1 { "" } else { "s" }))
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
    for_text_in(Lang::En, tags)
}

/// [`kind_label`] in `lang`.
pub fn kind_text(lang: Lang, k: OpportunityKind) -> String {
    lang.t(&format!("kind-{}", k.as_str()))
}

/// [`for_label`] in `lang`.
pub fn for_label_in(lang: Lang, t: ForTag) -> String {
    lang.t(&format!("for-{}", t.as_str()))
}

/// [`for_text`] in `lang`.
pub fn for_text_in(lang: Lang, tags: &[ForTag]) -> String {
    if tags.is_empty() {
        t!(lang, "for-anyone")
    } else {
        tags.iter().map(|t| for_label_in(lang, *t)).collect::<Vec<_>>().join(list_separator(lang))
    }
}

/// A kind of service's name in `lang`: `Peer support`.
pub fn category_text(lang: Lang, c: kith_proto::service::Category) -> String {
    lang.t(&format!("category-{}", c.as_str()))
}

/// A kind of need as the region counts it, in words: `work: paid-job` → "Paid job",
/// `safe place: women` → "A safe place for women"; a kind not known here is said as
/// it was counted.
pub fn need_kind_text(lang: Lang, kind: &str) -> String {
    use kith_proto::service::Category;
    let (family, rest) = kind.split_once(": ").unwrap_or((kind, ""));
    let family_text = match family {
        "anything" => t!(lang, "need-anything"),
        "work" => t!(lang, "need-work"),
        "training" => t!(lang, "need-training"),
        "service" => t!(lang, "need-service"),
        "business" => t!(lang, "need-business"),
        "safe place" => t!(lang, "need-safe-place"),
        _ => return kind.to_owned(),
    };
    if rest.is_empty() {
        return family_text;
    }
    if let Ok(k) = OpportunityKind::parse("kind", rest) {
        return kind_text(lang, k);
    }
    if let Ok(c) = Category::parse("category", rest) {
        return category_text(lang, c);
    }
    match ForTag::parse("for", rest) {
        Ok(tag) => t!(lang, "need-for", what = family_text, who = for_label_in(lang, tag)),
        Err(_) => kind.to_owned(),
    }
}

/// What separates the items of a list: Urdu has its own comma.
pub fn list_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::Ur => "، ",
        Lang::En | Lang::Cy => ", ",
    }
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
    schedule_text_in(Lang::En, schedule)
}

/// [`schedule_text`] in `lang`; the schedule's note is the hub's, as it wrote it.
pub fn schedule_text_in(lang: Lang, schedule: &Schedule) -> String {
    let days = &schedule.days;
    let consecutive = days.len() > 2 && days.windows(2).all(|w| w[1] as u8 == w[0] as u8 + 1);
    let days = if consecutive {
        format!("{}–{}", weekday_name(lang, days[0]), weekday_name(lang, days[days.len() - 1]))
    } else {
        days.iter().map(|d| weekday_name(lang, *d)).collect::<Vec<_>>().join(list_separator(lang))
    };
    let mut parts = Vec::new();
    if let Some((opens, closes)) = schedule.hours {
        parts.push(format!("{days} {opens}–{closes}"));
    }
    if schedule.by_appointment {
        parts.push(if schedule.hours.is_none() && !schedule.days.is_empty() {
            t!(lang, "schedule-days-by-appointment", days = days)
        } else {
            t!(lang, "schedule-by-appointment")
        });
    }
    if !schedule.note.is_empty() {
        parts.push(schedule.note.clone());
    }
    parts.join("; ")
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
        assert_eq!(rate_text(1500), "£15 an hour");
        assert_eq!(week_earnings_text(15_000, 2_000, Some(19_550)), "£150 (+£20 booked) of £195.50 — £25.50 left");
        assert_eq!(week_earnings_text(20_000, 0, Some(19_550)), "£200 of £195.50 — over by £4.50");
        assert_eq!(week_earnings_text(12_600, 0, None), "£126");
        assert_eq!(work_hours_text(60), "1 hour");
        assert_eq!(work_hours_text(150), "2.5 hours");
        assert_eq!(work_hours_text_in(Lang::Cy, 150), "2.5 awr");
        assert_eq!(work_hours_text_in(Lang::Ur, 60).replace(['\u{2068}', '\u{2069}'], ""), "1 گھنٹہ");
        assert_eq!(
            week_earnings_text_in(Lang::Cy, 15_000, 2_000, Some(19_550)),
            "£150 (+£20 wedi'u trefnu) o £195.50 — £25.50 ar ôl"
        );
        assert_eq!(rate_with_note(1250, "materials extra"), "£12.50 an hour (materials extra)");
        assert_eq!(rate_with_note(1250, ""), "£12.50 an hour");
        assert_eq!(pay_text(Pay::Paid { pence: 5000, per: PayPer::Session }, true), "£50 a session, expenses paid");
        assert_eq!(pay_text(Pay::Unpaid, true), "Unpaid, expenses paid");
        assert_eq!(hours_text(16.0), "16 hours a week");
        assert_eq!(hours_text(7.5), "7.5 hours a week");
        assert_eq!(date_text("2027-01-31".parse().unwrap()), "31 January 2027");
        assert_eq!(ago_text(1, 12 * 60_000 + 1), "12 minutes ago");
        assert_eq!(ago_text(1, 60 * 60_000 + 1), "1 hour ago");
        assert_eq!(ago_text(1, 30_000), "just now");
        assert_eq!(ago_text(0, 30_000), "never", "0 is no time at all");
        assert_eq!(ago_text(10 * 60_000, 60_000), "just now", "a clock ahead of this one");
        assert_eq!(ago_text(i64::MAX, 60_000), "just now");
        assert!(ago_text(60_000, i64::MAX).ends_with(" days ago"));
        assert_eq!(ago_text(1, 3 * 86_400_000), "2 days ago");
        assert_eq!(before_text(0, 90 * 60_000, "printing"), "1 hour before printing");
        assert_eq!(before_text(1, 1, "printing"), "just before printing");
        assert_eq!(for_text(&[ForTag::Women, ForTag::Lgbtq]), "women, LGBTQ+ people");
        assert_eq!(count(1, "service", "services"), "1 service");
        assert_eq!(region_name("west-yorkshire"), "West Yorkshire");
        let s = Schedule::parse("hours", "mon-fri 09:00-17:00; by appointment").unwrap();
        assert_eq!(schedule_text(&s), "Monday–Friday 09:00–17:00; by appointment");
        assert_eq!(need_kind_text(Lang::En, "work: paid-job"), "Paid job");
        assert_eq!(need_kind_text(Lang::Cy, "service"), "Gwasanaeth");
        assert_eq!(need_kind_text(Lang::En, "safe place: women"), "A safe place for women");
        assert_eq!(need_kind_text(Lang::En, "rockets: x"), "rockets: x", "as counted");
    }
}
