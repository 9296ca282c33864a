//! The finding codes `mlsc deps` emits. They are stable: scripts may rely on them.

use mlsc_core::{Rule, Severity};

/// `MLSC-DEP-001`: A pinned, locked or installed dependency version is affected by a known advisory.
pub const VULNERABLE_DEPENDENCY: Rule = Rule::new(
    "MLSC-DEP-001",
    "vulnerable-dependency",
    Severity::High,
    "vulnerable dependency",
)
.with_tags(&["owasp-ml:ML06", "atlas:AML.T0010", "cwe:1395"])
.with_summary("A pinned, locked or installed dependency version is affected by a known advisory.");

/// `MLSC-DEP-002`: An unpinned dependency allows versions that known advisories affect, and clean versions too (one finding per requirement).
pub const POSSIBLY_AFFECTED_DEPENDENCY: Rule = Rule::new(
    "MLSC-DEP-002",
    "possibly-affected-dependency",
    Severity::Low,
    "possibly affected dependency",
)
.with_tags(&["owasp-ml:ML06", "atlas:AML.T0010", "cwe:1395"])
.with_summary(
    "An unpinned dependency allows versions that known advisories affect, and clean versions too \
                  (one finding per requirement).",
);

/// `MLSC-DEP-003`: A requirements-file dependency is not pinned to an exact version.
pub const UNPINNED_REQUIREMENT: Rule = Rule::new(
    "MLSC-DEP-003",
    "unpinned-requirement",
    Severity::Low,
    "unpinned requirement",
)
.with_tags(&["owasp-ml:ML06", "cwe:1357"])
.with_summary("A requirements-file dependency is not pinned to an exact version.");

/// `MLSC-DEP-004`: A requirement has no --hash although its file pins hashes for others.
pub const MISSING_HASH: Rule = Rule::new(
    "MLSC-DEP-004",
    "missing-hash",
    Severity::Medium,
    "missing hash",
)
.with_tags(&["owasp-ml:ML06", "cwe:494"])
.with_summary("A requirement has no --hash although its file pins hashes for others.");

/// `MLSC-DEP-005`: --extra-index-url lets a public package shadow a private one (dependency confusion).
pub const EXTRA_INDEX_URL: Rule = Rule::new(
    "MLSC-DEP-005",
    "extra-index-url",
    Severity::Medium,
    "extra index url",
)
.with_tags(&["owasp-ml:ML06", "atlas:AML.T0010", "cwe:427"])
.with_summary(
    "--extra-index-url lets a public package shadow a private one (dependency confusion).",
);

/// `MLSC-DEP-006`: A requirement installs from a URL, a VCS or a local path, outside the index and advisories.
pub const DIRECT_REFERENCE: Rule = Rule::new(
    "MLSC-DEP-006",
    "direct-reference",
    Severity::Low,
    "direct reference",
)
.with_tags(&["owasp-ml:ML06", "cwe:829"])
.with_summary(
    "A requirement installs from a URL, a VCS or a local path, outside the index and advisories.",
);

/// `MLSC-DEP-007`: A requirements line or input file could not be read, so dependencies may be missing.
pub const UNREADABLE_INPUT: Rule = Rule::new(
    "MLSC-DEP-007",
    "unreadable-input",
    Severity::Medium,
    "unreadable input",
)
.with_summary(
    "A requirements line or input file could not be read, so dependencies may be missing.",
);

/// `MLSC-DEP-008`: An ignore in mlsc.toml has passed its expiry date; its advisory is reported again.
pub const IGNORE_EXPIRED: Rule = Rule::new(
    "MLSC-DEP-008",
    "ignore-expired",
    Severity::Low,
    "ignore expired",
)
.with_summary("An ignore in mlsc.toml has passed its expiry date; its advisory is reported again.");

/// `MLSC-DEP-009`: --trusted-host turns off TLS verification for an index host.
pub const TRUSTED_HOST: Rule = Rule::new(
    "MLSC-DEP-009",
    "trusted-host",
    Severity::Medium,
    "trusted host",
)
.with_tags(&["owasp-ml:ML06", "cwe:295"])
.with_summary("--trusted-host turns off TLS verification for an index host.");

/// `MLSC-DEP-010`: Something in an input was unusual (an unknown option, an unparsed marker, edited metadata).
pub const INPUT_WARNING: Rule = Rule::new(
    "MLSC-DEP-010",
    "input-warning",
    Severity::Low,
    "input warning",
)
.with_summary(
    "Something in an input was unusual (an unknown option, an unparsed marker, edited metadata).",
);

/// `MLSC-DEP-011`: Every version a requirement's specifier allows is affected by a known advisory.
pub const ALL_ALLOWED_VERSIONS_AFFECTED: Rule = Rule::new(
    "MLSC-DEP-011",
    "all-allowed-versions-affected",
    Severity::High,
    "every allowed version affected",
)
.with_tags(&["owasp-ml:ML06", "atlas:AML.T0010", "cwe:1395"])
.with_summary("Every version a requirement's specifier allows is affected by a known advisory.");

/// `MLSC-DEP-012`: An advisory of the package cannot be compared with the dependency's version, so the package was not fully checked.
pub const ADVISORY_NOT_EVALUABLE: Rule = Rule::new(
    "MLSC-DEP-012",
    "advisory-not-evaluable",
    Severity::Medium,
    "advisory not evaluable",
)
.with_tags(&["owasp-ml:ML06"])
.with_summary(
    "An advisory of the package cannot be compared with the dependency's version, so the package \
                  was not fully checked.",
);

/// `MLSC-DEP-013`: The package is known malware (an OpenSSF malicious-packages record), whatever its version.
pub const MALICIOUS_PACKAGE: Rule = Rule::new(
    "MLSC-DEP-013",
    "malicious-package",
    Severity::Critical,
    "malicious package",
)
.with_tags(&["owasp-ml:ML06", "atlas:AML.T0010", "cwe:506"])
.with_summary(
    "The package is known malware (an OpenSSF malicious-packages record), whatever its version.",
);

/// `MLSC-DEP-014`: The advisory database is older than 30 days (or its date is unknown): recent advisories may be missing.
pub const STALE_DATABASE: Rule = Rule::new(
    "MLSC-DEP-014",
    "stale-database",
    Severity::Low,
    "stale database",
)
.with_summary(
    "The advisory database is older than 30 days (or its date is unknown): recent advisories may \
                  be missing.",
);

/// Every finding code `mlsc deps` can emit.
pub const RULES: &[Rule] = &[
    VULNERABLE_DEPENDENCY,
    POSSIBLY_AFFECTED_DEPENDENCY,
    UNPINNED_REQUIREMENT,
    MISSING_HASH,
    EXTRA_INDEX_URL,
    DIRECT_REFERENCE,
    UNREADABLE_INPUT,
    IGNORE_EXPIRED,
    TRUSTED_HOST,
    INPUT_WARNING,
    ALL_ALLOWED_VERSIONS_AFFECTED,
    ADVISORY_NOT_EVALUABLE,
    MALICIOUS_PACKAGE,
    STALE_DATABASE,
];

/// Every finding code `mlsc deps` can emit.
pub fn rules() -> &'static [Rule] {
    RULES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_stable() {
        let mut codes: Vec<&str> = rules().iter().map(|r| r.code).collect();
        codes.sort_unstable();
        let n = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), n, "duplicate finding codes");
        let listing: String = rules()
            .iter()
            .map(|r| {
                format!(
                    "{} {} {} {:?}\n",
                    r.code, r.name, r.default_severity, r.tags
                )
            })
            .collect();
        insta::assert_snapshot!(listing);
    }
}
