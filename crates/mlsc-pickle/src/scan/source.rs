//! Scanning inputs that are not local files: a file of a Hugging Face repository, an object in a store, anything
//! behind [`RangeSource`]. The dispatcher is the one local files go through, over a [`Blob::Range`], so the same
//! bytes get the same verdict wherever they live; only the reads differ, and they are counted.

use std::sync::Arc;
use std::time::Instant;

use mlsc_core::{
    Artifact, Completeness, Finished, Format, Location, RangeSource, Report, ReportError,
    ScanSink as _, Sha256Digest, SharedSink,
};

use super::{Ctx, Here, ScanOptions, dispatch};
use crate::scan::blob::Blob;

/// An input read by ranges, and the name it is reported under.
///
/// The name is the location of every finding, so it should say exactly what was judged: `mlsc-remote` names a Hub
/// file `hf://org/name@<commit>/path`, with the revision pinned.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct NamedSource {
    /// The name in the report.
    pub name: String,
    /// Where the bytes are read from.
    pub source: Arc<dyn RangeSource>,
    /// The SHA-256 of the content when it is known without reading it (the Hub lists the LFS `oid` of every large
    /// file), lowercase hex. It is copied into the artefact; it is not verified (that would read every byte).
    pub sha256: Option<String>,
}

impl NamedSource {
    /// A source reported under `name`, its digest unknown.
    pub fn new(name: impl Into<String>, source: Arc<dyn RangeSource>) -> Self {
        NamedSource {
            name: name.into(),
            source,
            sha256: None,
        }
    }

    /// The same source, with its known SHA-256 (lowercase hex).
    pub fn with_sha256(mut self, sha256: impl Into<String>) -> Self {
        self.sha256 = Some(sha256.into());
        self
    }
}

/// What scanning one source produced, before it is folded into a report.
struct SourceResult {
    artifact: Artifact,
    findings: Vec<mlsc_core::Finding>,
    error: Option<ReportError>,
    bytes_read: u64,
}

fn scan_one(input: &NamedSource, options: &ScanOptions) -> SourceResult {
    let name = input.name.as_str();
    let source: &dyn RangeSource = input.source.as_ref();
    let size = source.len();
    options.sink.started(name, size);
    let transferred_before = source.bytes_transferred();
    let read = crate::scan::blob::ReadCount::default();
    let blob = Blob::Range {
        src: source,
        start: 0,
        len: size.min(options.limits.max_read_bytes),
        read: &read,
    };
    let mut ctx = Ctx::new(options);
    let here = Here {
        loc: Location::file(name),
        depth: 0,
        top: true,
    };
    let mut error = None;
    let format = match dispatch(&mut ctx, blob, &here) {
        Ok(f) => f,
        Err(e) => {
            // An object that could not be read (refused, unreachable, shorter than announced) is an error for
            // this artefact: its verdict says so and the report's errors name it. Never clean.
            error = Some(ReportError::new(
                Some(name.to_owned()),
                format!("cannot read `{name}`: {e}"),
            ));
            ctx.verdict = ctx.verdict.at_most(Completeness::Error);
            Format::Unknown
        }
    };
    if error.is_none() && size > options.limits.max_read_bytes {
        ctx.not_analysed(
            &crate::rules::TOO_LARGE_FOR_MEMORY,
            here.loc.clone(),
            format!(
                "only the first {} of {size} bytes were considered (max_read_bytes)",
                options.limits.max_read_bytes
            ),
        );
    }
    let mut artifact = Artifact::new(name, size, format);
    artifact.sha256.clone_from(&input.sha256);
    let mut hashed = 0;
    if options.hash && artifact.sha256.is_none() && error.is_none() {
        match hash(source, &options.sink, name) {
            Ok(d) => {
                artifact.sha256 = Some(d.to_hex());
                hashed = size;
            }
            Err(e) => {
                error = Some(ReportError::new(
                    Some(name.to_owned()),
                    format!("cannot hash `{name}`: {e}"),
                ));
            }
        }
    }
    artifact.verdict = ctx.verdict;
    // What crossed the network when the source knows it (whole cached blocks), else what the readers asked.
    let bytes_read = match (transferred_before, source.bytes_transferred()) {
        (Some(before), Some(after)) => after.saturating_sub(before),
        // Hashing read every byte.
        _ if hashed > 0 => size,
        _ => read.get(size),
    };
    artifact.bytes_read = Some(bytes_read);
    // The hash told the sink of every byte it read; the rest now, so the counts add up to the size.
    if size > hashed {
        options.sink.bytes(name, size - hashed);
    }
    SourceResult {
        artifact,
        findings: ctx.findings,
        error,
        bytes_read,
    }
}

/// The SHA-256 of a whole source, read in 1 MiB ranges.
fn hash(source: &dyn RangeSource, sink: &SharedSink, name: &str) -> std::io::Result<Sha256Digest> {
    struct Reader<'s> {
        src: &'s dyn RangeSource,
        pos: u64,
    }
    impl std::io::Read for Reader<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = (buf.len() as u64).min(self.src.len().saturating_sub(self.pos)) as usize;
            self.src.read_exact_at(self.pos, &mut buf[..n])?;
            self.pos += n as u64;
            Ok(n)
        }
    }
    let reader = std::io::BufReader::with_capacity(
        1 << 20,
        Reader {
            src: source,
            pos: 0,
        },
    );
    mlsc_core::sha256_reader(sink.reader(name, reader)).map(|(d, _)| d)
}

