//! The audit: every dependency of a [`Project`] matched against a [`Database`], plus hygiene checks, as an
//! mlsc-core [`Report`] (command `deps`) and a typed `deps` section for the JSON output.

use std::collections::BTreeSet;

use mlsc_core::{
    Artifact, Assessment, Completeness, Finding, Format, Report, ReportError, Severity, Verdict,
};
use pep440_rs::Version;
use serde::Serialize;

use std::ops::Bound;

use version_ranges::Ranges;

use super::cvss;
use super::db::{Advisory, Database, DatabaseInfo};
use super::matching::{Eval, Exposure, VulnMatch, id_rank};
use super::rules;
use crate::requirements::{Dependency, DependencyKind, FixEdit, Input, InputFormat, Project};

/// An advisory the user chose to ignore (`[deps] ignore = [{ id, reason, expires }]` in `mlsc.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Ignore {
    /// An advisory id or alias (`PYSEC-…`, `GHSA-…`, `CVE-…`).
    pub id: String,
    /// Why it is ignored.
    pub reason: String,
    /// The last day the ignore holds; after it, the advisory is reported again.
    pub expires: Option<jiff::civil::Date>,
}

impl Ignore {
    /// An ignore of `id` for `reason`, until `expires` (inclusive) when given.
    pub fn new(id: &str, reason: &str, expires: Option<jiff::civil::Date>) -> Self {
        Ignore {
            id: id.to_owned(),
            reason: reason.to_owned(),
            expires,
        }
    }
}

/// How the audit runs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AuditOptions {
    /// Advisories to ignore. By default, none.
    pub ignores: Vec<Ignore>,
    /// The day expiry dates are compared with. By default, today (UTC).
    pub today: Option<jiff::civil::Date>,
    /// Whether hygiene findings (unpinned, missing hashes, extra index, trusted host, direct references) are
    /// reported. By default, true.
    pub hygiene: bool,
    /// A database whose newest record was modified more than this many days before `today` gets a
    /// `MLSC-DEP-014` warning, as does one with no `modified` time at all. `None` turns the check off. The date
    /// of a database is the newest `modified` time of its records, not its file's time (a copy or a
    /// checkout resets that): OSV edits some record every day, so the newest `modified` of a fresh export is
    /// within a day of its download. By default, off (`None`): a library caller decides (the warning depends on
    /// the day, which a snapshot of a report must not); `mlsc deps` sets 30 days.
    pub max_database_age_days: Option<u32>,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            ignores: Vec::new(),
            today: None,
            hygiene: true,
            max_database_age_days: None,
        }
    }
}

/// A match that an unexpired ignore suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct IgnoredMatch {
    /// The vulnerability.
    pub id: String,
    /// The package.
    pub package: String,
    /// Where it was declared.
    pub source: String,
    /// The reason given.
    pub reason: String,
    /// The expiry date, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

/// One vulnerability in the JSON `deps` section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct VulnerabilityEntry {
    /// The package (normalised).
    pub package: String,
    /// The exact version, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The specifier as written.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub specifier: String,
    /// `pkg:pypi/<name>@<version>`.
    pub purl: String,
    /// Where the dependency was declared (`requirements.txt:3`).
    pub source: String,
    /// For a pin: the smallest version above it that no advisory of the package affects. For a range with
    /// clean versions: the lowest version of the newest clean part of the allowed range (any release from it
    /// up to the range's end is clean). For a range with none: the smallest clean version at all. When one is
    /// known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix_version: Option<String>,
    /// For a dependency known only by a range: true when every version the range allows is affected by some
    /// advisory of the package (the allowed set is inside the union of the affected ranges), false when it
    /// allows clean versions too. Absent for exact versions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub every_allowed_version_affected: Option<bool>,
    /// For a range that allows clean versions: the allowed versions no advisory affects, as PEP 440 clauses
    /// (`>=10.3.0`; parts joined by ` or `).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clean_allowed: Option<String>,
    /// The severity of the finding that reports this match: `critical` for malware; for an exact version or a
    /// range whose every allowed version is affected, the advisory's (GHSA word, else CVSS v3 score, else high);
    /// `low` for a range that allows clean versions too.
    pub severity: Severity,
    /// The match.
    #[serde(flatten)]
    pub vulnerability: VulnMatch,
}

/// The `deps` section of `mlsc deps --format json`, beside the standard report fields.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct DepsSection {
    /// The target environment markers were evaluated for.
    pub target: String,
    /// The advisory database.
    pub database: DatabaseInfo,
    /// The inputs read.
    pub inputs: Vec<Input>,
    /// Dependencies read (including those whose markers exclude the target, with `applies: false`).
    pub dependencies: Vec<Dependency>,
    /// Every vulnerability found, affected first.
    pub vulnerabilities: Vec<VulnerabilityEntry>,
    /// Matches suppressed by ignores.
    pub ignored: Vec<IgnoredMatch>,
}

