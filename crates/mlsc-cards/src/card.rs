//! Hugging Face model and dataset cards: front matter as typed fields plus the raw metadata, and the Markdown
//! sections.

use serde::Serialize;
use serde_json::Value;

use crate::Error;
use crate::frontmatter::{self, FrontMatterSpan};
use crate::lines::LineIndex;
use crate::markdown::{self, Section};
use crate::yaml::{self, Node, YamlError};

/// Bounds on parsing one card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParseLimits {
    /// Largest card file read. By default, 16 MiB (the largest card in a 45,000-card sample is under 2 MiB).
    pub max_card_bytes: u64,
    /// Largest front matter parsed. By default, 4 MiB.
    pub max_yaml_bytes: u64,
    /// Most YAML nodes built from the front matter, aliases expanded. By default, 1,000,000.
    pub max_yaml_nodes: usize,
    /// Deepest YAML nesting. By default, 64 (serde_norway itself stops at 128).
    pub max_yaml_depth: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            max_card_bytes: 16 << 20,
            max_yaml_bytes: 4 << 20,
            max_yaml_nodes: 1_000_000,
            max_yaml_depth: 64,
        }
    }
}

/// How the card's bytes were decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub(crate) had_bom: bool,
}

/// Decodes a card as the Hub does (`encoding="utf-8-sig"`): UTF-8, a leading BOM dropped.
pub(crate) fn decode(bytes: &[u8]) -> Result<(&str, Decoded), Error> {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Err(Error::Utf16 {
            endian: "little-endian",
        });
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::Utf16 {
            endian: "big-endian",
        });
    }
    let (rest, had_bom) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let text = std::str::from_utf8(rest).map_err(|e| Error::NotUtf8 {
        offset: e.valid_up_to() + if had_bom { 3 } else { 0 },
    })?;
    Ok((text, Decoded { had_bom }))
}

/// A card split into its parts, before any interpretation. Shared by model and dataset cards and by the linter.
#[derive(Debug)]
pub(crate) struct RawCard<'a> {
    pub(crate) span: Option<FrontMatterSpan>,
    /// 1-based file line of the first line of the YAML block.
    pub(crate) yaml_line: u32,
    pub(crate) yaml: &'a str,
    pub(crate) node: Result<Node, YamlError>,
    pub(crate) index: LineIndex,
    pub(crate) sections: Vec<Section>,
}

