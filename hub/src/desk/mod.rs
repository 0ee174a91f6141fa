//! The desk: the group's own web pages on its hub, for its workers — today's work,
//! beds, listings, referrals, and for coordinators the accounts and the audit log.
//!
//! Server-rendered HTML (maud: escaped by default), working without JavaScript, in
//! the board's style. Served on `--desk-listen` (hub.toml `desk_listen`): loopback
//! unless the admin API's certificate is set, then over TLS.
//!
//! - [`accounts`]: accounts, passwords (argon2id) and sign-in limits per account.
//! - [`pages`]: the pages and the forms they post; `listings.rs` the listings'
//!   (one form per family, checked as the admin API checks it); `form.rs` what the
//!   forms share (inputs with their errors, the GOV.UK error summary).
//! - [`words`]: the page's language (`lang=`, remembered in a cookie, else the
//!   browser's) and its words, every one a message of `kith-words`' `desk.ftl`.
//! - this file: the router, sessions and their cookie, the checks every request
//!   passes (a session, a role, the form's token against cross-site requests, the
//!   per-client sign-in limit), the security headers, and the listener.
//!
//! Every change is made through the same store functions as the admin API (most by
//! calling [`AdminService`] itself), under [`Actor::Desk`] so that the audit log
//! names who made it. A person's details are never in a URL, a log line or a
//! cache: every page is `Cache-Control: no-store`.

pub mod accounts;
mod asks;
mod form;
mod listings;
pub mod pages;
mod pool;
mod words;

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Form, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use maud::{DOCTYPE, Markup, html};
use rand::RngCore;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tower::ServiceExt;

use kith_daemon::Stop;

use self::words::{Reader, tr};
use crate::admin::AdminService;
use crate::store::{Actor, DeskUser, Role, Session, Store};

/// The desk's own styles, served after Kith's look ([`kith_words::STYLE`]).
const DESK_CSS: &str = include_str!("../../desk/desk.css");

/// A session ends after this long unused…
pub const IDLE: Duration = Duration::from_secs(12 * 3600);
/// …and this long after it began, used or not.
pub const LONGEST: Duration = Duration::from_secs(7 * 24 * 3600);

/// Sign-in attempts one client may make in a minute (all accounts together).
pub const SIGN_INS_PER_MINUTE: u32 = 10;

/// How long a client has to send a request's header.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// What the desk's pages need.
#[derive(Clone)]
pub struct Desk {
    pub(crate) store: Store,
    pub(crate) admin: AdminService,
    pub(crate) pool: crate::pool::grpc::PoolService,
    /// The group's name, shown in every page's header.
    pub(crate) name: String,
    /// Whether the desk is served over TLS: its cookie is then `__Host-` prefixed.
    pub(crate) tls: bool,
    sign_ins: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// When the hub's keys were made or last changed.
    pub(crate) keys_since_ms: Option<i64>,
    /// The front page's chores, as of a sequence number and a day ([`pages`]).
    chores: Arc<std::sync::Mutex<Option<(u64, kith_proto::time::CivilDate, pages::Chores)>>>,
}

impl Desk {
    /// `keys_since_ms`: when the hub's keys were made or last changed, for the
    /// coordinators' reminder to change them.
    pub fn new(
        store: Store,
        admin: AdminService,
        pool: crate::pool::grpc::PoolService,
        name: String,
        tls: bool,
        keys_since_ms: Option<i64>,
    ) -> Desk {
        let per_minute = NonZeroU32::new(SIGN_INS_PER_MINUTE).expect("not zero");
        let sign_ins = Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute)));
        Desk { store, admin, pool, name, tls, sign_ins, chores: Arc::default(), keys_since_ms }
    }

    fn cookie_name(&self) -> &'static str {
        if self.tls { "__Host-kith-desk" } else { "kith-desk" }
    }

    /// The session cookie for `secret` (empty and expired: the cookie taken away).
    fn cookie(&self, secret: &str) -> HeaderValue {
        let mut c = Cookie::build((self.cookie_name(), secret.to_owned()))
            .http_only(true)
            .secure(true)
            .same_site(SameSite::Strict)
            .path("/");
        if secret.is_empty() {
            c = c.max_age(cookie::time::Duration::ZERO);
        }
        HeaderValue::from_str(&c.build().to_string()).expect("a cookie is a header value")
    }

    /// The cookie that remembers a language chosen on a page ([`words`]): not a
    /// secret, but kept to the desk like its session.
    fn lang_cookie(&self, lang: kith_words::Lang) -> HeaderValue {
        let c = Cookie::build((words::COOKIE, lang.code()))
            .http_only(true)
            .secure(true)
            .same_site(SameSite::Strict)
            .path("/")
            .max_age(cookie::time::Duration::days(365));
        HeaderValue::from_str(&c.build().to_string()).expect("a cookie is a header value")
    }

    /// Whether `client` may try to sign in now.
    fn may_try_sign_in(&self, client: IpAddr) -> bool {
        self.sign_ins.check_key(&client).is_ok()
    }
}

