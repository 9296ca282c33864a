/// An error of mlsc-pickle.
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
    /// An archive member could not be opened (`mlsc disasm file!member`).
    #[error("cannot open member `{member}` of `{path}`: {reason}")]
    Member {
        /// The file.
        path: String,
        /// The member asked for.
        member: String,
        /// Why.
        reason: String,
    },
}