impl<'a> RawCard<'a> {
    pub(crate) fn split(text: &'a str, limits: &ParseLimits) -> RawCard<'a> {
        let span = frontmatter::find(text);
        let (yaml, yaml_line, body, body_line) = match span {
            Some(s) => {
                let yl = frontmatter::line_of(text, s.yaml_start);
                (
                    &text[s.yaml_start..s.yaml_end],
                    yl,
                    &text[s.body_start..],
                    frontmatter::line_of(text, s.body_start),
                )
            }
            None => ("", 1, text, 1),
        };
        let node = if span.is_none() {
            Ok(Node::Null)
        } else if yaml.len() as u64 > limits.max_yaml_bytes {
            Err(YamlError {
                message: format!(
                    "front matter is {} bytes, more than the limit of {} bytes",
                    yaml.len(),
                    limits.max_yaml_bytes
                ),
                line: None,
                column: None,
                limit: true,
            })
        } else {
            yaml::parse(yaml, limits.max_yaml_nodes, limits.max_yaml_depth)
        };
        let index = if span.is_some() {
            LineIndex::build(yaml)
        } else {
            LineIndex::default()
        };
        RawCard {
            span,
            yaml_line,
            yaml,
            node,
            index,
            sections: markdown::sections(body, body_line),
        }
    }

    /// The file line of a Hub-style path in the front matter (or of its nearest written ancestor).
    pub(crate) fn line_of(&self, path: &str) -> Option<u32> {
        self.index
            .line_of(path)
            .map(|l| l.saturating_add(self.yaml_line).saturating_sub(1))
    }

    /// The strict outcome: the metadata mapping, or why there is none.
    pub(crate) fn metadata(&self) -> Result<Value, Error> {
        match &self.node {
            Ok(Node::Null) => Ok(Value::Object(serde_json::Map::new())),
            Ok(n @ Node::Map(_)) => Ok(n.to_json()),
            Ok(Node::Tagged(_, inner)) if matches!(**inner, Node::Map(_)) => Ok(inner.to_json()),
            Ok(other) => Err(Error::NotAMapping {
                line: self.yaml_line,
                found: other.type_name(),
            }),
            Err(e) => Err(Error::Yaml {
                line: e.line.map_or(self.yaml_line, |l| {
                    l.saturating_add(self.yaml_line).saturating_sub(1)
                }),
                message: e.message.clone(),
            }),
        }
    }
}

/// One evaluation result of `model-index`, flattened as huggingface_hub's `EvalResult`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EvalResult {
    /// Hub-style path of the metric: `model-index[0].results[1].metrics[0]`.
    pub pointer: String,
    /// `task.type` (required): `text-classification`.
    pub task_type: String,
    /// `task.name`.
    pub task_name: Option<String>,
    /// `dataset.type` (required): the dataset id, `glue`.
    pub dataset_type: String,
    /// `dataset.name` (required): a pretty name, `GLUE MRPC`.
    pub dataset_name: String,
    /// `dataset.config`: `mrpc`.
    pub dataset_config: Option<String>,
    /// `dataset.split`: `validation`.
    pub dataset_split: Option<String>,
    /// `dataset.revision`.
    pub dataset_revision: Option<String>,
    /// `dataset.args`, as written.
    pub dataset_args: Option<Value>,
    /// `metrics[].type` (required): `accuracy`.
    pub metric_type: String,
    /// `metrics[].value` (required), as written (usually a number).
    pub metric_value: Value,
    /// `metrics[].name`.
    pub metric_name: Option<String>,
    /// `metrics[].config`.
    pub metric_config: Option<String>,
    /// `metrics[].args`, as written.
    pub metric_args: Option<Value>,
    /// `metrics[].verified`.
    pub verified: Option<bool>,
    /// `source.name`.
    pub source_name: Option<String>,
    /// `source.url`.
    pub source_url: Option<String>,
}

/// How huggingface_hub would fail on a `model-index`, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ModelIndexError {
    /// Hub-style path of the offending node.
    pub pointer: String,
    /// What is wrong, in our words.
    pub message: String,
    /// The Python exception huggingface_hub raises: `KeyError`, `TypeError`, `AttributeError`, `ValueError`.
    pub python_error: &'static str,
    /// True when `ignore_metadata_errors=True` still loads the card (the Hub drops the eval results).
    pub lenient_loads: bool,
}

/// Python's truthiness, for `if model_index:`.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

fn py_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    }
}

/// The scalar as text (numbers and booleans printed), `None` for null and collections.
pub(crate) fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_owned()),
        _ => None,
    }
}

fn type_error(pointer: String, message: String) -> ModelIndexError {
    ModelIndexError {
        pointer,
        message,
        python_error: "TypeError",
        lenient_loads: true,
    }
}

/// Iterates like Python's `for x in v`: items of a list, keys of a mapping, characters of a string.
fn py_iter(v: &Value, pointer: &str) -> Result<Vec<Value>, ModelIndexError> {
    match v {
        Value::Array(a) => Ok(a.clone()),
        Value::Object(o) => Ok(o.keys().map(|k| Value::String(k.clone())).collect()),
        Value::String(s) => Ok(s.chars().map(|c| Value::String(c.to_string())).collect()),
        other => Err(type_error(
            pointer.to_owned(),
            format!("`{pointer}` must be a list, not a {}", py_type(other)),
        )),
    }
}

