#![no_main]
//! The Python source analyser (TorchScript code/, torch.package modules, `.py` files) on any bytes named `.py`:
//! never a panic, a stack overflow or a hang; a source it cannot bound is inconclusive.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = mlsc_pickle::scan_bytes("fuzz.py", data, &mlsc_pickle::ScanOptions::default());
    assert_eq!(report.artifacts.len(), 1);
    // A source that could not be parsed is never clean.
    if std::str::from_utf8(data).is_err() {
        assert!(!report.artifacts[0].verdict.is_clean());
    }
});
