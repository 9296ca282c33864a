//! MLCommons Croissant JSON-LD (0.8, 1.0, 1.1): what mlcroissant 1.1.1 checks, the specification's required
//! properties it leaves unchecked, and the Responsible-AI extension as a completeness dimension.
//!
//! The document is read as compacted JSON-LD, the form every producer emits: keys are matched on their local
//! name (`cr:recordSet`, `recordSet` and `http://mlcommons.org/croissant/recordSet` are the same key). We do not
//! expand JSON-LD: a file with an exotic `@context` that renames terms is not understood (and says so, through
//! `MLSC-CROI-009`).

use std::collections::HashSet;

use serde_json::Value;

use crate::jsonpos::JsonLines;
use crate::lint::{CardKind, CardReport, LintOptions, Sink};
use crate::mct::{json_error_line, parse_json};
use crate::rules;

/// The Croissant version a document conforms to, as mlcroissant decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    /// No `conformsTo`: mlcroissant applies the 0.8 rules (`name` identifies nodes, `citation` not `citeAs`).
    V08,
    V10,
    V11,
}

/// The Responsible-AI vocabulary (Croissant RAI 1.0), the completeness dimension.
pub(crate) const RAI_FIELDS: &[&str] = &[
    "dataCollection",
    "dataCollectionType",
    "dataCollectionMissingData",
    "dataCollectionRawData",
    "dataCollectionTimeframe",
    "dataImputationProtocol",
    "dataManipulationProtocol",
    "dataPreprocessingProtocol",
    "dataAnnotationProtocol",
    "dataAnnotationPlatform",
    "dataAnnotationAnalysis",
    "annotationsPerItem",
    "annotatorDemographics",
    "machineAnnotationTools",
    "dataBiases",
    "dataUseCases",
    "dataLimitations",
    "dataSocialImpact",
    "personalSensitiveInformation",
    "dataReleaseMaintenancePlan",
];

/// The local name of a compacted or expanded JSON-LD key.
pub(crate) fn local(key: &str) -> &str {
    let k = key.rsplit(['/', '#']).next().unwrap_or(key);
    k.rsplit(':').next().unwrap_or(k)
}

/// Looks a property up by local name.
pub(crate) fn prop<'v>(node: &'v Value, name: &str) -> Option<&'v Value> {
    node.as_object()?
        .iter()
        .find(|(k, _)| !k.starts_with('@') && local(k) == name)
        .map(|(_, v)| v)
}

fn present(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(_) => true,
    }
}

fn as_list(v: Option<&Value>) -> Vec<&Value> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(other) => vec![other],
    }
}

fn type_local(node: &Value) -> Option<String> {
    let t = node.get("@type")?;
    let t = match t {
        Value::Array(a) => a.first()?.as_str()?,
        other => other.as_str()?,
    };
    Some(local(t).to_owned())
}

/// The id a reference names: `{"@id": "x"}`, `"x"`, or (Croissant 1.1 `containedIn`) a source-like object
/// `{"fileObject": {"@id": "x"}, "transform": …}`.
fn ref_id(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o
            .get("@id")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| {
                ["fileObject", "fileSet", "field", "recordSet"]
                    .iter()
                    .find_map(|k| prop(v, k))
                    .and_then(ref_id)
            }),
        _ => None,
    }
}

/// ISO 8601 as mlcroissant accepts it (Python's `datetime.fromisoformat` family): a date `YYYY-MM-DD`, optionally
/// followed by `T` or a space and a time, optionally a zone; or a year-month `YYYY-MM`, or a year.
pub(crate) fn is_iso8601(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|p| p.iter().all(u8::is_ascii_digit));
    if b.len() == 4 {
        return digits(0..4);
    }
    if b.len() == 7 {
        return digits(0..4) && b[4] == b'-' && digits(5..7);
    }
    if b.len() < 10
        || !(digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10))
    {
        return false;
    }
    if !crate::mct::is_full_date(&s[..10]) {
        return false;
    }
    if b.len() == 10 {
        return true;
    }
    if !matches!(b[10], b'T' | b' ') {
        return false;
    }
    let time = &s[11..];
    let time = time.strip_suffix('Z').unwrap_or(time);
    let time = match time.rfind(['+', '-']) {
        Some(i) if i >= 5 => &time[..i],
        _ => time,
    };
    let tb = time.as_bytes();
    tb.len() >= 5
        && tb[..2].iter().all(u8::is_ascii_digit)
        && tb[2] == b':'
        && tb[3..5].iter().all(u8::is_ascii_digit)
        && tb[5..]
            .iter()
            .all(|c| c.is_ascii_digit() || matches!(c, b':' | b'.'))
}

