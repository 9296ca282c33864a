//! Every finding code mlsc-cards emits. Codes are stable: a code never changes meaning.

use mlsc_core::{Rule, Severity};

/// `MLSC-CARD-001`: The front matter parses but is not a mapping: the Hub shows no metadata for the card.
pub const METADATA_NOT_A_MAPPING: Rule = Rule::new(
    "MLSC-CARD-001",
    "metadata-not-a-mapping",
    Severity::High,
    "metadata not a mapping",
)
.with_tags(&["owasp-ml:ML06"])
.with_summary(
    "The front matter parses but is not a mapping: the Hub shows no metadata for the card.",
);

/// `MLSC-CARD-002`: The front matter is not valid YAML: the Hub shows no metadata for the card.
pub const METADATA_YAML_SYNTAX: Rule = Rule::new(
    "MLSC-CARD-002",
    "metadata-yaml-syntax",
    Severity::High,
    "metadata yaml syntax",
)
.with_tags(&["owasp-ml:ML06"])
.with_summary("The front matter is not valid YAML: the Hub shows no metadata for the card.");

/// `MLSC-CARD-003`: The card has no YAML front matter: no licence, task or dataset is machine-readable.
pub const METADATA_MISSING: Rule = Rule::new(
    "MLSC-CARD-003",
    "metadata-missing",
    Severity::Medium,
    "metadata missing",
)
.with_summary(
    "The card has no YAML front matter: no licence, task or dataset is machine-readable.",
);

/// `MLSC-CARD-004`: The card is not UTF-8 (UTF-16, or invalid bytes): the Hub cannot read it.
pub const CARD_ENCODING: Rule = Rule::new(
    "MLSC-CARD-004",
    "card-encoding",
    Severity::High,
    "card encoding",
)
.with_summary("The card is not UTF-8 (UTF-16, or invalid bytes): the Hub cannot read it.");

/// `MLSC-CARD-005`: The card starts with a UTF-8 byte-order mark, which was ignored (as the Hub does).
pub const CARD_UTF8_BOM: Rule = Rule::new(
    "MLSC-CARD-005",
    "card-utf8-bom",
    Severity::Info,
    "card utf8 bom",
)
.with_summary("The card starts with a UTF-8 byte-order mark, which was ignored (as the Hub does).");

/// `MLSC-CARD-006`: A size, depth or alias-expansion limit stopped the analysis: the card was not fully checked.
pub const CARD_LIMIT: Rule = Rule::new(
    "MLSC-CARD-006",
    "card-limit",
    Severity::Medium,
    "card limit",
)
.with_tags(&["cwe:776"])
.with_summary(
    "A size, depth or alias-expansion limit stopped the analysis: the card was not fully checked.",
);

/// `MLSC-CARD-007`: `model-index` does not have the structure huggingface_hub requires: the card does not load.
pub const MODEL_INDEX_INVALID: Rule = Rule::new(
    "MLSC-CARD-007",
    "model-index-invalid",
    Severity::High,
    "model index invalid",
)
.with_summary(
    "`model-index` does not have the structure huggingface_hub requires: the card does not load.",
);

/// `MLSC-CARD-008`: A known metadata key has a value of the wrong type.
pub const METADATA_TYPE: Rule = Rule::new(
    "MLSC-CARD-008",
    "metadata-type",
    Severity::Medium,
    "metadata type",
)
.with_summary("A known metadata key has a value of the wrong type.");

/// `MLSC-CARD-009`: `license` is not one of the Hub's licence ids.
pub const LICENSE_UNKNOWN: Rule = Rule::new(
    "MLSC-CARD-009",
    "license-unknown",
    Severity::Low,
    "license unknown",
)
.with_summary("`license` is not one of the Hub's licence ids.");

/// `MLSC-CARD-010`: `pipeline_tag` is not one of the Hub's pipeline tags.
pub const PIPELINE_TAG_UNKNOWN: Rule = Rule::new(
    "MLSC-CARD-010",
    "pipeline-tag-unknown",
    Severity::Low,
    "pipeline tag unknown",
)
.with_summary("`pipeline_tag` is not one of the Hub's pipeline tags.");

/// `MLSC-CARD-011`: `library_name` is not one of the Hub's library names.
pub const LIBRARY_UNKNOWN: Rule = Rule::new(
    "MLSC-CARD-011",
    "library-unknown",
    Severity::Low,
    "library unknown",
)
.with_summary("`library_name` is not one of the Hub's library names.");