/// Scans one input read by ranges, as [`scan_paths`](crate::scan_paths) scans a file: identified by content,
/// every container opened, only the ranges the readers need are read. `report.statistics.bytes_read` and the
/// artefact's `bytes_read` count them; `input_bytes` is the source's length.
///
/// A read that fails (the source's error) makes the artefact's verdict an error and adds an entry to
/// `report.errors`; it is never clean.
///
/// ```
/// use std::sync::Arc;
/// use mlsc_pickle::{NamedSource, ScanOptions, scan_source};
///
/// let bytes: Vec<u8> = b"\x80\x04K\x01.".to_vec();
/// let report = scan_source(&NamedSource::new("hf://org/m@0123/model.bin", Arc::new(bytes)), &ScanOptions::default());
/// assert_eq!(report.artifacts[0].format, mlsc_core::Format::Pickle);
/// assert!(report.artifacts[0].verdict.is_clean());
/// // The sniff read the 5 bytes, then the analyser read the pickle again: 5 bytes of the source read.
/// assert_eq!(report.artifacts[0].bytes_read, Some(5));
/// ```
pub fn scan_source(input: &NamedSource, options: &ScanOptions) -> Report {
    scan_sources(std::slice::from_ref(input), options)
}

/// Scans several inputs read by ranges into one report, in parallel on the current rayon pool (run it inside a
/// pool of the size you want: remote reads wait on the network, not the CPU), in a deterministic order. One
/// input's error never stops the others.
pub fn scan_sources(inputs: &[NamedSource], options: &ScanOptions) -> Report {
    let start = Instant::now();
    let mut report = Report::new("scan");
    let total = inputs.len() as u64;
    options
        .sink
        .begin(total, Some(inputs.iter().map(|i| i.source.len()).sum()));
    let done = std::sync::atomic::AtomicU64::new(0);
    let results: Vec<SourceResult> = mlsc_core::par::map(inputs, |input| {
        let r = scan_one(input, options);
        options.sink.finished(
            &Finished::new(&input.name)
                .with_artifact(Some(&r.artifact))
                .with_findings(&r.findings)
                .with_error(r.error.as_ref()),
        );
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if let Some(progress) = &options.progress {
            progress(std::path::Path::new(&input.name), n, total);
        }
        r
    });
    let mut input_bytes = 0u64;
    for r in results {
        report.statistics.bytes_read += r.bytes_read;
        input_bytes += r.artifact.size;
        report.artifacts.push(r.artifact);
        report.findings.extend(r.findings);
        report.errors.extend(r.error);
    }
    report.statistics.input_bytes = Some(input_bytes);
    report.statistics.files = report.artifacts.len() as u64;
    report.statistics.duration_ms = start.elapsed().as_millis() as u64;
    report.errors.sort_by(|a, b| a.path.cmp(&b.path));
    report.finish();
    report
}

/// The repository check [`scan_paths`](crate::scan_paths) runs once per directory (configuration files that make
/// a loader run the repository's own code, `auto_map` entries that fetch code from another repository, ...), over
/// files that are not on disk: a remote repository's, each given as its path relative to the repository root and
/// its source (named as in the report). Only the small files the check needs are read (configuration files up to
/// 16 MiB, Python files up to the analyser's limit), whole, through their sources.
///
/// The findings name the sources' names; the caller raises the verdicts of the artefacts they name (medium is
/// suspicious, high and critical malicious), as `scan_paths` does.
///
/// ```
/// use std::sync::Arc;
/// use mlsc_pickle::{NamedSource, repository_findings};
///
/// let config = br#"{"auto_map": {"AutoModel": "other/repo--modeling.Model"}}"#.to_vec();
/// let files = vec![("config.json".to_string(), NamedSource::new("hf://org/m@0123/config.json", Arc::new(config)))];
/// let findings = repository_findings(&files);
/// assert_eq!(findings[0].code, "MLSC-CODE-013");
/// assert_eq!(findings[0].location.path, "hf://org/m@0123/config.json");
/// ```
pub fn repository_findings(files: &[(String, NamedSource)]) -> Vec<mlsc_core::Finding> {
    struct Sources<'s>(std::collections::HashMap<&'s std::path::Path, &'s NamedSource>);
    impl crate::code::repo::ReadFile for Sources<'_> {
        fn read(&self, path: &std::path::Path, max: u64) -> Option<Vec<u8>> {
            let src = self.0.get(path)?;
            let len = src.source.len();
            if len > max {
                return None;
            }
            let mut buf = vec![0u8; usize::try_from(len).ok()?];
            src.source.read_exact_at(0, &mut buf).ok()?;
            Some(buf)
        }
    }
    let entries: Vec<(&std::path::Path, &str)> = files
        .iter()
        .map(|(rel, src)| (std::path::Path::new(rel.as_str()), src.name.as_str()))
        .collect();
    let reader = Sources(
        files
            .iter()
            .map(|(rel, src)| (std::path::Path::new(rel.as_str()), src))
            .collect(),
    );
    crate::code::repo::check(&entries, &reader)
}
