//! The checks of an audit: each calls one library and returns its findings as an mlsc-core [`Report`] plus the
//! facts the policy needs (licences, scores, whether a signature verified). Independent checks run on their own
//! threads.

use std::path::{Path, PathBuf};
use std::time::Instant;

use mlsc_core::{Report, ReportError, Rule, Severity};

use crate::config::Config;
use crate::discover::Inventory;
use crate::policy::Decision;
use crate::{AuditOptions, CheckKind, CheckSection, Fact, Outcome, Skipped};

/// What the policy needs to know from the checks, beyond their findings.
#[derive(Debug, Clone, Default)]
pub(crate) struct Signals {
    /// `(card path, licence id)` of each model card that states one; `(card path, None)` when it states none.
    pub(crate) model_licenses: Vec<(String, Option<String>)>,
    /// `(card path, licence id)` of each dataset card.
    pub(crate) dataset_licenses: Vec<(String, Option<String>)>,
    /// `(package, licence, where it is declared)` of dependencies whose licence is known.
    pub(crate) dependency_licenses: Vec<(String, String, mlsc_core::Location)>,
    /// `(card path, score 0–100)`.
    pub(crate) card_scores: Vec<(String, f64)>,
    /// `Some(true)` when a signature over the model verified, `Some(false)` when one failed, `None` when none was
    /// checked.
    pub(crate) signature_verified: Option<bool>,
    /// Conditions that make the result incomplete, each a reason graded by its severity: `(severity, message)`.
    pub(crate) incomplete: Vec<(Severity, String)>,
    /// Model files that could not be analysed completely: they fail whatever the threshold, as `mlsc scan` exits 1
    /// on an inconclusive file (what was not analysed is never clean).
    pub(crate) inconclusive: Vec<String>,
}

/// A check that ran.
#[derive(Debug, Clone)]
pub(crate) struct RanCheck {
    pub(crate) check: CheckKind,
    pub(crate) report: Report,
    pub(crate) summary: String,
    pub(crate) inputs: Vec<String>,
    pub(crate) facts: Vec<Fact>,
    pub(crate) duration_ms: u64,
    pub(crate) signals: Signals,
}

impl RanCheck {
    fn new(check: CheckKind, report: Report) -> Self {
        RanCheck {
            check,
            report,
            summary: String::new(),
            inputs: Vec::new(),
            facts: Vec::new(),
            duration_ms: 0,
            signals: Signals::default(),
        }
    }

    /// The section of the final report, with the outcome the policy gave this check.
    pub(crate) fn into_section(mut self, decision: &Decision, deterministic: bool) -> CheckSection {
        let outcome = decision
            .reasons
            .iter()
            .filter(|r| r.check == self.check)
            .map(|r| r.outcome)
            .max()
            .unwrap_or(Outcome::Pass);
        self.report.finish();
        CheckSection {
            check: self.check,
            outcome,
            summary: self.summary,
            inputs: self.inputs,
            facts: self.facts,
            by_severity: self.report.statistics.by_severity,
            findings: self.report.findings,
            errors: self.report.errors,
            duration_ms: if deterministic { 0 } else { self.duration_ms },
        }
    }
}

/// A check's result.
#[derive(Debug, Clone)]
pub(crate) enum CheckResult {
    Ran(Box<RanCheck>),
    Skipped(Skipped),
}

/// A check that does not apply.
fn skipped(check: CheckKind, reason: impl Into<String>) -> CheckResult {
    CheckResult::Skipped(Skipped {
        check,
        reason: reason.into(),
        gap: false,
    })
}

/// A check that applies but cannot run: a gap in the audit.
fn gap(check: CheckKind, reason: impl Into<String>) -> CheckResult {
    CheckResult::Skipped(Skipped {
        check,
        reason: reason.into(),
        gap: true,
    })
}

/// The finding codes of the libraries other than mlsc-pickle that an audit may report.
pub(crate) fn library_rules() -> Vec<Rule> {
    let mut rules = Vec::new();
    rules.extend_from_slice(mlsc_deps::rules());
    rules.extend_from_slice(mlsc_sbom::bom_rules());
    rules.extend_from_slice(mlsc_cards::rules());
    rules.extend_from_slice(mlsc_provenance::rules());
    rules
}

