//! `mlsc sbom PATH`, `mlsc sbom validate FILE...`, `mlsc sbom affected --package Q BOM...`

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use mlsc_core::{Artifact, Format, Report, ReportError};
use mlsc_sbom::{AffectedComponent, BomOptions, MatchKind, PackageQuery, SpecVersion};

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
    #[arg(long, value_name = "QUERY")]
    pub(crate) package: Option<String>,
    /// An advisory id (`GHSA-…`, `PYSEC-…`, `CVE-…`, an alias works too); needs `--db`.
    #[arg(long, value_name = "ID", requires = "db")]
    pub(crate) advisory: Option<String>,
    /// OSV advisory database for `--advisory`.
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

/// Largest file of a Hub repository read whole for its BOM: the Hub keeps files above 10 MB in LFS (listed with
/// their SHA-256), so what git stores itself is below this and is hashed from its bytes.
const MAX_SMALL_FILE: u64 = 10 << 20;
/// Most bytes of small files read for one BOM; the rest are listed without a hash (a finding says so).
const MAX_SMALL_TOTAL: u64 = 64 << 20;

/// The BOM of a Hub model from its listing: LFS files by their listed SHA-256, small files (card, configs, code)
/// read whole and hashed, and with `options.scan` the verdicts of a range-read scan through the same sources.
fn remote_bom(location: &str, options: &BomOptions) -> anyhow::Result<mlsc_sbom::BomOutput> {
    let repo_id = match mlsc_remote::parse_uri(location)? {
        mlsc_remote::RemoteUri::Hub(h) if h.repo_type == mlsc_remote::RepoType::Model => h.repo_id,
        _ => bail!(
            "`{location}`: a BOM is made of a Hub model repository (`hf://ORG/NAME[@REVISION]`) or a local path"
        ),
    };
    let remote_opts = mlsc_remote::RemoteOptions::from_env();
    let hub_url = remote_opts.hf_endpoint.clone();
    let remote = mlsc_remote::Remote::new(remote_opts);
    let resolved = remote
        .resolve(location)
        .with_context(|| format!("cannot list `{location}`"))?;
    let mut model = mlsc_sbom::ListedModel::new(repo_id);
    model.revision.clone_from(&resolved.revision);
    model.hub_url = hub_url;
    let mut budget = MAX_SMALL_TOTAL;
    for f in &resolved.files {
        let path = f.path.clone().unwrap_or_default();
        let mut lf = mlsc_sbom::ListedModelFile::new(path, &f.uri, f.size);
        lf.lfs_sha256.clone_from(&f.sha256);
        lf.git_blob = f
            .content_key
            .as_deref()
            .and_then(|k| k.strip_prefix("git-blob:"))
            .map(str::to_owned);
        if f.sha256.is_none() {
            if f.size > MAX_SMALL_FILE.min(budget) {
                lf.unread = Some(format!(
                    "{} bytes, over what is read of small files ({MAX_SMALL_FILE} per file, {MAX_SMALL_TOTAL} in all)",
                    f.size
                ));
            } else {
                budget -= f.size;
                match f.read_all(MAX_SMALL_FILE) {
                    Ok(bytes) => lf.content = Some(bytes),
                    Err(e) => lf.unread = Some(e.to_string()),
                }
            }
        }
        model.files.push(lf);
    }
    if options.scan {
        let mut bulk = mlsc_remote::BulkOptions::default();
        bulk.scan.limits = options.limits;
        let records = mlsc_remote::scan_resolved(&resolved, location, &bulk);
        for r in records {
            if let Some(lf) = model.files.iter_mut().find(|lf| lf.uri == r.uri) {
                lf.verdict = Some(r.verdict);
                lf.findings = r.findings;
            }
        }
    }
    Ok(mlsc_sbom::listed_model_bom(&model, options))
}

