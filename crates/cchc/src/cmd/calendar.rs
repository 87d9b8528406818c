//! `cchc calendar …` — the legal calendar from the command line (issue 3).

use super::CliError;

#[derive(Debug, clap::Args)]
pub struct CalendarArgs {
    #[command(subcommand)]
    pub command: CalendarCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum CalendarCommand {}

pub fn run(args: CalendarArgs) -> Result<(), CliError> {
    match args.command {}
}
