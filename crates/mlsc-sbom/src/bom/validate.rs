//! Validation of CycloneDX 1.4–1.7 JSON without the JSON Schemas at run time.
//!
//! Why not the official schemas: they are not shipped with mlsc, and a JSON Schema engine is a large run-time
//! dependency for one subcommand. So the structural rules that matter are written here, from the schemas
//! (`bom-1.5/1.6/1.7.schema.json`: required fields, enumerations, patterns, the objects' allowed keys — which
//! the schemas close with `additionalProperties: false` — and the licence-choice and version-range rules), and
//! the rules no schema can say are added: bom-refs unique, references resolve, model cards only on model
//! components, licence ids valid SPDX ids, no version specifier written as a version. 1.4 documents are checked
//! with the 1.5 key lists (1.5 only added keys), so a 1.4 document with a 1.5-only key passes.
//!
//! What is not checked structurally: the insides of objects we do not model (`evidence`, `formulation`,
//! `declarations`, `cryptoProperties`, signatures), `format: iri-reference` and e-mail formats, and the exact SPDX
//! list version of each schema (the SPDX crate's list is used). The tests measure agreement with the official
//! schemas on the specification's own examples.

use std::collections::{BTreeMap, BTreeSet};

use mlsc_core::{Finding, Location, Rule, Severity};

use crate::bom::rules;
use serde_json::{Map, Value};

/// The result of validating one BOM.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Validation {
    /// The `specVersion` the document declares, when it declares one.
    pub spec_version: Option<String>,
    /// Every rule broken, with a JSON pointer to where.
    pub findings: Vec<Finding>,
}

impl Validation {
    /// True when no rule is broken (findings below `medium` are advice).
    pub fn is_valid(&self) -> bool {
        self.findings.iter().all(|f| f.severity < Severity::Medium)
    }
}

/// Validates the CycloneDX JSON `bytes` read from `path` (used in finding locations).
///
/// ```
/// let ok = br#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[]}"#;
/// let v = mlsc_sbom::validate_bom_json(ok, "bom.json");
/// assert!(v.is_valid());
/// assert_eq!(v.spec_version.as_deref(), Some("1.6"));
///
/// let not_a_bom = mlsc_sbom::validate_bom_json(b"{\"bomFormat\": \"SPDX\"}", "bom.json");
/// assert!(!not_a_bom.is_valid());
/// ```
pub fn validate_bom_json(bytes: &[u8], path: &str) -> Validation {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => validate_bom_value(&v, path),
        Err(e) => Validation {
            spec_version: None,
            findings: vec![
                {
                    let mut f = rules::NOT_CYCLONEDX.finding(format!("not JSON: {e}"));
                    // The one finding of this code titled in mixed case; kept, since titles are part of the output.
                    f.title = "not CycloneDX".to_owned();
                    f
                }
                .at(Location::file(path).at_line(u32::try_from(e.line()).unwrap_or(u32::MAX))),
            ],
        },
    }
}

/// Validates a CycloneDX document already parsed as JSON.
pub fn validate_bom_value(doc: &Value, path: &str) -> Validation {
    let mut v = Validator {
        path: path.to_owned(),
        minor: 6,
        findings: Vec::new(),
        refs: BTreeMap::new(),
    };
    let spec_version = doc
        .get("specVersion")
        .and_then(Value::as_str)
        .map(str::to_owned);
    v.document(doc);
    if v.findings
        .iter()
        .all(|f| f.code != rules::NOT_CYCLONEDX.code)
    {
        v.semantics(doc);
    }
    Validation {
        spec_version,
        findings: v.findings,
    }
}

struct Validator {
    path: String,
    /// The minor version: 4, 5, 6 or 7.
    minor: u8,
    findings: Vec<Finding>,
    /// bom-ref → pointer of its first definition.
    refs: BTreeMap<String, String>,
}

