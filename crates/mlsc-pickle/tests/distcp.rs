//! Distributed checkpoint shards (`*.distcp`): every `torch.save` archive a shard holds for its non-tensor values
//! is analysed, not only the one a zip reader finds. The shard here is assembled byte for byte the way
//! `torch.distributed.checkpoint` lays one out (tensor bytes, then one stored `archive/data.pkl` zip per value); the
//! real one from torch is in `tests/fixtures/real/torch/dcp/`.

use mlsc_core::{Assessment, Severity};
use mlsc_pickle::{ScanOptions, scan_paths};

/// A stored zip member `archive/data.pkl` holding `pickle`, with a data descriptor as torch writes it, and the rest
/// of a minimal archive (central directory and end record) so that zip readers accept it.
fn torch_save_zip(pickle: &[u8]) -> Vec<u8> {
    let name = b"archive/data.pkl";
    let mut z = Vec::new();
    z.extend_from_slice(b"PK\x03\x04");
    z.extend_from_slice(&[0, 0, 8, 0, 0, 0]); // version, flags (data descriptor), method 0 (stored)
    z.extend_from_slice(&[0; 16]); // time, date, crc, sizes (in the descriptor)
    z.extend_from_slice(&(name.len() as u16).to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z.extend_from_slice(name);
    z.extend_from_slice(pickle);
    z.extend_from_slice(b"PK\x07\x08");
    z.extend_from_slice(&[0; 4]);
    z.extend_from_slice(&(pickle.len() as u32).to_le_bytes());
    z.extend_from_slice(&(pickle.len() as u32).to_le_bytes());
    z
}

#[test]
fn every_archive_in_a_shard_is_analysed() {
    let benign = b"\x80\x02K\x03.";
    // posix.system('echo pwned'), never run: this test only scans it.
    let evil = b"\x80\x04\x8c\x05posix\x8c\x06system\x93\x8c\x0aecho pwned\x85R.";
    let mut shard = torch_save_zip(benign);
    shard.extend_from_slice(&[0x11; 64]); // tensor bytes
    shard.extend_from_slice(&torch_save_zip(evil));
    shard.extend_from_slice(&[0x22; 32]);
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("__0_0.distcp");
    std::fs::write(&path, &shard).expect("write the shard");
    let report = scan_paths(&[path], &ScanOptions::default());
    assert_eq!(
        report.artifacts[0].verdict.assessment,
        Assessment::Malicious
    );
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.severity == Severity::Critical && f.message.contains("posix.system")),
        "{:#?}",
        report.findings
    );

    // A shard whose values are all benign is clean.
    let benign_only = [torch_save_zip(benign), vec![0x11; 64]].concat();
    let path = dir.path().join("__1_0.distcp");
    std::fs::write(&path, &benign_only).expect("write the shard");
    let report = scan_paths(&[path], &ScanOptions::default());
    assert!(
        report.artifacts[0].verdict.is_clean(),
        "{:#?}",
        report.findings
    );
}
