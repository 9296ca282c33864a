//! Google Model Card Toolkit JSON, validated against its JSON Schema (draft-07).
//!
//! The schemas are data we do not ship: [`MctSchemas::load`] reads them from a directory (`v0.0.1/`, `v0.0.2/`,
//! each with `model_card.schema.json`). The validator implements the subset of draft-07 those schemas use
//! (`type`, `properties`, `additionalProperties`, `items`, `required`, `enum`, `const`, `oneOf`, `anyOf`, `allOf`,
//! local `$ref`, `minItems`, `minimum`, `maximum`, and the `date` and `uri` formats) rather than pulling the
//! `jsonschema` crate into every build: 200 lines against 40 extra crates (`cargo tree`: 47 in jsonschema 0.33's
//! tree with default features off, 40 not otherwise built here, two regex engines among them). `format` is an
//! assertion here (draft-07 leaves it optional): a card whose `date` is `08/28/2020` is not machine-readable, and
//! that is what the audit wants to know — the toolkit's own examples fail on exactly this.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::Error;
use crate::lint::{CardKind, CardReport, LintOptions, Sink};
use crate::rules;

/// The Model Card Toolkit schemas, by version (`0.0.2`).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct MctSchemas {
    /// Schema documents by version, oldest first.
    pub versions: BTreeMap<String, Value>,
}

impl MctSchemas {
    /// Reads `DIR/v*/model_card.schema.json`.
    pub fn load(dir: impl AsRef<Path>) -> Result<MctSchemas, Error> {
        let dir = dir.as_ref();
        let mut versions = BTreeMap::new();
        let entries = fs_err::read_dir(dir).map_err(|source| Error::Io {
            path: dir.to_owned(),
            source,
        })?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(version) = name.strip_prefix('v') else {
                continue;
            };
            let file = entry.path().join("model_card.schema.json");
            if !file.is_file() {
                continue;
            }
            let text = fs_err::read_to_string(&file).map_err(|source| Error::Io {
                path: file.clone(),
                source,
            })?;
            let schema: Value = serde_json::from_str(&text).map_err(|e| Error::Input {
                path: file.clone(),
                message: format!("schema is not JSON: {e}"),
            })?;
            versions.insert(version.to_owned(), schema);
        }
        if versions.is_empty() {
            return Err(Error::Input {
                path: dir.to_owned(),
                message: "no `v*/model_card.schema.json` found".to_owned(),
            });
        }
        Ok(MctSchemas { versions })
    }
}

/// One schema violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Violation {
    pub(crate) pointer: String,
    pub(crate) message: String,
    pub(crate) is_date: bool,
    /// A `uri` format failure: a relative path where the schema says URI; reported at low severity because the
    /// toolkit itself writes relative dataset paths there.
    pub(crate) is_uri: bool,
}

const MAX_DEPTH: usize = 64;

struct Validator<'s> {
    root: &'s Value,
    out: Vec<Violation>,
}

