//! The `mlsc` command as a library: [`run`] parses arguments, runs a subcommand, prints and returns the exit status.
//!
//! The binary (`src/main.rs`) and the Python wheel (`crates/mlsc-python`, whose `mlsc` console script runs the
//! command in-process because one wheel cannot carry both a PyO3 extension and a separate binary) both call
//! [`run`], so the two give the same output and the same exit statuses. Analysis lives in the library crates.

use std::ffi::OsString;
use std::io::Write;

use clap::{CommandFactory, FromArgMatches};

mod args;
mod cmd;
mod config;
mod exit;
mod output;
mod progress;

use crate::args::Cli;
use crate::exit::Status;

/// Runs `mlsc` with `args` (the first item is the program name, as in `std::env::args_os`), printing on this
/// process's standard output and error, and returns the exit status: 0 clean, 1 findings at or above `--fail-on`
/// (or something not analysed completely), 2 usage, I/O or internal error. A closed standard output is 0.
///
/// ```no_run
/// let status = mlsc::run(["mlsc", "scan", "model.pt"]);
/// std::process::exit(i32::from(status));
/// ```
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let status = run_status(args);
    // In a binary the runtime flushes standard output at exit; embedded (the Python wheel) nothing does, and a
    // reporter that wrote without a final newline would lose its last line. A failed flush is a closed pipe here.
    let _ = std::io::stdout().flush();
    match status {
        Status::Clean => 0,
        Status::Findings => 1,
        Status::Error => 2,
    }
}

fn run_status<I, T>(args: I) -> Status
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let parsed = with_formats(Cli::command())
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (cli, m)));
    let cli = match parsed {
        Ok((mut cli, matches)) => {
            cli.global.format_given = given(&matches, "format");
            cli.global.fail_on_given = given(&matches, "fail_on");
            cli
        }
        Err(e) => {
            // clap prints help and version on stdout with exit 0, usage errors on stderr with our usage status.
            let _ = e.print();
            return if e.use_stderr() {
                Status::Error
            } else {
                Status::Clean
            };
        }
    };
    match cmd::run(&cli) {
        Ok(status) => status,
        Err(err) => {
            if output::is_broken_pipe(&err) {
                return Status::Clean;
            }
            output::error(&cli.global, &err);
            Status::Error
        }
    }
}

/// The `--format` values each command writes, shown at the end of its help (the option is global, so clap alone
/// would list all seven everywhere). Checked against the commands' refusals by `tests/cli.rs`.
const FORMATS: &[(&[&str], &str)] = &[
    (&["scan"], "human, json, sarif, jsonl"),
    (&["audit"], "human, json, sarif, markdown, html"),
    (&["deps"], "human, json, sarif, markdown, cyclonedx"),
    (&["sbom"], "cyclonedx (the default: the BOM), human, json"),
    (&["sbom", "validate"], "human, json, sarif"),
    (&["sbom", "affected"], "human, json"),
    (&["card", "lint"], "human, json, sarif"),
    (&["card", "score"], "human, json, markdown"),
    (
        &["card", "init"],
        "human, markdown (both write the Markdown card)",
    ),
    (&["verify"], "human, json, sarif"),
    (&["manifest"], "human, json"),
    (&["sign"], "human, json"),
    (&["keygen"], "human, json"),
    (&["attest"], "human, json"),
    (&["disasm"], "human, json"),
    (&["db", "update"], "human, json"),
    (&["db", "info"], "human, json"),
    (&["rule"], "human"),
];

fn with_formats(mut cli: clap::Command) -> clap::Command {
    for (path, formats) in FORMATS {
        let text = format!("Formats (--format): {formats}");
        cli = match path {
            [one] => cli.mut_subcommand(*one, |c| c.after_help(text)),
            [one, two] => {
                cli.mut_subcommand(*one, |c| c.mut_subcommand(*two, |c| c.after_help(text)))
            }
            _ => cli,
        };
    }
    cli
}

/// Whether the global option `id` (`format`, `fail_on`) was on the command line, at any level of subcommands.
fn given(matches: &clap::ArgMatches, id: &str) -> bool {
    let mut m = Some(matches);
    while let Some(level) = m {
        if level.value_source(id) == Some(clap::parser::ValueSource::CommandLine) {
            return true;
        }
        m = level.subcommand().map(|(_, sub)| sub);
    }
    false
}