/// Runs every check that applies, in parallel, and returns their results in [`CheckKind`] order.
pub(crate) fn run_all(
    options: &AuditOptions,
    config: &Config,
    inventory: &Inventory,
) -> Vec<CheckResult> {
    type Job<'a> = Box<dyn FnOnce() -> CheckResult + Send + 'a>;
    // The advisory database is loaded once, before the threads start, for the deps check and the BOM.
    let needs_db = !(inventory.dependency_files.is_empty() && inventory.environments.is_empty())
        || options.sbom.is_some();
    let db = if needs_db {
        load_db(options)
    } else {
        Err(String::new())
    };
    let db = &db;
    let jobs: Vec<Job<'_>> = vec![
        Box::new(|| timed(|| scan(options, config, inventory))),
        Box::new(move || timed(|| deps(options, config, inventory, db))),
        Box::new(|| timed(|| card(options, config, inventory))),
        Box::new(|| timed(|| verify(options, config, inventory))),
        Box::new(move || timed(|| sbom(options, config, inventory, db))),
    ];
    // One thread per check: they read different files and the heavy ones (scan, verify) parallelise inside
    // their library, so a thread pool would add nothing but a dependency.
    let mut results: Vec<CheckResult> = std::thread::scope(|s| {
        let handles: Vec<_> = jobs.into_iter().map(|job| s.spawn(job)).collect();
        handles
            .into_iter()
            .map(|h| match h.join() {
                Ok(r) => r,
                Err(_) => gap(
                    CheckKind::Policy,
                    "a check panicked; this is a bug in mlsc, please report it",
                ),
            })
            .collect()
    });
    results.sort_by_key(|r| match r {
        CheckResult::Ran(r) => r.check,
        CheckResult::Skipped(s) => s.check,
    });
    results
}

