//! A per-artefact result sink, in the manner of ripgrep's `Sink`: long work (scanning, hashing, auditing) tells
//! it what it starts, how many bytes it has got through and what it found, as it happens, so a caller can draw a
//! progress bar or stream results without waiting for the whole report.
//!
//! The libraries call a sink from their worker threads, concurrently: implementations are `Send + Sync` and
//! should return quickly (a progress bar's atomic increment, one line written).
//!
//! ```
//! use std::sync::atomic::{AtomicU64, Ordering};
//! use mlsc_core::{Finished, ScanSink, SharedSink};
//!
//! #[derive(Debug, Default)]
//! struct Count(AtomicU64);
//! impl ScanSink for Count {
//!     fn bytes(&self, _artifact: &str, n: u64) {
//!         self.0.fetch_add(n, Ordering::Relaxed);
//!     }
//! }
//! let count = std::sync::Arc::new(Count::default());
//! let sink = SharedSink::new(count.clone());
//! sink.started("a.bin", 3);
//! sink.bytes("a.bin", 3);
//! sink.finished(&Finished::new("a.bin"));
//! assert_eq!(count.0.load(Ordering::Relaxed), 3);
//! ```

use std::fmt;
use std::io::Read;
use std::sync::Arc;

use crate::{Artifact, Finding, ReportError};

/// What a library says about one artefact (a file, a remote object, a shard of a file being hashed) when its
/// work on it ends.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Finished<'a> {
    /// The artefact as the report names it.
    pub path: &'a str,
    /// Its report entry, when the work produces one (a scan does, hashing does not).
    pub artifact: Option<&'a Artifact>,
    /// What was found in it.
    pub findings: &'a [Finding],
    /// Why it could not be read or finished, when it could not.
    pub error: Option<&'a ReportError>,
    /// The artefact's whole record as one line of JSON (no newline), when the library streams records of its
    /// own (mlsc-remote's bulk scans: the `--format jsonl` lines).
    pub json: Option<&'a str>,
}

impl<'a> Finished<'a> {
    /// The end of work on `path`, with no report entry, no findings and no error.
    pub fn new(path: &'a str) -> Self {
        Finished {
            path,
            artifact: None,
            findings: &[],
            error: None,
            json: None,
        }
    }

    /// With its report entry.
    #[must_use]
    pub fn with_artifact(mut self, artifact: Option<&'a Artifact>) -> Self {
        self.artifact = artifact;
        self
    }

    /// With its findings.
    #[must_use]
    pub fn with_findings(mut self, findings: &'a [Finding]) -> Self {
        self.findings = findings;
        self
    }

    /// With an error.
    #[must_use]
    pub fn with_error(mut self, error: Option<&'a ReportError>) -> Self {
        self.error = error;
        self
    }

    /// With its record as one line of JSON.
    #[must_use]
    pub fn with_json(mut self, json: Option<&'a str>) -> Self {
        self.json = json;
        self
    }
}

/// Receives progress and per-artefact results while work runs. Every method does nothing by default.
///
/// For each artefact a library calls [`started`](ScanSink::started), then [`bytes`](ScanSink::bytes) as it
/// gets through it, then [`finished`](ScanSink::finished). The `bytes` of one artefact add up to the `size` it
/// was started with by the time it finishes (a scan that reads only a file's pickles still accounts for the
/// whole file), so a bar over the total of [`begin`](ScanSink::begin) ends full. Artefacts run in parallel, so
/// calls for different artefacts interleave.
pub trait ScanSink: Send + Sync {
    /// The work ahead: `artifacts` artefacts of `bytes` bytes in all, when known. Called once, first; may be
    /// called again by a later stage of the same command (an audit scans, then hashes).
    fn begin(&self, artifacts: u64, bytes: Option<u64>) {
        let _ = (artifacts, bytes);
    }

    /// Work on `artifact`, of `size` bytes, starts.
    fn started(&self, artifact: &str, size: u64) {
        let _ = (artifact, size);
    }

    /// `n` more bytes of `artifact` were got through (read, hashed or judged).
    fn bytes(&self, artifact: &str, n: u64) {
        let _ = (artifact, n);
    }