/// `MLSC-CARD-012`: A `language` value is not an ISO 639-1 or 639-3 code known to the Hub.
pub const LANGUAGE_UNKNOWN: Rule = Rule::new(
    "MLSC-CARD-012",
    "language-unknown",
    Severity::Low,
    "language unknown",
)
.with_summary("A `language` value is not an ISO 639-1 or 639-3 code known to the Hub.");

/// `MLSC-CARD-013`: An unquoted value means something else to PyYAML (YAML 1.1) than to YAML 1.2 (`no`, `on`, `012`, `1:30`).
pub const YAML_1_1_AMBIGUITY: Rule = Rule::new("MLSC-CARD-013", "yaml-1.1-ambiguity", Severity::Medium, "yaml 1.1 ambiguity")
.with_summary("An unquoted value means something else to PyYAML (YAML 1.1) than to YAML 1.2 (`no`, `on`, `012`, `1:30`).");

/// `MLSC-CARD-014`: `license: other` without `license_name` and `license_link`: the licence is not identified.
pub const LICENSE_OTHER_INCOMPLETE: Rule = Rule::new(
    "MLSC-CARD-014",
    "license-other-incomplete",
    Severity::Medium,
    "license other incomplete",
)
.with_summary(
    "`license: other` without `license_name` and `license_link`: the licence is not identified.",
);

/// `MLSC-CARD-015`: Gating metadata (`extra_gated_*`, `gated`) is malformed.
pub const GATED_METADATA: Rule = Rule::new(
    "MLSC-CARD-015",
    "gated-metadata",
    Severity::Low,
    "gated metadata",
)
.with_summary("Gating metadata (`extra_gated_*`, `gated`) is malformed.");

/// `MLSC-CARD-016`: A section of the Hub's card template is absent.
pub const SECTION_MISSING: Rule = Rule::new(
    "MLSC-CARD-016",
    "section-missing",
    Severity::Low,
    "section missing",
)
.with_summary("A section of the Hub's card template is absent.");

/// `MLSC-CARD-017`: A section holds only a template placeholder ("More Information Needed").
pub const SECTION_PLACEHOLDER: Rule = Rule::new(
    "MLSC-CARD-017",
    "section-placeholder",
    Severity::Low,
    "section placeholder",
)
.with_summary("A section holds only a template placeholder (\"More Information Needed\").");

/// `MLSC-CARD-018`: A mapping key is repeated: PyYAML keeps the last value silently.
pub const METADATA_DUPLICATE_KEY: Rule = Rule::new(
    "MLSC-CARD-018",
    "metadata-duplicate-key",
    Severity::Medium,
    "metadata duplicate key",
)
.with_summary("A mapping key is repeated: PyYAML keeps the last value silently.");

/// `MLSC-CARD-019`: A top-level metadata key is not a string: huggingface_hub cannot load the card.
pub const METADATA_NON_STRING_KEY: Rule = Rule::new(
    "MLSC-CARD-019",
    "metadata-non-string-key",
    Severity::High,
    "metadata non string key",
)
.with_summary("A top-level metadata key is not a string: huggingface_hub cannot load the card.");

/// `MLSC-CARD-020`: An explicit YAML tag that a safe loader refuses (`!!python/object`…): the card does not load, and an unsafe loader would run code.
pub const METADATA_YAML_TAG: Rule = Rule::new("MLSC-CARD-020", "metadata-yaml-tag", Severity::High, "metadata yaml tag")
.with_tags(&["cwe:502"])
.with_summary("An explicit YAML tag that a safe loader refuses (`!!python/object`…): the card does not load, and an unsafe loader would run code.");

/// `MLSC-CARD-021`: A metadata key looks like a known key misspelt (`pipeline-tag`, `licence`): the Hub ignores it.
pub const METADATA_KEY_MISSPELT: Rule = Rule::new("MLSC-CARD-021", "metadata-key-misspelt", Severity::Low, "metadata key misspelt")
.with_summary("A metadata key looks like a known key misspelt (`pipeline-tag`, `licence`): the Hub ignores it.");

/// `MLSC-CARD-022`: An evaluation result is not usable: a metric value that is not a number, an empty type.
pub const EVAL_RESULT_VALUE: Rule = Rule::new(
    "MLSC-CARD-022",
    "eval-result-value",
    Severity::Low,
    "eval result value",
)
.with_summary(
    "An evaluation result is not usable: a metric value that is not a number, an empty type.",
);

