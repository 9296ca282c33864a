#![no_main]
//! The Hugging Face repository check (auto_map, trust_remote_code, _target_, architectures) on any config.json
//! beside a modeling file: never a panic; a config that names local code is never clean.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // The first half is config.json, the rest a Python module the config may name.
    let cut = data.len() / 2;
    std::fs::write(dir.path().join("config.json"), &data[..cut]).expect("write");
    std::fs::write(dir.path().join("modeling_x.py"), &data[cut..]).expect("write");
    let report = mlsc_pickle::scan_paths(&[dir.path().to_path_buf()], &mlsc_pickle::ScanOptions::default());
    assert_eq!(report.artifacts.len(), 2);
    if report.findings.iter().any(|f| f.code == "MLSC-CODE-012") {
        assert!(report.fails(mlsc_core::Severity::Medium));
    }
});