fn type_matches(ty: &str, v: &Value) -> bool {
    match ty {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => true,
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// RFC 3339 `full-date`: `YYYY-MM-DD`, a real calendar day.
pub(crate) fn is_full_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// An absolute URI: a scheme (`letter *(letter / digit / + - .)`), a colon, no spaces.
fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s.chars().any(char::is_whitespace)
}

impl<'s> Validator<'s> {
    fn resolve(&self, reference: &str) -> Option<&'s Value> {
        let path = reference.strip_prefix("#")?;
        let mut node = self.root;
        for part in path.split('/').filter(|p| !p.is_empty()) {
            node = node.get(part.replace("~1", "/").replace("~0", "~"))?;
        }
        Some(node)
    }

    fn push(&mut self, pointer: &str, message: String) {
        self.out.push(Violation {
            pointer: pointer.to_owned(),
            message,
            is_date: false,
            is_uri: false,
        });
    }

    /// Validates without recording: for `oneOf`/`anyOf` branches.
    fn probe(&self, schema: &'s Value, v: &Value, depth: usize) -> bool {
        let mut sub = Validator {
            root: self.root,
            out: Vec::new(),
        };
        sub.check(schema, v, "", depth);
        sub.out.is_empty()
    }

    fn check(&mut self, schema: &'s Value, v: &Value, pointer: &str, depth: usize) {
        if depth > MAX_DEPTH {
            self.push(pointer, "nested too deeply to validate".to_owned());
            return;
        }
        let Some(s) = schema.as_object() else {
            if schema == &Value::Bool(false) {
                self.push(pointer, "no value is allowed here".to_owned());
            }
            return;
        };
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            match self.resolve(r) {
                Some(target) => self.check(target, v, pointer, depth + 1),
                None => self.push(pointer, format!("schema reference `{r}` does not resolve")),
            }
            // Draft-07: `$ref` overrides its siblings.
            return;
        }
        if let Some(t) = s.get("type") {
            let ok = match t {
                Value::String(ty) => type_matches(ty, v),
                Value::Array(tys) => tys
                    .iter()
                    .filter_map(Value::as_str)
                    .any(|ty| type_matches(ty, v)),
                _ => true,
            };
            if !ok {
                self.push(
                    pointer,
                    format!("should be of type {t}, not {}", json_type(v)),
                );
                return;
            }
        }
        if let Some(e) = s.get("enum").and_then(Value::as_array)
            && !e.contains(v)
        {
            self.push(
                pointer,
                format!("{v} is not one of {}", Value::Array(e.clone())),
            );
        }
        if let Some(c) = s.get("const")
            && c != v
        {
            self.push(pointer, format!("should be {c}"));
        }
        if let (Some(f), Some(text)) = (s.get("format").and_then(Value::as_str), v.as_str()) {
            let bad = match f {
                "date" => !is_full_date(text),
                "uri" => !is_uri(text),
                _ => false,
            };
            if bad {
                self.out.push(Violation {
                    pointer: pointer.to_owned(),
                    message: if f == "date" {
                        format!("`{text}` is not a date in the `YYYY-MM-DD` form the schema requires (format: date)")
                    } else {
                        format!("`{text}` is not an absolute URI (format: uri)")
                    },
                    is_date: f == "date",
                    is_uri: f == "uri",
                });
            }
        }
        if let (Some(min), Some(n)) = (s.get("minimum").and_then(Value::as_f64), v.as_f64())
            && n < min
        {
            self.push(pointer, format!("{n} is less than the minimum {min}"));
        }
        if let (Some(max), Some(n)) = (s.get("maximum").and_then(Value::as_f64), v.as_f64())
            && n > max
        {
            self.push(pointer, format!("{n} is more than the maximum {max}"));
        }
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            for sub in all {
                self.check(sub, v, pointer, depth + 1);
            }
        }
        if let Some(any) = s.get("anyOf").and_then(Value::as_array)
            && !any.iter().any(|sub| self.probe(sub, v, depth + 1))
        {
            self.push(
                pointer,
                "matches none of the alternatives (anyOf)".to_owned(),
            );
        }
        if let Some(one) = s.get("oneOf").and_then(Value::as_array) {
            let n = one
                .iter()
                .filter(|sub| self.probe(sub, v, depth + 1))
                .count();
            if n != 1 {
                let what = one
                    .iter()
                    .filter_map(|b| b.get("required"))
                    .map(Value::to_string)
                    .collect::<Vec<_>>()
                    .join(" or ");
                self.push(
                    pointer,
                    format!(
                        "matches {n} of the alternatives instead of exactly one (oneOf{})",
                        if what.is_empty() {
                            String::new()
                        } else {
                            format!(": {what}")
                        }
                    ),
                );
            }
        }
        match v {
            Value::Object(obj) => {
                if let Some(req) = s.get("required").and_then(Value::as_array) {
                    for k in req.iter().filter_map(Value::as_str) {
                        if !obj.contains_key(k) {
                            self.push(pointer, format!("required property `{k}` is missing"));
                        }
                    }
                }
                let props = s.get("properties").and_then(Value::as_object);
                for (k, child) in obj {
                    let p = if pointer.is_empty() {
                        k.clone()
                    } else {
                        format!("{pointer}.{k}")
                    };
                    match props.and_then(|ps| ps.get(k)) {
                        Some(sub) => self.check(sub, child, &p, depth + 1),
                        None => match s.get("additionalProperties") {
                            Some(Value::Bool(false)) => self
                                .push(&p, format!("property `{k}` is not allowed by the schema")),
                            Some(sub @ Value::Object(_)) => self.check(sub, child, &p, depth + 1),
                            _ => {}
                        },
                    }
                }
            }
            Value::Array(items) => {
                if let Some(min) = s.get("minItems").and_then(Value::as_u64)
                    && (items.len() as u64) < min
                {
                    self.push(pointer, format!("should have at least {min} items"));
                }
                if let Some(sub) = s.get("items").filter(|i| i.is_object()) {
                    for (i, item) in items.iter().enumerate() {
                        self.check(sub, item, &format!("{pointer}[{i}]"), depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Validates `doc` against `schema`.
pub(crate) fn validate(schema: &Value, doc: &Value) -> Vec<Violation> {
    let mut v = Validator {
        root: schema,
        out: Vec::new(),
    };
    v.check(schema, doc, "", 0);
    v.out
}

pub(crate) fn lint(path: &str, bytes: &[u8], options: &LintOptions) -> CardReport {
    let mut sink = Sink::new(path);
    let mut report = CardReport {
        path: path.to_owned(),
        kind: CardKind::ModelCardToolkit,
        findings: Vec::new(),
        hub_load: None,
        complete: true,
        unreadable: false,
    };
    let doc: Value = match parse_json(bytes, options.limits.max_card_bytes) {
        Ok(v) => v,
        Err(e) => {
            sink.push(&rules::MCT_JSON, e.to_string(), json_error_line(&e), None);
            report.findings = sink.into_findings();
            return report;
        }
    };
    let text = &crate::jsonpos::JsonLines::build(std::str::from_utf8(bytes).unwrap_or(""));
    if !doc.is_object() {
        sink.push(
            &rules::MCT_JSON,
            "a Model Card Toolkit card must be a JSON object",
            Some(1),
            None,
        );
        report.findings = sink.into_findings();
        return report;
    }
    let declared = doc
        .get("schema_version")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let Some(schemas) = options.mct_schemas.as_ref() else {
        report.complete = false;
        sink.push(&rules::MCT_SCHEMA_VERSION, "the Model Card Toolkit schemas were not given (`--mct-schemas DIR` or `MLSC_MCT_SCHEMAS`): only dates were checked", None, None);
        date_checks(&doc, "", text, &mut sink);
        report.findings = sink.into_findings();
        return report;
    };
    let (version, schema) = match declared
        .as_deref()
        .and_then(|d| schemas.versions.get(d).map(|s| (d.to_owned(), s)))
    {
        Some(found) => found,
        None => {
            let (latest, schema) = schemas
                .versions
                .iter()
                .next_back()
                .expect("non-empty because load checks it");
            sink.push(
                &rules::MCT_SCHEMA_VERSION,
                match &declared {
                    Some(d) => format!("`schema_version` `{d}` is not a known schema version; checked against {latest}"),
                    None => format!("no `schema_version`; checked against {latest}"),
                },
                text.line_of("schema_version"),
                Some("schema_version"),
            );
            (latest.clone(), schema)
        }
    };
    for v in validate(schema, &doc) {
        let code = if v.is_date {
            &rules::MCT_DATE
        } else {
            &rules::MCT_SCHEMA
        };
        let pointer = if v.pointer.is_empty() {
            None
        } else {
            Some(v.pointer.as_str())
        };
        let severity = if v.is_uri {
            mlsc_core::Severity::Low
        } else {
            code.default_severity
        };
        sink.push_sev(
            code,
            severity,
            format!(
                "schema {version}: `{}` {}",
                if v.pointer.is_empty() {
                    "(root)"
                } else {
                    &v.pointer
                },
                v.message
            ),
            text.line_of(&v.pointer),
            pointer,
        );
    }
    report.findings = sink.into_findings();
    report
}

fn date_checks(v: &Value, pointer: &str, text: &crate::jsonpos::JsonLines, sink: &mut Sink<'_>) {
    match v {
        Value::Object(o) => {
            for (k, child) in o {
                let p = if pointer.is_empty() {
                    k.clone()
                } else {
                    format!("{pointer}.{k}")
                };
                if k == "date"
                    && let Some(s) = child.as_str()
                    && !is_full_date(s)
                {
                    sink.push(
                        &rules::MCT_DATE,
                        format!("`{p}` is `{s}`, not a `YYYY-MM-DD` date"),
                        text.line_of(&p),
                        Some(&p),
                    );
                }
                date_checks(child, &p, text, sink);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                date_checks(child, &format!("{pointer}[{i}]"), text, sink);
            }
        }
        _ => {}
    }
}

/// What the audit and the BOM need of a Google Model Card Toolkit card: its licences.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ToolkitCard {
    /// `model_details.licenses[]`: each entry's `identifier`, or its `custom_text` when it has no identifier.
    pub licenses: Vec<String>,
}

impl ToolkitCard {
    /// Parses the card's JSON (at most 64 MiB, as the linter).
    ///
    /// ```
    /// let card = mlsc_cards::ToolkitCard::parse_bytes(
    ///     br#"{"model_details": {"name": "m", "licenses": [{"identifier": "Apache-2.0"}, {"custom_text": "ask us"}]}}"#,
    /// ).unwrap();
    /// assert_eq!(card.licenses, ["Apache-2.0", "ask us"]);
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Json`] when the bytes are not JSON, [`Error::TooLarge`] past the limit.
    pub fn parse_bytes(bytes: &[u8]) -> Result<ToolkitCard, Error> {
        let doc = parse_json(bytes, 64 << 20)?;
        let licenses = doc
            .pointer("/model_details/licenses")
            .and_then(Value::as_array)
            .map(|l| {
                l.iter()
                    .filter_map(|x| {
                        x.get("identifier")
                            .or_else(|| x.get("custom_text"))
                            .and_then(Value::as_str)
                            .map(str::to_owned)
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(ToolkitCard { licenses })
    }
}

/// Parses a JSON card within the size limit.
pub(crate) fn parse_json(bytes: &[u8], max: u64) -> Result<Value, Error> {
    if bytes.len() as u64 > max {
        return Err(Error::TooLarge {
            what: "JSON document",
            size: bytes.len() as u64,
            limit: max,
        });
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    // serde_json refuses nesting deeper than 128, so a hostile document cannot exhaust the stack.
    serde_json::from_slice(bytes).map_err(|e| Error::Json {
        line: e.line(),
        column: e.column(),
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or("")
            .to_owned(),
    })
}

pub(crate) fn json_error_line(e: &Error) -> Option<u32> {
    match e {
        Error::Json { line, .. } => u32::try_from(*line).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates() {
        assert!(is_full_date("2020-02-29"));
        assert!(!is_full_date("2021-02-29"));
        assert!(!is_full_date("08/28/2020"));
        assert!(!is_full_date("2020/02/02"));
        assert!(!is_full_date("2020-13-01"));
    }

    #[test]
    fn subset_validator() {
        let schema = json!({
            "type": "object",
            "properties": {
                "a": {"type": "string", "format": "date"},
                "l": {"type": "array", "items": {"$ref": "#/definitions/lic"}},
            },
            "additionalProperties": false,
            "definitions": {"lic": {"type": "object", "oneOf": [{"required": ["identifier"]}, {"required": ["custom_text"]}]}}
        });
        assert!(
            validate(
                &schema,
                &json!({"a": "2020-01-01", "l": [{"identifier": "MIT"}]})
            )
            .is_empty()
        );
        let v = validate(&schema, &json!({"a": "01/01/2020", "l": [{}], "x": 1}));
        let ptrs: Vec<_> = v.iter().map(|v| v.pointer.as_str()).collect();
        assert_eq!(ptrs, ["a", "l[0]", "x"]);
        assert!(v[0].is_date);
        let v = validate(
            &schema,
            &json!({"l": [{"identifier": "a", "custom_text": "b"}]}),
        );
        assert_eq!(v.len(), 1);
    }
}
