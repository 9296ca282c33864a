//! Offline vulnerability matching: OSV advisories (a folder of JSON files, OSV's `all.zip` export, or JSON lines)
//! indexed by PEP 503 name and matched with exact PEP 440 semantics, plus the dependency hygiene checks, as an
//! mlsc-core [`Report`](mlsc_core::Report).

mod audit;
mod cvss;
mod db;
mod matching;
pub(crate) mod rules;

pub use self::audit::{
    Audit, AuditOptions, DepsJson, DepsSection, Ignore, IgnoredMatch, VulnerabilityEntry, audit,
};
pub use self::db::{
    Advisory, AffectedPackage, DATABASE_FILE, Database, DatabaseInfo, Event, RangeEvents,
    default_database_path, open_database,
};
pub use self::matching::{Exposure, VulnMatch};
