//! A model directory (Hugging Face layout, local) as a `machine-learning-model` component with its files.
//!
//! Discovery: the path may be a plain directory, a Hugging Face cache snapshot
//! (`…/models--<ns>--<name>/snapshots/<revision>/`), or the cache repository folder itself
//! (`…/models--<ns>--<name>/`, resolved through `refs/main`, or through its only snapshot). In a cache, files are
//! symlinks into `blobs/`; a blob named by 64 hex digits is an LFS file whose name is its SHA-256, which we compare
//! with the digest we compute (a mismatch is a finding: the cache was tampered with or corrupted).
//!
//! The directory hash: SHA-256 over the `sha256sum`-style manifest of every file we list, sorted by relative path
//! (bytes, `/`-separated): one line `"<hex sha256>  <path>\n"` per file. It can be reproduced with
//! `(cd DIR && find . -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum` when no file is
//! skipped (`.git/`, `.cache/` and `.huggingface/` are).

use std::path::{Path, PathBuf};

use mlsc_core::{Finding, Location, Severity, Sha256Digest, Verdict};

use crate::bom::rules;

use crate::Error;
use crate::bom::card::CardFacts;
use crate::bom::model::{Component, ComponentType, Hash};

/// Folders never listed: VCS metadata and tool caches, not part of the model.
const SKIPPED_DIRS: &[&str] = &[".git", ".cache", ".huggingface", "__pycache__"];

/// Largest `config.json` parsed; real ones are a few KiB.
pub(crate) const MAX_CONFIG_BYTES: u64 = 16 << 20;

/// What kind of file of a model directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileRole {
    Weights,
    Config,
    Tokenizer,
    Card,
    Code,
    Other,
}

impl FileRole {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FileRole::Weights => "weights",
            FileRole::Config => "config",
            FileRole::Tokenizer => "tokenizer",
            FileRole::Card => "card",
            FileRole::Code => "code",
            FileRole::Other => "other",
        }
    }

    /// By name only: this is a label for people, not a security decision (the scanner sniffs content).
    pub(crate) fn of(rel: &str) -> FileRole {
        let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
        let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        if name.starts_with("tokenizer")
            || name.starts_with("vocab")
            || name.starts_with("merges")
            || name == "special_tokens_map.json"
            || name == "added_tokens.json"
            || name.ends_with(".model") && name.contains("spiece")
            || name == "sentencepiece.bpe.model"
        {
            return FileRole::Tokenizer;
        }
        if name == "readme.md" || name == "model_card.md" {
            return FileRole::Card;
        }
        match ext {
            "safetensors" | "bin" | "pt" | "pth" | "ckpt" | "gguf" | "ggml" | "onnx" | "h5"
            | "keras" | "pkl" | "pickle" | "joblib" | "npy" | "npz" | "msgpack" | "tflite"
            | "pb" | "mlmodel" | "ot" | "nemo" => FileRole::Weights,
            "json" | "yaml" | "yml" | "toml" | "cfg" | "ini" => {
                if name.ends_with(".index.json") {
                    FileRole::Weights
                } else {
                    FileRole::Config
                }
            }
            "py" => FileRole::Code,
            _ => FileRole::Other,
        }
    }
}

/// Where the model directory sits in a Hugging Face cache, when it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HfCache {
    /// The organisation or user; `None` for old un-namespaced models (`gpt2`).
    pub(crate) namespace: Option<String>,
    /// The repository name.
    pub(crate) name: String,
    /// The commit the snapshot is of.
    pub(crate) revision: String,
    /// The cache repository folder (`models--ns--name`).
    pub(crate) repo_dir: PathBuf,
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `models--ns--name` → (Some(ns), name); `models--gpt2` → (None, gpt2).
fn parse_repo_folder(name: &str) -> Option<(Option<String>, String)> {
    let rest = name.strip_prefix("models--")?;
    let mut parts = rest.splitn(2, "--");
    let first = parts.next()?.to_owned();
    match parts.next() {
        Some(second) if !second.is_empty() && !first.is_empty() => {
            Some((Some(first), second.to_owned()))
        }
        None if !first.is_empty() => Some((None, first)),
        _ => None,
    }
}

