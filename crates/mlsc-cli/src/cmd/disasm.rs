//! `mlsc disasm FILE`: the opcodes of a pickle, printed as `python -m pickletools` prints them.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::args::{GlobalArgs, OutputFormat};
use crate::exit::Status;
use crate::output;

/// Arguments of `mlsc disasm`.
#[derive(Debug, Args)]
pub(crate) struct DisasmArgs {
    /// A raw pickle file (a `.pkl`, a joblib file), or a member of an archive as findings print it:
    /// `model.pt!archive/data.pkl`, `outer.zip!inner.pt!archive/data.pkl`.
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,
    /// Start at this byte offset.
    #[arg(long, default_value_t = 0, value_name = "OFFSET")]
    pub(crate) offset: usize,
    /// Only the first pickle (pickletools' behaviour); by default every pickle stacked after it is shown too.
    #[arg(long)]
    pub(crate) first: bool,
}

pub(crate) fn run(global: &GlobalArgs, args: &DisasmArgs) -> anyhow::Result<Status> {
    // `file!member[!member…]`, as findings print locations; a file whose name holds `!` is opened as is.
    let data = match mlsc_pickle::read_location(&args.file, &mlsc_pickle::ScanOptions::default()) {
        Some(member) => member?,
        None => fs_err::read(&args.file).context("cannot read the pickle")?,
    };
    if args.offset > data.len() {
        anyhow::bail!(
            "offset {} is past the end of `{}` ({} bytes)",
            args.offset,
            args.file.display(),
            data.len()
        );
    }
    let listing = mlsc_pickle::Listing::new(&data, args.offset, args.first);
    let out = match global.format {
        OutputFormat::Json => serde_json::to_string_pretty(&listing.to_json())? + "\n",
        _ => listing.to_text(),
    };
    output::write_output(global, out.as_bytes())?;
    Ok(if listing.has_error() {
        Status::Findings
    } else {
        Status::Clean
    })
}
