//! The board: the region on the web for the people it is for — server-rendered HTML
//! (maud: compiled templates, escaped by default) on the relay's HTTP listener.
//! Read-only, no personal data, no cookies, no requests to anywhere else; every page
//! works with JavaScript off.
//!
//! - [`search`]: `/` and `/search` — opportunities, services and the pools'
//!   businesses (offers), with filters;
//! - [`listing`]: one page per opportunity, service, safe house and offer (stable
//!   URLs);
//! - [`places`]: safe houses now (`/safe-houses`) and the hubs (`/hubs`).
//!
//! Pages are built from the view under the same [`crate::query::Limits`] as gRPC, so
//! the board cannot starve ingest.
//!
//! Every word the board itself says comes from `kith-words`' message files, in the
//! language of the page's [`Reader`]: chosen on the page (`lang=` on its address,
//! carried on by its links and forms), else the browser's `Accept-Language`. What a
//! hub wrote stays as it wrote it, isolated in its own direction (`dir="auto"`).

pub mod ask;
pub mod directory;
pub mod listing;
pub mod needs;
pub mod places;
pub mod screens;
pub mod search;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{DOCTYPE, Markup, html};
use std::collections::HashMap;
use std::sync::Arc;

use kith_proto::Slug;
pub use kith_words::pounds;
use kith_words::{Lang, t};

use crate::clock::RegionClock;
use crate::query::Limits;
use crate::search::TimedOut;
use crate::view::{HubSummary, Near, View, area_words};
use crate::{Shared, http::HttpState};
use kith_text::places::{ATTRIBUTION, PlacesError, cut_postcodes};

const CSS: &str = kith_words::STYLE;
const JS: &str = include_str!("../../board/board.js");

/// Live pages open at once (each holds one server-sent event stream); more are
/// answered 503 and still work, without live updates.
pub const MAX_LIVE: usize = 256;

/// Live streams one client (an IPv6 client by its /64) may hold at once.
pub const MAX_LIVE_PER_CLIENT: usize = 16;

/// What the board's pages need.
#[derive(Clone)]
pub struct Board {
    pub(crate) shared: Shared,
    pub(crate) region: Slug,
    pub(crate) limits: Limits,
    pub(crate) clock: RegionClock,
    pub(crate) money: crate::config::Money,
    pub(crate) live: Arc<tokio::sync::Semaphore>,
    /// Live streams per client: see [`MAX_LIVE_PER_CLIENT`].
    pub(crate) live_clients: crate::connections::Slots,
    pub(crate) printer: Arc<directory::Printer>,
    /// Whether `/metrics` answers anyone (`--metrics-public`), not only loopback.
    pub(crate) metrics_public: bool,
    /// The board's public address (`--public-url`), printed in the directory.
    pub(crate) public_url: Option<String>,
}

impl Board {
    pub(crate) fn new(
        shared: Shared,
        region: Slug,
        limits: Limits,
        clock: RegionClock,
        money: crate::config::Money,
    ) -> Board {
        Board {
            shared,
            region,
            limits,
            clock,
            money,
            live: Arc::new(tokio::sync::Semaphore::new(MAX_LIVE)),
            live_clients: Default::default(),
            printer: Arc::default(),
            metrics_public: false,
            public_url: None,
        }
    }
}

type St = axum::extract::State<Arc<Board>>;

/// The board's routes. `/` is shared with the HSDS API: a browser (asking for HTML)
/// gets the board, a directory tool gets HSDS's JSON.
pub fn router(board: Board, hsds: HttpState, throttle: Option<crate::throttle::Throttle>) -> Router {
    Router::new()
        .route(
            "/",
            get(|state: St, reader: Reader, query, parts: axum::http::request::Parts| async move {
                if wants_html(&parts.headers) {
                    search::page(state, reader, query, parts).await
                } else {
                    crate::http::root(parts.headers).await
                }
            }),
        )
        .route("/search", get(search::page))
        .route("/opportunity/{hub}/{id}", get(listing::opportunity))
        .route("/service/{hub}/{id}", get(listing::service))
        .route("/safe-house/{hub}/{id}", get(listing::safe_house))
        .route("/offer/{hub}/{id}", get(listing::offer))
        .route("/safe-houses", get(places::safe_houses))
        .route("/hubs", get(places::hubs))
        .route("/helpline", get(screens::helpline))
        .route("/screen", get(screens::screen))
        .route("/directory", get(directory::form))
        .route("/directory.pdf", get(directory::pdf))
        .route("/assets/board.css", get(css))
        .route("/assets/board.js", get(js))
        .route("/assets/vendor/{name}", get(ask::vendor))
        .route("/needs", get(needs::needs_page))
        .route("/needs.csv", get(needs::needs_csv))
        .route("/needs.json", get(needs::needs_json))
        .route("/needs/say", axum::routing::post(needs::say).layer(axum::extract::DefaultBodyLimit::max(4 * 1024)))
        .route("/ask/{reference}", get(ask::status))
        .route(
            "/ask/{family}/{hub}/{id}",
            axum::routing::post(ask::send).layer(axum::extract::DefaultBodyLimit::max(32 * 1024)),
        )
        // Browsers ask for it; there is none.
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/live", get(live))
        .route("/metrics", get(metrics))
        .with_state(Arc::new(board))
        .merge(crate::http::router_with(Arc::new(hsds)))
        .layer(axum::middleware::from_fn_with_state(throttle, crate::throttle::limit))
        .layer(axum::middleware::map_response(crate::http::headers))
}

