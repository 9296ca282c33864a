//! `scan_paths` on the generated corpus (`tests/gen/gen_containers.py`) and on inputs the standard library cannot
//! write (zstd, lz4, 7z, symbolic links), made here at run time.
//!
//! At the default threshold (`medium`): every malicious file fails with a malicious verdict, every benign one
//! passes, every malformed pickle-free file fails as suspicious, every bomb or over-deep nesting is inconclusive.

#![allow(clippy::print_stderr)] // skipped cases say why on stderr

use std::path::{Path, PathBuf};

use mlsc_core::{Assessment, Completeness, Report, Severity};
use mlsc_pickle::{ScanOptions, scan_bytes, scan_paths};

fn corpus() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/scan"
    ))
}

fn scan(path: &Path) -> Report {
    scan_paths(&[path.to_path_buf()], &ScanOptions::default())
}

/// True when the pickle analyser is the real one (a trivially benign pickle comes back clean).
fn analyser_is_real() -> bool {
    scan_bytes("probe", b"\x80\x04K\x01.", &ScanOptions::default()).artifacts[0]
        .verdict
        .is_clean()
}

fn check(report: &Report, rel: &str, expect: &str) {
    assert!(
        report.errors.is_empty(),
        "{rel}: errors {:?}",
        report.errors
    );
    assert_eq!(report.artifacts.len(), 1, "{rel}");
    let v = report.artifacts[0].verdict;
    let fails = report.fails(Severity::Medium);
    let shown = || format!("{rel}: verdict {v}, findings {:#?}", report.findings);
    match expect {
        "malicious" => assert!(
            fails && v.assessment == Assessment::Malicious,
            "{}",
            shown()
        ),
        "benign" => assert!(!fails && v.is_clean(), "{}", shown()),
        "suspicious" => assert!(
            fails && v.assessment == Assessment::Suspicious,
            "{}",
            shown()
        ),
        "inconclusive" => {
            assert!(
                fails && v.completeness == Completeness::Inconclusive,
                "{}",
                shown()
            )
        }
        other => panic!("unknown expectation {other}"),
    }
}

#[test]
fn generated_corpus_meets_its_manifest() {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(corpus().join("manifest.json")).unwrap()).unwrap();
    let real = analyser_is_real();
    let mut checked = 0;
    let mut skipped = 0;
    for entry in manifest.as_array().unwrap() {
        let rel = entry["file"].as_str().unwrap();
        let expect = entry["expect"].as_str().unwrap();
        let has_pickles = !entry["pickles"].as_array().unwrap().is_empty();
        if has_pickles && !real {
            eprintln!("skipping {rel}: the pickle analyser is still the provisional stub");
            skipped += 1;
            continue;
        }
        check(&scan(&corpus().join(rel)), rel, expect);
        checked += 1;
    }
    assert!(checked >= 35, "only {checked} files checked");
    assert_eq!(checked + skipped, manifest.as_array().unwrap().len());
}

