//! Reporters and terminal output: the only place that prints.

use std::io::{IsTerminal, Write};

use mlsc_core::{Assessment, Completeness, Report, Severity, sarif};

use crate::args::{ColorChoice, GlobalArgs, OutputFormat};

/// True when colour should be used on stdout.
pub(crate) fn use_color(global: &GlobalArgs) -> bool {
    match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            global.output.is_none()
                && !dumb_terminal()
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

/// The folder `--output` goes into (`.` for a bare file name).
fn output_dir(path: &std::path::Path) -> std::path::PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => std::path::PathBuf::from("."),
    }
}

/// Checks that `--output` can be written, before any work starts: a missing folder found after minutes of
/// scanning wastes the minutes. Errors name the user's path.
pub(crate) fn check_output(global: &GlobalArgs) -> anyhow::Result<()> {
    let Some(path) = &global.output else {
        return Ok(());
    };
    let dir = output_dir(path);
    match std::fs::metadata(&dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => anyhow::bail!(
            "cannot write `{}`: `{}` is not a folder",
            path.display(),
            dir.display()
        ),
        Err(e) => anyhow::bail!(
            "cannot write `{}`: folder `{}`: {}",
            path.display(),
            dir.display(),
            io_reason(&e)
        ),
    }
    if path.is_dir() {
        anyhow::bail!("cannot write `{}`: it is a folder", path.display());
    }
    Ok(())
}

/// Fails with "no such file or directory: PATH" when `path` does not exist, before a library reports it in its
/// own words ("failed to query resolved metadata").
pub(crate) fn require_exists(path: &std::path::Path) -> anyhow::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            anyhow::bail!("no such file or directory: {}", path.display())
        }
        Err(e) => anyhow::bail!("cannot read `{}`: {}", path.display(), io_reason(&e)),
    }
}

/// True when the terminal says it cannot show colour (`TERM=dumb`, as Emacs shells and some CI logs set).
fn dumb_terminal() -> bool {
    std::env::var_os("TERM").is_some_and(|t| t == "dumb")
}

/// An I/O error's reason without the paths a library may append (tempfile names its internal file).
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        kind => kind.to_string(),
    }
}

/// Writes `content` to `--output` atomically (a temporary file in the same folder, then a rename), or to stdout.
///
/// A new file gets the mode the umask gives (0644 under umask 0022), as `>` in a shell would; an existing file
/// keeps its mode. tempfile alone would make every output 0600.
pub(crate) fn write_output(global: &GlobalArgs, content: &[u8]) -> anyhow::Result<()> {
    match &global.output {
        Some(path) => write_file(path, content),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(content)?;
            out.flush()?;
            Ok(())
        }
    }
}

/// Writes `content` to `path` atomically, with the mode rules of [`write_output`].
pub(crate) fn write_file(path: &std::path::Path, content: &[u8]) -> anyhow::Result<()> {
    let dir = output_dir(path);
    let cannot =
        |e: &std::io::Error| anyhow::anyhow!("cannot write `{}`: {}", path.display(), io_reason(e));
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // The kernel applies the umask to this mode when it creates the file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(&dir).map_err(|e| cannot(&e))?;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.is_file()
    {
        tmp.as_file()
            .set_permissions(meta.permissions())
            .map_err(|e| cannot(&e))?;
    }
    tmp.write_all(content).map_err(|e| cannot(&e))?;
    tmp.persist(path).map_err(|e| cannot(&e.error))?;
    Ok(())
}

/// Renders a report in the chosen format and writes it.
pub(crate) fn emit_report(global: &GlobalArgs, report: &Report) -> anyhow::Result<()> {
    let text = match global.format {
        OutputFormat::Json => {
            let mut s = serde_json::to_string_pretty(report)?;
            s.push('\n');
            s
        }
        OutputFormat::Sarif => {
            let mut s = serde_json::to_string_pretty(&sarif::to_sarif(report))?;
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

/// One finding line (and its evidence), as every human report prints it.
pub(crate) fn write_finding(out: &mut String, f: &mlsc_core::Finding, style: Style) {
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
            !dumb_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
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
