//! The finding codes of the audit's own policy decisions (`MLSC-AUDIT`). Codes are stable contracts: never
//! renumber, only add.

use mlsc_core::{Rule, Severity};

/// `MLSC-AUDIT-001`: A model, dataset or dependency licence is denied by the policy or missing from its allow list
pub const LICENSE_NOT_ALLOWED: Rule = Rule::new(
    "MLSC-AUDIT-001",
    "license-not-allowed",
    Severity::High,
    "license not allowed",
)
.with_tags(&["license", "policy"])
.with_summary(
    "A model, dataset or dependency licence is denied by the policy or missing from its allow list",
);

/// `MLSC-AUDIT-002`: A model or dataset licence forbids or restricts commercial use
pub const NON_COMMERCIAL_LICENSE: Rule = Rule::new(
    "MLSC-AUDIT-002",
    "non-commercial-license",
    Severity::High,
    "non commercial license",
)
.with_tags(&["license", "policy"])
.with_summary("A model or dataset licence forbids or restricts commercial use");

/// `MLSC-AUDIT-003`: A model or dataset meant for a commercial product states no licence, or `other`, so its terms are unknown
pub const LICENSE_UNKNOWN: Rule = Rule::new("MLSC-AUDIT-003", "license-unknown", Severity::High, "license unknown")
.with_tags(&["license", "policy"])
.with_summary("A model or dataset meant for a commercial product states no licence, or `other`, so its terms are \
                  unknown");

/// `MLSC-AUDIT-004`: A card's completeness score is below the policy's minimum
pub const CARD_SCORE_BELOW_MINIMUM: Rule = Rule::new(
    "MLSC-AUDIT-004",
    "card-score-below-minimum",
    Severity::High,
    "card score below minimum",
)
.with_tags(&["documentation", "policy"])
.with_summary("A card's completeness score is below the policy's minimum");

/// `MLSC-AUDIT-005`: The policy requires a verified signature over the model and none verified
pub const SIGNATURE_REQUIRED: Rule = Rule::new(
    "MLSC-AUDIT-005",
    "signature-required",
    Severity::High,
    "signature required",
)
.with_tags(&["integrity", "policy", "owasp-ml:ML06"])
.with_summary("The policy requires a verified signature over the model and none verified");

/// `MLSC-AUDIT-006`: No advisory database was loaded, so dependencies were not checked for known vulnerabilities
pub const ADVISORY_DATABASE_MISSING: Rule = Rule::new(
    "MLSC-AUDIT-006",
    "advisory-database-missing",
    Severity::Medium,
    "advisory database missing",
)
.with_tags(&["dependencies", "completeness"])
.with_summary(
    "No advisory database was loaded, so dependencies were not checked for known vulnerabilities",
);

/// `MLSC-AUDIT-007`: A check applied to the audited path but could not run, so its question is unanswered
pub const CHECK_NOT_RUN: Rule = Rule::new(
    "MLSC-AUDIT-007",
    "check-not-run",
    Severity::Medium,
    "check not run",
)
.with_tags(&["completeness"])
.with_summary(
    "A check applied to the audited path but could not run, so its question is unanswered",
);

/// `MLSC-AUDIT-008`: Model files without a model card: nobody says what the model is, who made it, from which data
pub const MODEL_CARD_MISSING: Rule = Rule::new(
    "MLSC-AUDIT-008",
    "model-card-missing",
    Severity::Low,
    "model card missing",
)
.with_tags(&["documentation"])
.with_summary(
    "Model files without a model card: nobody says what the model is, who made it, from which data",
);

/// The finding codes of the audit's own policy decisions.
pub const RULES: &[Rule] = &[
    LICENSE_NOT_ALLOWED,
    NON_COMMERCIAL_LICENSE,
    LICENSE_UNKNOWN,
    CARD_SCORE_BELOW_MINIMUM,
    SIGNATURE_REQUIRED,
    ADVISORY_DATABASE_MISSING,
    CHECK_NOT_RUN,
    MODEL_CARD_MISSING,
];