#[test]
fn whole_corpus_directory_in_one_scan_is_deterministic() {
    let mut opts = ScanOptions::default();
    opts.exclude = vec!["fuzz".into()];
    let a = scan_paths(&[corpus()], &opts);
    let b = scan_paths(&[corpus()], &opts);
    let paths = |r: &Report| {
        r.artifacts
            .iter()
            .map(|a| a.path.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(paths(&a), paths(&b));
    assert_eq!(a.findings, b.findings);
    // manifest.json is listed too: every file is accounted for.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(corpus().join("manifest.json")).unwrap()).unwrap();
    assert_eq!(a.artifacts.len(), manifest.as_array().unwrap().len() + 1);
    assert!(a.errors.is_empty(), "{:?}", a.errors);
}

fn evil_pickle() -> Vec<u8> {
    b"\x80\x02cposix\nsystem\nq\x00X\x0a\x00\x00\x00echo pwnedq\x01\x85q\x02Rq\x03.".to_vec()
}

fn benign_pickle() -> Vec<u8> {
    b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00}\x94(\x8c\x01a\x94K\x01\x8c\x01b\x94K\x02u."
        .to_vec()
}

fn check_bytes(name: &str, data: &[u8], expect: &str) {
    if !analyser_is_real() {
        eprintln!("skipping {name}: the pickle analyser is still the provisional stub");
        return;
    }
    check(
        &scan_bytes(name, data, &ScanOptions::default()),
        name,
        expect,
    );
}

#[test]
fn zstd_lz4_and_7z_are_opened() {
    for (label, pk) in [("malicious", evil_pickle()), ("benign", benign_pickle())] {
        let zst =
            ruzstd::encoding::compress_to_vec(&pk[..], ruzstd::encoding::CompressionLevel::Fastest);
        check_bytes(&format!("{label}.joblib.zst"), &zst, label);
        let mut lz = lz4_flex::frame::FrameEncoder::new(Vec::new());
        std::io::Write::write_all(&mut lz, &pk).unwrap();
        check_bytes(&format!("{label}.joblib.lz4"), &lz.finish().unwrap(), label);
        let mut cur = std::io::Cursor::new(Vec::new());
        let mut w = sevenz_rust2::ArchiveWriter::new(&mut cur).unwrap();
        w.push_archive_entry(
            sevenz_rust2::ArchiveEntry::new_file("model/model.pkl"),
            Some(&pk[..]),
        )
        .unwrap();
        w.finish().unwrap();
        check_bytes(&format!("{label}.7z"), cur.get_ref(), label);
    }
}

#[test]
fn bombs_stop_at_the_limits_without_big_allocations() {
    // 64 MiB of zeros as zstd is a few KiB: stopped by the ratio check at 16 MiB.
    let zeros = vec![0u8; 64 << 20];
    let zst =
        ruzstd::encoding::compress_to_vec(&zeros[..], ruzstd::encoding::CompressionLevel::Fastest);
    let r = scan_bytes("bomb.zst", &zst, &ScanOptions::default());
    assert_eq!(
        r.artifacts[0].verdict.completeness,
        Completeness::Inconclusive
    );
    assert!(
        r.findings.iter().any(|f| f.code == "MLSC-SCAN-004"),
        "{:#?}",
        r.findings
    );
    // A tight memory limit is honoured too.
    let mut opts = ScanOptions::default();
    opts.max_memory_bytes = 1 << 20;
    let gz = std::fs::read(corpus().join("inconclusive/bomb.gz")).unwrap();
    let r = scan_bytes("bomb.gz", &gz, &opts);
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "MLSC-SCAN-004")
        .unwrap();
    assert!(f.message.contains("1048576"), "{}", f.message);
}

#[test]
fn fuzz_crashes_stay_fixed() {
    // Inputs `cargo fuzz` found (with the target's magic prefix included), scanned whole.
    let mut n = 0;
    for entry in std::fs::read_dir(corpus().join("fuzz")).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let r = scan_bytes(&path.display().to_string(), &data, &ScanOptions::default());
        assert_eq!(r.artifacts.len(), 1);
        n += 1;
    }
    assert!(n >= 1);
}

#[test]
fn garbage_and_truncations_never_panic() {
    let mut seed = 0x1234_5678_9abc_def0u64;
    let files = [
        "benign/torch_zip.pt",
        "benign/model.safetensors",
        "benign/chatml.gguf",
        "benign/model.onnx",
        "benign/object.npy",
        "benign/bundle.tar.gz",
        "benign/model.keras",
        "benign/legacy.pt",
    ];
    for rel in files {
        let data = std::fs::read(corpus().join(rel)).unwrap();
        for cut in (0..data.len()).step_by(data.len() / 40 + 1) {
            let _ = scan_bytes(rel, &data[..cut], &ScanOptions::default());
        }
        for _ in 0..40 {
            let mut d = data.clone();
            for _ in 0..4 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let i = (seed as usize) % d.len();
                d[i] = (seed >> 32) as u8;
            }
            let _ = scan_bytes(rel, &d, &ScanOptions::default());
        }
    }
}