fn timed(f: impl FnOnce() -> CheckResult) -> CheckResult {
    let start = Instant::now();
    let mut r = f();
    if let CheckResult::Ran(ran) = &mut r {
        ran.duration_ms = u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
    }
    r
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

// ---------------------------------------------------------------------------------------------------------------
// scan

/// The scanner's code for content that is no model format.
const NOT_A_MODEL_FORMAT: &str = mlsc_pickle::rules::NOT_A_MODEL_FORMAT.code;

fn scan(options: &AuditOptions, config: &Config, inv: &Inventory) -> CheckResult {
    if inv.model_files.is_empty() {
        return skipped(
            CheckKind::Scan,
            "no model or data files found (every file is text: cards, configs, code)",
        );
    }
    let mut scan_options = mlsc_pickle::ScanOptions::default();
    // Installed environments are the deps check's business; scanning all of site-packages would dwarf the model.
    scan_options.exclude = inv
        .environments
        .iter()
        .filter_map(|e| relative(&options.target, e))
        .map(|rel| format!("{rel}/**"))
        .collect();
    // `[scan] allow` extends the analyser's allowlist (a user's own classes); it never removes a deny rule.
    scan_options.policy =
        mlsc_pickle::Policy::default().with_allowed(config.scan.allow.iter().cloned());
    // Digests of every model file go into the report, so that the reviewer can tie the verdict to the bytes.
    scan_options.hash = true;
    scan_options.sink = options.sink.clone();
    let mut report = mlsc_pickle::scan_paths(std::slice::from_ref(&options.target), &scan_options);
    // The scanner lists every text file it sniffed as "not a model format" (info). In an audit, cards, configs and
    // requirements are other checks' inputs, so those lines are noise; binary files of unknown format stay.
    let text_files: Vec<String> = report
        .artifacts
        .iter()
        .filter(|a| a.format.is_text() || a.format == mlsc_core::Format::Empty)
        .map(|a| a.path.clone())
        .collect();
    report.findings.retain(|f| {
        !(f.code == NOT_A_MODEL_FORMAT
            && f.severity == Severity::Info
            && text_files.contains(&f.location.path))
    });
    let mut ran = RanCheck::new(CheckKind::Scan, report);
    let r = &ran.report;
    let count = |pred: fn(&mlsc_core::Verdict) -> bool| {
        r.artifacts.iter().filter(|a| pred(&a.verdict)).count()
    };
    let malicious = count(|v| v.assessment == mlsc_core::Assessment::Malicious);
    let suspicious = count(|v| v.assessment == mlsc_core::Assessment::Suspicious);
    let incomplete = count(|v| v.completeness != mlsc_core::Completeness::Complete);
    let clean = count(|v| v.is_clean());
    ran.summary = format!(
        "{} scanned: {clean} clean, {malicious} malicious, {suspicious} suspicious, {incomplete} not fully analysed",
        plural(r.artifacts.len(), "file", "files"),
    );
    ran.inputs = inv.model_files.iter().map(|m| m.path.clone()).collect();
    for a in &r.artifacts {
        if !a.verdict.is_clean() || inv.model_files.iter().any(|m| m.path == a.path) {
            ran.facts.push(Fact::new(
                &a.path,
                format!(
                    "{}, {} — {}{}",
                    a.format,
                    plural(
                        usize::try_from(a.size).unwrap_or(usize::MAX),
                        "byte",
                        "bytes"
                    ),
                    a.verdict,
                    a.sha256
                        .as_deref()
                        .map(|h| format!(" (sha256 {h})"))
                        .unwrap_or_default()
                ),
            ));
        }
    }
    if !config.scan.allow.is_empty() {
        ran.facts.push(Fact::new(
            "allowed by mlsc.toml",
            config.scan.allow.join(", "),
        ));
    }
    if !text_files.is_empty() {
        ran.facts.push(Fact::new(
            "text files",
            format!(
                "{} sniffed as text: no model format, read by the other checks",
                text_files.len()
            ),
        ));
    }
    if incomplete > 0 {
        ran.signals.inconclusive.push(format!(
            "{} could not be analysed completely, so {} not known to be safe",
            plural(incomplete, "model file", "model files"),
            if incomplete == 1 { "it is" } else { "they are" }
        ));
    }
    if !inv.environments.is_empty() {
        ran.facts.push(Fact::new(
            "not scanned",
            format!(
                "installed environments {} (checked as dependencies)",
                inv.environments.join(", ")
            ),
        ));
    }
    CheckResult::Ran(Box::new(ran))
}

fn relative(base: &Path, path: &str) -> Option<String> {
    Path::new(path)
        .strip_prefix(base)
        .ok()
        .map(|p| p.display().to_string())
}

// ---------------------------------------------------------------------------------------------------------------
// deps

/// The database of `--db`, else of the cache `mlsc db update` fills; the error says what is missing.
fn load_db(options: &AuditOptions) -> Result<mlsc_deps::Database, String> {
    match options.db.clone().or_else(mlsc_deps::default_database_path) {
        Some(p) if p.exists() => mlsc_deps::Database::load(&p).map_err(|e| {
            format!(
                "the advisory database `{}` could not be loaded: {e}",
                p.display()
            )
        }),
        Some(p) => Err(format!("no advisory database at `{}`", p.display())),
        None => Err("no advisory database (no --db, no MLSC_DB, no cache folder)".to_owned()),
    }
}

fn deps(
    options: &AuditOptions,
    config: &Config,
    inv: &Inventory,
    loaded: &Result<mlsc_deps::Database, String>,
) -> CheckResult {
    if inv.dependency_files.is_empty() && inv.environments.is_empty() {
        return skipped(
            CheckKind::Deps,
            "no requirements files, pyproject.toml, lock files or installed environments found",
        );
    }
    let target = mlsc_deps::Target::default();
    let project = match mlsc_deps::read_project_with(
        &options.target,
        &target,
        &mlsc_deps::ReadOptions::default(),
    ) {
        Ok(p) => p,
        Err(e) => {
            let mut ran = RanCheck::new(CheckKind::Deps, Report::new("deps"));
            ran.report.errors.push(ReportError::new(
                Some(options.target.display().to_string()),
                e.to_string(),
            ));
            ran.summary = "the dependency declarations could not be read".to_owned();
            return CheckResult::Ran(Box::new(ran));
        }
    };
    // Without a database the dependencies are still read and their hygiene checked, but the section, the
    // verdict and a finding say loudly that no advisory was looked up.
    let (db, db_problem) = match loaded {
        Ok(db) => (Some(db), None),
        Err(problem) => (None, Some(problem.clone())),
    };
    let empty;
    let db_ref = match db {
        Some(db) => db,
        None => {
            empty = mlsc_deps::Database::from_texts("none", "none", &[]);
            &empty
        }
    };
    let mut audit_options = mlsc_deps::AuditOptions::default();
    audit_options.max_database_age_days = options.max_database_age_days;
    audit_options.today = options.today;
    audit_options.ignores = config
        .deps
        .ignore
        .iter()
        .map(|i| mlsc_deps::Ignore::new(&i.id, &i.reason, i.expires))
        .collect();
    let audit = mlsc_deps::audit(&project, db_ref, &audit_options);
    let mut ran = RanCheck::new(CheckKind::Deps, audit.report.clone());
    ran.inputs = project
        .inputs
        .iter()
        .map(|i| match &i.superseded_by {
            Some(by) => format!("{} (superseded by {by})", i.path),
            None => i.path.clone(),
        })
        .collect();
    let applied: Vec<&mlsc_deps::Dependency> =
        project.dependencies.iter().filter(|d| d.applies).collect();
    ran.facts.push(Fact::new("target", project.target.clone()));
    match (&db, &db_problem) {
        (Some(db), _) => {
            let info = db.info();
            ran.facts.push(Fact::new(
                "advisory database",
                format!(
                    "{} advisories ({} PyPI packages), newest modified {}, from `{}`",
                    info.records,
                    info.packages,
                    info.newest_modified.as_deref().unwrap_or("unknown"),
                    info.source
                ),
            ));
        }
        (None, Some(problem)) => {
            let message = format!(
                "{problem}: {} NOT checked for known vulnerabilities; run `mlsc db update` to download OSV's PyPI \
                 advisories, or pass `--db PATH` (a folder of OSV JSON, an OSV all.zip, or JSON lines)",
                plural(applied.len(), "dependency was", "dependencies were")
            );
            ran.facts.push(Fact::new("advisory database", "MISSING"));
            let location = mlsc_core::Location::file(
                project
                    .inputs
                    .first()
                    .map_or_else(|| options.target.display().to_string(), |i| i.path.clone()),
            );
            ran.report.push_finding(
                crate::rules::ADVISORY_DATABASE_MISSING
                    .finding_at(Severity::Medium, message.clone())
                    .at(location),
            );
            ran.signals.incomplete.push((Severity::Medium, message));
        }
        (None, None) => {}
    }
    for v in &audit.deps.vulnerabilities {
        let m = &v.vulnerability;
        let mut ids = vec![m.id.clone()];
        ids.extend(m.aliases.iter().cloned());
        ran.facts.push(Fact::new(
            format!(
                "{} {}",
                v.package,
                v.version.as_deref().unwrap_or(&v.specifier)
            ),
            format!(
                "{}{}: {}{}",
                if m.kind == mlsc_deps::Exposure::PossiblyAffected {
                    "possibly affected by "
                } else {
                    ""
                },
                ids.join(" / "),
                m.summary,
                v.fix_version
                    .as_deref()
                    .map(|f| format!(" (fixed in {f})"))
                    .unwrap_or_default()
            ),
        ));
    }
    for i in &audit.deps.ignored {
        ran.facts.push(Fact::new(
            format!("ignored {}", i.id),
            format!("{} ({}): {}", i.package, i.source, i.reason),
        ));
    }
    for d in &applied {
        if let Some(licence) = &d.license {
            ran.signals.dependency_licenses.push((
                d.name.clone(),
                licence.clone(),
                d.source.location(),
            ));
        }
    }
    ran.summary = format!(
        "{} from {}; {}{}",
        plural(applied.len(), "dependency", "dependencies"),
        plural(
            project
                .inputs
                .iter()
                .filter(|i| i.superseded_by.is_none())
                .count(),
            "input",
            "inputs"
        ),
        if db.is_some() {
            plural(
                audit.deps.vulnerabilities.len(),
                "known vulnerability",
                "known vulnerabilities",
            )
        } else {
            "advisories NOT checked (no database)".to_owned()
        },
        if audit.deps.ignored.is_empty() {
            String::new()
        } else {
            format!(", {} ignored by mlsc.toml", audit.deps.ignored.len())
        }
    );
    CheckResult::Ran(Box::new(ran))
}

// ---------------------------------------------------------------------------------------------------------------
// card

fn card(_options: &AuditOptions, _config: &Config, inv: &Inventory) -> CheckResult {
    if inv.model_cards.is_empty() && inv.dataset_cards.is_empty() && inv.croissant.is_empty() {
        return skipped(
            CheckKind::Card,
            "no model card, dataset card (README.md) or Croissant metadata found",
        );
    }
    let mut ran = RanCheck::new(CheckKind::Card, Report::new("card"));
    let cards = inv
        .model_cards
        .iter()
        .map(|p| {
            let kind = if p.to_ascii_lowercase().ends_with(".json") {
                mlsc_cards::CardKind::ModelCardToolkit
            } else {
                mlsc_cards::CardKind::Model
            };
            (p, kind)
        })
        .chain(
            inv.dataset_cards
                .iter()
                .map(|p| (p, mlsc_cards::CardKind::Dataset)),
        )
        .chain(
            inv.croissant
                .iter()
                .map(|p| (p, mlsc_cards::CardKind::Croissant)),
        );
    let mut incomplete = 0usize;
    // Model Card Toolkit schemas, as `mlsc card` finds them (`$MLSC_MCT_SCHEMAS`); only toolkit cards need them.
    let mct_schemas = match std::env::var_os("MLSC_MCT_SCHEMAS").filter(|v| !v.is_empty()) {
        Some(dir)
            if inv
                .model_cards
                .iter()
                .any(|p| p.to_ascii_lowercase().ends_with(".json")) =>
        {
            match mlsc_cards::MctSchemas::load(Path::new(&dir)) {
                Ok(s) => Some(s),
                Err(e) => {
                    ran.signals.incomplete.push((
                        Severity::Medium,
                        format!("the Model Card Toolkit schemas of MLSC_MCT_SCHEMAS could not be loaded: {e}"),
                    ));
                    None
                }
            }
        }
        _ => None,
    };
    for (path, kind) in cards {
        ran.inputs.push(path.clone());
        ran.report.statistics.files += 1;
        let bytes = match fs_err::read(path) {
            Ok(b) => b,
            Err(e) => {
                ran.report
                    .errors
                    .push(ReportError::new(Some(path.clone()), e.to_string()));
                continue;
            }
        };
        ran.report.statistics.bytes_read += bytes.len() as u64;
        let mut options = mlsc_cards::LintOptions::default();
        options.kind = Some(kind);
        options.mct_schemas.clone_from(&mct_schemas);
        let lint = mlsc_cards::lint_bytes(path, &bytes, &options);
        let mut artifact = mlsc_core::Artifact::new(
            path.clone(),
            bytes.len() as u64,
            if kind == mlsc_cards::CardKind::Croissant {
                mlsc_core::Format::Json
            } else {
                mlsc_core::Format::Markdown
            },
        );
        artifact.sha256 = Some(mlsc_core::Sha256Digest::of(&bytes).to_hex());
        if lint.unreadable {
            artifact.verdict = mlsc_core::Verdict::new(
                mlsc_core::Completeness::Error,
                mlsc_core::Assessment::Clean,
            );
        } else if !lint.complete {
            artifact.verdict = artifact
                .verdict
                .at_most(mlsc_core::Completeness::Inconclusive);
        }
        if !lint.complete || lint.unreadable {
            incomplete += 1;
        }
        let worst = lint.findings.iter().map(|f| f.severity).max();
        if worst.is_some_and(|s| s >= Severity::Medium) {
            artifact.verdict = artifact.verdict.at_least(mlsc_core::Assessment::Suspicious);
        }
        let gaps = lint
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Low)
            .count();
        ran.facts.push(Fact::new(
            path.clone(),
            format!(
                "{} card: {}{}",
                kind.as_str(),
                if gaps == 0 {
                    "no gaps or defects".to_owned()
                } else {
                    plural(gaps, "gap or defect", "gaps or defects")
                },
                match &lint.hub_load {
                    Some(h) if !h.strict => "; huggingface_hub would refuse its metadata",
                    _ => "",
                }
            ),
        ));
        ran.report.artifacts.push(artifact);
        ran.report.findings.extend(lint.findings);
        // The completeness score of mlsc-cards' rubric (a missing field scores zero), for `[card] min_score`.
        let score = mlsc_cards::score_bytes(path, &bytes, &options);
        let dims: Vec<String> = score
            .dimensions
            .iter()
            .map(|d| format!("{} {}", d.name, d.score))
            .collect();
        ran.facts.push(Fact::new(
            format!("{path}: completeness"),
            format!("{}/100 ({})", score.score, dims.join(", ")),
        ));
        ran.signals
            .card_scores
            .push((path.clone(), f64::from(score.score)));
        // The licence, for the policy: the typed parse of the same bytes (the linter reports defects, the policy
        // needs the value).
        match kind {
            mlsc_cards::CardKind::Model => {
                let licence = mlsc_cards::ModelCard::parse_bytes(&bytes)
                    .ok()
                    .and_then(|c| c.license);
                ran.facts.push(Fact::new(
                    format!("{path}: licence"),
                    licence.clone().unwrap_or_else(|| "not stated".to_owned()),
                ));
                ran.signals.model_licenses.push((path.clone(), licence));
            }
            mlsc_cards::CardKind::Dataset => {
                let licences = mlsc_cards::DatasetCard::parse_bytes(&bytes)
                    .map(|c| c.license)
                    .unwrap_or_default();
                record_licences(
                    &mut ran.facts,
                    &mut ran.signals.dataset_licenses,
                    path,
                    licences,
                );
            }
            mlsc_cards::CardKind::ModelCardToolkit => {
                // Model Card Toolkit: mlsc-cards' typed parse (`model_details.licenses[]`).
                let licences = mlsc_cards::ToolkitCard::parse_bytes(&bytes)
                    .map(|c| c.licenses)
                    .unwrap_or_default();
                record_licences(
                    &mut ran.facts,
                    &mut ran.signals.model_licenses,
                    path,
                    licences,
                );
            }
            _ => {}
        }
    }
    ran.summary = format!(
        "{}, {} and {} linted; {}",
        plural(inv.model_cards.len(), "model card", "model cards"),
        plural(inv.dataset_cards.len(), "dataset card", "dataset cards"),
        plural(inv.croissant.len(), "Croissant file", "Croissant files"),
        plural(ran.report.findings.len(), "finding", "findings"),
    );
    if incomplete > 0 {
        ran.signals.incomplete.push((
            Severity::Medium,
            format!(
                "{} could not be analysed completely",
                plural(incomplete, "card", "cards")
            ),
        ));
    }
    CheckResult::Ran(Box::new(ran))
}

