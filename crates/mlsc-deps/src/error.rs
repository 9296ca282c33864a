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
