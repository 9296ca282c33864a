//! `mlsc sbom PATH`, `mlsc sbom validate FILE...`, `mlsc sbom affected --package Q BOM...`

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use mlsc_sbom::{BomOptions, PackageQuery, SpecVersion};

use crate::args::{GlobalArgs, OutputFormat};
use crate::exit::Status;
use crate::output::{self, Style};

/// Arguments of `mlsc sbom`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub(crate) struct SbomArgs {
    #[command(subcommand)]
    pub(crate) command: Option<SbomCommand>,
    #[command(flatten)]
    pub(crate) generate: GenerateArgs,
}

/// `mlsc sbom PATH`: write a CycloneDX BOM.
#[derive(Debug, Args)]
pub(crate) struct GenerateArgs {
    /// A model directory (plain or a Hugging Face cache snapshot), a Python project folder, a requirements or lock
    /// file, or an installed environment; or a Hub model `hf://ORG/NAME[@REVISION]`, described from the Hub's
    /// listing (sizes, LFS SHA-256) and its small files (card, configs), without downloading weights. A path
    /// literally named `validate` or `affected` is written `./validate`.
    #[arg(value_name = "PATH", required = true)]
    pub(crate) path: Option<PathBuf>,
    /// CycloneDX version to write.
    #[arg(long, value_name = "VERSION", default_value = "1.6", value_parser = parse_spec)]
    pub(crate) spec: SpecVersion,
    /// Reproducible output: a serial number derived from the content and the timestamp from SOURCE_DATE_EPOCH
    /// (omitted when unset). Setting SOURCE_DATE_EPOCH implies it.
    #[arg(long)]
    pub(crate) deterministic: bool,
    /// Do not scan model files (no `mlsc:scan:*` properties).
    #[arg(long)]
    pub(crate) no_scan: bool,
    /// For an `hf://` location: also scan its files, by range reads (as `mlsc scan hf://...`), and record the
    /// verdicts. Local paths are scanned unless `--no-scan`.
    #[arg(long, conflicts_with = "no_scan")]
    pub(crate) scan: bool,
    /// OSV advisory database (directory of JSON, OSV all.zip, or JSON lines): adds a `vulnerabilities` section.
    #[arg(long, value_name = "PATH")]
    pub(crate) db: Option<PathBuf>,
}

fn parse_spec(s: &str) -> Result<SpecVersion, String> {
    s.parse()
}

/// The subcommands of `mlsc sbom`.
#[derive(Debug, Subcommand)]
pub(crate) enum SbomCommand {
    /// Check CycloneDX 1.4-1.7 JSON files: the schema's structural rules (built in: no schema files needed) and
    /// the rules a schema cannot say (bom-refs unique, references resolve, model cards only on models, SPDX ids).
    Validate(ValidateArgs),
    /// Incident response: list the BOMs that contain an affected component.
    Affected(AffectedArgs),
}

/// Arguments of `mlsc sbom validate`.
#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// CycloneDX JSON files.
    #[arg(required = true, value_name = "FILE")]
    pub(crate) files: Vec<PathBuf>,
}

/// Arguments of `mlsc sbom affected`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("query").required(true).args(["package", "advisory"]))]
pub(crate) struct AffectedArgs {
    /// `NAME[SPECIFIER]` (`pillow<10.0.1`, `torch>=2,<2.2.1`) or a purl prefix (`pkg:huggingface/org/model`).
    /// Repeat it to look for several packages at once. A component the BOM knows only by a range is affected
    /// when every version the range allows is.
    #[arg(long, value_name = "QUERY")]
    pub(crate) package: Vec<String>,
    /// An advisory id (`GHSA-…`, `PYSEC-…`, `CVE-…`, an alias works too): matched against the vulnerabilities
    /// the BOMs carry (`mlsc sbom --db`), and against `--db` when it is given.
    #[arg(long, value_name = "ID")]
    pub(crate) advisory: Option<String>,
    /// OSV advisory database for `--advisory` (optional: the BOMs' own vulnerabilities are used too).
    #[arg(long, value_name = "PATH")]
    pub(crate) db: Option<PathBuf>,
    /// BOM files (CycloneDX JSON).
    #[arg(required = true, value_name = "BOM")]
    pub(crate) boms: Vec<PathBuf>,
}

pub(crate) fn run(global: &GlobalArgs, args: &SbomArgs) -> anyhow::Result<Status> {
    match &args.command {
        Some(SbomCommand::Validate(v)) => validate(global, v),
        Some(SbomCommand::Affected(a)) => affected(global, a),
        None => generate(global, &args.generate),
    }
}

