//! A pool of workers run by the group: its members, the jobs booked with its
//! businesses, who is proposed for each and why the others are not, and what each
//! member has earned beside their own limit.
//!
//! Nothing here is published. Members and jobs live in the hub's store only
//! (`store/pool.rs`), encrypted at rest like a referral's person; the businesses the
//! pool works through are the hub's offers, a listing family of their own.
//!
//! This file is the pool's rules, with no store and no clock of its own, so that
//! they can be read and tested as rules:
//!
//! - [`Member`] and [`Job`], checked ([`Member::validate`], [`Job::validate`]): a
//!   rate below the region's fair rate, an availability that overlaps itself, a
//!   limit of £0 are refused with the field named.
//! - [`Period`]: a member's week (Monday to Sunday, as Permitted Work is counted),
//!   month and tax year (6 April to 5 April).
//! - [`propose`]: for a job, the members who have its skills, are free then, work
//!   for its rate and have room under their own limit that week — and for every
//!   other member the first reason they are not proposed, said plainly.

pub mod grpc;

use serde::{Deserialize, Serialize};
use ulid::Ulid;

use kith_proto::service::{ClockTime, Weekday};
use kith_proto::time::CivilDate;
use kith_proto::validate::{self, ValidationError};
use kith_text::synonyms::Synonyms;
use kith_words::pounds;

/// Bounds on what a member or a job may hold.
pub mod limits {
    pub const NAME: usize = 120;
    pub const CONTACT: usize = 300;
    pub const SKILLS: usize = 30;
    pub const SKILL: usize = 60;
    pub const WINDOWS: usize = 28;
    pub const AWAY: usize = 50;
    pub const NOTE: usize = 200;
    pub const WHAT: usize = 200;
    pub const PLACE: usize = 200;
    /// A job is at most a long day.
    pub const MINUTES: u32 = 16 * 60;
    /// The most an hour may pay, in pence (£1,000).
    pub const RATE: u32 = 100_000;
    /// The highest weekly limit a member may set (£10,000).
    pub const WEEKLY_LIMIT: u32 = 1_000_000;
}

/// When a member can work in an ordinary week: a day, from a time to a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub day: Weekday,
    pub from: ClockTime,
    pub to: ClockTime,
}

/// Days a member cannot work (a holiday, a hospital stay), both ends included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Away {
    pub from: CivilDate,
    pub to: CivilDate,
    pub note: String,
}

/// A member of the pool, as the group keeps them. Never published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    /// How to reach them: a phone number, an address, "through Sam at the office".
    pub contact: String,
    /// What they can do, in their own words: matched to a job's skills with the
    /// region's words and synonyms.
    pub skills: Vec<String>,
    /// Their ordinary week.
    pub availability: Vec<Window>,
    /// Days they cannot work.
    pub away: Vec<Away>,
    /// The least they will work for an hour, in pence: never below the fair rate.
    pub min_rate_pence: u32,
    /// The most they may earn in a week (their own choice, e.g. a Permitted Work
    /// limit), in pence. None: they keep no limit here.
    pub weekly_limit_pence: Option<u32>,
    /// The desk account they answer their offers with, if they have one.
    pub desk_user: Option<String>,
}

