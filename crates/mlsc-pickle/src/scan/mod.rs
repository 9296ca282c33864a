//! Scanning files and directories: format detection by content, the containers that carry pickles, and the
//! pickle-free formats.
//!
//! Every input is identified by [`mlsc_core::sniff`], never by its name, and handed to the reader of its format;
//! containers hand their members back to the same dispatcher (`dispatch`), so a pickle in a zip in a tar.gz is
//! found as readily as a raw one. Files are read with positioned reads: a PyTorch checkpoint costs the reads of
//! its central directory and its pickles, never of its tensors.

mod blob;
mod compress;
mod formats;
mod keras;
mod npy;
mod rules;
mod source;
mod torch;
mod walk;
mod zip;

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use mlsc_core::{
    Artifact, Assessment, Completeness, Finding, Format, Limits, Location, Report, ReportError,
    Severity, Verdict,
};
use rayon::prelude::*;

use self::blob::Blob;
pub(crate) use self::rules::RULES;
pub use self::source::{NamedSource, scan_source, scan_sources};
use crate::pickle::{AnalyseOptions, Policy};

/// Called once per file when its scan ends, with the path, the number of files done and the total.
pub type ProgressFn = dyn Fn(&Path, u64, u64) + Send + Sync;

/// Options of a scan.
#[derive(Clone)]
#[non_exhaustive]
pub struct ScanOptions {
    /// Resource limits. By default, [`Limits::default`].
    pub limits: Limits,
    /// The pickle policy (allowlist profiles and user additions). By default, the built-in profiles.
    pub policy: Policy,
    /// Most bytes of one part that is analysed in memory (a pickle, a decompressed stream, an archive member).
    /// Larger parts are reported as not analysed. By default, 512 MiB.
    pub max_memory_bytes: u64,
    /// Glob patterns (gitignore-like `globset` syntax, matched against the path relative to the scanned
    /// directory); when any is given, only files matching one are scanned. Files named explicitly are always
    /// scanned. By default, none (every file).
    pub include: Vec<String>,
    /// Glob patterns of files and directories to skip under a scanned directory. By default, none.
    pub exclude: Vec<String>,
    /// Whether to descend into `.git`, `.hg` and `.svn` directories. By default, false.
    pub vcs_dirs: bool,
    /// Whether to compute each file's SHA-256 for its artefact (a full read of every file). By default, false.
    pub hash: bool,
    /// Called after each file; the CLI draws its progress bar with it. By default, none.
    pub progress: Option<Arc<ProgressFn>>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            limits: Limits::default(),
            policy: Policy::default(),
            max_memory_bytes: 512 << 20,
            include: Vec::new(),
            exclude: Vec::new(),
            vcs_dirs: false,
            hash: false,
            progress: None,
        }
    }
}

impl std::fmt::Debug for ScanOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanOptions")
            .field("limits", &self.limits)
            .field("policy", &self.policy)
            .field("max_memory_bytes", &self.max_memory_bytes)
            .field("include", &self.include)
            .field("exclude", &self.exclude)
            .field("vcs_dirs", &self.vcs_dirs)
            .field("hash", &self.hash)
            .field("progress", &self.progress.as_ref().map(|_| "<callback>"))
            .finish()
    }
}

/// The state of one file's scan: its findings and verdict so far.
pub(crate) struct Ctx<'o> {
    pub(crate) opts: &'o ScanOptions,
    pub(crate) findings: Vec<Finding>,
    pub(crate) verdict: Verdict,
    /// The directory of the top-level file, for checks of relative paths (ONNX external data).
    pub(crate) base_dir: Option<PathBuf>,
    /// Every pickle handed to the analyser: where, and how many bytes (for tests of the container layer).
    pub(crate) pickles: Vec<(Location, u64, usize)>,
    /// Bytes decompressed so far in this file, against `Limits::max_decompressed_bytes`.
    pub(crate) inflated: u64,
    /// True while the members of a TorchScript archive are analysed.
    pub(crate) torchscript: bool,
}

impl<'o> Ctx<'o> {
    fn new(opts: &'o ScanOptions) -> Self {
        Ctx {
            opts,
            findings: Vec::new(),
            verdict: Verdict::CLEAN,
            base_dir: None,
            pickles: Vec::new(),
            inflated: 0,
            torchscript: false,
        }
    }

    /// Records a finding of `code` (one of [`RULES`]); the verdict follows its severity: critical and high are
    /// malicious, medium suspicious.
    pub(crate) fn emit(
        &mut self,
        code: &'static str,
        severity: Severity,
        location: Location,
        message: impl Into<String>,
    ) -> &mut Finding {
        let title = RULES
            .iter()
            .find(|r| r.code == code)
            .map_or(code, |r| r.name)
            .replace('-', " ");
        let assessment = match severity {
            Severity::Critical | Severity::High => Assessment::Malicious,
            Severity::Medium => Assessment::Suspicious,
            Severity::Low | Severity::Info => Assessment::Clean,
        };
        self.verdict = self.verdict.at_least(assessment);
        self.findings
            .push(Finding::new(code, severity, title, message).at(location));
        self.findings.last_mut().expect("just pushed")
    }

