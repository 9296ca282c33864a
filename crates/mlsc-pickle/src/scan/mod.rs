//! Scanning files and directories: format detection by content, the containers that carry pickles, and the
//! pickle-free formats.
//!
//! Every input is identified by [`mlsc_core::sniff`], never by its name, and handed to the reader of its format;
//! containers hand their members back to the same dispatcher (`dispatch`), so a pickle in a zip in a tar.gz is
//! found as readily as a raw one. Files are read with positioned reads: a PyTorch checkpoint costs the reads of
//! its central directory and its pickles, never of its tensors.

mod blob;
mod compress;
mod distcp;
mod extract;
mod formats;
mod keras;
mod loaders;
pub(crate) mod member_path;
mod npy;
pub(crate) mod rules;
mod source;
mod torch;
mod walk;
mod zip;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use mlsc_core::{
    Artifact, Assessment, Completeness, Finding, Finished, Format, Limits, Location, Report,
    ReportError, Rule, ScanSink as _, Severity, SharedSink, Verdict,
};

pub(crate) use self::blob::Blob;
pub use self::extract::{read_location, read_member};
pub(crate) use self::formats::check_template_at;
pub(crate) use self::rules::RULES;
pub use self::source::{NamedSource, repository_findings, scan_source, scan_sources};
use crate::pickle::{AnalyseOptions, Policy};

/// Called once per file when its scan ends, with the path, the number of files done and the total.
///
/// [`ScanOptions::sink`] says more (bytes, findings, as they happen); this callback stays for the callers
/// that only count files.
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
    /// Called after each file with the number of files done. By default, none.
    pub progress: Option<Arc<ProgressFn>>,
    /// Told of each file as it is scanned: its size when it starts, the bytes got through (every byte of a
    /// file hashed for `hash`; the rest when it ends, so the counts add up to the files' sizes), and its
    /// artefact, findings and error when it ends. The CLI draws its progress bar with it. By default, a sink
    /// that ignores everything.
    pub sink: SharedSink,
    /// The time budget of one file. When it runs out the file's scan stops where it is, with what was found so
    /// far and an inconclusive verdict (MLSC-SCAN-014); `None` means no budget. It is checked between members,
    /// between reads of streamed data and between containers, so one in-memory pickle already handed to the
    /// analyser finishes first (the analyser is bounded by `Limits` on its own). By default, 300 seconds: a
    /// 10 GB checkpoint is scanned in seconds, so only a pathological file comes near it.
    pub timeout: Option<Duration>,
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
            sink: SharedSink::default(),
            timeout: Some(Duration::from_secs(300)),
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
            .field("sink", &self.sink)
            .field("timeout", &self.timeout)
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
    /// When the file's time budget runs out.
    pub(crate) deadline: Option<Instant>,
    /// Set once the budget has run out and been reported.
    pub(crate) timed_out: bool,
    /// Modules of the torch.package archive being analysed whose code was analysed and reaches for nothing
    /// dangerous: its pickles' callables from them are the archive's own classes (`crate::code`).
    pub(crate) packaged: Vec<String>,
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
            deadline: opts.timeout.map(|t| Instant::now() + t),
            timed_out: false,
            packaged: Vec::new(),
        }
    }

    /// True when the file's time budget has run out; the first time, records the inconclusive finding at `loc`.
    pub(crate) fn out_of_time(&mut self, loc: &Location) -> bool {
        if self.timed_out {
            return true;
        }
        if self.deadline.is_none_or(|d| Instant::now() < d) {
            return false;
        }
        self.timed_out = true;
        let secs = self.opts.timeout.map_or(0, |t| t.as_secs());
        self.not_analysed(
            &crate::rules::TIME_BUDGET,
            loc.clone(),
            format!("the time budget of {secs} s per file ran out here: the rest of the file was not analysed"),
        );
        true
    }

    /// Records a finding of `rule`; the verdict follows its severity: critical and high are malicious, medium
    /// suspicious.
    pub(crate) fn emit(
        &mut self,
        rule: &'static Rule,
        severity: Severity,
        location: Location,
        message: impl Into<String>,
    ) -> &mut Finding {
        let assessment = match severity {
            Severity::Critical | Severity::High => Assessment::Malicious,
            Severity::Medium => Assessment::Suspicious,
            Severity::Low | Severity::Info => Assessment::Clean,
        };
        self.verdict = self.verdict.at_least(assessment);
        self.findings
            .push(rule.finding_at(severity, message).at(location));
        self.findings.last_mut().expect("just pushed")
    }

    /// Records a finding of `rule` at its default severity for something that could not be analysed: the
    /// verdict becomes inconclusive.
    pub(crate) fn not_analysed(
        &mut self,
        rule: &'static Rule,
        location: Location,
        message: impl Into<String>,
    ) {
        // What was not seen is not evidence of anything: the assessment stays, the completeness drops.
        let before = self.verdict;
        self.emit(rule, rule.default_severity, location, message);
        self.verdict = before.at_most(Completeness::Inconclusive);
    }

    /// Runs the pickle analyser over `data`, whose first byte is at `base` inside `location`'s innermost part.
    pub(crate) fn pickle(&mut self, data: &[u8], location: &Location, base: u64) -> usize {
        let mut options = self.analyse_options(location);
        self.pickles.push((location.clone(), base, data.len()));
        let mut analysis = crate::pickle::analyse_pickle(data, &options);
        crate::config::scan_pickle(self, data, location, base);
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
        if !self.packaged.is_empty() {
            // torch.package's importer resolves these names to the archive's own modules, whose code was analysed
            // and reaches for nothing dangerous (`crate::code`): they are the archive's classes, not unknowns.
            let names: Vec<String> = analysis
                .calls
                .iter()
                .filter(|c| !c.allowed && crate::code::is_packaged(&self.packaged, &c.callable))
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
        crate::config::scan_pickle(self, data, location, base);
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
            &crate::rules::NESTING_TOO_DEEP,
            here.loc.clone(),
            format!(
                "nested {} containers deep, more than the limit of {}",
                here.depth, ctx.opts.limits.max_depth
            ),
        );
        return Ok(Format::Unknown);
    }
    if ctx.out_of_time(&here.loc) {
        return Ok(Format::Unknown);
    }
    let head = blob.prefix(mlsc_core::SNIFF_LEN)?;
    let format = sniff(&head);
    // A distributed checkpoint shard holds one torch.save archive per non-tensor value (issue 18).
    if distcp::is_shard(here) {
        distcp::scan_shard(ctx, blob, here)?;
        return Ok(format);
    }
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
            // Then the config analyser (a `.yaml` of bytes is an unparseable config).
            if !zip::scan_embedded_zip(ctx, blob, here, None, true)? {
                let listed = !unidentified(ctx, here, format, &head);
                if here.top && crate::config::scan_text(ctx, blob, here, format)? && listed {
                    python_source(ctx, blob, here)?;
                    not_a_model(ctx, here, format);
                }
            }
        }
        _ => {
            // Config analyser (YAML/JSON/TOML, templates): a config that runs code is no mere listing.
            let listed = !unidentified(ctx, here, format, &head);
            if crate::config::scan_text(ctx, blob, here, format)? && listed && here.top {
                python_source(ctx, blob, here)?;
                not_a_model(ctx, here, format);
            }
        }
    }
    Ok(format)
}

