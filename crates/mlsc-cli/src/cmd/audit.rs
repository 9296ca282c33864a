//! `mlsc audit PATH`: every check that applies, one report, one verdict.

use std::path::PathBuf;

use clap::Args;

use mlsc_audit::AuditOptions;

use crate::args::{GlobalArgs, OutputFormat};
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
    let config = crate::config::load(global)?;
    let mut options = AuditOptions::new(&args.path);
    options.db.clone_from(&args.db);
    options.public_key.clone_from(&args.public_key);
    options.signature.clone_from(&args.signature);
    options.sbom.clone_from(&args.sbom);
    // Reproducible output, as for BOMs: timings are the only thing that differs between two runs. (The day the
    // database's age and ignore expiries are measured at stays today: SOURCE_DATE_EPOCH dates a build, and an
    // ignore that expired must not come back because a build is reproducible.)
    options.deterministic = std::env::var_os("SOURCE_DATE_EPOCH").is_some();
    // As `mlsc deps`: a database a month old misses advisories.
    options.max_database_age_days = Some(30);
    // One threshold: --fail-on when given, else the policy's.
    options.fail_on = global.fail_on_given.then_some(global.fail_on);
    let progress = crate::progress::Progress::new(global);
    options.sink = progress.sink();
    let report = mlsc_audit::run(&options, &config)?;
    drop(progress);
    let text = match global.format {
        OutputFormat::Json => report.to_json()?,
        OutputFormat::Sarif => report.to_sarif()?,
        OutputFormat::Markdown => report.to_markdown(),
        OutputFormat::Html => report.to_html(),
        OutputFormat::Human | OutputFormat::Cyclonedx | OutputFormat::Jsonl => {
            report.to_human(output::use_color(global), global.quiet)
        }
    };
    output::write_output(global, text.as_bytes())?;
    Ok(if report.has_errors() {
        Status::Error
    } else if report.failed() {
        Status::Findings
    } else {
        Status::Clean
    })
}
