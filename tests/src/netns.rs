//! A network namespace joined to this one by a veth pair, for tests of what crosses a
//! network: a server runs inside it (`ip netns exec`), its clients outside, and the
//! test cuts the link (`ip link set … down`) rather than stopping a process, so that
//! connections hang as they do when a cable is pulled instead of being closed.
//!
//! Needs root and iproute2; [`NetNs::create`] says None otherwise.

use std::ffi::OsString;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

static NEXT: AtomicU32 = AtomicU32::new(0);

pub struct NetNs {
    pub name: String,
    /// This namespace's number, which its links' names and addresses carry.
    n: u32,
    links: AtomicU32,
    host_if: String,
    /// The address of this side of the link, and of the namespace's side.
    pub host_ip: String,
    pub ns_ip: String,
}

fn ip(args: &[&str]) -> Result<(), String> {
    let out = Command::new("ip").args(args).output().map_err(|e| format!("ip: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("ip {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// A veth pair between this namespace (`host_if`, `host_ip`) and namespace `ns`
/// (`ns_if`, `ns_ip`), each side a /30 and up.
fn veth(ns: &str, host_if: &str, ns_if: &str, host_ip: &str, ns_ip: &str) -> Result<(), String> {
    ip(&["link", "add", host_if, "type", "veth", "peer", "name", ns_if])?;
    ip(&["link", "set", ns_if, "netns", ns])?;
    ip(&["addr", "add", &format!("{host_ip}/30"), "dev", host_if])?;
    ip(&["link", "set", host_if, "up"])?;
    ip(&["-n", ns, "addr", "add", &format!("{ns_ip}/30"), "dev", ns_if])?;
    ip(&["-n", ns, "link", "set", ns_if, "up"])
}

impl NetNs {
    /// A new namespace with a link to this one; None (and why, on stderr) where this
    /// process may not make one.
    pub fn create() -> Option<NetNs> {
        let n = std::process::id() % 200 * 50 + NEXT.fetch_add(1, Ordering::SeqCst) % 50;
        let (a, b) = (n / 64 % 250, n % 64 * 4);
        let ns = NetNs {
            n,
            links: AtomicU32::new(0),
            name: format!("kith-test-{n}"),
            host_if: format!("kt{n}h"),
            host_ip: format!("10.203.{a}.{}", b + 1),
            ns_ip: format!("10.203.{a}.{}", b + 2),
        };
        let setup = ip(&["netns", "add", &ns.name])
            .and_then(|()| veth(&ns.name, &ns.host_if, &format!("kt{n}n"), &ns.host_ip, &ns.ns_ip))
            .and_then(|()| ip(&["-n", &ns.name, "link", "set", "lo", "up"]));
        if let Err(e) = setup {
            eprintln!("cannot set up a network namespace (needs root and iproute2): {e}");
            return None;
        }
        Some(ns)
    }

    /// One more link between this namespace and the namespace it was made from, with
    /// addresses of its own: a client that reaches the server through it alone can
    /// be cut off alone.
    pub fn add_link(&self) -> Link {
        let k = self.links.fetch_add(1, Ordering::SeqCst) + 1;
        let link = Link {
            host_if: format!("kt{}h{k}", self.n),
            host_ip: format!("10.204.{}.{}", self.n % 250, (k % 64) * 4 + 1),
            ns_ip: format!("10.204.{}.{}", self.n % 250, (k % 64) * 4 + 2),
        };
        veth(&self.name, &link.host_if, &format!("kt{}n{k}", self.n), &link.host_ip, &link.ns_ip)
            .expect("add a link to the namespace");
        link
    }

    /// What runs a program inside the namespace: `ip netns exec NAME PROGRAM …`.
    pub fn exec_prefix(&self) -> Vec<OsString> {
        vec!["netns".into(), "exec".into(), self.name.clone().into()]
    }

    /// Takes the link down: packets are dropped, connections hang.
    pub fn cut(&self) {
        ip(&["link", "set", &self.host_if, "down"]).expect("take the link down");
    }

    /// Brings the link back up.
    pub fn restore(&self) {
        ip(&["link", "set", &self.host_if, "up"]).expect("bring the link up");
    }
}

impl Drop for NetNs {
    fn drop(&mut self) {
        // Deleting the namespace deletes the veth pair with it.
        let _ = ip(&["netns", "del", &self.name]);
        let _ = ip(&["link", "del", &self.host_if]);
    }
}

/// A further link of a [`NetNs`] ([`NetNs::add_link`]).
pub struct Link {
    host_if: String,
    pub host_ip: String,
    pub ns_ip: String,
}

impl Link {
    /// Takes this link down.
    pub fn cut(&self) {
        ip(&["link", "set", &self.host_if, "down"]).expect("take the link down");
    }

    /// Brings this link back up.
    pub fn restore(&self) {
        ip(&["link", "set", &self.host_if, "up"]).expect("bring the link up");
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        let _ = ip(&["link", "del", &self.host_if]);
    }
}
