//! Manifests: every file (or shard of a file) of a model or dataset, with its digest, named and ordered exactly as
//! OpenSSF model_signing names and orders them.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use mlsc_core::{ScanSink as _, SharedSink};
use serde::Serialize;

use crate::Error;

use crate::hash::{HashAlgorithm, hash_range, hex};

/// The git paths model_signing ignores by default, relative to the model root.
pub const GIT_PATHS: [&str; 4] = [".git", ".gitattributes", ".github", ".gitignore"];

/// How a model is cut into manifest items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Serialization {
    /// One item per file, named by its path (model_signing `files`).
    #[default]
    Files,
    /// Items of `shard_size` bytes, named `path:start:end` (model_signing `shards`). Empty files have no shard,
    /// as in model_signing.
    Shards {
        /// Bytes per shard; the last shard of a file may be shorter.
        shard_size: u64,
    },
}

impl Serialization {
    /// model_signing's method name: `files` or `shards`.
    pub fn method(self) -> &'static str {
        match self {
            Serialization::Files => "files",
            Serialization::Shards { .. } => "shards",
        }
    }
}

/// Options of [`build_manifest`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ManifestOptions {
    /// The digest of each item. By default, SHA-256.
    pub hash: HashAlgorithm,
    /// Whole files or shards. By default, whole files.
    pub serialization: Serialization,
    /// Follow symbolic links (hashing what they point to) instead of refusing them. By default, false.
    pub allow_symlinks: bool,
    /// Ignore `.git`, `.gitattributes`, `.github` and `.gitignore` at the model root, as model_signing does.
    /// By default, true.
    pub ignore_git_paths: bool,
    /// More paths to ignore, relative to the model root: a path ignores itself and everything under it, and a
    /// glob (`*.tmp`, `logs/**`) ignores what it matches. By default, none.
    pub ignore: Vec<String>,
    /// Most files in one manifest; more is an error rather than unbounded memory. By default, 1 000 000.
    pub max_files: usize,
    /// Told of each file (or shard) as it is hashed: its size, the bytes hashed, its end. A progress bar in
    /// bytes listens here. By default, a sink that ignores everything.
    pub sink: SharedSink,
}

impl Default for ManifestOptions {
    fn default() -> Self {
        ManifestOptions {
            hash: HashAlgorithm::Sha256,
            serialization: Serialization::Files,
            allow_symlinks: false,
            ignore_git_paths: true,
            ignore: Vec::new(),
            max_files: 1_000_000,
            sink: SharedSink::default(),
        }
    }
}

/// One manifest item: a file, or a shard of a file, and its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Resource {
    /// The path relative to the model root, POSIX separators; `.` when the model is a single file.
    pub path: String,
    /// The byte range `[start, end)` for a shard; `None` for a whole file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<(u64, u64)>,
    /// The algorithm name as recorded: `sha256`, `blake2b`, `sha256-sharded-1024`, …
    pub algorithm: String,
    /// The digest.
    #[serde(serialize_with = "ser_hex")]
    pub digest: Vec<u8>,
}

fn ser_hex<S: serde::Serializer>(d: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex(d))
}

impl Resource {
    /// The name model_signing records: the path, or `path:start:end` for a shard.
    pub fn name(&self) -> String {
        match self.range {
            None => self.path.clone(),
            Some((s, e)) => format!("{}:{s}:{e}", self.path),
        }
    }

    /// The digest in lowercase hex.
    pub fn digest_hex(&self) -> String {
        hex(&self.digest)
    }
}

/// Two names of one directory tree that only differ by letter case: distinct here, one file on macOS and Windows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Collision {
    /// One name.
    pub first: String,
    /// The other.
    pub second: String,
}

/// A manifest of a model: its items in model_signing's order, and how they were made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Manifest {
    /// The last component of the model path (informative only, as in model_signing).
    pub model_name: String,
    /// The digest algorithm.
    #[serde(serialize_with = "ser_display")]
    pub hash: HashAlgorithm,
    /// Files or shards.
    #[serde(serialize_with = "ser_serialization")]
    pub serialization: Serialization,
    /// Whether symlinks were followed.
    pub allow_symlinks: bool,
    /// The ignore paths and patterns, as recorded in a signature.
    pub ignore_paths: Vec<String>,
    /// The items, sorted by path components then offsets.
    pub resources: Vec<Resource>,
    /// Files hashed.
    pub files: u64,
    /// Bytes hashed.
    pub bytes: u64,
    /// Names that differ only by letter case.
    pub collisions: Vec<Collision>,
}

