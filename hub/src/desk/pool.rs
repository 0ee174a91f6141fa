//! The desk's pool pages: the group's members and the jobs booked with it — the
//! week's rota, who could take each job and why the others could not, offers and
//! answers, hours and pay, each member's earnings beside their own limit, their pay
//! statement (a printable page; `kith pool member statement --pdf` writes the PDF)
//! and the group's own figures.
//!
//! A member of the pool with a desk account of their own (role `member`) sees only
//! `/me`: the jobs offered to them, to take or turn down, and their earnings.
//!
//! Every change goes through the pool's gRPC service ([`PoolService`]) under the
//! desk user's name, so the desk checks and audits exactly as `kith pool` does. How
//! to reach a member is shown only after a button press, which the audit log records.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use std::collections::HashMap;
use tonic::{Request, Status};

use kith_proto::time::CivilDate;
use kith_proto::v1::{self, hub_pool_server::HubPool};
use kith_words::{date_text, day_text, pounds, work_hours, work_hours_text};

use super::form::{Fields, checkbox, erase_form, error_summary, field, select, text_input, textarea, token};
use super::{Desk, Posted, Worker, frame, page_error, respond};
use crate::pool::Period;
use crate::store::{Role, acting};

pub(super) fn routes() -> Router<Desk> {
    Router::new()
        .route("/pool", get(overview))
        .route("/pool/report", get(report))
        .route("/pool/members/new", get(member_new))
        .route("/pool/members", post(member_add))
        .route("/pool/members/{id}", get(member).post(member_change))
        .route("/pool/members/{id}/edit", get(member_edit))
        .route("/pool/members/{id}/contact", post(member_contact))
        .route("/pool/members/{id}/erase", post(member_erase))
        .route("/pool/members/{id}/statement", get(statement))
        .route("/pool/jobs/new", get(job_new))
        .route("/pool/jobs", post(job_add))
        .route("/pool/jobs/{id}", get(job))
        .route("/pool/jobs/{id}/{step}", post(job_step))
        .route("/me", get(me))
        .route("/me/{job}/{answer}", post(me_answer))
}

/// A failed call's message, split into the form field it names (before the first
/// `:`, without `[i]` or `.part`) and what is wrong.
fn field_error(status: &Status) -> (String, String) {
    let message = status.message();
    match (status.code(), message.split_once(": ")) {
        (tonic::Code::InvalidArgument, Some((f, _))) => {
            let id = f.split(['[', '.']).next().unwrap_or(f);
            (id.to_owned(), message.to_owned())
        }
        _ => ("problem".to_owned(), message.to_owned()),
    }
}