fn source_date_epoch() -> anyhow::Result<Option<i64>> {
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
    let mut out = match remote {
        Some(location) => {
            options.scan = args.scan;
            remote_bom(location, &options)?
        }
        None => mlsc_sbom::bom_for_path(path, &options)
            .with_context(|| format!("cannot make a BOM of `{}`", path.display()))?,
    };
    if let Some(db) = &args.db {
        let database = mlsc_sbom::Database::load(db)
            .with_context(|| format!("cannot load the advisory database `{}`", db.display()))?;
        mlsc_sbom::add_vulnerabilities(&mut out.bom, &database);
        mlsc_sbom::finish(&mut out.bom, &options);
    }
    let summary = bom_summary(&out.bom, path);
    if global.format == OutputFormat::Human && global.format_given {
        // Asked for in words: what the BOM holds, not the BOM itself (which is the default, for `> bom.json`).
        let mut text = format!("{summary}\n");
        for c in &out.bom.components {
            let _ = writeln!(
                text,
                "  {:<24} {}{}",
                component_kind(c),
                c.name,
                c.version
                    .as_deref()
                    .map(|v| format!(" {v}"))
                    .unwrap_or_default()
            );
        }
        output::write_output(global, text.as_bytes())?;
    } else {
        output::write_output(global, mlsc_sbom::bom_to_json(&out.bom).as_bytes())?;
        if let (Some(o), false) = (&global.output, global.quiet) {
            eprintln!("wrote `{}`: {summary}", o.display());
        }
    }
    let style = Style::new(false);
    let mut worst = None;
    for f in &out.findings {
        if !global.quiet || f.severity >= global.fail_on {
            let mut line = String::new();
            let _ = write!(
                line,
                "{} {} {}  {}",
                f.severity, f.code, f.location, f.message
            );
            eprintln!("{}", style.dim(&line));
        }
        worst = worst.max(Some(f.severity));
    }
    Ok(match worst {
        Some(s) if s >= global.fail_on => Status::Findings,
        _ => Status::Clean,
    })
}

/// The CycloneDX type of a component, as the spec spells it.
fn component_kind(c: &mlsc_sbom::Component) -> String {
    serde_json::to_value(c.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "component".to_owned())
}

/// One line saying what a BOM holds: `CycloneDX 1.6 BOM of `p1`: 4 components (3 library, 1 machine-learning-model)`.
fn bom_summary(bom: &mlsc_sbom::Bom, path: &Path) -> String {
    let mut kinds: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for c in &bom.components {
        *kinds.entry(component_kind(c)).or_default() += 1;
    }
    let mut s = format!(
        "CycloneDX {} BOM of `{}`: {} component(s)",
        bom.spec_version,
        path.display(),
        bom.components.len()
    );
    if !kinds.is_empty() {
        let parts: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
        let _ = write!(s, " ({})", parts.join(", "));
    }
    if !bom.vulnerabilities.is_empty() {
        let _ = write!(s, ", {} vulnerability record(s)", bom.vulnerabilities.len());
    }
    s
}

/// Components in a CycloneDX document, nested ones included.
fn count_components(doc: &serde_json::Value) -> usize {
    doc.get("components")
        .and_then(serde_json::Value::as_array)
        .map_or(0, |cs| cs.iter().map(|c| 1 + count_components(c)).sum())
}

fn validate(global: &GlobalArgs, args: &ValidateArgs) -> anyhow::Result<Status> {
    let mut report = Report::new("sbom validate");
    // What each file was found to be, for the human output: "valid CycloneDX 1.6: 12 components".
    let mut verdicts: Vec<(String, String)> = Vec::new();
    for file in &args.files {
        let display = file.display().to_string();
        match fs_err::read(file) {
            Ok(bytes) => {
                let v = mlsc_sbom::validate_bom_json(&bytes, &display);
                let mut artifact = Artifact::new(display.clone(), bytes.len() as u64, Format::Json);
                let spec = v.spec_version.as_deref().map_or_else(
                    || "CycloneDX (no specVersion)".to_owned(),
                    |s| format!("CycloneDX {s}"),
                );
                let components = serde_json::from_slice::<serde_json::Value>(&bytes)
                    .map(|d| count_components(&d))
                    .unwrap_or(0);
                let problems = v
                    .findings
                    .iter()
                    .filter(|f| f.severity >= mlsc_core::Severity::Medium)
                    .count();
                let words = if v.is_valid() {
                    format!("valid {spec}: {components} component(s)")
                } else {
                    format!("not valid {spec}: {problems} rule(s) broken")
                };
                verdicts.push((display.clone(), words));
                if !v.is_valid() {
                    artifact.verdict = mlsc_core::Verdict::new(
                        mlsc_core::Completeness::Complete,
                        mlsc_core::Assessment::Suspicious,
                    );
                }
                report.artifacts.push(artifact);
                report.extend_findings(v.findings);
            }
            Err(e) => report
                .errors
                .push(ReportError::new(Some(display), e.to_string())),
        }
    }
    report.finish();
    if global.format == OutputFormat::Human {
        let style = Style::new(output::use_color(global));
        let mut text = String::new();
        for (path, words) in &verdicts {
            let findings: Vec<_> = report
                .findings
                .iter()
                .filter(|f| &f.location.path == path)
                .collect();
            if global.quiet && findings.is_empty() {
                continue;
            }
            let _ = writeln!(text, "{}  {words}", style.bold(&format!("`{path}`")));
            for f in findings {
                output::write_finding(&mut text, f, style);
            }
        }
        for e in &report.errors {
            let _ = writeln!(
                text,
                "error: `{}`: {}",
                e.path.as_deref().unwrap_or("-"),
                e.message
            );
        }
        if !global.quiet {
            let valid = verdicts
                .iter()
                .filter(|(_, w)| w.starts_with("valid"))
                .count();
            let _ = writeln!(
                text,
                "{} {valid} of {} file(s) valid; {} error(s)",
                style.bold("summary:"),
                args.files.len(),
                report.errors.len()
            );
        }
        output::write_output(global, text.as_bytes())?;
    } else {
        output::emit_report(global, &report, mlsc_sbom::bom_rules())?;
    }
    Ok(Status::of_report(&report, global.fail_on))
}