struct Check<'a, 'p> {
    sink: &'a mut Sink<'p>,
    text: &'a JsonLines,
    version: Version,
}

impl Check<'_, '_> {
    fn push(&mut self, code: &'static mlsc_core::Rule, message: String, pointer: &str) {
        let line = self.text.line_of(pointer);
        self.sink.push(code, message, line, Some(pointer));
    }

    fn uuid_key(&self) -> &'static str {
        if self.version == Version::V08 {
            "name"
        } else {
            "@id"
        }
    }

    fn uuid(&self, node: &Value) -> Option<String> {
        if self.version == Version::V08 {
            prop(node, "name")
                .and_then(Value::as_str)
                .map(str::to_owned)
        } else {
            node.get("@id").and_then(Value::as_str).map(str::to_owned)
        }
    }

    fn mandatory(&mut self, node: &Value, name: &str, pointer: &str, what: &str) {
        let v = if name.starts_with('@') {
            node.get(name)
        } else {
            prop(node, name)
        };
        if !present(v) {
            self.push(
                &rules::CROISSANT_MANDATORY,
                format!("{what} has no `{name}`, which mlcroissant requires"),
                pointer,
            );
        }
    }
}

pub(crate) fn lint(path: &str, bytes: &[u8], options: &LintOptions) -> CardReport {
    let mut sink = Sink::new(path);
    let mut report = CardReport {
        path: path.to_owned(),
        kind: CardKind::Croissant,
        findings: Vec::new(),
        hub_load: None,
        complete: true,
        unreadable: false,
    };
    let doc = match parse_json(bytes, options.limits.max_card_bytes) {
        Ok(v) if v.is_object() => v,
        Ok(_) => {
            sink.push(
                &rules::CROISSANT_JSON,
                "a Croissant document must be a JSON object",
                Some(1),
                None,
            );
            report.findings = sink.into_findings();
            return report;
        }
        Err(e) => {
            sink.push(
                &rules::CROISSANT_JSON,
                e.to_string(),
                json_error_line(&e),
                None,
            );
            report.findings = sink.into_findings();
            return report;
        }
    };
    let lines = JsonLines::build(std::str::from_utf8(bytes).unwrap_or(""));
    let text = &lines;
    let conforms: Vec<String> = as_list(prop(&doc, "conformsTo"))
        .iter()
        .filter_map(|v| ref_id(v))
        .collect();
    let version = if conforms.is_empty() {
        Version::V08
    } else if conforms
        .iter()
        .any(|c| c.trim_end_matches('/') == "http://mlcommons.org/croissant/1.1")
    {
        Version::V11
    } else if conforms
        .iter()
        .any(|c| c.trim_end_matches('/') == "http://mlcommons.org/croissant/1.0")
    {
        Version::V10
    } else {
        Version::V08
    };
    let mut c = Check {
        sink: &mut sink,
        text,
        version,
    };
    if !conforms.is_empty() && version == Version::V08 {
        c.push(&rules::CROISSANT_CONFORMS_TO, format!("none of `conformsTo` ({}) is a Croissant version mlcroissant knows (http://mlcommons.org/croissant/1.0 or 1.1)", conforms.join(", ")), "conformsTo");
    }
    check_context(&mut c, &doc);
    check_metadata(&mut c, &doc);
    check_graph(&mut c, &doc);
    rai(&mut c, &doc);
    report.findings = sink.into_findings();
    report
}

