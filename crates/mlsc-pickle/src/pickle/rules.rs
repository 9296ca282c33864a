//! The finding codes of the pickle analyser. Codes are stable contracts: never renumber, only add.

use mlsc_core::{Rule, Severity};

/// OWASP ML Top 10 ML06 (AI supply chain attacks); MITRE ATLAS AML.T0010 (AI supply chain compromise),
/// AML.T0011.000 (user execution: unsafe AI artifacts) and AML.T0018.002 (manipulate AI model: embed malware);
/// CWE-502 (deserialization of untrusted data).
const EXEC: &[&str] = &[
    "owasp-ml:ML06",
    "atlas:AML.T0010",
    "atlas:AML.T0011.000",
    "atlas:AML.T0018.002",
    "cwe:502",
];
/// State injected into imported objects: ATLAS AML.T0018 (manipulate AI model), CWE-915 (object attribute
/// modification).
const INJECT: &[&str] = &[
    "owasp-ml:ML06",
    "atlas:AML.T0010",
    "atlas:AML.T0018",
    "cwe:502",
    "cwe:915",
];
/// Streams shaped to defeat scanners: ATLAS AML.T0076 (corrupt AI model: a file that does not fully deserialize,
/// to evade a model scanner).
const EVADE: &[&str] = &[
    "owasp-ml:ML06",
    "atlas:AML.T0010",
    "atlas:AML.T0076",
    "cwe:502",
];

/// A stream was not (fully) analysed: a resource limit was hit.
pub(crate) const NOT_ANALYSED: &str = "MLSC-PKL-000";
/// A deny-listed callable is invoked.
pub(crate) const DANGEROUS_CALL: &str = "MLSC-PKL-001";
/// A deny-listed global is imported (and not seen invoked).
pub(crate) const DANGEROUS_IMPORT: &str = "MLSC-PKL-002";
/// A callable on no allowlist is invoked.
pub(crate) const UNKNOWN_CALL: &str = "MLSC-PKL-003";
/// A global on no allowlist is imported and never invoked.
pub(crate) const UNKNOWN_IMPORT: &str = "MLSC-PKL-004";
/// A global's module or name is computed at load time.
pub(crate) const COMPUTED_GLOBAL: &str = "MLSC-PKL-005";
/// A value computed at load time is invoked.
pub(crate) const COMPUTED_CALL: &str = "MLSC-PKL-006";
/// An extension-registry opcode.
pub(crate) const EXTENSION: &str = "MLSC-PKL-007";
/// BUILD/SETITEM/APPEND mutate an imported object.
pub(crate) const INJECTION: &str = "MLSC-PKL-008";
/// A nested pickle handed to a loader.
pub(crate) const NESTED: &str = "MLSC-PKL-009";
/// Malformed stream.
pub(crate) const MALFORMED: &str = "MLSC-PKL-010";
/// Truncated stream.
pub(crate) const TRUNCATED: &str = "MLSC-PKL-011";
/// Trailing bytes after STOP that are not a pickle.
pub(crate) const TRAILING: &str = "MLSC-PKL-012";
/// A persistent id of no known shape.
pub(crate) const PERSISTENT_ID: &str = "MLSC-PKL-013";
/// A dunder attribute path.
pub(crate) const INTROSPECTION: &str = "MLSC-PKL-014";
/// More than one pickle in a stream.
pub(crate) const STACKED: &str = "MLSC-PKL-015";
/// joblib inline array data that could not be skipped.
pub(crate) const JOBLIB_ARRAY: &str = "MLSC-PKL-016";