#[cfg(unix)]
#[test]
fn hugging_face_cache_links_are_followed_other_links_reported() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("models--org--name");
    let snap = repo.join("snapshots/abc123");
    std::fs::create_dir_all(&snap).unwrap();
    std::fs::create_dir_all(repo.join("blobs")).unwrap();
    std::fs::write(repo.join("blobs/1111"), evil_pickle()).unwrap();
    std::fs::write(repo.join("blobs/2222"), b"{\"a\": 1}").unwrap();
    symlink("../../blobs/1111", snap.join("pytorch_model.bin")).unwrap();
    symlink("../../blobs/2222", snap.join("config.json")).unwrap();
    // Scanning the snapshot: the links leave it, into the cache's blobs, and are followed.
    let r = scan(&snap);
    let names: Vec<_> = r
        .artifacts
        .iter()
        .map(|a| a.path.rsplit('/').next().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["config.json", "pytorch_model.bin"], "{r:#?}");
    assert!(!r.findings.iter().any(|f| f.code == "MLSC-SCAN-002"));
    // Scanning the whole repository: each blob once, under its snapshot name.
    let r = scan(&repo);
    assert_eq!(r.artifacts.len(), 2, "{:#?}", r.artifacts);
    assert!(r.artifacts.iter().all(|a| a.path.contains("snapshots")));
    if analyser_is_real() {
        assert_eq!(r.verdict().assessment, Assessment::Malicious);
    }

    // A link out of the tree is reported, not followed; a directory loop is harmless.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret"), b"x").unwrap();
    let tree = dir.path().join("tree");
    std::fs::create_dir_all(tree.join("sub")).unwrap();
    std::fs::write(tree.join("sub/model.bin"), benign_pickle()).unwrap();
    symlink(outside.path().join("secret"), tree.join("leak")).unwrap();
    symlink("..", tree.join("sub/loop")).unwrap();
    symlink("missing", tree.join("dangling")).unwrap();
    // A FIFO would block a reader forever: it is not a file to scan.
    assert!(
        std::process::Command::new("mkfifo")
            .arg(tree.join("sub/pipe"))
            .status()
            .is_ok_and(|s| s.success())
    );
    let r = scan(&tree);
    assert_eq!(r.artifacts.len(), 1, "{:#?}", r.artifacts);
    let leak = r
        .findings
        .iter()
        .find(|f| f.code == "MLSC-SCAN-002")
        .unwrap();
    assert!(leak.location.path.ends_with("leak"));
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "MLSC-SCAN-011" && f.location.path.ends_with("loop"))
    );
    assert!(r.fails(Severity::Medium));
}

#[test]
fn include_and_exclude_globs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a/skip")).unwrap();
    std::fs::write(dir.path().join("a/model.bin"), benign_pickle()).unwrap();
    std::fs::write(dir.path().join("a/skip/model.bin"), evil_pickle()).unwrap();
    std::fs::write(dir.path().join("a/notes.txt"), b"hello").unwrap();
    let mut opts = ScanOptions::default();
    opts.include = vec!["*.bin".into()];
    opts.exclude = vec!["**/skip".into()];
    let r = scan_paths(&[dir.path().to_path_buf()], &opts);
    let names: Vec<_> = r.artifacts.iter().map(|a| a.path.clone()).collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].ends_with("a/model.bin"));
    // Version-control folders are skipped unless asked for.
    std::fs::create_dir_all(dir.path().join("a/.git/objects")).unwrap();
    std::fs::write(dir.path().join("a/.git/objects/x.bin"), evil_pickle()).unwrap();
    let r = scan_paths(&[dir.path().to_path_buf()], &opts);
    assert_eq!(r.artifacts.len(), 1);
    opts.vcs_dirs = true;
    let r = scan_paths(&[dir.path().to_path_buf()], &opts);
    assert_eq!(r.artifacts.len(), 2);
    // A bad glob is an error naming it, not a panic.
    opts.include = vec!["a[".into()];
    let r = scan_paths(&[dir.path().to_path_buf()], &opts);
    assert!(r.errors.iter().any(|e| e.message.contains("a[")));
}

#[test]
fn missing_path_is_an_error_and_the_rest_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.bin"), benign_pickle()).unwrap();
    let r = scan_paths(
        &[dir.path().join("missing.pt"), dir.path().join("ok.bin")],
        &ScanOptions::default(),
    );
    assert_eq!(r.artifacts.len(), 1);
    assert_eq!(r.errors.len(), 1);
    assert!(r.errors[0].path.as_deref().unwrap().ends_with("missing.pt"));
}

