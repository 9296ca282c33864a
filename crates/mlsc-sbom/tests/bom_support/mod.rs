//! Shared helpers of the BOM tests: the official CycloneDX schemas (from `../shared`, no network), generated model
//! directories and Hugging Face cache snapshots.
#![allow(dead_code, unreachable_pub, clippy::print_stderr)] // shared by several test binaries; a skip says why

use std::path::{Path, PathBuf};

use serde_json::Value;

/// `../shared` of the workspace, or `None` (with a message) when it is absent.
pub fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipping: ../shared (schemas, corpus, OSV data) is absent");
        None
    }
}

fn read_json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// A validator of the official CycloneDX schema `version` (`1.5`, `1.6`, `1.7`), with `spdx.schema.json`,
/// `jsf-0.82.schema.json` and `cryptography-defs.schema.json` registered locally: no network.
pub fn schema(version: &str) -> Option<jsonschema::Validator> {
    let dir = shared()?.join("schemas/cyclonedx");
    let main = read_json(&dir.join(format!("bom-{version}.schema.json")));
    let mut opts = jsonschema::options().should_validate_formats(true);
    for sub in [
        "spdx.schema.json",
        "jsf-0.82.schema.json",
        "cryptography-defs.schema.json",
    ] {
        let path = dir.join(sub);
        if path.is_file() {
            let res = jsonschema::Resource::from_contents(read_json(&path)).unwrap();
            opts = opts.with_resource(format!("http://cyclonedx.org/schema/{sub}"), res);
        }
    }
    Some(opts.build(&main).expect("the official schema compiles"))
}

/// The schema errors of `doc`, as `pointer: message` lines.
pub fn schema_errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{}: {}", e.instance_path, e))
        .collect()
}

/// Asserts `doc` is valid under the official schema of its spec version and under mlsc's own rules.
pub fn assert_valid(doc: &Value, what: &str) {
    let version = doc["specVersion"].as_str().unwrap();
    if let Some(v) = schema(version) {
        let errs = schema_errors(&v, doc);
        assert!(
            errs.is_empty(),
            "{what}: schema {version} errors: {errs:#?}"
        );
    }
    let ours = mlsc_sbom::validate_bom_value(doc, what);
    assert!(ours.is_valid(), "{what}: mlsc rules: {:#?}", ours.findings);
}

/// A tiny valid safetensors file: one F32 tensor of `n` elements.
pub fn safetensors(n: usize) -> Vec<u8> {
    let header = format!(
        "{{\"w\":{{\"dtype\":\"F32\",\"shape\":[{n}],\"data_offsets\":[0,{}]}}}}",
        n * 4
    );
    let mut h = header.into_bytes();
    while h.len() % 8 != 0 {
        h.push(b' ');
    }
    let mut out = (h.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(&h);
    for i in 0..n {
        out.extend_from_slice(&(i as f32).to_le_bytes());
    }
    out
}

/// The files of a small BERT-like model: (relative path, bytes).
pub fn model_files(card: Option<&str>) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![
        (
            "config.json".to_owned(),
            br#"{"architectures": ["BertForMaskedLM"], "model_type": "bert", "hidden_size": 8}"#.to_vec(),
        ),
        ("model.safetensors".to_owned(), safetensors(64)),
        (
            "tokenizer.json".to_owned(),
            br#"{"version": "1.0", "model": {"type": "WordPiece", "vocab": {"[PAD]": 0, "hello": 1}}}"#.to_vec(),
        ),
        ("tokenizer_config.json".to_owned(), br#"{"do_lower_case": true}"#.to_vec()),
        ("vocab.txt".to_owned(), b"[PAD]\nhello\n".to_vec()),
    ];
    if let Some(c) = card {
        files.push(("README.md".to_owned(), c.as_bytes().to_vec()));
    }
    files
}

/// Writes `files` under `dir`.
pub fn write_files(dir: &Path, files: &[(String, Vec<u8>)]) {
    for (rel, bytes) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

/// A model card of the shared corpus by a part of its file name.
pub fn corpus_card(name_part: &str) -> Option<String> {
    let dir = shared()?.join("corpus/model-cards");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let p = names
        .into_iter()
        .find(|p| p.file_name().unwrap().to_string_lossy().contains(name_part))?;
    Some(std::fs::read_to_string(p).unwrap())
}

/// A Hugging Face cache snapshot of `files` for `ns/name` at `revision` under `root`, as `huggingface_hub` lays it
/// out: weights in `blobs/<sha256>` (LFS), small files in `blobs/<40 hex>` (git blob ids), relative symlinks from
/// `snapshots/<revision>/`, and `refs/main`. Returns the snapshot folder.
#[cfg(unix)]
pub fn hf_cache(
    root: &Path,
    ns: &str,
    name: &str,
    revision: &str,
    files: &[(String, Vec<u8>)],
) -> PathBuf {
    let repo = root.join(format!("models--{ns}--{name}"));
    let snap = repo.join("snapshots").join(revision);
    std::fs::create_dir_all(repo.join("blobs")).unwrap();
    std::fs::create_dir_all(repo.join("refs")).unwrap();
    std::fs::write(repo.join("refs/main"), revision).unwrap();
    for (i, (rel, bytes)) in files.iter().enumerate() {
        let lfs = rel.ends_with(".safetensors") || rel.ends_with(".bin");
        let blob = if lfs {
            mlsc_core::Sha256Digest::of(bytes).to_hex()
        } else {
            // A stand-in for the git blob SHA-1: 40 hex digits, unique per file.
            format!("{:040x}", i + 1)
        };
        std::fs::write(repo.join("blobs").join(&blob), bytes).unwrap();
        let link = snap.join(rel);
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        let depth = rel.matches('/').count();
        let target = format!("{}../../blobs/{blob}", "../".repeat(depth));
        std::os::unix::fs::symlink(target, link).unwrap();
    }
    snap
}

/// Options for reproducible BOMs.
pub fn deterministic() -> mlsc_sbom::BomOptions {
    let mut o = mlsc_sbom::BomOptions::default();
    o.deterministic = true;
    o.source_date_epoch = Some(1_700_000_000);
    o
}
