//! OpenSSF Model Signing v1.0: the in-toto statement model_signing signs, signing with a local key, and
//! verification of the key and certificate methods against a model on disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mlsc_core::{
    Artifact, Assessment, Completeness, Finding, Format, Location, Report, Rule, Severity, Verdict,
};
use serde_json::{Value, json};

use crate::bundle::{self, BUNDLE_MEDIA_TYPE, Bundle, IN_TOTO_PAYLOAD_TYPE, Material};
use crate::hash::{HashAlgorithm, hex, unhex};
use crate::keys::{PrivateKey, PublicKey, read_small};
use crate::manifest::{
    GIT_PATHS, Ignorer, Manifest, ManifestOptions, Resource, Serialization, build_manifest,
    hash_files, list_files, path_order, resource_algorithm, root_digest,
};
use crate::{Error, x509};

/// The in-toto statement type.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
/// model_signing's predicate type.
pub const MODEL_SIGNING_PREDICATE: &str = "https://model_signing/signature/v1.0";
/// SLSA provenance v1's predicate type.
pub const SLSA_PREDICATE: &str = "https://slsa.dev/provenance/v1";

/// Options of [`sign_model`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignOptions {
    /// How the manifest is made. By default, SHA-256 over whole files, git paths ignored, symlinks refused.
    pub manifest: ManifestOptions,
    /// Where the signature will be written: when it is inside the model directory it is ignored, as
    /// model_signing's command line does. By default, none.
    pub signature_path: Option<PathBuf>,
    /// The certificate method: DER certificates, the signing certificate (holding the key's public half) first,
    /// then the chain. By default, none (the key method).
    pub certificates: Vec<Vec<u8>>,
}

/// A signed model: its manifest, the signed statement and the bundle text to write.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Signed {
    /// The manifest that was signed.
    pub manifest: Manifest,
    /// The in-toto statement (the DSSE payload), as signed.
    pub statement: Vec<u8>,
    /// The Sigstore bundle JSON.
    pub bundle: String,
}

/// The path of `inner` relative to the directory `root`, when `inner` is inside it (both resolved).
fn relative_inside(root: &Path, inner: &Path) -> Option<String> {
    let root = fs_err::canonicalize(root).ok()?;
    let parent = inner
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let inner = fs_err::canonicalize(parent).ok()?.join(inner.file_name()?);
    let rel = inner.strip_prefix(&root).ok()?;
    crate::manifest::relative_posix(Path::new(""), rel)
        .ok()
        .filter(|s| !s.is_empty())
}

/// The in-toto statement of `manifest`, laid out as model_signing lays it out (two-space indented JSON).
pub fn model_statement(manifest: &Manifest) -> Vec<u8> {
    let mut serialization = serde_json::Map::new();
    serialization.insert("method".into(), json!(manifest.serialization.method()));
    serialization.insert("hash_type".into(), json!(manifest.hash.as_str()));
    if let Serialization::Shards { shard_size } = manifest.serialization {
        // An integer: model_signing 1.1.1 writes 1024.0 and then cannot verify its own file.
        serialization.insert("shard_size".into(), json!(shard_size));
    }
    serialization.insert("allow_symlinks".into(), json!(manifest.allow_symlinks));
    if !manifest.ignore_paths.is_empty() {
        serialization.insert("ignore_paths".into(), json!(manifest.ignore_paths));
    }
    let resources: Vec<Value> = manifest
        .resources
        .iter()
        .map(|r| json!({"name": r.name(), "algorithm": r.algorithm, "digest": r.digest_hex()}))
        .collect();
    let statement = json!({
        "_type": STATEMENT_TYPE,
        "subject": [{"name": manifest.model_name, "digest": {"sha256": hex(&manifest.root_digest())}}],
        "predicateType": MODEL_SIGNING_PREDICATE,
        "predicate": {"serialization": serialization, "resources": resources},
    });
    serde_json::to_vec_pretty(&statement).expect("a JSON value always serialises")
}