// ---------------------------------------------------------------------------------------------------------------
// verify

fn verify(options: &AuditOptions, _config: &Config, inv: &Inventory) -> CheckResult {
    // An explicit --signature is the one checked; otherwise every signature found under the target is.
    let signatures: Vec<PathBuf> = match &options.signature {
        Some(s) => vec![s.clone()],
        None => inv.signatures.iter().map(PathBuf::from).collect(),
    };
    if signatures.is_empty() && inv.dvc.is_empty() && inv.croissant.is_empty() {
        if options.public_key.is_some() {
            return gap(
                CheckKind::Verify,
                "--public-key was given but no signature was found: give --signature FILE",
            );
        }
        return skipped(
            CheckKind::Verify,
            "no signature (--signature FILE, or a *.sig / *.sigstore.json file), DVC record or Croissant \
             metadata found: integrity and provenance not established",
        );
    }
    let mut ran = RanCheck::new(CheckKind::Verify, Report::new("verify"));
    let mut parts = Vec::new();
    for sig in &signatures {
        verify_one_signature(options, sig, &mut ran, &mut parts);
    }
    verify_records(
        &mut ran,
        &inv.dvc,
        "DVC record matches every byte",
        "DVC record differs",
        |p| {
            let mut o = mlsc_provenance::DvcOptions::default();
            o.sink = options.sink.clone();
            mlsc_provenance::verify_dvc(p, &o)
        },
    );
    if !inv.dvc.is_empty() {
        parts.push(plural(inv.dvc.len(), "DVC record", "DVC records"));
    }
    verify_records(
        &mut ran,
        &inv.croissant,
        "Croissant file hashes match",
        "Croissant hashes",
        |p| {
            let mut o = mlsc_provenance::CroissantOptions::default();
            o.sink = options.sink.clone();
            mlsc_provenance::verify_croissant(p, &o)
        },
    );
    if !inv.croissant.is_empty() {
        parts.push(plural(
            inv.croissant.len(),
            "Croissant file",
            "Croissant files",
        ));
    }
    ran.summary = format!(
        "{}; {}",
        parts.join(", "),
        plural(ran.report.findings.len(), "finding", "findings")
    );
    CheckResult::Ran(Box::new(ran))
}

