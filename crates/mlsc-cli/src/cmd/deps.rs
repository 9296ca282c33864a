//! `mlsc deps [PATH...]`: audit Python dependencies against an offline OSV database.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use mlsc_deps::{AuditOptions, Database, Ignore, Platform, Project, ReadOptions, Target};
use serde::Deserialize;

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
    #[arg(long, value_name = "ID[:REASON[:UNTIL]]", value_parser = parse_ignore_vuln)]
    pub(crate) ignore_vuln: Vec<Ignore>,
}

/// `ID[:REASON[:UNTIL]]`. Advisory ids hold no `:`; a reason may, so UNTIL is the part after the last `:` when it
/// is a date, and the reason is everything between.
fn parse_ignore_vuln(s: &str) -> Result<Ignore, String> {
    let (id, rest) = s.split_once(':').unwrap_or((s, ""));
    let id = id.trim();
    if id.is_empty() || id.contains(char::is_whitespace) {
        return Err(format!(
            "`{s}`: expected ID[:REASON[:UNTIL]], such as GHSA-j8r2-6x86-q33q:no proxies:2027-01-31"
        ));
    }
    let (reason, until) = match rest.rsplit_once(':') {
        Some((r, u)) => match u.trim().parse::<jiff::civil::Date>() {
            Ok(d) => (r, Some(d)),
            Err(_) if looks_like_date(u) => {
                return Err(format!("`{s}`: `{u}` is not a date such as 2027-01-31"));
            }
            Err(_) => (rest, None),
        },
        None => match rest.trim().parse::<jiff::civil::Date>() {
            // `ID:2027-01-31`: an expiry with no reason.
            Ok(d) if looks_like_date(rest) => ("", Some(d)),
            _ => (rest, None),
        },
    };
    let reason = if reason.trim().is_empty() {
        "ignored on the command line"
    } else {
        reason.trim()
    };
    Ok(Ignore::new(id, reason, until))
}

fn looks_like_date(s: &str) -> bool {
    let s = s.trim();
    s.len() >= 8 && s.bytes().all(|b| b.is_ascii_digit() || b == b'-') && s.contains('-')
}

/// `[deps]` of `mlsc.toml`, read here on its own so that `mlsc deps` needs no other section.
#[derive(Debug, Default, Deserialize)]
struct ConfigFile {
    #[serde(default)]
    deps: DepsSection,
}

