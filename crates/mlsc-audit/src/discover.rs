//! What is under the audited path: model files (by content), cards, dependency declarations and environments,
//! signatures, DVC and Croissant records. Each check decides from this inventory whether it applies.
//!
//! Model files are recognised by [`mlsc_core::sniff`] on their first bytes, never by name; the other inputs are
//! conventions of their ecosystems and are recognised by name (`requirements*.txt`, `dvc.lock`, `*.sig`) or, for
//! Croissant, by the vocabulary URL in the first bytes.

use std::io::Read;
use std::path::{Path, PathBuf};

use mlsc_core::{Format, SNIFF_LEN};
use serde::Serialize;

use crate::Error;

/// Directories never descended into: version control, caches of tools, not content of the model or project.
/// `.dvc` holds DVC's cache (every tracked file again, under its md5) and its config: the data it caches is audited
/// where it is checked out, and its records (`*.dvc`, `dvc.lock`) live outside it.
const SKIP_DIRS: &[&str] = &[
    ".git",
    ".dvc",
    ".ipynb_checkpoints",
    ".nox",
    ".hg",
    ".svn",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".tox",
];

/// The walk stops after this many entries; the inventory then says it is truncated.
const MAX_ENTRIES: usize = 200_000;
/// Deeper directories are not visited (and the inventory says so).
const MAX_DEPTH: usize = 32;

/// A file and the format its content has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelFile {
    /// The file, as displayed in findings.
    pub path: String,
    /// The format its content has.
    pub format: Format,
    /// Its size in bytes.
    pub size: u64,
}

/// What was found under the target. Paths are the target joined with the relative path, as displayed in the
/// findings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Inventory {
    /// Files looked at.
    pub files: u64,
    /// Files whose content is a model or data format (anything binary: pickles, zips, safetensors, …).
    pub model_files: Vec<ModelFile>,
    /// Model cards: Hugging Face `README.md` (with model metadata or without dataset metadata) and Model Card
    /// Toolkit JSON.
    pub model_cards: Vec<String>,
    /// Hugging Face dataset cards (`README.md` whose front matter has dataset keys).
    pub dataset_cards: Vec<String>,
    /// Requirements files, `pyproject.toml` and lock files.
    pub dependency_files: Vec<String>,
    /// Installed environments (`site-packages` and other folders of `*.dist-info`), not descended into.
    pub environments: Vec<String>,
    /// Signature bundles (`*.sig`, `*.sigstore`, `*.sigstore.json`).
    pub signatures: Vec<String>,
    /// DVC records (`*.dvc`, `dvc.lock`).
    pub dvc: Vec<String>,
    /// Croissant JSON-LD metadata.
    pub croissant: Vec<String>,
    /// Directory symlinks not followed.
    pub symlinked_dirs: Vec<String>,
    /// True when the walk stopped early (entry or depth limit).
    pub truncated: bool,
    /// The audited path is a single file, not a directory.
    #[serde(skip)]
    pub(crate) single_file: bool,
}

/// Lock files and project files that declare Python dependencies.
fn is_dependency_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "pyproject.toml" | "uv.lock" | "poetry.lock" | "pipfile.lock" | "pylock.toml"
    ) || (lower.starts_with("pylock.") && lower.ends_with(".toml"))
        || (lower.ends_with(".txt")
            && (lower.contains("requirements") || lower.starts_with("constraints")))
}

fn is_signature(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".sig") || lower.ends_with(".sigstore") || lower.ends_with(".sigstore.json")
}

fn read_prefix(path: &Path) -> std::io::Result<Vec<u8>> {
    let file = fs_err::File::open(path)?;
    let mut buf = Vec::with_capacity(SNIFF_LEN);
    file.take(SNIFF_LEN as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// True when mlsc-cards takes the card for a dataset card (its front matter keys, repository path or title), so
/// that the audit lints each card as `mlsc card` would.
fn is_dataset_card(path: &Path) -> bool {
    let Ok(bytes) = fs_err::read(path) else {
        return false;
    };
    mlsc_cards::CardKind::detect(&path.display().to_string(), &bytes)
        == mlsc_cards::CardKind::Dataset
}

/// Walks `target` and classifies what it finds.
pub(crate) fn discover(target: &Path) -> Result<Inventory, Error> {
    let meta = fs_err::metadata(target).map_err(|source| Error::Target {
        path: target.to_owned(),
        source,
    })?;
    let mut inv = Inventory::default();
    if meta.is_file() {
        inv.single_file = true;
        classify(&mut inv, target, meta.len());
    } else {
        let mut entries = 0usize;
        walk(&mut inv, target, 0, &mut entries)?;
    }
    for list in [
        &mut inv.model_cards,
        &mut inv.dataset_cards,
        &mut inv.dependency_files,
        &mut inv.environments,
        &mut inv.signatures,
        &mut inv.dvc,
        &mut inv.croissant,
        &mut inv.symlinked_dirs,
    ] {
        list.sort();
    }
    inv.model_files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(inv)
}

fn walk(inv: &mut Inventory, dir: &Path, depth: usize, entries: &mut usize) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        inv.truncated = true;
        return Ok(());
    }
    let mut children: Vec<PathBuf> = fs_err::read_dir(dir)
        .map_err(Error::Walk)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    // Sorted, so that the inventory (and the truncation point, if any) does not depend on the file system.
    children.sort();
    if children
        .iter()
        .any(|c| c.extension().is_some_and(|e| e == "dist-info") && c.is_dir())
        && depth > 0
    {
        inv.environments.push(dir.display().to_string());
        return Ok(());
    }
    for child in children {
        *entries += 1;
        if *entries > MAX_ENTRIES {
            inv.truncated = true;
            return Ok(());
        }
        let name = child
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok(link_meta) = fs_err::symlink_metadata(&child) else {
            continue;
        };
        if link_meta.is_dir() {
            if SKIP_DIRS.contains(&name.as_str()) {
                continue;
            }
            walk(inv, &child, depth + 1, entries)?;
        } else if link_meta.file_type().is_symlink() {
            match fs_err::metadata(&child) {
                Ok(m) if m.is_file() => classify(inv, &child, m.len()),
                Ok(m) if m.is_dir() => inv.symlinked_dirs.push(child.display().to_string()),
                _ => {}
            }
        } else if link_meta.is_file() {
            classify(inv, &child, link_meta.len());
        }
    }
    Ok(())
}

