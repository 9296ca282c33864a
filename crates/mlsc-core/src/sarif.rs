//! SARIF 2.1.0 rendering of a [`Report`].
//!
//! GitHub code scanning reads `level` and `properties.security-severity`; other consumers read the standard
//! fields. Archive members cannot be expressed as a SARIF physical location, so the outer file is the
//! `artifactLocation` and the member chain is a `logicalLocation` (`model.pt!archive/data.pkl`).

use serde_json::{Value, json};

use crate::{Finding, Report, Severity};

/// The SARIF schema URI written into every log.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// The CVSS-like score GitHub uses to rank alerts.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

/// Percent-encodes a relative path into a URI reference (RFC 3986 unreserved characters and `/` stay).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Renders `report` as a SARIF 2.1.0 log. Each code's SARIF rule comes from the [`Rule`](crate::Rule) its findings were built
/// from ([`Finding::rule`](crate::Finding::rule)); a finding built without one (with [`Finding::new`], or read back
/// from JSON) still gets a rule, named after its title.
///
/// ```
/// use mlsc_core::{Location, Report, Rule, Severity, sarif};
///
/// const DANGEROUS_CALLABLE: Rule = Rule::new("MLSC-PKL-001", "dangerous-callable", Severity::Critical, "dangerous callable")
///     .with_summary("Loading the pickle invokes a deny-listed callable");
///
/// let mut report = Report::new("scan");
/// report.push_finding(
///     DANGEROUS_CALLABLE
///         .finding("`posix.system` is invoked")
///         .at(Location::file("model.pkl").at_offset(30)),
/// );
/// let log = sarif::to_sarif(&report);
/// assert_eq!(log["version"], "2.1.0");
/// assert_eq!(log["runs"][0]["results"][0]["level"], "error");
/// assert_eq!(log["runs"][0]["tool"]["driver"]["rules"][0]["name"], "dangerous-callable");
/// ```
///
/// [`Finding::new`]: crate::Finding::new
pub fn to_sarif(report: &Report) -> Value {
    let mut rule_ids: Vec<String> = Vec::new();
    let mut rule_values: Vec<Value> = Vec::new();
    let mut rule_index = |f: &Finding| -> usize {
        let code = f.code.as_str();
        if let Some(i) = rule_ids.iter().position(|c| *c == code) {
            return i;
        }
        let (name, summary, default, tags): (&str, &str, Severity, Vec<&str>) = match f.rule {
            Some(r) => (r.name, r.summary, r.default_severity, r.tags.to_vec()),
            None => (&f.title, &f.title, f.severity, Vec::new()),
        };
        let mut tags: Vec<&str> = tags;
        tags.push("security");
        rule_values.push(json!({
            "id": code,
            "name": name,
            "shortDescription": { "text": summary },
            "defaultConfiguration": { "level": level(default) },
            "properties": {
                "tags": tags,
                "security-severity": security_severity(default),
            },
        }));
        rule_ids.push(code.to_owned());
        rule_ids.len() - 1
    };
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let index = rule_index(f);
            let mut region = serde_json::Map::new();
            if let Some(line) = f.location.line {
                region.insert("startLine".into(), json!(line.max(1)));
            }
            if let (Some(offset), true) = (f.location.offset, f.location.members.is_empty()) {
                region.insert("byteOffset".into(), json!(offset));
            }
            let mut physical = json!({ "artifactLocation": { "uri": uri(&f.location.path) } });
            if !region.is_empty() && f.location.members.is_empty() {
                physical["region"] = Value::Object(region);
            }
            let mut location = json!({ "physicalLocation": physical });
            if !f.location.members.is_empty() || f.location.pointer.is_some() {
                let mut name = f.location.object();
                if let Some(p) = &f.location.pointer {
                    name = format!("{name}#{p}");
                }
                location["logicalLocations"] =
                    json!([{ "fullyQualifiedName": name, "kind": "object" }]);
            }
            let mut properties = json!({
                "severity": f.severity.as_str(),
                "security-severity": security_severity(f.severity),
                "location": f.location.to_string(),
            });
            if let Some(e) = &f.evidence {
                properties["evidence"] = json!(e);
            }
            json!({
                "ruleId": f.code,
                "ruleIndex": index,
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [location],
                "properties": properties,
            })
        })
        .collect();
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            let text = match &e.path {
                Some(p) => format!("{p}: {}", e.message),
                None => e.message.clone(),
            };
            json!({ "level": "error", "message": { "text": text } })
        })
        .collect();
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": report.tool.name,
                    "version": report.tool.version,
                    "semanticVersion": report.tool.version,
                    "informationUri": "https://github.com/mlsc-dev/mlsc",
                    "rules": rule_values,
                }
            },
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
            "properties": { "command": report.command },
        }]
    })
}
