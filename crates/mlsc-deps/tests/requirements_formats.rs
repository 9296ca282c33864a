//! pyproject.toml, lock files, installed environments and the project-folder search.

use std::path::Path;

use mlsc_deps::{DependencyKind, InputFormat, Platform, Project, Target};

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn read(path: &Path) -> Project {
    mlsc_deps::read_project(path, &Target::default()).unwrap()
}

fn summary(p: &Project) -> Vec<String> {
    p.dependencies
        .iter()
        .map(|d| {
            format!(
                "{} {} {}{}",
                d.name,
                d.version_string().unwrap_or_else(|| d.specifier.clone()),
                if d.applies { "applies" } else { "skipped" },
                d.group
                    .as_ref()
                    .map(|g| format!(" [{g}]"))
                    .unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn pyproject_pep621_pep735_and_poetry() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pyproject.toml",
        r#"[project]
name = "demo"
dependencies = [
  "torch>=2.0",
  "numpy==1.21.0",
  "pywin32>=300; sys_platform == 'win32'",
]
[project.optional-dependencies]
serve = ["gradio==3.50.0"]

[dependency-groups]
dev = ["pytest>=7", {include-group = "lint"}]
lint = ["ruff==0.4.0"]

[tool.poetry.dependencies]
python = "^3.10"
requests = "^2.25.0"
Pillow = { version = "9.0.0", markers = "platform_machine == 'x86_64'" }
mytool = { git = "https://github.com/org/mytool.git", tag = "v1" }
[tool.poetry.group.test.dependencies]
hypothesis = "~6.1"
"#,
    );
    let p = read(&dir.path().join("pyproject.toml"));
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(
        summary(&p),
        [
            "torch >=2.0 applies",
            "numpy 1.21.0 applies",
            "pywin32 >=300 skipped",
            "gradio 3.50.0 applies [serve]",
            "pytest >=7 applies [dev]",
            "ruff 0.4.0 applies [lint]",
            "requests ^2.25.0 applies",
            "pillow 9.0.0 applies",
            "mytool  applies",
            "hypothesis ~6.1 applies [test]",
        ]
    );
    let req = &p.dependencies[6];
    assert_eq!(req.specifiers.as_ref().unwrap().to_string(), ">=2.25.0, <3");
    assert_eq!(p.dependencies[8].kind, DependencyKind::Vcs);
    assert_eq!(p.dependencies[1].source.line, Some(5));
}

#[test]
fn uv_lock_follows_marker_true_edges_from_the_project() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "uv.lock",
        r#"version = 1
requires-python = ">=3.10"

[[package]]
name = "demo"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "numpy" },
    { name = "pywin32", marker = "sys_platform == 'win32'" },
    { name = "requests" },
]

[[package]]
name = "numpy"
version = "1.21.0"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files/numpy-1.21.0.tar.gz", hash = "sha256:aa", size = 1 }
wheels = [{ url = "https://files/numpy-1.21.0-cp312-none-any.whl", hash = "sha256:bb", size = 1 }]

[[package]]
name = "pywin32"
version = "306"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "requests"
version = "2.25.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "urllib3" }]

[[package]]
name = "urllib3"
version = "1.26.0"
source = { registry = "https://pypi.org/simple" }
"#,
    );
    let p = read(&dir.path().join("uv.lock"));
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(
        summary(&p),
        [
            "demo 0.1.0 applies",
            "numpy 1.21.0 applies",
            "pywin32 306 skipped",
            "requests 2.25.0 applies",
            "urllib3 1.26.0 applies"
        ]
    );
    assert_eq!(p.dependencies[0].kind, DependencyKind::Editable);
    assert_eq!(p.dependencies[1].hashes.len(), 2);
    assert!(p.dependencies[1].direct && !p.dependencies[4].direct);
    assert_eq!(p.dependencies[3].depends_on, ["urllib3"]);
    assert_eq!(p.dependencies[3].source.line, Some(27));
    assert!(p.graph().contains(&(3, 4)));
    let win = mlsc_deps::read_project(
        dir.path().join("uv.lock"),
        &Target::new("3.12", Platform::WindowsAmd64).unwrap(),
    )
    .unwrap();
    assert!(win.dependencies[2].applies);
}

#[test]
fn poetry_and_pipfile_locks() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "poetry.lock",
        r#"[[package]]
name = "pillow"
version = "9.0.0"
description = ""
optional = false
python-versions = ">=3.7"
groups = ["main"]
files = [{file = "Pillow-9.0.0.tar.gz", hash = "sha256:ee"}]

[[package]]
name = "colorama"
version = "0.4.6"
optional = false
python-versions = "*"
groups = ["dev"]
markers = "sys_platform == \"win32\""

