//! CycloneDX 1.6/1.7 ML-BOMs: the owned serde model, model directories and Python projects as components,
//! validation without the JSON Schemas at run time, reproducible output, and the incident-response search.

mod affected;
mod build;
mod card;
mod card_source;
mod licenses;
mod model;
mod model_dir;
mod python;
mod render;
pub(crate) mod rules;
mod tree;
mod validate;
mod vulns;

pub use self::affected::{
    AffectedComponent, MatchKind, PackageQuery, affected_by_bom_vulnerabilities,
    affected_components,
};
pub use self::build::{
    BomOptions, BomOutput, ListedModel, ListedModelFile, bom_for_path, bom_to_json, finish,
    listed_model_bom, model_dir_bom, project_bom,
};
pub use self::licenses::{hub_license, hub_license_ids, is_valid_spdx_id};
pub use self::model::{
    Approach, Bom, BomDependency, BomVulnerability, Component, ComponentData, ComponentType,
    ConfidenceInterval, Considerations, DataContents, DataGovernance, DatasetChoice, DatasetRef,
    ExternalReference, FairnessAssessment, Hash, License, LicenseChoice, Metadata, MlFormat,
    ModelCard, ModelParameters, Pedigree, PerformanceMetric, Property, QuantitativeAnalysis,
    ResponsibleParty, Risk, SpecVersion, VulnAdvisory, VulnAffect, VulnAffectedVersion, VulnRating,
    VulnReference, VulnSource,
};
pub use self::model_dir::directory_digest;
pub use self::render::{AffectedSearch, FileValidations, affected_human, validate_files};
pub use self::validate::{Validation, validate_bom_json, validate_bom_value};
pub use self::vulns::{add_vulnerabilities, affected_by_advisory, database_knows, dependency_bom};

/// Every finding code of BOM building and validation.
pub fn bom_rules() -> &'static [mlsc_core::Rule] {
    rules::RULES
}
