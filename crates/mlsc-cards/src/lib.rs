#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod card;
mod croissant;
mod error;
mod frontmatter;
mod init;
mod jsonpos;
mod lines;
mod lint;
mod markdown;
mod mct;
mod render;
pub mod rules;
mod score;
mod vocab;
mod yaml;

pub use crate::card::{
    DatasetCard, EvalResult, ModelCard, ModelIndexError, ParseLimits, model_index_to_eval_results,
};
pub use crate::error::Error;
pub use crate::init::{
    FileFact, directory_facts, guess_license, init_dataset, init_model, merge_existing,
    size_category,
};
pub use crate::lint::{
    CardKind, CardReport, HubLoad, LintOptions, card_files, lint_bytes, lint_paths,
};
pub use crate::markdown::Section;
pub use crate::mct::{MctSchemas, ToolkitCard};
pub use crate::render::{ScoreSet, lint_human};
pub use crate::rules::RULES;
pub use crate::score::{CardScore, Dimension, ScoreItem, score_bytes, score_paths};
pub use crate::vocab::Vocabularies;
// The mlsc-core types this crate's API takes and returns, so that a caller needs no direct dependency on it.
pub use mlsc_core::{Finding, Location, Report, Severity};

/// Every finding code mlsc-cards emits, for SARIF rules and `mlsc explain`.
pub fn rules() -> &'static [mlsc_core::Rule] {
    RULES
}