fn ser_display<S: serde::Serializer>(h: &HashAlgorithm, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(h.as_str())
}

fn ser_serialization<S: serde::Serializer>(v: &Serialization, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Serialization::Files => s.serialize_str("files"),
        Serialization::Shards { shard_size } => s.serialize_str(&format!("shards:{shard_size}")),
    }
}

impl Manifest {
    /// The subject digest model_signing signs: SHA-256 over the concatenated raw digests of the resources, in order.
    pub fn root_digest(&self) -> [u8; 32] {
        root_digest(self.resources.iter().map(|r| r.digest.as_slice()))
    }

    /// The algorithm name recorded for each resource: `sha256`, or `sha256-sharded-N` for shards.
    pub fn resource_algorithm(&self) -> String {
        resource_algorithm(self.hash, self.serialization)
    }
}

pub(crate) fn resource_algorithm(hash: HashAlgorithm, serialization: Serialization) -> String {
    match serialization {
        Serialization::Files => hash.as_str().to_owned(),
        Serialization::Shards { shard_size } => format!("{}-sharded-{shard_size}", hash.as_str()),
    }
}

pub(crate) fn root_digest<'a>(digests: impl Iterator<Item = &'a [u8]>) -> [u8; 32] {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    for d in digests {
        h.update(d);
    }
    h.finalize().into()
}

/// Which paths to skip: literal paths (themselves and everything under them, model_signing's semantics) and
/// globs given by the user.
#[derive(Debug)]
pub(crate) struct Ignorer {
    literal: Vec<String>,
    globs: GlobSet,
}

/// Why a path is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ignored {
    No,
    Literal,
    Glob,
}

fn is_glob(p: &str) -> bool {
    p.contains(['*', '?', '[', '{'])
}

impl Ignorer {
    /// `literal` paths are only ever literal (what a signature records is, for model_signing); entries of
    /// `patterns` are globs when they contain glob characters, literal paths otherwise.
    pub(crate) fn new(literal: &[String], patterns: &[String]) -> Result<Self, Error> {
        let norm = |p: &str| p.trim_start_matches("./").trim_end_matches('/').to_owned();
        let mut lits: Vec<String> = literal
            .iter()
            .map(|p| norm(p))
            .filter(|p| !p.is_empty())
            .collect();
        let mut builder = GlobSetBuilder::new();
        for p in patterns {
            let trimmed = norm(p);
            if trimmed.is_empty() {
                continue;
            }
            if !is_glob(&trimmed) {
                lits.push(trimmed);
                continue;
            }
            let glob = globset::GlobBuilder::new(&trimmed)
                .literal_separator(true)
                .build()
                .or_else(|_| Glob::new(&trimmed))
                .map_err(|source| Error::Pattern {
                    pattern: p.clone(),
                    source,
                })?;
            builder.add(glob);
        }
        let globs = builder.build().map_err(|source| Error::Pattern {
            pattern: patterns.join(", "),
            source,
        })?;
        Ok(Ignorer {
            literal: lits,
            globs,
        })
    }

    /// Whether `rel` (POSIX, relative to the root) or one of its ancestors is ignored, and why.
    pub(crate) fn check(&self, rel: &str) -> Ignored {
        if self.literal.iter().any(|l| {
            rel == l || (rel.starts_with(l.as_str()) && rel.as_bytes().get(l.len()) == Some(&b'/'))
        }) {
            return Ignored::Literal;
        }
        if !self.globs.is_empty()
            && (rel
                .bytes()
                .enumerate()
                .any(|(i, b)| b == b'/' && self.globs.is_match(&rel[..i]))
                || self.globs.is_match(rel))
        {
            return Ignored::Glob;
        }
        Ignored::No
    }

    /// Whether `rel` is ignored.
    pub(crate) fn is_ignored(&self, rel: &str) -> bool {
        self.check(rel) != Ignored::No
    }
}