impl Member {
    /// Checks every field against the pool's rules and the region's `fair_rate`
    /// (pence an hour), and tidies the lists.
    pub fn validate(mut self, fair_rate: u32) -> Result<Member, ValidationError> {
        self.name = validate::line("name", &self.name, 1, limits::NAME)?;
        self.contact = validate::text("contact", &self.contact, 0, limits::CONTACT)?;
        self.skills = validate::list("skills", &self.skills, limits::SKILLS, limits::SKILL)?;
        if self.availability.len() > limits::WINDOWS {
            return Err(ValidationError::new(
                "availability",
                format!("at most {} times in a week (got {})", limits::WINDOWS, self.availability.len()),
            ));
        }
        for (i, w) in self.availability.iter().enumerate() {
            if w.from >= w.to || w.to > ClockTime::END_OF_DAY {
                return Err(ValidationError::new(
                    format!("availability[{i}]"),
                    format!("{} {} to {}: the end must be after the start, by 24:00", w.day.as_str(), w.from, w.to),
                ));
            }
        }
        self.availability.sort_by_key(|w| (w.day, w.from));
        for pair in self.availability.windows(2) {
            if pair[0].day == pair[1].day && pair[1].from < pair[0].to {
                let i = self.availability.iter().position(|w| w == &pair[1]).unwrap_or(0);
                return Err(ValidationError::new(
                    format!("availability[{i}]"),
                    format!(
                        "{} {} to {} overlaps {} to {}: give each time once",
                        pair[1].day.as_str(),
                        pair[1].from,
                        pair[1].to,
                        pair[0].from,
                        pair[0].to
                    ),
                ));
            }
        }
        if self.away.len() > limits::AWAY {
            return Err(ValidationError::new("away", format!("at most {} entries", limits::AWAY)));
        }
        for (i, a) in self.away.iter_mut().enumerate() {
            if a.to < a.from {
                return Err(ValidationError::new(
                    format!("away[{i}]"),
                    format!("ends on {} before it starts on {}", a.to, a.from),
                ));
            }
            a.note = validate::line(&format!("away[{i}].note"), &a.note, 0, limits::NOTE)?;
        }
        rate("min_rate", self.min_rate_pence, fair_rate)?;
        if let Some(limit) = self.weekly_limit_pence {
            if limit == 0 {
                return Err(ValidationError::new(
                    "weekly_limit",
                    "must be more than £0: leave it out if they keep no limit here",
                ));
            }
            validate::range("weekly_limit", i64::from(limit), 1, i64::from(limits::WEEKLY_LIMIT))?;
        }
        if let Some(user) = &self.desk_user {
            let user = validate::line("desk_user", user, 0, limits::NAME)?;
            self.desk_user = (!user.is_empty()).then_some(user);
        }
        Ok(self)
    }

    /// Whether they are free for `job` by their week and their days away (not
    /// counting other jobs).
    fn free_for(&self, job: &Job) -> bool {
        let day = weekday(job.date);
        let end = job.start.0 + job.minutes as u16;
        let in_week = self.availability.iter().any(|w| w.day == day && w.from <= job.start && end <= w.to.0);
        let away = self.away.iter().any(|a| a.from <= job.date && job.date <= a.to);
        in_week && !away
    }
}

/// Refuses an hourly rate below the fair rate, or beyond any rate.
fn rate(field: &str, pence: u32, fair_rate: u32) -> Result<(), ValidationError> {
    if pence < fair_rate {
        return Err(ValidationError::new(
            field,
            format!(
                "{} an hour is below the region's fair rate of {} an hour",
                pounds(pence.into()),
                pounds(fair_rate.into())
            ),
        ));
    }
    if pence > limits::RATE {
        return Err(ValidationError::new(field, format!("at most {} an hour", pounds(limits::RATE.into()))));
    }
    Ok(())
}

/// A piece of work booked with the pool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// The business (the hub's offer) it was booked with, if any.
    pub business: Option<Ulid>,
    /// What is to be done: "Cut back the hedges and clear the beds".
    pub what: String,
    /// Where: an address or a place people know.
    pub place: String,
    /// Who booked it: an organisation, or a person.
    pub client: String,
    /// How to reach them.
    pub contact: String,
    pub date: CivilDate,
    pub start: ClockTime,
    /// How long, in minutes.
    pub minutes: u32,
    /// The skills it needs, in words.
    pub skills: Vec<String>,
    /// What the worker is paid an hour, in pence: never below the fair rate.
    pub rate_pence: u32,
    /// The ask it came from, when a person asked about an offer on the board.
    pub ask: Option<Ulid>,
}

impl Job {
    pub fn validate(mut self, fair_rate: u32) -> Result<Job, ValidationError> {
        self.what = validate::line("what", &self.what, 1, limits::WHAT)?;
        self.place = validate::line("place", &self.place, 0, limits::PLACE)?;
        self.client = validate::line("client", &self.client, 0, limits::NAME)?;
        self.contact = validate::text("contact", &self.contact, 0, limits::CONTACT)?;
        if self.minutes == 0 || self.minutes > limits::MINUTES {
            return Err(ValidationError::new(
                "hours",
                format!("must be more than 0 and at most {} hours (got {})", limits::MINUTES / 60, hours(self.minutes)),
            ));
        }
        if u32::from(self.start.0) + self.minutes > u32::from(ClockTime::END_OF_DAY.0) {
            return Err(ValidationError::new(
                "hours",
                format!(
                    "starting at {}, {} hours runs past midnight: book it as two jobs",
                    self.start,
                    hours(self.minutes)
                ),
            ));
        }
        self.skills = validate::list("skills", &self.skills, limits::SKILLS, limits::SKILL)?;
        rate("rate", self.rate_pence, fair_rate)?;
        Ok(self)
    }

