#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod code;
mod config;
mod error;
mod pickle;
mod scan;

pub use crate::error::Error;
pub use crate::pickle::{
    AnalyseOptions, CallSummary, Disassembly, Instruction, Listing, PickleAnalysis, Policy,
    analyse_one, analyse_pickle, analyse_reader, disassemble,
};
pub use crate::scan::member_path::{MemberKind, MemberPaths, PathProblem};
pub use crate::scan::{
    NamedSource, ProgressFn, ScanOptions, read_location, read_member, repository_findings,
    scan_bytes, scan_paths, scan_source, scan_sources,
};
// The mlsc-core types this crate's API takes and returns, so that a caller needs no direct dependency on it.
pub use mlsc_core::{
    Assessment, Completeness, Finding, Format, Limits, Location, RangeSource, Report, Severity,
    Verdict,
};

/// The finding codes of this crate, one [`mlsc_core::Rule`] constant per code: the pickle analyser's
/// (`MLSC-PKL`), the containers' and formats' (`MLSC-SCAN`, `MLSC-ZIP`, `MLSC-NPY`, `MLSC-ARC`, `MLSC-ST`,
/// `MLSC-GGUF`, `MLSC-ONNX`, `MLSC-KERAS`, ...), the Python code checks' (`MLSC-CODE`) and the config
/// analyser's (`MLSC-CFG`). Each constant is named after its rule's name: `MLSC-PKL-001`
/// (`dangerous-callable-invoked`) is [`rules::DANGEROUS_CALLABLE_INVOKED`].
pub mod rules {
    pub use crate::code::rules::*;
    pub use crate::config::rules::*;
    pub use crate::pickle::rules::*;
    pub use crate::scan::rules::*;
}

/// Every finding code this crate emits: the pickle analyser's, then the containers' and formats', then the Python
/// code checks', then the config analyser's.
pub fn rules() -> Vec<mlsc_core::Rule> {
    pickle::RULES
        .iter()
        .chain(scan::RULES)
        .chain(code::RULES)
        .chain(config::RULES)
        .copied()
        .collect()
}
