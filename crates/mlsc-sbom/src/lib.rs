#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod bom;
mod error;
mod requirements;
mod vuln;

pub use crate::error::Error;
pub use crate::requirements::{
    Dependency, DependencyKind, DependencySet, Diagnostic, FileHash, FixEdit, FixPlan, IndexOptions, Input,
    InputFormat, Platform, Project, ReadOptions, Source, Target, normalize_name, plan_fixes, read_file,
    read_project, read_project_with,
};
pub use crate::vuln::{
    Advisory, AffectedPackage, Audit, AuditOptions, Database, DatabaseInfo, DepsJson, DepsSection, Event, Ignore,
    Exposure, IgnoredMatch, RangeEvents, VulnMatch, VulnerabilityEntry, audit, rules as deps_rules,
};