#[derive(Debug, Default, Deserialize)]
struct DepsSection {
    #[serde(default)]
    ignore: Vec<IgnoreEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreEntry {
    id: String,
    reason: String,
    #[serde(default)]
    expires: Option<toml::Value>,
}

fn load_ignores(global: &GlobalArgs) -> anyhow::Result<Vec<Ignore>> {
    let path = match &global.config {
        Some(p) => p.clone(),
        None if Path::new("mlsc.toml").is_file() => PathBuf::from("mlsc.toml"),
        None => return Ok(Vec::new()),
    };
    let text = fs_err::read_to_string(&path)
        .with_context(|| format!("cannot read the configuration `{}`", path.display()))?;
    let cfg: ConfigFile = toml::from_str(&text)
        .with_context(|| format!("invalid configuration `{}`", path.display()))?;
    let mut out = Vec::new();
    for e in cfg.deps.ignore {
        let expires = match e.expires {
            None => None,
            Some(v) => {
                let s = match v {
                    toml::Value::String(s) => s,
                    toml::Value::Datetime(d) => d.to_string(),
                    other => bail!(
                        "`{}`: `expires` of `{}` must be a date, not `{other}`",
                        path.display(),
                        e.id
                    ),
                };
                Some(s.parse::<jiff::civil::Date>().with_context(|| {
                    format!(
                        "`{}`: `expires` of `{}` is not a date such as 2027-01-31",
                        path.display(),
                        e.id
                    )
                })?)
            }
        };
        out.push(Ignore::new(&e.id, &e.reason, expires));
    }
    Ok(out)
}

/// Loads `--db`, else the default database; the error says how to get one.
pub(crate) fn load_database(db: Option<&Path>) -> anyhow::Result<Database> {
    let path = match db {
        Some(p) => p.to_path_buf(),
        None => mlsc_deps::default_database_path().context(
            "no advisory database: neither --db nor MLSC_DB is set and there is no cache folder \
             (XDG_CACHE_HOME or HOME); run `mlsc db update` or pass `--db PATH`",
        )?,
    };
    if !path.exists() {
        bail!(
            "no advisory database at `{}`: run `mlsc db update` to download OSV's PyPI advisories, or pass \
             `--db PATH` (a folder of OSV JSON, an OSV all.zip, or JSON lines); nothing was checked",
            path.display()
        );
    }
    Database::load(&path).map_err(anyhow::Error::from)
}

fn target(args: &DepsArgs) -> anyhow::Result<Target> {
    let platform: Platform = args
        .platform
        .parse()
        .map_err(|e: String| anyhow::anyhow!(e))?;
    // A venv knows its interpreter: `deps` of a Python 3.11 venv must not evaluate markers for 3.12.
    let from_venv = match args.paths.as_slice() {
        [one] if args.python_version.is_none() => mlsc_deps::environment_python_version(one),
        _ => None,
    };
    let version = args
        .python_version
        .clone()
        .or(from_venv)
        .unwrap_or_else(|| "3.12".to_owned());
    Ok(Target::new(&version, platform)?)
}

fn read_all(paths: &[PathBuf], target: &Target) -> anyhow::Result<Project> {
    let options = ReadOptions::default();
    let mut all: Option<Project> = None;
    for p in paths {
        let project = mlsc_deps::read_project_with(p, target, &options)?;
        match &mut all {
            None => all = Some(project),
            Some(a) => {
                a.inputs.extend(project.inputs);
                a.dependencies.extend(project.dependencies);
                a.constraints.extend(project.constraints);
                a.diagnostics.extend(project.diagnostics);
                a.index.index_urls.extend(project.index.index_urls);
                a.index
                    .extra_index_urls
                    .extend(project.index.extra_index_urls);
                a.index.find_links.extend(project.index.find_links);
                a.index.trusted_hosts.extend(project.index.trusted_hosts);
                a.index.no_index |= project.index.no_index;
                a.index.require_hashes |= project.index.require_hashes;
            }
        }
    }
    all.context("no path given")
}

pub(crate) fn run(global: &GlobalArgs, args: &DepsArgs) -> anyhow::Result<Status> {
    let target = target(args)?;
    let ignores = load_ignores(global)?;
    // The database first: without it nothing can be said, and that must never look like "no vulnerabilities".
    let db = load_database(args.db.as_deref())?;
    let mut options = AuditOptions::default();
    options.ignores = ignores;
    options.ignores.extend(args.ignore_vuln.iter().cloned());
    options.hygiene = !args.no_hygiene;
    // Advisories published after the database was built are missing from it: say so past 30 days.
    options.max_database_age_days = Some(30);
    let project = read_all(&args.paths, &target)?;
    let read_any = project.inputs.iter().any(|i| i.superseded_by.is_none());
    if !read_any && !project.has_fatal() {
        let shown: Vec<String> = args
            .paths
            .iter()
            .map(|p| format!("`{}`", p.display()))
            .collect();
        bail!(
            "nothing to audit in {}: no requirements file, pyproject.toml, lock file or installed environment found",
            shown.join(", ")
        );
    }
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
                let info = db.info();
                text.push_str(&format!(
                    "database: {} advisories ({} PyPI packages, newest modified {}) from `{}`; target: {}\n",
                    info.records,
                    info.packages,
                    info.newest_modified.as_deref().unwrap_or("unknown"),
                    info.source,
                    audit.deps.target
                ));
                let deps = audit.deps.dependencies.iter().filter(|d| d.applies).count();
                text.push_str(&format!(
                    "dependencies: {deps} apply to the target ({} do not); advisories: {} affect exact versions, {} possibly affect ranges, {} ignored\n",
                    audit.deps.dependencies.len() - deps,
                    audit
                        .deps
                        .vulnerabilities
                        .iter()
                        .filter(|v| v.vulnerability.kind == mlsc_deps::Exposure::Affected)
                        .count(),
                    audit
                        .deps
                        .vulnerabilities
                        .iter()
                        .filter(|v| v.vulnerability.kind == mlsc_deps::Exposure::PossiblyAffected)
                        .count(),
                    audit.deps.ignored.len(),
                ));
            }
            let style = output::Style::new(output::use_color(global));
            text.push_str(&output::human(&audit.report, style, global.quiet));
            output::write_output(global, text.as_bytes())?;
        }
        OutputFormat::Markdown => {
            output::write_output(global, markdown(&audit).as_bytes())?;
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

/// Markdown like pip-audit's `--format markdown`: a table of vulnerabilities (`Name | Version | ID | Fix
/// Versions`, with mlsc's severity, exposure and source beside), then the other findings, then what could not
/// be checked.
fn markdown(audit: &mlsc_deps::Audit) -> String {
    fn cell(s: &str) -> String {
        s.replace('|', "\\|").replace('\n', " ")
    }
    let mut out = String::new();
    let vulns = &audit.deps.vulnerabilities;
    if vulns.is_empty() {
        out.push_str("No known vulnerabilities found\n");
    } else {
        out.push_str("Name | Version | ID | Fix Versions | Severity | Exposure | Source\n");
        out.push_str("--- | --- | --- | --- | --- | --- | ---\n");
        for v in vulns {
            let m = &v.vulnerability;
            let severity = v.severity;
            let exposure = if m.malicious {
                "malicious"
            } else if m.kind == mlsc_deps::Exposure::Affected {
                "affected"
            } else if v.every_allowed_version_affected == Some(true) {
                "every allowed version"
            } else {
                "some allowed versions"
            };
            let version = v.version.clone().unwrap_or_else(|| {
                if v.specifier.is_empty() {
                    "(any)".to_owned()
                } else {
                    v.specifier.clone()
                }
            });
            out.push_str(&format!(
                "{} | {} | {} | {} | {severity} | {exposure} | {}\n",
                cell(&v.package),
                cell(&version),
                cell(&m.id),
                cell(v.fix_version.as_deref().unwrap_or("")),
                cell(&v.source),
            ));
        }
    }
    let others: Vec<&mlsc_core::Finding> = audit
        .report
        .findings
        .iter()
        .filter(|f| {
            !matches!(
                f.code.as_str(),
                "MLSC-DEP-001" | "MLSC-DEP-002" | "MLSC-DEP-011" | "MLSC-DEP-013"
            )
        })
        .collect();
    if !others.is_empty() {
        out.push_str("\nCode | Severity | Location | Message\n--- | --- | --- | ---\n");
        for f in others {
            out.push_str(&format!(
                "{} | {} | {} | {}\n",
                f.code,
                f.severity,
                cell(&f.location.to_string()),
                cell(&f.message)
            ));
        }
    }
    for e in &audit.report.errors {
        out.push_str(&format!(
            "\n**Not checked**: {}{}\n",
            e.path
                .as_deref()
                .map(|p| format!("`{p}`: "))
                .unwrap_or_default(),
            e.message
        ));
    }
    out
}

/// 2 when an input failed, 1 when anything is vulnerable or possibly affected, else by `--fail-on`.
fn status(audit: &mlsc_deps::Audit, global: &GlobalArgs) -> Status {
    let s = Status::of_report(&audit.report, global.fail_on);
    if s == Status::Error {
        Status::Error
    } else if audit.vulnerable() {
        Status::Findings
    } else {
        s
    }
}

#[allow(clippy::print_stderr)] // the CLI reports what it changed on stderr, keeping stdout for the report
fn report_fixes(global: &GlobalArgs, plan: &mlsc_deps::FixPlan) {
    if global.quiet {
        return;
    }
    for (path, (_, _, edits)) in &plan.files {
        for e in edits {
            eprintln!(
                "fixed: `{path}`:{}: `{}` {} -> {}",
                e.line, e.name, e.from, e.to
            );
        }
    }
    for (e, why) in &plan.skipped {
        eprintln!("not fixed: `{}`:{}: `{}`: {why}", e.path, e.line, e.name);
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
    options.scan = false;
    options.source_date_epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok());
    let mut out = mlsc_sbom::project_bom(path, &options)?;
    mlsc_sbom::add_vulnerabilities(&mut out.bom, db);
    // The serial number and timestamp cover the vulnerabilities too.
    mlsc_sbom::finish(&mut out.bom, &options);
    Ok(mlsc_sbom::bom_to_json(&out.bom))
}
