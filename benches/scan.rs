//! `mlsc_pickle::scan_paths` on real-sized inputs, generated at run time:
//!
//! - a 1 GiB PyTorch zip checkpoint laid out as `torch.save` writes it (200 stored float32 storages of 5 MiB,
//!   64-byte aligned, `archive/data.pkl` from the generated corpus): the scan reads the central directory and the
//!   pickle, never the tensors, so the figure is independent of the checkpoint's size;
//! - a directory of 200 mixed model files (PyTorch zips and legacy files, safetensors, GGUF, ONNX, NumPy, joblib
//!   streams, Keras, configs), copied round-robin from the benign corpus, plus 16 MiB checkpoints and safetensors.
//!
//! Run: `cargo bench -p mlsc-benches --bench scan`. `benches/compare-scan-peers.sh` runs picklescan and modelscan
//! on the same shapes in one run and prints the ratios.

use std::io::Write;
use std::path::{Path, PathBuf};

fn main() {
    divan::main();
}

fn corpus() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/scan"
    ))
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (!(crc & 1)).wrapping_add(1));
        }
    }
    !crc
}

/// Writes a stored zip as `torch.save` lays it out: `archive/data.pkl`, `archive/data/<i>` of `storage` bytes each,
/// `archive/version`, data aligned to 64 bytes with a `FB` padding extra field. Storage CRCs are not computed
/// (nothing reads them here; torch does not check them either).
fn write_torch_zip(
    path: &Path,
    data_pkl: &[u8],
    storages: usize,
    storage: usize,
) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::with_capacity(4 << 20, std::fs::File::create(path)?);
    let mut central = Vec::new();
    let mut at = 0u64;
    let block = vec![0x5au8; 1 << 20];
    let mut members: Vec<(String, usize, Option<&[u8]>)> =
        vec![("archive/data.pkl".into(), data_pkl.len(), Some(data_pkl))];
    for i in 0..storages {
        members.push((format!("archive/data/{i}"), storage, None));
    }
    members.push(("archive/version".into(), 2, Some(b"3\n")));
    for (name, len, content) in &members {
        let base = at + 30 + name.len() as u64 + 4;
        let pad = ((64 - base % 64) % 64) as usize;
        let crc = content.map_or(0, crc32);
        let mut h = Vec::new();
        h.extend_from_slice(b"PK\x03\x04");
        h.extend_from_slice(&20u16.to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(&[0, 0, 0x21, 0]);
        h.extend_from_slice(&crc.to_le_bytes());
        h.extend_from_slice(&(*len as u32).to_le_bytes());
        h.extend_from_slice(&(*len as u32).to_le_bytes());
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&((pad + 4) as u16).to_le_bytes());
        h.extend_from_slice(name.as_bytes());
        h.extend_from_slice(b"FB");
        h.extend_from_slice(&(pad as u16).to_le_bytes());
        h.extend(std::iter::repeat_n(b'Z', pad));
        f.write_all(&h)?;
        match content {
            Some(c) => f.write_all(c)?,
            None => {
                let mut left = *len;
                while left > 0 {
                    let n = left.min(block.len());
                    f.write_all(&block[..n])?;
                    left -= n;
                }
            }
        }
        let mut c = Vec::new();
        c.extend_from_slice(b"PK\x01\x02");
        c.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
        c.extend_from_slice(&crc.to_le_bytes());
        c.extend_from_slice(&(*len as u32).to_le_bytes());
        c.extend_from_slice(&(*len as u32).to_le_bytes());
        c.extend_from_slice(&(name.len() as u16).to_le_bytes());
        c.extend_from_slice(&[0; 12]);
        c.extend_from_slice(&(at as u32).to_le_bytes());
        c.extend_from_slice(name.as_bytes());
        central.extend_from_slice(&c);
        at += h.len() as u64 + *len as u64;
    }
    f.write_all(&central)?;
    let mut e = Vec::new();
    e.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    e.extend_from_slice(&(members.len() as u16).to_le_bytes());
    e.extend_from_slice(&(members.len() as u16).to_le_bytes());
    e.extend_from_slice(&(central.len() as u32).to_le_bytes());
    e.extend_from_slice(&(at as u32).to_le_bytes());
    e.extend_from_slice(&0u16.to_le_bytes());
    f.write_all(&e)?;
    f.flush()
}

