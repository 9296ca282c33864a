//! Reading a file or a project folder: format detection, the folder search, and the shared reading options.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use super::installed::{is_environment, read_environment};
use super::locks::{read_pdm_lock, read_pipfile_lock, read_poetry_lock, read_pylock, read_uv_lock};
use super::pyproject::read_pyproject;
use super::txt::TxtReader;
use super::{Diagnostic, Input, InputFormat, Project, Target};

/// How inputs are read.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ReadOptions {
    /// Largest input file read, in bytes; a larger one is reported and skipped. By default, 64 MiB.
    pub max_file_bytes: u64,
    /// How deep below the named folder the project search looks. By default, 4.
    pub max_search_depth: usize,
    /// Variables for `${VAR}` expansion in requirements files; `None` uses the process environment.
    /// By default, `None`.
    pub env: Option<BTreeMap<String, String>>,
    /// Whether a folder search reads installed environments it finds (`.venv`, `venv`, any folder with a
    /// `pyvenv.cfg`). By default, true.
    pub installed: bool,
    /// Most `*.dist-info` folders read from one environment. By default, 100 000.
    pub max_distributions: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_file_bytes: 64 << 20,
            max_search_depth: 4,
            env: None,
            installed: true,
            max_distributions: 100_000,
        }
    }
}

impl ReadOptions {
    pub(crate) fn env_var(&self, name: &str) -> Option<String> {
        match &self.env {
            Some(map) => map.get(name).cloned(),
            None => std::env::var(name).ok(),
        }
    }
}

/// Reads a file into memory, refusing more than `max` bytes.
pub(crate) fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let file = fs_err::File::open(path).map_err(|e| io_reason(&e))?;
    let mut buf = Vec::new();
    file.take(max.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| io_reason(&e))?;
    if buf.len() as u64 > max {
        return Err(format!("larger than the {max}-byte limit"));
    }
    Ok(buf)
}

fn io_reason(e: &std::io::Error) -> String {
    // fs_err's message repeats the path, which the caller already names.
    match e.get_ref() {
        Some(inner) => std::error::Error::source(inner)
            .map_or_else(|| e.kind().to_string(), ToString::to_string),
        None => e.to_string(),
    }
    .to_lowercase()
}

/// The format of a file, from its name (and, for `.toml` files of another name, its content).
pub(crate) fn detect_format(path: &Path) -> InputFormat {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match name.as_str() {
        "pyproject.toml" => InputFormat::Pyproject,
        "uv.lock" => InputFormat::UvLock,
        "poetry.lock" => InputFormat::PoetryLock,
        "pdm.lock" => InputFormat::PdmLock,
        "pipfile.lock" => InputFormat::PipfileLock,
        "pylock.toml" => InputFormat::Pylock,
        n if n.starts_with("pylock.") && n.ends_with(".toml") => InputFormat::Pylock,
        n if n.ends_with(".toml") => {
            let head = read_bounded(path, 1 << 20).unwrap_or_default();
            let text = String::from_utf8_lossy(&head);
            if text.contains("lock-version") {
                InputFormat::Pylock
            } else {
                InputFormat::Pyproject
            }
        }
        n if n.starts_with("constraints") && n.ends_with(".txt") => InputFormat::Constraints,
        _ => InputFormat::Requirements,
    }
}

/// Reads one input file (or installed environment) for `target`.
///
/// Problems inside the file are [`Diagnostic`]s in the result; only a path that does not exist is an error.
///
/// # Errors
/// [`crate::Error::NotFound`] when `path` does not exist.
pub fn read_file(
    path: impl AsRef<Path>,
    target: &Target,
    options: &ReadOptions,
) -> Result<Project, crate::Error> {
    let path = path.as_ref();
    let mut project = new_project(path, target);
    if !path.exists() {
        return Err(crate::Error::NotFound {
            path: path.to_owned(),
        });
    }
    let mut txt = TxtReader::new(target, options);
    let display = path.display().to_string();
    if path.is_dir() {
        read_environment(path, &display, target, options, &mut project);
    } else {
        read_one(
            path,
            &display,
            detect_format(path),
            target,
            options,
            &mut txt,
            &mut project,
        );
    }
    Ok(project)
}

fn new_project(path: &Path, target: &Target) -> Project {
    Project {
        root: path.display().to_string(),
        target: target.to_string(),
        ..Project::default()
    }
}

