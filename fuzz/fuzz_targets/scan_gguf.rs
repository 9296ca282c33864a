#![no_main]
//! The GGUF metadata parser and chat-template check on any bytes after the GGUF magic: never a panic, a hang or an allocation the input asks for; the limits are small so bombs stop early.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut input = Vec::with_capacity(data.len() + 8);
    input.extend_from_slice(b"GGUF");
    input.extend_from_slice(data);
    let mut options = mlsc_pickle::ScanOptions::default();
    options.max_memory_bytes = 64 << 20;
    options.limits.max_decompressed_bytes = 64 << 20;
    let report = mlsc_pickle::scan_bytes("fuzz", &input, &options);
    assert_eq!(report.artifacts.len(), 1);
});
