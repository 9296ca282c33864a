//! Python dependency inputs: requirements files, `pyproject.toml`, lock files and installed environments, read
//! into one [`Project`] of [`Dependency`] values for a chosen [`Target`] environment.
//!
//! Nothing here resolves against an index: a specifier stays a specifier, and only an exact pin (or a lock file, or
//! an installed distribution) gives a [`Dependency::version`].

mod fix;
mod installed;
mod locks;
mod name;
mod pep508;
mod project;
mod pyproject;
mod target;
mod txt;

use std::fmt;

use pep440_rs::{Version, VersionSpecifiers};
use serde::Serialize;

pub use self::fix::{FixEdit, FixPlan, plan_fixes};
pub use self::installed::environment_python_version;
pub use self::name::normalize_name;
pub use self::project::{ReadOptions, parse_text, read_file, read_project, read_project_with};
pub use self::target::{Platform, Target};

/// What kind of requirement a [`Dependency`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum DependencyKind {
    /// An exact version: `==1.2.3` (no wildcard), `===1.2.3`, a lock-file entry or an installed distribution.
    Pinned,
    /// A version range (`>=1.2`, `~=1.2`, `==1.2.*`, a Poetry caret).
    Range,
    /// No version constraint at all (`requests`).
    Unconstrained,
    /// A direct URL to an archive (`name @ https://…/x.whl`).
    Url,
    /// A version-control URL (`git+https://…`).
    Vcs,
    /// A local path (`./pkg`, `file:///…`, `name @ file:…`).
    Path,
    /// An editable install (`-e …`).
    Editable,
}

impl DependencyKind {
    /// The kebab-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            DependencyKind::Pinned => "pinned",
            DependencyKind::Range => "range",
            DependencyKind::Unconstrained => "unconstrained",
            DependencyKind::Url => "url",
            DependencyKind::Vcs => "vcs",
            DependencyKind::Path => "path",
            DependencyKind::Editable => "editable",
        }
    }
}

/// The format of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum InputFormat {
    /// A pip requirements file (including pip-compile output).
    Requirements,
    /// A pip constraints file (`-c`): pins that apply to requirements named elsewhere.
    Constraints,
    /// `pyproject.toml`: PEP 621, PEP 735 dependency groups, Poetry tables.
    Pyproject,
    /// `uv.lock`.
    UvLock,
    /// `poetry.lock`.
    PoetryLock,
    /// `Pipfile.lock`.
    PipfileLock,
    /// `pylock.toml` (PEP 751).
    Pylock,
    /// An installed environment (a venv or a site-packages folder).
    Installed,
    /// `pdm.lock`.
    PdmLock,
}

impl InputFormat {
    /// The kebab-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Requirements => "requirements",
            InputFormat::Constraints => "constraints",
            InputFormat::Pyproject => "pyproject",
            InputFormat::UvLock => "uv-lock",
            InputFormat::PoetryLock => "poetry-lock",
            InputFormat::PipfileLock => "pipfile-lock",
            InputFormat::Pylock => "pylock",
            InputFormat::Installed => "installed",
            InputFormat::PdmLock => "pdm-lock",
        }
    }

    /// True for the formats that record exact, resolved versions.
    pub fn is_lock(self) -> bool {
        matches!(
            self,
            InputFormat::UvLock
                | InputFormat::PoetryLock
                | InputFormat::PipfileLock
                | InputFormat::Pylock
                | InputFormat::Installed
                | InputFormat::PdmLock
        )
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a dependency was declared: a file and, for line-based formats, a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Source {
    /// The file as found (relative to the folder the user named when it was found by a search).
    pub path: String,
    /// 1-based line of the (first physical line of the) declaration, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The format of the file.
    pub format: InputFormat,
}

impl Source {
    /// A source in `path` at `line`.
    pub fn new(path: impl Into<String>, line: Option<u32>, format: InputFormat) -> Self {
        Source {
            path: path.into(),
            line,
            format,
        }
    }

    /// This source as an mlsc-core location.
    pub fn location(&self) -> mlsc_core::Location {
        let loc = mlsc_core::Location::file(self.path.clone());
        match self.line {
            Some(line) => loc.at_line(line),
            None => loc,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.path),
            None => f.write_str(&self.path),
        }
    }
}

/// A hash of a distribution file, as `--hash=sha256:…` or a lock file records it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[non_exhaustive]
pub struct FileHash {
    /// The algorithm, lowercase: `sha256`, `sha384`, `sha512`, `md5`.
    pub algorithm: String,
    /// The lowercase hex digest.
    pub value: String,
}