/// The path of `full` relative to `root`, with `/` separators; every component must be UTF-8.
pub(crate) fn relative_posix(root: &Path, full: &Path) -> Result<String, Error> {
    let rel = full.strip_prefix(root).unwrap_or(full);
    let mut out = String::new();
    for c in rel.components() {
        match c {
            Component::Normal(s) => {
                let s = s.to_str().ok_or_else(|| Error::UnsafePath {
                    path: rel.to_string_lossy().into_owned(),
                    reason: "the name is not valid UTF-8, so it cannot be recorded".to_owned(),
                })?;
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(s);
            }
            Component::CurDir => {}
            _ => {
                return Err(Error::UnsafePath {
                    path: rel.to_string_lossy().into_owned(),
                    reason: "not a plain relative path".to_owned(),
                });
            }
        }
    }
    Ok(out)
}

/// model_signing orders items by `PurePosixPath` (component by component, by code point) then by offsets.
pub(crate) fn path_order(a: &str, b: &str) -> Ordering {
    a.split('/').cmp(b.split('/'))
}

/// The files of a model: relative POSIX path, absolute path, size. Sorted in model_signing's order.
pub(crate) struct ModelFiles {
    pub(crate) model_name: String,
    pub(crate) files: Vec<(String, PathBuf, u64)>,
    pub(crate) collisions: Vec<Collision>,
    /// Paths left out because a glob matched them (the topmost one of each left-out tree).
    pub(crate) glob_ignored: Vec<String>,
}

fn model_name(path: &Path) -> String {
    match path.file_name() {
        Some(n) if n != ".." => n.to_string_lossy().into_owned(),
        _ => fs_err::canonicalize(path)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default(),
    }
}

/// Lists the files of the model at `root` (a file or a directory), refusing symlinks unless allowed, skipping
/// what `ignorer` ignores, and checking that no two names are canonically equivalent Unicode (NFC).
pub(crate) fn list_files(
    root: &Path,
    allow_symlinks: bool,
    ignorer: &Ignorer,
    max_files: usize,
) -> Result<ModelFiles, Error> {
    let meta = fs_err::symlink_metadata(root).map_err(|e| Error::io(root, e))?;
    if meta.file_type().is_symlink() && !allow_symlinks {
        return Err(Error::Symlink {
            path: root.to_owned(),
        });
    }
    let meta = fs_err::metadata(root).map_err(|e| Error::io(root, e))?;
    let model_name = model_name(root);
    if meta.is_file() {
        return Ok(ModelFiles {
            model_name,
            files: vec![(".".to_owned(), root.to_owned(), meta.len())],
            collisions: Vec::new(),
            glob_ignored: Vec::new(),
        });
    }
    if !meta.is_dir() {
        return Err(Error::NotFileOrDirectory {
            path: root.to_owned(),
        });
    }
    let mut files = Vec::new();
    let mut glob_ignored = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .min_depth(1)
        .follow_links(allow_symlinks)
        .into_iter()
        .filter_entry(|e| match relative_posix(root, e.path()) {
            Ok(rel) => match ignorer.check(&rel) {
                Ignored::No => true,
                Ignored::Literal => false,
                Ignored::Glob => {
                    glob_ignored.push(rel);
                    false
                }
            },
            // Keep it: the error is reported below with its path.
            Err(_) => true,
        });
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e
                .path()
                .map(Path::to_owned)
                .unwrap_or_else(|| root.to_owned());
            Error::io(path, e.into())
        })?;
        if entry.path_is_symlink() && !allow_symlinks {
            return Err(Error::Symlink {
                path: entry.path().to_owned(),
            });
        }
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        if !ft.is_file() {
            return Err(Error::NotFileOrDirectory {
                path: entry.path().to_owned(),
            });
        }
        let rel = relative_posix(root, entry.path())?;
        let size = entry
            .metadata()
            .map_err(|e| Error::io(entry.path(), e.into()))?
            .len();
        files.push((rel, entry.path().to_owned(), size));
        if files.len() > max_files {
            return Err(Error::InvalidOption(format!(
                "`{}` has more than {max_files} files (the manifest limit)",
                root.display()
            )));
        }
    }
    files.sort_by(|a, b| path_order(&a.0, &b.0));
    let collisions = check_names(files.iter().map(|f| f.0.as_str()))?;
    glob_ignored.sort_by(|a, b| path_order(a, b));
    Ok(ModelFiles {
        model_name,
        files,
        collisions,
        glob_ignored,
    })
}