fn data_200() -> Vec<u8> {
    std::fs::read(corpus().join("benign/data_200.pkl"))
        .expect("the generated corpus (tests/gen/gen_containers.py)")
}

#[divan::bench(sample_count = 20)]
fn torch_zip_1gib(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("pytorch_model.bin");
    write_torch_zip(&path, &data_200(), 200, 1024 * 1280 * 4).expect("write the 1 GiB checkpoint");
    let paths = vec![path];
    let options = mlsc_pickle::ScanOptions::default();
    let r = mlsc_pickle::scan_paths(&paths, &options);
    assert!(r.artifacts[0].verdict.is_clean(), "{:#?}", r.findings);
    assert!(r.statistics.bytes_read < 1 << 20);
    bencher.bench(|| mlsc_pickle::scan_paths(divan::black_box(&paths), &options));
}

/// Builds the 200-file directory; returns its path (inside `dir`).
fn mixed_dir(dir: &Path) -> PathBuf {
    let root = dir.join("models");
    std::fs::create_dir_all(&root).expect("folder");
    let manifest: Vec<(String, String)> = {
        let text = std::fs::read_to_string(corpus().join("manifest.json")).expect("manifest");
        // A tiny extraction of "file" and "expect" pairs, to keep serde out of the benchmark's dependencies.
        let mut out = Vec::new();
        for obj in text.split("\n {") {
            let field = |k: &str| {
                obj.split(&format!("\"{k}\": \""))
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .map(str::to_owned)
            };
            if let (Some(f), Some(e)) = (field("file"), field("expect")) {
                out.push((f, e));
            }
        }
        out
    };
    let benign: Vec<&String> = manifest
        .iter()
        .filter(|(_, e)| e == "benign")
        .map(|(f, _)| f)
        .collect();
    let mut n = 0;
    // Ten 16 MiB checkpoints and ten 16 MiB safetensors among them, as a model directory would have.
    for i in 0..10 {
        write_torch_zip(
            &root.join(format!("shard-{i}.bin")),
            &data_200(),
            4,
            4 << 20,
        )
        .expect("shard");
        let mut st = Vec::new();
        let header = format!(
            "{{\"w\":{{\"dtype\":\"F32\",\"shape\":[{}],\"data_offsets\":[0,{}]}}}}",
            4 << 20,
            16 << 20
        );
        let mut h = header.into_bytes();
        while h.len() % 8 != 0 {
            h.push(b' ');
        }
        st.extend_from_slice(&(h.len() as u64).to_le_bytes());
        st.extend_from_slice(&h);
        st.resize(st.len() + (16 << 20), 0x3f);
        std::fs::write(root.join(format!("model-{i}.safetensors")), st).expect("safetensors");
        n += 2;
    }
    let mut i = 0;
    while n < 200 {
        let rel = benign[i % benign.len()];
        let name = format!("{:03}-{}", n, rel.replace('/', "_"));
        std::fs::copy(corpus().join(rel), root.join(name)).expect("copy");
        i += 1;
        n += 1;
    }
    root
}

#[divan::bench(sample_count = 20)]
fn directory_200_mixed(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = mixed_dir(dir.path());
    let paths = vec![root];
    let options = mlsc_pickle::ScanOptions::default();
    let r = mlsc_pickle::scan_paths(&paths, &options);
    assert_eq!(r.artifacts.len(), 200);
    assert!(
        !r.fails(mlsc_core::Severity::Medium),
        "{:#?}",
        r.findings
            .iter()
            .filter(|f| f.severity >= mlsc_core::Severity::Medium)
            .collect::<Vec<_>>()
    );
    bencher.bench(|| mlsc_pickle::scan_paths(divan::black_box(&paths), &options));
}