    /// Records a finding for something that could not be analysed: the verdict becomes inconclusive.
    pub(crate) fn not_analysed(
        &mut self,
        code: &'static str,
        location: Location,
        message: impl Into<String>,
    ) {
        let sev = RULES
            .iter()
            .find(|r| r.code == code)
            .map_or(Severity::Medium, |r| r.default_severity);
        // What was not seen is not evidence of anything: the assessment stays, the completeness drops.
        let before = self.verdict;
        self.emit(code, sev, location, message);
        self.verdict = before.at_most(Completeness::Inconclusive);
    }

    /// Runs the pickle analyser over `data`, whose first byte is at `base` inside `location`'s innermost part.
    pub(crate) fn pickle(&mut self, data: &[u8], location: &Location, base: u64) -> usize {
        let mut options = self.analyse_options(location);
        self.pickles.push((location.clone(), base, data.len()));
        let mut analysis = crate::pickle::analyse_pickle(data, &options);
        if self.torchscript {
            // torch.jit.load's C++ unpickler resolves `__torch__.*` to classes compiled from the archive's code/
            // and `torch.jit._pickle.*` to its builders; it imports no Python. Those names are no unknown Python
            // callables here, so the pickle is analysed again with them allowed.
            let names: Vec<String> = analysis
                .calls
                .iter()
                .filter(|c| {
                    !c.allowed
                        && (c.callable.starts_with("__torch__.")
                            || c.callable.starts_with("torch.jit._pickle."))
                })
                .map(|c| c.callable.clone())
                .collect();
            if !names.is_empty() {
                options.policy = options.policy.with_allowed(names);
                analysis = crate::pickle::analyse_pickle(data, &options);
            }
        }
        self.absorb(analysis, base)
    }

    /// Runs the analyser over the first pickle of `data` only; returns the offset past its `STOP`.
    pub(crate) fn pickle_one(&mut self, data: &[u8], location: &Location, base: u64) -> usize {
        let options = self.analyse_options(location);
        self.pickles.push((location.clone(), base, data.len()));
        let analysis = crate::pickle::analyse_one(data, &options);
        self.absorb(analysis, base)
    }

    /// Analyses the pickle stream in `blob`: from memory when it is there or small, else streamed from the file in
    /// bounded memory (a 1 GiB pickle costs the analyser's stack and memo, not 1 GiB).
    pub(crate) fn pickle_blob(
        &mut self,
        blob: Blob<'_>,
        location: &Location,
        base: u64,
    ) -> std::io::Result<()> {
        const STREAM_ABOVE: u64 = 16 << 20;
        match blob {
            Blob::Mem(data) => {
                self.pickle(data, location, base);
            }
            Blob::File { len, .. } | Blob::Range { len, .. } if len <= STREAM_ABOVE => {
                let data = blob.read_at(0, len as usize)?;
                self.pickle(&data, location, base);
            }
            Blob::File { .. } | Blob::Range { .. } => {
                let reader = std::io::BufReader::with_capacity(1 << 20, blob.reader());
                let before = self.findings.len();
                self.pickle_reader(reader, location)
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                if base != 0 {
                    for f in &mut self.findings[before..] {
                        f.location.offset = Some(f.location.offset.unwrap_or(0) + base);
                    }
                }
            }
        }
        Ok(())
    }

    /// Runs the analyser over a stream too large for memory, in bounded memory.
    pub(crate) fn pickle_reader(
        &mut self,
        reader: impl std::io::Read,
        location: &Location,
    ) -> Result<(), crate::Error> {
        let options = self.analyse_options(location);
        self.pickles.push((location.clone(), 0, usize::MAX));
        let analysis = crate::pickle::analyse_reader(reader, &options)?;
        self.absorb(analysis, 0);
        Ok(())
    }

    fn analyse_options(&self, location: &Location) -> AnalyseOptions {
        let mut location = location.clone();
        location.offset = None;
        AnalyseOptions {
            policy: self.opts.policy.clone(),
            limits: self.opts.limits,
            location,
        }
    }

    fn absorb(&mut self, analysis: crate::pickle::PickleAnalysis, base: u64) -> usize {
        self.verdict = self.verdict.merge(analysis.verdict);
        for mut f in analysis.findings {
            if base != 0 {
                f.location.offset = Some(f.location.offset.unwrap_or(0) + base);
            }
            self.findings.push(f);
        }
        analysis.end
    }
}

