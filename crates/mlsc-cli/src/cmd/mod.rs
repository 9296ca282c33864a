//! One module per subcommand; each calls library APIs and picks a reporter.

use crate::args::{Cli, Command};
use crate::exit::Status;

pub(crate) mod scan;

pub(crate) fn run(cli: &Cli) -> anyhow::Result<Status> {
    match &cli.command {
        Command::Scan(args) => scan::run(&cli.global, args),
    }
}
