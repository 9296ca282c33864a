//! In-toto attestations of a training run with a SLSA Provenance v1 predicate: the data and code that went in
//! (`resolvedDependencies`), the model files that came out (`subject`), and the command.

use std::path::{Path, PathBuf};

use mlsc_core::{Location, Report, Severity};
use serde_json::{Value, json};

use crate::hash::{HashAlgorithm, hex, unhex};
use crate::keys::PrivateKey;
use crate::manifest::{GIT_PATHS, Ignorer, hash_files, list_files, relative_posix};
use crate::oms::{SLSA_PREDICATE, STATEMENT_TYPE, finding, unsafe_name_reason};
use crate::rules::codes;
use crate::{Error, bundle};

/// The build type `mlsc attest` records by default.
pub const TRAINING_BUILD_TYPE: &str = "https://github.com/mlsc-dev/mlsc/attest/training-run/v1";
/// The builder id `mlsc attest` records by default.
pub const DEFAULT_BUILDER_ID: &str = "https://github.com/mlsc-dev/mlsc/attest";

/// What a training run used and produced.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AttestOptions {
    /// The directory every path is recorded relative to; every input must be inside it. By default, `.`.
    pub base: PathBuf,
    /// Training data (files or directories). By default, none.
    pub data: Vec<PathBuf>,
    /// Training code (files or directories). By default, none.
    pub code: Vec<PathBuf>,
    /// What the run produced: the model files or directories, the statement's subjects. By default, none (at
    /// least one is required).
    pub products: Vec<PathBuf>,
    /// The command that ran, one argument per element. By default, empty.
    pub command: Vec<String>,
    /// `runDetails.builder.id`. By default, [`DEFAULT_BUILDER_ID`].
    pub builder_id: String,
    /// `buildDefinition.buildType`. By default, [`TRAINING_BUILD_TYPE`].
    pub build_type: String,
    /// `runDetails.metadata.startedOn` (RFC 3339). By default, none.
    pub started_on: Option<String>,
    /// `runDetails.metadata.finishedOn` (RFC 3339). By default, the time of attesting.
    pub finished_on: Option<String>,
}

impl Default for AttestOptions {
    fn default() -> Self {
        AttestOptions {
            base: PathBuf::from("."),
            data: Vec::new(),
            code: Vec::new(),
            products: Vec::new(),
            command: Vec::new(),
            builder_id: DEFAULT_BUILDER_ID.to_owned(),
            build_type: TRAINING_BUILD_TYPE.to_owned(),
            started_on: None,
            finished_on: None,
        }
    }
}

/// A signed attestation.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Attestation {
    /// The in-toto statement, as signed.
    pub statement: Vec<u8>,
    /// The Sigstore bundle (DSSE envelope) JSON.
    pub bundle: String,
    /// Number of subjects (product files).
    pub subjects: usize,
    /// Number of resolved dependencies (data and code files).
    pub materials: usize,
}

