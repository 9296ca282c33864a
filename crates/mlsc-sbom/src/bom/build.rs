//! Building BOMs: options, the model-directory BOM, reproducible serial numbers and timestamps, JSON output.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use mlsc_core::{Finding, Limits, Location, Severity, Sha256Digest, Verdict};

use crate::bom::rules;

use crate::Error;
use crate::bom::card::{CardFacts, build_model_card};
use crate::bom::licenses::hub_license;
use crate::bom::model::{
    Bom, BomDependency, Component, ComponentData, ComponentType, DataContents, ExternalReference,
    Hash, Metadata, Pedigree, SpecVersion,
};
use crate::bom::model_dir::{
    ConfigFacts, HashedFile, ListedFile, config_facts, file_component, hf_purl, list_files,
    model_name, push_verdict, read_config, resolve, split_repo_id,
};
use mlsc_deps::Target;

/// Options for building a BOM.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BomOptions {
    /// The CycloneDX version written. By default, [`SpecVersion::V1_6`].
    pub spec: SpecVersion,
    /// Make the output reproducible: the serial number is derived from the content and the timestamp comes from
    /// `source_date_epoch` (omitted when that is unset), so two BOMs of the same input are byte-identical.
    /// By default, false: a random serial number and the current time.
    pub deterministic: bool,
    /// The `SOURCE_DATE_EPOCH` (seconds since 1970) to use as the timestamp; setting it implies `deterministic`.
    /// The library never reads the environment: the CLI passes the variable. By default, `None`.
    pub source_date_epoch: Option<i64>,
    /// Scan model files with `mlsc_pickle` and record the verdicts as `mlsc:scan:*` properties. Without the
    /// `scan` feature nothing is scanned and every file's verdict is `error` (fail closed) unless this is false.
    /// By default, true.
    pub scan: bool,
    /// Most files of a model directory listed; the rest are reported as a finding. By default, 100 000.
    pub max_files: usize,
    /// Resource limits for the scan. By default, [`Limits::default`].
    pub limits: Limits,
    /// The environment Python markers are evaluated for. By default, [`Target::default`] (CPython 3.12 on
    /// Linux x86-64, not the host).
    pub target: Target,
    /// Told of each model file as it is hashed (hashing is the cost of a BOM): its size, the bytes hashed, its
    /// end. A progress bar in bytes listens here. By default, a sink that ignores everything.
    pub sink: mlsc_core::SharedSink,
}

impl Default for BomOptions {
    fn default() -> Self {
        BomOptions {
            spec: SpecVersion::V1_6,
            deterministic: false,
            source_date_epoch: None,
            scan: true,
            max_files: 100_000,
            limits: Limits::default(),
            target: Target::default(),
            sink: mlsc_core::SharedSink::default(),
        }
    }
}

/// A BOM and what was found while building it (unreadable files, cache digest mismatches, …).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BomOutput {
    /// The BOM.
    pub bom: Bom,
    /// Defects found on the way, with stable codes (see [`bom_rules`](crate::bom_rules)).
    pub findings: Vec<Finding>,
}

/// A new BOM shell for `spec`, with the tool in its metadata.
pub(crate) fn new_bom(spec: SpecVersion) -> Bom {
    let tools = serde_json::json!({
        "components": [{
            "type": "application",
            "name": "mlsc",
            "version": env!("CARGO_PKG_VERSION"),
            "externalReferences": [{"type": "website", "url": "https://github.com/mlsc-dev/mlsc"}],
        }]
    });
    Bom {
        schema: Some(spec.schema_url().to_owned()),
        bom_format: "CycloneDX".to_owned(),
        spec_version: spec.as_str().to_owned(),
        serial_number: None,
        version: 1,
        metadata: Some(Metadata {
            tools: Some(tools),
            ..Metadata::default()
        }),
        ..Bom::default()
    }
}

/// Reads the model card in `dir` (README.md), if there is one.
fn read_card(dir: &Path, findings: &mut Vec<Finding>) -> Option<CardFacts> {
    let path = ["README.md", "readme.md", "README.MD"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())?;
    crate::bom::card_source::read_card_file(&path, findings)
}

