#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod bom;
mod error;
mod requirements;
mod vuln;

pub use crate::error::Error;