/// `MLSC-CARD-023`: `base_model` is not a Hub model id (`org/name`) or lacks a relation the Hub can infer.
pub const BASE_MODEL_INVALID: Rule = Rule::new(
    "MLSC-CARD-023",
    "base-model-invalid",
    Severity::Low,
    "base model invalid",
)
.with_summary(
    "`base_model` is not a Hub model id (`org/name`) or lacks a relation the Hub can infer.",
);

/// `MLSC-CARD-024`: A `datasets` entry is not a Hub dataset id (`org/name` or a legacy `name`): the Hub cannot link it.
pub const DATASET_ID_INVALID: Rule = Rule::new("MLSC-CARD-024", "dataset-id-invalid", Severity::Low, "dataset id invalid")
.with_summary("A `datasets` entry is not a Hub dataset id (`org/name` or a legacy `name`): the Hub cannot link it.");

/// `MLSC-CARD-101`: Audit: the licence is not stated, or not valid.
pub const AUDIT_LICENSE: Rule = Rule::new(
    "MLSC-CARD-101",
    "audit-license",
    Severity::Medium,
    "audit license",
)
.with_tags(&["audit"])
.with_summary("Audit: the licence is not stated, or not valid.");

/// `MLSC-CARD-102`: Audit: intended use and out-of-scope use are not described.
pub const AUDIT_INTENDED_USE: Rule = Rule::new(
    "MLSC-CARD-102",
    "audit-intended-use",
    Severity::Low,
    "audit intended use",
)
.with_tags(&["audit"])
.with_summary("Audit: intended use and out-of-scope use are not described.");

/// `MLSC-CARD-103`: Audit: bias, risks and limitations are not described.
pub const AUDIT_BIAS_RISKS_LIMITATIONS: Rule = Rule::new(
    "MLSC-CARD-103",
    "audit-bias-risks-limitations",
    Severity::Low,
    "audit bias risks limitations",
)
.with_tags(&["audit"])
.with_summary("Audit: bias, risks and limitations are not described.");

/// `MLSC-CARD-104`: Audit: no evaluation, or no disaggregated results (per group, subset or factor).
pub const AUDIT_EVALUATION: Rule = Rule::new(
    "MLSC-CARD-104",
    "audit-evaluation",
    Severity::Low,
    "audit evaluation",
)
.with_tags(&["audit"])
.with_summary("Audit: no evaluation, or no disaggregated results (per group, subset or factor).");

/// `MLSC-CARD-105`: Audit: the training data is not named.
pub const AUDIT_TRAINING_DATA: Rule = Rule::new(
    "MLSC-CARD-105",
    "audit-training-data",
    Severity::Low,
    "audit training data",
)
.with_tags(&["audit"])
.with_summary("Audit: the training data is not named.");

/// `MLSC-CARD-106`: Audit: environmental impact (compute, energy, emissions) is not reported.
pub const AUDIT_ENVIRONMENTAL_IMPACT: Rule = Rule::new(
    "MLSC-CARD-106",
    "audit-environmental-impact",
    Severity::Info,
    "audit environmental impact",
)
.with_tags(&["audit"])
.with_summary("Audit: environmental impact (compute, energy, emissions) is not reported.");

/// `MLSC-CARD-107`: Audit: no maintenance, contact or deprecation status.
pub const AUDIT_MAINTENANCE: Rule = Rule::new(
    "MLSC-CARD-107",
    "audit-maintenance",
    Severity::Info,
    "audit maintenance",
)
.with_tags(&["audit"])
.with_summary("Audit: no maintenance, contact or deprecation status.");

/// `MLSC-DATA-001`: A dataset metadata key the Hub uses for search and provenance is absent.
pub const DATASET_METADATA_MISSING: Rule = Rule::new(
    "MLSC-DATA-001",
    "dataset-metadata-missing",
    Severity::Low,
    "dataset metadata missing",
)
.with_summary("A dataset metadata key the Hub uses for search and provenance is absent.");

/// `MLSC-DATA-002`: A dataset metadata value is outside the Hub's enumeration (`size_categories`, `multilinguality`, …).
pub const DATASET_METADATA_VALUE: Rule = Rule::new("MLSC-DATA-002", "dataset-metadata-value", Severity::Low, "dataset metadata value")
.with_summary("A dataset metadata value is outside the Hub's enumeration (`size_categories`, `multilinguality`, …).");

/// `MLSC-DATA-003`: Provenance: the source of the data is not stated (`source_datasets` or a Source Data section).
pub const PROVENANCE_SOURCE: Rule = Rule::new("MLSC-DATA-003", "provenance-source", Severity::Medium, "provenance source")
.with_tags(&["audit"])
.with_summary("Provenance: the source of the data is not stated (`source_datasets` or a Source Data section).");

