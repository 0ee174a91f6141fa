//! The pool over gRPC (`kith.v1.HubPool`, `proto/kith/v1/pool.proto`), served on the
//! admin API beside `HubAdmin` with the same token, and called by the desk's pool
//! pages so that both check and write alike.

use std::sync::Arc;

use tonic::{Request, Response, Status};
use ulid::Ulid;

use kith_proto::convert::parse_id;
use kith_proto::offer::Offer;
use kith_proto::service::{ClockTime, Weekday};
use kith_proto::time::CivilDate;
use kith_proto::v1;
use kith_proto::v1::hub_pool_server::HubPool;
use kith_proto::validate::ValidationError;
use kith_text::synonyms::Synonyms;

use super::{Away, Job, Ledger, Member, NotProposed, Period, Proposal, Window};
use crate::admin::to_status;
use crate::store::{JobRecord, JobStatus, MemberRecord, Store, StoreError, Worked};

/// The pool of one hub.
#[derive(Clone)]
pub struct PoolService {
    pub store: Store,
    /// The group's name, on pay statements.
    pub name: String,
    /// The region's fair rate in pence an hour (`hub.toml`'s `fair_rate`).
    pub fair_rate_pence: Option<u32>,
    pub synonyms: Arc<Synonyms>,
}

fn invalid(e: ValidationError) -> Status {
    Status::invalid_argument(e.to_string())
}

fn id_field(field: &str, value: &str) -> Result<Ulid, Status> {
    parse_id(field, value).map_err(invalid)
}

impl PoolService {
    /// The fair rate, or why the pool cannot run without it.
    fn fair_rate(&self) -> Result<u32, Status> {
        self.fair_rate_pence.ok_or_else(|| {
            Status::failed_precondition(
                "set fair_rate in hub.toml (the region's fair rate, in pounds an hour) before running a pool",
            )
        })
    }

    /// Every member's ledger: work done and jobs accepted, by member.
    fn ledgers(&self, jobs: &[JobRecord]) -> std::collections::HashMap<Ulid, Ledger> {
        let mut ledgers: std::collections::HashMap<Ulid, Ledger> = Default::default();
        for r in jobs {
            let Some(m) = r.accepted else { continue };
            let l = ledgers.entry(m).or_default();
            match (r.status, r.worked) {
                (JobStatus::Done, Some(w)) => l.done.push((r.job.date, w.pay_pence, r.id)),
                (JobStatus::Accepted, _) => {
                    let end = r.job.start.0 + r.job.minutes as u16;
                    l.booked.push((r.job.date, r.job.start.0, end, r.job.pay_for(r.job.minutes), r.id))
                }
                _ => {}
            }
        }
        ledgers
    }

    /// A member's earnings around `on`.
    pub fn earnings(&self, member: &MemberRecord, ledger: &Ledger, on: CivilDate) -> v1::Earnings {
        let week = Period::week(on);
        let limit = member.member.as_ref().and_then(|m| m.weekly_limit_pence);
        let tax_year = Period::tax_year(on);
        v1::Earnings {
            week_from: week.from.to_string(),
            week_pence: ledger.earned(week),
            week_booked_pence: ledger.booked(week, Ulid::nil()),
            month_pence: ledger.earned(Period::month(on)),
            tax_year_pence: ledger.earned(tax_year),
            has_limit: limit.is_some(),
            weekly_limit_pence: limit.unwrap_or(0),
            tax_year_from: tax_year.from.to_string(),
        }
    }

    fn member_v1(&self, r: &MemberRecord, ledger: &Ledger) -> v1::PoolMember {
        v1::PoolMember {
            id: r.id.to_string(),
            joined_ms: r.joined_ms,
            fields: r.member.as_ref().map(member_fields),
            erased_ms: r.erased_ms.unwrap_or(0),
            earnings: Some(self.earnings(r, ledger, CivilDate::today_here())),
        }
    }

    fn job_v1(&self, r: &JobRecord) -> Result<v1::PoolJob, StoreError> {
        let accepted_name = match r.accepted {
            Some(m) => self.store.pool_member(m)?.and_then(|m| m.member).map(|m| m.name).unwrap_or_default(),
            None => String::new(),
        };
        Ok(job_v1(r, accepted_name))
    }