/// The JSON output of `mlsc deps`: the mlsc-core report with a `deps` section added.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct DepsJson<'a> {
    /// The standard report.
    #[serde(flatten)]
    pub report: &'a Report,
    /// What is specific to dependencies.
    pub deps: &'a DepsSection,
}

/// The result of an audit.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Audit {
    /// The report (command `deps`), finished.
    pub report: Report,
    /// The typed details.
    pub deps: DepsSection,
    /// Pin changes that fix every advisory of a pinned requirements-file dependency (for `--fix`).
    pub fixes: Vec<FixEdit>,
}

impl Audit {
    /// The JSON output value.
    pub fn json(&self) -> DepsJson<'_> {
        DepsJson {
            report: &self.report,
            deps: &self.deps,
        }
    }

    /// True when a dependency is vulnerable: an exact version affected, a malicious package, or a range whose
    /// every allowed version is affected. A range that also allows clean versions is not (its grouped
    /// `MLSC-DEP-002` finding is low and counts only under `--fail-on low`).
    pub fn vulnerable(&self) -> bool {
        self.deps.vulnerabilities.iter().any(|v| {
            v.vulnerability.kind == Exposure::Affected
                || v.every_allowed_version_affected == Some(true)
        })
    }
}

fn dep_location(d: &Dependency) -> mlsc_core::Location {
    d.source.location()
}

