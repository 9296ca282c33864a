#![no_main]
//! DVC verification must never panic on any `.dvc` or `dvc.lock` text, and never read outside the project.

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use mlsc_provenance::{DvcOptions, verify_dvc};

static PROJECT: LazyLock<tempfile::TempDir> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::create_dir_all(dir.path().join("data/sub")).expect("mkdir");
    std::fs::write(dir.path().join("data/a.csv"), b"a,b\r\n1,2\r\n").expect("write");
    std::fs::write(dir.path().join("data/sub/n.txt"), b"hello").expect("write");
    dir
});

fuzz_target!(|data: &[u8]| {
    let dir = PROJECT.path();
    let (name, body) = match data.split_first() {
        Some((b, rest)) if b % 2 == 0 => ("data.dvc", rest),
        Some((_, rest)) => ("dvc.lock", rest),
        None => return,
    };
    let path = dir.join(name);
    if std::fs::write(&path, body).is_ok() {
        let _ = verify_dvc(&path, &DvcOptions::default());
    }
});
