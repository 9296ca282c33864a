//! Ignored advisories as users write them: `ID[:REASON[:UNTIL]]` on a command line, and `[deps] ignore` in
//! `mlsc.toml`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::vuln::Ignore;

/// Why an ignore could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IgnoreError {
    /// `ID[:REASON[:UNTIL]]` is malformed.
    #[error(
        "`{spec}`: expected ID[:REASON[:UNTIL]], such as GHSA-j8r2-6x86-q33q:no proxies:2027-01-31"
    )]
    Spec {
        /// What was given.
        spec: String,
    },
    /// The UNTIL part looks like a date but is not one.
    #[error("`{spec}`: `{until}` is not a date such as 2027-01-31")]
    SpecDate {
        /// What was given.
        spec: String,
        /// The part after the last `:`.
        until: String,
    },
    /// The configuration file could not be read.
    #[error("cannot read the configuration `{}`", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The configuration file is not valid TOML of the expected shape.
    #[error("invalid configuration `{}`", path.display())]
    Toml {
        /// The file.
        path: PathBuf,
        /// What TOML said.
        #[source]
        source: toml::de::Error,
    },
    /// `expires` is neither a string nor a TOML date.
    #[error("`{}`: `expires` of `{id}` must be a date, not `{value}`", path.display())]
    ExpiresType {
        /// The file.
        path: PathBuf,
        /// The advisory id of the entry.
        id: String,
        /// The value given, as TOML.
        value: String,
    },
    /// `expires` is not a date.
    #[error("`{}`: `expires` of `{id}` is not a date such as 2027-01-31", path.display())]
    ExpiresDate {
        /// The file.
        path: PathBuf,
        /// The advisory id of the entry.
        id: String,
        /// Why it is not a date.
        #[source]
        source: jiff::Error,
    },
}

impl Ignore {
    /// Parses `ID[:REASON[:UNTIL]]`, as `mlsc deps --ignore-vuln` takes it. Advisory ids hold no `:`; a reason
    /// may, so UNTIL is the part after the last `:` when it is a date, and the reason is everything between.
    /// `ID:2027-01-31` is an expiry with no reason; a missing reason reads "ignored on the command line".
    ///
    /// # Errors
    ///
    /// [`IgnoreError::Spec`] for an empty id or one with spaces, [`IgnoreError::SpecDate`] for an UNTIL that
    /// looks like a date and is not one.
    ///
    /// ```
    /// let i = mlsc_deps::Ignore::parse_spec("GHSA-j8r2-6x86-q33q:no proxies: ever:2027-01-31")?;
    /// assert_eq!(i.reason, "no proxies: ever");
    /// assert_eq!(i.expires.map(|d| d.to_string()).as_deref(), Some("2027-01-31"));
    /// # Ok::<(), mlsc_deps::IgnoreError>(())
    /// ```
    pub fn parse_spec(s: &str) -> Result<Ignore, IgnoreError> {
        let (id, rest) = s.split_once(':').unwrap_or((s, ""));
        let id = id.trim();
        if id.is_empty() || id.contains(char::is_whitespace) {
            return Err(IgnoreError::Spec { spec: s.to_owned() });
        }
        let (reason, until) = match rest.rsplit_once(':') {
            Some((r, u)) => match u.trim().parse::<jiff::civil::Date>() {
                Ok(d) => (r, Some(d)),
                Err(_) if looks_like_date(u) => {
                    return Err(IgnoreError::SpecDate {
                        spec: s.to_owned(),
                        until: u.to_owned(),
                    });
                }
                Err(_) => (rest, None),
            },
            None => match rest.trim().parse::<jiff::civil::Date>() {
                // `ID:2027-01-31`: an expiry with no reason.
                Ok(d) if looks_like_date(rest) => ("", Some(d)),
                _ => (rest, None),
            },
        };
        let reason = if reason.trim().is_empty() {
            "ignored on the command line"
        } else {
            reason.trim()
        };
        Ok(Ignore::new(id, reason, until))
    }
}

fn looks_like_date(s: &str) -> bool {
    let s = s.trim();
    s.len() >= 8 && s.bytes().all(|b| b.is_ascii_digit() || b == b'-') && s.contains('-')
}

/// `[deps]` of `mlsc.toml`, read on its own so that dependency auditing needs no other section.
#[derive(Debug, Default, Deserialize)]
struct ConfigFile {
    #[serde(default)]
    deps: DepsConfig,
}