/// Hashes the model at `model` and signs its manifest with `key` into a Sigstore bundle (key method).
///
/// ```
/// # let dir = tempfile::tempdir().unwrap();
/// # let model = dir.path().join("m"); std::fs::create_dir(&model).unwrap();
/// std::fs::write(model.join("w.bin"), b"weights").unwrap();
/// let key = mlsc_provenance::PrivateKey::generate_p256();
/// let signed = mlsc_provenance::sign_model(&model, &key, &Default::default()).unwrap();
/// assert!(signed.bundle.contains("application/vnd.dev.sigstore.bundle.v0.3+json"));
/// ```
pub fn sign_model(
    model: impl AsRef<Path>,
    key: &PrivateKey,
    options: &SignOptions,
) -> Result<Signed, Error> {
    let model = model.as_ref();
    let mut mopts = options.manifest.clone();
    if let Some(sig) = &options.signature_path
        && let Some(rel) = relative_inside(model, sig)
    {
        mopts.ignore.push(rel);
    }
    if let Some(leaf) = options.certificates.first()
        && leaf_key(leaf).as_ref() != Some(&key.public_key())
    {
        return Err(Error::InvalidOption(
            "the signing certificate does not hold the private key's public key".to_owned(),
        ));
    }
    let manifest = build_manifest(model, &mopts)?;
    let statement = model_statement(&manifest);
    let bundle = bundle::sign_bundle(&statement, key, &options.certificates);
    Ok(Signed {
        manifest,
        statement,
        bundle,
    })
}

/// Signs any in-toto statement with `key` into a Sigstore bundle v0.3 with a DSSE envelope (the format of
/// [`sign_model`] and [`crate::attest()`]).
pub fn sign_statement(statement: &[u8], key: &PrivateKey) -> String {
    bundle::sign_bundle(statement, key, &[])
}

/// What a signature is checked against.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Trust {
    /// The key method: the signer's public key.
    PublicKey(PublicKey),
    /// The certificate method: DER certificates of the trusted authorities.
    Certificates(Vec<Vec<u8>>),
}

impl Trust {
    /// Reads a PEM public key file.
    pub fn public_key_file(path: impl AsRef<Path>) -> Result<Trust, Error> {
        let path = path.as_ref();
        PublicKey::read(path).map(Trust::PublicKey)
    }

    /// Reads a PEM file of one or more CA certificates.
    pub fn certificate_file(path: impl AsRef<Path>) -> Result<Trust, Error> {
        let path = path.as_ref();
        read_certificates(path).map(Trust::Certificates)
    }
}

/// The DER certificates of a PEM file (every `CERTIFICATE` block, in order).
pub fn read_certificates(path: impl AsRef<Path>) -> Result<Vec<Vec<u8>>, Error> {
    let path = path.as_ref();
    let bytes = read_small(path, 8 << 20)?;
    x509::pem_certificates(&String::from_utf8_lossy(&bytes)).map_err(|reason| Error::Certificate {
        path: path.to_owned(),
        reason,
    })
}

/// Options of [`verify_signature`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifyOptions {
    /// More paths or globs to ignore in the model, besides those the signature records. By default, none.
    pub ignore: Vec<String>,
    /// Ignore git paths at the model root (model_signing does by default). By default, true.
    pub ignore_git_paths: bool,
    /// The time certificates must be valid at, in Unix seconds. By default, now.
    pub now: Option<u64>,
    /// Largest signature file read. By default, 64 MiB.
    pub max_signature_bytes: u64,
    /// Told of each file (or shard) as it is hashed: its size, the bytes hashed, its end. A progress bar in
    /// bytes listens here. By default, a sink that ignores everything.
    pub sink: mlsc_core::SharedSink,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            ignore: Vec::new(),
            ignore_git_paths: true,
            now: None,
            max_signature_bytes: 64 << 20,
            sink: mlsc_core::SharedSink::default(),
        }
    }
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

pub(crate) fn finding(
    rule: &'static Rule,
    severity: Severity,
    message: String,
    location: Location,
) -> Finding {
    rule.finding_at(severity, message).at(location)
}

/// Checks the signature `signature` over the model at `model`: the bundle, the signature with `trust`, the
/// statement's own consistency, then every file of the model re-hashed and compared. An in-toto statement with a
/// SLSA provenance predicate (from `mlsc attest`) is checked against the files it names, relative to `model`.
///
/// Differences are findings in the report; an unreadable signature, key or model file is an error.
pub fn verify_signature(
    model: impl AsRef<Path>,
    signature: impl AsRef<Path>,
    trust: &Trust,
    options: &VerifyOptions,
) -> Result<Report, Error> {
    let model = model.as_ref();
    let signature = signature.as_ref();
    let bytes = read_small(signature, options.max_signature_bytes)?;
    verify_signature_bytes(model, signature, &bytes, trust, options)
}