pub(crate) fn source_date_epoch() -> anyhow::Result<Option<i64>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) if !s.trim().is_empty() => s
            .trim()
            .parse::<i64>()
            .map(Some)
            .with_context(|| format!("SOURCE_DATE_EPOCH `{s}` is not a number of seconds")),
        _ => Ok(None),
    }
}

#[allow(clippy::print_stderr)] // the CLI prints the BOM's findings as diagnostics; the BOM goes to stdout
fn generate(global: &GlobalArgs, args: &GenerateArgs) -> anyhow::Result<Status> {
    let path = args.path.as_deref().context("a PATH is required")?;
    let remote = path.to_str().filter(|p| mlsc_remote::is_remote(p));
    if remote.is_none() {
        output::require_exists(path)?;
    }
    match global.format {
        OutputFormat::Human | OutputFormat::Cyclonedx | OutputFormat::Json => {}
        other => bail!(
            "`--format {}` is not available for `mlsc sbom`: it writes CycloneDX JSON",
            output::format_name(other)
        ),
    }
    let mut options = BomOptions::default();
    options.spec = args.spec;
    options.deterministic = args.deterministic;
    options.source_date_epoch = source_date_epoch()?;
    options.scan = !args.no_scan;
    let progress = crate::progress::Progress::new(global);
    options.sink = progress.sink();
    let mut out = match remote {
        Some(location) => {
            options.scan = args.scan;
            let remote = mlsc_remote::Remote::new(mlsc_remote::RemoteOptions::from_env());
            mlsc_remote::hub_model_bom(&remote, location, &options)?
        }
        None => mlsc_sbom::bom_for_path(path, &options)
            .with_context(|| format!("cannot make a BOM of `{}`", path.display()))?,
    };
    drop(progress);
    if let Some(db) = &args.db {
        let database = mlsc_sbom::Database::load(db)
            .with_context(|| format!("cannot load the advisory database `{}`", db.display()))?;
        mlsc_sbom::add_vulnerabilities(&mut out.bom, &database);
        mlsc_sbom::finish(&mut out.bom, &options);
    }
    let summary = out.bom.summary(path);
    if global.format == OutputFormat::Human && global.format_given {
        // Asked for in words: what the BOM holds, not the BOM itself (which is the default, for `> bom.json`).
        output::write_output(global, out.bom.to_human(path).as_bytes())?;
    } else {
        output::write_output(global, mlsc_sbom::bom_to_json(&out.bom).as_bytes())?;
        if let (Some(o), false) = (&global.output, global.quiet) {
            eprintln!("wrote `{}`: {summary}", o.display());
        }
    }
    for f in &out.findings {
        if !global.quiet || f.severity >= global.fail_on {
            eprintln!("{} {} {}  {}", f.severity, f.code, f.location, f.message);
        }
    }
    let worst = out.findings.iter().map(|f| f.severity).max();
    Ok(match worst {
        Some(s) if s >= global.fail_on => Status::Findings,
        _ => Status::Clean,
    })
}

fn validate(global: &GlobalArgs, args: &ValidateArgs) -> anyhow::Result<Status> {
    let checked = mlsc_sbom::validate_files(&args.files);
    if global.format == OutputFormat::Human {
        let style = Style::new(output::use_color(global));
        output::write_output(global, checked.to_human(style, global.quiet).as_bytes())?;
    } else {
        output::emit_report(global, &checked.report)?;
    }
    Ok(Status::of_report(&checked.report, global.fail_on))
}

fn affected(global: &GlobalArgs, args: &AffectedArgs) -> anyhow::Result<Status> {
    let packages = args
        .package
        .iter()
        .map(|p| PackageQuery::parse(p))
        .collect::<Result<Vec<_>, _>>()?;
    let database = match (&args.advisory, &args.db) {
        (Some(id), Some(db_path)) => {
            let database = mlsc_sbom::Database::load(db_path).with_context(|| {
                format!("cannot load the advisory database `{}`", db_path.display())
            })?;
            if !mlsc_sbom::database_knows(&database, id) {
                bail!("advisory `{id}` is not in `{}`", db_path.display());
            }
            Some((database, id.as_str()))
        }
        _ => None,
    };
    let search = mlsc_sbom::AffectedSearch::run_many(
        &args.boms,
        &packages,
        args.advisory.as_deref(),
        database.as_ref().map(|(db, _)| db),
    );
    let text = match global.format {
        OutputFormat::Json => format!("{}\n", serde_json::to_string_pretty(&search)?),
        OutputFormat::Human => search.to_human(global.quiet),
        other => bail!(
            "`--format {}` is not available for `mlsc sbom affected`: use human or json",
            output::format_name(other)
        ),
    };
    output::write_output(global, text.as_bytes())?;
    Ok(if !search.errors.is_empty() {
        Status::Error
    } else if search.affected.is_empty() {
        Status::Clean
    } else {
        Status::Findings
    })
}