/// Whether a browser says a form came from another site (`Sec-Fetch-Site`): the
/// board's forms that send something are refused from anywhere but its own pages.
pub(crate) fn cross_site(headers: &axum::http::HeaderMap) -> bool {
    headers.get("sec-fetch-site").is_some_and(|v| v.as_bytes() == b"cross-site")
}

/// Whether a request is a browser's (or anyone's) asking for HTML first.
fn wants_html(headers: &axum::http::HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"))
}

/// Prometheus's scrape: see [`crate::metrics`].
async fn metrics(axum::extract::State(board): St, request: axum::extract::Request) -> Response {
    // Counters are for the region's operators: on this machine unless said otherwise
    // (a request a trusted proxy forwards is its client's, not this machine's).
    let client = crate::connections::client_of(&request);
    if !board.metrics_public && !client.is_some_and(|c| c.is_loopback()) {
        let reader = Reader::of(request.uri(), request.headers());
        return problem_t(&board, &reader, StatusCode::NOT_FOUND, "page-not-found", "page-not-found-detail");
    }
    let text = board.shared.metrics().render(&board.shared.view());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response()
}

async fn css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], CSS)
        .into_response()
}

async fn js() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], JS)
        .into_response()
}

/// Server-sent events: a `change` event after each batch that changed the view
/// (changes that come while one is still being sent are folded into it), and a
/// comment every 15 s to keep proxies from closing the stream.
async fn live(axum::extract::State(board): St, request: axum::extract::Request) -> Response {
    use axum::response::sse::{Event, KeepAlive, Sse};
    use tokio_stream::StreamExt;
    // No client takes every live stream: a page's script needs one, a few tabs a few.
    let client = crate::connections::client_of(&request).unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into());
    let (Some(slot), Ok(permit)) =
        (board.live_clients.take(client, MAX_LIVE_PER_CLIENT), board.live.clone().try_acquire_owned())
    else {
        let reader = Reader::of(request.uri(), request.headers());
        return problem_t(&board, &reader, StatusCode::SERVICE_UNAVAILABLE, "too-many-live", "too-many-live-detail");
    };
    let changes = tokio_stream::wrappers::WatchStream::from_changes(board.shared.subscribe());
    let events = changes.map(move |_| {
        let _held = (&permit, &slot);
        Ok::<_, std::convert::Infallible>(Event::default().event("change").data("view"))
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15))).into_response()
}

/// No inline script or style, nothing from anywhere else.
const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; \
                   form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Who reads a page: the language it is in, and how the next page keeps it.
#[derive(Clone, Debug, Default)]
pub struct Reader {
    pub lang: Lang,
    /// Whether the language was chosen on the address (`lang=`) rather than by the
    /// browser: then the page's links and forms carry it on.
    chosen: bool,
    /// This page's path and query without `lang`, where the language switch leads
    /// (with its own `lang`): what was typed and searched stays.
    here: String,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Reader {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Reader, Self::Rejection> {
        Ok(Reader::of(&parts.uri, &parts.headers))
    }
}

impl Reader {
    /// The reader of a request: `lang=` on its address, else its `Accept-Language`.
    pub fn of(uri: &axum::http::Uri, headers: &axum::http::HeaderMap) -> Reader {
        let pairs = axum::extract::Query::<Vec<(String, String)>>::try_from_uri(uri).map(|q| q.0).unwrap_or_default();
        let mut chosen = None;
        let mut kept = Vec::new();
        for (k, v) in &pairs {
            match k.as_str() {
                "lang" => chosen = chosen.or(Lang::parse(v)),
                // Never finer than a district, even on a link: as the page's form has it.
                "area" => kept.push(format!("area={}", urlencode(&area_field(v)))),
                _ => kept.push(format!("{}={}", urlencode(k), urlencode(v))),
            }
        }
        let lang = chosen.unwrap_or_else(|| {
            Lang::negotiate(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default())
        });
        let here = if kept.is_empty() { uri.path().to_owned() } else { format!("{}?{}", uri.path(), kept.join("&")) };
        Reader { lang, chosen: chosen.is_some(), here }
    }

