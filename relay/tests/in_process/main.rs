//! The relay in process, with NATS unreachable: its query API, its board and its
//! HSDS API over a stored view. One test binary with a module each, so that the
//! relay (and typst under it) is linked once for all of them. Ingest from a real
//! NATS server is covered by the end-to-end tests of the `tests/` crate.

mod api;
mod board;
mod hsds;
