//! Issue 18, limits that scale: a plain pickle of 2 million `(int, float, str)` tuples (about 54 MB, what
//! `pickle.dumps` writes for a large vocabulary or embedding index) is complete and clean, streamed in bounded
//! memory. It is generated here on the fly, byte for byte as CPython's pickler writes it at protocol 4 (without
//! FRAME opcodes, which are optional), so no 50 MB file is committed and the stream never sits in memory.
//!
//! Alone in its test binary so that the process's peak resident set (`VmHWM`) measures this analysis only.

#![allow(clippy::print_stderr)] // the measured peak is worth seeing in the test log

use std::io::Read;

use mlsc_core::Completeness;
use mlsc_pickle::{AnalyseOptions, analyse_reader};

/// `pickle.dumps([(i, float(i), f"w{i:07}") for i in range(n)], protocol=4)`, minus framing.
struct TupleStream {
    n: u32,
    i: u32,
    buf: Vec<u8>,
    pos: usize,
    stage: u8,
}

impl TupleStream {
    fn new(n: u32) -> Self {
        TupleStream {
            n,
            i: 0,
            buf: Vec::with_capacity(1 << 16),
            pos: 0,
            stage: 0,
        }
    }

    fn refill(&mut self) {
        self.buf.clear();
        self.pos = 0;
        match self.stage {
            0 => {
                // PROTO 4, EMPTY_LIST, MEMOIZE, MARK
                self.buf.extend_from_slice(&[0x80, 4, b']', 0x94, b'(']);
                self.stage = 1;
            }
            1 => {
                while self.i < self.n && self.buf.len() < 60_000 {
                    let i = self.i;
                    if i > 0 && i.is_multiple_of(1000) {
                        // APPENDS every 1000 items, then a new MARK (batched like CPython)
                        self.buf.extend_from_slice(b"e(");
                    }
                    if i < 256 {
                        self.buf.extend_from_slice(&[b'K', i as u8]);
                    } else if i < 65536 {
                        self.buf.push(b'M');
                        self.buf.extend_from_slice(&(i as u16).to_le_bytes());
                    } else {
                        self.buf.push(b'J');
                        self.buf.extend_from_slice(&i.to_le_bytes());
                    }
                    self.buf.push(b'G');
                    self.buf.extend_from_slice(&f64::from(i).to_be_bytes());
                    let s = format!("w{i:07}");
                    self.buf.push(0x8c);
                    self.buf.push(s.len() as u8);
                    self.buf.extend_from_slice(s.as_bytes());
                    // MEMOIZE the string, TUPLE3, MEMOIZE the tuple
                    self.buf.extend_from_slice(&[0x94, 0x87, 0x94]);
                    self.i += 1;
                }
                if self.i == self.n {
                    self.stage = 2;
                }
            }
            2 => {
                // APPENDS, STOP
                self.buf.extend_from_slice(b"e.");
                self.stage = 3;
            }
            _ => {}
        }
    }
}

impl Read for TupleStream {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.buf.len() {
            if self.stage == 3 {
                return Ok(0);
            }
            self.refill();
        }
        let k = out.len().min(self.buf.len() - self.pos);
        out[..k].copy_from_slice(&self.buf[self.pos..self.pos + k]);
        self.pos += k;
        Ok(k)
    }
}

/// Peak resident set of this process, in bytes (Linux only).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[test]
fn two_million_tuples_are_complete_and_clean_in_64_mb() {
    const N: u32 = 2_000_000;
    let mut counted = 0u64;
    let mut s = TupleStream::new(N);
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        let k = s.read(&mut chunk).expect("in memory");
        if k == 0 {
            break;
        }
        counted += k as u64;
    }
    assert!(counted > 50_000_000, "{counted} bytes");

    let a = analyse_reader(TupleStream::new(N), &AnalyseOptions::default()).expect("in memory");
    assert_eq!(
        a.verdict.completeness,
        Completeness::Complete,
        "{:?}",
        a.findings
    );
    assert!(a.verdict.is_clean(), "{:?}", a.findings);
    assert!(a.findings.is_empty(), "{:?}", a.findings);
    assert_eq!(a.end as u64, counted);
    if let Some(peak) = peak_rss() {
        eprintln!("peak resident set {} MiB for {counted} bytes", peak >> 20);
        assert!(
            peak <= 64 << 20,
            "peak resident set {} MiB for a {} MB pickle",
            peak >> 20,
            counted / 1_000_000
        );
    }
}
