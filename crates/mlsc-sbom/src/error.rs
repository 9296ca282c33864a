/// An error of mlsc-sbom.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading an input failed.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The input.
        path: std::path::PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A path given to read does not exist or is neither a file nor a folder.
    #[error("`{}` does not exist", path.display())]
    NotFound {
        /// The path.
        path: std::path::PathBuf,
    },
    /// Reading a Python project or the advisory database failed.
    #[error(transparent)]
    Deps(#[from] mlsc_deps::Error),
    /// A model directory path is not a directory.
    #[error("`{}` is not a directory", path.display())]
    NotADirectory {
        /// The path.
        path: std::path::PathBuf,
    },
    /// A Hugging Face cache repository folder has several snapshots and no `refs/main` naming one.
    #[error(
        "`{}` has several snapshots and no refs/main: name one of its `snapshots/<revision>` folders",
        path.display()
    )]
    AmbiguousSnapshot {
        /// The cache repository folder.
        path: std::path::PathBuf,
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
