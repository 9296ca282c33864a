//! The completeness score: a documented rubric per dimension, in which anything missing (or only a placeholder)
//! scores zero, with the list of what is missing.
//!
//! Each dimension holds items with integer weights; an item scores its weight when present and filled, zero
//! otherwise — never a default, never partial credit for a template line. A dimension's score is the percentage of
//! its weight earned; the card's score is the mean of its dimensions, so a card cannot make up for an absent risk
//! section with a long list of tags. The rubric is in the tables below (`MODEL_RUBRIC`…) and in the README.

use serde::Serialize;
use serde_json::Value;

use crate::card::{ParseLimits, RawCard, as_text, string_or_list};
use crate::croissant::{RAI_FIELDS, prop};
use crate::lint::{CardKind, LintOptions, detect_kind, has_content, read_bounded};
use crate::markdown::normalize_heading;
use crate::mct::{is_full_date, parse_json};
use crate::vocab::Vocabularies;
use crate::{Error, card};

/// One item of the rubric and whether the card meets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ScoreItem {
    /// What is looked for.
    pub name: String,
    /// Its weight in the dimension.
    pub weight: u32,
    /// True when present and filled.
    pub met: bool,
}

/// One dimension of the rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Dimension {
    /// `metadata`, `intended-use`, …
    pub name: &'static str,
    /// Percentage of the weight earned, 0–100.
    pub score: u32,
    /// The items.
    pub items: Vec<ScoreItem>,
}

/// The completeness score of one card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CardScore {
    /// The path as given.
    pub path: String,
    /// The kind of card.
    pub kind: CardKind,
    /// The mean of the dimension scores, 0–100.
    pub score: u32,
    /// Each dimension.
    pub dimensions: Vec<Dimension>,
    /// `dimension: item` for every item not met.
    pub missing: Vec<String>,
}

struct Builder {
    dims: Vec<Dimension>,
}

impl Builder {
    fn dim(&mut self, name: &'static str) {
        self.dims.push(Dimension {
            name,
            score: 0,
            items: Vec::new(),
        });
    }
    fn item(&mut self, name: &str, weight: u32, met: bool) {
        self.dims
            .last_mut()
            .expect("non-empty because a dimension is opened first")
            .items
            .push(ScoreItem {
                name: name.to_owned(),
                weight,
                met,
            });
    }
    fn finish(mut self, path: &str, kind: CardKind) -> CardScore {
        let mut missing = Vec::new();
        for d in &mut self.dims {
            let total: u32 = d.items.iter().map(|i| i.weight).sum();
            let got: u32 = d.items.iter().filter(|i| i.met).map(|i| i.weight).sum();
            d.score = (got * 100).checked_div(total).unwrap_or(0);
            for i in d.items.iter().filter(|i| !i.met) {
                missing.push(format!("{}: {}", d.name, i.name));
            }
        }
        let n = u32::try_from(self.dims.len()).unwrap_or(u32::MAX);
        let score = self
            .dims
            .iter()
            .map(|d| d.score)
            .sum::<u32>()
            .checked_div(n)
            .unwrap_or(0);
        CardScore {
            path: path.to_owned(),
            kind,
            score,
            dimensions: self.dims,
            missing,
        }
    }
}

/// Scores one card held in memory. An unreadable card scores zero in every dimension.
///
/// ```
/// use mlsc_cards::{LintOptions, score_bytes};
///
/// let bare = score_bytes("README.md", b"# a model\n", &LintOptions::default());
/// let fuller = score_bytes(
///     "README.md",
///     b"---\nlicense: mit\ndatasets: [squad]\n---\n# a model\n\n## Uses\n\nQuestion answering in English.\n",
///     &LintOptions::default(),
/// );
/// assert!(fuller.score > bare.score);
/// assert!(bare.missing.len() > fuller.missing.len());
/// ```
pub fn score_bytes(path: &str, bytes: &[u8], options: &LintOptions) -> CardScore {
    let kind = options.kind.unwrap_or_else(|| detect_kind(path, bytes));
    let mut b = Builder { dims: Vec::new() };
    match kind {
        CardKind::Model | CardKind::Dataset => {
            let text = card::decode(bytes).map(|t| t.0).unwrap_or("");
            let raw = RawCard::split(text, &ParseLimits::default());
            let meta = raw
                .metadata()
                .unwrap_or(Value::Object(serde_json::Map::new()));
            if kind == CardKind::Model {
                model(&mut b, &raw, &meta, &options.vocabularies);
            } else {
                dataset(&mut b, &raw, &meta, &options.vocabularies);
            }
        }
        CardKind::Croissant => {
            let doc = parse_json(bytes, options.limits.max_card_bytes).unwrap_or(Value::Null);
            croissant(&mut b, &doc);
        }
        CardKind::ModelCardToolkit => {
            let doc = parse_json(bytes, options.limits.max_card_bytes).unwrap_or(Value::Null);
            mct(&mut b, &doc);
        }
    }
    b.finish(path, kind)
}

