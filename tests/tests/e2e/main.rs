//! Kith's end-to-end tests, one module per area, linked into one test binary: each
//! binary links the hub, the relay and typesetting, so one binary for all of them
//! costs one link instead of one per file. The harness is `kith_tests` (`tests/src`).
//!
//! Run one area with `tests/run -- NAME` (a test's path starts with its module,
//! e.g. `durability::`).

mod admin;
mod antientropy;
mod asks;
mod bad_disks;
mod board;
mod browser;
mod chaos;
mod clock;
mod cluster;
mod desk;
mod directory;
mod durability;
mod forgery;
mod fuzz_corpora;
mod harness;
mod hostile;
mod keys;
mod leaving;
mod listings;
mod load;
mod local;
mod metrics;
mod near;
mod needs;
mod netns;
mod offers;
mod open_data;
mod permissions;
mod pool;
mod referrals;
mod relevance;
mod roster;
mod services;
mod shutdown;
mod tls;