    /// What the job pays at its rate for `minutes` of work, to the penny (half up).
    pub fn pay_for(&self, minutes: u32) -> u64 {
        pay(minutes, self.rate_pence)
    }

    fn end(&self) -> u16 {
        self.start.0 + self.minutes as u16
    }
}

/// `minutes` at `rate_pence` an hour, to the penny (half up).
pub fn pay(minutes: u32, rate_pence: u32) -> u64 {
    (u64::from(minutes) * u64::from(rate_pence) + 30) / 60
}

/// Minutes as hours people read: `3`, `2.5`, `1.25`.
pub use kith_words::work_hours as hours;

/// Reads hours as people write them: `3`, `2.5`, `2:30`, `1.25`. Whole minutes.
pub fn parse_hours(field: &str, value: &str) -> Result<u32, ValidationError> {
    let v = value.trim();
    let bad = || ValidationError::new(field, format!("must be hours such as 3, 2.5 or 2:30 (got {value:?})"));
    let minutes = if let Some((h, m)) = v.split_once(':') {
        let h: u32 = h.parse().map_err(|_| bad())?;
        let m: u32 = m.parse().map_err(|_| bad())?;
        if m >= 60 || m.to_string().len() > 2 {
            return Err(bad());
        }
        h * 60 + m
    } else {
        let h: f64 = v.parse().map_err(|_| bad())?;
        if !h.is_finite() || !(0.0..=1000.0).contains(&h) {
            return Err(bad());
        }
        let m = h * 60.0;
        if (m - m.round()).abs() > 1e-6 {
            return Err(ValidationError::new(field, format!("must come to whole minutes (got {value:?})")));
        }
        m.round() as u32
    };
    Ok(minutes)
}

/// Reads a time of the week as people write it: `tue 09:00-17:00`.
pub fn parse_window(field: &str, value: &str) -> Result<Window, ValidationError> {
    let bad =
        || ValidationError::new(field, format!("must be a day and times such as \"tue 09:00-17:00\" (got {value:?})"));
    let (day, times) = value.trim().split_once(char::is_whitespace).ok_or_else(bad)?;
    let (from, to) = times.trim().split_once('-').ok_or_else(bad)?;
    Ok(Window {
        day: Weekday::read(field, day)?,
        from: ClockTime::parse(field, from)?,
        to: ClockTime::parse(field, to)?,
    })
}

/// Reads days away as people write them: `2026-12-24..2027-01-02`, or one day.
pub fn parse_away(field: &str, value: &str) -> Result<Away, ValidationError> {
    let v = value.trim();
    let (from, to) = v.split_once("..").unwrap_or((v, v));
    Ok(Away { from: CivilDate::parse(field, from)?, to: CivilDate::parse(field, to)?, note: String::new() })
}

fn weekday(date: CivilDate) -> Weekday {
    Weekday::from_index(date.to_jiff().weekday().to_monday_zero_offset() as u8)
}

/// A span of days, both ends included: a member's week, month or tax year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: CivilDate,
    pub to: CivilDate,
}

impl Period {
    /// The week (Monday to Sunday) holding `date`, as Permitted Work is counted.
    pub fn week(date: CivilDate) -> Period {
        let d = date.to_jiff();
        let monday = d - jiff::Span::new().days(i64::from(d.weekday().to_monday_zero_offset()));
        Period { from: monday.into(), to: (monday + jiff::Span::new().days(6)).into() }
    }

    /// The calendar month holding `date`.
    pub fn month(date: CivilDate) -> Period {
        let d = date.to_jiff();
        Period { from: d.first_of_month().into(), to: d.last_of_month().into() }
    }

    /// The UK tax year holding `date`: 6 April to 5 April.
    pub fn tax_year(date: CivilDate) -> Period {
        let year = if (date.month, date.day) >= (4, 6) { date.year } else { date.year - 1 };
        Period { from: CivilDate { year, month: 4, day: 6 }, to: CivilDate { year: year + 1, month: 4, day: 5 } }
    }