/// The BOM of a model directory: see the module documentation of `model_dir` for discovery and the directory hash.
///
/// Fails only when `path` cannot be read as a directory; unreadable files inside are findings.
pub fn model_dir_bom(path: impl AsRef<Path>, options: &BomOptions) -> Result<BomOutput, Error> {
    let path = path.as_ref();
    let mut findings = Vec::new();
    let (components, dependencies) = model_parts(path, options, &mut findings)?;
    let mut bom = new_bom(options.spec);
    bom.components = components;
    bom.dependencies = dependencies;
    finish(&mut bom, options);
    Ok(BomOutput { bom, findings })
}

/// The scan of the model files, when asked for.
#[cfg(feature = "scan")]
fn scan_files(paths: &[PathBuf], options: &BomOptions) -> Option<mlsc_core::Report> {
    options.scan.then(|| {
        let mut so = mlsc_pickle::ScanOptions::default();
        so.limits = options.limits;
        mlsc_pickle::scan_paths(paths, &so)
    })
}

/// Without the scanner there is no scan: each file's verdict is then `error` (not scanned, never clean) when
/// `options.scan` asks for one.
#[cfg(not(feature = "scan"))]
fn scan_files(_paths: &[PathBuf], _options: &BomOptions) -> Option<mlsc_core::Report> {
    None
}

/// The components and dependency entries of a model directory.
fn model_parts(
    path: &Path,
    options: &BomOptions,
    findings: &mut Vec<Finding>,
) -> Result<(Vec<Component>, Vec<BomDependency>), Error> {
    model_parts_unique(path, options, findings, &mut BTreeSet::new())
}

/// [`model_parts`], with a model bom-ref that is not in `used` (two folders named `model` in one project get
/// `model:model` and `model:model@path:b/model`), which is then added to it.
fn model_parts_unique(
    path: &Path,
    options: &BomOptions,
    findings: &mut Vec<Finding>,
    used: &mut BTreeSet<String>,
) -> Result<(Vec<Component>, Vec<BomDependency>), Error> {
    let (dir, cache) = resolve(path)?;
    let files = list_files(&dir, cache.as_ref(), options.max_files, findings)?;
    let paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();

    // Hashing is the cost (about 2 GB/s per core); the scan reads what it needs in parallel with it.
    let (digests, scan) = mlsc_core::par::join(
        || mlsc_core::sha256_files_to(&paths, &options.sink),
        || scan_files(&paths, options),
    );

    let mut verdicts: BTreeMap<String, Verdict> = BTreeMap::new();
    let mut scan_findings: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    if let Some(report) = &scan {
        for a in &report.artifacts {
            verdicts.insert(a.path.clone(), a.verdict);
        }
        for f in &report.findings {
            scan_findings
                .entry(f.location.path.clone())
                .or_default()
                .push(f.clone());
        }
        for e in &report.errors {
            findings.push(
                rules::UNREADABLE_FILE
                    .finding_at(
                        Severity::Medium,
                        format!("the scan could not read a file: {}", e.message),
                    )
                    .at(Location::file(e.path.clone().unwrap_or_default())),
            );
        }
    }

    let hashed: Vec<HashedFile> = files
        .into_iter()
        .zip(digests)
        .map(|(listed, digest)| {
            let key = listed.path.display().to_string();
            let digest = match digest {
                Ok(d) => Some(d),
                Err(e) => {
                    findings.push(
                        rules::UNREADABLE_FILE
                            .finding_at(
                                Severity::Medium,
                                format!("cannot hash `{}`: {e}", listed.rel),
                            )
                            .at(Location::file(key.clone())),
                    );
                    None
                }
            };
            let mut verdict = verdicts.get(&key).copied();
            if options.scan && verdict.is_none() {
                verdict = Some(Verdict::new(
                    mlsc_core::Completeness::Error,
                    mlsc_core::Assessment::Clean,
                ));
            }
            HashedFile {
                scan_findings: scan_findings.remove(&key).unwrap_or_default(),
                listed,
                digest,
                verdict,
                lfs_listed: false,
            }
        })
        .collect();

    let config = hashed
        .iter()
        .find(|f| f.listed.rel == "config.json")
        .and_then(|f| read_config(&f.listed.path, findings));
    let card = read_card(&dir, findings);

    let (namespace, name) = model_name(&dir, cache.as_ref(), card.as_ref(), config.as_ref());
    let revision = cache.as_ref().map(|c| c.revision.clone());
    Ok(compose(
        ModelFacts {
            hashed,
            config,
            card,
            namespace,
            name,
            revision,
            hub: "https://huggingface.co".to_owned(),
        },
        findings,
        (used, path),
    ))
}

