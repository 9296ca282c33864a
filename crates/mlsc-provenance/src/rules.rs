//! The finding codes of mlsc-provenance: stable contracts, each published as a [`Rule`].

use mlsc_core::{Rule, Severity};

/// OWASP ML Top 10 ML06 (AI supply chain attacks); CWE-345 (insufficient verification of data authenticity).
const TAGS: &[&str] = &["owasp-ml:ML06", "cwe:345"];

/// `MLSC-PROV-001`: A file is present that the signature or record does not cover.
pub const FILE_ADDED: Rule = Rule::new("MLSC-PROV-001", "file-added", Severity::High, "file added")
    .with_tags(TAGS)
    .with_summary("A file is present that the signature or record does not cover.");

/// `MLSC-PROV-002`: A file covered by the signature or record is absent.
pub const FILE_MISSING: Rule = Rule::new(
    "MLSC-PROV-002",
    "file-missing",
    Severity::High,
    "file missing",
)
.with_tags(TAGS)
.with_summary("A file covered by the signature or record is absent.");

/// `MLSC-PROV-003`: A file's content does not match the digest that was signed or recorded.
pub const DIGEST_MISMATCH: Rule = Rule::new(
    "MLSC-PROV-003",
    "digest-mismatch",
    Severity::High,
    "digest mismatch",
)
.with_tags(TAGS)
.with_summary("A file's content does not match the digest that was signed or recorded.");

/// `MLSC-PROV-004`: The signature does not verify over the signed payload.
pub const BAD_SIGNATURE: Rule = Rule::new(
    "MLSC-PROV-004",
    "bad-signature",
    Severity::Critical,
    "bad signature",
)
.with_tags(TAGS)
.with_summary("The signature does not verify over the signed payload.");

/// `MLSC-PROV-005`: The signature was made with another key than the one given.
pub const WRONG_KEY: Rule = Rule::new("MLSC-PROV-005", "wrong-key", Severity::High, "wrong key")
    .with_tags(TAGS)
    .with_summary("The signature was made with another key than the one given.");

/// `MLSC-PROV-006`: The signing certificate does not chain to the given certificate authority.
pub const CERTIFICATE_UNTRUSTED: Rule = Rule::new(
    "MLSC-PROV-006",
    "certificate-untrusted",
    Severity::High,
    "certificate untrusted",
)
.with_tags(TAGS)
.with_summary("The signing certificate does not chain to the given certificate authority.");

/// `MLSC-PROV-007`: A certificate of the chain is expired or not yet valid, now or at signing.
pub const CERTIFICATE_NOT_VALID: Rule = Rule::new(
    "MLSC-PROV-007",
    "certificate-not-valid",
    Severity::High,
    "certificate not valid",
)
.with_tags(TAGS)
.with_summary("A certificate of the chain is expired or not yet valid, now or at signing.");

/// `MLSC-PROV-008`: The signing certificate does not allow digital signatures or code signing.
pub const CERTIFICATE_NOT_FOR_SIGNING: Rule = Rule::new(
    "MLSC-PROV-008",
    "certificate-not-for-signing",
    Severity::High,
    "certificate not for signing",
)
.with_tags(TAGS)
.with_summary("The signing certificate does not allow digital signatures or code signing.");

/// `MLSC-PROV-009`: The signature bundle or its DSSE envelope is malformed or of an unsupported kind.
pub const BUNDLE_MALFORMED: Rule = Rule::new(
    "MLSC-PROV-009",
    "bundle-malformed",
    Severity::High,
    "bundle malformed",
)
.with_tags(TAGS)
.with_summary("The signature bundle or its DSSE envelope is malformed or of an unsupported kind.");

/// `MLSC-PROV-010`: The signed statement is malformed or contradicts itself (subject digest, resource digests).
pub const STATEMENT_INCONSISTENT: Rule = Rule::new(
    "MLSC-PROV-010",
    "statement-inconsistent",
    Severity::High,
    "statement inconsistent",
)
.with_tags(TAGS)
.with_summary(
    "The signed statement is malformed or contradicts itself (subject digest, resource digests).",
);

/// `MLSC-PROV-011`: The signature or record uses a method or algorithm that cannot be checked.
pub const UNSUPPORTED: Rule = Rule::new(
    "MLSC-PROV-011",
    "unsupported",
    Severity::Medium,
    "unsupported",
)
.with_tags(TAGS)
.with_summary("The signature or record uses a method or algorithm that cannot be checked.");

/// `MLSC-PROV-012`: A recorded name is absolute, climbs out with `..`, is empty or appears twice.
pub const UNSAFE_NAME: Rule = Rule::new(
    "MLSC-PROV-012",
    "unsafe-name",
    Severity::High,
    "unsafe name",
)
.with_tags(TAGS)
.with_summary("A recorded name is absolute, climbs out with `..`, is empty or appears twice.");