    pub fn holds(&self, date: CivilDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// Reads `from` and `to` (both `YYYY-MM-DD`), refusing a `to` before `from` or
    /// a span over two years.
    pub fn parse(from: &str, to: &str) -> Result<Period, ValidationError> {
        let p = Period { from: CivilDate::parse("from", from)?, to: CivilDate::parse("to", to)? };
        if p.to < p.from {
            return Err(ValidationError::new("to", format!("{} is before from ({})", p.to, p.from)));
        }
        if p.to.to_jiff() > p.from.to_jiff() + jiff::Span::new().days(731) {
            return Err(ValidationError::new("to", "a period is at most two years"));
        }
        Ok(p)
    }
}

/// What a member has earned (work done) and has booked (jobs accepted, not yet
/// worked), by the day of the work.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    /// (day, pence, job): work done.
    pub done: Vec<(CivilDate, u64, Ulid)>,
    /// (day, start, end, pence, job): jobs accepted and not yet worked.
    pub booked: Vec<(CivilDate, u16, u16, u64, Ulid)>,
}

impl Ledger {
    /// Earned in `period` (work done).
    pub fn earned(&self, period: Period) -> u64 {
        self.done.iter().filter(|(d, ..)| period.holds(*d)).map(|(_, p, _)| p).sum()
    }

    /// Booked in `period` (accepted, not yet worked), leaving out `except`.
    pub fn booked(&self, period: Period, except: Ulid) -> u64 {
        self.booked.iter().filter(|b| period.holds(b.0) && b.4 != except).map(|b| b.3).sum()
    }

    /// Another job they accepted that overlaps `job`, if any.
    fn clash(&self, job_id: Ulid, job: &Job) -> Option<Ulid> {
        self.booked
            .iter()
            .find(|b| b.4 != job_id && b.0 == job.date && b.1 < job.end() && job.start.0 < b.2)
            .map(|b| b.4)
    }
}

/// Why a member is not proposed for a job: the first of these that holds, in this
/// order (the order a coordinator would ask in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotProposed {
    /// The job's skills they have not said they have.
    Skills {
        missing: Vec<String>,
    },
    NotFree,
    Busy {
        other_job: Ulid,
    },
    Declined,
    RateTooLow {
        wants: u32,
    },
    OverLimit {
        limit: u32,
        earned: u64,
        booked: u64,
        pays: u64,
    },
}

impl NotProposed {
    /// A short slug, for `--json` and the report.
    pub fn code(&self) -> &'static str {
        match self {
            NotProposed::Skills { .. } => "skills-missing",
            NotProposed::NotFree => "not-free",
            NotProposed::Busy { .. } => "busy",
            NotProposed::Declined => "declined",
            NotProposed::RateTooLow { .. } => "rate-too-low",
            NotProposed::OverLimit { .. } => "over-limit",
        }
    }

    /// The reason said plainly, about `name`.
    pub fn say(&self, name: &str) -> String {
        match self {
            NotProposed::Skills { missing } => format!("{name} has not said they can do {}", missing.join(", ")),
            NotProposed::NotFree => format!("{name} is not free then"),
            NotProposed::Busy { .. } => format!("{name} has another job then"),
            NotProposed::Declined => format!("{name} said no to this job"),
            NotProposed::RateTooLow { wants } => {
                format!("{name} works for at least {} an hour", pounds(u64::from(*wants)))
            }
            NotProposed::OverLimit { limit, earned, booked, pays } => format!(
                "would take {name} over their {} limit this week ({} earned{}, and this job pays {})",
                pounds(u64::from(*limit)),
                pounds(*earned),
                if *booked > 0 { format!(", {} booked", pounds(*booked)) } else { String::new() },
                pounds(*pays)
            ),
        }
    }
}

/// One member as a job's proposal sees them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub member: Ulid,
    pub name: String,
    /// Earned and booked in the job's week.
    pub week_pence: u64,
    /// Room left under their limit that week after this job (None: no limit).
    pub room_after: Option<i64>,
    /// None: proposed.
    pub not: Option<NotProposed>,
}

/// Who is proposed for a job: those who can take it first, the ones with least
/// earned that week first (the work shared out); then everyone else with why not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub proposed: Vec<Candidate>,
    pub not_proposed: Vec<Candidate>,
}

impl Proposal {
    /// Why the pool could not take the job, when no one is proposed: how far the
    /// best-placed member got (had the skills; and was free; and worked for the
    /// rate; but the limit).
    pub fn why_none(&self) -> Option<&'static str> {
        if !self.proposed.is_empty() {
            return None;
        }
        let stage = |c: &Candidate| match &c.not {
            Some(NotProposed::Skills { .. }) => 0,
            Some(NotProposed::NotFree | NotProposed::Busy { .. } | NotProposed::Declined) => 1,
            Some(NotProposed::RateTooLow { .. }) => 2,
            Some(NotProposed::OverLimit { .. }) => 3,
            None => 4,
        };
        Some(match self.not_proposed.iter().map(stage).max() {
            None | Some(0) => "skills-missing",
            Some(1) => "no-one-free",
            Some(2) => "pay-too-low",
            _ => "over-limits",
        })
    }
}

