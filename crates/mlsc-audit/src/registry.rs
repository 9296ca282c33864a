//! The registry of every finding code in the workspace: each crate's rule table, collected by calling the crate
//! (no code is typed here), with the crate that owns it. `mlsc rule CODE` and `docs/rules.md` read it.

use std::fmt::Write as _;

use mlsc_core::Rule;

/// A finding code and the crate that declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RegisteredRule {
    /// The crate that emits it (`mlsc-pickle`, `mlsc-deps`, …).
    pub owner: &'static str,
    /// Its description.
    pub rule: Rule,
}

/// Every rule of every mlsc library, grouped by crate in dependency order, each table in its declared order.
pub fn registry() -> Vec<RegisteredRule> {
    let tables: [(&'static str, Vec<Rule>); 6] = [
        ("mlsc-pickle", mlsc_pickle::rules()),
        ("mlsc-deps", mlsc_deps::rules().to_vec()),
        ("mlsc-sbom", mlsc_sbom::bom_rules().to_vec()),
        ("mlsc-cards", mlsc_cards::rules().to_vec()),
        ("mlsc-provenance", mlsc_provenance::rules().to_vec()),
        ("mlsc-audit", crate::rules::RULES.to_vec()),
    ];
    tables
        .into_iter()
        .flat_map(|(owner, rules)| {
            rules
                .into_iter()
                .map(move |rule| RegisteredRule { owner, rule })
        })
        .collect()
}

/// The rule with `code` (compared case-insensitively), for explaining a code a user typed.
pub fn explain(code: &str) -> Option<RegisteredRule> {
    registry()
        .into_iter()
        .find(|r| r.rule.code.eq_ignore_ascii_case(code.trim()))
}

/// The Markdown reference of every rule: the text of `docs/rules.md`.
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Finding codes\n\n\
         Generated from the rule tables of the mlsc crates (`mlsc_audit::registry`); do not edit by hand. \
         Regenerate with `UPDATE_RULES_DOC=1 cargo test -p mlsc-audit --test rules_doc`. `mlsc rule CODE` prints \
         one entry. Codes are stable: they are never renamed or renumbered.\n",
    );
    let mut owner = "";
    for r in registry() {
        if r.owner != owner {
            owner = r.owner;
            let _ = write!(
                out,
                "\n## {owner}\n\n| Code | Name | Default severity | Tags | Summary |\n|---|---|---|---|---|\n"
            );
        }
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            r.rule.code,
            r.rule.name,
            r.rule.default_severity,
            r.rule.tags.join(", "),
            r.rule.summary.replace('|', "\\|")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_across_the_workspace() {
        let all = registry();
        let mut seen = std::collections::BTreeMap::new();
        for r in &all {
            if let Some(other) = seen.insert(r.rule.code, r.owner) {
                panic!("{} is declared by {other} and by {}", r.rule.code, r.owner);
            }
        }
        // Every crate contributes (a table that stopped being collected would silently vanish from the docs).
        for owner in [
            "mlsc-pickle",
            "mlsc-deps",
            "mlsc-sbom",
            "mlsc-cards",
            "mlsc-provenance",
            "mlsc-audit",
        ] {
            assert!(all.iter().any(|r| r.owner == owner), "no rule of {owner}");
        }
        assert_eq!(explain("mlsc-dep-001").map(|r| r.owner), Some("mlsc-deps"));
        assert!(explain("MLSC-NOPE-999").is_none());
    }
}
