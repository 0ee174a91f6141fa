//! What the `kith` binary shares as a library: the HSDS importer, so that it can be
//! fuzzed (`fuzz/`) and reused. Everything else is in the binary.

pub mod import;