/// Where the dispatcher is: the location of the part and how deep in containers.
#[derive(Debug, Clone)]
pub(crate) struct Here {
    pub(crate) loc: Location,
    pub(crate) depth: u32,
    /// True for a file the user named or the walk found (not an archive member).
    pub(crate) top: bool,
}

impl Here {
    pub(crate) fn member(&self, name: &str) -> Here {
        Here {
            loc: self.loc.clone().member(name),
            depth: self.depth + 1,
            top: false,
        }
    }

    pub(crate) fn at(&self, offset: u64) -> Location {
        self.loc.clone().at_offset(offset)
    }
}

/// Identifies `blob` by content and analyses it with the reader of its format; returns the format.
pub(crate) fn dispatch(ctx: &mut Ctx<'_>, blob: Blob<'_>, here: &Here) -> std::io::Result<Format> {
    if here.depth > ctx.opts.limits.max_depth {
        ctx.not_analysed(
            "MLSC-SCAN-003",
            here.loc.clone(),
            format!(
                "nested {} containers deep, more than the limit of {}",
                here.depth, ctx.opts.limits.max_depth
            ),
        );
        return Ok(Format::Unknown);
    }
    let head = blob.prefix(mlsc_core::SNIFF_LEN)?;
    let format = sniff(&head);
    match format {
        Format::Pickle => torch::scan_raw_pickle(ctx, blob, here)?,
        Format::PytorchLegacy => torch::scan_legacy(ctx, blob, here)?,
        Format::Zip => zip::scan_zip(ctx, blob, here)?,
        Format::Numpy => npy::scan_npy(ctx, blob, here)?,
        Format::Gzip
        | Format::Bzip2
        | Format::Xz
        | Format::LzmaAlone
        | Format::Zlib
        | Format::Zstd
        | Format::Lz4
        | Format::JoblibZf => compress::scan_stream(ctx, blob, here, format)?,
        Format::Tar => compress::scan_tar(ctx, blob, here)?,
        Format::SevenZip => compress::scan_7z(ctx, blob, here)?,
        Format::Safetensors => formats::scan_safetensors(ctx, blob, here)?,
        Format::Gguf => formats::scan_gguf(ctx, blob, here)?,
        Format::Onnx => formats::scan_onnx(ctx, blob, here)?,
        Format::Hdf5 => keras::scan_hdf5(ctx, blob, here)?,
        Format::Unknown => {
            // Python's zipfile (Keras, joblib users) opens a zip with any prefix: look for one at the end.
            if !zip::scan_embedded_zip(ctx, blob, here, None, true)? && here.top {
                not_a_model(ctx, here, format);
            }
        }
        _ => {
            if here.top {
                not_a_model(ctx, here, format);
            }
        }
    }
    Ok(format)
}

/// [`mlsc_core::sniff`], and one more rule: a binary pickle whose opcodes stop decoding within the prefix is still
/// a pickle. joblib writes array bytes inline right after the first `NumpyArrayWrapper`, and `pickle.load` runs
/// whatever comes before a bad byte.
pub(crate) fn sniff(head: &[u8]) -> Format {
    match mlsc_core::sniff(head) {
        Format::Unknown if matches!(head, [0x80, 2..=5, ..]) => Format::Pickle,
        f => f,
    }
}

fn not_a_model(ctx: &mut Ctx<'_>, here: &Here, format: Format) {
    ctx.emit(
        "MLSC-SCAN-001",
        Severity::Info,
        here.loc.clone(),
        format!("{format} content, not a model format: nothing here is loaded as a model"),
    );
}

/// What scanning one file produced.
struct FileResult {
    artifact: Option<Artifact>,
    findings: Vec<Finding>,
    error: Option<ReportError>,
    bytes_read: u64,
}

