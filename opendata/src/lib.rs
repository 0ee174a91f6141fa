//! Kith's listings in the open-data formats other tools read, and back.
//!
//! The relay serves the region as HSDS 3 JSON on its HTTP API (with the OpenAPI
//! description) and puts JobPosting JSON-LD on the board's opportunity pages; the
//! `kith` command line writes both in `kith region export` and reads HSDS in `kith
//! service import`; the fuzz targets (`kith-fuzz-targets`) feed the importer
//! arbitrary input. None of this is Kith's wire contract (`kith-proto`): these are
//! other people's formats, kept to their specifications.
//!
//! # Layout
//!
//! - [`hsds`]: the region as Open Referral HSDS 3 (UK profile) — hubs as
//!   organizations, services and safe houses as services — with stable UUID v5 ids;
//!   [`hsds::OPENAPI`] and [`hsds::DATAPACKAGE`], Open Referral's files in `hsds/`
//!   (CC BY-SA 4.0, see `hsds/README.md`).
//! - [`jobposting`]: an opportunity as schema.org `JobPosting` JSON-LD.
//! - [`import`]: HSDS JSON or a tabular data package read into service fields, with
//!   a [`import::Problem`] per bad row; [`import::ImportError`] when the input cannot
//!   be read at all.

pub mod hsds;
pub mod import;
pub mod jobposting;