impl FileHash {
    /// Parses `sha256:abcd…` (or `sha256=abcd…`).
    pub fn parse(s: &str) -> Option<FileHash> {
        let (alg, value) = s.split_once([':', '='])?;
        let alg = alg.trim().to_ascii_lowercase();
        let value = value.trim().to_ascii_lowercase();
        if alg.is_empty()
            || value.is_empty()
            || !alg.bytes().all(|b| b.is_ascii_alphanumeric())
            || !value.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return None;
        }
        Some(FileHash {
            algorithm: alg,
            value,
        })
    }
}

impl fmt::Display for FileHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.algorithm, self.value)
    }
}

/// One declared or resolved Python dependency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Dependency {
    /// The PEP 503 normalised name (`pillow`, `typing-extensions`): the key for matching.
    pub name: String,
    /// The name as written (`Pillow`, `typing_extensions`).
    pub display_name: String,
    /// The exact version, only when it is pinned, locked or installed: never derived from a range.
    #[serde(
        serialize_with = "ser_opt_display",
        skip_serializing_if = "Option::is_none"
    )]
    pub version: Option<Version>,
    /// The pinned version as written when it is not valid PEP 440 (`===foobar`): matched by string only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arbitrary_version: Option<String>,
    /// The version specifier as written (`>=1.2,<2`, `==2.9.*`); empty when there is none.
    pub specifier: String,
    /// The parsed specifier (absent for URLs, arbitrary `===` strings and unconstrained requirements).
    #[serde(skip)]
    pub specifiers: Option<VersionSpecifiers>,
    /// Extras requested (`transformers[torch]`), normalised.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extras: Vec<String>,
    /// The environment marker as written, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// False when the marker (or a lock file's resolution marker) excludes the target environment: the
    /// dependency would not be installed there, so it is not audited.
    pub applies: bool,
    /// Hashes of the distribution files (`--hash`, lock files).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<FileHash>,
    /// What kind of requirement this is.
    pub kind: DependencyKind,
    /// The direct URL or path, for URL, VCS, path and editable requirements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Where it was declared.
    pub source: Source,
    /// The optional-dependency extra, dependency group or lock-file section it belongs to (`dev`, `test`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The licence from installed metadata (`License-Expression`, else `License`, else a licence classifier).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// Normalised names of the dependencies of this one, where the input records them (lock files, installed
    /// `Requires-Dist`), evaluated for the target.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// True when the input says this is a direct dependency of the project (requirements files, pyproject,
    /// the roots of a lock file); false for transitive entries of lock files and installed environments.
    pub direct: bool,
}