/// [`verify_signature`] over signature bytes already in memory; `signature` names them in findings (and is
/// ignored in the model when it lies inside it).
pub fn verify_signature_bytes(
    model: impl AsRef<Path>,
    signature: impl AsRef<Path>,
    bytes: &[u8],
    trust: &Trust,
    options: &VerifyOptions,
) -> Result<Report, Error> {
    let model = model.as_ref();
    let signature = signature.as_ref();
    let started = std::time::Instant::now();
    let mut report = Report::new("verify");
    let sig_loc = Location::file(signature.display().to_string());
    let mut verdict = Verdict::CLEAN;
    let mut model_artifact = None;
    match check_bundle(bytes, trust, options, &sig_loc, &mut report) {
        None => verdict = Verdict::new(Completeness::Error, Assessment::Suspicious),
        Some(statement) => {
            let predicate_type = statement
                .get("predicateType")
                .and_then(Value::as_str)
                .unwrap_or("");
            let before = report.findings.len();
            let (files, bytes_read) = match predicate_type {
                MODEL_SIGNING_PREDICATE => {
                    check_model(model, &statement, options, &sig_loc, &mut report)?
                }
                SLSA_PREDICATE => {
                    crate::attest::check_attestation(model, &statement, &sig_loc, &mut report)?
                }
                other => {
                    report.push_finding(finding(
                        &crate::rules::UNSUPPORTED,
                        Severity::Medium,
                        format!(
                            "predicate type `{other}` is neither model_signing's `{MODEL_SIGNING_PREDICATE}` nor SLSA's `{SLSA_PREDICATE}`"
                        ),
                        sig_loc.clone().at_pointer("predicateType"),
                    ));
                    verdict = Verdict::new(Completeness::Inconclusive, Assessment::Clean);
                    (0, 0)
                }
            };
            report.statistics.bytes_read += bytes_read;
            report.statistics.files = files;
            let mut a = Artifact::new(model.display().to_string(), bytes_read, Format::Unknown);
            if report.findings.len() > before {
                a.verdict = Verdict::new(Completeness::Complete, Assessment::Suspicious);
            }
            model_artifact = Some(a);
        }
    }
    let mut sig_artifact = Artifact::new(
        signature.display().to_string(),
        bytes.len() as u64,
        Format::Json,
    );
    sig_artifact.sha256 = Some(mlsc_core::Sha256Digest::of(bytes).to_hex());
    if report
        .findings
        .iter()
        .any(|f| f.location.path == sig_loc.path)
    {
        verdict = verdict.at_least(Assessment::Suspicious);
    }
    sig_artifact.verdict = verdict;
    report.artifacts.push(sig_artifact);
    report.artifacts.extend(model_artifact);
    report.statistics.duration_ms =
        u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    report.finish();
    Ok(report)
}

