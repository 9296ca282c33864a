//! The human rendering of a [`Report`]: one line per finding grouped by file, then errors, then a summary.
//!
//! Every mlsc command that prints words (and every embedder that wants the same words) renders findings through
//! [`write_finding`], so a finding looks the same in `mlsc scan`, `mlsc card lint` and `mlsc audit`. Colour is a
//! [`Style`]: ANSI escapes when on, plain text when off; deciding when to colour (a terminal, `NO_COLOR`,
//! `TERM=dumb`) is the caller's business.
//!
//! ```
//! use mlsc_core::render::{Style, human};
//! use mlsc_core::{Finding, Location, Report, Severity};
//!
//! let mut report = Report::new("scan");
//! report.extend_findings([Finding::new(
//!     "MLSC-PKL-001",
//!     Severity::Critical,
//!     "dangerous-callable",
//!     "calls `os.system`",
//! )
//! .at(Location::file("model.pkl"))]);
//! report.finish();
//! let text = human(&report, Style::plain(), false);
//! assert!(text.contains("critical MLSC-PKL-001 model.pkl  calls `os.system`"));
//! assert!(text.ends_with("0 error(s)\n"));
//! ```

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::{Assessment, Completeness, Finding, Report, Severity, Verdict};

/// ANSI styling that collapses to nothing without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    color: bool,
}

impl Style {
    /// Styling with ANSI colour when `color`, plain text otherwise.
    pub fn new(color: bool) -> Self {
        Style { color }
    }

    /// Plain text: no escapes at all.
    pub fn plain() -> Self {
        Style { color: false }
    }

    /// True when this style writes ANSI escapes.
    pub fn is_color(self) -> bool {
        self.color
    }

    /// `text` wrapped in the SGR sequence `code` (`"1;31"` is bold red), or `text` itself without colour.
    pub fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// Bold.
    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    /// Dim (faint).
    pub fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }

    /// A severity padded to 8 columns, in its colour (critical bold red, high red, medium yellow, low cyan,
    /// info dim).
    pub fn severity(self, severity: Severity) -> String {
        let code = match severity {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.paint(code, &format!("{:<8}", severity.as_str()))
    }

    /// A verdict in words, in its colour (malicious red, suspicious yellow, clean green, clean but incomplete
    /// magenta: fail closed, it is not clean).
    pub fn verdict(self, verdict: Verdict) -> String {
        let code = match (verdict.assessment, verdict.completeness) {
            (Assessment::Malicious, _) => "1;31",
            (Assessment::Suspicious, _) => "33",
            (Assessment::Clean, Completeness::Complete) => "32",
            (Assessment::Clean, _) => "35",
        };
        self.paint(code, &verdict.to_string())
    }
}

/// Appends one finding line (`  SEVERITY CODE LOCATION  MESSAGE`) and its evidence line, if any, to `out`.
pub fn write_finding(out: &mut String, f: &Finding, style: Style) {
    let _ = writeln!(
        out,
        "  {} {} {}  {}",
        style.severity(f.severity),
        style.dim(&f.code),
        f.location,
        f.message
    );
    if let Some(e) = &f.evidence {
        let _ = writeln!(out, "      {} {}", style.dim("evidence:"), e);
    }
}