/// What a model component is made of, from a local directory or a remote listing.
struct ModelFacts {
    hashed: Vec<HashedFile>,
    config: Option<ConfigFacts>,
    card: Option<CardFacts>,
    namespace: Option<String>,
    name: String,
    revision: Option<String>,
    /// The Hub its distribution reference points to.
    hub: String,
}

/// The model component (its files, card, datasets, verdicts) and the dependency entries. `unique` holds the
/// model bom-refs already given in this BOM and the path that tells this model apart when its ref is taken.
fn compose(
    facts: ModelFacts,
    findings: &mut Vec<Finding>,
    unique: (&mut BTreeSet<String>, &Path),
) -> (Vec<Component>, Vec<BomDependency>) {
    let (used, path) = unique;
    let ModelFacts {
        hashed,
        config,
        card,
        namespace,
        name,
        revision,
        hub,
    } = facts;
    let model_ref = {
        let mut r = String::from("model:");
        if let Some(ns) = &namespace {
            r.push_str(ns);
            r.push('/');
        }
        r.push_str(&name);
        if let Some(rev) = &revision {
            r.push('@');
            r.push_str(rev);
        }
        if used.contains(&r) {
            r.push_str("@path:");
            r.push_str(&path.display().to_string());
        }
        used.insert(r.clone());
        r
    };

    let mut model = Component::new(ComponentType::MachineLearningModel, name.clone());
    model.bom_ref = Some(model_ref.clone());
    model.group = namespace.clone();
    if let Some(rev) = &revision {
        // Only a cache snapshot tells the revision; a plain folder's version is unknown, so none is written.
        model.version = Some(rev.clone());
        model.purl = Some(hf_purl(namespace.as_deref(), &name, Some(rev)));
        let repo = match &namespace {
            Some(ns) => format!("{ns}/{name}"),
            None => name.clone(),
        };
        model.external_references.push(ExternalReference::new(
            "distribution",
            format!("{}/{repo}/tree/{rev}", hub.trim_end_matches('/')),
        ));
    }

    // The directory hash covers exactly the files that were hashed; a file that could not be hashed leaves it out.
    let all_hashed = hashed.iter().all(|f| f.digest.is_some());
    if all_hashed && !hashed.is_empty() {
        let dir_digest = crate::bom::model_dir::directory_digest(
            hashed
                .iter()
                .filter_map(|f| f.digest.as_ref().map(|(d, _)| (f.listed.rel.as_str(), d))),
        );
        model.hashes.push(Hash::sha256(dir_digest.to_hex()));
        model.push_property("mlsc:directory-hash:method", "sha256-manifest-v1");
    }
    let total: u64 = hashed.iter().filter_map(|f| f.digest.map(|(_, n)| n)).sum();
    model.push_property("mlsc:model:files", hashed.len().to_string());
    model.push_property("mlsc:model:bytes", total.to_string());

    if let Some(c) = &card {
        if let Some(lic) = &c.license {
            if let Some(l) = hub_license(lic, c.license_name.as_deref(), c.license_link.as_deref())
            {
                model.licenses.push(l);
            }
            model.push_property("mlsc:card:license", lic.clone());
        }
        if !c.base_models.is_empty() {
            let ancestors = c
                .base_models
                .iter()
                .map(|b| {
                    let (ns, n) = split_repo_id(b);
                    let mut a = Component::new(ComponentType::MachineLearningModel, n.clone());
                    a.group = ns.clone();
                    a.purl = Some(hf_purl(ns.as_deref(), &n, None));
                    a.bom_ref = Some(format!("{model_ref}#base-model:{b}"));
                    a
                })
                .collect();
            model.pedigree = Some(Pedigree {
                ancestors,
                ..Pedigree::default()
            });
        }
    }

    let mut data_components = Vec::new();
    let mut dataset_refs = Vec::new();
    if let Some(c) = &card {
        let mut seen = BTreeSet::new();
        for d in &c.datasets {
            if !seen.insert(d.clone()) {
                continue;
            }
            let bom_ref = format!("dataset:{d}");
            let (ns, n) = split_repo_id(d);
            let mut comp = Component::new(ComponentType::Data, n);
            comp.group = ns;
            comp.bom_ref = Some(bom_ref.clone());
            let mut data = ComponentData::dataset(d.clone());
            data.contents = Some(DataContents {
                url: Some(format!("https://huggingface.co/datasets/{d}")),
                ..DataContents::default()
            });
            comp.data.push(data);
            data_components.push(comp);
            dataset_refs.push(bom_ref);
        }
    }
    model.model_card = build_model_card(card.as_ref(), config.as_ref(), &dataset_refs);

    let mut model_verdict: Option<Verdict> = None;
    let mut all_scan_findings = Vec::new();
    for f in &hashed {
        model
            .components
            .push(file_component(&model_ref, f, findings));
        if let Some(v) = f.verdict {
            model_verdict = Some(model_verdict.map_or(v, |m| m.merge(v)));
        }
        all_scan_findings.extend(f.scan_findings.iter().cloned());
    }
    if let Some(v) = model_verdict {
        push_verdict(&mut model, v, &[]);
        // The per-file findings are on the files; the model carries the total.
        if let Some(p) = model
            .properties
            .iter_mut()
            .find(|p| p.name == "mlsc:scan:findings")
        {
            p.value = Some(all_scan_findings.len().to_string());
        }
    }

    let mut dependencies = vec![BomDependency::new(model_ref, dataset_refs.clone())];
    for r in &dataset_refs {
        dependencies.push(BomDependency::new(r.clone(), Vec::new()));
    }
    let mut components = vec![model];
    components.extend(data_components);
    (components, dependencies)
}

