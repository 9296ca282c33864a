/// An error of mlsc-deps.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A target environment given for marker evaluation is not valid.
    #[error("invalid target environment `{value}`: {reason}")]
    InvalidTarget {
        /// The value given.
        value: String,
        /// Why it is invalid.
        reason: String,
    },
    /// A path given to read does not exist or is neither a file nor a folder.
    #[error("`{}` does not exist", path.display())]
    NotFound {
        /// The path.
        path: std::path::PathBuf,
    },
    /// An advisory database could not be loaded.
    #[error("cannot load the advisory database `{path}`: {reason}")]
    Database {
        /// The file or folder.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// No database was named and there is no cache folder to look in ([`open_database`](crate::open_database)).
    #[error(
        "no advisory database: neither --db nor MLSC_DB is set and there is no cache folder (XDG_CACHE_HOME or \
         HOME); run `mlsc db update` or pass `--db PATH`"
    )]
    NoDatabaseLocation,
    /// The database named, or the default one, does not exist ([`open_database`](crate::open_database)).
    #[error(
        "no advisory database at `{}`: run `mlsc db update` to download OSV's PyPI advisories, or pass `--db PATH` \
         (a folder of OSV JSON, an OSV all.zip, or JSON lines); nothing was checked",
        path.display()
    )]
    NoDatabaseAt {
        /// Where it was looked for.
        path: std::path::PathBuf,
    },
    /// Nothing to audit was found in the paths given ([`Project::require_inputs`](crate::Project::require_inputs)).
    #[error(
        "nothing to audit in {paths}: no requirements file, pyproject.toml, lock file or installed environment found"
    )]
    NothingToAudit {
        /// The paths, quoted and joined.
        paths: String,
    },
    /// A requirements file could not be rewritten.
    #[error("cannot rewrite `{}`", path.display())]
    Fix {
        /// The file.
        path: std::path::PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
}
