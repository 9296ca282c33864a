//! Reporters and terminal output: the only place that prints.

use std::io::{IsTerminal, Write};

use anyhow::Context;
use mlsc_core::{Assessment, Completeness, Report, Rule, Severity, sarif};

use crate::args::{ColorChoice, GlobalArgs, OutputFormat};

/// True when colour should be used on stdout.
pub(crate) fn use_color(global: &GlobalArgs) -> bool {
    match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            global.output.is_none()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// ANSI styling that collapses to nothing without colour.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    color: bool,
}

impl Style {
    pub(crate) fn new(color: bool) -> Self {
        Style { color }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    pub(crate) fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    pub(crate) fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }

    pub(crate) fn severity(self, severity: Severity) -> String {
        let code = match severity {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.paint(code, &format!("{:<8}", severity.as_str()))
    }

    pub(crate) fn verdict(self, verdict: mlsc_core::Verdict) -> String {
        let code = match (verdict.assessment, verdict.completeness) {
            (Assessment::Malicious, _) => "1;31",
            (Assessment::Suspicious, _) => "33",
            (Assessment::Clean, Completeness::Complete) => "32",
            (Assessment::Clean, _) => "35",
        };
        self.paint(code, &verdict.to_string())
    }
}

/// Writes `content` to `--output` atomically (a temporary file in the same folder, then a rename), or to stdout.
pub(crate) fn write_output(global: &GlobalArgs, content: &[u8]) -> anyhow::Result<()> {
    match &global.output {
        Some(path) => {
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
                _ => std::path::PathBuf::from("."),
            };
            let mut tmp = tempfile::NamedTempFile::new_in(&dir).with_context(|| {
                format!("cannot create a temporary file in `{}`", dir.display())
            })?;
            tmp.write_all(content)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            tmp.persist(path)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            Ok(())
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(content)?;
            out.flush()?;
            Ok(())
        }
    }
}

/// Renders a report in the chosen format and writes it.
pub(crate) fn emit_report(
    global: &GlobalArgs,
    report: &Report,
    rules: &[Rule],
) -> anyhow::Result<()> {
    let text = match global.format {
        OutputFormat::Json => {
            let mut s = serde_json::to_string_pretty(report)?;
            s.push('\n');
            s
        }
        OutputFormat::Sarif => {
            let mut s = serde_json::to_string_pretty(&sarif::to_sarif(report, rules))?;
            s.push('\n');
            s
        }
        OutputFormat::Human => human(report, Style::new(use_color(global)), global.quiet),
        other => anyhow::bail!(
            "`--format {}` is not available for `mlsc {}`: use human, json or sarif",
            format_name(other),
            report.command
        ),
    };
    write_output(global, text.as_bytes())
}

pub(crate) fn format_name(f: OutputFormat) -> &'static str {
    match f {
        OutputFormat::Human => "human",
        OutputFormat::Json => "json",
        OutputFormat::Sarif => "sarif",
        OutputFormat::Markdown => "markdown",
        OutputFormat::Html => "html",
        OutputFormat::Cyclonedx => "cyclonedx",
        OutputFormat::Jsonl => "jsonl",
    }
}

/// The human rendering: findings grouped by file, one line each, then errors, then a summary.
pub(crate) fn human(report: &Report, style: Style, quiet: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let mut shown = std::collections::BTreeSet::new();
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
        let count = |pred: fn(&mlsc_core::Verdict) -> bool| {
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

fn write_finding(out: &mut String, f: &mlsc_core::Finding, style: Style) {
    use std::fmt::Write as _;
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

/// True when `err` is a closed pipe (`mlsc scan … | head`): that is not a failure.
pub(crate) fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints an error and its causes on stderr.
#[allow(clippy::print_stderr)] // the CLI is where diagnostics are printed
pub(crate) fn error(global: &GlobalArgs, err: &anyhow::Error) {
    let color = match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    };
    let prefix = if color {
        "\x1b[1;31merror\x1b[0m"
    } else {
        "error"
    };
    let mut msg = err.to_string();
    for cause in err.chain().skip(1) {
        msg.push_str(": ");
        msg.push_str(&cause.to_string());
    }
    eprintln!("{prefix}: {msg}");
}
