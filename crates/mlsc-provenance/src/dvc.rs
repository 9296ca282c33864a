//! Verification of DVC records (`.dvc` files, `dvc.lock` stages, `.dir` manifests) by re-hashing every byte.
//!
//! DVC itself trusts a cache keyed on inode, mtime and size: a same-size edit with the mtime put back passes
//! `dvc status`. Here every tracked file is read and hashed as DVC would hash it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use md5::{Digest as _, Md5};
use mlsc_core::{
    Artifact, Assessment, Completeness, Format, Location, Report, ScanSink as _, Severity, Verdict,
};
use serde_json::Value;

use crate::Error;
use crate::hash::{DvcHash, dvc_md5, hex};
use crate::keys::read_small;
use crate::manifest::{Ignorer, list_files};
use crate::oms::finding;

/// Options of [`verify_dvc`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DvcOptions {
    /// More places to look for `.dir` manifests (a DVC cache, or a folder of `<md5>.dir` or `<name>.<md5>.dir.json`
    /// files), besides the project's `.dvc/cache`. By default, none.
    pub manifest_dirs: Vec<PathBuf>,
    /// Largest `.dvc`, `dvc.lock` or `.dir` file parsed. By default, 64 MiB.
    pub max_record_bytes: u64,
    /// Told of each file as it is re-hashed: its size, the bytes hashed, its end. A progress bar in bytes
    /// listens here. By default, a sink that ignores everything.
    pub sink: mlsc_core::SharedSink,
}

impl Default for DvcOptions {
    fn default() -> Self {
        DvcOptions {
            manifest_dirs: Vec::new(),
            max_record_bytes: 64 << 20,
            sink: mlsc_core::SharedSink::default(),
        }
    }
}

/// What `path` is, for `mlsc verify PATH` without a signature.
pub fn is_dvc_path(path: impl AsRef<Path>) -> bool {
    let path = path.as_ref();
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if path.is_file() {
        // A file named just `.dvc` is no record (DVC's own `.dvc` is its config folder).
        return name == "dvc.lock" || (name.ends_with(".dvc") && name.len() > ".dvc".len());
    }
    path.is_dir()
        && (path.join(".dvc").is_dir() || path.join("dvc.lock").is_file() || has_dvc_files(path))
}

fn has_dvc_files(dir: &Path) -> bool {
    fs_err::read_dir(dir).is_ok_and(|rd| {
        rd.filter_map(Result::ok).any(|e| {
            e.file_name().to_str().is_some_and(|n| n.ends_with(".dvc")) && e.path().is_file()
        })
    })
}

/// Serialises a directory manifest as DVC does: Python's `json.dumps(entries, sort_keys=True)` (", " and ": "
/// separators, non-ASCII as `\uXXXX`), entries sorted by relpath.
pub(crate) fn dir_manifest_json(entries: &[(String, String)]) -> String {
    fn esc(out: &mut String, s: &str) {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                    let mut buf = [0u16; 2];
                    for unit in c.encode_utf16(&mut buf) {
                        let _ = write!(out, "\\u{unit:04x}");
                    }
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
    let mut out = String::from("[");
    for (i, (relpath, md5)) in entries.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str("{\"md5\": ");
        esc(&mut out, md5);
        out.push_str(", \"relpath\": ");
        esc(&mut out, relpath);
        out.push('}');
    }
    out.push(']');
    out
}

/// A tracked output or dependency, as recorded.
struct Record<'a> {
    /// The file holding the record, for messages.
    file: &'a Path,
    /// Where in it: `outs[0]`, `stages.train.deps[1]`.
    pointer: String,
    /// The directory the record's paths are relative to.
    wdir: PathBuf,
    value: &'a Value,
}

struct Ctx<'a> {
    project: PathBuf,
    options: &'a DvcOptions,
    report: Report,
}

fn is_md5(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn escapes(p: &str) -> bool {
    let path = Path::new(p);
    path.is_absolute()
        || p.contains("://")
        || path.components().any(|c| matches!(c, Component::ParentDir))
}

/// Verifies a `.dvc` file, a `dvc.lock`, or every one of them in a DVC project folder.
pub fn verify_dvc(path: impl AsRef<Path>, options: &DvcOptions) -> Result<Report, Error> {
    let path = path.as_ref();
    let started = std::time::Instant::now();
    let mut records = Vec::new();
    let project;
    if path.is_dir() {
        project = path.to_owned();
        let ignorer = Ignorer::new(&[".dvc".into(), ".git".into()], &[])?;
        // Records only; the walk does not follow symlinks.
        for entry in walkdir::WalkDir::new(path)
            .max_depth(16)
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !ignorer.is_ignored(
                        &e.path()
                            .strip_prefix(path)
                            .unwrap_or(e.path())
                            .to_string_lossy(),
                    )
            })
            .filter_map(Result::ok)
        {
            let name = entry.file_name().to_string_lossy();
            if entry.file_type().is_file() && (name == "dvc.lock" || name.ends_with(".dvc")) {
                records.push(entry.path().to_owned());
            }
        }
        records.sort();
    } else {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        project = dir
            .ancestors()
            .find(|a| a.join(".dvc").is_dir())
            .unwrap_or(dir)
            .to_owned();
        records.push(path.to_owned());
    }
    let mut ctx = Ctx {
        project,
        options,
        report: Report::new("verify"),
    };
    for file in &records {
        verify_record_file(&mut ctx, file)?;
    }
    let mut report = ctx.report;
    report.statistics.duration_ms =
        u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    report.finish();
    Ok(report)
}

