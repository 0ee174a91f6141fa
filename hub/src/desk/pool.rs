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
use kith_words::{Lang, pounds, work_hours};

use super::form::{Fields, checkbox, erase_form, error_summary, field, select, text_input, textarea, token};
use super::words::{english, lang, switch_to, theirs, tr};
use super::{Desk, Posted, Worker, frame, page_error, page_not_found, respond};
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

/// `£12.50 an hour`, in the page's language.
fn rate(pence: u32) -> String {
    kith_words::rate_text_in(lang(), pence)
}

/// `£150 (+£20 booked) of £195.50 — £25.50 left`.
fn week_text(e: &v1::Earnings) -> String {
    kith_words::week_earnings_text_in(
        lang(),
        e.week_pence,
        e.week_booked_pence,
        e.has_limit.then_some(e.weekly_limit_pence.into()),
    )
}

/// `3 hours`, `2.5 awr`.
fn hours_text(minutes: u32) -> String {
    kith_words::work_hours_text_in(lang(), minutes)
}

/// What a list's items are separated by in the page's language: `, `, `، `.
fn sep() -> &'static str {
    kith_words::list_separator(lang())
}

/// A day as the pool's forms write it (`2026-12-08`), said in words.
fn day(d: &str) -> String {
    CivilDate::parse("d", d).map(|d| kith_words::day_text_in(lang(), d)).unwrap_or_else(|_| d.to_owned())
}

/// A date as the pool's forms write it, said in words.
fn date(d: &str) -> String {
    CivilDate::parse("d", d).map(|d| kith_words::date_text_in(lang(), d)).unwrap_or_else(|_| d.to_owned())
}

/// A day of the week as the pool writes it (`tuesday`), said in words.
fn weekday(d: &str) -> String {
    use kith_proto::service::Weekday;
    match Weekday::ALL.iter().find(|w| w.as_str() == d) {
        Some(w) => kith_words::weekday_name(lang(), *w),
        None => sentence(d),
    }
}

/// Where a job stands, or a step of its history, in words.
fn job_status(status: &str) -> String {
    match status {
        "open" | "offered" | "accepted" | "done" | "turned-down" | "cancelled" | "booked" | "declined" | "worked" => {
            tr!(&format!("desk-pool-status-{status}"))
        }
        other => other.to_owned(),
    }
}

/// Why the pool could not take a job: a reason the hub worked out, in words, or the
/// one a worker typed, as typed.
fn reason_text(reason: &str) -> maud::Markup {
    match reason {
        "skills-missing" | "no-one-free" | "pay-too-low" | "over-limits" | "members-declined" => {
            html! { (tr!(&format!("desk-pool-reason-{reason}"))) }
        }
        typed => theirs(typed),
    }
}

