//! The owned serde model of the CycloneDX subset mlsc emits (and reads back).
//!
//! Why our own types: `cyclonedx-bom` 0.8.1 stops at spec 1.5 and serialises its ML types invalidly (dataset
//! references as bare strings, `data` as an object, `sensitiveData` as a string, governance owners mis-cased).
//! The shapes here follow `bom-1.6.schema.json` and `bom-1.7.schema.json` field by field; fields we never emit but
//! that other tools write are kept in `extra` maps, so a BOM read with these types and written again loses nothing.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The CycloneDX specification version of a BOM we write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SpecVersion {
    /// CycloneDX 1.6, the default: the first version with complete ML-BOM support.
    #[default]
    V1_6,
    /// CycloneDX 1.7.
    V1_7,
}

impl SpecVersion {
    /// `"1.6"` or `"1.7"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SpecVersion::V1_6 => "1.6",
            SpecVersion::V1_7 => "1.7",
        }
    }

    /// The `$schema` URL of this version.
    pub fn schema_url(self) -> &'static str {
        match self {
            SpecVersion::V1_6 => "http://cyclonedx.org/schema/bom-1.6.schema.json",
            SpecVersion::V1_7 => "http://cyclonedx.org/schema/bom-1.7.schema.json",
        }
    }
}

impl fmt::Display for SpecVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SpecVersion {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "1.6" => Ok(SpecVersion::V1_6),
            "1.7" => Ok(SpecVersion::V1_7),
            other => Err(format!(
                "unsupported CycloneDX version `{other}` (expected 1.6 or 1.7)"
            )),
        }
    }
}

/// A CycloneDX BOM (JSON).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Bom {
    /// The JSON Schema URL of the spec version.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Always `CycloneDX`.
    pub bom_format: String,
    /// `1.6` or `1.7` when we write it; any version when we read.
    pub spec_version: String,
    /// `urn:uuid:…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
    /// The BOM's version, 1 for a new BOM.
    #[serde(default = "one")]
    pub version: u32,
    /// When, by what and about what the BOM was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// The components.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
    /// The dependency graph.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<BomDependency>,
    /// Known vulnerabilities of the components.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vulnerabilities: Vec<BomVulnerability>,
    /// Fields of the spec we read but do not model (services, compositions, …), kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn one() -> u32 {
    1
}

/// BOM metadata.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Metadata {
    /// RFC 3339 creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// The tools that made the BOM (1.5+ object form when we write; any form when we read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Value>,
    /// The thing the BOM describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<Box<Component>>,
    /// Name-value properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
    /// Fields we do not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `type` of a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)] // the names are the spec's
#[non_exhaustive]
pub enum ComponentType {
    Application,
    Framework,
    Library,
    Container,
    Platform,
    OperatingSystem,
    Device,
    DeviceDriver,
    Firmware,
    File,
    MachineLearningModel,
    Data,
    CryptographicAsset,
}

