//! The desk's language: which one a request's page is in, and its words.
//!
//! As on the region's board, a person chooses: `lang=` on the address (the switch on
//! every page leads to the same address in each language), else their browser's
//! `Accept-Language`, else English. The desk's forms are posted and answered by
//! redirects, which an address cannot carry a choice through, so a choice made on
//! the address is also remembered in a cookie (`kith-lang`: the language's code,
//! nothing else) that the desk reads before `Accept-Language`.
//!
//! [`guard`](super::guard) finds the [`Reader`] of every request and runs its page
//! inside it, so a page asks for its words with [`tr!`] without passing the language
//! around; every word is a message of `kith-words`' `desk.ftl`. What the group
//! typed (a listing's title, a person's name) stays as typed, in its own direction.

use axum::http::{HeaderMap, Method, Uri, header};
use cookie::Cookie;
use kith_words::Lang;
use maud::{Markup, html};
use std::cell::RefCell;

/// A message of the desk in the page's language, with named arguments as
/// [`kith_words::t!`] takes them.
macro_rules! tr {
    ($id:expr) => {
        kith_words::t!($crate::desk::words::lang(), $id)
    };
    ($id:expr, $($rest:tt)+) => {
        kith_words::t!($crate::desk::words::lang(), $id, $($rest)+)
    };
}
pub(crate) use tr;

/// The cookie that remembers a language chosen on the address.
pub(super) const COOKIE: &str = "kith-lang";

tokio::task_local! {
    static READER: RefCell<Reader>;
}

/// Who reads a page: its language, and where its language switch leads.
#[derive(Clone, Debug, Default)]
pub(crate) struct Reader {
    pub lang: Lang,
    /// Whether `lang=` on the address chose it: then the cookie remembers it.
    pub chosen: bool,
    /// This page's path and query without `lang`, where the switch leads (with its
    /// own `lang`); None outside a request.
    here: Option<String>,
}

impl Reader {
    /// The reader of a request: `lang=` on its address, else the cookie, else its
    /// `Accept-Language`.
    pub(super) fn of(method: &Method, uri: &Uri, headers: &HeaderMap) -> Reader {
        let path = uri.path();
        let pairs = axum::extract::Query::<Vec<(String, String)>>::try_from_uri(uri).map(|q| q.0).unwrap_or_default();
        let chosen = pairs.iter().find(|(k, _)| k == "lang").and_then(|(_, v)| Lang::parse(v));
        let kept: Vec<String> = pairs
            .iter()
            .filter(|(k, _)| k != "lang")
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect();
        let remembered = || {
            headers
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(Cookie::split_parse)
                .filter_map(Result::ok)
                .find(|c| c.name() == COOKIE)
                .and_then(|c| Lang::parse(c.value()))
        };
        let lang = chosen.or_else(remembered).unwrap_or_else(|| {
            Lang::negotiate(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default())
        });
        // A form posted here is answered on its page: the switch leads to that page
        // as it is read, without what was posted.
        let here = if kept.is_empty() || method == Method::POST {
            path.to_owned()
        } else {
            format!("{path}?{}", kept.join("&"))
        };
        Reader { lang, chosen: chosen.is_some(), here: Some(here) }
    }

    /// Runs `f` (a request's page) as read by this reader.
    pub(super) async fn scope<F: Future>(self, f: F) -> F::Output {
        READER.scope(RefCell::new(self), f).await
    }

    /// Where this page is in `lang`.
    fn here_in(here: &str, lang: Lang) -> String {
        let join = if here.contains('?') { '&' } else { '?' };
        format!("{here}{join}lang={}", lang.code())
    }
}

/// A query value made safe for an address.
fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The language of the page being made (English outside a request).
pub(crate) fn lang() -> Lang {
    READER.try_with(|r| r.borrow().lang).unwrap_or_default()
}

/// The language switch leads to `path` instead of the address asked for: a form
/// posted to an address that is no page (`/referrals/ID/accept`) is answered on
/// the page it belongs to.
pub(crate) fn switch_to(path: &str) {
    let _ = READER.try_with(|r| {
        let mut r = r.borrow_mut();
        if r.here.is_some() {
            r.here = Some(path.to_owned());
        }
    });
}

/// The links to this page in each language, each named in itself.
pub(super) fn switch() -> Markup {
    let Ok((lang, Some(here))) = READER.try_with(|r| (r.borrow().lang, r.borrow().here.clone())) else {
        return html! {};
    };
    html! {
        nav.langs aria-label=(tr!("desk-nav-languages")) data-lang-switch {
            ul {
                @for other in Lang::ALL {
                    li {
                        @if other == lang {
                            span lang=(other.tag()) dir=(other.dir()) aria-current="true" { (other.name()) }
                        } @else {
                            a href=(Reader::here_in(&here, other)) lang=(other.tag()) hreflang=(other.tag()) dir=(other.dir()) data-lang=(other.code()) { (other.name()) }
                        }
                    }
                }
            }
        }
    }
}

/// Text the group or a person typed, as typed: its direction found from itself, so
/// that an English name reads rightly on a page in Urdu.
pub(crate) fn theirs(text: &str) -> Markup {
    html! { bdi { (text) } }
}

/// Words Kith has only in English (a problem the admin API or the store reports,
/// an entry of the audit log as it was recorded): marked so, for screen readers and
/// the page's direction.
pub(crate) fn english(text: &str) -> Markup {
    html! { span lang="en-GB" dir="ltr" { (text) } }
}
