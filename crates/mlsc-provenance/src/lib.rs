#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod attest;
mod bundle;
mod croissant;
mod dvc;
mod error;
mod hash;
mod keys;
mod locate;
mod manifest;
mod oms;
mod render;
pub mod rules;
mod x509;

pub use crate::attest::{
    AttestOptions, Attestation, DEFAULT_BUILDER_ID, TRAINING_BUILD_TYPE, attest,
};
pub use crate::bundle::{BUNDLE_MEDIA_TYPE, IN_TOTO_PAYLOAD_TYPE};
pub use crate::croissant::{CroissantOptions, is_croissant, verify_croissant};
pub use crate::dvc::{DvcOptions, is_dvc_path, verify_dvc};
pub use crate::error::Error;
pub use crate::hash::HashAlgorithm;
pub use crate::keys::{KeyError, PrivateKey, PublicKey};
pub use crate::locate::{SignedSubject, signed_directory, signed_subject};
pub use crate::manifest::{
    Collision, GIT_PATHS, Manifest, ManifestOptions, Resource, Serialization, build_manifest,
};
pub use crate::oms::{
    MODEL_SIGNING_PREDICATE, SLSA_PREDICATE, STATEMENT_TYPE, SignOptions, Signed, Trust,
    VerifyOptions, model_statement, read_certificates, sign_model, sign_statement,
    verify_signature, verify_signature_bytes,
};
pub use crate::render::{
    key_pair_human, key_pair_json, public_key_path, trust_description, verify_headline,
    verify_recorded,
};
pub use crate::rules::{RULES, codes};
// The mlsc-core types this crate's API takes and returns, so that a caller needs no direct dependency on it.
pub use mlsc_core::{Finding, Location, Report, Severity, Verdict};

/// Every finding code this crate emits, for SARIF and `mlsc explain`.
pub fn rules() -> &'static [mlsc_core::Rule] {
    RULES
}
