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
    /// A target environment given for marker evaluation is not valid.
    #[error("invalid target environment `{value}`: {reason}")]
    InvalidTarget {
        /// The value given.
        value: String,
        /// Why it is invalid.
        reason: String,
    },
    /// A path given to read does not exist or is neither a file nor a folder.
    #[error("`{path}` does not exist")]
    NotFound {
        /// The path.
        path: String,
    },
    /// An advisory database could not be loaded.
    #[error("cannot load the advisory database `{path}`: {reason}")]
    Database {
        /// The file or folder.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// A requirements file could not be rewritten.
    #[error("cannot rewrite `{path}`: {reason}")]
    Fix {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
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