/// Fail closed on names: content that is not a model format, in a file or member whose name makes an ML loader
/// open it, is inconclusive (MLSC-SCAN-012), naming that loader. Returns whether it was reported.
pub(crate) fn unidentified(ctx: &mut Ctx<'_>, here: &Here, format: Format, head: &[u8]) -> bool {
    if !(format.is_text() || format == Format::Unknown) {
        return false;
    }
    let Some((name, loader)) = loaders::loader_for(&here.loc) else {
        return false;
    };
    let what = if head.starts_with(b"version https://git-lfs.github.com/spec/") {
        "a Git LFS pointer: the model itself was not fetched, so it was not scanned".to_owned()
    } else {
        format!("{format} content that mlsc does not identify as any model format")
    };
    ctx.not_analysed(
        &crate::rules::UNIDENTIFIED_MODEL_FILE,
        here.loc.clone(),
        format!(
            "`{name}` is named for {loader}, which would open it, but holds {what}: not analysed"
        ),
    );
    true
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

/// A `.py` file goes through the Python analyser (`crate::code`) as well; it stays a non-model file.
fn python_source(ctx: &mut Ctx<'_>, blob: Blob<'_>, here: &Here) -> std::io::Result<()> {
    if crate::code::is_python_name(&here.loc) {
        let cap = crate::code::python::MAX_SOURCE as u64 + 1;
        let data = blob.prefix(blob.len().min(cap) as usize)?;
        crate::code::scan_python_file(ctx, &data, here);
    }
    Ok(())
}

fn not_a_model(ctx: &mut Ctx<'_>, here: &Here, format: Format) {
    ctx.emit(
        &crate::rules::NOT_A_MODEL_FORMAT,
        Severity::Info,
        here.loc.clone(),
        format!("{format} content, not a model format: nothing here is loaded as a model"),
    );
}

/// What kind of special file `meta` describes, for messages.
pub(crate) fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

fn special_file_message(display: &str, meta: &std::fs::Metadata) -> String {
    format!(
        "`{display}` is {}: not opened (reading it could block or never end)",
        special_kind(meta)
    )
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
    // A FIFO blocks an open for reading until a writer comes, a device never ends: look before opening.
    match fs_err::metadata(path) {
        Ok(m) if !m.is_file() => return fail(special_file_message(display, &m)),
        Ok(_) => {}
        Err(e) => return fail(e.to_string()),
    }
    let file = match fs_err::File::open(path) {
        Ok(f) => f,
        Err(e) => return fail(e.to_string()),
    };
    let size = match file.metadata() {
        // Swapped for a special file between the look and the open: still never read.
        Ok(m) if !m.is_file() => return fail(special_file_message(display, &m)),
        Ok(m) => m.len(),
        Err(e) => return fail(e.to_string()),
    };
    options.sink.started(display, size);
    let read = blob::ReadCount::default();
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
            r.bytes_read = read.get(size);
            return r;
        }
    };
    if size > options.limits.max_read_bytes {
        ctx.not_analysed(
            &crate::rules::TOO_LARGE_FOR_MEMORY,
            here.loc.clone(),
            format!(
                "only the first {} of {size} bytes were considered (max_read_bytes)",
                options.limits.max_read_bytes
            ),
        );
    }
    let mut artifact = Artifact::new(display, size, format);
    artifact.verdict = ctx.verdict;
    // Hashing reads every byte: then the whole file was read.
    let bytes_read = if options.hash { size } else { read.get(size) };
    artifact.bytes_read = Some(bytes_read);
    let mut error = None;
    // What the sink was told of this file so far: the hash reports each byte it reads; the rest is told at the
    // end, so that a bar over the total size ends full.
    let mut told = 0;
    if options.hash {
        match mlsc_core::sha256_reader(options.sink.reader(display, file.file())) {
            Ok((digest, n)) => {
                artifact.sha256 = Some(digest.to_hex());
                told = n;
            }
            Err(e) => {
                error = Some(ReportError::new(
                    Some(display.to_owned()),
                    format!("cannot hash `{display}`: {e}"),
                ));
            }
        }
    }
    if size > told {
        options.sink.bytes(display, size - told);
    }
    FileResult {
        artifact: Some(artifact),
        findings: ctx.findings,
        error,
        bytes_read,
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
    if !options.sink.is_none() {
        // One stat per file, only for a listener: a bar in bytes needs the total before the first file ends.
        let bytes = walked
            .files
            .iter()
            .filter_map(|f| std::fs::metadata(&f.path).ok())
            .filter(std::fs::Metadata::is_file)
            .map(|m| m.len())
            .sum();
        options.sink.begin(total, Some(bytes));
    }
    let done = AtomicU64::new(0);
    let results: Vec<FileResult> = mlsc_core::par::map(&walked.files, |f| {
        let r = scan_file(&f.path, &f.display, options);
        options.sink.finished(
            &Finished::new(&f.display)
                .with_artifact(r.artifact.as_ref())
                .with_findings(&r.findings)
                .with_error(r.error.as_ref()),
        );
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(progress) = &options.progress {
            progress(&f.path, n, total);
        }
        r
    });
    let mut input_bytes = 0;
    for r in results {
        report.statistics.bytes_read += r.bytes_read;
        input_bytes += r.artifact.as_ref().map_or(0, |a| a.size);
        report.artifacts.extend(r.artifact);
        report.findings.extend(r.findings);
        report.errors.extend(r.error);
    }
    // Directory level: a Hugging Face repository whose configs make the loader run its own or remote code.
    let files: Vec<(&Path, &str)> = walked
        .files
        .iter()
        .map(|f| (f.path.as_path(), f.display.as_str()))
        .collect();
    crate::code::repo::apply(&mut report, &files);
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
            ctx.not_analysed(
                &crate::rules::CORRUPT_STREAM,
                here.loc.clone(),
                format!("truncated: {e}"),
            );
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
