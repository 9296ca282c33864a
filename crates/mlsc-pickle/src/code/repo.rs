//! Hugging Face repositories that run their own code when loaded.
//!
//! transformers (with `trust_remote_code`) imports the repository's Python modules named by `auto_map` in
//! `config.json`, `tokenizer_config.json`, `preprocessor_config.json` and their siblings; an entry
//! `org/repo--modeling.Model` fetches the module from another repository. Hub mixins and Hydra-style configs name a
//! class by `_target_`, sentence-transformers by a `modules.json` `type`, custom pipelines by `custom_pipelines`
//! `impl`. This check runs once per directory after the walk, when those files can be read beside each other. A
//! directory whose loading runs its own code is never clean: at least medium, with the files listed (each `.py`
//! file is analysed on its own by the scan, so its dangerous calls have their own findings).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use mlsc_core::{Assessment, Finding, Location, Report, Severity};

use super::finding;
use super::python;

/// Configuration files a loader reads from a repository.
const CONFIG_FILES: &[&str] = &[
    "config.json",
    "tokenizer_config.json",
    "preprocessor_config.json",
    "processor_config.json",
    "feature_extractor_config.json",
    "image_processor_config.json",
    "video_preprocessor_config.json",
    "modules.json",
];
/// Larger configuration files are not read (real ones are under 100 KB; a tokenizer_config with an inlined vocabulary
/// can reach a few MB).
const MAX_CONFIG: u64 = 16 << 20;
/// Most `.py` files parsed per directory to find the classes `architectures` names.
const MAX_PY_FILES: usize = 256;

/// Where a configuration says to run code.
#[derive(Debug)]
struct CodeRef {
    /// The config file (display name) and the JSON path of the entry.
    config: String,
    pointer: String,
    /// `module.Class`, maybe with `repo--`.
    target: String,
}

/// How the check reads a file: at most `max` bytes, `None` when it is larger, absent or unreadable.
pub(crate) trait ReadFile {
    fn read(&self, path: &Path, max: u64) -> Option<Vec<u8>>;
}

/// Files on disk.
struct Disk;

impl ReadFile for Disk {
    fn read(&self, path: &Path, max: u64) -> Option<Vec<u8>> {
        let meta = fs_err::metadata(path).ok()?;
        if !meta.is_file() || meta.len() > max {
            return None;
        }
        fs_err::read(path).ok()
    }
}

/// Runs the repository check over the walked files and adds its findings to `report`, raising the verdicts of the
/// configuration files that carry them.
pub(crate) fn apply(report: &mut Report, files: &[(&Path, &str)]) {
    apply_with(report, files, &Disk);
}

/// [`apply`] over files read by `reader` (a remote repository's: the paths are relative to its root).
pub(crate) fn apply_with(report: &mut Report, files: &[(&Path, &str)], reader: &dyn ReadFile) {
    let findings = check(files, reader);
    for f in &findings {
        let assessment = match f.severity {
            Severity::Critical | Severity::High => Assessment::Malicious,
            Severity::Medium => Assessment::Suspicious,
            Severity::Low | Severity::Info => Assessment::Clean,
        };
        if let Some(a) = report
            .artifacts
            .iter_mut()
            .find(|a| a.path == f.location.path)
        {
            a.verdict = a.verdict.at_least(assessment);
        }
    }
    report.findings.extend(findings);
}

/// The findings of every directory among `files` (path on disk, display name).
pub(crate) fn check(files: &[(&Path, &str)], reader: &dyn ReadFile) -> Vec<Finding> {
    let mut dirs: BTreeMap<PathBuf, Vec<(&Path, &str)>> = BTreeMap::new();
    for &(path, display) in files {
        dirs.entry(path.parent().map(Path::to_path_buf).unwrap_or_default())
            .or_default()
            .push((path, display));
    }
    let mut out = Vec::new();
    for entries in dirs.values() {
        check_dir(entries, reader, &mut out);
    }
    out
}

