//! The `mlsc` binary: argument parsing, reporters and exit codes. Analysis lives in the library crates.

use std::process::ExitCode;

use clap::Parser;

mod args;
mod cmd;
mod config;
mod exit;
mod output;

use crate::args::Cli;
use crate::exit::Status;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
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
