//! Findings: what a check found, how bad it is, and where.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How bad a finding is, from `info` to `critical`.
///
/// Severities are ordered, so `--fail-on medium` means "any finding with `severity >= Severity::Medium`".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never a problem on its own.
    Info,
    /// A weakness or hygiene problem.
    Low,
    /// Suspicious or unverifiable: needs a human look.
    Medium,
    /// Likely dangerous.
    High,
    /// Code execution or an equivalent compromise on load.
    Critical,
}

impl Severity {
    /// Every severity, lowest first.
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The lowercase name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error returned when a string names no severity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown severity `{0}` (expected info, low, medium, high or critical)")]
pub struct ParseSeverityError(String);

impl FromStr for Severity {
    type Err = ParseSeverityError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| ParseSeverityError(s.to_owned()))
    }
}

/// Where a finding is: a file, the chain of archive members inside it, and a byte offset or a line.
///
/// Displayed as `model.pt!archive/data.pkl@1234` or `requirements.txt:12`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Location {
    /// The file as the user named it (or as found under a directory the user named).
    pub path: String,
    /// Archive members from the outermost inwards: `["archive/data.pkl"]` for a PyTorch zip member.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// Byte offset inside the innermost member (or the file when there are no members).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// 1-based line inside the innermost member or file, for text formats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// A structured path inside a document, such as `model-index[0].results[0].dataset.config`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

impl Location {
    /// A location naming a whole file.
    pub fn file(path: impl Into<String>) -> Self {
        Location {
            path: path.into(),
            ..Location::default()
        }
    }

    /// This location, inside archive member `member`.
    #[must_use]
    pub fn member(mut self, member: impl Into<String>) -> Self {
        self.members.push(member.into());
        self.offset = None;
        self.line = None;
        self
    }

    /// This location at byte `offset`.
    #[must_use]
    pub fn at_offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }

    /// This location at 1-based line `line`.
    #[must_use]
    pub fn at_line(mut self, line: u32) -> Self {
        self.line = Some(line);
        self
    }

    /// This location at the structured path `pointer` inside the document.
    #[must_use]
    pub fn at_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    /// The file and member chain without offset or line: `model.pt!archive/data.pkl`.
    pub fn object(&self) -> String {
        let mut s = self.path.clone();
        for m in &self.members {
            s.push('!');
            s.push_str(m);
        }
        s
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.object())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(offset) = self.offset {
            write!(f, "@{offset}")?;
        }
        if let Some(pointer) = &self.pointer {
            write!(f, " ({pointer})")?;
        }
        Ok(())
    }
}

/// One thing a check found.
///
/// Findings are built from the [`Rule`] that describes their code ([`Rule::finding`]), so the code, the title and
/// the description SARIF needs travel together:
///
/// ```
/// use mlsc_core::{Location, Rule, Severity};
///
/// const DANGEROUS_CALLABLE: Rule = Rule::new("MLSC-PKL-001", "dangerous-callable", Severity::Critical, "dangerous callable")
///     .with_summary("Loading the pickle invokes a deny-listed callable");
///
/// let f = DANGEROUS_CALLABLE
///     .finding("`posix.system` is invoked")
///     .at(Location::file("model.pt").member("archive/data.pkl").at_offset(42))
///     .with_evidence("posix.system('id')");
/// assert_eq!(f.code, "MLSC-PKL-001");
/// assert_eq!(f.location.to_string(), "model.pt!archive/data.pkl@42");
/// assert_eq!(f.rule.map(|r| r.summary), Some("Loading the pickle invokes a deny-listed callable"));
/// ```
///
/// [`Finding::new`] builds one from loose strings, for embedders with codes of their own; such a finding has no
/// [`rule`](Finding::rule), and SARIF describes its code by its title.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Finding {
    /// A stable identifier such as `MLSC-PKL-001`: scripts may rely on it.
    pub code: String,
    /// How bad it is.
    pub severity: Severity,
    /// A short title, the same for every finding with this code.
    pub title: String,
    /// What was found, in one sentence specific to this occurrence.
    pub message: String,
    /// Where it was found.
    pub location: Location,
    /// The bytes, names or call chain that show it, when there are any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// The rule that describes `code`, when the finding was built from one ([`Rule::finding`]). Not part of the
    /// JSON (a report read back from JSON has none) nor of equality: it describes the code, it adds nothing to it.
    #[serde(skip)]
    pub rule: Option<&'static Rule>,
}