fn check_context(c: &mut Check<'_, '_>, doc: &Value) {
    match doc.get("@context") {
        None => c.push(
            &rules::CROISSANT_CONTEXT,
            "no JSON-LD `@context`: the keys cannot be read as Croissant terms".to_owned(),
            "@context",
        ),
        Some(ctx) => {
            let s = ctx.to_string();
            if !s.contains("mlcommons.org/croissant") {
                c.push(&rules::CROISSANT_CONTEXT, "the `@context` does not map the Croissant namespace (http://mlcommons.org/croissant/)".to_owned(), "@context");
            }
        }
    }
    if type_local(doc).as_deref() != Some("Dataset") {
        c.push(
            &rules::CROISSANT_CONTEXT,
            format!(
                "the root `@type` is {}, not `sc:Dataset`",
                doc.get("@type")
                    .map_or("absent".to_owned(), Value::to_string)
            ),
            "@type",
        );
    }
}

fn check_metadata(c: &mut Check<'_, '_>, doc: &Value) {
    // Name: a string (or, from 1.1 on, a language map).
    match prop(doc, "name") {
        Some(Value::String(_)) | None => {}
        Some(Value::Object(_)) if c.version == Version::V11 => {}
        Some(other) => c.push(
            &rules::CROISSANT_TYPE,
            format!(
                "`name` should be a string{}, not {other}",
                if c.version == Version::V11 {
                    " or a language map"
                } else {
                    ""
                }
            ),
            "name",
        ),
    }
    // License: text, URL or CreativeWork, or a list of them.
    if let Some(l) = prop(doc, "license") {
        let ok = |v: &Value| {
            v.is_string() || (v.is_object() && type_local(v).is_none_or(|t| t == "CreativeWork"))
        };
        let valid = match l {
            Value::Array(items) => items.iter().all(ok),
            other => ok(other),
        };
        if !valid {
            c.push(
                &rules::CROISSANT_TYPE,
                format!("`license` should be text, a URL or a CreativeWork, not {l}"),
                "license",
            );
        }
    }
    for key in ["datePublished", "dateCreated", "dateModified"] {
        if let Some(v) = prop(doc, key) {
            let ok = v.as_str().is_some_and(is_iso8601);
            if !ok {
                c.push(&rules::CROISSANT_TYPE, format!("`{key}` is {v}: dates must follow ISO 8601 (`2024-05-01` or `2024-05-01T12:00:00`)"), key);
            }
        }
    }
    // Recommended by mlcroissant (warnings there).
    let cite = if c.version == Version::V08 {
        "citation"
    } else {
        "citeAs"
    };
    for key in [cite, "datePublished", "license", "version"] {
        if !present(prop(doc, key)) {
            c.push(
                &rules::CROISSANT_RECOMMENDED,
                format!("`{key}` is recommended (mlcroissant warns when it is missing)"),
                key,
            );
        }
    }
    // Required by the specification (Croissant 1.0/1.1 "Dataset-level information"), unchecked by mlcroissant.
    for key in ["name", "description", "license", "url"] {
        // 0.8 had no licence requirement.
        let exempt = key == "license" && c.version == Version::V08;
        if !exempt && !present(prop(doc, key)) {
            c.push(&rules::CROISSANT_SPEC_REQUIRED, format!("`{key}` is required by the Croissant specification (mlcroissant does not check it)"), key);
        }
    }
    if c.version == Version::V08 && prop(doc, "conformsTo").is_none() {
        c.push(&rules::CROISSANT_SPEC_REQUIRED, "no `conformsTo`: the specification requires it from 1.0 on, and mlcroissant falls back to the 0.8 rules".to_owned(), "conformsTo");
    }
    if !present(prop(doc, "creator")) {
        c.push(
            &rules::CROISSANT_SPEC_REQUIRED,
            "no `creator`: who made the dataset is not stated".to_owned(),
            "creator",
        );
    }
}

