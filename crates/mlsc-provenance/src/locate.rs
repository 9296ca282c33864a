//! Which directory a signature covers: read from what the signed statement names (its subject and its files),
//! before any verification, so that a signature over `model/` found in or passed to an audit of `.` is checked
//! against `model/` and not against the whole folder.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::Error;
use crate::bundle::Bundle;
use crate::keys::read_small;

/// Largest signature file read to locate its model: real bundles are a few KiB plus 100 bytes per file.
const MAX_SIGNATURE_BYTES: u64 = 64 << 20;
/// How deep below the root the search for the signed directory looks.
const MAX_SEARCH_DEPTH: usize = 4;
/// Most directories the search looks at.
const MAX_SEARCH_DIRS: usize = 10_000;
/// Folders the search never enters.
const SKIP_DIRS: &[&str] = &[".git", ".dvc", "node_modules", "__pycache__", ".cache"];

/// What a signature says it covers, read without verifying it: only for locating the model, never for trusting it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedSubject {
    /// The statement's subject name: model_signing writes the signed directory's (or file's) name.
    pub name: String,
    /// The files the statement lists, relative to the signed directory (shard ranges removed, each file once).
    pub files: Vec<String>,
}

/// Reads the subject of the model_signing statement inside the Sigstore bundle `signature` (no verification).
///
/// # Errors
/// [`Error::Io`] or [`Error::TooLarge`] when the file cannot be read, [`Error::Malformed`] when it is not a
/// bundle whose payload is an in-toto statement with a subject.
pub fn signed_subject(signature: &Path) -> Result<SignedSubject, Error> {
    let bytes = read_small(signature, MAX_SIGNATURE_BYTES)?;
    let malformed = |reason: String| Error::Malformed {
        kind: "signature bundle",
        path: signature.to_owned(),
        reason,
    };
    let bundle = Bundle::parse(&bytes).map_err(malformed)?;
    let statement: Value = serde_json::from_slice(&bundle.payload)
        .map_err(|e| malformed(format!("the signed payload is not JSON: {e}")))?;
    let name = statement
        .pointer("/subject/0/name")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("the statement has no subject name".to_owned()))?
        .to_owned();
    let shards = statement
        .pointer("/predicate/serialization/method")
        .and_then(Value::as_str)
        == Some("shards");
    let mut files: Vec<String> = statement
        .pointer("/predicate/resources")
        .and_then(Value::as_array)
        .map(|rs| {
            rs.iter()
                .filter_map(|r| r.get("name").and_then(Value::as_str))
                .map(|n| {
                    if shards {
                        // `path:start:end`: the path is everything before the last two colons.
                        let mut parts = n.rsplitn(3, ':');
                        let (_, _, path) = (parts.next(), parts.next(), parts.next());
                        path.unwrap_or(n).to_owned()
                    } else {
                        n.to_owned()
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files.dedup();
    Ok(SignedSubject { name, files })
}

/// How many of `files` exist under `dir` (`..` and absolute names never count).
fn present(dir: &Path, files: &[String]) -> usize {
    files
        .iter()
        .filter(|f| !f.starts_with('/') && !f.split('/').any(|s| s == ".."))
        .filter(|f| dir.join(f).is_file())
        .count()
}

/// The directory under `root` (or `root` itself) that the signature `signature` covers, when it can be told:
///
/// 1. the directory, among `root`, the signature's own folder and the folders up to 4 levels below `root`, where
///    the most files the statement lists exist, and all of them when one has all; a tie goes to the one whose name
///    is the statement's subject name, then to the shallower one;
/// 2. when the statement lists no file that exists anywhere, the folder named as the subject (`model.sig` from
///    `mlsc sign model` names `model`), else the folder named as the signature file's stem.
///
/// Returns `None` when nothing matches: the caller then verifies against `root` and the differences say why.
pub fn signed_directory(root: &Path, signature: &Path) -> Option<PathBuf> {
    let subject = signed_subject(signature).ok();
    let mut candidates: Vec<(PathBuf, usize)> = vec![(root.to_owned(), 0)];
    if let Some(parent) = signature.parent().filter(|p| !p.as_os_str().is_empty()) {
        candidates.push((parent.to_owned(), 0));
    }
    let mut stack = vec![(root.to_owned(), 0usize)];
    let mut seen = 0usize;
    while let Some((dir, depth)) = stack.pop() {
        if depth >= MAX_SEARCH_DEPTH || seen >= MAX_SEARCH_DIRS {
            continue;
        }
        let Ok(rd) = fs_err::read_dir(&dir) else {
            continue;
        };
        let mut subdirs: Vec<PathBuf> = rd
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter(|e| !SKIP_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
            .map(|e| e.path())
            .collect();
        subdirs.sort();
        for s in subdirs {
            seen += 1;
            candidates.push((s.clone(), depth + 1));
            stack.push((s, depth + 1));
        }
    }
    let name_of = |p: &Path| {
        fs_err::canonicalize(p)
            .ok()
            .and_then(|c| c.file_name().map(|n| n.to_string_lossy().into_owned()))
    };
    if let Some(subject) = &subject
        && !subject.files.is_empty()
    {
        let best = candidates
            .iter()
            .map(|(dir, depth)| {
                let hits = present(dir, &subject.files);
                let named = name_of(dir).as_deref() == Some(subject.name.as_str());
                (hits, named, std::cmp::Reverse(*depth), dir)
            })
            .filter(|(hits, ..)| *hits > 0)
            .max_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
        if let Some((_, _, _, dir)) = best {
            return Some(dir.clone());
        }
    }
    let stem = signature
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .and_then(|n| {
            [".sigstore.json", ".sigstore", ".sig"]
                .iter()
                .find_map(|ext| n.strip_suffix(ext).map(str::to_owned))
        });
    let wanted: Vec<String> = subject.map(|s| s.name).into_iter().chain(stem).collect();
    for w in wanted {
        if let Some((dir, _)) = candidates
            .iter()
            .filter(|(d, _)| d != root)
            .find(|(d, _)| name_of(d).as_deref() == Some(w.as_str()))
        {
            return Some(dir.clone());
        }
    }
    None
}