/// A signed-in desk user, as a page sees them.
#[derive(Clone, Debug)]
pub struct Worker {
    pub user: DeskUser,
    pub session: Session,
    /// The session's secret (the cookie's value), to end it.
    pub(crate) secret: String,
}

impl Worker {
    pub fn actor(&self) -> Actor {
        Actor::Desk(self.user.name.clone())
    }

    pub fn is_coordinator(&self) -> bool {
        self.user.role == Role::Coordinator
    }
}

/// A random secret: 32 bytes, as hex.
pub(crate) fn secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The signed-in worker of a request, if its cookie names a live session (which is
/// then noted as used).
pub(crate) fn worker(desk: &Desk, headers: &HeaderMap) -> Option<Worker> {
    let secret = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == desk.cookie_name())
        .map(|c| c.value().to_owned())?;
    let mut session = desk.store.session(&secret).ok()??;
    let now = kith_proto::time::now_ms();
    let idle = now - session.seen_at_ms > IDLE.as_millis() as i64;
    let old = now - session.created_at_ms > LONGEST.as_millis() as i64;
    let user = desk.store.desk_user(&session.user).ok()?;
    let Some(user) = user.filter(|_| !idle && !old) else {
        let _ = desk.store.touch_session(&secret, &Session { seen_at_ms: 0, ..session });
        return None;
    };
    if now - session.seen_at_ms > 60_000 {
        session.seen_at_ms = now;
        let _ = desk.store.touch_session(&secret, &session);
    }
    Some(Worker { user, session, secret })
}

/// The desk's routes.
pub fn router(desk: Desk) -> Router {
    pages::routes()
        .merge(asks::routes())
        .merge(pool::routes())
        .route("/assets/desk.css", axum::routing::get(css))
        // The desk has no icon: answered, so that browsers log no missing one.
        .route("/favicon.ico", axum::routing::get(|| async { StatusCode::NO_CONTENT }))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(desk.clone(), guard))
        .with_state(desk)
}

async fn css() -> Response {
    static CSS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| format!("{}\n{DESK_CSS}", kith_words::STYLE));
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS.as_str()).into_response()
}

async fn not_found(State(desk): State<Desk>, headers: HeaderMap) -> Response {
    let worker = worker(&desk, &headers);
    page_not_found(&desk, worker.as_ref(), tr!("desk-page-not-found-detail"))
}

/// "Page not found", saying why.
pub(crate) fn page_not_found(desk: &Desk, worker: Option<&Worker>, why: String) -> Response {
    page_error(desk, worker, StatusCode::NOT_FOUND, &tr!("desk-page-not-found"), why)
}

/// What every request passes before its page: no form posted from another site,
/// its page made in its reader's language ([`words`]), and the security headers on
/// every answer.
async fn guard(State(desk): State<Desk>, request: Request, next: Next) -> Response {
    let reader = Reader::of(request.method(), request.uri(), request.headers());
    let lang = reader.lang;
    if request.method() == Method::POST && cross_site(request.headers()) {
        let refused = lang.t("desk-refused-cross-site");
        return (StatusCode::FORBIDDEN, [(header::CONTENT_LANGUAGE, lang.tag())], refused).into_response();
    }
    let chosen = reader.chosen;
    let mut response = reader.scope(next.run(request)).await;
    let h = response.headers_mut();
    if chosen {
        h.append(header::SET_COOKIE, desk.lang_cookie(lang));
    }
    h.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.tag()));
    h.insert(header::VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; \
             base-uri 'none'",
        ),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Whether a request says it comes from another site (`Sec-Fetch-Site`, or an
/// `Origin` other than its `Host`). Forms carry a token as well ([`Worker`]'s
/// session's `csrf`); this also covers the sign-in form, which has no session yet.
fn cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match (headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()), headers.get(header::HOST)) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => {
            let origin = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            host.to_str().map_or(true, |host| origin != host)
        }
        _ => false,
    }
}

