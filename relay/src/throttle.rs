//! Bounded work per client on the HTTP listener: each address (an IPv6 client by
//! its /64, since one machine holds a whole /64) may make [`Throttle::per_second`]
//! requests a second, in bursts of three seconds' worth; more are answered 429 with
//! `Retry-After`, before any work is done. With the query limits
//! ([`crate::query::Limits`]: a few queries at once, each with a deadline) this keeps
//! one client from taking the view from everyone else, and the board from starving
//! ingest.
//!
//! The page's own style sheet, script and icon are not counted: they are small,
//! fixed and cached.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// Requests a second each client may make unless configured otherwise.
pub const DEFAULT_PER_SECOND: u32 = 20;

/// Requests a second each client may make of the gRPC API unless configured
/// otherwise: programs ask more often than people, in pages.
pub const DEFAULT_GRPC_PER_SECOND: u32 = 50;

/// The same limit on the gRPC API, as an interceptor: a client over it is told
/// `RESOURCE_EXHAUSTED` with how long to wait, before any work is done.
pub fn grpc(
    throttle: Option<Throttle>,
) -> impl Fn(tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> + Clone {
    move |request: tonic::Request<()>| {
        if let (Some(throttle), Some(peer)) = (&throttle, request.remote_addr())
            && let Err(wait) = throttle.check(peer.ip())
        {
            return Err(tonic::Status::resource_exhausted(format!(
                "too many requests from your address: at most {} a second; try again in {} ms",
                throttle.per_second(),
                wait.as_millis().max(1)
            )));
        }
        Ok(request)
    }
}

type Limiter = RateLimiter<IpAddr, governor::state::keyed::HashMapStateStore<IpAddr>, DefaultClock>;

/// The per-client limit; cheap to clone.
#[derive(Clone)]
pub struct Throttle {
    limiter: Arc<Limiter>,
    clock: DefaultClock,
    per_second: NonZeroU32,
}

impl Throttle {
    pub fn new(per_second: NonZeroU32) -> Throttle {
        let burst = per_second.saturating_mul(NonZeroU32::new(3).expect("3 is not 0"));
        let quota = Quota::per_second(per_second).allow_burst(burst);
        Throttle { limiter: Arc::new(RateLimiter::hashmap(quota)), clock: DefaultClock::default(), per_second }
    }

    pub fn per_second(&self) -> u32 {
        self.per_second.get()
    }

    /// Whether `client` may make a request now; if not, how long until it may.
    pub fn check(&self, client: IpAddr) -> Result<(), Duration> {
        self.limiter.check_key(&key(client)).map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// Forgets clients that have not been seen for a while, so that the table of
    /// clients stays as small as the set of recent ones.
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }

    pub fn clients(&self) -> usize {
        self.limiter.len()
    }
}

/// An IPv4 address as it is; an IPv6 address by its /64.
pub(crate) fn key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut octets = v6.octets();
                octets[8..].fill(0);
                IpAddr::V6(octets.into())
            }
        },
    }
}

/// The middleware: counts the request against its client, or answers 429.
pub async fn limit(State(throttle): State<Option<Throttle>>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let exempt = path.starts_with("/assets/") || path == "/favicon.ico";
    let client = crate::connections::client_of(&request);
    if let (Some(throttle), Some(client), false) = (&throttle, client, exempt)
        && let Err(wait) = throttle.check(client)
    {
        let secs = wait.as_secs().max(1);
        let html = request
            .headers()
            .get(header::ACCEPT)
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
        let message = format!(
            "Too many requests from your address: at most {} a second. Try again in {secs} s.",
            throttle.per_second()
        );
        let mut response = if html {
            (StatusCode::TOO_MANY_REQUESTS, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message)
                .into_response()
        } else {
            (StatusCode::TOO_MANY_REQUESTS, axum::Json(serde_json::json!({ "error": message }))).into_response()
        };
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        return response;
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_client_has_its_own_budget() {
        let t = Throttle::new(NonZeroU32::new(2).unwrap());
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..6 {
            t.check(a).expect("a burst of three seconds' worth");
        }
        let wait = t.check(a).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_millis(500), "{wait:?}");
        t.check(b).expect("another client is not held up");
        assert_eq!(t.clients(), 2);
    }

    #[test]
    fn an_ipv6_client_is_its_64() {
        let one: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let other: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(key(one), key(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }
}
