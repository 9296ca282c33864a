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

/// `MLSC-PKL-000`: A pickle stream was not fully analysed (a resource limit was hit), so its safety is unknown
pub const PICKLE_NOT_FULLY_ANALYSED: Rule = Rule::new(
    "MLSC-PKL-000",
    "pickle-not-fully-analysed",
    Severity::Medium,
    "pickle-not-fully-analysed",
)
.with_tags(EVADE)
.with_summary(
    "A pickle stream was not fully analysed (a resource limit was hit), so its safety is unknown",
);

/// `MLSC-PKL-001`: Loading the pickle invokes a deny-listed callable (code execution, file, process or network access)
pub const DANGEROUS_CALLABLE_INVOKED: Rule = Rule::new("MLSC-PKL-001", "dangerous-callable-invoked", Severity::Critical, "dangerous-callable-invoked")
.with_tags(EXEC)
.with_summary("Loading the pickle invokes a deny-listed callable (code execution, file, process or network access)");

/// `MLSC-PKL-002`: The pickle imports a deny-listed global; it is not seen invoked, but it is available to later calls
pub const DANGEROUS_GLOBAL_IMPORTED: Rule = Rule::new("MLSC-PKL-002", "dangerous-global-imported", Severity::High, "dangerous-global-imported")
.with_tags(EXEC)
.with_summary("The pickle imports a deny-listed global; it is not seen invoked, but it is available to later calls");

/// `MLSC-PKL-003`: Loading the pickle invokes a callable that is on no allowlist profile; review it or allow it
pub const UNKNOWN_CALLABLE_INVOKED: Rule = Rule::new(
    "MLSC-PKL-003",
    "unknown-callable-invoked",
    Severity::Medium,
    "unknown-callable-invoked",
)
.with_tags(EXEC)
.with_summary(
    "Loading the pickle invokes a callable that is on no allowlist profile; review it or allow it",
);

/// `MLSC-PKL-004`: The pickle imports a global that is on no allowlist profile but never invokes it
pub const UNKNOWN_GLOBAL_IMPORTED: Rule = Rule::new(
    "MLSC-PKL-004",
    "unknown-global-imported",
    Severity::Low,
    "unknown-global-imported",
)
.with_tags(EXEC)
.with_summary("The pickle imports a global that is on no allowlist profile but never invokes it");

/// `MLSC-PKL-005`: A global's module or name is not a literal string in the stream but computed at load time
pub const COMPUTED_GLOBAL_NAME: Rule = Rule::new(
    "MLSC-PKL-005",
    "computed-global-name",
    Severity::Critical,
    "computed-global-name",
)
.with_tags(EVADE)
.with_summary(
    "A global's module or name is not a literal string in the stream but computed at load time",
);

/// `MLSC-PKL-006`: Loading the pickle invokes an object that was itself produced at load time (a gadget chain)
pub const COMPUTED_CALLABLE_INVOKED: Rule = Rule::new(
    "MLSC-PKL-006",
    "computed-callable-invoked",
    Severity::Critical,
    "computed-callable-invoked",
)
.with_tags(EXEC)
.with_summary(
    "Loading the pickle invokes an object that was itself produced at load time (a gadget chain)",
);

/// `MLSC-PKL-007`: An EXT1/EXT2/EXT4 opcode imports whatever the copyreg extension registry names at load time
pub const EXTENSION_OPCODE: Rule = Rule::new(
    "MLSC-PKL-007",
    "extension-opcode",
    Severity::Critical,
    "extension-opcode",
)
.with_tags(EVADE)
.with_summary(
    "An EXT1/EXT2/EXT4 opcode imports whatever the copyreg extension registry names at load time",
);

/// `MLSC-PKL-008`: BUILD, SETITEM or APPEND changes attributes or items of an imported module, class or function
pub const IMPORTED_OBJECT_MUTATED: Rule = Rule::new(
    "MLSC-PKL-008",
    "imported-object-mutated",
    Severity::High,
    "imported-object-mutated",
)
.with_tags(INJECT)
.with_summary(
    "BUILD, SETITEM or APPEND changes attributes or items of an imported module, class or function",
);