/// A component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Component {
    /// What kind of component.
    #[serde(rename = "type")]
    pub kind: ComponentType,
    /// The MIME type, for files.
    #[serde(rename = "mime-type", default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The identifier other parts of the BOM use.
    #[serde(rename = "bom-ref", default, skip_serializing_if = "Option::is_none")]
    pub bom_ref: Option<String>,
    /// The publisher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// The namespace (Hugging Face organisation, Maven group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The name.
    pub name: String,
    /// The exact version; never a specifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `required`, `optional` or `excluded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Digests of the component.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<Hash>,
    /// Licences.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<LicenseChoice>,
    /// The package URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// Where the component comes from or is documented.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_references: Vec<ExternalReference>,
    /// Name-value properties (`mlsc:scan:verdict`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
    /// Sub-components (the files of a model directory).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
    /// Ancestors (a fine-tuned model's base model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pedigree: Option<Pedigree>,
    /// The model card; only on `machine-learning-model` components.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_card: Option<ModelCard>,
    /// What the data is; for `data` components. An array in the schema.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<ComponentData>,
    /// Fields we do not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Component {
    /// A component of type `kind` named `name`, with nothing else set.
    pub fn new(kind: ComponentType, name: impl Into<String>) -> Self {
        Component {
            kind,
            mime_type: None,
            bom_ref: None,
            publisher: None,
            group: None,
            name: name.into(),
            version: None,
            description: None,
            scope: None,
            hashes: Vec::new(),
            licenses: Vec::new(),
            purl: None,
            external_references: Vec::new(),
            properties: Vec::new(),
            components: Vec::new(),
            pedigree: None,
            model_card: None,
            data: Vec::new(),
            extra: Map::new(),
        }
    }

    /// Adds the property `name` = `value`.
    pub fn push_property(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.properties.push(Property {
            name: name.into(),
            value: Some(value.into()),
        });
    }

    /// This component and every nested one (sub-components and pedigree ancestors), depth first.
    pub fn walk(&self) -> Vec<&Component> {
        let mut out = vec![self];
        for c in &self.components {
            out.extend(c.walk());
        }
        if let Some(p) = &self.pedigree {
            for c in &p.ancestors {
                out.extend(c.walk());
            }
        }
        out
    }
}

/// A digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Hash {
    /// `SHA-256`, `SHA-512`, …
    pub alg: String,
    /// Lowercase hex.
    pub content: String,
}

impl Hash {
    /// A SHA-256 digest in hex.
    pub fn sha256(hex: impl Into<String>) -> Self {
        Hash {
            alg: "SHA-256".to_owned(),
            content: hex.into(),
        }
    }

    /// A digest with this spec algorithm name (`SHA-384`, …) in hex.
    pub fn new(alg: impl Into<String>, hex: impl Into<String>) -> Self {
        Hash {
            alg: alg.into(),
            content: hex.into(),
        }
    }
}

/// One entry of a `licenses` array: a licence, or a single SPDX expression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LicenseChoice {
    /// `{"license": {...}}`.
    License {
        /// The licence.
        license: License,
    },
    /// `{"expression": "MIT OR Apache-2.0"}`.
    Expression {
        /// The SPDX expression.
        expression: String,
        /// Fields we do not model, kept verbatim.
        #[serde(flatten)]
        extra: Map<String, Value>,
    },
}

/// A licence: an SPDX id, or a name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct License {
    /// A valid SPDX licence id; never anything else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The licence's name when it has no SPDX id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where the licence text is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Fields we do not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl LicenseChoice {
    /// A licence with an SPDX id (the caller checked it).
    pub fn spdx(id: impl Into<String>) -> Self {
        LicenseChoice::License {
            license: License {
                id: Some(id.into()),
                ..License::default()
            },
        }
    }

    /// A named licence.
    pub fn named(name: impl Into<String>, url: Option<String>) -> Self {
        LicenseChoice::License {
            license: License {
                name: Some(name.into()),
                url,
                ..License::default()
            },
        }
    }

    /// An SPDX expression.
    pub fn expression(expression: impl Into<String>) -> Self {
        LicenseChoice::Expression {
            expression: expression.into(),
            extra: Map::new(),
        }
    }
}

/// A link to something outside the BOM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ExternalReference {
    /// `website`, `distribution`, `vcs`, `documentation`, `advisories`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The URL.
    pub url: String,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Fields we do not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ExternalReference {
    /// A reference of type `kind` to `url`.
    pub fn new(kind: impl Into<String>, url: impl Into<String>) -> Self {
        ExternalReference {
            kind: kind.into(),
            url: url.into(),
            comment: None,
            extra: Map::new(),
        }
    }
}

/// A name-value pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Property {
    /// The name, `mlsc:scan:verdict`.
    pub name: String,
    /// The value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl Property {
    /// The property `name` = `value`.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Property {
            name: name.into(),
            value: Some(value.into()),
        }
    }
}

