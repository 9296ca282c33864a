//! The vocabulary tables the metadata checks compare against: misspelt keys and the Hub's closed lists.

/// Misspellings of known keys the Hub silently ignores.
pub(super) const MISSPELT: &[(&str, &str)] = &[
    ("pipeline-tag", "pipeline_tag"),
    ("pipelinetag", "pipeline_tag"),
    ("pipeline", "pipeline_tag"),
    ("licence", "license"),
    ("licenses", "license"),
    ("license-name", "license_name"),
    ("license-link", "license_link"),
    ("library", "library_name"),
    ("library-name", "library_name"),
    ("libraryname", "library_name"),
    ("languages", "language"),
    ("lang", "language"),
    ("base-model", "base_model"),
    ("basemodel", "base_model"),
    ("model_index", "model-index"),
    ("modelindex", "model-index"),
    ("tag", "tags"),
    ("task_category", "task_categories"),
    ("size_category", "size_categories"),
    ("source_dataset", "source_datasets"),
];

pub(super) const SIZE_CATEGORIES: &[&str] = &[
    "n<1K",
    "1K<n<10K",
    "10K<n<100K",
    "100K<n<1M",
    "1M<n<10M",
    "10M<n<100M",
    "100M<n<1B",
    "1B<n<10B",
    "10B<n<100B",
    "100B<n<1T",
    "n>1T",
    "unknown",
];
pub(super) const ANNOTATIONS_CREATORS: &[&str] = &[
    "crowdsourced",
    "expert-generated",
    "found",
    "machine-generated",
    "no-annotation",
    "other",
];
pub(super) const LANGUAGE_CREATORS: &[&str] = &[
    "crowdsourced",
    "expert-generated",
    "found",
    "machine-generated",
    "other",
];
pub(super) const MULTILINGUALITY: &[&str] =
    &["monolingual", "multilingual", "translation", "other"];