[package.dependencies]
pillow = ">=8"
"#,
    );
    let p = read(&dir.path().join("poetry.lock"));
    assert_eq!(
        summary(&p),
        ["pillow 9.0.0 applies", "colorama 0.4.6 skipped [dev]"]
    );
    assert_eq!(p.dependencies[0].hashes[0].value, "ee");
    write(
        dir.path(),
        "Pipfile.lock",
        r#"{"_meta": {"hash": {"sha256": "x"}},
 "default": {"requests": {"hashes": ["sha256:01", "sha256:02"], "version": "==2.25.0", "markers": "python_version >= '3.6'"},
             "mytool": {"git": "https://github.com/org/mytool.git", "ref": "abc"}},
 "develop": {"pytest": {"version": "==7.0.0"}}}"#,
    );
    let p = read(&dir.path().join("Pipfile.lock"));
    assert_eq!(
        summary(&p),
        [
            "requests 2.25.0 applies",
            "mytool  applies",
            "pytest 7.0.0 applies [develop]"
        ]
    );
    assert_eq!(p.dependencies[0].hashes.len(), 2);
    assert_eq!(p.dependencies[1].kind, DependencyKind::Vcs);
}

#[test]
fn pylock_markers_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pylock.toml",
        r#"lock-version = "1.0"
environments = ["sys_platform == 'linux'", "sys_platform == 'win32'"]
requires-python = ">=3.10"
default-groups = ["default"]
created-by = "pip"

[[packages]]
name = "numpy"
version = "1.21.0"
marker = "sys_platform == 'win32'"
wheels = [{ name = "numpy-1.21.0-cp310-cp310-win_amd64.whl", url = "https://files/numpy.whl", hashes = { sha256 = "aa" } }]

[[packages]]
name = "pillow"
version = "9.0.0"
sdist = { name = "pillow-9.0.0.tar.gz", url = "https://files/pillow.tar.gz", hashes = { sha256 = "bb" } }

[[packages]]
name = "pytest"
version = "7.0.0"
marker = "'dev' in dependency_groups"

[[packages]]
name = "torch"
version = "2.2.0"
marker = "'default' in dependency_groups and python_version >= '3.10'"
"#,
    );
    let p = read(&dir.path().join("pylock.toml"));
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(
        summary(&p),
        [
            "numpy 1.21.0 skipped",
            "pillow 9.0.0 applies",
            "pytest 7.0.0 skipped",
            "torch 2.2.0 applies"
        ]
    );
    assert_eq!(p.dependencies[1].hashes[0].to_string(), "sha256:bb");
    assert_eq!(p.inputs[0].format, InputFormat::Pylock);
}

fn dist(site: &Path, name: &str, version: &str, extra: &str) {
    let d = site.join(format!("{name}-{version}.dist-info"));
    std::fs::create_dir_all(&d).unwrap();
    let meta = format!(
        "Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n{extra}\nDescription body\n"
    );
    std::fs::write(d.join("METADATA"), &meta).unwrap();
}

#[test]
fn installed_environments() {
    let dir = tempfile::tempdir().unwrap();
    let venv = dir.path().join(".venv");
    let site = venv.join("lib/python3.12/site-packages");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(venv.join("pyvenv.cfg"), "home = /usr/bin\n").unwrap();
    dist(
        &site,
        "requests",
        "2.25.0",
        "License: Apache 2.0\nRequires-Dist: urllib3<2,>=1.21\nRequires-Dist: PySocks!=1.5.7 ; extra == 'socks'\nRequires-Dist: win-inet-pton ; sys_platform == \"win32\"\n",
    );
    dist(
        &site,
        "urllib3",
        "1.26.0",
        "License-Expression: MIT\nClassifier: License :: OSI Approved :: MIT License\n",
    );
    dist(&site, "mytool", "0.1", "");
    std::fs::write(
        site.join("mytool-0.1.dist-info/direct_url.json"),
        r#"{"url": "https://github.com/org/mytool.git", "vcs_info": {"vcs": "git", "commit_id": "abc"}}"#,
    )
    .unwrap();
    // RECORD with the right digest for urllib3, a wrong one for requests.
    let meta = std::fs::read(site.join("urllib3-1.26.0.dist-info/METADATA")).unwrap();
    let good = base64url(&sha256(&meta));
    std::fs::write(
        site.join("urllib3-1.26.0.dist-info/RECORD"),
        format!(
            "urllib3-1.26.0.dist-info/METADATA,sha256={good},{}\n",
            meta.len()
        ),
    )
    .unwrap();
    std::fs::write(
        site.join("requests-2.25.0.dist-info/RECORD"),
        "requests-2.25.0.dist-info/METADATA,sha256=AAAA,10\n",
    )
    .unwrap();
    std::fs::write(site.join("mytool-0.1.dist-info/RECORD"), "").unwrap();
    // Searched from the project folder: the venv is found.
    let p = read(dir.path());
    assert_eq!(
        summary(&p),
        [
            "mytool 0.1 applies",
            "requests 2.25.0 applies",
            "urllib3 1.26.0 applies"
        ]
    );
    assert_eq!(p.dependencies[0].kind, DependencyKind::Vcs);
    assert_eq!(p.dependencies[1].license.as_deref(), Some("Apache 2.0"));
    assert_eq!(
        p.dependencies[1].depends_on,
        ["urllib3"],
        "extras and win32 edges are not followed"
    );
    assert_eq!(p.dependencies[2].license.as_deref(), Some("MIT"));
    let warnings: Vec<String> = p.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("requests-2.25.0.dist-info/METADATA")
            && warnings[0].contains("RECORD")
    );
    assert_eq!(p.inputs[0].format, InputFormat::Installed);
}