fn read_one(
    path: &Path,
    display: &str,
    format: InputFormat,
    target: &Target,
    options: &ReadOptions,
    txt: &mut TxtReader<'_>,
    project: &mut Project,
) {
    match format {
        InputFormat::Requirements | InputFormat::Constraints => {
            txt.read(path, display, format, project, None);
            return;
        }
        InputFormat::Installed => {
            read_environment(path, display, target, options, project);
            return;
        }
        _ => {}
    }
    let content = match read_bounded(path, options.max_file_bytes) {
        Ok(c) => c,
        Err(e) => {
            project.diagnostics.push(Diagnostic::at(
                display,
                None,
                format!("cannot read `{display}`: {e}"),
            ));
            return;
        }
    };
    let Ok(text) = String::from_utf8(content.clone()) else {
        project
            .diagnostics
            .push(Diagnostic::at(display, None, "not valid UTF-8"));
        return;
    };
    let before = project.dependencies.len();
    let ok = match format {
        InputFormat::Pyproject => read_pyproject(&text, display, target, project),
        InputFormat::UvLock => read_uv_lock(&text, display, target, project),
        InputFormat::PoetryLock => read_poetry_lock(&text, display, target, project),
        InputFormat::PdmLock => read_pdm_lock(&text, display, target, project),
        InputFormat::PipfileLock => read_pipfile_lock(&text, display, target, project),
        InputFormat::Pylock => read_pylock(&text, display, target, project),
        _ => true,
    };
    let added = project.dependencies.len() - before;
    let uses_hashes = project.dependencies[before..]
        .iter()
        .any(|d| !d.hashes.is_empty());
    if ok {
        project.inputs.push(Input {
            path: display.to_owned(),
            format,
            size: content.len() as u64,
            dependencies: added,
            uses_hashes,
            superseded_by: None,
        });
    }
}

/// Parses one input given as text, never touching the file system: `-r`/`-c` includes are reported as
/// diagnostics instead of being read. `path` names the input in sources and diagnostics; `format` says what it is
/// ([`InputFormat::Installed`] is read as one `METADATA` file).
///
/// ```
/// use mlsc_deps::{InputFormat, Target};
///
/// let p = mlsc_deps::parse_text("torch==2.2.0+cpu\n-r other.txt\n", "requirements.txt", InputFormat::Requirements, &Target::default());
/// assert_eq!(p.dependencies[0].version.as_ref().unwrap().to_string(), "2.2.0+cpu");
/// assert_eq!(p.diagnostics[0].line, Some(2));
/// ```
pub fn parse_text(text: &str, path: &str, format: InputFormat, target: &Target) -> Project {
    let mut project = Project {
        root: path.to_owned(),
        target: target.to_string(),
        ..Project::default()
    };
    let options = ReadOptions::default();
    let before = project.dependencies.len();
    let ok = match format {
        InputFormat::Requirements | InputFormat::Constraints => {
            let mut txt = TxtReader::new(target, &options);
            txt.no_files = true;
            txt.read_content(
                text.as_bytes(),
                Path::new(path).to_path_buf(),
                Path::new(path),
                path,
                format,
                &mut project,
            );
            return project;
        }
        InputFormat::Pyproject => read_pyproject(text, path, target, &mut project),
        InputFormat::UvLock => read_uv_lock(text, path, target, &mut project),
        InputFormat::PoetryLock => read_poetry_lock(text, path, target, &mut project),
        InputFormat::PdmLock => read_pdm_lock(text, path, target, &mut project),
        InputFormat::PipfileLock => read_pipfile_lock(text, path, target, &mut project),
        InputFormat::Pylock => read_pylock(text, path, target, &mut project),
        InputFormat::Installed => {
            super::installed::metadata_dependency(text, path, target, &mut project);
            true
        }
    };
    if ok {
        let added = project.dependencies.len() - before;
        project.inputs.push(Input {
            path: path.to_owned(),
            format,
            size: text.len() as u64,
            dependencies: added,
            uses_hashes: project.dependencies.iter().any(|d| !d.hashes.is_empty()),
            superseded_by: None,
        });
    }
    project
}

