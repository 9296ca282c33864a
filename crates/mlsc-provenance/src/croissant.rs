//! Verification of the file hashes a Croissant dataset description records (`sha256`/`md5` of each FileObject).

use std::path::{Path, PathBuf};

use mlsc_core::{Artifact, Assessment, Completeness, Format, Location, Report, Severity, Verdict};
use serde_json::Value;

use crate::Error;
use crate::hash::{DvcHash, HashAlgorithm, dvc_md5, hash_range, hex};
use crate::keys::read_small;
use crate::oms::{finding, unsafe_name_reason};

/// Options of [`verify_croissant`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CroissantOptions {
    /// The folder relative `contentUrl`s are resolved against. By default, the JSON file's folder.
    pub data_dir: Option<PathBuf>,
    /// Told of each file as it is hashed: its size, the bytes hashed, its end. By default, a sink that ignores
    /// everything.
    pub sink: mlsc_core::SharedSink,
}

/// Most bytes of a Croissant file parsed.
const MAX_JSON: u64 = 64 << 20;

/// Whether `path` is a JSON file that describes itself as Croissant (its `@context` or `conformsTo` says so).
pub fn is_croissant(path: impl AsRef<Path>) -> bool {
    let path = path.as_ref();
    if !path.is_file() {
        return false;
    }
    let Ok(bytes) = read_small(path, MAX_JSON) else {
        return false;
    };
    let Ok(v) = serde_json::from_slice::<Value>(&bytes) else {
        return false;
    };
    let ctx = v.get("@context").map(Value::to_string).unwrap_or_default();
    let conforms = v
        .get("conformsTo")
        .map(Value::to_string)
        .unwrap_or_default();
    ctx.contains("mlcommons.org/croissant") || conforms.contains("mlcommons.org/croissant")
}

fn is_file_object(o: &Value) -> bool {
    let t = |s: &str| {
        matches!(
            s,
            "cr:FileObject"
                | "sc:FileObject"
                | "FileObject"
                | "http://mlcommons.org/croissant/FileObject"
        )
    };
    match o.get("@type") {
        Some(Value::String(s)) => t(s),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(t),
        _ => false,
    }
}

/// Checks each FileObject of the Croissant file at `path` against the local file its `contentUrl` names.
pub fn verify_croissant(
    path: impl AsRef<Path>,
    options: &CroissantOptions,
) -> Result<Report, Error> {
    let path = path.as_ref();
    let started = std::time::Instant::now();
    let mut report = Report::new("verify");
    let bytes = read_small(path, MAX_JSON)?;
    let loc = Location::file(path.display().to_string());
    let mut artifact = Artifact::new(path.display().to_string(), bytes.len() as u64, Format::Json);
    let v: Value = serde_json::from_slice(&bytes).map_err(|e| Error::Malformed {
        kind: "croissant file",
        path: path.to_owned(),
        reason: format!("not JSON at line {}, column {}: {e}", e.line(), e.column()),
    })?;
    let base = options.data_dir.clone().unwrap_or_else(|| {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_owned()
    });
    let mut incomplete = false;
    let mut checked = 0u64;
    for (i, o) in v
        .get("distribution")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if !is_file_object(o) {
            continue;
        }
        let ptr = format!("distribution[{i}]");
        let at = loc.clone().at_pointer(ptr.clone());
        let id = o
            .get("@id")
            .or_else(|| o.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("?");
        let Some(url) = o.get("contentUrl").and_then(Value::as_str) else {
            incomplete = true;
            report.push_finding(finding(
                &crate::rules::CROISSANT_NO_DIGEST,
                Severity::Low,
                format!("FileObject `{id}` has no contentUrl"),
                at,
            ));
            continue;
        };
        let sha = o.get("sha256").and_then(Value::as_str);
        let md5 = o.get("md5").and_then(Value::as_str);
        let valid = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
        let mut checks: Vec<(&str, String)> = Vec::new();
        for (name, value, len) in [("sha256", sha, 64), ("md5", md5, 32)] {
            match value {
                Some(s) if valid(s, len) => checks.push((name, s.to_ascii_lowercase())),
                Some(s) => report.push_finding(finding(
                    &crate::rules::CROISSANT_BAD_DIGEST,
                    Severity::Medium,
                    format!("FileObject `{id}` has {name} `{s}`, which is not {len} hex digits"),
                    at.clone(),
                )),
                None => {}
            }
        }
        if url.contains("://") {
            incomplete = true;
            report.push_finding(finding(
                &crate::rules::CROISSANT_REMOTE_NOT_CHECKED,
                Severity::Low,
                format!("FileObject `{id}` is remote (`{url}`): not verified offline"),
                at,
            ));
            continue;
        }
        if checks.is_empty() {
            incomplete = true;
            if sha.is_none() && md5.is_none() {
                report.push_finding(finding(
                    &crate::rules::CROISSANT_NO_DIGEST,
                    Severity::Low,
                    format!("FileObject `{id}` (`{url}`) has neither sha256 nor md5"),
                    at,
                ));
            }
            continue;
        }
        let rel = url.trim_start_matches("./");
        if let Some(reason) = unsafe_name_reason(rel) {
            report.push_finding(finding(
                &crate::rules::UNSAFE_NAME,
                Severity::High,
                format!("FileObject `{id}` contentUrl `{url}` is unsafe: {reason}"),
                at,
            ));
            continue;
        }
        let file = base.join(rel);
        let floc = Location::file(file.display().to_string());
        let size = match fs_err::metadata(&file) {
            Ok(m) if m.is_file() => m.len(),
            _ => {
                report.push_finding(finding(
                    &crate::rules::CROISSANT_FILE_MISSING,
                    Severity::High,
                    format!(
                        "FileObject `{id}`: `{url}` is missing under `{}`",
                        base.display()
                    ),
                    floc,
                ));
                continue;
            }
        };
        for (name, want) in checks {
            mlsc_core::ScanSink::begin(&options.sink, 1, Some(size));
            let got = if name == "sha256" {
                hex(&hash_range(
                    &file,
                    0,
                    size,
                    HashAlgorithm::Sha256,
                    (&options.sink, url),
                )?)
            } else {
                hex(&dvc_md5(&file, DvcHash::Md5, (&options.sink, url))?.0)
            };
            if got != want {
                report.push_finding(finding(
                    &crate::rules::CROISSANT_DIGEST_MISMATCH,
                    Severity::High,
                    format!("FileObject `{id}`: {name} of `{url}` is {got}, the description records {want}"),
                    floc.clone(),
                ));
            }
        }
        checked += 1;
        report.statistics.bytes_read += size;
    }
    let mut verdict = Verdict::CLEAN;
    if !report.findings.is_empty() {
        verdict = verdict.at_least(Assessment::Suspicious);
    }
    if incomplete || checked == 0 {
        verdict = verdict.at_most(Completeness::Inconclusive);
    }
    artifact.verdict = verdict;
    report.artifacts.push(artifact);
    report.statistics.files = checked;
    report.statistics.duration_ms =
        u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    report.finish();
    Ok(report)
}