/// A component's pedigree.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Pedigree {
    /// What it was derived from: a fine-tuned model's base model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ancestors: Vec<Component>,
    /// Fields we do not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One entry of the dependency graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BomDependency {
    /// The bom-ref of the dependent.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The bom-refs it depends on. Written even when empty: the spec says a component without dependencies is
    /// declared with an empty list, and an absent one means "unknown".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<Vec<String>>,
    /// Fields we do not model (`provides`), kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl BomDependency {
    /// `reference` depends on `depends_on`.
    pub fn new(reference: impl Into<String>, depends_on: Vec<String>) -> Self {
        BomDependency {
            reference: reference.into(),
            depends_on: Some(depends_on),
            extra: Map::new(),
        }
    }
}

/// A model card (CycloneDX `modelCard`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ModelCard {
    /// An identifier.
    #[serde(rename = "bom-ref", default, skip_serializing_if = "Option::is_none")]
    pub bom_ref: Option<String>,
    /// How the model was built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_parameters: Option<ModelParameters>,
    /// Evaluation results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantitative_analysis: Option<QuantitativeAnalysis>,
    /// Users, uses, limitations, ethics, environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub considerations: Option<Considerations>,
    /// Name-value properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
}

/// `modelCard.modelParameters`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ModelParameters {
    /// The learning approach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approach: Option<Approach>,
    /// The task (`text-classification`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// The architecture family (`bert`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture_family: Option<String>,
    /// The architecture (`BertForMaskedLM`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_architecture: Option<String>,
    /// The datasets: references to `data` components, or inline.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub datasets: Vec<DatasetChoice>,
    /// Input formats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<MlFormat>,
    /// Output formats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<MlFormat>,
}

/// `modelParameters.approach`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Approach {
    /// `supervised`, `unsupervised`, `reinforcement-learning`, `semi-supervised` or `self-supervised`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A dataset of a model card: `{"ref": "…"}` or an inline `componentData`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DatasetChoice {
    /// A reference to a `data` component (an object, never a bare string).
    Ref(DatasetRef),
    /// The dataset described inline.
    Inline(Box<ComponentData>),
}

/// `{"ref": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DatasetRef {
    /// The bom-ref of a `data` component (or a BOM-Link).
    #[serde(rename = "ref")]
    pub reference: String,
}

impl DatasetChoice {
    /// A reference to the component with bom-ref `reference`.
    pub fn reference(reference: impl Into<String>) -> Self {
        DatasetChoice::Ref(DatasetRef {
            reference: reference.into(),
        })
    }
}

/// An input or output of a model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MlFormat {
    /// The format (`string`, `image`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}

impl MlFormat {
    /// A format.
    pub fn new(format: impl Into<String>) -> Self {
        MlFormat {
            format: Some(format.into()),
        }
    }
}

/// `modelCard.quantitativeAnalysis`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QuantitativeAnalysis {
    /// Metrics.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub performance_metrics: Vec<PerformanceMetric>,
    /// Graphics, kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graphics: Option<Value>,
}

/// One performance metric.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PerformanceMetric {
    /// The metric (`accuracy`).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Its value, as text (the schema says string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The slice it was computed on (dataset, split, subset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slice: Option<String>,
    /// A confidence interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence_interval: Option<ConfidenceInterval>,
}

/// A confidence interval.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConfidenceInterval {
    /// Lower bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower_bound: Option<String>,
    /// Upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper_bound: Option<String>,
}

/// `modelCard.considerations`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Considerations {
    /// Intended users.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<String>,
    /// Intended uses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub use_cases: Vec<String>,
    /// Known technical limitations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub technical_limitations: Vec<String>,
    /// Performance trade-offs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub performance_tradeoffs: Vec<String>,
    /// Ethical risks and their mitigations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ethical_considerations: Vec<Risk>,
    /// Environmental considerations, kept verbatim (energy consumptions are structured objects we do not build).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environmental_considerations: Option<Value>,
    /// Fairness assessments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fairness_assessments: Vec<FairnessAssessment>,
}