#[test]
fn hashing_is_optional() {
    let path = corpus().join("benign/model.safetensors");
    let r = scan(&path);
    assert_eq!(r.artifacts[0].sha256, None);
    let mut opts = ScanOptions::default();
    opts.hash = true;
    let r = scan_paths(std::slice::from_ref(&path), &opts);
    let (digest, _) = mlsc_core::sha256_file(&path).unwrap();
    assert_eq!(
        r.artifacts[0].sha256.as_deref(),
        Some(digest.to_hex().as_str())
    );
}

#[test]
fn a_torch_checkpoint_reads_only_its_directory_and_pickle() {
    // 64 MiB of "tensor" in a stored member: the scan reads a few KiB.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.pt");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    let pk = benign_pickle();
    zip.start_file("archive/data.pkl", stored).unwrap();
    std::io::Write::write_all(&mut zip, &pk).unwrap();
    zip.start_file("archive/data/0", stored).unwrap();
    let block = vec![0x5au8; 1 << 20];
    for _ in 0..64 {
        std::io::Write::write_all(&mut zip, &block).unwrap();
    }
    zip.start_file("archive/version", stored).unwrap();
    std::io::Write::write_all(&mut zip, b"3\n").unwrap();
    zip.finish().unwrap();
    let r = scan(&path);
    assert!(
        r.statistics.bytes_read < 200_000,
        "read {} bytes",
        r.statistics.bytes_read
    );
    assert!(r.findings.iter().any(|f| f.code == "MLSC-ZIP-013"));
    if analyser_is_real() {
        assert!(r.artifacts[0].verdict.is_clean(), "{:#?}", r.findings);
    }
}

/// A pickle of `mib` MiB: a list of 1 MiB `BINBYTES`, then `suffix` (another pickle, for instance).
fn big_pickle(mib: usize, suffix: &[u8]) -> Vec<u8> {
    let mut p = b"\x80\x04](".to_vec();
    for _ in 0..mib {
        p.push(b'B');
        p.extend_from_slice(&(1u32 << 20).to_le_bytes());
        // Incompressible enough that no ratio limit applies.
        let mut x = 0x9E37_79B9_7F4A_7C15u64 ^ p.len() as u64;
        p.extend((0..1 << 20).map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        }));
    }
    p.extend_from_slice(b"e.");
    p.extend_from_slice(suffix);
    p
}

#[test]
fn large_pickles_are_streamed_with_offsets_kept() {
    if !analyser_is_real() {
        eprintln!("skipping: the pickle analyser is still the provisional stub");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let clean = big_pickle(17, b"");
    let evil = big_pickle(17, &evil_pickle());
    let payload_at = clean.len() as u64;
    for (name, data, malicious) in [("clean.pkl", &clean, false), ("evil.pkl", &evil, true)] {
        let path = dir.path().join(name);
        std::fs::write(&path, data).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, data).unwrap();
        let gz_path = dir.path().join(format!("{name}.gz"));
        std::fs::write(&gz_path, gz.finish().unwrap()).unwrap();
        let zip_path = dir.path().join(format!("{name}.zip"));
        let mut z = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("archive/data.pkl", deflated).unwrap();
        std::io::Write::write_all(&mut z, data).unwrap();
        z.finish().unwrap();
        for p in [&path, &gz_path, &zip_path] {
            let r = scan(p);
            let v = r.artifacts[0].verdict;
            assert_eq!(
                v.assessment == Assessment::Malicious,
                malicious,
                "{p:?}: {v} {:#?}",
                r.findings
            );
            assert_eq!(
                v.completeness,
                Completeness::Complete,
                "{p:?}: {:#?}",
                r.findings
            );
            if malicious {
                let f = r
                    .findings
                    .iter()
                    .find(|f| f.severity == Severity::Critical)
                    .unwrap();
                assert!(f.location.offset.unwrap() > payload_at, "{f:?}");
            }
        }
    }
}

