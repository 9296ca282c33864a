//! The dependency audit in words: Markdown like pip-audit's, the header of the human report, and the exit
//! decision.

use std::fmt::Write as _;
use std::path::Path;

use mlsc_core::Severity;

use crate::requirements::{Project, ReadOptions, Target, read_project_with};
use crate::vuln::{Audit, DatabaseInfo, Exposure};

impl Audit {
    /// True when the audit should fail a build at threshold `fail_on`: a dependency is [`vulnerable`]
    /// (whatever the threshold), or a finding is at or above `fail_on`, or something could not be read (fail
    /// closed). Input errors are also in `report.errors`, which a caller may want to tell apart.
    ///
    /// [`vulnerable`]: Audit::vulnerable
    pub fn fails(&self, fail_on: Severity) -> bool {
        self.vulnerable() || self.report.fails(fail_on) || !self.report.errors.is_empty()
    }

    /// The two lines that open the human report: the database (advisories, packages, newest `modified`,
    /// source) and the target, then what applies and how many advisories affect exact versions or ranges.
    pub fn human_header(&self, info: &DatabaseInfo) -> String {
        let deps = self.deps.dependencies.iter().filter(|d| d.applies).count();
        let kind = |k: Exposure| {
            self.deps
                .vulnerabilities
                .iter()
                .filter(|v| v.vulnerability.kind == k)
                .count()
        };
        format!(
            "database: {} advisories ({} PyPI packages, newest modified {}) from `{}`; target: {}\n\
             dependencies: {deps} apply to the target ({} do not); advisories: {} affect exact versions, {} possibly affect ranges, {} ignored\n",
            info.records,
            info.packages,
            info.newest_modified.as_deref().unwrap_or("unknown"),
            info.source,
            self.deps.target,
            self.deps.dependencies.len() - deps,
            kind(Exposure::Affected),
            kind(Exposure::PossiblyAffected),
            self.deps.ignored.len(),
        )
    }

    /// Markdown like pip-audit's `--format markdown`: a table of vulnerabilities (`Name | Version | ID | Fix
    /// Versions`, with mlsc's severity, exposure and source beside), then the other findings, then what could
    /// not be checked. "No known vulnerabilities found" when there are none.
    pub fn to_markdown(&self) -> String {
        fn cell(s: &str) -> String {
            s.replace('|', "\\|").replace('\n', " ")
        }
        let mut out = String::new();
        let vulns = &self.deps.vulnerabilities;
        if vulns.is_empty() {
            out.push_str("No known vulnerabilities found\n");
        } else {
            out.push_str("Name | Version | ID | Fix Versions | Severity | Exposure | Source\n");
            out.push_str("--- | --- | --- | --- | --- | --- | ---\n");
            for v in vulns {
                let m = &v.vulnerability;
                let exposure = if m.malicious {
                    "malicious"
                } else if m.kind == Exposure::Affected {
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
                let _ = writeln!(
                    out,
                    "{} | {} | {} | {} | {} | {exposure} | {}",
                    cell(&v.package),
                    cell(&version),
                    cell(&m.id),
                    cell(v.fix_version.as_deref().unwrap_or("")),
                    v.severity,
                    cell(&v.source),
                );
            }
        }
        // The vulnerability findings are the table above; the others (hygiene, unreadable lines) follow.
        let others: Vec<&mlsc_core::Finding> = self
            .report
            .findings
            .iter()
            .filter(|f| {
                use crate::vuln::rules::{
                    ALL_ALLOWED_VERSIONS_AFFECTED, MALICIOUS_PACKAGE, POSSIBLY_AFFECTED_DEPENDENCY,
                    VULNERABLE_DEPENDENCY,
                };
                ![
                    VULNERABLE_DEPENDENCY,
                    POSSIBLY_AFFECTED_DEPENDENCY,
                    ALL_ALLOWED_VERSIONS_AFFECTED,
                    MALICIOUS_PACKAGE,
                ]
                .iter()
                .any(|r| r.code == f.code)
            })
            .collect();
        if !others.is_empty() {
            out.push_str("\nCode | Severity | Location | Message\n--- | --- | --- | ---\n");
            for f in others {
                let _ = writeln!(
                    out,
                    "{} | {} | {} | {}",
                    f.code,
                    f.severity,
                    cell(&f.location.to_string()),
                    cell(&f.message)
                );
            }
        }
        for e in &self.report.errors {
            let _ = write!(
                out,
                "\n**Not checked**: {}{}\n",
                e.path
                    .as_deref()
                    .map(|p| format!("`{p}`: "))
                    .unwrap_or_default(),
                e.message
            );
        }
        out
    }
}

impl Target {
    /// The target for auditing `paths`: CPython `python_version` when given, else the interpreter of the
    /// virtual environment when `paths` is one venv ([`environment_python_version`]: a Python 3.11 venv must
    /// not be judged as 3.12), else 3.12; on `platform`.
    ///
    /// # Errors
    ///
    /// When `python_version` is not `MAJOR.MINOR[.PATCH]`.
    ///
    /// [`environment_python_version`]: crate::environment_python_version
    pub fn for_paths<P: AsRef<Path>>(
        paths: &[P],
        python_version: Option<&str>,
        platform: crate::Platform,
    ) -> Result<Target, crate::Error> {
        let from_venv = match paths {
            [one] if python_version.is_none() => crate::environment_python_version(one.as_ref()),
            _ => None,
        };
        let version = python_version.map(str::to_owned).or(from_venv);
        Target::new(version.as_deref().unwrap_or("3.12"), platform)
    }
}

impl Project {
    /// Adds what `other` read to this project: inputs, dependencies, constraints, diagnostics and index options
    /// (URLs appended, `--no-index` and `--require-hashes` if either says so). The root and target stay this
    /// project's.
    pub fn merge(&mut self, other: Project) {
        self.inputs.extend(other.inputs);
        self.dependencies.extend(other.dependencies);
        self.constraints.extend(other.constraints);
        self.diagnostics.extend(other.diagnostics);
        let (a, b) = (&mut self.index, other.index);
        a.index_urls.extend(b.index_urls);
        a.extra_index_urls.extend(b.extra_index_urls);
        a.find_links.extend(b.find_links);
        a.trusted_hosts.extend(b.trusted_hosts);
        a.no_index |= b.no_index;
        a.require_hashes |= b.require_hashes;
    }

