//! Reporters and terminal output: the only place that prints.

use std::io::{IsTerminal, Write};

pub(crate) use mlsc_core::render::{Style, human};
use mlsc_core::{Report, Rule, sarif};

use clap::ValueEnum as _;

use crate::args::{ColorChoice, GlobalArgs, OutputFormat};

/// True when colour should be used on stdout.
pub(crate) fn use_color(global: &GlobalArgs) -> bool {
    color(
        global,
        global.output.is_none() && std::io::stdout().is_terminal(),
    )
}

/// `--color`, with `auto` meaning colour on a terminal (`terminal`) unless `NO_COLOR` is set or `TERM=dumb` (as
/// Emacs shells and some CI logs set).
fn color(global: &GlobalArgs, terminal: bool) -> bool {
    match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            terminal
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Checks that `--output` can be written, before any work starts: a missing folder found after minutes of
/// scanning wastes the minutes. Errors name the user's path.
pub(crate) fn check_output(global: &GlobalArgs) -> anyhow::Result<()> {
    let Some(path) = &global.output else {
        return Ok(());
    };
    let dir = mlsc_core::parent_dir(path);
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

/// Writes `content` to `path` atomically, with the mode rules of [`write_output`]; errors name `path`, never the
/// temporary file.
pub(crate) fn write_file(path: &std::path::Path, content: &[u8]) -> anyhow::Result<()> {
    mlsc_core::write_atomic(path, content)
        .map_err(|e| anyhow::anyhow!("cannot write `{}`: {}", path.display(), io_reason(&e)))
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

/// The name `--format` takes for `f`.
pub(crate) fn format_name(f: OutputFormat) -> String {
    f.to_possible_value()
        .map_or_else(String::new, |v| v.get_name().to_owned())
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
    let color = color(global, std::io::stderr().is_terminal());
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