/// Renders `report` in words: each artefact with findings (or not clean) with its format and verdict and its
/// findings; findings about other paths (a requirements line, a card field) grouped by path; errors; and, unless
/// `quiet`, a summary line of verdicts and severities (for `scan` reports, also the bytes read).
///
/// With `quiet`, artefacts without findings are left out even when not clean, and there is no summary.
pub fn human(report: &Report, style: Style, quiet: bool) -> String {
    let mut out = String::new();
    let mut shown = BTreeSet::new();
    for artifact in &report.artifacts {
        let findings: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.location.path == artifact.path)
            .collect();
        if findings.is_empty() && (quiet || artifact.verdict.is_clean()) {
            continue;
        }
        shown.insert(artifact.path.clone());
        let _ = writeln!(
            out,
            "{}  {}  {}",
            style.bold(&format!("`{}`", artifact.path)),
            style.dim(artifact.format.as_str()),
            style.verdict(artifact.verdict)
        );
        for f in findings {
            write_finding(&mut out, f, style);
        }
    }
    // Findings about paths that are not artefacts (a requirements line, a card field) still get printed.
    let mut rest: Vec<_> = report
        .findings
        .iter()
        .filter(|f| {
            !shown.contains(&f.location.path)
                && !report.artifacts.iter().any(|a| a.path == f.location.path)
        })
        .collect();
    rest.sort_by(|a, b| a.location.path.cmp(&b.location.path));
    let mut last: Option<&str> = None;
    for f in rest {
        if last != Some(f.location.path.as_str()) {
            let _ = writeln!(out, "{}", style.bold(&format!("`{}`", f.location.path)));
            last = Some(f.location.path.as_str());
        }
        write_finding(&mut out, f, style);
    }
    for e in &report.errors {
        match &e.path {
            Some(p) => {
                let _ = writeln!(out, "error: `{p}`: {}", e.message);
            }
            None => {
                let _ = writeln!(out, "error: {}", e.message);
            }
        }
    }
    if !quiet {
        let c = report.statistics.by_severity;
        let count = |pred: fn(&Verdict) -> bool| {
            report.artifacts.iter().filter(|a| pred(&a.verdict)).count()
        };
        let _ = writeln!(
            out,
            "{} {} scanned: {} clean, {} malicious, {} suspicious, {} not fully analysed; findings: {} critical, {} high, {} medium, {} low, {} info; {} error(s)",
            style.bold("summary:"),
            report.artifacts.len(),
            count(|v| v.is_clean()),
            count(|v| v.assessment == Assessment::Malicious),
            count(|v| v.assessment == Assessment::Suspicious),
            count(|v| v.completeness != Completeness::Complete),
            c.critical,
            c.high,
            c.medium,
            c.low,
            c.info,
            report.errors.len(),
        );
        // Scans say what they cost: a remote 1 GiB checkpoint is judged from a few hundred KiB.
        if report.command == "scan"
            && let Some(total) = report.statistics.input_bytes
        {
            out.pop();
            let _ = writeln!(
                out,
                "; read {} of {total} bytes",
                report.statistics.bytes_read
            );
        }
    }
    out
}

/// `n` things in words: `no findings`, `1 finding`, `17 findings` (for `plural(n, "finding")`).
pub fn plural(n: usize, one: &str) -> String {
    match n {
        0 => format!("no {one}s"),
        1 => format!("1 {one}"),
        _ => format!("{n} {one}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Artifact, Format, Location, ReportError};

    fn finding(path: &str, severity: Severity) -> Finding {
        Finding::new("MLSC-TEST-001", severity, "test", "something odd").at(Location::file(path))
    }

    #[test]
    fn plain_style_writes_no_escapes_and_color_does() {
        let f = finding("a.pkl", Severity::High);
        let mut plain = String::new();
        write_finding(&mut plain, &f, Style::plain());
        assert_eq!(plain, "  high     MLSC-TEST-001 a.pkl  something odd\n");
        let mut color = String::new();
        write_finding(&mut color, &f, Style::new(true));
        assert!(color.contains("\x1b[31mhigh    \x1b[0m"), "{color:?}");
        assert!(color.contains("\x1b[2mMLSC-TEST-001\x1b[0m"), "{color:?}");
    }

    #[test]
    fn human_groups_by_artifact_then_other_paths_then_errors_then_summary() {
        let mut report = Report::new("scan");
        report
            .artifacts
            .push(Artifact::new("clean.safetensors", 10, Format::Safetensors));
        let mut bad = Artifact::new("bad.pkl", 10, Format::Pickle);
        bad.verdict = Verdict::new(Completeness::Complete, Assessment::Malicious);
        report.artifacts.push(bad);
        report.extend_findings([
            finding("bad.pkl", Severity::Critical),
            finding("requirements.txt", Severity::Low),
        ]);
        report
            .errors
            .push(ReportError::new(Some("gone.bin".into()), "no such file"));
        report.finish();
        let text = human(&report, Style::plain(), false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "`bad.pkl`  pickle  malicious", "{text}");
        assert!(
            lines[1].contains("critical MLSC-TEST-001 bad.pkl"),
            "{text}"
        );
        assert_eq!(lines[2], "`requirements.txt`");
        assert_eq!(lines[4], "error: `gone.bin`: no such file");
        assert!(
            lines[5].starts_with("summary: 2 scanned: 1 clean, 1 malicious"),
            "{text}"
        );
        assert!(!text.contains("clean.safetensors"), "{text}");
        let quiet = human(&report, Style::plain(), true);
        assert!(!quiet.contains("summary:"), "{quiet}");
    }

    #[test]
    fn plural_words() {
        assert_eq!(plural(0, "card"), "no cards");
        assert_eq!(plural(1, "card"), "1 card");
        assert_eq!(plural(17, "finding"), "17 findings");
    }
}