/// `obj[key]` in Python: a mapping with the key (else `KeyError`); anything else is a `TypeError`.
fn py_index<'v>(obj: &'v Value, key: &str, pointer: &str) -> Result<&'v Value, ModelIndexError> {
    match obj {
        Value::Object(o) => o.get(key).ok_or_else(|| ModelIndexError {
            pointer: pointer.to_owned(),
            message: format!("`{pointer}` has no `{key}`, which huggingface_hub requires"),
            python_error: "KeyError",
            lenient_loads: true,
        }),
        other => Err(type_error(
            pointer.to_owned(),
            format!(
                "`{pointer}` must be a mapping with `{key}`, not a {}",
                py_type(other)
            ),
        )),
    }
}

fn opt_text(obj: &Value, key: &str) -> Option<String> {
    obj.get(key).and_then(as_text)
}

/// `model_index_to_eval_results` of huggingface_hub (`repocard_data.py`), with its failure modes: the model name
/// (of the last entry, as there) and the flattened results.
pub fn model_index_to_eval_results(
    model_index: &Value,
) -> Result<(Option<String>, Vec<EvalResult>), ModelIndexError> {
    let mut results_out = Vec::new();
    let mut model_name = None;
    for (i, elem) in py_iter(model_index, "model-index")?.iter().enumerate() {
        let ep = format!("model-index[{i}]");
        model_name = as_text(py_index(elem, "name", &ep)?);
        let results = py_index(elem, "results", &ep)?;
        let rp = format!("{ep}.results");
        for (j, result) in py_iter(results, &rp)?.iter().enumerate() {
            let p = format!("{rp}[{j}]");
            let task = py_index(result, "task", &p)?;
            let task_type = py_index(task, "type", &format!("{p}.task"))?;
            let dataset = py_index(result, "dataset", &p)?;
            let dataset_type = py_index(dataset, "type", &format!("{p}.dataset"))?;
            let dataset_name = py_index(dataset, "name", &format!("{p}.dataset"))?;
            let (source_name, source_url) = match result.get("source") {
                None => (None, None),
                Some(s @ Value::Object(_)) => (opt_text(s, "name"), opt_text(s, "url")),
                Some(other) => {
                    return Err(ModelIndexError {
                        pointer: format!("{p}.source"),
                        message: format!(
                            "`{p}.source` must be a mapping, not a {}",
                            py_type(other)
                        ),
                        python_error: "AttributeError",
                        lenient_loads: false,
                    });
                }
            };
            let metrics = py_index(result, "metrics", &p)?;
            let mp = format!("{p}.metrics");
            for (k, metric) in py_iter(metrics, &mp)?.iter().enumerate() {
                let m = format!("{mp}[{k}]");
                let metric_type = py_index(metric, "type", &m)?;
                let metric_value = py_index(metric, "value", &m)?;
                if source_name.is_some() && source_url.is_none() {
                    return Err(ModelIndexError {
                        pointer: format!("{p}.source"),
                        message: format!("`{p}.source` has a `name` but no `url`"),
                        python_error: "ValueError",
                        lenient_loads: false,
                    });
                }
                results_out.push(EvalResult {
                    pointer: m,
                    task_type: as_text(task_type).unwrap_or_default(),
                    task_name: opt_text(task, "name"),
                    dataset_type: as_text(dataset_type).unwrap_or_default(),
                    dataset_name: as_text(dataset_name).unwrap_or_default(),
                    dataset_config: opt_text(dataset, "config"),
                    dataset_split: opt_text(dataset, "split"),
                    dataset_revision: opt_text(dataset, "revision"),
                    dataset_args: dataset.get("args").cloned(),
                    metric_type: as_text(metric_type).unwrap_or_default(),
                    metric_value: metric_value.clone(),
                    metric_name: opt_text(metric, "name"),
                    metric_config: opt_text(metric, "config"),
                    metric_args: metric.get("args").cloned(),
                    verified: metric.get("verified").and_then(Value::as_bool),
                    source_name: source_name.clone(),
                    source_url: source_url.clone(),
                });
            }
        }
    }
    if !results_out.is_empty() && model_name.is_none() {
        return Err(ModelIndexError {
            pointer: "model-index".to_owned(),
            message: "`model-index` has results but its `name` is empty: huggingface_hub requires a model name"
                .to_owned(),
            python_error: "ValueError",
            lenient_loads: true,
        });
    }
    Ok((model_name, results_out))
}