/// Matches `project` against `db` and runs the hygiene checks.
///
/// ```
/// use mlsc_deps::{AuditOptions, Database, Target};
///
/// let osv = br#"{"id":"PYSEC-0-1","aliases":["CVE-0-1"],"modified":"2024-01-01T00:00:00Z","details":"Bad.",
///   "affected":[{"package":{"ecosystem":"PyPI","name":"Demo_Pkg"},
///   "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2"}]}]}]}"#;
/// let db = Database::from_texts("inline", "jsonl", &[osv.to_vec()]);
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("requirements.txt"), "demo-pkg==1.1+local\n").unwrap();
/// let project = mlsc_deps::read_project(dir.path(), &Target::default()).unwrap();
/// let audit = mlsc_deps::audit(&project, &db, &AuditOptions::default());
/// let v = &audit.deps.vulnerabilities[0];
/// assert_eq!((v.vulnerability.id.as_str(), v.fix_version.as_deref()), ("PYSEC-0-1", Some("1.2")));
/// assert_eq!(audit.report.findings[0].code, "MLSC-DEP-001");
/// ```
pub fn audit(project: &Project, db: &Database, options: &AuditOptions) -> Audit {
    let today = options.today.unwrap_or_else(|| {
        jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()
    });
    let mut report = Report::new("deps");
    let mut out = Out::default();
    let mut unreadable: std::collections::BTreeMap<String, String> =
        std::collections::BTreeMap::new();

    // Parse the advisories of every package named, and their ranges, in parallel first: that is most of the
    // work (a few packages have hundreds of advisories), and the loop below then only reads caches.
    let mut names: Vec<&str> = project
        .dependencies
        .iter()
        .chain(&project.constraints)
        .filter(|d| d.applies)
        .map(|d| d.name.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    mlsc_core::par::for_each(&names, |n| {
        for (_, aff) in db.for_package(n) {
            let _ = aff.prepared();
        }
    });
    for (i, dep) in project.dependencies.iter().enumerate() {
        if !dep.applies {
            continue;
        }
        // A constraints-file pin decides the version of a requirement that only gives a range.
        let constrained = if dep.version.is_none() && dep.arbitrary_version.is_none() {
            project
                .constraints
                .iter()
                .find(|c| c.name == dep.name && c.applies && c.version.is_some())
        } else {
            None
        };
        if constrained.is_some() {
            // The constraints file decides what is installed: it is audited (once) below, at its own line.
            continue;
        }
        for (id, why) in db.unreadable_for(&dep.name) {
            unreadable.insert(id.to_owned(), why.to_owned());
        }
        check_dependency(i, dep, false, db, options, today, &mut out);
    }
    // Constraint pins are audited on their own too: they are what gets installed.
    let offset = project.dependencies.len();
    for (k, c) in project.constraints.iter().enumerate() {
        if !c.applies
            || c.version.is_none()
            || !project.dependencies.iter().any(|d| d.name == c.name)
        {
            continue;
        }
        check_dependency(offset + k, c, true, db, options, today, &mut out);
    }
    let Out {
        findings,
        mut vulnerabilities,
        ignored,
        mut fixes,
        vulnerable_files,
        inconclusive_files,
    } = out;
    for f in findings {
        report.push_finding(f);
    }
    if let Some(max) = options.max_database_age_days {
        stale_database(db.info(), max, today, &mut report);
    }
    fixes.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    fixes.dedup();

    if options.hygiene {
        hygiene(project, &mut report);
    }
    for (id, why) in &unreadable {
        // An advisory of a package we depend on could not be read: that package was not fully checked.
        report.errors.push(ReportError::new(
            Some(db.info().source.clone()),
            format!(
                "advisory `{id}` could not be read, so its package was not fully checked: {why}"
            ),
        ));
    }
    let mut fatal_files: BTreeSet<String> = BTreeSet::new();
    for d in &project.diagnostics {
        let (rule, sev) = if d.fatal {
            (&rules::UNREADABLE_INPUT, Severity::Medium)
        } else {
            (&rules::INPUT_WARNING, Severity::Low)
        };
        report.push_finding(rule.finding_at(sev, d.message.clone()).at(d.location()));
        if d.fatal {
            fatal_files.insert(d.path.clone());
            report.errors.push(ReportError::new(
                Some(d.path.clone()),
                match d.line {
                    Some(l) => format!("line {l}: {}", d.message),
                    None => d.message.clone(),
                },
            ));
        }
    }
    for input in &project.inputs {
        if input.superseded_by.is_some() {
            continue;
        }
        let format = if input.format == InputFormat::PipfileLock {
            Format::Json
        } else {
            Format::Text
        };
        let mut a = Artifact::new(input.path.clone(), input.size, format);
        let mut v = Verdict::CLEAN;
        if vulnerable_files.contains(&input.path)
            || (input.format == InputFormat::Installed
                && vulnerable_files
                    .iter()
                    .any(|f| f.starts_with(&format!("{}/", input.path))))
        {
            v = v.at_least(Assessment::Suspicious);
        }
        if fatal_files.contains(&input.path) || inconclusive_files.contains(&input.path) {
            v = v.at_most(Completeness::Inconclusive);
        }
        a.verdict = v;
        report.artifacts.push(a);
    }
    report.statistics.files = project
        .inputs
        .iter()
        .filter(|i| i.superseded_by.is_none())
        .count() as u64;
    report.statistics.bytes_read = project.inputs.iter().map(|i| i.size).sum();
    report.finish();
    vulnerabilities.sort_by(|a, b| {
        (
            a.vulnerability.kind,
            &a.source,
            &a.package,
            &a.vulnerability.id,
        )
            .cmp(&(
                b.vulnerability.kind,
                &b.source,
                &b.package,
                &b.vulnerability.id,
            ))
    });
    Audit {
        report,
        deps: DepsSection {
            target: project.target.clone(),
            database: db.info().clone(),
            inputs: project.inputs.clone(),
            dependencies: project.dependencies.clone(),
            vulnerabilities,
            ignored,
        },
        fixes,
    }
}

/// What the per-dependency checks add up to.
#[derive(Default)]
struct Out {
    findings: Vec<Finding>,
    vulnerabilities: Vec<VulnerabilityEntry>,
    ignored: Vec<IgnoredMatch>,
    fixes: Vec<FixEdit>,
    vulnerable_files: BTreeSet<String>,
    inconclusive_files: BTreeSet<String>,
}

/// The ignore that applies to `ids`, if any.
fn ignore_of<'a>(
    options: &'a AuditOptions,
    ids: &[String],
    aliases: &[String],
) -> Option<&'a Ignore> {
    options.ignores.iter().find(|ig| {
        ids.iter()
            .chain(aliases)
            .any(|x| x.eq_ignore_ascii_case(&ig.id))
    })
}