/// `MLSC-PROV-013`: Two names differ only by Unicode normalisation or letter case: they collide on some file systems.
pub const NAME_COLLISION: Rule = Rule::new("MLSC-PROV-013", "name-collision", Severity::Low, "name collision")
.with_tags(TAGS)
.with_summary("Two names differ only by Unicode normalisation or letter case: they collide on some file systems.");

/// `MLSC-PROV-020`: A file or directory tracked by DVC does not match its recorded md5 or size.
pub const DVC_CHANGED: Rule = Rule::new(
    "MLSC-PROV-020",
    "dvc-changed",
    Severity::High,
    "dvc changed",
)
.with_tags(TAGS)
.with_summary("A file or directory tracked by DVC does not match its recorded md5 or size.");

/// `MLSC-PROV-021`: A file or directory tracked by DVC is absent.
pub const DVC_MISSING: Rule = Rule::new(
    "MLSC-PROV-021",
    "dvc-missing",
    Severity::High,
    "dvc missing",
)
.with_tags(TAGS)
.with_summary("A file or directory tracked by DVC is absent.");

/// `MLSC-PROV-022`: A tracked directory contains a file its DVC manifest does not list.
pub const DVC_EXTRA: Rule = Rule::new("MLSC-PROV-022", "dvc-extra", Severity::High, "dvc extra")
    .with_tags(TAGS)
    .with_summary("A tracked directory contains a file its DVC manifest does not list.");

/// `MLSC-PROV-023`: A tracked directory differs and its `.dir` manifest is not available to tell which file changed.
pub const DVC_MANIFEST_UNAVAILABLE: Rule = Rule::new("MLSC-PROV-023", "dvc-manifest-unavailable", Severity::Medium, "dvc manifest unavailable")
.with_tags(TAGS)
.with_summary("A tracked directory differs and its `.dir` manifest is not available to tell which file changed.");

/// `MLSC-PROV-024`: A DVC record is malformed: missing path or hash, or a hash that is not md5 hex.
pub const DVC_RECORD_MALFORMED: Rule = Rule::new(
    "MLSC-PROV-024",
    "dvc-record-malformed",
    Severity::Medium,
    "dvc record malformed",
)
.with_tags(TAGS)
.with_summary("A DVC record is malformed: missing path or hash, or a hash that is not md5 hex.");

/// `MLSC-PROV-025`: A DVC record was not checked: external path, path outside the project, or a non-md5 hash.
pub const DVC_NOT_CHECKED: Rule = Rule::new(
    "MLSC-PROV-025",
    "dvc-not-checked",
    Severity::Medium,
    "dvc not checked",
)
.with_tags(TAGS)
.with_summary(
    "A DVC record was not checked: external path, path outside the project, or a non-md5 hash.",
);

/// `MLSC-PROV-030`: A Croissant FileObject's sha256 or md5 does not match the local file.
pub const CROISSANT_DIGEST_MISMATCH: Rule = Rule::new(
    "MLSC-PROV-030",
    "croissant-digest-mismatch",
    Severity::High,
    "croissant digest mismatch",
)
.with_tags(TAGS)
.with_summary("A Croissant FileObject's sha256 or md5 does not match the local file.");

/// `MLSC-PROV-031`: A Croissant FileObject's local file is absent.
pub const CROISSANT_FILE_MISSING: Rule = Rule::new(
    "MLSC-PROV-031",
    "croissant-file-missing",
    Severity::High,
    "croissant file missing",
)
.with_tags(TAGS)
.with_summary("A Croissant FileObject's local file is absent.");

/// `MLSC-PROV-032`: A Croissant FileObject points to a remote URL, which an offline check cannot verify.
pub const CROISSANT_REMOTE_NOT_CHECKED: Rule = Rule::new(
    "MLSC-PROV-032",
    "croissant-remote-not-checked",
    Severity::Low,
    "croissant remote not checked",
)
.with_tags(TAGS)
.with_summary(
    "A Croissant FileObject points to a remote URL, which an offline check cannot verify.",
);

/// `MLSC-PROV-033`: A Croissant FileObject's sha256 or md5 is not a hex digest of the right length.
pub const CROISSANT_BAD_DIGEST: Rule = Rule::new(
    "MLSC-PROV-033",
    "croissant-bad-digest",
    Severity::Medium,
    "croissant bad digest",
)
.with_tags(TAGS)
.with_summary("A Croissant FileObject's sha256 or md5 is not a hex digest of the right length.");

/// `MLSC-PROV-034`: A Croissant FileObject has neither sha256 nor md5, so its content cannot be verified.
pub const CROISSANT_NO_DIGEST: Rule = Rule::new(
    "MLSC-PROV-034",
    "croissant-no-digest",
    Severity::Low,
    "croissant no digest",
)
.with_tags(TAGS)
.with_summary(
    "A Croissant FileObject has neither sha256 nor md5, so its content cannot be verified.",
);

