//! Every finding code mlsc-cards emits. Codes are stable: a code never changes meaning.

use mlsc_core::{Rule, Severity};

macro_rules! rules {
    ($( $konst:ident = $code:literal, $name:literal, $sev:ident, $summary:literal, [$($tag:literal),*]; )*) => {
        $( pub(crate) const $konst: &str = $code; )*
        /// Every rule of mlsc-cards, in code order.
        pub static RULES: &[Rule] = &[
            $( Rule {
                code: $code,
                name: $name,
                default_severity: Severity::$sev,
                summary: $summary,
                tags: &[$($tag),*],
            }, )*
        ];
    };
}

rules! {
    NOT_A_MAPPING = "MLSC-CARD-001", "metadata-not-a-mapping", High,
        "The front matter parses but is not a mapping: the Hub shows no metadata for the card.", ["owasp-ml:ML06"];
    YAML_SYNTAX = "MLSC-CARD-002", "metadata-yaml-syntax", High,
        "The front matter is not valid YAML: the Hub shows no metadata for the card.", ["owasp-ml:ML06"];
    NO_FRONT_MATTER = "MLSC-CARD-003", "metadata-missing", Medium,
        "The card has no YAML front matter: no licence, task or dataset is machine-readable.", [];
    ENCODING = "MLSC-CARD-004", "card-encoding", High,
        "The card is not UTF-8 (UTF-16, or invalid bytes): the Hub cannot read it.", [];
    BOM = "MLSC-CARD-005", "card-utf8-bom", Info,
        "The card starts with a UTF-8 byte-order mark, which was ignored (as the Hub does).", [];
    LIMIT = "MLSC-CARD-006", "card-limit", Medium,
        "A size, depth or alias-expansion limit stopped the analysis: the card was not fully checked.", ["cwe:776"];
    MODEL_INDEX = "MLSC-CARD-007", "model-index-invalid", High,
        "`model-index` does not have the structure huggingface_hub requires: the card does not load.", [];
    TYPE = "MLSC-CARD-008", "metadata-type", Medium,
        "A known metadata key has a value of the wrong type.", [];
    UNKNOWN_LICENSE = "MLSC-CARD-009", "license-unknown", Low,
        "`license` is not one of the Hub's licence ids.", [];
    UNKNOWN_PIPELINE = "MLSC-CARD-010", "pipeline-tag-unknown", Low,
        "`pipeline_tag` is not one of the Hub's pipeline tags.", [];
    UNKNOWN_LIBRARY = "MLSC-CARD-011", "library-unknown", Low,
        "`library_name` is not one of the Hub's library names.", [];
    UNKNOWN_LANGUAGE = "MLSC-CARD-012", "language-unknown", Low,
        "A `language` value is not an ISO 639-1 or 639-3 code known to the Hub.", [];
    YAML11 = "MLSC-CARD-013", "yaml-1.1-ambiguity", Medium,
        "An unquoted value means something else to PyYAML (YAML 1.1) than to YAML 1.2 (`no`, `on`, `012`, `1:30`).", [];
    LICENSE_OTHER = "MLSC-CARD-014", "license-other-incomplete", Medium,
        "`license: other` without `license_name` and `license_link`: the licence is not identified.", [];
    GATED = "MLSC-CARD-015", "gated-metadata", Low,
        "Gating metadata (`extra_gated_*`, `gated`) is malformed.", [];
    SECTION_MISSING = "MLSC-CARD-016", "section-missing", Low,
        "A section of the Hub's card template is absent.", [];
    SECTION_PLACEHOLDER = "MLSC-CARD-017", "section-placeholder", Low,
        "A section holds only a template placeholder (\"More Information Needed\").", [];
    DUPLICATE_KEY = "MLSC-CARD-018", "metadata-duplicate-key", Medium,
        "A mapping key is repeated: PyYAML keeps the last value silently.", [];
    NON_STRING_KEY = "MLSC-CARD-019", "metadata-non-string-key", High,
        "A top-level metadata key is not a string: huggingface_hub cannot load the card.", [];
    YAML_TAG = "MLSC-CARD-020", "metadata-yaml-tag", High,
        "An explicit YAML tag that a safe loader refuses (`!!python/object`…): the card does not load, and an unsafe loader would run code.", ["cwe:502"];
    KEY_SPELLING = "MLSC-CARD-021", "metadata-key-misspelt", Low,
        "A metadata key looks like a known key misspelt (`pipeline-tag`, `licence`): the Hub ignores it.", [];
    EVAL_VALUE = "MLSC-CARD-022", "eval-result-value", Low,
        "An evaluation result is not usable: a metric value that is not a number, an empty type.", [];
    BASE_MODEL = "MLSC-CARD-023", "base-model-invalid", Low,
        "`base_model` is not a Hub model id (`org/name`) or lacks a relation the Hub can infer.", [];
    DATASET_ID = "MLSC-CARD-024", "dataset-id-invalid", Low,
        "A `datasets` entry is not a Hub dataset id (`org/name` or a legacy `name`): the Hub cannot link it.", [];
    AUDIT_LICENSE = "MLSC-CARD-101", "audit-license", Medium,
        "Audit: the licence is not stated, or not valid.", ["audit"];
    AUDIT_USE = "MLSC-CARD-102", "audit-intended-use", Low,
        "Audit: intended use and out-of-scope use are not described.", ["audit"];
    AUDIT_RISKS = "MLSC-CARD-103", "audit-bias-risks-limitations", Low,
        "Audit: bias, risks and limitations are not described.", ["audit"];
    AUDIT_EVAL = "MLSC-CARD-104", "audit-evaluation", Low,
        "Audit: no evaluation, or no disaggregated results (per group, subset or factor).", ["audit"];
    AUDIT_TRAINING_DATA = "MLSC-CARD-105", "audit-training-data", Low,
        "Audit: the training data is not named.", ["audit"];
    AUDIT_ENVIRONMENT = "MLSC-CARD-106", "audit-environmental-impact", Info,
        "Audit: environmental impact (compute, energy, emissions) is not reported.", ["audit"];
    AUDIT_MAINTENANCE = "MLSC-CARD-107", "audit-maintenance", Info,
        "Audit: no maintenance, contact or deprecation status.", ["audit"];
    DATA_METADATA = "MLSC-DATA-001", "dataset-metadata-missing", Low,
        "A dataset metadata key the Hub uses for search and provenance is absent.", [];
    DATA_VALUE = "MLSC-DATA-002", "dataset-metadata-value", Low,
        "A dataset metadata value is outside the Hub's enumeration (`size_categories`, `multilinguality`, …).", [];
    DATA_SOURCE = "MLSC-DATA-003", "provenance-source", Medium,
        "Provenance: the source of the data is not stated (`source_datasets` or a Source Data section).", ["audit"];
    DATA_LICENSE = "MLSC-DATA-004", "provenance-license", Medium,
        "Provenance: the licence of the data is not stated.", ["audit"];
    DATA_COLLECTION = "MLSC-DATA-005", "provenance-collection", Low,
        "Provenance: how the data was collected and annotated is not described.", ["audit"];
    DATA_CONFIGS = "MLSC-DATA-006", "dataset-configs", Medium,
        "`configs` or `dataset_info` is malformed: the dataset viewer and `datasets` cannot use it.", [];
    DATA_PERSONAL = "MLSC-DATA-007", "personal-information", Low,
        "Personal and sensitive information is not addressed.", ["audit"];
    MCT_SCHEMA = "MLSC-MCT-001", "mct-schema", Medium,
        "The Model Card Toolkit JSON does not validate against its schema.", [];
    MCT_DATE = "MLSC-MCT-002", "mct-date", Medium,
        "A date in the Model Card Toolkit JSON is not a valid date.", [];
    MCT_VERSION = "MLSC-MCT-003", "mct-schema-version", Low,
        "`schema_version` is missing or unknown; the card was checked against the latest schema.", [];
    MCT_JSON = "MLSC-MCT-004", "mct-json", High,
        "The Model Card Toolkit file is not valid JSON.", [];
    CROI_JSON = "MLSC-CROI-001", "croissant-json", High,
        "The Croissant file is not valid JSON or not a JSON object.", [];
    CROI_CONFORMS = "MLSC-CROI-002", "croissant-conforms-to", High,
        "`conformsTo` names no Croissant version mlcroissant knows (1.0, 1.1).", [];
    CROI_MANDATORY = "MLSC-CROI-003", "croissant-mandatory", Medium,
        "A property mlcroissant requires is missing (`encodingFormat`, `name`, a hash, a field `dataType`).", [];
    CROI_RECOMMENDED = "MLSC-CROI-004", "croissant-recommended", Info,
        "A property mlcroissant recommends is missing (`citeAs`, `datePublished`, `license`, `version`).", [];
    CROI_TYPE = "MLSC-CROI-005", "croissant-type", Medium,
        "A property has a value of the wrong type (`license` as a number, a non-ISO 8601 date).", [];
    CROI_REFERENCE = "MLSC-CROI-006", "croissant-reference", High,
        "A reference (`source`, `containedIn`, `references`) names a node that does not exist.", [];
    CROI_SPEC = "MLSC-CROI-007", "croissant-spec-required", Low,
        "A property the Croissant specification requires but mlcroissant does not check is missing.", [];
    CROI_RAI = "MLSC-CROI-008", "croissant-rai", Info,
        "Responsible-AI extension fields are absent (data collection, biases, limitations, personal information…).", ["audit"];
    CROI_CONTEXT = "MLSC-CROI-009", "croissant-context", Medium,
        "The JSON-LD `@context` or `@type` is missing or wrong: the file is not read as Croissant.", [];
}

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
