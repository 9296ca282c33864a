//! The error type of mlsc-cards.

use std::path::PathBuf;

/// An error of mlsc-cards: a card that cannot be read or parsed at all.
///
/// Defects inside a card that still parses are findings, not errors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading a file failed.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The card is UTF-16 (it starts with a UTF-16 byte-order mark); the Hub reads cards as UTF-8 only.
    #[error(
        "the card is UTF-16 ({endian} byte-order mark at offset 0); the hub reads cards as UTF-8 only"
    )]
    Utf16 {
        /// `little-endian` or `big-endian`.
        endian: &'static str,
    },
    /// The card is not valid UTF-8.
    #[error("the card is not valid UTF-8 at byte offset {offset}")]
    NotUtf8 {
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// The input is larger than the limit.
    #[error("the {what} is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// `card`, `front matter`, `JSON document`.
        what: &'static str,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The YAML front matter does not parse.
    #[error("front matter YAML does not parse at line {line}: {message}")]
    Yaml {
        /// 1-based line in the card file.
        line: u32,
        /// The parser's message.
        message: String,
    },
    /// The front matter parses but is not a mapping (`MLSC-CARD-001`).
    #[error("front matter at line {line} is a {found}, not a mapping")]
    NotAMapping {
        /// 1-based line of the front matter in the card file.
        line: u32,
        /// What it is instead: `list`, `string`, …
        found: &'static str,
    },
    /// A JSON card (Model Card Toolkit, Croissant) does not parse.
    #[error("JSON does not parse at line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// A directory given to `init` or `Vocabularies::load` is unusable.
    #[error("`{}`: {message}", path.display())]
    Input {
        /// The path.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
}