/// A model repository known from a listing instead of a local directory: a Hugging Face repository read
/// remotely (mlsc-remote lists it with sizes and LFS SHA-256 and reads its small files; no weight is downloaded).
/// The BOM is built as [`model_dir_bom`] builds a directory's, from these facts.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ListedModel {
    /// `org/name` (or `name`).
    pub repo_id: String,
    /// The commit the listing was made at.
    pub revision: Option<String>,
    /// The Hub's address, for the distribution reference. By default (empty), `https://huggingface.co`.
    pub hub_url: String,
    /// Every file of the repository.
    pub files: Vec<ListedModelFile>,
}

impl ListedModel {
    /// A listing of `repo_id` with no file yet.
    pub fn new(repo_id: impl Into<String>) -> Self {
        ListedModel {
            repo_id: repo_id.into(),
            ..ListedModel::default()
        }
    }
}

/// One file of a [`ListedModel`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ListedModelFile {
    /// Its path in the repository, `/`-separated.
    pub path: String,
    /// Its location in findings (`hf://org/name@<commit>/path`).
    pub uri: String,
    /// Its size in bytes.
    pub size: u64,
    /// The SHA-256 the listing gives (the Hub's LFS oid), lowercase hex: the file's hash without reading it.
    pub lfs_sha256: Option<String>,
    /// The git blob id of a file git stores itself (the small files).
    pub git_blob: Option<String>,
    /// Its bytes, when it was read (the small files: the card, `config.json`, ...); hashed for the BOM.
    pub content: Option<Vec<u8>>,
    /// Why a file with neither `lfs_sha256` nor `content` was not read.
    pub unread: Option<String>,
    /// Its scan verdict, when it was scanned.
    pub verdict: Option<Verdict>,
    /// Its scan findings.
    pub findings: Vec<Finding>,
}

