//! The finding codes `mlsc deps` emits. They are stable: scripts may rely on them.

use mlsc_core::{Rule, Severity};

/// A dependency's exact version is affected by an advisory.
pub(crate) const CODE_VULNERABLE: &str = "MLSC-DEP-001";
/// A dependency's allowed range overlaps an affected range (it is not pinned, so it may install an affected
/// version).
pub(crate) const CODE_POSSIBLY_AFFECTED: &str = "MLSC-DEP-002";
/// A requirements-file dependency is not pinned to an exact version.
pub(crate) const CODE_UNPINNED: &str = "MLSC-DEP-003";
/// A requirement has no `--hash` although its file uses hashes elsewhere.
pub(crate) const CODE_MISSING_HASH: &str = "MLSC-DEP-004";
/// `--extra-index-url`: a second index invites dependency confusion.
pub(crate) const CODE_EXTRA_INDEX: &str = "MLSC-DEP-005";
/// A direct URL, VCS, path or editable requirement: not from the index, not covered by advisories.
pub(crate) const CODE_DIRECT_REFERENCE: &str = "MLSC-DEP-006";
/// A line or file could not be read: dependencies may be missing.
pub(crate) const CODE_INPUT_ERROR: &str = "MLSC-DEP-007";
/// An ignore in `mlsc.toml` has expired: its advisory is reported again.
pub(crate) const CODE_IGNORE_EXPIRED: &str = "MLSC-DEP-008";
/// `--trusted-host`: pip skips TLS verification for that host.
pub(crate) const CODE_TRUSTED_HOST: &str = "MLSC-DEP-009";
/// Something in an input was odd but did not stop it being read.
pub(crate) const CODE_INPUT_WARNING: &str = "MLSC-DEP-010";
/// Every version a requirement allows is affected by some advisory: as bad as a vulnerable pin.
pub(crate) const CODE_ALL_ALLOWED_AFFECTED: &str = "MLSC-DEP-011";
/// An advisory of the package cannot be evaluated for the dependency's version: the package is inconclusive.
pub(crate) const CODE_NOT_EVALUABLE: &str = "MLSC-DEP-012";
/// The package is known malware (an OpenSSF `MAL-` record), whatever its version.
pub(crate) const CODE_MALICIOUS: &str = "MLSC-DEP-013";
/// The advisory database is older than the allowed age, or its date is unknown.
pub(crate) const CODE_STALE_DATABASE: &str = "MLSC-DEP-014";

const RULES: &[Rule] = &[
    Rule {
        code: CODE_VULNERABLE,
        name: "vulnerable-dependency",
        default_severity: Severity::High,
        summary: "A pinned, locked or installed dependency version is affected by a known advisory.",
        tags: &["owasp-ml:ML06", "atlas:AML.T0010", "cwe:1395"],
    },
    Rule {
        code: CODE_POSSIBLY_AFFECTED,
        name: "possibly-affected-dependency",
        default_severity: Severity::Low,
        summary: "An unpinned dependency allows versions that known advisories affect, and clean versions too \
                  (one finding per requirement).",
        tags: &["owasp-ml:ML06", "atlas:AML.T0010", "cwe:1395"],
    },
    Rule {
        code: CODE_UNPINNED,
        name: "unpinned-requirement",
        default_severity: Severity::Low,
        summary: "A requirements-file dependency is not pinned to an exact version.",
        tags: &["owasp-ml:ML06", "cwe:1357"],
    },
    Rule {
        code: CODE_MISSING_HASH,
        name: "missing-hash",
        default_severity: Severity::Medium,
        summary: "A requirement has no --hash although its file pins hashes for others.",
        tags: &["owasp-ml:ML06", "cwe:494"],
    },
    Rule {
        code: CODE_EXTRA_INDEX,
        name: "extra-index-url",
        default_severity: Severity::Medium,
        summary: "--extra-index-url lets a public package shadow a private one (dependency confusion).",
        tags: &["owasp-ml:ML06", "atlas:AML.T0010", "cwe:427"],
    },
    Rule {
        code: CODE_DIRECT_REFERENCE,
        name: "direct-reference",
        default_severity: Severity::Low,
        summary: "A requirement installs from a URL, a VCS or a local path, outside the index and advisories.",
        tags: &["owasp-ml:ML06", "cwe:829"],
    },
    Rule {
        code: CODE_INPUT_ERROR,
        name: "unreadable-input",
        default_severity: Severity::Medium,
        summary: "A requirements line or input file could not be read, so dependencies may be missing.",
        tags: &[],
    },
    Rule {
        code: CODE_IGNORE_EXPIRED,
        name: "ignore-expired",
        default_severity: Severity::Low,
        summary: "An ignore in mlsc.toml has passed its expiry date; its advisory is reported again.",
        tags: &[],
    },
    Rule {
        code: CODE_TRUSTED_HOST,
        name: "trusted-host",
        default_severity: Severity::Medium,
        summary: "--trusted-host turns off TLS verification for an index host.",
        tags: &["owasp-ml:ML06", "cwe:295"],
    },
    Rule {
        code: CODE_INPUT_WARNING,
        name: "input-warning",
        default_severity: Severity::Low,
        summary: "Something in an input was unusual (an unknown option, an unparsed marker, edited metadata).",
        tags: &[],
    },
    Rule {
        code: CODE_ALL_ALLOWED_AFFECTED,
        name: "all-allowed-versions-affected",
        default_severity: Severity::High,
        summary: "Every version a requirement's specifier allows is affected by a known advisory.",
        tags: &["owasp-ml:ML06", "atlas:AML.T0010", "cwe:1395"],
    },
    Rule {
        code: CODE_NOT_EVALUABLE,
        name: "advisory-not-evaluable",
        default_severity: Severity::Medium,
        summary: "An advisory of the package cannot be compared with the dependency's version, so the package \
                  was not fully checked.",
        tags: &["owasp-ml:ML06"],
    },
    Rule {
        code: CODE_MALICIOUS,
        name: "malicious-package",
        default_severity: Severity::Critical,
        summary: "The package is known malware (an OpenSSF malicious-packages record), whatever its version.",
        tags: &["owasp-ml:ML06", "atlas:AML.T0010", "cwe:506"],
    },
    Rule {
        code: CODE_STALE_DATABASE,
        name: "stale-database",
        default_severity: Severity::Low,
        summary: "The advisory database is older than 30 days (or its date is unknown): recent advisories may \
                  be missing.",
        tags: &[],
    },
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