    fn member_of(&self, r: &MemberRecord) -> Result<Member, Status> {
        r.member.clone().ok_or_else(|| Status::failed_precondition(format!("member {} was erased", r.id)))
    }

    /// The proposal for job `id`, with the members it names.
    pub fn proposal(&self, id: Ulid) -> Result<(JobRecord, Proposal), Status> {
        let job = self.store.pool_job(id).map_err(to_status)?.ok_or_else(|| not_found("job", id))?;
        let members = self.store.pool_members().map_err(to_status)?;
        let jobs = self.store.pool_jobs().map_err(to_status)?;
        let ledgers = self.ledgers(&jobs);
        let empty = Ledger::default();
        let live: Vec<(Ulid, &Member, &Ledger)> = members
            .iter()
            .filter_map(|r| r.member.as_ref().map(|m| (r.id, m, ledgers.get(&r.id).unwrap_or(&empty))))
            .collect();
        let proposal = super::propose(id, &job.job, &live, &job.declined, &self.synonyms);
        Ok((job, proposal))
    }

    /// Changes job `id` with `change`, which checks what it needs against the job
    /// and (when it names one) the member; written with its audit entry.
    async fn change_job(
        &self,
        id: Ulid,
        action: &str,
        change: impl Fn(&mut JobRecord) -> Result<(), StoreError>,
    ) -> Result<JobRecord, Status> {
        let out = self
            .store
            .pool_write(&[id], |tx| {
                let mut r = tx.job(id)?;
                change(&mut r).map_err(sled::transaction::ConflictableTransactionError::Abort)?;
                tx.put_job(&r)?;
                tx.audit(action, id)?;
                Ok(r)
            })
            .await
            .map_err(to_status)?;
        Ok(out)
    }

    /// Refuses a member's desk account that does not exist.
    fn check_desk_user(&self, member: &Member) -> Result<(), Status> {
        let Some(name) = &member.desk_user else { return Ok(()) };
        if self.store.desk_user(name).map_err(to_status)?.is_none() {
            return Err(invalid(ValidationError::new(
                "desk_user",
                format!(
                    "there is no desk account named {name:?}: add it first (kith desk user add {name} --role member)"
                ),
            )));
        }
        Ok(())
    }

    /// A live member, or why not.
    fn live_member(&self, id: Ulid) -> Result<(MemberRecord, Member), Status> {
        let r = self.store.pool_member(id).map_err(to_status)?.ok_or_else(|| not_found("member", id))?;
        let m = self.member_of(&r)?;
        Ok((r, m))
    }
}

fn not_found(what: &'static str, id: Ulid) -> Status {
    to_status(StoreError::NotFound { family: what, id })
}

fn refused(why: String) -> StoreError {
    StoreError::Refused(why)
}

/// A member's fields, read and checked.
pub fn member_from_v1(f: v1::MemberFields, fair_rate: u32) -> Result<Member, ValidationError> {
    let availability = f
        .availability
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let field = format!("availability[{i}]");
            Ok(Window {
                day: Weekday::read(&field, &a.day)?,
                from: ClockTime::parse(&format!("{field}.from"), &a.from)?,
                to: ClockTime::parse(&format!("{field}.to"), &a.to)?,
            })
        })
        .collect::<Result<Vec<_>, ValidationError>>()?;
    let away = f
        .away
        .iter()
        .enumerate()
        .map(|(i, a)| {
            Ok(Away {
                from: CivilDate::parse(&format!("away[{i}].from"), &a.from)?,
                to: CivilDate::parse(&format!("away[{i}].to"), &a.to)?,
                note: a.note.clone(),
            })
        })
        .collect::<Result<Vec<_>, ValidationError>>()?;
    Member {
        name: f.name,
        contact: f.contact,
        skills: f.skills,
        availability,
        away,
        min_rate_pence: f.min_rate_pence,
        weekly_limit_pence: f.weekly_limit_pence,
        desk_user: Some(f.desk_user),
    }
    .validate(fair_rate)
}

pub fn member_fields(m: &Member) -> v1::MemberFields {
    v1::MemberFields {
        name: m.name.clone(),
        contact: m.contact.clone(),
        skills: m.skills.clone(),
        availability: m
            .availability
            .iter()
            .map(|w| v1::MemberWindow { day: w.day.as_str().into(), from: w.from.to_string(), to: w.to.to_string() })
            .collect(),
        away: m
            .away
            .iter()
            .map(|a| v1::MemberAway { from: a.from.to_string(), to: a.to.to_string(), note: a.note.clone() })
            .collect(),
        min_rate_pence: m.min_rate_pence,
        weekly_limit_pence: m.weekly_limit_pence,
        desk_user: m.desk_user.clone().unwrap_or_default(),
    }
}