impl ListedModelFile {
    /// A file at `path`, named `uri` in findings, of `size` bytes.
    pub fn new(path: impl Into<String>, uri: impl Into<String>, size: u64) -> Self {
        ListedModelFile {
            path: path.into(),
            uri: uri.into(),
            size,
            ..ListedModelFile::default()
        }
    }
}

fn parse_sha256(hex: &str) -> Option<Sha256Digest> {
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(Sha256Digest(out))
}

/// The BOM of a listed model repository: files hashed by their listed LFS SHA-256 (property
/// `mlsc:hf:lfs-sha256` = `listed`: the Hub's, not recomputed) or by the bytes read, the card and `config.json`
/// from their content, the directory hash when every file has a hash. With `options.scan`, a file without a
/// verdict is recorded as an error verdict, never clean.
pub fn listed_model_bom(model: &ListedModel, options: &BomOptions) -> BomOutput {
    let mut findings = Vec::new();
    let mut files: Vec<&ListedModelFile> = model.files.iter().collect();
    files.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
    files.truncate(options.max_files);
    let by_rel = |rel: &str| files.iter().find(|f| f.path == rel).copied();
    let hashed: Vec<HashedFile> = files
        .iter()
        .map(|f| {
            let listed_digest = f.lfs_sha256.as_deref().and_then(parse_sha256);
            let digest = match (&listed_digest, &f.content) {
                (Some(d), _) => Some((*d, f.size)),
                (None, Some(c)) => Some((Sha256Digest::of(c), c.len() as u64)),
                (None, None) => {
                    findings.push(
                        rules::UNREADABLE_FILE
                            .finding(format!(
                                "`{}` has no listed SHA-256 and was not read{}",
                                f.path,
                                f.unread
                                    .as_deref()
                                    .map(|w| format!(": {w}"))
                                    .unwrap_or_default()
                            ))
                            .at(Location::file(f.uri.clone())),
                    );
                    None
                }
            };
            let mut verdict = f.verdict;
            if options.scan && verdict.is_none() {
                verdict = Some(Verdict::new(
                    mlsc_core::Completeness::Error,
                    mlsc_core::Assessment::Clean,
                ));
            }
            HashedFile {
                listed: ListedFile {
                    rel: f.path.clone(),
                    path: PathBuf::from(&f.uri),
                    blob: f.git_blob.clone().filter(|_| listed_digest.is_none()),
                },
                digest,
                verdict: verdict.filter(|_| options.scan),
                scan_findings: if options.scan {
                    f.findings.clone()
                } else {
                    Vec::new()
                },
                lfs_listed: listed_digest.is_some(),
            }
        })
        .collect();
    let config = by_rel("config.json").and_then(|f| {
        let c = f.content.as_deref()?;
        config_facts(c, &f.uri, &mut findings)
    });
    let card = ["README.md", "readme.md", "README.MD"]
        .iter()
        .find_map(|n| by_rel(n))
        .and_then(|f| {
            let c = f.content.as_deref()?;
            match mlsc_cards::ModelCard::parse_bytes(c) {
                Ok(card) => Some(crate::bom::card_source::facts(&card)),
                Err(e) => {
                    findings.push(
                        rules::UNREADABLE_CARD
                            .finding(format!("`{}`: {e}", f.uri))
                            .at(Location::file(f.uri.clone())),
                    );
                    None
                }
            }
        });
    let (namespace, name) = split_repo_id(&model.repo_id);
    let hub = if model.hub_url.is_empty() {
        "https://huggingface.co".to_owned()
    } else {
        model.hub_url.clone()
    };
    let (components, dependencies) = compose(
        ModelFacts {
            hashed,
            config,
            card,
            namespace,
            name,
            revision: model.revision.clone(),
            hub,
        },
        &mut findings,
        (&mut BTreeSet::new(), Path::new(&model.repo_id)),
    );
    let mut bom = new_bom(options.spec);
    bom.components = components;
    bom.dependencies = dependencies;
    finish(&mut bom, options);
    BomOutput { bom, findings }
}