    /// Work on an artefact ended.
    fn finished(&self, done: &Finished<'_>) {
        let _ = done;
    }
}

/// A sink that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoSink;

impl ScanSink for NoSink {}

/// A sink shared between the options of a library and its worker threads: cheap to clone, a [`NoSink`] by
/// default, and comparable (two handles are equal when they share one sink) so that option structs stay
/// `PartialEq`.
#[derive(Clone)]
pub struct SharedSink(Arc<dyn ScanSink>);

impl SharedSink {
    /// Shares `sink`.
    pub fn new(sink: Arc<dyn ScanSink>) -> Self {
        SharedSink(sink)
    }

    /// True when this is the do-nothing default (no one listens, so callers may skip work done only for a
    /// sink).
    pub fn is_none(&self) -> bool {
        self == &SharedSink::default()
    }

    /// `reader`, reporting every byte read from it as [`bytes`](ScanSink::bytes) of `artifact`.
    pub fn reader<'a, R: Read>(&'a self, artifact: &'a str, reader: R) -> SinkReader<'a, R> {
        SinkReader {
            inner: reader,
            sink: self,
            artifact,
        }
    }
}

static NO_SINK: std::sync::LazyLock<Arc<dyn ScanSink>> =
    std::sync::LazyLock::new(|| Arc::new(NoSink));

impl Default for SharedSink {
    fn default() -> Self {
        SharedSink(NO_SINK.clone())
    }
}

impl PartialEq for SharedSink {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::addr_eq(Arc::as_ptr(&self.0), Arc::as_ptr(&other.0))
    }
}

impl Eq for SharedSink {}

impl fmt::Debug for SharedSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.is_none() {
            "SharedSink(none)"
        } else {
            "SharedSink(..)"
        })
    }
}

impl ScanSink for SharedSink {
    fn begin(&self, artifacts: u64, bytes: Option<u64>) {
        self.0.begin(artifacts, bytes);
    }
    fn started(&self, artifact: &str, size: u64) {
        self.0.started(artifact, size);
    }
    fn bytes(&self, artifact: &str, n: u64) {
        self.0.bytes(artifact, n);
    }
    fn finished(&self, done: &Finished<'_>) {
        self.0.finished(done);
    }
}

/// A reader that reports what is read through it to a sink (see [`SharedSink::reader`]).
#[derive(Debug)]
pub struct SinkReader<'a, R> {
    inner: R,
    sink: &'a SharedSink,
    artifact: &'a str,
}

impl<R: Read> Read for SinkReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            self.sink.bytes(self.artifact, n as u64);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Debug, Default)]
    struct Log(Mutex<Vec<String>>);

    impl ScanSink for Log {
        fn started(&self, a: &str, size: u64) {
            self.0
                .lock()
                .expect("lock")
                .push(format!("start {a} {size}"));
        }
        fn bytes(&self, a: &str, n: u64) {
            self.0.lock().expect("lock").push(format!("bytes {a} {n}"));
        }
        fn finished(&self, d: &Finished<'_>) {
            self.0
                .lock()
                .expect("lock")
                .push(format!("end {} {}", d.path, d.findings.len()));
        }
    }

    #[test]
    fn reader_reports_every_byte_and_handles_compare_by_identity() {
        let log = Arc::new(Log::default());
        let sink = SharedSink::new(log.clone());
        assert!(!sink.is_none());
        assert!(SharedSink::default().is_none());
        assert_eq!(sink, sink.clone());
        assert_ne!(sink, SharedSink::new(Arc::new(Log::default())));
        sink.started("x", 5);
        let mut out = Vec::new();
        sink.reader("x", &b"hello"[..])
            .read_to_end(&mut out)
            .expect("read");
        sink.finished(&Finished::new("x"));
        let log = log.0.lock().expect("lock");
        let total: u64 = log
            .iter()
            .filter_map(|l| l.strip_prefix("bytes x "))
            .map(|n| n.parse::<u64>().expect("number"))
            .sum();
        assert_eq!(total, 5);
        assert_eq!(log.first().map(String::as_str), Some("start x 5"));
        assert_eq!(log.last().map(String::as_str), Some("end x 0"));
    }
}
