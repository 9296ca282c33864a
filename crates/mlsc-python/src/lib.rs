//! `mlsc._native`: the native half of the `mlsc` Python package. The typed, documented API is the Python package in
//! `python/mlsc/`; this module is its thin glue to the library crates.
//!
//! Every function releases the GIL while Rust works and returns the JSON text the CLI would print with
//! `--format json` (the Python side `json.loads` it), so a Python result and a CLI report are the same document:
//! one serialisation, no second mapping of every type to Python objects to keep in step. Errors raise
//! `MlscError` or one of its subclasses.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    mlsc,
    MlscError,
    PyException,
    "Base class of every error mlsc raises."
);
create_exception!(
    mlsc,
    MlscIOError,
    MlscError,
    "A path given to mlsc does not exist or cannot be read."
);
create_exception!(
    mlsc,
    MlscUsageError,
    MlscError,
    "An argument is invalid (an unknown CycloneDX version, a bad target environment, a path with nothing to audit)."
);
create_exception!(
    mlsc,
    MlscDatabaseError,
    MlscError,
    "The OSV advisory database is missing or cannot be loaded: nothing was checked."
);

/// Maps an error of the BOM and dependency libraries to the exception class a Python caller catches.
fn sbom_error(err: mlsc_sbom::Error) -> PyErr {
    let message = error_chain(&err);
    match err {
        mlsc_sbom::Error::Io { .. }
        | mlsc_sbom::Error::NotFound { .. }
        | mlsc_sbom::Error::NotADirectory { .. } => MlscIOError::new_err(message),
        mlsc_sbom::Error::Deps(e) => deps_error(e),
        mlsc_sbom::Error::BadQuery { .. } | mlsc_sbom::Error::AmbiguousSnapshot { .. } => {
            MlscUsageError::new_err(message)
        }
        _ => MlscError::new_err(message),
    }
}

/// Maps an error of the dependency library (requirements, targets, the advisory database) to its exception class.
fn deps_error(err: mlsc_deps::Error) -> PyErr {
    let message = error_chain(&err);
    match err {
        mlsc_deps::Error::NotFound { .. } => MlscIOError::new_err(message),
        mlsc_deps::Error::Database { .. }
        | mlsc_deps::Error::NoDatabaseLocation
        | mlsc_deps::Error::NoDatabaseAt { .. } => MlscDatabaseError::new_err(message),
        mlsc_deps::Error::InvalidTarget { .. } => MlscUsageError::new_err(message),
        _ => MlscError::new_err(message),
    }
}

/// The error and its causes on one line, as the CLI prints them.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// A path the caller named must exist: a typo raises instead of becoming a report whose only content is an error.
fn require_exists(path: &Path) -> PyResult<()> {
    fs_err::symlink_metadata(path)
        .map(drop)
        .map_err(|e| MlscIOError::new_err(error_chain(&e)))
}

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> PyResult<String> {
    serde_json::to_string(value)
        .map_err(|e| MlscError::new_err(format!("cannot serialise the report: {e}")))
}

/// Runs the `mlsc` command in this process with `args` (the first is the program name) and returns its exit status.
/// A panic is reported as the binary reports it (the message on stderr) and returns 101, the binary's status for a
/// panic, so that a Python wrapper never turns an internal error into 1 ("findings").
#[pyfunction]
fn run_cli(py: Python<'_>, args: Vec<OsString>) -> u8 {
    py.detach(move || std::panic::catch_unwind(move || mlsc::run(args)).unwrap_or(101))
}

/// Scans files and directories; returns the scan report as JSON text.
#[pyfunction]
#[pyo3(signature = (paths, allow, timeout))]
fn scan(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    allow: Vec<String>,
    timeout: Option<f64>,
) -> PyResult<String> {
    if paths.is_empty() {
        return Err(MlscUsageError::new_err("no path to scan"));
    }
    for p in &paths {
        require_exists(p)?;
    }
    let mut options = mlsc_pickle::ScanOptions::default();
    options.policy = mlsc_pickle::Policy::default().with_allowed(allow);
    if let Some(t) = timeout {
        let limit = Duration::try_from_secs_f64(t)
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or_else(|| {
                MlscUsageError::new_err(format!(
                    "timeout must be a positive number of seconds, not {t}"
                ))
            })?;
        options.timeout = Some(limit);
    }
    let report = py.detach(|| mlsc_pickle::scan_paths(&paths, &options));
    to_json(&report)
}