/// True when `dir` looks like a model: a Hugging Face cache folder, or a `config.json`, a weight file or a
/// `model_index.json` at its top level.
pub(crate) fn looks_like_model_dir(dir: &Path) -> bool {
    if matches!(resolve(dir), Ok((_, Some(_)))) {
        return true;
    }
    let Ok(rd) = fs_err::read_dir(dir) else {
        return false;
    };
    rd.filter_map(|e| e.ok()).any(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        name == "config.json"
            || name == "model_index.json"
            || crate::bom::model_dir::FileRole::of(&name)
                == crate::bom::model_dir::FileRole::Weights
    })
}

/// The BOM of a Python project: a requirements file, a lock file, `pyproject.toml`, an installed environment, or
/// a folder searched for all of these (see [`crate::read_project_with`]).
pub fn project_bom(path: impl AsRef<Path>, options: &BomOptions) -> Result<BomOutput, Error> {
    let path = path.as_ref();
    let mut findings = Vec::new();
    let mut bom = new_bom(options.spec);
    let (root, components, deps) = project_parts(path, options, &mut findings)?;
    if let Some(m) = bom.metadata.as_mut() {
        m.component = Some(Box::new(root));
    }
    bom.components = components;
    bom.dependencies = deps;
    finish(&mut bom, options);
    Ok(BomOutput { bom, findings })
}

fn project_parts(
    path: &Path,
    options: &BomOptions,
    findings: &mut Vec<Finding>,
) -> Result<(Component, Vec<Component>, Vec<BomDependency>), Error> {
    let project = mlsc_deps::read_project_with(path, &options.target, &Default::default())?;
    let name = fs_err::canonicalize(path)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "project".to_owned());
    let mut root = Component::new(ComponentType::Application, name);
    root.bom_ref = Some("project".to_owned());
    root.push_property("mlsc:python:target", project.target.clone());
    for input in &project.inputs {
        if input.superseded_by.is_none() {
            root.push_property(
                "mlsc:python:input",
                format!("{} ({})", input.path, input.format),
            );
        }
    }
    let (components, deps) = crate::bom::python::project_components(&project, "project", findings);
    Ok((root, components, deps))
}

/// The BOM of whatever `path` is: a model directory (plain or in a Hugging Face cache), a Python project, or a
/// folder that is both (a model repository with a `requirements.txt`), in one BOM.
pub fn bom_for_path(path: impl AsRef<Path>, options: &BomOptions) -> Result<BomOutput, Error> {
    let path = path.as_ref();
    if !path.exists() {
        return Err(Error::NotFound {
            path: path.to_owned(),
        });
    }
    if !path.is_dir() {
        return project_bom(path, options);
    }
    let repos = cache_repos(path);
    if !repos.is_empty() && !looks_like_model_dir(path) {
        return cache_root_bom(&repos, options);
    }
    let is_model = looks_like_model_dir(path);
    let project = mlsc_deps::read_project_with(path, &options.target, &Default::default()).ok();
    let has_python = project.as_ref().is_some_and(|p| !p.inputs.is_empty());
    match (is_model, has_python) {
        (false, _) => tree_bom(path, options),
        (true, false) => model_dir_bom(path, options),
        (true, true) => {
            let mut findings = Vec::new();
            let (mut components, mut deps) = model_parts(path, options, &mut findings)?;
            let (root, libs, lib_deps) = project_parts(path, options, &mut findings)?;
            components.extend(libs);
            deps.extend(lib_deps);
            let mut bom = new_bom(options.spec);
            if let Some(m) = bom.metadata.as_mut() {
                m.component = Some(Box::new(root));
            }
            bom.components = components;
            bom.dependencies = deps;
            finish(&mut bom, options);
            Ok(BomOutput { bom, findings })
        }
    }
}

