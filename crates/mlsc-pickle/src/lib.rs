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
    AnalyseOptions, CallSummary, Disassembly, Instruction, PickleAnalysis, Policy, analyse_one,
    analyse_pickle, analyse_reader, disassemble,
};
pub use crate::scan::member_path::{MemberKind, MemberPaths, PathProblem};
pub use crate::scan::{
    NamedSource, ProgressFn, ScanOptions, repository_findings, scan_bytes, scan_paths, scan_source,
    scan_sources,
};

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