/// A string, or the strings of a list (`language: en` and `language: [en, fr]` are both allowed).
pub(crate) fn string_or_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(as_text).collect(),
        Some(other) => as_text(other).into_iter().collect(),
        None => Vec::new(),
    }
}

fn find_section<'s>(sections: &'s [Section], heading: &str) -> Option<&'s Section> {
    let want = markdown::normalize_heading(heading);
    sections
        .iter()
        .find(|s| markdown::normalize_heading(&s.heading) == want)
}

/// A Hugging Face model card (`README.md` of a model repository).
///
/// ```
/// let card = mlsc_cards::ModelCard::parse("---\nlicense: mit\nlanguage: [en, fr]\n---\n# My model\n\n## Uses\n\n[More Information Needed]\n").unwrap();
/// assert_eq!(card.license.as_deref(), Some("mit"));
/// assert_eq!(card.language, ["en", "fr"]);
/// assert!(card.section("uses").unwrap().placeholder);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ModelCard {
    /// The front matter as JSON (an empty object when the card has none). Keys are strings; when a key repeats,
    /// the last value wins, as in PyYAML.
    pub metadata: Value,
    /// True when the card has a front matter block (by the Hub's rule).
    pub has_front_matter: bool,
    /// `license`: a Hub licence id such as `apache-2.0`, or `other`.
    pub license: Option<String>,
    /// `license_name`, required with `license: other`.
    pub license_name: Option<String>,
    /// `license_link`, required with `license: other`.
    pub license_link: Option<String>,
    /// `language`: ISO 639 codes.
    pub language: Vec<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `datasets`: dataset ids the model was trained on.
    pub datasets: Vec<String>,
    /// `metrics`: metric ids.
    pub metrics: Vec<String>,
    /// `base_model`: the model(s) this one derives from.
    pub base_model: Vec<String>,
    /// `base_model_relation`: `adapter`, `merge`, `quantized`, `finetune`.
    pub base_model_relation: Option<String>,
    /// `pipeline_tag`: `text-generation`, …
    pub pipeline_tag: Option<String>,
    /// `library_name`: `transformers`, …
    pub library_name: Option<String>,
    /// The model name: `model-index[-1].name`, else `model_name`.
    pub model_name: Option<String>,
    /// The evaluation results of `model-index`, flattened.
    pub eval_results: Vec<EvalResult>,
    /// Why huggingface_hub would refuse `model-index`, when it would.
    pub model_index_error: Option<ModelIndexError>,
    /// The Markdown sections, in order.
    pub sections: Vec<Section>,
}

impl ModelCard {
    /// Parses a card from text. Fails when the front matter is not YAML or not a mapping; everything else (a
    /// malformed `model-index`, wrong types) leaves the typed field empty and is reported by the linter.
    ///
    /// ```
    /// let card = mlsc_cards::ModelCard::parse("---\nlicense: mit\nbase_model: bert-base-uncased\n---\n# m\n").unwrap();
    /// assert_eq!(card.license.as_deref(), Some("mit"));
    /// assert!(mlsc_cards::ModelCard::parse("---\n- a list\n---\n").is_err()); // not a mapping
    /// ```
    pub fn parse(text: &str) -> Result<ModelCard, Error> {
        let raw = RawCard::split(text, &ParseLimits::default());
        ModelCard::from_raw(&raw)
    }

    /// Parses a card from bytes: UTF-8 with an optional BOM (as the Hub reads it); UTF-16 is an error.
    pub fn parse_bytes(bytes: &[u8]) -> Result<ModelCard, Error> {
        let limits = ParseLimits::default();
        check_size(bytes, &limits)?;
        let (text, _) = decode(bytes)?;
        ModelCard::from_raw(&RawCard::split(text, &limits))
    }

