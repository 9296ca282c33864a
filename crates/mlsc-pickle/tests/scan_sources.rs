//! `scan_source` reads through the range interface remote files use: the same bytes give the same report as a
//! local scan (verdict, findings, format, even the bytes read), and a source that cannot serve a range gives an
//! error verdict, never a clean one.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use mlsc_core::{Completeness, RangeSource, Report};
use mlsc_pickle::{NamedSource, ScanOptions, scan_paths, scan_source, scan_sources};

fn corpus() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/scan"
    ))
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// An in-memory object that counts the bytes asked of it, as the Hub emulator counts what it serves.
#[derive(Debug)]
struct Counted {
    data: Vec<u8>,
    served: AtomicU64,
}

impl RangeSource for Counted {
    fn len(&self) -> u64 {
        self.data.len() as u64
    }

    fn read_exact_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        self.data.as_slice().read_exact_at(offset, buf)?;
        self.served.fetch_add(buf.len() as u64, Ordering::Relaxed);
        Ok(())
    }
}

fn without_timing(mut r: Report) -> Report {
    r.statistics.duration_ms = 0;
    r
}

#[test]
fn every_fixture_gets_the_same_report_through_a_range_source() {
    let mut all = Vec::new();
    files(&corpus(), &mut all);
    assert!(all.len() > 100, "the corpus is there: {} files", all.len());
    let options = ScanOptions::default();
    let mut sources = Vec::new();
    for path in &all {
        let name = path.display().to_string();
        let local = without_timing(scan_paths(std::slice::from_ref(path), &options));
        let counted = Arc::new(Counted {
            data: std::fs::read(path).unwrap(),
            served: AtomicU64::new(0),
        });
        let src = NamedSource::new(&name, counted.clone());
        let remote = without_timing(scan_source(&src, &options));
        assert_eq!(local, remote, "{name}");
        // The report counts each byte read once (the union of the regions read), never more than the source
        // holds; the source served at least that (regions read twice are served twice).
        let served = counted.served.load(Ordering::Relaxed);
        let read = remote.statistics.bytes_read;
        assert!(read <= served, "{name}: {read} > {served}");
        assert!(read <= counted.data.len() as u64, "{name}: {read}");
        assert!(served == 0 || read > 0, "{name}");
        assert_eq!(
            remote.artifacts[0].bytes_read,
            Some(remote.statistics.bytes_read)
        );
        assert_eq!(
            remote.statistics.input_bytes,
            Some(remote.artifacts[0].size)
        );
        sources.push(src);
    }
    // And all at once, in parallel: the same report as the local scan of the same files.
    let local = without_timing(scan_paths(&all, &options));
    let remote = without_timing(scan_sources(&sources, &options));
    assert_eq!(local, remote);
    assert!(
        remote.artifacts.iter().any(|a| !a.verdict.is_clean()),
        "the corpus has malicious files, so the comparison is not between empty verdicts"
    );
}

/// A source that refuses every range past its first `allow` bytes, like a server that drops the connection.
#[derive(Debug)]
struct Refusing {
    data: Vec<u8>,
    allow: u64,
}

impl RangeSource for Refusing {
    fn len(&self) -> u64 {
        self.data.len() as u64
    }

    fn read_exact_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        if offset + buf.len() as u64 > self.allow {
            return Err(io::Error::new(
                io::ErrorKind::ConnectionRefused,
                "403 forbidden",
            ));
        }
        self.data.as_slice().read_exact_at(offset, buf)
    }
}

#[test]
fn a_source_that_fails_is_an_error_never_clean() {
    for rel in [
        "benign/torch_zip.pt",
        "malicious/torch_zip.pt",
        "benign/model.safetensors",
    ] {
        let data = std::fs::read(corpus().join(rel)).unwrap();
        // The first bytes can be read (the format is recognised), then the server refuses.
        let src = NamedSource::new(rel, Arc::new(Refusing { data, allow: 64 }));
        let report = scan_source(&src, &ScanOptions::default());
        assert_eq!(report.artifacts.len(), 1, "{rel}");
        let v = report.artifacts[0].verdict;
        assert_eq!(v.completeness, Completeness::Error, "{rel}: {v:?}");
        assert!(!v.is_clean(), "{rel}");
        assert_eq!(report.errors.len(), 1, "{rel}");
        assert!(
            report.errors[0].message.contains("403 forbidden"),
            "{:?}",
            report.errors
        );
        assert_eq!(report.errors[0].path.as_deref(), Some(rel));
    }
}

#[test]
fn a_known_digest_is_reported_without_reading_and_hashing_reads_everything() {
    // A checkpoint with 2 MiB of tensor storage: the scan reads its directory and pickle only.
    let mut zip = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("archive/data.pkl", stored).unwrap();
    io::Write::write_all(&mut zip, b"\x80\x02K\x01.").unwrap();
    zip.start_file("archive/data/0", stored).unwrap();
    io::Write::write_all(&mut zip, &vec![7u8; 2 << 20]).unwrap();
    let data = zip.finish().unwrap().into_inner();
    let digest = mlsc_core::Sha256Digest::of(&data).to_hex();
    let src = NamedSource::new("m.pt", Arc::new(data.clone())).with_sha256(&digest);
    let mut options = ScanOptions::default();
    options.hash = true;
    let known = scan_source(&src, &options);
    assert_eq!(known.artifacts[0].sha256.as_deref(), Some(digest.as_str()));
    assert!(known.statistics.bytes_read < data.len() as u64);
    let unknown = scan_source(&NamedSource::new("m.pt", Arc::new(data.clone())), &options);
    assert_eq!(
        unknown.artifacts[0].sha256.as_deref(),
        Some(digest.as_str())
    );
    assert!(unknown.statistics.bytes_read >= data.len() as u64);
}