/// The words of a skill, folded and stemmed, each widened by its synonyms.
fn skill_words(skill: &str, synonyms: &Synonyms) -> Vec<Vec<String>> {
    kith_text::words(skill)
        .filter(|w| !kith_text::is_stop_word(w))
        .map(|w| {
            let mut forms: Vec<String> = vec![kith_text::stem(&w).into_owned()];
            forms.extend(synonyms.of(&w).map(|s| kith_text::stem(s).into_owned()));
            forms
        })
        .collect()
}

/// The skills of `wanted` that `has` does not cover. A wanted skill is covered by
/// one of the member's skills when each of its words is one of that skill's words,
/// by stem or synonym ("hedge cutting" is covered by "cutting hedges", "gardener"
/// by "gardening").
pub fn missing_skills(wanted: &[String], has: &[String], synonyms: &Synonyms) -> Vec<String> {
    let has: Vec<Vec<Vec<String>>> = has.iter().map(|s| skill_words(s, synonyms)).collect();
    wanted
        .iter()
        .filter(|want| {
            let want_words: Vec<String> = kith_text::words(want)
                .filter(|w| !kith_text::is_stop_word(w))
                .map(|w| kith_text::stem(&w).into_owned())
                .collect();
            !has.iter().any(|skill| {
                !want_words.is_empty()
                    && want_words.iter().all(|w| skill.iter().any(|forms| forms.iter().any(|f| f == w)))
            })
        })
        .cloned()
        .collect()
}

/// Proposes members for `job` (id `job_id`): `members` are the pool's live members
/// with their ledgers; `declined`, those who said no to it.
pub fn propose(
    job_id: Ulid,
    job: &Job,
    members: &[(Ulid, &Member, &Ledger)],
    declined: &[Ulid],
    synonyms: &Synonyms,
) -> Proposal {
    let week = Period::week(job.date);
    let pays = job.pay_for(job.minutes);
    let mut proposal = Proposal { proposed: Vec::new(), not_proposed: Vec::new() };
    for &(id, m, ledger) in members {
        let (earned, booked) = (ledger.earned(week), ledger.booked(week, job_id));
        let after = earned + booked + pays;
        let room_after = m.weekly_limit_pence.map(|l| i64::from(l) - after as i64);
        let missing = missing_skills(&job.skills, &m.skills, synonyms);
        let not = if !missing.is_empty() {
            Some(NotProposed::Skills { missing })
        } else if declined.contains(&id) {
            Some(NotProposed::Declined)
        } else if !m.free_for(job) {
            Some(NotProposed::NotFree)
        } else if let Some(other_job) = ledger.clash(job_id, job) {
            Some(NotProposed::Busy { other_job })
        } else if m.min_rate_pence > job.rate_pence {
            Some(NotProposed::RateTooLow { wants: m.min_rate_pence })
        } else {
            m.weekly_limit_pence.filter(|&l| after > u64::from(l)).map(|limit| NotProposed::OverLimit {
                limit,
                earned,
                booked,
                pays,
            })
        };
        let c = Candidate { member: id, name: m.name.clone(), week_pence: earned + booked, room_after, not };
        if c.not.is_none() { proposal.proposed.push(c) } else { proposal.not_proposed.push(c) }
    }
    proposal.proposed.sort_by(|a, b| a.week_pence.cmp(&b.week_pence).then_with(|| a.name.cmp(&b.name)));
    proposal.not_proposed.sort_by(|a, b| a.name.cmp(&b.name));
    proposal
}

/// Whether taking `job` would take a member over their limit that week: the
/// warning given before a job is offered to them.
pub fn over_limit(job_id: Ulid, job: &Job, member: &Member, ledger: &Ledger) -> Option<NotProposed> {
    let limit = member.weekly_limit_pence?;
    let week = Period::week(job.date);
    let (earned, booked, pays) = (ledger.earned(week), ledger.booked(week, job_id), job.pay_for(job.minutes));
    (earned + booked + pays > u64::from(limit)).then_some(NotProposed::OverLimit { limit, earned, booked, pays })
}

#[cfg(test)]
mod tests;