/// Every file under `paths`, as (path relative to `base`, absolute path, size), sorted and deduplicated.
fn expand(base: &Path, paths: &[PathBuf]) -> Result<Vec<(String, PathBuf, u64)>, Error> {
    let base_abs = fs_err::canonicalize(base).map_err(|e| Error::io(base, e))?;
    let ignorer = Ignorer::new(
        &GIT_PATHS
            .iter()
            .map(|s| (*s).to_owned())
            .collect::<Vec<_>>(),
        &[],
    )?;
    let mut out = Vec::new();
    for p in paths {
        let abs = fs_err::canonicalize(p).map_err(|e| Error::io(p, e))?;
        let rel = abs
            .strip_prefix(&base_abs)
            .map_err(|_| Error::UnsafePath {
                path: p.display().to_string(),
                reason: format!("it is outside the base directory `{}`", base.display()),
            })
            .and_then(|r| relative_posix(Path::new(""), r))?;
        let listed = list_files(&abs, false, &ignorer, 10_000_000)?;
        for (name, file, size) in listed.files {
            let full = match (rel.as_str(), name.as_str()) {
                ("", n) => n.to_owned(),
                (r, ".") => r.to_owned(),
                (r, n) => format!("{r}/{n}"),
            };
            out.push((full, file, size));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    Ok(out)
}

fn descriptors(files: &[(String, PathBuf, u64)], kind: Option<&str>) -> Result<Vec<Value>, Error> {
    let resources = hash_files(
        files,
        HashAlgorithm::Sha256,
        crate::Serialization::Files,
        &mlsc_core::SharedSink::default(),
    )?;
    Ok(resources
        .iter()
        .map(|r| {
            let mut v = json!({"name": r.path, "digest": {"sha256": r.digest_hex()}});
            if let Some(k) = kind {
                v["annotations"] = json!({"kind": k});
            }
            v
        })
        .collect())
}

/// Hashes the inputs and outputs of a training run and signs an in-toto statement with a SLSA Provenance v1
/// predicate describing it.
pub fn attest(options: &AttestOptions, key: &PrivateKey) -> Result<Attestation, Error> {
    if options.products.is_empty() {
        return Err(Error::InvalidOption(
            "an attestation needs at least one product (the model the run produced)".to_owned(),
        ));
    }
    let products = expand(&options.base, &options.products)?;
    let data = expand(&options.base, &options.data)?;
    let code = expand(&options.base, &options.code)?;
    let subjects = descriptors(&products, None)?;
    let mut deps = descriptors(&data, Some("data"))?;
    deps.extend(descriptors(&code, Some("code"))?);
    let mut metadata = serde_json::Map::new();
    if let Some(s) = &options.started_on {
        metadata.insert("startedOn".into(), json!(s));
    }
    let finished = options.finished_on.clone().unwrap_or_else(|| {
        jiff::Timestamp::now()
            .round(jiff::Unit::Second)
            .map_or_else(|_| String::new(), |t| t.to_string())
    });
    metadata.insert("finishedOn".into(), json!(finished));
    let statement = json!({
        "_type": STATEMENT_TYPE,
        "subject": subjects,
        "predicateType": SLSA_PREDICATE,
        "predicate": {
            "buildDefinition": {
                "buildType": options.build_type,
                "externalParameters": {"command": options.command},
                "internalParameters": {"tool": format!("mlsc {}", env!("CARGO_PKG_VERSION"))},
                "resolvedDependencies": deps,
            },
            "runDetails": {
                "builder": {"id": options.builder_id},
                "metadata": metadata,
            },
        },
    });
    let statement = serde_json::to_vec_pretty(&statement).expect("a JSON value always serialises");
    let bundle = bundle::sign_bundle(&statement, key, &[]);
    Ok(Attestation {
        statement,
        bundle,
        subjects: products.len(),
        materials: data.len() + code.len(),
    })
}

/// Checks every subject and resolved dependency of a SLSA statement against the files under `base`; returns
/// (files, bytes) hashed.
pub(crate) fn check_attestation(
    base: &Path,
    statement: &Value,
    sig_loc: &Location,
    report: &mut Report,
) -> Result<(u64, u64), Error> {
    let mut wanted: Vec<(String, Vec<u8>, String)> = Vec::new();
    let lists = [
        ("subject", statement.get("subject")),
        (
            "predicate.buildDefinition.resolvedDependencies",
            statement.pointer("/predicate/buildDefinition/resolvedDependencies"),
        ),
    ];
    for (ptr, list) in lists {
        let Some(list) = list.and_then(Value::as_array) else {
            if ptr == "subject" {
                report.push_finding(finding(
                    codes::STATEMENT_INCONSISTENT,
                    Severity::High,
                    "the attestation has no subject list".to_owned(),
                    sig_loc.clone().at_pointer(ptr),
                ));
            }
            continue;
        };
        for (i, d) in list.iter().enumerate() {
            let at = format!("{ptr}[{i}]");
            let name = d.get("name").and_then(Value::as_str).unwrap_or("");
            let digest = d
                .pointer("/digest/sha256")
                .and_then(Value::as_str)
                .and_then(unhex);
            if let Some(reason) =
                unsafe_name_reason(name).or(if name == "." { Some("it is `.`") } else { None })
            {
                report.push_finding(finding(
                    codes::UNSAFE_NAME,
                    Severity::High,
                    format!("name `{name}` is unsafe: {reason}"),
                    sig_loc.clone().at_pointer(at),
                ));
                continue;
            }
            match digest.filter(|d| d.len() == 32) {
                Some(d) => wanted.push((name.to_owned(), d, at)),
                None => report.push_finding(finding(
                    codes::UNSUPPORTED,
                    Severity::Medium,
                    format!("`{name}` has no sha256 digest, so it cannot be checked"),
                    sig_loc.clone().at_pointer(at),
                )),
            }
        }
    }
    let mut present = Vec::new();
    for (name, digest, _) in &wanted {
        let full = base.join(name);
        match fs_err::symlink_metadata(&full) {
            Ok(m) if m.is_file() => present.push(((name.clone(), full, m.len()), digest.clone())),
            Ok(_) => report.push_finding(finding(
                codes::FILE_MISSING,
                Severity::High,
                format!("`{name}` is not a regular file"),
                Location::file(full.display().to_string()),
            )),
            Err(_) => report.push_finding(finding(
                codes::FILE_MISSING,
                Severity::High,
                format!("`{name}` is named by the attestation but is missing"),
                Location::file(full.display().to_string()),
            )),
        }
    }
    let files: Vec<(String, PathBuf, u64)> = present.iter().map(|(f, _)| f.clone()).collect();
    let got = hash_files(
        &files,
        HashAlgorithm::Sha256,
        crate::Serialization::Files,
        &mlsc_core::SharedSink::default(),
    )?;
    for (r, (f, want)) in got.iter().zip(&present) {
        if r.digest != *want {
            report.push_finding(finding(
                codes::DIGEST_MISMATCH,
                Severity::High,
                format!(
                    "content of `{}` differs from the attested sha256 {}: found {}",
                    f.0,
                    hex(want),
                    r.digest_hex()
                ),
                Location::file(f.1.display().to_string()),
            ));
        }
    }
    Ok((files.len() as u64, files.iter().map(|f| f.2).sum()))
}
