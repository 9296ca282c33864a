//! `mlsc deps [PATH...]`: audit Python dependencies against an offline OSV database.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use mlsc_deps::{AuditOptions, Database, Ignore, Platform, Project, ReadOptions, Target};

use crate::args::{GlobalArgs, OutputFormat};
use crate::exit::Status;
use crate::output;

/// Arguments of `mlsc deps`.
#[derive(Debug, Args)]
pub(crate) struct DepsArgs {
    /// Requirements files, lock files, `pyproject.toml`, installed environments (a venv or site-packages), or
    /// project folders to search for all of these.
    #[arg(value_name = "PATH", default_value = ".")]
    pub(crate) paths: Vec<PathBuf>,
    /// The OSV database: a folder of OSV JSON files, OSV's `all.zip` export, or JSON lines. By default the file
    /// `mlsc db update` writes: `$MLSC_DB`, else `$XDG_CACHE_HOME/mlsc/osv/PyPI-all.zip`, else
    /// `~/.cache/mlsc/osv/PyPI-all.zip`.
    #[arg(long, value_name = "PATH")]
    pub(crate) db: Option<PathBuf>,
    /// The Python version markers are evaluated for (not the host's). By default the interpreter of the
    /// virtual environment given as the one PATH (its `pyvenv.cfg`, or that of `PATH/.venv`), else 3.12.
    #[arg(long, value_name = "X.Y")]
    pub(crate) python_version: Option<String>,
    /// The platform markers are evaluated for (not the host's): linux, linux-aarch64, macos, macos-x86_64 or
    /// windows.
    #[arg(long, value_name = "PLATFORM", default_value = "linux")]
    pub(crate) platform: String,
    /// Rewrite vulnerable `==` pins in requirements files to the smallest version that fixes every advisory
    /// (atomically, keeping comments and layout).
    #[arg(long)]
    pub(crate) fix: bool,
    /// With `--fix`: print the diff on standard output and change nothing.
    #[arg(long, requires = "fix")]
    pub(crate) dry_run: bool,
    /// Do not report hygiene findings (unpinned, missing hashes, extra index URLs, direct references).
    #[arg(long)]
    pub(crate) no_hygiene: bool,
    /// Ignore an advisory (an id or alias: PYSEC-, GHSA-, CVE-), beside `[deps] ignore` of mlsc.toml:
    /// `ID`, `ID:REASON` or `ID:REASON:UNTIL` with UNTIL a date such as 2027-01-31 (after it the advisory is
    /// reported again). Repeatable.
    #[arg(long, value_name = "ID[:REASON[:UNTIL]]", value_parser = Ignore::parse_spec)]
    pub(crate) ignore_vuln: Vec<Ignore>,
}

/// Loads `--db`, else the default database; the error says how to get one.
pub(crate) fn load_database(db: Option<&Path>) -> anyhow::Result<Database> {
    Ok(mlsc_deps::open_database(db)?)
}

fn target(args: &DepsArgs) -> anyhow::Result<Target> {
    let platform: Platform = args
        .platform
        .parse()
        .map_err(|e: String| anyhow::anyhow!(e))?;
    Ok(Target::for_paths(
        &args.paths,
        args.python_version.as_deref(),
        platform,
    )?)
}

fn read_all(paths: &[PathBuf], target: &Target) -> anyhow::Result<Project> {
    mlsc_deps::read_projects(paths, target, &ReadOptions::default())?.context("no path given")
}

pub(crate) fn run(global: &GlobalArgs, args: &DepsArgs) -> anyhow::Result<Status> {
    let target = target(args)?;
    let ignores = mlsc_deps::load_ignores_or_default(global.config.as_deref())?;
    // The database first: without it nothing can be said, and that must never look like "no vulnerabilities".
    let db = load_database(args.db.as_deref())?;
    let mut options = AuditOptions::default();
    options.ignores = ignores;
    options.ignores.extend(args.ignore_vuln.iter().cloned());
    options.hygiene = !args.no_hygiene;
    // Advisories published after the database was built are missing from it: say so past 30 days.
    options.max_database_age_days = Some(30);
    let project = read_all(&args.paths, &target)?;
    project.require_inputs(&args.paths)?;
    let mut audit = mlsc_deps::audit(&project, &db, &options);

    if args.fix && !audit.fixes.is_empty() {
        let plan = mlsc_deps::plan_fixes(&audit.fixes);
        if args.dry_run {
            output::write_output(global, plan.diff().as_bytes())?;
            return Ok(status(&audit, global));
        }
        plan.apply()?;
        report_fixes(global, &plan);
        // Audit again so that the report shows what is left after the fix.
        let project = read_all(&args.paths, &target)?;
        audit = mlsc_deps::audit(&project, &db, &options);
    } else if args.fix && args.dry_run {
        output::write_output(global, b"")?;
        return Ok(status(&audit, global));
    }

    match global.format {
        OutputFormat::Json => {
            let mut s = serde_json::to_string_pretty(&audit.json())?;
            s.push('\n');
            output::write_output(global, s.as_bytes())?;
        }
        OutputFormat::Cyclonedx => {
            let bom = cyclonedx(args, &target, &db)?;
            output::write_output(global, bom.as_bytes())?;
        }
        OutputFormat::Human => {
            let mut text = String::new();
            if !global.quiet {
                text.push_str(&audit.human_header(db.info()));
            }
            let style = output::Style::new(output::use_color(global));
            text.push_str(&output::human(&audit.report, style, global.quiet));
            output::write_output(global, text.as_bytes())?;
        }
        OutputFormat::Markdown => {
            output::write_output(global, audit.to_markdown().as_bytes())?;
        }
        OutputFormat::Sarif => output::emit_report(global, &audit.report)?,
        other => bail!(
            "`--format {}` is not available for `mlsc deps`: use {FORMATS}",
            output::format_name(other)
        ),
    }
    Ok(status(&audit, global))
}

/// The formats `mlsc deps` writes, for its refusal message.
const FORMATS: &str = "human, json, sarif, markdown or cyclonedx";

/// 2 when an input failed, 1 when anything is vulnerable or possibly affected, else by `--fail-on`.
fn status(audit: &mlsc_deps::Audit, global: &GlobalArgs) -> Status {
    if !audit.report.errors.is_empty() {
        Status::Error
    } else if audit.fails(global.fail_on) {
        Status::Findings
    } else {
        Status::Clean
    }
}

#[allow(clippy::print_stderr)] // the CLI reports what it changed on stderr, keeping stdout for the report
fn report_fixes(global: &GlobalArgs, plan: &mlsc_deps::FixPlan) {
    if !global.quiet {
        plan.summary().iter().for_each(|line| eprintln!("{line}"));
    }
}

/// CycloneDX 1.6 with purls and a `vulnerabilities` section, built with mlsc-sbom's BOM model (the one `mlsc sbom`
/// writes) from the same readers and the same matcher as the report.
fn cyclonedx(args: &DepsArgs, target: &Target, db: &Database) -> anyhow::Result<String> {
    let [path] = args.paths.as_slice() else {
        bail!("`--format cyclonedx` describes one project: give one PATH");
    };
    let mut options = mlsc_sbom::BomOptions::default();
    options.target = target.clone();
    options.source_date_epoch = crate::cmd::sbom::source_date_epoch()?;
    Ok(mlsc_sbom::bom_to_json(&mlsc_sbom::dependency_bom(
        path, db, &options,
    )?))
}
