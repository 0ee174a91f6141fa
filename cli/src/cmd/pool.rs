//! `kith pool`: the group's pool of workers and its businesses.

use clap::Subcommand;

use super::{Globals, offer, workers};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The pool's businesses, each published to the region as an offer: what it does, where, its rate, how to book.
    #[command(subcommand)]
    Business(offer::Command),
    /// The pool's members: their skills, their week, the least they work for, their own earnings limit.
    #[command(subcommand)]
    Member(workers::MemberCommand),
    /// Jobs booked with the pool: who could take each, offers, answers, hours and pay.
    #[command(subcommand)]
    Job(workers::JobCommand),
    /// The group's own figures for a period: hours, pay, members paid, jobs turned down and why.
    Report(workers::ReportArgs),
}

pub async fn run(globals: &Globals, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Business(c) => offer::run(globals, c).await,
        Command::Member(c) => workers::run_member(globals, c).await,
        Command::Job(c) => workers::run_job(globals, c).await,
        Command::Report(a) => workers::run_report(globals, a).await,
    }
}
