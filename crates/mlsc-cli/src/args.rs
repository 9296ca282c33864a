//! The command line, with clap derive. Each subcommand's own arguments live beside its code in `cmd/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use mlsc_core::Severity;

/// mlsc — machine-learning supply-chain security: is this model safe to load, what is in it, are its
/// dependencies vulnerable, is it documented and where did it come from. Offline; nothing scanned is executed.
#[derive(Debug, Parser)]
#[command(name = "mlsc", version, propagate_version = true, max_term_width = 110)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// Output format: the ones this command writes are listed under "Formats" below.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human, global = true, hide_possible_values = true)]
    pub(crate) format: OutputFormat,
    /// Exit 1 when a finding has this severity or more. By default `medium`; for `audit`, the `fail_on` of
    /// mlsc.toml's policy (itself `high` by default).
    #[arg(long, value_name = "SEVERITY", default_value = "medium", value_parser = parse_severity, global = true)]
    pub(crate) fail_on: Severity,
    /// Write the report to FILE (atomically: a temporary file, then a rename) instead of standard output. A new
    /// FILE gets the mode your umask gives, an existing one keeps its mode; its folder must exist.
    #[arg(long, short = 'o', value_name = "FILE", global = true)]
    pub(crate) output: Option<PathBuf>,
    /// Print only findings and errors: no summary, no progress.
    #[arg(long, short = 'q', global = true)]
    pub(crate) quiet: bool,
    /// Never draw a progress bar (bars are drawn on stderr, and only when it is a terminal).
    #[arg(long, global = true)]
    pub(crate) no_progress: bool,
    /// When to use colour. `auto` uses it on a terminal unless `NO_COLOR` is set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub(crate) color: ColorChoice,
    /// Configuration file (by default `mlsc.toml` in the current directory, if present).
    #[arg(long, value_name = "FILE", global = true)]
    pub(crate) config: Option<PathBuf>,
    /// True when `--format` was given on the command line (`sbom` writes its BOM unless human words are asked for).
    #[arg(skip)]
    pub(crate) format_given: bool,
    /// True when `--fail-on` was given on the command line (`audit` otherwise takes mlsc.toml's threshold).
    #[arg(skip)]
    pub(crate) fail_on_given: bool,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
        .map_err(|e: mlsc_core::ParseSeverityError| e.to_string())
}

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// Readable text, one line per finding, a summary last.
    Human,
    /// The report as JSON (schema: `schemas/report.schema.json`).
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// Markdown (reports that support it).
    Markdown,
    /// A self-contained HTML page (reports that support it).
    Html,
    /// CycloneDX JSON (commands that produce a BOM).
    Cyclonedx,
    /// JSON lines, one object per artefact as soon as it is judged (`mlsc scan`).
    Jsonl,
}

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Audit a model directory or ML project: every check that applies (model files, dependencies, cards,
    /// signatures and provenance records) and one verdict, pass, warn or fail, against the policy in mlsc.toml.
    Audit(crate::cmd::audit::AuditArgs),
    /// Scan model files and directories for code that runs on load (pickles in every container) and for
    /// malformed pickle-free formats.
    Scan(crate::cmd::scan::ScanArgs),
    /// Disassemble a pickle: every opcode with its offset, as `python -m pickletools` prints it.
    Disasm(crate::cmd::disasm::DisasmArgs),
    /// Audit model cards, dataset cards, Model Card Toolkit JSON and Croissant files: `mlsc card lint`,
    /// completeness `mlsc card score`, and `mlsc card init` to write a skeleton from a directory.
    Card(crate::cmd::card::CardArgs),
    /// Print the manifest of a model file or directory: every file (or shard) and its digest, in OpenSSF
    /// model_signing's order.
    Manifest(crate::cmd::provenance::ManifestArgs),
    /// Sign a model with a local ECDSA key into an OpenSSF Model Signing v1.0 signature (Sigstore bundle).
    Sign(crate::cmd::provenance::SignArgs),
    /// Verify a model against a signature or attestation, or re-hash what DVC records (`.dvc`, `dvc.lock`, a DVC
    /// project) or a Croissant file describes.
    Verify(crate::cmd::provenance::VerifyArgs),
    /// Generate a P-256 signing key pair in PEM.
    Keygen(crate::cmd::provenance::KeygenArgs),
    /// Sign an in-toto SLSA provenance attestation of a training run: data and code in, model out, the command.
    Attest(crate::cmd::provenance::AttestArgs),
    /// Write a CycloneDX 1.6/1.7 ML-BOM of a model directory or Python project (`mlsc sbom PATH`), validate
    /// BOMs (`mlsc sbom validate`), or find the BOMs that ship an affected component (`mlsc sbom affected`).
    Sbom(crate::cmd::sbom::SbomArgs),
    /// Audit Python dependencies (requirements files, pyproject.toml, lock files, installed environments)
    /// against an offline OSV database with exact PEP 440 matching; report hygiene problems; fix pins.
    Deps(crate::cmd::deps::DepsArgs),
    /// Manage the offline OSV advisory database: `mlsc db update` downloads it, `mlsc db info` describes it.
    Db(crate::cmd::db::DbArgs),
    /// Explain a finding code: its name, summary, default severity and tags (`mlsc rule MLSC-PKL-001`).
    Rule(crate::cmd::rule::RuleArgs),
}