/// Parses the bundle and checks its signature; returns the statement when the signature holds.
fn check_bundle(
    bytes: &[u8],
    trust: &Trust,
    options: &VerifyOptions,
    loc: &Location,
    report: &mut Report,
) -> Option<Value> {
    let malformed = |report: &mut Report, msg: String| {
        report.push_finding(finding(
            &crate::rules::BUNDLE_MALFORMED,
            Severity::High,
            msg,
            loc.clone(),
        ));
    };
    let bundle = match Bundle::parse(bytes) {
        Ok(b) => b,
        Err(e) => {
            malformed(
                report,
                format!("not a Sigstore bundle with a DSSE envelope: {e}"),
            );
            return None;
        }
    };
    if bundle.media_type != BUNDLE_MEDIA_TYPE {
        // model_signing refuses anything but v0.3; so do we, saying what it is.
        malformed(
            report,
            format!(
                "media type is `{}`, expected `{BUNDLE_MEDIA_TYPE}`",
                bundle.media_type
            ),
        );
        return None;
    }
    if bundle.payload_type != IN_TOTO_PAYLOAD_TYPE {
        malformed(
            report,
            format!(
                "DSSE payload type is `{}`, expected `{IN_TOTO_PAYLOAD_TYPE}`",
                bundle.payload_type
            ),
        );
        return None;
    }
    if bundle.signatures.is_empty() {
        malformed(report, "the DSSE envelope has no signature".to_owned());
        return None;
    }
    let pae = bundle::pae(&bundle.payload_type, &bundle.payload);
    let key = match (trust, &bundle.material) {
        (Trust::PublicKey(k), material) => {
            let verifies = bundle.signatures.iter().any(|s| k.verify(&pae, s));
            if !verifies {
                let msg = match material {
                    Material::PublicKeyHint(Some(h)) if *h != k.hint() => format!(
                        "signed with another key: the bundle names key `{h}`, the given public key is `{}`",
                        k.hint()
                    ),
                    Material::Certificates(chain) => {
                        let leaf_key = chain.first().and_then(|c| leaf_key(c));
                        if leaf_key.as_ref().is_some_and(|l| l != k) {
                            "signed with another key: the bundle's signing certificate holds a different key than the given public key".to_owned()
                        } else {
                            String::new()
                        }
                    }
                    _ => String::new(),
                };
                if msg.is_empty() {
                    report.push_finding(finding(
                        &crate::rules::BAD_SIGNATURE,
                        Severity::Critical,
                        match material {
                            Material::PublicKeyHint(Some(_)) | Material::Certificates(_) => format!(
                                "the signature does not verify over the DSSE payload with the given {} key, which the bundle names as its signer: the payload or the signature was altered",
                                k.curve()
                            ),
                            _ => format!(
                                "the signature does not verify over the DSSE payload with the given {} key: the payload or the signature was altered, or another key signed it (the bundle does not name its key)",
                                k.curve()
                            ),
                        },
                        loc.clone().at_pointer("dsseEnvelope.signatures[0].sig"),
                    ));
                } else {
                    report.push_finding(finding(
                        &crate::rules::WRONG_KEY,
                        Severity::High,
                        msg,
                        loc.clone(),
                    ));
                }
                return None;
            }
            k.clone()
        }
        (Trust::Certificates(anchors), Material::Certificates(chain)) => {
            let now = options.now.unwrap_or_else(now_secs);
            let (key, findings) = x509::verify_chain(chain, anchors, now, loc);
            let chain_ok = findings.is_empty();
            report.extend_findings(findings);
            let key = key?;
            if !bundle.signatures.iter().any(|s| key.verify(&pae, s)) {
                report.push_finding(finding(
                    &crate::rules::BAD_SIGNATURE,
                    Severity::Critical,
                    "the signature does not verify with the signing certificate's key: the payload or the signature was altered".to_owned(),
                    loc.clone().at_pointer("dsseEnvelope.signatures[0].sig"),
                ));
                return None;
            }
            if !chain_ok {
                return None;
            }
            key
        }
        (Trust::Certificates(_), _) => {
            report.push_finding(finding(
                &crate::rules::WRONG_KEY,
                Severity::High,
                "the bundle was signed with a bare key (no certificate chain), but a certificate authority was given: verify it with --public-key".to_owned(),
                loc.clone().at_pointer("verificationMaterial"),
            ));
            return None;
        }
    };
    let _ = key;
    let statement: Value = match serde_json::from_slice(&bundle.payload) {
        Ok(v) => v,
        Err(e) => {
            report.push_finding(finding(
                &crate::rules::STATEMENT_INCONSISTENT,
                Severity::High,
                format!("the signed payload is not JSON: {e}"),
                loc.clone().at_pointer("dsseEnvelope.payload"),
            ));
            return None;
        }
    };
    if statement.get("_type").and_then(Value::as_str) != Some(STATEMENT_TYPE) {
        report.push_finding(finding(
            &crate::rules::STATEMENT_INCONSISTENT,
            Severity::High,
            format!("the signed payload is not an in-toto Statement v1 (`_type` is not `{STATEMENT_TYPE}`)"),
            loc.clone().at_pointer("_type"),
        ));
        return None;
    }
    Some(statement)
}

fn leaf_key(der: &[u8]) -> Option<PublicKey> {
    use der::{Decode as _, Encode as _};
    let cert = x509_cert::Certificate::from_der(der).ok()?;
    let spki = cert.tbs_certificate.subject_public_key_info.to_der().ok()?;
    PublicKey::from_spki_der(&spki).ok()
}

/// One expected item of a signed manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Item {
    range: Option<(u64, u64)>,
    digest: Vec<u8>,
}

/// A recorded name is safe when it is relative, has no `..`, no empty component and no backslash.
pub(crate) fn unsafe_name_reason(name: &str) -> Option<&'static str> {
    if name == "." {
        return None;
    }
    if name.is_empty() {
        Some("it is empty")
    } else if name.starts_with('/') || name.as_bytes().get(1) == Some(&b':') {
        Some("it is absolute")
    } else if name.contains('\\') {
        Some("it contains a backslash, a separator on Windows")
    } else if name.split('/').any(|c| c == "..") {
        Some("it climbs out with `..`")
    } else if name.split('/').any(|c| c.is_empty() || c == ".") {
        Some("it has an empty or `.` component")
    } else if name.contains('\0') {
        Some("it contains a NUL byte")
    } else {
        None
    }
}

struct Expected {
    hash: HashAlgorithm,
    serialization: Serialization,
    allow_symlinks: bool,
    ignore_paths: Vec<String>,
    items: BTreeMap<String, Vec<Item>>,
}

