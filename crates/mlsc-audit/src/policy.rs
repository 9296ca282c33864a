//! The verdict: what the checks found, measured against the policy of `mlsc.toml` (or its documented defaults).
//!
//! One threshold decides: `--fail-on` when it is given ([`AuditOptions::fail_on`]), else `policy.fail_on` (default
//! `high`).
//! - A reason at or above the threshold fails; below it and at or above `policy.warn_on` (default `low`) it warns.
//!   Reasons are the checks' findings and what they could not finish (no advisory database, a card not read
//!   completely, a signature not verified for want of a key), each with a severity.
//! - Rules the policy states explicitly fail whatever the threshold: a denied licence, or one missing from a
//!   non-empty allow list; with `commercial = true` a non-commercial model or dataset licence, or an unstated one;
//!   `require_signature = true` without a verified signature; `card.min_score` above a card's score. Without
//!   `commercial`, a non-commercial licence is a low-severity warning that says how to enforce it.
//! - What was not analysed is never a pass, and two things fail whatever the threshold: a model file whose analysis
//!   was inconclusive (as `mlsc scan` exits 1 on one), and nothing to audit at all (probably a wrong path).
//!
//! The exit status follows the verdict: `fail` exits 1, `warn` and `pass` exit 0, and an input that could not be
//! read at all exits 2.

use mlsc_core::{Finding, Location, Rule, Severity};

use crate::checks::RanCheck;
use crate::config::{Config, LicenseDecision, LicensePolicy};
use crate::discover::Inventory;
use crate::rules;
use crate::{AuditOptions, AuditReport, CheckKind, CheckSection, Fact, Outcome, Reason, Skipped};

fn finding(
    rule: &'static Rule,
    severity: Severity,
    location: Location,
    message: String,
) -> Finding {
    rule.finding_at(severity, message).at(location)
}

/// The policy's conclusion.
#[derive(Debug, Clone)]
pub(crate) struct Decision {
    pub(crate) verdict: Outcome,
    pub(crate) reasons: Vec<Reason>,
    /// Findings of the policy itself (`MLSC-AUDIT-*`), shown in the `policy` section and merged into the report.
    pub(crate) findings: Vec<Finding>,
    /// Facts of the policy section.
    pub(crate) facts: Vec<Fact>,
}

/// Licence ids (Hugging Face Hub ids and SPDX ids, lowercase) whose terms forbid commercial use.
fn is_non_commercial(id: &str) -> bool {
    let id = id.to_ascii_lowercase();
    id.contains("-nc-")
        || id.ends_with("-nc")
        || id.contains("noncommercial")
        || id.contains("non-commercial")
        || matches!(
            id.as_str(),
            "h-research" | "intel-research" | "deepfloyd-if-license" | "apple-amlr"
        )
}

/// Licence ids that allow commercial use only under conditions a reviewer must check (user counts, use
/// restrictions).
fn is_commercially_restricted(id: &str) -> bool {
    let id = id.to_ascii_lowercase();
    id.starts_with("llama") || id.starts_with("gemma") || id == "grok2-community"
}

struct Builder<'c> {
    config: &'c Config,
    /// The threshold: `--fail-on`, else `policy.fail_on`.
    fail_on: Severity,
    reasons: Vec<Reason>,
    findings: Vec<Finding>,
    facts: Vec<Fact>,
}