/// Matches one dependency (or constraint pin) and adds its findings, entries and fixes to `out`.
fn check_dependency(
    index: usize,
    dep: &Dependency,
    via_constraint: bool,
    db: &Database,
    options: &AuditOptions,
    today: jiff::civil::Date,
    out: &mut Out,
) {
    let exact = dep.version.as_ref();
    let found = match_dependency(index, dep, exact, db);
    let shown_version = exact
        .map(ToString::to_string)
        .or_else(|| dep.arbitrary_version.clone())
        .unwrap_or_else(|| {
            if dep.specifier.is_empty() {
                "(any version)".to_owned()
            } else {
                dep.specifier.clone()
            }
        });
    for (id, why) in &found.unknown {
        if ignore_of(options, std::slice::from_ref(id), &[])
            .is_some_and(|ig| ig.expires.is_none_or(|e| e >= today))
        {
            continue;
        }
        out.findings.push(
            rules::ADVISORY_NOT_EVALUABLE.finding_at(
Severity::Medium,
format!(
                    "`{}` {shown_version} could not be checked against {id}: {why}; the package is inconclusive, \
                     not clean",
                    dep.name
                ),
            )
            .at(dep_location(dep))
            .with_evidence(format!("record: {id}; purl: {}", dep.purl())),
        );
        out.inconclusive_files.insert(dep.source.path.clone());
    }
    let mut kept = Vec::new();
    for m in found.matches {
        if let Some(ig) = ignore_of(options, &m.ids, &m.aliases) {
            match ig.expires {
                Some(exp) if exp < today => {
                    out.findings.push(
                        rules::IGNORE_EXPIRED.finding_at(
Severity::Low,
format!(
                                "the ignore of `{}` expired on {exp} ({}): it is reported again",
                                ig.id, ig.reason
                            ),
                        )
                        .at(dep_location(dep)),
                    );
                }
                _ => {
                    out.ignored.push(IgnoredMatch {
                        id: m.id.clone(),
                        package: dep.name.clone(),
                        source: dep.source.to_string(),
                        reason: ig.reason.clone(),
                        expires: ig.expires.map(|d| d.to_string()),
                    });
                    continue;
                }
            }
        }
        kept.push(m);
    }
    if kept.is_empty() {
        return;
    }
    let ranged = exact.is_none() && dep.arbitrary_version.is_none();
    let (every, clean, fix) = if ranged {
        let c = consequence(dep, db);
        let fix = match &c.clean_top {
            Some(v) => Some(v.clone()),
            None if c.every => fix_version(dep, exact, db),
            None => None,
        };
        (Some(c.every), Some(c.clean), fix)
    } else {
        (None, None, fix_version(dep, exact, db))
    };
    let clean_text = clean.as_ref().filter(|c| !c.is_empty()).map(pep440_text);
    for m in kept.iter().filter(|m| m.malicious) {
        out.findings.push(malicious_finding(dep, &shown_version, m));
    }
    let advisories: Vec<&VulnMatch> = kept.iter().filter(|m| !m.malicious).collect();
    if !ranged || every == Some(true) {
        for m in &advisories {
            out.findings
                .push(vuln_finding(dep, exact, via_constraint, m, fix.as_ref()));
        }
    } else if !advisories.is_empty() {
        out.findings.push(grouped_finding(
            dep,
            &advisories,
            clean_text.as_deref().unwrap_or(""),
            fix.as_ref(),
        ));
    }
    let vulnerable = !ranged || every == Some(true) || kept.iter().any(|m| m.malicious);
    if vulnerable {
        out.vulnerable_files.insert(dep.source.path.clone());
        if let (Some(v), Some(f), Some(line)) = (&dep.version, &fix, dep.source.line)
            && (via_constraint
                || (matches!(
                    dep.source.format,
                    InputFormat::Requirements | InputFormat::Constraints
                ) && dep.kind == DependencyKind::Pinned))
            && !kept.iter().any(|m| m.malicious)
        {
            out.fixes.push(FixEdit::new(
                &dep.source.path,
                line,
                &dep.name,
                &v.to_string(),
                &f.to_string(),
            ));
        }
    }
    for m in kept {
        out.vulnerabilities.push(VulnerabilityEntry {
            package: dep.name.clone(),
            version: exact
                .map(ToString::to_string)
                .or_else(|| dep.arbitrary_version.clone()),
            specifier: dep.specifier.clone(),
            purl: dep.purl(),
            source: dep.source.to_string(),
            fix_version: fix.as_ref().map(ToString::to_string),
            every_allowed_version_affected: every,
            clean_allowed: clean_text.clone(),
            severity: if !ranged || every == Some(true) || m.malicious {
                severity_of(&m)
            } else {
                Severity::Low
            },
            vulnerability: m,
        });
    }
}

/// What a range requirement risks, decided without a package index by interval arithmetic: the allowed set
/// (the specifier as intervals of PEP 440 versions, every version if there is none) against the union of the
/// affected sets of every advisory of the package (its ranges, and its listed versions as points).
struct Consequence {
    /// The allowed set is inside the union: whatever version is installed, it is affected.
    every: bool,
    /// Allowed and affected by no advisory.
    clean: Ranges<Version>,
    /// The lower bound of the newest part of `clean`, when it is a version (an inclusive bound, which is always
    /// a `fixed` version some advisory names or the specifier's own lower bound): the version to name as the
    /// fix. The newest allowed release cannot be named without an index; any release from this one up to the
    /// end of that part is clean.
    clean_top: Option<Version>,
}

