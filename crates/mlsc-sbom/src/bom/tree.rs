//! A project folder as one BOM: every model directory, dataset and Python input under it, and what could not be
//! covered.
//!
//! The walk (bounded: depth 32, 200 000 entries) sorts what it meets into
//! - model directories: a folder with a `config.json`, a `model_index.json` or a weight file at its top level (or a
//!   Hugging Face cache folder), described as `model_dir_bom` describes one, and not descended into further;
//! - datasets: a folder with a dataset card (`README.md` whose front matter has dataset keys) or a Croissant file,
//!   what a DVC record (`*.dvc`, the `outs` of `dvc.lock`) tracks, and the folders holding data files by their
//!   usual extensions (`.csv`, `.parquet`, `.jsonl`, …); each is one `data` component listing its files with their
//!   SHA-256;
//! - Python inputs (requirements, `pyproject.toml`, lock files, environments), read by `mlsc_deps`' folder search;
//! - everything else: text (scripts, docs) is not a supply-chain artefact and is left out silently; a binary file of
//!   no known kind, a folder the walk did not enter (a limit, a directory symlink, a read error) and a dependency
//!   file the Python search did not read are *not covered*: each one is a finding (`MLSC-BOM-008`) and a
//!   `mlsc:bom:not-covered` property of the BOM's metadata, so a BOM never leaves something out without a word.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use mlsc_core::{Finding, Location};

use crate::bom::build::looks_like_model_dir;
use crate::bom::licenses::hub_license;
use crate::bom::model::{Component, ComponentData, ComponentType, Hash, Property};

/// Folders never entered: version control, DVC's cache, tool caches. They are not content of the project.
const SKIP_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".dvc",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".tox",
    ".cache",
    ".huggingface",
    ".ipynb_checkpoints",
];
const MAX_DEPTH: usize = 32;
const MAX_ENTRIES: usize = 200_000;
/// Bytes read to tell text from binary and to recognise Croissant.
const SNIFF_BYTES: u64 = 64 << 10;
/// Largest DVC record or dataset card read; real ones are a few KiB.
const MAX_RECORD_BYTES: u64 = 4 << 20;

/// Extensions of data files (tables, records, arrays): a folder holding them is a dataset.
const DATA_EXTENSIONS: &[&str] = &[
    "csv",
    "tsv",
    "parquet",
    "jsonl",
    "ndjson",
    "arrow",
    "feather",
    "avro",
    "orc",
    "tfrecord",
    "tfrecords",
    "xlsx",
    "zarr",
    "lance",
];

/// One dataset found under the root.
#[derive(Debug, Clone, Default)]
pub(crate) struct DatasetSpot {
    /// Relative path (`/`-separated) of the dataset's folder or DVC-tracked path; `.` for the root itself.
    pub(crate) rel: String,
    /// The dataset card, when there is one.
    pub(crate) card: Option<PathBuf>,
    /// Croissant files describing it.
    pub(crate) croissant: Vec<PathBuf>,
    /// DVC records tracking it.
    pub(crate) dvc: Vec<PathBuf>,
    /// True when a DVC record names it but it is not in the work tree (not pulled).
    pub(crate) absent: bool,
    /// Its data files.
    pub(crate) files: Vec<PathBuf>,
}

/// What the walk found.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    pub(crate) model_dirs: Vec<PathBuf>,
    pub(crate) datasets: Vec<DatasetSpot>,
    /// Requirements files, `pyproject.toml`, lock files and environments, to check against what was read.
    pub(crate) python_inputs: Vec<PathBuf>,
    /// `(path, why)` of what the BOM cannot describe.
    pub(crate) not_covered: Vec<(String, String)>,
    entries: usize,
    truncated: bool,
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn rel_of(root: &Path, p: &Path) -> String {
    match p.strip_prefix(root) {
        Ok(r) if r.as_os_str().is_empty() => ".".to_owned(),
        Ok(r) => r
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => p.display().to_string(),
    }
}