fn scan_file(path: &Path, display: &str, options: &ScanOptions) -> FileResult {
    let fail = |message: String| FileResult {
        artifact: None,
        findings: Vec::new(),
        error: Some(ReportError::new(Some(display.to_owned()), message)),
        bytes_read: 0,
    };
    let file = match fs_err::File::open(path) {
        Ok(f) => f,
        Err(e) => return fail(e.to_string()),
    };
    let size = match file.metadata() {
        Ok(m) => m.len(),
        Err(e) => return fail(e.to_string()),
    };
    let read = Cell::new(0u64);
    let blob = Blob::File {
        file: file.file(),
        start: 0,
        len: size.min(options.limits.max_read_bytes),
        read: &read,
    };
    let mut ctx = Ctx::new(options);
    ctx.base_dir = path.parent().map(Path::to_path_buf);
    let here = Here {
        loc: Location::file(display),
        depth: 0,
        top: true,
    };
    let format = match dispatch(&mut ctx, blob, &here) {
        Ok(f) => f,
        Err(e) => {
            let mut r = fail(format!("cannot read `{display}`: {e}"));
            r.findings = ctx.findings;
            r.bytes_read = read.get();
            return r;
        }
    };
    if size > options.limits.max_read_bytes {
        ctx.not_analysed(
            "MLSC-SCAN-005",
            here.loc.clone(),
            format!(
                "only the first {} of {size} bytes were considered (max_read_bytes)",
                options.limits.max_read_bytes
            ),
        );
    }
    let mut artifact = Artifact::new(display, size, format);
    artifact.verdict = ctx.verdict;
    artifact.bytes_read = Some(read.get() + if options.hash { size } else { 0 });
    let mut error = None;
    if options.hash {
        match mlsc_core::sha256_reader(file.file()) {
            Ok((digest, _)) => artifact.sha256 = Some(digest.to_hex()),
            Err(e) => {
                error = Some(ReportError::new(
                    Some(display.to_owned()),
                    format!("cannot hash `{display}`: {e}"),
                ));
            }
        }
    }
    FileResult {
        artifact: Some(artifact),
        findings: ctx.findings,
        error,
        bytes_read: read.get() + if options.hash { size } else { 0 },
    }
}

/// Scans files and directories into a report: directories recursively, files in parallel, in a deterministic
/// order. One file's error never stops the scan; it becomes an entry of `report.errors` naming the path.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("model.bin"), b"\x80\x04K\x01.").unwrap();
/// let report = mlsc_pickle::scan_paths(&[dir.path().to_path_buf()], &mlsc_pickle::ScanOptions::default());
/// assert_eq!(report.artifacts.len(), 1);
/// assert_eq!(report.artifacts[0].format, mlsc_core::Format::Pickle);
/// ```
pub fn scan_paths(paths: &[PathBuf], options: &ScanOptions) -> Report {
    let start = Instant::now();
    let mut report = Report::new("scan");
    let walked = walk::collect(paths, options);
    report.errors.extend(walked.errors);
    report.findings.extend(walked.findings);
    let total = walked.files.len() as u64;
    let done = AtomicU64::new(0);
    let results: Vec<FileResult> = walked
        .files
        .par_iter()
        .map(|f| {
            let r = scan_file(&f.path, &f.display, options);
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(progress) = &options.progress {
                progress(&f.path, n, total);
            }
            r
        })
        .collect();
    let mut input_bytes = 0;
    for r in results {
        report.statistics.bytes_read += r.bytes_read;
        input_bytes += r.artifact.as_ref().map_or(0, |a| a.size);
        report.artifacts.extend(r.artifact);
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

/// Scans bytes already in memory (an upload, a blob from a store) as if they were the file `name`.
///
/// ```
/// let report = mlsc_pickle::scan_bytes("weights.bin", b"\x93NUMPY\x01\x00\x76\x00{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }                                                           \n\0\0\0\0", &Default::default());
/// assert_eq!(report.artifacts[0].format, mlsc_core::Format::Numpy);
/// assert!(report.artifacts[0].verdict.is_clean());
/// ```
pub fn scan_bytes(name: &str, data: &[u8], options: &ScanOptions) -> Report {
    let start = Instant::now();
    let mut report = Report::new("scan");
    let mut ctx = Ctx::new(options);
    let here = Here {
        loc: Location::file(name),
        depth: 0,
        top: true,
    };
    let format = match dispatch(&mut ctx, Blob::Mem(data), &here) {
        Ok(f) => f,
        Err(e) => {
            // In memory the only I/O error is a range check failing: a truncated structure.
            ctx.not_analysed("MLSC-SCAN-006", here.loc.clone(), format!("truncated: {e}"));
            Format::Unknown
        }
    };
    let mut artifact = Artifact::new(name, data.len() as u64, format);
    artifact.verdict = ctx.verdict;
    artifact.bytes_read = Some(data.len() as u64);
    if options.hash {
        artifact.sha256 = Some(mlsc_core::Sha256Digest::of(data).to_hex());
    }
    report.artifacts.push(artifact);
    report.findings = ctx.findings;
    report.statistics.files = 1;
    report.statistics.bytes_read = data.len() as u64;
    report.statistics.duration_ms = start.elapsed().as_millis() as u64;
    report.finish();
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_stable() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES {
            assert!(seen.insert(r.code), "duplicate code {}", r.code);
            assert!(r.code.starts_with("MLSC-"), "{}", r.code);
            assert!(!r.summary.is_empty());
        }
        let list: Vec<String> = RULES
            .iter()
            .map(|r| format!("{} {} {} {:?}", r.code, r.name, r.default_severity, r.tags))
            .collect();
        insta::assert_snapshot!(list.join("\n"));
    }
}

#[cfg(test)]
mod corpus_tests;
