//! `cchc directive …` — the directive reader from the command line (issue 5).

use super::CliError;

#[derive(Debug, clap::Args)]
pub struct DirectiveArgs {
    #[command(subcommand)]
    pub command: DirectiveCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum DirectiveCommand {}

pub fn run(args: DirectiveArgs) -> Result<(), CliError> {
    match args.command {}
}