fn check_graph(c: &mut Check<'_, '_>, doc: &Value) {
    let mut ids: HashSet<String> = HashSet::new();
    let distribution = as_list(prop(doc, "distribution"));
    let record_sets = as_list(prop(doc, "recordSet"));
    for d in &distribution {
        if let Some(id) = c.uuid(d) {
            ids.insert(id);
        }
    }
    // Fields and sub-fields, with the pointer of each.
    let mut fields: Vec<(String, &Value)> = Vec::new();
    for (i, rs) in record_sets.iter().enumerate() {
        if let Some(id) = c.uuid(rs) {
            ids.insert(id);
        }
        let mut stack: Vec<(String, &Value)> = as_list(prop(rs, "field"))
            .into_iter()
            .enumerate()
            .map(|(j, f)| (format!("recordSet[{i}].field[{j}]"), f))
            .collect();
        while let Some((p, f)) = stack.pop() {
            if let Some(id) = c.uuid(f) {
                ids.insert(id);
            }
            for (k, sub) in as_list(prop(f, "subField")).into_iter().enumerate() {
                stack.push((format!("{p}.subField[{k}]"), sub));
            }
            fields.push((p, f));
        }
    }
    let uuid_key = c.uuid_key();
    let live = prop(doc, "isLiveDataset").and_then(Value::as_bool) == Some(true);
    for (i, d) in distribution.iter().enumerate() {
        let p = format!("distribution[{i}]");
        let kind = type_local(d).unwrap_or_default();
        let label = format!("{kind}({})", c.uuid(d).unwrap_or_default());
        match kind.as_str() {
            "FileObject" => {
                c.mandatory(d, "encodingFormat", &p, &label);
                c.mandatory(d, uuid_key, &p, &label);
                let contained = as_list(prop(d, "containedIn"));
                if contained.is_empty() {
                    c.mandatory(d, "contentUrl", &p, &label);
                    if !live && !present(prop(d, "md5")) && !present(prop(d, "sha256")) {
                        c.push(&rules::CROISSANT_MANDATORY, format!("{label} has neither `md5` nor `sha256`: at least one is required (its content cannot be verified)"), &p);
                    }
                }
                for r in contained {
                    check_ref(c, &ids, r, &format!("{p}.containedIn"), &label);
                }
            }
            "FileSet" => {
                c.mandatory(d, "includes", &p, &label);
                c.mandatory(d, "encodingFormat", &p, &label);
                c.mandatory(d, uuid_key, &p, &label);
                for r in as_list(prop(d, "containedIn")) {
                    check_ref(c, &ids, r, &format!("{p}.containedIn"), &label);
                }
            }
            other => c.push(
                &rules::CROISSANT_TYPE,
                format!("`{p}` has @type `{other}`: expected cr:FileObject or cr:FileSet"),
                &p,
            ),
        }
    }
    for (i, rs) in record_sets.iter().enumerate() {
        let p = format!("recordSet[{i}]");
        let label = format!("RecordSet({})", c.uuid(rs).unwrap_or_default());
        c.mandatory(rs, uuid_key, &p, &label);
        if let Some(data) = prop(rs, "data") {
            let expected: HashSet<String> = as_list(prop(rs, "field"))
                .iter()
                .filter_map(|f| c.uuid(f))
                .collect();
            // JSON-LD: a single value is a list of one.
            let data = match data {
                Value::Object(_) => &Value::Array(vec![data.clone()]),
                other => other,
            };
            match data {
                Value::Array(rows) if rows.is_empty() => c.push(
                    &rules::CROISSANT_TYPE,
                    format!("{label}: `data` should be a non-empty list"),
                    &format!("{p}.data"),
                ),
                Value::Array(rows) => {
                    for (j, row) in rows.iter().enumerate() {
                        let Some(o) = row.as_object() else {
                            c.push(
                                &rules::CROISSANT_TYPE,
                                format!("{label}: `data` should be a list of objects"),
                                &format!("{p}.data"),
                            );
                            break;
                        };
                        let keys: HashSet<String> = o.keys().cloned().collect();
                        if keys != expected {
                            c.push(&rules::CROISSANT_TYPE, format!("{label}: line #{j} of `data` does not have the expected columns {:?}", sorted(&expected)), &format!("{p}.data[{j}]"));
                        }
                    }
                }
                _ => c.push(
                    &rules::CROISSANT_TYPE,
                    format!("{label}: `data` should be a list"),
                    &format!("{p}.data"),
                ),
            }
        }
    }
    // A field's data type may come from the field its source names.
    let typed: HashSet<String> = fields
        .iter()
        .filter(|(_, f)| present(prop(f, "dataType")) || present(prop(f, "subField")))
        .filter_map(|(_, f)| c.uuid(f))
        .collect();
    for (p, f) in &fields {
        let label = format!("Field({})", c.uuid(f).unwrap_or_default());
        c.mandatory(f, uuid_key, p, &label);
        let source = prop(f, "source");
        if present(source) && present(prop(f, "value")) {
            c.push(
                &rules::CROISSANT_MANDATORY,
                format!("{label} defines both `source` and `value`: exactly one is allowed"),
                p,
            );
        }
        if let Some(src) = source {
            for key in ["fileObject", "fileSet", "field", "recordSet"] {
                if let Some(r) = prop(src, key) {
                    check_ref(c, &ids, r, &format!("{p}.source.{key}"), &label);
                }
            }
            if let Some(t) = prop(src, "transform") {
                for (k, tr) in as_list(Some(t)).into_iter().enumerate() {
                    let n = ["format", "jsonPath", "regex", "replace", "separator"]
                        .iter()
                        .filter(|x| present(prop(tr, x)))
                        .count();
                    if n > 1 {
                        c.push(&rules::CROISSANT_MANDATORY, format!("{label}: a transform defines {n} string transforms; exactly one of format, jsonPath, regex, replace, separator is allowed"), &format!("{p}.source.transform[{k}]"));
                    }
                }
            }
        }
        if let Some(r) = prop(f, "references") {
            for key in ["field", "fileObject", "fileSet", "recordSet"] {
                if let Some(target) = prop(r, key) {
                    check_ref(c, &ids, target, &format!("{p}.references.{key}"), &label);
                }
            }
        }
        let has_type = present(prop(f, "dataType")) || present(prop(f, "subField"));
        let inherits = source
            .and_then(|s| prop(s, "field"))
            .and_then(ref_id)
            .is_some_and(|id| typed.contains(&id));
        if !has_type && !inherits {
            c.push(&rules::CROISSANT_MANDATORY, format!("{label} does not specify a `dataType`, and neither does the field its source names"), p);
        }
    }
}