/// A job's fields, read and checked.
pub fn job_from_v1(f: v1::JobFields, fair_rate: u32) -> Result<Job, ValidationError> {
    let opt_id = |field: &str, v: &str| -> Result<Option<Ulid>, ValidationError> {
        if v.trim().is_empty() { Ok(None) } else { parse_id(field, v.trim()).map(Some) }
    };
    Job {
        business: opt_id("business", &f.business)?,
        what: f.what,
        place: f.place,
        client: f.client,
        contact: f.contact,
        date: CivilDate::parse("date", &f.date)?,
        start: ClockTime::parse("start", &f.start)?,
        minutes: f.minutes,
        skills: f.skills,
        rate_pence: f.rate_pence,
        ask: opt_id("ask", &f.ask)?,
    }
    .validate(fair_rate)
}

fn job_fields(j: &Job) -> v1::JobFields {
    v1::JobFields {
        business: j.business.map(|b| b.to_string()).unwrap_or_default(),
        what: j.what.clone(),
        place: j.place.clone(),
        client: j.client.clone(),
        contact: j.contact.clone(),
        date: j.date.to_string(),
        start: j.start.to_string(),
        minutes: j.minutes,
        skills: j.skills.clone(),
        rate_pence: j.rate_pence,
        ask: j.ask.map(|a| a.to_string()).unwrap_or_default(),
    }
}

fn job_v1(r: &JobRecord, accepted_name: String) -> v1::PoolJob {
    v1::PoolJob {
        id: r.id.to_string(),
        fields: Some(job_fields(&r.job)),
        status: r.status.as_str().into(),
        offered: r.offered.iter().map(Ulid::to_string).collect(),
        declined: r.declined.iter().map(Ulid::to_string).collect(),
        accepted: r.accepted.map(|a| a.to_string()).unwrap_or_default(),
        worked_minutes: r.worked.map_or(0, |w| w.minutes),
        pay_pence: r.worked.map_or(0, |w| w.pay_pence),
        turned_down: r.turned_down.clone().unwrap_or_default(),
        history: r
            .history
            .iter()
            .map(|s| v1::JobStep {
                what: s.what.clone(),
                at_ms: s.at_ms,
                by: s.by.clone(),
                member: s.member.map(|m| m.to_string()).unwrap_or_default(),
            })
            .collect(),
        accepted_name,
    }
}

fn candidate(c: &super::Candidate) -> v1::Candidate {
    v1::Candidate {
        member: c.member.to_string(),
        name: c.name.clone(),
        week_pence: c.week_pence,
        has_limit: c.room_after.is_some(),
        room_after_pence: c.room_after.unwrap_or(0),
        why_code: c.not.as_ref().map(|n| n.code().to_owned()).unwrap_or_default(),
        why: c.not.as_ref().map(|n| n.say(&c.name)).unwrap_or_default(),
    }
}

#[tonic::async_trait]
impl HubPool for PoolService {
    async fn add_member(&self, req: Request<v1::MemberFields>) -> Result<Response<v1::PoolMember>, Status> {
        let member = member_from_v1(req.into_inner(), self.fair_rate()?).map_err(invalid)?;
        self.check_desk_user(&member)?;
        let id = Ulid::new();
        let record = MemberRecord { id, joined_ms: kith_proto::time::now_ms(), member: Some(member), erased_ms: None };
        self.store
            .pool_write(&[], |tx| {
                tx.put_member(&record)?;
                tx.audit("pool member added", id)
            })
            .await
            .map_err(to_status)?;
        Ok(Response::new(self.member_v1(&record, &Ledger::default())))
    }

