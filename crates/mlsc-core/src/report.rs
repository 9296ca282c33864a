//! The report: what every mlsc command produces, and the JSON it prints.

use serde::{Deserialize, Serialize};

use crate::{Completeness, Finding, Format, Severity, Verdict};

/// The version of the report's JSON shape. It changes only when a field is removed or changes meaning;
/// added fields keep the version. The JSON Schema is [`REPORT_SCHEMA`].
pub const REPORT_SCHEMA_VERSION: &str = "1.0";

/// The JSON Schema (draft 2020-12) of [`Report`]'s JSON, shipped with the crate so that a consumer can validate
/// what mlsc writes without the repository; it is `schemas/report.schema.json` there, byte for byte (a test
/// checks).
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(mlsc_core::REPORT_SCHEMA).unwrap();
/// assert_eq!(schema["title"], "mlsc report");
/// ```
pub const REPORT_SCHEMA: &str = include_str!("../schemas/report.schema.json");

/// The tool that made a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Tool {
    /// `mlsc`.
    pub name: String,
    /// The version of the tool, `0.1.0`.
    pub version: String,
}

impl Tool {
    /// A tool with this name and version.
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> Self {
        Tool {
            name: name.into(),
            version: version.into(),
        }
    }
}

impl Default for Tool {
    fn default() -> Self {
        Tool::new("mlsc", env!("CARGO_PKG_VERSION"))
    }
}

/// One analysed thing: a file, or a member of a container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Artifact {
    /// The path as the user named it (or as found under a directory the user named).
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// The format detected from its content.
    pub format: Format,
    /// Lowercase hex SHA-256 of the whole file, when it was computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The verdict on this artefact.
    pub verdict: Verdict,
    /// Bytes of it actually read to reach the verdict (a 1 GiB checkpoint costs its zip directory and pickles),
    /// when counted. Zero for a result taken from a cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes_read: Option<u64>,
}

impl Artifact {
    /// An artefact with a clean verdict and no digest.
    pub fn new(path: impl Into<String>, size: u64, format: Format) -> Self {
        Artifact {
            path: path.into(),
            size,
            format,
            sha256: None,
            verdict: Verdict::CLEAN,
            bytes_read: None,
        }
    }
}

/// Something that stopped a check from running on an input: unreadable file, bad argument.
///
/// Defects *in* an input are findings; a `ReportError` means the input was not analysed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReportError {
    /// The path concerned, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What went wrong, lowercase, no trailing period.
    pub message: String,
}

impl ReportError {
    /// An error about `path`.
    pub fn new(path: Option<String>, message: impl Into<String>) -> Self {
        ReportError {
            path,
            message: message.into(),
        }
    }
}

/// Counters that describe the run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Statistics {
    /// Files (or other inputs) looked at.
    pub files: u64,
    /// Bytes read from disk (or from remote sources, by range).
    pub bytes_read: u64,
    /// Bytes in the inputs (the sum of the sizes of the files or remote objects looked at), to set against
    /// `bytes_read`, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_bytes: Option<u64>,
    /// Wall-clock time of the run, in milliseconds. Zero when the report is made deterministic.
    pub duration_ms: u64,
    /// Number of findings at each severity, from `info` to `critical`.
    pub by_severity: SeverityCounts,
}

/// Number of findings at each severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)] // the field names are the severities
pub struct SeverityCounts {
    pub info: u64,
    pub low: u64,
    pub medium: u64,
    pub high: u64,
    pub critical: u64,
}

impl SeverityCounts {
    fn add(&mut self, severity: Severity) {
        let slot = match severity {
            Severity::Info => &mut self.info,
            Severity::Low => &mut self.low,
            Severity::Medium => &mut self.medium,
            Severity::High => &mut self.high,
            Severity::Critical => &mut self.critical,
        };
        *slot += 1;
    }
}

/// A report: the artefacts analysed, the findings, the errors and statistics. Its serde shape is the JSON output of
/// every mlsc command that reports findings (`mlsc scan --format json`), documented by
/// `schemas/report.schema.json`.
///
/// ```
/// use mlsc_core::{Artifact, Finding, Format, Location, Report, Severity};
///
/// let mut report = Report::new("scan");
/// report.artifacts.push(Artifact::new("model.pkl", 120, Format::Pickle));
/// report.push_finding(
///     Finding::new("MLSC-PKL-001", Severity::Critical, "dangerous callable", "`posix.system` is invoked")
///         .at(Location::file("model.pkl").at_offset(30)),
/// );
/// report.finish();
/// assert!(report.fails(Severity::Medium));
/// assert_eq!(report.statistics.by_severity.critical, 1);
/// let json = serde_json::to_value(&report).unwrap();
/// assert_eq!(json["findings"][0]["code"], "MLSC-PKL-001");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// The version of this JSON shape, [`REPORT_SCHEMA_VERSION`].
    pub schema_version: String,
    /// The tool and its version.
    pub tool: Tool,
    /// The command that made the report: `scan`, `deps`, `card`, `verify`, `audit`, …
    pub command: String,
    /// The artefacts analysed, in a deterministic order.
    pub artifacts: Vec<Artifact>,
    /// The findings, in a deterministic order.
    pub findings: Vec<Finding>,
    /// Inputs that could not be analysed.
    pub errors: Vec<ReportError>,
    /// Counters.
    pub statistics: Statistics,
}

impl Report {
    /// An empty report for `command`, made by this version of mlsc.
    pub fn new(command: impl Into<String>) -> Self {
        Report {
            schema_version: REPORT_SCHEMA_VERSION.to_owned(),
            tool: Tool::default(),
            command: command.into(),
            artifacts: Vec::new(),
            findings: Vec::new(),
            errors: Vec::new(),
            statistics: Statistics::default(),
        }
    }

    /// Adds a finding.
    pub fn push_finding(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// Adds every finding of `findings`.
    pub fn extend_findings(&mut self, findings: impl IntoIterator<Item = Finding>) {
        self.findings.extend(findings);
    }

    /// Sorts artefacts and findings into their deterministic order (by path, then member chain, then offset and
    /// line, then code) and recounts the statistics that derive from them.
    pub fn finish(&mut self) {
        self.artifacts.sort_by(|a, b| a.path.cmp(&b.path));
        self.findings.sort_by(|a, b| {
            let la = &a.location;
            let lb = &b.location;
            (
                &la.path,
                &la.members,
                la.line,
                la.offset,
                &a.code,
                &a.message,
            )
                .cmp(&(
                    &lb.path,
                    &lb.members,
                    lb.line,
                    lb.offset,
                    &b.code,
                    &b.message,
                ))
        });
        let mut counts = SeverityCounts::default();
        for f in &self.findings {
            counts.add(f.severity);
        }
        self.statistics.by_severity = counts;
        if self.statistics.files == 0 {
            self.statistics.files = self.artifacts.len() as u64;
        }
    }

    /// The highest severity among the findings.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    /// The verdict on the whole report: every artefact's verdict merged.
    pub fn verdict(&self) -> Verdict {
        self.artifacts
            .iter()
            .fold(Verdict::CLEAN, |v, a| v.merge(a.verdict))
    }

    /// True when the report should make a command exit 1 at threshold `fail_on`: a finding at or above it, or an
    /// artefact whose analysis was not complete (what was not analysed is never clean).
    pub fn fails(&self, fail_on: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= fail_on)
            || self
                .artifacts
                .iter()
                .any(|a| a.verdict.completeness != Completeness::Complete)
    }
}
