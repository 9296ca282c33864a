//! Metadata checks: the keys every card shares, gating, model metadata (`model-index`, `base_model`, ...) and
//! dataset metadata.

use super::*;

/// A Hub repository id: `name` (legacy, unnamespaced) or `org/name`, letters, digits, `-`, `_`, `.`.
pub(super) fn is_hub_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('/').count() <= 2
        && id.split('/').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
}

/// The checks' shared view of one card.
pub(crate) struct Ctx<'a> {
    pub(crate) raw: &'a RawCard<'a>,
    pub(crate) meta: &'a Value,
    pub(crate) vocab: &'a Vocabularies,
}

/// Whether a value is a string, or a list of strings.
pub(super) fn is_str_or_str_list(v: &Value) -> bool {
    match v {
        Value::String(_) => true,
        Value::Array(a) => a.iter().all(Value::is_string),
        _ => false,
    }
}

pub(super) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    }
}

impl Ctx<'_> {
    pub(super) fn line(&self, path: &str) -> Option<u32> {
        self.raw.line_of(path)
    }

    pub(super) fn get(&self, key: &str) -> Option<&Value> {
        self.meta.get(key)
    }

    pub(super) fn type_finding(&self, sink: &mut Sink<'_>, key: &str, expected: &str, v: &Value) {
        sink.push(
            &rules::METADATA_TYPE,
            format!("`{key}` should be {expected}, not a {}", kind_of(v)),
            self.line(key),
            Some(key),
        );
    }

    /// Keys shared by model and dataset cards: licence, language, tags, misspellings.
    pub(super) fn common_metadata(&self, sink: &mut Sink<'_>, dataset: bool) {
        let Some(map) = self.meta.as_object() else {
            return;
        };
        for (bad, good) in MISSPELT {
            if map.contains_key(*bad) && !map.contains_key(*good) {
                if dataset && *bad == "licenses" {
                    continue;
                }
                sink.push(
                    &rules::METADATA_KEY_MISSPELT,
                    format!("`{bad}` is not a key the Hub reads; did you mean `{good}`?"),
                    self.line(bad),
                    Some(bad),
                );
            }
        }
        if let Some(v) = self.get("license") {
            let ok = if dataset {
                is_str_or_str_list(v)
            } else {
                v.is_string() || is_str_or_str_list(v)
            };
            if !ok {
                self.type_finding(sink, "license", "a licence id string", v);
            } else if !dataset && v.is_array() {
                sink.push(
                    &rules::METADATA_TYPE,
                    "`license` of a model card should be one licence id, not a list",
                    self.line("license"),
                    Some("license"),
                );
            }
            let list = string_or_list(Some(v));
            for (i, l) in list.iter().enumerate() {
                let p = if v.is_array() {
                    format!("license[{i}]")
                } else {
                    "license".to_owned()
                };
                if !self.vocab.licenses.contains(l.as_str()) {
                    let hint = if self.vocab.licenses.contains(l.to_lowercase().as_str()) {
                        format!(" (the Hub's id is `{}`)", l.to_lowercase())
                    } else {
                        String::new()
                    };
                    sink.push(
                        &rules::LICENSE_UNKNOWN,
                        format!("licence `{l}` is not a Hub licence id{hint} (list: {}); use `other` with `license_name` and `license_link`", self.vocab.source),
                        self.line(&p),
                        Some(&p),
                    );
                }
            }
            if list.iter().any(|l| l == "other") {
                let name = self.get("license_name").and_then(as_text);
                let link = self.get("license_link").and_then(as_text);
                if name.is_none() || link.is_none() {
                    let missing: Vec<&str> = [
                        ("license_name", name.is_none()),
                        ("license_link", link.is_none()),
                    ]
                    .iter()
                    .filter(|(_, m)| *m)
                    .map(|(k, _)| *k)
                    .collect();
                    sink.push(
                        &rules::LICENSE_OTHER_INCOMPLETE,
                        format!(
                            "`license: other` without {}: the licence cannot be identified",
                            missing
                                .iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(" and ")
                        ),
                        self.line("license"),
                        Some("license"),
                    );
                }
                if let Some(n) = name
                    && !n.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '_')
                    })
                {
                    sink.push(&rules::LICENSE_OTHER_INCOMPLETE, format!("`license_name` `{n}` should be a lowercase id (letters, digits, `-`, `.`)"), self.line("license_name"), Some("license_name"));
                }
                if let Some(l) = link {
                    let url = l.starts_with("https://") || l.starts_with("http://");
                    let file = !l.contains("://") && !l.contains(' ') && !l.is_empty();
                    if !url && !file {
                        sink.push(
                            &rules::LICENSE_OTHER_INCOMPLETE,
                            format!(
                                "`license_link` `{l}` is neither a URL nor a file of the repository"
                            ),
                            self.line("license_link"),
                            Some("license_link"),
                        );
                    }
                }
            }
        }
        if let Some(v) = self.get("language") {
            if !is_str_or_str_list(v) {
                // `language: no` read as false by PyYAML is reported by the lexical check; here only real type
                // errors remain.
                self.type_finding(sink, "language", "a language code or a list of them", v);
            }
            let list: Vec<(String, String)> = match v {
                Value::Array(a) => a
                    .iter()
                    .enumerate()
                    .filter_map(|(i, x)| as_text(x).map(|t| (format!("language[{i}]"), t)))
                    .collect(),
                other => as_text(other)
                    .map(|t| ("language".to_owned(), t))
                    .into_iter()
                    .collect(),
            };
            for (p, code) in list {
                if !self.vocab.is_language(&code) {
                    sink.push(
                        &rules::LANGUAGE_UNKNOWN,
                        format!("language `{code}` is not an ISO 639-1 or 639-3 code known to the Hub (list: {})", self.vocab.source),
                        self.line(&p),
                        Some(&p),
                    );
                }
            }
        }
        if let Some(v) = self.get("tags")
            && !is_str_or_str_list(v)
        {
            self.type_finding(sink, "tags", "a list of strings", v);
        }
        for key in [
            "license_name",
            "license_link",
            "pretty_name",
            "pipeline_tag",
            "library_name",
            "thumbnail",
            "new_version",
        ] {
            // An empty value (`thumbnail:`) is absent, not mistyped.
            if let Some(v) = self.get(key)
                && !v.is_string()
                && !v.is_null()
            {
                self.type_finding(sink, key, "a string", v);
            }
        }
        self.gated(sink);
    }

    pub(super) fn gated(&self, sink: &mut Sink<'_>) {
        if let Some(g) = self.get("gated") {
            let ok = matches!(g, Value::Bool(_)) || matches!(g.as_str(), Some("auto" | "manual"));
            if !ok {
                sink.push(
                    &rules::GATED_METADATA,
                    format!("`gated` should be `auto`, `manual` or a boolean, not {g}"),
                    self.line("gated"),
                    Some("gated"),
                );
            }
        }
        for key in [
            "extra_gated_prompt",
            "extra_gated_heading",
            "extra_gated_description",
            "extra_gated_button_content",
        ] {
            if let Some(v) = self.get(key)
                && !v.is_string()
            {
                sink.push(
                    &rules::GATED_METADATA,
                    format!("`{key}` should be a string, not a {}", kind_of(v)),
                    self.line(key),
                    Some(key),
                );
            }
        }
        if let Some(fields) = self.get("extra_gated_fields") {
            let Some(map) = fields.as_object() else {
                sink.push(
                    &rules::GATED_METADATA,
                    format!(
                        "`extra_gated_fields` should be a mapping of field label to type, not a {}",
                        kind_of(fields)
                    ),
                    self.line("extra_gated_fields"),
                    Some("extra_gated_fields"),
                );
                return;
            };
            for (label, ty) in map {
                let p = format!("extra_gated_fields.{label}");
                let ok = match ty {
                    Value::String(s) => {
                        matches!(
                            s.as_str(),
                            "text" | "checkbox" | "date_picker" | "country" | "ip_location"
                        )
                    }
                    Value::Object(o) => match o.get("type").and_then(Value::as_str) {
                        Some("select") => o.get("options").is_some_and(Value::is_array),
                        Some("text" | "checkbox" | "date_picker" | "country" | "ip_location") => {
                            true
                        }
                        _ => false,
                    },
                    _ => false,
                };
                if !ok {
                    sink.push(&rules::GATED_METADATA, format!("gated field `{label}` has type {ty}: expected `text`, `checkbox`, `date_picker`, `country`, `ip_location` or `{{type: select, options: [...]}}`"), self.line(&p), Some(&p));
                }
            }
        }
    }

    /// Model-card keys. Returns `Some(lenient_loads)` when huggingface_hub would refuse the card.
    pub(super) fn model_metadata(&self, sink: &mut Sink<'_>) -> Option<bool> {
        let mut refuse: Option<bool> = None;
        if let Some(v) = self.get("tags")
            && matches!(v, Value::Number(_) | Value::Bool(true | false))
        {
            sink.push(
                    &rules::METADATA_TYPE,
                    format!("`tags` is a {}: huggingface_hub iterates over it and fails, so the card does not load", kind_of(v)),
                    self.line("tags"),
                    Some("tags"),
                );
            refuse = Some(false);
        }
        for key in ["datasets", "base_model", "metrics"] {
            if let Some(v) = self.get(key)
                && !is_str_or_str_list(v)
                && !v.is_null()
            {
                self.type_finding(sink, key, "a string or a list of strings", v);
            }
        }
        if let Some(t) = self.get("pipeline_tag").and_then(Value::as_str)
            && !self.vocab.pipeline_tags.contains(t)
        {
            sink.push(
                &rules::PIPELINE_TAG_UNKNOWN,
                format!(
                    "pipeline tag `{t}` is not one of the Hub's (list: {}){}",
                    self.vocab.source,
                    if t == "text2text-generation" || t == "conversational" {
                        "; it was retired by the Hub"
                    } else {
                        ""
                    }
                ),
                self.line("pipeline_tag"),
                Some("pipeline_tag"),
            );
        }
        if let Some(l) = self.get("library_name").and_then(Value::as_str)
            && !self.vocab.libraries.contains(l)
        {
            sink.push(
                &rules::LIBRARY_UNKNOWN,
                format!(
                    "library `{l}` is not one of the Hub's library names (list: {})",
                    self.vocab.source
                ),
                self.line("library_name"),
                Some("library_name"),
            );
        }
        for (i, b) in string_or_list(self.get("base_model")).iter().enumerate() {
            let p = if self.get("base_model").is_some_and(Value::is_array) {
                format!("base_model[{i}]")
            } else {
                "base_model".to_owned()
            };
            if !is_hub_id(b) {
                sink.push(
                    &rules::BASE_MODEL_INVALID,
                    format!("`base_model` `{b}` is not a Hub model id (`org/name`)"),
                    self.line(&p),
                    Some(&p),
                );
            }
        }
        let datasets = self.get("datasets");
        for (i, d) in string_or_list(datasets).iter().enumerate() {
            let p = if datasets.is_some_and(Value::is_array) {
                format!("datasets[{i}]")
            } else {
                "datasets".to_owned()
            };
            if !is_hub_id(d) {
                sink.push(
                    &rules::DATASET_ID_INVALID,
                    format!("`datasets` entry `{d}` is not a Hub dataset id (`org/name`)"),
                    self.line(&p),
                    Some(&p),
                );
            }
        }
        if let Some(r) = self.get("base_model_relation")
            && !matches!(
                r.as_str(),
                Some("adapter" | "merge" | "quantized" | "finetune")
            )
        {
            sink.push(
                &rules::BASE_MODEL_INVALID,
                format!(
                    "`base_model_relation` should be adapter, merge, quantized or finetune, not {r}"
                ),
                self.line("base_model_relation"),
                Some("base_model_relation"),
            );
        }
        if let Some(mi) = self.get("model-index") {
            let truthy = !matches!(mi, Value::Null | Value::Bool(false))
                && mi != &Value::Array(vec![])
                && mi != &Value::String(String::new());
            if truthy {
                match card::model_index_to_eval_results(mi) {
                    Ok((_, results)) => {
                        for r in results {
                            if !r.metric_value.is_number() {
                                let p = format!("{}.value", r.pointer);
                                sink.push(
                                    &rules::EVAL_RESULT_VALUE,
                                    format!(
                                        "metric `{}` has value {} which is not a number",
                                        r.metric_type, r.metric_value
                                    ),
                                    self.line(&p),
                                    Some(&p),
                                );
                            }
                            if r.task_type.is_empty()
                                || r.dataset_type.is_empty()
                                || r.metric_type.is_empty()
                            {
                                sink.push(&rules::EVAL_RESULT_VALUE, "an evaluation result has an empty task, dataset or metric type", self.line(&r.pointer), Some(&r.pointer));
                            }
                        }
                    }
                    Err(e) => {
                        let consequence = if e.lenient_loads {
                            "huggingface_hub refuses the card (and drops all eval results with `ignore_metadata_errors=True`)"
                        } else {
                            "huggingface_hub refuses the card even with `ignore_metadata_errors=True`"
                        };
                        sink.push(
                            &rules::MODEL_INDEX_INVALID,
                            format!("{}; {consequence} ({})", e.message, e.python_error),
                            self.line(&e.pointer),
                            Some(&e.pointer),
                        );
                        refuse = Some(refuse.unwrap_or(true) && e.lenient_loads);
                    }
                }
            }
        }
        refuse
    }

    pub(super) fn dataset_metadata(&self, sink: &mut Sink<'_>) {
        let Some(map) = self.meta.as_object() else {
            return;
        };
        let first_line = Some(self.raw.yaml_line);
        for key in [
            "license",
            "task_categories",
            "size_categories",
            "language",
            "source_datasets",
            "annotations_creators",
            "language_creators",
            "multilinguality",
            "pretty_name",
        ] {
            if !map.contains_key(key) {
                sink.push(
                    &rules::DATASET_METADATA_MISSING,
                    format!("dataset metadata has no `{key}`"),
                    first_line,
                    None,
                );
            }
        }
        let enums: [(&str, &[&str]); 4] = [
            ("size_categories", SIZE_CATEGORIES),
            ("annotations_creators", ANNOTATIONS_CREATORS),
            ("language_creators", LANGUAGE_CREATORS),
            ("multilinguality", MULTILINGUALITY),
        ];
        for (key, allowed) in enums {
            let Some(v) = map.get(key) else { continue };
            if !is_str_or_str_list(v) {
                self.type_finding(sink, key, "a string or a list of strings", v);
                continue;
            }
            for (i, s) in string_or_list(Some(v)).iter().enumerate() {
                if !allowed.contains(&s.as_str()) {
                    let p = if v.is_array() {
                        format!("{key}[{i}]")
                    } else {
                        key.to_owned()
                    };
                    sink.push(
                        &rules::DATASET_METADATA_VALUE,
                        format!("`{key}` value `{s}` is not one of {}", allowed.join(", ")),
                        self.line(&p),
                        Some(&p),
                    );
                }
            }
        }
        for key in [
            "task_categories",
            "source_datasets",
            "task_ids",
            "config_names",
        ] {
            if let Some(v) = map.get(key)
                && !is_str_or_str_list(v)
            {
                self.type_finding(sink, key, "a string or a list of strings", v);
            }
        }
        if let Some(v) = map.get("task_categories") {
            for (i, t) in string_or_list(Some(v)).iter().enumerate() {
                if !self.vocab.pipeline_tags.contains(t.as_str()) {
                    let p = if v.is_array() {
                        format!("task_categories[{i}]")
                    } else {
                        "task_categories".to_owned()
                    };
                    sink.push(
                        &rules::DATASET_METADATA_VALUE,
                        format!(
                            "task category `{t}` is not one of the Hub's tasks (list: {})",
                            self.vocab.source
                        ),
                        self.line(&p),
                        Some(&p),
                    );
                }
            }
        }
        if !self.vocab.task_ids.is_empty()
            && let Some(v) = map.get("task_ids")
        {
            for (i, t) in string_or_list(Some(v)).iter().enumerate() {
                if !self.vocab.task_ids.contains(t.as_str()) {
                    let p = if v.is_array() {
                        format!("task_ids[{i}]")
                    } else {
                        "task_ids".to_owned()
                    };
                    sink.push(
                        &rules::DATASET_METADATA_VALUE,
                        format!(
                            "task id `{t}` is not one of the Hub's sub-tasks (list: {})",
                            self.vocab.source
                        ),
                        self.line(&p),
                        Some(&p),
                    );
                }
            }
        }
        if let Some(configs) = map.get("configs") {
            match configs {
                // The legacy form (`datasets` scripts era): a list of config names.
                Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_string) => {
                    sink.push_sev(
                        &rules::DATASET_CONFIGS,
                        Severity::Low,
                        "`configs` is the legacy list of config names; the Hub now reads a list of `{config_name, data_files}` mappings",
                        self.line("configs"),
                        Some("configs"),
                    );
                }
                Value::Array(items) => {
                    for (i, c) in items.iter().enumerate() {
                        let p = format!("configs[{i}]");
                        let Some(o) = c.as_object() else {
                            sink.push(&rules::DATASET_CONFIGS, format!("`{p}` should be a mapping with `config_name` and `data_files`, not a {}", kind_of(c)), self.line(&p), Some(&p));
                            continue;
                        };
                        if !o.get("config_name").is_some_and(Value::is_string) {
                            sink.push(
                                &rules::DATASET_CONFIGS,
                                format!("`{p}` has no `config_name` string"),
                                self.line(&p),
                                Some(&p),
                            );
                        }
                        match o.get("data_files") {
                            None => {}
                            Some(Value::String(_)) => {}
                            Some(Value::Array(files)) => {
                                for (j, f) in files.iter().enumerate() {
                                    let fp = format!("{p}.data_files[{j}]");
                                    let ok = f.is_string()
                                        || f.get("split").is_some_and(Value::is_string)
                                            && f.get("path").is_some_and(is_str_or_str_list);
                                    if !ok {
                                        sink.push(&rules::DATASET_CONFIGS, format!("`{fp}` should be a path or a mapping with `split` and `path`"), self.line(&fp), Some(&fp));
                                    }
                                }
                            }
                            Some(Value::Object(_)) => {}
                            Some(other) => {
                                let dp = format!("{p}.data_files");
                                sink.push(
                                    &rules::DATASET_CONFIGS,
                                    format!(
                                        "`{dp}` should be a path, a list or a mapping, not a {}",
                                        kind_of(other)
                                    ),
                                    self.line(&dp),
                                    Some(&dp),
                                );
                            }
                        }
                    }
                }
                other => {
                    sink.push(
                        &rules::DATASET_CONFIGS,
                        format!("`configs` should be a list, not a {}", kind_of(other)),
                        self.line("configs"),
                        Some("configs"),
                    );
                }
            }
        }
        if let Some(info) = map.get("dataset_info") {
            let infos: Vec<(String, &Value)> = match info {
                Value::Array(a) => a
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (format!("dataset_info[{i}]"), v))
                    .collect(),
                other => vec![("dataset_info".to_owned(), other)],
            };
            let mut largest = 0u64;
            for (p, v) in infos {
                let Some(o) = v.as_object() else {
                    sink.push(
                        &rules::DATASET_CONFIGS,
                        format!("`{p}` should be a mapping, not a {}", kind_of(v)),
                        self.line(&p),
                        Some(&p),
                    );
                    continue;
                };
                if let Some(splits) = o.get("splits") {
                    let ok = splits.as_array().is_some_and(|s| {
                        s.iter().all(|x| {
                            x.get("name").is_some_and(Value::is_string)
                                && x.get("num_examples").is_none_or(Value::is_u64)
                                && x.get("num_bytes").is_none_or(Value::is_u64)
                        })
                    });
                    if !ok {
                        let sp = format!("{p}.splits");
                        sink.push(&rules::DATASET_CONFIGS, format!("`{sp}` should be a list of `{{name, num_bytes, num_examples}}` with non-negative integer counts"), self.line(&sp), Some(&sp));
                    } else if let Some(total) = splits.as_array().map(|s| {
                        s.iter()
                            .filter_map(|x| x.get("num_examples").and_then(Value::as_u64))
                            .fold(0u64, u64::saturating_add)
                    }) {
                        largest = largest.max(total);
                    }
                }
            }
            // `size_categories` should be the bucket of the largest config's examples, as `dataset_info` counts them.
            let declared = string_or_list(map.get("size_categories"));
            let bucket = crate::init::size_category(largest);
            if largest > 0 && !declared.is_empty() && !declared.iter().any(|d| d == bucket) {
                sink.push(
                    &rules::DATASET_METADATA_VALUE,
                    format!("`size_categories` says {} but `dataset_info` counts {largest} examples in its largest config ({bucket})", declared.join(", ")),
                    self.line("size_categories"),
                    Some("size_categories"),
                );
            }
        }
    }
}
