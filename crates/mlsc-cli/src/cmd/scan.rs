//! `mlsc scan PATH...`

use std::path::PathBuf;

use clap::Args;

use crate::args::GlobalArgs;
use crate::exit::Status;
use crate::output;

/// Arguments of `mlsc scan`.
#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    /// Files or directories to scan.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
}

pub(crate) fn run(global: &GlobalArgs, args: &ScanArgs) -> anyhow::Result<Status> {
    let options = mlsc_pickle::ScanOptions::default();
    let report = mlsc_pickle::scan_paths(&args.paths, &options);
    output::emit_report(global, &report, &mlsc_pickle::rules())?;
    Ok(Status::of_report(&report, global.fail_on))
}
