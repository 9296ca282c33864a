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

/// `MLSC-CFG-001`: A config `_target_` (Hydra/OmegaConf instantiate) names a callable on the deny list or a generic instantiation gadget: loading the model runs it
pub const CONFIG_INSTANTIATES_DANGEROUS_CALLABLE: Rule = Rule::new("MLSC-CFG-001", "config-instantiates-dangerous-callable", Severity::Critical, "config instantiates dangerous callable")
.with_tags(EXEC)
.with_summary("A config `_target_` (Hydra/OmegaConf instantiate) names a callable on the deny list or a generic instantiation gadget: loading the model runs it");

/// `MLSC-CFG-002`: A config `_target_` names a callable outside the allowlist and the known ML framework namespaces: loading the model imports and calls it
pub const CONFIG_INSTANTIATES_UNKNOWN_CALLABLE: Rule = Rule::new("MLSC-CFG-002", "config-instantiates-unknown-callable", Severity::Medium, "config instantiates unknown callable")
.with_tags(EXEC)
.with_summary("A config `_target_` names a callable outside the allowlist and the known ML framework namespaces: loading the model imports and calls it");

/// `MLSC-CFG-003`: A config `_target_` is a loader (from_pretrained, load_from_checkpoint, restore_from, hub downloads): another model is fetched and loaded outside this scan; high with trust_remote_code
pub const CONFIG_LOADS_OTHER_ARTIFACT: Rule = Rule::new("MLSC-CFG-003", "config-loads-other-artifact", Severity::Medium, "config loads other artifact")
.with_tags(SUPPLY)
.with_summary("A config `_target_` is a loader (from_pretrained, load_from_checkpoint, restore_from, hub downloads): another model is fetched and loaded outside this scan; high with trust_remote_code");

/// `MLSC-CFG-004`: A config `_target_` is built from an interpolation that cannot be resolved statically (environment, custom resolver, missing key, cycle): what it instantiates is unknown
pub const CONFIG_TARGET_UNRESOLVED: Rule = Rule::new("MLSC-CFG-004", "config-target-unresolved", Severity::Medium, "config target unresolved")
.with_tags(EXEC)
.with_summary("A config `_target_` is built from an interpolation that cannot be resolved statically (environment, custom resolver, missing key, cycle): what it instantiates is unknown");

/// `MLSC-CFG-005`: A YAML python tag (`!!python/object/apply`, `!!python/name`, `!!python/module`, ...): PyYAML's unsafe and full loaders import and call the named object
pub const YAML_PYTHON_TAG: Rule = Rule::new("MLSC-CFG-005", "yaml-python-tag", Severity::Critical, "yaml python tag")
.with_tags(EXEC)
.with_summary("A YAML python tag (`!!python/object/apply`, `!!python/name`, `!!python/module`, ...): PyYAML's unsafe and full loaders import and call the named object");

/// `MLSC-CFG-006`: A file named as a configuration (or a config embedded in a model) could not be parsed, so what it instantiates is unknown
pub const CONFIG_UNPARSEABLE: Rule = Rule::new("MLSC-CFG-006", "config-unparseable", Severity::Medium, "config unparseable")
.with_tags(PARSE)
.with_summary("A file named as a configuration (or a config embedded in a model) could not be parsed, so what it instantiates is unknown");

/// `MLSC-CFG-007`: A configuration is larger, deeper or expands further (YAML aliases) than the analyser's limits; it was not analysed
pub const CONFIG_LIMIT: Rule = Rule::new("MLSC-CFG-007", "config-limit", Severity::Medium, "config limit")
.with_tags(LIMIT)
.with_summary("A configuration is larger, deeper or expands further (YAML aliases) than the analyser's limits; it was not analysed");

/// `MLSC-CFG-008`: A config key that steers a loader names a Hugging Face Hub repository; high when trust_remote_code is set with it
pub const HUB_REPO_REFERENCE: Rule = Rule::new("MLSC-CFG-008", "hub-repo-reference", Severity::Info, "hub repo reference")
.with_tags(SUPPLY)
.with_summary("A config key that steers a loader names a Hugging Face Hub repository; high when trust_remote_code is set with it");

/// `MLSC-CFG-009`: A chat template in a tokenizer config or chat_template file reaches Python internals (dunder attributes): a Jinja sandbox escape (CVE-2026-4372, CVE-2026-5241, CVE-2026-5760)
pub const CHAT_TEMPLATE_SANDBOX_ESCAPE: Rule = Rule::new("MLSC-CFG-009", "chat-template-sandbox-escape", Severity::Critical, "chat template sandbox escape")
.with_tags(SSTI)
.with_summary("A chat template in a tokenizer config or chat_template file reaches Python internals (dunder attributes): a Jinja sandbox escape (CVE-2026-4372, CVE-2026-5241, CVE-2026-5760)");

/// `MLSC-CFG-010`: A chat template in a tokenizer config or chat_template file uses names no chat template needs (os, eval, import, lipsum, cycler, ...)
pub const CHAT_TEMPLATE_DANGEROUS_NAME: Rule = Rule::new("MLSC-CFG-010", "chat-template-dangerous-name", Severity::High, "chat template dangerous name")
.with_tags(SSTI)
.with_summary("A chat template in a tokenizer config or chat_template file uses names no chat template needs (os, eval, import, lipsum, cycler, ...)");

/// `MLSC-CFG-011`: A config instantiates classes of well-known ML framework namespaces (NeMo, torch.nn, torch.optim, Lightning, ...): listed, not flagged
pub const CONFIG_INSTANTIATES_KNOWN_CLASSES: Rule = Rule::new("MLSC-CFG-011", "config-instantiates-known-classes", Severity::Info, "config instantiates known classes")
.with_tags(SUPPLY)
.with_summary("A config instantiates classes of well-known ML framework namespaces (NeMo, torch.nn, torch.optim, Lightning, ...): listed, not flagged");

/// Every code the config analyser emits.
pub(crate) const RULES: &[Rule] = &[
    CONFIG_INSTANTIATES_DANGEROUS_CALLABLE,
    CONFIG_INSTANTIATES_UNKNOWN_CALLABLE,
    CONFIG_LOADS_OTHER_ARTIFACT,
    CONFIG_TARGET_UNRESOLVED,
    YAML_PYTHON_TAG,
    CONFIG_UNPARSEABLE,
    CONFIG_LIMIT,
    HUB_REPO_REFERENCE,
    CHAT_TEMPLATE_SANDBOX_ESCAPE,
    CHAT_TEMPLATE_DANGEROUS_NAME,
    CONFIG_INSTANTIATES_KNOWN_CLASSES,
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