/// Resolves `path` to the directory to list and the cache facts, if it is in a Hugging Face cache.
pub(crate) fn resolve(path: &Path) -> Result<(PathBuf, Option<HfCache>), Error> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let meta = fs_err::metadata(path).map_err(io)?;
    if !meta.is_dir() {
        return Err(Error::NotADirectory {
            path: path.to_owned(),
        });
    }
    let file_name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    // A snapshot: …/models--ns--name/snapshots/<rev>
    if let (Some(rev), Some(parent)) = (file_name(path), path.parent())
        && file_name(parent).as_deref() == Some("snapshots")
        && let Some(repo_dir) = parent.parent()
        && let Some((namespace, name)) = file_name(repo_dir).as_deref().and_then(parse_repo_folder)
    {
        return Ok((
            path.to_owned(),
            Some(HfCache {
                namespace,
                name,
                revision: rev,
                repo_dir: repo_dir.to_owned(),
            }),
        ));
    }
    // The repository folder: pick refs/main, or the only snapshot.
    if let Some((namespace, name)) = file_name(path).as_deref().and_then(parse_repo_folder) {
        let snapshots = path.join("snapshots");
        let main = fs_err::read_to_string(path.join("refs").join("main"))
            .ok()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty() && !s.contains(['/', '\\']) && s != "." && s != "..");
        let revision = match main {
            Some(rev) if snapshots.join(&rev).is_dir() => Some(rev),
            _ => {
                let mut revs: Vec<String> = fs_err::read_dir(&snapshots)
                    .map(|rd| {
                        rd.filter_map(|e| e.ok())
                            .filter(|e| e.path().is_dir())
                            .map(|e| e.file_name().to_string_lossy().into_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                revs.sort();
                if revs.len() == 1 { revs.pop() } else { None }
            }
        };
        if let Some(revision) = revision {
            return Ok((
                snapshots.join(&revision),
                Some(HfCache {
                    namespace,
                    name,
                    revision,
                    repo_dir: path.to_owned(),
                }),
            ));
        }
        return Err(Error::AmbiguousSnapshot {
            path: path.to_owned(),
        });
    }
    Ok((path.to_owned(), None))
}

/// One listed file.
#[derive(Debug, Clone)]
pub(crate) struct ListedFile {
    /// `/`-separated, relative to the model directory.
    pub(crate) rel: String,
    /// The path to open (the symlink itself: opening follows it).
    pub(crate) path: PathBuf,
    /// The blob a cache symlink points to, when it does.
    pub(crate) blob: Option<String>,
}

/// Lists the regular files under `dir` (following file symlinks, not directory symlinks), sorted by relative path.
/// Findings report symlinks that leave the directory (other than into the cache's `blobs/`) and the file limit.
pub(crate) fn list_files(
    dir: &Path,
    cache: Option<&HfCache>,
    max_files: usize,
    findings: &mut Vec<Finding>,
) -> Result<Vec<ListedFile>, Error> {
    let mut out = Vec::new();
    let canon_dir = fs_err::canonicalize(dir).map_err(|e| Error::Io {
        path: dir.to_owned(),
        source: e,
    })?;
    let blobs_dir = cache.and_then(|c| std::fs::canonicalize(c.repo_dir.join("blobs")).ok());
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .max_depth(32)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            !(e.depth() > 0
                && e.file_type().is_dir()
                && SKIPPED_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| dir.display().to_string());
                findings.push(
                    rules::UNREADABLE_FILE
                        .finding_at(Severity::Medium, format!("cannot list `{p}`: {e}"))
                        .at(Location::file(p)),
                );
                continue;
            }
        };
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        let rel = match entry.path().strip_prefix(dir) {
            Ok(r) => r
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            Err(_) => continue,
        };
        let mut blob = None;
        if ft.is_symlink() {
            let Ok(target) = std::fs::canonicalize(entry.path()) else {
                findings.push(
                    rules::UNREADABLE_FILE
                        .finding_at(Severity::Medium, format!("`{rel}` is a broken symlink"))
                        .at(Location::file(entry.path().display().to_string())),
                );
                continue;
            };
            if target.is_dir() {
                continue;
            }
            let in_blobs = blobs_dir.as_ref().is_some_and(|b| target.starts_with(b));
            if in_blobs {
                blob = target.file_name().map(|n| n.to_string_lossy().into_owned());
            } else if !target.starts_with(&canon_dir) {
                findings.push(
                    rules::SYMLINK_ESCAPE.finding_at(Severity::Medium, format!(
                            "`{rel}` links to `{}`, outside the model directory: the BOM hashes what it points to",
                            target.display()
                        ),
                    )
                    .at(Location::file(entry.path().display().to_string())),
                );
            }
        } else if !ft.is_file() {
            continue;
        }
        if out.len() >= max_files {
            findings.push(
                rules::TOO_MANY_FILES.finding_at(Severity::Medium, format!(
                        "the model directory has more than {max_files} files: the rest are not in the BOM and the \
                         directory hash does not cover them"
                    ),
                )
                .at(Location::file(dir.display().to_string())),
            );
            break;
        }
        out.push(ListedFile {
            rel,
            path: entry.path().to_owned(),
            blob,
        });
    }
    out.sort_by(|a, b| a.rel.as_bytes().cmp(b.rel.as_bytes()));
    Ok(out)
}

