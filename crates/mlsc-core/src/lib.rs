#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod digest;
mod error;
mod finding;
mod format;
mod io;
mod limits;
pub mod par;
pub mod pickle_ops;
mod range;
pub mod render;
mod report;
pub mod sarif;
mod sink;
mod verdict;

pub use crate::digest::{
    Sha256Digest, hex, sha256_file, sha256_files, sha256_files_to, sha256_reader,
};
pub use crate::error::Error;
pub use crate::finding::{Finding, Location, ParseSeverityError, Rule, Severity};
pub use crate::format::{Format, SNIFF_LEN, TORCH_LEGACY_MAGIC, pickle_protocol, sniff};
pub use crate::io::{create_new, parent_dir, write_atomic, write_new};
pub use crate::limits::Limits;
pub use crate::range::{FileSource, RangeSource, read_exact_at};
pub use crate::report::{
    Artifact, REPORT_SCHEMA, REPORT_SCHEMA_VERSION, Report, ReportError, SeverityCounts,
    Statistics, Tool,
};
pub use crate::sink::{Finished, NoSink, ScanSink, SharedSink, SinkReader};
pub use crate::verdict::{Assessment, Completeness, Verdict};
