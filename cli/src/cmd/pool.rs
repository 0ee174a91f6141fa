//! `kith pool`: the group's pool of workers and its businesses.

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// The pool's businesses, each published to the region as an offer: what it does, where, its rate, how to book.
    #[command(subcommand)]
    Business(super::offer::Command),
}

pub async fn run(globals: &super::Globals, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Business(c) => super::offer::run(globals, c).await,
    }
}
