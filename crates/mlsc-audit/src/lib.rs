#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The audit finds what is there (`discover`), runs every check that applies on its own thread (`checks`), merges
// their findings into one mlsc-core `Report`, and applies the policy of `mlsc.toml` (`policy`) to reach one
// verdict: pass, warn or fail, with its reasons. Renderers (`render`, `markdown`, `html`) only present an
// `AuditReport`; the JSON output is its serde shape, documented by `schemas/audit.schema.json`. Analysis stays in
// the libraries: this crate only decides what to run and what the results mean for the policy.

mod checks;
mod config;
mod discover;
mod error;
mod findings;
mod html;
mod markdown;
mod policy;
mod registry;
mod render;
pub mod rules;

use std::path::{Path, PathBuf};
use std::time::Instant;

use mlsc_core::{ReportError, Rule, SeverityCounts, Tool};
use serde::Serialize;

pub use crate::config::{
    CardConfig, Config, DEFAULT_FILE, DepsConfig, IgnoreEntry, LicenseDecision, LicensePolicy,
    PolicyConfig, ScanConfig,
};
pub use crate::discover::{Inventory, ModelFile};
pub use crate::error::{ConfigError, Error};
pub use crate::registry::{RegisteredRule, explain, registry, rules_markdown};
pub use crate::rules::RULES;
// The mlsc-core types this crate's API takes and returns, so that a caller needs no direct dependency on it.
pub use mlsc_core::{Finding, Location, Report, Severity};

/// The version of the audit envelope's JSON shape (`schemas/audit.schema.json`).
pub const AUDIT_SCHEMA_VERSION: &str = "1.0";

/// The overall outcome of an audit, and of each check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Nothing against the policy, everything applicable analysed.
    Pass,
    /// Something needs a human look or was not analysed completely.
    Warn,
    /// The policy is violated.
    Fail,
}

impl Outcome {
    /// The lowercase name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Warn => "warn",
            Outcome::Fail => "fail",
        }
    }
}

/// The checks an audit can run, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckKind {
    /// Model files: code that runs on load, malformed formats (`mlsc scan`).
    Scan,
    /// Python dependencies: known vulnerabilities and hygiene (`mlsc deps`).
    Deps,
    /// Model and dataset cards: completeness and validity (`mlsc card`).
    Card,
    /// Signatures, DVC records, Croissant hashes (`mlsc verify`).
    Verify,
    /// A CycloneDX ML-BOM written to `--sbom FILE` (`mlsc sbom`).
    Sbom,
    /// The audit's own policy decisions (licences, required signature, minimum card score).
    Policy,
}

impl CheckKind {
    /// The lowercase name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Scan => "scan",
            CheckKind::Deps => "deps",
            CheckKind::Card => "card",
            CheckKind::Verify => "verify",
            CheckKind::Sbom => "sbom",
            CheckKind::Policy => "policy",
        }
    }

    /// The heading of its section in the renderings.
    pub fn title(self) -> &'static str {
        match self {
            CheckKind::Scan => "Model files",
            CheckKind::Deps => "Dependencies",
            CheckKind::Card => "Cards",
            CheckKind::Verify => "Integrity and provenance",
            CheckKind::Sbom => "ML-BOM",
            CheckKind::Policy => "Policy",
        }
    }
}

/// One reason for the overall verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// `warn` or `fail`.
    pub outcome: Outcome,
    /// The check it comes from.
    pub check: CheckKind,
    /// How serious it is; compared with `--fail-on` for the exit status of a `warn`.
    pub severity: Severity,
    /// The finding code behind it, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// One sentence.
    pub message: String,
}

/// A fact a check established, shown in its section: `licence: cc-by-nc-4.0`, `advisory database: …`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// What the fact is about.
    pub label: String,
    /// What was established.
    pub value: String,
}

impl Fact {
    /// A fact `label: value`.
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Fact {
            label: label.into(),
            value: value.into(),
        }
    }
}

/// The section of one check that ran.
#[derive(Debug, Clone, Serialize)]
pub struct CheckSection {
    /// Which check.
    pub check: CheckKind,
    /// Its outcome under the policy.
    pub outcome: Outcome,
    /// One line saying what it found.
    pub summary: String,
    /// The inputs it read, relative to the audited path where possible.
    pub inputs: Vec<String>,
    /// What it established, in order.
    pub facts: Vec<Fact>,
    /// Number of its findings at each severity.
    pub by_severity: SeverityCounts,
    /// Its findings (they also appear, merged with every other check's, in `report.findings`).
    pub findings: Vec<Finding>,
    /// Inputs it could not analyse.
    pub errors: Vec<ReportError>,
    /// Wall-clock time in milliseconds (0 when `SOURCE_DATE_EPOCH` asks for reproducible output).
    pub duration_ms: u64,
}

