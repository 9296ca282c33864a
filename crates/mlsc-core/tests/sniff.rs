//! `sniff` on real headers: one file per format in `tests/fixtures/sniff/`, written by the reference libraries via
//! `tests/gen/gen_sniff.py`.

use std::path::PathBuf;

use mlsc_core::{Format, SNIFF_LEN, pickle_protocol, sniff};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/sniff")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn sniff_file(name: &str) -> Format {
    let data = fixture(name);
    sniff(&data[..data.len().min(SNIFF_LEN)])
}

#[test]
fn every_fixture_has_its_format() {
    let cases = [
        ("pickle-p0.pkl", Format::Pickle),
        ("pickle-p1.pkl", Format::Pickle),
        ("pickle-p2.pkl", Format::Pickle),
        ("pickle-p3.pkl", Format::Pickle),
        ("pickle-p4.pkl", Format::Pickle),
        ("pickle-p5.pkl", Format::Pickle),
        ("pickle-ordereddict-p2.pkl", Format::Pickle),
        ("torch-legacy.pt", Format::PytorchLegacy),
        ("torch-zip.pt", Format::Zip),
        ("array-v1.npy", Format::Numpy),
        ("array-v2.npy", Format::Numpy),
        ("array-v3.npy", Format::Numpy),
        ("joblib-zf.pkl", Format::JoblibZf),
        ("pickle.gz", Format::Gzip),
        ("pickle.bz2", Format::Bzip2),
        ("pickle.xz", Format::Xz),
        ("pickle.lzma", Format::LzmaAlone),
        ("pickle.zlib", Format::Zlib),
        ("pickle.zst", Format::Zstd),
        ("pickle.lz4", Format::Lz4),
        ("ustar.tar", Format::Tar),
        ("gnu.tar", Format::Tar),
        ("archive.7z", Format::SevenZip),
        ("model.safetensors", Format::Safetensors),
        ("model.gguf", Format::Gguf),
        ("model.onnx", Format::Onnx),
        ("model.h5", Format::Hdf5),
        ("config.json", Format::Json),
        ("tokenizer.yaml", Format::Yaml),
        ("README.md", Format::Markdown),
        ("notes.txt", Format::Text),
        ("empty.bin", Format::Empty),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(name, want)| {
            let got = sniff_file(name);
            (got != *want).then(|| format!("{name}: got {got}, want {want}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn pickle_protocols_are_read_from_content() {
    for p in 0..=5u8 {
        let data = fixture(&format!("pickle-p{p}.pkl"));
        // Protocols 0 and 1 carry no PROTO opcode: both read as 0.
        assert_eq!(
            pickle_protocol(&data),
            Some(if p < 2 { 0 } else { p }),
            "protocol {p}"
        );
    }
    assert_eq!(pickle_protocol(&fixture("config.json")), None);
}

#[test]
fn a_prefix_is_enough() {
    // Scanners sniff the first bytes of a file: every format must survive being cut short (tar needs 512).
    for name in [
        "pickle-p0.pkl",
        "pickle-p4.pkl",
        "torch-zip.pt",
        "model.safetensors",
        "ustar.tar",
    ] {
        let data = fixture(name);
        let cut = &data[..data.len().min(600).max(data.len() * 2 / 3)];
        assert_eq!(sniff(cut), sniff(&data), "{name}");
    }
}

#[test]
fn the_extension_never_counts_and_noise_is_unknown() {
    // The same bytes under any name: sniff never sees a name. Random bytes and binary junk are unknown.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8 | 0x80
        })
        .collect();
    assert_eq!(sniff(&noise), Format::Unknown);
    assert_eq!(sniff(b"\x00\x01\x02\x03binary"), Format::Unknown);
    // Text that happens to start with pickle opcode letters is still text.
    assert_eq!(
        sniff(b"I am a model card without front matter.\n"),
        Format::Text
    );
    assert_eq!(sniff(b"cat\ndog\nbird and more words\n"), Format::Text);
    assert_eq!(sniff(b"S'unterminated\n"), Format::Text);
}

#[test]
fn polyglot_prefix_is_the_pickle() {
    // A pickle followed by a zip: torch unpickles the prefix, so sniff reports the pickle and containers look
    // for the zip trailer themselves.
    let mut data = fixture("pickle-p2.pkl");
    data.extend_from_slice(&fixture("torch-zip.pt"));
    assert_eq!(sniff(&data), Format::Pickle);
}

#[test]
fn fuzz_regression_empty_input_has_no_protocol() {
    // cargo fuzz (target `sniff`) found `pickle_protocol(b"")` indexing past the end.
    assert_eq!(pickle_protocol(b""), None);
    assert_eq!(sniff(b""), Format::Empty);
}
