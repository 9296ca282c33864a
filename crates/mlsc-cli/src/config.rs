//! `mlsc.toml`: the configuration file, documented in `docs/config.md`.
//!
//! The file is found with `--config FILE`, else `./mlsc.toml` when it exists; without one every setting has its
//! documented default. Every command may read it through [`Config::load`]; sections a command does not use are
//! ignored by it. Unknown keys inside `[policy]` and `[card]` are errors, because a misspelt policy key that is
//! silently ignored would weaken a gate without anyone noticing.

use std::path::{Path, PathBuf};

use anyhow::Context;
use mlsc_core::Severity;
use serde::{Deserialize, Deserializer};

use crate::args::GlobalArgs;

/// The name looked for in the current directory when `--config` is not given.
pub(crate) const DEFAULT_FILE: &str = "mlsc.toml";

/// The whole configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Config {
    /// `[scan]`: model-file scanning.
    pub(crate) scan: ScanConfig,
    /// `[deps]`: dependency vulnerability matching.
    pub(crate) deps: DepsConfig,
    /// `[card]`: model and dataset cards.
    pub(crate) card: CardConfig,
    /// `[policy]`: what `mlsc audit` fails and warns on.
    pub(crate) policy: PolicyConfig,
    /// The file this configuration was read from; `None` for the built-in defaults.
    #[serde(skip)]
    pub(crate) source: Option<PathBuf>,
}

/// `[scan]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ScanConfig {
    /// Extra callables the pickle analyser accepts, as the unpickler resolves them (`mypkg.layers.Custom`), or
    /// whole module prefixes (`mypkg.*`).
    pub(crate) allow: Vec<String>,
}

/// `[deps]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DepsConfig {
    /// Advisories to ignore, each with a reason and an optional expiry date.
    pub(crate) ignore: Vec<IgnoreEntry>,
}

/// One `[[deps.ignore]]` entry: `{ id = "PYSEC-2023-74", reason = "…", expires = "2027-01-31" }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IgnoreEntry {
    /// The advisory id or any of its aliases (`PYSEC-…`, `GHSA-…`, `CVE-…`).
    pub(crate) id: String,
    /// Why it is ignored; required, so that the file documents each exception.
    pub(crate) reason: String,
    /// The last day the ignore applies; from the next day the advisory is reported again.
    #[serde(default, deserialize_with = "de_date")]
    pub(crate) expires: Option<jiff::civil::Date>,
}

impl IgnoreEntry {
    /// True when the entry has an expiry date before `today`.
    #[cfg_attr(not(test), allow(dead_code))] // mlsc-sbom applies expiry itself; kept for other readers
    pub(crate) fn is_expired(&self, today: jiff::civil::Date) -> bool {
        self.expires.is_some_and(|d| d < today)
    }
}

/// `[card]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct CardConfig {
    /// The lowest acceptable completeness score (0–100) of a model or dataset card.
    pub(crate) min_score: Option<f64>,
}

/// `[policy]`: the rules `mlsc audit` applies to what the checks found.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct PolicyConfig {
    /// The artefacts will be used in a commercial product: non-commercial licences fail.
    pub(crate) commercial: bool,
    /// A signature over the model must be present and verify.
    pub(crate) require_signature: bool,
    /// Findings at or above this severity make the verdict `fail`.
    #[serde(deserialize_with = "de_severity")]
    pub(crate) fail_on: Severity,
    /// Findings at or above this severity (and below `fail_on`) make the verdict `warn`.
    #[serde(deserialize_with = "de_severity")]
    pub(crate) warn_on: Severity,
    /// Licences of models.
    pub(crate) models: LicensePolicy,
    /// Licences of datasets.
    pub(crate) datasets: LicensePolicy,
    /// Licences of Python dependencies (known only for installed environments).
    pub(crate) dependencies: LicensePolicy,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        PolicyConfig {
            commercial: false,
            require_signature: false,
            fail_on: Severity::High,
            warn_on: Severity::Low,
            models: LicensePolicy::default(),
            datasets: LicensePolicy::default(),
            dependencies: LicensePolicy::default(),
        }
    }
}

/// `[policy.models]`, `[policy.datasets]`, `[policy.dependencies]`: licence identifiers (Hugging Face Hub ids or
/// SPDX ids, compared case-insensitively).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct LicensePolicy {
    /// When not empty, only these licences pass; any other fails.
    pub(crate) allow_licenses: Vec<String>,
    /// These licences fail.
    pub(crate) deny_licenses: Vec<String>,
}

/// What a licence policy says about one licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LicenseDecision {
    /// Allowed (explicitly or because there is no allow list).
    Allowed,
    /// On the deny list.
    Denied,
    /// Not on a non-empty allow list.
    NotAllowed,
}

impl LicensePolicy {
    /// The decision for licence `id`.
    pub(crate) fn decide(&self, id: &str) -> LicenseDecision {
        let id = id.trim();
        if self
            .deny_licenses
            .iter()
            .any(|d| d.eq_ignore_ascii_case(id))
        {
            LicenseDecision::Denied
        } else if !self.allow_licenses.is_empty()
            && !self
                .allow_licenses
                .iter()
                .any(|a| a.eq_ignore_ascii_case(id))
        {
            LicenseDecision::NotAllowed
        } else {
            LicenseDecision::Allowed
        }
    }
}