/// The BOM of a folder that is not itself a model directory: every model directory, dataset and Python input under
/// it, and a finding plus a metadata property for each thing it could not cover (see the `tree` module).
fn tree_bom(path: &Path, options: &BomOptions) -> Result<BomOutput, Error> {
    let tree = crate::bom::tree::walk(path);
    let mut findings = Vec::new();
    let project = mlsc_deps::read_project_with(path, &options.target, &Default::default()).ok();
    let has_python = project.as_ref().is_some_and(|p| !p.inputs.is_empty());

    let mut bom = new_bom(options.spec);
    let mut components = Vec::new();
    let mut deps = Vec::new();
    let mut top_refs = Vec::new();
    let mut used = BTreeSet::new();
    for dir in &tree.model_dirs {
        match model_parts_unique(dir, options, &mut findings, &mut used) {
            Ok((cs, ds)) => {
                top_refs.extend(cs.first().and_then(|c| c.bom_ref.clone()));
                for c in cs {
                    // Datasets two models name are one component.
                    if !components
                        .iter()
                        .any(|x: &Component| x.bom_ref.is_some() && x.bom_ref == c.bom_ref)
                    {
                        components.push(c);
                    }
                }
                for d in ds {
                    if !deps
                        .iter()
                        .any(|x: &BomDependency| x.reference == d.reference)
                    {
                        deps.push(d);
                    }
                }
            }
            Err(e) => findings.push(
                rules::UNREADABLE_FILE
                    .finding(e.to_string())
                    .at(Location::file(dir.display().to_string())),
            ),
        }
    }
    for spot in &tree.datasets {
        let bom_ref = format!("data:{}", spot.rel);
        components.push(crate::bom::tree::dataset_component(
            path,
            spot,
            &bom_ref,
            options.max_files,
            &mut findings,
        ));
        deps.push(BomDependency::new(bom_ref.clone(), Vec::new()));
        top_refs.push(bom_ref);
    }
    let root = if has_python {
        let (root, libs, lib_deps) = project_parts(path, options, &mut findings)?;
        components.extend(libs);
        for d in lib_deps {
            match deps.iter_mut().find(|x| x.reference == d.reference) {
                Some(x) => {
                    let on = x.depends_on.get_or_insert_with(Vec::new);
                    for r in d.depends_on.unwrap_or_default() {
                        if !on.contains(&r) {
                            on.push(r);
                        }
                    }
                }
                None => deps.push(d),
            }
        }
        root
    } else {
        let name = fs_err::canonicalize(path)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "project".to_owned());
        let mut root = Component::new(ComponentType::Application, name);
        root.bom_ref = Some("project".to_owned());
        root
    };
    // The project depends on what it holds: its models and datasets, besides its Python packages.
    if !top_refs.is_empty() {
        match deps.iter_mut().find(|x| x.reference == "project") {
            Some(x) => {
                let on = x.depends_on.get_or_insert_with(Vec::new);
                let libs = std::mem::take(on);
                *on = top_refs;
                on.extend(libs);
            }
            None => deps.insert(0, BomDependency::new("project", top_refs)),
        }
    }

    // What the Python search did not read, although the walk saw it.
    let read: BTreeSet<PathBuf> = project
        .as_ref()
        .map(|p| {
            p.inputs
                .iter()
                .map(|i| canonical(Path::new(&i.path)))
                .collect()
        })
        .unwrap_or_default();
    let mut not_covered = tree.not_covered.clone();
    for input in &tree.python_inputs {
        if !read.contains(&canonical(input)) {
            not_covered.push((
                input
                    .strip_prefix(path)
                    .map_or_else(|_| input.display().to_string(), |r| r.display().to_string()),
                "a Python dependency input the project search did not read (deeper than its search depth, or unreadable): its packages are not in the BOM"
                    .to_owned(),
            ));
        }
    }
    let nothing = components.is_empty() && !has_python;
    if nothing {
        not_covered.push((
            ".".to_owned(),
            "no model directory, dataset or Python dependency input was found: the BOM describes nothing".to_owned(),
        ));
    }
    not_covered.sort();
    not_covered.dedup();
    let mut properties = Vec::new();
    for (rel, why) in &not_covered {
        crate::bom::tree::not_covered(path, rel, why, &mut findings, &mut properties);
    }
    if let Some(m) = bom.metadata.as_mut() {
        m.component = Some(Box::new(root));
        m.properties.extend(properties);
    }
    bom.components = components;
    bom.dependencies = deps;
    finish(&mut bom, options);
    Ok(BomOutput { bom, findings })
}

