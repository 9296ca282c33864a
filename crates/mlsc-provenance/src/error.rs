//! The error type of mlsc-provenance: what stopped a check from running at all. Differences found by a check
//! (a file added, a digest that does not match) are findings, never errors.

use std::path::PathBuf;

/// An error of mlsc-provenance.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("cannot access `{}`", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A symbolic link was met while symlinks are not allowed.
    #[error("`{}` is a symbolic link (symlinks are refused unless allowed)", path.display())]
    Symlink {
        /// The link.
        path: PathBuf,
    },
    /// Something that is neither a regular file nor a directory (a socket, a FIFO, a device).
    #[error("`{}` is neither a regular file nor a directory", path.display())]
    NotFileOrDirectory {
        /// The path.
        path: PathBuf,
    },
    /// A path that cannot be recorded safely: not UTF-8, or two names that normalise to one.
    #[error("unsafe path `{path}`: {reason}")]
    UnsafePath {
        /// The path, relative to the model root (lossy when it is not UTF-8).
        path: String,
        /// Why it is refused.
        reason: String,
    },
    /// An ignore pattern that is not a valid glob.
    #[error("invalid ignore pattern `{pattern}`")]
    Pattern {
        /// The pattern.
        pattern: String,
        /// The cause.
        #[source]
        source: globset::Error,
    },
    /// A key file that cannot be used.
    #[error("cannot use key `{}`", path.display())]
    Key {
        /// The key file.
        path: PathBuf,
        /// What is wrong with it.
        #[source]
        source: crate::KeyError,
    },
    /// A certificate file that cannot be parsed.
    #[error("cannot use certificate file `{}`: {reason}", path.display())]
    Certificate {
        /// The certificate file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A signature, attestation, DVC or Croissant file that cannot be parsed at all.
    #[error("malformed {kind} `{}`: {reason}", path.display())]
    Malformed {
        /// What the file should have been: `signature bundle`, `dvc file`, `croissant file`.
        kind: &'static str,
        /// The file.
        path: PathBuf,
        /// What is wrong, with the line or byte offset when known.
        reason: String,
    },
    /// A file larger than the limit for its kind.
    #[error("`{}` is too large to parse ({size} bytes, limit {limit})", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// An option value that cannot be used.
    #[error("invalid option: {0}")]
    InvalidOption(String),
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
