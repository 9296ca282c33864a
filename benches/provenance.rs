//! Sign and verify throughput of `mlsc_provenance` on a generated model directory (page-cache warm), all cores.
//!
//! The directory looks like a sharded checkpoint: one file of half the total, one of a quarter, four of a
//! sixteenth, and small JSON files. 256 MiB by default; `MLSC_BENCH_PROVENANCE_GIB=1` makes it 1 GiB (the size
//! `benches/compare-signing-peers.sh` runs model_signing on, in the same run).
//!
//! Run: `cargo bench -p mlsc-benches --bench provenance`.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use divan::counter::BytesCount;
use mlsc_provenance::{
    HashAlgorithm, PrivateKey, Serialization, SignOptions, Trust, VerifyOptions, sign_model,
    verify_signature,
};

fn main() {
    divan::main();
}

struct Fixture {
    _dir: tempfile::TempDir,
    model: PathBuf,
    bytes: u64,
    key: PrivateKey,
    signatures: Vec<(Serialization, HashAlgorithm, PathBuf)>,
}

/// Writes the generated model directory of about `total` bytes under `model`.
pub fn write_model(model: &Path, total: u64) {
    std::fs::create_dir_all(model).expect("create the model folder");
    let parts = [
        ("model-00001-of-00006.safetensors", total / 2),
        ("model-00002-of-00006.safetensors", total / 4),
        ("model-00003-of-00006.safetensors", total / 16),
        ("model-00004-of-00006.safetensors", total / 16),
        ("model-00005-of-00006.safetensors", total / 16),
        ("model-00006-of-00006.safetensors", total / 16),
    ];
    for (name, size) in parts {
        mlsc_benches::write_noise(&model.join(name), size).expect("write a weight file");
    }
    std::fs::write(model.join("config.json"), br#"{"hidden_size": 4096}"#).expect("write config");
    std::fs::write(model.join("tokenizer.json"), vec![b'a'; 2 << 20]).expect("write tokenizer");
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let gib = std::env::var("MLSC_BENCH_PROVENANCE_GIB").is_ok_and(|v| v == "1");
    let total = if gib { 1 << 30 } else { 256 << 20 };
    let dir = tempfile::tempdir().expect("temporary folder");
    let model = dir.path().join("model");
    write_model(&model, total);
    let key = PrivateKey::generate_p256();
    let mut signatures = Vec::new();
    for (serialization, hash) in [
        (Serialization::Files, HashAlgorithm::Sha256),
        (
            Serialization::Shards {
                shard_size: 64 << 20,
            },
            HashAlgorithm::Sha256,
        ),
        (Serialization::Files, HashAlgorithm::Blake3),
    ] {
        let mut opts = SignOptions::default();
        opts.manifest.serialization = serialization;
        opts.manifest.hash = hash;
        let signed = sign_model(&model, &key, &opts).expect("sign");
        let path = dir
            .path()
            .join(format!("{}-{hash}.sig", serialization.method()));
        std::fs::write(&path, signed.bundle).expect("write the signature");
        signatures.push((serialization, hash, path));
    }
    let bytes = walk_size(&model);
    Fixture {
        _dir: dir,
        model,
        bytes,
        key,
        signatures,
    }
});

fn walk_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .expect("list the model")
        .map(|e| e.expect("entry").metadata().expect("metadata").len())
        .sum()
}

fn bench_sign(bencher: divan::Bencher, serialization: Serialization, hash: HashAlgorithm) {
    let f = &*FIXTURE;
    let mut opts = SignOptions::default();
    opts.manifest.serialization = serialization;
    opts.manifest.hash = hash;
    bencher
        .counter(BytesCount::new(f.bytes))
        .bench(|| sign_model(&f.model, &f.key, &opts).expect("sign"));
}

fn bench_verify(bencher: divan::Bencher, index: usize) {
    let f = &*FIXTURE;
    let trust = Trust::PublicKey(f.key.public_key());
    let sig = &f.signatures[index].2;
    bencher.counter(BytesCount::new(f.bytes)).bench(|| {
        let r = verify_signature(&f.model, sig, &trust, &VerifyOptions::default()).expect("verify");
        assert!(r.findings.is_empty());
    });
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn sign_sha256_files(bencher: divan::Bencher) {
    bench_sign(bencher, Serialization::Files, HashAlgorithm::Sha256);
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn verify_sha256_files(bencher: divan::Bencher) {
    bench_verify(bencher, 0);
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn sign_sha256_shards_64mib(bencher: divan::Bencher) {
    bench_sign(
        bencher,
        Serialization::Shards {
            shard_size: 64 << 20,
        },
        HashAlgorithm::Sha256,
    );
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn verify_sha256_shards_64mib(bencher: divan::Bencher) {
    bench_verify(bencher, 1);
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn sign_blake3_files(bencher: divan::Bencher) {
    bench_sign(bencher, Serialization::Files, HashAlgorithm::Blake3);
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn verify_blake3_files(bencher: divan::Bencher) {
    bench_verify(bencher, 2);
}
