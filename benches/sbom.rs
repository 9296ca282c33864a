//! `mlsc_sbom` speed: the BOM of a generated 1 GiB model directory (two 512 MiB safetensors shards, config,
//! tokenizer, a real-sized card), page-cache warm — the budget is 0.7 s on 2 cores, and it is hash-bound — and the
//! BOM of a 300-line requirements file.
//!
//! Run: `cargo bench -p mlsc-benches --bench sbom`. `MLSC_BENCH_SBOM_MIB` changes the model size (default 1024).
//! `benches/compare-sbom-peers.sh` runs cyclonedx-py on the same requirements file in the same run.

use std::path::Path;

use divan::counter::BytesCount;

fn main() {
    divan::main();
}

fn size_mib() -> u64 {
    std::env::var("MLSC_BENCH_SBOM_MIB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1024)
}

/// A safetensors file of `size` bytes: a valid header, then noise as the tensor data.
fn safetensors(path: &Path, size: u64) {
    let header_len = 128u64;
    let data = size - 8 - header_len;
    let mut header =
        format!("{{\"w\":{{\"dtype\":\"U8\",\"shape\":[{data}],\"data_offsets\":[0,{data}]}}}}")
            .into_bytes();
    header.resize(header_len as usize, b' ');
    let noise = path.with_extension("noise");
    mlsc_benches::write_noise(&noise, data).expect("write noise");
    let mut out = header_len.to_le_bytes().to_vec();
    out.extend_from_slice(&header);
    out.extend_from_slice(&std::fs::read(&noise).expect("read noise"));
    std::fs::remove_file(&noise).expect("remove noise");
    std::fs::write(path, out).expect("write shard");
}

fn model_dir(dir: &Path, total: u64) {
    let shard = total / 2;
    safetensors(&dir.join("model-00001-of-00002.safetensors"), shard);
    safetensors(&dir.join("model-00002-of-00002.safetensors"), total - shard);
    std::fs::write(
        dir.join("config.json"),
        r#"{"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4096}"#,
    )
    .expect("config");
    let vocab: String = (0..30_000).map(|i| format!("\"tok{i}\": {i}, ")).collect();
    std::fs::write(
        dir.join("tokenizer.json"),
        format!("{{\"model\": {{\"vocab\": {{{vocab}\"end\": 30000}}}}}}"),
    )
    .expect("tokenizer");
    let card = "---\nlicense: apache-2.0\ndatasets: [wikipedia, bookcorpus]\nbase_model: meta-llama/Llama-2-7b-hf\n\
                pipeline_tag: text-generation\n---\n# Model\n\n## Uses\n\nChat.\n\n## Bias, Risks, and Limitations\n\n\
                Hallucinates.\n";
    std::fs::write(dir.join("README.md"), card).expect("card");
}

fn bench_model(bencher: divan::Bencher, scan: bool) {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let total = size_mib() << 20;
    model_dir(tmp.path(), total);
    let mut options = mlsc_sbom::BomOptions::default();
    options.scan = scan;
    options.deterministic = true;
    // Warm the page cache: the figure is hashing and building, not the disk.
    mlsc_sbom::model_dir_bom(tmp.path(), &options).expect("bom");
    bencher.counter(BytesCount::new(total)).bench(|| {
        let out = mlsc_sbom::model_dir_bom(tmp.path(), &options).expect("bom");
        mlsc_sbom::bom_to_json(&out.bom)
    });
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn model_dir_1gib_with_scan(bencher: divan::Bencher) {
    bench_model(bencher, true);
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn model_dir_1gib_without_scan(bencher: divan::Bencher) {
    bench_model(bencher, false);
}

/// The 300-line requirements file `compare-sbom-peers.sh` also gives to cyclonedx-py.
pub fn requirements_300() -> String {
    let mut s = String::new();
    for i in 0..300 {
        match i % 3 {
            0 => s.push_str(&format!("package-{i}=={}.{}.{}\n", i % 7, i % 11, i % 5)),
            1 => s.push_str(&format!("package-{i}>={}.0,<{}.0\n", i % 4 + 1, i % 4 + 3)),
            _ => s.push_str(&format!(
                "package-{i}=={}.0.1 --hash=sha256:{:064x}\n",
                i % 9,
                i * 7919
            )),
        }
    }
    s
}

#[divan::bench(sample_count = 20)]
fn requirements_300_lines(bencher: divan::Bencher) {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let path = tmp.path().join("requirements.txt");
    std::fs::write(&path, requirements_300()).expect("write");
    let options = mlsc_sbom::BomOptions::default();
    bencher.bench(|| {
        let out = mlsc_sbom::bom_for_path(&path, &options).expect("bom");
        mlsc_sbom::bom_to_json(&out.bom)
    });
}