/// Requirements, constraints, `pyproject.toml` and lock files, by the names their tools give them.
pub(crate) fn is_dependency_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "pyproject.toml" | "uv.lock" | "poetry.lock" | "pipfile.lock" | "pylock.toml" | "pdm.lock"
    ) || (lower.starts_with("pylock.") && lower.ends_with(".toml"))
        || (lower.ends_with(".txt")
            && (lower.contains("requirements") || lower.starts_with("constraints")))
}

fn is_data_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let lower = lower
        .strip_suffix(".gz")
        .or_else(|| lower.strip_suffix(".zst"))
        .or_else(|| lower.strip_suffix(".bz2"))
        .or_else(|| lower.strip_suffix(".xz"))
        .unwrap_or(&lower);
    lower
        .rsplit_once('.')
        .is_some_and(|(_, ext)| DATA_EXTENSIONS.contains(&ext))
}

fn head(path: &Path, max: u64) -> Option<Vec<u8>> {
    let file = fs_err::File::open(path).ok()?;
    let mut buf = Vec::new();
    file.take(max).read_to_end(&mut buf).ok()?;
    Some(buf)
}

fn is_croissant(path: &Path) -> bool {
    name_of(path).to_ascii_lowercase().ends_with(".json")
        && head(path, SNIFF_BYTES).is_some_and(|b| {
            b.windows(24)
                .any(|w| w.eq_ignore_ascii_case(b"mlcommons.org/croissant/"))
        })
}

fn is_dataset_card(path: &Path) -> bool {
    name_of(path).eq_ignore_ascii_case("README.md")
        && head(path, MAX_RECORD_BYTES).is_some_and(|b| {
            mlsc_cards::CardKind::detect(&path.display().to_string(), &b)
                == mlsc_cards::CardKind::Dataset
        })
}

fn is_environment(dir: &Path, children: &[PathBuf]) -> bool {
    dir.join("pyvenv.cfg").is_file()
        || children
            .iter()
            .any(|c| c.extension().is_some_and(|e| e == "dist-info") && c.is_dir())
}

/// The paths a DVC record's `outs` name, relative to the record's folder. A line scan, not a YAML parser: DVC
/// writes these files itself in one shape (`outs:` then `- path: X` or `- md5: …` / `path: X` items), and a path
/// missed here only leaves files to be described as plain data files.
fn dvc_outs(record: &Path) -> Vec<String> {
    let Some(bytes) = head(record, MAX_RECORD_BYTES) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut outs = Vec::new();
    let mut outs_indent: Option<usize> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if trimmed == "outs:" {
            outs_indent = Some(indent);
            continue;
        }
        let Some(oi) = outs_indent else { continue };
        // A key at the level of `outs:` (or above) ends the block; list items may sit at the same indent.
        if indent < oi || (indent == oi && !trimmed.starts_with('-')) {
            outs_indent = None;
            continue;
        }
        let item = trimmed.trim_start_matches('-').trim_start();
        if let Some(p) = item.strip_prefix("path:") {
            let p = p.trim().trim_matches(|c| c == '"' || c == '\'');
            if !p.is_empty() && !p.starts_with('/') && !p.split('/').any(|s| s == "..") {
                outs.push(p.trim_end_matches('/').to_owned());
            }
        }
    }
    outs
}

impl Tree {
    fn not_covered(&mut self, root: &Path, path: &Path, why: impl Into<String>) {
        self.not_covered.push((rel_of(root, path), why.into()));
    }

    fn spot(&mut self, rel: &str) -> usize {
        if let Some(i) = self.datasets.iter().position(|d| d.rel == rel) {
            return i;
        }
        self.datasets.push(DatasetSpot {
            rel: rel.to_owned(),
            ..DatasetSpot::default()
        });
        self.datasets.len() - 1
    }
}