/// A page in the desk's frame, in the reader's language: the group's name, the
/// navigation (for a signed-in worker), the language switch, the content.
pub(crate) fn frame(desk: &Desk, worker: Option<&Worker>, title: &str, content: Markup) -> Markup {
    let lang = words::lang();
    let me = |w: &Worker| html! { (tr!("desk-nav-signed-in-as", name = w.user.name.clone())) };
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) dir=(lang.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (tr!("desk-page-title", title = title.to_owned(), group = desk.name.clone())) }
                link rel="stylesheet" href="/assets/desk.css";
            }
            body {
                a.skip href="#main" { (tr!("desk-skip-to-main")) }
                header.site {
                    span.name { (tr!("desk-name", group = desk.name.clone())) }
                    @if let Some(w) = worker.filter(|w| w.user.role == Role::Member) {
                        nav aria-label=(tr!("desk-nav-desk")) {
                            ul {
                                li { a href="/me" { (tr!("desk-nav-my-work")) } }
                                li { a href="/account" { (me(w)) } }
                            }
                        }
                    } @else if let Some(w) = worker {
                        nav aria-label=(tr!("desk-nav-desk")) {
                            ul {
                                li { a href="/" { (tr!("desk-nav-today")) } }
                                li { a href="/beds" { (tr!("desk-nav-beds")) } }
                                li { a href="/referrals" { (tr!("desk-nav-referrals")) } }
                                li { a href="/asks" { (tr!("desk-nav-asks")) } }
                                li { a href="/listings" { (tr!("desk-nav-listings")) } }
                                li { a href="/pool" { (tr!("desk-nav-pool")) } }
                                @if w.is_coordinator() {
                                    li { a href="/users" { (tr!("desk-nav-workers")) } }
                                    li { a href="/audit" { (tr!("desk-nav-audit")) } }
                                    li { a href="/leave" { (tr!("desk-nav-leave")) } }
                                }
                                li { a href="/account" { (me(w)) } }
                            }
                        }
                    }
                    (words::switch())
                }
                main #main tabindex="-1" { (content) }
            }
        }
    }
}

/// An HTML answer.
pub(crate) fn respond(status: StatusCode, page: Markup) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page.into_string()).into_response()
}

/// A page that only says what went wrong.
/// `why` is words in the page's language, or [`words::english`] around a problem
/// only said in English.
pub(crate) fn page_error(
    desk: &Desk,
    worker: Option<&Worker>,
    status: StatusCode,
    title: &str,
    why: impl maud::Render,
) -> Response {
    respond(
        status,
        frame(
            desk,
            worker,
            title,
            html! { h1 { (title) } p { (why) } p { a href="/" { (tr!("desk-back-to-today")) } } },
        ),
    )
}

/// A page for signed-in workers takes a [`Worker`]: a request without a live
/// session is sent to sign in.
impl FromRequestParts<Desk> for Worker {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, desk: &Desk) -> Result<Worker, Response> {
        let w = worker(desk, &parts.headers).ok_or_else(|| Redirect::to("/sign-in").into_response())?;
        // A member of the pool sees their own work and their account, nothing else.
        let theirs = ["/me", "/account", "/sign-out"].iter().any(|p| parts.uri.path().starts_with(p));
        if w.user.role == Role::Member && !theirs {
            return Err(Redirect::to("/me").into_response());
        }
        Ok(w)
    }
}

/// A signed-in coordinator. A worker who is not one gets 403, and the audit log
/// records the attempt.
pub(crate) struct Coordinator(pub Worker);