    /// True when at least one input was read for its dependencies (not only found and superseded by a lock
    /// file that was read instead).
    pub fn read_any(&self) -> bool {
        self.inputs.iter().any(|i| i.superseded_by.is_none())
    }
}

/// Reads every path with [`read_project_with`] and merges them into one project, in order; `None` when `paths`
/// is empty.
///
/// # Errors
///
/// The first path that cannot be read at all.
pub fn read_projects<P: AsRef<Path>>(
    paths: &[P],
    target: &Target,
    options: &ReadOptions,
) -> Result<Option<Project>, crate::Error> {
    let mut all: Option<Project> = None;
    for p in paths {
        let project = read_project_with(p.as_ref(), target, options)?;
        match &mut all {
            None => all = Some(project),
            Some(a) => a.merge(project),
        }
    }
    Ok(all)
}

impl DatabaseInfo {
    /// What `mlsc db update` prints after writing `bytes` bytes downloaded from `url` to `path`.
    pub fn update_human(&self, url: &str, path: &Path, bytes: usize) -> String {
        format!(
            "updated `{}` from {url}: {bytes} bytes, {} advisories ({} PyPI packages, {} withdrawn), newest modified {}\n",
            path.display(),
            self.records,
            self.packages,
            self.withdrawn,
            self.newest_modified.as_deref().unwrap_or("unknown"),
        )
    }

    /// [`DatabaseInfo::update_human`] as JSON: `url`, `path`, `bytes`, then this information's fields.
    pub fn update_json(&self, url: &str, path: &Path, bytes: usize) -> serde_json::Value {
        let mut v =
            serde_json::json!({ "url": url, "path": path.display().to_string(), "bytes": bytes });
        if let (Some(out), Ok(serde_json::Value::Object(info))) =
            (v.as_object_mut(), serde_json::to_value(self))
        {
            out.extend(info);
        }
        v
    }

    /// What `mlsc db info` prints: one `key: value` line each for the source, format, records, PyPI records,
    /// packages, withdrawn records and newest `modified` time, then the invalid records skipped and why.
    pub fn to_human(&self) -> String {
        let mut s = format!(
            "source: {}\nformat: {}\nrecords: {}\nPyPI records: {}\npackages: {}\nwithdrawn: {}\nnewest modified: {}\n",
            self.source,
            self.format,
            self.records,
            self.pypi_records,
            self.packages,
            self.withdrawn,
            self.newest_modified.as_deref().unwrap_or("unknown"),
        );
        if self.invalid > 0 {
            let _ = writeln!(s, "invalid records skipped: {}", self.invalid);
            for p in &self.problems {
                let _ = writeln!(s, "  {p}");
            }
        }
        s
    }
}
