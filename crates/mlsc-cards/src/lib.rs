#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod card;
mod croissant;
mod error;
mod frontmatter;
mod lines;
mod lint;
mod markdown;
mod mct;
mod rules;
mod vocab;
mod yaml;

pub use crate::card::{
    DatasetCard, EvalResult, ModelCard, ModelIndexError, ParseLimits, model_index_to_eval_results,
};
pub use crate::error::Error;
pub use crate::lint::{CardKind, CardReport, HubLoad, LintOptions, lint_bytes};
pub use crate::markdown::Section;
pub use crate::mct::MctSchemas;
pub use crate::rules::RULES;
pub use crate::vocab::Vocabularies;

/// Every finding code mlsc-cards emits, for SARIF rules and `mlsc explain`.
pub fn rules() -> &'static [mlsc_core::Rule] {
    RULES
}