fn ser_opt_display<S: serde::Serializer>(v: &Option<Version>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

impl Dependency {
    /// A dependency named `name` (normalised here) with nothing else known yet.
    pub fn new(name: &str, kind: DependencyKind, source: Source) -> Self {
        Dependency {
            name: normalize_name(name),
            display_name: name.to_owned(),
            version: None,
            arbitrary_version: None,
            specifier: String::new(),
            specifiers: None,
            extras: Vec::new(),
            marker: None,
            applies: true,
            hashes: Vec::new(),
            kind,
            url: None,
            source,
            group: None,
            license: None,
            depends_on: Vec::new(),
            direct: true,
        }
    }

    /// A pinned dependency `name==version`.
    pub fn pinned(name: &str, version: Version, source: Source) -> Self {
        let mut d = Dependency::new(name, DependencyKind::Pinned, source);
        d.specifier = format!("=={version}");
        d.specifiers = Some(VersionSpecifiers::from_iter([
            pep440_rs::VersionSpecifier::equals_version(version.clone()),
        ]));
        d.version = Some(version);
        d
    }

    /// The package URL: `pkg:pypi/<name>@<version>` (the version only when exact).
    pub fn purl(&self) -> String {
        let mut p = format!("pkg:pypi/{}", purl_escape(&self.name));
        if let Some(v) = &self.version {
            p.push('@');
            p.push_str(&purl_escape(&v.to_string()));
        } else if let Some(v) = &self.arbitrary_version {
            p.push('@');
            p.push_str(&purl_escape(v));
        }
        p
    }

    /// True for URL, VCS, path and editable requirements: they do not come from an index.
    pub fn is_direct_reference(&self) -> bool {
        matches!(
            self.kind,
            DependencyKind::Url
                | DependencyKind::Vcs
                | DependencyKind::Path
                | DependencyKind::Editable
        )
    }

    /// The version as text: the exact version, the arbitrary `===` string, or nothing.
    pub fn version_string(&self) -> Option<String> {
        self.version
            .as_ref()
            .map(ToString::to_string)
            .or_else(|| self.arbitrary_version.clone())
    }
}

fn purl_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Index options found in requirements files (`--index-url`, `--extra-index-url`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct IndexOptions {
    /// `--index-url` / `-i` values, with where they were set.
    pub index_urls: Vec<(String, Source)>,
    /// `--extra-index-url` values: each one opens the door to dependency confusion.
    pub extra_index_urls: Vec<(String, Source)>,
    /// `--find-links` / `-f` values.
    pub find_links: Vec<(String, Source)>,
    /// `--trusted-host` values: TLS is not verified for these hosts.
    pub trusted_hosts: Vec<(String, Source)>,
    /// `--no-index` was given.
    pub no_index: bool,
    /// `--require-hashes` was given.
    pub require_hashes: bool,
}

/// A problem with one input, or one line of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Diagnostic {
    /// The file.
    pub path: String,
    /// The 1-based line, when the problem is on one line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// What is wrong, lowercase.
    pub message: String,
    /// True when the input (or a part of it) could not be read at all, so dependencies may be missing: the
    /// caller must not call the result complete.
    pub fatal: bool,
}

impl Diagnostic {
    pub(crate) fn at(path: &str, line: Option<u32>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_owned(),
            line,
            message: message.into(),
            fatal: true,
        }
    }

    pub(crate) fn warning(path: &str, line: Option<u32>, message: impl Into<String>) -> Self {
        Diagnostic {
            fatal: false,
            ..Diagnostic::at(path, line, message)
        }
    }

    /// The location as an mlsc-core location.
    pub fn location(&self) -> mlsc_core::Location {
        let loc = mlsc_core::Location::file(self.path.clone());
        match self.line {
            Some(line) => loc.at_line(line),
            None => loc,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// One input file (or installed environment) that was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Input {
    /// The path.
    pub path: String,
    /// Its format.
    pub format: InputFormat,
    /// Bytes read.
    pub size: u64,
    /// How many dependencies it contributed.
    pub dependencies: usize,
    /// Whether a hash was given for any requirement (for "missing hashes where the file otherwise uses them").
    pub uses_hashes: bool,
    /// Set when the file was found but not read because a lock file of the same project supersedes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
}

/// Everything read from a project: its inputs, dependencies, index options and problems.
///
/// Every dependency keeps its [`Source`]; the same package declared in two files appears twice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Project {
    /// The path the user named.
    pub root: String,
    /// The target environment markers were evaluated for, as text (`cpython 3.12 linux x86_64`).
    pub target: String,
    /// The inputs read, in the order read.
    pub inputs: Vec<Input>,
    /// The dependencies, in input order then file order.
    pub dependencies: Vec<Dependency>,
    /// Pins from constraints files (`-c`): they constrain requirements named elsewhere.
    pub constraints: Vec<Dependency>,
    /// Index options from requirements files.
    pub index: IndexOptions,
    /// Problems; the fatal ones mean dependencies may be missing.
    pub diagnostics: Vec<Diagnostic>,
}

/// Also known as a dependency set: what [`read_project`] returns.
pub type DependencySet = Project;

impl Project {
    /// The dependencies that apply to the target environment.
    pub fn active(&self) -> impl Iterator<Item = &Dependency> {
        self.dependencies.iter().filter(|d| d.applies)
    }

    /// An error naming `paths` when nothing in them was read and nothing failed to read: no requirements file,
    /// pyproject.toml, lock file or installed environment was found, which must never read as "no vulnerabilities".
    ///
    /// # Errors
    ///
    /// [`Error::NothingToAudit`](crate::Error::NothingToAudit) in that case.
    pub fn require_inputs(&self, paths: &[std::path::PathBuf]) -> Result<(), crate::Error> {
        if self.read_any() || self.has_fatal() {
            return Ok(());
        }
        let shown: Vec<String> = paths.iter().map(|p| format!("`{}`", p.display())).collect();
        Err(crate::Error::NothingToAudit {
            paths: shown.join(", "),
        })
    }

    /// True when an input or a part of it could not be read.
    pub fn has_fatal(&self) -> bool {
        self.diagnostics.iter().any(|d| d.fatal)
    }

    /// Edges of the dependency graph where the inputs record them: `(from, to)` indices into
    /// [`Project::dependencies`], within the same input file.
    pub fn graph(&self) -> Vec<(usize, usize)> {
        use std::collections::HashMap;
        let mut by_file: HashMap<(&str, &str), usize> = HashMap::new();
        for (i, d) in self.dependencies.iter().enumerate() {
            if d.applies {
                by_file
                    .entry((d.source.path.as_str(), d.name.as_str()))
                    .or_insert(i);
            }
        }
        let mut edges = Vec::new();
        for (i, d) in self.dependencies.iter().enumerate() {
            for dep in &d.depends_on {
                if let Some(&j) = by_file.get(&(d.source.path.as_str(), dep.as_str())) {
                    edges.push((i, j));
                }
            }
        }
        edges
    }
}
