//! The audit: every dependency of a [`Project`] matched against a [`Database`], plus hygiene checks, as an
//! mlsc-core [`Report`] (command `deps`) and a typed `deps` section for the JSON output.

use std::collections::BTreeSet;

use mlsc_core::{
    Artifact, Assessment, Completeness, Finding, Format, Report, ReportError, Severity, Verdict,
};
use pep440_rs::Version;
use rayon::prelude::*;
use serde::Serialize;

use super::db::{Advisory, Database, DatabaseInfo};
use super::matching::{Exposure, VulnMatch, id_rank};
use super::rules::*;
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
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            ignores: Vec::new(),
            today: None,
            hygiene: true,
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
    /// The smallest version that fixes every advisory of this dependency, when one is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix_version: Option<String>,
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

    /// True when a dependency is vulnerable or possibly affected.
    pub fn vulnerable(&self) -> bool {
        !self.deps.vulnerabilities.is_empty()
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
    let mut vulnerabilities = Vec::new();
    let mut ignored = Vec::new();
    let mut fixes = Vec::new();
    let mut vulnerable_files: BTreeSet<String> = BTreeSet::new();
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
    names.par_iter().for_each(|n| {
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
        let exact = dep.version.as_ref();
        for (id, why) in db.unreadable_for(&dep.name) {
            unreadable.insert(id.to_owned(), why.to_owned());
        }
        let matches = match_dependency(i, dep, exact, db);
        let fix_version = fix_version(dep, exact, db);
        let mut any = false;
        for m in matches {
            if let Some(ig) = options
                .ignores
                .iter()
                .find(|ig| m.ids.contains(&ig.id) || m.aliases.contains(&ig.id))
            {
                match ig.expires {
                    Some(exp) if exp < today => {
                        report.push_finding(
                            Finding::new(
                                CODE_IGNORE_EXPIRED,
                                Severity::Low,
                                "ignore expired",
                                format!(
                                    "the ignore of `{}` expired on {exp} ({}): it is reported again",
                                    ig.id, ig.reason
                                ),
                            )
                            .at(dep_location(dep)),
                        );
                    }
                    _ => {
                        ignored.push(IgnoredMatch {
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
            any = true;
            report.push_finding(vuln_finding(dep, exact, false, &m, fix_version.as_ref()));
            vulnerabilities.push(VulnerabilityEntry {
                package: dep.name.clone(),
                version: exact
                    .map(ToString::to_string)
                    .or_else(|| dep.arbitrary_version.clone()),
                specifier: dep.specifier.clone(),
                purl: dep.purl(),
                source: dep.source.to_string(),
                fix_version: fix_version.as_ref().map(ToString::to_string),
                vulnerability: m,
            });
        }
        if any {
            vulnerable_files.insert(dep.source.path.clone());
            if let (Some(v), Some(f), Some(line)) = (&dep.version, &fix_version, dep.source.line)
                && matches!(
                    dep.source.format,
                    InputFormat::Requirements | InputFormat::Constraints
                )
                && dep.kind == DependencyKind::Pinned
            {
                fixes.push(FixEdit::new(
                    &dep.source.path,
                    line,
                    &dep.name,
                    &v.to_string(),
                    &f.to_string(),
                ));
            }
        }
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
        let fix = fix_version(c, c.version.as_ref(), db);
        for m in match_dependency(offset + k, c, c.version.as_ref(), db) {
            if options.ignores.iter().any(|ig| {
                (m.ids.contains(&ig.id) || m.aliases.contains(&ig.id))
                    && ig.expires.is_none_or(|e| e >= today)
            }) {
                continue;
            }
            report.push_finding(vuln_finding(c, c.version.as_ref(), true, &m, fix.as_ref()));
            vulnerable_files.insert(c.source.path.clone());
            if let (Some(v), Some(f), Some(line)) = (&c.version, &fix, c.source.line) {
                fixes.push(FixEdit::new(
                    &c.source.path,
                    line,
                    &c.name,
                    &v.to_string(),
                    &f.to_string(),
                ));
            }
            vulnerabilities.push(VulnerabilityEntry {
                package: c.name.clone(),
                version: c.version.as_ref().map(ToString::to_string),
                specifier: c.specifier.clone(),
                purl: c.purl(),
                source: c.source.to_string(),
                fix_version: fix.as_ref().map(ToString::to_string),
                vulnerability: m,
            });
        }
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
        let (code, sev, title) = if d.fatal {
            (CODE_INPUT_ERROR, Severity::Medium, "unreadable input")
        } else {
            (CODE_INPUT_WARNING, Severity::Low, "input warning")
        };
        report.push_finding(Finding::new(code, sev, title, d.message.clone()).at(d.location()));
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
        if fatal_files.contains(&input.path) {
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

fn severity_of(m: &VulnMatch) -> Severity {
    if m.kind == Exposure::PossiblyAffected {
        return Severity::Medium;
    }
    // GHSA words when present; the CVSS vector alone does not carry a score, so High otherwise.
    let word = m.severity.iter().find(|s| !s.starts_with("CVSS"));
    match word.map(String::as_str) {
        Some("CRITICAL") => Severity::Critical,
        Some("MODERATE" | "MEDIUM") => Severity::Medium,
        Some("LOW") => Severity::Low,
        _ => Severity::High,
    }
}

fn vuln_finding(
    dep: &Dependency,
    exact: Option<&Version>,
    via_constraint: bool,
    m: &VulnMatch,
    fix: Option<&Version>,
) -> Finding {
    let others: Vec<&str> = m
        .ids
        .iter()
        .filter(|i| **i != m.id)
        .chain(m.aliases.iter())
        .map(String::as_str)
        .collect();
    let also = if others.is_empty() {
        String::new()
    } else {
        format!(" ({})", others.join(", "))
    };
    let fix_text = match fix {
        Some(f) => format!("; upgrade to {f}"),
        None if m.fixed.is_empty() => "; no fixed version is known".to_owned(),
        None => String::new(),
    };
    let (code, title, message) = match m.kind {
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
                CODE_VULNERABLE,
                "vulnerable dependency",
                format!(
                    "`{}` {version}{how} is affected by {}{also}: {}{fix_text}",
                    dep.name, m.id, m.summary
                ),
            )
        }
        Exposure::PossiblyAffected => {
            let spec = if dep.specifier.is_empty() {
                "any version"
            } else {
                dep.specifier.as_str()
            };
            (
                CODE_POSSIBLY_AFFECTED,
                "possibly affected dependency",
                format!(
                    "`{}` {spec} allows versions affected by {}{also}: {}{fix_text}",
                    dep.name, m.id, m.summary
                ),
            )
        }
    };
    let mut evidence = format!("ids: {}", m.ids.join(", "));
    if !m.aliases.is_empty() {
        evidence.push_str(&format!("; aliases: {}", m.aliases.join(", ")));
    }
    if !m.fixed.is_empty() {
        let f: Vec<String> = m.fixed.iter().map(ToString::to_string).collect();
        evidence.push_str(&format!("; fixed in: {}", f.join(", ")));
    }
    evidence.push_str(&format!("; purl: {}", dep.purl()));
    Finding::new(code, severity_of(m), title, message)
        .at(dep_location(dep))
        .with_evidence(evidence)
}

/// The advisories matching one dependency, merged by shared ids and aliases.
pub(crate) fn match_dependency(
    index: usize,
    dep: &Dependency,
    exact: Option<&Version>,
    db: &Database,
) -> Vec<VulnMatch> {
    if matches!(
        dep.kind,
        DependencyKind::Vcs | DependencyKind::Path | DependencyKind::Editable
    ) && exact.is_none()
    {
        return Vec::new();
    }
    if dep.kind == DependencyKind::Url && exact.is_none() {
        return Vec::new();
    }
    let mut hits: Vec<(&Advisory, Exposure, Vec<Version>)> = Vec::new();
    for (adv, aff) in db.for_package(&dep.name) {
        if adv.withdrawn.is_some() {
            continue;
        }
        let kind = if let Some(v) = exact {
            aff.affects(v).then_some(Exposure::Affected)
        } else if let Some(arb) = &dep.arbitrary_version {
            aff.listed()
                .raw
                .iter()
                .any(|r| r == arb)
                .then_some(Exposure::Affected)
        } else {
            aff.overlaps(dep.specifiers.as_ref())
                .then_some(Exposure::PossiblyAffected)
        };
        if let Some(k) = kind {
            hits.push((adv, k, aff.prepared().fixed.clone()));
        }
    }
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
        });
    }
    roots.clear();
    out.sort_by(|a, b| id_rank(&a.id).cmp(&id_rank(&b.id)));
    out
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
                    Finding::new(
                        CODE_UNPINNED,
                        Severity::Low,
                        "unpinned requirement",
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
                Finding::new(
                    CODE_MISSING_HASH,
                    Severity::Medium,
                    "missing hash",
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
                Finding::new(
                    CODE_DIRECT_REFERENCE,
                    Severity::Low,
                    "direct reference",
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
            Finding::new(
                CODE_EXTRA_INDEX,
                Severity::Medium,
                "extra index url",
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
            Finding::new(
                CODE_TRUSTED_HOST,
                Severity::Medium,
                "trusted host",
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
