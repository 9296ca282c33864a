#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod ignore;
mod render;
mod requirements;
mod vuln;

pub use crate::error::Error;
pub use crate::ignore::{IgnoreError, ignores_from_config, load_ignores};
pub use crate::render::read_projects;
pub use crate::requirements::{
    Dependency, DependencyKind, DependencySet, Diagnostic, FileHash, FixEdit, FixPlan,
    IndexOptions, Input, InputFormat, Platform, Project, ReadOptions, Source, Target,
    environment_python_version, normalize_name, parse_text, plan_fixes, read_file, read_project,
    read_project_with,
};
pub use crate::vuln::{
    Advisory, AffectedPackage, Audit, AuditOptions, DATABASE_FILE, Database, DatabaseInfo,
    DepsJson, DepsSection, Event, Exposure, Ignore, IgnoredMatch, RangeEvents, VulnMatch,
    VulnerabilityEntry, audit, default_database_path, rules,
};
