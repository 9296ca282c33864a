//! `mlsc audit`: one review of a model directory or ML project.
//!
//! The audit finds what is there ([`discover`]), runs every check that applies on its own thread ([`checks`]),
//! merges their findings into one mlsc-core [`Report`], and applies the policy of `mlsc.toml` ([`policy`]) to
//! reach one verdict: pass, warn or fail, with its reasons. Renderers ([`render`], [`markdown`], [`html`]) only
//! present an [`AuditReport`]; the JSON output is its serde shape, documented by `schemas/audit.schema.json`.
//! Analysis stays in the libraries: this module only decides what to run and what the results mean for the
//! policy.

pub(crate) mod checks;
pub(crate) mod discover;
pub(crate) mod html;
pub(crate) mod markdown;
pub(crate) mod policy;
pub(crate) mod render;

use std::path::PathBuf;
use std::time::Instant;

use mlsc_core::{Finding, Report, ReportError, Rule, SeverityCounts, Tool};
use serde::Serialize;

use crate::config::Config;

pub(crate) use self::discover::Inventory;

/// The version of the audit envelope's JSON shape (`schemas/audit.schema.json`).
pub(crate) const AUDIT_SCHEMA_VERSION: &str = "1.0";

/// The overall outcome of an audit, and of each check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Outcome {
    /// Nothing against the policy, everything applicable analysed.
    Pass,
    /// Something needs a human look or was not analysed completely.
    Warn,
    /// The policy is violated.
    Fail,
}

impl Outcome {
    pub(crate) fn as_str(self) -> &'static str {
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
pub(crate) enum CheckKind {
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
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            CheckKind::Scan => "scan",
            CheckKind::Deps => "deps",
            CheckKind::Card => "card",
            CheckKind::Verify => "verify",
            CheckKind::Sbom => "sbom",
            CheckKind::Policy => "policy",
        }
    }

    pub(crate) fn title(self) -> &'static str {
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
pub(crate) struct Reason {
    /// `warn` or `fail`.
    pub(crate) outcome: Outcome,
    /// The check it comes from.
    pub(crate) check: CheckKind,
    /// How serious it is; compared with `--fail-on` for the exit status of a `warn`.
    pub(crate) severity: mlsc_core::Severity,
    /// The finding code behind it, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) code: Option<String>,
    /// One sentence.
    pub(crate) message: String,
}

/// A fact a check established, shown in its section: `licence: cc-by-nc-4.0`, `advisory database: …`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Fact {
    pub(crate) label: String,
    pub(crate) value: String,
}

impl Fact {
    pub(crate) fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Fact {
            label: label.into(),
            value: value.into(),
        }
    }
}

/// The section of one check that ran.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CheckSection {
    /// Which check.
    pub(crate) check: CheckKind,
    /// Its outcome under the policy.
    pub(crate) outcome: Outcome,
    /// One line saying what it found.
    pub(crate) summary: String,
    /// The inputs it read, relative to the audited path where possible.
    pub(crate) inputs: Vec<String>,
    /// What it established, in order.
    pub(crate) facts: Vec<Fact>,
    /// Number of its findings at each severity.
    pub(crate) by_severity: SeverityCounts,
    /// Its findings (they also appear, merged with every other check's, in `report.findings`).
    pub(crate) findings: Vec<Finding>,
    /// Inputs it could not analyse.
    pub(crate) errors: Vec<ReportError>,
    /// Wall-clock time in milliseconds (0 when `SOURCE_DATE_EPOCH` asks for reproducible output).
    pub(crate) duration_ms: u64,
}

/// A check that did not run, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Skipped {
    pub(crate) check: CheckKind,
    pub(crate) reason: String,
    /// True when the check applied to the target but could not run: a gap in the audit, which warns.
    pub(crate) gap: bool,
}

/// The effective policy, echoed in the report so a reader knows what the verdict was measured against.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PolicySummary {
    /// The configuration file, or `null` for the built-in defaults.
    pub(crate) config: Option<String>,
    pub(crate) commercial: bool,
    pub(crate) require_signature: bool,
    pub(crate) fail_on: mlsc_core::Severity,
    pub(crate) warn_on: mlsc_core::Severity,
    pub(crate) min_card_score: Option<f64>,
    pub(crate) model_licenses: LicenseLists,
    pub(crate) dataset_licenses: LicenseLists,
    pub(crate) dependency_licenses: LicenseLists,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LicenseLists {
    pub(crate) allow: Vec<String>,
    pub(crate) deny: Vec<String>,
}

impl PolicySummary {
    fn of(config: &Config) -> Self {
        let lists = |p: &crate::config::LicensePolicy| LicenseLists {
            allow: p.allow_licenses.clone(),
            deny: p.deny_licenses.clone(),
        };
        PolicySummary {
            config: config.source.as_ref().map(|p| p.display().to_string()),
            commercial: config.policy.commercial,
            require_signature: config.policy.require_signature,
            fail_on: config.policy.fail_on,
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
pub(crate) struct AuditReport {
    /// [`AUDIT_SCHEMA_VERSION`].
    pub(crate) schema_version: String,
    /// Always `mlsc-audit`, so that a reader can tell the envelope from a plain report.
    pub(crate) kind: &'static str,
    pub(crate) tool: Tool,
    /// The audited path as given.
    pub(crate) target: String,
    /// The overall verdict.
    pub(crate) verdict: Outcome,
    /// Why, worst first.
    pub(crate) reasons: Vec<Reason>,
    /// One section per check that ran, in a fixed order.
    pub(crate) checks: Vec<CheckSection>,
    /// The checks that did not run, and why.
    pub(crate) skipped: Vec<Skipped>,
    /// What was found under the target.
    pub(crate) inventory: Inventory,
    /// The policy applied.
    pub(crate) policy: PolicySummary,
    /// Every check's artefacts, findings and errors merged (the shape of every mlsc command's JSON).
    pub(crate) report: Report,
}

/// What an audit was asked to do.
#[derive(Debug, Clone, Default)]
pub(crate) struct AuditOptions {
    pub(crate) target: PathBuf,
    pub(crate) db: Option<PathBuf>,
    pub(crate) public_key: Option<PathBuf>,
    pub(crate) signature: Option<PathBuf>,
    pub(crate) sbom: Option<PathBuf>,
    /// True when timings should be zero (reproducible output).
    pub(crate) deterministic: bool,
}

/// Every finding code any part of an audit can emit, for SARIF.
pub(crate) fn all_rules() -> Vec<Rule> {
    let mut rules = mlsc_pickle::rules();
    rules.extend(checks::library_rules());
    rules.extend_from_slice(policy::RULES);
    rules
}

/// Runs the audit.
pub(crate) fn run(options: &AuditOptions, config: &Config) -> anyhow::Result<AuditReport> {
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
        policy: PolicySummary::of(config),
        report,
    })
}