/// Why a member is not proposed for a job. English says it with its details, as the
/// pool's rules say it; another language says it by its code.
fn why_text(c: &v1::Candidate) -> String {
    let known = ["skills-missing", "not-free", "busy", "declined", "rate-too-low", "over-limit"];
    if lang() == Lang::En || !known.contains(&c.why_code.as_str()) {
        return sentence(&c.why);
    }
    tr!(&format!("desk-pool-why-{}", c.why_code), name = c.name.clone())
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
                &tr!("desk-pool-cannot-show"),
                english(e.message()),
            );
        }
    };
    let waiting: Vec<&v1::PoolJob> = open.iter().filter(|j| matches!(j.status.as_str(), "open" | "offered")).collect();
    let step = |days: i64| {
        let d: CivilDate = (week.from.to_jiff() + jiff::Span::new().days(days)).into();
        format!("/pool?week={d}")
    };
    let content = html! {
        h1 { (tr!("desk-nav-pool")) }
        p { a.button href="/pool/jobs/new" { (tr!("desk-pool-book-job")) } " " a.button.secondary href="/pool/members/new" { (tr!("desk-pool-add-member")) } }
        p { a href="/pool/report" { (tr!("desk-pool-figures-link")) } " · " a href="/listings#offers" { (tr!("desk-pool-businesses-link")) } }
        @if !waiting.is_empty() {
            h2 { (tr!("desk-pool-waiting")) }
            ul.rows { @for j in &waiting { li { (job_line(j)) } } }
        }
        h2 #rota { (tr!("desk-pool-week-from", date = kith_words::date_text_in(lang(), week.from))) }
        p.meta { a href=(step(-7)) { (tr!("desk-pool-week-before")) } " · " a href=(step(7)) { (tr!("desk-pool-week-after")) } }
        @if jobs.is_empty() { p { (tr!("desk-pool-no-jobs-week")) } }
        @else {
            @let (d, job, hours, who, state) = (tr!("desk-pool-day"), tr!("desk-pool-job"), tr!("desk-pool-hours"), tr!("desk-pool-who"), tr!("desk-label-status"));
            table {
                caption.visually-hidden { (tr!("desk-pool-jobs-caption")) }
                thead { tr { th scope="col" { (d) } th scope="col" { (job) } th scope="col" { (hours) } th scope="col" { (who) } th scope="col" { (state) } } }
                tbody {
                    @for j in &jobs {
                        @let f = j.fields.clone().unwrap_or_default();
                        tr {
                            td data-label=(d) { (day(&f.date)) (sep()) (f.start) }
                            td data-label=(job) { a href={ "/pool/jobs/" (j.id) } dir="auto" { (f.what) } }
                            td data-label=(hours) { (work_hours(f.minutes)) }
                            td data-label=(who) { @if j.accepted_name.is_empty() { "—" } @else { (theirs(&j.accepted_name)) } }
                            td data-label=(state) { (job_status(&j.status)) }
                        }
                    }
                }
            }
        }
        h2 { (tr!("desk-pool-members")) }
        @if members.is_empty() { p { (tr!("desk-pool-no-members")) } }
        @else {
            @let (member, can, week) = (tr!("desk-pool-member"), tr!("desk-pool-can-do"), tr!("desk-pool-this-week"));
            table {
                caption.visually-hidden { (tr!("desk-pool-members-caption")) }
                thead { tr { th scope="col" { (member) } th scope="col" { (can) } th scope="col" { (week) } } }
                tbody {
                    @for m in &members {
                        @let f = m.fields.clone().unwrap_or_default();
                        tr {
                            td data-label=(member) { a href={ "/pool/members/" (m.id) } dir="auto" { (f.name) } }
                            td data-label=(can) { (theirs(&f.skills.join(", "))) }
                            td data-label=(week) { (m.earnings.as_ref().map(week_text).unwrap_or_default()) }
                        }
                    }
                }
            }
        }
    };
    respond(StatusCode::OK, frame(&desk, Some(&w), &tr!("desk-nav-pool"), content))
}

fn job_line(j: &v1::PoolJob) -> Markup {
    let f = j.fields.clone().unwrap_or_default();
    html! {
        a href={ "/pool/jobs/" (j.id) } dir="auto" { (f.what) }
        " — " (day(&f.date)) " " (f.start) (sep())
        (hours_text(f.minutes)) " (" (job_status(&j.status)) ")"
    }
}

// --- Members -------------------------------------------------------------------

