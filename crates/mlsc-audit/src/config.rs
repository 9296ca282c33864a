//! `mlsc.toml`: the configuration file, documented in `docs/config.md`.
//!
//! The `mlsc` command finds the file with `--config FILE`, else `./mlsc.toml` when it exists; without one every
//! setting has its documented default ([`Config::default`]). Every command may read it; sections a command does not
//! use are ignored by it. Unknown keys inside `[policy]` and `[card]` are errors, because a misspelt policy key that is
//! silently ignored would weaken a gate without anyone noticing.

use std::path::{Path, PathBuf};

use mlsc_core::Severity;
use serde::{Deserialize, Deserializer};

use crate::error::{ConfigError, Error};

/// The name looked for in the current directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "mlsc.toml";

/// The whole configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Config {
    /// `[scan]`: model-file scanning.
    pub scan: ScanConfig,
    /// `[deps]`: dependency vulnerability matching.
    pub deps: DepsConfig,
    /// `[card]`: model and dataset cards.
    pub card: CardConfig,
    /// `[policy]`: what `mlsc audit` fails and warns on.
    pub policy: PolicyConfig,
    /// The file this configuration was read from; `None` for the built-in defaults.
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// `[scan]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ScanConfig {
    /// Extra callables the pickle analyser accepts, as the unpickler resolves them (`mypkg.layers.Custom`), or
    /// whole module prefixes (`mypkg.*`).
    pub allow: Vec<String>,
}

/// `[deps]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DepsConfig {
    /// Advisories to ignore, each with a reason and an optional expiry date.
    pub ignore: Vec<IgnoreEntry>,
}

/// One `[[deps.ignore]]` entry: `{ id = "PYSEC-2023-74", reason = "…", expires = "2027-01-31" }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    /// The advisory id or any of its aliases (`PYSEC-…`, `GHSA-…`, `CVE-…`).
    pub id: String,
    /// Why it is ignored; required, so that the file documents each exception.
    pub reason: String,
    /// The last day the ignore applies; from the next day the advisory is reported again.
    #[serde(default, deserialize_with = "de_date")]
    pub expires: Option<jiff::civil::Date>,
}

impl IgnoreEntry {
    /// True when the entry has an expiry date before `today`.
    pub fn is_expired(&self, today: jiff::civil::Date) -> bool {
        self.expires.is_some_and(|d| d < today)
    }
}

/// `[card]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CardConfig {
    /// The lowest acceptable completeness score (0–100) of a model or dataset card.
    pub min_score: Option<f64>,
}

/// `[policy]`: the rules `mlsc audit` applies to what the checks found.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyConfig {
    /// The artefacts will be used in a commercial product: non-commercial licences fail.
    pub commercial: bool,
    /// A signature over the model must be present and verify.
    pub require_signature: bool,
    /// Findings at or above this severity make the verdict `fail`.
    #[serde(deserialize_with = "de_severity")]
    pub fail_on: Severity,
    /// Findings at or above this severity (and below `fail_on`) make the verdict `warn`.
    #[serde(deserialize_with = "de_severity")]
    pub warn_on: Severity,
    /// Licences of models.
    pub models: LicensePolicy,
    /// Licences of datasets.
    pub datasets: LicensePolicy,
    /// Licences of Python dependencies (known only for installed environments).
    pub dependencies: LicensePolicy,
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
pub struct LicensePolicy {
    /// When not empty, only these licences pass; any other fails.
    pub allow_licenses: Vec<String>,
    /// These licences fail.
    pub deny_licenses: Vec<String>,
}

/// What a licence policy says about one licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicenseDecision {
    /// Allowed (explicitly or because there is no allow list).
    Allowed,
    /// On the deny list.
    Denied,
    /// Not on a non-empty allow list.
    NotAllowed,
}

impl LicensePolicy {
    /// The decision for licence `id`.
    pub fn decide(&self, id: &str) -> LicenseDecision {
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
    /// The configuration of one invocation: `explicit` (`--config FILE`) when given, else [`DEFAULT_FILE`] in the
    /// current directory when it is there, else the defaults.
    ///
    /// # Errors
    ///
    /// Those of [`Config::from_file`].
    pub fn discover(explicit: Option<&Path>) -> Result<Config, Error> {
        match explicit {
            Some(path) => Config::from_file(path),
            None if Path::new(DEFAULT_FILE).is_file() => Config::from_file(DEFAULT_FILE),
            None => Ok(Config::default()),
        }
    }

    /// Reads and checks the `mlsc.toml` at `path`.
    ///
    /// # Errors
    ///
    /// [`Error::ReadConfig`] when the file cannot be read, [`Error::Config`] when it is not a valid `mlsc.toml`.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Config, Error> {
        let path = path.as_ref();
        let text = fs_err::read_to_string(path).map_err(|source| Error::ReadConfig {
            path: path.to_owned(),
            source,
        })?;
        let mut config = Config::parse(&text).map_err(|source| Error::Config {
            path: path.to_owned(),
            source,
        })?;
        config.source = Some(path.to_owned());
        Ok(config)
    }

    /// Parses the text of an `mlsc.toml`.
    ///
    /// ```
    /// let config = mlsc_audit::Config::parse("[policy]\ncommercial = true\n").unwrap();
    /// assert!(config.policy.commercial);
    /// assert!(mlsc_audit::Config::parse("[policy]\ncomercial = true\n").is_err()); // a misspelt key
    /// ```
    ///
    /// # Errors
    ///
    /// [`ConfigError`] when the text is not TOML, has unknown keys in `[policy]` or `[card]`, or a value out of
    /// range.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text)?;
        if let Some(score) = config.card.min_score
            && !(0.0..=100.0).contains(&score)
        {
            return Err(ConfigError::Invalid(format!(
                "`card.min_score` must be between 0 and 100, found {score}"
            )));
        }
        if config.policy.warn_on > config.policy.fail_on {
            return Err(ConfigError::Invalid(format!(
                "`policy.warn_on` ({}) is above `policy.fail_on` ({})",
                config.policy.warn_on, config.policy.fail_on
            )));
        }
        for entry in &config.deps.ignore {
            if entry.reason.trim().is_empty() {
                return Err(ConfigError::Invalid(format!(
                    "`deps.ignore` entry `{}` has an empty reason",
                    entry.id
                )));
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
