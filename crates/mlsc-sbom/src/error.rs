/// An error of mlsc-sbom.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading an input failed.
    #[error("cannot read `{path}`")]
    Io {
        /// The input.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A path given to read does not exist or is neither a file nor a folder.
    #[error("`{path}` does not exist")]
    NotFound {
        /// The path.
        path: String,
    },
    /// Reading a Python project or the advisory database failed.
    #[error(transparent)]
    Deps(#[from] mlsc_deps::Error),
    /// A model directory path is not a directory.
    #[error("`{path}` is not a directory")]
    NotADirectory {
        /// The path.
        path: String,
    },
    /// A Hugging Face cache repository folder has several snapshots and no `refs/main` naming one.
    #[error(
        "`{path}` has several snapshots and no refs/main: name one of its `snapshots/<revision>` folders"
    )]
    AmbiguousSnapshot {
        /// The cache repository folder.
        path: String,
    },
    /// A package query (`NAME[SPECIFIER]`) could not be parsed.
    #[error("invalid package query `{query}`: {reason}")]
    BadQuery {
        /// The query.
        query: String,
        /// Why.
        reason: String,
    },
}
