//! `scan_paths` over the real files of `tests/fixtures/real` (163 files from 33 libraries, written by the
//! libraries themselves), and the analyser on the 2-million-tuple pickle of issue 18 (about 54 MB of
//! `(int, float, str)` tuples, as `pickle.dumps(protocol=4)` writes a vocabulary or an index).
//!
//! Run: `cargo bench -p mlsc-benches --bench real`.

use std::path::PathBuf;

use divan::counter::BytesCount;
use mlsc_pickle::{AnalyseOptions, ScanOptions, analyse_pickle, analyse_reader, scan_paths};

fn real_root() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/real"
    ))
}

/// `pickle.dumps([(i, float(i), f"w{i:07}") for i in range(n)], protocol=4)` without FRAME opcodes.
fn tuple_pickle(n: u32) -> Vec<u8> {
    let mut v = Vec::with_capacity(28 * n as usize + 16);
    v.extend_from_slice(&[0x80, 4, b']', 0x94, b'(']);
    for i in 0..n {
        if i > 0 && i.is_multiple_of(1000) {
            v.extend_from_slice(b"e(");
        }
        if i < 256 {
            v.extend_from_slice(&[b'K', i as u8]);
        } else if i < 65536 {
            v.push(b'M');
            v.extend_from_slice(&(i as u16).to_le_bytes());
        } else {
            v.push(b'J');
            v.extend_from_slice(&i.to_le_bytes());
        }
        v.push(b'G');
        v.extend_from_slice(&f64::from(i).to_be_bytes());
        let s = format!("w{i:07}");
        v.extend_from_slice(&[0x8c, s.len() as u8]);
        v.extend_from_slice(s.as_bytes());
        v.extend_from_slice(&[0x94, 0x87, 0x94]);
    }
    v.extend_from_slice(b"e.");
    v
}

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn scan_real_fixtures(bencher: divan::Bencher) {
    let root = real_root();
    let bytes: u64 = walk(&root);
    let report = scan_paths(std::slice::from_ref(&root), &ScanOptions::default());
    assert!(
        report.artifacts.len() >= 150,
        "{} artefacts",
        report.artifacts.len()
    );
    bencher.counter(BytesCount::new(bytes)).bench(|| {
        scan_paths(
            divan::black_box(std::slice::from_ref(&root)),
            &ScanOptions::default(),
        )
    });
}

fn walk(dir: &std::path::Path) -> u64 {
    let mut total = 0;
    for e in std::fs::read_dir(dir)
        .expect("the fixtures are committed")
        .flatten()
    {
        let p = e.path();
        if p.is_dir() {
            total += walk(&p);
        } else {
            total += e.metadata().map_or(0, |m| m.len());
        }
    }
    total
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn tuples_2m_slice(bencher: divan::Bencher) {
    let data = tuple_pickle(2_000_000);
    let a = analyse_pickle(&data, &AnalyseOptions::default());
    assert!(
        a.verdict.is_clean() && a.findings.is_empty(),
        "{:?}",
        a.findings.first()
    );
    bencher
        .counter(BytesCount::new(data.len()))
        .bench(|| analyse_pickle(divan::black_box(&data), &AnalyseOptions::default()));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn tuples_2m_streamed(bencher: divan::Bencher) {
    let data = tuple_pickle(2_000_000);
    bencher.counter(BytesCount::new(data.len())).bench(|| {
        analyse_reader(
            divan::black_box(data.as_slice()),
            &AnalyseOptions::default(),
        )
        .expect("in memory")
    });
}