impl Builder<'_> {
    /// A reason from a severity, graded by the policy thresholds; `None` below `warn_on`.
    fn graded(
        &mut self,
        check: CheckKind,
        severity: Severity,
        code: Option<&str>,
        message: String,
    ) {
        let outcome = if severity >= self.fail_on {
            Outcome::Fail
        } else if severity >= self.config.policy.warn_on.min(self.fail_on) {
            Outcome::Warn
        } else {
            return;
        };
        self.reasons.push(Reason {
            outcome,
            check,
            severity,
            code: code.map(str::to_owned),
            message,
        });
    }

    /// A reason that something was not finished: graded like a finding, but never dropped below `warn_on` (what
    /// was not analysed is never a pass).
    fn graded_or_warn(&mut self, check: CheckKind, severity: Severity, message: String) {
        let outcome = if severity >= self.fail_on {
            Outcome::Fail
        } else {
            Outcome::Warn
        };
        self.push(outcome, check, severity, None, message);
    }

    fn push(
        &mut self,
        outcome: Outcome,
        check: CheckKind,
        severity: Severity,
        code: Option<&str>,
        message: String,
    ) {
        self.reasons.push(Reason {
            outcome,
            check,
            severity,
            code: code.map(str::to_owned),
            message,
        });
    }

    /// A policy finding and the reason it gives.
    fn policy_finding(
        &mut self,
        outcome: Outcome,
        rule: &'static Rule,
        severity: Severity,
        location: Location,
        message: String,
    ) {
        // A warning that reaches the threshold fails, as every other reason does.
        let outcome = if outcome == Outcome::Warn && severity >= self.fail_on {
            Outcome::Fail
        } else {
            outcome
        };
        self.push(
            outcome,
            CheckKind::Policy,
            severity,
            Some(rule.code),
            message.clone(),
        );
        self.findings
            .push(finding(rule, severity, location, message));
    }

    fn licence(
        &mut self,
        kind: &str,
        loc: Location,
        licence: Option<&str>,
        lists: &LicensePolicy,
        commercial_terms_matter: bool,
    ) {
        let commercial = self.config.policy.commercial;
        let Some(id) = licence.map(str::trim).filter(|s| !s.is_empty()) else {
            // Without a commercial policy the card check's own licence finding says it; with one, it blocks.
            if commercial && commercial_terms_matter {
                self.policy_finding(
                    Outcome::Fail,
                    &rules::LICENSE_UNKNOWN,
                    Severity::High,
                    loc,
                    format!(
                        "the {kind} states no licence, so nobody may assume a right to use it in a commercial product"
                    ),
                );
            }
            return;
        };
        match lists.decide(id) {
            LicenseDecision::Denied => {
                self.policy_finding(
                    Outcome::Fail,
                    &rules::LICENSE_NOT_ALLOWED,
                    Severity::High,
                    loc,
                    format!("the {kind} licence `{id}` is on the policy's deny list"),
                );
                return;
            }
            LicenseDecision::NotAllowed => {
                self.policy_finding(
                    Outcome::Fail,
                    &rules::LICENSE_NOT_ALLOWED,
                    Severity::High,
                    loc,
                    format!("the {kind} licence `{id}` is not on the policy's allow list"),
                );
                return;
            }
            LicenseDecision::Allowed => {}
        }
        if !commercial_terms_matter {
            return;
        }
        if is_non_commercial(id) {
            if commercial {
                self.policy_finding(
                    Outcome::Fail,
                    &rules::NON_COMMERCIAL_LICENSE,
                    Severity::High,
                    loc,
                    format!(
                        "the {kind} licence `{id}` forbids commercial use, and the policy says this is a commercial \
                         product"
                    ),
                );
            } else {
                self.policy_finding(
                    Outcome::Warn,
                    &rules::NON_COMMERCIAL_LICENSE,
                    Severity::Low,
                    loc,
                    format!(
                        "the {kind} licence `{id}` forbids commercial use: acceptable only outside a commercial \
                         product (set `[policy] commercial = true` in mlsc.toml to enforce)"
                    ),
                );
            }
        } else if is_commercially_restricted(id) && commercial {
            self.policy_finding(
                Outcome::Warn,
                &rules::NON_COMMERCIAL_LICENSE,
                Severity::Medium,
                loc,
                format!("the {kind} licence `{id}` restricts commercial use: its terms need a legal review"),
            );
        } else if id.eq_ignore_ascii_case("other") && commercial {
            self.policy_finding(
                Outcome::Warn,
                &rules::LICENSE_UNKNOWN,
                Severity::Medium,
                loc,
                format!("the {kind} licence is `other`: its terms are not a known licence and need a legal review"),
            );
        }
    }
}

/// How many reasons one check contributes for individual findings before the rest are summarised.
const MAX_FINDING_REASONS: usize = 8;

