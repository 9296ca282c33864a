//! The `mlsc` binary: argument parsing, reporters and exit codes. Analysis lives in the library crates.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

mod args;
mod audit;
mod cmd;
mod config;
mod exit;
mod output;

use crate::args::Cli;
use crate::exit::Status;

fn main() -> ExitCode {
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (cli, m)));
    let cli = match parsed {
        Ok((mut cli, matches)) => {
            cli.global.format_given = format_given(&matches);
            cli
        }
        Err(e) => {
            // clap prints help and version on stdout with exit 0, usage errors on stderr with our usage status.
            let _ = e.print();
            return if e.use_stderr() {
                Status::Error.into()
            } else {
                Status::Clean.into()
            };
        }
    };
    match cmd::run(&cli) {
        Ok(status) => status.into(),
        Err(err) => {
            if output::is_broken_pipe(&err) {
                return Status::Clean.into();
            }
            output::error(&cli.global, &err);
            Status::Error.into()
        }
    }
}

/// Whether `--format` was on the command line, at any level of subcommands (it is a global option).
fn format_given(matches: &clap::ArgMatches) -> bool {
    let mut m = Some(matches);
    while let Some(level) = m {
        if level.value_source("format") == Some(clap::parser::ValueSource::CommandLine) {
            return true;
        }
        m = level.subcommand().map(|(_, sub)| sub);
    }
    false
}