/// Findings are equal when everything the JSON says is equal; [`Finding::rule`] only describes the code.
impl PartialEq for Finding {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
            && self.severity == other.severity
            && self.title == other.title
            && self.message == other.message
            && self.location == other.location
            && self.evidence == other.evidence
    }
}

impl Eq for Finding {}

impl Finding {
    /// A finding with no location yet (see [`Finding::at`]) and no [`rule`](Finding::rule).
    ///
    /// Prefer [`Rule::finding`] for codes declared as rules: the title then cannot drift from the code, and SARIF
    /// output describes the rule without being told about it.
    pub fn new(
        code: impl Into<String>,
        severity: Severity,
        title: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            code: code.into(),
            severity,
            title: title.into(),
            message: message.into(),
            location: Location::default(),
            evidence: None,
            rule: None,
        }
    }

    /// This finding at `location`.
    #[must_use]
    pub fn at(mut self, location: Location) -> Self {
        self.location = location;
        self
    }

    /// This finding with `evidence`.
    #[must_use]
    pub fn with_evidence(mut self, evidence: impl Into<String>) -> Self {
        self.evidence = Some(evidence.into());
        self
    }
}

/// The description of a finding code, declared once as a constant by the crate that owns the code; findings are
/// built from it ([`Rule::finding`], [`Rule::finding_at`]), and SARIF `rules`, `mlsc rule CODE` and `docs/rules.md`
/// are rendered from the same constants.
///
/// Every mlsc library declares its rules the same way: one `pub const` per code in its `rules` module, named after
/// the rule's [`name`](Rule::name) in upper snake case (`not-a-model-format` is `NOT_A_MODEL_FORMAT`), and a `RULES`
/// slice listing them all. Codes never change meaning.
///
/// ```
/// use mlsc_core::{Rule, Severity};
///
/// /// `MLSC-X-001`: a file too large to check.
/// pub const TOO_LARGE: Rule = Rule::new("MLSC-X-001", "too-large", Severity::Medium, "too large")
///     .with_summary("The file is larger than the size limit; it was not checked")
///     .with_tags(&["cwe:400"]);
///
/// let f = TOO_LARGE.finding_at(Severity::High, "12 GB over a 10 GB limit");
/// assert_eq!((f.code.as_str(), f.title.as_str(), f.severity), ("MLSC-X-001", "too large", Severity::High));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rule {
    /// The stable code, `MLSC-PKL-001`.
    pub code: &'static str,
    /// A short name in kebab case, `dangerous-callable`.
    pub name: &'static str,
    /// The title every finding with this code carries, `dangerous callable invoked`.
    pub title: &'static str,
    /// The severity findings with this code have unless a message says otherwise.
    pub default_severity: Severity,
    /// One sentence saying what the rule detects.
    pub summary: &'static str,
    /// Taxonomy tags: OWASP ML Top 10 (`owasp-ml:ML06`), MITRE ATLAS (`atlas:AML.T0010`), CWE (`cwe:502`).
    pub tags: &'static [&'static str],
}

impl Rule {
    /// A rule with no summary and no tags yet (see [`Rule::with_summary`] and [`Rule::with_tags`]).
    pub const fn new(
        code: &'static str,
        name: &'static str,
        default_severity: Severity,
        title: &'static str,
    ) -> Rule {
        Rule {
            code,
            name,
            title,
            default_severity,
            summary: "",
            tags: &[],
        }
    }

    /// This rule with the one-sentence `summary` of what it detects.
    #[must_use]
    pub const fn with_summary(mut self, summary: &'static str) -> Rule {
        self.summary = summary;
        self
    }

    /// This rule with taxonomy `tags`.
    #[must_use]
    pub const fn with_tags(mut self, tags: &'static [&'static str]) -> Rule {
        self.tags = tags;
        self
    }

    /// A finding of this rule at its default severity, with no location yet (see [`Finding::at`]).
    pub fn finding(&'static self, message: impl Into<String>) -> Finding {
        self.finding_at(self.default_severity, message)
    }

    /// A finding of this rule at `severity`, for codes whose severity depends on the case.
    pub fn finding_at(&'static self, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            code: self.code.to_owned(),
            severity,
            title: self.title.to_owned(),
            message: message.into(),
            location: Location::default(),
            evidence: None,
            rule: Some(self),
        }
    }
}