fn sorted(s: &HashSet<String>) -> Vec<&String> {
    let mut v: Vec<_> = s.iter().collect();
    v.sort();
    v
}

fn check_ref(c: &mut Check<'_, '_>, ids: &HashSet<String>, r: &Value, pointer: &str, label: &str) {
    match ref_id(r) {
        Some(id) if ids.contains(&id) => {}
        Some(id) => c.push(
            &rules::CROISSANT_REFERENCE,
            format!("{label} refers to `{id}`, but no node has that id"),
            pointer,
        ),
        None => c.push(
            &rules::CROISSANT_REFERENCE,
            format!("{label}: the reference {r} names no node (expected {{\"@id\": …}})"),
            pointer,
        ),
    }
}

/// The RAI fields a document fills, and those it does not.
pub(crate) fn rai_coverage(doc: &Value) -> (Vec<&'static str>, Vec<&'static str>) {
    RAI_FIELDS.iter().partition(|f| present(prop(doc, f)))
}

fn rai(c: &mut Check<'_, '_>, doc: &Value) {
    let (have, missing) = rai_coverage(doc);
    if !missing.is_empty() {
        c.sink.push(
            &rules::CROISSANT_RAI,
            format!(
                "{} of {} Responsible-AI fields are filled; missing: {}",
                have.len(),
                RAI_FIELDS.len(),
                missing
                    .iter()
                    .map(|m| format!("rai:{m}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None,
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso() {
        for ok in [
            "2024",
            "2024-05",
            "2024-05-01",
            "2024-05-01T10:00:00",
            "2024-05-01T10:00:00Z",
            "2024-05-01 10:00",
            "2024-05-01T10:00:00+02:00",
        ] {
            assert!(is_iso8601(ok), "{ok}");
        }
        for bad in ["yesterday", "05/01/2024", "2024-13-01", "2024-05-01X", ""] {
            assert!(!is_iso8601(bad), "{bad}");
        }
    }

    #[test]
    fn local_names() {
        assert_eq!(local("cr:recordSet"), "recordSet");
        assert_eq!(local("http://mlcommons.org/croissant/citeAs"), "citeAs");
        assert_eq!(local("rai:dataBiases"), "dataBiases");
    }
}