fn member_form(w: &Worker, action: &str, values: &Fields, errors: &[(String, String)], button: &str) -> Markup {
    html! {
        form method="post" action=(action) novalidate {
            (token(w))
            (text_input("name", &tr!("desk-label-name"), None, field(values, "name"), errors))
            (textarea("contact", &tr!("desk-ask-how"), Some(&tr!("desk-pool-hint-contact")), field(values, "contact"), errors))
            (textarea("skills", &tr!("desk-pool-label-skills"), Some(&tr!("desk-pool-hint-skills")), field(values, "skills"), errors))
            (textarea("availability", &tr!("desk-pool-label-availability"), Some(&tr!("desk-pool-hint-availability")), field(values, "availability"), errors))
            (textarea("away", &tr!("desk-pool-label-away"), Some(&tr!("desk-pool-hint-away")), field(values, "away"), errors))
            (text_input("min_rate", &tr!("desk-pool-label-min-rate"), Some(&tr!("desk-pool-hint-fair-rate")), field(values, "min_rate"), errors))
            (text_input("weekly_limit", &tr!("desk-pool-label-weekly-limit"), Some(&tr!("desk-pool-hint-weekly-limit")), field(values, "weekly_limit"), errors))
            (text_input("desk_user", &tr!("desk-pool-label-desk-user"), Some(&tr!("desk-pool-hint-desk-user")), field(values, "desk_user"), errors))
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
        let label = || tr!(&format!("desk-pool-label-{}", name.replace('_', "-")));
        let p = kith_proto::validate::parse_pounds(v)
            .map_err(|why| (name.to_owned(), tr!("desk-field-problem", label = label(), problem = why)))?;
        u32::try_from(p).map(Some).map_err(|_| (name.to_owned(), tr!("desk-pool-error-too-much", label = label())))
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
    let min_rate = pence("min_rate")?.ok_or_else(|| ("min_rate".to_owned(), tr!("desk-pool-error-min-rate")))?;
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
                @if let Some((_, m)) = main_error { p.warn #problem { (english(m)) } }
                (form)
                p { a href="/pool" { (tr!("desk-pool-back")) } }
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
    form_page(desk, w, title, errors, member_form(w, action, values, errors, &tr!("desk-pool-save")))
}

async fn member_new(State(desk): State<Desk>, w: Worker) -> Response {
    member_form_page(&desk, &w, &tr!("desk-pool-add-member"), "/pool/members", &Vec::new(), &[])
}

async fn member_add(State(desk): State<Desk>, Posted(w, form): Posted) -> Response {
    let fields = match member_fields(&form) {
        Ok(f) => f,
        Err(e) => return member_form_page(&desk, &w, &tr!("desk-pool-add-member"), "/pool/members", &form, &[e]),
    };
    match acting(w.actor(), desk.pool.add_member(Request::new(fields))).await {
        Ok(m) => Redirect::to(&format!("/pool/members/{}", m.into_inner().id)).into_response(),
        Err(e) => member_form_page(&desk, &w, &tr!("desk-pool-add-member"), "/pool/members", &form, &[field_error(&e)]),
    }
}

async fn member_edit(State(desk): State<Desk>, w: Worker, Path(id): Path<String>) -> Response {
    match desk.pool.get_member(Request::new(v1::IdRequest { id: id.clone() })).await {
        Ok(m) => match m.into_inner().fields {
            Some(f) => {
                let title = tr!("desk-pool-change-member");
                member_form_page(&desk, &w, &title, &format!("/pool/members/{id}"), &member_values(&f), &[])
            }
            None => {
                page_error(&desk, Some(&w), StatusCode::GONE, &tr!("desk-ask-erased"), tr!("desk-pool-member-erased"))
            }
        },
        Err(e) => {
            page_error(&desk, Some(&w), StatusCode::NOT_FOUND, &tr!("desk-pool-no-such-member"), english(e.message()))
        }
    }
}

async fn member_change(State(desk): State<Desk>, Path(id): Path<String>, Posted(w, form): Posted) -> Response {
    let action = format!("/pool/members/{id}");
    let fields = match member_fields(&form) {
        Ok(f) => f,
        Err(e) => return member_form_page(&desk, &w, &tr!("desk-pool-change-member"), &action, &form, &[e]),
    };
    let request = v1::UpdateMemberRequest { id: id.clone(), fields: Some(fields) };
    match acting(w.actor(), desk.pool.update_member(Request::new(request))).await {
        Ok(_) => Redirect::to(&action).into_response(),
        Err(e) => member_form_page(&desk, &w, &tr!("desk-pool-change-member"), &action, &form, &[field_error(&e)]),
    }
}

async fn member(State(desk): State<Desk>, w: Worker, Path(id): Path<String>) -> Response {
    member_page(&desk, &w, &id, false, &[]).await
}

async fn member_page(desk: &Desk, w: &Worker, id: &str, contact: bool, errors: &[(String, String)]) -> Response {
    let m = match desk.pool.get_member(Request::new(v1::IdRequest { id: id.to_owned() })).await {
        Ok(m) => m.into_inner(),
        Err(e) => {
            let title = tr!("desk-pool-no-such-member");
            return page_error(desk, Some(w), StatusCode::NOT_FOUND, &title, english(e.message()));
        }
    };
    switch_to(&format!("/pool/members/{}", m.id));
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
                &tr!("desk-pool-erased-member"),
                html! {
                    h1 { (tr!("desk-pool-erased-member")) }
                    p { (tr!("desk-pool-erased-member-detail")) }
                    p { a href="/pool" { (tr!("desk-pool-back")) } }
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
                h1 dir="auto" { (f.name) }
                h2 { (tr!("desk-pool-earnings")) }
                dl.details {
                    dt { (tr!("desk-pool-this-week-from", date = date(&e.week_from))) } dd { strong { (week_text(&e)) } }
                    dt { (tr!("desk-pool-this-month")) } dd { (money(e.month_pence)) }
                    dt { (tr!("desk-pool-tax-year-from", date = date(&e.tax_year_from))) } dd { (money(e.tax_year_pence)) }
                    dt { (tr!("desk-pool-their-limit")) } dd { @if e.has_limit { (money(e.weekly_limit_pence.into())) } @else { (tr!("desk-pool-no-limit")) } }
                }
                form method="get" action=(action("statement")) {
                    h2 { (tr!("desk-pool-statement")) }
                    div.inline {
                        div.field { label for="from" { (tr!("desk-pool-from")) } input #from type="date" name="from" value=(month.from.to_string()); }
                        div.field { label for="to" { (tr!("desk-pool-to")) } input #to type="date" name="to" value=(today.to_string()); }
                    }
                    button.secondary type="submit" { (tr!("desk-pool-show-statement")) }
                }
                h2 { (tr!("desk-pool-details")) }
                dl.details {
                    dt { (tr!("desk-pool-can-do")) } dd { (theirs(&f.skills.join(", "))) }
                    dt { (tr!("desk-pool-label-availability")) } dd { @for a in &f.availability { (weekday(&a.day)) " " (a.from) "–" (a.to) br; } }
                    @if !f.away.is_empty() { dt { (tr!("desk-pool-away")) } dd { @for a in &f.away { (tr!("desk-pool-from-to", from = date(&a.from), to = date(&a.to))) br; } } }
                    dt { (tr!("desk-pool-least-rate")) } dd { (rate(f.min_rate_pence)) }
                    @if !f.desk_user.is_empty() { dt { (tr!("desk-pool-desk-account")) } dd { (theirs(&f.desk_user)) } }
                    dt { (tr!("desk-ask-how")) }
                    dd {
                        @if contact { @if f.contact.is_empty() { "—" } @else { span dir="auto" { (f.contact) } } }
                        @else {
                            form method="post" action=(action("contact")) {
                                (token(w))
                                button.secondary type="submit" { (tr!("desk-pool-show-contact")) }
                                p.hint { (tr!("desk-ask-show-hint")) }
                            }
                        }
                    }
                }
                p { a.button.secondary href=(action("edit")) { (tr!("desk-pool-change-details")) } }
                h2 { (tr!("desk-erase")) }
                p.hint { (tr!("desk-pool-erase-hint")) }
                (erase_form(w, &action("erase"), &tr!("desk-pool-erase-label"), &tr!("desk-erase")))
                p { a href="/pool" { (tr!("desk-pool-back")) } }
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
        let errors = [("erase".to_owned(), tr!("desk-pool-erase-tick"))];
        return member_page(&desk, &w, &id, false, &errors).await;
    }
    match acting(w.actor(), desk.pool.erase_member(Request::new(v1::IdRequest { id: id.clone() }))).await {
        Ok(_) => Redirect::to(&format!("/pool/members/{id}")).into_response(),
        Err(e) => {
            page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, &tr!("desk-pool-not-erased"), english(e.message()))
        }
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
        Err(e) => {
            let title = tr!("desk-pool-no-statement");
            return page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, &title, english(e.message()));
        }
    };
    let e = s.earnings.clone().unwrap_or_default();
    respond(
        StatusCode::OK,
        frame(
            &desk,
            Some(&w),
            &tr!("desk-pool-statement"),
            html! {
                div.statement {
                    h1 { (tr!("desk-pool-statement")) }
                    p.lede { strong { (theirs(&s.name)) } br; (tr!("desk-pool-from-to", from = date(&s.from), to = date(&s.to))) br; (tr!("desk-pool-statement-from", group = s.group.clone())) }
                    @if s.lines.is_empty() { p { (tr!("desk-pool-no-work")) } }
                    @else {
                        @let (d, work, hours, per, pay) = (tr!("desk-pool-day"), tr!("desk-pool-work"), tr!("desk-pool-hours"), tr!("desk-pool-rate"), tr!("desk-pool-pay"));
                        table {
                            caption.visually-hidden { (tr!("desk-pool-work-caption")) }
                            thead { tr { th scope="col" { (d) } th scope="col" { (work) } th scope="col" { (hours) } th scope="col" { (per) } th scope="col" { (pay) } } }
                            tbody {
                                @for l in &s.lines {
                                    tr {
                                        td data-label=(d) { (day(&l.date)) }
                                        td data-label=(work) { (theirs(&l.what)) }
                                        td data-label=(hours) { (work_hours(l.minutes)) }
                                        td data-label=(per) { (rate(l.rate_pence)) }
                                        td data-label=(pay) { (money(l.pay_pence)) }
                                    }
                                }
                            }
                            tfoot { tr { th scope="row" { (tr!("desk-pool-total")) } td {} td data-label=(hours) { (work_hours(s.minutes)) } td {} td data-label=(pay) { strong { (money(s.pay_pence)) } } } }
                        }
                    }
                    h2 { (tr!("desk-pool-earnings-limit")) }
                    dl.details {
                        dt { (tr!("desk-pool-week-from", date = date(&e.week_from))) } dd { (week_text(&e)) }
                        dt { (tr!("desk-pool-that-month")) } dd { (money(e.month_pence)) }
                        dt { (tr!("desk-pool-tax-year-from-plain", date = date(&e.tax_year_from))) } dd { (money(e.tax_year_pence)) }
                    }
                    p.hint { (tr!("desk-pool-print")) " " code dir="ltr" { "kith pool member statement " (s.member) " --from " (s.from) " --to " (s.to) " --pdf statement.pdf" } }
                }
                p { a href={ "/pool/members/" (id) } { (tr!("desk-pool-back-member")) } }
            },
        ),
    )
}

// --- Jobs ------------------------------------------------------------------------

fn job_form(w: &Worker, businesses: &[(String, String)], values: &Fields, errors: &[(String, String)]) -> Markup {
    let none = tr!("desk-pool-business-none");
    let mut options: Vec<(&str, &str)> = vec![("", &none)];
    options.extend(businesses.iter().map(|(id, name)| (id.as_str(), name.as_str())));
    html! {
        form method="post" action="/pool/jobs" novalidate {
            (token(w))
            @if !field(values, "ask").is_empty() {
                input type="hidden" name="ask" value=(field(values, "ask"));
                p.hint { (tr!("desk-pool-from-ask")) }
            }
            (text_input("what", &tr!("desk-pool-label-what"), None, field(values, "what"), errors))
            (text_input("date", &tr!("desk-pool-day"), Some(&tr!("desk-pool-hint-date")), field(values, "date"), errors))
            (text_input("start", &tr!("desk-pool-label-start"), Some(&tr!("desk-pool-hint-start")), field(values, "start"), errors))
            (text_input("hours", &tr!("desk-pool-label-hours"), Some(&tr!("desk-pool-hint-hours")), field(values, "hours"), errors))
            (text_input("rate", &tr!("desk-pool-label-rate"), Some(&tr!("desk-pool-hint-fair-rate")), field(values, "rate"), errors))
            (textarea("skills", &tr!("desk-pool-label-job-skills"), Some(&tr!("desk-pool-hint-job-skills")), field(values, "skills"), errors))
            (text_input("place", &tr!("desk-pool-where"), None, field(values, "place"), errors))
            (text_input("client", &tr!("desk-pool-booked-by"), None, field(values, "client"), errors))
            (textarea("contact", &tr!("desk-ask-how"), None, field(values, "contact"), errors))
            (select("business", &tr!("desk-pool-label-business"), &options, field(values, "business"), errors))
            button type="submit" { (tr!("desk-ask-book")) }
        }
    }
}

/// The hub's live businesses (offers), as (id, name).
fn businesses(desk: &Desk) -> Vec<(String, String)> {
    let offers = desk.store.list::<kith_proto::offer::Offer>().unwrap_or_default();
    offers.into_iter().filter(|r| !r.withdrawn).map(|r| (r.item.id.to_string(), r.item.name)).collect()
}

fn job_form_page(desk: &Desk, w: &Worker, values: &Fields, errors: &[(String, String)]) -> Response {
    form_page(desk, w, &tr!("desk-pool-book-job"), errors, job_form(w, &businesses(desk), values, errors))
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
        Err(why) => {
            let error = tr!("desk-field-problem", label = tr!("desk-label-rate"), problem = why);
            return job_form_page(&desk, &w, &form, &[("rate".into(), error)]);
        }
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
        Err(e) => {
            return page_error(
                desk,
                Some(w),
                StatusCode::NOT_FOUND,
                &tr!("desk-pool-no-such-job"),
                english(e.message()),
            );
        }
    };
    switch_to(&format!("/pool/jobs/{}", j.id));
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
        .map(|m| (m.id, m.fields.map(|f| f.name).unwrap_or_else(|| tr!("desk-ask-erased-mark"))))
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
                h1 dir="auto" { (f.what) }
                @if let Some((_, m)) = main_error { p.warn #problem role="alert" { (english(m)) } }
                dl.details {
                    dt { (tr!("desk-audit-when")) } dd { (day(&f.date)) (sep()) (f.start) (sep()) (hours_text(f.minutes)) }
                    dt { (tr!("desk-pool-pay")) } dd { (tr!("desk-pool-pay-for-job", rate = rate(f.rate_pence), pay = money(crate::pool::pay(f.minutes, f.rate_pence)))) }
                    dt { (tr!("desk-label-skills")) } dd { @if f.skills.is_empty() { "—" } @else { (theirs(&f.skills.join(", "))) } }
                    @if !f.place.is_empty() { dt { (tr!("desk-pool-where")) } dd { (theirs(&f.place)) } }
                    @if !f.client.is_empty() { dt { (tr!("desk-pool-booked-by")) } dd { (theirs(&f.client)) } }
                    dt { (tr!("desk-label-status")) } dd { strong { (job_status(&j.status)) } @if !j.turned_down.is_empty() { (tr!("desk-colon")) (reason_text(&j.turned_down)) } }
                    @if !j.accepted.is_empty() { dt { (tr!("desk-pool-taken-by")) } dd { a href={ "/pool/members/" (j.accepted) } { (theirs(&name(&j.accepted))) } } }
                    @if j.status == "done" { dt { (tr!("desk-pool-worked")) } dd { (tr!("desk-pool-worked-paid", hours = hours_text(j.worked_minutes), pay = money(j.pay_pence))) } }
                }
                @if j.status == "offered" && !answering.is_empty() {
                    h2 { (tr!("desk-pool-offered-to")) }
                    p.hint { (tr!("desk-pool-offered-hint")) }
                    ul.rows {
                        @for m in &answering {
                            li {
                                (theirs(&name(m))) " "
                                form.inline method="post" action=(action("answer")) {
                                    (token(w)) input type="hidden" name="member" value=(m);
                                    button type="submit" name="answer" value="yes" { (tr!("desk-pool-they-take-it")) }
                                    " "
                                    button.secondary type="submit" name="answer" value="no" { (tr!("desk-pool-they-say-no")) }
                                }
                            }
                        }
                    }
                }
                @if let Some(p) = &proposal {
                    h2 #proposal { (tr!("desk-pool-who-could")) }
                    @if p.proposed.is_empty() {
                        p { (tr!("desk-pool-no-one")) (tr!("desk-colon")) (reason_text(&p.why_none)) }
                    } @else {
                        ul.rows {
                            @for c in &p.proposed {
                                li {
                                    strong { (theirs(&c.name)) } " — " (tr!("desk-pool-earned-this-week", pay = money(c.week_pence)))
                                    @if c.has_limit { (sep()) (tr!("desk-pool-room-after", pay = money(c.room_after_pence.max(0) as u64))) }
                                    @if !j.offered.contains(&c.member) {
                                        form.inline method="post" action=(action("offer")) {
                                            (token(w)) input type="hidden" name="member" value=(c.member);
                                            " " button.secondary type="submit" { (tr!("desk-pool-offer-to", name = c.name.clone())) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if !p.not_proposed.is_empty() {
                        h3 { (tr!("desk-pool-not-proposed")) }
                        ul.rows {
                            @for c in &p.not_proposed {
                                li {
                                    (why_text(c))
                                    @if c.why_code == "over-limit" && !j.offered.contains(&c.member) {
                                        form method="post" action=(action("offer")) {
                                            (token(w)) input type="hidden" name="member" value=(c.member);
                                            (checkbox(&format!("over_limit-{}", c.member), &tr!("desk-pool-over-limit-chooses", name = c.name.clone()), false))
                                            button.secondary type="submit" { (tr!("desk-pool-offer-anyway")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if j.status == "accepted" {
                    h2 { (tr!("desk-pool-hours-worked")) }
                    form method="post" action=(action("hours")) novalidate {
                        (token(w))
                        (text_input("hours", &tr!("desk-pool-hours-worked"), Some(&tr!("desk-pool-hint-hours-worked")), &work_hours(f.minutes), errors))
                        button type="submit" { (tr!("desk-pool-record-hours")) }
                    }
                }
                @if waiting || j.status == "accepted" {
                    h2 { (tr!("desk-pool-end-it")) }
                    form method="post" action=(action("end")) {
                        (token(w))
                        (text_input("reason", &tr!("desk-pool-why-optional"), Some(&tr!("desk-pool-hint-why")), "", errors))
                        button.secondary type="submit" name="how" value="turned-down" { (tr!("desk-pool-cannot-take")) }
                        " "
                        button.secondary type="submit" name="how" value="cancelled" { (tr!("desk-pool-called-off")) }
                    }
                }
                h2 { (tr!("desk-history")) }
                ol {
                    @for s in &j.history {
                        li {
                            @let (status, by, when) = (job_status(&s.what), s.by.clone(), super::form::when(s.at_ms));
                            @if s.member.is_empty() {
                                (tr!("desk-history-step", status = status, by = by, when = when))
                            } @else {
                                (tr!("desk-pool-history-step-member", status = status, member = name(&s.member), by = by, when = when))
                            }
                        }
                    }
                }
                p { a href="/pool" { (tr!("desk-pool-back")) } }
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
        _ => {
            return page_not_found(&desk, Some(&w), tr!("desk-pool-no-step"));
        }
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
        Err(e) => {
            let title = tr!("desk-pool-no-figures");
            return page_error(&desk, Some(&w), StatusCode::BAD_REQUEST, &title, english(e.message()));
        }
    };
    respond(
        StatusCode::OK,
        frame(
            &desk,
            Some(&w),
            &tr!("desk-pool-figures"),
            html! {
                h1 { (tr!("desk-pool-figures")) }
                form method="get" action="/pool/report" {
                    div.inline {
                        div.field { label for="from" { (tr!("desk-pool-from")) } input #from type="date" name="from" value=(from); }
                        div.field { label for="to" { (tr!("desk-pool-to")) } input #to type="date" name="to" value=(to); }
                    }
                    button.secondary type="submit" { (tr!("desk-pool-show")) }
                }
                h2 { (tr!("desk-pool-from-to", from = date(&r.from), to = date(&r.to))) }
                dl.details {
                    dt { (tr!("desk-pool-jobs-booked")) } dd { (r.jobs_booked) }
                    dt { (tr!("desk-pool-jobs-done")) } dd { (r.jobs_done) }
                    dt { (tr!("desk-pool-hours-worked")) } dd { (work_hours(r.minutes)) }
                    dt { (tr!("desk-pool-paid-to-members")) } dd { (money(r.pay_pence)) }
                    dt { (tr!("desk-pool-members-paid")) } dd { (r.members_paid) }
                    dt { (tr!("desk-pool-cancelled")) } dd { (r.jobs_cancelled) }
                }
                h2 { (tr!("desk-pool-turned-down")) }
                @if r.turned_down.is_empty() { p { (tr!("desk-none")) } }
                @else {
                    ul { @for c in &r.turned_down { li { (reason_text(&c.reason)) (tr!("desk-colon")) (c.jobs) } } }
                    p { (tr!("desk-pool-skills-needed")) " " (theirs(&r.skills_turned_down.iter().map(|c| format!("{} ({})", c.reason, c.jobs)).collect::<Vec<_>>().join(", "))) }
                }
                p { a href="/pool" { (tr!("desk-pool-back")) } }
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
        let why = if w.user.role == Role::Member { tr!("desk-me-not-linked") } else { tr!("desk-me-not-member") };
        return page_error(desk, Some(w), StatusCode::OK, &tr!("desk-nav-my-work"), why);
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
            &tr!("desk-nav-my-work"),
            html! {
                h1 { (tr!("desk-nav-my-work")) }
                @if let Some(p) = problem { p.warn role="alert" { (english(p)) } }
                h2 { (tr!("desk-me-offered")) }
                @if offered.is_empty() { p { (tr!("desk-me-nothing-waiting")) } }
                @else {
                    ul.rows {
                        @for j in &offered {
                            @let f = j.fields.clone().unwrap_or_default();
                            li {
                                strong { (theirs(&f.what)) } br;
                                (day(&f.date)) (sep()) (f.start) (sep()) (hours_text(f.minutes))
                                @if !f.place.is_empty() { (sep()) (theirs(&f.place)) }
                                br; (tr!("desk-me-pays", pay = money(crate::pool::pay(f.minutes, f.rate_pence)), rate = rate(f.rate_pence)))
                                form method="post" action={ "/me/" (j.id) "/yes" } { (token(w)) button type="submit" { (tr!("desk-me-take")) } }
                                form method="post" action={ "/me/" (j.id) "/no" } { (token(w)) button.secondary type="submit" { (tr!("desk-me-not-this")) } }
                            }
                        }
                    }
                }
                h2 { (tr!("desk-me-your-jobs")) }
                @if mine.is_empty() { p { (tr!("desk-me-none-booked")) } }
                @else { ul.rows { @for j in &mine { @let f = j.fields.clone().unwrap_or_default(); li { (theirs(&f.what)) (sep()) (day(&f.date)) " " (f.start) } } } }
                h2 { (tr!("desk-me-earnings")) }
                dl.details {
                    dt { (tr!("desk-pool-this-week")) } dd { (week_text(&e)) }
                    dt { (tr!("desk-pool-this-month")) } dd { (money(e.month_pence)) }
                    dt { (tr!("desk-me-tax-year")) } dd { (money(e.tax_year_pence)) }
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
