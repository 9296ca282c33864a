#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod bom;
mod error;

pub use crate::bom::{
    AffectedComponent, AffectedSearch, Approach, Bom, BomDependency, BomOptions, BomOutput,
    BomVulnerability, Component, ComponentData, ComponentType, ConfidenceInterval, Considerations,
    DataContents, DataGovernance, DatasetChoice, DatasetRef, ExternalReference, FairnessAssessment,
    FileValidations, Hash, License, LicenseChoice, ListedModel, ListedModelFile, MatchKind,
    Metadata, MlFormat, ModelCard, ModelParameters, PackageQuery, Pedigree, PerformanceMetric,
    Property, QuantitativeAnalysis, ResponsibleParty, Risk, SpecVersion, Validation, VulnAdvisory,
    VulnAffect, VulnAffectedVersion, VulnRating, VulnReference, VulnSource, add_vulnerabilities,
    affected_by_advisory, affected_by_bom_vulnerabilities, affected_components, affected_human,
    bom_for_path, bom_rules, bom_to_json, database_knows, dependency_bom, directory_digest, finish,
    hub_license, hub_license_ids, is_valid_spdx_id, listed_model_bom, model_dir_bom, project_bom,
    validate_bom_json, validate_bom_value, validate_files,
};
pub use crate::error::Error;

/// The finding codes of BOM building and validation, one [`mlsc_core::Rule`] constant per code (`MLSC-BOM-*`),
/// named after the rule's name: `MLSC-BOM-002` (`unreadable-file`) is [`rules::UNREADABLE_FILE`].
pub mod rules {
    pub use crate::bom::rules::*;
}
// Requirements and OSV matching live in mlsc-deps (a tool that only audits dependencies needs nothing else of
// ours); their types appear in this crate's API, so they are re-exported under the names they always had.
pub use mlsc_deps::{
    Advisory, AffectedPackage, Audit, AuditOptions, DATABASE_FILE, Database, DatabaseInfo,
    DepsJson, DepsSection, Event, Exposure, Ignore, IgnoredMatch, RangeEvents, VulnMatch,
    VulnerabilityEntry, audit, default_database_path, rules as deps_rules,
};
pub use mlsc_deps::{
    Dependency, DependencyKind, DependencySet, Diagnostic, FileHash, FixEdit, FixPlan,
    IndexOptions, Input, InputFormat, Platform, Project, ReadOptions, Source, Target,
    normalize_name, parse_text, plan_fixes, read_file, read_project, read_project_with,
};
// The mlsc-core types this crate's API takes and returns, so that a caller needs no direct dependency on it.
pub use mlsc_core::{Finding, Limits, Location, Severity, Verdict};
/// The PEP 440 versions and specifiers of [`Dependency`] and [`Advisory`] (the `pep440_rs` crate).
pub use mlsc_deps::pep440;
