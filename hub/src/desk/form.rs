//! What the desk's forms share: reading a posted form, the token every form
//! carries, inputs with their label, hint and error, and the GOV.UK error summary.

use maud::{Markup, html};

use super::Worker;
use super::words::{lang, tr};

/// A posted form, as its name-value pairs (a name may come more than once).
pub(super) type Fields = Vec<(String, String)>;

pub(super) fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

pub(super) fn all<'a>(fields: &'a Fields, name: &str) -> Vec<&'a str> {
    fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
}

/// The form's hidden token.
pub(super) fn token(w: &Worker) -> Markup {
    html! { input type="hidden" name="csrf" value=(w.session.csrf); }
}

/// When something happened or will, in the hub's local time and the page's
/// language: `today 23:15`, `Saturday 5 December 2026 23:15`.
pub(super) fn when(ms: i64) -> String {
    let Ok(ts) = jiff::Timestamp::from_millisecond(ms) else { return "—".into() };
    let tz = jiff::tz::TimeZone::system();
    let at = ts.to_zoned(tz.clone());
    let today = jiff::Timestamp::now().to_zoned(tz).date();
    let time = at.strftime("%H:%M").to_string();
    if at.date() == today {
        tr!("desk-when-today", time = time)
    } else {
        let day = kith_proto::time::CivilDate::from(at.date());
        tr!("desk-when-day", day = kith_words::day_text_in(lang(), day), time = time)
    }
}

/// The GOV.UK error summary: what is wrong, each linking to its field.
pub(super) fn error_summary(errors: &[(String, String)]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 #error-summary-title { (tr!("desk-error-summary")) }
                ul {
                    @for (id, message) in errors {
                        li { a href={ "#" (id) } { (message) } }
                    }
                }
            }
        }
    }
}

/// A text input with its label, hint and error; what is typed runs in its own
/// direction (an English name on a page in Urdu).
pub(super) fn text_input(
    id: &str,
    label: &str,
    hint: Option<&str>,
    value: &str,
    errors: &[(String, String)],
) -> Markup {
    let described = described_by(id, hint, errors);
    labelled(
        id,
        label,
        hint,
        errors,
        html! { input type="text" id=(id) name=(id) value=(value) dir="auto" aria-describedby=[described]; },
    )
}

/// The error of field `id`, if it has one.
fn error_of<'a>(errors: &'a [(String, String)], id: &str) -> Option<&'a str> {
    errors.iter().find(|(f, _)| f == id).map(|(_, m)| m.as_str())
}

/// A field's label, hint and error, around its control.
fn labelled(id: &str, label: &str, hint: Option<&str>, errors: &[(String, String)], control: Markup) -> Markup {
    let error = error_of(errors, id);
    html! {
        div.field.field-error[error.is_some()] {
            label for=(id) { (label) }
            @if let Some(hint) = hint { p.hint id={ (id) "-hint" } { (hint) } }
            @if let Some(error) = error { p.error-message id={ (id) "-error" } { span.visually-hidden { (tr!("desk-error-prefix")) " " } (error) } }
            (control)
        }
    }
}

/// What describes a field's control: its hint and error.
fn described_by(id: &str, hint: Option<&str>, errors: &[(String, String)]) -> Option<String> {
    let parts: Vec<String> = [hint.map(|_| format!("{id}-hint")), error_of(errors, id).map(|_| format!("{id}-error"))]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// A textarea with its label, hint and error.
pub(super) fn textarea(id: &str, label: &str, hint: Option<&str>, value: &str, errors: &[(String, String)]) -> Markup {
    let described = described_by(id, hint, errors);
    labelled(
        id,
        label,
        hint,
        errors,
        html! { textarea id=(id) name=(id) rows="5" dir="auto" aria-describedby=[described] { (value) } },
    )
}

/// A select of `options` (value, words), with `value` chosen.
pub(super) fn select(
    id: &str,
    label: &str,
    options: &[(&str, &str)],
    value: &str,
    errors: &[(String, String)],
) -> Markup {
    let described = described_by(id, None, errors);
    labelled(
        id,
        label,
        None,
        errors,
        html! {
            select id=(id) name=(id) aria-describedby=[described] {
                @for (v, words) in options { option value=(v) selected[*v == value] { (words) } }
            }
        },
    )
}

/// A checkbox that posts `yes` when ticked.
pub(super) fn checkbox(id: &str, label: &str, checked: bool) -> Markup {
    html! {
        div.checks { label { input type="checkbox" id=(id) name=(id) value="yes" checked[checked]; (label) } }
    }
}

/// The form that erases a person's details for good: a box to tick, then the button.
pub(super) fn erase_form(w: &Worker, action: &str, label: &str, button: &str) -> Markup {
    html! {
        form method="post" action=(action) {
            (token(w))
            div.checks {
                label { input #erase type="checkbox" name="sure" value="yes"; (label) }
            }
            button.warning type="submit" { (button) }
        }
    }
}