fn consequence(dep: &Dependency, db: &Database) -> Consequence {
    let allowed: Ranges<Version> = dep.specifiers.clone().map_or_else(Ranges::full, Into::into);
    let mut affected = Ranges::empty();
    for (adv, aff) in db.for_package(&dep.name) {
        if adv.withdrawn.is_none() && !adv.is_malicious() {
            affected = affected.union(&aff.affected_set());
        }
    }
    let every = !allowed.is_empty() && allowed.subset_of(&affected);
    let clean = allowed.intersection(&affected.complement());
    let clean_top = clean.iter().last().and_then(|(lo, _)| match lo {
        Bound::Included(v) => Some(v.clone()),
        _ => None,
    });
    Consequence {
        every,
        clean,
        clean_top,
    }
}

/// A set of versions as PEP 440 clauses: `>=10.3.0`, `>=1.2, <1.4 or >=2.0`.
pub(crate) fn pep440_text(r: &Ranges<Version>) -> String {
    let parts: Vec<String> = r
        .iter()
        .map(|(lo, hi)| {
            if let (Bound::Included(a), Bound::Included(b)) = (lo, hi)
                && a == b
            {
                return format!("=={a}");
            }
            let mut c = Vec::new();
            match lo {
                Bound::Included(v) => c.push(format!(">={v}")),
                Bound::Excluded(v) => c.push(format!(">{v}")),
                Bound::Unbounded => {}
            }
            match hi {
                Bound::Included(v) => c.push(format!("<={v}")),
                Bound::Excluded(v) => c.push(format!("<{v}")),
                Bound::Unbounded => {}
            }
            if c.is_empty() {
                "any version".to_owned()
            } else {
                c.join(", ")
            }
        })
        .collect();
    if parts.is_empty() {
        "no version".to_owned()
    } else {
        parts.join(" or ")
    }
}

/// Warns when the database is older than `max_days` (by its newest `modified` time), or has no date.
fn stale_database(
    info: &DatabaseInfo,
    max_days: u32,
    today: jiff::civil::Date,
    report: &mut Report,
) {
    let at = mlsc_core::Location::file(info.source.clone());
    let date = info
        .newest_modified
        .as_deref()
        .and_then(|m| m.parse::<jiff::Timestamp>().ok())
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date());
    let message = match date {
        None => format!(
            "the advisory database `{}` has no `modified` time, so its age is unknown: run `mlsc db update`",
            info.source
        ),
        Some(d) => {
            // `Date::until` counts in days by default.
            let days = d.until(today).map_or(0, |span| i64::from(span.get_days()));
            if days <= i64::from(max_days) {
                return;
            }
            format!(
                "the advisory database is from {d} (its newest record's `modified`), {days} days before {today}: \
                 advisories published since are missing; run `mlsc db update`"
            )
        }
    };
    report.push_finding(
        rules::STALE_DATABASE
            .finding_at(Severity::Low, message)
            .at(at),
    );
}

/// The severity of a match: CRITICAL for malware; else the GHSA word when a record has one (the highest);
/// else the rating of the CVSS v3 base score computed from the vector; else high.
fn severity_of(m: &VulnMatch) -> Severity {
    if m.malicious {
        return Severity::Critical;
    }
    let word = m
        .severity
        .iter()
        .filter(|s| !s.starts_with("CVSS"))
        .filter_map(|w| match w.as_str() {
            "CRITICAL" => Some(Severity::Critical),
            "HIGH" => Some(Severity::High),
            "MODERATE" | "MEDIUM" => Some(Severity::Medium),
            "LOW" => Some(Severity::Low),
            _ => None,
        })
        .max();
    word.or_else(|| m.cvss_score.map(cvss::rating))
        .unwrap_or(Severity::High)
}

fn others_of(m: &VulnMatch) -> String {
    let others: Vec<&str> = m
        .ids
        .iter()
        .filter(|i| **i != m.id)
        .chain(m.aliases.iter())
        .map(String::as_str)
        .collect();
    if others.is_empty() {
        String::new()
    } else {
        format!(" ({})", others.join(", "))
    }
}

fn evidence_of(dep: &Dependency, m: &VulnMatch) -> String {
    let mut evidence = format!("ids: {}", m.ids.join(", "));
    if !m.aliases.is_empty() {
        evidence.push_str(&format!("; aliases: {}", m.aliases.join(", ")));
    }
    if !m.fixed.is_empty() {
        let f: Vec<String> = m.fixed.iter().map(ToString::to_string).collect();
        evidence.push_str(&format!("; fixed in: {}", f.join(", ")));
    }
    if let Some(s) = m.cvss_score {
        evidence.push_str(&format!("; CVSS v3 base score: {:.1}", f64::from(s) / 10.0));
    }
    evidence.push_str(&format!("; purl: {}", dep.purl()));
    for n in &m.notes {
        evidence.push_str(&format!("; note: {n}"));
    }
    evidence
}