fn esc(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

const HASH_ALGS: &[&str] = &[
    "MD5",
    "SHA-1",
    "SHA-256",
    "SHA-384",
    "SHA-512",
    "SHA3-256",
    "SHA3-384",
    "SHA3-512",
    "BLAKE2b-256",
    "BLAKE2b-384",
    "BLAKE2b-512",
    "BLAKE3",
];
const HASH_ALGS_17: &[&str] = &["Streebog-256", "Streebog-512"];
const COMPONENT_TYPES: &[&str] = &[
    "application",
    "framework",
    "library",
    "container",
    "platform",
    "operating-system",
    "device",
    "device-driver",
    "firmware",
    "file",
    "machine-learning-model",
    "data",
    "cryptographic-asset",
];
const DATA_TYPES: &[&str] = &[
    "source-code",
    "configuration",
    "dataset",
    "definition",
    "other",
];
const FLOWS: &[&str] = &["inbound", "outbound", "bi-directional", "unknown"];
const APPROACHES: &[&str] = &[
    "supervised",
    "unsupervised",
    "reinforcement-learning",
    "semi-supervised",
    "self-supervised",
];

fn is_uuid_urn(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("urn:uuid:") else {
        return false;
    };
    let groups: Vec<&str> = rest.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

fn is_hex_of_len(s: &str, lens: &[usize]) -> bool {
    lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// True when `s` looks like a version specifier or range rather than a version (`>=2`, `~=1.4`, `1.*`, `^2`).
pub(crate) fn looks_like_specifier(s: &str) -> bool {
    let t = s.trim();
    t.starts_with(['<', '>', '=', '!', '~', '^', '*'])
        || t.contains(',')
        || t.contains(".*")
        || t.contains(" || ")
}

impl Validator {
    fn push(&mut self, rule: &'static Rule, pointer: &str, message: String) {
        let pointer = if pointer.is_empty() { "/" } else { pointer };
        self.findings.push(
            rule.finding(message)
                .at(Location::file(self.path.clone()).at_pointer(pointer)),
        );
    }

    fn schema(&mut self, pointer: &str, message: impl Into<String>) {
        self.push(&rules::SCHEMA_VIOLATION, pointer, message.into());
    }

    /// The object at `ptr`, or a finding. Checks required keys and, when `allowed` is given, unknown keys.
    fn object<'a>(
        &mut self,
        value: &'a Value,
        ptr: &str,
        what: &str,
        required: &[&str],
        allowed: Option<&[&str]>,
    ) -> Option<&'a Map<String, Value>> {
        let Some(obj) = value.as_object() else {
            self.schema(ptr, format!("{what} must be an object"));
            return None;
        };
        for r in required {
            if !obj.contains_key(*r) {
                self.schema(ptr, format!("{what} lacks the required `{r}`"));
            }
        }
        if let Some(allowed) = allowed {
            for k in obj.keys() {
                if !allowed.contains(&k.as_str()) {
                    self.schema(
                        &format!("{ptr}/{}", esc(k)),
                        format!(
                            "`{k}` is not a field of {what} in CycloneDX 1.{}",
                            self.minor
                        ),
                    );
                }
            }
        }
        Some(obj)
    }

    fn string<'a>(&mut self, obj: &'a Map<String, Value>, key: &str, ptr: &str) -> Option<&'a str> {
        match obj.get(key) {
            None => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                self.schema(&format!("{ptr}/{key}"), format!("`{key}` must be a string"));
                None
            }
        }
    }

    fn enumerated(&mut self, obj: &Map<String, Value>, key: &str, ptr: &str, values: &[&str]) {
        if let Some(s) = self.string(obj, key, ptr)
            && !values.contains(&s)
        {
            self.schema(
                &format!("{ptr}/{key}"),
                format!(
                    "`{s}` is not a valid `{key}` (expected one of {})",
                    values.join(", ")
                ),
            );
        }
    }

    fn array<'a>(&mut self, obj: &'a Map<String, Value>, key: &str, ptr: &str) -> &'a [Value] {
        match obj.get(key) {
            None => &[],
            Some(Value::Array(a)) => a,
            Some(_) => {
                self.schema(&format!("{ptr}/{key}"), format!("`{key}` must be an array"));
                &[]
            }
        }
    }

    fn bom_ref(&mut self, obj: &Map<String, Value>, ptr: &str) {
        if let Some(r) = self.string(obj, "bom-ref", ptr)
            && r.is_empty()
        {
            self.schema(&format!("{ptr}/bom-ref"), "`bom-ref` must not be empty");
        }
    }

    fn timestamp(&mut self, obj: &Map<String, Value>, key: &str, ptr: &str) {
        if let Some(s) = self.string(obj, key, ptr)
            && s.parse::<jiff::Timestamp>().is_err()
        {
            self.schema(
                &format!("{ptr}/{key}"),
                format!("`{s}` is not an RFC 3339 date-time"),
            );
        }
    }

    fn document(&mut self, doc: &Value) {
        let Some(obj) = doc.as_object() else {
            self.push(
                &rules::NOT_CYCLONEDX,
                "",
                "the document is not a JSON object".to_owned(),
            );
            return;
        };
        match obj.get("bomFormat").and_then(Value::as_str) {
            Some("CycloneDX") => {}
            Some(other) => {
                self.push(
                    &rules::NOT_CYCLONEDX,
                    "/bomFormat",
                    format!("`bomFormat` is `{other}`, not `CycloneDX`"),
                );
                return;
            }
            None => {
                self.push(
                    &rules::NOT_CYCLONEDX,
                    "/bomFormat",
                    "`bomFormat` is missing".to_owned(),
                );
                return;
            }
        }
        self.minor = match obj.get("specVersion").and_then(Value::as_str) {
            Some("1.4") => 4,
            Some("1.5") => 5,
            Some("1.6") => 6,
            Some("1.7") => 7,
            Some(other) => {
                self.push(
                    &rules::NOT_CYCLONEDX,
                    "/specVersion",
                    format!("CycloneDX `{other}` is not supported (1.4 to 1.7 are)"),
                );
                return;
            }
            None => {
                self.push(
                    &rules::NOT_CYCLONEDX,
                    "/specVersion",
                    "`specVersion` is missing".to_owned(),
                );
                return;
            }
        };
        let mut top = vec![
            "$schema",
            "annotations",
            "bomFormat",
            "components",
            "compositions",
            "dependencies",
            "externalReferences",
            "formulation",
            "metadata",
            "properties",
            "serialNumber",
            "services",
            "signature",
            "specVersion",
            "version",
            "vulnerabilities",
        ];
        if self.minor >= 6 {
            top.extend(["declarations", "definitions"]);
        }
        if self.minor >= 7 {
            top.push("citations");
        }
        self.object(doc, "", "the BOM", &[], Some(&top));
        if let Some(s) = self.string(obj, "serialNumber", "")
            && !is_uuid_urn(s)
        {
            self.schema(
                "/serialNumber",
                format!("`{s}` is not a `urn:uuid:` serial number"),
            );
        }
        if let Some(v) = obj.get("version")
            && v.as_u64().is_none_or(|n| n < 1)
        {
            self.schema("/version", "`version` must be an integer of at least 1");
        }
        if let Some(m) = obj.get("metadata") {
            self.metadata(m, "/metadata");
        }
        for (i, c) in self.array(obj, "components", "").iter().enumerate() {
            self.component(c, &format!("/components/{i}"));
        }
        for (i, s) in self.array(obj, "services", "").iter().enumerate() {
            self.service(s, &format!("/services/{i}"));
        }
        for (i, d) in self.array(obj, "dependencies", "").iter().enumerate() {
            self.dependency(d, &format!("/dependencies/{i}"));
        }
        for (i, x) in self.array(obj, "externalReferences", "").iter().enumerate() {
            self.external_reference(x, &format!("/externalReferences/{i}"));
        }
        self.properties(obj, "");
        for (i, x) in self.array(obj, "vulnerabilities", "").iter().enumerate() {
            self.vulnerability(x, &format!("/vulnerabilities/{i}"));
        }
        for (i, x) in self.array(obj, "compositions", "").iter().enumerate() {
            let p = format!("/compositions/{i}");
            self.object(
                x,
                &p,
                "a composition",
                &["aggregate"],
                Some(&[
                    "aggregate",
                    "assemblies",
                    "bom-ref",
                    "dependencies",
                    "signature",
                    "vulnerabilities",
                ]),
            );
        }
        for (i, x) in self.array(obj, "annotations", "").iter().enumerate() {
            let p = format!("/annotations/{i}");
            if let Some(o) = self.object(
                x,
                &p,
                "an annotation",
                &["subjects", "annotator", "timestamp", "text"],
                Some(&[
                    "annotator",
                    "bom-ref",
                    "signature",
                    "subjects",
                    "text",
                    "timestamp",
                ]),
            ) {
                self.timestamp(o, "timestamp", &p);
            }
        }
        if self.minor >= 7 {
            for (i, x) in self.array(obj, "citations", "").iter().enumerate() {
                let p = format!("/citations/{i}");
                if let Some(o) = self.object(
                    x,
                    &p,
                    "a citation",
                    &["timestamp"],
                    Some(&[
                        "attributedTo",
                        "bom-ref",
                        "expressions",
                        "note",
                        "pointers",
                        "process",
                        "signature",
                        "timestamp",
                    ]),
                ) {
                    self.timestamp(o, "timestamp", &p);
                    if !o.contains_key("attributedTo") && !o.contains_key("process") {
                        self.schema(&p, "a citation needs `attributedTo` or `process`");
                    }
                }
            }
        }
    }

    fn metadata(&mut self, m: &Value, ptr: &str) {
        let mut allowed = vec![
            "authors",
            "component",
            "licenses",
            "lifecycles",
            "manufacture",
            "properties",
            "supplier",
            "timestamp",
            "tools",
        ];
        if self.minor >= 6 {
            allowed.push("manufacturer");
        }
        if self.minor >= 7 {
            allowed.push("distributionConstraints");
        }
        let Some(obj) = self.object(m, ptr, "the metadata", &[], Some(&allowed)) else {
            return;
        };
        self.timestamp(obj, "timestamp", ptr);
        if let Some(c) = obj.get("component") {
            self.component(c, &format!("{ptr}/component"));
        }
        self.licenses(obj, ptr);
        self.properties(obj, ptr);
        match obj.get("tools") {
            Some(Value::Array(tools)) => {
                for (i, t) in tools.iter().enumerate() {
                    self.object(
                        t,
                        &format!("{ptr}/tools/{i}"),
                        "a tool",
                        &[],
                        Some(&["externalReferences", "hashes", "name", "vendor", "version"]),
                    );
                }
            }
            Some(Value::Object(t)) if self.minor >= 5 => {
                let p = format!("{ptr}/tools");
                self.object(
                    &obj["tools"],
                    &p,
                    "the tools",
                    &[],
                    Some(&["components", "services"]),
                );
                for (i, c) in self.array(t, "components", &p).iter().enumerate() {
                    self.component(c, &format!("{p}/components/{i}"));
                }
                for (i, s) in self.array(t, "services", &p).iter().enumerate() {
                    self.service(s, &format!("{p}/services/{i}"));
                }
            }
            Some(_) => self.schema(&format!("{ptr}/tools"), "`tools` has the wrong type"),
            None => {}
        }
    }

    fn component_keys(&self) -> Vec<&'static str> {
        let mut k = vec![
            "author",
            "bom-ref",
            "components",
            "copyright",
            "cpe",
            "data",
            "description",
            "evidence",
            "externalReferences",
            "group",
            "hashes",
            "licenses",
            "mime-type",
            "modelCard",
            "modified",
            "name",
            "pedigree",
            "properties",
            "publisher",
            "purl",
            "releaseNotes",
            "scope",
            "signature",
            "supplier",
            "swid",
            "type",
            "version",
        ];
        if self.minor >= 6 {
            k.extend([
                "authors",
                "cryptoProperties",
                "manufacturer",
                "omniborId",
                "swhid",
                "tags",
            ]);
        }
        if self.minor >= 7 {
            k.extend(["isExternal", "patentAssertions", "versionRange"]);
        }
        k
    }

    fn component(&mut self, c: &Value, ptr: &str) {
        let keys = self.component_keys();
        let Some(obj) = self.object(c, ptr, "a component", &["type", "name"], Some(&keys)) else {
            return;
        };
        self.enumerated(obj, "type", ptr, COMPONENT_TYPES);
        self.string(obj, "name", ptr);
        self.string(obj, "version", ptr);
        self.bom_ref(obj, ptr);
        self.enumerated(obj, "scope", ptr, &["required", "optional", "excluded"]);
        if self.minor >= 7 {
            if obj.contains_key("version") && obj.contains_key("versionRange") {
                self.schema(
                    ptr,
                    "a component may have `version` or `versionRange`, not both",
                );
            }
            if obj.contains_key("versionRange")
                && obj.get("isExternal").and_then(Value::as_bool) != Some(true)
            {
                self.schema(
                    &format!("{ptr}/versionRange"),
                    "`versionRange` is only allowed on external components (`isExternal: true`)",
                );
            }
        }
        for (i, h) in self.array(obj, "hashes", ptr).iter().enumerate() {
            self.hash(h, &format!("{ptr}/hashes/{i}"));
        }
        self.licenses(obj, ptr);
        self.properties(obj, ptr);
        for (i, x) in self
            .array(obj, "externalReferences", ptr)
            .iter()
            .enumerate()
        {
            self.external_reference(x, &format!("{ptr}/externalReferences/{i}"));
        }
        for (i, x) in self.array(obj, "components", ptr).iter().enumerate() {
            self.component(x, &format!("{ptr}/components/{i}"));
        }
        if let Some(swid) = obj.get("swid") {
            self.object(
                swid,
                &format!("{ptr}/swid"),
                "a SWID tag",
                &["tagId", "name"],
                Some(&[
                    "name",
                    "patch",
                    "tagId",
                    "tagVersion",
                    "text",
                    "url",
                    "version",
                ]),
            );
        }
        if let Some(p) = obj.get("pedigree") {
            self.pedigree(p, &format!("{ptr}/pedigree"));
        }
        if let Some(mc) = obj.get("modelCard") {
            self.model_card(mc, &format!("{ptr}/modelCard"));
        }
        for (i, d) in self.array(obj, "data", ptr).iter().enumerate() {
            self.component_data(d, &format!("{ptr}/data/{i}"));
        }
        if let Some(cr) = obj.get("copyright")
            && !cr.is_string()
        {
            self.schema(&format!("{ptr}/copyright"), "`copyright` must be a string");
        }
    }

    fn pedigree(&mut self, p: &Value, ptr: &str) {
        let Some(obj) = self.object(
            p,
            ptr,
            "a pedigree",
            &[],
            Some(&[
                "ancestors",
                "descendants",
                "variants",
                "commits",
                "patches",
                "notes",
            ]),
        ) else {
            return;
        };
        for key in ["ancestors", "descendants", "variants"] {
            for (i, c) in self.array(obj, key, ptr).iter().enumerate() {
                self.component(c, &format!("{ptr}/{key}/{i}"));
            }
        }
        for (i, patch) in self.array(obj, "patches", ptr).iter().enumerate() {
            let pp = format!("{ptr}/patches/{i}");
            let Some(po) = self.object(
                patch,
                &pp,
                "a patch",
                &["type"],
                Some(&["diff", "resolves", "type"]),
            ) else {
                continue;
            };
            self.enumerated(
                po,
                "type",
                &pp,
                &["unofficial", "monkey", "backport", "cherry-pick"],
            );
            if let Some(diff) = po.get("diff")
                && let Some(d) = self.object(
                    diff,
                    &format!("{pp}/diff"),
                    "a diff",
                    &[],
                    Some(&["text", "url"]),
                )
                && let Some(text) = d.get("text")
            {
                self.attachment(text, &format!("{pp}/diff/text"));
            }
            for (j, issue) in self.array(po, "resolves", &pp).iter().enumerate() {
                let ip = format!("{pp}/resolves/{j}");
                if let Some(io) = self.object(
                    issue,
                    &ip,
                    "an issue",
                    &["type"],
                    Some(&["description", "id", "name", "references", "source", "type"]),
                ) {
                    self.enumerated(io, "type", &ip, &["defect", "enhancement", "security"]);
                }
            }
        }
    }

    fn attachment(&mut self, a: &Value, ptr: &str) {
        if let Some(o) = self.object(
            a,
            ptr,
            "an attachment",
            &["content"],
            Some(&["content", "contentType", "encoding"]),
        ) {
            self.enumerated(o, "encoding", ptr, &["base64"]);
            self.string(o, "content", ptr);
        }
    }

    fn hash(&mut self, h: &Value, ptr: &str) {
        let Some(obj) = self.object(
            h,
            ptr,
            "a hash",
            &["alg", "content"],
            Some(&["alg", "content"]),
        ) else {
            return;
        };
        let mut algs: Vec<&str> = HASH_ALGS.to_vec();
        if self.minor >= 7 {
            algs.extend(HASH_ALGS_17);
        }
        self.enumerated(obj, "alg", ptr, &algs);
        if let Some(content) = self.string(obj, "content", ptr)
            && !is_hex_of_len(content, &[32, 40, 64, 96, 128])
        {
            self.schema(
                &format!("{ptr}/content"),
                format!("`{content}` is not a hex digest of 32, 40, 64, 96 or 128 digits"),
            );
        }
    }

    fn licenses(&mut self, obj: &Map<String, Value>, ptr: &str) {
        let items = self.array(obj, "licenses", ptr);
        if items.is_empty() {
            return;
        }
        let lp = format!("{ptr}/licenses");
        let expressions = items
            .iter()
            .filter(|i| i.get("expression").is_some())
            .count();
        // 1.5 and 1.6: a list of licences, or exactly one expression; 1.7 allows a mix.
        if self.minor <= 6 && expressions > 0 && items.len() > 1 {
            self.schema(
                &lp,
                "a licence list holds either licences or exactly one SPDX expression, not both",
            );
        }
        for (i, item) in items.iter().enumerate() {
            let ip = format!("{lp}/{i}");
            let Some(io) = item.as_object() else {
                self.schema(&ip, "a licence choice must be an object");
                continue;
            };
            if io.contains_key("license") && io.contains_key("expression") {
                self.schema(
                    &ip,
                    "a licence choice has `license` or `expression`, not both",
                );
                continue;
            }
            if let Some(l) = io.get("license") {
                self.object(
                    item,
                    &ip,
                    "a licence choice",
                    &["license"],
                    Some(&["license"]),
                );
                self.license(l, &format!("{ip}/license"));
            } else if io.contains_key("expression") {
                let mut allowed = vec!["expression", "bom-ref"];
                if self.minor >= 6 {
                    allowed.push("acknowledgement");
                }
                if self.minor >= 7 {
                    allowed.extend(["expressionDetails", "licensing", "properties"]);
                }
                self.object(
                    item,
                    &ip,
                    "a licence expression",
                    &["expression"],
                    Some(&allowed),
                );
                if let Some(e) = self.string(io, "expression", &ip)
                    && spdx::Expression::parse_mode(e, spdx::ParseMode::LAX).is_err()
                {
                    self.push(
                        &rules::INVALID_LICENSE_ID,
                        &format!("{ip}/expression"),
                        format!("`{e}` is not a valid SPDX licence expression"),
                    );
                }
            } else {
                self.schema(&ip, "a licence choice needs `license` or `expression`");
            }
        }
    }

    fn license(&mut self, l: &Value, ptr: &str) {
        let mut allowed = vec![
            "bom-ref",
            "id",
            "licensing",
            "name",
            "properties",
            "text",
            "url",
        ];
        if self.minor >= 6 {
            allowed.push("acknowledgement");
        }
        let Some(obj) = self.object(l, ptr, "a licence", &[], Some(&allowed)) else {
            return;
        };
        match (obj.contains_key("id"), obj.contains_key("name")) {
            (true, true) => self.schema(ptr, "a licence has an `id` or a `name`, not both"),
            (false, false) => self.schema(ptr, "a licence needs an `id` or a `name`"),
            _ => {}
        }
        if let Some(id) = self.string(obj, "id", ptr)
            && spdx::license_id(id).is_none_or(|l| l.name != id)
        {
            self.push(
                &rules::INVALID_LICENSE_ID,
                &format!("{ptr}/id"),
                format!("`{id}` is not an SPDX licence id"),
            );
        }
        if let Some(t) = obj.get("text") {
            self.attachment(t, &format!("{ptr}/text"));
        }
        if self.minor >= 6 {
            self.enumerated(obj, "acknowledgement", ptr, &["declared", "concluded"]);
        }
        self.properties(obj, ptr);
    }

    fn properties(&mut self, obj: &Map<String, Value>, ptr: &str) {
        for (i, p) in self.array(obj, "properties", ptr).iter().enumerate() {
            let pp = format!("{ptr}/properties/{i}");
            // 1.4 and 1.5 leave `name` optional and the object open.
            if self.minor >= 6 {
                if let Some(o) =
                    self.object(p, &pp, "a property", &["name"], Some(&["name", "value"]))
                {
                    self.string(o, "name", &pp);
                    self.string(o, "value", &pp);
                }
            } else if let Some(o) = self.object(p, &pp, "a property", &[], None) {
                self.string(o, "name", &pp);
                self.string(o, "value", &pp);
            }
        }
    }

    fn external_reference(&mut self, x: &Value, ptr: &str) {
        let mut allowed = vec!["comment", "hashes", "type", "url"];
        if self.minor >= 7 {
            allowed.push("properties");
        }
        if let Some(o) = self.object(
            x,
            ptr,
            "an external reference",
            &["url", "type"],
            Some(&allowed),
        ) {
            self.string(o, "url", ptr);
            self.string(o, "type", ptr);
            for (i, h) in self.array(o, "hashes", ptr).iter().enumerate() {
                self.hash(h, &format!("{ptr}/hashes/{i}"));
            }
        }
    }

    fn service(&mut self, s: &Value, ptr: &str) {
        let mut allowed = vec![
            "authenticated",
            "bom-ref",
            "data",
            "description",
            "endpoints",
            "externalReferences",
            "group",
            "licenses",
            "name",
            "properties",
            "provider",
            "releaseNotes",
            "services",
            "signature",
            "trustZone",
            "version",
            "x-trust-boundary",
        ];
        if self.minor >= 6 {
            allowed.push("tags");
        }
        if self.minor >= 7 {
            allowed.push("patentAssertions");
        }
        let Some(obj) = self.object(s, ptr, "a service", &["name"], Some(&allowed)) else {
            return;
        };
        self.bom_ref(obj, ptr);
        self.licenses(obj, ptr);
        self.properties(obj, ptr);
        for (i, d) in self.array(obj, "data", ptr).iter().enumerate() {
            let dp = format!("{ptr}/data/{i}");
            let allowed: &[&str] = if self.minor >= 5 {
                &[
                    "flow",
                    "classification",
                    "name",
                    "description",
                    "governance",
                    "source",
                    "destination",
                ]
            } else {
                &["flow", "classification"]
            };
            if let Some(o) = self.object(
                d,
                &dp,
                "service data",
                &["flow", "classification"],
                Some(allowed),
            ) {
                self.enumerated(o, "flow", &dp, FLOWS);
                self.string(o, "classification", &dp);
            }
        }
        for (i, x) in self.array(obj, "services", ptr).iter().enumerate() {
            self.service(x, &format!("{ptr}/services/{i}"));
        }
        for (i, x) in self
            .array(obj, "externalReferences", ptr)
            .iter()
            .enumerate()
        {
            self.external_reference(x, &format!("{ptr}/externalReferences/{i}"));
        }
    }

    fn dependency(&mut self, d: &Value, ptr: &str) {
        let allowed: &[&str] = if self.minor >= 6 {
            &["dependsOn", "provides", "ref"]
        } else {
            &["dependsOn", "ref"]
        };
        let Some(obj) = self.object(d, ptr, "a dependency", &["ref"], Some(allowed)) else {
            return;
        };
        if let Some(r) = self.string(obj, "ref", ptr)
            && r.is_empty()
        {
            self.schema(&format!("{ptr}/ref"), "`ref` must not be empty");
        }
        for key in ["dependsOn", "provides"] {
            let items = self.array(obj, key, ptr);
            let mut seen = BTreeSet::new();
            for (i, x) in items.iter().enumerate() {
                match x.as_str() {
                    Some("") => {
                        self.schema(&format!("{ptr}/{key}/{i}"), "a reference must not be empty")
                    }
                    Some(s) => {
                        if !seen.insert(s) {
                            self.schema(
                                &format!("{ptr}/{key}/{i}"),
                                format!("`{s}` appears twice in `{key}`"),
                            );
                        }
                    }
                    None => {
                        self.schema(&format!("{ptr}/{key}/{i}"), "a reference must be a string")
                    }
                }
            }
        }
    }

    fn vulnerability(&mut self, v: &Value, ptr: &str) {
        let Some(obj) = self.object(
            v,
            ptr,
            "a vulnerability",
            &[],
            Some(&[
                "advisories",
                "affects",
                "analysis",
                "bom-ref",
                "created",
                "credits",
                "cwes",
                "description",
                "detail",
                "id",
                "proofOfConcept",
                "properties",
                "published",
                "ratings",
                "recommendation",
                "references",
                "rejected",
                "source",
                "tools",
                "updated",
                "workaround",
            ]),
        ) else {
            return;
        };
        self.bom_ref(obj, ptr);
        for key in ["created", "published", "updated", "rejected"] {
            self.timestamp(obj, key, ptr);
        }
        for (i, r) in self.array(obj, "ratings", ptr).iter().enumerate() {
            let rp = format!("{ptr}/ratings/{i}");
            if let Some(ro) = self.object(
                r,
                &rp,
                "a rating",
                &[],
                Some(&[
                    "source",
                    "score",
                    "severity",
                    "method",
                    "vector",
                    "justification",
                ]),
            ) {
                self.enumerated(
                    ro,
                    "severity",
                    &rp,
                    &[
                        "critical", "high", "medium", "low", "info", "none", "unknown",
                    ],
                );
                if let Some(s) = ro.get("score")
                    && !s.is_number()
                {
                    self.schema(&format!("{rp}/score"), "`score` must be a number");
                }
            }
        }
        for (i, a) in self.array(obj, "affects", ptr).iter().enumerate() {
            let ap = format!("{ptr}/affects/{i}");
            if let Some(ao) = self.object(
                a,
                &ap,
                "an affected component",
                &["ref"],
                Some(&["ref", "versions"]),
            ) {
                for (j, ver) in self.array(ao, "versions", &ap).iter().enumerate() {
                    let vp = format!("{ap}/versions/{j}");
                    if let Some(vo) = self.object(
                        ver,
                        &vp,
                        "an affected version",
                        &[],
                        Some(&["version", "range", "status"]),
                    ) {
                        if vo.contains_key("version") == vo.contains_key("range") {
                            self.schema(
                                &vp,
                                "an affected version has a `version` or a `range`, exactly one",
                            );
                        }
                        self.enumerated(vo, "status", &vp, &["affected", "unaffected", "unknown"]);
                    }
                }
            }
        }
        self.properties(obj, ptr);
    }

    fn model_card(&mut self, mc: &Value, ptr: &str) {
        let Some(obj) = self.object(
            mc,
            ptr,
            "a model card",
            &[],
            Some(&[
                "bom-ref",
                "considerations",
                "modelParameters",
                "properties",
                "quantitativeAnalysis",
            ]),
        ) else {
            return;
        };
        self.bom_ref(obj, ptr);
        self.properties(obj, ptr);
        if let Some(mp) = obj.get("modelParameters") {
            let pp = format!("{ptr}/modelParameters");
            if let Some(po) = self.object(
                mp,
                &pp,
                "model parameters",
                &[],
                Some(&[
                    "approach",
                    "task",
                    "architectureFamily",
                    "modelArchitecture",
                    "datasets",
                    "inputs",
                    "outputs",
                ]),
            ) {
                if let Some(a) = po.get("approach")
                    && let Some(ao) = self.object(
                        a,
                        &format!("{pp}/approach"),
                        "an approach",
                        &[],
                        Some(&["type"]),
                    )
                {
                    self.enumerated(ao, "type", &format!("{pp}/approach"), APPROACHES);
                }
                for key in ["task", "architectureFamily", "modelArchitecture"] {
                    self.string(po, key, &pp);
                }
                for (i, d) in self.array(po, "datasets", &pp).iter().enumerate() {
                    let dp = format!("{pp}/datasets/{i}");
                    match d {
                        Value::Object(o) if o.contains_key("type") => self.component_data(d, &dp),
                        Value::Object(_) => {
                            if let Some(o) =
                                self.object(d, &dp, "a dataset reference", &[], Some(&["ref"]))
                            {
                                self.string(o, "ref", &dp);
                            }
                        }
                        _ => self.schema(
                            &dp,
                            "a dataset must be an object: `{\"ref\": …}` or inline data",
                        ),
                    }
                }
                for key in ["inputs", "outputs"] {
                    for (i, x) in self.array(po, key, &pp).iter().enumerate() {
                        if let Some(o) = self.object(
                            x,
                            &format!("{pp}/{key}/{i}"),
                            "an input or output",
                            &[],
                            Some(&["format"]),
                        ) {
                            self.string(o, "format", &format!("{pp}/{key}/{i}"));
                        }
                    }
                }
            }
        }
        if let Some(qa) = obj.get("quantitativeAnalysis") {
            let qp = format!("{ptr}/quantitativeAnalysis");
            if let Some(qo) = self.object(
                qa,
                &qp,
                "a quantitative analysis",
                &[],
                Some(&["performanceMetrics", "graphics"]),
            ) {
                for (i, m) in self.array(qo, "performanceMetrics", &qp).iter().enumerate() {
                    let mp = format!("{qp}/performanceMetrics/{i}");
                    if let Some(mo) = self.object(
                        m,
                        &mp,
                        "a performance metric",
                        &[],
                        Some(&["type", "value", "slice", "confidenceInterval"]),
                    ) {
                        for key in ["type", "value", "slice"] {
                            self.string(mo, key, &mp);
                        }
                        if let Some(ci) = mo.get("confidenceInterval") {
                            self.object(
                                ci,
                                &format!("{mp}/confidenceInterval"),
                                "a confidence interval",
                                &[],
                                Some(&["lowerBound", "upperBound"]),
                            );
                        }
                    }
                }
                if let Some(g) = qo.get("graphics") {
                    self.object(
                        g,
                        &format!("{qp}/graphics"),
                        "graphics",
                        &[],
                        Some(&["description", "collection"]),
                    );
                }
            }
        }
        if let Some(c) = obj.get("considerations") {
            let cp = format!("{ptr}/considerations");
            if let Some(co) = self.object(
                c,
                &cp,
                "considerations",
                &[],
                Some(&[
                    "users",
                    "useCases",
                    "technicalLimitations",
                    "performanceTradeoffs",
                    "ethicalConsiderations",
                    "environmentalConsiderations",
                    "fairnessAssessments",
                ]),
            ) {
                for key in [
                    "users",
                    "useCases",
                    "technicalLimitations",
                    "performanceTradeoffs",
                ] {
                    for (i, x) in self.array(co, key, &cp).iter().enumerate() {
                        if !x.is_string() {
                            self.schema(
                                &format!("{cp}/{key}/{i}"),
                                format!("`{key}` items must be strings"),
                            );
                        }
                    }
                }
                for (i, x) in self
                    .array(co, "ethicalConsiderations", &cp)
                    .iter()
                    .enumerate()
                {
                    self.object(
                        x,
                        &format!("{cp}/ethicalConsiderations/{i}"),
                        "a risk",
                        &[],
                        Some(&["name", "mitigationStrategy"]),
                    );
                }
                for (i, x) in self
                    .array(co, "fairnessAssessments", &cp)
                    .iter()
                    .enumerate()
                {
                    self.object(
                        x,
                        &format!("{cp}/fairnessAssessments/{i}"),
                        "a fairness assessment",
                        &[],
                        Some(&["groupAtRisk", "benefits", "harms", "mitigationStrategy"]),
                    );
                }
                if self.minor >= 6
                    && let Some(e) = co.get("environmentalConsiderations")
                    && let Some(eo) = self.object(
                        e,
                        &format!("{cp}/environmentalConsiderations"),
                        "environmental considerations",
                        &[],
                        Some(&["energyConsumptions", "properties"]),
                    )
                {
                    self.properties(eo, &format!("{cp}/environmentalConsiderations"));
                }
            }
        }
    }

    fn component_data(&mut self, d: &Value, ptr: &str) {
        let Some(obj) = self.object(
            d,
            ptr,
            "component data",
            &["type"],
            Some(&[
                "bom-ref",
                "type",
                "name",
                "contents",
                "classification",
                "sensitiveData",
                "graphics",
                "description",
                "governance",
            ]),
        ) else {
            return;
        };
        self.bom_ref(obj, ptr);
        self.enumerated(obj, "type", ptr, DATA_TYPES);
        for (i, s) in self.array(obj, "sensitiveData", ptr).iter().enumerate() {
            if !s.is_string() {
                self.schema(
                    &format!("{ptr}/sensitiveData/{i}"),
                    "`sensitiveData` items must be strings",
                );
            }
        }
        if let Some(c) = obj.get("contents")
            && let Some(co) = self.object(
                c,
                &format!("{ptr}/contents"),
                "data contents",
                &[],
                Some(&["attachment", "url", "properties"]),
            )
        {
            self.properties(co, &format!("{ptr}/contents"));
            if let Some(a) = co.get("attachment") {
                self.attachment(a, &format!("{ptr}/contents/attachment"));
            }
        }
        if let Some(g) = obj.get("governance")
            && let Some(go) = self.object(
                g,
                &format!("{ptr}/governance"),
                "data governance",
                &[],
                Some(&["custodians", "stewards", "owners"]),
            )
        {
            for key in ["custodians", "stewards", "owners"] {
                for (i, p) in self
                    .array(go, key, &format!("{ptr}/governance"))
                    .iter()
                    .enumerate()
                {
                    let pp = format!("{ptr}/governance/{key}/{i}");
                    if let Some(po) = self.object(
                        p,
                        &pp,
                        "a responsible party",
                        &[],
                        Some(&["organization", "contact"]),
                    ) && po.contains_key("organization") == po.contains_key("contact")
                    {
                        self.schema(
                            &pp,
                            "a responsible party has an `organization` or a `contact`, exactly one",
                        );
                    }
                }
            }
        }
    }

    /// The rules no schema can say.
    fn semantics(&mut self, doc: &Value) {
        // Every bom-ref, anywhere (components, services, model cards, data, licences, vulnerabilities, …).
        let mut dups = Vec::new();
        collect_refs(doc, String::new(), &mut self.refs, &mut dups);
        for (r, ptr) in dups {
            let first = self.refs.get(&r).cloned().unwrap_or_default();
            let in_formulation =
                |p: &str| p.starts_with("/formulation/") || p.starts_with("/declarations/");
            if in_formulation(&ptr) && in_formulation(&first) {
                // The specification's own `valid-citations-1.7.json` gives a formula and its workflow the same
                // bom-ref; nothing in the component graph can point at either, so this is advice, not a defect.
                let mut f = rules::DUPLICATE_BOM_REF.finding_at(Severity::Low, format!(
                        "bom-ref `{r}` is already used at {first} (inside formulation: not referenced by components)"
                    ),
                );
                f.location = Location::file(self.path.clone()).at_pointer(ptr);
                self.findings.push(f);
            } else {
                self.push(
                    &rules::DUPLICATE_BOM_REF,
                    &ptr,
                    format!("bom-ref `{r}` is already used at {first}"),
                );
            }
        }
        let Some(obj) = doc.as_object() else { return };
        // Dependencies resolve.
        let deps = obj
            .get("dependencies")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (i, d) in deps.iter().enumerate() {
            if let Some(r) = d.get("ref").and_then(Value::as_str) {
                self.resolve(r, &format!("/dependencies/{i}/ref"));
            }
            for key in ["dependsOn", "provides"] {
                if let Some(items) = d.get(key).and_then(Value::as_array) {
                    for (j, x) in items.iter().enumerate() {
                        if let Some(r) = x.as_str() {
                            self.resolve(r, &format!("/dependencies/{i}/{key}/{j}"));
                        }
                    }
                }
            }
        }
        // Vulnerabilities' affected components resolve.
        let vulns = obj
            .get("vulnerabilities")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (i, v) in vulns.iter().enumerate() {
            if let Some(aff) = v.get("affects").and_then(Value::as_array) {
                for (j, a) in aff.iter().enumerate() {
                    if let Some(r) = a.get("ref").and_then(Value::as_str) {
                        self.resolve(r, &format!("/vulnerabilities/{i}/affects/{j}/ref"));
                    }
                }
            }
        }
        // Components: model cards, dataset references, licence ids, versions.
        let mut stack: Vec<(String, &Value)> = Vec::new();
        if let Some(c) = obj.get("metadata").and_then(|m| m.get("component")) {
            stack.push(("/metadata/component".to_owned(), c));
        }
        if let Some(cs) = obj.get("components").and_then(Value::as_array) {
            for (i, c) in cs.iter().enumerate() {
                stack.push((format!("/components/{i}"), c));
            }
        }
        while let Some((ptr, c)) = stack.pop() {
            let Some(co) = c.as_object() else { continue };
            let kind = co.get("type").and_then(Value::as_str).unwrap_or("");
            if co.contains_key("modelCard") && kind != "machine-learning-model" {
                self.push(&rules::MISPLACED_MODEL_CARD,
                    &format!("{ptr}/modelCard"),
                    format!("a model card on a `{kind}` component; model cards belong to machine-learning-model components"),
                );
            }
            if let Some(ds) = co
                .get("modelCard")
                .and_then(|m| m.get("modelParameters"))
                .and_then(|m| m.get("datasets"))
                .and_then(Value::as_array)
            {
                for (i, d) in ds.iter().enumerate() {
                    if let Some(r) = d.get("ref").and_then(Value::as_str)
                        && !r.starts_with("urn:cdx:")
                    {
                        self.resolve(
                            r,
                            &format!("{ptr}/modelCard/modelParameters/datasets/{i}/ref"),
                        );
                    }
                }
            }
            if let (Some(version), Some(purl)) = (
                co.get("version").and_then(Value::as_str),
                co.get("purl").and_then(Value::as_str),
            ) && purl.starts_with("pkg:pypi/")
                && looks_like_specifier(version)
            {
                self.push(
                    &rules::SPECIFIER_AS_VERSION,
                    &format!("{ptr}/version"),
                    format!("`{version}` is a version specifier, not a version"),
                );
            }
            if let Some(cs) = co.get("components").and_then(Value::as_array) {
                for (i, x) in cs.iter().enumerate() {
                    stack.push((format!("{ptr}/components/{i}"), x));
                }
            }
            if let Some(p) = co.get("pedigree").and_then(Value::as_object) {
                for key in ["ancestors", "descendants", "variants"] {
                    if let Some(cs) = p.get(key).and_then(Value::as_array) {
                        for (i, x) in cs.iter().enumerate() {
                            stack.push((format!("{ptr}/pedigree/{key}/{i}"), x));
                        }
                    }
                }
            }
        }
        self.findings.sort_by(|a, b| {
            a.location
                .pointer
                .cmp(&b.location.pointer)
                .then(a.code.cmp(&b.code))
        });
        self.findings.dedup();
    }

    fn resolve(&mut self, r: &str, ptr: &str) {
        if !r.is_empty() && !self.refs.contains_key(r) && !r.starts_with("urn:cdx:") {
            self.push(
                &rules::DANGLING_REFERENCE,
                ptr,
                format!("`{r}` is not the bom-ref of anything in the BOM"),
            );
        }
    }
}

