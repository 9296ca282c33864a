//! The finding codes of BOM building (`MLSC-BOM-001` to `-099`) and validation (`MLSC-BOM-100` and up). Codes are
//! stable contracts: never renumber, only add.

use mlsc_core::{Rule, Severity};

/// `MLSC-BOM-001`: A Hugging Face cache file's SHA-256 differs from the LFS blob name it links to: the cache was altered or corrupted
pub const CACHE_BLOB_MISMATCH: Rule = Rule::new("MLSC-BOM-001", "cache-blob-mismatch", Severity::High, "cache blob digest mismatch")
.with_tags(&["owasp-ml:ML06", "cwe:354"])
.with_summary("A Hugging Face cache file's SHA-256 differs from the LFS blob name it links to: the cache was altered or corrupted");

/// `MLSC-BOM-002`: A file of the model directory could not be read or hashed, so the BOM does not cover it
pub const UNREADABLE_FILE: Rule = Rule::new(
    "MLSC-BOM-002",
    "unreadable-file",
    Severity::Medium,
    "unreadable file",
)
.with_summary(
    "A file of the model directory could not be read or hashed, so the BOM does not cover it",
);

/// `MLSC-BOM-003`: The model directory has more files than the limit; the BOM lists only the first ones
pub const TOO_MANY_FILES: Rule = Rule::new(
    "MLSC-BOM-003",
    "too-many-files",
    Severity::Medium,
    "too many files",
)
.with_summary(
    "The model directory has more files than the limit; the BOM lists only the first ones",
);

/// `MLSC-BOM-004`: config.json could not be read as JSON; the model card lacks its architecture
pub const UNREADABLE_CONFIG: Rule = Rule::new(
    "MLSC-BOM-004",
    "unreadable-config",
    Severity::Low,
    "unreadable config.json",
)
.with_summary("config.json could not be read as JSON; the model card lacks its architecture");

/// `MLSC-BOM-005`: The model card (README.md) could not be parsed; the BOM lacks its licence, datasets and evaluation
pub const UNREADABLE_CARD: Rule = Rule::new("MLSC-BOM-005", "unreadable-card", Severity::Low, "unreadable model card")
.with_summary("The model card (README.md) could not be parsed; the BOM lacks its licence, datasets and evaluation");

/// `MLSC-BOM-006`: A file of the model directory is a symlink to a place outside it
pub const SYMLINK_ESCAPE: Rule = Rule::new(
    "MLSC-BOM-006",
    "symlink-escape",
    Severity::Medium,
    "symlink leaves the model directory",
)
.with_tags(&["cwe:59"])
.with_summary("A file of the model directory is a symlink to a place outside it");

/// `MLSC-BOM-007`: A Python input (requirements, lock file, environment) could not be read completely, so the BOM may lack dependencies
pub const INPUT_PROBLEM: Rule = Rule::new("MLSC-BOM-007", "input-problem", Severity::Medium, "input problem")
.with_summary("A Python input (requirements, lock file, environment) could not be read completely, so the BOM may lack dependencies");

/// `MLSC-BOM-008`: Something under the described folder is not in the BOM
pub const NOT_COVERED: Rule = Rule::new(
    "MLSC-BOM-008",
    "not-covered",
    Severity::Medium,
    "not covered by the BOM",
)
.with_summary("Something under the described folder is not in the BOM: a file of no known kind, a folder not walked, a dependency input not read, or nothing describable at all")
.with_tags(&["completeness"]);

/// `MLSC-BOM-100`: The document is not CycloneDX JSON of a supported version (1.4 to 1.7)
pub const NOT_CYCLONEDX: Rule = Rule::new(
    "MLSC-BOM-100",
    "not-cyclonedx",
    Severity::High,
    "not cyclonedx",
)
.with_summary("The document is not CycloneDX JSON of a supported version (1.4 to 1.7)");

/// `MLSC-BOM-101`: The BOM breaks a rule of the CycloneDX JSON schema: a required field, a type, an enumeration, a pattern or an unknown field
pub const SCHEMA_VIOLATION: Rule = Rule::new("MLSC-BOM-101", "schema-violation", Severity::High, "schema violation")
.with_summary("The BOM breaks a rule of the CycloneDX JSON schema: a required field, a type, an enumeration, a pattern or an unknown field");

/// `MLSC-BOM-102`: Two objects of the BOM have the same bom-ref
pub const DUPLICATE_BOM_REF: Rule = Rule::new(
    "MLSC-BOM-102",
    "duplicate-bom-ref",
    Severity::High,
    "duplicate bom ref",
)
.with_summary("Two objects of the BOM have the same bom-ref");

/// `MLSC-BOM-103`: A reference (dependency, dataset, affected component) names no bom-ref of the BOM
pub const DANGLING_REFERENCE: Rule = Rule::new(
    "MLSC-BOM-103",
    "dangling-reference",
    Severity::High,
    "dangling reference",
)
.with_summary("A reference (dependency, dataset, affected component) names no bom-ref of the BOM");

/// `MLSC-BOM-104`: A model card is attached to a component that is not a machine-learning-model
pub const MISPLACED_MODEL_CARD: Rule = Rule::new(
    "MLSC-BOM-104",
    "misplaced-model-card",
    Severity::High,
    "misplaced model card",
)
.with_summary("A model card is attached to a component that is not a machine-learning-model");

/// `MLSC-BOM-105`: A licence id is not a valid SPDX licence id
pub const INVALID_LICENSE_ID: Rule = Rule::new(
    "MLSC-BOM-105",
    "invalid-license-id",
    Severity::High,
    "invalid license id",
)
.with_summary("A licence id is not a valid SPDX licence id");

/// `MLSC-BOM-106`: A component's version is a version specifier or range, not a version
pub const SPECIFIER_AS_VERSION: Rule = Rule::new(
    "MLSC-BOM-106",
    "specifier-as-version",
    Severity::Medium,
    "specifier as version",
)
.with_summary("A component's version is a version specifier or range, not a version");

/// The finding codes of BOM building and validation.
pub const RULES: &[Rule] = &[
    CACHE_BLOB_MISMATCH,
    UNREADABLE_FILE,
    TOO_MANY_FILES,
    UNREADABLE_CONFIG,
    UNREADABLE_CARD,
    SYMLINK_ESCAPE,
    INPUT_PROBLEM,
    NOT_COVERED,
    NOT_CYCLONEDX,
    SCHEMA_VIOLATION,
    DUPLICATE_BOM_REF,
    DANGLING_REFERENCE,
    MISPLACED_MODEL_CARD,
    INVALID_LICENSE_ID,
    SPECIFIER_AS_VERSION,
];