/// The directory hash of `(relative path, digest)` pairs sorted by path: see the module documentation.
pub fn directory_digest<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a Sha256Digest)>,
) -> Sha256Digest {
    let mut manifest = String::new();
    for (rel, digest) in entries {
        manifest.push_str(&digest.to_hex());
        manifest.push_str("  ");
        manifest.push_str(rel);
        manifest.push('\n');
    }
    Sha256Digest::of(manifest.as_bytes())
}

/// Facts read from `config.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ConfigFacts {
    pub(crate) architectures: Vec<String>,
    pub(crate) model_type: Option<String>,
    pub(crate) name_or_path: Option<String>,
}

pub(crate) fn read_config(path: &Path, findings: &mut Vec<Finding>) -> Option<ConfigFacts> {
    let display = path.display().to_string();
    let meta = fs_err::metadata(path).ok()?;
    if meta.len() > MAX_CONFIG_BYTES {
        findings.push(
            rules::UNREADABLE_CONFIG
                .finding_at(
                    Severity::Low,
                    format!(
                        "`{display}` is {} bytes, more than the {MAX_CONFIG_BYTES} read",
                        meta.len()
                    ),
                )
                .at(Location::file(display)),
        );
        return None;
    }
    let text = fs_err::read(path).ok()?;
    config_facts(&text, &display, findings)
}

/// The facts of a `config.json` already read (`display` names it in findings).
pub(crate) fn config_facts(
    text: &[u8],
    display: &str,
    findings: &mut Vec<Finding>,
) -> Option<ConfigFacts> {
    let value: serde_json::Value = match serde_json::from_slice(text) {
        Ok(v) => v,
        Err(e) => {
            findings.push(
                rules::UNREADABLE_CONFIG
                    .finding_at(Severity::Low, format!("`{display}` is not JSON: {e}"))
                    .at(Location::file(display)
                        .at_line(u32::try_from(e.line()).unwrap_or(u32::MAX))),
            );
            return None;
        }
    };
    let obj = value.as_object()?;
    let s = |k: &str| obj.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    Some(ConfigFacts {
        architectures: obj
            .get("architectures")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
        model_type: s("model_type"),
        name_or_path: s("_name_or_path").filter(|n| !n.is_empty()),
    })
}

/// Percent-encodes a purl segment (RFC 3986 unreserved characters stay).
pub(crate) fn purl_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `pkg:huggingface/<ns>/<name>[@<revision>]`.
pub(crate) fn hf_purl(namespace: Option<&str>, name: &str, revision: Option<&str>) -> String {
    let mut p = String::from("pkg:huggingface/");
    if let Some(ns) = namespace {
        p.push_str(&purl_segment(ns));
        p.push('/');
    }
    p.push_str(&purl_segment(name));
    if let Some(rev) = revision {
        p.push('@');
        p.push_str(&purl_segment(&rev.to_ascii_lowercase()));
    }
    p
}

/// A hashed file.
#[derive(Debug, Clone)]
pub(crate) struct HashedFile {
    pub(crate) listed: ListedFile,
    pub(crate) digest: Option<(Sha256Digest, u64)>,
    pub(crate) verdict: Option<Verdict>,
    pub(crate) scan_findings: Vec<Finding>,
    /// The digest is the SHA-256 a Hub listing gives for an LFS file, not one computed from the bytes.
    pub(crate) lfs_listed: bool,
}

/// The file component of a hashed file, with its findings (LFS mismatch).
pub(crate) fn file_component(
    parent_ref: &str,
    f: &HashedFile,
    findings: &mut Vec<Finding>,
) -> Component {
    let mut c = Component::new(ComponentType::File, f.listed.rel.clone());
    c.bom_ref = Some(format!("{parent_ref}#file:{}", f.listed.rel));
    let role = FileRole::of(&f.listed.rel);
    if let Some((digest, size)) = &f.digest {
        c.hashes.push(Hash::sha256(digest.to_hex()));
        c.push_property("mlsc:file:size", size.to_string());
    }
    c.push_property("mlsc:file:role", role.as_str());
    if f.lfs_listed {
        c.push_property("mlsc:hf:lfs-sha256", "listed");
    }
    if let Some(blob) = &f.listed.blob {
        if is_hex(blob, 64) {
            let expected = blob.to_ascii_lowercase();
            match &f.digest {
                Some((d, _)) if d.to_hex() == expected => {
                    c.push_property("mlsc:hf:lfs-sha256", "verified");
                }
                Some((d, _)) => {
                    c.push_property("mlsc:hf:lfs-sha256", "mismatch");
                    findings.push(
                        rules::CACHE_BLOB_MISMATCH.finding_at(Severity::High, format!(
                                "`{}` links to blob `{expected}` but its SHA-256 is {}: the cached file was \
                                 altered or corrupted",
                                f.listed.rel,
                                d.to_hex()
                            ),
                        )
                        .at(Location::file(f.listed.path.display().to_string())),
                    );
                }
                None => {}
            }
        } else {
            // Small files are stored in git, named by their git blob SHA-1: recorded, not verifiable with SHA-256.
            c.push_property("mlsc:hf:git-blob", blob.clone());
        }
    }
    if let Some(v) = f.verdict {
        push_verdict(&mut c, v, &f.scan_findings);
    }
    c
}