/// Scores every card the paths name; a path that cannot be read is an error.
pub fn score_paths(
    paths: &[std::path::PathBuf],
    options: &LintOptions,
) -> Vec<Result<CardScore, Error>> {
    let mut out = Vec::new();
    for p in paths {
        for file in crate::lint::card_files(p) {
            out.push(
                read_bounded(&file, options.limits.max_card_bytes)
                    .map(|bytes| score_bytes(&file.display().to_string(), &bytes, options)),
            );
        }
    }
    out
}

fn any_heading(raw: &RawCard<'_>, headings: &[&str]) -> bool {
    has_content(&raw.sections, headings)
}

fn heading_contains(raw: &RawCard<'_>, words: &[&str]) -> bool {
    let s = &raw.sections;
    s.iter().enumerate().any(|(i, sec)| {
        let h = normalize_heading(&sec.heading);
        words.iter().any(|w| h.contains(w)) && !crate::lint::tree_is_placeholder(s, i)
    })
}

/// A `- **Label:** value` line of the template with a real value.
fn template_field(raw: &RawCard<'_>, label: &str) -> bool {
    let want = format!("**{}:**", label.to_lowercase());
    raw.sections.iter().any(|s| {
        s.text.lines().any(|l| {
            let l = l.to_lowercase();
            l.find(&want)
                .is_some_and(|i| !crate::markdown::is_placeholder(&l[i + want.len()..]))
        })
    })
}

fn model(b: &mut Builder, raw: &RawCard<'_>, meta: &Value, vocab: &Vocabularies) {
    let get = |k: &str| meta.get(k);
    let license = get("license").and_then(as_text);
    let license_valid = license.as_deref().is_some_and(|l| {
        vocab.licenses.contains(l)
            && l != "unknown"
            && (l != "other" || (get("license_name").is_some() && get("license_link").is_some()))
    });
    let results = card::model_index_to_eval_results(get("model-index").unwrap_or(&Value::Null))
        .map(|r| r.1)
        .unwrap_or_default();

    b.dim("metadata");
    b.item("license is a valid Hub licence id", 2, license_valid);
    b.item("language", 1, !string_or_list(get("language")).is_empty());
    b.item(
        "pipeline_tag is a Hub pipeline tag",
        1,
        get("pipeline_tag")
            .and_then(Value::as_str)
            .is_some_and(|t| vocab.pipeline_tags.contains(t)),
    );
    b.item(
        "library_name",
        1,
        get("library_name").and_then(Value::as_str).is_some(),
    );
    b.item("tags", 1, !string_or_list(get("tags")).is_empty());
    b.item("model-index evaluation results", 1, !results.is_empty());

    b.dim("identity");
    b.item(
        "model description",
        2,
        any_heading(
            raw,
            &[
                "model details",
                "model description",
                "model summary",
                "model overview",
                "overview",
                "description",
            ],
        ),
    );
    b.item(
        "developer named",
        1,
        template_field(raw, "Developed by") || get("model_creator").is_some(),
    );
    b.item(
        "base model or architecture",
        1,
        get("base_model").is_some() || heading_contains(raw, &["architecture"]),
    );

    b.dim("intended-use");
    b.item(
        "intended (direct) use",
        2,
        any_heading(
            raw,
            &[
                "uses",
                "direct use",
                "intended uses & limitations",
                "intended uses and limitations",
                "intended uses",
                "intended use",
            ],
        ),
    );
    b.item(
        "out-of-scope use",
        2,
        any_heading(
            raw,
            &[
                "out of scope use",
                "out of scope uses",
                "misuse and out of scope use",
                "intended uses & limitations",
                "intended uses and limitations",
                "limitations",
            ],
        ),
    );
    b.item(
        "how to get started",
        1,
        any_heading(
            raw,
            &[
                "how to get started with the model",
                "how to use",
                "usage",
                "quick start",
                "quickstart",
                "example usage",
                "getting started",
            ],
        ),
    );

    b.dim("risks");
    b.item(
        "bias, risks and limitations",
        2,
        heading_contains(raw, &["bias", "risk", "limitation", "ethical"]),
    );
    b.item("recommendations", 1, any_heading(raw, &["recommendations"]));

    b.dim("training");
    b.item(
        "training data named",
        2,
        !string_or_list(get("datasets")).is_empty()
            || any_heading(
                raw,
                &[
                    "training data",
                    "training and evaluation data",
                    "dataset",
                    "datasets",
                ],
            ),
    );
    b.item(
        "training procedure",
        1,
        any_heading(
            raw,
            &[
                "training procedure",
                "training details",
                "training hyperparameters",
                "training",
            ],
        ),
    );

    b.dim("evaluation");
    b.item(
        "evaluation reported",
        2,
        !results.is_empty() || heading_contains(raw, &["evaluation", "results", "benchmark"]),
    );
    b.item(
        "testing data",
        1,
        any_heading(
            raw,
            &[
                "testing data",
                "evaluation data",
                "training and evaluation data",
            ],
        ) || !results.is_empty(),
    );
    let groups: std::collections::HashSet<_> = results
        .iter()
        .map(|r| {
            (
                r.dataset_type.clone(),
                r.dataset_config.clone(),
                r.dataset_split.clone(),
            )
        })
        .collect();
    b.item(
        "disaggregated results (2+ datasets/splits, or factors)",
        1,
        groups.len() >= 2 || any_heading(raw, &["factors"]),
    );

    b.dim("environment");
    b.item(
        "environmental impact",
        1,
        get("co2_eq_emissions").is_some()
            || heading_contains(raw, &["environmental impact", "carbon", "co2", "emissions"]),
    );
    b.item(
        "compute / hardware",
        1,
        template_field(raw, "Hardware Type")
            || any_heading(raw, &["hardware", "compute infrastructure"]),
    );

    b.dim("maintenance");
    b.item(
        "contact",
        1,
        heading_contains(raw, &["contact", "maintainer"]),
    );
    b.item("card authors", 1, heading_contains(raw, &["authors"]));
    b.item("citation", 1, heading_contains(raw, &["citation"]));
}

