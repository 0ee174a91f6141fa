//! `kith pool member …`, `kith pool job …` and `kith pool report`: the group's pool of
//! workers — its members (kept on the hub only), the jobs booked with it, who is
//! proposed for each and why the others are not, hours, pay, pay statements (a PDF
//! with `--pdf`) and the group's own figures.
//!
//! Money is given in pounds (`--min-rate 13.45`, `--weekly-limit 195.50`), hours as
//! people write them (`--hours 2.5` or `2:30`), times of the week as `tue 09:00-17:00`.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::Globals;
use crate::connect::{self, Admin};
use crate::output::{self, Fields, Table};
use kith_proto::convert::parse_id;
use kith_proto::time::CivilDate;
use kith_proto::v1;
use kith_words::{pounds, work_hours, work_hours_text};

#[derive(Debug, Subcommand)]
pub enum MemberCommand {
    /// Add a member: their details stay on this hub, encrypted, until erased.
    Add(MemberArgs),
    /// Change a member: only what is given changes (lists given replace the old ones).
    Update {
        /// The member's id.
        id: String,
        #[command(flatten)]
        args: MemberUpdateArgs,
    },
    /// List the members, with their earnings this week beside their limit.
    List {
        /// Include erased members (an id and when they joined; nothing else is kept).
        #[arg(long)]
        include_erased: bool,
    },
    /// Show a member, with their earnings this week, month and tax year.
    Show {
        /// The member's id.
        id: String,
    },
    /// A member's earnings in the week, month and tax year of a day, beside their limit.
    Earnings {
        /// The member's id.
        id: String,
        /// The day (YYYY-MM-DD; default today).
        #[arg(long)]
        on: Option<String>,
    },
    /// A member's pay statement for a period: the work, hours, rate and pay, day by day.
    Statement {
        /// The member's id.
        id: String,
        /// The first day (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// The last day (YYYY-MM-DD).
        #[arg(long)]
        to: String,
        /// Also write it as a PDF to print or hand over.
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
    },
    /// Erase a member's details for good; the hours and pay of the jobs they worked stay, without their name.
    Erase {
        /// The member's id.
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct MemberArgs {
    /// Their name.
    #[arg(long)]
    name: String,
    /// How to reach them.
    #[arg(long, default_value = "")]
    contact: String,
    /// Something they can do (repeatable): "gardening", "hedge cutting".
    #[arg(long = "skill", value_name = "SKILL")]
    skills: Vec<String>,
    /// When they can work in an ordinary week (repeatable): "tue 09:00-17:00".
    #[arg(long = "available", value_name = "DAY HH:MM-HH:MM", value_parser = window)]
    available: Vec<v1::MemberWindow>,
    /// Days they cannot work (repeatable): "2026-12-24..2027-01-02" or one day.
    #[arg(long = "away", value_name = "FROM..TO", value_parser = away)]
    away: Vec<v1::MemberAway>,
    /// The least they will work for an hour, in pounds (at least the region's fair rate).
    #[arg(long, value_name = "POUNDS", value_parser = pence32)]
    min_rate: u32,
    /// The most they may earn in a week, in pounds, if they keep a limit (e.g. Permitted Work).
    #[arg(long, value_name = "POUNDS", value_parser = pence32)]
    weekly_limit: Option<u32>,
    /// The desk account they answer their offers with (made with `kith desk user add NAME --role member`).
    #[arg(long, default_value = "")]
    desk_user: String,
}

#[derive(Debug, Args)]
pub struct MemberUpdateArgs {
    /// Their name.
    #[arg(long)]
    name: Option<String>,
    /// How to reach them.
    #[arg(long)]
    contact: Option<String>,
    /// What they can do (repeatable; replaces the list).
    #[arg(long = "skill", value_name = "SKILL")]
    skills: Vec<String>,
    /// When they can work (repeatable; replaces their week): "tue 09:00-17:00".
    #[arg(long = "available", value_name = "DAY HH:MM-HH:MM", value_parser = window)]
    available: Vec<v1::MemberWindow>,
    /// Days they cannot work (repeatable; replaces the list).
    #[arg(long = "away", value_name = "FROM..TO", value_parser = away)]
    away: Vec<v1::MemberAway>,
    /// Clear their days away.
    #[arg(long, conflicts_with = "away")]
    no_away: bool,
    /// The least they work for an hour, in pounds.
    #[arg(long, value_name = "POUNDS", value_parser = pence32)]
    min_rate: Option<u32>,
    /// Their own weekly earnings limit, in pounds.
    #[arg(long, value_name = "POUNDS", value_parser = pence32)]
    weekly_limit: Option<u32>,
    /// They keep no limit here any more.
    #[arg(long, conflicts_with = "weekly_limit")]
    no_limit: bool,
    /// Their desk account (empty: none).
    #[arg(long)]
    desk_user: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum JobCommand {
    /// Book a job.
    Add(JobArgs),
    /// List jobs on days from..to (default: this week), or every job not ended.
    List {
        /// The first day (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// The last day (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// Every job not yet done, turned down or cancelled, whatever its day.
        #[arg(long, conflicts_with_all = ["from", "to"])]
        open: bool,
    },
    /// Show a job and its history.
    Show {
        /// The job's id.
        id: String,
    },
    /// Who could take a job, and why each other member is not proposed.
    Propose {
        /// The job's id.
        id: String,
    },
    /// Offer a job to a member.
    Offer {
        /// The job's id.
        id: String,
        /// The member's id.
        #[arg(long)]
        member: String,
        /// They know it takes them over their own weekly limit, and choose to.
        #[arg(long)]
        over_limit: bool,
    },
    /// Record a member's answer to an offer.
    Answer {
        /// The job's id.
        id: String,
        /// The member's id.
        #[arg(long)]
        member: String,
        /// They take it.
        #[arg(long, conflicts_with = "no", required_unless_present = "no")]
        yes: bool,
        /// They do not.
        #[arg(long)]
        no: bool,
    },
    /// Record the hours worked on an accepted job; the pay follows from its rate.
    Hours {
        /// The job's id.
        id: String,
        /// Hours worked: 3, 2.5 or 2:30.
        #[arg(long)]
        hours: String,
    },
    /// The pool cannot take a job: the reason is worked out from who could not, unless given.
    TurnDown {
        /// The job's id.
        id: String,
        /// Why, in words (default: worked out from who could not take it).
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Whoever booked a job called it off.
    Cancel {
        /// The job's id.
        id: String,
        /// Why, in words.
        #[arg(long, default_value = "")]
        reason: String,
    },
}

#[derive(Debug, Args)]
pub struct JobArgs {
    /// What is to be done.
    #[arg(long)]
    what: String,
    /// The day (YYYY-MM-DD).
    #[arg(long)]
    date: String,
    /// When it starts (HH:MM).
    #[arg(long)]
    start: String,
    /// How long: 3, 2.5 or 2:30 hours.
    #[arg(long)]
    hours: String,
    /// What the worker is paid an hour, in pounds (at least the region's fair rate).
    #[arg(long, value_name = "POUNDS", value_parser = pence32)]
    rate: u32,
    /// A skill it needs (repeatable).
    #[arg(long = "skill", value_name = "SKILL")]
    skills: Vec<String>,
    /// The business (the hub's offer id) it was booked with.
    #[arg(long, default_value = "")]
    business: String,
    /// Where.
    #[arg(long, default_value = "")]
    place: String,
    /// Who booked it.
    #[arg(long, default_value = "")]
    client: String,
    /// How to reach them.
    #[arg(long, default_value = "")]
    contact: String,
    /// The ask it came from.
    #[arg(long, default_value = "")]
    ask: String,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The first day (YYYY-MM-DD; default: the first of this month).
    #[arg(long)]
    from: Option<String>,
    /// The last day (YYYY-MM-DD; default: today).
    #[arg(long)]
    to: Option<String>,
}

fn pence32(v: &str) -> Result<u32, String> {
    let p = kith_proto::validate::parse_pounds(v)?;
    u32::try_from(p).map_err(|_| format!("too much (got {v:?})"))
}

/// `tue 09:00-17:00`.
fn window(v: &str) -> Result<v1::MemberWindow, String> {
    let w = kith_hub::pool::parse_window("--available", v).map_err(|e| e.problem)?;
    Ok(v1::MemberWindow { day: w.day.as_str().into(), from: w.from.to_string(), to: w.to.to_string() })
}

/// `2026-12-24..2027-01-02`, or one day.
fn away(v: &str) -> Result<v1::MemberAway, String> {
    let a = kith_hub::pool::parse_away("--away", v).map_err(|e| e.problem)?;
    Ok(v1::MemberAway { from: a.from.to_string(), to: a.to.to_string(), note: String::new() })
}

#[derive(Debug, Serialize)]
struct MemberJson {
    id: String,
    joined_at: Option<String>,
    erased: bool,
    name: Option<String>,
    contact: Option<String>,
    skills: Vec<String>,
    available: Vec<String>,
    away: Vec<String>,
    min_rate_pence: Option<u32>,
    weekly_limit_pence: Option<u32>,
    desk_user: Option<String>,
    earnings: Option<EarningsJson>,
}

#[derive(Debug, Serialize)]
struct EarningsJson {
    week_from: String,
    week_pence: u64,
    week_booked_pence: u64,
    month_pence: u64,
    tax_year_from: String,
    tax_year_pence: u64,
    weekly_limit_pence: Option<u32>,
    /// The limit less earned and booked this week (negative: over it).
    week_left_pence: Option<i64>,
}

impl From<v1::Earnings> for EarningsJson {
    fn from(e: v1::Earnings) -> EarningsJson {
        let limit = e.has_limit.then_some(e.weekly_limit_pence);
        EarningsJson {
            week_left_pence: limit.map(|l| i64::from(l) - (e.week_pence + e.week_booked_pence) as i64),
            week_from: e.week_from,
            week_pence: e.week_pence,
            week_booked_pence: e.week_booked_pence,
            month_pence: e.month_pence,
            tax_year_from: e.tax_year_from,
            tax_year_pence: e.tax_year_pence,
            weekly_limit_pence: limit,
        }
    }
}

impl EarningsJson {
    fn week_text(&self) -> String {
        kith_words::week_earnings_text(self.week_pence, self.week_booked_pence, self.weekly_limit_pence.map(u64::from))
    }
}

impl From<v1::PoolMember> for MemberJson {
    fn from(m: v1::PoolMember) -> MemberJson {
        let f = m.fields;
        MemberJson {
            id: m.id,
            joined_at: output::instant(m.joined_ms),
            erased: f.is_none(),
            name: f.as_ref().map(|f| f.name.clone()),
            contact: f.as_ref().map(|f| f.contact.clone()),
            skills: f.as_ref().map(|f| f.skills.clone()).unwrap_or_default(),
            available: f
                .as_ref()
                .map(|f| f.availability.iter().map(|w| format!("{} {}-{}", w.day, w.from, w.to)).collect())
                .unwrap_or_default(),
            away: f
                .as_ref()
                .map(|f| f.away.iter().map(|a| format!("{}..{}", a.from, a.to)).collect())
                .unwrap_or_default(),
            min_rate_pence: f.as_ref().map(|f| f.min_rate_pence),
            weekly_limit_pence: f.as_ref().and_then(|f| f.weekly_limit_pence),
            desk_user: f.as_ref().map(|f| f.desk_user.clone()).filter(|u| !u.is_empty()),
            earnings: m.earnings.map(EarningsJson::from),
        }
    }
}

#[derive(Debug, Serialize)]
struct JobJson {
    id: String,
    status: String,
    what: String,
    date: String,
    start: String,
    minutes: u32,
    rate_pence: u32,
    skills: Vec<String>,
    business: Option<String>,
    place: String,
    client: String,
    contact: String,
    ask: Option<String>,
    offered: Vec<String>,
    declined: Vec<String>,
    accepted: Option<String>,
    accepted_name: Option<String>,
    worked_minutes: Option<u32>,
    pay_pence: Option<u64>,
    turned_down: Option<String>,
    history: Vec<StepJson>,
}

#[derive(Debug, Serialize)]
struct StepJson {
    what: String,
    at: Option<String>,
    by: String,
    member: Option<String>,
}

fn some(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

impl From<v1::PoolJob> for JobJson {
    fn from(j: v1::PoolJob) -> JobJson {
        let f = j.fields.unwrap_or_default();
        let done = j.status == "done";
        JobJson {
            id: j.id,
            status: j.status,
            what: f.what,
            date: f.date,
            start: f.start,
            minutes: f.minutes,
            rate_pence: f.rate_pence,
            skills: f.skills,
            business: some(f.business),
            place: f.place,
            client: f.client,
            contact: f.contact,
            ask: some(f.ask),
            offered: j.offered,
            declined: j.declined,
            accepted: some(j.accepted),
            accepted_name: some(j.accepted_name),
            worked_minutes: done.then_some(j.worked_minutes),
            pay_pence: done.then_some(j.pay_pence),
            turned_down: some(j.turned_down),
            history: j
                .history
                .into_iter()
                .map(|s| StepJson { what: s.what, at: output::instant(s.at_ms), by: s.by, member: some(s.member) })
                .collect(),
        }
    }
}

fn job_table(jobs: &[JobJson]) -> String {
    let mut t = Table::new(&["ID", "DAY", "START", "HOURS", "RATE", "WHAT", "STATUS", "WHO"]);
    for j in jobs {
        t.row(vec![
            j.id.clone(),
            j.date.clone(),
            j.start.clone(),
            work_hours(j.minutes),
            pounds(j.rate_pence.into()),
            j.what.clone(),
            j.status.clone(),
            j.accepted_name.clone().unwrap_or_default(),
        ]);
    }
    t.render("no jobs")
}

fn job_block(j: &JobJson) -> String {
    let mut f = Fields::new();
    f.add("id", &j.id)
        .add("what", &j.what)
        .add("when", format!("{} {} for {}", j.date, j.start, work_hours_text(j.minutes)))
        .add("rate", format!("{} an hour", pounds(j.rate_pence.into())))
        .add("skills", output::list(&j.skills))
        .add_if("place", &j.place)
        .add_if("client", &j.client)
        .add_if("contact", &j.contact)
        .add("status", &j.status);
    if let Some(b) = &j.business {
        f.add("business", b);
    }
    if let Some(a) = &j.accepted {
        f.add("taken by", format!("{} ({a})", j.accepted_name.clone().unwrap_or_else(|| "erased".into())));
    }
    if let (Some(m), Some(p)) = (j.worked_minutes, j.pay_pence) {
        f.add("worked", format!("{}, paid {}", work_hours_text(m), pounds(p)));
    }
    if let Some(r) = &j.turned_down {
        f.add("why", r);
    }
    for s in &j.history {
        let member = s.member.as_deref().map(|m| format!(" ({m})")).unwrap_or_default();
        f.add("step", format!("{} {}{member} by {}", s.at.clone().unwrap_or_default(), s.what, s.by));
    }
    f.render()
}

fn member_block(m: &MemberJson) -> String {
    let mut f = Fields::new();
    f.add("id", &m.id);
    if m.erased {
        f.add("name", "(erased)");
        return f.render();
    }
    f.add("name", m.name.clone().unwrap_or_default())
        .add_if("contact", m.contact.clone().unwrap_or_default())
        .add("skills", output::list(&m.skills))
        .add("available", output::list(&m.available))
        .add_if("away", output::list(&m.away))
        .add("least rate", m.min_rate_pence.map(|p| format!("{} an hour", pounds(p.into()))).unwrap_or_default())
        .add("weekly limit", m.weekly_limit_pence.map_or_else(|| "none kept here".to_owned(), |p| pounds(p.into())));
    if let Some(u) = &m.desk_user {
        f.add("desk account", u);
    }
    if let Some(e) = &m.earnings {
        f.add("this week", e.week_text())
            .add("this month", pounds(e.month_pence))
            .add("this tax year", format!("{} (from {})", pounds(e.tax_year_pence), e.tax_year_from));
    }
    f.render()
}

fn fields_of(a: MemberArgs) -> v1::MemberFields {
    v1::MemberFields {
        name: a.name,
        contact: a.contact,
        skills: a.skills,
        availability: a.available,
        away: a.away,
        min_rate_pence: a.min_rate,
        weekly_limit_pence: a.weekly_limit,
        desk_user: a.desk_user,
    }
}

fn update_fields(mut f: v1::MemberFields, a: MemberUpdateArgs) -> v1::MemberFields {
    if let Some(n) = a.name {
        f.name = n;
    }
    if let Some(c) = a.contact {
        f.contact = c;
    }
    if !a.skills.is_empty() {
        f.skills = a.skills;
    }
    if !a.available.is_empty() {
        f.availability = a.available;
    }
    if !a.away.is_empty() {
        f.away = a.away;
    }
    if a.no_away {
        f.away.clear();
    }
    if let Some(r) = a.min_rate {
        f.min_rate_pence = r;
    }
    if a.weekly_limit.is_some() {
        f.weekly_limit_pence = a.weekly_limit;
    }
    if a.no_limit {
        f.weekly_limit_pence = None;
    }
    if let Some(u) = a.desk_user {
        f.desk_user = u;
    }
    f
}

pub async fn run_member(globals: &Globals, command: MemberCommand) -> anyhow::Result<()> {
    let admin = connect::admin(globals.hub_dir()).await?;
    let mut pool = admin.pool.clone();
    match command {
        MemberCommand::Add(args) => {
            let m = call(&admin, pool.add_member(fields_of(args)).await)?;
            let m = MemberJson::from(m);
            output::either(globals.json, &m, || format!("added member {}", m.id))
        }
        MemberCommand::Update { id, args } => {
            parse_id("id", &id)?;
            let old = call(&admin, pool.get_member(v1::IdRequest { id: id.clone() }).await)?;
            let Some(fields) = old.fields else { anyhow::bail!("member {id} was erased: there is nothing to change") };
            let request = v1::UpdateMemberRequest { id, fields: Some(update_fields(fields, args)) };
            let m = MemberJson::from(call(&admin, pool.update_member(request).await)?);
            output::either(globals.json, &m, || format!("changed member {}", m.id))
        }
        MemberCommand::List { include_erased } => {
            let list = call(&admin, pool.list_members(v1::ListMembersRequest { include_erased }).await)?;
            let json: Vec<MemberJson> = list.members.into_iter().map(MemberJson::from).collect();
            output::either(globals.json, &json, || {
                let mut t = Table::new(&["ID", "NAME", "SKILLS", "THIS WEEK", "LEAST RATE"]);
                for m in &json {
                    t.row(vec![
                        m.id.clone(),
                        m.name.clone().unwrap_or_else(|| "(erased)".into()),
                        m.skills.join(", "),
                        m.earnings.as_ref().map(EarningsJson::week_text).unwrap_or_default(),
                        m.min_rate_pence.map(|p| pounds(p.into())).unwrap_or_default(),
                    ]);
                }
                t.render("no members")
            })
        }
        MemberCommand::Show { id } => {
            parse_id("id", &id)?;
            let m = MemberJson::from(call(&admin, pool.get_member(v1::IdRequest { id }).await)?);
            output::either(globals.json, &m, || member_block(&m))
        }
        MemberCommand::Earnings { id, on } => {
            parse_id("id", &id)?;
            let request = v1::EarningsRequest { member: id, on: on.unwrap_or_default() };
            let e = EarningsJson::from(call(&admin, pool.get_earnings(request).await)?);
            output::either(globals.json, &e, || {
                let mut f = Fields::new();
                f.add("week", format!("from {}: {}", e.week_from, e.week_text()))
                    .add("month", pounds(e.month_pence))
                    .add("tax year", format!("from {}: {}", e.tax_year_from, pounds(e.tax_year_pence)));
                f.render()
            })
        }
        MemberCommand::Statement { id, from, to, pdf } => {
            parse_id("id", &id)?;
            let request = v1::PeriodRequest { member: id, from, to };
            let s = call(&admin, pool.get_pay_statement(request).await)?;
            if let Some(path) = &pdf {
                let st = kith_directory::statement::Statement::from_v1(&s, CivilDate::today_here());
                let bytes = kith_directory::statement::pdf(&st)?;
                std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
            }
            statement_out(globals, &s, pdf.as_deref())
        }
        MemberCommand::Erase { id } => {
            parse_id("id", &id)?;
            let m = call(&admin, pool.erase_member(v1::IdRequest { id }).await)?;
            output::either(globals.json, &serde_json::json!({ "id": m.id, "erased": true }), || {
                format!(
                    "erased member {}: their details are gone; the hours they worked stay, without their name",
                    m.id
                )
            })
        }
    }
}

fn statement_out(globals: &Globals, s: &v1::PayStatement, pdf: Option<&std::path::Path>) -> anyhow::Result<()> {
    #[derive(Serialize)]
    struct Line<'a> {
        date: &'a str,
        job: &'a str,
        what: &'a str,
        business: &'a str,
        minutes: u32,
        rate_pence: u32,
        pay_pence: u64,
    }
    #[derive(Serialize)]
    struct StatementJson<'a> {
        member: &'a str,
        name: &'a str,
        from: &'a str,
        to: &'a str,
        lines: Vec<Line<'a>>,
        minutes: u32,
        pay_pence: u64,
        earnings: Option<EarningsJson>,
        pdf: Option<String>,
    }
    let json = StatementJson {
        member: &s.member,
        name: &s.name,
        from: &s.from,
        to: &s.to,
        lines: s
            .lines
            .iter()
            .map(|l| Line {
                date: &l.date,
                job: &l.job,
                what: &l.what,
                business: &l.business,
                minutes: l.minutes,
                rate_pence: l.rate_pence,
                pay_pence: l.pay_pence,
            })
            .collect(),
        minutes: s.minutes,
        pay_pence: s.pay_pence,
        earnings: s.earnings.clone().map(EarningsJson::from),
        pdf: pdf.map(|p| p.display().to_string()),
    };
    output::either(globals.json, &json, || {
        let mut t = Table::new(&["DAY", "WORK", "HOURS", "RATE", "PAY"]);
        for l in &json.lines {
            t.row(vec![
                l.date.to_owned(),
                l.what.to_owned(),
                work_hours(l.minutes),
                pounds(l.rate_pence.into()),
                pounds(l.pay_pence),
            ]);
        }
        let mut out = format!("Pay statement: {}, {} to {}\n\n{}", json.name, json.from, json.to, t.render("no work"));
        out.push_str(&format!("\ntotal: {}, {}", work_hours_text(json.minutes), pounds(json.pay_pence)));
        if let Some(e) = &json.earnings {
            out.push_str(&format!("\nweek from {}: {}", e.week_from, e.week_text()));
        }
        if let Some(p) = &json.pdf {
            out.push_str(&format!("\nwritten to {p}"));
        }
        out
    })
}

/// A call's answer, or its error said as the CLI says every error.
fn call<T>(admin: &Admin, result: Result<tonic::Response<T>, tonic::Status>) -> anyhow::Result<T> {
    result.map(tonic::Response::into_inner).map_err(|s| admin.error(s))
}

pub async fn run_job(globals: &Globals, command: JobCommand) -> anyhow::Result<()> {
    let admin = connect::admin(globals.hub_dir()).await?;
    let mut pool = admin.pool.clone();
    let job = match command {
        JobCommand::Add(a) => {
            let minutes = kith_hub_hours(&a.hours)?;
            let fields = v1::JobFields {
                business: a.business,
                what: a.what,
                place: a.place,
                client: a.client,
                contact: a.contact,
                date: a.date,
                start: a.start,
                minutes,
                skills: a.skills,
                rate_pence: a.rate,
                ask: a.ask,
            };
            call(&admin, pool.add_job(fields).await)?
        }
        JobCommand::List { from, to, open } => {
            let request = v1::ListJobsRequest { from: from.unwrap_or_default(), to: to.unwrap_or_default(), open };
            let list = call(&admin, pool.list_jobs(request).await)?;
            let json: Vec<JobJson> = list.jobs.into_iter().map(JobJson::from).collect();
            return output::either(globals.json, &json, || job_table(&json));
        }
        JobCommand::Show { id } => {
            parse_id("id", &id)?;
            call(&admin, pool.get_job(v1::IdRequest { id }).await)?
        }
        JobCommand::Propose { id } => {
            parse_id("id", &id)?;
            let p = call(&admin, pool.propose_job(v1::IdRequest { id }).await)?;
            return proposal_out(globals, p);
        }
        JobCommand::Offer { id, member, over_limit } => {
            parse_id("id", &id)?;
            parse_id("member", &member)?;
            call(&admin, pool.offer_job(v1::OfferJobRequest { job: id, member, over_limit }).await)?
        }
        JobCommand::Answer { id, member, yes, no: _ } => {
            parse_id("id", &id)?;
            parse_id("member", &member)?;
            call(&admin, pool.answer_job(v1::AnswerJobRequest { job: id, member, accept: yes }).await)?
        }
        JobCommand::Hours { id, hours } => {
            parse_id("id", &id)?;
            let minutes = kith_hub_hours(&hours)?;
            call(&admin, pool.record_hours(v1::RecordHoursRequest { job: id, minutes }).await)?
        }
        JobCommand::TurnDown { id, reason } => {
            parse_id("id", &id)?;
            call(&admin, pool.end_job(v1::EndJobRequest { job: id, how: "turned-down".into(), reason }).await)?
        }
        JobCommand::Cancel { id, reason } => {
            parse_id("id", &id)?;
            call(&admin, pool.end_job(v1::EndJobRequest { job: id, how: "cancelled".into(), reason }).await)?
        }
    };
    let j = JobJson::from(job);
    output::either(globals.json, &j, || job_block(&j))
}

fn kith_hub_hours(v: &str) -> anyhow::Result<u32> {
    Ok(kith_hub::pool::parse_hours("hours", v)?)
}

fn proposal_out(globals: &Globals, p: v1::JobProposal) -> anyhow::Result<()> {
    #[derive(Serialize)]
    struct CandidateJson {
        member: String,
        name: String,
        week_pence: u64,
        room_after_pence: Option<i64>,
        why_code: Option<String>,
        why: Option<String>,
    }
    #[derive(Serialize)]
    struct ProposalJson {
        job: String,
        proposed: Vec<CandidateJson>,
        not_proposed: Vec<CandidateJson>,
        why_none: Option<String>,
    }
    let c = |c: v1::Candidate| CandidateJson {
        member: c.member,
        name: c.name,
        week_pence: c.week_pence,
        room_after_pence: c.has_limit.then_some(c.room_after_pence),
        why_code: some(c.why_code),
        why: some(c.why),
    };
    let json = ProposalJson {
        job: p.job,
        proposed: p.proposed.into_iter().map(c).collect(),
        not_proposed: p.not_proposed.into_iter().map(c).collect(),
        why_none: some(p.why_none),
    };
    output::either(globals.json, &json, || {
        let mut out = String::new();
        if json.proposed.is_empty() {
            out.push_str(&format!(
                "No one can take this job ({}).\n",
                json.why_none.as_deref().unwrap_or("no members").replace('-', " ")
            ));
        } else {
            let mut t = Table::new(&["PROPOSED", "ID", "THIS WEEK", "LEFT AFTER"]);
            for p in &json.proposed {
                t.row(vec![
                    p.name.clone(),
                    p.member.clone(),
                    pounds(p.week_pence),
                    p.room_after_pence.map_or_else(|| "no limit".into(), |r| pounds(r.max(0) as u64)),
                ]);
            }
            out.push_str(&t.render(""));
        }
        if !json.not_proposed.is_empty() {
            out.push_str("\nNot proposed:\n");
            for n in &json.not_proposed {
                out.push_str(&format!("  {}: {}\n", n.member, n.why.clone().unwrap_or_default()));
            }
        }
        out.trim_end().to_owned()
    })
}

pub async fn run_report(globals: &Globals, args: ReportArgs) -> anyhow::Result<()> {
    let admin = connect::admin(globals.hub_dir()).await?;
    let mut pool = admin.pool.clone();
    let today = CivilDate::today_here();
    let first = CivilDate { day: 1, ..today };
    let request = v1::PeriodRequest {
        member: String::new(),
        from: args.from.unwrap_or_else(|| first.to_string()),
        to: args.to.unwrap_or_else(|| today.to_string()),
    };
    let r = call(&admin, pool.get_pool_report(request).await)?;
    #[derive(Serialize)]
    struct Count {
        reason: String,
        jobs: u32,
    }
    #[derive(Serialize)]
    struct Business {
        business: Option<String>,
        jobs: u32,
        minutes: u32,
        pay_pence: u64,
    }
    #[derive(Serialize)]
    struct ReportJson {
        from: String,
        to: String,
        jobs_booked: u32,
        jobs_done: u32,
        jobs_cancelled: u32,
        minutes: u32,
        pay_pence: u64,
        members_paid: u32,
        turned_down: Vec<Count>,
        skills_turned_down: Vec<Count>,
        businesses: Vec<Business>,
    }
    let count = |c: v1::ReasonCount| Count { reason: c.reason, jobs: c.jobs };
    let json = ReportJson {
        from: r.from,
        to: r.to,
        jobs_booked: r.jobs_booked,
        jobs_done: r.jobs_done,
        jobs_cancelled: r.jobs_cancelled,
        minutes: r.minutes,
        pay_pence: r.pay_pence,
        members_paid: r.members_paid,
        turned_down: r.turned_down.into_iter().map(count).collect(),
        skills_turned_down: r.skills_turned_down.into_iter().map(count).collect(),
        businesses: r
            .businesses
            .into_iter()
            .map(|b| Business { business: some(b.business), jobs: b.jobs, minutes: b.minutes, pay_pence: b.pay_pence })
            .collect(),
    };
    output::either(globals.json, &json, || {
        let mut f = Fields::new();
        let turned: Vec<String> = json.turned_down.iter().map(|c| format!("{} ({})", c.reason, c.jobs)).collect();
        f.add("period", format!("{} to {}", json.from, json.to))
            .add("jobs booked", json.jobs_booked.to_string())
            .add("jobs done", json.jobs_done.to_string())
            .add("hours worked", work_hours(json.minutes))
            .add("paid", pounds(json.pay_pence))
            .add("members paid", json.members_paid.to_string())
            .add("turned down", if turned.is_empty() { "none".into() } else { turned.join(", ") })
            .add("cancelled", json.jobs_cancelled.to_string());
        f.render()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(subcommand)]
        command: super::super::pool::Command,
    }

    fn parse(args: &[&str]) -> Result<super::super::pool::Command, clap::Error> {
        Cli::try_parse_from(std::iter::once("pool").chain(args.iter().copied())).map(|c| c.command)
    }

    #[test]
    fn a_member_is_read_in_pounds_hours_and_times_of_the_week() {
        let c = parse(&[
            "member",
            "add",
            "--name",
            "Ann",
            "--skill",
            "gardening",
            "--available",
            "tue 09:00-17:00",
            "--away",
            "2026-12-24..2027-01-02",
            "--min-rate",
            "£13.45",
            "--weekly-limit",
            "195.50",
        ])
        .unwrap();
        let super::super::pool::Command::Member(MemberCommand::Add(a)) = c else { panic!("{c:?}") };
        let f = fields_of(a);
        assert_eq!((f.min_rate_pence, f.weekly_limit_pence), (1_345, Some(19_550)));
        assert_eq!((f.availability[0].day.as_str(), f.availability[0].from.as_str()), ("tuesday", "09:00"));
        assert_eq!((f.away[0].from.as_str(), f.away[0].to.as_str()), ("2026-12-24", "2027-01-02"));

        for (bad, why) in [
            (["--available", "someday 9-5"], "unknown day"),
            (["--available", "tue 09:00"], "day and times"),
            (["--weekly-limit", "13.456"], "pounds"),
            (["--away", "24/12/2026"], "YYYY-MM-DD"),
        ] {
            let mut args = vec!["member", "add", "--name", "Ann", "--min-rate", "13"];
            args.extend(bad);
            let e = parse(&args).unwrap_err().to_string();
            assert!(e.contains(why), "{bad:?}: {e}");
        }
    }

    #[test]
    fn an_update_changes_only_what_is_given() {
        let old = v1::MemberFields {
            name: "Ann".into(),
            skills: vec!["gardening".into()],
            min_rate_pence: 1_345,
            weekly_limit_pence: Some(19_550),
            ..Default::default()
        };
        let c = parse(&["member", "update", "01JDQ4Z7M3V5X8K2N6P9R1S3T5", "--no-limit", "--min-rate", "14"]).unwrap();
        let super::super::pool::Command::Member(MemberCommand::Update { args, .. }) = c else { panic!() };
        let new = update_fields(old.clone(), args);
        assert_eq!(
            (new.name, new.skills, new.min_rate_pence, new.weekly_limit_pence),
            (old.name, old.skills, 1_400, None)
        );
        assert!(parse(&["member", "update", "X", "--no-limit", "--weekly-limit", "10"]).is_err(), "one or the other");
    }

    #[test]
    fn an_answer_is_yes_or_no() {
        assert!(parse(&["job", "answer", "J", "--member", "M"]).is_err(), "--yes or --no");
        assert!(parse(&["job", "answer", "J", "--member", "M", "--yes", "--no"]).is_err());
        assert!(parse(&["job", "answer", "J", "--member", "M", "--no"]).is_ok());
    }
}
