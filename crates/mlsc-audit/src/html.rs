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
td code,dd code,p code{background:var(--chip);border-radius:4px;padding:0 3px}
tr.file th{background:var(--bg);font-weight:600;border-top:2px solid var(--line)}
a code.id{text-decoration:underline dotted}
dl.rules dt{margin-top:.6em}dl.rules dd{margin:0 0 0 1.5em}
footer{margin-top:2em;color:var(--muted);font-size:.85em}
@media print{.badge{color:#000;border:1px solid #000;background:none!important}}
";

fn badge(o: Outcome) -> String {
    format!("<span class=\"badge {0}\">{0}</span>", escape(o.as_str()))
}

fn sev(s: Severity) -> String {
    format!("<span class=\"sev {0}\">{0}</span>", s.as_str())
}

/// Escapes `text` and renders its code spans (names between backticks, as every mlsc message writes them) as
/// `<code>`. A lone backtick stays a backtick; what is inside a span is escaped like the rest.
pub(crate) fn text_with_code(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len() < 3 {
        return escape(text);
    }
    // With an even number of backticks every span closes; with an odd number the last one is literal.
    let closed = if parts.len() % 2 == 1 {
        parts.len()
    } else {
        parts.len() - 1
    };
    let mut out = String::with_capacity(text.len() + 16);
    for (i, part) in parts[..closed].iter().enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", escape(part));
        } else {
            out.push_str(&escape(part));
        }
    }
    if closed < parts.len() {
        out.push('`');
        out.push_str(&escape(parts[closed]));
    }
    out
}

/// The anchor of a rule's entry in the page's rules section.
fn rule_anchor(code: &str) -> String {
    let id: String = code
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("rule-{id}")
}

/// A finding code linked to its rule text in the page's rules section (plain when the code is not a known rule).
fn code_link(code: &str) -> String {
    if crate::registry::explain(code).is_some() {
        format!(
            "<a href=\"#{}\"><code class=\"id\">{}</code></a>",
            rule_anchor(code),
            escape(code)
        )
    } else {
        format!("<code class=\"id\">{}</code>", escape(code))
    }
}

struct Html;

impl crate::findings::Markup for Html {
    fn open(&self, out: &mut String) {
        out.push_str(
            "<table class=\"findings\"><thead><tr><th>Severity</th><th>Code</th><th>Where</th><th>Finding</th></tr>\
             </thead><tbody>\n",
        );
    }

    fn file_row(&self, out: &mut String, file: &str, count: usize) {
        let _ = writeln!(
            out,
            "<tr class=\"file\"><th colspan=\"4\" scope=\"rowgroup\"><code>{}</code> <span class=\"muted\">({count} \
             finding{})</span></th></tr>",
            escape(file),
            if count == 1 { "" } else { "s" }
        );
    }

    fn finding_row(&self, out: &mut String, f: &Finding, place: &str) {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}",
            sev(f.severity),
            code_link(&f.code),
            if place.is_empty() {
                "<span class=\"muted\">file</span>".to_owned()
            } else {
                format!("<code>{}</code>", escape(place))
            },
            text_with_code(&f.message)
        );
        if let Some(e) = &f.evidence {
            let _ = write!(out, "<span class=\"evidence mono\">{}</span>", escape(e));
        }
        out.push_str("</td></tr>\n");
    }

    fn close(&self, out: &mut String) {
        out.push_str("</tbody></table>\n");
    }
}

fn findings_table(out: &mut String, findings: &[Finding]) {
    crate::findings::findings_table(out, findings, &Html);
}

/// The rules section: the text of every rule a finding or reason of the page names, the target of the code links.
fn rules_section(out: &mut String, report: &AuditReport) {
    let mut codes: std::collections::BTreeSet<&str> = report
        .checks
        .iter()
        .flat_map(|c| c.findings.iter().map(|f| f.code.as_str()))
        .collect();
    codes.extend(report.reasons.iter().filter_map(|r| r.code.as_deref()));
    let rules: Vec<_> = codes
        .into_iter()
        .filter_map(crate::registry::explain)
        .collect();
    if rules.is_empty() {
        return;
    }
    out.push_str(
        "<section id=\"rules\"><h2>Rules</h2>\n<p class=\"muted\">What each finding code of this report means \
         (<code>mlsc rule CODE</code> prints the same).</p>\n<dl class=\"rules\">\n",
    );
    for r in rules {
        let _ = writeln!(
            out,
            "<dt id=\"{}\"><code class=\"id\">{}</code> {} <span class=\"muted\">(default {}; from {})</span></dt>\
             <dd>{}</dd>",
            rule_anchor(r.rule.code),
            escape(r.rule.code),
            escape(r.rule.name),
            sev(r.rule.default_severity),
            escape(r.owner),
            text_with_code(r.rule.summary)
        );
    }
    out.push_str("</dl>\n</section>\n");
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
        let _ = writeln!(out, "<p>{}</p>", text_with_code(&s.summary));
    }
    if !s.facts.is_empty() {
        out.push_str("<table class=\"facts\"><tbody>\n");
        for f in &s.facts {
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                escape(&f.label),
                text_with_code(&f.value)
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
        "<header><h1>mlsc audit: <code>{}</code></h1>\n<p id=\"verdict\">Verdict: {} — {} reason(s); findings: {}</p>\n<p class=\"muted\">{}</p></header>",
        escape(&report.target),
        badge(report.verdict),
        report.reasons.len(),
        escape(&counts(&report.report.statistics.by_severity)),
        text_with_code(&crate::render::verdict_meaning(report))
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
                "<tr><td>{}</td><td>{}</td><td><a href=\"#check-{}\">{}</a></td><td>{}</td><td>{}</td></tr>",
                badge(r.outcome),
                sev(r.severity),
                r.check.as_str(),
                r.check.as_str(),
                r.code.as_deref().map(code_link).unwrap_or_default(),
                text_with_code(&r.message)
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
        "<li>fail on {} and above ({}), warn on {} and above</li>",
        sev(p.fail_on),
        escape(p.fail_on_source),
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
    out.push_str("</tbody></table>\n</section>\n");
    rules_section(&mut out, report);
    out.push_str("</main>\n");
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
    fn code_spans() {
        assert_eq!(
            text_with_code("`torch` 1.0 is affected: `a<b>`"),
            "<code>torch</code> 1.0 is affected: <code>a&lt;b&gt;</code>"
        );
        assert_eq!(text_with_code("a ` b"), "a ` b");
        assert_eq!(
            text_with_code("`x` and ` lone"),
            "<code>x</code> and ` lone"
        );
        assert_eq!(text_with_code("no spans"), "no spans");
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape("<img src=x onerror='a()'>&\"\u{7}"),
            "&lt;img src=x onerror=&#39;a()&#39;&gt;&amp;&quot;\u{fffd}"
        );
    }
}
