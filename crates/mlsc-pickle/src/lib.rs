#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod pickle;
mod scan;

pub use crate::error::Error;
pub use crate::pickle::{
    AnalyseOptions, CallSummary, Disassembly, Instruction, PickleAnalysis, Policy, analyse_one,
    analyse_pickle, analyse_reader, disassemble,
};
pub use crate::scan::{
    NamedSource, ProgressFn, ScanOptions, scan_bytes, scan_paths, scan_source, scan_sources,
};

/// Every finding code this crate emits: the pickle analyser's, then the containers' and formats'.
pub fn rules() -> Vec<mlsc_core::Rule> {
    pickle::RULES.iter().chain(scan::RULES).copied().collect()
}