fn de_severity<'de, D: Deserializer<'de>>(d: D) -> Result<Severity, D::Error> {
    let s = String::deserialize(d)?;
    s.parse().map_err(serde::de::Error::custom)
}

/// Accepts a TOML date (`2027-01-31`) or a string holding one.
fn de_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<jiff::civil::Date>, D::Error> {
    let v = toml::Value::deserialize(d)?;
    let s = match v {
        toml::Value::String(s) => s,
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
        other => {
            return Err(serde::de::Error::custom(format!(
                "expected a date such as 2027-01-31, found `{other}`"
            )));
        }
    };
    s.parse::<jiff::civil::Date>()
        .map(Some)
        .map_err(|e| serde::de::Error::custom(format!("invalid date `{s}`: {e}")))
}

impl Config {
    /// The configuration for this invocation: `--config FILE`, else `./mlsc.toml` when present, else defaults.
    pub(crate) fn load(global: &GlobalArgs) -> anyhow::Result<Config> {
        match &global.config {
            Some(path) => Config::from_file(path),
            None => {
                let default = Path::new(DEFAULT_FILE);
                if default.is_file() {
                    Config::from_file(default)
                } else {
                    Ok(Config::default())
                }
            }
        }
    }

    /// Reads and parses `path`.
    pub(crate) fn from_file(path: &Path) -> anyhow::Result<Config> {
        let text = fs_err::read_to_string(path)
            .with_context(|| format!("cannot read the configuration `{}`", path.display()))?;
        let mut config = Config::parse(&text)
            .with_context(|| format!("invalid configuration `{}`", path.display()))?;
        config.source = Some(path.to_owned());
        Ok(config)
    }

    /// Parses the text of an `mlsc.toml`.
    pub(crate) fn parse(text: &str) -> anyhow::Result<Config> {
        let config: Config = toml::from_str(text)?;
        if let Some(score) = config.card.min_score
            && !(0.0..=100.0).contains(&score)
        {
            anyhow::bail!("`card.min_score` must be between 0 and 100, found {score}");
        }
        if config.policy.warn_on > config.policy.fail_on {
            anyhow::bail!(
                "`policy.warn_on` ({}) is above `policy.fail_on` ({})",
                config.policy.warn_on,
                config.policy.fail_on
            );
        }
        for entry in &config.deps.ignore {
            if entry.reason.trim().is_empty() {
                anyhow::bail!("`deps.ignore` entry `{}` has an empty reason", entry.id);
            }
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_is_the_defaults() {
        let c = Config::parse("").unwrap();
        assert!(c.scan.allow.is_empty());
        assert!(!c.policy.commercial);
        assert_eq!(c.policy.fail_on, Severity::High);
        assert_eq!(c.policy.warn_on, Severity::Low);
        assert_eq!(c.card.min_score, None);
    }

    #[test]
    fn full_file() {
        let c = Config::parse(
            r#"
[scan]
allow = ["mypkg.layers.Custom"]

[deps]
ignore = [
  { id = "PYSEC-2023-74", reason = "not reachable", expires = "2026-01-31" },
  { id = "CVE-2022-45907", reason = "patched build", expires = 2099-12-31 },
  { id = "GHSA-x", reason = "forever" },
]

[card]
min_score = 60

[policy]
commercial = true
require_signature = true
fail_on = "medium"
warn_on = "info"
[policy.models]
deny_licenses = ["cc-by-nc-4.0"]
[policy.dependencies]
allow_licenses = ["MIT", "Apache-2.0"]
"#,
        )
        .unwrap();
        assert_eq!(c.scan.allow, ["mypkg.layers.Custom"]);
        let today: jiff::civil::Date = "2026-11-27".parse().unwrap();
        assert!(c.deps.ignore[0].is_expired(today));
        assert!(!c.deps.ignore[1].is_expired(today));
        assert!(!c.deps.ignore[2].is_expired(today));
        assert_eq!(c.card.min_score, Some(60.0));
        assert!(c.policy.commercial && c.policy.require_signature);
        assert_eq!(c.policy.fail_on, Severity::Medium);
        assert_eq!(
            c.policy.models.decide("CC-BY-NC-4.0"),
            LicenseDecision::Denied
        );
        assert_eq!(c.policy.models.decide("mit"), LicenseDecision::Allowed);
        assert_eq!(
            c.policy.dependencies.decide("GPL-3.0"),
            LicenseDecision::NotAllowed
        );
        assert_eq!(
            c.policy.dependencies.decide("mit"),
            LicenseDecision::Allowed
        );
    }

    #[test]
    fn mistakes_are_errors() {
        for bad in [
            "[policy]\ncomercial = true\n",
            "[policy]\nfail_on = \"severe\"\n",
            "[policy]\nfail_on = \"low\"\nwarn_on = \"high\"\n",
            "[card]\nmin_score = 120\n",
            "[deps]\nignore = [{ id = \"X\", reason = \" \" }]\n",
            "[deps]\nignore = [{ id = \"X\", reason = \"r\", expires = \"soon\" }]\n",
            "[deps]\nignore = [{ id = \"X\" }]\n",
        ] {
            assert!(Config::parse(bad).is_err(), "accepted: {bad}");
        }
    }
}