/// Walks `root` (a folder that is not itself a model directory).
pub(crate) fn walk(root: &Path) -> Tree {
    let mut tree = Tree::default();
    let mut claimed = BTreeSet::new();
    visit(&mut tree, root, root, 0, None, &mut claimed);
    if tree.truncated {
        tree.not_covered(
            root,
            root,
            format!(
                "the walk stopped at its limits ({MAX_ENTRIES} entries, depth {MAX_DEPTH}): what lies beyond is not \
                 described"
            ),
        );
    }
    tree.datasets.sort_by(|a, b| a.rel.cmp(&b.rel));
    tree
}

/// Visits `dir`; `dataset` is the index of the dataset the folder belongs to, when an ancestor (or a DVC record)
/// made it one. `claimed` holds the paths DVC records track, so that their files go to the record's dataset.
fn visit(
    tree: &mut Tree,
    root: &Path,
    dir: &Path,
    depth: usize,
    dataset: Option<usize>,
    claimed: &mut BTreeSet<PathBuf>,
) {
    if depth > MAX_DEPTH {
        tree.truncated = true;
        return;
    }
    let mut children: Vec<PathBuf> = match fs_err::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            tree.not_covered(root, dir, format!("the folder could not be read: {e}"));
            return;
        }
    };
    // Sorted, so that the BOM (and a truncation point) does not depend on the file system's order.
    children.sort();
    if depth > 0 && looks_like_model_dir(dir) {
        tree.model_dirs.push(dir.to_owned());
        return;
    }
    if depth > 0 && is_environment(dir, &children) {
        tree.python_inputs.push(dir.to_owned());
        return;
    }
    // A dataset card or a Croissant file makes this folder a dataset (unless an ancestor already is one).
    let mut here = dataset;
    if here.is_none() {
        let card = children
            .iter()
            .find(|c| c.is_file() && is_dataset_card(c))
            .cloned();
        let croissant: Vec<PathBuf> = children
            .iter()
            .filter(|c| c.is_file() && is_croissant(c))
            .cloned()
            .collect();
        if card.is_some() || !croissant.is_empty() {
            let i = tree.spot(&rel_of(root, dir));
            tree.datasets[i].card = card;
            tree.datasets[i].croissant = croissant;
            here = Some(i);
        }
    } else if let Some(i) = here {
        for c in children.iter().filter(|c| c.is_file() && is_croissant(c)) {
            tree.datasets[i].croissant.push(c.clone());
        }
    }
    // DVC records first: what they track belongs to them, whatever its place in the sorted order.
    for c in &children {
        let name = name_of(c);
        let is_record = name.ends_with(".dvc") || name == "dvc.lock";
        if !is_record || !c.is_file() {
            continue;
        }
        let outs = if name == "dvc.lock" {
            dvc_outs(c)
        } else {
            let mut o = dvc_outs(c);
            if o.is_empty() {
                o.push(name.trim_end_matches(".dvc").to_owned());
            }
            o
        };
        for out in outs {
            let target = dir.join(&out);
            // A pipeline's output may be a model: that is described as a model, not as data.
            if crate::bom::model_dir::FileRole::of(&out) == crate::bom::model_dir::FileRole::Weights
                || (target.is_dir() && looks_like_model_dir(&target))
            {
                continue;
            }
            let i = tree.spot(&rel_of(root, &target));
            tree.datasets[i].dvc.push(c.clone());
            tree.datasets[i].absent = !target.exists();
            claimed.insert(target);
        }
    }
    for child in children {
        tree.entries += 1;
        if tree.entries > MAX_ENTRIES {
            tree.truncated = true;
            return;
        }
        let name = name_of(&child);
        let Ok(meta) = fs_err::symlink_metadata(&child) else {
            tree.not_covered(root, &child, "the entry could not be read");
            continue;
        };
        let tracked = claimed
            .contains(&child)
            .then(|| tree.spot(&rel_of(root, &child)));
        if meta.file_type().is_symlink() && child.is_dir() {
            tree.not_covered(root, &child, "a directory symlink, not followed");
            continue;
        }
        if child.is_dir() {
            if SKIP_DIRS.contains(&name.as_str()) {
                continue;
            }
            visit(tree, root, &child, depth + 1, tracked.or(here), claimed);
            continue;
        }
        if !child.is_file() {
            continue;
        }
        if name.ends_with(".dvc") || name == "dvc.lock" || name == ".dvcignore" {
            continue;
        }
        if is_dependency_file(&name) {
            tree.python_inputs.push(child);
            continue;
        }
        if let Some(i) = tracked.or(here) {
            let d = &tree.datasets[i];
            let special = d.card.as_ref() == Some(&child) || d.croissant.contains(&child);
            if !special {
                tree.datasets[i].files.push(child);
            }
            continue;
        }
        if is_data_file(&name) {
            let i = tree.spot(&rel_of(root, dir));
            tree.datasets[i].files.push(child);
            continue;
        }
        // Anything else: text is the project's own code and documentation; a binary of no known kind is named.
        let Some(prefix) = head(&child, SNIFF_BYTES) else {
            tree.not_covered(root, &child, "the file could not be read");
            continue;
        };
        let format = mlsc_core::sniff(&prefix);
        if !(format.is_text()
            || format == mlsc_core::Format::Empty
            || format == mlsc_core::Format::Json)
        {
            tree.not_covered(
                root,
                &child,
                format!(
                    "a file of format `{format}` outside any model directory or dataset: the BOM does not describe it"
                ),
            );
        }
    }
}