/// `MLSC-PKL-009`: Bytes handed to a loader inside the pickle are themselves a pickle; its findings follow
pub const NESTED_PICKLE: Rule = Rule::new(
    "MLSC-PKL-009",
    "nested-pickle",
    Severity::High,
    "nested-pickle",
)
.with_tags(EVADE)
.with_summary(
    "Bytes handed to a loader inside the pickle are themselves a pickle; its findings follow",
);

/// `MLSC-PKL-010`: The pickle stream is malformed at an offset (unknown opcode, stack underflow, bad memo reference)
pub const MALFORMED_PICKLE: Rule = Rule::new("MLSC-PKL-010", "malformed-pickle", Severity::Medium, "malformed-pickle")
.with_tags(EVADE)
.with_summary("The pickle stream is malformed at an offset (unknown opcode, stack underflow, bad memo reference)");

/// `MLSC-PKL-011`: The pickle stream ends before its STOP opcode
pub const TRUNCATED_PICKLE: Rule = Rule::new(
    "MLSC-PKL-011",
    "truncated-pickle",
    Severity::Medium,
    "truncated-pickle",
)
.with_tags(EVADE)
.with_summary("The pickle stream ends before its STOP opcode");

/// `MLSC-PKL-012`: Bytes after a pickle's STOP opcode are not a pickle
pub const DATA_AFTER_STOP: Rule = Rule::new(
    "MLSC-PKL-012",
    "data-after-stop",
    Severity::Low,
    "data-after-stop",
)
.with_tags(EVADE)
.with_summary("Bytes after a pickle's STOP opcode are not a pickle");

/// `MLSC-PKL-013`: A persistent id of no known shape: what it loads depends on the loader's persistent_load
pub const PERSISTENT_ID: Rule = Rule::new(
    "MLSC-PKL-013",
    "persistent-id",
    Severity::Info,
    "persistent-id",
)
.with_tags(EXEC)
.with_summary(
    "A persistent id of no known shape: what it loads depends on the loader's persistent_load",
);

/// `MLSC-PKL-014`: A global's dotted name walks through dunder attributes (__globals__, __builtins__, __class__ …)
pub const INTROSPECTION_ATTRIBUTE: Rule = Rule::new("MLSC-PKL-014", "introspection-attribute", Severity::Critical, "introspection-attribute")
.with_tags(EXEC)
.with_summary("A global's dotted name walks through dunder attributes (__globals__, __builtins__, __class__ …)");

/// `MLSC-PKL-015`: The stream holds more than one pickle, one after another
pub const STACKED_PICKLES: Rule = Rule::new(
    "MLSC-PKL-015",
    "stacked-pickles",
    Severity::Info,
    "stacked-pickles",
)
.with_tags(EVADE)
.with_summary("The stream holds more than one pickle, one after another");

/// `MLSC-PKL-016`: joblib inline array data after a NumpyArrayWrapper could not be located, so the rest of the stream is unknown
pub const JOBLIB_ARRAY_UNREADABLE: Rule = Rule::new("MLSC-PKL-016", "joblib-array-unreadable", Severity::Medium, "joblib-array-unreadable")
.with_tags(EVADE)
.with_summary("joblib inline array data after a NumpyArrayWrapper could not be located, so the rest of the stream is unknown");

/// Every code the pickle analyser emits.
pub(crate) const RULES: &[Rule] = &[
    PICKLE_NOT_FULLY_ANALYSED,
    DANGEROUS_CALLABLE_INVOKED,
    DANGEROUS_GLOBAL_IMPORTED,
    UNKNOWN_CALLABLE_INVOKED,
    UNKNOWN_GLOBAL_IMPORTED,
    COMPUTED_GLOBAL_NAME,
    COMPUTED_CALLABLE_INVOKED,
    EXTENSION_OPCODE,
    IMPORTED_OBJECT_MUTATED,
    NESTED_PICKLE,
    MALFORMED_PICKLE,
    TRUNCATED_PICKLE,
    DATA_AFTER_STOP,
    PERSISTENT_ID,
    INTROSPECTION_ATTRIBUTE,
    STACKED_PICKLES,
    JOBLIB_ARRAY_UNREADABLE,
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
