//! The HTML rendering: one self-contained page (inline CSS, no scripts, no external resources), readable offline
//! and printable. Every piece of text is escaped; the page also carries a Content-Security-Policy that forbids
//! scripts and remote loads, so even an escaping bug could not make it fetch or run anything.

use std::fmt::Write as _;

use mlsc_core::{Finding, Severity};

use crate::render::counts;
use crate::{AuditReport, CheckSection, Outcome};

/// Escapes text for HTML element content and double- or single-quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--line:#d0d7de;--fail:#b42318;--warn:#9a6700;
--pass:#1a7f37;--chip:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#8d96a0;--line:#30363d;--fail:#ff7b72;
--warn:#d29922;--pass:#3fb950;--chip:#161b22}}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;
max-width:1100px;padding:24px}
h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.2em;margin:1.6em 0 .4em;border-bottom:1px solid var(--line);
padding-bottom:.2em}
td code.id{white-space:nowrap}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;margin:.4em 0 1em}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--chip)}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:700;color:#fff;text-transform:uppercase;
letter-spacing:.04em}
.badge.fail{background:var(--fail)}.badge.warn{background:var(--warn)}.badge.pass{background:var(--pass)}
.sev{font-weight:600}.sev.critical,.sev.high{color:var(--fail)}.sev.medium{color:var(--warn)}.sev.low,.sev.info{color:var(--muted)}
.muted{color:var(--muted)}
.evidence{display:block;color:var(--muted);white-space:pre-wrap}
footer{margin-top:2em;color:var(--muted);font-size:.85em}
@media print{.badge{color:#000;border:1px solid #000;background:none!important}}
";

fn badge(o: Outcome) -> String {
    format!("<span class=\"badge {0}\">{0}</span>", escape(o.as_str()))
}

fn sev(s: Severity) -> String {
    format!("<span class=\"sev {0}\">{0}</span>", s.as_str())
}

fn findings_table(out: &mut String, findings: &[Finding]) {
    out.push_str(
        "<table class=\"findings\"><thead><tr><th>Severity</th><th>Code</th><th>Location</th><th>Finding</th></tr>\
         </thead><tbody>\n",
    );
    for f in findings {
        let _ = write!(
            out,
            "<tr><td>{}</td><td><code class=\"id\">{}</code></td><td><code>{}</code></td><td>{}",
            sev(f.severity),
            escape(&f.code),
            escape(&f.location.to_string()),
            escape(&f.message)
        );
        if let Some(e) = &f.evidence {
            let _ = write!(out, "<span class=\"evidence mono\">{}</span>", escape(e));
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

fn section(out: &mut String, s: &CheckSection) {
    let _ = writeln!(
        out,
        "<section id=\"check-{0}\"><h2>{1} <span class=\"muted\">({0})</span> {2}</h2>",
        s.check.as_str(),
        escape(s.check.title()),
        badge(s.outcome)
    );
    if !s.summary.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(&s.summary));
    }
    if !s.facts.is_empty() {
        out.push_str("<table class=\"facts\"><tbody>\n");
        for f in &s.facts {
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                escape(&f.label),
                escape(&f.value)
            );
        }
        out.push_str("</tbody></table>\n");
    }
    if s.findings.is_empty() {
        out.push_str("<p class=\"muted\">No findings.</p>\n");
    } else {
        let _ = writeln!(out, "<p>Findings: {}.</p>", escape(&counts(&s.by_severity)));
        findings_table(out, &s.findings);
    }
    if !s.errors.is_empty() {
        out.push_str("<ul class=\"errors\">\n");
        for e in &s.errors {
            let _ = writeln!(
                out,
                "<li><strong>error</strong>: {}{}</li>",
                e.path
                    .as_deref()
                    .map(|p| format!("<code>{}</code>: ", escape(p)))
                    .unwrap_or_default(),
                escape(&e.message)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

/// Renders `report` as one HTML page.
pub(crate) fn html(report: &AuditReport) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let title = format!("mlsc audit: {}", report.target);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"{} {}\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
        escape(&report.tool.name),
        escape(&report.tool.version),
        escape(&title),
        CSS
    );
    let _ = writeln!(
        out,
        "<header><h1>mlsc audit: <code>{}</code></h1>\n<p id=\"verdict\">Verdict: {} — {} reason(s); findings: {}</p></header>",
        escape(&report.target),
        badge(report.verdict),
        report.reasons.len(),
        escape(&counts(&report.report.statistics.by_severity))
    );
    out.push_str("<main>\n<section id=\"reasons\"><h2>Reasons</h2>\n");
    if report.reasons.is_empty() {
        out.push_str("<p>Every applicable check passed under the policy.</p>\n");
    } else {
        out.push_str(
            "<table><thead><tr><th>Outcome</th><th>Severity</th><th>Check</th><th>Code</th><th>Reason</th></tr>\
             </thead><tbody>\n",
        );
        for r in &report.reasons {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td><a href=\"#check-{}\">{}</a></td><td><code class=\"id\">{}</code></td><td>{}</td></tr>",
                badge(r.outcome),
                sev(r.severity),
                r.check.as_str(),
                r.check.as_str(),
                r.code.as_deref().map(escape).unwrap_or_default(),
                escape(&r.message)
            );
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</section>\n");
    for s in &report.checks {
        section(&mut out, s);
    }
    if !report.skipped.is_empty() {
        out.push_str("<section id=\"skipped\"><h2>Skipped</h2>\n<ul>\n");
        for s in &report.skipped {
            let _ = writeln!(
                out,
                "<li><strong>{}</strong>{}: {}</li>",
                s.check.as_str(),
                if s.gap { " (gap in the audit)" } else { "" },
                escape(&s.reason)
            );
        }
        out.push_str("</ul>\n</section>\n");
    }
    let p = &report.policy;
    out.push_str("<section id=\"policy-applied\"><h2>Policy applied</h2>\n<ul>\n");
    let _ = writeln!(
        out,
        "<li>configuration: {}</li>",
        p.config
            .as_deref()
            .map(|c| format!("<code>{}</code>", escape(c)))
            .unwrap_or_else(|| "built-in defaults (no mlsc.toml)".to_owned())
    );
    let _ = writeln!(
        out,
        "<li>fail on {} and above, warn on {} and above</li>",
        sev(p.fail_on),
        sev(p.warn_on)
    );
    let _ = writeln!(
        out,
        "<li>commercial product: {}; signature required: {}; minimum card score: {}</li>",
        if p.commercial { "yes" } else { "no" },
        if p.require_signature { "yes" } else { "no" },
        p.min_card_score
            .map(|m| format!("{m:.0}"))
            .unwrap_or_else(|| "none".to_owned())
    );
    out.push_str("</ul>\n</section>\n");
    let inv = &report.inventory;
    out.push_str("<section id=\"inventory\"><h2>Inventory</h2>\n<table><tbody>\n");
    let _ = writeln!(
        out,
        "<tr><th scope=\"row\">files</th><td>{}</td></tr>",
        inv.files
    );
    let models: Vec<String> = inv
        .model_files
        .iter()
        .map(|m| format!("{} ({})", m.path, m.format))
        .collect();
    for (label, list) in [
        ("model and data files", &models),
        ("model cards", &inv.model_cards),
        ("dataset cards", &inv.dataset_cards),
        ("dependency files", &inv.dependency_files),
        ("environments", &inv.environments),
        ("signatures", &inv.signatures),
        ("DVC records", &inv.dvc),
        ("Croissant metadata", &inv.croissant),
    ] {
        let value = if list.is_empty() {
            "<span class=\"muted\">none</span>".to_owned()
        } else {
            list.iter()
                .map(|x| format!("<code>{}</code>", escape(x)))
                .collect::<Vec<_>>()
                .join("<br>")
        };
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{label}</th><td>{value}</td></tr>"
        );
    }
    out.push_str("</tbody></table>\n</section>\n</main>\n");
    let _ = writeln!(
        out,
        "<footer>{} {}, audit report schema {}</footer>\n</body>\n</html>",
        escape(&report.tool.name),
        escape(&report.tool.version),
        escape(&report.schema_version)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            escape("<img src=x onerror='a()'>&\"\u{7}"),
            "&lt;img src=x onerror=&#39;a()&#39;&gt;&amp;&quot;\u{fffd}"
        );
    }
}