    async fn update_member(&self, req: Request<v1::UpdateMemberRequest>) -> Result<Response<v1::PoolMember>, Status> {
        let req = req.into_inner();
        let id = id_field("id", &req.id)?;
        let fields = req.fields.ok_or_else(|| Status::invalid_argument("fields: missing"))?;
        let member = member_from_v1(fields, self.fair_rate()?).map_err(invalid)?;
        self.check_desk_user(&member)?;
        let record = self
            .store
            .pool_write(&[], |tx| {
                let mut r = tx.member(id)?;
                if r.member.is_none() {
                    return Err(sled::transaction::ConflictableTransactionError::Abort(refused(format!(
                        "member {id} was erased: their details cannot be given back"
                    ))));
                }
                r.member = Some(member.clone());
                tx.put_member(&r)?;
                tx.audit("pool member changed", id)?;
                Ok(r)
            })
            .await
            .map_err(to_status)?;
        let jobs = self.store.pool_jobs().map_err(to_status)?;
        let ledger = self.ledgers(&jobs).remove(&id).unwrap_or_default();
        Ok(Response::new(self.member_v1(&record, &ledger)))
    }

    async fn get_member(&self, req: Request<v1::IdRequest>) -> Result<Response<v1::PoolMember>, Status> {
        let id = id_field("id", &req.into_inner().id)?;
        let r = self.store.pool_member(id).map_err(to_status)?.ok_or_else(|| not_found("member", id))?;
        let jobs = self.store.pool_jobs().map_err(to_status)?;
        let ledger = self.ledgers(&jobs).remove(&id).unwrap_or_default();
        Ok(Response::new(self.member_v1(&r, &ledger)))
    }

    async fn list_members(&self, req: Request<v1::ListMembersRequest>) -> Result<Response<v1::PoolMemberList>, Status> {
        let all = req.into_inner().include_erased;
        let jobs = self.store.pool_jobs().map_err(to_status)?;
        let ledgers = self.ledgers(&jobs);
        let empty = Ledger::default();
        let mut members: Vec<v1::PoolMember> = self
            .store
            .pool_members()
            .map_err(to_status)?
            .iter()
            .filter(|r| all || r.member.is_some())
            .map(|r| self.member_v1(r, ledgers.get(&r.id).unwrap_or(&empty)))
            .collect();
        members.sort_by(|a, b| {
            let name = |m: &v1::PoolMember| m.fields.as_ref().map(|f| f.name.to_lowercase());
            name(a).cmp(&name(b))
        });
        Ok(Response::new(v1::PoolMemberList { members }))
    }

    async fn erase_member(&self, req: Request<v1::IdRequest>) -> Result<Response<v1::PoolMember>, Status> {
        let id = id_field("id", &req.into_inner().id)?;
        let record = self
            .store
            .pool_write(&[id], |tx| {
                let mut r = tx.member(id)?;
                if r.member.is_some() {
                    r.member = None;
                    r.erased_ms = Some(kith_proto::time::now_ms());
                    tx.put_member(&r)?;
                    tx.audit("pool member erased", id)?;
                }
                Ok(r)
            })
            .await
            .map_err(to_status)?;
        tracing::info!(member = %id, "a pool member's details were erased");
        Ok(Response::new(self.member_v1(&record, &Ledger::default())))
    }

    async fn add_job(&self, req: Request<v1::JobFields>) -> Result<Response<v1::PoolJob>, Status> {
        let job = job_from_v1(req.into_inner(), self.fair_rate()?).map_err(invalid)?;
        self.check_business(&job)?;
        let id = Ulid::new();
        let record = JobRecord::new(id, job, kith_proto::time::now_ms());
        self.store
            .pool_write(&[], |tx| {
                tx.put_job(&record)?;
                tx.audit("pool job booked", id)
            })
            .await
            .map_err(to_status)?;
        Ok(Response::new(job_v1(&record, String::new())))
    }

    async fn get_job(&self, req: Request<v1::IdRequest>) -> Result<Response<v1::PoolJob>, Status> {
        let id = id_field("id", &req.into_inner().id)?;
        let r = self.store.pool_job(id).map_err(to_status)?.ok_or_else(|| not_found("job", id))?;
        Ok(Response::new(self.job_v1(&r).map_err(to_status)?))
    }

