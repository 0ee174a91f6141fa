//! The harness of Kith's end-to-end tests: real `nats-server`, `kith-hub`,
//! `kith-relay` and `kith` processes on free loopback ports, each test with its own.
//!
//! # Layout
//!
//! - [`nats`]: [`NatsServer`], a JetStream server with its own store directory, that
//!   can be stopped and started again on the same port to simulate an outage.
//! - [`hub`]: [`Hub`], a hub set up by `kith init` and run as `kith-hub --dir DIR`,
//!   with its admin gRPC client, `kill -9` and restart.
//! - [`relay`]: [`Relay`], a relay run as `kith-relay`, with its region gRPC client,
//!   restart on the same directory and rebuild from an empty one.
//! - [`region`]: [`Region`], one NATS server and one relay: the usual test setup.
//! - [`cli`]: [`kith`], the real CLI run with `--json`.
//! - [`sample`]: sample listings written through the CLI or the admin API.
//! - [`referral`]: referrals sent and answered through the CLI, and each hub's side
//!   of a referral as the region's stream holds it.
//! - [`relevance`]: the search relevance test set (listings, queries, what must
//!   come first), run against a relay's view; its recall@10 and MRR.
//! - [`files`]: looking for bytes in every file under a directory (where personal
//!   data is written, and where it must never be).
//! - [`skip`]: a check that cannot run here, recorded for `tests/run` to list.
//! - [`wait`]: [`wait_until`] and [`wait_for`], which poll a condition until a
//!   deadline instead of sleeping a fixed time.
//! - [`bins`], [`ports`], [`process`]: where the binaries are, free ports, and the
//!   child processes behind all of the above (killed on drop, their logs' tails
//!   printed when a test fails).
//!
//! The binaries are not built by `cargo test` (they belong to other packages):
//! run `cargo build --workspace --bins` first, as `tests/run` does.

pub mod bins;
pub mod cli;
pub mod cluster;
pub mod desk;
pub mod files;
pub mod http;
pub mod hub;
pub mod nats;
pub mod netns;
pub mod ports;
pub mod process;
pub mod referral;
pub mod region;
pub mod relay;
pub mod relevance;
pub mod sample;
pub mod skip;
pub mod wait;

pub use cli::{CliOutput, kith};
pub use hub::{AdminClient, Hub, HubOptions};
pub use nats::NatsServer;
pub use ports::free_port;
pub use region::{REGION, Region, find};
pub use relay::Relay;
pub use skip::skip;
pub use wait::{DEFAULT_TIMEOUT, wait_for, wait_until};

/// The workspace's root directory (the repository).
pub fn workspace() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the workspace").to_owned()
}
