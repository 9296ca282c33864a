//! Installed environments: a virtual environment (a folder with `pyvenv.cfg`) or a `site-packages` folder. Each
//! `*.dist-info` gives a pinned dependency from `METADATA` (name, version, licence, `Requires-Dist` as graph
//! edges), checked against the `sha256` that `RECORD` lists for `METADATA`; PEP 610's `direct_url.json` marks
//! distributions installed from a URL, a VCS or in editable mode.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use pep440_rs::Version;

use super::project::{ReadOptions, read_bounded};
use super::{Dependency, DependencyKind, Diagnostic, Input, InputFormat, Project, Source, Target};

/// True when `path` is a virtual environment or a site-packages folder.
/// The Python version (`3.11`) of the virtual environment at `path` (or at `path/.venv`), from its
/// `pyvenv.cfg`: `version_info` (uv, virtualenv: `3.11.4`, `3.11.4.final.0`), else `version` (the `venv`
/// module). `None` when there is no such file or it names no version. Markers of an environment's
/// dependencies are evaluated for this interpreter, not an assumed default.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("pyvenv.cfg"), "home = /usr/bin\nversion = 3.11.4\n").unwrap();
/// assert_eq!(mlsc_deps::environment_python_version(dir.path()).as_deref(), Some("3.11"));
/// ```
pub fn environment_python_version(path: impl AsRef<Path>) -> Option<String> {
    let path = path.as_ref();
    let cfg = [
        path.join("pyvenv.cfg"),
        path.join(".venv").join("pyvenv.cfg"),
    ]
    .into_iter()
    .find(|p| p.is_file())?;
    let text = read_bounded(&cfg, 64 * 1024).ok()?;
    let text = String::from_utf8_lossy(&text);
    let value = |key: &str| {
        text.lines().find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == key).then(|| v.trim().to_owned())
        })
    };
    let v = value("version_info").or_else(|| value("version"))?;
    let mut parts = v.split('.');
    let major = parts.next()?.trim();
    let minor = parts.next()?.trim();
    (!major.is_empty()
        && !minor.is_empty()
        && major.bytes().all(|b| b.is_ascii_digit())
        && minor.bytes().all(|b| b.is_ascii_digit()))
    .then(|| format!("{major}.{minor}"))
}

pub(crate) fn is_environment(path: &Path) -> bool {
    if path.join("pyvenv.cfg").is_file() {
        return true;
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if name == "site-packages" || name == "dist-packages" {
        return true;
    }
    fs_err::read_dir(path).is_ok_and(|rd| {
        rd.filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().ends_with(".dist-info"))
    })
}

fn site_packages(root: &Path) -> Vec<PathBuf> {
    if !root.join("pyvenv.cfg").is_file() {
        return vec![root.to_path_buf()];
    }
    let mut out = Vec::new();
    for lib in ["lib", "lib64"] {
        if let Ok(rd) = fs_err::read_dir(root.join(lib)) {
            let mut pys: Vec<PathBuf> = rd
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("python"))
                })
                .map(|p| p.join("site-packages"))
                .filter(|p| p.is_dir())
                .collect();
            pys.sort();
            for p in pys {
                // lib64 is often a symlink to lib: read each folder once.
                let canon = fs_err::canonicalize(&p).unwrap_or_else(|_| p.clone());
                if !out.iter().any(|o: &PathBuf| {
                    fs_err::canonicalize(o).unwrap_or_else(|_| o.clone()) == canon
                }) {
                    out.push(p);
                }
            }
        }
    }
    let win = root.join("Lib").join("site-packages");
    if win.is_dir() && out.is_empty() {
        out.push(win);
    }
    out
}

/// The parsed headers of a `METADATA`/`PKG-INFO` file that we use.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Metadata {
    pub(crate) name: Option<String>,
    pub(crate) version: Option<String>,
    pub(crate) license: Option<String>,
    pub(crate) license_expression: Option<String>,
    pub(crate) license_classifiers: Vec<String>,
    pub(crate) requires_dist: Vec<String>,
}