fn dataset(b: &mut Builder, raw: &RawCard<'_>, meta: &Value, vocab: &Vocabularies) {
    let get = |k: &str| meta.get(k);
    let has = |k: &str| !string_or_list(get(k)).is_empty();
    let licenses = string_or_list(get("license"));
    b.dim("metadata");
    b.item(
        "license is a Hub licence id",
        2,
        !licenses.is_empty()
            && licenses
                .iter()
                .all(|l| vocab.licenses.contains(l.as_str()) && l != "unknown"),
    );
    for k in [
        "task_categories",
        "size_categories",
        "language",
        "pretty_name",
    ] {
        b.item(k, 1, has(k));
    }
    b.item(
        "configs or dataset_info",
        1,
        get("configs").is_some() || get("dataset_info").is_some(),
    );

    b.dim("description");
    b.item(
        "summary",
        2,
        any_heading(
            raw,
            &["dataset description", "dataset details", "dataset summary"],
        ),
    );
    b.item(
        "structure (fields, splits)",
        1,
        any_heading(
            raw,
            &[
                "dataset structure",
                "data fields",
                "data splits",
                "data instances",
            ],
        ),
    );
    b.item(
        "uses",
        1,
        any_heading(
            raw,
            &["uses", "direct use", "supported tasks and leaderboards"],
        ),
    );

    b.dim("provenance");
    b.item(
        "source stated",
        2,
        has("source_datasets") || any_heading(raw, &["source data", "dataset sources"]),
    );
    b.item(
        "collection method",
        2,
        any_heading(
            raw,
            &[
                "initial data collection and normalization",
                "data collection and processing",
                "data collection",
            ],
        ),
    );
    b.item(
        "annotation",
        1,
        has("annotations_creators") || any_heading(raw, &["annotations", "annotation process"]),
    );
    b.item(
        "curation rationale",
        1,
        any_heading(raw, &["curation rationale"]),
    );

    b.dim("responsible-use");
    b.item(
        "personal and sensitive information",
        2,
        any_heading(raw, &["personal and sensitive information"]),
    );
    b.item("biases", 1, heading_contains(raw, &["bias"]));
    b.item(
        "limitations",
        1,
        heading_contains(raw, &["limitation", "considerations"]),
    );

    b.dim("maintenance");
    b.item(
        "curators or authors",
        1,
        heading_contains(raw, &["curators", "authors"]),
    );
    b.item(
        "licensing information",
        1,
        any_heading(raw, &["licensing information", "license", "licensing"]),
    );
    b.item("citation", 1, heading_contains(raw, &["citation"]));
    b.item(
        "contact",
        1,
        heading_contains(raw, &["contact", "contributions"]),
    );
}