/// Reads model_signing's predicate, reporting everything that is malformed or inconsistent.
fn parse_model_statement(
    statement: &Value,
    loc: &Location,
    report: &mut Report,
) -> Option<Expected> {
    let bad = |report: &mut Report, pointer: &str, msg: String| {
        report.push_finding(finding(
            &crate::rules::STATEMENT_INCONSISTENT,
            Severity::High,
            msg,
            loc.clone().at_pointer(pointer),
        ));
    };
    let subjects = statement.get("subject").and_then(Value::as_array);
    let Some([subject]) = subjects.map(Vec::as_slice) else {
        bad(
            report,
            "subject",
            "the statement must have exactly one subject".to_owned(),
        );
        return None;
    };
    let Some(subject_digest) = subject.pointer("/digest/sha256").and_then(Value::as_str) else {
        bad(
            report,
            "subject[0].digest.sha256",
            "the subject has no sha256 digest".to_owned(),
        );
        return None;
    };
    let Some(ser) = statement.pointer("/predicate/serialization") else {
        bad(
            report,
            "predicate.serialization",
            "the predicate has no `serialization`".to_owned(),
        );
        return None;
    };
    let hash_type = ser.get("hash_type").and_then(Value::as_str).unwrap_or("");
    let hash = match hash_type.parse::<HashAlgorithm>() {
        Ok(h) if hash_type != "blake2" => h,
        _ => {
            report.push_finding(finding(
                &crate::rules::UNSUPPORTED,
                Severity::Medium,
                format!("hash type `{hash_type}` is not sha256, blake2b or blake3"),
                loc.clone().at_pointer("predicate.serialization.hash_type"),
            ));
            return None;
        }
    };
    let serialization = match ser.get("method").and_then(Value::as_str) {
        Some("files") => Serialization::Files,
        Some("shards") => {
            // model_signing 1.1.1 writes `1024.0` (a float through protobuf's Struct): accept integral numbers.
            let size = ser.get("shard_size").and_then(|v| {
                v.as_u64().or_else(|| {
                    v.as_f64()
                        .filter(|f| f.fract() == 0.0 && *f >= 1.0 && *f < 9.0e15)
                        .map(|f| f as u64)
                })
            });
            match size {
                Some(s) if s > 0 => Serialization::Shards { shard_size: s },
                _ => {
                    bad(
                        report,
                        "predicate.serialization.shard_size",
                        format!(
                            "shard size `{}` is not a positive integer",
                            ser.get("shard_size").unwrap_or(&Value::Null)
                        ),
                    );
                    return None;
                }
            }
        }
        other => {
            report.push_finding(finding(
                &crate::rules::UNSUPPORTED,
                Severity::Medium,
                format!(
                    "serialization method `{}` is not `files` or `shards`",
                    other.unwrap_or("")
                ),
                loc.clone().at_pointer("predicate.serialization.method"),
            ));
            return None;
        }
    };
    let allow_symlinks = match ser.get("allow_symlinks") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    };
    let ignore_paths: Vec<String> = ser
        .get("ignore_paths")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let Some(resources) = statement
        .pointer("/predicate/resources")
        .and_then(Value::as_array)
    else {
        bad(
            report,
            "predicate.resources",
            "the predicate has no `resources` list".to_owned(),
        );
        return None;
    };
    let algorithm = resource_algorithm(hash, serialization);
    let mut items: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    let mut digests: Vec<Vec<u8>> = Vec::with_capacity(resources.len());
    let mut ok = true;
    let mut seen = std::collections::HashSet::new();
    for (i, r) in resources.iter().enumerate() {
        let ptr = format!("predicate.resources[{i}]");
        let name = r.get("name").and_then(Value::as_str).unwrap_or("");
        let alg = r.get("algorithm").and_then(Value::as_str).unwrap_or("");
        let digest = r.get("digest").and_then(Value::as_str).and_then(unhex);
        let Some(digest) = digest.filter(|d| d.len() == hash.digest_len()) else {
            bad(
                report,
                &ptr,
                format!(
                    "resource `{name}` has no {hash} digest of {} hex digits",
                    2 * hash.digest_len()
                ),
            );
            ok = false;
            continue;
        };
        digests.push(digest.clone());
        if alg != algorithm {
            bad(
                report,
                &ptr,
                format!(
                    "resource `{name}` has algorithm `{alg}`, the serialization says `{algorithm}`"
                ),
            );
            ok = false;
        }
        if !seen.insert(name.to_owned()) {
            report.push_finding(finding(
                &crate::rules::UNSAFE_NAME,
                Severity::High,
                format!("resource `{name}` is listed twice"),
                loc.clone().at_pointer(ptr),
            ));
            ok = false;
            continue;
        }
        let (path, range) = match serialization {
            Serialization::Files => (name.to_owned(), None),
            Serialization::Shards { .. } => {
                let mut parts = name.rsplitn(3, ':');
                let end = parts.next().and_then(|s| s.parse::<u64>().ok());
                let start = parts.next().and_then(|s| s.parse::<u64>().ok());
                match (parts.next(), start, end) {
                    (Some(p), Some(s), Some(e)) if s < e => (p.to_owned(), Some((s, e))),
                    _ => {
                        bad(
                            report,
                            &ptr,
                            format!("shard name `{name}` is not `path:start:end`"),
                        );
                        ok = false;
                        continue;
                    }
                }
            }
        };
        if let Some(reason) = unsafe_name_reason(&path) {
            report.push_finding(finding(
                &crate::rules::UNSAFE_NAME,
                Severity::High,
                format!("resource name `{path}` is unsafe: {reason}"),
                loc.clone().at_pointer(ptr),
            ));
            ok = false;
            continue;
        }
        items.entry(path).or_default().push(Item { range, digest });
    }
    let computed = hex(&root_digest(digests.iter().map(Vec::as_slice)));
    if computed != subject_digest.to_ascii_lowercase() {
        bad(
            report,
            "subject[0].digest.sha256",
            format!(
                "the subject digest is {subject_digest} but the listed resources hash to {computed}"
            ),
        );
        ok = false;
    }
    if !ok {
        return None;
    }
    for v in items.values_mut() {
        v.sort_by_key(|i| i.range);
    }
    Some(Expected {
        hash,
        serialization,
        allow_symlinks,
        ignore_paths,
        items,
    })
}

