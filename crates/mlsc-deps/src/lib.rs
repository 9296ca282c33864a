#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod ignore;
mod render;
mod requirements;
mod vuln;

/// The finding codes of this crate, one [`mlsc_core::Rule`] constant per code (`MLSC-DEP-*`), named after the
/// rule's name: `MLSC-DEP-001` (`vulnerable-dependency`) is [`rules::VULNERABLE_DEPENDENCY`].
pub mod rules {
    pub use crate::vuln::rules::*;
}

pub use crate::error::Error;
pub use crate::ignore::{IgnoreError, ignores_from_config, load_ignores, load_ignores_or_default};
pub use crate::render::read_projects;
pub use crate::requirements::{
    Dependency, DependencyKind, DependencySet, Diagnostic, FileHash, FixEdit, FixPlan,
    IndexOptions, Input, InputFormat, Platform, Project, ReadOptions, Source, Target,
    environment_python_version, normalize_name, parse_text, plan_fixes, read_file, read_project,
    read_project_with,
};
pub use crate::vuln::rules::rules;
pub use crate::vuln::{
    Advisory, AffectedPackage, Audit, AuditOptions, DATABASE_FILE, Database, DatabaseInfo,
    DepsJson, DepsSection, Event, Exposure, Ignore, IgnoredMatch, RangeEvents, VulnMatch,
    VulnerabilityEntry, audit, default_database_path, open_database,
};
// The mlsc-core types this crate's API takes and returns, so that a caller needs no direct dependency on it.
pub use mlsc_core::{Finding, Location, Report, Severity};
/// The PEP 440 versions and specifiers of [`Dependency`] and [`Advisory`] (the `pep440_rs` crate).
pub use pep440_rs as pep440;