    async fn list_jobs(&self, req: Request<v1::ListJobsRequest>) -> Result<Response<v1::PoolJobList>, Status> {
        let req = req.into_inner();
        let period = match (req.from.trim(), req.to.trim()) {
            ("", "") => Period::week(CivilDate::today_here()),
            (from, "") => {
                let from = CivilDate::parse("from", from).map_err(invalid)?;
                Period { from, to: Period::week(from).to }
            }
            (from, to) => Period::parse(if from.is_empty() { to } else { from }, to).map_err(invalid)?,
        };
        let mut jobs = Vec::new();
        for r in self.store.pool_jobs().map_err(to_status)? {
            if (req.open && !r.status.ended()) || (!req.open && period.holds(r.job.date)) {
                jobs.push(r);
            }
        }
        jobs.sort_by_key(|r| (r.job.date, r.job.start, r.id));
        let jobs = jobs.iter().map(|r| self.job_v1(r)).collect::<Result<_, _>>().map_err(to_status)?;
        Ok(Response::new(v1::PoolJobList { jobs }))
    }

    async fn propose_job(&self, req: Request<v1::IdRequest>) -> Result<Response<v1::JobProposal>, Status> {
        let id = id_field("id", &req.into_inner().id)?;
        let (_, p) = self.proposal(id)?;
        Ok(Response::new(v1::JobProposal {
            job: id.to_string(),
            proposed: p.proposed.iter().map(candidate).collect(),
            not_proposed: p.not_proposed.iter().map(candidate).collect(),
            why_none: p.why_none().unwrap_or_default().to_owned(),
        }))
    }

    async fn offer_job(&self, req: Request<v1::OfferJobRequest>) -> Result<Response<v1::PoolJob>, Status> {
        let req = req.into_inner();
        let (job_id, member_id) = (id_field("job", &req.job)?, id_field("member", &req.member)?);
        let (_, member) = self.live_member(member_id)?;
        let (job, proposal) = self.proposal(job_id)?;
        if job.status.ended() || job.status == JobStatus::Accepted {
            return Err(to_status(refused(format!(
                "job {job_id} is {}: it is offered only while no one has taken it",
                job.status.as_str()
            ))));
        }
        let why = proposal.not_proposed.iter().find(|c| c.member == member_id).and_then(|c| c.not.clone());
        match why {
            Some(NotProposed::OverLimit { .. }) if req.over_limit => {}
            Some(n @ NotProposed::OverLimit { .. }) => {
                return Err(Status::failed_precondition(format!(
                    "{}: offer it only if they know and choose to (--over-limit; on the desk, the box under the warning)",
                    n.say(&member.name)
                )));
            }
            Some(n) => return Err(Status::failed_precondition(format!("{}: not offered", n.say(&member.name)))),
            None => {}
        }
        let r = self
            .change_job(job_id, "pool job offered", |r| {
                if !r.offered.contains(&member_id) {
                    r.offered.push(member_id);
                }
                r.status = JobStatus::Offered;
                r.step("offered", Some(member_id));
                Ok(())
            })
            .await?;
        Ok(Response::new(self.job_v1(&r).map_err(to_status)?))
    }

    async fn answer_job(&self, req: Request<v1::AnswerJobRequest>) -> Result<Response<v1::PoolJob>, Status> {
        let req = req.into_inner();
        let (job_id, member_id) = (id_field("job", &req.job)?, id_field("member", &req.member)?);
        let (_, member) = self.live_member(member_id)?;
        if req.accept {
            // Checked again now: they may have taken other work since it was offered.
            let (_, proposal) = self.proposal(job_id)?;
            let why = proposal.not_proposed.iter().find(|c| c.member == member_id).and_then(|c| c.not.clone());
            if let Some(n) = why.filter(|n| !matches!(n, NotProposed::OverLimit { .. })) {
                return Err(Status::failed_precondition(format!("{}: not accepted", n.say(&member.name))));
            }
        }
        let r = self
            .change_job(job_id, if req.accept { "pool job accepted" } else { "pool job declined" }, |r| {
                if !r.offered.contains(&member_id) {
                    return Err(refused(format!("job {job_id} was not offered to this member")));
                }
                if r.status != JobStatus::Offered {
                    return Err(refused(format!(
                        "job {job_id} is {}: only an offered job can be answered",
                        r.status.as_str()
                    )));
                }
                if req.accept {
                    r.accepted = Some(member_id);
                    r.status = JobStatus::Accepted;
                    r.step("accepted", Some(member_id));
                } else {
                    if !r.declined.contains(&member_id) {
                        r.declined.push(member_id);
                    }
                    r.step("declined", Some(member_id));
                }
                Ok(())
            })
            .await?;
        Ok(Response::new(self.job_v1(&r).map_err(to_status)?))
    }