fn verify_record_file(ctx: &mut Ctx<'_>, file: &Path) -> Result<(), Error> {
    let bytes = read_small(file, ctx.options.max_record_bytes)?;
    let loc = Location::file(file.display().to_string());
    let mut artifact = Artifact::new(file.display().to_string(), bytes.len() as u64, Format::Yaml);
    let before = ctx.report.findings.len();
    let value: Value = match serde_norway::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            let mut l = loc.clone();
            if let Some(m) = e.location() {
                l = l.at_line(u32::try_from(m.line()).unwrap_or(u32::MAX));
            }
            ctx.report.push_finding(finding(
                &crate::rules::DVC_RECORD_MALFORMED,
                Severity::Medium,
                format!("not valid YAML: {e}"),
                l,
            ));
            artifact.verdict = Verdict::new(Completeness::Error, Assessment::Clean);
            ctx.report.artifacts.push(artifact);
            return Ok(());
        }
    };
    let dir = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_owned();
    let is_lock = file.file_name().is_some_and(|n| n == "dvc.lock");
    let mut list: Vec<(String, PathBuf, &Value)> = Vec::new();
    if is_lock {
        if let Some(stages) = value.get("stages").and_then(Value::as_object) {
            for (stage, body) in stages {
                let wdir = body
                    .get("wdir")
                    .and_then(Value::as_str)
                    .map_or_else(|| dir.clone(), |w| dir.join(w));
                for key in ["deps", "outs"] {
                    for (i, v) in body
                        .get(key)
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .enumerate()
                    {
                        list.push((format!("stages.{stage}.{key}[{i}]"), wdir.clone(), v));
                    }
                }
            }
        } else {
            ctx.report.push_finding(finding(
                &crate::rules::DVC_RECORD_MALFORMED,
                Severity::Medium,
                "`dvc.lock` has no `stages` mapping".to_owned(),
                loc.clone(),
            ));
        }
    } else {
        let wdir = value
            .get("wdir")
            .and_then(Value::as_str)
            .map_or_else(|| dir.clone(), |w| dir.join(w));
        for key in ["deps", "outs"] {
            for (i, v) in value
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                list.push((format!("{key}[{i}]"), wdir.clone(), v));
            }
        }
        if value
            .get("outs")
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty)
        {
            ctx.report.push_finding(finding(
                &crate::rules::DVC_RECORD_MALFORMED,
                Severity::Medium,
                "the `.dvc` file has no `outs`".to_owned(),
                loc.clone(),
            ));
        }
    }
    let mut incomplete = false;
    for (pointer, wdir, v) in list {
        let rec = Record {
            file,
            pointer,
            wdir,
            value: v,
        };
        let (files, bytes) = verify_record(ctx, &rec, &mut incomplete)?;
        ctx.report.statistics.files += files;
        ctx.report.statistics.bytes_read += bytes;
    }
    let mut verdict = Verdict::CLEAN;
    if ctx.report.findings.len() > before {
        verdict = verdict.at_least(Assessment::Suspicious);
    }
    if incomplete {
        verdict = verdict.at_most(Completeness::Inconclusive);
    }
    artifact.verdict = verdict;
    ctx.report.artifacts.push(artifact);
    Ok(())
}