fn malicious_finding(dep: &Dependency, shown_version: &str, m: &VulnMatch) -> Finding {
    rules::MALICIOUS_PACKAGE.finding_at(
Severity::Critical,
format!(
            "`{}` {shown_version} is a known malicious package ({}{}): {}; remove it, whatever its version, and \
             treat machines that installed it as compromised",
            dep.name,
            m.id,
            others_of(m),
            m.summary
        ),
    )
    .at(dep_location(dep))
    .with_evidence(evidence_of(dep, m))
}

/// One finding for a range that allows clean versions, however many advisories touch it.
fn grouped_finding(
    dep: &Dependency,
    advisories: &[&VulnMatch],
    clean: &str,
    fix: Option<&Version>,
) -> Finding {
    let spec = if dep.specifier.is_empty() {
        "(any version)"
    } else {
        dep.specifier.as_str()
    };
    let n = advisories.len();
    let mut ids: Vec<&str> = advisories.iter().map(|m| m.id.as_str()).collect();
    ids.sort_by(|a, b| id_rank(a).cmp(&id_rank(b)));
    let shown = if n > 5 {
        format!("{}, and {} more", ids[..5].join(", "), n - 5)
    } else {
        ids.join(", ")
    };
    let advice = match fix {
        Some(f) => {
            format!("the newest versions it allows are clean ({clean}): require {f} or later")
        }
        None => format!("the versions it allows that no advisory affects: {clean}"),
    };
    let mut evidence = format!("ids: {}", ids.join(", "));
    evidence.push_str(&format!("; clean allowed: {clean}; purl: {}", dep.purl()));
    rules::POSSIBLY_AFFECTED_DEPENDENCY
        .finding_at(
            Severity::Low,
            format!(
                "`{}` {spec} allows versions affected by {n} advisor{} ({shown}); {advice}",
                dep.name,
                if n == 1 { "y" } else { "ies" }
            ),
        )
        .at(dep_location(dep))
        .with_evidence(evidence)
}

fn vuln_finding(
    dep: &Dependency,
    exact: Option<&Version>,
    via_constraint: bool,
    m: &VulnMatch,
    fix: Option<&Version>,
) -> Finding {
    let also = others_of(m);
    let fix_text = match fix {
        Some(f) => format!("; upgrade to {f}"),
        None if m.fixed.is_empty() => "; no fixed version is known".to_owned(),
        None => String::new(),
    };
    let (rule, message) = match m.kind {
        Exposure::Affected => {
            let version = exact
                .map(ToString::to_string)
                .or_else(|| dep.arbitrary_version.clone())
                .unwrap_or_default();
            let how = if via_constraint {
                " (pinned by this constraints file)"
            } else {
                ""
            };
            (
                &rules::VULNERABLE_DEPENDENCY,
                format!(
                    "`{}` {version}{how} is affected by {}{also}: {}{fix_text}",
                    dep.name, m.id, m.summary
                ),
            )
        }
        Exposure::PossiblyAffected => {
            let spec = if dep.specifier.is_empty() {
                "(any version)"
            } else {
                dep.specifier.as_str()
            };
            (
                &rules::ALL_ALLOWED_VERSIONS_AFFECTED,
                format!(
                    "`{}` {spec} allows only versions affected by known advisories; {}{also}: {}{fix_text}",
                    dep.name, m.id, m.summary
                ),
            )
        }
    };
    rule.finding_at(severity_of(m), message)
        .at(dep_location(dep))
        .with_evidence(evidence_of(dep, m))
}

/// The advisories of one dependency: matches merged by shared ids and aliases, and the records that cannot be
/// evaluated for it, as (id, why).
pub(crate) struct DepMatches {
    pub(crate) matches: Vec<VulnMatch>,
    pub(crate) unknown: Vec<(String, String)>,
}

