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
}