#[test]
fn a_folder_search_prefers_the_lock_over_pyproject() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"x\"\ndependencies = [\"numpy>=1\"]\n",
    );
    write(
        dir.path(),
        "uv.lock",
        "version = 1\n[[package]]\nname = \"numpy\"\nversion = \"1.21.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n",
    );
    write(dir.path(), "requirements/base.txt", "pillow==9.0.0\n");
    write(
        dir.path(),
        "requirements/dev.txt",
        "-r base.txt\npytest==7.0\n",
    );
    write(dir.path(), "requirements.in", "pillow\n");
    write(
        dir.path(),
        "requirements.txt",
        "pillow==9.0.0 --hash=sha256:aa\n",
    );
    write(dir.path(), "node_modules/requirements.txt", "evil==1\n");
    let p = read(dir.path());
    assert_eq!(
        summary(&p),
        [
            "pillow 9.0.0 applies",
            "numpy 1.21.0 applies",
            "pillow 9.0.0 applies",
            "pytest 7.0 applies"
        ]
    );
    let superseded: Vec<_> = p
        .inputs
        .iter()
        .filter(|i| i.superseded_by.is_some())
        .collect();
    assert_eq!(superseded.len(), 1);
    assert!(superseded[0].path.ends_with("pyproject.toml"));
}

fn sha256(data: &[u8]) -> [u8; 32] {
    mlsc_core::Sha256Digest::of(data).0
}

fn base64url(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// `pdm.lock` (lock format 4.5, as `pdm lock` writes it): exact versions, groups, markers and hashes; beside a
/// `pyproject.toml` it supersedes the ranges there.
#[test]
fn pdm_lock() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"app\"\ndependencies = [\"requests>=2\"]\n",
    );
    write(
        dir.path(),
        "pdm.lock",
        r#"# This file is @generated by PDM.
# It is not intended for manual editing.

[metadata]
groups = ["default", "dev"]
strategy = ["inherit_metadata"]
lock_version = "4.5.0"
content_hash = "sha256:5f3a0c1d0b6c2e6f9b7d1a4e8c2f0d3b6a9e1c4f7a0d3b6e9c2f5a8d1b4e7c0a"

[[metadata.targets]]
requires_python = ">=3.9"

[[package]]
name = "colorama"
version = "0.4.6"
requires_python = "!=3.0.*,!=3.1.*,!=3.2.*,!=3.3.*,!=3.4.*,!=3.5.*,!=3.6.*,>=2.7"
summary = "Cross-platform colored terminal text."
groups = ["dev"]
marker = "sys_platform == \"win32\""
files = [
    {file = "colorama-0.4.6-py2.py3-none-any.whl", hash = "sha256:4f1d9991f5acc0ca119f9d443620b77f9d6b33703e51011c16baf57afb285fc6"},
]

[[package]]
name = "requests"
version = "2.31.0"
requires_python = ">=3.7"
summary = "Python HTTP for Humans."
groups = ["default"]
dependencies = [
    "certifi>=2017.4.17",
    "charset-normalizer<4,>=2",
    "idna<4,>=2.5",
    "urllib3<3,>=1.21.1",
]
files = [
    {file = "requests-2.31.0-py3-none-any.whl", hash = "sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f"},
]
"#,
    );
    let p = read(dir.path());
    assert_eq!(
        summary(&p),
        ["colorama 0.4.6 skipped [dev]", "requests 2.31.0 applies"]
    );
    let req = &p.dependencies[1];
    assert_eq!(req.source.format, InputFormat::PdmLock);
    assert_eq!(req.source.line, Some(25), "the `name` line of its table");
    assert_eq!(req.hashes.len(), 1);
    assert_eq!(
        req.depends_on,
        ["certifi", "charset-normalizer", "idna", "urllib3"]
    );
    let pyproject = p
        .inputs
        .iter()
        .find(|i| i.path.ends_with("pyproject.toml"))
        .unwrap();
    assert!(
        pyproject
            .superseded_by
            .as_deref()
            .unwrap()
            .ends_with("pdm.lock")
    );
}

/// A venv knows its interpreter: uv and virtualenv write `version_info`, the `venv` module `version`.
#[test]
fn venv_interpreter_from_pyvenv_cfg() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a/pyvenv.cfg",
        "home = /usr/bin\nimplementation = CPython\nversion_info = 3.11.9.final.0\n",
    );
    write(
        dir.path(),
        "b/.venv/pyvenv.cfg",
        "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.10.12\n",
    );
    write(dir.path(), "c/pyvenv.cfg", "home = /usr/bin\n");
    let v = |p: &str| mlsc_deps::environment_python_version(dir.path().join(p));
    assert_eq!(v("a").as_deref(), Some("3.11"));
    assert_eq!(v("b").as_deref(), Some("3.10"));
    assert_eq!(v("c"), None);
    assert_eq!(v("missing"), None);
}