/// The advisories matching one dependency, merged by shared ids and aliases.
pub(crate) fn match_dependency(
    index: usize,
    dep: &Dependency,
    exact: Option<&Version>,
    db: &Database,
) -> DepMatches {
    let mut unknown = Vec::new();
    if matches!(
        dep.kind,
        DependencyKind::Vcs | DependencyKind::Path | DependencyKind::Editable | DependencyKind::Url
    ) && exact.is_none()
    {
        return DepMatches {
            matches: Vec::new(),
            unknown,
        };
    }
    let mut hits: Vec<(&Advisory, Exposure, Vec<Version>, Vec<String>)> = Vec::new();
    for (adv, aff) in db.for_package(&dep.name) {
        if adv.withdrawn.is_some() {
            continue;
        }
        if adv.is_malicious() {
            // Malware is malware whatever the version: the record's versions only say which uploads were seen.
            hits.push((adv, Exposure::Affected, Vec::new(), Vec::new()));
            continue;
        }
        let (eval, kind) = if let Some(v) = exact {
            (aff.evaluate(v), Exposure::Affected)
        } else if let Some(arb) = &dep.arbitrary_version {
            (aff.evaluate_arbitrary(arb), Exposure::Affected)
        } else if aff.overlaps(dep.specifiers.as_ref()) {
            (Eval::Affected(Vec::new()), Exposure::PossiblyAffected)
        } else {
            (
                aff.unknowable().map_or(Eval::Clean, Eval::Unknown),
                Exposure::PossiblyAffected,
            )
        };
        match eval {
            Eval::Affected(notes) => hits.push((adv, kind, aff.prepared().fixed.clone(), notes)),
            Eval::Unknown(why) => unknown.push((adv.id.clone(), why)),
            Eval::Clean => {}
        }
    }
    unknown.sort();
    unknown.dedup();
    // Union advisories that share an id or alias (PYSEC-x aliasing GHSA-y, and GHSA-y's own record).
    let n = hits.len();
    let mut group: Vec<usize> = (0..n).collect();
    fn root(g: &mut [usize], mut i: usize) -> usize {
        while g[i] != i {
            g[i] = g[g[i]];
            i = g[i];
        }
        i
    }
    // Each id or alias belongs to the first advisory that named it; a later advisory naming it joins that group.
    // Linear in the number of ids (a pair-wise comparison was 20 ms for a package with 200 advisories).
    let mut owner: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (a, hit) in hits.iter().enumerate() {
        let adv = hit.0;
        for x in std::iter::once(adv.id.as_str()).chain(adv.aliases.iter().map(String::as_str)) {
            match owner.get(x) {
                Some(&b) => {
                    let (ra, rb) = (root(&mut group, a), root(&mut group, b));
                    group[ra] = rb;
                }
                None => {
                    owner.insert(x, a);
                }
            }
        }
    }
    let mut out: Vec<VulnMatch> = Vec::new();
    let mut roots: Vec<usize> = (0..n).map(|i| root(&mut group, i)).collect();
    let mut order: Vec<usize> = roots.clone();
    order.sort_unstable();
    order.dedup();
    for r in order {
        let members: Vec<usize> = (0..n).filter(|&i| roots[i] == r).collect();
        let mut ids: Vec<String> = members.iter().map(|&i| hits[i].0.id.clone()).collect();
        ids.sort_by(|a, b| id_rank(a).cmp(&id_rank(b)));
        ids.dedup();
        let mut aliases: Vec<String> = members
            .iter()
            .flat_map(|&i| hits[i].0.aliases.iter().cloned())
            .filter(|a| !ids.contains(a))
            .collect();
        aliases.sort_by(|a, b| id_rank(a).cmp(&id_rank(b)));
        aliases.dedup();
        let primary = members
            .iter()
            .copied()
            .min_by(|&a, &b| id_rank(&hits[a].0.id).cmp(&id_rank(&hits[b].0.id)))
            .expect("a group has at least one member because it was built from a member's root");
        let kind = members
            .iter()
            .map(|&i| hits[i].1)
            .min()
            .unwrap_or(Exposure::PossiblyAffected);
        let mut fixed: Vec<Version> = members
            .iter()
            .flat_map(|&i| hits[i].2.iter().cloned())
            .collect();
        fixed.sort();
        fixed.dedup();
        let mut severity: Vec<String> = Vec::new();
        for &i in &members {
            if let Some(w) = hits[i].0.severity_word() {
                severity.push(w);
            }
            for s in &hits[i].0.severity {
                severity.push(format!("{} {}", s.kind, s.score));
            }
        }
        severity.sort();
        severity.dedup();
        let cvss_score = members
            .iter()
            .flat_map(|&i| &hits[i].0.severity)
            .filter_map(|s| cvss::v3_base_score(&s.score))
            .max();
        let malicious = members.iter().any(|&i| hits[i].0.is_malicious());
        let mut notes: Vec<String> = members
            .iter()
            .flat_map(|&i| {
                let id = &hits[i].0.id;
                hits[i].3.iter().map(move |n| format!("{id}: {n}"))
            })
            .collect();
        notes.sort();
        notes.dedup();
        let modified = members
            .iter()
            .filter_map(|&i| hits[i].0.modified.clone())
            .max();
        let mut references: Vec<String> = Vec::new();
        for &i in &members {
            let mut refs: Vec<_> = hits[i].0.references.iter().collect();
            refs.sort_by_key(|r| r.kind != "ADVISORY");
            references.extend(refs.into_iter().map(|r| r.url.clone()));
        }
        references.dedup();
        references.truncate(8);
        out.push(VulnMatch {
            dependency: index,
            id: hits[primary].0.id.clone(),
            ids,
            aliases,
            kind,
            summary: hits[primary].0.headline(),
            fixed,
            severity,
            modified,
            references,
            notes,
            cvss_score,
            malicious,
        });
    }
    roots.clear();
    out.sort_by(|a, b| id_rank(&a.id).cmp(&id_rank(&b.id)));
    DepMatches {
        matches: out,
        unknown,
    }
}