/// The directory `sig` covers, shown relative to the audited path (`model/`, or `.` for the path itself).
fn covered_dir(options: &AuditOptions, sig: &Path) -> (PathBuf, String) {
    let dir = mlsc_provenance::signed_directory(&options.target, sig)
        .unwrap_or_else(|| options.target.clone());
    let shown = match dir.strip_prefix(&options.target) {
        Ok(r) if r.as_os_str().is_empty() => ".".to_owned(),
        Ok(r) => format!("{}/", r.display()),
        Err(_) => dir.display().to_string(),
    };
    (dir, shown)
}

/// Verifies one signature against the directory it covers, with the `--public-key` when there is one.
fn verify_one_signature(
    options: &AuditOptions,
    sig: &Path,
    ran: &mut RanCheck,
    parts: &mut Vec<String>,
) {
    ran.inputs.push(sig.display().to_string());
    let (dir, shown) = covered_dir(options, sig);
    let Some(key) = &options.public_key else {
        ran.facts.push(Fact::new(
            "signature",
            format!(
                "`{}` over `{shown}` found but not verified: no --public-key given",
                sig.display()
            ),
        ));
        ran.signals.incomplete.push((
            Severity::Medium,
            format!(
                "the signature `{}` over `{shown}` was not verified: give --public-key PEM",
                sig.display()
            ),
        ));
        parts.push("signature not verified (no key)".to_owned());
        return;
    };
    let mut vopts = mlsc_provenance::VerifyOptions::default();
    vopts.sink = options.sink.clone();
    // A signature stored inside the model folder is not part of what it signs (model_signing's command line
    // ignores it the same way).
    if let Ok(rel) = sig.strip_prefix(&dir) {
        vopts.ignore.push(rel.display().to_string());
    }
    let trust = mlsc_provenance::Trust::public_key_file(key);
    let key_id = match &trust {
        Ok(mlsc_provenance::Trust::PublicKey(k)) => k.hint().chars().take(16).collect(),
        _ => key.display().to_string(),
    };
    let result =
        trust.and_then(|trust| mlsc_provenance::verify_signature(&dir, sig, &trust, &vopts));
    match result {
        Ok(r) => {
            let ok = r.findings.is_empty() && r.errors.is_empty();
            ran.signals.signature_verified =
                Some(ran.signals.signature_verified.unwrap_or(true) && ok);
            let files = r.statistics.files;
            let bytes = r.statistics.bytes_read;
            ran.facts.push(Fact::new(
                "signature",
                if ok {
                    format!(
                        "signature over `{shown}` verified by key {key_id} (`{}`): {} ({bytes} bytes) match \
                         `{}`",
                        key.display(),
                        plural(usize::try_from(files).unwrap_or(usize::MAX), "file", "files"),
                        sig.display()
                    )
                } else {
                    format!(
                        "signature `{}` over `{shown}` did NOT verify with key {key_id} (`{}`): {}",
                        sig.display(),
                        key.display(),
                        plural(r.findings.len(), "difference", "differences")
                    )
                },
            ));
            parts.push(if ok {
                format!("signature over `{shown}` verified")
            } else {
                format!("signature over `{shown}` failed")
            });
            merge(ran, r);
        }
        Err(e) => {
            ran.signals.signature_verified = Some(false);
            parts.push("signature unreadable".to_owned());
            ran.report.errors.push(ReportError::new(
                Some(sig.display().to_string()),
                e.to_string(),
            ));
        }
    }
}