/// Most `mlsc:scan:finding` properties written per component; the count is always exact.
const MAX_FINDING_PROPERTIES: usize = 20;

pub(crate) fn push_verdict(c: &mut Component, v: Verdict, findings: &[Finding]) {
    c.push_property("mlsc:scan:verdict", v.to_string());
    c.push_property(
        "mlsc:scan:completeness",
        serde_json::to_value(v.completeness)
            .ok()
            .and_then(|x| x.as_str().map(str::to_owned))
            .unwrap_or_default(),
    );
    c.push_property(
        "mlsc:scan:assessment",
        serde_json::to_value(v.assessment)
            .ok()
            .and_then(|x| x.as_str().map(str::to_owned))
            .unwrap_or_default(),
    );
    c.push_property("mlsc:scan:findings", findings.len().to_string());
    for f in findings.iter().take(MAX_FINDING_PROPERTIES) {
        c.push_property(
            "mlsc:scan:finding",
            format!("{} {}: {}", f.code, f.severity, f.message),
        );
    }
}

/// The name of the model: the cache's, then the card's, then `config.json`'s, then the folder's.
pub(crate) fn model_name(
    dir: &Path,
    cache: Option<&HfCache>,
    card: Option<&CardFacts>,
    config: Option<&ConfigFacts>,
) -> (Option<String>, String) {
    if let Some(c) = cache {
        return (c.namespace.clone(), c.name.clone());
    }
    if let Some(n) = card
        .and_then(|c| c.model_name.clone())
        .filter(|n| !n.trim().is_empty())
    {
        return split_repo_id(&n);
    }
    if let Some(n) = config.and_then(|c| c.name_or_path.clone())
        && !n.starts_with('/')
        && !n.starts_with('.')
        && n.matches('/').count() <= 1
    {
        return split_repo_id(&n);
    }
    let folder = fs_err::canonicalize(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "model".to_owned());
    (None, folder)
}

/// `ns/name` → (Some(ns), name).
pub(crate) fn split_repo_id(id: &str) -> (Option<String>, String) {
    match id.trim().split_once('/') {
        Some((ns, name)) if !ns.is_empty() && !name.is_empty() => {
            (Some(ns.to_owned()), name.to_owned())
        }
        _ => (None, id.trim().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_folders() {
        assert_eq!(
            parse_repo_folder("models--google--gemma-2b"),
            Some((Some("google".into()), "gemma-2b".into()))
        );
        assert_eq!(
            parse_repo_folder("models--gpt2"),
            Some((None, "gpt2".into()))
        );
        assert_eq!(parse_repo_folder("datasets--x--y"), None);
        assert_eq!(parse_repo_folder("models--"), None);
    }

    #[test]
    fn purls() {
        assert_eq!(
            hf_purl(Some("google"), "gemma-2b", Some("ABC123")),
            "pkg:huggingface/google/gemma-2b@abc123"
        );
        assert_eq!(hf_purl(None, "a b", None), "pkg:huggingface/a%20b");
    }

    #[test]
    fn roles() {
        assert_eq!(FileRole::of("model.safetensors"), FileRole::Weights);
        assert_eq!(
            FileRole::of("model.safetensors.index.json"),
            FileRole::Weights
        );
        assert_eq!(FileRole::of("tokenizer.json"), FileRole::Tokenizer);
        assert_eq!(FileRole::of("config.json"), FileRole::Config);
        assert_eq!(FileRole::of("README.md"), FileRole::Card);
        assert_eq!(FileRole::of("sub/modeling.py"), FileRole::Code);
    }

    #[test]
    fn directory_digest_is_sha256sum_manifest() {
        let a = Sha256Digest::of(b"a");
        let b = Sha256Digest::of(b"b");
        let got = directory_digest([("x/a", &a), ("y", &b)]);
        let manifest = format!("{}  x/a\n{}  y\n", a.to_hex(), b.to_hex());
        assert_eq!(got, Sha256Digest::of(manifest.as_bytes()));
    }
}