fn collect_refs(
    v: &Value,
    ptr: String,
    refs: &mut BTreeMap<String, String>,
    dups: &mut Vec<(String, String)>,
) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get("bom-ref")
                && !r.is_empty()
            {
                let here = format!("{ptr}/bom-ref");
                if refs.contains_key(r) {
                    dups.push((r.clone(), here));
                } else {
                    refs.insert(r.clone(), here);
                }
            }
            for (k, x) in o {
                collect_refs(x, format!("{ptr}/{}", esc(k)), refs, dups);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                collect_refs(x, format!("{ptr}/{i}"), refs, dups);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specifiers() {
        assert!(looks_like_specifier(">=2"));
        assert!(looks_like_specifier("==1.*"));
        assert!(looks_like_specifier("1.0,<2"));
        assert!(!looks_like_specifier("2.2.0+cpu"));
        assert!(!looks_like_specifier("1!2.0.post1"));
    }

    #[test]
    fn uuid_urns() {
        assert!(is_uuid_urn("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"));
        assert!(!is_uuid_urn("urn:uuid:3e671687-395b-41f5-a30f"));
        assert!(!is_uuid_urn(
            "urn:uuid:3E671687-395b-41f5-a30f-a58921a69b79"
        ));
    }

    #[test]
    fn semantic_rules() {
        let doc = serde_json::json!({
            "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
            "components": [
                {"type": "library", "name": "a", "bom-ref": "a", "version": ">=2", "purl": "pkg:pypi/a",
                 "modelCard": {}},
                {"type": "library", "name": "b", "bom-ref": "a", "licenses": [{"license": {"id": "Apache-2"}}]}
            ],
            "dependencies": [{"ref": "a", "dependsOn": ["missing"]}]
        });
        let v = validate_bom_value(&doc, "x.json");
        let codes: BTreeSet<&str> = v.findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "MLSC-BOM-102",
                "MLSC-BOM-103",
                "MLSC-BOM-104",
                "MLSC-BOM-105",
                "MLSC-BOM-106"
            ]
            .into()
        );
        assert!(!v.is_valid());
    }
}
