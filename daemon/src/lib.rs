//! The plumbing the hub and the relay share, written once so that both behave the
//! same way where the operating system or the network is concerned.
//!
//! # Layout
//!
//! - [`backoff`]: [`Backoff`], the one exponential backoff, whose sleep ends early
//!   when the daemon is told to stop.
//! - [`nats`]: server lists, credentials and redaction for a daemon's NATS
//!   connection, and [`nats::connect`], which retries until it connects or is stopped.
//! - [`grpc`]: a tonic server with the standard health and reflection services.
//! - [`shutdown`]: [`shutdown::signal`] (SIGTERM or Ctrl-C), the stop flag every task
//!   watches, and [`Tasks`], which owns a daemon's tasks and ends them all within a
//!   grace period, whatever the network is doing.
//! - [`store`]: opening a sled database, with one rule for a store another process
//!   holds.

pub mod backoff;
pub mod grpc;
pub mod nats;
pub mod shutdown;
pub mod store;

pub use backoff::Backoff;
pub use shutdown::{Stop, Tasks, is_set, stopped};