/// Lines or commas, trimmed, empty ones left out.
fn items(text: &str, commas: bool) -> Vec<String> {
    text.split(|c| c == '\n' || (commas && c == ','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `text` with its first letter a capital, to stand as a sentence.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn money(pence: u64) -> String {
    pounds(pence)
}

/// `£150 this week of a £195.50 limit — £45.50 left`.
fn week_text(e: &v1::Earnings) -> String {
    kith_words::week_earnings_text(
        e.week_pence,
        e.week_booked_pence,
        e.has_limit.then_some(e.weekly_limit_pence.into()),
    )
}

async fn overview(State(desk): State<Desk>, w: Worker, Query(q): Query<HashMap<String, String>>) -> Response {
    let from = q.get("week").and_then(|d| CivilDate::parse("week", d).ok()).unwrap_or_else(CivilDate::today_here);
    let week = Period::week(from);
    let members = desk.pool.list_members(Request::new(v1::ListMembersRequest { include_erased: false })).await;
    let jobs = desk
        .pool
        .list_jobs(Request::new(v1::ListJobsRequest {
            from: week.from.to_string(),
            to: week.to.to_string(),
            open: false,
        }))
        .await;
    let open = desk.pool.list_jobs(Request::new(v1::ListJobsRequest { open: true, ..Default::default() })).await;
    let (members, jobs, open) = match (members, jobs, open) {
        (Ok(m), Ok(j), Ok(o)) => (m.into_inner().members, j.into_inner().jobs, o.into_inner().jobs),
        (Err(e), ..) | (_, Err(e), _) | (.., Err(e)) => {
            return page_error(
                &desk,
                Some(&w),
                StatusCode::SERVICE_UNAVAILABLE,
                "The pool cannot be shown",
                e.message(),
            );
        }
    };
    let waiting: Vec<&v1::PoolJob> = open.iter().filter(|j| matches!(j.status.as_str(), "open" | "offered")).collect();
    let step = |days: i64| {
        let d: CivilDate = (week.from.to_jiff() + jiff::Span::new().days(days)).into();
        format!("/pool?week={d}")
    };
    let content = html! {
        h1 { "Pool" }
        p { a.button href="/pool/jobs/new" { "Book a job" } " " a.button.secondary href="/pool/members/new" { "Add a member" } }
        p { a href="/pool/report" { "The group's figures: hours, pay, jobs turned down" } " · " a href="/listings#offers" { "The businesses, as the region sees them" } }
        @if !waiting.is_empty() {
            h2 { "Waiting for someone" }
            ul.rows { @for j in &waiting { li { (job_line(j)) } } }
        }
        h2 #rota { "The week from " (date_text(week.from)) }
        p.meta { a href=(step(-7)) { "Week before" } " · " a href=(step(7)) { "Week after" } }
        @if jobs.is_empty() { p { "No jobs booked this week." } }
        @else {
            table {
                caption.visually-hidden { "Jobs this week, by day" }
                thead { tr { th scope="col" { "Day" } th scope="col" { "Job" } th scope="col" { "Hours" } th scope="col" { "Who" } th scope="col" { "Status" } } }
                tbody {
                    @for j in &jobs {
                        @let f = j.fields.clone().unwrap_or_default();
                        tr {
                            td data-label="Day" { (CivilDate::parse("d", &f.date).map(day_text).unwrap_or(f.date.clone())) ", " (f.start) }
                            td data-label="Job" { a href={ "/pool/jobs/" (j.id) } { (f.what) } }
                            td data-label="Hours" { (work_hours(f.minutes)) }
                            td data-label="Who" { @if j.accepted_name.is_empty() { "—" } @else { (j.accepted_name) } }
                            td data-label="Status" { (j.status) }
                        }
                    }
                }
            }
        }
        h2 { "Members" }
        @if members.is_empty() { p { "No members yet." } }
        @else {
            table {
                caption.visually-hidden { "Members, with their earnings this week" }
                thead { tr { th scope="col" { "Member" } th scope="col" { "Can do" } th scope="col" { "This week" } } }
                tbody {
                    @for m in &members {
                        @let f = m.fields.clone().unwrap_or_default();
                        tr {
                            td data-label="Member" { a href={ "/pool/members/" (m.id) } { (f.name) } }
                            td data-label="Can do" { (f.skills.join(", ")) }
                            td data-label="This week" { (m.earnings.as_ref().map(week_text).unwrap_or_default()) }
                        }
                    }
                }
            }
        }
    };
    respond(StatusCode::OK, frame(&desk, Some(&w), "Pool", content))
}

fn job_line(j: &v1::PoolJob) -> Markup {
    let f = j.fields.clone().unwrap_or_default();
    html! {
        a href={ "/pool/jobs/" (j.id) } { (f.what) }
        " — " (CivilDate::parse("d", &f.date).map(day_text).unwrap_or(f.date.clone())) " " (f.start) ", "
        (work_hours_text(f.minutes)) " (" (j.status) ")"
    }
}

// --- Members -------------------------------------------------------------------

fn member_form(w: &Worker, action: &str, values: &Fields, errors: &[(String, String)], button: &str) -> Markup {
    html! {
        form method="post" action=(action) novalidate {
            (token(w))
            (text_input("name", "Name", None, field(values, "name"), errors))
            (textarea("contact", "How to reach them", Some("Kept on this hub only, shown after a button press."), field(values, "contact"), errors))
            (textarea("skills", "What they can do", Some("One a line, or separated by commas: gardening, hedge cutting."), field(values, "skills"), errors))
            (textarea("availability", "When they can work", Some("One a line, a day and times: tue 09:00-17:00."), field(values, "availability"), errors))
            (textarea("away", "Days they cannot work", Some("One a line: 2026-12-24..2027-01-02, or one day."), field(values, "away"), errors))
            (text_input("min_rate", "The least they work for an hour, in pounds", Some("At least the region's fair rate."), field(values, "min_rate"), errors))
            (text_input("weekly_limit", "Their own weekly earnings limit, in pounds", Some("Only if they keep one, for example a Permitted Work limit. Leave it empty if not."), field(values, "weekly_limit"), errors))
            (text_input("desk_user", "Their desk account, if they have one", Some("An account with the member role: they answer offers themselves."), field(values, "desk_user"), errors))
            button type="submit" { (button) }
        }
    }
}

/// The form's member, read: errors name the field they are about.
fn member_fields(form: &Fields) -> Result<v1::MemberFields, (String, String)> {
    let pence = |name: &str| -> Result<Option<u32>, (String, String)> {
        let v = field(form, name).trim();
        if v.is_empty() {
            return Ok(None);
        }
        let p = kith_proto::validate::parse_pounds(v).map_err(|why| (name.to_owned(), format!("{name}: {why}")))?;
        u32::try_from(p).map(Some).map_err(|_| (name.to_owned(), format!("{name}: too much")))
    };
    let availability = items(field(form, "availability"), false)
        .iter()
        .map(|l| crate::pool::parse_window("availability", l))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ("availability".to_owned(), e.to_string()))?;
    let away = items(field(form, "away"), false)
        .iter()
        .map(|l| crate::pool::parse_away("away", l))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ("away".to_owned(), e.to_string()))?;
    let min_rate = pence("min_rate")?
        .ok_or_else(|| ("min_rate".to_owned(), "min_rate: give the least they work for an hour".to_owned()))?;
    Ok(v1::MemberFields {
        name: field(form, "name").to_owned(),
        contact: field(form, "contact").to_owned(),
        skills: items(field(form, "skills"), true),
        availability: availability
            .iter()
            .map(|w| v1::MemberWindow { day: w.day.as_str().into(), from: w.from.to_string(), to: w.to.to_string() })
            .collect(),
        away: away
            .iter()
            .map(|a| v1::MemberAway { from: a.from.to_string(), to: a.to.to_string(), note: String::new() })
            .collect(),
        min_rate_pence: min_rate,
        weekly_limit_pence: pence("weekly_limit")?,
        desk_user: field(form, "desk_user").trim().to_owned(),
    })
}

/// A member's fields as the form shows them.
fn member_values(f: &v1::MemberFields) -> Fields {
    let pair = |k: &str, v: String| (k.to_owned(), v);
    vec![
        pair("name", f.name.clone()),
        pair("contact", f.contact.clone()),
        pair("skills", f.skills.join("\n")),
        pair(
            "availability",
            f.availability
                .iter()
                .map(|w| format!("{} {}-{}", &w.day[..3], w.from, w.to))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        pair(
            "away",
            f.away
                .iter()
                .map(|a| if a.from == a.to { a.from.clone() } else { format!("{}..{}", a.from, a.to) })
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        pair("min_rate", pence_value(f.min_rate_pence.into())),
        pair("weekly_limit", f.weekly_limit_pence.map(|p| pence_value(p.into())).unwrap_or_default()),
        pair("desk_user", f.desk_user.clone()),
    ]
}

/// Pence as a form writes pounds: `13.45`, `195.50`, `25`.
fn pence_value(p: u64) -> String {
    if p.is_multiple_of(100) { (p / 100).to_string() } else { format!("{}.{:02}", p / 100, p % 100) }
}

/// A page of one of the pool's forms, with what is wrong above it: a field's error
/// beside its field, any other (`problem`) in a box of its own.
fn form_page(desk: &Desk, w: &Worker, title: &str, errors: &[(String, String)], form: Markup) -> Response {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let main_error = errors.iter().find(|(f, _)| f == "problem");
    respond(
        status,
        frame(
            desk,
            Some(w),
            title,
            html! {
                (error_summary(errors))
                h1 { (title) }
                @if let Some((_, m)) = main_error { p.warn #problem { (m) } }
                (form)
                p { a href="/pool" { "Back to the pool" } }
            },
        ),
    )
}

fn member_form_page(
    desk: &Desk,
    w: &Worker,
    title: &str,
    action: &str,
    values: &Fields,
    errors: &[(String, String)],
) -> Response {
    form_page(desk, w, title, errors, member_form(w, action, values, errors, "Save"))
}

async fn member_new(State(desk): State<Desk>, w: Worker) -> Response {
    member_form_page(&desk, &w, "Add a member", "/pool/members", &Vec::new(), &[])
}

async fn member_add(State(desk): State<Desk>, Posted(w, form): Posted) -> Response {
    let fields = match member_fields(&form) {
        Ok(f) => f,
        Err(e) => return member_form_page(&desk, &w, "Add a member", "/pool/members", &form, &[e]),
    };
    match acting(w.actor(), desk.pool.add_member(Request::new(fields))).await {
        Ok(m) => Redirect::to(&format!("/pool/members/{}", m.into_inner().id)).into_response(),
        Err(e) => member_form_page(&desk, &w, "Add a member", "/pool/members", &form, &[field_error(&e)]),
    }
}

async fn member_edit(State(desk): State<Desk>, w: Worker, Path(id): Path<String>) -> Response {
    match desk.pool.get_member(Request::new(v1::IdRequest { id: id.clone() })).await {
        Ok(m) => match m.into_inner().fields {
            Some(f) => {
                member_form_page(&desk, &w, "Change a member", &format!("/pool/members/{id}"), &member_values(&f), &[])
            }
            None => page_error(&desk, Some(&w), StatusCode::GONE, "Erased", "This member's details were erased."),
        },
        Err(e) => page_error(&desk, Some(&w), StatusCode::NOT_FOUND, "No such member", e.message()),
    }
}

async fn member_change(State(desk): State<Desk>, Path(id): Path<String>, Posted(w, form): Posted) -> Response {
    let action = format!("/pool/members/{id}");
    let fields = match member_fields(&form) {
        Ok(f) => f,
        Err(e) => return member_form_page(&desk, &w, "Change a member", &action, &form, &[e]),
    };
    let request = v1::UpdateMemberRequest { id: id.clone(), fields: Some(fields) };
    match acting(w.actor(), desk.pool.update_member(Request::new(request))).await {
        Ok(_) => Redirect::to(&action).into_response(),
        Err(e) => member_form_page(&desk, &w, "Change a member", &action, &form, &[field_error(&e)]),
    }
}

async fn member(State(desk): State<Desk>, w: Worker, Path(id): Path<String>) -> Response {
    member_page(&desk, &w, &id, false, &[]).await
}

async fn member_page(desk: &Desk, w: &Worker, id: &str, contact: bool, errors: &[(String, String)]) -> Response {
    let m = match desk.pool.get_member(Request::new(v1::IdRequest { id: id.to_owned() })).await {
        Ok(m) => m.into_inner(),
        Err(e) => return page_error(desk, Some(w), StatusCode::NOT_FOUND, "No such member", e.message()),
    };
    let action = |step: &str| format!("/pool/members/{}/{step}", m.id);
    let e = m.earnings.clone().unwrap_or_default();
    let today = CivilDate::today_here();
    let month = Period::month(today);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let Some(f) = m.fields.clone() else {
        return respond(
            status,
            frame(
                desk,
                Some(w),
                "Erased member",
                html! {
                    h1 { "Erased member" }
                    p { "Their details were erased. The hours and pay of the jobs they worked stay in the group's figures, without their name." }
                    p { a href="/pool" { "Back to the pool" } }
                },
            ),
        );
    };
    respond(
        status,
        frame(
            desk,
            Some(w),
            &f.name,
            html! {
                (error_summary(errors))
                h1 { (f.name) }
                h2 { "Earnings" }
                dl.details {
                    dt { "This week (from " (CivilDate::parse("d", &e.week_from).map(date_text).unwrap_or_default()) ")" } dd { strong { (week_text(&e)) } }
                    dt { "This month" } dd { (money(e.month_pence)) }
                    dt { "This tax year (from " (CivilDate::parse("d", &e.tax_year_from).map(date_text).unwrap_or_default()) ")" } dd { (money(e.tax_year_pence)) }
                    dt { "Their weekly limit" } dd { @if e.has_limit { (money(e.weekly_limit_pence.into())) } @else { "None kept here" } }
                }
                form method="get" action=(action("statement")) {
                    h2 { "Pay statement" }
                    div.inline {
                        div.field { label for="from" { "From" } input #from type="date" name="from" value=(month.from.to_string()); }
                        div.field { label for="to" { "To" } input #to type="date" name="to" value=(today.to_string()); }
                    }
                    button.secondary type="submit" { "Show the statement" }
                }
                h2 { "Details" }
                dl.details {
                    dt { "Can do" } dd { (f.skills.join(", ")) }
                    dt { "When they can work" } dd { @for a in &f.availability { (sentence(&a.day)) " " (a.from) "–" (a.to) br; } }
                    @if !f.away.is_empty() { dt { "Away" } dd { @for a in &f.away { (a.from) " to " (a.to) br; } } }
                    dt { "The least they work for" } dd { (money(f.min_rate_pence.into())) " an hour" }
                    @if !f.desk_user.is_empty() { dt { "Desk account" } dd { (f.desk_user) } }
                    dt { "How to reach them" }
                    dd {
                        @if contact { @if f.contact.is_empty() { "—" } @else { (f.contact) } }
                        @else {
                            form method="post" action=(action("contact")) {
                                (token(w))
                                button.secondary type="submit" { "Show how to reach them" }
                                p.hint { "Showing it is recorded in the audit log." }
                            }
                        }
                    }
                }
                p { a.button.secondary href=(action("edit")) { "Change their details" } }
                h2 { "Erase" }
                p.hint { "Their name, how to reach them, skills and limit are destroyed for good. The hours and pay of jobs they worked stay, without their name." }
                (erase_form(w, &action("erase"), "Erase this member's details, for good", "Erase"))
                p { a href="/pool" { "Back to the pool" } }
            },
        ),
    )
}

async fn member_contact(State(desk): State<Desk>, Path(id): Path<String>, Posted(w, _): Posted) -> Response {
    if let Err(r) = super::pages::audit_shown(&desk, &w, "pool member contact shown", &id).await {
        return r;
    }
    member_page(&desk, &w, &id, true, &[]).await
}

async fn member_erase(State(desk): State<Desk>, Path(id): Path<String>, Posted(w, form): Posted) -> Response {
    if field(&form, "sure") != "yes" {
        let errors = [("erase".to_owned(), "Tick the box to erase their details: it cannot be undone".to_owned())];
        return member_page(&desk, &w, &id, false, &errors).await;
    }
    match acting(w.actor(), desk.pool.erase_member(Request::new(v1::IdRequest { id: id.clone() }))).await {
        Ok(_) => Redirect::to(&format!("/pool/members/{id}")).into_response(),
        Err(e) => page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, "Not erased", e.message()),
    }
}

async fn statement(
    State(desk): State<Desk>,
    w: Worker,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let request = v1::PeriodRequest { member: id.clone(), from: get("from"), to: get("to") };
    let s = match desk.pool.get_pay_statement(Request::new(request)).await {
        Ok(s) => s.into_inner(),
        Err(e) => return page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, "No statement", e.message()),
    };
    let date = |d: &str| CivilDate::parse("d", d).map(date_text).unwrap_or_else(|_| d.to_owned());
    let e = s.earnings.clone().unwrap_or_default();
    respond(
        StatusCode::OK,
        frame(
            &desk,
            Some(&w),
            "Pay statement",
            html! {
                div.statement {
                    h1 { "Pay statement" }
                    p.lede { strong { (s.name) } br; (date(&s.from)) " to " (date(&s.to)) br; "From " (s.group) }
                    @if s.lines.is_empty() { p { "No work was recorded in this period." } }
                    @else {
                        table {
                            caption.visually-hidden { "Work done, day by day" }
                            thead { tr { th scope="col" { "Day" } th scope="col" { "Work" } th scope="col" { "Hours" } th scope="col" { "Rate" } th scope="col" { "Pay" } } }
                            tbody {
                                @for l in &s.lines {
                                    tr {
                                        td data-label="Day" { (CivilDate::parse("d", &l.date).map(day_text).unwrap_or(l.date.clone())) }
                                        td data-label="Work" { (l.what) }
                                        td data-label="Hours" { (work_hours(l.minutes)) }
                                        td data-label="Rate" { (money(l.rate_pence.into())) " an hour" }
                                        td data-label="Pay" { (money(l.pay_pence)) }
                                    }
                                }
                            }
                            tfoot { tr { th scope="row" { "Total" } td {} td data-label="Hours" { (work_hours(s.minutes)) } td {} td data-label="Pay" { strong { (money(s.pay_pence)) } } } }
                        }
                    }
                    h2 { "Earnings and their limit" }
                    dl.details {
                        dt { "The week from " (date(&e.week_from)) } dd { (week_text(&e)) }
                        dt { "That month" } dd { (money(e.month_pence)) }
                        dt { "The tax year from " (date(&e.tax_year_from)) } dd { (money(e.tax_year_pence)) }
                    }
                    p.hint { "Print this page, or make a PDF with: kith pool member statement " (s.member) " --from " (s.from) " --to " (s.to) " --pdf statement.pdf" }
                }
                p { a href={ "/pool/members/" (id) } { "Back to the member" } }
            },
        ),
    )
}

// --- Jobs ------------------------------------------------------------------------

fn job_form(w: &Worker, businesses: &[(String, String)], values: &Fields, errors: &[(String, String)]) -> Markup {
    let mut options: Vec<(&str, &str)> = vec![("", "None: booked with the pool itself")];
    options.extend(businesses.iter().map(|(id, name)| (id.as_str(), name.as_str())));
    html! {
        form method="post" action="/pool/jobs" novalidate {
            (token(w))
            @if !field(values, "ask").is_empty() {
                input type="hidden" name="ask" value=(field(values, "ask"));
                p.hint { "Booked from an ask: what the person wrote stays with the ask. Copy here only what the job needs." }
            }
            (text_input("what", "What is to be done", None, field(values, "what"), errors))
            (text_input("date", "Day", Some("As YYYY-MM-DD, for example 2026-12-08."), field(values, "date"), errors))
            (text_input("start", "Starts at", Some("As HH:MM, for example 09:30."), field(values, "start"), errors))
            (text_input("hours", "How long, in hours", Some("For example 3, 2.5 or 2:30."), field(values, "hours"), errors))
            (text_input("rate", "Pay an hour to the worker, in pounds", Some("At least the region's fair rate."), field(values, "rate"), errors))
            (textarea("skills", "Skills it needs", Some("One a line, or separated by commas."), field(values, "skills"), errors))
            (text_input("place", "Where", None, field(values, "place"), errors))
            (text_input("client", "Who booked it", None, field(values, "client"), errors))
            (textarea("contact", "How to reach them", None, field(values, "contact"), errors))
            (select("business", "Booked with", &options, field(values, "business"), errors))
            button type="submit" { "Book it" }
        }
    }
}

/// The hub's live businesses (offers), as (id, name).
fn businesses(desk: &Desk) -> Vec<(String, String)> {
    let offers = desk.store.list::<kith_proto::offer::Offer>().unwrap_or_default();
    offers.into_iter().filter(|r| !r.withdrawn).map(|r| (r.item.id.to_string(), r.item.name)).collect()
}

fn job_form_page(desk: &Desk, w: &Worker, values: &Fields, errors: &[(String, String)]) -> Response {
    form_page(desk, w, "Book a job", errors, job_form(w, &businesses(desk), values, errors))
}

async fn job_new(State(desk): State<Desk>, w: Worker, Query(q): Query<HashMap<String, String>>) -> Response {
    let values: Fields = q.into_iter().filter(|(k, _)| k != "csrf").collect();
    job_form_page(&desk, &w, &values, &[])
}

async fn job_add(State(desk): State<Desk>, Posted(w, form): Posted) -> Response {
    let minutes = match crate::pool::parse_hours("hours", field(&form, "hours")) {
        Ok(m) => m,
        Err(e) => return job_form_page(&desk, &w, &form, &[("hours".into(), e.to_string())]),
    };
    let rate = match kith_proto::validate::parse_pounds(field(&form, "rate")) {
        Ok(p) => u32::try_from(p).unwrap_or(u32::MAX),
        Err(why) => return job_form_page(&desk, &w, &form, &[("rate".into(), format!("rate: {why}"))]),
    };
    let fields = v1::JobFields {
        business: field(&form, "business").trim().to_owned(),
        what: field(&form, "what").to_owned(),
        place: field(&form, "place").to_owned(),
        client: field(&form, "client").to_owned(),
        contact: field(&form, "contact").to_owned(),
        date: field(&form, "date").to_owned(),
        start: field(&form, "start").to_owned(),
        minutes,
        skills: items(field(&form, "skills"), true),
        rate_pence: rate,
        ask: field(&form, "ask").trim().to_owned(),
    };
    match acting(w.actor(), desk.pool.add_job(Request::new(fields))).await {
        Ok(j) => Redirect::to(&format!("/pool/jobs/{}", j.into_inner().id)).into_response(),
        Err(e) => job_form_page(&desk, &w, &form, &[field_error(&e)]),
    }
}

async fn job(State(desk): State<Desk>, w: Worker, Path(id): Path<String>) -> Response {
    job_page(&desk, &w, &id, &[]).await
}

async fn job_page(desk: &Desk, w: &Worker, id: &str, errors: &[(String, String)]) -> Response {
    let j = match desk.pool.get_job(Request::new(v1::IdRequest { id: id.to_owned() })).await {
        Ok(j) => j.into_inner(),
        Err(e) => return page_error(desk, Some(w), StatusCode::NOT_FOUND, "No such job", e.message()),
    };
    let f = j.fields.clone().unwrap_or_default();
    let waiting = matches!(j.status.as_str(), "open" | "offered");
    let proposal = if waiting {
        desk.pool.propose_job(Request::new(v1::IdRequest { id: id.to_owned() })).await.ok().map(|p| p.into_inner())
    } else {
        None
    };
    let names: HashMap<String, String> = desk
        .pool
        .list_members(Request::new(v1::ListMembersRequest { include_erased: true }))
        .await
        .map(|l| l.into_inner().members)
        .unwrap_or_default()
        .into_iter()
        .map(|m| (m.id, m.fields.map(|f| f.name).unwrap_or_else(|| "(erased)".into())))
        .collect();
    let name = |m: &str| names.get(m).cloned().unwrap_or_else(|| m.to_owned());
    let action = |step: &str| format!("/pool/jobs/{}/{step}", j.id);
    let main_error = errors.iter().find(|(f, _)| f == "problem");
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let answering: Vec<&String> = j.offered.iter().filter(|m| !j.declined.contains(m)).collect();
    respond(
        status,
        frame(
            desk,
            Some(w),
            &f.what,
            html! {
                (error_summary(errors))
                h1 { (f.what) }
                @if let Some((_, m)) = main_error { p.warn #problem role="alert" { (m) } }
                dl.details {
                    dt { "When" } dd { (CivilDate::parse("d", &f.date).map(day_text).unwrap_or(f.date.clone())) ", " (f.start) ", " (work_hours_text(f.minutes)) }
                    dt { "Pay" } dd { (money(f.rate_pence.into())) " an hour: " (money(crate::pool::pay(f.minutes, f.rate_pence))) }
                    dt { "Skills" } dd { @if f.skills.is_empty() { "—" } @else { (f.skills.join(", ")) } }
                    @if !f.place.is_empty() { dt { "Where" } dd { (f.place) } }
                    @if !f.client.is_empty() { dt { "Booked by" } dd { (f.client) } }
                    dt { "Status" } dd { strong { (j.status) } @if !j.turned_down.is_empty() { ": " (j.turned_down.replace('-', " ")) } }
                    @if !j.accepted.is_empty() { dt { "Taken by" } dd { a href={ "/pool/members/" (j.accepted) } { (name(&j.accepted)) } } }
                    @if j.status == "done" { dt { "Worked" } dd { (work_hours_text(j.worked_minutes)) ", paid " (money(j.pay_pence)) } }
                }
                @if j.status == "offered" && !answering.is_empty() {
                    h2 { "Offered to" }
                    p.hint { "Record their answer here for members without a desk account of their own." }
                    ul.rows {
                        @for m in &answering {
                            li {
                                (name(m)) " "
                                form.inline method="post" action=(action("answer")) {
                                    (token(w)) input type="hidden" name="member" value=(m);
                                    button type="submit" name="answer" value="yes" { "They take it" }
                                    " "
                                    button.secondary type="submit" name="answer" value="no" { "They say no" }
                                }
                            }
                        }
                    }
                }
                @if let Some(p) = &proposal {
                    h2 #proposal { "Who could take it" }
                    @if p.proposed.is_empty() {
                        p { "No one can take this job: " (p.why_none.replace('-', " ")) "." }
                    } @else {
                        ul.rows {
                            @for c in &p.proposed {
                                li {
                                    strong { (c.name) } " — " (money(c.week_pence)) " this week"
                                    @if c.has_limit { ", " (money(c.room_after_pence.max(0) as u64)) " left under their limit after this job" }
                                    @if !j.offered.contains(&c.member) {
                                        form.inline method="post" action=(action("offer")) {
                                            (token(w)) input type="hidden" name="member" value=(c.member);
                                            " " button.secondary type="submit" { "Offer it to " (c.name) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if !p.not_proposed.is_empty() {
                        h3 { "Not proposed" }
                        ul.rows {
                            @for c in &p.not_proposed {
                                li {
                                    (sentence(&c.why))
                                    @if c.why_code == "over-limit" && !j.offered.contains(&c.member) {
                                        form method="post" action=(action("offer")) {
                                            (token(w)) input type="hidden" name="member" value=(c.member);
                                            (checkbox(&format!("over_limit-{}", c.member), &format!("{} knows this takes them over their limit, and chooses to", c.name), false))
                                            button.secondary type="submit" { "Offer it anyway" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if j.status == "accepted" {
                    h2 { "Hours worked" }
                    form method="post" action=(action("hours")) novalidate {
                        (token(w))
                        (text_input("hours", "Hours worked", Some("For example 3, 2.5 or 2:30. The pay follows from the rate."), &work_hours(f.minutes), errors))
                        button type="submit" { "Record the hours" }
                    }
                }
                @if waiting || j.status == "accepted" {
                    h2 { "End it" }
                    form method="post" action=(action("end")) {
                        (token(w))
                        (text_input("reason", "Why (optional)", Some("If the pool cannot take it and you leave this empty, the reason is worked out from who could not."), "", errors))
                        button.secondary type="submit" name="how" value="turned-down" { "The pool cannot take it" }
                        " "
                        button.secondary type="submit" name="how" value="cancelled" { "Whoever booked it called it off" }
                    }
                }
                h2 { "History" }
                ol { @for s in &j.history { li { (s.what) @if !s.member.is_empty() { " (" (name(&s.member)) ")" } " by " (s.by) ", " (super::form::when(s.at_ms)) } } }
                p { a href="/pool" { "Back to the pool" } }
            },
        ),
    )
}

async fn job_step(
    State(desk): State<Desk>,
    Path((id, step)): Path<(String, String)>,
    Posted(w, form): Posted,
) -> Response {
    let member = field(&form, "member").to_owned();
    let done = match step.as_str() {
        "offer" => {
            let over_limit = field(&form, &format!("over_limit-{member}")) == "yes";
            let request = v1::OfferJobRequest { job: id.clone(), member, over_limit };
            acting(w.actor(), desk.pool.offer_job(Request::new(request))).await
        }
        "answer" => {
            let request = v1::AnswerJobRequest { job: id.clone(), member, accept: field(&form, "answer") == "yes" };
            acting(w.actor(), desk.pool.answer_job(Request::new(request))).await
        }
        "hours" => match crate::pool::parse_hours("hours", field(&form, "hours")) {
            Ok(minutes) => {
                let request = v1::RecordHoursRequest { job: id.clone(), minutes };
                acting(w.actor(), desk.pool.record_hours(Request::new(request))).await
            }
            Err(e) => return job_page(&desk, &w, &id, &[("hours".into(), e.to_string())]).await,
        },
        "end" => {
            let request = v1::EndJobRequest {
                job: id.clone(),
                how: field(&form, "how").to_owned(),
                reason: field(&form, "reason").to_owned(),
            };
            acting(w.actor(), desk.pool.end_job(Request::new(request))).await
        }
        _ => return page_error(&desk, Some(&w), StatusCode::NOT_FOUND, "Page not found", "There is no such step."),
    };
    match done {
        Ok(_) => Redirect::to(&format!("/pool/jobs/{id}")).into_response(),
        Err(e) => {
            let (f, m) = field_error(&e);
            let f = if step == "hours" || f == "reason" { f } else { "problem".to_owned() };
            job_page(&desk, &w, &id, &[(f, m)]).await
        }
    }
}

// --- The group's figures -------------------------------------------------------------

async fn report(State(desk): State<Desk>, w: Worker, Query(q): Query<HashMap<String, String>>) -> Response {
    let today = CivilDate::today_here();
    let from = q.get("from").cloned().unwrap_or_else(|| Period::month(today).from.to_string());
    let to = q.get("to").cloned().unwrap_or_else(|| today.to_string());
    let request = v1::PeriodRequest { member: String::new(), from: from.clone(), to: to.clone() };
    let r = match desk.pool.get_pool_report(Request::new(request)).await {
        Ok(r) => r.into_inner(),
        Err(e) => return page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, "No figures", e.message()),
    };
    let date = |d: &str| CivilDate::parse("d", d).map(date_text).unwrap_or_else(|_| d.to_owned());
    respond(
        StatusCode::OK,
        frame(
            &desk,
            Some(&w),
            "The group's figures",
            html! {
                h1 { "The group's figures" }
                form method="get" action="/pool/report" {
                    div.inline {
                        div.field { label for="from" { "From" } input #from type="date" name="from" value=(from); }
                        div.field { label for="to" { "To" } input #to type="date" name="to" value=(to); }
                    }
                    button.secondary type="submit" { "Show" }
                }
                h2 { (date(&r.from)) " to " (date(&r.to)) }
                dl.details {
                    dt { "Jobs booked" } dd { (r.jobs_booked) }
                    dt { "Jobs done" } dd { (r.jobs_done) }
                    dt { "Hours worked" } dd { (work_hours(r.minutes)) }
                    dt { "Paid to members" } dd { (money(r.pay_pence)) }
                    dt { "Members paid" } dd { (r.members_paid) }
                    dt { "Cancelled by whoever booked" } dd { (r.jobs_cancelled) }
                }
                h2 { "Jobs the pool could not take" }
                @if r.turned_down.is_empty() { p { "None." } }
                @else {
                    ul { @for c in &r.turned_down { li { (c.reason.replace('-', " ")) ": " (c.jobs) } } }
                    p { "Skills they needed: " (r.skills_turned_down.iter().map(|c| format!("{} ({})", c.reason, c.jobs)).collect::<Vec<_>>().join(", ")) }
                }
                p { a href="/pool" { "Back to the pool" } }
            },
        ),
    )
}

// --- A member's own page ---------------------------------------------------------------

/// The pool member whose desk account `w` is.
async fn own_member(desk: &Desk, w: &Worker) -> Option<v1::PoolMember> {
    let members = desk.pool.list_members(Request::new(v1::ListMembersRequest { include_erased: false })).await.ok()?;
    members.into_inner().members.into_iter().find(|m| m.fields.as_ref().is_some_and(|f| f.desk_user == w.user.name))
}

async fn me(State(desk): State<Desk>, w: Worker) -> Response {
    me_page(&desk, &w, None).await
}

async fn me_page(desk: &Desk, w: &Worker, problem: Option<&str>) -> Response {
    let Some(m) = own_member(desk, w).await else {
        let why = if w.user.role == Role::Member {
            "Your account is not linked to a member of the pool yet: ask your coordinator."
        } else {
            "This page is for members of the pool, with their own account."
        };
        return page_error(desk, Some(w), StatusCode::OK, "My work", why);
    };
    let open = desk.pool.list_jobs(Request::new(v1::ListJobsRequest { open: true, ..Default::default() })).await;
    let jobs = open.map(|l| l.into_inner().jobs).unwrap_or_default();
    let offered: Vec<&v1::PoolJob> = jobs
        .iter()
        .filter(|j| j.status == "offered" && j.offered.contains(&m.id) && !j.declined.contains(&m.id))
        .collect();
    let mine: Vec<&v1::PoolJob> = jobs.iter().filter(|j| j.accepted == m.id).collect();
    let e = m.earnings.clone().unwrap_or_default();
    respond(
        StatusCode::OK,
        frame(
            desk,
            Some(w),
            "My work",
            html! {
                h1 { "My work" }
                @if let Some(p) = problem { p.warn role="alert" { (p) } }
                h2 { "Offered to you" }
                @if offered.is_empty() { p { "Nothing is waiting for your answer." } }
                @else {
                    ul.rows {
                        @for j in &offered {
                            @let f = j.fields.clone().unwrap_or_default();
                            li {
                                strong { (f.what) } br;
                                (CivilDate::parse("d", &f.date).map(day_text).unwrap_or(f.date.clone())) ", " (f.start) ", " (work_hours_text(f.minutes))
                                @if !f.place.is_empty() { ", " (f.place) }
                                br; "Pays " (money(crate::pool::pay(f.minutes, f.rate_pence))) " (" (money(f.rate_pence.into())) " an hour)"
                                form method="post" action={ "/me/" (j.id) "/yes" } { (token(w)) button type="submit" { "I'll take it" } }
                                form method="post" action={ "/me/" (j.id) "/no" } { (token(w)) button.secondary type="submit" { "Not this one" } }
                            }
                        }
                    }
                }
                h2 { "Your jobs" }
                @if mine.is_empty() { p { "None booked." } }
                @else { ul.rows { @for j in &mine { @let f = j.fields.clone().unwrap_or_default(); li { (f.what) ", " (f.date) " " (f.start) } } } }
                h2 { "Your earnings" }
                dl.details {
                    dt { "This week" } dd { (week_text(&e)) }
                    dt { "This month" } dd { (money(e.month_pence)) }
                    dt { "This tax year" } dd { (money(e.tax_year_pence)) }
                }
            },
        ),
    )
}

async fn me_answer(
    State(desk): State<Desk>,
    Path((job, answer)): Path<(String, String)>,
    Posted(w, _): Posted,
) -> Response {
    let Some(m) = own_member(&desk, &w).await else { return Redirect::to("/me").into_response() };
    let request = v1::AnswerJobRequest { job, member: m.id, accept: answer == "yes" };
    match acting(w.actor(), desk.pool.answer_job(Request::new(request))).await {
        Ok(_) => Redirect::to("/me").into_response(),
        Err(e) => me_page(&desk, &w, Some(e.message())).await,
    }
}
