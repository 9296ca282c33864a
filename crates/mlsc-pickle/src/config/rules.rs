//! The finding codes of the config analyser (`MLSC-CFG`). Codes are stable contracts: never renumber, only add.

use mlsc_core::{Rule, Severity};

const SUPPLY: &[&str] = &["owasp-ml:ML06", "atlas:AML.T0010"];
const EXEC: &[&str] = &[
    "owasp-ml:ML06",
    "atlas:AML.T0010",
    "atlas:AML.T0011",
    "cwe:94",
];
const SSTI: &[&str] = &["owasp-ml:ML06", "atlas:AML.T0011", "cwe:1336"];
const PARSE: &[&str] = &["owasp-ml:ML06", "cwe:20"];
const LIMIT: &[&str] = &["owasp-ml:ML06", "cwe:400"];

macro_rules! rule {
    ($code:literal, $name:literal, $sev:ident, $tags:expr, $summary:literal) => {
        Rule {
            code: $code,
            name: $name,
            default_severity: Severity::$sev,
            summary: $summary,
            tags: $tags,
        }
    };
}

/// Every code the config analyser emits.
pub(crate) const RULES: &[Rule] = &[
    rule!(
        "MLSC-CFG-001",
        "config-instantiates-dangerous-callable",
        Critical,
        EXEC,
        "A config `_target_` (Hydra/OmegaConf instantiate) names a callable on the deny list or a generic instantiation gadget: loading the model runs it"
    ),
    rule!(
        "MLSC-CFG-002",
        "config-instantiates-unknown-callable",
        Medium,
        EXEC,
        "A config `_target_` names a callable outside the allowlist and the known ML framework namespaces: loading the model imports and calls it"
    ),
    rule!(
        "MLSC-CFG-003",
        "config-loads-other-artifact",
        Medium,
        SUPPLY,
        "A config `_target_` is a loader (from_pretrained, load_from_checkpoint, restore_from, hub downloads): another model is fetched and loaded outside this scan; high with trust_remote_code"
    ),
    rule!(
        "MLSC-CFG-004",
        "config-target-unresolved",
        Medium,
        EXEC,
        "A config `_target_` is built from an interpolation that cannot be resolved statically (environment, custom resolver, missing key, cycle): what it instantiates is unknown"
    ),
    rule!(
        "MLSC-CFG-005",
        "yaml-python-tag",
        Critical,
        EXEC,
        "A YAML python tag (`!!python/object/apply`, `!!python/name`, `!!python/module`, ...): PyYAML's unsafe and full loaders import and call the named object"
    ),
    rule!(
        "MLSC-CFG-006",
        "config-unparseable",
        Medium,
        PARSE,
        "A file named as a configuration (or a config embedded in a model) could not be parsed, so what it instantiates is unknown"
    ),
    rule!(
        "MLSC-CFG-007",
        "config-limit",
        Medium,
        LIMIT,
        "A configuration is larger, deeper or expands further (YAML aliases) than the analyser's limits; it was not analysed"
    ),
    rule!(
        "MLSC-CFG-008",
        "hub-repo-reference",
        Info,
        SUPPLY,
        "A config key that steers a loader names a Hugging Face Hub repository; high when trust_remote_code is set with it"
    ),
    rule!(
        "MLSC-CFG-009",
        "chat-template-sandbox-escape",
        Critical,
        SSTI,
        "A chat template in a tokenizer config or chat_template file reaches Python internals (dunder attributes): a Jinja sandbox escape (CVE-2026-4372, CVE-2026-5241, CVE-2026-5760)"
    ),
    rule!(
        "MLSC-CFG-010",
        "chat-template-dangerous-name",
        High,
        SSTI,
        "A chat template in a tokenizer config or chat_template file uses names no chat template needs (os, eval, import, lipsum, cycler, ...)"
    ),
    rule!(
        "MLSC-CFG-011",
        "config-instantiates-known-classes",
        Info,
        SUPPLY,
        "A config instantiates classes of well-known ML framework namespaces (NeMo, torch.nn, torch.optim, Lightning, ...): listed, not flagged"
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_stable() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES {
            assert!(seen.insert(r.code), "duplicate code {}", r.code);
            assert!(r.code.starts_with("MLSC-CFG-"), "{}", r.code);
            assert!(!r.summary.is_empty());
        }
        let list: Vec<String> = RULES
            .iter()
            .map(|r| format!("{} {} {} {:?}", r.code, r.name, r.default_severity, r.tags))
            .collect();
        insta::assert_snapshot!(list.join("\n"));
    }
}