/// Parses core metadata headers (RFC 822 style; the body after the first blank line is the description).
pub(crate) fn parse_metadata(text: &str) -> Metadata {
    let mut m = Metadata::default();
    let mut last: Option<(String, String)> = None;
    let flush = |m: &mut Metadata, kv: Option<(String, String)>| {
        let Some((k, v)) = kv else { return };
        let v = v.trim().to_owned();
        match k.to_ascii_lowercase().as_str() {
            "name" => m.name = Some(v),
            "version" => m.version = Some(v),
            "license" => m.license = Some(v),
            "license-expression" => m.license_expression = Some(v),
            "classifier" => {
                if let Some(l) = v.strip_prefix("License ::") {
                    let last = l.rsplit("::").next().unwrap_or(l).trim().to_owned();
                    m.license_classifiers.push(last);
                }
            }
            "requires-dist" => m.requires_dist.push(v),
            _ => {}
        }
    };
    for line in text.lines() {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = &mut last {
                v.push('\n');
                v.push_str(line.trim());
            }
            continue;
        }
        flush(&mut m, last.take());
        if let Some((k, v)) = line.split_once(':') {
            last = Some((k.trim().to_owned(), v.to_owned()));
        }
    }
    flush(&mut m, last.take());
    m
}

impl Metadata {
    /// The licence: `License-Expression`, else a one-line `License`, else the licence classifiers.
    pub(crate) fn license(&self) -> Option<String> {
        if let Some(e) = self.license_expression.as_ref().filter(|e| !e.is_empty()) {
            return Some(e.clone());
        }
        if let Some(l) = self.license.as_ref().filter(|l| {
            !l.is_empty()
                && !l.contains('\n')
                && l.len() <= 100
                && !l.eq_ignore_ascii_case("unknown")
        }) {
            return Some(l.clone());
        }
        (!self.license_classifiers.is_empty()).then(|| self.license_classifiers.join(" OR "))
    }
}

/// URL-safe base64 without padding, as RECORD writes digests.
fn b64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        let count = chunk.len() + 1;
        for i in 0..count {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Reads every distribution of the environment at `root` into `project`.
pub(crate) fn read_environment(
    root: &Path,
    display: &str,
    target: &Target,
    options: &ReadOptions,
    project: &mut Project,
) {
    let dirs = site_packages(root);
    if dirs.is_empty() {
        project.diagnostics.push(Diagnostic::at(
            display,
            None,
            "a virtual environment without a `lib/python*/site-packages` folder",
        ));
        return;
    }
    let start = project.dependencies.len();
    let mut size = 0u64;
    for sp in dirs {
        let mut dists: Vec<PathBuf> = match fs_err::read_dir(&sp) {
            Ok(rd) => rd
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.ends_with(".dist-info") || n.ends_with(".egg-info"))
                })
                .collect(),
            Err(e) => {
                project.diagnostics.push(Diagnostic::at(
                    display,
                    None,
                    format!("cannot list `{}`: {e}", sp.display()),
                ));
                continue;
            }
        };
        dists.sort();
        if dists.len() > options.max_distributions {
            project.diagnostics.push(Diagnostic::at(
                display,
                None,
                format!(
                    "{} distributions, more than the limit of {}: the rest were not read",
                    dists.len(),
                    options.max_distributions
                ),
            ));
            dists.truncate(options.max_distributions);
        }
        for dist in dists {
            let rel = dist.strip_prefix(root).unwrap_or(&dist);
            let shown = Path::new(display).join(rel).display().to_string();
            let meta_path = if dist.is_dir() {
                let m = dist.join("METADATA");
                if m.is_file() {
                    m
                } else {
                    dist.join("PKG-INFO")
                }
            } else {
                dist.clone()
            };
            let meta_shown = format!(
                "{shown}/{}",
                meta_path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("METADATA")
            );
            let bytes = match read_bounded(&meta_path, options.max_file_bytes) {
                Ok(b) => b,
                Err(e) => {
                    project.diagnostics.push(Diagnostic::at(
                        &meta_shown,
                        None,
                        format!("cannot read metadata: {e}"),
                    ));
                    continue;
                }
            };
            size += bytes.len() as u64;
            let Some(mut d) = dependency_of_metadata(
                &String::from_utf8_lossy(&bytes),
                &meta_shown,
                target,
                project,
            ) else {
                continue;
            };
            if dist.is_dir() {
                check_record(&dist, &bytes, &meta_shown, &shown, project);
                direct_url(&dist, &mut d);
            }
            project.dependencies.push(d);
        }
    }
    let added = project.dependencies.len() - start;
    project.inputs.push(Input {
        path: display.to_owned(),
        format: InputFormat::Installed,
        size,
        dependencies: added,
        uses_hashes: false,
        superseded_by: None,
    });
}