fn file_name(p: &Path) -> &str {
    p.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

fn check_dir(entries: &[(&Path, &str)], reader: &dyn ReadFile, out: &mut Vec<Finding>) {
    let by_name: BTreeMap<&str, (&Path, &str)> = entries
        .iter()
        .map(|&(p, d)| (file_name(p), (p, d)))
        .collect();
    let mut refs = Vec::new();
    let mut trust: Vec<(String, String)> = Vec::new();
    let mut architectures: Vec<(String, String)> = Vec::new();
    for name in CONFIG_FILES {
        let Some(&(path, display)) = by_name.get(name) else {
            continue;
        };
        let Some(value) = read_json(reader, path) else {
            continue;
        };
        let mut cx = Collect {
            config: display,
            refs: &mut refs,
            trust: &mut trust,
            architectures: &mut architectures,
            modules_json: *name == "modules.json",
        };
        cx.walk(&value, "", 0);
    }
    if refs.is_empty() && trust.is_empty() && architectures.is_empty() {
        return;
    }
    // Local references: module `a.b` is `a/b.py` beside the config.
    let mut runs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new(); // config → why
    let mut local_files: BTreeSet<String> = BTreeSet::new();
    let mut first_config: Option<String> = None;
    for r in &refs {
        if let Some((repo, rest)) = r.target.split_once("--") {
            out.push(
                finding(
                    &crate::rules::REPO_REMOTE_CODE,
                    Severity::High,
                    Location::file(&r.config).at_pointer(&r.pointer),
                    format!(
                        "`{}` runs `{rest}` from the repository `{repo}`: the loader downloads that code and runs it, and it was not scanned",
                        r.pointer
                    ),
                )
                .with_evidence(r.target.clone()),
            );
            continue;
        }
        let Some((module, _class)) = r.target.rsplit_once('.') else {
            continue;
        };
        let rel = format!("{}.py", module.replace('.', "/"));
        let exists =
            by_name.contains_key(rel.as_str()) || entries.iter().any(|(p, _)| p.ends_with(&rel));
        if exists {
            runs.entry(r.config.clone())
                .or_default()
                .insert(format!("`{}` → `{}`", r.pointer, r.target));
            local_files.insert(rel);
            first_config.get_or_insert_with(|| r.config.clone());
        } else if !r.target.contains(' ')
            && module.split('.').all(is_identifier)
            && !is_library(module)
        {
            out.push(finding(
                &crate::rules::REPO_CODE_MISSING,
                Severity::Medium,
                Location::file(&r.config).at_pointer(&r.pointer),
                format!(
                    "`{}` names `{}`, but `{rel}` is not in the repository: the loader fetches it from the Hub or fails, and it was not analysed",
                    r.pointer, r.target
                ),
            ));
        }
    }
    // Classes that `architectures` names and a local file defines (custom code loaded with trust_remote_code).
    if !architectures.is_empty() {
        let mut classes: BTreeMap<String, String> = BTreeMap::new();
        for &(path, _) in entries
            .iter()
            .filter(|(p, _)| file_name(p).ends_with(".py"))
            .take(MAX_PY_FILES)
        {
            if let Some(facts) = read_py(reader, path) {
                for c in facts.classes {
                    classes
                        .entry(c)
                        .or_insert_with(|| file_name(path).to_owned());
                }
            }
        }
        for (config, arch) in &architectures {
            if let Some(file) = classes.get(arch) {
                runs.entry(config.clone())
                    .or_default()
                    .insert(format!("`architectures` → `{arch}` (defined in `{file}`)"));
                local_files.insert(file.clone());
                first_config.get_or_insert_with(|| config.clone());
            }
        }
    }
    // The local modules those files import relatively (`from .configuration_x import ...`) run too.
    let mut todo: Vec<String> = local_files.iter().cloned().collect();
    while let Some(f) = todo.pop() {
        let Some(&(path, _)) = by_name.get(f.as_str()) else {
            continue;
        };
        let Some(facts) = read_py(reader, path) else {
            continue;
        };
        for i in facts.imports {
            let Some(m) = i.module.strip_prefix('.') else {
                continue;
            };
            if m.starts_with('.') || m.is_empty() {
                continue;
            }
            let rel = format!("{}.py", m.replace('.', "/"));
            if by_name.contains_key(rel.as_str()) && local_files.insert(rel.clone()) {
                todo.push(rel);
            }
        }
    }
    for (config, pointer) in &trust {
        out.push(finding(
            &crate::rules::REPO_TRUST_REMOTE_CODE,
            Severity::Medium,
            Location::file(config).at_pointer(pointer),
            format!("`{pointer}` is true: the loader runs Python code shipped with the model"),
        ));
    }
    if let Some(config) = first_config {
        let why: Vec<String> = runs
            .iter()
            .map(|(c, w)| {
                format!(
                    "{} in `{}`",
                    w.iter().cloned().collect::<Vec<_>>().join(", "),
                    file_name(Path::new(c))
                )
            })
            .collect();
        let files: Vec<String> = local_files.iter().map(|f| format!("`{f}`")).collect();
        out.push(
            finding(
                &crate::rules::REPO_RUNS_OWN_CODE,
                Severity::Medium,
                Location::file(&config),
                format!(
                    "loading runs code from this repository: {} (via {})",
                    files.join(", "),
                    why.join("; ")
                ),
            )
            .with_evidence(files.join(" ")),
        );
    }
}

fn is_identifier(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|f| f.is_alphabetic() || f == '_')
        && c.all(|x| x.is_alphanumeric() || x == '_')
}