/// A check that did not run, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// The check.
    pub check: CheckKind,
    /// Why it did not run.
    pub reason: String,
    /// True when the check applied to the target but could not run: a gap in the audit, which warns.
    pub gap: bool,
}

/// The effective policy, echoed in the report so a reader knows what the verdict was measured against.
#[derive(Debug, Clone, Serialize)]
pub struct PolicySummary {
    /// The configuration file, or `null` for the built-in defaults.
    pub config: Option<String>,
    /// `policy.commercial`.
    pub commercial: bool,
    /// `policy.require_signature`.
    pub require_signature: bool,
    /// The threshold the verdict was measured against: `--fail-on` when given, else `policy.fail_on`.
    pub fail_on: Severity,
    /// Where `fail_on` comes from: `--fail-on`, `mlsc.toml` or `default`.
    pub fail_on_source: &'static str,
    /// `policy.warn_on`.
    pub warn_on: Severity,
    /// `card.min_score`.
    pub min_card_score: Option<f64>,
    /// `[policy.models]`.
    pub model_licenses: LicenseLists,
    /// `[policy.datasets]`.
    pub dataset_licenses: LicenseLists,
    /// `[policy.dependencies]`.
    pub dependency_licenses: LicenseLists,
}

/// The allow and deny lists of one licence policy.
#[derive(Debug, Clone, Serialize)]
pub struct LicenseLists {
    /// `allow_licenses`.
    pub allow: Vec<String>,
    /// `deny_licenses`.
    pub deny: Vec<String>,
}

impl PolicySummary {
    fn of(config: &Config, options: &AuditOptions) -> Self {
        let lists = |p: &LicensePolicy| LicenseLists {
            allow: p.allow_licenses.clone(),
            deny: p.deny_licenses.clone(),
        };
        PolicySummary {
            config: config.source.as_ref().map(|p| p.display().to_string()),
            commercial: config.policy.commercial,
            require_signature: config.policy.require_signature,
            fail_on: options.fail_on.unwrap_or(config.policy.fail_on),
            fail_on_source: if options.fail_on.is_some() {
                "--fail-on"
            } else if config.source.is_some() {
                "mlsc.toml"
            } else {
                "default"
            },
            warn_on: config.policy.warn_on,
            min_card_score: config.card.min_score,
            model_licenses: lists(&config.policy.models),
            dataset_licenses: lists(&config.policy.datasets),
            dependency_licenses: lists(&config.policy.dependencies),
        }
    }
}

/// The audit report: its JSON is the `--format json` output.
#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    /// [`AUDIT_SCHEMA_VERSION`].
    pub schema_version: String,
    /// Always `mlsc-audit`, so that a reader can tell the envelope from a plain report.
    pub kind: &'static str,
    /// The tool that made the report.
    pub tool: Tool,
    /// The audited path as given.
    pub target: String,
    /// The overall verdict.
    pub verdict: Outcome,
    /// Why, worst first.
    pub reasons: Vec<Reason>,
    /// One section per check that ran, in a fixed order.
    pub checks: Vec<CheckSection>,
    /// The checks that did not run, and why.
    pub skipped: Vec<Skipped>,
    /// What was found under the target.
    pub inventory: Inventory,
    /// The policy applied.
    pub policy: PolicySummary,
    /// Every check's artefacts, findings and errors merged (the shape of every mlsc command's JSON).
    pub report: Report,
}

/// What an audit is asked to do.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct AuditOptions {
    /// The model directory, model file or ML project to audit.
    pub target: PathBuf,
    /// The advisory database for the dependency check: a folder of OSV JSON files, an OSV `all.zip` or JSON
    /// lines. By default, [`mlsc_deps::default_database_path`]; without one, dependencies are listed but not
    /// checked, and the report says so.
    pub db: Option<PathBuf>,
    /// The public key (PEM) to verify the model's signature with. By default, none: a signature found is reported
    /// as not verified.
    pub public_key: Option<PathBuf>,
    /// The signature bundle over the model. By default, a `*.sig` or `*.sigstore.json` file found under the target.
    pub signature: Option<PathBuf>,
    /// Where to write a CycloneDX ML-BOM of the target. By default, none is written.
    pub sbom: Option<PathBuf>,
    /// Timings are zero, for reproducible output. By default, false.
    pub deterministic: bool,
    /// The severity at which a finding fails the audit (`--fail-on`). By default, `None`: the policy's
    /// `fail_on` of `mlsc.toml` (itself `high` by default).
    pub fail_on: Option<Severity>,
    /// An advisory database whose newest record is older than this many days gets the stale-database warning
    /// (`MLSC-DEP-014`), as in `mlsc deps`. By default, `None` (off): the warning depends on the day.
    pub max_database_age_days: Option<u32>,
    /// The day the database's age and ignore expiries are measured at. By default, `None`: today (UTC).
    pub today: Option<jiff::civil::Date>,
    /// Told of every file the audit scans and hashes (model files scanned and hashed, signed files, DVC and
    /// Croissant data re-hashed): its size, the bytes got through, its end. A progress bar in bytes listens
    /// here; each stage calls `begin` with its own total. By default, a sink that ignores everything.
    pub sink: mlsc_core::SharedSink,
}