/// Applies the policy to what the checks found.
pub(crate) fn decide(
    config: &Config,
    inventory: &Inventory,
    ran: &mut [RanCheck],
    skipped: &[Skipped],
    options: &AuditOptions,
) -> Decision {
    let fail_on = options.fail_on.unwrap_or(config.policy.fail_on);
    let mut b = Builder {
        config,
        fail_on,
        reasons: Vec::new(),
        findings: Vec::new(),
        facts: Vec::new(),
    };
    // 1. Findings of the checks, graded by severity.
    for check in ran.iter() {
        let mut findings: Vec<&Finding> = check.report.findings.iter().collect();
        findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        // Findings at medium and above are reasons one by one (up to a cap); lower ones that still reach
        // `warn_on` are summarised per check, so that documentation gaps do not bury a malicious pickle.
        let (single, low): (Vec<&Finding>, Vec<&Finding>) = findings
            .into_iter()
            // The audit's own findings inside a check (a missing advisory database) come with a signal that
            // warns whatever the thresholds say; grading them too would state the reason twice.
            .filter(|f| {
                f.severity >= config.policy.warn_on.min(fail_on)
                    && !f.rule.is_some_and(|r| rules::RULES.contains(r))
            })
            .partition(|f| f.severity >= Severity::Medium || f.severity >= fail_on);
        for f in single.iter().take(MAX_FINDING_REASONS) {
            b.graded(
                check.check,
                f.severity,
                Some(&f.code),
                format!("{}: {}", f.location, f.message),
            );
        }
        let mut rest: Vec<&Finding> = single.iter().skip(MAX_FINDING_REASONS).copied().collect();
        rest.extend(low);
        if !rest.is_empty() {
            let worst = rest
                .iter()
                .map(|f| f.severity)
                .max()
                .unwrap_or(Severity::Info);
            let mut codes: Vec<(&str, usize)> = Vec::new();
            for f in &rest {
                match codes.iter_mut().find(|(c, _)| *c == f.code) {
                    Some((_, n)) => *n += 1,
                    None => codes.push((&f.code, 1)),
                }
            }
            let titles: Vec<String> = codes
                .iter()
                .map(|(code, n)| {
                    let title = rest
                        .iter()
                        .find(|f| f.code == *code)
                        .map_or("", |f| f.title.as_str());
                    if *n == 1 {
                        format!("{title} ({code})")
                    } else {
                        format!("{title} ({code}) ×{n}")
                    }
                })
                .collect();
            b.graded(
                check.check,
                worst,
                None,
                format!(
                    "{} {}finding(s), listed in the {} section: {}",
                    rest.len(),
                    if single.len() > MAX_FINDING_REASONS {
                        "more "
                    } else {
                        ""
                    },
                    check.check.as_str(),
                    titles.join(", ")
                ),
            );
        }
        if !check.report.errors.is_empty() {
            b.graded(
                check.check,
                Severity::High,
                None,
                format!(
                    "{} input(s) of the {} check could not be read: {}",
                    check.report.errors.len(),
                    check.check.as_str(),
                    check
                        .report
                        .errors
                        .iter()
                        .map(|e| match &e.path {
                            Some(p) => format!("`{p}`: {}", e.message),
                            None => e.message.clone(),
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            );
        }
        for (severity, message) in &check.signals.incomplete {
            b.graded_or_warn(check.check, *severity, message.clone());
        }
        for message in &check.signals.inconclusive {
            b.push(
                Outcome::Fail,
                check.check,
                Severity::High,
                None,
                message.clone(),
            );
        }
    }
    // 2. Checks that applied but could not run.
    for s in skipped.iter().filter(|s| s.gap) {
        b.policy_finding(
            Outcome::Warn,
            &rules::CHECK_NOT_RUN,
            Severity::Medium,
            Location::file(options.target.display().to_string()),
            format!(
                "the {} check applied but did not run: {}",
                s.check.as_str(),
                s.reason
            ),
        );
    }
    // Nothing to audit is not a pass: the path was probably wrong, and a CI job must not go green on it.
    if ran.is_empty() {
        b.push(
            Outcome::Fail,
            CheckKind::Policy,
            Severity::Medium,
            None,
            format!(
                "nothing to audit under `{}`: no model files, cards, dependency declarations, signatures or \
                 provenance records",
                options.target.display()
            ),
        );
    }
    // 3. Licences.
    let signals: Vec<_> = ran.iter().map(|r| &r.signals).collect();
    for s in &signals {
        for (path, licence) in &s.model_licenses {
            b.licence(
                "model",
                Location::file(path).at_pointer("license"),
                licence.as_deref(),
                &config.policy.models,
                true,
            );
        }
        for (path, licence) in &s.dataset_licenses {
            b.licence(
                "dataset",
                Location::file(path).at_pointer("license"),
                licence.as_deref(),
                &config.policy.datasets,
                true,
            );
        }
        for (package, licence, location) in &s.dependency_licenses {
            b.licence(
                &format!("dependency `{package}`"),
                location.clone(),
                Some(licence),
                &config.policy.dependencies,
                false,
            );
        }
    }
    // 4. A model without a card.
    if !inventory.model_files.is_empty()
        && inventory.model_cards.is_empty()
        && !inventory.single_file
    {
        b.policy_finding(
            Outcome::Warn,
            &rules::MODEL_CARD_MISSING,
            Severity::Low,
            Location::file(options.target.display().to_string()),
            "model files but no model card (README.md): nobody says what this model is, who made it, from which \
             data, under which licence"
                .to_owned(),
        );
    }
    // 5. Card scores.
    if let Some(min) = config.card.min_score {
        let scores: Vec<&(String, f64)> = signals.iter().flat_map(|s| &s.card_scores).collect();
        if scores.is_empty()
            && !(inventory.model_cards.is_empty() && inventory.dataset_cards.is_empty())
        {
            b.graded_or_warn(
                CheckKind::Policy,
                Severity::Medium,
                format!("`card.min_score = {min}` is set but no card was scored"),
            );
        }
        for (path, score) in scores {
            if *score < min {
                b.policy_finding(
                    Outcome::Fail,
                    &rules::CARD_SCORE_BELOW_MINIMUM,
                    Severity::High,
                    Location::file(path),
                    format!(
                        "the card scores {score:.0}/100, below the policy's minimum of {min:.0}"
                    ),
                );
            }
        }
    }
    // 6. Signatures.
    let verified = signals
        .iter()
        .filter_map(|s| s.signature_verified)
        .reduce(|a, b| a && b);
    match verified {
        Some(true) => b.facts.push(Fact::new("signature", "verified")),
        Some(false) => b.facts.push(Fact::new("signature", "did not verify")),
        None => b.facts.push(Fact::new("signature", "none checked")),
    }
    if config.policy.require_signature && verified != Some(true) {
        b.policy_finding(
            Outcome::Fail,
            &rules::SIGNATURE_REQUIRED,
            Severity::High,
            Location::file(options.target.display().to_string()),
            match verified {
                Some(false) => "the policy requires a verified signature and the signature did not verify".to_owned(),
                _ => "the policy requires a verified signature and none was checked (give --signature FILE \
                      --public-key PEM)"
                    .to_owned(),
            },
        );
    }
    b.facts.push(Fact::new(
        "commercial product",
        if config.policy.commercial {
            "yes"
        } else {
            "no (not enforced)"
        },
    ));
    let mut reasons = b.reasons;
    // Worst first; within an outcome, by severity, then check order; stable otherwise.
    reasons.sort_by(|a, b| {
        b.outcome
            .cmp(&a.outcome)
            .then(b.severity.cmp(&a.severity))
            .then(a.check.cmp(&b.check))
    });
    let verdict = reasons
        .iter()
        .map(|r| r.outcome)
        .max()
        .unwrap_or(Outcome::Pass);
    Decision {
        verdict,
        reasons,
        findings: b.findings,
        facts: b.facts,
    }
}

/// The `policy` section, listing the policy's own findings.
pub(crate) fn section(decision: &Decision) -> CheckSection {
    let mut report = mlsc_core::Report::new("audit");
    report.extend_findings(decision.findings.iter().cloned());
    report.finish();
    let outcome = decision
        .reasons
        .iter()
        .filter(|r| r.check == CheckKind::Policy)
        .map(|r| r.outcome)
        .max()
        .unwrap_or(Outcome::Pass);
    CheckSection {
        check: CheckKind::Policy,
        outcome,
        summary: format!("{} policy finding(s)", report.findings.len()),
        inputs: Vec::new(),
        facts: decision.facts.clone(),
        by_severity: report.statistics.by_severity,
        findings: report.findings,
        errors: Vec::new(),
        duration_ms: 0,
    }
}

/// Whether an audit fails a gate at threshold `fail_on`: its verdict is `fail`, or a reason reaches `fail_on`
/// (the same as the verdict when `fail_on` is the threshold the audit ran with). Errors are the caller's to check
/// first.
pub(crate) fn fails(report: &AuditReport, fail_on: Severity) -> bool {
    report.verdict == Outcome::Fail || report.reasons.iter().any(|r| r.severity >= fail_on)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RULES;

    #[test]
    fn codes_are_unique_and_stable() {
        let mut codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), RULES.len());
        insta::assert_debug_snapshot!(
            RULES
                .iter()
                .map(|r| format!(
                    "{} {} {} — {}",
                    r.code, r.name, r.default_severity, r.summary
                ))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn licence_classes() {
        for nc in [
            "cc-by-nc-4.0",
            "CC-BY-NC-SA-4.0",
            "cc-by-nc-nd-3.0",
            "fair-noncommercial-research-license",
            "h-research",
        ] {
            assert!(is_non_commercial(nc), "{nc}");
        }
        for ok in [
            "apache-2.0",
            "mit",
            "cc-by-4.0",
            "openrail",
            "llama3",
            "other",
        ] {
            assert!(!is_non_commercial(ok), "{ok}");
        }
        assert!(is_commercially_restricted("llama3.1"));
        assert!(!is_commercially_restricted("mit"));
    }
}