/// Two names that are canonically equivalent (the same after NFC) name one file for a user and two for the file
/// system: refused. Names that only differ by case are returned as collisions (one file on macOS and Windows).
///
/// NFC comes from `icu_normalizer` (already in the dependency tree through `url`); case folding is Rust's full
/// Unicode `to_lowercase`, which is close to, but not exactly, the file systems' own folding tables.
pub(crate) fn check_names<'a>(
    names: impl Iterator<Item = &'a str>,
) -> Result<Vec<Collision>, Error> {
    let nfc = icu_normalizer::ComposingNormalizerBorrowed::new_nfc();
    let mut by_nfc: BTreeMap<String, &str> = BTreeMap::new();
    let mut by_fold: BTreeMap<String, &str> = BTreeMap::new();
    let mut collisions = Vec::new();
    for name in names {
        let n = nfc.normalize(name).into_owned();
        if let Some(prev) = by_nfc.get(&n) {
            if *prev != name {
                return Err(Error::UnsafePath {
                    path: name.to_owned(),
                    reason: format!("normalises (Unicode NFC) to the same name as `{prev}`"),
                });
            }
            continue;
        }
        let folded = n.to_lowercase();
        by_nfc.insert(n, name);
        if let Some(prev) = by_fold.get(&folded) {
            collisions.push(Collision {
                first: (*prev).to_owned(),
                second: name.to_owned(),
            });
        } else {
            by_fold.insert(folded, name);
        }
    }
    Ok(collisions)
}

/// The literal ignore paths (git paths when asked, then the user's plain paths) and the user's globs.
pub(crate) fn split_ignores(options: &ManifestOptions) -> (Vec<String>, Vec<String>) {
    let mut literal: Vec<String> = Vec::new();
    if options.ignore_git_paths {
        literal.extend(GIT_PATHS.iter().map(|s| (*s).to_owned()));
    }
    let mut globs = Vec::new();
    for p in &options.ignore {
        let p = p.trim_start_matches("./").trim_end_matches('/').to_owned();
        if p.is_empty() || literal.contains(&p) || globs.contains(&p) {
            continue;
        }
        if is_glob(&p) {
            globs.push(p);
        } else {
            literal.push(p);
        }
    }
    (literal, globs)
}

/// Builds the manifest of the model at `path` (a file or a directory), hashing files and shards in parallel on
/// the rayon pool.
///
/// ```
/// # let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("w.bin"), b"abc").unwrap();
/// let m = mlsc_provenance::build_manifest(dir.path(), &Default::default()).unwrap();
/// assert_eq!(m.resources[0].name(), "w.bin");
/// assert_eq!(m.resources[0].digest_hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
/// ```
pub fn build_manifest(
    path: impl AsRef<Path>,
    options: &ManifestOptions,
) -> Result<Manifest, Error> {
    let path = path.as_ref();
    if let Serialization::Shards { shard_size: 0 } = options.serialization {
        return Err(Error::InvalidOption(
            "shard size must be positive".to_owned(),
        ));
    }
    let (mut ignore_paths, globs) = split_ignores(options);
    let ignorer = Ignorer::new(&ignore_paths, &globs)?;
    let listed = list_files(path, options.allow_symlinks, &ignorer, options.max_files)?;
    // model_signing reads recorded ignore paths as literal paths, so a glob is recorded as what it matched: the
    // signature then means the same to both tools, and a file added later that the glob would match is seen.
    ignore_paths.extend(listed.glob_ignored.iter().cloned());
    let resources = hash_files(
        &listed.files,
        options.hash,
        options.serialization,
        &options.sink,
    )?;
    Ok(Manifest {
        model_name: listed.model_name,
        hash: options.hash,
        serialization: options.serialization,
        allow_symlinks: options.allow_symlinks,
        ignore_paths,
        files: listed.files.len() as u64,
        bytes: listed.files.iter().map(|f| f.2).sum(),
        resources,
        collisions: listed.collisions,
    })
}

