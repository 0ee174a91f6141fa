//! The HTTP listener's connections, bounded so that holding them is not cheap: a
//! client that opens a connection and sends nothing (or a header a byte at a time)
//! is cut off after [`HEADER_TIMEOUT`]; no client holds more than
//! [`ConnLimits::per_client`] connections at once, nor all clients together more than
//! [`ConnLimits::total`] — a connection beyond either is closed as soon as it is
//! accepted, before anything is read. The request-rate throttle
//! ([`crate::throttle`]) then bounds what each client's requests may cost.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tower::ServiceExt;

use kith_daemon::Stop;

/// How long a client has to send a request's header, on a new connection and on
/// one kept alive between requests.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How many connections the listener holds, and whose word it takes for a client's
/// address.
#[derive(Clone, Debug)]
pub struct ConnLimits {
    /// All clients together.
    pub total: usize,
    /// One client (an IPv6 client by its /64). A trusted proxy is not held to it.
    pub per_client: usize,
    /// Reverse proxies (`--trust-proxy`) whose `X-Forwarded-For` or `Forwarded`
    /// header names the client: behind them, every visitor would otherwise be one
    /// client, sharing one request budget.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Default for ConnLimits {
    fn default() -> Self {
        ConnLimits { total: 4096, per_client: 64, trusted_proxies: Vec::new() }
    }
}

/// The client a request comes from: the connection's peer, or, from a trusted
/// proxy, the address the proxy says it forwards for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The client a request comes from (see [`ClientAddr`]); a request made without the
/// listener (a test's router) has the connection's peer only, or none.
pub fn client_of<B>(request: &hyper::Request<B>) -> Option<IpAddr> {
    client_in(request.extensions())
}

/// [`client_of`] from a request's extensions (a handler that took its parts).
pub fn client_in(extensions: &axum::http::Extensions) -> Option<IpAddr> {
    extensions
        .get::<ClientAddr>()
        .map(|c| c.0)
        .or_else(|| extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()))
}

/// The client behind `peer`: with `peer` a trusted proxy, the nearest address in the
/// forwarding headers that is not itself a trusted proxy (each proxy appends the
/// address it heard from, so the rightmost untrusted one is the first the trusted
/// chain vouches for); else `peer` itself.
pub fn client_addr(peer: IpAddr, headers: &hyper::HeaderMap, trusted: &[ipnet::IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut hops: Vec<IpAddr> = Vec::new();
    for value in headers.get_all("forwarded") {
        for element in value.to_str().unwrap_or_default().split(',') {
            for pair in element.split(';') {
                if let Some((k, v)) = pair.trim().split_once('=')
                    && k.trim().eq_ignore_ascii_case("for")
                {
                    let v = v.trim().trim_matches('"');
                    let host = v.strip_prefix('[').and_then(|v| v.split_once(']')).map_or_else(
                        || v.rsplit_once(':').filter(|(h, _)| !h.contains(':')).map_or(v, |(h, _)| h),
                        |(h, _)| h,
                    );
                    hops.extend(host.parse::<IpAddr>());
                }
            }
        }
    }
    if hops.is_empty() {
        for value in headers.get_all("x-forwarded-for") {
            hops.extend(value.to_str().unwrap_or_default().split(',').filter_map(|h| h.trim().parse::<IpAddr>().ok()));
        }
    }
    hops.into_iter().rev().find(|ip| !is_trusted(ip)).unwrap_or(peer)
}

/// Serves `app` on `listener` until `stop` is set; then every connection is closed.
pub async fn serve(listener: TcpListener, app: Router, limits: ConnLimits, mut stop: Stop) -> std::io::Result<()> {
    let total = Arc::new(Semaphore::new(limits.total));
    let clients = Slots::default();
    let mut connections = JoinSet::new();
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors, say: wait a moment rather than spin.
                Err(e) => {
                    tracing::warn!(error = %e, "cannot accept an HTTP connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = kith_daemon::stopped(&mut stop) => break,
        };
        while connections.try_join_next().is_some() {}
        let Ok(permit) = total.clone().try_acquire_owned() else { continue };
        let proxy = limits.trusted_proxies.iter().any(|net| net.contains(&peer.ip()));
        let slot = match proxy {
            true => None,
            false => match clients.take(peer.ip(), limits.per_client) {
                Some(slot) => Some(slot),
                None => continue,
            },
        };
        let trusted = limits.trusted_proxies.clone();
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        connections.spawn(async move {
            let _held = (permit, slot);
            let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
                let client = client_addr(peer.ip(), request.headers(), &trusted);
                request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                request.extensions_mut().insert(ClientAddr(client));
                app.clone().oneshot(request)
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            if let Err(e) = connection.await {
                tracing::debug!(%peer, error = %e, "HTTP connection ended");
            }
        });
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// What each client holds of something bounded per client (connections, live
/// pages): cheap to clone, shared.
#[derive(Clone, Debug, Default)]
pub struct Slots(Arc<Mutex<HashMap<IpAddr, usize>>>);

impl Slots {
    /// One more for `client` (an IPv6 client by its /64), unless it holds `most`.
    pub fn take(&self, client: IpAddr, most: usize) -> Option<Slot> {
        let client = crate::throttle::key(client);
        let mut held = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let n = held.entry(client).or_default();
        if *n >= most {
            return None;
        }
        *n += 1;
        Some(Slot { slots: self.clone(), client })
    }
}

/// One of a client's slots; given back when dropped.
#[derive(Debug)]
pub struct Slot {
    slots: Slots,
    client: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut held = self.slots.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = held.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                held.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_behind_a_trusted_proxy_is_the_address_it_forwards_for() {
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap(), "::1/128".parse().unwrap()];
        let headers = |pairs: &[(&'static str, &str)]| {
            let mut h = hyper::HeaderMap::new();
            for (k, v) in pairs {
                h.append(*k, v.parse().unwrap());
            }
            h
        };
        let check = |peer: &str, pairs: &[(&'static str, &str)], want: &str| {
            assert_eq!(client_addr(peer.parse().unwrap(), &headers(pairs), &trusted), want.parse::<IpAddr>().unwrap());
        };
        // Not a trusted proxy: its headers are its own word, not taken.
        check("192.0.2.9", &[("x-forwarded-for", "198.51.100.1")], "192.0.2.9");
        check("10.1.2.3", &[("x-forwarded-for", "198.51.100.1")], "198.51.100.1");
        // A client's own header before the proxy's: the rightmost untrusted is taken.
        check("10.1.2.3", &[("x-forwarded-for", "1.2.3.4, 198.51.100.1, 10.9.9.9")], "198.51.100.1");
        check("10.1.2.3", &[("forwarded", "for=198.51.100.7;proto=https, for=\"[2001:db8::1]:4711\"")], "2001:db8::1");
        check("10.1.2.3", &[("forwarded", "for=198.51.100.7:1234")], "198.51.100.7");
        // A trusted proxy with no header: the proxy itself.
        check("::1", &[], "::1");
    }
}
