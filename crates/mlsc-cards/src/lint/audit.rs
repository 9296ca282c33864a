//! Audit questions: what a reviewer asks of a model or dataset card (intended use, risks, evaluation, ...).

use super::*;

impl Ctx<'_> {
    pub(super) fn model_audit(&self, sink: &mut Sink<'_>) {
        let secs = &self.raw.sections;
        let first = Some(1);
        // Licence stated and valid.
        match self.get("license").and_then(as_text) {
            None => {
                let in_text = has_content_containing(secs, &["license", "licence", "licensing"]);
                sink.push(&rules::AUDIT_LICENSE, if in_text { "no `license` in the metadata (a licence section exists but is not machine-readable)" } else { "no licence is stated" }, first, None);
            }
            Some(l) if !self.vocab.licenses.contains(l.as_str()) => {
                sink.push(
                    &rules::AUDIT_LICENSE,
                    format!("the licence `{l}` is not a valid Hub licence id"),
                    self.line("license"),
                    Some("license"),
                );
            }
            Some(l) if l == "unknown" => {
                sink.push(
                    &rules::AUDIT_LICENSE,
                    "the licence is `unknown`",
                    self.line("license"),
                    Some("license"),
                );
            }
            Some(l)
                if l == "other"
                    && (self.get("license_name").is_none()
                        || self.get("license_link").is_none()) =>
            {
                sink.push(&rules::AUDIT_LICENSE, "the licence is `other` and not identified by `license_name` and `license_link`", self.line("license"), Some("license"));
            }
            Some(_) => {}
        }
        // Intended and out-of-scope use.
        let intended = has_content(
            secs,
            &[
                "uses",
                "direct use",
                "downstream use",
                "intended uses & limitations",
                "intended uses and limitations",
                "intended uses",
                "intended use",
                "how to use",
                "usage",
            ],
        );
        let out_of_scope = has_content(
            secs,
            &[
                "out of scope use",
                "out of scope uses",
                "misuse and out of scope use",
                "misuse malicious use and out of scope use",
                "intended uses & limitations",
                "intended uses and limitations",
                "limitations",
                "out of scope",
            ],
        );
        if !intended || !out_of_scope {
            let what = match (intended, out_of_scope) {
                (false, false) => "neither intended use nor out-of-scope use is described",
                (true, false) => "out-of-scope use is not described",
                _ => "intended use is not described",
            };
            sink.push(&rules::AUDIT_INTENDED_USE, what, first, None);
        }
        if !has_content_containing(secs, &["bias", "risk", "limitation", "ethical"]) {
            sink.push(
                &rules::AUDIT_BIAS_RISKS_LIMITATIONS,
                "bias, risks and limitations are not described",
                first,
                None,
            );
        }
        // Evaluation, disaggregated.
        let results =
            card::model_index_to_eval_results(self.get("model-index").unwrap_or(&Value::Null))
                .map(|r| r.1)
                .unwrap_or_default();
        let eval_section: Vec<usize> = secs
            .iter()
            .enumerate()
            .filter(|(i, s)| {
                let h = normalize_heading(&s.heading);
                [
                    "evaluation",
                    "results",
                    "benchmark",
                    "performance",
                    "metrics",
                ]
                .iter()
                .any(|w| h.contains(w))
                    && !tree_is_placeholder(secs, *i)
            })
            .map(|(i, _)| i)
            .collect();
        if results.is_empty() && eval_section.is_empty() {
            sink.push(
                &rules::AUDIT_EVALUATION,
                "no evaluation: neither `model-index` results nor an evaluation section",
                first,
                None,
            );
        } else {
            let groups: HashSet<(String, Option<String>, Option<String>)> = results
                .iter()
                .map(|r| {
                    (
                        r.dataset_type.clone(),
                        r.dataset_config.clone(),
                        r.dataset_split.clone(),
                    )
                })
                .collect();
            let factors = has_content(
                secs,
                &[
                    "factors",
                    "disaggregated results",
                    "subgroup results",
                    "results by group",
                ],
            );
            let table_rows = eval_section
                .iter()
                .map(|i| {
                    tree_text(secs, *i)
                        .lines()
                        .filter(|l| l.trim_start().starts_with('|') && !l.contains("---"))
                        .count()
                })
                .max()
                .unwrap_or(0);
            // A header row and at least two data rows: results broken down by something.
            if groups.len() < 2 && !factors && table_rows < 3 {
                sink.push(&rules::AUDIT_EVALUATION, "evaluation results are not disaggregated (one dataset/split, no factors, no per-group table)", first, None);
            }
        }
        let datasets = !string_or_list(self.get("datasets")).is_empty();
        if !datasets
            && !has_content(
                secs,
                &[
                    "training data",
                    "training and evaluation data",
                    "dataset",
                    "datasets",
                    "data",
                    "training dataset",
                    "pretraining data",
                ],
            )
        {
            sink.push(
                &rules::AUDIT_TRAINING_DATA,
                "the training data is not named (no `datasets` metadata, no training-data section)",
                first,
                None,
            );
        }
        if self.get("co2_eq_emissions").is_none()
            && !has_content_containing(
                secs,
                &[
                    "environmental impact",
                    "carbon",
                    "co2",
                    "emissions",
                    "energy",
                ],
            )
        {
            sink.push(&rules::AUDIT_ENVIRONMENTAL_IMPACT, "environmental impact is not reported (no `co2_eq_emissions`, no Environmental Impact section)", first, None);
        }
        if !has_content_containing(
            secs,
            &[
                "maintenance",
                "deprecat",
                "contact",
                "maintainer",
                "changelog",
                "updates",
                "model card authors",
                "status",
            ],
        ) && self.get("new_version").is_none()
        {
            sink.push(
                &rules::AUDIT_MAINTENANCE,
                "no maintenance, contact or deprecation information",
                first,
                None,
            );
        }
    }

    pub(super) fn dataset_audit(&self, sink: &mut Sink<'_>) {
        let secs = &self.raw.sections;
        let first = Some(1);
        let source_meta = string_or_list(self.get("source_datasets"));
        let source_sec = has_content(
            secs,
            &[
                "source data",
                "initial data collection and normalization",
                "data collection and processing",
                "who are the source data producers",
                "who are the source language producers",
                "dataset sources",
            ],
        );
        if source_meta.is_empty() && !source_sec {
            sink.push(&rules::PROVENANCE_SOURCE, "the source of the data is not stated (no `source_datasets`, no Source Data section)", first, None);
        }
        let lic = string_or_list(self.get("license"));
        let lic_sec = has_content(
            secs,
            &["licensing information", "license", "licence", "licensing"],
        );
        if lic.is_empty() && !lic_sec {
            sink.push(
                &rules::PROVENANCE_LICENSE,
                "the licence of the data is not stated",
                first,
                None,
            );
        } else if lic.is_empty() {
            sink.push_sev(
                &rules::PROVENANCE_LICENSE,
                Severity::Low,
                "the licence is described in the text but not in the `license` metadata",
                first,
                None,
            );
        } else if lic.iter().any(|l| l == "unknown") {
            sink.push(
                &rules::PROVENANCE_LICENSE,
                "the licence is `unknown`",
                self.line("license"),
                Some("license"),
            );
        }
        let collection = has_content(
            secs,
            &[
                "initial data collection and normalization",
                "data collection and processing",
                "data collection",
                "collection process",
                "curation rationale",
            ],
        );
        let annotation = has_content(
            secs,
            &[
                "annotation process",
                "annotations",
                "who are the annotators",
            ],
        ) || self.get("annotations_creators").is_some();
        if !collection || !annotation {
            let what = match (collection, annotation) {
                (false, false) => "neither collection nor annotation is described",
                (false, true) => "how the data was collected is not described",
                _ => "how the data was annotated is not described",
            };
            sink.push(&rules::PROVENANCE_COLLECTION, what, first, None);
        }
        if !has_content(secs, &["personal and sensitive information"]) {
            sink.push(
                &rules::PERSONAL_INFORMATION,
                "personal and sensitive information is not addressed",
                first,
                None,
            );
        }
        if !has_content_containing(secs, &["bias", "limitation", "risk", "considerations"]) {
            sink.push_sev(
                &rules::AUDIT_BIAS_RISKS_LIMITATIONS,
                Severity::Low,
                "bias, risks and limitations of the data are not described",
                first,
                None,
            );
        }
    }
}