/// Modules the loaders import from installed libraries, not from the repository.
fn is_library(module: &str) -> bool {
    const LIBS: &[&str] = &[
        "transformers",
        "sentence_transformers",
        "torch",
        "diffusers",
        "timm",
        "peft",
        "tokenizers",
        "keras",
        "keras_hub",
        "keras_nlp",
        "huggingface_hub",
        "builtins",
    ];
    let root = module.split('.').next().unwrap_or("");
    LIBS.contains(&root)
}

fn read_json(reader: &dyn ReadFile, path: &Path) -> Option<serde_json::Value> {
    serde_json::from_slice(&reader.read(path, MAX_CONFIG)?).ok()
}

fn read_py(reader: &dyn ReadFile, path: &Path) -> Option<python::PyFacts> {
    python::analyse(&reader.read(path, python::MAX_SOURCE as u64)?).ok()
}

struct Collect<'a> {
    config: &'a str,
    refs: &'a mut Vec<CodeRef>,
    trust: &'a mut Vec<(String, String)>,
    architectures: &'a mut Vec<(String, String)>,
    modules_json: bool,
}

impl Collect<'_> {
    fn push_ref(&mut self, pointer: &str, v: &serde_json::Value) {
        match v {
            serde_json::Value::String(s) if !s.is_empty() => self.refs.push(CodeRef {
                config: self.config.to_owned(),
                pointer: pointer.to_owned(),
                target: s.clone(),
            }),
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    self.push_ref(&format!("{pointer}/{i}"), x);
                }
            }
            _ => {}
        }
    }

    fn walk(&mut self, v: &serde_json::Value, pointer: &str, depth: u32) {
        // serde_json refuses nesting beyond 128 already; this keeps the walk shallow anyway.
        if depth > 64 {
            return;
        }
        match v {
            serde_json::Value::Object(map) => {
                for (k, x) in map {
                    let p = format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1"));
                    match k.as_str() {
                        "auto_map" => match x {
                            serde_json::Value::Object(m) => {
                                for (auto, target) in m {
                                    self.push_ref(&format!("{p}/{auto}"), target);
                                }
                            }
                            // Old tokenizer configs: a list `[slow, fast]`.
                            other => self.push_ref(&p, other),
                        },
                        "trust_remote_code"
                            if x.as_bool() == Some(true)
                                || x.as_str().is_some_and(|s| s.eq_ignore_ascii_case("true")) =>
                        {
                            self.trust.push((self.config.to_owned(), p.clone()));
                        }
                        "_target_" | "impl" => self.push_ref(&p, x),
                        "type" if self.modules_json => self.push_ref(&p, x),
                        "architectures" => {
                            if let Some(a) = x.as_array() {
                                for s in a.iter().filter_map(|s| s.as_str()) {
                                    self.architectures
                                        .push((self.config.to_owned(), s.to_owned()));
                                }
                            }
                        }
                        _ => {}
                    }
                    self.walk(x, &p, depth + 1);
                }
            }
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    self.walk(x, &format!("{pointer}/{i}"), depth + 1);
                }
            }
            _ => {}
        }
    }
}