fn display_path(model: &Path, rel: &str) -> String {
    if rel == "." {
        model.display().to_string()
    } else {
        model.join(rel).display().to_string()
    }
}

/// Re-hashes the model with the signed settings and compares; returns (files, bytes) hashed.
fn check_model(
    model: &Path,
    statement: &Value,
    options: &VerifyOptions,
    sig_loc: &Location,
    report: &mut Report,
) -> Result<(u64, u64), Error> {
    let Some(expected) = parse_model_statement(statement, sig_loc, report) else {
        return Ok((0, 0));
    };
    let mut ignores: Vec<String> = Vec::new();
    if options.ignore_git_paths {
        ignores.extend(GIT_PATHS.iter().map(|s| (*s).to_owned()));
    }
    // What the signature records is literal, as model_signing reads it; the user's extra ignores may be globs.
    ignores.extend(expected.ignore_paths.iter().cloned());
    if let Some(rel) = relative_inside(model, Path::new(&sig_loc.path)) {
        ignores.push(rel);
    }
    let ignorer = Ignorer::new(&ignores, &options.ignore)?;
    let listed = list_files(model, expected.allow_symlinks, &ignorer, 10_000_000)?;
    for c in &listed.collisions {
        report.push_finding(finding(
            &crate::rules::NAME_COLLISION,
            Severity::Low,
            format!(
                "`{}` and `{}` differ only by letter case: one file on macOS and Windows",
                c.first, c.second
            ),
            Location::file(display_path(model, &c.second)),
        ));
    }
    if let Serialization::Shards { .. } = expected.serialization {
        // model_signing's shards method has no item for an empty file, so one added after signing is invisible
        // to it; say so instead of staying silent.
        for (name, _, _) in listed.files.iter().filter(|f| f.2 == 0) {
            report.push_finding(finding(
                &crate::rules::FILE_ADDED,
                Severity::Low,
                format!(
                    "empty file `{name}` cannot be covered by a shards signature (the method records no shard for it): it may have been added after signing"
                ),
                Location::file(display_path(model, name)),
            ));
        }
    }
    let resources = hash_files(
        &listed.files,
        expected.hash,
        expected.serialization,
        &options.sink,
    )?;
    let bytes: u64 = listed.files.iter().map(|f| f.2).sum();
    let mut actual: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    for Resource {
        path,
        range,
        digest,
        ..
    } in resources
    {
        actual.entry(path).or_default().push(Item { range, digest });
    }
    let mut names: Vec<&String> = expected.items.keys().chain(actual.keys()).collect();
    names.sort_by(|a, b| path_order(a, b));
    names.dedup();
    for name in names {
        let loc = Location::file(display_path(model, name));
        match (expected.items.get(name), actual.get(name)) {
            (None, Some(_)) => report.push_finding(finding(
                &crate::rules::FILE_ADDED,
                Severity::High,
                format!("file `{name}` is not covered by the signature (added after signing)"),
                loc,
            )),
            (Some(_), None) => report.push_finding(finding(
                &crate::rules::FILE_MISSING,
                Severity::High,
                format!("file `{name}` was signed but is missing"),
                loc,
            )),
            (Some(e), Some(a)) if e != a => {
                let msg = match (e.as_slice(), a.as_slice()) {
                    ([e1], [a1]) if e1.range == a1.range => format!(
                        "content of `{name}` differs from the signed digest: signed {} {}, found {}{}",
                        expected.hash,
                        hex(&e1.digest),
                        hex(&a1.digest),
                        e1.range
                            .map_or(String::new(), |(s, t)| format!(" (bytes {s}..{t})"))
                    ),
                    _ => {
                        let e_end = e.last().and_then(|i| i.range).map_or(0, |r| r.1);
                        let a_end = a.last().and_then(|i| i.range).map_or(0, |r| r.1);
                        if e_end != a_end {
                            format!("`{name}` was signed with {e_end} bytes and now has {a_end}")
                        } else {
                            let differing: Vec<String> = e
                                .iter()
                                .zip(a)
                                .filter(|(x, y)| x != y)
                                .filter_map(|(x, _)| x.range.map(|(s, t)| format!("{s}..{t}")))
                                .take(8)
                                .collect();
                            format!(
                                "content of `{name}` differs from the signed digests in shards {}",
                                differing.join(", ")
                            )
                        }
                    }
                };
                report.push_finding(finding(
                    &crate::rules::DIGEST_MISMATCH,
                    Severity::High,
                    msg,
                    loc,
                ));
            }
            _ => {}
        }
    }
    Ok((listed.files.len() as u64, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::codes;

    #[test]
    fn unsafe_names() {
        assert!(unsafe_name_reason("a/b.bin").is_none());
        assert!(unsafe_name_reason(".").is_none());
        assert!(unsafe_name_reason("/etc/passwd").is_some());
        assert!(unsafe_name_reason("a/../../x").is_some());
        assert!(unsafe_name_reason("a//b").is_some());
        assert!(unsafe_name_reason("C:x").is_some());
        assert!(unsafe_name_reason("a\\b").is_some());
    }

    fn model_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("m/sub")).unwrap();
        std::fs::write(dir.path().join("m/a.bin"), vec![1u8; 5000]).unwrap();
        std::fs::write(dir.path().join("m/sub/b.txt"), b"hello").unwrap();
        std::fs::write(dir.path().join("m/.gitignore"), b"x").unwrap();
        dir
    }

    fn codes_of(r: &Report) -> Vec<&str> {
        r.findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn sign_then_verify_and_every_difference_is_named() {
        let dir = model_dir();
        let m = dir.path().join("m");
        let key = PrivateKey::generate_p256();
        let sig = dir.path().join("m.sig");
        for serialization in [
            Serialization::Files,
            Serialization::Shards { shard_size: 1000 },
        ] {
            let mut opts = SignOptions::default();
            opts.manifest.serialization = serialization;
            let signed = sign_model(&m, &key, &opts).unwrap();
            std::fs::write(&sig, &signed.bundle).unwrap();
            let trust = Trust::PublicKey(key.public_key());
            let r = verify_signature(&m, &sig, &trust, &VerifyOptions::default()).unwrap();
            assert!(r.findings.is_empty(), "{:?}", r.findings);
            assert!(!r.fails(Severity::Medium));

            std::fs::write(m.join("sub/b.txt"), b"hellO").unwrap();
            std::fs::write(m.join("new.bin"), b"n").unwrap();
            std::fs::rename(m.join("a.bin"), dir.path().join("a.bin")).unwrap();
            let r = verify_signature(&m, &sig, &trust, &VerifyOptions::default()).unwrap();
            assert_eq!(
                codes_of(&r),
                [
                    codes::FILE_MISSING,
                    codes::FILE_ADDED,
                    codes::DIGEST_MISMATCH
                ]
            );
            assert!(
                r.findings[2].message.contains("sub/b.txt"),
                "{}",
                r.findings[2].message
            );
            std::fs::write(m.join("sub/b.txt"), b"hello").unwrap();
            std::fs::remove_file(m.join("new.bin")).unwrap();
            std::fs::rename(dir.path().join("a.bin"), m.join("a.bin")).unwrap();

            let other = Trust::PublicKey(PrivateKey::generate_p256().public_key());
            let r = verify_signature(&m, &sig, &other, &VerifyOptions::default()).unwrap();
            assert_eq!(codes_of(&r), [codes::WRONG_KEY]);
        }
    }

    #[test]
    fn tampered_payload_is_a_bad_signature() {
        let dir = model_dir();
        let m = dir.path().join("m");
        let key = PrivateKey::generate_p256();
        let signed = sign_model(&m, &key, &SignOptions::default()).unwrap();
        let mut v: Value = serde_json::from_str(&signed.bundle).unwrap();
        let forged = String::from_utf8(signed.statement.clone())
            .unwrap()
            .replace("\"m\"", "\"n\"");
        use base64::Engine as _;
        v["dsseEnvelope"]["payload"] =
            json!(base64::engine::general_purpose::STANDARD.encode(forged));
        let sig = dir.path().join("forged.sig");
        std::fs::write(&sig, v.to_string()).unwrap();
        let r = verify_signature(
            &m,
            &sig,
            &Trust::PublicKey(key.public_key()),
            &VerifyOptions::default(),
        )
        .unwrap();
        assert_eq!(codes_of(&r), [codes::BAD_SIGNATURE]);
        std::fs::write(&sig, b"{not json").unwrap();
        let r = verify_signature(
            &m,
            &sig,
            &Trust::PublicKey(key.public_key()),
            &VerifyOptions::default(),
        )
        .unwrap();
        assert_eq!(codes_of(&r), [codes::BUNDLE_MALFORMED]);
        assert!(
            r.findings[0].message.contains("line 1"),
            "{}",
            r.findings[0].message
        );
    }

    #[test]
    fn ignore_globs_are_recorded_as_what_they_matched() {
        let dir = model_dir();
        let m = dir.path().join("m");
        std::fs::write(m.join("a.tmp"), b"t").unwrap();
        std::fs::create_dir(m.join("logs")).unwrap();
        std::fs::write(m.join("logs/x.tmp"), b"t").unwrap();
        let key = PrivateKey::generate_p256();
        let mut opts = SignOptions::default();
        opts.manifest.ignore = vec!["**/*.tmp".into(), "sub/b.txt".into()];
        let signed = sign_model(&m, &key, &opts).unwrap();
        let ip = &signed.manifest.ignore_paths;
        assert!(
            ip.contains(&"a.tmp".to_owned()) && ip.contains(&"logs/x.tmp".to_owned()),
            "{ip:?}"
        );
        assert!(
            ip.contains(&"sub/b.txt".to_owned()) && !ip.iter().any(|p| p.contains('*')),
            "{ip:?}"
        );
        let sig = dir.path().join("s.sig");
        std::fs::write(&sig, &signed.bundle).unwrap();
        let trust = Trust::PublicKey(key.public_key());
        let r = verify_signature(&m, &sig, &trust, &VerifyOptions::default()).unwrap();
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        // A new file the glob would have matched is not covered: it is reported.
        std::fs::write(m.join("b.tmp"), b"t").unwrap();
        let r = verify_signature(&m, &sig, &trust, &VerifyOptions::default()).unwrap();
        assert_eq!(codes_of(&r), [codes::FILE_ADDED]);
        // Unless the verifier asks to leave it out too.
        let vo = VerifyOptions {
            ignore: vec!["*.tmp".into()],
            ..VerifyOptions::default()
        };
        let r = verify_signature(&m, &sig, &trust, &vo).unwrap();
        assert!(r.findings.is_empty(), "{:?}", r.findings);
    }

    #[test]
    fn single_file_model_is_named_dot() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("model.safetensors");
        std::fs::write(&f, b"tensor bytes").unwrap();
        let key = PrivateKey::P384(p384::ecdsa::SigningKey::random(&mut rand_core::OsRng));
        let signed = sign_model(&f, &key, &SignOptions::default()).unwrap();
        assert_eq!(signed.manifest.resources[0].name(), ".");
        assert_eq!(signed.manifest.model_name, "model.safetensors");
        let sig = dir.path().join("s.sig");
        std::fs::write(&sig, &signed.bundle).unwrap();
        let trust = Trust::PublicKey(key.public_key());
        let r = verify_signature(&f, &sig, &trust, &VerifyOptions::default()).unwrap();
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        std::fs::write(&f, b"tensor bytez").unwrap();
        let r = verify_signature(&f, &sig, &trust, &VerifyOptions::default()).unwrap();
        assert_eq!(codes_of(&r), [codes::DIGEST_MISMATCH]);
        assert_eq!(r.findings[0].location.path, f.display().to_string());
    }

    #[test]
    fn signature_inside_the_model_is_ignored() {
        let dir = model_dir();
        let m = dir.path().join("m");
        let key = PrivateKey::generate_p256();
        let sig = m.join("model.sig");
        let opts = SignOptions {
            signature_path: Some(sig.clone()),
            ..Default::default()
        };
        let signed = sign_model(&m, &key, &opts).unwrap();
        assert!(
            signed
                .manifest
                .ignore_paths
                .contains(&"model.sig".to_owned())
        );
        std::fs::write(&sig, &signed.bundle).unwrap();
        let r = verify_signature(
            &m,
            &sig,
            &Trust::PublicKey(key.public_key()),
            &VerifyOptions::default(),
        )
        .unwrap();
        assert!(r.findings.is_empty(), "{:?}", r.findings);
    }
}
