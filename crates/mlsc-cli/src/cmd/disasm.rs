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
    /// A raw pickle file (a PyTorch zip's `data.pkl`, a joblib file, a `.pkl`).
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
    let data = fs_err::read(&args.file).context("cannot read the pickle")?;
    if args.offset > data.len() {
        anyhow::bail!(
            "offset {} is past the end of `{}` ({} bytes)",
            args.offset,
            args.file.display(),
            data.len()
        );
    }
    let mut text = String::new();
    let mut json = Vec::new();
    let mut status = Status::Clean;
    let mut pos = args.offset;
    let mut n = 0;
    while pos < data.len() {
        let d = mlsc_pickle::disassemble(&data, pos);
        if n > 0 {
            text.push_str(&format!("\n# pickle {} at offset {pos}\n", n + 1));
        }
        for i in &d.instructions {
            text.push_str(&i.pickletools_line());
            text.push('\n');
            json.push(serde_json::json!({
                "pickle": n,
                "offset": i.offset,
                "opcode": i.name,
                "arg": i.arg,
                "note": i.note,
            }));
        }
        if let Some((off, why)) = &d.error {
            text.push_str(&format!("error at offset {off}: {why}\n"));
            json.push(serde_json::json!({ "pickle": n, "offset": off, "error": why }));
            status = Status::Findings;
            break;
        }
        text.push_str(&format!(
            "highest protocol among opcodes = {}\n",
            d.max_proto
        ));
        n += 1;
        pos = usize::try_from(d.end).context("offset overflows")?;
        if args.first {
            break;
        }
    }
    let out = match global.format {
        OutputFormat::Json => serde_json::to_string_pretty(&json)? + "\n",
        _ => text,
    };
    output::write_output(global, out.as_bytes())?;
    Ok(status)
}