/// `MLSC-DATA-004`: Provenance: the licence of the data is not stated.
pub const PROVENANCE_LICENSE: Rule = Rule::new(
    "MLSC-DATA-004",
    "provenance-license",
    Severity::Medium,
    "provenance license",
)
.with_tags(&["audit"])
.with_summary("Provenance: the licence of the data is not stated.");

/// `MLSC-DATA-005`: Provenance: how the data was collected and annotated is not described.
pub const PROVENANCE_COLLECTION: Rule = Rule::new(
    "MLSC-DATA-005",
    "provenance-collection",
    Severity::Low,
    "provenance collection",
)
.with_tags(&["audit"])
.with_summary("Provenance: how the data was collected and annotated is not described.");

/// `MLSC-DATA-006`: `configs` or `dataset_info` is malformed: the dataset viewer and `datasets` cannot use it.
pub const DATASET_CONFIGS: Rule = Rule::new(
    "MLSC-DATA-006",
    "dataset-configs",
    Severity::Medium,
    "dataset configs",
)
.with_summary(
    "`configs` or `dataset_info` is malformed: the dataset viewer and `datasets` cannot use it.",
);

/// `MLSC-DATA-007`: Personal and sensitive information is not addressed.
pub const PERSONAL_INFORMATION: Rule = Rule::new(
    "MLSC-DATA-007",
    "personal-information",
    Severity::Low,
    "personal information",
)
.with_tags(&["audit"])
.with_summary("Personal and sensitive information is not addressed.");

/// `MLSC-MCT-001`: The Model Card Toolkit JSON does not validate against its schema.
pub const MCT_SCHEMA: Rule =
    Rule::new("MLSC-MCT-001", "mct-schema", Severity::Medium, "mct schema")
        .with_summary("The Model Card Toolkit JSON does not validate against its schema.");

/// `MLSC-MCT-002`: A date in the Model Card Toolkit JSON is not a valid date.
pub const MCT_DATE: Rule = Rule::new("MLSC-MCT-002", "mct-date", Severity::Medium, "mct date")
    .with_summary("A date in the Model Card Toolkit JSON is not a valid date.");

/// `MLSC-MCT-003`: `schema_version` is missing or unknown; the card was checked against the latest schema.
pub const MCT_SCHEMA_VERSION: Rule = Rule::new(
    "MLSC-MCT-003",
    "mct-schema-version",
    Severity::Low,
    "mct schema version",
)
.with_summary(
    "`schema_version` is missing or unknown; the card was checked against the latest schema.",
);

/// `MLSC-MCT-004`: The Model Card Toolkit file is not valid JSON.
pub const MCT_JSON: Rule = Rule::new("MLSC-MCT-004", "mct-json", Severity::High, "mct json")
    .with_summary("The Model Card Toolkit file is not valid JSON.");

/// `MLSC-CROI-001`: The Croissant file is not valid JSON or not a JSON object.
pub const CROISSANT_JSON: Rule = Rule::new(
    "MLSC-CROI-001",
    "croissant-json",
    Severity::High,
    "croissant json",
)
.with_summary("The Croissant file is not valid JSON or not a JSON object.");

/// `MLSC-CROI-002`: `conformsTo` names no Croissant version mlcroissant knows (1.0, 1.1).
pub const CROISSANT_CONFORMS_TO: Rule = Rule::new(
    "MLSC-CROI-002",
    "croissant-conforms-to",
    Severity::High,
    "croissant conforms to",
)
.with_summary("`conformsTo` names no Croissant version mlcroissant knows (1.0, 1.1).");

/// `MLSC-CROI-003`: A property mlcroissant requires is missing (`encodingFormat`, `name`, a hash, a field `dataType`).
pub const CROISSANT_MANDATORY: Rule = Rule::new("MLSC-CROI-003", "croissant-mandatory", Severity::Medium, "croissant mandatory")
.with_summary("A property mlcroissant requires is missing (`encodingFormat`, `name`, a hash, a field `dataType`).");

/// `MLSC-CROI-004`: A property mlcroissant recommends is missing (`citeAs`, `datePublished`, `license`, `version`).
pub const CROISSANT_RECOMMENDED: Rule = Rule::new("MLSC-CROI-004", "croissant-recommended", Severity::Info, "croissant recommended")
.with_summary("A property mlcroissant recommends is missing (`citeAs`, `datePublished`, `license`, `version`).");