/// Scans bytes as if they were the file `name`; returns the scan report as JSON text.
#[pyfunction]
fn scan_bytes(py: Python<'_>, data: &[u8], name: &str) -> PyResult<String> {
    let options = mlsc_pickle::ScanOptions::default();
    let report = py.detach(|| mlsc_pickle::scan_bytes(name, data, &options));
    to_json(&report)
}

/// Audits the Python dependencies at `path` against the OSV database `db`; returns what `mlsc deps --format json`
/// prints.
#[pyfunction]
fn deps(
    py: Python<'_>,
    path: PathBuf,
    db: PathBuf,
    python_version: &str,
    platform: &str,
) -> PyResult<String> {
    let platform: mlsc_sbom::Platform = platform
        .parse()
        .map_err(|e: String| MlscUsageError::new_err(e))?;
    let target = mlsc_sbom::Target::new(python_version, platform).map_err(deps_error)?;
    require_exists(&path)?;
    if !db.exists() {
        return Err(MlscDatabaseError::new_err(format!(
            "no advisory database at `{}` (a folder of OSV JSON, an OSV all.zip, or JSON lines; `mlsc db update` \
             downloads one): nothing was checked",
            db.display()
        )));
    }
    py.detach(|| {
        // The database first, as the CLI does: without it nothing can be said.
        let database = mlsc_sbom::Database::load(&db).map_err(deps_error)?;
        let project = mlsc_sbom::read_project_with(&path, &target, &mlsc_sbom::ReadOptions::default())
            .map_err(deps_error)?;
        let read_any = project.inputs.iter().any(|i| i.superseded_by.is_none());
        if !read_any && !project.has_fatal() {
            return Err(MlscUsageError::new_err(format!(
                "nothing to audit in `{}`: no requirements file, pyproject.toml, lock file or installed environment found",
                path.display()
            )));
        }
        // As `mlsc deps` does: advisories published after the database was built are missing, so say so past 30 days.
        let mut options = mlsc_sbom::AuditOptions::default();
        options.max_database_age_days = Some(30);
        let audit = mlsc_sbom::audit(&project, &database, &options);
        to_json(&audit.json())
    })
}

/// The CycloneDX ML-BOM of `path`; returns the BOM as JSON text, as `mlsc sbom` writes it.
#[pyfunction]
fn sbom(py: Python<'_>, path: PathBuf, spec: &str, deterministic: bool) -> PyResult<String> {
    let mut options = mlsc_sbom::BomOptions::default();
    options.spec = spec
        .parse()
        .map_err(|e: String| MlscUsageError::new_err(e))?;
    options.deterministic = deterministic;
    require_exists(&path)?;
    py.detach(|| {
        let out = mlsc_sbom::bom_for_path(&path, &options).map_err(sbom_error)?;
        Ok(mlsc_sbom::bom_to_json(&out.bom))
    })
}

/// Lints the model or data card(s) at `path`; returns the card report as JSON text.
#[pyfunction]
fn card_lint(py: Python<'_>, path: PathBuf) -> PyResult<String> {
    require_exists(&path)?;
    let options = mlsc_cards::LintOptions::default();
    let report = py.detach(|| mlsc_cards::lint_paths(&[path], &options));
    to_json(&report)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("MlscError", py.get_type::<MlscError>())?;
    m.add("MlscIOError", py.get_type::<MlscIOError>())?;
    m.add("MlscUsageError", py.get_type::<MlscUsageError>())?;
    m.add("MlscDatabaseError", py.get_type::<MlscDatabaseError>())?;
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    m.add_function(wrap_pyfunction!(scan, m)?)?;
    m.add_function(wrap_pyfunction!(scan_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(deps, m)?)?;
    m.add_function(wrap_pyfunction!(sbom, m)?)?;
    m.add_function(wrap_pyfunction!(card_lint, m)?)?;
    Ok(())
}