/// The finding codes of the pickle analyser.
pub(crate) const RULES: &[Rule] = &[
    Rule {
        code: NOT_ANALYSED,
        name: "pickle-not-fully-analysed",
        default_severity: Severity::Medium,
        summary: "A pickle stream was not fully analysed (a resource limit was hit), so its safety is unknown",
        tags: EVADE,
    },
    Rule {
        code: DANGEROUS_CALL,
        name: "dangerous-callable-invoked",
        default_severity: Severity::Critical,
        summary: "Loading the pickle invokes a deny-listed callable (code execution, file, process or network access)",
        tags: EXEC,
    },
    Rule {
        code: DANGEROUS_IMPORT,
        name: "dangerous-global-imported",
        default_severity: Severity::High,
        summary: "The pickle imports a deny-listed global; it is not seen invoked, but it is available to later calls",
        tags: EXEC,
    },
    Rule {
        code: UNKNOWN_CALL,
        name: "unknown-callable-invoked",
        default_severity: Severity::Medium,
        summary: "Loading the pickle invokes a callable that is on no allowlist profile; review it or allow it",
        tags: EXEC,
    },
    Rule {
        code: UNKNOWN_IMPORT,
        name: "unknown-global-imported",
        default_severity: Severity::Low,
        summary: "The pickle imports a global that is on no allowlist profile but never invokes it",
        tags: EXEC,
    },
    Rule {
        code: COMPUTED_GLOBAL,
        name: "computed-global-name",
        default_severity: Severity::Critical,
        summary: "A global's module or name is not a literal string in the stream but computed at load time",
        tags: EVADE,
    },
    Rule {
        code: COMPUTED_CALL,
        name: "computed-callable-invoked",
        default_severity: Severity::Critical,
        summary: "Loading the pickle invokes an object that was itself produced at load time (a gadget chain)",
        tags: EXEC,
    },
    Rule {
        code: EXTENSION,
        name: "extension-opcode",
        default_severity: Severity::Critical,
        summary: "An EXT1/EXT2/EXT4 opcode imports whatever the copyreg extension registry names at load time",
        tags: EVADE,
    },
    Rule {
        code: INJECTION,
        name: "imported-object-mutated",
        default_severity: Severity::High,
        summary: "BUILD, SETITEM or APPEND changes attributes or items of an imported module, class or function",
        tags: INJECT,
    },
    Rule {
        code: NESTED,
        name: "nested-pickle",
        default_severity: Severity::High,
        summary: "Bytes handed to a loader inside the pickle are themselves a pickle; its findings follow",
        tags: EVADE,
    },
    Rule {
        code: MALFORMED,
        name: "malformed-pickle",
        default_severity: Severity::Medium,
        summary: "The pickle stream is malformed at an offset (unknown opcode, stack underflow, bad memo reference)",
        tags: EVADE,
    },
    Rule {
        code: TRUNCATED,
        name: "truncated-pickle",
        default_severity: Severity::Medium,
        summary: "The pickle stream ends before its STOP opcode",
        tags: EVADE,
    },
    Rule {
        code: TRAILING,
        name: "data-after-stop",
        default_severity: Severity::Low,
        summary: "Bytes after a pickle's STOP opcode are not a pickle",
        tags: EVADE,
    },
    Rule {
        code: PERSISTENT_ID,
        name: "persistent-id",
        default_severity: Severity::Info,
        summary: "A persistent id of no known shape: what it loads depends on the loader's persistent_load",
        tags: EXEC,
    },
    Rule {
        code: INTROSPECTION,
        name: "introspection-attribute",
        default_severity: Severity::Critical,
        summary: "A global's dotted name walks through dunder attributes (__globals__, __builtins__, __class__ …)",
        tags: EXEC,
    },
    Rule {
        code: STACKED,
        name: "stacked-pickles",
        default_severity: Severity::Info,
        summary: "The stream holds more than one pickle, one after another",
        tags: EVADE,
    },
    Rule {
        code: JOBLIB_ARRAY,
        name: "joblib-array-unreadable",
        default_severity: Severity::Medium,
        summary: "joblib inline array data after a NumpyArrayWrapper could not be located, so the rest of the stream is unknown",
        tags: EVADE,
    },
];

#[cfg(test)]
mod tests {
    use super::RULES;

    #[test]
    fn codes_are_unique_and_stable() {
        let mut codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), RULES.len(), "duplicate finding code");
        assert!(RULES.iter().all(|r| r.tags.contains(&"owasp-ml:ML06")));
        let list: Vec<String> = RULES
            .iter()
            .map(|r| {
                format!(
                    "{} {} {} [{}]: {}",
                    r.code,
                    r.name,
                    r.default_severity,
                    r.tags.join(", "),
                    r.summary
                )
            })
            .collect();
        insta::assert_snapshot!(list.join("\n"));
    }
}