fn present(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(_) => true,
    }
}

fn croissant(b: &mut Builder, doc: &Value) {
    b.dim("core-metadata");
    for (k, w) in [
        ("name", 1),
        ("description", 1),
        ("license", 2),
        ("url", 1),
        ("conformsTo", 1),
        ("creator", 1),
        ("datePublished", 1),
        ("version", 1),
        ("citeAs", 1),
    ] {
        b.item(k, w, present(prop(doc, k)));
    }
    let dist: Vec<&Value> = match prop(doc, "distribution") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    };
    b.dim("distribution");
    b.item("files described", 1, !dist.is_empty());
    let objects: Vec<&&Value> = dist
        .iter()
        .filter(|d| {
            d.get("@type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.ends_with("FileObject"))
        })
        .collect();
    b.item(
        "every file object has a hash",
        2,
        !objects.is_empty()
            && objects.iter().all(|d| {
                present(prop(d, "sha256"))
                    || present(prop(d, "md5"))
                    || present(prop(d, "containedIn"))
            }),
    );
    b.item(
        "every file has an encodingFormat",
        1,
        !dist.is_empty() && dist.iter().all(|d| present(prop(d, "encodingFormat"))),
    );
    b.dim("records");
    let rs = prop(doc, "recordSet");
    b.item("record sets", 1, present(rs));
    let fields_typed = match rs {
        Some(Value::Array(a)) if !a.is_empty() => a.iter().all(|r| match prop(r, "field") {
            Some(Value::Array(fs)) => fs
                .iter()
                .all(|f| present(prop(f, "dataType")) || present(prop(f, "subField"))),
            _ => true,
        }),
        _ => false,
    };
    b.item("every field typed", 1, fields_typed);
    b.dim("responsible-ai");
    for f in RAI_FIELDS {
        b.item(&format!("rai:{f}"), 1, present(prop(doc, f)));
    }
}

fn mct(b: &mut Builder, doc: &Value) {
    let at = |p: &[&str]| p.iter().try_fold(doc, |v, k| v.get(k));
    b.dim("model-details");
    for k in [
        "name",
        "overview",
        "documentation",
        "owners",
        "licenses",
        "references",
        "citations",
    ] {
        b.item(k, 1, present(at(&["model_details", k])));
    }
    b.item(
        "version with a valid date",
        1,
        at(&["model_details", "version", "date"])
            .and_then(Value::as_str)
            .is_some_and(is_full_date),
    );
    b.dim("model-parameters");
    for k in [
        "model_architecture",
        "data",
        "input_format",
        "output_format",
    ] {
        let alt = format!("{k}_map");
        b.item(
            k,
            1,
            present(at(&["model_parameters", k])) || present(at(&["model_parameters", &alt])),
        );
    }
    b.dim("quantitative-analysis");
    let metrics = at(&["quantitative_analysis", "performance_metrics"]);
    b.item("performance metrics", 2, present(metrics));
    let slices: std::collections::HashSet<String> = metrics
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|m| m.get("slice").and_then(as_text))
                .collect()
        })
        .unwrap_or_default();
    b.item("disaggregated (2+ slices)", 1, slices.len() >= 2);
    b.item(
        "confidence intervals",
        1,
        metrics
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|m| present(m.get("confidence_interval")))),
    );
    b.dim("considerations");
    for k in [
        "users",
        "use_cases",
        "limitations",
        "tradeoffs",
        "ethical_considerations",
    ] {
        b.item(k, 1, present(at(&["considerations", k])));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_scores_zero() {
        let s = score_bytes("README.md", b"# nothing\n", &LintOptions::default());
        assert_eq!(s.kind, CardKind::Model);
        assert_eq!(s.score, 0);
        assert!(s.missing.iter().any(|m| m.starts_with("risks:")));
    }

    #[test]
    fn placeholders_score_zero() {
        let template = "---\nlicense: mit\n---\n# M\n\n## Bias, Risks, and Limitations\n\n[More Information Needed]\n";
        let filled = "---\nlicense: mit\n---\n# M\n\n## Bias, Risks, and Limitations\n\nIt is biased toward English.\n";
        let a = score_bytes("README.md", template.as_bytes(), &LintOptions::default());
        let b = score_bytes("README.md", filled.as_bytes(), &LintOptions::default());
        let risk = |s: &CardScore| {
            s.dimensions
                .iter()
                .find(|d| d.name == "risks")
                .unwrap()
                .score
        };
        assert_eq!(risk(&a), 0);
        assert!(risk(&b) > 0);
        assert!(b.score > a.score);
    }
}
