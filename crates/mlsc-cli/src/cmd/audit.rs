//! `mlsc audit PATH`: every check that applies, one report, one verdict.

use std::path::PathBuf;

use clap::Args;

use crate::args::{GlobalArgs, OutputFormat};
use crate::audit::{self, AuditOptions};
use crate::config::Config;
use crate::exit::Status;
use crate::output;

/// Arguments of `mlsc audit`.
#[derive(Debug, Args)]
pub(crate) struct AuditArgs {
    /// The model directory, model file or ML project to audit.
    #[arg(value_name = "PATH")]
    pub(crate) path: PathBuf,
    /// Advisory database for the dependency check: a folder of OSV JSON files, an OSV `all.zip` or JSON lines.
    /// Without it, the database `mlsc db update` downloaded is used; without that, dependencies are listed but
    /// not checked, and the report says so.
    #[arg(long, value_name = "PATH")]
    pub(crate) db: Option<PathBuf>,
    /// Public key (PEM) to verify the model's signature with (the key method of OpenSSF Model Signing).
    #[arg(long, value_name = "PEM")]
    pub(crate) public_key: Option<PathBuf>,
    /// Signature bundle over the model (OpenSSF Model Signing). Without it, a `*.sig` or `*.sigstore.json` file
    /// found in PATH is used.
    #[arg(long, value_name = "FILE")]
    pub(crate) signature: Option<PathBuf>,
    /// Also write a CycloneDX ML-BOM of PATH to FILE.
    #[arg(long, value_name = "FILE")]
    pub(crate) sbom: Option<PathBuf>,
}

pub(crate) fn run(global: &GlobalArgs, args: &AuditArgs) -> anyhow::Result<Status> {
    if global.format == OutputFormat::Cyclonedx {
        anyhow::bail!(
            "`--format cyclonedx` is not available for `mlsc audit`: use --sbom FILE to write a BOM next to the \
             report, or `mlsc sbom`"
        );
    }
    if global.format == OutputFormat::Jsonl {
        anyhow::bail!(
            "`--format jsonl` is only for `mlsc scan`: use json, sarif, markdown or html"
        );
    }
    let config = Config::load(global)?;
    let options = AuditOptions {
        target: args.path.clone(),
        db: args.db.clone(),
        public_key: args.public_key.clone(),
        signature: args.signature.clone(),
        sbom: args.sbom.clone(),
        // Reproducible output, as for BOMs: timings are the only thing that differs between two runs.
        deterministic: std::env::var_os("SOURCE_DATE_EPOCH").is_some(),
    };
    let report = audit::run(&options, &config)?;
    let text = match global.format {
        OutputFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report)?;
            s.push('\n');
            s
        }
        OutputFormat::Sarif => {
            let mut s = serde_json::to_string_pretty(&mlsc_core::sarif::to_sarif(
                &report.report,
                &audit::all_rules(),
            ))?;
            s.push('\n');
            s
        }
        OutputFormat::Markdown => audit::markdown::markdown(&report),
        OutputFormat::Html => audit::html::html(&report),
        OutputFormat::Human | OutputFormat::Cyclonedx | OutputFormat::Jsonl => {
            audit::render::human(&report, output::use_color(global), global.quiet)
        }
    };
    output::write_output(global, text.as_bytes())?;
    Ok(audit::policy::exit_status(&report, global.fail_on))
}