/// Checks one output or dependency; returns (files, bytes) hashed.
fn verify_record(
    ctx: &mut Ctx<'_>,
    rec: &Record<'_>,
    incomplete: &mut bool,
) -> Result<(u64, u64), Error> {
    let rec_loc = Location::file(rec.file.display().to_string()).at_pointer(rec.pointer.clone());
    let Some(rel) = rec.value.get("path").and_then(Value::as_str) else {
        ctx.report.push_finding(finding(
            &crate::rules::DVC_RECORD_MALFORMED,
            Severity::Medium,
            "the record has no `path`".to_owned(),
            rec_loc,
        ));
        return Ok((0, 0));
    };
    if escapes(rel) {
        *incomplete = true;
        ctx.report.push_finding(finding(
            &crate::rules::DVC_NOT_CHECKED,
            Severity::Medium,
            format!("`{rel}` is outside the project (external or remote output): not checked"),
            rec_loc,
        ));
        return Ok((0, 0));
    }
    let target = rec.wdir.join(rel);
    let loc = Location::file(target.display().to_string());
    let md5 = rec.value.get("md5").and_then(Value::as_str);
    let kind = match rec.value.get("hash").and_then(Value::as_str) {
        Some("md5") => DvcHash::Md5,
        None => DvcHash::Md5Dos2Unix,
        Some(other) => {
            *incomplete = true;
            ctx.report.push_finding(finding(
                &crate::rules::DVC_NOT_CHECKED,
                Severity::Medium,
                format!("`{rel}` is recorded with hash `{other}`, not md5: not checked"),
                rec_loc,
            ));
            return Ok((0, 0));
        }
    };
    let Some(md5) = md5 else {
        *incomplete = true;
        ctx.report.push_finding(finding(
            &crate::rules::DVC_NOT_CHECKED,
            Severity::Medium,
            format!(
                "`{rel}` has no md5 in `{}` (cloud etag or checksum only): not checked",
                rec.file.display()
            ),
            rec_loc,
        ));
        return Ok((0, 0));
    };
    let (is_dir, digest) = match md5.strip_suffix(".dir") {
        Some(d) => (true, d),
        None => (false, md5),
    };
    if !is_md5(digest) {
        ctx.report.push_finding(finding(
            &crate::rules::DVC_RECORD_MALFORMED,
            Severity::Medium,
            format!("md5 `{md5}` of `{rel}` is not 32 hex digits"),
            rec_loc,
        ));
        return Ok((0, 0));
    }
    let digest = digest.to_ascii_lowercase();
    let recorded_size = rec.value.get("size").and_then(Value::as_u64);
    // Followed: with DVC's `symlink` cache link type the workspace files are links into `.dvc/cache`.
    let meta = match fs_err::metadata(&target) {
        Ok(m) => m,
        Err(_) => {
            ctx.report.push_finding(finding(
                &crate::rules::DVC_MISSING,
                Severity::High,
                format!(
                    "`{rel}` is recorded in `{}` ({}) but is missing",
                    rec.file.display(),
                    rec.pointer
                ),
                loc,
            ));
            return Ok((0, 0));
        }
    };
    if !is_dir {
        if !meta.is_file() {
            ctx.report.push_finding(finding(
                &crate::rules::DVC_CHANGED,
                Severity::High,
                format!("`{rel}` is recorded as a file but is not a regular file"),
                loc,
            ));
            return Ok((0, 0));
        }
        // Each record is a stage of its own: the sink learns its size before the bytes come.
        ctx.options.sink.begin(1, Some(meta.len()));
        let (got, size) = dvc_md5(&target, kind, (&ctx.options.sink, rel))?;
        let got = hex(&got);
        if got != digest || recorded_size.is_some_and(|s| s != size) {
            ctx.report.push_finding(finding(
                &crate::rules::DVC_CHANGED,
                Severity::High,
                format!(
                    "`{rel}` changed: recorded md5 {digest}{}, found md5 {got} and {size} bytes",
                    recorded_size.map_or(String::new(), |s| format!(" and {s} bytes"))
                ),
                loc,
            ));
        }
        return Ok((1, size));
    }
    if !meta.is_dir() {
        ctx.report.push_finding(finding(
            &crate::rules::DVC_CHANGED,
            Severity::High,
            format!("`{rel}` is recorded as a directory but is not one"),
            loc,
        ));
        return Ok((0, 0));
    }
    // Symlinks followed for the same reason (DVC hashes what they point to).
    let listed = list_files(&target, true, &Ignorer::new(&[], &[])?, 10_000_000)?;
    let sink = &ctx.options.sink;
    sink.begin(
        listed.files.len() as u64,
        Some(listed.files.iter().map(|f| f.2).sum()),
    );
    let hashed: Vec<(String, String, u64)> =
        mlsc_core::par::try_map(&listed.files, |(relpath, abs, _)| {
            dvc_md5(abs, kind, (sink, relpath)).map(|(d, n)| (relpath.clone(), hex(&d), n))
        })?;
    let mut entries: Vec<(String, String)> = hashed
        .iter()
        .map(|(p, d, _)| (p.clone(), d.clone()))
        .collect();
    // DVC sorts by relpath as Python strings: code point order, which is byte order in UTF-8.
    entries.sort();
    let json = dir_manifest_json(&entries);
    let got = hex(&Md5::digest(json.as_bytes()));
    let bytes: u64 = hashed.iter().map(|h| h.2).sum();
    let files = hashed.len() as u64;
    if got == digest {
        return Ok((files, bytes));
    }
    match find_manifest(ctx, &digest, rel) {
        Some(recorded) => {
            let actual: BTreeMap<&str, &str> = entries
                .iter()
                .map(|(p, d)| (p.as_str(), d.as_str()))
                .collect();
            let wanted: BTreeMap<&str, &str> = recorded
                .iter()
                .map(|(p, d)| (p.as_str(), d.as_str()))
                .collect();
            for (p, d) in &wanted {
                let floc = Location::file(target.join(p).display().to_string());
                match actual.get(p) {
                    None => ctx.report.push_finding(finding(
                        &crate::rules::DVC_MISSING,
                        Severity::High,
                        format!("`{rel}/{p}` is listed in the manifest of `{rel}` but is missing"),
                        floc,
                    )),
                    Some(a) if a != d => ctx.report.push_finding(finding(
                        &crate::rules::DVC_CHANGED,
                        Severity::High,
                        format!("`{rel}/{p}` changed: recorded md5 {d}, found {a}"),
                        floc,
                    )),
                    _ => {}
                }
            }
            for p in actual.keys().filter(|p| !wanted.contains_key(*p)) {
                ctx.report.push_finding(finding(
                    &crate::rules::DVC_EXTRA,
                    Severity::High,
                    format!("`{rel}/{p}` is not in the manifest of `{rel}` (added after `dvc add`/`dvc commit`)"),
                    Location::file(target.join(p).display().to_string()),
                ));
            }
        }
        None => {
            ctx.report.push_finding(finding(
                &crate::rules::DVC_CHANGED,
                Severity::High,
                format!("directory `{rel}` changed: recorded md5 {digest}.dir, found {got}.dir over {files} files"),
                loc.clone(),
            ));
            ctx.report.push_finding(finding(
                &crate::rules::DVC_MANIFEST_UNAVAILABLE,
                Severity::Medium,
                format!("the manifest `{digest}.dir` is not in the DVC cache, so the changed files cannot be named"),
                loc,
            ));
        }
    }
    Ok((files, bytes))
}

