#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The line index and raw card fields are read by the linter, which lands right after this API commit.
#[allow(dead_code)]
mod card;
mod error;
mod frontmatter;
#[allow(dead_code)]
mod lines;
mod markdown;
mod yaml;

pub use crate::card::{
    DatasetCard, EvalResult, ModelCard, ModelIndexError, ParseLimits, model_index_to_eval_results,
};
pub use crate::error::Error;
pub use crate::markdown::Section;