/// Every finding code mlsc-provenance emits.
pub const RULES: &[Rule] = &[
    FILE_ADDED,
    FILE_MISSING,
    DIGEST_MISMATCH,
    BAD_SIGNATURE,
    WRONG_KEY,
    CERTIFICATE_UNTRUSTED,
    CERTIFICATE_NOT_VALID,
    CERTIFICATE_NOT_FOR_SIGNING,
    BUNDLE_MALFORMED,
    STATEMENT_INCONSISTENT,
    UNSUPPORTED,
    UNSAFE_NAME,
    NAME_COLLISION,
    DVC_CHANGED,
    DVC_MISSING,
    DVC_EXTRA,
    DVC_MANIFEST_UNAVAILABLE,
    DVC_RECORD_MALFORMED,
    DVC_NOT_CHECKED,
    CROISSANT_DIGEST_MISMATCH,
    CROISSANT_FILE_MISSING,
    CROISSANT_REMOTE_NOT_CHECKED,
    CROISSANT_BAD_DIGEST,
    CROISSANT_NO_DIGEST,
];

/// The codes as strings, for matching findings (`finding.code == codes::FILE_ADDED`); each is its rule's code.
pub mod codes {
    /// `MLSC-PROV-001`.
    pub const FILE_ADDED: &str = super::FILE_ADDED.code;
    /// `MLSC-PROV-002`.
    pub const FILE_MISSING: &str = super::FILE_MISSING.code;
    /// `MLSC-PROV-003`.
    pub const DIGEST_MISMATCH: &str = super::DIGEST_MISMATCH.code;
    /// `MLSC-PROV-004`.
    pub const BAD_SIGNATURE: &str = super::BAD_SIGNATURE.code;
    /// `MLSC-PROV-005`.
    pub const WRONG_KEY: &str = super::WRONG_KEY.code;
    /// `MLSC-PROV-006`.
    pub const CERT_UNTRUSTED: &str = super::CERTIFICATE_UNTRUSTED.code;
    /// `MLSC-PROV-007`.
    pub const CERT_NOT_VALID: &str = super::CERTIFICATE_NOT_VALID.code;
    /// `MLSC-PROV-008`.
    pub const CERT_NOT_FOR_SIGNING: &str = super::CERTIFICATE_NOT_FOR_SIGNING.code;
    /// `MLSC-PROV-009`.
    pub const BUNDLE_MALFORMED: &str = super::BUNDLE_MALFORMED.code;
    /// `MLSC-PROV-010`.
    pub const STATEMENT_INCONSISTENT: &str = super::STATEMENT_INCONSISTENT.code;
    /// `MLSC-PROV-011`.
    pub const UNSUPPORTED: &str = super::UNSUPPORTED.code;
    /// `MLSC-PROV-012`.
    pub const UNSAFE_NAME: &str = super::UNSAFE_NAME.code;
    /// `MLSC-PROV-013`.
    pub const NAME_COLLISION: &str = super::NAME_COLLISION.code;
    /// `MLSC-PROV-020`.
    pub const DVC_CHANGED: &str = super::DVC_CHANGED.code;
    /// `MLSC-PROV-021`.
    pub const DVC_MISSING: &str = super::DVC_MISSING.code;
    /// `MLSC-PROV-022`.
    pub const DVC_EXTRA: &str = super::DVC_EXTRA.code;
    /// `MLSC-PROV-023`.
    pub const DVC_NO_MANIFEST: &str = super::DVC_MANIFEST_UNAVAILABLE.code;
    /// `MLSC-PROV-024`.
    pub const DVC_MALFORMED: &str = super::DVC_RECORD_MALFORMED.code;
    /// `MLSC-PROV-025`.
    pub const DVC_NOT_CHECKED: &str = super::DVC_NOT_CHECKED.code;
    /// `MLSC-PROV-030`.
    pub const CROISSANT_MISMATCH: &str = super::CROISSANT_DIGEST_MISMATCH.code;
    /// `MLSC-PROV-031`.
    pub const CROISSANT_MISSING: &str = super::CROISSANT_FILE_MISSING.code;
    /// `MLSC-PROV-032`.
    pub const CROISSANT_REMOTE: &str = super::CROISSANT_REMOTE_NOT_CHECKED.code;
    /// `MLSC-PROV-033`.
    pub const CROISSANT_BAD_DIGEST: &str = super::CROISSANT_BAD_DIGEST.code;
    /// `MLSC-PROV-034`.
    pub const CROISSANT_NO_DIGEST: &str = super::CROISSANT_NO_DIGEST.code;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_stable() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES {
            assert!(seen.insert(r.code), "duplicate code {}", r.code);
            assert!(r.code.starts_with("MLSC-PROV-"));
        }
        let list: Vec<String> = RULES
            .iter()
            .map(|r| {
                format!(
                    "{} {} {} — {}",
                    r.code, r.name, r.default_severity, r.summary
                )
            })
            .collect();
        insta::assert_snapshot!(list.join("\n"));
    }
}