/// Hashes `files` (already in model_signing's order) into resources, in parallel across files and shards.
pub(crate) fn hash_files(
    files: &[(String, PathBuf, u64)],
    hash: HashAlgorithm,
    serialization: Serialization,
    sink: &SharedSink,
) -> Result<Vec<Resource>, Error> {
    // (file index, start, end) in output order.
    let mut items: Vec<(usize, u64, u64)> = Vec::new();
    for (i, (_, _, size)) in files.iter().enumerate() {
        match serialization {
            Serialization::Files => items.push((i, 0, *size)),
            Serialization::Shards { shard_size } => {
                let mut start = 0;
                while start < *size {
                    let end = start.saturating_add(shard_size).min(*size);
                    items.push((i, start, end));
                    start = end;
                }
            }
        }
    }
    sink.begin(
        items.len() as u64,
        Some(items.iter().map(|(_, s, e)| e - s).sum()),
    );
    // Largest first, so that one big file does not start last and leave the other cores idle.
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(items[k].2 - items[k].1));
    let digests: Vec<(usize, Vec<u8>)> = mlsc_core::par::try_map(&order, |&k| {
        let (i, start, end) = items[k];
        hash_range(&files[i].1, start, end, hash, (sink, &files[i].0)).map(|d| (k, d))
    })?;
    let mut by_item: Vec<Vec<u8>> = vec![Vec::new(); items.len()];
    for (k, d) in digests {
        by_item[k] = d;
    }
    let algorithm = resource_algorithm(hash, serialization);
    Ok(items
        .iter()
        .zip(by_item)
        .map(|(&(i, start, end), digest)| Resource {
            path: files[i].0.clone(),
            range: match serialization {
                Serialization::Files => None,
                Serialization::Shards { .. } => Some((start, end)),
            },
            algorithm: algorithm.clone(),
            digest,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_by_components() {
        let mut v = vec!["a.b", "a/b", "a-c", "B", "a/a/z"];
        v.sort_by(|a, b| path_order(a, b));
        assert_eq!(v, ["B", "a/a/z", "a/b", "a-c", "a.b"]);
    }

    #[test]
    fn ignores_literal_and_glob() {
        let ig = Ignorer::new(
            &[".git".into(), "w[1].bin".into()],
            &["logs/*.txt".into(), "tmp".into()],
        )
        .unwrap();
        assert!(ig.is_ignored("w[1].bin"));
        assert!(!ig.is_ignored("w1.bin"), "recorded paths are literal");
        assert_eq!(ig.check("logs/a.txt"), Ignored::Glob);
        assert!(ig.is_ignored(".git"));
        assert!(ig.is_ignored(".git/config"));
        assert!(!ig.is_ignored(".gitx"));
        assert!(!ig.is_ignored("sub/.git"));
        assert!(ig.is_ignored("logs/a.txt"));
        assert!(!ig.is_ignored("logs/a/b.txt"));
        assert!(ig.is_ignored("tmp/x/y"));
    }

    #[test]
    fn names_normalising_to_one_are_refused() {
        let err = check_names(["caf\u{e9}", "cafe\u{301}"].into_iter()).unwrap_err();
        assert!(err.to_string().contains("NFC"), "{err}");
        let c = check_names(["README.md", "readme.md", "x"].into_iter()).unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].second, "readme.md");
    }

    #[test]
    fn shards_skip_empty_files_and_cover_bytes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("e"), b"").unwrap();
        std::fs::write(dir.path().join("f"), vec![7u8; 2500]).unwrap();
        let opts = ManifestOptions {
            serialization: Serialization::Shards { shard_size: 1024 },
            ..Default::default()
        };
        let m = build_manifest(dir.path(), &opts).unwrap();
        let names: Vec<String> = m.resources.iter().map(Resource::name).collect();
        assert_eq!(names, ["f:0:1024", "f:1024:2048", "f:2048:2500"]);
        assert_eq!(
            m.resources[2].digest,
            HashAlgorithm::Sha256.digest(&[7u8; 452])
        );
        assert_eq!(m.resources[0].algorithm, "sha256-sharded-1024");
        let files = build_manifest(dir.path(), &ManifestOptions::default()).unwrap();
        assert_eq!(
            files.resources.len(),
            2,
            "an empty file is an item of the files method"
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_refused_unless_allowed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), b"x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("a"), dir.path().join("l")).unwrap();
        let err = build_manifest(dir.path(), &ManifestOptions::default()).unwrap_err();
        assert!(matches!(err, Error::Symlink { .. }), "{err}");
        let opts = ManifestOptions {
            allow_symlinks: true,
            ..Default::default()
        };
        let m = build_manifest(dir.path(), &opts).unwrap();
        assert_eq!(m.resources.len(), 2);
        assert_eq!(m.resources[0].digest, m.resources[1].digest);
    }
}