    pub(crate) fn from_raw(raw: &RawCard<'_>) -> Result<ModelCard, Error> {
        let metadata = raw.metadata()?;
        let get = |k: &str| metadata.get(k);
        let text = |k: &str| get(k).and_then(as_text);
        let (mut model_name, mut eval_results, mut model_index_error) =
            (text("model_name"), Vec::new(), None);
        if let Some(mi) = get("model-index").filter(|v| truthy(v)) {
            match model_index_to_eval_results(mi) {
                Ok((name, results)) => {
                    model_name = name;
                    eval_results = results;
                }
                Err(e) => model_index_error = Some(e),
            }
        }
        Ok(ModelCard {
            has_front_matter: raw.span.is_some(),
            license: text("license"),
            license_name: text("license_name"),
            license_link: text("license_link"),
            language: string_or_list(get("language")),
            tags: string_or_list(get("tags")),
            datasets: string_or_list(get("datasets")),
            metrics: string_or_list(get("metrics")),
            base_model: string_or_list(get("base_model")),
            base_model_relation: text("base_model_relation"),
            pipeline_tag: text("pipeline_tag"),
            library_name: text("library_name"),
            model_name,
            eval_results,
            model_index_error,
            sections: raw.sections.clone(),
            metadata,
        })
    }

    /// The first section whose heading matches `heading` (case, punctuation and `[optional]` ignored).
    pub fn section(&self, heading: &str) -> Option<&Section> {
        find_section(&self.sections, heading)
    }
}

/// A Hugging Face dataset card (`README.md` of a dataset repository).
///
/// ```
/// let card = mlsc_cards::DatasetCard::parse("---\nlicense: cc-by-4.0\ntask_categories: [text-classification]\n---\n# Data\n").unwrap();
/// assert_eq!(card.license, ["cc-by-4.0"]);
/// assert_eq!(card.task_categories, ["text-classification"]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct DatasetCard {
    /// The front matter as JSON (an empty object when the card has none).
    pub metadata: Value,
    /// True when the card has a front matter block (by the Hub's rule).
    pub has_front_matter: bool,
    /// `license` (a dataset may list several).
    pub license: Vec<String>,
    /// `license_name`, for `license: other`.
    pub license_name: Option<String>,
    /// `license_link`, for `license: other`.
    pub license_link: Option<String>,
    /// `language`.
    pub language: Vec<String>,
    /// `pretty_name`.
    pub pretty_name: Option<String>,
    /// `task_categories`.
    pub task_categories: Vec<String>,
    /// `task_ids`.
    pub task_ids: Vec<String>,
    /// `size_categories`: `10K<n<100K`, …
    pub size_categories: Vec<String>,
    /// `source_datasets`: `original`, `extended|glue`, …
    pub source_datasets: Vec<String>,
    /// `annotations_creators`: `crowdsourced`, `expert-generated`, …
    pub annotations_creators: Vec<String>,
    /// `language_creators`.
    pub language_creators: Vec<String>,
    /// `multilinguality`: `monolingual`, …
    pub multilinguality: Vec<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// The config names of `configs` (or `config_names`).
    pub configs: Vec<String>,
    /// True when `dataset_info` is present.
    pub has_dataset_info: bool,
    /// The Markdown sections, in order.
    pub sections: Vec<Section>,
}

impl DatasetCard {
    /// Parses a dataset card from text. Fails when the front matter is not YAML or not a mapping.
    pub fn parse(text: &str) -> Result<DatasetCard, Error> {
        DatasetCard::from_raw(&RawCard::split(text, &ParseLimits::default()))
    }

    /// Parses a dataset card from bytes: UTF-8 with an optional BOM; UTF-16 is an error.
    pub fn parse_bytes(bytes: &[u8]) -> Result<DatasetCard, Error> {
        let limits = ParseLimits::default();
        check_size(bytes, &limits)?;
        let (text, _) = decode(bytes)?;
        DatasetCard::from_raw(&RawCard::split(text, &limits))
    }

