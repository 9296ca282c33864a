//! The pickle analyser on a generated 50 MB benign pickle of about 13 million opcodes (protocol 4, framed, a
//! list of record dicts with strings, floats, ints, tuples, lists, memo references and allowlisted REDUCEs),
//! from a slice and streamed from a file.
//!
//! Run: `cargo bench -p mlsc-benches --bench pickle`. Peak memory of the streaming path, in a fresh process:
//! `MLSC_PICKLE_WRITE=/tmp/b.pkl cargo bench -p mlsc-benches --bench pickle` writes the input, then
//! `MLSC_PICKLE_STREAM=/tmp/b.pkl cargo bench -p mlsc-benches --bench pickle` streams it and prints VmHWM.
//! `benches/compare-pickle-peers.sh` runs the peers on the same file.

use std::io::Write;

use divan::counter::BytesCount;
use mlsc_pickle::{AnalyseOptions, analyse_pickle, analyse_reader};

/// About 50 MB.
const RECORDS: usize = 480_000;

/// Writes the benchmark pickle: `[{"id": i, "name": …, "desc": …, "score": f, "tags": [a, b, c], "pos": (x, y)},
/// …]` with an `OrderedDict()` and a `datetime` every 1000 records, framed as `pickle.dumps(protocol=4)` frames.
pub fn benign_pickle() -> (Vec<u8>, u64) {
    let mut body = Vec::with_capacity(56 << 20);
    let mut ops = 0u64;
    let mut memo = 0u32;
    // Frames end on opcode boundaries, as pickle's framer cuts them.
    let mut cuts = vec![0usize];
    let mut op = |body: &mut Vec<u8>, bytes: &[u8]| {
        if body.len() - cuts.last().copied().unwrap_or(0) >= 64 << 10 {
            cuts.push(body.len());
        }
        body.extend_from_slice(bytes);
        ops += 1;
    };
    let sbu = |s: &str| {
        let mut v = vec![0x8c, s.len() as u8];
        v.extend_from_slice(s.as_bytes());
        v
    };
    // The top-level list and the keys, memoized once and fetched with BINGET after.
    op(&mut body, b"]");
    op(&mut body, &[0x94]);
    memo += 1;
    let keys = ["id", "name", "desc", "score", "tags", "pos"];
    let mut key_idx = [0u8; 6];
    let mut first = true;
    for r in 0..RECORDS {
        if r % 1000 == 0 {
            op(&mut body, b"(");
        }
        op(&mut body, b"}");
        op(&mut body, &[0x94]);
        memo += 1;
        op(&mut body, b"(");
        for (k, key) in keys.iter().enumerate() {
            if first {
                op(&mut body, &sbu(key));
                op(&mut body, &[0x94]);
                key_idx[k] = memo as u8;
                memo += 1;
            } else {
                op(&mut body, &[b'h', key_idx[k]]);
            }
            match k {
                0 => {
                    let mut v = vec![b'J'];
                    v.extend_from_slice(&(r as i32).to_le_bytes());
                    op(&mut body, &v);
                }
                1 => {
                    op(&mut body, &sbu(&format!("record-name-{r:08}")));
                    op(&mut body, &[0x94]);
                    memo += 1;
                }
                2 => {
                    op(&mut body, &sbu(&format!("a description of record {r:09}")));
                    op(&mut body, &[0x94]);
                    memo += 1;
                }
                3 => {
                    let mut v = vec![b'G'];
                    v.extend_from_slice(&(r as f64 * 0.5).to_be_bytes());
                    op(&mut body, &v);
                }
                4 => {
                    op(&mut body, b"]");
                    op(&mut body, &[0x94]);
                    memo += 1;
                    op(&mut body, b"(");
                    for t in 0..3u8 {
                        op(&mut body, &[b'K', (r as u8).wrapping_add(t)]);
                    }
                    op(&mut body, b"e");
                }
                _ => {
                    op(&mut body, &[b'M', r as u8, (r >> 8) as u8]);
                    op(&mut body, &[b'M', (r >> 3) as u8, 1]);
                    op(&mut body, &[0x86]);
                    op(&mut body, &[0x94]);
                    memo += 1;
                }
            }
        }
        first = false;
        op(&mut body, b"u");
        if r % 1000 == 999 {
            // An allowlisted invocation now and then: OrderedDict() and datetime.
            op(&mut body, &sbu("collections"));
            op(&mut body, &sbu("OrderedDict"));
            op(&mut body, &[0x93]);
            op(&mut body, b")");
            op(&mut body, b"R");
            op(&mut body, b"e");
        }
    }
    if !RECORDS.is_multiple_of(1000) {
        op(&mut body, b"e");
    }
    op(&mut body, b".");
    // Frames of 64 KiB as pickle writes them (the last one carries the STOP).
    let mut out = Vec::with_capacity(body.len() + body.len() / 7000 + 16);
    out.extend_from_slice(&[0x80, 4]);
    cuts.push(body.len());
    for w in cuts.windows(2) {
        let chunk = &body[w[0]..w[1]];
        out.push(0x95);
        out.extend_from_slice(&(chunk.len() as u64).to_le_bytes());
        out.extend_from_slice(chunk);
        ops += 1;
    }
    (out, ops + 1)
}