#[derive(Debug, Default, Deserialize)]
struct DepsConfig {
    #[serde(default)]
    ignore: Vec<IgnoreEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreEntry {
    id: String,
    reason: String,
    #[serde(default)]
    expires: Option<toml::Value>,
}

/// The ignores of `[deps] ignore = [{ id, reason, expires }]` in the `mlsc.toml` text `text` read from `path`
/// (named in errors). Other sections are not looked at. `expires` is a TOML date or a `YYYY-MM-DD` string.
///
/// # Errors
///
/// [`IgnoreError::Toml`] for a file that is not TOML or whose `[deps]` has unknown keys, and the `Expires*`
/// variants for an `expires` that is not a date.
///
/// ```
/// let text = "[deps]\nignore = [{ id = \"PYSEC-2024-1\", reason = \"not reachable\", expires = 2027-01-31 }]\n";
/// let ignores = mlsc_deps::ignores_from_config(text, "mlsc.toml".as_ref())?;
/// assert_eq!(ignores[0].id, "PYSEC-2024-1");
/// # Ok::<(), mlsc_deps::IgnoreError>(())
/// ```
pub fn ignores_from_config(text: &str, path: &Path) -> Result<Vec<Ignore>, IgnoreError> {
    let cfg: ConfigFile = toml::from_str(text).map_err(|source| IgnoreError::Toml {
        path: path.to_owned(),
        source,
    })?;
    let mut out = Vec::new();
    for e in cfg.deps.ignore {
        let expires = match e.expires {
            None => None,
            Some(v) => {
                let s = match v {
                    toml::Value::String(s) => s,
                    toml::Value::Datetime(d) => d.to_string(),
                    other => {
                        return Err(IgnoreError::ExpiresType {
                            path: path.to_owned(),
                            id: e.id,
                            value: other.to_string(),
                        });
                    }
                };
                Some(
                    s.parse::<jiff::civil::Date>()
                        .map_err(|source| IgnoreError::ExpiresDate {
                            path: path.to_owned(),
                            id: e.id.clone(),
                            source,
                        })?,
                )
            }
        };
        out.push(Ignore::new(&e.id, &e.reason, expires));
    }
    Ok(out)
}

/// [`ignores_from_config`] of the file at `path`.
///
/// # Errors
///
/// [`IgnoreError::Read`] when the file cannot be read, else those of [`ignores_from_config`].
pub fn load_ignores(path: &Path) -> Result<Vec<Ignore>, IgnoreError> {
    let text = fs_err::read_to_string(path).map_err(|source| IgnoreError::Read {
        path: path.to_owned(),
        source,
    })?;
    ignores_from_config(&text, path)
}

/// The ignores of `config` when given, else of `./mlsc.toml` when that file exists, else none: how `mlsc deps`
/// finds its `[deps] ignore` list.
///
/// # Errors
///
/// Those of [`load_ignores`].
pub fn load_ignores_or_default(config: Option<&Path>) -> Result<Vec<Ignore>, IgnoreError> {
    match config {
        Some(p) => load_ignores(p),
        None if Path::new("mlsc.toml").is_file() => load_ignores(Path::new("mlsc.toml")),
        None => Ok(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_forms() {
        let i = Ignore::parse_spec("PYSEC-1").expect("bare id");
        assert_eq!(
            (i.reason.as_str(), i.expires),
            ("ignored on the command line", None)
        );
        let i = Ignore::parse_spec("PYSEC-1:2027-01-31").expect("id and date");
        assert_eq!(i.reason, "ignored on the command line");
        assert!(i.expires.is_some());
        let i = Ignore::parse_spec("PYSEC-1:see http://x:1").expect("reason with colons");
        assert_eq!((i.reason.as_str(), i.expires), ("see http://x:1", None));
        assert!(matches!(
            Ignore::parse_spec("PYSEC-1:why:2027-13-45"),
            Err(IgnoreError::SpecDate { .. })
        ));
        assert!(matches!(
            Ignore::parse_spec(" :x"),
            Err(IgnoreError::Spec { .. })
        ));
    }

    #[test]
    fn config_dates_and_errors() {
        let p = Path::new("mlsc.toml");
        let ok = "[deps]\nignore = [{ id = \"A\", reason = \"r\", expires = \"2027-01-31\" }, { id = \"B\", reason = \"s\" }]\n[scan]\nallow = []\n";
        let v = ignores_from_config(ok, p).expect("valid");
        assert_eq!(v.len(), 2);
        assert_eq!(
            v[0].expires.map(|d| d.to_string()).as_deref(),
            Some("2027-01-31")
        );
        let bad = "[deps]\nignore = [{ id = \"A\", reason = \"r\", expires = 3 }]\n";
        let e = ignores_from_config(bad, p).expect_err("a number is no date");
        assert_eq!(
            e.to_string(),
            "`mlsc.toml`: `expires` of `A` must be a date, not `3`"
        );
        let unknown = "[deps]\nignore = [{ id = \"A\", reason = \"r\", until = 1 }]\n";
        assert!(matches!(
            ignores_from_config(unknown, p),
            Err(IgnoreError::Toml { .. })
        ));
        assert!(ignores_from_config("", p).expect("empty").is_empty());
    }
}
