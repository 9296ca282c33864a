//! The human rendering of an audit: the verdict and its reasons first, a section per check, then what was skipped
//! and the policy applied.

use std::fmt::Write as _;

// The finding lines and styles are mlsc-core's, so `mlsc audit` looks like the other commands.
use mlsc_core::render::{Style, write_finding};

use crate::{AuditReport, CheckSection, Outcome};

/// The outcome as `label` (already cased and padded), in the colour of the severities it stands for.
fn paint_outcome(color: bool, o: Outcome, label: &str) -> String {
    let code = match o {
        Outcome::Fail => "1;31",
        Outcome::Warn => "33",
        Outcome::Pass => "32",
    };
    if color {
        format!("\x1b[{code}m{label}\x1b[0m")
    } else {
        label.to_owned()
    }
}

/// Severity counts as `1 critical, 2 low`; `none` when there are none.
pub(crate) fn counts(c: &mlsc_core::SeverityCounts) -> String {
    let parts: Vec<String> = [
        (c.critical, "critical"),
        (c.high, "high"),
        (c.medium, "medium"),
        (c.low, "low"),
        (c.info, "info"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, s)| format!("{n} {s}"))
    .collect();
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

fn section(out: &mut String, s: &CheckSection, style: Style, color: bool, quiet: bool) {
    let _ = writeln!(
        out,
        "{} {} ({})  {}",
        style.bold("==="),
        style.bold(s.check.title()),
        s.check.as_str(),
        paint_outcome(color, s.outcome, s.outcome.as_str())
    );
    if !quiet {
        if !s.summary.is_empty() {
            let _ = writeln!(out, "  {}", s.summary);
        }
        for fact in &s.facts {
            let _ = writeln!(
                out,
                "  {} {}",
                style.dim(&format!("{}:", fact.label)),
                fact.value
            );
        }
    }
    for f in &s.findings {
        if quiet && f.severity == mlsc_core::Severity::Info {
            continue;
        }
        write_finding(out, f, style);
    }
    for e in &s.errors {
        match &e.path {
            Some(p) => {
                let _ = writeln!(out, "  error: `{p}`: {}", e.message);
            }
            None => {
                let _ = writeln!(out, "  error: {}", e.message);
            }
        }
    }
}

/// What the verdict means for the exit status, in one sentence: `fail` exits 1, `warn` and `pass` exit 0.
pub(crate) fn verdict_meaning(report: &AuditReport) -> String {
    let p = &report.policy;
    let source = match p.fail_on_source {
        "--fail-on" => "--fail-on",
        "mlsc.toml" => "policy.fail_on of mlsc.toml",
        _ => "the default policy.fail_on",
    };
    match report.verdict {
        Outcome::Fail => format!(
            "fail (exit status 1): a reason at or above `{}` ({source}), a policy rule broken, or a model file not analysed completely",
            p.fail_on
        ),
        Outcome::Warn => format!(
            "warn (exit status 0): every reason is below `{}` ({source}); pass --fail-on {} or lower to make them fail",
            p.fail_on,
            report
                .reasons
                .iter()
                .map(|r| r.severity)
                .max()
                .unwrap_or(mlsc_core::Severity::Low)
        ),
        Outcome::Pass => "pass (exit status 0)".to_owned(),
    }
}

/// Renders `report` for a terminal, in colour when `color`.
pub(crate) fn human(report: &AuditReport, color: bool, quiet: bool) -> String {
    let style = Style::new(color);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} `{}`: {}",
        style.bold("mlsc audit"),
        report.target,
        paint_outcome(
            color,
            report.verdict,
            &report.verdict.as_str().to_uppercase()
        )
    );
    if report.reasons.is_empty() {
        let _ = writeln!(out, "  every applicable check passed under the policy");
    } else {
        let _ = writeln!(out, "  {}", style.dim(&verdict_meaning(report)));
    }
    for r in &report.reasons {
        let _ = writeln!(
            out,
            "  {} {} {:<7}{}{}",
            paint_outcome(color, r.outcome, r.outcome.as_str()),
            style.severity(r.severity),
            r.check.as_str(),
            r.code
                .as_deref()
                .map(|c| format!("{} ", style.dim(c)))
                .unwrap_or_default(),
            r.message
        );
    }
    let _ = writeln!(out);
    for s in &report.checks {
        section(&mut out, s, style, color, quiet);
        let _ = writeln!(out);
    }
    if !report.skipped.is_empty() {
        let _ = writeln!(out, "{} {}", style.bold("==="), style.bold("Skipped"));
        for s in &report.skipped {
            let _ = writeln!(
                out,
                "  {}{}: {}",
                s.check.as_str(),
                if s.gap { " (gap)" } else { "" },
                s.reason
            );
        }
        let _ = writeln!(out);
    }
    if !quiet {
        let p = &report.policy;
        let _ = writeln!(
            out,
            "{} {}; fail on {} and above ({}), warn on {} and above; commercial product: {}; signature required: {}{}",
            style.bold("policy:"),
            p.config
                .as_deref()
                .map(|c| format!("`{c}`"))
                .unwrap_or_else(|| "built-in defaults (no mlsc.toml)".to_owned()),
            p.fail_on,
            p.fail_on_source,
            p.warn_on,
            if p.commercial { "yes" } else { "no" },
            if p.require_signature { "yes" } else { "no" },
            p.min_card_score
                .map(|m| format!("; minimum card score {m:.0}"))
                .unwrap_or_default(),
        );
        let r = &report.report;
        let _ = writeln!(
            out,
            "{} verdict {}: {} reason(s); {} file(s) inventoried, {} artefact(s) analysed; findings: {}; {} error(s)",
            style.bold("summary:"),
            report.verdict.as_str(),
            report.reasons.len(),
            report.inventory.files,
            r.artifacts.len(),
            counts(&r.statistics.by_severity),
            r.errors.len(),
        );
    }
    out
}