fn canonical(p: &Path) -> PathBuf {
    fs_err::canonicalize(p).unwrap_or_else(|_| p.to_owned())
}

/// The `models--*` folders directly under `dir` (a Hugging Face cache root such as `~/.cache/huggingface/hub`).
fn cache_repos(dir: &Path) -> Vec<PathBuf> {
    let mut repos: Vec<PathBuf> = fs_err::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().starts_with("models--"))
                .map(|e| e.path())
                .filter(|p| p.join("snapshots").is_dir())
                .collect()
        })
        .unwrap_or_default();
    repos.sort();
    repos
}

/// One BOM of every model of a Hugging Face cache root. A repository whose snapshot cannot be chosen (several
/// snapshots and no `refs/main`) is a finding, and the others are still described. Datasets two models share are
/// one `data` component.
fn cache_root_bom(repos: &[PathBuf], options: &BomOptions) -> Result<BomOutput, Error> {
    let mut findings = Vec::new();
    let mut components: Vec<Component> = Vec::new();
    let mut deps: Vec<BomDependency> = Vec::new();
    for repo in repos {
        match model_parts(repo, options, &mut findings) {
            Ok((cs, ds)) => {
                for c in cs {
                    if !components
                        .iter()
                        .any(|x| x.bom_ref.is_some() && x.bom_ref == c.bom_ref)
                    {
                        components.push(c);
                    }
                }
                for d in ds {
                    if !deps.iter().any(|x| x.reference == d.reference) {
                        deps.push(d);
                    }
                }
            }
            Err(e) => findings.push(
                rules::UNREADABLE_FILE
                    .finding_at(Severity::Medium, e.to_string())
                    .at(Location::file(repo.display().to_string())),
            ),
        }
    }
    let mut bom = new_bom(options.spec);
    bom.components = components;
    bom.dependencies = deps;
    finish(&mut bom, options);
    Ok(BomOutput { bom, findings })
}

/// Sets the timestamp and serial number: reproducible ones when the options say so.
pub fn finish(bom: &mut Bom, options: &BomOptions) {
    let deterministic = options.deterministic || options.source_date_epoch.is_some();
    let meta = bom.metadata.get_or_insert_with(Metadata::default);
    meta.timestamp = if deterministic {
        options
            .source_date_epoch
            .and_then(|s| jiff::Timestamp::from_second(s).ok())
            .map(|t| t.to_string())
    } else {
        jiff::Timestamp::from_second(jiff::Timestamp::now().as_second())
            .ok()
            .map(|t| t.to_string())
    };
    bom.serial_number = None;
    let uuid = if deterministic {
        // A name-based UUID (version 8, RFC 9562 "custom") from the SHA-256 of the BOM without its serial number:
        // the same content gives the same serial, different content a different one.
        let bytes =
            serde_json::to_vec(&*bom).expect("a BOM serialises because every field is plain data");
        let digest = Sha256Digest::of(&bytes);
        let mut first = [0u8; 16];
        first.copy_from_slice(&digest.0[..16]);
        uuid::Builder::from_custom_bytes(first).into_uuid()
    } else {
        uuid::Uuid::new_v4()
    };
    bom.serial_number = Some(format!("urn:uuid:{uuid}"));
}

/// The BOM as pretty JSON with a final newline: the bytes `mlsc sbom` writes.
pub fn bom_to_json(bom: &Bom) -> String {
    let mut s = serde_json::to_string_pretty(bom)
        .expect("a BOM serialises because every field is plain data");
    s.push('\n');
    s
}
