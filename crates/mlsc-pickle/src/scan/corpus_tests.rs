//! The container layer on the generated corpus (`tests/gen/gen_containers.py`): every pickle the manifest lists
//! is handed to the analyser, at the member chain it names — whatever the analyser then concludes.

use std::path::PathBuf;

use mlsc_core::Location;

use super::blob::Blob;
use super::{Ctx, Here, ScanOptions, dispatch};

fn corpus() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/scan"
    ))
}

/// Whether the crate is tested from its package (crates.io), which does not ship the workspace's fixtures: the
/// tests then say they skip. Inside the workspace a missing corpus fails them.
fn packaged() -> bool {
    let packaged = !PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../crates/mlsc-pickle"
    ))
    .is_dir();
    if packaged {
        eprintln!(
            "skipping: tested from the package, the workspace's tests/fixtures/scan is not here"
        );
    }
    packaged
}

/// Scans one file with the internal dispatcher; returns the context.
fn scan<'o>(opts: &'o ScanOptions, rel: &str) -> Ctx<'o> {
    let path = corpus().join(rel);
    let file = std::fs::File::open(&path).unwrap();
    let read = super::blob::ReadCount::default();
    let blob = Blob::File {
        file: &file,
        start: 0,
        len: file.metadata().unwrap().len(),
        read: &read,
    };
    let mut ctx = Ctx::new(opts);
    let here = Here {
        loc: Location::file(rel),
        depth: 0,
        top: true,
    };
    dispatch(&mut ctx, blob, &here).unwrap();
    ctx
}

#[test]
fn every_listed_pickle_reaches_the_analyser() {
    if packaged() {
        return;
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(corpus().join("manifest.json")).unwrap()).unwrap();
    let opts = ScanOptions::default();
    let mut checked = 0;
    for entry in manifest.as_array().unwrap() {
        let rel = entry["file"].as_str().unwrap();
        let want: Vec<String> = entry["pickles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_owned())
            .collect();
        let ctx = scan(&opts, rel);
        let got: Vec<String> = ctx
            .pickles
            .iter()
            .map(|(loc, _, _)| loc.members.join("!"))
            .collect();
        for w in &want {
            assert!(
                got.contains(w),
                "{rel}: the pickle at `{w}` was not analysed; analysed: {got:?}; findings: {:#?}",
                ctx.findings
            );
        }
        if want.is_empty() {
            assert!(
                got.is_empty(),
                "{rel}: analysed {got:?}, expected no pickle"
            );
        }
        checked += 1;
    }
    assert!(checked > 90, "{checked}");
}

#[test]
fn pickle_offsets_are_where_the_pickles_are() {
    if packaged() {
        return;
    }
    let opts = ScanOptions::default();
    // The polyglot's prefix pickle starts at 0; the object array's pickle right after the 64-aligned header.
    let ctx = scan(&opts, "malicious/polyglot.pt");
    assert_eq!((ctx.pickles[0].1, ctx.pickles[0].0.members.len()), (0, 0));
    let ctx = scan(&opts, "malicious/object.npy");
    assert_eq!(ctx.pickles[0].1 % 64, 0);
    assert!(ctx.pickles[0].1 >= 64);
    // Tensor storages of a torch zip are never read: only the pickle member.
    let ctx = scan(&opts, "benign/torch_zip.pt");
    assert_eq!(ctx.pickles.len(), 1);
    assert!(ctx.findings.iter().any(|f| f.code == "MLSC-ZIP-013"));
}

#[test]
#[ignore = "prints every finding of the corpus: cargo test -p mlsc-pickle dump_corpus -- --ignored --nocapture"]
fn dump_corpus() {
    let opts = ScanOptions::default();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(corpus().join("manifest.json")).unwrap()).unwrap();
    for entry in manifest.as_array().unwrap() {
        let rel = entry["file"].as_str().unwrap();
        let ctx = scan(&opts, rel);
        println!("== {rel} [{}] -> {}", entry["expect"], ctx.verdict);
        for f in &ctx.findings {
            if f.code != "MLSC-PKL-000" {
                println!("   {} {} {} {}", f.severity, f.code, f.location, f.message);
            }
        }
        println!(
            "   pickles: {:?}",
            ctx.pickles
                .iter()
                .map(|(l, b, n)| format!("{}@{b}+{n}", l.members.join("!")))
                .collect::<Vec<_>>()
        );
    }
}