    async fn record_hours(&self, req: Request<v1::RecordHoursRequest>) -> Result<Response<v1::PoolJob>, Status> {
        let req = req.into_inner();
        let job_id = id_field("job", &req.job)?;
        if req.minutes == 0 || req.minutes > super::limits::MINUTES {
            return Err(invalid(ValidationError::new(
                "hours",
                format!("must be more than 0 and at most {} hours", super::limits::MINUTES / 60),
            )));
        }
        let r = self
            .change_job(job_id, "pool hours recorded", |r| {
                if r.status != JobStatus::Accepted || r.accepted.is_none() {
                    return Err(StoreError::Invalid(ValidationError::new(
                        "hours",
                        format!(
                            "job {job_id} is {}: hours are recorded only on a job someone accepted",
                            r.status.as_str()
                        ),
                    )));
                }
                r.worked = Some(Worked {
                    minutes: req.minutes,
                    pay_pence: r.job.pay_for(req.minutes),
                    recorded_ms: kith_proto::time::now_ms(),
                });
                r.status = JobStatus::Done;
                r.step("worked", r.accepted);
                Ok(())
            })
            .await?;
        Ok(Response::new(self.job_v1(&r).map_err(to_status)?))
    }

    async fn end_job(&self, req: Request<v1::EndJobRequest>) -> Result<Response<v1::PoolJob>, Status> {
        let req = req.into_inner();
        let job_id = id_field("job", &req.job)?;
        let reason = kith_proto::validate::line("reason", &req.reason, 0, super::limits::NOTE).map_err(invalid)?;
        let (status, reason) = match req.how.as_str() {
            "turned-down" => {
                let reason = if reason.is_empty() {
                    let (_, p) = self.proposal(job_id)?;
                    p.why_none().unwrap_or("members-declined").to_owned()
                } else {
                    reason
                };
                (JobStatus::TurnedDown, Some(reason))
            }
            "cancelled" => (JobStatus::Cancelled, (!reason.is_empty()).then_some(reason)),
            other => {
                return Err(invalid(ValidationError::new(
                    "how",
                    format!("must be turned-down or cancelled (got {other:?})"),
                )));
            }
        };
        let r = self
            .change_job(job_id, &format!("pool job {}", status.as_str()), |r| {
                if r.status.ended() {
                    return Err(refused(format!("job {job_id} is already {}", r.status.as_str())));
                }
                r.status = status;
                r.turned_down = reason.clone();
                r.step(status.as_str(), None);
                Ok(())
            })
            .await?;
        Ok(Response::new(self.job_v1(&r).map_err(to_status)?))
    }

    async fn get_earnings(&self, req: Request<v1::EarningsRequest>) -> Result<Response<v1::Earnings>, Status> {
        let req = req.into_inner();
        let id = id_field("member", &req.member)?;
        let on = if req.on.trim().is_empty() {
            CivilDate::today_here()
        } else {
            CivilDate::parse("on", &req.on).map_err(invalid)?
        };
        let r = self.store.pool_member(id).map_err(to_status)?.ok_or_else(|| not_found("member", id))?;
        let jobs = self.store.pool_jobs().map_err(to_status)?;
        let ledger = self.ledgers(&jobs).remove(&id).unwrap_or_default();
        Ok(Response::new(self.earnings(&r, &ledger, on)))
    }

    async fn get_pay_statement(&self, req: Request<v1::PeriodRequest>) -> Result<Response<v1::PayStatement>, Status> {
        let req = req.into_inner();
        let id = id_field("member", &req.member)?;
        let period = Period::parse(&req.from, &req.to).map_err(invalid)?;
        let (r, member) = self.live_member(id)?;
        let jobs = self.store.pool_jobs().map_err(to_status)?;
        let ledger = self.ledgers(&jobs).remove(&id).unwrap_or_default();
        let mut done: Vec<&JobRecord> = jobs
            .iter()
            .filter(|j| j.accepted == Some(id) && j.status == JobStatus::Done && period.holds(j.job.date))
            .collect();
        done.sort_by_key(|j| (j.job.date, j.job.start));
        let lines: Vec<v1::StatementLine> = done
            .iter()
            .filter_map(|j| {
                let w = j.worked?;
                Some(v1::StatementLine {
                    date: j.job.date.to_string(),
                    job: j.id.to_string(),
                    what: j.job.what.clone(),
                    business: self.business_name(j.job.business),
                    minutes: w.minutes,
                    rate_pence: j.job.rate_pence,
                    pay_pence: w.pay_pence,
                })
            })
            .collect();
        Ok(Response::new(v1::PayStatement {
            group: self.name.clone(),
            member: id.to_string(),
            name: member.name.clone(),
            from: period.from.to_string(),
            to: period.to.to_string(),
            minutes: lines.iter().map(|l| l.minutes).sum(),
            pay_pence: lines.iter().map(|l| l.pay_pence).sum(),
            lines,
            // As of its last day, or today when that is still to come.
            earnings: Some(self.earnings(&r, &ledger, period.to.min(CivilDate::today_here()))),
        }))
    }