impl AuditOptions {
    /// The default options for auditing `target`.
    pub fn new(target: impl AsRef<Path>) -> Self {
        AuditOptions {
            target: target.as_ref().to_owned(),
            ..AuditOptions::default()
        }
    }
}

/// Every finding code any part of an audit can emit, for SARIF.
pub fn all_rules() -> Vec<Rule> {
    let mut rules = mlsc_pickle::rules();
    rules.extend(checks::library_rules());
    rules.extend_from_slice(RULES);
    rules
}

/// Runs the audit of `options.target` under the policy of `config`.
///
/// # Errors
///
/// [`Error`] when the target cannot be read or walked. Anything a check could not analyse is in the report instead.
pub fn run(options: &AuditOptions, config: &Config) -> Result<AuditReport, Error> {
    let started = Instant::now();
    let inventory = discover::discover(&options.target)?;
    let outcomes = checks::run_all(options, config, &inventory);
    let mut report = Report::new("audit");
    let mut sections = Vec::new();
    let mut skipped = Vec::new();
    for outcome in outcomes {
        match outcome {
            checks::CheckResult::Ran(ran) => {
                report
                    .artifacts
                    .extend(ran.report.artifacts.iter().cloned());
                report.findings.extend(ran.report.findings.iter().cloned());
                report.errors.extend(ran.report.errors.iter().cloned());
                report.statistics.files += ran.report.statistics.files;
                report.statistics.bytes_read += ran.report.statistics.bytes_read;
                sections.push(*ran);
            }
            checks::CheckResult::Skipped(s) => skipped.push(s),
        }
    }
    let decision = policy::decide(config, &inventory, &mut sections, &skipped, options);
    report.findings.extend(decision.findings.iter().cloned());
    let mut checks: Vec<CheckSection> = sections
        .into_iter()
        .map(|ran| ran.into_section(&decision, options.deterministic))
        .collect();
    if !decision.findings.is_empty() {
        checks.push(policy::section(&decision));
    }
    checks.sort_by_key(|c| c.check);
    skipped.sort_by_key(|s| s.check);
    report.statistics.duration_ms = if options.deterministic {
        0
    } else {
        u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
    };
    report.finish();
    Ok(AuditReport {
        schema_version: AUDIT_SCHEMA_VERSION.to_owned(),
        kind: "mlsc-audit",
        tool: Tool::default(),
        target: options.target.display().to_string(),
        verdict: decision.verdict,
        reasons: decision.reasons,
        checks,
        skipped,
        inventory,
        policy: PolicySummary::of(config, options),
        report,
    })
}

impl AuditReport {
    /// True when the verdict is `fail`: what `mlsc audit` exits 1 for. The verdict was measured against one
    /// threshold ([`AuditOptions::fail_on`], else the policy's `fail_on`), so `warn` never fails a gate. An input
    /// that could not be read at all is [`AuditReport::has_errors`] instead, which a gate treats as an error.
    pub fn failed(&self) -> bool {
        self.verdict == Outcome::Fail
    }

    /// True when the verdict is `fail` or a reason reaches `fail_on`: for a gate stricter than the threshold the
    /// audit ran with. With that same threshold it is [`AuditReport::failed`].
    pub fn fails(&self, fail_on: Severity) -> bool {
        policy::fails(self, fail_on)
    }

    /// True when an input could not be read at all.
    pub fn has_errors(&self) -> bool {
        !self.report.errors.is_empty()
    }

    /// The human rendering: verdict and reasons, a section per check, what was skipped, the policy. `color` adds
    /// ANSI colours; `quiet` leaves out passing checks' details.
    pub fn to_human(&self, color: bool, quiet: bool) -> String {
        render::human(self, color, quiet)
    }

    /// The Markdown rendering (GitHub-flavoured, every text from the audited files escaped).
    pub fn to_markdown(&self) -> String {
        markdown::markdown(self)
    }

    /// The HTML rendering: one self-contained page, no scripts, no remote resources.
    pub fn to_html(&self) -> String {
        html::html(self)
    }

    /// The JSON rendering (the whole audit report, pretty-printed, with a final newline).
    ///
    /// # Errors
    /// Serialisation errors, which a report of plain data does not have in practice.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self).map(|s| s + "\n")
    }

    /// The SARIF 2.1.0 rendering of the findings, pretty-printed, with a final newline.
    ///
    /// # Errors
    /// As [`AuditReport::to_json`].
    pub fn to_sarif(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(&mlsc_core::sarif::to_sarif(&self.report)).map(|s| s + "\n")
    }
}
