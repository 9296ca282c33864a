//! Bulk scanning of registries: many inputs, split into shards by a stable hash, one record per artefact as soon
//! as it is judged, and a cache of results keyed by content so a re-run skips what has not changed.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use mlsc_core::{
    Artifact, Completeness, Finding, Finished, Format, Report, ReportError, ScanSink as _,
    Sha256Digest, SharedSink, Verdict,
};
use mlsc_pickle::{NamedSource, ScanOptions};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::{Remote, RemoteFile, Resolved, is_remote};

/// One judged artefact: the line `mlsc scan --format jsonl` prints for it, and what the cache stores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ArtifactRecord {
    /// The artefact: `hf://org/name@<commit>/path`, a URL, or a local path.
    pub uri: String,
    /// The input line it came from.
    pub input: String,
    /// What was read: the commit a Hub revision was pinned to; an object's `version:<id>` or `etag:<etag>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// SHA-256 of the content when known (the Hub's LFS oid; or computed with `--hash`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Size in bytes, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// The format detected from the content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// The verdict. An artefact that could not be read has completeness `error`.
    pub verdict: Verdict,
    /// Bytes read to judge it (0 when the result came from the cache).
    pub bytes_read: u64,
    /// True when the result was taken from the cache.
    pub cached: bool,
    /// Its findings.
    pub findings: Vec<Finding>,
    /// What stopped it from being analysed, if anything.
    pub errors: Vec<ReportError>,
}

/// `--shard I/N`: the lines whose stable hash is `I` modulo `N` (`I` from 0, as Kubernetes'
/// `JOB_COMPLETION_INDEX`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, `0..count`.
    pub index: u64,
    /// How many shards.
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}` is not I/N"))?;
        let index: u64 = i
            .trim()
            .parse()
            .map_err(|_| format!("`{i}` is not a shard index"))?;
        let count: u64 = n
            .trim()
            .parse()
            .map_err(|_| format!("`{n}` is not a shard count"))?;
        if count == 0 || index >= count {
            return Err(format!(
                "shard {index}/{count}: I must be in 0..N, N at least 1"
            ));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// True when `line` belongs to this shard. The hash is SHA-256 of the trimmed line, so every machine and
    /// every version agrees on the split: the `count` shards together take every line exactly once.
    ///
    /// ```
    /// use mlsc_remote::Shard;
    /// let lines = ["hf://a/b", "hf://c/d", "s3://bucket/m.pt"];
    /// let shards: Vec<Shard> = (0..3).map(|i| format!("{i}/3").parse().unwrap()).collect();
    /// for line in lines {
    ///     assert_eq!(shards.iter().filter(|s| s.takes(line)).count(), 1);
    /// }
    /// ```
    pub fn takes(&self, line: &str) -> bool {
        let d = Sha256Digest::of(line.trim().as_bytes());
        let mut head = [0u8; 8];
        head.copy_from_slice(&d.0[..8]);
        u64::from_be_bytes(head) % self.count == self.index
    }
}

/// The inputs of a bulk scan: `given` (paths or URIs from the command line) followed by the lines of the list
/// `from` (a file, or standard input for `-`), through [`read_list`]: trimmed, blanks and comments skipped,
/// duplicates dropped, the first kept.
///
/// # Errors
/// The list cannot be read (the error names it).
///
/// ```
/// let inputs = mlsc_remote::read_inputs(&["hf://org/a", "hf://org/a", " model.pt "], None)?;
/// assert_eq!(inputs, ["hf://org/a", "model.pt"]);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn read_inputs(
    given: &[impl AsRef<std::ffi::OsStr>],
    from: Option<&Path>,
) -> std::io::Result<Vec<String>> {
    let mut text: String = given
        .iter()
        .map(|p| p.as_ref().to_string_lossy().into_owned() + "\n")
        .collect();
    match from {
        Some(f) if f.as_os_str() == "-" => {
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!("cannot read the list from standard input: {e}"),
                )
            })?;
        }
        Some(f) => text.push_str(&fs_err::read_to_string(f)?),
        None => {}
    }
    Ok(read_list(&text))
}

/// The inputs of a list: one per line, trimmed, blank lines and `#` comments skipped, duplicates dropped (the
/// first kept).
pub fn read_list(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter(|l| seen.insert(l.to_string()))
        .map(str::to_owned)
        .collect()
}

