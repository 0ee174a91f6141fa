//! Free loopback ports for daemons whose port must be known before they start.

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, TcpListener};
use std::sync::Mutex;

/// Never handed out: a NATS server that does not belong to the tests runs there.
const FOREIGN_NATS_PORT: u16 = 4222;

/// Ports already handed out in this process, so that two tests running in parallel
/// never get the same one between its release here and its bind by the daemon.
static HANDED_OUT: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());

/// A port on 127.0.0.1 that was free a moment ago: bound to port 0, then released.
pub fn free_port() -> u16 {
    loop {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        drop(listener);
        if port != FOREIGN_NATS_PORT && HANDED_OUT.lock().expect("port set").insert(port) {
            return port;
        }
    }
}