/// Adds one verification's report to the verify check's.
fn merge(ran: &mut RanCheck, r: Report) {
    ran.report.artifacts.extend(r.artifacts);
    ran.report.findings.extend(r.findings);
    ran.report.errors.extend(r.errors);
    ran.report.statistics.files += r.statistics.files;
    ran.report.statistics.bytes_read += r.statistics.bytes_read;
}

/// Verifies each recorded-provenance file (DVC, Croissant) with `verify`, recording a fact per file and merging its
/// findings; a file that cannot be verified at all is an error of the report.
fn verify_records(
    ran: &mut RanCheck,
    paths: &[String],
    matches: &str,
    differs: &str,
    verify: impl Fn(&Path) -> Result<Report, mlsc_provenance::Error>,
) {
    for path in paths {
        ran.inputs.push(path.clone());
        match verify(Path::new(path)) {
            Ok(r) => {
                let fact = if r.findings.is_empty() {
                    matches.to_owned()
                } else {
                    format!("{differs}: {} finding(s)", r.findings.len())
                };
                ran.facts.push(Fact::new(path.clone(), fact));
                merge(ran, r);
            }
            Err(e) => ran
                .report
                .errors
                .push(ReportError::new(Some(path.clone()), e.to_string())),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// sbom

fn sbom(
    options: &AuditOptions,
    _config: &Config,
    _inv: &Inventory,
    loaded: &Result<mlsc_deps::Database, String>,
) -> CheckResult {
    let Some(out_path) = &options.sbom else {
        return skipped(
            CheckKind::Sbom,
            "not requested (use --sbom FILE to write a CycloneDX ML-BOM)",
        );
    };
    let mut ran = RanCheck::new(CheckKind::Sbom, Report::new("sbom"));
    let shown = out_path.display().to_string();
    let mut bom_options = mlsc_sbom::BomOptions::default();
    bom_options.source_date_epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok());
    let mut out = match mlsc_sbom::bom_for_path(&options.target, &bom_options) {
        Ok(out) => out,
        Err(e) => {
            ran.report
                .errors
                .push(ReportError::new(Some(shown), e.to_string()));
            ran.summary = "the BOM could not be made".to_owned();
            return CheckResult::Ran(Box::new(ran));
        }
    };
    match loaded {
        Ok(db) => {
            mlsc_sbom::add_vulnerabilities(&mut out.bom, db);
            mlsc_sbom::finish(&mut out.bom, &bom_options);
        }
        Err(problem) => ran.signals.incomplete.push((
            Severity::Low,
            format!("the BOM has no vulnerabilities section: {problem}"),
        )),
    }
    let json = mlsc_sbom::bom_to_json(&out.bom);
    // Checked before it is written, so a BOM that breaks the schema's rules is reported, not silently shipped.
    let validation = mlsc_sbom::validate_bom_json(json.as_bytes(), &shown);
    let valid = validation.is_valid();
    ran.report.findings.extend(out.findings);
    ran.report.findings.extend(validation.findings);
    if let Err(e) = mlsc_core::write_atomic(out_path, json.as_bytes()) {
        ran.report
            .errors
            .push(ReportError::new(Some(shown.clone()), e.to_string()));
    }
    let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    let count = |key: &str| {
        value
            .get(key)
            .and_then(|v| v.as_array())
            .map_or(0, Vec::len)
    };
    ran.inputs.push(options.target.display().to_string());
    ran.facts.push(Fact::new("written to", shown.clone()));
    ran.facts.push(Fact::new(
        "specification",
        format!(
            "CycloneDX {}",
            value
                .get("specVersion")
                .and_then(|v| v.as_str())
                .unwrap_or("?")
        ),
    ));
    ran.facts.push(Fact::new(
        "sha256",
        mlsc_core::Sha256Digest::of(json.as_bytes()).to_hex(),
    ));
    ran.summary = format!(
        "{} ({} top-level, {}){}",
        shown,
        plural(count("components"), "component", "components"),
        plural(count("vulnerabilities"), "vulnerability", "vulnerabilities"),
        if valid {
            "; valid"
        } else {
            "; NOT valid CycloneDX"
        }
    );
    CheckResult::Ran(Box::new(ran))
}

/// Records the licences a dataset or Model Card Toolkit card states: one fact ("not stated" when none), and one
/// signal per licence (a `None` signal when none) for the policy.
fn record_licences(
    facts: &mut Vec<Fact>,
    signals: &mut Vec<(String, Option<String>)>,
    path: &str,
    licences: Vec<String>,
) {
    facts.push(Fact::new(
        format!("{path}: licence"),
        if licences.is_empty() {
            "not stated".to_owned()
        } else {
            licences.join(", ")
        },
    ));
    if licences.is_empty() {
        signals.push((path.to_owned(), None));
    }
    signals.extend(licences.into_iter().map(|l| (path.to_owned(), Some(l))));
}