/// `MLSC-CROI-005`: A property has a value of the wrong type (`license` as a number, a non-ISO 8601 date).
pub const CROISSANT_TYPE: Rule = Rule::new(
    "MLSC-CROI-005",
    "croissant-type",
    Severity::Medium,
    "croissant type",
)
.with_summary(
    "A property has a value of the wrong type (`license` as a number, a non-ISO 8601 date).",
);

/// `MLSC-CROI-006`: A reference (`source`, `containedIn`, `references`) names a node that does not exist.
pub const CROISSANT_REFERENCE: Rule = Rule::new(
    "MLSC-CROI-006",
    "croissant-reference",
    Severity::High,
    "croissant reference",
)
.with_summary(
    "A reference (`source`, `containedIn`, `references`) names a node that does not exist.",
);

/// `MLSC-CROI-007`: A property the Croissant specification requires but mlcroissant does not check is missing.
pub const CROISSANT_SPEC_REQUIRED: Rule = Rule::new(
    "MLSC-CROI-007",
    "croissant-spec-required",
    Severity::Low,
    "croissant spec required",
)
.with_summary(
    "A property the Croissant specification requires but mlcroissant does not check is missing.",
);

/// `MLSC-CROI-008`: Responsible-AI extension fields are absent (data collection, biases, limitations, personal information…).
pub const CROISSANT_RAI: Rule = Rule::new("MLSC-CROI-008", "croissant-rai", Severity::Info, "croissant rai")
.with_tags(&["audit"])
.with_summary("Responsible-AI extension fields are absent (data collection, biases, limitations, personal information…).");

/// `MLSC-CROI-009`: The JSON-LD `@context` or `@type` is missing or wrong: the file is not read as Croissant.
pub const CROISSANT_CONTEXT: Rule = Rule::new(
    "MLSC-CROI-009",
    "croissant-context",
    Severity::Medium,
    "croissant context",
)
.with_summary(
    "The JSON-LD `@context` or `@type` is missing or wrong: the file is not read as Croissant.",
);

/// Every rule of mlsc-cards, in code order.
pub const RULES: &[Rule] = &[
    METADATA_NOT_A_MAPPING,
    METADATA_YAML_SYNTAX,
    METADATA_MISSING,
    CARD_ENCODING,
    CARD_UTF8_BOM,
    CARD_LIMIT,
    MODEL_INDEX_INVALID,
    METADATA_TYPE,
    LICENSE_UNKNOWN,
    PIPELINE_TAG_UNKNOWN,
    LIBRARY_UNKNOWN,
    LANGUAGE_UNKNOWN,
    YAML_1_1_AMBIGUITY,
    LICENSE_OTHER_INCOMPLETE,
    GATED_METADATA,
    SECTION_MISSING,
    SECTION_PLACEHOLDER,
    METADATA_DUPLICATE_KEY,
    METADATA_NON_STRING_KEY,
    METADATA_YAML_TAG,
    METADATA_KEY_MISSPELT,
    EVAL_RESULT_VALUE,
    BASE_MODEL_INVALID,
    DATASET_ID_INVALID,
    AUDIT_LICENSE,
    AUDIT_INTENDED_USE,
    AUDIT_BIAS_RISKS_LIMITATIONS,
    AUDIT_EVALUATION,
    AUDIT_TRAINING_DATA,
    AUDIT_ENVIRONMENTAL_IMPACT,
    AUDIT_MAINTENANCE,
    DATASET_METADATA_MISSING,
    DATASET_METADATA_VALUE,
    PROVENANCE_SOURCE,
    PROVENANCE_LICENSE,
    PROVENANCE_COLLECTION,
    DATASET_CONFIGS,
    PERSONAL_INFORMATION,
    MCT_SCHEMA,
    MCT_DATE,
    MCT_SCHEMA_VERSION,
    MCT_JSON,
    CROISSANT_JSON,
    CROISSANT_CONFORMS_TO,
    CROISSANT_MANDATORY,
    CROISSANT_RECOMMENDED,
    CROISSANT_TYPE,
    CROISSANT_REFERENCE,
    CROISSANT_SPEC_REQUIRED,
    CROISSANT_RAI,
    CROISSANT_CONTEXT,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_unique_and_snapshot() {
        let mut codes: Vec<_> = RULES.iter().map(|r| r.code).collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n, "duplicate rule codes");
        let mut names: Vec<_> = RULES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n, "duplicate rule names");
        let listing: String = RULES
            .iter()
            .map(|r| {
                format!(
                    "{} {} {} {}\n",
                    r.code, r.default_severity, r.name, r.summary
                )
            })
            .collect();
        insta::assert_snapshot!(listing);
    }
}
