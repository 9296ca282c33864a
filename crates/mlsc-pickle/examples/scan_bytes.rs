//! Scans bytes in memory with `mlsc_pickle::scan_bytes`: a file named on the command line, or two built-in
//! pickles (one harmless, one that would run `echo pwned` when loaded).
//!
//! `cargo run -p mlsc-pickle --example scan_bytes [FILE]`
#![allow(clippy::print_stdout)] // an example prints what it found

use mlsc_pickle::{Report, ScanOptions, scan_bytes};

fn main() -> std::io::Result<()> {
    let inputs: Vec<(String, Vec<u8>)> = match std::env::args().nth(1) {
        Some(path) => vec![(path.clone(), std::fs::read(&path)?)],
        None => vec![
            // pickle.dumps({'a': 1}, protocol=2)
            (
                "clean.pkl".into(),
                b"\x80\x02}q\x00X\x01\x00\x00\x00aq\x01K\x01s.".to_vec(),
            ),
            // A protocol 0 pickle calling os.system('echo pwned'): never loaded, only read.
            (
                "evil.pkl".into(),
                b"cos\nsystem\n(S'echo pwned'\ntR.".to_vec(),
            ),
        ],
    };
    let options = ScanOptions::default();
    for (name, bytes) in &inputs {
        let report: Report = scan_bytes(name, bytes, &options);
        for artifact in &report.artifacts {
            println!(
                "{}: {} ({} bytes), verdict {}",
                artifact.path, artifact.format, artifact.size, artifact.verdict
            );
        }
        for f in &report.findings {
            println!(
                "  {} {} at {}: {}",
                f.severity, f.code, f.location, f.message
            );
        }
    }
    Ok(())
}