/// A pinned dependency from the text of a `METADATA` file, its licence and its `Requires-Dist` edges.
fn dependency_of_metadata(
    text: &str,
    shown: &str,
    target: &Target,
    project: &mut Project,
) -> Option<Dependency> {
    let meta = parse_metadata(text);
    let (Some(name), Some(version)) = (meta.name.as_deref(), meta.version.as_deref()) else {
        project.diagnostics.push(Diagnostic::at(
            shown,
            None,
            "metadata without `Name` or `Version`",
        ));
        return None;
    };
    if !super::name::is_valid_name(name) {
        project.diagnostics.push(Diagnostic::at(
            shown,
            None,
            format!(
                "invalid distribution name `{}`",
                super::pep508::truncate(name)
            ),
        ));
        return None;
    }
    let source = Source::new(shown.to_owned(), None, InputFormat::Installed);
    let mut d = match Version::from_str(version) {
        Ok(v) => Dependency::pinned(name, v, source),
        Err(_) => {
            let mut d = Dependency::new(name, DependencyKind::Pinned, source);
            d.arbitrary_version = Some(version.to_owned());
            d.specifier = format!("==={version}");
            d
        }
    };
    d.direct = false;
    d.license = meta.license();
    for req in &meta.requires_dist {
        let Ok(sp) = super::pep508::split(req) else {
            continue;
        };
        let applies = sp
            .marker
            .is_none_or(|m| target.evaluate(m, &[]).unwrap_or(true));
        if applies {
            d.depends_on.push(super::normalize_name(sp.name));
        }
    }
    d.depends_on.sort();
    d.depends_on.dedup();
    Some(d)
}

/// [`dependency_of_metadata`] for [`super::parse_text`].
pub(crate) fn metadata_dependency(text: &str, shown: &str, target: &Target, project: &mut Project) {
    if let Some(d) = dependency_of_metadata(text, shown, target, project) {
        project.dependencies.push(d);
    }
}

/// Compares `METADATA` with the digest `RECORD` lists for it: a mismatch means the metadata (and so the version
/// we audit) was edited after installation.
fn check_record(dist: &Path, meta: &[u8], meta_shown: &str, shown: &str, project: &mut Project) {
    let Ok(record) = fs_err::read_to_string(dist.join("RECORD")) else {
        project.diagnostics.push(Diagnostic::warning(
            shown,
            None,
            "no `RECORD`: the installed files cannot be checked",
        ));
        return;
    };
    let dir_name = dist
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let want = format!("{dir_name}/METADATA");
    for (i, line) in record.lines().enumerate() {
        let mut cols = line.split(',');
        if cols.next() != Some(want.as_str()) {
            continue;
        }
        let Some(h) = cols.next().and_then(|h| h.strip_prefix("sha256=")) else {
            return;
        };
        let got = b64url(&mlsc_core::Sha256Digest::of(meta).0);
        if got != h {
            project.diagnostics.push(Diagnostic::warning(
                meta_shown,
                None,
                format!(
                    "`METADATA` does not match its digest in `RECORD` (line {}): it was changed after installation",
                    i + 1
                ),
            ));
        }
        return;
    }
}

/// PEP 610: `direct_url.json` says the distribution came from a URL, a VCS or a local folder.
fn direct_url(dist: &Path, d: &mut Dependency) {
    let Ok(text) = fs_err::read_to_string(dist.join("direct_url.json")) else {
        return;
    };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
        return;
    };
    let Some(url) = v.get("url").and_then(|u| u.as_str()) else {
        return;
    };
    if let Some(vcs) = v.get("vcs_info") {
        d.kind = DependencyKind::Vcs;
        let tool = vcs.get("vcs").and_then(|t| t.as_str()).unwrap_or("git");
        d.url = Some(format!("{tool}+{url}"));
    } else if v
        .get("dir_info")
        .and_then(|di| di.get("editable"))
        .and_then(serde_json::Value::as_bool)
        == Some(true)
    {
        d.kind = DependencyKind::Editable;
        d.url = Some(url.to_owned());
    } else if url.starts_with("file:") {
        d.kind = DependencyKind::Path;
        d.url = Some(url.to_owned());
    } else {
        d.kind = DependencyKind::Url;
        d.url = Some(url.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_headers() {
        let m = parse_metadata(
            "Metadata-Version: 2.4\nName: Foo_Bar\nVersion: 1.0\nLicense: MIT\n  continued\n\
             Classifier: License :: OSI Approved :: BSD License\nRequires-Dist: numpy>=1.20\n\
             Requires-Dist: pytest ; extra == 'test'\n\nName: not-a-header\n",
        );
        assert_eq!(m.name.as_deref(), Some("Foo_Bar"));
        assert_eq!(m.requires_dist.len(), 2);
        // A multi-line License field is licence text, not an identifier: the classifier is used.
        assert_eq!(m.license().as_deref(), Some("BSD License"));
    }

    #[test]
    fn base64_like_record() {
        // sha256 of the empty string, as pip writes it in RECORD.
        assert_eq!(
            b64url(&mlsc_core::Sha256Digest::of(b"").0),
            "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"
        );
    }
}