    pub(crate) fn from_raw(raw: &RawCard<'_>) -> Result<DatasetCard, Error> {
        let metadata = raw.metadata()?;
        let get = |k: &str| metadata.get(k);
        let list = |k: &str| string_or_list(get(k));
        let mut configs: Vec<String> = match get("configs") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|c| match c {
                    // The legacy form: config names alone.
                    Value::String(name) => Some(name.clone()),
                    other => other.get("config_name").and_then(as_text),
                })
                .collect(),
            _ => Vec::new(),
        };
        if configs.is_empty() {
            configs = list("config_names");
        }
        Ok(DatasetCard {
            has_front_matter: raw.span.is_some(),
            license: list("license"),
            license_name: get("license_name").and_then(as_text),
            license_link: get("license_link").and_then(as_text),
            language: list("language"),
            pretty_name: get("pretty_name").and_then(as_text),
            task_categories: list("task_categories"),
            task_ids: list("task_ids"),
            size_categories: list("size_categories"),
            source_datasets: list("source_datasets"),
            annotations_creators: list("annotations_creators"),
            language_creators: list("language_creators"),
            multilinguality: list("multilinguality"),
            tags: list("tags"),
            configs,
            has_dataset_info: get("dataset_info").is_some(),
            sections: raw.sections.clone(),
            metadata,
        })
    }

    /// The first section whose heading matches `heading` (case, punctuation and `[optional]` ignored).
    pub fn section(&self, heading: &str) -> Option<&Section> {
        find_section(&self.sections, heading)
    }
}

pub(crate) fn check_size(bytes: &[u8], limits: &ParseLimits) -> Result<(), Error> {
    if bytes.len() as u64 > limits.max_card_bytes {
        return Err(Error::TooLarge {
            what: "card",
            size: bytes.len() as u64,
            limit: limits.max_card_bytes,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn model_index_typed() {
        let card = ModelCard::parse(
            "---\nmodel-index:\n- name: m\n  results:\n  - task: {type: text-classification}\n    dataset: {name: GLUE MRPC, type: glue, config: mrpc, split: validation}\n    metrics:\n    - {type: accuracy, value: 0.9, name: Accuracy}\n---\n",
        )
        .unwrap();
        assert_eq!(card.model_name.as_deref(), Some("m"));
        let r = &card.eval_results[0];
        assert_eq!(r.task_type, "text-classification");
        assert_eq!(r.dataset_config.as_deref(), Some("mrpc"));
        assert_eq!(r.metric_value, json!(0.9));
        assert_eq!(r.pointer, "model-index[0].results[0].metrics[0]");
    }

    #[test]
    fn model_index_failures_like_the_hub() {
        let e = model_index_to_eval_results(
            &json!([{"name": "m", "results": [{"task": {"type": "t"}}]}]),
        )
        .unwrap_err();
        assert_eq!(
            (e.python_error, e.pointer.as_str()),
            ("KeyError", "model-index[0].results[0]")
        );
        let e = model_index_to_eval_results(&json!({"name": "m"})).unwrap_err();
        assert_eq!(e.python_error, "TypeError");
        let e = model_index_to_eval_results(&json!([{"name": "m", "results": [{"task": {"type": "t"}, "dataset": {"type": "d", "name": "n"}, "source": "x", "metrics": []}]}])).unwrap_err();
        assert!(!e.lenient_loads);
        let e = model_index_to_eval_results(&json!([{"name": null, "results": [{"task": {"type": "t"}, "dataset": {"type": "d", "name": "n"}, "metrics": [{"type": "a", "value": 1}]}]}])).unwrap_err();
        assert_eq!(e.python_error, "ValueError");
        assert!(e.lenient_loads);
        // Empty results are fine, even with no name.
        assert!(model_index_to_eval_results(&json!([{"name": null, "results": ""}])).is_ok());
    }

    #[test]
    fn not_a_mapping() {
        assert!(matches!(
            ModelCard::parse("---\n- a\n---\n"),
            Err(Error::NotAMapping { found: "list", .. })
        ));
        assert!(matches!(
            ModelCard::parse_bytes(b"\xff\xfe-\x00"),
            Err(Error::Utf16 { .. })
        ));
        let c = ModelCard::parse_bytes(b"\xef\xbb\xbf---\nlicense: mit\n---\n").unwrap();
        assert_eq!(c.license.as_deref(), Some("mit"));
    }
}