/// The `data` component of a dataset found under `root`, its files hashed. Unreadable files are findings.
pub(crate) fn dataset_component(
    root: &Path,
    spot: &DatasetSpot,
    bom_ref: &str,
    max_files: usize,
    findings: &mut Vec<Finding>,
) -> Component {
    let name = if spot.rel == "." {
        fs_err::canonicalize(root)
            .ok()
            .map(|p| name_of(&p))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "dataset".to_owned())
    } else {
        spot.rel.clone()
    };
    let mut comp = Component::new(ComponentType::Data, name.clone());
    comp.bom_ref = Some(bom_ref.to_owned());
    let mut data = ComponentData::dataset(name);
    let mut files = spot.files.clone();
    files.sort();
    if files.len() > max_files {
        findings.push(
            crate::bom::rules::TOO_MANY_FILES.finding(format!(
                    "the dataset `{}` has {} files, more than {max_files}: the rest are not in the BOM",
                    spot.rel,
                    files.len()
                ))
            .at(Location::file(root.join(&spot.rel).display().to_string())),
        );
        files.truncate(max_files);
    }
    if let Some(card) = &spot.card {
        comp.push_property("mlsc:dataset:card", rel_of(root, card));
        match head(card, MAX_RECORD_BYTES).map(|b| mlsc_cards::DatasetCard::parse_bytes(&b)) {
            Some(Ok(c)) => {
                if let Some(p) = &c.pretty_name {
                    data.description = Some(p.clone());
                }
                for lic in &c.license {
                    if let Some(l) =
                        hub_license(lic, c.license_name.as_deref(), c.license_link.as_deref())
                    {
                        comp.licenses.push(l);
                    }
                }
            }
            _ => findings.push(
                crate::bom::rules::UNREADABLE_CARD
                    .finding(
                        "the dataset card could not be parsed: the BOM lacks its licence"
                            .to_owned(),
                    )
                    .at(Location::file(card.display().to_string())),
            ),
        }
    }
    for c in &spot.croissant {
        comp.push_property("mlsc:dataset:croissant", rel_of(root, c));
    }
    for d in &spot.dvc {
        comp.push_property("mlsc:dataset:dvc-record", rel_of(root, d));
    }
    if spot.absent {
        comp.push_property(
            "mlsc:dataset:status",
            "tracked by DVC but not in the work tree (not pulled): its files are not listed",
        );
    }
    let digests = mlsc_core::sha256_files(&files);
    let mut total = 0u64;
    let mut all = true;
    let mut pairs = Vec::new();
    let base = root.join(&spot.rel);
    for (path, digest) in files.iter().zip(digests) {
        let rel = rel_of(root, path);
        // The directory hash is over paths inside the dataset's folder, as `sha256sum` run there would list them.
        let inner = if spot.rel == "." {
            rel.clone()
        } else {
            rel_of(&base, path)
        };
        let mut f = Component::new(ComponentType::File, rel.clone());
        f.bom_ref = Some(format!("{bom_ref}#file:{rel}"));
        match digest {
            Ok((d, n)) => {
                f.hashes.push(Hash::sha256(d.to_hex()));
                f.push_property("mlsc:file:size", n.to_string());
                total += n;
                pairs.push((inner, d));
            }
            Err(e) => {
                all = false;
                findings.push(
                    crate::bom::rules::UNREADABLE_FILE
                        .finding(format!("cannot hash `{rel}`: {e}"))
                        .at(Location::file(path.display().to_string())),
                );
            }
        }
        comp.components.push(f);
    }
    if all && !pairs.is_empty() {
        let digest =
            crate::bom::model_dir::directory_digest(pairs.iter().map(|(r, d)| (r.as_str(), d)));
        comp.hashes.push(Hash::sha256(digest.to_hex()));
        comp.push_property("mlsc:directory-hash:method", "sha256-manifest-v1");
    }
    comp.push_property("mlsc:dataset:files", files.len().to_string());
    comp.push_property("mlsc:dataset:bytes", total.to_string());
    comp.data.push(data);
    comp
}

