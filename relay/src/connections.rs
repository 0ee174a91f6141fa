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

/// How many connections the listener holds.
#[derive(Clone, Copy, Debug)]
pub struct ConnLimits {
    /// All clients together.
    pub total: usize,
    /// One client (an IPv6 client by its /64).
    pub per_client: usize,
}

impl Default for ConnLimits {
    fn default() -> Self {
        ConnLimits { total: 4096, per_client: 64 }
    }
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
        let Some(slot) = clients.take(peer.ip(), limits.per_client) else { continue };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        connections.spawn(async move {
            let _held = (permit, slot);
            let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
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
