//! The Kith contract. Every byte that crosses a process boundary is defined here.
//!
//! # Layout
//!
//! - [`v1`]: the gRPC messages and services generated from `proto/kith/v1/*.proto`
//!   (the hub's admin API and the relay's region API), and [`FILE_DESCRIPTOR_SET`]
//!   for gRPC reflection.
//! - [`slug`]: region and hub ids, always one NATS subject token.
//! - [`subject`]: the NATS subject scheme and the region's JetStream stream.
//! - [`domain`]: opportunities, safe houses and hub profiles, with the limits on
//!   every field ([`validate`]).
//! - [`service`]: services, shaped after HSDS 3; [`offer`]: the businesses of a
//!   hub's pool of workers.
//! - [`digest`]: anti-entropy — a hub's published listings summed, in its heartbeat.
//! - [`event`]: what a hub publishes, as a postcard-encoded enum.
//! - [`envelope`]: the signed envelope around every event, and its verification.
//! - [`referral`]: referrals between two hubs: lifecycle, open metadata, sealed notes.
//! - [`ask`]: a person asking about a listing: what they write, sealed to the hub, and
//!   the reference they follow it by.
//! - [`roster`]: a region's hubs and their keys, signed by its coordinator.
//! - [`report`]: errors said on one line, each cause once.
//! - [`rotation`]: a hub's key history, each new key signed by the one before.
//! - [`keys`]: a hub's ed25519 and x25519 keys and its admin token, on disk.
//! - [`permissions`]: the NATS permissions of a hub's and a relay's users.
//! - [`convert`]: between the gRPC messages and the domain types.
//! - [`stream`]: the region's JetStream stream configuration.
//! - [`time`]: clock and calendar helpers shared by hub, relay and CLI.

pub mod ask;
pub mod convert;
pub mod digest;
pub mod domain;
pub mod envelope;
pub mod event;
pub mod keys;
pub mod offer;
pub mod permissions;
pub mod referral;
pub mod report;
pub mod roster;
pub mod rotation;
pub mod service;
pub mod slug;
pub mod stream;
pub mod subject;
pub mod time;
pub mod validate;

pub use slug::Slug;
pub use validate::ValidationError;

/// Generated gRPC code for package `kith.v1`.
#[allow(clippy::all, missing_docs)]
pub mod v1 {
    tonic::include_proto!("kith.v1");
}

/// The encoded `FileDescriptorSet` of `kith.v1`, served by gRPC reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/kith_descriptor.bin"));