/// The finding and the metadata property of one thing the BOM does not cover.
pub(crate) fn not_covered(
    root: &Path,
    rel: &str,
    why: &str,
    findings: &mut Vec<Finding>,
    properties: &mut Vec<Property>,
) {
    let shown = if rel == "." {
        root.display().to_string()
    } else {
        root.join(rel).display().to_string()
    };
    findings.push(
        crate::bom::rules::NOT_COVERED
            .finding(format!("`{rel}`: {why}"))
            .at(Location::file(shown)),
    );
    properties.push(Property::new(
        "mlsc:bom:not-covered",
        format!("{rel}: {why}"),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dvc_outs_of_a_record_and_a_lock() {
        let dir = tempfile::tempdir().unwrap();
        let rec = dir.path().join("data.dvc");
        fs_err::write(
            &rec,
            "outs:\n- md5: 0123456789abcdef0123456789abcdef.dir\n  size: 42\n  nfiles: 2\n  hash: md5\n  path: data\n",
        )
        .unwrap();
        assert_eq!(dvc_outs(&rec), ["data"]);
        let lock = dir.path().join("dvc.lock");
        fs_err::write(
            &lock,
            "schema: '2.0'\nstages:\n  prepare:\n    cmd: python prep.py\n    deps:\n    - path: raw.csv\n      md5: aa\n    outs:\n    - path: prepared/\n      md5: bb.dir\n  train:\n    cmd: python train.py\n    outs:\n    - path: model.pkl\n      md5: cc\n",
        )
        .unwrap();
        assert_eq!(dvc_outs(&lock), ["prepared", "model.pkl"]);
        let evil = dir.path().join("evil.dvc");
        fs_err::write(&evil, "outs:\n- path: ../../etc\n- path: /abs\n").unwrap();
        assert!(dvc_outs(&evil).is_empty());
    }

    #[test]
    fn data_files_by_extension() {
        for yes in ["train.csv", "a.parquet", "x.jsonl.gz", "T.TSV"] {
            assert!(is_data_file(yes), "{yes}");
        }
        for no in ["model.safetensors", "readme.md", "csv", "run.py"] {
            assert!(!is_data_file(no), "{no}");
        }
    }
}