/// A zip whose central directory lists one deflated member `copies` times, every entry pointing at the same
/// local header (an overlapping-member bomb): the per-file decompression budget stops it.
fn overlapping_bomb(copies: u16) -> Vec<u8> {
    let mut content = b"\x80\x04K\x01.".to_vec();
    content.resize(2 << 20, 0);
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut enc, &content).unwrap();
    let deflated = enc.finish().unwrap();
    let mut crc = flate2::Crc::new();
    crc.update(&content);
    let name = b"data.pkl";
    let mut z = Vec::new();
    z.extend_from_slice(b"PK\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00\x00\x00");
    z.extend_from_slice(&crc.sum().to_le_bytes());
    z.extend_from_slice(&(deflated.len() as u32).to_le_bytes());
    z.extend_from_slice(&(content.len() as u32).to_le_bytes());
    z.extend_from_slice(&(name.len() as u16).to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z.extend_from_slice(name);
    z.extend_from_slice(&deflated);
    let cd_at = z.len() as u32;
    for _ in 0..copies {
        z.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00\x00\x00\x08\x00\x00\x00\x00\x00");
        z.extend_from_slice(&crc.sum().to_le_bytes());
        z.extend_from_slice(&(deflated.len() as u32).to_le_bytes());
        z.extend_from_slice(&(content.len() as u32).to_le_bytes());
        z.extend_from_slice(&(name.len() as u16).to_le_bytes());
        z.extend_from_slice(&[0; 12]);
        z.extend_from_slice(&0u32.to_le_bytes());
        z.extend_from_slice(name);
    }
    let cd_len = z.len() as u32 - cd_at;
    z.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    z.extend_from_slice(&copies.to_le_bytes());
    z.extend_from_slice(&copies.to_le_bytes());
    z.extend_from_slice(&cd_len.to_le_bytes());
    z.extend_from_slice(&cd_at.to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z
}

#[test]
fn overlapping_members_share_one_decompression_budget() {
    let bomb = overlapping_bomb(2000);
    let mut opts = ScanOptions::default();
    opts.limits.max_decompressed_bytes = 64 << 20;
    let start = std::time::Instant::now();
    let r = scan_bytes("bomb.pt", &bomb, &opts);
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    assert_eq!(
        r.artifacts[0].verdict.completeness,
        Completeness::Inconclusive
    );
    assert!(
        r.findings.iter().any(|f| f.code == "MLSC-ZIP-011"),
        "overlap reported"
    );
    // 2000 copies of one member (same CRC and size) shadow nothing: the overlap is the finding, not the names.
    assert!(
        !r.findings.iter().any(|f| f.code == "MLSC-ARC-005"),
        "identical duplicates are no shadowing"
    );
    let limited: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.code == "MLSC-SCAN-004")
        .collect();
    // About 32 members fit the 64 MiB budget; the rest are summed up in one finding.
    assert!(limited.len() <= 3, "{limited:#?}");
    assert!(
        limited.iter().any(|f| f.message.contains("budget")),
        "{limited:#?}"
    );
}

#[test]
fn deflated_npz_arrays_are_checked_from_their_header() {
    let npy = |shape: usize, data: usize| {
        let header = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': ({shape},), }}");
        let mut h = header.into_bytes();
        while (10 + h.len() + 1) % 64 != 0 {
            h.push(b' ');
        }
        h.push(b'\n');
        let mut v = b"\x93NUMPY\x01\x00".to_vec();
        v.extend_from_slice(&(h.len() as u16).to_le_bytes());
        v.extend_from_slice(&h);
        v.resize(v.len() + data, 0x3f);
        v
    };
    let mut cur = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut cur);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("good.npy", deflated).unwrap();
    std::io::Write::write_all(&mut z, &npy(1 << 18, 1 << 20)).unwrap();
    z.start_file("short.npy", deflated).unwrap();
    std::io::Write::write_all(&mut z, &npy(1 << 18, (1 << 20) - 4)).unwrap();
    z.finish().unwrap();
    let r = scan_bytes("arrays.npz", cur.get_ref(), &ScanOptions::default());
    let mismatches: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.code == "MLSC-NPY-003")
        .collect();
    assert_eq!(mismatches.len(), 1, "{:#?}", r.findings);
    assert_eq!(mismatches[0].location.members, ["short.npy"]);
    assert!(mismatches[0].message.contains("1048576") && mismatches[0].message.contains("1048572"));
    assert!(!r.fails(Severity::Medium), "{:#?}", r.findings);
}