fn classify(inv: &mut Inventory, path: &Path, size: u64) {
    inv.files += 1;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let shown = path.display().to_string();
    if is_dependency_file(&name) {
        inv.dependency_files.push(shown);
        return;
    }
    if is_signature(&name) {
        inv.signatures.push(shown);
        return;
    }
    if mlsc_provenance::is_dvc_path(path) {
        inv.dvc.push(shown);
        return;
    }
    if name.eq_ignore_ascii_case("README.md") {
        if is_dataset_card(path) {
            inv.dataset_cards.push(shown);
        } else {
            inv.model_cards.push(shown);
        }
        return;
    }
    let Ok(prefix) = read_prefix(path) else {
        // Unreadable: the scan check reports it with its error; here it only counts as a file.
        inv.model_files.push(ModelFile {
            path: shown,
            format: Format::Unknown,
            size,
        });
        return;
    };
    let format = mlsc_core::sniff(&prefix);
    if format == Format::Json {
        if mlsc_provenance::is_croissant(path) {
            inv.croissant.push(shown);
        } else if memchr_contains(&prefix, b"\"model_details\"") {
            // A Google Model Card Toolkit card (JSON): its top-level object starts with `model_details`.
            inv.model_cards.push(shown);
        }
        return;
    }
    if format.is_text() || format == Format::Empty {
        return;
    }
    inv.model_files.push(ModelFile {
        path: shown,
        format,
        size,
    });
}

fn memchr_contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for yes in [
            "requirements.txt",
            "requirements-dev.txt",
            "dev-requirements.txt",
            "constraints.txt",
            "pyproject.toml",
            "uv.lock",
            "poetry.lock",
            "Pipfile.lock",
            "pylock.toml",
            "pylock.dev.toml",
        ] {
            assert!(is_dependency_file(yes), "{yes}");
        }
        for no in ["readme.txt", "config.json", "Cargo.toml", "lock"] {
            assert!(!is_dependency_file(no), "{no}");
        }
        assert!(is_signature("model.sig") && is_signature("m.sigstore.json"));
        assert!(!is_signature("signature.txt"));
    }

    #[test]
    fn inventory_of_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        fs_err::write(p.join("model.bin"), b"\x80\x04K\x01.").unwrap();
        fs_err::write(p.join("config.json"), b"{\"a\": 1}").unwrap();
        fs_err::write(p.join("requirements.txt"), b"torch==1.13.0\n").unwrap();
        fs_err::write(p.join("README.md"), b"---\nlicense: mit\n---\n# m\n").unwrap();
        fs_err::create_dir_all(p.join("data")).unwrap();
        fs_err::write(
            p.join("data/README.md"),
            b"---\nlicense: mit\ntask_categories: [text-classification]\n---\n# d\n",
        )
        .unwrap();
        fs_err::write(
            p.join("data/croissant.json"),
            b"{\"@context\": {\"cr\": \"http://mlcommons.org/croissant/\"}}",
        )
        .unwrap();
        fs_err::write(p.join("data.dvc"), b"outs: []\n").unwrap();
        fs_err::write(
            p.join("model_card.json"),
            b"{\"model_details\": {\"name\": \"m\"}}",
        )
        .unwrap();
        fs_err::write(p.join("model.sig"), b"{}").unwrap();
        fs_err::create_dir_all(p.join(".venv/lib/site-packages/x-1.0.dist-info")).unwrap();
        fs_err::create_dir_all(p.join(".git")).unwrap();
        fs_err::write(p.join(".git/evil.pkl"), b"\x80\x04K\x01.").unwrap();
        let inv = discover(p).unwrap();
        let rel = |v: &[String]| -> Vec<String> {
            v.iter()
                .map(|s| Path::new(s).strip_prefix(p).unwrap().display().to_string())
                .collect()
        };
        assert_eq!(inv.model_files.len(), 1);
        assert_eq!(inv.model_files[0].format, Format::Pickle);
        assert_eq!(rel(&inv.model_cards), ["README.md", "model_card.json"]);
        assert_eq!(rel(&inv.dataset_cards), ["data/README.md"]);
        assert_eq!(rel(&inv.croissant), ["data/croissant.json"]);
        assert_eq!(rel(&inv.dependency_files), ["requirements.txt"]);
        assert_eq!(rel(&inv.dvc), ["data.dvc"]);
        assert_eq!(rel(&inv.signatures), ["model.sig"]);
        assert_eq!(rel(&inv.environments), [".venv/lib/site-packages"]);
        assert!(!inv.truncated);
    }
}
