//! `kith`: the command line of Kith, for the people who run a hub and for
//! coordinators who ask the region what is open.
//!
//! # Layout
//!
//! - `main.rs` (this file): the global flags, parsing, and turning any failure into
//!   one line on stderr with exit code 1.
//! - [`cmd`]: one module per command (`init`, `status`, `referral`, `region`, …);
//!   each checks its input locally, calls one API and prints. A family of listings
//!   (`opportunity`, `safehouse`, `service`) is one module there too, whole: its
//!   commands on the hub and in the region, its JSON shape, table and `show` block;
//!   what the families share is `cmd::family`, and `cmd/mod.rs` is their registry.
//! - [`connect`]: finding and reaching the hub's admin API and the relay, and the
//!   error messages for when they cannot be reached or refuse a call.
//! - [`output`]: tables, key/value blocks and JSON on stdout.

mod cmd;
mod connect;
use kith_opendata::import;
mod output;

use clap::Parser;
use clap::error::ErrorKind;
use std::path::PathBuf;
use std::process::ExitCode;

/// Kith: a federated network of user-led mental-health hubs.
///
/// Run a hub: `kith init`, then `kith-hub --dir DIR`, then add listings with
/// `kith --hub-dir DIR opportunity add …`. Ask the region what is open:
/// `kith region opportunities --query gardening`.
#[derive(Debug, Parser)]
#[command(name = "kith", version, propagate_version = true, max_term_width = 100)]
struct Cli {
    /// Print JSON instead of tables, for scripts.
    #[arg(long, global = true)]
    json: bool,
    /// The hub directory (made by `kith init`) whose admin API to call.
    #[arg(long, global = true, env = "KITH_HUB_DIR", value_name = "DIR")]
    hub_dir: Option<PathBuf>,
    /// The regional relay's query API.
    #[arg(long, global = true, env = "KITH_RELAY", value_name = "URL", default_value = "http://127.0.0.1:7500")]
    relay: String,
    #[command(subcommand)]
    command: cmd::Command,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => e.exit(),
        Err(e) if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // `kith` or `kith region` alone: one line saying what is missing, like every
            // other error, and where the help is.
            let rendered = e.render().to_string();
            let usage = rendered.lines().find_map(|l| l.trim().strip_prefix("Usage: ")).unwrap_or("kith <COMMAND>");
            let command =
                usage.split(" <COMMAND>").next().unwrap_or("kith").split(" [OPTIONS]").next().unwrap_or("kith");
            eprintln!("error: {command} needs a subcommand: {usage} (see {command} --help)");
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("error: {}", usage_error_line(&e.render().to_string()));
            return ExitCode::FAILURE;
        }
    };
    let globals = cmd::Globals { json: cli.json, hub_dir: cli.hub_dir, relay: cli.relay };
    match cmd::run(&globals, cli.command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", kith_proto::report::one_line(e.chain()));
            ExitCode::FAILURE
        }
    }
}

/// clap's usage error without its multi-line usage block: the problem, then where
/// to read more.
fn usage_error_line(rendered: &str) -> String {
    let body = rendered.split("\n\nUsage:").next().unwrap_or(rendered);
    let body = body.split("\n\nFor more information").next().unwrap_or(body);
    let body = body.trim_start().strip_prefix("error:").unwrap_or(body);
    let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{flat} (see --help)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn usage_errors_are_one_line() {
        let e = Cli::try_parse_from(["kith", "opportunity", "add", "--title", "T"]).unwrap_err();
        let line = usage_error_line(&e.render().to_string());
        assert!(!line.contains('\n'), "{line}");
        assert!(line.starts_with("the following required arguments were not provided: --kind <KIND>"), "{line}");
        assert!(line.ends_with("(see --help)"), "{line}");
    }

    #[test]
    fn global_flags_go_anywhere() {
        let cli = Cli::try_parse_from(["kith", "opportunity", "list", "--json", "--hub-dir", "/h"]).unwrap();
        assert!(cli.json);
        assert_eq!(cli.hub_dir, Some(PathBuf::from("/h")));
        let cli = Cli::try_parse_from(["kith", "--relay", "http://r:1", "region", "hubs"]).unwrap();
        assert_eq!(cli.relay, "http://r:1");
    }
}