/// The smallest version above the current one (or, for a range, the smallest at all) that no advisory of the
/// package affects, chosen among the `fixed` versions the advisories name.
pub(crate) fn fix_version(
    dep: &Dependency,
    exact: Option<&Version>,
    db: &Database,
) -> Option<Version> {
    let advisories: Vec<_> = db
        .for_package(&dep.name)
        .filter(|(a, _)| a.withdrawn.is_none())
        .map(|(_, aff)| aff)
        .collect();
    if advisories.is_empty() {
        return None;
    }
    let affected_now = match exact {
        Some(v) => advisories.iter().any(|p| p.affects(v)),
        None => advisories
            .iter()
            .any(|p| p.overlaps(dep.specifiers.as_ref())),
    };
    if !affected_now {
        return None;
    }
    let mut candidates: Vec<&Version> = advisories
        .iter()
        .flat_map(|p| p.prepared().fixed.iter())
        .collect();
    candidates.sort();
    candidates.dedup();
    candidates
        .into_iter()
        .filter(|c| exact.is_none_or(|v| *c > v))
        // The ranges first, for every advisory: they rule out most candidates cheaply, and the explicit lists
        // (hundreds of entries for some packages) are then scanned only for the few candidates left.
        .filter(|c| {
            let base = (*c).clone().without_local();
            !advisories
                .iter()
                .any(|p| p.prepared().ranges.contains(&base))
        })
        .find(|c| !advisories.iter().any(|p| p.affects(c)))
        .cloned()
}

fn hygiene(project: &Project, report: &mut Report) {
    let hashed_files: BTreeSet<&str> = project
        .inputs
        .iter()
        .filter(|i| {
            i.uses_hashes
                && matches!(
                    i.format,
                    InputFormat::Requirements | InputFormat::Constraints
                )
        })
        .map(|i| i.path.as_str())
        .collect();
    for d in project.dependencies.iter().filter(|d| d.applies) {
        let in_req = d.source.format == InputFormat::Requirements;
        if in_req
            && matches!(
                d.kind,
                DependencyKind::Range | DependencyKind::Unconstrained
            )
        {
            let constrained = project
                .constraints
                .iter()
                .any(|c| c.name == d.name && c.version.is_some());
            if !constrained {
                let what = if d.specifier.is_empty() {
                    "no version".to_owned()
                } else {
                    format!("`{}`", d.specifier)
                };
                report.push_finding(
                    rules::UNPINNED_REQUIREMENT.finding_at(
Severity::Low,
format!("`{}` has {what}: installs change over time and cannot be audited exactly", d.name),
                    )
                    .at(d.source.location()),
                );
            }
        }
        if hashed_files.contains(d.source.path.as_str())
            && d.hashes.is_empty()
            && d.kind != DependencyKind::Editable
        {
            report.push_finding(
                rules::MISSING_HASH.finding_at(
Severity::Medium,
format!(
                        "`{}` has no `--hash` although this file pins hashes for other requirements (pip then \
                         refuses to install, or installs it unchecked)",
                        d.name
                    ),
                )
                .at(d.source.location()),
            );
        }
        if d.is_direct_reference() && d.source.format != InputFormat::Installed {
            let url = d.url.as_deref().unwrap_or("");
            report.push_finding(
                rules::DIRECT_REFERENCE.finding_at(
Severity::Low,
format!(
                        "`{}` is installed from a {} (`{url}`), outside the index: advisories do not cover it",
                        d.name,
                        match d.kind {
                            DependencyKind::Vcs => "version-control URL",
                            DependencyKind::Url => "direct URL",
                            DependencyKind::Editable => "local folder in editable mode",
                            _ => "local path",
                        }
                    ),
                )
                .at(d.source.location()),
            );
        }
    }
    for (url, src) in &project.index.extra_index_urls {
        report.push_finding(
            rules::EXTRA_INDEX_URL.finding_at(
Severity::Medium,
format!(
                    "`--extra-index-url {}`: pip takes the highest version from any index, so a public package \
                     can shadow a private one (dependency confusion); use one index that proxies the other",
                    redact(url)
                ),
            )
            .at(src.location()),
        );
    }
    for (host, src) in &project.index.trusted_hosts {
        report.push_finding(
            rules::TRUSTED_HOST
                .finding_at(
                    Severity::Medium,
                    format!("`--trusted-host {host}`: pip does not verify TLS for this host"),
                )
                .at(src.location()),
        );
    }
}

/// `https://user:token@host/…` shown as `https://***@host/…`: credentials never reach a report.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s && !url[s + 3..at].contains('/') => {
            format!("{}***{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}