/// A folder of results keyed by content (SHA-256 or git blob id), size, mlsc version and scan policy.
#[derive(Debug, Clone)]
pub struct ResultCache {
    dir: PathBuf,
    policy: String,
}

impl ResultCache {
    /// A cache in `dir` (created when first written) for scans made with `options`.
    pub fn new(dir: impl Into<PathBuf>, options: &ScanOptions) -> Self {
        // The policy's and limits' Debug forms are deterministic (lists in order) and change whenever a field
        // does; the mlsc version is part of the key too, so a new release never reuses an old verdict.
        let fingerprint = format!(
            "{:?}|{:?}|{}",
            options.policy, options.limits, options.max_memory_bytes
        );
        ResultCache {
            dir: dir.into(),
            policy: Sha256Digest::of(fingerprint.as_bytes()).to_hex(),
        }
    }

    fn path(&self, content: &str, size: u64) -> PathBuf {
        let key = format!(
            "mlsc-cache 1\n{}\n{}\n{content}\n{size}\n",
            env!("CARGO_PKG_VERSION"),
            self.policy
        );
        let hex = Sha256Digest::of(key.as_bytes()).to_hex();
        self.dir.join(&hex[..2]).join(format!("{hex}.json"))
    }

    /// The stored result for this content, if any (an unreadable entry is a miss, not an error).
    pub fn get(&self, content: &str, size: u64) -> Option<ArtifactRecord> {
        let text = fs_err::read(self.path(content, size)).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// Stores a result (atomically: a temporary file, then a rename).
    pub fn put(&self, content: &str, size: u64, record: &ArtifactRecord) -> Result<(), Error> {
        let path = self.path(content, size);
        let dir = path.parent().unwrap_or(Path::new("."));
        let err = |source| Error::Cache {
            path: path.display().to_string(),
            source,
        };
        fs_err::create_dir_all(dir).map_err(err)?;
        let text = serde_json::to_vec(record).map_err(|e| err(e.into()))?;
        let tmp = dir.join(format!(
            ".{}.{}.tmp",
            std::process::id(),
            TMP_SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        fs_err::write(&tmp, text).map_err(err)?;
        fs_err::rename(&tmp, &path).map_err(err)
    }
}

static TMP_SEQ: AtomicU64 = AtomicU64::new(0);

/// Options of a bulk scan.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BulkOptions {
    /// How each file is scanned.
    pub scan: ScanOptions,
    /// Files judged at once, hence the bound on parallel requests. By default, 8.
    pub jobs: usize,
    /// The result cache, if any. By default, none.
    pub cache: Option<ResultCache>,
    /// Told of each artefact's record as soon as it is judged, from the worker threads in completion order:
    /// [`Finished`] with the record's findings, its first error and the record as one line of JSON (what
    /// `--format jsonl` streams). Progress within files is `scan.sink`'s business. By default, a sink that
    /// ignores everything.
    pub sink: SharedSink,
}

impl Default for BulkOptions {
    fn default() -> Self {
        BulkOptions {
            scan: ScanOptions::default(),
            jobs: 8,
            cache: None,
            sink: SharedSink::default(),
        }
    }
}

/// What a bulk scan produced: the report of every artefact, and how many results came from the cache.
#[derive(Debug)]
#[non_exhaustive]
pub struct BulkOutcome {
    /// The report, in the deterministic order of every report.
    pub report: Report,
    /// Artefacts whose result was taken from the cache (nothing of them read).
    pub cached: u64,
    /// HTTP requests sent.
    pub requests: u64,
}

fn record_of(input: &str, revision: Option<&str>, report: Report) -> ArtifactRecord {
    let a = report.artifacts.into_iter().next();
    let verdict = match &a {
        Some(a) => a.verdict,
        None => Verdict::CLEAN.at_most(Completeness::Error),
    };
    ArtifactRecord {
        uri: a
            .as_ref()
            .map(|a| a.path.clone())
            .or_else(|| report.errors.first().and_then(|e| e.path.clone()))
            .unwrap_or_else(|| input.to_owned()),
        input: input.to_owned(),
        revision: revision.map(str::to_owned),
        sha256: a.as_ref().and_then(|a| a.sha256.clone()),
        size: a.as_ref().map(|a| a.size),
        format: a.as_ref().map(|a| a.format),
        verdict,
        bytes_read: report.statistics.bytes_read,
        cached: false,
        findings: report.findings,
        errors: report.errors,
    }
}

fn error_record(input: &str, uri: &str, message: String) -> ArtifactRecord {
    ArtifactRecord {
        uri: uri.to_owned(),
        input: input.to_owned(),
        revision: None,
        sha256: None,
        size: None,
        format: None,
        verdict: Verdict::CLEAN.at_most(Completeness::Error),
        bytes_read: 0,
        cached: false,
        findings: Vec::new(),
        errors: vec![ReportError::new(Some(uri.to_owned()), message)],
    }
}

/// A cached result re-addressed to `file` (the same content may sit in many repositories).
fn from_cache(
    mut r: ArtifactRecord,
    input: &str,
    revision: Option<&str>,
    file: &RemoteFile,
) -> ArtifactRecord {
    for f in &mut r.findings {
        if f.location.path == r.uri {
            f.location.path.clone_from(&file.uri);
        }
    }
    r.uri.clone_from(&file.uri);
    r.input = input.to_owned();
    r.revision = revision.map(str::to_owned);
    r.sha256 = file.sha256.clone().or(r.sha256);
    r.bytes_read = 0;
    r.cached = true;
    r
}

/// Scans one remote file: from the cache when its content is known and cached, else by ranges.
fn scan_file(
    file: &RemoteFile,
    input: &str,
    revision: Option<&str>,
    opts: &BulkOptions,
) -> ArtifactRecord {
    let key = file.content_key.as_deref().map(|k| (k, file.size));
    if let (Some(cache), Some((k, size))) = (&opts.cache, key)
        && let Some(hit) = cache.get(k, size)
    {
        return from_cache(hit, input, revision, file);
    }
    let mut named = NamedSource::new(&file.uri, file.source.clone());
    named.sha256.clone_from(&file.sha256);
    let report = mlsc_pickle::scan_source(&named, &opts.scan);
    let record = record_of(input, revision, report);
    if let (Some(cache), Some((k, size))) = (&opts.cache, key)
        && record.errors.is_empty()
        && record.verdict.completeness != Completeness::Error
    {
        // A cache that cannot be written costs a re-scan next time, nothing else: the result stands.
        let _ = cache.put(k, size, &record);
    }
    record
}

/// Scans the files of a location already resolved (on the current rayon pool; run it inside a pool of the size
/// you want), then runs the repository check over them: one record per file, in the order of `resolved.files`.
/// The sources are the resolved files', so what was already read through them (a card, a config) is not fetched
/// again.
pub fn scan_resolved(resolved: &Resolved, input: &str, opts: &BulkOptions) -> Vec<ArtifactRecord> {
    let mut records: Vec<ArtifactRecord> = resolved
        .files
        .par_iter()
        .map(|f| {
            let revision = f.revision.as_deref().or(resolved.revision.as_deref());
            scan_file(f, input, revision, opts)
        })
        .collect();
    repository_check(&resolved.files, &mut records, opts);
    records
}

/// The repository check of local scans (configuration files that make a loader run the repository's own code,
/// or another repository's) over a remote location's files: its findings join the records of the files they name,
/// raising their verdicts. The small files it reads come through the same sources as the scan (their blocks are
/// cached). With a result cache and every file's content known, the findings are cached under the listing (paths
/// and content keys), so a re-run of an unchanged repository reads nothing.
fn repository_check(files: &[RemoteFile], records: &mut [ArtifactRecord], opts: &BulkOptions) {
    let listed: Vec<&RemoteFile> = files.iter().filter(|f| f.path.is_some()).collect();
    if listed.is_empty() {
        return;
    }
    let rel = |f: &RemoteFile| f.path.clone().unwrap_or_default();
    let key = listed
        .iter()
        .map(|f| f.content_key.as_ref().map(|k| format!("{}\0{k}\n", rel(f))))
        .collect::<Option<String>>()
        .map(|manifest| {
            format!(
                "repository-check:{}",
                Sha256Digest::of(manifest.as_bytes()).to_hex()
            )
        });
    let cached = match (&opts.cache, &key) {
        (Some(cache), Some(k)) => cache.get(k, 0),
        _ => None,
    };
    // Stored with paths relative to the repository, so the same listing elsewhere is a hit too.
    let findings: Vec<Finding> = match cached {
        Some(hit) => hit
            .findings
            .into_iter()
            .filter_map(|mut f| {
                let file = listed.iter().find(|x| rel(x) == f.location.path)?;
                f.location.path.clone_from(&file.uri);
                Some(f)
            })
            .collect(),
        None => {
            let named: Vec<(String, NamedSource)> = listed
                .iter()
                .map(|f| (rel(f), NamedSource::new(&f.uri, f.source.clone())))
                .collect();
            let found = mlsc_pickle::repository_findings(&named);
            if let (Some(cache), Some(k)) = (&opts.cache, &key) {
                let mut stored = error_record("", k, String::new());
                stored.errors.clear();
                stored.findings = found
                    .iter()
                    .filter_map(|f| {
                        let file = listed.iter().find(|x| x.uri == f.location.path)?;
                        let mut f = f.clone();
                        f.location.path = rel(file);
                        Some(f)
                    })
                    .collect();
                // As for results: a cache that cannot be written costs a re-check next time, nothing else.
                let _ = cache.put(k, 0, &stored);
            }
            found
        }
    };
    for f in findings {
        let assessment = match f.severity {
            mlsc_core::Severity::Critical | mlsc_core::Severity::High => {
                mlsc_core::Assessment::Malicious
            }
            mlsc_core::Severity::Medium => mlsc_core::Assessment::Suspicious,
            _ => mlsc_core::Assessment::Clean,
        };
        let at = records
            .iter()
            .position(|r| r.uri == f.location.path)
            .unwrap_or(0);
        if let Some(r) = records.get_mut(at) {
            r.verdict = r.verdict.at_least(assessment);
            r.findings.push(f);
        }
    }
}

/// Scans every input (a local path or a remote location) with at most `opts.jobs` files at once, calling
/// `on_record` for each artefact as soon as it is judged (from the worker threads, in completion order), and
/// returns the whole report.
///
/// Local paths are scanned as `scan_paths` scans them (the cache applies only where the content hash is known
/// without reading: Hub files). An input that cannot be resolved (unknown repository, refused token) is an error
/// record and an entry of `report.errors`.
pub fn scan_inputs(
    remote: &Remote,
    inputs: &[String],
    opts: &BulkOptions,
    on_record: &(dyn Fn(&ArtifactRecord) + Sync),
) -> BulkOutcome {
    let start = std::time::Instant::now();
    let records = Mutex::new(Vec::new());
    let cached = AtomicU64::new(0);
    let requests_before = remote.requests();
    let emit = |r: ArtifactRecord| {
        if r.cached {
            cached.fetch_add(1, Ordering::Relaxed);
        }
        on_record(&r);
        if !opts.sink.is_none() {
            // A record that cannot be serialised has no line; its entry in the report still stands.
            let json = serde_json::to_string(&r).ok();
            opts.sink.finished(
                &Finished::new(&r.uri)
                    .with_findings(&r.findings)
                    .with_error(r.errors.first())
                    .with_json(json.as_deref()),
            );
        }
        records
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(r);
    };
    let run = || {
        inputs.par_iter().for_each(|input| {
            if !is_remote(input) {
                let report = mlsc_pickle::scan_paths(&[PathBuf::from(input)], &opts.scan);
                for r in split_report(input, report) {
                    emit(r);
                }
                return;
            }
            match remote.resolve(input) {
                Ok(resolved) => {
                    if resolved.files.is_empty() {
                        emit(error_record(
                            input,
                            &resolved.pinned,
                            format!("`{}` holds no file", resolved.pinned),
                        ));
                    }
                    // The repository check needs the files beside each other: the records of one location
                    // are emitted together, once it has run.
                    for r in scan_resolved(&resolved, input, opts) {
                        emit(r);
                    }
                }
                Err(e) => emit(error_record(input, input, e.to_string())),
            }
        });
    };
    match rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .thread_name(|i| format!("mlsc-remote-{i}"))
        .build()
    {
        Ok(pool) => pool.install(run),
        // No threads to be had: the current pool does the work.
        Err(_) => run(),
    }
    let records = records
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut report = Report::new("scan");
    let mut input_bytes = 0;
    for r in records {
        report.statistics.bytes_read += r.bytes_read;
        if let (Some(size), Some(format)) = (r.size, r.format) {
            input_bytes += size;
            let mut a = Artifact::new(&r.uri, size, format);
            a.sha256 = r.sha256;
            a.verdict = r.verdict;
            a.bytes_read = Some(r.bytes_read);
            report.artifacts.push(a);
        }
        report.findings.extend(r.findings);
        report.errors.extend(r.errors);
    }
    report.statistics.input_bytes = Some(input_bytes);
    report.statistics.files = report.artifacts.len() as u64;
    report.statistics.duration_ms = start.elapsed().as_millis() as u64;
    report
        .errors
        .sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    report.finish();
    BulkOutcome {
        report,
        cached: cached.into_inner(),
        requests: remote.requests() - requests_before,
    }
}

/// The records of a local scan: one per artefact with its findings, one per error without an artefact.
fn split_report(input: &str, report: Report) -> Vec<ArtifactRecord> {
    let mut out = Vec::new();
    let mut findings = report.findings;
    let mut errors = report.errors;
    for a in report.artifacts {
        let (mine, rest): (Vec<_>, Vec<_>) = findings
            .into_iter()
            .partition(|f| f.location.path == a.path);
        findings = rest;
        let (my_errors, rest): (Vec<_>, Vec<_>) = errors
            .into_iter()
            .partition(|e| e.path.as_deref() == Some(a.path.as_str()));
        errors = rest;
        out.push(ArtifactRecord {
            uri: a.path,
            input: input.to_owned(),
            revision: None,
            sha256: a.sha256,
            size: Some(a.size),
            format: Some(a.format),
            verdict: a.verdict,
            bytes_read: a.bytes_read.unwrap_or(0),
            cached: false,
            findings: mine,
            errors: my_errors,
        });
    }
    for e in errors {
        let mut r = error_record(input, e.path.as_deref().unwrap_or(input), e.message);
        r.findings = std::mem::take(&mut findings)
            .into_iter()
            .filter(|f| Some(f.location.path.as_str()) == r.errors[0].path.as_deref())
            .collect();
        out.push(r);
    }
    // Findings about no artefact and no error (a link that leaves the tree): reported under the input.
    if !findings.is_empty() {
        let mut r = error_record(input, input, String::new());
        r.errors.clear();
        r.verdict = findings.iter().fold(Verdict::CLEAN, |v, f| {
            v.at_least(match f.severity {
                mlsc_core::Severity::Critical | mlsc_core::Severity::High => {
                    mlsc_core::Assessment::Malicious
                }
                mlsc_core::Severity::Medium => mlsc_core::Assessment::Suspicious,
                _ => mlsc_core::Assessment::Clean,
            })
        });
        r.findings = findings;
        out.push(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_line_once() {
        let lines: Vec<String> = (0..2000).map(|i| format!("hf://org/model-{i}")).collect();
        for n in [1u64, 2, 3, 7, 16] {
            let shards: Vec<Shard> = (0..n).map(|i| Shard { index: i, count: n }).collect();
            let mut sizes = vec![0usize; n as usize];
            for l in &lines {
                let owners: Vec<_> = shards.iter().filter(|s| s.takes(l)).collect();
                assert_eq!(owners.len(), 1, "{l} in {n} shards");
                sizes[owners[0].index as usize] += 1;
            }
            // The hash spreads: no shard is empty or holds more than twice its share.
            for s in &sizes {
                assert!(
                    *s > 0 && *s < 2 * lines.len() / n as usize + 10,
                    "{n}: {sizes:?}"
                );
            }
        }
        // Whitespace around a line does not move it.
        let s = Shard { index: 0, count: 5 };
        assert_eq!(s.takes("hf://a/b"), s.takes("  hf://a/b \r"));
    }

    #[test]
    fn shard_arguments_are_checked() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        for bad in ["4/4", "1/0", "x/2", "3", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn lists_skip_blanks_comments_and_duplicates() {
        assert_eq!(
            read_list("hf://a/b\n\n# comment\n  hf://c/d  \r\nhf://a/b\n"),
            vec!["hf://a/b".to_string(), "hf://c/d".to_string()]
        );
    }

    #[test]
    fn cache_keys_depend_on_content_size_and_policy() {
        let dir = tempfile::tempdir().unwrap();
        let opts = ScanOptions::default();
        let cache = ResultCache::new(dir.path(), &opts);
        let record = error_record("i", "u", "m".into());
        cache.put("sha256:aa", 10, &record).unwrap();
        assert_eq!(cache.get("sha256:aa", 10), Some(record.clone()));
        assert_eq!(cache.get("sha256:aa", 11), None);
        assert_eq!(cache.get("sha256:ab", 10), None);
        let mut stricter = ScanOptions::default();
        stricter.policy = stricter.policy.with_allowed(["mypkg.Layer"]);
        assert_eq!(
            ResultCache::new(dir.path(), &stricter).get("sha256:aa", 10),
            None
        );
    }
}