    async fn get_pool_report(&self, req: Request<v1::PeriodRequest>) -> Result<Response<v1::PoolReport>, Status> {
        let req = req.into_inner();
        let period = Period::parse(&req.from, &req.to).map_err(invalid)?;
        Ok(Response::new(self.report(period).map_err(to_status)?))
    }
}

impl PoolService {
    /// The name of business `id` (the hub's offer), or its id when it is not one.
    fn business_name(&self, id: Option<Ulid>) -> String {
        let Some(id) = id else { return String::new() };
        match self.store.get::<Offer>(id) {
            Ok(Some(r)) => r.item.name,
            _ => id.to_string(),
        }
    }

    /// Refuses a job booked with a business that is not one of this hub's live offers.
    fn check_business(&self, job: &Job) -> Result<(), Status> {
        let Some(id) = job.business else { return Ok(()) };
        match self.store.get::<Offer>(id).map_err(to_status)? {
            Some(r) if !r.withdrawn => Ok(()),
            Some(_) => Err(invalid(ValidationError::new("business", format!("business {id} is withdrawn")))),
            None => Err(invalid(ValidationError::new(
                "business",
                format!("this hub has no business {id} (kith pool business list shows them)"),
            ))),
        }
    }

    /// The group's figures for `period`.
    pub fn report(&self, period: Period) -> Result<v1::PoolReport, StoreError> {
        use std::collections::{BTreeMap, BTreeSet};
        let jobs: Vec<JobRecord> = self.store.pool_jobs()?.into_iter().filter(|j| period.holds(j.job.date)).collect();
        let mut report =
            v1::PoolReport { from: period.from.to_string(), to: period.to.to_string(), ..Default::default() };
        let mut paid = BTreeSet::new();
        let mut reasons: BTreeMap<String, u32> = BTreeMap::new();
        let mut skills: BTreeMap<String, u32> = BTreeMap::new();
        let mut businesses: BTreeMap<String, v1::BusinessFigures> = BTreeMap::new();
        for j in &jobs {
            report.jobs_booked += 1;
            match (j.status, j.worked) {
                (JobStatus::Done, Some(w)) => {
                    report.jobs_done += 1;
                    report.minutes += w.minutes;
                    report.pay_pence += w.pay_pence;
                    paid.extend(j.accepted);
                    let key = j.job.business.map(|b| b.to_string()).unwrap_or_default();
                    let b = businesses.entry(key.clone()).or_insert_with(|| v1::BusinessFigures {
                        business: key,
                        name: self.business_name(j.job.business),
                        ..Default::default()
                    });
                    b.jobs += 1;
                    b.minutes += w.minutes;
                    b.pay_pence += w.pay_pence;
                }
                (JobStatus::TurnedDown, _) => {
                    *reasons.entry(j.turned_down.clone().unwrap_or_default()).or_default() += 1;
                    for s in &j.job.skills {
                        *skills.entry(s.to_lowercase()).or_default() += 1;
                    }
                }
                (JobStatus::Cancelled, _) => report.jobs_cancelled += 1,
                _ => {}
            }
        }
        report.members_paid = paid.len() as u32;
        report.turned_down = reasons.into_iter().map(|(reason, jobs)| v1::ReasonCount { reason, jobs }).collect();
        report.skills_turned_down = skills.into_iter().map(|(reason, jobs)| v1::ReasonCount { reason, jobs }).collect();
        report.businesses = businesses.into_values().collect();
        Ok(report)
    }
}