fn read_bom(path: &Path) -> anyhow::Result<mlsc_sbom::Bom> {
    let bytes = fs_err::read(path)?;
    serde_json::from_slice(&bytes)
        .with_context(|| format!("`{}` is not CycloneDX JSON", path.display()))
}

fn affected(global: &GlobalArgs, args: &AffectedArgs) -> anyhow::Result<Status> {
    let mut queries: Vec<String> = Vec::new();
    let package = args
        .package
        .as_deref()
        .map(PackageQuery::parse)
        .transpose()?;
    if let Some(q) = &package {
        queries.push(q.display.clone());
    }
    let database = match (&args.advisory, &args.db) {
        (Some(id), Some(db_path)) => {
            let database = mlsc_sbom::Database::load(db_path).with_context(|| {
                format!("cannot load the advisory database `{}`", db_path.display())
            })?;
            if !mlsc_sbom::database_knows(&database, id) {
                bail!("advisory `{id}` is not in `{}`", db_path.display());
            }
            queries.push(id.clone());
            Some(database)
        }
        (Some(_), None) => bail!("`--advisory` needs `--db`"),
        _ => None,
    };
    let mut hits: Vec<AffectedComponent> = Vec::new();
    let mut errors = Vec::new();
    for bom_path in &args.boms {
        let shown = bom_path.display().to_string();
        match read_bom(bom_path) {
            Ok(bom) => {
                if let Some(q) = &package {
                    hits.extend(mlsc_sbom::affected_components(&bom, &shown, q));
                }
                if let (Some(db), Some(id)) = (&database, &args.advisory) {
                    hits.extend(mlsc_sbom::affected_by_advisory(&bom, &shown, db, id));
                }
            }
            Err(e) => errors.push(format!("{e:#}")),
        }
    }
    hits.sort_by(|a, b| (&a.bom, &a.name, &a.version).cmp(&(&b.bom, &b.name, &b.version)));
    hits.dedup();
    let text = match global.format {
        OutputFormat::Json => {
            let value = serde_json::json!({
                "queries": queries,
                "boms": args.boms.len(),
                "affected": hits,
                "errors": errors,
            });
            let mut s = serde_json::to_string_pretty(&value)?;
            s.push('\n');
            s
        }
        OutputFormat::Human => affected_table(&hits, args.boms.len(), &errors, global.quiet),
        other => bail!(
            "`--format {}` is not available for `mlsc sbom affected`: use human or json",
            output::format_name(other)
        ),
    };
    output::write_output(global, text.as_bytes())?;
    Ok(if !errors.is_empty() {
        Status::Error
    } else if hits.is_empty() {
        Status::Clean
    } else {
        Status::Findings
    })
}

fn affected_table(
    hits: &[AffectedComponent],
    boms: usize,
    errors: &[String],
    quiet: bool,
) -> String {
    let mut out = String::new();
    let rows: Vec<[String; 5]> = hits
        .iter()
        .map(|h| {
            [
                h.bom.clone(),
                h.name.clone(),
                h.version.clone().unwrap_or_else(|| "-".to_owned()),
                match h.status {
                    MatchKind::Affected => "affected".to_owned(),
                    _ => "possibly affected".to_owned(),
                },
                h.reason.clone(),
            ]
        })
        .collect();
    if !rows.is_empty() {
        let header = ["BOM", "COMPONENT", "VERSION", "STATUS", "MATCHED"].map(str::to_owned);
        let mut widths = header.clone().map(|h| h.len());
        for r in &rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        for r in std::iter::once(&header).chain(rows.iter()) {
            let mut line = String::new();
            for (i, (c, w)) in r.iter().zip(widths).enumerate() {
                if i + 1 == r.len() {
                    line.push_str(c);
                } else {
                    let _ = write!(line, "{c:<w$}  ");
                }
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    for e in errors {
        let _ = writeln!(out, "error: {e}");
    }
    if !quiet {
        let with: std::collections::BTreeSet<&str> = hits.iter().map(|h| h.bom.as_str()).collect();
        let _ = writeln!(
            out,
            "summary: {} of {boms} BOM(s) contain an affected component ({} component(s))",
            with.len(),
            hits.len()
        );
    }
    out
}
