use std::path::PathBuf;

/// An error of mlsc-audit: the audited path or the configuration could not be read.
///
/// What a check could not analyse is not an error: it is in the report (a gap, an input error), which never
/// passes it as clean.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The audited path cannot be read.
    #[error("cannot audit `{}`", path.display())]
    Target {
        /// The path given.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A folder under the audited path cannot be listed.
    #[error(transparent)]
    Walk(std::io::Error),
    /// The configuration file cannot be read.
    #[error("cannot read the configuration `{}`", path.display())]
    ReadConfig {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The configuration file is not a valid `mlsc.toml`.
    #[error("invalid configuration `{}`", path.display())]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        #[source]
        source: ConfigError,
    },
}

/// What is wrong with the text of an `mlsc.toml`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// It is not TOML, or a key or value does not fit the documented shape.
    #[error(transparent)]
    Toml(#[from] toml::de::Error),
    /// A value is out of its range or inconsistent with another (`warn_on` above `fail_on`, …).
    #[error("{0}")]
    Invalid(String),
}
