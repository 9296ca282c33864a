//! The finding codes of mlsc-provenance: stable contracts, each published as a [`Rule`].

use mlsc_core::{Rule, Severity};

macro_rules! rules {
    ($( $konst:ident = $code:literal, $name:literal, $sev:ident, $summary:literal; )*) => {
        /// Finding codes, as constants so that code and documentation cannot drift apart.
        pub mod codes {
            $(
                #[doc = $summary]
                pub const $konst: &str = $code;
            )*
        }

        /// Every finding code mlsc-provenance emits.
        pub static RULES: &[Rule] = &[
            $(
                Rule {
                    code: $code,
                    name: $name,
                    default_severity: Severity::$sev,
                    summary: $summary,
                    tags: &["owasp-ml:ML06", "cwe:345"],
                },
            )*
        ];
    };
}

rules! {
    FILE_ADDED = "MLSC-PROV-001", "file-added", High,
        "A file is present that the signature or record does not cover.";
    FILE_MISSING = "MLSC-PROV-002", "file-missing", High,
        "A file covered by the signature or record is absent.";
    DIGEST_MISMATCH = "MLSC-PROV-003", "digest-mismatch", High,
        "A file's content does not match the digest that was signed or recorded.";
    BAD_SIGNATURE = "MLSC-PROV-004", "bad-signature", Critical,
        "The signature does not verify over the signed payload.";
    WRONG_KEY = "MLSC-PROV-005", "wrong-key", High,
        "The signature was made with another key than the one given.";
    CERT_UNTRUSTED = "MLSC-PROV-006", "certificate-untrusted", High,
        "The signing certificate does not chain to the given certificate authority.";
    CERT_NOT_VALID = "MLSC-PROV-007", "certificate-not-valid", High,
        "A certificate of the chain is expired or not yet valid, now or at signing.";
    CERT_NOT_FOR_SIGNING = "MLSC-PROV-008", "certificate-not-for-signing", High,
        "The signing certificate does not allow digital signatures or code signing.";
    BUNDLE_MALFORMED = "MLSC-PROV-009", "bundle-malformed", High,
        "The signature bundle or its DSSE envelope is malformed or of an unsupported kind.";
    STATEMENT_INCONSISTENT = "MLSC-PROV-010", "statement-inconsistent", High,
        "The signed statement is malformed or contradicts itself (subject digest, resource digests).";
    UNSUPPORTED = "MLSC-PROV-011", "unsupported", Medium,
        "The signature or record uses a method or algorithm that cannot be checked.";
    UNSAFE_NAME = "MLSC-PROV-012", "unsafe-name", High,
        "A recorded name is absolute, climbs out with `..`, is empty or appears twice.";
    NAME_COLLISION = "MLSC-PROV-013", "name-collision", Low,
        "Two names differ only by Unicode normalisation or letter case: they collide on some file systems.";
    DVC_CHANGED = "MLSC-PROV-020", "dvc-changed", High,
        "A file or directory tracked by DVC does not match its recorded md5 or size.";
    DVC_MISSING = "MLSC-PROV-021", "dvc-missing", High,
        "A file or directory tracked by DVC is absent.";
    DVC_EXTRA = "MLSC-PROV-022", "dvc-extra", High,
        "A tracked directory contains a file its DVC manifest does not list.";
    DVC_NO_MANIFEST = "MLSC-PROV-023", "dvc-manifest-unavailable", Medium,
        "A tracked directory differs and its `.dir` manifest is not available to tell which file changed.";
    DVC_MALFORMED = "MLSC-PROV-024", "dvc-record-malformed", Medium,
        "A DVC record is malformed: missing path or hash, or a hash that is not md5 hex.";
    DVC_NOT_CHECKED = "MLSC-PROV-025", "dvc-not-checked", Medium,
        "A DVC record was not checked: external path, path outside the project, or a non-md5 hash.";
    CROISSANT_MISMATCH = "MLSC-PROV-030", "croissant-digest-mismatch", High,
        "A Croissant FileObject's sha256 or md5 does not match the local file.";
    CROISSANT_MISSING = "MLSC-PROV-031", "croissant-file-missing", High,
        "A Croissant FileObject's local file is absent.";
    CROISSANT_REMOTE = "MLSC-PROV-032", "croissant-remote-not-checked", Low,
        "A Croissant FileObject points to a remote URL, which an offline check cannot verify.";
    CROISSANT_BAD_DIGEST = "MLSC-PROV-033", "croissant-bad-digest", Medium,
        "A Croissant FileObject's sha256 or md5 is not a hex digest of the right length.";
    CROISSANT_NO_DIGEST = "MLSC-PROV-034", "croissant-no-digest", Low,
        "A Croissant FileObject has neither sha256 nor md5, so its content cannot be verified.";
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
