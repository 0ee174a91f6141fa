//! The Kith hub: the daemon a user-led group runs.
//!
//! # Layout
//!
//! - [`config`]: `hub.toml`, `kith init`, and the daemon's [`config::Config`].
pub mod config;
pub mod store;