    /// Whether the language was chosen on the page rather than by the browser.
    pub fn chosen(&self) -> bool {
        self.chosen
    }

    /// The message `id` in the reader's language.
    pub fn t(&self, id: &str) -> String {
        self.lang.t(id)
    }

    /// A link to `path` on the board that keeps the language chosen on this page.
    pub fn href(&self, path: &str) -> String {
        if !self.chosen {
            return path.to_owned();
        }
        let join = if path.contains('?') { '&' } else { '?' };
        format!("{path}{join}lang={}", self.lang.code())
    }

    /// The hidden field a form that is sent by GET carries the chosen language in.
    pub fn keep(&self) -> Markup {
        html! { @if self.chosen { input type="hidden" name="lang" value=(self.lang.code()); } }
    }

    /// The same reader, whose language switch leads to `path` (a page answering a
    /// form that was posted switches to the page the form was on).
    pub fn at(mut self, path: &str) -> Reader {
        self.here = path.to_owned();
        self
    }

    /// Where this page is in `lang`.
    fn here_in(&self, lang: Lang) -> String {
        let join = if self.here.contains('?') { '&' } else { '?' };
        format!("{}{join}lang={}", self.here, lang.code())
    }

    /// The links to this page in the other languages, each named in itself.
    fn switch(&self) -> Markup {
        html! {
            nav.langs aria-label=(self.t("nav-languages")) data-lang-switch {
                ul {
                    @for lang in Lang::ALL {
                        li {
                            @if lang == self.lang {
                                span lang=(lang.tag()) dir=(lang.dir()) aria-current="true" { (lang.name()) }
                            } @else {
                                a href=(self.here_in(lang)) lang=(lang.tag()) hreflang=(lang.tag()) dir=(lang.dir()) data-lang=(lang.code()) { (lang.name()) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Text a hub wrote, as it wrote it: its direction found from itself, so that a
/// name in English reads rightly on a page in Urdu.
pub fn theirs(text: &str) -> Markup {
    html! { bdi { (text) } }
}

/// A page: the shell around `body`, with its security headers.
pub fn page(board: &Board, reader: &Reader, title: &str, status: StatusCode, body: Markup) -> Response {
    let r = reader;
    let region = board.region.as_str();
    let markup = html! {
        (DOCTYPE)
        html lang=(r.lang.tag()) dir=(r.lang.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (t!(r.lang, "page-title", title = title.to_owned(), region = region)) }
                link rel="stylesheet" href="/assets/board.css";
                script src="/assets/board.js" defer {}
            }
            body {
                a.skip href="#main" { (r.t("skip-to-main")) }
                header.site {
                    // Kith's name and the region's id read left to right in every language.
                    a.name href=(r.href("/")) dir="ltr" { (t!(r.lang, "board-name", region = region)) }
                    nav aria-label=(r.t("nav-board")) {
                        ul {
                            li { a href=(r.href("/search")) { (r.t("nav-search")) } }
                            li { a href=(r.href("/safe-houses")) { (r.t("nav-safe-houses")) } }
                            li { a href=(r.href("/hubs")) { (r.t("nav-hubs")) } }
                            li { a href=(r.href("/helpline")) { (r.t("nav-helpline")) } }
                            li { a href=(r.href("/directory")) { (r.t("nav-directory")) } }
                            li { a href=(r.href("/needs")) { (r.t("nav-needs")) } }
                        }
                    }
                    (r.switch())
                }
                main id="main" tabindex="-1" { (body) }
                footer.site {
                    p { (t!(r.lang, "footer-listed-by", region = region)) }
                    p.meta { (r.t("footer-distances")) " " span lang="en-GB" dir="ltr" { (ATTRIBUTION) "." } }
                }
            }
        }
    };
    let mut response = (status, markup).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(r.lang.tag()));
    h.insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    response
}

/// A page saying what went wrong, in words already in the reader's language.
pub fn problem(board: &Board, reader: &Reader, status: StatusCode, title: &str, detail: &str) -> Response {
    let body = html! { h1 { (title) } p { (detail) } p { a href=(reader.href("/")) { (reader.t("back-to-search")) } } };
    page(board, reader, title, status, body)
}

/// [`problem`] with both its title and detail messages by key.
pub fn problem_t(board: &Board, reader: &Reader, status: StatusCode, title: &str, detail: &str) -> Response {
    problem(board, reader, status, &reader.t(title), &reader.t(detail))
}

/// What a person typed for "where?", as a search takes it.
#[derive(Clone, Debug)]
pub enum Whereabouts {
    Anywhere,
    /// A place the region knows: what is in its area first, then the nearest.
    Near(Near),
    /// Words that name no place (a postcode area such as `LS`, `online`): a filter
    /// by the area's words, as a search by area always was.
    Words(Vec<String>),
    /// A postcode district that does not exist: said on the page; its words find
    /// nothing.
    Unknown {
        words: Vec<String>,
        why: String,
    },
}

impl Whereabouts {
    /// The place to search near, if any.
    pub fn near(&self) -> Option<Near> {
        match self {
            Whereabouts::Near(n) => Some(n.clone()),
            _ => None,
        }
    }

    /// The area's words to filter by, when it names no place.
    pub fn words(&self) -> Vec<String> {
        match self {
            Whereabouts::Words(w) | Whereabouts::Unknown { words: w, .. } => w.clone(),
            _ => Vec::new(),
        }
    }

    /// What to tell the person about what they typed, if anything.
    pub fn problem(&self) -> Option<&str> {
        match self {
            Whereabouts::Unknown { why, .. } => Some(why),
            _ => None,
        }
    }
}

/// What a person typed for "where?", as the board keeps it: a full postcode cut to
/// its district before anything else sees it, at most 64 characters.
pub fn area_field(typed: &str) -> String {
    cut_postcodes(typed).chars().take(64).collect()
}

/// A query value made safe for a URL.
pub(crate) fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The message that says the results are beyond the area asked about.
pub fn nothing_in(reader: &Reader, area: &str) -> String {
    t!(reader.lang, "nothing-in-nearest", area = area.trim().to_owned())
}

impl Board {
    /// What `area` (as [`area_field`] keeps it) means for a search.
    pub(crate) fn whereabouts(&self, reader: &Reader, area: &str) -> Whereabouts {
        if area.trim().is_empty() {
            return Whereabouts::Anywhere;
        }
        match Near::parse(self.shared.places(), area, None) {
            Ok(Some(near)) => Whereabouts::Near(near),
            Ok(None) => Whereabouts::Words(area_words(area)),
            Err(e) => {
                let why = match e {
                    PlacesError::UnknownDistrict(d) => t!(reader.lang, "no-such-district", district = d.to_string()),
                    other => t!(reader.lang, "place-problem", problem = other.to_string()),
                };
                Whereabouts::Unknown { words: area_words(area), why }
            }
        }
    }

    /// Reads the view under the query limits; a busy or slow read is a 503 page.
    pub(crate) async fn read<T: Send + 'static>(
        &self,
        reader: &Reader,
        f: impl FnOnce(&View, std::time::Instant) -> Result<T, TimedOut> + Send + 'static,
    ) -> Result<T, Response> {
        self.limits.run(&self.shared, "board", f).await.map_err(|status| {
            let why = match status.code() {
                tonic::Code::DeadlineExceeded => reader.t("busy-slow"),
                _ => reader.t("busy-detail"),
            };
            problem(self, reader, StatusCode::SERVICE_UNAVAILABLE, &reader.t("busy"), &why)
        })
    }

    /// Every hub by id, for names and phone numbers.
    pub(crate) async fn hubs(&self, reader: &Reader) -> Result<HashMap<Slug, HubSummary>, Response> {
        let hubs = self.current_hubs(reader).await?;
        Ok(hubs.into_iter().map(|h| (h.hub.clone(), h)).collect())
    }

    /// The hubs of the region, by id, without those that left it.
    pub(crate) async fn current_hubs(&self, reader: &Reader) -> Result<Vec<HubSummary>, Response> {
        let mut hubs = self.read(reader, |view, _| Ok(view.hubs())).await?;
        hubs.retain(|h| !h.profile.left);
        Ok(hubs)
    }
}