/// User plus system CPU seconds of this process (the machine is shared, so wall time overstates the cost).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses: utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')').map_or("", |r| r.1);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[allow(
    clippy::print_stdout,
    reason = "the file modes report their figures on stdout"
)]
fn main() {
    // `MLSC_PICKLE_WRITE=FILE`: write the benchmark pickle (for the peers) and exit.
    if let Some(path) = std::env::var_os("MLSC_PICKLE_WRITE") {
        let (data, ops) = benign_pickle();
        std::fs::File::create(&path)
            .and_then(|mut f| f.write_all(&data))
            .expect("write the benchmark pickle");
        println!("wrote {} bytes, {ops} opcodes", data.len());
        return;
    }
    // `MLSC_PICKLE_STREAM=FILE`: stream FILE through the analyser in this fresh process and print the peak RSS.
    if let Some(path) = std::env::var_os("MLSC_PICKLE_STREAM") {
        let file = std::fs::File::open(&path).expect("open");
        let size = file.metadata().expect("metadata").len();
        let (start, cpu0) = (std::time::Instant::now(), cpu_seconds());
        let a = analyse_reader(file, &AnalyseOptions::default()).expect("read");
        let (secs, cpu) = (start.elapsed().as_secs_f64(), cpu_seconds() - cpu0);
        println!(
            "streamed {size} bytes, {} opcodes, verdict {}, {} findings: {:.0} MB/s wall, {:.0} MB/s per CPU second; peak RSS {} KiB",
            a.opcodes,
            a.verdict,
            a.findings.len(),
            size as f64 / secs / 1e6,
            size as f64 / cpu.max(0.01) / 1e6,
            peak_rss_kib(),
        );
        for f in a.findings.iter().take(5) {
            println!("  {} {}: {}", f.code, f.location, f.message);
        }
        // The slice path on the same bytes (after the RSS figure above, which it would inflate).
        let data = std::fs::read(&path).expect("read");
        let (start, cpu0) = (std::time::Instant::now(), cpu_seconds());
        let b = analyse_pickle(&data, &AnalyseOptions::default());
        let (secs, cpu) = (start.elapsed().as_secs_f64(), cpu_seconds() - cpu0);
        println!(
            "slice: verdict {}: {:.0} MB/s wall, {:.0} MB/s per CPU second",
            b.verdict,
            size as f64 / secs / 1e6,
            size as f64 / cpu.max(0.01) / 1e6,
        );
        return;
    }
    divan::main();
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn slice_50mb(bencher: divan::Bencher) {
    let (data, _) = benign_pickle();
    let a = analyse_pickle(&data, &AnalyseOptions::default());
    assert!(a.verdict.is_clean(), "{:?}", a.findings.first());
    bencher
        .counter(BytesCount::new(data.len()))
        .bench(|| analyse_pickle(divan::black_box(&data), &AnalyseOptions::default()));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn streamed_from_file_50mb(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("bench.pkl");
    let (data, _) = benign_pickle();
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(&data))
        .expect("write the benchmark pickle");
    bencher.counter(BytesCount::new(data.len())).bench(|| {
        let f = std::fs::File::open(&path).expect("open");
        analyse_reader(f, &AnalyseOptions::default()).expect("read")
    });
}