/// Finds the `.dir` manifest with md5 `digest`, checks that its bytes hash to it, and parses it.
fn find_manifest(ctx: &Ctx<'_>, digest: &str, out_name: &str) -> Option<Vec<(String, String)>> {
    let (a, b) = digest.split_at(2);
    let mut roots = vec![ctx.project.clone()];
    roots.extend(ctx.options.manifest_dirs.iter().cloned());
    let mut candidates = Vec::new();
    for root in &roots {
        for cache in [root.join(".dvc/cache"), root.clone()] {
            candidates.push(cache.join("files/md5").join(a).join(format!("{b}.dir")));
            candidates.push(cache.join(a).join(format!("{b}.dir")));
        }
        candidates.push(root.join(format!("{digest}.dir")));
        let base = Path::new(out_name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        candidates.push(root.join(format!("{base}.{digest}.dir.json")));
    }
    for c in candidates {
        let Ok(bytes) = read_small(&c, ctx.options.max_record_bytes) else {
            continue;
        };
        if hex(&Md5::digest(&bytes)) != digest {
            continue;
        }
        let Ok(Value::Array(list)) = serde_json::from_slice::<Value>(&bytes) else {
            continue;
        };
        let entries: Option<Vec<(String, String)>> = list
            .iter()
            .map(|e| {
                Some((
                    e.get("relpath")?.as_str()?.to_owned(),
                    e.get("md5")?.as_str()?.to_ascii_lowercase(),
                ))
            })
            .collect();
        if let Some(e) = entries {
            return Some(e);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_json_is_pythons() {
        let e = vec![
            (
                "a b/x.txt".to_owned(),
                "4a8a08f09d37b73795649038408b5f33".to_owned(),
            ),
            (
                "na\u{ef}ve \u{2713}.txt".to_owned(),
                "0cc175b9c0f1b6a831c399e269772661".to_owned(),
            ),
            ("q\"\\\u{1f600}".to_owned(), "00".to_owned()),
        ];
        assert_eq!(
            dir_manifest_json(&e),
            r#"[{"md5": "4a8a08f09d37b73795649038408b5f33", "relpath": "a b/x.txt"}, {"md5": "0cc175b9c0f1b6a831c399e269772661", "relpath": "na\u00efve \u2713.txt"}, {"md5": "00", "relpath": "q\"\\\ud83d\ude00"}]"#
        );
    }

    #[test]
    fn escaping_paths_are_not_followed() {
        assert!(escapes("/etc/passwd"));
        assert!(escapes("../x"));
        assert!(escapes("s3://bucket/x"));
        assert!(!escapes("data/x"));
    }
}
