//! The Markdown rendering: for a ticket, a pull request comment or a review document. GitHub-flavoured tables;
//! every piece of text that comes from the audited files is escaped, so a hostile file name or card field cannot
//! inject links, HTML or table cells.

use std::fmt::Write as _;

use mlsc_core::Finding;

use crate::render::counts;
use crate::{AuditReport, CheckSection};

/// Escapes text for a Markdown table cell or paragraph: HTML-significant characters become entities, Markdown
/// punctuation is backslash-escaped, line breaks become spaces.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

struct Md;

impl crate::findings::Markup for Md {
    fn open(&self, out: &mut String) {
        let _ = writeln!(out, "| Severity | Code | Where | Finding |");
        let _ = writeln!(out, "|---|---|---|---|");
    }

    fn file_row(&self, out: &mut String, file: &str, count: usize) {
        let _ = writeln!(
            out,
            "| **{}** | | | {count} finding{} |",
            escape(file),
            if count == 1 { "" } else { "s" }
        );
    }

    fn finding_row(&self, out: &mut String, f: &Finding, place: &str) {
        let mut message = escape(&f.message);
        if let Some(e) = &f.evidence {
            let _ = write!(message, "<br>evidence: {}", escape(e));
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            f.severity,
            escape(&f.code),
            if place.is_empty() {
                "file".to_owned()
            } else {
                escape(place)
            },
            message
        );
    }

    fn close(&self, _out: &mut String) {}
}

fn findings_table(out: &mut String, findings: &[Finding]) {
    crate::findings::findings_table(out, findings, &Md);
}

fn section(out: &mut String, s: &CheckSection) {
    let _ = writeln!(
        out,
        "## {} (`{}`): {}\n",
        s.check.title(),
        s.check.as_str(),
        s.outcome.as_str().to_uppercase()
    );
    if !s.summary.is_empty() {
        let _ = writeln!(out, "{}\n", escape(&s.summary));
    }
    if !s.facts.is_empty() {
        let _ = writeln!(out, "| | |\n|---|---|");
        for f in &s.facts {
            let _ = writeln!(out, "| {} | {} |", escape(&f.label), escape(&f.value));
        }
        let _ = writeln!(out);
    }
    if s.findings.is_empty() {
        let _ = writeln!(out, "No findings.\n");
    } else {
        let _ = writeln!(out, "Findings: {}.\n", counts(&s.by_severity));
        findings_table(out, &s.findings);
        let _ = writeln!(out);
    }
    for e in &s.errors {
        let _ = writeln!(
            out,
            "- **error**: {}{}",
            e.path
                .as_deref()
                .map(|p| format!("{}: ", escape(p)))
                .unwrap_or_default(),
            escape(&e.message)
        );
    }
    if !s.errors.is_empty() {
        let _ = writeln!(out);
    }
}

/// Renders `report` as Markdown.
pub(crate) fn markdown(report: &AuditReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# mlsc audit: {}\n", escape(&report.target));
    let _ = writeln!(
        out,
        "**Verdict: {}** ({} reason(s); findings: {})\n",
        report.verdict.as_str().to_uppercase(),
        report.reasons.len(),
        counts(&report.report.statistics.by_severity)
    );
    if report.reasons.is_empty() {
        let _ = writeln!(out, "Every applicable check passed under the policy.\n");
    } else {
        let _ = writeln!(out, "| Outcome | Severity | Check | Code | Reason |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for r in &report.reasons {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                r.outcome.as_str(),
                r.severity,
                r.check.as_str(),
                r.code.as_deref().map(escape).unwrap_or_default(),
                escape(&r.message)
            );
        }
        let _ = writeln!(out);
    }
    for s in &report.checks {
        section(&mut out, s);
    }
    if !report.skipped.is_empty() {
        let _ = writeln!(out, "## Skipped\n");
        for s in &report.skipped {
            let _ = writeln!(
                out,
                "- **{}**{}: {}",
                s.check.as_str(),
                if s.gap { " (gap in the audit)" } else { "" },
                escape(&s.reason)
            );
        }
        let _ = writeln!(out);
    }
    let p = &report.policy;
    let _ = writeln!(out, "## Policy applied\n");
    let _ = writeln!(
        out,
        "- configuration: {}",
        p.config
            .as_deref()
            .map(escape)
            .unwrap_or_else(|| "built-in defaults (no mlsc.toml)".to_owned())
    );
    let _ = writeln!(
        out,
        "- fail on `{}` and above, warn on `{}` and above",
        p.fail_on, p.warn_on
    );
    let _ = writeln!(
        out,
        "- commercial product: {}; signature required: {}; minimum card score: {}",
        if p.commercial { "yes" } else { "no" },
        if p.require_signature { "yes" } else { "no" },
        p.min_card_score
            .map(|m| format!("{m:.0}"))
            .unwrap_or_else(|| "none".to_owned())
    );
    for (what, lists) in [
        ("model", &p.model_licenses),
        ("dataset", &p.dataset_licenses),
        ("dependency", &p.dependency_licenses),
    ] {
        if !lists.allow.is_empty() || !lists.deny.is_empty() {
            let _ = writeln!(
                out,
                "- {what} licences: allow {}; deny {}",
                escape(&lists.allow.join(", ")),
                escape(&lists.deny.join(", "))
            );
        }
    }
    let inv = &report.inventory;
    let _ = writeln!(out, "\n## Inventory\n");
    let _ = writeln!(out, "- files: {}", inv.files);
    let _ = writeln!(out, "- model and data files: {}", inv.model_files.len());
    for (label, list) in [
        ("model cards", &inv.model_cards),
        ("dataset cards", &inv.dataset_cards),
        ("dependency files", &inv.dependency_files),
        ("environments", &inv.environments),
        ("signatures", &inv.signatures),
        ("DVC records", &inv.dvc),
        ("Croissant metadata", &inv.croissant),
    ] {
        let _ = writeln!(
            out,
            "- {label}: {}",
            if list.is_empty() {
                "none".to_owned()
            } else {
                escape(&list.join(", "))
            }
        );
    }
    if inv.truncated {
        let _ = writeln!(out, "- the walk stopped early (entry or depth limit)");
    }
    let _ = writeln!(
        out,
        "\n<sub>{} {}, report schema {}</sub>",
        report.tool.name, report.tool.version, report.schema_version
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_neutralises_markup() {
        assert_eq!(
            escape("a|b <script>x</script> [l](http://e) `c` *d*\nnext"),
            "a\\|b &lt;script&gt;x&lt;/script&gt; \\[l\\](http://e) \\`c\\` \\*d\\* next"
        );
    }
}