/// An ethical risk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Risk {
    /// The risk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// How it is addressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mitigation_strategy: Option<String>,
}

/// A fairness assessment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FairnessAssessment {
    /// The group at risk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_at_risk: Option<String>,
    /// Benefits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub benefits: Option<String>,
    /// Harms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub harms: Option<String>,
    /// Mitigation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mitigation_strategy: Option<String>,
}

/// `componentData`: what a `data` component (or an inline dataset) is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ComponentData {
    /// An identifier.
    #[serde(rename = "bom-ref", default, skip_serializing_if = "Option::is_none")]
    pub bom_ref: Option<String>,
    /// `source-code`, `configuration`, `dataset`, `definition` or `other`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The dataset's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where the data is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contents: Option<DataContents>,
    /// Its classification (`public`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<String>,
    /// Descriptions of sensitive data in it: an array of strings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sensitive_data: Vec<String>,
    /// Graphics, kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graphics: Option<Value>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who owns, stewards and keeps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub governance: Option<DataGovernance>,
}

impl ComponentData {
    /// A `dataset` named `name`.
    pub fn dataset(name: impl Into<String>) -> Self {
        ComponentData {
            bom_ref: None,
            kind: "dataset".to_owned(),
            name: Some(name.into()),
            contents: None,
            classification: None,
            sensitive_data: Vec::new(),
            graphics: None,
            description: None,
            governance: None,
        }
    }
}

/// `componentData.contents`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DataContents {
    /// An attachment, kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Value>,
    /// Where the data can be fetched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Configuration properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
}

/// `componentData.governance`: lowercase `custodians`, `stewards`, `owners`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DataGovernance {
    /// Custodians.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custodians: Vec<ResponsibleParty>,
    /// Stewards.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stewards: Vec<ResponsibleParty>,
    /// Owners.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<ResponsibleParty>,
}

/// An organisation or a contact responsible for data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponsibleParty {
    /// The organisation, kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Value>,
    /// The individual, kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Value>,
}

/// A vulnerability of a component.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BomVulnerability {
    /// An identifier.
    #[serde(rename = "bom-ref", default, skip_serializing_if = "Option::is_none")]
    pub bom_ref: Option<String>,
    /// The advisory id (`GHSA-…`, `PYSEC-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Where it is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<VulnSource>,
    /// Aliases (CVE, PYSEC, GHSA ids of the same vulnerability).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<VulnReference>,
    /// Severity ratings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ratings: Vec<VulnRating>,
    /// The summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What to do: the fix version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
    /// Links to the advisory.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advisories: Vec<VulnAdvisory>,
    /// Publication time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Last modification time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// The affected components, by bom-ref.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affects: Vec<VulnAffect>,
    /// Fields we do not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A vulnerability source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VulnSource {
    /// `OSV`, `NVD`, `GitHub`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Fields we do not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Another id of the same vulnerability.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VulnReference {
    /// The id.
    pub id: String,
    /// Where it is published.
    pub source: VulnSource,
    /// Fields we do not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A severity rating.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VulnRating {
    /// The score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// `critical`, `high`, `medium`, `low`, `info`, `none`, `unknown`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// `CVSSv31`, `CVSSv4`, `other`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The vector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vector: Option<String>,
    /// Fields we do not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An advisory link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VulnAdvisory {
    /// The URL.
    pub url: String,
    /// Fields we do not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An affected component.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VulnAffect {
    /// Its bom-ref.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Which versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<VulnAffectedVersion>,
    /// Fields we do not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An affected version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VulnAffectedVersion {
    /// The version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// A `vers:` range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<String>,
    /// `affected`, `unaffected`, `unknown`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Fields we do not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