/// Reads a file, an installed environment, or a project folder (searched for requirements files,
/// `pyproject.toml`, lock files and environments), evaluating markers for `target`.
///
/// In a folder, `pyproject.toml` is not read when a lock file (`uv.lock`, `poetry.lock`, `pdm.lock`, `pylock.toml`,
/// `Pipfile.lock`) sits beside it: the lock records what is installed, the pyproject only ranges. Such a file is
/// listed in [`Project::inputs`] with `superseded_by` set.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("requirements.txt"), "numpy==1.21.0\nrequests>=2.0  # web\n").unwrap();
/// let project = mlsc_deps::read_project(dir.path(), &mlsc_deps::Target::default()).unwrap();
/// assert_eq!(project.dependencies.len(), 2);
/// assert_eq!(project.dependencies[0].version.as_ref().unwrap().to_string(), "1.21.0");
/// assert!(project.dependencies[1].version.is_none());
/// ```
///
/// # Errors
/// [`crate::Error::NotFound`] when `path` does not exist.
pub fn read_project(path: impl AsRef<Path>, target: &Target) -> Result<Project, crate::Error> {
    let path = path.as_ref();
    read_project_with(path, target, &ReadOptions::default())
}

/// [`read_project`] with options.
///
/// # Errors
/// [`crate::Error::NotFound`] when `path` does not exist.
pub fn read_project_with(
    path: impl AsRef<Path>,
    target: &Target,
    options: &ReadOptions,
) -> Result<Project, crate::Error> {
    let path = path.as_ref();
    if !path.is_dir() || is_environment(path) {
        return read_file(path, target, options);
    }
    let mut project = new_project(path, target);
    let mut txt = TxtReader::new(target, options);
    search(path, path, 0, target, options, &mut txt, &mut project);
    Ok(project)
}

const SKIP_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "__pycache__",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "build",
    "dist",
    "site-packages",
    "target",
];

fn search(
    root: &Path,
    dir: &Path,
    depth: usize,
    target: &Target,
    options: &ReadOptions,
    txt: &mut TxtReader<'_>,
    project: &mut Project,
) {
    let shown = |p: &Path| -> String {
        let rel = p.strip_prefix(root).unwrap_or(p);
        super::txt::normalize_display(&root.join(rel))
    };
    let mut entries: Vec<_> = match fs_err::read_dir(dir) {
        Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(e) => {
            project.diagnostics.push(Diagnostic::at(
                &shown(dir),
                None,
                format!("cannot list folder: {}", io_reason(&e)),
            ));
            return;
        }
    };
    entries.sort();
    let names: Vec<String> = entries
        .iter()
        .filter_map(|p| p.file_name()?.to_str().map(str::to_ascii_lowercase))
        .collect();
    let lock = [
        "uv.lock",
        "poetry.lock",
        "pdm.lock",
        "pylock.toml",
        "pipfile.lock",
    ]
    .iter()
    .find(|l| names.iter().any(|n| n == *l))
    .copied();
    let mut subdirs = Vec::new();
    for p in &entries {
        let Some(name) = p.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let lower = name.to_ascii_lowercase();
        if p.is_dir() {
            if is_environment(p) {
                if options.installed {
                    read_environment(p, &shown(p), target, options, project);
                }
            } else if !(SKIP_DIRS.contains(&lower.as_str())
                || (lower.starts_with('.') && lower != ".venv"))
            {
                subdirs.push(p.clone());
            }
            continue;
        }
        let in_req_dir = dir
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|d| d.eq_ignore_ascii_case("requirements"));
        let format = match lower.as_str() {
            "pyproject.toml" => {
                if let Some(l) = lock {
                    project.inputs.push(Input {
                        path: shown(p),
                        format: InputFormat::Pyproject,
                        size: 0,
                        dependencies: 0,
                        uses_hashes: false,
                        superseded_by: Some(shown(&dir.join(l))),
                    });
                    continue;
                }
                InputFormat::Pyproject
            }
            "uv.lock" => InputFormat::UvLock,
            "poetry.lock" => InputFormat::PoetryLock,
            "pdm.lock" => InputFormat::PdmLock,
            "pipfile.lock" => InputFormat::PipfileLock,
            n if n == "pylock.toml" || (n.starts_with("pylock.") && n.ends_with(".toml")) => {
                InputFormat::Pylock
            }
            n if n.ends_with(".txt") && n.starts_with("constraints") => InputFormat::Constraints,
            n if n.ends_with(".txt") && (n.contains("requirements") || in_req_dir) => {
                InputFormat::Requirements
            }
            n if n.ends_with(".in") && (n.contains("requirements") || in_req_dir) => {
                // pip-compile input: its compiled `.txt` has the exact pins, so read the `.in` only alone.
                let compiled = format!("{}.txt", &n[..n.len() - 3]);
                if names.contains(&compiled) {
                    continue;
                }
                InputFormat::Requirements
            }
            _ => continue,
        };
        read_one(p, &shown(p), format, target, options, txt, project);
    }
    if depth < options.max_search_depth {
        for d in subdirs {
            search(root, &d, depth + 1, target, options, txt, project);
        }
    }
}
