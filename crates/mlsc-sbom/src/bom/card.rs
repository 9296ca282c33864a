//! What the BOM takes from a model card (parsed by `mlsc_cards`), and the CycloneDX `modelCard` built from it and
//! from `config.json`.

use crate::bom::model::{
    Considerations, DatasetChoice, MlFormat, ModelCard, ModelParameters, PerformanceMetric,
    Property, QuantitativeAnalysis, Risk,
};
use crate::bom::model_dir::ConfigFacts;

/// The facts of a model card the BOM uses.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CardFacts {
    /// `model-index[0].name`.
    pub(crate) model_name: Option<String>,
    pub(crate) license: Option<String>,
    pub(crate) license_name: Option<String>,
    pub(crate) license_link: Option<String>,
    pub(crate) datasets: Vec<String>,
    pub(crate) base_models: Vec<String>,
    pub(crate) pipeline_tag: Option<String>,
    pub(crate) library_name: Option<String>,
    pub(crate) languages: Vec<String>,
    pub(crate) eval_results: Vec<EvalResult>,
    pub(crate) users: Vec<String>,
    pub(crate) use_cases: Vec<String>,
    pub(crate) limitations: Vec<String>,
    pub(crate) risks: Vec<String>,
    pub(crate) environmental: Vec<String>,
    /// The card's recommendations, as the mitigation of its risks.
    pub(crate) mitigation: Option<String>,
}

/// One metric of `model-index`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct EvalResult {
    pub(crate) task: Option<String>,
    pub(crate) dataset: Option<String>,
    pub(crate) config: Option<String>,
    pub(crate) split: Option<String>,
    pub(crate) metric: String,
    pub(crate) value: String,
}

/// The learning inputs and outputs of a Hub pipeline tag, when the tag says (`text-to-image`: string → image).
fn io_of_pipeline(tag: &str) -> (Option<&'static str>, Option<&'static str>) {
    const TABLE: &[(&str, &str, &str)] = &[
        ("text-classification", "string", "label"),
        ("token-classification", "string", "labels"),
        ("question-answering", "string", "string"),
        ("table-question-answering", "table", "string"),
        ("zero-shot-classification", "string", "label"),
        ("translation", "string", "string"),
        ("summarization", "string", "string"),
        ("text-generation", "string", "string"),
        ("text2text-generation", "string", "string"),
        ("fill-mask", "string", "string"),
        ("sentence-similarity", "string", "number"),
        ("feature-extraction", "string", "vector"),
        ("automatic-speech-recognition", "audio", "string"),
        ("audio-classification", "audio", "label"),
        ("image-classification", "image", "label"),
        ("object-detection", "image", "bounding-boxes"),
        ("image-segmentation", "image", "mask"),
        ("image-to-text", "image", "string"),
        ("text-to-image", "string", "image"),
        ("image-to-image", "image", "image"),
        ("text-to-speech", "string", "audio"),
        ("text-to-audio", "string", "audio"),
        ("zero-shot-image-classification", "image", "label"),
        ("image-text-to-text", "image, string", "string"),
        ("visual-question-answering", "image, string", "string"),
        ("reinforcement-learning", "observation", "action"),
        ("tabular-classification", "table", "label"),
        ("tabular-regression", "table", "number"),
    ];
    TABLE
        .iter()
        .find(|(t, _, _)| *t == tag)
        .map(|(_, i, o)| (Some(*i), Some(*o)))
        .unwrap_or((None, None))
}

/// The `modelCard` of a model, with `dataset_refs` the bom-refs of its `data` components (in card order).
/// `None` when nothing is known.
pub(crate) fn build_model_card(
    card: Option<&CardFacts>,
    config: Option<&ConfigFacts>,
    dataset_refs: &[String],
) -> Option<ModelCard> {
    let mut params = ModelParameters::default();
    if let Some(c) = card {
        params.task = c.pipeline_tag.clone();
        if let Some(tag) = &c.pipeline_tag {
            let (i, o) = io_of_pipeline(tag);
            params.inputs = i.map(MlFormat::new).into_iter().collect();
            params.outputs = o.map(MlFormat::new).into_iter().collect();
        }
    }
    if let Some(cfg) = config {
        params.architecture_family = cfg.model_type.clone();
        if !cfg.architectures.is_empty() {
            params.model_architecture = Some(cfg.architectures.join(", "));
        }
    }
    params.datasets = dataset_refs.iter().map(DatasetChoice::reference).collect();

    let mut mc = ModelCard::default();
    if params != ModelParameters::default() {
        mc.model_parameters = Some(params);
    }
    if let Some(c) = card {
        let metrics: Vec<PerformanceMetric> = c
            .eval_results
            .iter()
            .map(|r| {
                let slice: Vec<&str> = [&r.dataset, &r.config, &r.split]
                    .into_iter()
                    .filter_map(|x| x.as_deref())
                    .collect();
                PerformanceMetric {
                    kind: Some(r.metric.clone()),
                    value: Some(r.value.clone()),
                    slice: (!slice.is_empty()).then(|| slice.join("/")),
                    confidence_interval: None,
                }
            })
            .collect();
        if !metrics.is_empty() {
            mc.quantitative_analysis = Some(QuantitativeAnalysis {
                performance_metrics: metrics,
                graphics: None,
            });
        }
        let mut cons = Considerations {
            users: c.users.clone(),
            use_cases: c.use_cases.clone(),
            technical_limitations: c.limitations.clone(),
            ethical_considerations: c
                .risks
                .iter()
                .map(|r| Risk {
                    name: Some(r.clone()),
                    mitigation_strategy: c.mitigation.clone(),
                })
                .collect(),
            ..Considerations::default()
        };
        if !c.environmental.is_empty() {
            // `environmentalConsiderations` takes structured energy figures we cannot derive from prose; the
            // card's text goes into its `properties`, which the schema allows.
            let props: Vec<Property> = c
                .environmental
                .iter()
                .map(|t| Property::new("mlsc:card:environmental-impact", t.clone()))
                .collect();
            cons.environmental_considerations = Some(serde_json::json!({ "properties": props }));
        }
        if cons != Considerations::default() {
            mc.considerations = Some(cons);
        }
        if !c.languages.is_empty() {
            mc.properties
                .push(Property::new("mlsc:card:language", c.languages.join(", ")));
        }
        if let Some(lib) = &c.library_name {
            mc.properties
                .push(Property::new("mlsc:card:library", lib.clone()));
        }
    }
    (mc != ModelCard::default()).then_some(mc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_known_is_no_card() {
        assert!(build_model_card(None, None, &[]).is_none());
    }

    #[test]
    fn config_and_tag() {
        let cfg = ConfigFacts {
            architectures: vec!["BertForMaskedLM".into()],
            model_type: Some("bert".into()),
            name_or_path: None,
        };
        let card = CardFacts {
            pipeline_tag: Some("fill-mask".into()),
            ..CardFacts::default()
        };
        let mc = build_model_card(Some(&card), Some(&cfg), &["d1".into()]).unwrap();
        let p = mc.model_parameters.unwrap();
        assert_eq!(p.architecture_family.as_deref(), Some("bert"));
        assert_eq!(p.model_architecture.as_deref(), Some("BertForMaskedLM"));
        assert_eq!(p.task.as_deref(), Some("fill-mask"));
        assert_eq!(p.datasets, vec![DatasetChoice::reference("d1")]);
    }
}