impl FromRequestParts<Desk> for Coordinator {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, desk: &Desk) -> Result<Coordinator, Response> {
        let w = Worker::from_request_parts(parts, desk).await?;
        if w.is_coordinator() {
            return Ok(Coordinator(w));
        }
        let _ = desk.store.audit(&w.actor(), "refused: a coordinator's page", parts.uri.path()).await;
        Err(page_error(
            desk,
            Some(&w),
            StatusCode::FORBIDDEN,
            &tr!("desk-coordinators-only"),
            tr!("desk-coordinators-only-detail"),
        ))
    }
}

impl AsRef<Worker> for Worker {
    fn as_ref(&self) -> &Worker {
        self
    }
}

impl AsRef<Worker> for Coordinator {
    fn as_ref(&self) -> &Worker {
        &self.0
    }
}

/// A form posted by `W` (a [`Worker`] or a [`Coordinator`]) whose token is its
/// session's; one without is refused (403), and the audit log records it.
pub(crate) struct Posted<W = Worker>(pub W, pub form::Fields);

impl<W> FromRequest<Desk> for Posted<W>
where
    W: FromRequestParts<Desk, Rejection = Response> + AsRef<Worker> + Send,
{
    type Rejection = Response;

    async fn from_request(request: Request, desk: &Desk) -> Result<Posted<W>, Response> {
        let (mut parts, body) = request.into_parts();
        let who = W::from_request_parts(&mut parts, desk).await?;
        let Form(fields) = Form::<form::Fields>::from_request(Request::from_parts(parts, body), desk)
            .await
            .map_err(IntoResponse::into_response)?;
        check_token(desk, who.as_ref(), form::field(&fields, "csrf")).await?;
        Ok(Posted(who, fields))
    }
}

/// Refuses a posted form whose token is not the session's, and records it.
pub(crate) async fn check_token(desk: &Desk, w: &Worker, token: &str) -> Result<(), Response> {
    use subtle::ConstantTimeEq;
    if bool::from(token.as_bytes().ct_eq(w.session.csrf.as_bytes())) {
        return Ok(());
    }
    let _ = desk.store.audit(&w.actor(), "refused: a form without its token", "").await;
    Err(page_error(desk, Some(w), StatusCode::FORBIDDEN, &tr!("desk-form-expired"), tr!("desk-form-expired-detail")))
}

/// Serves the desk on `listener` until `stop` is set, over TLS when `tls` is given.
pub async fn serve(
    listener: TcpListener,
    desk: Desk,
    tls: Option<tokio_rustls::TlsAcceptor>,
    mut stop: Stop,
) -> std::io::Result<()> {
    let app = router(desk);
    let mut connections = JoinSet::new();
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot accept a desk connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = kith_daemon::stopped(&mut stop) => break,
        };
        while connections.try_join_next().is_some() {}
        let _ = stream.set_nodelay(true);
        let (app, tls) = (app.clone(), tls.clone());
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                app.clone().oneshot(request)
            });
            let http = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .clone();
            let served = match tls {
                Some(tls) => match tokio::time::timeout(HEADER_TIMEOUT, tls.accept(stream)).await {
                    Ok(Ok(stream)) => http.serve_connection(TokioIo::new(stream), service).await,
                    _ => return,
                },
                None => http.serve_connection(TokioIo::new(stream), service).await,
            };
            if let Err(e) = served {
                tracing::debug!(%peer, error = %e, "desk connection ended");
            }
        });
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// The TLS acceptor for a certificate chain and key in PEM files.
pub fn tls_acceptor(cert: &std::path::Path, key: &std::path::Path) -> Result<tokio_rustls::TlsAcceptor, String> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter(cert)
        .and_then(|i| i.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("{}: {e}", cert.display()))?;
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| format!("{}: {e}", key.display()))?;
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| e.to_string())?
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .map_err(|e| e.to_string())?;
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_from_another_site_are_told_apart() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, HeaderValue::from_static(v));
            }
            h
        };
        assert!(!cross_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!cross_site(&headers(&[("origin", "http://127.0.0.1:7410"), ("host", "127.0.0.1:7410")])));
        assert!(cross_site(&headers(&[("origin", "https://evil.example"), ("host", "127.0.0.1:7410")])));
        assert!(cross_site(&headers(&[("origin", "null"), ("host", "127.0.0.1:7410")])));
        assert!(!cross_site(&headers(&[("host", "127.0.0.1:7410")])), "curl sends neither");
    }
}
