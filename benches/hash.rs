//! SHA-256 throughput of `mlsc_core::sha256_file` on a 1 GiB file (page-cache warm), one core.
//!
//! Run: `cargo bench -p mlsc-benches --bench hash`. Compare with `sha256sum` and `openssl dgst -sha256` on the same
//! file: `benches/compare-hash.sh` does all three in one run.

use divan::counter::BytesCount;

fn main() {
    divan::main();
}

const SIZE: u64 = 1 << 30;

#[divan::bench(sample_count = 5, sample_size = 1)]
fn sha256_file_1gib(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("weights.bin");
    mlsc_benches::write_noise(&path, SIZE).expect("write the 1 GiB input");
    // Warm the page cache so the figure is hashing, not disk.
    mlsc_core::sha256_file(&path).expect("hash");
    bencher
        .counter(BytesCount::new(SIZE))
        .bench(|| mlsc_core::sha256_file(&path).expect("hash"));
}

#[divan::bench(sample_count = 20)]
fn sha256_in_memory_64mib(bencher: divan::Bencher) {
    let data = vec![0x5au8; 64 << 20];
    bencher
        .counter(BytesCount::new(data.len()))
        .bench(|| mlsc_core::Sha256Digest::of(divan::black_box(&data)));
}
